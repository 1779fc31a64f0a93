/*
 * bench_soak: does the daemon stay flat under a long mixed load? It runs
 * `homeward serve` on a database and, for --seconds (default 3600), sends over
 * loopback, paced to fixed rates:
 *
 *   writes   --writes-per-s (1000): PATCH /v1/visits/{id} pinning and unpinning
 *            rostered visits in turn (one event each, every locality);
 *   reads    --reads-per-s (200): GET /v1/visits/{id}, /v1/workers/{id} and
 *            /v1/discharges/{id} in turn;
 *   offers   --offers-per-s (5): POST /v1/discharges (a request and its D2A
 *            offer; the rosters keep changing, so offers keep loading days).
 *
 * Every --sample-every seconds (60) it prints the daemon's resident memory and
 * open descriptors (/proc), its heap in use and what the D2A day caches hold
 * (GET /metrics), and the
 * last interval's rates and latencies; at the end the latency of each kind over
 * the run and a verdict: fds are flat when the last sample is within 4
 * descriptors of the first sample after the warm-up (the first 10% of the run,
 * at most 5 minutes); RSS is flat when it never exceeded in the second half of
 * the run its largest in the first half (after the warm-up) by more than 10% +
 * 8 MB - the day caches may fill to their bound at any time in the first half,
 * and RSS with them - and the day caches are bounded by the same rule at 25% +
 * 1 MB. Exit 1 when not, or when any request failed.
 *
 * Without --db it makes a small generated partnership in a temporary directory,
 * tomorrow planned (what the test suite's smoke run uses). With --db the caller
 * passes a copy of a prepared one (bench_d2a's NL database, today and tomorrow
 * planned).
 *
 *   build/bench/bench_soak --seconds 3600 --db /tmp/nl-copy.db
 *   build/bench/bench_soak --seconds 5 --sample-every 1        (smoke)
 *
 * SIGINT or SIGTERM ends the run early: the daemon is stopped and the figures so
 * far are judged.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
#include "hw_loopback.h"
#include "hw_plan.h"
#include "hw_service.h"
#include "hw_store.h"
#include "hw_time.h"

#define WRITERS 16
#define READERS 2
#define OFFERERS 2
#define MAX_SAMPLES 1000
#define BUF (1 << 20)

enum { KIND_WRITE, KIND_READ, KIND_OFFER, KINDS };
static const char *const kind_names[KINDS] = {"writes", "reads", "offers"};

typedef struct options {
  int seconds, sample_every;
  double rate[KINDS];
  char db[1024], homeward[1024];
} options;

/* Latencies of one kind: every request's, in microseconds, and the interval's. */
typedef struct series {
  pthread_mutex_t mu;
  uint32_t *us;
  size_t n, cap;
  size_t interval_from;          /* first of the current interval */
  uint64_t errors;
} series;

typedef struct soak {
  options opt;
  int port;
  char token[HW_TOKEN_LEN + 1];
  pid_t pid;
  hw_id *visits, *workers, *discharges, *clients;
  int32_t n_visits, n_workers, n_discharges, n_clients;
  char ready[32];
  double start;
  atomic_int stop;
  series lat[KINDS];
} soak;

static atomic_int interrupted; /* SIGINT or SIGTERM: end the run early, cleanly */

static void on_signal(int sig) {
  (void)sig;
  atomic_store(&interrupted, 1);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until t (monotonic seconds), in steps of at most a second so that an
 * interruption is seen. */
static void sleep_until(double t) {
  for (double d; !atomic_load(&interrupted) && (d = t - now_s()) > 0;) {
    if (d > 1) d = 1;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    nanosleep(&ts, NULL);
  }
}

/* ---- HTTP on a keep-alive connection ------------------------------------------------ */

static int send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

/* A whole response into out (at most cap - 1 bytes); its status, or -1. */
static int read_response(int fd, char *out, size_t cap) {
  size_t len = 0;
  char *end = NULL;
  while (!end) {
    ssize_t got = len < cap - 1 ? recv(fd, out + len, cap - 1 - len, 0) : -1;
    if (got <= 0) return -1;
    len += (size_t)got;
    out[len] = '\0';
    end = strstr(out, "\r\n\r\n");
  }
  const char *cl = strstr(out, "Content-Length:");
  size_t total = (size_t)(end + 4 - out) + (cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0);
  while (len < total) {
    ssize_t got = len < cap - 1 ? recv(fd, out + len, cap - 1 - len, 0) : -1;
    if (got <= 0) return -1;
    len += (size_t)got;
  }
  out[len] = '\0';
  int status = 0;
  return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : -1;
}

static int request(int *fd, const soak *s, const char *method, const char *path, const char *body, char *out,
                   size_t cap) {
  if (*fd < 0 && (*fd = hw_bench_connect_loopback(s->port)) < 0) return -1;
  char req[4096];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: soak\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   method, path, s->token, body ? strlen(body) : 0, body ? body : "");
  int status = send_all(*fd, req, (size_t)n) == 0 ? read_response(*fd, out, cap) : -1;
  if (status < 0) {
    close(*fd);
    *fd = -1;
  }
  return status;
}

static void record(series *se, double seconds, int ok) {
  pthread_mutex_lock(&se->mu);
  if (!ok) se->errors++;
  if (se->n == se->cap) {
    size_t cap = se->cap ? se->cap * 2 : 65536;
    uint32_t *us = realloc(se->us, cap * sizeof *us);
    if (us) {
      se->us = us;
      se->cap = cap;
    }
  }
  if (se->n < se->cap) se->us[se->n++] = (uint32_t)(seconds * 1e6);
  pthread_mutex_unlock(&se->mu);
}

/* ---- The load ------------------------------------------------------------------------ */

typedef struct worker_arg {
  soak *s;
  int kind, index, of;
} worker_arg;

/* The k-th request of a kind: method, path and body. */
static void make_request(const soak *s, int kind, uint64_t k, char *method, char *path, size_t path_len, char *body,
                         size_t body_len) {
  body[0] = '\0';
  if (kind == KIND_WRITE) {
    /* Pin a visit, and unpin it the next time round. */
    snprintf(method, 8, "PATCH");
    snprintf(path, path_len, "/v1/visits/%lld", (long long)s->visits[k % (uint64_t)s->n_visits]);
    snprintf(body, body_len, "{\"pinned\":%s}", (k / (uint64_t)s->n_visits) % 2 ? "false" : "true");
  } else if (kind == KIND_READ) {
    snprintf(method, 8, "GET");
    if (k % 3 == 0) snprintf(path, path_len, "/v1/visits/%lld", (long long)s->visits[k % (uint64_t)s->n_visits]);
    else if (k % 3 == 1 || !s->n_discharges)
      snprintf(path, path_len, "/v1/workers/%lld", (long long)s->workers[k % (uint64_t)s->n_workers]);
    else snprintf(path, path_len, "/v1/discharges/%lld", (long long)s->discharges[k % (uint64_t)s->n_discharges]);
  } else {
    snprintf(method, 8, "POST");
    snprintf(path, path_len, "/v1/discharges");
    snprintf(body, body_len,
             "{\"client_id\":%lld,\"hospital\":\"University Hospital Wishaw\",\"ready_at\":\"%s\","
             "\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
             "\"window\":{\"start\":\"17:00\",\"end\":\"19:30\"},\"duration\":30}]}}",
             (long long)s->clients[(k * 7) % (uint64_t)s->n_clients], s->ready);
  }
}

/* One paced sender: request i of this thread at start + i / its rate. */
static void *sender(void *arg) {
  worker_arg *w = arg;
  soak *s = w->s;
  double rate = s->opt.rate[w->kind] / w->of;
  static const int ok_status[KINDS] = {200, 200, 201};
  char *out = malloc(BUF), method[8], path[128], body[1024];
  int fd = -1;
  for (uint64_t i = 0; out && rate > 0 && !atomic_load(&s->stop); i++) {
    sleep_until(s->start + (double)i / rate);
    make_request(s, w->kind, i * (uint64_t)w->of + (uint64_t)w->index, method, path, sizeof path, body, sizeof body);
    double t0 = now_s();
    int status = request(&fd, s, method, path, body[0] ? body : NULL, out, BUF);
    record(&s->lat[w->kind], now_s() - t0, status == ok_status[w->kind]);
  }
  if (fd >= 0) close(fd);
  free(out);
  return NULL;
}

/* ---- Watching the daemon --------------------------------------------------------------- */

typedef struct sample {
  double at;
  long rss_kb;
  int fds;
  long long cache_bytes, cache_days;
  long long heap_in_use;       /* the allocator's, from /metrics (-1: not given) */
} sample;

static long rss_kb(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &kb) == 1) break;
  if (f) fclose(f);
  return kb;
}

static int open_fds(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
  DIR *d = opendir(path);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
  if (d) closedir(d);
  return d ? n : -1;
}

/* The sum of a labelled gauge's lines in the metrics text. */
static long long gauge(const char *text, const char *name) {
  long long sum = 0;
  size_t len = strlen(name);
  for (const char *p = strstr(text, name); p; p = strstr(p + len, name))
    if (p > text && p[-1] == '\n' && p[len] == '{') {
      const char *v = strchr(p, ' ');
      if (v) sum += atoll(v + 1);
    }
  return sum;
}

static sample take_sample(soak *s) {
  sample x = {.at = now_s() - s->start, .rss_kb = rss_kb(s->pid), .fds = open_fds(s->pid)};
  char *out = malloc(BUF);
  int fd = -1;
  if (out && request(&fd, s, "GET", "/metrics", NULL, out, BUF) == 200) {
    x.cache_bytes = gauge(out, "homeward_daycache_bytes");
    x.cache_days = gauge(out, "homeward_daycache_days");
    x.heap_in_use = strstr(out, "\nhomeward_heap_in_use_bytes{") ? gauge(out, "homeward_heap_in_use_bytes") : -1;
  }
  if (fd >= 0) close(fd);
  free(out);
  return x;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* p50/p99/max (ms) of v[0..n), sorted in place. */
static void percentiles(uint32_t *v, size_t n, double *p50, double *p99, double *max) {
  *p50 = *p99 = *max = 0;
  if (!n) return;
  qsort(v, n, sizeof *v, cmp_u32);
  *p50 = v[(size_t)(0.50 * (double)(n - 1))] / 1000.0;
  *p99 = v[(size_t)(0.99 * (double)(n - 1))] / 1000.0;
  *max = v[n - 1] / 1000.0;
}

/* The interval's count and p99 of one kind (a copy is sorted; the series goes on). */
static void interval(series *se, double secs, double *rate, double *p99) {
  pthread_mutex_lock(&se->mu);
  size_t n = se->n - se->interval_from;
  uint32_t *copy = malloc((n + 1) * sizeof *copy);
  if (copy && n) memcpy(copy, se->us + se->interval_from, n * sizeof *copy);
  se->interval_from = se->n;
  pthread_mutex_unlock(&se->mu);
  double p50, max;
  percentiles(copy, copy ? n : 0, &p50, p99, &max);
  *rate = (double)n / secs;
  free(copy);
}

static void print_sample(soak *s, const sample *x, double secs) {
  double rate[KINDS], p99[KINDS];
  for (int k = 0; k < KINDS; k++) interval(&s->lat[k], secs, &rate[k], &p99[k]);
  printf("t=%5.0fs  rss %6.1f MB  heap %6.1f MB  fds %3d  day caches %3lld days %6.1f MB  writes %6.0f/s p99 %6.1f ms  "
         "reads %5.0f/s p99 %6.1f ms  offers %4.1f/s p99 %6.1f ms\n",
         x->at, x->rss_kb / 1024.0, x->heap_in_use / 1048576.0, x->fds, x->cache_days, x->cache_bytes / 1048576.0,
         rate[KIND_WRITE],
         p99[KIND_WRITE], rate[KIND_READ], p99[KIND_READ], rate[KIND_OFFER], p99[KIND_OFFER]);
  fflush(stdout);
}

/* ---- Set-up ------------------------------------------------------------------------------ */

static hw_id *ids_of_visits(hw_store *st, hw_date d, int32_t *n) {
  hw_visit *v = NULL;
  int32_t m = 0;
  if (hw_store_list_visits(st, d, d, 0, &v, &m) != 0) return NULL;
  hw_id *ids = malloc(((size_t)m + 1) * sizeof *ids);
  int32_t k = 0;
  for (int32_t i = 0; ids && i < m; i++)
    if (v[i].status == HW_VISIT_ASSIGNED) ids[k++] = v[i].id;
  for (int32_t i = 0; ids && k == 0 && i < m; i++) ids[k++] = v[i].id; /* nothing rostered: unpinning still writes */
  free(v);
  *n = k;
  return ids;
}

/* Ids to use and a token, read from the database before the daemon starts. */
static int prepare(soak *s) {
  hw_store *st;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  if (hw_store_open(s->opt.db, &o, &st, msg, sizeof msg) != 0) {
    fprintf(stderr, "bench_soak: %s: %s\n", s->opt.db, msg);
    return -1;
  }
  hw_date tomorrow = hw_time_local_date((hw_time)time(NULL)) + 1;
  hw_worker *w = NULL;
  hw_client *c = NULL;
  hw_discharge *d = NULL;
  s->visits = ids_of_visits(st, tomorrow, &s->n_visits);
  int rc = hw_store_list_workers(st, 0, &w, &s->n_workers);
  if (rc == 0) rc = hw_store_list_clients(st, 0, &c, &s->n_clients);
  if (rc == 0) rc = hw_store_list_discharges(st, -1, &d, &s->n_discharges);
  s->workers = malloc(((size_t)s->n_workers + 1) * sizeof *s->workers);
  s->clients = malloc(((size_t)s->n_clients + 1) * sizeof *s->clients);
  s->discharges = malloc(((size_t)s->n_discharges + 1) * sizeof *s->discharges);
  for (int32_t i = 0; s->workers && i < s->n_workers; i++) s->workers[i] = w[i].id;
  for (int32_t i = 0; s->clients && i < s->n_clients; i++) s->clients[i] = c[i].id;
  for (int32_t i = 0; s->discharges && i < s->n_discharges; i++) s->discharges[i] = d[i].id;
  free(w);
  free(c);
  free(d);
  char name[64];
  snprintf(name, sizeof name, "bench-soak-%d", (int)getpid());
  if (rc == 0)
    rc = hw_auth_create_token(st, name, HW_ROLE_ADMIN, NULL, 0, (hw_time)time(NULL), s->token, sizeof s->token);
  hw_store_close(st);
  if (rc != 0 || !s->visits || !s->n_visits || !s->n_workers || !s->n_clients) {
    fprintf(stderr, "bench_soak: %s has no visits tomorrow, workers or clients to use\n", s->opt.db);
    return -1;
  }
  hw_time_format((hw_time)time(NULL), s->ready, sizeof s->ready);
  return 0;
}

static int run(const char *cmd) {
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
}

static pid_t start_daemon(soak *s) {
  char listen[64];
  s->port = hw_bench_free_port();
  snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(s->opt.homeward, s->opt.homeward, "serve", "--db", s->opt.db, "--listen", listen, "--log_level", "warn",
          (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 500; i++) {
    int fd = hw_bench_connect_loopback(s->port);
    if (fd >= 0) {
      close(fd);
      return pid;
    }
    usleep(10000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return -1;
}

static void usage(void) {
  fprintf(stderr, "usage: bench_soak [--seconds S] [--sample-every S] [--writes-per-s N] [--reads-per-s N]\n"
                  "                  [--offers-per-s N] [--db PATH] [--homeward PATH]\n");
  exit(2);
}

static void parse(int argc, char **argv, options *o) {
  *o = (options){.seconds = 3600, .sample_every = 60, .rate = {1000, 200, 5}};
  static const struct option longs[] = {{"seconds", required_argument, NULL, 's'},
                                        {"sample-every", required_argument, NULL, 'e'},
                                        {"writes-per-s", required_argument, NULL, 'w'},
                                        {"reads-per-s", required_argument, NULL, 'r'},
                                        {"offers-per-s", required_argument, NULL, 'o'},
                                        {"db", required_argument, NULL, 'd'},
                                        {"homeward", required_argument, NULL, 'h'},
                                        {NULL, 0, NULL, 0}};
  int ch;
  while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
    switch (ch) {
      case 's': o->seconds = atoi(optarg); break;
      case 'e': o->sample_every = atoi(optarg); break;
      case 'w': o->rate[KIND_WRITE] = atof(optarg); break;
      case 'r': o->rate[KIND_READ] = atof(optarg); break;
      case 'o': o->rate[KIND_OFFER] = atof(optarg); break;
      case 'd': snprintf(o->db, sizeof o->db, "%s", optarg); break;
      case 'h': snprintf(o->homeward, sizeof o->homeward, "%s", optarg); break;
      default: usage();
    }
  }
  if (o->seconds <= 0 || o->sample_every <= 0 || o->rate[0] < 0 || o->rate[1] < 0 || o->rate[2] < 0) usage();
  if (!o->homeward[0]) {
    char self[1024];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(o->homeward, sizeof o->homeward, "%s/../homeward", dirname(self));
  }
}

/* Tomorrow planned in every locality, briefly (so there are rosters to pin). */
static int plan_tomorrow(const char *db) {
  hw_store *st;
  hw_store_options o;
  char msg[256] = "";
  hw_store_options_init(&o);
  if (hw_store_open(db, &o, &st, msg, sizeof msg) != 0) return -1;
  hw_locality *locs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(st, &locs, &n);
  hw_service_settings set;
  hw_service_settings_init(&set);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_plan_params p;
    hw_plan_params_init(&p);
    p.time_limit_s = 1;
    hw_plan_report r;
    hw_change c = {.actor = "bench", .key = "", .now = (hw_time)time(NULL)};
    rc = hw_service_plan_locality(st, &set, locs[i].id, hw_time_local_date(c.now) + 1, &p, &c, &r, msg, sizeof msg);
    if (rc == 0) hw_plan_report_free(&r);
  }
  free(locs);
  hw_store_close(st);
  return rc;
}

/* A small generated partnership in dir, tomorrow planned (the smoke run's). */
static int make_database(options *o, char *dir) {
  if (!mkdtemp(dir)) return -1;
  snprintf(o->db, sizeof o->db, "%s/soak.db", dir);
  char cmd[2300], day[16];
  hw_date_format(hw_time_local_date((hw_time)time(NULL)), day, sizeof day);
  snprintf(cmd, sizeof cmd, "'%s' generate --db '%s' --scale small --start %s > /dev/null 2>&1", o->homeward, o->db,
           day);
  return run(cmd) == 0 ? plan_tomorrow(o->db) : -1;
}

/* ---- The run and the verdict ---------------------------------------------------------------- */

static long long largest_cache(const sample *x, int from, int to) {
  long long max = 0;
  for (int i = from; i < to; i++)
    if (x[i].cache_bytes > max) max = x[i].cache_bytes;
  return max;
}

static long largest_rss(const sample *x, int from, int to) {
  long max = 0;
  for (int i = from; i < to; i++)
    if (x[i].rss_kb > max) max = x[i].rss_kb;
  return max;
}

/* Under AddressSanitizer (the ASan tree's smoke run) freed memory waits in its
 * quarantine, so the daemon's RSS grows whatever it does: RSS is reported there,
 * not judged. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_JUDGED 0
#else
#define RSS_JUDGED 1
#endif

static int verdict(const sample *x, int n, int warm) {
  if (warm >= n) warm = n - 1;
  const sample *first = &x[warm], *last = &x[n - 1];
  int half = warm + (n - warm) / 2;
  int mid = half > warm ? half : warm + 1;
  long long early = largest_cache(x, warm, mid), late = largest_cache(x, half, n);
  long rss_early = largest_rss(x, warm, mid), rss_late = largest_rss(x, half, n);
  int rss_flat = !RSS_JUDGED || rss_late <= rss_early + rss_early / 10 + 8 * 1024;
  int fds_flat = last->fds <= first->fds + 4;
  int bounded = late <= early + early / 4 + (1ll << 20);
  printf("heap in use: %.1f MB at t=%.0fs -> %.1f MB at t=%.0fs (reported, not judged)\n", first->heap_in_use / 1048576.0,
         first->at, last->heap_in_use / 1048576.0, last->at);
  printf("verdict: RSS %s (largest %.1f MB in the first half, %.1f MB in the second; %.1f MB at t=%.0fs -> %.1f MB "
         "at t=%.0fs; tolerance +10%% +8 MB), fds %s (%d -> %d; tolerance +4), day caches %s (largest %.1f MB in the "
         "first half, %.1f MB in the second; tolerance +25%% +1 MB)\n",
         !RSS_JUDGED ? "not judged under AddressSanitizer" : rss_flat ? "flat" : "GREW", rss_early / 1024.0,
         rss_late / 1024.0, first->rss_kb / 1024.0, first->at, last->rss_kb / 1024.0, last->at, fds_flat ? "flat" : "GREW",
         first->fds, last->fds, bounded ? "bounded" : "GREW", early / 1048576.0, late / 1048576.0);
  return rss_flat && fds_flat && bounded;
}

int main(int argc, char **argv) {
  static soak s;
  parse(argc, argv, &s.opt);
  char dir[] = "/tmp/bench_soak.XXXXXX";
  int own_db = !s.opt.db[0];
  if (access(s.opt.homeward, X_OK) != 0) {
    fprintf(stderr, "bench_soak: no daemon at %s: skipped\n", s.opt.homeward);
    return 77;
  }
  if ((own_db && make_database(&s.opt, dir) != 0) || prepare(&s) != 0) return 1;
  if ((s.pid = start_daemon(&s)) < 0) {
    fprintf(stderr, "bench_soak: the daemon did not start\n");
    return 1;
  }
  printf("command:");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf("\ninput: %s; %d visits pinned and unpinned in turn, %d workers, %d clients; %.0f writes/s, %.0f reads/s, "
         "%.1f offers/s for %d s\n",
         s.opt.db, s.n_visits, s.n_workers, s.n_clients, s.opt.rate[KIND_WRITE], s.opt.rate[KIND_READ],
         s.opt.rate[KIND_OFFER], s.opt.seconds);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  for (int k = 0; k < KINDS; k++) pthread_mutex_init(&s.lat[k].mu, NULL);
  static const int threads_of[KINDS] = {WRITERS, READERS, OFFERERS};
  pthread_t threads[WRITERS + READERS + OFFERERS];
  worker_arg args[WRITERS + READERS + OFFERERS];
  int n_threads = 0;
  s.start = now_s();
  for (int k = 0; k < KINDS; k++)
    for (int i = 0; i < threads_of[k]; i++) {
      args[n_threads] = (worker_arg){&s, k, i, threads_of[k]};
      pthread_create(&threads[n_threads], NULL, sender, &args[n_threads]);
      n_threads++;
    }
  static sample samples[MAX_SAMPLES];
  int n = 0;
  for (double next = s.opt.sample_every; n < MAX_SAMPLES; next += s.opt.sample_every) {
    double end = next < s.opt.seconds ? next : s.opt.seconds;
    sleep_until(s.start + end);
    samples[n] = take_sample(&s);
    print_sample(&s, &samples[n], samples[n].at - (n ? samples[n - 1].at : 0));
    n++;
    if (end >= s.opt.seconds || atomic_load(&interrupted)) break;
  }
  if (atomic_load(&interrupted)) printf("interrupted at t=%.0fs\n", now_s() - s.start);
  atomic_store(&s.stop, 1);
  for (int i = 0; i < n_threads; i++) pthread_join(threads[i], NULL);
  kill(s.pid, SIGTERM);
  int status = 0;
  waitpid(s.pid, &status, 0);
  int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) printf("the daemon did not stop cleanly on SIGTERM\n");
  for (int k = 0; k < KINDS; k++) {
    double p50, p99, max;
    percentiles(s.lat[k].us, s.lat[k].n, &p50, &p99, &max);
    printf("%-7s n %zu  errors %llu  p50 %.2f  p99 %.2f  max %.2f ms\n", kind_names[k], s.lat[k].n,
           (unsigned long long)s.lat[k].errors, p50, p99, max);
    ok &= s.lat[k].errors == 0;
  }
  int warm = (int)((s.opt.seconds / 10 < 300 ? s.opt.seconds / 10 : 300) / s.opt.sample_every);
  ok &= verdict(samples, n, warm);
  if (own_db) {
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    run(cmd);
  }
  for (int k = 0; k < KINDS; k++) free(s.lat[k].us);
  free(s.visits);
  free(s.workers);
  free(s.clients);
  free(s.discharges);
  return ok ? 0 : 1;
}
