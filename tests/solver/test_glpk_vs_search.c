/*
 * The heuristic search against the truth: on random 8-10 job roster instances
 * with three resources and hard windows, hw_solve must reach the optimum that
 * the exact MIP (hw_exact_solve) proves. Both solutions are costed by the
 * independent checker, so neither solver grades itself.
 */
#include "glpk_fixtures.h"
#include "hw_check.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

/* Checker's unassigned penalty + total for a solution of p (which must be feasible). */
static int64_t checked_cost(const hw_problem *p, const hw_solution *s) {
  hw_check_report rep;
  HW_CHECK_INT(hw_check(p, s, &rep), ==, 0);
  if (!rep.feasible) fprintf(stderr, "checker: %s\n", rep.messages[0]);
  HW_CHECK(rep.feasible);
  return rep.cost.unassigned_penalty + rep.cost.total;
}

HW_TEST(search_reaches_exact_optimum) {
  for (uint64_t seed = 1; seed <= 5; seed++) {
    hw_problem p;
    fx_make_instance(&p, 300 + seed, seed % 2 ? 8 : 10, 3, 0, -1);
    hw_solution exact, heur;
    hw_solution_init(&exact);
    hw_solution_init(&heur);
    HW_CHECK_INT(hw_exact_solve(&p, 60, &exact), ==, 0);
    hw_solve_params params;
    hw_solve_params_init(&params);
    params.exact_max_jobs = -1; /* the search, not hw_solve's exact path */
    params.time_limit_s = 0;
    params.max_iterations = 20000;
    params.seed = seed;
    HW_CHECK_INT(hw_solve(&p, &params, &heur), ==, 0);
    int64_t want = checked_cost(&p, &exact), got = checked_cost(&p, &heur);
    if (got != want) fprintf(stderr, "instance seed %llu: search %lld, exact %lld\n", (unsigned long long)seed,
                             (long long)got, (long long)want);
    HW_CHECK_INT(got, ==, want);
    hw_solution_free(&exact);
    hw_solution_free(&heur);
    hw_problem_free(&p);
  }
}
