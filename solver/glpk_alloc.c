/*
 * The capacity allocation MIP (hw_alloc.h): which team takes which waiting
 * request, starting on which day, so that weighted delay (bed days for hospital
 * discharges) is least and no team-day is over its free minutes.
 *
 * Model (docs/capacity-model.md has the full write-up):
 *   y[r,t,d] binary  request r starts with eligible team t on day d >= earliest_r
 *   w[r] in [0,1]    request r is deferred beyond the horizon
 *   sum_{t,d} y[r,t,d] + w[r] = 1                                    for each r
 *   sum_{r in class c} sum_{d' <= d} need_r(d - d') y[r,t,d'] <= cap[t,d,c]
 *                                                          for each t, d, c
 *   min sum weight_r (d - earliest_r) y[r,t,d] + defer_r w[r]
 * where need_r(k) is the minutes r needs on its k-th day of service.
 *
 * A greedy allocation (heaviest weight first, earliest day that fits) is handed
 * to glp_intopt as its first incumbent through the GLP_IHEUR callback, so even a
 * search cut short by the time limit returns a feasible plan at least that good.
 */
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_env.h"
#include "hw_alloc.h"
#include "hw_error.h"

/* One y[r,t,d] column: which request, team and day it stands for. */
typedef struct hw_alloc_col {
  int32_t request, team, day;
} hw_alloc_col;

typedef struct hw_alloc_ctx {
  const hw_alloc_problem *p;
  hw_alloc_col *cols;        /* the y columns, 1-based as in GLPK (cols[0] unused) */
  int n_cols;                /* number of y columns; w[r] follow them */
  hw_alloc_decision *greedy; /* the greedy plan, offered as the first incumbent */
  hw_alloc_decision *best;   /* output: decisions read from GLPK */
  double *heur_x;            /* 1-based column values of the greedy plan */
  int *ind;
  double *val;
  double scale;
  double start_s;
  double time_limit_s;
  int offered;               /* the greedy plan went to GLPK already */
  int optimal;
} hw_alloc_ctx;

void hw_alloc_result_init(hw_alloc_result *r) { memset(r, 0, sizeof *r); }

void hw_alloc_result_free(hw_alloc_result *r) {
  free(r->decisions);
  hw_alloc_result_init(r);
}

static int hw_alloc_fail(char *msg, size_t len, const char *field, int32_t i, const char *why) {
  if (msg && len > 0) {
    if (i >= 0)
      snprintf(msg, len, "%s[%d]%s", field, (int)i, why);
    else
      snprintf(msg, len, "%s%s", field, why);
  }
  return HW_EINVAL;
}

int hw_alloc_validate(const hw_alloc_problem *p, char *msg, size_t msg_len) {
  if (!p) return hw_alloc_fail(msg, msg_len, "problem", -1, ": missing");
  if (p->n_days < 1) return hw_alloc_fail(msg, msg_len, "n_days", -1, ": must be at least 1");
  if (p->n_teams < 1) return hw_alloc_fail(msg, msg_len, "n_teams", -1, ": must be at least 1");
  if (p->n_classes < 1) return hw_alloc_fail(msg, msg_len, "n_classes", -1, ": must be at least 1");
  if (p->n_requests < 0) return hw_alloc_fail(msg, msg_len, "n_requests", -1, ": negative");
  if (!p->capacity) return hw_alloc_fail(msg, msg_len, "capacity", -1, ": missing");
  if (p->n_requests > 0 && !p->requests) return hw_alloc_fail(msg, msg_len, "requests", -1, ": missing");
  size_t n_cap = (size_t)p->n_teams * (size_t)p->n_days * (size_t)p->n_classes;
  for (size_t i = 0; i < n_cap; i++)
    if (p->capacity[i] < 0) return hw_alloc_fail(msg, msg_len, "capacity", (int32_t)i, ": negative");
  for (int32_t r = 0; r < p->n_requests; r++) {
    const hw_alloc_request *q = &p->requests[r];
    if (q->skill_class < 0 || q->skill_class >= p->n_classes)
      return hw_alloc_fail(msg, msg_len, "requests", r, ".skill_class: out of range");
    if (q->earliest_day < 0) return hw_alloc_fail(msg, msg_len, "requests", r, ".earliest_day: negative");
    if (q->weight_per_day < 0) return hw_alloc_fail(msg, msg_len, "requests", r, ".weight_per_day: negative");
    if (q->defer_cost < 0) return hw_alloc_fail(msg, msg_len, "requests", r, ".defer_cost: negative");
    if (q->n_profile < 0) return hw_alloc_fail(msg, msg_len, "requests", r, ".n_profile: negative");
    if (q->n_profile > 0 && !q->profile) return hw_alloc_fail(msg, msg_len, "requests", r, ".profile: missing");
    for (int32_t k = 0; k < q->n_profile; k++)
      if (q->profile[k] < 0) return hw_alloc_fail(msg, msg_len, "requests", r, ".profile: negative minutes");
    if (q->n_profile == 0 && q->daily_minutes < 0)
      return hw_alloc_fail(msg, msg_len, "requests", r, ".daily_minutes: negative");
  }
  return 0;
}

/* Minutes request q needs on its k-th day of service (k >= 0). */
static int64_t hw_alloc_need(const hw_alloc_request *q, int32_t k) {
  if (q->n_profile == 0) return q->daily_minutes;
  return k < q->n_profile ? q->profile[k] : 0;
}

static int hw_alloc_eligible(const hw_alloc_request *q, int32_t t) {
  return !q->eligible || q->eligible[t];
}

static int64_t hw_alloc_defer_cost(const hw_alloc_problem *p, const hw_alloc_request *q) {
  if (q->defer_cost > 0) return q->defer_cost;
  int32_t days = p->n_days - q->earliest_day;
  return q->weight_per_day * (days > 0 ? days : 0);
}

static size_t hw_alloc_cap_index(const hw_alloc_problem *p, int32_t t, int32_t d, int32_t c) {
  return ((size_t)t * (size_t)p->n_days + (size_t)d) * (size_t)p->n_classes + (size_t)c;
}

/* Does q fit with team t from day d given the remaining minutes? */
static int hw_alloc_fits(const hw_alloc_problem *p, const hw_alloc_request *q, const int64_t *rem,
                         int32_t t, int32_t d) {
  for (int32_t day = d; day < p->n_days; day++)
    if (hw_alloc_need(q, day - d) > rem[hw_alloc_cap_index(p, t, day, q->skill_class)]) return 0;
  return 1;
}

static void hw_alloc_take(const hw_alloc_problem *p, const hw_alloc_request *q, int64_t *rem,
                          int32_t t, int32_t d) {
  for (int32_t day = d; day < p->n_days; day++)
    rem[hw_alloc_cap_index(p, t, day, q->skill_class)] -= hw_alloc_need(q, day - d);
}

/* Heaviest weight first (ties: request order), each on the earliest day and
 * lowest team that still fits. Always feasible: what fits nowhere is deferred. */
static int hw_alloc_greedy(const hw_alloc_problem *p, hw_alloc_decision *out) {
  size_t n_cap = (size_t)p->n_teams * (size_t)p->n_days * (size_t)p->n_classes;
  int64_t *rem = malloc(sizeof *rem * n_cap);
  int32_t *order = malloc(sizeof *order * (size_t)(p->n_requests > 0 ? p->n_requests : 1));
  if (!rem || !order) {
    free(rem);
    free(order);
    return HW_ENOMEM;
  }
  for (size_t i = 0; i < n_cap; i++) rem[i] = p->capacity[i];
  for (int32_t r = 0; r < p->n_requests; r++) order[r] = r;
  for (int32_t a = 1; a < p->n_requests; a++) { /* insertion sort: stable */
    int32_t r = order[a], b = a;
    while (b > 0 && p->requests[order[b - 1]].weight_per_day < p->requests[r].weight_per_day) {
      order[b] = order[b - 1];
      b--;
    }
    order[b] = r;
  }
  for (int32_t a = 0; a < p->n_requests; a++) {
    int32_t r = order[a];
    const hw_alloc_request *q = &p->requests[r];
    out[r].team = out[r].start_day = -1;
    for (int32_t d = q->earliest_day; d < p->n_days && out[r].team < 0; d++)
      for (int32_t t = 0; t < p->n_teams && out[r].team < 0; t++)
        if (hw_alloc_eligible(q, t) && hw_alloc_fits(p, q, rem, t, d)) {
          hw_alloc_take(p, q, rem, t, d);
          out[r].team = t;
          out[r].start_day = d;
        }
  }
  free(rem);
  free(order);
  return 0;
}

static int hw_alloc_count_cols(const hw_alloc_problem *p) {
  int n = 0;
  for (int32_t r = 0; r < p->n_requests; r++) {
    const hw_alloc_request *q = &p->requests[r];
    if (q->earliest_day >= p->n_days) continue;
    for (int32_t t = 0; t < p->n_teams; t++)
      if (hw_alloc_eligible(q, t)) n += p->n_days - q->earliest_day;
  }
  return n;
}

static void hw_alloc_list_cols(const hw_alloc_problem *p, hw_alloc_col *cols) {
  int n = 0;
  for (int32_t r = 0; r < p->n_requests; r++) {
    const hw_alloc_request *q = &p->requests[r];
    for (int32_t t = 0; t < p->n_teams; t++) {
      if (!hw_alloc_eligible(q, t)) continue;
      for (int32_t d = q->earliest_day; d < p->n_days; d++) {
        n++;
        cols[n] = (hw_alloc_col){r, t, d};
      }
    }
  }
}

static double hw_alloc_cost_scale(const hw_alloc_problem *p) {
  double total = 0;
  for (int32_t r = 0; r < p->n_requests; r++) {
    const hw_alloc_request *q = &p->requests[r];
    total += (double)q->weight_per_day * (double)p->n_days + (double)hw_alloc_defer_cost(p, q);
  }
  double scale = 1.0;
  while (total * scale > 4503599627370496.0) scale *= 0.5; /* keep below 2^52 */
  return scale;
}

static void hw_alloc_build(glp_prob *lp, hw_alloc_ctx *c) {
  const hw_alloc_problem *p = c->p;
  int n_req = p->n_requests;
  int n_cap_rows = p->n_teams * p->n_days * p->n_classes;
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_rows(lp, n_req + n_cap_rows);
  for (int r = 0; r < n_req; r++) glp_set_row_bnds(lp, r + 1, GLP_FX, 1.0, 1.0);
  for (int32_t t = 0; t < p->n_teams; t++)
    for (int32_t d = 0; d < p->n_days; d++)
      for (int32_t k = 0; k < p->n_classes; k++) {
        size_t i = hw_alloc_cap_index(p, t, d, k);
        glp_set_row_bnds(lp, n_req + 1 + (int)i, GLP_UP, 0.0, (double)p->capacity[i]);
      }

  glp_add_cols(lp, c->n_cols + n_req);
  for (int j = 1; j <= c->n_cols; j++) {
    const hw_alloc_col *col = &c->cols[j];
    const hw_alloc_request *q = &p->requests[col->request];
    glp_set_col_kind(lp, j, GLP_BV);
    glp_set_obj_coef(lp, j, (double)(q->weight_per_day * (col->day - q->earliest_day)) * c->scale);
    int len = 1;
    c->ind[1] = col->request + 1;
    c->val[1] = 1.0;
    for (int32_t day = col->day; day < p->n_days; day++) {
      int64_t need = hw_alloc_need(q, day - col->day);
      if (need == 0) continue;
      len++;
      c->ind[len] = n_req + 1 + (int)hw_alloc_cap_index(p, col->team, day, q->skill_class);
      c->val[len] = (double)need;
    }
    glp_set_mat_col(lp, j, len, c->ind, c->val);
  }
  for (int r = 0; r < n_req; r++) {
    int j = c->n_cols + 1 + r;
    glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
    glp_set_obj_coef(lp, j, (double)hw_alloc_defer_cost(p, &p->requests[r]) * c->scale);
    c->ind[1] = r + 1;
    c->val[1] = 1.0;
    glp_set_mat_col(lp, j, 1, c->ind, c->val);
  }
}

/* The greedy plan as GLPK column values (1-based). */
static void hw_alloc_greedy_x(const hw_alloc_ctx *c) {
  int n_req = c->p->n_requests;
  for (int j = 1; j <= c->n_cols; j++) {
    const hw_alloc_col *col = &c->cols[j];
    const hw_alloc_decision *g = &c->greedy[col->request];
    c->heur_x[j] = g->team == col->team && g->start_day == col->day;
  }
  for (int r = 0; r < n_req; r++) c->heur_x[c->n_cols + 1 + r] = c->greedy[r].team < 0;
}

static void hw_alloc_callback(glp_tree *tree, void *info) {
  hw_alloc_ctx *c = info;
  /* Offer the greedy plan once, at the first chance, as the first incumbent. */
  if (glp_ios_reason(tree) != GLP_IHEUR || c->offered) return;
  c->offered = 1;
  glp_ios_heur_sol(tree, c->heur_x);
}

static void hw_alloc_read(glp_prob *lp, hw_alloc_ctx *c) {
  for (int r = 0; r < c->p->n_requests; r++) c->best[r] = (hw_alloc_decision){-1, -1};
  for (int j = 1; j <= c->n_cols; j++)
    if (glp_mip_col_val(lp, j) > 0.5)
      c->best[c->cols[j].request] = (hw_alloc_decision){c->cols[j].team, c->cols[j].day};
}

static int hw_alloc_body(void *arg) {
  hw_alloc_ctx *c = arg;
  glp_prob *lp = glp_create_prob();
  hw_alloc_build(lp, c);

  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.tm_lim = hw_glpk_time_left_ms(c->start_s, c->time_limit_s);
  int ret = glp_simplex(lp, &smcp);
  if (ret == GLP_ETMLIM) return HW_ETIMEOUT;
  if (ret != 0 || glp_get_status(lp) != GLP_OPT) return HW_ESOLVER; /* deferral keeps it feasible */

  /* No MIP presolve: the callback's column values must index the original
   * columns, and the LP basis from glp_simplex is already optimal. */
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.mip_gap = 0.0;
  iocp.gmi_cuts = GLP_ON;
  iocp.cov_cuts = GLP_ON;
  iocp.cb_func = hw_alloc_callback;
  iocp.cb_info = c;
  iocp.tm_lim = hw_glpk_time_left_ms(c->start_s, c->time_limit_s);
  ret = glp_intopt(lp, &iocp);
  int status = glp_mip_status(lp);
  if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP) return HW_ESOLVER;
  if (status != GLP_OPT && status != GLP_FEAS) return HW_ETIMEOUT;
  hw_alloc_read(lp, c);
  c->optimal = ret == 0 && status == GLP_OPT;
  glp_delete_prob(lp);
  return 0;
}

static void hw_alloc_summarise(const hw_alloc_problem *p, hw_alloc_result *out) {
  out->cost = out->delay_days = 0;
  out->n_deferred = 0;
  for (int32_t r = 0; r < p->n_requests; r++) {
    const hw_alloc_request *q = &p->requests[r];
    const hw_alloc_decision *d = &out->decisions[r];
    if (d->team < 0) {
      out->n_deferred++;
      out->cost += hw_alloc_defer_cost(p, q);
    } else {
      out->delay_days += d->start_day - q->earliest_day;
      out->cost += q->weight_per_day * (d->start_day - q->earliest_day);
    }
  }
}

static void hw_alloc_ctx_free(hw_alloc_ctx *c) {
  free(c->cols);
  free(c->greedy);
  free(c->heur_x);
  free(c->ind);
  free(c->val);
}

int hw_alloc_solve(const hw_alloc_problem *p, double time_limit_s, hw_alloc_result *out) {
  if (!out) return HW_EINVAL;
  int rc = hw_alloc_validate(p, NULL, 0);
  if (rc != 0) return rc;
  hw_alloc_result_free(out);
  out->decisions = calloc((size_t)(p->n_requests > 0 ? p->n_requests : 1), sizeof *out->decisions);
  if (!out->decisions) return HW_ENOMEM;
  out->n_requests = p->n_requests;

  hw_alloc_ctx c = {.p = p, .best = out->decisions, .scale = hw_alloc_cost_scale(p),
                    .start_s = hw_glpk_now_s(), .time_limit_s = time_limit_s};
  c.n_cols = hw_alloc_count_cols(p);
  size_t n_all = (size_t)c.n_cols + (size_t)p->n_requests + 1;
  c.cols = malloc(sizeof *c.cols * ((size_t)c.n_cols + 1));
  c.greedy = malloc(sizeof *c.greedy * (size_t)(p->n_requests > 0 ? p->n_requests : 1));
  c.heur_x = malloc(sizeof *c.heur_x * n_all);
  c.ind = malloc(sizeof *c.ind * ((size_t)p->n_days + 2));
  c.val = malloc(sizeof *c.val * ((size_t)p->n_days + 2));
  if (!c.cols || !c.greedy || !c.heur_x || !c.ind || !c.val) {
    hw_alloc_ctx_free(&c);
    hw_alloc_result_free(out);
    return HW_ENOMEM;
  }
  rc = hw_alloc_greedy(p, c.greedy);
  if (rc == 0 && p->n_requests > 0) {
    hw_alloc_list_cols(p, c.cols);
    hw_alloc_greedy_x(&c);
    rc = hw_glpk_run(hw_alloc_body, &c);
    if (rc == HW_ETIMEOUT) {
      /* The time ran out before GLPK had an incumbent: the greedy plan stands. */
      memcpy(out->decisions, c.greedy, sizeof *c.greedy * (size_t)p->n_requests);
      rc = 0;
    }
  } else if (rc == 0) {
    c.optimal = 1;
  }
  out->optimal = c.optimal;
  hw_alloc_ctx_free(&c);
  if (rc != 0) {
    hw_alloc_result_free(out);
    return rc;
  }
  hw_alloc_summarise(p, out);
  return 0;
}
