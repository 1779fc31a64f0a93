/*
 * Planning a day from the store (scheduler/service/hw_plan.h) keeps the
 * commitments already made: the visits a D2A acceptance pinned to a worker and a
 * time stay where they are, even when the day also holds the D2A reserve: the
 * reserve's slots go to workers free at that peak, or are not held.
 */
#include "hw_plan.h"
#include "hw_service.h"
#include "sched_fixture.h"

/* An allocated reablement referral of client c with one tea-time visit. */
static hw_id fx_referral(fixture *f, hw_id client) {
  hw_referral r = {0};
  r.client_id = client;
  r.source = HW_SOURCE_HOSPITAL;
  r.pathway = HW_PATHWAY_REABLEMENT;
  r.status = HW_REFERRAL_ALLOCATED;
  r.team_id = f->reablement_team;
  r.received_at = hw_local_to_time(FX_MONDAY, 10 * 60);
  r.start_date = FX_MONDAY;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(16, 18, 30, 0);
  HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  return r.id;
}

/* A visit pinned to worker at minute `at` of the day, as an accepted offer leaves it. */
static hw_id fx_pinned_visit(fixture *f, hw_id client, hw_id referral, hw_date day, hw_id worker, int at) {
  hw_visit v = {0};
  v.referral_id = referral;
  v.client_id = client;
  v.date = day;
  v.window_start = hw_local_to_time(day, 16 * 60);
  v.window_end = hw_local_to_time(day, 18 * 60);
  v.duration = 30;
  v.skills = 1u << HW_SKILL_PERSONAL_CARE;
  v.workers = 1;
  v.priority = 50;
  v.pinned = 1;
  v.status = HW_VISIT_ASSIGNED;
  v.worker_ids[0] = worker;
  v.planned_start = hw_local_to_time(day, at);
  v.check_in = v.check_out = HW_TIME_NONE;
  HW_CHECK_INT(hw_store_insert_visit(f->st, &v), ==, 0);
  return v.id;
}

HW_TEST(reserve_never_breaks_a_pinned_visit) {
  fixture f;
  fx_open(&f, 0x7f);
  /* Both reablement workers are committed at 17:00, inside the tea peak's slot. */
  hw_id worker[2] = {f.med_worker, f.care_worker}, visit[2];
  for (int k = 0; k < 2; k++)
    visit[k] = fx_pinned_visit(&f, f.clients[k], fx_referral(&f, f.clients[k]), FX_TUESDAY, worker[k], 17 * 60);
  hw_plan_params p;
  hw_plan_params_init(&p);
  p.time_limit_s = 0;
  p.max_iterations = 200;
  hw_d2a_reserve_fixed(60, p.reserve);
  hw_plan_report rep;
  char why[160] = "";
  hw_plan_draft *draft = NULL;
  HW_CHECK_INT(hw_plan_solve(f.st, f.locality, FX_TUESDAY, &p, &draft, why, sizeof why), ==, 0);
  hw_change c = {.scope = NULL, .actor = "test", .key = "", .now = hw_local_to_time(FX_MONDAY, 18 * 60), .errs = NULL};
  HW_CHECK_INT(hw_plan_publish(f.st, &c, draft, &rep), ==, 0);
  hw_plan_draft_free(draft);
  HW_CHECK_INT(rep.unassigned, ==, 0);
  for (int k = 0; k < 2; k++) {
    hw_visit v;
    HW_CHECK_INT(hw_store_get_visit(f.st, visit[k], &v), ==, 0);
    HW_CHECK_INT(v.status, ==, HW_VISIT_ASSIGNED);
    HW_CHECK_INT(v.worker_ids[0], ==, worker[k]);
    HW_CHECK_INT(v.planned_start, ==, hw_local_to_time(FX_TUESDAY, 17 * 60));
  }
  hw_plan_report_free(&rep);
  fx_close(&f);
}
