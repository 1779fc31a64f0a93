/*
 * The outcome figures the partnership is judged on, derived from records that the
 * event log reproduces (so every figure can be recomputed from the log alone).
 *
 * Definitions (docs/outcomes.md has the long form and worked examples):
 * - Midnight census of date D: taken at the midnight that ends D (local time), and
 *   only once that midnight has passed (records.now). A
 *   discharge request counts one occupied bed day for D when its ready-for-discharge
 *   date is D or earlier, it is not cancelled (no cancellation time is kept, so
 *   a cancelled request counts no bed days at all) and the person
 *   was still in hospital at that midnight (discharged_at unset or later than it;
 *   discharged exactly at midnight = gone). So ready 23:59 and discharged 00:01 the
 *   next day counts one bed day; ready and discharged the same day counts none.
 * - Weekly occupied bed days: the sum of the seven censuses of Monday..Sunday;
 *   the weekly mean and median are over the weeks whose seven censuses are all
 *   in the period and have all been taken.
 * - Same-day discharge %: of the people discharged in the period (by the local
 *   date of discharged_at), the share discharged on or before their ready date.
 *   Beside it, so a miss is either the policy's or the clock's: the same share
 *   among those ready by 16:00, and the people whose ready time left no visit
 *   of their care plan able to start that day after the lead time (ready at
 *   21:30 for a plan whose last call is at 20:00) - and the share among the
 *   others, whom a same-day start was possible for.
 * - Reablement independent %: of the reablement episodes that ended in the period
 *   (by end_date), the share whose outcome is independent.
 * - Unallocated visit hours: duration x workers of the period's visits (not
 *   cancelled) whose window had closed by records.now with fewer workers than
 *   they need (a visit still ahead may yet be rostered).
 * - Travel share of paid time: roster travel / (roster travel + rostered visit
 *   time), over the roster entries of the period.
 * - Continuity of carer: mean number of distinct workers per client per week, over
 *   the client-weeks that had at least one visit with a worker.
 * - Punctuality: of the visits checked in during the period that had a planned
 *   start, the share checked in within 15 minutes of it, and the mean lateness.
 */
#ifndef HW_OUTCOMES_H
#define HW_OUTCOMES_H

#include <stdint.h>

#include "hw_domain.h"

#define HW_PUNCTUAL_SECONDS (15 * 60)

/* The records the figures are derived from (borrowed, not owned). */
typedef struct hw_outcome_records {
  const hw_discharge *discharges; int32_t n_discharges;
  const hw_referral *referrals;   int32_t n_referrals;
  const hw_visit *visits;         int32_t n_visits;
  const hw_roster_entry *roster;  int32_t n_roster;
  hw_time now;                    /* the figures as of this instant (0 or HW_TIME_NONE:
                                     the whole period is over) */
  int32_t lead_minutes;           /* ready -> home before a first visit (the D2A lead time) */
} hw_outcome_records;

#define HW_READY_BY_MINUTE (16 * 60) /* "ready by 16:00" */

typedef struct hw_outcomes_week {
  hw_date monday;                 /* first day of the week (may precede `from`) */
  int32_t days;                   /* days of the week inside the period */
  int32_t census_days;            /* ... of which the census has been taken */
  int32_t occupied_bed_days;
  int32_t d2a_requests;           /* requests whose ready date falls in the week */
  int32_t discharged;
  int32_t discharged_same_day;
  int32_t reablement_ended;
  int32_t reablement_independent;
  int64_t unallocated_visit_minutes;
} hw_outcomes_week;

typedef struct hw_outcomes {
  hw_date from, to;               /* the period, inclusive */
  hw_time now;                    /* as of (HW_TIME_NONE: the period is over) */
  int32_t n_days;
  int32_t *census;                /* n_days: bed days counted at the midnight ending each day */
  int32_t n_weeks;
  hw_outcomes_week *weeks;        /* Monday-Sunday weeks meeting the period */
  int64_t occupied_bed_days;
  int32_t d2a_requests;
  int32_t discharged;
  int32_t discharged_same_day;
  double same_day_discharge_pct;  /* -1 when nobody was discharged */
  int32_t discharged_ready_by_16, same_day_ready_by_16;
  double same_day_ready_by_16_pct;        /* -1 when nobody ready by 16:00 was discharged */
  int32_t discharged_no_start_today;      /* ready too late for any visit of the plan that day */
  int32_t same_day_possible;              /* same-day among the others */
  double same_day_possible_pct;           /* same-day share of the others; -1 when none */
  double weekly_occupied_bed_days_mean;   /* over full weeks; -1 when none */
  double weekly_occupied_bed_days_median;
  int32_t reablement_ended;
  int32_t reablement_independent;
  double reablement_independent_pct;      /* -1 when no episode ended */
  double unallocated_visit_hours;
  int64_t travel_seconds, visit_seconds;
  double travel_share_pct;                /* -1 without roster entries */
  int32_t client_weeks;
  double continuity_workers_per_client_week; /* -1 when none */
  int32_t checked_in;
  int32_t punctual;
  double punctuality_pct;                 /* -1 when no check-ins */
  double mean_lateness_min;               /* over check-ins; late only, early = 0 */
} hw_outcomes;

void hw_outcomes_init(hw_outcomes *o);
void hw_outcomes_free(hw_outcomes *o);

/* Compute every figure over [from, to] (inclusive local dates) from r. out must be
 * initialised (old content is freed). Returns 0, HW_EINVAL (from > to, or a period
 * over 20 years), HW_ENOMEM. */
int hw_outcomes_from_records(const hw_outcome_records *r, hw_date from, hw_date to, hw_outcomes *out);

/* Round to one decimal (what every report prints). */
double hw_round1(double x);

#endif
