/*
 * Drafts and publishing (publish.c): how a planned day reaches the workers.
 *
 * Planning (plan.c) hands its result over as an hw_planned_day and either
 * publishes it at once (hw__publish_tx, the default: today's behaviour) or keeps
 * it as a draft (hw__draft_tx, POST /v1/plans {"publish": false}). A draft holds
 * each visit as planned and as it was when planned; publishing it later
 * (hw_service_draft_publish, hw_service.h) applies it only when no visit of the
 * day changed meanwhile. Every publish, either way, keeps what each worker is
 * now published for the day and writes a change note per visit added, removed
 * or moved on their day since their last published roster (GET /v1/me/changes).
 */
#ifndef HW_PUBLISH_H
#define HW_PUBLISH_H

#include "hw_plan.h"
#include "hw_records.h"
#include "hw_store_roster.h"

/* A locality's day as planning left it (every pointer borrowed). */
typedef struct hw_planned_day {
  hw_id locality_id;
  hw_date date;
  hw_time now;
  const char *actor;
  const hw_visit *visits;          /* the day's visits with their new assignments */
  int32_t n_visits;
  const hw_visit *base;            /* the day's visits as stored before planning */
  int32_t n_base;
  const hw_roster_entry *entries;  /* the new rosters, by worker then time */
  int32_t n_entries;
  const hw_worker *workers;        /* whose rosters are replaced (an empty one clears) */
  int32_t n_workers;
  const hw_plan_report *report;
  hw_id draft_id;                  /* out (hw__draft_tx): the draft stored */
} hw_planned_day;

/* hw_store_tx_fn (ctx: hw_planned_day): publish the day - visits, rosters, what
 * each worker is published and their change notes; the payload carries them. */
int hw__publish_tx(hw_store *st, void *ctx, char **result);
/* hw_store_tx_fn (ctx: hw_planned_day): keep the day as a draft (draft_id set);
 * nothing live changes; the payload carries the draft record. */
int hw__draft_tx(hw_store *st, void *ctx, char **result);

/* The tables' side of a publish, for both paths: store each visit, replace each
 * worker's roster (workers[0..n_workers)), keep it as their published roster
 * and note the changes against the one before. Adds to rec. */
int hw__publish_day(hw_store *st, hw_date date, hw_time now, const hw_visit *visits, int32_t n_visits,
                    const hw_roster_entry *entries, int32_t n_entries, const hw_id *workers, int32_t n_workers,
                    hw_records *rec);

#endif
