/*
 * The scheduler's endpoints: discharge to assess (a request answered with its
 * offer, and its transitions), plan jobs, rosters (JSON and iCalendar), outcomes
 * and "who is free". Each one parses the request, calls ONE
 * scheduler/hw_service.h function (writes on the writer thread, reads on the
 * read-only handle) or the plan jobs (hw_plans.h), and answers. D2A offers are
 * drafted on the thread pool before their write (hw_drafts.h); a plan request
 * reserves its job before its write and starts it after the commit.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_answers.h"
#include "hw_codec_reader.h"
#include "hw_drafts.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_ical.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define PLANNERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))
#define D2A_ROLES (ROLE(DISCHARGE) | ROLE(COORDINATOR) | ROLE(ADMIN))

#define PLAN_DEFAULT_LIMIT_S 10
#define PLAN_MAX_LIMIT_S 3600

/* ---- Discharge to assess (writes) -------------------------------------------------- */

/* Stale drafts tolerated before the writer computes the offer itself. */
#define DRAFTS_BEFORE_WRITER 2

typedef struct discharge_req {
  hw_discharge discharge;          /* a new request (create) */
  hw_client client;
  int has_client;
  hw_id stored;                    /* offer again: the stored request's id */
  hw_drafts *drafts;
  hw_draft_job job;                /* its draft, job.draft, when one is current */
  int drafts_made;
  hw_action *action;
  void (*ready)(hw_action *a);
} discharge_req;

static void release_discharge_req(hw_action *a) {
  discharge_req *rq = a->req;
  if (rq) free(rq->job.draft);
  free(rq);
}

static void draft_ready(hw_draft_job *j) {
  discharge_req *rq = j->data;
  rq->ready(rq->action); /* no draft (a bad request, or a failure): the writer's call decides */
}

/* Draft the offer on the thread pool before the write (hw_drafts.h); after
 * DRAFTS_BEFORE_WRITER stale drafts, or with offers off, the writer computes it. */
static int offload_offer(hw_action *a, void (*ready)(hw_action *a)) {
  discharge_req *rq = a->req;
  free(rq->job.draft);
  rq->job.draft = NULL;
  if (!rq->drafts->settings->offers_on_arrival && !rq->stored) return 0;
  if (rq->drafts_made > 0) rq->drafts->stale++;
  if (rq->drafts_made == DRAFTS_BEFORE_WRITER) {
    rq->drafts->in_writer++;
    return 0;
  }
  rq->drafts_made++;
  rq->action = a;
  rq->ready = ready;
  rq->job = (hw_draft_job){.change = &a->change,
                           .discharge = rq->stored ? NULL : &rq->discharge,
                           .client_new = rq->has_client ? &rq->client : NULL,
                           .stored_id = rq->stored,
                           .done = draft_ready,
                           .data = rq};
  return hw_drafts_start(rq->drafts, &rq->job) == 0;
}

static discharge_req *new_discharge_req(hw_exchange *x, hw_action *a) {
  discharge_req *rq = calloc(1, sizeof *rq);
  if (!rq) return NULL;
  rq->drafts = x->drafts;
  a->req = rq;
  a->release = release_discharge_req;
  a->offload = offload_offer;
  return rq;
}

static int answer_discharge(hw_service *svc, hw_action *a, int rc, hw_discharge_result *res) {
  if (rc == 0) rc = hw_action_answer_client(a, hw_json_discharge_result(res), svc, res->discharge.client_id);
  free(res);
  return rc;
}

static int run_discharge_request(hw_service *svc, hw_action *a) {
  discharge_req *rq = a->req;
  hw_discharge_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_discharge_request_drafted(svc, &a->change, &rq->discharge,
                                                      rq->has_client ? &rq->client : NULL, rq->job.draft, res)
               : HW_ENOMEM;
  a->again = res && res->draft_stale;
  return answer_discharge(svc, a, rc, res);
}

static int discharge_create(hw_exchange *x, hw_action *a) {
  static const char *const server[] = {"id", "referral_id", "status", "offered_start", "earliest", "discharged_at",
                                       NULL};
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  discharge_req *rq = new_discharge_req(x, a);
  hw_request_reject_fields(body, server, &a->errs);
  json_t *doc = rq ? hw_request_record_doc(body, &rq->client, &rq->has_client, &a->errs) : NULL;
  if (doc) hw_discharge_from_json(doc, "", &rq->discharge, &a->errs);
  json_decref(body);
  if (!doc) return HW_ENOMEM; /* nothing was decoded */
  json_decref(doc);
  a->run = run_discharge_request;
  return a->errs.n ? HW_EINVAL : 0;
}

/* The transitions: accept, discharged {"at"?}, cancel, offer. */
static int run_transition(hw_service *svc, hw_action *a, int (*fn)(hw_service *, hw_change *, hw_id,
                                                                     hw_discharge_result *)) {
  hw_discharge_result *res = calloc(1, sizeof *res);
  return answer_discharge(svc, a, res ? fn(svc, &a->change, a->id, res) : HW_ENOMEM, res);
}
static int run_accept(hw_service *svc, hw_action *a) { return run_transition(svc, a, hw_service_discharge_accept); }
static int run_cancel(hw_service *svc, hw_action *a) { return run_transition(svc, a, hw_service_discharge_cancel); }
static int run_offer(hw_service *svc, hw_action *a) {
  discharge_req *rq = a->req;
  hw_discharge_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_discharge_offer_drafted(svc, &a->change, a->id, rq->job.draft, res) : HW_ENOMEM;
  a->again = res && res->draft_stale;
  return answer_discharge(svc, a, rc, res);
}
static int run_discharged(hw_service *svc, hw_action *a) {
  hw_discharge_result *res = calloc(1, sizeof *res);
  return answer_discharge(svc, a, res ? hw_service_discharge_discharged(svc, &a->change, a->id, a->at, res) : HW_ENOMEM,
                          res);
}

static int transition(hw_exchange *x, hw_action *a, int (*run)(hw_service *, hw_action *)) {
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  a->run = run;
  return hw_request_no_body(x, &a->errs);
}
static int discharge_accept(hw_exchange *x, hw_action *a) { return transition(x, a, run_accept); }
static int discharge_cancel(hw_exchange *x, hw_action *a) { return transition(x, a, run_cancel); }
static int discharge_offer(hw_exchange *x, hw_action *a) {
  int rc = transition(x, a, run_offer);
  discharge_req *rq = rc == 0 ? new_discharge_req(x, a) : NULL;
  if (rq) rq->stored = a->id;
  return rc ? rc : rq ? 0 : HW_ENOMEM;
}

static int discharge_discharged(hw_exchange *x, hw_action *a) {
  static const char *const fields[] = {"at", NULL};
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  json_t *body = hw_request_object(x, 1, &a->errs);
  if (!body) return HW_EINVAL;
  a->at = x->now;
  hw_request_only_fields(body, fields, &a->errs);
  if (hw_request_time(body, "at", 0, &a->at, &a->errs) == 1 && a->at > x->now + 300) /* clocks differ a little */
    hw_errors_add(&a->errs, "/at", "must not be more than 5 minutes ahead of now");
  json_decref(body);
  a->run = run_discharged;
  return a->errs.n ? HW_EINVAL : 0;
}

/* ---- Discharges (reads) --------------------------------------------------------------- */

static void discharge_get(hw_exchange *x) {
  hw_id id;
  hw_discharge d;
  int rc = hw_exchange_id(x, "id", &id);
  if (rc == 0) rc = hw_service_get_discharge(x->store, &x->who.scope, id, &d);
  hw_answer_read(x, rc, rc ? NULL : hw_discharge_to_json(&d), "discharge request");
}

static int parse_discharge_status(const char *s, int *out) {
  hw_discharge_status v;
  int rc = hw_discharge_status_parse(s, &v);
  if (rc == 0) *out = (int)v;
  return rc;
}

static json_t *enc_discharge(const void *v) { return hw_discharge_to_json(v); }

/* GET /v1/discharges?date=&status=. */
static void discharge_list(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = HW_DATE_NONE;
  int status = -1;
  hw_query_date(x, "date", &date, &errs);
  hw_query_enum(x, "status", parse_discharge_status, &status, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_discharge *ds = NULL;
  int32_t n = 0;
  int rc = hw_service_discharges(x->store, &x->who.scope, date, status, &ds, &n);
  json_t *doc = rc ? NULL : hw_json_list("discharges", ds, n, sizeof *ds, enc_discharge);
  if (doc) json_object_set_new(doc, "date", hw_json_date(date));
  hw_answer_read(x, rc, doc, "discharge requests");
  free(ds);
}

/* ---- Plan jobs ------------------------------------------------------------------------ */

typedef struct plan_req {
  hw_id locality;
  hw_date date;
  double limit;
  int keep_as_draft;               /* {"publish": false} */
  hw_plans *plans;
  hw_plan_job *job;                /* reserved until plan_after starts it */
} plan_req;

static void release_plan_req(hw_action *a) {
  plan_req *rq = a->req;
  if (rq && rq->job) hw_plans_release(rq->plans, rq->job); /* rejected, or a replay */
  free(rq);
}

static int run_plan_request(hw_service *svc, hw_action *a) {
  plan_req *rq = a->req;
  int rc = hw_service_plan_request(svc, &a->change, rq->locality, rq->date, hw_plan_job_id(rq->job), rq->limit);
  return rc ? rc : hw_action_answer(a, hw_plan_job_to_json(rq->job), rq->locality);
}

/* The job id of an answer (a replayed one names the job it started then). */
static int64_t answered_job(const hw_exchange *x) {
  json_t *doc = json_loadb(x->body, x->body_len, 0, NULL);
  int64_t id = json_integer_value(json_object_get(doc, "id"));
  json_decref(doc);
  return id;
}

/* After the commit: the job starts (a replay's job started the first time). */
static void plan_after(hw_action *a, hw_exchange *x) {
  plan_req *rq = a->req;
  int64_t id = a->replayed ? answered_job(x) : hw_plan_job_id(rq->job);
  if (!a->replayed) {
    hw_plans_start(rq->plans, rq->job, NULL, NULL, NULL);
    rq->job = NULL;
  }
  size_t len = strlen(x->headers);
  snprintf(x->headers + len, sizeof x->headers - len, "Location: /v1/plans/%lld\r\n", (long long)id);
}

/* POST /v1/plans {"locality","date","time_limit_s"?,"publish"?}: a job id is
 * reserved now; the request is stored by the writer, and the job starts after
 * the commit. With "publish": false the job keeps its plan as a draft. */
static int plan_create(hw_exchange *x, hw_action *a) {
  static const char *const fields[] = {"locality", "date", "time_limit_s", "publish", NULL};
  json_t *body = hw_request_object(x, 0, &a->errs);
  if (!body) return HW_EINVAL;
  plan_req *rq = calloc(1, sizeof *rq);
  if (!rq) {
    json_decref(body);
    return HW_ENOMEM;
  }
  a->req = rq;
  a->release = release_plan_req;
  rq->plans = x->plans;
  rq->limit = PLAN_DEFAULT_LIMIT_S;
  hw_request_only_fields(body, fields, &a->errs);
  const json_t *v = json_object_get(body, "locality");
  const char *why = "must be a date YYYY-MM-DD";
  if (!json_is_integer(v) || json_integer_value(v) <= 0) hw_errors_add(&a->errs, "/locality", "must be a locality id");
  else rq->locality = json_integer_value(v);
  v = json_object_get(body, "date");
  if (!json_is_string(v) || hw_date_parse(json_string_value(v), &rq->date, &why) != 0)
    hw_errors_add(&a->errs, "/date", "%s", why);
  if ((v = json_object_get(body, "time_limit_s"))) {
    if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > PLAN_MAX_LIMIT_S)
      hw_errors_add(&a->errs, "/time_limit_s", "must be a number of seconds in (0, %d]", PLAN_MAX_LIMIT_S);
    else rq->limit = json_number_value(v);
  }
  if ((v = json_object_get(body, "publish"))) {
    if (!json_is_boolean(v)) hw_errors_add(&a->errs, "/publish", "must be true or false");
    rq->keep_as_draft = json_is_false(v);
  }
  json_decref(body);
  if (a->errs.n) return HW_EINVAL;
  int rc = hw_plans_reserve(x->plans, rq->locality, rq->date, rq->limit, rq->keep_as_draft, x->who.name, x->now,
                            &rq->job);
  if (rc == HW_EBUSY) hw_errors_add(&a->errs, "", "too many plan jobs are unfinished; retry later");
  if (rc) return rc;
  a->run = run_plan_request;
  a->after = plan_after;
  return 0;
}

/* The job of the path's {id}, within the caller's localities; answers when not. */
static hw_plan_job *scoped_job(hw_exchange *x) {
  hw_id id;
  hw_plan_job *j = hw_exchange_id(x, "id", &id) == 0 ? hw_plans_get(x->plans, id) : NULL;
  if (!j) hw_answer_problem(x, 404, "no such plan job", NULL);
  else if (!hw_scope_allows(&x->who.scope, hw_plan_job_locality(j))) {
    hw_answer_problem(x, 403, "the plan job is outside your localities", NULL);
    j = NULL;
  }
  return j;
}

static void plan_get(hw_exchange *x) {
  hw_plan_job *j = scoped_job(x);
  if (j) hw_answer_json(x, 200, hw_plan_job_to_json(j));
}

static void plan_cancel(hw_exchange *x) {
  hw_plan_job *j = scoped_job(x);
  if (!j) return;
  if (hw_plans_cancel(j) != 0) {
    hw_errors errs;
    hw_errors_init(&errs);
    hw_errors_add(&errs, "", "the plan job has already finished");
    hw_answer_problem(x, 409, "cannot cancel", &errs);
    return;
  }
  hw_answer_json(x, 202, hw_plan_job_to_json(j));
}

/* ---- Rosters, outcomes, availability (reads) ---------------------------------------- */

static void rosters(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = HW_DATE_NONE;
  hw_id locality = 0, worker = 0;
  hw_query_date(x, "date", &date, &errs);
  hw_query_id(x, "locality", &locality, &errs);
  hw_query_id(x, "worker", &worker, &errs);
  if (date == HW_DATE_NONE && errs.n == 0) hw_errors_add(&errs, "/query/date", "is required");
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_roster_view *v = NULL;
  int32_t n = 0;
  int rc = hw_service_rosters(x->store, &x->who.scope, date, locality, worker, &v, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_rosters(date, v, n), worker ? "worker" : "locality");
  hw_roster_views_free(v, n);
}

/* GET /v1/workers/{id}/roster.ics?date=: one day of a worker as iCalendar. */
static void roster_ics(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = HW_DATE_NONE;
  hw_id worker;
  hw_query_date(x, "date", &date, &errs);
  if (date == HW_DATE_NONE && errs.n == 0) hw_errors_add(&errs, "/query/date", "is required");
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_roster_view *v = NULL;
  int32_t n = 0;
  int rc = hw_exchange_id(x, "id", &worker);
  if (rc == 0) rc = hw_service_worker_days(x->store, &x->who.scope, worker, date, date, &v, &n);
  char *text = rc == 0 ? hw_ical_worker_days(v, n, date, x->now) : NULL;
  hw_roster_views_free(v, n);
  if (!text) {
    hw_answer_read(x, rc ? rc : HW_ENOMEM, NULL, "worker");
    return;
  }
  char day[16];
  hw_date_format(date, day, sizeof day);
  snprintf(x->headers, sizeof x->headers, "Content-Disposition: attachment; filename=\"roster-%lld-%s.ics\"\r\n",
           (long long)worker, day);
  hw_answer_body(x, 200, "text/calendar; charset=utf-8", text, strlen(text));
}

/* GET /v1/outcomes?from=&to=: the figures as of now; a missing end is filled as
 * the CLI fills it (hw_service_outcome_period). */
static void outcomes(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date from = HW_DATE_NONE, to = HW_DATE_NONE;
  hw_query_date(x, "from", &from, &errs);
  hw_query_date(x, "to", &to, &errs);
  hw_service_outcome_period(hw_time_local_date(x->now), &from, &to);
  if (errs.n == 0 && to < from) hw_errors_add(&errs, "/query/to", "must not be before from");
  if (errs.n == 0 && to - from > 366) hw_errors_add(&errs, "/query/to", "the period is at most a year");
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_outcomes o;
  hw_outcomes_init(&o);
  int rc = hw_service_outcomes(x->store, &x->who.scope, from, to, x->now, &o);
  hw_answer_read(x, rc, rc ? NULL : hw_json_outcomes(&o), "outcome figures");
  hw_outcomes_free(&o);
}

/* "medication,personal_care" -> skill bits; unknown names are reported. */
static uint32_t parse_skills(const hw_exchange *x, hw_errors *errs) {
  char buf[256];
  uint32_t bits = 0;
  int rc = hw_http_query_get(x->req->query, "skills", buf, sizeof buf);
  if (rc == HW_ENOTFOUND) return 0;
  if (rc) {
    hw_errors_add(errs, "/query/skills", "is not a valid value");
    return 0;
  }
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    hw_skill s;
    if (hw_skill_parse(tok, &s) != 0) hw_errors_add(errs, "/query/skills", "unknown skill '%.40s'", tok);
    else bits |= 1u << s;
  }
  return bits;
}

static void availability(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_id locality = 0;
  hw_time start = HW_TIME_NONE, end = HW_TIME_NONE;
  hw_query_id(x, "locality", &locality, &errs);
  hw_query_time(x, "start", &start, &errs);
  hw_query_time(x, "end", &end, &errs);
  uint32_t skills = parse_skills(x, &errs);
  if (errs.n == 0 && start == HW_TIME_NONE) hw_errors_add(&errs, "/query/start", "is required");
  if (errs.n == 0 && end == HW_TIME_NONE) hw_errors_add(&errs, "/query/end", "is required");
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_availability *a = NULL;
  int32_t n = 0;
  int rc = hw_service_availability(x->store, &x->who.scope, locality, start, end, skills, &errs, &a, &n);
  if (rc == HW_EINVAL) hw_answer_problem(x, 400, "bad query parameters", &errs);
  else hw_answer_read(x, rc, rc ? NULL : hw_json_availability(start, end, a, n), "locality");
  free(a);
}

/* GET /v1/reserve?locality=: the D2A reserve planning holds, per weekday and peak. */
static void reserve(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_id locality = 0;
  hw_query_id(x, "locality", &locality, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_reserve_week *w = NULL;
  int32_t n = 0;
  int rc = hw_service_reserve_table(x->store, x->settings, &x->who.scope, locality, &w, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_reserve(w, n), "locality");
  free(w);
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_discharges[] = {
    {"date", "date", 0, "ready on this day (default: any)"},
    {"status", "string", 0, "requested, offered, waiting, accepted, discharged or cancelled"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_rosters[] = {
    {"date", "date", 1, "the day"},
    {"locality", "id", 0, "one locality"},
    {"worker", "id", 0, "one worker"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_ics_day[] = {
    {"date", "date", 1, "the day"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_outcomes[] = {
    {"from", "date", 0, "first day (default: four full weeks before this one)"},
    {"to", "date", 0, "last day"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_avail[] = {
    {"locality", "id", 0, "the locality"},
    {"start", "time", 1, "window start"},
    {"end", "time", 1, "window end"},
    {"skills", "string", 0, "comma-separated skills every worker must hold"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_discharge_create = {
    "A discharge request, answered with an offer or an honest date", NULL, "DischargeNew", "Result", NULL};
static const hw_api_doc doc_discharge_get = {"One discharge request", NULL, NULL, "Discharge", NULL};
static const hw_api_doc doc_discharge_list = {"Discharge requests", q_discharges, NULL, "Discharges", NULL};
static const hw_api_doc doc_discharge_accept = {
    "Accept the offer: the referral and first visits are stored", NULL, NULL, "Result", NULL};
static const hw_api_doc doc_discharge_discharged = {"The person left hospital", NULL, "At", "Result", NULL};
static const hw_api_doc doc_discharge_cancel = {"Withdraw a discharge request", NULL, NULL, "Result", NULL};
static const hw_api_doc doc_discharge_offer = {"Offer again (a waiting or requested one)", NULL, NULL, "Result", NULL};
static const hw_api_doc doc_plan_create = {
    "Plan a locality's day in the background; publish at once or keep a draft", NULL, "PlanRequest", "PlanJob", NULL};
static const hw_api_doc doc_plan_get = {"A plan job: progress, then its result", NULL, NULL, "PlanJob", NULL};
static const hw_api_doc doc_plan_cancel = {
    "Cancel a plan job (the best plan so far is kept)", NULL, NULL, "PlanJob", NULL};
static const hw_api_doc doc_rosters = {
    "A day's rosters with travel, shift and break", q_rosters, NULL, "Rosters", NULL};
static const hw_api_doc doc_roster_ics = {"A worker's day as iCalendar", q_ics_day, NULL, NULL, "text/calendar"};
static const hw_api_doc doc_outcomes = {
    "Outcome figures, with weekly bed days and same-day discharge", q_outcomes, NULL, "Outcomes", NULL};
static const hw_api_param q_reserve[] = {
    {"locality", "id", 0, "one locality (default: every one in scope)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_reserve = {
    "The D2A reserve held per weekday and call peak (forecast or fixed)", q_reserve, NULL, "Reserve", NULL};
static const hw_api_doc doc_availability = {"Who is free for a window", q_avail, NULL, "Availability", NULL};

const hw_handler hw_handler_discharge_create = {"discharges.create", D2A_ROLES, NULL, discharge_create, 201, 1,
                                                &doc_discharge_create};
const hw_handler hw_handler_discharge_get = {"discharges.get", READERS | ROLE(DISCHARGE), discharge_get, NULL, 200, 0,
                                             &doc_discharge_get};
const hw_handler hw_handler_discharge_list = {"discharges.list", D2A_ROLES | ROLE(MANAGER), discharge_list, NULL,
                                              200, 0, &doc_discharge_list};
const hw_handler hw_handler_discharge_accept = {"discharges.accept", D2A_ROLES, NULL, discharge_accept, 200, 1,
                                                &doc_discharge_accept};
const hw_handler hw_handler_discharge_discharged = {"discharges.discharged", D2A_ROLES, NULL, discharge_discharged,
                                                    200, 1, &doc_discharge_discharged};
const hw_handler hw_handler_discharge_cancel = {"discharges.cancel", D2A_ROLES, NULL, discharge_cancel, 200, 1,
                                                &doc_discharge_cancel};
const hw_handler hw_handler_discharge_offer = {"discharges.offer", PLANNERS, NULL, discharge_offer, 200, 1,
                                               &doc_discharge_offer};
const hw_handler hw_handler_plan_create = {"plans.create", PLANNERS, NULL, plan_create, 202, 1, &doc_plan_create};
const hw_handler hw_handler_plan_get = {"plans.get", READERS, plan_get, NULL, 200, 0, &doc_plan_get};
const hw_handler hw_handler_plan_cancel = {"plans.cancel", PLANNERS, plan_cancel, NULL, 202, 0, &doc_plan_cancel};
const hw_handler hw_handler_rosters = {"rosters.list", READERS, rosters, NULL, 200, 0, &doc_rosters};
const hw_handler hw_handler_roster_ics = {"rosters.ics", READERS, roster_ics, NULL, 200, 0, &doc_roster_ics};
const hw_handler hw_handler_outcomes = {"outcomes.get", READERS, outcomes, NULL, 200, 0, &doc_outcomes};
const hw_handler hw_handler_availability = {"availability.get", READERS, availability, NULL, 200, 0, &doc_availability};
const hw_handler hw_handler_reserve = {"reserve.get", READERS, reserve, NULL, 200, 0, &doc_reserve};
