/*
 * The runner behind tests/hw_test.h: a registry of cases filled by constructors,
 * a main that runs one case by name (or all), and per-case temporary directories.
 */
#include "hw_test.h"

#include <stdarg.h>
#include <sys/wait.h>
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

int hw_test_homeward(const char *args) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s/homeward' %s", hw_test_build_dir(), args);
  int status = system(cmd);
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *hw_test_homeward_output(const char *args, int *status) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s/homeward' %s", hw_test_build_dir(), args);
  FILE *f = popen(cmd, "r");
  if (!f) hw_test_fail(__FILE__, __LINE__, "popen failed: %s", cmd);
  size_t len = 0, cap = 1 << 16;
  char *out = malloc(cap);
  size_t got;
  while (out && (got = fread(out + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len < 2) out = realloc(out, cap *= 2);
  }
  if (!out) hw_test_fail(__FILE__, __LINE__, "out of memory");
  out[len] = '\0';
  int st = pclose(f);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

char *hw_test_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if (buf) buf[n] = '\0';
  fclose(f);
  return buf;
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
