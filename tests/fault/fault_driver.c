/*
 * The fault-injection driver of fault_driver.h: template copies, the calibration
 * run, then one armed run per fault point with the checks listed there.
 */
#include "fault_driver.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hw_dump.h"
#include "hw_error.h"
#include "hw_test.h"

hw_store *fault_open_store(const char *path) {
  hw_store_options o;
  hw_store_options_init(&o);
  o.sync = HW_SYNC_FULL;
  hw_store *st = NULL;
  char msg[256];
  if (hw_store_open(path, &o, &st, msg, sizeof msg) != 0) hw_test_fail(__FILE__, __LINE__, "open: %s", msg);
  return st;
}

int fault_apply(hw_store *st, const char *type, const char *key, hw_store_tx_fn fn, void *ctx) {
  hw_event ev = {.received_at = 1768212000, .payload = "{}"};
  snprintf(ev.type, sizeof ev.type, "%s", type);
  snprintf(ev.actor, sizeof ev.actor, "coordinator");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", key);
  hw_apply_result res;
  int rc = hw_store_apply(st, &ev, fn, ctx, &res);
  free(res.result);
  return rc;
}

void *fault_prepare_empty_store(const char *path) {
  hw_store_close(fault_open_store(path));
  return NULL;
}

/* ---- Files ----------------------------------------------------------------- */

typedef struct paths {
  char dir[512], template_db[600], work_db[600];
} paths;

static void remove_db(const char *db) {
  const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
  char p[640];
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s%s", db, suffixes[i]);
    unlink(p);
  }
}

/* A fresh copy of the template (a closed, checkpointed database: one file). */
static void copy_template(const paths *p) {
  remove_db(p->work_db);
  int in = open(p->template_db, O_RDONLY), out = open(p->work_db, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0) hw_test_fail(__FILE__, __LINE__, "cannot copy %s", p->template_db);
  char chunk[65536];
  ssize_t got;
  while ((got = read(in, chunk, sizeof chunk)) > 0)
    if (write(out, chunk, (size_t)got) != got) hw_test_fail(__FILE__, __LINE__, "cannot write %s", p->work_db);
  close(in);
  close(out);
}

static char *dump_or_fail(const char *db) {
  char err[256];
  char *d = hw_dump_database(db, err, sizeof err);
  if (!d) hw_test_fail(__FILE__, __LINE__, "%s", err);
  return d;
}

/* ---- One sweep ---------------------------------------------------------------- */

typedef struct sweep_state {
  const fault_scenario *s;
  const fault_sweep *w;
  fault_report *r;
  paths p;
  void *ctx;
  char *before, *after;     /* the dumps of the template and of a successful run */
  char *midway;             /* of the first change alone (first_change), else NULL */
  const char *failed;       /* the state the current point's error left (before or midway) */
  int64_t n;                /* the current point */
  char problem[900];        /* its first problem */
} sweep_state;

static void problem(sweep_state *ss, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(sweep_state *ss, const char *fmt, ...) {
  if (ss->problem[0]) return; /* the first one explains the rest */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ss->problem, sizeof ss->problem, fmt, ap);
  va_end(ap);
}

static const char *state_name(const sweep_state *ss, const char *state) {
  return state == ss->before ? "before" : state == ss->after ? "after" : "midway";
}

/* The dump of the work store must be `want`. */
static void expect_dump(sweep_state *ss, const char *dump, const char *want, const char *when) {
  if (strcmp(dump, want) == 0) return;
  char diff[400];
  const char *known[3] = {ss->before, ss->after, ss->midway};
  for (int i = 0; i < 3; i++)
    if (known[i] && known[i] != want && strcmp(dump, known[i]) == 0) {
      problem(ss, "%s: the store is \"%s\", expected \"%s\"", when, state_name(ss, known[i]), state_name(ss, want));
      return;
    }
  problem(ss, "%s: half-stored, neither before nor after%s; first difference from %s: %s", when,
          ss->midway ? " nor midway" : "", state_name(ss, want), hw_dump_difference(want, dump, diff, sizeof diff));
}

/* The state an error may leave: before, or midway when the dump is that. */
static const char *failed_state(const sweep_state *ss, const char *dump) {
  return ss->midway && strcmp(dump, ss->midway) == 0 ? ss->midway : ss->before;
}

/* An error the daemon would answer with a 4xx although the failure was ours. */
static void misreport(sweep_state *ss, hw_store *st, int rc) {
  char what[400];
  snprintf(what, sizeof what, "an injected fault was reported as %s (HTTP %d), a client error: %s", hw_err_name(rc),
           hw_err_http_status(rc), hw_store_errmsg(st));
  if (ss->w->strict) {
    problem(ss, "%s", what);
    return;
  }
  if (ss->r->misreported++ == 0)
    snprintf(ss->r->first_misreport, sizeof ss->r->first_misreport, "N=%lld: %s", (long long)ss->n, what);
  fprintf(stderr, "  N=%lld (misreported): %s\n", (long long)ss->n, what);
}

/* Checks on the open handle right after the armed run returned rc. */
static void check_outcome(sweep_state *ss, hw_store *st, int rc, int fired) {
  if (hw_fault_store_in_transaction(st)) problem(ss, "rc %d: the handle was left inside a transaction", rc);
  if (rc != 0 && !fired) problem(ss, "rc %d (%s) although no fault fired", rc, hw_store_errmsg(st));
  if (rc != 0 && hw_err_http_status(rc) < 500) misreport(ss, st, rc);
  char *dump = dump_or_fail(ss->p.work_db);
  ss->failed = failed_state(ss, dump);
  if (rc != 0 && ss->midway && ss->failed == ss->midway) ss->r->midway++;
  expect_dump(ss, dump, rc == 0 ? ss->after : ss->failed, "after the fault");
  free(dump);
}

/* After an error the same operation, faults off, on the same handle. Returns 1
 * when it succeeded (the store should now be "after"). */
static int check_retry(sweep_state *ss, hw_store *st) {
  int rc = ss->s->run(st, ss->ctx);
  if (rc != 0) {
    problem(ss, "the retry on the same handle failed: %s (%s)", hw_err_name(rc), hw_store_errmsg(st));
    return 0;
  }
  char *dump = dump_or_fail(ss->p.work_db);
  expect_dump(ss, dump, ss->after, "after the retry");
  free(dump);
  return 1;
}

/* Closed: the dump must be what the open handle showed, and the file sound. */
static void check_closed(sweep_state *ss, int stored) {
  char why[256];
  char *dump = hw_dump_database(ss->p.work_db, why, sizeof why);
  if (!dump) {
    problem(ss, "after close: %s", why);
    return;
  }
  expect_dump(ss, dump, stored ? ss->after : ss->failed, "after close");
  free(dump);
  if (!hw_dump_integrity_ok(ss->p.work_db, why, sizeof why)) problem(ss, "after close: %s", why);
}

/* A fresh copy of the template, opened, with what the scenario attaches to it. */
static hw_store *open_copy(sweep_state *ss) {
  copy_template(&ss->p);
  hw_store *st = fault_open_store(ss->p.work_db);
  int rc = ss->s->attach ? ss->s->attach(st, ss->ctx) : 0;
  if (rc) hw_test_fail(__FILE__, __LINE__, "%s: attach failed: %s", ss->s->name, hw_err_name(rc));
  return st;
}

static void close_copy(sweep_state *ss, hw_store *st) {
  if (ss->s->detach) ss->s->detach(st, ss->ctx);
  hw_store_close(st);
}

static void run_point(sweep_state *ss, int64_t n) {
  ss->n = n;
  ss->problem[0] = 0;
  ss->failed = ss->before;
  int64_t live_before = hw_fault_live_blocks();
  hw_store *st = open_copy(ss);
  hw_fault_arm(ss->w->kind, n, ss->w->flags);
  int rc = ss->s->run(st, ss->ctx);
  hw_fault_disarm();
  int fired = hw_fault_failed() > 0;
  ss->r->tried++;
  if (rc != 0) ss->r->errors++;
  else if (fired) ss->r->survived++;
  check_outcome(ss, st, rc, fired);
  int stored = rc == 0 || check_retry(ss, st);
  close_copy(ss, st);
  check_closed(ss, stored);
  int64_t leaked = hw_fault_live_blocks() - live_before;
  if (leaked > 0) problem(ss, "%lld heap blocks leaked", (long long)leaked);
  if (!ss->problem[0]) return;
  if (ss->r->violations++ == 0)
    snprintf(ss->r->first, sizeof ss->r->first, "%s, %s fault at N=%lld: %s", ss->s->name,
             hw_fault_kind_name(ss->w->kind), (long long)n, ss->problem);
  fprintf(stderr, "  N=%lld: %s\n", (long long)n, ss->problem);
}

/* The template and the calibration run: before, after and K. */
static void calibrate(sweep_state *ss) {
  snprintf(ss->p.dir, sizeof ss->p.dir, "%s", hw_test_path(ss->s->name));
  mkdir(ss->p.dir, 0755);
  snprintf(ss->p.template_db, sizeof ss->p.template_db, "%s/template.db", ss->p.dir);
  snprintf(ss->p.work_db, sizeof ss->p.work_db, "%s/work.db", ss->p.dir);
  ss->ctx = ss->s->prepare(ss->p.template_db);
  ss->before = dump_or_fail(ss->p.template_db);
  /* A warm-up run, faults off: what the process sets up once, on its first use
   * (OpenSSL's digests, jansson's hash seed), belongs to no one operation and
   * would be counted in K by the first run only. */
  hw_store *st = open_copy(ss);
  int rc = ss->s->run(st, ss->ctx);
  close_copy(ss, st);
  if (ss->s->first_change) {
    st = open_copy(ss);
    rc = ss->s->first_change(st, ss->ctx);
    if (rc != 0) hw_test_fail(__FILE__, __LINE__, "%s: its first change fails without a fault: %s (%s)", ss->s->name,
                              hw_err_name(rc), hw_store_errmsg(st));
    close_copy(ss, st);
    ss->midway = dump_or_fail(ss->p.work_db);
  }
  st = open_copy(ss);
  hw_fault_arm(ss->w->kind, 0, ss->w->flags);
  rc = ss->s->run(st, ss->ctx);
  hw_fault_disarm();
  if (rc != 0) hw_test_fail(__FILE__, __LINE__, "%s fails without a fault: %s (%s)", ss->s->name, hw_err_name(rc),
                            hw_store_errmsg(st));
  ss->r->points = hw_fault_count();
  close_copy(ss, st);
  ss->after = dump_or_fail(ss->p.work_db);
  if (strcmp(ss->before, ss->after) == 0) hw_test_fail(__FILE__, __LINE__, "%s stores nothing", ss->s->name);
  if (ss->midway && (strcmp(ss->midway, ss->before) == 0 || strcmp(ss->midway, ss->after) == 0))
    hw_test_fail(__FILE__, __LINE__, "%s: its first change alone stores nothing, or everything", ss->s->name);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_summary(const fault_scenario *s, const fault_sweep *w, const fault_report *r, int64_t dense,
                          int64_t step) {
  fprintf(stderr, "fault %s/%s%s%s: %lld points, %lld tried (all to %lld, then every %lld): %lld errors, ",
          s->name, hw_fault_kind_name(w->kind), (w->flags & HW_FAULT_PERSISTENT) ? "/persistent" : "",
          (w->flags & HW_FAULT_DISK_FULL) ? "/disk_full" : "", (long long)r->points, (long long)r->tried,
          (long long)dense, (long long)step, (long long)r->errors);
  /* A point not reached: the run made fewer fault points than the calibration. */
  fprintf(stderr, "%lld survived, %lld not reached; %lld violations, %lld misreported; %.1f s\n",
          (long long)r->survived, (long long)(r->tried - r->errors - r->survived), (long long)r->violations,
          (long long)r->misreported, r->seconds);
  if (s->first_change) fprintf(stderr, "  %lld errors left the first change stored (midway)\n", (long long)r->midway);
  if (r->misreported) fprintf(stderr, "  first misreport: %s\n", r->first_misreport);
}

int64_t fault_run_sweep(const fault_scenario *s, const fault_sweep *w, fault_report *r) {
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  memset(r, 0, sizeof *r);
  sweep_state ss = {.s = s, .w = w, .r = r};
  calibrate(&ss);
  const char *full = getenv("HW_FAULT_FULL"), *only = getenv("HW_FAULT_ONLY");
  int64_t k = r->points, dense = k, step = 1;
  if (w->max_points > 0 && k > w->max_points && !(full && strcmp(full, "1") == 0)) {
    /* Half the budget on the first points (the request read and checked), half
     * spread evenly over the rest. */
    dense = w->max_points / 2;
    step = (k - dense + (w->max_points - dense) - 1) / (w->max_points - dense);
  }
  if (only) {
    run_point(&ss, atoll(only)); /* reproduce one reported point */
  } else {
    int64_t n = 1;
    for (; n <= dense; n++) run_point(&ss, n);
    for (; n <= k; n += step) run_point(&ss, n);
    if (n - step != k && k > dense) run_point(&ss, k); /* the last point too */
  }
  r->seconds = seconds_since(&t0);
  print_summary(s, w, r, dense, step);
  if (s->release) s->release(ss.ctx);
  free(ss.before);
  free(ss.after);
  free(ss.midway);
  return r->violations;
}

void fault_sweep_or_fail(const fault_scenario *s, hw_fault_kind kind, unsigned flags, int64_t max_points, int strict) {
  fault_sweep w = {kind, flags, max_points, strict};
  fault_report r;
  if (fault_run_sweep(s, &w, &r))
    hw_test_fail(__FILE__, __LINE__, "%lld of %lld points failed; first: %s", (long long)r.violations,
                 (long long)r.tried, r.first);
}
