/*
 * Local search on a solution: granular relocation and route emptying.
 *
 * Relocate takes each single task out of its route and puts it back at the cheapest
 * feasible position among the routes of its nearest neighbours (and its own route),
 * if that is strictly cheaper; every check is the O(1) insertion test, and only
 * routes near the task are scanned, so a pass costs O(n * k * route length) and no
 * move needs O(n^2) work. Route emptying (for a hierarchical objective) moves every
 * unit of the smallest route elsewhere.
 */
#include <stdlib.h>

#include "search.h"

/* Tries to move task t to a cheaper place; returns 1 if it moved. */
static int relocate_task(hw_state *s, int32_t t, uint8_t *mark) {
  const hw_ctx *c = s->c;
  int32_t r = s->route_of[t], pos = s->pos_of[t];
  hw_rt *rt = &s->routes[r];
  hw_window w = rt->win[pos];
  hw_tick le = rt->late_end[pos];
  int64_t before = rt->cost;
  hw_rt_remove_task(s, t);
  int64_t gain = before - s->routes[r].cost;
  int32_t cand[64], nc = 0;
  cand[nc++] = r;
  mark[r] = 1;
  for (int32_t k = 0; k < c->k_neigh && nc < 64; k++) {
    int32_t v = c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k], rv = s->route_of[v];
    if (rv >= 0 && !mark[rv]) {
      mark[rv] = 1;
      cand[nc++] = rv;
    }
  }
  hw_ins best = {.delta = gain};
  int found = 0;
  for (int32_t k = 0; k < nc; k++) {
    mark[cand[k]] = 0;
    hw_ins ins;
    if (hw_best_insert_task(s, t, cand[k], &ins) && ins.delta < best.delta) {
      best = ins;
      found = 1;
    }
  }
  if (found && hw_rt_insert(s, best.route, best.pos, t, best.win, best.late_end) == 0) return 1;
  hw_rt_insert(s, r, pos - 1, t, w, le);
  return 0;
}

void hw_local_search(hw_state *s) {
  const hw_ctx *c = s->c;
  if (c->k_neigh == 0) return;
  uint8_t *mark = calloc((size_t)s->n_routes + 1, 1);
  if (!mark) return;
  for (int pass = 0; pass < 4; pass++) {
    int improved = 0;
    int32_t start = hw_rng_below(&s->rng, c->n_tasks);
    for (int32_t k = 0; k < c->n_tasks; k++) {
      int32_t t = (start + k) % c->n_tasks;
      if (s->route_of[t] < 0 || c->task_partner[t] >= 0) continue;
      improved |= relocate_task(s, t, mark);
    }
    if (!improved) break;
  }
  free(mark);
}

int hw_try_empty_route(hw_state *s) {
  const hw_ctx *c = s->c;
  int32_t victim = -1;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0) continue;
    if (victim < 0 || rt->n_tasks < s->routes[victim].n_tasks) victim = r;
  }
  if (victim < 0 || s->used_routes <= 1) return 0;
  hw_rt *vr = &s->routes[victim];
  int32_t *tasks = s->buf_a, n = 0;
  for (int32_t i = 1; i <= vr->n; i++) {
    if (vr->node[i] < 0) continue;
    if (c->task_partner[vr->node[i]] >= 0) return 0;
    tasks[n++] = vr->node[i];
  }
  for (int32_t k = 0; k < n; k++) hw_remove_unit(s, c->task_unit[tasks[k]]);
  for (int32_t k = 0; k < n; k++) {
    int32_t t = tasks[k];
    hw_ins best = {.delta = HW_INF_COST}, ins;
    int found = 0;
    for (int32_t r = 0; r < s->n_routes; r++) {
      if (r == victim || s->routes[r].n_tasks == 0) continue;
      if (hw_best_insert_task(s, t, r, &ins) && ins.delta < best.delta) {
        best = ins;
        found = 1;
      }
    }
    if (!found || hw_rt_insert(s, best.route, best.pos, t, best.win, best.late_end)) return 0;
    s->unassigned[c->task_unit[t]] = 0;
    s->n_unassigned--;
  }
  return 1;
}
