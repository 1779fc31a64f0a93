/*
 * A worker's roster as iCalendar (hw_ical.h), with libical doing the format:
 * escaping, line folding and UTC date-times are its job, not ours.
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

/* The instant of an ISO text field of j, or HW_TIME_NONE. */
static hw_time time_field(const json_t *j, const char *key) {
  const char *s = json_string_value(json_object_get(j, key));
  hw_time t;
  const char *why;
  return s && hw_time_parse(s, &t, &why) == 0 ? t : HW_TIME_NONE;
}

static icalcomponent *visit_event(const json_t *v, const char *worker_name) {
  hw_time start = time_field(v, "start"), end = time_field(v, "end");
  if (start == HW_TIME_NONE || end == HW_TIME_NONE) return NULL;
  const json_t *client = json_object_get(v, "client");
  const char *name = json_string_value(json_object_get(client, "name"));
  char uid[96], summary[160], location[64] = "", desc[256];
  snprintf(uid, sizeof uid, "visit-%lld-%lld@homeward", (long long)json_integer_value(json_object_get(v, "visit")),
           (long long)start);
  snprintf(summary, sizeof summary, "Visit: %s", name ? name : "client");
  const json_t *loc = json_object_get(client, "location");
  if (loc)
    snprintf(location, sizeof location, "%.6f,%.6f", json_real_value(json_object_get(loc, "lat")),
             json_real_value(json_object_get(loc, "lon")));
  snprintf(desc, sizeof desc, "%s: %lld min visit, %lld min travel before it", worker_name,
           (long long)json_integer_value(json_object_get(v, "duration")),
           (long long)(json_integer_value(json_object_get(v, "travel_seconds")) + 59) / 60);
  icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  icalcomponent_add_property(ev, icalproperty_new_uid(uid));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(start)));
  icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(start)));
  icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(end)));
  icalcomponent_add_property(ev, icalproperty_new_summary(summary));
  if (location[0]) icalcomponent_add_property(ev, icalproperty_new_location(location));
  icalcomponent_add_property(ev, icalproperty_new_description(desc));
  return ev;
}

char *hw_ical_roster(const json_t *roster, const char *worker_name, const char *date) {
  icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  if (!cal) return NULL;
  char name[160];
  snprintf(name, sizeof name, "%s - roster %s", worker_name, date);
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Homeward//Roster//EN"));
  icalcomponent_add_property(cal, icalproperty_new_x(name));
  icalproperty_set_x_name(icalcomponent_get_first_property(cal, ICAL_X_PROPERTY), "X-WR-CALNAME");
  size_t i;
  const json_t *v;
  json_array_foreach(json_object_get(roster, "visits"), i, v) {
    icalcomponent *ev = visit_event(v, worker_name);
    if (ev) icalcomponent_add_component(cal, ev);
  }
  char *text = icalcomponent_as_ical_string_r(cal);
  icalcomponent_free(cal);
  return text;
}
