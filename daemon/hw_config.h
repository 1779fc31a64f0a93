/*
 * The daemon's settings: ONE table (config.c) gives every setting's name, type,
 * default, bounds and description. The same table reads `key = value` files,
 * applies command-line flags (`--name VALUE`, the same names), validates bounds,
 * and writes the self-documenting example file (docs/homeward.conf.example is its
 * output: `homeward serve --print-config`).
 *
 * Precedence: defaults, then the --config file, then flags.
 */
#ifndef HW_CONFIG_H
#define HW_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct hw_config {
  char listen[128];            /* "HOST:PORT" */
  char db[1024];               /* database path */
  int32_t log_level;           /* hw_log_level */
  int64_t max_body_bytes;
  int64_t max_header_bytes;
  int64_t max_connections;
  int64_t idle_timeout_ms;
  int64_t request_timeout_ms;
  int64_t shutdown_timeout_ms;
  int32_t sync;                /* hw_sync_mode */
  int64_t group_commit_max;
  int64_t plan_time_limit_s;
  int64_t plan_max_iterations;
  int64_t d2a_reserve_minutes;
  int64_t d2a_reserve_forecast_weeks;
  int64_t d2a_reserve_hold_cost_pct;
  int32_t reserve_at;          /* minute of Sunday */
  int32_t nightly_plan_at;     /* minute of day */
  int32_t allocation_at;       /* minute of day */
  int32_t day_start_at;        /* minute of day */
  int64_t offers_every_min;
  int64_t visit_horizon_days;
  int64_t freeze_minutes;
  int64_t plausible_past_days;
  int64_t plausible_future_days;
  char test_clock[64];         /* "" = the system clock */
  int64_t checkpoint_every_s;
} hw_config;

typedef enum hw_setting_type { HW_SETTING_INT = 0, HW_SETTING_STRING, HW_SETTING_ENUM, HW_SETTING_TIME_OF_DAY } hw_setting_type;

typedef struct hw_setting {
  const char *name;
  hw_setting_type type;
  size_t offset;               /* into hw_config */
  size_t size;                 /* STRING: buffer size */
  const char *default_value;   /* as written in a config file */
  int64_t min, max;            /* INT bounds (inclusive) */
  const char *const *choices;  /* ENUM names, NULL-terminated; the index is stored */
  const char *description;
} hw_setting;

/* The table, and its length in *n. */
const hw_setting *hw_config_settings(int *n);
/* Fill c with every default. */
void hw_config_init(hw_config *c);
/* Set one setting from its text form. Returns 0, HW_ENOTFOUND for an unknown name,
 * or HW_EINVAL when the value does not parse or is out of bounds; err gets a
 * sentence naming the setting and the reason. c is unchanged on failure. */
int hw_config_set(hw_config *c, const char *name, const char *value, char *err, size_t err_len);
/* Read a `key = value` file ('#' starts a comment line, blank lines ignored).
 * Returns 0, HW_EIO if it cannot be read, or HW_EINVAL / HW_ENOTFOUND naming the
 * line in err. Settings before the bad line stay applied. */
int hw_config_load_file(hw_config *c, const char *path, char *err, size_t err_len);
/* Write the example file: every setting, its description, bounds and default. */
void hw_config_write_example(FILE *out);
/* The current value of a setting as text (for logging the effective config). */
void hw_config_format_value(const hw_config *c, const hw_setting *s, char *buf, size_t len);

#endif
