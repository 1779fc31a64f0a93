/*
 * The search's data: the read-only context of a solve (tasks, units, compatibility,
 * penalties, neighbour lists) and routes with their concatenated segment summaries.
 *
 * Everything a move needs to know about a route in O(1) is kept here: fwd[i] and
 * bwd[i] summarise the route's prefix and suffix (earliest and latest start,
 * least duration, load, travel cost), so an insertion is checked by concatenating
 * prefix, new task and suffix. hw_rt_update rebuilds those summaries after a route
 * changed (O(route length)); hw_eval_seq is the slow, general evaluator used where
 * a forward pass is needed anyway (soft windows, intra-route moves, diagnosis).
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "search.h"

int64_t hw_job_unassigned_cost(const hw_job *j) {
  if (j->unassigned_cost > 0) return j->unassigned_cost;
  return ((int64_t)j->priority + 1) * 1000000000LL;
}

int64_t hw_route_cost_of(const hw_ctx *c, int32_t res, int32_t n_tasks, int64_t travel,
                         int64_t late, int64_t pen, int64_t work) {
  if (n_tasks == 0) return 0;
  const hw_problem *p = c->p;
  int64_t cost = travel + p->resources[res].fixed_cost + pen;
  if (p->soft_windows) cost += p->lateness_weight * late;
  if (p->objective == HW_OBJ_ROSTER) cost += work * work / 3600000;
  return cost;
}

/* ---- context -------------------------------------------------------------- */

static int job_allowed(const hw_problem *p, const hw_job *j, int32_t r) {
  const hw_resource *res = &p->resources[r];
  if ((j->skills & res->skills) != j->skills) return 0;
  for (int k = 0; k < j->n_excluded; k++)
    if (j->excluded[k] == r) return 0;
  if (j->pin_resource >= 0 && j->pin_resource != r) return 0;
  return 1;
}

static int build_tasks(hw_ctx *c) {
  const hw_problem *p = c->p;
  c->job_task = malloc(((size_t)p->n_jobs + 1) * sizeof(int32_t));
  if (!c->job_task) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t j = 0; j < p->n_jobs; j++) {
    c->job_task[j] = n;
    n += p->jobs[j].workers;
  }
  c->job_task[p->n_jobs] = n;
  c->n_tasks = n;
  size_t nt = n ? (size_t)n : 1;
  c->task_job = malloc(nt * sizeof(int32_t));
  c->task_partner = malloc(nt * sizeof(int32_t));
  c->task_gmin = calloc(nt, sizeof(hw_tick));
  c->task_gmax = calloc(nt, sizeof(hw_tick));
  c->task_unit = malloc(nt * sizeof(int32_t));
  c->unit_task = malloc(2 * nt * sizeof(int32_t));
  c->unit_cost = calloc(nt, sizeof(int64_t));
  c->restricted = calloc(nt, 1);
  c->fixed = calloc(nt, 1);
  c->allowed = calloc(nt * (size_t)(p->n_resources ? p->n_resources : 1), 1);
  if (!c->task_job || !c->task_partner || !c->task_gmin || !c->task_gmax || !c->task_unit ||
      !c->unit_task || !c->unit_cost || !c->restricted || !c->fixed || !c->allowed)
    return HW_ENOMEM;
  for (int32_t j = 0; j < p->n_jobs; j++) {
    int32_t t = c->job_task[j];
    for (int w = 0; w < p->jobs[j].workers; w++) {
      c->task_job[t + w] = j;
      c->task_partner[t + w] = -1;
    }
    if (p->jobs[j].workers == 2) {
      c->task_partner[t] = t + 1;
      c->task_partner[t + 1] = t;
      c->has_pairs = 1;
    }
  }
  for (int32_t l = 0; l < p->n_links; l++) {
    int32_t a = c->job_task[p->links[l].first], b = c->job_task[p->links[l].second];
    c->task_partner[a] = b;
    c->task_partner[b] = a;
    c->task_gmin[a] = p->links[l].min_gap;
    c->task_gmax[a] = p->links[l].max_gap;
    c->task_gmin[b] = -p->links[l].max_gap;
    c->task_gmax[b] = -p->links[l].min_gap;
    c->has_pairs = 1;
  }
  for (int32_t t = 0; t < n; t++) c->task_unit[t] = -1;
  int32_t u = 0;
  for (int32_t t = 0; t < n; t++) {
    if (c->task_unit[t] >= 0) continue;
    int32_t q = c->task_partner[t];
    c->task_unit[t] = u;
    c->unit_task[2 * u] = t;
    c->unit_task[2 * u + 1] = q;
    int64_t cost = hw_job_unassigned_cost(&p->jobs[c->task_job[t]]);
    if (q >= 0) {
      c->task_unit[q] = u;
      if (c->task_job[q] != c->task_job[t]) cost += hw_job_unassigned_cost(&p->jobs[c->task_job[q]]);
    }
    c->unit_cost[u] = cost;
    u++;
  }
  c->n_units = u;
  c->min_unit_cost = u > 0 ? c->unit_cost[0] : 0;
  for (int32_t k = 1; k < u; k++)
    if (c->unit_cost[k] < c->min_unit_cost) c->min_unit_cost = c->unit_cost[k];
  for (int32_t t = 0; t < n; t++) {
    const hw_job *j = &p->jobs[c->task_job[t]];
    for (int32_t r = 0; r < p->n_resources; r++) {
      uint8_t ok = (uint8_t)job_allowed(p, j, r);
      c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)r] = ok;
      if (!ok) c->restricted[t] = 1;
    }
    c->fixed[t] = c->task_partner[t] >= 0 || j->n_excluded > 0 || j->pin_resource >= 0;
  }
  return 0;
}

static int build_penalties(hw_ctx *c, const hw_solution *initial, int64_t stability_weight) {
  const hw_problem *p = c->p;
  int any = initial && stability_weight > 0;
  for (int32_t j = 0; j < p->n_jobs && !any; j++) any = p->jobs[j].n_preferred > 0;
  if (!any || p->n_resources == 0) return 0;
  c->pen = calloc((size_t)p->n_jobs * (size_t)p->n_resources, sizeof(int64_t));
  if (!c->pen) return HW_ENOMEM;
  for (int32_t j = 0; j < p->n_jobs; j++) {
    const hw_job *job = &p->jobs[j];
    if (job->n_preferred == 0) continue;
    for (int32_t r = 0; r < p->n_resources; r++) {
      int pref = 0;
      for (int k = 0; k < job->n_preferred; k++) pref |= job->preferred[k] == r;
      if (!pref) c->pen[(size_t)j * (size_t)p->n_resources + (size_t)r] += HW_PREF_PENALTY;
    }
  }
  if (!(initial && stability_weight > 0)) return 0;
  uint8_t *had = calloc((size_t)p->n_jobs * (size_t)p->n_resources, 1);
  if (!had) return HW_ENOMEM;
  uint8_t *routed = calloc((size_t)p->n_jobs, 1);
  if (!routed) {
    free(had);
    return HW_ENOMEM;
  }
  for (int32_t k = 0; k < initial->n_routes; k++) {
    const hw_route *rt = &initial->routes[k];
    if (rt->resource < 0 || rt->resource >= p->n_resources) continue;
    for (int32_t i = 0; i < rt->n_steps; i++) {
      int32_t j = rt->steps[i].index;
      if (rt->steps[i].kind != HW_STEP_JOB || j < 0 || j >= p->n_jobs) continue;
      had[(size_t)j * (size_t)p->n_resources + (size_t)rt->resource] = 1;
      routed[j] = 1;
    }
  }
  for (int32_t j = 0; j < p->n_jobs; j++)
    for (int32_t r = 0; r < p->n_resources && routed[j]; r++)
      if (!had[(size_t)j * (size_t)p->n_resources + (size_t)r])
        c->pen[(size_t)j * (size_t)p->n_resources + (size_t)r] += stability_weight;
  free(had);
  free(routed);
  return 0;
}

/* The span of starts a task may take: from its first window's start to its last
 * window's end (a pinned start is a point). */
static hw_window task_span(const hw_ctx *c, int32_t t) {
  const hw_job *j = &c->p->jobs[c->task_job[t]];
  if (j->pin_start >= 0) return (hw_window){j->pin_start, j->pin_start};
  return (hw_window){j->windows[0].start, j->windows[j->n_windows - 1].end};
}

/* How far task b is from following task a on one route: the travel cost, plus a
 * fifth of the wait when b's window opens long after a is done, plus the time
 * warp when a done as early as it can still arrives at b after b's window closes
 * (the proximity of Vidal et al. 2013, as in PyVRP). Visits at one place but in
 * different care slots are then far apart, so neighbour lists hold visits a
 * route can actually chain. */
static int64_t follow_cost(const hw_ctx *c, int32_t a, int32_t b) {
  const hw_problem *p = c->p;
  const hw_job *ja = &p->jobs[c->task_job[a]], *jb = &p->jobs[c->task_job[b]];
  hw_window wa = task_span(c, a), wb = task_span(c, b);
  int64_t d = hw_travel(p, 0, ja->loc, jb->loc);
  int64_t wait = (int64_t)wb.start - ((int64_t)wa.end + ja->service + d);
  int64_t warp = (int64_t)wa.start + ja->service + d - wb.end;
  return hw_travel_cost(p, 0, ja->loc, jb->loc) + (wait > 0 ? wait / 5 : 0) + (warp > 0 ? warp : 0);
}

static int64_t proximity(const hw_ctx *c, int32_t a, int32_t b) {
  int64_t ab = follow_cost(c, a, b), ba = follow_cost(c, b, a);
  return ab < ba ? ab : ba;
}

/* The typical cost of a useful arc, which scales the annealing temperature: the
 * mean travel from each task to its nearest neighbour at another place (visits
 * of one client share a place at cost 0 and say nothing of the scale). */
static int64_t typical_arc_cost(const hw_ctx *c) {
  const hw_problem *p = c->p;
  int64_t sum = 0, n = 0;
  for (int32_t t = 0; t < c->n_tasks; t++) {
    int32_t lt = p->jobs[c->task_job[t]].loc;
    for (int32_t k = 0; k < c->k_neigh; k++) {
      int32_t lo = p->jobs[c->task_job[c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k]]].loc;
      if (lo == lt) continue;
      sum += (hw_travel_cost(p, 0, lt, lo) + hw_travel_cost(p, 0, lo, lt)) / 2;
      n++;
      break;
    }
  }
  int64_t unit = n ? sum / n : 1;
  return unit < 1 ? 1 : unit;
}

/* k nearest tasks of each task by proximity (travel and time windows), kept by
 * insertion sort. */
static int build_neighbours(hw_ctx *c) {
  int32_t n = c->n_tasks, k = n - 1 < 40 ? n - 1 : 40;
  if (k <= 0) return 0;
  c->k_neigh = k;
  c->neigh = malloc((size_t)n * (size_t)k * sizeof(int32_t));
  int64_t *d = malloc((size_t)k * sizeof(int64_t));
  if (!c->neigh || !d) {
    free(d);
    return HW_ENOMEM;
  }
  for (int32_t t = 0; t < n; t++) {
    int32_t *row = &c->neigh[(size_t)t * (size_t)k];
    int32_t cnt = 0;
    for (int32_t o = 0; o < n; o++) {
      if (o == t) continue;
      int64_t v = proximity(c, t, o);
      if (cnt == k && v >= d[k - 1]) continue;
      int32_t i = cnt < k ? cnt++ : k - 1;
      while (i > 0 && d[i - 1] > v) {
        d[i] = d[i - 1];
        row[i] = row[i - 1];
        i--;
      }
      d[i] = v;
      row[i] = o;
    }
  }
  c->cost_unit = typical_arc_cost(c);
  free(d);
  return 0;
}

static int same_resource_kind(const hw_resource *a, const hw_resource *b) {
  return a->start_loc == b->start_loc && a->end_loc == b->end_loc &&
         a->shift.start == b->shift.start && a->shift.end == b->shift.end &&
         a->n_breaks == 0 && b->n_breaks == 0 && a->skills == b->skills &&
         a->capacity == b->capacity && a->profile == b->profile && a->fixed_cost == b->fixed_cost;
}

int hw_ctx_build(hw_ctx *c, const hw_problem *p, const hw_solution *initial,
                 int64_t stability_weight, int with_neighbours) {
  memset(c, 0, sizeof *c);
  c->p = p;
  c->cost_unit = 1;
  int rc = build_tasks(c);
  if (!rc) rc = build_penalties(c, initial, stability_weight);
  if (!rc && with_neighbours) rc = build_neighbours(c);
  if (rc) {
    hw_ctx_free(c);
    return rc;
  }
  c->homogeneous = c->pen == NULL;
  for (int32_t t = 0; t < c->n_tasks; t++)
    if (c->restricted[t]) c->homogeneous = 0;
  for (int32_t r = 0; r < p->n_resources; r++) {
    if (p->resources[r].n_breaks > 0) c->has_breaks = 1;
    if (!same_resource_kind(&p->resources[r], &p->resources[0])) c->homogeneous = 0;
  }
  c->max_routes = p->max_routes > 0 ? p->max_routes : p->n_resources;
  c->depot_loc = p->n_resources > 0 ? p->resources[0].start_loc : -1;
  return 0;
}

void hw_ctx_free(hw_ctx *c) {
  free(c->task_job);
  free(c->task_partner);
  free(c->task_gmin);
  free(c->task_gmax);
  free(c->task_unit);
  free(c->job_task);
  free(c->unit_task);
  free(c->unit_cost);
  free(c->allowed);
  free(c->restricted);
  free(c->fixed);
  free(c->hopeless);
  free(c->pen);
  free(c->neigh);
  memset(c, 0, sizeof *c);
}

int32_t hw_task_windows(const hw_ctx *c, int32_t t, hw_window *out) {
  const hw_problem *p = c->p;
  const hw_job *j = &p->jobs[c->task_job[t]];
  if (j->pin_start >= 0) {
    out[0].start = out[0].end = j->pin_start;
    return 1;
  }
  for (int w = 0; w < j->n_windows; w++) out[w] = j->windows[w];
  return j->n_windows;
}

/* ---- routes --------------------------------------------------------------- */

int hw_rt_reserve(hw_rt *rt, int32_t cap) {
  if (cap <= rt->cap) return 0;
  int32_t nc = rt->cap * 2 > cap ? rt->cap * 2 : cap + 8;
  size_t m = (size_t)nc + 2;
  int32_t *node = realloc(rt->node, m * sizeof *node);
  if (node) rt->node = node;
  hw_window *win = realloc(rt->win, m * sizeof *win);
  if (win) rt->win = win;
  hw_tick *le = realloc(rt->late_end, m * sizeof *le);
  if (le) rt->late_end = le;
  hw_seg *fwd = realloc(rt->fwd, m * sizeof *fwd);
  if (fwd) rt->fwd = fwd;
  hw_seg *bwd = realloc(rt->bwd, m * sizeof *bwd);
  if (bwd) rt->bwd = bwd;
  int32_t *loc = realloc(rt->loc, m * sizeof *loc);
  if (loc) rt->loc = loc;
  int32_t *nr = realloc(rt->next_real, m * sizeof *nr);
  if (nr) rt->next_real = nr;
  int32_t *sp = realloc(rt->special, m * sizeof *sp);
  if (sp) rt->special = sp;
  hw_skillset *need = realloc(rt->need, m * sizeof *need);
  if (need) rt->need = need;
  if (!node || !win || !le || !fwd || !bwd || !loc || !nr || !sp || !need) return HW_ENOMEM;
  rt->cap = nc;
  return 0;
}

static void rt_free(hw_rt *rt) {
  free(rt->node);
  free(rt->win);
  free(rt->late_end);
  free(rt->fwd);
  free(rt->bwd);
  free(rt->loc);
  free(rt->next_real);
  free(rt->special);
  free(rt->need);
  memset(rt, 0, sizeof *rt);
}

int hw_rt_copy(hw_rt *dst, const hw_rt *src) {
  if (hw_rt_reserve(dst, src->n)) return HW_ENOMEM;
  size_t m = (size_t)src->n + 2;
  memcpy(dst->node, src->node, m * sizeof *dst->node);
  memcpy(dst->win, src->win, m * sizeof *dst->win);
  memcpy(dst->late_end, src->late_end, m * sizeof *dst->late_end);
  memcpy(dst->fwd, src->fwd, m * sizeof *dst->fwd);
  memcpy(dst->bwd, src->bwd, m * sizeof *dst->bwd);
  memcpy(dst->loc, src->loc, m * sizeof *dst->loc);
  memcpy(dst->next_real, src->next_real, m * sizeof *dst->next_real);
  memcpy(dst->special, src->special, m * sizeof *dst->special);
  memcpy(dst->need, src->need, m * sizeof *dst->need);
  int32_t cap = dst->cap;
  int32_t *node = dst->node, *loc = dst->loc, *nr = dst->next_real, *sp = dst->special;
  hw_skillset *need = dst->need;
  hw_window *win = dst->win;
  hw_tick *le = dst->late_end;
  hw_seg *fwd = dst->fwd, *bwd = dst->bwd;
  *dst = *src;
  dst->cap = cap;
  dst->node = node;
  dst->loc = loc;
  dst->next_real = nr;
  dst->special = sp;
  dst->need = need;
  dst->win = win;
  dst->late_end = le;
  dst->fwd = fwd;
  dst->bwd = bwd;
  dst->stamp = 0;
  return 0;
}

static hw_seg depot_seg(const hw_resource *res, int32_t loc) {
  hw_seg g;
  memset(&g, 0, sizeof g);
  g.E = res->shift.start;
  g.L = res->shift.end;
  g.first_loc = g.last_loc = loc;
  return g;
}

static hw_seg pos_seg(const hw_ctx *c, const hw_rt *rt, int32_t i) {
  int32_t x = rt->node[i];
  hw_seg g = hw_seg_node(c, x, rt->win[i], rt->loc[i]);
  if (HW_NODE_IS_BREAK(x)) g.D = g.work = c->p->resources[rt->res].breaks[HW_NODE_BREAK_INDEX(x)].duration;
  return g;
}

/* A node that cannot move to another route on skills alone: a break, or a fixed task. */
static int is_special(const hw_ctx *c, int32_t x) { return x < 0 || c->fixed[x]; }

void hw_rt_update(hw_state *s, int32_t r) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  hw_rt *rt = &s->routes[r];
  const hw_resource *res = &p->resources[rt->res];
  int32_t prof = res->profile, n = rt->n;
  int32_t old_tasks = rt->n_tasks;
  rt->node[0] = rt->node[n + 1] = HW_NODE_DEPOT;
  rt->loc[0] = res->start_loc;
  rt->fwd[0] = depot_seg(res, res->start_loc);
  int ok = 1;
  int32_t tasks = 0;
  int64_t pen = 0;
  for (int32_t i = 1; i <= n; i++) {
    int32_t x = rt->node[i];
    int brk = HW_NODE_IS_BREAK(x);
    rt->loc[i] = brk ? rt->loc[i - 1] : p->jobs[c->task_job[x]].loc;
    if (!brk) {
      tasks++;
      s->route_of[x] = r;
      s->pos_of[x] = i;
      if (c->pen) pen += c->pen[(size_t)c->task_job[x] * (size_t)p->n_resources + (size_t)rt->res];
    }
    hw_seg g = pos_seg(c, rt, i);
    rt->fwd[i] = rt->fwd[i - 1];
    hw_tick t = brk ? 0 : hw_travel(p, prof, rt->loc[i - 1], rt->loc[i]);
    int64_t tc = brk ? 0 : hw_travel_cost(p, prof, rt->loc[i - 1], rt->loc[i]);
    ok &= hw_seg_cat(&rt->fwd[i], &g, t, tc);
  }
  rt->loc[n + 1] = res->end_loc;
  hw_seg end = depot_seg(res, res->end_loc);
  hw_seg full = rt->fwd[n];
  ok &= hw_seg_cat(&full, &end, hw_travel(p, prof, rt->loc[n], res->end_loc),
                   hw_travel_cost(p, prof, rt->loc[n], res->end_loc));
  if (res->capacity >= 0 && full.load > res->capacity) ok = 0;
  rt->fwd[n + 1] = full;
  memset(&rt->bwd[n + 1], 0, sizeof(hw_seg));
  rt->bwd[n + 1].empty = 1;
  rt->next_real[n + 1] = n + 1;
  rt->special[n + 1] = 0;
  rt->need[n + 1] = 0;
  int32_t n_fixed = 0;
  for (int32_t i = n; i >= 1; i--) {
    int32_t x = rt->node[i];
    rt->next_real[i] = HW_NODE_IS_BREAK(x) ? rt->next_real[i + 1] : i;
    rt->special[i] = rt->special[i + 1] + is_special(c, x);
    n_fixed += x >= 0 && c->fixed[x];
    rt->need[i] = rt->need[i + 1] | (x >= 0 ? p->jobs[c->task_job[x]].skills : 0);
    rt->bwd[i] = pos_seg(c, rt, i);
    int nb = i < n && HW_NODE_IS_BREAK(rt->node[i + 1]);
    hw_tick t = (i == n || nb) ? 0 : hw_travel(p, prof, rt->loc[i], rt->loc[i + 1]);
    int64_t tc = (i == n || nb) ? 0 : hw_travel_cost(p, prof, rt->loc[i], rt->loc[i + 1]);
    hw_seg_cat(&rt->bwd[i], &rt->bwd[i + 1], t, tc);
  }
  rt->next_real[0] = 0;
  rt->special[0] = rt->special[1];
  rt->need[0] = rt->need[1];
  rt->n_fixed = n_fixed;
  rt->n_tasks = tasks;
  rt->travel = full.cost;
  rt->work = full.work;
  rt->pen = pen;
  rt->late = rt->max_late = 0;
  if (p->soft_windows && tasks > 0) {
    int64_t cost;
    ok &= hw_eval_seq(s, rt->res, n, rt->node + 1, rt->win + 1, rt->late_end + 1, &cost,
                      &rt->late, &rt->max_late);
  }
  rt->feasible = ok;
  rt->stamp = ++s->clock;
  int64_t old_cost = rt->cost;
  rt->cost = hw_route_cost_of(c, rt->res, tasks, rt->travel, rt->late, pen, rt->work);
  s->routes_cost += rt->cost - old_cost;
  s->used_routes += (tasks > 0) - (old_tasks > 0);
  s->dirty[r] = 1;
}

int hw_eval_seq(const hw_state *s, int32_t res_i, int32_t n, const int32_t *nodes,
                const hw_window *wins, const hw_tick *late_ends, int64_t *cost,
                int64_t *late, int64_t *max_late) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_resource *res = &p->resources[res_i];
  int32_t prof = res->profile, loc = res->start_loc, tasks = 0;
  hw_seg acc = depot_seg(res, loc);
  int64_t t = res->shift.start, lt = 0, ml = 0, pen = 0;
  int ok = 1;
  for (int32_t i = 0; i < n; i++) {
    int32_t x = nodes[i];
    int brk = HW_NODE_IS_BREAK(x);
    int32_t nl = brk ? loc : p->jobs[c->task_job[x]].loc;
    hw_tick tr = brk ? 0 : hw_travel(p, prof, loc, nl);
    hw_seg g = hw_seg_node(c, x, wins[i], nl);
    if (brk) g.D = g.work = res->breaks[HW_NODE_BREAK_INDEX(x)].duration;
    ok &= hw_seg_cat(&acc, &g, tr, brk ? 0 : hw_travel_cost(p, prof, loc, nl));
    int64_t start = t + tr > wins[i].start ? t + tr : wins[i].start;
    if (!brk) {
      tasks++;
      if (c->pen) pen += c->pen[(size_t)c->task_job[x] * (size_t)p->n_resources + (size_t)res_i];
      if (p->soft_windows && start > late_ends[i]) {
        lt += start - late_ends[i];
        if (start - late_ends[i] > ml) ml = start - late_ends[i];
      }
    }
    t = start + g.D;
    loc = nl;
  }
  hw_seg end = depot_seg(res, res->end_loc);
  ok &= hw_seg_cat(&acc, &end, hw_travel(p, prof, loc, res->end_loc),
                   hw_travel_cost(p, prof, loc, res->end_loc));
  if (res->capacity >= 0 && acc.load > res->capacity) ok = 0;
  *late = lt;
  *max_late = ml;
  *cost = hw_route_cost_of(c, res_i, tasks, acc.cost, lt, pen, acc.work);
  return ok;
}

int hw_rt_insert(hw_state *s, int32_t r, int32_t after, int32_t node, hw_window w, hw_tick late_end) {
  hw_rt *rt = &s->routes[r];
  if (hw_rt_reserve(rt, rt->n + 1)) return HW_ENOMEM;
  int32_t m = rt->n - after; /* positions after+1 .. n move right */
  memmove(&rt->node[after + 2], &rt->node[after + 1], (size_t)m * sizeof(int32_t));
  memmove(&rt->win[after + 2], &rt->win[after + 1], (size_t)m * sizeof(hw_window));
  memmove(&rt->late_end[after + 2], &rt->late_end[after + 1], (size_t)m * sizeof(hw_tick));
  rt->node[after + 1] = node;
  rt->win[after + 1] = w;
  rt->late_end[after + 1] = late_end;
  rt->n++;
  hw_rt_update(s, r);
  return 0;
}

void hw_rt_remove_task(hw_state *s, int32_t t) {
  int32_t r = s->route_of[t];
  if (r < 0) return;
  hw_rt *rt = &s->routes[r];
  int32_t i = s->pos_of[t], m = rt->n - i;
  memmove(&rt->node[i], &rt->node[i + 1], (size_t)m * sizeof(int32_t));
  memmove(&rt->win[i], &rt->win[i + 1], (size_t)m * sizeof(hw_window));
  memmove(&rt->late_end[i], &rt->late_end[i + 1], (size_t)m * sizeof(hw_tick));
  rt->n--;
  s->route_of[t] = -1;
  hw_rt_update(s, r);
}

/* ---- state ---------------------------------------------------------------- */

static int cmp_break_start(const void *a, const void *b) {
  const hw_break_spec *x = a, *y = b;
  return (x->window.start > y->window.start) - (x->window.start < y->window.start);
}

int hw_state_init(hw_state *s, const hw_ctx *c, uint64_t seed) {
  const hw_problem *p = c->p;
  memset(s, 0, sizeof *s);
  s->c = c;
  s->rng.s = seed * 0x2545f4914f6cdd1dULL + 1;
  s->ls_moves = HW_LS_ALL;
  s->max_routes = c->max_routes;
  size_t nt = c->n_tasks ? (size_t)c->n_tasks : 1;
  s->n_routes = p->n_resources;
  s->routes = calloc(p->n_resources ? (size_t)p->n_resources : 1, sizeof(hw_rt));
  s->route_of = malloc(nt * sizeof(int32_t));
  s->pos_of = calloc(nt, sizeof(int32_t));
  s->unassigned = malloc(nt);
  s->dirty = calloc(p->n_resources ? (size_t)p->n_resources : 1, 1);
  size_t nb = nt + HW_MAX_BREAKS + 8, nr = p->n_resources ? (size_t)p->n_resources : 1;
  s->buf_a = malloc(nb * sizeof(int32_t));
  s->buf_b = malloc(nb * sizeof(int32_t));
  s->buf_c = malloc(nb * sizeof(int64_t));
  s->unit_key = calloc(nt + 1, sizeof(int64_t));
  s->mark = calloc(nr, 1);
  s->seq_node = malloc(2 * nb * sizeof(int32_t));
  s->seq_win = malloc(2 * nb * sizeof(hw_window));
  s->seq_le = malloc(2 * nb * sizeof(hw_tick));
  s->tested_at = calloc(nt, sizeof(uint64_t));
  if (!s->tested_at || !s->routes || !s->route_of || !s->pos_of || !s->unassigned || !s->dirty || !s->buf_a || !s->buf_b ||
      !s->buf_c || !s->unit_key || !s->mark || !s->seq_node || !s->seq_win || !s->seq_le) {
    hw_state_free(s);
    return HW_ENOMEM;
  }
  for (int32_t t = 0; t < c->n_tasks; t++) s->route_of[t] = -1;
  memset(s->unassigned, 1, nt);
  s->n_unassigned = c->n_units;
  for (int32_t u = 0; u < c->n_units; u++) s->unassigned_cost += c->unit_cost[u];
  for (int32_t r = 0; r < p->n_resources; r++) {
    hw_rt *rt = &s->routes[r];
    const hw_resource *res = &p->resources[r];
    rt->res = r;
    rt->profile = res->profile;
    if (hw_rt_reserve(rt, res->n_breaks + 4)) {
      hw_state_free(s);
      return HW_ENOMEM;
    }
    hw_rt_reset(s, r);
  }
  return 0;
}

void hw_rt_reset(hw_state *s, int32_t r) {
  hw_rt *rt = &s->routes[r];
  const hw_resource *res = &s->c->p->resources[rt->res];
  for (int32_t i = 1; i <= rt->n; i++)
    if (rt->node[i] >= 0) s->route_of[rt->node[i]] = -1;
  /* Breaks start in window order; moves can reorder them within the route. */
  hw_break_spec order[HW_MAX_BREAKS];
  memcpy(order, res->breaks, sizeof order);
  qsort(order, (size_t)res->n_breaks, sizeof order[0], cmp_break_start);
  for (int b = 0; b < res->n_breaks; b++) {
    int32_t idx = 0;
    while (res->breaks[idx].window.start != order[b].window.start || res->breaks[idx].id != order[b].id) idx++;
    rt->node[b + 1] = HW_NODE_BREAK(idx);
    rt->win[b + 1] = res->breaks[idx].window;
    rt->late_end[b + 1] = res->breaks[idx].window.end;
  }
  rt->n = res->n_breaks;
  hw_rt_update(s, r);
}

void hw_state_free(hw_state *s) {
  if (s->routes)
    for (int32_t r = 0; r < s->n_routes; r++) rt_free(&s->routes[r]);
  free(s->routes);
  free(s->route_of);
  free(s->pos_of);
  free(s->unassigned);
  free(s->dirty);
  free(s->buf_a);
  free(s->buf_b);
  free(s->buf_c);
  free(s->unit_key);
  free(s->mark);
  free(s->seq_node);
  free(s->seq_win);
  free(s->seq_le);
  free(s->tested_at);
  free(s->pair_a);
  free(s->pair_b);
  memset(s, 0, sizeof *s);
}

int hw_state_copy(hw_state *dst, const hw_state *src) {
  const hw_ctx *c = src->c;
  size_t nt = c->n_tasks ? (size_t)c->n_tasks : 1;
  for (int32_t r = 0; r < src->n_routes; r++)
    if (hw_rt_copy(&dst->routes[r], &src->routes[r])) return HW_ENOMEM;
  memcpy(dst->route_of, src->route_of, nt * sizeof(int32_t));
  memcpy(dst->pos_of, src->pos_of, nt * sizeof(int32_t));
  memcpy(dst->unassigned, src->unassigned, nt);
  dst->n_unassigned = src->n_unassigned;
  dst->unassigned_cost = src->unassigned_cost;
  dst->routes_cost = src->routes_cost;
  dst->used_routes = src->used_routes;
  return 0;
}

void hw_state_sync(hw_state *dst, hw_state *src) {
  const hw_ctx *c = src->c;
  int oom = 0;
  for (int32_t r = 0; r < src->n_routes; r++) {
    if (!src->dirty[r] && !dst->dirty[r]) continue;
    hw_rt *d = &dst->routes[r];
    for (int32_t i = 1; i <= d->n; i++)
      if (d->node[i] >= 0) dst->route_of[d->node[i]] = -1;
  }
  for (int32_t r = 0; r < src->n_routes; r++) {
    if (!src->dirty[r] && !dst->dirty[r]) continue;
    hw_rt *d = &dst->routes[r];
    if (hw_rt_copy(d, &src->routes[r])) {
      hw_rt_update(dst, r); /* out of memory: keep dst consistent with itself */
      oom = 1;
      continue;
    }
    for (int32_t i = 1; i <= d->n; i++)
      if (d->node[i] >= 0) {
        dst->route_of[d->node[i]] = r;
        dst->pos_of[d->node[i]] = i;
      }
    src->dirty[r] = dst->dirty[r] = 0;
  }
  memcpy(dst->unassigned, src->unassigned, c->n_units ? (size_t)c->n_units : 1);
  dst->n_unassigned = src->n_unassigned;
  dst->unassigned_cost = src->unassigned_cost;
  dst->routes_cost = src->routes_cost;
  dst->used_routes = src->used_routes;
  if (oom) {
    dst->routes_cost = 0;
    for (int32_t r = 0; r < dst->n_routes; r++) dst->routes_cost += dst->routes[r].cost;
  }
}

int64_t hw_state_cost(const hw_state *s) {
  const hw_ctx *c = s->c;
  int64_t total = s->routes_cost + s->unassigned_cost, ml = 0;
  if (c->p->objective != HW_OBJ_MANKOWSKA) return total;
  for (int32_t r = 0; r < s->n_routes; r++)
    if (s->routes[r].max_late > ml) ml = s->routes[r].max_late;
  return total + ml;
}

int hw_ctx_mark_hopeless(hw_ctx *c) {
  hw_state empty;
  c->hopeless = calloc((size_t)c->n_units + 1, 1);
  if (!c->hopeless || hw_state_init(&empty, c, 1)) return HW_ENOMEM;
  for (int32_t u = 0; u < c->n_units; u++) {
    int32_t t = c->unit_task[2 * u];
    hw_ins ins;
    if (c->unit_task[2 * u + 1] >= 0) {
      c->hopeless[u] = !hw_insert_unit(&empty, u, 0);
      hw_remove_unit(&empty, u);
    } else {
      c->hopeless[u] = !hw_best_insert_task(&empty, t, -1, &ins);
    }
  }
  hw_state_free(&empty);
  return 0;
}
