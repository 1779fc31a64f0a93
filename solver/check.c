/*
 * The independent solution checker (hw_check.h).
 *
 * This file deliberately shares nothing with the search but the inline travel
 * helpers of hw_problem.h: it walks every route from scratch, recomputes arrival
 * times, waiting, lateness, loads and costs with its own arithmetic, and compares
 * them with what the solution claims. A bug in the search therefore cannot hide
 * behind the same bug in the checker. Every violation is counted; the first
 * HW_CHECK_MAX_MESSAGES are kept as text naming the route, step and job by the
 * caller's ids so a person can find them in the output document.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_check.h"
#include "hw_error.h"

/* Per job: how often and where it was routed (at most two places are kept, which
 * is all a double-handed job may have; more is reported as a violation). The
 * roster objective's soft terms use the weights of hw_problem.h. */
typedef struct job_seen {
  int32_t routed;
  int32_t unassigned;
  int32_t resource[2];
  hw_tick start[2];
} job_seen;

static void violation(hw_check_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void violation(hw_check_report *r, const char *fmt, ...) {
  if (r->n_violations < HW_CHECK_MAX_MESSAGES) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->messages[r->n_violations], sizeof r->messages[0], fmt, ap);
    va_end(ap);
  }
  r->n_violations++;
  r->feasible = 0;
}

static void fail_index(hw_check_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A structural error (index out of range): the walk cannot go on. */
static void fail_index(hw_check_report *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->messages[0], sizeof r->messages[0], fmt, ap);
  va_end(ap);
  r->n_violations = 1;
  r->feasible = 0;
}

/* Every index the solution holds must point into the problem before any rule is
 * checked; returns 0 or HW_EINVAL with the reason in messages[0]. */
static int check_indices(const hw_problem *p, const hw_solution *s, hw_check_report *r) {
  for (int32_t ri = 0; ri < s->n_routes; ri++) {
    const hw_route *rt = &s->routes[ri];
    if (rt->resource < 0 || rt->resource >= p->n_resources) {
      fail_index(r, "route %d: resource index %d out of range", ri, rt->resource);
      return HW_EINVAL;
    }
    if (rt->n_steps < 0 || (rt->n_steps > 0 && !rt->steps)) {
      fail_index(r, "route %d: no steps array", ri);
      return HW_EINVAL;
    }
    const hw_resource *res = &p->resources[rt->resource];
    for (int32_t si = 0; si < rt->n_steps; si++) {
      const hw_step *st = &rt->steps[si];
      if (st->kind == HW_STEP_JOB && (st->index < 0 || st->index >= p->n_jobs)) {
        fail_index(r, "route %d step %d: job index %d out of range", ri, si, st->index);
        return HW_EINVAL;
      }
      if (st->kind == HW_STEP_BREAK && (st->index < 0 || st->index >= res->n_breaks)) {
        fail_index(r, "route %d step %d: break index %d out of range", ri, si, st->index);
        return HW_EINVAL;
      }
      if (st->kind > HW_STEP_END) {
        fail_index(r, "route %d step %d: unknown step kind %d", ri, si, (int)st->kind);
        return HW_EINVAL;
      }
    }
  }
  for (int32_t u = 0; u < s->n_unassigned; u++)
    if (s->unassigned[u].job < 0 || s->unassigned[u].job >= p->n_jobs) {
      fail_index(r, "unassigned[%d]: job index %d out of range", u, s->unassigned[u].job);
      return HW_EINVAL;
    }
  return 0;
}

static double euclid(const hw_problem *p, int32_t a, int32_t b) {
  double dx = p->x[a] - p->x[b], dy = p->y[a] - p->y[b];
  return sqrt(dx * dx + dy * dy);
}

/* Distance of one leg in instance units: from coordinates in double precision
 * when the instance has them, else the integer cost scaled back. */
static double leg_distance(const hw_problem *p, int32_t profile, int32_t from, int32_t to) {
  if (from < 0 || to < 0) return 0.0;
  if (p->x && p->y) return euclid(p, from, to);
  return (double)hw_travel_cost(p, profile, from, to) / (p->time_scale > 0 ? p->time_scale : 1.0);
}

static int holds(const int32_t *list, int32_t n, int32_t v) {
  for (int32_t i = 0; i < n; i++)
    if (list[i] == v) return 1;
  return 0;
}

/* The window a start falls in: the last one that opens at or before it, or -1 when
 * the start is before every window. */
static int32_t window_of(const hw_job *j, hw_tick start) {
  int32_t w = -1;
  for (int32_t i = 0; i < j->n_windows; i++)
    if (j->windows[i].start <= start) w = i;
  return w;
}

/* Rules that concern one job served at one step: windows, skills, exclusions and
 * pins. Adds the step's lateness to the report's cost. */
static void check_job_step(const hw_problem *p, const hw_route *rt, int32_t ri, int32_t si,
                           hw_check_report *r) {
  const hw_step *st = &rt->steps[si];
  const hw_job *j = &p->jobs[st->index];
  const hw_resource *res = &p->resources[rt->resource];
  long long rid = (long long)res->id, jid = (long long)j->id;
  int32_t w = window_of(j, st->start);
  if (w < 0) {
    violation(r, "route %d (resource %lld) step %d, job %lld: starts at %d before its window opens at %d",
              ri, rid, si, jid, st->start, j->windows[0].start);
  } else if (st->start > j->windows[w].end) {
    if (p->soft_windows) {
      int64_t late = (int64_t)st->start - j->windows[w].end;
      r->cost.lateness += late;
      if (late > r->cost.max_lateness) r->cost.max_lateness = late;
    } else {
      violation(r, "route %d (resource %lld) step %d, job %lld: starts at %d after its window closes at %d",
                ri, rid, si, jid, st->start, j->windows[w].end);
    }
  }
  if (j->skills & ~res->skills)
    violation(r, "route %d (resource %lld) step %d, job %lld: resource lacks required skills",
              ri, rid, si, jid);
  if (holds(j->excluded, j->n_excluded, rt->resource))
    violation(r, "route %d (resource %lld) step %d, job %lld: resource is excluded for this job",
              ri, rid, si, jid);
  if (j->pin_resource >= 0 && j->pin_resource != rt->resource)
    violation(r, "route %d (resource %lld) step %d, job %lld: pinned to resource %lld",
              ri, rid, si, jid, (long long)p->resources[j->pin_resource].id);
  if (j->pin_start >= 0 && st->start != j->pin_start)
    violation(r, "route %d (resource %lld) step %d, job %lld: starts at %d, pinned to %d",
              ri, rid, si, jid, st->start, j->pin_start);
  if (j->n_preferred > 0 && !holds(j->preferred, j->n_preferred, rt->resource))
    r->cost.preference += HW_PREFERENCE_COST;
}

static void record_seen(job_seen *seen, int32_t job, int32_t resource, hw_tick start) {
  job_seen *js = &seen[job];
  if (js->routed < 2) {
    js->resource[js->routed] = resource;
    js->start[js->routed] = start;
  }
  js->routed++;
}

/* Walk one route from its START to its END, checking step order, travel, waiting,
 * windows, breaks, shift and capacity, and adding its travel to the report. */
static void check_route(const hw_problem *p, const hw_route *rt, int32_t ri, job_seen *seen,
                        hw_check_report *r) {
  const hw_resource *res = &p->resources[rt->resource];
  long long rid = (long long)res->id;
  if (rt->n_steps < 2 || rt->steps[0].kind != HW_STEP_START || rt->steps[rt->n_steps - 1].kind != HW_STEP_END) {
    violation(r, "route %d (resource %lld): must begin with a start step and finish with an end step", ri, rid);
    return;
  }
  int32_t break_count[HW_MAX_BREAKS] = {0};
  int32_t loc = res->start_loc, n_jobs = 0;
  int64_t load = 0, work = 0;
  const hw_step *first = &rt->steps[0];
  if (first->arrival < res->shift.start)
    violation(r, "route %d (resource %lld): leaves at %d before its shift starts at %d", ri, rid,
              first->arrival, res->shift.start);
  int64_t depart = first->arrival;
  for (int32_t si = 1; si < rt->n_steps; si++) {
    const hw_step *st = &rt->steps[si];
    if (st->kind == HW_STEP_START || (st->kind == HW_STEP_END && si != rt->n_steps - 1)) {
      violation(r, "route %d (resource %lld) step %d: start or end step in the middle of the route", ri, rid, si);
      continue;
    }
    int32_t to = st->kind == HW_STEP_JOB ? p->jobs[st->index].loc : st->kind == HW_STEP_END ? res->end_loc : loc;
    /* A break is taken where the resource is: no travel into it. A start_loc or
     * end_loc of -1 makes the first or last leg free (hw_travel returns 0). */
    int moves = st->kind != HW_STEP_BREAK;
    int64_t earliest = depart + (moves ? hw_travel(p, res->profile, loc, to) : 0);
    if (moves) {
      work += hw_travel(p, res->profile, loc, to);
      r->cost.travel += hw_travel_cost(p, res->profile, loc, to);
      r->distance += leg_distance(p, res->profile, loc, to);
    }
    if (st->arrival < earliest)
      violation(r, "route %d (resource %lld) step %d: arrives at %d, before it can (%lld)", ri, rid, si,
                st->arrival, (long long)earliest);
    if (st->kind == HW_STEP_END) {
      if (st->arrival > res->shift.end)
        violation(r, "route %d (resource %lld): back at %d after its shift ends at %d", ri, rid, st->arrival,
                  res->shift.end);
      break;
    }
    if (st->start < st->arrival)
      violation(r, "route %d (resource %lld) step %d: starts at %d before arriving at %d", ri, rid, si, st->start,
                st->arrival);
    if (st->kind == HW_STEP_BREAK) {
      const hw_break_spec *b = &res->breaks[st->index];
      break_count[st->index]++;
      if (st->start < b->window.start || st->start > b->window.end)
        violation(r, "route %d (resource %lld) step %d, break %lld: starts at %d outside its window [%d, %d]", ri,
                  rid, si, (long long)b->id, st->start, b->window.start, b->window.end);
      depart = (int64_t)st->start + b->duration;
      work += b->duration;
    } else {
      const hw_job *j = &p->jobs[st->index];
      check_job_step(p, rt, ri, si, r);
      record_seen(seen, st->index, rt->resource, st->start);
      load += j->demand;
      work += j->service;
      n_jobs++;
      depart = (int64_t)st->start + j->service;
      loc = to;
    }
    if (depart > res->shift.end)
      violation(r, "route %d (resource %lld) step %d: ends at %lld after the shift ends at %d", ri, rid, si,
                (long long)depart, res->shift.end);
  }
  for (int32_t b = 0; b < res->n_breaks; b++)
    if (break_count[b] != 1)
      violation(r, "route %d (resource %lld): break %lld taken %d times (must be exactly once)", ri, rid,
                (long long)res->breaks[b].id, break_count[b]);
  if (res->capacity >= 0 && load > res->capacity)
    violation(r, "route %d (resource %lld): load %lld exceeds capacity %d", ri, rid, (long long)load, res->capacity);
  if (n_jobs > 0) {
    r->cost.fixed += res->fixed_cost;
    if (p->objective == HW_OBJ_ROSTER) r->cost.balance += work * work / HW_BALANCE_DIVISOR;
  }
}

/* Each job is routed exactly `workers` times on distinct resources with equal
 * starts, or listed unassigned exactly once, never both. */
static void check_coverage(const hw_problem *p, const job_seen *seen, hw_check_report *r) {
  int benchmark = p->objective == HW_OBJ_DISTANCE || p->objective == HW_OBJ_MANKOWSKA;
  for (int32_t j = 0; j < p->n_jobs; j++) {
    const job_seen *js = &seen[j];
    const hw_job *job = &p->jobs[j];
    long long jid = (long long)job->id;
    if (js->unassigned > 1) violation(r, "job %lld: listed unassigned %d times", jid, js->unassigned);
    if (js->routed > 0 && js->unassigned > 0) violation(r, "job %lld: both routed and listed unassigned", jid);
    if (js->routed == 0 && js->unassigned == 0) violation(r, "job %lld: neither routed nor listed unassigned", jid);
    if (js->routed == 0 && js->unassigned > 0 && benchmark)
      violation(r, "job %lld: unassigned, but this benchmark objective requires every job served", jid);
    if (js->routed > 0 && js->routed != job->workers)
      violation(r, "job %lld: routed %d times, needs %d worker(s)", jid, js->routed, job->workers);
    if (js->routed == 2 && job->workers == 2) {
      if (js->resource[0] == js->resource[1])
        violation(r, "job %lld: double-handed but both visits are on resource %lld", jid,
                  (long long)p->resources[js->resource[0]].id);
      if (js->start[0] != js->start[1])
        violation(r, "job %lld: double-handed starts differ (%d and %d)", jid, js->start[0], js->start[1]);
    }
  }
}

static void check_links(const hw_problem *p, const job_seen *seen, hw_check_report *r) {
  for (int32_t l = 0; l < p->n_links; l++) {
    const hw_link *lk = &p->links[l];
    if (lk->first < 0 || lk->first >= p->n_jobs || lk->second < 0 || lk->second >= p->n_jobs) {
      violation(r, "links[%d]: job index out of range", l);
      continue;
    }
    const job_seen *a = &seen[lk->first], *b = &seen[lk->second];
    long long ida = (long long)p->jobs[lk->first].id, idb = (long long)p->jobs[lk->second].id;
    if ((a->routed > 0) != (b->routed > 0)) {
      violation(r, "links[%d]: job %lld served without its linked job %lld", l, a->routed ? ida : idb,
                a->routed ? idb : ida);
      continue;
    }
    if (a->routed == 0) continue;
    int64_t gap = (int64_t)b->start[0] - a->start[0];
    if (gap < lk->min_gap || gap > lk->max_gap)
      violation(r, "links[%d]: job %lld starts %lld after job %lld, allowed [%d, %d]", l, idb, (long long)gap, ida,
                lk->min_gap, lk->max_gap);
    if (a->resource[0] == b->resource[0])
      violation(r, "links[%d]: jobs %lld and %lld on the same resource %lld", l, ida, idb,
                (long long)p->resources[a->resource[0]].id);
  }
}

static void check_fleet(const hw_problem *p, const hw_solution *s, hw_check_report *r) {
  int32_t used = 0;
  for (int32_t ri = 0; ri < s->n_routes; ri++) {
    const hw_route *rt = &s->routes[ri];
    for (int32_t k = 0; k < ri; k++)
      if (s->routes[k].resource == rt->resource)
        violation(r, "routes %d and %d: both use resource %lld", k, ri, (long long)p->resources[rt->resource].id);
    for (int32_t si = 0; si < rt->n_steps; si++)
      if (rt->steps[si].kind == HW_STEP_JOB) {
        used++;
        break;
      }
  }
  if (p->max_routes > 0 && used > p->max_routes)
    violation(r, "fleet: %d routes used, at most %d allowed", used, p->max_routes);
}

/* Unassigned penalty and the totals, in the solver's ranking units and in the
 * instance's own objective. */
static void finish_cost(const hw_problem *p, const hw_solution *s, hw_check_report *r) {
  for (int32_t u = 0; u < s->n_unassigned; u++) {
    const hw_job *j = &p->jobs[s->unassigned[u].job];
    r->cost.unassigned_penalty += j->unassigned_cost > 0 ? j->unassigned_cost : (int64_t)(j->priority + 1) * 1000000000LL;
  }
  double scale = p->time_scale > 0 ? p->time_scale : 1.0;
  hw_cost *c = &r->cost;
  c->total = c->unassigned_penalty + c->travel + c->fixed + c->preference + c->balance;
  if (p->soft_windows) c->total += p->lateness_weight * c->lateness;
  switch (p->objective) {
  case HW_OBJ_DISTANCE:
    r->objective = r->distance;
    break;
  case HW_OBJ_MANKOWSKA:
    c->total += c->max_lateness;
    r->objective = (r->distance + (double)c->lateness / scale + (double)c->max_lateness / scale) / 3.0;
    break;
  default:
    r->objective = (double)c->total;
    break;
  }
}

int hw_check(const hw_problem *p, const hw_solution *s, hw_check_report *report) {
  memset(report, 0, sizeof *report);
  report->feasible = 1;
  int rc = check_indices(p, s, report);
  if (rc < 0) return rc;
  job_seen *seen = calloc(p->n_jobs > 0 ? (size_t)p->n_jobs : 1, sizeof *seen);
  if (!seen) return HW_ENOMEM;
  for (int32_t u = 0; u < s->n_unassigned; u++) seen[s->unassigned[u].job].unassigned++;
  for (int32_t ri = 0; ri < s->n_routes; ri++) check_route(p, &s->routes[ri], ri, seen, report);
  check_coverage(p, seen, report);
  check_links(p, seen, report);
  check_fleet(p, s, report);
  finish_cost(p, s, report);
  free(seen);
  return 0;
}
