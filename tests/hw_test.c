/*
 * The runner behind tests/hw_test.h: a registry of cases filled by constructors,
 * a main that runs one case by name (or all), and per-case temporary directories.
 */
#include "hw_test.h"

#include <stdarg.h>
#include <unistd.h>

#define HW_TEST_MAX 512

static struct {
  const char *name;
  hw_test_fn fn;
} cases[HW_TEST_MAX];
static int n_cases;
static char tmpdir[256];
static char pathbuf[512];

void hw_test_register(const char *name, hw_test_fn fn) {
  if (n_cases == HW_TEST_MAX) {
    fprintf(stderr, "too many test cases (max %d)\n", HW_TEST_MAX);
    exit(2);
  }
  cases[n_cases].name = name;
  cases[n_cases].fn = fn;
  n_cases++;
}

void hw_test_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

static void remove_tmpdir(void) {
  if (tmpdir[0] && !getenv("HW_TEST_KEEP")) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  }
}

const char *hw_test_tmpdir(void) {
  if (!tmpdir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/hwtest.XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) hw_test_fail(__FILE__, __LINE__, "mkdtemp failed");
    atexit(remove_tmpdir);
  }
  return tmpdir;
}

const char *hw_test_path(const char *name) {
  snprintf(pathbuf, sizeof pathbuf, "%s/%s", hw_test_tmpdir(), name);
  return pathbuf;
}

const char *hw_test_shared_dir(void) {
  static char buf[512];
  const char *dir = getenv("HW_SHARED_DIR");
  if (!dir) return NULL;
  snprintf(buf, sizeof buf, "%s/data", dir);
  return access(buf, R_OK) == 0 ? dir : NULL;
}

const char *hw_test_build_dir(void) {
  const char *dir = getenv("HW_BUILD_DIR");
  return dir ? dir : ".";
}

static int run_case(int i) {
  fprintf(stderr, "-- %s\n", cases[i].name);
  cases[i].fn();
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2) {
    fprintf(stderr, "usage: %s [CASE]\n", argv[0]);
    return 2;
  }
  for (int i = 0; i < n_cases; i++) {
    if (argc == 2 && strcmp(cases[i].name, argv[1]) != 0) continue;
    run_case(i);
    if (argc == 2) return 0;
  }
  if (argc == 2) {
    fprintf(stderr, "no such case: %s\n", argv[1]);
    return 2;
  }
  printf("%d passed, 0 failed\n", n_cases);
  return 0;
}
