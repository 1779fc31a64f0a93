/*
 * Offers computed off the writer (scheduler/service/offer_draft.c): a draft read
 * from a snapshot on a read-only handle is stored with its request when nothing
 * it relied on changed; a change to an offered worker's day makes it stale and
 * nothing is stored; a change elsewhere does not; an offer that is not for today
 * needs its whole locality unchanged; an inline new client is offered before it
 * is stored; an offer that hands a visit to another worker relies on both
 * workers' days and on the visit itself; one whose search reached the
 * neighbouring localities relies on their rosters too, and so does the cache.
 */
#include <stdlib.h>

#include "sched_fixture.h"

typedef struct drafting {
  fixture f;
  hw_store *reader;            /* read-only, as a thread of the daemon's pool has */
  hw_daycache *cache;
  hw_service_settings set;
  hw_offer_draft *draft;
  hw_discharge_result *res;
} drafting;

static void open_drafting(drafting *x, uint8_t med_worker_days) {
  fx_open(&x->f, med_worker_days);
  hw_store_options o;
  hw_store_options_init(&o);
  o.read_only = 1;
  char msg[200];
  HW_CHECK_INT(hw_store_open(hw_test_path("sched.db"), &o, &x->reader, msg, sizeof msg), ==, 0);
  x->cache = hw_daycache_new();
  hw_service_settings_init(&x->set);
  x->draft = calloc(1, sizeof *x->draft);
  x->res = calloc(1, sizeof *x->res);
}

static void close_drafting(drafting *x) {
  free(x->draft);
  free(x->res);
  hw_daycache_free(x->cache);
  hw_store_close(x->reader);
  fx_close(&x->f);
}

/* Client 1 ready Tuesday 10:00 for a lunch and a tea visit (lunch: medication). */
static hw_discharge request_for(const fixture *f, int medication) {
  hw_discharge d = {.client_id = f->clients[0], .ready_at = hw_local_to_time(FX_TUESDAY, 10 * 60), .n_templates = 2};
  snprintf(d.hospital, sizeof d.hospital, "University Hospital Monklands");
  d.templates[0] = fx_template(12, 14, 30, medication);
  d.templates[1] = fx_template(17, 19, 30, 0);
  return d;
}

static int32_t discharges_stored(fixture *f) {
  hw_discharge *ds = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_discharges(f->st, -1, &ds, &n), ==, 0);
  free(ds);
  return n;
}

/* An absence of worker on Tuesday from..to (local minutes), with its repair. */
static void absent(drafting *x, hw_id worker, int from, int to) {
  hw_absence a = {.worker_id = worker, .from = hw_local_to_time(FX_TUESDAY, from),
                  .to = hw_local_to_time(FX_TUESDAY, to)};
  snprintf(a.reason, sizeof a.reason, "sickness");
  hw_absence_result out;
  hw_change c = fx_change(&x->f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_absence(fx_service(&x->f), &c, &a, &out), ==, 0);
}

HW_TEST(a_current_draft_is_stored_with_its_request) {
  drafting x;
  open_drafting(&x, 0x7f);
  hw_discharge d = request_for(&x.f, 0);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK_INT(x.draft->offer.found, ==, 1);
  HW_CHECK_INT(x.draft->offer.start_date, ==, FX_TUESDAY);
  HW_CHECK(x.draft->n_checks >= 1);
  /* A worker of the locality not in the offer (reablement first) is away: the
   * offer still holds. */
  HW_CHECK_INT(x.draft->offer.tier, ==, 0);
  absent(&x, x.f.mainstream_worker, 12 * 60, 20 * 60);
  int64_t events = hw_store_event_count(x.f.st);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, 0);
  HW_CHECK_INT(x.res->discharge.status, ==, HW_DISCHARGE_OFFERED);
  HW_CHECK_INT(x.res->discharge.offered_start, ==, x.draft->offer.first_visit);
  HW_CHECK_INT(x.res->offer.visits[0].client_id, ==, x.f.clients[0]);
  HW_CHECK_INT(hw_store_event_count(x.f.st), ==, events + 2); /* requested and offered, together */
  close_drafting(&x);
}

HW_TEST(a_draft_goes_stale_when_an_offered_worker_day_changes) {
  drafting x;
  open_drafting(&x, 0x7f);
  hw_discharge d = request_for(&x.f, 0);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK_INT(x.draft->offer.start_date, ==, FX_TUESDAY);
  absent(&x, x.draft->offer.visits[0].worker_ids[0], 11 * 60, 20 * 60);
  int64_t events = hw_store_event_count(x.f.st);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, HW_EBUSY);
  HW_CHECK_INT(x.res->draft_stale, ==, 1);
  HW_CHECK_INT(hw_store_event_count(x.f.st), ==, events);
  HW_CHECK_INT(discharges_stored(&x.f), ==, 0);
  /* A fresh draft sees the absence and is stored. */
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, 0);
  HW_CHECK_INT(discharges_stored(&x.f), ==, 1);
  close_drafting(&x);
}

HW_TEST(an_offer_not_for_today_needs_its_locality_unchanged) {
  drafting x;
  open_drafting(&x, 1u << 3); /* the only medication-trained worker works Thursdays */
  x.set.d2a.first_days = 1;
  x.set.d2a.later_start = 0;
  hw_discharge d = request_for(&x.f, 1);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK(x.draft->offer.start_date > FX_TUESDAY);
  /* The claim "no room today" rests on every roster of the locality. */
  absent(&x, x.f.mainstream_worker, 12 * 60, 13 * 60);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, HW_EBUSY);
  HW_CHECK_INT(x.res->draft_stale, ==, 1);
  /* Without a draft the writer computes the offer itself. */
  hw_service *svc = hw_service_new(x.f.st, &x.set);
  HW_CHECK_INT(hw_service_discharge_request_drafted(svc, &c, &d, NULL, NULL, x.res), ==, 0);
  HW_CHECK_INT(x.res->discharge.status, ==, HW_DISCHARGE_WAITING);
  HW_CHECK_INT(x.res->discharge.earliest, ==, FX_TUESDAY + 2);
  hw_service_free(svc);
  close_drafting(&x);
}

HW_TEST(an_inline_new_client_is_offered_before_it_is_stored) {
  drafting x;
  open_drafting(&x, 0x7f);
  hw_discharge d = request_for(&x.f, 0);
  d.client_id = 0;
  hw_client fresh = {.locality_id = x.f.locality, .location = fx_geo(55.8690, -3.9770)};
  snprintf(fresh.name, sizeof fresh.name, "New From Ward 7");
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, &fresh, x.draft), ==, 0);
  HW_CHECK_INT(x.draft->offer.start_date, ==, FX_TUESDAY);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, &fresh, x.draft, x.res), ==, 0);
  HW_CHECK(x.res->client.id > 0);
  HW_CHECK_INT(x.res->discharge.client_id, ==, x.res->client.id);
  HW_CHECK_INT(x.res->discharge.status, ==, HW_DISCHARGE_OFFERED);
  close_drafting(&x);
}

/* Client 2's hour from 17:00 (window 17:00-17:10, no medication) on the
 * medication-trained worker's Tuesday: the only one who may give a medication
 * call at 17:00 is busy, and the other reablement worker is free. */
static void tea_hour_on_the_med_worker(fixture *f) {
  hw_visit_template t = fx_template(17, 18, 60, 0);
  t.window.end = 17 * 60 + 10;
  fx_rostered_visit(f, f->clients[1], FX_TUESDAY, FX_TUESDAY, t, f->med_worker, 17 * 60);
}

HW_TEST(a_reassigning_draft_goes_stale_when_the_receiving_worker_day_changes) {
  drafting x;
  open_drafting(&x, 0x7f);
  tea_hour_on_the_med_worker(&x.f);
  hw_discharge d = request_for(&x.f, 1);
  d.n_templates = 1;
  d.templates[0] = fx_template(17, 18, 20, 1);
  d.templates[0].window.end = 17 * 60 + 30;
  d.templates[0].prescribed_minute = 17 * 60 + 15;
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK_INT(x.draft->offer.start_date, ==, FX_TUESDAY);
  HW_CHECK(x.draft->offer.lever & HW_D2A_LEVER_REASSIGN);
  HW_CHECK_INT(x.draft->offer.n_moved, ==, 1);
  HW_CHECK_INT(x.draft->offer.moved[0].worker_id, ==, x.f.care_worker);
  /* The visit would move onto the care worker's day: a change there (an absence
   * over the tea hour, with nothing of theirs to repair) makes the draft stale. */
  absent(&x, x.f.care_worker, 16 * 60, 19 * 60);
  int64_t events = hw_store_event_count(x.f.st);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, HW_EBUSY);
  HW_CHECK_INT(x.res->draft_stale, ==, 1);
  HW_CHECK_INT(hw_store_event_count(x.f.st), ==, events);
  HW_CHECK_INT(discharges_stored(&x.f), ==, 0);
  close_drafting(&x);
}

HW_TEST(a_reassigning_draft_goes_stale_when_the_moved_visit_is_pinned) {
  drafting x;
  open_drafting(&x, 0x7f);
  tea_hour_on_the_med_worker(&x.f);
  hw_discharge d = request_for(&x.f, 1);
  d.n_templates = 1;
  d.templates[0] = fx_template(17, 18, 20, 1);
  d.templates[0].window.end = 17 * 60 + 30;
  d.templates[0].prescribed_minute = 17 * 60 + 15;
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK_INT(x.draft->offer.n_moved, ==, 1);
  /* A coordinator pins the visit the offer would hand over: no roster changes,
   * but it may no longer be lifted. */
  hw_visit v;
  HW_CHECK_INT(hw_store_get_visit(x.f.st, x.draft->offer.moved[0].visit_id, &v), ==, 0);
  v.pinned = 1;
  HW_CHECK_INT(hw_store_update_visit(x.f.st, &v), ==, 0);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, HW_EBUSY);
  HW_CHECK_INT(x.res->draft_stale, ==, 1);
  HW_CHECK_INT(discharges_stored(&x.f), ==, 0);
  close_drafting(&x);
}

/* A neighbouring locality (Coatbridge, 3 km west: the areas touch) whose one
 * reablement worker, based at its centre, is off all Tuesday, as is every worker
 * of the fixture's own locality: no room today anywhere an offer may look. */
static hw_id neighbour_with_nobody_free(fixture *f) {
  hw_locality l = {0};
  snprintf(l.name, sizeof l.name, "Coatbridge");
  l.population = 43000;
  l.centre = fx_geo(55.8622, -4.0266);
  l.radius_m = 4000;
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  hw_team t = {.locality_id = l.id, .kind = HW_TEAM_REABLEMENT};
  snprintf(t.name, sizeof t.name, "Coatbridge Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  hw_id near = fx_worker(f, t.id, "Nadia Near", 0, 0x7f);
  hw_id off[4] = {f->med_worker, f->care_worker, f->mainstream_worker, near};
  for (int i = 0; i < 4; i++) {
    hw_absence a = {.worker_id = off[i], .from = hw_local_to_time(FX_TUESDAY, 0),
                    .to = hw_local_to_time(FX_TUESDAY + 1, 0)};
    snprintf(a.reason, sizeof a.reason, "sickness");
    HW_CHECK_INT(hw_store_insert_absence(f->st, &a), ==, 0);
  }
  return near;
}

HW_TEST(an_offer_not_for_today_needs_the_neighbours_it_searched_unchanged) {
  drafting x;
  open_drafting(&x, 0x7f);
  hw_id near = neighbour_with_nobody_free(&x.f);
  hw_discharge d = request_for(&x.f, 0);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  HW_CHECK(x.draft->offer.start_date > FX_TUESDAY);
  HW_CHECK_INT(x.draft->n_neighbours, ==, 1);
  /* "No room today" rested on the neighbour's rosters too: a change there
   * (an absence of its worker's on Wednesday) makes the draft stale. */
  hw_absence a = {.worker_id = near, .from = hw_local_to_time(FX_TUESDAY + 1, 8 * 60),
                  .to = hw_local_to_time(FX_TUESDAY + 1, 9 * 60)};
  snprintf(a.reason, sizeof a.reason, "training");
  hw_absence_result out;
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_absence(fx_service(&x.f), &c, &a, &out), ==, 0);
  c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_discharge_request_drafted(fx_service(&x.f), &c, &d, NULL, x.draft, x.res), ==, HW_EBUSY);
  HW_CHECK_INT(x.res->draft_stale, ==, 1);
  HW_CHECK_INT(discharges_stored(&x.f), ==, 0);
  close_drafting(&x);
}

HW_TEST(a_neighbour_event_drops_a_cached_locality_whose_tier_2_days_are_loaded) {
  drafting x;
  open_drafting(&x, 0x7f);
  hw_id near = neighbour_with_nobody_free(&x.f);
  hw_discharge d = request_for(&x.f, 0);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 10 * 60);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  int64_t loads, hits;
  hw_daycache_stats(x.cache, &loads, &hits);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  int64_t loads_again, hits_again;
  hw_daycache_stats(x.cache, &loads_again, &hits_again);
  HW_CHECK_INT(loads_again, ==, loads); /* nothing changed: served from the cache */
  hw_absence a = {.worker_id = near, .from = hw_local_to_time(FX_TUESDAY + 1, 8 * 60),
                  .to = hw_local_to_time(FX_TUESDAY + 1, 9 * 60)};
  snprintf(a.reason, sizeof a.reason, "training");
  hw_absence_result out;
  HW_CHECK_INT(hw_service_absence(fx_service(&x.f), &c, &a, &out), ==, 0);
  HW_CHECK_INT(hw_service_offer_draft(x.reader, x.cache, &x.set, &c, &d, NULL, x.draft), ==, 0);
  hw_daycache_stats(x.cache, &loads_again, &hits_again);
  HW_CHECK_INT(loads_again, ==, loads + 1); /* the neighbour's change: loaded again */
  close_drafting(&x);
}
