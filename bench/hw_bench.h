/*
 * Helpers shared by the solver benchmarks (bench_vrptw.c, bench_hhc.c,
 * bench_throughput.c): listing a directory of instances, looking values up in a
 * best-known-solutions CSV, solving one instance and passing the result through
 * the independent checker, and summary statistics. Header-only (static inline)
 * because every bench_*.c is a program of its own.
 */
#ifndef HW_BENCH_H
#define HW_BENCH_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw_check.h"
#include "hw_error.h"
#include "hw_instance.h"
#include "hw_solver.h"

#define HW_BENCH_SKIP 77 /* exit status when the data is absent (ctest SKIP_RETURN_CODE) */
#define HW_BENCH_MAX_INSTANCES 1024

static inline double hw_bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void hw_bench_print_command(int argc, char **argv) {
  printf("command:");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf("\n");
}

static inline int hw_bench_cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Instance names (file names without ".txt") of dir, sorted; or the comma-separated
 * `only` list when given. Returns the count (names are malloc'd), -1 if dir is absent. */
static inline int hw_bench_list(const char *dir, const char *only, char **names, int max) {
  int n = 0;
  if (only) {
    char *copy = strdup(only), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save)) names[n++] = strdup(t);
    free(copy);
    return n;
  }
  DIR *d = opendir(dir);
  if (!d) return -1;
  struct dirent *e;
  while ((e = readdir(d)) && n < max) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0) names[n++] = strndup(e->d_name, len - 4);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, hw_bench_cmp_str);
  return n;
}

/* Copy field number col (0-based) of a CSV line into out. Returns 0, or -1 if absent. */
static inline int hw_bench_csv_field(const char *line, int col, char *out, size_t out_len) {
  for (int c = 0; c < col; c++) {
    line = strchr(line, ',');
    if (!line) return -1;
    line++;
  }
  size_t n = strcspn(line, ",\r\n");
  if (n >= out_len) n = out_len - 1;
  memcpy(out, line, n);
  out[n] = '\0';
  return 0;
}

/* In the CSV at path, the value of column `column` on the row whose first column is
 * `instance`. Returns 0, or -1 when the file, the column or the row is missing. */
static inline int hw_bench_csv_lookup(const char *path, const char *instance, const char *column, char *out,
                                      size_t out_len) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[4096], cell[128];
  int col = -1, rc = -1;
  if (fgets(line, sizeof line, f))
    for (int c = 0; hw_bench_csv_field(line, c, cell, sizeof cell) == 0; c++)
      if (strcmp(cell, column) == 0) col = c;
  while (col >= 0 && rc < 0 && fgets(line, sizeof line, f))
    if (hw_bench_csv_field(line, 0, cell, sizeof cell) == 0 && strcmp(cell, instance) == 0)
      rc = hw_bench_csv_field(line, col, out, out_len);
  fclose(f);
  return rc;
}

/* The outcome of solving one instance. */
typedef struct hw_bench_result {
  int ok;          /* read and solved */
  int feasible;    /* hw_check found no violation */
  int routes;
  int unassigned;
  double objective;
  double seconds;
  long long iterations;
  char error[400]; /* when !ok, or the first violation */
} hw_bench_result;

/* Read path, solve it with params as given (params->reduce_fleet says whether
 * the fleet is minimised first: the caller chooses, nothing is guessed from the
 * instance), check the result. */
static inline hw_bench_result hw_bench_solve(const char *path, const hw_solve_params *params) {
  hw_bench_result r;
  memset(&r, 0, sizeof r);
  hw_problem p;
  hw_problem_init(&p);
  if (hw_instance_read(path, HW_FORMAT_AUTO, &p, r.error, sizeof r.error) < 0) return r;
  hw_solve_params prm = *params;
  hw_solution s;
  hw_solution_init(&s);
  double t0 = hw_bench_now();
  int rc = hw_solve(&p, &prm, &s);
  r.seconds = hw_bench_now() - t0;
  hw_check_report rep;
  if (rc < 0) {
    snprintf(r.error, sizeof r.error, "solve failed: %s", hw_strerror(rc));
  } else if (hw_check(&p, &s, &rep) < 0) {
    snprintf(r.error, sizeof r.error, "check: %s", rep.messages[0]);
  } else {
    r.ok = 1;
    r.feasible = rep.feasible;
    r.objective = rep.objective;
    r.routes = s.n_routes;
    r.unassigned = s.n_unassigned;
    r.iterations = (long long)s.iterations;
    if (!rep.feasible) snprintf(r.error, sizeof r.error, "%s", rep.messages[0]);
  }
  hw_solution_free(&s);
  hw_problem_free(&p);
  return r;
}

static inline int hw_bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of n values (sorts v in place); 0 for n = 0. */
static inline double hw_bench_median(double *v, int n) {
  if (n == 0) return 0;
  qsort(v, (size_t)n, sizeof *v, hw_bench_cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
