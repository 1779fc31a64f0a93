/*
 * Tests of the search (hw_solve, hw_insert_jobs) and of problem validation, on small
 * problems built here: every final solution goes through the independent checker
 * (hw_check), and the operators are run step by step with a validation after each.
 */
#include <math.h>
#include <pthread.h>

#include "hw_check.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"
#include "search.h"

/* n_jobs random jobs on a 100x100 grid (location 0 = depot at the centre), n_res
 * resources based at the depot, shift [0, 1000]; windows of width 100..300. */
static void random_problem(hw_problem *p, int32_t n_jobs, int32_t n_res, uint64_t seed) {
  hw_problem_init(p);
  HW_CHECK_INT(hw_problem_alloc(p, n_jobs + 1, 1, n_res, n_jobs, 0), ==, 0);
  hw_rng rng = {seed};
  double x[256], y[256];
  x[0] = y[0] = 50;
  for (int32_t i = 1; i <= n_jobs; i++) {
    x[i] = hw_rng_unit(&rng) * 100;
    y[i] = hw_rng_unit(&rng) * 100;
  }
  for (int32_t a = 0; a <= n_jobs; a++)
    for (int32_t b = 0; b <= n_jobs; b++)
      p->durations[0][a * (n_jobs + 1) + b] = (hw_tick)ceil(hypot(x[a] - x[b], y[a] - y[b]));
  for (int32_t r = 0; r < n_res; r++) {
    p->resources[r].id = 100 + r;
    p->resources[r].start_loc = p->resources[r].end_loc = 0;
    p->resources[r].shift = (hw_window){0, 1000};
    p->resources[r].capacity = 100;
  }
  for (int32_t j = 0; j < n_jobs; j++) {
    hw_job *job = &p->jobs[j];
    job->id = j + 1;
    job->loc = j + 1;
    job->service = 10;
    job->demand = 5 + hw_rng_below(&rng, 10);
    hw_tick s = 80 + hw_rng_below(&rng, 600);
    job->windows[0] = (hw_window){s, s + 100 + hw_rng_below(&rng, 200)};
  }
  p->objective = HW_OBJ_DISTANCE;
}

static void solve_iters(const hw_problem *p, int64_t iters, uint64_t seed, hw_solution *s) {
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1; /* the search itself, not the exact path */
  pr.time_limit_s = 0;
  pr.max_iterations = iters;
  pr.seed = seed;
  pr.use_recombination = 0;
  hw_solution_init(s);
  HW_CHECK_INT(hw_solve(p, &pr, s), ==, 0);
}

static void check_feasible(const hw_problem *p, const hw_solution *s) {
  hw_check_report rep;
  HW_CHECK_INT(hw_check(p, s, &rep), ==, 0);
  if (!rep.feasible) hw_test_fail(__FILE__, __LINE__, "infeasible: %s", rep.messages[0]);
}

/* The search state as a solution: checked feasible by hw_check, with the cost the
 * state claims. Returns the solution's unassigned count. */
static int32_t check_state(const hw_problem *p, const hw_state *s) {
  hw_solution sol;
  hw_solution_init(&sol);
  HW_CHECK_INT(hw_state_to_solution(s, &sol), ==, 0);
  check_feasible(p, &sol);
  HW_CHECK_INT(sol.cost.total, ==, hw_state_cost(s));
  int32_t unassigned = sol.n_unassigned;
  hw_solution_free(&sol);
  return unassigned;
}

static const hw_step *find_job(const hw_solution *s, int32_t job, int which, int32_t *resource) {
  for (int32_t r = 0; r < s->n_routes; r++)
    for (int32_t i = 0; i < s->routes[r].n_steps; i++)
      if (s->routes[r].steps[i].kind == HW_STEP_JOB && s->routes[r].steps[i].index == job && which-- == 0) {
        if (resource) *resource = s->routes[r].resource;
        return &s->routes[r].steps[i];
      }
  return NULL;
}

HW_TEST(validate_names_field_and_reason) {
  hw_problem p;
  char msg[256];
  random_problem(&p, 13, 2, 1);
  p.jobs[12].windows[0] = (hw_window){50, 40};
  HW_CHECK_INT(hw_problem_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "jobs[12].windows[0]: end before start");
  p.jobs[12].windows[0] = (hw_window){40, 50};
  p.jobs[3].skills = 4;
  HW_CHECK_INT(hw_problem_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "jobs[3].skills: no resource holds them");
  p.jobs[3].skills = 0;
  hw_problem_free(&p);
  random_problem(&p, 6, 2, 1);
  p.n_links = 1;
  free(p.links);
  p.links = calloc(1, sizeof(hw_link));
  p.links[0] = (hw_link){0, 4, 0, 0};
  p.jobs[4].workers = 2;
  HW_CHECK_INT(hw_problem_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "links[0]: job 4 is double-handed");
  p.jobs[4].workers = 1;
  HW_CHECK_INT(hw_problem_validate(&p, msg, sizeof msg), ==, 0);
  hw_problem_free(&p);
}

HW_TEST(operators_keep_routes_feasible) {
  hw_problem p;
  random_problem(&p, 40, 6, 7);
  hw_ctx c;
  HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
  hw_state s;
  HW_CHECK_INT(hw_state_init(&s, &c, 3), ==, 0);
  HW_CHECK_INT(hw_construct(&s, 3, NULL), ==, 0);
  int32_t removed[64];
  for (int it = 0; it < 300; it++) {
    int32_t n = hw_ruin(&s, removed, 8);
    for (int32_t r = 0; r < s.n_routes; r++) HW_CHECK(s.routes[r].feasible);
    hw_recreate(&s, removed, n, 0.01);
    for (int32_t r = 0; r < s.n_routes; r++) HW_CHECK(s.routes[r].feasible);
    if (it % 50 == 0) {
      hw_local_search(&s);
      for (int32_t r = 0; r < s.n_routes; r++) HW_CHECK(s.routes[r].feasible);
    }
    if (it % 30 == 0) check_state(&p, &s);
  }
  hw_state_free(&s);
  hw_ctx_free(&c);
  hw_problem_free(&p);
}

HW_TEST(solve_serves_all_and_checks_feasible) {
  hw_problem p;
  random_problem(&p, 30, 6, 11);
  hw_solution s;
  solve_iters(&p, 400, 5, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK_INT(s.iterations, ==, 400);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

static int same_routes(const hw_solution *a, const hw_solution *b) {
  if (a->n_routes != b->n_routes || a->cost.total != b->cost.total) return 0;
  for (int32_t r = 0; r < a->n_routes; r++) {
    if (a->routes[r].resource != b->routes[r].resource || a->routes[r].n_steps != b->routes[r].n_steps) return 0;
    for (int32_t i = 0; i < a->routes[r].n_steps; i++)
      if (a->routes[r].steps[i].index != b->routes[r].steps[i].index ||
          a->routes[r].steps[i].start != b->routes[r].steps[i].start)
        return 0;
  }
  return 1;
}

typedef struct solve_arg {
  const hw_problem *p;
  hw_solution s;
} solve_arg;

static void *solve_on_thread(void *arg) {
  solve_arg *a = arg;
  solve_iters(a->p, 300, 9, &a->s);
  return NULL;
}

HW_TEST(same_seed_and_iterations_give_same_routes) {
  hw_problem p;
  random_problem(&p, 35, 6, 21);
  hw_solution a, b;
  solve_iters(&p, 300, 9, &a);
  solve_iters(&p, 300, 9, &b);
  HW_CHECK(same_routes(&a, &b));
  solve_arg arg = {&p, {0}};
  pthread_t th;
  HW_CHECK_INT(pthread_create(&th, NULL, solve_on_thread, &arg), ==, 0);
  pthread_join(th, NULL);
  HW_CHECK(same_routes(&a, &arg.s));
  hw_solution_free(&a);
  hw_solution_free(&b);
  hw_solution_free(&arg.s);
  hw_problem_free(&p);
}

HW_TEST(cancel_returns_best_so_far) {
  hw_problem p;
  random_problem(&p, 30, 6, 4);
  atomic_int cancel = 1;
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1; /* the search itself, not the exact path */
  pr.time_limit_s = 30;
  pr.cancel = &cancel;
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_solve(&p, &pr, &s), ==, 0);
  HW_CHECK_INT(s.iterations, ==, 0);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  check_feasible(&p, &s);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(skills_exclusions_and_pins_are_honoured) {
  hw_problem p;
  random_problem(&p, 20, 4, 8);
  p.resources[1].skills = 1;
  p.jobs[0].skills = 1;                 /* only resource 1 */
  p.jobs[1].n_excluded = 1;             /* never resource 0 */
  p.jobs[1].excluded[0] = 0;
  p.jobs[2].pin_resource = 3;
  p.jobs[2].pin_start = p.jobs[2].windows[0].start + 5;
  hw_solution s;
  solve_iters(&p, 200, 1, &s);
  check_feasible(&p, &s);
  int32_t r0 = -1, r1 = -1, r2 = -1;
  HW_CHECK(find_job(&s, 0, 0, &r0) != NULL);
  HW_CHECK(find_job(&s, 1, 0, &r1) != NULL);
  const hw_step *st = find_job(&s, 2, 0, &r2);
  HW_CHECK(st != NULL);
  HW_CHECK_INT(r0, ==, 1);
  HW_CHECK_INT(r1, !=, 0);
  HW_CHECK_INT(r2, ==, 3);
  HW_CHECK_INT(st->start, ==, p.jobs[2].pin_start);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(double_handed_gets_two_workers_at_once) {
  hw_problem p;
  random_problem(&p, 20, 4, 12);
  p.jobs[5].workers = 2;
  p.jobs[9].workers = 2;
  hw_solution s;
  solve_iters(&p, 300, 2, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  for (int32_t j = 5; j <= 9; j += 4) {
    int32_t ra = -1, rb = -1;
    const hw_step *a = find_job(&s, j, 0, &ra), *b = find_job(&s, j, 1, &rb);
    HW_CHECK(a != NULL && b != NULL);
    HW_CHECK_INT(ra, !=, rb);
    HW_CHECK_INT(a->start, ==, b->start);
  }
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(linked_jobs_keep_their_gap) {
  hw_problem p;
  random_problem(&p, 20, 4, 13);
  p.n_links = 1;
  free(p.links);
  p.links = calloc(1, sizeof(hw_link));
  p.links[0] = (hw_link){2, 7, 30, 60};
  p.jobs[2].windows[0] = (hw_window){100, 400};
  p.jobs[7].windows[0] = (hw_window){100, 500};
  hw_solution s;
  solve_iters(&p, 300, 3, &s);
  check_feasible(&p, &s);
  int32_t ra = -1, rb = -1;
  const hw_step *a = find_job(&s, 2, 0, &ra), *b = find_job(&s, 7, 0, &rb);
  HW_CHECK(a != NULL && b != NULL);
  HW_CHECK_INT(ra, !=, rb);
  HW_CHECK_INT(b->start - a->start, >=, 30);
  HW_CHECK_INT(b->start - a->start, <=, 60);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(breaks_are_placed_in_their_windows) {
  hw_problem p;
  random_problem(&p, 25, 4, 14);
  for (int32_t r = 0; r < 4; r++) {
    p.resources[r].n_breaks = 1;
    p.resources[r].breaks[0] = (hw_break_spec){r, {400, 500}, 30};
  }
  hw_solution s;
  solve_iters(&p, 300, 4, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_routes, >, 0);
  for (int32_t r = 0; r < s.n_routes; r++) {
    int found = 0;
    for (int32_t i = 0; i < s.routes[r].n_steps; i++)
      if (s.routes[r].steps[i].kind == HW_STEP_BREAK) {
        found = 1;
        HW_CHECK_INT(s.routes[r].steps[i].start, >=, 400);
        HW_CHECK_INT(s.routes[r].steps[i].start, <=, 500);
      }
    HW_CHECK(found);
  }
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(unassigned_reasons_for_skill_and_window) {
  hw_problem p;
  random_problem(&p, 10, 3, 15);
  p.resources[0].skills = 1;
  p.resources[1].skills = 2;
  p.jobs[0].skills = 3;                          /* held, but by no single resource */
  p.jobs[1].windows[0] = (hw_window){2000, 2100}; /* after every shift */
  p.jobs[2].workers = 2;
  p.jobs[2].skills = 1;                          /* only resource 0 can: no partner */
  p.objective = HW_OBJ_ROSTER;                   /* jobs may stay unassigned */
  hw_solution s;
  solve_iters(&p, 100, 1, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 3);
  HW_CHECK_INT(s.unassigned[0].job, ==, 0);
  HW_CHECK_STR(hw_unassigned_reason_str(s.unassigned[0].reason), "no_skill");
  HW_CHECK_INT(s.unassigned[1].reason, ==, HW_UNASSIGNED_NO_WINDOW);
  HW_CHECK_INT(s.unassigned[2].reason, ==, HW_UNASSIGNED_NO_PARTNER);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(insert_jobs_fills_a_gap) {
  hw_problem p;
  random_problem(&p, 20, 4, 16);
  hw_solution s;
  solve_iters(&p, 200, 1, &s);
  /* Take job 4 out by hand, as if it had just been referred. */
  int32_t r4 = -1;
  HW_CHECK(find_job(&s, 4, 0, &r4) != NULL);
  for (int32_t r = 0; r < s.n_routes; r++) {
    hw_route *rt = &s.routes[r];
    for (int32_t i = 0; i < rt->n_steps; i++)
      if (rt->steps[i].kind == HW_STEP_JOB && rt->steps[i].index == 4) {
        memmove(&rt->steps[i], &rt->steps[i + 1], (size_t)(rt->n_steps - i - 1) * sizeof(hw_step));
        rt->n_steps--;
        break;
      }
  }
  s.unassigned = realloc(s.unassigned, sizeof(hw_unassigned));
  s.unassigned[0] = (hw_unassigned){4, HW_UNASSIGNED_NO_CAPACITY};
  s.n_unassigned = 1;
  int32_t job = 4;
  HW_CHECK_INT(hw_insert_jobs(&p, &s, &job, 1), ==, 1);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK(find_job(&s, 4, 0, NULL) != NULL);
  check_feasible(&p, &s);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(fleet_limit_is_respected) {
  hw_problem p;
  random_problem(&p, 30, 8, 17);
  p.max_routes = 2;
  p.objective = HW_OBJ_ROSTER;
  hw_solution s;
  solve_iters(&p, 200, 1, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_routes, <=, 2);
  HW_CHECK_INT(s.n_unassigned, >, 0);
  HW_CHECK_STR(hw_unassigned_reason_str(s.unassigned[0].reason), "no_capacity");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(soft_windows_cost_lateness) {
  hw_problem p;
  random_problem(&p, 12, 1, 18);
  p.soft_windows = 1;
  p.objective = HW_OBJ_MANKOWSKA;
  for (int32_t j = 0; j < 12; j++) p.jobs[j].windows[0] = (hw_window){0, 20};
  p.resources[0].capacity = -1;
  hw_solution s;
  solve_iters(&p, 200, 1, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK_INT(s.cost.lateness, >, 0);
  HW_CHECK_INT(s.cost.total, ==, s.cost.travel + s.cost.lateness + s.cost.max_lateness);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

/* ---- local search operators --------------------------------------------------- */

/* Customers on two horizontal lines y = +10 and y = -10 at x = 1..5, depot at the
 * origin, wide windows, capacity 6 of demand 1 each: at the optimum each line is
 * one route (one route for all would be shorter, but capacity forbids it). */
static void two_lines_problem(hw_problem *p) {
  hw_problem_init(p);
  HW_CHECK_INT(hw_problem_alloc(p, 11, 1, 2, 10, 0), ==, 0);
  double x[11] = {0}, y[11] = {0};
  for (int32_t j = 0; j < 10; j++) {
    x[j + 1] = 1 + j % 5;
    y[j + 1] = j < 5 ? 10 : -10;
    p->jobs[j].id = j + 1;
    p->jobs[j].loc = j + 1;
    p->jobs[j].windows[0] = (hw_window){0, 10000};
    p->jobs[j].demand = 1;
  }
  for (int32_t a = 0; a < 11; a++)
    for (int32_t b = 0; b < 11; b++)
      p->durations[0][a * 11 + b] = (hw_tick)lround(100 * hypot(x[a] - x[b], y[a] - y[b]));
  for (int32_t r = 0; r < 2; r++) {
    p->resources[r].id = r + 1;
    p->resources[r].start_loc = p->resources[r].end_loc = 0;
    p->resources[r].shift = (hw_window){0, 10000};
    p->resources[r].capacity = 6;
  }
  p->objective = HW_OBJ_DISTANCE;
}

/* A solution with the given job orders on resources 0 and 1 (times left to the
 * solver: hw_state_from_solution only reads the order). */
static void set_routes(hw_solution *s, const int32_t *r0, int32_t n0, const int32_t *r1, int32_t n1) {
  hw_solution_init(s);
  s->routes = calloc(2, sizeof(hw_route));
  const int32_t *orders[2] = {r0, r1};
  int32_t lens[2] = {n0, n1};
  for (int32_t r = 0; r < 2; r++) {
    if (lens[r] == 0) continue;
    hw_route *rt = &s->routes[s->n_routes++];
    rt->resource = r;
    rt->n_steps = lens[r] + 2;
    rt->steps = calloc((size_t)rt->n_steps, sizeof(hw_step));
    rt->steps[0] = (hw_step){HW_STEP_START, -1, 0, 0};
    for (int32_t i = 0; i < lens[r]; i++) rt->steps[i + 1] = (hw_step){HW_STEP_JOB, orders[r][i], 0, 0};
    rt->steps[lens[r] + 1] = (hw_step){HW_STEP_END, -1, 0, 0};
  }
}

/* Local search with the given moves (HW_LS_*) from a given solution; returns the
 * cost after, checks feasibility, that the cost never rose and that the state
 * agrees with the checker. */
static int64_t improve_from(const hw_problem *p, const hw_solution *start, uint32_t moves) {
  hw_ctx c;
  HW_CHECK_INT(hw_ctx_build(&c, p, NULL, 0, 1), ==, 0);
  hw_state s;
  HW_CHECK_INT(hw_state_init(&s, &c, 5), ==, 0);
  HW_CHECK_INT(hw_state_from_solution(&s, start), ==, 0);
  int64_t before = hw_state_cost(&s);
  s.ls_moves = moves;
  hw_local_search(&s);
  int64_t after = hw_state_cost(&s);
  HW_CHECK_INT(after, <=, before);
  for (int32_t r = 0; r < s.n_routes; r++) HW_CHECK(s.routes[r].feasible);
  hw_solution out;
  hw_solution_init(&out);
  HW_CHECK_INT(hw_state_to_solution(&s, &out), ==, 0);
  check_feasible(p, &out);
  HW_CHECK_INT(out.cost.total, ==, after);
  hw_solution_free(&out);
  hw_state_free(&s);
  hw_ctx_free(&c);
  return after;
}

/* From two routes that each switch line halfway, exchanging the tails gives the
 * optimum: 2-opt* alone must find it, and all moves together too. */
static void check_crossed_tails_untangle(const hw_problem *p) {
  int32_t a[] = {0, 1, 2, 8, 9}, b[] = {5, 6, 7, 3, 4};
  hw_solution start;
  set_routes(&start, a, 5, b, 5);
  int32_t top[] = {0, 1, 2, 3, 4}, bottom[] = {5, 6, 7, 8, 9};
  hw_solution best;
  set_routes(&best, top, 5, bottom, 5);
  hw_solution_evaluate(p, &start);
  hw_solution_evaluate(p, &best);
  HW_CHECK_INT(start.cost.total, >, best.cost.total);
  HW_CHECK_INT(improve_from(p, &start, HW_LS_2OPT_STAR), ==, best.cost.total);
  HW_CHECK_INT(improve_from(p, &start, HW_LS_ALL), ==, best.cost.total);
  hw_solution_free(&start);
  hw_solution_free(&best);
}

HW_TEST(two_opt_star_untangles_crossed_tails) {
  hw_problem p;
  two_lines_problem(&p);
  check_crossed_tails_untangle(&p);
  hw_problem_free(&p);
}

/* The same crossed tails, each route now with a break (same window and duration
 * on both resources) that the state puts at its end, inside the tails: 2-opt*
 * exchanges them with each route keeping its own break. */
HW_TEST(two_opt_star_swaps_tails_that_hold_matching_breaks) {
  hw_problem p;
  two_lines_problem(&p);
  for (int32_t r = 0; r < 2; r++) {
    p.resources[r].n_breaks = 1;
    p.resources[r].breaks[0] = (hw_break_spec){10 + r, {0, 10000}, 50};
  }
  check_crossed_tails_untangle(&p);
  hw_problem_free(&p);
}

HW_TEST(intra_route_moves_sort_a_zigzag_route) {
  hw_problem p;
  two_lines_problem(&p);
  /* One line's customers visited out of order, the other line in order. */
  int32_t a[] = {2, 0, 4, 1, 3}, b[] = {5, 6, 7, 8, 9};
  hw_solution start;
  set_routes(&start, a, 5, b, 5);
  int32_t top[] = {0, 1, 2, 3, 4};
  hw_solution best;
  set_routes(&best, top, 5, b, 5);
  hw_solution_evaluate(&p, &best);
  HW_CHECK_INT(improve_from(&p, &start, HW_LS_INTRA), ==, best.cost.total);
  hw_solution_free(&start);
  hw_solution_free(&best);
  hw_problem_free(&p);
}

HW_TEST(swap_and_or_opt_move_strays_home) {
  hw_problem p;
  two_lines_problem(&p);
  /* Two customers sit on the wrong line's route; a string of two as well. */
  int32_t a[] = {0, 7, 2, 3, 4}, b[] = {5, 6, 1, 8, 9};
  hw_solution start;
  set_routes(&start, a, 5, b, 5);
  int32_t top[] = {0, 1, 2, 3, 4}, bottom[] = {5, 6, 7, 8, 9};
  hw_solution best;
  set_routes(&best, top, 5, bottom, 5);
  hw_solution_evaluate(&p, &best);
  HW_CHECK_INT(improve_from(&p, &start, HW_LS_SWAP | HW_LS_INTRA), ==, best.cost.total);
  hw_solution_free(&start);
  int32_t c[] = {0, 1, 7, 8, 2, 3}, d[] = {5, 6, 4, 9};
  set_routes(&start, c, 6, d, 4);
  HW_CHECK_INT(improve_from(&p, &start, HW_LS_OR_OPT | HW_LS_INTRA), ==, best.cost.total);
  hw_solution_free(&start);
  hw_solution_free(&best);
  hw_problem_free(&p);
}

/* random_problem with what a care roster has: breaks, skills, double-handed and
 * linked visits, preferences, the roster objective. */
static void care_problem(hw_problem *p, int32_t n_jobs, int32_t n_res, uint64_t seed) {
  random_problem(p, n_jobs, n_res, seed);
  p->objective = HW_OBJ_ROSTER;
  for (int32_t r = 0; r < n_res; r++) {
    p->resources[r].n_breaks = 1;
    p->resources[r].breaks[0] = (hw_break_spec){r, {300 + 20 * r, 500 + 20 * r}, 30};
    p->resources[r].skills = r % 2 ? 1 : 3;
    p->resources[r].capacity = -1;
  }
  for (int32_t j = 0; j < n_jobs; j++) {
    if (j % 7 == 3) p->jobs[j].workers = 2;
    if (j % 5 == 1) p->jobs[j].skills = 2;
    if (j % 6 == 2) {
      p->jobs[j].n_preferred = 1;
      p->jobs[j].preferred[0] = j % n_res;
    }
  }
}

HW_TEST(local_search_keeps_care_routes_feasible) {
  for (uint64_t seed = 1; seed <= 4; seed++) {
    hw_problem p;
    care_problem(&p, 40, 6, seed);
    hw_ctx c;
    HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
    hw_state s;
    HW_CHECK_INT(hw_state_init(&s, &c, seed), ==, 0);
    HW_CHECK_INT(hw_construct(&s, 2, NULL), ==, 0);
    int32_t removed[64];
    for (int it = 0; it < 40; it++) {
      int32_t n = hw_ruin(&s, removed, 8);
      hw_recreate(&s, removed, n, 0.01);
      int64_t before = hw_state_cost(&s);
      int32_t tasks[128], nt = 0;
      for (int32_t k = 0; k < n; k++)
        for (int i = 0; i < 2; i++)
          if (c.unit_task[2 * removed[k] + i] >= 0) tasks[nt++] = c.unit_task[2 * removed[k] + i];
      hw_local_search_tasks(&s, tasks, nt);
      HW_CHECK_INT(hw_state_cost(&s), <=, before);
      for (int32_t r = 0; r < s.n_routes; r++) HW_CHECK(s.routes[r].feasible);
    }
    check_state(&p, &s);
    hw_state_free(&s);
    hw_ctx_free(&c);
    hw_problem_free(&p);
  }
}

/* Two threads exchange their best plans ten times over the budget (each adopts
 * the other's when it is better, and pools its routes): the plan returned is
 * still feasible (states copied across threads stay consistent), and both
 * threads' iterations are counted. */
HW_TEST(parallel_searches_share_their_best_and_stay_feasible) {
  hw_problem p;
  care_problem(&p, 40, 6, 5);
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1;
  pr.time_limit_s = 0;
  pr.max_iterations = 3000;
  pr.seed = 4;
  pr.threads = 2;
  hw_solution two;
  hw_solution_init(&two);
  HW_CHECK_INT(hw_solve(&p, &pr, &two), ==, 0);
  check_feasible(&p, &two);
  HW_CHECK_INT(two.iterations, ==, 2 * 3000);
  hw_solution_free(&two);
  hw_problem_free(&p);
}

/* ---- recombination ------------------------------------------------------------ */

HW_TEST(recombination_is_feasible_and_deterministic) {
  hw_problem p;
  random_problem(&p, 20, 5, 31);
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1; /* the search itself, not the exact path */
  pr.time_limit_s = 0;
  pr.max_iterations = 2050; /* one set-partitioning round (every 2000 iterations) */
  pr.seed = 3;
  pr.use_recombination = 1;
  hw_solution a, b;
  hw_solution_init(&a);
  hw_solution_init(&b);
  HW_CHECK_INT(hw_solve(&p, &pr, &a), ==, 0);
  HW_CHECK_INT(hw_solve(&p, &pr, &b), ==, 0);
  check_feasible(&p, &a);
  HW_CHECK_INT(a.n_unassigned, ==, 0);
  HW_CHECK(same_routes(&a, &b));
  HW_CHECK_INT(a.cost.total, ==, b.cost.total);
  hw_solution_free(&a);
  hw_solution_free(&b);
  hw_problem_free(&p);
}

HW_TEST(set_partitioning_never_worsens_the_best) {
  hw_problem p;
  random_problem(&p, 40, 8, 32);
  hw_ctx c;
  HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
  HW_CHECK(hw_recombinable(&c));
  hw_state s, best;
  HW_CHECK_INT(hw_state_init(&s, &c, 7), ==, 0);
  HW_CHECK_INT(hw_state_init(&best, &c, 7), ==, 0);
  HW_CHECK_INT(hw_construct(&s, 2, NULL), ==, 0);
  hw_state_copy(&best, &s);
  int64_t best_cost = hw_state_cost(&s);
  hw_pool pool;
  memset(&pool, 0, sizeof pool);
  hw_pool_reset(&pool, &s);
  int32_t removed[64];
  for (int it = 0; it < 300; it++) { /* a random walk feeding the pool */
    int32_t n = hw_ruin(&s, removed, 8);
    hw_recreate(&s, removed, n, 0.05);
    hw_pool_add(&pool, &s, 0);
    if (hw_state_cost(&s) < best_cost) {
      best_cost = hw_state_cost(&s);
      hw_state_copy(&best, &s);
    }
  }
  hw_pool_add(&pool, &best, 0);
  HW_CHECK_INT(pool.n, >, best.used_routes);
  HW_CHECK_INT(hw_state_copy(&s, &best), ==, 0);
  HW_CHECK_INT(hw_recombine(&pool, &s, 5.0), ==, 1);
  HW_CHECK_INT(hw_state_cost(&s), <=, best_cost);
  HW_CHECK_INT(check_state(&p, &s), ==, 0);
  hw_pool_free(&pool);
  hw_state_free(&s);
  hw_state_free(&best);
  hw_ctx_free(&c);
  hw_problem_free(&p);
}

/* Care routes (a break on every resource, double-handed visits, skills and
 * preferences): the pool keeps breaks, windows and the pairs' starts, and the
 * partition rebuilt from it is feasible (pairs on two routes at one start, each
 * break in its window: hw_check), serves the pairs, and is never worse; every
 * route, used or not, still holds its resource's breaks (a resource left out of
 * the partition may be given visits later). */
HW_TEST(set_partitioning_recombines_care_routes_with_breaks_and_pairs) {
  for (uint64_t seed = 1; seed <= 3; seed++) {
    hw_problem p;
    care_problem(&p, 40, 9, seed);
    hw_ctx c;
    HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
    HW_CHECK(c.has_breaks && c.has_pairs && hw_recombinable(&c));
    hw_state s, best;
    HW_CHECK_INT(hw_state_init(&s, &c, seed), ==, 0);
    HW_CHECK_INT(hw_state_init(&best, &c, seed), ==, 0);
    HW_CHECK_INT(hw_construct(&s, 2, NULL), ==, 0);
    hw_state_copy(&best, &s);
    int64_t best_cost = hw_state_cost(&s);
    hw_pool pool;
    memset(&pool, 0, sizeof pool);
    hw_pool_reset(&pool, &s);
    int32_t removed[64];
    for (int it = 0; it < 300; it++) {
      int32_t n = hw_ruin(&s, removed, 8);
      hw_recreate(&s, removed, n, 0.05);
      hw_pool_add(&pool, &s, 0);
      if (hw_state_cost(&s) < best_cost) {
        best_cost = hw_state_cost(&s);
        hw_state_copy(&best, &s);
      }
    }
    hw_pool_add(&pool, &best, 0);
    HW_CHECK_INT(hw_state_copy(&s, &best), ==, 0);
    HW_CHECK_INT(hw_recombine(&pool, &s, 10.0), ==, 1);
    HW_CHECK_INT(hw_state_cost(&s), <=, best_cost);
    HW_CHECK_INT(check_state(&p, &s), ==, 0);
    int32_t pairs_served = 0, unused = 0;
    for (int32_t u = 0; u < c.n_units; u++) pairs_served += c.unit_task[2 * u + 1] >= 0 && !s.unassigned[u];
    HW_CHECK_INT(pairs_served, >, 0);
    for (int32_t r = 0; r < s.n_routes; r++) {
      int32_t breaks = 0;
      for (int32_t i = 1; i <= s.routes[r].n; i++) breaks += HW_NODE_IS_BREAK(s.routes[r].node[i]);
      HW_CHECK_INT(breaks, ==, p.resources[s.routes[r].res].n_breaks);
      unused += s.routes[r].n_tasks == 0;
    }
    HW_CHECK_INT(unused, >, 0); /* the case the breaks check is for */
    hw_pool_free(&pool);
    hw_state_free(&s);
    hw_state_free(&best);
    hw_ctx_free(&c);
    hw_problem_free(&p);
  }
}

/* ---- scale ---------------------------------------------------------------------- */

HW_TEST(granular_construction_serves_a_large_problem) {
  /* 600 visits on a 30 x 20 grid (over HW_GRANULAR_TASKS: no regret matrix) and 60
   * workers with breaks; every 10th visit double-handed. */
  const int32_t n = 600, nr = 60;
  hw_problem p;
  hw_problem_init(&p);
  HW_CHECK_INT(hw_problem_alloc(&p, n + 1, 1, nr, n, 0), ==, 0);
  p.objective = HW_OBJ_ROSTER;
  for (int32_t a = 0; a <= n; a++)
    for (int32_t b = 0; b <= n; b++) {
      double xa = a == 0 ? 15 : (a - 1) % 30, ya = a == 0 ? 10 : (a - 1) / 30;
      double xb = b == 0 ? 15 : (b - 1) % 30, yb = b == 0 ? 10 : (b - 1) / 30;
      p.durations[0][a * (n + 1) + b] = (hw_tick)ceil(60 * hypot(xa - xb, ya - yb));
    }
  for (int32_t r = 0; r < nr; r++) {
    p.resources[r].id = r + 1;
    p.resources[r].start_loc = p.resources[r].end_loc = 0;
    p.resources[r].shift = (hw_window){0, 30000};
    p.resources[r].n_breaks = 1;
    p.resources[r].breaks[0] = (hw_break_spec){1, {12000, 16000}, 1800};
  }
  for (int32_t j = 0; j < n; j++) {
    p.jobs[j].id = j + 1;
    p.jobs[j].loc = j + 1;
    p.jobs[j].service = 900;
    hw_tick s = (hw_tick)(j * 37 % 24000);
    p.jobs[j].windows[0] = (hw_window){s, s + 3600};
    p.jobs[j].workers = j % 10 == 0 ? 2 : 1;
  }
  hw_solution s;
  solve_iters(&p, 50, 1, &s);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK_INT(s.iterations, ==, 50);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

/* Fifteen jobs whose demands fill five vehicles of capacity 100 exactly and in one
 * way only up to swaps of equal sizes ({47,31,22} {43,36,21} {41,33,26} {39,34,27}
 * {45,29,26}); six resources; jobs on a ring around the depot, wide windows. */
static const int32_t packing_demand[15] = {47, 31, 22, 43, 36, 21, 41, 33, 26, 39, 34, 27, 45, 29, 26};

static void packing_problem(hw_problem *p) {
  hw_problem_init(p);
  HW_CHECK_INT(hw_problem_alloc(p, 16, 1, 6, 15, 0), ==, 0);
  double x[16] = {0}, y[16] = {0};
  for (int32_t j = 0; j < 15; j++) {
    double a = 2 * 3.14159265358979 * (double)((j * 7) % 15) / 15.0; /* sizes mixed around the ring */
    x[j + 1] = 10 * cos(a);
    y[j + 1] = 10 * sin(a);
    p->jobs[j].id = j + 1;
    p->jobs[j].loc = j + 1;
    p->jobs[j].service = 10;
    p->jobs[j].windows[0] = (hw_window){0, 100000};
    p->jobs[j].demand = packing_demand[j];
  }
  for (int32_t a = 0; a < 16; a++)
    for (int32_t b = 0; b < 16; b++)
      p->durations[0][a * 16 + b] = (hw_tick)lround(100 * hypot(x[a] - x[b], y[a] - y[b]));
  for (int32_t r = 0; r < 6; r++) {
    p->resources[r].id = r + 1;
    p->resources[r].start_loc = p->resources[r].end_loc = 0;
    p->resources[r].shift = (hw_window){0, 100000};
    p->resources[r].capacity = 100;
  }
  p->objective = HW_OBJ_DISTANCE;
}

/* First-fit decreasing on packing_problem: six routes (loads 92, 84, 75, 98, 82,
 * 69), none of whose jobs fits the others' spare capacity. */
static void first_fit_decreasing(hw_solution *s) {
  static const int32_t bins[6][4] = {{0, 12, -1}, {3, 6, -1}, {9, 4, -1}, {10, 7, 1, -1}, {13, 11, 8, -1}, {14, 2, 5, -1}};
  hw_solution_init(s);
  s->routes = calloc(6, sizeof(hw_route));
  for (int32_t r = 0; r < 6; r++) {
    int32_t n = 0;
    while (n < 4 && bins[r][n] >= 0) n++;
    hw_route *rt = &s->routes[s->n_routes++];
    rt->resource = r;
    rt->n_steps = n + 2;
    rt->steps = calloc((size_t)rt->n_steps, sizeof(hw_step));
    rt->steps[0] = (hw_step){HW_STEP_START, -1, 0, 0};
    for (int32_t i = 0; i < n; i++) rt->steps[i + 1] = (hw_step){HW_STEP_JOB, bins[r][i], 0, 0};
    rt->steps[n + 1] = (hw_step){HW_STEP_END, -1, 0, 0};
  }
}

HW_TEST(fleet_minimisation_packs_what_greedy_emptying_cannot) {
  hw_problem p;
  packing_problem(&p);
  hw_solution ffd;
  first_fit_decreasing(&ffd); /* job orders only: the times are left to the solver */
  /* The greedy emptying of the smallest route is stuck on this solution. */
  hw_ctx c;
  HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
  hw_state st;
  HW_CHECK_INT(hw_state_init(&st, &c, 1), ==, 0);
  HW_CHECK_INT(hw_state_from_solution(&st, &ffd), ==, 0);
  HW_CHECK_INT(st.used_routes, ==, 6);
  HW_CHECK_INT(hw_try_empty_route(&st), ==, 0);
  hw_state_free(&st);
  hw_ctx_free(&c);
  /* Fleet minimisation from it reaches the five vehicles the demands need. */
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1; /* the search itself, not the exact path */
  pr.time_limit_s = 0;
  pr.max_iterations = 2000;
  pr.use_recombination = 0;
  pr.reduce_fleet = 1;
  pr.initial = &ffd;
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_solve(&p, &pr, &s), ==, 0);
  check_feasible(&p, &s);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK_INT(s.n_routes, ==, 5);
  hw_solution_free(&s);
  hw_solution_free(&ffd);
  hw_problem_free(&p);
}

/* Fleet minimisation decides by iterations only when they are capped: same seed,
 * same routes; and it never ends on more routes than it started from. */
HW_TEST(fleet_minimisation_is_deterministic) {
  hw_problem p;
  random_problem(&p, 60, 12, 33);
  hw_solve_params pr;
  hw_solve_params_init(&pr);
  pr.exact_max_jobs = -1; /* the search itself, not the exact path */
  pr.time_limit_s = 0;
  pr.max_iterations = 600;
  pr.seed = 4;
  pr.reduce_fleet = 1;
  hw_solution a, b, plain;
  hw_solution_init(&a);
  hw_solution_init(&b);
  HW_CHECK_INT(hw_solve(&p, &pr, &a), ==, 0);
  HW_CHECK_INT(hw_solve(&p, &pr, &b), ==, 0);
  HW_CHECK(same_routes(&a, &b));
  check_feasible(&p, &a);
  HW_CHECK_INT(a.n_unassigned, ==, 0);
  solve_iters(&p, 1, 4, &plain); /* construction and one iteration: the starting fleet */
  HW_CHECK_INT(a.n_routes, <=, plain.n_routes);
  hw_solution_free(&a);
  hw_solution_free(&b);
  hw_solution_free(&plain);
  hw_problem_free(&p);
}

/* An evening shift (16:00-22:00) with a half-hour break in 18:00-19:30: a first
 * visit far out near the next, whose stop lets the worker travel before the
 * break's window opens; without it the break is taken at the base and the same
 * travel comes after it, so the route is back at 22:06:40. */
static void evening_with_a_break(hw_problem *p) {
  static const hw_tick travel[4][4] = {
      {0, 4000, 4200, 4400}, {4000, 0, 100, 1100}, {4200, 100, 0, 1100}, {4400, 1100, 1100, 0}};
  hw_problem_init(p);
  HW_CHECK_INT(hw_problem_alloc(p, 4, 1, 1, 3, 0), ==, 0);
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++) p->durations[0][a * 4 + b] = travel[a][b];
  hw_resource *res = &p->resources[0];
  res->id = 1;
  res->start_loc = res->end_loc = 0;
  res->shift = (hw_window){57600, 79200};
  res->capacity = -1;
  res->n_breaks = 1;
  res->breaks[0] = (hw_break_spec){1, {64800, 70200}, 1800};
  static const hw_tick service[3] = {600, 2400, 900};
  static const hw_window window[3] = {{57600, 64800}, {70200, 79200}, {70200, 79200}};
  for (int32_t j = 0; j < 3; j++) {
    hw_job *job = &p->jobs[j];
    job->id = j + 1;
    job->loc = j + 1;
    job->service = service[j];
    job->n_windows = 1;
    job->windows[0] = window[j];
    job->workers = 1;
    job->priority = 10;
    job->pin_resource = -1;
    job->pin_start = -1;
  }
  p->objective = HW_OBJ_DISTANCE;
}

/* Ruin takes out any of the three visits at random; a route it leaves
 * infeasible (the first visit gone, the break now at the base) gives up tasks
 * until it is feasible again, so recreate starts from feasible routes. */
HW_TEST(ruin_never_leaves_a_route_that_a_removal_made_infeasible) {
  hw_problem p;
  evening_with_a_break(&p);
  hw_solution start;
  hw_solution_init(&start);
  start.routes = calloc(1, sizeof(hw_route));
  start.n_routes = 1;
  hw_route *rt = &start.routes[0];
  rt->resource = 0;
  rt->n_steps = 6;
  rt->steps = calloc(6, sizeof(hw_step));
  rt->steps[0] = (hw_step){HW_STEP_START, -1, 0, 0};
  rt->steps[1] = (hw_step){HW_STEP_JOB, 0, 0, 0};
  rt->steps[2] = (hw_step){HW_STEP_BREAK, 0, 0, 0};
  rt->steps[3] = (hw_step){HW_STEP_JOB, 1, 0, 0};
  rt->steps[4] = (hw_step){HW_STEP_JOB, 2, 0, 0};
  rt->steps[5] = (hw_step){HW_STEP_END, -1, 0, 0};
  hw_ctx c;
  HW_CHECK_INT(hw_ctx_build(&c, &p, NULL, 0, 1), ==, 0);
  int32_t out[8], first_alone = 0;
  for (uint64_t seed = 1; seed <= 200; seed++) {
    hw_state s;
    HW_CHECK_INT(hw_state_init(&s, &c, seed), ==, 0);
    HW_CHECK_INT(hw_state_from_solution(&s, &start), ==, 0);
    HW_CHECK(s.routes[0].feasible);
    int32_t n = hw_ruin(&s, out, 1.0);
    for (int32_t k = 0; k < n; k++) HW_CHECK(s.unassigned[out[k]]);
    HW_CHECK(s.routes[0].feasible);
    first_alone += n == 2 && s.unassigned[c.task_unit[c.job_task[0]]]; /* the first visit, then one more */
    hw_state_free(&s);
  }
  HW_CHECK(first_alone > 0); /* the case did come up */
  hw_ctx_free(&c);
  hw_solution_free(&start);
  hw_problem_free(&p);
}
