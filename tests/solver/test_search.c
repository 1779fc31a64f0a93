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
  hw_construct(&s, 3, NULL);
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
    if (it % 30 == 0) {
      hw_solution sol;
      hw_solution_init(&sol);
      HW_CHECK_INT(hw_state_to_solution(&s, &sol), ==, 0);
      check_feasible(&p, &sol);
      HW_CHECK_INT(sol.cost.total, ==, hw_state_cost(&s));
      hw_solution_free(&sol);
    }
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
