/*
 * Construction: the first solution of a search.
 *
 * A warm start first puts each job back on its previous resource, in its previous
 * order (re-planning keeps a published roster unless a change pays). Double-handed
 * and linked pairs, the most constrained units, go next, by priority. Every other
 * unit is placed by regret-k insertion: at each step the unit with the highest
 * priority, then the largest regret (how much it loses if its best route is taken
 * from it: the sum of the gaps between its best and its next k - 1 routes), takes
 * its best place. A unit that fits one route only has an infinite regret and goes
 * before those with choices, which is what keeps a full care day from stranding
 * the visits with the fewest options.
 *
 * The cost of every unit in every route is cached and refreshed only where a step
 * changed something: inserting a task into route r can change the units' costs in
 * r alone, and only for units that still fit r (a longer route never admits a
 * task it refused before), so after the first fill each step costs about the
 * number of units that fit the changed route, not units x routes. When a route's
 * cost is its travel (distance and VROOM objectives: no balance, no lateness),
 * a unit's cost at a position away from the new task is what it was, so its new
 * best is its old position (if it still fits) or one of the two next to the new
 * task: three checks instead of a scan of the route.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "search.h"

#define REGRET_MAX_K 3

typedef struct regret_cache {
  int32_t n, R, k;
  int32_t *units;      /* the units still to place */
  int64_t *cost;       /* [i * R + r]: best insertion cost of units[i] in route r, or HW_INF_COST */
  int32_t *pos;        /* [i * R + r]: where (after which position) */
  uint8_t *wk;         /* [i * R + r]: in which of the task's windows */
  int64_t *top;        /* [i * REGRET_MAX_K]: the k smallest costs of row i, ascending */
  int32_t *top_route;  /* [i]: the route of the smallest */
  int local;           /* a cost at one position depends on that position alone */
} regret_cache;

static void cache_free(regret_cache *rc) {
  free(rc->cost);
  free(rc->pos);
  free(rc->wk);
  free(rc->top);
  free(rc->top_route);
}

/* Recomputes the k smallest costs of row i. */
static void row_top(regret_cache *rc, int32_t i) {
  int64_t *top = &rc->top[(size_t)i * REGRET_MAX_K];
  const int64_t *row = &rc->cost[(size_t)i * (size_t)rc->R];
  for (int m = 0; m < REGRET_MAX_K; m++) top[m] = HW_INF_COST;
  rc->top_route[i] = -1;
  for (int32_t r = 0; r < rc->R; r++) {
    int64_t v = row[r];
    if (v >= top[rc->k - 1]) continue;
    int m = rc->k - 1;
    while (m > 0 && top[m - 1] > v) {
      top[m] = top[m - 1];
      m--;
    }
    top[m] = v;
    if (m == 0) rc->top_route[i] = r;
  }
}

/* Scans route r for row i's cheapest place. */
static void scan_entry(regret_cache *rc, hw_state *s, int32_t i, int32_t r) {
  size_t at = (size_t)i * (size_t)rc->R + (size_t)r;
  hw_ins ins;
  int found = hw_best_insert_task(s, s->c->unit_task[2 * rc->units[i]], r, &ins);
  rc->cost[at] = found ? ins.delta : HW_INF_COST;
  rc->pos[at] = found ? ins.pos : -1;
  rc->wk[at] = (uint8_t)(found ? ins.wk : 0);
}

/* Row i's place in route r after a task went in after position p (rc->local):
 * its old place, shifted past the new task, if it still fits, or one of the two
 * places next to the new task; a full scan when the old place was where the new
 * task went or no longer fits. */
static void update_entry(regret_cache *rc, hw_state *s, int32_t i, int32_t r, int32_t p) {
  size_t at = (size_t)i * (size_t)rc->R + (size_t)r;
  int32_t t = s->c->unit_task[2 * rc->units[i]], q = rc->pos[at];
  hw_window ws[HW_MAX_WINDOWS];
  int32_t nw = hw_task_windows(s->c, t, ws);
  if (q == p) return scan_entry(rc, s, i, r);
  int32_t q2 = q < p ? q : q + 1;
  int64_t best = hw_insert_cost_at(s, t, r, q2, ws[rc->wk[at]], ws[rc->wk[at]].end);
  if (best >= HW_INF_COST) return scan_entry(rc, s, i, r);
  int32_t best_pos = q2, best_k = rc->wk[at];
  for (int32_t adj = p; adj <= p + 1; adj++)
    for (int32_t k = 0; k < nw; k++) {
      int64_t v = hw_insert_cost_at(s, t, r, adj, ws[k], ws[k].end);
      if (v >= HW_INF_COST) continue;
      if (v < best) best = v, best_pos = adj, best_k = k;
      break; /* hard windows: the earliest feasible one */
    }
  rc->cost[at] = best;
  rc->pos[at] = best_pos;
  rc->wk[at] = (uint8_t)best_k;
}

static int cache_fill(regret_cache *rc, hw_state *s) {
  size_t cells = (size_t)rc->n * (size_t)rc->R + 1;
  rc->cost = malloc(cells * sizeof(int64_t));
  rc->pos = malloc(cells * sizeof(int32_t));
  rc->wk = malloc(cells);
  rc->top = malloc(((size_t)rc->n * REGRET_MAX_K + 1) * sizeof(int64_t));
  rc->top_route = malloc(((size_t)rc->n + 1) * sizeof(int32_t));
  if (!rc->cost || !rc->pos || !rc->wk || !rc->top || !rc->top_route) return 0;
  for (int32_t i = 0; i < rc->n; i++) {
    for (int32_t r = 0; r < rc->R; r++) scan_entry(rc, s, i, r);
    row_top(rc, i);
  }
  return 1;
}

/* The regret of row i: the gaps between its best cost and its next k - 1
 * (an absent alternative counts as a very large gap). */
static int64_t row_regret(const regret_cache *rc, int32_t i) {
  const int64_t *top = &rc->top[(size_t)i * REGRET_MAX_K];
  int64_t regret = 0;
  for (int m = 1; m < rc->k; m++) regret += (top[m] >= HW_INF_COST ? HW_INF_COST / 8 : top[m]) - top[0];
  return regret;
}

/* The row to place next: highest unassigned cost, then largest regret, then
 * cheapest; -1 when no unit fits anywhere. */
static int32_t pick_row(const regret_cache *rc, const hw_ctx *c) {
  int32_t pick = -1;
  int64_t pick_prio = -1, pick_regret = -1, pick_cost = 0;
  for (int32_t i = 0; i < rc->n; i++) {
    int64_t best = rc->top[(size_t)i * REGRET_MAX_K];
    if (best >= HW_INF_COST) continue;
    int64_t prio = c->unit_cost[rc->units[i]], regret = row_regret(rc, i);
    if (prio > pick_prio || (prio == pick_prio && (regret > pick_regret || (regret == pick_regret && best < pick_cost)))) {
      pick = i;
      pick_prio = prio;
      pick_regret = regret;
      pick_cost = best;
    }
  }
  return pick;
}

/* Drops row i (the last row takes its place). */
static void drop_row(regret_cache *rc, int32_t i) {
  rc->n--;
  if (i == rc->n) return;
  rc->units[i] = rc->units[rc->n];
  memcpy(&rc->cost[(size_t)i * (size_t)rc->R], &rc->cost[(size_t)rc->n * (size_t)rc->R],
         (size_t)rc->R * sizeof(int64_t));
  memcpy(&rc->pos[(size_t)i * (size_t)rc->R], &rc->pos[(size_t)rc->n * (size_t)rc->R],
         (size_t)rc->R * sizeof(int32_t));
  memcpy(&rc->wk[(size_t)i * (size_t)rc->R], &rc->wk[(size_t)rc->n * (size_t)rc->R], (size_t)rc->R);
  memcpy(&rc->top[(size_t)i * REGRET_MAX_K], &rc->top[(size_t)rc->n * REGRET_MAX_K], REGRET_MAX_K * sizeof(int64_t));
  rc->top_route[i] = rc->top_route[rc->n];
}

/* After a task went into route r after position p: refresh the rows that could
 * still use r (by a full scan when r was empty: its fixed cost is paid now); when
 * that used up the fleet limit, the other empty routes too (they just closed). */
static void refresh(regret_cache *rc, hw_state *s, int32_t r, int32_t p, int was_empty) {
  int all = was_empty && s->used_routes >= s->max_routes;
  for (int32_t i = 0; i < rc->n; i++) {
    int64_t *row = &rc->cost[(size_t)i * (size_t)rc->R];
    int changed = 0;
    for (int32_t q = all ? 0 : r; q < (all ? rc->R : r + 1); q++) {
      if (row[q] >= HW_INF_COST || (q != r && s->routes[q].n_tasks > 0)) continue;
      int64_t old = row[q];
      if (q == r && rc->local && !was_empty) update_entry(rc, s, i, r, p);
      else scan_entry(rc, s, i, q);
      changed |= row[q] != old;
    }
    if (changed) row_top(rc, i);
  }
}

/* Returns 0, or HW_ENOMEM when the cache could not be allocated (nothing is
 * inserted then: a greedy plan instead would be another answer than the one
 * asked for, which the fault sweep would see published). */
static int regret_insert(hw_state *s, int k, int32_t *units, int32_t n) {
  const hw_problem *p = s->c->p;
  regret_cache rc = {.n = n, .R = s->n_routes, .k = k < 2 ? 2 : k > REGRET_MAX_K ? REGRET_MAX_K : k,
                     .units = units, .local = (p->objective == HW_OBJ_DISTANCE || p->objective == HW_OBJ_VROOM) &&
                                                  !p->soft_windows};
  if (!cache_fill(&rc, s)) {
    cache_free(&rc);
    return HW_ENOMEM;
  }
  int32_t i;
  while ((i = pick_row(&rc, s->c)) >= 0) {
    int32_t r = rc.top_route[i], t = s->c->unit_task[2 * rc.units[i]];
    int was_empty = s->routes[r].n_tasks == 0;
    int placed = hw_insert_unit_into(s, rc.units[i], r);
    drop_row(&rc, i);
    if (placed) refresh(&rc, s, r, s->pos_of[t] - 1, was_empty);
  }
  cache_free(&rc);
  return 0;
}

/* Warm start: each single-task job first tries its previous resource, in the
 * previous order. */
static void warm_start(hw_state *s, const hw_solution *initial) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  for (int32_t r = 0; r < initial->n_routes; r++) {
    const hw_route *ir = &initial->routes[r];
    if (ir->resource < 0 || ir->resource >= s->n_routes) continue;
    for (int32_t i = 0; i < ir->n_steps; i++) {
      int32_t j = ir->steps[i].index;
      if (ir->steps[i].kind != HW_STEP_JOB || j < 0 || j >= p->n_jobs) continue;
      int32_t u = c->task_unit[c->job_task[j]];
      if (c->unit_task[2 * u + 1] < 0) hw_insert_unit_into(s, u, ir->resource);
    }
  }
}

int hw_construct(hw_state *s, int k, const hw_solution *initial) {
  const hw_ctx *c = s->c;
  if (initial) warm_start(s, initial);
  int32_t nu = 0, *list = s->buf_b;
  for (int32_t u = 0; u < c->n_units; u++)
    if (s->unassigned[u] && c->unit_task[2 * u + 1] >= 0) list[nu++] = u;
  /* Pairs are the most constrained: place them first, by priority. */
  hw_sort_units(list, nu, c->unit_cost, c->unit_cost);
  for (int32_t i = 0; i < nu; i++) hw_insert_unit(s, list[i], 0);
  nu = 0;
  for (int32_t u = 0; u < c->n_units; u++)
    if (s->unassigned[u] && c->unit_task[2 * u + 1] < 0) list[nu++] = u;
  return regret_insert(s, k, list, nu);
}
