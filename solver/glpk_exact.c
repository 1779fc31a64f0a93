/*
 * The exact model for small routing problems (hw_exact_solve in hw_solver.h):
 * a GLPK MIP that proves the optimum of instances of up to 16 jobs, so that the
 * tests can check the heuristic search against the truth.
 *
 * A three-index vehicle-flow formulation. For every resource k, node n stands
 * for its start (as a tail) and its end (as a head); 0..n-1 are the jobs.
 *   x[k,a,b] binary   k travels a -> b (only arcs whose time windows allow it)
 *   y[i,k]   binary   k serves job i;   z[i] binary   job i is served
 *   T[i]     start of service of job i (one per job: both workers of a
 *            double-handed job start together); L[i] lateness; Lmax
 * Rows: flow in = flow out = y[i,k]; each route leaves its start at most once
 * and returns to its end; sum_k y[i,k] = workers_i z[i]; big-M time
 * propagation T[b] >= T[a] + service_a + travel_k(a,b) - M (1 - x[k,a,b]) with
 * M tightened from the windows; shift start and end; capacity; fleet limit;
 * links (gap window under big-M, different resources, both or neither);
 * lateness L[i] >= T[i] - window end. Objective: unassigned penalties + travel
 * (+ fixed costs, lateness, preference misses) as hw_check ranks solutions
 * (the roster objective's quadratic balance term is left out: hw_solve polishes
 * the MIP's plan briefly when it counts).
 *
 * A break (at most one per resource) is taken on one arc of its route: w[k,a,b]
 * <= x[k,a,b], one w per used route, start B[k] inside its window with
 * B[k] >= T[a] + service_a and T[b] >= B[k] + duration + travel(a,b) on the arc
 * it is on (it is taken where the worker is, then the worker travels). A job
 * with several hard windows picks one: o[i,w], sum_w o[i,w] = z[i], and T[i]
 * inside the picked window.
 *
 * The MIP fixes which resource serves which jobs in which order; the schedule is
 * then recomputed exactly in integer ticks as the earliest one (a fixpoint of the
 * difference constraints), which is feasible whenever the MIP's is and never
 * later, so lateness cannot grow. Costs are recomputed in int64 from the routes.
 */
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_env.h"
#include "hw_error.h"
#include "hw_solver.h"

#define HW_EXACT_MAX_JOBS 16
#define HW_EXACT_DEFAULT_PENALTY 1000000000LL /* per priority step, as hw_check */

typedef struct hw_ex {
  const hw_problem *p;
  int n, K;               /* jobs, resources; node n = start/end of a route */
  uint8_t *compat;        /* [i*K + k] */
  int64_t *lb, *ub;       /* bounds on T[i] */
  int *x_col;             /* [(k*(n+1) + a)*(n+1) + b]: GLPK column of x, 0 = no arc */
  int *y_col;             /* [i*K + k] */
  int *z_col, *t_col, *l_col;
  int *u_col;             /* scratch: position columns of one resource */
  int *w_col;             /* like x_col: the break of k is taken on arc a -> b */
  int *b_col;             /* [k]: start of k's break, 0 = no break */
  int *o_col;             /* [i * HW_MAX_WINDOWS + w]: job i in window w (several windows only) */
  int lmax_col;
  int n_cols;
  int *ind;
  double *val;
  double start_s, limit_s;
  /* Output of the body. */
  int *succ;              /* [k*(n+1) + a]: successor of a on route k, -1 none */
  int *brk_after;         /* [k]: the break of k follows node a (n = the start), -1 none */
  uint8_t *window;        /* [i]: the window job i was given */
  uint8_t *served;        /* z[i] */
  int proven;             /* GLPK proved optimality */
} hw_ex;

static int64_t hw_ex_penalty(const hw_job *j) {
  return j->unassigned_cost > 0 ? j->unassigned_cost : (int64_t)(j->priority + 1) * HW_EXACT_DEFAULT_PENALTY;
}

static int hw_ex_lists(const int32_t *list, int32_t n, int32_t v) {
  for (int32_t i = 0; i < n; i++)
    if (list[i] == v) return 1;
  return 0;
}

static int64_t hw_ex_travel(const hw_ex *e, int k, int a, int b) {
  const hw_resource *r = &e->p->resources[k];
  int32_t from = a == e->n ? r->start_loc : e->p->jobs[a].loc;
  int32_t to = b == e->n ? r->end_loc : e->p->jobs[b].loc;
  return hw_travel(e->p, r->profile, from, to);
}

static int64_t hw_ex_arc_cost(const hw_ex *e, int k, int a, int b) {
  const hw_resource *r = &e->p->resources[k];
  int32_t from = a == e->n ? r->start_loc : e->p->jobs[a].loc;
  int32_t to = b == e->n ? r->end_loc : e->p->jobs[b].loc;
  int64_t c = hw_travel_cost(e->p, r->profile, from, to);
  if (a == e->n && (e->p->objective == HW_OBJ_ROSTER || e->p->objective == HW_OBJ_VROOM)) c += r->fixed_cost;
  return c;
}

static int hw_ex_reject(const hw_problem *p, char *why, size_t len) {
  if (p->n_jobs > HW_EXACT_MAX_JOBS) {
    snprintf(why, len, "exact model: more than %d jobs", HW_EXACT_MAX_JOBS);
    return HW_EINVAL;
  }
  for (int32_t k = 0; k < p->n_resources; k++)
    if (p->resources[k].n_breaks > 1) {
      snprintf(why, len, "exact model: more than one break per resource not supported");
      return HW_EINVAL;
    }
  for (int32_t i = 0; i < p->n_jobs; i++)
    if (p->jobs[i].n_windows != 1 && p->soft_windows) {
      snprintf(why, len, "exact model: multiple soft windows not supported");
      return HW_EINVAL;
    }
  return 0;
}

static const hw_window *hw_ex_last_window(const hw_job *j) { return &j->windows[j->n_windows - 1]; }

/* The break of resource k, or NULL. */
static const hw_break_spec *hw_ex_break(const hw_ex *e, int k) {
  const hw_resource *r = &e->p->resources[k];
  return r->n_breaks > 0 ? &r->breaks[0] : NULL;
}

/* The bounds of k's break start: inside its window and early enough to end in
 * the shift (lo > hi: the break cannot be taken, so k serves nobody). */
static void hw_ex_break_bounds(const hw_ex *e, int k, int64_t *lo, int64_t *hi) {
  const hw_resource *r = &e->p->resources[k];
  const hw_break_spec *b = hw_ex_break(e, k);
  *lo = b->window.start > r->shift.start ? b->window.start : r->shift.start;
  *hi = b->window.end < (int64_t)r->shift.end - b->duration ? b->window.end : (int64_t)r->shift.end - b->duration;
}

/* A horizon no earliest schedule passes: latest release plus every service and
 * the longest leg out of every node, plus every positive link gap. It bounds
 * start times when soft windows leave them open. */
static int64_t hw_ex_horizon(const hw_ex *e) {
  const hw_problem *p = e->p;
  int64_t h = 0, legs = 0;
  for (int i = 0; i < e->n; i++)
    if (hw_ex_last_window(&p->jobs[i])->start > h) h = hw_ex_last_window(&p->jobs[i])->start;
  for (int k = 0; k < e->K; k++)
    if (p->resources[k].shift.start > h) h = p->resources[k].shift.start;
  for (int a = 0; a <= e->n; a++) {
    int64_t longest = 0;
    for (int k = 0; k < e->K; k++)
      for (int b = 0; b <= e->n; b++) {
        int64_t d = hw_ex_travel(e, k, a, b);
        if (d > longest) longest = d;
      }
    legs += longest + (a < e->n ? p->jobs[a].service : 0);
  }
  for (int k = 0; k < e->K; k++)
    for (int b = 0; b < p->resources[k].n_breaks; b++) legs += p->resources[k].breaks[b].duration;
  for (int32_t l = 0; l < p->n_links; l++)
    if (p->links[l].min_gap > 0) legs += p->links[l].min_gap;
  return h + legs;
}

/* Which resources may serve which jobs, and the window of each start time. */
static void hw_ex_bounds(hw_ex *e) {
  const hw_problem *p = e->p;
  int64_t horizon = hw_ex_horizon(e);
  for (int i = 0; i < e->n; i++) {
    const hw_job *j = &p->jobs[i];
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int k = 0; k < e->K; k++) {
      const hw_resource *r = &p->resources[k];
      int ok = (j->skills & ~r->skills) == 0 && !hw_ex_lists(j->excluded, j->n_excluded, k) &&
               (j->pin_resource < 0 || j->pin_resource == k);
      if (hw_ex_break(e, k)) {
        int64_t blo, bhi;
        hw_ex_break_bounds(e, k, &blo, &bhi);
        ok = ok && blo <= bhi;
      }
      int64_t earliest = (int64_t)r->shift.start + hw_ex_travel(e, k, e->n, i);
      if (earliest < j->windows[0].start) earliest = j->windows[0].start;
      if (j->pin_start >= 0) {
        ok = ok && earliest <= j->pin_start;
        earliest = j->pin_start;
      }
      int64_t latest = (int64_t)r->shift.end - j->service - hw_ex_travel(e, k, i, e->n);
      if (!p->soft_windows && latest > hw_ex_last_window(j)->end) latest = hw_ex_last_window(j)->end;
      if (j->pin_start >= 0 && latest > j->pin_start) latest = j->pin_start;
      ok = ok && earliest <= latest;
      e->compat[i * e->K + k] = (uint8_t)ok;
      if (!ok) continue;
      if (earliest < lo) lo = earliest;
      if (latest > hi) hi = latest;
    }
    if (hi > horizon && j->pin_start < 0) hi = horizon > lo ? horizon : lo;
    if (lo > hi) lo = hi = j->windows[0].start; /* nobody can serve it */
    e->lb[i] = lo;
    e->ub[i] = hi;
  }
}

static int hw_ex_n_compat(const hw_ex *e, int i) {
  int c = 0;
  for (int k = 0; k < e->K; k++) c += e->compat[i * e->K + k];
  return c;
}

static int *hw_ex_x(const hw_ex *e, int k, int a, int b) {
  return &e->x_col[((size_t)k * (size_t)(e->n + 1) + (size_t)a) * (size_t)(e->n + 1) + (size_t)b];
}

/* Earliest start at b after a on route k, or the shift start for a route's first
 * job: lb of the tail plus service and travel. */
static int64_t hw_ex_reach(const hw_ex *e, int k, int a, int b) {
  int64_t from = a == e->n ? e->p->resources[k].shift.start : e->lb[a] + e->p->jobs[a].service;
  return from + hw_ex_travel(e, k, a, b);
}

static int hw_ex_arc_possible(const hw_ex *e, int k, int a, int b) {
  if (a == b) return 0;
  if (a == e->n && b == e->n) return 0;
  if (a < e->n && !e->compat[a * e->K + k]) return 0;
  if (b < e->n && !e->compat[b * e->K + k]) return 0;
  if (b < e->n && hw_ex_reach(e, k, a, b) > e->ub[b]) return 0;
  if (b == e->n && a < e->n &&
      e->lb[a] + e->p->jobs[a].service + hw_ex_travel(e, k, a, b) > e->p->resources[k].shift.end)
    return 0;
  return 1;
}

static int hw_ex_add_col(glp_prob *lp, int kind, double lo, double hi, double cost) {
  int c = glp_add_cols(lp, 1);
  if (kind == GLP_BV) {
    glp_set_col_kind(lp, c, GLP_BV);
  } else {
    glp_set_col_bnds(lp, c, lo == hi ? GLP_FX : GLP_DB, lo, hi);
  }
  glp_set_obj_coef(lp, c, cost);
  return c;
}

/* Add the row lo <= sum val[1..len] * col[ind] <= hi (type as GLPK's). */
static void hw_ex_add_row(glp_prob *lp, hw_ex *e, int len, int type, double lo, double hi) {
  int r = glp_add_rows(lp, 1);
  glp_set_row_bnds(lp, r, type, lo, hi);
  glp_set_mat_row(lp, r, len, e->ind, e->val);
}

static void hw_ex_columns(glp_prob *lp, hw_ex *e) {
  const hw_problem *p = e->p;
  int n = e->n;
  int benchmark = p->objective == HW_OBJ_DISTANCE || p->objective == HW_OBJ_MANKOWSKA;
  for (int k = 0; k < e->K; k++)
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++)
        if (hw_ex_arc_possible(e, k, a, b))
          *hw_ex_x(e, k, a, b) = hw_ex_add_col(lp, GLP_BV, 0, 1, (double)hw_ex_arc_cost(e, k, a, b));
  for (int i = 0; i < n; i++) {
    const hw_job *j = &p->jobs[i];
    for (int k = 0; k < e->K; k++) {
      if (!e->compat[i * e->K + k]) continue;
      /* Each visit on a resource outside the preferred list costs HW_PREFERENCE_COST. */
      int miss = p->objective == HW_OBJ_ROSTER && j->n_preferred > 0 && !hw_ex_lists(j->preferred, j->n_preferred, k);
      e->y_col[i * e->K + k] = hw_ex_add_col(lp, GLP_BV, 0, 1, miss ? (double)HW_PREFERENCE_COST : 0.0);
    }
    /* The penalty enters as penalty * (1 - z): -penalty on z plus a constant, so
     * GLPK's objective is the true one and its relative tolerances stay small. */
    double penalty = benchmark ? 0.0 : (double)hw_ex_penalty(j);
    e->z_col[i] = hw_ex_add_col(lp, GLP_BV, 0, 1, -penalty);
    glp_set_obj_coef(lp, 0, glp_get_obj_coef(lp, 0) + penalty);
    /* Benchmark objectives serve every job (infeasible when one cannot be). */
    if (benchmark) glp_set_col_bnds(lp, e->z_col[i], GLP_FX, 1, 1);
    else if (hw_ex_n_compat(e, i) < j->workers) glp_set_col_bnds(lp, e->z_col[i], GLP_FX, 0, 0);
    e->t_col[i] = hw_ex_add_col(lp, GLP_CV, (double)e->lb[i], (double)e->ub[i], 0);
  }
  if (!p->soft_windows) return;
  double weight = p->objective == HW_OBJ_ROSTER ? (double)p->lateness_weight : 1.0;
  for (int i = 0; i < n; i++) {
    double span = (double)(e->ub[i] - p->jobs[i].windows[0].end);
    e->l_col[i] = hw_ex_add_col(lp, GLP_CV, 0, span > 0 ? span : 0, weight * p->jobs[i].workers);
  }
  if (p->objective == HW_OBJ_MANKOWSKA) {
    int64_t most = 0;
    for (int i = 0; i < n; i++)
      if (e->ub[i] - p->jobs[i].windows[0].end > most) most = e->ub[i] - p->jobs[i].windows[0].end;
    e->lmax_col = hw_ex_add_col(lp, GLP_CV, 0, (double)most, 1.0);
  }
}

/* B[k] for a resource with a break, w[k,a,b] on each of its arcs, and o[i,w] for
 * each window of a job with several. */
static void hw_ex_break_window_columns(glp_prob *lp, hw_ex *e) {
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    if (!hw_ex_break(e, k)) continue;
    int64_t lo, hi;
    hw_ex_break_bounds(e, k, &lo, &hi);
    if (hi < lo) continue; /* k serves nobody (hw_ex_bounds): no arcs, no break */
    e->b_col[k] = hw_ex_add_col(lp, GLP_CV, (double)lo, (double)hi, 0);
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++)
        if (*hw_ex_x(e, k, a, b)) e->w_col[((size_t)k * (size_t)(n + 1) + (size_t)a) * (size_t)(n + 1) + (size_t)b] =
            hw_ex_add_col(lp, GLP_BV, 0, 1, 0);
  }
  for (int i = 0; i < n; i++)
    for (int w = 0; w < e->p->jobs[i].n_windows && e->p->jobs[i].n_windows > 1; w++)
      e->o_col[i * HW_MAX_WINDOWS + w] = hw_ex_add_col(lp, GLP_BV, 0, 1, 0);
}

static int *hw_ex_w(const hw_ex *e, int k, int a, int b) {
  return &e->w_col[((size_t)k * (size_t)(e->n + 1) + (size_t)a) * (size_t)(e->n + 1) + (size_t)b];
}

/* The rows of one arc's break: w <= x; B >= T[a] + service_a and T[b] >= B +
 * duration + travel(a, b) (or back by the shift end) when w = 1. */
static void hw_ex_break_arc_rows(glp_prob *lp, hw_ex *e, int k, int a, int b) {
  const hw_resource *r = &e->p->resources[k];
  int w = *hw_ex_w(e, k, a, b), bc = e->b_col[k], n = e->n;
  int64_t lo, hi, d = hw_ex_break(e, k)->duration, t = hw_ex_travel(e, k, a, b);
  hw_ex_break_bounds(e, k, &lo, &hi);
  e->ind[1] = w, e->val[1] = 1.0;
  e->ind[2] = *hw_ex_x(e, k, a, b), e->val[2] = -1.0;
  hw_ex_add_row(lp, e, 2, GLP_UP, 0, 0);
  if (a < n) { /* B - T[a] - M w >= service_a - M */
    int64_t s = e->p->jobs[a].service, m = e->ub[a] + s - lo;
    if (m > 0) {
      e->ind[1] = bc, e->val[1] = 1.0;
      e->ind[2] = e->t_col[a], e->val[2] = -1.0;
      e->ind[3] = w, e->val[3] = -(double)m;
      hw_ex_add_row(lp, e, 3, GLP_LO, (double)(s - m), 0);
    }
  }
  if (b < n) { /* T[b] - B - M w >= d + t - M */
    int64_t m = hi + d + t - e->lb[b];
    if (m > 0) {
      e->ind[1] = e->t_col[b], e->val[1] = 1.0;
      e->ind[2] = bc, e->val[2] = -1.0;
      e->ind[3] = w, e->val[3] = -(double)m;
      hw_ex_add_row(lp, e, 3, GLP_LO, (double)(d + t - m), 0);
    }
  } else { /* B + M w <= shift end - d - t + M */
    int64_t due = (int64_t)r->shift.end - d - t, m = hi - due;
    if (m > 0) {
      e->ind[1] = bc, e->val[1] = 1.0;
      e->ind[2] = w, e->val[2] = (double)m;
      hw_ex_add_row(lp, e, 2, GLP_UP, 0, (double)(due + m));
    }
  }
}

/* Each used route takes its break on exactly one of its arcs. */
static void hw_ex_break_rows(glp_prob *lp, hw_ex *e) {
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    if (!e->b_col[k]) continue;
    int len = 0;
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++)
        if (*hw_ex_w(e, k, a, b)) e->ind[++len] = *hw_ex_w(e, k, a, b), e->val[len] = 1.0;
    for (int b = 0; b < n; b++)
      if (*hw_ex_x(e, k, n, b)) e->ind[++len] = *hw_ex_x(e, k, n, b), e->val[len] = -1.0;
    if (len > 0) hw_ex_add_row(lp, e, len, GLP_FX, 0, 0);
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++)
        if (*hw_ex_w(e, k, a, b)) hw_ex_break_arc_rows(lp, e, k, a, b);
  }
}

/* A job with several windows is served in one of them: sum_w o[i,w] = z[i] and
 * window start <= T[i] <= window end when o[i,w] = 1. */
static void hw_ex_window_rows(glp_prob *lp, hw_ex *e) {
  for (int i = 0; i < e->n; i++) {
    const hw_job *j = &e->p->jobs[i];
    if (j->n_windows < 2) continue;
    int len = 0;
    for (int w = 0; w < j->n_windows; w++) e->ind[++len] = e->o_col[i * HW_MAX_WINDOWS + w], e->val[len] = 1.0;
    e->ind[++len] = e->z_col[i], e->val[len] = -1.0;
    hw_ex_add_row(lp, e, len, GLP_FX, 0, 0);
    for (int w = 0; w < j->n_windows; w++) {
      int o = e->o_col[i * HW_MAX_WINDOWS + w];
      int64_t m_lo = j->windows[w].start - e->lb[i], m_hi = e->ub[i] - j->windows[w].end;
      e->ind[1] = e->t_col[i], e->val[1] = 1.0;
      if (m_lo > 0) { /* T - M o >= start - M */
        e->ind[2] = o, e->val[2] = -(double)m_lo;
        hw_ex_add_row(lp, e, 2, GLP_LO, (double)(j->windows[w].start - m_lo), 0);
      }
      if (m_hi > 0) { /* T + M o <= end + M */
        e->ind[2] = o, e->val[2] = (double)m_hi;
        hw_ex_add_row(lp, e, 2, GLP_UP, 0, (double)(j->windows[w].end + m_hi));
      }
    }
  }
}

static void hw_ex_flow_rows(glp_prob *lp, hw_ex *e) {
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    for (int i = 0; i < n; i++) {
      if (!e->compat[i * e->K + k]) continue;
      for (int dir = 0; dir < 2; dir++) { /* 0: into i, 1: out of i */
        int len = 0;
        for (int o = 0; o <= n; o++) {
          int c = dir == 0 ? *hw_ex_x(e, k, o, i) : *hw_ex_x(e, k, i, o);
          if (c) e->ind[++len] = c, e->val[len] = 1.0;
        }
        e->ind[++len] = e->y_col[i * e->K + k];
        e->val[len] = -1.0;
        hw_ex_add_row(lp, e, len, GLP_FX, 0, 0);
      }
    }
    int len = 0, out = 0;
    for (int b = 0; b < n; b++)
      if (*hw_ex_x(e, k, n, b)) e->ind[++len] = *hw_ex_x(e, k, n, b), e->val[len] = 1.0;
    out = len;
    if (out > 0) hw_ex_add_row(lp, e, len, GLP_UP, 0, 1); /* one route per resource */
    for (int a = 0; a < n; a++)
      if (*hw_ex_x(e, k, a, n)) e->ind[++len] = *hw_ex_x(e, k, a, n), e->val[len] = -1.0;
    if (len > 0) hw_ex_add_row(lp, e, len, GLP_FX, 0, 0); /* a route that leaves comes back */
  }
  for (int i = 0; i < n; i++) {
    int len = 0;
    for (int k = 0; k < e->K; k++)
      if (e->compat[i * e->K + k]) e->ind[++len] = e->y_col[i * e->K + k], e->val[len] = 1.0;
    e->ind[++len] = e->z_col[i];
    e->val[len] = -(double)e->p->jobs[i].workers;
    hw_ex_add_row(lp, e, len, GLP_FX, 0, 0);
  }
}

/* T[b] >= T[a] + service + travel when x[k,a,b] = 1, with M from the bounds. */
static void hw_ex_time_rows(glp_prob *lp, hw_ex *e) {
  const hw_problem *p = e->p;
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    const hw_resource *r = &p->resources[k];
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++) {
        int x = *hw_ex_x(e, k, a, b);
        if (!x) continue;
        int64_t d = hw_ex_travel(e, k, a, b);
        if (a < n && b < n) {
          int64_t gap = p->jobs[a].service + d;
          int64_t m = e->ub[a] + gap - e->lb[b];
          if (m <= 0) continue;
          e->ind[1] = e->t_col[b], e->val[1] = 1.0;
          e->ind[2] = e->t_col[a], e->val[2] = -1.0;
          e->ind[3] = x, e->val[3] = -(double)m;
          hw_ex_add_row(lp, e, 3, GLP_LO, (double)(gap - m), 0);
        } else if (a == n) {
          int64_t release = r->shift.start + d;
          int64_t m = release - e->lb[b];
          if (m <= 0) continue;
          e->ind[1] = e->t_col[b], e->val[1] = 1.0;
          e->ind[2] = x, e->val[2] = -(double)m;
          hw_ex_add_row(lp, e, 2, GLP_LO, (double)(release - m), 0);
        } else {
          int64_t due = (int64_t)r->shift.end - p->jobs[a].service - d;
          int64_t m = e->ub[a] - due;
          if (m <= 0) continue;
          e->ind[1] = e->t_col[a], e->val[1] = 1.0;
          e->ind[2] = x, e->val[2] = (double)m;
          hw_ex_add_row(lp, e, 2, GLP_UP, 0, (double)(due + m));
        }
      }
  }
}

/* Zero-time arcs (no service, no travel) would let the time rows accept a cycle
 * of jobs all starting at once. On a resource that has such arcs, position
 * variables u[i] (Miller-Tucker-Zemlin, on those arcs only) forbid it: u must
 * grow along every zero-time arc, which no cycle allows; any cycle with a
 * positive arc is already cut by the time rows. */
static int hw_ex_zero_arc(const hw_ex *e, int k, int a, int b) {
  return *hw_ex_x(e, k, a, b) && e->p->jobs[a].service + hw_ex_travel(e, k, a, b) == 0;
}

static void hw_ex_zero_cycle_rows(glp_prob *lp, hw_ex *e, int *u_col) {
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    int any = 0;
    for (int a = 0; a < n && !any; a++)
      for (int b = 0; b < n && !any; b++) any = hw_ex_zero_arc(e, k, a, b);
    if (!any) continue;
    for (int i = 0; i < n; i++) u_col[i] = e->compat[i * e->K + k] ? hw_ex_add_col(lp, GLP_CV, 0, n, 0) : 0;
    for (int a = 0; a < n; a++)
      for (int b = 0; b < n; b++) {
        if (!hw_ex_zero_arc(e, k, a, b)) continue;
        /* u_b >= u_a + 1 - (n + 1)(1 - x[k,a,b]) */
        e->ind[1] = u_col[b], e->val[1] = 1.0;
        e->ind[2] = u_col[a], e->val[2] = -1.0;
        e->ind[3] = *hw_ex_x(e, k, a, b), e->val[3] = -(double)(n + 1);
        hw_ex_add_row(lp, e, 3, GLP_LO, -(double)n, 0);
      }
  }
}

static void hw_ex_side_rows(glp_prob *lp, hw_ex *e) {
  const hw_problem *p = e->p;
  int n = e->n;
  for (int k = 0; k < e->K; k++) {
    if (p->resources[k].capacity < 0) continue;
    int len = 0;
    for (int i = 0; i < n; i++)
      if (e->compat[i * e->K + k] && p->jobs[i].demand != 0)
        e->ind[++len] = e->y_col[i * e->K + k], e->val[len] = p->jobs[i].demand;
    if (len > 0) hw_ex_add_row(lp, e, len, GLP_UP, 0, p->resources[k].capacity);
  }
  if (p->max_routes > 0) {
    int len = 0;
    for (int k = 0; k < e->K; k++)
      for (int b = 0; b < n; b++)
        if (*hw_ex_x(e, k, n, b)) e->ind[++len] = *hw_ex_x(e, k, n, b), e->val[len] = 1.0;
    if (len > 0) hw_ex_add_row(lp, e, len, GLP_UP, 0, p->max_routes);
  }
  for (int32_t l = 0; l < p->n_links; l++) {
    int f = p->links[l].first, s = p->links[l].second;
    e->ind[1] = e->z_col[f], e->val[1] = 1.0;
    e->ind[2] = e->z_col[s], e->val[2] = -1.0;
    hw_ex_add_row(lp, e, 2, GLP_FX, 0, 0); /* both served or neither */
    for (int k = 0; k < e->K; k++)
      if (e->compat[f * e->K + k] && e->compat[s * e->K + k]) {
        e->ind[1] = e->y_col[f * e->K + k], e->val[1] = 1.0;
        e->ind[2] = e->y_col[s * e->K + k], e->val[2] = 1.0;
        hw_ex_add_row(lp, e, 2, GLP_UP, 0, 1);
      }
    /* min_gap <= T[s] - T[f] <= max_gap when z[f] = 1 (then z[s] = 1 too). */
    int64_t m_lo = p->links[l].min_gap - (e->lb[s] - e->ub[f]);
    int64_t m_hi = (e->ub[s] - e->lb[f]) - p->links[l].max_gap;
    e->ind[1] = e->t_col[s], e->val[1] = 1.0;
    e->ind[2] = e->t_col[f], e->val[2] = -1.0;
    if (m_lo > 0) {
      e->ind[3] = e->z_col[f], e->val[3] = -(double)m_lo;
      hw_ex_add_row(lp, e, 3, GLP_LO, (double)(p->links[l].min_gap - m_lo), 0);
    }
    if (m_hi > 0) {
      e->ind[3] = e->z_col[f], e->val[3] = (double)m_hi;
      hw_ex_add_row(lp, e, 3, GLP_UP, 0, (double)(p->links[l].max_gap + m_hi));
    }
  }
  if (!p->soft_windows) return;
  for (int i = 0; i < n; i++) {
    e->ind[1] = e->l_col[i], e->val[1] = 1.0;
    e->ind[2] = e->t_col[i], e->val[2] = -1.0;
    hw_ex_add_row(lp, e, 2, GLP_LO, -(double)p->jobs[i].windows[0].end, 0);
    if (e->lmax_col) {
      e->ind[1] = e->lmax_col, e->val[1] = 1.0;
      e->ind[2] = e->l_col[i], e->val[2] = -1.0;
      hw_ex_add_row(lp, e, 2, GLP_LO, 0, 0);
    }
  }
}

static void hw_ex_read(glp_prob *lp, hw_ex *e) {
  int n = e->n;
  for (size_t s = 0; s < (size_t)e->K * (size_t)(n + 1); s++) e->succ[s] = -1;
  for (int k = 0; k < e->K; k++)
    for (int a = 0; a <= n; a++)
      for (int b = 0; b <= n; b++) {
        int x = *hw_ex_x(e, k, a, b);
        if (x && glp_mip_col_val(lp, x) > 0.5) e->succ[k * (n + 1) + a] = b;
      }
  for (int i = 0; i < n; i++) e->served[i] = glp_mip_col_val(lp, e->z_col[i]) > 0.5;
  for (int k = 0; k < e->K; k++) {
    e->brk_after[k] = -1;
    for (int a = 0; a <= n && e->b_col[k]; a++)
      for (int b = 0; b <= n; b++)
        if (*hw_ex_w(e, k, a, b) && glp_mip_col_val(lp, *hw_ex_w(e, k, a, b)) > 0.5) e->brk_after[k] = a;
  }
  for (int i = 0; i < n; i++) {
    e->window[i] = 0;
    for (int w = 0; w < e->p->jobs[i].n_windows && e->p->jobs[i].n_windows > 1; w++)
      if (glp_mip_col_val(lp, e->o_col[i * HW_MAX_WINDOWS + w]) > 0.5) e->window[i] = (uint8_t)w;
  }
}

static int hw_ex_body(void *arg) {
  hw_ex *e = arg;
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  hw_ex_columns(lp, e);
  hw_ex_break_window_columns(lp, e);
  hw_ex_flow_rows(lp, e);
  hw_ex_break_rows(lp, e);
  hw_ex_window_rows(lp, e);
  hw_ex_time_rows(lp, e);
  hw_ex_zero_cycle_rows(lp, e, e->u_col);
  hw_ex_side_rows(lp, e);

  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_ON;
  iocp.mip_gap = 0.0;
  iocp.gmi_cuts = GLP_ON;
  iocp.mir_cuts = GLP_ON;
  iocp.clq_cuts = GLP_ON;
  iocp.fp_heur = GLP_ON;
  iocp.tm_lim = hw_glpk_time_left_ms(e->start_s, e->limit_s);
  int ret = glp_intopt(lp, &iocp);
  int status = glp_mip_status(lp);
  if (ret == GLP_ENOPFS || status == GLP_NOFEAS) return HW_EINFEASIBLE;
  if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP) return HW_ESOLVER;
  if (status != GLP_OPT && status != GLP_FEAS) return HW_ETIMEOUT;
  hw_ex_read(lp, e);
  e->proven = ret == 0 && status == GLP_OPT;
  glp_delete_prob(lp);
  return 0;
}

/* ---- From the MIP's routes to an hw_solution -------------------------------- */

/* The route of resource k as a job sequence; returns its length. */
static int hw_ex_sequence(const hw_ex *e, int k, int *seq) {
  int len = 0, a = e->succ[k * (e->n + 1) + e->n];
  while (a >= 0 && a < e->n && len < e->n) {
    seq[len++] = a;
    a = e->succ[k * (e->n + 1) + a];
  }
  return len;
}

/* Earliest start times given the sequences: raise each T to its lower bounds
 * (window, predecessor, shift start, link gaps) until nothing moves. */
/* When route k takes its break right after node a (n = the start), the time the
 * worker is ready to travel on, the break taken as early as it may be (its start
 * in *at); else ready itself. */
static int64_t hw_ex_past_break(const hw_ex *e, int k, int a, int64_t ready, int64_t *at) {
  const hw_break_spec *b = hw_ex_break(e, k);
  if (!b || e->brk_after[k] != a) return ready;
  *at = ready > b->window.start ? ready : b->window.start;
  return *at + b->duration;
}

static void hw_ex_schedule(const hw_ex *e, int64_t *t, int **seqs, const int *lens) {
  const hw_problem *p = e->p;
  for (int i = 0; i < e->n; i++)
    t[i] = p->jobs[i].pin_start >= 0 ? p->jobs[i].pin_start : p->jobs[i].windows[e->window[i]].start;
  for (int round = 0, moved = 1; moved && round <= 4 * e->n + 4; round++) {
    moved = 0;
    for (int k = 0; k < e->K; k++) {
      int64_t at, ready = hw_ex_past_break(e, k, e->n, p->resources[k].shift.start, &at);
      int prev = e->n;
      for (int s = 0; s < lens[k]; s++) {
        int i = seqs[k][s];
        int64_t arrive = ready + hw_ex_travel(e, k, prev, i);
        if (t[i] < arrive) t[i] = arrive, moved = 1;
        ready = hw_ex_past_break(e, k, i, t[i] + p->jobs[i].service, &at);
        prev = i;
      }
    }
    for (int32_t l = 0; l < p->n_links; l++) {
      const hw_link *lk = &p->links[l];
      if (!e->served[lk->first]) continue;
      if (t[lk->second] < t[lk->first] + lk->min_gap) t[lk->second] = t[lk->first] + lk->min_gap, moved = 1;
      if (t[lk->first] < t[lk->second] - lk->max_gap) t[lk->first] = t[lk->second] - lk->max_gap, moved = 1;
    }
  }
}

/* Appends the break step of route k when it follows node a; returns the time the
 * worker is ready to travel on. */
static int64_t hw_ex_break_step(const hw_ex *e, int k, int a, int64_t ready, hw_route *rt) {
  if (!hw_ex_break(e, k) || e->brk_after[k] != a) return ready;
  int64_t at = 0, after = hw_ex_past_break(e, k, a, ready, &at);
  rt->steps[rt->n_steps++] = (hw_step){HW_STEP_BREAK, 0, (hw_tick)ready, (hw_tick)at};
  return after;
}

static int hw_ex_fill_route(const hw_ex *e, int k, const int *seq, int len, const int64_t *t, hw_route *rt) {
  const hw_problem *p = e->p;
  rt->resource = k;
  rt->steps = calloc((size_t)len + 3, sizeof *rt->steps);
  if (!rt->steps) return HW_ENOMEM;
  /* Leave as late as the first job allows (no idle wait at the start), unless
   * the break comes first: it is taken at the start, from the shift start. */
  int64_t leave = t[seq[0]] - hw_ex_travel(e, k, e->n, seq[0]);
  if (leave < p->resources[k].shift.start || e->brk_after[k] == e->n) leave = p->resources[k].shift.start;
  rt->steps[0] = (hw_step){HW_STEP_START, -1, (hw_tick)leave, (hw_tick)leave};
  rt->n_steps = 1;
  int64_t ready = hw_ex_break_step(e, k, e->n, leave, rt);
  int prev = e->n;
  for (int s = 0; s < len; s++) {
    int i = seq[s];
    int64_t arrive = ready + hw_ex_travel(e, k, prev, i);
    rt->steps[rt->n_steps++] = (hw_step){HW_STEP_JOB, i, (hw_tick)arrive, (hw_tick)t[i]};
    ready = hw_ex_break_step(e, k, i, t[i] + p->jobs[i].service, rt);
    prev = i;
  }
  int64_t back = ready + hw_ex_travel(e, k, prev, e->n);
  rt->steps[rt->n_steps++] = (hw_step){HW_STEP_END, -1, (hw_tick)back, (hw_tick)back};
  return 0;
}

static hw_unassigned_reason hw_ex_reason(const hw_ex *e, int i) {
  const hw_problem *p = e->p;
  const hw_job *j = &p->jobs[i];
  int skilled = 0, allowed = 0;
  for (int k = 0; k < e->K; k++) {
    if (j->skills & ~p->resources[k].skills) continue;
    skilled++;
    if (!hw_ex_lists(j->excluded, j->n_excluded, k)) allowed++;
  }
  if (skilled == 0) return HW_UNASSIGNED_NO_SKILL;
  if (allowed == 0) return HW_UNASSIGNED_EXCLUDED;
  int fit = hw_ex_n_compat(e, i);
  if (fit == 0) return j->pin_resource >= 0 || j->pin_start >= 0 ? HW_UNASSIGNED_PIN_INFEASIBLE : HW_UNASSIGNED_NO_WINDOW;
  if (fit < j->workers) return HW_UNASSIGNED_NO_PARTNER;
  return HW_UNASSIGNED_NO_CAPACITY;
}

static int hw_ex_build_solution(const hw_ex *e, hw_solution *out) {
  int n = e->n, rc = 0;
  int64_t *t = malloc(sizeof *t * (size_t)(n > 0 ? n : 1));
  int *lens = calloc((size_t)e->K, sizeof *lens);
  int **seqs = calloc((size_t)e->K, sizeof *seqs);
  out->routes = calloc((size_t)e->K, sizeof *out->routes);
  out->unassigned = calloc((size_t)(n > 0 ? n : 1), sizeof *out->unassigned);
  if (!t || !lens || !seqs || !out->routes || !out->unassigned) rc = HW_ENOMEM;
  for (int k = 0; k < e->K && rc == 0; k++) {
    seqs[k] = malloc(sizeof **seqs * (size_t)(n > 0 ? n : 1));
    if (!seqs[k]) rc = HW_ENOMEM;
    else lens[k] = hw_ex_sequence(e, k, seqs[k]);
  }
  if (rc == 0) {
    hw_ex_schedule(e, t, seqs, lens);
    for (int k = 0; k < e->K && rc == 0; k++)
      if (lens[k] > 0) rc = hw_ex_fill_route(e, k, seqs[k], lens[k], t, &out->routes[out->n_routes++]);
    for (int i = 0; i < n; i++)
      if (!e->served[i]) out->unassigned[out->n_unassigned++] = (hw_unassigned){i, hw_ex_reason(e, i)};
  }
  for (int k = 0; k < e->K && seqs; k++) free(seqs[k]);
  free(seqs);
  free(lens);
  free(t);
  return rc;
}

static void hw_ex_free(hw_ex *e) {
  free(e->compat);
  free(e->lb);
  free(e->ub);
  free(e->x_col);
  free(e->y_col);
  free(e->z_col);
  free(e->t_col);
  free(e->l_col);
  free(e->u_col);
  free(e->w_col);
  free(e->b_col);
  free(e->o_col);
  free(e->brk_after);
  free(e->window);
  free(e->ind);
  free(e->val);
  free(e->succ);
  free(e->served);
}

static int hw_ex_alloc(hw_ex *e) {
  size_t n = (size_t)e->n, K = (size_t)e->K, n1 = n + 1;
  size_t nn = n > 0 ? n : 1;
  /* A row has at most one entry per column: arcs, y, z, T, L, Lmax. */
  size_t row_len = K * n1 * n1 + K * n + 3 * n + 8;
  e->compat = calloc(nn * K + 1, 1);
  e->lb = calloc(nn, sizeof *e->lb);
  e->ub = calloc(nn, sizeof *e->ub);
  e->x_col = calloc(K * n1 * n1 + 1, sizeof *e->x_col);
  e->y_col = calloc(nn * K + 1, sizeof *e->y_col);
  e->z_col = calloc(nn, sizeof *e->z_col);
  e->t_col = calloc(nn, sizeof *e->t_col);
  e->l_col = calloc(nn, sizeof *e->l_col);
  e->u_col = calloc(nn, sizeof *e->u_col);
  e->w_col = calloc(K * n1 * n1 + 1, sizeof *e->w_col);
  e->b_col = calloc(K + 1, sizeof *e->b_col);
  e->o_col = calloc(nn * HW_MAX_WINDOWS, sizeof *e->o_col);
  e->brk_after = calloc(K + 1, sizeof *e->brk_after);
  e->window = calloc(nn, 1);
  e->ind = calloc(row_len + 1, sizeof *e->ind);
  e->val = calloc(row_len + 1, sizeof *e->val);
  e->succ = calloc(K * n1 + 1, sizeof *e->succ);
  e->served = calloc(nn, 1);
  if (!e->compat || !e->lb || !e->ub || !e->x_col || !e->y_col || !e->z_col || !e->t_col || !e->l_col || !e->u_col ||
      !e->w_col || !e->b_col || !e->o_col || !e->brk_after || !e->window || !e->ind || !e->val || !e->succ || !e->served)
    return HW_ENOMEM;
  return 0;
}

int hw_exact_solve(const hw_problem *p, double time_limit_s, hw_solution *out) {
  if (!p || !out) return HW_EINVAL;
  char why[160];
  if (hw_problem_validate(p, why, sizeof why) != 0) return HW_EINVAL;
  if (hw_ex_reject(p, why, sizeof why) != 0) return HW_EINVAL;
  hw_solution_free(out);
  double started = hw_glpk_now_s();
  hw_ex e = {.p = p, .n = p->n_jobs, .K = p->n_resources, .start_s = started, .limit_s = time_limit_s};
  int rc = hw_ex_alloc(&e);
  if (rc == 0) {
    hw_ex_bounds(&e);
    rc = e.n == 0 ? 0 : hw_glpk_run(hw_ex_body, &e);
  }
  if (rc == 0 && e.n > 0) rc = hw_ex_build_solution(&e, out);
  if (rc == 0) {
    hw_solution_evaluate(p, out);
    out->solve_ms = (int64_t)((hw_glpk_now_s() - started) * 1000.0);
    if (e.n > 0 && !e.proven) rc = HW_ETIMEOUT; /* out holds the best integer solution */
  } else {
    hw_solution_free(out);
  }
  hw_ex_free(&e);
  return rc;
}
