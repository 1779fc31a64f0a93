/*
 * Repair after a disruption: an absence, a late check-out, a visit to fit in (an
 * urgent one, a new referral's, a client back home) or a coordinator's move
 * changes only the visits it must, within milliseconds, and says what changed.
 *
 * The day's published rosters are loaded with every assigned visit pinned where
 * it is (hw_dayplan.h, HW_DAY_PIN_ASSIGNED). The affected visits are freed and put
 * back by cheapest insertion (hw_insert_jobs), so every other visit keeps its
 * worker and time; nothing is placed before now:
 *   absence - the worker's visits that start inside the absence;
 *   late    - the late worker is busy until the new finish time; their later
 *             visits that would start before it (plus a travel margin) move;
 *   insert  - visits already stored but not rostered (placed, or left unplaced
 *             with their reason);
 *   move    - one visit pinned to the workers and start a coordinator chose; the
 *             worker's other visits that collide with it are re-placed.
 * The change is one event "roster.repaired" carrying the visits it changed and
 * the rosters of every worker involved, rewritten. Visits that fit nowhere are
 * left unassigned (unplaced_reason set) and counted.
 */
#ifndef HW_REPAIR_H
#define HW_REPAIR_H

#include <stdint.h>

#include "hw_domain.h"

typedef enum hw_repair_kind {
  HW_REPAIR_ABSENCE = 0,
  HW_REPAIR_LATE,
  HW_REPAIR_INSERT,
  HW_REPAIR_MOVE,
  HW_REPAIR_KIND_COUNT
} hw_repair_kind;

typedef struct hw_repair_trigger {
  hw_repair_kind kind;
  const char *label;       /* the event's "trigger" ("absence", "urgent", ...);
                              NULL: the kind's name */
  hw_absence absence;      /* ABSENCE: stored already (id set) */
  hw_id late_visit_id;     /* LATE: the visit running late ... */
  hw_time late_until;      /* ... and when its worker will be free */
  const hw_id *visit_ids;  /* INSERT: stored visits of the day to place */
  int32_t n_visits;
  hw_id move_visit_id;     /* MOVE: this visit, to these workers, at this start */
  hw_id move_workers[2];
  hw_time move_start;
} hw_repair_trigger;

#define HW_REPAIR_MAX_CHANGES 64
#define HW_REPAIR_MARGIN_SECONDS (20 * 60) /* LATE: later visits this close move too */

typedef struct hw_repair_change {
  hw_id visit_id;
  hw_date date;
  hw_id old_workers[2];
  hw_time old_start;       /* HW_TIME_NONE: was not rostered */
  hw_id new_workers[2];
  hw_time new_start;       /* HW_TIME_NONE: could not be placed */
} hw_repair_change;

/* What repairs changed; repairs of several days add to one report. */
typedef struct hw_repair_report {
  int32_t n_changes;       /* listed below (at most HW_REPAIR_MAX_CHANGES) */
  int32_t more;            /* further changes not listed */
  hw_repair_change changes[HW_REPAIR_MAX_CHANGES];
  int32_t unplaced;        /* affected visits left unassigned */
  int64_t event_seq;       /* the last repair event */
} hw_repair_report;

/* The kind's event name ("absence", "late", "insert", "move"). */
const char *hw_repair_kind_name(hw_repair_kind k);

#endif
