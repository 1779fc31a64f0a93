/*
 * `homeward solve` and `homeward check`: run the solver on an instance file and
 * judge a solution document with the independent checker.
 *
 * solve reads an instance (any format of hw_instance.h), solves it under the given
 * budget for the objective asked (--objective distance, the default: the
 * instance's own objective with any number of routes; fleet: fewest routes first;
 * never guessed from the format) with progress lines on stderr, passes the result through hw_check - an
 * infeasible result is reported loudly and exits 1, still writing the document so
 * it can be inspected - and writes the solution document (stdout or -o FILE).
 * check reads an instance and a solution document, prints the recomputed objective
 * and every violation found, and exits 0 only if the solution is feasible.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_check.h"
#include "hw_cli.h"
#include "hw_error.h"
#include "hw_instance.h"
#include "hw_solver.h"

static const char solve_usage[] =
    "homeward solve INSTANCE [--format auto|solomon|mankowska|vroom|homeward] [--objective distance|fleet]\n"
    "                        [--time-limit SECONDS] [--iterations N] [--seed N] [--threads N] [--no-recombination]\n"
    "                        [-o FILE] [--quiet]";
static const char check_usage[] = "homeward check INSTANCE SOLUTION.json [--format auto|solomon|mankowska|vroom|homeward]";

/* What `solve` minimises first. distance (the default): the instance's own
 * objective (total distance for Solomon / Homberger, the Mankowska formula, the
 * roster cost), any number of routes within the fleet limit; fleet: fewest
 * routes first, then that objective (the hierarchical VRPTW ranking). */
typedef enum solve_objective { OBJECTIVE_DISTANCE = 0, OBJECTIVE_FLEET } solve_objective;

static const char *const objective_names[] = {"distance", "fleet"};

typedef struct solve_opts {
  const char *instance;
  const char *output;
  hw_instance_format format;
  solve_objective objective;
  int quiet;
  hw_solve_params params;
} solve_opts;

/* The best cost so far in instance units, as the progress line shows it. */
typedef struct progress_ctx {
  double divisor;
} progress_ctx;

static void print_progress(void *user, const hw_progress *pr) {
  const progress_ctx *pc = user;
  fprintf(stderr, "solve: %7.1fs  iterations %-10lld best %-14.3f unassigned %d\n", (double)pr->elapsed_ms / 1000.0,
          (long long)pr->iterations, (double)pr->best_cost / pc->divisor, pr->n_unassigned);
}

static int parse_number(const char *cmd, const char *usage, const char *flag, const char *arg, double lo, double hi,
                        double *out) {
  char *end;
  double v = strtod(arg, &end);
  if (end == arg || *end || !(v >= lo && v <= hi)) {
    hw_cli_usage_error(cmd, usage, "%s: '%s' is not a number in [%g, %g]", flag, arg, lo, hi);
    return -1;
  }
  *out = v;
  return 0;
}

/* Parse solve's flags; returns 0, 1 for --help (done), or 2 on a usage error. */
static int parse_solve(int argc, char **argv, solve_opts *o) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'}, {"objective", required_argument, NULL, 'O'},
      {"time-limit", required_argument, NULL, 't'}, {"iterations", required_argument, NULL, 'i'}, {"seed", required_argument, NULL, 's'},
      {"threads", required_argument, NULL, 'j'}, {"no-recombination", no_argument, NULL, 'R'},
      {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof *o);
  o->output = "-";
  hw_solve_params_init(&o->params);
  optind = 1;
  opterr = 0;
  int c, time_given = 0;
  double v;
  while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (hw_instance_format_parse(optarg, &o->format) < 0) {
        hw_cli_usage_error("solve", solve_usage, "--format: unknown format '%s'", optarg);
        return 2;
      }
      break;
    case 'O':
      if (strcmp(optarg, objective_names[OBJECTIVE_DISTANCE]) == 0) {
        o->objective = OBJECTIVE_DISTANCE;
      } else if (strcmp(optarg, objective_names[OBJECTIVE_FLEET]) == 0) {
        o->objective = OBJECTIVE_FLEET;
      } else {
        hw_cli_usage_error("solve", solve_usage, "--objective: '%s' is not distance or fleet", optarg);
        return 2;
      }
      break;
    case 't':
      if (parse_number("solve", solve_usage, "--time-limit", optarg, 0, 1e6, &v) < 0) return 2;
      o->params.time_limit_s = v;
      time_given = 1;
      break;
    case 'i':
      if (parse_number("solve", solve_usage, "--iterations", optarg, 0, 1e15, &v) < 0) return 2;
      o->params.max_iterations = (int64_t)v;
      break;
    case 's':
      if (parse_number("solve", solve_usage, "--seed", optarg, 0, 1e18, &v) < 0) return 2;
      o->params.seed = (uint64_t)v;
      break;
    case 'j':
      if (parse_number("solve", solve_usage, "--threads", optarg, 1, 256, &v) < 0) return 2;
      o->params.threads = (int32_t)v;
      break;
    case 'R': o->params.use_recombination = 0; break;
    case 'o': o->output = optarg; break;
    case 'q': o->quiet = 1; break;
    case 'h': printf("usage: %s\n", solve_usage); return 1;
    default:
      hw_cli_usage_error("solve", solve_usage, "unknown flag or missing argument: '%s'", argv[optind - 1]);
      return 2;
    }
  }
  if (optind != argc - 1) {
    hw_cli_usage_error("solve", solve_usage, optind >= argc ? "missing INSTANCE" : "too many arguments");
    return 2;
  }
  o->instance = argv[optind];
  /* An iteration cap alone is a deterministic run: no clock decides anything. */
  if (o->params.max_iterations > 0 && !time_given) o->params.time_limit_s = 0;
  return 0;
}

static void print_violations(const hw_check_report *r) {
  int kept = r->n_violations < HW_CHECK_MAX_MESSAGES ? r->n_violations : HW_CHECK_MAX_MESSAGES;
  for (int i = 0; i < kept; i++) fprintf(stderr, "  violation: %s\n", r->messages[i]);
  if (r->n_violations > kept) fprintf(stderr, "  ... and %d more\n", r->n_violations - kept);
}

static double cost_divisor(const hw_problem *p) {
  double scale = p->time_scale > 0 ? p->time_scale : 1.0;
  return p->objective == HW_OBJ_MANKOWSKA ? 3.0 * scale : scale;
}

/* Solve, check and write; the exit status of the subcommand. */
static int run_solve(const solve_opts *o, const hw_problem *p) {
  hw_solve_params params = o->params;
  progress_ctx pc = {cost_divisor(p)};
  if (!o->quiet) {
    params.progress = print_progress;
    params.progress_user = &pc;
  }
  params.reduce_fleet = o->objective == OBJECTIVE_FLEET;
  hw_solution s;
  hw_solution_init(&s);
  int rc = hw_solve(p, &params, &s);
  if (rc < 0) {
    fprintf(stderr, "homeward solve: %s: solve failed: %s\n", o->instance, hw_strerror(rc));
    return 1;
  }
  hw_check_report report;
  int status = 0;
  rc = hw_check(p, &s, &report);
  if (rc < 0 || !report.feasible) {
    fprintf(stderr, "homeward solve: %s: INFEASIBLE SOLUTION (%d violations) - this is a solver bug\n", o->instance,
            rc < 0 ? 1 : report.n_violations);
    print_violations(&report);
    status = 1;
  }
  if (rc == 0 && !o->quiet)
    fprintf(stderr,
            "solve: %s: minimising %s: objective %.4f  distance %.4f  routes %d  unassigned %d  iterations %lld  %.2fs%s\n",
            p->name, objective_names[o->objective], report.objective, report.distance, s.n_routes, s.n_unassigned,
            (long long)s.iterations, (double)s.solve_ms / 1000.0, s.proven_optimal ? "  (optimal, proven by GLPK)" : "");
  if (rc == 0 && hw_solution_write(o->output, p, &s, &report) < 0) {
    fprintf(stderr, "homeward solve: %s: cannot write the solution\n", o->output);
    status = 1;
  }
  hw_solution_free(&s);
  return status;
}

int hw_cmd_solve(int argc, char **argv) {
  solve_opts o;
  int rc = parse_solve(argc, argv, &o);
  if (rc) return rc == 1 ? 0 : rc;
  if (o.params.time_limit_s <= 0 && o.params.max_iterations <= 0) {
    hw_cli_usage_error("solve", solve_usage, "give a positive --time-limit or --iterations");
    return 2;
  }
  hw_problem p;
  hw_problem_init(&p);
  char err[512];
  if (hw_instance_read(o.instance, o.format, &p, err, sizeof err) < 0) {
    fprintf(stderr, "homeward solve: %s\n", err);
    return 1;
  }
  int status = run_solve(&o, &p);
  hw_problem_free(&p);
  return status;
}

/* ---- check ------------------------------------------------------------------ */

static void print_report(const hw_problem *p, const hw_solution *s, const hw_check_report *r) {
  printf("instance:   %s\n", p->name);
  printf("feasible:   %s\n", r->feasible ? "yes" : "no");
  printf("objective:  %.4f\n", r->objective);
  printf("distance:   %.4f\n", r->distance);
  double scale = p->time_scale > 0 ? p->time_scale : 1.0;
  printf("lateness:   %.4f (max %.4f)\n", (double)r->cost.lateness / scale, (double)r->cost.max_lateness / scale);
  printf("routes:     %d\n", s->n_routes);
  printf("unassigned: %d\n", s->n_unassigned);
  int kept = r->n_violations < HW_CHECK_MAX_MESSAGES ? r->n_violations : HW_CHECK_MAX_MESSAGES;
  for (int i = 0; i < kept; i++) printf("violation:  %s\n", r->messages[i]);
  if (r->n_violations > kept) printf("violation:  ... and %d more\n", r->n_violations - kept);
}

int hw_cmd_check(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  hw_instance_format format = HW_FORMAT_AUTO;
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c == 'h') {
      printf("usage: %s\n", check_usage);
      return 0;
    }
    if (c != 'f' || hw_instance_format_parse(optarg, &format) < 0) {
      hw_cli_usage_error("check", check_usage, "unknown flag or format: '%s'", argv[optind - 1]);
      return 2;
    }
  }
  if (optind != argc - 2) {
    hw_cli_usage_error("check", check_usage, "need INSTANCE and SOLUTION.json");
    return 2;
  }
  hw_problem p;
  hw_problem_init(&p);
  hw_solution s;
  hw_solution_init(&s);
  char err[512];
  int status = 1;
  hw_check_report r;
  if (hw_instance_read(argv[optind], format, &p, err, sizeof err) < 0 ||
      hw_solution_read(argv[optind + 1], &p, &s, err, sizeof err) < 0) {
    fprintf(stderr, "homeward check: %s\n", err);
  } else if (hw_check(&p, &s, &r) < 0) {
    fprintf(stderr, "homeward check: %s: %s\n", argv[optind + 1], r.messages[0]);
  } else {
    print_report(&p, &s, &r);
    status = r.feasible ? 0 : 1;
  }
  hw_solution_free(&s);
  hw_problem_free(&p);
  return status;
}
