/*
 * Event payloads made of records (hw_records.h): collecting what a change stored,
 * writing it as canonical JSON, and reading it back for the outcome replay and
 * the change feed.
 */
#include "hw_records.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_codec_reader.h"
#include "hw_codec_roster.h"
#include "hw_error.h"

void hw_records_init(hw_records *r) { memset(r, 0, sizeof *r); }

void hw_records_free(hw_records *r) {
  free(r->referrals);
  free(r->discharges);
  free(r->visits);
  free(r->clients);
  free(r->workers);
  free(r->teams);
  free(r->absences);
  free(r->reviews);
  free(r->rosters);
  free(r->entries);
  free(r->drafts);
  free(r->notes);
  free(r->reserves);
  hw_records_init(r);
}

void hw_records_clear(hw_records *r) {
  r->n_referrals = r->n_discharges = r->n_visits = r->n_clients = r->n_workers = 0;
  r->n_teams = r->n_absences = r->n_reviews = r->n_rosters = r->n_entries = 0;
  r->n_drafts = r->n_notes = r->n_reserves = 0;
  r->note[0] = r->trigger[0] = '\0';
}

void hw_records_note(hw_records *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->note, sizeof r->note, fmt, ap);
  va_end(ap);
}

/* Room for one more element of size bytes in *arr (count n, capacity *cap). */
static int grow(void **arr, int32_t n, int32_t *cap, size_t size) {
  if (n < *cap) return 0;
  int32_t ncap = *cap ? *cap * 2 : 8;
  void *g = realloc(*arr, (size_t)ncap * size);
  if (!g) return HW_ENOMEM;
  *arr = g;
  *cap = ncap;
  return 0;
}

/* Replace the element whose leading hw_id equals v's (when v's id > 0), else append. */
static int put_by_id(void **arr, int32_t *n, int32_t *cap, size_t size, const void *v) {
  hw_id id = *(const hw_id *)v;
  for (int32_t i = 0; id > 0 && i < *n; i++) {
    char *slot = (char *)*arr + (size_t)i * size;
    if (*(hw_id *)slot == id) {
      memcpy(slot, v, size);
      return 0;
    }
  }
  if (grow(arr, *n, cap, size)) return HW_ENOMEM;
  memcpy((char *)*arr + (size_t)(*n)++ * size, v, size);
  return 0;
}

#define HW_RECORDS_ADD(type, name)                                                                  \
  int hw_records_add_##type(hw_records *r, const hw_##type *v) {                                    \
    return put_by_id((void **)&r->name, &r->n_##name, &r->cap_##name, sizeof *r->name, v);          \
  }
HW_RECORDS_ADD(referral, referrals)
HW_RECORDS_ADD(discharge, discharges)
HW_RECORDS_ADD(visit, visits)
HW_RECORDS_ADD(client, clients)
HW_RECORDS_ADD(worker, workers)
HW_RECORDS_ADD(team, teams)
HW_RECORDS_ADD(absence, absences)
HW_RECORDS_ADD(review, reviews)
HW_RECORDS_ADD(draft, drafts)
#undef HW_RECORDS_ADD

int hw_records_add_note(hw_records *r, const hw_roster_note *v) {
  return put_by_id((void **)&r->notes, &r->n_notes, &r->cap_notes, sizeof *r->notes, v);
}

int hw_records_add_reserve(hw_records *r, const hw_reserve_row *v) {
  if (grow((void **)&r->reserves, r->n_reserves, &r->cap_reserves, sizeof *r->reserves)) return HW_ENOMEM;
  r->reserves[r->n_reserves++] = *v;
  return 0;
}

int hw_records_add_roster(hw_records *r, hw_id worker_id, hw_date date, const hw_roster_entry *e, int32_t n) {
  hw_roster_day *day = NULL;
  for (int32_t i = 0; i < r->n_rosters && !day; i++)
    if (r->rosters[i].worker_id == worker_id && r->rosters[i].date == date) day = &r->rosters[i];
  if (!day) {
    if (grow((void **)&r->rosters, r->n_rosters, &r->cap_rosters, sizeof *r->rosters)) return HW_ENOMEM;
    day = &r->rosters[r->n_rosters++];
  }
  *day = (hw_roster_day){worker_id, date, r->n_entries, 0};
  for (int32_t i = 0; i < n; i++) {
    if (grow((void **)&r->entries, r->n_entries, &r->cap_entries, sizeof *r->entries)) return HW_ENOMEM;
    r->entries[r->n_entries++] = e[i];
    day->n++;
  }
  return 0;
}

/* ---- Writing ------------------------------------------------------------------ */

typedef json_t *(*encode_fn)(const void *v);

/* Set key to the array of n records (skipped when n is 0). Returns 0 or HW_ENOMEM. */
static int put_array(json_t *doc, const char *key, const void *items, int32_t n, size_t size, encode_fn enc) {
  if (n == 0) return 0;
  json_t *arr = json_array();
  if (!arr || json_object_set_new(doc, key, arr)) return HW_ENOMEM;
  for (int32_t i = 0; i < n; i++)
    if (json_array_append_new(arr, enc((const char *)items + (size_t)i * size))) return HW_ENOMEM;
  return 0;
}

#define HW_ENCODER(type) \
  static json_t *enc_##type(const void *v) { return hw_##type##_to_json(v); }
HW_ENCODER(referral)
HW_ENCODER(discharge)
HW_ENCODER(visit)
HW_ENCODER(client)
HW_ENCODER(worker)
HW_ENCODER(team)
HW_ENCODER(absence)
HW_ENCODER(review)
HW_ENCODER(draft)
HW_ENCODER(reserve_row)
#undef HW_ENCODER
static json_t *enc_note(const void *v) { return hw_roster_note_to_json(v); }

/* The rosters, or NULL when out of memory: an entry that could not be encoded
 * fails the whole payload, never leaves a roster a visit short. */
static json_t *rosters_json(const hw_records *r) {
  json_t *arr = json_array();
  for (int32_t i = 0; arr && i < r->n_rosters; i++) {
    const hw_roster_day *d = &r->rosters[i];
    json_t *entries = json_array();
    int ok = entries != NULL;
    for (int32_t k = 0; ok && k < d->n; k++)
      ok = json_array_append_new(entries, hw_roster_entry_to_json(&r->entries[d->first + k])) == 0;
    if (!ok) {
      json_decref(entries);
      json_decref(arr);
      return NULL;
    }
    if (json_array_append_new(arr, json_pack("{s:I, s:o, s:o}", "worker_id", (json_int_t)d->worker_id, "date",
                                             hw_json_date(d->date), "entries", entries))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

char *hw_records_payload(const hw_records *r) {
  json_t *doc = json_object();
  int rc = doc ? 0 : HW_ENOMEM;
  if (!rc) rc = put_array(doc, "referrals", r->referrals, r->n_referrals, sizeof *r->referrals, enc_referral);
  if (!rc) rc = put_array(doc, "discharges", r->discharges, r->n_discharges, sizeof *r->discharges, enc_discharge);
  if (!rc) rc = put_array(doc, "visits", r->visits, r->n_visits, sizeof *r->visits, enc_visit);
  if (!rc) rc = put_array(doc, "clients", r->clients, r->n_clients, sizeof *r->clients, enc_client);
  if (!rc) rc = put_array(doc, "workers", r->workers, r->n_workers, sizeof *r->workers, enc_worker);
  if (!rc) rc = put_array(doc, "teams", r->teams, r->n_teams, sizeof *r->teams, enc_team);
  if (!rc) rc = put_array(doc, "absences", r->absences, r->n_absences, sizeof *r->absences, enc_absence);
  if (!rc) rc = put_array(doc, "reviews", r->reviews, r->n_reviews, sizeof *r->reviews, enc_review);
  if (!rc) rc = put_array(doc, "drafts", r->drafts, r->n_drafts, sizeof *r->drafts, enc_draft);
  if (!rc) rc = put_array(doc, "roster_notes", r->notes, r->n_notes, sizeof *r->notes, enc_note);
  if (!rc) rc = put_array(doc, "reserves", r->reserves, r->n_reserves, sizeof *r->reserves, enc_reserve_row);
  if (!rc && r->n_rosters > 0) {
    json_t *rs = rosters_json(r);
    rc = rs && json_object_set_new(doc, "rosters", rs) == 0 ? 0 : HW_ENOMEM;
  }
  if (!rc && r->note[0]) rc = json_object_set_new(doc, "note", json_string(r->note)) ? HW_ENOMEM : 0;
  if (!rc && r->trigger[0]) rc = json_object_set_new(doc, "trigger", json_string(r->trigger)) ? HW_ENOMEM : 0;
  char *text = rc ? NULL : hw_json_dumps_canonical(doc);
  json_decref(doc);
  return text;
}

/* ---- Reading ------------------------------------------------------------------ */

/* Decode j as a record of one kind and add it; records that do not decode (or have
 * no id) are skipped. Returns 0 or HW_ENOMEM. */
#define HW_TAKE(type)                                                            \
  static int take_##type(hw_records *r, const json_t *j) {                       \
    hw_##type v;                                                                 \
    hw_errors errs;                                                              \
    hw_errors_init(&errs);                                                       \
    if (hw_##type##_from_json(j, "", &v, &errs) != 0 || v.id <= 0) return 0;     \
    return hw_records_add_##type(r, &v);                                         \
  }                                                                              \
  static int take_##type##_list(hw_records *r, const json_t *arr) {              \
    size_t i;                                                                    \
    const json_t *j;                                                             \
    json_array_foreach(arr, i, j) if (take_##type(r, j)) return HW_ENOMEM;       \
    return 0;                                                                    \
  }
HW_TAKE(referral)
HW_TAKE(discharge)
HW_TAKE(visit)
HW_TAKE(client)
HW_TAKE(worker)
HW_TAKE(team)
HW_TAKE(absence)
HW_TAKE(review)
#undef HW_TAKE

static int take_reserve_list(hw_records *r, const json_t *arr) {
  size_t i;
  const json_t *j;
  json_array_foreach(arr, i, j) {
    hw_reserve_row v;
    hw_errors errs;
    hw_errors_init(&errs);
    if (hw_reserve_row_from_json(j, "", &v, &errs) == 0 && hw_records_add_reserve(r, &v)) return HW_ENOMEM;
  }
  return 0;
}

/* Roster entries grouped by (worker, date) into whole days. */
static int take_entries(hw_records *r, const json_t *arr, hw_id worker_id, hw_date date) {
  int32_t first = r->n_entries;
  size_t i;
  const json_t *j;
  json_array_foreach(arr, i, j) {
    hw_roster_entry e;
    hw_errors errs;
    hw_errors_init(&errs);
    if (hw_roster_entry_from_json(j, "", &e, &errs) != 0) continue;
    if (grow((void **)&r->entries, r->n_entries, &r->cap_entries, sizeof *r->entries)) return HW_ENOMEM;
    r->entries[r->n_entries++] = e;
  }
  if (worker_id) {
    if (grow((void **)&r->rosters, r->n_rosters, &r->cap_rosters, sizeof *r->rosters)) return HW_ENOMEM;
    r->rosters[r->n_rosters++] = (hw_roster_day){worker_id, date, first, r->n_entries - first};
  }
  return 0;
}

static int take_rosters(hw_records *r, const json_t *arr) {
  size_t i;
  const json_t *d;
  json_array_foreach(arr, i, d) {
    hw_id worker = json_integer_value(json_object_get(d, "worker_id"));
    hw_date date = HW_DATE_NONE;
    const char *why = NULL;
    const char *ds = json_string_value(json_object_get(d, "date"));
    if (worker <= 0 || !ds || hw_date_parse(ds, &date, &why) != 0) continue;
    if (take_entries(r, json_object_get(d, "entries"), worker, date)) return HW_ENOMEM;
  }
  return 0;
}

/* An older log's published roster: bare "entries", one day per (worker, date). */
static int take_legacy_entries(hw_records *r, const json_t *arr) {
  int32_t first = r->n_entries;
  if (take_entries(r, arr, 0, HW_DATE_NONE)) return HW_ENOMEM;
  for (int32_t i = first; i < r->n_entries;) {
    int32_t k = i;
    while (k < r->n_entries && r->entries[k].worker_id == r->entries[i].worker_id &&
           r->entries[k].date == r->entries[i].date)
      k++;
    if (grow((void **)&r->rosters, r->n_rosters, &r->cap_rosters, sizeof *r->rosters)) return HW_ENOMEM;
    r->rosters[r->n_rosters++] = (hw_roster_day){r->entries[i].worker_id, r->entries[i].date, i, k - i};
    i = k;
  }
  return 0;
}

/* Payloads written before the plural format: one record under a singular key. */
static int take_legacy(hw_records *r, const json_t *doc) {
  int rc = 0;
  const json_t *one;
  if ((one = json_object_get(doc, "discharge"))) rc = take_discharge(r, one);
  if (!rc && (one = json_object_get(doc, "referral"))) rc = take_referral(r, one);
  if (!rc && (one = json_object_get(doc, "visit"))) rc = take_visit(r, one);
  if (!rc && json_is_array(json_object_get(doc, "entries")) && !json_object_get(doc, "rosters"))
    rc = take_legacy_entries(r, json_object_get(doc, "entries"));
  return rc;
}

int hw_records_parse(const char *payload, hw_records *r) {
  hw_records_clear(r);
  json_t *doc = payload ? json_loads(payload, 0, NULL) : NULL;
  if (!json_is_object(doc)) {
    json_decref(doc);
    return HW_EINVAL;
  }
  int rc = take_referral_list(r, json_object_get(doc, "referrals"));
  if (!rc) rc = take_discharge_list(r, json_object_get(doc, "discharges"));
  if (!rc) rc = take_visit_list(r, json_object_get(doc, "visits"));
  if (!rc) rc = take_client_list(r, json_object_get(doc, "clients"));
  if (!rc) rc = take_worker_list(r, json_object_get(doc, "workers"));
  if (!rc) rc = take_team_list(r, json_object_get(doc, "teams"));
  if (!rc) rc = take_absence_list(r, json_object_get(doc, "absences"));
  if (!rc) rc = take_review_list(r, json_object_get(doc, "reviews"));
  if (!rc) rc = take_rosters(r, json_object_get(doc, "rosters"));
  if (!rc) rc = take_reserve_list(r, json_object_get(doc, "reserves"));
  if (!rc) rc = take_legacy(r, doc);
  const char *note = json_string_value(json_object_get(doc, "note"));
  const char *trigger = json_string_value(json_object_get(doc, "trigger"));
  snprintf(r->note, sizeof r->note, "%s", note ? note : "");
  snprintf(r->trigger, sizeof r->trigger, "%s", trigger ? trigger : "");
  json_decref(doc);
  return rc;
}
