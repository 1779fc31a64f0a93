/*
 * bench_d2a: how fast hospital discharge teams get their answers. With a whole
 * North Lanarkshire partnership (homeward generate --scale nl: six localities) and
 * a full day of published rosters in every locality (today and tomorrow, planned
 * first with short time limits), it times N discharge-to-assess offers two ways:
 *
 *   in-process  the service alone, on a store handle: hw_service_discharge_offer
 *               (insertion search, one durable event) - for the first half of N
 *               with the locality's day loaded from SQLite each time (the day
 *               cache emptied before each offer), for the second half with the
 *               day kept in memory between offers;
 *   daemon      POST /v1/discharges to `homeward serve` over loopback from C
 *               concurrent callers (default 8, one keep-alive connection each,
 *               one request in flight each) - request stored and offer made in
 *               one change group, answer with the offer - what wards see when
 *               several ask at once.
 *
 * It prints p50 / p95 / p99 / max latency for each, offers per second for the
 * daemon, how many were offered today or waiting, the daemon's own count of
 * offers drafted off the writer and found stale (GET /metrics), and the command
 * line. Targets: p99 < 100 ms with 8 callers, >= 100 offers/s. --warmup W sends
 * W requests first and reports them apart: a daemon that has just started loads
 * each locality's days once per reader (a long-running one has them).
 * --daemon-only skips the in-process timings. --scale small prepares a small
 * generated partnership instead of NL (the test suite's smoke run).
 *
 *   build/bench/bench_d2a -n 400 -c 8 --plan-time 2
 *   build/bench/bench_d2a -n 400 -c 8 --db /tmp/nl.db      (reuse a prepared database)
 *   build/bench/bench_d2a -n 400 -c 8 --db /tmp/nl.db --homeward OTHER/homeward --daemon-only
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hw_auth.h"
#include "hw_codec.h"
#include "hw_d2a.h"
#include "hw_error.h"
#include "hw_loopback.h"
#include "hw_plan.h"
#include "hw_service.h"
#include "hw_store.h"
#include "hw_time.h"

typedef struct options {
  int n;
  int callers;
  int daemon_only;             /* --daemon-only: skip the in-process timings */
  int warmup;                  /* --warmup W: W requests to the daemon first, reported apart */
  double plan_time_s;
  char db[1024];
  int reuse;                   /* --db given: generate and plan only if empty */
  char homeward[1024];
  const char *scale;           /* --scale: the generated partnership, "nl" or "small" */
} options;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p) {
  int i = (int)(p * (n - 1) + 0.5);
  return v[i < n ? i : n - 1];
}

static void report(const char *what, double *ms, int n) {
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  printf("%-12s n=%d  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms\n", what, n, pct(ms, n, 0.5),
         pct(ms, n, 0.95), pct(ms, n, 0.99), ms[n - 1]);
}

static hw_store *open_store(const char *db) {
  hw_store *st = NULL;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  if (hw_store_open(db, &o, &st, msg, sizeof msg) != 0) {
    fprintf(stderr, "bench_d2a: %s: %s\n", db, msg);
    exit(1);
  }
  return st;
}

/* Generate the partnership starting today and plan today and tomorrow. */
static void prepare(const options *opt, hw_date today) {
  char cmd[2300], day[16];
  hw_date_format(today, day, sizeof day);
  snprintf(cmd, sizeof cmd, "'%s' generate --db '%s' --scale %s --start %s > /dev/null", opt->homeward, opt->db,
           opt->scale, day);
  double t0 = now_s();
  fflush(stdout);
  if (system(cmd) != 0) {
    fprintf(stderr, "bench_d2a: generate failed: %s\n", cmd);
    exit(1);
  }
  printf("generated --scale %s --start %s in %.1f s\n", opt->scale, day, now_s() - t0);
  hw_store *st = open_store(opt->db);
  hw_locality *locs = NULL;
  int32_t n = 0;
  hw_store_list_localities(st, &locs, &n);
  for (hw_date d = today; d <= today + 1; d++)
    for (int32_t i = 0; i < n; i++) {
      hw_plan_params p;
      hw_plan_params_init(&p);
      p.time_limit_s = opt->plan_time_s;
      hw_plan_report r;
      char why[256] = "";
      hw_service_settings set;
      hw_service_settings_init(&set);
      hw_change c = {.actor = "bench", .key = "", .now = (hw_time)time(NULL)};
      int rc = hw_service_plan_locality(st, &set, locs[i].id, d, &p, &c, &r, why, sizeof why);
      if (rc) {
        fprintf(stderr, "bench_d2a: planning %s failed: %s %s\n", locs[i].name, hw_strerror(rc), why);
        exit(1);
      }
      printf("planned %-10s day %+d: %d visits, %d assigned, %d unassigned\n", locs[i].name, d - today, r.visits,
             r.assigned, r.unassigned);
      hw_plan_report_free(&r);
    }
  free(locs);
  hw_store_close(st);
}

/* The discharge request body for client c, ready now, an afternoon and evening call. */
static void request_body(char *buf, size_t len, hw_id client, const char *ready) {
  snprintf(buf, len,
           "{\"client_id\":%lld,\"hospital\":\"University Hospital Wishaw\",\"ward\":\"12\",\"ready_at\":\"%s\","
           "\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
           "\"window\":{\"start\":\"12:00\",\"end\":\"14:00\"},\"duration\":30},"
           "{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
           "\"window\":{\"start\":\"17:00\",\"end\":\"19:30\"},\"duration\":30}]}}",
           (long long)client, ready);
}

typedef struct insert_ctx {
  const hw_client *clients;
  int n, n_clients;
  hw_time ready;
  hw_id *ids;
} insert_ctx;

/* Store n discharge requests (one event) for the in-process run. */
static int insert_requests(hw_store *st, void *vctx, char **result) {
  (void)result;
  insert_ctx *c = vctx;
  char ready[32], body[2048];
  hw_time_format(c->ready, ready, sizeof ready);
  for (int i = 0; i < c->n; i++) {
    request_body(body, sizeof body, c->clients[(i * 7) % c->n_clients].id, ready);
    json_t *j = json_loads(body, 0, NULL);
    hw_discharge d;
    hw_errors errs;
    hw_errors_init(&errs);
    int rc = hw_discharge_from_json(j, "", &d, &errs);
    json_decref(j);
    if (rc == 0) rc = hw_store_insert_discharge(st, &d);
    if (rc) return rc;
    c->ids[i] = d.id;
  }
  return 0;
}

static void bench_in_process(const options *opt, const hw_client *clients, int32_t n_clients) {
  hw_store *st = open_store(opt->db);
  hw_id *ids = calloc((size_t)opt->n, sizeof *ids);
  double *ms = calloc((size_t)opt->n, sizeof *ms);
  insert_ctx ic = {clients, opt->n, n_clients, (hw_time)time(NULL), ids};
  hw_event ev = {.received_at = ic.ready, .payload = "{}"};
  snprintf(ev.type, sizeof ev.type, "bench.requests");
  snprintf(ev.actor, sizeof ev.actor, "bench");
  hw_apply_result res;
  if (hw_store_apply(st, &ev, insert_requests, &ic, &res) != 0) {
    fprintf(stderr, "bench_d2a: cannot store the requests: %s\n", hw_store_errmsg(st));
    exit(1);
  }
  free(res.result);
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_service *svc = hw_service_new(st, &set);
  hw_discharge_result *res_offer = malloc(sizeof *res_offer);
  /* First half: the day loaded from SQLite per offer; second half: from the cache. */
  for (int pass = 0; pass < 2; pass++) {
    int today = 0, waiting = 0, half = opt->n / 2, from = pass * half, to = pass ? opt->n : half;
    for (int i = from; i < to; i++) {
      double t0 = now_s();
      if (!pass) hw_service_forget(svc);
      hw_change c = {.actor = "bench", .key = "", .now = (hw_time)time(NULL)};
      int rc = hw_service_discharge_offer(svc, &c, ids[i], res_offer);
      ms[i] = (now_s() - t0) * 1000;
      if (rc) {
        fprintf(stderr, "bench_d2a: offer %d failed: %s\n", i, hw_strerror(rc));
        exit(1);
      }
      if (res_offer->offer.found && res_offer->offer.miss == HW_D2A_MISS_NONE) today++;
      else waiting++;
    }
    report(pass ? "cached" : "uncached", ms + from, to - from);
    printf("             %d offered today, %d waiting%s\n", today, waiting,
           pass ? " (the service's day cache kept in memory)" : " (the day loaded from SQLite each time)");
  }
  int64_t loads, hits;
  hw_service_cache_stats(svc, &loads, &hits);
  printf("             day cache: %lld locality loads, %lld offers served from memory\n", (long long)loads,
         (long long)hits);
  hw_service_free(svc);
  free(res_offer);
  free(ms);
  free(ids);
  hw_store_close(st);
}

/* ---- The daemon over loopback ------------------------------------------------------- */

/* Send all of buf on fd. */
static int send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

/* One whole response from a keep-alive connection into out (headers and body);
 * its status, or -1. */
static int read_response(int fd, char *out, size_t cap) {
  size_t len = 0;
  char *end = NULL;
  while (!end) {
    ssize_t got = recv(fd, out + len, cap - 1 - len, 0);
    if (got <= 0) return -1;
    len += (size_t)got;
    out[len] = '\0';
    end = strstr(out, "\r\n\r\n");
  }
  const char *cl = strstr(out, "Content-Length:");
  size_t total = (size_t)(end + 4 - out) + (cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0);
  while (len < total && len < cap - 1) {
    ssize_t got = recv(fd, out + len, cap - 1 - len, 0);
    if (got <= 0) return -1;
    len += (size_t)got;
  }
  out[len] = '\0';
  int status = 0;
  return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : -1;
}

static int request(int fd, const char *method, const char *path, const char *token, const char *body, char *out,
                   size_t cap) {
  char req[4096];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                   method, path, token, body ? strlen(body) : 0, body ? body : "");
  if (send_all(fd, req, (size_t)n) != 0) return -1;
  return read_response(fd, out, cap);
}

typedef struct load {
  int port;
  const char *token;
  const hw_client *clients;
  int32_t n_clients;
  int n;
  char ready[32];
  atomic_int next;
  atomic_int today, waiting, failed;
  double *ms;
} load;

/* One discharge team: its own connection, one request at a time, until N are done. */
static void *caller(void *arg) {
  load *l = arg;
  char body[2048];
  char *out = malloc(262144);
  int fd = hw_bench_connect_loopback(l->port);
  for (int i; out && fd >= 0 && (i = atomic_fetch_add(&l->next, 1)) < l->n;) {
    request_body(body, sizeof body, l->clients[(i * 11 + 3) % l->n_clients].id, l->ready);
    double t0 = now_s();
    int status = request(fd, "POST", "/v1/discharges", l->token, body, out, 262144);
    l->ms[i] = (now_s() - t0) * 1000;
    if (status != 201) {
      const char *b = strstr(out, "\r\n\r\n");
      fprintf(stderr, "bench_d2a: request %d: %d %.300s\n", i, status, b ? b + 4 : "");
      atomic_fetch_add(&l->failed, 1);
      break;
    }
    if (strstr(out, "\"status\":\"offered\"")) atomic_fetch_add(&l->today, 1);
    else atomic_fetch_add(&l->waiting, 1);
  }
  if (fd >= 0) close(fd);
  free(out);
  return NULL;
}

/* The daemon's own counts of drafted and stale offers (a daemon without them: nothing). */
static void print_draft_counts(int port, const char *token) {
  static char out[262144];
  int fd = hw_bench_connect_loopback(port);
  if (fd < 0 || request(fd, "GET", "/metrics", token, NULL, out, sizeof out) != 200) {
    if (fd >= 0) close(fd);
    return;
  }
  close(fd);
  static const char *const names[] = {"\nhomeward_offer_drafts_total ", "\nhomeward_offer_drafts_stale_total ",
                                      "\nhomeward_offers_in_writer_total ", NULL};
  for (int i = 0; names[i]; i++) {
    const char *p = strstr(out, names[i]);
    if (p) printf("             %s%lld\n", names[i] + 1, atoll(p + strlen(names[i])));
  }
}

static pid_t start_daemon(const options *opt, int port) {
  char listen[64];
  snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(opt->homeward, opt->homeward, "serve", "--db", opt->db, "--listen", listen, "--log_level", "warn",
          (char *)NULL);
    _exit(127);
  }
  int fd = -1;
  for (int i = 0; i < 500 && fd < 0; i++) {
    fd = hw_bench_connect_loopback(port);
    if (fd < 0) usleep(10000);
  }
  if (fd < 0) {
    fprintf(stderr, "bench_d2a: the daemon did not start\n");
    kill(pid, SIGKILL);
    exit(1);
  }
  close(fd);
  return pid;
}

/* N requests from the callers, offset first in the client list; reported as what. */
static void run_load(const options *opt, int port, const char *token, const hw_client *clients, int32_t n_clients,
                     int offset, int n, const char *what) {
  load l = {.port = port, .token = token, .clients = clients + offset, .n_clients = n_clients - offset, .n = n};
  l.ms = calloc((size_t)n, sizeof *l.ms);
  hw_time_format((hw_time)time(NULL), l.ready, sizeof l.ready);
  pthread_t *threads = calloc((size_t)opt->callers, sizeof *threads);
  double t0 = now_s();
  for (int i = 0; i < opt->callers; i++) pthread_create(&threads[i], NULL, caller, &l);
  for (int i = 0; i < opt->callers; i++) pthread_join(threads[i], NULL);
  double secs = now_s() - t0;
  if (atomic_load(&l.failed) || atomic_load(&l.next) < n) {
    fprintf(stderr, "bench_d2a: %d requests failed\n", atomic_load(&l.failed));
    exit(1);
  }
  report(what, l.ms, n);
  printf("             %.1f offers/s; %d offered today, %d waiting (POST /v1/discharges over loopback, %d callers, "
         "sync=full)\n", n / secs, atomic_load(&l.today), atomic_load(&l.waiting), opt->callers);
  free(threads);
  free(l.ms);
}

static void bench_daemon(const options *opt, const hw_client *clients, int32_t n_clients) {
  hw_store *st = open_store(opt->db);
  char token[HW_TOKEN_LEN + 1], name[64];
  snprintf(name, sizeof name, "bench-ward-%lld-%d", (long long)time(NULL), (int)getpid());
  if (hw_auth_create_token(st, name, HW_ROLE_DISCHARGE, NULL, 0, (hw_time)time(NULL), token, sizeof token) != 0) {
    fprintf(stderr, "bench_d2a: cannot create a token\n");
    exit(1);
  }
  hw_store_close(st);
  int port = hw_bench_free_port();
  pid_t pid = start_daemon(opt, port);
  char what[32];
  int offset = opt->warmup < n_clients / 2 ? opt->warmup : n_clients / 2;
  if (opt->warmup) run_load(opt, port, token, clients, n_clients, 0, opt->warmup, "warm-up");
  snprintf(what, sizeof what, "daemon x%d", opt->callers);
  run_load(opt, port, token, clients, n_clients, offset, opt->n, what);
  print_draft_counts(port, token);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

static void usage(void) {
  fprintf(stderr, "usage: bench_d2a [-n N] [-c CALLERS] [--plan-time SECONDS] [--db PATH] [--homeward PATH]\n"
                  "                 [--daemon-only] [--warmup W] [--scale nl|small]\n");
  exit(2);
}

int main(int argc, char **argv) {
  options opt = {.n = 200, .callers = 8, .plan_time_s = 2, .scale = "nl"};
  static const struct option longs[] = {{"plan-time", required_argument, NULL, 'p'},
                                        {"db", required_argument, NULL, 'd'},
                                        {"homeward", required_argument, NULL, 'h'},
                                        {"daemon-only", no_argument, NULL, 'D'},
                                        {"warmup", required_argument, NULL, 'W'},
                                        {"scale", required_argument, NULL, 's'},
                                        {NULL, 0, NULL, 0}};
  int ch;
  while ((ch = getopt_long(argc, argv, "n:c:", longs, NULL)) != -1) {
    switch (ch) {
      case 'n': opt.n = atoi(optarg); break;
      case 'c': opt.callers = atoi(optarg); break;
      case 'p': opt.plan_time_s = atof(optarg); break;
      case 'd': snprintf(opt.db, sizeof opt.db, "%s", optarg); opt.reuse = 1; break;
      case 'h': snprintf(opt.homeward, sizeof opt.homeward, "%s", optarg); break;
      case 'D': opt.daemon_only = 1; break;
      case 'W': opt.warmup = atoi(optarg); break;
      case 's': opt.scale = optarg; break;
      default: usage();
    }
  }
  int known_scale = strcmp(opt.scale, "nl") == 0 || strcmp(opt.scale, "small") == 0;
  if (opt.n <= 0 || opt.callers <= 0 || opt.warmup < 0 || opt.plan_time_s <= 0 || !known_scale) usage();
  if (!opt.homeward[0]) {
    char self[1024];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(opt.homeward, sizeof opt.homeward, "%s/../homeward", dirname(self));
  }
  if (!opt.db[0]) snprintf(opt.db, sizeof opt.db, "/tmp/bench_d2a_%d.db", (int)getpid());
  printf("command:");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf("\n");
  hw_date today = hw_time_local_date((hw_time)time(NULL));
  if (!opt.reuse || access(opt.db, F_OK) != 0) prepare(&opt, today);
  hw_store *st = open_store(opt.db);
  hw_client *clients = NULL;
  int32_t n_clients = 0;
  hw_store_list_clients(st, 0, &clients, &n_clients);
  hw_store_close(st);
  if (n_clients == 0) {
    fprintf(stderr, "bench_d2a: no clients in %s\n", opt.db);
    return 1;
  }
  printf("input: %s partnership, today and tomorrow planned; %d offers, %d concurrent callers on the daemon\n",
         strcmp(opt.scale, "nl") == 0 ? "NL" : "small generated", opt.n, opt.callers);
  printf("database %s: %d clients; offers ready now (%02d:%02d local)\n", opt.db, n_clients,
         hw_time_local_minute((hw_time)time(NULL)) / 60, hw_time_local_minute((hw_time)time(NULL)) % 60);
  if (!opt.daemon_only) bench_in_process(&opt, clients, n_clients);
  bench_daemon(&opt, clients, n_clients);
  free(clients);
  if (!opt.reuse) {
    char path[1100];
    unlink(opt.db);
    snprintf(path, sizeof path, "%s-wal", opt.db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", opt.db);
    unlink(path);
  }
  return 0;
}
