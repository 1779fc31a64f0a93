/*
 * The record endpoints: referrals, workers and absences, visits (check-in and
 * check-out), discharge requests. Writes hand their body to scheduler/intake.c
 * (hw_intake_prepare here, hw_intake_apply on the writer thread); reads call the
 * intake's read functions, which apply the caller's locality scope. Three writes
 * do more than store a record, through one scheduler/hw_service.h function each:
 * a discharge request gets its D2A offer, an absence and a late check-out repair
 * the rosters they break.
 */
#include "hw_error.h"
#include "hw_handlers.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define WRITERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))

/* Prepare a change of kind, addressed by the path's {id} when by_id. */
static int prepare(hw_exchange *x, hw_action *a, hw_intake_kind kind, int by_id) {
  hw_id id = 0;
  if (by_id) {
    int rc = hw_exchange_id(x, "id", &id);
    if (rc) return rc;
  }
  a->id = id;
  return hw_intake_prepare(&a->change, kind, &x->who.scope, id, x->req->body, x->req->body_len, x->now);
}

/* The scheduler's side of a change (hw_service.h), run by the writer. */
static int run_discharge_request(hw_store *st, hw_action *a) {
  return hw_service_discharge_request(st, &a->change, &a->ev, a->d2a, &a->call);
}
static int run_absence(hw_store *st, hw_action *a) { return hw_service_absence(st, &a->change, &a->ev, &a->call); }
static int run_check_out(hw_store *st, hw_action *a) { return hw_service_check_out(st, &a->change, &a->ev, &a->call); }

/* Answer a read: the JSON, or a problem for rc. */
static void answer_read(hw_exchange *x, int rc, json_t *doc, const char *what) {
  if (rc == 0) {
    hw_answer_json(x, 200, doc);
    return;
  }
  char detail[96];
  snprintf(detail, sizeof detail, rc == HW_ENOTFOUND ? "no such %s" : rc == HW_EFORBIDDEN ? "the %s is outside your localities" : "the %s cannot be read", what);
  hw_answer_error(x, rc, detail, NULL);
}

static int referral_create(hw_exchange *x, hw_action *a) { return prepare(x, a, HW_INTAKE_REFERRAL_CREATE, 0); }
static int referral_change(hw_exchange *x, hw_action *a) { return prepare(x, a, HW_INTAKE_REFERRAL_CHANGE, 1); }
static int worker_create(hw_exchange *x, hw_action *a) { return prepare(x, a, HW_INTAKE_WORKER_CREATE, 0); }
static int check_in(hw_exchange *x, hw_action *a) { return prepare(x, a, HW_INTAKE_VISIT_CHECK_IN, 1); }

static int absence_record(hw_exchange *x, hw_action *a) {
  a->run = run_absence;
  return prepare(x, a, HW_INTAKE_ABSENCE_RECORD, 1);
}

static int check_out(hw_exchange *x, hw_action *a) {
  a->run = run_check_out;
  return prepare(x, a, HW_INTAKE_VISIT_CHECK_OUT, 1);
}

static int discharge_create(hw_exchange *x, hw_action *a) {
  a->run = run_discharge_request;
  return prepare(x, a, HW_INTAKE_DISCHARGE_CREATE, 0);
}

static void referral_get(hw_exchange *x) {
  hw_id id;
  json_t *doc = NULL;
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_intake_get_referral(x->store, &x->who.scope, id, &doc);
  answer_read(x, rc, doc, "referral");
}

static void discharge_get(hw_exchange *x) {
  hw_id id;
  json_t *doc = NULL;
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_intake_get_discharge(x->store, &x->who.scope, id, &doc);
  answer_read(x, rc, doc, "discharge request");
}

static void worker_list(hw_exchange *x) {
  char buf[32];
  hw_id locality = 0;
  int rc = hw_http_query_get(x->req->query, "locality", buf, sizeof buf);
  if (rc == 0) {
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (end == buf || *end || v <= 0) {
      hw_errors errs;
      hw_errors_init(&errs);
      hw_errors_add(&errs, "/query/locality", "must be a locality id (a positive integer)");
      hw_answer_problem(x, 400, "bad query parameters", &errs);
      return;
    }
    locality = v;
  }
  json_t *doc = NULL;
  rc = hw_intake_list_workers(x->store, &x->who.scope, locality, &doc);
  answer_read(x, rc, doc, "locality");
}

const hw_handler hw_handler_referral_create = {"referrals.create", WRITERS, NULL, referral_create, 201};
const hw_handler hw_handler_referral_get = {"referrals.get", READERS, referral_get, NULL, 200};
const hw_handler hw_handler_referral_change = {"referrals.change", WRITERS, NULL, referral_change, 200};
const hw_handler hw_handler_worker_create = {"workers.create", WRITERS, NULL, worker_create, 201};
const hw_handler hw_handler_worker_list = {"workers.list", READERS, worker_list, NULL, 200};
const hw_handler hw_handler_absence_record = {"absences.create", WRITERS, NULL, absence_record, 201};
const hw_handler hw_handler_visit_check_in = {"visits.check_in", WRITERS, NULL, check_in, 200};
const hw_handler hw_handler_visit_check_out = {"visits.check_out", WRITERS, NULL, check_out, 200};
const hw_handler hw_handler_discharge_create = {"discharges.create", WRITERS | ROLE(DISCHARGE), NULL,
                                                discharge_create, 201};
const hw_handler hw_handler_discharge_get = {"discharges.get", READERS | ROLE(DISCHARGE), discharge_get, NULL, 200};
