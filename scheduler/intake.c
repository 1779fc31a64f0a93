/*
 * Record changes from the API, checked and applied (see hw_intake.h): the JSON
 * document is checked without the store first (hw_intake_prepare), then applied
 * inside the caller's transaction, where references, locality scope and status
 * transitions are checked against the stored records.
 */
#include "hw_intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"

/* A check-in or check-out may be stamped at most this far ahead of the clock. */
#define CLOCK_SKEW_S 300
/* A visit longer than this between check-in and check-out is a forgotten check-out. */
#define MAX_VISIT_S (12 * 3600)

static const char *const event_types[HW_INTAKE_KIND_COUNT] = {
    "referral.created", "referral.changed", "worker.created", "absence.recorded",
    "visit.checked_in", "visit.checked_out", "discharge.requested",
};

const char *hw_intake_event_type(hw_intake_kind kind) {
  return kind >= 0 && kind < HW_INTAKE_KIND_COUNT ? event_types[kind] : "unknown";
}

int hw_scope_allows(const hw_scope *s, hw_id locality_id) {
  if (s->all) return 1;
  for (int32_t i = 0; i < s->n; i++)
    if (s->localities[i] == locality_id) return 1;
  return 0;
}

/* ---- Checks on the document alone --------------------------------------------- */

/* Fields the server sets; a request that sends them is told so. */
static void reject_server_fields(const json_t *body, const char *const *fields, hw_errors *errs) {
  for (int i = 0; fields[i]; i++)
    if (json_object_get(body, fields[i])) {
      char p[64];
      snprintf(p, sizeof p, "/%s", fields[i]);
      hw_errors_add(errs, p, "is set by the server; leave it out");
    }
}

/* The document to decode a referral or discharge from: body without "client",
 * with a placeholder client_id when the client comes inline (new reference). */
static json_t *record_doc(const json_t *body, hw_client *client, int *inline_client, hw_errors *errs) {
  json_t *doc = json_copy((json_t *)body);
  if (!doc) return NULL;
  const json_t *c = json_object_get(body, "client");
  *inline_client = c != NULL;
  if (c) {
    if (json_object_get(body, "client_id")) hw_errors_add(errs, "/client_id", "give client_id or client, not both");
    hw_client_from_json(c, "/client", client, errs);
    if (json_object_get(c, "id")) hw_errors_add(errs, "/client/id", "is set by the server; leave it out");
    json_object_del(doc, "client");
    json_object_set_new(doc, "client_id", json_integer(1)); /* replaced by the new client's id */
  }
  return doc;
}

typedef struct decoded {
  hw_client client;
  int inline_client;
  union {
    hw_referral referral;
    hw_worker worker;
    hw_absence absence;
    hw_discharge discharge;
  } u;
  hw_time at;                        /* check-in / check-out instant */
} decoded;

static void decode_referral(const hw_intake *in, decoded *d, hw_errors *errs) {
  static const char *const server_fields[] = {"id", "status", "team_id", "received_at", "outcome", NULL};
  reject_server_fields(in->body, server_fields, errs);
  json_t *doc = record_doc(in->body, &d->client, &d->inline_client, errs);
  if (doc) hw_referral_from_json(doc, "", &d->u.referral, errs);
  json_decref(doc);
}

static void decode_discharge(const hw_intake *in, decoded *d, hw_errors *errs) {
  static const char *const server_fields[] = {"id", "referral_id", "status", "offered_start", "earliest",
                                              "discharged_at", NULL};
  reject_server_fields(in->body, server_fields, errs);
  json_t *doc = record_doc(in->body, &d->client, &d->inline_client, errs);
  if (doc) hw_discharge_from_json(doc, "", &d->u.discharge, errs);
  json_decref(doc);
}

static void decode_absence(const hw_intake *in, decoded *d, hw_errors *errs) {
  static const char *const server_fields[] = {"id", NULL};
  reject_server_fields(in->body, server_fields, errs);
  if (json_object_get(in->body, "worker_id")) hw_errors_add(errs, "/worker_id", "is taken from the path; leave it out");
  json_t *doc = json_copy(in->body);
  if (!doc) return;
  json_object_set_new(doc, "worker_id", json_integer(in->target));
  hw_absence_from_json(doc, "", &d->u.absence, errs);
  json_decref(doc);
}

static void decode_check(const hw_intake *in, decoded *d, hw_errors *errs) {
  const char *key;
  json_t *v;
  d->at = in->now;
  json_object_foreach(in->body, key, v) {
    char p[96];
    snprintf(p, sizeof p, "/%.80s", key);
    if (strcmp(key, "at") != 0) {
      hw_errors_add(errs, p, "unknown field");
      continue;
    }
    const char *why = "must be an ISO 8601 time";
    if (!json_is_string(v) || hw_time_parse(json_string_value(v), &d->at, &why) != 0) hw_errors_add(errs, p, "%s", why);
  }
  if (d->at > in->now + CLOCK_SKEW_S) hw_errors_add(errs, "/at", "must not be in the future");
}

/* Decode the document for in->kind (every problem into errs). */
static int decode(const hw_intake *in, decoded *d, hw_errors *errs) {
  memset(d, 0, sizeof *d);
  switch (in->kind) {
    case HW_INTAKE_REFERRAL_CREATE: decode_referral(in, d, errs); break;
    case HW_INTAKE_WORKER_CREATE:
      if (json_object_get(in->body, "id")) hw_errors_add(errs, "/id", "is set by the server; leave it out");
      hw_worker_from_json(in->body, "", &d->u.worker, errs);
      break;
    case HW_INTAKE_ABSENCE_RECORD: decode_absence(in, d, errs); break;
    case HW_INTAKE_VISIT_CHECK_IN:
    case HW_INTAKE_VISIT_CHECK_OUT: decode_check(in, d, errs); break;
    case HW_INTAKE_DISCHARGE_CREATE: decode_discharge(in, d, errs); break;
    case HW_INTAKE_REFERRAL_CHANGE: {
      static const char *const changeable[] = {"care_plan", "start_date", "end_date", NULL};
      const char *key;
      json_t *v;
      json_object_foreach(in->body, key, v) {
        int ok = 0;
        for (int i = 0; changeable[i]; i++) ok |= strcmp(key, changeable[i]) == 0;
        char p[96];
        snprintf(p, sizeof p, "/%.80s", key);
        if (!ok) hw_errors_add(errs, p, "cannot be changed (care_plan, start_date and end_date can)");
      }
      if (json_object_size(in->body) == 0) hw_errors_add(errs, "", "nothing to change");
      break;
    }
    case HW_INTAKE_KIND_COUNT: hw_errors_add(errs, "", "unknown change"); break;
  }
  return errs->n || errs->dropped ? HW_EINVAL : 0;
}

int hw_intake_prepare(hw_intake *in, hw_intake_kind kind, const hw_scope *scope, hw_id target, const char *body,
                      size_t len, hw_time now) {
  memset(in, 0, sizeof *in);
  in->kind = kind;
  in->scope = *scope;
  in->target = target;
  in->now = now;
  hw_errors_init(&in->errs);
  int empty_ok = kind == HW_INTAKE_VISIT_CHECK_IN || kind == HW_INTAKE_VISIT_CHECK_OUT;
  if (len == 0 && empty_ok) {
    in->body = json_object();
  } else {
    json_error_t jerr;
    in->body = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!in->body) {
      hw_errors_add(&in->errs, "", "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
      return HW_EINVAL;
    }
  }
  if (!json_is_object(in->body)) {
    hw_errors_add(&in->errs, "", "must be a JSON object");
    return HW_EINVAL;
  }
  decoded d;
  return decode(in, &d, &in->errs);
}

char *hw_intake_payload(const hw_intake *in) {
  json_t *p = json_pack("{s:O}", "body", in->body);
  if (p && in->target) json_object_set_new(p, "target_id", json_integer(in->target));
  char *text = p ? hw_json_dumps_canonical(p) : NULL;
  json_decref(p);
  return text;
}

void hw_intake_free(hw_intake *in) {
  json_decref(in->body);
  in->body = NULL;
}

/* ---- Checks against the store ----------------------------------------------- */

/* The locality of a client, checked against the scope. */
static int client_locality_check(hw_store *st, const hw_scope *scope, hw_id client_id, hw_errors *errs,
                                 const char *field) {
  hw_client c;
  int rc = hw_store_get_client(st, client_id, &c);
  if (rc == HW_ENOTFOUND) {
    if (field) hw_errors_add(errs, field, "no client %lld", (long long)client_id);
    return field ? HW_EINVAL : HW_ENOTFOUND;
  }
  if (rc) return rc;
  return hw_scope_allows(scope, c.locality_id) ? 0 : HW_EFORBIDDEN;
}

static int team_locality_check(hw_store *st, const hw_scope *scope, hw_id team_id, hw_errors *errs,
                               const char *field) {
  hw_team t;
  int rc = hw_store_get_team(st, team_id, &t);
  if (rc == HW_ENOTFOUND && field) {
    hw_errors_add(errs, field, "no team %lld", (long long)team_id);
    return HW_EINVAL;
  }
  if (rc) return rc;
  return hw_scope_allows(scope, t.locality_id) ? 0 : HW_EFORBIDDEN;
}

/* Store the inline client of a new referral or discharge; *client_id gets its id. */
static int store_inline_client(hw_store *st, const hw_scope *scope, hw_client *c, hw_id *client_id, hw_errors *errs) {
  hw_locality loc;
  int rc = hw_store_get_locality(st, c->locality_id, &loc);
  if (rc == HW_ENOTFOUND) {
    hw_errors_add(errs, "/client/locality_id", "no locality %lld", (long long)c->locality_id);
    return HW_EINVAL;
  }
  if (rc) return rc;
  if (!hw_scope_allows(scope, c->locality_id)) return HW_EFORBIDDEN;
  c->id = 0;
  rc = hw_store_insert_client(st, c);
  if (rc == 0) *client_id = c->id;
  else if (rc == HW_EINVAL || rc == HW_ECONFLICT) hw_errors_add(errs, "/client", "%s", hw_store_errmsg(st));
  return rc;
}

/* Answer the stored record as canonical JSON. */
static int result_json(json_t *j, char **result) {
  *result = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  return *result ? 0 : HW_ENOMEM;
}

static int apply_referral_create(hw_store *st, hw_intake *in, decoded *d, char **result) {
  hw_referral *r = &d->u.referral;
  int rc = d->inline_client ? store_inline_client(st, &in->scope, &d->client, &r->client_id, &in->errs)
                            : client_locality_check(st, &in->scope, r->client_id, &in->errs, "/client_id");
  if (rc) return rc;
  /* Reablement first: whatever pathway was asked for, the episode starts there. */
  r->pathway = HW_PATHWAY_REABLEMENT;
  r->status = HW_REFERRAL_OPEN;
  r->outcome = HW_OUTCOME_NONE;
  r->team_id = 0;
  r->received_at = in->now;
  r->id = 0;
  rc = hw_store_insert_referral(st, r);
  if (rc) return rc;
  return result_json(hw_referral_to_json(r), result);
}

static int apply_referral_change(hw_store *st, hw_intake *in, char **result) {
  hw_referral old, r;
  int rc = hw_store_get_referral(st, in->target, &old);
  if (rc) return rc;
  rc = client_locality_check(st, &in->scope, old.client_id, NULL, NULL);
  if (rc) return rc;
  if (old.status == HW_REFERRAL_CANCELLED) {
    hw_errors_add(&in->errs, "", "the referral is cancelled; make a new referral");
    return HW_ECONFLICT;
  }
  /* Merge the change into the stored record and decode the whole, so every rule
   * of a referral holds after the change (end not before start, ...). */
  json_t *doc = hw_referral_to_json(&old);
  if (!doc) return HW_ENOMEM;
  json_object_update(doc, in->body);
  rc = hw_referral_from_json(doc, "", &r, &in->errs);
  json_decref(doc);
  if (rc) return rc;
  if (json_object_get(in->body, "care_plan")) {
    /* A change of need re-enters reablement (DESIGN.md). */
    if (old.pathway != HW_PATHWAY_REABLEMENT) r.team_id = 0;
    r.pathway = HW_PATHWAY_REABLEMENT;
    r.source = HW_SOURCE_CHANGE_OF_NEED;
    r.status = HW_REFERRAL_OPEN;
    r.outcome = HW_OUTCOME_NONE;
  }
  rc = hw_store_update_referral(st, &r);
  if (rc) return rc;
  return result_json(hw_referral_to_json(&r), result);
}

static int apply_worker_create(hw_store *st, hw_intake *in, decoded *d, char **result) {
  hw_worker *w = &d->u.worker;
  int rc = team_locality_check(st, &in->scope, w->team_id, &in->errs, "/team_id");
  if (rc) return rc;
  w->id = 0;
  rc = hw_store_insert_worker(st, w);
  if (rc) return rc;
  return result_json(hw_worker_to_json(w), result);
}

static int apply_absence(hw_store *st, hw_intake *in, decoded *d, char **result) {
  hw_worker w;
  int rc = hw_store_get_worker(st, in->target, &w);
  if (rc) return rc;
  rc = team_locality_check(st, &in->scope, w.team_id, NULL, NULL);
  if (rc) return rc;
  hw_absence *a = &d->u.absence;
  a->id = 0;
  a->worker_id = w.id;
  rc = hw_store_insert_absence(st, a);
  if (rc) return rc;
  return result_json(hw_absence_to_json(a), result);
}

static int apply_check(hw_store *st, hw_intake *in, decoded *d, char **result) {
  hw_visit v;
  int rc = hw_store_get_visit(st, in->target, &v);
  if (rc) return rc;
  rc = client_locality_check(st, &in->scope, v.client_id, NULL, NULL);
  if (rc) return rc;
  if (in->kind == HW_INTAKE_VISIT_CHECK_IN) {
    if (v.status != HW_VISIT_PLANNED && v.status != HW_VISIT_ASSIGNED) {
      hw_errors_add(&in->errs, "", "cannot check in: the visit is %s", hw_visit_status_name(v.status));
      return HW_ECONFLICT;
    }
    if (hw_time_local_date(d->at) != v.date) {
      hw_errors_add(&in->errs, "/at", "must be on the day of the visit");
      return HW_EINVAL;
    }
    v.check_in = d->at;
    v.status = HW_VISIT_IN_PROGRESS;
  } else {
    if (v.status != HW_VISIT_IN_PROGRESS) {
      hw_errors_add(&in->errs, "", "cannot check out: the visit is %s (check in first)", hw_visit_status_name(v.status));
      return HW_ECONFLICT;
    }
    if (d->at < v.check_in) {
      hw_errors_add(&in->errs, "/at", "must not be before the check-in");
      return HW_EINVAL;
    }
    if (d->at - v.check_in > MAX_VISIT_S) {
      hw_errors_add(&in->errs, "/at", "is more than 12 hours after the check-in");
      return HW_EINVAL;
    }
    v.check_out = d->at;
    v.status = HW_VISIT_DONE;
  }
  rc = hw_store_update_visit(st, &v);
  if (rc) return rc;
  return result_json(hw_visit_to_json(&v), result);
}

static int apply_discharge_create(hw_store *st, hw_intake *in, decoded *d, char **result) {
  hw_discharge *x = &d->u.discharge;
  int rc = d->inline_client ? store_inline_client(st, &in->scope, &d->client, &x->client_id, &in->errs)
                            : client_locality_check(st, &in->scope, x->client_id, &in->errs, "/client_id");
  if (rc) return rc;
  x->id = 0;
  x->referral_id = 0;
  x->status = HW_DISCHARGE_REQUESTED;
  x->offered_start = HW_TIME_NONE;
  x->earliest = HW_DATE_NONE;
  x->discharged_at = HW_TIME_NONE;
  rc = hw_store_insert_discharge(st, x);
  if (rc == 0 && in->scope.creator) rc = hw_store_set_discharge_owner(st, x->id, in->scope.creator);
  if (rc) return rc;
  return result_json(hw_discharge_to_json(x), result);
}

int hw_intake_apply(hw_store *st, void *ctx, char **result) {
  hw_intake *in = ctx;
  decoded d;
  hw_errors_init(&in->errs);
  int rc = decode(in, &d, &in->errs);
  if (rc) return rc;
  switch (in->kind) {
    case HW_INTAKE_REFERRAL_CREATE: return apply_referral_create(st, in, &d, result);
    case HW_INTAKE_REFERRAL_CHANGE: return apply_referral_change(st, in, result);
    case HW_INTAKE_WORKER_CREATE: return apply_worker_create(st, in, &d, result);
    case HW_INTAKE_ABSENCE_RECORD: return apply_absence(st, in, &d, result);
    case HW_INTAKE_VISIT_CHECK_IN:
    case HW_INTAKE_VISIT_CHECK_OUT: return apply_check(st, in, &d, result);
    case HW_INTAKE_DISCHARGE_CREATE: return apply_discharge_create(st, in, &d, result);
    case HW_INTAKE_KIND_COUNT: break;
  }
  return HW_EINVAL;
}

/* ---- Reads ------------------------------------------------------------------------ */

int hw_intake_get_referral(hw_store *st, const hw_scope *scope, hw_id id, json_t **out) {
  hw_referral r;
  int rc = hw_store_get_referral(st, id, &r);
  if (rc == 0) rc = client_locality_check(st, scope, r.client_id, NULL, NULL);
  if (rc) return rc;
  *out = hw_referral_to_json(&r);
  return *out ? 0 : HW_ENOMEM;
}

int hw_intake_discharge_check(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *out) {
  int rc = hw_store_get_discharge(st, id, out);
  if (rc == 0) rc = client_locality_check(st, scope, out->client_id, NULL, NULL);
  if (rc == 0 && scope->owner) {
    hw_id creator = 0;
    rc = hw_store_get_discharge_owner(st, id, &creator);
    if (rc == 0 && creator != scope->owner) rc = HW_EFORBIDDEN;
  }
  return rc;
}

int hw_intake_get_discharge(hw_store *st, const hw_scope *scope, hw_id id, json_t **out) {
  hw_discharge x;
  int rc = hw_intake_discharge_check(st, scope, id, &x);
  if (rc) return rc;
  *out = hw_discharge_to_json(&x);
  return *out ? 0 : HW_ENOMEM;
}

static int append_workers(hw_store *st, hw_id locality_id, json_t *list) {
  hw_worker *ws = NULL;
  int32_t n = 0;
  int rc = hw_store_list_workers(st, locality_id, &ws, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++)
    if (json_array_append_new(list, hw_worker_to_json(&ws[i])) != 0) rc = HW_ENOMEM;
  free(ws);
  return rc;
}

int hw_intake_list_workers(hw_store *st, const hw_scope *scope, hw_id locality_id, json_t **out) {
  if (locality_id && !hw_scope_allows(scope, locality_id)) return HW_EFORBIDDEN;
  json_t *list = json_array();
  if (!list) return HW_ENOMEM;
  int rc = 0;
  if (locality_id || scope->all) rc = append_workers(st, locality_id, list);
  else
    for (int32_t i = 0; rc == 0 && i < scope->n; i++) rc = append_workers(st, scope->localities[i], list);
  if (rc) {
    json_decref(list);
    return rc;
  }
  *out = json_pack("{s:o}", "workers", list);
  return *out ? 0 : HW_ENOMEM;
}
