/*
 * The route table of the API and the answer helpers every handler uses.
 */
#include "hw_codec.h"
#include "hw_handlers.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"

const hw_http_route hw_api_routes[] = {
    {HTTP_GET, "/healthz", &hw_handler_healthz},
    {HTTP_GET, "/metrics", &hw_handler_metrics},
    {HTTP_POST, "/v1/referrals", &hw_handler_referral_create},
    {HTTP_GET, "/v1/referrals", &hw_handler_referral_list},
    {HTTP_POST, "/v1/referrals/import", &hw_handler_referral_import},
    {HTTP_GET, "/v1/referrals/{id}", &hw_handler_referral_get},
    {HTTP_PATCH, "/v1/referrals/{id}", &hw_handler_referral_change},
    {HTTP_POST, "/v1/referrals/{id}/reviews", &hw_handler_review_create},
    {HTTP_GET, "/v1/reviews/due", &hw_handler_reviews_due},
    {HTTP_POST, "/v1/clients", &hw_handler_client_create},
    {HTTP_GET, "/v1/clients", &hw_handler_client_list},
    {HTTP_GET, "/v1/clients/{id}", &hw_handler_client_get},
    {HTTP_PATCH, "/v1/clients/{id}", &hw_handler_client_change},
    {HTTP_POST, "/v1/clients/{id}/suspend", &hw_handler_client_suspend},
    {HTTP_POST, "/v1/clients/{id}/resume", &hw_handler_client_resume},
    {HTTP_POST, "/v1/workers", &hw_handler_worker_create},
    {HTTP_GET, "/v1/workers", &hw_handler_worker_list},
    {HTTP_GET, "/v1/workers/{id}", &hw_handler_worker_get},
    {HTTP_PATCH, "/v1/workers/{id}", &hw_handler_worker_change},
    {HTTP_POST, "/v1/workers/{id}/absences", &hw_handler_absence_record},
    {HTTP_GET, "/v1/workers/{id}/roster.ics", &hw_handler_roster_ics},
    {HTTP_POST, "/v1/workers/{id}/calendar-secret", &hw_handler_calendar_secret},
    {HTTP_GET, "/v1/calendars/{secret}.ics", &hw_handler_calendar_ics},
    {HTTP_GET, "/v1/me", &hw_handler_me},
    {HTTP_GET, "/v1/me/roster", &hw_handler_my_roster},
    {HTTP_GET, "/v1/me/changes", &hw_handler_my_changes},
    {HTTP_POST, "/v1/teams", &hw_handler_team_create},
    {HTTP_GET, "/v1/teams", &hw_handler_team_list},
    {HTTP_GET, "/v1/teams/{id}", &hw_handler_team_get},
    {HTTP_PATCH, "/v1/teams/{id}", &hw_handler_team_change},
    {HTTP_POST, "/v1/visits", &hw_handler_visit_create},
    {HTTP_GET, "/v1/visits", &hw_handler_visit_list},
    {HTTP_GET, "/v1/visits/{id}", &hw_handler_visit_get},
    {HTTP_PATCH, "/v1/visits/{id}", &hw_handler_visit_change},
    {HTTP_POST, "/v1/visits/{id}/check-in", &hw_handler_visit_check_in},
    {HTTP_POST, "/v1/visits/{id}/check-out", &hw_handler_visit_check_out},
    {HTTP_POST, "/v1/discharges", &hw_handler_discharge_create},
    {HTTP_GET, "/v1/discharges", &hw_handler_discharge_list},
    {HTTP_GET, "/v1/discharges/{id}", &hw_handler_discharge_get},
    {HTTP_POST, "/v1/discharges/{id}/accept", &hw_handler_discharge_accept},
    {HTTP_POST, "/v1/discharges/{id}/discharged", &hw_handler_discharge_discharged},
    {HTTP_POST, "/v1/discharges/{id}/cancel", &hw_handler_discharge_cancel},
    {HTTP_POST, "/v1/discharges/{id}/offer", &hw_handler_discharge_offer},
    {HTTP_GET, "/v1/events", &hw_handler_events},
    {HTTP_POST, "/v1/plans", &hw_handler_plan_create},
    {HTTP_GET, "/v1/plans/{id}", &hw_handler_plan_get},
    {HTTP_DELETE, "/v1/plans/{id}", &hw_handler_plan_cancel},
    {HTTP_GET, "/v1/drafts", &hw_handler_drafts},
    {HTTP_GET, "/v1/drafts/{id}", &hw_handler_draft_get},
    {HTTP_POST, "/v1/drafts/{id}/publish", &hw_handler_draft_publish},
    {HTTP_POST, "/v1/drafts/{id}/discard", &hw_handler_draft_discard},
    {HTTP_GET, "/v1/alerts/late", &hw_handler_late_visits},
    {HTTP_GET, "/v1/rosters", &hw_handler_rosters},
    {HTTP_GET, "/v1/outcomes", &hw_handler_outcomes},
    {HTTP_GET, "/v1/availability", &hw_handler_availability},
    {HTTP_GET, "/v1/reserve", &hw_handler_reserve},
    {HTTP_GET, "/v1/admin/clock", &hw_handler_clock_get},
    {HTTP_POST, "/v1/admin/clock", &hw_handler_clock_set},
    {HTTP_GET, "/v1/openapi.json", &hw_handler_openapi},
    {HTTP_GET, "/", &hw_handler_workspace},
    {HTTP_GET, "/dashboard", &hw_handler_workspace},
    {HTTP_GET, "/app.js", &hw_handler_workspace_asset},
    {HTTP_GET, "/app.css", &hw_handler_workspace_asset},
};
const int hw_api_n_routes = (int)(sizeof hw_api_routes / sizeof hw_api_routes[0]);

static void clear_answer(hw_exchange *x) {
  free(x->body);
  x->body = NULL;
  x->body_len = 0;
  x->content_type = NULL;
}

void hw_answer_body(hw_exchange *x, int status, const char *ctype, char *body, size_t len) {
  clear_answer(x);
  x->status = status;
  x->content_type = ctype;
  x->body = body;
  x->body_len = len;
}

static void answer_json_type(hw_exchange *x, int status, const char *ctype, json_t *doc) {
  char *text = doc ? hw_json_dumps_canonical(doc) : NULL;
  json_decref(doc);
  if (!text) {
    static const char oom[] = "{\"type\":\"urn:homeward:problem:nomem\",\"title\":\"Internal Server Error\",\"status\":500}";
    text = strdup(oom);
    status = 500;
    ctype = "application/problem+json";
  }
  hw_answer_body(x, status, ctype, text, text ? strlen(text) : 0);
}

void hw_answer_json(hw_exchange *x, int status, json_t *doc) { answer_json_type(x, status, "application/json", doc); }

/* The problem type for a status: a stable URN a client can switch on. */
static const char *problem_type(int status) {
  switch (status) {
    case 400: return "urn:homeward:problem:invalid";
    case 401: return "urn:homeward:problem:unauthorized";
    case 403: return "urn:homeward:problem:forbidden";
    case 404: return "urn:homeward:problem:not-found";
    case 405: return "urn:homeward:problem:method-not-allowed";
    case 408: return "urn:homeward:problem:request-timeout";
    case 409: return "urn:homeward:problem:conflict";
    case 413: return "urn:homeward:problem:too-large";
    case 415: return "urn:homeward:problem:unsupported-media-type";
    case 422: return "urn:homeward:problem:unprocessable";
    case 431: return "urn:homeward:problem:headers-too-large";
    case 503: return "urn:homeward:problem:unavailable";
  }
  return status >= 500 ? "urn:homeward:problem:internal" : "urn:homeward:problem:bad-request";
}

void hw_answer_problem(hw_exchange *x, int status, const char *detail, const hw_errors *errs) {
  json_t *doc = json_pack("{s:s, s:s, s:i}", "type", problem_type(status), "title", hw_http_reason(status), "status",
                          status);
  if (doc && detail) json_object_set_new(doc, "detail", json_string(detail));
  if (doc && errs && errs->n > 0) json_object_set_new(doc, "errors", hw_errors_to_json(errs));
  answer_json_type(x, status, "application/problem+json", doc);
}

void hw_answer_error(hw_exchange *x, int rc, const char *detail, const hw_errors *errs) {
  hw_answer_problem(x, hw_err_http_status(rc), detail ? detail : hw_strerror(rc), errs);
}

void hw_answer_read(hw_exchange *x, int rc, json_t *doc, const char *what) {
  if (rc == 0 && doc) {
    hw_answer_json(x, 200, doc);
    return;
  }
  json_decref(doc);
  if (rc == 0) rc = HW_ENOMEM;
  char detail[96];
  snprintf(detail, sizeof detail, rc == HW_ENOTFOUND    ? "no such %s"
                                  : rc == HW_EFORBIDDEN ? "the %s is outside your reach"
                                                        : "the %s cannot be read",
           what);
  hw_answer_error(x, rc, detail, NULL);
}

int hw_action_answer(hw_action *a, json_t *doc, hw_id locality) {
  a->answer = doc ? hw_json_dumps_canonical(doc) : NULL;
  json_decref(doc);
  a->answer_locality = locality;
  return a->answer ? 0 : HW_ENOMEM;
}

int hw_action_answer_client(hw_action *a, json_t *doc, hw_service *svc, hw_id client_id) {
  hw_client c;
  int rc = hw_store_get_client(hw_service_store(svc), client_id, &c);
  if (rc) {
    json_decref(doc);
    return rc;
  }
  return hw_action_answer(a, doc, c.locality_id);
}

int hw_action_answer_worker(hw_action *a, json_t *doc, hw_service *svc, hw_id worker_id) {
  hw_worker w;
  hw_team t;
  int rc = hw_store_get_worker(hw_service_store(svc), worker_id, &w);
  if (rc == 0) rc = hw_store_get_team(hw_service_store(svc), w.team_id, &t);
  if (rc) {
    json_decref(doc);
    return rc;
  }
  return hw_action_answer(a, doc, t.locality_id);
}

int hw_exchange_id(const hw_exchange *x, const char *name, hw_id *out) {
  const char *s = hw_route_param(x->match, name);
  if (!s || !isdigit((unsigned char)s[0])) return HW_ENOTFOUND;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || v <= 0) return HW_ENOTFOUND;
  *out = v;
  return 0;
}
