/*
 * The service's core (hw_service.h, service_internal.h): settings, the handle,
 * change groups, events that carry their records, scope and plausibility checks,
 * and the visit bookkeeping every write shares (generating a referral's visits,
 * cancelling them, fitting new ones into published rosters).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_visits.h"
#include "service_internal.h"

void hw_service_settings_init(hw_service_settings *s) {
  memset(s, 0, sizeof *s);
  hw_d2a_options_init(&s->d2a);
  hw_capacity_options_init(&s->capacity);
  hw_pathway_policy_init(&s->pathway);
  s->horizon_days = 14;
  s->room_days = 7;
  s->freeze_minutes = 60;
  s->past_days = 366;
  s->future_days = 730;
  s->offers_on_arrival = 1;
  s->round_optimised = 1;
  s->reserve_forecast_weeks = 8;
  hw_d2a_forecast_options_init(&s->forecast);
}

int hw_scope_allows(const hw_scope *s, hw_id locality_id) {
  if (!s || s->all) return 1;
  for (int32_t i = 0; i < s->n; i++)
    if (s->localities[i] == locality_id) return 1;
  return 0;
}

hw_service *hw_service_new(hw_store *st, const hw_service_settings *s) {
  hw_service *svc = calloc(1, sizeof *svc);
  if (!svc) return NULL;
  svc->st = st;
  svc->set = *s;
  svc->cache = hw_daycache_new();
  atomic_init(&svc->cache_localities, 0);
  atomic_init(&svc->cache_days, 0);
  atomic_init(&svc->cache_bytes, 0);
  if (!svc->cache) {
    free(svc);
    return NULL;
  }
  return svc;
}

void hw_service_free(hw_service *svc) {
  if (!svc) return;
  hw_daycache_free(svc->cache);
  free(svc);
}

hw_store *hw_service_store(hw_service *svc) { return svc->st; }
const hw_service_settings *hw_service_get_settings(const hw_service *svc) { return &svc->set; }
void hw_service_forget(hw_service *svc) {
  hw_daycache_reset(svc->cache);
  hw__svc_publish_cache_usage(svc);
}

void hw__svc_publish_cache_usage(hw_service *svc) {
  hw_daycache_size u;
  hw_daycache_usage(svc->cache, &u);
  atomic_store(&svc->cache_localities, u.localities);
  atomic_store(&svc->cache_days, u.days);
  atomic_store(&svc->cache_bytes, u.bytes);
}

void hw_service_cache_usage(const hw_service *svc, hw_daycache_size *out) {
  out->localities = atomic_load(&svc->cache_localities);
  out->days = atomic_load(&svc->cache_days);
  out->bytes = atomic_load(&svc->cache_bytes);
}
void hw_service_cache_stats(const hw_service *svc, int64_t *loads, int64_t *hits) {
  hw_daycache_stats(svc->cache, loads, hits);
}

/* ---- Groups and events -------------------------------------------------------- */

int hw__svc_begin(hw_store *st, int *own) {
  *own = !hw_store_in_batch(st);
  int rc = *own ? hw_store_batch_begin(st) : 0;
  if (rc == 0) rc = hw_store_group_begin(st);
  if (rc && *own) hw_store_batch_rollback(st);
  return rc;
}

int hw__svc_end(hw_store *st, int own, int rc) {
  rc = hw_store_group_end(st, rc);
  if (!own) return rc;
  if (rc == 0) return hw_store_batch_commit(st);
  hw_store_batch_rollback(st);
  return rc;
}

typedef struct apply_ctx {
  hw__svc_fn fn;
  void *ctx;
  hw_records rec;
} apply_ctx;

/* hw_store_tx_fn: run the change, then answer its records as the event payload. */
static int apply_tx(hw_store *st, void *vctx, char **result) {
  apply_ctx *a = vctx;
  int rc = a->fn(st, a->ctx, &a->rec);
  if (rc) return rc;
  *result = hw_records_payload(&a->rec);
  return *result ? 0 : HW_ENOMEM;
}

int hw__svc_apply(hw_store *st, hw_change *c, const char *type, hw_id locality, hw__svc_fn fn, void *ctx) {
  return hw__svc_apply_seq(st, c, type, locality, fn, ctx, NULL);
}

int hw__svc_apply_seq(hw_store *st, hw_change *c, const char *type, hw_id locality, hw__svc_fn fn, void *ctx,
                      int64_t *seq) {
  hw_event ev = {.received_at = c->now, .locality_id = locality, .payload = NULL};
  snprintf(ev.type, sizeof ev.type, "%s", type);
  snprintf(ev.actor, sizeof ev.actor, "%s", c->actor && c->actor[0] ? c->actor : "system");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", c->key ? c->key : "");
  apply_ctx a = {fn, ctx, {0}};
  hw_records_init(&a.rec);
  hw_apply_result res = {0};
  int rc = hw_store_apply(st, &ev, apply_tx, &a, &res);
  if (rc == 0) c->key = ""; /* only the first event of a write carries the key */
  if (rc == 0 && seq) *seq = res.event_seq;
  free(res.result);
  hw_records_free(&a.rec);
  return rc;
}

int hw__svc_reject(hw_change *c, int code, const char *field, const char *fmt, ...) {
  if (!c->errs) return code;
  char reason[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  hw_errors_add(c->errs, field, "%s", reason);
  return code;
}

/* ---- Events and rosters ---------------------------------------------------------- */

static int type_in(const char *type, const char *const *kinds) {
  for (int i = 0; kinds[i]; i++)
    if (strcmp(type, kinds[i]) == 0) return 1;
  return 0;
}

int hw__svc_event_changes_rosters(const char *type) {
  /* A check-in or check-out records a time on a visit: its assignment, and so
   * every roster, stays (a late check-out's repair is an event of its own). */
  static const char *const harmless[] = {"discharge.requested", "discharge.offered", "discharge.waiting",
                                         "discharge.discharged", "visit.checked_in",  "visit.checked_out",
                                         NULL};
  return !type_in(type, harmless);
}

int hw__svc_event_crosses_localities(const char *type) {
  static const char *const kinds[] = {"client.changed", "worker.changed", "team.changed", NULL};
  return type_in(type, kinds);
}

int hw__svc_event_touches(const char *type, hw_id event_locality, hw_id locality) {
  if (!hw__svc_event_changes_rosters(type)) return 0;
  return !event_locality || event_locality == locality || hw__svc_event_crosses_localities(type);
}

/* ---- Checks ------------------------------------------------------------------- */

int hw__svc_client_in_scope(hw_store *st, const hw_scope *scope, hw_id client_id, hw_client *out) {
  int rc = hw_store_get_client(st, client_id, out);
  if (rc) return rc;
  return hw_scope_allows(scope, out->locality_id) ? 0 : HW_EFORBIDDEN;
}

int hw__svc_event_locality(hw_store *st, hw_id client_id, const hw_client *client_new, hw_id *locality) {
  *locality = 0;
  if (client_new) {
    *locality = client_new->locality_id;
    return 0;
  }
  hw_client c;
  int rc = hw_store_get_client(st, client_id, &c);
  if (rc == 0) *locality = c.locality_id;
  return rc == HW_ENOTFOUND ? 0 : rc;
}

int hw__svc_worker_locality(hw_store *st, hw_id worker_id, hw_id *locality) {
  hw_worker w;
  hw_team t;
  int rc = hw_store_get_worker(st, worker_id, &w);
  if (rc == 0) rc = hw_store_get_team(st, w.team_id, &t);
  if (rc == 0) *locality = t.locality_id;
  return rc;
}

int hw_service_check_date(const hw_service_settings *s, hw_time now, hw_date d, const char *field, hw_errors *errs) {
  hw_date today = hw_time_local_date(now);
  if (d >= today - s->past_days && d <= today + s->future_days) return 0;
  char lo[16], hi[16];
  if (errs)
    hw_errors_add(errs, field, "must be between %s and %s", hw_date_format(today - s->past_days, lo, sizeof lo),
                  hw_date_format(today + s->future_days, hi, sizeof hi));
  return HW_EINVAL;
}

int hw_service_check_time(const hw_service_settings *s, hw_time now, hw_time t, const char *field, hw_errors *errs) {
  return hw_service_check_date(s, now, hw_time_local_date(t), field, errs);
}

/* ---- Visits --------------------------------------------------------------------- */

/* A visit of the plan is stored already when one with its window and length is,
 * unless that one was cancelled because the plan changed (the new plan's visit
 * replaces it). A visit cancelled by hand or suspended stays as it is. */
static int already_stored(const hw_visit *have, int32_t n, const hw_visit *v) {
  for (int32_t i = 0; i < n; i++)
    if (have[i].window_start == v->window_start && have[i].duration == v->duration &&
        strcmp(have[i].cancel_reason, HW_CANCEL_PLAN_CHANGED) != 0)
      return 1;
  return 0;
}

int hw__svc_generate_visits(hw_store *st, const hw_service_settings *s, const hw_referral *r, const hw_client *c,
                            hw_date from, hw_date to, hw_time not_before, hw_records *rec, int32_t *created) {
  if (r->status != HW_REFERRAL_ALLOCATED || !r->team_id || from > to) return 0;
  hw_visit *want = NULL, *have = NULL;
  int32_t n_want = 0, n_have = 0;
  int rc = hw_visits_for_referral(r, from, to, &s->d2a.visit, &want, &n_want);
  if (rc == 0 && n_want) rc = hw_store_list_referral_visits(st, r->id, from, to, &have, &n_have);
  for (int32_t i = 0; rc == 0 && i < n_want; i++) {
    hw_visit *v = &want[i];
    if (already_stored(have, n_have, v) || hw_client_suspended_at(c, v->window_start)) continue;
    if (not_before && v->window_end < not_before) continue;
    v->planned_start = v->check_in = v->check_out = HW_TIME_NONE;
    rc = hw_store_insert_visit(st, v);
    if (rc == 0) rc = hw_records_add_visit(rec, v);
    if (rc == 0) (*created)++;
  }
  free(want);
  free(have);
  return rc;
}

static int not_started(const hw_visit *v) {
  return v->status == HW_VISIT_PLANNED || v->status == HW_VISIT_ASSIGNED;
}

int hw__worker_days_add(hw__worker_days *s, hw_id worker, hw_date date) {
  if (!worker) return 0;
  for (int32_t i = 0; i < s->n; i++)
    if (s->worker[i] == worker && s->date[i] == date) return 0;
  if (s->n == s->cap) {
    int32_t cap = s->cap ? s->cap * 2 : 16;
    hw_id *w = realloc(s->worker, (size_t)cap * sizeof *w);
    if (w) s->worker = w;
    hw_date *d = w ? realloc(s->date, (size_t)cap * sizeof *d) : NULL;
    if (!d) return HW_ENOMEM;
    s->date = d;
    s->cap = cap;
  }
  s->worker[s->n] = worker;
  s->date[s->n++] = date;
  return 0;
}

int hw__worker_days_rewrite(const hw__worker_days *s, hw_locday *l, hw_records *rec) {
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < s->n; i++) rc = hw_locday_rewrite_rosters(l, s->date[i], &s->worker[i], 1, rec);
  return rc;
}

void hw__worker_days_free(hw__worker_days *s) {
  free(s->worker);
  free(s->date);
  memset(s, 0, sizeof *s);
}

int hw__svc_cancel_visits(hw_store *st, hw_locday *l, hw_id referral_id, hw_date from, hw_date to,
                          hw_time not_before, const char *reason, hw_records *rec, int32_t *n) {
  hw_visit *vs = NULL;
  int32_t nv = 0;
  hw__worker_days touched = {0};
  int rc = hw_store_list_referral_visits(st, referral_id, from, to, &vs, &nv);
  for (int32_t i = 0; rc == 0 && i < nv; i++) {
    hw_visit *v = &vs[i];
    if (!not_started(v) || (not_before && v->window_end < not_before)) continue;
    for (int k = 0; k < 2 && rc == 0; k++) rc = hw__worker_days_add(&touched, v->worker_ids[k], v->date);
    v->status = HW_VISIT_CANCELLED;
    v->worker_ids[0] = v->worker_ids[1] = 0;
    v->planned_start = HW_TIME_NONE;
    v->pinned = 0;
    snprintf(v->cancel_reason, sizeof v->cancel_reason, "%s", reason);
    rc = hw_store_update_visit(st, v);
    if (rc == 0) rc = hw_records_add_visit(rec, v);
    if (rc == 0) (*n)++;
  }
  if (rc == 0) rc = hw__worker_days_rewrite(&touched, l, rec);
  hw__worker_days_free(&touched);
  free(vs);
  return rc;
}

int hw__svc_day_published(hw_store *st, hw_id locality, hw_date date) {
  hw_visit *vs = NULL;
  int32_t n = 0, published = 0;
  int rc = hw_store_list_visits(st, date, date, locality, &vs, &n);
  for (int32_t i = 0; rc == 0 && i < n && !published; i++) published = vs[i].planned_start != HW_TIME_NONE;
  free(vs);
  return rc < 0 ? rc : published;
}

int hw__svc_place_new_visits(hw_store *st, hw_change *c, hw_id locality, const hw_visit *v, int32_t n,
                             hw_repair_report *report) {
  hw_date today = hw_time_local_date(c->now);
  int rc = 0;
  for (hw_date day = today; rc == 0 && day <= today + 1; day++) {
    hw_id *ids = malloc(((size_t)n + 1) * sizeof *ids);
    if (!ids) return HW_ENOMEM;
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
      if (v[i].date == day && v[i].status == HW_VISIT_PLANNED) ids[k++] = v[i].id;
    int published = k > 0 ? hw__svc_day_published(st, locality, day) : 0;
    if (published < 0) rc = published;
    if (published > 0) {
      hw_repair_trigger t = {.kind = HW_REPAIR_INSERT, .label = "new_visits", .visit_ids = ids, .n_visits = k};
      rc = hw__svc_repair(st, c, locality, day, &t, report);
    }
    free(ids);
  }
  return rc;
}
