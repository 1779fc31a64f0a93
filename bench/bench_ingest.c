/*
 * bench_ingest: how many durable write events a second the daemon acknowledges,
 * and at what latency; and, with --kills, a crash soak.
 *
 * A libuv client opens C keep-alive connections to `homeward serve` on loopback
 * and keeps one request in flight on each: POST /v1/workers with a unique
 * Idempotency-Key, N in all (bounded also by --time-limit). It prints events/s
 * (201 answers / wall time) and p50/p99/p99.9 latency (request written to answer
 * parsed), with the command line that produced them.
 *
 * By default it makes a temporary database (one locality, one team, an admin
 * token), starts the daemon next to it (../homeward from this program, or
 * --homeward PATH) and stops it with SIGTERM at the end. --connect HOST:PORT
 * --token T measures a daemon that is already running (it must have team 1).
 *
 * --kills K: crash soak. While the load runs, the daemon is SIGKILLed K times at
 * random moments and restarted; clients reconnect and resend every request not
 * yet acknowledged with the same key. At the end every acknowledged key must be
 * in the event log exactly once (GET /v1/events); it prints the counts and exits
 * 1 on any loss or duplicate.
 *
 * --db PATH --plans DATE: ingest while plans publish. The daemon serves a copy
 * the caller made of a prepared partnership (bench_d2a's NL database: team 1
 * takes the workers); one second into the load, a plan job is requested for
 * DATE in every locality (POST /v1/plans, --plan-time seconds each), and the load
 * runs until they have all finished and one second more. Latency is printed for
 * the whole run and for the requests sent while the plans were solving or
 * publishing.
 *
 *   build/bench/bench_ingest -n 20000 -c 64
 *   build/bench/bench_ingest -n 100000 -c 32 --kills 1000 --time-limit 600
 *   build/bench/bench_ingest -n 1000000 -c 64 --db /tmp/nl-copy.db --plans 2026-12-05 --plan-time 5
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
#include <uv.h>

#include "hw_auth.h"
#include "hw_loopback.h"
#include "hw_store.h"

typedef struct bench bench;

typedef struct client {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  uv_write_t write_req;
  uv_timer_t retry;
  bench *b;
  char out[1024];
  char in[8192];
  size_t in_len;
  int key;                     /* in flight, -1 if none */
  uint64_t sent_ns;
  int open;
} client;

struct bench {
  uv_loop_t *loop;
  struct sockaddr_in addr;
  char token[128];
  int n, conns, kills, time_limit_s;
  int next_key;
  int *retry_keys, n_retry;    /* keys to send again after a failure */
  unsigned char *acked;
  uint32_t *lat_us;
  uint64_t *lat_sent_ns;       /* when each measured request was sent */
  int n_lat;
  int acked_count, errors, in_flight;
  uint64_t start_ns, deadline_ns;
  client *clients;
  /* The daemon, when this program started it. */
  pid_t pid;
  char homeward[1024], db[1024], log[1024], sync[16];
  int port;
  uv_timer_t killer;
  int kills_done;
  unsigned rng;
  /* Plans published during the load (--plans). */
  char plans_date[16];
  double plan_time_s;
  pthread_t planner;
  atomic_ullong plans_from_ns, plans_until_ns; /* the window they ran in (0: not yet) */
  atomic_int plans_done, plans_failed;
};

static void start_request(client *c);
static void client_connect(client *c);

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* ---- The daemon ---------------------------------------------------------------- */

static int port_open(int port) {
  int fd = hw_bench_connect_loopback(port);
  if (fd >= 0) close(fd);
  return fd >= 0;
}

static void daemon_start(bench *b) {
  char listen[64];
  snprintf(listen, sizeof listen, "127.0.0.1:%d", b->port);
  b->pid = fork();
  if (b->pid == 0) {
    int fd = open(b->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) dup2(fd, 2);
    execl(b->homeward, b->homeward, "serve", "--db", b->db, "--listen", listen, "--log_level", "warn", "--sync",
          b->sync, (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 2000 && !port_open(b->port); i++) sleep_ms(5);
}

static int daemon_stop(bench *b, int sig) {
  int status = 0;
  kill(b->pid, sig);
  waitpid(b->pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int seed(bench *b) {
  hw_store *st;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  if (hw_store_open(b->db, &o, &st, msg, sizeof msg) != 0) {
    fprintf(stderr, "bench_ingest: %s: %s\n", b->db, msg);
    return -1;
  }
  hw_locality loc = {.name = "Airdrie", .population = 57576, .centre = {55866000, -3980000}, .radius_m = 5000};
  hw_team team = {.kind = HW_TEAM_REABLEMENT, .name = "Airdrie reablement"};
  int rc = hw_store_insert_locality(st, &loc);
  team.locality_id = loc.id;
  if (rc == 0) rc = hw_store_insert_team(st, &team);
  if (rc == 0) rc = hw_auth_create_token(st, "bench", HW_ROLE_ADMIN, NULL, 0, (hw_time)time(NULL), b->token, sizeof b->token);
  if (rc != 0) fprintf(stderr, "bench_ingest: seeding failed: %s\n", hw_store_errmsg(st));
  hw_store_close(st);
  return rc == 0 ? 0 : -1;
}

/* An admin token in a prepared database (--db). */
static int add_token(bench *b) {
  hw_store *st;
  hw_store_options o;
  char msg[256], name[64];
  hw_store_options_init(&o);
  if (hw_store_open(b->db, &o, &st, msg, sizeof msg) != 0) {
    fprintf(stderr, "bench_ingest: %s: %s\n", b->db, msg);
    return -1;
  }
  snprintf(name, sizeof name, "bench-ingest-%d", (int)getpid());
  int rc = hw_auth_create_token(st, name, HW_ROLE_ADMIN, NULL, 0, (hw_time)time(NULL), b->token, sizeof b->token);
  if (rc != 0) fprintf(stderr, "bench_ingest: no token: %s\n", hw_store_errmsg(st));
  hw_store_close(st);
  return rc == 0 ? 0 : -1;
}

/* ---- The load ------------------------------------------------------------------- */

/* With plans, the load lasts until they are done and one second more. */
static int load_over(bench *b) {
  uint64_t now = uv_hrtime();
  if (now > b->deadline_ns) return 1;
  if (!b->plans_date[0]) return 0;
  uint64_t until = atomic_load(&b->plans_until_ns);
  return until && now > until + 1000000000ull;
}

static int take_key(bench *b) {
  if (b->n_retry > 0) return b->retry_keys[--b->n_retry];
  if (b->next_key >= b->n || load_over(b)) return -1;
  return b->next_key++;
}

static void give_back(bench *b, int key) {
  if (key >= 0) b->retry_keys[b->n_retry++] = key;
}

static void on_retry(uv_timer_t *t) { client_connect(t->data); }

static void on_closed(uv_handle_t *h) {
  client *c = h->data;
  c->open = 0;
  bench *b = c->b;
  /* Reconnect while there is work (in the crash soak the daemon comes back). */
  if (b->n_retry > 0 || (b->next_key < b->n && !load_over(b))) uv_timer_start(&c->retry, on_retry, 20, 0);
}

static void client_fail(client *c) {
  if (c->key >= 0) {
    c->b->in_flight--;
    give_back(c->b, c->key);
    c->key = -1;
  }
  if (c->open && !uv_is_closing((uv_handle_t *)&c->tcp)) uv_close((uv_handle_t *)&c->tcp, on_closed);
}

/* A whole response in c->in? Returns its status and consumes it, or 0. */
static int take_response(client *c) {
  c->in[c->in_len] = '\0';
  char *end = strstr(c->in, "\r\n\r\n");
  if (!end) return 0;
  int status = 0;
  size_t body = 0;
  sscanf(c->in, "HTTP/1.1 %d", &status);
  char *cl = strstr(c->in, "Content-Length:"); /* the daemon spells it so */
  if (cl && cl < end) body = strtoul(cl + 15, NULL, 10);
  size_t total = (size_t)(end + 4 - c->in) + body;
  if (c->in_len < total) return 0;
  memmove(c->in, c->in + total, c->in_len - total);
  c->in_len -= total;
  return status;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)suggested;
  client *c = h->data;
  *buf = uv_buf_init(c->in + c->in_len, (unsigned)(sizeof c->in - 1 - c->in_len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  (void)buf;
  client *c = s->data;
  bench *b = c->b;
  if (n < 0) {
    client_fail(c);
    return;
  }
  c->in_len += (size_t)n;
  int status;
  while ((status = take_response(c)) != 0) {
    if (c->key < 0) continue;
    b->in_flight--;
    if (status == 201) {
      if (!b->acked[c->key]) b->acked_count++;
      b->acked[c->key] = 1;
      uint64_t us = (uv_hrtime() - c->sent_ns) / 1000;
      if (b->n_lat < b->n) {
        b->lat_sent_ns[b->n_lat] = c->sent_ns;
        b->lat_us[b->n_lat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
      }
    } else {
      b->errors++;
      give_back(b, c->key);
    }
    c->key = -1;
    start_request(c);
  }
}

static void on_written(uv_write_t *req, int status) {
  if (status < 0) client_fail(req->data);
}

static void start_request(client *c) {
  bench *b = c->b;
  if (c->key >= 0 || !c->open) return;
  c->key = take_key(b);
  if (c->key < 0) {
    if (!uv_is_closing((uv_handle_t *)&c->tcp)) uv_close((uv_handle_t *)&c->tcp, on_closed);
    return;
  }
  char body[160];
  int bl = snprintf(body, sizeof body, "{\"team_id\":1,\"name\":\"Bench %d\",\"base\":{\"lat\":55.86,\"lon\":-3.98}}",
                    c->key);
  int n = snprintf(c->out, sizeof c->out,
                   "POST /v1/workers HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\nIdempotency-Key: bench-%d\r\n"
                   "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                   b->token, c->key, bl, body);
  uv_buf_t buf = uv_buf_init(c->out, (unsigned)n);
  c->write_req.data = c;
  c->sent_ns = uv_hrtime();
  b->in_flight++;
  if (uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &buf, 1, on_written) != 0) client_fail(c);
}

static void on_connect(uv_connect_t *req, int status) {
  client *c = req->data;
  if (status < 0) {
    client_fail(c);
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
  start_request(c);
}

static void client_connect(client *c) {
  c->in_len = 0;
  c->key = -1;
  uv_tcp_init(c->b->loop, &c->tcp);
  c->tcp.data = c;
  c->open = 1;
  c->connect_req.data = c;
  if (uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr *)&c->b->addr, on_connect) != 0) client_fail(c);
}

/* Crash soak: kill the daemon at a random moment, restart it. */
static void on_kill_timer(uv_timer_t *t) {
  bench *b = t->data;
  daemon_stop(b, SIGKILL);
  b->kills_done++;
  daemon_start(b);
  if (b->kills_done < b->kills && uv_hrtime() < b->deadline_ns)
    uv_timer_start(&b->killer, on_kill_timer, 20 + rand_r(&b->rng) % 80, 0);
  else
    uv_close((uv_handle_t *)&b->killer, NULL);
}

static void on_retry_closed(uv_handle_t *h) { (void)h; }

/* Stop the retry timers once nothing is left to do, so the loop can end. */
static void on_idle_check(uv_timer_t *t) {
  bench *b = t->data;
  if (b->in_flight == 0 && b->n_retry == 0 && (b->next_key >= b->n || load_over(b)) &&
      (b->kills == 0 || uv_is_closing((uv_handle_t *)&b->killer))) {
    int all_closed = 1;
    for (int i = 0; i < b->conns; i++) all_closed &= !b->clients[i].open;
    if (all_closed) {
      for (int i = 0; i < b->conns; i++) uv_close((uv_handle_t *)&b->clients[i].retry, on_retry_closed);
      uv_close((uv_handle_t *)t, NULL);
    }
  }
}

/* ---- Verification and report ------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static double pct(const uint32_t *v, int n, double p) {
  if (n == 0) return 0;
  int i = (int)(p * (n - 1) + 0.5);
  return v[i] / 1000.0;
}

/* Blocking GET of one events page; returns the parsed body or NULL. */
static json_t *get_events(bench *b, long long after) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, (struct sockaddr *)&b->addr, sizeof b->addr) != 0) {
    close(fd);
    return NULL;
  }
  char req[512];
  int n = snprintf(req, sizeof req,
                   "GET /v1/events?after=%lld&limit=1000 HTTP/1.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n",
                   after, b->token);
  if (write(fd, req, (size_t)n) != n) {
    close(fd);
    return NULL;
  }
  size_t cap = 1 << 20, len = 0;
  char *buf = malloc(cap);
  ssize_t r;
  while (buf && (r = read(fd, buf + len, cap - 1 - len)) > 0) {
    len += (size_t)r;
    if (len == cap - 1) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  close(fd);
  if (!buf) return NULL;
  buf[len] = '\0';
  char *body = strstr(buf, "\r\n\r\n");
  json_t *j = body ? json_loads(body + 4, 0, NULL) : NULL;
  free(buf);
  return j;
}

/* Every acknowledged key in the log exactly once. Returns the number of problems. */
static int verify(bench *b) {
  int *count = calloc((size_t)b->n, sizeof *count);
  long long cursor = 0;
  for (;;) {
    json_t *j = get_events(b, cursor);
    if (!j) {
      fprintf(stderr, "bench_ingest: cannot read the event log\n");
      free(count);
      return 1;
    }
    json_t *evs = json_object_get(j, "events"), *ev;
    size_t i;
    json_array_foreach(evs, i, ev) {
      int k;
      const char *key = json_string_value(json_object_get(ev, "idempotency_key"));
      if (key && sscanf(key, "bench-%d", &k) == 1 && k >= 0 && k < b->n) count[k]++;
    }
    size_t got = json_array_size(evs);
    cursor = json_integer_value(json_object_get(j, "next"));
    json_decref(j);
    if (got == 0) break;
  }
  int lost = 0, dup = 0;
  for (int k = 0; k < b->n; k++) {
    if (b->acked[k] && count[k] == 0) lost++;
    if (count[k] > 1) dup++;
  }
  printf("verify: %d acknowledged, %d lost, %d stored twice\n", b->acked_count, lost, dup);
  free(count);
  return lost + dup;
}

/* ---- Plans during the load ------------------------------------------------------- */

/* One blocking request on its own connection; the status, the body into out. */
static int plain_request(bench *b, const char *method, const char *path, const char *body, char *out, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, (struct sockaddr *)&b->addr, sizeof b->addr) != 0) {
    close(fd);
    return -1;
  }
  char req[1024];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                   method, path, b->token, body ? strlen(body) : 0, body ? body : "");
  size_t len = 0;
  ssize_t r = write(fd, req, (size_t)n) == n ? 0 : -1;
  while (r >= 0 && len < cap - 1 && (r = read(fd, out + len, cap - 1 - len)) > 0) len += (size_t)r;
  out[len] = '\0';
  close(fd);
  int status = 0;
  return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : -1;
}

/* Request a plan for plans_date in every locality, then wait for them all. */
static void *planner(void *arg) {
  bench *b = arg;
  static char out[1 << 16];
  enum { LOCALITIES = 6 };
  long long ids[LOCALITIES];
  sleep_ms(1000);
  atomic_store(&b->plans_from_ns, uv_hrtime());
  for (int i = 0; i < LOCALITIES; i++) {
    char body[160];
    snprintf(body, sizeof body, "{\"locality\":%d,\"date\":\"%s\",\"time_limit_s\":%g}", i + 1, b->plans_date,
             b->plan_time_s);
    ids[i] = -1;
    const char *at = plain_request(b, "POST", "/v1/plans", body, out, sizeof out) == 202 ? strstr(out, "\"id\":") : NULL;
    if (at) ids[i] = atoll(at + 5);
    else {
      atomic_fetch_add(&b->plans_failed, 1);
      fprintf(stderr, "plan request for locality %d refused: %.400s\n", i + 1, out);
    }
  }
  for (int i = 0; i < LOCALITIES; i++) {
    char path[64];
    snprintf(path, sizeof path, "/v1/plans/%lld", ids[i]);
    while (ids[i] > 0 && plain_request(b, "GET", path, NULL, out, sizeof out) == 200 &&
           (strstr(out, "\"state\":\"queued\"") || strstr(out, "\"state\":\"running\"")))
      sleep_ms(50);
    if (ids[i] > 0 && strstr(out, "\"state\":\"done\"")) atomic_fetch_add(&b->plans_done, 1);
    else if (ids[i] > 0) {
      atomic_fetch_add(&b->plans_failed, 1);
      fprintf(stderr, "plan %lld (locality %d) did not finish: %.400s\n", ids[i], i + 1, out);
    }
    const char *pub = strstr(out, "\"publish_ms\":"), *written = strstr(out, "\"visits_written\":");
    const char *longest = strstr(out, "\"publish_max_ms\":"), *chunks = strstr(out, "\"publish_chunks\":");
    if (pub && written && longest && chunks) /* a daemon that says how long its publication held the writer */
      printf("plan %lld (locality %d): publication %lld ms of the writer in %lld chunks (the longest %lld ms), "
             "%lld visits written\n",
             ids[i], i + 1, atoll(pub + 13), atoll(chunks + 17), atoll(longest + 17), atoll(written + 17));
  }
  atomic_store(&b->plans_until_ns, uv_hrtime());
  return NULL;
}

/* The latencies of the requests sent in [from, until). */
static int window_latencies(const bench *b, uint64_t from, uint64_t until, uint32_t *out) {
  int n = 0;
  for (int i = 0; i < b->n_lat; i++)
    if (b->lat_sent_ns[i] >= from && b->lat_sent_ns[i] < until) out[n++] = b->lat_us[i];
  return n;
}

static void print_latency(const char *what, uint32_t *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_u32);
  printf("%s: n %d  p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms\n", what, n, pct(v, n, 0.50), pct(v, n, 0.99),
         pct(v, n, 0.999), n ? v[n - 1] / 1000.0 : 0);
}

static void usage(void) {
  fprintf(stderr,
          "usage: bench_ingest [-n EVENTS] [-c CONNECTIONS] [--time-limit S] [--sync full|normal|off]\n"
          "                    [--kills K] [--homeward PATH] [--connect HOST:PORT --token TOKEN]\n"
          "                    [--db PATH --plans YYYY-MM-DD [--plan-time S]]\n");
}

int main(int argc, char **argv) {
  static bench b;
  b.n = 20000;
  b.conns = 64;
  b.time_limit_s = 60;
  snprintf(b.sync, sizeof b.sync, "full");
  const char *connect_to = NULL;
  static const struct option opts[] = {{"time-limit", required_argument, NULL, 't'}, {"kills", required_argument, NULL, 'k'},
                                       {"homeward", required_argument, NULL, 'H'},   {"connect", required_argument, NULL, 'C'},
                                       {"token", required_argument, NULL, 'T'},      {"sync", required_argument, NULL, 's'},
                                       {"db", required_argument, NULL, 'D'},         {"plans", required_argument, NULL, 'P'},
                                       {"plan-time", required_argument, NULL, 'L'},
                                       {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "n:c:", opts, NULL)) != -1) {
    switch (opt) {
      case 'n': b.n = atoi(optarg); break;
      case 'c': b.conns = atoi(optarg); break;
      case 't': b.time_limit_s = atoi(optarg); break;
      case 'k': b.kills = atoi(optarg); break;
      case 'H': snprintf(b.homeward, sizeof b.homeward, "%s", optarg); break;
      case 'C': connect_to = optarg; break;
      case 'T': snprintf(b.token, sizeof b.token, "%s", optarg); break;
      case 's': snprintf(b.sync, sizeof b.sync, "%s", optarg); break;
      case 'D': snprintf(b.db, sizeof b.db, "%s", optarg); break;
      case 'P': snprintf(b.plans_date, sizeof b.plans_date, "%s", optarg); break;
      case 'L': b.plan_time_s = atof(optarg); break;
      default: usage(); return opt == 'h' ? 0 : 2;
    }
  }
  if (b.plan_time_s <= 0) b.plan_time_s = 5;
  if (b.n <= 0 || b.conns <= 0 || b.time_limit_s <= 0 || (connect_to && (!b.token[0] || b.kills || b.db[0])) ||
      (b.plans_date[0] && !b.db[0])) {
    usage();
    return 2;
  }
  char tmp[] = "/tmp/bench_ingest.XXXXXX";
  if (connect_to) {
    char host[64];
    const char *colon = strrchr(connect_to, ':');
    snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - connect_to) : 0, connect_to);
    if (!colon || uv_ip4_addr(host, atoi(colon + 1), &b.addr) != 0) {
      usage();
      return 2;
    }
  } else {
    if (!b.homeward[0]) {
      char self[1024];
      snprintf(self, sizeof self, "%s", argv[0]);
      snprintf(b.homeward, sizeof b.homeward, "%s/../homeward", dirname(self));
    }
    if (!mkdtemp(tmp)) return 1;
    snprintf(b.log, sizeof b.log, "%s/serve.log", tmp);
    if (b.db[0] ? add_token(&b) != 0 : (snprintf(b.db, sizeof b.db, "%s/ingest.db", tmp), seed(&b) != 0)) return 1;
    b.port = hw_bench_free_port();
    uv_ip4_addr("127.0.0.1", b.port, &b.addr);
    daemon_start(&b);
    if (!port_open(b.port)) {
      fprintf(stderr, "bench_ingest: the daemon did not start (%s)\n", b.log);
      return 1;
    }
  }
  b.acked = calloc((size_t)b.n, 1);
  b.lat_us = calloc((size_t)b.n, sizeof *b.lat_us);
  b.lat_sent_ns = calloc((size_t)b.n, sizeof *b.lat_sent_ns);
  b.retry_keys = calloc((size_t)b.n, sizeof *b.retry_keys);
  b.clients = calloc((size_t)b.conns, sizeof *b.clients);
  b.loop = uv_default_loop();
  b.rng = (unsigned)time(NULL);
  b.start_ns = uv_hrtime();
  b.deadline_ns = b.start_ns + (uint64_t)b.time_limit_s * 1000000000ull;
  for (int i = 0; i < b.conns; i++) {
    client *c = &b.clients[i];
    c->b = &b;
    uv_timer_init(b.loop, &c->retry);
    c->retry.data = c;
    client_connect(c);
  }
  if (b.kills > 0) {
    uv_timer_init(b.loop, &b.killer);
    b.killer.data = &b;
    uv_timer_start(&b.killer, on_kill_timer, 50, 0);
  }
  uv_timer_t idle;
  uv_timer_init(b.loop, &idle);
  idle.data = &b;
  uv_timer_start(&idle, on_idle_check, 10, 10);
  if (b.plans_date[0]) pthread_create(&b.planner, NULL, planner, &b);
  uv_run(b.loop, UV_RUN_DEFAULT);
  double secs = (double)(uv_hrtime() - b.start_ns) / 1e9;
  if (b.plans_date[0]) pthread_join(b.planner, NULL);
  uint32_t *window = calloc((size_t)b.n_lat + 1, sizeof *window);
  int n_window = window_latencies(&b, atomic_load(&b.plans_from_ns), atomic_load(&b.plans_until_ns), window);

  qsort(b.lat_us, (size_t)b.n_lat, sizeof *b.lat_us, cmp_u32);
  printf("command: ");
  for (int i = 0; i < argc; i++) printf("%s%s", i ? " " : "", argv[i]);
  printf("\ninput: POST /v1/workers, %d events over %d keep-alive connections, sync=%s%s\n", b.n, b.conns, b.sync,
         connect_to ? " (external daemon)" : "");
  printf("acknowledged: %d events in %.2f s = %.0f events/s (%d non-201 answers)\n", b.acked_count, secs,
         b.acked_count / secs, b.errors);
  printf("latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", pct(b.lat_us, b.n_lat, 0.50),
         pct(b.lat_us, b.n_lat, 0.99), pct(b.lat_us, b.n_lat, 0.999), b.n_lat ? b.lat_us[b.n_lat - 1] / 1000.0 : 0);
  if (b.plans_date[0]) {
    printf("plans: 6 requested for %s (%g s each), %d done, %d failed, over %.2f s\n", b.plans_date, b.plan_time_s,
           atomic_load(&b.plans_done), atomic_load(&b.plans_failed),
           (double)(atomic_load(&b.plans_until_ns) - atomic_load(&b.plans_from_ns)) / 1e9);
    print_latency("while the plans ran", window, n_window);
  }
  free(window);
  int problems = atomic_load(&b.plans_failed);
  if (b.errors && b.kills == 0) {
    fprintf(stderr, "bench_ingest: %d requests were not acknowledged with 201\n", b.errors);
    problems++;
  }
  if (b.kills > 0) {
    printf("crash soak: %d kills\n", b.kills_done);
    problems = verify(&b);
  }
  if (!connect_to) {
    int rc = daemon_stop(&b, SIGTERM);
    if (rc != 0) {
      fprintf(stderr, "bench_ingest: the daemon exited %d on SIGTERM\n", rc);
      problems++;
    }
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "bench_ingest: could not remove %s\n", tmp);
  }
  uv_loop_close(b.loop);
  free(b.acked);
  free(b.lat_us);
  free(b.lat_sent_ns);
  free(b.retry_keys);
  free(b.clients);
  return problems ? 1 : 0;
}
