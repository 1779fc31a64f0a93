/*
 * The record endpoints: referrals (and their CSV import), reviews, clients (with
 * suspend and resume), workers and their absences, teams. A write parses its
 * body into domain structs here (requests.c helps) and its run function - on the
 * writer thread - calls one scheduler/hw_service.h function and writes the
 * answer (answers.c). A PATCH merges the change into the record as stored, on
 * the writer thread, so every rule of the record holds after it.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_answers.h"
#include "hw_csv.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_handlers.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define WRITERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))

static int path_id(hw_exchange *x, hw_action *a) { return hw_exchange_id(x, "id", &a->id); }

/* ---- Referrals ------------------------------------------------------------------------ */

typedef struct referral_req {
  hw_referral referral;
  hw_client client;
  int has_client;
} referral_req;

static int run_referral_create(hw_service *svc, hw_action *a) {
  referral_req *rq = a->req;
  hw_referral_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_referral_create(svc, &a->change, &rq->referral, rq->has_client ? &rq->client : NULL, res)
               : HW_ENOMEM;
  if (rc == 0) rc = hw_action_answer_client(a, hw_json_referral_result(res), svc, res->referral.client_id);
  free(res);
  return rc;
}

static int referral_create(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id", "status", "team_id", "received_at", "outcome", "waiting", NULL};
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  referral_req *rq = calloc(1, sizeof *rq);
  a->req = rq;
  hw_request_reject_fields(body, server, &a->errs);
  json_t *doc = rq ? hw_request_record_doc(body, &rq->client, &rq->has_client, &a->errs) : NULL;
  if (doc) hw_referral_from_json(doc, "", &rq->referral, &a->errs);
  json_decref(body);
  if (!doc) return HW_ENOMEM; /* nothing was decoded */
  json_decref(doc);
  a->run = run_referral_create;
  return a->errs.n ? HW_EINVAL : 0;
}

static int run_referral_change(hw_service *svc, hw_action *a) {
  hw_referral_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_referral_change(svc, &a->change, a->id, a->req, res) : HW_ENOMEM;
  if (rc == 0) rc = hw_action_answer_client(a, hw_json_referral_result(res), svc, res->referral.client_id);
  free(res);
  return rc;
}

/* {"care_plan"?, "start_date"?, "end_date"? (null: open-ended)}. */
static int referral_change(hw_exchange *x, hw_action *a) {
  static const char *const fields[] = {"care_plan", "start_date", "end_date", NULL};
  int rc = path_id(x, a);
  if (rc) return rc;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_referral_patch *p = calloc(1, sizeof *p);
  a->req = p;
  if (!p) {
    json_decref(body);
    return HW_ENOMEM;
  }
  hw_request_only_fields(body, fields, &a->errs);
  const json_t *v;
  const char *why = "must be a date YYYY-MM-DD";
  if ((v = json_object_get(body, "care_plan"))) {
    p->set_care_plan = 1;
    hw_care_plan_from_json(v, "/care_plan", p->templates, &p->n_templates, &a->errs);
  }
  if ((v = json_object_get(body, "start_date"))) {
    p->set_start = 1;
    if (!json_is_string(v) || hw_date_parse(json_string_value(v), &p->start_date, &why))
      hw_errors_add(&a->errs, "/start_date", "%s", why);
  }
  if ((v = json_object_get(body, "end_date"))) {
    p->set_end = 1;
    p->end_date = HW_DATE_NONE;
    if (!json_is_null(v) && (!json_is_string(v) || hw_date_parse(json_string_value(v), &p->end_date, &why)))
      hw_errors_add(&a->errs, "/end_date", "%s (or null: open-ended)", why);
  }
  if (json_object_size(body) == 0) hw_errors_add(&a->errs, "", "nothing to change");
  json_decref(body);
  a->run = run_referral_change;
  return a->errs.n ? HW_EINVAL : 0;
}

typedef struct import_req {
  hw_referral *rows;
  int32_t *first_row;           /* the file row where each referral begins */
  int32_t n;
} import_req;

static void release_import(hw_action *a) {
  import_req *rq = a->req;
  if (rq) free(rq->rows), free(rq->first_row);
  free(rq);
}

static int run_referral_import(hw_service *svc, hw_action *a) {
  import_req *rq = a->req;
  hw_referral_result *res = calloc((size_t)rq->n + 1, sizeof *res);
  int rc = res ? hw_service_referral_import(svc, &a->change, rq->rows, rq->n, res) : HW_ENOMEM;
  if (rc) hw_csv_name_referral_errors(&a->errs, rq->first_row, rq->n); /* one language per import */
  json_t *list = rc == 0 ? json_array() : NULL;
  for (int32_t i = 0; list && i < rq->n; i++) json_array_append_new(list, hw_json_referral_result(&res[i]));
  if (rc == 0) {
    int32_t allocated = 0;
    for (int32_t i = 0; i < rq->n; i++) allocated += res[i].referral.status == HW_REFERRAL_ALLOCATED;
    rc = hw_action_answer(a, json_pack("{s:i, s:i, s:i, s:o}", "rows", rq->n, "allocated", allocated, "waiting",
                                       rq->n - allocated, "referrals", list),
                          0);
  }
  free(res);
  return rc;
}

/* POST /v1/referrals/import: a CSV of referrals (text/csv, docs/api.md), all or
 * nothing: every problem of the file is reported before anything is stored. */
static int referral_import(hw_exchange *x, hw_action *a) {
  import_req *rq = calloc(1, sizeof *rq);
  a->req = rq;
  a->release = release_import;
  if (!rq) return HW_ENOMEM;
  hw_csv_report rep;
  int rc = hw_csv_parse_referrals(x->req->body ? x->req->body : "", x->req->body_len, &rq->rows, &rq->first_row,
                                  &rq->n, &rep);
  a->errs = rep.errors;
  if (rc) return rc;
  a->run = run_referral_import;
  return 0;
}

static void referral_get(hw_exchange *x) {
  hw_id id;
  hw_referral r;
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_service_get_referral(x->store, &x->who.scope, id, &r);
  hw_answer_read(x, rc, rc ? NULL : hw_referral_to_json(&r), "referral");
}

static int parse_referral_status(const char *s, int *out) {
  hw_referral_status v;
  int rc = hw_referral_status_parse(s, &v);
  if (rc == 0) *out = (int)v;
  return rc;
}

static json_t *enc_referral(const void *v) { return hw_referral_to_json(v); }

/* GET /v1/referrals?status=&locality=: the waiting list (status=waiting), oldest
 * first, each with why it waits and its earliest date. */
static void referral_list(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  int status = -1;
  hw_id locality = 0;
  hw_query_enum(x, "status", parse_referral_status, &status, &errs);
  hw_query_id(x, "locality", &locality, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_referral *rs = NULL;
  int32_t n = 0;
  int rc = hw_service_referrals(x->store, &x->who.scope, status, locality, &rs, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_list("referrals", rs, n, sizeof *rs, enc_referral), "locality");
  free(rs);
}

/* ---- Reviews ------------------------------------------------------------------------- */

static int run_review(hw_service *svc, hw_action *a) {
  hw_review_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_review(svc, &a->change, a->id, a->req, res) : HW_ENOMEM;
  if (rc == 0) rc = hw_action_answer_client(a, hw_json_review_result(res), svc, res->referral.client_id);
  free(res);
  return rc;
}

/* POST /v1/referrals/{id}/reviews {"date"?, "finding", "note"?}: date defaults to today. */
static int review_create(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id", "referral_id", "outcome", "next_referral_id", NULL};
  int rc = path_id(x, a);
  if (rc) return rc;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_review *rv = calloc(1, sizeof *rv);
  a->req = rv;
  hw_request_reject_fields(body, server, &a->errs);
  if (!json_object_get(body, "date")) {
    char today[16];
    json_object_set_new(body, "date", json_string(hw_date_format(hw_time_local_date(x->now), today, sizeof today)));
  }
  if (rv) hw_review_from_json(body, "", rv, &a->errs);
  json_decref(body);
  if (!rv) return HW_ENOMEM;
  a->run = run_review;
  return a->errs.n ? HW_EINVAL : 0;
}

/* GET /v1/reviews/due?date=&locality=: episodes whose review is due by date (today). */
static void reviews_due(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = hw_time_local_date(x->now);
  hw_id locality = 0;
  hw_query_date(x, "date", &date, &errs);
  hw_query_id(x, "locality", &locality, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_referral *rs = NULL;
  hw_date *due = NULL;
  int32_t n = 0;
  int rc = hw_service_reviews_due(x->store, x->settings, &x->who.scope, date, locality, &rs, &due, &n);
  json_t *list = rc == 0 ? json_array() : NULL;
  for (int32_t i = 0; list && i < n; i++)
    json_array_append_new(list, json_pack("{s:o, s:o}", "referral", hw_referral_to_json(&rs[i]), "due",
                                          hw_json_date(due[i])));
  free(rs);
  free(due);
  hw_answer_read(x, rc, rc ? NULL : json_pack("{s:o, s:o}", "date", hw_json_date(date), "reviews", list), "locality");
}

/* ---- Clients, workers, teams ----------------------------------------------------------- */

/* A PATCH of a stored record: its JSON with the change merged in, decoded again. */
typedef struct patch_req {
  json_t *body;
} patch_req;

static void release_patch(hw_action *a) {
  patch_req *p = a->req;
  if (p) json_decref(p->body);
  free(p);
}

/* Keep body as the action's patch (stolen). */
static int keep_patch(hw_action *a, json_t *body, int (*run)(hw_service *, hw_action *)) {
  patch_req *p = calloc(1, sizeof *p);
  a->req = p;
  a->release = release_patch;
  if (!p) {
    json_decref(body);
    return HW_ENOMEM;
  }
  p->body = body;
  a->run = run;
  return a->errs.n ? HW_EINVAL : 0;
}

/* RFC 7386 JSON merge patch: null removes a member (an optional field goes back
 * to its default; a required one is then reported missing), an object merges
 * into an object member by member, anything else replaces. */
static int merge_patch(json_t *target, const json_t *patch) {
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)patch, key, value) {
    json_t *old = json_object_get(target, key);
    int rc = json_is_null(value) ? (old ? json_object_del(target, key) : 0)
             : json_is_object(value) && json_is_object(old) ? merge_patch(old, value)
                                                             : json_object_set(target, key, value);
    if (rc) return rc;
  }
  return 0;
}

/* The stored record's JSON with the patch merged in (new reference), or NULL
 * when out of memory. */
static json_t *merged(json_t *stored, const hw_action *a) {
  const patch_req *p = a->req;
  if (stored && merge_patch(stored, p->body)) {
    json_decref(stored);
    return NULL;
  }
  return stored;
}

static int run_client_save(hw_service *svc, hw_action *a) {
  hw_client c;
  int rc = 0;
  if (a->id) {
    hw_client old;
    rc = hw_service_get_client(hw_service_store(svc), &a->scope, a->id, &old);
    json_t *doc = rc == 0 ? merged(hw_client_to_json(&old), a) : NULL;
    if (rc == 0 && (!doc || hw_client_from_json(doc, "", &c, &a->errs))) rc = doc ? HW_EINVAL : HW_ENOMEM;
    json_decref(doc);
  } else {
    rc = hw_client_from_json(((patch_req *)a->req)->body, "", &c, &a->errs);
  }
  if (rc == 0) rc = hw_service_client_save(svc, &a->change, &c);
  return rc ? rc : hw_action_answer(a, hw_client_to_json(&c), c.locality_id);
}

static int client_write(hw_exchange *x, hw_action *a, int by_id) {
  static const char *const server[] = {"id", "suspended", NULL};
  if (by_id && path_id(x, a)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_reject_fields(body, server, &a->errs);
  return keep_patch(a, body, run_client_save);
}
static int client_create(hw_exchange *x, hw_action *a) { return client_write(x, a, 0); }
static int client_change(hw_exchange *x, hw_action *a) { return client_write(x, a, 1); }

static int run_worker_save(hw_service *svc, hw_action *a) {
  hw_worker w;
  int rc = 0;
  if (a->id) {
    hw_worker old;
    rc = hw_service_get_worker(hw_service_store(svc), &a->scope, a->id, &old);
    json_t *doc = rc == 0 ? merged(hw_worker_to_json(&old), a) : NULL;
    if (rc == 0 && (!doc || hw_worker_from_json(doc, "", &w, &a->errs))) rc = doc ? HW_EINVAL : HW_ENOMEM;
    json_decref(doc);
  } else {
    rc = hw_worker_from_json(((patch_req *)a->req)->body, "", &w, &a->errs);
  }
  if (rc == 0) rc = hw_service_worker_save(svc, &a->change, &w);
  return rc ? rc : hw_action_answer_worker(a, hw_worker_to_json(&w), svc, w.id);
}

static int worker_write(hw_exchange *x, hw_action *a, int by_id) {
  static const char *const server[] = {"id", NULL};
  if (by_id && path_id(x, a)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_reject_fields(body, server, &a->errs);
  return keep_patch(a, body, run_worker_save);
}
static int worker_create(hw_exchange *x, hw_action *a) { return worker_write(x, a, 0); }
static int worker_change(hw_exchange *x, hw_action *a) { return worker_write(x, a, 1); }

static int run_team_save(hw_service *svc, hw_action *a) {
  hw_team t;
  int rc = 0;
  if (a->id) {
    hw_team old;
    rc = hw_service_get_team(hw_service_store(svc), &a->scope, a->id, &old);
    json_t *doc = rc == 0 ? merged(hw_team_to_json(&old), a) : NULL;
    if (rc == 0 && (!doc || hw_team_from_json(doc, "", &t, &a->errs))) rc = doc ? HW_EINVAL : HW_ENOMEM;
    json_decref(doc);
  } else {
    rc = hw_team_from_json(((patch_req *)a->req)->body, "", &t, &a->errs);
  }
  if (rc == 0) rc = hw_service_team_save(svc, &a->change, &t);
  return rc ? rc : hw_action_answer(a, hw_team_to_json(&t), t.locality_id);
}

static int team_create(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id", NULL};
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_reject_fields(body, server, &a->errs);
  return keep_patch(a, body, run_team_save);
}

/* A team keeps its locality; its name and kind may change. */
static int team_change(hw_exchange *x, hw_action *a) {
  static const char *const fields[] = {"name", "kind", NULL};
  if (path_id(x, a)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_only_fields(body, fields, &a->errs);
  return keep_patch(a, body, run_team_save);
}

/* GET one record within the caller's scope. */
#define HW_GET_HANDLER(fn, type, what)                                        \
  static void fn(hw_exchange *x) {                                            \
    hw_id id;                                                                 \
    hw_##type v;                                                              \
    int rc = hw_exchange_id(x, "id", &id);                                    \
    if (rc == 0) rc = hw_service_get_##type(x->store, &x->who.scope, id, &v); \
    hw_answer_read(x, rc, rc ? NULL : hw_##type##_to_json(&v), what);        \
  }
HW_GET_HANDLER(client_get, client, "client")
HW_GET_HANDLER(worker_get, worker, "worker")
HW_GET_HANDLER(team_get, team, "team")
#undef HW_GET_HANDLER

static json_t *enc_client(const void *v) { return hw_client_to_json(v); }
static json_t *enc_worker(const void *v) { return hw_worker_to_json(v); }
static json_t *enc_team(const void *v) { return hw_team_to_json(v); }

/* GET a list within the caller's scope: ?locality= (every one in scope when absent). */
#define HW_LIST_HANDLER(fn, type, key)                                                              \
  static void fn(hw_exchange *x) {                                                                  \
    hw_errors errs;                                                                                 \
    hw_errors_init(&errs);                                                                          \
    hw_id locality = 0;                                                                             \
    hw_query_id(x, "locality", &locality, &errs);                                                   \
    if (errs.n) {                                                                                   \
      hw_answer_problem(x, 400, "bad query parameters", &errs);                                     \
      return;                                                                                       \
    }                                                                                               \
    hw_##type *v = NULL;                                                                            \
    int32_t n = 0;                                                                                  \
    int rc = hw_service_##key(x->store, &x->who.scope, locality, &v, &n);                          \
    hw_answer_read(x, rc, rc ? NULL : hw_json_list(#key, v, n, sizeof *v, enc_##type), "locality"); \
    free(v);                                                                                        \
  }
HW_LIST_HANDLER(client_list, client, clients)
HW_LIST_HANDLER(worker_list, worker, workers)
HW_LIST_HANDLER(team_list, team, teams)
#undef HW_LIST_HANDLER

/* ---- Suspend and resume, absences ---------------------------------------------------- */

typedef struct suspend_req {
  hw_time from, until;
  char reason[32];
} suspend_req;

static int run_suspend(hw_service *svc, hw_action *a) {
  suspend_req *rq = a->req;
  hw_suspend_result *res = calloc(1, sizeof *res);
  int rc = !res ? HW_ENOMEM
           : rq->reason[0] ? hw_service_client_suspend(svc, &a->change, a->id, rq->from, rq->until, rq->reason, res)
                           : hw_service_client_resume(svc, &a->change, a->id, rq->from, res);
  if (rc == 0) rc = hw_action_answer(a, hw_json_suspend_result(res), res->client.locality_id);
  free(res);
  return rc;
}

/* POST /v1/clients/{id}/suspend {"from"?, "until"?, "reason"?} (a hospital
 * admission by default, from now) and /resume {"at"?}. */
static int suspension(hw_exchange *x, hw_action *a, int resume) {
  static const char *const suspend_fields[] = {"from", "until", "reason", NULL};
  static const char *const resume_fields[] = {"at", NULL};
  if (path_id(x, a)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 1, &a->errs);
  if (!body) return HW_EINVAL;
  suspend_req *rq = calloc(1, sizeof *rq);
  a->req = rq;
  if (rq) {
    rq->from = x->now;
    rq->until = HW_TIME_NONE;
    hw_request_only_fields(body, resume ? resume_fields : suspend_fields, &a->errs);
    hw_request_time(body, resume ? "at" : "from", 0, &rq->from, &a->errs);
    if (!resume) {
      hw_request_time(body, "until", 0, &rq->until, &a->errs);
      const json_t *r = json_object_get(body, "reason");
      if (r && (!json_is_string(r) || json_string_length(r) == 0 || json_string_length(r) >= sizeof rq->reason))
        hw_errors_add(&a->errs, "/reason", "must be a short text (1..31 characters)");
      snprintf(rq->reason, sizeof rq->reason, "%s", r ? json_string_value(r) : "hospital_admission");
    }
  }
  json_decref(body);
  if (!rq) return HW_ENOMEM;
  a->run = run_suspend;
  return a->errs.n ? HW_EINVAL : 0;
}
static int client_suspend(hw_exchange *x, hw_action *a) { return suspension(x, a, 0); }
static int client_resume(hw_exchange *x, hw_action *a) { return suspension(x, a, 1); }

static int run_absence(hw_service *svc, hw_action *a) {
  hw_absence_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_absence(svc, &a->change, a->req, res) : HW_ENOMEM;
  if (rc == 0) rc = hw_action_answer_worker(a, hw_json_absence_result(res), svc, res->absence.worker_id);
  free(res);
  return rc;
}

/* POST /v1/workers/{id}/absences {"from","to","reason"}. */
static int absence_record(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id", NULL};
  if (path_id(x, a)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_reject_fields(body, server, &a->errs);
  if (json_object_get(body, "worker_id")) hw_errors_add(&a->errs, "/worker_id", "is taken from the path; leave it out");
  int set = json_object_set_new(body, "worker_id", json_integer(a->id));
  hw_absence *ab = calloc(1, sizeof *ab);
  a->req = ab;
  if (ab && set == 0) hw_absence_from_json(body, "", ab, &a->errs);
  json_decref(body);
  if (!ab || set) return HW_ENOMEM;
  a->run = run_absence;
  return a->errs.n ? HW_EINVAL : 0;
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_ref_list[] = {
    {"status", "string", 0, "waiting, allocated, ended or cancelled"},
    {"locality", "id", 0, "one locality (default: every one in reach)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_date_loc[] = {
    {"date", "date", 0, "the day (default: today)"},
    {"locality", "id", 0, "one locality (default: every one in reach)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_loc[] = {
    {"locality", "id", 0, "one locality (default: every one in reach)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_referral_create = {
    "A new referral, allocated on arrival or waiting with why and the earliest date", NULL, "ReferralNew", "Result",
    NULL};
static const hw_api_doc doc_referral_get = {"One referral", NULL, NULL, "Referral", NULL};
static const hw_api_doc doc_referral_change = {
    "Change a care plan or dates (a change of need)", NULL, "ReferralPatch", "Result", NULL};
static const hw_api_doc doc_referral_list = {
    "Referrals; status=waiting is the waiting list, with why and the earliest date", q_ref_list, NULL, "Referrals",
    NULL};
static const hw_api_doc doc_referral_import = {"Referrals from CSV, all or none", NULL, "text/csv", "Import", NULL};
static const hw_api_doc doc_review_create = {
    "Hold a review of a reablement episode", NULL, "ReviewNew", "Result", NULL};
static const hw_api_doc doc_reviews_due = {"Episodes whose review is due", q_date_loc, NULL, "Referrals", NULL};
static const hw_api_doc doc_client_create = {"A new client", NULL, "ClientNew", "Client", NULL};
static const hw_api_doc doc_client_get = {"One client", NULL, NULL, "Client", NULL};
static const hw_api_doc doc_client_change = {"Change a client (the fields given)", NULL, "ClientPatch", "Client", NULL};
static const hw_api_doc doc_client_list = {"Clients", q_loc, NULL, "Clients", NULL};
static const hw_api_doc doc_client_suspend = {
    "Suspend a client's visits (a hospital admission)", NULL, "Suspend", "Result", NULL};
static const hw_api_doc doc_client_resume = {"Resume a client's visits", NULL, "At", "Result", NULL};
static const hw_api_doc doc_worker_create = {"A new worker", NULL, "WorkerNew", "Worker", NULL};
static const hw_api_doc doc_worker_get = {"One worker, with shifts and breaks", NULL, NULL, "Worker", NULL};
static const hw_api_doc doc_worker_change = {"Change a worker (the fields given)", NULL, "WorkerPatch", "Worker", NULL};
static const hw_api_doc doc_worker_list = {"Workers", q_loc, NULL, "Workers", NULL};
static const hw_api_doc doc_absence_record = {
    "Record an absence; the worker's visits are repaired", NULL, "AbsenceNew", "Result", NULL};
static const hw_api_doc doc_team_create = {"A new team", NULL, "TeamNew", "Team", NULL};
static const hw_api_doc doc_team_get = {"One team", NULL, NULL, "Team", NULL};
static const hw_api_doc doc_team_change = {"Rename a team or change its kind", NULL, "TeamPatch", "Team", NULL};
static const hw_api_doc doc_team_list = {"Teams", q_loc, NULL, "Teams", NULL};

const hw_handler hw_handler_referral_create = {"referrals.create", WRITERS, NULL, referral_create, 201, 1,
                                               &doc_referral_create};
const hw_handler hw_handler_referral_get = {"referrals.get", READERS, referral_get, NULL, 200, 0, &doc_referral_get};
const hw_handler hw_handler_referral_change = {"referrals.change", WRITERS, NULL, referral_change, 200, 1,
                                               &doc_referral_change};
const hw_handler hw_handler_referral_list = {"referrals.list", READERS, referral_list, NULL, 200, 0,
                                             &doc_referral_list};
const hw_handler hw_handler_referral_import = {"referrals.import", WRITERS, NULL, referral_import, 201, 2,
                                               &doc_referral_import};
const hw_handler hw_handler_review_create = {"reviews.create", WRITERS, NULL, review_create, 201, 1,
                                             &doc_review_create};
const hw_handler hw_handler_reviews_due = {"reviews.due", READERS, reviews_due, NULL, 200, 0, &doc_reviews_due};
const hw_handler hw_handler_client_create = {"clients.create", WRITERS, NULL, client_create, 201, 1,
                                             &doc_client_create};
const hw_handler hw_handler_client_get = {"clients.get", READERS, client_get, NULL, 200, 0, &doc_client_get};
const hw_handler hw_handler_client_change = {"clients.change", WRITERS, NULL, client_change, 200, 1,
                                             &doc_client_change};
const hw_handler hw_handler_client_list = {"clients.list", READERS, client_list, NULL, 200, 0, &doc_client_list};
const hw_handler hw_handler_client_suspend = {"clients.suspend", WRITERS, NULL, client_suspend, 200, 1,
                                              &doc_client_suspend};
const hw_handler hw_handler_client_resume = {"clients.resume", WRITERS, NULL, client_resume, 200, 1,
                                             &doc_client_resume};
const hw_handler hw_handler_worker_create = {"workers.create", WRITERS, NULL, worker_create, 201, 1,
                                             &doc_worker_create};
const hw_handler hw_handler_worker_get = {"workers.get", READERS, worker_get, NULL, 200, 0, &doc_worker_get};
const hw_handler hw_handler_worker_change = {"workers.change", WRITERS, NULL, worker_change, 200, 1,
                                             &doc_worker_change};
const hw_handler hw_handler_worker_list = {"workers.list", READERS, worker_list, NULL, 200, 0, &doc_worker_list};
const hw_handler hw_handler_absence_record = {"absences.create", WRITERS, NULL, absence_record, 201, 1,
                                              &doc_absence_record};
const hw_handler hw_handler_team_create = {"teams.create", WRITERS, NULL, team_create, 201, 1, &doc_team_create};
const hw_handler hw_handler_team_get = {"teams.get", READERS, team_get, NULL, 200, 0, &doc_team_get};
const hw_handler hw_handler_team_change = {"teams.change", WRITERS, NULL, team_change, 200, 1, &doc_team_change};
const hw_handler hw_handler_team_list = {"teams.list", READERS, team_list, NULL, 200, 0, &doc_team_list};
