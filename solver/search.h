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
#define HW_GRANULAR_TASKS 400 /* above this, insertion scans only nearby routes */
#define HW_RETRY_UNASSIGNED 8  /* unassigned units recreate retries per iteration */
#define HW_RUIN_MAX_ROUTES 64  /* routes one ruin may touch */

/* Summary of a sequence of consecutive positions. */
typedef struct hw_seg {
  int64_t E, L;   /* earliest / latest feasible start at the first position */
  int64_t D;      /* least duration (travel, service, unavoidable waiting) */
  int64_t work;   /* travel + service, no waiting */
  int64_t cost;   /* travel cost */
  int32_t load;
  int32_t tasks;  /* tasks (not breaks) in the sequence */
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
  int64_t min_unit_cost;   /* the smallest of them */
  uint8_t *hopeless;       /* per unit: fits no route even alone (NULL until
                              hw_ctx_mark_hopeless) */
  uint8_t *allowed;        /* [task * n_resources + r]: skills, exclusion, pin */
  uint8_t *restricted;     /* per task: not allowed on some resource */
  uint8_t *fixed;          /* per task: partnered, pinned to a resource or with
                              exclusions: allowed[] must be asked (skills alone
                              decide for the others) */
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
  int32_t *special;        /* breaks and fixed tasks in positions i..n */
  int32_t n_fixed;         /* fixed tasks in the route (its other specials are breaks) */
  hw_skillset *need;       /* union of the skills the tasks in positions i..n need */
  int32_t profile;         /* the resource's travel profile */
  int32_t n_tasks;
  int32_t feasible;
  int64_t cost, travel, late, max_late, pen, bal, work;
  uint64_t stamp;          /* hw_state.clock when the route last changed (0 after a copy) */
} hw_rt;

typedef struct hw_rng { uint64_t s; } hw_rng;
typedef struct hw_pair_cand hw_pair_cand; /* insert.c */

typedef struct hw_state {
  const hw_ctx *c;
  int32_t n_routes;
  hw_rt *routes;
  int32_t *route_of, *pos_of; /* per task; route_of -1 = unassigned */
  uint8_t *unassigned;        /* per unit */
  int32_t n_unassigned;
  int64_t unassigned_cost;    /* sum of unit_cost over unassigned units */
  int64_t routes_cost;        /* sum of the routes' cost */
  int32_t used_routes;
  int32_t max_routes;         /* insertion opens no route beyond this many used ones:
                                 c->max_routes, lowered by fleet minimisation */
  uint8_t *dirty;             /* per route: changed since the last sync */
  hw_rng rng;
  /* scratch, sized once so that the search loop never allocates */
  int32_t *buf_a, *buf_b;     /* n_tasks + HW_MAX_BREAKS + 8 */
  int64_t *buf_c;
  int64_t *unit_key;          /* per unit: recreate order */
  uint8_t *mark;              /* per route: cleared after each use */
  int32_t *seq_node;          /* 2 candidate routes of local search moves */
  hw_window *seq_win;
  hw_tick *seq_le;
  hw_pair_cand *pair_a, *pair_b; /* pair insertion candidates (allocated on first use) */
  uint32_t ls_moves;          /* HW_LS_* moves local search may use (all by default) */
  uint64_t clock;             /* counts route changes: stamps routes and tests */
  uint64_t *tested_at;        /* per task: clock when local search last found no
                                 improving move around it */
} hw_state;

#define HW_LS_2OPT_STAR 1u /* tails of two routes exchanged */
#define HW_LS_SWAP 2u      /* two tasks of two routes exchanged */
#define HW_LS_OR_OPT 4u    /* a string of 1-3 tasks moved to another route */
#define HW_LS_INTRA 8u     /* or-opt and 2-opt inside a route */
#define HW_LS_ALL 15u

/* Does unit u fit no route even alone? (0 when not worked out) */
static inline int hw_unit_hopeless(const hw_ctx *c, int32_t u) { return c->hopeless && c->hopeless[u]; }

/* Marks unit u unassigned (on = 1) or assigned (on = 0), keeping the totals. */
static inline void hw_set_unassigned(hw_state *s, int32_t u, int on) {
  if (s->unassigned[u] == on) return;
  s->unassigned[u] = (uint8_t)on;
  s->n_unassigned += on ? 1 : -1;
  s->unassigned_cost += on ? s->c->unit_cost[u] : -s->c->unit_cost[u];
}

/* ---- context and routes (route.c) ---- */
int hw_ctx_build(hw_ctx *c, const hw_problem *p, const hw_solution *initial,
                 int64_t stability_weight, int with_neighbours);
void hw_ctx_free(hw_ctx *c);
/* Marks the units that fit no route even in an empty plan (no skill, no window,
 * no partner); the search then spends no retries on them. 0 or HW_ENOMEM. */
int hw_ctx_mark_hopeless(hw_ctx *c);
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
/* Empties route r back to its resource's breaks alone (in window order); its
 * tasks become unrouted (their units' flags are the caller's). Capacity for the
 * breaks is there since hw_state_init. */
void hw_rt_reset(hw_state *s, int32_t r);

/* The summary of one node (task, break: D filled by the caller, or depot) with
 * window w at location loc. Inline: the innermost step of every check. */
static inline hw_seg hw_seg_node(const hw_ctx *c, int32_t node, hw_window w, int32_t loc) {
  hw_seg g = {.E = w.start, .L = w.end, .first_loc = loc, .last_loc = loc};
  if (node >= 0) {
    const hw_job *j = &c->p->jobs[c->task_job[node]];
    g.D = g.work = j->service;
    g.load = j->demand;
    g.tasks = 1;
  }
  return g;
}

/* a := a (+) b with travel between them; returns 0 if the result has no feasible
 * schedule (a time warp would be needed). */
static inline int hw_seg_cat(hw_seg *a, const hw_seg *b, hw_tick travel, int64_t tcost) {
  if (b->empty) return 1;
  if (a->empty) {
    *a = *b;
    return 1;
  }
  int64_t delta = a->D + travel;
  int64_t wait = b->E - delta - a->L;
  if (wait < 0) wait = 0;
  int ok = a->E + delta <= b->L;
  int64_t e = b->E - delta > a->E ? b->E - delta : a->E;
  int64_t l = b->L - delta < a->L ? b->L - delta : a->L;
  a->E = e - wait;
  a->L = l;
  a->D += b->D + travel + wait;
  a->work += b->work + travel;
  a->cost += b->cost + tcost;
  a->load += b->load;
  a->tasks += b->tasks;
  a->last_loc = b->last_loc;
  return ok;
}
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
  int32_t wk;               /* index of win among the task's windows */
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
/* The cost of inserting task t after position pos of route r in window w (lateness
 * from late_end), or HW_INF_COST if it does not fit there. */
int64_t hw_insert_cost_at(hw_state *s, int32_t t, int32_t r, int32_t pos, hw_window w, hw_tick late_end);
/* Priority replacement: unassigned single-task unit u takes the place of a routed
 * single-task unit of lower unassigned cost, where the swap gains most (the
 * difference of the two unassigned costs minus the route's cost change). Hard
 * windows only. Returns 1 and the displaced unit (now unassigned) in *victim, or 0. */
int hw_replace_unit(hw_state *s, int32_t u, int32_t *victim);
/* Insert single-task unit u at its cheapest place in route `route` (pairs need
 * two routes: never inserted here). Returns 1 if inserted. */
int hw_insert_unit_into(hw_state *s, int32_t u, int32_t route);
/* Sort units by descending primary[u], then descending secondary[u], then index. */
void hw_sort_units(int32_t *units, int32_t n, const int64_t *primary, const int64_t *secondary);

/* ---- construction (construct.c) ---- */
/* Warm start from initial (each job on its previous resource), pairs by priority,
 * then regret-k insertion of every other unassigned unit. Returns 0, or HW_ENOMEM
 * when it could not work (the state is then only partly built: not a start to
 * search from, or a different plan would come out of it). */
int hw_construct(hw_state *s, int k, const hw_solution *initial);
/* Greedy reinsertion of the listed units in a SISR order. */
void hw_recreate(hw_state *s, int32_t *units, int32_t n_units, double blink);

/* ---- ruin (ruin.c) ---- */
/* Removes units (SISR strings or random); appends removed units to out, returns
 * count. While units are unassigned, a tenth of the ruins clear space for one of
 * them on routes that could take it, and list it in out too, so that recreate
 * tries it in the cleared space. */
int32_t hw_ruin(hw_state *s, int32_t *out, double avg_removed);
void hw_remove_unit(hw_state *s, int32_t u);

/* ---- local search (local_search.c) ---- */
/* Granular local search over every routed task until no improving move (at most a
 * few passes): 2-opt*, swap, or-opt (segments of 1-3) between routes, or-opt and
 * 2-opt inside a route, each checked in O(1) (O(gap) inside a route) with segment
 * summaries; soft-window problems use cheapest relocation only, accepted when the
 * plan's cost (maximum lateness included) falls. Never makes the state worse and
 * keeps every route feasible. */
void hw_local_search(hw_state *s);
/* The same moves, starting from the listed tasks only (those of a ruin): the cost
 * does not grow with the problem. */
void hw_local_search_tasks(hw_state *s, const int32_t *tasks, int32_t n);
/* Empties the route with the fewest tasks if its units fit elsewhere; 1 if done. */
int hw_try_empty_route(hw_state *s);

/* ---- recombination (recombine.c) ---- */
#define HW_POOL_MAX 4000      /* routes per pool; a full pool triggers recombination */
#define HW_RECOMB_TIME_S 1.0  /* GLPK time limit per set partitioning */
typedef struct hw_pool_route {
  uint64_t hash;
  int32_t res;
  int64_t cost;
  int32_t first, len; /* positions in hw_pool.node / win / le */
} hw_pool_route;
typedef struct hw_pool {
  hw_pool_route *routes;
  int32_t n, cap;
  int32_t *node;      /* the routes' positions as they were: tasks and breaks, */
  hw_window *win;     /* each with the window it had (a partnered task's start */
  hw_tick *le;        /* tick, the window it was served in) and lateness start */
  int64_t n_pos, cap_pos;
  uint64_t *table; /* open addressing on hash, 0 = empty */
  int32_t *table_at; /* the pooled route of each filled slot */
  int32_t table_cap;
} hw_pool;
/* Can this problem be recombined? (an objective that is a sum over routes, so not
 * Mankowska's maximum lateness; no links between different jobs. Breaks and
 * double-handed visits are fine: a route keeps its breaks, and the two halves of
 * a visit are two columns that agree on its start.) */
int hw_recombinable(const hw_ctx *c);
/* Adds s's non-empty routes not pooled yet (only those marked dirty if only_dirty).
 * A full pool or out of memory adds nothing (the pool stays usable). */
void hw_pool_add(hw_pool *pl, const hw_state *s, int only_dirty);
/* Empties the pool and seeds it with s's routes. */
void hw_pool_reset(hw_pool *pl, const hw_state *s);
void hw_pool_free(hw_pool *pl);
/* Set partitioning over the pool within time_limit_s. Returns 1 and rebuilds s
 * from the chosen routes when GLPK found a partition and every rebuilt route is
 * feasible; returns 0 otherwise, with s half rebuilt: the caller must overwrite it
 * (hw_state_copy). Never better than optimal, never worse than the
 * best solution whose routes the pool holds. */
int hw_recombine(hw_pool *pl, hw_state *s, double time_limit_s);

/* ---- output (solve.c) ---- */
/* The window a routed task keeps: the point for partnered or pinned tasks, else the
 * job's window that contains start (the first one if none does). */
void hw_kept_window(const hw_ctx *c, int32_t t, hw_tick start, hw_window *w, hw_tick *le);
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
