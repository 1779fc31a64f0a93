/*
 * The D2A reserve in the outcome simulation (hw_sim_options.reserve_minutes): out
 * of range is rejected, it changes the optimized run (construction leaves the
 * slots free and offers take them) but never the baseline, which keeps no reserve.
 */
#include "hw_error.h"
#include "hw_simulate.h"
#include "hw_test.h"

static hw_sim_result run(hw_sim_policy policy, int32_t reserve) {
  hw_sim_options o;
  hw_sim_options_init(&o);
  o.seed = 7;
  o.weeks = 3;
  o.scale = HW_SCALE_LOCALITY;
  o.policy = policy;
  o.reserve_minutes = reserve;
  hw_sim_result r;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, 0);
  return r;
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
  hw_sim_result none = run(HW_POLICY_OPTIMIZED, 0), kept = run(HW_POLICY_OPTIMIZED, 120);
  /* Slots kept out of construction leave more visits unplaced unless offers fill them. */
  HW_CHECK(kept.unallocated_visit_hours_week != none.unallocated_visit_hours_week ||
           kept.d2a_offers_today != none.d2a_offers_today);
  HW_CHECK_INT(kept.d2a_requests, ==, none.d2a_requests);
  hw_sim_result_free(&none);
  hw_sim_result_free(&kept);
  hw_sim_result b0 = run(HW_POLICY_BASELINE, 0), b1 = run(HW_POLICY_BASELINE, 120);
  HW_CHECK(b0.unallocated_visit_hours_week == b1.unallocated_visit_hours_week);
  HW_CHECK(b0.weekly_occupied_bed_days_mean == b1.weekly_occupied_bed_days_mean);
  hw_sim_result_free(&b0);
  hw_sim_result_free(&b1);
}
