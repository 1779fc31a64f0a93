/*
 * Partnership-scale solver benchmark: one generated locality day (the synthetic
 * North Lanarkshire partnership of data/hw_generate.h, visits from its care plans,
 * worker shifts with breaks, skills valid that day, medication and double-handed
 * visits, travel by mode) solved on one thread, every plan checked by hw_check.
 *
 *   bench_partnership [--localities North] [--seed 7] [--date YYYY-MM-DD]
 *                     [--limits 10,60] [--sizes 500,1000,2000,5000] [--size-limit 10]
 *                     [--threads N] [--no-recombination]
 *
 * For the chosen localities it prints, per time limit, the objective, the
 * unassigned visits by reason, travel, iterations and whether the plan is
 * feasible (travel is printed apart: the target compares unassigned
 * visits and travel, and the objective mixes both with the balance term). With
 * --sizes it also prints how cost grows with the day's size: the first n visits
 * (by client) of enough localities, with their workers scaled in proportion,
 * solved at --size-limit seconds. Peak RSS is the process's maximum.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "hw_bench.h"
#include "hw_codec.h"
#include "hw_dayplan.h"
#include "hw_generate.h"
#include "hw_visits.h"

#define MAX_LIST 16

typedef struct day_set {
  hw_worker *workers;
  int32_t n_workers;
  hw_visit *visits;
  int32_t n_visits;
} day_set;

static long peak_rss_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

static int parse_list(const char *s, double *out, int max) {
  int n = 0;
  char *copy = strdup(s), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save)) out[n++] = atof(t);
  free(copy);
  return n;
}

static hw_id team_locality(const hw_partnership *p, hw_id team_id) {
  for (int32_t i = 0; i < p->n_teams; i++)
    if (p->teams[i].id == team_id) return p->teams[i].locality_id;
  return 0;
}

static hw_id client_locality(const hw_partnership *p, hw_id client_id) {
  for (int32_t i = 0; i < p->n_clients; i++)
    if (p->clients[i].id == client_id) return p->clients[i].locality_id;
  return 0;
}

static int locality_chosen(const hw_partnership *p, hw_id loc, char names[][HW_NAME_MAX], int n_names) {
  for (int32_t i = 0; i < p->n_localities; i++)
    if (p->localities[i].id == loc)
      for (int k = 0; k < n_names; k++)
        if (strcmp(p->localities[i].name, names[k]) == 0) return 1;
  return 0;
}

/* The day's visits and workers of the chosen localities. */
static int collect_day(const hw_partnership *p, hw_date date, char names[][HW_NAME_MAX], int n_names, day_set *d) {
  memset(d, 0, sizeof *d);
  d->workers = malloc(sizeof *d->workers * (size_t)(p->n_workers + 1));
  if (!d->workers) return HW_ENOMEM;
  for (int32_t i = 0; i < p->n_workers; i++)
    if (locality_chosen(p, team_locality(p, p->workers[i].team_id), names, n_names))
      d->workers[d->n_workers++] = p->workers[i];
  for (int32_t i = 0; i < p->n_referrals; i++) {
    const hw_referral *r = &p->referrals[i];
    if (!locality_chosen(p, client_locality(p, r->client_id), names, n_names)) continue;
    hw_visit *v = NULL;
    int32_t n = 0;
    int rc = hw_visits_for_referral(r, date, date, NULL, &v, &n);
    if (rc < 0) return rc;
    hw_visit *grown = realloc(d->visits, sizeof *grown * (size_t)(d->n_visits + n + 1));
    if (!grown) {
      free(v);
      return HW_ENOMEM;
    }
    d->visits = grown;
    for (int32_t k = 0; k < n; k++) {
      v[k].id = d->n_visits + 1;
      d->visits[d->n_visits++] = v[k];
    }
    free(v);
  }
  return 0;
}

static void count_reasons(const hw_solution *s, int counts[6]) {
  memset(counts, 0, sizeof(int) * 6);
  for (int32_t u = 0; u < s->n_unassigned; u++) counts[s->unassigned[u].reason]++;
}

/* Build the day problem for the first n_visits visits and n_workers workers. */
static int build_day(const hw_partnership *p, const day_set *d, hw_date date, int32_t n_visits,
                     int32_t n_workers, hw_day_problem *dp) {
  hw_day_input in = {.date = date, .workers = d->workers, .n_workers = n_workers,
                     .absences = p->absences, .n_absences = p->n_absences,
                     .clients = p->clients, .n_clients = p->n_clients,
                     .visits = d->visits, .n_visits = n_visits, .pin_mode = HW_DAY_PIN_MARKED};
  char msg[200];
  int rc = hw_day_build(&in, dp, msg, sizeof msg);
  if (rc < 0) fprintf(stderr, "day build failed: %s\n", msg);
  return rc;
}

/* How each solve is run besides its time limit. */
typedef struct run_settings {
  uint64_t seed;
  int32_t threads;
  int32_t use_recombination;
} run_settings;

/* Solve at one limit, check, print a row. Returns 0 if feasible. */
static int solve_row(const hw_day_problem *dp, double limit, const run_settings *run, const char *label) {
  hw_solve_params params;
  hw_solve_params_init(&params);
  params.time_limit_s = limit;
  params.seed = run->seed;
  params.threads = run->threads;
  params.use_recombination = run->use_recombination;
  hw_solution s;
  hw_solution_init(&s);
  double t0 = hw_bench_now();
  int rc = hw_solve(&dp->p, &params, &s);
  double took = hw_bench_now() - t0;
  if (rc < 0) {
    printf("%-14s solve failed: %s\n", label, hw_strerror(rc));
    return 1;
  }
  hw_check_report rep;
  hw_check(&dp->p, &s, &rep);
  int reasons[6];
  count_reasons(&s, reasons);
  int32_t n_jobs = dp->p.n_jobs, unskilled = 0;
  for (int32_t i = 0; i < dp->n_input_visits; i++) unskilled += dp->visit_unskilled[i];
  printf("%-14s %6d %5d %8.1f %9lld %7d %4d/%d/%d/%d/%d/%d %9lld %10lld %8.1f %5s %6ld\n", label, n_jobs,
         dp->p.n_resources, limit, (long long)s.cost.total, s.n_unassigned + unskilled, reasons[0], reasons[1],
         reasons[2], reasons[3], reasons[4], reasons[5], (long long)s.cost.travel, (long long)s.iterations, took,
         rep.feasible ? "yes" : "NO", peak_rss_mb());
  if (!rep.feasible) printf("  checker: %s\n", rep.messages[0]);
  hw_solution_free(&s);
  return rep.feasible ? 0 : 1;
}

static void print_header(void) {
  printf("%-14s %6s %5s %8s %9s %7s %-17s %9s %10s %8s %5s %6s\n", "run", "jobs", "res", "limit_s", "cost",
         "unasg", "cap/skl/win/prt/pin/exc", "travel", "iterations", "time_s", "ok", "rss_MB");
}

int main(int argc, char **argv) {
  char names[MAX_LIST][HW_NAME_MAX] = {{0}};
  int n_names = 0;
  run_settings run = {.seed = 7, .threads = 1, .use_recombination = 1};
  double limits[MAX_LIST] = {10, 60}, sizes[MAX_LIST];
  int n_limits = 2, n_sizes = 0;
  double size_limit = 10;
  const char *date_s = "2026-01-06";
  static const struct option opts[] = {{"localities", required_argument, 0, 'l'}, {"seed", required_argument, 0, 's'},
                                        {"date", required_argument, 0, 'd'},       {"limits", required_argument, 0, 't'},
                                        {"sizes", required_argument, 0, 'n'},      {"size-limit", required_argument, 0, 'z'},
                                        {"threads", required_argument, 0, 'j'},    {"no-recombination", no_argument, 0, 'R'},
                                        {0, 0, 0, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'l': {
        char *copy = strdup(optarg), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t && n_names < MAX_LIST; t = strtok_r(NULL, ",", &save))
          snprintf(names[n_names++], HW_NAME_MAX, "%s", t);
        free(copy);
        break;
      }
      case 's': run.seed = strtoull(optarg, NULL, 10); break;
      case 'd': date_s = optarg; break;
      case 't': n_limits = parse_list(optarg, limits, MAX_LIST); break;
      case 'n': n_sizes = parse_list(optarg, sizes, MAX_LIST); break;
      case 'z': size_limit = atof(optarg); break;
      case 'j': run.threads = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
      case 'R': run.use_recombination = 0; break;
      default:
        fprintf(stderr, "usage: bench_partnership [--localities A,B] [--seed N] [--date D] [--limits 10,60] "
                        "[--sizes 500,1000,...] [--size-limit S] [--threads N] [--no-recombination]\n");
        return 2;
    }
  }
  if (n_names == 0) snprintf(names[n_names++], HW_NAME_MAX, "North");
  hw_date date;
  const char *why;
  if (hw_date_parse(date_s, &date, &why) < 0) {
    fprintf(stderr, "--date: %s\n", why);
    return 2;
  }
  hw_bench_print_command(argc, argv);
  hw_generate_options go;
  hw_generate_options_init(&go);
  go.seed = run.seed;
  go.scale = HW_SCALE_NL;
  go.start = date - 1;
  hw_partnership p;
  memset(&p, 0, sizeof p);
  if (hw_generate(&go, &p) < 0) {
    fprintf(stderr, "generate failed\n");
    return 1;
  }
  day_set d;
  if (collect_day(&p, date, names, n_names, &d) < 0) return 1;
  printf("partnership: NL seed %llu, day %s (weekday %d), localities:", (unsigned long long)run.seed, date_s,
         hw_date_weekday(date));
  for (int k = 0; k < n_names; k++) printf(" %s", names[k]);
  printf("; %d visits, %d workers; %d thread(s), recombination %s; unassigned reasons "
         "cap/skill/window/partner/pin/excluded\n",
         d.n_visits, d.n_workers, run.threads, run.use_recombination ? "on" : "off");
  int failures = 0;
  hw_day_problem dp;
  if (build_day(&p, &d, date, d.n_visits, d.n_workers, &dp) < 0) return 1;
  print_header();
  for (int i = 0; i < n_limits; i++) {
    char label[32];
    snprintf(label, sizeof label, "day@%gs", limits[i]);
    failures += solve_row(&dp, limits[i], &run, label);
  }
  hw_day_free(&dp);
  for (int i = 0; i < n_sizes; i++) {
    int32_t n = (int32_t)sizes[i];
    if (n > d.n_visits) {
      printf("size %d: only %d visits in the chosen localities (add localities)\n", n, d.n_visits);
      continue;
    }
    int32_t w = (int32_t)((int64_t)d.n_workers * n / d.n_visits) + 1;
    if (build_day(&p, &d, date, n, w, &dp) < 0) return 1;
    char label[32];
    snprintf(label, sizeof label, "size%d", n);
    failures += solve_row(&dp, size_limit, &run, label);
    hw_day_free(&dp);
  }
  printf("summary: %s; peak RSS %ld MB\n", failures ? "SOME PLANS INFEASIBLE" : "all plans feasible (hw_check)",
         peak_rss_mb());
  free(d.workers);
  free(d.visits);
  hw_partnership_free(&p);
  return failures ? 1 : 0;
}
