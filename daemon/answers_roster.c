/*
 * JSON of workers' days, drafts, change notes and late visits (hw_answers_roster.h).
 */
#include "hw_answers_roster.h"

#include "hw_answers.h"
#include "hw_codec.h"
#include "hw_codec_reader.h"
#include "hw_codec_roster.h"
#include "hw_error.h"

static json_t *worker_ids_json(const hw_id ids[2]) {
  json_t *arr = json_array();
  for (int k = 0; arr && k < 2; k++)
    if (ids[k]) json_array_append_new(arr, json_integer(ids[k]));
  return arr;
}

static json_t *span_json(hw_time a, hw_time b) {
  return a == HW_TIME_NONE ? json_null() : json_pack("{s:o, s:o}", "start", hw_json_time(a), "end", hw_json_time(b));
}

int hw_json_add_frame(json_t *doc, const hw_worker *w, hw_date date, const hw_roster_line *lines, int32_t n) {
  hw_day_frame f;
  hw_service_day_frame(w, date, lines, n, &f);
  json_t *brk = json_null();
  if (f.break_minutes > 0)
    brk = json_pack("{s:o, s:o, s:i, s:o}", "start", hw_json_time(f.break_start), "end", hw_json_time(f.break_end),
                    "minutes", f.break_minutes, "window", span_json(f.break_window_start, f.break_window_end));
  if (!brk || json_object_set_new(doc, "break", brk)) return HW_ENOMEM;
  json_t *shift = span_json(f.shift_start, f.shift_end);
  return shift && json_object_set_new(doc, "shift", shift) == 0 ? 0 : HW_ENOMEM;
}

json_t *hw_json_roster_line(const hw_roster_line *l) {
  const hw_visit *v = &l->visit;
  json_t *client = json_pack("{s:I, s:s, s:{s:f, s:f}}", "id", (json_int_t)l->client.id, "name", l->client.name,
                             "location", "lat", l->client.location.lat_e6 / 1e6, "lon",
                             l->client.location.lon_e6 / 1e6);
  return json_pack("{s:I, s:o, s:o, s:o, s:i, s:i, s:o, s:s, s:i, s:b, s:b, s:o, s:o, s:o}", "visit",
                   (json_int_t)v->id, "client", client, "start", hw_json_time(l->entry.planned_start), "end",
                   hw_json_time(l->entry.planned_start + (hw_time)v->duration * 60), "travel_seconds",
                   l->entry.travel_seconds, "duration", v->duration, "skills",
                   hw_json_name_set(&hw_skill_names, v->skills), "status", hw_visit_status_name(v->status), "workers",
                   v->workers, "pinned", v->pinned, "medication", v->medication, "worker_ids",
                   worker_ids_json(v->worker_ids), "window",
                   json_pack("{s:o, s:o}", "start", hw_json_time(v->window_start), "end", hw_json_time(v->window_end)),
                   "check_in", hw_json_time(v->check_in));
}

static json_t *day_json(hw_date date, const hw_roster_view *d) {
  json_t *lines = json_array();
  for (int32_t k = 0; lines && k < d->n_lines; k++) json_array_append_new(lines, hw_json_roster_line(&d->lines[k]));
  json_t *doc = json_pack("{s:o, s:o, s:I, s:I}", "date", hw_json_date(date), "visits", lines, "travel_seconds",
                          (json_int_t)d->travel_seconds, "visit_minutes", (json_int_t)d->visit_minutes);
  if (doc && hw_json_add_frame(doc, &d->worker, date, d->lines, d->n_lines)) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

json_t *hw_json_worker_days(hw_date from, const hw_roster_view *days, int32_t n) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < n; i++)
    if (json_array_append_new(list, day_json(from + i, &days[i]))) {
      json_decref(list);
      return NULL;
    }
  const hw_worker *w = &days[0].worker;
  return json_pack("{s:{s:I, s:s, s:I}, s:o, s:o, s:o}", "worker", "id", (json_int_t)w->id, "name", w->name,
                   "team_id", (json_int_t)w->team_id, "from", hw_json_date(from), "to", hw_json_date(from + n - 1),
                   "days", list);
}

static json_t *draft_visits_json(const hw_draft_view *v, json_t *unplaced) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < v->n_visits; i++) {
    const hw_draft_visit *d = &v->visits[i];
    json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:o, s:s}", "visit", (json_int_t)d->visit_id, "status",
                                          hw_visit_status_name(d->status), "worker_ids",
                                          worker_ids_json(d->worker_ids), "planned_start",
                                          hw_json_time(d->planned_start), "unplaced_reason", d->unplaced_reason));
    if (d->unplaced_reason[0])
      json_array_append_new(unplaced, json_pack("{s:I, s:s}", "visit", (json_int_t)d->visit_id, "reason",
                                                d->unplaced_reason));
  }
  return list;
}

static json_t *draft_rosters_json(const hw_draft_view *v) {
  json_t *list = json_array(), *entries = NULL;
  for (int32_t i = 0; list && i < v->n_entries; i++) {
    const hw_roster_entry *e = &v->entries[i];
    if (i == 0 || v->entries[i - 1].worker_id != e->worker_id) {
      entries = json_array();
      json_array_append_new(list, json_pack("{s:I, s:o}", "worker_id", (json_int_t)e->worker_id, "entries", entries));
    }
    json_array_append_new(entries, json_pack("{s:I, s:o, s:i}", "visit", (json_int_t)e->visit_id, "start",
                                             hw_json_time(e->planned_start), "travel_seconds", e->travel_seconds));
  }
  return list;
}

json_t *hw_json_draft_view(const hw_draft_view *v) {
  json_t *unplaced = json_array();
  json_t *visits = unplaced ? draft_visits_json(v, unplaced) : NULL;
  return json_pack("{s:o, s:o, s:o, s:o}", "draft", hw_draft_to_json(&v->draft), "visits", visits, "rosters",
                   draft_rosters_json(v), "unplaced", unplaced);
}

json_t *hw_json_publish_result(const hw_publish_result *r) {
  return json_pack("{s:o, s:i, s:i}", "draft", hw_draft_to_json(&r->draft), "notes", r->notes, "workers_told",
                   r->workers_told);
}

json_t *hw_json_notes(const hw_roster_note *n, int32_t count, hw_id after) {
  json_t *list = json_array();
  hw_id next = after;
  for (int32_t i = 0; list && i < count; i++) {
    json_array_append_new(list, hw_roster_note_to_json(&n[i]));
    if (n[i].id > next) next = n[i].id;
  }
  return json_pack("{s:o, s:I}", "changes", list, "next", (json_int_t)next);
}

json_t *hw_json_late_visits(hw_time now, int32_t grace, const hw_visit *v, int32_t n) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < n; i++) json_array_append_new(list, hw_visit_to_json(&v[i]));
  return json_pack("{s:o, s:i, s:o}", "now", hw_json_time(now), "grace_minutes", grace, "visits", list);
}
