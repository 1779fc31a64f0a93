/*
 * Readers of VROOM's JSON input (a subset) and Homeward's own JSON, which is that
 * subset plus the care features of the model (hw_instance.h; docs/solver.md has
 * the field list).
 *
 * VROOM subset: vehicles {id, start, end, start_index, end_index, capacity, skills,
 * time_window, breaks {id, time_windows (one), service}, costs {fixed},
 * description}; jobs {id, location, location_index, service, delivery or amount,
 * skills, priority, time_windows, description}; matrices {durations, costs} (or one
 * profile object holding them, or a top-level "matrix"). Coordinates ("start",
 * "location") are accepted but unused: travel comes from the matrix, so every
 * location needs its *_index. Times are integer seconds (time_scale 1).
 *
 * Homeward adds: jobs {workers 1|2, pin {vehicle, start}, excluded, preferred,
 * unassigned_cost}, and top-level links [{first, second, min_gap, max_gap}],
 * soft_windows, lateness_weight, max_routes.
 *
 * Anything else is rejected as "not supported: <field>" so that no input is
 * silently half-understood. Errors name the field by JSON pointer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_instance.h"

#define JSON_MAX_LOCATIONS 20000

typedef struct ctx {
  int homeward;
  char *err;
  size_t err_len;
  int64_t skill_ids[64]; /* caller's skill numbers, bit i = skill_ids[i] */
  int n_skills;
  hw_problem *p;
} ctx;

static int failf(ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int failf(ctx *c, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->err_len, fmt, ap);
  va_end(ap);
  return code;
}

/* Every key of obj must be in allowed (VROOM keys) or, for Homeward, in extra. */
static int check_keys(ctx *c, const json_t *obj, const char *path, const char *const *allowed,
                      const char *const *extra) {
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    int ok = 0;
    for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
    for (const char *const *a = extra; c->homeward && *a && !ok; a++) ok = strcmp(*a, key) == 0;
    if (!ok) return failf(c, HW_EUNSUPPORTED, "not supported: %s/%s", path, key);
  }
  return 0;
}

/* An optional integer member in [lo, hi]; *out keeps its value when absent. */
static int get_int(ctx *c, const json_t *obj, const char *key, const char *path, int64_t lo, int64_t hi,
                   int64_t *out) {
  const json_t *v = json_object_get(obj, key);
  if (!v) return 0;
  if (!json_is_integer(v)) return failf(c, HW_EINVAL, "%s/%s: must be an integer", path, key);
  int64_t x = json_integer_value(v);
  if (x < lo || x > hi) {
    if (x < 0 && lo >= 0) return failf(c, HW_EINVAL, "%s/%s: must not be negative", path, key);
    return failf(c, HW_EINVAL, "%s/%s: out of range [%lld, %lld]", path, key, (long long)lo, (long long)hi);
  }
  *out = x;
  return 0;
}

static int require_id(ctx *c, const json_t *obj, const char *path, int64_t *out) {
  if (!json_object_get(obj, "id")) return failf(c, HW_EINVAL, "%s/id: missing", path);
  return get_int(c, obj, "id", path, INT64_MIN, INT64_MAX, out);
}

static int get_window(ctx *c, const json_t *v, const char *path, hw_window *out) {
  if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(json_array_get(v, 0)) ||
      !json_is_integer(json_array_get(v, 1)))
    return failf(c, HW_EINVAL, "%s: must be [start, end] in integer seconds", path);
  json_int_t s = json_integer_value(json_array_get(v, 0)), e = json_integer_value(json_array_get(v, 1));
  if (s < 0) return failf(c, HW_EINVAL, "%s: start is negative", path);
  if (e < s) return failf(c, HW_EINVAL, "%s: window end before start", path);
  if (e > HW_TICK_MAX) return failf(c, HW_EINVAL, "%s: end beyond %d", path, HW_TICK_MAX);
  out->start = (hw_tick)s;
  out->end = (hw_tick)e;
  return 0;
}

/* A one-dimensional amount ([n]); more dimensions are beyond the model. */
static int get_amount(ctx *c, const json_t *obj, const char *key, const char *path, int32_t *out) {
  const json_t *v = json_object_get(obj, key);
  if (!v) return 0;
  if (!json_is_array(v)) return failf(c, HW_EINVAL, "%s/%s: must be an array", path, key);
  if (json_array_size(v) > 1) return failf(c, HW_EUNSUPPORTED, "not supported: %s/%s with more than one dimension", path, key);
  if (json_array_size(v) == 0) return 0;
  const json_t *x = json_array_get(v, 0);
  if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > INT32_MAX)
    return failf(c, HW_EINVAL, "%s/%s/0: must be a non-negative integer", path, key);
  *out = (int32_t)json_integer_value(x);
  return 0;
}

static int skill_bit(ctx *c, int64_t id, const char *path, hw_skillset *set) {
  int i = 0;
  while (i < c->n_skills && c->skill_ids[i] != id) i++;
  if (i == c->n_skills) {
    if (i == 64) return failf(c, HW_EUNSUPPORTED, "not supported: %s: more than 64 distinct skills", path);
    c->skill_ids[c->n_skills++] = id;
  }
  *set |= (hw_skillset)1 << i;
  return 0;
}

static int get_skills(ctx *c, const json_t *obj, const char *path, hw_skillset *out) {
  const json_t *v = json_object_get(obj, "skills");
  if (!v) return 0;
  if (!json_is_array(v)) return failf(c, HW_EINVAL, "%s/skills: must be an array of integers", path);
  size_t i;
  const json_t *s;
  json_array_foreach(v, i, s) {
    if (!json_is_integer(s)) return failf(c, HW_EINVAL, "%s/skills/%zu: must be an integer", path, i);
    int rc = skill_bit(c, json_integer_value(s), path, out);
    if (rc < 0) return rc;
  }
  return 0;
}

static int get_loc(ctx *c, const json_t *obj, const char *key, const char *coord_key, const char *path,
                   int32_t *out) {
  int64_t v = -1;
  int rc = get_int(c, obj, key, path, 0, (int64_t)c->p->n_locations - 1, &v);
  if (rc < 0) return rc;
  if (v < 0 && json_object_get(obj, coord_key))
    return failf(c, HW_EUNSUPPORTED, "not supported: %s/%s without %s (routing needs a matrix index)", path, coord_key,
                 key);
  *out = (int32_t)v;
  return 0;
}

/* ---- Matrices ----------------------------------------------------------- */

static int matrix_size(ctx *c, const json_t *m, const char *path, int32_t *n) {
  if (!json_is_array(m) || json_array_size(m) == 0) return failf(c, HW_EINVAL, "%s: must be a non-empty square matrix", path);
  if (json_array_size(m) > JSON_MAX_LOCATIONS) return failf(c, HW_ETOOLARGE, "%s: more than %d locations", path, JSON_MAX_LOCATIONS);
  *n = (int32_t)json_array_size(m);
  return 0;
}

/* Fill an n x n matrix of non-negative integers; into ticks when out32, else out64. */
static int read_matrix(ctx *c, const json_t *m, const char *path, int32_t n, hw_tick *out32, int64_t *out64) {
  if (!json_is_array(m) || json_array_size(m) != (size_t)n)
    return failf(c, HW_EINVAL, "%s: must have %d rows", path, n);
  for (int32_t i = 0; i < n; i++) {
    const json_t *row = json_array_get(m, (size_t)i);
    if (!json_is_array(row) || json_array_size(row) != (size_t)n)
      return failf(c, HW_EINVAL, "%s/%d: must have %d values (square matrix)", path, i, n);
    for (int32_t j = 0; j < n; j++) {
      const json_t *v = json_array_get(row, (size_t)j);
      if (!json_is_integer(v)) return failf(c, HW_EINVAL, "%s/%d/%d: must be an integer", path, i, j);
      json_int_t x = json_integer_value(v);
      if (x < 0) return failf(c, HW_EINVAL, "%s/%d/%d: negative duration", path, i, j);
      if (out32 && x > HW_TICK_MAX / 4) return failf(c, HW_EINVAL, "%s/%d/%d: too large", path, i, j);
      if (out32) out32[(size_t)i * (size_t)n + (size_t)j] = (hw_tick)x;
      else out64[(size_t)i * (size_t)n + (size_t)j] = x;
    }
  }
  return 0;
}

/* Find the durations and costs matrices: matrices.{durations,costs}, one profile
 * object inside "matrices", or the legacy top-level "matrix". */
static int locate_matrices(ctx *c, const json_t *doc, const json_t **dur, const json_t **cost, char *path,
                           size_t path_len) {
  const json_t *ms = json_object_get(doc, "matrices"), *legacy = json_object_get(doc, "matrix");
  *cost = NULL;
  if (legacy && !ms) {
    *dur = legacy;
    snprintf(path, path_len, "/matrix");
    return 0;
  }
  if (!json_is_object(ms)) return failf(c, HW_EUNSUPPORTED, "not supported: routing without a matrix (give /matrices/durations)");
  if (json_object_get(ms, "durations")) {
    snprintf(path, path_len, "/matrices");
  } else {
    if (json_object_size(ms) != 1) return failf(c, HW_EUNSUPPORTED, "not supported: /matrices with several profiles");
    const char *name = json_object_iter_key(json_object_iter((json_t *)ms));
    snprintf(path, path_len, "/matrices/%s", name);
    ms = json_object_get(ms, name);
    if (!json_is_object(ms)) return failf(c, HW_EINVAL, "%s: must be an object", path);
  }
  static const char *const keys[] = {"durations", "costs", "distances", NULL}, *const none[] = {NULL};
  int rc = check_keys(c, ms, path, keys, none);
  if (rc < 0) return rc;
  *dur = json_object_get(ms, "durations");
  *cost = json_object_get(ms, "costs");
  if (!*dur) return failf(c, HW_EINVAL, "%s/durations: missing", path);
  return 0;
}

static int read_matrices(ctx *c, const json_t *dur, const json_t *cost, const char *path, int32_t n) {
  char sub[256];
  snprintf(sub, sizeof sub, "%s/durations", path);
  int rc = read_matrix(c, dur, sub, n, c->p->durations[0], NULL);
  if (rc < 0 || !cost) return rc;
  c->p->costs[0] = calloc((size_t)n * (size_t)n, sizeof(int64_t));
  if (!c->p->costs[0]) return HW_ENOMEM;
  snprintf(sub, sizeof sub, "%s/costs", path);
  return read_matrix(c, cost, sub, n, NULL, c->p->costs[0]);
}

/* ---- Vehicles and jobs ---------------------------------------------------- */

static int read_break(ctx *c, const json_t *b, const char *path, hw_break_spec *out) {
  static const char *const keys[] = {"id", "time_windows", "service", "description", NULL}, *const none[] = {NULL};
  if (!json_is_object(b)) return failf(c, HW_EINVAL, "%s: must be an object", path);
  int rc = check_keys(c, b, path, keys, none);
  if (rc == 0) rc = require_id(c, b, path, &out->id);
  if (rc < 0) return rc;
  const json_t *tw = json_object_get(b, "time_windows");
  if (!json_is_array(tw) || json_array_size(tw) != 1)
    return json_is_array(tw) ? failf(c, HW_EUNSUPPORTED, "not supported: %s/time_windows with more than one window", path)
                             : failf(c, HW_EINVAL, "%s/time_windows: must be an array of one window", path);
  char sub[320];
  snprintf(sub, sizeof sub, "%s/time_windows/0", path);
  if ((rc = get_window(c, json_array_get(tw, 0), sub, &out->window)) < 0) return rc;
  int64_t service = 0;
  rc = get_int(c, b, "service", path, 0, HW_TICK_MAX / 4, &service);
  out->duration = (hw_tick)service;
  return rc;
}

static int read_vehicle_costs(ctx *c, const json_t *v, const char *path, hw_resource *r) {
  const json_t *costs = json_object_get(v, "costs");
  if (!costs) return 0;
  static const char *const keys[] = {"fixed", NULL}, *const none[] = {NULL};
  char sub[256];
  snprintf(sub, sizeof sub, "%s/costs", path);
  if (!json_is_object(costs)) return failf(c, HW_EINVAL, "%s: must be an object", sub);
  int rc = check_keys(c, costs, sub, keys, none);
  if (rc == 0) rc = get_int(c, costs, "fixed", sub, 0, INT64_MAX / 4, &r->fixed_cost);
  return rc;
}

static int read_vehicle(ctx *c, const json_t *v, const char *path, hw_resource *r) {
  static const char *const keys[] = {"id", "start", "end", "start_index", "end_index", "capacity", "skills",
                                     "time_window", "breaks", "costs", "description", "profile", NULL},
                           *const none[] = {NULL};
  if (!json_is_object(v)) return failf(c, HW_EINVAL, "%s: must be an object", path);
  int rc = check_keys(c, v, path, keys, none);
  if (rc == 0) rc = require_id(c, v, path, &r->id);
  if (rc == 0) rc = get_loc(c, v, "start_index", "start", path, &r->start_loc);
  if (rc == 0) rc = get_loc(c, v, "end_index", "end", path, &r->end_loc);
  if (rc == 0) rc = get_amount(c, v, "capacity", path, &r->capacity);
  if (rc == 0) rc = get_skills(c, v, path, &r->skills);
  if (rc == 0) rc = read_vehicle_costs(c, v, path, r);
  char sub[256];
  if (rc == 0 && json_object_get(v, "time_window")) {
    snprintf(sub, sizeof sub, "%s/time_window", path);
    rc = get_window(c, json_object_get(v, "time_window"), sub, &r->shift);
  }
  const json_t *breaks = json_object_get(v, "breaks");
  if (rc < 0 || !breaks) return rc;
  if (!json_is_array(breaks)) return failf(c, HW_EINVAL, "%s/breaks: must be an array", path);
  if (json_array_size(breaks) > HW_MAX_BREAKS)
    return failf(c, HW_EUNSUPPORTED, "not supported: %s/breaks: more than %d breaks", path, HW_MAX_BREAKS);
  for (size_t i = 0; i < json_array_size(breaks) && rc == 0; i++) {
    snprintf(sub, sizeof sub, "%s/breaks/%zu", path, i);
    rc = read_break(c, json_array_get(breaks, i), sub, &r->breaks[i]);
    r->n_breaks = (int32_t)i + 1;
  }
  return rc;
}

static int32_t find_vehicle(const hw_problem *p, int64_t id) {
  for (int32_t i = 0; i < p->n_resources; i++)
    if (p->resources[i].id == id) return i;
  return -1;
}

static int32_t find_job(const hw_problem *p, int64_t id) {
  for (int32_t i = 0; i < p->n_jobs; i++)
    if (p->jobs[i].id == id) return i;
  return -1;
}

/* A list of vehicle ids (excluded / preferred) as resource indices. */
static int read_vehicle_list(ctx *c, const json_t *job, const char *key, const char *path, int32_t *n, int32_t *out) {
  const json_t *v = json_object_get(job, key);
  if (!v) return 0;
  if (!json_is_array(v)) return failf(c, HW_EINVAL, "%s/%s: must be an array of vehicle ids", path, key);
  if (json_array_size(v) > HW_MAX_PREFS)
    return failf(c, HW_EUNSUPPORTED, "not supported: %s/%s: more than %d vehicles", path, key, HW_MAX_PREFS);
  size_t i;
  const json_t *x;
  json_array_foreach(v, i, x) {
    int32_t r = json_is_integer(x) ? find_vehicle(c->p, json_integer_value(x)) : -1;
    if (r < 0) return failf(c, HW_EINVAL, "%s/%s/%zu: no vehicle with this id", path, key, i);
    out[(*n)++] = r;
  }
  return 0;
}

static int read_pin(ctx *c, const json_t *job, const char *path, hw_job *j) {
  const json_t *pin = json_object_get(job, "pin");
  if (!pin) return 0;
  static const char *const keys[] = {"vehicle", "start", NULL}, *const none[] = {NULL};
  char sub[256];
  snprintf(sub, sizeof sub, "%s/pin", path);
  if (!json_is_object(pin)) return failf(c, HW_EINVAL, "%s: must be an object", sub);
  int rc = check_keys(c, pin, sub, keys, none);
  int64_t vehicle = INT64_MIN, start = -1;
  if (rc == 0) rc = get_int(c, pin, "vehicle", sub, INT64_MIN + 1, INT64_MAX, &vehicle);
  if (rc == 0) rc = get_int(c, pin, "start", sub, 0, HW_TICK_MAX, &start);
  if (rc < 0) return rc;
  if (vehicle != INT64_MIN && (j->pin_resource = find_vehicle(c->p, vehicle)) < 0)
    return failf(c, HW_EINVAL, "%s/vehicle: no vehicle with id %lld", sub, (long long)vehicle);
  j->pin_start = (hw_tick)start;
  return 0;
}

static int read_windows(ctx *c, const json_t *job, const char *path, hw_job *j) {
  const json_t *tw = json_object_get(job, "time_windows");
  if (!tw) return 0;
  if (!json_is_array(tw) || json_array_size(tw) == 0)
    return failf(c, HW_EINVAL, "%s/time_windows: must be a non-empty array of [start, end]", path);
  if (json_array_size(tw) > HW_MAX_WINDOWS)
    return failf(c, HW_EUNSUPPORTED, "not supported: %s/time_windows: more than %d windows", path, HW_MAX_WINDOWS);
  j->n_windows = (int32_t)json_array_size(tw);
  for (int32_t w = 0; w < j->n_windows; w++) {
    char sub[256];
    snprintf(sub, sizeof sub, "%s/time_windows/%d", path, w);
    int rc = get_window(c, json_array_get(tw, (size_t)w), sub, &j->windows[w]);
    if (rc < 0) return rc;
    if (w > 0 && j->windows[w].start <= j->windows[w - 1].end)
      return failf(c, HW_EINVAL, "%s: windows must be sorted and disjoint", sub);
  }
  return 0;
}

static int read_job(ctx *c, const json_t *v, const char *path, hw_job *j) {
  static const char *const keys[] = {"id", "location", "location_index", "service", "delivery", "amount",
                                     "skills", "priority", "time_windows", "description", NULL},
                           *const extra[] = {"workers", "pin", "excluded", "preferred", "unassigned_cost", NULL};
  if (!json_is_object(v)) return failf(c, HW_EINVAL, "%s: must be an object", path);
  int rc = check_keys(c, v, path, keys, extra);
  if (rc == 0) rc = require_id(c, v, path, &j->id);
  if (rc == 0 && !json_object_get(v, "location_index"))
    rc = failf(c, json_object_get(v, "location") ? HW_EUNSUPPORTED : HW_EINVAL,
               "%s/location_index: missing (routing needs a matrix index)", path);
  if (rc == 0) rc = get_loc(c, v, "location_index", "location", path, &j->loc);
  int64_t service = 0, priority = 0, workers = 1;
  if (rc == 0) rc = get_int(c, v, "service", path, 0, HW_TICK_MAX / 4, &service);
  if (rc == 0) rc = get_int(c, v, "priority", path, 0, 100, &priority);
  if (rc == 0) rc = get_int(c, v, "workers", path, 1, 2, &workers);
  if (rc == 0) rc = get_int(c, v, "unassigned_cost", path, 0, INT64_MAX / 4, &j->unassigned_cost);
  if (rc == 0) rc = get_amount(c, v, "delivery", path, &j->demand);
  if (rc == 0) rc = get_amount(c, v, "amount", path, &j->demand);
  if (rc == 0) rc = get_skills(c, v, path, &j->skills);
  if (rc == 0) rc = read_windows(c, v, path, j);
  if (rc == 0) rc = read_pin(c, v, path, j);
  if (rc == 0) rc = read_vehicle_list(c, v, "excluded", path, &j->n_excluded, j->excluded);
  if (rc == 0) rc = read_vehicle_list(c, v, "preferred", path, &j->n_preferred, j->preferred);
  j->service = (hw_tick)service;
  j->priority = (int32_t)priority;
  j->workers = (int32_t)workers;
  return rc;
}

static int read_link(ctx *c, const json_t *v, const char *path, hw_link *l) {
  static const char *const keys[] = {"first", "second", "min_gap", "max_gap", NULL}, *const none[] = {NULL};
  if (!json_is_object(v)) return failf(c, HW_EINVAL, "%s: must be an object", path);
  int rc = check_keys(c, v, path, keys, none);
  int64_t first = INT64_MIN, second = INT64_MIN, lo = 0, hi = 0;
  if (rc == 0) rc = get_int(c, v, "first", path, INT64_MIN + 1, INT64_MAX, &first);
  if (rc == 0) rc = get_int(c, v, "second", path, INT64_MIN + 1, INT64_MAX, &second);
  if (rc == 0) rc = get_int(c, v, "min_gap", path, -HW_TICK_MAX, HW_TICK_MAX, &lo);
  if (rc == 0) rc = get_int(c, v, "max_gap", path, -HW_TICK_MAX, HW_TICK_MAX, &hi);
  if (rc < 0) return rc;
  if ((l->first = find_job(c->p, first)) < 0) return failf(c, HW_EINVAL, "%s/first: no job with this id", path);
  if ((l->second = find_job(c->p, second)) < 0) return failf(c, HW_EINVAL, "%s/second: no job with this id", path);
  if (hi < lo) return failf(c, HW_EINVAL, "%s/max_gap: below min_gap", path);
  l->min_gap = (hw_tick)lo;
  l->max_gap = (hw_tick)hi;
  return 0;
}

/* ---- Document ------------------------------------------------------------- */

static int read_array(ctx *c, const json_t *doc, const char *key, int required, const json_t **out) {
  *out = json_object_get(doc, key);
  if (!*out && !required) return 0;
  if (!json_is_array(*out)) return failf(c, HW_EINVAL, "/%s: %s", key, *out ? "must be an array" : "missing");
  return 0;
}

static int read_top_level(ctx *c, const json_t *doc) {
  const json_t *soft = json_object_get(doc, "soft_windows");
  if (soft && !json_is_boolean(soft)) return failf(c, HW_EINVAL, "/soft_windows: must be true or false");
  c->p->soft_windows = json_is_true(soft);
  int64_t w = c->p->lateness_weight, mr = 0;
  int rc = get_int(c, doc, "lateness_weight", "", 0, INT32_MAX, &w);
  if (rc == 0) rc = get_int(c, doc, "max_routes", "", 0, c->p->n_resources, &mr);
  c->p->lateness_weight = w;
  c->p->max_routes = (int32_t)mr;
  return rc;
}

static int read_entities(ctx *c, const json_t *vehicles, const json_t *jobs, const json_t *links) {
  int rc = 0;
  char path[64];
  for (size_t i = 0; rc == 0 && i < json_array_size(vehicles); i++) {
    snprintf(path, sizeof path, "/vehicles/%zu", i);
    rc = read_vehicle(c, json_array_get(vehicles, i), path, &c->p->resources[i]);
    if (rc == 0 && find_vehicle(c->p, c->p->resources[i].id) != (int32_t)i)
      rc = failf(c, HW_EINVAL, "%s/id: duplicate vehicle id %lld", path, (long long)c->p->resources[i].id);
  }
  for (size_t i = 0; rc == 0 && i < json_array_size(jobs); i++) {
    snprintf(path, sizeof path, "/jobs/%zu", i);
    rc = read_job(c, json_array_get(jobs, i), path, &c->p->jobs[i]);
    if (rc == 0 && find_job(c->p, c->p->jobs[i].id) != (int32_t)i)
      rc = failf(c, HW_EINVAL, "%s/id: duplicate job id %lld", path, (long long)c->p->jobs[i].id);
  }
  for (size_t i = 0; rc == 0 && i < json_array_size(links); i++) {
    snprintf(path, sizeof path, "/links/%zu", i);
    rc = read_link(c, json_array_get(links, i), path, &c->p->links[i]);
  }
  return rc;
}

/* VROOM ranks plans by the summed priority of the jobs they serve, then by how
 * many they serve, then by cost. Every unassigned job of a VROOM document costs
 * priority * per_priority + per_job, where per_job exceeds any plan's travel and
 * fixed costs and per_priority exceeds per_job times the number of jobs, so the
 * solver's single total ranks plans exactly as VROOM does. Costs too large for
 * that to fit in int64 keep the default (priority + 1) * 10^9 of hw_problem.h. */
static void vroom_unassigned_costs(hw_problem *p) {
  const double limit = (double)(INT64_MAX / 4);
  double longest = 0, fixed = 0;
  size_t cells = (size_t)p->n_locations * (size_t)p->n_locations;
  for (size_t i = 0; i < cells; i++) {
    double v = p->costs[0] ? (double)p->costs[0][i] : (double)p->durations[0][i];
    if (v > longest) longest = v;
  }
  for (int32_t r = 0; r < p->n_resources; r++) fixed += (double)p->resources[r].fixed_cost;
  double jobs = (double)p->n_jobs + 1, bound = (jobs + p->n_resources) * longest + fixed + 1;
  if (bound * jobs * 101 * jobs >= limit) return;
  int64_t per_job = (int64_t)bound, per_priority = per_job * ((int64_t)p->n_jobs + 1);
  for (int32_t j = 0; j < p->n_jobs; j++) p->jobs[j].unassigned_cost = p->jobs[j].priority * per_priority + per_job;
}

static int read_doc(ctx *c, const json_t *doc) {
  static const char *const keys[] = {"vehicles", "jobs", "matrices", "matrix", NULL},
                           *const extra[] = {"links", "soft_windows", "lateness_weight", "max_routes", NULL};
  if (!json_is_object(doc)) return failf(c, HW_EINVAL, "document: must be a JSON object");
  int rc = check_keys(c, doc, "", keys, extra);
  const json_t *vehicles = NULL, *jobs = NULL, *links = NULL, *dur = NULL, *cost = NULL;
  if (rc == 0) rc = read_array(c, doc, "vehicles", 1, &vehicles);
  if (rc == 0) rc = read_array(c, doc, "jobs", 1, &jobs);
  if (rc == 0) rc = read_array(c, doc, "links", 0, &links);
  char mpath[80];
  if (rc == 0) rc = locate_matrices(c, doc, &dur, &cost, mpath, sizeof mpath);
  int32_t n = 0;
  if (rc == 0) rc = matrix_size(c, dur, mpath, &n);
  if (rc < 0) return rc;
  if ((rc = hw_problem_alloc(c->p, n, 1, (int32_t)json_array_size(vehicles), (int32_t)json_array_size(jobs),
                             (int32_t)json_array_size(links))) < 0)
    return rc;
  c->p->objective = c->homeward ? HW_OBJ_ROSTER : HW_OBJ_VROOM;
  c->p->time_scale = 1.0;
  if ((rc = read_matrices(c, dur, cost, mpath, n)) < 0) return rc;
  if ((rc = read_entities(c, vehicles, jobs, links)) < 0) return rc;
  if (!c->homeward) vroom_unassigned_costs(c->p);
  return read_top_level(c, doc);
}

int hw_instance_read_json(const char *buf, size_t len, int homeward, hw_problem *out, char *err, size_t err_len) {
  hw_problem_free(out);
  json_error_t je;
  json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
  if (!doc) {
    snprintf(err, err_len, "line %d: %s", je.line, je.text);
    return HW_EINVAL;
  }
  ctx c = {.homeward = homeward, .err = err, .err_len = err_len, .p = out};
  int rc = read_doc(&c, doc);
  json_decref(doc);
  if (rc == HW_ENOMEM) snprintf(err, err_len, "out of memory");
  if (rc == 0) {
    char msg[200];
    rc = hw_problem_validate(out, msg, sizeof msg);
    if (rc < 0) snprintf(err, err_len, "invalid instance: %s", msg);
  }
  if (rc < 0) hw_problem_free(out);
  return rc;
}
