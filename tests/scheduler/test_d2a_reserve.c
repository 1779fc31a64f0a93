/*
 * The D2A reserve (hw_d2a_reserve_holds in scheduler/hw_d2a.h): reablement worker
 * time kept unrostered at the morning, tea and bedtime peaks. The holds land on
 * workers on shift for the whole slot, clear of absences; a day built with them
 * (as the simulation's construction and planning do) leaves the slot free, and the
 * D2A offer, which loads the rosters without them, places a discharge there. The
 * same day built without the reserve is full and the offer misses today.
 * Planning with reserve_minutes leaves the slots free in published rosters.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_d2a.h"
#include "hw_error.h"
#include "hw_plan.h"
#include "hw_solver.h"
#include "hw_locday.h"
#include "sched_fixture.h"

#define RS_TUESDAY hw_date_from_ymd(2026, 1, 13)
#define RS_HOME ((hw_geo){55866300, -3980600})

static hw_time at(int minute) { return hw_local_to_time(RS_TUESDAY, minute); }

/* A team-1 worker on shift on Tuesdays in the given pieces, personal care. */
static hw_worker rs_worker(hw_id id, int n_pieces, const hw_minute_window *pieces) {
  hw_worker w = {0};
  w.id = id;
  w.team_id = 1;
  w.base = RS_HOME;
  w.travel = HW_TRAVEL_DRIVE;
  w.contracted_minutes = 20 * 60;
  w.active = 1;
  w.n_skills = 1;
  w.skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
  for (int k = 0; k < n_pieces; k++)
    w.shifts[w.n_shifts++] = (hw_shift){(uint8_t)hw_date_weekday(RS_TUESDAY), pieces[k], {0, 0}, 0};
  return w;
}

/* The configuration's fixed reserve (morning, tea and bedtime) as holds. */
static int fixed_holds(int32_t minutes, const hw_worker *w, int32_t n_w, const hw_absence *abs, int32_t n_abs,
                       hw_date date, hw_absence *out, int32_t cap) {
  int32_t per_peak[HW_D2A_RESERVE_PEAKS];
  hw_d2a_reserve_fixed(minutes, per_peak);
  return hw_d2a_reserve_holds(per_peak, w, n_w, abs, n_abs, date, out, cap);
}

HW_TEST(reserve_holds_a_slot_at_each_peak_on_workers_on_shift) {
  const hw_minute_window split[2] = {{7 * 60, 11 * 60}, {16 * 60, 22 * 60}}, evening = {16 * 60, 22 * 60};
  hw_worker w[2] = {rs_worker(1, 2, split), rs_worker(2, 1, &evening)};
  hw_absence out[16];
  int n = fixed_holds(60, w, 2, NULL, 0, RS_TUESDAY, out, 16);
  HW_CHECK_INT(n, ==, 3);
  HW_CHECK_INT(out[0].worker_id, ==, 1); /* only worker 1 is on in the morning */
  HW_CHECK_INT(out[0].from, ==, at(8 * 60));
  HW_CHECK_INT(out[0].to, ==, at(9 * 60));
  HW_CHECK_INT(out[1].from, ==, at(16 * 60 + 30));
  HW_CHECK_INT(out[2].from, ==, at(20 * 60));
  HW_CHECK_STR(out[2].reason, "d2a_reserve");
  /* Two hours a peak: both evening workers hold one slot each; the morning has one. */
  n = fixed_holds(120, w, 2, NULL, 0, RS_TUESDAY, out, 16);
  HW_CHECK_INT(n, ==, 5);
  HW_CHECK(out[1].worker_id != out[2].worker_id);
  /* Worker 1 off sick in the morning: no morning slot. */
  hw_absence sick = {.id = 1, .worker_id = 1, .from = at(7 * 60), .to = at(12 * 60)};
  n = fixed_holds(60, w, 2, &sick, 1, RS_TUESDAY, out, 16);
  HW_CHECK_INT(n, ==, 2);
  for (int i = 0; i < n; i++) HW_CHECK(out[i].from >= at(16 * 60));
  HW_CHECK_INT(fixed_holds(0, w, 2, NULL, 0, RS_TUESDAY, out, 16), ==, 0);
  HW_CHECK_INT(fixed_holds(-1, w, 2, NULL, 0, RS_TUESDAY, out, 16), ==, HW_EINVAL);
  HW_CHECK_INT(fixed_holds(60, w, 2, NULL, 0, RS_TUESDAY, out, 1), ==, 1); /* never past cap */
  /* A forecast may hold at lunch too, each peak its own amount. */
  const hw_minute_window day = {7 * 60, 22 * 60};
  hw_worker all_day = rs_worker(3, 1, &day);
  int32_t per_peak[HW_D2A_RESERVE_PEAKS] = {0, 45, 0, 30};
  n = hw_d2a_reserve_holds(per_peak, &all_day, 1, NULL, 0, RS_TUESDAY, out, 16);
  HW_CHECK_INT(n, ==, 2);
  HW_CHECK_INT(out[0].from, ==, at(12 * 60 + 30 - 22));
  HW_CHECK_INT(out[0].to - out[0].from, ==, 45 * 60);
  HW_CHECK_INT(out[1].to - out[1].from, ==, 30 * 60);
  per_peak[1] = 241;
  HW_CHECK_INT(hw_d2a_reserve_holds(per_peak, &all_day, 1, NULL, 0, RS_TUESDAY, out, 16), ==, HW_EINVAL);
}

/* One worker on 16:00-18:00 and four half-hour tea calls of client 1 (same
 * address, so no travel): exactly the shift's time. */
typedef struct rs_day {
  hw_worker worker;
  hw_client clients[2];
  hw_visit visits[4];
} rs_day;

static void rs_init(rs_day *d) {
  memset(d, 0, sizeof *d);
  const hw_minute_window tea = {16 * 60, 18 * 60};
  d->worker = rs_worker(1, 1, &tea);
  for (int i = 0; i < 2; i++) d->clients[i] = (hw_client){.id = i + 1, .locality_id = 1, .location = RS_HOME};
  for (int i = 0; i < 4; i++)
    d->visits[i] = (hw_visit){.id = i + 1, .client_id = 1, .date = RS_TUESDAY, .window_start = at(16 * 60),
                              .window_end = at(17 * 60 + 30), .duration = 30,
                              .skills = 1u << HW_SKILL_PERSONAL_CARE, .workers = 1, .priority = 50,
                              .status = HW_VISIT_PLANNED, .planned_start = HW_TIME_NONE,
                              .check_in = HW_TIME_NONE, .check_out = HW_TIME_NONE};
}

/* Build the day's rosters by insertion, as the simulation does, with the given
 * absences (the reserve holds or none); placed visits get worker and start. */
static void rs_construct(rs_day *d, const hw_absence *holds, int32_t n_holds) {
  hw_day_input in = {.date = RS_TUESDAY, .workers = &d->worker, .n_workers = 1, .absences = holds,
                     .n_absences = n_holds, .clients = d->clients, .n_clients = 2, .visits = d->visits,
                     .n_visits = 4, .pin_mode = HW_DAY_PIN_ASSIGNED};
  hw_day_problem dp;
  char msg[160];
  HW_CHECK_INT(hw_day_build(&in, &dp, msg, sizeof msg), ==, 0);
  hw_solution s;
  hw_solution_init(&s);
  HW_CHECK_INT(hw_day_current_solution(&dp, &s), ==, 0);
  int32_t jobs[4];
  for (int i = 0; i < 4; i++) jobs[i] = dp.visit_job[i];
  HW_CHECK(hw_insert_jobs(&dp.p, &s, jobs, 4) >= 0);
  for (int i = 0; i < 4; i++) {
    int32_t r;
    hw_tick t;
    if (!hw_day_job_placement(&s, jobs[i], 0, &r, &t)) continue;
    d->visits[i].worker_ids[0] = d->worker.id;
    d->visits[i].planned_start = dp.day0 + t;
    d->visits[i].status = HW_VISIT_ASSIGNED;
  }
  hw_solution_free(&s);
  hw_day_free(&dp);
}

/* The offer's source: the constructed rosters, without the reserve. */
static int rs_load(void *user, hw_date date, int tier, hw_day_input *in) {
  (void)tier;
  rs_day *d = user;
  *in = (hw_day_input){.date = date, .workers = &d->worker, .n_workers = 1, .clients = d->clients, .n_clients = 2,
                       .visits = d->visits, .n_visits = 4, .pin_mode = HW_DAY_PIN_ASSIGNED};
  return 0;
}

static void rs_release(void *user, hw_day_input *in) {
  (void)user;
  (void)in;
}

static int rs_offer(rs_day *d, hw_d2a_offer *offer) {
  hw_d2a_options o;
  hw_d2a_options_init(&o);
  o.first_days = 1;
  o.max_days = 1;
  o.later_start = o.retime = o.widen_minutes = 0;
  hw_visit_template t = {.weekdays = 0x7f, .window = {16 * 60, 17 * 60 + 30}, .duration = 30,
                         .skills = 1u << HW_SKILL_PERSONAL_CARE, .workers = 1};
  hw_day_source src = {rs_load, rs_release, d, 1};
  return hw_d2a_find(&o, &src, &d->clients[1], &t, 1, at(13 * 60), at(13 * 60), offer);
}

HW_TEST(planning_leaves_the_reserve_free_and_an_offer_uses_it) {
  rs_day d;
  rs_init(&d);
  hw_absence holds[4];
  int n = fixed_holds(60, &d.worker, 1, NULL, 0, RS_TUESDAY, holds, 4);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(holds[0].from, ==, at(16 * 60 + 30));
  rs_construct(&d, holds, n);
  int placed = 0;
  for (int i = 0; i < 4; i++) {
    if (d.visits[i].status != HW_VISIT_ASSIGNED) continue;
    placed++;
    hw_time s = d.visits[i].planned_start, e = s + 30 * 60;
    HW_CHECK(e <= holds[0].from || s >= holds[0].to); /* nothing rostered in the reserve */
  }
  HW_CHECK_INT(placed, ==, 2);
  hw_d2a_offer offer;
  HW_CHECK_INT(rs_offer(&d, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.start_date, ==, RS_TUESDAY);
  HW_CHECK(offer.first_visit >= holds[0].from && offer.first_visit + 30 * 60 <= holds[0].to);
}

HW_TEST(without_the_reserve_the_day_is_full_and_the_offer_misses_today) {
  rs_day d;
  rs_init(&d);
  rs_construct(&d, NULL, 0);
  for (int i = 0; i < 4; i++) HW_CHECK_INT(d.visits[i].status, ==, HW_VISIT_ASSIGNED);
  hw_d2a_offer offer;
  HW_CHECK_INT(rs_offer(&d, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  HW_CHECK_INT(offer.miss, ==, HW_D2A_MISS_GAP_TODAY);
}

HW_TEST(bad_reserve_rejected) {
  rs_day d;
  rs_init(&d);
  hw_d2a_options o;
  hw_d2a_options_init(&o);
  o.reserve_minutes = HW_D2A_RESERVE_MAX + 1;
  hw_visit_template t = {.weekdays = 0x7f, .window = {16 * 60, 17 * 60}, .duration = 30,
                         .skills = 1u << HW_SKILL_PERSONAL_CARE, .workers = 1};
  hw_day_source src = {rs_load, rs_release, &d, 1};
  hw_d2a_offer offer;
  HW_CHECK_INT(hw_d2a_find(&o, &src, &d.clients[1], &t, 1, at(13 * 60), at(13 * 60), &offer), ==, HW_EINVAL);
}

HW_TEST(plan_day_publishes_rosters_with_the_reserve_free) {
  fixture f;
  fx_open(&f, 0x7f);
  for (int i = 0; i < 4; i++) { /* four reablement clients at breakfast and tea */
    hw_referral r = {.client_id = f.clients[i], .source = HW_SOURCE_COMMUNITY, .pathway = HW_PATHWAY_REABLEMENT,
                     .status = HW_REFERRAL_ALLOCATED, .team_id = f.reablement_team, .start_date = FX_MONDAY,
                     .end_date = HW_DATE_NONE, .n_templates = 2};
    r.received_at = hw_local_to_time(FX_MONDAY - 3, 9 * 60);
    r.templates[0] = fx_template(8, 9, 45, 0);
    r.templates[1] = fx_template(16, 17, 45, 0);
    HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
  }
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = 0;
  pp.max_iterations = 200;
  hw_plan_report rep;
  char why[200] = "";
  hw_service_settings set;
  hw_service_settings_init(&set);
  set.d2a.reserve_minutes = 60; /* the service plans with the configuration's reserve */
  hw_change c = fx_change(&f, FX_MONDAY, 19 * 60);
  HW_CHECK_INT(hw_service_plan_locality(f.st, &set, f.locality, FX_TUESDAY, &pp, &c, &rep, why, sizeof why), ==, 0);
  hw_plan_report_free(&rep);
  /* The holds planning used: the reablement workers' slots at 08:00 and 16:30. */
  hw_locday l;
  HW_CHECK_INT(hw_locday_load(f.st, f.locality, &l), ==, 0);
  hw_worker reab[8];
  int32_t n_reab = 0;
  for (int32_t i = 0; i < l.n_workers && n_reab < 8; i++)
    if (l.workers[i].team_id == f.reablement_team) reab[n_reab++] = l.workers[i];
  hw_absence holds[8];
  int n_holds = fixed_holds(60, reab, n_reab, NULL, 0, FX_TUESDAY, holds, 8);
  HW_CHECK_INT(n_holds, ==, 2); /* bedtime is after the 20:00 shift end */
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_store_list_visits(f.st, FX_TUESDAY, FX_TUESDAY, f.locality, &v, &n), ==, 0);
  int32_t assigned = 0;
  for (int32_t i = 0; i < n; i++) {
    if (v[i].status != HW_VISIT_ASSIGNED) continue;
    assigned++;
    hw_time s = v[i].planned_start, e = s + (hw_time)v[i].duration * 60;
    for (int h = 0; h < n_holds; h++)
      if (v[i].worker_ids[0] == holds[h].worker_id) HW_CHECK(e <= holds[h].from || s >= holds[h].to);
  }
  HW_CHECK(assigned > 0);
  free(v);
  hw_locday_free(&l);
  fx_close(&f);
}
