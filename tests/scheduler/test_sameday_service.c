/*
 * Same-day offers through the service.
 *
 * Tier 2 of a D2A offer: when nobody in the person's own
 * locality has room today, the reablement workers of a neighbouring locality
 * (one whose area touches it) are searched, travel from their own bases counted;
 * a locality far away never is. Accepting stores the episode on the neighbour's
 * team and rewrites that worker's roster; the next morning round hands the
 * episode home to the locality's own reablement team.
 *
 * The offers sweep: a request left waiting although its person is ready today is
 * tried again, and becomes offered when a start today opens up; while none has,
 * the sweep stores nothing.
 */
#include <stdlib.h>

#include "sched_fixture.h"

/* A locality with a reablement team of one worker based at its centre, free
 * 08:00-20:00 every day. Returns the worker; *team gets the team. */
static hw_id other_locality(fixture *f, const char *name, double lat, double lon, hw_id *team) {
  hw_locality l = {0};
  snprintf(l.name, sizeof l.name, "%s", name);
  l.population = 50000;
  l.centre = fx_geo(lat, lon);
  l.radius_m = 4000;
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  hw_team t = {0};
  t.locality_id = l.id;
  t.kind = HW_TEAM_REABLEMENT;
  snprintf(t.name, sizeof t.name, "%s Reablement 1", name);
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  *team = t.id;
  hw_id w = fx_worker(f, t.id, name, 0, 0x7f);
  hw_worker rec;
  HW_CHECK_INT(hw_store_get_worker(f->st, w, &rec), ==, 0);
  rec.base = l.centre;
  HW_CHECK_INT(hw_store_update_worker(f->st, &rec), ==, 0);
  return w;
}

/* Every worker of the fixture's own locality is off sick on day; their absences
 * in out (may be NULL). */
static void own_locality_off(fixture *f, hw_date day, hw_absence out[3]) {
  hw_id ws[3] = {f->med_worker, f->care_worker, f->mainstream_worker};
  for (int i = 0; i < 3; i++) {
    hw_absence a = {0};
    a.worker_id = ws[i];
    a.from = hw_local_to_time(day, 0);
    a.to = hw_local_to_time(day + 1, 0);
    snprintf(a.reason, sizeof a.reason, "sickness");
    HW_CHECK_INT(hw_store_insert_absence(f->st, &a), ==, 0);
    if (out) out[i] = a;
  }
}

static void tea_call_request(fixture *f, hw_date day, hw_discharge_result *out) {
  hw_discharge d = {0};
  d.client_id = f->clients[0];
  snprintf(d.hospital, sizeof d.hospital, "Monklands");
  d.ready_at = hw_local_to_time(day, 10 * 60);
  d.n_templates = 1;
  d.templates[0] = fx_template(16, 18, 30, 0);
  hw_change c = fx_change(f, day, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request(fx_service(f), &c, &d, NULL, out), ==, 0);
}

HW_TEST(a_neighbouring_reablement_team_takes_today_when_the_locality_has_no_room) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_id near_team, far_team;
  hw_id near = other_locality(&f, "Coatbridge", 55.8622, -4.0266, &near_team); /* 3 km west */
  hw_id far = other_locality(&f, "Lanark", 55.6736, -3.7820, &far_team);       /* 25 km south-east */
  (void)far;
  own_locality_off(&f, FX_TUESDAY, NULL);
  hw_discharge_result *res = calloc(1, sizeof *res);
  tea_call_request(&f, FX_TUESDAY, res);
  HW_CHECK_INT(res->discharge.status, ==, HW_DISCHARGE_OFFERED);
  HW_CHECK_INT(res->offer.start_date, ==, FX_TUESDAY);
  HW_CHECK_INT(res->offer.tier, ==, 2);
  HW_CHECK_INT(res->offer.visits[0].worker_ids[0], ==, near);
  hw_id id = res->discharge.id;
  hw_change c = fx_change(&f, FX_TUESDAY, 10 * 60 + 5);
  HW_CHECK_INT(hw_service_discharge_accept(fx_service(&f), &c, id, res), ==, 0);
  HW_CHECK_INT(res->referral.team_id, ==, near_team);
  hw_roster_entry *e;
  int32_t n;
  HW_CHECK_INT(hw_store_get_roster(f.st, near, FX_TUESDAY, &e, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(e[0].visit_id, ==, res->visit_ids[0]);
  HW_CHECK_INT(e[0].travel_seconds, >, 0); /* from Coatbridge to Airdrie */
  free(e);
  /* Wednesday's round: Airdrie's reablement has room again and takes it home. */
  hw_round_report rep;
  c = fx_change(&f, FX_TUESDAY + 1, 8 * 60);
  HW_CHECK_INT(hw_service_allocation_round(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.handed_over, ==, 1);
  hw_referral got;
  HW_CHECK_INT(hw_store_get_referral(f.st, res->referral.id, &got), ==, 0);
  HW_CHECK_INT(got.team_id, ==, f.reablement_team);
  free(res);
  fx_close(&f);
}

HW_TEST(a_locality_far_away_is_never_searched) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_id far_team;
  other_locality(&f, "Lanark", 55.6736, -3.7820, &far_team);
  own_locality_off(&f, FX_TUESDAY, NULL);
  hw_discharge_result *res = calloc(1, sizeof *res);
  tea_call_request(&f, FX_TUESDAY, res);
  HW_CHECK_INT(res->discharge.status, ==, HW_DISCHARGE_WAITING);
  HW_CHECK(res->offer.start_date != FX_TUESDAY);
  free(res);
  fx_close(&f);
}

HW_TEST(the_sweep_offers_today_once_room_opens_up_and_stores_nothing_before) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_absence off[3];
  own_locality_off(&f, FX_TUESDAY, off);
  hw_discharge_result *res = calloc(1, sizeof *res);
  tea_call_request(&f, FX_TUESDAY, res);
  HW_CHECK_INT(res->discharge.status, ==, HW_DISCHARGE_WAITING);
  hw_id id = res->discharge.id;
  int32_t offered, upgraded;
  int64_t events = hw_store_event_count(f.st);
  hw_change c = fx_change(&f, FX_TUESDAY, 10 * 60 + 15);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(offered + upgraded, ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  /* Callum is back at noon: the tea call has a worker today. */
  off[1].to = hw_local_to_time(FX_TUESDAY, 12 * 60);
  HW_CHECK_INT(hw_store_update_absence(f.st, &off[1]), ==, 0);
  hw_service_forget(fx_service(&f)); /* changed behind the service's back: no event to see */
  c = fx_change(&f, FX_TUESDAY, 12 * 60 + 15);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(upgraded, ==, 1);
  hw_discharge d;
  HW_CHECK_INT(hw_store_get_discharge(f.st, id, &d), ==, 0);
  HW_CHECK_INT(d.status, ==, HW_DISCHARGE_OFFERED);
  HW_CHECK(d.offered_start >= hw_local_to_time(FX_TUESDAY, 16 * 60));
  hw_event last;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(f.st, hw_store_last_seq(f.st) - 1, 1, &last, &n), ==, 0);
  HW_CHECK_STR(last.type, "discharge.offered");
  hw_event_free_array(&last, n);
  /* Offered now: the next sweep leaves it alone. */
  events = hw_store_event_count(f.st);
  c = fx_change(&f, FX_TUESDAY, 12 * 60 + 30);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(offered + upgraded, ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  free(res);
  fx_close(&f);
}

/* The sweep runs on the writer: it tries at most 8 waiting requests, in turns
 * round the list, so a long waiting list never stalls the writer for long. */
HW_TEST(the_sweep_takes_a_long_waiting_list_in_turns) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_absence off[3];
  own_locality_off(&f, FX_TUESDAY, off);
  hw_discharge_result *res = calloc(1, sizeof *res);
  for (int i = 0; i < 12; i++) {
    hw_discharge d = {0};
    d.client_id = f.clients[i % 4];
    snprintf(d.hospital, sizeof d.hospital, "Monklands");
    d.ready_at = hw_local_to_time(FX_TUESDAY, 10 * 60);
    d.n_templates = 1;
    d.templates[0] = fx_template(12, 20, 20, 0);
    hw_change c = fx_change(&f, FX_TUESDAY, 10 * 60);
    HW_CHECK_INT(hw_service_discharge_request(fx_service(&f), &c, &d, NULL, res), ==, 0);
    HW_CHECK_INT(res->discharge.status, ==, HW_DISCHARGE_WAITING);
  }
  off[1].to = hw_local_to_time(FX_TUESDAY, 11 * 60);
  HW_CHECK_INT(hw_store_update_absence(f.st, &off[1]), ==, 0);
  hw_service_forget(fx_service(&f)); /* changed behind the service's back */
  int32_t offered, upgraded;
  hw_change c = fx_change(&f, FX_TUESDAY, 11 * 60);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(upgraded, ==, 8);
  c = fx_change(&f, FX_TUESDAY, 11 * 60 + 15);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(upgraded, ==, 4); /* the rest, then nobody is waiting */
  c = fx_change(&f, FX_TUESDAY, 11 * 60 + 30);
  HW_CHECK_INT(hw_service_offer_sweep(fx_service(&f), &c, &offered, &upgraded), ==, 0);
  HW_CHECK_INT(upgraded, ==, 0);
  free(res);
  fx_close(&f);
}
