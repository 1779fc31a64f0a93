/*
 * The outcome simulation: the scheduler's own policy code (pathway reviews, D2A
 * offers by insertion into rosters, GLPK capacity allocation, outcome figures) run
 * against a simulated clock on the synthetic North Lanarkshire partnership, to
 * compare policies and team numbers over months ("a third reablement team per
 * locality?"). docs/outcomes.md lists every assumption; in short:
 *
 * - Supply: the generator's reablement teams (2 or 3 per locality) and workers.
 *   A team's capacity is its workers' shift minutes on each weekday times the
 *   productive share (hw_capacity.h), split into general and medication-trained
 *   minutes. An active episode uses its care plan's average daily minutes every
 *   day until it ends; ending episodes are what frees capacity.
 * - Demand: the generator's D2A stream (about 30 people a week, ready mostly
 *   09:00-16:00) and community referrals / changes of need into reablement (a
 *   seeded Poisson stream per locality, in proportion to its clients, so to
 *   population), plus the
 *   episodes already running on day one.
 * - Episodes follow hw_pathway.h: weekly reviews whose findings are drawn from a
 *   seeded hash of (episode, review), so both policies see the same people
 *   progress the same way.
 * - Each locality-day's reablement rosters are built by insertion
 *   (hw_insert_jobs) from the day's visits, with sickness absences (hashed per
 *   worker-day) and visits that overrun (hashed per visit); optimized leaves the
 *   D2A reserve (hw_d2a_reserve_holds) out of construction for the day's offers.
 *   Visits left out are the unallocated visit hours.
 * - baseline: first come, first served. One allocation round a day (09:00):
 *   requests in arrival order each take a reablement team of their locality with
 *   room for the next seven days, or wait for the next round (no insertion
 *   search, no capacity model, no priority for discharges). A discharge happens
 *   the day its request is started.
 * - optimized: at the moment a person is ready, a D2A offer for today by
 *   insertion into today's and tomorrow's rosters (hw_d2a_find), taken when the
 *   team has room; every morning the GLPK capacity model (hw_capacity_allocate)
 *   decides which waiting requests start today, weighting a bed day above a day
 *   of community waiting.
 * The full solver is not run per simulated day (it would take hours for a year at
 * NL scale): construction and D2A offers use insertion, allocation the MIP.
 */
#ifndef HW_SIMULATE_H
#define HW_SIMULATE_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "hw_generate.h"
#include "hw_outcomes.h"

typedef enum hw_sim_policy { HW_POLICY_BASELINE = 0, HW_POLICY_OPTIMIZED, HW_POLICY_COUNT } hw_sim_policy;

const char *hw_sim_policy_name(hw_sim_policy p);
int hw_sim_policy_parse(const char *s, hw_sim_policy *out);

typedef struct hw_sim_options {
  uint64_t seed;
  int32_t weeks;                 /* 1..52 */
  int32_t reablement_teams;      /* 2 or 3 per locality */
  hw_sim_policy policy;
  hw_scale scale;                /* nl (default) or small/locality for quick runs */
  int32_t community_per_1k_clients_week; /* community referrals and changes of need
                                            into reablement a week per 1,000 clients
                                            with a care plan (34) */
  int32_t productive_permille;   /* share of shift minutes a team can book as care (600):
                                    the rest is travel, breaks, handovers and peaks */
  int32_t sickness_permille;     /* worker-days lost to sickness (45 = 4.5%) */
  int32_t overrun_permille;      /* visits that overrun by half their length (100) */
  /* optimized: the D2A same-day levers (hw_d2a_options; defaults from there) */
  int32_t later_start;           /* 1: today may start with a later visit of the plan */
  int32_t widen_minutes;         /* today's non-medication windows widen this much */
  int32_t retime;                /* 1: existing visits may move within their windows */
  int32_t reserve_minutes;       /* D2A reserve per reablement team per call peak, left
                                    out of each day's construction (hw_d2a_reserve_holds)
                                    and free for offers; 0 = none */
  FILE *progress;                /* one line per simulated week, or NULL */
} hw_sim_options;

/* Why a D2A request was not discharged on its ready day (optimized; the baseline's
 * are all HW_SIM_MISS_ROUND): the first three are the simulation's, the rest the
 * offer's (hw_d2a_miss). */
typedef enum hw_sim_miss {
  HW_SIM_MISS_ROUND = 0,         /* ready before the morning allocation, which did not start it */
  HW_SIM_MISS_NO_ROOM,           /* no reablement team with a week's room (capacity) */
  HW_SIM_MISS_TOO_LATE,          /* no visit of the plan can start today after the lead time */
  HW_SIM_MISS_SKILL,             /* nobody on shift today holds a visit's skills */
  HW_SIM_MISS_GAP_TODAY,         /* today's visits find no gap in the rosters */
  HW_SIM_MISS_GAP_LATER,         /* today's fit, tomorrow's do not */
  HW_SIM_MISS_COUNT
} hw_sim_miss;

const char *hw_sim_miss_name(hw_sim_miss m);

/* Ready-time bands of the explanation: before 12:00, 12-15, 15-18, from 18:00. */
#define HW_SIM_READY_BANDS 4

void hw_sim_options_init(hw_sim_options *o);

typedef struct hw_sim_week {
  int32_t week;                  /* 1-based */
  int32_t occupied_bed_days;
  double same_day_discharge_pct; /* -1 when nobody was discharged */
  int32_t d2a_requests;
  int32_t discharged;
  double reablement_independent_pct; /* -1 when no episode ended */
  double unallocated_visit_hours;
  int32_t community_started;
  double community_wait_days;    /* mean wait of community referrals started that week, -1 none */
} hw_sim_week;

typedef struct hw_sim_result {
  int32_t n_weeks;
  hw_sim_week *weeks;
  double same_day_discharge_pct;
  double weekly_occupied_bed_days_mean;
  double weekly_occupied_bed_days_median;
  double reablement_independent_pct;
  double community_wait_days;    /* mean over the run, -1 none */
  int32_t episodes_started, d2a_offers_today, capacity_rounds;
  double utilisation_pct;        /* booked reablement minutes / capacity minutes */
  double unallocated_visit_hours_week; /* mean a week */
  int64_t elapsed_ms;
  /* The explanation of same-day misses (D2A requests not discharged on their ready day). */
  int32_t d2a_requests, d2a_same_day;
  int32_t miss[HW_SIM_MISS_COUNT];
  int32_t miss_band[HW_SIM_MISS_COUNT][HW_SIM_READY_BANDS]; /* by ready time */
  int32_t gap_double, gap_medication, gap_morning, gap_midday, gap_evening; /* GAP_TODAY misses
                                     with a visit of that kind left without a gap */
  int32_t lever_later, lever_widen, lever_retime; /* same-day offers that needed the lever */
  int32_t visits_moved;          /* existing visits re-timed by offers */
} hw_sim_result;

void hw_sim_result_free(hw_sim_result *r);

/* Run the simulation. Deterministic in the options (progress aside). Returns 0,
 * HW_EINVAL (options out of range), HW_ENOMEM or a solver error. */
int hw_simulate(const hw_sim_options *o, hw_sim_result *out);

/* The report document: {"weeks":[{"week","occupied_bed_days","same_day_discharge_pct",
 * "d2a_requests","discharged","reablement_independent_pct","unallocated_visit_hours"}],
 * "summary":{"same_day_discharge_pct","weekly_occupied_bed_days_mean",
 * "weekly_occupied_bed_days_median","reablement_independent_pct"}} (new reference). */
json_t *hw_sim_result_to_json(const hw_sim_result *r); /* plus "explain": {"d2a_requests",
 * "same_day", "miss": {reason: {"total", "by_ready": [4 bands]}}, "gap_kinds": {...},
 * "levers": {...}, "visits_moved"} and summary "unallocated_visit_hours_week" */

/* The same-day explanation as a plain-text table (what `simulate --explain`
 * prints): misses by reason and ready time, the kinds of visit without a gap, and
 * the offers each lever made possible. Returns 0 or HW_EIO. */
int hw_sim_write_explain(const hw_sim_result *r, FILE *f);

/* An SVG chart of weekly occupied bed days and same-day % (with target lines at
 * 70 bed days and 100%) written to f. Returns 0 or HW_EIO. */
int hw_sim_write_svg(const hw_sim_result *r, const char *title, FILE *f);

#endif
