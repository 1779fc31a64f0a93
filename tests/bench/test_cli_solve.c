/*
 * `homeward solve --objective distance|fleet`: the benchmark contract of the solve
 * command. A Solomon-format instance is solved for total distance unless fleet is
 * asked for, whatever the format; the benches pass the same flag.
 *
 * The instance: a depot at (50, 50) and three customers on a line, 1 at (60, 50)
 * due by 10, 2 at (40, 50) in [30, 40], 3 at (61, 50) from 60. One vehicle must
 * go 1, 2, 3 (distance 62); two vehicles serve {1, 3} and {2} in 42. So the
 * distance objective must use two routes and the fleet objective one.
 */
#include "hw_test.h"

static const char line3[] =
    "LINE3\n\nVEHICLE\nNUMBER     CAPACITY\n  2         100\n\nCUSTOMER\n"
    "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n \n"
    "    0      50         50          0          0       1000          0\n"
    "    1      60         50          1          0         10          0\n"
    "    2      40         50          1         30         40          0\n"
    "    3      61         50          1         60       1000          0\n";

static const char *write_instance(void) {
  const char *path = hw_test_path("line3.txt");
  FILE *f = fopen(path, "w");
  HW_CHECK(f != NULL);
  fputs(line3, f);
  fclose(f);
  return path;
}

/* The summary's "routes" count of a solution document written by solve. */
static int summary_routes(const char *doc_path) {
  char *doc = hw_test_read_file(doc_path);
  HW_CHECK(doc != NULL);
  const char *summary = strstr(doc, "\"summary\"");
  HW_CHECK(summary != NULL);
  const char *at = strstr(summary, "\"routes\":");
  HW_CHECK(at != NULL);
  int routes = atoi(at + strlen("\"routes\":"));
  free(doc);
  return routes;
}

/* Solve the instance with the given objective flag ("" for none); routes used. */
static int routes_for(const char *objective_flag) {
  char args[2048], instance[512], out[512];
  snprintf(instance, sizeof instance, "%s", write_instance());
  snprintf(out, sizeof out, "%s", hw_test_path("out.json"));
  snprintf(args, sizeof args, "solve '%s' %s --iterations 300 --quiet -o '%s'", instance, objective_flag, out);
  HW_CHECK_INT(hw_test_homeward(args), ==, 0);
  return summary_routes(out);
}

HW_TEST(distance_is_the_default_objective_for_solomon) {
  HW_CHECK_INT(routes_for(""), ==, 2);
  HW_CHECK_INT(routes_for("--objective distance"), ==, 2);
}

HW_TEST(fleet_objective_uses_fewest_vehicles_first) { HW_CHECK_INT(routes_for("--objective fleet"), ==, 1); }

/* Three visits and two workers in VROOM JSON: solved exactly, proven optimal
 * and returned at once under a 60 s limit (the limit is never waited for). */
HW_TEST(tiny_instance_returns_proven_optimum_without_waiting) {
  static const char tiny[] =
      "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"time_window\":[0,36000]},"
      "{\"id\":2,\"start_index\":0,\"end_index\":0,\"time_window\":[0,36000]}],"
      "\"jobs\":[{\"id\":1,\"location_index\":1,\"service\":600,\"time_windows\":[[0,3600]]},"
      "{\"id\":2,\"location_index\":2,\"service\":600,\"time_windows\":[[0,3600]]},"
      "{\"id\":3,\"location_index\":3,\"service\":600,\"time_windows\":[[7200,9000]]}],"
      "\"matrices\":{\"car\":{\"durations\":[[0,300,400,500],[300,0,200,600],[400,200,0,700],[500,600,700,0]]}}}";
  char path[512], out[512], args[2048];
  snprintf(path, sizeof path, "%s", hw_test_path("tiny.json"));
  snprintf(out, sizeof out, "%s", hw_test_path("tiny-out.json"));
  FILE *f = fopen(path, "w");
  HW_CHECK(f != NULL);
  fputs(tiny, f);
  fclose(f);
  snprintf(args, sizeof args, "solve '%s' --time-limit 60 -o '%s' 2>&1", path, out);
  int status;
  char *log = hw_test_homeward_output(args, &status);
  HW_CHECK_INT(status, ==, 0);
  HW_CHECK_CONTAINS(log, "iterations 0");
  HW_CHECK_CONTAINS(log, "(optimal, proven by GLPK)");
  free(log);
  /* One route 0-1-2-3-0 (300 + 200 + 700 + 500 = 1700) beats two. */
  char *doc = hw_test_read_file(out);
  HW_CHECK(doc != NULL);
  HW_CHECK_CONTAINS(doc, "\"distance\": 1700");
  free(doc);
}

HW_TEST(unknown_objective_is_a_usage_error) {
  char args[1024];
  snprintf(args, sizeof args, "solve '%s' --objective vehicles --quiet 2>&1", write_instance());
  int status;
  char *out = hw_test_homeward_output(args, &status);
  HW_CHECK_INT(status, ==, 2);
  HW_CHECK_CONTAINS(out, "--objective: 'vehicles' is not distance or fleet");
  free(out);
}
