/*
 * Black-box tests of the data subcommands: they run the real build/homeward as a
 * user would (generate, stats, export, import) and check exit codes and output.
 */
#include "hw_test.h"

#include <jansson.h>

static void generate_small(const char *db) {
  char args[1024];
  snprintf(args, sizeof args, "generate --seed 11 --scale small --d2a-weeks 2 --db '%s' 2>/dev/null", hw_test_path(db));
  HW_CHECK_INT(hw_test_homeward(args), ==, 0);
}

HW_TEST(generate_twice_exports_identical_bytes) {
  generate_small("a.db");
  generate_small("b.db");
  char args[1024], a_json[512], b_json[512];
  snprintf(a_json, sizeof a_json, "%s", hw_test_path("a.json"));
  snprintf(b_json, sizeof b_json, "%s", hw_test_path("b.json"));
  snprintf(args, sizeof args, "export --db '%s' -o '%s'", hw_test_path("a.db"), a_json);
  HW_CHECK_INT(hw_test_homeward(args), ==, 0);
  snprintf(args, sizeof args, "export --db '%s' > '%s'", hw_test_path("b.db"), b_json);
  HW_CHECK_INT(hw_test_homeward(args), ==, 0);
  char *a = hw_test_read_file(a_json), *b = hw_test_read_file(b_json);
  HW_CHECK(a && b);
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
  char *out = hw_test_homeward_output(args, &code);
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
  HW_CHECK_INT(hw_test_homeward(args), ==, 1);
}

HW_TEST(unknown_flag_exits_two) {
  HW_CHECK_INT(hw_test_homeward("generate --db x.db --colour blue 2>/dev/null"), ==, 2);
  HW_CHECK_INT(hw_test_homeward("stats --nope 2>/dev/null"), ==, 2);
  HW_CHECK_INT(hw_test_homeward("export --db x.db --pretty 2>/dev/null"), ==, 2);
  HW_CHECK_INT(hw_test_homeward("import --db x.db --kind pets f.csv 2>/dev/null"), ==, 2);
  HW_CHECK_INT(hw_test_homeward("generate --scale huge --db x.db 2>/dev/null"), ==, 2);
  HW_CHECK_INT(hw_test_homeward("stats 2>/dev/null"), ==, 2); /* --db missing */
}

HW_TEST(help_exits_zero) {
  HW_CHECK_INT(hw_test_homeward("generate --help >/dev/null"), ==, 0);
  HW_CHECK_INT(hw_test_homeward("stats --help >/dev/null"), ==, 0);
  HW_CHECK_INT(hw_test_homeward("export --help >/dev/null"), ==, 0);
  HW_CHECK_INT(hw_test_homeward("import --help >/dev/null"), ==, 0);
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
  char *before = hw_test_homeward_output(stats, &code);
  snprintf(args, sizeof args, "import --db '%s' '%s' 2>&1", hw_test_path("i.db"), csv);
  char *err = hw_test_homeward_output(args, &code);
  HW_CHECK_INT(code, ==, 1);
  HW_CHECK_CONTAINS(err, "row 3, column locality");
  char *after = hw_test_homeward_output(stats, &code);
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
  char *out = hw_test_homeward_output(args, &code);
  HW_CHECK_INT(code, ==, 0);
  HW_CHECK_CONTAINS(out, "imported 1 workers");
  free(out);
}
