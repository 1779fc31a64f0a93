/*
 * The read endpoints of the scheduler (hw_service.h): rosters as a coordinator
 * reads them, outcome figures within the caller's localities, and "who is free
 * for this window" - the one call that replaces matching carers by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_outcomes.h"
#include "hw_d2a.h"
#include "hw_plan.h"
#include "hw_service.h"

/* The workers the caller asked for: one locality (0 = every one in scope), or one
 * worker (0 = all of them). *out malloc'd. */
static int scoped_workers(hw_store *st, const hw_scope *scope, hw_id locality, hw_id worker, hw_worker **out,
                          int32_t *n) {
  *out = NULL;
  *n = 0;
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  if (worker) {
    hw_worker *w = malloc(sizeof *w);
    hw_team t;
    int rc = w ? hw_store_get_worker(st, worker, w) : HW_ENOMEM;
    if (rc == 0) rc = hw_store_get_team(st, w->team_id, &t);
    if (rc == 0 && (!hw_scope_allows(scope, t.locality_id) || (locality && t.locality_id != locality)))
      rc = HW_EFORBIDDEN;
    if (rc) {
      free(w);
      return rc;
    }
    *out = w;
    *n = 1;
    return 0;
  }
  if (locality || scope->all) return hw_store_list_workers(st, locality, out, n);
  for (int32_t i = 0; i < scope->n; i++) {
    hw_worker *part = NULL;
    int32_t m = 0;
    int rc = hw_store_list_workers(st, scope->localities[i], &part, &m);
    hw_worker *grown = rc == 0 && m ? realloc(*out, (size_t)(*n + m) * sizeof **out) : *out;
    if (rc == 0 && m && !grown) rc = HW_ENOMEM;
    if (rc) {
      free(part);
      free(*out);
      *out = NULL;
      *n = 0;
      return rc;
    }
    if (m) memcpy(grown + *n, part, (size_t)m * sizeof *part);
    *out = grown;
    *n += m;
    free(part);
  }
  return 0;
}

static json_t *roster_visit_json(hw_store *st, const hw_roster_entry *e) {
  hw_visit v;
  hw_client c;
  if (hw_store_get_visit(st, e->visit_id, &v) != 0) return NULL;
  json_t *client = hw_store_get_client(st, v.client_id, &c) == 0
                       ? json_pack("{s:I, s:s, s:{s:f, s:f}}", "id", (json_int_t)c.id, "name", c.name, "location",
                                   "lat", c.location.lat_e6 / 1e6, "lon", c.location.lon_e6 / 1e6)
                       : json_null();
  json_t *skills = json_array();
  for (int s = 0; s < HW_SKILL_COUNT; s++)
    if (v.skills & (1u << s)) json_array_append_new(skills, json_string(hw_skill_name((hw_skill)s)));
  return json_pack("{s:I, s:o, s:o, s:o, s:i, s:i, s:o, s:s, s:i}", "visit", (json_int_t)v.id, "client", client,
                   "start", hw_json_time(e->planned_start), "end",
                   hw_json_time(e->planned_start + (hw_time)v.duration * 60), "travel_seconds", e->travel_seconds,
                   "duration", v.duration, "skills", skills, "status", hw_visit_status_name(v.status), "workers",
                   v.workers);
}

int hw_service_rosters(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, hw_id worker,
                       json_t **out) {
  hw_worker *ws = NULL;
  int32_t n = 0;
  int rc = scoped_workers(st, scope, locality, worker, &ws, &n);
  if (rc) return rc;
  json_t *rosters = json_array();
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_roster_entry *e = NULL;
    int32_t m = 0;
    rc = hw_store_get_roster(st, ws[i].id, date, &e, &m);
    if (rc || m == 0) {
      free(e);
      continue;
    }
    json_t *visits = json_array();
    int64_t travel = 0, minutes = 0;
    for (int32_t k = 0; k < m; k++) {
      json_t *v = roster_visit_json(st, &e[k]);
      if (!v) continue;
      travel += e[k].travel_seconds;
      minutes += json_integer_value(json_object_get(v, "duration"));
      json_array_append_new(visits, v);
    }
    json_array_append_new(rosters, json_pack("{s:{s:I, s:s, s:I}, s:o, s:I, s:I}", "worker", "id",
                                             (json_int_t)ws[i].id, "name", ws[i].name, "team_id",
                                             (json_int_t)ws[i].team_id, "visits", visits, "travel_seconds",
                                             (json_int_t)travel, "visit_minutes", (json_int_t)minutes));
    free(e);
  }
  free(ws);
  if (rc) {
    json_decref(rosters);
    return rc;
  }
  *out = json_pack("{s:o, s:o}", "date", hw_json_date(date), "rosters", rosters);
  return *out ? 0 : HW_ENOMEM;
}

/* ---- Outcomes within some localities ----------------------------------------------- */

static int id_cmp(const void *a, const void *b) {
  hw_id x = *(const hw_id *)a, y = *(const hw_id *)b;
  return x < y ? -1 : x > y;
}

typedef struct scoped_records {
  hw_id *clients; int32_t n_clients;
  hw_discharge *discharges; int32_t n_discharges;
  hw_referral *referrals; int32_t n_referrals;
  hw_visit *visits; int32_t n_visits;
  hw_roster_entry *roster; int32_t n_roster, cap_roster;
} scoped_records;

static int in_clients(const scoped_records *s, hw_id client) {
  return bsearch(&client, s->clients, (size_t)s->n_clients, sizeof client, id_cmp) != NULL;
}

static int load_clients(hw_store *st, const hw_scope *scope, scoped_records *s) {
  for (int32_t i = 0; i < scope->n; i++) {
    hw_client *cs = NULL;
    int32_t m = 0;
    int rc = hw_store_list_clients(st, scope->localities[i], &cs, &m);
    hw_id *grown = rc == 0 ? realloc(s->clients, (size_t)(s->n_clients + m + 1) * sizeof *grown) : NULL;
    if (rc == 0 && !grown) rc = HW_ENOMEM;
    for (int32_t k = 0; rc == 0 && k < m; k++) grown[s->n_clients++] = cs[k].id;
    if (grown) s->clients = grown;
    free(cs);
    if (rc) return rc;
  }
  if (s->n_clients) qsort(s->clients, (size_t)s->n_clients, sizeof *s->clients, id_cmp);
  return 0;
}

/* Keep only the discharges and referrals of the scope's clients (in place). */
static void filter_people(scoped_records *s) {
  int32_t k = 0;
  for (int32_t i = 0; i < s->n_discharges; i++)
    if (in_clients(s, s->discharges[i].client_id)) s->discharges[k++] = s->discharges[i];
  s->n_discharges = k;
  k = 0;
  for (int32_t i = 0; i < s->n_referrals; i++)
    if (in_clients(s, s->referrals[i].client_id)) s->referrals[k++] = s->referrals[i];
  s->n_referrals = k;
}

static int load_visits_and_rosters(hw_store *st, const hw_scope *scope, hw_date from, hw_date to,
                                   scoped_records *s) {
  for (int32_t i = 0; i < scope->n; i++) {
    hw_visit *vs = NULL;
    int32_t m = 0;
    int rc = hw_store_list_visits(st, from, to, scope->localities[i], &vs, &m);
    hw_visit *grown = rc == 0 ? realloc(s->visits, (size_t)(s->n_visits + m + 1) * sizeof *grown) : NULL;
    if (rc == 0 && !grown) rc = HW_ENOMEM;
    if (grown) {
      s->visits = grown;
      if (m) memcpy(grown + s->n_visits, vs, (size_t)m * sizeof *vs);
      s->n_visits += m;
    }
    free(vs);
    if (rc) return rc;
  }
  hw_worker *ws = NULL;
  int32_t nw = 0;
  int rc = scoped_workers(st, scope, 0, 0, &ws, &nw);
  for (int32_t w = 0; rc == 0 && w < nw; w++)
    for (hw_date d = from; rc == 0 && d <= to; d++) {
      hw_roster_entry *e = NULL;
      int32_t m = 0;
      rc = hw_store_get_roster(st, ws[w].id, d, &e, &m);
      if (rc == 0 && s->n_roster + m > s->cap_roster) {
        int32_t cap = (s->n_roster + m) * 2;
        hw_roster_entry *grown = realloc(s->roster, (size_t)cap * sizeof *grown);
        if (!grown) rc = HW_ENOMEM;
        else {
          s->roster = grown;
          s->cap_roster = cap;
        }
      }
      if (rc == 0 && m) memcpy(s->roster + s->n_roster, e, (size_t)m * sizeof *e);
      if (rc == 0) s->n_roster += m;
      free(e);
    }
  free(ws);
  return rc;
}

static int outcomes_in_scope(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, hw_outcomes *o) {
  scoped_records s = {0};
  int rc = load_clients(st, scope, &s);
  if (rc == 0) rc = hw_store_list_discharges(st, -1, &s.discharges, &s.n_discharges);
  if (rc == 0) rc = hw_store_list_referrals(st, 0, &s.referrals, &s.n_referrals);
  if (rc == 0) {
    filter_people(&s);
    rc = load_visits_and_rosters(st, scope, from, to, &s);
  }
  if (rc == 0) {
    hw_outcome_records r = {s.discharges, s.n_discharges, s.referrals, s.n_referrals,
                            s.visits,     s.n_visits,     s.roster,    s.n_roster};
    rc = hw_outcomes_from_records(&r, from, to, o);
  }
  free(s.clients);
  free(s.discharges);
  free(s.referrals);
  free(s.visits);
  free(s.roster);
  return rc;
}

int hw_service_outcomes(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, json_t **out) {
  hw_outcomes o;
  hw_outcomes_init(&o);
  int rc = scope->all ? hw_outcomes_compute(st, from, to, &o) : outcomes_in_scope(st, scope, from, to, &o);
  if (rc == 0) {
    *out = hw_outcomes_to_json(&o);
    if (!*out) rc = HW_ENOMEM;
  }
  hw_outcomes_free(&o);
  return rc;
}

/* ---- Who is free for this window ---------------------------------------------------- */

/* The worker's shift that covers [smin, emin) on weekday, or NULL. */
static const hw_shift *covering_shift(const hw_worker *w, int weekday, int smin, int emin) {
  for (int32_t i = 0; i < w->n_shifts; i++) {
    const hw_shift *s = &w->shifts[i];
    if (s->weekday == weekday && s->hours.start <= smin && s->hours.end >= emin) return s;
  }
  return NULL;
}

/* The open stretch of the worker's day around [start, end): busy = each rostered
 * visit with the travel before it. Narrows the gap bounds and counts the visits
 * that overlap the window. */
static int roster_gap(hw_store *st, const hw_worker *w, hw_date date, hw_time start, hw_time end, hw_time *gap_start,
                      hw_time *gap_end, int32_t *overlapping) {
  hw_roster_entry *e = NULL;
  int32_t m = 0;
  int rc = hw_store_get_roster(st, w->id, date, &e, &m);
  *overlapping = 0;
  for (int32_t k = 0; rc == 0 && k < m; k++) {
    hw_visit v;
    if (hw_store_get_visit(st, e[k].visit_id, &v) != 0) continue;
    hw_time busy_from = e[k].planned_start - e[k].travel_seconds;
    hw_time busy_to = e[k].planned_start + (hw_time)v.duration * 60;
    if (busy_to <= start && busy_to > *gap_start) *gap_start = busy_to;
    else if (busy_from >= end && busy_from < *gap_end) *gap_end = busy_from;
    else if (busy_from < end && busy_to > start) (*overlapping)++;
  }
  free(e);
  return rc;
}

static json_t *availability_json(hw_store *st, const hw_worker *w, hw_date date, hw_time start, hw_time end,
                                 const hw_shift *sh) {
  hw_time gap_start = hw_local_to_time(date, sh->hours.start), gap_end = hw_local_to_time(date, sh->hours.end);
  int32_t overlapping = 0;
  if (roster_gap(st, w, date, start, end, &gap_start, &gap_end, &overlapping) != 0) return NULL;
  int free_now = overlapping == 0;
  json_t *gap = free_now ? json_pack("{s:o, s:o}", "start", hw_json_time(gap_start), "end", hw_json_time(gap_end))
                         : json_null();
  return json_pack("{s:I, s:s, s:I, s:b, s:o, s:i}", "id", (json_int_t)w->id, "name", w->name, "team_id",
                   (json_int_t)w->team_id, "free", free_now, "gap", gap, "visits_in_window", overlapping);
}

int hw_service_availability(hw_store *st, const hw_scope *scope, hw_id locality, hw_time start, hw_time end,
                            uint32_t skills, hw_errors *errs, json_t **out) {
  hw_date date = hw_time_local_date(start);
  if (end <= start) hw_errors_add(errs, "/query/end", "must be after start");
  else if (hw_time_local_date(end - 1) != date) hw_errors_add(errs, "/query/end", "must be on the same day as start");
  if (errs->n) return HW_EINVAL;
  hw_worker *ws = NULL;
  int32_t n = 0;
  int rc = scoped_workers(st, scope, locality, 0, &ws, &n);
  if (rc) return rc;
  int smin = hw_time_local_minute(start), emin = smin + (int)((end - start + 59) / 60);
  json_t *free_list = json_array(), *busy_list = json_array();
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    const hw_worker *w = &ws[i];
    const hw_shift *sh = w->active ? covering_shift(w, hw_date_weekday(date), smin, emin) : NULL;
    if (!sh || (hw_worker_skills_on(w, date) & skills) != skills) continue;
    hw_absence *abs = NULL;
    int32_t na = 0;
    rc = hw_store_list_absences(st, w->id, start, end, &abs, &na);
    free(abs);
    if (rc || na > 0) continue;
    json_t *j = availability_json(st, w, date, start, end, sh);
    if (!j) continue;
    json_array_append_new(json_is_true(json_object_get(j, "free")) ? free_list : busy_list, j);
  }
  free(ws);
  json_array_extend(free_list, busy_list);
  json_decref(busy_list);
  if (rc) {
    json_decref(free_list);
    return rc;
  }
  *out = json_pack("{s:o, s:o, s:o}", "start", hw_json_time(start), "end", hw_json_time(end), "workers", free_list);
  return *out ? 0 : HW_ENOMEM;
}

/* ---- Discharge requests of a day ------------------------------------------------------ */

int hw_service_discharges(hw_store *st, const hw_scope *scope, hw_date date, json_t **out) {
  hw_discharge *ds = NULL;
  int32_t n = 0;
  int rc = hw_store_list_discharges(st, -1, &ds, &n);
  json_t *list = json_array();
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    if (date != HW_DATE_NONE && hw_time_local_date(ds[i].ready_at) != date) continue;
    hw_discharge d;
    int ok = hw_intake_discharge_check(st, scope, ds[i].id, &d);
    if (ok == HW_EFORBIDDEN) continue;
    if (ok) rc = ok;
    else json_array_append_new(list, hw_discharge_to_json(&ds[i]));
  }
  free(ds);
  if (rc) {
    json_decref(list);
    return rc;
  }
  *out = json_pack("{s:o, s:o}", "date", hw_json_date(date), "discharges", list);
  return *out ? 0 : HW_ENOMEM;
}
