/*
 * JSON codecs of the care being delivered: visit templates (a care plan's
 * recurring visits), referrals, discharge-to-assess requests, concrete visits,
 * roster lines, logged events, and the whole partnership document.
 *
 * Same pattern as codec_people.c: allowed fields, the reader toolkit for each
 * field, cross-field checks, and every problem reported under its JSON pointer.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec_reader.h"
#include "hw_error.h"

static void add_at(hw_errors *errs, const char *base, const char *key, const char *reason) {
  char p[HW_PATH_MAX];
  hw_path_key(p, base, key);
  hw_errors_add(errs, p, "%s", reason);
}

/* ---- Visit template --------------------------------------------------------------- */

json_t *hw_visit_template_to_json(const hw_visit_template *v) {
  json_t *o = json_pack("{s:o, s:o, s:i, s:o, s:i, s:b}", "days",
                        hw_json_name_set(&hw_weekday_names, v->weekdays), "window",
                        hw_json_minute_window(v->window), "duration", (int)v->duration,
                        "skills", hw_json_name_set(&hw_skill_names, v->skills), "workers",
                        (int)v->workers, "medication", v->medication != 0);
  if (o && v->medication &&
      json_object_set_new(o, "prescribed", hw_json_minute(v->prescribed_minute))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Medication visits happen at a prescribed minute inside the window and need the
 * medication skill (added when the sender left it out). */
static void read_medication(const hw_reader *r, int window_ok, hw_visit_template *out) {
  int medication = 0, prescribed = 0;
  hw_get_bool(r, "medication", 0, &medication);
  int p_ok = hw_get_minute(r, "prescribed", medication, &prescribed);
  out->medication = (uint8_t)medication;
  if (!medication) {
    if (p_ok == 1) add_at(r->errs, r->path, "prescribed", "only allowed when medication is true");
    return;
  }
  out->skills |= 1u << HW_SKILL_MEDICATION;
  if (p_ok == 1 && window_ok == 1 && (prescribed < out->window.start || prescribed > out->window.end))
    add_at(r->errs, r->path, "prescribed", "must be within the window");
  out->prescribed_minute = (int16_t)prescribed;
}

int hw_visit_template_from_json(const json_t *j, const char *path, hw_visit_template *out,
                                hw_errors *errs) {
  static const char *const fields[] = {"days", "window", "duration", "skills", "workers",
                                       "medication", "prescribed", NULL};
  int32_t before = hw_errors_total(errs), duration = 0, workers = 1;
  uint32_t bits = 0;
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  if (hw_get_name_set(&r, "days", 1, &hw_weekday_names, 1, &bits) == 1) out->weekdays = (uint8_t)bits;
  int window_ok = hw_get_minute_window(&r, "window", 1, &out->window);
  if (hw_get_i32(&r, "duration", 1, 5, 240, &duration) == 1) out->duration = (int16_t)duration;
  hw_get_name_set(&r, "skills", 0, &hw_skill_names, 0, &out->skills);
  hw_get_i32(&r, "workers", 0, 1, 2, &workers);
  out->workers = (uint8_t)workers;
  read_medication(&r, window_ok, out);
  return hw_decoded(errs, before);
}

/* {"visits":[template, ...]} with 1..HW_MAX_TEMPLATES visits. */
static json_t *care_plan_to_json(const hw_visit_template *t, int32_t n) {
  json_t *arr = json_array();
  int ok = arr != NULL;
  for (int32_t i = 0; i < n && i < HW_MAX_TEMPLATES; i++)
    ok &= json_array_append_new(arr, hw_visit_template_to_json(&t[i])) == 0;
  if (!ok) {
    json_decref(arr);
    return NULL;
  }
  return json_pack("{s:o}", "visits", arr);
}

static void read_care_plan(const hw_reader *r, hw_visit_template *t, int32_t *n) {
  static const char *const fields[] = {"visits", NULL};
  const json_t *v, *arr;
  char p[HW_PATH_MAX], vp[HW_PATH_MAX], ip[HW_PATH_MAX];
  hw_reader plan;
  if (hw_get(r, "care_plan", 1, &v, p) != 1 || hw_reader_open(&plan, v, p, r->errs, fields) < 0)
    return;
  if (hw_get_array(&plan, "visits", 1, 1, HW_MAX_TEMPLATES, &arr, vp) != 1) return;
  *n = (int32_t)json_array_size(arr);
  for (int32_t i = 0; i < *n; i++) {
    hw_path_index(ip, vp, (size_t)i);
    hw_visit_template_from_json(json_array_get(arr, (size_t)i), ip, &t[i], r->errs);
  }
}

int hw_care_plan_from_json(const json_t *j, const char *path, hw_visit_template *t, int32_t *n, hw_errors *errs) {
  static const char *const fields[] = {"care_plan", NULL};
  int32_t before = hw_errors_total(errs);
  json_t *wrap = json_pack("{s:O}", "care_plan", (json_t *)j);
  hw_reader r;
  *n = 0;
  if (!wrap) return HW_ENOMEM;
  if (hw_reader_open(&r, wrap, "", errs, fields) >= 0) read_care_plan(&r, t, n);
  json_decref(wrap);
  /* Errors were reported under "/care_plan..."; the caller's path says where it is. */
  for (int32_t i = before; i < errs->n; i++) {
    char rest[HW_PATH_MAX];
    snprintf(rest, sizeof rest, "%s", errs->e[i].path + strlen("/care_plan"));
    snprintf(errs->e[i].path, sizeof errs->e[i].path, "%s%s", path, rest);
  }
  return hw_decoded(errs, before);
}

/* ---- Referral ------------------------------------------------------------------- */

/* {"reason", "earliest"} of a waiting referral, null otherwise. */
static json_t *waiting_to_json(const hw_referral *v) {
  if (v->status != HW_REFERRAL_WAITING) return json_null();
  return json_pack("{s:s, s:o}", "reason", v->waiting_reason, "earliest", hw_json_date(v->earliest));
}

json_t *hw_referral_to_json(const hw_referral *v) {
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:o, s:o}", "id",
                   (json_int_t)v->id, "client_id", (json_int_t)v->client_id, "source",
                   hw_referral_source_name(v->source), "pathway", hw_pathway_name(v->pathway),
                   "status", hw_referral_status_name(v->status), "team_id",
                   (json_int_t)v->team_id, "received_at", hw_json_time(v->received_at),
                   "start_date", hw_json_date(v->start_date), "end_date",
                   hw_json_date(v->end_date), "outcome", hw_episode_outcome_name(v->outcome),
                   "care_plan", care_plan_to_json(v->templates, v->n_templates), "waiting",
                   waiting_to_json(v));
}

/* "waiting": {"reason", "earliest"} or null (a stored record read back). */
static void read_waiting(const hw_reader *r, hw_referral *out) {
  static const char *const fields[] = {"reason", "earliest", NULL};
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader w;
  if (hw_get(r, "waiting", 0, &v, p) != 1 || hw_reader_open(&w, v, p, r->errs, fields) < 0)
    return;
  out->earliest = HW_DATE_NONE;
  hw_get_string(&w, "reason", 0, out->waiting_reason, sizeof out->waiting_reason);
  hw_get_date(&w, "earliest", 0, &out->earliest);
}

int hw_referral_from_json(const json_t *j, const char *path, hw_referral *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "client_id", "source", "pathway", "status",
                                       "team_id", "received_at", "start_date", "end_date",
                                       "outcome", "care_plan", "waiting", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  out->received_at = HW_TIME_NONE;
  out->end_date = HW_DATE_NONE;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "client_id", 1, &out->client_id);
  HW_GET_ENUM(&r, "source", 1, &hw_source_names, out->source);
  HW_GET_ENUM(&r, "pathway", 0, &hw_pathway_names, out->pathway);
  int status = HW_REFERRAL_WAITING, outcome = HW_OUTCOME_NONE;
  int status_ok = hw_get_enum(&r, "status", 0, &hw_referral_status_names, &status);
  hw_get_id(&r, "team_id", 0, &out->team_id);
  hw_get_time(&r, "received_at", 0, &out->received_at);
  int start_ok = hw_get_date(&r, "start_date", 1, &out->start_date);
  int end_ok = hw_get_date(&r, "end_date", 0, &out->end_date);
  int outcome_ok = hw_get_enum(&r, "outcome", 0, &hw_outcome_names, &outcome);
  out->status = (hw_referral_status)status;
  out->outcome = (hw_episode_outcome)outcome;
  read_care_plan(&r, out->templates, &out->n_templates);
  read_waiting(&r, out);
  if (start_ok == 1 && end_ok == 1 && out->end_date < out->start_date)
    add_at(errs, path, "end_date", "must not be before start_date");
  if (outcome_ok == 1 && status_ok >= 0 && out->outcome != HW_OUTCOME_NONE &&
      out->status != HW_REFERRAL_ENDED)
    add_at(errs, path, "outcome", "only allowed when status is ended");
  return hw_decoded(errs, before);
}

/* ---- Discharge ------------------------------------------------------------------ */

json_t *hw_discharge_to_json(const hw_discharge *v) {
  return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id",
                   (json_int_t)v->id, "client_id", (json_int_t)v->client_id, "referral_id",
                   (json_int_t)v->referral_id, "hospital", v->hospital, "ward", v->ward,
                   "ready_at", hw_json_time(v->ready_at), "status",
                   hw_discharge_status_name(v->status), "offered_start",
                   hw_json_time(v->offered_start), "earliest", hw_json_date(v->earliest),
                   "discharged_at", hw_json_time(v->discharged_at), "care_plan",
                   care_plan_to_json(v->templates, v->n_templates));
}

int hw_discharge_from_json(const json_t *j, const char *path, hw_discharge *out,
                           hw_errors *errs) {
  static const char *const fields[] = {"id", "client_id", "referral_id", "hospital", "ward",
                                       "ready_at", "status", "offered_start", "earliest",
                                       "discharged_at", "care_plan", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  out->offered_start = HW_TIME_NONE;
  out->earliest = HW_DATE_NONE;
  out->discharged_at = HW_TIME_NONE;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "client_id", 1, &out->client_id);
  hw_get_id(&r, "referral_id", 0, &out->referral_id);
  hw_get_string(&r, "hospital", 1, out->hospital, sizeof out->hospital);
  hw_get_string(&r, "ward", 0, out->ward, sizeof out->ward);
  hw_get_time(&r, "ready_at", 1, &out->ready_at);
  HW_GET_ENUM(&r, "status", 0, &hw_discharge_status_names, out->status);
  hw_get_time(&r, "offered_start", 0, &out->offered_start);
  hw_get_date(&r, "earliest", 0, &out->earliest);
  hw_get_time(&r, "discharged_at", 0, &out->discharged_at);
  read_care_plan(&r, out->templates, &out->n_templates);
  return hw_decoded(errs, before);
}

/* ---- Visit ------------------------------------------------------------------------ */

json_t *hw_visit_to_json(const hw_visit *v) {
  json_t *ids = json_array();
  int ok = ids != NULL;
  for (int i = 0; i < 2; i++)
    if (v->worker_ids[i]) ok &= json_array_append_new(ids, json_integer(v->worker_ids[i])) == 0;
  if (!ok) {
    json_decref(ids);
    ids = NULL;
  }
  return json_pack("{s:I, s:I, s:I, s:o, s:{s:o, s:o}, s:i, s:o, s:i, s:i, s:b, s:b, s:s, "
                   "s:o, s:o, s:o, s:o, s:o, s:o}",
                   "id", (json_int_t)v->id, "referral_id", (json_int_t)v->referral_id,
                   "client_id", (json_int_t)v->client_id, "date", hw_json_date(v->date),
                   "window", "start", hw_json_time(v->window_start), "end",
                   hw_json_time(v->window_end), "duration", (int)v->duration, "skills",
                   hw_json_name_set(&hw_skill_names, v->skills), "workers", (int)v->workers,
                   "priority", (int)v->priority, "medication", v->medication != 0, "pinned",
                   v->pinned != 0, "status", hw_visit_status_name(v->status), "worker_ids",
                   ids, "planned_start", hw_json_time(v->planned_start), "check_in",
                   hw_json_time(v->check_in), "check_out", hw_json_time(v->check_out),
                   "cancel_reason", v->cancel_reason[0] ? json_string(v->cancel_reason) : json_null(),
                   "unplaced_reason", v->unplaced_reason[0] ? json_string(v->unplaced_reason) : json_null());
}


/* {"start": instant, "end": instant} with start < end. */
static void read_instant_window(const hw_reader *r, hw_visit *out) {
  static const char *const fields[] = {"start", "end", NULL};
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader w;
  if (hw_get(r, "window", 1, &v, p) != 1 || hw_reader_open(&w, v, p, r->errs, fields) < 0) return;
  int s_ok = hw_get_time(&w, "start", 1, &out->window_start);
  int e_ok = hw_get_time(&w, "end", 1, &out->window_end);
  if (s_ok == 1 && e_ok == 1 && out->window_end <= out->window_start)
    add_at(r->errs, p, "end", "must be after start");
}

static void read_visit_workers(const hw_reader *r, hw_visit *out) {
  const json_t *arr;
  char p[HW_PATH_MAX], ip[HW_PATH_MAX];
  if (hw_get_array(r, "worker_ids", 0, 0, 2, &arr, p) != 1) return;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    hw_path_index(ip, p, i);
    hw_val_id(json_array_get(arr, i), ip, r->errs, 1, &out->worker_ids[i]);
  }
  if (out->worker_ids[1] && out->worker_ids[0] == out->worker_ids[1]) {
    hw_path_index(ip, p, 1);
    hw_errors_add(r->errs, ip, "same worker listed twice");
  }
  if ((int32_t)json_array_size(arr) > out->workers)
    hw_errors_add(r->errs, p, "lists more workers than the visit needs (%d)", (int)out->workers);
}

int hw_visit_from_json(const json_t *j, const char *path, hw_visit *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "referral_id", "client_id", "date", "window",
                                       "duration", "skills", "workers", "priority",
                                       "medication", "pinned", "status", "worker_ids",
                                       "planned_start", "check_in", "check_out", "cancel_reason",
                                       "unplaced_reason", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  out->workers = 1;
  out->planned_start = out->check_in = out->check_out = HW_TIME_NONE;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "referral_id", 0, &out->referral_id);
  hw_get_id(&r, "client_id", 1, &out->client_id);
  hw_get_date(&r, "date", 1, &out->date);
  read_instant_window(&r, out);
  hw_get_i32(&r, "duration", 1, 5, 480, &out->duration); /* longer is a sitting service, not a visit */
  hw_get_name_set(&r, "skills", 0, &hw_skill_names, 0, &out->skills);
  hw_get_i32(&r, "workers", 0, 1, 2, &out->workers);
  hw_get_i32(&r, "priority", 0, 0, 100, &out->priority);
  hw_get_bool(&r, "medication", 0, &out->medication);
  hw_get_bool(&r, "pinned", 0, &out->pinned);
  HW_GET_ENUM(&r, "status", 0, &hw_visit_status_names, out->status);
  read_visit_workers(&r, out);
  hw_get_time(&r, "planned_start", 0, &out->planned_start);
  int in_ok = hw_get_time(&r, "check_in", 0, &out->check_in);
  int out_ok = hw_get_time(&r, "check_out", 0, &out->check_out);
  if (in_ok == 1 && out_ok == 1 && out->check_out < out->check_in)
    add_at(errs, path, "check_out", "must not be before check_in");
  hw_get_string(&r, "cancel_reason", 0, out->cancel_reason, sizeof out->cancel_reason);
  hw_get_string(&r, "unplaced_reason", 0, out->unplaced_reason, sizeof out->unplaced_reason);
  return hw_decoded(errs, before);
}

/* ---- Roster entry ---------------------------------------------------------------- */

json_t *hw_roster_entry_to_json(const hw_roster_entry *v) {
  return json_pack("{s:I, s:o, s:i, s:I, s:o, s:i}", "worker_id", (json_int_t)v->worker_id,
                   "date", hw_json_date(v->date), "seq", (int)v->seq, "visit_id",
                   (json_int_t)v->visit_id, "planned_start", hw_json_time(v->planned_start),
                   "travel_seconds", (int)v->travel_seconds);
}

int hw_roster_entry_from_json(const json_t *j, const char *path, hw_roster_entry *out,
                              hw_errors *errs) {
  static const char *const fields[] = {"worker_id", "date", "seq", "visit_id",
                                       "planned_start", "travel_seconds", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "worker_id", 1, &out->worker_id);
  hw_get_date(&r, "date", 1, &out->date);
  hw_get_i32(&r, "seq", 1, 0, 10000, &out->seq);
  hw_get_id(&r, "visit_id", 1, &out->visit_id);
  hw_get_time(&r, "planned_start", 1, &out->planned_start);
  hw_get_i32(&r, "travel_seconds", 0, 0, 86400, &out->travel_seconds);
  return hw_decoded(errs, before);
}

/* ---- Review ------------------------------------------------------------------------ */

json_t *hw_review_to_json(const hw_review *v) {
  return json_pack("{s:I, s:I, s:o, s:s, s:s, s:I, s:s}", "id", (json_int_t)v->id, "referral_id",
                   (json_int_t)v->referral_id, "date", hw_json_date(v->date), "finding",
                   hw_review_finding_name(v->finding), "outcome", hw_episode_outcome_name(v->outcome),
                   "next_referral_id", (json_int_t)v->next_referral_id, "note", v->note);
}

int hw_review_from_json(const json_t *j, const char *path, hw_review *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "referral_id", "date", "finding", "outcome",
                                       "next_referral_id", "note", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "referral_id", 0, &out->referral_id);
  hw_get_date(&r, "date", 1, &out->date);
  HW_GET_ENUM(&r, "finding", 1, &hw_finding_names, out->finding);
  HW_GET_ENUM(&r, "outcome", 0, &hw_outcome_names, out->outcome);
  hw_get_id(&r, "next_referral_id", 0, &out->next_referral_id);
  hw_get_string(&r, "note", 0, out->note, sizeof out->note);
  return hw_decoded(errs, before);
}

/* ---- D2A reserve row ------------------------------------------------------------------ */

static const char *const peak_names[HW_RESERVE_PEAKS] = {"morning", "lunch", "tea", "bedtime"};
static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

json_t *hw_reserve_row_to_json(const hw_reserve_row *v) {
  const char *peak = v->peak >= 0 && v->peak < HW_RESERVE_PEAKS ? peak_names[v->peak] : "?";
  const char *day = v->weekday >= 0 && v->weekday < 7 ? day_names[v->weekday] : "?";
  return json_pack("{s:I, s:s, s:s, s:i}", "locality_id", (json_int_t)v->locality_id, "weekday", day, "peak", peak,
                   "minutes", (int)v->minutes);
}

/* The index of the string at key among names[0..n), or -1 (with the reason in errs). */
static int get_one_of(const hw_reader *r, const char *key, const char *const *names, int n, const char *expect) {
  const json_t *v;
  char p[HW_PATH_MAX];
  if (hw_get(r, key, 1, &v, p) != 1) return -1;
  const char *s = json_string_value(v);
  for (int k = 0; s && k < n; k++)
    if (strcmp(s, names[k]) == 0) return k;
  hw_errors_add(r->errs, p, "must be %s", expect);
  return -1;
}

int hw_reserve_row_from_json(const json_t *j, const char *path, hw_reserve_row *out, hw_errors *errs) {
  static const char *const fields[] = {"locality_id", "weekday", "peak", "minutes", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "locality_id", 1, &out->locality_id);
  out->weekday = get_one_of(&r, "weekday", day_names, 7, "a day: mon, tue, ..., sun");
  out->peak = get_one_of(&r, "peak", peak_names, HW_RESERVE_PEAKS, "morning, lunch, tea or bedtime");
  hw_get_i32(&r, "minutes", 1, 0, 240, &out->minutes);
  return hw_decoded(errs, before);
}

/* ---- Event ------------------------------------------------------------------------ */

/* The payload as parsed JSON; text that does not parse is kept as a string.
 * NULL when memory ran out: a payload that failed to parse for that reason is
 * not "text that does not parse", and a document jansson parsed while losing an
 * allocation may miss a character. */
static json_t *payload_to_json(const char *payload) {
  if (!payload) return json_null();
  uint64_t lost = hw_json_alloc_failures();
  json_t *p = json_loads(payload, JSON_DECODE_ANY, NULL);
  if (hw_json_alloc_failures() != lost) {
    json_decref(p);
    return NULL;
  }
  return p ? p : json_string(payload);
}

json_t *hw_event_to_json(const hw_event *v) {
  return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "seq", (json_int_t)v->seq, "type",
                   v->type, "actor", v->actor, "idempotency_key", v->idempotency_key,
                   "received_at", hw_json_time(v->received_at), "locality_id",
                   v->locality_id ? json_integer(v->locality_id) : json_null(), "payload",
                   payload_to_json(v->payload));
}

/* Decoding fills out->payload with malloc'd canonical JSON text (NULL when there is
 * no payload); the caller frees it. On failure it is NULL. */
int hw_event_from_json(const json_t *j, const char *path, hw_event *out, hw_errors *errs) {
  static const char *const fields[] = {"seq", "type", "actor", "idempotency_key",
                                       "received_at", "locality_id", "payload", NULL};
  int32_t before = hw_errors_total(errs);
  const json_t *payload;
  char p[HW_PATH_MAX];
  hw_reader r;
  memset(out, 0, sizeof *out);
  out->received_at = HW_TIME_NONE;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_int(&r, "seq", 0, 0, INT64_MAX, &out->seq);
  hw_get_string(&r, "type", 1, out->type, sizeof out->type);
  hw_get_string(&r, "actor", 1, out->actor, sizeof out->actor);
  hw_get_string(&r, "idempotency_key", 0, out->idempotency_key, sizeof out->idempotency_key);
  hw_get_time(&r, "received_at", 0, &out->received_at);
  hw_get_id(&r, "locality_id", 0, &out->locality_id);
  if (hw_errors_total(errs) > before) return HW_EINVAL;
  if (hw_get(&r, "payload", 0, &payload, p) == 1) {
    out->payload = hw_json_dumps_canonical(payload);
    if (!out->payload) return HW_ENOMEM;
  }
  return 0;
}

/* ---- Partnership --------------------------------------------------------------------- */

/* One array of the partnership document: its key, element size, where the count
 * and pointer live, and the element codec. */
typedef struct section {
  const char *key;
  size_t size;
  size_t count_off, items_off;
  json_t *(*encode)(const void *item);
  int (*decode)(const json_t *j, const char *path, void *out, hw_errors *errs);
} section;

/* Type-erased wrappers, so the table calls each codec through its own type. */
#define HW_SECTION_CODEC(type)                                                          \
  static json_t *encode_##type(const void *v) { return hw_##type##_to_json(v); }        \
  static int decode_##type(const json_t *j, const char *path, void *out, hw_errors *e) { \
    return hw_##type##_from_json(j, path, out, e);                                      \
  }
HW_SECTION_CODEC(locality)
HW_SECTION_CODEC(team)
HW_SECTION_CODEC(worker)
HW_SECTION_CODEC(absence)
HW_SECTION_CODEC(client)
HW_SECTION_CODEC(referral)
HW_SECTION_CODEC(discharge)

#define HW_SECTION(key, type, count, items)                                                 \
  {key, sizeof(hw_##type), offsetof(hw_partnership, count), offsetof(hw_partnership, items), \
   encode_##type, decode_##type}

static const section sections[] = {
    HW_SECTION("localities", locality, n_localities, localities),
    HW_SECTION("teams", team, n_teams, teams),
    HW_SECTION("workers", worker, n_workers, workers),
    HW_SECTION("absences", absence, n_absences, absences),
    HW_SECTION("clients", client, n_clients, clients),
    HW_SECTION("referrals", referral, n_referrals, referrals),
    HW_SECTION("discharges", discharge, n_discharges, discharges),
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static int32_t *section_count(const hw_partnership *p, const section *s) {
  return (int32_t *)((char *)p + s->count_off);
}

static void **section_items(const hw_partnership *p, const section *s) {
  return (void **)((char *)p + s->items_off);
}

json_t *hw_partnership_to_json(const hw_partnership *v) {
  json_t *doc = json_object();
  for (size_t k = 0; doc && k < N_SECTIONS; k++) {
    const section *s = &sections[k];
    json_t *arr = json_array();
    const char *items = *section_items(v, s);
    int ok = json_object_set_new(doc, s->key, arr) == 0;
    for (int32_t i = 0; ok && i < *section_count(v, s); i++)
      ok = json_array_append_new(arr, s->encode(items + (size_t)i * s->size)) == 0;
    if (!ok) {
      json_decref(doc);
      return NULL;
    }
  }
  return doc;
}

/* Decode one array into a fresh allocation. Returns 0, HW_EINVAL or HW_ENOMEM. */
static int decode_section(const hw_reader *r, const section *s, hw_partnership *out) {
  const json_t *arr;
  char p[HW_PATH_MAX], ip[HW_PATH_MAX];
  int rc = hw_get_array(r, s->key, 0, 0, INT32_MAX, &arr, p);
  if (rc <= 0) return rc < 0 ? HW_EINVAL : 0;
  size_t n = json_array_size(arr);
  if (n == 0) return 0;
  char *items = calloc(n, s->size);
  if (!items) return HW_ENOMEM;
  *section_items(out, s) = items;
  *section_count(out, s) = (int32_t)n;
  rc = 0;
  for (size_t i = 0; i < n; i++) {
    hw_path_index(ip, p, i);
    if (s->decode(json_array_get(arr, i), ip, items + i * s->size, r->errs) != 0) rc = HW_EINVAL;
  }
  return rc;
}

int hw_partnership_from_json(const json_t *j, const char *path, hw_partnership *out,
                             hw_errors *errs) {
  static const char *const fields[] = {"localities", "teams", "workers", "absences",
                                       "clients", "referrals", "discharges", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  int rc = 0;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  for (size_t k = 0; k < N_SECTIONS && rc != HW_ENOMEM; k++) {
    int section_rc = decode_section(&r, &sections[k], out);
    if (section_rc) rc = section_rc;
  }
  /* Unknown top-level fields are problems too. */
  if (rc == 0 && hw_errors_total(errs) > before) rc = HW_EINVAL;
  if (rc) hw_partnership_free(out);
  return rc;
}
