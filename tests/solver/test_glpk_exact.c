/*
 * Tests of the exact routing MIP (hw_exact_solve): a hand-worked instance, and
 * random 5-6 job instances with two resources whose optimum is found by brute
 * force (hard windows, soft windows with lateness, a double-handed job, a break
 * per resource, jobs with two windows). Every
 * solution also goes through the independent checker, which must find it
 * feasible and agree on its cost. Unsupported features are refused by name.
 */
#include "glpk_fixtures.h"
#include "hw_check.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

/* Solve exactly, check with hw_check, and return penalty + total. */
static int64_t exact_checked(const hw_problem *p) {
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_exact_solve(p, 30, &s), ==, 0);
  hw_check_report rep;
  HW_CHECK_INT(hw_check(p, &s, &rep), ==, 0);
  if (!rep.feasible) fprintf(stderr, "checker: %s\n", rep.messages[0]);
  HW_CHECK(rep.feasible);
  HW_CHECK_INT(rep.cost.total, ==, s.cost.total);
  HW_CHECK_INT(rep.cost.unassigned_penalty, ==, s.cost.unassigned_penalty);
  /* The MIP and the brute force rank by the primary objective; the balance tie-breaker
   * (a quadratic term no MIP here models) is left out of the comparison. */
  int64_t v = s.cost.total - s.cost.balance + s.cost.unassigned_penalty;
  hw_solution_free(&s);
  return v;
}

HW_TEST(exact_hand_worked_line) {
  /* Depot at 0 and three jobs at 10, 20, 30 on a line (travel = distance), one
   * resource, wide windows, except job at 10 must start at or after 100. The
   * optimum visits them outward and comes back: travel 60. */
  hw_problem p;
  hw_problem_init(&p);
  HW_CHECK_INT(hw_problem_alloc(&p, 4, 1, 1, 3, 0), ==, 0);
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++) p.durations[0][a * 4 + b] = (hw_tick)(10 * abs(a - b));
  p.resources[0].start_loc = p.resources[0].end_loc = 0;
  for (int i = 0; i < 3; i++) {
    p.jobs[i].id = i + 1;
    p.jobs[i].loc = i + 1;
    p.jobs[i].service = 5;
    p.jobs[i].windows[0] = (hw_window){0, 1000};
  }
  p.jobs[0].windows[0] = (hw_window){100, 1000};
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_exact_solve(&p, 10, &s), ==, 0);
  HW_CHECK_INT(s.cost.travel, ==, 60);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  HW_CHECK_INT(s.n_routes, ==, 1);
  HW_CHECK_INT(s.routes[0].n_steps, ==, 5);
  /* Job 1 waits for 100, so the earliest start leaves at 90 and reaches it at 100. */
  HW_CHECK_INT(s.routes[0].steps[1].start, ==, 100);
  hw_solution_free(&s);
  /* Tight windows force the order 1, 2, 3: job 1 by 15, job 2 by 40, job 3 from
   * 200. Still travel 60, now with a wait before job 3. */
  p.jobs[0].windows[0] = (hw_window){0, 15};
  p.jobs[1].windows[0] = (hw_window){0, 40};
  p.jobs[2].windows[0] = (hw_window){200, 1000};
  HW_CHECK_INT(exact_checked(&p), ==, 60);
  hw_problem_free(&p);
}

HW_TEST(exact_matches_brute_force_hard_windows) {
  for (uint64_t seed = 1; seed <= 4; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, seed % 2 ? 5 : 6, 2, 0, -1);
    fx_best bf = fx_brute_force(&p);
    HW_CHECK_INT(exact_checked(&p), ==, bf.cost);
    hw_problem_free(&p);
  }
}

HW_TEST(exact_matches_brute_force_soft_windows) {
  for (uint64_t seed = 11; seed <= 13; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, 5, 2, 1, -1);
    /* Tighten windows so lateness pays off against leaving jobs unassigned. */
    for (int i = 0; i < p.n_jobs; i++) p.jobs[i].windows[0].end = p.jobs[i].windows[0].start + 600;
    fx_best bf = fx_brute_force(&p);
    HW_CHECK_INT(exact_checked(&p), ==, bf.cost);
    hw_problem_free(&p);
  }
}

HW_TEST(exact_matches_brute_force_double_handed) {
  for (uint64_t seed = 21; seed <= 23; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, 5, 2, 0, 2);
    fx_best bf = fx_brute_force(&p);
    HW_CHECK_INT(exact_checked(&p), ==, bf.cost);
    hw_solution s;
    hw_solution_init(&s);
    HW_CHECK_INT(hw_exact_solve(&p, 30, &s), ==, 0);
    /* When the double-handed job is served it is on both routes at one time. */
    int seen = 0;
    hw_tick at = -1;
    for (int r = 0; r < s.n_routes; r++)
      for (int k = 0; k < s.routes[r].n_steps; k++)
        if (s.routes[r].steps[k].kind == HW_STEP_JOB && s.routes[r].steps[k].index == 2) {
          if (seen) HW_CHECK_INT(s.routes[r].steps[k].start, ==, at);
          at = s.routes[r].steps[k].start;
          seen++;
        }
    HW_CHECK(seen == 0 || seen == 2);
    hw_solution_free(&s);
    hw_problem_free(&p);
  }
}

HW_TEST(exact_leaves_unservable_job_with_reason) {
  hw_problem p;
  fx_make_instance(&p, 5, 4, 2, 0, -1);
  p.jobs[1].skills = 1; /* nobody holds skill 0 ... */
  p.resources[1].skills = 1; /* ... except resource 1, which is excluded */
  p.jobs[1].n_excluded = 1;
  p.jobs[1].excluded[0] = 1;
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_exact_solve(&p, 30, &s), ==, 0);
  HW_CHECK_INT(s.n_unassigned, >=, 1);
  int found = 0;
  for (int u = 0; u < s.n_unassigned; u++)
    if (s.unassigned[u].job == 1) found = s.unassigned[u].reason == HW_UNASSIGNED_EXCLUDED;
  HW_CHECK(found);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

/* Each resource takes a 30-minute break in [2 h, 3 h]; windows are tightened so
 * that where the break goes matters. */
static void add_breaks(hw_problem *p) {
  for (int k = 0; k < p->n_resources; k++) {
    p->resources[k].n_breaks = 1;
    p->resources[k].breaks[0] = (hw_break_spec){500 + k, {2 * 3600, 3 * 3600}, 1800};
  }
  for (int i = 0; i < p->n_jobs; i++) p->jobs[i].windows[0].end = p->jobs[i].windows[0].start + 2400;
}

HW_TEST(exact_matches_brute_force_with_breaks) {
  for (uint64_t seed = 31; seed <= 34; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, 5, 2, 0, seed == 34 ? 1 : -1);
    add_breaks(&p);
    fx_best bf = fx_brute_force(&p);
    HW_CHECK_INT(exact_checked(&p), ==, bf.cost);
    hw_problem_free(&p);
  }
}

HW_TEST(exact_matches_brute_force_multiple_windows) {
  for (uint64_t seed = 41; seed <= 44; seed++) {
    hw_problem p;
    fx_make_instance(&p, seed, 5, 2, 0, -1);
    /* Jobs get a narrow morning window and a second one in the afternoon. */
    for (int i = 0; i < p.n_jobs; i++) {
      hw_job *j = &p.jobs[i];
      j->windows[0].end = j->windows[0].start + 900;
      if (i % 2 == 0 && j->windows[0].end + 3600 < 8 * 3600) {
        j->n_windows = 2;
        j->windows[1] = (hw_window){j->windows[0].end + 3600, j->windows[0].end + 4500};
      }
    }
    fx_best bf = fx_brute_force(&p);
    HW_CHECK_INT(exact_checked(&p), ==, bf.cost);
    hw_problem_free(&p);
  }
}

HW_TEST(exact_rejects_unsupported_features) {
  hw_problem p;
  fx_make_instance(&p, 3, 4, 2, 0, -1);
  hw_solution s;
  hw_solution_init(&s);
  p.soft_windows = 1;
  p.jobs[0].n_windows = 2;
  p.jobs[0].windows[1] = (hw_window){p.jobs[0].windows[0].end + 100, p.jobs[0].windows[0].end + 200};
  HW_CHECK_INT(hw_exact_solve(&p, 5, &s), ==, HW_EINVAL);
  p.soft_windows = 0;
  p.jobs[0].n_windows = 1;
  p.resources[0].n_breaks = 2;
  p.resources[0].breaks[0] = (hw_break_spec){1, {3600, 7200}, 1800};
  p.resources[0].breaks[1] = (hw_break_spec){2, {9000, 12000}, 900};
  HW_CHECK_INT(hw_exact_solve(&p, 5, &s), ==, HW_EINVAL);
  hw_problem_free(&p);
  fx_make_instance(&p, 3, 17, 2, 0, -1);
  HW_CHECK_INT(hw_exact_solve(&p, 5, &s), ==, HW_EINVAL);
  hw_problem_free(&p);
  hw_solution_free(&s);
}

HW_TEST(exact_linked_jobs_keep_their_gap) {
  /* Jobs 0 and 1 linked: job 1 starts 600..900 after job 0, on another resource. */
  hw_problem p;
  fx_make_instance(&p, 7, 4, 2, 0, -1);
  hw_problem q;
  hw_problem_init(&q);
  HW_CHECK_INT(hw_problem_alloc(&q, p.n_locations, 1, 2, 4, 1), ==, 0);
  memcpy(q.durations[0], p.durations[0], sizeof(hw_tick) * (size_t)(p.n_locations * p.n_locations));
  memcpy(q.resources, p.resources, sizeof(hw_resource) * 2);
  memcpy(q.jobs, p.jobs, sizeof(hw_job) * 4);
  for (int i = 0; i < 4; i++) q.jobs[i].windows[0] = (hw_window){0, 6 * 3600};
  q.links[0] = (hw_link){0, 1, 600, 900};
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_exact_solve(&q, 30, &s), ==, 0);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  hw_tick start[2] = {-1, -1};
  int res[2] = {-1, -1};
  for (int r = 0; r < s.n_routes; r++)
    for (int k = 0; k < s.routes[r].n_steps; k++) {
      const hw_step *st = &s.routes[r].steps[k];
      if (st->kind == HW_STEP_JOB && st->index < 2) start[st->index] = st->start, res[st->index] = s.routes[r].resource;
    }
  HW_CHECK_INT(start[1] - start[0], >=, 600);
  HW_CHECK_INT(start[1] - start[0], <=, 900);
  HW_CHECK_INT(res[0], !=, res[1]);
  hw_check_report rep;
  HW_CHECK_INT(hw_check(&q, &s, &rep), ==, 0);
  HW_CHECK(rep.feasible);
  hw_solution_free(&s);
  hw_problem_free(&q);
  hw_problem_free(&p);
}
