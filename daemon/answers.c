/*
 * The API's JSON answers from the service's structs (hw_answers.h).
 */
#include "hw_answers.h"
#include "hw_answers_roster.h"

#include <string.h>

#include "hw_codec.h"
#include "hw_codec_reader.h"

static json_t *num_or_null(double x) { return x < 0 ? json_null() : json_real(hw_round1(x)); }
static double pct(int64_t part, int64_t whole) { return whole > 0 ? 100.0 * (double)part / (double)whole : -1; }

/* Set key on doc unless doc is NULL (the reference of v is stolen either way). */
static json_t *with(json_t *doc, const char *key, json_t *v) {
  if (!doc || !v || json_object_set_new(doc, key, v)) {
    json_decref(v);
    json_decref(doc);
    return NULL;
  }
  return doc;
}

/* ---- Repairs ----------------------------------------------------------------------- */

static json_t *placement_json(const hw_id workers[2], hw_time start) {
  if (start == HW_TIME_NONE && !workers[0]) return json_null();
  json_t *ws = json_array();
  for (int k = 0; k < 2; k++)
    if (workers[k]) json_array_append_new(ws, json_integer(workers[k]));
  return json_pack("{s:o?, s:o, s:o}", "worker", workers[0] ? json_integer(workers[0]) : NULL, "workers", ws, "start",
                   hw_json_time(start));
}

json_t *hw_json_repair(const hw_repair_report *r) {
  json_t *changes = json_array();
  for (int32_t i = 0; changes && i < r->n_changes; i++) {
    const hw_repair_change *ch = &r->changes[i];
    json_array_append_new(changes, json_pack("{s:I, s:o, s:o, s:o}", "visit", (json_int_t)ch->visit_id, "date",
                                             hw_json_date(ch->date), "from",
                                             placement_json(ch->old_workers, ch->old_start), "to",
                                             placement_json(ch->new_workers, ch->new_start)));
  }
  return json_pack("{s:o, s:i, s:i}", "changes", changes, "unplaced", r->unplaced, "more_changes", r->more);
}

/* ---- Records with what came of them -------------------------------------------------- */

json_t *hw_json_referral_result(const hw_referral_result *r) {
  json_t *doc = hw_referral_to_json(&r->referral);
  doc = with(doc, "visits_created", json_integer(r->visits_created));
  doc = with(doc, "visits_cancelled", json_integer(r->visits_cancelled));
  doc = with(doc, "repair", hw_json_repair(&r->repair));
  if (r->client.id) doc = with(doc, "client", hw_client_to_json(&r->client));
  return doc;
}

json_t *hw_json_review_result(const hw_review_result *r) {
  return json_pack("{s:o, s:o, s:o, s:i}", "review", hw_review_to_json(&r->review), "referral",
                   hw_referral_to_json(&r->referral), "next_referral",
                   r->next.id ? hw_referral_to_json(&r->next) : json_null(), "visits_cancelled", r->visits_cancelled);
}

json_t *hw_json_visit_result(const hw_visit_result *r) {
  return with(hw_visit_to_json(&r->visit), "repair", hw_json_repair(&r->repair));
}

json_t *hw_json_suspend_result(const hw_suspend_result *r) {
  return json_pack("{s:o, s:i, s:o}", "client", hw_client_to_json(&r->client), "visits_changed", r->visits_changed,
                   "repair", hw_json_repair(&r->repair));
}

json_t *hw_json_absence_result(const hw_absence_result *r) {
  return json_pack("{s:o, s:o}", "absence", hw_absence_to_json(&r->absence), "repair", hw_json_repair(&r->repair));
}

json_t *hw_json_offer_visits(const hw_d2a_offer *of) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < of->n_visits; i++) {
    const hw_visit *v = &of->visits[i];
    json_t *workers = json_array();
    for (int k = 0; k < 2; k++)
      if (v->worker_ids[k]) json_array_append_new(workers, json_integer(v->worker_ids[k]));
    json_array_append_new(list, json_pack("{s:o, s:o, s:i, s:o, s:b}", "date", hw_json_date(v->date), "start",
                                          hw_json_time(v->planned_start), "duration", v->duration, "workers",
                                          workers, "medication", v->medication));
  }
  return list;
}

json_t *hw_json_discharge_result(const hw_discharge_result *r) {
  json_t *doc = hw_discharge_to_json(&r->discharge);
  const hw_discharge *d = &r->discharge;
  if (r->has_offer && (d->status == HW_DISCHARGE_OFFERED || d->status == HW_DISCHARGE_ACCEPTED)) {
    doc = with(doc, "start", hw_json_time(r->offer.first_visit));
    doc = with(doc, "visits", hw_json_offer_visits(&r->offer));
  } else if (r->has_offer && d->status == HW_DISCHARGE_WAITING) {
    doc = with(doc, "reason", json_string(r->offer.reason));
    doc = with(doc, "why_not_today", json_string(hw_d2a_miss_name(r->offer.miss)));
  }
  if (r->n_visit_ids > 0) {
    json_t *ids = json_array();
    for (int32_t i = 0; ids && i < r->n_visit_ids; i++) json_array_append_new(ids, json_integer(r->visit_ids[i]));
    doc = with(doc, "visit_ids", ids);
  }
  if (r->client.id) doc = with(doc, "client", hw_client_to_json(&r->client));
  return doc;
}

/* ---- Rosters ---------------------------------------------------------------------- */

json_t *hw_json_rosters(hw_date date, const hw_roster_view *v, int32_t n) {
  json_t *rosters = json_array();
  for (int32_t i = 0; rosters && i < n; i++) {
    json_t *lines = json_array();
    for (int32_t k = 0; lines && k < v[i].n_lines; k++)
      json_array_append_new(lines, hw_json_roster_line(&v[i].lines[k]));
    json_t *one = json_pack("{s:{s:I, s:s, s:I}, s:o, s:I, s:I}", "worker", "id", (json_int_t)v[i].worker.id, "name",
                            v[i].worker.name, "team_id", (json_int_t)v[i].worker.team_id, "visits", lines,
                            "travel_seconds", (json_int_t)v[i].travel_seconds, "visit_minutes",
                            (json_int_t)v[i].visit_minutes);
    if (one) hw_json_add_frame(one, &v[i].worker, date, v[i].lines, v[i].n_lines);
    json_array_append_new(rosters, one);
  }
  return json_pack("{s:o, s:o}", "date", hw_json_date(date), "rosters", rosters);
}

/* ---- Outcomes ---------------------------------------------------------------------- */

static json_t *week_json(const hw_outcomes_week *w) {
  return json_pack("{s:o, s:i, s:i, s:i, s:i, s:i, s:o, s:i, s:o, s:o}", "week_start", hw_json_date(w->monday),
                   "days", w->days, "census_days", w->census_days, "occupied_bed_days", w->occupied_bed_days,
                   "d2a_requests", w->d2a_requests, "discharged", w->discharged, "same_day_discharge_pct",
                   num_or_null(pct(w->discharged_same_day, w->discharged)), "reablement_ended", w->reablement_ended,
                   "reablement_independent_pct", num_or_null(pct(w->reablement_independent, w->reablement_ended)),
                   "unallocated_visit_hours", json_real(hw_round1((double)w->unallocated_visit_minutes / 60.0)));
}

json_t *hw_json_outcomes(const hw_outcomes *o) {
  json_t *weeks = json_array();
  for (int32_t i = 0; weeks && i < o->n_weeks; i++) json_array_append_new(weeks, week_json(&o->weeks[i]));
  int as_of = o->now != HW_TIME_NONE && o->now != 0;
  json_t *same_day = json_pack("{s:i, s:o, s:i, s:o}", "ready_by_16", o->discharged_ready_by_16,
                               "ready_by_16_pct", num_or_null(o->same_day_ready_by_16_pct), "no_start_possible",
                               o->discharged_no_start_today, "possible_pct", num_or_null(o->same_day_possible_pct));
  json_t *doc = json_pack(
      "{s:o, s:o, s:o, s:I, s:o, s:o, s:i, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "from",
      hw_json_date(o->from), "to", hw_json_date(o->to), "as_of", as_of ? hw_json_time(o->now) : json_null(),
      "occupied_bed_days", (json_int_t)o->occupied_bed_days, "weekly_occupied_bed_days_mean",
      num_or_null(o->weekly_occupied_bed_days_mean), "weekly_occupied_bed_days_median",
      num_or_null(o->weekly_occupied_bed_days_median), "d2a_requests", o->d2a_requests, "discharged", o->discharged,
      "same_day_discharge_pct", num_or_null(o->same_day_discharge_pct), "reablement_ended", o->reablement_ended,
      "reablement_independent_pct", num_or_null(o->reablement_independent_pct), "unallocated_visit_hours",
      json_real(hw_round1(o->unallocated_visit_hours)), "travel_share_pct", num_or_null(o->travel_share_pct),
      "continuity_workers_per_client_week", num_or_null(o->continuity_workers_per_client_week), "punctuality_pct",
      num_or_null(o->punctuality_pct), "mean_lateness_min", num_or_null(o->mean_lateness_min), "weeks", weeks);
  if (doc && json_object_set_new(doc, "same_day", same_day)) {
    json_decref(doc);
    return NULL;
  }
  if (!doc) json_decref(same_day);
  return doc;
}

/* ---- Who is free ------------------------------------------------------------------ */

json_t *hw_json_availability(hw_time start, hw_time end, const hw_availability *a, int32_t n) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < n; i++) {
    json_t *gap = a[i].free ? json_pack("{s:o, s:o}", "start", hw_json_time(a[i].gap_start), "end",
                                        hw_json_time(a[i].gap_end))
                            : json_null();
    json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:b, s:o, s:i}", "id", (json_int_t)a[i].worker.id, "name",
                                          a[i].worker.name, "team_id", (json_int_t)a[i].worker.team_id, "free",
                                          a[i].free, "gap", gap, "visits_in_window", a[i].visits_in_window));
  }
  return json_pack("{s:o, s:o, s:o}", "start", hw_json_time(start), "end", hw_json_time(end), "workers", list);
}

static json_t *reserve_weekday(const int32_t minutes[HW_D2A_RESERVE_PEAKS], int wd) {
  json_t *day = json_pack("{s:s}", "weekday", hw_names_get(&hw_weekday_names, wd));
  for (int p = 0; day && p < HW_D2A_RESERVE_PEAKS; p++)
    json_object_set_new(day, hw_d2a_peak_name(p), json_integer(minutes[p]));
  return day;
}

json_t *hw_json_reserve(const hw_reserve_week *w, int32_t n) {
  json_t *list = json_array();
  for (int32_t i = 0; list && i < n; i++) {
    json_t *days = json_array();
    for (int wd = 0; days && wd < 7; wd++) json_array_append_new(days, reserve_weekday(w[i].minutes[wd], wd));
    json_array_append_new(list, json_pack("{s:I, s:s, s:o}", "locality_id", (json_int_t)w[i].locality_id, "source",
                                          w[i].from_forecast ? "forecast" : "fixed", "weekdays", days));
  }
  return json_pack("{s:o}", "localities", list);
}

/* ---- Plans and lists ------------------------------------------------------------- */

json_t *hw_json_plan_report(const hw_plan_report *r) {
  json_t *unplaced = json_array();
  for (int32_t i = 0; unplaced && i < r->n_unplaced; i++)
    json_array_append_new(unplaced, json_pack("{s:I, s:s}", "visit", (json_int_t)r->unplaced[i].visit_id, "reason",
                                              r->unplaced[i].reason));
  return json_pack("{s:i, s:i, s:i, s:i, s:I, s:I, s:I, s:b, s:I, s:I, s:I, s:i, s:i, s:i, s:o}", "visits",
                   r->visits, "assigned", r->assigned, "unassigned", r->unassigned, "workers_used", r->workers_used,
                   "travel_seconds", (json_int_t)r->travel_seconds, "solve_ms", (json_int_t)r->solve_ms, "iterations",
                   (json_int_t)r->iterations, "feasible", r->feasible, "event_seq", (json_int_t)r->event_seq,
                   "publish_ms", (json_int_t)r->publish_ms, "publish_max_ms", (json_int_t)r->publish_max_ms,
                   "publish_chunks", r->chunks, "visits_written", r->visits_written, "rosters_written",
                   r->rosters_written, "unplaced", unplaced);
}

json_t *hw_json_list(const char *key, const void *items, int32_t n, size_t size, json_t *(*enc)(const void *)) {
  json_t *arr = json_array();
  for (int32_t i = 0; arr && i < n; i++)
    if (json_array_append_new(arr, enc((const char *)items + (size_t)i * size))) {
      json_decref(arr);
      return NULL;
    }
  return arr ? json_pack("{s:o}", key, arr) : NULL;
}
