/*
 * The records an event carries: what one change stored, as the store holds it
 * afterwards (server ids included), so that the event log alone reproduces every
 * table the outcome figures and a follower of the change feed need.
 *
 * A change collects its records here as it makes them (hw_records_add_*), then
 * writes them as the event's payload (hw_records_payload). The payload is one JSON
 * object with a plural key per kind that is present:
 *
 *   {"referrals":[...], "discharges":[...], "visits":[...], "clients":[...],
 *    "workers":[...], "teams":[...], "absences":[...], "reviews":[...],
 *    "rosters":[{"worker_id","date","entries":[...]}], "drafts":[...],
 *    "roster_notes":[...], "note":"...", "trigger":"..."}
 *
 * A roster listed is the whole of that worker's day after the change (an empty
 * "entries" clears it). hw_records_parse reads a payload back; it also reads the
 * payloads of older logs (a record under a singular key "discharge", "referral",
 * "visit", a bare record, "entries" of a published roster), so logs written
 * before this format still replay.
 */
#ifndef HW_RECORDS_H
#define HW_RECORDS_H

#include <stdint.h>

#include "hw_domain.h"
#include "hw_store_roster.h"

typedef struct hw_roster_day {
  hw_id worker_id;
  hw_date date;
  int32_t first, n;            /* entries[first .. first + n) */
} hw_roster_day;

#define HW_RECORDS_ARRAY(type, name) \
  type *name;                        \
  int32_t n_##name, cap_##name

typedef struct hw_records {
  HW_RECORDS_ARRAY(hw_referral, referrals);
  HW_RECORDS_ARRAY(hw_discharge, discharges);
  HW_RECORDS_ARRAY(hw_visit, visits);
  HW_RECORDS_ARRAY(hw_client, clients);
  HW_RECORDS_ARRAY(hw_worker, workers);
  HW_RECORDS_ARRAY(hw_team, teams);
  HW_RECORDS_ARRAY(hw_absence, absences);
  HW_RECORDS_ARRAY(hw_review, reviews);
  HW_RECORDS_ARRAY(hw_roster_day, rosters);
  HW_RECORDS_ARRAY(hw_roster_entry, entries);
  HW_RECORDS_ARRAY(hw_draft, drafts);          /* plan drafts (written, not read back) */
  HW_RECORDS_ARRAY(hw_roster_note, notes);     /* what a publish told each worker (ditto) */
  HW_RECORDS_ARRAY(hw_reserve_row, reserves);  /* the D2A reserve table as sized */
  char note[160];              /* why (a waiting reason, a rejection), "" = none */
  char trigger[24];            /* what set a repair off: "absence", "late", ... */
} hw_records;

#undef HW_RECORDS_ARRAY

void hw_records_init(hw_records *r);
void hw_records_free(hw_records *r);
/* Forget the records (keeps the memory for reuse). */
void hw_records_clear(hw_records *r);

/* Add a record; one with the id of a record already added replaces it (the last
 * state of a record in a change is what counts). Return 0 or HW_ENOMEM. */
int hw_records_add_referral(hw_records *r, const hw_referral *v);
int hw_records_add_discharge(hw_records *r, const hw_discharge *v);
int hw_records_add_visit(hw_records *r, const hw_visit *v);
int hw_records_add_client(hw_records *r, const hw_client *v);
int hw_records_add_worker(hw_records *r, const hw_worker *v);
int hw_records_add_team(hw_records *r, const hw_team *v);
int hw_records_add_absence(hw_records *r, const hw_absence *v);
int hw_records_add_review(hw_records *r, const hw_review *v);
int hw_records_add_draft(hw_records *r, const hw_draft *v);
int hw_records_add_note(hw_records *r, const hw_roster_note *v);
/* A reserve row (rows have no id: each one added is kept). */
int hw_records_add_reserve(hw_records *r, const hw_reserve_row *v);
/* A worker's whole day as stored after the change (n may be 0: cleared). */
int hw_records_add_roster(hw_records *r, hw_id worker_id, hw_date date, const hw_roster_entry *e, int32_t n);
/* Say why, printf-style (kept short). */
void hw_records_note(hw_records *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The payload text (canonical JSON, malloc'd), or NULL when out of memory. */
char *hw_records_payload(const hw_records *r);
/* Read a payload into r (initialised; previous records are cleared). Records that
 * do not decode are skipped. Returns 0, HW_EINVAL (not a JSON object) or HW_ENOMEM. */
int hw_records_parse(const char *payload, hw_records *r);

#endif
