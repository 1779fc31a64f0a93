/*
 * A worker's days as iCalendar (hw_ical.h), with libical doing the format.
 */
#include "hw_ical.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_time.h"

static struct icaltimetype utc_time(hw_time t) {
  return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* A VEVENT [start, end) with a stable uid, stamped now; description may be NULL. */
static icalcomponent *event(const char *uid, hw_time start, hw_time end, hw_time now, const char *summary,
                            const char *description, const char *location) {
  icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  if (!ev) return NULL;
  icalcomponent_add_property(ev, icalproperty_new_uid(uid));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(now)));
  icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(start)));
  icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(end)));
  icalcomponent_add_property(ev, icalproperty_new_summary(summary));
  if (description) icalcomponent_add_property(ev, icalproperty_new_description(description));
  if (location && location[0]) icalcomponent_add_property(ev, icalproperty_new_location(location));
  return ev;
}

static void add(icalcomponent *cal, icalcomponent *ev) {
  if (ev) icalcomponent_add_component(cal, ev);
}

/* The visit, and the travel to it when there is any. */
static void add_line(icalcomponent *cal, const hw_roster_line *l, hw_time now) {
  const hw_visit *v = &l->visit;
  hw_time start = l->entry.planned_start, end = start + (hw_time)v->duration * 60;
  char uid[64], summary[160], desc[200], location[64];
  snprintf(location, sizeof location, "%.6f,%.6f", l->client.location.lat_e6 / 1e6, l->client.location.lon_e6 / 1e6);
  if (l->entry.travel_seconds > 0) {
    snprintf(uid, sizeof uid, "travel-%lld@homeward", (long long)v->id);
    snprintf(summary, sizeof summary, "Travel to %s", l->client.name);
    add(cal, event(uid, start - l->entry.travel_seconds, start, now, summary, NULL, location));
  }
  snprintf(uid, sizeof uid, "visit-%lld@homeward", (long long)v->id);
  snprintf(summary, sizeof summary, "Visit: %s", l->client.name);
  snprintf(desc, sizeof desc, "%d min visit%s%s; %d min travel before it", (int)v->duration,
           v->workers > 1 ? ", two workers" : "", v->medication ? ", medication" : "",
           (int)((l->entry.travel_seconds + 59) / 60));
  add(cal, event(uid, start, end, now, summary, desc, location));
}

static void add_break(icalcomponent *cal, const hw_roster_view *d, hw_date date, hw_time now) {
  hw_day_frame f;
  hw_service_day_frame(&d->worker, date, d->lines, d->n_lines, &f);
  if (f.break_start == HW_TIME_NONE || !d->n_lines) return;
  char uid[64], day[16];
  hw_date_format(date, day, sizeof day);
  snprintf(uid, sizeof uid, "break-%lld-%s@homeward", (long long)d->worker.id, day);
  add(cal, event(uid, f.break_start, f.break_end, now, "Break", NULL, NULL));
}

char *hw_ical_worker_days(const hw_roster_view *days, int32_t n, hw_date from, hw_time now) {
  icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  if (!cal) return NULL;
  char name[160];
  snprintf(name, sizeof name, "%s - Homeward roster", n > 0 ? days[0].worker.name : "worker");
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Homeward//Roster//EN"));
  icalproperty *x = icalproperty_new_x(name);
  icalproperty_set_x_name(x, "X-WR-CALNAME");
  icalcomponent_add_property(cal, x);
  for (int32_t i = 0; i < n; i++) {
    for (int32_t k = 0; k < days[i].n_lines; k++) add_line(cal, &days[i].lines[k], now);
    add_break(cal, &days[i], from + i, now);
  }
  char *text = icalcomponent_as_ical_string_r(cal);
  icalcomponent_free(cal);
  return text;
}
