/*
 * Fault sweeps of the service operations (fault_scenarios.h): for each operation
 * and each kind of fault, every fault point (or an even spread of them, see
 * SWEEP_POINTS) must leave the store as before or as after - never half-stored -
 * and the handle working.
 */
#include "fault_scenarios.h"
#include "hw_test.h"

/* At most this many points per sweep in the suite; HW_FAULT_FULL=1 runs all. */
#define SWEEP_POINTS 240

/* Strict: a fault answered as the client's error (a 4xx) fails the sweep too. */
static void sweep(const fault_scenario *s, hw_fault_kind kind, unsigned flags) {
  fault_sweep_or_fail(s, kind, flags, SWEEP_POINTS, 1);
}

/* Each scenario does what its sweeps claim to cover: every event of the
 * operation, the repair or offer included. */
static void expect_events(const fault_scenario *s, const char *want) {
  char got[512];
  fault_scenario_events(s, got, sizeof got);
  HW_CHECK_STR(got, want);
}

HW_TEST(scenarios_make_every_change_they_sweep) {
  expect_events(&fault_referral, "referral.created roster.repaired");
  expect_events(&fault_discharge_request, "discharge.requested discharge.offered");
  expect_events(&fault_absence_repair, "absence.recorded roster.repaired");
  expect_events(&fault_plan_publication, "visit.generated roster.published");
  expect_events(&fault_reserve_sizing, "reserve.sized");
  expect_events(&fault_referral_http, "referral.created roster.repaired");
  expect_events(&fault_discharge_http, "discharge.requested discharge.offered");
  expect_events(&fault_absence_http, "absence.recorded roster.repaired");
  expect_events(&fault_reassignment, "roster.repaired");
  expect_events(&fault_reassignment_http, "roster.repaired visit.changed");
  expect_events(&fault_discharge_next_door, "discharge.requested discharge.offered");
  expect_events(&fault_accept_next_door, "discharge.accepted");
}

HW_TEST(referral_alloc) { sweep(&fault_referral, HW_FAULT_ALLOC, 0); }
HW_TEST(referral_sqlite_mem) { sweep(&fault_referral, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(referral_sqlite_io) { sweep(&fault_referral, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(discharge_request_alloc) { sweep(&fault_discharge_request, HW_FAULT_ALLOC, 0); }
HW_TEST(discharge_request_sqlite_mem) { sweep(&fault_discharge_request, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(discharge_request_sqlite_io) { sweep(&fault_discharge_request, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(discharge_request_disk_full) {
  sweep(&fault_discharge_request, HW_FAULT_SQLITE_IO, HW_FAULT_DISK_FULL | HW_FAULT_PERSISTENT);
}
HW_TEST(absence_repair_alloc) { sweep(&fault_absence_repair, HW_FAULT_ALLOC, 0); }
HW_TEST(absence_repair_sqlite_mem) { sweep(&fault_absence_repair, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(absence_repair_sqlite_io) { sweep(&fault_absence_repair, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(reassignment_alloc) { sweep(&fault_reassignment, HW_FAULT_ALLOC, 0); }
HW_TEST(reassignment_sqlite_mem) { sweep(&fault_reassignment, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(reassignment_sqlite_io) { sweep(&fault_reassignment, HW_FAULT_SQLITE_IO, 0); }
/* Tier 2: the neighbour's days loaded for the offer, its worker's roster
 * rewritten on acceptance. */
HW_TEST(discharge_next_door_alloc) { sweep(&fault_discharge_next_door, HW_FAULT_ALLOC, 0); }
HW_TEST(discharge_next_door_sqlite_mem) { sweep(&fault_discharge_next_door, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(discharge_next_door_sqlite_io) { sweep(&fault_discharge_next_door, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(accept_next_door_alloc) { sweep(&fault_accept_next_door, HW_FAULT_ALLOC, 0); }
HW_TEST(accept_next_door_sqlite_mem) { sweep(&fault_accept_next_door, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(accept_next_door_sqlite_io) { sweep(&fault_accept_next_door, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(reserve_sizing_alloc) { sweep(&fault_reserve_sizing, HW_FAULT_ALLOC, 0); }
HW_TEST(reserve_sizing_sqlite_mem) { sweep(&fault_reserve_sizing, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(reserve_sizing_sqlite_io) { sweep(&fault_reserve_sizing, HW_FAULT_SQLITE_IO, 0); }
/* The plan is two changes: a sweep must also reach failures after the first,
 * which leave it stored (midway) for the retry to find. */
static void sweep_plan(hw_fault_kind kind, unsigned flags) {
  fault_sweep w = {kind, flags, SWEEP_POINTS, 1};
  fault_report r;
  if (fault_run_sweep(&fault_plan_publication, &w, &r))
    hw_test_fail(__FILE__, __LINE__, "%lld of %lld points failed; first: %s", (long long)r.violations,
                 (long long)r.tried, r.first);
  HW_CHECK_INT(r.midway, >, 0);
}

HW_TEST(plan_publication_alloc) { sweep_plan(HW_FAULT_ALLOC, 0); }
HW_TEST(plan_publication_sqlite_mem) { sweep_plan(HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(plan_publication_sqlite_io) { sweep_plan(HW_FAULT_SQLITE_IO, 0); }
HW_TEST(plan_publication_disk_full) { sweep_plan(HW_FAULT_SQLITE_IO, HW_FAULT_DISK_FULL | HW_FAULT_PERSISTENT); }

/* The daemon's layer around the same writes: the body parsed, the answer made
 * and kept with the key. Allocation is where jansson's quirks live; SQLite
 * memory covers the reads the answers make. */
HW_TEST(referral_http_alloc) { sweep(&fault_referral_http, HW_FAULT_ALLOC, 0); }
HW_TEST(referral_http_sqlite_mem) { sweep(&fault_referral_http, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(discharge_http_alloc) { sweep(&fault_discharge_http, HW_FAULT_ALLOC, 0); }
HW_TEST(discharge_http_sqlite_mem) { sweep(&fault_discharge_http, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(absence_http_alloc) { sweep(&fault_absence_http, HW_FAULT_ALLOC, 0); }
HW_TEST(absence_http_sqlite_mem) { sweep(&fault_absence_http, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(reassignment_http_alloc) { sweep(&fault_reassignment_http, HW_FAULT_ALLOC, 0); }
HW_TEST(reassignment_http_sqlite_mem) { sweep(&fault_reassignment_http, HW_FAULT_SQLITE_MEM, 0); }
