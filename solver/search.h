/*
 * Internal to the solver's search (not installed): the shared read-only context
 * built once per solve, routes with concatenated segment data, the mutable search
 * state, and the operators that work on it (insertion, ruin, local search).
 *
 * Vocabulary. A *task* is one worker's share of a job: a job needing two workers
 * has two tasks. A *unit* is what ruin removes and recreate inserts together: one
 * task, or the two tasks of a double-handed job or of a linked pair. A task whose
 * unit has two tasks has a *partner*; while routed, its start is fixed at an agreed
 * tick (a point window), so each route stays an ordinary VRPTW route.
 *
 * Routes are arrays of positions 0..n+1 (0 = START, n+1 = END). Each position holds
 * a task (>= 0) or a break of the route's resource (HW_NODE_BREAK(b)). A break
 * stays at the previous stop's location. fwd[i] summarises positions 0..i and
 * bwd[i] positions i..n (without END); with them, inserting or removing a task is
 * checked for time windows, shift and capacity in O(1) (Vidal et al. 2013's
 * concatenation of earliest/latest start and duration).
 */
#ifndef HW_SEARCH_H
#define HW_SEARCH_H

#include <stdint.h>

#include "hw_problem.h"
#include "hw_solver.h"

#define HW_NODE_DEPOT (-1000)
#define HW_NODE_BREAK(b) (-1 - (b))
#define HW_NODE_IS_BREAK(x) ((x) < 0 && (x) > HW_NODE_DEPOT)
#define HW_NODE_BREAK_INDEX(x) (-1 - (x))
#define HW_INF_COST (INT64_MAX / 4)
#define HW_PREF_PENALTY 600 /* cost of a visit by a non-preferred resource */

/* Summary of a sequence of consecutive positions. */
typedef struct hw_seg {
  int64_t E, L;   /* earliest / latest feasible start at the first position */
  int64_t D;      /* least duration (travel, service, unavoidable waiting) */
  int64_t work;   /* travel + service, no waiting */
  int64_t cost;   /* travel cost */
  int32_t load;
  int32_t first_loc, last_loc;
  int32_t empty;
} hw_seg;

typedef struct hw_ctx {
  const hw_problem *p;
  int32_t n_tasks, n_units;
  int32_t *task_job;       /* job of task */
  int32_t *task_partner;   /* partner task or -1 */
  hw_tick *task_gmin, *task_gmax; /* start(partner) - start(task) in [gmin, gmax] */
  int32_t *task_unit;
  int32_t *job_task;       /* first task of job (tasks of a job are consecutive) */
  int32_t *unit_task;      /* 2 per unit: tasks, second -1 for single units */
  int64_t *unit_cost;      /* unassigned cost of the unit's jobs */
  uint8_t *allowed;        /* [task * n_resources + r]: skills, exclusion, pin */
  uint8_t *restricted;     /* per task: not allowed on some resource */
  int64_t *pen;            /* [job * n_resources + r] preference + stability, or NULL */
  int32_t k_neigh;
  int32_t *neigh;          /* [task * k_neigh]: nearest tasks */
  int32_t homogeneous;     /* resources interchangeable: one empty route is enough */
  int32_t has_breaks, has_pairs;
  int32_t max_routes;      /* effective fleet limit */
  int32_t depot_loc;       /* for far/close recreate orders (-1 if none) */
  int64_t cost_unit;       /* typical neighbour arc cost: scales the temperature */
} hw_ctx;

typedef struct hw_rt {
  int32_t res, n, cap;
  int32_t *node;
  hw_window *win;          /* feasibility window per position (soft jobs: end relaxed) */
  hw_tick *late_end;       /* soft windows: lateness starts after this tick */
  hw_seg *fwd, *bwd;
  int32_t *loc;            /* effective location per position */
  int32_t *next_real;      /* first position >= i that is not a break */
  int32_t *special;        /* breaks / partnered / restricted tasks in positions i..n */
  int32_t n_tasks;
  int32_t feasible;
  int64_t cost, travel, late, max_late, pen, bal, work;
} hw_rt;

typedef struct hw_rng { uint64_t s; } hw_rng;

typedef struct hw_state {
  const hw_ctx *c;
  int32_t n_routes;
  hw_rt *routes;
  int32_t *route_of, *pos_of; /* per task; route_of -1 = unassigned */
  uint8_t *unassigned;        /* per unit */
  int32_t n_unassigned;
  int32_t used_routes;
  uint8_t *dirty;             /* per route: changed since the last sync */
  hw_rng rng;
  /* scratch */
  int32_t *buf_a, *buf_b;
  int64_t *buf_c;
} hw_state;

/* ---- context and routes (route.c) ---- */
int hw_ctx_build(hw_ctx *c, const hw_problem *p, const hw_solution *initial,
                 int64_t stability_weight, int with_neighbours);
void hw_ctx_free(hw_ctx *c);
int64_t hw_job_unassigned_cost(const hw_job *j);

int hw_state_init(hw_state *s, const hw_ctx *c, uint64_t seed);
void hw_state_free(hw_state *s);
int hw_state_copy(hw_state *dst, const hw_state *src);
int64_t hw_state_cost(const hw_state *s);
/* Make dst equal src on the routes marked dirty in either; clears the marks. */
void hw_state_sync(hw_state *dst, hw_state *src);
/* Sets route_of/pos_of for the route's tasks and recomputes all its data. */
void hw_rt_update(hw_state *s, int32_t r);
int hw_rt_reserve(hw_rt *rt, int32_t cap);
int hw_rt_copy(hw_rt *dst, const hw_rt *src);
int hw_rt_insert(hw_state *s, int32_t r, int32_t after, int32_t node, hw_window w, hw_tick late_end);
void hw_rt_remove_task(hw_state *s, int32_t t);

hw_seg hw_seg_node(const hw_ctx *c, int32_t node, hw_window w, int32_t loc);
int hw_seg_cat(hw_seg *a, const hw_seg *b, hw_tick travel, int64_t tcost);
int64_t hw_route_cost_of(const hw_ctx *c, int32_t res, int32_t n_tasks, int64_t travel,
                         int64_t late, int64_t pen, int64_t work);
/* Full forward evaluation of a candidate sequence for resource res (positions 1..n in
 * nodes/wins/late_ends). Returns 1 if feasible and fills *cost, *late, *max_late. */
int hw_eval_seq(const hw_state *s, int32_t res, int32_t n, const int32_t *nodes,
                const hw_window *wins, const hw_tick *late_ends, int64_t *cost,
                int64_t *late, int64_t *max_late);

/* The windows a task may use when inserted alone: pin point or the job's windows. */
int32_t hw_task_windows(const hw_ctx *c, int32_t t, hw_window *out);

/* ---- insertion (insert.c) ---- */
typedef struct hw_ins {
  int32_t route, pos;
  hw_window win;
  hw_tick late_end;
  int64_t delta;
  hw_tick lo, hi;           /* feasible start interval of the inserted task */
} hw_ins;
/* Insert unit u by cheapest feasible insertion; blink > 0 skips positions at random.
 * Returns 1 if inserted. */
int hw_insert_unit(hw_state *s, int32_t u, double blink);
/* Cheapest feasible single-task insertion, in one route (only_route >= 0) or any. */
int hw_best_insert_task(hw_state *s, int32_t t, int32_t only_route, hw_ins *best);
/* Regret-k construction of every unassigned unit. */
void hw_construct(hw_state *s, int k, const hw_solution *initial);
/* Greedy reinsertion of the listed units in a SISR order. */
void hw_recreate(hw_state *s, int32_t *units, int32_t n_units, double blink);

/* ---- ruin (ruin.c) ---- */
/* Removes units (SISR strings or random); appends removed units to out, returns count. */
int32_t hw_ruin(hw_state *s, int32_t *out, double avg_removed);
void hw_remove_unit(hw_state *s, int32_t u);

/* ---- local search (local_search.c) ---- */
/* Relocate, swap and 2-opt* over neighbour lists until no improving move. */
void hw_local_search(hw_state *s);
/* Empties the route with the fewest tasks if its units fit elsewhere; 1 if done. */
int hw_try_empty_route(hw_state *s);

/* ---- output (solve.c) ---- */
int hw_state_to_solution(const hw_state *s, hw_solution *out);
int hw_state_from_solution(hw_state *s, const hw_solution *sol);

static inline uint64_t hw_rng_next(hw_rng *r) {
  r->s += 0x9e3779b97f4a7c15ULL;
  uint64_t z = r->s;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static inline double hw_rng_unit(hw_rng *r) { return (double)(hw_rng_next(r) >> 11) * 0x1.0p-53; }
static inline int32_t hw_rng_below(hw_rng *r, int32_t n) {
  return n <= 1 ? 0 : (int32_t)(hw_rng_next(r) % (uint64_t)n);
}

#endif
