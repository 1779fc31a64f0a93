/*
 * Rosters as the people on them see them (store_roster.c, schema migration 4):
 *   - plan drafts: a locality's day as planning placed it, kept apart from the
 *     live visits and rosters until a coordinator publishes (or discards) it;
 *     each drafted visit keeps the state it had when drafted (its base), so a
 *     publish can tell that the day moved on meanwhile;
 *   - the roster each worker was last PUBLISHED for a day (the baseline of what
 *     the next publish tells them), and the change notes a publish writes per
 *     worker (a visit added, removed or moved);
 *   - per-worker calendar secrets: only the SHA-256 (hex) of the secret in a
 *     calendar subscription URL is stored, as with API tokens.
 * Lists fill *out with a malloc'd array (NULL when *n is 0; the caller frees);
 * errors are HW_EIO / HW_ENOMEM / HW_ECONFLICT with hw_store_errmsg set.
 */
#ifndef HW_STORE_ROSTER_H
#define HW_STORE_ROSTER_H

#include "hw_store.h"

typedef enum hw_draft_status { HW_DRAFT_OPEN = 0, HW_DRAFT_PUBLISHED, HW_DRAFT_DISCARDED } hw_draft_status;

/* "draft", "published", "discarded". */
const char *hw_draft_status_name(hw_draft_status s);

typedef struct hw_draft {
  hw_id id;
  hw_id locality_id;
  hw_date date;
  hw_draft_status status;
  hw_time created_at;
  char created_by[64];
  hw_time decided_at;            /* published or discarded at; HW_TIME_NONE while open */
  char decided_by[64];
  int32_t visits, assigned;      /* the plan's counts */
  int64_t travel_seconds;
} hw_draft;

/* One visit of a drafted day: where the draft puts it, and its state when drafted. */
typedef struct hw_draft_visit {
  hw_id visit_id;
  hw_visit_status status;        /* as drafted */
  hw_id worker_ids[2];
  hw_time planned_start;         /* HW_TIME_NONE: left unplaced */
  char unplaced_reason[24];
  hw_visit_status base_status;   /* as stored when drafted */
  hw_id base_workers[2];
  hw_time base_start;
  int32_t base_pinned;
} hw_draft_visit;

typedef enum hw_note_kind { HW_NOTE_ADDED = 0, HW_NOTE_REMOVED, HW_NOTE_MOVED } hw_note_kind;

/* "added", "removed", "moved". */
const char *hw_note_kind_name(hw_note_kind k);

/* One change a publish made to one worker's day, against what they were last published. */
typedef struct hw_roster_note {
  hw_id id;
  hw_id worker_id;
  hw_date date;
  hw_time published_at;
  hw_note_kind kind;
  hw_id visit_id;
  hw_time old_start, new_start;  /* HW_TIME_NONE when added / removed */
} hw_roster_note;

/* ---- Drafts --------------------------------------------------------------------- */

/* Store d (status, times and counts as given); d->id is set. */
int hw_store_insert_draft(hw_store *st, hw_draft *d);
/* HW_ENOTFOUND when there is no draft id. */
int hw_store_get_draft(hw_store *st, hw_id id, hw_draft *out);
/* Record the decision on a draft (status published or discarded, at, by). */
int hw_store_decide_draft(hw_store *st, hw_id id, hw_draft_status status, hw_time at, const char *by);
/* Drafts of a locality (0 = any) and date (HW_DATE_NONE = any) with status (-1 =
 * any), newest first. */
int hw_store_list_drafts(hw_store *st, hw_id locality_id, hw_date date, int status, hw_draft **out, int32_t *n);
/* The drafted visits and the drafted roster entries (worker_id set, by worker and seq). */
int hw_store_put_draft_visits(hw_store *st, hw_id draft_id, const hw_draft_visit *v, int32_t n);
int hw_store_get_draft_visits(hw_store *st, hw_id draft_id, hw_draft_visit **out, int32_t *n);
int hw_store_put_draft_roster(hw_store *st, hw_id draft_id, const hw_roster_entry *e, int32_t n);
int hw_store_get_draft_roster(hw_store *st, hw_id draft_id, hw_roster_entry **out, int32_t *n);

/* ---- What was published, and the notes of each publish ------------------------ */

/* The roster worker_id was last published for date (entries without travel). */
int hw_store_get_published_roster(hw_store *st, hw_id worker_id, hw_date date, hw_roster_entry **out, int32_t *n);
int hw_store_put_published_roster(hw_store *st, hw_id worker_id, hw_date date, const hw_roster_entry *e,
                                  int32_t n);
/* The workers with a roster published for date (not empty), by id. */
int hw_store_published_workers(hw_store *st, hw_date date, hw_id **out, int32_t *n);
/* Store a note (id set). */
int hw_store_insert_roster_note(hw_store *st, hw_roster_note *note);
/* A worker's notes with id > after, newest first, at most max. */
int hw_store_list_roster_notes(hw_store *st, hw_id worker_id, hw_id after, int32_t max, hw_roster_note **out,
                               int32_t *n);

/* ---- Calendar secrets ------------------------------------------------------------ */

/* Set (replace) the worker's calendar secret hash. HW_ECONFLICT: no such worker. */
int hw_store_set_calendar_secret(hw_store *st, hw_id worker_id, const char *hash_hex, hw_time now);
/* The worker whose secret hashes to hash_hex: 0 with *worker_id, or HW_ENOTFOUND. */
int hw_store_find_calendar_secret(hw_store *st, const char *hash_hex, hw_id *worker_id);

#endif
