/*
 * Planning and repair against a store: visits generated from care plans, a day
 * planned, checked and published, then an absence, a late check-out and an urgent
 * visit repaired by changing only what they must.
 */
#include <stdlib.h>

#include "hw_outcomes.h"
#include "hw_plan.h"
#include "hw_repair.h"
#include "hw_service.h"
#include "sched_fixture.h"

/* Four clients on the reablement team, each twice a day, all week from Monday. */
static void add_referrals(fixture *f) {
  for (int i = 0; i < 4; i++) {
    hw_referral r = {0};
    r.client_id = f->clients[i];
    r.source = HW_SOURCE_COMMUNITY;
    r.pathway = HW_PATHWAY_REABLEMENT;
    r.status = HW_REFERRAL_ALLOCATED;
    r.team_id = f->reablement_team;
    r.received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60);
    r.start_date = FX_MONDAY;
    r.end_date = HW_DATE_NONE;
    r.n_templates = 2;
    r.templates[0] = fx_template(9, 11, 30, 0);
    r.templates[1] = fx_template(15, 17, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  }
}

static void plan_tuesday(fixture *f, hw_plan_report *rep) {
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = 0;
  pp.max_iterations = 300;
  char why[200] = "";
  hw_change c = fx_change(f, FX_MONDAY, 18 * 60);
  c.key = "plan-tue";
  HW_CHECK_INT(hw_service_plan_locality(f->st, &set, f->locality, FX_TUESDAY, &pp, &c, rep, why, sizeof why), ==, 0);
  int32_t n;
  hw_visit *v;
  HW_CHECK_INT(hw_store_list_visits(f->st, FX_TUESDAY, FX_TUESDAY, f->locality, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 8); /* the day's visits were generated first */
  free(v);
}

static hw_visit *day_visits(fixture *f, int32_t *n) {
  hw_visit *v;
  HW_CHECK_INT(hw_store_list_visits(f->st, FX_TUESDAY, FX_TUESDAY, f->locality, &v, n), ==, 0);
  return v;
}

HW_TEST(plan_publishes_checked_rosters) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_plan_report rep;
  plan_tuesday(&f, &rep);
  HW_CHECK_INT(rep.feasible, ==, 1);
  HW_CHECK_INT(rep.visits, ==, 8);
  HW_CHECK_INT(rep.assigned, ==, 8);
  HW_CHECK_INT(rep.n_unplaced, ==, 0);
  HW_CHECK(rep.event_seq > 0);
  hw_plan_report_free(&rep);
  int32_t n;
  hw_visit *v = day_visits(&f, &n);
  int32_t rostered = 0;
  for (int32_t i = 0; i < n; i++) {
    HW_CHECK_INT(v[i].status, ==, HW_VISIT_ASSIGNED);
    HW_CHECK(v[i].worker_ids[0] != f.mainstream_worker); /* a reablement client stays with the team */
    HW_CHECK(v[i].planned_start >= v[i].window_start && v[i].planned_start <= v[i].window_end);
  }
  hw_id ws[3] = {f.med_worker, f.care_worker, f.mainstream_worker};
  for (int k = 0; k < 3; k++) {
    hw_roster_entry *e;
    int32_t ne;
    HW_CHECK_INT(hw_store_get_roster(f.st, ws[k], FX_TUESDAY, &e, &ne), ==, 0);
    rostered += ne;
    for (int32_t i = 1; i < ne; i++) HW_CHECK(e[i].planned_start > e[i - 1].planned_start);
    free(e);
  }
  HW_CHECK_INT(rostered, ==, 8);
  free(v);
  /* The published plan is in the log: the outcome replay sees every visit staffed,
   * and agrees with the figures from the stored records. */
  hw_outcomes o, r;
  hw_outcomes_init(&o);
  hw_outcomes_init(&r);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_TUESDAY, FX_TUESDAY, 0, &o), ==, 0);
  HW_CHECK(o.unallocated_visit_hours == 0);
  HW_CHECK(o.travel_share_pct >= 0);
  HW_CHECK(o.continuity_workers_per_client_week >= 1);
  HW_CHECK_INT(hw_service_outcomes_records(f.st, NULL, FX_TUESDAY, FX_TUESDAY, 0, &r), ==, 0);
  HW_CHECK_INT(r.travel_seconds, ==, o.travel_seconds);
  HW_CHECK_INT(r.visit_seconds, ==, o.visit_seconds);
  HW_CHECK(r.continuity_workers_per_client_week == o.continuity_workers_per_client_week);
  hw_outcomes_free(&o);
  hw_outcomes_free(&r);
  fx_close(&f);
}

/* Planning's first step stores the day's visits as a change of its own, with its
 * event; run again - a plan retried after its publication failed - it finds them
 * stored and adds nothing, not even an event, and the plan then publishes. */
HW_TEST(plan_visits_step_is_complete_and_idempotent) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_change c = fx_change(&f, FX_MONDAY, 18 * 60);
  c.key = "plan-tue-visits";
  int32_t created = -1;
  int64_t events = hw_store_event_count(f.st);
  HW_CHECK_INT(hw_service_plan_visits(f.st, &set, &c, f.locality, FX_TUESDAY, &created), ==, 0);
  HW_CHECK_INT(created, ==, 8);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 1);
  hw_event ev;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(f.st, events, 1, &ev, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_STR(ev.type, "visit.generated");
  HW_CHECK_STR(ev.idempotency_key, "plan-tue-visits");
  hw_event_free_array(&ev, n);
  HW_CHECK_INT(hw_service_plan_visits(f.st, &set, &c, f.locality, FX_TUESDAY, &created), ==, 0);
  HW_CHECK_INT(created, ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 1);
  hw_plan_report rep;
  plan_tuesday(&f, &rep); /* generates nothing more (it checks the day still has 8 visits) */
  HW_CHECK_INT(rep.assigned, ==, 8);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 2); /* + roster.published */
  hw_plan_report_free(&rep);
  fx_close(&f);
}

/* In steps of about 3 visits (a referral's 2 never split), one event a step
 * that stores any, the first with the key; a referral allocated between two
 * steps is reached too; the day ends as one call would leave it. */
HW_TEST(plan_visits_in_steps_store_the_whole_day_a_few_referrals_a_change) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_change c = fx_change(&f, FX_MONDAY, 18 * 60);
  c.key = "plan-tue-visits";
  int64_t events = hw_store_event_count(f.st);
  hw_plan_visits_cursor after = {0, 0};
  int32_t created = 0, per_step[8] = {0};
  int done = 0, steps = 0;
  while (!done && steps < 8) {
    int32_t before = created;
    HW_CHECK_INT(hw_service_plan_visits_step(f.st, &set, &c, f.locality, FX_TUESDAY, 3, &after, &created, &done), ==,
                 0);
    per_step[steps++] = created - before;
    if (steps == 1) { /* a further referral, an evening visit, allocated meanwhile */
      hw_referral r = {.client_id = f.clients[3], .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                       .status = HW_REFERRAL_ALLOCATED, .team_id = f.reablement_team,
                       .received_at = hw_local_to_time(FX_MONDAY, 17 * 60), .start_date = FX_MONDAY,
                       .end_date = HW_DATE_NONE, .n_templates = 1};
      r.templates[0] = fx_template(18, 20, 30, 0);
      HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
    }
  }
  HW_CHECK(done);
  HW_CHECK_INT(created, ==, 9);
  HW_CHECK_INT(steps, ==, 3); /* 4, 4, then the newcomer's 1 */
  HW_CHECK_INT(per_step[0], ==, 4);
  HW_CHECK_INT(per_step[2], ==, 1);
  hw_event ev[4];
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(f.st, events, 4, ev, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  for (int32_t i = 0; i < n; i++) HW_CHECK_STR(ev[i].type, "visit.generated");
  HW_CHECK_STR(ev[0].idempotency_key, "plan-tue-visits");
  HW_CHECK_STR(ev[1].idempotency_key, "");
  hw_event_free_array(ev, n);
  int32_t again = 0;
  HW_CHECK_INT(hw_service_plan_visits(f.st, &set, &c, f.locality, FX_TUESDAY, &again), ==, 0);
  HW_CHECK_INT(again, ==, 0); /* nothing was left missing */
  fx_close(&f);
}

/* A day with nobody of the visits' team on shift: every visit is listed unplaced
 * with its reason, none is dropped from the report. */
HW_TEST(plan_report_lists_every_unplaced_visit) {
  fixture f;
  fx_open(&f, 0);
  hw_worker w;
  HW_CHECK_INT(hw_store_get_worker(f.st, f.care_worker, &w), ==, 0);
  w.n_shifts = 0; /* the team's only other worker is off all week */
  HW_CHECK_INT(hw_store_update_worker(f.st, &w), ==, 0);
  add_referrals(&f);
  hw_plan_report rep;
  plan_tuesday(&f, &rep);
  HW_CHECK_INT(rep.visits, ==, 8);
  HW_CHECK_INT(rep.assigned, ==, 0);
  HW_CHECK_INT(rep.n_unplaced, ==, 8);
  for (int32_t i = 0; i < rep.n_unplaced; i++) HW_CHECK_STR(rep.unplaced[i].reason, "no_skill");
  int32_t n;
  hw_visit *v = day_visits(&f, &n);
  for (int32_t i = 0; i < n; i++) HW_CHECK_STR(v[i].unplaced_reason, "no_skill");
  free(v);
  hw_plan_report_free(&rep);
  fx_close(&f);
}

/* The absent worker is whoever has the 09:00-11:00 visit of client 1. */
HW_TEST(repair_absence_moves_only_the_absent_workers_visits) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_plan_report rep;
  plan_tuesday(&f, &rep);
  int32_t n;
  hw_visit *before = day_visits(&f, &n);
  hw_id absent = before[0].worker_ids[0];
  hw_plan_report_free(&rep);
  hw_absence a = {0};
  a.worker_id = absent;
  a.from = hw_local_to_time(FX_TUESDAY, 8 * 60);
  a.to = hw_local_to_time(FX_TUESDAY, 12 * 60);
  snprintf(a.reason, sizeof a.reason, "sickness");
  int32_t expected = 0;
  for (int32_t i = 0; i < n; i++) expected += before[i].worker_ids[0] == absent && before[i].planned_start < a.to;
  HW_CHECK(expected >= 1);
  hw_absence_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_TUESDAY, 7 * 60);
  HW_CHECK_INT(hw_service_absence(fx_service(&f), &c, &a, res), ==, 0);
  const hw_repair_report *r = &res->repair;
  HW_CHECK_INT(r->n_changes, ==, expected);
  for (int32_t k = 0; k < r->n_changes; k++) {
    HW_CHECK_INT(r->changes[k].old_workers[0], ==, absent);
    HW_CHECK(r->changes[k].new_workers[0] != absent);
    HW_CHECK(r->changes[k].new_start != HW_TIME_NONE);
  }
  int32_t m;
  hw_visit *after = day_visits(&f, &m);
  HW_CHECK_INT(m, ==, n);
  for (int32_t i = 0; i < n; i++) {
    int moved = 0;
    for (int32_t k = 0; k < r->n_changes; k++) moved |= r->changes[k].visit_id == before[i].id;
    if (moved) continue; /* everything else is exactly as published */
    HW_CHECK_INT(after[i].worker_ids[0], ==, before[i].worker_ids[0]);
    HW_CHECK_INT(after[i].planned_start, ==, before[i].planned_start);
  }
  hw_absence *ab;
  int32_t na;
  HW_CHECK_INT(hw_store_list_absences(f.st, absent, a.from, a.to, &ab, &na), ==, 0);
  HW_CHECK_INT(na, ==, 1);
  free(ab);
  free(before);
  free(after);
  free(res);
  fx_close(&f);
}

HW_TEST(repair_urgent_visit_and_late_checkout) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_plan_report rep;
  plan_tuesday(&f, &rep);
  hw_plan_report_free(&rep);
  int32_t n;
  hw_visit *before = day_visits(&f, &n);
  hw_visit urgent = before[0];
  urgent.id = 0;
  urgent.referral_id = 0;
  urgent.client_id = f.clients[3];
  urgent.window_start = hw_local_to_time(FX_TUESDAY, 13 * 60);
  urgent.window_end = hw_local_to_time(FX_TUESDAY, 14 * 60);
  urgent.priority = 95;
  hw_visit_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_TUESDAY, 12 * 60);
  HW_CHECK_INT(hw_service_visit_create(fx_service(&f), &c, &urgent, res), ==, 0);
  HW_CHECK_INT(res->repair.n_changes, ==, 1);
  HW_CHECK(res->repair.changes[0].new_start >= urgent.window_start &&
           res->repair.changes[0].new_start <= urgent.window_end);
  HW_CHECK_INT(res->visit.status, ==, HW_VISIT_ASSIGNED);
  int32_t m;
  hw_visit *after = day_visits(&f, &m);
  HW_CHECK_INT(m, ==, n + 1);
  free(after);
  /* A late check-out: the morning visit's worker is busy until 10:55. */
  c = fx_change(&f, FX_TUESDAY, 9 * 60);
  HW_CHECK_INT(hw_service_check_in(fx_service(&f), &c, before[0].id, before[0].planned_start, res), ==, 0);
  c = fx_change(&f, FX_TUESDAY, 10 * 60 + 55);
  HW_CHECK_INT(hw_service_check_out(fx_service(&f), &c, before[0].id, c.now, res), ==, 0);
  for (int32_t k = 0; k < res->repair.n_changes; k++) {
    HW_CHECK_INT(res->repair.changes[k].old_workers[0], ==, before[0].worker_ids[0]);
    HW_CHECK(res->repair.changes[k].old_start > before[0].planned_start);
  }
  /* A check-out without a check-in is refused and stores nothing. */
  int64_t events = hw_store_event_count(f.st);
  c = fx_change(&f, FX_TUESDAY, 11 * 60);
  HW_CHECK_INT(hw_service_check_out(fx_service(&f), &c, before[1].id, c.now, res), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(f.errs.e[0].reason, "check in first");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  free(before);
  free(res);
  fx_close(&f);
}

/* Planning today at 14:00 creates the afternoon's missing visits, not the
 * morning's whose window has already closed (they would only count as
 * unallocated hours). */
HW_TEST(planning_today_creates_no_visit_whose_window_has_closed) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = 0;
  pp.max_iterations = 200;
  hw_plan_report rep;
  char why[200] = "";
  hw_change c = fx_change(&f, FX_MONDAY, 14 * 60);
  c.key = "plan-mon";
  HW_CHECK_INT(hw_service_plan_locality(f.st, &set, f.locality, FX_MONDAY, &pp, &c, &rep, why, sizeof why), ==, 0);
  int32_t n;
  hw_visit *v;
  HW_CHECK_INT(hw_store_list_visits(f.st, FX_MONDAY, FX_MONDAY, f.locality, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 4); /* the 15:00-17:00 call of each of the four clients */
  for (int32_t i = 0; i < n; i++) HW_CHECK(v[i].window_end >= c.now);
  free(v);
  hw_plan_report_free(&rep);
  fx_close(&f);
}
