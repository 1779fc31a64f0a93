/*
 * A small partnership in a fresh store for the scheduler's tests: one locality
 * (Airdrie), a reablement team with two workers (one medication-trained), a
 * mainstream team with one worker, and four clients a few streets apart.
 * Everything happens in the week of Monday 12 January 2026 (GMT).
 */
#ifndef SCHED_FIXTURE_H
#define SCHED_FIXTURE_H

#include "hw_error.h"
#include "hw_service.h"
#include "hw_store.h"
#include "hw_test.h"

#define FX_MONDAY hw_date_from_ymd(2026, 1, 12)
#define FX_TUESDAY (FX_MONDAY + 1)

typedef struct fixture {
  hw_store *st;
  hw_id locality, reablement_team, mainstream_team;
  hw_id med_worker, care_worker, mainstream_worker;
  hw_id clients[4];
  hw_service *svc;             /* fx_service: the service on st */
  hw_errors errs;              /* fx_change's rejection reasons */
} fixture;

static inline hw_geo fx_geo(double lat, double lon) {
  return (hw_geo){(int32_t)(lat * 1e6), (int32_t)(lon * 1e6)};
}

/* A worker on 08:00-20:00 every day whose bit is set in days (bit 0 = Monday). */
static inline hw_id fx_worker(fixture *f, hw_id team, const char *name, int medication, uint8_t days) {
  hw_worker w = {0};
  w.team_id = team;
  snprintf(w.name, sizeof w.name, "%s", name);
  w.base = fx_geo(55.8663, -3.9806);
  w.travel = HW_TRAVEL_DRIVE;
  w.contracted_minutes = 37 * 60;
  w.active = 1;
  w.n_skills = 1;
  w.skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
  if (medication) w.skills[w.n_skills++] = (hw_worker_skill){HW_SKILL_MEDICATION, HW_DATE_NONE};
  for (int d = 0; d < 7; d++)
    if (days & (1u << d)) w.shifts[w.n_shifts++] = (hw_shift){(uint8_t)d, {8 * 60, 20 * 60}, {0, 0}, 0};
  HW_CHECK_INT(hw_store_insert_worker(f->st, &w), ==, 0);
  return w.id;
}

/* The fixture in the test's database file name (a test may open two). */
static inline void fx_open_named(fixture *f, uint8_t med_worker_days, const char *name) {
  memset(f, 0, sizeof *f);
  hw_store_options o;
  hw_store_options_init(&o);
  o.sync = HW_SYNC_OFF;
  char msg[200];
  HW_CHECK_INT(hw_store_open(hw_test_path(name), &o, &f->st, msg, sizeof msg), ==, 0);
  hw_locality l = {0};
  snprintf(l.name, sizeof l.name, "Airdrie");
  l.population = 57576;
  l.centre = fx_geo(55.8663, -3.9806);
  l.radius_m = 4000;
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  f->locality = l.id;
  hw_team t = {0};
  t.locality_id = l.id;
  t.kind = HW_TEAM_REABLEMENT;
  snprintf(t.name, sizeof t.name, "Airdrie Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  f->reablement_team = t.id;
  t.id = 0;
  t.kind = HW_TEAM_MAINSTREAM;
  snprintf(t.name, sizeof t.name, "Airdrie Mainstream 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  f->mainstream_team = t.id;
  f->med_worker = fx_worker(f, f->reablement_team, "Morag Med", 1, med_worker_days);
  f->care_worker = fx_worker(f, f->reablement_team, "Callum Care", 0, 0x7f);
  f->mainstream_worker = fx_worker(f, f->mainstream_team, "Mhairi Main", 0, 0x7f);
  for (int i = 0; i < 4; i++) {
    hw_client c = {0};
    c.locality_id = l.id;
    snprintf(c.name, sizeof c.name, "Client %d", i + 1);
    c.location = fx_geo(55.8663 + 0.004 * i, -3.9806 + 0.003 * i);
    HW_CHECK_INT(hw_store_insert_client(f->st, &c), ==, 0);
    f->clients[i] = c.id;
  }
}

static inline void fx_open(fixture *f, uint8_t med_worker_days) { fx_open_named(f, med_worker_days, "sched.db"); }

static inline hw_visit_template fx_template(int start_h, int end_h, int minutes, int medication) {
  hw_visit_template t = {0};
  t.weekdays = 0x7f;
  t.window.start = (int16_t)(start_h * 60);
  t.window.end = (int16_t)(end_h * 60);
  t.duration = (int16_t)minutes;
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  t.workers = 1;
  t.medication = (uint8_t)medication;
  t.prescribed_minute = (int16_t)((start_h * 60 + end_h * 60) / 2);
  return t;
}

/* The service on the fixture's store (default settings), made once. */
static inline hw_service *fx_service(fixture *f) {
  if (!f->svc) {
    hw_service_settings s;
    hw_service_settings_init(&s);
    f->svc = hw_service_new(f->st, &s);
    HW_CHECK(f->svc != NULL);
  }
  return f->svc;
}

/* A change by a coordinator of every locality at local minute `minute` of day. */
static inline hw_change fx_change(fixture *f, hw_date day, int minute) {
  hw_errors_init(&f->errs);
  return (hw_change){.scope = NULL, .actor = "coordinator", .key = "", .now = hw_local_to_time(day, minute),
                     .errs = &f->errs};
}

/* A referral of client (created at 07:00 on Monday) with the one visit template
 * t from day to end_day, and its visit of `day` put on worker's roster at local
 * minute `at`: that visit. */
static inline hw_visit fx_rostered_visit(fixture *f, hw_id client, hw_date day, hw_date end_day,
                                         hw_visit_template t, hw_id worker, int at) {
  hw_referral r = {.client_id = client, .source = HW_SOURCE_COMMUNITY, .start_date = day, .end_date = end_day,
                   .earliest = HW_DATE_NONE, .n_templates = 1};
  r.templates[0] = t;
  hw_referral_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(f, FX_MONDAY, 7 * 60);
  HW_CHECK_INT(hw_service_referral_create(fx_service(f), &c, &r, NULL, res), ==, 0);
  free(res);
  hw_visit *vs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_client_visits(f->st, client, day, day, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  hw_visit v = vs[0];
  free(vs);
  v.worker_ids[0] = worker;
  v.planned_start = hw_local_to_time(day, at);
  v.status = HW_VISIT_ASSIGNED;
  HW_CHECK_INT(hw_store_update_visit(f->st, &v), ==, 0);
  hw_roster_entry e = {worker, day, 0, v.id, v.planned_start, 0};
  HW_CHECK_INT(hw_store_put_roster(f->st, worker, day, &e, 1), ==, 0);
  return v;
}

static inline void fx_close(fixture *f) {
  hw_service_free(f->svc);
  f->svc = NULL;
  hw_store_close(f->st);
}

#endif
