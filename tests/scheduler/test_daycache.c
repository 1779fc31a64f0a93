/*
 * Tests of the D2A day cache (scheduler/service/daycache.c): an event drops only
 * the locality it names, one of no locality or one that may move records between
 * localities drops them all, an unstored client is offered without a reload, and
 * the cache reports what it holds.
 */
#include "hw_daycache.h"
#include "sched_fixture.h"

/* A second locality (Wishaw) with a reablement worker and one client. */
static hw_id add_wishaw(fixture *f, hw_id *client) {
  hw_locality l = {.population = 58343, .centre = fx_geo(55.7739, -3.9189), .radius_m = 4000};
  snprintf(l.name, sizeof l.name, "Wishaw");
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  hw_team t = {.locality_id = l.id, .kind = HW_TEAM_REABLEMENT};
  snprintf(t.name, sizeof t.name, "Wishaw Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  fx_worker(f, t.id, "Wendy Wishaw", 0, 0x7f);
  hw_client c = {.locality_id = l.id, .location = fx_geo(55.7745, -3.9170)};
  snprintf(c.name, sizeof c.name, "Wishaw Client");
  HW_CHECK_INT(hw_store_insert_client(f->st, &c), ==, 0);
  *client = c.id;
  return l.id;
}

static int no_change(hw_store *st, void *ctx, char **result) {
  (void)st;
  (void)ctx;
  (void)result;
  return 0;
}

/* An event of this type in this locality (the cache reads only type and locality). */
static void log_event(fixture *f, const char *type, hw_id locality) {
  hw_event ev = {.received_at = hw_local_to_time(FX_MONDAY, 9 * 60), .locality_id = locality, .payload = "{}"};
  snprintf(ev.type, sizeof ev.type, "%s", type);
  snprintf(ev.actor, sizeof ev.actor, "test");
  hw_apply_result res;
  HW_CHECK_INT(hw_store_apply(f->st, &ev, no_change, NULL, &res), ==, 0);
  free(res.result);
}

static int64_t offer_loads(fixture *f, hw_daycache *c, hw_id client_id, const hw_client *unstored) {
  hw_client cl;
  if (unstored) cl = *unstored;
  else HW_CHECK_INT(hw_store_get_client(f->st, client_id, &cl), ==, 0);
  hw_discharge d = {.client_id = client_id, .ready_at = hw_local_to_time(FX_MONDAY, 8 * 60), .n_templates = 1};
  d.templates[0] = fx_template(12, 14, 30, 0);
  hw_d2a_options o;
  hw_d2a_options_init(&o);
  hw_d2a_offer *offer = malloc(sizeof *offer);
  HW_CHECK_INT(hw_daycache_find(c, f->st, &d, &cl, hw_local_to_time(FX_MONDAY, 8 * 60), &o, offer), ==, 0);
  HW_CHECK(offer->found);
  HW_CHECK_INT(offer->start_date, ==, FX_MONDAY);
  free(offer);
  int64_t loads, hits;
  hw_daycache_stats(c, &loads, &hits);
  return loads;
}

HW_TEST(an_event_drops_only_its_own_locality) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_id wishaw_client;
  hw_id wishaw = add_wishaw(&f, &wishaw_client);
  hw_daycache *c = hw_daycache_new();
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 1);
  HW_CHECK_INT(offer_loads(&f, c, wishaw_client, NULL), ==, 2);
  log_event(&f, "discharge.offered", f.locality); /* changes no roster */
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 2);
  log_event(&f, "visit.created", wishaw);
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 2);
  HW_CHECK_INT(offer_loads(&f, c, wishaw_client, NULL), ==, 3);
  log_event(&f, "worker.changed", wishaw); /* may have left Airdrie: both go */
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 4);
  HW_CHECK_INT(offer_loads(&f, c, wishaw_client, NULL), ==, 5);
  log_event(&f, "roster.published", 0);
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 6);
  hw_daycache_free(c);
  fx_close(&f);
}

HW_TEST(an_unstored_client_is_offered_from_the_cached_day) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_daycache *c = hw_daycache_new();
  HW_CHECK_INT(offer_loads(&f, c, f.clients[0], NULL), ==, 1);
  hw_client fresh = {.id = 0, .locality_id = f.locality, .location = fx_geo(55.8700, -3.9750)};
  snprintf(fresh.name, sizeof fresh.name, "New From Ward 12");
  HW_CHECK_INT(offer_loads(&f, c, 0, &fresh), ==, 1);
  hw_daycache_size size;
  hw_daycache_usage(c, &size);
  HW_CHECK_INT(size.localities, ==, 1);
  HW_CHECK(size.days >= 1);
  HW_CHECK(size.bytes > (int64_t)sizeof(hw_worker));
  hw_daycache_reset(c);
  hw_daycache_usage(c, &size);
  HW_CHECK_INT(size.days, ==, 0);
  HW_CHECK_INT(size.bytes, ==, 0);
  hw_daycache_free(c);
  fx_close(&f);
}
