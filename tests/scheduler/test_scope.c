/*
 * Scope in the service itself, not only in the daemon's role masks: a worker's
 * own token reads its own worker record and roster and nothing of the
 * partnership's lists or figures.
 */
#include <stdlib.h>

#include "sched_fixture.h"

HW_TEST(a_worker_scope_reads_only_its_own_day) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_scope me = {.all = 0, .worker = f.care_worker, .n = 1, .localities = {f.locality}};
  hw_worker w;
  HW_CHECK_INT(hw_service_get_worker(f.st, &me, f.care_worker, &w), ==, 0);
  HW_CHECK_INT(hw_service_get_worker(f.st, &me, f.med_worker, &w), ==, HW_EFORBIDDEN);
  hw_roster_view *views = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_service_rosters(f.st, &me, FX_MONDAY, 0, f.med_worker, &views, &n), ==, HW_EFORBIDDEN);
  HW_CHECK_INT(hw_service_rosters(f.st, &me, FX_MONDAY, f.locality, 0, &views, &n), ==, 0);
  for (int32_t i = 0; i < n; i++) HW_CHECK_INT(views[i].worker.id, ==, f.care_worker);
  hw_roster_views_free(views, n);
  hw_client *cs = NULL;
  HW_CHECK_INT(hw_service_clients(f.st, &me, 0, &cs, &n), ==, HW_EFORBIDDEN);
  hw_worker *ws = NULL;
  HW_CHECK_INT(hw_service_workers(f.st, &me, f.locality, &ws, &n), ==, HW_EFORBIDDEN);
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_service_outcomes(f.st, &me, FX_MONDAY, FX_MONDAY + 6, 0, &o), ==, HW_EFORBIDDEN);
  /* The same reads with the locality's coordinator scope succeed. */
  hw_scope coord = {.all = 0, .n = 1, .localities = {f.locality}};
  HW_CHECK_INT(hw_service_clients(f.st, &coord, 0, &cs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 4);
  free(cs);
  HW_CHECK_INT(hw_service_outcomes(f.st, &coord, FX_MONDAY, FX_MONDAY + 6, 0, &o), ==, 0);
  hw_outcomes_free(&o);
  fx_close(&f);
}
