/*
 * Set partitioning over a pool of routes (hw_setpart_solve in hw_solver.h).
 *
 * The search collects good routes; recombination asks which subset of them
 * covers every job exactly once at least cost. Model, with x_j binary per column
 * and, when uncovered rows are allowed, u_i in [0, 1] per row:
 *
 *   min  sum_j cost_j x_j + sum_i penalty_i u_i
 *   s.t. sum_{j covers i} x_j + d_i u_i = d_i  for every row i (u_i absent: = d_i)
 *        sum_j x_j <= max_columns              when max_columns > 0
 *        sum_{j covers i with tag t} x_j = 2 y_it   for every tag t of a row of
 *                                              demand 2 covered with several tags
 *
 * d_i is the row's demand (1, or 2 for the two halves of a double-handed visit).
 * u_i needs no integrality when d_i = 1: with x binary, u_i = 1 - sum x_j is 0 or
 * 1; for d_i = 2 it is binary (a visit half served is not served). The tag rows
 * (y binary) make the two columns that serve such a visit agree on its start.
 * glp_simplex solves the LP relaxation first (an infeasible partition is found
 * there, cheaply), then glp_intopt with its MIP presolver and clique cuts (the
 * rows are cliques of columns) solves the MIP with a zero gap under the time
 * limit. Costs are int64; GLPK works in doubles, which are exact below 2^53, so
 * they are scaled down by a power of two only when their sum could exceed 2^52.
 * The reported cost is recomputed exactly in int64 from the chosen columns.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_env.h"
#include "hw_error.h"
#include "hw_solver.h"

typedef struct hw_sp_ctx {
  const hw_setpart *sp;
  double scale;      /* multiplies every cost before it reaches GLPK */
  uint8_t *chosen;   /* caller's output */
  int *ind;          /* scratch for one column's row indices (1-based) */
  double *val;
  int *tag_row;      /* per entry of col_rows: its GLPK tag row, 0 = none */
  int n_tag_rows;
  double *start_x;   /* 1-based values of every GLPK column for sp->initial, or NULL */
  int start_given;
  double start_s;
} hw_sp_ctx;

static int32_t hw_sp_demand(const hw_setpart *sp, int32_t i) { return sp->row_demand ? sp->row_demand[i] : 1; }

static int hw_sp_validate(const hw_setpart *sp, const uint8_t *chosen, const int64_t *cost) {
  if (!sp || !chosen || !cost) return HW_EINVAL;
  if (sp->n_rows < 0 || sp->n_cols < 0 || sp->max_columns < 0) return HW_EINVAL;
  if (sp->n_cols > 0 && (!sp->col_cost || !sp->col_start)) return HW_EINVAL;
  if (sp->allow_uncovered && sp->n_rows > 0 && !sp->row_penalty) return HW_EINVAL;
  if (sp->n_cols > 0 && sp->col_start[0] != 0) return HW_EINVAL;
  for (int32_t j = 0; j < sp->n_cols; j++)
    if (sp->col_start[j + 1] < sp->col_start[j]) return HW_EINVAL;
  if (sp->n_cols > 0 && sp->col_start[sp->n_cols] > 0 && !sp->col_rows) return HW_EINVAL;
  if (sp->allow_uncovered)
    for (int32_t i = 0; i < sp->n_rows; i++)
      if (sp->row_penalty[i] < 0) return HW_EINVAL;
  for (int32_t i = 0; i < sp->n_rows && sp->row_demand; i++)
    if (sp->row_demand[i] != 1 && sp->row_demand[i] != 2) return HW_EINVAL;
  /* A row listed twice in one column would be a duplicate matrix entry, which
   * GLPK treats as a fatal error: reject it here instead. */
  int32_t *seen = malloc(sizeof *seen * (size_t)(sp->n_rows > 0 ? sp->n_rows : 1));
  if (!seen) return HW_ENOMEM;
  for (int32_t i = 0; i < sp->n_rows; i++) seen[i] = -1;
  int rc = 0;
  for (int32_t j = 0; j < sp->n_cols && rc == 0; j++) {
    for (int32_t e = sp->col_start[j]; e < sp->col_start[j + 1]; e++) {
      int32_t r = sp->col_rows[e];
      if (r < 0 || r >= sp->n_rows || seen[r] == j) {
        rc = HW_EINVAL;
        break;
      }
      seen[r] = j;
    }
  }
  free(seen);
  return rc;
}

/* A row fewer columns cover than it needs makes an exact partition impossible. */
static int hw_sp_has_uncoverable_row(const hw_setpart *sp) {
  if (sp->allow_uncovered) return 0;
  int32_t *covered = calloc((size_t)(sp->n_rows > 0 ? sp->n_rows : 1), sizeof *covered);
  if (!covered) return HW_ENOMEM;
  int32_t nnz = sp->n_cols > 0 ? sp->col_start[sp->n_cols] : 0;
  for (int32_t e = 0; e < nnz; e++) covered[sp->col_rows[e]]++;
  int missing = 0;
  for (int32_t i = 0; i < sp->n_rows && !missing; i++) missing = covered[i] < hw_sp_demand(sp, i);
  free(covered);
  return missing;
}

/* Tag rows: for each row of demand 2 that its columns cover with more than one
 * tag, one GLPK row per distinct tag (numbered from first_row). Fills
 * c->tag_row[e] for the entries of such rows; returns 0 or HW_ENOMEM. */
static int hw_sp_tag_rows(hw_sp_ctx *c, int first_row) {
  const hw_setpart *sp = c->sp;
  int32_t nnz = sp->n_cols > 0 ? sp->col_start[sp->n_cols] : 0;
  c->n_tag_rows = 0;
  c->tag_row = calloc((size_t)nnz + 1, sizeof *c->tag_row);
  if (!c->tag_row) return HW_ENOMEM;
  if (!sp->row_demand || !sp->entry_tag) return 0;
  int32_t *first = malloc(sizeof *first * ((size_t)sp->n_rows + 1)), *next = malloc(sizeof *next * ((size_t)nnz + 1));
  if (!first || !next) {
    free(first);
    free(next);
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < sp->n_rows; i++) first[i] = -1;
  for (int32_t e = nnz - 1; e >= 0; e--) { /* entries of each row, as a linked list */
    next[e] = first[sp->col_rows[e]];
    first[sp->col_rows[e]] = e;
  }
  for (int32_t i = 0; i < sp->n_rows; i++) {
    if (sp->row_demand[i] != 2 || first[i] < 0) continue;
    int several = 0;
    for (int32_t e = first[i]; e >= 0 && !several; e = next[e]) several = sp->entry_tag[e] != sp->entry_tag[first[i]];
    if (!several) continue;
    for (int32_t e = first[i]; e >= 0; e = next[e]) {
      if (c->tag_row[e]) continue;
      int row = first_row + c->n_tag_rows++;
      for (int32_t f = e; f >= 0; f = next[f])
        if (sp->entry_tag[f] == sp->entry_tag[e]) c->tag_row[f] = row;
    }
  }
  free(first);
  free(next);
  return 0;
}

/* Largest power-of-two divisor keeping the total cost below 2^52. */
static double hw_sp_cost_scale(const hw_setpart *sp) {
  double total = 0;
  for (int32_t j = 0; j < sp->n_cols; j++) total += fabs((double)sp->col_cost[j]);
  if (sp->allow_uncovered)
    for (int32_t i = 0; i < sp->n_rows; i++) total += (double)sp->row_penalty[i];
  double scale = 1.0;
  while (total * scale > 4503599627370496.0) scale *= 0.5;
  return scale;
}

static void hw_sp_build(glp_prob *lp, const hw_sp_ctx *c) {
  const hw_setpart *sp = c->sp;
  int has_limit = sp->max_columns > 0;
  int n_glp_rows = sp->n_rows + has_limit;
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_rows(lp, n_glp_rows + c->n_tag_rows);
  for (int32_t i = 0; i < sp->n_rows; i++) {
    double d = (double)hw_sp_demand(sp, i);
    glp_set_row_bnds(lp, i + 1, GLP_FX, d, d);
  }
  if (has_limit) glp_set_row_bnds(lp, n_glp_rows, GLP_UP, 0.0, (double)sp->max_columns);
  for (int r = 0; r < c->n_tag_rows; r++) glp_set_row_bnds(lp, n_glp_rows + 1 + r, GLP_FX, 0.0, 0.0);

  if (sp->n_cols > 0) glp_add_cols(lp, sp->n_cols);
  for (int32_t j = 0; j < sp->n_cols; j++) {
    int col = j + 1, len = 0;
    glp_set_col_kind(lp, col, GLP_BV);
    glp_set_obj_coef(lp, col, (double)sp->col_cost[j] * c->scale);
    for (int32_t e = sp->col_start[j]; e < sp->col_start[j + 1]; e++) {
      len++;
      c->ind[len] = sp->col_rows[e] + 1;
      c->val[len] = 1.0;
      if (c->tag_row[e]) {
        len++;
        c->ind[len] = c->tag_row[e];
        c->val[len] = 1.0;
      }
    }
    if (has_limit) {
      len++;
      c->ind[len] = n_glp_rows;
      c->val[len] = 1.0;
    }
    glp_set_mat_col(lp, col, len, c->ind, c->val);
  }
  if (sp->allow_uncovered && sp->n_rows > 0) {
    int first = glp_add_cols(lp, sp->n_rows);
    for (int32_t i = 0; i < sp->n_rows; i++) {
      int col = first + i;
      int32_t d = hw_sp_demand(sp, i);
      if (d == 2) glp_set_col_kind(lp, col, GLP_BV);
      else glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
      glp_set_obj_coef(lp, col, (double)sp->row_penalty[i] * c->scale);
      c->ind[1] = i + 1;
      c->val[1] = (double)d;
      glp_set_mat_col(lp, col, 1, c->ind, c->val);
    }
  }
  if (c->n_tag_rows > 0) { /* y: two columns with this tag, or none */
    int first = glp_add_cols(lp, c->n_tag_rows);
    for (int r = 0; r < c->n_tag_rows; r++) {
      glp_set_col_kind(lp, first + r, GLP_BV);
      c->ind[1] = n_glp_rows + 1 + r;
      c->val[1] = -2.0;
      glp_set_mat_col(lp, first + r, 1, c->ind, c->val);
    }
  }
}

/* The values of every GLPK column (x, then u, then y; 1-based) that sp->initial
 * implies: u_i = 1 for a row it leaves uncovered, y = 1 for a tag its two
 * columns share. Returns NULL on out of memory. */
static double *hw_sp_start_values(const hw_sp_ctx *c, int n_cols_total) {
  const hw_setpart *sp = c->sp;
  double *x = calloc((size_t)n_cols_total + 1, sizeof *x);
  int32_t *cover = calloc((size_t)sp->n_rows + 1, sizeof *cover);
  if (!x || !cover) {
    free(x);
    free(cover);
    return NULL;
  }
  int y0 = sp->n_cols + (sp->allow_uncovered ? sp->n_rows : 0); /* y of tag row r is y0 + r + 1 - first tag row */
  int first_tag_row = sp->n_rows + (sp->max_columns > 0) + 1;
  for (int32_t j = 0; j < sp->n_cols; j++) {
    if (!sp->initial[j]) continue;
    x[j + 1] = 1.0;
    for (int32_t e = sp->col_start[j]; e < sp->col_start[j + 1]; e++) {
      cover[sp->col_rows[e]]++;
      if (c->tag_row[e]) x[y0 + c->tag_row[e] - first_tag_row + 1] += 0.5;
    }
  }
  for (int32_t i = 0; i < sp->n_rows && sp->allow_uncovered; i++) x[sp->n_cols + i + 1] = cover[i] == 0;
  free(cover);
  return x;
}

/* GLPK's branch-and-bound callback: hands the initial choice over as the first
 * incumbent, so the search's best is never lost to a time limit. */
static void hw_sp_callback(glp_tree *tree, void *info) {
  hw_sp_ctx *c = info;
  if (glp_ios_reason(tree) != GLP_IHEUR || !c->start_x || c->start_given) return;
  c->start_given = 1;
  glp_ios_heur_sol(tree, c->start_x);
}

/* Map glp_intopt's outcome to 0 (an integer solution is there), or an error. */
static int hw_sp_mip_outcome(glp_prob *lp, int ret) {
  int status = glp_mip_status(lp);
  if (ret == 0 || ret == GLP_ETMLIM || ret == GLP_EMIPGAP || ret == GLP_ESTOP) {
    if (status == GLP_OPT || status == GLP_FEAS) return 0;
    if (status == GLP_NOFEAS) return HW_EINFEASIBLE;
    return ret == 0 ? HW_ESOLVER : HW_ETIMEOUT;
  }
  if (ret == GLP_ENOPFS) return HW_EINFEASIBLE;
  return HW_ESOLVER;
}

static int hw_sp_body(void *arg) {
  hw_sp_ctx *c = arg;
  const hw_setpart *sp = c->sp;
  glp_prob *lp = glp_create_prob();
  hw_sp_build(lp, c);

  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.presolve = GLP_ON;
  smcp.tm_lim = hw_glpk_time_left_ms(c->start_s, sp->time_limit_s);
  int ret = glp_simplex(lp, &smcp);
  if (ret == GLP_ENOPFS) return HW_EINFEASIBLE;
  if (ret == GLP_ETMLIM) return HW_ETIMEOUT;
  if (ret != 0) return HW_ESOLVER;
  if (glp_get_status(lp) == GLP_NOFEAS) return HW_EINFEASIBLE;

  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_ON;
  iocp.clq_cuts = GLP_ON;
  iocp.mip_gap = 0.0; /* costs are integers: stop only at a proven optimum */
  iocp.tm_lim = hw_glpk_time_left_ms(c->start_s, sp->time_limit_s);
  if (sp->initial) {
    /* The start is in the original columns: no MIP presolve (the LP above is solved). */
    c->start_x = hw_sp_start_values(c, glp_get_num_cols(lp));
    iocp.presolve = GLP_OFF;
    iocp.cb_func = hw_sp_callback;
    iocp.cb_info = c;
  }
  int rc = hw_sp_mip_outcome(lp, glp_intopt(lp, &iocp));
  if (rc != 0) return rc;
  for (int32_t j = 0; j < sp->n_cols; j++) c->chosen[j] = glp_mip_col_val(lp, j + 1) > 0.5;
  glp_delete_prob(lp);
  return 0;
}

/* The exact int64 cost of a choice, uncovered rows (covered[i] == 0) included. */
static int64_t hw_sp_exact_cost(const hw_setpart *sp, const uint8_t *chosen, const uint8_t *covered) {
  int64_t total = 0;
  for (int32_t j = 0; j < sp->n_cols; j++)
    if (chosen[j]) total += sp->col_cost[j];
  if (!sp->allow_uncovered) return total;
  for (int32_t i = 0; i < sp->n_rows; i++)
    if (!covered[i]) total += sp->row_penalty[i];
  return total;
}

/* covered[i] = 1 when the chosen columns cover row i. */
static void hw_sp_coverage(const hw_setpart *sp, const uint8_t *chosen, uint8_t *covered) {
  memset(covered, 0, (size_t)(sp->n_rows > 0 ? sp->n_rows : 1));
  for (int32_t j = 0; j < sp->n_cols; j++)
    if (chosen[j])
      for (int32_t e = sp->col_start[j]; e < sp->col_start[j + 1]; e++) covered[sp->col_rows[e]] = 1;
}

/* With no rows (and no column limit) every column stands alone: take the
 * negative-cost ones. The GLPK path needs at least one row and one column. */
static void hw_sp_solve_rowless(const hw_setpart *sp, uint8_t *chosen) {
  for (int32_t j = 0; j < sp->n_cols; j++) chosen[j] = sp->col_cost[j] < 0;
}

int hw_setpart_solve(const hw_setpart *sp, uint8_t *chosen, int64_t *cost) {
  int rc = hw_sp_validate(sp, chosen, cost);
  if (rc != 0) return rc;
  rc = hw_sp_has_uncoverable_row(sp);
  if (rc < 0) return rc;
  if (rc > 0) return HW_EINFEASIBLE;
  if (sp->n_cols > 0) memset(chosen, 0, (size_t)sp->n_cols);
  uint8_t *covered = malloc((size_t)(sp->n_rows > 0 ? sp->n_rows : 1));
  if (!covered) return HW_ENOMEM;
  if (sp->n_rows == 0 && (sp->max_columns == 0 || sp->n_cols == 0)) {
    hw_sp_solve_rowless(sp, chosen);
    hw_sp_coverage(sp, chosen, covered);
    *cost = hw_sp_exact_cost(sp, chosen, covered);
    free(covered);
    return 0;
  }

  int32_t longest = 1;
  for (int32_t j = 0; j < sp->n_cols; j++) {
    int32_t len = sp->col_start[j + 1] - sp->col_start[j];
    if (len > longest) longest = len;
  }
  hw_sp_ctx c = {.sp = sp, .scale = hw_sp_cost_scale(sp), .chosen = chosen,
                 .start_s = hw_glpk_now_s()};
  /* A column's entries: its rows, a tag row per row of demand 2, the limit row. */
  c.ind = malloc(sizeof *c.ind * (size_t)(2 * longest + 3));
  c.val = malloc(sizeof *c.val * (size_t)(2 * longest + 3));
  rc = c.ind && c.val ? hw_sp_tag_rows(&c, sp->n_rows + (sp->max_columns > 0) + 1) : HW_ENOMEM;
  if (rc == 0) rc = hw_glpk_run(hw_sp_body, &c);
  free(c.ind);
  free(c.val);
  free(c.tag_row);
  free(c.start_x);
  if (rc != 0) {
    if (sp->n_cols > 0) memset(chosen, 0, (size_t)sp->n_cols);
    free(covered);
    return rc;
  }
  hw_sp_coverage(sp, chosen, covered);
  *cost = hw_sp_exact_cost(sp, chosen, covered);
  free(covered);
  return 0;
}
