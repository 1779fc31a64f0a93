/*
 * Operations endpoints, open without a token (bind the daemon to loopback or a
 * private network): GET /healthz for load balancers and GET /metrics for
 * Prometheus.
 */
#include <string.h>

#include "hw_error.h"
#include "hw_drafts.h"
#include "hw_handlers.h"

static void healthz(hw_exchange *x) {
  int64_t events = hw_store_event_count(x->store);
  if (events < 0) {
    hw_answer_problem(x, 503, "the database cannot be read", NULL);
    return;
  }
  hw_answer_json(x, 200, json_pack("{s:s, s:I, s:i}", "status", "ok", "events", (json_int_t)events, "schema",
                                   hw_store_schema_version(x->store)));
}

/* The figures the offer drafts and the day caches keep. */
static void live_figures(const hw_exchange *x, hw_metrics_live *l) {
  hw_daycache_size writer, pool;
  hw_service_cache_usage(x->svc, &writer);
  hw_drafts_cache_usage(x->drafts, &pool);
  *l = (hw_metrics_live){.offer_drafts = x->drafts->drafted,
                         .offer_drafts_stale = x->drafts->stale,
                         .offers_in_writer = x->drafts->in_writer,
                         .cache_localities = {writer.localities, pool.localities},
                         .cache_days = {writer.days, pool.days},
                         .cache_bytes = {writer.bytes, pool.bytes}};
}

static void metrics(hw_exchange *x) {
  size_t len = 0;
  hw_metrics_live live;
  live_figures(x, &live);
  char *text = hw_metrics_render(x->metrics, &live, &len);
  if (!text) {
    hw_answer_error(x, HW_ENOMEM, NULL, NULL);
    return;
  }
  hw_answer_body(x, 200, "text/plain; version=0.0.4", text, len);
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_doc doc_healthz = {"Liveness and the event count", NULL, NULL, "Health", NULL};
static const hw_api_doc doc_metrics = {"Prometheus metrics", NULL, NULL, NULL, "text/plain"};

const hw_handler hw_handler_healthz = {.name = "healthz", .roles = 0, .read = healthz, .doc = &doc_healthz};
const hw_handler hw_handler_metrics = {.name = "metrics", .roles = 0, .read = metrics, .doc = &doc_metrics};
