/*
 * Ruin: SISR's adjacent string removal (Christiaens & Vanden Berghe 2020).
 *
 * A seed task is drawn at random; walking its neighbour list, each route met for
 * the first time loses a string of consecutive tasks containing the neighbour
 * (sometimes a "split string" that keeps a few tasks in the middle). Removing
 * strings from several nearby routes lets recreate rebuild that region with a
 * different route structure, which is what makes SISR strong on VRPTW. A small
 * share of ruins removes random units instead, to escape local structure.
 */
#include <stdlib.h>
#include <string.h>

#include "search.h"

void hw_remove_unit(hw_state *s, int32_t u) {
  const hw_ctx *c = s->c;
  if (s->unassigned[u]) return;
  for (int k = 0; k < 2; k++) {
    int32_t t = c->unit_task[2 * u + k];
    if (t >= 0) hw_rt_remove_task(s, t);
  }
  hw_set_unassigned(s, u, 1);
}

static int32_t random_routed_task(hw_state *s) {
  const hw_ctx *c = s->c;
  for (int tries = 0; tries < 32; tries++) {
    int32_t t = hw_rng_below(&s->rng, c->n_tasks);
    if (s->route_of[t] >= 0) return t;
  }
  for (int32_t t = 0; t < c->n_tasks; t++)
    if (s->route_of[t] >= 0) return t;
  return -1;
}

/* Removes a string of about `len` tasks around task t from its route. */
static int32_t remove_string(hw_state *s, int32_t t, int32_t len, int32_t *out, int32_t n_out) {
  const hw_ctx *c = s->c;
  const hw_rt *rt = &s->routes[s->route_of[t]];
  int32_t *tasks = s->buf_a, m = 0, at = 0;
  for (int32_t i = 1; i <= rt->n; i++)
    if (rt->node[i] >= 0) {
      if (rt->node[i] == t) at = m;
      tasks[m++] = rt->node[i];
    }
  if (len > m) len = m;
  int32_t keep = 0;
  if (len < m && hw_rng_unit(&s->rng) < 0.5) { /* split string: keep `keep` in the middle */
    keep = 1;
    while (len + keep < m && hw_rng_unit(&s->rng) < 0.5) keep++;
  }
  int32_t span = len + keep;
  int32_t first = at - hw_rng_below(&s->rng, span);
  if (first < 0) first = 0;
  if (first + span > m) first = m - span;
  int32_t keep_at = keep ? first + 1 + hw_rng_below(&s->rng, span - keep - 1 > 0 ? span - keep - 1 : 1) : -1;
  int32_t *victims = s->buf_b, nv = 0;
  for (int32_t k = first; k < first + span; k++)
    if (!(keep && k >= keep_at && k < keep_at + keep)) victims[nv++] = tasks[k];
  for (int32_t k = 0; k < nv; k++) {
    int32_t u = c->task_unit[victims[k]];
    if (!s->unassigned[u]) {
      hw_remove_unit(s, u);
      out[n_out++] = u;
    }
  }
  return n_out;
}

/* A task of an unassigned unit, at random (-1 if none is found quickly). */
static int32_t random_unassigned_task(hw_state *s) {
  const hw_ctx *c = s->c;
  for (int tries = 0; tries < 64; tries++) {
    int32_t u = hw_rng_below(&s->rng, c->n_units);
    if (s->unassigned[u] && !hw_unit_hopeless(c, u)) return c->unit_task[2 * u];
  }
  return -1;
}

/* Could route r take task t at all: allowed, in use, a shift that overlaps the
 * task's windows? */
static int route_could_take(const hw_state *s, int32_t t, int32_t r) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_rt *rt = &s->routes[r];
  const hw_job *j = &p->jobs[c->task_job[t]];
  const hw_resource *res = &p->resources[rt->res];
  if (rt->n_tasks == 0 || !c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)r]) return 0;
  return j->windows[0].start + j->service <= res->shift.end && j->windows[j->n_windows - 1].end >= res->shift.start;
}

/* The routed task of rt nearest the time `when`: the first whose prefix can
 * finish after it (or the last task). */
static int32_t task_at_time(const hw_rt *rt, int64_t when) {
  int32_t last = -1;
  for (int32_t i = 1; i <= rt->n; i++) {
    if (rt->node[i] < 0) continue;
    last = rt->node[i];
    if (rt->fwd[i].E + rt->fwd[i].D >= when) break;
  }
  return last;
}

/* Ruin for an unassigned task t: strings are removed, around the time of t's
 * window, from up to ks routes that could take t - first those of its
 * neighbours, then any at random - so that recreate, priority first, can fit it
 * where its skills and shift allow. Near tasks alone would often be on routes of
 * workers without the skill a medication visit needs. */
static int32_t ruin_for_unassigned(hw_state *s, int32_t t, int32_t *out, int32_t ks, double ls_max) {
  const hw_ctx *c = s->c;
  const hw_job *j = &c->p->jobs[c->task_job[t]];
  int32_t n = 0, ruined = 0, *routes = s->buf_a, n_routes = 0;
  out[n++] = c->task_unit[t];
  for (int32_t k = 0; k < c->k_neigh && n_routes < ks; k++) {
    int32_t r = s->route_of[c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k]];
    if (r >= 0 && !s->mark[r] && route_could_take(s, t, r)) s->mark[r] = 1, routes[n_routes++] = r;
  }
  for (int32_t tries = 0; tries < 4 * s->n_routes && n_routes < ks; tries++) {
    int32_t r = hw_rng_below(&s->rng, s->n_routes);
    if (!s->mark[r] && route_could_take(s, t, r)) s->mark[r] = 1, routes[n_routes++] = r;
  }
  for (int32_t k = 0; k < n_routes; k++) s->mark[routes[k]] = 0;
  int32_t chosen[HW_RUIN_MAX_ROUTES];
  if (n_routes > HW_RUIN_MAX_ROUTES) n_routes = HW_RUIN_MAX_ROUTES;
  memcpy(chosen, routes, (size_t)n_routes * sizeof(int32_t)); /* remove_string reuses buf_a */
  for (int32_t k = 0; k < n_routes; k++) {
    const hw_rt *rt = &s->routes[chosen[k]];
    int32_t anchor = task_at_time(rt, j->windows[0].start);
    if (anchor < 0) continue;
    double lmax = rt->n_tasks < ls_max ? rt->n_tasks : ls_max;
    n = remove_string(s, anchor, (int32_t)(hw_rng_unit(&s->rng) * lmax) + 1, out, n);
    ruined++;
  }
  return ruined ? n : 0;
}

static int32_t ruin_random(hw_state *s, int32_t *out, int32_t count) {
  const hw_ctx *c = s->c;
  int32_t n = 0;
  for (int32_t k = 0; k < count * 3 && n < count; k++) {
    int32_t t = random_routed_task(s);
    if (t < 0) break;
    int32_t u = c->task_unit[t];
    hw_remove_unit(s, u);
    out[n++] = u;
  }
  return n;
}

/* A removal can leave its route infeasible: a break that followed the removed
 * task is now taken where the worker was before it, so the travel made before
 * the break's window opened now comes after the break, and the route ends late.
 * Such a route gives up its last tasks until it is feasible again; their units
 * join the ruined ones for recreate (whose insertions are all checked). */
static int32_t restore_feasible_routes(hw_state *s, int32_t *out, int32_t n) {
  const hw_ctx *c = s->c;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    while (!rt->feasible && rt->n_tasks > 0) {
      int32_t i = rt->n;
      while (rt->node[i] < 0) i--;
      int32_t u = c->task_unit[rt->node[i]];
      hw_remove_unit(s, u);
      out[n++] = u;
    }
  }
  return n;
}

static int32_t ruin_some(hw_state *s, int32_t *out, double avg_removed) {
  const hw_ctx *c = s->c;
  int32_t routed = 0;
  for (int32_t r = 0; r < s->n_routes; r++) routed += s->routes[r].n_tasks;
  if (routed == 0 || s->used_routes == 0) return 0;
  if (hw_rng_unit(&s->rng) < 0.05 || c->k_neigh == 0)
    return ruin_random(s, out, 1 + hw_rng_below(&s->rng, (int32_t)(2 * avg_removed)));
  double card = (double)routed / s->used_routes;
  double ls_max = card < 10 ? card : 10;
  double ks_max = 4 * avg_removed / (1 + ls_max) - 1;
  int32_t ks = (int32_t)(hw_rng_unit(&s->rng) * ks_max) + 1;
  if (s->n_unassigned > 0 && hw_rng_unit(&s->rng) < 0.1) {
    int32_t t = random_unassigned_task(s);
    int32_t n = t >= 0 && c->unit_task[2 * c->task_unit[t] + 1] < 0 ? ruin_for_unassigned(s, t, out, ks, ls_max) : 0;
    if (n > 0) return n;
  }
  int32_t seed = random_routed_task(s), n = 0, ruined = 0;
  uint8_t *seen = s->mark; /* all zero between uses */
  for (int32_t k = -1; k < c->k_neigh && ruined < ks; k++) {
    int32_t t = k < 0 ? seed : c->neigh[(size_t)seed * (size_t)c->k_neigh + (size_t)k];
    int32_t r = s->route_of[t];
    if (r < 0 || seen[r]) continue;
    seen[r] = 1;
    double lmax = s->routes[r].n_tasks < ls_max ? s->routes[r].n_tasks : ls_max;
    int32_t len = (int32_t)(hw_rng_unit(&s->rng) * lmax) + 1;
    n = remove_string(s, t, len, out, n);
    ruined++;
  }
  memset(seen, 0, (size_t)s->n_routes);
  return n;
}

int32_t hw_ruin(hw_state *s, int32_t *out, double avg_removed) {
  int32_t n = ruin_some(s, out, avg_removed);
  return n > 0 ? restore_feasible_routes(s, out, n) : n;
}
