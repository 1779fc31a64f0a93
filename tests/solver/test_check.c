/*
 * Tests of the independent checker (solver/check.c): a hand-built valid solution
 * passes with the right recomputed cost, and each rule of hw_problem.h, broken on
 * purpose one at a time, is detected with a message naming what is wrong.
 */
#include <math.h>

#include "hw_check.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

/* Depot 0 and two clients: 0-1 and 0-2 take 10 ticks, 1-2 takes 5.
 * Resources 0 (id 7) and 1 (id 8): shift [0, 1000], capacity 10.
 * Jobs 0 (id 101) at 1, window [0, 100], and 1 (id 102) at 2, window [20, 200];
 * both 5 ticks of service and demand 3. */
static void make_problem(hw_problem *p) {
  hw_problem_init(p);
  HW_CHECK_INT(hw_problem_alloc(p, 3, 1, 2, 2, 0), ==, 0);
  const hw_tick d[9] = {0, 10, 10, 10, 0, 5, 10, 5, 0};
  memcpy(p->durations[0], d, sizeof d);
  for (int r = 0; r < 2; r++) {
    p->resources[r].id = 7 + r;
    p->resources[r].start_loc = p->resources[r].end_loc = 0;
    p->resources[r].shift = (hw_window){0, 1000};
    p->resources[r].capacity = 10;
  }
  for (int j = 0; j < 2; j++) {
    p->jobs[j].id = 101 + j;
    p->jobs[j].loc = 1 + j;
    p->jobs[j].service = 5;
    p->jobs[j].demand = 3;
  }
  p->jobs[0].windows[0] = (hw_window){0, 100};
  p->jobs[1].windows[0] = (hw_window){20, 200};
}

static hw_step step(hw_step_kind k, int32_t index, hw_tick arrival, hw_tick start) {
  return (hw_step){k, index, arrival, start};
}

/* Add a route with the given steps to s. */
static void add_route(hw_solution *s, int32_t resource, const hw_step *steps, int32_t n) {
  s->routes = realloc(s->routes, (size_t)(s->n_routes + 1) * sizeof *s->routes);
  HW_CHECK(s->routes);
  hw_route *r = &s->routes[s->n_routes++];
  r->resource = resource;
  r->n_steps = n;
  r->steps = malloc((size_t)n * sizeof *steps);
  HW_CHECK(r->steps);
  memcpy(r->steps, steps, (size_t)n * sizeof *steps);
}

static void add_unassigned(hw_solution *s, int32_t job) {
  s->unassigned = realloc(s->unassigned, (size_t)(s->n_unassigned + 1) * sizeof *s->unassigned);
  HW_CHECK(s->unassigned);
  s->unassigned[s->n_unassigned++] = (hw_unassigned){job, HW_UNASSIGNED_NO_CAPACITY};
}

/* Resource 0 serves job 0 then job 1: leaves 0, at 1 by 10, at 2 by 20, home by 35. */
static void make_valid(hw_solution *s) {
  hw_solution_init(s);
  const hw_step st[4] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_JOB, 1, 20, 20),
                         step(HW_STEP_END, -1, 35, 35)};
  add_route(s, 0, st, 4);
}

/* Check s against p: infeasible, with a message containing `needle`. */
static void expect_violation(const hw_problem *p, const hw_solution *s, const char *needle) {
  hw_check_report r;
  HW_CHECK_INT(hw_check(p, s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 0);
  HW_CHECK_INT(r.n_violations, >=, 1);
  for (int i = 0; i < r.n_violations && i < HW_CHECK_MAX_MESSAGES; i++)
    if (strstr(r.messages[i], needle)) return;
  HW_CHECK_CONTAINS(r.messages[0], needle);
}

HW_TEST(valid_solution_passes) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  HW_CHECK_INT(r.n_violations, ==, 0);
  HW_CHECK_INT(r.cost.travel, ==, 25);
  HW_CHECK_INT(r.cost.total, ==, 25);
  HW_CHECK(fabs(r.distance - 25.0) < 1e-9);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(waiting_is_allowed) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  s.routes[0].steps[2].start = 50; /* waits at job 102 */
  s.routes[0].steps[3].arrival = 65;
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(route_must_start_and_end) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  s.routes[0].steps[0].kind = HW_STEP_JOB;
  s.routes[0].steps[0].index = 0;
  expect_violation(&p, &s, "must begin with a start step");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(arrival_before_travel_done) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  s.routes[0].steps[2].arrival = 17; /* 10 + 5 service + 5 travel = 20 */
  s.routes[0].steps[2].start = 20;
  expect_violation(&p, &s, "step 2: arrives at 17, before it can (20)");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(start_before_arrival) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  s.routes[0].steps[1].start = 8;
  expect_violation(&p, &s, "starts at 8 before arriving at 10");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(hard_window_end) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[0].windows[0].end = 9;
  expect_violation(&p, &s, "job 101: starts at 10 after its window closes at 9");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(before_window_start) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[1].windows[0].start = 30;
  expect_violation(&p, &s, "job 102: starts at 20 before its window opens at 30");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(soft_window_counts_lateness) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.soft_windows = 1;
  p.objective = HW_OBJ_MANKOWSKA;
  p.jobs[0].windows[0].end = 4;  /* 6 late */
  p.jobs[1].windows[0].end = 18; /* 2 late */
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  HW_CHECK_INT(r.cost.lateness, ==, 8);
  HW_CHECK_INT(r.cost.max_lateness, ==, 6);
  HW_CHECK_INT(r.cost.total, ==, 25 + 8 + 6);
  HW_CHECK(fabs(r.objective - (25.0 + 8 + 6) / 3.0) < 1e-9);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(shift_start_and_end) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.resources[0].shift = (hw_window){0, 30};
  expect_violation(&p, &s, "back at 35 after its shift ends at 30");
  p.resources[0].shift = (hw_window){1, 1000};
  expect_violation(&p, &s, "leaves at 0 before its shift starts at 1");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(breaks_once_inside_window) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.resources[0].n_breaks = 1;
  p.resources[0].breaks[0] = (hw_break_spec){55, {15, 16}, 3};
  expect_violation(&p, &s, "break 55 taken 0 times");
  hw_solution_free(&s);
  /* Break after job 101: 15..18, then job 102 at 23 (travel 5 from where it was). */
  const hw_step st[5] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_BREAK, 0, 15, 15),
                         step(HW_STEP_JOB, 1, 23, 23), step(HW_STEP_END, -1, 38, 38)};
  hw_solution_init(&s);
  add_route(&s, 0, st, 5);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  s.routes[0].steps[3].arrival = 21; /* as if the break took no time */
  s.routes[0].steps[3].start = 21;
  expect_violation(&p, &s, "arrives at 21, before it can (23)");
  s.routes[0].steps[3].arrival = s.routes[0].steps[3].start = 23;
  p.resources[0].breaks[0].window = (hw_window){0, 12};
  expect_violation(&p, &s, "break 55: starts at 15 outside its window [0, 12]");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(skills_required) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[1].skills = 4;
  p.resources[0].skills = 3;
  expect_violation(&p, &s, "job 102: resource lacks required skills");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(excluded_resource) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[0].n_excluded = 1;
  p.jobs[0].excluded[0] = 0;
  expect_violation(&p, &s, "job 101: resource is excluded");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(pins_honoured) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[0].pin_resource = 1;
  expect_violation(&p, &s, "job 101: pinned to resource 8");
  p.jobs[0].pin_resource = -1;
  p.jobs[1].pin_start = 25;
  expect_violation(&p, &s, "job 102: starts at 20, pinned to 25");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(capacity_limit) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  p.jobs[0].demand = 6;
  p.jobs[1].demand = 6;
  expect_violation(&p, &s, "load 12 exceeds capacity 10");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(every_job_accounted_once) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  hw_solution_init(&s);
  const hw_step one[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_END, -1, 25, 25)};
  add_route(&s, 0, one, 3);
  expect_violation(&p, &s, "job 102: neither routed nor listed unassigned");
  add_unassigned(&s, 1);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  HW_CHECK(r.cost.unassigned_penalty > 0);
  add_unassigned(&s, 1);
  expect_violation(&p, &s, "job 102: listed unassigned 2 times");
  add_unassigned(&s, 0);
  expect_violation(&p, &s, "job 101: both routed and listed unassigned");
  add_route(&s, 1, one, 3);
  expect_violation(&p, &s, "job 101: routed 2 times, needs 1 worker(s)");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(benchmark_objective_needs_all_served) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  p.objective = HW_OBJ_DISTANCE;
  hw_solution_init(&s);
  const hw_step one[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_END, -1, 25, 25)};
  add_route(&s, 0, one, 3);
  add_unassigned(&s, 1);
  expect_violation(&p, &s, "job 102: unassigned, but this benchmark objective requires every job served");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

/* Job 101 needs two workers: resources 0 and 1 both serve it. */
static void make_double_handed(hw_problem *p, hw_solution *s, hw_tick second_start, int32_t second_resource) {
  make_problem(p);
  p->jobs[0].workers = 2;
  make_valid(s);
  const hw_step st[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, second_start),
                         step(HW_STEP_END, -1, second_start + 15, second_start + 15)};
  add_route(s, second_resource, st, 3);
}

HW_TEST(double_handed_together) {
  hw_problem p;
  hw_solution s;
  make_double_handed(&p, &s, 10, 1);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  hw_solution_free(&s);
  hw_problem_free(&p);
  make_double_handed(&p, &s, 12, 1);
  expect_violation(&p, &s, "job 101: double-handed starts differ (10 and 12)");
  hw_solution_free(&s);
  hw_problem_free(&p);
  make_double_handed(&p, &s, 10, 0);
  expect_violation(&p, &s, "job 101: double-handed but both visits are on resource 7");
  expect_violation(&p, &s, "routes 0 and 1: both use resource 7");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(link_gap_and_resources) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  hw_problem q = p;
  q.n_links = 1;
  hw_link link = {0, 1, 0, 5};
  q.links = &link;
  hw_solution_init(&s);
  const hw_step a[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_END, -1, 25, 25)};
  const hw_step b[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 1, 10, 20), step(HW_STEP_END, -1, 35, 35)};
  add_route(&s, 0, a, 3);
  add_route(&s, 1, b, 3);
  expect_violation(&q, &s, "links[0]: job 102 starts 10 after job 101, allowed [0, 5]");
  link.max_gap = 10;
  hw_check_report r;
  HW_CHECK_INT(hw_check(&q, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  hw_solution_free(&s);
  make_valid(&s); /* both on resource 0, 10 apart */
  expect_violation(&q, &s, "links[0]: jobs 101 and 102 on the same resource 7");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(fleet_limit) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  p.max_routes = 1;
  hw_solution_init(&s);
  const hw_step a[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 0, 10, 10), step(HW_STEP_END, -1, 25, 25)};
  const hw_step b[3] = {step(HW_STEP_START, -1, 0, 0), step(HW_STEP_JOB, 1, 10, 20), step(HW_STEP_END, -1, 35, 35)};
  add_route(&s, 0, a, 3);
  add_route(&s, 1, b, 3);
  expect_violation(&p, &s, "fleet: 2 routes used, at most 1 allowed");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(out_of_range_index_is_einval) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  make_valid(&s);
  s.routes[0].steps[1].index = 9;
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.messages[0], "job index 9 out of range");
  s.routes[0].steps[1].index = 0;
  s.routes[0].resource = 5;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.messages[0], "resource index 5 out of range");
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(distance_from_coordinates) {
  hw_problem p;
  hw_solution s;
  make_problem(&p);
  p.objective = HW_OBJ_DISTANCE;
  p.time_scale = 1000;
  p.x = calloc(3, sizeof(double));
  p.y = calloc(3, sizeof(double));
  HW_CHECK(p.x && p.y);
  p.x[1] = 0.003; /* depot (0,0), job 101 at (0.003, 0), job 102 at (0.003, 0.004) */
  p.x[2] = 0.003;
  p.y[2] = 0.004;
  make_valid(&s);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK(fabs(r.distance - (0.003 + 0.004 + 0.005)) < 1e-12);
  HW_CHECK(fabs(r.objective - r.distance) < 1e-12);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

/* The checker and the search compute the cost breakdown independently; on the
 * solver's own result they must agree term by term. */
HW_TEST(checker_agrees_with_solver_cost) {
  hw_problem p;
  make_problem(&p);
  p.soft_windows = 1;
  p.jobs[0].windows[0].end = 3; /* late whatever the route */
  p.jobs[1].n_preferred = 1;
  p.jobs[1].preferred[0] = 1;
  p.jobs[0].n_excluded = 1;
  p.jobs[0].excluded[0] = 1;  /* job 101 on resource 0, job 102 preferably on 1 */
  p.resources[0].fixed_cost = 7;
  hw_solve_params prm;
  hw_solve_params_init(&prm);
  prm.time_limit_s = 0;
  prm.max_iterations = 200;
  prm.use_recombination = 0;
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_solve(&p, &prm, &s), ==, 0);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &s, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  HW_CHECK_INT(r.cost.travel, ==, s.cost.travel);
  HW_CHECK_INT(r.cost.lateness, ==, s.cost.lateness);
  HW_CHECK_INT(r.cost.max_lateness, ==, s.cost.max_lateness);
  HW_CHECK_INT(r.cost.fixed, ==, s.cost.fixed);
  HW_CHECK_INT(r.cost.preference, ==, s.cost.preference);
  HW_CHECK_INT(r.cost.balance, ==, s.cost.balance);
  HW_CHECK_INT(r.cost.unassigned_penalty, ==, s.cost.unassigned_penalty);
  HW_CHECK_INT(r.cost.total, ==, s.cost.total);
  HW_CHECK_INT(r.cost.lateness, >=, 7);
  hw_solution_free(&s);
  hw_problem_free(&p);
}
