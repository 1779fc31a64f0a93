/*
 * Care plan templates to visits: weekdays, windows in local time (including the
 * clock-change days), medication tightening, skills, workers and priorities.
 */
#include "hw_error.h"
#include "hw_test.h"
#include "hw_visits.h"

static hw_visit_template tmpl(uint8_t days, int start, int end, int dur) {
  hw_visit_template t = {0};
  t.weekdays = days;
  t.window.start = (int16_t)start;
  t.window.end = (int16_t)end;
  t.duration = (int16_t)dur;
  t.workers = 1;
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  return t;
}

HW_TEST(weekday_bits_select_days) {
  hw_visit_template t[2] = {tmpl(0x01 | 0x04, 8 * 60, 9 * 60, 30), tmpl(0x7f, 17 * 60, 18 * 60, 15)};
  hw_date mon = hw_date_from_ymd(2026, 1, 5);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_visits_expand(t, 2, 7, 3, mon, mon + 6, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2 + 7); /* Monday and Wednesday mornings, every tea time */
  HW_CHECK_INT(v[0].date, ==, mon);
  HW_CHECK_INT(v[0].duration, ==, 30);
  HW_CHECK_INT(v[1].date, ==, mon); /* Monday tea after Monday morning */
  HW_CHECK_INT(v[1].duration, ==, 15);
  HW_CHECK_INT(v[2].date, ==, mon + 1);
  HW_CHECK_INT(v[3].date, ==, mon + 2);
  HW_CHECK_INT(v[3].duration, ==, 30);
  HW_CHECK_INT(v[0].referral_id, ==, 7);
  HW_CHECK_INT(v[0].client_id, ==, 3);
  HW_CHECK_INT(v[0].status, ==, HW_VISIT_PLANNED);
  HW_CHECK(v[0].planned_start == HW_TIME_NONE);
  HW_CHECK_INT(v[0].window_start, ==, hw_local_to_time(mon, 8 * 60));
  HW_CHECK_INT(v[0].window_end, ==, hw_local_to_time(mon, 9 * 60));
  free(v);
}

HW_TEST(windows_follow_bst_change_day) {
  /* Sunday 29 March 2026: clocks go forward at 01:00 UTC. 08:00 local is 07:00 UTC
   * that day, 08:00 UTC the day before. */
  hw_visit_template t = tmpl(0x7f, 8 * 60, 9 * 60, 30);
  hw_date sat = hw_date_from_ymd(2026, 3, 28);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_visits_expand(&t, 1, 1, 1, sat, sat + 1, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  hw_time sat_utc8 = (hw_time)sat * 86400 + 8 * 3600;
  hw_time sun_utc7 = (hw_time)(sat + 1) * 86400 + 7 * 3600;
  HW_CHECK_INT(v[0].window_start, ==, sat_utc8);
  HW_CHECK_INT(v[1].window_start, ==, sun_utc7);
  HW_CHECK_INT(v[1].window_end - v[1].window_start, ==, 3600);
  HW_CHECK_INT(hw_time_local_minute(v[1].window_start), ==, 8 * 60);
  free(v);
  /* And back on Sunday 25 October 2026: 08:00 local = 08:00 UTC again. */
  hw_date oct = hw_date_from_ymd(2026, 10, 25);
  HW_CHECK_INT(hw_visits_expand(&t, 1, 1, 1, oct - 1, oct, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(v[0].window_start, ==, (hw_time)(oct - 1) * 86400 + 7 * 3600);
  HW_CHECK_INT(v[1].window_start, ==, (hw_time)oct * 86400 + 8 * 3600);
  free(v);
}

HW_TEST(medication_window_tightened_and_skilled) {
  hw_visit_template t = tmpl(0x7f, 7 * 60, 10 * 60, 20);
  t.medication = 1;
  t.prescribed_minute = 8 * 60;
  hw_visit_template late = t;
  late.prescribed_minute = 10 * 60 - 5; /* near the window end: clipped there */
  hw_visit_options o;
  hw_visit_options_init(&o);
  hw_date d = hw_date_from_ymd(2026, 1, 6);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_visits_expand(&t, 1, 1, 1, d, d, &o, &v, &n), ==, 0);
  HW_CHECK_INT(v[0].window_start, ==, hw_local_to_time(d, 8 * 60 - 15));
  HW_CHECK_INT(v[0].window_end, ==, hw_local_to_time(d, 8 * 60 + 15));
  HW_CHECK(v[0].skills & (1u << HW_SKILL_MEDICATION));
  HW_CHECK(v[0].skills & (1u << HW_SKILL_PERSONAL_CARE));
  HW_CHECK_INT(v[0].priority, ==, 90);
  HW_CHECK_INT(v[0].medication, ==, 1);
  free(v);
  o.medication_tolerance_min = 30;
  HW_CHECK_INT(hw_visits_expand(&late, 1, 1, 1, d, d, &o, &v, &n), ==, 0);
  HW_CHECK_INT(v[0].window_start, ==, hw_local_to_time(d, 10 * 60 - 35));
  HW_CHECK_INT(v[0].window_end, ==, hw_local_to_time(d, 10 * 60));
  free(v);
}

HW_TEST(double_handed_and_bad_templates) {
  hw_visit_template t = tmpl(0x10, 20 * 60, 24 * 60, 45);
  t.workers = 2;
  hw_date fri = hw_date_from_ymd(2026, 1, 9);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_visits_expand(&t, 1, 1, 1, fri - 4, fri, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(v[0].workers, ==, 2);
  HW_CHECK_INT(v[0].priority, ==, 60);
  HW_CHECK_INT(v[0].window_end, ==, hw_local_to_time(fri + 1, 0)); /* 24:00 = next midnight */
  free(v);
  hw_visit_template bad = t;
  bad.workers = 3;
  HW_CHECK_INT(hw_visits_expand(&bad, 1, 1, 1, fri, fri, NULL, &v, &n), ==, HW_EINVAL);
  bad = t;
  bad.weekdays = 0;
  HW_CHECK_INT(hw_visits_expand(&bad, 1, 1, 1, fri, fri, NULL, &v, &n), ==, HW_EINVAL);
  bad = t;
  bad.window.end = bad.window.start;
  HW_CHECK_INT(hw_visits_expand(&bad, 1, 1, 1, fri, fri, NULL, &v, &n), ==, HW_EINVAL);
  HW_CHECK_INT(hw_visits_expand(&t, 1, 1, 1, fri, fri - 1, NULL, &v, &n), ==, HW_EINVAL);
}

HW_TEST(referral_range_is_clipped) {
  hw_referral r = {0};
  r.id = 4;
  r.client_id = 9;
  r.status = HW_REFERRAL_ALLOCATED;
  hw_date mon = hw_date_from_ymd(2026, 1, 5);
  r.start_date = mon + 2;
  r.end_date = mon + 4;
  r.n_templates = 1;
  r.templates[0] = tmpl(0x7f, 12 * 60, 13 * 60, 30);
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_visits_for_referral(&r, mon, mon + 13, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  HW_CHECK_INT(v[0].date, ==, mon + 2);
  HW_CHECK_INT(v[2].date, ==, mon + 4);
  free(v);
  r.status = HW_REFERRAL_CANCELLED;
  HW_CHECK_INT(hw_visits_for_referral(&r, mon, mon + 13, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  r.status = HW_REFERRAL_ALLOCATED;
  r.start_date = HW_DATE_NONE;
  HW_CHECK_INT(hw_visits_for_referral(&r, mon, mon + 13, NULL, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
}
