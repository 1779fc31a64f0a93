/*
 * iCalendar (RFC 5545) export of a worker's roster, built with libical (Debian
 * libical-dev): one VEVENT per visit with its planned start and end, the client
 * as the summary and location, and the travel before it in the description, so a
 * worker's phone calendar shows the day as planned.
 */
#ifndef HW_ICAL_H
#define HW_ICAL_H

#include <jansson.h>

/* The VCALENDAR text of the roster document `roster` (one element of
 * hw_service_rosters' "rosters", or NULL for an empty day) of worker_name on the
 * date "YYYY-MM-DD". Returns malloc'd text, or NULL when out of memory. */
char *hw_ical_roster(const json_t *roster, const char *worker_name, const char *date);

#endif
