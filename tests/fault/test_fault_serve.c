/*
 * "The daemon keeps serving": the REAL daemon of the fault build (build-fault/
 * homeward) started with a fault armed through the environment, counting from
 * the writer's first change (HW_FAULT_FLAGS=after_change), then the three writes
 * of the fault sweeps sent to it over HTTP with the bodies of docs/api.md: a
 * referral with an inline new client, a discharge request (the request and its
 * D2A offer, one change group) and an absence - then one more discharge request,
 * the client's next.
 *
 * For each fault point every request must get an answer: a 2xx (the fault was
 * survived, or came after the commit) or a 5xx problem document - never a
 * crash, a hang or a 4xx - and a 5xx is followed by the client's retry with the
 * same Idempotency-Key, which must succeed (stored now, or answered from the
 * first attempt if that one had committed). The event log must grow by exactly
 * what the run grows it by without a fault, SIGTERM must stop the daemon
 * cleanly, and the file must pass integrity_check holding exactly the new
 * records. The fault fires once, so at most one answer of a run may be a 5xx.
 */
#include "hw_dump.h"
#include "hw_fault.h"
#include "hw_serve_harness.h"

/* Points per kind, spread over the run's fault points (k), first and last
 * included: 30 in the suite, 300 with HW_FAULT_FULL=1 (each is a daemon's life),
 * HW_FAULT_SERVE_POINTS=N for N of them, 0 for every one (an hour or more). */
static int64_t serve_points(int64_t k) {
  const char *n = getenv("HW_FAULT_SERVE_POINTS"), *full = getenv("HW_FAULT_FULL");
  int64_t points = n ? atoll(n) : full && strcmp(full, "1") == 0 ? 300 : 30;
  return points <= 0 || points > k ? k : points < 2 ? 2 : points;
}

static void today_text(char *buf, size_t len, int days_ahead) {
  hw_date_format(hw_time_local_date((hw_time)time(NULL)) + days_ahead, buf, len);
}

/* The visits of a care plan: every day, all day, so "now" never closes them. */
#define ALL_WEEK "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"
#define ALL_DAY_PLAN "{\"visits\":[{\"days\":" ALL_WEEK ",\"window\":{\"start\":\"00:00\",\"end\":\"23:59\"},\"duration\":30}]}"

static void referral_body(char *buf, size_t len) {
  char today[16];
  today_text(today, sizeof today, 0);
  snprintf(buf, len,
           "{\"client\":{\"locality_id\":1,\"name\":\"Jean Fault\",\"location\":{\"lat\":55.87,\"lon\":-3.98}},"
           "\"source\":\"hospital\",\"start_date\":\"%s\",\"care_plan\":" ALL_DAY_PLAN "}",
           today);
}

static void discharge_body(char *buf, size_t len) {
  char today[16];
  today_text(today, sizeof today, 0);
  snprintf(buf, len,
           "{\"client_id\":1,\"hospital\":\"University Hospital Monklands\",\"ward\":\"7\",\"ready_at\":\"%sT00:05\","
           "\"care_plan\":" ALL_DAY_PLAN "}",
           today);
}

static void absence_body(char *buf, size_t len) {
  char tomorrow[16];
  today_text(tomorrow, sizeof tomorrow, 1);
  snprintf(buf, len, "{\"from\":\"%sT00:00\",\"to\":\"%sT23:59\",\"reason\":\"sickness\"}", tomorrow, tomorrow);
}

/* Start the daemon on a fresh seeded store with kind armed at n (0: count only). */
static void start_armed(daemon_proc *d, seed *s, hw_fault_kind kind, int64_t n) {
  static const char *const env[HW_FAULT_KIND_COUNT] = {"HW_FAULT_ALLOC", "HW_FAULT_SQLITE_MEM", "HW_FAULT_SQLITE_IO"};
  char db[512], side[600], count[32];
  snprintf(db, sizeof db, "%s", hw_test_path("serve.db")); /* hw_test_path's buffer is reused below */
  const char *const suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(side, sizeof side, "%s%s", db, suffixes[i]);
    unlink(side);
  }
  seed_store(db, s);
  snprintf(count, sizeof count, "%lld", (long long)n);
  setenv(env[kind], count, 1);
  setenv("HW_FAULT_FLAGS", "after_change", 1);
  setenv("HW_FAULT_REPORT", hw_test_path("fault.report"), 1);
  daemon_start(d, db, NULL);
  unsetenv(env[kind]);
  unsetenv("HW_FAULT_FLAGS");
  unsetenv("HW_FAULT_REPORT");
}

/* Stop the daemon (it must exit 0); what its fault hook counted, and *failed how
 * many of those it made fail. */
static int64_t stop_and_count(daemon_proc *d, int64_t *failed) {
  HW_CHECK_INT(daemon_stop(d, SIGTERM), ==, 0);
  char *report = hw_test_read_file(hw_test_path("fault.report"));
  HW_CHECK(report != NULL);
  long long count = -1, fails = -1;
  HW_CHECK_INT(sscanf(report, "%lld %lld", &count, &fails), ==, 2);
  free(report);
  *failed = fails;
  return count;
}

/* One run of the daemon with its fault armed at n. */
typedef struct serve_run {
  daemon_proc d;
  seed s;
  int64_t n;
  int failures;             /* 5xx answers so far: the fault fires once, so at most one */
} serve_run;

/* One request; it must be answered, with a 2xx or - once - a 5xx problem
 * document. Returns the status. */
static int exchange(serve_run *run, const char *method, const char *path, const char *token, const char *key,
                    const char *body, resp *r) {
  if (http(run->d.port, method, path, token, key, body, r) != 0)
    hw_test_fail(__FILE__, __LINE__, "N=%lld: %s %s got no answer (see %s)", (long long)run->n, method, path, run->d.log);
  if (r->status / 100 == 2) return r->status;
  if (r->status < 500 || run->failures++ > 0)
    hw_test_fail(__FILE__, __LINE__, "N=%lld: %s %s answered %d: %s", (long long)run->n, method, path, r->status,
                 r->body);
  HW_CHECK_CONTAINS(r->head, "application/problem+json");
  json_t *problem = body_json(r);
  HW_CHECK_INT(json_integer_value(json_object_get(problem, "status")), ==, r->status);
  json_decref(problem);
  return r->status;
}

/* Send a write under key, again after a 5xx as a client would: the retry must
 * succeed (stored now, or answered from the first try). */
static void store(serve_run *run, const char *path, const char *token, const char *key, const char *body) {
  resp r;
  for (int attempt = 0; attempt < 2; attempt++)
    if (exchange(run, "POST", path, token, key, body, &r) == 201) return;
  hw_test_fail(__FILE__, __LINE__, "N=%lld: %s %s was not stored after a retry", (long long)run->n, path, key);
}

/* The run's requests: the three writes of the sweeps, then the client's next. */
static void send_writes(serve_run *run) {
  char body[1024];
  referral_body(body, sizeof body);
  store(run, "/v1/referrals", run->s.coord1, "fault-referral", body);
  discharge_body(body, sizeof body);
  store(run, "/v1/discharges", run->s.discharge1, "fault-discharge", body);
  absence_body(body, sizeof body);
  store(run, "/v1/workers/1/absences", run->s.coord1, "fault-absence", body);
  discharge_body(body, sizeof body);
  store(run, "/v1/discharges", run->s.discharge1, "fault-next", body);
}

static int64_t events(serve_run *run) {
  resp r;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (exchange(run, "GET", "/healthz", NULL, NULL, NULL, &r) != 200) continue;
    json_t *j = body_json(&r);
    int64_t n = json_integer_value(json_object_get(j, "events"));
    json_decref(j);
    return n;
  }
  hw_test_fail(__FILE__, __LINE__, "N=%lld: /healthz failed twice", (long long)run->n);
}

/* What the seed holds, and what a run adds to it. */
typedef struct stored {
  int32_t discharges, referrals, absences;
} stored;

static stored stored_records(const char *db) {
  hw_store_options o;
  hw_store_options_init(&o);
  o.read_only = 1;
  hw_store *st;
  char msg[256];
  HW_CHECK_INT(hw_store_open(db, &o, &st, msg, sizeof msg), ==, 0);
  stored n = {0};
  hw_discharge *ds = NULL;
  hw_referral *rs = NULL;
  hw_absence *as = NULL;
  HW_CHECK_INT(hw_store_list_discharges(st, -1, &ds, &n.discharges), ==, 0);
  HW_CHECK_INT(hw_store_list_referrals(st, 0, &rs, &n.referrals), ==, 0);
  HW_CHECK_INT(hw_store_list_absences(st, 0, 0, INT64_MAX, &as, &n.absences), ==, 0);
  free(ds);
  free(rs);
  free(as);
  hw_store_close(st);
  return n;
}

/* One point: the daemon must serve through the fault as if nothing happened:
 * the log grows by `grows` events, as in the run without a fault. Returns 1
 * when the fault was answered with a 5xx (0: it was survived). */
static int serve_point(hw_fault_kind kind, int64_t n, int64_t grows) {
  serve_run run = {.n = n};
  start_armed(&run.d, &run.s, kind, n);
  int64_t before = events(&run);
  send_writes(&run);
  HW_CHECK_INT(events(&run), ==, before + grows);
  int64_t failed = 0;
  HW_CHECK_INT(stop_and_count(&run.d, &failed), >=, n);
  HW_CHECK_INT(failed, ==, 1);
  char why[256];
  if (!hw_dump_integrity_ok(run.d.db, why, sizeof why)) hw_test_fail(__FILE__, __LINE__, "N=%lld: %s", (long long)n, why);
  stored got = stored_records(run.d.db);
  HW_CHECK_INT(got.discharges, ==, 2 + 2); /* the seed's and the two requests */
  HW_CHECK_INT(got.referrals, ==, 2 + 1);
  HW_CHECK_INT(got.absences, ==, 1);
  return run.failures;
}

/* Measure the run's fault points and events with a count-only run, then sweep. */
static void serve_sweep(hw_fault_kind kind) {
  serve_run run = {0};
  start_armed(&run.d, &run.s, kind, 0);
  int64_t before = events(&run);
  send_writes(&run);
  int64_t grows = events(&run) - before;
  int64_t failed;
  int64_t k = stop_and_count(&run.d, &failed);
  HW_CHECK_INT(k, >, 0);
  HW_CHECK_INT(grows, >=, 5); /* referral, request and offer, absence, request and offer at least */
  int64_t answered_5xx = 0, points = serve_points(k);
  const char *only = getenv("HW_FAULT_ONLY"); /* one reported point again, to look at it */
  if (only) {
    serve_point(kind, atoll(only), grows);
    return;
  }
  for (int64_t i = 0; i < points; i++) answered_5xx += serve_point(kind, 1 + (k - 1) * i / (points - 1), grows);
  fprintf(stderr, "serve %s: %lld fault points from the first change to the exit, %lld tried, %lld answered 5xx\n",
          hw_fault_kind_name(kind), (long long)k, (long long)points, (long long)answered_5xx);
  HW_CHECK_INT(answered_5xx, >, 0); /* the faults did reach the requests */
}

HW_TEST(daemon_serves_after_allocation_faults) { serve_sweep(HW_FAULT_ALLOC); }
HW_TEST(daemon_serves_after_sqlite_memory_faults) { serve_sweep(HW_FAULT_SQLITE_MEM); }
HW_TEST(daemon_serves_after_sqlite_io_faults) { serve_sweep(HW_FAULT_SQLITE_IO); }
