/*
 * The error list of the codecs and the field reader every decoder is built from.
 *
 * Each reader checks one value's type, range or format and, on a problem, adds one
 * error naming the value's JSON pointer and the reason, then lets the decoder go
 * on: a document with three problems gets three errors. Coordinates are read from
 * the number's decimal text, never through float arithmetic, so "55.8624" is
 * exactly 55862400 microdegrees.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec_reader.h"
#include "hw_error.h"

/* ---- Error list --------------------------------------------------------------- */

void hw_errors_init(hw_errors *errs) {
  errs->n = 0;
  errs->dropped = 0;
}

void hw_errors_add(hw_errors *errs, const char *path, const char *fmt, ...) {
  if (errs->n >= HW_ERRORS_MAX) {
    errs->dropped++;
    return;
  }
  hw_field_error *e = &errs->e[errs->n++];
  snprintf(e->path, sizeof e->path, "%s", path ? path : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->reason, sizeof e->reason, fmt, ap);
  va_end(ap);
}

int32_t hw_errors_total(const hw_errors *errs) {
  return errs->n + errs->dropped;
}

char *hw_errors_join(const hw_errors *errs, char *buf, size_t len) {
  size_t used = 0;
  if (len == 0) return buf;
  buf[0] = '\0';
  for (int32_t i = 0; i < errs->n && used < len; i++) {
    const hw_field_error *e = &errs->e[i];
    int w = snprintf(buf + used, len - used, "%s%s%s%s", i ? "; " : "", e->path,
                     e->path[0] ? ": " : "", e->reason);
    if (w < 0) break;
    used += (size_t)w;
  }
  if (errs->dropped && used < len)
    snprintf(buf + used, len - used, "; and %d more", (int)errs->dropped);
  return buf;
}

json_t *hw_errors_to_json(const hw_errors *errs) {
  json_t *arr = json_array();
  for (int32_t i = 0; arr && i < errs->n; i++) {
    if (json_array_append_new(arr, json_pack("{s:s, s:s}", "field", errs->e[i].path, "reason",
                                             errs->e[i].reason))) {
      json_decref(arr);
      return NULL;
    }
  }
  if (arr && errs->dropped) {
    char reason[64];
    snprintf(reason, sizeof reason, "%d more errors not listed", (int)errs->dropped);
    if (json_array_append_new(arr, json_pack("{s:s, s:s}", "field", "", "reason", reason))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* ---- Paths -------------------------------------------------------------------- */

void hw_path_key(char *out, const char *base, const char *key) {
  size_t n = (size_t)snprintf(out, HW_PATH_MAX, "%s/", base);
  /* JSON pointer escaping: "~" is "~0" and "/" is "~1". */
  for (const char *k = key; *k && n + 3 < HW_PATH_MAX; k++) {
    if (*k == '~' || *k == '/') {
      out[n++] = '~';
      out[n++] = *k == '~' ? '0' : '1';
    } else {
      out[n++] = *k;
    }
  }
  out[n < HW_PATH_MAX ? n : HW_PATH_MAX - 1] = '\0';
}

void hw_path_index(char *out, const char *base, size_t i) {
  snprintf(out, HW_PATH_MAX, "%s/%zu", base, i);
}

/* ---- Values ------------------------------------------------------------------- */

int hw_val_string(const json_t *v, const char *path, hw_errors *errs, char *buf, size_t len,
                  int nonempty) {
  if (!json_is_string(v)) {
    hw_errors_add(errs, path, "must be a string");
    return -1;
  }
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (strlen(s) != n) {
    hw_errors_add(errs, path, "must not contain NUL characters");
    return -1;
  }
  if (n >= len) {
    hw_errors_add(errs, path, "must be at most %zu bytes long", len - 1);
    return -1;
  }
  if (nonempty && n == 0) {
    hw_errors_add(errs, path, "must not be empty");
    return -1;
  }
  memcpy(buf, s, n + 1);
  return 1;
}

int hw_val_int(const json_t *v, const char *path, hw_errors *errs, int64_t min, int64_t max,
               int64_t *out) {
  if (!json_is_integer(v)) {
    hw_errors_add(errs, path, "must be an integer");
    return -1;
  }
  json_int_t x = json_integer_value(v);
  if (x < min || x > max) {
    hw_errors_add(errs, path, "must be between %" PRId64 " and %" PRId64, min, max);
    return -1;
  }
  *out = x;
  return 1;
}

int hw_val_id(const json_t *v, const char *path, hw_errors *errs, int64_t min, hw_id *out) {
  if (!json_is_integer(v)) {
    hw_errors_add(errs, path, "must be an integer id");
    return -1;
  }
  if (json_integer_value(v) < min) {
    hw_errors_add(errs, path, min > 0 ? "must be a positive id" : "must not be negative");
    return -1;
  }
  *out = json_integer_value(v);
  return 1;
}

int hw_val_bool(const json_t *v, const char *path, hw_errors *errs, int *out) {
  if (!json_is_boolean(v)) {
    hw_errors_add(errs, path, "must be true or false");
    return -1;
  }
  *out = json_is_true(v);
  return 1;
}

/* "a, b, c" of the names in t, for "must be one of" reasons. */
static void names_list(const hw_names *t, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; i < t->count && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", t->names[i]);
    if (w < 0) break;
    used += (size_t)w;
  }
}

int hw_val_enum(const json_t *v, const char *path, hw_errors *errs, const hw_names *t, int *out) {
  char allowed[128];
  int found = json_is_string(v) ? hw_names_find(t, json_string_value(v)) : -1;
  if (found < 0) {
    names_list(t, allowed, sizeof allowed);
    hw_errors_add(errs, path, "must be one of: %s", allowed);
    return -1;
  }
  *out = found;
  return 1;
}

int hw_val_time(const json_t *v, const char *path, hw_errors *errs, hw_time *out) {
  const char *why = "must be a string";
  if (!json_is_string(v) || hw_time_parse(json_string_value(v), out, &why) != 0) {
    hw_errors_add(errs, path, "bad time: %s (ISO 8601, e.g. 2026-07-01T09:30:00+01:00)", why);
    return -1;
  }
  return 1;
}

int hw_val_date(const json_t *v, const char *path, hw_errors *errs, hw_date *out) {
  const char *why = "must be a string";
  if (!json_is_string(v) || hw_date_parse(json_string_value(v), out, &why) != 0) {
    hw_errors_add(errs, path, "bad date: %s (YYYY-MM-DD)", why);
    return -1;
  }
  return 1;
}

int hw_val_minute(const json_t *v, const char *path, hw_errors *errs, int *out) {
  const char *why = "must be a string";
  if (!json_is_string(v) || hw_minute_parse(json_string_value(v), out, &why) != 0) {
    hw_errors_add(errs, path, "bad time of day: %s (HH:MM)", why);
    return -1;
  }
  return 1;
}

/* Decimal text ("55.8624", "-3.98065", "1e-07") to millionths, rounding half away
 * from zero at the seventh decimal. Returns 0, or -1 when the text is not a number
 * or its magnitude is beyond limit_e6. */
static int decimal_to_e6(const char *s, int64_t limit_e6, int64_t *out) {
  int neg = 0, point = -1, nd = 0, exp10 = 0;
  char digits[40];
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
    if (*s == '.') {
      if (point >= 0) return -1;
      point = nd;
    } else if (nd < (int)sizeof digits) {
      digits[nd++] = *s;
    } else {
      return -1;
    }
  }
  if (*s == 'e' || *s == 'E') {
    char *end;
    long e = strtol(s + 1, &end, 10);
    if (end == s + 1 || *end || e < -40 || e > 40) return -1;
    exp10 = (int)e;
  } else if (*s) {
    return -1;
  }
  if (nd == 0) return -1;
  /* The value is 0.d1d2d3... * 10^(intdigits); keep digits up to the sixth decimal. */
  int int_digits = (point >= 0 ? point : nd) + exp10;
  int keep = int_digits + 6;
  int64_t v = 0;
  for (int i = 0; i < keep; i++) {
    v = v * 10 + (i < nd ? digits[i] - '0' : 0);
    if (v > limit_e6 * 10) return -1;
  }
  if (keep >= 0 && keep < nd && digits[keep] >= '5') v++;
  if (keep < 0) v = 0;
  if (v > limit_e6) return -1;
  *out = neg ? -v : v;
  return 0;
}

/* One coordinate in degrees within +-limit, as microdegrees. */
static int read_degrees(const json_t *v, const char *path, hw_errors *errs, int limit,
                        int32_t *out) {
  char text[64];
  int64_t e6;
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < -limit || x > limit) goto out_of_range;
    *out = (int32_t)(x * 1000000);
    return 1;
  }
  if (!json_is_real(v)) {
    hw_errors_add(errs, path, "must be a number of degrees");
    return -1;
  }
  /* 15 significant digits give back the decimal text the number was written with
   * (any coordinate has at most 10), so rounding works on what the sender wrote. */
  snprintf(text, sizeof text, "%.15g", json_real_value(v));
  if (decimal_to_e6(text, (int64_t)limit * 1000000, &e6) != 0) goto out_of_range;
  *out = (int32_t)e6;
  return 1;
out_of_range:
  hw_errors_add(errs, path, "must be between -%d and %d degrees", limit, limit);
  return -1;
}

int hw_val_geo(const json_t *v, const char *path, hw_errors *errs, hw_geo *out) {
  static const char *const allowed[] = {"lat", "lon", NULL};
  hw_reader r;
  const json_t *x;
  char p[HW_PATH_MAX];
  if (hw_reader_open(&r, v, path, errs, allowed) < 0) return -1;
  int32_t before = hw_errors_total(errs);
  if (hw_get(&r, "lat", 1, &x, p) == 1) read_degrees(x, p, errs, 90, &out->lat_e6);
  if (hw_get(&r, "lon", 1, &x, p) == 1) read_degrees(x, p, errs, 180, &out->lon_e6);
  return hw_errors_total(errs) > before ? -1 : 1;
}

int hw_val_name_set(const json_t *v, const char *path, hw_errors *errs, const hw_names *t,
                    int nonempty, uint32_t *out) {
  char p[HW_PATH_MAX];
  uint32_t bits = 0;
  int ok = 1;
  if (!json_is_array(v)) {
    hw_errors_add(errs, path, "must be an array");
    return -1;
  }
  if (nonempty && json_array_size(v) == 0) {
    hw_errors_add(errs, path, "must not be empty");
    return -1;
  }
  for (size_t i = 0; i < json_array_size(v); i++) {
    int x;
    hw_path_index(p, path, i);
    if (hw_val_enum(json_array_get(v, i), p, errs, t, &x) < 0) {
      ok = 0;
    } else if (bits & (1u << x)) {
      hw_errors_add(errs, p, "\"%s\" is listed twice", t->names[x]);
      ok = 0;
    } else {
      bits |= 1u << x;
    }
  }
  if (!ok) return -1;
  *out = bits;
  return 1;
}

/* ---- Objects ------------------------------------------------------------------ */

static int is_allowed(const char *key, const char *const *allowed) {
  for (; *allowed; allowed++)
    if (strcmp(key, *allowed) == 0) return 1;
  return 0;
}

int hw_reader_open(hw_reader *r, const json_t *j, const char *path, hw_errors *errs,
                   const char *const *allowed) {
  const char *key;
  json_t *val;
  char p[HW_PATH_MAX];
  r->obj = j;
  r->path = path;
  r->errs = errs;
  if (!json_is_object(j)) {
    hw_errors_add(errs, path, "must be an object");
    r->obj = NULL;
    return -1;
  }
  /* json_object_foreach takes a non-const object but does not modify it. */
  json_object_foreach((json_t *)j, key, val) {
    if (!is_allowed(key, allowed)) {
      hw_path_key(p, path, key);
      hw_errors_add(errs, p, "unknown field");
    }
  }
  return 1;
}

int hw_get(const hw_reader *r, const char *key, int required, const json_t **v, char *path) {
  hw_path_key(path, r->path, key);
  *v = r->obj ? json_object_get(r->obj, key) : NULL;
  if (*v && !json_is_null(*v)) return 1;
  if (!required) return 0;
  if (r->obj) hw_errors_add(r->errs, path, "is required");
  return -1;
}

/* The key-level readers: look the field up, then read its value. */
#define HW_GET_FIELD(call)                                \
  const json_t *v;                                        \
  char p[HW_PATH_MAX];                                    \
  int rc = hw_get(r, key, required, &v, p);               \
  return rc == 1 ? (call) : rc

int hw_get_string(const hw_reader *r, const char *key, int required, char *buf, size_t len) {
  HW_GET_FIELD(hw_val_string(v, p, r->errs, buf, len, required));
}

int hw_get_int(const hw_reader *r, const char *key, int required, int64_t min, int64_t max,
               int64_t *out) {
  HW_GET_FIELD(hw_val_int(v, p, r->errs, min, max, out));
}

int hw_get_i32(const hw_reader *r, const char *key, int required, int32_t min, int32_t max,
               int32_t *out) {
  int64_t x;
  int rc = hw_get_int(r, key, required, min, max, &x);
  if (rc == 1) *out = (int32_t)x;
  return rc;
}

int hw_get_id(const hw_reader *r, const char *key, int required, hw_id *out) {
  HW_GET_FIELD(hw_val_id(v, p, r->errs, required ? 1 : 0, out));
}

int hw_get_bool(const hw_reader *r, const char *key, int required, int *out) {
  HW_GET_FIELD(hw_val_bool(v, p, r->errs, out));
}

int hw_get_enum(const hw_reader *r, const char *key, int required, const hw_names *t, int *out) {
  HW_GET_FIELD(hw_val_enum(v, p, r->errs, t, out));
}

int hw_get_time(const hw_reader *r, const char *key, int required, hw_time *out) {
  HW_GET_FIELD(hw_val_time(v, p, r->errs, out));
}

int hw_get_date(const hw_reader *r, const char *key, int required, hw_date *out) {
  HW_GET_FIELD(hw_val_date(v, p, r->errs, out));
}

int hw_get_minute(const hw_reader *r, const char *key, int required, int *out) {
  HW_GET_FIELD(hw_val_minute(v, p, r->errs, out));
}

int hw_get_geo(const hw_reader *r, const char *key, int required, hw_geo *out) {
  HW_GET_FIELD(hw_val_geo(v, p, r->errs, out));
}

int hw_get_name_set(const hw_reader *r, const char *key, int required, const hw_names *t,
                    int nonempty, uint32_t *out) {
  HW_GET_FIELD(hw_val_name_set(v, p, r->errs, t, nonempty, out));
}

int hw_get_array(const hw_reader *r, const char *key, int required, size_t min_items,
                 size_t max_items, const json_t **arr, char *path) {
  int rc = hw_get(r, key, required, arr, path);
  if (rc != 1) return rc;
  if (!json_is_array(*arr)) {
    hw_errors_add(r->errs, path, "must be an array");
    return -1;
  }
  size_t n = json_array_size(*arr);
  if (n < min_items) {
    hw_errors_add(r->errs, path, "must have at least %zu item%s", min_items,
                  min_items == 1 ? "" : "s");
    return -1;
  }
  if (n > max_items) {
    hw_errors_add(r->errs, path, "must have at most %zu items", max_items);
    return -1;
  }
  return 1;
}

int hw_read_minute_window(const hw_reader *r, hw_minute_window *out) {
  char field[HW_PATH_MAX];
  int start = 0, end = 0;
  int s_ok = hw_get_minute(r, "start", 1, &start);
  int e_ok = hw_get_minute(r, "end", 1, &end);
  if (s_ok != 1 || e_ok != 1) return -1;
  if (start >= 1440) {
    hw_path_key(field, r->path, "start");
    hw_errors_add(r->errs, field, "must be before 24:00");
    return -1;
  }
  if (end <= start) {
    hw_path_key(field, r->path, "end");
    hw_errors_add(r->errs, field, "must be after start");
    return -1;
  }
  out->start = (int16_t)start;
  out->end = (int16_t)end;
  return 1;
}

int hw_get_minute_window(const hw_reader *r, const char *key, int required,
                         hw_minute_window *out) {
  static const char *const allowed[] = {"start", "end", NULL};
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader w;
  int rc = hw_get(r, key, required, &v, p);
  if (rc != 1) return rc;
  if (hw_reader_open(&w, v, p, r->errs, allowed) < 0) return -1;
  return hw_read_minute_window(&w, out);
}

/* ---- Writers ------------------------------------------------------------------ */

json_t *hw_json_time(hw_time t) {
  char buf[32];
  return t == HW_TIME_NONE ? json_null() : json_string(hw_time_format(t, buf, sizeof buf));
}

json_t *hw_json_date(hw_date d) {
  char buf[16];
  return d == HW_DATE_NONE ? json_null() : json_string(hw_date_format(d, buf, sizeof buf));
}

json_t *hw_json_minute(int minute) {
  char buf[8];
  return json_string(hw_minute_format(minute, buf, sizeof buf));
}

json_t *hw_json_geo(hw_geo g) {
  /* The quotient of two exact doubles is the double nearest lat_e6 / 10^6, whose
   * shortest text is the six-decimal value, so decoding it gives back lat_e6. */
  return json_pack("{s:f, s:f}", "lat", g.lat_e6 / 1e6, "lon", g.lon_e6 / 1e6);
}

json_t *hw_json_name_set(const hw_names *t, uint32_t bits) {
  json_t *arr = json_array();
  for (int i = 0; arr && i < t->count; i++) {
    if ((bits >> i & 1u) && json_array_append_new(arr, json_string(t->names[i]))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

json_t *hw_json_minute_window(hw_minute_window w) {
  return json_pack("{s:o, s:o}", "start", hw_json_minute(w.start), "end", hw_json_minute(w.end));
}
