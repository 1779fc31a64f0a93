/*
 * Scale benchmark: how the search behaves on care-sized problems.
 *
 *   bench_scale [--sizes 500,1000,2000,5000] [--times 10,60] [--seed N] [--inserts N]
 *
 * For each size n it generates a random care-like instance (reproducible from the
 * seed): n visits in a 10 km square (a town) with 15, 20, 30 or 45 minute services and one-to-three
 * hour windows between 07:00 and 22:00, 10 % double-handed, 20 % needing one of
 * four skills, priorities 0-3; n/10 workers starting from 20 offices on early
 * (07:00-15:30) or late (13:30-22:00) shifts with a 30-minute break, each holding
 * every skill with probability 0.4; travel at 30 km/h with a 1.3 detour factor;
 * the roster objective. It then reports
 *   - construction: the time of a solve limited to one iteration (regret or
 *     granular insertion, then one local search) and its objective;
 *   - for each time limit: objective, visits unassigned, iterations and
 *     iterations per second;
 *   - peak RSS so far (getrusage);
 *   - on the 2,000-visit instance (or the nearest size run), the latency of
 *     hw_insert_jobs: p50 / p99 over single-visit insertions (each takes one routed
 *     visit out of the best solution and inserts it back).
 * Every solution goes through hw_check; the run exits 1 if one is infeasible.
 */
#include <getopt.h>
#include <math.h>
#include <sys/resource.h>

#include "hw_bench.h"

#define MAX_SIZES 8
#define MAX_TIMES 4
#define N_OFFICES 20

typedef struct opts {
  int32_t sizes[MAX_SIZES];
  int n_sizes;
  double times[MAX_TIMES];
  int n_times;
  uint64_t seed;
  int inserts;
} opts;

static uint64_t rng_next(uint64_t *s) {
  *s += 0x9e3779b97f4a7c15ULL;
  uint64_t z = *s;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int32_t rng_below(uint64_t *s, int32_t n) { return (int32_t)(rng_next(s) % (uint64_t)n); }

/* Fills p with the instance described at the top of this file. */
static int generate(hw_problem *p, int32_t n, uint64_t seed) {
  int32_t n_res = n / 10 > 1 ? n / 10 : 1, n_loc = n + N_OFFICES;
  hw_problem_init(p);
  int rc = hw_problem_alloc(p, n_loc, 1, n_res, n, 0);
  if (rc) return rc;
  snprintf(p->name, sizeof p->name, "care-%d", n);
  p->objective = HW_OBJ_ROSTER;
  uint64_t s = seed * 7919 + (uint64_t)n;
  double *x = malloc((size_t)n_loc * sizeof(double)), *y = malloc((size_t)n_loc * sizeof(double));
  if (!x || !y) {
    free(x);
    free(y);
    return HW_ENOMEM;
  }
  for (int32_t l = 0; l < n_loc; l++) {
    x[l] = (double)rng_below(&s, 10000);
    y[l] = (double)rng_below(&s, 10000);
  }
  for (int32_t a = 0; a < n_loc; a++)
    for (int32_t b = 0; b < n_loc; b++) {
      double d = hypot(x[a] - x[b], y[a] - y[b]) * 1.3 / (30000.0 / 3600.0);
      p->durations[0][(size_t)a * (size_t)n_loc + (size_t)b] = (hw_tick)ceil(d);
    }
  free(x);
  free(y);
  const hw_tick hour = 3600;
  for (int32_t r = 0; r < n_res; r++) {
    hw_resource *w = &p->resources[r];
    w->id = r + 1;
    w->start_loc = w->end_loc = n + rng_below(&s, N_OFFICES);
    int late = rng_below(&s, 2);
    w->shift.start = late ? 13 * hour + hour / 2 : 7 * hour;
    w->shift.end = w->shift.start + 8 * hour + hour / 2;
    w->n_breaks = 1;
    w->breaks[0].id = 1;
    w->breaks[0].window.start = w->shift.start + 3 * hour;
    w->breaks[0].window.end = w->shift.start + 5 * hour;
    w->breaks[0].duration = hour / 2;
    for (int k = 0; k < 4; k++)
      if (rng_below(&s, 10) < 4) w->skills |= (hw_skillset)1 << k;
  }
  p->resources[0].skills = 0xf; /* every skill is held by someone */
  for (int32_t j = 0; j < n; j++) {
    hw_job *v = &p->jobs[j];
    v->id = j + 1;
    v->loc = j;
    static const hw_tick minutes[4] = {15, 20, 30, 45};
    v->service = minutes[rng_below(&s, 4)] * 60;
    hw_tick start = 7 * hour + rng_below(&s, 14 * hour);
    v->windows[0].start = start;
    v->windows[0].end = start + (1 + rng_below(&s, 3)) * hour;
    if (v->windows[0].end > 22 * hour - v->service) v->windows[0].end = 22 * hour - v->service;
    if (v->windows[0].end < start) v->windows[0].start = v->windows[0].end;
    v->workers = rng_below(&s, 10) == 0 ? 2 : 1;
    if (rng_below(&s, 5) == 0) v->skills = (hw_skillset)1 << rng_below(&s, 4);
    v->priority = rng_below(&s, 4);
  }
  return 0;
}

static long peak_rss_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

static int check_or_report(const hw_problem *p, const hw_solution *s, const char *what) {
  hw_check_report rep;
  if (hw_check(p, s, &rep) < 0 || !rep.feasible) {
    printf("  %s: INFEASIBLE: %s\n", what, rep.messages[0]);
    return 0;
  }
  return 1;
}

/* "reason count, ..." over the unassigned visits of s. */
static void print_reasons(const hw_solution *s) {
  int32_t count[HW_UNASSIGNED_EXCLUDED + 1] = {0};
  for (int32_t k = 0; k < s->n_unassigned; k++)
    if (s->unassigned[k].reason >= 0 && s->unassigned[k].reason <= HW_UNASSIGNED_EXCLUDED) count[s->unassigned[k].reason]++;
  printf("  unassigned by reason:");
  for (int r = 0; r <= HW_UNASSIGNED_EXCLUDED; r++)
    if (count[r]) printf(" %s %d", hw_unassigned_reason_str((hw_unassigned_reason)r), count[r]);
  printf("\n");
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Takes routed single-worker visits out of s one at a time and inserts them back. */
static int insert_latency(const hw_problem *p, hw_solution *s, int count, uint64_t seed) {
  double *ms = malloc((size_t)count * sizeof(double));
  if (!ms) return 0;
  uint64_t g = seed;
  int done = 0, ok = 1, back = 0;
  for (int k = 0; k < count * 20 && done < count; k++) {
    if (s->n_routes == 0) break;
    hw_route *rt = &s->routes[rng_below(&g, s->n_routes)];
    int32_t i = 1 + rng_below(&g, rt->n_steps - 2 > 0 ? rt->n_steps - 2 : 1);
    if (i >= rt->n_steps - 1 || rt->steps[i].kind != HW_STEP_JOB) continue;
    int32_t j = rt->steps[i].index;
    if (p->jobs[j].workers != 1) continue;
    memmove(&rt->steps[i], &rt->steps[i + 1], (size_t)(rt->n_steps - i - 1) * sizeof(hw_step));
    rt->n_steps--;
    double t0 = hw_bench_now();
    int rc = hw_insert_jobs(p, s, &j, 1);
    ms[done++] = (hw_bench_now() - t0) * 1000.0;
    if (rc < 0) {
      printf("  hw_insert_jobs failed: %s\n", hw_strerror(rc));
      ok = 0;
      break;
    }
    back += rc;
  }
  if (done > 0) {
    qsort(ms, (size_t)done, sizeof *ms, cmp_double);
    printf("  hw_insert_jobs: %d single-visit insertions (%d placed back): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
           done, back, ms[done / 2], ms[(done * 99) / 100 < done ? (done * 99) / 100 : done - 1], ms[done - 1]);
    ok &= check_or_report(p, s, "after insertions");
  }
  free(ms);
  return ok;
}

static int run_size(const opts *o, int32_t n, int latency) {
  hw_problem p;
  double t0 = hw_bench_now();
  if (generate(&p, n, o->seed)) {
    printf("care-%d: out of memory\n", n);
    return 0;
  }
  int32_t pairs = 0;
  for (int32_t j = 0; j < p.n_jobs; j++) pairs += p.jobs[j].workers == 2;
  printf("care-%d: %d visits (%d double-handed), %d workers, generated in %.2f s\n", n, n, pairs, p.n_resources,
         hw_bench_now() - t0);
  int ok = 1;
  hw_solve_params prm;
  hw_solve_params_init(&prm);
  prm.seed = o->seed;
  prm.time_limit_s = 0;
  prm.max_iterations = 1;
  hw_solution s;
  hw_solution_init(&s);
  t0 = hw_bench_now();
  int rc = hw_solve(&p, &prm, &s);
  double build = hw_bench_now() - t0;
  if (rc < 0) {
    printf("  construction failed: %s\n", hw_strerror(rc));
    hw_problem_free(&p);
    return 0;
  }
  printf("  construction (+ one local search): %.2f s  objective %lld  travel %lld  unassigned %d\n", build,
         (long long)s.cost.total, (long long)s.cost.travel, s.n_unassigned);
  ok &= check_or_report(&p, &s, "construction");
  for (int k = 0; k < o->n_times; k++) {
    prm.max_iterations = 0;
    prm.time_limit_s = o->times[k];
    rc = hw_solve(&p, &prm, &s);
    if (rc < 0) {
      printf("  solve failed: %s\n", hw_strerror(rc));
      ok = 0;
      break;
    }
    printf("  %6.1f s: objective %lld  travel %lld  unassigned %d  routes %d  iterations %lld  (%.0f /s)  peak RSS %ld MB\n",
           o->times[k], (long long)s.cost.total, (long long)s.cost.travel, s.n_unassigned, s.n_routes, (long long)s.iterations,
           (double)s.iterations * 1000.0 / (double)(s.solve_ms > 0 ? s.solve_ms : 1), peak_rss_mb());
    ok &= check_or_report(&p, &s, "solve");
  }
  if (rc >= 0 && s.n_unassigned > 0) print_reasons(&s);
  if (latency && rc >= 0) ok &= insert_latency(&p, &s, o->inserts, o->seed);
  hw_solution_free(&s);
  hw_problem_free(&p);
  return ok;
}

static int parse(int argc, char **argv, opts *o) {
  static const struct option longopts[] = {{"sizes", required_argument, NULL, 'n'},
                                           {"times", required_argument, NULL, 't'},
                                           {"seed", required_argument, NULL, 's'},
                                           {"inserts", required_argument, NULL, 'i'},
                                           {NULL, 0, NULL, 0}};
  const int32_t sizes[] = {500, 1000, 2000, 5000};
  memcpy(o->sizes, sizes, sizeof sizes);
  o->n_sizes = 4;
  o->times[0] = 10;
  o->times[1] = 60;
  o->n_times = 2;
  o->seed = 1;
  o->inserts = 200;
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    char *tok, *save = NULL;
    switch (c) {
    case 'n':
      o->n_sizes = 0;
      for (tok = strtok_r(optarg, ",", &save); tok && o->n_sizes < MAX_SIZES; tok = strtok_r(NULL, ",", &save))
        o->sizes[o->n_sizes++] = atoi(tok);
      break;
    case 't':
      o->n_times = 0;
      for (tok = strtok_r(optarg, ",", &save); tok && o->n_times < MAX_TIMES; tok = strtok_r(NULL, ",", &save))
        o->times[o->n_times++] = atof(tok);
      break;
    case 's': o->seed = strtoull(optarg, NULL, 10); break;
    case 'i': o->inserts = atoi(optarg); break;
    default:
      fprintf(stderr, "usage: bench_scale [--sizes 500,1000,2000,5000] [--times 10,60] [--seed N] [--inserts N]\n");
      return -1;
    }
  }
  for (int k = 0; k < o->n_sizes; k++)
    if (o->sizes[k] < 10) return -1;
  for (int k = 0; k < o->n_times; k++)
    if (o->times[k] <= 0) return -1;
  return o->n_sizes > 0 && o->inserts >= 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  opts o;
  memset(&o, 0, sizeof o);
  hw_bench_print_command(argc, argv);
  if (parse(argc, argv, &o) < 0) {
    fprintf(stderr, "bench_scale: sizes must be >= 10, times > 0\n");
    return 2;
  }
  /* Insertion latency is measured on the size nearest to 2,000 visits. */
  int lat = 0;
  for (int k = 1; k < o.n_sizes; k++)
    if (abs(o.sizes[k] - 2000) < abs(o.sizes[lat] - 2000)) lat = k;
  printf("seed %llu, 1 thread, recombination on (it switches itself off with breaks and pairs)\n",
         (unsigned long long)o.seed);
  int ok = 1;
  for (int k = 0; k < o.n_sizes; k++) ok &= run_size(&o, o.sizes[k], k == lat);
  printf("all feasible: %s\n", ok ? "yes" : "NO");
  return ok ? 0 : 1;
}
