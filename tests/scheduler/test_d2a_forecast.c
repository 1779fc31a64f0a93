/*
 * The D2A reserve sized from the forecast (hw_d2a_forecast.h): a discharge's
 * demand at each call peak (only what can start after the lead time, in
 * worker-minutes), a table held where demand recurs and not where holding costs
 * more than the misses it saves, the lookup by date, and bad input refused.
 */
#include <string.h>

#include "hw_d2a_forecast.h"
#include "hw_error.h"
#include "hw_test.h"

#define FC_MONDAY hw_date_from_ymd(2026, 1, 12)

static hw_visit_template tpl(int start, int end, int minutes, int workers) {
  hw_visit_template t = {0};
  t.weekdays = 0x7f;
  t.window.start = (int16_t)start;
  t.window.end = (int16_t)end;
  t.duration = (int16_t)minutes;
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  t.workers = (uint8_t)workers;
  return t;
}

HW_TEST(demand_counts_what_can_start_after_the_lead_time_at_its_peak) {
  hw_d2a_options o;
  hw_d2a_options_init(&o);
  hw_client c = {0};
  c.id = 1;
  hw_visit_template t[4] = {tpl(8 * 60, 9 * 60 + 30, 30, 1), tpl(12 * 60, 13 * 60, 20, 1),
                            tpl(16 * 60 + 30, 18 * 60, 30, 2), tpl(20 * 60, 21 * 60, 15, 1)};
  int32_t d[HW_D2A_RESERVE_PEAKS];
  HW_CHECK_INT(hw_d2a_peak_demand(&o, &c, t, 4, hw_local_to_time(FC_MONDAY, 9 * 60), d), ==, 0);
  HW_CHECK_INT(d[0], ==, 0);  /* home at 11:00: the morning call is over */
  HW_CHECK_INT(d[1], ==, 20); /* lunch */
  HW_CHECK_INT(d[2], ==, 60); /* tea, double-handed */
  HW_CHECK_INT(d[3], ==, 15); /* bedtime */
  HW_CHECK_INT(hw_d2a_peak_demand(&o, &c, t, 4, hw_local_to_time(FC_MONDAY, 5 * 60), d), ==, 0);
  HW_CHECK_INT(d[0], ==, 30);
}

/* Four weeks of one locality: tea-time demand of 60 on three Tuesdays of four. */
static int32_t tuesdays(hw_d2a_demand_day *days) {
  int32_t n = 0;
  for (int w = 0; w < 4; w++) {
    if (w == 2) continue;
    days[n] = (hw_d2a_demand_day){.locality_id = 7, .date = FC_MONDAY + 7 * w + 1};
    days[n++].minutes[2] = 60;
  }
  return n;
}

HW_TEST(the_table_holds_where_demand_recurs_as_much_as_it_pays) {
  hw_d2a_demand_day days[4];
  int32_t n = tuesdays(days);
  hw_d2a_forecast_locality loc = {7, 1};
  hw_d2a_forecast_options o;
  hw_d2a_forecast_options_init(&o);
  hw_d2a_forecast f;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 27, days, n, &f), ==, 0);
  HW_CHECK_INT(f.weeks, ==, 4);
  HW_CHECK_INT(f.n_entries, ==, 7 * HW_D2A_RESERVE_PEAKS);
  int32_t m[HW_D2A_RESERVE_PEAKS];
  hw_d2a_forecast_lookup(f.entries, f.n_entries, 7, FC_MONDAY + 35 + 1, m); /* a later Tuesday */
  HW_CHECK_INT(m[2], ==, 60); /* three weeks in four need it: worth holding at 0.15 */
  HW_CHECK_INT(m[0] + m[1] + m[3], ==, 0);
  hw_d2a_forecast_lookup(f.entries, f.n_entries, 7, FC_MONDAY + 35, m); /* a Monday */
  HW_CHECK_INT(m[0] + m[1] + m[2] + m[3], ==, 0);
  HW_CHECK(f.covered_pct > 99.9);
  HW_CHECK(f.held_minutes_week > 59.9 && f.held_minutes_week < 60.1);
  HW_CHECK(f.demand_minutes_week > 44.9 && f.demand_minutes_week < 45.1);
  hw_d2a_forecast_free(&f);
  /* When a held minute costs more than the 0.75 chance of using it saves: none. */
  o.hold_per_miss = 0.9;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 27, days, n, &f), ==, 0);
  hw_d2a_forecast_lookup(f.entries, f.n_entries, 7, FC_MONDAY + 1, m);
  HW_CHECK_INT(m[2], ==, 0);
  HW_CHECK(f.covered_pct < 0.1);
  hw_d2a_forecast_free(&f);
  /* Two teams share the locality's demand. */
  loc.reablement_teams = 2;
  o.hold_per_miss = 0.15;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 27, days, n, &f), ==, 0);
  hw_d2a_forecast_lookup(f.entries, f.n_entries, 7, FC_MONDAY + 1, m);
  HW_CHECK_INT(m[2], ==, 30);
  hw_d2a_forecast_free(&f);
}

HW_TEST(bad_input_refused) {
  hw_d2a_forecast_locality loc = {7, 1};
  hw_d2a_forecast_options o;
  hw_d2a_forecast_options_init(&o);
  hw_d2a_forecast f;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 3, NULL, 0, &f), ==, HW_EINVAL);
  loc.reablement_teams = 0;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 13, NULL, 0, &f), ==, HW_EINVAL);
  loc.reablement_teams = 1;
  o.max_minutes = HW_D2A_RESERVE_MAX + 1;
  HW_CHECK_INT(hw_d2a_forecast_size(&o, &loc, 1, FC_MONDAY, FC_MONDAY + 13, NULL, 0, &f), ==, HW_EINVAL);
}
