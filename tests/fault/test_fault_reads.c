/*
 * Fault sweeps of reads through the daemon's handlers, without the socket
 * (hw_exchange_read, server.c's read path): the change feed (GET /v1/events) and
 * a published day's rosters (GET /v1/rosters) of the store the absence scenario
 * leaves (fault_scenarios.h: plans, a repair). At every fault point the answer
 * must be the one given without a fault, byte for byte, or a 5xx - never a 200
 * with a hole in it (a feed page that skips an event moves a follower's cursor
 * past it for good) nor a 4xx - the next read on the same handle must be whole
 * again, and no heap block may be left behind.
 */
#include <stdlib.h>
#include <string.h>

#include "fault_scenarios.h"
#include "hw_handlers.h"
#include "hw_router.h"
#include "hw_test.h"

/* At most this many points per sweep in the suite; HW_FAULT_FULL=1 runs all. */
#define READ_POINTS 200

typedef struct read_req {
  const char *path, *query;
  int scoped;                  /* 1: a token of locality 1 only (the feed filters by locality) */
} read_req;

/* One GET; the answer is left in *x (x->body is the caller's to free). */
static void read_once(hw_store *st, const read_req *r, hw_exchange *x) {
  hw_http_request req = {.method = HTTP_GET, .path = r->path, .query = r->query};
  hw_route_match m;
  HW_CHECK_INT(hw_router_match(hw_api_routes, hw_api_n_routes, req.method, req.path, &m), ==, 0);
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_principal who = {.role = HW_ROLE_MANAGER, .scope = {.all = !r->scoped, .n = r->scoped}};
  who.scope.localities[0] = 1;
  snprintf(who.name, sizeof who.name, "manager");
  *x = (hw_exchange){.store = st, .req = &req, .match = &m, .who = who, .settings = &set,
                     .now = hw_local_to_time(hw_date_from_ymd(2026, 1, 12), 21 * 60)};
  hw_exchange_read(x, m.route->handler);
  x->req = NULL;
  x->match = NULL;
  x->settings = NULL;
}

/* Every point, or an even spread of about max of them (HW_FAULT_FULL=1: all). */
static int64_t sweep_step(int64_t k, int64_t max) {
  const char *full = getenv("HW_FAULT_FULL");
  if (k <= max || (full && strcmp(full, "1") == 0)) return 1;
  return (k + max - 1) / max;
}

typedef struct read_sweep_state {
  const read_req *r;
  hw_fault_kind kind;
  const char *db;
  char *clean;                 /* the answer without a fault */
  size_t clean_len;
  int64_t k, tried, failed;
} read_sweep_state;

static int is_clean(const read_sweep_state *s, const hw_exchange *x) {
  return x->status == 200 && x->body_len == s->clean_len && memcmp(x->body, s->clean, s->clean_len) == 0;
}

/* A handle as the daemon's read handle is when a request comes: it has read
 * before (its statements are prepared). */
static hw_store *warm_handle(const read_sweep_state *s) {
  hw_store *st = fault_open_store(s->db);
  hw_exchange x;
  read_once(st, s->r, &x);
  free(x.body);
  return st;
}

/* One point on a handle of its own: SQLite keeps caches per handle, so blocks are
 * counted from before the open to after the close. */
static void read_point(read_sweep_state *s, int64_t n) {
  int64_t live = hw_fault_live_blocks();
  hw_store *st = warm_handle(s);
  hw_exchange x;
  hw_fault_arm(s->kind, n, 0);
  read_once(st, s->r, &x);
  hw_fault_disarm();
  s->tried++;
  int whole = is_clean(s, &x);
  if (!whole && x.status < 500)
    hw_test_fail(__FILE__, __LINE__, "%s?%s, %s fault at N=%lld of %lld: answered %d: %.300s", s->r->path,
                 s->r->query, hw_fault_kind_name(s->kind), (long long)n, (long long)s->k, x.status,
                 x.body ? x.body : "");
  s->failed += !whole;
  free(x.body);
  read_once(st, s->r, &x); /* the handle reads whole again */
  if (!is_clean(s, &x))
    hw_test_fail(__FILE__, __LINE__, "N=%lld: the read after the fault answered %d", (long long)n, x.status);
  free(x.body);
  hw_store_close(st);
  if (hw_fault_live_blocks() > live)
    hw_test_fail(__FILE__, __LINE__, "N=%lld: %lld heap blocks leaked", (long long)n,
                 (long long)(hw_fault_live_blocks() - live));
}

/* The read r at every point of kind (or an even spread, the last included). */
static void read_sweep(const read_req *r, hw_fault_kind kind, const char *must_contain) {
  char db[512];
  snprintf(db, sizeof db, "%s", hw_test_path("reads.db"));
  fault_scenario_store(&fault_absence_repair, db);
  read_sweep_state s = {.r = r, .kind = kind, .db = db};
  hw_store *st = warm_handle(&s); /* also what the process sets up once, on first use */
  hw_exchange x;
  hw_fault_arm(kind, 0, 0);
  read_once(st, r, &x);
  hw_fault_disarm();
  s.k = hw_fault_count();
  hw_store_close(st);
  HW_CHECK_INT(x.status, ==, 200);
  HW_CHECK_CONTAINS(x.body, must_contain);
  s.clean = x.body;
  s.clean_len = x.body_len;
  HW_CHECK_INT(s.k, >, 0);
  int64_t step = sweep_step(s.k, READ_POINTS);
  for (int64_t n = 1; n <= s.k; n += step) read_point(&s, n);
  if ((s.k - 1) % step != 0) read_point(&s, s.k);
  fprintf(stderr, "fault read %s?%s/%s: %lld points, %lld tried, %lld answered 5xx\n", r->path, r->query,
          hw_fault_kind_name(kind), (long long)s.k, (long long)s.tried, (long long)s.failed);
  HW_CHECK_INT(s.failed, >, 0); /* the faults did reach the read */
  free(s.clean);
}

static const read_req feed = {"/v1/events", "after=0&limit=100", 0};
static const read_req feed_scoped = {"/v1/events", "after=0&limit=100", 1};
static const read_req rosters = {"/v1/rosters", "date=2026-01-13", 0};

HW_TEST(event_feed_alloc) { read_sweep(&feed, HW_FAULT_ALLOC, "roster.repaired"); }
HW_TEST(event_feed_sqlite_mem) { read_sweep(&feed, HW_FAULT_SQLITE_MEM, "roster.repaired"); }
HW_TEST(event_feed_scoped_sqlite_mem) { read_sweep(&feed_scoped, HW_FAULT_SQLITE_MEM, "roster.repaired"); }
HW_TEST(rosters_alloc) { read_sweep(&rosters, HW_FAULT_ALLOC, "\"rosters\""); }
HW_TEST(rosters_sqlite_mem) { read_sweep(&rosters, HW_FAULT_SQLITE_MEM, "\"rosters\""); }
