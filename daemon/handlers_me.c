/*
 * A care worker's own endpoints, and their calendar subscription:
 *   GET  /v1/me                       who the token is (any role)
 *   GET  /v1/me/roster?from=&to=      their days (at most 14) with visits, travel,
 *                                     shift and break (a `worker` token)
 *   GET  /v1/me/changes?after=&limit= what each publish changed on their days
 *   POST /v1/workers/{id}/calendar-secret  a coordinator makes (or rotates) the
 *                                     secret of a worker's calendar URL: answered
 *                                     once, only its hash is kept
 *   GET  /v1/calendars/{secret}.ics   the next 14 days as iCalendar, with no token
 *                                     (phone calendars send none): the secret is
 *                                     the credential; an unknown one is a 404
 * Check-in and check-out of their own visits are the visit endpoints'.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_answers_roster.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_ical.h"

#define ROLE(r) HW_ROLE_BIT(HW_ROLE_##r)
#define NOTES_DEFAULT_LIMIT 50
#define NOTES_MAX_LIMIT 500

/* GET /v1/me: who the token is - name, role, localities, worker - and the
 * daemon's time (a test clock's, when it runs on one). */
static void me(hw_exchange *x) {
  const hw_scope *s = &x->who.scope;
  json_t *locs = json_array();
  for (int32_t i = 0; locs && i < s->n; i++) json_array_append_new(locs, json_integer(s->localities[i]));
  hw_answer_json(x, 200, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "name", x->who.name, "role",
                                   hw_role_name(x->who.role), "all_localities", s->all, "localities", locs,
                                   "worker_id", s->worker ? json_integer(s->worker) : json_null(), "now",
                                   hw_json_time(x->now)));
}

/* GET /v1/me/roster?from=&to= (default: today and the six days after). */
static void my_roster(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  hw_date from = hw_time_local_date(x->now), to;
  hw_query_date(x, "from", &from, &errs);
  to = from + 6;
  hw_query_date(x, "to", &to, &errs);
  if (errs.n == 0 && to < from) hw_errors_add(&errs, "/query/to", "must not be before from");
  if (errs.n == 0 && to - from >= HW_WORKER_DAYS_MAX)
    hw_errors_add(&errs, "/query/to", "at most %d days at a time", HW_WORKER_DAYS_MAX);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_roster_view *days = NULL;
  int32_t n = 0;
  int rc = hw_service_worker_days(x->store, &x->who.scope, x->who.scope.worker, from, to, &days, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_worker_days(from, days, n), "roster");
  hw_roster_views_free(days, n);
}

/* GET /v1/me/changes?after=&limit=: newest first. */
static void my_changes(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  int64_t after = 0, limit = NOTES_DEFAULT_LIMIT;
  hw_query_int(x, "after", 0, INT64_MAX, &after, &errs);
  hw_query_int(x, "limit", 1, NOTES_MAX_LIMIT, &limit, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_roster_note *notes = NULL;
  int32_t n = 0;
  int rc = hw_service_my_changes(x->store, &x->who.scope, after, (int32_t)limit, &notes, &n);
  hw_answer_read(x, rc, rc ? NULL : hw_json_notes(notes, n, after), "changes");
  free(notes);
}

/* ---- Calendar subscriptions ----------------------------------------------------------- */

typedef struct secret_req {
  char secret[HW_TOKEN_LEN + 1];
  char hash[HW_TOKEN_HASH_LEN + 1];
} secret_req;

static int run_calendar_secret(hw_service *svc, hw_action *a) {
  secret_req *rq = a->req;
  int rc = hw_service_calendar_secret(svc, &a->change, a->id, rq->hash);
  hw_id locality = 0;
  hw_worker w;
  hw_team t;
  if (rc == 0 && hw_store_get_worker(hw_service_store(svc), a->id, &w) == 0 &&
      hw_store_get_team(hw_service_store(svc), w.team_id, &t) == 0)
    locality = t.locality_id;
  char url[96];
  snprintf(url, sizeof url, "/v1/calendars/%s.ics", rq->secret);
  if (rc == 0) rc = hw_action_answer(a, json_pack("{s:s, s:s}", "secret", rq->secret, "url", url), locality);
  return rc;
}

/* POST /v1/workers/{id}/calendar-secret (no body): a new random secret. */
static int calendar_secret(hw_exchange *x, hw_action *a) {
  if (hw_exchange_id(x, "id", &a->id)) return HW_ENOTFOUND;
  secret_req *rq = calloc(1, sizeof *rq);
  a->req = rq;
  if (!rq) return HW_ENOMEM;
  int rc = hw_auth_new_token(rq->secret, sizeof rq->secret);
  if (rc == 0) rc = hw_auth_hash(rq->secret, rq->hash, sizeof rq->hash);
  if (rc) return rc;
  a->run = run_calendar_secret;
  return hw_request_no_body(x, &a->errs);
}

#define CALENDAR_DAYS 14

/* GET /v1/calendars/{secret}.ics: today and the 13 days after. */
static void calendar_ics(hw_exchange *x) {
  const char *secret = hw_route_param(x->match, "secret");
  char hash[HW_TOKEN_HASH_LEN + 1];
  hw_id worker = 0;
  int rc = secret && strlen(secret) == HW_TOKEN_LEN ? hw_auth_hash(secret, hash, sizeof hash) : HW_ENOTFOUND;
  if (rc == 0) rc = hw_service_calendar_worker(x->store, hash, &worker);
  hw_date from = hw_time_local_date(x->now);
  hw_roster_view *days = NULL;
  int32_t n = 0;
  if (rc == 0) rc = hw_service_worker_days(x->store, NULL, worker, from, from + CALENDAR_DAYS - 1, &days, &n);
  char *text = rc == 0 ? hw_ical_worker_days(days, n, from, x->now) : NULL;
  hw_roster_views_free(days, n);
  if (!text) {
    hw_answer_read(x, rc ? rc : HW_ENOMEM, NULL, "calendar");
    return;
  }
  snprintf(x->headers, sizeof x->headers, "Cache-Control: private, max-age=300\r\n");
  hw_answer_body(x, 200, "text/calendar; charset=utf-8", text, strlen(text));
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_my_roster[] = {
    {"from", "date", 0, "first day (default: today)"},
    {"to", "date", 0, "last day (default: from + 6; at most 14 days)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_param q_my_changes[] = {
    {"after", "integer", 0, "only notes with a greater id (the answer's next)"},
    {"limit", "integer", 0, "at most this many, 1..500 (50)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_me = {"Who this token is, and the daemon's time", NULL, NULL, "Me", NULL};
static const hw_api_doc doc_my_roster = {"My days: visits, travel, shift and break (a worker token)", q_my_roster,
                                         NULL, "WorkerDays", NULL};
static const hw_api_doc doc_my_changes = {"What publishing changed on my days, newest first", q_my_changes, NULL,
                                          "RosterNotes", NULL};
static const hw_api_doc doc_calendar_secret = {"Make or rotate a worker's calendar subscription secret", NULL, NULL,
                                               "CalendarSecret", NULL};
static const hw_api_doc doc_calendar_ics = {"A worker's next 14 days as iCalendar; the secret is the credential",
                                            NULL, NULL, NULL, "text/calendar"};

const hw_handler hw_handler_me = {"me.get", HW_ROLES_ALL, me, NULL, 200, 0, &doc_me};
const hw_handler hw_handler_my_roster = {"me.roster", ROLE(WORKER), my_roster, NULL, 200, 0, &doc_my_roster};
const hw_handler hw_handler_my_changes = {"me.changes", ROLE(WORKER), my_changes, NULL, 200, 0, &doc_my_changes};
const hw_handler hw_handler_calendar_secret = {"calendars.secret", ROLE(COORDINATOR) | ROLE(ADMIN), NULL,
                                               calendar_secret, 200, 1, &doc_calendar_secret};
const hw_handler hw_handler_calendar_ics = {"calendars.ics", 0, calendar_ics, NULL, 200, 0, &doc_calendar_ics};
