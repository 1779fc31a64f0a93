/*
 * The scheduler's endpoints: discharge transitions (accept, discharged, cancel),
 * plan jobs, rosters (JSON and iCalendar), outcomes and "who is free". Each one
 * parses the request, calls ONE scheduler/hw_service.h function (writes through
 * the writer, reads on the read-only handle) or the plan jobs (hw_plans.h), and
 * answers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_ical.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define PLANNERS (ROLE(COORDINATOR) | ROLE(ADMIN))
#define READERS (ROLE(COORDINATOR) | ROLE(MANAGER) | ROLE(ADMIN))
#define D2A_ROLES (ROLE(DISCHARGE) | ROLE(COORDINATOR) | ROLE(ADMIN))

#define PLAN_DEFAULT_LIMIT_S 10
#define PLAN_MAX_LIMIT_S 3600

/* ---- Query parameters ------------------------------------------------------------ */

/* The raw value of key; 1 when present, 0 absent; a bad escape is reported. */
static int query_raw(const hw_exchange *x, const char *key, char *buf, size_t len, hw_errors *errs) {
  int rc = hw_http_query_get(x->req->query, key, buf, len);
  if (rc == HW_ENOTFOUND) return 0;
  if (rc) {
    char path[48];
    snprintf(path, sizeof path, "/query/%s", key);
    hw_errors_add(errs, path, "is not a valid value (bad escape, or too long)");
    return 0;
  }
  return 1;
}

void hw_query_id(const hw_exchange *x, const char *key, hw_id *out, hw_errors *errs) {
  char buf[32], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || end == buf || *end || v <= 0) hw_errors_add(errs, path, "must be an id (a positive integer)");
  else *out = v;
}

void hw_query_date(const hw_exchange *x, const char *key, hw_date *out, hw_errors *errs) {
  char buf[32], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  const char *why = "must be a date YYYY-MM-DD";
  if (hw_date_parse(buf, out, &why) != 0) hw_errors_add(errs, path, "%s", why);
}

void hw_query_time(const hw_exchange *x, const char *key, hw_time *out, hw_errors *errs) {
  char buf[48], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  const char *why = "must be an ISO 8601 time";
  if (hw_time_parse(buf, out, &why) != 0) hw_errors_add(errs, path, "%s", why);
}

static void require(hw_errors *errs, int present, const char *key) {
  if (!present) hw_errors_add(errs, key, "is required");
}

/* Answer a read: doc, or the problem for rc. */
static void answer(hw_exchange *x, int rc, json_t *doc, const char *what) {
  if (rc == 0) {
    hw_answer_json(x, 200, doc);
    return;
  }
  char detail[96];
  snprintf(detail, sizeof detail, rc == HW_ENOTFOUND    ? "no such %s"
                                  : rc == HW_EFORBIDDEN ? "the %s is outside your localities"
                                                        : "the %s cannot be read",
           what);
  hw_answer_error(x, rc, detail, NULL);
}

/* ---- Discharge transitions (writes) ----------------------------------------------- */

static int run_accept(hw_store *st, hw_action *a) { return hw_service_discharge_accept(st, a->id, a->d2a, &a->call); }
static int run_discharged(hw_store *st, hw_action *a) {
  return hw_service_discharge_discharged(st, a->id, a->at, &a->call);
}
static int run_cancel(hw_store *st, hw_action *a) { return hw_service_discharge_cancel(st, a->id, &a->call); }

/* The optional body {"at": time} of /discharged; anything else is named. */
static int parse_at(hw_exchange *x, hw_action *a) {
  a->at = x->now;
  if (x->req->body_len == 0) return 0;
  json_error_t jerr;
  json_t *body = json_loadb(x->req->body, x->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
  hw_errors *errs = &a->change.errs;
  if (!json_is_object(body)) {
    hw_errors_add(errs, "", body ? "must be a JSON object" : "invalid JSON at line %d column %d: %s", jerr.line,
                  jerr.column, jerr.text);
    json_decref(body);
    return HW_EINVAL;
  }
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    const char *why = "must be an ISO 8601 time";
    if (strcmp(key, "at") != 0) hw_errors_add(errs, "", "unknown field '%.60s'", key);
    else if (!json_is_string(v) || hw_time_parse(json_string_value(v), &a->at, &why) != 0)
      hw_errors_add(errs, "/at", "%s", why);
    else if (a->at > x->now + 300)
      hw_errors_add(errs, "/at", "must not be in the future");
  }
  json_decref(body);
  return errs->n ? HW_EINVAL : 0;
}

static int prepare_transition(hw_exchange *x, hw_action *a, int (*run)(hw_store *, hw_action *), int with_at) {
  hw_errors_init(&a->change.errs);
  int rc = hw_exchange_id(x, "id", &a->id);
  if (rc) return rc;
  if (!with_at && x->req->body_len > 0) {
    hw_errors_add(&a->change.errs, "", "this request takes no body");
    return HW_EINVAL;
  }
  a->run = run;
  return with_at ? parse_at(x, a) : 0;
}

static int discharge_accept(hw_exchange *x, hw_action *a) { return prepare_transition(x, a, run_accept, 0); }
static int discharge_discharged(hw_exchange *x, hw_action *a) { return prepare_transition(x, a, run_discharged, 1); }
static int discharge_cancel(hw_exchange *x, hw_action *a) { return prepare_transition(x, a, run_cancel, 0); }

/* ---- Plan jobs ------------------------------------------------------------------------ */

static void plan_create(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  json_error_t jerr;
  json_t *body = json_loadb(x->req->body ? x->req->body : "", x->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
  hw_id locality = 0;
  hw_date date = HW_DATE_NONE;
  double limit = PLAN_DEFAULT_LIMIT_S;
  if (!json_is_object(body)) {
    hw_errors_add(&errs, "", body ? "must be a JSON object" : "invalid JSON at line %d column %d: %s", jerr.line,
                  jerr.column, jerr.text);
  } else {
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
      const char *why = "must be a date YYYY-MM-DD";
      if (strcmp(key, "locality") == 0) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) hw_errors_add(&errs, "/locality", "must be a locality id");
        else locality = json_integer_value(v);
      } else if (strcmp(key, "date") == 0) {
        if (!json_is_string(v) || hw_date_parse(json_string_value(v), &date, &why) != 0)
          hw_errors_add(&errs, "/date", "%s", why);
      } else if (strcmp(key, "time_limit_s") == 0) {
        if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > PLAN_MAX_LIMIT_S)
          hw_errors_add(&errs, "/time_limit_s", "must be a number of seconds in (0, %d]", PLAN_MAX_LIMIT_S);
        else limit = json_number_value(v);
      } else {
        char p[96];
        snprintf(p, sizeof p, "/%.80s", key);
        hw_errors_add(&errs, p, "unknown field");
      }
    }
    require(&errs, json_object_get(body, "locality") != NULL, "/locality");
    require(&errs, json_object_get(body, "date") != NULL, "/date");
  }
  json_decref(body);
  hw_locality loc;
  if (errs.n == 0 && locality && hw_store_get_locality(x->store, locality, &loc) == HW_ENOTFOUND)
    hw_errors_add(&errs, "/locality", "no locality %lld", (long long)locality);
  if (errs.n) {
    hw_answer_problem(x, 400, "the request document is not valid", &errs);
    return;
  }
  if (!hw_scope_allows(&x->who.scope, locality)) {
    hw_answer_problem(x, 403, "the locality is outside your localities", NULL);
    return;
  }
  hw_plan_job *job;
  int rc = hw_plans_submit(x->plans, locality, date, limit, x->who.name, x->now, &job);
  if (rc) {
    hw_answer_error(x, rc, rc == HW_EBUSY ? "too many plan jobs are running; retry later" : NULL, NULL);
    return;
  }
  snprintf(x->headers, sizeof x->headers, "Location: /v1/plans/%lld\r\n", (long long)hw_plan_job_id(job));
  hw_answer_json(x, 202, hw_plan_job_to_json(job));
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
  json_t *doc = NULL;
  int rc = hw_service_rosters(x->store, &x->who.scope, date, locality, worker, &doc);
  answer(x, rc, doc, worker ? "worker" : "locality");
}

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
  json_t *doc = NULL;
  int rc = hw_exchange_id(x, "id", &worker);
  if (rc == 0) rc = hw_service_rosters(x->store, &x->who.scope, date, 0, worker, &doc);
  if (rc) {
    answer(x, rc, NULL, "worker");
    return;
  }
  hw_worker w;
  char day[16];
  hw_date_format(date, day, sizeof day);
  const char *name = hw_store_get_worker(x->store, worker, &w) == 0 ? w.name : "worker";
  char *text = hw_ical_roster(json_array_get(json_object_get(doc, "rosters"), 0), name, day);
  json_decref(doc);
  if (!text) {
    hw_answer_error(x, HW_ENOMEM, NULL, NULL);
    return;
  }
  snprintf(x->headers, sizeof x->headers, "Content-Disposition: attachment; filename=\"roster-%lld-%s.ics\"\r\n",
           (long long)worker, day);
  hw_answer_body(x, 200, "text/calendar; charset=utf-8", text, strlen(text));
}

static void outcomes(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date from = HW_DATE_NONE, to = HW_DATE_NONE;
  hw_query_date(x, "from", &from, &errs);
  hw_query_date(x, "to", &to, &errs);
  if (errs.n == 0 && from == HW_DATE_NONE) hw_errors_add(&errs, "/query/from", "is required");
  if (errs.n == 0 && to == HW_DATE_NONE) hw_errors_add(&errs, "/query/to", "is required");
  if (errs.n == 0 && to < from) hw_errors_add(&errs, "/query/to", "must not be before from");
  if (errs.n == 0 && to - from > 366) hw_errors_add(&errs, "/query/to", "the period is at most a year");
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  json_t *doc = NULL;
  int rc = hw_service_outcomes(x->store, &x->who.scope, from, to, &doc);
  answer(x, rc, doc, "outcome figures");
}

/* "medication,personal_care" -> skill bits; unknown names are reported. */
static uint32_t parse_skills(const hw_exchange *x, hw_errors *errs) {
  char buf[256];
  uint32_t bits = 0;
  if (!query_raw(x, "skills", buf, sizeof buf, errs)) return 0;
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
  json_t *doc = NULL;
  int rc = hw_service_availability(x->store, &x->who.scope, locality, start, end, skills, &errs, &doc);
  if (rc == HW_EINVAL) hw_answer_problem(x, 400, "bad query parameters", &errs);
  else answer(x, rc, doc, "locality");
}

static void discharges(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date date = HW_DATE_NONE;
  hw_query_date(x, "date", &date, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  json_t *doc = NULL;
  int rc = hw_service_discharges(x->store, &x->who.scope, date, &doc);
  answer(x, rc, doc, "discharge requests");
}

const hw_handler hw_handler_discharge_list = {"discharges.list", D2A_ROLES | ROLE(MANAGER), discharges, NULL, 200};
const hw_handler hw_handler_discharge_accept = {"discharges.accept", D2A_ROLES, NULL, discharge_accept, 200};
const hw_handler hw_handler_discharge_discharged = {"discharges.discharged", D2A_ROLES, NULL, discharge_discharged,
                                                    200};
const hw_handler hw_handler_discharge_cancel = {"discharges.cancel", D2A_ROLES, NULL, discharge_cancel, 200};
const hw_handler hw_handler_plan_create = {"plans.create", PLANNERS, plan_create, NULL, 202};
const hw_handler hw_handler_plan_get = {"plans.get", READERS, plan_get, NULL, 200};
const hw_handler hw_handler_plan_cancel = {"plans.cancel", PLANNERS, plan_cancel, NULL, 202};
const hw_handler hw_handler_rosters = {"rosters.list", READERS, rosters, NULL, 200};
const hw_handler hw_handler_roster_ics = {"rosters.ics", READERS, roster_ics, NULL, 200};
const hw_handler hw_handler_outcomes = {"outcomes.get", READERS, outcomes, NULL, 200};
const hw_handler hw_handler_availability = {"availability.get", READERS, availability, NULL, 200};
