/*
 * Tests of the GLPK harness and the set-partitioning model: known optima by hand
 * and by enumeration, the uncovered penalty, infeasible pools, bad input, a GLPK
 * error caught by the error hook with the process alive, and two threads solving
 * GLPK models at once with exactly the results of sequential runs.
 */
#include <pthread.h>

#include "glpk_env.h"
#include "glpk_fixtures.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

/* A pool given as lists of rows, ended by -1 after each column. */
typedef struct sp_case {
  hw_setpart sp;
  int64_t cost[16];
  int32_t start[17];
  int32_t rows[64];
} sp_case;

static void sp_case_build(sp_case *c, int n_rows, const int64_t *costs, const int32_t *lists) {
  memset(c, 0, sizeof *c);
  int j = 0, e = 0;
  c->start[0] = 0;
  for (const int32_t *l = lists; *l != -2; l++) {
    if (*l == -1) {
      c->cost[j] = costs[j];
      c->start[++j] = e;
    } else {
      c->rows[e++] = *l;
    }
  }
  c->sp.n_rows = n_rows;
  c->sp.n_cols = j;
  c->sp.col_cost = c->cost;
  c->sp.col_start = c->start;
  c->sp.col_rows = c->rows;
  c->sp.time_limit_s = 5;
}

/* Columns A={0,1}:5 B={2,3}:5 C={0,1,2,3}:9 D={0}:2 E={1,2}:3 F={3}:2. */
static void sp_case_six(sp_case *c) {
  static const int64_t costs[] = {5, 5, 9, 2, 3, 2};
  static const int32_t lists[] = {0, 1, -1, 2, 3, -1, 0, 1, 2, 3, -1, 0, -1, 1, 2, -1, 3, -1, -2};
  sp_case_build(c, 4, costs, lists);
}

HW_TEST(setpart_known_optimum) {
  sp_case c;
  sp_case_six(&c);
  uint8_t chosen[6];
  int64_t cost = -1;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 7); /* D + E + F */
  HW_CHECK(!chosen[0] && !chosen[1] && !chosen[2] && chosen[3] && chosen[4] && chosen[5]);
}

HW_TEST(setpart_max_columns_forces_one_column) {
  sp_case c;
  sp_case_six(&c);
  c.sp.max_columns = 1;
  uint8_t chosen[6];
  int64_t cost = -1;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 9);
  HW_CHECK(chosen[2]);
  c.sp.max_columns = 2; /* A + B = 10 beats nothing else with two: C alone is 9 */
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 9);
}

HW_TEST(setpart_uncovered_penalty) {
  /* Rows 0..2, columns {0,1}:4 {1,2}:4; no exact partition exists. Penalties
   * 3,3,1: {0,1} with row 2 uncovered costs 5, the best. */
  sp_case c;
  static const int64_t costs[] = {4, 4};
  static const int32_t lists[] = {0, 1, -1, 1, 2, -1, -2};
  sp_case_build(&c, 3, costs, lists);
  uint8_t chosen[2];
  int64_t cost = -1;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINFEASIBLE);
  static const int64_t penalty[] = {3, 3, 1};
  c.sp.allow_uncovered = 1;
  c.sp.row_penalty = penalty;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 5);
  HW_CHECK(chosen[0] && !chosen[1]);
}

HW_TEST(setpart_infeasible) {
  sp_case c;
  static const int64_t costs[] = {1, 1};
  static const int32_t overlap[] = {0, 1, -1, 1, 2, -1, -2};
  sp_case_build(&c, 3, costs, overlap);
  uint8_t chosen[2];
  int64_t cost;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINFEASIBLE);
  static const int32_t missing_row[] = {0, -1, 1, -1, -2};
  sp_case_build(&c, 3, costs, missing_row); /* row 2 in no column */
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINFEASIBLE);
}

HW_TEST(setpart_rejects_bad_input) {
  sp_case c;
  static const int64_t costs[] = {1, 1};
  static const int32_t dup[] = {0, 0, -1, 1, -1, -2};
  sp_case_build(&c, 2, costs, dup);
  uint8_t chosen[2];
  int64_t cost;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINVAL); /* row 0 twice */
  static const int32_t out_of_range[] = {0, -1, 5, -1, -2};
  sp_case_build(&c, 2, costs, out_of_range);
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINVAL);
  HW_CHECK_INT(hw_setpart_solve(NULL, chosen, &cost), ==, HW_EINVAL);
  sp_case_six(&c);
  c.sp.allow_uncovered = 1; /* without row_penalty */
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, HW_EINVAL);
}

/* Row 0 is a double-handed visit (demand 2), rows 1 and 2 single visits.
 * Columns A = {0 at 5, 1}: 3, B = {0 at 5, 2}: 3, C = {0 at 7, 2}: 1, D = {1}: 4,
 * E = {2}: 4. A + C (cost 4) would serve the visit twice at two different starts;
 * with the tags the two halves must agree: A + B (6). Without row 0's demand of
 * two, A + E (7) or D + C (5) would do. */
HW_TEST(setpart_double_handed_rows_need_two_columns_at_one_start) {
  sp_case c;
  static const int64_t costs[] = {3, 3, 1, 4, 4};
  static const int32_t lists[] = {0, 1, -1, 0, 2, -1, 0, 2, -1, 1, -1, 2, -1, -2};
  static const int64_t tags[] = {5, 0, 5, 0, 7, 0, 0, 0};
  static const int32_t demand[] = {2, 1, 1};
  sp_case_build(&c, 3, costs, lists);
  c.sp.row_demand = demand;
  c.sp.entry_tag = tags;
  uint8_t chosen[5];
  int64_t cost = -1;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 6);
  HW_CHECK(chosen[0] && chosen[1] && !chosen[2] && !chosen[3] && !chosen[4]);
  /* Uncovered allowed: leaving the visit out (penalty 1) still needs D + E for
   * rows 1 and 2 (9 in all); C alone would be half a visit, which is not allowed:
   * A + B (6) stays the best. */
  static const int64_t penalty[] = {1, 100, 100};
  c.sp.allow_uncovered = 1;
  c.sp.row_penalty = penalty;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 6);
  /* Without tags the cheapest two columns on row 0 are A + C. */
  c.sp.entry_tag = NULL;
  c.sp.allow_uncovered = 0;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, 4);
  HW_CHECK(chosen[0] && chosen[2]);
}

HW_TEST(setpart_matches_enumeration) {
  for (uint64_t seed = 1; seed <= 8; seed++) {
    hw_setpart sp;
    int64_t cost[20];
    int32_t start[21], rows[20 * 6];
    fx_make_pool(&sp, seed, 6, 14, cost, start, rows);
    uint8_t chosen[20];
    int64_t got = -1;
    HW_CHECK_INT(hw_setpart_solve(&sp, chosen, &got), ==, 0);
    HW_CHECK_INT(got, ==, fx_pool_brute_force(&sp));
  }
}

HW_TEST(setpart_huge_costs_stay_exact) {
  /* Costs near 2^60 are scaled for GLPK; the reported cost is exact int64. */
  sp_case c;
  static const int64_t costs[] = {(1LL << 60) + 7, (1LL << 59) + 3, (1LL << 59) + (1LL << 58)};
  static const int32_t lists[] = {0, 1, -1, 0, -1, 1, -1, -2};
  sp_case_build(&c, 2, costs, lists);
  uint8_t chosen[3];
  int64_t cost = -1;
  HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
  HW_CHECK_INT(cost, ==, (1LL << 60) + 7); /* not the rounded double 2^60 + 8 */
  HW_CHECK(chosen[0] && !chosen[1] && !chosen[2]);
}

HW_TEST(error_hook_returns_esolver_and_process_lives) {
  for (int round = 0; round < 3; round++) {
    HW_CHECK_INT(hw_glpk_provoke_error(), ==, HW_ESOLVER);
    HW_CHECK_CONTAINS(hw_glpk_last_error(), "glp_set_row_bnds");
    /* The thread's GLPK works again straight after the error. */
    sp_case c;
    sp_case_six(&c);
    uint8_t chosen[6];
    int64_t cost = -1;
    HW_CHECK_INT(hw_setpart_solve(&c.sp, chosen, &cost), ==, 0);
    HW_CHECK_INT(cost, ==, 7);
  }
}

static int inner_body(void *ctx) {
  (void)ctx;
  return 0;
}

static int nested_body(void *ctx) {
  int *inner = ctx;
  *inner = hw_glpk_run(inner_body, NULL);
  return 0;
}

HW_TEST(harness_refuses_nesting) {
  int inner = 1;
  HW_CHECK_INT(hw_glpk_run(nested_body, &inner), ==, 0);
  HW_CHECK_INT(inner, ==, HW_EINTERNAL);
  HW_CHECK_INT(hw_glpk_run(inner_body, NULL), ==, 0); /* and the harness is free again */
}

HW_TEST(glpk_environment_is_thread_local) {
  /* Debian's GLPK 5.0 is built with _Thread_local environments; the harness
   * would serialise otherwise, and the concurrency test below holds either way. */
  HW_CHECK_INT(hw_glpk_thread_local(), ==, 1);
}

/* ---- Concurrency ------------------------------------------------------------ */

#define TH_ROUNDS 6

typedef struct th_work {
  int64_t setpart[TH_ROUNDS];
  int64_t exact[TH_ROUNDS];
  int failures;
} th_work;

static void th_run(th_work *w, uint64_t salt) {
  for (int r = 0; r < TH_ROUNDS; r++) {
    hw_setpart sp;
    int64_t cost[20];
    int32_t start[21], rows[20 * 6];
    fx_make_pool(&sp, 100 + (uint64_t)r + salt, 6, 14, cost, start, rows);
    uint8_t chosen[20];
    if (hw_setpart_solve(&sp, chosen, &w->setpart[r]) != 0) w->failures++;
    hw_problem p;
    fx_make_instance(&p, 200 + (uint64_t)r + salt, 5, 2, r % 2, -1);
    hw_solution s;
    hw_solution_init(&s);
    if (hw_exact_solve(&p, 20, &s) != 0) w->failures++;
    w->exact[r] = s.cost.total + s.cost.unassigned_penalty;
    hw_solution_free(&s);
    hw_problem_free(&p);
    /* An error caught mid-run must not disturb the other thread's models. */
    if (r == TH_ROUNDS / 2 && hw_glpk_provoke_error() != HW_ESOLVER) w->failures++;
  }
}

static void *th_main(void *arg) {
  th_run(arg, 0);
  return NULL;
}

HW_TEST(two_threads_match_sequential) {
  th_work seq, a, b;
  memset(&seq, 0, sizeof seq);
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  th_run(&seq, 0);
  HW_CHECK_INT(seq.failures, ==, 0);
  pthread_t ta, tb;
  HW_CHECK_INT(pthread_create(&ta, NULL, th_main, &a), ==, 0);
  HW_CHECK_INT(pthread_create(&tb, NULL, th_main, &b), ==, 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  HW_CHECK_INT(a.failures, ==, 0);
  HW_CHECK_INT(b.failures, ==, 0);
  for (int r = 0; r < TH_ROUNDS; r++) {
    HW_CHECK_INT(a.setpart[r], ==, seq.setpart[r]);
    HW_CHECK_INT(b.setpart[r], ==, seq.setpart[r]);
    HW_CHECK_INT(a.exact[r], ==, seq.exact[r]);
    HW_CHECK_INT(b.exact[r], ==, seq.exact[r]);
  }
}
