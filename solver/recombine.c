/*
 * Recombination: a pool of distinct routes met by the search, and set partitioning
 * over it (Subramanian et al. 2013's ILS-SP idea): GLPK picks the cheapest set of
 * pooled routes that serves each task at most once (an uncovered task costs its
 * unassigned cost). Routes from different local optima combine into a solution
 * none of them had. The pool always holds the best solution's routes, so the
 * partition found is never worse than the best.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "search.h"

static uint64_t route_hash(const hw_rt *rt, int homogeneous) {
  uint64_t h = homogeneous ? 1469598103934665603ULL : 1469598103934665603ULL ^ (uint64_t)rt->res;
  for (int32_t i = 1; i <= rt->n; i++) {
    h ^= (uint64_t)(uint32_t)rt->node[i];
    h *= 1099511628211ULL;
  }
  return h | 1;
}

void hw_pool_add(hw_pool *pl, const hw_state *s, int only_dirty) {
  const hw_ctx *c = s->c;
  if (!pl->table || !pl->routes) {
    /* One of them may be left from a call that ran out of memory: keep it. */
    pl->table_cap = 2 * HW_POOL_MAX;
    if (!pl->table) pl->table = calloc((size_t)pl->table_cap, sizeof(uint64_t));
    if (!pl->routes) pl->routes = malloc(HW_POOL_MAX * sizeof(hw_pool_route));
    if (!pl->table || !pl->routes) return;
    pl->cap = HW_POOL_MAX;
  }
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0 || pl->n >= pl->cap || (only_dirty && !s->dirty[r])) continue;
    uint64_t h = route_hash(rt, c->homogeneous);
    int32_t slot = (int32_t)(h % (uint64_t)pl->table_cap);
    while (pl->table[slot] && pl->table[slot] != h) slot = (slot + 1) % pl->table_cap;
    if (pl->table[slot] == h) continue;
    if (pl->n_tasks + rt->n > pl->cap_tasks) {
      int64_t nc = (pl->cap_tasks + rt->n) * 2;
      int32_t *nt = realloc(pl->tasks, (size_t)nc * sizeof(int32_t));
      if (!nt) return;
      pl->tasks = nt;
      pl->cap_tasks = nc;
    }
    pl->table[slot] = h;
    hw_pool_route *pr = &pl->routes[pl->n++];
    pr->hash = h;
    pr->res = rt->res;
    pr->cost = rt->cost;
    pr->first = (int32_t)pl->n_tasks;
    pr->len = rt->n;
    for (int32_t i = 1; i <= rt->n; i++) pl->tasks[pl->n_tasks++] = rt->node[i];
  }
}

void hw_pool_reset(hw_pool *pl, const hw_state *s) {
  pl->n = 0;
  pl->n_tasks = 0;
  if (pl->table) memset(pl->table, 0, (size_t)pl->table_cap * sizeof(uint64_t));
  hw_pool_add(pl, s, 0);
}

int hw_recombinable(const hw_ctx *c) {
  return c->n_tasks >= 8 && !c->has_pairs && !c->has_breaks && c->p->objective != HW_OBJ_MANKOWSKA;
}

void hw_pool_free(hw_pool *pl) {
  free(pl->routes);
  free(pl->tasks);
  free(pl->table);
  memset(pl, 0, sizeof *pl);
}

/* Rows = tasks (+ resources when they differ); columns = pooled routes; an
 * uncovered task costs its unit's unassigned cost. */
int hw_recombine(hw_pool *pl, hw_state *s, double time_limit_s) {
  const hw_ctx *c = s->c;
  if (pl->n < 2 || !hw_recombinable(c)) return 0;
  int32_t rows = c->n_tasks + (c->homogeneous ? 0 : s->n_routes);
  int32_t *start = malloc(((size_t)pl->n + 1) * sizeof(int32_t));
  int32_t *rws = malloc(((size_t)pl->n_tasks + (size_t)pl->n) * sizeof(int32_t));
  int64_t *cost = malloc((size_t)pl->n * sizeof(int64_t));
  int64_t *pen = malloc((size_t)rows * sizeof(int64_t));
  uint8_t *chosen = calloc((size_t)pl->n, 1);
  int ok = 0;
  if (!start || !rws || !cost || !pen || !chosen) goto out;
  int32_t k = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    start[j] = k;
    cost[j] = pl->routes[j].cost;
    for (int32_t i = 0; i < pl->routes[j].len; i++) rws[k++] = pl->tasks[pl->routes[j].first + i];
    if (!c->homogeneous) rws[k++] = c->n_tasks + pl->routes[j].res;
  }
  start[pl->n] = k;
  for (int32_t r = 0; r < rows; r++) pen[r] = r < c->n_tasks ? c->unit_cost[c->task_unit[r]] : 0;
  hw_setpart sp = {rows, pl->n, cost, start, rws, 1, pen, c->homogeneous ? c->max_routes : 0, time_limit_s};
  int64_t obj;
  if (hw_setpart_solve(&sp, chosen, &obj) != 0) goto out;
  /* Rebuild: clear every route, then lay the chosen routes on free resources. */
  for (int32_t r = 0; r < s->n_routes; r++) {
    hw_rt *rt = &s->routes[r];
    for (int32_t i = 1; i <= rt->n; i++)
      if (rt->node[i] >= 0) s->route_of[rt->node[i]] = -1;
    rt->n = 0;
    hw_rt_update(s, r);
  }
  int32_t next_free = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    if (!chosen[j]) continue;
    int32_t r = c->homogeneous ? next_free++ : pl->routes[j].res;
    if (r >= s->n_routes) goto out;
    hw_rt *rt = &s->routes[r];
    if (hw_rt_reserve(rt, pl->routes[j].len)) goto out;
    for (int32_t i = 0; i < pl->routes[j].len; i++) {
      int32_t t = pl->tasks[pl->routes[j].first + i];
      if (s->route_of[t] >= 0) goto out; /* covered twice: cannot happen with a partition */
      s->route_of[t] = r;
      rt->node[i + 1] = t;
      hw_tick le;
      hw_kept_window(c, t, 0, &rt->win[i + 1], &le);
      rt->late_end[i + 1] = le;
    }
    rt->n = pl->routes[j].len;
    hw_rt_update(s, r);
    if (!rt->feasible) goto out;
  }
  for (int32_t u = 0; u < c->n_units; u++) hw_set_unassigned(s, u, s->route_of[c->unit_task[2 * u]] < 0);
  ok = 1;
out:
  free(start);
  free(rws);
  free(cost);
  free(pen);
  free(chosen);
  return ok;
}
