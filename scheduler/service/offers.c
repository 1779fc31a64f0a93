/*
 * Discharge to assess (hw_service.h): a request and its offer, offers again,
 * acceptance, discharge and cancellation. Every event carries the discharge
 * record as it is afterwards (and what else the change stored), so the outcome
 * figures can be recomputed from the log. One function records an offer, whoever
 * asks for it: the request itself, the morning round, a coordinator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* ---- Recording an offer --------------------------------------------------------- */

typedef struct offer_ctx {
  hw_discharge *d;
  const hw_d2a_offer *of;
} offer_ctx;

static int offer_tx(hw_store *st, void *vctx, hw_records *rec) {
  offer_ctx *x = vctx;
  int rc = hw_store_update_discharge(st, x->d);
  if (rc == 0) rc = hw_records_add_discharge(rec, x->d);
  if (rc == 0 && x->d->status == HW_DISCHARGE_WAITING) hw_records_note(rec, "%s", x->of->reason);
  return rc;
}

/* The offer as of now for d (of client), computed on the service's day cache. */
static int find_offer(hw_service *svc, hw_change *c, const hw_discharge *d, const hw_client *client,
                      hw_d2a_offer *out) {
  int rc = hw_daycache_find(svc->cache, svc->st, d, client, c->now, &svc->set.d2a, out);
  hw__svc_publish_cache_usage(svc);
  return rc;
}

/* Record offer `of` on d: status offered (a start today) or waiting (a later date
 * in earliest, or none found). Event "discharge.offered" / "discharge.waiting". */
static int record_offer(hw_service *svc, hw_change *c, hw_discharge *d, hw_id locality, const hw_d2a_offer *of) {
  hw_date today = hw_time_local_date(d->ready_at > c->now ? d->ready_at : c->now);
  int today_offer = of->found && of->start_date == today;
  d->status = today_offer ? HW_DISCHARGE_OFFERED : HW_DISCHARGE_WAITING;
  d->offered_start = of->found ? of->first_visit : HW_TIME_NONE;
  d->earliest = of->found && !today_offer ? of->start_date : HW_DATE_NONE;
  offer_ctx x = {d, of};
  return hw__svc_apply(svc->st, c, today_offer ? "discharge.offered" : "discharge.waiting", locality, offer_tx, &x);
}

/* The draft's offer when it is still current (visits for the client as stored),
 * else stale. */
static int take_draft(hw_service *svc, const hw_offer_draft *draft, const hw_client *client,
                      hw_discharge_result *out) {
  int current = 0;
  int rc = hw__svc_draft_current(svc->st, draft, client, &current);
  if (rc) return rc;
  if (!current) {
    out->draft_stale = 1;
    return HW_EBUSY;
  }
  out->offer = draft->offer;
  for (int32_t i = 0; i < out->offer.n_visits; i++) out->offer.visits[i].client_id = client->id;
  return 0;
}

/* Offer for a stored request that may have one (requested or waiting): the
 * draft's, or computed here. */
static int offer_for(hw_service *svc, hw_change *c, const hw_offer_draft *draft, hw_discharge_result *out) {
  hw_discharge *d = &out->discharge;
  if (d->status != HW_DISCHARGE_REQUESTED && d->status != HW_DISCHARGE_WAITING)
    return hw__svc_reject(c, HW_ECONFLICT, "/status", "only a requested or waiting request can be offered (it is %s)",
                          hw_discharge_status_name(d->status));
  hw_client client;
  int rc = hw_store_get_client(svc->st, d->client_id, &client);
  if (rc == 0) rc = draft ? take_draft(svc, draft, &client, out) : find_offer(svc, c, d, &client, &out->offer);
  if (rc == 0) rc = record_offer(svc, c, d, client.locality_id, &out->offer);
  if (rc == 0) out->has_offer = 1;
  return rc;
}

int hw__svc_scoped_discharge(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *d, hw_client *client) {
  int rc = hw_store_get_discharge(st, id, d);
  if (rc == 0) rc = hw__svc_client_in_scope(st, scope, d->client_id, client);
  if (rc == 0 && scope && scope->owner) {
    hw_id creator = 0;
    rc = hw_store_get_discharge_owner(st, id, &creator);
    if (rc == 0 && creator != scope->owner) rc = HW_EFORBIDDEN;
  }
  return rc;
}

/* ---- The request ------------------------------------------------------------------ */

typedef struct request_ctx {
  hw_change *c;
  hw_discharge_result *out;
  const hw_client *client_new;
} request_ctx;

static int store_request(hw_store *st, hw_change *c, hw_discharge_result *out, const hw_client *client_new,
                         hw_records *rec) {
  hw_discharge *d = &out->discharge;
  hw_client cl;
  int rc;
  if (client_new) {
    out->client = *client_new;
    out->client.id = 0;
    if (!hw_scope_allows(c->scope, out->client.locality_id)) return HW_EFORBIDDEN;
    hw_id other = 0;
    rc = out->client.chi[0] ? hw_store_find_client_by_chi(st, out->client.chi, &other) : HW_ENOTFOUND;
    if (rc == 0)
      return hw__svc_reject(c, HW_ECONFLICT, "/client/chi", "CHI number already held by client %lld", (long long)other);
    if (rc != HW_ENOTFOUND) return rc;
    rc = hw_store_insert_client(st, &out->client);
    if (rc) return hw__svc_reject(c, rc, "/client", "%s", hw_store_errmsg(st));
    d->client_id = out->client.id;
    rc = hw_records_add_client(rec, &out->client);
    if (rc) return rc;
  } else {
    rc = hw__svc_client_in_scope(st, c->scope, d->client_id, &cl);
    if (rc == HW_ENOTFOUND) return hw__svc_reject(c, HW_EINVAL, "/client_id", "no client %lld", (long long)d->client_id);
    if (rc) return rc;
  }
  d->id = 0;
  d->referral_id = 0;
  d->status = HW_DISCHARGE_REQUESTED;
  d->offered_start = HW_TIME_NONE;
  d->earliest = HW_DATE_NONE;
  d->discharged_at = HW_TIME_NONE;
  rc = hw_store_insert_discharge(st, d);
  if (rc == 0 && c->scope && c->scope->creator) rc = hw_store_set_discharge_owner(st, d->id, c->scope->creator);
  if (rc == 0) rc = hw_records_add_discharge(rec, d);
  return rc;
}

static int request_tx(hw_store *st, void *vctx, hw_records *rec) {
  request_ctx *x = vctx;
  return store_request(st, x->c, x->out, x->client_new, rec);
}

int hw_service_discharge_request(hw_service *svc, hw_change *c, const hw_discharge *d, const hw_client *client_new,
                                 hw_discharge_result *out) {
  return hw_service_discharge_request_drafted(svc, c, d, client_new, NULL, out);
}

int hw_service_discharge_request_drafted(hw_service *svc, hw_change *c, const hw_discharge *d,
                                         const hw_client *client_new, const hw_offer_draft *draft,
                                         hw_discharge_result *out) {
  memset(out, 0, sizeof *out);
  out->discharge = *d;
  int rc = hw_service_check_time(&svc->set, c->now, d->ready_at, "/ready_at", c->errs);
  if (rc) return rc;
  hw_id locality = 0;
  if ((rc = hw__svc_event_locality(svc->st, d->client_id, client_new, &locality))) return rc;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  request_ctx x = {c, out, client_new};
  rc = hw__svc_apply(svc->st, c, "discharge.requested", locality, request_tx, &x);
  if (rc == 0 && svc->set.offers_on_arrival) rc = offer_for(svc, c, draft, out);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

int hw_service_discharge_offer(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out) {
  return hw_service_discharge_offer_drafted(svc, c, id, NULL, out);
}

int hw_service_discharge_offer_drafted(hw_service *svc, hw_change *c, hw_id id, const hw_offer_draft *draft,
                                       hw_discharge_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  int rc = hw__svc_scoped_discharge(svc->st, c->scope, id, &out->discharge, &client);
  if (rc) return rc;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = offer_for(svc, c, draft, out);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- The offers sweep ------------------------------------------------------------------ */

/* A request waiting although its person is ready today: a same-day start may
 * still open up (a visit cancelled, an absence over, a plan published). */
static int waiting_for_today(const hw_discharge *d, hw_time now) {
  return d->status == HW_DISCHARGE_WAITING && d->ready_at <= now &&
         hw_time_local_date(d->ready_at) == hw_time_local_date(now);
}

/* Try a waiting request again; it is recorded (offered) only when it now starts
 * today - otherwise nothing is stored and the morning round takes it up. */
static int upgrade_one(hw_service *svc, hw_change *c, hw_discharge *d, hw_d2a_offer *of, int32_t *upgraded) {
  hw_client client;
  int own;
  int rc = hw_store_get_client(svc->st, d->client_id, &client);
  if (rc == 0) rc = find_offer(svc, c, d, &client, of);
  if (rc || !of->found || of->start_date != hw_time_local_date(c->now)) return rc;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_end(svc->st, own, record_offer(svc, c, d, client.locality_id, of));
  if (rc) hw_service_forget(svc);
  *upgraded += rc == 0;
  return rc;
}

/* Waiting requests tried again per sweep: the sweep runs on the writer, and each
 * try is an offer search, so a long waiting list is taken in turns (after the
 * last one tried, wrapping round) rather than all at once. */
#define SWEEP_RETRIES 8

/* Index of the first waiting-for-today request after id `after` (wrapping), or -1. */
static int32_t first_retry(const hw_discharge *ds, int32_t n, hw_id after, hw_time now) {
  int32_t wrap = -1;
  for (int32_t i = 0; i < n; i++) {
    if (!waiting_for_today(&ds[i], now)) continue;
    if (ds[i].id > after) return i;
    if (wrap < 0) wrap = i;
  }
  return wrap;
}

static int retry_waiting(hw_service *svc, hw_change *c, hw_discharge *ds, int32_t n, hw_d2a_offer *of,
                         int32_t *upgraded) {
  int32_t start = first_retry(ds, n, svc->sweep_after, c->now);
  int rc = 0;
  for (int32_t i = start, tried = 0; rc == 0 && i >= 0 && tried < SWEEP_RETRIES; tried++) {
    svc->sweep_after = ds[i].id;
    rc = upgrade_one(svc, c, &ds[i], of, upgraded);
    i = first_retry(ds, n, ds[i].id, c->now);
    if (i == start) break; /* round the whole list */
  }
  return rc;
}

int hw_service_offer_sweep(hw_service *svc, hw_change *c, int32_t *offered, int32_t *upgraded) {
  *offered = *upgraded = 0;
  hw_discharge *ds = NULL;
  int32_t n = 0;
  int rc = hw_store_list_discharges(svc->st, -1, &ds, &n);
  hw_discharge_result *res = rc == 0 ? malloc(sizeof *res) : NULL;
  if (rc == 0 && n && !res) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < n; i++)
    if (ds[i].status == HW_DISCHARGE_REQUESTED && ds[i].ready_at <= c->now) {
      rc = hw_service_discharge_offer(svc, c, ds[i].id, res);
      *offered += rc == 0;
    }
  if (rc == 0 && res) rc = retry_waiting(svc, c, ds, n, &res->offer, upgraded);
  free(res);
  free(ds);
  return rc;
}

/* ---- Acceptance --------------------------------------------------------------------- */

typedef struct accept_ctx {
  hw_service *svc;
  hw_discharge_result *out;
  hw_locday loc;
  hw_time now;
} accept_ctx;

/* Move the existing visits the offer moved (the retime and reassign levers): a
 * new start inside the visit's own window, perhaps on another worker; both
 * workers' rosters are rewritten. */
static int apply_moves(hw_store *st, const hw_d2a_offer *of, hw__worker_days *touched, hw_records *rec) {
  for (int32_t i = 0; i < of->n_moved; i++) {
    const hw_d2a_move *m = &of->moved[i];
    hw_visit v;
    int rc = hw_store_get_visit(st, m->visit_id, &v);
    if (rc < 0) return rc;
    if (m->planned_start < v.window_start || m->planned_start > v.window_end) return HW_EINTERNAL;
    rc = hw__worker_days_add(touched, v.worker_ids[0], v.date); /* the roster it leaves */
    v.planned_start = m->planned_start;
    v.worker_ids[0] = m->worker_id;
    if (rc == 0) rc = hw_store_update_visit(st, &v);
    if (rc == 0) rc = hw_records_add_visit(rec, &v);
    if (rc == 0) rc = hw__worker_days_add(touched, v.worker_ids[0], v.date);
    if (rc < 0) return rc;
  }
  return 0;
}

static int accept_tx(hw_store *st, void *vctx, hw_records *rec) {
  accept_ctx *x = vctx;
  hw_discharge_result *out = x->out;
  hw_d2a_offer *of = &out->offer;
  hw_referral *r = &out->referral;
  memset(r, 0, sizeof *r);
  r->client_id = out->discharge.client_id;
  r->source = HW_SOURCE_HOSPITAL;
  r->pathway = HW_PATHWAY_REABLEMENT;
  r->status = HW_REFERRAL_ALLOCATED;
  const hw_worker *w = hw_locday_worker(&x->loc, of->visits[0].worker_ids[0]);
  r->team_id = w ? w->team_id : 0;
  r->received_at = x->now;
  r->start_date = of->start_date;
  r->end_date = HW_DATE_NONE;
  r->earliest = 0;
  r->n_templates = out->discharge.n_templates;
  memcpy(r->templates, out->discharge.templates, sizeof r->templates);
  int rc = hw_store_insert_referral(st, r);
  if (rc == 0) rc = hw_records_add_referral(rec, r);
  hw__worker_days touched = {0};
  for (int32_t i = 0; rc == 0 && i < of->n_visits; i++) {
    hw_visit *v = &of->visits[i];
    v->referral_id = r->id;
    rc = hw_store_insert_visit(st, v);
    if (rc == 0) rc = hw_records_add_visit(rec, v);
    out->visit_ids[out->n_visit_ids++] = v->id;
    for (int k = 0; k < 2 && rc == 0; k++) rc = hw__worker_days_add(&touched, v->worker_ids[k], v->date);
  }
  if (rc == 0) rc = apply_moves(st, of, &touched, rec);
  if (rc == 0) rc = hw__worker_days_rewrite(&touched, &x->loc, rec);
  hw__worker_days_free(&touched);
  if (rc == 0) {
    hw_discharge *d = &out->discharge;
    d->status = HW_DISCHARGE_ACCEPTED;
    d->referral_id = r->id;
    d->offered_start = of->first_visit;
    d->earliest = HW_DATE_NONE;
    rc = hw_store_update_discharge(st, d);
    if (rc == 0) rc = hw_records_add_discharge(rec, d);
  }
  return rc;
}

int hw_service_discharge_accept(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_discharge *d = &out->discharge;
  int rc = hw__svc_scoped_discharge(svc->st, c->scope, id, d, &client);
  if (rc) return rc;
  if (d->status != HW_DISCHARGE_OFFERED && !(d->status == HW_DISCHARGE_WAITING && d->earliest != HW_DATE_NONE))
    return hw__svc_reject(c, HW_ECONFLICT, "/status",
                          "only an offered request (or one waiting with a date) can be accepted (it is %s)",
                          hw_discharge_status_name(d->status));
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  accept_ctx x = {svc, out, {0}, c->now};
  rc = find_offer(svc, c, d, &client, &out->offer);
  if (rc == 0 && (!out->offer.found || out->offer.n_visits == 0))
    rc = hw__svc_reject(c, HW_ECONFLICT, "", "the offer is no longer possible: the rosters have changed; ask again");
  if (rc == 0) rc = hw_locday_load(svc->st, client.locality_id, &x.loc);
  if (rc == 0 && out->offer.tier == 2 && (rc = hw_locday_load_near(&x.loc))) hw_locday_free(&x.loc);
  if (rc == 0) {
    out->has_offer = 1;
    rc = hw__svc_apply(svc->st, c, "discharge.accepted", client.locality_id, accept_tx, &x);
    hw_locday_free(&x.loc);
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Discharged and cancelled ---------------------------------------------------- */

static int update_tx(hw_store *st, void *vctx, hw_records *rec) {
  hw_discharge *d = vctx;
  int rc = hw_store_update_discharge(st, d);
  return rc ? rc : hw_records_add_discharge(rec, d);
}

int hw_service_discharge_discharged(hw_service *svc, hw_change *c, hw_id id, hw_time at, hw_discharge_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_discharge *d = &out->discharge;
  int rc = hw__svc_scoped_discharge(svc->st, c->scope, id, d, &client);
  if (rc) return rc;
  if (d->status != HW_DISCHARGE_ACCEPTED && d->status != HW_DISCHARGE_OFFERED)
    return hw__svc_reject(c, HW_ECONFLICT, "/status", "only an offered or accepted request can be discharged (it is %s)",
                          hw_discharge_status_name(d->status));
  if (at < d->ready_at) return hw__svc_reject(c, HW_EINVAL, "/at", "must not be before ready_at");
  d->status = HW_DISCHARGE_DISCHARGED;
  d->discharged_at = at;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "discharge.discharged", client.locality_id, update_tx, d);
  return hw__svc_end(svc->st, own, rc);
}

typedef struct cancel_ctx {
  hw_discharge *d;
  hw_locday loc;
  hw_time now;
} cancel_ctx;

/* Cancel the referral of an accepted request and its visits not yet done. */
static int cancel_tx(hw_store *st, void *vctx, hw_records *rec) {
  cancel_ctx *x = vctx;
  int rc = 0;
  if (x->d->status == HW_DISCHARGE_ACCEPTED && x->d->referral_id) {
    hw_referral r;
    rc = hw_store_get_referral(st, x->d->referral_id, &r);
    if (rc == 0) {
      r.status = HW_REFERRAL_CANCELLED;
      rc = hw_store_update_referral(st, &r);
    }
    if (rc == 0) rc = hw_records_add_referral(rec, &r);
    int32_t n = 0;
    hw_date today = hw_time_local_date(x->now);
    if (rc == 0) rc = hw__svc_cancel_visits(st, &x->loc, r.id, today, today + 3660, x->now, HW_CANCEL_DISCHARGE, rec, &n);
  }
  x->d->status = HW_DISCHARGE_CANCELLED;
  return rc ? rc : update_tx(st, x->d, rec);
}

int hw_service_discharge_cancel(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_discharge *d = &out->discharge;
  int rc = hw__svc_scoped_discharge(svc->st, c->scope, id, d, &client);
  if (rc) return rc;
  if (d->status == HW_DISCHARGE_DISCHARGED || d->status == HW_DISCHARGE_CANCELLED)
    return hw__svc_reject(c, HW_ECONFLICT, "/status",
                          d->status == HW_DISCHARGE_CANCELLED ? "the request is already cancelled"
                                                              : "the person has been discharged; it cannot be cancelled");
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  cancel_ctx x = {d, {0}, c->now};
  rc = hw_locday_load(svc->st, client.locality_id, &x.loc);
  if (rc == 0) {
    rc = hw__svc_apply(svc->st, c, "discharge.cancelled", client.locality_id, cancel_tx, &x);
    hw_locday_free(&x.loc);
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}
