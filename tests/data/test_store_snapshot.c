/*
 * Tests of read snapshots (data/store_snapshot.c): a read-only handle inside a
 * snapshot keeps seeing the database as of its start while the write handle
 * commits, and says which event that is; outside a snapshot it sees the news.
 */
#include "hw_error.h"
#include "hw_store.h"
#include "hw_test.h"

static hw_store *open_store(const char *name, int read_only) {
  hw_store *st = NULL;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  o.read_only = read_only;
  if (hw_store_open(hw_test_path(name), &o, &st, msg, sizeof msg)) hw_test_fail(__FILE__, __LINE__, "open: %s", msg);
  return st;
}

static int add_locality(hw_store *st, void *ctx, char **result) {
  (void)result;
  hw_locality loc = {.population = 1, .radius_m = 1000};
  snprintf(loc.name, sizeof loc.name, "%s", (const char *)ctx);
  return hw_store_insert_locality(st, &loc);
}

static int64_t store_locality(hw_store *st, const char *name) {
  hw_event ev = {.received_at = 1795000000, .payload = "{}"};
  snprintf(ev.type, sizeof ev.type, "locality.created");
  snprintf(ev.actor, sizeof ev.actor, "test");
  hw_apply_result res;
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, (void *)name, &res), ==, 0);
  free(res.result);
  return res.event_seq;
}

static int32_t localities(hw_store *st) {
  hw_locality *l = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_localities(st, &l, &n), ==, 0);
  free(l);
  return n;
}

HW_TEST(a_snapshot_holds_still_while_the_writer_commits) {
  hw_store *w = open_store("snap.db", 0);
  int64_t first = store_locality(w, "Airdrie");
  hw_store *r = open_store("snap.db", 1);
  HW_CHECK_INT(hw_store_snapshot_begin(r), ==, first);
  HW_CHECK_INT(localities(r), ==, 1);
  int64_t second = store_locality(w, "Wishaw");
  HW_CHECK(second > first);
  HW_CHECK_INT(localities(r), ==, 1);
  HW_CHECK_INT(hw_store_last_seq(r), ==, first);
  hw_store_snapshot_end(r);
  HW_CHECK_INT(localities(r), ==, 2);
  HW_CHECK_INT(hw_store_snapshot_begin(r), ==, second);
  hw_store_snapshot_end(r);
  hw_store_close(r);
  hw_store_close(w);
}

HW_TEST(no_snapshot_inside_a_batch) {
  hw_store *w = open_store("snap-batch.db", 0);
  HW_CHECK_INT(hw_store_snapshot_begin(w), ==, 0); /* an empty log */
  hw_store_snapshot_end(w);
  HW_CHECK_INT(hw_store_batch_begin(w), ==, 0);
  HW_CHECK_INT(hw_store_snapshot_begin(w), ==, HW_EINVAL);
  hw_store_batch_rollback(w);
  hw_store_close(w);
}
