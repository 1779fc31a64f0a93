/*
 * Insertion: the cheapest feasible place for a unit, checked in O(1) per position
 * by concatenating the route's prefix summary, the new task and its suffix summary.
 *
 * Used by every part of the search: regret-k construction, SISR's greedy recreate
 * (with blinks: a position is skipped with a small probability, which diversifies
 * the search), and hw_insert_jobs, the fast path that answers a discharge team's
 * "can this visit still fit today?" without re-solving. A unit of two partnered
 * tasks is placed in two different routes at once: each candidate position yields
 * an interval of feasible starts, and a pair of positions fits when the intervals
 * allow starts whose gap lies in the link's [min_gap, max_gap].
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "search.h"

/* Concatenate START..i, task t (window w), then the route from position b on
 * (b = i + 1: an insertion; b = i + 2: t takes position i + 1's place); fills
 * the whole-route summary and, if lo, the task's feasible start interval. */
static int splice_check(const hw_state *s, const hw_rt *rt, int32_t i, int32_t b, int32_t t, hw_window w,
                        hw_seg *out, hw_tick *lo, hw_tick *hi) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_resource *res = &p->resources[rt->res];
  int32_t prof = res->profile, tl = p->jobs[c->task_job[t]].loc;
  hw_seg acc = rt->fwd[i];
  hw_tick t_in = hw_travel(p, prof, rt->loc[i], tl);
  hw_seg g = hw_seg_node(c, t, w, tl);
  if (acc.E + acc.D + t_in > w.end) return 0;
  if (!hw_seg_cat(&acc, &g, t_in, hw_travel_cost(p, prof, rt->loc[i], tl))) return 0;
  int32_t k = b <= rt->n + 1 ? rt->next_real[b] : rt->n + 1;
  hw_seg sfx;
  memset(&sfx, 0, sizeof sfx);
  sfx.empty = 1;
  for (int32_t j = b; j < k; j++) {
    const hw_break_spec *brk = &res->breaks[HW_NODE_BREAK_INDEX(rt->node[j])];
    hw_seg bg = hw_seg_node(c, rt->node[j], rt->win[j], tl);
    bg.D = bg.work = brk->duration;
    if (!hw_seg_cat(&sfx, &bg, 0, 0)) return 0;
  }
  int32_t last = tl;
  if (k <= rt->n) {
    hw_tick tr = sfx.empty ? 0 : hw_travel(p, prof, last, rt->loc[k]);
    if (!hw_seg_cat(&sfx, &rt->bwd[k], tr, sfx.empty ? 0 : hw_travel_cost(p, prof, last, rt->loc[k])))
      return 0;
    last = rt->loc[rt->n];
  }
  hw_seg end;
  memset(&end, 0, sizeof end);
  end.E = res->shift.start;
  end.L = res->shift.end;
  end.first_loc = end.last_loc = res->end_loc;
  int64_t tc_end = sfx.empty ? hw_travel_cost(p, prof, last, res->end_loc) : 0;
  hw_tick t_end = sfx.empty ? hw_travel(p, prof, last, res->end_loc) : 0;
  if (!sfx.empty) {
    if (!hw_seg_cat(&sfx, &end, hw_travel(p, prof, last, res->end_loc),
                    hw_travel_cost(p, prof, last, res->end_loc)))
      return 0;
    /* A break right after the new task stays at its location: no travel into it. */
    int brk = k > b;
    hw_tick t_out = brk ? 0 : hw_travel(p, prof, tl, rt->loc[k]);
    int64_t c_out = brk ? 0 : hw_travel_cost(p, prof, tl, rt->loc[k]);
    if (!hw_seg_cat(&acc, &sfx, t_out, c_out)) return 0;
    if (lo) {
      *lo = (hw_tick)(rt->fwd[i].E + rt->fwd[i].D + t_in > w.start ? rt->fwd[i].E + rt->fwd[i].D + t_in : w.start);
      int64_t h = sfx.L - t_out - g.D;
      *hi = (hw_tick)(h < w.end ? h : w.end);
    }
  } else {
    if (!hw_seg_cat(&acc, &end, t_end, tc_end)) return 0;
    if (lo) {
      *lo = (hw_tick)(rt->fwd[i].E + rt->fwd[i].D + t_in > w.start ? rt->fwd[i].E + rt->fwd[i].D + t_in : w.start);
      int64_t h = res->shift.end - t_end - g.D;
      *hi = (hw_tick)(h < w.end ? h : w.end);
    }
  }
  if (res->capacity >= 0 && acc.load > res->capacity) return 0;
  *out = acc;
  return 1;
}

/* Insertion of task t after position i. */
static int ins_check(const hw_state *s, const hw_rt *rt, int32_t i, int32_t t, hw_window w, hw_seg *out,
                     hw_tick *lo, hw_tick *hi) {
  return splice_check(s, rt, i, i + 1, t, w, out, lo, hi);
}

/* Cost change of inserting t after position i given the new route summary; soft
 * windows need the forward pass for lateness. */
static int64_t ins_delta(hw_state *s, const hw_rt *rt, int32_t i, int32_t t, hw_window w,
                         hw_tick late_end, const hw_seg *g) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  int64_t pen = rt->pen;
  if (c->pen) pen += c->pen[(size_t)c->task_job[t] * (size_t)p->n_resources + (size_t)rt->res];
  if (!p->soft_windows)
    return hw_route_cost_of(c, rt->res, rt->n_tasks + 1, g->cost, 0, pen, g->work) - rt->cost;
  int32_t n = rt->n + 1;
  int32_t *nodes = s->buf_a;
  hw_window *wins = s->seq_win;
  hw_tick *les = s->seq_le;
  for (int32_t k = 0, src = 1; k < n; k++) {
    if (k == i) {
      nodes[k] = t;
      wins[k] = w;
      les[k] = late_end;
    } else {
      nodes[k] = rt->node[src];
      wins[k] = rt->win[src];
      les[k] = rt->late_end[src];
      src++;
    }
  }
  int64_t cost, late, ml;
  int ok = hw_eval_seq(s, rt->res, n, nodes, wins, les, &cost, &late, &ml);
  return ok ? cost - rt->cost : HW_INF_COST;
}

/* The task's windows as used in routes: soft windows are relaxed to "start from"
 * for feasibility, their end kept as the start of lateness. */
static int32_t task_route_windows(const hw_ctx *c, int32_t t, hw_window *w, hw_tick *late_end) {
  int32_t nw = hw_task_windows(c, t, w);
  const hw_job *j = &c->p->jobs[c->task_job[t]];
  for (int32_t k = 0; k < nw; k++) {
    late_end[k] = w[k].end;
    if (c->p->soft_windows && j->pin_start < 0) w[k].end = HW_TICK_MAX;
  }
  return nw;
}

/* May route r take a task now (compatibility, fleet limit)? Sets *empty_seen so that
 * interchangeable empty routes are tried once (or twice for pairs). */
static int route_open(const hw_state *s, int32_t t, int32_t r, int *empty_seen, int empties) {
  const hw_ctx *c = s->c;
  const hw_rt *rt = &s->routes[r];
  if (!c->allowed[(size_t)t * (size_t)c->p->n_resources + (size_t)r]) return 0;
  if (rt->n_tasks == 0) {
    if (s->used_routes >= s->max_routes) return 0;
    if (c->homogeneous) {
      if (*empty_seen >= empties) return 0;
      (*empty_seen)++;
    }
  }
  return 1;
}

/* Granular insertion: with more than HW_GRANULAR_TASKS tasks, a task is tried only
 * in the routes of its nearest neighbours and in empty routes, so an insertion
 * costs O(k * route length), not O(n). Marks those routes in s->mark and returns 1;
 * returns 0 (scan every route) for small problems or while fewer than 3 of the
 * neighbours' routes are in use (early in construction). */
static void unmark_near_routes(hw_state *s, int32_t t);

static int mark_near_routes(hw_state *s, int32_t t) {
  const hw_ctx *c = s->c;
  if (c->n_tasks <= HW_GRANULAR_TASKS || c->k_neigh == 0) return 0;
  int32_t found = 0;
  for (int32_t k = 0; k < c->k_neigh; k++) {
    int32_t r = s->route_of[c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k]];
    if (r >= 0 && !s->mark[r]) {
      s->mark[r] = 1;
      found++;
    }
  }
  if (found >= 3) return 1;
  unmark_near_routes(s, t);
  return 0;
}

static void unmark_near_routes(hw_state *s, int32_t t) {
  const hw_ctx *c = s->c;
  for (int32_t k = 0; k < c->k_neigh; k++) {
    int32_t r = s->route_of[c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k]];
    if (r >= 0) s->mark[r] = 0;
  }
}

/* Is route r out of a granular scan (not near, not empty)? */
static int skip_route(const hw_state *s, int granular, int32_t r) {
  return granular && !s->mark[r] && s->routes[r].n_tasks > 0;
}

/* Two necessary conditions for task t to go between position i and position b of
 * rt (b = i + 1: an insertion; b = i + 2: t takes position i + 1's place), cheap
 * enough to test before the full check. The prefix's earliest finish only grows
 * along the route: once it passes the last window's end (last_end), neither this
 * nor any later position can take t. */
static int prefix_past_windows(const hw_rt *rt, int32_t i, int64_t last_end) {
  return rt->fwd[i].E + rt->fwd[i].D > last_end;
}

/* The next stop from b on must start no later than its latest start: a task that
 * cannot be done by then (done_first: its earliest finish) does not fit before it. */
static int next_stop_too_soon(const hw_rt *rt, int32_t b, int64_t done_first) {
  int32_t next = rt->next_real[b];
  return next <= rt->n && rt->bwd[next].L < done_first;
}

/* Cheapest insertion of task t (windows ws/les) into route r, improving *best. */
static int scan_route(hw_state *s, int32_t t, const hw_window *ws, const hw_tick *les, int32_t nw, double blink,
                      int32_t r, hw_ins *best) {
  const hw_rt *rt = &s->routes[r];
  const hw_problem *p = s->c->p;
  const hw_resource *res = &p->resources[rt->res];
  int64_t done_first = (int64_t)ws[0].start + p->jobs[s->c->task_job[t]].service;
  if (done_first > res->shift.end || ws[nw - 1].end < res->shift.start) return 0; /* outside the shift */
  int found = 0;
  for (int32_t i = 0; i <= rt->n; i++) {
    if (prefix_past_windows(rt, i, ws[nw - 1].end)) break;
    if (next_stop_too_soon(rt, i + 1, done_first)) continue;
    if (blink > 0 && hw_rng_unit(&s->rng) < blink) continue;
    for (int32_t k = 0; k < nw; k++) {
      hw_seg g;
      if (!ins_check(s, rt, i, t, ws[k], &g, NULL, NULL)) continue;
      int64_t d = ins_delta(s, rt, i, t, ws[k], les[k], &g);
      if (d < best->delta) {
        best->delta = d;
        best->route = r;
        best->pos = i;
        best->wk = k;
        best->win = ws[k];
        best->late_end = les[k];
        found = 1;
      }
      if (!s->c->p->soft_windows) break; /* hard windows: the earliest feasible one */
    }
  }
  return found;
}

/* Cheapest insertion over the open routes (only_route alone when >= 0); with
 * granular, only the marked (near) and the empty routes. */
static int scan_routes(hw_state *s, int32_t t, double blink, int32_t only_route, int granular, hw_ins *best) {
  hw_window ws[HW_MAX_WINDOWS];
  hw_tick les[HW_MAX_WINDOWS];
  int32_t nw = task_route_windows(s->c, t, ws, les);
  int empty_seen = 0, found = 0;
  int32_t first = only_route >= 0 ? only_route : 0, last = only_route >= 0 ? only_route + 1 : s->n_routes;
  for (int32_t r = first; r < last; r++) {
    if (skip_route(s, granular, r) || !route_open(s, t, r, &empty_seen, 1)) continue;
    found |= scan_route(s, t, ws, les, nw, blink, r, best);
  }
  return found;
}

static int best_single(hw_state *s, int32_t t, double blink, int32_t only_route, hw_ins *best) {
  int granular = only_route < 0 && mark_near_routes(s, t);
  best->delta = HW_INF_COST;
  int found = scan_routes(s, t, blink, only_route, granular, best);
  if (granular) unmark_near_routes(s, t);
  /* Nothing near: on a full care day the near routes are often full while a
   * route further off still has room, so every route is tried before giving up. */
  if (granular && !found) found = scan_routes(s, t, blink, -1, 0, best);
  return found;
}

struct hw_pair_cand {
  int32_t route, pos;
  hw_tick lo, hi, late_end;
  int64_t delta;
};

static int cmp_cand(const void *a, const void *b) {
  const hw_pair_cand *x = a, *y = b;
  if (x->delta != y->delta) return x->delta < y->delta ? -1 : 1;
  if (x->route != y->route) return x->route < y->route ? -1 : 1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Every feasible position of task t as a pair candidate (its start interval);
 * with granular, only in the marked (near) and the empty routes. */
static int32_t collect_pair_candidates(hw_state *s, int32_t t, int granular, hw_pair_cand *out) {
  const hw_ctx *c = s->c;
  hw_window ws[HW_MAX_WINDOWS];
  hw_tick les[HW_MAX_WINDOWS];
  int32_t nw = task_route_windows(c, t, ws, les), n = 0;
  int64_t done_first = (int64_t)ws[0].start + c->p->jobs[c->task_job[t]].service;
  int empty_seen = 0;
  for (int32_t r = 0; r < s->n_routes; r++) {
    if (skip_route(s, granular, r) || !route_open(s, t, r, &empty_seen, 2)) continue;
    const hw_rt *rt = &s->routes[r];
    for (int32_t i = 0; i <= rt->n && !prefix_past_windows(rt, i, ws[nw - 1].end); i++) {
      if (next_stop_too_soon(rt, i + 1, done_first)) continue;
      for (int32_t k = 0; k < nw; k++) {
        hw_seg g;
        hw_tick lo, hi;
        if (!ins_check(s, rt, i, t, ws[k], &g, &lo, &hi) || lo > hi) continue;
        hw_window pt = {lo, lo};
        int64_t d = ins_delta(s, rt, i, t, pt, les[k], &g);
        if (d >= HW_INF_COST) continue;
        out[n++] = (hw_pair_cand){r, i, lo, hi, les[k], d};
      }
    }
  }
  return n;
}

/* The pair candidates of t, cheapest first: near routes, or every route when
 * fewer than two near ones fit (a pair needs two routes). */
static int32_t pair_candidates(hw_state *s, int32_t t, hw_pair_cand *out) {
  int granular = mark_near_routes(s, t);
  int32_t n = collect_pair_candidates(s, t, granular, out);
  if (granular) unmark_near_routes(s, t);
  if (granular && n < 2) n = collect_pair_candidates(s, t, 0, out);
  qsort(out, (size_t)n, sizeof *out, cmp_cand);
  return n;
}

static int insert_pair(hw_state *s, int32_t t1, int32_t t2) {
  const hw_ctx *c = s->c;
  if (!s->pair_a) { /* allocated once per state: the search loop must not allocate */
    size_t cap = ((size_t)c->n_tasks + (size_t)s->n_routes * (HW_MAX_BREAKS + 2)) * HW_MAX_WINDOWS;
    s->pair_a = malloc(cap * sizeof *s->pair_a);
    s->pair_b = malloc(cap * sizeof *s->pair_b);
    if (!s->pair_a || !s->pair_b) {
      free(s->pair_a);
      free(s->pair_b);
      s->pair_a = s->pair_b = NULL;
      return 0;
    }
  }
  hw_pair_cand *a = s->pair_a, *b = s->pair_b;
  int done = 0;
  int32_t na = pair_candidates(s, t1, a), nb = pair_candidates(s, t2, b);
  hw_tick g1 = c->task_gmin[t1], g2 = c->task_gmax[t1];
  int64_t best = HW_INF_COST;
  int32_t bi = -1, bj = -1;
  for (int32_t i = 0; i < na; i++) {
    if (nb == 0 || a[i].delta + b[0].delta >= best) break;
    for (int32_t j = 0; j < nb; j++) {
      if (a[i].delta + b[j].delta >= best) break;
      if (a[i].route == b[j].route) continue;
      if (s->routes[a[i].route].n_tasks == 0 && s->routes[b[j].route].n_tasks == 0 &&
          s->used_routes + 2 > s->max_routes)
        continue;
      hw_tick lo = a[i].lo > b[j].lo - g2 ? a[i].lo : b[j].lo - g2;
      hw_tick hi = a[i].hi < b[j].hi - g1 ? a[i].hi : b[j].hi - g1;
      if (lo > hi) continue;
      best = a[i].delta + b[j].delta;
      bi = i;
      bj = j;
    }
  }
  if (bi < 0) goto out;
  hw_tick s1 = a[bi].lo > b[bj].lo - g2 ? a[bi].lo : b[bj].lo - g2;
  hw_tick s2 = b[bj].lo > s1 + g1 ? b[bj].lo : s1 + g1;
  hw_window w1 = {s1, s1}, w2 = {s2, s2};
  if (hw_rt_insert(s, a[bi].route, a[bi].pos, t1, w1, a[bi].late_end)) goto out;
  if (hw_rt_insert(s, b[bj].route, b[bj].pos, t2, w2, b[bj].late_end)) {
    hw_rt_remove_task(s, t1);
    goto out;
  }
  done = 1;
out:
  return done;
}

static int insert_unit_in(hw_state *s, int32_t u, double blink, int32_t only_route) {
  const hw_ctx *c = s->c;
  if (!s->unassigned[u]) return 1;
  int32_t t1 = c->unit_task[2 * u], t2 = c->unit_task[2 * u + 1];
  int ok = 0;
  if (t2 >= 0) {
    ok = only_route < 0 && insert_pair(s, t1, t2);
  } else {
    hw_ins ins;
    if (best_single(s, t1, blink, only_route, &ins))
      ok = hw_rt_insert(s, ins.route, ins.pos, t1, ins.win, ins.late_end) == 0;
  }
  if (ok) hw_set_unassigned(s, u, 0);
  return ok;
}

int hw_insert_unit(hw_state *s, int32_t u, double blink) { return insert_unit_in(s, u, blink, -1); }

int hw_insert_unit_into(hw_state *s, int32_t u, int32_t route) { return insert_unit_in(s, u, 0, route); }

int hw_best_insert_task(hw_state *s, int32_t t, int32_t only_route, hw_ins *best) {
  return best_single(s, t, 0, only_route, best);
}

int64_t hw_insert_cost_at(hw_state *s, int32_t t, int32_t r, int32_t pos, hw_window w, hw_tick late_end) {
  const hw_rt *rt = &s->routes[r];
  hw_seg g;
  if (pos < 0 || pos > rt->n || !ins_check(s, rt, pos, t, w, &g, NULL, NULL)) return HW_INF_COST;
  return ins_delta(s, rt, pos, t, w, late_end, &g);
}

/* ---- recreate orders ------------------------------------------------------ */

/* Sort units by descending primary key, then descending secondary key, then
 * ascending index (stable). The comparator reads the keys through thread-local
 * pointers. */
static _Thread_local const int64_t *tl_primary, *tl_secondary;
static int cmp_units(const void *a, const void *b) {
  int32_t u = *(const int32_t *)a, v = *(const int32_t *)b;
  if (tl_primary[u] != tl_primary[v]) return tl_primary[u] > tl_primary[v] ? -1 : 1;
  if (tl_secondary[u] != tl_secondary[v]) return tl_secondary[u] > tl_secondary[v] ? -1 : 1;
  return (u > v) - (u < v);
}

void hw_sort_units(int32_t *units, int32_t n, const int64_t *primary, const int64_t *secondary) {
  tl_primary = primary;
  tl_secondary = secondary;
  qsort(units, (size_t)n, sizeof(int32_t), cmp_units);
}

void hw_recreate(hw_state *s, int32_t *units, int32_t n, double blink) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  int64_t *keys = s->unit_key;
  double r = hw_rng_unit(&s->rng);
  for (int32_t k = 0; k < n; k++) {
    int32_t u = units[k];
    const hw_job *j = &p->jobs[c->task_job[c->unit_task[2 * u]]];
    int64_t key;
    if (r < 4.0 / 11) key = (int64_t)(hw_rng_next(&s->rng) >> 2);
    else if (r < 8.0 / 11) key = j->demand;
    else if (r < 10.0 / 11) key = hw_travel_cost(p, 0, c->depot_loc, j->loc);
    else key = -hw_travel_cost(p, 0, c->depot_loc, j->loc);
    keys[u] = key;
  }
  /* Priority first: expensive-to-drop units get the first pick of positions. */
  hw_sort_units(units, n, c->unit_cost, keys);
  for (int32_t k = 0; k < n; k++) hw_insert_unit(s, units[k], blink);
}

/* ---- priority replacement ------------------------------------------------- */

/* The penalty (preference, stability) of task t on route rt's resource. */
static int64_t task_pen(const hw_ctx *c, const hw_rt *rt, int32_t t) {
  return c->pen ? c->pen[(size_t)c->task_job[t] * (size_t)c->p->n_resources + (size_t)rt->res] : 0;
}

int hw_replace_unit(hw_state *s, int32_t u, int32_t *victim) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  int32_t t = c->unit_task[2 * u];
  if (!s->unassigned[u] || c->unit_task[2 * u + 1] >= 0 || p->soft_windows || c->unit_cost[u] <= c->min_unit_cost)
    return 0;
  hw_window ws[HW_MAX_WINDOWS];
  hw_tick les[HW_MAX_WINDOWS];
  int32_t nw = task_route_windows(c, t, ws, les), best_r = -1, best_pos = -1, best_k = 0;
  int64_t best_gain = 0, done_first = (int64_t)ws[0].start + p->jobs[c->task_job[t]].service;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    const hw_resource *res = &p->resources[rt->res];
    if (rt->n_tasks == 0 || !c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)r]) continue;
    if (done_first > res->shift.end || ws[nw - 1].end < res->shift.start) continue;
    for (int32_t pos = 1; pos <= rt->n && !prefix_past_windows(rt, pos - 1, ws[nw - 1].end); pos++) {
      if (next_stop_too_soon(rt, pos + 1, done_first)) continue;
      int32_t w = rt->node[pos];
      if (w < 0 || c->task_partner[w] >= 0 || c->unit_cost[c->task_unit[w]] >= c->unit_cost[u]) continue;
      for (int32_t k = 0; k < nw; k++) {
        hw_seg g;
        if (!splice_check(s, rt, pos - 1, pos + 1, t, ws[k], &g, NULL, NULL)) continue;
        int64_t pen = rt->pen - task_pen(c, rt, w) + task_pen(c, rt, t);
        int64_t grow = hw_route_cost_of(c, rt->res, rt->n_tasks, g.cost, 0, pen, g.work) - rt->cost;
        int64_t gain = c->unit_cost[u] - c->unit_cost[c->task_unit[w]] - grow;
        if (gain > best_gain) {
          best_gain = gain;
          best_r = r;
          best_pos = pos;
          best_k = k;
        }
        break; /* hard windows: the earliest feasible one */
      }
    }
  }
  if (best_r < 0) return 0;
  int32_t wu = c->task_unit[s->routes[best_r].node[best_pos]];
  hw_remove_unit(s, wu);
  if (hw_rt_insert(s, best_r, best_pos - 1, t, ws[best_k], les[best_k])) return 0; /* out of memory: wu stays out */
  hw_set_unassigned(s, u, 0);
  *victim = wu;
  return 1;
}
