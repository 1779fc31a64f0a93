/*
 * The solver's entry points: solve a problem under a time and iteration budget,
 * insert a few new jobs into an existing solution without re-solving (the D2A slot
 * offer path), and the GLPK models (set partitioning over a route pool, exact model
 * for small instances).
 *
 * Threading: every function here is safe to call from several threads at once on
 * different problems. GLPK keeps state per thread; all glp_ calls live in
 * solver/glpk_*.c, which install an error hook so a GLPK error returns HW_ESOLVER
 * instead of aborting the process.
 *
 * Determinism: for the same problem, seed and max_iterations (with no time limit
 * hit), hw_solve returns the same solution on every run and every thread count of 1.
 */
#ifndef HW_SOLVER_H
#define HW_SOLVER_H

#include <stdatomic.h>

#include "hw_problem.h"

typedef struct hw_progress {
  int64_t elapsed_ms;
  int64_t iterations;
  int32_t n_unassigned;   /* of the best solution so far */
  int64_t best_cost;      /* hw_cost.total of the best solution so far */
} hw_progress;

typedef void (*hw_progress_fn)(void *user, const hw_progress *p);

typedef struct hw_solve_params {
  double time_limit_s;        /* wall-clock budget; <= 0 = none (then max_iterations must be > 0) */
  int64_t max_iterations;     /* <= 0 = none */
  uint64_t seed;
  int32_t threads;            /* >= 1; independent searches whose best is kept */
  int32_t use_recombination;  /* 1: periodic GLPK set partitioning over the route pool */
  int32_t reduce_fleet;       /* 1: try to empty routes (VRPTW hierarchical objective) */
  hw_progress_fn progress;    /* optional; called from the solving thread(s) */
  void *progress_user;
  int64_t progress_every_ms;  /* minimum gap between progress calls (default 250) */
  atomic_int *cancel;         /* optional; set non-zero from any thread to stop early */
  const hw_solution *initial; /* optional warm start (re-planning keeps it unless a change pays) */
  int64_t stability_weight;   /* cost per job moved away from `initial`'s resource */
  int32_t exact_max_jobs;     /* problems with at most this many jobs are solved exactly
                                 first (hw_exact_solve): 0 = HW_EXACT_JOBS, < 0 = never */
} hw_solve_params;

#define HW_EXACT_JOBS 16 /* the exact model's limit, and hw_solve's default for exact first */

/* Defaults: 1 s, no iteration cap, seed 1, 1 thread, recombination on, progress every 250 ms. */
void hw_solve_params_init(hw_solve_params *params);

/* Solve p. On success returns 0 and fills out (which must be initialised) with the
 * best solution found: routes, unassigned jobs with reasons, cost, iterations and
 * solve time. A cancelled solve also returns 0 with the best solution so far (the
 * caller knows it cancelled). Returns HW_EINVAL if the problem fails
 * hw_problem_validate, HW_ENOMEM on allocation failure.
 *
 * Small problems (at most exact_max_jobs jobs, a model hw_exact_solve accepts,
 * no fleet minimisation, no stability weight) are first solved exactly with GLPK
 * in up to half the time limit; when optimality is proven the plan is returned
 * at once (out->proven_optimal = 1, iterations 0) instead of searching until the
 * limit. The roster objective's balance term is not in the MIP: its plan is then
 * polished by a short search (at most HW_EXACT_POLISH iterations, no proof
 * claimed). When the MIP times out, the search gets the time left and the better
 * plan wins. */
int hw_solve(const hw_problem *p, const hw_solve_params *params, hw_solution *out);

/* Insert the listed jobs (all currently unassigned in s) into s by cheapest
 * feasible insertion, keeping every other job where it is and at its time window
 * position. Jobs that cannot be inserted stay unassigned with a reason. Fast: no
 * search beyond insertion; meant to answer an interactive request in milliseconds.
 * Returns the number of jobs inserted (>= 0), or a negative hw error code. */
int hw_insert_jobs(const hw_problem *p, hw_solution *s, const int32_t *jobs, int32_t n_jobs);

/* Recompute s->cost from the routes (used after hand edits and by the writers). */
void hw_solution_evaluate(const hw_problem *p, hw_solution *s);

/* ---- GLPK models (solver/glpk_*.c) --------------------------------------- */

/* A set-partitioning instance: choose columns (routes) of least total cost so that
 * each row (job) is covered exactly once (or, with allow_uncovered, at most once at
 * row_penalty each when uncovered) using at most max_columns columns (0 = no limit).
 *
 * A row may have demand 2 (row_demand): it is then covered by exactly two columns
 * (or, with allow_uncovered, by none) - the two halves of a double-handed visit on
 * two routes. With entry_tag, the two columns that cover such a row must carry
 * the same tag on it (the visit's start tick: both workers start together). */
typedef struct hw_setpart {
  int32_t n_rows;
  int32_t n_cols;
  const int64_t *col_cost;     /* n_cols */
  const int32_t *col_start;    /* n_cols + 1: rows of column j are col_rows[col_start[j] .. col_start[j+1]) */
  const int32_t *col_rows;
  int32_t allow_uncovered;
  const int64_t *row_penalty;  /* n_rows, used when allow_uncovered */
  int32_t max_columns;
  double time_limit_s;
  const int32_t *row_demand;   /* n_rows: 1 or 2; NULL = every row 1 */
  const int64_t *entry_tag;    /* parallel to col_rows; NULL = no tags */
  const uint8_t *initial;      /* n_cols: a feasible choice to start from (the search's
                                  best), so that a timed-out solve still returns a
                                  partition no worse; NULL = none */
} hw_setpart;

/* Solve with glp_intopt under the time limit. On success returns 0, writes 0/1 per
 * column into chosen[n_cols] and the objective into *cost. Returns HW_EINFEASIBLE
 * if no partition exists, HW_ETIMEOUT if no integer solution was found in time,
 * HW_ESOLVER if GLPK failed (its error hook caught the error; the process lives). */
int hw_setpart_solve(const hw_setpart *sp, uint8_t *chosen, int64_t *cost);

/* Solve a small problem (about 10 jobs) exactly with a GLPK MIP. Returns 0 and an
 * optimal solution in out, HW_ETIMEOUT if optimality was not proven within
 * time_limit_s (out then holds the best integer solution, if any), HW_EINVAL for
 * problems beyond the model (more than 16 jobs). */
int hw_exact_solve(const hw_problem *p, double time_limit_s, hw_solution *out);

#endif
