/*
 * Start-up of a program linked with the fault hooks: before main, route SQLite
 * through them (hw_fault_install_sqlite) and arm the fault the environment asks
 * for, so that the real daemon can be started with one armed:
 *
 *   HW_FAULT_ALLOC=N        the Nth heap allocation fails
 *   HW_FAULT_SQLITE_MEM=N   the Nth allocation SQLite makes fails
 *   HW_FAULT_SQLITE_IO=N    the Nth SQLite file operation fails
 *   HW_FAULT_FLAGS=persistent,disk_full,after_change   (hw_fault.h)
 *   HW_FAULT_REPORT=PATH    at exit, write "COUNT FAILED" there: how many events
 *                           were counted and failed (N = 0 measures an operation)
 *
 * At most one of the three may be set. A bad value is a usage error: the program
 * says so and exits 2 rather than run without the fault the test expects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_fault.h"

static const char *const env_names[HW_FAULT_KIND_COUNT] = {"HW_FAULT_ALLOC", "HW_FAULT_SQLITE_MEM",
                                                           "HW_FAULT_SQLITE_IO"};

static void usage_error(const char *what, const char *value) {
  fprintf(stderr, "fault build: bad %s '%s' (see data/fault/fault_env.c)\n", what, value);
  exit(2);
}

/* "persistent,disk_full,after_change" -> HW_FAULT_* bits. */
static unsigned parse_flags(const char *text) {
  static const struct {
    const char *name;
    unsigned bit;
  } names[] = {{"persistent", HW_FAULT_PERSISTENT}, {"disk_full", HW_FAULT_DISK_FULL},
               {"after_change", HW_FAULT_AFTER_CHANGE}};
  unsigned flags = 0;
  for (const char *p = text; *p;) {
    size_t len = strcspn(p, ",");
    size_t i = 0;
    while (i < sizeof names / sizeof names[0] && !(strlen(names[i].name) == len && !strncmp(p, names[i].name, len))) i++;
    if (i == sizeof names / sizeof names[0]) usage_error("HW_FAULT_FLAGS", text);
    flags |= names[i].bit;
    p += len + (p[len] == ',');
  }
  return flags;
}

static int64_t parse_count(const char *name, const char *text) {
  char *end;
  long long n = strtoll(text, &end, 10);
  if (end == text || *end || n < 0) usage_error(name, text);
  return n;
}

__attribute__((constructor)) static void fault_from_environment(void) {
  if (hw_fault_install_sqlite() != 0) {
    fprintf(stderr, "fault build: SQLite refused the fault hooks\n");
    exit(2);
  }
  int armed = -1;
  for (int k = 0; k < HW_FAULT_KIND_COUNT; k++) {
    if (!getenv(env_names[k])) continue;
    if (armed >= 0) usage_error("combination: only one of them may be set", env_names[k]);
    armed = k;
  }
  if (armed < 0) return;
  const char *flags = getenv("HW_FAULT_FLAGS");
  hw_fault_arm((hw_fault_kind)armed, parse_count(env_names[armed], getenv(env_names[armed])),
               flags ? parse_flags(flags) : 0);
}

__attribute__((destructor)) static void fault_report(void) {
  const char *path = getenv("HW_FAULT_REPORT");
  if (!path) return;
  hw_fault_disarm(); /* the report's own fopen must neither count nor fail */
  FILE *f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "%lld %lld\n", (long long)hw_fault_count(), (long long)hw_fault_failed());
  fclose(f);
}
