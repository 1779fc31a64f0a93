/*
 * Black-box tests of the data subcommands: they run the real build/homeward as a
 * user would (generate, stats, export, import) and check exit codes and output.
 */
#include "hw_test.h"

#include <jansson.h>
#include <sys/wait.h>

/* Run `homeward ARGS` through the shell; returns the exit status. */
static int run(const char *args) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s/homeward' %s", hw_test_build_dir(), args);
  int status = system(cmd);
  HW_CHECK(status != -1 && WIFEXITED(status));
  return WEXITSTATUS(status);
}

/* Run `homeward ARGS` and return its stdout (malloc'd), status in *code. */
static char *capture(const char *args, int *code) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s/homeward' %s", hw_test_build_dir(), args);
  FILE *f = popen(cmd, "r");
  HW_CHECK(f != NULL);
  size_t len = 0, cap = 1 << 16;
  char *out = malloc(cap);
  size_t got;
  while ((got = fread(out + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len < 2) out = realloc(out, cap *= 2);
  }
  out[len] = '\0';
  int status = pclose(f);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  HW_CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  HW_CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void generate_small(const char *db) {
  char args[1024];
  snprintf(args, sizeof args, "generate --seed 11 --scale small --d2a-weeks 2 --db '%s' 2>/dev/null", hw_test_path(db));
  HW_CHECK_INT(run(args), ==, 0);
}

HW_TEST(generate_twice_exports_identical_bytes) {
  generate_small("a.db");
  generate_small("b.db");
  char args[1024], a_json[512], b_json[512];
  snprintf(a_json, sizeof a_json, "%s", hw_test_path("a.json"));
  snprintf(b_json, sizeof b_json, "%s", hw_test_path("b.json"));
  snprintf(args, sizeof args, "export --db '%s' -o '%s'", hw_test_path("a.db"), a_json);
  HW_CHECK_INT(run(args), ==, 0);
  snprintf(args, sizeof args, "export --db '%s' > '%s'", hw_test_path("b.db"), b_json);
  HW_CHECK_INT(run(args), ==, 0);
  char *a = read_file(a_json), *b = read_file(b_json);
  HW_CHECK(strlen(a) > 10000);
  HW_CHECK_STR(a, b);
  json_error_t err;
  json_t *doc = json_loads(a, 0, &err);
  HW_CHECK(doc != NULL);
  json_decref(doc);
  free(a);
  free(b);
}

HW_TEST(stats_prints_one_json_object_with_the_counts) {
  generate_small("s.db");
  char args[1024];
  snprintf(args, sizeof args, "stats --db '%s'", hw_test_path("s.db"));
  int code;
  char *out = capture(args, &code);
  HW_CHECK_INT(code, ==, 0);
  json_error_t err;
  json_t *j = json_loads(out, 0, &err);
  HW_CHECK(j != NULL && json_is_object(j));
  static const char *const keys[] = {"localities", "teams", "workers", "clients", "visits_per_week",
                                     "double_handed_share", "medication_share", "referrals", "discharges",
                                     "per_locality"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) HW_CHECK(json_object_get(j, keys[i]) != NULL);
  HW_CHECK_INT(json_integer_value(json_object_get(j, "localities")), ==, 1);
  HW_CHECK_INT(json_integer_value(json_object_get(j, "referrals")), ==, 48);
  json_t *teams = json_object_get(j, "teams");
  HW_CHECK_INT(json_integer_value(json_object_get(teams, "reablement")), ==, 3);
  HW_CHECK_INT(json_integer_value(json_object_get(teams, "intensive")), ==, 2);
  HW_CHECK(json_integer_value(json_object_get(teams, "mainstream")) >= 1);
  HW_CHECK(json_integer_value(json_object_get(j, "visits_per_week")) > 48 * 7);
  HW_CHECK(json_object_get(json_object_get(j, "per_locality"), "Airdrie") != NULL);
  json_decref(j);
  free(out);
}

HW_TEST(generate_refuses_a_database_in_use) {
  generate_small("used.db");
  char args[1024];
  snprintf(args, sizeof args, "generate --seed 12 --scale small --db '%s' 2>/dev/null", hw_test_path("used.db"));
  HW_CHECK_INT(run(args), ==, 1);
}

HW_TEST(unknown_flag_exits_two) {
  HW_CHECK_INT(run("generate --db x.db --colour blue 2>/dev/null"), ==, 2);
  HW_CHECK_INT(run("stats --nope 2>/dev/null"), ==, 2);
  HW_CHECK_INT(run("export --db x.db --pretty 2>/dev/null"), ==, 2);
  HW_CHECK_INT(run("import --db x.db --kind pets f.csv 2>/dev/null"), ==, 2);
  HW_CHECK_INT(run("generate --scale huge --db x.db 2>/dev/null"), ==, 2);
  HW_CHECK_INT(run("stats 2>/dev/null"), ==, 2); /* --db missing */
}

HW_TEST(help_exits_zero) {
  HW_CHECK_INT(run("generate --help >/dev/null"), ==, 0);
  HW_CHECK_INT(run("stats --help >/dev/null"), ==, 0);
  HW_CHECK_INT(run("export --help >/dev/null"), ==, 0);
  HW_CHECK_INT(run("import --help >/dev/null"), ==, 0);
}

HW_TEST(import_bad_csv_exits_one_and_changes_nothing) {
  generate_small("i.db");
  char csv[512];
  snprintf(csv, sizeof csv, "%s", hw_test_path("bad.csv"));
  FILE *f = fopen(csv, "w");
  HW_CHECK(f != NULL);
  fputs("name,locality,lat,lon\nGood,Airdrie,55.86,-3.98\nBad,Nowhere,55.86,-3.98\n", f);
  fclose(f);
  char args[1024], stats[1024];
  snprintf(stats, sizeof stats, "stats --db '%s'", hw_test_path("i.db"));
  int code;
  char *before = capture(stats, &code);
  snprintf(args, sizeof args, "import --db '%s' '%s' 2>&1", hw_test_path("i.db"), csv);
  char *err = capture(args, &code);
  HW_CHECK_INT(code, ==, 1);
  HW_CHECK_CONTAINS(err, "row 3, column locality");
  char *after = capture(stats, &code);
  HW_CHECK_STR(before, after);
  free(before);
  free(err);
  free(after);
}

HW_TEST(import_good_csv_adds_the_rows) {
  generate_small("g.db");
  char csv[512];
  snprintf(csv, sizeof csv, "%s", hw_test_path("good.csv"));
  FILE *f = fopen(csv, "w");
  HW_CHECK(f != NULL);
  fputs("team,name,lat,lon,contracted_hours\nAirdrie Reablement 1,Amy Kelly,55.86,-3.98,30\n", f);
  fclose(f);
  char args[1024];
  snprintf(args, sizeof args, "import --db '%s' --kind workers '%s'", hw_test_path("g.db"), csv);
  int code;
  char *out = capture(args, &code);
  HW_CHECK_INT(code, ==, 0);
  HW_CHECK_CONTAINS(out, "imported 1 workers");
  free(out);
}
