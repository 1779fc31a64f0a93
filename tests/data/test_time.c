/*
 * Tests of data/hw_time.c: the built-in Europe/London rule at the clock changes,
 * day arithmetic across years and leap days, weekdays, and ISO 8601 parsing and
 * formatting (round trips, and every kind of bad input rejected with a reason).
 */
#include "hw_test.h"
#include "hw_error.h"
#include "hw_time.h"

static hw_time utc(int y, int mo, int d, int h, int mi) {
  return (hw_time)hw_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static hw_time parse_ok(const char *s) {
  hw_time t = 0;
  const char *why = NULL;
  int rc = hw_time_parse(s, &t, &why);
  if (rc != 0) hw_test_fail(__FILE__, __LINE__, "parse %s: %s", s, why ? why : "?");
  return t;
}

static void check_rejected(const char *s, const char *reason_part) {
  hw_time t = 0;
  const char *why = NULL;
  HW_CHECK_INT(hw_time_parse(s, &t, &why), ==, HW_EINVAL);
  HW_CHECK(why != NULL);
  HW_CHECK_CONTAINS(why, reason_part);
}

HW_TEST(bst_starts_last_sunday_of_march_at_0100_utc) {
  /* 2026: last Sunday of March is the 29th. */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(2026, 3, 29)), ==, 6);
  HW_CHECK_INT(hw_london_offset(utc(2026, 3, 29, 0, 59)), ==, 0);
  HW_CHECK_INT(hw_london_offset(utc(2026, 3, 29, 0, 59) + 59), ==, 0);
  HW_CHECK_INT(hw_london_offset(utc(2026, 3, 29, 1, 0)), ==, 3600);
  /* The Sunday before is still winter all day. */
  HW_CHECK_INT(hw_london_offset(utc(2026, 3, 22, 12, 0)), ==, 0);
  /* 2024: last Sunday of March is the 31st itself. */
  HW_CHECK_INT(hw_london_offset(utc(2024, 3, 31, 0, 59)), ==, 0);
  HW_CHECK_INT(hw_london_offset(utc(2024, 3, 31, 1, 0)), ==, 3600);
}

HW_TEST(bst_ends_last_sunday_of_october_at_0100_utc) {
  /* 2026: last Sunday of October is the 25th. */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(2026, 10, 25)), ==, 6);
  HW_CHECK_INT(hw_london_offset(utc(2026, 10, 25, 0, 59)), ==, 3600);
  HW_CHECK_INT(hw_london_offset(utc(2026, 10, 25, 1, 0)), ==, 0);
  HW_CHECK_INT(hw_london_offset(utc(2026, 7, 1, 12, 0)), ==, 3600);
  HW_CHECK_INT(hw_london_offset(utc(2026, 1, 15, 12, 0)), ==, 0);
  HW_CHECK_INT(hw_london_offset(utc(2026, 12, 31, 23, 59)), ==, 0);
}

HW_TEST(local_time_at_the_clock_changes) {
  hw_date spring = hw_date_from_ymd(2026, 3, 29), autumn = hw_date_from_ymd(2026, 10, 25);
  /* Before the spring change local = UTC, after it local = UTC + 1. */
  HW_CHECK_INT(hw_local_to_time(spring, 59), ==, utc(2026, 3, 29, 0, 59));
  HW_CHECK_INT(hw_local_to_time(spring, 2 * 60), ==, utc(2026, 3, 29, 1, 0));
  /* 01:30 does not exist that morning: read with the winter offset, it is 02:30 BST. */
  HW_CHECK_INT(hw_local_to_time(spring, 90), ==, utc(2026, 3, 29, 1, 30));
  /* 01:30 happens twice in October: the earlier (BST) instant wins. */
  HW_CHECK_INT(hw_local_to_time(autumn, 90), ==, utc(2026, 10, 25, 0, 30));
  HW_CHECK_INT(hw_local_to_time(autumn, 2 * 60), ==, utc(2026, 10, 25, 2, 0));
  /* Local date and minute of instants around the change. */
  HW_CHECK_INT(hw_time_local_minute(utc(2026, 3, 29, 1, 0)), ==, 120);
  HW_CHECK_INT(hw_time_local_minute(utc(2026, 10, 25, 1, 0)), ==, 60);
  /* 23:30 UTC on 30 June is 00:30 local on 1 July. */
  HW_CHECK_INT(hw_time_local_date(utc(2026, 6, 30, 23, 30)), ==, hw_date_from_ymd(2026, 7, 1));
  HW_CHECK_INT(hw_time_local_minute(utc(2026, 6, 30, 23, 30)), ==, 30);
  HW_CHECK_INT(hw_time_local_date(utc(2026, 12, 31, 23, 30)), ==, hw_date_from_ymd(2026, 12, 31));
}

HW_TEST(day_arithmetic_across_years_and_leap_days) {
  HW_CHECK_INT(hw_date_from_ymd(1970, 1, 1), ==, 0);
  HW_CHECK_INT(hw_date_from_ymd(1969, 12, 31), ==, -1);
  HW_CHECK_INT(hw_date_from_ymd(2000, 3, 1) - hw_date_from_ymd(2000, 2, 28), ==, 2);
  HW_CHECK_INT(hw_date_from_ymd(1900, 3, 1) - hw_date_from_ymd(1900, 2, 28), ==, 1);
  HW_CHECK_INT(hw_date_from_ymd(2024, 3, 1) - hw_date_from_ymd(2024, 2, 28), ==, 2);
  HW_CHECK_INT(hw_date_from_ymd(2027, 1, 1) - hw_date_from_ymd(2026, 1, 1), ==, 365);
  HW_CHECK_INT(hw_date_from_ymd(2029, 1, 1) - hw_date_from_ymd(2028, 1, 1), ==, 366);
  int y, m, d;
  hw_date_to_ymd(hw_date_from_ymd(2026, 12, 31) + 1, &y, &m, &d);
  HW_CHECK(y == 2027 && m == 1 && d == 1);
  hw_date_to_ymd(hw_date_from_ymd(2028, 2, 28) + 1, &y, &m, &d);
  HW_CHECK(y == 2028 && m == 2 && d == 29);
  hw_date_to_ymd(-1, &y, &m, &d);
  HW_CHECK(y == 1969 && m == 12 && d == 31);
  /* Every day of four centuries survives to_ymd / from_ymd. */
  for (hw_date day = hw_date_from_ymd(1900, 1, 1); day < hw_date_from_ymd(2300, 1, 1); day++) {
    hw_date_to_ymd(day, &y, &m, &d);
    HW_CHECK(hw_ymd_valid(y, m, d));
    HW_CHECK_INT(hw_date_from_ymd(y, m, d), ==, day);
  }
  HW_CHECK(hw_ymd_valid(2024, 2, 29));
  HW_CHECK(!hw_ymd_valid(2026, 2, 29));
  HW_CHECK(!hw_ymd_valid(2100, 2, 29));
  HW_CHECK(!hw_ymd_valid(2026, 13, 1));
  HW_CHECK(!hw_ymd_valid(2026, 4, 31));
}

HW_TEST(weekday_monday_is_zero) {
  HW_CHECK_INT(hw_date_weekday(0), ==, 3);                              /* Thursday */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(2026, 11, 23)), ==, 0); /* Monday */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(2024, 2, 29)), ==, 3);  /* Thursday */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(1969, 12, 28)), ==, 6); /* Sunday */
  HW_CHECK_INT(hw_date_weekday(hw_date_from_ymd(2000, 1, 1)), ==, 5);   /* Saturday */
}

HW_TEST(iso_format_winter_z_summer_plus_one) {
  char buf[26];
  HW_CHECK_STR(hw_time_format(utc(2026, 11, 23, 9, 30), buf, sizeof buf), "2026-11-23T09:30:00Z");
  HW_CHECK_STR(hw_time_format(utc(2026, 7, 1, 8, 30), buf, sizeof buf), "2026-07-01T09:30:00+01:00");
  HW_CHECK_STR(hw_time_format(utc(2026, 6, 30, 23, 30) + 5, buf, sizeof buf),
               "2026-07-01T00:30:05+01:00");
  HW_CHECK_STR(hw_time_format(utc(2026, 3, 29, 0, 59), buf, sizeof buf), "2026-03-29T00:59:00Z");
  HW_CHECK_STR(hw_time_format(utc(2026, 3, 29, 1, 0), buf, sizeof buf), "2026-03-29T02:00:00+01:00");
  HW_CHECK_STR(hw_time_format(-1, buf, sizeof buf), "1969-12-31T23:59:59Z");
}

HW_TEST(iso_parse_offsets_and_local) {
  HW_CHECK_INT(parse_ok("2026-11-23T09:30:00Z"), ==, utc(2026, 11, 23, 9, 30));
  HW_CHECK_INT(parse_ok("2026-07-01T09:30:00+01:00"), ==, utc(2026, 7, 1, 8, 30));
  HW_CHECK_INT(parse_ok("2026-07-01T09:30-04:30"), ==, utc(2026, 7, 1, 14, 0));
  /* No offset: Europe/London local, in summer and in winter. */
  HW_CHECK_INT(parse_ok("2026-07-01T09:30"), ==, utc(2026, 7, 1, 8, 30));
  HW_CHECK_INT(parse_ok("2026-01-05T09:30:15"), ==, utc(2026, 1, 5, 9, 30) + 15);
  /* An explicit Z in summer is UTC, not local. */
  HW_CHECK_INT(parse_ok("2026-07-01T09:30Z"), ==, utc(2026, 7, 1, 9, 30));
}

HW_TEST(iso_round_trips) {
  char buf[26];
  hw_time samples[] = {0, utc(2026, 3, 29, 0, 59), utc(2026, 3, 29, 1, 0),
                       utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30),
                       utc(2028, 2, 29, 12, 0) + 7, utc(1999, 12, 31, 23, 59) + 59};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    hw_time_format(samples[i], buf, sizeof buf);
    HW_CHECK_INT(parse_ok(buf), ==, samples[i]);
  }
  /* Every quarter hour of a year, across both changes. */
  for (hw_time t = utc(2026, 1, 1, 0, 0); t < utc(2027, 1, 1, 0, 0); t += 900) {
    hw_time_format(t, buf, sizeof buf);
    HW_CHECK_INT(parse_ok(buf), ==, t);
    HW_CHECK_INT(hw_local_to_time(hw_time_local_date(t), hw_time_local_minute(t)) <= t, ==, 1);
  }
  hw_date d;
  const char *why;
  HW_CHECK_INT(hw_date_parse("2028-02-29", &d, &why), ==, 0);
  HW_CHECK_STR(hw_date_format(d, buf, sizeof buf), "2028-02-29");
  int minute;
  HW_CHECK_INT(hw_minute_parse("24:00", &minute, &why), ==, 0);
  HW_CHECK_INT(minute, ==, 1440);
  HW_CHECK_STR(hw_minute_format(minute, buf, sizeof buf), "24:00");
  HW_CHECK_INT(hw_minute_parse("08:05", &minute, &why), ==, 0);
  HW_CHECK_STR(hw_minute_format(minute, buf, sizeof buf), "08:05");
}

HW_TEST(iso_bad_formats_rejected_with_reason) {
  check_rejected("2026-13-01T09:00Z", "month");
  check_rejected("2026-02-30T09:00Z", "no such day");
  check_rejected("2026-02-29T09:00Z", "no such day");
  check_rejected("2026-02-10 09:00Z", "'T'");
  check_rejected("2026-02-10", "'T'");
  check_rejected("2026-02-10T09:00Zjunk", "unexpected text");
  check_rejected("2026-02-10T09:00:00+01:00x", "unexpected text");
  check_rejected("2026-02-10T25:00Z", "hour");
  check_rejected("2026-02-10T09:60Z", "minute");
  check_rejected("2026-02-10T09:00:60Z", "second");
  check_rejected("2026-02-10T09:00+1", "offset");
  check_rejected("26-02-10T09:00Z", "YYYY-MM-DD");
  check_rejected("", "YYYY-MM-DD");
  check_rejected("2026-2-10T09:00Z", "YYYY-MM-DD");
  check_rejected("2026-02-10T9:00Z", "HH:MM");
  hw_date d;
  int minute;
  const char *why = NULL;
  HW_CHECK_INT(hw_date_parse("2026-02-30", &d, &why), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(why, "no such day");
  HW_CHECK_INT(hw_date_parse("2026-02-10T", &d, &why), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(why, "unexpected text");
  HW_CHECK_INT(hw_minute_parse("24:01", &minute, &why), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(why, "24:00");
  HW_CHECK_INT(hw_minute_parse("8:00", &minute, &why), ==, HW_EINVAL);
  HW_CHECK_INT(hw_minute_parse("08:00 ", &minute, &why), ==, HW_EINVAL);
}
