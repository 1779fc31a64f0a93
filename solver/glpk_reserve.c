/*
 * The reserve sizing MIP (hw_reserve.h). Columns: n[c] (integer slots) for each
 * cell, then s[c,k] for each cell's samples; rows: one cover row per sample, then
 * one budget row per group that has a budget.
 */
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_env.h"
#include "hw_error.h"
#include "hw_reserve.h"

typedef struct reserve_ctx {
  const hw_reserve_problem *p;
  int n_samples;             /* over all cells */
  int *ind;                  /* scratch for glp_set_mat_row, 1-based */
  double *val;
  int32_t *slots;            /* out: n[c] */
  double start_s, time_limit_s;
  int optimal;
} reserve_ctx;

void hw_reserve_result_init(hw_reserve_result *r) { memset(r, 0, sizeof *r); }

void hw_reserve_result_free(hw_reserve_result *r) {
  free(r->minutes);
  hw_reserve_result_init(r);
}

static int invalid(char *msg, size_t len, const char *field, int32_t i, const char *why) {
  if (msg && len) {
    if (i >= 0) snprintf(msg, len, "%s[%d]: %s", field, (int)i, why);
    else snprintf(msg, len, "%s: %s", field, why);
  }
  return HW_EINVAL;
}

int hw_reserve_validate(const hw_reserve_problem *p, char *msg, size_t msg_len) {
  if (!p) return invalid(msg, msg_len, "problem", -1, "missing");
  if (p->slot_minutes < 1) return invalid(msg, msg_len, "slot_minutes", -1, "must be at least 1");
  if (!(p->miss_weight > 0)) return invalid(msg, msg_len, "miss_weight", -1, "must be positive");
  if (!(p->hold_weight >= 0)) return invalid(msg, msg_len, "hold_weight", -1, "must not be negative");
  if (p->n_cells < 0 || (p->n_cells > 0 && !p->cells)) return invalid(msg, msg_len, "cells", -1, "missing");
  if (p->n_groups < 0 || (p->n_groups > 0 && !p->group_budget)) return invalid(msg, msg_len, "group_budget", -1, "missing");
  for (int32_t c = 0; c < p->n_cells; c++) {
    const hw_reserve_cell *cell = &p->cells[c];
    if (cell->group < 0 || cell->group >= p->n_groups) return invalid(msg, msg_len, "cells", c, "group out of range");
    if (cell->max_minutes < 0) return invalid(msg, msg_len, "cells", c, "max_minutes is negative");
    if (cell->n_samples < 1 || !cell->samples) return invalid(msg, msg_len, "cells", c, "needs at least one sample");
    for (int32_t k = 0; k < cell->n_samples; k++)
      if (cell->samples[k] < 0) return invalid(msg, msg_len, "cells", c, "a sample is negative");
  }
  return 0;
}

static void build(glp_prob *lp, reserve_ctx *x) {
  const hw_reserve_problem *p = x->p;
  glp_set_obj_dir(lp, GLP_MIN);
  int budget_rows = 0;
  for (int32_t g = 0; g < p->n_groups; g++) budget_rows += p->group_budget[g] >= 0;
  glp_add_rows(lp, x->n_samples + budget_rows);
  glp_add_cols(lp, p->n_cells + x->n_samples);
  for (int32_t c = 0; c < p->n_cells; c++) {
    int j = c + 1;
    glp_set_col_kind(lp, j, GLP_IV);
    glp_set_col_bnds(lp, j, GLP_DB, 0.0, (double)(p->cells[c].max_minutes / p->slot_minutes));
    glp_set_obj_coef(lp, j, p->hold_weight * p->slot_minutes);
  }
  int row = 0, col = p->n_cells;
  for (int32_t c = 0; c < p->n_cells; c++) {
    const hw_reserve_cell *cell = &p->cells[c];
    for (int32_t k = 0; k < cell->n_samples; k++) {
      ++row, ++col;
      glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
      glp_set_obj_coef(lp, col, p->miss_weight / cell->n_samples);
      glp_set_row_bnds(lp, row, GLP_LO, (double)cell->samples[k], 0.0);
      x->ind[1] = c + 1, x->val[1] = p->slot_minutes;
      x->ind[2] = col, x->val[2] = 1.0;
      glp_set_mat_row(lp, row, 2, x->ind, x->val);
    }
  }
  for (int32_t g = 0; g < p->n_groups; g++) {
    if (p->group_budget[g] < 0) continue;
    ++row;
    int len = 0;
    for (int32_t c = 0; c < p->n_cells; c++)
      if (p->cells[c].group == g) x->ind[++len] = c + 1, x->val[len] = p->slot_minutes;
    glp_set_row_bnds(lp, row, GLP_UP, 0.0, (double)p->group_budget[g]);
    glp_set_mat_row(lp, row, len, x->ind, x->val);
  }
}

static int solve_body(void *arg) {
  reserve_ctx *x = arg;
  glp_prob *lp = glp_create_prob();
  build(lp, x);
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_ON; /* no basis yet: let glp_intopt solve the relaxation */
  iocp.mip_gap = 0.0;
  iocp.tm_lim = hw_glpk_time_left_ms(x->start_s, x->time_limit_s);
  int ret = glp_intopt(lp, &iocp);
  int status = glp_mip_status(lp), rc = 0;
  if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP) rc = HW_ESOLVER;
  else if (status != GLP_OPT && status != GLP_FEAS) rc = HW_ETIMEOUT;
  for (int32_t c = 0; rc == 0 && c < x->p->n_cells; c++) x->slots[c] = (int32_t)(glp_mip_col_val(lp, c + 1) + 0.5);
  x->optimal = rc == 0 && ret == 0 && status == GLP_OPT;
  glp_delete_prob(lp);
  return rc;
}

/* Mean demand and mean demand not held, per cell, summed. */
static void summarise(const hw_reserve_problem *p, hw_reserve_result *out) {
  for (int32_t c = 0; c < p->n_cells; c++) {
    const hw_reserve_cell *cell = &p->cells[c];
    double demand = 0, short_of = 0;
    for (int32_t k = 0; k < cell->n_samples; k++) {
      demand += cell->samples[k];
      if (cell->samples[k] > out->minutes[c]) short_of += cell->samples[k] - out->minutes[c];
    }
    out->held += out->minutes[c];
    out->expected_demand += demand / cell->n_samples;
    out->expected_uncovered += short_of / cell->n_samples;
  }
}

/* One group's cells (all of them when g < 0: a problem of one group or none)
 * solved alone into slots[] at their own indices; *optimal cleared unless GLPK
 * proved it. */
static int solve_group(const hw_reserve_problem *p, int32_t g, double start_s, double time_limit_s, int32_t *slots,
                       int *optimal) {
  hw_reserve_cell *cells = malloc(((size_t)p->n_cells + 1) * sizeof *cells);
  int32_t *index = malloc(((size_t)p->n_cells + 1) * sizeof *index), *sub_slots = NULL, n = 0, samples = 0;
  int rc = cells && index ? 0 : HW_ENOMEM;
  for (int32_t c = 0; rc == 0 && c < p->n_cells; c++)
    if (g < 0 || p->cells[c].group == g) {
      cells[n] = p->cells[c];
      cells[n].group = g < 0 ? cells[n].group : 0;
      samples += cells[n].n_samples;
      index[n++] = c;
    }
  hw_reserve_problem sub = *p;
  sub.cells = cells;
  sub.n_cells = n;
  if (g >= 0) {
    sub.group_budget = &p->group_budget[g];
    sub.n_groups = 1;
  }
  reserve_ctx x = {.p = &sub, .n_samples = samples, .start_s = start_s, .time_limit_s = time_limit_s};
  size_t width = (size_t)(n > 2 ? n : 2) + 1;
  x.ind = malloc(width * sizeof *x.ind);
  x.val = malloc(width * sizeof *x.val);
  x.slots = sub_slots = calloc((size_t)n + 1, sizeof *sub_slots);
  if (rc == 0 && (!x.ind || !x.val || !sub_slots)) rc = HW_ENOMEM;
  if (rc == 0 && n > 0) rc = hw_glpk_run(solve_body, &x);
  for (int32_t k = 0; rc == 0 && k < n; k++) slots[index[k]] = sub_slots[k];
  if (rc == 0 && n > 0 && !x.optimal) *optimal = 0;
  free(x.ind);
  free(x.val);
  free(sub_slots);
  free(cells);
  free(index);
  return rc;
}

/* Cells of different groups share no row: each group is a problem of its own,
 * and solving them apart keeps GLPK's search the size of one locality's week
 * rather than the product of all of them (six localities' at once did not
 * finish in ten minutes). */
int hw_reserve_solve(const hw_reserve_problem *p, double time_limit_s, hw_reserve_result *out) {
  int rc = hw_reserve_validate(p, NULL, 0);
  if (rc) return rc;
  hw_reserve_result_free(out);
  out->minutes = calloc((size_t)p->n_cells + 1, sizeof *out->minutes);
  if (!out->minutes) return HW_ENOMEM;
  double start_s = hw_glpk_now_s();
  int optimal = 1;
  if (p->n_groups <= 1) rc = solve_group(p, -1, start_s, time_limit_s, out->minutes, &optimal);
  for (int32_t g = 0; rc == 0 && p->n_groups > 1 && g < p->n_groups; g++)
    rc = solve_group(p, g, start_s, time_limit_s, out->minutes, &optimal);
  if (rc) {
    hw_reserve_result_free(out);
    return rc;
  }
  out->n_cells = p->n_cells;
  for (int32_t c = 0; c < p->n_cells; c++) out->minutes[c] *= p->slot_minutes;
  out->optimal = optimal;
  summarise(p, out);
  return 0;
}
