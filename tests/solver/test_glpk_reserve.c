/*
 * Tests of the reserve sizing MIP (hw_reserve.h): the answer equals a brute-force
 * enumeration of every level on random cells, with and without a group budget;
 * a free reserve holds the peak demand; a budget is never exceeded; a
 * partnership's week is proved optimal; bad input names its field.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_reserve.h"
#include "hw_test.h"

/* The objective of holding minutes[c] in each cell. */
static double cost_of(const hw_reserve_problem *p, const int32_t *minutes) {
  double cost = 0;
  for (int32_t c = 0; c < p->n_cells; c++) {
    const hw_reserve_cell *cell = &p->cells[c];
    double short_of = 0;
    for (int32_t k = 0; k < cell->n_samples; k++)
      if (cell->samples[k] > minutes[c]) short_of += cell->samples[k] - minutes[c];
    cost += p->miss_weight * short_of / cell->n_samples + p->hold_weight * minutes[c];
  }
  return cost;
}

/* The least cost over every combination of levels that keeps the budgets. */
static double brute_force(const hw_reserve_problem *p, int32_t *minutes, int32_t c) {
  if (c == p->n_cells) {
    for (int32_t g = 0; g < p->n_groups; g++) {
      int32_t used = 0;
      for (int32_t i = 0; i < p->n_cells; i++) used += p->cells[i].group == g ? minutes[i] : 0;
      if (p->group_budget[g] >= 0 && used > p->group_budget[g]) return 1e300;
    }
    return cost_of(p, minutes);
  }
  double best = 1e300;
  for (int32_t m = 0; m <= p->cells[c].max_minutes; m += p->slot_minutes) {
    minutes[c] = m;
    double v = brute_force(p, minutes, c + 1);
    if (v < best) best = v;
  }
  return best;
}

HW_TEST(equals_brute_force_on_random_cells) {
  unsigned seed = 7;
  for (int trial = 0; trial < 40; trial++) {
    int32_t samples[3][8];
    hw_reserve_cell cells[3];
    int32_t budget[2] = {-1, trial % 2 ? 90 : -1};
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < 8; k++) samples[c][k] = (int32_t)(rand_r(&seed) % 5) * 30;
      cells[c] = (hw_reserve_cell){c == 0 ? 0 : 1, 120, 8, samples[c]};
    }
    hw_reserve_problem p = {.slot_minutes = 30, .miss_weight = 10, .hold_weight = 1.0 + trial % 5,
                            .cells = cells, .n_cells = 3, .group_budget = budget, .n_groups = 2};
    int32_t scratch[3];
    double best = brute_force(&p, scratch, 0);
    hw_reserve_result r;
    hw_reserve_result_init(&r);
    HW_CHECK_INT(hw_reserve_solve(&p, 10, &r), ==, 0);
    HW_CHECK_INT(r.optimal, ==, 1);
    double got = cost_of(&p, r.minutes);
    if (got > best + 1e-6) hw_test_fail(__FILE__, __LINE__, "trial %d: cost %.3f, brute force %.3f", trial, got, best);
    if (budget[1] >= 0) HW_CHECK_INT(r.minutes[1] + r.minutes[2], <=, budget[1]);
    for (int c = 0; c < 3; c++) HW_CHECK_INT(r.minutes[c] % 30, ==, 0);
    hw_reserve_result_free(&r);
  }
}

/* The partnership's weekly sizing: six localities, each a week of four peaks
 * under its own budget, six sampled weeks of demand. Solved as one model GLPK
 * did not prove it in ten minutes; each locality apart is proved at once. */
HW_TEST(six_localities_weeks_are_proved_optimal) {
  enum { GROUPS = 6, CELLS = 6 * 28, SAMPLES = 6 };
  static int32_t samples[CELLS][SAMPLES];
  static hw_reserve_cell cells[CELLS];
  int32_t budget[GROUPS];
  unsigned seed = 11;
  for (int c = 0; c < CELLS; c++) {
    for (int k = 0; k < SAMPLES; k++) samples[c][k] = (int32_t)(rand_r(&seed) % 9) * 15 * (1 + c % 3);
    cells[c] = (hw_reserve_cell){c / 28, 240, SAMPLES, samples[c]};
  }
  for (int g = 0; g < GROUPS; g++) budget[g] = 600 + 120 * g;
  hw_reserve_problem p = {.slot_minutes = 15, .miss_weight = 1.0, .hold_weight = 0.15, .cells = cells,
                          .n_cells = CELLS, .group_budget = budget, .n_groups = GROUPS};
  hw_reserve_result r;
  hw_reserve_result_init(&r);
  HW_CHECK_INT(hw_reserve_solve(&p, 60, &r), ==, 0);
  HW_CHECK_INT(r.optimal, ==, 1);
  for (int g = 0; g < GROUPS; g++) {
    int32_t held = 0;
    for (int c = g * 28; c < (g + 1) * 28; c++) held += r.minutes[c];
    HW_CHECK_INT(held, <=, budget[g]);
  }
  hw_reserve_result_free(&r);
}

HW_TEST(a_free_reserve_holds_the_peak_and_an_expensive_one_nothing) {
  int32_t s[4] = {0, 30, 45, 90};
  hw_reserve_cell cell = {0, 240, 4, s};
  int32_t none = -1;
  hw_reserve_problem p = {.slot_minutes = 15, .miss_weight = 1, .hold_weight = 0, .cells = &cell, .n_cells = 1,
                          .group_budget = &none, .n_groups = 1};
  hw_reserve_result r;
  hw_reserve_result_init(&r);
  HW_CHECK_INT(hw_reserve_solve(&p, 0, &r), ==, 0);
  HW_CHECK_INT(r.minutes[0], ==, 90);
  HW_CHECK(r.expected_uncovered < 1e-9);
  HW_CHECK(r.expected_demand > 41.2 && r.expected_demand < 41.3);
  p.hold_weight = 2; /* a held minute costs more than a missed one */
  HW_CHECK_INT(hw_reserve_solve(&p, 0, &r), ==, 0);
  HW_CHECK_INT(r.minutes[0], ==, 0);
  HW_CHECK(r.expected_uncovered > 41.2);
  hw_reserve_result_free(&r);
}

HW_TEST(bad_input_names_the_field) {
  int32_t s[1] = {-5};
  hw_reserve_cell cell = {0, 60, 1, s};
  int32_t none = -1;
  hw_reserve_problem p = {.slot_minutes = 15, .miss_weight = 1, .hold_weight = 0, .cells = &cell, .n_cells = 1,
                          .group_budget = &none, .n_groups = 1};
  char msg[128];
  HW_CHECK_INT(hw_reserve_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(msg, "cells[0]");
  s[0] = 5;
  cell.group = 3;
  HW_CHECK_INT(hw_reserve_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(msg, "group");
  cell.group = 0;
  p.slot_minutes = 0;
  HW_CHECK_INT(hw_reserve_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(msg, "slot_minutes");
  hw_reserve_result r;
  hw_reserve_result_init(&r);
  HW_CHECK_INT(hw_reserve_solve(&p, 0, &r), ==, HW_EINVAL);
}
