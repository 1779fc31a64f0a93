/*
 * The outcome simulation: the service itself (scheduler/service/: the same
 * hw_service_* calls and cron jobs as the daemon) run on a simulated clock and a
 * store of its own, with generated demand, so that what it reports is what the
 * service would do ("a third reablement team per locality?"). The simulation
 * keeps only the clock, the demand and the report; docs/outcomes.md lists every
 * assumption. In short:
 *
 * - Set-up: the synthetic partnership (hw_generate: seed, scale; a third
 *   reablement team per locality is a copy of team 1's establishment) saved into
 *   a fresh store. The generator's referrals are the caseload on day one.
 * - The clock: before each demand action at time t, every cron job due up to t
 *   runs in order (hw_cron.h): visits at 00:10, the morning round at 08:00, the
 *   offers sweep every 15 minutes, the D2A reserve sized from the forecast on
 *   Sundays at 17:00, the nightly plan at 18:00 (with a fixed solver iteration
 *   budget, so the run is deterministic).
 * - Demand: the generator's D2A stream (hw_service_discharge_request at each
 *   ready time); community referrals into reablement, a seeded Poisson stream per
 *   locality (hw_service_referral_create); the coordinator's reviews every
 *   morning with findings from a seeded hash (hw_service_review); sickness
 *   recorded each morning (hw_service_absence). The hospital accepts every offer
 *   of a start today (hw_service_discharge_accept) and discharges the person the
 *   lead time before the first visit (hw_service_discharge_discharged).
 * - Policies are service settings: optimized = the defaults (offers on arrival,
 *   GLPK morning round, the same-day levers, the D2A reserve sized weekly at the
 *   hold cost); baseline = no offer on arrival (a discharge waits for the morning
 *   round), first come first served, no levers, no reserve.
 * - The report: the service's own outcome figures (hw_service_outcomes_replay,
 *   checked against hw_service_outcomes_records), community waiting, and why
 *   discharges missed their ready day, from the offers the service made.
 */
#ifndef HW_SIMULATE_H
#define HW_SIMULATE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>


#include "hw_generate.h"
#include "hw_outcomes.h"

typedef enum hw_sim_policy { HW_POLICY_BASELINE = 0, HW_POLICY_OPTIMIZED, HW_POLICY_COUNT } hw_sim_policy;

const char *hw_sim_policy_name(hw_sim_policy p);
int hw_sim_policy_parse(const char *s, hw_sim_policy *out);

/* The nightly plan's default solver budget per locality-day (iterations). */
#define HW_SIM_PLAN_ITERATIONS 500

typedef struct hw_sim_options {
  uint64_t seed;
  int32_t weeks;                 /* 1..52 */
  int32_t reablement_teams;      /* 2 or 3 per locality */
  hw_sim_policy policy;
  hw_scale scale;                /* nl (default) or small/locality for quick runs */
  int32_t community_per_1k_clients_week; /* community referrals into reablement a week
                                            per 1,000 clients with a care plan (34) */
  int32_t sickness_permille;     /* worker-days lost to sickness (45 = 4.5%) */
  /* optimized: the D2A same-day levers and reserve (hw_d2a_options; defaults from
     there); the baseline has none of them */
  int32_t later_start;           /* 1: today may start with a later visit of the plan */
  int32_t widen_minutes;         /* today's non-medication windows widen this much */
  int32_t retime;                /* 1: existing visits may move within their windows */
  int32_t reserve_minutes;       /* D2A reserve per reablement team per call peak, 0..240:
                                    held until the cron first sizes it from the forecast */
  int32_t hold_cost_pct;         /* what a reserved minute costs against a missed same-day
                                    minute, 0..100 (the service's d2a_reserve_hold_cost_pct) */
  int64_t plan_iterations;       /* solver iterations per locality of the nightly plan
                                    (HW_SIM_PLAN_ITERATIONS); no time limit */
  const char *db_path;           /* the run's store: a new file kept afterwards; NULL = a
                                    temporary file removed at the end */
  FILE *progress;                /* one line per simulated week, or NULL */
} hw_sim_options;

/* Why a D2A request was not discharged on its ready day, the first reason met:
 * the first two are the simulation's, the rest the service's offer at arrival
 * (hw_d2a_miss). */
typedef enum hw_sim_miss {
  HW_SIM_MISS_ROUND = 0,         /* no offer at arrival (baseline): it waited for a round */
  HW_SIM_MISS_ACCEPT,            /* offered today, but the offer no longer held at acceptance */
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
  int32_t discharged_ready_by_16, same_day_ready_by_16;
  double same_day_ready_by_16_pct; /* of those discharged who were ready by 16:00; -1 none */
  int32_t discharged_no_start_today; /* the clock's misses: ready too late for any visit
                                        of the plan that day */
  double same_day_possible_pct;  /* same-day share of the others; -1 none */
  double weekly_occupied_bed_days_mean;
  double weekly_occupied_bed_days_median;
  double reablement_independent_pct;
  double community_wait_days;    /* mean over the run, -1 none */
  double unallocated_visit_hours_week; /* mean a week */
  double travel_share_pct;       /* the service's figure over the run, -1 none */
  int32_t figures_agree;         /* 1: the log's replay and the stored records give the
                                    same figures */
  /* What the service did. */
  int32_t episodes_started;      /* reablement episodes that started in the run */
  int32_t community_referrals, community_waiting_end; /* sent; still waiting at the end */
  int32_t ongoing_waiting_end;   /* mainstream/intensive referrals waiting at the end */
  int32_t arrival_offers;        /* offers the service made on a request's arrival */
  int32_t d2a_offers_today;      /* offers of a start today the hospital accepted */
  int32_t accept_conflicts;      /* accepts refused: the offer no longer held */
  int32_t sweep_upgrades;        /* waiting requests the offers sweep found a start today for */
  int32_t capacity_rounds;       /* morning rounds run */
  int32_t handovers;             /* bridged discharges the rounds handed over to reablement */
  int32_t reserve_sizings;       /* weekly sizings that stored a table */
  double reserve_minutes_week;   /* mean minutes held a week over every team, by the
                                    sized tables; -1 when never sized */
  double reserve_covered_pct;    /* mean predicted share of peak demand held; -1 never */
  int32_t reviews, absences;     /* held by the coordinator; sickness recorded */
  int32_t plans, plan_failures;  /* locality-days planned; plans that failed */
  int64_t plan_ms;               /* solver time of the nightly plans */
  int64_t elapsed_ms;
  /* The explanation of same-day misses (D2A requests not discharged on their ready day). */
  int32_t d2a_requests, d2a_same_day;
  int32_t miss[HW_SIM_MISS_COUNT];
  int32_t miss_band[HW_SIM_MISS_COUNT][HW_SIM_READY_BANDS]; /* by ready time */
  int32_t gap_double, gap_medication, gap_morning, gap_midday, gap_evening; /* GAP_TODAY misses
                                     with a visit of that kind left without a gap */
  int32_t lever_later, lever_widen, lever_retime, lever_reassign; /* accepted same-day offers
                                     that needed the lever */
  int32_t visits_moved;          /* existing visits re-timed by accepted offers */
  char error[200];               /* what failed, when hw_simulate returns an error */
} hw_sim_result;

void hw_sim_result_free(hw_sim_result *r);

/* Run the simulation. Deterministic in the options (progress and elapsed_ms
 * aside). Returns 0, HW_EINVAL (options out of range), HW_EIO (the store), or the
 * error of the service call that failed (out->error says which and when). */
int hw_simulate(const hw_sim_options *o, hw_sim_result *out);

/* The report document: {"weeks":[{"week","occupied_bed_days","same_day_discharge_pct",
 * "d2a_requests","discharged","reablement_independent_pct","unallocated_visit_hours",
 * "community_started","community_wait_days"}], "summary":{"same_day_discharge_pct",
 * "same_day_ready_by_16_pct", "no_start_today", "same_day_possible_pct",
 * "weekly_occupied_bed_days_mean", "weekly_occupied_bed_days_median",
 * "reablement_independent_pct", "unallocated_visit_hours_week",
 * "community_wait_days", "travel_share_pct", "figures_agree"}, "service":{...what
 * the service did, handovers and the reserve included}, "explain": {"d2a_requests", "same_day", "miss": {reason:
 * {"total", "by_ready": [4 bands]}}, "gap_kinds": {...}, "levers": {...},
 * "visits_moved"}} (new reference), or NULL when out of memory. */
json_t *hw_sim_result_to_json(const hw_sim_result *r);

/* The same-day explanation as a plain-text table (what `simulate --explain`
 * prints): misses by reason and ready time, the kinds of visit without a gap, and
 * the offers each lever made possible. Returns 0 or HW_EIO. */
int hw_sim_write_explain(const hw_sim_result *r, FILE *f);

/* An SVG chart of weekly occupied bed days and same-day % (with target lines at
 * 70 bed days and 100%) written to f. Returns 0 or HW_EIO. */
int hw_sim_write_svg(const hw_sim_result *r, const char *title, FILE *f);

#endif
