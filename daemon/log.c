/*
 * The daemon's log: a threshold and a line writer. Lines carry a UTC timestamp,
 * the level, the source file and line, and the message; newlines inside the
 * message are replaced so that one event is always one line.
 */
#include "hw_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw_error.h"

int hw_log_threshold = HW_LOG_INFO;

static const char *const level_names[HW_LOG_LEVEL_COUNT] = {"error", "warn", "info", "debug"};

int hw_log_set_level(const char *name) {
  for (int i = 0; i < HW_LOG_LEVEL_COUNT; i++)
    if (strcmp(name, level_names[i]) == 0) {
      hw_log_threshold = i;
      return 0;
    }
  return HW_EINVAL;
}

const char *hw_log_level_name(int level) {
  return level >= 0 && level < HW_LOG_LEVEL_COUNT ? level_names[level] : "?";
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

void hw_log_write(int level, const char *file, int line, const char *fmt, ...) {
  char buf[1024];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  int n = (int)strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ ", &tm);
  n += snprintf(buf + n, sizeof buf - (size_t)n, "%-5s %s:%d ", hw_log_level_name(level), base_name(file), line);
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof buf - 2) len = sizeof buf - 2;
  for (size_t i = (size_t)n; i < len; i++)
    if (buf[i] == '\n' || buf[i] == '\r') buf[i] = ' ';
  buf[len++] = '\n';
  /* One write per line keeps lines from different threads whole. */
  ssize_t w = write(STDERR_FILENO, buf, len);
  (void)w;
}
