/*
 * Drafts and the live day a coordinator watches:
 *   GET  /v1/drafts?locality=&date=&status=  plan drafts, newest first
 *   GET  /v1/drafts/{id}                     one, with its visits and rosters
 *   POST /v1/drafts/{id}/publish             make it the live plan; each worker's
 *                                            change notes are written
 *   POST /v1/drafts/{id}/discard             drop it
 *   GET  /v1/alerts/late?locality=&grace=    today's visits nobody checked in to
 *                                            `grace` minutes (30) after their start
 * A draft is made by POST /v1/plans {"publish": false}.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_answers.h"
#include "hw_answers_roster.h"
#include "hw_codec_reader.h"
#include "hw_codec_roster.h"
#include "hw_error.h"
#include "hw_handlers.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define PLANNERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))
#define LATE_GRACE_MINUTES 30

static int parse_draft_status(const char *s, int *out) {
  for (int i = HW_DRAFT_OPEN; i <= HW_DRAFT_DISCARDED; i++)
    if (strcmp(s, hw_draft_status_name((hw_draft_status)i)) == 0) return (*out = i), 0;
  return HW_EINVAL;
}

static json_t *enc_draft(const void *v) { return hw_draft_to_json(v); }

static void drafts(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_id locality = 0;
  hw_date date = HW_DATE_NONE;
  int status = -1;
  hw_query_id(x, "locality", &locality, &errs);
  hw_query_date(x, "date", &date, &errs);
  hw_query_enum(x, "status", parse_draft_status, &status, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_draft *ds = NULL;
  int32_t n = 0;
  int rc = hw_service_drafts(x->store, &x->who.scope, locality, date, status, &ds, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_list("drafts", ds, n, sizeof *ds, enc_draft), "locality");
  free(ds);
}

static void draft_get(hw_exchange *x) {
  hw_id id;
  hw_draft_view v;
  memset(&v, 0, sizeof v);
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_service_draft_get(x->store, &x->who.scope, id, &v);
  hw_answer_read(x, rc, rc ? NULL : hw_json_draft_view(&v), "draft");
  hw_draft_view_free(&v);
}

static int run_decision(hw_service *svc, hw_action *a, int (*fn)(hw_service *, hw_change *, hw_id,
                                                                  hw_publish_result *)) {
  hw_publish_result *res = calloc(1, sizeof *res);
  int rc = res ? fn(svc, &a->change, a->id, res) : HW_ENOMEM;
  if (rc == 0) rc = hw_action_answer(a, hw_json_publish_result(res), res->draft.locality_id);
  free(res);
  return rc;
}
static int run_publish(hw_service *svc, hw_action *a) { return run_decision(svc, a, hw_service_draft_publish); }
static int run_discard(hw_service *svc, hw_action *a) { return run_decision(svc, a, hw_service_draft_discard); }

static int decision(hw_exchange *x, hw_action *a, int (*run)(hw_service *, hw_action *)) {
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  a->run = run;
  return hw_request_no_body(x, &a->errs);
}
static int draft_publish(hw_exchange *x, hw_action *a) { return decision(x, a, run_publish); }
static int draft_discard(hw_exchange *x, hw_action *a) { return decision(x, a, run_discard); }

static void late_visits(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_id locality = 0;
  int64_t grace = LATE_GRACE_MINUTES;
  hw_query_id(x, "locality", &locality, &errs);
  hw_query_int(x, "grace", 0, 240, &grace, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_visit *vs = NULL;
  int32_t n = 0;
  int rc = hw_service_late_visits(x->store, &x->who.scope, locality, x->now, (int32_t)grace, &vs, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_late_visits(x->now, (int32_t)grace, vs, n), "locality");
  free(vs);
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_drafts[] = {
    {"locality", "id", 0, "one locality (default: every one in reach)"},
    {"date", "date", 0, "the day planned"},
    {"status", "string", 0, "draft, published or discarded"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_late[] = {
    {"locality", "id", 0, "one locality (default: every one in reach)"},
    {"grace", "integer", 0, "minutes after the planned start, 0..240 (30)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_drafts = {"Plan drafts, newest first", q_drafts, NULL, "Drafts", NULL};
static const hw_api_doc doc_draft_get = {"One draft with its visits, rosters and what it leaves unplaced", NULL, NULL,
                                         "DraftView", NULL};
static const hw_api_doc doc_draft_publish = {"Publish a draft; every worker is told what changed", NULL, NULL,
                                             "PublishResult", NULL};
static const hw_api_doc doc_draft_discard = {"Discard a draft", NULL, NULL, "PublishResult", NULL};
static const hw_api_doc doc_late_visits = {"Today's visits nobody checked in to in time", q_late, NULL, "LateVisits",
                                           NULL};

const hw_handler hw_handler_drafts = {"drafts.list", READERS, drafts, NULL, 200, 0, &doc_drafts};
const hw_handler hw_handler_draft_get = {"drafts.get", READERS, draft_get, NULL, 200, 0, &doc_draft_get};
const hw_handler hw_handler_draft_publish = {"drafts.publish", PLANNERS, NULL, draft_publish, 200, 1,
                                             &doc_draft_publish};
const hw_handler hw_handler_draft_discard = {"drafts.discard", PLANNERS, NULL, draft_discard, 200, 1,
                                             &doc_draft_discard};
const hw_handler hw_handler_late_visits = {"alerts.late", READERS, late_visits, NULL, 200, 0, &doc_late_visits};
