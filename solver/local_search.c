/*
 * Local search on a solution: granular neighbourhood moves and route emptying.
 *
 * Every move is tried only between a task u and one of its nearest neighbours v
 * (granular neighbourhoods, Toth & Vigo 2003), so a pass costs O(n * k) checks and
 * never O(n^2). Between two routes: 2-opt* (exchange the tails after u and before v,
 * which makes the arc u -> v; essential for long routes), swap of u and v, and
 * or-opt (move a string of 1-3 tasks starting at u next to v). Inside one route:
 * or-opt and 2-opt (reverse the part between u and v).
 *
 * A candidate route is always "prefix of route X up to a, some explicit positions
 * M, suffix of route B from b": prefix and suffix come from the routes' segment
 * summaries (fwd / bwd), so an inter-route move is checked in O(1) and an
 * intra-route one in O(|M|). Moves are applied first-improvement; every applied
 * move strictly lowers the cost, so the search ends.
 *
 * Breaks never leave their route, and partnered or restricted tasks (skills,
 * exclusions, pins) only move inside theirs. Problems with soft windows need a
 * forward pass for lateness, so there only cheapest relocation is used.
 */
#include <stdlib.h>
#include <string.h>

#include "search.h"

#define LS_NEIGH 20    /* neighbours scanned per task */
#define LS_MAX_MID 48  /* explicit positions in an intra-route candidate */
#define LS_MAX_PASSES 30

/* One position of a route, used as an explicit element of a candidate. */
typedef struct ls_ref {
  int32_t route, pos;
} ls_ref;

/* A candidate content for route `route`: its positions 1..a, then mid[0..m), then
 * positions b..n of route `tail` (b = n + 1: nothing). When own >= 0, the tail's
 * breaks are replaced one for one by `route`'s own breaks found from position
 * own on (2-opt* between routes whose tails hold matching breaks). */
typedef struct ls_cand {
  int32_t route, a;
  int32_t m;
  ls_ref mid[LS_MAX_MID];
  int32_t tail, b;
  int32_t own;
} ls_cand;

static void cand_set(ls_cand *k, int32_t route, int32_t a, int32_t tail, int32_t b) {
  k->route = route; /* mid is left uninitialised: only mid[0..m) is read */
  k->a = a;
  k->m = 0;
  k->tail = tail;
  k->b = b;
  k->own = -1;
}

/* Tail position i of candidate k as it will be: a break of the tail route is
 * replaced by the next own break of k's route (*scan: where to look next). */
static int32_t tail_node(const hw_state *s, const ls_cand *k, int32_t i, int32_t *scan, hw_window *w, hw_tick *le) {
  const hw_rt *t = &s->routes[k->tail];
  if (k->own < 0 || !HW_NODE_IS_BREAK(t->node[i])) {
    *w = t->win[i];
    *le = t->late_end[i];
    return t->node[i];
  }
  const hw_rt *x = &s->routes[k->route];
  while (!HW_NODE_IS_BREAK(x->node[*scan])) (*scan)++;
  *w = x->win[*scan];
  *le = x->late_end[*scan];
  return x->node[(*scan)++];
}

/* The travel filter: a move whose travel (summed over the arcs it changes) does
 * not fall and that empties no route is skipped before its full check. Exact when
 * a route costs travel + fixed cost and has no breaks (a break's location follows
 * its predecessor); a heuristic under the roster objective's balance term or with
 * breaks (it may skip a move that pays only through balance), never a wrong
 * acceptance since every move it lets through is checked in full. Preferences
 * and lateness are too large to ignore: no filter then. */
static int travel_filter(const hw_state *s) {
  return !s->c->pen && !s->c->p->soft_windows;
}

/* Travel cost of the arc between the locations of position i of route a and
 * position j of route b (END's location is loc[n + 1]). */
static inline int64_t arc(const hw_state *s, const hw_rt *a, int32_t i, const hw_rt *b, int32_t j) {
  return hw_travel_cost(s->c->p, a->profile, a->loc[i], b->loc[j]);
}

/* acc := acc followed by node x with window w on resource res's route. */
static int cat_node(const hw_ctx *c, const hw_resource *res, hw_seg *acc, int32_t x, hw_window w) {
  const hw_problem *p = c->p;
  if (HW_NODE_IS_BREAK(x)) { /* a break stays where the previous stop was */
    hw_seg g = hw_seg_node(c, x, w, acc->last_loc);
    g.D = g.work = res->breaks[HW_NODE_BREAK_INDEX(x)].duration;
    return hw_seg_cat(acc, &g, 0, 0);
  }
  int32_t l = p->jobs[c->task_job[x]].loc;
  hw_seg g = hw_seg_node(c, x, w, l);
  return hw_seg_cat(acc, &g, hw_travel(p, res->profile, acc->last_loc, l),
                    hw_travel_cost(p, res->profile, acc->last_loc, l));
}

/* Penalty (preference, stability) of the candidate's tasks on its resource. */
static int64_t cand_pen(const hw_state *s, const ls_cand *k) {
  const hw_ctx *c = s->c;
  if (!c->pen) return 0;
  const hw_rt *x = &s->routes[k->route], *t = &s->routes[k->tail];
  size_t nr = (size_t)c->p->n_resources, res = (size_t)x->res;
  int64_t pen = 0;
  for (int32_t i = 1; i <= k->a; i++)
    if (x->node[i] >= 0) pen += c->pen[(size_t)c->task_job[x->node[i]] * nr + res];
  for (int32_t i = 0; i < k->m; i++) {
    int32_t v = s->routes[k->mid[i].route].node[k->mid[i].pos];
    if (v >= 0) pen += c->pen[(size_t)c->task_job[v] * nr + res];
  }
  for (int32_t i = k->b; i <= t->n; i++)
    if (t->node[i] >= 0) pen += c->pen[(size_t)c->task_job[t->node[i]] * nr + res];
  return pen;
}

/* Feasibility and cost of a candidate route; returns 0 if infeasible. */
static int cand_eval(const hw_state *s, const ls_cand *k, int64_t *cost) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_rt *x = &s->routes[k->route], *t = &s->routes[k->tail];
  const hw_resource *res = &p->resources[x->res];
  hw_seg acc = x->fwd[k->a];
  for (int32_t i = 0; i < k->m; i++) {
    const hw_rt *mr = &s->routes[k->mid[i].route];
    if (!cat_node(c, res, &acc, mr->node[k->mid[i].pos], mr->win[k->mid[i].pos])) return 0;
  }
  int32_t first_real = k->b <= t->n ? t->next_real[k->b] : t->n + 1, scan = k->own;
  for (int32_t i = k->b; i < first_real; i++) {
    hw_window w;
    hw_tick le;
    int32_t x_node = tail_node(s, k, i, &scan, &w, &le);
    if (!cat_node(c, res, &acc, x_node, w)) return 0;
  }
  if (first_real <= t->n) {
    int32_t l = t->loc[first_real];
    if (!hw_seg_cat(&acc, &t->bwd[first_real], hw_travel(p, res->profile, acc.last_loc, l),
                    hw_travel_cost(p, res->profile, acc.last_loc, l)))
      return 0;
  }
  hw_seg end;
  memset(&end, 0, sizeof end);
  end.E = res->shift.start;
  end.L = res->shift.end;
  end.first_loc = end.last_loc = res->end_loc;
  if (!hw_seg_cat(&acc, &end, hw_travel(p, res->profile, acc.last_loc, res->end_loc),
                  hw_travel_cost(p, res->profile, acc.last_loc, res->end_loc)))
    return 0;
  if (res->capacity >= 0 && acc.load > res->capacity) return 0;
  int64_t pen = c->pen ? cand_pen(s, k) : 0;
  *cost = hw_route_cost_of(c, x->res, acc.tasks, acc.cost, 0, pen, acc.work);
  return 1;
}

/* Writes the candidate's positions into out (node, window, lateness start). */
static int32_t cand_write(const hw_state *s, const ls_cand *k, int32_t *node, hw_window *win, hw_tick *le) {
  const hw_rt *x = &s->routes[k->route], *t = &s->routes[k->tail];
  int32_t n = 0;
  for (int32_t i = 1; i <= k->a; i++, n++) {
    node[n] = x->node[i];
    win[n] = x->win[i];
    le[n] = x->late_end[i];
  }
  for (int32_t i = 0; i < k->m; i++, n++) {
    const hw_rt *mr = &s->routes[k->mid[i].route];
    node[n] = mr->node[k->mid[i].pos];
    win[n] = mr->win[k->mid[i].pos];
    le[n] = mr->late_end[k->mid[i].pos];
  }
  for (int32_t i = k->b, scan = k->own; i <= t->n; i++, n++) node[n] = tail_node(s, k, i, &scan, &win[n], &le[n]);
  return n;
}

static void cand_store(hw_state *s, int32_t r, int32_t n, const int32_t *node, const hw_window *win,
                       const hw_tick *le) {
  hw_rt *rt = &s->routes[r];
  memcpy(rt->node + 1, node, (size_t)n * sizeof *node);
  memcpy(rt->win + 1, win, (size_t)n * sizeof *win);
  memcpy(rt->late_end + 1, le, (size_t)n * sizeof *le);
  rt->n = n;
  hw_rt_update(s, r);
}

/* Replaces the routes by the candidates (both are built before either is written;
 * out of memory leaves both routes as they were). */
static int apply(hw_state *s, const ls_cand *k1, const ls_cand *k2) {
  size_t half = (size_t)s->c->n_tasks + HW_MAX_BREAKS + 8;
  int32_t n1 = cand_write(s, k1, s->seq_node, s->seq_win, s->seq_le), n2 = 0;
  if (k2) n2 = cand_write(s, k2, s->seq_node + half, s->seq_win + half, s->seq_le + half);
  if (hw_rt_reserve(&s->routes[k1->route], n1) || (k2 && hw_rt_reserve(&s->routes[k2->route], n2))) return 0;
  if (k2) cand_store(s, k2->route, n2, s->seq_node + half, s->seq_win + half, s->seq_le + half);
  cand_store(s, k1->route, n1, s->seq_node, s->seq_win, s->seq_le);
  return 1;
}

/* The skills positions i..j of rt need (the suffix union when j is the last). */
static hw_skillset segment_needs(const hw_state *s, const hw_rt *rt, int32_t i, int32_t j) {
  if (j >= rt->n) return rt->need[i];
  hw_skillset need = 0;
  for (int32_t k = i; k <= j; k++)
    if (rt->node[k] >= 0) need |= s->c->p->jobs[s->c->task_job[rt->node[k]]].skills;
  return need;
}

/* May positions i..j of route `from` move to route `to`? (no breaks; no task the
 * other resource may not serve; partnered tasks stay in their route) */
static int movable(const hw_state *s, int32_t from, int32_t i, int32_t j, int32_t to) {
  const hw_ctx *c = s->c;
  const hw_rt *rt = &s->routes[from];
  if (from == to) {
    for (int32_t k = i; k <= j; k++)
      if (HW_NODE_IS_BREAK(rt->node[k])) return 0;
    return 1;
  }
  const hw_rt *dst = &s->routes[to];
  if (rt->profile != dst->profile) return 0;
  if (rt->special[i] - rt->special[j + 1] == 0) {
    hw_skillset need = segment_needs(s, rt, i, j);
    return (need & c->p->resources[dst->res].skills) == need;
  }
  if (rt->n_fixed == 0) return 0; /* the specials in the way are breaks */
  for (int32_t k = i; k <= j; k++) {
    int32_t x = rt->node[k];
    if (x < 0 || c->task_partner[x] >= 0) return 0;
    if (!c->allowed[(size_t)x * (size_t)c->p->n_resources + (size_t)s->routes[to].res]) return 0;
  }
  return 1;
}

/* Evaluates the candidates (k2 may be NULL for an intra-route move) against the
 * routes they replace; applies them if the total strictly falls. */
static int try_pair(hw_state *s, const ls_cand *k1, const ls_cand *k2) {
  int64_t c1, c2;
  int64_t before = s->routes[k1->route].cost + (k2 ? s->routes[k2->route].cost : 0);
  if (!cand_eval(s, k1, &c1)) return 0;
  if (c1 >= before) return 0;
  if (k2) {
    if (!cand_eval(s, k2, &c2)) return 0;
    c1 += c2;
  }
  if (c1 >= before) return 0;
  return apply(s, k1, k2);
}

/* Do the breaks of a's positions ia..n and b's positions ib..n match one for one
 * (as many, each with the same window and duration as its counterpart)? Then the
 * two tails can be exchanged with each route keeping its own breaks in the other
 * tail's places: both tails' segment summaries stay exact. */
static int tail_breaks_match(const hw_state *s, const hw_rt *a, int32_t ia, const hw_rt *b, int32_t ib) {
  const hw_problem *p = s->c->p;
  for (;;) {
    while (ia <= a->n && !HW_NODE_IS_BREAK(a->node[ia])) ia++;
    while (ib <= b->n && !HW_NODE_IS_BREAK(b->node[ib])) ib++;
    if (ia > a->n || ib > b->n) return ia > a->n && ib > b->n;
    const hw_break_spec *x = &p->resources[a->res].breaks[HW_NODE_BREAK_INDEX(a->node[ia])];
    const hw_break_spec *y = &p->resources[b->res].breaks[HW_NODE_BREAK_INDEX(b->node[ib])];
    if (x->duration != y->duration || a->win[ia].start != b->win[ib].start || a->win[ia].end != b->win[ib].end)
      return 0;
    ia++, ib++;
  }
}

/* May the tasks of positions i..n of route `from` move to route `to`, its
 * breaks aside (they are swapped, not moved)? */
static int tail_tasks_movable(const hw_state *s, int32_t from, int32_t i, int32_t to) {
  const hw_ctx *c = s->c;
  const hw_rt *rt = &s->routes[from], *dst = &s->routes[to];
  if (rt->profile != dst->profile) return 0;
  if (rt->n_fixed > 0) {
    for (int32_t k = i; k <= rt->n; k++) {
      int32_t x = rt->node[k];
      if (x >= 0 && (c->task_partner[x] >= 0 || !c->allowed[(size_t)x * (size_t)c->p->n_resources + (size_t)dst->res]))
        return 0;
    }
    return 1;
  }
  return (rt->need[i] & c->p->resources[dst->res].skills) == rt->need[i];
}

static int two_opt_star(hw_state *s, int32_t ru, int32_t pu, int32_t rv, int32_t pv) {
  const hw_rt *a = &s->routes[ru], *b = &s->routes[rv];
  /* u then v's part of rv; v's predecessors then what followed u. */
  int swap_breaks = a->special[pu + 1] - a->n_fixed > 0 || b->special[pv] - b->n_fixed > 0;
  if (swap_breaks ? !tail_breaks_match(s, a, pu + 1, b, pv) || !tail_tasks_movable(s, rv, pv, ru) ||
                        !tail_tasks_movable(s, ru, pu + 1, rv)
                  : !movable(s, rv, pv, b->n, ru) || !movable(s, ru, pu + 1, a->n, rv))
    return 0;
  if (travel_filter(s) && !(pv == 1 && pu == a->n) &&
      arc(s, a, pu, b, pv) + arc(s, b, pv - 1, a, pu + 1) >= arc(s, a, pu, a, pu + 1) + arc(s, b, pv - 1, b, pv))
    return 0;
  ls_cand k1, k2;
  cand_set(&k1, ru, pu, rv, pv);
  cand_set(&k2, rv, pv - 1, ru, pu + 1);
  if (swap_breaks) {
    k1.own = pu + 1;
    k2.own = pv;
  }
  return try_pair(s, &k1, &k2);
}

static int swap_tasks(hw_state *s, int32_t ru, int32_t pu, int32_t rv, int32_t pv) {
  if (!movable(s, ru, pu, pu, rv) || !movable(s, rv, pv, pv, ru)) return 0;
  const hw_rt *a = &s->routes[ru], *b = &s->routes[rv];
  if (travel_filter(s) &&
      arc(s, a, pu - 1, b, pv) + arc(s, b, pv, a, pu + 1) + arc(s, b, pv - 1, a, pu) + arc(s, a, pu, b, pv + 1) >=
          arc(s, a, pu - 1, a, pu) + arc(s, a, pu, a, pu + 1) + arc(s, b, pv - 1, b, pv) + arc(s, b, pv, b, pv + 1))
    return 0;
  ls_cand k1, k2;
  cand_set(&k1, ru, pu - 1, ru, pu + 1);
  k1.mid[k1.m++] = (ls_ref){rv, pv};
  cand_set(&k2, rv, pv - 1, rv, pv + 1);
  k2.mid[k2.m++] = (ls_ref){ru, pu};
  return try_pair(s, &k1, &k2);
}

/* The strings of 1-3 positions that start at task u, as or-opt moves them to
 * other routes: worked out once per task, not once per neighbour and position. */
typedef struct ls_strings {
  int32_t ru, pu;
  int32_t n;            /* strings of length 1..n exist (no break, inside the route) */
  hw_skillset need[4];  /* [len]: skills the string needs */
  uint8_t fixed[4];     /* [len]: it holds a fixed task (allowed[] decides) */
  int64_t saved[4];     /* [len]: travel saved by taking it out (filter) */
} ls_strings;

static void strings_of(const hw_state *s, int32_t u, ls_strings *st) {
  const hw_ctx *c = s->c;
  const hw_rt *a = &s->routes[s->route_of[u]];
  st->ru = s->route_of[u];
  st->pu = s->pos_of[u];
  st->n = 0;
  hw_skillset need = 0;
  int fixed = 0;
  for (int32_t len = 1; len <= 3; len++) {
    int32_t last = st->pu + len - 1;
    if (last > a->n || a->node[last] < 0) break;
    need |= c->p->jobs[c->task_job[a->node[last]]].skills;
    fixed |= c->fixed[a->node[last]];
    st->need[len] = need;
    st->fixed[len] = (uint8_t)fixed;
    st->saved[len] = arc(s, a, st->pu - 1, a, st->pu) + arc(s, a, last, a, last + 1) - arc(s, a, st->pu - 1, a, last + 1);
    st->n = len;
  }
}

/* May the string of length len move to route rv (same profile checked by the caller)? */
static int string_fits(const hw_state *s, const ls_strings *st, int32_t len, int32_t rv) {
  if (st->fixed[len]) return movable(s, st->ru, st->pu, st->pu + len - 1, rv);
  return (st->need[len] & s->c->p->resources[s->routes[rv].res].skills) == st->need[len];
}

/* Move the string of length len at u (st) to after position at of rv (another route). */
static int or_opt_inter(hw_state *s, const ls_strings *st, int32_t len, int32_t rv, int32_t at) {
  int32_t ru = st->ru, pu = st->pu, last = pu + len - 1;
  const hw_rt *a = &s->routes[ru], *b = &s->routes[rv];
  if (travel_filter(s) && a->n_tasks > len &&
      arc(s, b, at, a, pu) + arc(s, a, last, b, at + 1) - arc(s, b, at, b, at + 1) >= st->saved[len])
    return 0;
  ls_cand k1, k2;
  cand_set(&k1, ru, pu - 1, ru, last + 1);
  cand_set(&k2, rv, at, rv, at + 1);
  for (int32_t i = 0; i < len; i++) k2.mid[k2.m++] = (ls_ref){ru, pu + i};
  return try_pair(s, &k1, &k2);
}

/* Inside route r: move positions pu..pu+len-1 to after position at. */
static int or_opt_intra(hw_state *s, int32_t r, int32_t pu, int32_t len, int32_t at) {
  const hw_rt *rt = &s->routes[r];
  int32_t last = pu + len - 1;
  if (last > rt->n || (at >= pu - 1 && at <= last) || !movable(s, r, pu, last, r)) return 0;
  if (travel_filter(s) &&
      arc(s, rt, pu - 1, rt, last + 1) + arc(s, rt, at, rt, pu) + arc(s, rt, last, rt, at + 1) >=
          arc(s, rt, pu - 1, rt, pu) + arc(s, rt, last, rt, last + 1) + arc(s, rt, at, rt, at + 1))
    return 0;
  ls_cand k;
  cand_set(&k, r, 0, r, 0);
  if (at < pu) {
    if (last - at > LS_MAX_MID) return 0;
    k.a = at;
    for (int32_t i = 0; i < len; i++) k.mid[k.m++] = (ls_ref){r, pu + i};
    for (int32_t i = at + 1; i < pu; i++) k.mid[k.m++] = (ls_ref){r, i};
    k.b = last + 1;
  } else {
    if (at - pu + 1 > LS_MAX_MID) return 0;
    k.a = pu - 1;
    for (int32_t i = last + 1; i <= at; i++) k.mid[k.m++] = (ls_ref){r, i};
    for (int32_t i = 0; i < len; i++) k.mid[k.m++] = (ls_ref){r, pu + i};
    k.b = at + 1;
  }
  return try_pair(s, &k, NULL);
}

/* Inside route r: reverse positions i..j (i <= j). */
static int two_opt_intra(hw_state *s, int32_t r, int32_t i, int32_t j) {
  if (j - i + 1 > LS_MAX_MID || j <= i) return 0;
  const hw_rt *rt = &s->routes[r];
  /* With asymmetric travel the reversed inner arcs change too: this filter is then
   * a heuristic (it may skip a good move), never a wrong acceptance. */
  if (travel_filter(s) &&
      arc(s, rt, i - 1, rt, j) + arc(s, rt, i, rt, j + 1) >= arc(s, rt, i - 1, rt, i) + arc(s, rt, j, rt, j + 1))
    return 0;
  ls_cand k;
  cand_set(&k, r, i - 1, r, j + 1);
  for (int32_t x = j; x >= i; x--) k.mid[k.m++] = (ls_ref){r, x};
  return try_pair(s, &k, NULL);
}

/* Tries every move between task u and its neighbours; applies the first improving
 * one and returns 1. A neighbour whose route and u's have not changed since u was
 * last tested without success (in this call, which began at clock since) is
 * skipped: nothing new can be found there (the "last tested" rule of HGS). */
static int improve_task(hw_state *s, int32_t u, uint64_t since) {
  const hw_ctx *c = s->c;
  int32_t kn = c->k_neigh < LS_NEIGH ? c->k_neigh : LS_NEIGH;
  uint64_t tested = s->tested_at[u] > since ? s->tested_at[u] : 0;
  if (s->route_of[u] < 0) return 0;
  ls_strings st;
  strings_of(s, u, &st);
  for (int32_t k = 0; k < kn; k++) {
    int32_t v = c->neigh[(size_t)u * (size_t)c->k_neigh + (size_t)k];
    int32_t ru = s->route_of[u], rv = s->route_of[v];
    if (ru < 0) return 0;
    if (rv < 0) continue;
    if (s->routes[ru].stamp < tested && s->routes[rv].stamp < tested) continue;
    int32_t pu = s->pos_of[u], pv = s->pos_of[v];
    uint32_t m = s->ls_moves;
    if (ru != rv) {
      if ((m & HW_LS_2OPT_STAR) && two_opt_star(s, ru, pu, rv, pv)) return 1;
      if ((m & HW_LS_SWAP) && swap_tasks(s, ru, pu, rv, pv)) return 1;
      int same_profile = s->routes[ru].profile == s->routes[rv].profile;
      for (int32_t len = 1; len <= st.n && same_profile && (m & HW_LS_OR_OPT); len++) {
        if (!string_fits(s, &st, len, rv)) break; /* a longer string needs as much */
        if (or_opt_inter(s, &st, len, rv, pv)) return 1;
        if (or_opt_inter(s, &st, len, rv, pv - 1)) return 1;
      }
    } else if (m & HW_LS_INTRA) {
      for (int32_t len = 1; len <= 3; len++) {
        if (or_opt_intra(s, ru, pu, len, pv)) return 1;
        if (or_opt_intra(s, ru, pu, len, pv - 1)) return 1;
      }
      if (pu < pv ? two_opt_intra(s, ru, pu + 1, pv) : two_opt_intra(s, ru, pv, pu - 1)) return 1;
    }
  }
  s->tested_at[u] = ++s->clock;
  return 0;
}

/* Soft windows: move task t to its cheapest place among its neighbours' routes if
 * the plan's cost falls. */
static int relocate_task(hw_state *s, int32_t t) {
  const hw_ctx *c = s->c;
  int32_t r = s->route_of[t], pos = s->pos_of[t];
  hw_rt *rt = &s->routes[r];
  hw_window w = rt->win[pos];
  hw_tick le = rt->late_end[pos];
  int64_t before = rt->cost, cost_before = hw_state_cost(s);
  hw_rt_remove_task(s, t);
  int64_t gain = before - s->routes[r].cost;
  int32_t cand[64], nc = 0;
  cand[nc++] = r;
  s->mark[r] = 1;
  for (int32_t k = 0; k < c->k_neigh && nc < 64; k++) {
    int32_t v = c->neigh[(size_t)t * (size_t)c->k_neigh + (size_t)k], rv = s->route_of[v];
    if (rv >= 0 && !s->mark[rv]) {
      s->mark[rv] = 1;
      cand[nc++] = rv;
    }
  }
  hw_ins best = {.delta = gain};
  int found = 0;
  for (int32_t k = 0; k < nc; k++) {
    s->mark[cand[k]] = 0;
    hw_ins ins;
    if (hw_best_insert_task(s, t, cand[k], &ins) && ins.delta < best.delta) {
      best = ins;
      found = 1;
    }
  }
  if (found && hw_rt_insert(s, best.route, best.pos, t, best.win, best.late_end) == 0) {
    /* Insertion costs only the routes; the plan's maximum lateness
     * (HW_OBJ_MANKOWSKA) is checked here so that no move makes the plan worse. */
    if (hw_state_cost(s) < cost_before) return 1;
    hw_rt_remove_task(s, t);
  }
  hw_rt_insert(s, r, pos - 1, t, w, le);
  return 0;
}

static int improve(hw_state *s, int32_t t, uint64_t since) {
  if (s->route_of[t] < 0) return 0;
  if (s->c->p->soft_windows) return s->c->task_partner[t] < 0 && relocate_task(s, t);
  return improve_task(s, t, since);
}

void hw_local_search_tasks(hw_state *s, const int32_t *tasks, int32_t n) {
  if (s->c->k_neigh == 0 || n <= 0) return;
  uint64_t since = s->clock;
  for (int pass = 0; pass < LS_MAX_PASSES; pass++) {
    int improved = 0;
    int32_t start = hw_rng_below(&s->rng, n);
    for (int32_t k = 0; k < n; k++) {
      int32_t t = tasks[(start + k) % n];
      while (improve(s, t, since)) improved = 1;
    }
    if (!improved) break;
  }
}

void hw_local_search(hw_state *s) {
  const hw_ctx *c = s->c;
  if (c->k_neigh == 0) return;
  int32_t *all = s->buf_b; /* free here: ruin and recreate are not running */
  for (int32_t t = 0; t < c->n_tasks; t++) all[t] = t;
  hw_local_search_tasks(s, all, c->n_tasks);
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
    hw_set_unassigned(s, c->task_unit[t], 0);
  }
  return 1;
}
