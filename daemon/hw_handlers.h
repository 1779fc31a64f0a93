/*
 * The API's handlers and its route table. A request flows parser -> router ->
 * handler (h2o's shape): the server finds the route, checks the caller's role
 * against the handler's mask, then either
 *   - calls read(x), which answers at once from the read-only store, or
 *   - calls prepare(x, change), which parses and checks the body into an intake
 *     change; the server logs it as an event through the writer and answers with
 *     success_status (or the replayed first answer) after the group commit.
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
#include "hw_router.h"
#include "hw_store.h"

/* One request and its answer, as a handler sees it. */
typedef struct hw_exchange {
  hw_store *store;                 /* the read-only handle */
  const hw_metrics *metrics;
  const hw_http_request *req;
  const hw_route_match *match;
  hw_principal who;                /* the caller (handlers with roles only) */
  hw_time now;                     /* when the request was complete */
  /* The answer. */
  int status;
  const char *content_type;
  char *body;                      /* malloc'd */
  size_t body_len;
  char headers[256];               /* extra header lines, each ending "\r\n" */
} hw_exchange;

typedef struct hw_handler {
  const char *name;                /* route label in logs and metrics */
  unsigned roles;                  /* HW_ROLE_BIT()s allowed; 0 = public, no token */
  void (*read)(hw_exchange *x);
  int (*prepare)(hw_exchange *x, hw_intake *change);
  int success_status;              /* writes: 200 or 201 */
} hw_handler;

extern const hw_route hw_api_routes[];
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

#endif
