/*
 * Intake (scheduler/intake.c) without the daemon: document checks that list every
 * bad field, changes applied through hw_store_apply, locality scope, and a
 * rejected change leaving the store as it was.
 */
#include <string.h>

#include "hw_error.h"
#include "hw_intake.h"
#include "hw_store.h"
#include "hw_test.h"

static hw_store *open_seeded(void) {
  hw_store *st;
  hw_store_options o;
  char msg[256];
  hw_store_options_init(&o);
  HW_CHECK_INT(hw_store_open(hw_test_path("intake.db"), &o, &st, msg, sizeof msg), ==, 0);
  for (int i = 0; i < 2; i++) {
    hw_locality loc = {.population = 1000, .centre = {55860000, -3980000}, .radius_m = 3000};
    snprintf(loc.name, sizeof loc.name, "Locality %d", i + 1);
    HW_CHECK_INT(hw_store_insert_locality(st, &loc), ==, 0);
    hw_team team = {.locality_id = loc.id, .kind = HW_TEAM_REABLEMENT};
    snprintf(team.name, sizeof team.name, "Team %d", i + 1);
    HW_CHECK_INT(hw_store_insert_team(st, &team), ==, 0);
  }
  return st;
}

static int apply(hw_store *st, hw_intake *in, hw_apply_result *res) {
  hw_event ev;
  memset(&ev, 0, sizeof ev);
  snprintf(ev.type, sizeof ev.type, "%s", hw_intake_event_type(in->kind));
  snprintf(ev.actor, sizeof ev.actor, "test");
  ev.payload = hw_intake_payload(in);
  memset(res, 0, sizeof *res);
  int rc = hw_store_apply(st, &ev, hw_intake_apply, in, res);
  free(ev.payload);
  return rc;
}

static const char referral_inline[] =
    "{\"client\":{\"locality_id\":%d,\"name\":\"A Person\",\"location\":{\"lat\":55.86,\"lon\":-3.98}},"
    "\"source\":\"community\",\"pathway\":\"intensive\",\"start_date\":\"2026-12-01\",\"care_plan\":{\"visits\":"
    "[{\"days\":[\"mon\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},\"duration\":30}]}}";

HW_TEST(prepare_lists_every_bad_field) {
  hw_scope all = {.all = 1};
  hw_intake in;
  const char *bad = "{\"client_id\":1,\"status\":\"active\",\"source\":\"x\",\"care_plan\":{\"visits\":[]}}";
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_REFERRAL_CREATE, &all, 0, bad, strlen(bad), 0), ==, HW_EINVAL);
  char buf[1024];
  hw_errors_join(&in.errs, buf, sizeof buf);
  HW_CHECK_CONTAINS(buf, "/status: is set by the server");
  HW_CHECK_CONTAINS(buf, "/source");
  HW_CHECK_CONTAINS(buf, "/start_date");
  HW_CHECK_CONTAINS(buf, "/care_plan/visits");
  hw_intake_free(&in);
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_WORKER_CREATE, &all, 0, "[1]", 3, 0), ==, HW_EINVAL);
  HW_CHECK_STR(in.errs.e[0].reason, "must be a JSON object");
  hw_intake_free(&in);
}

HW_TEST(new_referral_starts_in_reablement) {
  hw_store *st = open_seeded();
  hw_scope all = {.all = 1};
  char body[1024];
  snprintf(body, sizeof body, referral_inline, 1);
  hw_intake in;
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_REFERRAL_CREATE, &all, 0, body, strlen(body), 1764000000), ==, 0);
  hw_apply_result res;
  HW_CHECK_INT(apply(st, &in, &res), ==, 0);
  HW_CHECK_CONTAINS(res.result, "\"pathway\":\"reablement\"");
  HW_CHECK_CONTAINS(res.result, "\"status\":\"open\"");
  free(res.result);
  hw_intake_free(&in);
  hw_referral r;
  HW_CHECK_INT(hw_store_get_referral(st, 1, &r), ==, 0);
  HW_CHECK_INT(r.pathway, ==, HW_PATHWAY_REABLEMENT);
  HW_CHECK_INT(r.received_at, ==, 1764000000);
  hw_store_close(st);
}

HW_TEST(outside_scope_is_forbidden_and_changes_nothing) {
  hw_store *st = open_seeded();
  hw_scope one = {.all = 0, .n = 1, .localities = {1}};
  char body[1024];
  snprintf(body, sizeof body, referral_inline, 2);
  hw_intake in;
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_REFERRAL_CREATE, &one, 0, body, strlen(body), 0), ==, 0);
  int64_t before = hw_store_event_count(st);
  hw_apply_result res;
  HW_CHECK_INT(apply(st, &in, &res), ==, HW_EFORBIDDEN);
  HW_CHECK_INT(hw_store_event_count(st), ==, before);
  hw_client c;
  HW_CHECK_INT(hw_store_get_client(st, 1, &c), ==, HW_ENOTFOUND); /* the inline client was rolled back */
  hw_intake_free(&in);
  json_t *list = NULL;
  HW_CHECK_INT(hw_intake_list_workers(st, &one, 2, &list), ==, HW_EFORBIDDEN);
  hw_store_close(st);
}

HW_TEST(check_out_needs_check_in) {
  hw_store *st = open_seeded();
  hw_scope all = {.all = 1};
  char body[1024];
  snprintf(body, sizeof body, referral_inline, 1);
  hw_intake in;
  hw_apply_result res;
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_REFERRAL_CREATE, &all, 0, body, strlen(body), 0), ==, 0);
  HW_CHECK_INT(apply(st, &in, &res), ==, 0);
  free(res.result);
  hw_intake_free(&in);
  hw_time now = 1764000000; /* 2025-11-24T16:00Z */
  hw_date day = hw_time_local_date(now);
  hw_visit v = {.referral_id = 1, .client_id = 1, .date = day, .duration = 30, .workers = 1, .priority = 50,
                .status = HW_VISIT_PLANNED, .planned_start = HW_TIME_NONE, .check_in = HW_TIME_NONE,
                .check_out = HW_TIME_NONE};
  v.window_start = hw_local_to_time(day, 8 * 60);
  v.window_end = hw_local_to_time(day, 20 * 60);
  HW_CHECK_INT(hw_store_insert_visit(st, &v), ==, 0);
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_VISIT_CHECK_OUT, &all, v.id, "", 0, now), ==, 0);
  HW_CHECK_INT(apply(st, &in, &res), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(in.errs.e[0].reason, "check in first");
  hw_intake_free(&in);
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_VISIT_CHECK_IN, &all, v.id, "", 0, now), ==, 0);
  HW_CHECK_INT(apply(st, &in, &res), ==, 0);
  free(res.result);
  hw_intake_free(&in);
  const char *early = "{\"at\":\"2025-11-24T15:00Z\"}";
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_VISIT_CHECK_OUT, &all, v.id, early, strlen(early), now), ==, 0);
  HW_CHECK_INT(apply(st, &in, &res), ==, HW_EINVAL);
  HW_CHECK_STR(in.errs.e[0].path, "/at");
  hw_intake_free(&in);
  HW_CHECK_INT(hw_intake_prepare(&in, HW_INTAKE_VISIT_CHECK_OUT, &all, v.id, "", 0, now + 1800), ==, 0);
  HW_CHECK_INT(apply(st, &in, &res), ==, 0);
  HW_CHECK_CONTAINS(res.result, "\"status\":\"done\"");
  free(res.result);
  hw_intake_free(&in);
  hw_store_close(st);
}
