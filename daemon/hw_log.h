/*
 * Levelled logging for the daemon: one line per event on stderr,
 *
 *     2026-11-23T14:51:02Z info  server.c:120 listening on 127.0.0.1:8080
 *
 * HW_LOG checks the level before the arguments are evaluated or formatted, so a
 * debug line on a hot path costs one comparison when debug is off. The level is
 * process-wide (set once from the configuration, before the loop starts).
 */
#ifndef HW_LOG_H
#define HW_LOG_H

typedef enum hw_log_level { HW_LOG_ERROR = 0, HW_LOG_WARN, HW_LOG_INFO, HW_LOG_DEBUG, HW_LOG_LEVEL_COUNT } hw_log_level;

/* The current threshold: lines above it are dropped. Default HW_LOG_INFO. */
extern int hw_log_threshold;

/* Set the threshold by name ("error", "warn", "info", "debug"). Returns 0, or
 * HW_EINVAL for an unknown name (the threshold is unchanged). */
int hw_log_set_level(const char *name);
/* The name of a level ("info"); "?" for out-of-range values. */
const char *hw_log_level_name(int level);
/* Write one line (use HW_LOG, which checks the level first). Thread-safe: each
 * line is written with one write(2) call. */
void hw_log_write(int level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define HW_LOG(level, ...)                                                  \
  do {                                                                      \
    if ((level) <= hw_log_threshold) hw_log_write((level), __FILE__, __LINE__, __VA_ARGS__); \
  } while (0)
#define HW_LOG_ERRORF(...) HW_LOG(HW_LOG_ERROR, __VA_ARGS__)
#define HW_LOG_WARNF(...) HW_LOG(HW_LOG_WARN, __VA_ARGS__)
#define HW_LOG_INFOF(...) HW_LOG(HW_LOG_INFO, __VA_ARGS__)
#define HW_LOG_DEBUGF(...) HW_LOG(HW_LOG_DEBUG, __VA_ARGS__)

#endif
