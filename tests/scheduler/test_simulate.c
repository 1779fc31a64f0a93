/*
 * The outcome simulation: a four-week smoke run on one locality, deterministic
 * for a seed (two runs give byte-identical reports), and its report shape.
 */
#include <stdlib.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_simulate.h"
#include "hw_test.h"

static char *run(hw_sim_policy policy, int teams, hw_sim_result *keep) {
  hw_sim_options o;
  hw_sim_options_init(&o);
  o.seed = 7;
  o.weeks = 4;
  o.scale = HW_SCALE_LOCALITY;
  o.policy = policy;
  o.reablement_teams = teams;
  hw_sim_result r;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, 0);
  json_t *j = hw_sim_result_to_json(&r);
  char *text = hw_json_dumps_canonical(j);
  json_decref(j);
  if (keep) *keep = r;
  else hw_sim_result_free(&r);
  return text;
}

HW_TEST(four_weeks_deterministic) {
  hw_sim_result r;
  char *a = run(HW_POLICY_OPTIMIZED, 3, &r);
  char *b = run(HW_POLICY_OPTIMIZED, 3, NULL);
  HW_CHECK_STR(a, b);
  HW_CHECK_INT(r.n_weeks, ==, 4);
  int32_t requests = 0;
  for (int32_t i = 0; i < r.n_weeks; i++) requests += r.weeks[i].d2a_requests;
  HW_CHECK(requests > 0);
  HW_CHECK(r.capacity_rounds > 0);
  HW_CHECK(r.episodes_started > 0);
  HW_CHECK_CONTAINS(a, "\"weekly_occupied_bed_days_median\"");
  HW_CHECK_CONTAINS(a, "\"unallocated_visit_hours\"");
  hw_sim_result_free(&r);
  free(a);
  free(b);
}

HW_TEST(baseline_never_offers_by_insertion) {
  hw_sim_result r;
  char *a = run(HW_POLICY_BASELINE, 2, &r);
  HW_CHECK_INT(r.d2a_offers_today, ==, 0);
  HW_CHECK_INT(r.capacity_rounds, ==, 0);
  hw_sim_result_free(&r);
  free(a);
}

HW_TEST(bad_options_rejected) {
  hw_sim_options o;
  hw_sim_options_init(&o);
  hw_sim_result r;
  o.weeks = 0;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  o.weeks = 4;
  o.reablement_teams = 4;
  HW_CHECK_INT(hw_simulate(&o, &r), ==, HW_EINVAL);
  hw_sim_policy p;
  HW_CHECK_INT(hw_sim_policy_parse("optimized", &p), ==, 0);
  HW_CHECK_INT(p, ==, HW_POLICY_OPTIMIZED);
  HW_CHECK_INT(hw_sim_policy_parse("greedy", &p), ==, HW_EINVAL);
}

HW_TEST(svg_has_both_series_and_targets) {
  hw_sim_result r;
  char *a = run(HW_POLICY_OPTIMIZED, 2, &r);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  HW_CHECK_INT(hw_sim_write_svg(&r, "test", f), ==, 0);
  fclose(f);
  HW_CHECK_CONTAINS(buf, "<svg");
  HW_CHECK_CONTAINS(buf, "target 70 bed days");
  HW_CHECK_CONTAINS(buf, "target 100% same-day");
  HW_CHECK(strstr(buf, "<polyline") && strstr(strstr(buf, "<polyline") + 1, "<polyline"));
  free(buf);
  hw_sim_result_free(&r);
  free(a);
}

HW_TEST(explanation_accounts_for_every_request) {
  hw_sim_result r;
  char *a = run(HW_POLICY_OPTIMIZED, 2, &r);
  int32_t missed = 0, banded = 0;
  for (int m = 0; m < HW_SIM_MISS_COUNT; m++) {
    missed += r.miss[m];
    for (int b = 0; b < HW_SIM_READY_BANDS; b++) banded += r.miss_band[m][b];
  }
  HW_CHECK(r.d2a_requests > 0);
  HW_CHECK_INT(r.d2a_same_day + missed, ==, r.d2a_requests);
  HW_CHECK_INT(banded, ==, missed);
  HW_CHECK_CONTAINS(a, "\"explain\"");
  HW_CHECK_CONTAINS(a, "\"gap_today\"");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  HW_CHECK_INT(hw_sim_write_explain(&r, f), ==, 0);
  fclose(f);
  HW_CHECK_CONTAINS(buf, "gap_later");
  free(buf);
  hw_sim_result_free(&r);
  free(a);
}
