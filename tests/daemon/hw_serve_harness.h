/*
 * The harness of the end-to-end tests of `homeward serve` (test_serve*.c): start
 * the REAL daemon (build/homeward) on 127.0.0.1 with a temporary database, talk
 * HTTP to it over plain sockets as a client would, and seed a small partnership
 * with a token for every role. Functions are static inline so each test file
 * takes what it uses.
 */
#ifndef HW_SERVE_HARNESS_H
#define HW_SERVE_HARNESS_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hw_auth.h"
#include "hw_codec.h"
#include "hw_store.h"
#include "hw_test.h"
#include "hw_time.h"

/* ---- The daemon process --------------------------------------------------------- */

typedef struct daemon_proc {
  pid_t pid;
  int port;
  char db[512];
  char log[512];
} daemon_proc;

/* The daemon of the running case, killed if the case fails (exit runs atexit). */
static pid_t live_daemon;

static inline void kill_live_daemon(void) {
  if (live_daemon > 0) kill(live_daemon, SIGKILL);
}

static inline int free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0)
    hw_test_fail(__FILE__, __LINE__, "no free port");
  close(fd);
  return ntohs(a.sin_port);
}

/* How long a request may wait for its answer (a clock move waits in bounded
 * steps: harness_clock_to). */
#define HARNESS_ANSWER_TIMEOUT_S 10

static inline int connect_port(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct timeval tv = {HARNESS_ANSWER_TIMEOUT_S, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static inline void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Start build/homeward serve on db with extra flags (NULL-terminated); wait until
 * it accepts connections. Retries with another port if the first is taken. */
static inline void daemon_start(daemon_proc *d, const char *db, const char *const *extra) {
  if (db != d->db) snprintf(d->db, sizeof d->db, "%s", db);
  snprintf(d->log, sizeof d->log, "%s/serve.log", hw_test_tmpdir());
  for (int attempt = 0; attempt < 5; attempt++) {
    d->port = free_port();
    char exe[512], listen[64];
    snprintf(exe, sizeof exe, "%s/homeward", hw_test_build_dir());
    snprintf(listen, sizeof listen, "127.0.0.1:%d", d->port);
    const char *argv[32] = {exe, "serve", "--db", d->db, "--listen", listen, "--log_level", "warn"};
    int argc = 8;
    for (int i = 0; extra && extra[i] && argc < 31; i++) argv[argc++] = extra[i];
    argv[argc] = NULL;
    static int registered;
    if (!registered++) atexit(kill_live_daemon);
    d->pid = fork();
    if (d->pid == 0) {
      int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
      int null = open("/dev/null", O_WRONLY);
      if (fd >= 0) dup2(fd, 2);
      if (null >= 0) dup2(null, 1);
      execv(exe, (char *const *)argv);
      _exit(127);
    }
    for (int i = 0; i < 1000; i++) {
      int status;
      if (waitpid(d->pid, &status, WNOHANG) == d->pid) break; /* died: port taken? retry */
      int fd = connect_port(d->port);
      if (fd >= 0) {
        close(fd);
        live_daemon = d->pid;
        return;
      }
      sleep_ms(10);
    }
    kill(d->pid, SIGKILL);
    waitpid(d->pid, NULL, 0);
  }
  hw_test_fail(__FILE__, __LINE__, "daemon did not start (see %s)", d->log);
}

/* Send sig and wait; returns the exit status, or 128 + signal. */
static inline int daemon_stop(daemon_proc *d, int sig) {
  int status = 0;
  kill(d->pid, sig);
  waitpid(d->pid, &status, 0);
  d->pid = 0;
  live_daemon = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- A small HTTP client ------------------------------------------------------------ */

typedef struct resp {
  int status;
  char head[4096];
  char body[65536];
} resp;

/* Read a whole response (the server closes after it: Connection: close). */
static inline int read_all(int fd, char *buf, size_t cap) {
  size_t len = 0;
  for (;;) {
    ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == cap - 1) break;
  }
  buf[len] = '\0';
  return (int)len;
}

static inline int send_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

static inline void split_response(const char *raw, resp *r) {
  r->status = 0;
  r->head[0] = r->body[0] = '\0';
  if (sscanf(raw, "HTTP/1.1 %d", &r->status) != 1) return;
  const char *sep = strstr(raw, "\r\n\r\n");
  if (!sep) return;
  size_t hl = (size_t)(sep - raw) < sizeof r->head - 1 ? (size_t)(sep - raw) : sizeof r->head - 1;
  memcpy(r->head, raw, hl);
  r->head[hl] = '\0';
  snprintf(r->body, sizeof r->body, "%s", sep + 4);
}

/* One request on its own connection, with a body of content type ctype.
 * Returns 0, or -1 if the daemon could not be reached or closed without an answer. */
static inline int http_typed(int port, const char *method, const char *path, const char *token, const char *key,
                             const char *ctype, const char *body, resp *r) {
  static char raw[80000];
  char req[70000];
  int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n", method, path);
  if (token) n += snprintf(req + n, sizeof req - (size_t)n, "Authorization: Bearer %s\r\n", token);
  if (key) n += snprintf(req + n, sizeof req - (size_t)n, "Idempotency-Key: %s\r\n", key);
  if (body)
    n += snprintf(req + n, sizeof req - (size_t)n, "Content-Type: %s\r\nContent-Length: %zu\r\n", ctype,
                  strlen(body));
  n += snprintf(req + n, sizeof req - (size_t)n, "\r\n%s", body ? body : "");
  int fd = connect_port(port);
  if (fd < 0) return -1;
  int rc = send_all(fd, req, (size_t)n);
  read_all(fd, raw, sizeof raw);
  close(fd);
  split_response(raw, r);
  return rc == 0 && r->status > 0 ? 0 : -1;
}

/* One JSON request on its own connection (http_typed). */
static inline int http(int port, const char *method, const char *path, const char *token, const char *key, const char *body,
                       resp *r) {
  return http_typed(port, method, path, token, key, "application/json", body, r);
}

/* Raw bytes in, whole answer out (the daemon closes after an error answer). */
static inline void http_raw(int port, const char *data, size_t len, char *out, size_t cap) {
  int fd = connect_port(port);
  HW_CHECK(fd >= 0);
  send_all(fd, data, len);
  read_all(fd, out, cap);
  close(fd);
}

static inline json_t *body_json(const resp *r) {
  json_t *j = json_loads(r->body, 0, NULL);
  if (!j) hw_test_fail(__FILE__, __LINE__, "not JSON: %s", r->body);
  return j;
}

static inline int64_t event_count(int port) {
  resp r;
  HW_CHECK_INT(http(port, "GET", "/healthz", NULL, NULL, NULL, &r), ==, 0);
  json_t *j = body_json(&r);
  int64_t n = json_integer_value(json_object_get(j, "events"));
  json_decref(j);
  return n;
}

/* ---- The partnership every case starts from -------------------------------------- */

/* Two localities (1 Airdrie, 2 Bellshill), each with a team, a client, a worker
 * (on shift all week), a referral waiting for a team, a discharge request and a
 * visit today; tokens for every role. */
typedef struct seed {
  char admin[HW_TOKEN_LEN + 1], coord1[HW_TOKEN_LEN + 1], manager[HW_TOKEN_LEN + 1], discharge1[HW_TOKEN_LEN + 1];
  char worker1[HW_TOKEN_LEN + 1]; /* worker 1's own token (locality 1) */
  char manager1[HW_TOKEN_LEN + 1]; /* a manager of locality 1 only */
} seed;

static inline void decode_or_fail(int rc, const hw_errors *errs) {
  char buf[1024];
  if (rc) hw_test_fail(__FILE__, __LINE__, "seed: %s", hw_errors_join(errs, buf, sizeof buf));
}

#define SHIFT(d) "{\"day\":\"" d "\",\"start\":\"07:00\",\"end\":\"22:00\"}"
#define WEEK_OF_SHIFTS SHIFT("mon") "," SHIFT("tue") "," SHIFT("wed") "," SHIFT("thu") "," SHIFT("fri") "," SHIFT("sat") "," SHIFT("sun")

static inline void seed_store(const char *db, seed *s) {
  hw_store *st;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  HW_CHECK_INT(hw_store_open(db, &o, &st, msg, sizeof msg), ==, 0);
  const char *names[2] = {"Airdrie", "Bellshill"};
  hw_date today = hw_time_local_date((hw_time)time(NULL));
  char date[16];
  hw_date_format(today, date, sizeof date);
  for (int i = 0; i < 2; i++) {
    hw_errors errs;
    hw_errors_init(&errs);
    hw_locality loc = {.population = 50000, .centre = {55860000 + i * 10000, -3980000}, .radius_m = 4000};
    snprintf(loc.name, sizeof loc.name, "%s", names[i]);
    HW_CHECK_INT(hw_store_insert_locality(st, &loc), ==, 0);
    hw_team team = {.locality_id = loc.id, .kind = HW_TEAM_REABLEMENT};
    snprintf(team.name, sizeof team.name, "%s reablement", names[i]);
    HW_CHECK_INT(hw_store_insert_team(st, &team), ==, 0);
    char text[1024];
    hw_client c;
    snprintf(text, sizeof text, "{\"locality_id\":%lld,\"name\":\"Client %d\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}",
             (long long)loc.id, i + 1);
    json_t *j = json_loads(text, 0, NULL);
    decode_or_fail(hw_client_from_json(j, "", &c, &errs), &errs);
    json_decref(j);
    HW_CHECK_INT(hw_store_insert_client(st, &c), ==, 0);
    hw_worker w;
    snprintf(text, sizeof text,
             "{\"team_id\":%lld,\"name\":\"Worker %d\",\"base\":{\"lat\":55.86,\"lon\":-3.98},\"skills\":"
             "[{\"skill\":\"personal_care\"}],\"shifts\":[%s]}",
             (long long)team.id, i + 1, WEEK_OF_SHIFTS);
    j = json_loads(text, 0, NULL);
    decode_or_fail(hw_worker_from_json(j, "", &w, &errs), &errs);
    json_decref(j);
    HW_CHECK_INT(hw_store_insert_worker(st, &w), ==, 0);
    hw_referral r;
    snprintf(text, sizeof text,
             "{\"client_id\":%lld,\"source\":\"community\",\"start_date\":\"%s\",\"care_plan\":{\"visits\":"
             "[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],\"window\":{\"start\":\"00:00\","
             "\"end\":\"23:59\"},\"duration\":30}]}}",
             (long long)c.id, date);
    j = json_loads(text, 0, NULL);
    decode_or_fail(hw_referral_from_json(j, "", &r, &errs), &errs);
    json_decref(j);
    HW_CHECK_INT(hw_store_insert_referral(st, &r), ==, 0);
    hw_discharge x;
    snprintf(text, sizeof text,
             "{\"client_id\":%lld,\"hospital\":\"University Hospital Wishaw\",\"ward\":\"12\",\"ready_at\":\"%sT10:00\","
             "\"care_plan\":{\"visits\":[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},"
             "\"duration\":30}]}}",
             (long long)c.id, date);
    j = json_loads(text, 0, NULL);
    decode_or_fail(hw_discharge_from_json(j, "", &x, &errs), &errs);
    json_decref(j);
    HW_CHECK_INT(hw_store_insert_discharge(st, &x), ==, 0);
    hw_visit v = {.referral_id = r.id, .client_id = c.id, .date = today, .duration = 30, .workers = 1,
                  .priority = 50, .status = HW_VISIT_ASSIGNED, .planned_start = HW_TIME_NONE,
                  .check_in = HW_TIME_NONE, .check_out = HW_TIME_NONE};
    v.window_start = hw_local_to_time(today, 0);
    v.window_end = hw_local_to_time(today, 1439);
    v.worker_ids[0] = w.id;
    HW_CHECK_INT(hw_store_insert_visit(st, &v), ==, 0);
    HW_CHECK_INT(loc.id, ==, i + 1); /* the cases below rely on ids 1 and 2 */
    HW_CHECK_INT(v.id, ==, i + 1);
  }
  hw_id l1 = 1;
  hw_time now = (hw_time)time(NULL);
  HW_CHECK_INT(hw_auth_create_token(st, "admin", HW_ROLE_ADMIN, NULL, 0, now, s->admin, sizeof s->admin), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "airdrie-coordinator", HW_ROLE_COORDINATOR, &l1, 1, now, s->coord1,
                                    sizeof s->coord1), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "manager", HW_ROLE_MANAGER, NULL, 0, now, s->manager, sizeof s->manager), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "wishaw-discharge", HW_ROLE_DISCHARGE, &l1, 1, now, s->discharge1,
                                    sizeof s->discharge1), ==, 0);
  HW_CHECK_INT(hw_auth_create_worker_token(st, "worker-1", 1, now, s->worker1, sizeof s->worker1), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "airdrie-manager", HW_ROLE_MANAGER, &l1, 1, now, s->manager1,
                                    sizeof s->manager1), ==, 0);
  hw_store_close(st);
}

static inline void start_seeded(daemon_proc *d, seed *s, const char *const *extra) {
  const char *db = hw_test_path("homeward.db");
  seed_store(db, s);
  daemon_start(d, db, extra);
}

/* ---- A generated partnership on a test clock ------------------------------------- */

/* `homeward token create --db db ARGS`: the token into out. */
static inline void harness_token(const char *db, const char *args, char *out, size_t len) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "token create --db '%s' %s 2>/dev/null", db, args);
  int status;
  char *tok = hw_test_homeward_output(cmd, &status);
  HW_CHECK_INT(status, ==, 0);
  HW_CHECK(tok && strlen(tok) >= HW_TOKEN_LEN);
  snprintf(out, len, "%.*s", HW_TOKEN_LEN, tok);
  free(tok);
}

/* `homeward generate --seed 3 --scale small --start 2026-01-12` into the test's
 * file db_name, with an admin and a locality-1 coordinator token, then serve it
 * on a test clock at Sunday 11 January 2026 06:00 (plans capped at 3000
 * iterations, no fsync). The database's path is d->db. */
static inline void harness_start_generated(daemon_proc *d, const char *db_name, char *admin, char *coord) {
  const char *db = hw_test_path(db_name);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "generate --seed 3 --scale small --start 2026-01-12 --db '%s' > /dev/null 2>&1", db);
  HW_CHECK_INT(hw_test_homeward(cmd), ==, 0);
  harness_token(db, "--role admin --name admin", admin, HW_TOKEN_LEN + 1);
  harness_token(db, "--role coordinator --locality 1 --name coordinator", coord, HW_TOKEN_LEN + 1);
  static const char *const extra[] = {"--test_clock", "2026-01-11T06:00", "--plan_time_limit_s", "30",
                                      "--plan_max_iterations", "3000", "--sync", "off", NULL};
  daemon_start(d, db, extra);
}

/* Move the daemon's test clock to `when` (local ISO time) as admin; the answer
 * comes once the cron's jobs on the way have run. */
static inline void harness_clock_to(int port, const char *admin, const char *when) {
  char body[96];
  snprintf(body, sizeof body, "{\"now\":\"%s\",\"wait_s\":5}", when);
  resp r;
  HW_CHECK_INT(http(port, "POST", "/v1/admin/clock", admin, NULL, body, &r), ==, 0);
  if (r.status != 200) hw_test_fail(__FILE__, __LINE__, "clock to %s: %d %s", when, r.status, r.body);
  /* A week of nightly plans on a loaded machine (sanitizers) outlasts one wait. */
  for (int i = 0; i < 120 && !strstr(r.body, "\"idle\":true"); i++) {
    HW_CHECK_INT(http(port, "GET", "/v1/admin/clock?wait_s=5", admin, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
  }
  HW_CHECK_CONTAINS(r.body, "\"idle\":true");
}

/* One JSON call that must answer `want`; the answer's document (decref it). */
static inline json_t *harness_call(int port, const char *method, const char *path, const char *token,
                                   const char *body, int want) {
  resp r;
  HW_CHECK_INT(http(port, method, path, token, NULL, body, &r), ==, 0);
  if (r.status != want)
    hw_test_fail(__FILE__, __LINE__, "%s %s: %d (wanted %d): %s", method, path, r.status, want, r.body);
  return body_json(&r);
}

#endif
