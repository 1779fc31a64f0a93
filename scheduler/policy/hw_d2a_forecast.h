/*
 * The D2A reserve sized from the forecast: how much reablement time to keep free
 * at each call peak of each weekday in each locality, from the discharges that
 * actually arrived.
 *
 * 1. Demand: each past discharge request needs, on the day it was ready, the
 *    visits of its care plan that can still start after ready + lead time
 *    (hw_d2a_peak_demand); a visit counts at the call peak whose hold it could
 *    use - its window reaches the peak's hold - in worker-minutes (duration x
 *    workers). Summed per locality and date.
 * 2. Cells: locality x weekday x peak; the samples are that weekday's dates in
 *    the history window (a date without requests is a sample of 0), divided by
 *    the locality's reablement teams (the reserve is held per team).
 * 3. Model: hw_reserve_solve (GLPK): each cell holds what minimises the expected
 *    uncovered minutes (same-day misses) plus hold_per_miss times the minutes
 *    held (time taken from community referrals), in slots, at most max_minutes
 *    per team and peak.
 * The result is a table the nightly plan holds back (hw_d2a_reserve_holds with
 * per-peak minutes); the daemon's cron recomputes it weekly, and sweeping
 * hold_per_miss gives the frontier (held minutes against predicted cover).
 */
#ifndef HW_D2A_FORECAST_H
#define HW_D2A_FORECAST_H

#include <stdint.h>

#include "hw_d2a.h"
#include "hw_domain.h"

/* Worker-minutes the same-day start of plan t[0..n) for client c, ready at
 * ready_at, needs at each peak (out[HW_D2A_RESERVE_PEAKS]); visits that no hold can
 * serve (a lunchtime call when the peaks are elsewhere) count nowhere. Returns
 * 0 or an error of hw_visits_expand. */
int hw_d2a_peak_demand(const hw_d2a_options *o, const hw_client *c, const hw_visit_template *t, int32_t n,
                       hw_time ready_at, int32_t out[HW_D2A_RESERVE_PEAKS]);

/* One locality's demand on one date. */
typedef struct hw_d2a_demand_day {
  hw_id locality_id;
  hw_date date;
  int32_t minutes[HW_D2A_RESERVE_PEAKS];
} hw_d2a_demand_day;

typedef struct hw_d2a_forecast_options {
  int32_t slot_minutes;     /* granularity of the reserve (15) */
  int32_t max_minutes;      /* per team and peak, <= HW_D2A_RESERVE_MAX (240) */
  double hold_per_miss;     /* cost of a held minute against an uncovered one (0.15:
                               hold until fewer than 15 % of days need more) */
} hw_d2a_forecast_options;

void hw_d2a_forecast_options_init(hw_d2a_forecast_options *o);

/* A locality the table is sized for, with its reablement teams. */
typedef struct hw_d2a_forecast_locality {
  hw_id id;
  int32_t reablement_teams; /* >= 1; demand is split over them */
} hw_d2a_forecast_locality;

/* The table: minutes per reablement team at `peak` on `weekday` (0 = Monday) -
 * the store's row (hw_domain.h), one per locality x weekday x peak. */
typedef hw_reserve_row hw_d2a_reserve_entry;
_Static_assert(HW_RESERVE_PEAKS == HW_D2A_RESERVE_PEAKS, "the store keeps one row per call peak");

typedef struct hw_d2a_forecast {
  hw_d2a_reserve_entry *entries;  /* n_localities x 7 x HW_D2A_RESERVE_PEAKS, malloc'd */
  int32_t n_entries;
  int32_t weeks;                  /* the history's length in weeks */
  double held_minutes_week;       /* minutes held per week over every team */
  double demand_minutes_week;     /* mean demand per week */
  double covered_pct;             /* predicted share of demanded minutes held */
  int optimal;
} hw_d2a_forecast;

void hw_d2a_forecast_free(hw_d2a_forecast *f);

/* Size the table over the history [first, last] (at least one week) from days[]
 * (dates outside the window or localities not listed are ignored). Returns 0,
 * HW_EINVAL (bad options, window, or locality), HW_ENOMEM, or a solver error. */
int hw_d2a_forecast_size(const hw_d2a_forecast_options *o, const hw_d2a_forecast_locality *localities,
                         int32_t n_localities, hw_date first, hw_date last, const hw_d2a_demand_day *days,
                         int32_t n_days, hw_d2a_forecast *out);

/* The minutes per peak the table gives (locality, date); 0 when it has no row. */
void hw_d2a_forecast_lookup(const hw_d2a_reserve_entry *entries, int32_t n, hw_id locality, hw_date date,
                            int32_t out[HW_D2A_RESERVE_PEAKS]);

#endif
