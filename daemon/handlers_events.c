/*
 * GET /v1/events?after=CURSOR&limit=N&wait=S: the change feed, oldest first, a
 * page at a time. Each event carries the records the change stored, with the ids
 * the server gave them (data/hw_records.h), so a roster system can follow the
 * feed alone. The cursor is the seq of the last event seen (0 to start); the
 * answer's "next" is the cursor for the following page (equal to `after` when
 * there is nothing newer). With wait=S (at most 60 s) and nothing newer, the
 * request waits until something is committed or S seconds pass (a long poll).
 * A token limited to some localities sees only their events.
 */
#include <stdlib.h>

#include "hw_error.h"
#include "hw_handlers.h"

#define EVENTS_DEFAULT_LIMIT 100
#define EVENTS_MAX_LIMIT 1000
#define EVENTS_MAX_WAIT_S 60

static int read_page(hw_exchange *x, int64_t after, int32_t limit, hw_event *evs, int32_t *n) {
  const hw_scope *s = &x->who.scope;
  if (s->all) return hw_store_events_after(x->store, after, limit, evs, n);
  return hw_store_events_after_in(x->store, after, limit, s->localities, s->n, evs, n);
}

static void events(hw_exchange *x) {
  int64_t after = 0, limit = EVENTS_DEFAULT_LIMIT, wait = 0;
  hw_errors errs;
  hw_errors_init(&errs);
  hw_query_int(x, "after", 0, INT64_MAX, &after, &errs);
  hw_query_int(x, "limit", 1, EVENTS_MAX_LIMIT, &limit, &errs);
  hw_query_int(x, "wait", 0, EVENTS_MAX_WAIT_S, &wait, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_event *evs = calloc((size_t)limit, sizeof *evs);
  int32_t n = 0;
  int rc = evs ? read_page(x, after, (int32_t)limit, evs, &n) : HW_ENOMEM;
  if (rc != 0) {
    free(evs);
    hw_answer_error(x, rc, "the event log cannot be read", NULL);
    return;
  }
  if (n == 0 && wait > 0 && x->may_wait) { /* nothing yet: park until news or the wait is over */
    free(evs);
    x->wait_ms = wait * 1000;
    return;
  }
  /* Every event of the page or none: "next" moves past them all, so a page with
   * one left out would lose it for the follower. */
  json_t *list = json_array();
  for (int32_t i = 0; list && i < n; i++)
    if (json_array_append_new(list, hw_event_to_json(&evs[i]))) {
      json_decref(list);
      list = NULL;
    }
  int64_t next = n > 0 ? evs[n - 1].seq : after;
  hw_event_free_array(evs, n);
  free(evs);
  hw_answer_read(x, 0, list ? json_pack("{s:o, s:I}", "events", list, "next", (json_int_t)next) : NULL, "event log");
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_events[] = {
    {"after", "integer", 0, "the cursor: seq of the last event seen (0 to start)"},
    {"limit", "integer", 0, "page size, 1..1000 (100)"},
    {"wait", "integer", 0, "seconds to wait for news when there is none, 0..60 (a long poll)"},
    {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_events = {
    "The change feed, oldest first, each event with the records it stored", q_events, NULL, "Events", NULL};

const hw_handler hw_handler_events = {
    .name = "events.list",
    .roles = HW_ROLE_BIT(HW_ROLE_COORDINATOR) | HW_ROLE_BIT(HW_ROLE_MANAGER) | HW_ROLE_BIT(HW_ROLE_ADMIN),
    .read = events,
    .doc = &doc_events,
};
