/*
 * Offers computed off the writer (scheduler/service/offer_draft.c): a draft read
 * from a snapshot on a read-only handle is stored with its request when nothing
 * it relied on changed; a change to an offered worker's day makes it stale and
 * nothing is stored; a change elsewhere does not; an offer that is not for today
 * needs its whole locality unchanged; an inline new client is offered before it
 * is stored.
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
