/*
 * The D2A reserve in the simulation (hw_sim_options.reserve_minutes): out of
 * range is rejected; in the optimized service it reaches the nightly plan (the
 * slots are left unrostered, so the run changes) while the baseline service keeps
 * no reserve whatever the option says.
 */
#include "sim_fixture.h"

static char *report(hw_sim_policy policy, int32_t reserve, hw_sim_result *keep) {
  hw_sim_options o = sim_small(7, policy, 1);
  o.reserve_minutes = reserve;
  *keep = sim_run(&o);
  return sim_report_text(keep);
}

HW_TEST(reserve_out_of_range_rejected) {
  hw_sim_options o;
  hw_sim_options_init(&o);
  HW_CHECK_INT(o.reserve_minutes, ==, 60);
  hw_sim_result r;
  o.reserve_minutes = -1;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  o.reserve_minutes = 241;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
}

HW_TEST(reserve_changes_the_optimized_rosters_only) {
  hw_sim_result none, kept;
  char *a = report(HW_POLICY_OPTIMIZED, 0, &none), *b = report(HW_POLICY_OPTIMIZED, 180, &kept);
  /* Slots held out of the plan leave other visits unplaced. */
  HW_CHECK(kept.unallocated_visit_hours_week > none.unallocated_visit_hours_week);
  HW_CHECK_INT(kept.d2a_requests, ==, none.d2a_requests);
  hw_sim_result_free(&none);
  hw_sim_result_free(&kept);
  free(a);
  free(b);
  hw_sim_result b0, b1;
  a = report(HW_POLICY_BASELINE, 0, &b0);
  b = report(HW_POLICY_BASELINE, 180, &b1);
  HW_CHECK_STR(a, b);
  hw_sim_result_free(&b0);
  hw_sim_result_free(&b1);
  free(a);
  free(b);
}
