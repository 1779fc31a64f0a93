/*
 * The outcome simulation (scheduler/sim/hw_simulate.h) on the small partnership
 * for a week: deterministic for a seed (two runs give byte-identical reports),
 * the optimized service discharges the same day more often than the baseline,
 * every missed ready day is explained, the report's and chart's shape, and the
 * weekly reserve sizing the cron runs.
 */
#include "sim_fixture.h"

/* The small partnership with the generator's own two reablement teams. */
static hw_sim_options small_run(hw_sim_policy policy, int32_t weeks) {
  hw_sim_options o = sim_small(7, policy, weeks);
  o.reablement_teams = 2;
  return o;
}

HW_TEST(same_seed_gives_the_same_report) {
  hw_sim_options o = small_run(HW_POLICY_OPTIMIZED, 1);
  hw_sim_result a = sim_run(&o), b = sim_run(&o);
  char *ta = sim_report_text(&a), *tb = sim_report_text(&b);
  HW_CHECK_STR(ta, tb);
  HW_CHECK_INT(a.n_weeks, ==, 1);
  HW_CHECK(a.d2a_requests > 0);
  /* Seven mornings; the plans of the evening before day one and of days 2-7. */
  HW_CHECK(a.capacity_rounds == 7 && a.plans == 7 && a.plan_failures == 0);
  HW_CHECK(a.reviews > 0 && a.absences > 0 && a.community_referrals > 0);
  HW_CHECK(a.episodes_started > 0);
  HW_CHECK_CONTAINS(ta, "\"weekly_occupied_bed_days_median\"");
  HW_CHECK_CONTAINS(ta, "\"community_wait_days\"");
  free(ta);
  free(tb);
  hw_sim_result_free(&a);
  hw_sim_result_free(&b);
}

HW_TEST(optimized_discharges_the_same_day_at_least_as_often) {
  hw_sim_options ob = small_run(HW_POLICY_BASELINE, 1), oo = small_run(HW_POLICY_OPTIMIZED, 1);
  hw_sim_result b = sim_run(&ob), o = sim_run(&oo);
  HW_CHECK_INT(b.d2a_requests, ==, o.d2a_requests); /* the same people */
  HW_CHECK_INT(b.community_referrals, ==, o.community_referrals);
  HW_CHECK(o.d2a_same_day >= b.d2a_same_day);
  HW_CHECK(o.same_day_discharge_pct > b.same_day_discharge_pct);
  HW_CHECK(o.weekly_occupied_bed_days_mean <= b.weekly_occupied_bed_days_mean);
  /* The baseline offers nothing on arrival: every request waits for a round. */
  HW_CHECK_INT(b.arrival_offers, ==, 0);
  HW_CHECK_INT(b.miss[HW_SIM_MISS_ROUND], ==, b.d2a_requests - b.d2a_same_day);
  HW_CHECK_INT(o.arrival_offers, ==, o.d2a_requests);
  HW_CHECK_INT(o.miss[HW_SIM_MISS_ROUND], ==, 0);
  hw_sim_result_free(&b);
  hw_sim_result_free(&o);
}

HW_TEST(explanation_and_chart_account_for_every_request) {
  hw_sim_options o = small_run(HW_POLICY_OPTIMIZED, 1);
  hw_sim_result r = sim_run(&o);
  int32_t missed = 0, banded = 0;
  for (int m = 0; m < HW_SIM_MISS_COUNT; m++) {
    missed += r.miss[m];
    for (int b = 0; b < HW_SIM_READY_BANDS; b++) banded += r.miss_band[m][b];
  }
  HW_CHECK(r.d2a_requests > 0);
  HW_CHECK_INT(r.d2a_same_day + missed, ==, r.d2a_requests);
  HW_CHECK_INT(banded, ==, missed);
  char *text = sim_report_text(&r);
  HW_CHECK_CONTAINS(text, "\"explain\"");
  HW_CHECK_CONTAINS(text, "\"gap_today\"");
  HW_CHECK_CONTAINS(text, "\"same_day_ready_by_16_pct\"");
  HW_CHECK_CONTAINS(text, "\"no_start_today\"");
  HW_CHECK_CONTAINS(text, "\"handovers\"");
  HW_CHECK_CONTAINS(text, "\"reassign\"");
  HW_CHECK(r.same_day_ready_by_16 <= r.discharged_ready_by_16 && r.discharged_ready_by_16 <= r.d2a_requests);
  free(text);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  HW_CHECK_INT(hw_sim_write_explain(&r, f), ==, 0);
  fclose(f);
  HW_CHECK_CONTAINS(buf, "gap_later");
  HW_CHECK_CONTAINS(buf, "accept");
  free(buf);
  f = open_memstream(&buf, &len);
  HW_CHECK_INT(hw_sim_write_svg(&r, "test", f), ==, 0);
  fclose(f);
  HW_CHECK_CONTAINS(buf, "<svg");
  HW_CHECK_CONTAINS(buf, "target 70 bed days");
  HW_CHECK_CONTAINS(buf, "target 100% same-day");
  HW_CHECK(strstr(buf, "<polyline") && strstr(strstr(buf, "<polyline") + 1, "<polyline"));
  free(buf);
  hw_sim_result_free(&r);
}

HW_TEST(bad_options_rejected) {
  hw_sim_options o = small_run(HW_POLICY_OPTIMIZED, 1);
  hw_sim_result r;
  o.weeks = 0;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.error, "weeks");
  o.weeks = 1;
  o.reablement_teams = 4;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  o.reablement_teams = 2;
  o.plan_iterations = 0;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.error, "plan_iterations");
  o.plan_iterations = 100;
  o.reserve_minutes = 241;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  o.reserve_minutes = 60;
  o.hold_cost_pct = 101;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.error, "hold_cost_pct");
  o.hold_cost_pct = 15;
  /* The run's store must be new: an existing file is never written over. */
  FILE *f = fopen(hw_test_path("taken.db"), "w");
  HW_CHECK(f != NULL);
  fclose(f);
  o.db_path = hw_test_path("taken.db");
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(r.error, "exists");
  hw_sim_policy p;
  HW_CHECK_INT(hw_sim_policy_parse("optimized", &p), ==, 0);
  HW_CHECK_INT(p, ==, HW_POLICY_OPTIMIZED);
  HW_CHECK_INT(hw_sim_policy_parse("greedy", &p), ==, HW_EINVAL);
}

/* The simulation's cron sizes the D2A reserve each Sunday as the daemon's does,
 * at the options' hold cost: a dearer held minute holds no more, and the
 * baseline (no reserve, no levers) never sizes one. */
HW_TEST(the_cron_sizes_the_reserve_at_the_hold_cost) {
  hw_sim_options cheap = small_run(HW_POLICY_OPTIMIZED, 2), dear = cheap, base = small_run(HW_POLICY_BASELINE, 2);
  cheap.hold_cost_pct = 0;
  dear.hold_cost_pct = 100;
  hw_sim_result c = sim_run(&cheap), d = sim_run(&dear), b = sim_run(&base);
  HW_CHECK(c.reserve_sizings >= 1 && d.reserve_sizings == c.reserve_sizings);
  HW_CHECK(c.reserve_minutes_week > d.reserve_minutes_week);
  HW_CHECK_INT(b.reserve_sizings, ==, 0);
  HW_CHECK(b.reserve_minutes_week < 0);
  HW_CHECK_INT(b.lever_later + b.lever_widen + b.lever_retime + b.lever_reassign, ==, 0);
  hw_sim_result_free(&c);
  hw_sim_result_free(&d);
  hw_sim_result_free(&b);
}
