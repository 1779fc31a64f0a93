/*
 * iCalendar (RFC 5545) of a worker's days, built with libical (Debian
 * libical-dev), for a phone calendar's subscription (GET /v1/calendars/{secret}.ics)
 * and the one-day export (GET /v1/workers/{id}/roster.ics):
 *   - one VEVENT per visit, UID "visit-<id>@homeward": the same UID however often
 *     the visit moves, so a calendar updates the event instead of adding one;
 *   - one VEVENT for the travel before each visit (UID "travel-<visit>@homeward");
 *   - one VEVENT for the day's break where the day leaves room for it (UID
 *     "break-<worker>-<date>@homeward").
 * Times are written in UTC (libical's job, with escaping and line folding); the
 * summary names the client, the description the duration and the travel.
 */
#ifndef HW_ICAL_H
#define HW_ICAL_H

#include "hw_service.h"

/* The VCALENDAR of n consecutive days from `from` (hw_service_worker_days; every
 * view names the worker), stamped now. Returns malloc'd text, or NULL when out of
 * memory. */
char *hw_ical_worker_days(const hw_roster_view *days, int32_t n, hw_date from, hw_time now);

#endif
