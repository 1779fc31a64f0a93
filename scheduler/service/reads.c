/*
 * The reads of the service (hw_service.h): single records and lists within the
 * caller's localities, rosters as a coordinator reads them, the waiting list,
 * outcome figures from the stored records, and "who is free for this window" -
 * the one call that replaces matching carers by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* The workers the caller asked for: one locality (0 = every one in scope), or one
 * worker (0 = all of them). *out malloc'd. */
static int scoped_workers(hw_store *st, const hw_scope *scope, hw_id locality, hw_id worker, hw_worker **out,
                          int32_t *n) {
  *out = NULL;
  *n = 0;
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  if (scope && scope->worker) { /* a worker's own token: their own day only */
    if (worker && worker != scope->worker) return HW_EFORBIDDEN;
    worker = scope->worker;
  }
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
  if (locality || !scope || scope->all) return hw_store_list_workers(st, locality, out, n);
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

void hw_roster_views_free(hw_roster_view *v, int32_t n) {
  for (int32_t i = 0; v && i < n; i++) free(v[i].lines);
  free(v);
}

/* The lines of one worker's roster: each entry with its visit and client. */
static int roster_lines(hw_store *st, hw_roster_view *view, const hw_roster_entry *e, int32_t m) {
  view->lines = calloc((size_t)m + 1, sizeof *view->lines);
  if (!view->lines) return HW_ENOMEM;
  for (int32_t k = 0; k < m; k++) {
    hw_roster_line *l = &view->lines[view->n_lines];
    l->entry = e[k];
    int rc = hw_store_get_visit(st, e[k].visit_id, &l->visit);
    if (rc == 0) rc = hw_store_get_client(st, l->visit.client_id, &l->client);
    if (rc == HW_ENOTFOUND) continue; /* a line whose visit is gone is not shown */
    if (rc) return rc;               /* a read that failed must not drop a line */
    view->travel_seconds += e[k].travel_seconds;
    view->visit_minutes += l->visit.duration;
    view->n_lines++;
  }
  return 0;
}

int hw_service_rosters(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, hw_id worker,
                       hw_roster_view **out, int32_t *n_out) {
  *out = NULL;
  *n_out = 0;
  hw_worker *ws = NULL;
  int32_t n = 0;
  int rc = scoped_workers(st, scope, locality, worker, &ws, &n);
  if (rc) return rc;
  hw_roster_view *views = calloc((size_t)n + 1, sizeof *views);
  int32_t k = 0;
  if (!views) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_roster_entry *e = NULL;
    int32_t m = 0;
    rc = hw_store_get_roster(st, ws[i].id, date, &e, &m);
    if (rc == 0 && m > 0) {
      views[k].worker = ws[i];
      rc = roster_lines(st, &views[k++], e, m);
    }
    free(e);
  }
  free(ws);
  if (rc) {
    hw_roster_views_free(views, k);
    return rc;
  }
  *out = views;
  *n_out = k;
  return 0;
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

/* A scope naming every locality (the records path needs the list). */
static int every_locality(hw_store *st, hw_scope *out) {
  memset(out, 0, sizeof *out);
  hw_locality *ls = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(st, &ls, &n);
  for (int32_t i = 0; rc == 0 && i < n && i < HW_SCOPE_MAX; i++) out->localities[out->n++] = ls[i].id;
  free(ls);
  return rc;
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

int hw_service_outcomes_records(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, hw_time now,
                                hw_outcomes *o) {
  scoped_records s = {0};
  hw_scope all_of_them;
  if (!scope || scope->all) {
    int rc = every_locality(st, &all_of_them);
    if (rc) return rc;
    scope = &all_of_them;
  }
  int rc = load_clients(st, scope, &s);
  if (rc == 0) rc = hw_store_list_discharges(st, -1, &s.discharges, &s.n_discharges);
  if (rc == 0) rc = hw_store_list_referrals(st, 0, &s.referrals, &s.n_referrals);
  if (rc == 0) {
    filter_people(&s);
    rc = load_visits_and_rosters(st, scope, from, to, &s);
  }
  if (rc == 0) {
    hw_outcome_records r = {s.discharges, s.n_discharges, s.referrals, s.n_referrals,
                            s.visits,     s.n_visits,     s.roster,    s.n_roster, now, HW_D2A_LEAD_MINUTES};
    rc = hw_outcomes_from_records(&r, from, to, o);
  }
  free(s.clients);
  free(s.discharges);
  free(s.referrals);
  free(s.visits);
  free(s.roster);
  return rc;
}

void hw_service_outcome_period(hw_date today, hw_date *from, hw_date *to) {
  hw_date monday = today - hw_date_weekday(today);
  int32_t span = 7 * HW_OUTCOME_DEFAULT_WEEKS;
  if (*from == HW_DATE_NONE) *from = *to != HW_DATE_NONE ? *to - span + 1 : monday - span;
  if (*to == HW_DATE_NONE) *to = monday - 1 >= *from ? monday - 1 : *from + span - 1;
}

int hw_service_outcomes(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, hw_time now,
                        hw_outcomes *out) {
  if (scope && scope->worker) return HW_EFORBIDDEN; /* the partnership's figures are not a worker's */
  if (!scope || scope->all) return hw_service_outcomes_replay(st, from, to, now, out);
  return hw_service_outcomes_records(st, scope, from, to, now, out);
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
    int got = hw_store_get_visit(st, e[k].visit_id, &v);
    if (got == HW_ENOTFOUND) continue; /* a visit gone from the roster takes no time */
    if ((rc = got)) break;              /* a failed read must not make a busy worker look free */
    hw_time busy_from = e[k].planned_start - e[k].travel_seconds;
    hw_time busy_to = e[k].planned_start + (hw_time)v.duration * 60;
    if (busy_to <= start && busy_to > *gap_start) *gap_start = busy_to;
    else if (busy_from >= end && busy_from < *gap_end) *gap_end = busy_from;
    else if (busy_from < end && busy_to > start) (*overlapping)++;
  }
  free(e);
  return rc;
}

static int availability_of(hw_store *st, const hw_worker *w, hw_date date, hw_time start, hw_time end,
                           const hw_shift *sh, hw_availability *a) {
  hw_time gap_start = hw_local_to_time(date, sh->hours.start), gap_end = hw_local_to_time(date, sh->hours.end);
  int32_t overlapping = 0;
  int rc = roster_gap(st, w, date, start, end, &gap_start, &gap_end, &overlapping);
  if (rc) return rc;
  a->worker = *w;
  a->free = overlapping == 0;
  a->gap_start = a->free ? gap_start : HW_TIME_NONE;
  a->gap_end = a->free ? gap_end : HW_TIME_NONE;
  a->visits_in_window = overlapping;
  return 0;
}

static int free_first(const void *x, const void *y) {
  const hw_availability *a = x, *b = y;
  if (a->free != b->free) return b->free - a->free;
  return (a->worker.id > b->worker.id) - (a->worker.id < b->worker.id);
}

int hw_service_availability(hw_store *st, const hw_scope *scope, hw_id locality, hw_time start, hw_time end,
                            uint32_t skills, hw_errors *errs, hw_availability **out, int32_t *n_out) {
  *out = NULL;
  *n_out = 0;
  hw_date date = hw_time_local_date(start);
  if (end <= start) hw_errors_add(errs, "/query/end", "must be after start");
  else if (hw_time_local_date(end - 1) != date) hw_errors_add(errs, "/query/end", "must be on the same day as start");
  if (errs->n) return HW_EINVAL;
  hw_worker *ws = NULL;
  int32_t n = 0;
  int rc = scoped_workers(st, scope, locality, 0, &ws, &n);
  if (rc) return rc;
  hw_availability *list = calloc((size_t)n + 1, sizeof *list);
  int32_t k = 0;
  if (!list) rc = HW_ENOMEM;
  int smin = hw_time_local_minute(start), emin = smin + (int)((end - start + 59) / 60);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    const hw_worker *w = &ws[i];
    const hw_shift *sh = w->active ? covering_shift(w, hw_date_weekday(date), smin, emin) : NULL;
    if (!sh || (hw_worker_skills_on(w, date) & skills) != skills) continue;
    hw_absence *abs = NULL;
    int32_t na = 0;
    rc = hw_store_list_absences(st, w->id, start, end, &abs, &na);
    free(abs);
    if (rc || na > 0) continue;
    rc = availability_of(st, w, date, start, end, sh, &list[k]);
    if (rc == 0) k++;
  }
  free(ws);
  if (rc) {
    free(list);
    return rc;
  }
  qsort(list, (size_t)k, sizeof *list, free_first);
  *out = list;
  *n_out = k;
  return 0;
}

/* ---- Single records and lists --------------------------------------------------------- */

int hw_service_get_referral(hw_store *st, const hw_scope *scope, hw_id id, hw_referral *out) {
  hw_client c;
  int rc = hw_store_get_referral(st, id, out);
  return rc ? rc : hw__svc_client_in_scope(st, scope, out->client_id, &c);
}

static int discharge_visible(hw_store *st, const hw_scope *scope, const hw_discharge *d) {
  hw_client c;
  int rc = hw__svc_client_in_scope(st, scope, d->client_id, &c);
  if (rc == 0 && scope && scope->owner) {
    hw_id creator = 0;
    rc = hw_store_get_discharge_owner(st, d->id, &creator);
    if (rc == 0 && creator != scope->owner) rc = HW_EFORBIDDEN;
  }
  return rc;
}

int hw_service_get_discharge(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *out) {
  int rc = hw_store_get_discharge(st, id, out);
  return rc ? rc : discharge_visible(st, scope, out);
}

int hw_service_get_client(hw_store *st, const hw_scope *scope, hw_id id, hw_client *out) {
  return hw__svc_client_in_scope(st, scope, id, out);
}

int hw_service_get_worker(hw_store *st, const hw_scope *scope, hw_id id, hw_worker *out) {
  hw_team t;
  int rc = hw_store_get_worker(st, id, out);
  if (rc == 0) rc = hw_store_get_team(st, out->team_id, &t);
  if (rc == 0 && !hw_scope_allows(scope, t.locality_id)) rc = HW_EFORBIDDEN;
  if (rc == 0 && scope && scope->worker && scope->worker != id) rc = HW_EFORBIDDEN;
  return rc;
}

int hw_service_get_team(hw_store *st, const hw_scope *scope, hw_id id, hw_team *out) {
  int rc = hw_store_get_team(st, id, out);
  return rc ? rc : hw_scope_allows(scope, out->locality_id) ? 0 : HW_EFORBIDDEN;
}

int hw_service_get_visit(hw_store *st, const hw_scope *scope, hw_id id, hw_visit *out) {
  hw_client c;
  int rc = hw_store_get_visit(st, id, out);
  if (rc == 0) rc = hw__svc_client_in_scope(st, scope, out->client_id, &c);
  if (rc == 0 && scope && scope->worker && out->worker_ids[0] != scope->worker && out->worker_ids[1] != scope->worker)
    rc = HW_EFORBIDDEN;
  return rc;
}

/* Run list(st, locality) for the one locality asked for (checked against the
 * scope), or for each locality in scope, appending into one array. */
typedef int (*list_fn)(hw_store *st, hw_id locality, int arg, void **out, int32_t *n);

static int list_in_scope(hw_store *st, const hw_scope *scope, hw_id locality, list_fn list, int arg, size_t size,
                         void **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  if (scope && scope->worker) return HW_EFORBIDDEN; /* lists are for coordinators and managers */
  if (locality || !scope || scope->all) return list(st, locality, arg, out, n);
  for (int32_t i = 0; i < scope->n; i++) {
    void *part = NULL;
    int32_t m = 0;
    int rc = list(st, scope->localities[i], arg, &part, &m);
    char *grown = rc == 0 && m ? realloc(*out, (size_t)(*n + m) * size) : *out;
    if (rc == 0 && m && !grown) rc = HW_ENOMEM;
    if (rc) {
      free(part);
      free(*out);
      *out = NULL;
      *n = 0;
      return rc;
    }
    if (m) memcpy(grown + (size_t)*n * size, part, (size_t)m * size);
    *out = grown;
    *n += m;
    free(part);
  }
  return 0;
}

static int list_clients(hw_store *st, hw_id loc, int arg, void **out, int32_t *n) {
  (void)arg;
  return hw_store_list_clients(st, loc, (hw_client **)out, n);
}
static int list_workers(hw_store *st, hw_id loc, int arg, void **out, int32_t *n) {
  (void)arg;
  return hw_store_list_workers(st, loc, (hw_worker **)out, n);
}
static int list_teams(hw_store *st, hw_id loc, int arg, void **out, int32_t *n) {
  (void)arg;
  return hw_store_list_teams(st, loc, (hw_team **)out, n);
}

int hw_service_clients(hw_store *st, const hw_scope *scope, hw_id locality, hw_client **out, int32_t *n) {
  return list_in_scope(st, scope, locality, list_clients, 0, sizeof **out, (void **)out, n);
}
int hw_service_workers(hw_store *st, const hw_scope *scope, hw_id locality, hw_worker **out, int32_t *n) {
  return list_in_scope(st, scope, locality, list_workers, 0, sizeof **out, (void **)out, n);
}
int hw_service_teams(hw_store *st, const hw_scope *scope, hw_id locality, hw_team **out, int32_t *n) {
  return list_in_scope(st, scope, locality, list_teams, 0, sizeof **out, (void **)out, n);
}

/* The waiting list's order: oldest received first, by locality as asked. */
static int by_received(const void *x, const void *y) {
  const hw_referral *a = x, *b = y;
  if (a->received_at != b->received_at) return a->received_at < b->received_at ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

static int list_referrals_status(hw_store *st, hw_id loc, int status, void **out, int32_t *n) {
  return hw_store_list_referrals_where(st, status, loc, (hw_referral **)out, n);
}

int hw_service_referrals(hw_store *st, const hw_scope *scope, int status, hw_id locality, hw_referral **out,
                         int32_t *n) {
  int rc = list_in_scope(st, scope, locality, list_referrals_status, status, sizeof **out, (void **)out, n);
  if (rc == 0 && *n > 1) qsort(*out, (size_t)*n, sizeof **out, by_received);
  return rc;
}

int hw_service_visits(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, int status,
                      int unassigned_only, hw_visit **out, int32_t *n) {
  hw_visit *all = NULL;
  int32_t m = 0;
  *out = NULL;
  *n = 0;
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  int rc = hw_store_list_visits(st, date, date, locality, &all, &m);
  int32_t k = 0;
  for (int32_t i = 0; rc == 0 && i < m; i++) {
    hw_client c;
    const hw_visit *v = &all[i];
    if (status >= 0 && (int)v->status != status) continue;
    if (unassigned_only && (v->status != HW_VISIT_PLANNED || v->planned_start != HW_TIME_NONE)) continue;
    if (scope && scope->worker && v->worker_ids[0] != scope->worker && v->worker_ids[1] != scope->worker) continue;
    if (locality == 0 && hw__svc_client_in_scope(st, scope, v->client_id, &c) != 0) continue;
    all[k++] = *v;
  }
  if (rc) {
    free(all);
    return rc;
  }
  *out = all;
  *n = k;
  return 0;
}

/* ---- Discharge requests ------------------------------------------------------------------- */

int hw_service_discharges(hw_store *st, const hw_scope *scope, hw_date date, int status, hw_discharge **out,
                          int32_t *n) {
  hw_discharge *ds = NULL;
  int32_t m = 0, k = 0;
  int rc = hw_store_list_discharges(st, status, &ds, &m);
  for (int32_t i = 0; rc == 0 && i < m; i++) {
    if (date != HW_DATE_NONE && hw_time_local_date(ds[i].ready_at) != date) continue;
    int ok = discharge_visible(st, scope, &ds[i]);
    if (ok == HW_EFORBIDDEN) continue;
    if (ok) rc = ok;
    else ds[k++] = ds[i];
  }
  if (rc) {
    free(ds);
    return rc;
  }
  *out = ds;
  *n = k;
  return 0;
}
