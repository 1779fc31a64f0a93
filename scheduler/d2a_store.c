/*
 * D2A offers against the store (hw_d2a.h): offer, accept, discharged - each one
 * event whose payload carries the discharge record as it is afterwards, so the
 * outcome figures can be recomputed from the log.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_d2a.h"
#include "hw_error.h"
#include "hw_storeday.h"

static void fill_event(hw_event *ev, const char *type, const char *actor, const char *key, hw_time now) {
  memset(ev, 0, sizeof *ev);
  snprintf(ev->type, sizeof ev->type, "%s", type);
  snprintf(ev->actor, sizeof ev->actor, "%s", actor ? actor : "system");
  snprintf(ev->idempotency_key, sizeof ev->idempotency_key, "%s", key ? key : "");
  ev->received_at = now;
}

/* Payload {"discharge": d, "reason": reason?} as canonical text (NULL on ENOMEM). */
static char *discharge_payload(const hw_discharge *d, const char *reason) {
  json_t *j = json_pack("{s:o}", "discharge", hw_discharge_to_json(d));
  if (j && reason && reason[0]) json_object_set_new(j, "reason", json_string(reason));
  char *text = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  return text;
}

static int update_discharge_tx(hw_store *st, void *ctx, char **result) {
  (void)result;
  return hw_store_update_discharge(st, ctx);
}

/* Load the discharge, its client's locality, and find the offer as of now. */
static int find_offer(hw_store *st, hw_id discharge_id, hw_time now, const hw_d2a_options *o, hw_discharge *d,
                      hw_store_locality *loc, hw_d2a_offer *out) {
  int rc = hw_store_get_discharge(st, discharge_id, d);
  if (rc < 0) return rc;
  if (d->status == HW_DISCHARGE_ACCEPTED || d->status == HW_DISCHARGE_DISCHARGED ||
      d->status == HW_DISCHARGE_CANCELLED)
    return HW_ECONFLICT;
  hw_client c;
  rc = hw_store_get_client(st, d->client_id, &c);
  if (rc < 0) return rc;
  rc = hw_store_locality_load(st, c.locality_id, loc);
  if (rc < 0) return rc;
  hw_day_source src;
  hw_store_locality_source(loc, &src);
  rc = hw_d2a_find(o, &src, &c, d->templates, d->n_templates, d->ready_at, now, out);
  if (rc < 0) hw_store_locality_free(loc);
  return rc;
}

int hw_d2a_make_offer(hw_store *st, hw_id discharge_id, hw_time now, const hw_d2a_options *o, const char *actor,
                      const char *idempotency_key, hw_d2a_offer *out) {
  hw_discharge d;
  hw_store_locality loc;
  int rc = find_offer(st, discharge_id, now, o, &d, &loc, out);
  if (rc < 0) return rc;
  hw_store_locality_free(&loc);
  hw_date today = hw_time_local_date(d.ready_at > now ? d.ready_at : now);
  int today_offer = out->found && out->start_date == today;
  d.status = today_offer ? HW_DISCHARGE_OFFERED : HW_DISCHARGE_WAITING;
  d.offered_start = out->found ? out->first_visit : HW_TIME_NONE;
  d.earliest = out->found && !today_offer ? out->start_date : HW_DATE_NONE;
  char *text = discharge_payload(&d, today_offer ? NULL : out->reason);
  if (!text) return HW_ENOMEM;
  hw_event ev;
  fill_event(&ev, today_offer ? "discharge.offered" : "discharge.waiting", actor, idempotency_key, now);
  ev.payload = text;
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, update_discharge_tx, &d, &ar);
  free(ar.result);
  free(text);
  return rc;
}

typedef struct accept_ctx {
  hw_discharge *d;
  hw_store_locality *loc;
  hw_d2a_offer *offer;
  hw_time now;
} accept_ctx;

static hw_id team_of_worker(const hw_store_locality *l, hw_id worker_id) {
  for (int32_t i = 0; i < l->n_workers; i++)
    if (l->workers[i].id == worker_id) return l->workers[i].team_id;
  return 0;
}

/* Add (worker, date) to the list unless it is there already. */
static void note_worker_day(hw_id *ids, hw_date *dates, int32_t *n, hw_id worker, hw_date date) {
  if (!worker) return;
  for (int32_t j = 0; j < *n; j++)
    if (ids[j] == worker && dates[j] == date) return;
  ids[*n] = worker;
  dates[(*n)++] = date;
}

/* Re-time the existing visits the offer moved (retime lever): same worker, new
 * start inside the visit's own window; their workers' rosters are rewritten. */
static int apply_moves(hw_store *st, accept_ctx *c, hw_id *ids, hw_date *dates, int32_t *n) {
  for (int32_t i = 0; i < c->offer->n_moved; i++) {
    const hw_d2a_move *m = &c->offer->moved[i];
    hw_visit v;
    int rc = hw_store_get_visit(st, m->visit_id, &v);
    if (rc < 0) return rc;
    if (m->planned_start < v.window_start || m->planned_start > v.window_end) return HW_EINTERNAL;
    v.planned_start = m->planned_start;
    rc = hw_store_update_visit(st, &v);
    if (rc < 0) return rc;
    note_worker_day(ids, dates, n, v.worker_ids[0], v.date);
  }
  return 0;
}

static int rewrite_offer_rosters(hw_store *st, accept_ctx *c) {
  hw_id ids[HW_D2A_MAX_VISITS * 2 + HW_D2A_MAX_MOVES];
  hw_date dates[HW_D2A_MAX_VISITS * 2 + HW_D2A_MAX_MOVES];
  int32_t n = 0;
  for (int32_t i = 0; i < c->offer->n_visits; i++)
    for (int k = 0; k < 2; k++) note_worker_day(ids, dates, &n, c->offer->visits[i].worker_ids[k], c->offer->visits[i].date);
  int rc = apply_moves(st, c, ids, dates, &n);
  if (rc < 0) return rc;
  for (int32_t j = 0; j < n && rc == 0; j++) rc = hw_store_rewrite_rosters(c->loc, dates[j], &ids[j], 1);
  return rc;
}

static int accept_tx(hw_store *st, void *vctx, char **result) {
  accept_ctx *c = vctx;
  hw_referral r = {0};
  r.client_id = c->d->client_id;
  r.source = HW_SOURCE_HOSPITAL;
  r.pathway = HW_PATHWAY_REABLEMENT;
  r.status = HW_REFERRAL_ACTIVE;
  r.team_id = team_of_worker(c->loc, c->offer->visits[0].worker_ids[0]);
  r.received_at = c->now;
  r.start_date = c->offer->start_date;
  r.end_date = HW_DATE_NONE;
  r.n_templates = c->d->n_templates;
  memcpy(r.templates, c->d->templates, sizeof r.templates);
  int rc = hw_store_insert_referral(st, &r);
  if (rc < 0) return rc;
  json_t *ids = json_array();
  for (int32_t i = 0; i < c->offer->n_visits; i++) {
    hw_visit *v = &c->offer->visits[i];
    v->referral_id = r.id;
    rc = hw_store_insert_visit(st, v);
    if (rc < 0) {
      json_decref(ids);
      return rc;
    }
    json_array_append_new(ids, json_integer(v->id));
  }
  rc = rewrite_offer_rosters(st, c);
  if (rc == 0) {
    c->d->status = HW_DISCHARGE_ACCEPTED;
    c->d->referral_id = r.id;
    c->d->offered_start = c->offer->first_visit;
    c->d->earliest = HW_DATE_NONE;
    rc = hw_store_update_discharge(st, c->d);
  }
  if (rc == 0) {
    json_t *res = json_pack("{s:I, s:o}", "referral_id", (json_int_t)r.id, "visit_ids", ids);
    *result = res ? hw_json_dumps_canonical(res) : NULL;
    json_decref(res);
    return *result ? 0 : HW_ENOMEM;
  }
  json_decref(ids);
  return rc;
}

int hw_d2a_accept(hw_store *st, hw_id discharge_id, hw_time now, const hw_d2a_options *o, const char *actor,
                  const char *idempotency_key, hw_d2a_offer *out) {
  hw_discharge d;
  hw_store_locality loc;
  int rc = find_offer(st, discharge_id, now, o, &d, &loc, out);
  if (rc < 0) return rc;
  if (d.status == HW_DISCHARGE_REQUESTED) rc = HW_ECONFLICT; /* accept what was offered */
  else if (!out->found || out->n_visits == 0) rc = HW_EINFEASIBLE;
  if (rc < 0) {
    hw_store_locality_free(&loc);
    return rc;
  }
  hw_discharge after = d;
  after.status = HW_DISCHARGE_ACCEPTED;
  after.offered_start = out->first_visit;
  after.earliest = HW_DATE_NONE;
  char *text = discharge_payload(&after, NULL);
  if (!text) {
    hw_store_locality_free(&loc);
    return HW_ENOMEM;
  }
  hw_event ev;
  fill_event(&ev, "discharge.accepted", actor, idempotency_key, now);
  ev.payload = text;
  accept_ctx c = {&d, &loc, out, now};
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, accept_tx, &c, &ar);
  free(ar.result);
  free(text);
  hw_store_locality_free(&loc);
  return rc;
}

int hw_d2a_discharged(hw_store *st, hw_id discharge_id, hw_time at, const char *actor,
                      const char *idempotency_key) {
  hw_discharge d;
  int rc = hw_store_get_discharge(st, discharge_id, &d);
  if (rc < 0) return rc;
  if (d.status != HW_DISCHARGE_ACCEPTED && d.status != HW_DISCHARGE_OFFERED) return HW_ECONFLICT;
  d.status = HW_DISCHARGE_DISCHARGED;
  d.discharged_at = at;
  char *text = discharge_payload(&d, NULL);
  if (!text) return HW_ENOMEM;
  hw_event ev;
  fill_event(&ev, "discharge.discharged", actor, idempotency_key, at);
  ev.payload = text;
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, update_discharge_tx, &d, &ar);
  free(ar.result);
  free(text);
  return rc;
}
