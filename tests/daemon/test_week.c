/*
 * The service loop end to end, over HTTP, on a test clock: the real daemon
 * (build/homeward serve --test_clock) on a small generated partnership is driven
 * through a week. Referrals arrive by the API and by CSV and are allocated or
 * wait with a reason; the cron's nightly plans roster them; a discharge request
 * is offered, accepted and discharged the same day; a worker checks in and out;
 * a review a week on ends the episode with its outcome; and the outcome figures
 * a manager gets from the event log equal those a coordinator gets from the
 * records. The clock only moves when the test moves it, so every run is the same.
 */
#include "hw_serve_harness.h"

/* The clock starts on Sunday 11 January 2026 06:00 (harness_start_generated):
 * Sunday evening's nightly plan rosters Monday. */

typedef struct week {
  daemon_proc d;
  char admin[HW_TOKEN_LEN + 1], coord[HW_TOKEN_LEN + 1], manager[HW_TOKEN_LEN + 1], ward[HW_TOKEN_LEN + 1];
} week;

static void start_week(week *w) {
  harness_start_generated(&w->d, "week.db", w->admin, w->coord);
  harness_token(w->d.db, "--role manager --name manager", w->manager, sizeof w->manager);
  harness_token(w->d.db, "--role discharge --locality 1 --name ward", w->ward, sizeof w->ward);
}

/* Move the test clock to `when` (local ISO time); the cron's jobs on the way run. */
static void clock_to(week *w, const char *when) { harness_clock_to(w->d.port, w->admin, when); }

static json_t *call(week *w, const char *method, const char *path, const char *token, const char *body, int want) {
  return harness_call(w->d.port, method, path, token, body, want);
}

static const char *str(const json_t *j, const char *key) {
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static json_int_t num(const json_t *j, const char *key) { return json_integer_value(json_object_get(j, key)); }

#define DAILY "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"
#define DAY_SHIFT(d) "{\"day\":\"" d "\",\"start\":\"08:00\",\"end\":\"20:00\"}"
#define DAY_SHIFTS \
  DAY_SHIFT("mon") "," DAY_SHIFT("tue") "," DAY_SHIFT("wed") "," DAY_SHIFT("thu") "," DAY_SHIFT("fri") "," DAY_SHIFT("sat") "," DAY_SHIFT("sun")

/* Monday: the coordinator adds a worker to reablement team 1 for the week; one
 * referral by the API that a team takes, one that no team has room for, and two
 * by CSV. Returns the id of the first. */
static json_int_t referrals_arrive(week *w) {
  json_t *worker = call(w, "POST", "/v1/workers", w->coord,
                        "{\"team_id\":1,\"name\":\"Ailsa Bank\",\"base\":{\"lat\":55.866,\"lon\":-3.98},\"skills\":"
                        "[{\"skill\":\"personal_care\"}],\"shifts\":[" DAY_SHIFTS "]}",
                        201);
  json_decref(worker);
  json_t *a = call(w, "POST", "/v1/referrals", w->coord,
                   "{\"client_id\":5,\"source\":\"community\",\"start_date\":\"2026-01-12\",\"care_plan\":{\"visits\":"
                   "[{\"days\":" DAILY ",\"window\":{\"start\":\"09:00\",\"end\":\"16:00\"},\"duration\":30,"
                   "\"skills\":[\"personal_care\"]}]}}",
                   201);
  HW_CHECK_STR(str(a, "status"), "allocated");
  HW_CHECK_STR(str(a, "pathway"), "reablement");
  HW_CHECK(num(a, "team_id") > 0);
  HW_CHECK(num(a, "visits_created") >= 14);
  json_int_t id = num(a, "id");
  json_decref(a);
  /* Four double-handed four-hour visits a day: no team has that room. */
  json_t *big = call(w, "POST", "/v1/referrals", w->coord,
                     "{\"client_id\":6,\"source\":\"community\",\"start_date\":\"2026-01-12\",\"care_plan\":{\"visits\":"
                     "[{\"days\":" DAILY ",\"window\":{\"start\":\"07:00\",\"end\":\"11:00\"},\"duration\":240,\"workers\":2},"
                     "{\"days\":" DAILY ",\"window\":{\"start\":\"11:00\",\"end\":\"15:00\"},\"duration\":240,\"workers\":2},"
                     "{\"days\":" DAILY ",\"window\":{\"start\":\"15:00\",\"end\":\"19:00\"},\"duration\":240,\"workers\":2},"
                     "{\"days\":" DAILY ",\"window\":{\"start\":\"19:00\",\"end\":\"23:00\"},\"duration\":240,\"workers\":2}]}}",
                     201);
  HW_CHECK_STR(str(big, "status"), "waiting");
  HW_CHECK_CONTAINS(str(json_object_get(big, "waiting"), "reason"), "no reablement team");
  HW_CHECK_INT(num(big, "visits_created"), ==, 0);
  json_decref(big);
  resp r;
  const char *csv = "referral,client_id,source,start_date,days,window_start,window_end,duration,skills\n"
                    "x,7,community,2026-01-12,daily,08:00,09:30,30,personal_care\n"
                    "x,7,community,2026-01-12,weekdays,17:00,18:30,20,\n"
                    "y,8,hospital,2026-01-13,mon;wed;fri,12:00,13:30,30,\n";
  HW_CHECK_INT(http_typed(w->d.port, "POST", "/v1/referrals/import", w->coord, "csv-1", "text/csv", csv, &r), ==, 0);
  if (r.status != 201) hw_test_fail(__FILE__, __LINE__, "import: %d %s", r.status, r.body);
  json_t *imp = body_json(&r);
  HW_CHECK_INT(num(imp, "rows"), ==, 2);
  HW_CHECK_INT(num(imp, "allocated") + num(imp, "waiting"), ==, 2);
  json_decref(imp);
  /* The waiting list names the big one and why. */
  json_t *list = call(w, "GET", "/v1/referrals?status=waiting&locality=1", w->coord, NULL, 200);
  HW_CHECK(json_array_size(json_object_get(list, "referrals")) >= 1);
  HW_CHECK_INT(num(json_array_get(json_object_get(list, "referrals"), 0), "client_id"), ==, 6);
  json_decref(list);
  return id;
}

/* Monday 09:30: a ward asks for a start today; it is offered, accepted and the
 * person leaves at 11:30. */
static void discharge_same_day(week *w) {
  json_t *d = call(w, "POST", "/v1/discharges", w->ward,
                   "{\"client_id\":9,\"hospital\":\"University Hospital Monklands\",\"ward\":\"7\",\"ready_at\":"
                   "\"2026-01-12T09:30\",\"care_plan\":{\"visits\":[{\"days\":" DAILY ",\"window\":{\"start\":\"17:00\","
                   "\"end\":\"19:30\"},\"duration\":30}]}}",
                   201);
  HW_CHECK_STR(str(d, "status"), "offered");
  HW_CHECK(json_array_size(json_object_get(d, "visits")) >= 2);
  char path[64];
  snprintf(path, sizeof path, "/v1/discharges/%lld/accept", (long long)num(d, "id"));
  json_t *acc = call(w, "POST", path, w->ward, NULL, 200);
  HW_CHECK_STR(str(acc, "status"), "accepted");
  HW_CHECK(num(acc, "referral_id") > 0);
  HW_CHECK(json_array_size(json_object_get(acc, "visit_ids")) >= 2);
  json_decref(acc);
  clock_to(w, "2026-01-12T11:30");
  snprintf(path, sizeof path, "/v1/discharges/%lld/discharged", (long long)num(d, "id"));
  json_t *out = call(w, "POST", path, w->ward, NULL, 200);
  HW_CHECK_STR(str(out, "status"), "discharged");
  json_decref(out);
  json_decref(d);
}

/* Tuesday: the referral's visit is on a published roster; its worker checks in
 * and out. */
static void visit_delivered(week *w, json_int_t referral) {
  json_t *vs = call(w, "GET", "/v1/visits?date=2026-01-13&locality=1", w->coord, NULL, 200);
  json_t *mine = NULL;
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(vs, "visits"), i, v) if (num(v, "referral_id") == referral) mine = v;
  HW_CHECK(mine != NULL);
  HW_CHECK_STR(str(mine, "status"), "assigned");
  const char *start = str(mine, "planned_start");
  hw_time t;
  const char *why;
  HW_CHECK_INT(hw_time_parse(start, &t, &why), ==, 0);
  char at[32], path[64];
  hw_time_format(t, at, sizeof at);
  clock_to(w, at);
  snprintf(path, sizeof path, "/v1/visits/%lld/check-in", (long long)num(mine, "id"));
  json_decref(call(w, "POST", path, w->coord, NULL, 200));
  hw_time_format(t + 30 * 60, at, sizeof at);
  clock_to(w, at);
  snprintf(path, sizeof path, "/v1/visits/%lld/check-out", (long long)num(mine, "id"));
  json_t *done = call(w, "POST", path, w->coord, NULL, 200);
  HW_CHECK_STR(str(done, "status"), "done");
  json_decref(done);
  json_decref(vs);
}

/* The next Monday: the review is due, and ends the episode independent. */
static void review_ends_episode(week *w, json_int_t referral) {
  json_t *due = call(w, "GET", "/v1/reviews/due?locality=1", w->coord, NULL, 200);
  int listed = 0;
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(due, "reviews"), i, e) listed |= num(json_object_get(e, "referral"), "id") == referral;
  HW_CHECK(listed);
  json_decref(due);
  char path[64];
  snprintf(path, sizeof path, "/v1/referrals/%lld/reviews", (long long)referral);
  json_t *rv = call(w, "POST", path, w->coord, "{\"finding\":\"independent\",\"note\":\"walks to the shop\"}", 201);
  HW_CHECK_STR(str(json_object_get(rv, "review"), "outcome"), "independent");
  HW_CHECK_STR(str(json_object_get(rv, "referral"), "status"), "ended");
  HW_CHECK(json_is_null(json_object_get(rv, "next_referral")));
  json_decref(rv);
}

HW_TEST(a_week_of_the_service_loop) {
  week w;
  start_week(&w);
  clock_to(&w, "2026-01-12T09:00"); /* Sunday's plan and Monday's round have run */
  json_t *mon = call(&w, "GET", "/v1/rosters?date=2026-01-12&locality=1", w.coord, NULL, 200);
  HW_CHECK(json_array_size(json_object_get(mon, "rosters")) > 0);
  json_decref(mon);
  json_int_t referral = referrals_arrive(&w);
  clock_to(&w, "2026-01-12T09:30");
  discharge_same_day(&w);
  clock_to(&w, "2026-01-12T19:00"); /* Monday evening: Tuesday is planned */
  visit_delivered(&w, referral);
  clock_to(&w, "2026-01-19T10:00");
  review_ends_episode(&w, referral);
  /* The manager's figures come from the log, the coordinator's from the records. */
  json_t *log = call(&w, "GET", "/v1/outcomes?from=2026-01-12&to=2026-01-19", w.manager, NULL, 200);
  json_t *rec = call(&w, "GET", "/v1/outcomes?from=2026-01-12&to=2026-01-19", w.coord, NULL, 200);
  char *a = json_dumps(log, JSON_SORT_KEYS), *b = json_dumps(rec, JSON_SORT_KEYS);
  HW_CHECK_STR(a, b);
  free(a);
  free(b);
  HW_CHECK(json_real_value(json_object_get(log, "same_day_discharge_pct")) == 100.0);
  HW_CHECK(json_real_value(json_object_get(log, "reablement_independent_pct")) == 100.0);
  HW_CHECK(json_real_value(json_object_get(log, "punctuality_pct")) == 100.0);
  HW_CHECK(num(log, "occupied_bed_days") >= 0);
  json_decref(log);
  json_decref(rec);
  /* Without a period: the last four full weeks. */
  json_t *def = call(&w, "GET", "/v1/outcomes", w.manager, NULL, 200);
  HW_CHECK_STR(str(def, "from"), "2025-12-22");
  HW_CHECK_STR(str(def, "to"), "2026-01-18");
  json_decref(def);
  HW_CHECK_INT(daemon_stop(&w.d, SIGTERM), ==, 0);
}

/* The count of events: every change is one or more, so an unchanged count is an
 * unchanged store. */
static int64_t events_now(week *w) { return event_count(w->d.port); }

static void refused(week *w, const char *method, const char *path, const char *token, const char *body, int status,
                    const char *field) {
  int64_t before = events_now(w);
  resp r;
  HW_CHECK_INT(http(w->d.port, method, path, token, NULL, body, &r), ==, 0);
  if (r.status != status) hw_test_fail(__FILE__, __LINE__, "%s %s: %d (wanted %d): %s", method, path, r.status, status, r.body);
  if (field) {
    char want[96];
    snprintf(want, sizeof want, "\"field\":\"%s\"", field);
    HW_CHECK_CONTAINS(r.body, want);
  }
  HW_CHECK_INT(events_now(w), ==, before);
}

HW_TEST(implausible_and_conflicting_input_refused_with_nothing_stored) {
  week w;
  start_week(&w);
  clock_to(&w, "2026-01-12T09:30");
  refused(&w, "POST", "/v1/referrals", w.coord,
          "{\"client_id\":5,\"source\":\"community\",\"start_date\":\"1999-01-04\",\"care_plan\":{\"visits\":"
          "[{\"days\":[\"mon\"],\"window\":{\"start\":\"09:00\",\"end\":\"10:00\"},\"duration\":30}]}}",
          400, "/start_date");
  refused(&w, "POST", "/v1/discharges", w.ward,
          "{\"client_id\":9,\"hospital\":\"Monklands\",\"ready_at\":\"2020-03-02T10:00\",\"care_plan\":{\"visits\":"
          "[{\"days\":[\"mon\"],\"window\":{\"start\":\"17:00\",\"end\":\"19:00\"},\"duration\":30}]}}",
          400, "/ready_at");
  refused(&w, "POST", "/v1/plans", w.coord, "{\"locality\":1,\"date\":\"2020-01-01\"}", 400, "/date");
  /* A discharge time before the person was ready. */
  json_t *d = call(&w, "POST", "/v1/discharges", w.ward,
                   "{\"client_id\":9,\"hospital\":\"Monklands\",\"ready_at\":\"2026-01-12T09:30\",\"care_plan\":"
                   "{\"visits\":[{\"days\":" DAILY ",\"window\":{\"start\":\"17:00\",\"end\":\"19:30\"},\"duration\":30}]}}",
                   201);
  char path[64];
  snprintf(path, sizeof path, "/v1/discharges/%lld/discharged", (long long)num(d, "id"));
  refused(&w, "POST", path, w.ward, "{\"at\":\"2025-12-12T10:00\"}", 400, "/at");
  json_decref(d);
  /* A CHI number another client holds. */
  json_t *c = call(&w, "POST", "/v1/clients", w.coord,
                   "{\"locality_id\":1,\"name\":\"Jean Reid\",\"chi\":\"0101011237\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}",
                   201);
  json_decref(c);
  refused(&w, "POST", "/v1/clients", w.coord,
          "{\"locality_id\":1,\"name\":\"Jean Reid\",\"chi\":\"0101011237\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}",
          409, "/chi");
  refused(&w, "POST", "/v1/referrals", w.coord,
          "{\"client\":{\"locality_id\":1,\"name\":\"J Reid\",\"chi\":\"0101011237\",\"location\":{\"lat\":55.86,"
          "\"lon\":-3.98}},\"source\":\"community\",\"start_date\":\"2026-01-12\",\"care_plan\":{\"visits\":"
          "[{\"days\":[\"mon\"],\"window\":{\"start\":\"09:00\",\"end\":\"10:00\"},\"duration\":30}]}}",
          409, "/client/chi");
  /* An Idempotency-Key replays the same request, and refuses another. */
  const char *body = "{\"locality_id\":1,\"name\":\"Tam Reid\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}";
  resp r1, r2, r3;
  HW_CHECK_INT(http(w.d.port, "POST", "/v1/clients", w.coord, "tam-1", body, &r1), ==, 0);
  HW_CHECK_INT(r1.status, ==, 201);
  int64_t before = events_now(&w);
  HW_CHECK_INT(http(w.d.port, "POST", "/v1/clients", w.coord, "tam-1", body, &r2), ==, 0);
  HW_CHECK_INT(r2.status, ==, 201);
  HW_CHECK_CONTAINS(r2.head, "Idempotent-Replayed: true");
  HW_CHECK_STR(r2.body, r1.body);
  HW_CHECK_INT(http(w.d.port, "POST", "/v1/clients", w.coord, "tam-1",
                    "{\"locality_id\":1,\"name\":\"Someone Else\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}", &r3), ==, 0);
  HW_CHECK_INT(r3.status, ==, 422);
  HW_CHECK_CONTAINS(r3.body, "/headers/Idempotency-Key");
  HW_CHECK_INT(http(w.d.port, "PATCH", "/v1/clients/1", w.coord, "tam-1", "{\"language\":\"pl\"}", &r3), ==, 0);
  HW_CHECK_INT(r3.status, ==, 422); /* another route */
  HW_CHECK_INT(events_now(&w), ==, before);
  HW_CHECK_INT(daemon_stop(&w.d, SIGTERM), ==, 0);
}

/* The visits a D2A acceptance pins, and what has started or is about to, stay
 * where they are when the day is planned again. */
HW_TEST(replanning_never_moves_pins_or_the_frozen_part_of_the_day) {
  week w;
  start_week(&w);
  clock_to(&w, "2026-01-12T09:30");
  json_t *d = call(&w, "POST", "/v1/discharges", w.ward,
                   "{\"client_id\":9,\"hospital\":\"Monklands\",\"ready_at\":\"2026-01-12T09:30\",\"care_plan\":"
                   "{\"visits\":[{\"days\":" DAILY ",\"window\":{\"start\":\"17:00\",\"end\":\"19:30\"},\"duration\":30}]}}",
                   201);
  char path[64];
  snprintf(path, sizeof path, "/v1/discharges/%lld/accept", (long long)num(d, "id"));
  json_t *acc = call(&w, "POST", path, w.ward, NULL, 200);
  json_t *ids = json_object_get(acc, "visit_ids");
  HW_CHECK(json_array_size(ids) >= 1);
  json_int_t pinned_id = json_integer_value(json_array_get(ids, 0));
  snprintf(path, sizeof path, "/v1/visits/%lld", (long long)pinned_id);
  json_t *before = call(&w, "GET", path, w.coord, NULL, 200);
  HW_CHECK(json_is_true(json_object_get(before, "pinned")));
  /* Everything rostered before 10:30 (now + the hour's freeze) as it was. */
  json_t *day = call(&w, "GET", "/v1/visits?date=2026-01-12&locality=1", w.coord, NULL, 200);
  json_t *plan = call(&w, "POST", "/v1/plans", w.coord, "{\"locality\":1,\"date\":\"2026-01-12\",\"time_limit_s\":5}", 202);
  snprintf(path, sizeof path, "/v1/plans/%lld", (long long)num(plan, "id"));
  json_t *job = NULL;
  for (int i = 0; i < 200; i++) { /* the plan job runs on the thread pool */
    json_decref(job);
    job = call(&w, "GET", path, w.coord, NULL, 200);
    if (strcmp(str(job, "state"), "done") == 0) break;
    sleep_ms(50);
  }
  HW_CHECK_STR(str(job, "state"), "done");
  snprintf(path, sizeof path, "/v1/visits/%lld", (long long)pinned_id);
  json_t *after = call(&w, "GET", path, w.coord, NULL, 200);
  HW_CHECK_STR(str(after, "planned_start"), str(before, "planned_start"));
  HW_CHECK(json_equal(json_object_get(after, "worker_ids"), json_object_get(before, "worker_ids")));
  hw_time freeze;
  const char *why;
  HW_CHECK_INT(hw_time_parse("2026-01-12T10:30", &freeze, &why), ==, 0);
  json_t *day_after = call(&w, "GET", "/v1/visits?date=2026-01-12&locality=1", w.coord, NULL, 200);
  size_t i, checked = 0;
  json_t *v;
  json_array_foreach(json_object_get(day, "visits"), i, v) {
    hw_time start;
    if (json_is_null(json_object_get(v, "planned_start"))) continue;
    HW_CHECK_INT(hw_time_parse(str(v, "planned_start"), &start, &why), ==, 0);
    if (start >= freeze) continue;
    json_t *now = json_array_get(json_object_get(day_after, "visits"), i);
    HW_CHECK_INT(num(now, "id"), ==, num(v, "id"));
    HW_CHECK_STR(str(now, "planned_start"), str(v, "planned_start"));
    checked++;
  }
  HW_CHECK(checked > 0);
  json_decref(day);
  json_decref(day_after);
  json_decref(job);
  json_decref(plan);
  json_decref(before);
  json_decref(after);
  json_decref(acc);
  json_decref(d);
  HW_CHECK_INT(daemon_stop(&w.d, SIGTERM), ==, 0);
}

/* A follower of the change feed waits for news and gets the stored records. */
HW_TEST(change_feed_long_poll_carries_stored_records) {
  week w;
  start_week(&w);
  clock_to(&w, "2026-01-12T09:30");
  json_int_t next = events_now(&w); /* the log's seqs run 1..count */
  /* A waiting request, answered as soon as a change commits. */
  int fd = connect_port(w.d.port);
  HW_CHECK(fd >= 0);
  char req[512];
  int n = snprintf(req, sizeof req,
                   "GET /v1/events?after=%lld&wait=20 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   "Authorization: Bearer %s\r\n\r\n",
                   (long long)next, w.manager);
  HW_CHECK_INT(send_all(fd, req, (size_t)n), ==, 0);
  sleep_ms(200);
  struct timeval t0, t1;
  gettimeofday(&t0, NULL);
  json_t *d = call(&w, "POST", "/v1/discharges", w.ward,
                   "{\"client_id\":9,\"hospital\":\"Monklands\",\"ready_at\":\"2026-01-12T09:30\",\"care_plan\":"
                   "{\"visits\":[{\"days\":" DAILY ",\"window\":{\"start\":\"17:00\",\"end\":\"19:30\"},\"duration\":30}]}}",
                   201);
  static char raw[80000];
  read_all(fd, raw, sizeof raw);
  close(fd);
  gettimeofday(&t1, NULL);
  double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
  HW_CHECK(waited < 5.0); /* not the 20 s of the wait */
  resp r;
  split_response(raw, &r);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *feed = body_json(&r);
  json_t *first = json_array_get(json_object_get(feed, "events"), 0);
  HW_CHECK_STR(str(first, "type"), "discharge.requested");
  json_t *rec = json_array_get(json_object_get(json_object_get(first, "payload"), "discharges"), 0);
  HW_CHECK_INT(num(rec, "id"), ==, num(d, "id")); /* the id the server gave it */
  HW_CHECK_INT(num(first, "locality_id"), ==, 1);
  json_decref(feed);
  /* The acceptance's event carries the visits it created, with their ids. */
  char path[64];
  snprintf(path, sizeof path, "/v1/discharges/%lld/accept", (long long)num(d, "id"));
  json_t *acc = call(&w, "POST", path, w.ward, NULL, 200);
  char since[96];
  snprintf(since, sizeof since, "/v1/events?after=%lld&limit=100", (long long)next);
  json_t *later = call(&w, "GET", since, w.manager, NULL, 200);
  size_t i;
  json_t *e;
  int seen = 0;
  json_array_foreach(json_object_get(later, "events"), i, e) {
    if (strcmp(str(e, "type"), "discharge.accepted") != 0) continue;
    json_t *visits = json_object_get(json_object_get(e, "payload"), "visits");
    HW_CHECK_INT(json_array_size(visits), ==, json_array_size(json_object_get(acc, "visit_ids")));
    HW_CHECK(num(json_array_get(visits, 0), "id") > 0);
    HW_CHECK(json_array_size(json_object_get(json_object_get(e, "payload"), "rosters")) >= 1);
    seen = 1;
  }
  HW_CHECK(seen);
  json_decref(later);
  json_decref(acc);
  json_decref(d);
  HW_CHECK_INT(daemon_stop(&w.d, SIGTERM), ==, 0);
}
