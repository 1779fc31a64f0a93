/*
 * Capacity allocation (hw_capacity.h): teams' free minutes and waiting requests in,
 * the GLPK model of hw_alloc.h solved, team ids and start dates out.
 */
#include "hw_capacity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_alloc.h"
#include "hw_error.h"

void hw_capacity_options_init(hw_capacity_options *o) {
  o->horizon_days = 14;
  o->discharge_weight = 100;
  o->change_of_need_weight = 40;
  o->community_weight = 20;
  o->productive_permille = 750;
  o->time_limit_s = 2.0;
}

static int32_t template_minutes(const hw_visit_template *t) { return (int32_t)t->duration * t->workers; }

static int plan_class(const hw_visit_template *t, int32_t n) {
  for (int32_t i = 0; i < n; i++)
    if (t[i].medication || (t[i].skills & (1u << HW_SKILL_MEDICATION))) return 1;
  return 0;
}

void hw_capacity_plan_load(const hw_visit_template *t, int32_t n, int32_t *daily_minutes, int32_t *skill_class) {
  int64_t week = 0;
  for (int32_t i = 0; i < n; i++)
    for (int d = 0; d < 7; d++)
      if (t[i].weekdays & (1u << d)) week += template_minutes(&t[i]);
  *daily_minutes = (int32_t)((week + 6) / 7);
  *skill_class = plan_class(t, n);
}

int32_t hw_capacity_plan_minutes_on(const hw_visit_template *t, int32_t n, int weekday) {
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    if (t[i].weekdays & (1u << weekday)) m += template_minutes(&t[i]);
  return m;
}

int hw_capacity_eligible(const hw_capacity_team *t, const hw_capacity_request *r) {
  if (t->locality_id != r->locality_id) return 0;
  if (r->team_ok && !r->team_ok[t->index]) return 0;
  switch (r->pathway) {
  case HW_PATHWAY_INTENSIVE: return t->kind == HW_TEAM_INTENSIVE;
  case HW_PATHWAY_MAINSTREAM: return t->kind == HW_TEAM_MAINSTREAM;
  default: return t->kind == HW_TEAM_REABLEMENT;
  }
}

static int64_t weight_of(const hw_capacity_options *o, const hw_capacity_request *r) {
  if (r->discharge || r->source == HW_SOURCE_HOSPITAL) return o->discharge_weight;
  return r->source == HW_SOURCE_CHANGE_OF_NEED ? o->change_of_need_weight : o->community_weight;
}

int hw_capacity_allocate(const hw_capacity_options *o, hw_date day0, const hw_capacity_team *teams,
                         int32_t n_teams, const hw_capacity_request *requests, int32_t n_requests,
                         hw_capacity_decision *decisions, hw_capacity_summary *summary) {
  int32_t days = o->horizon_days;
  if (days < 1 || days > HW_CAP_MAX_DAYS || n_teams < 0 || n_requests < 0) return HW_EINVAL;
  for (int32_t i = 0; i < n_requests; i++)
    if (requests[i].skill_class < 0 || requests[i].skill_class >= HW_CAP_CLASSES || requests[i].daily_minutes < 0)
      return HW_EINVAL;
  hw_capacity_summary sum = {.requests = n_requests};
  for (int32_t i = 0; i < n_requests; i++)
    decisions[i] = (hw_capacity_decision){requests[i].id, -1, 0, HW_DATE_NONE};
  if (n_requests == 0 || n_teams == 0) {
    sum.deferred = n_requests;
    sum.optimal = 1;
    if (summary) *summary = sum;
    return 0;
  }
  size_t cap_n = (size_t)n_teams * (size_t)days * HW_CAP_CLASSES;
  int32_t *cap = malloc(cap_n * sizeof *cap);
  uint8_t *elig = malloc((size_t)n_requests * (size_t)n_teams);
  hw_alloc_request *req = calloc((size_t)n_requests, sizeof *req);
  int rc = HW_ENOMEM;
  hw_alloc_result res;
  hw_alloc_result_init(&res);
  if (!cap || !elig || !req) goto done;
  for (int32_t t = 0; t < n_teams; t++)
    for (int32_t d = 0; d < days; d++)
      for (int c = 0; c < HW_CAP_CLASSES; c++) {
        int32_t m = teams[t].free_minutes[d][c];
        cap[((size_t)t * days + d) * HW_CAP_CLASSES + c] = m > 0 ? m : 0;
      }
  for (int32_t i = 0; i < n_requests; i++) {
    const hw_capacity_request *r = &requests[i];
    for (int32_t t = 0; t < n_teams; t++) elig[(size_t)i * n_teams + t] = (uint8_t)hw_capacity_eligible(&teams[t], r);
    int32_t earliest = r->earliest > day0 ? r->earliest - day0 : 0;
    req[i] = (hw_alloc_request){.id = r->id,
                                .skill_class = r->skill_class,
                                .earliest_day = earliest,
                                .weight_per_day = weight_of(o, r),
                                .daily_minutes = r->daily_minutes,
                                .eligible = &elig[(size_t)i * n_teams]};
  }
  hw_alloc_problem p = {.n_days = days, .n_teams = n_teams, .n_classes = HW_CAP_CLASSES, .capacity = cap,
                        .n_requests = n_requests, .requests = req};
  rc = hw_alloc_solve(&p, o->time_limit_s, &res);
  if (rc < 0) goto done;
  for (int32_t i = 0; i < n_requests; i++) {
    const hw_alloc_decision *d = &res.decisions[i];
    if (d->team < 0) {
      sum.deferred++;
      continue;
    }
    decisions[i].team = d->team;
    decisions[i].team_id = teams[d->team].id;
    decisions[i].start_date = day0 + d->start_day;
    sum.started_in_horizon++;
  }
  sum.cost = res.cost;
  sum.optimal = res.optimal;
  if (summary) *summary = sum;
done:
  hw_alloc_result_free(&res);
  free(cap);
  free(elig);
  free(req);
  return rc;
}

/* 1 when team t has the request's minutes free (in its class) on every day of
 * [d, d + days), days clipped to the horizon. */
static int has_room(const hw_capacity_options *o, const hw_capacity_team *t, const hw_capacity_request *r, int32_t d,
                    int32_t days) {
  for (int32_t k = d; k < d + days && k < o->horizon_days; k++) {
    if (t->free_minutes[k][0] < r->daily_minutes) return 0;
    if (r->skill_class == 1 && t->free_minutes[k][1] < r->daily_minutes) return 0;
  }
  return 1;
}

int32_t hw_capacity_place(const hw_capacity_options *o, hw_date day0, const hw_capacity_team *teams, int32_t n_teams,
                          const hw_capacity_request *r, int32_t lookahead, hw_date *start) {
  *start = HW_DATE_NONE;
  int32_t first = r->earliest > day0 ? r->earliest - day0 : 0;
  for (int32_t d = first; d < o->horizon_days; d++)
    for (int32_t t = 0; t < n_teams; t++)
      if (hw_capacity_eligible(&teams[t], r) && has_room(o, &teams[t], r, d, lookahead)) {
        *start = day0 + d;
        return t;
      }
  return -1;
}

/* Seconds of [a0, a1) that overlap [b0, b1). */
static int64_t overlap(hw_time a0, hw_time a1, hw_time b0, hw_time b1) {
  hw_time lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
}

static int32_t worker_minutes_on(const hw_partnership *p, const hw_worker *w, hw_date date) {
  int wd = hw_date_weekday(date);
  int64_t secs = 0;
  for (int32_t s = 0; s < w->n_shifts; s++) {
    const hw_shift *sh = &w->shifts[s];
    if (sh->weekday != wd) continue;
    hw_time a = hw_local_to_time(date, sh->hours.start), b = hw_local_to_time(date, sh->hours.end);
    int64_t len = b - a - (int64_t)sh->break_minutes * 60;
    for (int32_t k = 0; k < p->n_absences; k++)
      if (p->absences[k].worker_id == w->id) len -= overlap(a, b, p->absences[k].from, p->absences[k].to);
    if (len > 0) secs += len;
  }
  return (int32_t)(secs / 60);
}

void hw_capacity_team_minutes(const hw_partnership *p, hw_id team_id, hw_date date, int32_t productive_permille,
                              int32_t out[HW_CAP_CLASSES]) {
  int64_t m[HW_CAP_CLASSES] = {0};
  for (int32_t i = 0; i < p->n_workers; i++) {
    const hw_worker *w = &p->workers[i];
    if (w->team_id != team_id || !w->active) continue;
    int32_t minutes = worker_minutes_on(p, w, date);
    m[0] += minutes;
    if (hw_worker_has_skill(w, HW_SKILL_MEDICATION, date)) m[1] += minutes;
  }
  for (int c = 0; c < HW_CAP_CLASSES; c++) out[c] = (int32_t)(m[c] * productive_permille / 1000);
}
