/*
 * A coordinator's edits to visits and a worker's check-ins (hw_service.h): an
 * urgent visit repaired in at once; pin, unpin, move or cancel one visit; check
 * in and out (a late check-out repairs the rest of the worker's day); suspend a
 * client's visits (a hospital admission) and resume them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* A check-in or check-out may be stamped at most this far ahead of the clock. */
#define CLOCK_SKEW_S 300
/* A visit longer than this between check-in and check-out is a forgotten check-out. */
#define MAX_VISIT_S (12 * 3600)

static int started(const hw_visit *v) {
  return v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE;
}

/* The visit within the caller's reach: its client's locality in scope, and for a
 * worker's own token, a visit of theirs. */
static int scoped_visit(hw_store *st, const hw_scope *scope, hw_id id, hw_visit *v, hw_client *client) {
  int rc = hw_store_get_visit(st, id, v);
  if (rc == 0) rc = hw__svc_client_in_scope(st, scope, v->client_id, client);
  if (rc == 0 && scope && scope->worker && v->worker_ids[0] != scope->worker && v->worker_ids[1] != scope->worker)
    rc = HW_EFORBIDDEN;
  return rc;
}

static int store_visit_tx(hw_store *st, void *vctx, hw_records *rec) {
  hw_visit *v = vctx;
  int rc = v->id ? hw_store_update_visit(st, v) : hw_store_insert_visit(st, v);
  return rc ? rc : hw_records_add_visit(rec, v);
}

/* ---- An extra (urgent) visit --------------------------------------------------------- */

static int check_new_visit(hw_service *svc, hw_change *c, const hw_visit *v, const hw_client *client) {
  int rc = hw_service_check_date(&svc->set, c->now, v->date, "/date", c->errs);
  if (hw_time_local_date(v->window_start) != v->date)
    rc = hw__svc_reject(c, HW_EINVAL, "/window/start", "must be on the visit's date");
  if (v->window_end <= v->window_start) rc = hw__svc_reject(c, HW_EINVAL, "/window/end", "must be after start");
  if (v->window_end < c->now) rc = hw__svc_reject(c, HW_EINVAL, "/window/end", "is already past");
  if (v->window_end > v->window_start && (int64_t)v->duration * 60 > v->window_end - v->window_start)
    rc = hw__svc_reject(c, HW_EINVAL, "/duration", "must fit in the window (%lld minutes)",
                        (long long)((v->window_end - v->window_start) / 60));
  if (v->referral_id) {
    hw_referral r;
    int got = hw_store_get_referral(svc->st, v->referral_id, &r);
    if (got != 0 && got != HW_ENOTFOUND) return got;
    if (got == HW_ENOTFOUND || r.client_id != client->id)
      rc = hw__svc_reject(c, HW_EINVAL, "/referral_id", "no referral %lld of this client", (long long)v->referral_id);
  }
  return rc;
}

int hw_service_visit_create(hw_service *svc, hw_change *c, const hw_visit *v, hw_visit_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  int rc = hw__svc_client_in_scope(svc->st, c->scope, v->client_id, &client);
  if (rc == HW_ENOTFOUND) return hw__svc_reject(c, HW_EINVAL, "/client_id", "no client %lld", (long long)v->client_id);
  if (rc == 0) rc = check_new_visit(svc, c, v, &client);
  if (rc) return rc;
  hw_visit *nv = &out->visit;
  *nv = *v;
  nv->id = 0;
  nv->status = HW_VISIT_PLANNED;
  nv->worker_ids[0] = nv->worker_ids[1] = 0;
  nv->planned_start = nv->check_in = nv->check_out = HW_TIME_NONE;
  nv->pinned = 0;
  nv->cancel_reason[0] = nv->unplaced_reason[0] = '\0';
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "visit.created", client.locality_id, store_visit_tx, nv);
  int published = rc == 0 ? hw__svc_day_published(svc->st, client.locality_id, nv->date) : 0;
  if (published < 0) rc = published;
  if (published > 0) {
    hw_repair_trigger t = {.kind = HW_REPAIR_INSERT, .label = "urgent", .visit_ids = &nv->id, .n_visits = 1};
    rc = hw__svc_repair(svc->st, c, client.locality_id, nv->date, &t, &out->repair);
    if (rc == 0) rc = hw_store_get_visit(svc->st, nv->id, nv);
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Pin, move, cancel ------------------------------------------------------------- */

typedef struct cancel_one_ctx {
  hw_visit *v;
  hw_locday loc;
} cancel_one_ctx;

static int cancel_one_tx(hw_store *st, void *vctx, hw_records *rec) {
  cancel_one_ctx *x = vctx;
  hw_id workers[2] = {x->v->worker_ids[0], x->v->worker_ids[1]};
  x->v->status = HW_VISIT_CANCELLED;
  x->v->worker_ids[0] = x->v->worker_ids[1] = 0;
  x->v->planned_start = HW_TIME_NONE;
  x->v->pinned = 0;
  snprintf(x->v->cancel_reason, sizeof x->v->cancel_reason, "%s", HW_CANCEL_BY_HAND);
  int rc = store_visit_tx(st, x->v, rec);
  for (int k = 0; rc == 0 && k < 2; k++)
    if (workers[k]) rc = hw_locday_rewrite_rosters(&x->loc, x->v->date, &workers[k], 1, rec);
  return rc;
}

/* A move: which workers and start the visit goes to (unchanged parts kept). */
static int move_target(hw_change *c, const hw_visit *v, const hw_visit_patch *p, hw_id workers[2], hw_time *start) {
  workers[0] = p->set_workers ? p->worker_ids[0] : v->worker_ids[0];
  workers[1] = p->set_workers ? p->worker_ids[1] : v->worker_ids[1];
  *start = p->set_start ? p->planned_start : v->planned_start != HW_TIME_NONE ? v->planned_start : v->window_start;
  if (!workers[0]) return hw__svc_reject(c, HW_EINVAL, "/worker_ids", "the visit has no worker yet: give worker_ids");
  if (v->workers == 2 && !workers[1])
    return hw__svc_reject(c, HW_EINVAL, "/worker_ids", "a double-handed visit needs two workers");
  if (v->workers == 1 && workers[1]) return hw__svc_reject(c, HW_EINVAL, "/worker_ids", "the visit needs one worker");
  if (*start < v->window_start || *start > v->window_end)
    return hw__svc_reject(c, HW_EINVAL, "/planned_start", "must be within the visit's window");
  return 0;
}

/* The workers must be of the visit's locality. A store that fails to say is the
 * server's error, not a worker missing: the request may be retried. */
static int check_workers(hw_store *st, hw_change *c, const hw_id workers[2], hw_id locality) {
  for (int k = 0; k < 2; k++) {
    if (!workers[k]) continue;
    hw_id loc = 0;
    int rc = hw__svc_worker_locality(st, workers[k], &loc);
    if (rc && rc != HW_ENOTFOUND) return rc;
    if (rc || loc != locality)
      return hw__svc_reject(c, HW_EINVAL, k ? "/worker_ids/1" : "/worker_ids/0", "no worker %lld in the visit's locality",
                            (long long)workers[k]);
  }
  return 0;
}

int hw_service_visit_change(hw_service *svc, hw_change *c, hw_id id, const hw_visit_patch *p, hw_visit_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_visit *v = &out->visit;
  int rc = scoped_visit(svc->st, c->scope, id, v, &client);
  if (rc) return rc;
  if (started(v) || v->status == HW_VISIT_CANCELLED || v->status == HW_VISIT_MISSED)
    return hw__svc_reject(c, HW_ECONFLICT, "/status", "the visit is %s; it can no longer be changed",
                          hw_visit_status_name(v->status));
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  if (p->cancel) {
    cancel_one_ctx x = {v, {0}};
    rc = hw_locday_load(svc->st, client.locality_id, &x.loc);
    if (rc == 0) rc = hw__svc_apply(svc->st, c, "visit.cancelled", client.locality_id, cancel_one_tx, &x);
    hw_locday_free(&x.loc);
  } else if (p->set_workers || p->set_start) {
    hw_repair_trigger t = {.kind = HW_REPAIR_MOVE, .label = "move", .move_visit_id = v->id};
    rc = move_target(c, v, p, t.move_workers, &t.move_start);
    if (rc == 0) rc = check_workers(svc->st, c, t.move_workers, client.locality_id);
    if (rc == 0) rc = hw__svc_repair(svc->st, c, client.locality_id, v->date, &t, &out->repair);
    if (rc == 0 && p->set_pinned && !p->pinned) { /* moved, then left free to move again */
      rc = hw_store_get_visit(svc->st, id, v);
      v->pinned = 0;
      if (rc == 0) rc = hw__svc_apply(svc->st, c, "visit.changed", client.locality_id, store_visit_tx, v);
    }
  } else if (p->set_pinned) {
    if (p->pinned && (!v->worker_ids[0] || v->planned_start == HW_TIME_NONE))
      rc = hw__svc_reject(c, HW_ECONFLICT, "/pinned", "the visit is not rostered: give worker_ids and planned_start");
    v->pinned = p->pinned;
    if (rc == 0) rc = hw__svc_apply(svc->st, c, "visit.changed", client.locality_id, store_visit_tx, v);
  } else {
    rc = hw__svc_reject(c, HW_EINVAL, "", "nothing to change");
  }
  if (rc == 0) rc = hw_store_get_visit(svc->st, id, v);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Check-in and check-out ---------------------------------------------------------- */

static int check_stamp(hw_change *c, hw_time at) {
  if (at > c->now + CLOCK_SKEW_S)
    return hw__svc_reject(c, HW_EINVAL, "/at", "must not be more than %d minutes ahead of now", CLOCK_SKEW_S / 60);
  return 0;
}

int hw_service_check_in(hw_service *svc, hw_change *c, hw_id visit_id, hw_time at, hw_visit_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_visit *v = &out->visit;
  int rc = scoped_visit(svc->st, c->scope, visit_id, v, &client);
  if (rc == 0) rc = check_stamp(c, at);
  if (rc) return rc;
  if (v->status != HW_VISIT_PLANNED && v->status != HW_VISIT_ASSIGNED)
    return hw__svc_reject(c, HW_ECONFLICT, "", "cannot check in: the visit is %s", hw_visit_status_name(v->status));
  if (hw_time_local_date(at) != v->date) return hw__svc_reject(c, HW_EINVAL, "/at", "must be on the day of the visit");
  v->check_in = at;
  v->status = HW_VISIT_IN_PROGRESS;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "visit.checked_in", client.locality_id, store_visit_tx, v);
  return hw__svc_end(svc->st, own, rc);
}

int hw_service_check_out(hw_service *svc, hw_change *c, hw_id visit_id, hw_time at, hw_visit_result *out) {
  memset(out, 0, sizeof *out);
  hw_client client;
  hw_visit *v = &out->visit;
  int rc = scoped_visit(svc->st, c->scope, visit_id, v, &client);
  if (rc == 0) rc = check_stamp(c, at);
  if (rc) return rc;
  if (v->status != HW_VISIT_IN_PROGRESS)
    return hw__svc_reject(c, HW_ECONFLICT, "", "cannot check out: the visit is %s (check in first)",
                          hw_visit_status_name(v->status));
  if (at < v->check_in) return hw__svc_reject(c, HW_EINVAL, "/at", "must not be before the check-in");
  if (at - v->check_in > MAX_VISIT_S) return hw__svc_reject(c, HW_EINVAL, "/at", "is more than 12 hours after the check-in");
  v->check_out = at;
  v->status = HW_VISIT_DONE;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "visit.checked_out", client.locality_id, store_visit_tx, v);
  int late = v->planned_start != HW_TIME_NONE && v->worker_ids[0] && at > v->planned_start + (hw_time)v->duration * 60;
  if (rc == 0 && late) {
    hw_repair_trigger t = {.kind = HW_REPAIR_LATE, .late_visit_id = v->id, .late_until = at};
    rc = hw__svc_repair(svc->st, c, client.locality_id, v->date, &t, &out->repair);
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Suspend and resume a client ------------------------------------------------------ */

typedef struct suspend_ctx {
  hw_service *svc;
  hw_change *c;
  hw_suspend_result *out;
  hw_time from, until;         /* suspend: the period; resume: from = at */
  int resume;
  hw_visit *back;              /* resume: visits restored for today and tomorrow */
  int32_t n_back;
} suspend_ctx;

/* 1 when the visit would take place (at its planned start, else anywhere in its
 * window) at least partly inside the period. */
static int in_period(const suspend_ctx *x, const hw_visit *v) {
  hw_time start = v->planned_start != HW_TIME_NONE ? v->planned_start : v->window_start;
  hw_time latest = v->planned_start != HW_TIME_NONE ? v->planned_start : v->window_end;
  hw_time end = latest + (hw_time)v->duration * 60;
  return end > x->from && (x->until == HW_TIME_NONE || start < x->until);
}

/* Suspend: take the period's visits off; resume: bring back the suspended ones. */
static int flip_visits(suspend_ctx *x, hw_store *st, hw_locday *l, hw_records *rec) {
  hw_date from = hw_time_local_date(x->from);
  hw_visit *vs = NULL;
  int32_t n = 0;
  hw__worker_days touched = {0};
  int rc = hw_store_list_client_visits(st, x->out->client.id, from, from + 3660, &vs, &n);
  if (rc == 0 && x->resume && !(x->back = malloc(((size_t)n + 1) * sizeof *x->back))) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_visit *v = &vs[i];
    if (x->resume) {
      if (v->status != HW_VISIT_CANCELLED || strcmp(v->cancel_reason, HW_CANCEL_SUSPENDED) || v->window_end < x->from)
        continue;
      v->status = HW_VISIT_PLANNED;
      v->pinned = 0; /* back without a worker: planning places it */
      v->cancel_reason[0] = '\0';
      if (v->date <= hw_time_local_date(x->c->now) + 1) x->back[x->n_back++] = *v;
    } else {
      if (!in_period(x, v) || started(v) || v->status == HW_VISIT_CANCELLED || v->status == HW_VISIT_MISSED) continue;
      for (int k = 0; k < 2 && rc == 0; k++) rc = hw__worker_days_add(&touched, v->worker_ids[k], v->date);
      if (rc) break;
      v->status = HW_VISIT_CANCELLED;
      v->pinned = 0;
      v->worker_ids[0] = v->worker_ids[1] = 0;
      v->planned_start = HW_TIME_NONE;
      snprintf(v->cancel_reason, sizeof v->cancel_reason, "%s", HW_CANCEL_SUSPENDED);
    }
    rc = hw_store_update_visit(st, v);
    if (rc == 0) rc = hw_records_add_visit(rec, v);
    x->out->visits_changed += rc == 0;
  }
  if (rc == 0) rc = hw__worker_days_rewrite(&touched, l, rec);
  hw__worker_days_free(&touched);
  free(vs);
  return rc;
}

/* Resume: the visits of the days not generated while suspended. */
static int generate_missing(suspend_ctx *x, hw_store *st, hw_records *rec) {
  hw_referral *rs = NULL;
  int32_t n = 0;
  hw_date today = hw_time_local_date(x->c->now);
  int rc = hw_store_list_referrals(st, x->out->client.id, &rs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    int32_t made = 0, first = rec->n_visits;
    rc = hw__svc_generate_visits(st, &x->svc->set, &rs[i], &x->out->client, today, today + x->svc->set.horizon_days,
                                 x->from, rec, &made);
    for (int32_t k = first; rc == 0 && k < rec->n_visits; k++)
      if (rec->visits[k].date <= today + 1) {
        hw_visit *g = realloc(x->back, ((size_t)x->n_back + 1) * sizeof *g);
        if (!g) rc = HW_ENOMEM;
        else (x->back = g)[x->n_back++] = rec->visits[k];
      }
    x->out->visits_changed += made;
  }
  free(rs);
  return rc;
}

static int suspend_tx(hw_store *st, void *vctx, hw_records *rec) {
  suspend_ctx *x = vctx;
  hw_client *cl = &x->out->client;
  hw_locday l;
  int rc = hw_store_update_client(st, cl);
  if (rc == 0) rc = hw_records_add_client(rec, cl);
  if (rc == 0) rc = hw_locday_load(st, cl->locality_id, &l);
  if (rc) return rc;
  rc = flip_visits(x, st, &l, rec);
  hw_locday_free(&l);
  if (rc == 0 && x->resume) rc = generate_missing(x, st, rec);
  return rc;
}

static int run_suspension(hw_service *svc, hw_change *c, suspend_ctx *x, const char *type) {
  int own;
  int rc = hw__svc_begin(svc->st, &own);
  if (rc) return rc;
  rc = hw__svc_apply(svc->st, c, type, x->out->client.locality_id, suspend_tx, x);
  if (rc == 0 && x->n_back)
    rc = hw__svc_place_new_visits(svc->st, c, x->out->client.locality_id, x->back, x->n_back, &x->out->repair);
  free(x->back);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

int hw_service_client_suspend(hw_service *svc, hw_change *c, hw_id client_id, hw_time from, hw_time until,
                              const char *reason, hw_suspend_result *out) {
  memset(out, 0, sizeof *out);
  int rc = hw__svc_client_in_scope(svc->st, c->scope, client_id, &out->client);
  if (rc) return rc;
  if (hw_service_check_time(&svc->set, c->now, from, "/from", c->errs)) return HW_EINVAL;
  if (until != HW_TIME_NONE && until <= from) return hw__svc_reject(c, HW_EINVAL, "/until", "must be after from");
  if (until != HW_TIME_NONE && hw_service_check_time(&svc->set, c->now, until, "/until", c->errs)) return HW_EINVAL;
  if (!reason || !reason[0]) return hw__svc_reject(c, HW_EINVAL, "/reason", "is required");
  snprintf(out->client.suspended_reason, sizeof out->client.suspended_reason, "%s", reason);
  out->client.suspended_from = from;
  out->client.suspended_until = until;
  suspend_ctx x = {svc, c, out, from, until, 0, NULL, 0};
  return run_suspension(svc, c, &x, "client.suspended");
}

int hw_service_client_resume(hw_service *svc, hw_change *c, hw_id client_id, hw_time at, hw_suspend_result *out) {
  memset(out, 0, sizeof *out);
  int rc = hw__svc_client_in_scope(svc->st, c->scope, client_id, &out->client);
  if (rc) return rc;
  if (!out->client.suspended_reason[0]) return hw__svc_reject(c, HW_ECONFLICT, "", "the client is not suspended");
  if (hw_service_check_time(&svc->set, c->now, at, "/at", c->errs)) return HW_EINVAL;
  if (at > c->now) { /* the suspension ends at `at`: until then the client is still away */
    out->client.suspended_until = at;
  } else {
    out->client.suspended_reason[0] = '\0';
    out->client.suspended_from = out->client.suspended_until = 0;
  }
  suspend_ctx x = {svc, c, out, at, HW_TIME_NONE, 1, NULL, 0};
  return run_suspension(svc, c, &x, "client.resumed");
}
