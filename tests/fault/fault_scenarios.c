/*
 * The service scenarios of fault_scenarios.h on the small partnership of
 * tests/scheduler/sched_fixture.h (Airdrie: a reablement team of two, a
 * mainstream worker, four clients on care plans; the week of Monday 12 January
 * 2026), with Coatbridge next door for the offers that cross into it.
 *
 * Each prepare builds the starting store and closes it; each run is the one
 * call under test, with every input rebuilt from the context so a retry after a
 * failure is the same request again.
 */
#include "fault_scenarios.h"

#include <stdio.h>
#include <stdlib.h>

#include "hw_cron.h"
#include "hw_handlers.h"
#include "hw_plan.h"
#include "hw_router.h"
#include "hw_service.h"
#include "sched_fixture.h"

#define ACTOR "coordinator"
#define KEY "request-1"

/* What a run needs from its prepare, and what the writer keeps on its handle. */
typedef struct scenario_ctx {
  hw_id locality, worker, client, token;
  hw_id visit, to_worker;      /* a reassignment: this visit goes to this worker */
  hw_id near_worker;           /* the neighbouring locality's reablement worker */
  hw_id discharge;             /* a request offered already, to accept */
  hw_service *svc;             /* the writer's service on the attached handle */
} scenario_ctx;

/* ---- Set-up ------------------------------------------------------------------- */

/* Every client on the reablement team, mornings and afternoons, from Monday. */
static void add_care_plans(fixture *f) {
  for (int i = 0; i < 4; i++) {
    hw_referral r = {.client_id = f->clients[i], .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                     .status = HW_REFERRAL_ALLOCATED, .team_id = f->reablement_team, .start_date = FX_MONDAY,
                     .end_date = HW_DATE_NONE, .n_templates = 2};
    r.received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60);
    r.templates[0] = fx_template(9, 11, 30, 0);
    r.templates[1] = fx_template(15, 17, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  }
}

/* A plan job's parameters: no clock, a fixed iteration budget, so every run of
 * a sweep solves the same way (the D2A reserve is the settings' or the
 * forecast's: hw_service_plan_locality sets it). */
static void plan_params(hw_plan_params *p) {
  hw_plan_params_init(p);
  p->time_limit_s = 0;
  p->max_iterations = 200;
}

/* Plan and publish the locality's date the evening before. */
static void publish_day(fixture *f, hw_id locality, hw_date date) {
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_plan_params pp;
  plan_params(&pp);
  hw_change c = fx_change(f, date - 1, 18 * 60);
  hw_plan_report rep;
  char why[200] = "";
  HW_CHECK_INT(hw_service_plan_locality(f->st, &set, locality, date, &pp, &c, &rep, why, sizeof why), ==, 0);
  HW_CHECK(rep.assigned > 0);
  hw_plan_report_free(&rep);
}

static int32_t roster_length(hw_store *st, hw_id worker, hw_date date) {
  hw_roster_entry *e = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_get_roster(st, worker, date, &e, &n), ==, 0);
  free(e);
  return n;
}

/* A hospital discharge team's token, for Airdrie. */
static hw_id discharge_token(fixture *f) {
  char locality[24];
  snprintf(locality, sizeof locality, "%lld", (long long)f->locality);
  hw_id token = 0;
  HW_CHECK_INT(hw_store_insert_token(f->st, "monklands-discharge", "discharge", locality,
                                     "5f1e0c9b3a7d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f",
                                     hw_local_to_time(FX_MONDAY - 7, 9 * 60), &token),
               ==, 0);
  return token;
}

/* Open the fixture, let fill add to it (and to the context), close it and move
 * it to path. The context's worker is the reablement worker with more visits on
 * Tuesday; its token is a hospital discharge team's, for Airdrie. */
static scenario_ctx *prepare_fixture(const char *path, void (*fill)(fixture *f, scenario_ctx *c)) {
  fixture f;
  fx_open(&f, 0x7f);
  add_care_plans(&f);
  scenario_ctx *c = calloc(1, sizeof *c);
  HW_CHECK(c != NULL);
  *c = (scenario_ctx){.locality = f.locality, .client = f.clients[0], .token = discharge_token(&f)};
  if (fill) fill(&f, c);
  int med_busier = roster_length(f.st, f.med_worker, FX_TUESDAY) > roster_length(f.st, f.care_worker, FX_TUESDAY);
  c->worker = med_busier ? f.med_worker : f.care_worker;
  fx_close(&f);
  HW_CHECK_INT(rename(hw_test_path("sched.db"), path), ==, 0);
  return c;
}

static void fill_published_monday(fixture *f, scenario_ctx *c) {
  (void)c;
  publish_day(f, f->locality, FX_MONDAY);
}

static void fill_published_tuesday(fixture *f, scenario_ctx *c) {
  (void)c;
  publish_day(f, f->locality, FX_TUESDAY);
}

/* Monday published; the visit to reassign is the first client's afternoon call,
 * to the other reablement worker at the same time, so the repair must make room
 * on their roster. */
static void fill_visit_to_reassign(fixture *f, scenario_ctx *c) {
  publish_day(f, f->locality, FX_MONDAY);
  hw_visit *vs = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_client_visits(f->st, c->client, FX_MONDAY, FX_MONDAY, &vs, &n), ==, 0);
  for (int32_t i = 0; i < n; i++)
    if (vs[i].window_start == hw_local_to_time(FX_MONDAY, 15 * 60) && vs[i].worker_ids[0]) {
      c->visit = vs[i].id;
      c->to_worker = vs[i].worker_ids[0] == f->med_worker ? f->care_worker : f->med_worker;
    }
  free(vs);
  HW_CHECK(c->visit != 0);
}

/* Coatbridge, 3 km west of Airdrie (the areas touch), with a reablement team of
 * one worker based at its centre and two clients of its own on morning and
 * afternoon calls; Monday's roster published. Returns the worker. */
static hw_id add_neighbour(fixture *f) {
  hw_locality l = {.population = 43000, .centre = fx_geo(55.8622, -4.0266), .radius_m = 4000};
  snprintf(l.name, sizeof l.name, "Coatbridge");
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  hw_team t = {.locality_id = l.id, .kind = HW_TEAM_REABLEMENT};
  snprintf(t.name, sizeof t.name, "Coatbridge Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  hw_worker w;
  HW_CHECK_INT(hw_store_get_worker(f->st, fx_worker(f, t.id, "Nadia Near", 0, 0x7f), &w), ==, 0);
  w.base = l.centre;
  HW_CHECK_INT(hw_store_update_worker(f->st, &w), ==, 0);
  for (int i = 0; i < 2; i++) {
    hw_client c = {.locality_id = l.id, .location = fx_geo(55.8622 + 0.003 * i, -4.0266)};
    snprintf(c.name, sizeof c.name, "Coatbridge client %d", i + 1);
    HW_CHECK_INT(hw_store_insert_client(f->st, &c), ==, 0);
    hw_referral r = {.client_id = c.id, .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                     .status = HW_REFERRAL_ALLOCATED, .team_id = t.id, .start_date = FX_MONDAY,
                     .end_date = HW_DATE_NONE, .n_templates = 2};
    r.received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60);
    r.templates[0] = fx_template(9, 11, 30, 0);
    r.templates[1] = fx_template(15, 17, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  }
  publish_day(f, l.id, FX_MONDAY);
  return w.id;
}

/* Every Airdrie worker off sick all Monday: no room there today, so an offer
 * for today can only come from the neighbour (tier 2). */
static void fill_room_only_next_door(fixture *f, scenario_ctx *c) {
  c->near_worker = add_neighbour(f);
  hw_id own[3] = {f->med_worker, f->care_worker, f->mainstream_worker};
  for (int i = 0; i < 3; i++) {
    hw_absence a = {.worker_id = own[i], .from = hw_local_to_time(FX_MONDAY, 0),
                    .to = hw_local_to_time(FX_MONDAY + 1, 0)};
    snprintf(a.reason, sizeof a.reason, "sickness");
    HW_CHECK_INT(hw_store_insert_absence(f->st, &a), ==, 0);
  }
}

/* Three weeks of discharge history before Monday: a request ready on each of the
 * last three Tuesdays at 14:00, home with a tea-time call. */
static void fill_discharge_history(fixture *f, scenario_ctx *c) {
  (void)c;
  for (int w = 1; w <= 3; w++) {
    hw_discharge d = {.client_id = f->clients[w], .ready_at = hw_local_to_time(FX_TUESDAY - 7 * w, 14 * 60),
                      .status = HW_DISCHARGE_DISCHARGED, .discharged_at = hw_local_to_time(FX_TUESDAY - 7 * w, 18 * 60),
                      .offered_start = HW_TIME_NONE, .earliest = HW_DATE_NONE, .n_templates = 1};
    snprintf(d.hospital, sizeof d.hospital, "University Hospital Monklands");
    d.templates[0] = fx_template(16, 18, 30, 0);
    HW_CHECK_INT(hw_store_insert_discharge(f->st, &d), ==, 0);
  }
}

static void *prepare_published_monday(const char *path) { return prepare_fixture(path, fill_published_monday); }
static void *prepare_discharge_history(const char *path) { return prepare_fixture(path, fill_discharge_history); }
static void *prepare_published_tuesday(const char *path) { return prepare_fixture(path, fill_published_tuesday); }
static void *prepare_care_plans(const char *path) { return prepare_fixture(path, NULL); }
static void *prepare_visit_to_reassign(const char *path) { return prepare_fixture(path, fill_visit_to_reassign); }
static void *prepare_room_only_next_door(const char *path) { return prepare_fixture(path, fill_room_only_next_door); }

/* ---- The writer ---------------------------------------------------------------- */

/* The daemon's writer keeps one service on its handle (daemon/server.c). */
static int attach_service(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_service_settings set;
  hw_service_settings_init(&set);
  x->svc = hw_service_new(st, &set);
  return x->svc ? 0 : HW_ENOMEM;
}

static void detach_service(hw_store *st, void *ctx) {
  (void)st;
  scenario_ctx *x = ctx;
  hw_service_free(x->svc);
  x->svc = NULL;
}

static void release_ctx(void *ctx) {
  scenario_ctx *x = ctx;
  hw_service_free(x->svc);
  free(x);
}

/* One write: the service call with its change (who, when, the request's key). */
typedef int (*write_fn)(const scenario_ctx *x, hw_service *svc, hw_change *c);

/* A write as the daemon's writer makes it (daemon/writer.c apply_batch): a batch,
 * the service call in it (its own change group), the commit - made even when the
 * call failed, as for the rest of a batch - and a failed commit rolled back. On
 * failure the service forgets its cached days (server.c run_action). */
static int writer_batch(scenario_ctx *x, hw_store *st, const hw_scope *scope, int minute, write_fn call) {
  if (hw_service_store(x->svc) != st) return HW_EINTERNAL;
  hw_errors errs;
  hw_errors_init(&errs);
  hw_change c = {.scope = scope, .actor = ACTOR, .key = KEY, .now = hw_local_to_time(FX_MONDAY, minute), .errs = &errs};
  int rc = hw_store_batch_begin(st);
  if (rc) return rc;
  int job = call(x, x->svc, &c);
  rc = hw_store_batch_commit(st);
  if (rc) hw_store_batch_rollback(st);
  if (job || rc) hw_service_forget(x->svc);
  return job ? job : rc;
}

static hw_scope locality_scope(const scenario_ctx *x) {
  hw_scope s = {.n = 1};
  s.localities[0] = x->locality;
  return s;
}

/* ---- The operations ---------------------------------------------------------------- */

/* A new client from hospital, a lunchtime visit every day and a double-handed
 * one on Tuesday evenings, from today. */
static int call_referral(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_client client = {.locality_id = x->locality, .location = fx_geo(55.87, -3.98)};
  snprintf(client.name, sizeof client.name, "Jean Fault");
  snprintf(client.chi, sizeof client.chi, "0101451237");
  hw_referral r = {.source = HW_SOURCE_HOSPITAL, .start_date = FX_MONDAY, .end_date = HW_DATE_NONE,
                   .earliest = HW_DATE_NONE, .n_templates = 2};
  r.templates[0] = fx_template(12, 14, 30, 0);
  r.templates[1] = fx_template(17, 18, 45, 0);
  r.templates[1].weekdays = 1u << 1;
  r.templates[1].workers = 2;
  hw_referral_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_referral_create(svc, c, &r, &client, res) : HW_ENOMEM;
  free(res);
  return rc;
}

/* Ready this morning, home with a lunchtime visit every day. */
static int request_discharge(const scenario_ctx *x, hw_service *svc, hw_change *c, hw_discharge_result *res) {
  hw_discharge d = {.client_id = x->client, .ready_at = hw_local_to_time(FX_MONDAY, 10 * 60), .n_templates = 1};
  snprintf(d.hospital, sizeof d.hospital, "University Hospital Monklands");
  snprintf(d.ward, sizeof d.ward, "7");
  d.templates[0] = fx_template(12, 14, 30, 0);
  return hw_service_discharge_request(svc, c, &d, NULL, res);
}

static int call_discharge(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_discharge_result *res = calloc(1, sizeof *res);
  int rc = res ? request_discharge(x, svc, c, res) : HW_ENOMEM;
  free(res);
  return rc;
}

/* 1 when the offer starts today with the neighbouring locality's worker (tier 2). */
static int offered_next_door(const scenario_ctx *x, const hw_d2a_offer *of) {
  return of->found && of->tier == 2 && of->start_date == FX_MONDAY && of->visits[0].worker_ids[0] == x->near_worker;
}

/* The request of call_discharge on the store of fill_room_only_next_door. A
 * successful call whose offer is not the neighbour's is an error: the sweep
 * would be of an offer inside Airdrie, and a fault that quietly turned the
 * offer into another one (a tier-2 load failure taken for "no room") would
 * pass as a success. */
static int call_discharge_next_door(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_discharge_result *res = calloc(1, sizeof *res);
  int rc = res ? request_discharge(x, svc, c, res) : HW_ENOMEM;
  if (rc == 0 && !offered_next_door(x, &res->offer)) rc = HW_EINTERNAL;
  free(res);
  return rc;
}

/* The offer accepted: the episode goes to the neighbour's team, the visits onto
 * their worker, and that worker's roster - of another locality - is rewritten. */
static int call_accept_next_door(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_discharge_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_discharge_accept(svc, c, x->discharge, res) : HW_ENOMEM;
  if (rc == 0 && !offered_next_door(x, &res->offer)) rc = HW_EINTERNAL;
  free(res);
  return rc;
}

/* The coordinator gives the afternoon visit to the other reablement worker. A
 * success must have moved it and re-placed a visit of theirs in its way too (a
 * repair change besides the move), or the sweep would miss the repair. */
static int call_reassign(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_visit_patch p = {.set_workers = 1, .worker_ids = {x->to_worker, 0}};
  hw_visit_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_visit_change(svc, c, x->visit, &p, res) : HW_ENOMEM;
  if (rc == 0 && (res->visit.worker_ids[0] != x->to_worker || res->repair.n_changes < 2)) rc = HW_EINTERNAL;
  free(res);
  return rc;
}

/* Off sick all of Tuesday. */
static int call_absence(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  hw_absence a = {.worker_id = x->worker, .from = hw_local_to_time(FX_TUESDAY, 0),
                  .to = hw_local_to_time(FX_TUESDAY, 23 * 60 + 59)};
  snprintf(a.reason, sizeof a.reason, "sickness");
  hw_absence_result *res = calloc(1, sizeof *res);
  int rc = res ? hw_service_absence(svc, c, &a, res) : HW_ENOMEM;
  free(res);
  return rc;
}

/* The weekly job that sizes the D2A reserve from the forecast, as the daemon's
 * timers run it on the writer (daemon/timers.c cron_task). */
static int call_size_reserve(const scenario_ctx *x, hw_service *svc, hw_change *c) {
  (void)x;
  hw_cron_report rep;
  return hw_cron_run(svc, HW_CRON_RESERVE, c->now, &rep);
}

static int run_referral(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x);
  return writer_batch(x, st, &scope, 9 * 60, call_referral);
}

static int run_discharge_request(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x); /* a discharge team's token: it owns what it creates */
  scope.owner = scope.creator = x->token;
  return writer_batch(x, st, &scope, 10 * 60, call_discharge);
}

static int run_discharge_next_door(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x);
  scope.owner = scope.creator = x->token;
  return writer_batch(x, st, &scope, 10 * 60, call_discharge_next_door);
}

static int run_accept_next_door(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x);
  scope.owner = scope.creator = x->token;
  return writer_batch(x, st, &scope, 10 * 60 + 5, call_accept_next_door);
}

static int run_reassignment(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x);
  return writer_batch(x, st, &scope, 11 * 60, call_reassign);
}

static int run_absence_repair(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  hw_scope scope = locality_scope(x);
  return writer_batch(x, st, &scope, 20 * 60, call_absence);
}

static int run_reserve_sizing(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  return writer_batch(x, st, NULL, 17 * 60, call_size_reserve);
}

/* A plan job for Tuesday, run on Monday evening on a handle of its own
 * (daemon/plans.c plan_work): its key, no scope, no errors wanted. */
static hw_change plan_change(void) {
  return (hw_change){.actor = ACTOR, .key = "plan-job-1", .now = hw_local_to_time(FX_MONDAY, 19 * 60)};
}

static int run_plan_visits(hw_store *st, void *ctx) {
  const scenario_ctx *x = ctx;
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_change c = plan_change();
  c.key = "plan-job-1-visits"; /* the key hw_service_plan_locality gives its first step */
  int32_t created = 0;
  int rc = hw_service_plan_visits(st, &set, &c, x->locality, FX_TUESDAY, &created);
  return rc == 0 && created == 0 ? HW_EINTERNAL : rc; /* the prepared day has visits to generate */
}

static int run_plan_publication(hw_store *st, void *ctx) {
  const scenario_ctx *x = ctx;
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_plan_params pp;
  plan_params(&pp);
  hw_change c = plan_change();
  hw_plan_report rep;
  char why[200] = "";
  int rc = hw_service_plan_locality(st, &set, x->locality, FX_TUESDAY, &pp, &c, &rep, why, sizeof why);
  if (rc == 0) hw_plan_report_free(&rep);
  return rc;
}

/* fill_room_only_next_door, and the request of the discharge team's token
 * offered there (by the service, as the writer would have). */
static void fill_offered_next_door(fixture *f, scenario_ctx *c) {
  fill_room_only_next_door(f, c);
  hw_scope scope = locality_scope(c);
  scope.owner = scope.creator = c->token;
  hw_change ch = fx_change(f, FX_MONDAY, 10 * 60);
  ch.scope = &scope;
  hw_discharge_result *res = calloc(1, sizeof *res);
  HW_CHECK(res != NULL);
  HW_CHECK_INT(request_discharge(c, fx_service(f), &ch, res), ==, 0);
  HW_CHECK(offered_next_door(c, &res->offer));
  c->discharge = res->discharge.id;
  free(res);
}

static void *prepare_offered_next_door(const char *path) { return prepare_fixture(path, fill_offered_next_door); }

#define WRITE_SCENARIO(label, prep, fn) \
  {.name = label, .prepare = prep, .run = fn, .release = release_ctx, .attach = attach_service, .detach = detach_service}

const fault_scenario fault_referral = WRITE_SCENARIO("referral", prepare_published_monday, run_referral);
const fault_scenario fault_discharge_request =
    WRITE_SCENARIO("discharge_request", prepare_published_monday, run_discharge_request);
const fault_scenario fault_absence_repair = WRITE_SCENARIO("absence_repair", prepare_published_tuesday, run_absence_repair);
const fault_scenario fault_reserve_sizing =
    WRITE_SCENARIO("reserve_sizing", prepare_discharge_history, run_reserve_sizing);
const fault_scenario fault_reassignment = WRITE_SCENARIO("reassignment", prepare_visit_to_reassign, run_reassignment);
const fault_scenario fault_discharge_next_door =
    WRITE_SCENARIO("discharge_next_door", prepare_room_only_next_door, run_discharge_next_door);
const fault_scenario fault_accept_next_door =
    WRITE_SCENARIO("accept_next_door", prepare_offered_next_door, run_accept_next_door);
/* A plan job keeps no service: it opens a handle of its own. */
const fault_scenario fault_plan_publication = {.name = "plan_publication", .prepare = prepare_care_plans,
                                               .run = run_plan_publication, .release = release_ctx,
                                               .first_change = run_plan_visits};

/* ---- The same writes as HTTP requests ------------------------------------------------ */

/* A JSON request to the daemon's handler for method and path, the way
 * daemon/server.c handles it without the socket: routed, the action filled
 * and the body parsed into it by the handler (hw_action_prepare, the loop
 * thread), then applied in the writer's batch (hw_action_apply: a change group,
 * the service call, the answer kept with the Idempotency-Key) and committed. */
static int daemon_request(scenario_ctx *x, hw_store *st, const hw_principal *who, int method, const char *path,
                          const char *body, int minute) {
  if (hw_service_store(x->svc) != st) return HW_EINTERNAL;
  hw_http_request req = {.method = method, .path = path, .query = "", .body = (char *)body,
                         .body_len = strlen(body)};
  snprintf(req.idempotency_key, sizeof req.idempotency_key, "%s", KEY);
  snprintf(req.content_type, sizeof req.content_type, "application/json");
  hw_route_match m;
  if (hw_router_match(hw_api_routes, hw_api_n_routes, req.method, path, &m) != 0) return HW_EINTERNAL;
  const hw_handler *h = m.route->handler;
  hw_exchange ex = {.store = st, .req = &req, .match = &m, .who = *who,
                    .settings = hw_service_get_settings(x->svc), .now = hw_local_to_time(FX_MONDAY, minute)};
  hw_action a;
  int rc = hw_action_prepare(&a, &ex, h, x->svc);
  if (rc == 0) {
    rc = hw_store_batch_begin(st);
    int job = rc ? rc : hw_action_apply(st, &a);
    if (rc == 0) rc = hw_store_batch_commit(st);
    if (rc) hw_store_batch_rollback(st);
    if (job || rc) hw_service_forget(x->svc);
    rc = job ? job : rc;
  }
  hw_action_release(&a);
  free(ex.body);
  return rc;
}

static hw_principal principal(const scenario_ctx *x, const char *name, hw_role role, hw_id token) {
  hw_principal p = {.role = role, .token_id = token, .scope = locality_scope(x)};
  snprintf(p.name, sizeof p.name, "%s", name);
  return p;
}

static int run_referral_http(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  char body[700];
  snprintf(body, sizeof body,
           "{\"client\":{\"locality_id\":%lld,\"name\":\"Jean Fault\",\"chi\":\"0101451237\",\"location\":{\"lat\":55.87,"
           "\"lon\":-3.98}},\"source\":\"hospital\",\"start_date\":\"2026-01-12\",\"care_plan\":{\"visits\":["
           "{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],\"window\":{\"start\":\"12:00\","
           "\"end\":\"14:00\"},\"duration\":30},{\"days\":[\"tue\"],\"window\":{\"start\":\"17:00\",\"end\":"
           "\"18:00\"},\"duration\":45,\"workers\":2}]}}",
           (long long)x->locality);
  hw_principal who = principal(x, ACTOR, HW_ROLE_COORDINATOR, 0);
  return daemon_request(x, st, &who, HTTP_POST, "/v1/referrals", body, 9 * 60);
}

static int run_discharge_http(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  char body[600];
  snprintf(body, sizeof body,
           "{\"client_id\":%lld,\"hospital\":\"University Hospital Monklands\",\"ward\":\"7\","
           "\"ready_at\":\"2026-01-12T10:00\",\"care_plan\":{\"visits\":[{\"days\":[\"mon\",\"tue\",\"wed\","
           "\"thu\",\"fri\",\"sat\",\"sun\"],\"window\":{\"start\":\"12:00\",\"end\":\"14:00\"},\"duration\":30}]}}",
           (long long)x->client);
  hw_principal who = principal(x, "monklands-discharge", HW_ROLE_DISCHARGE, x->token);
  who.scope.owner = who.scope.creator = x->token;
  return daemon_request(x, st, &who, HTTP_POST, "/v1/discharges", body, 10 * 60);
}

static int run_absence_http(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  char path[64];
  snprintf(path, sizeof path, "/v1/workers/%lld/absences", (long long)x->worker);
  hw_principal who = principal(x, ACTOR, HW_ROLE_COORDINATOR, 0);
  return daemon_request(x, st, &who, HTTP_POST, path,
                        "{\"from\":\"2026-01-13T00:00\",\"to\":\"2026-01-13T23:59\",\"reason\":\"sickness\"}",
                        20 * 60);
}

/* The same reassignment, the visit also left free to move again ("pinned":
 * false): a second change in the request's group, after the repair. */
static int run_reassignment_http(hw_store *st, void *ctx) {
  scenario_ctx *x = ctx;
  char path[64], body[64];
  snprintf(path, sizeof path, "/v1/visits/%lld", (long long)x->visit);
  snprintf(body, sizeof body, "{\"worker_ids\":[%lld],\"pinned\":false}", (long long)x->to_worker);
  hw_principal who = principal(x, ACTOR, HW_ROLE_COORDINATOR, 0);
  return daemon_request(x, st, &who, HTTP_PATCH, path, body, 11 * 60);
}

const fault_scenario fault_referral_http = WRITE_SCENARIO("referral_http", prepare_published_monday, run_referral_http);
const fault_scenario fault_discharge_http =
    WRITE_SCENARIO("discharge_http", prepare_published_monday, run_discharge_http);
const fault_scenario fault_absence_http = WRITE_SCENARIO("absence_http", prepare_published_tuesday, run_absence_http);
const fault_scenario fault_reassignment_http =
    WRITE_SCENARIO("reassignment_http", prepare_visit_to_reassign, run_reassignment_http);

/* ---- What a scenario does ---------------------------------------------------------- */

void fault_scenario_store(const fault_scenario *s, const char *path) {
  void *ctx = s->prepare(path);
  hw_store *st = fault_open_store(path);
  if (s->attach) HW_CHECK_INT(s->attach(st, ctx), ==, 0);
  HW_CHECK_INT(s->run(st, ctx), ==, 0);
  if (s->detach) s->detach(st, ctx);
  hw_store_close(st);
  if (s->release) s->release(ctx);
}

void fault_scenario_events(const fault_scenario *s, char *buf, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s", hw_test_path("events.db"));
  void *ctx = s->prepare(path);
  hw_store *st = fault_open_store(path);
  if (s->attach) HW_CHECK_INT(s->attach(st, ctx), ==, 0);
  int64_t last = hw_store_last_seq(st);
  HW_CHECK_INT(s->run(st, ctx), ==, 0);
  hw_event ev[16];
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(st, last, 16, ev, &n), ==, 0);
  size_t used = 0;
  buf[0] = '\0';
  for (int32_t i = 0; i < n && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", ev[i].type);
  hw_event_free_array(ev, n);
  if (s->detach) s->detach(st, ctx);
  hw_store_close(st);
  if (s->release) s->release(ctx);
}
