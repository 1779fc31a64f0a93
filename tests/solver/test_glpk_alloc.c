/*
 * Tests of the capacity allocation MIP (hw_alloc.h) on small cases whose answer
 * is known: capacity pushes a request to the next day, a heavier discharge wins
 * the scarce slot, a request with no room in the horizon is deferred, eligibility
 * and multi-day profiles are respected, and bad input names its field.
 */
#include "hw_alloc.h"
#include "hw_error.h"
#include "hw_test.h"

/* One team, one class, `days` days of `minutes` each. */
static void one_team(hw_alloc_problem *p, int32_t *cap, int days, int32_t minutes) {
  memset(p, 0, sizeof *p);
  for (int d = 0; d < days; d++) cap[d] = minutes;
  p->n_days = days;
  p->n_teams = 1;
  p->n_classes = 1;
  p->capacity = cap;
}

/* A request needing `daily` minutes every day from its start. */
static hw_alloc_request request(int64_t id, int32_t earliest, int64_t weight, int32_t daily) {
  hw_alloc_request q;
  memset(&q, 0, sizeof q);
  q.id = id;
  q.earliest_day = earliest;
  q.weight_per_day = weight;
  q.daily_minutes = daily;
  return q;
}

HW_TEST(alloc_capacity_pushes_one_request_to_next_day) {
  int32_t cap[3];
  hw_alloc_problem p;
  one_team(&p, cap, 3, 120);
  hw_alloc_request q[2] = {request(1, 0, 10, 90), request(2, 0, 10, 0)};
  int32_t visit[1] = {90};
  q[1].n_profile = 1; /* a one-day need of 90 minutes */
  q[1].profile = visit;
  q[0].n_profile = 1;
  q[0].profile = visit;
  p.n_requests = 2;
  p.requests = q;
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, 0);
  HW_CHECK(r.optimal);
  HW_CHECK_INT(r.cost, ==, 10);
  HW_CHECK_INT(r.delay_days, ==, 1);
  HW_CHECK_INT(r.decisions[0].start_day + r.decisions[1].start_day, ==, 1);
  HW_CHECK_INT(r.decisions[0].team, ==, 0);
  HW_CHECK_INT(r.n_deferred, ==, 0);
  hw_alloc_result_free(&r);
}

HW_TEST(alloc_heavier_discharge_wins_scarce_slot) {
  /* Ongoing 60 minutes a day each; day 0 has room for one, day 1 for both. */
  int32_t cap[2];
  hw_alloc_problem p;
  one_team(&p, cap, 2, 60);
  cap[1] = 120;
  hw_alloc_request q[2] = {request(1, 0, 1, 60) /* community */, request(2, 0, 5, 60) /* discharge */};
  p.n_requests = 2;
  p.requests = q;
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, 0);
  HW_CHECK_INT(r.decisions[1].start_day, ==, 0);
  HW_CHECK_INT(r.decisions[0].start_day, ==, 1);
  HW_CHECK_INT(r.cost, ==, 1);
  hw_alloc_result_free(&r);
}

HW_TEST(alloc_defers_when_no_capacity_in_horizon) {
  int32_t cap[3];
  hw_alloc_problem p;
  one_team(&p, cap, 3, 30);
  hw_alloc_request q[2] = {request(1, 0, 4, 60), request(2, 3, 1, 10)}; /* too big; starts after horizon */
  p.n_requests = 2;
  p.requests = q;
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, 0);
  HW_CHECK_INT(r.n_deferred, ==, 2);
  HW_CHECK_INT(r.decisions[0].team, ==, -1);
  HW_CHECK_INT(r.decisions[1].start_day, ==, -1);
  HW_CHECK_INT(r.cost, ==, 4 * 3); /* default deferral: as if started on day 3 */
  hw_alloc_result_free(&r);
}

HW_TEST(alloc_respects_eligibility_and_classes) {
  /* Two teams, two classes; team 0 only has class 1 minutes, team 1 only class 0. */
  int32_t cap[2 * 2 * 2] = {0};
  cap[(0 * 2 + 0) * 2 + 1] = 100;
  cap[(0 * 2 + 1) * 2 + 1] = 100;
  cap[(1 * 2 + 0) * 2 + 0] = 100;
  cap[(1 * 2 + 1) * 2 + 0] = 100;
  hw_alloc_problem p = {.n_days = 2, .n_teams = 2, .n_classes = 2, .capacity = cap};
  uint8_t only_team0[2] = {1, 0};
  hw_alloc_request q[3] = {request(1, 0, 3, 50), request(2, 0, 3, 50), request(3, 0, 3, 50)};
  q[0].skill_class = 0; /* goes to team 1 */
  q[1].skill_class = 1; /* team 0 */
  q[2].skill_class = 0; /* class 0 but only team 0 allowed: deferred */
  q[2].eligible = only_team0;
  p.n_requests = 3;
  p.requests = q;
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, 0);
  HW_CHECK_INT(r.decisions[0].team, ==, 1);
  HW_CHECK_INT(r.decisions[0].start_day, ==, 0);
  HW_CHECK_INT(r.decisions[1].team, ==, 0);
  HW_CHECK_INT(r.decisions[2].team, ==, -1);
  hw_alloc_result_free(&r);
}

HW_TEST(alloc_profile_spans_days) {
  /* A 3-day profile 60/60/30 in a 4-day horizon of 90 a day, plus a 60-minute
   * one-off that fits beside it only on day 3 (or on day 0 pushing the profile). */
  int32_t cap[4];
  hw_alloc_problem p;
  one_team(&p, cap, 4, 90);
  int32_t prof[3] = {60, 60, 30}, once[1] = {60};
  hw_alloc_request q[2] = {request(1, 0, 10, 0), request(2, 0, 1, 0)};
  q[0].n_profile = 3;
  q[0].profile = prof;
  q[1].n_profile = 1;
  q[1].profile = once;
  p.n_requests = 2;
  p.requests = q;
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, 0);
  HW_CHECK_INT(r.decisions[0].start_day, ==, 0);
  HW_CHECK_INT(r.decisions[1].start_day, ==, 2); /* day 2 has 90 - 30 = 60 free */
  HW_CHECK_INT(r.cost, ==, 2);
  hw_alloc_result_free(&r);
}

HW_TEST(alloc_rejects_bad_input_naming_field) {
  int32_t cap[2];
  hw_alloc_problem p;
  one_team(&p, cap, 2, 60);
  hw_alloc_request q[2] = {request(1, 0, 1, 10), request(2, 0, 1, 10)};
  q[1].skill_class = 3;
  p.n_requests = 2;
  p.requests = q;
  char msg[128] = "";
  HW_CHECK_INT(hw_alloc_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "requests[1].skill_class: out of range");
  hw_alloc_result r;
  hw_alloc_result_init(&r);
  HW_CHECK_INT(hw_alloc_solve(&p, 10, &r), ==, HW_EINVAL);
  q[1].skill_class = 0;
  cap[1] = -5;
  HW_CHECK_INT(hw_alloc_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "capacity[1]: negative");
  p.n_days = 0;
  HW_CHECK_INT(hw_alloc_validate(&p, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_STR(msg, "n_days: must be at least 1");
  hw_alloc_result_free(&r);
}
