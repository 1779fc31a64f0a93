/*
 * Clients, workers, teams and absences (hw_service.h): created or changed within
 * the caller's localities, one event each with the record as stored. An absence
 * also repairs the days it breaks.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

#define ABSENCE_REPAIR_MAX_DAYS 14

typedef int (*save_fn)(hw_store *st, void *v);
typedef int (*add_fn)(hw_records *rec, const void *v);

typedef struct save_ctx {
  void *v;
  save_fn insert, update;
  add_fn add;
} save_ctx;

static int save_tx(hw_store *st, void *vctx, hw_records *rec) {
  save_ctx *x = vctx;
  int rc = *(hw_id *)x->v ? x->update(st, x->v) : x->insert(st, x->v);
  return rc ? rc : x->add(rec, x->v);
}

/* Insert (id 0) or update v in one change group with event "<kind>.created" or
 * "<kind>.changed"; a store refusal (a bad reference) is reported under "". */
static int save(hw_service *svc, hw_change *c, const char *kind, hw_id locality, void *v, save_fn ins, save_fn upd,
                add_fn add) {
  char type[48];
  snprintf(type, sizeof type, "%s.%s", kind, *(hw_id *)v ? "changed" : "created");
  save_ctx x = {v, ins, upd, add};
  int own;
  int rc = hw__svc_begin(svc->st, &own);
  if (rc) return rc;
  rc = hw__svc_apply(svc->st, c, type, locality, save_tx, &x);
  if (rc == HW_EINVAL || rc == HW_ECONFLICT) hw__svc_reject(c, rc, "", "%s", hw_store_errmsg(svc->st));
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

#define HW_SAVE_ADAPTERS(type)                                                                    \
  static int ins_##type(hw_store *st, void *v) { return hw_store_insert_##type(st, v); }          \
  static int upd_##type(hw_store *st, void *v) { return hw_store_update_##type(st, v); }          \
  static int add_##type(hw_records *r, const void *v) { return hw_records_add_##type(r, v); }
HW_SAVE_ADAPTERS(client)
HW_SAVE_ADAPTERS(worker)
HW_SAVE_ADAPTERS(team)
#undef HW_SAVE_ADAPTERS

/* An update must be of a record in scope (and stay in scope). */
static int check_existing_client(hw_store *st, hw_change *c, const hw_client *v) {
  hw_client old;
  int rc = hw__svc_client_in_scope(st, c->scope, v->id, &old);
  return rc;
}

/* The locality must exist: HW_EINVAL naming it when it does not, or a store error. */
static int locality_exists(hw_store *st, hw_change *c, hw_id locality_id) {
  hw_locality loc;
  int rc = hw_store_get_locality(st, locality_id, &loc);
  if (rc == HW_ENOTFOUND) return hw__svc_reject(c, HW_EINVAL, "/locality_id", "no locality %lld", (long long)locality_id);
  return rc;
}

int hw_service_client_save(hw_service *svc, hw_change *c, hw_client *v) {
  int rc = v->id ? check_existing_client(svc->st, c, v) : 0;
  if (rc) return rc;
  if ((rc = locality_exists(svc->st, c, v->locality_id))) return rc;
  if (!hw_scope_allows(c->scope, v->locality_id)) return HW_EFORBIDDEN;
  hw_id other = 0;
  rc = v->chi[0] ? hw_store_find_client_by_chi(svc->st, v->chi, &other) : HW_ENOTFOUND;
  if (rc == 0 && other != v->id)
    return hw__svc_reject(c, HW_ECONFLICT, "/chi", "CHI number already held by client %lld", (long long)other);
  if (rc != 0 && rc != HW_ENOTFOUND) return rc;
  return save(svc, c, "client", v->locality_id, v, ins_client, upd_client, add_client);
}

/* The locality of a team, which must be in scope. */
static int team_in_scope(hw_store *st, hw_change *c, hw_id team_id, hw_id *locality) {
  hw_team t;
  int rc = hw_store_get_team(st, team_id, &t);
  if (rc == HW_ENOTFOUND) return hw__svc_reject(c, HW_EINVAL, "/team_id", "no team %lld", (long long)team_id);
  if (rc) return rc;
  *locality = t.locality_id;
  return hw_scope_allows(c->scope, t.locality_id) ? 0 : HW_EFORBIDDEN;
}

int hw_service_worker_save(hw_service *svc, hw_change *c, hw_worker *v) {
  hw_id locality = 0;
  if (v->id) {
    hw_worker old;
    int rc = hw_store_get_worker(svc->st, v->id, &old);
    if (rc == 0) rc = team_in_scope(svc->st, c, old.team_id, &locality);
    if (rc) return rc;
  }
  int rc = team_in_scope(svc->st, c, v->team_id, &locality);
  if (rc) return rc;
  return save(svc, c, "worker", locality, v, ins_worker, upd_worker, add_worker);
}

int hw_service_team_save(hw_service *svc, hw_change *c, hw_team *v) {
  if (v->id) {
    hw_team old;
    int rc = hw_store_get_team(svc->st, v->id, &old);
    if (rc) return rc;
    if (!hw_scope_allows(c->scope, old.locality_id)) return HW_EFORBIDDEN;
  }
  int rc = locality_exists(svc->st, c, v->locality_id);
  if (rc) return rc;
  if (!hw_scope_allows(c->scope, v->locality_id)) return HW_EFORBIDDEN;
  return save(svc, c, "team", v->locality_id, v, ins_team, upd_team, add_team);
}

/* ---- Absences ---------------------------------------------------------------------- */

static int absence_tx(hw_store *st, void *vctx, hw_records *rec) {
  hw_absence *a = vctx;
  int rc = hw_store_insert_absence(st, a);
  return rc ? rc : hw_records_add_absence(rec, a);
}

int hw_service_absence(hw_service *svc, hw_change *c, hw_absence *a, hw_absence_result *out) {
  memset(out, 0, sizeof *out);
  hw_worker w;
  hw_id locality = 0;
  int rc = hw_store_get_worker(svc->st, a->worker_id, &w);
  if (rc == 0) rc = team_in_scope(svc->st, c, w.team_id, &locality);
  if (rc) return rc;
  if (a->to <= a->from) return hw__svc_reject(c, HW_EINVAL, "/to", "must be after from");
  rc = hw_service_check_time(&svc->set, c->now, a->from, "/from", c->errs);
  if (hw_service_check_time(&svc->set, c->now, a->to, "/to", c->errs)) rc = HW_EINVAL;
  if (rc) return rc;
  a->id = 0;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "absence.recorded", locality, absence_tx, a);
  out->absence = *a;
  hw_date first = hw_time_local_date(a->from), last = hw_time_local_date(a->to - 1);
  hw_date today = hw_time_local_date(c->now);
  if (first < today) first = today;
  if (last > first + ABSENCE_REPAIR_MAX_DAYS - 1) last = first + ABSENCE_REPAIR_MAX_DAYS - 1;
  for (hw_date day = first; rc == 0 && day <= last; day++) {
    hw_roster_entry *e = NULL;
    int32_t n = 0;
    rc = hw_store_get_roster(svc->st, a->worker_id, day, &e, &n);
    free(e);
    if (rc || n == 0) continue;
    hw_repair_trigger t = {.kind = HW_REPAIR_ABSENCE, .absence = *a};
    rc = hw__svc_repair(svc->st, c, locality, day, &t, &out->repair);
  }
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}
