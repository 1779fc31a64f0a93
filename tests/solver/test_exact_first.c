/*
 * hw_solve's exact path: problems of at most HW_EXACT_JOBS jobs are solved by the
 * GLPK MIP first and returned as soon as optimality is proven, instead of being
 * searched until the time limit. Each case gives a 60 s limit and checks that the
 * solve came back without searching (no iterations) with the optimum a brute
 * force finds, the plan passing the independent checker.
 */
#include "glpk_fixtures.h"
#include "hw_check.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

/* Solve with a 60 s limit (and the given exact_max_jobs); checks the plan. */
static void solve_long(const hw_problem *p, int32_t exact_max_jobs, int64_t max_iterations, hw_solution *s) {
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.time_limit_s = 60;
  pr.max_iterations = max_iterations;
  pr.exact_max_jobs = exact_max_jobs;
  hw_solution_init(s);
  HW_CHECK_INT(hw_solve(p, &pr, s), ==, 0);
  hw_check_report rep;
  HW_CHECK_INT(hw_check(p, s, &rep), ==, 0);
  if (!rep.feasible) fprintf(stderr, "checker: %s\n", rep.messages[0]);
  HW_CHECK(rep.feasible);
  HW_CHECK_INT(rep.cost.total, ==, s->cost.total);
}

/* Each resource takes a 30-minute break in [2 h, 3 h]; narrower job windows. */
static void add_breaks(hw_problem *p) {
  for (int k = 0; k < p->n_resources; k++) {
    p->resources[k].n_breaks = 1;
    p->resources[k].breaks[0] = (hw_break_spec){500 + k, {2 * 3600, 3 * 3600}, 1800};
  }
  for (int i = 0; i < p->n_jobs; i++) p->jobs[i].windows[0].end = p->jobs[i].windows[0].start + 2400;
}

HW_TEST(tiny_problem_returns_proven_optimum_without_searching) {
  for (uint64_t seed = 51; seed <= 53; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, seed == 51 ? 2 : 5, 2, 0, -1);
    p.objective = HW_OBJ_VROOM; /* no balance term: the MIP's objective is the plan's */
    fx_best bf = fx_brute_force(&p);
    hw_solution s;
    solve_long(&p, 0, 0, &s);
    HW_CHECK_INT(s.proven_optimal, ==, 1);
    HW_CHECK_INT(s.iterations, ==, 0);
    HW_CHECK_INT(s.solve_ms, <, 30000); /* never the 60 s limit */
    HW_CHECK_INT(s.cost.total, ==, bf.cost);
    hw_solution_free(&s);
    hw_problem_free(&p);
  }
}

HW_TEST(small_care_problem_with_breaks_and_a_pair_is_solved_exactly) {
  hw_problem p;
  fx_make_instance(&p, 61, 6, 2, 0, 3);
  p.objective = HW_OBJ_VROOM;
  add_breaks(&p);
  fx_best bf = fx_brute_force(&p);
  hw_solution s;
  solve_long(&p, 0, 0, &s);
  HW_CHECK_INT(s.proven_optimal, ==, 1);
  HW_CHECK_INT(s.iterations, ==, 0);
  HW_CHECK_INT(s.cost.total, ==, bf.cost);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(roster_problem_is_polished_briefly_not_searched_to_the_limit) {
  hw_problem p;
  fx_make_instance(&p, 71, 5, 2, 0, -1); /* the roster objective: balance is not in the MIP */
  hw_solution mip, s;
  hw_solution_init(&mip);
  HW_CHECK_INT(hw_exact_solve(&p, 30, &mip), ==, 0);
  solve_long(&p, 0, 0, &s);
  HW_CHECK_INT(s.proven_optimal, ==, 0);
  HW_CHECK_INT(s.iterations, <=, 1000);
  HW_CHECK_INT(s.solve_ms, <, 30000);
  HW_CHECK_INT(s.cost.total, <=, mip.cost.total);
  hw_solution_free(&mip);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(exact_first_can_be_turned_off_and_ends_at_the_exact_limit) {
  hw_problem p;
  fx_make_instance(&p, 81, 5, 2, 0, -1);
  p.objective = HW_OBJ_VROOM;
  hw_solution s;
  solve_long(&p, -1, 300, &s); /* off: the search runs its 300 iterations */
  HW_CHECK_INT(s.proven_optimal, ==, 0);
  HW_CHECK_INT(s.iterations, ==, 300);
  hw_solution_free(&s);
  solve_long(&p, 4, 300, &s); /* 5 jobs is beyond a limit of 4 */
  HW_CHECK_INT(s.iterations, ==, 300);
  hw_solution_free(&s);
  hw_problem_free(&p);
}
