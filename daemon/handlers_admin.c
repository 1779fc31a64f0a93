/*
 * The clock endpoints (admin only). GET /v1/admin/clock tells the daemon's time
 * and whether it runs on the test clock. POST /v1/admin/clock {"now": TIME} or
 * {"advance_s": N} moves a test clock forward (serve --test_clock); the answer
 * waits until every cron job passed on the way has run, in order, so a test can
 * step through days and read the results at once - for at most "wait_s" seconds
 * (default 60), after which it answers "idle": false and GET ?wait_s=N waits for
 * the rest. On the system clock it is a 409: real time cannot be moved.
 */
#include <stdint.h>

#include "hw_clock.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_timers.h"

#define ADMIN HW_ROLE_BIT(HW_ROLE_ADMIN)
#define MAX_ADVANCE_S (366LL * 86400)
#define DEFAULT_WAIT_S 60
#define MAX_WAIT_S 600

/* Park a read until the cron is idle, for at most wait_s (the server's timer
 * starts on the first park and is not restarted by wake-ups). */
static int wait_for_cron(hw_exchange *x, int64_t wait_s) {
  if (hw_timers_idle(x->timers) || !x->may_wait || wait_s <= 0) return 0;
  x->wait_ms = wait_s * 1000;
  return 1;
}

static json_t *clock_json(const hw_exchange *x) {
  const hw_clock *c = x->clock;
  return json_pack("{s:o, s:b, s:b, s:I}", "now", hw_json_time(hw_clock_now(c)), "test", c->test, "idle",
                   hw_timers_idle(x->timers), "jobs_run", (json_int_t)x->timers->jobs_run);
}

static void clock_get(hw_exchange *x) {
  hw_errors errs;
  hw_errors_init(&errs);
  int64_t wait_s = 0;
  hw_query_int(x, "wait_s", 0, MAX_WAIT_S, &wait_s, &errs);
  if (errs.n) {
    hw_answer_problem(x, 400, "bad query", &errs);
    return;
  }
  if (!wait_for_cron(x, wait_s)) hw_answer_json(x, 200, clock_json(x));
}

/* The instant asked for (and how long to wait for the cron), or 0 with the reason
 * in errs. */
static hw_time requested_target(const hw_exchange *x, int64_t *wait_s, hw_errors *errs) {
  static const char *const fields[] = {"now", "advance_s", "wait_s", NULL};
  json_t *body = hw_request_object(x, 0, errs);
  if (!body) return 0;
  hw_request_only_fields(body, fields, errs);
  hw_time now = hw_clock_now(x->clock), target = now;
  const json_t *adv = json_object_get(body, "advance_s");
  int has_now = hw_request_time(body, "now", 0, &target, errs) == 1;
  if (adv && has_now) hw_errors_add(errs, "", "give now or advance_s, not both");
  else if (adv && (!json_is_integer(adv) || json_integer_value(adv) < 0 || json_integer_value(adv) > MAX_ADVANCE_S))
    hw_errors_add(errs, "/advance_s", "must be a whole number of seconds from 0 to %lld", MAX_ADVANCE_S);
  else if (adv) target = now + json_integer_value(adv);
  else if (!has_now && errs->n == 0) hw_errors_add(errs, "", "give now or advance_s");
  if (errs->n == 0 && target < now) hw_errors_add(errs, "/now", "the clock does not go backwards");
  if (errs->n == 0 && target - now > MAX_ADVANCE_S) hw_errors_add(errs, "/now", "is more than a year ahead");
  const json_t *w = json_object_get(body, "wait_s");
  if (w && (!json_is_integer(w) || json_integer_value(w) < 0 || json_integer_value(w) > MAX_WAIT_S))
    hw_errors_add(errs, "/wait_s", "must be a whole number of seconds from 0 to %d", MAX_WAIT_S);
  else if (w) *wait_s = json_integer_value(w);
  json_decref(body);
  return errs->n ? 0 : target;
}

/* Parks until the cron has caught up with the new time, or wait_s has passed
 * (park_state: 1 = moved). */
static void clock_set(hw_exchange *x) {
  if (!x->clock->test) {
    hw_answer_problem(x, 409, "the daemon runs on the system clock; start it with --test_clock to move time", NULL);
    return;
  }
  int64_t wait_s = DEFAULT_WAIT_S;
  if (x->park_state == 0) {
    hw_errors errs;
    hw_errors_init(&errs);
    hw_time target = requested_target(x, &wait_s, &errs);
    if (errs.n) {
      hw_answer_problem(x, 400, "bad clock request", &errs);
      return;
    }
    x->clock->target = target;
    x->park_state = 1;
    hw_timers_poke(x->timers);
  }
  if (!wait_for_cron(x, wait_s)) hw_answer_json(x, 200, clock_json(x));
}

/* ---- What the OpenAPI document says of each route (hw_api_doc) ---------------- */
static const hw_api_param q_clock[] = {{"wait_s", "integer", 0, "wait up to this long (0-600 s) for the cron to be idle"},
                                       {NULL, NULL, 0, NULL}};
static const hw_api_doc doc_clock_get = {"The daemon's clock", q_clock, NULL, "Clock", NULL};
static const hw_api_doc doc_clock_set = {
    "Move a test clock; answers once the cron caught up (or after wait_s)", NULL, "ClockSet", "Clock", NULL};

const hw_handler hw_handler_clock_get = {"clock.get", ADMIN, clock_get, NULL, 200, 0, &doc_clock_get};
const hw_handler hw_handler_clock_set = {"clock.set", ADMIN, clock_set, NULL, 200, 1, &doc_clock_set};
