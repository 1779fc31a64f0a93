/*
 * Calendar and clock arithmetic for Europe/London, with the UK rule built in.
 *
 * Day numbers use the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil / civil_from_days), computed in 64 bits so that any hw_time,
 * even HW_TIME_NONE by mistake, formats without overflow. British Summer Time runs
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October (the rule since 1996); nothing here reads TZ or tzdata.
 */
#include "hw_time.h"

#include <stdio.h>
#include <string.h>

#include "hw_error.h"

#define SECONDS_PER_DAY 86400
#define BST_OFFSET 3600

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Monday ... 6 = Sunday for a 64-bit day number (1970-01-01 was a Thursday). */
static int weekday_of(int64_t days) {
  return (int)((days % 7 + 7 + 3) % 7);
}

hw_date hw_date_from_ymd(int y, int m, int d) {
  return (hw_date)days_from_civil(y, m, d);
}

void hw_date_to_ymd(hw_date date, int *y, int *m, int *d) {
  int64_t yy;
  civil_from_days(date, &yy, m, d);
  *y = (int)yy;
}

int hw_date_weekday(hw_date date) {
  return weekday_of(date);
}

static int is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int hw_ymd_valid(int y, int m, int d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Day number of the last Sunday of month m (March or October) in year y. */
static int64_t last_sunday(int64_t y, int m) {
  int64_t last = days_from_civil(y, m, 31);
  return last - (weekday_of(last) + 1) % 7;
}

int hw_london_offset(hw_time t) {
  int64_t y;
  int m, d;
  civil_from_days(floor_div(t, SECONDS_PER_DAY), &y, &m, &d);
  if (m < 3 || m > 10) return 0;
  int64_t start = last_sunday(y, 3) * SECONDS_PER_DAY + 3600;
  int64_t end = last_sunday(y, 10) * SECONDS_PER_DAY + 3600;
  return t >= start && t < end ? BST_OFFSET : 0;
}

/* Read the wall time with the offset in force just before any clock change: in
 * the October overlap that is BST (the earlier instant), in the March gap GMT, so
 * 01:30 on the spring day becomes 02:30 BST, as a clock not yet put forward shows. */
hw_time hw_local_to_time(hw_date date, int minute_of_day) {
  hw_time wall = (hw_time)date * SECONDS_PER_DAY + (hw_time)minute_of_day * 60;
  hw_time summer = wall - BST_OFFSET;
  return hw_london_offset(summer) == BST_OFFSET ? summer : wall;
}

hw_date hw_time_local_date(hw_time t) {
  return (hw_date)floor_div(t + hw_london_offset(t), SECONDS_PER_DAY);
}

int hw_time_local_minute(hw_time t) {
  int64_t local = t + hw_london_offset(t);
  return (int)((local - floor_div(local, SECONDS_PER_DAY) * SECONDS_PER_DAY) / 60);
}

char *hw_time_format(hw_time t, char *buf, size_t len) {
  int offset = hw_london_offset(t);
  int64_t local = t + offset;
  int64_t days = floor_div(local, SECONDS_PER_DAY);
  int64_t secs = local - days * SECONDS_PER_DAY;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%s", (long long)y, m, d,
           (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
           offset ? "+01:00" : "Z");
  return buf;
}

char *hw_date_format(hw_date date, char *buf, size_t len) {
  int64_t y;
  int m, d;
  civil_from_days(date, &y, &m, &d);
  snprintf(buf, len, "%04lld-%02d-%02d", (long long)y, m, d);
  return buf;
}

char *hw_minute_format(int minute, char *buf, size_t len) {
  snprintf(buf, len, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

/* Read exactly n ASCII digits at *s into *out and advance; 0 if they are not there. */
static int read_digits(const char **s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  *s += n;
  *out = v;
  return 1;
}

static int fail(const char **why, const char *reason) {
  if (why) *why = reason;
  return HW_EINVAL;
}

/* "YYYY-MM-DD" at *s, advancing past it. */
static int parse_ymd(const char **s, hw_date *out, const char **why) {
  int y, m, d;
  if (!read_digits(s, 4, &y) || **s != '-') return fail(why, "expected a date YYYY-MM-DD");
  (*s)++;
  if (!read_digits(s, 2, &m) || **s != '-') return fail(why, "expected a date YYYY-MM-DD");
  (*s)++;
  if (!read_digits(s, 2, &d)) return fail(why, "expected a date YYYY-MM-DD");
  if (m < 1 || m > 12) return fail(why, "month must be 01..12");
  if (d < 1 || d > days_in_month(y, m)) return fail(why, "no such day in that month");
  *out = hw_date_from_ymd(y, m, d);
  return 0;
}

/* "HH:MM" at *s, advancing past it; hours 00..max_hour. */
static int parse_hm(const char **s, int max_hour, int *h, int *m, const char **why) {
  if (!read_digits(s, 2, h) || **s != ':') return fail(why, "expected a time HH:MM");
  (*s)++;
  if (!read_digits(s, 2, m)) return fail(why, "expected a time HH:MM");
  if (*h > max_hour) return fail(why, "hour out of range");
  if (*m > 59) return fail(why, "minute must be 00..59");
  return 0;
}

int hw_date_parse(const char *s, hw_date *out, const char **why) {
  if (!s) return fail(why, "expected a date YYYY-MM-DD");
  int rc = parse_ymd(&s, out, why);
  if (rc) return rc;
  return *s ? fail(why, "unexpected text after the date") : 0;
}

int hw_minute_parse(const char *s, int *out, const char **why) {
  int h, m;
  if (!s) return fail(why, "expected a time HH:MM");
  int rc = parse_hm(&s, 24, &h, &m, why);
  if (rc) return rc;
  if (*s) return fail(why, "unexpected text after the time");
  if (h == 24 && m != 0) return fail(why, "time of day must be 00:00..24:00");
  *out = h * 60 + m;
  return 0;
}

/* The optional "Z" / "+HH:MM" / "-HH:MM" suffix: *has_offset 0 when absent. */
static int parse_offset(const char **s, int *has_offset, int *offset, const char **why) {
  *has_offset = 0;
  *offset = 0;
  if (**s == 'Z') {
    (*s)++;
    *has_offset = 1;
    return 0;
  }
  if (**s != '+' && **s != '-') return 0;
  int sign = **s == '-' ? -1 : 1, h, m;
  (*s)++;
  if (parse_hm(s, 23, &h, &m, why)) return fail(why, "UTC offset must be Z or +HH:MM / -HH:MM");
  *has_offset = 1;
  *offset = sign * (h * 3600 + m * 60);
  return 0;
}

int hw_time_parse(const char *s, hw_time *out, const char **why) {
  hw_date date;
  int h, m, sec = 0, has_offset, offset, rc;
  if (!s) return fail(why, "expected an ISO 8601 time");
  if ((rc = parse_ymd(&s, &date, why))) return rc;
  if (*s != 'T') return fail(why, "expected 'T' between date and time");
  s++;
  if ((rc = parse_hm(&s, 23, &h, &m, why))) return rc;
  if (*s == ':') {
    s++;
    if (!read_digits(&s, 2, &sec)) return fail(why, "expected seconds SS after HH:MM:");
    if (sec > 59) return fail(why, "second must be 00..59");
  }
  if ((rc = parse_offset(&s, &has_offset, &offset, why))) return rc;
  if (*s) return fail(why, "unexpected text after the time");
  hw_time t = has_offset ? (hw_time)date * SECONDS_PER_DAY + h * 3600 + m * 60 + sec - offset
                         : hw_local_to_time(date, h * 60 + m) + sec;
  /* Keep every accepted instant printable as a four-digit-year local time. */
  int y, mo, d;
  hw_date_to_ymd(hw_time_local_date(t), &y, &mo, &d);
  if (y < 1 || y > 9999) return fail(why, "time out of range (years 0001..9999)");
  *out = t;
  return 0;
}
