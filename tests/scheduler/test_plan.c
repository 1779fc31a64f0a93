/*
 * Planning and repair against a store: visits generated from care plans, a day
 * planned, checked and published, then an absence, a late check-out and an urgent
 * visit repaired by changing only what they must.
 */
#include <stdlib.h>

#include "hw_outcomes.h"
#include "hw_plan.h"
#include "hw_repair.h"
#include "sched_fixture.h"

/* Four clients on the reablement team, each twice a day, all week from Monday. */
static void add_referrals(fixture *f) {
  for (int i = 0; i < 4; i++) {
    hw_referral r = {0};
    r.client_id = f->clients[i];
    r.source = HW_SOURCE_COMMUNITY;
    r.pathway = HW_PATHWAY_REABLEMENT;
    r.status = HW_REFERRAL_ACTIVE;
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
  int32_t created = -1;
  HW_CHECK_INT(hw_plan_generate_visits(f->st, f->locality, FX_TUESDAY, "coordinator", "gen-tue",
                                       hw_local_to_time(FX_MONDAY, 18 * 60), &created), ==, 0);
  HW_CHECK_INT(created, ==, 8);
  /* Generating again adds nothing. */
  HW_CHECK_INT(hw_plan_generate_visits(f->st, f->locality, FX_TUESDAY, "coordinator", "gen-tue-2",
                                       hw_local_to_time(FX_MONDAY, 18 * 60), &created), ==, 0);
  HW_CHECK_INT(created, ==, 0);
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = 0;
  pp.max_iterations = 300;
  char why[200] = "";
  HW_CHECK_INT(hw_plan_day(f->st, f->locality, FX_TUESDAY, &pp, "coordinator", "plan-tue",
                           hw_local_to_time(FX_MONDAY, 19 * 60), rep, why, sizeof why), ==, 0);
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
  HW_CHECK(rep.event_seq > 0);
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
  /* The published plan is in the log: the outcome replay sees every visit staffed. */
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_compute(f.st, FX_MONDAY, FX_MONDAY + 6, &o), ==, 0);
  HW_CHECK(o.unallocated_visit_hours == 0);
  HW_CHECK(o.travel_share_pct >= 0);
  HW_CHECK(o.continuity_workers_per_client_week >= 1);
  hw_outcomes_free(&o);
  hw_store_close(f.st);
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
  hw_repair_trigger t = {.kind = HW_REPAIR_ABSENCE};
  t.absence.worker_id = absent;
  t.absence.from = hw_local_to_time(FX_TUESDAY, 8 * 60);
  t.absence.to = hw_local_to_time(FX_TUESDAY, 12 * 60);
  snprintf(t.absence.reason, sizeof t.absence.reason, "sickness");
  int32_t expected = 0;
  for (int32_t i = 0; i < n; i++)
    expected += before[i].worker_ids[0] == absent && before[i].planned_start < t.absence.to;
  HW_CHECK(expected >= 1);
  hw_repair_report r;
  char why[200] = "";
  HW_CHECK_INT(hw_repair(f.st, f.locality, FX_TUESDAY, &t, "coordinator", "sick-1",
                         hw_local_to_time(FX_TUESDAY, 7 * 60), &r, why, sizeof why), ==, 0);
  HW_CHECK_INT(r.n_changes, ==, expected);
  for (int32_t k = 0; k < r.n_changes; k++) {
    HW_CHECK_INT(r.changes[k].old_workers[0], ==, absent);
    HW_CHECK(r.changes[k].new_workers[0] != absent);
    HW_CHECK(r.changes[k].new_start != HW_TIME_NONE);
  }
  int32_t m;
  hw_visit *after = day_visits(&f, &m);
  HW_CHECK_INT(m, ==, n);
  for (int32_t i = 0; i < n; i++) {
    int moved = 0;
    for (int32_t k = 0; k < r.n_changes; k++) moved |= r.changes[k].visit_id == before[i].id;
    if (moved) continue; /* everything else is exactly as published */
    HW_CHECK_INT(after[i].worker_ids[0], ==, before[i].worker_ids[0]);
    HW_CHECK_INT(after[i].planned_start, ==, before[i].planned_start);
  }
  hw_absence *ab;
  int32_t na;
  HW_CHECK_INT(hw_store_list_absences(f.st, absent, t.absence.from, t.absence.to, &ab, &na), ==, 0);
  HW_CHECK_INT(na, ==, 1);
  free(ab);
  free(before);
  free(after);
  hw_store_close(f.st);
}

HW_TEST(repair_urgent_visit_and_late_checkout) {
  fixture f;
  fx_open(&f, 0x7f);
  add_referrals(&f);
  hw_plan_report rep;
  plan_tuesday(&f, &rep);
  int32_t n;
  hw_visit *before = day_visits(&f, &n);
  hw_repair_trigger t = {.kind = HW_REPAIR_URGENT};
  t.urgent = before[0];
  t.urgent.id = 0;
  t.urgent.client_id = f.clients[3];
  t.urgent.window_start = hw_local_to_time(FX_TUESDAY, 13 * 60);
  t.urgent.window_end = hw_local_to_time(FX_TUESDAY, 14 * 60);
  t.urgent.priority = 95;
  hw_repair_report r;
  char why[200] = "";
  HW_CHECK_INT(hw_repair(f.st, f.locality, FX_TUESDAY, &t, "coordinator", "urgent-1",
                         hw_local_to_time(FX_TUESDAY, 12 * 60), &r, why, sizeof why), ==, 0);
  HW_CHECK_INT(r.n_changes, ==, 1);
  HW_CHECK(r.changes[0].new_start >= t.urgent.window_start && r.changes[0].new_start <= t.urgent.window_end);
  int32_t m;
  hw_visit *after = day_visits(&f, &m);
  HW_CHECK_INT(m, ==, n + 1);
  free(after);
  /* A late check-out: the morning visit's worker is busy until 10:55. */
  hw_repair_trigger late = {.kind = HW_REPAIR_LATE, .late_visit_id = before[0].id,
                            .late_until = hw_local_to_time(FX_TUESDAY, 10 * 60 + 55)};
  HW_CHECK_INT(hw_repair(f.st, f.locality, FX_TUESDAY, &late, "coordinator", "late-1",
                         hw_local_to_time(FX_TUESDAY, 10 * 60), &r, why, sizeof why), ==, 0);
  for (int32_t k = 0; k < r.n_changes; k++) {
    HW_CHECK_INT(r.changes[k].old_workers[0], ==, before[0].worker_ids[0]);
    HW_CHECK(r.changes[k].old_start > before[0].planned_start);
  }
  /* A bad trigger is refused and stores nothing. */
  int64_t events = hw_store_event_count(f.st);
  late.late_visit_id = 99999;
  HW_CHECK_INT(hw_repair(f.st, f.locality, FX_TUESDAY, &late, "coordinator", "late-2",
                         hw_local_to_time(FX_TUESDAY, 10 * 60), &r, why, sizeof why), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(why, "late_visit_id");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  free(before);
  hw_store_close(f.st);
}
