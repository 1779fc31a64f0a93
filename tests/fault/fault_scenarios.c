/*
 * The scheduler scenarios of fault_scenarios.h on the small partnership of
 * tests/scheduler/sched_fixture.h (Airdrie: a reablement team of two, a
 * mainstream worker, four clients; the week of Monday 12 January 2026).
 *
 * Each prepare builds the starting store and closes it; each run is the one
 * call under test, with every input rebuilt from the context so a retry after a
 * failure is the same request again.
 */
#include "fault_scenarios.h"

#include <stdio.h>
#include <stdlib.h>

#include "hw_d2a.h"
#include "hw_intake.h"
#include "hw_plan.h"
#include "hw_service.h"
#include "sched_fixture.h"

#define ACTOR "coordinator"

/* What a run needs from its prepare. */
typedef struct scenario_ctx {
  hw_id locality, worker, client;
} scenario_ctx;

/* ---- Set-up ------------------------------------------------------------------- */

/* Every client on the reablement team, mornings and afternoons, from Monday. */
static void add_care_plans(fixture *f) {
  for (int i = 0; i < 4; i++) {
    hw_referral r = {.client_id = f->clients[i], .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                     .status = HW_REFERRAL_ACTIVE, .team_id = f->reablement_team, .start_date = FX_MONDAY,
                     .end_date = HW_DATE_NONE, .n_templates = 2};
    r.received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60);
    r.templates[0] = fx_template(9, 11, 30, 0);
    r.templates[1] = fx_template(15, 17, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  }
}

static void plan_params(hw_plan_params *p) {
  hw_plan_params_init(p);
  p->time_limit_s = 0; /* no clock: the iteration budget alone ends the solve */
  p->max_iterations = 200;
}

/* The visits of date generated; published too when publish. */
static void prepare_day(fixture *f, hw_date date, int publish) {
  hw_time evening = hw_local_to_time(date - 1, 18 * 60);
  int32_t created = 0;
  HW_CHECK_INT(hw_plan_generate_visits(f->st, f->locality, date, ACTOR, "", evening, &created), ==, 0);
  HW_CHECK(created > 0);
  if (!publish) return;
  hw_plan_params pp;
  plan_params(&pp);
  hw_plan_report rep;
  char why[200] = "";
  HW_CHECK_INT(hw_plan_day(f->st, f->locality, date, &pp, ACTOR, "", evening, &rep, why, sizeof why), ==, 0);
  HW_CHECK_INT(rep.unassigned, ==, 0);
}

static int32_t roster_length(hw_store *st, hw_id worker, hw_date date) {
  hw_roster_entry *e = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_get_roster(st, worker, date, &e, &n), ==, 0);
  free(e);
  return n;
}

/* Open the fixture, let fill add to it, close it and move it to path. The
 * context's worker is the reablement worker with more visits on Tuesday. */
static scenario_ctx *prepare_fixture(const char *path, void (*fill)(fixture *f)) {
  fixture f;
  fx_open(&f, 0x7f);
  if (fill) fill(&f);
  int med_busier = roster_length(f.st, f.med_worker, FX_TUESDAY) > roster_length(f.st, f.care_worker, FX_TUESDAY);
  hw_store_close(f.st);
  HW_CHECK_INT(rename(hw_test_path("sched.db"), path), ==, 0);
  scenario_ctx *c = calloc(1, sizeof *c);
  HW_CHECK(c != NULL);
  *c = (scenario_ctx){.locality = f.locality, .worker = med_busier ? f.med_worker : f.care_worker,
                      .client = f.clients[0]};
  return c;
}

static void fill_published_monday(fixture *f) {
  add_care_plans(f);
  prepare_day(f, FX_MONDAY, 1);
}

static void fill_published_tuesday(fixture *f) {
  add_care_plans(f);
  prepare_day(f, FX_TUESDAY, 1);
}

static void fill_generated_tuesday(fixture *f) {
  add_care_plans(f);
  prepare_day(f, FX_TUESDAY, 0);
}

static void *prepare_empty(const char *path) { return prepare_fixture(path, NULL); }
static void *prepare_published_monday(const char *path) { return prepare_fixture(path, fill_published_monday); }
static void *prepare_published_tuesday(const char *path) { return prepare_fixture(path, fill_published_tuesday); }
static void *prepare_generated_tuesday(const char *path) { return prepare_fixture(path, fill_generated_tuesday); }

/* ---- The daemon's write path -------------------------------------------------- */

/* What the writer runs for a request: a scheduler action, or (NULL) the intake
 * change itself through hw_store_apply. */
typedef int (*service_fn)(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c);

static int apply_change(hw_store *st, hw_intake *in, const hw_event *ev, service_fn action, hw_service_call *c) {
  if (action) return action(st, in, ev, c);
  hw_apply_result res;
  int rc = hw_store_apply(st, ev, hw_intake_apply, in, &res);
  free(res.result);
  return rc;
}

/* The writer's batch of one (daemon/writer.c): begin, apply, commit - committed
 * even when the change failed, as the writer does for the rest of its batch. */
static int writer_batch(hw_store *st, hw_intake *in, const hw_event *ev, service_fn action, hw_service_call *c) {
  int rc = hw_store_batch_begin(st);
  if (rc) return rc;
  int job = apply_change(st, in, ev, action, c);
  rc = hw_store_batch_commit(st);
  if (rc) hw_store_batch_rollback(st);
  return job ? job : rc;
}

/* One write request as the daemon handles it, received on Monday at minute:
 * prepare on the loop thread (the body - body_format with its one id filled in -
 * parsed and checked, the event's payload made), then the writer's batch. */
static int write_request(hw_store *st, hw_intake_kind kind, hw_id target, const char *body_format, hw_id body_id,
                         int minute, service_fn action) {
  hw_time now = hw_local_to_time(FX_MONDAY, minute);
  char body[600];
  snprintf(body, sizeof body, body_format, (long long)body_id);
  hw_scope all = {.all = 1};
  hw_intake in;
  int rc = hw_intake_prepare(&in, kind, &all, target, body, strlen(body), now);
  hw_event ev = {.received_at = now, .payload = rc == 0 ? hw_intake_payload(&in) : NULL};
  if (rc == 0 && !ev.payload) rc = HW_ENOMEM;
  snprintf(ev.type, sizeof ev.type, "%s", hw_intake_event_type(kind));
  snprintf(ev.actor, sizeof ev.actor, ACTOR);
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "request-1");
  hw_errors errs;
  hw_errors_init(&errs);
  hw_service_call call = {.scope = &all, .actor = ev.actor, .key = ev.idempotency_key, .now = now, .errs = &errs};
  if (rc == 0) rc = writer_batch(st, &in, &ev, action, &call);
  free(call.answer);
  free(ev.payload);
  hw_intake_free(&in);
  return rc;
}

/* ---- The operations ---------------------------------------------------------------- */

static const char referral_body[] =
    "{\"client\":{\"locality_id\":%lld,\"name\":\"Jean Fault\",\"location\":{\"lat\":55.87,\"lon\":-3.98}},"
    "\"source\":\"hospital\",\"start_date\":\"2026-01-14\",\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"wed\","
    "\"fri\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:30\"},\"duration\":30},{\"days\":[\"tue\"],"
    "\"window\":{\"start\":\"17:00\",\"end\":\"18:00\"},\"duration\":45,\"workers\":2}]}}";
static const char discharge_body[] =
    "{\"client_id\":%lld,\"hospital\":\"University Hospital Monklands\",\"ward\":\"7\","
    "\"ready_at\":\"2026-01-12T10:00\",\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\","
    "\"fri\",\"sat\",\"sun\"],\"window\":{\"start\":\"12:00\",\"end\":\"14:00\"},\"duration\":30}]}}";
/* The worker comes from the path; the body's id is left unused. */
static const char absence_body[] = "{\"from\":\"2026-01-13T00:00\",\"to\":\"2026-01-13T23:59\",\"reason\":\"sickness\"}";

static int discharge_action(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c) {
  return hw_service_discharge_request(st, in, ev, hw_service_d2a_defaults(), c);
}

static int run_referral(hw_store *st, void *ctx) {
  const scenario_ctx *c = ctx;
  return write_request(st, HW_INTAKE_REFERRAL_CREATE, 0, referral_body, c->locality, 9 * 60, NULL);
}

static int run_discharge_request(hw_store *st, void *ctx) {
  const scenario_ctx *c = ctx;
  return write_request(st, HW_INTAKE_DISCHARGE_CREATE, 0, discharge_body, c->client, 10 * 60, discharge_action);
}

static int run_absence_repair(hw_store *st, void *ctx) {
  const scenario_ctx *c = ctx;
  return write_request(st, HW_INTAKE_ABSENCE_RECORD, c->worker, absence_body, 0, 20 * 60, hw_service_absence);
}

static int run_plan_publication(hw_store *st, void *ctx) {
  const scenario_ctx *c = ctx;
  hw_plan_params pp;
  plan_params(&pp);
  hw_plan_report rep;
  char why[200] = "";
  return hw_plan_day(st, c->locality, FX_TUESDAY, &pp, ACTOR, "plan-tuesday", hw_local_to_time(FX_MONDAY, 19 * 60),
                     &rep, why, sizeof why);
}

const fault_scenario fault_referral = {"referral", prepare_empty, run_referral, free};
const fault_scenario fault_discharge_request = {"discharge_request", prepare_published_monday, run_discharge_request,
                                                free};
const fault_scenario fault_absence_repair = {"absence_repair", prepare_published_tuesday, run_absence_repair, free};
const fault_scenario fault_plan_publication = {"plan_publication", prepare_generated_tuesday, run_plan_publication,
                                               free};
