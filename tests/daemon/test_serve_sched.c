/*
 * End-to-end tests of the scheduler's endpoints through the REAL daemon: D2A
 * offers in the response and their transitions, who may follow which request, plan
 * jobs on the thread pool, rosters (JSON and iCalendar), absence repair, outcomes,
 * "who is free", the dashboard, and the README's first request. Each case starts
 * from `homeward generate --scale small --start TODAY` (one locality, 37 workers)
 * in a temporary database.
 */
#include <libical/ical.h>
#include <pthread.h>

#include "hw_serve_harness.h"

typedef struct partnership {
  char admin[HW_TOKEN_LEN + 1], coord[HW_TOKEN_LEN + 1], coord2[HW_TOKEN_LEN + 1], manager[HW_TOKEN_LEN + 1];
  char ward_a[HW_TOKEN_LEN + 1], ward_b[HW_TOKEN_LEN + 1];
  hw_date today;
  char today_s[16], tomorrow_s[16];
} partnership;

/* Generate the small partnership starting today, add a token per role (coord2 is
 * a coordinator of a locality that does not exist here: locality 2), start. */
static void start_partnership_at(daemon_proc *d, partnership *p, const char *clock);

static void start_partnership(daemon_proc *d, partnership *p) { start_partnership_at(d, p, "09:00"); }

/* A small generated partnership starting today, its tokens, and the daemon on
 * a clock standing at `clock` (HH:MM) today, so what a test expects of "today"
 * does not depend on the hour it runs. */
static void start_partnership_at(daemon_proc *d, partnership *p, const char *clock) {
  hw_time now = (hw_time)time(NULL);
  p->today = hw_time_local_date(now);
  hw_date_format(p->today, p->today_s, sizeof p->today_s);
  hw_date_format(p->today + 1, p->tomorrow_s, sizeof p->tomorrow_s);
  const char *db = hw_test_path("partnership.db");
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s/homeward' generate --db '%s' --scale small --start %s > /dev/null 2>&1",
           hw_test_build_dir(), db, p->today_s);
  HW_CHECK_INT(system(cmd), ==, 0);
  hw_store *st;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  HW_CHECK_INT(hw_store_open(db, &o, &st, msg, sizeof msg), ==, 0);
  hw_id l1 = 1, l2 = 2;
  HW_CHECK_INT(hw_auth_create_token(st, "admin", HW_ROLE_ADMIN, NULL, 0, now, p->admin, sizeof p->admin), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "coord", HW_ROLE_COORDINATOR, &l1, 1, now, p->coord, sizeof p->coord), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "coord2", HW_ROLE_COORDINATOR, &l2, 1, now, p->coord2, sizeof p->coord2), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "manager", HW_ROLE_MANAGER, NULL, 0, now, p->manager, sizeof p->manager), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "ward-a", HW_ROLE_DISCHARGE, &l1, 1, now, p->ward_a, sizeof p->ward_a), ==, 0);
  HW_CHECK_INT(hw_auth_create_token(st, "ward-b", HW_ROLE_DISCHARGE, &l1, 1, now, p->ward_b, sizeof p->ward_b), ==, 0);
  hw_store_close(st);
  char at[32];
  snprintf(at, sizeof at, "%sT%s", p->today_s, clock);
  const char *const extra[] = {"--test_clock", at, NULL};
  daemon_start(d, db, extra);
}

/* POST /v1/plans and poll until the job has finished; the final job document. */
static json_t *plan_and_wait(const daemon_proc *d, const char *token, const char *date, double limit_s) {
  char body[160];
  snprintf(body, sizeof body, "{\"locality\":1,\"date\":\"%s\",\"time_limit_s\":%.1f}", date, limit_s);
  resp r;
  HW_CHECK_INT(http(d->port, "POST", "/v1/plans", token, NULL, body, &r), ==, 0);
  if (r.status != 202) hw_test_fail(__FILE__, __LINE__, "plan: %d %s", r.status, r.body);
  HW_CHECK_CONTAINS(r.head, "Location: /v1/plans/");
  json_t *job = body_json(&r);
  char path[64];
  snprintf(path, sizeof path, "/v1/plans/%lld", (long long)json_integer_value(json_object_get(job, "id")));
  json_decref(job);
  for (int i = 0; i < 600; i++) {
    HW_CHECK_INT(http(d->port, "GET", path, token, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
    job = body_json(&r);
    const char *state = json_string_value(json_object_get(job, "state"));
    if (strcmp(state, "queued") != 0 && strcmp(state, "running") != 0) return job;
    json_decref(job);
    sleep_ms(50);
  }
  hw_test_fail(__FILE__, __LINE__, "plan job did not finish");
  return NULL;
}

/* Plan locality 1 for date and require the job to end done (rosters published). */
static void plan_done(const daemon_proc *d, const char *token, const char *date) {
  json_t *job = plan_and_wait(d, token, date, 1.0);
  HW_CHECK_STR(json_string_value(json_object_get(job, "state")), "done");
  json_decref(job);
}

/* A D2A request for client 2: every day, window [from, to), duration 30, skills. */
static void discharge_body(char *buf, size_t len, const partnership *p, const char *from, const char *to,
                           const char *skills) {
  snprintf(buf, len,
           "{\"client_id\":2,\"hospital\":\"University Hospital Wishaw\",\"ward\":\"12\",\"ready_at\":\"%sT00:05\","
           "\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
           "\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"duration\":30,\"skills\":[%s]}]}}",
           p->today_s, from, to, skills);
}

/* Can a visit still start today after the 2-hour lead time, before 23:00? */

static const char *str(const json_t *j, const char *key) { return json_string_value(json_object_get(j, key)); }
static json_int_t num(const json_t *j, const char *key) { return json_integer_value(json_object_get(j, key)); }

HW_TEST(discharge_offered_today_when_a_gap_exists) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  plan_done(&d, p.coord, p.today_s);
  char body[1024];
  discharge_body(body, sizeof body, &p, "00:00", "23:59", "");
  resp r;
  int64_t before = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, "d2a-1", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  HW_CHECK_STR(str(a, "status"), "offered");
  HW_CHECK(strncmp(str(a, "start"), p.today_s, 10) == 0);
  HW_CHECK(json_array_size(json_object_get(a, "visits")) >= 2); /* today and tomorrow */
  HW_CHECK(json_array_size(json_object_get(json_array_get(json_object_get(a, "visits"), 0), "workers")) == 1);
  /* The request and its offer: two events, committed together. */
  HW_CHECK_INT(event_count(d.port), ==, before + 2);
  /* A retry is answered without a new event. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, "d2a-1", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  HW_CHECK_CONTAINS(r.head, "Idempotent-Replayed: true");
  HW_CHECK_INT(event_count(d.port), ==, before + 2);
  json_decref(a);
  /* A bad request stores neither. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, "{\"client_id\":2}", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/hospital\"");
  HW_CHECK_INT(event_count(d.port), ==, before + 2);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* Every worker of locality 1 holding all of `skills` (names) valid today. */
static int holders(const daemon_proc *d, const partnership *p, const char *const *skills, int n_skills, hw_id *out,
                   int max) {
  resp r;
  HW_CHECK_INT(http(d->port, "GET", "/v1/workers?locality=1", p->admin, NULL, NULL, &r), ==, 0);
  json_t *doc = body_json(&r);
  size_t i;
  json_t *w;
  int n = 0;
  json_array_foreach(json_object_get(doc, "workers"), i, w) {
    int held = 0;
    size_t k;
    json_t *s;
    json_array_foreach(json_object_get(w, "skills"), k, s) {
      for (int q = 0; q < n_skills; q++) {
        const char *until = str(s, "valid_until");
        if (strcmp(str(s, "skill"), skills[q]) == 0 && (!until || strcmp(until, p->today_s) >= 0)) held++;
      }
    }
    if (held == n_skills && n < max) out[n++] = num(w, "id");
  }
  json_decref(doc);
  return n;
}

/* The writer keeps each locality's day in memory between offers (hw_daycache.h);
 * an absence must empty it, or the next offer would use the absent worker. */
HW_TEST(offer_after_an_absence_avoids_the_absent_worker) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[1024];
  discharge_body(body, sizeof body, &p, "00:00", "23:59", "");
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  json_t *visits = json_object_get(a, "visits");
  if (!visits) { /* not today: ask for the offer of the waiting request */
    HW_CHECK_STR(str(a, "status"), "waiting");
    json_decref(a);
    HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
    return;
  }
  json_int_t worker = json_integer_value(json_array_get(json_object_get(json_array_get(visits, 0), "workers"), 0));
  json_decref(a);
  HW_CHECK(worker > 0);
  char path[96], abs[200];
  snprintf(path, sizeof path, "/v1/workers/%lld/absences", (long long)worker);
  char after[16];
  hw_date_format(p.today + 3, after, sizeof after);
  snprintf(abs, sizeof abs, "{\"from\":\"%sT00:00\",\"to\":\"%sT00:00\",\"reason\":\"sickness\"}", p.today_s, after);
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, abs, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  a = body_json(&r);
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(a, "visits"), i, v) {
    json_int_t w = json_integer_value(json_array_get(json_object_get(v, "workers"), 0));
    if (w == worker) hw_test_fail(__FILE__, __LINE__, "offered the absent worker %lld", (long long)worker);
  }
  json_decref(a);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(discharge_waits_with_a_date_when_skills_are_missing_today) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  /* Everyone who could give end-of-life and complex care is off today. */
  static const char *const need[] = {"end_of_life", "complex_care"};
  hw_id ids[64];
  int n = holders(&d, &p, need, 2, ids, 64);
  HW_CHECK(n > 0);
  resp r;
  for (int i = 0; i < n; i++) {
    char path[64], body[160];
    snprintf(path, sizeof path, "/v1/workers/%lld/absences", (long long)ids[i]);
    snprintf(body, sizeof body, "{\"from\":\"%sT00:00\",\"to\":\"%sT00:00\",\"reason\":\"training\"}", p.today_s,
             p.tomorrow_s);
    HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, body, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 201);
    HW_CHECK_CONTAINS(r.body, "\"repair\":{\"changes\":[]");
  }
  char body[1024];
  discharge_body(body, sizeof body, &p, "08:00", "22:00", "\"end_of_life\",\"complex_care\"");
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  HW_CHECK_STR(str(a, "status"), "waiting");
  HW_CHECK(str(a, "earliest") != NULL);
  HW_CHECK(strcmp(str(a, "earliest"), p.today_s) > 0);
  HW_CHECK(str(a, "reason") != NULL && str(a, "reason")[0]);
  HW_CHECK_STR(str(a, "why_not_today"), "skill");
  json_decref(a);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(discharge_transitions_and_their_conflicts) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[1024];
  discharge_body(body, sizeof body, &p, "00:00", "23:59", "");
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  char base[64], path[96];
  snprintf(base, sizeof base, "/v1/discharges/%lld", (long long)num(a, "id"));
  json_decref(a);
  /* Discharged before acceptance is fine only once offered; cancel after discharge is not. */
  snprintf(path, sizeof path, "%s/accept", base);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, "acc-1", NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"accepted\"");
  a = body_json(&r);
  HW_CHECK(num(a, "referral_id") > 0);
  json_decref(a);
  int64_t events = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, "acc-1", NULL, &r), ==, 0); /* retry: replayed */
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.head, "Idempotent-Replayed: true");
  HW_CHECK_INT(event_count(d.port), ==, events);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0); /* again: 409 */
  HW_CHECK_INT(r.status, ==, 409);
  HW_CHECK_CONTAINS(r.body, "can be accepted");
  snprintf(path, sizeof path, "%s/discharged", base);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, "{\"at\":\"2001-01-01T10:00\",\"colour\":1}", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "colour");
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"discharged\"");
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  snprintf(path, sizeof path, "%s/cancel", base);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  HW_CHECK_CONTAINS(r.body, "discharged");
  /* A second request: cancelled, then nothing more. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  a = body_json(&r);
  snprintf(base, sizeof base, "/v1/discharges/%lld", (long long)num(a, "id"));
  json_decref(a);
  snprintf(path, sizeof path, "%s/cancel", base);
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"cancelled\"");
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  snprintf(path, sizeof path, "%s/accept", base);
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  snprintf(path, sizeof path, "/v1/discharges/999/accept");
  HW_CHECK_INT(http(d.port, "POST", path, p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(discharge_role_sees_only_its_own_requests) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[1024], path[96], list[96];
  discharge_body(body, sizeof body, &p, "00:00", "23:59", "");
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  json_int_t id = num(a, "id");
  json_decref(a);
  snprintf(path, sizeof path, "/v1/discharges/%lld", (long long)id);
  snprintf(list, sizeof list, "/v1/discharges?date=%s", p.today_s);
  HW_CHECK_INT(http(d.port, "GET", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_INT(http(d.port, "GET", path, p.ward_b, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(http(d.port, "GET", list, p.ward_a, NULL, NULL, &r), ==, 0);
  char needle[32];
  snprintf(needle, sizeof needle, "\"id\":%lld,", (long long)id);
  HW_CHECK_CONTAINS(r.body, needle);
  HW_CHECK_INT(http(d.port, "GET", list, p.ward_b, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK(strstr(r.body, needle) == NULL);
  char act[128];
  static const char *const verbs[] = {"accept", "discharged", "cancel"};
  int64_t events = event_count(d.port);
  for (int i = 0; i < 3; i++) {
    snprintf(act, sizeof act, "%s/%s", path, verbs[i]);
    HW_CHECK_INT(http(d.port, "POST", act, p.ward_b, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 403);
  }
  HW_CHECK_INT(event_count(d.port), ==, events);
  /* Coordinators of the locality and managers see it; another locality's does not. */
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_INT(http(d.port, "GET", path, p.manager, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_INT(http(d.port, "GET", path, p.coord2, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* Time of an ISO field as an instant. */
static hw_time iso(const json_t *j, const char *key) {
  hw_time t;
  const char *why;
  HW_CHECK_INT(hw_time_parse(str(j, key), &t, &why), ==, 0);
  return t;
}

HW_TEST(plan_job_runs_to_done_and_rosters_hold) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  json_t *job = plan_and_wait(&d, p.coord, p.tomorrow_s, 1.0);
  HW_CHECK_STR(str(job, "state"), "done");
  json_t *res = json_object_get(job, "result");
  HW_CHECK(json_is_true(json_object_get(res, "feasible")));
  HW_CHECK(num(res, "assigned") > 0);
  HW_CHECK(num(json_object_get(job, "progress"), "iterations") > 0);
  json_int_t assigned = num(res, "assigned");
  json_decref(job);
  char path[128];
  snprintf(path, sizeof path, "/v1/rosters?date=%s&locality=1", p.tomorrow_s);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", path, p.manager, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *doc = body_json(&r);
  size_t i, k;
  json_t *ro, *v;
  json_int_t entries = 0;
  json_array_foreach(json_object_get(doc, "rosters"), i, ro) {
    hw_time free_at = 0;
    json_array_foreach(json_object_get(ro, "visits"), k, v) {
      hw_time start = iso(v, "start"), end = iso(v, "end");
      HW_CHECK_INT(end - start, ==, num(v, "duration") * 60);
      /* In order, and the travel to each visit fits after the previous one. */
      if (k > 0 && start < free_at + num(v, "travel_seconds"))
        hw_test_fail(__FILE__, __LINE__, "worker %lld: visit %lld starts before the travel to it ends",
                     (long long)num(json_object_get(ro, "worker"), "id"), (long long)num(v, "visit"));
      free_at = end;
      entries += num(v, "workers");
    }
  }
  /* A double-handed visit is on two rosters: entries count worker-visits. */
  HW_CHECK(entries >= assigned);
  json_decref(doc);
  /* Another locality's coordinator may neither plan nor read locality 1. */
  HW_CHECK_INT(http(d.port, "GET", path, p.coord2, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(http(d.port, "GET", "/v1/plans/1", p.coord2, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.coord, NULL, "{\"locality\":9,\"date\":\"2026-13-01\",\"x\":1}", &r),
               ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/date\"");
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/x\"");
  HW_CHECK_INT(http(d.port, "GET", "/v1/plans/77", p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* How often text occurs in haystack. */
static int occurrences(const char *haystack, const char *text) {
  int n = 0;
  for (const char *p = strstr(haystack, text); p; p = strstr(p + 1, text)) n++;
  return n;
}

HW_TEST(a_plan_request_is_a_write_with_its_event_and_idempotency_key) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[160], other[160], path[64], location[64];
  snprintf(body, sizeof body, "{\"locality\":1,\"date\":\"%s\",\"time_limit_s\":1}", p.tomorrow_s);
  snprintf(other, sizeof other, "{\"locality\":1,\"date\":\"%s\",\"time_limit_s\":2}", p.tomorrow_s);
  resp r;
  int64_t before = event_count(d.port);
  HW_CHECK_INT(http_typed(d.port, "POST", "/v1/plans", p.coord, "plan-k1", "text/plain", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 415);
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.coord, "plan-k1", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 202);
  json_t *job = body_json(&r);
  json_int_t id = num(job, "id");
  HW_CHECK_STR(str(job, "state"), "queued");
  json_decref(job);
  snprintf(location, sizeof location, "Location: /v1/plans/%lld", (long long)id);
  HW_CHECK_CONTAINS(r.head, location);
  /* A retry answers the same job, and starts none. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.coord, "plan-k1", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 202);
  HW_CHECK_CONTAINS(r.head, "Idempotent-Replayed: true");
  HW_CHECK_CONTAINS(r.head, location);
  job = body_json(&r);
  HW_CHECK_INT(num(job, "id"), ==, id);
  json_decref(job);
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.coord, "plan-k1", other, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 422);
  /* Another locality's coordinator: refused, nothing stored. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.coord2, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  snprintf(path, sizeof path, "/v1/plans/%lld", (long long)id);
  for (int i = 0; i < 600; i++) {
    HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
    if (strstr(r.body, "\"state\":\"done\"")) break;
    HW_CHECK(!strstr(r.body, "\"state\":\"failed\""));
    sleep_ms(50);
  }
  HW_CHECK_CONTAINS(r.body, "\"state\":\"done\"");
  HW_CHECK_INT(http(d.port, "GET", "/v1/plans/2", p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404); /* the replay and the refusals started no job */
  /* One plan.requested event naming the job, then the plan's own. */
  char events[96], note[96];
  snprintf(note, sizeof note, "plan job %lld for %s, time limit 1 s", (long long)id, p.tomorrow_s);
  snprintf(events, sizeof events, "/v1/events?after=%lld&limit=1", (long long)before);
  HW_CHECK_INT(http(d.port, "GET", events, p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(occurrences(r.body, "\"plan.requested\""), ==, 1);
  HW_CHECK_CONTAINS(r.body, note);
  snprintf(events, sizeof events, "/v1/events?after=%lld&limit=1", (long long)before + 1);
  HW_CHECK_INT(http(d.port, "GET", events, p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(occurrences(r.body, "\"plan.requested\""), ==, 0);
  /* Then the day's visits (in steps), then the publication in chunks, the
   * first with the job's key (the feed's page may be cut at the harness's 64 KB:
   * its key and records come first, the workers' change notes - a first plan of
   * the day adds every visit - before the rosters). */
  int64_t last = event_count(d.port), first_chunk = before + 2;
  for (;; first_chunk++) {
    HW_CHECK(first_chunk < last);
    snprintf(events, sizeof events, "/v1/events?after=%lld&limit=1", (long long)first_chunk - 1);
    HW_CHECK_INT(http(d.port, "GET", events, p.admin, NULL, NULL, &r), ==, 0);
    if (strstr(r.body, "\"payload\":{\"roster_notes\":[{")) break;
    HW_CHECK_CONTAINS(r.body, "\"payload\":{\"visits\":[{"); /* a visit.generated */
  }
  HW_CHECK_CONTAINS(r.body, "\"idempotency_key\":\"plan-job-");
  int64_t chunks = last - first_chunk + 1;
  snprintf(path, sizeof path, "/v1/plans/%lld", (long long)id);
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  job = body_json(&r);
  HW_CHECK_INT(num(json_object_get(job, "result"), "publish_chunks"), ==, chunks);
  json_decref(job);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

typedef struct ward_call {
  const daemon_proc *d;
  const partnership *p;
  int client;
  resp r;
  int rc;
} ward_call;

static void *call_ward(void *arg) {
  ward_call *w = arg;
  char body[1024];
  snprintf(body, sizeof body,
           "{\"client_id\":%d,\"hospital\":\"University Hospital Wishaw\",\"ready_at\":\"%sT00:05\","
           "\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
           "\"window\":{\"start\":\"00:00\",\"end\":\"23:59\"},\"duration\":30}]}}",
           w->client, w->p->today_s);
  w->rc = http(w->d->port, "POST", "/v1/discharges", w->p->ward_a, NULL, body, &w->r);
  return NULL;
}

HW_TEST(concurrent_discharge_requests_are_drafted_off_the_writer) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  plan_done(&d, p.coord, p.today_s);
  int64_t before = event_count(d.port);
  enum { WARDS = 6 };
  ward_call w[WARDS];
  pthread_t t[WARDS];
  for (int i = 0; i < WARDS; i++) {
    w[i] = (ward_call){.d = &d, .p = &p, .client = 2 + i};
    pthread_create(&t[i], NULL, call_ward, &w[i]);
  }
  for (int i = 0; i < WARDS; i++) {
    pthread_join(t[i], NULL);
    HW_CHECK_INT(w[i].rc, ==, 0);
    if (w[i].r.status != 201) hw_test_fail(__FILE__, __LINE__, "ward %d: %d %s", i, w[i].r.status, w[i].r.body);
    HW_CHECK(strstr(w[i].r.body, "\"status\":\"offered\"") || strstr(w[i].r.body, "\"status\":\"waiting\""));
  }
  /* Each request with its offer: two events, stored together. */
  HW_CHECK_INT(event_count(d.port), ==, before + 2 * WARDS);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/metrics", NULL, NULL, NULL, &r), ==, 0);
  json_int_t drafts = 0;
  const char *line = strstr(r.body, "\nhomeward_offer_drafts_total ");
  HW_CHECK(line != NULL);
  drafts = atoll(line + strlen("\nhomeward_offer_drafts_total "));
  HW_CHECK(drafts >= WARDS);
  HW_CHECK_CONTAINS(r.body, "homeward_daycache_days{cache=\"pool\"}");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(delete_cancels_a_long_plan) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[128];
  snprintf(body, sizeof body, "{\"locality\":1,\"date\":\"%s\",\"time_limit_s\":600}", p.tomorrow_s);
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/plans", p.admin, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 202);
  /* The loop stays responsive while it solves. */
  HW_CHECK_INT(http(d.port, "GET", "/healthz", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  sleep_ms(300);
  HW_CHECK_INT(http(d.port, "DELETE", "/v1/plans/1", p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 202);
  json_t *job = NULL;
  for (int i = 0; i < 400; i++) {
    HW_CHECK_INT(http(d.port, "GET", "/v1/plans/1", p.admin, NULL, NULL, &r), ==, 0);
    json_decref(job);
    job = body_json(&r);
    if (strcmp(str(job, "state"), "cancelled") == 0) break;
    sleep_ms(25);
  }
  HW_CHECK_STR(str(job, "state"), "cancelled");
  HW_CHECK(num(json_object_get(job, "progress"), "elapsed_ms") < 60000);
  json_decref(job);
  HW_CHECK_INT(http(d.port, "DELETE", "/v1/plans/1", p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* The first worker of the day's rosters with at least min visits (new reference). */
static json_t *busy_roster(const daemon_proc *d, const partnership *p, const char *date, size_t min) {
  char path[128];
  snprintf(path, sizeof path, "/v1/rosters?date=%s&locality=1", date);
  resp r;
  HW_CHECK_INT(http(d->port, "GET", path, p->admin, NULL, NULL, &r), ==, 0);
  json_t *doc = body_json(&r);
  size_t i;
  json_t *ro, *found = NULL;
  json_array_foreach(json_object_get(doc, "rosters"), i, ro) if (!found && json_array_size(json_object_get(ro, "visits")) >= min) found = json_incref(ro);
  json_decref(doc);
  if (!found) hw_test_fail(__FILE__, __LINE__, "no roster with %zu visits", min);
  return found;
}

HW_TEST(absence_repair_reports_changes) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  plan_done(&d, p.coord, p.tomorrow_s);
  json_t *ro = busy_roster(&d, &p, p.tomorrow_s, 3);
  json_int_t worker = num(json_object_get(ro, "worker"), "id");
  size_t n_visits = json_array_size(json_object_get(ro, "visits"));
  json_decref(ro);
  char path[96], body[160];
  snprintf(path, sizeof path, "/v1/workers/%lld/absences", (long long)worker);
  snprintf(body, sizeof body, "{\"from\":\"%sT00:00\",\"to\":\"%sT23:59\",\"reason\":\"sickness\"}", p.tomorrow_s,
           p.tomorrow_s);
  resp r;
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, "sick-1", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *a = body_json(&r);
  HW_CHECK_INT(num(json_object_get(a, "absence"), "worker_id"), ==, worker);
  json_t *changes = json_object_get(json_object_get(a, "repair"), "changes");
  HW_CHECK_INT((long long)json_array_size(changes), ==, (long long)n_visits);
  size_t i;
  json_t *ch;
  json_array_foreach(changes, i, ch) {
    HW_CHECK_INT(num(json_object_get(ch, "from"), "worker"), ==, worker);
    json_t *to = json_object_get(ch, "to");
    HW_CHECK(json_is_null(to) || num(to, "worker") != worker);
  }
  json_decref(a);
  /* The worker's roster is now empty. */
  snprintf(path, sizeof path, "/v1/rosters?date=%s&worker=%lld", p.tomorrow_s, (long long)worker);
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"rosters\":[]");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(late_check_out_repairs_the_rest_of_the_day) {
  daemon_proc d;
  partnership p;
  start_partnership_at(&d, &p, "06:00"); /* planned early, then the day runs to 14:00 */
  plan_done(&d, p.coord, p.today_s);
  char afternoon[32];
  snprintf(afternoon, sizeof afternoon, "%sT14:00", p.today_s);
  harness_clock_to(d.port, p.admin, afternoon);
  hw_time now = hw_local_to_time(p.today, 14 * 60);
  char path[128];
  snprintf(path, sizeof path, "/v1/rosters?date=%s&locality=1", p.today_s);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  json_t *doc = body_json(&r);
  /* A visit that started an hour ago or more, followed by one of the same worker
   * due before now: checking out now makes that one late. */
  json_int_t visit = 0;
  hw_time started = 0;
  size_t i, k;
  json_t *ro, *v;
  json_array_foreach(json_object_get(doc, "rosters"), i, ro) {
    json_t *vs = json_object_get(ro, "visits");
    json_array_foreach(vs, k, v) {
      json_t *next = json_array_get(vs, k + 1);
      if (!visit && next && num(v, "workers") == 1 && iso(v, "start") + 3600 <= now && iso(next, "start") > iso(v, "end") &&
          iso(next, "start") < now && hw_time_local_date(iso(v, "start")) == p.today) {
        visit = num(v, "visit");
        started = iso(v, "start");
      }
    }
  }
  json_decref(doc);
  HW_CHECK(visit != 0);
  char body[96], at[32];
  snprintf(body, sizeof body, "{\"at\":\"%s\"}", hw_time_format(started, at, sizeof at));
  snprintf(path, sizeof path, "/v1/visits/%lld/check-in", (long long)visit);
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  snprintf(path, sizeof path, "/v1/visits/%lld/check-out", (long long)visit);
  HW_CHECK_INT(http(d.port, "POST", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *a = body_json(&r);
  HW_CHECK_STR(str(a, "status"), "done");
  HW_CHECK(json_array_size(json_object_get(json_object_get(a, "repair"), "changes")) >= 1);
  json_decref(a);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(outcomes_after_a_same_day_discharge) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  char body[1024], path[128];
  discharge_body(body, sizeof body, &p, "00:00", "23:59", "");
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/discharges", p.ward_a, NULL, body, &r), ==, 0);
  json_t *a = body_json(&r);
  snprintf(path, sizeof path, "/v1/discharges/%lld/accept", (long long)num(a, "id"));
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  snprintf(path, sizeof path, "/v1/discharges/%lld/discharged", (long long)num(a, "id"));
  json_decref(a);
  HW_CHECK_INT(http(d.port, "POST", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  snprintf(path, sizeof path, "/v1/outcomes?from=%s&to=%s", p.today_s, p.today_s);
  const char *readers[] = {p.manager, p.admin, p.coord};
  for (int i = 0; i < 3; i++) {
    HW_CHECK_INT(http(d.port, "GET", path, readers[i], NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
    json_t *o = body_json(&r);
    HW_CHECK_INT(num(o, "discharged"), ==, 1);
    HW_CHECK(json_real_value(json_object_get(o, "same_day_discharge_pct")) == 100.0);
    json_t *split = json_object_get(o, "same_day");
    HW_CHECK_INT(json_integer_value(json_object_get(split, "no_start_possible")), ==, 0);
    HW_CHECK(json_real_value(json_object_get(split, "possible_pct")) == 100.0);
    json_decref(o);
  }
  HW_CHECK_INT(http(d.port, "GET", path, p.ward_a, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(http(d.port, "GET", "/v1/outcomes?from=2026-12-01&to=2026-11-01", p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/query/to\"");
  /* One end alone: the other follows it as on the command line (four weeks). */
  snprintf(path, sizeof path, "/v1/outcomes?from=%s", p.today_s);
  HW_CHECK_INT(http(d.port, "GET", path, p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *o = body_json(&r);
  hw_date from, to;
  const char *why;
  HW_CHECK_INT(hw_date_parse(json_string_value(json_object_get(o, "from")), &from, &why), ==, 0);
  HW_CHECK_INT(hw_date_parse(json_string_value(json_object_get(o, "to")), &to, &why), ==, 0);
  HW_CHECK_INT(to - from, ==, 27);
  json_decref(o);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(availability_answers_who_is_free) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  plan_done(&d, p.coord, p.tomorrow_s);
  char path[256];
  snprintf(path, sizeof path, "/v1/availability?locality=1&start=%sT10:00&end=%sT10:30&skills=personal_care",
           p.tomorrow_s, p.tomorrow_s);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *doc = body_json(&r);
  json_t *ws = json_object_get(doc, "workers");
  HW_CHECK(json_array_size(ws) > 0);
  hw_time w0, w1;
  const char *why;
  char t0[32], t1[32];
  snprintf(t0, sizeof t0, "%sT10:00", p.tomorrow_s);
  snprintf(t1, sizeof t1, "%sT10:30", p.tomorrow_s);
  hw_time_parse(t0, &w0, &why);
  hw_time_parse(t1, &w1, &why);
  size_t i;
  json_t *w;
  int seen_busy = 0;
  json_array_foreach(ws, i, w) {
    int is_free = json_is_true(json_object_get(w, "free"));
    if (!is_free) seen_busy = 1;
    HW_CHECK(!(is_free && seen_busy)); /* free ones first */
    /* Cross-check with the worker's roster: free = no visit (with travel) in the window. */
    char rp[128];
    snprintf(rp, sizeof rp, "/v1/rosters?date=%s&worker=%lld", p.tomorrow_s, (long long)num(w, "id"));
    HW_CHECK_INT(http(d.port, "GET", rp, p.coord, NULL, NULL, &r), ==, 0);
    json_t *ro = body_json(&r);
    int overlap = 0;
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(json_array_get(json_object_get(ro, "rosters"), 0), "visits"), k, v) {
      hw_time s = iso(v, "start") - num(v, "travel_seconds"), e = iso(v, "end");
      overlap |= s < w1 && e > w0;
    }
    json_decref(ro);
    HW_CHECK_INT(is_free, ==, !overlap);
    if (is_free) {
      HW_CHECK(iso(json_object_get(w, "gap"), "start") <= w0);
      HW_CHECK(iso(json_object_get(w, "gap"), "end") >= w1);
    }
  }
  json_decref(doc);
  snprintf(path, sizeof path, "/v1/availability?locality=1&start=%sT10:00&end=%sT09:00&skills=juggling", p.tomorrow_s,
           p.tomorrow_s);
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/query/skills\"");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(ics_export_parses_with_libical) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  plan_done(&d, p.coord, p.tomorrow_s);
  json_t *ro = busy_roster(&d, &p, p.tomorrow_s, 2);
  json_int_t worker = num(json_object_get(ro, "worker"), "id");
  size_t n_visits = json_array_size(json_object_get(ro, "visits"));
  hw_time first_start = iso(json_array_get(json_object_get(ro, "visits"), 0), "start");
  json_decref(ro);
  char path[128];
  snprintf(path, sizeof path, "/v1/workers/%lld/roster.ics?date=%s", (long long)worker, p.tomorrow_s);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", path, p.coord, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.head, "Content-Type: text/calendar");
  icalcomponent *cal = icalparser_parse_string(r.body);
  HW_CHECK(cal != NULL);
  HW_CHECK(icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
  size_t events = 0;
  hw_time earliest = INT64_MAX;
  for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
       ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    if (strncmp(icalcomponent_get_uid(ev), "visit-", 6) != 0) continue; /* travel and breaks have their own */
    events++;
    hw_time s = (hw_time)icaltime_as_timet_with_zone(icalcomponent_get_dtstart(ev), icaltimezone_get_utc_timezone());
    if (s < earliest) earliest = s;
  }
  icalcomponent_free(cal);
  HW_CHECK_INT((long long)events, ==, (long long)n_visits);
  HW_CHECK_INT(earliest, ==, first_start);
  HW_CHECK_INT(http(d.port, "GET", "/v1/workers/9999/roster.ics?date=2026-12-01", p.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(dashboard_page_is_served) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/dashboard", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.head, "Content-Type: text/html");
  HW_CHECK_CONTAINS(r.body, "/app.js");
  HW_CHECK_INT(http(d.port, "GET", "/app.js", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_CONTAINS(r.body, "/v1/discharges?date=");
  HW_CHECK_CONTAINS(r.body, "/v1/outcomes?from=");
  HW_CHECK_CONTAINS(r.body, "/v1/rosters?");
  HW_CHECK_INT(http(d.port, "GET", "/", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* The exact body of README.md's "A first request" is accepted by the real daemon. */
HW_TEST(readme_first_request_is_accepted) {
  daemon_proc d;
  partnership p;
  start_partnership(&d, &p);
  const char *body = "{\"client_id\": 1, \"source\": \"community\", \"pathway\": \"reablement\",\n"
                     "       \"start_date\": \"2026-11-30\",\n"
                     "       \"care_plan\": {\"visits\": [{\"days\": [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],\n"
                     "                                  \"window\": {\"start\": \"08:00\", \"end\": \"09:30\"},\n"
                     "                                  \"duration\": 30, \"skills\": [\"personal_care\"],\n"
                     "                                  \"workers\": 1}]}}";
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", p.admin, "first-referral", body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  HW_CHECK_CONTAINS(r.body, "\"pathway\":\"reablement\"");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}
