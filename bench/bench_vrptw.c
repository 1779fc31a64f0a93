/*
 * VRPTW quality benchmark: solve a set of Solomon or Gehring & Homberger instances
 * under a time limit and compare with the best-known solutions.
 *
 *   bench_vrptw --objective distance|fleet [--dir DIR] [--bks CSV] [--time-limit S]
 *               [--threads N] [--seed N] [--no-recombination] [--instances A,B,...] [--limit N]
 *
 * --objective is what `homeward solve --objective` takes, and is required: distance
 * minimises total distance alone (vehicle count free within the fleet limit), the
 * objective of a distance BKS table (solomon/bks_distance.csv); fleet minimises
 * vehicles first, then distance (bks.csv). Nothing is guessed from file names.
 * DIR defaults to /work/shared/data/vrptw/solomon and CSV to DIR/bks.csv (columns
 * instance,vehicles,distance: the hierarchical BKS, fewest vehicles then distance).
 * Prints the command line and settings, one row per instance (routes, objective =
 * total distance in double precision, BKS, gap %, time, feasible per hw_check) and
 * a summary line. Exits 1 if any solution is infeasible or any instance fails,
 * HW_BENCH_SKIP (77) if DIR does not exist, else 0. Speed never fails the run.
 */
#include <getopt.h>

#include "hw_bench.h"

typedef struct opts {
  const char *dir, *bks, *only;
  int limit;
  hw_solve_params params;
} opts;

static int parse(int argc, char **argv, opts *o) {
  static const struct option longopts[] = {
      {"dir", required_argument, NULL, 'd'}, {"bks", required_argument, NULL, 'b'},
      {"time-limit", required_argument, NULL, 't'}, {"threads", required_argument, NULL, 'j'},
      {"seed", required_argument, NULL, 's'}, {"no-recombination", no_argument, NULL, 'R'},
      {"objective", required_argument, NULL, 'O'},
      {"instances", required_argument, NULL, 'i'}, {"limit", required_argument, NULL, 'n'},
      {NULL, 0, NULL, 0}};
  o->dir = "/work/shared/data/vrptw/solomon";
  hw_solve_params_init(&o->params);
  int c, objective_given = 0;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->dir = optarg; break;
    case 'b': o->bks = optarg; break;
    case 't': o->params.time_limit_s = atof(optarg); break;
    case 'j': o->params.threads = atoi(optarg); break;
    case 's': o->params.seed = strtoull(optarg, NULL, 10); break;
    case 'R': o->params.use_recombination = 0; break;
    case 'O':
      objective_given = strcmp(optarg, "distance") == 0 || strcmp(optarg, "fleet") == 0;
      o->params.reduce_fleet = strcmp(optarg, "fleet") == 0;
      if (!objective_given) {
        fprintf(stderr, "bench_vrptw: --objective: '%s' is not distance or fleet\n", optarg);
        return -1;
      }
      break;
    case 'i': o->only = optarg; break;
    case 'n': o->limit = atoi(optarg); break;
    default:
      fprintf(stderr, "usage: bench_vrptw --objective distance|fleet [--dir DIR] [--bks CSV] [--time-limit S]\n"
                      "                   [--threads N] [--seed N] [--no-recombination] [--instances A,B] [--limit N]\n");
      return -1;
    }
  }
  if (!objective_given) {
    fprintf(stderr, "bench_vrptw: give --objective distance (total distance) or fleet (vehicles, then distance)\n");
    return -1;
  }
  if (o->params.time_limit_s <= 0 || o->params.threads < 1) {
    fprintf(stderr, "bench_vrptw: --time-limit must be > 0 and --threads >= 1\n");
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  opts o = {0};
  if (parse(argc, argv, &o) < 0) return 2;
  char bks[1024], path[1024], cell[64];
  snprintf(bks, sizeof bks, "%s", o.bks ? o.bks : "");
  if (!o.bks) snprintf(bks, sizeof bks, "%s/bks.csv", o.dir);
  char *names[HW_BENCH_MAX_INSTANCES];
  int n = hw_bench_list(o.dir, o.only, names, HW_BENCH_MAX_INSTANCES);
  if (n < 0 || (o.only && access(o.dir, R_OK) != 0)) {
    printf("bench_vrptw: %s not found: skipped\n", o.dir);
    return HW_BENCH_SKIP;
  }
  if (o.limit > 0 && o.limit < n) n = o.limit;
  hw_bench_print_command(argc, argv);
  printf("objective: %s\n", o.params.reduce_fleet ? "fewest vehicles, then distance" : "distance only");
  printf("set: %s  bks: %s  time limit: %.2f s  threads: %d  seed: %llu  recombination: %s\n", o.dir, bks,
         o.params.time_limit_s, o.params.threads, (unsigned long long)o.params.seed,
         o.params.use_recombination ? "on" : "off");
  printf("%-10s %6s %12s %6s %12s %8s %8s %9s\n", "instance", "routes", "objective", "bks_v", "bks", "gap%", "time_s",
         "feasible");
  double gaps[HW_BENCH_MAX_INSTANCES], sum_gap = 0, worst = -1e300, sum_time = 0;
  int n_gaps = 0, matched = 0, all_feasible = 1, failures = 0, more_vehicles = 0;
  for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s.txt", o.dir, names[i]);
    hw_bench_result r = hw_bench_solve(path, &o.params);
    double bks_dist = 0;
    int bks_veh = 0;
    if (hw_bench_csv_lookup(bks, names[i], "distance", cell, sizeof cell) == 0) bks_dist = atof(cell);
    if (hw_bench_csv_lookup(bks, names[i], "vehicles", cell, sizeof cell) == 0) bks_veh = atoi(cell);
    if (!r.ok) {
      printf("%-10s  error: %s\n", names[i], r.error);
      failures++;
      all_feasible = 0;
      free(names[i]);
      continue;
    }
    double gap = bks_dist > 0 ? (r.objective - bks_dist) / bks_dist * 100.0 : 0;
    printf("%-10s %6d %12.2f %6d %12.2f %8.2f %8.2f %9s\n", names[i], r.routes, r.objective, bks_veh, bks_dist, gap,
           r.seconds, r.feasible ? "yes" : "NO");
    if (!r.feasible) printf("           violation: %s\n", r.error);
    all_feasible &= r.feasible;
    more_vehicles += bks_veh > 0 && r.routes > bks_veh;
    sum_time += r.seconds;
    if (bks_dist > 0) {
      gaps[n_gaps++] = gap;
      sum_gap += gap;
      if (gap > worst) worst = gap;
      matched += gap <= 0.01;
    }
    free(names[i]);
  }
  double mean = n_gaps ? sum_gap / n_gaps : 0;
  printf("summary: instances %d  mean gap %.2f%%  median gap %.2f%%  worst gap %.2f%%  BKS matched (gap <= 0.01%%) %d/%d"
         "  mean time %.2f s  all feasible %s  more vehicles than BKS %d\n",
         n, mean, hw_bench_median(gaps, n_gaps), n_gaps ? worst : 0.0, matched, n_gaps, n ? sum_time / n : 0.0,
         all_feasible ? "yes" : "NO", more_vehicles);
  return all_feasible && failures == 0 ? 0 : 1;
}
