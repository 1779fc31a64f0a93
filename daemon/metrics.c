/*
 * Counters and latency histograms, and their Prometheus text rendering.
 */
#include "hw_metrics.h"

#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Upper bounds of the latency buckets in microseconds; the last is +Inf. */
static const uint64_t bucket_le_us[HW_METRICS_BUCKETS - 1] = {500,    1000,   2000,   5000,    10000,   20000,
                                                              50000,  100000, 250000, 500000,  1000000, 2500000,
                                                              5000000};

void hw_metrics_init(hw_metrics *m) { memset(m, 0, sizeof *m); }

static hw_route_metrics *route_slot(hw_metrics *m, const char *route) {
  for (int i = 0; i < m->n_routes; i++)
    if (strcmp(m->routes[i].route, route) == 0) return &m->routes[i];
  if (m->n_routes < HW_METRICS_ROUTES - 1) {
    m->routes[m->n_routes].route = route;
    return &m->routes[m->n_routes++];
  }
  /* The last slot collects whatever does not fit. */
  hw_route_metrics *other = &m->routes[HW_METRICS_ROUTES - 1];
  other->route = "other";
  if (m->n_routes < HW_METRICS_ROUTES) m->n_routes = HW_METRICS_ROUTES;
  return other;
}

void hw_metrics_request(hw_metrics *m, const char *route, int status, uint64_t micros) {
  hw_route_metrics *r = route_slot(m, route);
  int i = 0;
  while (i < r->n_statuses && r->status[i] != status) i++;
  if (i == r->n_statuses) {
    if (i == HW_METRICS_STATUSES) i--; /* more distinct statuses than slots: fold into the last */
    else r->n_statuses++;
    r->status[i] = status;
  }
  r->count[i]++;
  int b = 0;
  while (b < HW_METRICS_BUCKETS - 1 && micros > bucket_le_us[b]) b++;
  r->bucket[b]++;
  r->total_us += micros;
  r->n++;
}

void hw_metrics_batch(hw_metrics *m, int n_events) {
  m->batches++;
  m->batch_events += (uint64_t)n_events;
  m->events_stored += (uint64_t)n_events;
}

void hw_metrics_plan_job(hw_metrics *m, int ok, uint64_t solver_us) {
  if (ok) m->plan_jobs_ok++;
  else m->plan_jobs_failed++;
  m->solver_us += solver_us;
}

typedef struct text {
  char *buf;
  size_t len, cap;
  int failed;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...) {
  if (t->failed) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->failed = 1;
      return;
    }
    if ((size_t)n < t->cap - t->len) {
      t->len += (size_t)n;
      return;
    }
    size_t ncap = t->cap * 2 + (size_t)n;
    char *nb = realloc(t->buf, ncap);
    if (!nb) {
      t->failed = 1;
      return;
    }
    t->buf = nb;
    t->cap = ncap;
  }
}

static void render_routes(text *t, const hw_metrics *m) {
  put(t, "# HELP homeward_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE homeward_http_requests_total counter\n");
  for (int i = 0; i < m->n_routes; i++)
    for (int s = 0; s < m->routes[i].n_statuses; s++)
      put(t, "homeward_http_requests_total{route=\"%s\",status=\"%d\"} %" PRIu64 "\n", m->routes[i].route,
          m->routes[i].status[s], m->routes[i].count[s]);
  put(t, "# HELP homeward_http_request_duration_seconds Time from a complete request to its answer.\n"
         "# TYPE homeward_http_request_duration_seconds histogram\n");
  for (int i = 0; i < m->n_routes; i++) {
    const hw_route_metrics *r = &m->routes[i];
    uint64_t cum = 0;
    for (int b = 0; b < HW_METRICS_BUCKETS; b++) {
      cum += r->bucket[b];
      if (b < HW_METRICS_BUCKETS - 1)
        put(t, "homeward_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %" PRIu64 "\n", r->route,
            (double)bucket_le_us[b] / 1e6, cum);
      else
        put(t, "homeward_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", r->route,
            cum);
    }
    put(t, "homeward_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", r->route, (double)r->total_us / 1e6);
    put(t, "homeward_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64 "\n", r->route, r->n);
  }
}

static void counter(text *t, const char *name, const char *help, uint64_t v) {
  put(t, "# HELP %s %s\n# TYPE %s counter\n%s %" PRIu64 "\n", name, help, name, name, v);
}

static void cache_gauge(text *t, const char *name, const char *help, const int64_t v[2]) {
  put(t, "# HELP %s %s\n# TYPE %s gauge\n%s{cache=\"writer\"} %" PRId64 "\n%s{cache=\"pool\"} %" PRId64 "\n", name, help,
      name, name, v[0], name, v[1]);
}

static void render_live(text *t, const hw_metrics_live *l) {
  counter(t, "homeward_offer_drafts_total", "D2A offers drafted on the thread pool.", l->offer_drafts);
  counter(t, "homeward_offer_drafts_stale_total", "Drafts the writer found stale (the rosters had changed).",
          l->offer_drafts_stale);
  counter(t, "homeward_offers_in_writer_total", "Offers left to the writer after two stale drafts.",
          l->offers_in_writer);
  cache_gauge(t, "homeward_daycache_localities", "Localities held by the D2A day caches.", l->cache_localities);
  cache_gauge(t, "homeward_daycache_days", "Locality days held by the D2A day caches.", l->cache_days);
  cache_gauge(t, "homeward_daycache_bytes", "Bytes of records held by the D2A day caches.", l->cache_bytes);
}

/* What the allocator holds for the daemon, beside RSS: memory freed inside
 * glibc's arenas counts in RSS until it is trimmed, so a growing RSS with a
 * flat heap in use is not a leak. malloc_info's closing totals cover every
 * arena (mallinfo2 only the main one, and the pool's threads use others). */
#ifdef __GLIBC__
static long long info_total(const char *from, const char *tag) {
  const char *at = strstr(from, tag);
  const char *size = at ? strstr(at, "size=\"") : NULL;
  return size ? atoll(size + 6) : 0;
}

static int heap_totals(long long *in_use, long long *free_bytes) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return -1;
  int rc = malloc_info(0, f);
  fclose(f);
  const char *last = buf ? strstr(buf, "</heap>") : NULL;
  for (const char *next = last; next; next = strstr(next + 1, "</heap>")) last = next;
  if (rc != 0 || !last) {
    free(buf);
    return -1;
  }
  long long fast = info_total(last, "<total type=\"fast\""), rest = info_total(last, "<total type=\"rest\""),
            mapped = info_total(last, "<total type=\"mmap\""), system = info_total(last, "<system type=\"current\"");
  free(buf);
  *free_bytes = fast + rest;
  *in_use = system - fast - rest + mapped;
  return 0;
}
#endif

static void render_heap(text *t) {
#ifdef __GLIBC__
  long long in_use, free_bytes;
  if (heap_totals(&in_use, &free_bytes) != 0) return;
  put(t, "# HELP homeward_heap_in_use_bytes Heap bytes allocated and not freed (glibc, every arena, mmapped blocks "
         "included).\n# TYPE homeward_heap_in_use_bytes gauge\nhomeward_heap_in_use_bytes{allocator=\"glibc\"} %lld\n",
      in_use);
  put(t, "# HELP homeward_heap_free_bytes Heap bytes freed but kept by the allocator (not yet trimmed).\n"
         "# TYPE homeward_heap_free_bytes gauge\nhomeward_heap_free_bytes{allocator=\"glibc\"} %lld\n",
      free_bytes);
#else
  (void)t;
#endif
}

char *hw_metrics_render(const hw_metrics *m, const hw_metrics_live *live, size_t *len) {
  text t = {malloc(4096), 0, 4096, 0};
  if (!t.buf) return NULL;
  render_routes(&t, m);
  counter(&t, "homeward_events_stored_total", "Events committed to the log.", m->events_stored);
  counter(&t, "homeward_idempotent_replays_total", "Writes answered from the log by idempotency key.", m->replays);
  counter(&t, "homeward_write_batches_total", "Group commits.", m->batches);
  counter(&t, "homeward_write_batch_events_sum", "Events over all group commits (mean batch = sum / batches).",
          m->batch_events);
  put(&t, "# HELP homeward_connections_open Client connections open now.\n# TYPE homeward_connections_open gauge\n"
          "homeward_connections_open %" PRId64 "\n", m->connections_open);
  counter(&t, "homeward_connections_rejected_total", "Connections refused with 503 at the connection cap.",
          m->connections_rejected);
  put(&t, "# HELP homeward_plan_jobs_total Planning jobs finished, by result.\n# TYPE homeward_plan_jobs_total counter\n"
          "homeward_plan_jobs_total{result=\"ok\"} %" PRIu64 "\nhomeward_plan_jobs_total{result=\"failed\"} %" PRIu64 "\n",
      m->plan_jobs_ok, m->plan_jobs_failed);
  put(&t, "# HELP homeward_solver_seconds_total Time spent solving.\n# TYPE homeward_solver_seconds_total counter\n"
          "homeward_solver_seconds_total %.6f\n", (double)m->solver_us / 1e6);
  render_live(&t, live);
  render_heap(&t);
  if (t.failed) {
    free(t.buf);
    return NULL;
  }
  *len = t.len;
  return t.buf;
}
