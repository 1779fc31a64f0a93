/*
 * The JSON answers of the rosters as people see them: a worker's days (with the
 * shift and the break each day leaves room for), drafts and what publishing one
 * did, the change notes a worker reads, and the visits nobody checked in to.
 * Each returns a new reference, or NULL when out of memory.
 */
#ifndef HW_ANSWERS_ROSTER_H
#define HW_ANSWERS_ROSTER_H

#include <jansson.h>

#include "hw_service.h"

/* Set "shift" ({"start","end"} or null) and "break" ({"start","end","minutes",
 * "window"} or null) on doc for worker w's day date with the given lines. Returns
 * 0 or HW_ENOMEM. */
int hw_json_add_frame(json_t *doc, const hw_worker *w, hw_date date, const hw_roster_line *lines, int32_t n);
/* One roster line: {"visit","client","start","end","travel_seconds","duration",...}. */
json_t *hw_json_roster_line(const hw_roster_line *l);
/* {"worker":{id,name,team_id},"from","to","days":[{"date","shift","break","visits",
 *  "travel_seconds","visit_minutes"}]} of n consecutive days from `from`. */
json_t *hw_json_worker_days(hw_date from, const hw_roster_view *days, int32_t n);
/* {"draft", "visits":[{"visit","status","worker_ids","planned_start","unplaced_reason"}],
 *  "rosters":[{"worker_id","entries":[{"visit","start","travel_seconds"}]}],
 *  "unplaced":[{"visit","reason"}]}. */
json_t *hw_json_draft_view(const hw_draft_view *v);
/* {"draft","notes","workers_told"}. */
json_t *hw_json_publish_result(const hw_publish_result *r);
/* {"changes":[notes...],"next"}: next is the newest id (or after when none). */
json_t *hw_json_notes(const hw_roster_note *n, int32_t count, hw_id after);
/* {"now","grace_minutes","visits":[...]}. */
json_t *hw_json_late_visits(hw_time now, int32_t grace, const hw_visit *v, int32_t n);

#endif
