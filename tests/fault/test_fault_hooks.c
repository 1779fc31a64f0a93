/*
 * The fault hooks themselves (data/fault/, hw_fault.h): the Nth allocation of the
 * process fails - ours, glibc's and jansson's alike - and only that one unless
 * persistent; SQLite's allocator and VFS shims fail SQLite's Nth allocation and
 * file operation, which the store reports as HW_ENOMEM and HW_EIO; a full disk
 * counts only writes; an "after change" countdown waits for the store's next
 * change. And the driver (fault_driver.h) catches a change stored half-way.
 */
#include <errno.h>
#include <jansson.h>

#include "fault_driver.h"
#include "hw_error.h"
#include "hw_fault.h"
#include "hw_store.h"
#include "hw_test.h"

static hw_store *open_store(const char *name) { return fault_open_store(hw_test_path(name)); }

static int insert_locality(hw_store *st, const char *name) {
  hw_locality l = {.population = 1000};
  snprintf(l.name, sizeof l.name, "%s", name);
  return hw_store_insert_locality(st, &l);
}

/* volatile: the compiler must not pair or drop the allocations under test. */
static void *volatile sink[8];

HW_TEST(alloc_fault_fails_only_the_nth_allocation) {
  hw_fault_arm(HW_FAULT_ALLOC, 3, 0);
  for (int i = 0; i < 5; i++) {
    errno = 0;
    sink[i] = malloc(16);
    HW_CHECK((sink[i] == NULL) == (i == 2));
    if (i == 2) HW_CHECK_INT(errno, ==, ENOMEM);
  }
  hw_fault_disarm();
  HW_CHECK_INT(hw_fault_count(), ==, 5);
  HW_CHECK_INT(hw_fault_failed(), ==, 1);
  for (int i = 0; i < 5; i++) free(sink[i]);
}

HW_TEST(alloc_fault_reaches_calloc_realloc_glibc_and_jansson) {
  hw_fault_arm(HW_FAULT_ALLOC, 0, 0);
  char *s = strdup("glibc allocates through the hook");
  json_t *j = json_pack("{s:i}", "jansson", 1);
  void *c = calloc(4, 8);
  void *r = realloc(NULL, 8);
  hw_fault_disarm();
  HW_CHECK(s && j && c && r);
  HW_CHECK_INT(hw_fault_count(), >=, 4);
  free(s);
  json_decref(j);
  free(c);
  /* The first allocation of each fails when armed at 1. */
  hw_fault_arm(HW_FAULT_ALLOC, 1, 0);
  s = strdup("x");
  hw_fault_arm(HW_FAULT_ALLOC, 1, 0);
  j = json_object();
  hw_fault_arm(HW_FAULT_ALLOC, 1, 0);
  c = calloc(4, 8);
  hw_fault_arm(HW_FAULT_ALLOC, 1, 0);
  void *grown = realloc(r, 4096);
  hw_fault_disarm();
  HW_CHECK(!s && !j && !c && !grown);
  free(r); /* a failed realloc keeps the block */
}

HW_TEST(persistent_fault_fails_every_later_allocation) {
  hw_fault_arm(HW_FAULT_ALLOC, 2, HW_FAULT_PERSISTENT);
  for (int i = 0; i < 4; i++) sink[i] = malloc(8);
  hw_fault_disarm();
  HW_CHECK(sink[0] != NULL);
  HW_CHECK(sink[1] == NULL && sink[2] == NULL && sink[3] == NULL);
  HW_CHECK_INT(hw_fault_failed(), ==, 3);
  free(sink[0]);
  sink[0] = malloc(8); /* disarmed: allocations work again */
  HW_CHECK(sink[0] != NULL);
  free(sink[0]);
}

HW_TEST(live_blocks_follow_malloc_and_free) {
  int64_t before = hw_fault_live_blocks();
  sink[0] = malloc(32);
  sink[1] = calloc(1, 32);
  HW_CHECK_INT(hw_fault_live_blocks(), ==, before + 2);
  free(sink[0]);
  free(sink[1]);
  HW_CHECK_INT(hw_fault_live_blocks(), ==, before);
}

HW_TEST(sqlite_mem_fault_is_reported_as_no_memory) {
  hw_store *st = open_store("mem.db");
  /* A statement not yet prepared on this handle: SQLite must allocate. */
  hw_fault_arm(HW_FAULT_SQLITE_MEM, 1, HW_FAULT_PERSISTENT);
  int64_t rc = hw_store_event_count(st);
  hw_fault_disarm();
  HW_CHECK_INT(rc, ==, HW_ENOMEM);
  HW_CHECK_INT(hw_fault_failed(), >=, 1);
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  hw_store_close(st);
}

HW_TEST(sqlite_io_fault_is_reported_as_io_error) {
  hw_store *st = open_store("io.db");
  hw_fault_arm(HW_FAULT_SQLITE_IO, 0, 0);
  HW_CHECK_INT(insert_locality(st, "Airdrie"), ==, 0);
  hw_fault_disarm();
  int64_t points = hw_fault_count();
  HW_CHECK_INT(points, >, 0);
  hw_fault_arm(HW_FAULT_SQLITE_IO, 1, HW_FAULT_PERSISTENT);
  HW_CHECK_INT(insert_locality(st, "Bellshill"), ==, HW_EIO);
  hw_fault_disarm();
  HW_CHECK_INT(insert_locality(st, "Coatbridge"), ==, 0);
  hw_store_close(st);
}

HW_TEST(disk_full_counts_only_writes) {
  hw_store *st = open_store("full.db");
  HW_CHECK_INT(insert_locality(st, "Airdrie"), ==, 0);
  hw_fault_arm(HW_FAULT_SQLITE_IO, 1, HW_FAULT_DISK_FULL | HW_FAULT_PERSISTENT);
  hw_locality *ls;
  int32_t n;
  HW_CHECK_INT(hw_store_list_localities(st, &ls, &n), ==, 0); /* reads are not writes */
  free(ls);
  HW_CHECK_INT(hw_fault_count(), ==, 0);
  HW_CHECK_INT(insert_locality(st, "Bellshill"), ==, HW_EIO);
  hw_fault_disarm();
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "full");
  HW_CHECK_INT(hw_fault_failed(), >=, 1);
  hw_store_close(st);
}

HW_TEST(after_change_counts_from_the_next_change) {
  hw_store *st = open_store("after.db");
  hw_fault_arm(HW_FAULT_ALLOC, 0, HW_FAULT_AFTER_CHANGE);
  sink[0] = malloc(8);
  HW_CHECK_INT(hw_fault_count(), ==, 0);
  HW_CHECK_INT(hw_store_batch_begin(st), ==, 0);
  sink[1] = malloc(8);
  hw_fault_disarm();
  HW_CHECK_INT(hw_fault_count(), >=, 1);
  hw_store_batch_rollback(st);
  free(sink[0]);
  free(sink[1]);
  hw_store_close(st);
}

/* ---- The driver catches what it must ----------------------------------------------- */

static int add_locality_tx(hw_store *st, void *ctx, char **result) {
  (void)result;
  return insert_locality(st, ctx);
}

static int apply_locality(hw_store *st, const char *name) {
  return fault_apply(st, "locality.created", "", add_locality_tx, (void *)name);
}

/* Wrong on purpose: two changes that belong together, in two transactions. */
static int run_two_transactions(hw_store *st, void *ctx) {
  (void)ctx;
  int rc = apply_locality(st, "Airdrie");
  return rc ? rc : apply_locality(st, "Bellshill");
}

HW_TEST(driver_catches_a_change_stored_half_way) {
  fault_scenario s = {.name = "two_transactions", .prepare = fault_prepare_empty_store, .run = run_two_transactions};
  fault_sweep w = {HW_FAULT_SQLITE_IO, 0, 0, 1};
  fault_report r;
  HW_CHECK_INT(fault_run_sweep(&s, &w, &r), >, 0);
  HW_CHECK_CONTAINS(r.first, "half-stored");
  HW_CHECK_INT(r.tried, ==, r.points);
}

/* Two changes each complete by itself, the first keyed so that a retry replays
 * it instead of storing it again (as the plan's visits step finds its visits). */
static int run_first_alone(hw_store *st, void *ctx) {
  (void)ctx;
  return fault_apply(st, "locality.created", "first", add_locality_tx, (void *)"Airdrie");
}

static int run_two_keyed(hw_store *st, void *ctx) {
  int rc = run_first_alone(st, ctx);
  return rc ? rc : fault_apply(st, "locality.created", "second", add_locality_tx, (void *)"Bellshill");
}

HW_TEST(driver_accepts_a_first_change_stored_whole) {
  fault_scenario s = {.name = "two_keyed", .prepare = fault_prepare_empty_store, .run = run_two_keyed,
                      .first_change = run_first_alone};
  fault_sweep w = {HW_FAULT_SQLITE_IO, 0, 0, 1};
  fault_report r;
  HW_CHECK_INT(fault_run_sweep(&s, &w, &r), ==, 0);
  HW_CHECK_INT(r.errors, >, 0);
  /* Without first_change the same operation is half-stored at some point. */
  s.first_change = NULL;
  HW_CHECK_INT(fault_run_sweep(&s, &w, &r), >, 0);
  HW_CHECK_CONTAINS(r.first, "half-stored");
}

/* The first change without a key: a retry from midway stores it again. */
static int run_first_unkeyed(hw_store *st, void *ctx) {
  (void)ctx;
  return apply_locality(st, "Airdrie");
}

HW_TEST(driver_catches_a_retry_that_repeats_the_first_change) {
  fault_scenario s = {.name = "two_unkeyed", .prepare = fault_prepare_empty_store, .run = run_two_transactions,
                      .first_change = run_first_unkeyed};
  fault_sweep w = {HW_FAULT_SQLITE_IO, 0, 0, 1};
  fault_report r;
  HW_CHECK_INT(fault_run_sweep(&s, &w, &r), >, 0);
  HW_CHECK_CONTAINS(r.first, "retry");
}
