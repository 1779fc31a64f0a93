/*
 * Shared fixtures of the GLPK model tests: seeded random routing instances and
 * set-partitioning pools, and brute-force solvers that enumerate every answer so
 * the tests know the true optimum without trusting GLPK.
 *
 * The routing brute force handles what the small test instances use: two (or
 * more) resources, hard windows (several per job) or one soft window, at most
 * one break per resource (every place in the route is tried), double-handed
 * jobs, the
 * roster objective (travel + lateness_weight * lateness per step + unassigned
 * penalties). For every assignment of jobs to routes (or to "unassigned") and
 * every order of each route it computes the earliest schedule (a fixpoint that
 * also synchronises double-handed starts) and keeps the cheapest.
 */
#ifndef HW_GLPK_FIXTURES_H
#define HW_GLPK_FIXTURES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_problem.h"
#include "hw_solver.h"

static inline uint32_t fx_rand(uint64_t *state) {
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(*state >> 33);
}

/* A random roster instance: n_jobs jobs and n_res resources on a 20 x 20 grid
 * (travel = Manhattan distance * 60 ticks), services 600..1800, windows of 1-3
 * hours inside an 8-hour day; each resource starts and ends at a base. Jobs listed
 * in `double_handed` (or -1) need two workers. */
static inline void fx_make_instance(hw_problem *p, uint64_t seed, int n_jobs, int n_res, int soft,
                                    int double_handed) {
  uint64_t st = seed * 7919 + 17;
  int n_loc = n_jobs + n_res;
  hw_problem_init(p);
  if (hw_problem_alloc(p, n_loc, 1, n_res, n_jobs, 0) != 0) abort();
  int xs[64], ys[64];
  for (int l = 0; l < n_loc; l++) {
    xs[l] = (int)(fx_rand(&st) % 20);
    ys[l] = (int)(fx_rand(&st) % 20);
  }
  for (int a = 0; a < n_loc; a++)
    for (int b = 0; b < n_loc; b++)
      p->durations[0][a * n_loc + b] = (hw_tick)(60 * (abs(xs[a] - xs[b]) + abs(ys[a] - ys[b])));
  for (int k = 0; k < n_res; k++) {
    hw_resource *r = &p->resources[k];
    r->id = 100 + k;
    r->start_loc = r->end_loc = n_jobs + k;
    r->shift.start = 0;
    r->shift.end = 9 * 3600;
  }
  for (int i = 0; i < n_jobs; i++) {
    hw_job *j = &p->jobs[i];
    j->id = i + 1;
    j->loc = i;
    j->service = (hw_tick)(600 + 60 * (fx_rand(&st) % 21));
    hw_tick open = (hw_tick)(1800 * (fx_rand(&st) % 12));
    j->windows[0].start = open;
    j->windows[0].end = open + (hw_tick)(3600 * (1 + fx_rand(&st) % 3));
    j->unassigned_cost = 1000000;
    j->workers = i == double_handed ? 2 : 1;
  }
  p->soft_windows = soft;
  p->lateness_weight = 2;
  p->objective = HW_OBJ_ROSTER;
}

typedef struct fx_best {
  int64_t cost;   /* travel + lateness_weight * lateness + penalties */
  int n_served;
} fx_best;

/* The earliest start of job i at or after `at`: in its first window that is still
 * open (hard windows), or `at` itself past the last window's start (soft). -1:
 * every hard window has closed. */
static inline int64_t fx_align(const hw_problem *p, int i, int64_t at) {
  const hw_job *j = &p->jobs[i];
  for (int w = 0; w < j->n_windows; w++) {
    if (at <= j->windows[w].end) return at > j->windows[w].start ? at : j->windows[w].start;
  }
  return p->soft_windows ? at : -1;
}

/* Route k after a job (or the start) is done at `ready`: when its break comes
 * here, the break is taken as early as its window allows; -1 if it cannot be. */
static inline int64_t fx_break(const hw_problem *p, int k, int64_t ready) {
  const hw_break_spec *b = &p->resources[k].breaks[0];
  int64_t at = ready > b->window.start ? ready : b->window.start;
  return at > b->window.end ? -1 : at + b->duration;
}

/* Earliest schedule of the given routes, route k taking its break (if it has
 * one) after its brk[k]-th job (0 = at the start); returns the roster cost, or
 * -1 if a hard window, a break window or a shift end is broken. */
static inline int64_t fx_route_cost(const hw_problem *p, int n_res, int seq[][16], const int *len, const int *brk) {
  int64_t t[16];
  for (int i = 0; i < p->n_jobs; i++) t[i] = p->jobs[i].windows[0].start;
  int64_t cost = 0;
  for (int round = 0, moved = 1; moved && round < 64; round++) {
    moved = 0;
    cost = 0;
    for (int k = 0; k < n_res; k++) {
      const hw_resource *r = &p->resources[k];
      int has_break = r->n_breaks > 0 && len[k] > 0;
      int64_t ready = r->shift.start;
      int32_t loc = r->start_loc;
      if (has_break && brk[k] == 0 && (ready = fx_break(p, k, ready)) < 0) return -1;
      for (int s = 0; s < len[k]; s++) {
        const hw_job *j = &p->jobs[seq[k][s]];
        int64_t at = fx_align(p, seq[k][s], ready + hw_travel(p, 0, loc, j->loc) > t[seq[k][s]]
                                                ? ready + hw_travel(p, 0, loc, j->loc) : t[seq[k][s]]);
        if (at < 0) return -1;
        if (at != t[seq[k][s]]) t[seq[k][s]] = at, moved = 1;
        cost += hw_travel_cost(p, 0, loc, j->loc);
        if (p->soft_windows && at > j->windows[0].end) cost += p->lateness_weight * (at - j->windows[0].end);
        ready = at + j->service;
        loc = j->loc;
        if (has_break && brk[k] == s + 1 && (ready = fx_break(p, k, ready)) < 0) return -1;
      }
      if (len[k] > 0) {
        cost += hw_travel_cost(p, 0, loc, r->end_loc);
        if (ready + hw_travel(p, 0, loc, r->end_loc) > r->shift.end) return -1;
      }
    }
  }
  return cost;
}

/* Every place of each route's break (routes k.. onward), for fixed orders. */
static inline void fx_place_breaks(const hw_problem *p, int n_res, int seq[][16], int *len, int *brk, int k,
                                   int64_t penalty, fx_best *best, int served) {
  if (k == n_res) {
    int64_t c = fx_route_cost(p, n_res, seq, len, brk);
    if (c >= 0 && c + penalty < best->cost) {
      best->cost = c + penalty;
      best->n_served = served;
    }
    return;
  }
  int places = p->resources[k].n_breaks > 0 && len[k] > 0 ? len[k] : 0;
  for (brk[k] = 0; brk[k] <= places; brk[k]++) fx_place_breaks(p, n_res, seq, len, brk, k + 1, penalty, best, served);
}

/* Try every order of route k (and of the routes after it) by recursive swaps. */
static inline void fx_permute(const hw_problem *p, int n_res, int seq[][16], int *len, int k, int pos,
                              int64_t penalty, fx_best *best, int served) {
  if (k == n_res) {
    int brk[16] = {0};
    fx_place_breaks(p, n_res, seq, len, brk, 0, penalty, best, served);
    return;
  }
  if (pos >= len[k]) {
    fx_permute(p, n_res, seq, len, k + 1, 0, penalty, best, served);
    return;
  }
  for (int s = pos; s < len[k]; s++) {
    int tmp = seq[k][pos];
    seq[k][pos] = seq[k][s];
    seq[k][s] = tmp;
    fx_permute(p, n_res, seq, len, k, pos + 1, penalty, best, served);
    seq[k][s] = seq[k][pos];
    seq[k][pos] = tmp;
  }
}

/* Optimum of a small roster instance (<= 7 jobs, 2 resources) by enumeration.
 * A single job goes to route 0, route 1 or nowhere; a double-handed job to both
 * routes or nowhere. */
static inline fx_best fx_brute_force(const hw_problem *p) {
  fx_best best = {INT64_MAX, 0};
  int n = p->n_jobs, n_res = 2;
  int choice[16] = {0};
  for (;;) {
    int seq[2][16], len[2] = {0, 0}, served = 0;
    int64_t penalty = 0;
    int ok = 1;
    for (int i = 0; i < n; i++) {
      if (choice[i] == 2) {
        penalty += p->jobs[i].unassigned_cost;
        continue;
      }
      if (p->jobs[i].workers == 2) {
        if (choice[i] == 1) ok = 0; /* counted once, as choice 0 = both routes */
        seq[0][len[0]++] = i;
        seq[1][len[1]++] = i;
      } else {
        seq[choice[i]][len[choice[i]]++] = i;
      }
      served++;
    }
    if (ok) fx_permute(p, n_res, seq, len, 0, 0, penalty, &best, served);
    int i = 0;
    while (i < n && ++choice[i] == 3) choice[i++] = 0;
    if (i == n) break;
  }
  return best;
}

/* A random set-partitioning pool: n_cols columns over n_rows rows, each column
 * a random non-empty subset, plus the singletons so a partition exists. Arrays
 * are the caller's (sized n_cols + n_rows, col_start n_cols + n_rows + 1, col_rows
 * (n_cols + n_rows) * n_rows). */
static inline void fx_make_pool(hw_setpart *sp, uint64_t seed, int n_rows, int n_cols, int64_t *cost,
                                int32_t *start, int32_t *rows) {
  uint64_t st = seed * 104729 + 3;
  int e = 0, j = 0;
  for (; j < n_cols; j++) {
    start[j] = e;
    uint32_t mask = 0;
    while (mask == 0) mask = fx_rand(&st) & ((1u << n_rows) - 1);
    int size = 0;
    for (int r = 0; r < n_rows; r++)
      if (mask & (1u << r)) rows[e++] = r, size++;
    cost[j] = 10 * size - (int64_t)(fx_rand(&st) % 15);
  }
  for (int r = 0; r < n_rows; r++, j++) {
    start[j] = e;
    rows[e++] = r;
    cost[j] = 12;
  }
  start[j] = e;
  memset(sp, 0, sizeof *sp);
  sp->n_rows = n_rows;
  sp->n_cols = j;
  sp->col_cost = cost;
  sp->col_start = start;
  sp->col_rows = rows;
  sp->time_limit_s = 10;
}

/* Least cost exact partition by enumerating every subset of columns (<= 20). */
static inline int64_t fx_pool_brute_force(const hw_setpart *sp) {
  int64_t best = INT64_MAX;
  for (uint32_t set = 0; set < (1u << sp->n_cols); set++) {
    uint32_t covered = 0;
    int64_t c = 0;
    int ok = 1;
    for (int j = 0; j < sp->n_cols && ok; j++) {
      if (!(set & (1u << j))) continue;
      for (int e = sp->col_start[j]; e < sp->col_start[j + 1]; e++) {
        if (covered & (1u << sp->col_rows[e])) ok = 0;
        covered |= 1u << sp->col_rows[e];
      }
      c += sp->col_cost[j];
    }
    if (ok && covered == (1u << sp->n_rows) - 1 && c < best) best = c;
  }
  return best;
}

#endif
