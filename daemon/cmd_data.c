/*
 * The data subcommands of `homeward`: generate a synthetic partnership into a new
 * database, print its counts as JSON, export it as one canonical JSON document,
 * and import workers or clients from CSV. Each parses its flags with getopt_long,
 * answers --help on stdout, and exits 0 (done), 1 (the work failed: the reason on
 * stderr) or 2 (usage error, with the usage on stderr).
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hw_cli.h"
#include "hw_codec.h"
#include "hw_csv.h"
#include "hw_error.h"
#include "hw_generate.h"
#include "hw_service.h"
#include "hw_store.h"

/* ---- Shared helpers -------------------------------------------------------------- */

static const char GENERATE_USAGE[] =
    "homeward generate --db PATH [--seed N] [--scale nl|locality|small] [--locality NAME]\n"
    "                         [--reablement-teams 2|3] [--start YYYY-MM-DD] [--d2a-weeks N]";
static const char STATS_USAGE[] = "homeward stats --db PATH";
static const char EXPORT_USAGE[] = "homeward export --db PATH [-o FILE]";
static const char IMPORT_USAGE[] = "homeward import --db PATH [--kind workers|clients|referrals] FILE.csv";

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Open an existing database read-only and load the whole partnership. */
static int load(const char *cmd, const char *path, hw_partnership *p) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "homeward %s: database %s: %s\n", cmd, path, strerror(errno));
    return HW_EIO;
  }
  hw_store *st;
  int rc = hw_cli_open_store(cmd, path, 1, &st);
  if (rc) return rc;
  rc = hw_store_load_partnership(st, p);
  if (rc) fprintf(stderr, "homeward %s: cannot read %s: %s (%s)\n", cmd, path, hw_strerror(rc), hw_store_errmsg(st));
  hw_store_close(st);
  return rc;
}

/* ---- generate ------------------------------------------------------------------------ */

static int parse_generate_flags(int argc, char **argv, hw_generate_options *o, const char **db) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},          {"seed", required_argument, NULL, 's'},
      {"scale", required_argument, NULL, 'S'},       {"locality", required_argument, NULL, 'l'},
      {"reablement-teams", required_argument, NULL, 'r'}, {"start", required_argument, NULL, 't'},
      {"d2a-weeks", required_argument, NULL, 'w'},   {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  long long v;
  const char *why = NULL;
  int c;
  hw_cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
      case 'h':
        printf("usage: %s\n\nCreate a synthetic North Lanarkshire partnership (docs/generator.md) in a new\n"
               "database. The same seed and flags always give the same partnership.\n"
               "  --scale nl        six localities, ~3,400 clients (default)\n"
               "  --scale locality  one locality at full rate (--locality, default Airdrie)\n"
               "  --scale small     one locality, 48 clients\n"
               "  --start           first day modelled (default 2026-01-05)\n"
               "  --d2a-weeks       weeks of hospital discharge requests (default 4)\n",
               GENERATE_USAGE);
        return -1;
      case 'd': *db = optarg; break;
      case 's':
        if (hw_cli_parse_long(optarg, 0, INT64_MAX, &v)) {
          hw_cli_usage_error("generate", GENERATE_USAGE, "--seed: must be a non-negative integer");
          return 2;
        }
        o->seed = (uint64_t)v;
        break;
      case 'S':
        if (hw_scale_parse(optarg, &o->scale)) {
          hw_cli_usage_error("generate", GENERATE_USAGE, "--scale: must be nl, locality or small");
          return 2;
        }
        break;
      case 'l': snprintf(o->locality, sizeof o->locality, "%s", optarg); break;
      case 'r':
        if (hw_cli_parse_long(optarg, 2, 3, &v)) {
          hw_cli_usage_error("generate", GENERATE_USAGE, "--reablement-teams: must be 2 or 3");
          return 2;
        }
        o->reablement_teams = (int32_t)v;
        break;
      case 't':
        if (hw_date_parse(optarg, &o->start, &why)) {
          hw_cli_usage_error("generate", GENERATE_USAGE, "--start: %s", why);
          return 2;
        }
        break;
      case 'w':
        if (hw_cli_parse_long(optarg, 0, 52, &v)) {
          hw_cli_usage_error("generate", GENERATE_USAGE, "--d2a-weeks: must be between 0 and 52");
          return 2;
        }
        o->d2a_weeks = (int32_t)v;
        break;
      default: return hw_cli_flag_error("generate", GENERATE_USAGE, c, argv);
    }
  }
  if (optind < argc) {
    hw_cli_usage_error("generate", GENERATE_USAGE, "unexpected argument '%s'", argv[optind]);
    return 2;
  }
  if (!**db) {
    hw_cli_usage_error("generate", GENERATE_USAGE, "--db is required");
    return 2;
  }
  if ((why = hw_generate_options_check(o))) {
    hw_cli_usage_error("generate", GENERATE_USAGE, "%s", why);
    return 2;
  }
  return 0;
}

/* 0 when the database at path is new or holds nothing yet. */
static int refuse_non_empty(hw_store *st, const char *path) {
  int64_t events = hw_store_event_count(st);
  if (events == 0) return 0;
  fprintf(stderr, "homeward generate: database %s is not empty (%lld events); give a new path\n", path,
          (long long)events);
  return HW_ECONFLICT;
}

int hw_cmd_generate(int argc, char **argv) {
  hw_generate_options o;
  hw_generate_options_init(&o);
  const char *db = "";
  int rc = parse_generate_flags(argc, argv, &o, &db);
  if (rc) return rc < 0 ? 0 : rc;

  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  hw_store *st;
  if (hw_cli_open_store("generate", db, 0, &st)) return 1;
  hw_partnership p = {0};
  rc = refuse_non_empty(st, db);
  if (!rc && (rc = hw_generate(&o, &p)) != 0) fprintf(stderr, "homeward generate: %s\n", hw_strerror(rc));
  if (!rc && (rc = hw_store_save_partnership(st, &p, "generator", (hw_time)time(NULL))) != 0)
    fprintf(stderr, "homeward generate: cannot save to %s: %s (%s)\n", db, hw_strerror(rc), hw_store_errmsg(st));
  hw_store_close(st);
  if (!rc)
    fprintf(stderr,
            "generated %s seed %llu: %d localities, %d teams, %d workers, %d clients, %d referrals, "
            "%d discharge requests into %s in %.2f s\n",
            hw_scale_name(o.scale), (unsigned long long)o.seed, (int)p.n_localities, (int)p.n_teams,
            (int)p.n_workers, (int)p.n_clients, (int)p.n_referrals, (int)p.n_discharges, db, seconds_since(&t0));
  hw_partnership_free(&p);
  return rc ? 1 : 0;
}

/* ---- stats --------------------------------------------------------------------------- */

static int parse_db_only(const char *cmd, const char *usage, const char *help, int argc, char **argv,
                         const char **db, const char **out_file) {
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"output", required_argument, NULL, 'o'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int c;
  hw_cli_reset_getopt();
  while ((c = getopt_long(argc, argv, out_file ? ":ho:" : ":h", longopts, NULL)) != -1) {
    if (c == 'h') {
      printf("usage: %s\n\n%s", usage, help);
      return -1;
    }
    if (c == 'd') *db = optarg;
    else if (c == 'o' && out_file) *out_file = optarg;
    else if (c == 'o') {
      hw_cli_usage_error(cmd, usage, "unknown flag '%s'", argv[optind - 1]);
      return 2;
    } else return hw_cli_flag_error(cmd, usage, c, argv);
  }
  if (optind < argc) {
    hw_cli_usage_error(cmd, usage, "unexpected argument '%s'", argv[optind]);
    return 2;
  }
  if (!**db) {
    hw_cli_usage_error(cmd, usage, "--db is required");
    return 2;
  }
  return 0;
}

static json_t *share(int64_t part, int64_t whole) {
  return json_real(whole ? round((double)part / (double)whole * 10000.0) / 10000.0 : 0.0);
}

/* Counts of one locality (or, with locality_id 0, the whole partnership). */
typedef struct counts {
  int64_t teams[HW_TEAM_KIND_COUNT], workers, clients, referrals, discharges, contracted_minutes;
  hw_demand demand;
} counts;

static hw_id locality_of_team(const hw_partnership *p, hw_id team) {
  return team >= 1 && team <= p->n_teams && p->teams[team - 1].id == team ? p->teams[team - 1].locality_id : 0;
}

static hw_id locality_of_client(const hw_partnership *p, hw_id client) {
  for (int32_t i = 0; i < p->n_clients; i++)
    if (p->clients[i].id == client) return p->clients[i].locality_id;
  return 0;
}

static counts count_locality(const hw_partnership *p, hw_id loc) {
  counts c;
  memset(&c, 0, sizeof c);
  for (int32_t i = 0; i < p->n_teams; i++)
    if (!loc || p->teams[i].locality_id == loc) c.teams[p->teams[i].kind]++;
  for (int32_t i = 0; i < p->n_workers; i++)
    if (!loc || locality_of_team(p, p->workers[i].team_id) == loc) {
      c.workers++;
      c.contracted_minutes += p->workers[i].contracted_minutes;
    }
  for (int32_t i = 0; i < p->n_clients; i++) c.clients += !loc || p->clients[i].locality_id == loc;
  for (int32_t i = 0; i < p->n_referrals; i++) {
    const hw_referral *r = &p->referrals[i];
    /* Clients are ordered by id, and the generator's ids equal index + 1. */
    hw_id cl = r->client_id >= 1 && r->client_id <= p->n_clients && p->clients[r->client_id - 1].id == r->client_id
                   ? p->clients[r->client_id - 1].locality_id
                   : locality_of_client(p, r->client_id);
    if (loc && cl != loc) continue;
    c.referrals++;
    hw_templates_demand(r->templates, r->n_templates, &c.demand);
  }
  for (int32_t i = 0; i < p->n_discharges; i++)
    c.discharges += !loc || locality_of_client(p, p->discharges[i].client_id) == loc;
  return c;
}

static json_t *counts_json(const counts *c) {
  json_t *teams = json_object();
  int64_t total = 0;
  for (int k = 0; k < HW_TEAM_KIND_COUNT; k++) {
    json_object_set_new(teams, hw_team_kind_name((hw_team_kind)k), json_integer(c->teams[k]));
    total += c->teams[k];
  }
  json_object_set_new(teams, "total", json_integer(total));
  json_t *j = json_object();
  json_object_set_new(j, "teams", teams);
  json_object_set_new(j, "workers", json_integer(c->workers));
  json_object_set_new(j, "clients", json_integer(c->clients));
  json_object_set_new(j, "referrals", json_integer(c->referrals));
  json_object_set_new(j, "discharges", json_integer(c->discharges));
  json_object_set_new(j, "visits_per_week", json_integer(c->demand.visits));
  json_object_set_new(j, "double_handed_share", share(c->demand.double_handed, c->demand.visits));
  json_object_set_new(j, "medication_share", share(c->demand.medication, c->demand.visits));
  json_object_set_new(j, "care_hours_per_week", json_integer(c->demand.worker_minutes / 60));
  json_object_set_new(j, "contracted_hours_per_week", json_integer(c->contracted_minutes / 60));
  return j;
}

static json_t *stats_json(const hw_partnership *p) {
  counts all = count_locality(p, 0);
  json_t *j = counts_json(&all);
  json_object_set_new(j, "localities", json_integer(p->n_localities));
  json_object_set_new(j, "absences", json_integer(p->n_absences));
  json_t *per = json_object();
  for (int32_t i = 0; i < p->n_localities; i++) {
    counts c = count_locality(p, p->localities[i].id);
    json_t *one = counts_json(&c);
    json_object_set_new(one, "population", json_integer(p->localities[i].population));
    json_object_set_new(per, p->localities[i].name, one);
  }
  json_object_set_new(j, "per_locality", per);
  return j;
}

int hw_cmd_stats(int argc, char **argv) {
  const char *db = "";
  int rc = parse_db_only("stats", STATS_USAGE,
                         "Print one JSON object of the partnership's counts: localities, teams by kind,\n"
                         "workers, clients, referrals, discharges, visits a week (double-handed counted\n"
                         "once), double-handed and medication shares of visits, and the same per locality.\n",
                         argc, argv, &db, NULL);
  if (rc) return rc < 0 ? 0 : rc;
  hw_partnership p;
  if (load("stats", db, &p)) return 1;
  json_t *j = stats_json(&p);
  char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
  json_decref(j);
  hw_partnership_free(&p);
  if (!text) {
    fprintf(stderr, "homeward stats: out of memory\n");
    return 1;
  }
  printf("%s\n", text);
  free(text);
  return 0;
}

/* ---- export --------------------------------------------------------------------------- */

static int write_text(const char *path, const char *text) {
  FILE *f = path ? fopen(path, "wb") : stdout;
  if (!f) {
    fprintf(stderr, "homeward export: cannot write %s: %s\n", path, strerror(errno));
    return 1;
  }
  int bad = fputs(text, f) < 0 || fputc('\n', f) == EOF;
  if (path) bad |= fclose(f) != 0;
  else bad |= fflush(f) != 0;
  if (bad) fprintf(stderr, "homeward export: cannot write %s: %s\n", path ? path : "stdout", strerror(errno));
  return bad;
}

int hw_cmd_export(int argc, char **argv) {
  const char *db = "", *out = NULL;
  int rc = parse_db_only("export", EXPORT_USAGE,
                         "Write the whole partnership as one canonical JSON document (sorted keys, compact):\n"
                         "the same database content always gives the same bytes. -o FILE, --output FILE\n"
                         "writes to FILE instead of stdout.\n",
                         argc, argv, &db, &out);
  if (rc) return rc < 0 ? 0 : rc;
  hw_partnership p;
  if (load("export", db, &p)) return 1;
  json_t *j = hw_partnership_to_json(&p);
  char *text = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  hw_partnership_free(&p);
  if (!text) {
    fprintf(stderr, "homeward export: out of memory\n");
    return 1;
  }
  rc = write_text(out, text);
  free(text);
  return rc;
}

/* ---- import ----------------------------------------------------------------------------- */

/* 1 when the file's first line names a "referral" column. */
static int file_has_referral_header(const char *path) {
  FILE *f = fopen(path, "r");
  char line[1024] = "";
  int yes = f && fgets(line, sizeof line, f) && strstr(line, "referral") != NULL;
  if (f) fclose(f);
  return yes;
}

static void print_csv_errors(const char *file, const hw_errors *e) {
  for (int32_t i = 0; i < e->n; i++)
    fprintf(stderr, "%s: %s%s%s\n", file, e->e[i].path, e->e[i].path[0] ? ": " : "", e->e[i].reason);
  if (e->dropped) fprintf(stderr, "%s: ... and %d more problems\n", file, (int)e->dropped);
}

/* Referrals go through the service: allocated on arrival, or waiting with why. */
static int import_referrals(const char *db, const char *file) {
  size_t len = 0;
  char *text = hw_cli_read_file(file, &len);
  if (!text) {
    fprintf(stderr, "homeward import: cannot read %s\n", file);
    return 1;
  }
  hw_referral *rows = NULL;
  int32_t *first_row = NULL;
  int32_t n = 0;
  hw_csv_report rep;
  int rc = hw_csv_parse_referrals(text, len, &rows, &first_row, &n, &rep);
  free(text);
  hw_store *st = NULL;
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_service *svc = NULL;
  hw_referral_result *res = rc == 0 ? calloc((size_t)n + 1, sizeof *res) : NULL;
  if (rc == 0 && !res) rc = HW_ENOMEM;
  if (rc == 0 && hw_cli_open_store("import", db, 0, &st)) rc = HW_EIO;
  if (rc == 0 && !(svc = hw_service_new(st, &set))) rc = HW_ENOMEM;
  if (rc == 0) {
    hw_change c = {.scope = NULL, .actor = "import", .key = "", .now = (hw_time)time(NULL), .errs = &rep.errors};
    rc = hw_service_referral_import(svc, &c, rows, n, res);
    if (rc) hw_csv_name_referral_errors(&rep.errors, first_row, n);
  }
  int32_t allocated = 0;
  for (int32_t i = 0; rc == 0 && i < n; i++) allocated += res[i].referral.status == HW_REFERRAL_ALLOCATED;
  hw_service_free(svc);
  hw_store_close(st);
  free(rows);
  free(first_row);
  free(res);
  if (rc) {
    print_csv_errors(file, &rep.errors);
    fprintf(stderr, "homeward import: nothing imported from %s (%s)\n", file, hw_strerror(rc));
    return 1;
  }
  printf("imported %d referrals from %s: %d allocated, %d waiting\n", (int)n, file, (int)allocated, (int)(n - allocated));
  return 0;
}

int hw_cmd_import(int argc, char **argv) {
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"kind", required_argument, NULL, 'k'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *db = "";
  hw_csv_kind kind = HW_CSV_AUTO;
  int c;
  hw_cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    if (c == 'h') {
      printf("usage: %s\n\nImport workers, clients or referrals from a CSV file with a header row, all or\n"
             "nothing: every problem is listed as \"row R, column NAME: reason\" and then nothing is\n"
             "stored. The kind comes from the header (a referral column: referrals; a team column:\n"
             "workers; a locality column: clients) unless --kind says. Referrals are allocated on\n"
             "arrival like those of the API. Columns: docs/generator.md and docs/api.md.\n",
             IMPORT_USAGE);
      return 0;
    }
    if (c == 'd') db = optarg;
    else if (c == 'k') {
      if (hw_csv_kind_parse(optarg, &kind)) {
        hw_cli_usage_error("import", IMPORT_USAGE, "--kind: must be workers, clients or referrals");
        return 2;
      }
    } else return hw_cli_flag_error("import", IMPORT_USAGE, c, argv);
  }
  if (!*db || optind != argc - 1) {
    hw_cli_usage_error("import", IMPORT_USAGE, !*db ? "--db is required" : "give exactly one CSV file");
    return 2;
  }
  const char *file = argv[optind];
  if (kind == HW_CSV_REFERRALS || (kind == HW_CSV_AUTO && file_has_referral_header(file)))
    return import_referrals(db, file);
  hw_store *st;
  if (hw_cli_open_store("import", db, 0, &st)) return 1;
  hw_csv_report rep;
  int rc = hw_csv_import_file(st, file, kind, "import", (hw_time)time(NULL), &rep);
  hw_store_close(st);
  if (rc) {
    print_csv_errors(file, &rep.errors);
    fprintf(stderr, "homeward import: nothing imported from %s (%s)\n", file, hw_strerror(rc));
    return 1;
  }
  printf("imported %d %s from %s (%d already imported)\n", (int)rep.inserted, hw_csv_kind_name(rep.kind), file,
         (int)rep.replayed);
  return 0;
}
