/*
 * The API's handlers and its route table. A request flows parser -> router ->
 * handler (h2o's shape): the server finds the route, checks the caller's role
 * against the handler's mask, then either
 *   - calls read(x), which answers from the read-only store (a read may ask to
 *     wait for news: the change feed's long poll), or
 *   - calls prepare(x, a), which parses and checks the request into an action
 *     whose run function the writer thread calls inside its group commit: ONE
 *     scheduler/hw_service.h call on domain structs, whose result the run
 *     function writes as the JSON answer. The answer (success_status) is sent
 *     after the commit; with an Idempotency-Key it is kept and replayed to a
 *     retry of the same request by the same caller.
 * A handler is this small struct of function pointers; the handlers_*.c files
 * each define a few and handlers_table.c lists them all in hw_api_routes.
 */
#ifndef HW_HANDLERS_H
#define HW_HANDLERS_H

#include <jansson.h>

#include "hw_auth.h"
#include "hw_codec.h"
#include "hw_http.h"
#include "hw_metrics.h"
#include "hw_plans.h"
#include "hw_router.h"
#include "hw_service.h"
#include "hw_store.h"

struct hw_clock;
struct hw_timers;

/* One request and its answer, as a handler sees it. */
typedef struct hw_exchange {
  hw_store *store;                 /* the read-only handle */
  const hw_metrics *metrics;
  const hw_http_request *req;
  const hw_route_match *match;
  hw_principal who;                /* the caller (handlers with roles only) */
  hw_plans *plans;                 /* the background plan jobs */
  struct hw_drafts *drafts;        /* D2A offers drafted on the thread pool */
  const hw_service *svc;           /* the writer's service (only its thread-safe calls) */
  const hw_service_settings *settings;
  struct hw_clock *clock;          /* the daemon's clock (a test clock can be moved) */
  struct hw_timers *timers;        /* the cron, which moves a test clock job by job */
  hw_time now;                     /* when the request was complete */
  int may_wait;                    /* a read may park (set by the server) */
  int64_t wait_ms;                 /* out: park for up to this long, then read again */
  int64_t park_state;              /* the handler's own, kept while parked (0 at first) */
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
  int (*run)(hw_service *svc, hw_action *a); /* writer thread: the service call and its answer */
  hw_service *svc;                 /* the writer's service (set by the server) */
  void (*release)(hw_action *a);   /* frees req (NULL: plain free) */
  /* Optional, loop thread: work to do off the writer first (a D2A offer drafted
   * on the thread pool). Returns 1 when it started it - then it calls ready(a) on
   * the loop thread once done - or 0 when there is nothing to do. It is called
   * again when run sets `again` (what it made had gone stale by the write). */
  int (*offload)(hw_action *a, void (*ready)(hw_action *a));
  int again;
  /* Optional, loop thread: after a successful write (or its replay), before the
   * answer is sent: start what needs the commit (a plan job), add headers. */
  void (*after)(hw_action *a, hw_exchange *x);
  void *owner;                     /* the server's (the connection) */
  hw_change change;                /* scope, actor, key, now, errs (point into this action) */
  hw_scope scope;
  hw_errors errs;
  char actor[64];
  char key[80];
  hw_id id;                        /* the path's {id} */
  hw_time at;                      /* an instant from the body */
  void *req;                       /* the parsed request (prepare's) */
  /* The answer, set by run. */
  char *answer;                    /* JSON text */
  hw_id answer_locality;           /* the locality of what was answered (replay scope) */
  int status;                      /* set by the server: the handler's success_status */
  int replayed;                    /* set by the server */
  /* What identifies the request for idempotency (set by the server). */
  char method[8];
  char route[64];
  char path[160];
  char body_sha256[65];
};

/* What the OpenAPI document (openapi.c, GET /v1/openapi.json) says of a route,
 * kept on its handler so that no route goes undocumented. Schemas are names of
 * daemon/api/schemas.json (components); a test checks every one exists. */
typedef struct hw_api_param {
  const char *name;                /* NULL ends a list */
  const char *type;                /* "id", "date", "time", "integer", "string" */
  int required;
  const char *description;
} hw_api_param;

typedef struct hw_api_doc {
  const char *summary;
  const hw_api_param *query;       /* query parameters ({NULL}-ended), NULL = none */
  const char *request;             /* the body's schema, NULL = no body */
  const char *response;            /* the success answer's schema (JSON answers) */
  const char *media;               /* the answer's media type, NULL = application/json */
} hw_api_doc;

typedef struct hw_handler hw_handler;

/* The write path of server.c, for the writer and for tests that drive a handler
 * without a socket (tests/fault/):
 * Loop thread: fill a write's action from its exchange - the caller's scope and
 * name, the Idempotency-Key and what identifies the request (method, route,
 * path, body hash), the handler's success status, the change context - and let
 * the handler's prepare parse the request into it. Returns 0, the handler's
 * error (HW_EINVAL with the reasons in a->errs), or HW_ENOMEM / HW_EINTERNAL
 * when memory ran out on the way, jansson's unreported losses included
 * (hw_json_alloc_failures): never a 4xx for our own failure. Release a with
 * hw_action_release either way. */
int hw_action_prepare(hw_action *a, hw_exchange *x, const hw_handler *h, hw_service *svc);
/* Writer thread, inside the open batch: action a in a change group of its own. A
 * keyed request seen before is answered as it was then (a->replayed; another
 * request under the same key is a 422), else a->run makes the change and its
 * answer, which is kept with a keyed request. On an error nothing of it is kept,
 * a->answer is NULL, and the service forgets its cached days. An answer jansson
 * could not build whole is HW_ENOMEM too. */
int hw_action_apply(hw_store *st, hw_action *a);
/* Free what prepare and run left in a (the parsed request, the answer). */
void hw_action_release(hw_action *a);
/* Loop thread: a read, h->read(x) (server.c's read path, for tests that drive a
 * handler without a socket), except that an answer built while jansson lost an
 * allocation (hw_json_alloc_failures: a member or element it failed to add
 * goes unseen) is replaced by a 500 problem. */
void hw_exchange_read(hw_exchange *x, const hw_handler *h);

struct hw_handler {
  const char *name;                /* route label in logs and metrics */
  unsigned roles;                  /* HW_ROLE_BIT()s allowed; 0 = public, no token */
  void (*read)(hw_exchange *x);
  int (*prepare)(hw_exchange *x, hw_action *a);
  int success_status;              /* writes: 200 or 201 */
  int body;                        /* writes: 1 the body is JSON (or empty), 2 text/csv */
  const hw_api_doc *doc;           /* for the OpenAPI document */
};

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
/* A read's answer: doc (200), or the problem for rc naming `what`. */
void hw_answer_read(hw_exchange *x, int rc, json_t *doc, const char *what);
/* A write's answer, from the writer thread: doc (stolen) as canonical JSON text
 * into a->answer, with the locality it concerns. Returns 0 or HW_ENOMEM. */
int hw_action_answer(hw_action *a, json_t *doc, hw_id locality);
/* The same for an answer about a client's record (a worker's), whose locality is
 * read on the writer's handle (a worker's through its team). A failed read fails
 * the answer, and so the change: kept with no locality, the answer would be
 * replayed to callers outside it. doc is consumed either way. */
int hw_action_answer_client(hw_action *a, json_t *doc, hw_service *svc, hw_id client_id);
int hw_action_answer_worker(hw_action *a, json_t *doc, hw_service *svc, hw_id worker_id);

/* The path parameter name as a positive id. Returns 0, or HW_ENOTFOUND when it
 * is not a positive integer (no record can have that id). */
int hw_exchange_id(const hw_exchange *x, const char *name, hw_id *out);

/* ---- Requests (requests.c) ---------------------------------------------------- */

/* The body as a JSON object (new reference), or NULL with the reason in errs (a
 * syntax error names line and column). An empty body is an empty object when
 * empty_ok, else "a JSON object is required". */
json_t *hw_request_object(const hw_exchange *x, int empty_ok, hw_errors *errs);
/* Each field of `fields` present in body: "is set by the server; leave it out". */
void hw_request_reject_fields(const json_t *body, const char *const *fields, hw_errors *errs);
/* Each field of body not in `fields`: "unknown field". */
void hw_request_only_fields(const json_t *body, const char *const *fields, hw_errors *errs);
/* The record document of a body that may carry a new client inline under
 * "client": a copy without it (and a placeholder client_id, replaced once the
 * client is stored), with the client decoded into *client and *has_client set.
 * NULL when out of memory. */
json_t *hw_request_record_doc(const json_t *body, hw_client *client, int *has_client, hw_errors *errs);
/* An optional (or required) ISO 8601 time field key of body into *out (left as it
 * is when absent). 1 present, 0 absent, -1 bad (reason in errs). */
int hw_request_time(const json_t *body, const char *key, int required, hw_time *out, hw_errors *errs);
/* A write whose body must be empty. */
int hw_request_no_body(const hw_exchange *x, hw_errors *errs);

/* Query helpers for the read handlers: an optional parameter into *out, problems
 * (bad value) into errs under /query/NAME. Absent leaves *out unchanged. */
void hw_query_id(const hw_exchange *x, const char *key, hw_id *out, hw_errors *errs);
void hw_query_date(const hw_exchange *x, const char *key, hw_date *out, hw_errors *errs);
void hw_query_time(const hw_exchange *x, const char *key, hw_time *out, hw_errors *errs);
void hw_query_int(const hw_exchange *x, const char *key, int64_t min, int64_t max, int64_t *out, hw_errors *errs);
/* A name of table t ("waiting") into *out (its index); -1 left when absent. */
void hw_query_enum(const hw_exchange *x, const char *key, int (*parse)(const char *, int *), int *out,
                   hw_errors *errs);

/* ---- Handlers, by area (handlers_<area>.c) ---------------------------------- */

extern const hw_handler hw_handler_healthz, hw_handler_metrics;
extern const hw_handler hw_handler_referral_create, hw_handler_referral_get, hw_handler_referral_change,
    hw_handler_referral_list, hw_handler_referral_import, hw_handler_review_create, hw_handler_reviews_due;
extern const hw_handler hw_handler_client_create, hw_handler_client_get, hw_handler_client_change,
    hw_handler_client_list, hw_handler_client_suspend, hw_handler_client_resume;
extern const hw_handler hw_handler_worker_create, hw_handler_worker_get, hw_handler_worker_change,
    hw_handler_worker_list, hw_handler_absence_record;
extern const hw_handler hw_handler_team_create, hw_handler_team_get, hw_handler_team_change, hw_handler_team_list;
extern const hw_handler hw_handler_visit_create, hw_handler_visit_get, hw_handler_visit_change,
    hw_handler_visit_list, hw_handler_visit_check_in, hw_handler_visit_check_out;
extern const hw_handler hw_handler_discharge_create, hw_handler_discharge_get, hw_handler_discharge_list,
    hw_handler_discharge_accept, hw_handler_discharge_discharged, hw_handler_discharge_cancel,
    hw_handler_discharge_offer;
extern const hw_handler hw_handler_events;
extern const hw_handler hw_handler_plan_create, hw_handler_plan_get, hw_handler_plan_cancel;
extern const hw_handler hw_handler_rosters, hw_handler_roster_ics, hw_handler_outcomes, hw_handler_availability,
    hw_handler_reserve;
extern const hw_handler hw_handler_clock_get, hw_handler_clock_set;
extern const hw_handler hw_handler_workspace, hw_handler_workspace_asset, hw_handler_openapi;
extern const hw_handler hw_handler_me, hw_handler_my_roster, hw_handler_my_changes, hw_handler_calendar_secret,
    hw_handler_calendar_ics;
extern const hw_handler hw_handler_drafts, hw_handler_draft_get, hw_handler_draft_publish,
    hw_handler_draft_discard, hw_handler_late_visits;

#endif
