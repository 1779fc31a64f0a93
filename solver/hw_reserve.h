/*
 * Sizing a reserve against a sampled demand: how much capacity to hold back in
 * each cell (for Homeward: a locality's reablement time at one call peak of one
 * weekday, kept free for same-day hospital discharges), when holding a minute
 * costs (it is taken from other work) and a demanded minute not held costs more
 * (a person who could have gone home today stays in hospital).
 *
 * The model, solved with GLPK (glp_intopt):
 *   n[c] integer in [0, max_minutes[c] / slot]   slots held in cell c
 *   s[c,k] >= 0                                  demand of sample day k not held
 *   s[c,k] + slot * n[c] >= demand[c,k]          for each cell c, sample k
 *   sum_{c in group g} slot * n[c] <= budget[g]  for each group with a budget
 *   min  sum_c miss_weight / K_c * sum_k s[c,k]  +  hold_weight * sum_c slot * n[c]
 * i.e. the expected uncovered minutes per day (each past day equally likely)
 * against the minutes held. It is a newsvendor per cell, coupled by the group
 * budgets; sweeping hold_weight traces the trade-off (the frontier).
 */
#ifndef HW_RESERVE_H
#define HW_RESERVE_H

#include <stdint.h>

typedef struct hw_reserve_cell {
  int32_t group;              /* budget group, 0..n_groups-1 */
  int32_t max_minutes;        /* most that can be held (>= 0) */
  int32_t n_samples;          /* past days observed (>= 1) */
  const int32_t *samples;     /* demand in minutes on each of them (>= 0) */
} hw_reserve_cell;

typedef struct hw_reserve_problem {
  int32_t slot_minutes;       /* what is held comes in slots of this size (>= 1) */
  double miss_weight;         /* cost of a demanded minute not held (> 0) */
  double hold_weight;         /* cost of a minute held (>= 0) */
  const hw_reserve_cell *cells;
  int32_t n_cells;
  const int32_t *group_budget; /* minutes per group over its cells; < 0 = no limit */
  int32_t n_groups;
} hw_reserve_problem;

typedef struct hw_reserve_result {
  int32_t *minutes;           /* per cell: minutes to hold (a multiple of the slot) */
  int32_t n_cells;
  double held;                /* sum of minutes */
  double expected_demand;     /* sum over cells of the mean sampled demand */
  double expected_uncovered;  /* sum over cells of the mean demand not held */
  int optimal;                /* 1 when GLPK proved the optimum */
} hw_reserve_result;

void hw_reserve_result_init(hw_reserve_result *r);
void hw_reserve_result_free(hw_reserve_result *r);

/* Check p: 0, or HW_EINVAL with "field[i]: why" in msg. */
int hw_reserve_validate(const hw_reserve_problem *p, char *msg, size_t msg_len);

/* Solve p within time_limit_s (<= 0: no limit). Returns 0 with *out filled,
 * HW_EINVAL (see hw_reserve_validate), HW_ENOMEM, HW_ETIMEOUT (no solution in
 * time) or HW_ESOLVER. */
int hw_reserve_solve(const hw_reserve_problem *p, double time_limit_s, hw_reserve_result *out);

#endif
