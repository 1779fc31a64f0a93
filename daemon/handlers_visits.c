/*
 * The visit endpoints: an extra (urgent) visit, pin / unpin / move / cancel one,
 * the day's visits (the unassigned ones with why), check-in and check-out. Each
 * write calls one scheduler/hw_service.h function on the writer thread.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_answers.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_handlers.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define WRITERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))
#define PRIORITY_URGENT 80

static int answer_visit(hw_service *svc, hw_action *a, int rc, hw_visit_result *res) {
  if (rc == 0) rc = hw_action_answer_client(a, hw_json_visit_result(res), svc, res->visit.client_id);
  free(res);
  return rc;
}

static int run_visit_create(hw_service *svc, hw_action *a) {
  hw_visit_result *res = calloc(1, sizeof *res);
  return answer_visit(svc, a, res ? hw_service_visit_create(svc, &a->change, a->req, res) : HW_ENOMEM, res);
}

/* POST /v1/visits {"client_id","referral_id"?,"date","window":{"start","end"},
 * "duration","skills"?,"workers"?,"medication"?,"priority"?}. */
static int visit_create(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id",         "status",    "worker_ids",    "planned_start",  "check_in",
                                       "check_out",  "pinned",    "cancel_reason", "unplaced_reason", NULL};
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_request_reject_fields(body, server, &a->errs);
  int has_priority = json_object_get(body, "priority") != NULL;
  hw_visit *v = calloc(1, sizeof *v);
  a->req = v;
  if (v && hw_visit_from_json(body, "", v, &a->errs) == 0 && !has_priority)
    v->priority = v->medication ? 90 : PRIORITY_URGENT;
  if (v && v->medication) v->skills |= 1u << HW_SKILL_MEDICATION;
  json_decref(body);
  if (!v) return HW_ENOMEM;
  a->run = run_visit_create;
  return a->errs.n ? HW_EINVAL : 0;
}

static int run_visit_change(hw_service *svc, hw_action *a) {
  hw_visit_result *res = calloc(1, sizeof *res);
  return answer_visit(svc, a, res ? hw_service_visit_change(svc, &a->change, a->id, a->req, res) : HW_ENOMEM, res);
}

static void read_workers(const json_t *v, hw_visit_patch *p, hw_errors *errs) {
  size_t n = json_array_size(v);
  if (!json_is_array(v) || n < 1 || n > 2) {
    hw_errors_add(errs, "/worker_ids", "must be a list of one or two worker ids");
    return;
  }
  p->set_workers = 1;
  for (size_t i = 0; i < n; i++) {
    const json_t *w = json_array_get(v, i);
    if (!json_is_integer(w) || json_integer_value(w) <= 0) hw_errors_add(errs, "/worker_ids", "must hold worker ids");
    else p->worker_ids[i] = json_integer_value(w);
  }
  if (p->worker_ids[1] && p->worker_ids[0] == p->worker_ids[1])
    hw_errors_add(errs, "/worker_ids/1", "same worker listed twice");
}

/* PATCH /v1/visits/{id} {"pinned"?, "worker_ids"?, "planned_start"?, "status"?:"cancelled"}. */
static int visit_change(hw_exchange *x, hw_action *a) {
  static const char *const fields[] = {"pinned", "worker_ids", "planned_start", "status", NULL};
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  hw_visit_patch *p = calloc(1, sizeof *p);
  a->req = p;
  if (p) {
    hw_request_only_fields(body, fields, &a->errs);
    const json_t *v;
    if ((v = json_object_get(body, "pinned"))) {
      if (!json_is_boolean(v)) hw_errors_add(&a->errs, "/pinned", "must be true or false");
      p->set_pinned = 1;
      p->pinned = json_is_true(v);
    }
    if ((v = json_object_get(body, "worker_ids"))) read_workers(v, p, &a->errs);
    p->set_start = hw_request_time(body, "planned_start", 0, &p->planned_start, &a->errs) == 1;
    if ((v = json_object_get(body, "status"))) {
      if (!json_is_string(v) || strcmp(json_string_value(v), "cancelled") != 0)
        hw_errors_add(&a->errs, "/status", "may only be set to \"cancelled\"");
      p->cancel = 1;
    }
    if (p->cancel && (p->set_workers || p->set_start || p->set_pinned))
      hw_errors_add(&a->errs, "/status", "a cancelled visit is not also moved or pinned");
    if (json_object_size(body) == 0) hw_errors_add(&a->errs, "", "nothing to change");
  }
  json_decref(body);
  if (!p) return HW_ENOMEM;
  a->run = run_visit_change;
  return a->errs.n ? HW_EINVAL : 0;
}

static int run_check_in(hw_service *svc, hw_action *a) {
  hw_visit_result *res = calloc(1, sizeof *res);
  return answer_visit(svc, a, res ? hw_service_check_in(svc, &a->change, a->id, a->at, res) : HW_ENOMEM, res);
}

static int run_check_out(hw_service *svc, hw_action *a) {
  hw_visit_result *res = calloc(1, sizeof *res);
  return answer_visit(svc, a, res ? hw_service_check_out(svc, &a->change, a->id, a->at, res) : HW_ENOMEM, res);
}

/* {"at"?} (default: now). */
static int check_stamp(hw_exchange *x, hw_action *a, int (*run)(hw_service *, hw_action *)) {
  static const char *const fields[] = {"at", NULL};
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 1, &a->errs);
  if (!body) return HW_EINVAL;
  a->at = x->now;
  hw_request_only_fields(body, fields, &a->errs);
  hw_request_time(body, "at", 0, &a->at, &a->errs);
  json_decref(body);
  a->run = run;
  return a->errs.n ? HW_EINVAL : 0;
}
static int check_in(hw_exchange *x, hw_action *a) { return check_stamp(x, a, run_check_in); }
static int check_out(hw_exchange *x, hw_action *a) { return check_stamp(x, a, run_check_out); }

static void visit_get(hw_exchange *x) {
  hw_id id;
  hw_visit v;
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_service_get_visit(x->store, &x->who.scope, id, &v);
  hw_answer_read(x, rc, rc ? NULL : hw_visit_to_json(&v), "visit");
}

static int parse_visit_status(const char *s, int *out) {
  if (strcmp(s, "unassigned") == 0) return (*out = -2), 0;
  hw_visit_status v;
  int rc = hw_visit_status_parse(s, &v);
  if (rc == 0) *out = (int)v;
  return rc;
}

static json_t *enc_visit(const void *v) { return hw_visit_to_json(v); }

/* GET /v1/visits?date=&locality=&status= (status=unassigned: not rostered, with
 * unplaced_reason). */
static void visit_list(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = hw_time_local_date(x->now);
  hw_id locality = 0;
  int status = -1;
  hw_query_date(x, "date", &date, &errs);
  hw_query_id(x, "locality", &locality, &errs);
  hw_query_enum(x, "status", parse_visit_status, &status, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_visit *vs = NULL;
  int32_t n = 0;
  int rc = hw_service_visits(x->store, &x->who.scope, date, locality, status == -2 ? -1 : status, status == -2, &vs, &n);
  json_t *doc = rc ? NULL : hw_json_list("visits", vs, n, sizeof *vs, enc_visit);
  if (doc) json_object_set_new(doc, "date", hw_json_date(date));
  hw_answer_read(x, rc, doc, "locality");
  free(vs);
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_visits[] = {
    {"date", "date", 0, "the day (default: today)"},
    {"locality", "id", 0, "one locality"},
    {"status", "string", 0, "a visit status, or unassigned (not rostered, with unplaced_reason)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_visit_create = {
    "An extra (urgent) visit, repaired in at once", NULL, "VisitNew", "Result", NULL};
static const hw_api_doc doc_visit_get = {"One visit (a worker: only their own)", NULL, NULL, "Visit", NULL};
static const hw_api_doc doc_visit_change = {"Pin, unpin, move or cancel a visit", NULL, "VisitPatch", "Result", NULL};
static const hw_api_doc doc_visit_list = {
    "A day's visits; status=unassigned lists those not rostered, with why", q_visits, NULL, "Visits", NULL};
static const hw_api_doc doc_visit_check_in = {
    "Check in to a visit (a worker: only their own)", NULL, "At", "Result", NULL};
static const hw_api_doc doc_visit_check_out = {
    "Check out of a visit (a worker: only their own)", NULL, "At", "Result", NULL};

const hw_handler hw_handler_visit_create = {"visits.create", WRITERS, NULL, visit_create, 201, 1, &doc_visit_create};
const hw_handler hw_handler_visit_get = {"visits.get", READERS | ROLE(WORKER), visit_get, NULL, 200, 0, &doc_visit_get};
const hw_handler hw_handler_visit_change = {"visits.change", WRITERS, NULL, visit_change, 200, 1, &doc_visit_change};
const hw_handler hw_handler_visit_list = {"visits.list", READERS, visit_list, NULL, 200, 0, &doc_visit_list};
const hw_handler hw_handler_visit_check_in = {"visits.check_in", WRITERS | ROLE(WORKER), NULL, check_in, 200, 1,
                                              &doc_visit_check_in};
const hw_handler hw_handler_visit_check_out = {"visits.check_out", WRITERS | ROLE(WORKER), NULL, check_out, 200, 1,
                                               &doc_visit_check_out};
