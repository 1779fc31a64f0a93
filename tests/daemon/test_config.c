/*
 * The settings table (daemon/config.c): defaults, bounds, files with line
 * numbers in errors, and the shipped example file matching the table.
 */
#include <stdio.h>
#include <string.h>

#include "hw_config.h"
#include "hw_error.h"
#include "hw_test.h"

HW_TEST(defaults_are_valid) {
  hw_config c;
  hw_config_init(&c);
  HW_CHECK_STR(c.listen, "127.0.0.1:8080");
  HW_CHECK_INT(c.max_body_bytes, ==, 1048576);
  HW_CHECK_INT(c.sync, ==, 0);
  HW_CHECK_INT(c.nightly_plan_at, ==, 18 * 60);
  int n;
  const hw_setting *s = hw_config_settings(&n);
  char err[256];
  for (int i = 0; i < n; i++) {
    hw_config d;
    hw_config_init(&d);
    HW_CHECK_INT(hw_config_set(&d, s[i].name, s[i].default_value, err, sizeof err), ==, 0);
    HW_CHECK(strlen(s[i].description) > 20);
  }
}

HW_TEST(bounds_and_types_are_checked) {
  hw_config c;
  char err[256];
  hw_config_init(&c);
  HW_CHECK_INT(hw_config_set(&c, "max_connections", "0", err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(err, "max_connections");
  HW_CHECK_CONTAINS(err, "out of range");
  HW_CHECK_INT(hw_config_set(&c, "max_connections", "12x", err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_INT(hw_config_set(&c, "sync", "fast", err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(err, "full normal off");
  HW_CHECK_INT(hw_config_set(&c, "nightly_plan_at", "25:00", err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_INT(hw_config_set(&c, "nope", "1", err, sizeof err), ==, HW_ENOTFOUND);
  HW_CHECK_INT(c.max_connections, ==, 1024);
  HW_CHECK_INT(hw_config_set(&c, "sync", "normal", err, sizeof err), ==, 0);
  HW_CHECK_INT(c.sync, ==, 1);
}

HW_TEST(file_errors_name_the_line) {
  const char *path = hw_test_path("homeward.conf");
  FILE *f = fopen(path, "w");
  fprintf(f, "# comment\n\nlisten = 0.0.0.0:9000\n  group_commit_max=64  \nidle_timeout_ms = soon\n");
  fclose(f);
  hw_config c;
  char err[512];
  hw_config_init(&c);
  HW_CHECK_INT(hw_config_load_file(&c, path, err, sizeof err), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(err, ":5: idle_timeout_ms");
  HW_CHECK_STR(c.listen, "0.0.0.0:9000");
  HW_CHECK_INT(c.group_commit_max, ==, 64);
  HW_CHECK_INT(hw_config_load_file(&c, hw_test_path("missing.conf"), err, sizeof err), ==, HW_EIO);
}

HW_TEST(example_file_matches_the_table) {
  /* docs/homeward.conf.example is `homeward serve --print-config`; keep it so. */
  char expected[16384], actual[16384];
  FILE *mem = fmemopen(expected, sizeof expected, "w");
  hw_config_write_example(mem);
  long n = ftell(mem);
  fclose(mem);
  expected[n] = '\0';
  char path[512];
  snprintf(path, sizeof path, "%s/docs/homeward.conf.example", getenv("HW_SOURCE_DIR"));
  FILE *f = fopen(path, "r");
  HW_CHECK(f != NULL);
  size_t got = fread(actual, 1, sizeof actual - 1, f);
  fclose(f);
  actual[got] = '\0';
  HW_CHECK_STR(actual, expected);
  /* And the example parses back to the defaults. */
  hw_config a, b;
  char err[256];
  hw_config_init(&a);
  hw_config_init(&b);
  HW_CHECK_INT(hw_config_load_file(&a, path, err, sizeof err), ==, 0);
  HW_CHECK(memcmp(&a, &b, sizeof a) == 0);
}
