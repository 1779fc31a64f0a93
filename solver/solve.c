/*
 * hw_solve and friends: the search driver, its output and the fast insertion path.
 *
 * One search = regret construction, then SISR ruin-and-recreate accepted by
 * simulated annealing (temperature falls geometrically from T0 to Tf over the
 * iteration budget, or over the time budget when no iteration cap is given, so an
 * iteration-bounded run never looks at the clock to decide anything), periodic
 * granular local search on new bests, optional route emptying, and optional GLPK
 * set partitioning over a pool of the distinct routes seen (recombination).
 * `threads` independent searches with seeds seed..seed+threads-1 run on pthreads;
 * the best result wins (ties go to the lowest seed, so results do not depend on
 * thread timing).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- output --------------------------------------------------------------- */

static int32_t step_loc(const hw_problem *p, const hw_resource *res, const hw_step *st, int32_t prev) {
  switch (st->kind) {
    case HW_STEP_START: return res->start_loc;
    case HW_STEP_END: return res->end_loc;
    case HW_STEP_JOB: return p->jobs[st->index].loc;
    case HW_STEP_BREAK: return prev;
  }
  return prev;
}

static int64_t job_lateness(const hw_job *j, hw_tick start) {
  int64_t late = -1;
  for (int w = 0; w < j->n_windows; w++) {
    if (start >= j->windows[w].start && start <= j->windows[w].end) return 0;
    if (start > j->windows[w].end) late = start - j->windows[w].end;
  }
  return late < 0 ? 0 : late;
}

void hw_solution_evaluate(const hw_problem *p, hw_solution *s) {
  hw_cost c;
  memset(&c, 0, sizeof c);
  for (int32_t k = 0; k < s->n_unassigned; k++)
    if (s->unassigned[k].job >= 0 && s->unassigned[k].job < p->n_jobs)
      c.unassigned_penalty += hw_job_unassigned_cost(&p->jobs[s->unassigned[k].job]);
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_route *rt = &s->routes[r];
    if (rt->resource < 0 || rt->resource >= p->n_resources) continue;
    const hw_resource *res = &p->resources[rt->resource];
    int32_t loc = res->start_loc, jobs = 0;
    int64_t work = 0;
    for (int32_t i = 0; i < rt->n_steps; i++) {
      const hw_step *st = &rt->steps[i];
      if (st->kind == HW_STEP_JOB && (st->index < 0 || st->index >= p->n_jobs)) continue;
      int32_t nl = step_loc(p, res, st, loc);
      if (st->kind != HW_STEP_BREAK && i > 0) {
        c.travel += hw_travel_cost(p, res->profile, loc, nl);
        work += hw_travel(p, res->profile, loc, nl);
      }
      if (st->kind == HW_STEP_JOB) {
        const hw_job *j = &p->jobs[st->index];
        jobs++;
        work += j->service;
        if (p->soft_windows) {
          int64_t l = job_lateness(j, st->start);
          c.lateness += l;
          if (l > c.max_lateness) c.max_lateness = l;
        }
        int pref = j->n_preferred == 0;
        for (int k = 0; k < j->n_preferred; k++) pref |= j->preferred[k] == rt->resource;
        if (!pref) c.preference += HW_PREF_PENALTY;
      } else if (st->kind == HW_STEP_BREAK && st->index >= 0 && st->index < res->n_breaks) {
        work += res->breaks[st->index].duration;
      }
      loc = nl;
    }
    if (jobs > 0) {
      c.fixed += res->fixed_cost;
      if (p->objective == HW_OBJ_ROSTER) c.balance += work * work / 3600000;
    }
  }
  c.total = c.unassigned_penalty + c.travel + c.fixed + c.preference + c.balance;
  if (p->soft_windows) c.total += p->lateness_weight * c.lateness;
  if (p->objective == HW_OBJ_MANKOWSKA) c.total += c.max_lateness;
  s->cost = c;
}

/* Earliest schedule of one route into steps; departure as late as keeps it. */
static void route_steps(const hw_state *s, const hw_rt *rt, hw_step *steps) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_resource *res = &p->resources[rt->res];
  int64_t t = res->shift.start;
  int32_t loc = res->start_loc;
  for (int32_t i = 1; i <= rt->n; i++) {
    int32_t x = rt->node[i];
    int brk = HW_NODE_IS_BREAK(x);
    hw_tick tr = brk ? 0 : hw_travel(p, res->profile, loc, rt->loc[i]);
    int64_t arr = t + tr, start = arr > rt->win[i].start ? arr : rt->win[i].start;
    steps[i].kind = brk ? HW_STEP_BREAK : HW_STEP_JOB;
    steps[i].index = brk ? HW_NODE_BREAK_INDEX(x) : c->task_job[x];
    steps[i].arrival = (hw_tick)arr;
    steps[i].start = (hw_tick)start;
    t = start + (brk ? res->breaks[HW_NODE_BREAK_INDEX(x)].duration : p->jobs[c->task_job[x]].service);
    loc = rt->loc[i];
  }
  hw_tick dep = res->shift.start;
  if (rt->n >= 1 && !HW_NODE_IS_BREAK(rt->node[1])) {
    hw_tick lead = steps[1].start - hw_travel(p, res->profile, res->start_loc, rt->loc[1]);
    if (lead > dep) dep = lead;
    steps[1].arrival = dep + hw_travel(p, res->profile, res->start_loc, rt->loc[1]);
  }
  steps[0] = (hw_step){HW_STEP_START, -1, dep, dep};
  hw_tick end = (hw_tick)(t + hw_travel(p, res->profile, loc, res->end_loc));
  steps[rt->n + 1] = (hw_step){HW_STEP_END, -1, end, end};
}

/* Why job j (unit u) could not be placed; scratch is a state with empty routes. */
static hw_unassigned_reason diagnose(hw_state *scratch, int32_t j) {
  const hw_ctx *c = scratch->c;
  const hw_problem *p = c->p;
  const hw_job *job = &p->jobs[j];
  int32_t t = c->job_task[j], u = c->task_unit[t];
  int capable = 0, open = 0, alone = 0;
  for (int32_t r = 0; r < p->n_resources; r++) {
    if ((job->skills & p->resources[r].skills) != job->skills) continue;
    capable++;
    int excluded = 0;
    for (int k = 0; k < job->n_excluded; k++) excluded |= job->excluded[k] == r;
    if (!excluded) open++;
    hw_ins ins;
    if (c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)r] &&
        hw_best_insert_task(scratch, t, r, &ins))
      alone++;
  }
  if (capable == 0) return HW_UNASSIGNED_NO_SKILL;
  if (open == 0) return HW_UNASSIGNED_EXCLUDED;
  if (job->pin_resource >= 0 && !c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)job->pin_resource])
    return HW_UNASSIGNED_PIN_INFEASIBLE;
  if (alone == 0)
    return job->pin_start >= 0 || job->pin_resource >= 0 ? HW_UNASSIGNED_PIN_INFEASIBLE : HW_UNASSIGNED_NO_WINDOW;
  if (c->unit_task[2 * u + 1] >= 0) {
    if (!hw_insert_unit(scratch, u, 0)) return HW_UNASSIGNED_NO_PARTNER;
    hw_remove_unit(scratch, u);
  }
  return HW_UNASSIGNED_NO_CAPACITY;
}

int hw_state_to_solution(const hw_state *s, hw_solution *out) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  hw_solution sol;
  hw_solution_init(&sol);
  int32_t used = 0, un = 0;
  for (int32_t r = 0; r < s->n_routes; r++) used += s->routes[r].n_tasks > 0;
  for (int32_t j = 0; j < p->n_jobs; j++) un += s->unassigned[c->task_unit[c->job_task[j]]];
  sol.routes = calloc(used ? (size_t)used : 1, sizeof(hw_route));
  sol.unassigned = calloc(un ? (size_t)un : 1, sizeof(hw_unassigned));
  if (!sol.routes || !sol.unassigned) goto nomem;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0) continue;
    hw_route *o = &sol.routes[sol.n_routes++];
    o->resource = rt->res;
    o->steps = calloc((size_t)rt->n + 2, sizeof(hw_step));
    if (!o->steps) goto nomem;
    o->n_steps = rt->n + 2;
    route_steps(s, rt, o->steps);
  }
  if (un > 0) {
    hw_state scratch;
    if (hw_state_init(&scratch, c, 1)) goto nomem;
    for (int32_t j = 0; j < p->n_jobs; j++)
      if (s->unassigned[c->task_unit[c->job_task[j]]])
        sol.unassigned[sol.n_unassigned++] = (hw_unassigned){j, diagnose(&scratch, j)};
    hw_state_free(&scratch);
  }
  hw_solution_evaluate(p, &sol);
  int64_t stability = 0;
  for (int32_t r = 0; r < s->n_routes; r++) stability += s->routes[r].pen;
  stability -= sol.cost.preference;
  if (stability > 0) {
    sol.cost.preference += stability;
    sol.cost.total += stability;
  }
  sol.iterations = out->iterations;
  sol.solve_ms = out->solve_ms;
  hw_solution_free(out);
  *out = sol;
  return 0;
nomem:
  hw_solution_free(&sol);
  return HW_ENOMEM;
}

/* The window a routed task keeps: the point for partnered or pinned tasks, else the
 * job's window that contains the given start (the first one if none does). */
static void kept_window(const hw_ctx *c, int32_t t, hw_tick start, hw_window *w, hw_tick *le) {
  hw_window ws[HW_MAX_WINDOWS];
  int32_t nw = hw_task_windows(c, t, ws);
  *w = ws[0];
  for (int32_t k = nw - 1; k >= 0; k--)
    if (start >= ws[k].start) {
      *w = ws[k];
      break;
    }
  *le = w->end;
  if (c->task_partner[t] >= 0) w->start = w->end = start;
  else if (c->p->soft_windows && c->p->jobs[c->task_job[t]].pin_start < 0) w->end = HW_TICK_MAX;
}

int hw_state_from_solution(hw_state *s, const hw_solution *sol) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  for (int32_t k = 0; k < sol->n_routes; k++) {
    const hw_route *ir = &sol->routes[k];
    if (ir->resource < 0 || ir->resource >= s->n_routes) return HW_EINVAL;
    hw_rt *rt = &s->routes[ir->resource];
    if (rt->n_tasks > 0 || hw_rt_reserve(rt, ir->n_steps)) return rt->n_tasks > 0 ? HW_EINVAL : HW_ENOMEM;
    int32_t n = 0;
    uint8_t have_break[HW_MAX_BREAKS] = {0};
    for (int32_t i = 0; i < ir->n_steps; i++) {
      const hw_step *st = &ir->steps[i];
      if (st->kind == HW_STEP_JOB) {
        if (st->index < 0 || st->index >= p->n_jobs) return HW_EINVAL;
        int32_t t = c->job_task[st->index];
        if (s->route_of[t] >= 0 || (p->jobs[st->index].workers == 2 && s->pos_of[t] == -7)) t++;
        if (t >= c->job_task[st->index + 1] || s->route_of[t] >= 0) return HW_EINVAL;
        s->route_of[t] = ir->resource;
        s->pos_of[t] = -7; /* claimed; hw_rt_update sets the real position */
        n++;
        kept_window(c, t, st->start, &rt->win[n], &rt->late_end[n]);
        rt->node[n] = t;
      } else if (st->kind == HW_STEP_BREAK) {
        const hw_resource *res = &p->resources[ir->resource];
        if (st->index < 0 || st->index >= res->n_breaks || have_break[st->index]) return HW_EINVAL;
        have_break[st->index] = 1;
        n++;
        rt->node[n] = HW_NODE_BREAK(st->index);
        rt->win[n] = res->breaks[st->index].window;
        rt->late_end[n] = res->breaks[st->index].window.end;
      }
    }
    const hw_resource *res = &p->resources[ir->resource];
    for (int b = 0; b < res->n_breaks; b++) /* a break the solution left out goes last */
      if (!have_break[b]) {
        if (hw_rt_reserve(rt, n + 1)) return HW_ENOMEM;
        n++;
        rt->node[n] = HW_NODE_BREAK(b);
        rt->win[n] = res->breaks[b].window;
        rt->late_end[n] = res->breaks[b].window.end;
      }
    rt->n = n;
    hw_rt_update(s, ir->resource);
  }
  /* Units are assigned when all their tasks are routed; half-routed ones are undone. */
  s->n_unassigned = 0;
  for (int32_t u = 0; u < c->n_units; u++) {
    int32_t a = c->unit_task[2 * u], b = c->unit_task[2 * u + 1];
    int in = s->route_of[a] >= 0 && (b < 0 || s->route_of[b] >= 0);
    s->unassigned[u] = !in;
    if (!in) {
      hw_rt_remove_task(s, a);
      if (b >= 0) hw_rt_remove_task(s, b);
      s->n_unassigned++;
    }
  }
  return 0;
}

/* ---- recombination pool ----------------------------------------------------- */

typedef struct pool_route {
  uint64_t hash;
  int32_t res;
  int64_t cost;
  int32_t first, len; /* tasks in pool->tasks */
} pool_route;

typedef struct route_pool {
  pool_route *routes;
  int32_t n, cap;
  int32_t *tasks;
  int64_t n_tasks, cap_tasks;
  uint64_t *table; /* open addressing on hash, 0 = empty */
  int32_t table_cap;
} route_pool;

#define POOL_MAX 4000

static uint64_t route_hash(const hw_rt *rt, int homogeneous) {
  uint64_t h = homogeneous ? 1469598103934665603ULL : 1469598103934665603ULL ^ (uint64_t)rt->res;
  for (int32_t i = 1; i <= rt->n; i++) {
    h ^= (uint64_t)(uint32_t)rt->node[i];
    h *= 1099511628211ULL;
  }
  return h | 1;
}

static void pool_add(route_pool *pl, const hw_state *s) {
  const hw_ctx *c = s->c;
  if (!pl->table) {
    pl->table_cap = 2 * POOL_MAX;
    pl->table = calloc((size_t)pl->table_cap, sizeof(uint64_t));
    pl->routes = malloc(POOL_MAX * sizeof(pool_route));
    if (!pl->table || !pl->routes) return;
    pl->cap = POOL_MAX;
  }
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0 || pl->n >= pl->cap) continue;
    uint64_t h = route_hash(rt, c->homogeneous);
    int32_t slot = (int32_t)(h % (uint64_t)pl->table_cap);
    while (pl->table[slot] && pl->table[slot] != h) slot = (slot + 1) % pl->table_cap;
    if (pl->table[slot] == h) continue;
    if (pl->n_tasks + rt->n > pl->cap_tasks) {
      int64_t nc = (pl->cap_tasks + rt->n) * 2;
      int32_t *nt = realloc(pl->tasks, (size_t)nc * sizeof(int32_t));
      if (!nt) return;
      pl->tasks = nt;
      pl->cap_tasks = nc;
    }
    pl->table[slot] = h;
    pool_route *pr = &pl->routes[pl->n++];
    pr->hash = h;
    pr->res = rt->res;
    pr->cost = rt->cost;
    pr->first = (int32_t)pl->n_tasks;
    pr->len = rt->n;
    for (int32_t i = 1; i <= rt->n; i++) pl->tasks[pl->n_tasks++] = rt->node[i];
  }
}

static void pool_free(route_pool *pl) {
  free(pl->routes);
  free(pl->tasks);
  free(pl->table);
  memset(pl, 0, sizeof *pl);
}

/* Set partitioning over the pool: rows = tasks (+ resources when they differ);
 * columns = pooled routes. On success rebuilds s from the chosen routes and
 * returns 1 when the result is feasible. */
static int recombine(route_pool *pl, hw_state *s, double time_limit_s) {
  const hw_ctx *c = s->c;
  if (pl->n < 2 || c->has_pairs || c->has_breaks || c->p->objective == HW_OBJ_MANKOWSKA) return 0;
  int32_t rows = c->n_tasks + (c->homogeneous ? 0 : s->n_routes);
  int32_t *start = malloc(((size_t)pl->n + 1) * sizeof(int32_t));
  int32_t *rws = malloc(((size_t)pl->n_tasks + (size_t)pl->n) * sizeof(int32_t));
  int64_t *cost = malloc((size_t)pl->n * sizeof(int64_t));
  int64_t *pen = malloc((size_t)rows * sizeof(int64_t));
  uint8_t *chosen = calloc((size_t)pl->n, 1);
  int ok = 0;
  if (!start || !rws || !cost || !pen || !chosen) goto out;
  int32_t k = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    start[j] = k;
    cost[j] = pl->routes[j].cost;
    for (int32_t i = 0; i < pl->routes[j].len; i++) rws[k++] = pl->tasks[pl->routes[j].first + i];
    if (!c->homogeneous) rws[k++] = c->n_tasks + pl->routes[j].res;
  }
  start[pl->n] = k;
  for (int32_t r = 0; r < rows; r++) pen[r] = r < c->n_tasks ? c->unit_cost[c->task_unit[r]] : 0;
  hw_setpart sp = {rows, pl->n, cost, start, rws, 1, pen, c->homogeneous ? c->max_routes : 0, time_limit_s};
  int64_t obj;
  if (hw_setpart_solve(&sp, chosen, &obj) != 0) goto out;
  /* Rebuild: clear every route, then lay the chosen routes on free resources. */
  for (int32_t r = 0; r < s->n_routes; r++) {
    hw_rt *rt = &s->routes[r];
    for (int32_t i = 1; i <= rt->n; i++)
      if (rt->node[i] >= 0) s->route_of[rt->node[i]] = -1;
    rt->n = 0;
    hw_rt_update(s, r);
  }
  int32_t next_free = 0;
  for (int32_t j = 0; j < pl->n; j++) {
    if (!chosen[j]) continue;
    int32_t r = c->homogeneous ? next_free++ : pl->routes[j].res;
    if (r >= s->n_routes) goto out;
    hw_rt *rt = &s->routes[r];
    if (hw_rt_reserve(rt, pl->routes[j].len)) goto out;
    for (int32_t i = 0; i < pl->routes[j].len; i++) {
      int32_t t = pl->tasks[pl->routes[j].first + i];
      if (s->route_of[t] >= 0) goto out; /* covered twice: cannot happen with a partition */
      s->route_of[t] = r;
      rt->node[i + 1] = t;
      hw_tick le;
      kept_window(c, t, 0, &rt->win[i + 1], &le);
      rt->late_end[i + 1] = le;
    }
    rt->n = pl->routes[j].len;
    hw_rt_update(s, r);
    if (!rt->feasible) goto out;
  }
  s->n_unassigned = 0;
  for (int32_t u = 0; u < c->n_units; u++) {
    s->unassigned[u] = s->route_of[c->unit_task[2 * u]] < 0;
    s->n_unassigned += s->unassigned[u];
  }
  ok = 1;
out:
  free(start);
  free(rws);
  free(cost);
  free(pen);
  free(chosen);
  return ok;
}

/* ---- one search ------------------------------------------------------------- */

typedef struct search_job {
  const hw_ctx *c;
  const hw_solve_params *params;
  uint64_t seed;
  int report;          /* this thread calls the progress callback */
  int64_t t0;
  hw_state best;
  int64_t best_cost;
  int64_t iterations;
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

static double progress_of(const search_job *job, int64_t it) {
  const hw_solve_params *pr = job->params;
  if (pr->max_iterations > 0) return (double)it / (double)pr->max_iterations;
  double f = (double)(now_ms() - job->t0) / (pr->time_limit_s * 1000.0);
  return f > 1 ? 1 : f;
}

static void report(search_job *job, int64_t it, int64_t *last) {
  const hw_solve_params *pr = job->params;
  if (!job->report || !pr->progress) return;
  int64_t t = now_ms();
  int64_t every = pr->progress_every_ms > 0 ? pr->progress_every_ms : 250;
  if (*last >= 0 && t - *last < every) return;
  *last = t;
  hw_progress pg = {t - job->t0, it, job->best.n_unassigned, job->best_cost};
  pr->progress(pr->progress_user, &pg);
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
  hw_construct(&cur, 2 + (int)(job->seed % 2), pr->initial);
  hw_local_search(&cur);
  hw_state_copy(&cand, &cur);
  hw_state_copy(&job->best, &cur);
  memset(cand.dirty, 0, (size_t)cand.n_routes);
  memset(cur.dirty, 0, (size_t)cur.n_routes);
  int64_t cur_cost = rank_cost(&cur, pr);
  job->best_cost = cur_cost;
  route_pool pool;
  memset(&pool, 0, sizeof pool);
  int recomb = pr->use_recombination && c->n_tasks >= 8;
  if (recomb) pool_add(&pool, &cur);
  double T0 = 1.0 * (double)c->cost_unit, Tf = 0.01 * (double)c->cost_unit;
  double avg_removed = c->n_tasks < 10 ? c->n_tasks / 2.0 + 1 : 10;
  int32_t *removed = malloc(((size_t)c->n_units + 1) * sizeof(int32_t));
  if (!removed) rc = HW_ENOMEM;
  int64_t it = 0, last_report = -1, last_ls = 0, recomb_every = 2000;
  while (!rc && !stop_now(job, it)) {
    double T = T0 * pow(Tf / T0, progress_of(job, it));
    int32_t n = hw_ruin(&cand, removed, avg_removed);
    hw_recreate(&cand, removed, n, 0.01);
    if (pr->reduce_fleet && it % 100 == 99) hw_try_empty_route(&cand);
    int64_t cost = rank_cost(&cand, pr);
    it++;
    if (cost < cur_cost - T * log(1.0 / (1.0 - hw_rng_unit(&cand.rng)))) {
      cur_cost = cost;
      if (cost < job->best_cost) {
        /* Local search pays on a new best, but early on nearly every iteration is
         * one: space the calls out so the budget goes to ruin and recreate. */
        if (it - last_ls >= 200) {
          hw_local_search(&cand);
          last_ls = it;
        }
        cost = cur_cost = rank_cost(&cand, pr);
        hw_state_copy(&job->best, &cand);
        job->best_cost = cost;
      }
      hw_state_sync(&cur, &cand);
      if (recomb) pool_add(&pool, &cur);
    } else {
      hw_state_sync(&cand, &cur);
    }
    if (recomb && it % recomb_every == 0) {
      hw_state_copy(&cand, &job->best);
      if (recombine(&pool, &cand, 1.0)) {
        int64_t rcost = rank_cost(&cand, pr);
        if (rcost < job->best_cost) {
          hw_state_copy(&job->best, &cand);
          job->best_cost = rcost;
          hw_state_copy(&cur, &cand);
          cur_cost = rcost;
        }
      }
      hw_state_copy(&cand, &cur);
      memset(cand.dirty, 0, (size_t)cand.n_routes);
      memset(cur.dirty, 0, (size_t)cur.n_routes);
    }
    report(job, it, &last_report);
  }
  job->iterations = it;
  free(removed);
  pool_free(&pool);
  hw_state_free(&cur);
  hw_state_free(&cand);
  return rc;
}

static void *search_thread(void *arg) {
  search_job *job = arg;
  job->rc = run_search(job);
  return NULL;
}

int hw_solve(const hw_problem *p, const hw_solve_params *params, hw_solution *out) {
  char msg[256];
  if (!params || (params->time_limit_s <= 0 && params->max_iterations <= 0) || !out) return HW_EINVAL;
  int rc = hw_problem_validate(p, msg, sizeof msg);
  if (rc) return rc;
  int64_t t0 = now_ms();
  hw_ctx ctx;
  rc = hw_ctx_build(&ctx, p, params->initial, params->stability_weight, 1);
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
  for (int32_t k = 0; k < nth; k++) {
    jobs[k] = (search_job){.c = &ctx, .params = params, .seed = params->seed + (uint64_t)k,
                           .report = k == 0, .t0 = t0};
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
  int32_t win = -1;
  for (int32_t k = 0; k < nth; k++)
    if (jobs[k].rc == 0 && (win < 0 || jobs[k].best_cost < jobs[win].best_cost)) win = k;
  rc = win < 0 ? jobs[0].rc : 0;
  if (win >= 0) {
    out->iterations = iterations;
    out->solve_ms = now_ms() - t0;
    rc = hw_state_to_solution(&jobs[win].best, out);
    out->solve_ms = now_ms() - t0;
  }
  for (int32_t k = 0; k < nth; k++)
    if (jobs[k].best.routes) hw_state_free(&jobs[k].best);
  free(jobs);
  free(tid);
  hw_ctx_free(&ctx);
  return rc;
}

int hw_insert_jobs(const hw_problem *p, hw_solution *s, const int32_t *jobs, int32_t n_jobs) {
  char msg[256];
  if (!s || (n_jobs > 0 && !jobs)) return HW_EINVAL;
  int rc = hw_problem_validate(p, msg, sizeof msg);
  if (rc) return rc;
  for (int32_t k = 0; k < n_jobs; k++)
    if (jobs[k] < 0 || jobs[k] >= p->n_jobs) return HW_EINVAL;
  hw_ctx ctx;
  rc = hw_ctx_build(&ctx, p, NULL, 0, 0);
  if (rc) return rc;
  hw_state st;
  rc = hw_state_init(&st, &ctx, 1);
  if (rc) {
    hw_ctx_free(&ctx);
    return rc;
  }
  for (int32_t t = 0; t < ctx.n_tasks; t++) st.pos_of[t] = 0;
  rc = hw_state_from_solution(&st, s);
  int inserted = 0;
  for (int32_t k = 0; k < n_jobs && rc == 0; k++) {
    int32_t u = ctx.task_unit[ctx.job_task[jobs[k]]];
    if (st.unassigned[u] && hw_insert_unit(&st, u, 0)) inserted++;
  }
  if (rc == 0) rc = hw_state_to_solution(&st, s);
  hw_state_free(&st);
  hw_ctx_free(&ctx);
  return rc ? rc : inserted;
}
