/*
 * Home health care quality benchmark on the Mankowska et al. (2014) instances:
 * solve each under a time limit, check it, and compare the objective
 * (travel + total tardiness + max tardiness) / 3 with the best-known value.
 *
 *   bench_hhc [--dir DIR] [--results CSV] [--time-limit S] [--threads N] [--seed N]
 *             [--no-recombination] [--instances A,B,...] [--limit N] [--family LETTERS]
 *
 * DIR defaults to /work/shared/data/hhc/mankowska2014/instances and CSV to
 * DIR/../results.csv (columns instance, family_id such as "C7", bks_cost).
 * --family ABC keeps only those families. Prints the command line, one row per
 * instance, the mean / worst gap per family A-G and a summary line. Exits 1 if any
 * solution is infeasible or fails, HW_BENCH_SKIP (77) if DIR is absent, else 0.
 */
#include <getopt.h>

#include "hw_bench.h"

#define N_FAMILIES 7

typedef struct opts {
  const char *dir, *results, *only, *families;
  int limit;
  hw_solve_params params;
} opts;

typedef struct family {
  int n;
  double sum_gap, worst, sum_time;
} family;

static int parse(int argc, char **argv, opts *o) {
  static const struct option longopts[] = {
      {"dir", required_argument, NULL, 'd'}, {"results", required_argument, NULL, 'r'},
      {"time-limit", required_argument, NULL, 't'}, {"threads", required_argument, NULL, 'j'},
      {"seed", required_argument, NULL, 's'}, {"no-recombination", no_argument, NULL, 'R'},
      {"instances", required_argument, NULL, 'i'}, {"limit", required_argument, NULL, 'n'},
      {"family", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
  o->dir = "/work/shared/data/hhc/mankowska2014/instances";
  hw_solve_params_init(&o->params);
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->dir = optarg; break;
    case 'r': o->results = optarg; break;
    case 't': o->params.time_limit_s = atof(optarg); break;
    case 'j': o->params.threads = atoi(optarg); break;
    case 's': o->params.seed = strtoull(optarg, NULL, 10); break;
    case 'R': o->params.use_recombination = 0; break;
    case 'i': o->only = optarg; break;
    case 'n': o->limit = atoi(optarg); break;
    case 'f': o->families = optarg; break;
    default:
      fprintf(stderr, "usage: bench_hhc [--dir DIR] [--results CSV] [--time-limit S] [--threads N] [--seed N]\n"
                      "                 [--no-recombination] [--instances A,B] [--limit N] [--family LETTERS]\n");
      return -1;
    }
  }
  if (o->params.time_limit_s <= 0 || o->params.threads < 1) {
    fprintf(stderr, "bench_hhc: --time-limit must be > 0 and --threads >= 1\n");
    return -1;
  }
  return 0;
}

static void print_families(const family *f) {
  for (int k = 0; k < N_FAMILIES; k++)
    if (f[k].n)
      printf("family %c: instances %d  mean gap %.2f%%  worst gap %.2f%%  mean time %.2f s\n", 'A' + k, f[k].n,
             f[k].sum_gap / f[k].n, f[k].worst, f[k].sum_time / f[k].n);
}

int main(int argc, char **argv) {
  opts o = {0};
  if (parse(argc, argv, &o) < 0) return 2;
  char results[1024], path[1024], cell[64], fam[16];
  if (o.results) snprintf(results, sizeof results, "%s", o.results);
  else snprintf(results, sizeof results, "%s/../results.csv", o.dir);
  char *names[HW_BENCH_MAX_INSTANCES];
  int n = hw_bench_list(o.dir, o.only, names, HW_BENCH_MAX_INSTANCES);
  if (n < 0 || access(o.dir, R_OK) != 0) {
    printf("bench_hhc: %s not found: skipped\n", o.dir);
    return HW_BENCH_SKIP;
  }
  hw_bench_print_command(argc, argv);
  printf("set: %s  bks: %s (bks_cost)  time limit: %.2f s  threads: %d  seed: %llu  recombination: %s\n", o.dir,
         results, o.params.time_limit_s, o.params.threads, (unsigned long long)o.params.seed,
         o.params.use_recombination ? "on" : "off");
  printf("%-26s %4s %6s %10s %10s %8s %8s %9s\n", "instance", "fam", "routes", "objective", "bks", "gap%", "time_s",
         "feasible");
  family fams[N_FAMILIES] = {{0}};
  double gaps[HW_BENCH_MAX_INSTANCES], sum_time = 0;
  int n_gaps = 0, done = 0, all_feasible = 1, failures = 0;
  for (int i = 0; i < n; i++) {
    if (hw_bench_csv_lookup(results, names[i], "family_id", fam, sizeof fam) < 0) snprintf(fam, sizeof fam, "?");
    int k = fam[0] >= 'A' && fam[0] < 'A' + N_FAMILIES ? fam[0] - 'A' : -1;
    int wanted = (!o.families || (fam[0] && strchr(o.families, fam[0]))) && (o.limit <= 0 || done < o.limit);
    if (!wanted) {
      free(names[i]);
      continue;
    }
    done++;
    snprintf(path, sizeof path, "%s/%s.txt", o.dir, names[i]);
    hw_bench_result r = hw_bench_solve(path, &o.params);
    double bks = hw_bench_csv_lookup(results, names[i], "bks_cost", cell, sizeof cell) == 0 ? atof(cell) : 0;
    if (!r.ok) {
      printf("%-26s  error: %s\n", names[i], r.error);
      failures++;
      all_feasible = 0;
      free(names[i]);
      continue;
    }
    double gap = bks > 0 ? (r.objective - bks) / bks * 100.0 : 0;
    printf("%-26s %4s %6d %10.3f %10.3f %8.2f %8.2f %9s\n", names[i], fam, r.routes, r.objective, bks, gap, r.seconds,
           r.feasible ? "yes" : "NO");
    if (!r.feasible) printf("    violation: %s\n", r.error);
    all_feasible &= r.feasible;
    sum_time += r.seconds;
    if (bks > 0) {
      gaps[n_gaps++] = gap;
      if (k >= 0) {
        if (!fams[k].n || gap > fams[k].worst) fams[k].worst = gap;
        fams[k].n++;
        fams[k].sum_gap += gap;
        fams[k].sum_time += r.seconds;
      }
    }
    free(names[i]);
  }
  print_families(fams);
  double sum = 0, worst = 0;
  for (int i = 0; i < n_gaps; i++) {
    sum += gaps[i];
    if (i == 0 || gaps[i] > worst) worst = gaps[i];
  }
  int matched = 0;
  for (int i = 0; i < n_gaps; i++) matched += gaps[i] <= 0.01;
  double mean = n_gaps ? sum / n_gaps : 0;
  printf("summary: instances %d  mean gap %.2f%%  median gap %.2f%%  worst gap %.2f%%  BKS matched (gap <= 0.01%%) %d/%d"
         "  mean time %.2f s  all feasible %s\n",
         done, mean, hw_bench_median(gaps, n_gaps), worst, matched, n_gaps, done ? sum_time / done : 0.0,
         all_feasible ? "yes" : "NO");
  return all_feasible && failures == 0 ? 0 : 1;
}
