/*
 * Calendar and clock arithmetic for the partnership's local time (Europe/London).
 *
 * Inside the program an instant is hw_time (int64 seconds since 1970-01-01T00:00Z)
 * and a calendar day is hw_date (int32 days since 1970-01-01, in local time). The
 * API speaks ISO 8601 local times ("2026-11-23T09:30:00Z" in winter,
 * "2026-07-01T09:30:00+01:00" in summer). The UK rule is built in - British Summer
 * Time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October - so results do not depend on the machine's TZ or tzdata.
 */
#ifndef HW_TIME_H
#define HW_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t hw_time;  /* seconds since the Unix epoch, UTC */
typedef int32_t hw_date;  /* local calendar day number, 0 = 1970-01-01 */

#define HW_TIME_NONE INT64_MIN /* "not set" for optional instants */
#define HW_DATE_NONE INT32_MIN

/* Days since epoch for a proleptic Gregorian y-m-d (no validation). */
hw_date hw_date_from_ymd(int y, int m, int d);
void hw_date_to_ymd(hw_date date, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int hw_date_weekday(hw_date date);
/* 1 when y-m-d is a real calendar day. */
int hw_ymd_valid(int y, int m, int d);

/* UTC offset in seconds (0 or 3600) in force at instant t in Europe/London. */
int hw_london_offset(hw_time t);
/* The instant of local wall-clock minute `minute_of_day` on date (gaps and
 * overlaps at the clock changes resolve to the earlier instant). */
hw_time hw_local_to_time(hw_date date, int minute_of_day);
/* The local date and minute of day of instant t. */
hw_date hw_time_local_date(hw_time t);
int hw_time_local_minute(hw_time t);

/* Format t as ISO 8601 local time with offset: "2026-07-01T09:30:00+01:00", or
 * "...Z" in winter. buf needs 26 bytes. Returns buf. */
char *hw_time_format(hw_time t, char *buf, size_t len);
/* Parse ISO 8601 "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or "+HH:MM"/"-HH:MM";
 * without an offset the time is taken as Europe/London local. Returns 0 or
 * HW_EINVAL with the reason in *why (a static string). */
int hw_time_parse(const char *s, hw_time *out, const char **why);
/* "YYYY-MM-DD" both ways; buf needs 11 bytes. */
char *hw_date_format(hw_date d, char *buf, size_t len);
int hw_date_parse(const char *s, hw_date *out, const char **why);
/* "HH:MM" minutes of day (00:00 .. 24:00) both ways; buf needs 6 bytes. */
char *hw_minute_format(int minute, char *buf, size_t len);
int hw_minute_parse(const char *s, int *out, const char **why);

#endif
