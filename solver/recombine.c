/*
 * Recombination: a pool of distinct routes met by the search, and set partitioning
 * over it (Subramanian et al. 2013's ILS-SP idea): GLPK picks the cheapest set of
 * pooled routes that serves each task at most once (an uncovered task costs its
 * unassigned cost). Routes from different local optima combine into a solution
 * none of them had. The pool always holds the best solution's routes, so the
 * partition found is never worse than the best.
 *
 * Care days: a pooled route keeps every position as it was - its breaks, the
 * window each task was served in, a partnered task's agreed start - so the
 * chosen routes are rebuilt exactly as they were found. Such routes belong to
 * their resource (breaks, skills): one row per resource lets each resource run
 * at most one. A double-handed visit is one row of demand 2 whose two columns
 * must agree on its start (hw_setpart's entry tags): both halves, at one time,
 * on two routes, or neither.
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
    h ^= (uint64_t)(uint32_t)rt->win[i].start; /* a pair's start, a window chosen */
    h *= 1099511628211ULL;
  }
  return h | 1;
}

/* Room for `more` positions; 0 or HW_ENOMEM (the pool stays as it was). */
static int pool_reserve(hw_pool *pl, int64_t more) {
  if (pl->n_pos + more <= pl->cap_pos) return 0;
  int64_t nc = (pl->cap_pos + more) * 2;
  int32_t *node = realloc(pl->node, (size_t)nc * sizeof *node);
  if (node) pl->node = node;
  hw_window *win = realloc(pl->win, (size_t)nc * sizeof *win);
  if (win) pl->win = win;
  hw_tick *le = realloc(pl->le, (size_t)nc * sizeof *le);
  if (le) pl->le = le;
  if (!node || !win || !le) return HW_ENOMEM;
  pl->cap_pos = nc;
  return 0;
}

/* The slot of hash h: where it is, or the empty slot where it would go. */
static int32_t pool_slot(const hw_pool *pl, uint64_t h) {
  int32_t slot = (int32_t)(h % (uint64_t)pl->table_cap);
  while (pl->table[slot] && pl->table[slot] != h) slot = (slot + 1) % pl->table_cap;
  return slot;
}

void hw_pool_add(hw_pool *pl, const hw_state *s, int only_dirty) {
  const hw_ctx *c = s->c;
  if (!pl->table || !pl->table_at || !pl->routes) {
    /* One of them may be left from a call that ran out of memory: keep it. */
    pl->table_cap = 2 * HW_POOL_MAX;
    if (!pl->table) pl->table = calloc((size_t)pl->table_cap, sizeof(uint64_t));
    if (!pl->table_at) pl->table_at = malloc((size_t)pl->table_cap * sizeof(int32_t));
    if (!pl->routes) pl->routes = malloc(HW_POOL_MAX * sizeof(hw_pool_route));
    if (!pl->table || !pl->table_at || !pl->routes) return;
    pl->cap = HW_POOL_MAX;
  }
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0 || pl->n >= pl->cap || (only_dirty && !s->dirty[r])) continue;
    uint64_t h = route_hash(rt, c->homogeneous);
    int32_t slot = pool_slot(pl, h);
    if (pl->table[slot] == h || pool_reserve(pl, rt->n)) continue;
    pl->table[slot] = h;
    pl->table_at[slot] = pl->n;
    hw_pool_route *pr = &pl->routes[pl->n++];
    pr->hash = h;
    pr->res = rt->res;
    pr->cost = rt->cost;
    pr->first = (int32_t)pl->n_pos;
    pr->len = rt->n;
    memcpy(pl->node + pl->n_pos, rt->node + 1, (size_t)rt->n * sizeof *pl->node);
    memcpy(pl->win + pl->n_pos, rt->win + 1, (size_t)rt->n * sizeof *pl->win);
    memcpy(pl->le + pl->n_pos, rt->late_end + 1, (size_t)rt->n * sizeof *pl->le);
    pl->n_pos += rt->n;
  }
}

void hw_pool_reset(hw_pool *pl, const hw_state *s) {
  pl->n = 0;
  pl->n_pos = 0;
  if (pl->table) memset(pl->table, 0, (size_t)pl->table_cap * sizeof(uint64_t));
  hw_pool_add(pl, s, 0);
}

int hw_recombinable(const hw_ctx *c) {
  return c->n_tasks >= 8 && c->p->n_links == 0 && c->p->objective != HW_OBJ_MANKOWSKA;
}

void hw_pool_free(hw_pool *pl) {
  free(pl->routes);
  free(pl->node);
  free(pl->win);
  free(pl->le);
  free(pl->table);
  free(pl->table_at);
  memset(pl, 0, sizeof *pl);
}

/* The set-partitioning instance of a pool: rows are the units (a double-handed
 * visit's two tasks share its unit's row, of demand 2), then one row per
 * resource unless resources are interchangeable; an entry of a partnered task
 * is tagged with its start. */
typedef struct sp_build {
  int32_t *start, *rows, *demand;
  int64_t *cost, *pen, *tag;
  uint8_t *chosen;
} sp_build;

static void sp_build_free(sp_build *b) {
  free(b->start);
  free(b->rows);
  free(b->demand);
  free(b->cost);
  free(b->pen);
  free(b->tag);
  free(b->chosen);
}

static int sp_build_fill(sp_build *b, const hw_pool *pl, const hw_ctx *c, int32_t n_rows, hw_setpart *sp) {
  memset(b, 0, sizeof *b);
  b->start = malloc(((size_t)pl->n + 1) * sizeof(int32_t));
  b->rows = malloc(((size_t)pl->n_pos + (size_t)pl->n) * sizeof(int32_t));
  b->tag = malloc(((size_t)pl->n_pos + (size_t)pl->n) * sizeof(int64_t));
  b->cost = malloc((size_t)pl->n * sizeof(int64_t));
  b->pen = malloc((size_t)n_rows * sizeof(int64_t));
  b->demand = malloc((size_t)n_rows * sizeof(int32_t));
  b->chosen = calloc((size_t)pl->n, 1);
  if (!b->start || !b->rows || !b->tag || !b->cost || !b->pen || !b->demand || !b->chosen) return HW_ENOMEM;
  int32_t k = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    b->start[j] = k;
    b->cost[j] = pl->routes[j].cost;
    for (int32_t i = 0; i < pl->routes[j].len; i++) {
      int32_t x = pl->node[pl->routes[j].first + i];
      if (x < 0) continue; /* breaks belong to the route: its resource row covers them */
      b->tag[k] = c->task_partner[x] >= 0 ? pl->win[pl->routes[j].first + i].start : 0;
      b->rows[k++] = c->task_unit[x];
    }
    if (!c->homogeneous) b->tag[k] = 0, b->rows[k++] = c->n_units + pl->routes[j].res;
  }
  b->start[pl->n] = k;
  for (int32_t r = 0; r < n_rows; r++) {
    b->pen[r] = r < c->n_units ? c->unit_cost[r] : 0;
    b->demand[r] = r < c->n_units && c->unit_task[2 * r + 1] >= 0 ? 2 : 1;
  }
  *sp = (hw_setpart){.n_rows = n_rows, .n_cols = pl->n, .col_cost = b->cost, .col_start = b->start,
                     .col_rows = b->rows, .allow_uncovered = 1, .row_penalty = b->pen,
                     .max_columns = c->homogeneous ? c->max_routes : 0, .row_demand = b->demand,
                     .entry_tag = b->tag};
  return 0;
}

/* Marks in chosen the pooled routes of s's plan; 1 if the pool holds every one
 * (then they are a partition GLPK can start from), else 0. */
static int mark_plan(const hw_pool *pl, const hw_state *s, uint8_t *chosen) {
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0) continue;
    uint64_t h = route_hash(rt, s->c->homogeneous);
    int32_t slot = pool_slot(pl, h);
    if (pl->table[slot] != h) return 0;
    chosen[pl->table_at[slot]] = 1;
  }
  return 1;
}

/* Empties every route of s: a resource no chosen column uses keeps its breaks. */
static void clear_routes(hw_state *s) {
  for (int32_t r = 0; r < s->n_routes; r++) hw_rt_reset(s, r);
}

/* Lays pooled route j on route r of s as it was; a partnered task takes its
 * unit's first task while that is free (the two halves of a double-handed visit
 * are interchangeable), else the second. Returns 0, or -1 if a task is already
 * routed or the route is infeasible, HW_ENOMEM. */
static int lay_route(hw_state *s, const hw_pool *pl, int32_t j, int32_t r) {
  const hw_ctx *c = s->c;
  hw_rt *rt = &s->routes[r];
  const hw_pool_route *pr = &pl->routes[j];
  if (hw_rt_reserve(rt, pr->len)) return HW_ENOMEM;
  for (int32_t i = 0; i < pr->len; i++) {
    int32_t x = pl->node[pr->first + i];
    if (x >= 0) {
      int32_t u = c->task_unit[x], t1 = c->unit_task[2 * u], t2 = c->unit_task[2 * u + 1];
      if (t2 >= 0) x = s->route_of[t1] >= 0 ? t2 : t1; /* no links here: the two tasks of one visit */
      if (s->route_of[x] >= 0) return -1; /* covered twice: cannot happen with a partition */
      s->route_of[x] = r;
    }
    rt->node[i + 1] = x;
    rt->win[i + 1] = pl->win[pr->first + i];
    rt->late_end[i + 1] = pl->le[pr->first + i];
  }
  rt->n = pr->len;
  hw_rt_update(s, r);
  return rt->feasible ? 0 : -1;
}

int hw_recombine(hw_pool *pl, hw_state *s, double time_limit_s) {
  const hw_ctx *c = s->c;
  if (pl->n < 2 || !hw_recombinable(c)) return 0;
  int32_t rows = c->n_units + (c->homogeneous ? 0 : s->n_routes);
  sp_build b;
  hw_setpart sp;
  int ok = 0;
  if (sp_build_fill(&b, pl, c, rows, &sp)) goto out;
  sp.time_limit_s = time_limit_s;
  uint8_t *start = calloc((size_t)pl->n, 1);
  if (start && mark_plan(pl, s, start)) sp.initial = start; /* s is the best: GLPK starts there */
  int64_t obj;
  int rc = hw_setpart_solve(&sp, b.chosen, &obj);
  free(start);
  if (rc != 0) goto out;
  clear_routes(s);
  int32_t next_free = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    if (!b.chosen[j]) continue;
    int32_t r = c->homogeneous ? next_free++ : pl->routes[j].res;
    if (r >= s->n_routes || lay_route(s, pl, j, r) != 0) goto out;
  }
  for (int32_t u = 0; u < c->n_units; u++) {
    int32_t t1 = c->unit_task[2 * u], t2 = c->unit_task[2 * u + 1];
    int in1 = s->route_of[t1] >= 0, in2 = t2 < 0 || s->route_of[t2] >= 0;
    if (in1 != in2) goto out; /* half a visit: cannot happen with demand-2 rows */
    hw_set_unassigned(s, u, !in1);
  }
  ok = 1;
out:
  sp_build_free(&b);
  return ok;
}
