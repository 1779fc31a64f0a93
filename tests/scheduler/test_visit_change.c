/*
 * A coordinator reassigning a visit (PATCH /v1/visits/{id} with worker_ids): the
 * new worker must be of the visit's locality - a worker who does not exist or
 * works elsewhere is the request's error (400, nothing stored) - and the move
 * is pinned on the new worker's roster. A store failure while looking the
 * worker up is not the request's error: tests/fault's reassignment sweeps
 * check that.
 */
#include <stdlib.h>

#include "sched_fixture.h"

/* Client 0 on reablement, 15:00-17:00 daily from Monday; its Monday visit
 * rostered to the care worker at 15:00. */
static hw_visit afternoon_on_care_worker(fixture *f) {
  return fx_rostered_visit(f, f->clients[0], FX_MONDAY, HW_DATE_NONE, fx_template(15, 17, 30, 0), f->care_worker,
                           15 * 60);
}

/* A reablement worker of another locality, Coatbridge. */
static hw_id worker_elsewhere(fixture *f) {
  hw_locality l = {.population = 43000, .centre = fx_geo(55.8622, -4.0266), .radius_m = 4000};
  snprintf(l.name, sizeof l.name, "Coatbridge");
  HW_CHECK_INT(hw_store_insert_locality(f->st, &l), ==, 0);
  hw_team t = {.locality_id = l.id, .kind = HW_TEAM_REABLEMENT};
  snprintf(t.name, sizeof t.name, "Coatbridge Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(f->st, &t), ==, 0);
  return fx_worker(f, t.id, "Nadia Near", 0, 0x7f);
}

static int reassign(fixture *f, hw_id visit, hw_id worker, hw_visit_result *res) {
  hw_visit_patch p = {.set_workers = 1, .worker_ids = {worker, 0}};
  hw_change c = fx_change(f, FX_MONDAY, 11 * 60);
  return hw_service_visit_change(fx_service(f), &c, visit, &p, res);
}

HW_TEST(a_worker_unknown_or_of_another_locality_is_the_requests_error) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_visit v = afternoon_on_care_worker(&f);
  hw_id elsewhere = worker_elsewhere(&f);
  int64_t events = hw_store_event_count(f.st);
  hw_visit_result *res = calloc(1, sizeof *res);
  HW_CHECK_INT(reassign(&f, v.id, elsewhere + 100, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/worker_ids/0");
  HW_CHECK_INT(reassign(&f, v.id, elsewhere, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/worker_ids/0");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  hw_visit after;
  HW_CHECK_INT(hw_store_get_visit(f.st, v.id, &after), ==, 0);
  HW_CHECK_INT(after.worker_ids[0], ==, f.care_worker);
  free(res);
  fx_close(&f);
}

HW_TEST(a_visit_reassigned_in_its_locality_is_pinned_on_the_new_workers_roster) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_visit v = afternoon_on_care_worker(&f);
  hw_visit_result *res = calloc(1, sizeof *res);
  HW_CHECK_INT(reassign(&f, v.id, f.med_worker, res), ==, 0);
  HW_CHECK_INT(res->visit.worker_ids[0], ==, f.med_worker);
  HW_CHECK_INT(res->visit.planned_start, ==, v.planned_start);
  HW_CHECK_INT(res->visit.pinned, ==, 1);
  hw_roster_entry *e;
  int32_t n;
  HW_CHECK_INT(hw_store_get_roster(f.st, f.med_worker, FX_MONDAY, &e, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(e[0].visit_id, ==, v.id);
  free(e);
  HW_CHECK_INT(hw_store_get_roster(f.st, f.care_worker, FX_MONDAY, &e, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  free(e);
  free(res);
  fx_close(&f);
}
