/*
 * Solver throughput: solves per second on small instances at a fixed iteration
 * count, with one solve at a time and with two solves running in parallel (two
 * threads, each solving the whole list), as the daemon's thread pool would.
 *
 *   bench_throughput [--dir DIR] [--instances A,B,...] [--iterations N] [--rounds R]
 *
 * DIR defaults to /work/shared/data/hhc/mankowska2014/instances and the list to the
 * Mankowska A and B families (10 and 25 patients). Every solution is checked; the
 * run exits 1 if any is infeasible, HW_BENCH_SKIP (77) if DIR is absent.
 */
#include <getopt.h>
#include <pthread.h>

#include "hw_bench.h"

#define DEFAULT_LIST                                                                                     \
  "InstanzCPLEX_HCSRP_10_1,InstanzCPLEX_HCSRP_10_2,InstanzCPLEX_HCSRP_10_3,InstanzCPLEX_HCSRP_10_4,"    \
  "InstanzCPLEX_HCSRP_10_5,InstanzCPLEX_HCSRP_25_1,InstanzCPLEX_HCSRP_25_2,InstanzCPLEX_HCSRP_25_3,"    \
  "InstanzCPLEX_HCSRP_25_4,InstanzCPLEX_HCSRP_25_5"

typedef struct worker {
  pthread_t thread;
  const char *dir;
  char **names;
  int n, rounds;
  hw_solve_params params;
  int solves, infeasible;
} worker;

static void *run_worker(void *arg) {
  worker *w = arg;
  char path[1024];
  for (int round = 0; round < w->rounds; round++)
    for (int i = 0; i < w->n; i++) {
      snprintf(path, sizeof path, "%s/%s.txt", w->dir, w->names[i]);
      hw_bench_result r = hw_bench_solve(path, &w->params);
      w->solves++;
      if (!r.ok || !r.feasible) {
        fprintf(stderr, "%s: %s\n", w->names[i], r.error);
        w->infeasible++;
      }
    }
  return NULL;
}

/* Run `parallel` workers at once; prints and returns the number of bad solutions. */
static int measure(int parallel, const char *dir, char **names, int n, int rounds, const hw_solve_params *params) {
  worker w[2];
  double t0 = hw_bench_now();
  for (int k = 0; k < parallel; k++) {
    w[k] = (worker){.dir = dir, .names = names, .n = n, .rounds = rounds, .params = *params};
    pthread_create(&w[k].thread, NULL, run_worker, &w[k]);
  }
  int solves = 0, bad = 0;
  for (int k = 0; k < parallel; k++) {
    pthread_join(w[k].thread, NULL);
    solves += w[k].solves;
    bad += w[k].infeasible;
  }
  double secs = hw_bench_now() - t0;
  printf("parallel solves %d: %d solves in %.2f s = %.2f solves/s (%d infeasible or failed)\n", parallel, solves, secs,
         solves / secs, bad);
  return bad;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {{"dir", required_argument, NULL, 'd'},
                                           {"instances", required_argument, NULL, 'i'},
                                           {"iterations", required_argument, NULL, 'n'},
                                           {"rounds", required_argument, NULL, 'r'},
                                           {NULL, 0, NULL, 0}};
  const char *dir = "/work/shared/data/hhc/mankowska2014/instances", *list = DEFAULT_LIST;
  hw_solve_params params;
  hw_solve_params_init(&params);
  params.time_limit_s = 0;
  params.max_iterations = 2000;
  int rounds = 1, c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': dir = optarg; break;
    case 'i': list = optarg; break;
    case 'n': params.max_iterations = atoll(optarg); break;
    case 'r': rounds = atoi(optarg); break;
    default:
      fprintf(stderr, "usage: bench_throughput [--dir DIR] [--instances A,B] [--iterations N] [--rounds R]\n");
      return 2;
    }
  }
  if (access(dir, R_OK) != 0) {
    printf("bench_throughput: %s not found: skipped\n", dir);
    return HW_BENCH_SKIP;
  }
  if (params.max_iterations < 1 || rounds < 1) {
    fprintf(stderr, "bench_throughput: --iterations and --rounds must be >= 1\n");
    return 2;
  }
  char *names[HW_BENCH_MAX_INSTANCES];
  int n = hw_bench_list(dir, list, names, HW_BENCH_MAX_INSTANCES);
  hw_bench_print_command(argc, argv);
  printf("set: %s  instances: %d  iterations per solve: %lld  rounds: %d  solver threads per solve: 1\n", dir, n,
         (long long)params.max_iterations, rounds);
  int bad = measure(1, dir, names, n, rounds, &params);
  bad += measure(2, dir, names, n, rounds, &params);
  for (int i = 0; i < n; i++) free(names[i]);
  return bad ? 1 : 0;
}
