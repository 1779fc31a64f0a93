/*
 * The API's handlers and its route table. A request flows parser -> router ->
 * handler (h2o's shape): the server finds the route, checks the caller's role
 * against the handler's mask, then either
 *   - calls read(x), which answers at once from the read-only store, or
 *   - calls prepare(x, action), which parses and checks the request into an
 *     action: an intake change (the server logs it as an event through the
 *     writer) and, for the scheduler's endpoints, a run function that the writer
 *     calls inside its group commit in place of the plain change (one
 *     scheduler/hw_service.h function). The answer is success_status with the
 *     result (or the replayed first answer), sent after the group commit.
 * A handler is this small struct of function pointers; the handlers_*.c files
 * each define a few and handlers.c lists them all in hw_api_routes.
 */
#ifndef HW_HANDLERS_H
#define HW_HANDLERS_H

#include <jansson.h>

#include "hw_auth.h"
#include "hw_codec.h"
#include "hw_http.h"
#include "hw_intake.h"
#include "hw_metrics.h"
#include "hw_plans.h"
#include "hw_router.h"
#include "hw_service.h"
#include "hw_store.h"

/* One request and its answer, as a handler sees it. */
typedef struct hw_exchange {
  hw_store *store;                 /* the read-only handle */
  const hw_metrics *metrics;
  const hw_http_request *req;
  const hw_route_match *match;
  hw_principal who;                /* the caller (handlers with roles only) */
  hw_plans *plans;                 /* the background plan jobs */
  const hw_d2a_options *d2a;       /* the D2A offer policy */
  hw_time now;                     /* when the request was complete */
  /* The answer. */
  int status;
  const char *content_type;
  char *body;                      /* malloc'd */
  size_t body_len;
  char headers[256];               /* extra header lines, each ending "\r\n" */
} hw_exchange;

/* A write on its way to the writer thread. */
typedef struct hw_action hw_action;
struct hw_action {
  hw_intake change;                /* the record change (change.body NULL: none) */
  int (*run)(hw_store *st, hw_action *a); /* NULL: apply `change` alone */
  hw_event ev;                     /* the change's event (set by the server) */
  hw_id id;                        /* the path's {id} */
  hw_time at;                      /* an instant from the body ("discharged" at) */
  const hw_d2a_options *d2a;
  hw_service_call call;            /* scope, actor, key, now; errs = &change.errs */
};

typedef struct hw_handler {
  const char *name;                /* route label in logs and metrics */
  unsigned roles;                  /* HW_ROLE_BIT()s allowed; 0 = public, no token */
  void (*read)(hw_exchange *x);
  int (*prepare)(hw_exchange *x, hw_action *a);
  int success_status;              /* writes: 200 or 201 */
} hw_handler;

extern const hw_http_route hw_api_routes[];
extern const int hw_api_n_routes;

/* ---- Answers (each replaces any answer already set) ------------------------ */

/* doc as JSON (the reference is stolen). Out of memory becomes a 500 problem. */
void hw_answer_json(hw_exchange *x, int status, json_t *doc);
/* body (malloc'd, taken over) with content type ctype. */
void hw_answer_body(hw_exchange *x, int status, const char *ctype, char *body, size_t len);
/* An application/problem+json document: type and title from the status, detail,
 * and errors (may be NULL or empty) as [{"field", "reason"}]. */
void hw_answer_problem(hw_exchange *x, int status, const char *detail, const hw_errors *errs);
/* A problem for hw error code rc (status from the error table). */
void hw_answer_error(hw_exchange *x, int rc, const char *detail, const hw_errors *errs);

/* The path parameter name as a positive id. Returns 0, or HW_ENOTFOUND when it
 * is not a positive integer (no record can have that id). */
int hw_exchange_id(const hw_exchange *x, const char *name, hw_id *out);

/* Handlers, by area (handlers_<area>.c). */
extern const hw_handler hw_handler_healthz, hw_handler_metrics;
extern const hw_handler hw_handler_referral_create, hw_handler_referral_get, hw_handler_referral_change;
extern const hw_handler hw_handler_worker_create, hw_handler_worker_list, hw_handler_absence_record;
extern const hw_handler hw_handler_visit_check_in, hw_handler_visit_check_out;
extern const hw_handler hw_handler_discharge_create, hw_handler_discharge_get;
extern const hw_handler hw_handler_events;
extern const hw_handler hw_handler_discharge_list, hw_handler_discharge_accept, hw_handler_discharge_discharged, hw_handler_discharge_cancel;
extern const hw_handler hw_handler_plan_create, hw_handler_plan_get, hw_handler_plan_cancel;
extern const hw_handler hw_handler_rosters, hw_handler_roster_ics, hw_handler_outcomes, hw_handler_availability;
extern const hw_handler hw_handler_dashboard;

/* Query helpers for the read handlers: an optional parameter into *out, problems
 * (bad value) into errs under /query/NAME. Absent leaves *out unchanged. */
void hw_query_id(const hw_exchange *x, const char *key, hw_id *out, hw_errors *errs);
void hw_query_date(const hw_exchange *x, const char *key, hw_date *out, hw_errors *errs);
void hw_query_time(const hw_exchange *x, const char *key, hw_time *out, hw_errors *errs);

#endif
