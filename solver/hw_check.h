/*
 * The independent solution checker. It shares no code with the search: it walks
 * each route from scratch with its own arithmetic and verifies every rule of
 * hw_problem.h - travel and arrival times, time windows (hard or soft), shifts,
 * breaks, skills, exclusions, pins, capacity, double-handed and linked starts,
 * fleet limit, and that every job is either routed (once per worker needed) or
 * listed unassigned. Every benchmark run and every roster goes through it.
 */
#ifndef HW_CHECK_H
#define HW_CHECK_H

#include <stddef.h>

#include "hw_problem.h"

#define HW_CHECK_MAX_MESSAGES 16

typedef struct hw_check_report {
  int32_t feasible;           /* 1 when no violation was found */
  int32_t n_violations;       /* total count (only the first few are kept as text) */
  char messages[HW_CHECK_MAX_MESSAGES][160];
  hw_cost cost;               /* recomputed from scratch */
  double distance;            /* travel in instance units (costs / time_scale, or
                                 recomputed from x, y in double precision when given) */
  double objective;           /* the instance's own objective in its units (distance
                                 for VRPTW, (travel + tardiness + max tardiness) / 3
                                 for Mankowska, cost.total for rosters) */
} hw_check_report;

/* Check s against p. Returns 0 and fills report (feasible or not); returns
 * HW_EINVAL only if the solution refers to indices outside the problem, with the
 * reason in report->messages[0]. */
int hw_check(const hw_problem *p, const hw_solution *s, hw_check_report *report);

#endif
