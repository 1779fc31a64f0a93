/*
 * Fault sweeps of the service operations (fault_scenarios.h): for each operation
 * and each kind of fault, every fault point (or an even spread of them, see
 * SWEEP_POINTS) must leave the store as before or as after - never half-stored -
 * and the handle working.
 */
#include "fault_scenarios.h"
#include "hw_test.h"

/* At most this many points per sweep in the suite; HW_FAULT_FULL=1 runs all. */
#define SWEEP_POINTS 400

/* Not strict: the scheduler's misreported errors are counted, not failed. */
static void sweep(const fault_scenario *s, hw_fault_kind kind, unsigned flags) {
  fault_sweep_or_fail(s, kind, flags, SWEEP_POINTS, 0);
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
HW_TEST(plan_publication_alloc) { sweep(&fault_plan_publication, HW_FAULT_ALLOC, 0); }
HW_TEST(plan_publication_sqlite_mem) { sweep(&fault_plan_publication, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(plan_publication_sqlite_io) { sweep(&fault_plan_publication, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(plan_publication_disk_full) {
  sweep(&fault_plan_publication, HW_FAULT_SQLITE_IO, HW_FAULT_DISK_FULL | HW_FAULT_PERSISTENT);
}
