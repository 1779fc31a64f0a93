/*
 * Discharge to Assess (D2A) slot offers: when can home support start for a person
 * who is ready to leave hospital?
 *
 * The offer algorithm (docs/scheduler.md has the long form):
 *   1. The first candidate day is today (the local date of max(now, ready_at)).
 *   2. For each candidate day and each tier of workers - tier 0 the reablement
 *      teams of the person's locality (reablement first), tier 1 every team of the
 *      locality - take the CURRENT rosters of that day with every published visit
 *      pinned where it is, and try to insert the new visits of the first
 *      `first_days` days with hw_insert_jobs (cheapest feasible insertion, no
 *      re-solve: milliseconds). On the first day only visits that can start after
 *      max(now, ready_at) + lead time count, and at least one must remain.
 *   3. The first (day, tier) where every one of those visits fits is the offer:
 *      today if at all possible, otherwise the honest earliest date. Skills,
 *      double-handed visits, shifts, breaks, absences, exclusions and hard carer
 *      gender are all honoured by the solver's feasibility checks.
 *   4. Nothing within max_days: no offer; the request waits (bed days accrue until
 *      the person is discharged) and the capacity allocation takes it up.
 * On acceptance the visits of the first days are stored pinned to the offered
 * workers and times, the rosters of those workers are rewritten, and a reablement
 * referral for the care plan is created, all in one event.
 */
#ifndef HW_D2A_H
#define HW_D2A_H

#include <stdint.h>

#include "hw_dayplan.h"
#include "hw_domain.h"
#include "hw_store.h"
#include "hw_visits.h"

typedef struct hw_d2a_options {
  int32_t lead_minutes;   /* ready -> home, before the first visit (120) */
  int32_t first_days;     /* days of visits that must fit for an offer (2) */
  int32_t max_days;       /* days searched from today (14) */
  hw_visit_options visit; /* how templates become visits */
} hw_d2a_options;

void hw_d2a_options_init(hw_d2a_options *o);

/* Where the current rosters of a day come from (the store, or the simulation).
 * load fills in with the workers of `tier` (0 reablement of the locality, 1 every
 * team of the locality), their absences, the locality's clients (including the
 * person being discharged) and the day's visits with their assignments; release
 * frees what load allocated. load returns 0 or a negative hw error. */
typedef struct hw_day_source {
  int (*load)(void *user, hw_date date, int tier, hw_day_input *in);
  void (*release)(void *user, hw_day_input *in);
  void *user;
  int32_t n_tiers;        /* 1 or 2 */
} hw_day_source;

#define HW_D2A_MAX_VISITS 64

typedef struct hw_d2a_offer {
  int32_t found;                  /* 1: an offer within max_days */
  hw_date start_date;             /* HW_DATE_NONE when not found */
  hw_time first_visit;            /* planned start of the first visit */
  int32_t tier;                   /* tier of the workers offered */
  int32_t days_tried;
  int32_t n_visits;
  hw_visit visits[HW_D2A_MAX_VISITS]; /* the first days' visits with workers and planned
                                         starts (ids 0, status ASSIGNED, pinned) */
  char reason[160];               /* why not today (or not at all) */
} hw_d2a_offer;

/* Find the offer for `client` with care plan t[0..n) ready at ready_at, as of now.
 * Returns 0 with *out filled (found or not), HW_EINVAL (bad templates or more
 * first-days visits than HW_D2A_MAX_VISITS), or an error from the source or the
 * solver. */
int hw_d2a_find(const hw_d2a_options *o, const hw_day_source *src, const hw_client *client,
                const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out);

/* ---- Store wrappers (one event each; nothing stored on error) --------------- */

/* Compute the offer for discharge request `discharge_id` and record it: status
 * OFFERED (start today) or WAITING (later date in `earliest`, or none found), with
 * offered_start. Event "discharge.offered" / "discharge.waiting". Returns 0,
 * HW_ENOTFOUND, HW_ECONFLICT (already accepted, discharged or cancelled), or an error. */
int hw_d2a_make_offer(hw_store *st, hw_id discharge_id, hw_time now, const hw_d2a_options *o, const char *actor,
                 const char *idempotency_key, hw_d2a_offer *out);

/* Accept: recompute the offer as of now (the rosters may have changed) and, when
 * one exists, store it - referral (hospital, reablement, ACTIVE, team of the first
 * worker), the first days' visits pinned, the affected rosters, discharge ACCEPTED.
 * Event "discharge.accepted". Returns 0 with the offer accepted, HW_EINFEASIBLE
 * when no offer exists any more (nothing stored), HW_ENOTFOUND, HW_ECONFLICT. */
int hw_d2a_accept(hw_store *st, hw_id discharge_id, hw_time now, const hw_d2a_options *o, const char *actor,
                  const char *idempotency_key, hw_d2a_offer *out);

/* Record that the person left hospital at `at`: status DISCHARGED, discharged_at.
 * Event "discharge.discharged". Bed days stop accruing. Returns 0, HW_ENOTFOUND,
 * HW_ECONFLICT (not accepted or offered), or a store error. */
int hw_d2a_discharged(hw_store *st, hw_id discharge_id, hw_time at, const char *actor,
                      const char *idempotency_key);

#endif
