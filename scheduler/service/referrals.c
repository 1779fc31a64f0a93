/*
 * Referrals (hw_service.h): a new referral, a change to one (a change of need),
 * and a CSV import of many. Policy (DESIGN.md): every new referral and every
 * change of need goes through reablement first - intensive instead when the
 * plan needs complex-care or end-of-life skills - and is allocated on arrival
 * when a team has room (allocation.c), else it waits. An allocated referral gets
 * its visits over the planning horizon at once, and today's and tomorrow's
 * published rosters take the ones that fall on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* The pathway a new referral or change of need starts on. */
static hw_pathway first_pathway(const hw_referral *r) {
  uint32_t specialist = (1u << HW_SKILL_COMPLEX_CARE) | (1u << HW_SKILL_END_OF_LIFE);
  for (int32_t i = 0; i < r->n_templates; i++)
    if (r->templates[i].skills & specialist) return HW_PATHWAY_INTENSIVE;
  return HW_PATHWAY_REABLEMENT;
}

static int check_dates(const hw_service *svc, hw_change *c, const hw_referral *r) {
  int rc = hw_service_check_date(&svc->set, c->now, r->start_date, "/start_date", c->errs);
  if (r->end_date != HW_DATE_NONE) {
    if (hw_service_check_date(&svc->set, c->now, r->end_date, "/end_date", c->errs)) rc = HW_EINVAL;
    else if (r->end_date < r->start_date) rc = hw__svc_reject(c, HW_EINVAL, "/end_date", "must not be before start_date");
    /* A start in the past becomes today; care that ended before then has nothing left to give. */
    else if (r->end_date < hw_time_local_date(c->now)) rc = hw__svc_reject(c, HW_EINVAL, "/end_date", "is already past");
  }
  return rc;
}

/* Store the inline new client (scope, CHI unique), or check the given one. */
static int client_of(hw_store *st, hw_change *c, hw_referral *r, const hw_client *client_new, hw_client *out,
                     hw_records *rec) {
  if (!client_new) {
    int rc = hw__svc_client_in_scope(st, c->scope, r->client_id, out);
    if (rc == HW_ENOTFOUND) return hw__svc_reject(c, HW_EINVAL, "/client_id", "no client %lld", (long long)r->client_id);
    return rc;
  }
  *out = *client_new;
  out->id = 0;
  if (!hw_scope_allows(c->scope, out->locality_id)) return HW_EFORBIDDEN;
  hw_id other = 0;
  int rc = out->chi[0] ? hw_store_find_client_by_chi(st, out->chi, &other) : HW_ENOTFOUND;
  if (rc == 0)
    return hw__svc_reject(c, HW_ECONFLICT, "/client/chi", "CHI number already held by client %lld", (long long)other);
  if (rc != HW_ENOTFOUND) return rc;
  rc = hw_store_insert_client(st, out);
  if (rc) return hw__svc_reject(c, rc, "/client", "%s", hw_store_errmsg(st));
  r->client_id = out->id;
  return hw_records_add_client(rec, out);
}

/* The visits of an allocated referral over the horizon; those of today and
 * tomorrow are kept in *placed for the repair that fits them in. */
static int visits_ahead(hw_store *st, const hw_service_settings *s, hw_change *c, const hw_referral *r,
                        const hw_client *client, hw_records *rec, int32_t *created) {
  hw_date today = hw_time_local_date(c->now);
  hw_date from = r->start_date > today ? r->start_date : today;
  return hw__svc_generate_visits(st, s, r, client, from, today + s->horizon_days, c->now, rec, created);
}

typedef struct create_ctx {
  hw_service *svc;
  hw_change *c;
  const hw_client *client_new;
  hw_referral_result *out;
  int32_t first_visit;          /* where this referral's visits start in the records */
  hw_visit *visits;             /* a copy of them, for the repair */
  int32_t n_visits;
} create_ctx;

static int copy_visits(create_ctx *x, const hw_records *rec) {
  x->n_visits = rec->n_visits - x->first_visit;
  if (x->n_visits <= 0) return 0;
  x->visits = malloc((size_t)x->n_visits * sizeof *x->visits);
  if (!x->visits) return HW_ENOMEM;
  memcpy(x->visits, rec->visits + x->first_visit, (size_t)x->n_visits * sizeof *x->visits);
  return 0;
}

static int create_tx(hw_store *st, void *vctx, hw_records *rec) {
  create_ctx *x = vctx;
  hw_referral *r = &x->out->referral;
  hw_client *client = &x->out->client;
  int rc = client_of(st, x->c, r, x->client_new, client, rec);
  if (rc) return rc;
  r->id = 0;
  r->pathway = first_pathway(r);
  r->outcome = HW_OUTCOME_NONE;
  r->received_at = x->c->now;
  rc = hw__svc_allocate_one(st, &x->svc->set, r, client, x->c->now);
  if (rc == 0) rc = hw_store_insert_referral(st, r);
  if (rc == 0) rc = hw_records_add_referral(rec, r);
  x->first_visit = rec->n_visits;
  if (rc == 0) rc = visits_ahead(st, &x->svc->set, x->c, r, client, rec, &x->out->visits_created);
  if (rc == 0) rc = copy_visits(x, rec);
  if (rc == 0 && r->status == HW_REFERRAL_WAITING) hw_records_note(rec, "%s", r->waiting_reason);
  if (!x->client_new) memset(client, 0, sizeof *client);
  return rc;
}

/* One referral inside an open group. */
static int create_one(hw_service *svc, hw_change *c, const hw_referral *r, const hw_client *client_new,
                      hw_referral_result *out) {
  memset(out, 0, sizeof *out);
  out->referral = *r;
  int rc = check_dates(svc, c, r);
  if (rc) return rc;
  hw_id locality = 0;
  if ((rc = hw__svc_event_locality(svc->st, r->client_id, client_new, &locality))) return rc;
  create_ctx x = {svc, c, client_new, out, 0, NULL, 0};
  rc = hw__svc_apply(svc->st, c, "referral.created", locality, create_tx, &x);
  if (rc == 0 && x.n_visits) rc = hw__svc_place_new_visits(svc->st, c, locality, x.visits, x.n_visits, &out->repair);
  free(x.visits);
  return rc;
}

int hw_service_referral_create(hw_service *svc, hw_change *c, const hw_referral *r, const hw_client *client_new,
                               hw_referral_result *out) {
  int own;
  int rc = hw__svc_begin(svc->st, &own);
  if (rc) return rc;
  rc = hw__svc_end(svc->st, own, create_one(svc, c, r, client_new, out));
  if (rc) hw_service_forget(svc);
  return rc;
}

int hw_service_referral_import(hw_service *svc, hw_change *c, const hw_referral *rs, int32_t n,
                               hw_referral_result *out) {
  int own;
  int rc = hw__svc_begin(svc->st, &own);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    rc = create_one(svc, c, &rs[i], NULL, &out[i]);
    if (rc && c->errs && c->errs->n) { /* name the row the problem came from */
      hw_field_error *e = &c->errs->e[c->errs->n - 1];
      char prefix[32];
      int np = snprintf(prefix, sizeof prefix, "/rows/%d", (int)i);
      size_t keep = sizeof e->path - 1 - (size_t)np; /* a path longer than that is cut, never overrun */
      size_t len = strnlen(e->path, keep);
      memmove(e->path + np, e->path, len);
      memcpy(e->path, prefix, (size_t)np);
      e->path[np + len] = '\0';
    }
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Changes --------------------------------------------------------------------- */

typedef struct change_ctx {
  hw_service *svc;
  hw_change *c;
  const hw_referral_patch *p;
  hw_referral_result *out;
  hw_client client;
  hw_visit *visits;
  int32_t n_visits;
} change_ctx;

/* Cancel the referral's visits from today that are no longer in its plan or its
 * dates (all of them after a new care plan). */
static int cancel_outside(change_ctx *x, hw_locday *l, hw_records *rec) {
  const hw_referral *r = &x->out->referral;
  hw_date today = hw_time_local_date(x->c->now);
  int32_t *n = &x->out->visits_cancelled;
  if (x->p->set_care_plan)
    return hw__svc_cancel_visits(x->svc->st, l, r->id, today, today + 3660, x->c->now, HW_CANCEL_PLAN_CHANGED, rec, n);
  int rc = 0;
  if (r->start_date > today)
    rc = hw__svc_cancel_visits(x->svc->st, l, r->id, today, r->start_date - 1, x->c->now, HW_CANCEL_PLAN_CHANGED, rec, n);
  if (rc == 0 && r->end_date != HW_DATE_NONE)
    rc = hw__svc_cancel_visits(x->svc->st, l, r->id, r->end_date + 1, today + 3660, x->c->now, HW_CANCEL_PLAN_CHANGED, rec, n);
  return rc;
}

static int change_tx(hw_store *st, void *vctx, hw_records *rec) {
  change_ctx *x = vctx;
  hw_referral *r = &x->out->referral;
  const hw_referral_patch *p = x->p;
  if (p->set_care_plan) {
    r->n_templates = p->n_templates;
    memcpy(r->templates, p->templates, sizeof r->templates);
    /* A change of need re-enters reablement and is allocated again; its own
     * load must not count against the team while that is decided. */
    r->source = HW_SOURCE_CHANGE_OF_NEED;
    r->pathway = first_pathway(r);
    r->status = HW_REFERRAL_WAITING;
    r->team_id = 0;
    r->outcome = HW_OUTCOME_NONE;
    int rc = hw_store_update_referral(st, r);
    if (rc == 0) rc = hw__svc_allocate_one(st, &x->svc->set, r, &x->client, x->c->now);
    if (rc) return rc;
  }
  hw_locday l;
  int rc = hw_store_update_referral(st, r);
  if (rc == 0) rc = hw_records_add_referral(rec, r);
  if (rc == 0) rc = hw_locday_load(st, x->client.locality_id, &l);
  if (rc) return rc;
  rc = cancel_outside(x, &l, rec);
  hw_locday_free(&l);
  int32_t first = rec->n_visits;
  if (rc == 0) rc = visits_ahead(st, &x->svc->set, x->c, r, &x->client, rec, &x->out->visits_created);
  x->n_visits = rec->n_visits - first;
  if (rc == 0 && x->n_visits > 0) {
    x->visits = malloc((size_t)x->n_visits * sizeof *x->visits);
    if (!x->visits) return HW_ENOMEM;
    memcpy(x->visits, rec->visits + first, (size_t)x->n_visits * sizeof *x->visits);
  }
  if (rc == 0 && r->status == HW_REFERRAL_WAITING) hw_records_note(rec, "%s", r->waiting_reason);
  return rc;
}

static int apply_patch(hw_service *svc, hw_change *c, hw_referral *r, const hw_referral_patch *p) {
  if (r->status == HW_REFERRAL_CANCELLED || r->status == HW_REFERRAL_ENDED)
    return hw__svc_reject(c, HW_ECONFLICT, "/status", "the referral has %s; make a new referral",
                          r->status == HW_REFERRAL_ENDED ? "ended" : "been cancelled");
  if (p->set_start) r->start_date = p->start_date;
  if (p->set_end) r->end_date = p->end_date;
  if (p->set_start && hw_service_check_date(&svc->set, c->now, r->start_date, "/start_date", c->errs)) return HW_EINVAL;
  if (p->set_end && r->end_date != HW_DATE_NONE &&
      hw_service_check_date(&svc->set, c->now, r->end_date, "/end_date", c->errs))
    return HW_EINVAL;
  if (r->end_date != HW_DATE_NONE && r->end_date < r->start_date)
    return hw__svc_reject(c, HW_EINVAL, "/end_date", "must not be before start_date");
  return 0;
}

int hw_service_referral_change(hw_service *svc, hw_change *c, hw_id id, const hw_referral_patch *p,
                               hw_referral_result *out) {
  memset(out, 0, sizeof *out);
  change_ctx x = {svc, c, p, out, {0}, NULL, 0};
  int rc = hw_store_get_referral(svc->st, id, &out->referral);
  if (rc == 0) rc = hw__svc_client_in_scope(svc->st, c->scope, out->referral.client_id, &x.client);
  if (rc == 0) rc = apply_patch(svc, c, &out->referral, p);
  if (rc) return rc;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "referral.changed", x.client.locality_id, change_tx, &x);
  if (rc == 0 && x.n_visits)
    rc = hw__svc_place_new_visits(svc->st, c, x.client.locality_id, x.visits, x.n_visits, &out->repair);
  free(x.visits);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}
