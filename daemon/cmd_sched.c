/*
 * The scheduler's subcommands: `homeward simulate` runs the outcome simulation of
 * scheduler/hw_simulate.h and prints a weekly table and a summary (optionally the
 * JSON report and an SVG chart); `homeward outcomes` recomputes the outcome
 * figures of a database from its event log and prints them as JSON (by default
 * the last four full weeks, as GET /v1/outcomes does; --all for the whole log).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_answers.h"
#include "hw_cli.h"
#include "hw_codec.h"
#include "hw_error.h"
#include "hw_outcomes.h"
#include "hw_service.h"
#include "hw_simulate.h"
#include "hw_store.h"

static const char SIMULATE_USAGE[] =
    "homeward simulate [--seed N] [--weeks W] [--reablement-teams 2|3] [--policy baseline|optimized]\n"
    "                  [--scale nl|locality|small] [--out report.json] [--svg weekly.svg] [--quiet]\n"
    "                  [--explain] [--later-start 0|1] [--widen-minutes 0..240] [--retime 0|1]\n"
    "                  [--reserve-minutes 0..240]";
static const char OUTCOMES_USAGE[] = "homeward outcomes --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--all]";

static void fmt_pct(double x, char *buf, size_t len) {
  if (x < 0) snprintf(buf, len, "-");
  else snprintf(buf, len, "%.1f", hw_round1(x));
}

static void print_table(const hw_sim_options *o, const hw_sim_result *r, char **argv, int argc) {
  printf("# homeward");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf("\n# seed %llu, %d weeks, %d reablement teams per locality, policy %s, scale %s\n",
         (unsigned long long)o->seed, (int)o->weeks, (int)o->reablement_teams, hw_sim_policy_name(o->policy),
         hw_scale_name(o->scale));
  printf("%4s %9s %9s %8s %10s %11s %12s %10s %9s\n", "week", "bed_days", "same_day%", "d2a_req", "discharged",
         "independ.%", "unalloc_h", "community", "wait_d");
  for (int32_t i = 0; i < r->n_weeks; i++) {
    const hw_sim_week *w = &r->weeks[i];
    char sd[16], ind[16], wait[16];
    fmt_pct(w->same_day_discharge_pct, sd, sizeof sd);
    fmt_pct(w->reablement_independent_pct, ind, sizeof ind);
    fmt_pct(w->community_wait_days, wait, sizeof wait);
    printf("%4d %9d %9s %8d %10d %11s %12.1f %10d %9s\n", (int)w->week, (int)w->occupied_bed_days, sd,
           (int)w->d2a_requests, (int)w->discharged, ind, hw_round1(w->unallocated_visit_hours),
           (int)w->community_started, wait);
  }
  char sd[16], mean[16], med[16], ind[16], wait[16], util[16];
  fmt_pct(r->same_day_discharge_pct, sd, sizeof sd);
  fmt_pct(r->weekly_occupied_bed_days_mean, mean, sizeof mean);
  fmt_pct(r->weekly_occupied_bed_days_median, med, sizeof med);
  fmt_pct(r->reablement_independent_pct, ind, sizeof ind);
  fmt_pct(r->community_wait_days, wait, sizeof wait);
  fmt_pct(r->utilisation_pct, util, sizeof util);
  printf("summary: same-day discharge %s%%, weekly occupied bed days mean %s median %s, reablement "
         "independent %s%%, community wait %s days, reablement utilisation %s%%, %d episodes started, %d "
         "same-day D2A offers, %d capacity rounds, %.1f s\n",
         sd, mean, med, ind, wait, util, (int)r->episodes_started, (int)r->d2a_offers_today, (int)r->capacity_rounds,
         (double)r->elapsed_ms / 1000.0);
}

static int write_report(const hw_sim_result *r, const char *path) {
  json_t *j = hw_sim_result_to_json(r);
  int rc = j ? json_dump_file(j, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : -1;
  json_decref(j);
  if (rc) fprintf(stderr, "homeward simulate: cannot write %s\n", path);
  return rc ? 1 : 0;
}

static int write_svg(const hw_sim_result *r, const hw_sim_options *o, const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "homeward simulate: cannot write %s: %s\n", path, strerror(errno));
    return 1;
  }
  char title[160];
  snprintf(title, sizeof title, "Homeward simulation: %s policy, %d reablement teams per locality, seed %llu",
           hw_sim_policy_name(o->policy), (int)o->reablement_teams, (unsigned long long)o->seed);
  int rc = hw_sim_write_svg(r, title, f);
  if (fclose(f) != 0 || rc) {
    fprintf(stderr, "homeward simulate: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

int hw_cmd_simulate(int argc, char **argv) {
  static const struct option longopts[] = {
      {"seed", required_argument, 0, 's'},   {"weeks", required_argument, 0, 'w'},
      {"reablement-teams", required_argument, 0, 't'}, {"policy", required_argument, 0, 'p'},
      {"scale", required_argument, 0, 'c'},  {"out", required_argument, 0, 'o'},
      {"svg", required_argument, 0, 'g'},    {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},         {"explain", no_argument, 0, 'x'},
      {"later-start", required_argument, 0, 'L'}, {"widen-minutes", required_argument, 0, 'W'},
      {"retime", required_argument, 0, 'R'}, {"reserve-minutes", required_argument, 0, 'V'},
      {0, 0, 0, 0}};
  hw_sim_options o;
  hw_sim_options_init(&o);
  o.progress = stderr;
  const char *out = NULL, *svg = NULL;
  int explain = 0;
  long long v;
  hw_cli_reset_getopt();
  int c;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case 's':
      if (hw_cli_parse_long(optarg, 0, (long long)1 << 62, &v)) goto bad_value;
      o.seed = (uint64_t)v;
      break;
    case 'w':
      if (hw_cli_parse_long(optarg, 1, 52, &v)) goto bad_value;
      o.weeks = (int32_t)v;
      break;
    case 't':
      if (hw_cli_parse_long(optarg, 2, 3, &v)) goto bad_value;
      o.reablement_teams = (int32_t)v;
      break;
    case 'p':
      if (hw_sim_policy_parse(optarg, &o.policy)) goto bad_value;
      break;
    case 'c':
      if (hw_scale_parse(optarg, &o.scale)) goto bad_value;
      break;
    case 'o': out = optarg; break;
    case 'g': svg = optarg; break;
    case 'q': o.progress = NULL; break;
    case 'x': explain = 1; break;
    case 'L':
      if (hw_cli_parse_long(optarg, 0, 1, &v)) goto bad_value;
      o.later_start = (int32_t)v;
      break;
    case 'W':
      if (hw_cli_parse_long(optarg, 0, 240, &v)) goto bad_value;
      o.widen_minutes = (int32_t)v;
      break;
    case 'R':
      if (hw_cli_parse_long(optarg, 0, 1, &v)) goto bad_value;
      o.retime = (int32_t)v;
      break;
    case 'V':
      if (hw_cli_parse_long(optarg, 0, 240, &v)) goto bad_value;
      o.reserve_minutes = (int32_t)v;
      break;
    case 'h': printf("usage: %s\n", SIMULATE_USAGE); return 0;
    default: return hw_cli_flag_error("simulate", SIMULATE_USAGE, c, argv);
    }
  }
  if (optind < argc) {
    hw_cli_usage_error("simulate", SIMULATE_USAGE, "unexpected argument '%s'", argv[optind]);
    return 2;
  }
  hw_sim_result r;
  int rc = hw_simulate(&o, &r);
  if (rc < 0) {
    fprintf(stderr, "homeward simulate: %s\n", hw_strerror(rc));
    return 1;
  }
  print_table(&o, &r, argv, argc);
  int status = 0;
  if (explain && hw_sim_write_explain(&r, stdout) < 0) status = 1;
  if (out) status |= write_report(&r, out);
  if (svg) status |= write_svg(&r, &o, svg);
  hw_sim_result_free(&r);
  return status;
bad_value:
  hw_cli_usage_error("simulate", SIMULATE_USAGE, "bad value '%s' for %s", optarg, argv[optind - 1]);
  return 2;
}

int hw_cmd_outcomes(int argc, char **argv) {
  static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                           {"from", required_argument, 0, 'f'},
                                           {"to", required_argument, 0, 't'},
                                           {"all", no_argument, 0, 'a'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  int all = 0;
  const char *db = NULL, *why = NULL;
  hw_date from = HW_DATE_NONE, to = HW_DATE_NONE;
  hw_cli_reset_getopt();
  int c;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'f':
      if (hw_date_parse(optarg, &from, &why)) goto bad_date;
      break;
    case 't':
      if (hw_date_parse(optarg, &to, &why)) goto bad_date;
      break;
    case 'a': all = 1; break;
    case 'h': printf("usage: %s\n", OUTCOMES_USAGE); return 0;
    default: return hw_cli_flag_error("outcomes", OUTCOMES_USAGE, c, argv);
    }
  }
  if (!db || optind < argc) {
    hw_cli_usage_error("outcomes", OUTCOMES_USAGE, optind < argc ? "unexpected argument" : "--db is required");
    return 2;
  }
  if (from != HW_DATE_NONE && to != HW_DATE_NONE && from > to) {
    hw_cli_usage_error("outcomes", OUTCOMES_USAGE, "--from is after --to");
    return 2;
  }
  hw_store *st = NULL;
  int rc = hw_cli_open_store("outcomes", db, 1, &st);
  if (rc) return 1;
  hw_time now = (hw_time)time(NULL);
  if (!all) hw_service_outcome_period(hw_time_local_date(now), &from, &to); /* as GET /v1/outcomes */
  hw_outcomes o;
  hw_outcomes_init(&o);
  rc = hw_service_outcomes_replay(st, from, to, now, &o);
  hw_store_close(st);
  if (rc) {
    fprintf(stderr, "homeward outcomes: %s\n",
            rc == HW_ENOTFOUND ? "no dated records in the event log: give --from and --to" : hw_strerror(rc));
    hw_outcomes_free(&o);
    return 1;
  }
  json_t *j = hw_json_outcomes(&o);
  hw_outcomes_free(&o);
  char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(j);
  if (!text) {
    fprintf(stderr, "homeward outcomes: out of memory\n");
    return 1;
  }
  printf("%s\n", text);
  free(text);
  return 0;
bad_date:
  hw_cli_usage_error("outcomes", OUTCOMES_USAGE, "bad date '%s': %s", optarg, why);
  return 2;
}
