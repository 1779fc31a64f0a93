/*
 * The codecs' internal toolkit (not part of the public API): enumeration name
 * tables, a JSON field reader that records every problem in an hw_errors list
 * under its JSON pointer, and small writers for the value types.
 *
 * Readers return 1 when a value was read into *out, 0 when an optional field is
 * absent or null (*out untouched, so the caller presets the default), and -1 when
 * a problem was recorded. A required field that is absent or null is a problem
 * ("is required"). Cross-field checks run only when both sides returned 1.
 */
#ifndef HW_CODEC_READER_H
#define HW_CODEC_READER_H

#include "hw_codec.h"
#include "hw_error.h"

#define HW_PATH_MAX 128

/* ---- Name tables ---------------------------------------------------------- */

typedef struct hw_names {
  const char *const *names;
  int count;
} hw_names;

extern const hw_names hw_team_kind_names, hw_skill_names, hw_travel_mode_names,
    hw_gender_names, hw_source_names, hw_pathway_names, hw_referral_status_names,
    hw_outcome_names, hw_discharge_status_names, hw_visit_status_names, hw_weekday_names,
    hw_finding_names;

/* The name of value v, or "unknown" when v is outside the table. */
const char *hw_names_get(const hw_names *t, int v);
/* The value named s, or -1. */
int hw_names_find(const hw_names *t, const char *s);

/* ---- Paths ------------------------------------------------------------------ */

/* base + "/" + key (escaped as a JSON pointer token) into out[HW_PATH_MAX]. */
void hw_path_key(char *out, const char *base, const char *key);
/* base + "/" + i into out[HW_PATH_MAX]. */
void hw_path_index(char *out, const char *base, size_t i);

/* ---- Reading one value at a known path --------------------------------------- */

int hw_val_string(const json_t *v, const char *path, hw_errors *errs, char *buf, size_t len,
                  int nonempty);
int hw_val_int(const json_t *v, const char *path, hw_errors *errs, int64_t min, int64_t max,
               int64_t *out);
int hw_val_id(const json_t *v, const char *path, hw_errors *errs, int64_t min, hw_id *out);
int hw_val_bool(const json_t *v, const char *path, hw_errors *errs, int *out);
int hw_val_enum(const json_t *v, const char *path, hw_errors *errs, const hw_names *t, int *out);
int hw_val_time(const json_t *v, const char *path, hw_errors *errs, hw_time *out);
int hw_val_date(const json_t *v, const char *path, hw_errors *errs, hw_date *out);
int hw_val_minute(const json_t *v, const char *path, hw_errors *errs, int *out);
int hw_val_geo(const json_t *v, const char *path, hw_errors *errs, hw_geo *out);
/* An array of distinct names from t, as a bitset (bit = value). */
int hw_val_name_set(const json_t *v, const char *path, hw_errors *errs, const hw_names *t,
                    int nonempty, uint32_t *out);

/* ---- Reading fields of one object ------------------------------------------- */

typedef struct hw_reader {
  const json_t *obj;
  const char *path;
  hw_errors *errs;
} hw_reader;

/* Start reading j (at path) as an object whose only fields are `allowed` (NULL
 * terminated); every other field is reported "unknown field". Returns 1, or -1
 * after reporting "must be an object". */
int hw_reader_open(hw_reader *r, const json_t *j, const char *path, hw_errors *errs,
                   const char *const *allowed);
/* Look key up: 1 with *v and path filled, 0 absent/null and optional, -1 absent
 * and required (reported). path needs HW_PATH_MAX bytes. */
int hw_get(const hw_reader *r, const char *key, int required, const json_t **v, char *path);

int hw_get_string(const hw_reader *r, const char *key, int required, char *buf, size_t len);
int hw_get_int(const hw_reader *r, const char *key, int required, int64_t min, int64_t max,
               int64_t *out);
int hw_get_i32(const hw_reader *r, const char *key, int required, int32_t min, int32_t max,
               int32_t *out);
/* ids: 0 means none; required references must be >= 1. */
int hw_get_id(const hw_reader *r, const char *key, int required, hw_id *out);
int hw_get_bool(const hw_reader *r, const char *key, int required, int *out);
int hw_get_enum(const hw_reader *r, const char *key, int required, const hw_names *t, int *out);
int hw_get_time(const hw_reader *r, const char *key, int required, hw_time *out);
int hw_get_date(const hw_reader *r, const char *key, int required, hw_date *out);
int hw_get_minute(const hw_reader *r, const char *key, int required, int *out);
int hw_get_geo(const hw_reader *r, const char *key, int required, hw_geo *out);
int hw_get_name_set(const hw_reader *r, const char *key, int required, const hw_names *t,
                    int nonempty, uint32_t *out);
/* An array field of at most max items (min_items when present): 1 with *arr and
 * path filled. */
int hw_get_array(const hw_reader *r, const char *key, int required, size_t min_items,
                 size_t max_items, const json_t **arr, char *path);
/* The "start" and "end" times of day of the object r reads: 1 when both were read
 * and start < end (else the problem is reported on start or end). */
int hw_read_minute_window(const hw_reader *r, hw_minute_window *out);
/* A field holding such a window as {"start":"HH:MM","end":"HH:MM"}. */
int hw_get_minute_window(const hw_reader *r, const char *key, int required,
                         hw_minute_window *out);

/* Problems found so far, kept or dropped: a decoder failed when this grew. */
int32_t hw_errors_total(const hw_errors *errs);

/* ---- Writing ---------------------------------------------------------------- */

json_t *hw_json_time(hw_time t);     /* ISO 8601 string, or null for HW_TIME_NONE */
json_t *hw_json_date(hw_date d);     /* "YYYY-MM-DD", or null for HW_DATE_NONE */
json_t *hw_json_minute(int minute);  /* "HH:MM" */
json_t *hw_json_geo(hw_geo g);       /* {"lat":..,"lon":..} in degrees */
json_t *hw_json_name_set(const hw_names *t, uint32_t bits);
json_t *hw_json_minute_window(hw_minute_window w);

/* Read an enum field into an enum-typed lvalue (hw_get_enum writes an int). */
#define HW_GET_ENUM(r, key, required, table, field)                 \
  do {                                                              \
    int e_;                                                         \
    if (hw_get_enum(r, key, required, table, &e_) == 1) field = e_; \
  } while (0)

/* HW_EINVAL when errors were added since the count `before`, else 0: how every
 * decoder reports its result. */
static inline int hw_decoded(const hw_errors *errs, int32_t before) {
  return hw_errors_total(errs) > before ? HW_EINVAL : 0;
}

#endif
