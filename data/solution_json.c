/*
 * The solution document (hw_instance.h): writer and reader.
 *
 * The writer turns a solver solution into the VROOM-shaped JSON that `homeward
 * solve` prints, converting ticks back to instance units and recomputing distances
 * in double precision from coordinates when the instance has them (never from the
 * scaled integers, which carry rounding). The reader does the reverse for
 * `homeward check`: it maps vehicle, job and break ids back to indices of the
 * problem and instance-unit times back to ticks, so the checker can judge a
 * solution written by Homeward or by any other solver that emits this shape.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_instance.h"

static double scale_of(const hw_problem *p) { return p->time_scale > 0 ? p->time_scale : 1.0; }

/* A time or duration in instance units: an integer when one tick is one unit. */
static json_t *time_json(const hw_problem *p, int64_t ticks) {
  if (scale_of(p) == 1.0) return json_integer(ticks);
  return json_real((double)ticks / scale_of(p));
}

static double leg_distance(const hw_problem *p, int32_t profile, int32_t from, int32_t to) {
  if (from < 0 || to < 0) return 0.0;
  if (p->x && p->y) return hypot(p->x[from] - p->x[to], p->y[from] - p->y[to]);
  return (double)hw_travel_cost(p, profile, from, to) / scale_of(p);
}

/* Location of a step in its route; breaks stay where the resource is. */
static int32_t step_loc(const hw_problem *p, const hw_resource *res, const hw_step *st, int32_t here) {
  switch (st->kind) {
  case HW_STEP_START: return res->start_loc;
  case HW_STEP_JOB: return p->jobs[st->index].loc;
  case HW_STEP_END: return res->end_loc;
  default: return here;
  }
}

static const char *step_type(hw_step_kind k) {
  switch (k) {
  case HW_STEP_START: return "start";
  case HW_STEP_JOB: return "job";
  case HW_STEP_BREAK: return "break";
  default: return "end";
  }
}

static int64_t step_id(const hw_problem *p, const hw_resource *res, const hw_step *st) {
  if (st->kind == HW_STEP_JOB) return p->jobs[st->index].id;
  if (st->kind == HW_STEP_BREAK) return res->breaks[st->index].id;
  return res->id;
}

/* One route object; adds its distance and travel ticks to the totals. */
static json_t *route_json(const hw_problem *p, const hw_route *rt, double *distance, int64_t *travel) {
  const hw_resource *res = &p->resources[rt->resource];
  json_t *steps = json_array();
  double dist = 0;
  int32_t here = -1;
  for (int32_t i = 0; i < rt->n_steps; i++) {
    const hw_step *st = &rt->steps[i];
    int32_t loc = step_loc(p, res, st, here);
    if (i > 0 && st->kind != HW_STEP_BREAK) {
      dist += leg_distance(p, res->profile, here, loc);
      *travel += hw_travel(p, res->profile, here, loc);
    }
    here = loc;
    json_array_append_new(steps, json_pack("{s:s, s:I, s:o, s:o}", "type", step_type(st->kind), "id",
                                           (json_int_t)step_id(p, res, st), "arrival", time_json(p, st->arrival),
                                           "service_start", time_json(p, st->start)));
  }
  *distance += dist;
  return json_pack("{s:I, s:f, s:o}", "vehicle", (json_int_t)res->id, "distance", dist, "steps", steps);
}

json_t *hw_solution_to_json(const hw_problem *p, const hw_solution *s, const hw_check_report *report) {
  hw_check_report own;
  if (!report) {
    if (hw_check(p, s, &own) < 0) return NULL;
    report = &own;
  }
  json_t *routes = json_array(), *unassigned = json_array();
  double distance = 0;
  int64_t travel = 0;
  for (int32_t r = 0; r < s->n_routes; r++) json_array_append_new(routes, route_json(p, &s->routes[r], &distance, &travel));
  for (int32_t u = 0; u < s->n_unassigned; u++)
    json_array_append_new(unassigned, json_pack("{s:I, s:s}", "id", (json_int_t)p->jobs[s->unassigned[u].job].id,
                                                "reason", hw_unassigned_reason_str(s->unassigned[u].reason)));
  json_t *summary = json_pack("{s:f, s:f, s:o, s:o, s:i, s:i, s:{s:I}}", "cost", report->objective, "distance",
                              report->distance, "duration", time_json(p, travel), "lateness",
                              time_json(p, report->cost.lateness), "routes", (int)s->n_routes, "unassigned",
                              (int)s->n_unassigned, "computing_times", "solving", (json_int_t)s->solve_ms);
  return json_pack("{s:i, s:o, s:o, s:o}", "code", 0, "summary", summary, "routes", routes, "unassigned",
                   unassigned);
}

int hw_solution_write(const char *path, const hw_problem *p, const hw_solution *s, const hw_check_report *report) {
  json_t *doc = hw_solution_to_json(p, s, report);
  if (!doc) return HW_ENOMEM;
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12);
  int rc;
  if (strcmp(path, "-") == 0) {
    rc = json_dumpf(doc, stdout, flags) == 0 && fputc('\n', stdout) != EOF ? 0 : HW_EIO;
  } else {
    rc = json_dump_file(doc, path, flags) == 0 ? 0 : HW_EIO;
  }
  json_decref(doc);
  return rc;
}

/* ---- Reader ---------------------------------------------------------------- */

typedef struct id_index {
  int64_t id;
  int32_t index;
} id_index;

static int cmp_id(const void *a, const void *b) {
  int64_t x = ((const id_index *)a)->id, y = ((const id_index *)b)->id;
  return (x > y) - (x < y);
}

typedef struct reader {
  const hw_problem *p;
  id_index *jobs; /* sorted by id */
  char *err;
  size_t err_len;
} reader;

static int failf(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int failf(reader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, r->err_len, fmt, ap);
  va_end(ap);
  return HW_EINVAL;
}

static int32_t find_job(const reader *r, int64_t id) {
  id_index key = {id, 0};
  const id_index *hit = bsearch(&key, r->jobs, (size_t)r->p->n_jobs, sizeof key, cmp_id);
  return hit ? hit->index : -1;
}

static int32_t find_resource(const hw_problem *p, int64_t id) {
  for (int32_t i = 0; i < p->n_resources; i++)
    if (p->resources[i].id == id) return i;
  return -1;
}

static int read_id(reader *r, const json_t *obj, const char *path, int64_t *out) {
  const json_t *v = json_object_get(obj, "id");
  if (!json_is_integer(v)) return failf(r, "%s/id: missing or not an integer", path);
  *out = json_integer_value(v);
  return 0;
}

static int read_time(reader *r, const json_t *obj, const char *key, const char *path, hw_tick *out) {
  const json_t *v = json_object_get(obj, key);
  if (!json_is_number(v)) return failf(r, "%s/%s: missing or not a number", path, key);
  double t = json_number_value(v) * scale_of(r->p);
  if (!(t >= 0 && t <= HW_TICK_MAX)) return failf(r, "%s/%s: out of range", path, key);
  *out = (hw_tick)llround(t);
  return 0;
}

static int read_kind(reader *r, const json_t *step, const char *path, hw_step_kind *out) {
  static const char *const names[] = {"start", "job", "break", "end"};
  const char *type = json_string_value(json_object_get(step, "type"));
  if (!type) return failf(r, "%s/type: missing or not a string", path);
  for (int k = 0; k < 4; k++)
    if (strcmp(type, names[k]) == 0) {
      *out = (hw_step_kind)k;
      return 0;
    }
  return failf(r, "%s/type: unknown step type \"%s\"", path, type);
}

static int read_step(reader *r, const json_t *step, const char *path, int32_t resource, hw_step *out) {
  if (!json_is_object(step)) return failf(r, "%s: not an object", path);
  int rc = read_kind(r, step, path, &out->kind);
  if (rc == 0) rc = read_time(r, step, "arrival", path, &out->arrival);
  if (rc < 0) return rc;
  out->index = -1;
  out->start = out->arrival;
  if (json_object_get(step, "service_start") && (rc = read_time(r, step, "service_start", path, &out->start)) < 0)
    return rc;
  if (out->kind != HW_STEP_JOB && out->kind != HW_STEP_BREAK) return 0;
  int64_t id = 0;
  if ((rc = read_id(r, step, path, &id)) < 0) return rc;
  if (out->kind == HW_STEP_JOB) {
    out->index = find_job(r, id);
    if (out->index < 0) return failf(r, "%s/id: no job with id %lld", path, (long long)id);
    return 0;
  }
  const hw_resource *res = &r->p->resources[resource];
  for (int32_t b = 0; b < res->n_breaks; b++)
    if (res->breaks[b].id == id) out->index = b;
  if (out->index < 0) return failf(r, "%s/id: vehicle has no break with id %lld", path, (long long)id);
  return 0;
}

static int read_route(reader *r, const json_t *jr, const char *path, hw_route *out) {
  if (!json_is_object(jr)) return failf(r, "%s: not an object", path);
  const json_t *veh = json_object_get(jr, "vehicle");
  if (!json_is_integer(veh)) return failf(r, "%s/vehicle: missing or not an integer", path);
  out->resource = find_resource(r->p, json_integer_value(veh));
  if (out->resource < 0) return failf(r, "%s/vehicle: no vehicle with id %lld", path, (long long)json_integer_value(veh));
  const json_t *steps = json_object_get(jr, "steps");
  if (!json_is_array(steps)) return failf(r, "%s/steps: missing or not an array", path);
  size_t n = json_array_size(steps);
  out->steps = calloc(n ? n : 1, sizeof *out->steps);
  if (!out->steps) return HW_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    char sp[160];
    snprintf(sp, sizeof sp, "%s/steps/%zu", path, i);
    int rc = read_step(r, json_array_get(steps, i), sp, out->resource, &out->steps[i]);
    if (rc < 0) return rc;
    out->n_steps++;
  }
  return 0;
}

static int parse_reason(const char *s, hw_unassigned_reason *out) {
  for (int k = HW_UNASSIGNED_NO_CAPACITY; k <= HW_UNASSIGNED_EXCLUDED; k++)
    if (strcmp(s, hw_unassigned_reason_str((hw_unassigned_reason)k)) == 0) {
      *out = (hw_unassigned_reason)k;
      return 0;
    }
  return HW_EINVAL;
}

static int read_unassigned(reader *r, const json_t *ju, const char *path, hw_unassigned *out) {
  if (!json_is_object(ju)) return failf(r, "%s: not an object", path);
  int64_t id = 0;
  int rc = read_id(r, ju, path, &id);
  if (rc < 0) return rc;
  out->job = find_job(r, id);
  if (out->job < 0) return failf(r, "%s/id: no job with id %lld", path, (long long)id);
  out->reason = HW_UNASSIGNED_NO_CAPACITY;
  const json_t *reason = json_object_get(ju, "reason");
  if (reason && (!json_is_string(reason) || parse_reason(json_string_value(reason), &out->reason) < 0))
    return failf(r, "%s/reason: unknown reason", path);
  return 0;
}

static int read_document(reader *r, const json_t *doc, hw_solution *out) {
  if (!json_is_object(doc)) return failf(r, "document: not a JSON object");
  const json_t *routes = json_object_get(doc, "routes"), *un = json_object_get(doc, "unassigned");
  if (!json_is_array(routes)) return failf(r, "/routes: missing or not an array");
  if (un && !json_is_array(un)) return failf(r, "/unassigned: not an array");
  size_t nr = json_array_size(routes), nu = json_array_size(un);
  out->routes = calloc(nr ? nr : 1, sizeof *out->routes);
  out->unassigned = calloc(nu ? nu : 1, sizeof *out->unassigned);
  if (!out->routes || !out->unassigned) return HW_ENOMEM;
  for (size_t i = 0; i < nr; i++) {
    char path[48];
    snprintf(path, sizeof path, "/routes/%zu", i);
    out->n_routes++;
    int rc = read_route(r, json_array_get(routes, i), path, &out->routes[i]);
    if (rc < 0) return rc;
  }
  for (size_t i = 0; i < nu; i++) {
    char path[48];
    snprintf(path, sizeof path, "/unassigned/%zu", i);
    int rc = read_unassigned(r, json_array_get(un, i), path, &out->unassigned[i]);
    if (rc < 0) return rc;
    out->n_unassigned++;
  }
  const json_t *ms = json_object_get(json_object_get(json_object_get(doc, "summary"), "computing_times"), "solving");
  if (json_is_integer(ms)) out->solve_ms = json_integer_value(ms);
  return 0;
}

int hw_solution_from_json(const hw_problem *p, const json_t *doc, hw_solution *out, char *err, size_t err_len) {
  hw_solution_free(out);
  reader r = {.p = p, .err = err, .err_len = err_len};
  r.jobs = malloc((p->n_jobs ? (size_t)p->n_jobs : 1) * sizeof *r.jobs);
  if (!r.jobs) return HW_ENOMEM;
  for (int32_t j = 0; j < p->n_jobs; j++) r.jobs[j] = (id_index){p->jobs[j].id, j};
  qsort(r.jobs, (size_t)p->n_jobs, sizeof *r.jobs, cmp_id);
  int rc = read_document(&r, doc, out);
  free(r.jobs);
  if (rc == HW_ENOMEM) snprintf(err, err_len, "out of memory");
  if (rc < 0) hw_solution_free(out);
  return rc;
}

int hw_solution_read(const char *path, const hw_problem *p, hw_solution *out, char *err, size_t err_len) {
  json_error_t je;
  json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!doc) {
    FILE *f = fopen(path, "rb");
    if (!f) {
      snprintf(err, err_len, "%s: cannot open", path);
      return HW_EIO;
    }
    fclose(f);
    snprintf(err, err_len, "%s: line %d: %s", path, je.line, je.text);
    return HW_EINVAL;
  }
  char inner[300];
  int rc = hw_solution_from_json(p, doc, out, inner, sizeof inner);
  json_decref(doc);
  if (rc < 0) snprintf(err, err_len, "%s: %s", path, inner);
  return rc;
}
