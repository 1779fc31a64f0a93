/*
 * The D2A reserve sized from the forecast (hw_service_size_reserve): the same-day
 * demand of past discharge requests per locality and date, the GLPK sizing
 * (policy/hw_d2a_forecast.h), and the table stored per locality; the reserve a
 * day holds, as planning and the API read it.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* Demand per (locality, date), summed as requests are read. */
typedef struct demand {
  hw_d2a_demand_day *days;
  int32_t n, cap;
} demand;

static int add_demand(demand *d, hw_id locality, hw_date date, const int32_t m[HW_D2A_RESERVE_PEAKS]) {
  hw_d2a_demand_day *day = NULL;
  for (int32_t i = d->n - 1; i >= 0 && !day; i--)
    if (d->days[i].locality_id == locality && d->days[i].date == date) day = &d->days[i];
  if (!day) {
    if (d->n == d->cap) {
      int32_t cap = d->cap ? d->cap * 2 : 64;
      hw_d2a_demand_day *g = realloc(d->days, (size_t)cap * sizeof *g);
      if (!g) return HW_ENOMEM;
      d->days = g;
      d->cap = cap;
    }
    day = &d->days[d->n++];
    *day = (hw_d2a_demand_day){.locality_id = locality, .date = date};
  }
  for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++) day->minutes[p] += m[p];
  return 0;
}

/* The first ready date among the requests (HW_DATE_NONE when there are none). */
static hw_date first_ready(const hw_discharge *ds, int32_t n) {
  hw_date first = HW_DATE_NONE;
  for (int32_t i = 0; i < n; i++)
    if (ds[i].ready_at != HW_TIME_NONE && (first == HW_DATE_NONE || hw_time_local_date(ds[i].ready_at) < first))
      first = hw_time_local_date(ds[i].ready_at);
  return first;
}

/* The history: up to `weeks` whole weeks before today that the requests on
 * record cover (a new partnership has less). 0 with *first, *last; HW_ENOTFOUND
 * when not even one week is covered. */
static int history(const hw_discharge *ds, int32_t n, hw_date today, int32_t weeks, hw_date *first, hw_date *last) {
  hw_date known = first_ready(ds, n);
  *last = today - 1;
  int32_t covered = known == HW_DATE_NONE ? 0 : (*last - known + 1) / 7;
  if (covered < 1) return HW_ENOTFOUND;
  *first = *last - 7 * (covered < weeks ? covered : weeks) + 1;
  return 0;
}

/* The same-day demand of every request ready in [first, last]. */
static int collect_demand(hw_service *svc, const hw_discharge *ds, int32_t n, hw_date first, hw_date last,
                          demand *d, int32_t *requests) {
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_date ready = hw_time_local_date(ds[i].ready_at);
    if (ds[i].ready_at == HW_TIME_NONE || ready < first || ready > last) continue;
    hw_client client;
    int32_t m[HW_D2A_RESERVE_PEAKS];
    rc = hw_store_get_client(svc->st, ds[i].client_id, &client);
    if (rc == 0) rc = hw_d2a_peak_demand(&svc->set.d2a, &client, ds[i].templates, ds[i].n_templates, ds[i].ready_at, m);
    if (rc == 0) rc = add_demand(d, client.locality_id, ready, m);
    *requests += rc == 0;
  }
  return rc;
}

/* Every locality with the number of its reablement teams (those with none are
 * left out: there is nothing to hold). */
static int reablement_localities(hw_store *st, hw_d2a_forecast_locality **out, int32_t *n) {
  hw_locality *locs = NULL;
  int32_t nl = 0;
  *out = NULL;
  *n = 0;
  int rc = hw_store_list_localities(st, &locs, &nl);
  if (rc == 0 && !(*out = calloc((size_t)nl + 1, sizeof **out))) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < nl; i++) {
    hw_team *teams = NULL;
    int32_t nt = 0, reab = 0;
    rc = hw_store_list_teams(st, locs[i].id, &teams, &nt);
    for (int32_t t = 0; rc == 0 && t < nt; t++) reab += teams[t].kind == HW_TEAM_REABLEMENT;
    if (rc == 0 && reab > 0) (*out)[(*n)++] = (hw_d2a_forecast_locality){locs[i].id, reab};
    free(teams);
  }
  free(locs);
  return rc;
}

typedef struct store_ctx {
  const hw_d2a_reserve_entry *rows;
  int32_t n;
  const hw_d2a_forecast *f;
} store_ctx;

static int store_tx(hw_store *st, void *vctx, hw_records *rec) {
  store_ctx *x = vctx;
  int rc = hw_store_put_reserve(st, x->rows, x->n);
  for (int32_t i = 0; rc == 0 && i < x->n; i++) rc = hw_records_add_reserve(rec, &x->rows[i]);
  if (rc == 0)
    hw_records_note(rec, "sized from %d weeks: %.0f of %.0f same-day peak minutes a week held (%.1f%% predicted)",
                    (int)x->f->weeks, x->f->held_minutes_week, x->f->demand_minutes_week, x->f->covered_pct);
  return rc;
}

/* One event per locality, each with that locality's rows. */
static int store_table(hw_service *svc, hw_change *c, const hw_d2a_forecast *f) {
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < f->n_entries;) {
    int32_t k = i;
    while (k < f->n_entries && f->entries[k].locality_id == f->entries[i].locality_id) k++;
    store_ctx x = {f->entries + i, k - i, f};
    rc = hw__svc_apply(svc->st, c, "reserve.sized", f->entries[i].locality_id, store_tx, &x);
    i = k;
  }
  return rc;
}

int hw_service_size_reserve(hw_service *svc, hw_change *c, hw_reserve_report *out) {
  memset(out, 0, sizeof *out);
  int32_t weeks = svc->set.reserve_forecast_weeks;
  if (weeks <= 0) return 0;
  hw_discharge *ds = NULL;
  int32_t n = 0;
  hw_date first, last;
  int rc = hw_store_list_discharges(svc->st, -1, &ds, &n);
  if (rc == 0 && history(ds, n, hw_time_local_date(c->now), weeks, &first, &last) == HW_ENOTFOUND) {
    free(ds); /* too little on record to size from: the reserve stays as it is */
    return 0;
  }
  demand d = {0};
  hw_d2a_forecast_locality *locs = NULL;
  int32_t n_locs = 0;
  hw_d2a_forecast f = {0};
  if (rc == 0) rc = collect_demand(svc, ds, n, first, last, &d, &out->requests);
  free(ds);
  if (rc == 0) rc = reablement_localities(svc->st, &locs, &n_locs);
  if (rc == 0 && n_locs > 0)
    rc = hw_d2a_forecast_size(&svc->set.forecast, locs, n_locs, first, last, d.days, d.n, &f);
  int own;
  if (rc == 0 && f.n_entries > 0 && (rc = hw__svc_begin(svc->st, &own)) == 0)
    rc = hw__svc_end(svc->st, own, store_table(svc, c, &f));
  if (rc == 0 && f.n_entries > 0) {
    out->localities = n_locs;
    out->weeks = f.weeks;
    out->held_minutes_week = f.held_minutes_week;
    out->demand_minutes_week = f.demand_minutes_week;
    out->covered_pct = f.covered_pct;
  }
  hw_d2a_forecast_free(&f);
  free(locs);
  free(d.days);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- The reserve as planning holds it ------------------------------------------------ */

int hw__svc_reserve_of_day(hw_store *st, const hw_service_settings *s, hw_id locality, hw_date date,
                           int32_t out[HW_D2A_RESERVE_PEAKS], int *from_forecast) {
  hw_reserve_row *rows = NULL;
  int32_t n = 0;
  int rc = s->reserve_forecast_weeks > 0 ? hw_store_list_reserve(st, locality, &rows, &n) : 0;
  if (rc == 0 && n > 0) hw_d2a_forecast_lookup(rows, n, locality, date, out);
  else hw_d2a_reserve_fixed(s->d2a.reserve_minutes, out);
  if (from_forecast) *from_forecast = rc == 0 && n > 0;
  free(rows);
  return rc;
}

/* The Monday of the first week of the calendar: a date for each weekday. */
static hw_date a_monday(void) {
  hw_date d = 0;
  while (hw_date_weekday(d) != 0) d++;
  return d;
}

static int reserve_week(hw_store *st, const hw_service_settings *s, hw_id locality, hw_reserve_week *w) {
  memset(w, 0, sizeof *w);
  w->locality_id = locality;
  hw_date monday = a_monday();
  int rc = 0;
  for (int wd = 0; rc == 0 && wd < 7; wd++) {
    int from_forecast = 0;
    rc = hw__svc_reserve_of_day(st, s, locality, monday + wd, w->minutes[wd], &from_forecast);
    w->from_forecast = from_forecast;
  }
  return rc;
}

int hw_service_reserve_table(hw_store *st, const hw_service_settings *s, const hw_scope *scope, hw_id locality,
                             hw_reserve_week **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  if (scope && scope->worker) return HW_EFORBIDDEN; /* planning figures are for coordinators and managers */
  if (locality && !hw_scope_allows(scope, locality)) return HW_EFORBIDDEN;
  hw_locality *locs = NULL;
  int32_t nl = 0;
  int rc = hw_store_list_localities(st, &locs, &nl);
  hw_reserve_week *weeks = rc == 0 ? calloc((size_t)nl + 1, sizeof *weeks) : NULL;
  if (rc == 0 && !weeks) rc = HW_ENOMEM;
  int32_t k = 0, found = 0;
  for (int32_t i = 0; rc == 0 && i < nl; i++) {
    if (locality ? locs[i].id != locality : !hw_scope_allows(scope, locs[i].id)) continue;
    found = 1;
    rc = reserve_week(st, s, locs[i].id, &weeks[k]);
    k += rc == 0;
  }
  free(locs);
  if (rc == 0 && locality && !found) rc = HW_ENOTFOUND;
  if (rc) {
    free(weeks);
    return rc;
  }
  *out = weeks;
  *n = k;
  return 0;
}
