/*
 * Capacity allocation: which team takes which request, starting on which day.
 *
 * The scheduler has requests waiting for a service start (a hospital discharge
 * waiting for home support, a community referral waiting for reablement) and teams
 * with a limited number of care minutes per day, per skill class, over a planning
 * horizon of D days. This model decides, for every request, one team and one start
 * day - or that it is deferred beyond the horizon - so that no team-day is loaded
 * beyond its capacity and the total weighted delay is smallest. A delay weight per
 * day lets a hospital discharge (each day is an occupied bed day) outrank a
 * community referral. The model is a MIP solved with GLPK (solver/glpk_alloc.c);
 * its variables, constraints and objective are written out in
 * docs/capacity-model.md. The caller never sees GLPK: it fills plain arrays.
 *
 * Units: care time in integer minutes; days are 0-based indices into the horizon
 * (day 0 = the first planned day). The capacities are what is still free: the
 * caller subtracts the load of requests already started before building this.
 *
 * Threading: like every solver entry point, safe to call from several threads at
 * once on different problems.
 */
#ifndef HW_ALLOC_H
#define HW_ALLOC_H

#include <stddef.h>
#include <stdint.h>

typedef struct hw_alloc_request {
  int64_t id;               /* caller's id, not used by the model */
  int32_t skill_class;      /* 0 .. n_classes-1: the capacity pool it draws from */
  int32_t earliest_day;     /* first day it may start (>= 0; >= n_days: must defer) */
  int64_t weight_per_day;   /* cost of each day of delay after earliest_day (>= 0) */
  int64_t defer_cost;       /* cost of deferral beyond the horizon; 0 = as if it
                               started on day n_days: weight * (n_days - earliest) */
  int32_t n_profile;        /* > 0: minutes needed on its 1st, 2nd, ... day of
                               service (profile[0 .. n_profile)), none after;
                               0: daily_minutes on every day from the start */
  const int32_t *profile;   /* n_profile entries, each >= 0 */
  int32_t daily_minutes;    /* used when n_profile == 0 (>= 0) */
  const uint8_t *eligible;  /* n_teams flags: 1 = this team may take it; NULL = all */
} hw_alloc_request;

typedef struct hw_alloc_problem {
  int32_t n_days;           /* horizon D >= 1 */
  int32_t n_teams;          /* >= 1 */
  int32_t n_classes;        /* skill classes >= 1 */
  /* Free minutes of team t for class c on day d at
   * capacity[((size_t)t * n_days + d) * n_classes + c], each >= 0. */
  const int32_t *capacity;
  int32_t n_requests;       /* >= 0 */
  const hw_alloc_request *requests;
} hw_alloc_problem;

/* The decision for one request: team index and start day, or deferred. */
typedef struct hw_alloc_decision {
  int32_t team;             /* team index, or -1 when deferred */
  int32_t start_day;        /* day index, or -1 when deferred */
} hw_alloc_decision;

typedef struct hw_alloc_result {
  int32_t n_requests;
  hw_alloc_decision *decisions; /* n_requests, in request order (owned) */
  int64_t cost;             /* sum of weight * delay + deferral costs, exact */
  int64_t delay_days;       /* sum over started requests of (start_day - earliest_day) */
  int32_t n_deferred;
  int32_t optimal;          /* 1 when GLPK proved optimality, 0 when the time
                               limit cut the search short (the result is feasible) */
} hw_alloc_result;

/* Zero the result so hw_alloc_result_free is safe on it. */
void hw_alloc_result_init(hw_alloc_result *r);
/* Release the decisions; leaves r as after hw_alloc_result_init. */
void hw_alloc_result_free(hw_alloc_result *r);

/* Check p: sizes positive, capacities and minutes non-negative, skill classes and
 * days in range. Returns 0, or HW_EINVAL with "<field>: <reason>" in msg (for
 * example "requests[3].skill_class: out of range"). */
int hw_alloc_validate(const hw_alloc_problem *p, char *msg, size_t msg_len);

/* Decide a team and start day for every request (or defer it) at least total
 * cost, respecting every team-day-class capacity, within time_limit_s seconds
 * (<= 0: no limit). Deferral is always allowed, so the model is never infeasible.
 * On success returns 0 and fills out (initialised by the caller; old content is
 * freed); out->optimal says whether optimality was proven. When the time limit
 * cuts the search short the best plan found is returned - at worst the greedy
 * one (heaviest weight first, earliest day that fits) that seeds the MIP.
 * Returns HW_EINVAL if the problem fails hw_alloc_validate, HW_ENOMEM, or
 * HW_ESOLVER if GLPK failed (its error was caught; the process lives). */
int hw_alloc_solve(const hw_alloc_problem *p, double time_limit_s, hw_alloc_result *out);

#endif
