/*
 * The settings table and everything built from it: defaults, parsing from files
 * and flags, bounds checks and the example file. Add a setting here (and a field
 * in hw_config) and it is at once readable from a file, settable by flag,
 * validated and documented.
 */
#include "hw_config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_time.h"

static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};
static const char *const sync_modes[] = {"full", "normal", "off", NULL};

#define OFF(field) offsetof(hw_config, field)
#define INT(field, def, lo, hi, desc) {#field, HW_SETTING_INT, OFF(field), 0, def, lo, hi, NULL, desc}

static const hw_setting settings[] = {
    {"listen", HW_SETTING_STRING, OFF(listen), sizeof(((hw_config *)0)->listen), "127.0.0.1:8080", 0, 0, NULL,
     "Address and TCP port to accept HTTP on, HOST:PORT (IPv4). Port 0 picks a free port (logged)."},
    {"db", HW_SETTING_STRING, OFF(db), sizeof(((hw_config *)0)->db), "", 0, 0, NULL,
     "Path of the SQLite database (created and migrated if needed). Required."},
    {"log_level", HW_SETTING_ENUM, OFF(log_level), 0, "info", 0, 0, log_levels,
     "Least important log lines written to stderr: error, warn, info or debug."},
    INT(max_body_bytes, "1048576", 1024, 67108864,
        "Largest request body accepted; a larger one gets 413 and the connection is closed."),
    INT(max_header_bytes, "16384", 1024, 1048576,
        "Largest request line plus headers accepted; more gets 431 and the connection is closed."),
    INT(max_connections, "1024", 1, 60000,
        "Open client connections allowed at once; one more is answered 503 and closed."),
    INT(idle_timeout_ms, "30000", 100, 3600000,
        "A keep-alive connection with no request for this long is closed (silently)."),
    INT(request_timeout_ms, "10000", 100, 600000,
        "A request must arrive whole within this long of its first byte, else 408 and close."),
    INT(shutdown_timeout_ms, "10000", 0, 600000,
        "On SIGTERM/SIGINT, how long to wait for in-flight requests before closing anyway."),
    {"sync", HW_SETTING_ENUM, OFF(sync), 0, "full", 0, 0, sync_modes,
     "SQLite synchronous mode. full: an acknowledged write survives power loss. normal: survives a "
     "process crash, a power loss may undo the last commits. off: for benchmarks only."},
    INT(group_commit_max, "512", 1, 100000,
        "Most write requests committed together in one transaction (group commit)."),
    INT(plan_time_limit_s, "60", 1, 3600, "Time budget of one planning solve, in seconds."),
    INT(plan_max_iterations, "0", 0, 1000000000,
        "Also stop a planning solve after this many search iterations (0: no limit). With a limit the plan "
        "no longer depends on the machine's speed: tests and demos use it."),
    INT(d2a_reserve_minutes, "60", 0, 240,
        "Reablement time per team kept free at each call peak by planning, for same-day discharge "
        "offers (docs/outcomes.md measures it). 0 turns the reserve off."),
    INT(d2a_reserve_forecast_weeks, "8", 0, 52,
        "Weeks of discharge requests the D2A reserve is sized from each Sunday at reserve_at, per locality, "
        "weekday and call peak (GLPK; docs/scheduler.md). Once sized it replaces d2a_reserve_minutes. 0: the "
        "fixed reserve only."),
    INT(d2a_reserve_hold_cost_pct, "15", 0, 100,
        "What a reserved minute costs against a same-day discharge minute missed, in percent: the reserve holds "
        "a peak's demand while more than this share of past days needed it."),
    {"reserve_at", HW_SETTING_TIME_OF_DAY, OFF(reserve_at), 0, "17:00", 0, 0, NULL,
     "Local time on Sundays at which the D2A reserve is sized for the week ahead."},
    {"nightly_plan_at", HW_SETTING_TIME_OF_DAY, OFF(nightly_plan_at), 0, "18:00", 0, 0, NULL,
     "Local time (HH:MM, Europe/London) at which every locality's next day is planned (when the clock passes it)."},
    {"allocation_at", HW_SETTING_TIME_OF_DAY, OFF(allocation_at), 0, "08:00", 0, 0, NULL,
     "Local time of the morning allocation round: the waiting list is allocated (GLPK capacity model) and the "
     "waiting discharge requests are offered again."},
    {"day_start_at", HW_SETTING_TIME_OF_DAY, OFF(day_start_at), 0, "00:10", 0, 0, NULL,
     "Local time at which every allocated referral's visits are generated up to visit_horizon_days ahead."},
    INT(offers_every_min, "15", 1, 1440,
        "Minutes between sweeps that offer discharge requests never offered yet (imported, or made while offers "
        "were off) and try again those waiting although ready today."),
    INT(visit_horizon_days, "14", 1, 28, "Days ahead for which an allocated referral's visits are generated."),
    INT(freeze_minutes, "60", 0, 1440,
        "Re-planning a day leaves alone every visit that has started or starts within this many minutes of now."),
    INT(plausible_past_days, "366", 1, 3660,
        "Dates and times in a request may be at most this many days in the past (else 400 naming the field)."),
    INT(plausible_future_days, "730", 1, 3660,
        "Dates and times in a request may be at most this many days in the future (else 400 naming the field)."),
    {"test_clock", HW_SETTING_STRING, OFF(test_clock), sizeof(((hw_config *)0)->test_clock), "", 0, 0, NULL,
     "For tests and demos only: an ISO 8601 local time to start a clock that stands still until an admin moves "
     "it (POST /v1/admin/clock); every cron job passed on the way runs in order. Empty: the system clock."},
    INT(checkpoint_every_s, "60", 1, 86400, "Seconds between passive WAL checkpoints."),
};
static const int n_settings = (int)(sizeof settings / sizeof settings[0]);

const hw_setting *hw_config_settings(int *n) {
  *n = n_settings;
  return settings;
}

static const hw_setting *find_setting(const char *name) {
  for (int i = 0; i < n_settings; i++)
    if (strcmp(settings[i].name, name) == 0) return &settings[i];
  return NULL;
}

static int parse_int(const hw_setting *s, const char *value, int64_t *out, char *err, size_t err_len) {
  char *end;
  errno = 0;
  long long v = strtoll(value, &end, 10);
  if (errno || end == value || *end) {
    snprintf(err, err_len, "%s: '%s' is not an integer", s->name, value);
    return HW_EINVAL;
  }
  if (v < s->min || v > s->max) {
    snprintf(err, err_len, "%s: %lld is out of range [%" PRId64 ", %" PRId64 "]", s->name, v, s->min, s->max);
    return HW_EINVAL;
  }
  *out = v;
  return 0;
}

static int parse_enum(const hw_setting *s, const char *value, int32_t *out, char *err, size_t err_len) {
  for (int i = 0; s->choices[i]; i++)
    if (strcmp(s->choices[i], value) == 0) {
      *out = i;
      return 0;
    }
  int n = snprintf(err, err_len, "%s: '%s' is not one of", s->name, value);
  for (int i = 0; s->choices[i] && n >= 0 && (size_t)n < err_len; i++)
    n += snprintf(err + n, err_len - (size_t)n, " %s", s->choices[i]);
  return HW_EINVAL;
}

int hw_config_set(hw_config *c, const char *name, const char *value, char *err, size_t err_len) {
  const hw_setting *s = find_setting(name);
  if (!s) {
    snprintf(err, err_len, "unknown setting '%s'", name);
    return HW_ENOTFOUND;
  }
  char *field = (char *)c + s->offset;
  switch (s->type) {
    case HW_SETTING_INT: {
      int64_t v;
      int rc = parse_int(s, value, &v, err, err_len);
      if (rc == 0) memcpy(field, &v, sizeof v);
      return rc;
    }
    case HW_SETTING_STRING:
      if (strlen(value) >= s->size) {
        snprintf(err, err_len, "%s: longer than %zu characters", s->name, s->size - 1);
        return HW_EINVAL;
      }
      memcpy(field, value, strlen(value) + 1);
      return 0;
    case HW_SETTING_ENUM: {
      int32_t v;
      int rc = parse_enum(s, value, &v, err, err_len);
      if (rc == 0) memcpy(field, &v, sizeof v);
      return rc;
    }
    case HW_SETTING_TIME_OF_DAY: {
      int minute;
      const char *why = NULL;
      if (hw_minute_parse(value, &minute, &why) != 0 || minute >= 1440) {
        snprintf(err, err_len, "%s: '%s' is not a time of day HH:MM (%s)", s->name, value,
                 why ? why : "must be before 24:00");
        return HW_EINVAL;
      }
      int32_t v = minute;
      memcpy(field, &v, sizeof v);
      return 0;
    }
  }
  return HW_EINVAL;
}

void hw_config_init(hw_config *c) {
  memset(c, 0, sizeof *c);
  char err[256];
  for (int i = 0; i < n_settings; i++) {
    int rc = hw_config_set(c, settings[i].name, settings[i].default_value, err, sizeof err);
    (void)rc; /* defaults are valid by construction; test_config checks it */
  }
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
  return s;
}

int hw_config_load_file(hw_config *c, const char *path, char *err, size_t err_len) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, err_len, "%s: %s", path, strerror(errno));
    return HW_EIO;
  }
  char line[2048], why[512];
  int lineno = 0, rc = 0;
  while (rc == 0 && fgets(line, sizeof line, f)) {
    lineno++;
    char *s = trim(line);
    if (*s == '\0' || *s == '#') continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      snprintf(err, err_len, "%s:%d: expected 'name = value'", path, lineno);
      rc = HW_EINVAL;
      break;
    }
    *eq = '\0';
    char *name = trim(s), *value = trim(eq + 1);
    rc = hw_config_set(c, name, value, why, sizeof why);
    if (rc != 0) snprintf(err, err_len, "%s:%d: %s", path, lineno, why);
  }
  fclose(f);
  return rc;
}

void hw_config_format_value(const hw_config *c, const hw_setting *s, char *buf, size_t len) {
  const char *field = (const char *)c + s->offset;
  int64_t i64;
  int32_t i32;
  switch (s->type) {
    case HW_SETTING_INT:
      memcpy(&i64, field, sizeof i64);
      snprintf(buf, len, "%" PRId64, i64);
      return;
    case HW_SETTING_STRING:
      snprintf(buf, len, "%s", field);
      return;
    case HW_SETTING_ENUM:
      memcpy(&i32, field, sizeof i32);
      snprintf(buf, len, "%s", s->choices[i32]);
      return;
    case HW_SETTING_TIME_OF_DAY:
      memcpy(&i32, field, sizeof i32);
      snprintf(buf, len, "%02d:%02d", i32 / 60, i32 % 60);
      return;
  }
}

void hw_config_write_example(FILE *out) {
  fprintf(out,
          "# homeward.conf: settings of `homeward serve` (generated by `homeward serve --print-config`).\n"
          "# Format: one `name = value` per line; '#' starts a comment line. Every setting can\n"
          "# also be given as a flag, `--name VALUE`, which wins over this file.\n"
          "# The values below are the defaults.\n");
  for (int i = 0; i < n_settings; i++) {
    const hw_setting *s = &settings[i];
    fprintf(out, "\n# %s\n", s->description);
    if (s->type == HW_SETTING_INT) fprintf(out, "# Range: %" PRId64 " .. %" PRId64 ".\n", s->min, s->max);
    fprintf(out, "%s%s = %s\n", s->default_value[0] ? "" : "# ", s->name, s->default_value);
  }
}
