/*
 * The capacity allocation on small cases whose answers are worked out by hand,
 * and its store wrapper allocating open referrals.
 */
#include "hw_capacity.h"
#include "hw_error.h"
#include "hw_test.h"
#include "sched_fixture.h"

static hw_capacity_options opts(int days) {
  hw_capacity_options o;
  hw_capacity_options_init(&o);
  o.horizon_days = days;
  return o;
}

static hw_capacity_team team(hw_id id, hw_id locality, int days, int minutes, int med_minutes) {
  hw_capacity_team t = {.id = id, .locality_id = locality, .kind = HW_TEAM_REABLEMENT};
  for (int d = 0; d < days; d++) {
    t.free_minutes[d][0] = minutes;
    t.free_minutes[d][1] = med_minutes;
  }
  return t;
}

static hw_capacity_request req(hw_id id, hw_id locality, int discharge, int minutes, hw_date earliest) {
  hw_capacity_request r = {.id = id, .locality_id = locality, .pathway = HW_PATHWAY_REABLEMENT,
                           .discharge = discharge, .source = discharge ? HW_SOURCE_HOSPITAL : HW_SOURCE_COMMUNITY,
                           .earliest = earliest, .daily_minutes = minutes};
  return r;
}

HW_TEST(discharge_wins_the_scarce_slot) {
  hw_capacity_options o = opts(3);
  hw_capacity_team t = team(7, 1, 3, 100, 100);
  hw_capacity_request r[2] = {req(1, 1, 0, 60, 100), req(2, 1, 1, 60, 100)}; /* community first in the list */
  hw_capacity_decision d[2];
  hw_capacity_summary s;
  HW_CHECK_INT(hw_capacity_allocate(&o, 100, &t, 1, r, 2, d, &s), ==, 0);
  HW_CHECK_INT(d[1].team_id, ==, 7);
  HW_CHECK_INT(d[1].start_date, ==, 100);
  HW_CHECK_INT(d[0].team, ==, -1); /* 40 minutes a day are left: never enough */
  HW_CHECK(d[0].start_date == HW_DATE_NONE);
  HW_CHECK_INT(s.deferred, ==, 1);
  HW_CHECK_INT(s.started_in_horizon, ==, 1);
}

HW_TEST(capacity_forces_the_next_day) {
  hw_capacity_options o = opts(4);
  hw_capacity_team t = team(3, 1, 4, 90, 90);
  t.free_minutes[0][0] = 20; /* today is full */
  hw_capacity_request r = req(1, 1, 1, 45, 200);
  hw_capacity_decision d;
  HW_CHECK_INT(hw_capacity_allocate(&o, 200, &t, 1, &r, 1, &d, NULL), ==, 0);
  HW_CHECK_INT(d.start_date, ==, 201);
  /* Two that both fit from day 1: both start on day 1, none on day 0. */
  hw_capacity_request two[2] = {req(1, 1, 1, 45, 200), req(2, 1, 1, 45, 200)};
  hw_capacity_decision dd[2];
  HW_CHECK_INT(hw_capacity_allocate(&o, 200, &t, 1, two, 2, dd, NULL), ==, 0);
  HW_CHECK_INT(dd[0].start_date, ==, 201);
  HW_CHECK_INT(dd[1].start_date, ==, 201);
}

HW_TEST(locality_and_medication_are_respected) {
  hw_capacity_options o = opts(2);
  hw_capacity_team t[2] = {team(1, 1, 2, 500, 0), team(2, 2, 2, 500, 500)};
  hw_capacity_request r[3] = {req(1, 2, 0, 60, 10), req(2, 1, 1, 60, 10), req(3, 1, 1, 60, 10)};
  r[2].skill_class = 1; /* needs medication-trained staff; locality 1 has none */
  hw_capacity_decision d[3];
  HW_CHECK_INT(hw_capacity_allocate(&o, 10, t, 2, r, 3, d, NULL), ==, 0);
  HW_CHECK_INT(d[0].team_id, ==, 2); /* locality 2's person goes to locality 2's team */
  HW_CHECK_INT(d[1].team_id, ==, 1);
  HW_CHECK_INT(d[2].team, ==, -1);
  /* Ongoing care never goes to a reablement team. */
  r[0].pathway = HW_PATHWAY_MAINSTREAM;
  HW_CHECK_INT(hw_capacity_allocate(&o, 10, t, 2, r, 1, d, NULL), ==, 0);
  HW_CHECK_INT(d[0].team, ==, -1);
}

HW_TEST(plan_load_and_bad_input) {
  hw_visit_template t[2] = {{0}};
  t[0].weekdays = 0x7f;
  t[0].duration = 30;
  t[0].workers = 2;
  t[1].weekdays = 0x01;
  t[1].duration = 70;
  t[1].workers = 1;
  t[1].medication = 1;
  int32_t minutes, cls;
  hw_capacity_plan_load(t, 2, &minutes, &cls);
  HW_CHECK_INT(minutes, ==, 70); /* (7 * 60 + 70) / 7 = 70 */
  HW_CHECK_INT(cls, ==, 1);
  hw_capacity_options o = opts(0);
  hw_capacity_decision d;
  HW_CHECK_INT(hw_capacity_allocate(&o, 0, NULL, 0, NULL, 0, &d, NULL), ==, HW_EINVAL);
  o = opts(2);
  hw_capacity_request r = req(1, 1, 0, 10, 0);
  r.skill_class = 5;
  hw_capacity_team tm = team(1, 1, 2, 100, 100);
  HW_CHECK_INT(hw_capacity_allocate(&o, 0, &tm, 1, &r, 1, &d, NULL), ==, HW_EINVAL);
}

HW_TEST(morning_round_allocates_the_waiting_list) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral r = {0};
  r.client_id = f.clients[1];
  r.source = HW_SOURCE_HOSPITAL;
  r.pathway = HW_PATHWAY_REABLEMENT;
  r.status = HW_REFERRAL_WAITING;
  r.start_date = FX_MONDAY;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(9, 11, 45, 0);
  HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
  hw_referral ongoing = r;
  ongoing.id = 0;
  ongoing.client_id = f.clients[2];
  ongoing.source = HW_SOURCE_COMMUNITY;
  ongoing.pathway = HW_PATHWAY_MAINSTREAM;
  HW_CHECK_INT(hw_store_insert_referral(f.st, &ongoing), ==, 0);
  hw_round_report rep;
  hw_change c = fx_change(&f, FX_MONDAY, 8 * 60);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.waiting, ==, 2);
  HW_CHECK_INT(rep.allocated, ==, 2);
  HW_CHECK(rep.visits_created >= 2 * 14); /* both, over the horizon */
  hw_referral got;
  HW_CHECK_INT(hw_store_get_referral(f.st, r.id, &got), ==, 0);
  HW_CHECK_INT(got.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(got.team_id, ==, f.reablement_team); /* reablement first */
  HW_CHECK_INT(got.start_date, ==, FX_MONDAY);
  HW_CHECK_INT(hw_store_get_referral(f.st, ongoing.id, &got), ==, 0);
  HW_CHECK_INT(got.team_id, ==, f.mainstream_team);
  fx_close(&f);
}

/* A round that changes nothing - the same referral waits for the same reason to
 * the same date - stores no event: the log records decisions, not heartbeats. */
HW_TEST(a_round_that_changes_nothing_stores_nothing) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral r = {0};
  r.client_id = f.clients[1];
  r.source = HW_SOURCE_HOSPITAL;
  r.pathway = HW_PATHWAY_INTENSIVE; /* the fixture has no intensive team: it waits */
  r.status = HW_REFERRAL_WAITING;
  r.start_date = FX_MONDAY;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(9, 11, 45, 0);
  r.templates[0].skills |= 1u << HW_SKILL_END_OF_LIFE;
  HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
  hw_round_report rep;
  hw_change c = fx_change(&f, FX_MONDAY, 8 * 60);
  int64_t events = hw_store_event_count(f.st);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.allocated, ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 1); /* the reason it waits is news */
  hw_referral got;
  HW_CHECK_INT(hw_store_get_referral(f.st, r.id, &got), ==, 0);
  HW_CHECK(got.waiting_reason[0] != '\0');
  c = fx_change(&f, FX_MONDAY, 9 * 60);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 1);
  fx_close(&f);
}

/* A discharge the mainstream team carried because reablement had no room (a
 * bridge) goes to reablement at the next morning round when a reablement team
 * can take it from tomorrow - not when none can deliver its plan. */
HW_TEST(a_bridged_discharge_is_handed_over_to_reablement) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral r = {0};
  r.client_id = f.clients[1];
  r.source = HW_SOURCE_HOSPITAL;
  r.pathway = HW_PATHWAY_REABLEMENT;
  r.status = HW_REFERRAL_ALLOCATED;
  r.team_id = f.mainstream_team;
  r.start_date = FX_MONDAY;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(9, 11, 45, 0);
  HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
  hw_referral unable = r;
  unable.id = 0;
  unable.client_id = f.clients[2];
  unable.templates[0].skills |= 1u << HW_SKILL_END_OF_LIFE; /* nobody in reablement holds it */
  HW_CHECK_INT(hw_store_insert_referral(f.st, &unable), ==, 0);
  hw_round_report rep;
  hw_change c = fx_change(&f, FX_MONDAY, 8 * 60);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.handed_over, ==, 1);
  hw_referral got;
  HW_CHECK_INT(hw_store_get_referral(f.st, r.id, &got), ==, 0);
  HW_CHECK_INT(got.team_id, ==, f.reablement_team);
  HW_CHECK_INT(got.start_date, ==, FX_MONDAY); /* the episode began with the bridge */
  HW_CHECK_INT(hw_store_get_referral(f.st, unable.id, &got), ==, 0);
  HW_CHECK_INT(got.team_id, ==, f.mainstream_team);
  hw_event last;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(f.st, hw_store_last_seq(f.st) - 1, 1, &last, &n), ==, 0);
  HW_CHECK_STR(last.type, "referral.handed_over");
  HW_CHECK_CONTAINS(last.payload, "bridged by team");
  hw_event_free_array(&last, n);
  /* The next round has nothing left to hand over. */
  c = fx_change(&f, FX_MONDAY + 1, 8 * 60);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.handed_over, ==, 0);
  fx_close(&f);
}
