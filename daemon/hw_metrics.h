/*
 * The daemon's counters, rendered in the Prometheus text format at GET /metrics:
 *
 *   homeward_http_requests_total{route,status}        requests answered
 *   homeward_http_request_duration_seconds{route}     latency histogram, request
 *                                                     complete to answer queued
 *   homeward_events_stored_total                      events committed
 *   homeward_idempotent_replays_total                 writes answered from the log
 *   homeward_write_batches_total / _batch_events_sum  group commits and their size
 *   homeward_connections_open, homeward_connections_rejected_total
 *   homeward_plan_jobs_total{result}, homeward_solver_seconds_total
 *   homeward_offer_drafts_total / _stale_total, homeward_offers_in_writer_total
 *                                                     D2A offers drafted on the pool,
 *                                                     found stale, left to the writer
 *   homeward_daycache_localities / _days / _bytes{cache="writer"|"pool"}
 *                                                     what the D2A day caches hold
 *
 * Everything is updated on the loop thread only (the writer's results reach the
 * loop before they are counted), so there are no locks.
 */
#ifndef HW_METRICS_H
#define HW_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define HW_METRICS_ROUTES 40
#define HW_METRICS_STATUSES 16
#define HW_METRICS_BUCKETS 14

typedef struct hw_route_metrics {
  const char *route;                /* handler name (static string) */
  int n_statuses;
  int status[HW_METRICS_STATUSES];
  uint64_t count[HW_METRICS_STATUSES];
  uint64_t bucket[HW_METRICS_BUCKETS]; /* non-cumulative; rendered cumulative */
  uint64_t total_us;
  uint64_t n;
} hw_route_metrics;

typedef struct hw_metrics {
  int n_routes;
  hw_route_metrics routes[HW_METRICS_ROUTES];
  uint64_t events_stored;
  uint64_t replays;
  uint64_t batches;
  uint64_t batch_events;
  int64_t connections_open;
  uint64_t connections_rejected;
  uint64_t plan_jobs_ok, plan_jobs_failed;
  uint64_t solver_us;
} hw_metrics;

void hw_metrics_init(hw_metrics *m);
/* Count one answered request of route (a static string) with its status and
 * latency in microseconds. Routes beyond HW_METRICS_ROUTES are counted as "other". */
void hw_metrics_request(hw_metrics *m, const char *route, int status, uint64_t micros);
/* One group commit of n_events changes (replays and rejections excluded). */
/* A group commit that stored n_events events (a change may store several). */
void hw_metrics_batch(hw_metrics *m, int n_events);
/* One planning job finished (ok 1/0) after solver_us microseconds of solving. */
void hw_metrics_plan_job(hw_metrics *m, int ok, uint64_t solver_us);
/* Figures read when /metrics is asked for, from parts that keep their own. */
typedef struct hw_metrics_live {
  uint64_t offer_drafts, offer_drafts_stale, offers_in_writer;
  int64_t cache_localities[2], cache_days[2], cache_bytes[2]; /* [0] the writer's, [1] the pool's */
} hw_metrics_live;

/* The text exposition; malloc'd, length in *len; NULL when out of memory. */
char *hw_metrics_render(const hw_metrics *m, const hw_metrics_live *live, size_t *len);

#endif
