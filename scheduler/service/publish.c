/*
 * Drafts and publishing (hw_publish.h): a planned day published at once or kept
 * as a draft; a draft published or discarded later; and, on every publish, each
 * worker's change notes against the roster they were last published.
 */
#include "hw_publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* ---- Change notes ------------------------------------------------------------------- */

static const hw_roster_entry *find_entry(const hw_roster_entry *e, int32_t n, hw_id visit_id) {
  for (int32_t i = 0; i < n; i++)
    if (e[i].visit_id == visit_id) return &e[i];
  return NULL;
}

static int note(hw_store *st, hw_records *rec, hw_id worker, hw_date date, hw_time now, hw_note_kind kind,
                hw_id visit, hw_time from, hw_time to, int32_t *count) {
  hw_roster_note n = {0, worker, date, now, kind, visit, from, to};
  int rc = hw_store_insert_roster_note(st, &n);
  if (rc == 0) rc = hw_records_add_note(rec, &n);
  if (rc == 0) (*count)++;
  return rc;
}

int hw__note_worker_day(hw_store *st, hw_id worker, hw_date date, hw_time now, const hw_roster_entry *e, int32_t n,
                        hw_records *rec, int32_t *count) {
  hw_roster_entry *old = NULL;
  int32_t n_old = 0;
  int32_t before = *count;
  int rc = hw_store_get_published_roster(st, worker, date, &old, &n_old);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    const hw_roster_entry *was = find_entry(old, n_old, e[i].visit_id);
    if (!was) rc = note(st, rec, worker, date, now, HW_NOTE_ADDED, e[i].visit_id, HW_TIME_NONE, e[i].planned_start,
                        count);
    else if (was->planned_start != e[i].planned_start)
      rc = note(st, rec, worker, date, now, HW_NOTE_MOVED, e[i].visit_id, was->planned_start, e[i].planned_start,
                count);
  }
  for (int32_t i = 0; rc == 0 && i < n_old; i++)
    if (!find_entry(e, n, old[i].visit_id))
      rc = note(st, rec, worker, date, now, HW_NOTE_REMOVED, old[i].visit_id, old[i].planned_start, HW_TIME_NONE,
                count);
  free(old);
  if (rc || (*count == before && n == n_old)) return rc; /* as published already: nothing to write */
  return hw_store_put_published_roster(st, worker, date, e, n);
}

int hw__publish_day(hw_store *st, hw_date date, hw_time now, const hw_visit *visits, int32_t n_visits,
                    const hw_roster_entry *entries, int32_t n_entries, const hw_id *workers, int32_t n_workers,
                    hw_records *rec) {
  int rc = 0;
  int32_t notes = 0;
  for (int32_t i = 0; rc == 0 && i < n_visits; i++) {
    rc = hw_store_update_visit(st, &visits[i]);
    if (rc == 0) rc = hw_records_add_visit(rec, &visits[i]);
  }
  for (int32_t w = 0; rc == 0 && w < n_workers; w++) {
    int32_t first = 0, n = 0;
    while (first < n_entries && entries[first].worker_id != workers[w]) first++;
    while (first + n < n_entries && entries[first + n].worker_id == workers[w]) n++;
    rc = hw_store_put_roster(st, workers[w], date, entries + first, n);
    if (rc == 0) rc = hw_records_add_roster(rec, workers[w], date, entries + first, n);
    if (rc == 0) rc = hw__note_worker_day(st, workers[w], date, now, entries + first, n, rec, &notes);
  }
  return rc;
}

/* ---- From planning -------------------------------------------------------------------- */

static const hw_visit *base_of(const hw_planned_day *d, hw_id id) {
  for (int32_t i = 0; i < d->n_base; i++)
    if (d->base[i].id == id) return &d->base[i];
  return NULL;
}

static int keep_draft_visits(hw_store *st, const hw_planned_day *d, hw_id draft_id) {
  hw_draft_visit *dv = calloc((size_t)d->n_visits + 1, sizeof *dv);
  if (!dv) return HW_ENOMEM;
  for (int32_t i = 0; i < d->n_visits; i++) {
    const hw_visit *v = &d->visits[i], *b = base_of(d, v->id);
    if (!b) b = v;
    dv[i] = (hw_draft_visit){.visit_id = v->id, .status = v->status, .worker_ids = {v->worker_ids[0], v->worker_ids[1]},
                             .planned_start = v->planned_start, .base_status = b->status,
                             .base_workers = {b->worker_ids[0], b->worker_ids[1]}, .base_start = b->planned_start,
                             .base_pinned = b->pinned};
    snprintf(dv[i].unplaced_reason, sizeof dv[i].unplaced_reason, "%s", v->unplaced_reason);
  }
  int rc = hw_store_put_draft_visits(st, draft_id, dv, d->n_visits);
  free(dv);
  return rc;
}

int hw__keep_draft(hw_store *st, hw_planned_day *d, hw_records *rec) {
  hw_draft dr = {.locality_id = d->locality_id, .date = d->date, .status = HW_DRAFT_OPEN, .created_at = d->now,
                 .decided_at = HW_TIME_NONE, .visits = d->report->visits, .assigned = d->report->assigned,
                 .travel_seconds = d->report->travel_seconds};
  snprintf(dr.created_by, sizeof dr.created_by, "%s", d->actor ? d->actor : "system");
  int rc = hw_store_insert_draft(st, &dr);
  if (rc == 0) rc = keep_draft_visits(st, d, dr.id);
  if (rc == 0) rc = hw_store_put_draft_roster(st, dr.id, d->entries, d->n_entries);
  if (rc == 0) rc = hw_records_add_draft(rec, &dr);
  if (rc == 0) d->draft_id = dr.id;
  return rc;
}

/* ---- Reads ---------------------------------------------------------------------------- */

void hw_draft_view_free(hw_draft_view *v) {
  free(v->visits);
  free(v->entries);
  memset(v, 0, sizeof *v);
}

int hw_service_drafts(hw_store *st, const hw_scope *scope, hw_id locality, hw_date date, int status, hw_draft **out,
                      int32_t *n) {
  *out = NULL;
  *n = 0;
  if (scope && scope->worker) return HW_EFORBIDDEN; /* drafts are the coordinators' */
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  int rc = hw_store_list_drafts(st, locality, date, status, out, n);
  int32_t k = 0;
  for (int32_t i = 0; rc == 0 && i < *n; i++)
    if (hw_scope_allows(scope, (*out)[i].locality_id)) (*out)[k++] = (*out)[i];
  if (rc == 0) *n = k;
  return rc;
}

static int scoped_draft(hw_store *st, const hw_scope *scope, hw_id id, hw_draft *d) {
  if (scope && scope->worker) return HW_EFORBIDDEN;
  int rc = hw_store_get_draft(st, id, d);
  return rc ? rc : hw_scope_allows(scope, d->locality_id) ? 0 : HW_EFORBIDDEN;
}

int hw_service_draft_get(hw_store *st, const hw_scope *scope, hw_id id, hw_draft_view *out) {
  memset(out, 0, sizeof *out);
  int rc = scoped_draft(st, scope, id, &out->draft);
  if (rc == 0) rc = hw_store_get_draft_visits(st, id, &out->visits, &out->n_visits);
  if (rc == 0) rc = hw_store_get_draft_roster(st, id, &out->entries, &out->n_entries);
  if (rc) hw_draft_view_free(out);
  return rc;
}

/* ---- Publishing or discarding a draft ----------------------------------------------- */

static const hw_draft_visit *drafted(const hw_draft_view *dv, hw_id visit_id) {
  for (int32_t i = 0; i < dv->n_visits; i++)
    if (dv->visits[i].visit_id == visit_id) return &dv->visits[i];
  return NULL;
}

static int counts_for_day(const hw_visit *v) { return v->status != HW_VISIT_CANCELLED && v->status != HW_VISIT_MISSED; }

/* 1 when the stored visit is no longer as it was when drafted. */
static int moved_on(const hw_visit *v, const hw_draft_visit *d) {
  return v->status != d->base_status || v->worker_ids[0] != d->base_workers[0] ||
         v->worker_ids[1] != d->base_workers[1] || v->planned_start != d->base_start || !v->pinned != !d->base_pinned;
}

/* The day's visits with the draft's assignments into out (n_visits of the day);
 * HW_ECONFLICT naming each visit that changed since the draft, or is new. */
static int drafted_visits(hw_store *st, hw_change *c, const hw_draft_view *dv, hw_visit **out, int32_t *n) {
  hw_visit *vs = NULL;
  int32_t m = 0, k = 0, conflicts = 0;
  int rc = hw_store_list_visits(st, dv->draft.date, dv->draft.date, dv->draft.locality_id, &vs, &m);
  for (int32_t i = 0; rc == 0 && i < m; i++) {
    const hw_draft_visit *d = drafted(dv, vs[i].id);
    if (!d && !counts_for_day(&vs[i])) continue;
    if (!d || moved_on(&vs[i], d)) {
      if (conflicts++ < 8)
        hw__svc_reject(c, HW_ECONFLICT, "/visits", "visit %lld %s since the draft; plan again", (long long)vs[i].id,
                       d ? "changed" : "was added");
      continue;
    }
    hw_visit v = vs[i];
    v.status = d->status;
    v.worker_ids[0] = d->worker_ids[0];
    v.worker_ids[1] = d->worker_ids[1];
    v.planned_start = d->planned_start;
    snprintf(v.unplaced_reason, sizeof v.unplaced_reason, "%s", d->unplaced_reason);
    vs[k++] = v;
  }
  if (rc == 0 && conflicts) rc = HW_ECONFLICT;
  if (rc) {
    free(vs);
    return rc;
  }
  *out = vs;
  *n = k;
  return 0;
}

typedef struct decide_ctx {
  hw_change *c;
  hw_draft_view *dv;
  hw_draft_status to;
  hw_publish_result *out;
} decide_ctx;

static int active_worker_ids(hw_store *st, hw_id locality, hw_id **ids, int32_t *n) {
  hw_worker *ws = NULL;
  int32_t m = 0;
  int rc = hw_store_list_workers(st, locality, &ws, &m);
  *ids = rc == 0 ? malloc(((size_t)m + 1) * sizeof **ids) : NULL;
  *n = 0;
  if (rc == 0 && !*ids) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < m; i++)
    if (ws[i].active) (*ids)[(*n)++] = ws[i].id;
  free(ws);
  return rc;
}

static int publish_draft_tx(hw_store *st, void *vctx, hw_records *rec) {
  decide_ctx *x = vctx;
  const hw_draft *d = &x->dv->draft;
  hw_visit *vs = NULL;
  hw_id *ids = NULL;
  int32_t n = 0, n_ids = 0;
  int rc = drafted_visits(st, x->c, x->dv, &vs, &n);
  if (rc == 0) rc = active_worker_ids(st, d->locality_id, &ids, &n_ids);
  int32_t before = rec->n_notes;
  if (rc == 0)
    rc = hw__publish_day(st, d->date, x->c->now, vs, n, x->dv->entries, x->dv->n_entries, ids, n_ids, rec);
  for (int32_t i = before; rc == 0 && i < rec->n_notes; i++) {
    x->out->notes++;
    int first = 1;
    for (int32_t k = before; k < i && first; k++) first = rec->notes[k].worker_id != rec->notes[i].worker_id;
    x->out->workers_told += first;
  }
  free(vs);
  free(ids);
  return rc;
}

static int decide_tx(hw_store *st, void *vctx, hw_records *rec) {
  decide_ctx *x = vctx;
  int rc = x->to == HW_DRAFT_PUBLISHED ? publish_draft_tx(st, vctx, rec) : 0;
  if (rc == 0) rc = hw_store_decide_draft(st, x->dv->draft.id, x->to, x->c->now, x->c->actor ? x->c->actor : "system");
  if (rc == 0) rc = hw_store_get_draft(st, x->dv->draft.id, &x->out->draft);
  if (rc == 0) rc = hw_records_add_draft(rec, &x->out->draft);
  return rc;
}

static int decide(hw_service *svc, hw_change *c, hw_id id, hw_draft_status to, hw_publish_result *out) {
  memset(out, 0, sizeof *out);
  hw_draft_view dv;
  int rc = hw_service_draft_get(svc->st, c->scope, id, &dv);
  if (rc) return rc;
  if (dv.draft.status != HW_DRAFT_OPEN) {
    rc = hw__svc_reject(c, HW_ECONFLICT, "/status", "the draft is already %s", hw_draft_status_name(dv.draft.status));
    hw_draft_view_free(&dv);
    return rc;
  }
  decide_ctx x = {c, &dv, to, out};
  int own;
  rc = hw__svc_begin(svc->st, &own);
  if (rc == 0)
    rc = hw__svc_end(svc->st, own,
                     hw__svc_apply(svc->st, c, to == HW_DRAFT_PUBLISHED ? "roster.published" : "plan.discarded",
                                   dv.draft.locality_id, decide_tx, &x));
  if (rc) hw_service_forget(svc);
  hw_draft_view_free(&dv);
  return rc;
}

int hw_service_draft_publish(hw_service *svc, hw_change *c, hw_id id, hw_publish_result *out) {
  return decide(svc, c, id, HW_DRAFT_PUBLISHED, out);
}

int hw_service_draft_discard(hw_service *svc, hw_change *c, hw_id id, hw_publish_result *out) {
  return decide(svc, c, id, HW_DRAFT_DISCARDED, out);
}
