/*
 * Publishing a plan solved from a snapshot (scheduler/service/plan_publish.c):
 * what changed while the plan was solving is not undone - a check-in stays, a
 * cancelled visit stays cancelled and off the rosters, a pinned visit keeps its
 * place and the plan's visit there gives way, a changed visit that no longer fits
 * gives way, a worker absent since the snapshot is not given visits - and a
 * re-plan that changes nothing writes nothing. In chunks, a publication stores
 * what one change would; between two, every visit is on the rosters its record
 * names, and a change made between them is not undone.
 */
#include <stdlib.h>

#include "hw_locday.h"
#include "hw_plan.h"
#include "hw_records.h"
#include "sched_fixture.h"

/* Four clients on the reablement team, each twice a day, all week from Monday. */
static void add_referrals(fixture *f) {
  for (int i = 0; i < 4; i++) {
    hw_referral r = {.client_id = f->clients[i], .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                     .status = HW_REFERRAL_ALLOCATED, .team_id = f->reablement_team,
                     .received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60), .start_date = FX_MONDAY,
                     .end_date = HW_DATE_NONE, .n_templates = 2};
    r.templates[0] = fx_template(9, 11, 30, 0);
    r.templates[1] = fx_template(15, 17, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  }
}

typedef struct planning {
  fixture f;
  hw_service_settings set;
  hw_plan_params pp;
  hw_plan_report rep;
} planning;

/* The fixture in database file name, publishing in chunks of about chunk. */
static void open_planning_named(planning *x, const char *name, int32_t chunk) {
  fx_open_named(&x->f, 0x7f, name);
  add_referrals(&x->f);
  hw_service_settings_init(&x->set);
  hw_plan_params_init(&x->pp);
  x->pp.time_limit_s = 0;
  x->pp.max_iterations = 300;
  x->pp.publish_chunk = chunk;
}

static void open_planning(planning *x) { open_planning_named(x, "sched.db", HW_PLAN_PUBLISH_CHUNK); }

/* Tuesday's visits stored (planned, unassigned), then a draft solved. */
static hw_plan_draft *draft_tuesday(planning *x) {
  char why[200] = "";
  int32_t created = 0;
  hw_change c = fx_change(&x->f, FX_MONDAY, 18 * 60);
  HW_CHECK_INT(hw_service_plan_visits(x->f.st, &x->set, &c, x->f.locality, FX_TUESDAY, &created), ==, 0);
  hw_plan_draft *d = NULL;
  HW_CHECK_INT(hw_service_plan_solve(x->f.st, &x->set, x->f.locality, FX_TUESDAY, &x->pp, c.now, &d, why, sizeof why),
               ==, 0);
  return d;
}

static void publish(planning *x, hw_plan_draft *d) {
  hw_change c = fx_change(&x->f, FX_MONDAY, 18 * 60 + 5);
  HW_CHECK_INT(hw_plan_publish(x->f.st, &c, d, &x->rep), ==, 0);
  hw_plan_draft_free(d);
}

static hw_visit visit(planning *x, hw_id id) {
  hw_visit v;
  HW_CHECK_INT(hw_store_get_visit(x->f.st, id, &v), ==, 0);
  return v;
}

static hw_visit first_visit(planning *x) {
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_store_list_visits(x->f.st, FX_TUESDAY, FX_TUESDAY, x->f.locality, &v, &n), ==, 0);
  HW_CHECK(n == 8);
  hw_visit first = v[0];
  free(v);
  return first;
}

/* Where visit id stands on its workers' rosters: how many roster lines name it. */
static int roster_lines(planning *x, hw_id id) {
  hw_id ws[3] = {x->f.med_worker, x->f.care_worker, x->f.mainstream_worker};
  int lines = 0;
  for (int k = 0; k < 3; k++) {
    hw_roster_entry *e;
    int32_t n;
    HW_CHECK_INT(hw_store_get_roster(x->f.st, ws[k], FX_TUESDAY, &e, &n), ==, 0);
    for (int32_t i = 0; i < n; i++) lines += e[i].visit_id == id;
    free(e);
  }
  return lines;
}

static const char *reported_reason(const hw_plan_report *r, hw_id id) {
  for (int32_t i = 0; i < r->n_unplaced; i++)
    if (r->unplaced[i].visit_id == id) return r->unplaced[i].reason;
  return "";
}

typedef struct edit {
  const hw_visit *v;
  hw_id locality;
} edit;

/* Store v as it is and rewrite the rosters of the locality's workers from the
 * visits, with the change's event: what a coordinator's edit or a repair stores. */
static int store_visit(hw_store *st, void *ctx, char **result) {
  (void)result;
  edit *e = ctx;
  hw_locday l;
  int rc = hw_store_update_visit(st, e->v);
  if (rc == 0) rc = hw_locday_load(st, e->locality, &l);
  if (rc) return rc;
  hw_id *ids = malloc(((size_t)l.n_workers + 1) * sizeof *ids);
  for (int32_t i = 0; ids && i < l.n_workers; i++) ids[i] = l.workers[i].id;
  hw_records rec;
  hw_records_init(&rec);
  rc = ids ? hw_locday_rewrite_rosters(&l, e->v->date, ids, l.n_workers, &rec) : HW_ENOMEM;
  hw_records_free(&rec);
  free(ids);
  hw_locday_free(&l);
  return rc;
}

static void change_behind_the_plan(planning *x, hw_visit *v) {
  hw_event ev = {.received_at = hw_local_to_time(FX_MONDAY, 18 * 60 + 1), .locality_id = x->f.locality,
                 .payload = "{}"};
  snprintf(ev.type, sizeof ev.type, "visit.changed");
  snprintf(ev.actor, sizeof ev.actor, "coordinator");
  hw_apply_result res;
  edit e = {v, x->f.locality};
  HW_CHECK_INT(hw_store_apply(x->f.st, &ev, store_visit, &e, &res), ==, 0);
  free(res.result);
}

HW_TEST(a_check_in_during_the_solve_is_not_undone) {
  planning x;
  open_planning(&x);
  publish(&x, draft_tuesday(&x));
  hw_plan_report_free(&x.rep);
  hw_plan_draft *d = draft_tuesday(&x); /* a re-plan, solving */
  hw_visit v = first_visit(&x);
  hw_visit_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&x.f, FX_TUESDAY, 9 * 60);
  HW_CHECK_INT(hw_service_check_in(fx_service(&x.f), &c, v.id, v.planned_start, res), ==, 0);
  publish(&x, d);
  hw_visit after = visit(&x, v.id);
  HW_CHECK_INT(after.status, ==, HW_VISIT_IN_PROGRESS);
  HW_CHECK_INT(after.check_in, ==, v.planned_start);
  HW_CHECK_INT(after.worker_ids[0], ==, v.worker_ids[0]);
  HW_CHECK_INT(roster_lines(&x, v.id), ==, 1);
  hw_plan_report_free(&x.rep);
  free(res);
  fx_close(&x.f);
}

HW_TEST(a_visit_cancelled_during_the_solve_stays_cancelled_and_off_the_rosters) {
  planning x;
  open_planning(&x);
  hw_plan_draft *d = draft_tuesday(&x); /* the first plan: it places every visit */
  hw_visit v = first_visit(&x);
  hw_visit_patch cancel = {.cancel = 1};
  hw_visit_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&x.f, FX_MONDAY, 18 * 60 + 2);
  HW_CHECK_INT(hw_service_visit_change(fx_service(&x.f), &c, v.id, &cancel, res), ==, 0);
  publish(&x, d);
  HW_CHECK_INT(visit(&x, v.id).status, ==, HW_VISIT_CANCELLED);
  HW_CHECK_INT(roster_lines(&x, v.id), ==, 0);
  HW_CHECK_INT(x.rep.visits, ==, 7);
  HW_CHECK_INT(x.rep.assigned, ==, 7);
  hw_plan_report_free(&x.rep);
  free(res);
  fx_close(&x.f);
}

/* A first plan pins visit A where it is; a re-plan is solving when visit B is put
 * on A's worker at A's time, pinned or not. */
static void clash_with_a_pin(planning *x, int pin_b, hw_visit *a, hw_visit *b) {
  publish(x, draft_tuesday(x));
  hw_plan_report_free(&x->rep);
  *a = first_visit(x);
  a->pinned = 1;
  change_behind_the_plan(x, a);
  hw_plan_draft *d = draft_tuesday(x);
  hw_visit *all;
  int32_t n;
  HW_CHECK_INT(hw_store_list_visits(x->f.st, FX_TUESDAY, FX_TUESDAY, x->f.locality, &all, &n), ==, 0);
  *b = all[n - 1]; /* an afternoon visit */
  free(all);
  HW_CHECK(b->id != a->id);
  b->worker_ids[0] = a->worker_ids[0];
  b->planned_start = a->planned_start;
  b->window_start = a->window_start;
  b->window_end = a->window_end;
  b->pinned = pin_b;
  change_behind_the_plan(x, b);
  publish(x, d);
}

HW_TEST(a_changed_visit_that_no_longer_fits_gives_way_to_the_plan) {
  planning x;
  open_planning(&x);
  hw_visit a, b;
  clash_with_a_pin(&x, 0, &a, &b);
  hw_visit a_after = visit(&x, a.id), b_after = visit(&x, b.id);
  HW_CHECK_INT(a_after.planned_start, ==, a.planned_start); /* the plan's (pinned) visit stays */
  HW_CHECK_INT(b_after.worker_ids[0], ==, 0);
  HW_CHECK_INT(b_after.status, ==, HW_VISIT_PLANNED);
  HW_CHECK_STR(b_after.unplaced_reason, "changed_during_plan");
  HW_CHECK_STR(reported_reason(&x.rep, b.id), "changed_during_plan");
  HW_CHECK_INT(roster_lines(&x, b.id), ==, 0);
  hw_plan_report_free(&x.rep);
  fx_close(&x.f);
}

HW_TEST(the_plans_visit_gives_way_to_a_visit_pinned_during_the_solve) {
  planning x;
  open_planning(&x);
  hw_visit a, b;
  clash_with_a_pin(&x, 1, &a, &b);
  hw_visit a_after = visit(&x, a.id), b_after = visit(&x, b.id);
  HW_CHECK_INT(b_after.planned_start, ==, a.planned_start); /* the coordinator's pin holds */
  HW_CHECK_INT(b_after.worker_ids[0], ==, a.worker_ids[0]);
  HW_CHECK_INT(roster_lines(&x, b.id), ==, 1);
  HW_CHECK_INT(a_after.worker_ids[0], ==, 0);
  HW_CHECK_STR(reported_reason(&x.rep, a.id), "changed_during_plan");
  hw_plan_report_free(&x.rep);
  fx_close(&x.f);
}

HW_TEST(a_worker_absent_since_the_snapshot_is_given_no_visits) {
  planning x;
  open_planning(&x);
  hw_plan_draft *d = draft_tuesday(&x);
  hw_absence ab = {.worker_id = x.f.care_worker, .from = hw_local_to_time(FX_TUESDAY, 0),
                   .to = hw_local_to_time(FX_TUESDAY + 1, 0)};
  snprintf(ab.reason, sizeof ab.reason, "sickness");
  hw_absence_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&x.f, FX_MONDAY, 18 * 60 + 2);
  HW_CHECK_INT(hw_service_absence(fx_service(&x.f), &c, &ab, res), ==, 0);
  publish(&x, d);
  hw_visit *v;
  int32_t n, gave_way = 0;
  HW_CHECK_INT(hw_store_list_visits(x.f.st, FX_TUESDAY, FX_TUESDAY, x.f.locality, &v, &n), ==, 0);
  for (int32_t i = 0; i < n; i++) {
    HW_CHECK(v[i].worker_ids[0] != x.f.care_worker);
    gave_way += strcmp(v[i].unplaced_reason, "changed_during_plan") == 0;
  }
  HW_CHECK(gave_way >= 1); /* the plan had used both reablement workers */
  free(v);
  hw_plan_report_free(&x.rep);
  free(res);
  fx_close(&x.f);
}

HW_TEST(a_replan_that_changes_nothing_writes_nothing) {
  planning x;
  open_planning(&x);
  publish(&x, draft_tuesday(&x));
  HW_CHECK_INT(x.rep.assigned, ==, 8);
  hw_plan_report_free(&x.rep);
  publish(&x, draft_tuesday(&x));
  HW_CHECK_INT(x.rep.assigned, ==, 8);
  hw_event *ev = calloc(1, sizeof *ev);
  int32_t got = 0;
  HW_CHECK_INT(hw_store_events_after(x.f.st, x.rep.event_seq - 1, 1, ev, &got), ==, 0);
  HW_CHECK_STR(ev->type, "roster.published");
  hw_records rec;
  hw_records_init(&rec);
  HW_CHECK_INT(hw_records_parse(ev->payload, &rec), ==, 0);
  HW_CHECK_INT(rec.n_visits, ==, 0);
  HW_CHECK_INT(rec.n_rosters, ==, 0);
  hw_records_free(&rec);
  hw_event_free_array(ev, got);
  free(ev);
  hw_plan_report_free(&x.rep);
  fx_close(&x.f);
}

/* ---- In chunks ------------------------------------------------------------------------ */

/* Publish d a step at a time (the day settled, then a chunk a step), each
 * committed on its own, calling between(x) after each but the last. Returns
 * how many steps. */
static int publish_in_chunks(planning *x, hw_plan_draft *d, void (*between)(planning *)) {
  hw_change c = fx_change(&x->f, FX_MONDAY, 18 * 60 + 5);
  int done = 0, steps = 0;
  while (!done && steps < 100) {
    HW_CHECK_INT(hw_plan_publish_step(x->f.st, &c, d, &x->rep, &done), ==, 0);
    steps++;
    if (!done && between) between(x);
  }
  HW_CHECK(done);
  hw_plan_draft_free(d);
  return steps;
}

static hw_visit *tuesday(planning *x, int32_t *n) {
  hw_visit *v;
  HW_CHECK_INT(hw_store_list_visits(x->f.st, FX_TUESDAY, FX_TUESDAY, x->f.locality, &v, n), ==, 0);
  return v;
}

static int workers_named(const hw_visit *v) {
  if (v->status == HW_VISIT_CANCELLED || v->status == HW_VISIT_MISSED || v->planned_start == HW_TIME_NONE) return 0;
  return (v->worker_ids[0] != 0) + (v->worker_ids[1] != 0);
}

static void same_roster(planning *a, planning *b, hw_id worker) {
  hw_roster_entry *ea, *eb;
  int32_t na, nb;
  HW_CHECK_INT(hw_store_get_roster(a->f.st, worker, FX_TUESDAY, &ea, &na), ==, 0);
  HW_CHECK_INT(hw_store_get_roster(b->f.st, worker, FX_TUESDAY, &eb, &nb), ==, 0);
  HW_CHECK_INT(na, ==, nb);
  for (int32_t i = 0; i < na && i < nb; i++) {
    HW_CHECK_INT(ea[i].visit_id, ==, eb[i].visit_id);
    HW_CHECK_INT(ea[i].planned_start, ==, eb[i].planned_start);
    HW_CHECK_INT(ea[i].travel_seconds, ==, eb[i].travel_seconds);
  }
  free(ea);
  free(eb);
}

HW_TEST(a_publication_in_chunks_stores_what_one_change_stores) {
  planning one, many;
  open_planning_named(&one, "one.db", HW_PLAN_PUBLISH_CHUNK);
  open_planning_named(&many, "many.db", 3); /* every worker used a chunk of their own */
  publish(&one, draft_tuesday(&one));
  int steps = publish_in_chunks(&many, draft_tuesday(&many), NULL);
  HW_CHECK_INT(one.rep.chunks, ==, 1);
  int chunks = many.rep.chunks;
  HW_CHECK_INT(chunks, ==, steps - 1); /* the first step settles the day, writing nothing */
  HW_CHECK(chunks >= 2);
  /* One roster.published event per chunk, the last the report's. */
  hw_event *ev = calloc((size_t)chunks, sizeof *ev);
  int32_t got = 0;
  HW_CHECK_INT(hw_store_events_after(many.f.st, many.rep.event_seq - chunks, chunks, ev, &got), ==, 0);
  HW_CHECK_INT(got, ==, chunks);
  for (int32_t i = 0; i < got; i++) HW_CHECK_STR(ev[i].type, "roster.published");
  hw_event_free_array(ev, got);
  free(ev);
  int32_t n1, n2;
  hw_visit *v1 = tuesday(&one, &n1), *v2 = tuesday(&many, &n2);
  HW_CHECK_INT(n1, ==, n2);
  for (int32_t i = 0; i < n1 && i < n2; i++) {
    HW_CHECK_INT(v1[i].id, ==, v2[i].id);
    HW_CHECK_INT(v1[i].worker_ids[0], ==, v2[i].worker_ids[0]);
    HW_CHECK_INT(v1[i].planned_start, ==, v2[i].planned_start);
    HW_CHECK_INT(v1[i].status, ==, v2[i].status);
  }
  same_roster(&one, &many, one.f.med_worker);
  same_roster(&one, &many, one.f.care_worker);
  same_roster(&one, &many, one.f.mainstream_worker);
  HW_CHECK_INT(many.rep.assigned, ==, one.rep.assigned);
  HW_CHECK_INT(many.rep.n_unplaced, ==, one.rep.n_unplaced);
  HW_CHECK_INT(many.rep.workers_used, ==, one.rep.workers_used);
  HW_CHECK_INT(many.rep.travel_seconds, ==, one.rep.travel_seconds);
  HW_CHECK_INT(many.rep.visits_written, ==, one.rep.visits_written);
  HW_CHECK_INT(many.rep.rosters_written, ==, one.rep.rosters_written);
  HW_CHECK(many.rep.publish_max_ms <= many.rep.publish_ms);
  free(v1);
  free(v2);
  hw_plan_report_free(&one.rep);
  hw_plan_report_free(&many.rep);
  fx_close(&one.f);
  fx_close(&many.f);
}

static int checks_between;

static void every_visit_on_its_rosters(planning *x) {
  int32_t n;
  hw_visit *v = tuesday(x, &n);
  for (int32_t i = 0; i < n; i++) HW_CHECK_INT(roster_lines(x, v[i].id), ==, workers_named(&v[i]));
  free(v);
  checks_between++;
}

HW_TEST(between_chunks_every_visit_is_on_the_rosters_its_record_names) {
  planning x;
  open_planning_named(&x, "sched.db", 3);
  checks_between = 0;
  int steps = publish_in_chunks(&x, draft_tuesday(&x), every_visit_on_its_rosters); /* the first plan */
  HW_CHECK_INT(checks_between, ==, steps - 1);
  HW_CHECK(x.rep.chunks >= 2);
  hw_plan_report_free(&x.rep);
  /* A re-plan from a day moved about: each visit put on another worker, so the
   * re-plan moves visits between workers (whose groups then join). */
  int32_t n;
  hw_visit *v = tuesday(&x, &n);
  hw_id ws[3] = {x.f.med_worker, x.f.care_worker, x.f.mainstream_worker};
  for (int32_t i = 0; i < n; i++) {
    if (!workers_named(&v[i])) continue;
    for (int k = 0; k < 3; k++)
      if (ws[k] == v[i].worker_ids[0]) {
        v[i].worker_ids[0] = ws[(k + 1) % 3];
        break;
      }
    v[i].planned_start = v[i].window_start + (hw_time)(i % 4) * 1800;
    change_behind_the_plan(&x, &v[i]);
  }
  free(v);
  checks_between = 0;
  every_visit_on_its_rosters(&x);
  steps = publish_in_chunks(&x, draft_tuesday(&x), every_visit_on_its_rosters);
  HW_CHECK_INT(checks_between, ==, steps); /* before, and after every step but the last */
  every_visit_on_its_rosters(&x);
  HW_CHECK(x.rep.visits_written > 0);
  hw_plan_report_free(&x.rep);
  fx_close(&x.f);
}

static hw_id cancelled_between;

/* Cancel a visit the plan has not yet published (still on no roster). */
static void cancel_one_not_yet_published(planning *x) {
  if (cancelled_between) return;
  int32_t n;
  hw_visit *v = tuesday(x, &n);
  for (int32_t i = 0; i < n && !cancelled_between; i++)
    if (!workers_named(&v[i])) {
      hw_visit_patch cancel = {.cancel = 1};
      hw_visit_result *res = calloc(1, sizeof *res);
      hw_change c = fx_change(&x->f, FX_MONDAY, 18 * 60 + 6);
      HW_CHECK_INT(hw_service_visit_change(fx_service(&x->f), &c, v[i].id, &cancel, res), ==, 0);
      free(res);
      cancelled_between = v[i].id;
    }
  free(v);
}

HW_TEST(a_visit_cancelled_between_chunks_stays_cancelled_and_off_the_rosters) {
  planning x;
  open_planning_named(&x, "sched.db", 3);
  cancelled_between = 0;
  publish_in_chunks(&x, draft_tuesday(&x), cancel_one_not_yet_published); /* the first plan */
  HW_CHECK(cancelled_between != 0);
  HW_CHECK_INT(visit(&x, cancelled_between).status, ==, HW_VISIT_CANCELLED);
  HW_CHECK_INT(roster_lines(&x, cancelled_between), ==, 0);
  HW_CHECK_INT(x.rep.visits, ==, 7);
  HW_CHECK_INT(x.rep.assigned, ==, 7);
  hw_plan_report_free(&x.rep);
  fx_close(&x.f);
}
