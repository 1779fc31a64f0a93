/*
 * GET /v1/events?after=CURSOR&limit=N: the audit log, oldest first, a page at a
 * time. The cursor is the seq of the last event seen (0 to start); the answer's
 * "next" is the cursor for the following page (equal to `after` when there is
 * nothing newer yet, so a poller can keep asking with it).
 */
#include <errno.h>
#include <stdlib.h>

#include "hw_error.h"
#include "hw_handlers.h"

#define EVENTS_DEFAULT_LIMIT 100
#define EVENTS_MAX_LIMIT 1000

/* Read an optional integer query parameter in [min, max]; errors go to errs. */
static void query_int(const hw_exchange *x, const char *key, int64_t min, int64_t max, int64_t *out,
                      hw_errors *errs) {
  char buf[32], path[48];
  int rc = hw_http_query_get(x->req->query, key, buf, sizeof buf);
  if (rc == HW_ENOTFOUND) return;
  snprintf(path, sizeof path, "/query/%s", key);
  if (rc != 0) {
    hw_errors_add(errs, path, "is not a valid value");
    return;
  }
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || end == buf || *end) hw_errors_add(errs, path, "must be an integer");
  else if (v < min || v > max) hw_errors_add(errs, path, "must be between %lld and %lld", (long long)min, (long long)max);
  else *out = v;
}

static void events(hw_exchange *x) {
  int64_t after = 0, limit = EVENTS_DEFAULT_LIMIT;
  hw_errors errs;
  hw_errors_init(&errs);
  query_int(x, "after", 0, INT64_MAX, &after, &errs);
  query_int(x, "limit", 1, EVENTS_MAX_LIMIT, &limit, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query parameters", &errs);
    return;
  }
  hw_event *evs = calloc((size_t)limit, sizeof *evs);
  int32_t n = 0;
  int rc = evs ? hw_store_events_after(x->store, after, (int32_t)limit, evs, &n) : HW_ENOMEM;
  if (rc != 0) {
    free(evs);
    hw_answer_error(x, rc, "the event log cannot be read", NULL);
    return;
  }
  json_t *list = json_array();
  for (int32_t i = 0; i < n; i++) json_array_append_new(list, hw_event_to_json(&evs[i]));
  int64_t next = n > 0 ? evs[n - 1].seq : after;
  hw_event_free_array(evs, n);
  free(evs);
  hw_answer_json(x, 200, json_pack("{s:o, s:I}", "events", list, "next", (json_int_t)next));
}

const hw_handler hw_handler_events = {
    .name = "events.list",
    .roles = HW_ROLE_BIT(HW_ROLE_MANAGER) | HW_ROLE_BIT(HW_ROLE_ADMIN),
    .read = events,
};
