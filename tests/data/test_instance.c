/*
 * Tests of the instance readers and the solution document (data/instance*.c,
 * data/solution_json.c): small valid files written to a temp dir in every format
 * (LF and CRLF), the real benchmark files when /work/shared is there, each kind of
 * bad input rejected with its line or field named, and a solution written, read
 * back and checked.
 */
#include <math.h>
#include <stdio.h>

#include "hw_error.h"
#include "hw_instance.h"
#include "hw_test.h"

static const char solomon_small[] =
    "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         20\n\nCUSTOMER\n"
    "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n \n"
    "    0      0          0          0          0       1000          0\n"
    "    1      3          4          5          0        100         10\n"
    "    2      3          0          5          0        200         10\n";

static const char mankowska_small[] =
    "nbNodes\n4\nnbVehi\n2\nnbServi\n2\n"
    "r\n1 1\n1 0\n1 1\n1 1\n"
    "DS\n3\n"
    "a\n1  0\n1  1\n"
    "x\n0 3 0 0\ny\n0 4 4 0\n"
    "d\n0.0 5.0 4.0 0.0\n5.0 0.0 3.0 5.0\n4.0 3.0 0.0 4.0\n0.0 5.0 4.0 0.0\n"
    "p\n0 0\n0 0\n7.5 7.5\n7.5 7.5\n9 9\n9 9\n0 0\n0 0\n"
    "mind\n0 0 2 0\nmaxd\n0 0 6 0\n"
    "e\n0 10 20 0\nl\n600 50 60 1000\n";

static const char vroom_small[] =
    "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"capacity\":[4],\"skills\":[7],"
    "\"time_window\":[0,1000],\"breaks\":[{\"id\":9,\"time_windows\":[[100,200]],\"service\":30}]}],"
    "\"jobs\":[{\"id\":11,\"location_index\":1,\"service\":60,\"delivery\":[1],\"skills\":[7],\"priority\":5,"
    "\"time_windows\":[[0,300],[500,600]]},{\"id\":12,\"location_index\":2,\"service\":0}],"
    "\"matrices\":{\"car\":{\"durations\":[[0,10,20],[10,0,15],[20,15,0]]}}}";

static const char homeward_small[] =
    "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0},{\"id\":2,\"start_index\":0,\"end_index\":0}],"
    "\"jobs\":[{\"id\":11,\"location_index\":1,\"service\":60,\"workers\":2},"
    "{\"id\":12,\"location_index\":2,\"service\":30,\"pin\":{\"vehicle\":2,\"start\":100},\"excluded\":[1]},"
    "{\"id\":13,\"location_index\":2,\"service\":30,\"preferred\":[1]}],"
    "\"links\":[{\"first\":13,\"second\":12,\"min_gap\":0,\"max_gap\":60}],\"soft_windows\":true,"
    "\"matrices\":{\"durations\":[[0,10,20],[10,0,15],[20,15,0]]}}";

/* Write text to a temp file (with CRLF line ends when crlf) and return its path. */
static const char *write_file(const char *name, const char *text, int crlf) {
  const char *path = hw_test_path(name);
  FILE *f = fopen(path, "wb");
  HW_CHECK(f);
  for (const char *s = text; *s; s++) {
    if (crlf && *s == '\n') fputc('\r', f);
    fputc(*s, f);
  }
  fclose(f);
  return path;
}

/* Read text as the given format; expect failure with `needle` in the message. */
static void expect_reject(const char *text, hw_instance_format f, int code, const char *needle) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400] = "";
  HW_CHECK_INT(hw_instance_read_buffer(text, strlen(text), f, &p, err, sizeof err), ==, code);
  HW_CHECK_CONTAINS(err, needle);
  HW_CHECK_INT(p.n_jobs, ==, 0);
}

/* The text with the first occurrence of `from` replaced by `to` (static buffer). */
static const char *edit(const char *text, const char *from, const char *to) {
  static char buf[4096];
  const char *at = strstr(text, from);
  HW_CHECK(at);
  snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  return buf;
}

static void check_solomon_small(int crlf) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  const char *path = write_file("tiny.txt", solomon_small, crlf);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_STR(p.name, "TINY");
  HW_CHECK_INT(p.objective, ==, HW_OBJ_DISTANCE);
  HW_CHECK(p.time_scale == 1000.0);
  HW_CHECK_INT(p.n_jobs, ==, 2);
  HW_CHECK_INT(p.n_resources, ==, 2);
  HW_CHECK_INT(p.max_routes, ==, 2);
  HW_CHECK_INT(p.jobs[0].id, ==, 1);
  HW_CHECK_INT(p.jobs[1].windows[0].end, ==, 200000);
  HW_CHECK_INT(p.jobs[1].service, ==, 10000);
  HW_CHECK_INT(p.jobs[0].demand, ==, 5);
  HW_CHECK_INT(p.resources[1].id, ==, 2);
  HW_CHECK_INT(p.resources[0].capacity, ==, 20);
  HW_CHECK_INT(p.resources[0].shift.end, ==, 1000000);
  HW_CHECK_INT(hw_travel(&p, 0, 0, 1), ==, 5000);
  HW_CHECK(p.x && p.x[1] == 3.0 && p.y[1] == 4.0);
  hw_problem_free(&p);
}

HW_TEST(solomon_small_lf) { check_solomon_small(0); }

HW_TEST(solomon_small_crlf) { check_solomon_small(1); }

HW_TEST(solomon_travel_rounds_up) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  const char *text = edit(solomon_small, "    2      3          0", "    2      1          1");
  HW_CHECK_INT(hw_instance_read_buffer(text, strlen(text), HW_FORMAT_SOLOMON, &p, err, sizeof err), ==, 0);
  /* sqrt(2) * 1000 = 1414.21...: ticks round up, costs to nearest. */
  HW_CHECK_INT(hw_travel(&p, 0, 0, 2), ==, 1415);
  HW_CHECK_INT(hw_travel_cost(&p, 0, 0, 2), ==, 1414);
  hw_problem_free(&p);
}

HW_TEST(solomon_rejects_bad_input) {
  expect_reject(edit(solomon_small, "0        200         10", "0        200        -10"), HW_FORMAT_SOLOMON, HW_EINVAL,
                "line 12: negative duration");
  expect_reject(edit(solomon_small, "0        100         10", "150        100         10"), HW_FORMAT_SOLOMON,
                HW_EINVAL, "line 11: window end (due date) before start");
  expect_reject(edit(solomon_small, "    2      3          0          5          0        200         10\n", "    2  3\n"),
                HW_FORMAT_SOLOMON, HW_EINVAL, "line 12: expected 7 numbers");
  expect_reject("TINY\n\nVEHICLE\nNUMBER     CAPACITY\n", HW_FORMAT_SOLOMON, HW_EINVAL, "truncated file");
  expect_reject(edit(solomon_small, "CUSTOMER", "CLIENTS"), HW_FORMAT_SOLOMON, HW_EINVAL,
                "line 7: not a Solomon instance: expected \"CUSTOMER\"");
  expect_reject(edit(solomon_small, "    2      3", "    5      3"), HW_FORMAT_SOLOMON, HW_EINVAL,
                "line 12: customer number 5 out of sequence");
  expect_reject("hello\nworld\n", HW_FORMAT_AUTO, HW_EINVAL, "unrecognised instance format");
}

HW_TEST(solomon_real_files) {
  const char *shared = hw_test_shared_dir();
  if (!shared) {
    printf("skipped: no shared benchmark data\n");
    return;
  }
  char path[1024];
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  snprintf(path, sizeof path, "%s/data/vrptw/solomon/C101.txt", shared);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_INT(p.n_jobs, ==, 100);
  HW_CHECK_INT(p.n_resources, ==, 25);
  HW_CHECK_INT(p.resources[0].capacity, ==, 200);
  HW_CHECK_INT(p.resources[0].shift.end, ==, 1236000);
  snprintf(path, sizeof path, "%s/data/vrptw/homberger200/r1_2_1.txt", shared);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_INT(p.n_jobs, ==, 200);
  HW_CHECK_INT(p.max_routes, ==, 50);
  hw_problem_free(&p);
}

HW_TEST(mankowska_small) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  for (int crlf = 0; crlf < 2; crlf++) {
    const char *path = write_file("mk.txt", mankowska_small, crlf);
    HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
    HW_CHECK_INT(p.objective, ==, HW_OBJ_MANKOWSKA);
    HW_CHECK_INT(p.soft_windows, ==, 1);
    HW_CHECK_INT(p.n_jobs, ==, 3); /* node 1: s1; node 2: s1 and s2 */
    HW_CHECK_INT(p.jobs[0].id, ==, 11);
    HW_CHECK_INT(p.jobs[1].id, ==, 21);
    HW_CHECK_INT(p.jobs[2].id, ==, 22);
    HW_CHECK_INT(p.jobs[0].service, ==, 7500);
    HW_CHECK_INT(p.jobs[2].skills, ==, 2);
    HW_CHECK_INT(p.jobs[1].windows[0].start, ==, 20000);
    HW_CHECK_INT(p.n_links, ==, 1);
    HW_CHECK_INT(p.links[0].first, ==, 1);
    HW_CHECK_INT(p.links[0].second, ==, 2);
    HW_CHECK_INT(p.links[0].min_gap, ==, 2000);
    HW_CHECK_INT(p.links[0].max_gap, ==, 6000);
    HW_CHECK_INT(p.resources[0].skills, ==, 1);
    HW_CHECK_INT(p.resources[1].skills, ==, 3);
    HW_CHECK_INT(p.resources[1].end_loc, ==, 3);
    HW_CHECK_INT(hw_travel(&p, 0, 1, 2), ==, 3000);
  }
  hw_problem_free(&p);
}

HW_TEST(mankowska_rejects_bad_input) {
  expect_reject(edit(mankowska_small, "9 9\n9 9", "9 9\n8 9"), HW_FORMAT_MANKOWSKA, HW_EUNSUPPORTED,
                "not supported: caregiver-dependent durations");
  expect_reject(edit(mankowska_small, "e\n0 10 20 0\nl\n600 50 60 1000\n", "e\n0 10 20 0\n"), HW_FORMAT_MANKOWSKA,
                HW_EINVAL, "truncated file: missing \"l\"");
  expect_reject(edit(mankowska_small, "x\n0 3 0 0", "x\n0 3 0"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "line 17: \"x\" needs 4 values, found 3");
  expect_reject(edit(mankowska_small, "600 50 60", "600 5 60"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "window end before start at node 1");
  expect_reject(edit(mankowska_small, "DS\n3\n", "DS\n\n"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "patient node 2 requires 2 service(s) but is not listed");
  expect_reject(edit(mankowska_small, "a\n1  0\n1  1", "a\n1  0\n1  0"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "jobs[2].skills");
  expect_reject(edit(mankowska_small, "7.5 7.5\n7.5 7.5", "-1 -1\n-1 -1"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "negative duration at node 1");
  expect_reject(edit(mankowska_small, "mind\n0 0 2", "mind\n0 0 x2"), HW_FORMAT_MANKOWSKA, HW_EINVAL,
                "unknown keyword \"x2\"");
}

HW_TEST(mankowska_real_file) {
  const char *shared = hw_test_shared_dir();
  if (!shared) {
    printf("skipped: no shared benchmark data\n");
    return;
  }
  char path[1024], err[400];
  hw_problem p;
  hw_problem_init(&p);
  snprintf(path, sizeof path, "%s/data/hhc/mankowska2014/instances/InstanzCPLEX_HCSRP_10_1.txt", shared);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_INT(p.n_resources, ==, 3);
  HW_CHECK_INT(p.n_links, ==, 3);
  HW_CHECK_INT(p.n_jobs, ==, 13);
  snprintf(path, sizeof path, "%s/data/hhc/mankowska2014/instances/InstanzVNS_HCSRP_300_1.txt", shared);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_INT(p.n_resources, ==, 40);
  hw_problem_free(&p);
}

HW_TEST(vroom_small) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  const char *path = write_file("v.json", vroom_small, 0);
  HW_CHECK_INT(hw_instance_read(path, HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  HW_CHECK_INT(p.objective, ==, HW_OBJ_VROOM);
  HW_CHECK_INT(p.n_jobs, ==, 2);
  /* VROOM's ranking: per job (2 jobs + 1 vehicle + 1) * 20 (longest leg) + 1 = 81,
   * more than any plan's travel; per priority step 81 * 3, more than every job. */
  HW_CHECK_INT(p.jobs[1].unassigned_cost, ==, 81);
  HW_CHECK_INT(p.jobs[0].unassigned_cost, ==, 5 * 243 + 81);
  HW_CHECK_INT(p.resources[0].capacity, ==, 4);
  HW_CHECK_INT(p.resources[0].n_breaks, ==, 1);
  HW_CHECK_INT(p.resources[0].breaks[0].duration, ==, 30);
  HW_CHECK_INT(p.resources[0].breaks[0].window.end, ==, 200);
  HW_CHECK_INT(p.jobs[0].n_windows, ==, 2);
  HW_CHECK_INT(p.jobs[0].windows[1].start, ==, 500);
  HW_CHECK_INT(p.jobs[0].skills, ==, p.resources[0].skills);
  HW_CHECK_INT(p.jobs[0].priority, ==, 5);
  HW_CHECK_INT(p.jobs[0].demand, ==, 1);
  HW_CHECK_INT(hw_travel(&p, 0, 1, 2), ==, 15);
  hw_problem_free(&p);
}

HW_TEST(homeward_json_extensions) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  HW_CHECK_INT(hw_instance_detect(homeward_small, strlen(homeward_small)), ==, HW_FORMAT_HOMEWARD);
  HW_CHECK_INT(hw_instance_read_buffer(homeward_small, strlen(homeward_small), HW_FORMAT_AUTO, &p, err, sizeof err),
               ==, 0);
  HW_CHECK_INT(p.jobs[0].workers, ==, 2);
  HW_CHECK_INT(p.jobs[1].pin_resource, ==, 1);
  HW_CHECK_INT(p.jobs[1].pin_start, ==, 100);
  HW_CHECK_INT(p.jobs[1].n_excluded, ==, 1);
  HW_CHECK_INT(p.jobs[2].preferred[0], ==, 0);
  HW_CHECK_INT(p.n_links, ==, 1);
  HW_CHECK_INT(p.links[0].first, ==, 2);
  HW_CHECK_INT(p.links[0].max_gap, ==, 60);
  HW_CHECK_INT(p.soft_windows, ==, 1);
  hw_problem_free(&p);
  /* The same document as strict VROOM is refused, naming the field. */
  expect_reject(homeward_small, HW_FORMAT_VROOM, HW_EUNSUPPORTED, "not supported: /links");
  expect_reject(edit(vroom_small, "\"service\":60", "\"service\":60,\"workers\":2"), HW_FORMAT_VROOM, HW_EUNSUPPORTED,
                "not supported: /jobs/0/workers");
}

HW_TEST(json_rejects_bad_input) {
  expect_reject(edit(vroom_small, "\"service\":60", "\"service\":-60"), HW_FORMAT_VROOM, HW_EINVAL,
                "/jobs/0/service: must not be negative");
  expect_reject(edit(vroom_small, "[[0,300]", "[[300,0]"), HW_FORMAT_VROOM, HW_EINVAL,
                "/jobs/0/time_windows/0: window end before start");
  expect_reject(edit(vroom_small, "\"skills\":[7],\"priority\"", "\"skills\":[8],\"priority\""), HW_FORMAT_VROOM,
                HW_EINVAL, "jobs[0].skills");
  expect_reject(edit(vroom_small, "\"service\":0}", "\"service\":0,\"pickup\":[1]}"), HW_FORMAT_VROOM,
                HW_EUNSUPPORTED, "not supported: /jobs/1/pickup");
  expect_reject(edit(vroom_small, "\"location_index\":2", "\"location_index\":3"), HW_FORMAT_VROOM, HW_EINVAL,
                "/jobs/1/location_index: out of range");
  expect_reject(edit(vroom_small, "[20,15,0]", "[20,15]"), HW_FORMAT_VROOM, HW_EINVAL,
                "/matrices/car/durations/2: must have 3 values");
  expect_reject(edit(vroom_small, "\"id\":12", "\"id\":11"), HW_FORMAT_VROOM, HW_EINVAL, "/jobs/1/id: duplicate job id 11");
  expect_reject("{\"vehicles\":[", HW_FORMAT_VROOM, HW_EINVAL, "line 1:");
}

/* TINY served by vehicle 1: 0 -> 1 (5) -> 2 (4) -> 0 (3): distance 12. */
static void tiny_solution(hw_solution *s) {
  hw_solution_init(s);
  s->routes = calloc(1, sizeof *s->routes);
  s->routes[0].steps = calloc(4, sizeof(hw_step));
  HW_CHECK(s->routes && s->routes[0].steps);
  s->n_routes = 1;
  s->routes[0].n_steps = 4;
  const hw_step st[4] = {{HW_STEP_START, -1, 0, 0}, {HW_STEP_JOB, 0, 5000, 5000}, {HW_STEP_JOB, 1, 19000, 19000},
                         {HW_STEP_END, -1, 32000, 32000}};
  memcpy(s->routes[0].steps, st, sizeof st);
  s->solve_ms = 42;
}

HW_TEST(solution_document_shape) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  HW_CHECK_INT(hw_instance_read_buffer(solomon_small, strlen(solomon_small), HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  hw_solution s;
  tiny_solution(&s);
  json_t *doc = hw_solution_to_json(&p, &s, NULL);
  HW_CHECK(doc);
  HW_CHECK_INT(json_integer_value(json_object_get(doc, "code")), ==, 0);
  json_t *sum = json_object_get(doc, "summary");
  HW_CHECK(fabs(json_number_value(json_object_get(sum, "cost")) - 12.0) < 1e-9);
  HW_CHECK(fabs(json_number_value(json_object_get(sum, "distance")) - 12.0) < 1e-9);
  HW_CHECK(fabs(json_number_value(json_object_get(sum, "duration")) - 12.0) < 1e-9);
  HW_CHECK_INT(json_integer_value(json_object_get(sum, "routes")), ==, 1);
  HW_CHECK_INT(json_integer_value(json_object_get(sum, "unassigned")), ==, 0);
  HW_CHECK_INT(json_integer_value(json_object_get(json_object_get(sum, "computing_times"), "solving")), ==, 42);
  json_t *route = json_array_get(json_object_get(doc, "routes"), 0);
  HW_CHECK_INT(json_integer_value(json_object_get(route, "vehicle")), ==, 1);
  json_t *steps = json_object_get(route, "steps");
  HW_CHECK_INT(json_array_size(steps), ==, 4);
  HW_CHECK_STR(json_string_value(json_object_get(json_array_get(steps, 0), "type")), "start");
  json_t *job = json_array_get(steps, 2);
  HW_CHECK_STR(json_string_value(json_object_get(job, "type")), "job");
  HW_CHECK_INT(json_integer_value(json_object_get(job, "id")), ==, 2);
  HW_CHECK(fabs(json_number_value(json_object_get(job, "arrival")) - 19.0) < 1e-9);
  HW_CHECK(fabs(json_number_value(json_object_get(job, "service_start")) - 19.0) < 1e-9);
  HW_CHECK_INT(json_array_size(json_object_get(doc, "unassigned")), ==, 0);
  json_decref(doc);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(solution_round_trip_checks) {
  hw_problem p;
  hw_problem_init(&p);
  char err[400];
  HW_CHECK_INT(hw_instance_read_buffer(solomon_small, strlen(solomon_small), HW_FORMAT_AUTO, &p, err, sizeof err), ==, 0);
  hw_solution s, back;
  tiny_solution(&s);
  hw_solution_init(&back);
  const char *path = hw_test_path("sol.json");
  HW_CHECK_INT(hw_solution_write(path, &p, &s, NULL), ==, 0);
  HW_CHECK_INT(hw_solution_read(path, &p, &back, err, sizeof err), ==, 0);
  HW_CHECK_INT(back.n_routes, ==, 1);
  HW_CHECK_INT(back.routes[0].n_steps, ==, 4);
  HW_CHECK_INT(back.routes[0].steps[2].index, ==, 1);
  HW_CHECK_INT(back.routes[0].steps[2].arrival, ==, 19000);
  hw_check_report r;
  HW_CHECK_INT(hw_check(&p, &back, &r), ==, 0);
  HW_CHECK_INT(r.feasible, ==, 1);
  HW_CHECK(fabs(r.objective - 12.0) < 1e-9);
  /* A document naming an unknown job is refused with the field. */
  json_t *doc = hw_solution_to_json(&p, &s, NULL);
  json_object_set_new(json_array_get(json_object_get(json_array_get(json_object_get(doc, "routes"), 0), "steps"), 1),
                      "id", json_integer(77));
  HW_CHECK_INT(hw_solution_from_json(&p, doc, &back, err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(err, "/routes/0/steps/1/id: no job with id 77");
  json_decref(doc);
  hw_solution_free(&back);
  hw_solution_free(&s);
  hw_problem_free(&p);
}

HW_TEST(format_detection_and_names) {
  HW_CHECK_INT(hw_instance_detect(solomon_small, strlen(solomon_small)), ==, HW_FORMAT_SOLOMON);
  HW_CHECK_INT(hw_instance_detect(mankowska_small, strlen(mankowska_small)), ==, HW_FORMAT_MANKOWSKA);
  HW_CHECK_INT(hw_instance_detect(vroom_small, strlen(vroom_small)), ==, HW_FORMAT_VROOM);
  HW_CHECK_INT(hw_instance_detect("", 0), ==, HW_FORMAT_AUTO);
  hw_instance_format f;
  HW_CHECK_INT(hw_instance_format_parse("mankowska", &f), ==, 0);
  HW_CHECK_INT(f, ==, HW_FORMAT_MANKOWSKA);
  HW_CHECK_INT(hw_instance_format_parse("csv", &f), ==, HW_EINVAL);
  HW_CHECK_STR(hw_instance_format_name(HW_FORMAT_HOMEWARD), "homeward");
}
