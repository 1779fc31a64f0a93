/*
 * One day as a solver problem: shifts cut by absences, local-time ticks, carer
 * gender and team bits, pinned commitments, and the errors that name the field.
 */
#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_test.h"

static hw_worker worker(hw_id id, hw_id team, hw_gender g) {
  hw_worker w = {0};
  w.id = id;
  w.team_id = team;
  w.active = 1;
  w.gender = g;
  w.base = (hw_geo){55866300, -3980600};
  w.n_skills = 1;
  w.skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
  for (int d = 0; d < 7; d++) w.shifts[w.n_shifts++] = (hw_shift){(uint8_t)d, {8 * 60, 20 * 60}, {12 * 60, 13 * 60}, 30};
  return w;
}

static hw_visit visit(hw_id id, hw_id client, hw_date d, int start_min) {
  hw_visit v = {0};
  v.id = id;
  v.client_id = client;
  v.date = d;
  v.window_start = hw_local_to_time(d, start_min);
  v.window_end = hw_local_to_time(d, start_min + 60);
  v.duration = 30;
  v.skills = 1u << HW_SKILL_PERSONAL_CARE;
  v.workers = 1;
  v.priority = 50;
  v.planned_start = v.check_in = v.check_out = HW_TIME_NONE;
  return v;
}

HW_TEST(absence_splits_shift_and_ticks_are_local) {
  hw_date d = hw_date_from_ymd(2026, 7, 1); /* BST: local 08:00 = 07:00 UTC */
  hw_worker w[2] = {worker(1, 10, HW_GENDER_FEMALE), worker(2, 10, HW_GENDER_MALE)};
  hw_absence ab = {1, 1, hw_local_to_time(d, 14 * 60), hw_local_to_time(d, 15 * 60), "training"};
  hw_client c = {0};
  c.id = 5;
  c.location = (hw_geo){55870000, -3975000};
  hw_visit v = visit(100, 5, d, 9 * 60);
  hw_day_input in = {.date = d, .workers = w, .n_workers = 2, .absences = &ab, .n_absences = 1,
                     .clients = &c, .n_clients = 1, .visits = &v, .n_visits = 1};
  hw_day_problem dp;
  char msg[160];
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(dp.p.n_resources, ==, 3); /* worker 1: 08-14 and 15-20; worker 2: 08-20 */
  HW_CHECK_INT(dp.p.resources[0].shift.start, ==, 8 * 3600);
  HW_CHECK_INT(dp.p.resources[0].shift.end, ==, 14 * 3600);
  HW_CHECK_INT(dp.p.resources[1].shift.start, ==, 15 * 3600);
  HW_CHECK_INT(dp.p.resources[0].n_breaks, ==, 1); /* the 12:00-13:00 break fits the morning piece */
  HW_CHECK_INT(dp.p.resources[1].n_breaks, ==, 0);
  HW_CHECK_INT(dp.p.jobs[0].windows[0].start, ==, 9 * 3600);
  HW_CHECK_INT(dp.p.jobs[0].service, ==, 1800);
  HW_CHECK_INT(dp.day0, ==, hw_local_to_time(d, 0));
  HW_CHECK_INT(hw_travel(&dp.p, 0, dp.p.resources[0].start_loc, dp.p.jobs[0].loc), >, 0);
  hw_day_free(&dp);
}

HW_TEST(hard_gender_team_and_unknown_client) {
  hw_date d = hw_date_from_ymd(2026, 1, 14);
  hw_worker w[2] = {worker(1, 10, HW_GENDER_FEMALE), worker(2, 20, HW_GENDER_MALE)};
  hw_client c = {0};
  c.id = 5;
  c.location = (hw_geo){55870000, -3975000};
  c.carer_gender = HW_GENDER_FEMALE;
  c.carer_gender_hard = 1;
  hw_visit v[2] = {visit(100, 5, d, 9 * 60), visit(101, 5, d, 17 * 60)};
  hw_id teams[2] = {20, 0}; /* the first must stay with team 20 (only a man there) */
  hw_day_input in = {.date = d, .workers = w, .n_workers = 2, .clients = &c, .n_clients = 1,
                     .visits = v, .n_visits = 2, .visit_team = teams};
  hw_day_problem dp;
  char msg[160];
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(dp.visit_unskilled[0], ==, 1); /* a woman from team 20: nobody today */
  HW_CHECK_INT(dp.visit_unskilled[1], ==, 0);
  HW_CHECK_INT(dp.p.n_jobs, ==, 1);
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_day_current_solution(&dp, &s), ==, 0);
  int32_t job = dp.visit_job[1];
  HW_CHECK_INT(hw_insert_jobs(&dp.p, &s, &job, 1), ==, 1);
  int32_t r;
  hw_tick t;
  HW_CHECK(hw_day_job_placement(&s, job, 0, &r, &t));
  HW_CHECK_INT(w[dp.res_worker[r]].id, ==, 1);
  hw_solution_free(&s);
  hw_day_free(&dp);
  v[1].client_id = 99;
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(msg, "visits[1].client_id");
}

HW_TEST(commitments_are_pinned_and_double_split) {
  hw_date d = hw_date_from_ymd(2026, 1, 14);
  hw_worker w[2] = {worker(1, 10, HW_GENDER_FEMALE), worker(2, 10, HW_GENDER_MALE)};
  hw_client c = {0};
  c.id = 5;
  c.location = (hw_geo){55870000, -3975000};
  hw_visit v = visit(100, 5, d, 9 * 60);
  v.workers = 2;
  v.worker_ids[0] = 1;
  v.worker_ids[1] = 2;
  v.planned_start = hw_local_to_time(d, 9 * 60 + 15);
  hw_day_input in = {.date = d, .workers = w, .n_workers = 2, .clients = &c, .n_clients = 1,
                     .visits = &v, .n_visits = 1, .pin_mode = HW_DAY_PIN_ASSIGNED};
  hw_day_problem dp;
  char msg[160];
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(dp.p.n_jobs, ==, 2);
  HW_CHECK_INT(dp.job_fixed[0] && dp.job_fixed[1], ==, 1);
  HW_CHECK_INT(dp.p.jobs[0].pin_start, ==, 9 * 3600 + 900);
  HW_CHECK(dp.p.jobs[0].pin_resource != dp.p.jobs[1].pin_resource);
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_day_current_solution(&dp, &s), ==, 0);
  HW_CHECK_INT(s.n_unassigned, ==, 0);
  hw_solution_free(&s);
  hw_day_free(&dp);
  /* Planning mode leaves an unpinned visit free. */
  in.pin_mode = HW_DAY_PIN_MARKED;
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(dp.p.n_jobs, ==, 1);
  HW_CHECK_INT(dp.job_fixed[0], ==, 0);
  HW_CHECK_INT(dp.p.jobs[0].workers, ==, 2);
  hw_day_free(&dp);
}

/* A pinned visit on a worker of another team than its referral's (a discharge
 * placed where there was room) stays with that worker when the day is planned:
 * the team restriction is for visits still to place. */
HW_TEST(a_pinned_commitment_keeps_its_worker_across_teams) {
  hw_date d = hw_date_from_ymd(2026, 1, 14);
  hw_worker w[2] = {worker(1, 10, HW_GENDER_FEMALE), worker(2, 20, HW_GENDER_MALE)};
  hw_client c = {0};
  c.id = 5;
  c.location = (hw_geo){55870000, -3975000};
  hw_visit v[2] = {visit(100, 5, d, 9 * 60), visit(101, 5, d, 17 * 60)};
  v[0].pinned = 1;
  v[0].worker_ids[0] = 2; /* team 20's worker */
  v[0].planned_start = hw_local_to_time(d, 9 * 60 + 10);
  v[0].status = HW_VISIT_ASSIGNED;
  hw_id teams[2] = {10, 10}; /* the referral is team 10's */
  hw_day_input in = {.date = d, .workers = w, .n_workers = 2, .clients = &c, .n_clients = 1,
                     .visits = v, .n_visits = 2, .visit_team = teams, .pin_mode = HW_DAY_PIN_MARKED};
  hw_day_problem dp;
  char msg[160];
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(dp.visit_unskilled[0], ==, 0);
  HW_CHECK_INT(dp.job_fixed[dp.visit_job[0]], ==, 1);
  HW_CHECK_INT(w[dp.res_worker[dp.p.jobs[dp.visit_job[0]].pin_resource]].id, ==, 2);
  /* The unpinned visit still goes to team 10 only. */
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_day_current_solution(&dp, &s), ==, 0);
  int32_t r;
  hw_tick t;
  HW_CHECK(hw_day_job_placement(&s, dp.visit_job[0], 0, &r, &t)); /* the pin holds */
  HW_CHECK_INT(w[dp.res_worker[r]].id, ==, 2);
  int32_t job = dp.visit_job[1];
  HW_CHECK_INT(hw_insert_jobs(&dp.p, &s, &job, 1), ==, 1);
  HW_CHECK(hw_day_job_placement(&s, job, 0, &r, &t));
  HW_CHECK_INT(w[dp.res_worker[r]].id, ==, 1);
  hw_solution_free(&s);
  hw_day_free(&dp);
}
