/*
 * The loop thread: listener, connections, the request cycle (parse, route,
 * authenticate, read or hand to the writer, answer), the limits and timeouts of
 * hw_server.h, and graceful shutdown.
 *
 * A connection handles one request at a time: while a change is with the
 * writer (or a read waits: the change feed's long poll, a test clock catching
 * up) it stops reading, and the parser never looks past the end of the current
 * request, so pipelined requests are answered in order.
 *
 * Writes are idempotent by (caller, Idempotency-Key): the writer keeps each
 * keyed answer with the method, path and body hash of its request; a retry of
 * the same request gets the same answer (Idempotent-Replayed), the same key on a
 * different request is a 422, and a replay is checked against the caller's
 * localities again.
 */
#include "hw_server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <uv.h>

#include "hw_auth.h"
#include "hw_clock.h"
#include "hw_drafts.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_http.h"
#include "hw_log.h"
#include "hw_metrics.h"
#include "hw_plans.h"
#include "hw_router.h"
#include "hw_timers.h"
#include "hw_writer.h"

#define READ_CHUNK 16384
#define LINGER_MS 1000
#define ACCEPT_RETRY_MS 10

/* The answer of last resort, written when memory runs out while the real one is
 * being made: static, so it needs none. */
#define NOMEM_BODY "{\"type\":\"urn:homeward:problem:nomem\",\"title\":\"Internal Server Error\",\"status\":500}"
static const char nomem_answer[] = "HTTP/1.1 500 Internal Server Error\r\n"
                                   "Content-Type: application/problem+json\r\n"
                                   "Content-Length: 82\r\n"
                                   "Connection: close\r\n\r\n" NOMEM_BODY;
_Static_assert(sizeof NOMEM_BODY - 1 == 82, "Content-Length of the answer of last resort");

typedef struct hw_conn hw_conn;

typedef struct hw_server {
  uv_loop_t loop;
  const hw_config *cfg;
  uv_tcp_t listener;
  uv_signal_t sig_term, sig_int;
  uv_timer_t shutdown_timer;
  uv_timer_t accept_retry;      /* takes a connection that could not be allocated at once */
  hw_timers timers;
  hw_store *read_st, *write_st;
  hw_writer writer;
  hw_plans plans;
  hw_drafts drafts;
  hw_service_settings settings; /* the service's policy with the configured values */
  hw_service *svc;              /* on write_st: the writer thread's */
  hw_clock clock;
  hw_metrics metrics;
  hw_http_limits limits;
  hw_conn *conns;
  int shutting_down;
  int finished;
} hw_server;

struct hw_conn {
  uv_tcp_t tcp;
  uv_timer_t timer;
  uv_shutdown_t shutdown_req;
  hw_server *srv;
  hw_conn *prev, *next;
  hw_http_parser parser;
  char *in;                    /* received, not yet parsed: in[in_off..in_len) */
  size_t in_len, in_off, in_cap;
  int handles_open;            /* tcp and timer until their close callbacks */
  int busy;                    /* a change of this connection is with the writer */
  int parked;                  /* a read waits for news (or a clock) */
  int closing;                 /* uv_close called */
  int closing_after_write;     /* the last answer said Connection: close */
  int lingering;               /* after an error answer: discard input until EOF */
  int request_timer;           /* the timer runs for the current request */
  uint64_t started_ns;
  const hw_handler *handler;
  hw_route_match match;
  hw_exchange x;
  hw_action act;
  hw_write_job job;
  /* Out of memory: where the bytes go when the input buffer cannot grow (the
   * request is then answered 500), and the write of the answer of last resort. */
  char scratch[64];
  int no_input_memory;
  uv_write_t nomem_write;
  uv_buf_t nomem_buf;
  int nomem_written;
};

typedef struct write_req {
  uv_write_t req;
  uv_buf_t buf;
  int then_close;              /* 1: close, 2: linger (after an error answer) */
} write_req;

static void process_input(hw_conn *c);
static void check_drained(hw_server *srv);
static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* ---- Connection lifetime --------------------------------------------------- */

static void maybe_free(hw_conn *c) {
  if (c->handles_open > 0 || c->busy) return;
  c->parked = 0;
  hw_server *srv = c->srv;
  if (c->prev) c->prev->next = c->next;
  else srv->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  srv->metrics.connections_open--;
  hw_http_parser_free(&c->parser);
  free(c->in);
  free(c->x.body);
  free(c);
  check_drained(srv);
}

static void on_handle_closed(uv_handle_t *h) {
  hw_conn *c = h->data;
  c->handles_open--;
  maybe_free(c);
}

static void conn_close(hw_conn *c) {
  if (c->closing) return;
  c->closing = 1;
  uv_timer_stop(&c->timer);
  uv_close((uv_handle_t *)&c->timer, on_handle_closed);
  uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void on_timeout(uv_timer_t *t);

/* Idle: close after idle_timeout_ms; mid-request: 408 after request_timeout_ms
 * counted from the request's first bytes; busy with the writer: no timer. */
static void arm_timer(hw_conn *c) {
  if (c->closing || c->lingering || c->parked) return;
  if (c->busy) {
    uv_timer_stop(&c->timer);
    c->request_timer = 0;
  } else if (hw_http_parser_in_request(&c->parser)) {
    if (!c->request_timer) {
      c->request_timer = 1;
      uv_timer_start(&c->timer, on_timeout, (uint64_t)c->srv->cfg->request_timeout_ms, 0);
    }
  } else {
    c->request_timer = 0;
    uv_timer_start(&c->timer, on_timeout, (uint64_t)c->srv->cfg->idle_timeout_ms, 0);
  }
}

/* ---- Answers ------------------------------------------------------------------ */

static void on_shutdown_done(uv_shutdown_t *req, int status) {
  (void)status;
  hw_conn *c = req->data;
  /* Keep reading (and discarding) until the client closes or the linger timer fires,
   * so that unread request bytes do not turn our answer into a connection reset. */
  if (!c->closing) uv_timer_start(&c->timer, on_timeout, LINGER_MS, 0);
}

static void on_written(uv_write_t *req, int status) {
  hw_conn *c = req->data;
  int then = 1; /* the answer of last resort closes */
  if (req != &c->nomem_write) {
    write_req *w = (write_req *)req;
    then = w->then_close;
    free(w->buf.base);
    free(w);
  }
  if (c->closing) return;
  if (status < 0) {
    conn_close(c);
  } else if (then == 1) {
    conn_close(c);
  } else if (then == 2) {
    c->shutdown_req.data = c;
    if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, on_shutdown_done) != 0) conn_close(c);
  }
}

/* No memory to write an answer: the static one, once per connection, then close. */
static void send_nomem_answer(hw_conn *c) {
  if (c->nomem_written++) {
    conn_close(c);
    return;
  }
  c->closing_after_write = 1;
  uv_timer_stop(&c->timer);
  c->nomem_write.data = c;
  c->nomem_buf = uv_buf_init((char *)nomem_answer, sizeof nomem_answer - 1);
  if (uv_write(&c->nomem_write, (uv_stream_t *)&c->tcp, &c->nomem_buf, 1, on_written) != 0) conn_close(c);
}

/* Send x's answer; then_close 0 keeps the connection, 1 closes it, 2 lingers. */
static void send_answer(hw_conn *c, const char *route, int then_close) {
  hw_exchange *x = &c->x;
  size_t len = 0;
  int keep_alive = then_close == 0;
  char *out = hw_http_format_response(x->status, x->content_type, x->headers[0] ? x->headers : NULL, x->body,
                                      x->body_len, keep_alive, &len);
  uint64_t micros = (uv_hrtime() - c->started_ns) / 1000;
  hw_metrics_request(&c->srv->metrics, route, x->status, micros);
  HW_LOG_DEBUGF("%s %s -> %d (%s, %llu us)", http_method_str((enum http_method)c->parser.req.method),
                c->parser.req.path ? c->parser.req.path : "", x->status, route, (unsigned long long)micros);
  free(x->body);
  x->body = NULL;
  write_req *w = out ? calloc(1, sizeof *w) : NULL;
  if (!w) {
    free(out);
    send_nomem_answer(c);
    return;
  }
  w->buf = uv_buf_init(out, (unsigned)len);
  w->then_close = then_close;
  w->req.data = c;
  if (then_close) {
    c->closing_after_write = 1;
    if (then_close == 2) c->lingering = 1;
    uv_timer_stop(&c->timer);
  }
  if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &w->buf, 1, on_written) != 0) {
    free(out);
    free(w);
    conn_close(c);
  }
}

/* Answer the request just handled and get ready for the next one. */
static void finish_request(hw_conn *c) {
  int keep = c->parser.req.keep_alive && !c->srv->shutting_down;
  send_answer(c, c->handler ? c->handler->name : "unrouted", keep ? 0 : 1);
  hw_http_parser_next(&c->parser);
}

/* Answer a connection-level failure (malformed request, limit) and linger. */
static void fail_connection(hw_conn *c, int status, const char *detail, const char *route) {
  memset(c->x.headers, 0, sizeof c->x.headers);
  c->started_ns = uv_hrtime();
  hw_answer_problem(&c->x, status, detail, NULL);
  send_answer(c, route, 2);
}

/* ---- The request cycle ---------------------------------------------------------- */

static void wake_parked(hw_server *srv);

void hw_action_release(hw_action *a) {
  if (a->release) a->release(a);
  else free(a->req);
  a->req = NULL;
  free(a->answer);
  a->answer = NULL;
}

static void submit_write(hw_conn *c);
static void on_offloaded(hw_action *a) { submit_write(a->owner); }

/* The action's work off the writer (if any), then the write. */
static void offload_then_write(hw_conn *c) {
  hw_action *a = &c->act;
  if (!(a->offload && a->offload(a, on_offloaded))) submit_write(c);
}

static void on_job_done(hw_write_job *job) {
  hw_conn *c = job->data;
  hw_exchange *x = &c->x;
  hw_action *a = &c->act;
  if (job->rc && a->again) { /* its offloaded part went stale before the write: again */
    a->again = 0;
    hw_errors_init(&a->errs);
    offload_then_write(c);
    return;
  }
  c->busy = 0;
  if (job->rc == 0 && a->answer) {
    hw_answer_body(x, a->status, "application/json", a->answer, strlen(a->answer));
    a->answer = NULL;
    if (a->replayed) snprintf(x->headers, sizeof x->headers, "Idempotent-Replayed: true\r\n");
    if (a->after) a->after(a, x);
  } else {
    int rc = job->rc ? job->rc : HW_EINTERNAL;
    hw_answer_error(x, rc, a->errs.n ? "the change was rejected" : NULL, &a->errs);
  }
  hw_action_release(a);
  wake_parked(c->srv); /* something was committed: feed readers may go on */
  if (c->closing) {
    maybe_free(c);
    return;
  }
  finish_request(c);
  if (!c->closing && !c->closing_after_write) uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
  process_input(c);
}

static int valid_idempotency_key(const char *k) {
  for (const char *p = k; *p; p++)
    if (*p < 0x21 || *p > 0x7e) return 0;
  return 1;
}

/* 1 when ctype is `type` exactly (case aside), with at most a charset=utf-8
 * parameter: "application/json; charset=utf-8". */
static int media_type_is(const char *ctype, const char *type) {
  size_t n = strlen(type);
  if (strncasecmp(ctype, type, n) != 0) return 0;
  const char *p = ctype + n;
  while (*p == ' ') p++;
  if (*p == '\0') return 1;
  if (*p++ != ';') return 0;
  while (*p == ' ') p++;
  return strcasecmp(p, "charset=utf-8") == 0 || strcasecmp(p, "charset=\"utf-8\"") == 0;
}

/* A body the handler takes must say what it is; an empty body needs nothing. */
static int body_type_ok(const hw_handler *h, const hw_http_request *req, int method) {
  if (req->body_len == 0) return 1;
  if (h->body == 2) return media_type_is(req->content_type, "text/csv");
  if (media_type_is(req->content_type, "application/json")) return 1;
  return method == HTTP_PATCH && media_type_is(req->content_type, "application/merge-patch+json");
}

/* Writer thread: a keyed request seen before answers as it did then. Returns 1
 * when it answered (a->answer set, or an error), 0 to go on. */
static int replay_request(hw_store *st, hw_action *a, int *rc) {
  hw_request_row row;
  int found = hw_store_request_find(st, a->actor, a->key, &row);
  if (found <= 0) {
    *rc = found;
    return found < 0;
  }
  if (strcmp(row.method, a->method) || strcmp(row.path, a->path) || strcmp(row.body_sha256, a->body_sha256)) {
    hw_errors_add(&a->errs, "/headers/Idempotency-Key", "was used for another request (%s %s); use a new key",
                  row.method, row.path);
    *rc = HW_EUNPROCESSABLE;
  } else if (row.locality_id && !hw_scope_allows(&a->scope, row.locality_id)) {
    *rc = HW_EFORBIDDEN;
  } else {
    a->answer = row.answer;
    row.answer = NULL;
    a->status = row.status;
    a->replayed = 1;
    *rc = 0;
  }
  free(row.answer);
  return 1;
}

static int remember_request(hw_store *st, const hw_action *a) {
  hw_request_row row = {.status = a->status, .locality_id = a->answer_locality, .created_at = a->change.now,
                        .answer = a->answer};
  snprintf(row.actor, sizeof row.actor, "%s", a->actor);
  snprintf(row.key, sizeof row.key, "%s", a->key);
  snprintf(row.method, sizeof row.method, "%s", a->method);
  snprintf(row.route, sizeof row.route, "%s", a->route);
  snprintf(row.path, sizeof row.path, "%s", a->path);
  snprintf(row.body_sha256, sizeof row.body_sha256, "%s", a->body_sha256);
  return hw_store_request_put(st, &row);
}

int hw_action_apply(hw_store *st, hw_action *a) {
  int rc = hw_store_group_begin(st);
  if (rc) return rc;
  if (!(a->key[0] && replay_request(st, a, &rc))) {
    uint64_t lost = hw_json_alloc_failures();
    rc = a->run(a->svc, a);
    /* An answer jansson could not build whole (an element it failed to add) is
     * not stored, nor the change it answers. */
    if (rc == 0 && hw_json_alloc_failures() != lost) rc = HW_ENOMEM;
    if (rc == 0 && a->key[0]) rc = remember_request(st, a);
  }
  rc = hw_store_group_end(st, rc);
  if (rc) {
    free(a->answer);
    a->answer = NULL;
    hw_service_forget(a->svc);
  }
  return rc;
}

/* Writer thread: the action's service call in a change group of the batch, with
 * its answer kept for a retry of the same keyed request. */
static int run_action(hw_store *st, void *ctx, hw_apply_result *res) {
  hw_action *a = ctx;
  int rc = hw_action_apply(st, a);
  res->replayed = a->replayed;
  return rc;
}

static int action_init(hw_action *a, const hw_exchange *x, const hw_handler *h, hw_service *svc) {
  const hw_http_request *req = x->req;
  a->svc = svc;
  a->status = h->success_status;
  a->scope = x->who.scope;
  snprintf(a->actor, sizeof a->actor, "%s", x->who.name);
  snprintf(a->key, sizeof a->key, "%s", req->idempotency_key);
  snprintf(a->method, sizeof a->method, "%s", http_method_str((enum http_method)req->method));
  snprintf(a->route, sizeof a->route, "%s", x->match->route->pattern);
  snprintf(a->path, sizeof a->path, "%.159s", req->path ? req->path : "");
  a->change = (hw_change){.scope = &a->scope, .actor = a->actor, .key = a->key, .now = x->now, .errs = &a->errs};
  /* Without the hash a keyed request cannot be told from another under its key. */
  return hw_auth_sha256_hex(req->body ? req->body : "", req->body_len, a->body_sha256, sizeof a->body_sha256);
}

int hw_action_prepare(hw_action *a, hw_exchange *x, const hw_handler *h, hw_service *svc) {
  memset(a, 0, sizeof *a);
  hw_errors_init(&a->errs);
  uint64_t lost = hw_json_alloc_failures();
  int rc = action_init(a, x, h, svc);
  if (rc == 0) rc = h->prepare(x, a);
  /* jansson lost an allocation while the body was read: the document may miss a
   * member or a character (its parser drops one it has no room for and still
   * succeeds), and a parse that failed for want of memory reads as a syntax
   * error. Either way it is our failure, not the client's. */
  if (hw_json_alloc_failures() != lost) {
    rc = HW_ENOMEM;
    hw_errors_init(&a->errs);
  }
  if (rc == 0 && !a->run) rc = HW_EINTERNAL;
  return rc;
}

static void start_write(hw_conn *c) {
  hw_exchange *x = &c->x;
  const hw_http_request *req = x->req;
  hw_errors errs;
  hw_errors_init(&errs);
  if (!valid_idempotency_key(req->idempotency_key)) {
    hw_errors_add(&errs, "/headers/Idempotency-Key", "must be printable ASCII without spaces, at most %d characters",
                  HW_HTTP_KEY_MAX - 1);
    hw_answer_problem(x, 400, "bad Idempotency-Key header", &errs);
    finish_request(c);
    return;
  }
  hw_action *a = &c->act;
  int rc = hw_action_prepare(a, x, c->handler, c->srv->svc);
  a->owner = c;
  if (rc != 0) {
    const char *detail = rc == HW_EINVAL ? "the request document is not valid" : NULL;
    hw_answer_error(x, rc, detail, &a->errs);
    hw_action_release(a);
    finish_request(c);
    return;
  }
  c->busy = 1;
  uv_read_stop((uv_stream_t *)&c->tcp);
  offload_then_write(c);
}

static void submit_write(hw_conn *c) {
  hw_write_job *job = &c->job;
  memset(job, 0, sizeof *job);
  job->run = run_action;
  job->ctx = &c->act;
  job->done = on_job_done;
  job->data = c;
  hw_writer_submit(&c->srv->writer, job);
}

/* ---- Reads that wait ---------------------------------------------------------------- */

static void on_park_timeout(uv_timer_t *t);

void hw_exchange_read(hw_exchange *x, const hw_handler *h) {
  uint64_t lost = hw_json_alloc_failures();
  h->read(x);
  /* An answer jansson could not build whole - an element it failed to add, a
   * stored payload it could not parse - is a 500, never a 200 with a hole in it. */
  if (hw_json_alloc_failures() != lost && x->status > 0 && x->status < 500) hw_answer_error(x, HW_ENOMEM, NULL, NULL);
}

/* Run the read; a read that asks to wait parks the connection (no input is read
 * meanwhile) until news wakes it or the wait is over. */
static void run_read(hw_conn *c, int may_wait) {
  hw_exchange *x = &c->x;
  x->now = hw_clock_now(&c->srv->clock);
  x->may_wait = may_wait;
  x->wait_ms = 0;
  hw_exchange_read(x, c->handler);
  if (x->status == 0 && x->wait_ms > 0 && may_wait) {
    if (!c->parked) {
      c->parked = 1;
      uv_read_stop((uv_stream_t *)&c->tcp);
      uv_timer_stop(&c->timer);
      uint64_t ms = x->wait_ms > 3600000 ? 3600000 : (uint64_t)x->wait_ms;
      uv_timer_start(&c->timer, on_park_timeout, ms, 0);
    }
    return;
  }
  if (x->status == 0) hw_answer_error(x, HW_EINTERNAL, "the read gave no answer", NULL);
  int was_parked = c->parked;
  c->parked = 0;
  if (was_parked) uv_timer_stop(&c->timer);
  finish_request(c);
  if (was_parked && !c->closing && !c->closing_after_write) {
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
    process_input(c);
  }
}

static void on_park_timeout(uv_timer_t *t) {
  hw_conn *c = t->data;
  if (c->parked && !c->closing) run_read(c, 0);
}

/* Something changed (a commit, a cron job): parked reads look again. */
static void wake_parked(hw_server *srv) {
  for (hw_conn *c = srv->conns, *next; c; c = next) {
    next = c->next;
    if (c->parked && !c->closing) run_read(c, 1);
  }
}

static void on_cron_progress(void *data) { wake_parked(data); }

static void dispatch(hw_conn *c) {
  hw_server *srv = c->srv;
  hw_exchange *x = &c->x;
  const hw_http_request *req = &c->parser.req;
  c->started_ns = uv_hrtime();
  c->handler = NULL;
  free(x->body);
  memset(x, 0, sizeof *x);
  x->store = srv->read_st;
  x->metrics = &srv->metrics;
  x->plans = &srv->plans;
  x->drafts = &srv->drafts;
  x->svc = srv->svc;
  x->settings = &srv->settings;
  x->clock = &srv->clock;
  x->timers = &srv->timers;
  x->req = req;
  x->match = &c->match;
  x->now = hw_clock_now(&srv->clock);
  if (req->bad_header[0]) {
    hw_errors errs;
    hw_errors_init(&errs);
    char path[48];
    snprintf(path, sizeof path, "/headers/%s", req->bad_header);
    hw_errors_add(&errs, path, "%s", req->bad_reason);
    hw_answer_problem(x, 400, "a request header was refused", &errs);
    finish_request(c);
    return;
  }
  int rc = hw_router_match(hw_api_routes, hw_api_n_routes, req->method, req->path, &c->match);
  if (rc == HW_ENOTFOUND) {
    hw_answer_problem(x, 404, "no such resource", NULL);
    finish_request(c);
    return;
  }
  if (rc == HW_EUNSUPPORTED) {
    snprintf(x->headers, sizeof x->headers, "Allow: %s\r\n", c->match.allow);
    char detail[96];
    snprintf(detail, sizeof detail, "%s is not allowed here; allowed: %s",
             http_method_str((enum http_method)req->method), c->match.allow);
    hw_answer_problem(x, 405, detail, NULL);
    finish_request(c);
    return;
  }
  c->handler = c->match.route->handler;
  if (c->handler->roles) {
    const char *why = NULL;
    rc = hw_auth_authenticate(srv->read_st, req->authorization, &x->who, &why);
    if (rc != 0) {
      if (rc == HW_EUNAUTHORIZED) snprintf(x->headers, sizeof x->headers, "WWW-Authenticate: Bearer realm=\"homeward\"\r\n");
      hw_answer_error(x, rc, why, NULL);
      finish_request(c);
      return;
    }
    if (!(c->handler->roles & HW_ROLE_BIT(x->who.role))) {
      char detail[96];
      snprintf(detail, sizeof detail, "the %s role may not call %s", hw_role_name(x->who.role), c->handler->name);
      hw_answer_problem(x, 403, detail, NULL);
      finish_request(c);
      return;
    }
  }
  if (c->handler->body && !body_type_ok(c->handler, req, req->method)) {
    hw_answer_problem(x, 415, c->handler->body == 2 ? "the body must be text/csv" : "the body must be application/json",
                      NULL);
    finish_request(c);
    return;
  }
  if (c->handler->read) run_read(c, 1);
  else start_write(c);
}

static void compact_input(hw_conn *c) {
  if (c->in_off == c->in_len) {
    c->in_off = c->in_len = 0;
  } else if (c->in_off > 0) {
    memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
    c->in_len -= c->in_off;
    c->in_off = 0;
  }
}

static void process_input(hw_conn *c) {
  while (!c->busy && !c->parked && !c->closing && !c->closing_after_write && c->in_off < c->in_len) {
    int complete = 0;
    long n = hw_http_parser_feed(&c->parser, c->in + c->in_off, c->in_len - c->in_off, &complete);
    if (n < 0) {
      fail_connection(c, c->parser.error_status, c->parser.error_detail, "malformed");
      break;
    }
    c->in_off += (size_t)n;
    if (!complete) break;
    dispatch(c);
  }
  compact_input(c);
  if (!c->busy && !c->parked && !c->closing && !c->closing_after_write && c->srv->shutting_down &&
      !hw_http_parser_in_request(&c->parser))
    conn_close(c); /* shutting down: an idle connection is done */
  else
    arm_timer(c);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)suggested;
  hw_conn *c = h->data;
  if (c->lingering) c->in_len = c->in_off = 0; /* discarding */
  if (c->in_cap - c->in_len < READ_CHUNK) {
    size_t ncap = c->in_cap ? c->in_cap * 2 : READ_CHUNK * 2;
    while (ncap - c->in_len < READ_CHUNK) ncap *= 2;
    char *nb = realloc(c->in, ncap);
    if (!nb) { /* read into the scratch buffer; read_cb answers 500 (an empty buffer would close) */
      c->no_input_memory = 1;
      *buf = uv_buf_init(c->scratch, sizeof c->scratch);
      return;
    }
    c->in = nb;
    c->in_cap = ncap;
  }
  *buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len));
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void)buf;
  hw_conn *c = s->data;
  if (nread < 0) {
    conn_close(c); /* EOF or error; a change with the writer still completes */
    return;
  }
  if (c->no_input_memory) { /* bytes read into the scratch buffer are lost: the client may retry */
    c->no_input_memory = 0;
    if (nread > 0 && !c->lingering && !c->closing_after_write)
      fail_connection(c, 500, "out of memory reading the request; retry it", "nomem");
    return;
  }
  if (nread == 0 || c->lingering) return;
  c->in_len += (size_t)nread;
  process_input(c);
}

static void on_timeout(uv_timer_t *t) {
  hw_conn *c = t->data;
  if (c->lingering || !c->request_timer) {
    conn_close(c);
    return;
  }
  char detail[96];
  snprintf(detail, sizeof detail, "the request was not complete within %lld ms",
           (long long)c->srv->cfg->request_timeout_ms);
  fail_connection(c, 408, detail, "timeout");
}

/* ---- Listener and shutdown --------------------------------------------------- */

static void on_accept_retry(uv_timer_t *t);

/* Take the pending connection. libuv watches the listener again only once it is
 * taken, so one that cannot be allocated now is taken by a retry a moment later
 * - never left pending, which would stop the server accepting anyone. */
static void accept_connection(hw_server *srv) {
  if (srv->shutting_down) return;
  hw_conn *c = calloc(1, sizeof *c);
  if (!c) {
    uv_timer_start(&srv->accept_retry, on_accept_retry, ACCEPT_RETRY_MS, 0);
    return;
  }
  c->srv = srv;
  uv_tcp_init(&srv->loop, &c->tcp);
  uv_timer_init(&srv->loop, &c->timer);
  c->tcp.data = c->timer.data = c;
  c->handles_open = 2;
  hw_http_parser_init(&c->parser, &srv->limits);
  c->next = srv->conns;
  if (srv->conns) srv->conns->prev = c;
  srv->conns = c;
  srv->metrics.connections_open++;
  if (uv_accept((uv_stream_t *)&srv->listener, (uv_stream_t *)&c->tcp) != 0) {
    conn_close(c);
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  if (srv->metrics.connections_open > srv->cfg->max_connections) {
    srv->metrics.connections_rejected++;
    char detail[96];
    snprintf(detail, sizeof detail, "the server holds its maximum of %lld connections; retry later",
             (long long)srv->cfg->max_connections);
    snprintf(c->x.headers, sizeof c->x.headers, "Retry-After: 1\r\n");
    c->started_ns = uv_hrtime();
    hw_answer_problem(&c->x, 503, detail, NULL);
    send_answer(c, "rejected", 2);
  }
  uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
  arm_timer(c);
}

static void on_accept_retry(uv_timer_t *t) { accept_connection(t->data); }

static void on_connection(uv_stream_t *listener, int status) {
  hw_server *srv = listener->data;
  if (status < 0) {
    HW_LOG_WARNF("accept failed: %s", uv_strerror(status));
    return;
  }
  accept_connection(srv);
}

static void finish_shutdown(hw_server *srv) {
  srv->finished = 1;
  uv_timer_stop(&srv->shutdown_timer);
  uv_close((uv_handle_t *)&srv->shutdown_timer, NULL);
  uv_timer_stop(&srv->accept_retry);
  uv_close((uv_handle_t *)&srv->accept_retry, NULL);
  uv_close((uv_handle_t *)&srv->sig_term, NULL);
  uv_close((uv_handle_t *)&srv->sig_int, NULL);
  hw_writer_stop(&srv->writer);
  HW_LOG_INFOF("drained: %llu events stored in this run", (unsigned long long)srv->metrics.events_stored);
}

/* Drained: no connection, no change with the writer, no plan job (each
 * cancelled one still publishes its best plan through the writer). */
static void check_drained(hw_server *srv) {
  if (srv->shutting_down && !srv->finished && !srv->conns && srv->writer.pending == 0 && srv->plans.running == 0)
    finish_shutdown(srv);
}

static void on_plan_finished(void *data) { check_drained(data); }

static void on_shutdown_timeout(uv_timer_t *t) {
  hw_server *srv = t->data;
  HW_LOG_WARNF("shutdown timeout: closing the remaining connections");
  for (hw_conn *c = srv->conns; c; c = c->next) conn_close(c);
  check_drained(srv);
}

static void on_signal(uv_signal_t *sig, int signum) {
  hw_server *srv = sig->data;
  if (srv->shutting_down) return;
  HW_LOG_INFOF("signal %d: stopping (finishing in-flight requests)", signum);
  srv->shutting_down = 1;
  uv_close((uv_handle_t *)&srv->listener, NULL);
  hw_timers_stop(&srv->timers);
  hw_plans_cancel_all(&srv->plans);
  uv_timer_start(&srv->shutdown_timer, on_shutdown_timeout, (uint64_t)srv->cfg->shutdown_timeout_ms, 0);
  for (hw_conn *c = srv->conns, *next; c; c = next) {
    next = c->next;
    if (c->parked) run_read(c, 0); /* answer a waiting read now */
    else if (!c->busy && !c->closing_after_write && !hw_http_parser_in_request(&c->parser)) conn_close(c);
  }
  check_drained(srv);
}

static int parse_listen(const char *listen, struct sockaddr_in *addr) {
  char host[64];
  const char *colon = strrchr(listen, ':');
  if (!colon || (size_t)(colon - listen) >= sizeof host) return HW_EINVAL;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (end == colon + 1 || *end || port < 0 || port > 65535) return HW_EINVAL;
  return uv_ip4_addr(host, (int)port, addr) == 0 ? 0 : HW_EINVAL;
}

static int start_listening(hw_server *srv) {
  struct sockaddr_in addr;
  if (parse_listen(srv->cfg->listen, &addr) != 0) {
    HW_LOG_ERRORF("listen: '%s' is not IPV4-ADDRESS:PORT", srv->cfg->listen);
    return HW_EINVAL;
  }
  uv_tcp_init(&srv->loop, &srv->listener);
  srv->listener.data = srv;
  int rc = uv_tcp_bind(&srv->listener, (const struct sockaddr *)&addr, 0);
  if (rc == 0) rc = uv_listen((uv_stream_t *)&srv->listener, 511, on_connection);
  if (rc != 0) {
    HW_LOG_ERRORF("listen on %s: %s", srv->cfg->listen, uv_strerror(rc));
    uv_close((uv_handle_t *)&srv->listener, NULL);
    return rc == UV_EADDRINUSE ? HW_EBUSY : HW_EIO;
  }
  struct sockaddr_in bound;
  int len = sizeof bound;
  char ip[32] = "?";
  uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&bound, &len);
  uv_ip4_name(&bound, ip, sizeof ip);
  HW_LOG_INFOF("listening on %s:%d", ip, ntohs(bound.sin_port));
  return 0;
}

static int open_stores(hw_server *srv) {
  hw_store_options o;
  char msg[256] = "";
  hw_store_options_init(&o);
  o.sync = (hw_sync_mode)srv->cfg->sync;
  int rc = hw_store_open(srv->cfg->db, &o, &srv->write_st, msg, sizeof msg);
  if (rc != 0) {
    HW_LOG_ERRORF("database %s: %s", srv->cfg->db, msg);
    return rc;
  }
  o.read_only = 1;
  rc = hw_store_open(srv->cfg->db, &o, &srv->read_st, msg, sizeof msg);
  if (rc != 0) {
    HW_LOG_ERRORF("database %s (read handle): %s", srv->cfg->db, msg);
    hw_store_close(srv->write_st);
    srv->write_st = NULL;
  }
  return rc;
}

/* The service's policy from the configuration. */
static void settings_from_config(const hw_config *cfg, hw_service_settings *s) {
  hw_service_settings_init(s);
  s->d2a.reserve_minutes = (int32_t)cfg->d2a_reserve_minutes;
  s->reserve_forecast_weeks = (int32_t)cfg->d2a_reserve_forecast_weeks;
  s->forecast.hold_per_miss = (double)cfg->d2a_reserve_hold_cost_pct / 100.0;
  s->horizon_days = (int32_t)cfg->visit_horizon_days;
  s->freeze_minutes = (int32_t)cfg->freeze_minutes;
  s->past_days = (int32_t)cfg->plausible_past_days;
  s->future_days = (int32_t)cfg->plausible_future_days;
}

/* The system clock, or the test clock from its configured start. */
static int start_clock(hw_server *srv) {
  settings_from_config(srv->cfg, &srv->settings);
  if (!srv->cfg->test_clock[0]) {
    hw_clock_init_system(&srv->clock);
    return 0;
  }
  hw_time start;
  const char *why = "must be an ISO 8601 time";
  if (hw_time_parse(srv->cfg->test_clock, &start, &why) != 0) {
    HW_LOG_ERRORF("test_clock: '%s' %s", srv->cfg->test_clock, why);
    return HW_EINVAL;
  }
  hw_clock_init_test(&srv->clock, start);
  HW_LOG_WARNF("running on a TEST CLOCK from %s: time moves only by POST /v1/admin/clock", srv->cfg->test_clock);
  return 0;
}

/* Close whatever handles are still open and let the loop finish them. */
static void close_walk(uv_handle_t *h, void *arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* The thread pool runs D2A drafts and plan solves, each up to one per processor
 * (hw_drafts.h, hw_plans.h), so that neither kind waits for the other. libuv
 * reads the size once, at its first use; a size the user set is kept. */
static void size_thread_pool(void) {
  unsigned cpus = uv_available_parallelism();
  char n[16];
  snprintf(n, sizeof n, "%u", cpus * 2 < 4 ? 4 : cpus * 2);
  setenv("UV_THREADPOOL_SIZE", n, 0);
}

int hw_server_run(const hw_config *cfg) {
  if (!cfg->db[0]) {
    HW_LOG_ERRORF("no database: give --db PATH or db = PATH in the config file");
    return HW_EINVAL;
  }
  hw_server *srv = calloc(1, sizeof *srv);
  if (!srv) return HW_ENOMEM;
  srv->cfg = cfg;
  srv->limits = (hw_http_limits){(size_t)cfg->max_header_bytes, (size_t)cfg->max_body_bytes};
  hw_metrics_init(&srv->metrics);
  signal(SIGPIPE, SIG_IGN);
  size_thread_pool();
  int rc = open_stores(srv);
  if (rc != 0) {
    free(srv);
    return rc;
  }
  rc = start_clock(srv);
  srv->svc = rc == 0 ? hw_service_new(srv->write_st, &srv->settings) : NULL;
  if (rc == 0 && !srv->svc) rc = HW_ENOMEM;
  if (rc != 0) {
    hw_store_close(srv->read_st);
    hw_store_close(srv->write_st);
    free(srv);
    return rc;
  }
  uv_loop_init(&srv->loop);
  hw_plans_init(&srv->plans, &srv->loop, cfg, &srv->settings, &srv->clock, &srv->metrics, &srv->writer);
  srv->plans.on_finish = on_plan_finished;
  srv->plans.on_finish_data = srv;
  rc = hw_drafts_init(&srv->drafts, &srv->loop, cfg->db, &srv->settings);
  if (rc == 0) rc = hw_writer_start(&srv->writer, &srv->loop, srv->write_st, (int)cfg->group_commit_max, &srv->metrics);
  if (rc == 0) {
    rc = start_listening(srv);
    if (rc != 0) hw_writer_stop(&srv->writer);
  }
  if (rc == 0) {
    uv_signal_init(&srv->loop, &srv->sig_term);
    uv_signal_init(&srv->loop, &srv->sig_int);
    uv_timer_init(&srv->loop, &srv->shutdown_timer);
    uv_timer_init(&srv->loop, &srv->accept_retry);
    srv->sig_term.data = srv->sig_int.data = srv->shutdown_timer.data = srv->accept_retry.data = srv;
    uv_signal_start(&srv->sig_term, on_signal, SIGTERM);
    uv_signal_start(&srv->sig_int, on_signal, SIGINT);
    hw_timers_start(&srv->timers, &srv->loop, cfg, &srv->clock, &srv->writer, srv->svc, srv->read_st, &srv->plans,
                    &srv->settings, &srv->metrics, on_cron_progress, srv);
    uv_run(&srv->loop, UV_RUN_DEFAULT);
  }
  uv_walk(&srv->loop, close_walk, NULL);
  uv_run(&srv->loop, UV_RUN_DEFAULT); /* also waits for plan jobs still on the pool */
  uv_loop_close(&srv->loop);
  hw_drafts_close(&srv->drafts);
  hw_plans_free(&srv->plans);
  hw_service_free(srv->svc);
  hw_store_close(srv->read_st);
  hw_store_close(srv->write_st);
  if (rc == 0) HW_LOG_INFOF("stopped cleanly");
  free(srv);
  return rc;
}
