/*
 * The D2A endpoints (hw_service.h): a discharge request answered with its offer
 * in the same response, and the accept / discharged / cancel transitions, each a
 * thin wrapper over hw_d2a.h that adds the caller's scope, idempotent retries and
 * the JSON answer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_codec_reader.h"
#include "hw_daycache.h"
#include "hw_error.h"
#include "hw_d2a.h"
#include "hw_plan.h"
#include "hw_service.h"
#include "hw_storeday.h"

static hw_d2a_options d2a_defaults;
static pthread_once_t d2a_once = PTHREAD_ONCE_INIT;

static void init_d2a_defaults(void) { hw_d2a_options_init(&d2a_defaults); }

const hw_d2a_options *hw_service_d2a_defaults(void) {
  pthread_once(&d2a_once, init_d2a_defaults);
  return &d2a_defaults;
}

/* The day cache of the writer's store handle: offers run on the writer thread,
 * the mutex only guards against a second caller. */
static hw_daycache *day_cache;
static pthread_mutex_t day_cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* hw_d2a_make_offer, with the locality's day from the cache. */
static int make_offer(hw_store *st, hw_id id, const hw_d2a_options *o, hw_service_call *c, hw_d2a_offer *offer) {
  pthread_mutex_lock(&day_cache_mu);
  if (!day_cache) day_cache = hw_daycache_new();
  int rc = day_cache ? hw_daycache_make_offer(day_cache, st, id, c->now, o, c->actor, NULL, offer)
                     : hw_d2a_make_offer(st, id, c->now, o, c->actor, NULL, offer);
  pthread_mutex_unlock(&day_cache_mu);
  return rc;
}

/* A change group that used the cache was rolled back: what it read may be gone. */
static void forget_cache(void) {
  pthread_mutex_lock(&day_cache_mu);
  if (day_cache) hw_daycache_reset(day_cache);
  pthread_mutex_unlock(&day_cache_mu);
}

static int answer_json(hw_service_call *c, json_t *doc) {
  c->answer = doc ? hw_json_dumps_canonical(doc) : NULL;
  json_decref(doc);
  return c->answer ? 0 : HW_ENOMEM;
}

/* The discharge request as it is now, as JSON (new reference or NULL). */
static json_t *discharge_now(hw_store *st, hw_id id) {
  hw_discharge d;
  return hw_store_get_discharge(st, id, &d) == 0 ? hw_discharge_to_json(&d) : NULL;
}

static json_t *offer_visits_json(const hw_d2a_offer *of) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < of->n_visits; i++) {
    const hw_visit *v = &of->visits[i];
    json_t *workers = json_array();
    for (int k = 0; k < 2; k++)
      if (v->worker_ids[k]) json_array_append_new(workers, json_integer(v->worker_ids[k]));
    json_array_append_new(list, json_pack("{s:o, s:o, s:i, s:o, s:b}", "date", hw_json_date(v->date), "start",
                                          hw_json_time(v->planned_start), "duration", v->duration, "workers",
                                          workers, "medication", v->medication));
  }
  return list;
}

/* Record + offer: the answer of POST /v1/discharges. */
static json_t *offer_answer(hw_store *st, hw_id id, const hw_d2a_offer *of) {
  json_t *doc = discharge_now(st, id);
  if (!doc) return NULL;
  const char *status = json_string_value(json_object_get(doc, "status"));
  int offered = status && strcmp(status, "offered") == 0;
  if (offered) {
    json_object_set_new(doc, "start", hw_json_time(of->first_visit));
    json_object_set_new(doc, "visits", offer_visits_json(of));
  } else {
    json_object_set_new(doc, "reason", json_string(of->reason));
    json_object_set_new(doc, "why_not_today", json_string(hw_d2a_miss_name(of->miss)));
  }
  return doc;
}

/* A retry of a change already made: answer the stored answer, or the record now. */
static int replay(hw_store *st, hw_id id, char *stored, hw_service_call *c) {
  c->replayed = 1;
  if (stored) {
    c->answer = stored;
    return 0;
  }
  return answer_json(c, discharge_now(st, id));
}

int hw_service_discharge_request(hw_store *st, hw_intake *in, const hw_event *ev, const hw_d2a_options *o,
                                 hw_service_call *c) {
  int rc = hw_store_group_begin(st);
  if (rc) return rc;
  hw_apply_result res = {0};
  hw_d2a_offer *offer = calloc(1, sizeof *offer);
  json_t *created = NULL;
  rc = offer ? hw_store_apply(st, ev, hw_intake_apply, in, &res) : HW_ENOMEM;
  if (rc == 0) created = res.result ? json_loads(res.result, 0, NULL) : NULL;
  hw_id id = json_integer_value(json_object_get(created, "id"));
  if (rc == 0 && !id) rc = HW_EINTERNAL;
  if (rc == 0 && res.replayed) {
    rc = hw_store_group_end(st, 0);
    if (rc == 0) rc = replay(st, id, NULL, c);
  } else {
    if (rc == 0) rc = make_offer(st, id, o, c, offer);
    if (rc == 0) rc = answer_json(c, offer_answer(st, id, offer));
    rc = hw_store_group_end(st, rc);
  }
  if (rc) {
    forget_cache();
    free(c->answer);
    c->answer = NULL;
  }
  json_decref(created);
  free(res.result);
  free(offer);
  return rc;
}

/* Scope and replay checks shared by the transitions. Returns 1 when answered by
 * a replay, 0 to go on, or an error. */
static int transition_begin(hw_store *st, hw_id id, hw_service_call *c) {
  int64_t seq;
  char *stored = NULL;
  int found = hw_store_find_key(st, c->actor, c->key, &seq, &stored);
  if (found < 0) return found;
  if (found) {
    int rc = replay(st, id, stored, c);
    return rc ? rc : 1;
  }
  hw_discharge d;
  return hw_intake_discharge_check(st, c->scope, id, &d);
}

static int conflict(hw_service_call *c, const char *why) {
  hw_errors_add(c->errs, "", "%s", why);
  return HW_ECONFLICT;
}

int hw_service_discharge_accept(hw_store *st, hw_id id, const hw_d2a_options *o, hw_service_call *c) {
  int rc = transition_begin(st, id, c);
  if (rc) return rc > 0 ? 0 : rc;
  hw_d2a_offer *offer = calloc(1, sizeof *offer);
  if (!offer) return HW_ENOMEM;
  rc = hw_d2a_accept(st, id, c->now, o, c->actor, c->key, offer);
  if (rc == HW_ECONFLICT) conflict(c, "only an offered request (or one waiting with a date) can be accepted");
  if (rc == HW_EINFEASIBLE) rc = conflict(c, "the offer is no longer possible: the rosters have changed; ask again");
  if (rc == 0) {
    json_t *doc = discharge_now(st, id);
    if (doc) json_object_set_new(doc, "visits", offer_visits_json(offer));
    rc = answer_json(c, doc);
  }
  free(offer);
  return rc;
}

int hw_service_discharge_discharged(hw_store *st, hw_id id, hw_time at, hw_service_call *c) {
  int rc = transition_begin(st, id, c);
  if (rc) return rc > 0 ? 0 : rc;
  rc = hw_d2a_discharged(st, id, at, c->actor, c->key);
  if (rc == HW_ECONFLICT) conflict(c, "only an offered or accepted request can be discharged");
  return rc ? rc : answer_json(c, discharge_now(st, id));
}

typedef struct cancel_ctx {
  hw_discharge *d;
  hw_store_locality loc;
  int loaded;
} cancel_ctx;

/* Cancel the referral of an accepted request and its visits not yet done. */
static int cancel_referral(hw_store *st, cancel_ctx *cc, hw_date today) {
  hw_referral r;
  int rc = hw_store_get_referral(st, cc->d->referral_id, &r);
  if (rc) return rc;
  r.status = HW_REFERRAL_CANCELLED;
  if ((rc = hw_store_update_referral(st, &r))) return rc;
  hw_client cl;
  if ((rc = hw_store_get_client(st, r.client_id, &cl))) return rc;
  if ((rc = hw_store_locality_load(st, cl.locality_id, &cc->loc))) return rc;
  cc->loaded = 1;
  hw_visit *vs = NULL;
  int32_t n = 0;
  rc = hw_store_list_visits(st, today, today + 366, cl.locality_id, &vs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_visit *v = &vs[i];
    if (v->referral_id != r.id || (v->status != HW_VISIT_PLANNED && v->status != HW_VISIT_ASSIGNED)) continue;
    hw_id workers[2] = {v->worker_ids[0], v->worker_ids[1]};
    v->status = HW_VISIT_CANCELLED;
    v->worker_ids[0] = v->worker_ids[1] = 0;
    v->planned_start = HW_TIME_NONE;
    rc = hw_store_update_visit(st, v);
    for (int k = 0; rc == 0 && k < 2; k++)
      if (workers[k]) rc = hw_store_rewrite_rosters(&cc->loc, v->date, &workers[k], 1);
  }
  free(vs);
  return rc;
}

static int cancel_tx(hw_store *st, void *ctx, char **result) {
  (void)result;
  cancel_ctx *cc = ctx;
  int rc = 0;
  if (cc->d->status == HW_DISCHARGE_ACCEPTED && cc->d->referral_id)
    rc = cancel_referral(st, cc, hw_time_local_date(cc->d->ready_at));
  cc->d->status = HW_DISCHARGE_CANCELLED;
  return rc ? rc : hw_store_update_discharge(st, cc->d);
}

int hw_service_discharge_cancel(hw_store *st, hw_id id, hw_service_call *c) {
  int rc = transition_begin(st, id, c);
  if (rc) return rc > 0 ? 0 : rc;
  hw_discharge d;
  if ((rc = hw_store_get_discharge(st, id, &d))) return rc;
  if (d.status == HW_DISCHARGE_DISCHARGED || d.status == HW_DISCHARGE_CANCELLED)
    return conflict(c, d.status == HW_DISCHARGE_CANCELLED ? "the request is already cancelled"
                                                          : "the person has been discharged; it cannot be cancelled");
  hw_discharge after = d;
  after.status = HW_DISCHARGE_CANCELLED;
  json_t *p = json_pack("{s:o}", "discharge", hw_discharge_to_json(&after));
  char *payload = p ? hw_json_dumps_canonical(p) : NULL;
  json_decref(p);
  if (!payload) return HW_ENOMEM;
  hw_event ev = {.received_at = c->now, .payload = payload};
  snprintf(ev.type, sizeof ev.type, "discharge.cancelled");
  snprintf(ev.actor, sizeof ev.actor, "%s", c->actor);
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", c->key);
  cancel_ctx cc = {.d = &d};
  hw_apply_result res = {0};
  rc = hw_store_apply(st, &ev, cancel_tx, &cc, &res);
  free(res.result);
  free(payload);
  if (cc.loaded) hw_store_locality_free(&cc.loc);
  return rc ? rc : answer_json(c, discharge_now(st, id));
}
