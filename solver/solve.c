/*
 * hw_solve: the search driver (the output and hw_insert_jobs live in output.c).
 *
 * One search = regret construction, then SISR ruin-and-recreate accepted by
 * simulated annealing (temperature falls geometrically from T0 to Tf over the
 * iteration budget, or over the time budget when no iteration cap is given, so an
 * iteration-bounded run never looks at the clock to decide anything), periodic
 * granular local search on new bests, optional route emptying (with reduce_fleet,
 * after a fleet minimisation phase described below), and optional GLPK
 * set partitioning over a pool of the distinct routes seen (recombination).
 * `threads` searches with seeds seed..seed+threads-1 run on pthreads and share
 * their best plan ten times over the budget; the best result wins (ties go to the
 * lowest seed). Problems of a handful of jobs go to the exact GLPK model first.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_check.h"
#include "hw_error.h"
#include "search.h"

void hw_solve_params_init(hw_solve_params *params) {
  memset(params, 0, sizeof *params);
  params->time_limit_s = 1.0;
  params->seed = 1;
  params->threads = 1;
  params->use_recombination = 1;
  params->progress_every_ms = 250;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- one search ------------------------------------------------------------- */

/* What parallel searches share: the best plan any of them has published. */
typedef struct shared_best {
  pthread_mutex_t lock;
  hw_state best;
  int64_t cost;
  int has;
} shared_best;

typedef struct search_job {
  const hw_ctx *c;
  const hw_solve_params *params;
  shared_best *shared;  /* NULL with one thread */
  uint64_t seed;
  int report;          /* this thread calls the progress callback */
  int64_t t0;
  hw_state best;
  int64_t best_cost;
  int32_t best_unassigned;
  int64_t iterations;
  int64_t main_it0, main_t0; /* where distance search began (after fleet minimisation) */
  int started;         /* runs on its own pthread (joined at the end) */
  int rc;
} search_job;

static int64_t rank_cost(const hw_state *s, const hw_solve_params *pr) {
  return hw_state_cost(s) + (pr->reduce_fleet ? (int64_t)s->used_routes * 100000000LL : 0);
}

static int stop_now(const search_job *job, int64_t it) {
  const hw_solve_params *pr = job->params;
  if (pr->cancel && atomic_load(pr->cancel)) return 1;
  if (pr->max_iterations > 0 && it >= pr->max_iterations) return 1;
  if (pr->time_limit_s > 0 && now_ms() - job->t0 >= (int64_t)(pr->time_limit_s * 1000)) return 1;
  return 0;
}

/* Share of the distance search's budget spent: the annealing schedule runs over
 * what fleet minimisation left (all of it when there was none). */
static double progress_of(const search_job *job, int64_t it) {
  const hw_solve_params *pr = job->params;
  if (pr->max_iterations > 0) return (double)(it - job->main_it0) / (double)(pr->max_iterations - job->main_it0);
  double f = (double)(now_ms() - job->main_t0) / (pr->time_limit_s * 1000.0 - (double)(job->main_t0 - job->t0));
  return f > 1 ? 1 : f;
}

static void report(search_job *job, int64_t it, int64_t *last) {
  const hw_solve_params *pr = job->params;
  if (!job->report || !pr->progress) return;
  int64_t t = now_ms();
  int64_t every = pr->progress_every_ms > 0 ? pr->progress_every_ms : 250;
  if (*last >= 0 && t - *last < every) return;
  *last = t;
  hw_progress pg = {t - job->t0, it, job->best_unassigned, job->best_cost};
  pr->progress(pr->progress_user, &pg);
}

#define LS_FULL_EVERY 200
#define RECOMB_EVERY 2000 /* iterations between set partitionings (or a full pool) */
#define EXCHANGES 10      /* times parallel searches meet, evenly over the budget */

/* job->best is copied from cur only when cur is about to move away from the best
 * (pending = cur is the best and job->best is stale): a run of consecutive new
 * bests costs one copy, not one each. */
static void keep_best(search_job *job, const hw_state *cur, int *pending) {
  if (!*pending) return;
  hw_state_copy(&job->best, cur);
  *pending = 0;
}

/* Up to HW_RETRY_UNASSIGNED distinct units unassigned now, at random: recreate tries
 * them again along with the ruined ones (otherwise a unit left out once would stay
 * out for good). Few per iteration, so the cost does not grow with their number. */
static int32_t pick_unassigned(hw_state *s, int32_t *out) {
  const hw_ctx *c = s->c;
  int32_t n = 0;
  if (s->n_unassigned == 0) return 0;
  for (int tries = 0; tries < 4 * HW_RETRY_UNASSIGNED && n < HW_RETRY_UNASSIGNED && n < s->n_unassigned; tries++) {
    int32_t u = hw_rng_below(&s->rng, c->n_units), dup = 0;
    if (!s->unassigned[u] || hw_unit_hopeless(c, u)) continue;
    for (int32_t k = 0; k < n; k++) dup |= out[k] == u;
    if (!dup) out[n++] = u;
  }
  return n;
}

/* Units recreate could not place may still take the place of cheaper ones
 * (priority replacement); the displaced get their turn in later iterations. */
static void replace_left_out(hw_state *s, const int32_t *units, int32_t n) {
  for (int32_t k = 0; k < n; k++) {
    int32_t victim;
    if (s->unassigned[units[k]]) hw_replace_unit(s, units[k], &victim);
  }
}

/* Ruined units' tasks, for the local search that follows recreate. */
static int32_t tasks_of_units(const hw_ctx *c, const int32_t *units, int32_t n, int32_t *tasks) {
  int32_t nt = 0;
  for (int32_t k = 0; k < n; k++)
    for (int i = 0; i < 2; i++)
      if (c->unit_task[2 * units[k] + i] >= 0) tasks[nt++] = c->unit_task[2 * units[k] + i];
  return nt;
}

/* Set partitioning over the pool, started from the best; adopted if better. */
static void recombine_step(search_job *job, hw_pool *pool, hw_state *cur, hw_state *cand, int64_t *cur_cost,
                           int *pending) {
  const hw_solve_params *pr = job->params;
  keep_best(job, cur, pending);
  hw_state_copy(cand, &job->best);
  /* A short solve must not spend its budget in GLPK. */
  double limit = pr->time_limit_s > 0 && pr->time_limit_s * 0.05 < HW_RECOMB_TIME_S ? pr->time_limit_s * 0.05 : HW_RECOMB_TIME_S;
  if (hw_recombine(pool, cand, limit)) {
    hw_local_search(cand);
    int64_t rcost = rank_cost(cand, pr);
    if (rcost < job->best_cost) {
      hw_state_copy(&job->best, cand);
      job->best_cost = rcost;
      hw_state_copy(cur, cand);
      *cur_cost = rcost;
    }
  }
  hw_pool_reset(pool, &job->best);
  hw_state_copy(cand, cur);
  memset(cand->dirty, 0, (size_t)cand->n_routes);
  memset(cur->dirty, 0, (size_t)cur->n_routes);
}

/* Parallel searches meet EXCHANGES times over the budget. A search whose best
 * beats the shared plan publishes it; one that is behind takes the shared plan as
 * its best and current plan, so the time left goes on from the better of them;
 * either way the shared plan's routes join its recombination pool, where set
 * partitioning can combine them with its own. */
static void exchange_best(search_job *job, hw_state *cur, hw_state *cand, int64_t *cur_cost, int *pending,
                          hw_pool *pool) {
  shared_best *sh = job->shared;
  keep_best(job, cur, pending);
  pthread_mutex_lock(&sh->lock);
  int adopt = sh->has && sh->cost < job->best_cost;
  if (!sh->has || job->best_cost < sh->cost) {
    if (hw_state_copy(&sh->best, &job->best) == 0) {
      sh->cost = job->best_cost;
      sh->has = 1;
    }
  } else if (adopt && hw_state_copy(&job->best, &sh->best) == 0) {
    job->best_cost = sh->cost;
    job->best_unassigned = sh->best.n_unassigned;
  } else {
    adopt = 0;
  }
  if (pool && sh->has) hw_pool_add(pool, &sh->best, 0);
  pthread_mutex_unlock(&sh->lock);
  if (!adopt) return;
  hw_state_copy(cur, &job->best);
  hw_state_copy(cand, &job->best);
  memset(cur->dirty, 0, (size_t)cur->n_routes);
  memset(cand->dirty, 0, (size_t)cand->n_routes);
  *cur_cost = job->best_cost;
}

/* ---- fleet minimisation (reduce_fleet) ------------------------------------------
 * In the spirit of Nagata & Bräysy (2009) and SISR's fleet minimisation
 * (Christiaens & Vanden Berghe 2020): drop one route of the best solution, keep its
 * units in an ejection pool (unassigned, with insertion capped at the smaller
 * fleet), and ruin and recreate until the pool is empty. Each iteration puts the
 * pool back first, the units left out most often (absence counter) first, then the
 * ruined ones; a candidate is accepted when it leaves fewer units out, or as many
 * whose absences sum no higher (so the walk drifts toward placing the hard ones).
 * An empty pool commits the smaller fleet as the new best and drops another route.
 * The phase takes at most FLEET_SHARE of the budget and stops after FLEET_STALL of
 * it without a smaller fleet; the distance search then runs with the fleet fixed. */
#define FLEET_SHARE 0.5
#define FLEET_STALL 0.2

/* Removes a used route's units (the smallest route or, half the time, a random
 * one: the smallest is not always the one whose customers fit elsewhere). */
static void drop_route(hw_state *s) {
  const hw_ctx *c = s->c;
  int32_t victim = -1, used = 0;
  int random_pick = hw_rng_below(&s->rng, 2);
  int32_t nth = hw_rng_below(&s->rng, s->used_routes);
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0) continue;
    if (random_pick ? used == nth : victim < 0 || rt->n_tasks < s->routes[victim].n_tasks) victim = r;
    used++;
  }
  if (victim < 0) return;
  hw_rt *vr = &s->routes[victim];
  while (vr->n_tasks > 0) {
    int32_t i = 1;
    while (vr->node[i] < 0) i++;
    hw_remove_unit(s, c->task_unit[vr->node[i]]);
  }
}

/* The units unassigned in s, into out; returns how many. */
static int32_t pool_units(const hw_state *s, int32_t *out) {
  int32_t n = 0;
  for (int32_t u = 0; u < s->c->n_units; u++)
    if (s->unassigned[u] && !hw_unit_hopeless(s->c, u)) out[n++] = u;
  return n;
}

static int64_t absence_sum(const hw_state *s, const int64_t *absence) {
  int64_t sum = 0;
  for (int32_t u = 0; u < s->c->n_units; u++)
    if (s->unassigned[u]) sum += absence[u];
  return sum;
}

/* Inserts the pool's units, most often absent first (ties at random). */
static void insert_pool(hw_state *s, int32_t *units, int32_t n, int32_t most, const int64_t *absence) {
  for (int32_t k = 0; k < n; k++) s->unit_key[units[k]] = (absence[units[k]] << 20) | hw_rng_below(&s->rng, 1 << 20);
  for (int32_t k = 1; k < n; k++) {
    int32_t u = units[k], m = k;
    for (; m > 0 && s->unit_key[units[m - 1]] < s->unit_key[u]; m--) units[m] = units[m - 1];
    units[m] = u;
  }
  for (int32_t k = 0; k < n && k < most; k++) hw_insert_unit(s, units[k], 0.01);
}

/* Where a phase began and when it last gained (iterations and clock). */
typedef struct phase_clock {
  int64_t it0, ms0, last_it, last_ms;
} phase_clock;

static phase_clock phase_start(int64_t it, int64_t ms0) { return (phase_clock){it, ms0, it, now_ms()}; }

/* Has a phase had its share of the budget since it began, or gone stall of it
 * since its last gain? Shares of max_iterations when it is set, so that a capped
 * run never looks at the clock. */
static int phase_over(const search_job *job, int64_t it, const phase_clock *pc, double share, double stall) {
  const hw_solve_params *pr = job->params;
  if (stop_now(job, it)) return 1;
  if (pr->max_iterations > 0)
    return it - pc->it0 >= (int64_t)(share * (double)pr->max_iterations) ||
           it - pc->last_it >= (int64_t)(stall * (double)pr->max_iterations);
  int64_t t = now_ms();
  return t - pc->ms0 >= (int64_t)(share * pr->time_limit_s * 1000) ||
         t - pc->last_ms >= (int64_t)(stall * pr->time_limit_s * 1000);
}

/* One iteration of a pool phase: ruin, the pool (the units unassigned now) back
 * first, most often absent first, then the ruined units, local search around
 * them; every unit left out counts one more absence. */
static void pool_iteration(const hw_ctx *c, hw_state *cand, int32_t *removed, int32_t *pool, int32_t most,
                           double avg_removed, int64_t *absence) {
  int32_t n_pool = pool_units(cand, pool);
  int32_t n = hw_ruin(cand, removed, avg_removed);
  insert_pool(cand, pool, n_pool, most, absence);
  hw_recreate(cand, removed, n, 0.01);
  for (int32_t k = 0; k < n_pool; k++) removed[n++] = pool[k];
  replace_left_out(cand, pool, n_pool);
  hw_local_search_tasks(cand, cand->buf_b, tasks_of_units(c, removed, n, cand->buf_b));
  for (int32_t u = 0; u < c->n_units; u++) absence[u] += cand->unassigned[u];
}

/* A pool phase's acceptance: fewer left out (by count, or by unassigned cost when
 * by_cost), or as many whose absences sum no higher, so that the walk drifts
 * toward placing the units that are hard to place. */
static int pool_accepts(const hw_state *cand, const hw_state *cur, const int64_t *absence, int by_cost) {
  int64_t a = by_cost ? cand->unassigned_cost : cand->n_unassigned;
  int64_t b = by_cost ? cur->unassigned_cost : cur->n_unassigned;
  return a < b || (a == b && absence_sum(cand, absence) <= absence_sum(cur, absence));
}

/* Leaves cur and cand equal to the best, dirty marks cleared, insertion capped at
 * the best's fleet when capped. Returns 0 or HW_ENOMEM. */
static int back_to_best(search_job *job, hw_state *cur, hw_state *cand, int capped) {
  if (capped) cur->max_routes = cand->max_routes = job->best.used_routes;
  int rc = hw_state_copy(cur, &job->best);
  if (!rc) rc = hw_state_copy(cand, &job->best);
  memset(cur->dirty, 0, (size_t)cur->n_routes);
  memset(cand->dirty, 0, (size_t)cand->n_routes);
  return rc;
}

/* Runs fleet minimisation from job->best (== cur == cand, nothing unassigned) and
 * leaves all three on the smallest fleet found, insertion capped at it; *it counts
 * the iterations spent, progress is reported as in the main loop. Returns 0, or HW_ENOMEM (the best stays a valid solution). */
static int reduce_fleet(search_job *job, hw_state *cur, hw_state *cand, int32_t *removed, double avg_removed,
                        int64_t *it, int64_t *last_report) {
  const hw_ctx *c = job->c;
  int64_t *absence = calloc((size_t)c->n_units + 1, sizeof(int64_t));
  int32_t *pool = malloc(((size_t)c->n_units + 1) * sizeof(int32_t));
  int rc = absence && pool ? 0 : HW_ENOMEM;
  phase_clock pc = phase_start(0, job->t0); /* its share counts from the solve's start */
  pc.last_it = *it;
  int open = 0; /* a route is dropped and its units are not all back yet */
  while (!rc && job->best.used_routes > 1 && !phase_over(job, *it, &pc, FLEET_SHARE, FLEET_STALL)) {
    if (!open) {
      cur->max_routes = cand->max_routes = job->best.used_routes - 1;
      drop_route(cur);
      hw_state_sync(cand, cur);
      open = 1;
    }
    pool_iteration(c, cand, removed, pool, c->n_units, avg_removed, absence);
    (*it)++;
    if (pool_accepts(cand, cur, absence, 0)) {
      hw_state_sync(cur, cand);
      if (cur->n_unassigned == 0) {
        if ((rc = hw_state_copy(&job->best, cur))) break;
        job->best_cost = rank_cost(cur, job->params);
        job->best_unassigned = 0;
        pc.last_it = *it;
        pc.last_ms = now_ms();
        open = 0;
      }
    } else {
      hw_state_sync(cand, cur);
    }
    report(job, *it, last_report);
  }
  free(absence);
  free(pool);
  int rc2 = back_to_best(job, cur, cand, 1);
  return rc ? rc : rc2;
}

/* ---- assignment maximisation ------------------------------------------------
 * When construction leaves visits out (a care day with more visits in a peak
 * than the shifts can hold), the annealing below, which never accepts a plan
 * with a higher unassigned cost and takes equal ones only within a travel
 * threshold, packs the peak no better than its first good arrangement. This
 * phase does for the unassigned what fleet minimisation does for a dropped route:
 * the unassigned units form the pool (those that fit no route even alone left
 * aside), the ASSIGN_POOL_TRIES most often absent of them are put back first
 * in each iteration, and a candidate is accepted when its
 * unassigned cost is lower, or equal with absences summing no higher (travel is
 * ignored: local search still shortens what it can). It takes at most
 * ASSIGN_SHARE of the budget, stops after ASSIGN_STALL of it without a lower
 * unassigned cost or when everything is assigned, and leaves the best plan
 * (fewest left out, then cheapest) to the annealing. */
#define ASSIGN_SHARE 0.3
#define ASSIGN_STALL 0.1
#define ASSIGN_POOL_TRIES (2 * HW_RETRY_UNASSIGNED) /* pool units put back per iteration,
                                                      most often absent first */

static int maximise_assignment(search_job *job, hw_state *cur, hw_state *cand, int32_t *removed,
                               double avg_removed, int64_t *it, int64_t *last_report) {
  const hw_ctx *c = job->c;
  int64_t *absence = calloc((size_t)c->n_units + 1, sizeof(int64_t));
  int32_t *pool = malloc(((size_t)c->n_units + 1) * sizeof(int32_t));
  int rc = absence && pool ? 0 : HW_ENOMEM;
  phase_clock pc = phase_start(*it, now_ms());
  while (!rc && cur->n_unassigned > 0 && !phase_over(job, *it, &pc, ASSIGN_SHARE, ASSIGN_STALL)) {
    pool_iteration(c, cand, removed, pool, ASSIGN_POOL_TRIES, avg_removed, absence);
    (*it)++;
    if (pool_accepts(cand, cur, absence, 1)) {
      int fewer_out = cand->unassigned_cost < cur->unassigned_cost;
      hw_state_sync(cur, cand);
      int64_t cost = rank_cost(cur, job->params);
      if (cost < job->best_cost) {
        if ((rc = hw_state_copy(&job->best, cur))) break;
        job->best_cost = cost;
        job->best_unassigned = cur->n_unassigned;
      }
      if (fewer_out) {
        pc.last_it = *it;
        pc.last_ms = now_ms();
      }
    } else {
      hw_state_sync(cand, cur);
    }
    report(job, *it, last_report);
  }
  free(absence);
  free(pool);
  int rc2 = back_to_best(job, cur, cand, 0);
  return rc ? rc : rc2;
}

static int run_search(search_job *job) {
  const hw_ctx *c = job->c;
  const hw_solve_params *pr = job->params;
  hw_state cur, cand;
  int rc = hw_state_init(&cur, c, job->seed);
  if (rc) return rc;
  if ((rc = hw_state_init(&cand, c, job->seed)) || (rc = hw_state_init(&job->best, c, job->seed))) {
    hw_state_free(&cur);
    hw_state_free(&cand);
    return rc;
  }
  rc = hw_construct(&cur, 2 + (int)(job->seed % 2), pr->initial);
  if (!rc) hw_local_search(&cur);
  if (!rc) rc = hw_state_copy(&cand, &cur);
  if (!rc) rc = hw_state_copy(&job->best, &cur);
  memset(cand.dirty, 0, (size_t)cand.n_routes);
  memset(cur.dirty, 0, (size_t)cur.n_routes);
  int64_t cur_cost = rank_cost(&cur, pr);
  job->best_cost = cur_cost;
  job->best_unassigned = cur.n_unassigned;
  int pending = 0;
  hw_pool pool;
  memset(&pool, 0, sizeof pool);
  int recomb = pr->use_recombination && hw_recombinable(c);
  if (recomb) hw_pool_reset(&pool, &cur);
  /* Tuned on Solomon (docs/benchmarks.md): T from 10 to 0.1 nearest-neighbour
   * costs; ruins of 10 units on average for budgets under a second, 20 beyond. */
  double T0 = 10.0 * (double)c->cost_unit, Tf = 0.1 * (double)c->cost_unit;
  double avg_removed = pr->time_limit_s > 0 && pr->time_limit_s < 1 ? 10 : 20;
  if (c->n_tasks < 10) avg_removed = c->n_tasks / 2.0 + 1;
  int32_t *removed = malloc(((size_t)c->n_units + 1) * sizeof(int32_t));
  if (!removed) rc = HW_ENOMEM;
  int64_t it = 0, last_report = -1, last_ls = 0;
  if (!rc && pr->reduce_fleet && cur.n_unassigned == 0) {
    rc = reduce_fleet(job, &cur, &cand, removed, avg_removed, &it, &last_report);
    cur_cost = job->best_cost;
    job->main_it0 = it;
    job->main_t0 = now_ms();
    if (recomb) hw_pool_reset(&pool, &cur);
  }
  if (!rc && cur.n_unassigned > 0) {
    rc = maximise_assignment(job, &cur, &cand, removed, avg_removed, &it, &last_report);
    cur_cost = job->best_cost;
    job->main_it0 = it;
    job->main_t0 = now_ms();
    if (recomb) hw_pool_reset(&pool, &cur);
  }
  int64_t ls_every = LS_FULL_EVERY * (c->n_tasks > HW_GRANULAR_TASKS ? c->n_tasks / 100 : 1);
  int exchanged = 0;
  while (!rc && !stop_now(job, it)) {
    double progress = progress_of(job, it), T = T0 * pow(Tf / T0, progress);
    if (job->shared && (int)(progress * EXCHANGES) > exchanged) {
      exchanged = (int)(progress * EXCHANGES);
      exchange_best(job, &cur, &cand, &cur_cost, &pending, recomb ? &pool : NULL);
    }
    int32_t extra[HW_RETRY_UNASSIGNED], n_extra = pick_unassigned(&cand, extra);
    int32_t n = hw_ruin(&cand, removed, avg_removed);
    for (int32_t k = 0; k < n_extra; k++) removed[n++] = extra[k];
    hw_recreate(&cand, removed, n, 0.01);
    replace_left_out(&cand, removed, n);
    /* Local search around what was rebuilt: cheap (granular, only those tasks) and
     * better on every candidate than on new bests only (docs/solver-search.md). */
    hw_local_search_tasks(&cand, cand.buf_b, tasks_of_units(c, removed, n, cand.buf_b));
    if (pr->reduce_fleet && it % 100 == 99) hw_try_empty_route(&cand);
    int64_t cost = rank_cost(&cand, pr);
    it++;
    /* Threshold acceptance of SISR: cur + T * -ln(U), U uniform in (0, 1]. */
    if (cost < cur_cost + T * log(1.0 / (1.0 - hw_rng_unit(&cand.rng)))) {
      if (cost < job->best_cost) {
        /* A full pass on a new best, at most every LS_FULL_EVERY iterations (early on
         * nearly every iteration is one), scaled on large problems so that its
         * O(n) cost stays O(1) per iteration. */
        if (it - last_ls >= ls_every) {
          hw_local_search(&cand);
          last_ls = it;
          cost = rank_cost(&cand, pr);
        }
        job->best_cost = cost;
        job->best_unassigned = cand.n_unassigned;
        pending = 1; /* cur becomes the best below */
      } else {
        keep_best(job, &cur, &pending);
      }
      cur_cost = cost;
      if (recomb) hw_pool_add(&pool, &cand, 1);
      hw_state_sync(&cur, &cand);
    } else {
      hw_state_sync(&cand, &cur);
    }
    if (recomb && (it % RECOMB_EVERY == 0 || pool.n >= HW_POOL_MAX))
      recombine_step(job, &pool, &cur, &cand, &cur_cost, &pending);
    report(job, it, &last_report);
  }
  keep_best(job, &cur, &pending);
  job->iterations = it;
  free(removed);
  hw_pool_free(&pool);
  hw_state_free(&cur);
  hw_state_free(&cand);
  return rc;
}

static void *search_thread(void *arg) {
  search_job *job = arg;
  job->rc = run_search(job);
  return NULL;
}

/* The heuristic search: `threads` independent searches, the best one wins. */
static int solve_search(const hw_problem *p, const hw_solve_params *params, hw_solution *out) {
  int64_t t0 = now_ms();
  hw_ctx ctx;
  int rc = hw_ctx_build(&ctx, p, params->initial, params->stability_weight, 1);
  if (!rc && (rc = hw_ctx_mark_hopeless(&ctx))) hw_ctx_free(&ctx);
  if (rc) return rc;
  int32_t nth = params->threads < 1 ? 1 : params->threads;
  search_job *jobs = calloc((size_t)nth, sizeof *jobs);
  pthread_t *tid = calloc((size_t)nth, sizeof *tid);
  if (!jobs || !tid) {
    free(jobs);
    free(tid);
    hw_ctx_free(&ctx);
    return HW_ENOMEM;
  }
  shared_best shared = {.has = 0};
  if (nth > 1 && (pthread_mutex_init(&shared.lock, NULL) != 0 || hw_state_init(&shared.best, &ctx, 0) != 0)) nth = 1;
  for (int32_t k = 0; k < nth; k++) {
    jobs[k] = (search_job){.c = &ctx, .params = params, .seed = params->seed + (uint64_t)k,
                           .report = k == 0, .t0 = t0, .main_t0 = t0, .shared = nth > 1 ? &shared : NULL};
  }
  for (int32_t k = 1; k < nth; k++)
    jobs[k].started = pthread_create(&tid[k], NULL, search_thread, &jobs[k]) == 0;
  search_thread(&jobs[0]);
  int64_t iterations = jobs[0].iterations;
  for (int32_t k = 1; k < nth; k++)
    if (jobs[k].started) {
      pthread_join(tid[k], NULL);
      iterations += jobs[k].iterations;
    } else {
      jobs[k].rc = HW_ENOMEM;
    }
  /* A search that failed (out of memory, a thread that did not start) fails the
   * solve: the best of the others would be another answer than the one asked for. */
  int32_t win = -1;
  rc = 0;
  for (int32_t k = 0; k < nth; k++)
    if (jobs[k].rc != 0) {
      if (rc == 0) rc = jobs[k].rc;
    } else if (win < 0 || jobs[k].best_cost < jobs[win].best_cost) {
      win = k;
    }
  if (rc == 0 && win >= 0) {
    out->iterations = iterations;
    out->solve_ms = now_ms() - t0;
    rc = hw_state_to_solution(&jobs[win].best, out);
    out->solve_ms = now_ms() - t0;
  }
  for (int32_t k = 0; k < nth; k++)
    if (jobs[k].best.routes) hw_state_free(&jobs[k].best);
  if (nth > 1) {
    hw_state_free(&shared.best);
    pthread_mutex_destroy(&shared.lock);
  }
  free(jobs);
  free(tid);
  hw_ctx_free(&ctx);
  return rc;
}

/* ---- exact first ------------------------------------------------------------
 * A problem of a handful of jobs has a provable optimum within a second or two of
 * GLPK; searching until the time limit for it (a 2-job instance used to take the
 * whole limit) helps nobody. hw_solve asks the exact model first when it may. */
#define HW_EXACT_POLISH 1000   /* search iterations after the MIP on roster problems */
#define HW_EXACT_SHARE 0.5     /* share of the time limit the MIP may take */
#define HW_EXACT_UNCAPPED_S 10 /* its limit when the solve has an iteration cap only */

static int exact_first_applies(const hw_problem *p, const hw_solve_params *pr) {
  int32_t most = pr->exact_max_jobs == 0 ? HW_EXACT_JOBS : pr->exact_max_jobs;
  return most > 0 && p->n_jobs <= most && p->n_jobs <= HW_EXACT_JOBS && !pr->reduce_fleet &&
         !(pr->initial && pr->stability_weight > 0) && !(pr->cancel && atomic_load(pr->cancel));
}

/* Is the MIP's plan a plan at all (an incumbent), and does the checker agree? */
static int exact_plan_usable(const hw_problem *p, const hw_solution *s) {
  hw_check_report rep;
  return s->n_routes + s->n_unassigned > 0 && hw_check(p, s, &rep) == 0 && rep.feasible;
}

/* The search's parameters after the MIP took spent_s of the time limit. */
static hw_solve_params after_exact(const hw_solve_params *params, double spent_s) {
  hw_solve_params rest = *params;
  rest.exact_max_jobs = -1;
  if (rest.time_limit_s > 0) rest.time_limit_s = rest.time_limit_s - spent_s > 0.01 ? rest.time_limit_s - spent_s : 0.01;
  return rest;
}

/* Keeps in out the cheaper of out and other (other is freed). */
static void keep_cheaper(hw_solution *out, hw_solution *other) {
  if (other->cost.total < out->cost.total) {
    other->iterations = out->iterations;
    other->solve_ms = out->solve_ms;
    hw_solution_free(out);
    *out = *other;
    hw_solution_init(other);
  }
  hw_solution_free(other);
}

int hw_solve(const hw_problem *p, const hw_solve_params *params, hw_solution *out) {
  char msg[256];
  if (!params || (params->time_limit_s <= 0 && params->max_iterations <= 0) || !out) return HW_EINVAL;
  int rc = hw_problem_validate(p, msg, sizeof msg);
  if (rc || !exact_first_applies(p, params)) return rc ? rc : solve_search(p, params, out);
  int64_t t0 = now_ms();
  hw_solution exact;
  hw_solution_init(&exact);
  double limit = params->time_limit_s > 0 ? params->time_limit_s * HW_EXACT_SHARE : HW_EXACT_UNCAPPED_S;
  int erc = hw_exact_solve(p, limit, &exact);
  int usable = (erc == 0 || erc == HW_ETIMEOUT) && exact_plan_usable(p, &exact);
  hw_solve_params rest = after_exact(params, (double)(now_ms() - t0) / 1000.0);
  if (usable && erc == 0 && p->objective != HW_OBJ_ROSTER) {
    hw_solution_free(out);
    *out = exact;
    out->proven_optimal = 1;
    out->iterations = 0;
    out->solve_ms = now_ms() - t0;
    return 0;
  }
  if (usable && erc == 0) { /* roster: the balance term is not in the MIP; a short polish */
    rest.initial = &exact;
    rest.stability_weight = 0;
    if (rest.max_iterations <= 0 || rest.max_iterations > HW_EXACT_POLISH) rest.max_iterations = HW_EXACT_POLISH;
  }
  rc = solve_search(p, &rest, out);
  if (rc == 0 && usable) keep_cheaper(out, &exact);
  hw_solution_free(&exact);
  out->solve_ms = now_ms() - t0;
  return rc;
}
