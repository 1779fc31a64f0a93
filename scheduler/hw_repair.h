/*
 * Repair after a disruption: an absence, a late check-out or an urgent new visit
 * changes only the visits it must, within seconds, and says what changed.
 *
 * The day's published rosters are loaded with every assigned visit pinned where
 * it is (hw_dayplan.h, HW_DAY_PIN_ASSIGNED). The affected visits are freed and put
 * back by cheapest insertion (hw_insert_jobs), so every other visit keeps its
 * worker and time:
 *   absence     - the worker's visits that start inside the absence;
 *   late        - the late worker is busy until the new finish time; their later
 *                 visits that would start before it (plus a travel margin) move;
 *   urgent      - the new visit itself (stored in the same change).
 * The change is one event "roster.repaired" whose payload lists the changed visits
 * ({"visits":[...]}) and the trigger; the rosters of every worker involved are
 * rewritten. Visits that fit nowhere are left unassigned and reported.
 */
#ifndef HW_REPAIR_H
#define HW_REPAIR_H

#include <stdint.h>

#include "hw_domain.h"
#include "hw_store.h"

typedef enum hw_repair_kind { HW_REPAIR_ABSENCE = 0, HW_REPAIR_LATE, HW_REPAIR_URGENT } hw_repair_kind;

typedef struct hw_repair_trigger {
  hw_repair_kind kind;
  hw_absence absence;      /* ABSENCE: recorded in the same change (id assigned),
                              unless it has an id already (stored before: a
                              multi-day absence repaired day by day) */
  hw_id late_visit_id;     /* LATE: the visit running late ... */
  hw_time late_until;      /* ... and when its worker will be free */
  hw_visit urgent;         /* URGENT: the new visit (date, client, window, ...) */
} hw_repair_trigger;

#define HW_REPAIR_MAX_CHANGES 64
#define HW_REPAIR_MARGIN_SECONDS (20 * 60) /* LATE: later visits this close move too */

typedef struct hw_repair_change {
  hw_id visit_id;
  hw_id old_workers[2];
  hw_time old_start;       /* HW_TIME_NONE: was not rostered */
  hw_id new_workers[2];
  hw_time new_start;       /* HW_TIME_NONE: could not be placed */
} hw_repair_change;

typedef struct hw_repair_report {
  int32_t n_changes;
  hw_repair_change changes[HW_REPAIR_MAX_CHANGES];
  int32_t unplaced;        /* affected visits left unassigned */
  int64_t event_seq;
} hw_repair_report;

/* Repair the rosters of the locality on date after trigger t. Returns 0 with the
 * report, HW_EINVAL (bad trigger: unknown visit, absence outside the day, urgent
 * visit on another date; the reason in why), HW_ETOOLARGE (more than
 * HW_REPAIR_MAX_CHANGES visits affected), or a store or solver error; on error
 * nothing is stored. */
int hw_repair(hw_store *st, hw_id locality_id, hw_date date, const hw_repair_trigger *t, const char *actor,
              const char *idempotency_key, hw_time now, hw_repair_report *out, char *why, size_t why_len);

#endif
