/*
 * D2A through the service: a slot today where the rosters have a gap, an honest
 * later date when the skills are missing today, acceptance pinning the visits,
 * and the discharge closing the bed-day count.
 */
#include <stdlib.h>

#include "hw_d2a.h"
#include "hw_outcomes.h"
#include "sched_fixture.h"

/* A service with D2A options changed from the defaults. */
static hw_service *service_with(fixture *f, int first_days, int max_days) {
  hw_service_settings s;
  hw_service_settings_init(&s);
  if (first_days) s.d2a.first_days = first_days;
  if (max_days) s.d2a.max_days = max_days;
  hw_service *svc = hw_service_new(f->st, &s);
  HW_CHECK(svc != NULL);
  return svc;
}

static hw_id add_discharge(fixture *f, int medication, hw_time ready) {
  hw_discharge d = {0};
  d.client_id = f->clients[0];
  snprintf(d.hospital, sizeof d.hospital, "University Hospital Monklands");
  snprintf(d.ward, sizeof d.ward, "Ward 7");
  d.ready_at = ready;
  d.status = HW_DISCHARGE_REQUESTED;
  d.offered_start = HW_TIME_NONE;
  d.earliest = HW_DATE_NONE;
  d.discharged_at = HW_TIME_NONE;
  d.n_templates = 2;
  d.templates[0] = fx_template(12, 14, 30, medication);
  d.templates[1] = fx_template(17, 19, 30, 0);
  HW_CHECK_INT(hw_store_insert_discharge(f->st, &d), ==, 0);
  return d.id;
}

HW_TEST(offer_today_when_a_gap_exists) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_time ready = hw_local_to_time(FX_TUESDAY, 10 * 60);
  hw_id id = add_discharge(&f, 0, ready);
  hw_discharge_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_offer(fx_service(&f), &c, id, res), ==, 0);
  const hw_d2a_offer *offer = &res->offer;
  HW_CHECK_INT(offer->found, ==, 1);
  HW_CHECK_INT(offer->start_date, ==, FX_TUESDAY);
  HW_CHECK_INT(offer->tier, ==, 0); /* reablement first */
  HW_CHECK(offer->first_visit >= ready + 120 * 60);
  HW_CHECK_INT(offer->n_visits, ==, 4); /* two today, two tomorrow */
  hw_discharge d;
  HW_CHECK_INT(hw_store_get_discharge(f.st, id, &d), ==, 0);
  HW_CHECK_INT(d.status, ==, HW_DISCHARGE_OFFERED);
  HW_CHECK_INT(d.offered_start, ==, offer->first_visit);

  c = fx_change(&f, FX_TUESDAY, 10 * 60 + 5);
  HW_CHECK_INT(hw_service_discharge_accept(fx_service(&f), &c, id, res), ==, 0);
  HW_CHECK_INT(hw_store_get_discharge(f.st, id, &d), ==, 0);
  HW_CHECK_INT(d.status, ==, HW_DISCHARGE_ACCEPTED);
  HW_CHECK(d.referral_id > 0);
  HW_CHECK_INT(res->referral.id, ==, d.referral_id);
  HW_CHECK_INT(res->n_visit_ids, ==, 4);
  hw_referral r;
  HW_CHECK_INT(hw_store_get_referral(f.st, d.referral_id, &r), ==, 0);
  HW_CHECK_INT(r.pathway, ==, HW_PATHWAY_REABLEMENT);
  HW_CHECK_INT(r.source, ==, HW_SOURCE_HOSPITAL);
  HW_CHECK_INT(r.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(r.team_id, ==, f.reablement_team);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_store_list_visits(f.st, FX_TUESDAY, FX_TUESDAY + 1, 0, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 4);
  for (int32_t i = 0; i < n; i++) {
    HW_CHECK_INT(v[i].pinned, ==, 1);
    HW_CHECK(v[i].worker_ids[0] == f.med_worker || v[i].worker_ids[0] == f.care_worker);
    HW_CHECK(v[i].planned_start >= v[i].window_start && v[i].planned_start <= v[i].window_end);
  }
  hw_roster_entry *e;
  int32_t ne;
  HW_CHECK_INT(hw_store_get_roster(f.st, v[0].worker_ids[0], FX_TUESDAY, &e, &ne), ==, 0);
  HW_CHECK(ne >= 1);
  free(e);
  free(v);

  hw_time left = ready + 3600;
  c = fx_change(&f, FX_TUESDAY, 11 * 60 + 30);
  HW_CHECK_INT(hw_service_discharge_discharged(fx_service(&f), &c, id, left, res), ==, 0);
  c = fx_change(&f, FX_TUESDAY, 11 * 60 + 31);
  HW_CHECK_INT(hw_service_discharge_discharged(fx_service(&f), &c, id, left, res), ==, HW_ECONFLICT);
  hw_outcomes out;
  hw_outcomes_init(&out);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_MONDAY, FX_MONDAY + 6, 0, &out), ==, 0);
  HW_CHECK_INT(out.discharged, ==, 1);
  HW_CHECK(out.same_day_discharge_pct == 100.0);
  HW_CHECK_INT(out.occupied_bed_days, ==, 0);
  hw_outcomes_free(&out);
  free(res);
  fx_close(&f);
}

HW_TEST(missing_skill_waits_with_an_honest_date) {
  fixture f;
  fx_open(&f, 1u << 3); /* the only medication-trained worker works Thursdays */
  hw_time ready = hw_local_to_time(FX_TUESDAY, 9 * 60);
  hw_id id = add_discharge(&f, 1, ready);
  hw_service *svc = service_with(&f, 1, 0);
  hw_discharge_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_TUESDAY, 9 * 60);
  HW_CHECK_INT(hw_service_discharge_offer(svc, &c, id, res), ==, 0);
  HW_CHECK_INT(res->offer.found, ==, 1);
  HW_CHECK_INT(res->offer.start_date, ==, FX_TUESDAY + 2); /* Thursday */
  hw_discharge d;
  HW_CHECK_INT(hw_store_get_discharge(f.st, id, &d), ==, 0);
  HW_CHECK_INT(d.status, ==, HW_DISCHARGE_WAITING);
  HW_CHECK_INT(d.earliest, ==, FX_TUESDAY + 2);
  hw_service_free(svc);
  /* Nobody holds the skill at all within the horizon: no offer, still waiting. */
  svc = service_with(&f, 1, 2);
  c = fx_change(&f, FX_TUESDAY, 9 * 60 + 1);
  HW_CHECK_INT(hw_service_discharge_offer(svc, &c, id, res), ==, 0);
  HW_CHECK_INT(res->offer.found, ==, 0);
  HW_CHECK_CONTAINS(res->offer.reason, "skills");
  HW_CHECK_INT(hw_store_get_discharge(f.st, id, &d), ==, 0);
  HW_CHECK_INT(d.status, ==, HW_DISCHARGE_WAITING);
  HW_CHECK(d.earliest == HW_DATE_NONE);
  /* Accepting without a workable offer stores nothing. */
  int64_t events = hw_store_event_count(f.st);
  c = fx_change(&f, FX_TUESDAY, 9 * 60 + 2);
  HW_CHECK_INT(hw_service_discharge_accept(svc, &c, id, res), ==, HW_ECONFLICT);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  hw_service_free(svc);
  /* Bed days accrue while waiting: ready Tuesday, censuses Tue..Sun - once those
   * midnights have passed. */
  hw_outcomes out;
  hw_outcomes_init(&out);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_MONDAY, FX_MONDAY + 6, 0, &out), ==, 0);
  HW_CHECK_INT(out.occupied_bed_days, ==, 6);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_MONDAY, FX_MONDAY + 6, hw_local_to_time(FX_TUESDAY + 2, 600), &out),
               ==, 0);
  HW_CHECK_INT(out.occupied_bed_days, ==, 2); /* Tuesday's and Wednesday's midnights only */
  hw_outcomes_free(&out);
  free(res);
  fx_close(&f);
}
