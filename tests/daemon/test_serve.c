/*
 * End-to-end tests of `homeward serve`: each case starts the REAL daemon
 * (build/homeward) on 127.0.0.1 with a temporary database and talks HTTP to it
 * over plain sockets, as a client would (hw_serve_harness.h).
 */
#include "hw_serve_harness.h"

static const char referral_body[] =
    "{\"client_id\":1,\"source\":\"community\",\"start_date\":\"2026-12-01\",\"care_plan\":{\"visits\":["
    "{\"days\":[\"mon\",\"thu\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:30\"},\"duration\":30,"
    "\"skills\":[\"personal_care\"]}]}}";

/* ---- Cases ---------------------------------------------------------------------------- */

HW_TEST(healthz_answers) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/healthz", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"ok\"");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(referral_create_then_get) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "ref-1", referral_body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  json_t *created = body_json(&r);
  json_int_t id = json_integer_value(json_object_get(created, "id"));
  HW_CHECK(id > 2);
  HW_CHECK_STR(json_string_value(json_object_get(created, "pathway")), "reablement");
  HW_CHECK_STR(json_string_value(json_object_get(created, "status")), "allocated");
  HW_CHECK(json_integer_value(json_object_get(created, "team_id")) == 1);
  char path[64];
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  HW_CHECK_INT(http(d.port, "GET", path, s.coord1, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  json_t *got = body_json(&r);
  /* The answer to the create is the record plus what came of it. */
  HW_CHECK(json_integer_value(json_object_get(created, "visits_created")) > 0);
  json_object_del(created, "visits_created");
  json_object_del(created, "visits_cancelled");
  json_object_del(created, "repair");
  HW_CHECK(json_equal(created, got));
  json_decref(created);
  json_decref(got);
  /* The event names the actor. */
  HW_CHECK_INT(http(d.port, "GET", "/v1/events?after=0&limit=10", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_CONTAINS(r.body, "\"actor\":\"airdrie-coordinator\"");
  HW_CHECK_CONTAINS(r.body, "\"type\":\"referral.created\"");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(referral_with_new_client_inline) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  const char *body =
      "{\"client\":{\"locality_id\":1,\"name\":\"New Person\",\"location\":{\"lat\":55.87,\"lon\":-3.97}},"
      "\"source\":\"hospital\",\"pathway\":\"mainstream\",\"start_date\":\"2026-12-01\",\"care_plan\":{\"visits\":"
      "[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, NULL, body, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 201);
  HW_CHECK_CONTAINS(r.body, "\"client_id\":3");
  HW_CHECK_CONTAINS(r.body, "\"pathway\":\"reablement\""); /* reablement first */
  /* Not into another locality. */
  const char *other =
      "{\"client\":{\"locality_id\":2,\"name\":\"Elsewhere\",\"location\":{\"lat\":55.87,\"lon\":-3.97}},"
      "\"source\":\"community\",\"start_date\":\"2026-12-01\",\"care_plan\":{\"visits\":"
      "[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  int64_t before = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, NULL, other, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 403);
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(bad_json_names_every_field) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  int64_t before = event_count(d.port);
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, NULL, "{\"client_id\":1,", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.head, "Content-Type: application/problem+json");
  HW_CHECK_CONTAINS(r.body, "invalid JSON at line 1");
  const char *bad =
      "{\"client_id\":1,\"source\":\"sideways\",\"start_date\":\"2026-13-01\",\"colour\":\"red\",\"care_plan\":"
      "{\"visits\":[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30},"
      "{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30},"
      "{\"days\":[\"tue\"],\"window\":{\"start\":\"10:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, NULL, bad, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  json_t *p = body_json(&r);
  HW_CHECK_INT(json_integer_value(json_object_get(p, "status")), ==, 400);
  HW_CHECK(json_string_value(json_object_get(p, "type")) != NULL);
  HW_CHECK(json_string_value(json_object_get(p, "title")) != NULL);
  json_decref(p);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/care_plan/visits/2/window/end\"");
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/source\"");
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/start_date\"");
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/colour\"");
  /* A reference to nothing is named too, from inside the transaction. */
  const char *ghost = "{\"client_id\":99,\"source\":\"community\",\"start_date\":\"2026-12-01\",\"care_plan\":{\"visits\":"
                      "[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.admin, NULL, ghost, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/client_id\"");
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(idempotent_replay_returns_first_answer) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp first, again;
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "same-key", referral_body, &first), ==, 0);
  HW_CHECK_INT(first.status, ==, 201);
  int64_t after_first = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "same-key", referral_body, &again), ==, 0);
  HW_CHECK_INT(again.status, ==, 201);
  HW_CHECK_STR(again.body, first.body);
  HW_CHECK_CONTAINS(again.head, "Idempotent-Replayed: true");
  HW_CHECK_INT(event_count(d.port), ==, after_first);
  /* Another key is another change. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "other-key", referral_body, &again), ==, 0);
  HW_CHECK_INT(again.status, ==, 201);
  HW_CHECK_INT(event_count(d.port), ==, after_first + 1);
  /* A bad key is refused, naming the header. */
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "has space", referral_body, &again), ==, 0);
  HW_CHECK_INT(again.status, ==, 400);
  HW_CHECK_CONTAINS(again.body, "Idempotency-Key");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* One endpoint of the matrix, addressed in locality 1 or 2. */
typedef struct endpoint {
  const char *method;
  const char *path_fmt;  /* %d = the locality's record id (1 or 2) */
  const char *body_fmt;  /* %d = the locality's record id, or NULL */
  unsigned roles;        /* roles allowed at all */
  int scoped;            /* coordinator/discharge limited to their locality */
  int also_ok;           /* a status besides 2xx that an allowed call may get (a 409 transition) */
} endpoint;

#define R(x) HW_ROLE_BIT(HW_ROLE_##x)
static const endpoint endpoints[] = {
    {"POST", "/v1/referrals", "{\"client_id\":%d,\"source\":\"community\",\"start_date\":\"2026-12-01\",\"care_plan\":"
     "{\"visits\":[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}",
     R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/referrals/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"PATCH", "/v1/referrals/%d", "{\"end_date\":\"2027-01-0%d\"}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"POST", "/v1/workers", "{\"team_id\":%d,\"name\":\"New\",\"base\":{\"lat\":55.8,\"lon\":-3.9}}",
     R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/workers?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"POST", "/v1/workers/%d/absences",
     "{\"from\":\"2026-12-0%dT08:00\",\"to\":\"2026-12-05T08:00\",\"reason\":\"sickness\"}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"POST", "/v1/visits/%d/check-in", NULL, R(COORDINATOR) | R(ADMIN) | R(WORKER), 1, 0},
    {"POST", "/v1/discharges", "{\"client_id\":%d,\"hospital\":\"Monklands\",\"ready_at\":\"2026-12-01T10:00\","
     "\"care_plan\":{\"visits\":[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}",
     R(COORDINATOR) | R(DISCHARGE) | R(ADMIN), 1, 0},
    /* The seeded requests were not made by the discharge token: it may not see them. */
    {"GET", "/v1/discharges/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/events?after=0&limit=5", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 0, 0},
    {"GET", "/v1/discharges?date=2026-12-0%d", NULL, R(COORDINATOR) | R(DISCHARGE) | R(MANAGER) | R(ADMIN), 0, 0},
    {"POST", "/v1/discharges/%d/accept", NULL, R(COORDINATOR) | R(ADMIN), 1, 409},
    {"POST", "/v1/discharges/%d/discharged", NULL, R(COORDINATOR) | R(ADMIN), 1, 409},
    {"POST", "/v1/discharges/%d/cancel", NULL, R(COORDINATOR) | R(ADMIN), 1, 409},
    {"POST", "/v1/plans", "{\"locality\":%d,\"date\":\"2026-12-01\",\"time_limit_s\":0.2}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/rosters?date=2026-12-01&locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/workers/%d/roster.ics?date=2026-12-01", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/outcomes?from=2026-11-0%d&to=2026-11-30", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 0, 0},
    {"GET", "/v1/availability?locality=%d&start=2026-12-01T10:00&end=2026-12-01T10:30&skills=personal_care", NULL,
     R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/reserve?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/referrals?status=waiting&locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    /* The seeded referrals wait for a team: a review is a conflict, but reached. */
    {"POST", "/v1/referrals/%d/reviews", "{\"finding\":\"progressing\"}", R(COORDINATOR) | R(ADMIN), 1, 409},
    {"GET", "/v1/reviews/due?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"POST", "/v1/clients", "{\"locality_id\":%d,\"name\":\"New\",\"location\":{\"lat\":55.86,\"lon\":-3.98}}",
     R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/clients/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"PATCH", "/v1/clients/%d", "{\"language\":\"pl\"}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/clients?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"POST", "/v1/clients/%d/suspend", "{\"reason\":\"respite\"}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"POST", "/v1/clients/%d/resume", NULL, R(COORDINATOR) | R(ADMIN), 1, 409},
    {"GET", "/v1/workers/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"PATCH", "/v1/workers/%d", "{\"contracted_minutes\":1800}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"POST", "/v1/teams", "{\"locality_id\":%d,\"kind\":\"mainstream\",\"name\":\"Mainstream\"}",
     R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/teams/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"PATCH", "/v1/teams/%d", "{\"name\":\"Renamed\"}", R(COORDINATOR) | R(ADMIN), 1, 0},
    {"GET", "/v1/teams?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"GET", "/v1/visits/%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN) | R(WORKER), 1, 0},
    {"PATCH", "/v1/visits/%d", "{\"pinned\":false}", R(COORDINATOR) | R(ADMIN), 1, 409},
    {"GET", "/v1/visits?locality=%d", NULL, R(COORDINATOR) | R(MANAGER) | R(ADMIN), 1, 0},
    {"POST", "/v1/visits/%d/check-out", NULL, R(COORDINATOR) | R(ADMIN) | R(WORKER), 1, 409},
    {"POST", "/v1/discharges/%d/offer", NULL, R(COORDINATOR) | R(ADMIN), 1, 409},
    {"GET", "/v1/admin/clock", NULL, R(ADMIN), 0, 0},
};

HW_TEST(authorization_matrix) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  const struct {
    const char *token;
    hw_role role;
    int locality; /* 0 = all */
  } callers[] = {{s.admin, HW_ROLE_ADMIN, 0}, {s.coord1, HW_ROLE_COORDINATOR, 1},
                 {s.manager, HW_ROLE_MANAGER, 0}, {s.discharge1, HW_ROLE_DISCHARGE, 1},
                 {s.worker1, HW_ROLE_WORKER, 1}, {s.manager1, HW_ROLE_MANAGER, 1}};
  /* Denied and anonymous calls first: none may store anything. */
  int64_t before = event_count(d.port);
  for (size_t e = 0; e < sizeof endpoints / sizeof endpoints[0]; e++) {
    for (int loc = 1; loc <= 2; loc++) {
      char path[128], body[1024];
      snprintf(path, sizeof path, endpoints[e].path_fmt, loc);
      if (endpoints[e].body_fmt) snprintf(body, sizeof body, endpoints[e].body_fmt, loc);
      const char *b = endpoints[e].body_fmt ? body : NULL;
      resp r;
      HW_CHECK_INT(http(d.port, endpoints[e].method, path, NULL, NULL, b, &r), ==, 0);
      if (r.status != 401) hw_test_fail(__FILE__, __LINE__, "%s %s without token: %d", endpoints[e].method, path, r.status);
      HW_CHECK_CONTAINS(r.head, "WWW-Authenticate: Bearer");
      HW_CHECK_INT(http(d.port, endpoints[e].method, path, "not-a-real-token-not-a-real-token-not-a-re", NULL, b, &r), ==, 0);
      HW_CHECK_INT(r.status, ==, 401);
      for (size_t c = 0; c < sizeof callers / sizeof callers[0]; c++) {
        int allowed = (endpoints[e].roles & HW_ROLE_BIT(callers[c].role)) &&
                      (!endpoints[e].scoped || callers[c].locality == 0 || callers[c].locality == loc);
        if (allowed) continue;
        HW_CHECK_INT(http(d.port, endpoints[e].method, path, callers[c].token, NULL, b, &r), ==, 0);
        if (r.status != 403)
          hw_test_fail(__FILE__, __LINE__, "%s %s as %s: %d, expected 403: %s", endpoints[e].method, path,
                       hw_role_name(callers[c].role), r.status, r.body);
      }
    }
  }
  HW_CHECK_INT(event_count(d.port), ==, before);
  /* Then the allowed ones succeed (the visit check-in only once per visit). */
  for (size_t e = 0; e < sizeof endpoints / sizeof endpoints[0]; e++) {
    for (int loc = 1; loc <= 2; loc++) {
      for (size_t c = 0; c < sizeof callers / sizeof callers[0]; c++) {
        int allowed = (endpoints[e].roles & HW_ROLE_BIT(callers[c].role)) &&
                      (!endpoints[e].scoped || callers[c].locality == 0 || callers[c].locality == loc);
        if (!allowed) continue;
        char path[128], body[1024];
        snprintf(path, sizeof path, endpoints[e].path_fmt, loc);
        if (endpoints[e].body_fmt) snprintf(body, sizeof body, endpoints[e].body_fmt, loc);
        resp r;
        HW_CHECK_INT(http(d.port, endpoints[e].method, path, callers[c].token, NULL, endpoints[e].body_fmt ? body : NULL, &r),
                     ==, 0);
        int ok = r.status == 200 || r.status == 201 || r.status == 202 || (strstr(path, "check-in") && r.status == 409) ||
                 (endpoints[e].also_ok && r.status == endpoints[e].also_ok);
        if (!ok)
          hw_test_fail(__FILE__, __LINE__, "%s %s as %s: %d: %s", endpoints[e].method, path,
                       hw_role_name(callers[c].role), r.status, r.body);
      }
    }
  }
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* A POST of `path` by `token` with key (and body, may be NULL); fails unless the
 * answer has status `want`. Returns the answer. */
static resp post_expect(int port, const char *token, const char *key, const char *path, const char *body, int want) {
  resp r;
  HW_CHECK_INT(http(port, "POST", path, token, key, body, &r), ==, 0);
  if (r.status != want) hw_test_fail(__FILE__, __LINE__, "POST %s key %s: %d, expected %d: %s", path, key, r.status, want, r.body);
  return r;
}

/* An Idempotency-Key never opens a window onto another locality: its answer is
 * replayed only to the same caller, on the same method, path and body; reused
 * anywhere else it is a 422 that names nothing of the other record; another
 * caller's identical key is that caller's own. For each transition route. */
HW_TEST(replays_never_cross_localities_or_callers) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  const char *const transitions[] = {"cancel", "accept", "discharged", "offer"};
  const char *discharge_body =
      "{\"client_id\":1,\"hospital\":\"Monklands\",\"ready_at\":\"2026-12-01T10:00\",\"care_plan\":{\"visits\":"
      "[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  int replayed = 0;
  for (size_t t = 0; t < sizeof transitions / sizeof transitions[0]; t++) {
    char key[32], own[64], other[64], create_key[32];
    snprintf(create_key, sizeof create_key, "new-%s", transitions[t]);
    resp created = post_expect(d.port, s.coord1, create_key, "/v1/discharges", discharge_body, 201);
    long long id = 0;
    const char *at = strstr(created.body, "\"id\":");
    HW_CHECK(at && sscanf(at, "\"id\":%lld", &id) == 1);
    snprintf(key, sizeof key, "K-%s", transitions[t]);
    snprintf(own, sizeof own, "/v1/discharges/%lld/%s", id, transitions[t]);
    snprintf(other, sizeof other, "/v1/discharges/2/%s", transitions[t]);
    resp first;
    HW_CHECK_INT(http(d.port, "POST", own, s.coord1, key, NULL, &first), ==, 0);
    HW_CHECK(first.status == 200 || first.status == 409);
    int64_t before = event_count(d.port);
    /* A refused first call (409) kept nothing under the key: the other path is then
     * simply outside coord1's localities. */
    resp r = post_expect(d.port, s.coord1, key, other, NULL, first.status == 200 ? 422 : 403);
    HW_CHECK(!strstr(r.head, "Idempotent-Replayed"));
    HW_CHECK(!strstr(r.body, "\"client_id\":2"));
    if (first.status == 200) {
      r = post_expect(d.port, s.coord1, key, "/v1/discharges", discharge_body, 422);
      HW_CHECK_CONTAINS(r.body, "Idempotency-Key");
    }
    r = post_expect(d.port, s.coord1, key, own, NULL, first.status);
    HW_CHECK_STR(r.body, first.body);
    if (first.status == 200) HW_CHECK_CONTAINS(r.head, "Idempotent-Replayed: true");
    replayed += first.status == 200;
    HW_CHECK_INT(event_count(d.port), ==, before);
    /* The same key from another caller is theirs: a 403 for the other locality, not a replay. */
    r = post_expect(d.port, s.discharge1, key, other, NULL, 403);
    HW_CHECK(!strstr(r.head, "Idempotent-Replayed"));
  }
  HW_CHECK_INT(replayed, >=, 3); /* the test reaches the stored answers, not only refusals */
  /* A key first used on a referral, then on a discharge: 422, not the discharge with that id. */
  resp ref = post_expect(d.port, s.coord1, "K-cross", "/v1/referrals", referral_body, 201);
  (void)ref;
  resp r = post_expect(d.port, s.coord1, "K-cross", "/v1/discharges", discharge_body, 422);
  HW_CHECK(!strstr(r.body, "Monklands"));
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* The change feed of a locality-scoped token carries only its localities' events. */
HW_TEST(event_feed_is_scoped_like_every_read) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  const char *body2 =
      "{\"client_id\":2,\"source\":\"community\",\"start_date\":\"2026-12-01\",\"care_plan\":"
      "{\"visits\":[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";
  post_expect(d.port, s.admin, "loc2", "/v1/referrals", body2, 201);
  post_expect(d.port, s.coord1, "loc1", "/v1/referrals", referral_body, 201);
  resp all, mine;
  HW_CHECK_INT(http(d.port, "GET", "/v1/events?after=0&limit=1000", s.manager, NULL, NULL, &all), ==, 0);
  HW_CHECK_INT(http(d.port, "GET", "/v1/events?after=0&limit=1000", s.manager1, NULL, NULL, &mine), ==, 0);
  HW_CHECK_INT(all.status, ==, 200);
  HW_CHECK_INT(mine.status, ==, 200);
  HW_CHECK_CONTAINS(all.body, "\"locality_id\":2");
  HW_CHECK_CONTAINS(mine.body, "\"locality_id\":1");
  HW_CHECK(!strstr(mine.body, "\"locality_id\":2"));
  HW_CHECK(!strstr(mine.body, "\"locality_id\":null"));
  HW_CHECK(!strstr(mine.body, "\"client_id\":2"));
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* PATCH is a JSON merge patch (RFC 7386): members merge, objects merge member by
 * member, null removes (an optional field back to its default, a required one
 * refused by name with nothing stored). */
static resp patch_client(int port, const char *token, const char *body) {
  resp r;
  HW_CHECK_INT(http_typed(port, "PATCH", "/v1/clients/1", token, NULL, "application/merge-patch+json", body, &r), ==, 0);
  return r;
}

HW_TEST(patch_is_a_json_merge_patch) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r = patch_client(d.port, s.coord1, "{\"language\":\"pl\",\"location\":{\"lat\":55.9}}");
  HW_CHECK_INT(r.status, ==, 200);
  json_t *c = body_json(&r);
  HW_CHECK_STR(json_string_value(json_object_get(c, "language")), "pl");
  json_t *loc = json_object_get(c, "location");
  HW_CHECK(json_real_value(json_object_get(loc, "lat")) == 55.9);
  HW_CHECK(json_object_get(loc, "lon") != NULL); /* kept, not replaced by the partial object */
  json_decref(c);
  r = patch_client(d.port, s.coord1, "{\"language\":null}");
  HW_CHECK_INT(r.status, ==, 200);
  c = body_json(&r);
  HW_CHECK(strcmp(json_string_value(json_object_get(c, "language")) ? json_string_value(json_object_get(c, "language")) : "", "pl") != 0);
  json_decref(c);
  int64_t before = event_count(d.port);
  r = patch_client(d.port, s.coord1, "{\"name\":null}");
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/name\"");
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(unknown_route_and_wrong_method) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/v1/nothing-here", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_CONTAINS(r.body, "\"status\":404");
  HW_CHECK_INT(http(d.port, "DELETE", "/v1/referrals/1", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 405);
  HW_CHECK_CONTAINS(r.head, "Allow: GET, PATCH");
  HW_CHECK_INT(http(d.port, "GET", "/v1/referrals/abc", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(http(d.port, "GET", "/v1/referrals/999", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(body_too_large_is_413) {
  daemon_proc d;
  seed s;
  const char *extra[] = {"--max_body_bytes", "2048", NULL};
  start_seeded(&d, &s, extra);
  char big[8192];
  memset(big, ' ', sizeof big - 1);
  big[0] = '{';
  big[sizeof big - 2] = '}';
  big[sizeof big - 1] = '\0';
  resp r;
  int64_t before = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.admin, NULL, big, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 413);
  HW_CHECK_CONTAINS(r.body, "2048");
  HW_CHECK_CONTAINS(r.head, "Connection: close");
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(malformed_http_corpus) {
  daemon_proc d;
  seed s;
  /* On a clock that stands still: the corpus takes 20 s under the sanitizers, time
   * for a cron job of the wall clock to write events the count would blame on it. */
  char at[32], today[16];
  hw_date_format(hw_time_local_date((hw_time)time(NULL)), today, sizeof today);
  snprintf(at, sizeof at, "%sT09:00", today);
  const char *const extra[] = {"--test_clock", at, NULL};
  start_seeded(&d, &s, extra);
  int64_t before = event_count(d.port);
  char dir[512];
  snprintf(dir, sizeof dir, "%s/tests/daemon/corpus", getenv("HW_SOURCE_DIR"));
  DIR *dp = opendir(dir);
  HW_CHECK(dp != NULL);
  struct dirent *e;
  int files = 0;
  static char data[70000], out[70000];
  while ((e = readdir(dp))) {
    if (!strstr(e->d_name, ".http")) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    http_raw(d.port, data, len, out, sizeof out);
    resp r;
    split_response(out, &r);
    if (r.status < 400 || r.status > 499)
      hw_test_fail(__FILE__, __LINE__, "%s: expected a 4xx answer, got: %.200s", e->d_name, out);
    if (!strstr(r.head, "application/problem+json"))
      hw_test_fail(__FILE__, __LINE__, "%s: not a problem document: %.200s", e->d_name, out);
    files++;
  }
  closedir(dp);
  HW_CHECK(files >= 8);
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* Header problems that leave the framing intact are a 400 naming the header, and
 * the connection carries on: a repeated Authorization (which one would count?),
 * an over-long Authorization or Idempotency-Key. Nothing is written. */
HW_TEST(refused_headers_are_400_with_errors_and_keep_the_connection) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  int64_t before = event_count(d.port);
  char long_key[100], long_auth[300];
  memset(long_key, 'k', sizeof long_key - 1), long_key[sizeof long_key - 1] = '\0';
  memset(long_auth, 'a', sizeof long_auth - 1), long_auth[sizeof long_auth - 1] = '\0';
  static char req[8192], out[65536];
  int n = 0;
  n += snprintf(req + n, sizeof req - (size_t)n,
                "POST /v1/referrals HTTP/1.1\r\nAuthorization: Bearer %s\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                s.discharge1, s.admin, strlen(referral_body), referral_body);
  n += snprintf(req + n, sizeof req - (size_t)n,
                "POST /v1/referrals HTTP/1.1\r\nAuthorization: Bearer %s\r\nIdempotency-Key: %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                s.coord1, long_key, strlen(referral_body), referral_body);
  n += snprintf(req + n, sizeof req - (size_t)n, "GET /v1/referrals/1 HTTP/1.1\r\nAuthorization: Bearer %s\r\n\r\n",
                long_auth);
  n += snprintf(req + n, sizeof req - (size_t)n, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  http_raw(d.port, req, (size_t)n, out, sizeof out);
  const char *p = out;
  int expect[] = {400, 400, 400, 200};
  const char *field[] = {"/headers/Authorization", "/headers/Idempotency-Key", "/headers/Authorization", NULL};
  for (int i = 0; i < 4; i++) {
    int status = 0;
    p = strstr(p, "HTTP/1.1 ");
    HW_CHECK(p != NULL);
    sscanf(p, "HTTP/1.1 %d", &status);
    HW_CHECK_INT(status, ==, expect[i]);
    const char *next = strstr(p + 1, "HTTP/1.1 ");
    if (field[i]) {
      const char *at = strstr(p, field[i]);
      HW_CHECK(at != NULL && (!next || at < next));
      HW_CHECK(!strstr(p, "Connection: close") || (next && strstr(p, "Connection: close") > next));
    }
    p++;
  }
  HW_CHECK_CONTAINS(out, "more than once");
  HW_CHECK_CONTAINS(out, "longer than 79 characters");
  HW_CHECK_INT(event_count(d.port), ==, before);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(pipelined_requests_answer_in_order) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  char req[8192];
  int n = 0;
  for (int i = 0; i < 3; i++) {
    n += snprintf(req + n, sizeof req - (size_t)n,
                  "POST /v1/referrals HTTP/1.1\r\nAuthorization: Bearer %s\r\nIdempotency-Key: pipe-%d\r\n"
                  "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                  s.coord1, i, strlen(referral_body), referral_body);
    n += snprintf(req + n, sizeof req - (size_t)n, "GET /v1/referrals/%d HTTP/1.1\r\nAuthorization: Bearer %s\r\n\r\n",
                  3 + i, s.coord1);
  }
  n += snprintf(req + n, sizeof req - (size_t)n, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  static char out[65536];
  http_raw(d.port, req, (size_t)n, out, sizeof out);
  const char *p = out;
  int expect[] = {201, 200, 201, 200, 201, 200, 200};
  for (int i = 0; i < 7; i++) {
    int status = 0;
    p = strstr(p, "HTTP/1.1 ");
    HW_CHECK(p != NULL);
    sscanf(p, "HTTP/1.1 %d", &status);
    HW_CHECK_INT(status, ==, expect[i]);
    p++;
  }
  HW_CHECK_CONTAINS(out, "\"id\":5");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(connection_cap_is_503) {
  daemon_proc d;
  seed s;
  const char *extra[] = {"--max_connections", "2", NULL};
  start_seeded(&d, &s, extra);
  int a = connect_port(d.port), b = connect_port(d.port);
  HW_CHECK(a >= 0 && b >= 0);
  sleep_ms(100);
  static char out[4096];
  const char *req = "GET /healthz HTTP/1.1\r\n\r\n";
  http_raw(d.port, req, strlen(req), out, sizeof out);
  HW_CHECK_CONTAINS(out, "HTTP/1.1 503");
  HW_CHECK_CONTAINS(out, "Connection: close");
  close(a);
  close(b);
  sleep_ms(100);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/healthz", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(slow_request_is_408) {
  daemon_proc d;
  seed s;
  const char *extra[] = {"--request_timeout_ms", "300", NULL};
  start_seeded(&d, &s, extra);
  int fd = connect_port(d.port);
  const char *part = "POST /v1/referrals HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"cl";
  send_all(fd, part, strlen(part));
  static char out[4096];
  read_all(fd, out, sizeof out); /* the server answers and closes */
  close(fd);
  HW_CHECK_CONTAINS(out, "HTTP/1.1 408");
  HW_CHECK_CONTAINS(out, "300 ms");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(check_in_and_out_transitions) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/1/check-out", s.coord1, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  HW_CHECK_CONTAINS(r.body, "check in first");
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/1/check-in", s.coord1, NULL, "{\"at\":\"2001-01-01T08:00\"}", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/at\"");
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/1/check-in", s.coord1, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"in_progress\"");
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/1/check-in", s.coord1, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 409);
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/1/check-out", s.coord1, NULL, "{}", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"status\":\"done\"");
  HW_CHECK_INT(http(d.port, "POST", "/v1/visits/77/check-in", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(change_of_need_reenters_reablement) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  const char *change = "{\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"fri\"],\"window\":{\"start\":\"07:30\","
                       "\"end\":\"08:30\"},\"duration\":45,\"workers\":2}]}}";
  HW_CHECK_INT(http(d.port, "PATCH", "/v1/referrals/1", s.coord1, NULL, change, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "\"source\":\"change_of_need\"");
  HW_CHECK_CONTAINS(r.body, "\"pathway\":\"reablement\"");
  HW_CHECK_CONTAINS(r.body, "\"workers\":2");
  HW_CHECK_INT(http(d.port, "PATCH", "/v1/referrals/1", s.coord1, NULL, "{\"status\":\"ended\"}", &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "\"field\":\"/status\"");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(events_are_paged) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  for (int i = 0; i < 5; i++) {
    char key[16];
    snprintf(key, sizeof key, "page-%d", i);
    HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, key, referral_body, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 201);
  }
  int64_t cursor = 0, seen = 0;
  for (int page = 0; page < 10; page++) {
    char path[64];
    snprintf(path, sizeof path, "/v1/events?after=%lld&limit=2", (long long)cursor);
    HW_CHECK_INT(http(d.port, "GET", path, s.manager, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
    json_t *j = body_json(&r);
    size_t n = json_array_size(json_object_get(j, "events"));
    HW_CHECK(n <= 2);
    seen += (int64_t)n;
    cursor = json_integer_value(json_object_get(j, "next"));
    json_decref(j);
    if (n == 0) break;
  }
  HW_CHECK_INT(seen, ==, event_count(d.port));
  HW_CHECK_INT(http(d.port, "GET", "/v1/events?limit=0", s.manager, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 400);
  HW_CHECK_CONTAINS(r.body, "/query/limit");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(metrics_count_requests) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  int64_t before = event_count(d.port);
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "m-1", referral_body, &r), ==, 0);
  HW_CHECK_INT(http(d.port, "POST", "/v1/referrals", s.coord1, "m-1", referral_body, &r), ==, 0);
  HW_CHECK_CONTAINS(r.head, "Idempotent-Replayed: true");
  int64_t stored = event_count(d.port) - before;
  HW_CHECK_INT(stored, >=, 1);
  HW_CHECK_INT(http(d.port, "GET", "/metrics", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.body, "homeward_http_requests_total{route=\"referrals.create\",status=\"201\"} 2");
  char line[96];
  snprintf(line, sizeof line, "homeward_events_stored_total %lld\n", (long long)stored); /* events, not requests */
  HW_CHECK_CONTAINS(r.body, line);
  HW_CHECK_CONTAINS(r.body, "homeward_idempotent_replays_total 1\n");
  HW_CHECK_CONTAINS(r.body, "homeward_http_request_duration_seconds_bucket{route=\"referrals.create\",le=\"+Inf\"} 2");
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

HW_TEST(sigterm_finishes_in_flight_and_exits_0) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  /* A request in flight when SIGTERM arrives is still answered. */
  int fd = connect_port(d.port);
  char req[4096];
  int n = snprintf(req, sizeof req,
                   "POST /v1/referrals HTTP/1.1\r\nAuthorization: Bearer %s\r\nIdempotency-Key: last\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                   s.coord1, strlen(referral_body));
  send_all(fd, req, (size_t)n);
  sleep_ms(50);
  kill(d.pid, SIGTERM);
  sleep_ms(50);
  send_all(fd, referral_body, strlen(referral_body));
  static char out[8192];
  read_all(fd, out, sizeof out);
  close(fd);
  HW_CHECK_CONTAINS(out, "HTTP/1.1 201");
  HW_CHECK_CONTAINS(out, "Connection: close");
  HW_CHECK_INT(daemon_stop(&d, 0), ==, 0);
  /* The change is there after a restart, once. */
  daemon_start(&d, d.db, NULL);
  resp r;
  HW_CHECK_INT(http(d.port, "GET", "/v1/events?after=0&limit=1000", s.admin, NULL, NULL, &r), ==, 0);
  HW_CHECK_CONTAINS(r.body, "\"idempotency_key\":\"last\"");
  HW_CHECK_INT(daemon_stop(&d, SIGINT), ==, 0);
}

/* ---- Crash safety ---------------------------------------------------------------- */

#define CRASH_KILLS 20
#define CRASH_KEYS 100000

typedef struct crash_client {
  int port;
  const char *token;
  volatile int stop;
  int next;                 /* next key to send */
  int acked[CRASH_KEYS];    /* 1 once a 201 came back */
  int sent_total;
} crash_client;

static void *crash_client_main(void *arg) {
  crash_client *c = arg;
  while (!c->stop && c->next < CRASH_KEYS) {
    char key[32], body[256];
    snprintf(key, sizeof key, "crash-%d", c->next);
    snprintf(body, sizeof body, "{\"team_id\":1,\"name\":\"Crash %d\",\"base\":{\"lat\":55.8,\"lon\":-3.9}}", c->next);
    resp r;
    /* Retry the same key until it is acknowledged: idempotency makes that safe. */
    if (http(__atomic_load_n(&c->port, __ATOMIC_SEQ_CST), "POST", "/v1/workers", c->token, key, body, &r) == 0 &&
        r.status == 201) {
      c->acked[c->next] = 1;
      __atomic_add_fetch(&c->next, 1, __ATOMIC_SEQ_CST);
    } else {
      sleep_ms(5);
    }
    c->sent_total++;
  }
  return NULL;
}

HW_TEST(sigkill_loses_no_acknowledged_event) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  crash_client *c = calloc(1, sizeof *c);
  c->port = d.port;
  c->token = s.admin;
  pthread_t t;
  pthread_create(&t, NULL, crash_client_main, c);
  unsigned seed_r = (unsigned)time(NULL);
  for (int k = 0; k < CRASH_KILLS; k++) {
    /* Each life acknowledges a write before it dies, however slow the build (sanitizers). */
    int acked_before = __atomic_load_n(&c->next, __ATOMIC_SEQ_CST);
    for (int waited = 0; waited < 10000 && __atomic_load_n(&c->next, __ATOMIC_SEQ_CST) == acked_before; waited += 5)
      sleep_ms(5);
    sleep_ms((int)(rand_r(&seed_r) % 150));
    daemon_stop(&d, SIGKILL);
    daemon_start(&d, d.db, NULL);
    __atomic_store_n(&c->port, d.port, __ATOMIC_SEQ_CST);
  }
  sleep_ms(100);
  c->stop = 1;
  pthread_join(t, NULL);
  /* Every acknowledged key is in the log exactly once, and no key twice. */
  int *count = calloc(CRASH_KEYS, sizeof *count);
  int64_t cursor = 0;
  for (;;) {
    char path[64];
    snprintf(path, sizeof path, "/v1/events?after=%lld&limit=100", (long long)cursor);
    resp r;
    HW_CHECK_INT(http(d.port, "GET", path, s.admin, NULL, NULL, &r), ==, 0);
    json_t *j = body_json(&r);
    json_t *evs = json_object_get(j, "events");
    size_t i;
    json_t *ev;
    json_array_foreach(evs, i, ev) {
      int n;
      if (sscanf(json_string_value(json_object_get(ev, "idempotency_key")), "crash-%d", &n) == 1 && n >= 0 &&
          n < CRASH_KEYS)
        count[n]++;
    }
    size_t got = json_array_size(evs);
    cursor = json_integer_value(json_object_get(j, "next"));
    json_decref(j);
    if (got == 0) break;
  }
  int acked = 0;
  for (int i = 0; i < CRASH_KEYS; i++) {
    if (c->acked[i]) {
      acked++;
      if (count[i] != 1) hw_test_fail(__FILE__, __LINE__, "acknowledged key crash-%d stored %d times", i, count[i]);
    }
    HW_CHECK_INT(count[i], <=, 1);
  }
  fprintf(stderr, "%d kills, %d acknowledged events, %d requests sent\n", CRASH_KILLS, acked, c->sent_total);
  HW_CHECK(acked >= CRASH_KILLS);
  free(count);
  free(c);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}
