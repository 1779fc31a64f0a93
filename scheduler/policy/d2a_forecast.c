/*
 * The D2A reserve sized from the forecast (hw_d2a_forecast.h): demand per call
 * peak from past discharges, cells per locality x weekday x peak, and the GLPK
 * model of solver/hw_reserve.h.
 */
#include "hw_d2a_forecast.h"

#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_reserve.h"
#include "hw_visits.h"

#define HOLD_HALF_MINUTES (HW_D2A_RESERVE_SLOT / 2)

void hw_d2a_forecast_options_init(hw_d2a_forecast_options *o) {
  o->slot_minutes = 15;
  o->max_minutes = HW_D2A_RESERVE_MAX;
  o->hold_per_miss = 0.15;
}

void hw_d2a_forecast_free(hw_d2a_forecast *f) {
  free(f->entries);
  memset(f, 0, sizeof *f);
}

/* The peak whose hold the visit's reach (any start in its window, for its
 * duration) overlaps most, or -1 when it reaches none. */
static int peak_of(const hw_visit *v) {
  hw_time day0 = hw_local_to_time(v->date, 0);
  int32_t from = (int32_t)((v->window_start - day0) / 60);
  int32_t to = (int32_t)((v->window_end - day0) / 60) + v->duration;
  int best = -1;
  int32_t best_overlap = 0;
  for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++) {
    int32_t hs = hw_d2a_peak_minute(p) - HOLD_HALF_MINUTES, he = hw_d2a_peak_minute(p) + HOLD_HALF_MINUTES;
    int32_t overlap = (to < he ? to : he) - (from > hs ? from : hs);
    if (overlap > best_overlap) best = p, best_overlap = overlap;
  }
  return best;
}

int hw_d2a_peak_demand(const hw_d2a_options *o, const hw_client *c, const hw_visit_template *t, int32_t n,
                       hw_time ready_at, int32_t out[HW_D2A_RESERVE_PEAKS]) {
  memset(out, 0, HW_D2A_RESERVE_PEAKS * sizeof *out);
  hw_time earliest = ready_at + (hw_time)o->lead_minutes * 60;
  hw_date day = hw_time_local_date(ready_at);
  hw_visit *v = NULL;
  int32_t nv = 0;
  int rc = hw_visits_expand(t, n, 0, c->id, day, day, &o->visit, &v, &nv);
  if (rc < 0) return rc;
  for (int32_t i = 0; i < nv; i++) {
    if (v[i].window_end < earliest) continue; /* cannot start after the person is home */
    if (v[i].window_start < earliest) v[i].window_start = earliest;
    int p = peak_of(&v[i]);
    if (p >= 0) out[p] += v[i].duration * v[i].workers;
  }
  free(v);
  return 0;
}

void hw_d2a_forecast_lookup(const hw_d2a_reserve_entry *entries, int32_t n, hw_id locality, hw_date date,
                            int32_t out[HW_D2A_RESERVE_PEAKS]) {
  memset(out, 0, HW_D2A_RESERVE_PEAKS * sizeof *out);
  int wd = hw_date_weekday(date);
  for (int32_t i = 0; i < n; i++)
    if (entries[i].locality_id == locality && entries[i].weekday == wd && entries[i].peak >= 0 &&
        entries[i].peak < HW_D2A_RESERVE_PEAKS)
      out[entries[i].peak] = entries[i].minutes;
}

/* ---- Sizing ----------------------------------------------------------------------- */

/* Cells in the order (locality, weekday, peak); samples[cell][week]. */
typedef struct cells {
  int32_t n_cells, weeks;
  hw_reserve_cell *cell;
  int32_t *samples;          /* n_cells x weeks, per team */
  int32_t *budget;           /* one "no limit" per locality */
} cells;

static void cells_free(cells *c) {
  free(c->cell);
  free(c->samples);
  free(c->budget);
}

static int32_t locality_index(const hw_d2a_forecast_locality *ls, int32_t n, hw_id id) {
  for (int32_t i = 0; i < n; i++)
    if (ls[i].id == id) return i;
  return -1;
}

static int build_cells(const hw_d2a_forecast_options *o, const hw_d2a_forecast_locality *ls, int32_t n_loc,
                       hw_date first, int32_t weeks, const hw_d2a_demand_day *days, int32_t n_days, cells *c) {
  c->weeks = weeks;
  c->n_cells = n_loc * 7 * HW_D2A_RESERVE_PEAKS;
  c->cell = calloc((size_t)c->n_cells + 1, sizeof *c->cell);
  c->samples = calloc((size_t)c->n_cells * (size_t)weeks + 1, sizeof *c->samples);
  c->budget = malloc(((size_t)n_loc + 1) * sizeof *c->budget);
  if (!c->cell || !c->samples || !c->budget) return HW_ENOMEM;
  for (int32_t l = 0; l < n_loc; l++) c->budget[l] = -1;
  for (int32_t d = 0; d < n_days; d++) {
    int32_t l = locality_index(ls, n_loc, days[d].locality_id);
    int32_t offset = days[d].date - first;
    if (l < 0 || offset < 0 || offset >= weeks * 7) continue;
    int wd = hw_date_weekday(days[d].date);
    for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++) {
      int32_t teams = ls[l].reablement_teams;
      int32_t per_team = (days[d].minutes[p] + teams - 1) / teams;
      c->samples[((l * 7 + wd) * HW_D2A_RESERVE_PEAKS + p) * weeks + offset / 7] += per_team;
    }
  }
  for (int32_t i = 0; i < c->n_cells; i++)
    c->cell[i] = (hw_reserve_cell){i / (7 * HW_D2A_RESERVE_PEAKS), o->max_minutes, weeks, c->samples + i * weeks};
  return 0;
}

/* Weekly totals over every team: held, demanded (mean week), and the predicted
 * share of demanded minutes the holds cover. */
static void summarise(const cells *c, const hw_d2a_forecast_locality *ls, const int32_t *minutes, hw_d2a_forecast *out) {
  double demand = 0, uncovered = 0;
  for (int32_t i = 0; i < c->n_cells; i++) {
    int32_t teams = ls[c->cell[i].group].reablement_teams;
    out->held_minutes_week += (double)minutes[i] * teams;
    for (int32_t k = 0; k < c->weeks; k++) {
      int32_t s = c->cell[i].samples[k];
      demand += (double)s * teams / c->weeks;
      if (s > minutes[i]) uncovered += (double)(s - minutes[i]) * teams / c->weeks;
    }
  }
  out->demand_minutes_week = demand;
  out->covered_pct = demand > 0 ? 100.0 * (1.0 - uncovered / demand) : 100.0;
}

static int check(const hw_d2a_forecast_options *o, const hw_d2a_forecast_locality *ls, int32_t n_loc, hw_date first,
                 hw_date last) {
  if (o->slot_minutes < 1 || o->max_minutes < 0 || o->max_minutes > HW_D2A_RESERVE_MAX || !(o->hold_per_miss >= 0))
    return HW_EINVAL;
  if (n_loc < 1 || last < first + 6) return HW_EINVAL;
  for (int32_t i = 0; i < n_loc; i++)
    if (ls[i].reablement_teams < 1) return HW_EINVAL;
  return 0;
}

int hw_d2a_forecast_size(const hw_d2a_forecast_options *o, const hw_d2a_forecast_locality *ls, int32_t n_loc,
                         hw_date first, hw_date last, const hw_d2a_demand_day *days, int32_t n_days,
                         hw_d2a_forecast *out) {
  memset(out, 0, sizeof *out);
  int rc = check(o, ls, n_loc, first, last);
  if (rc) return rc;
  int32_t weeks = (last - first + 1) / 7;
  cells c = {0};
  rc = build_cells(o, ls, n_loc, first, weeks, days, n_days, &c);
  hw_reserve_problem p = {.slot_minutes = o->slot_minutes, .miss_weight = 1.0, .hold_weight = o->hold_per_miss,
                          .cells = c.cell, .n_cells = c.n_cells, .group_budget = c.budget, .n_groups = n_loc};
  hw_reserve_result r;
  hw_reserve_result_init(&r);
  if (rc == 0) rc = hw_reserve_solve(&p, 0, &r);
  if (rc == 0 && !(out->entries = calloc((size_t)c.n_cells, sizeof *out->entries))) rc = HW_ENOMEM;
  if (rc == 0) {
    for (int32_t i = 0; i < c.n_cells; i++) {
      int32_t l = i / (7 * HW_D2A_RESERVE_PEAKS), rest = i % (7 * HW_D2A_RESERVE_PEAKS);
      out->entries[i] = (hw_d2a_reserve_entry){ls[l].id, rest / HW_D2A_RESERVE_PEAKS, rest % HW_D2A_RESERVE_PEAKS,
                                               r.minutes[i]};
    }
    out->n_entries = c.n_cells;
    out->weeks = weeks;
    out->optimal = r.optimal;
    summarise(&c, ls, r.minutes, out);
  }
  hw_reserve_result_free(&r);
  cells_free(&c);
  if (rc) hw_d2a_forecast_free(out);
  return rc;
}
