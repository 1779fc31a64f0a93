/*
 * Reader of Solomon and Gehring & Homberger VRPTW instances (hw_instance.h).
 *
 * Layout: a name line, "VEHICLE", a "NUMBER CAPACITY" header, the fleet size K and
 * capacity Q, "CUSTOMER", a column header, then one row per node:
 *   id x y demand ready_time due_date service_time
 * with row 0 the depot (its window is the scheduling horizon). CRLF or LF.
 *
 * Mapping: one tick is 1/1000 of an instance time unit (time_scale 1000). Travel
 * ticks are ceil(euclid * 1000), so a schedule feasible in ticks is feasible with
 * the double-precision distances the benchmark values assume; travel costs are
 * llround(euclid * 1000) and the coordinates are kept so the checker recomputes
 * distance exactly. K vehicles (ids 1..K, start and end at the depot, shift = the
 * depot's window, capacity Q) and a fleet limit of K; job ids are customer numbers.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_instance.h"

#define SOLOMON_SCALE 1000.0
#define SOLOMON_MAX_NODES 100000

typedef struct row {
  double v[7];
  int line;
} row;

typedef struct reader {
  const char *s;    /* next unread character */
  int line;         /* number of the line last returned */
  char buf[512];    /* that line, trimmed */
} reader;

/* The next non-blank line, trimmed, into r->buf; 0 at the end of the text. */
static int next_line(reader *r) {
  while (*r->s) {
    const char *b = r->s, *e = b;
    while (*e && *e != '\n') e++;
    r->s = *e ? e + 1 : e;
    r->line++;
    while (b < e && isspace((unsigned char)*b)) b++;
    while (e > b && isspace((unsigned char)e[-1])) e--;
    if (e == b) continue;
    size_t n = (size_t)(e - b) < sizeof r->buf - 1 ? (size_t)(e - b) : sizeof r->buf - 1;
    memcpy(r->buf, b, n);
    r->buf[n] = '\0';
    return 1;
  }
  return 0;
}

/* Parse up to max numbers from s; returns how many, or -1 on a non-number. */
static int parse_numbers(const char *s, double *v, int max) {
  int n = 0;
  for (;;) {
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return n;
    if (n == max) return max + 1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(x)) return -1;
    v[n++] = x;
    s = end;
  }
}

static int fail(char *err, size_t err_len, int line, const char *what) {
  if (line > 0)
    snprintf(err, err_len, "line %d: %s", line, what);
  else
    snprintf(err, err_len, "%s", what);
  return HW_EINVAL;
}

static int expect_keyword(reader *r, const char *kw, char *err, size_t err_len) {
  char msg[160];
  if (!next_line(r)) {
    snprintf(msg, sizeof msg, "truncated file: expected \"%s\"", kw);
    return fail(err, err_len, r->line, msg);
  }
  if (strncmp(r->buf, kw, strlen(kw)) != 0) {
    snprintf(msg, sizeof msg, "not a Solomon instance: expected \"%s\"", kw);
    return fail(err, err_len, r->line, msg);
  }
  return 0;
}

/* Checks that one row describes a usable node. */
static int check_row(const row *rw, int index, char *err, size_t err_len) {
  char msg[160];
  const double *v = rw->v;
  if (v[0] != index) {
    snprintf(msg, sizeof msg, "customer number %g out of sequence, expected %d", v[0], index);
    return fail(err, err_len, rw->line, msg);
  }
  const char *bad = NULL;
  if (v[3] < 0 || v[3] != floor(v[3]) || v[3] > 1e9) bad = "demand must be a non-negative integer";
  else if (v[6] < 0) bad = "negative duration (service time)";
  else if (v[4] < 0) bad = "negative ready time";
  else if (v[5] < v[4]) bad = "window end (due date) before start (ready time)";
  else if (v[5] * SOLOMON_SCALE > HW_TICK_MAX / 2 || v[6] * SOLOMON_SCALE > HW_TICK_MAX / 2) bad = "time too large";
  /* Bounded so that any scaled travel time between two nodes fits an hw_tick. */
  else if (fabs(v[1]) > 1e5 || fabs(v[2]) > 1e5) bad = "coordinate too large (|x|, |y| <= 100000)";
  return bad ? fail(err, err_len, rw->line, bad) : 0;
}

static hw_tick ticks(double t) { return (hw_tick)llround(t * SOLOMON_SCALE); }

/* Fill the problem from the parsed header and rows (row 0 = depot). */
static int build(hw_problem *p, const char *name, int fleet, int capacity, const row *rows, int n_rows) {
  int32_t n = n_rows, n_jobs = n_rows - 1;
  int rc = hw_problem_alloc(p, n, 1, fleet, n_jobs, 0);
  if (rc < 0) return rc;
  if (!p->costs[0]) p->costs[0] = calloc((size_t)n * (size_t)n, sizeof(int64_t));
  p->x = calloc((size_t)n, sizeof(double));
  p->y = calloc((size_t)n, sizeof(double));
  if (!p->costs[0] || !p->x || !p->y) return HW_ENOMEM;
  snprintf(p->name, sizeof p->name, "%s", name);
  p->objective = HW_OBJ_DISTANCE;
  p->time_scale = SOLOMON_SCALE;
  p->max_routes = fleet;
  for (int32_t i = 0; i < n; i++) {
    p->x[i] = rows[i].v[1];
    p->y[i] = rows[i].v[2];
  }
  for (int32_t a = 0; a < n; a++)
    for (int32_t b = 0; b < n; b++) {
      double d = hypot(p->x[a] - p->x[b], p->y[a] - p->y[b]) * SOLOMON_SCALE;
      size_t k = (size_t)a * (size_t)n + (size_t)b;
      /* The epsilon keeps exact products (integer distances) from rounding up. */
      p->durations[0][k] = (hw_tick)ceil(d - 1e-7);
      p->costs[0][k] = llround(d);
    }
  for (int32_t k = 0; k < fleet; k++) {
    hw_resource *res = &p->resources[k];
    res->id = k + 1;
    res->start_loc = 0;
    res->end_loc = 0;
    res->shift.start = ticks(rows[0].v[4]);
    res->shift.end = ticks(rows[0].v[5]);
    res->capacity = capacity;
  }
  for (int32_t i = 1; i < n; i++) {
    hw_job *j = &p->jobs[i - 1];
    j->id = (int64_t)rows[i].v[0];
    j->loc = i;
    j->demand = (int32_t)rows[i].v[3];
    j->windows[0].start = ticks(rows[i].v[4]);
    j->windows[0].end = ticks(rows[i].v[5]);
    j->service = ticks(rows[i].v[6]);
  }
  return 0;
}

static int read_header(reader *r, char *name, size_t name_len, int *fleet, int *capacity, char *err,
                       size_t err_len) {
  if (!next_line(r)) return fail(err, err_len, 0, "empty file");
  snprintf(name, name_len, "%.*s", (int)strcspn(r->buf, " \t"), r->buf);
  int rc = expect_keyword(r, "VEHICLE", err, err_len);
  if (rc == 0) rc = expect_keyword(r, "NUMBER", err, err_len);
  if (rc < 0) return rc;
  if (!next_line(r)) return fail(err, err_len, r->line, "truncated file: expected vehicle number and capacity");
  double v[2];
  if (parse_numbers(r->buf, v, 2) != 2)
    return fail(err, err_len, r->line, "expected two numbers: vehicle number and capacity");
  if (v[0] < 1 || v[0] > 100000 || v[0] != floor(v[0]))
    return fail(err, err_len, r->line, "vehicle number must be a positive integer");
  if (v[1] < 0 || v[1] > 1e9 || v[1] != floor(v[1]))
    return fail(err, err_len, r->line, "capacity must be a non-negative integer");
  *fleet = (int)v[0];
  *capacity = (int)v[1];
  rc = expect_keyword(r, "CUSTOMER", err, err_len);
  if (rc == 0) rc = expect_keyword(r, "CUST", err, err_len);
  return rc;
}

static int read_rows(reader *r, row **out, int *n_out, char *err, size_t err_len) {
  int n = 0, cap = 128;
  row *rows = malloc((size_t)cap * sizeof *rows);
  if (!rows) return HW_ENOMEM;
  int rc = 0;
  while (rc == 0 && next_line(r)) {
    if (n == SOLOMON_MAX_NODES) {
      rc = fail(err, err_len, r->line, "too many customers");
      break;
    }
    if (n == cap) {
      row *nr = realloc(rows, (size_t)cap * 2 * sizeof *rows);
      if (!nr) {
        rc = HW_ENOMEM;
        break;
      }
      rows = nr;
      cap *= 2;
    }
    int got = parse_numbers(r->buf, rows[n].v, 7);
    if (got != 7) {
      char msg[160];
      if (got < 0)
        snprintf(msg, sizeof msg, "expected 7 numbers (id x y demand ready due service), found text");
      else
        snprintf(msg, sizeof msg, "expected 7 numbers (id x y demand ready due service), found %s",
                 got > 7 ? "more" : got == 0 ? "none" : "fewer");
      rc = fail(err, err_len, r->line, msg);
      break;
    }
    rows[n].line = r->line;
    rc = check_row(&rows[n], n, err, err_len);
    n++;
  }
  if (rc == 0 && n < 2) rc = fail(err, err_len, r->line, "truncated file: expected the depot and at least one customer");
  if (rc < 0) {
    free(rows);
    return rc;
  }
  *out = rows;
  *n_out = n;
  return 0;
}

int hw_instance_read_solomon(const char *buf, size_t len, hw_problem *out, char *err, size_t err_len) {
  (void)len;
  hw_problem_free(out);
  reader r = {.s = buf, .line = 0};
  char name[64];
  int fleet = 0, capacity = 0, n_rows = 0;
  row *rows = NULL;
  int rc = read_header(&r, name, sizeof name, &fleet, &capacity, err, err_len);
  if (rc == 0) rc = read_rows(&r, &rows, &n_rows, err, err_len);
  if (rc == 0) rc = build(out, name, fleet, capacity, rows, n_rows);
  free(rows);
  if (rc == 0) {
    char msg[200];
    rc = hw_problem_validate(out, msg, sizeof msg);
    if (rc < 0) snprintf(err, err_len, "invalid instance: %s", msg);
  } else if (rc == HW_ENOMEM) {
    snprintf(err, err_len, "out of memory");
  }
  if (rc < 0) hw_problem_free(out);
  return rc;
}
