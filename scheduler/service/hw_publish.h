/*
 * Drafts and publishing (publish.c): how a planned day reaches the workers.
 *
 * Planning (plan_publish.c) either publishes a solved day at once (the default)
 * or keeps it as a draft (hw__keep_draft, POST /v1/plans {"publish": false}),
 * both as of the writer's commit. A draft holds
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
  const hw_plan_report *report;
  hw_id draft_id;                  /* out: the draft stored */
} hw_planned_day;

/* In a change group: keep the day as a draft (draft_id set); nothing live
 * changes. Adds the draft record to rec. */
int hw__keep_draft(hw_store *st, hw_planned_day *d, hw_records *rec);

/* Note what changed on worker's day from what they were last published to the
 * new roster e[0..n) (notes added to rec, *count counts them), then keep it as
 * their published roster (unless it is that already). */
int hw__note_worker_day(hw_store *st, hw_id worker, hw_date date, hw_time now, const hw_roster_entry *e, int32_t n,
                        hw_records *rec, int32_t *count);

/* The tables' side of a publish, for both paths: store each visit, replace each
 * worker's roster (workers[0..n_workers)), keep it as their published roster
 * and note the changes against the one before. Adds to rec. */
int hw__publish_day(hw_store *st, hw_date date, hw_time now, const hw_visit *visits, int32_t n_visits,
                    const hw_roster_entry *entries, int32_t n_entries, const hw_id *workers, int32_t n_workers,
                    hw_records *rec);

#endif
