/*
 * The scheduler's subcommands through the real program: `homeward simulate`
 * writes the report document and the chart, `homeward outcomes` prints the figures
 * of a database (the simulation's kept store included, with the report's
 * figures), and usage errors exit 2.
 */
#include <jansson.h>

#include "hw_test.h"

/* Run quietly: these cases judge by exit status and files, not by output. */
static int run(const char *args) {
  char quiet[2048];
  snprintf(quiet, sizeof quiet, "%s >/dev/null 2>&1", args);
  return hw_test_homeward(quiet);
}

HW_TEST(simulate_writes_report_and_svg) {
  char args[1024], json[256], svg[256];
  snprintf(json, sizeof json, "%s", hw_test_path("report.json"));
  snprintf(svg, sizeof svg, "%s", hw_test_path("weekly.svg"));
  snprintf(args, sizeof args, "simulate --seed 3 --weeks 2 --scale small --policy baseline --reablement-teams 2 "
                              "--plan-iterations 50 --quiet --out '%s' --svg '%s'", json, svg);
  HW_CHECK_INT(run(args), ==, 0);
  char *doc = hw_test_read_file(json), *chart = hw_test_read_file(svg);
  HW_CHECK_CONTAINS(doc, "\"weeks\"");
  HW_CHECK_CONTAINS(doc, "\"week\": 2");
  HW_CHECK_CONTAINS(doc, "\"summary\"");
  HW_CHECK_CONTAINS(doc, "\"same_day_discharge_pct\"");
  HW_CHECK_CONTAINS(chart, "</svg>");
  free(doc);
  free(chart);
}

HW_TEST(simulate_and_outcomes_usage_errors) {
  HW_CHECK_INT(run("simulate --weeks 0"), ==, 2);
  HW_CHECK_INT(run("simulate --policy greedy"), ==, 2);
  HW_CHECK_INT(run("simulate --bogus"), ==, 2);
  HW_CHECK_INT(run("simulate --help"), ==, 0);
  HW_CHECK_INT(run("outcomes"), ==, 2);
  HW_CHECK_INT(run("outcomes --db x.db --from 2026-13-01"), ==, 2);
  HW_CHECK_INT(run("outcomes --help"), ==, 0);
}

HW_TEST(outcomes_of_a_generated_database) {
  char args[1024], db[256];
  snprintf(db, sizeof db, "%s", hw_test_path("small.db"));
  snprintf(args, sizeof args, "generate --seed 2 --scale small --db '%s'", db);
  HW_CHECK_INT(run(args), ==, 0);
  snprintf(args, sizeof args, "outcomes --db '%s' --from 2026-01-05 --to 2026-02-01", db);
  int status;
  char *out = hw_test_homeward_output(args, &status);
  HW_CHECK_INT(status, ==, 0);
  HW_CHECK_CONTAINS(out, "\"occupied_bed_days\"");
  HW_CHECK_CONTAINS(out, "\"weekly_occupied_bed_days_median\"");
  HW_CHECK_CONTAINS(out, "\"from\": \"2026-01-05\"");
  free(out);
}

/* A number from a JSON document, by a path of object keys. */
static double number_at(json_t *doc, const char *a, const char *b) {
  json_t *v = json_object_get(doc, a);
  if (b) v = json_object_get(v, b);
  HW_CHECK(json_is_number(v));
  return json_number_value(v);
}

/* The simulation runs the service on its own store: kept with --db, the product's
 * own `homeward outcomes` reads the same figures from it as the report gives. */
HW_TEST(simulate_store_gives_the_reports_figures) {
  char args[1024], db[256], json[256];
  snprintf(db, sizeof db, "%s", hw_test_path("sim.db"));
  snprintf(json, sizeof json, "%s", hw_test_path("sim.json"));
  snprintf(args, sizeof args, "simulate --seed 4 --weeks 1 --scale small --plan-iterations 50 --quiet --db '%s' --out '%s'",
           db, json);
  HW_CHECK_INT(run(args), ==, 0);
  HW_CHECK_INT(run(args), ==, 1); /* the store must be new: never written over */
  snprintf(args, sizeof args, "outcomes --db '%s' --from 2026-01-05 --to 2026-01-11", db);
  int status;
  char *out = hw_test_homeward_output(args, &status);
  HW_CHECK_INT(status, ==, 0);
  json_t *figures = json_loads(out, 0, NULL), *report = json_load_file(json, 0, NULL);
  HW_CHECK(figures && report);
  HW_CHECK(number_at(figures, "d2a_requests", NULL) > 0);
  HW_CHECK(number_at(figures, "same_day_discharge_pct", NULL) == number_at(report, "summary", "same_day_discharge_pct"));
  HW_CHECK(number_at(figures, "weekly_occupied_bed_days_mean", NULL) ==
           number_at(report, "summary", "weekly_occupied_bed_days_mean"));
  HW_CHECK(number_at(figures, "unallocated_visit_hours", NULL) ==
           number_at(report, "summary", "unallocated_visit_hours_week"));
  HW_CHECK(json_is_true(json_object_get(json_object_get(report, "summary"), "figures_agree")));
  json_decref(figures);
  json_decref(report);
  free(out);
}
