/*
 * Life cycle and validation of hw_problem (hw_problem.h).
 *
 * Readers and the scheduler fill a problem field by field; hw_problem_validate is the
 * one gate every solve goes through, so that the search itself can trust indices,
 * windows and links without checking them again in its hot loops. Each failure names
 * the offending field the way a caller would write it ("jobs[12].windows[0]") and
 * says what is wrong with it.
 */
#include "hw_problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"

void hw_problem_init(hw_problem *p) {
  memset(p, 0, sizeof *p);
  p->n_profiles = 1;
  p->time_scale = 1.0;
  p->lateness_weight = 1;
}

void hw_problem_free(hw_problem *p) {
  for (int k = 0; k < HW_MAX_PROFILES; k++) {
    free(p->durations[k]);
    free(p->costs[k]);
  }
  free(p->x);
  free(p->y);
  free(p->resources);
  free(p->jobs);
  free(p->links);
  hw_problem_init(p);
}

static void default_job(hw_job *j) {
  j->workers = 1;
  j->n_windows = 1;
  j->windows[0].start = 0;
  j->windows[0].end = HW_TICK_MAX;
  j->pin_resource = -1;
  j->pin_start = -1;
}

static void default_resource(hw_resource *r) {
  r->start_loc = -1;
  r->end_loc = -1;
  r->capacity = -1;
  r->shift.start = 0;
  r->shift.end = HW_TICK_MAX;
}

int hw_problem_alloc(hw_problem *p, int32_t n_locations, int32_t n_profiles,
                     int32_t n_resources, int32_t n_jobs, int32_t n_links) {
  if (n_locations < 0 || n_profiles < 1 || n_profiles > HW_MAX_PROFILES ||
      n_resources < 0 || n_jobs < 0 || n_links < 0)
    return HW_EINVAL;
  size_t cells = (size_t)n_locations * (size_t)n_locations;
  p->n_locations = n_locations;
  p->n_profiles = n_profiles;
  for (int k = 0; k < n_profiles; k++) {
    p->durations[k] = calloc(cells ? cells : 1, sizeof(hw_tick));
    if (!p->durations[k]) goto nomem;
  }
  p->resources = calloc(n_resources ? (size_t)n_resources : 1, sizeof(hw_resource));
  p->jobs = calloc(n_jobs ? (size_t)n_jobs : 1, sizeof(hw_job));
  p->links = calloc(n_links ? (size_t)n_links : 1, sizeof(hw_link));
  if (!p->resources || !p->jobs || !p->links) goto nomem;
  p->n_resources = n_resources;
  p->n_jobs = n_jobs;
  p->n_links = n_links;
  for (int32_t i = 0; i < n_resources; i++) default_resource(&p->resources[i]);
  for (int32_t i = 0; i < n_jobs; i++) default_job(&p->jobs[i]);
  return 0;
nomem:
  hw_problem_free(p);
  return HW_ENOMEM;
}

/* Writes "<field>: <reason>" and returns HW_EINVAL, so a check reads as one line. */
static int fail(char *msg, size_t len, const char *fmt, ...) {
  if (msg && len) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
  }
  return HW_EINVAL;
}

static int loc_ok(const hw_problem *p, int32_t loc, int allow_none) {
  return (allow_none && loc == -1) || (loc >= 0 && loc < p->n_locations);
}

static int validate_matrices(const hw_problem *p, char *msg, size_t len) {
  if (p->n_profiles < 1 || p->n_profiles > HW_MAX_PROFILES)
    return fail(msg, len, "n_profiles: must be 1..%d", HW_MAX_PROFILES);
  if (p->n_locations < 0) return fail(msg, len, "n_locations: negative");
  if (!(p->time_scale > 0)) return fail(msg, len, "time_scale: must be positive");
  size_t cells = (size_t)p->n_locations * (size_t)p->n_locations;
  for (int k = 0; k < p->n_profiles; k++) {
    if (!p->durations[k] && cells) return fail(msg, len, "durations[%d]: missing", k);
    for (size_t c = 0; c < cells; c++) {
      if (p->durations[k][c] < 0 || p->durations[k][c] > HW_TICK_MAX / 4)
        return fail(msg, len, "durations[%d][%zu][%zu]: negative or too large", k,
                    c / (size_t)p->n_locations, c % (size_t)p->n_locations);
      if (p->costs[k] && p->costs[k][c] < 0)
        return fail(msg, len, "costs[%d][%zu][%zu]: negative", k,
                    c / (size_t)p->n_locations, c % (size_t)p->n_locations);
    }
  }
  return 0;
}

static int validate_window(const hw_window *w, const char *field, char *msg, size_t len) {
  if (w->start < 0) return fail(msg, len, "%s: start is negative", field);
  if (w->end < w->start) return fail(msg, len, "%s: end before start", field);
  if (w->end > HW_TICK_MAX) return fail(msg, len, "%s: end beyond HW_TICK_MAX", field);
  return 0;
}

static int validate_resource(const hw_problem *p, int32_t i, char *msg, size_t len) {
  const hw_resource *r = &p->resources[i];
  char field[64];
  if (!loc_ok(p, r->start_loc, 1)) return fail(msg, len, "resources[%d].start_loc: out of range", i);
  if (!loc_ok(p, r->end_loc, 1)) return fail(msg, len, "resources[%d].end_loc: out of range", i);
  snprintf(field, sizeof field, "resources[%d].shift", i);
  int rc = validate_window(&r->shift, field, msg, len);
  if (rc) return rc;
  if (r->profile < 0 || r->profile >= p->n_profiles)
    return fail(msg, len, "resources[%d].profile: out of range", i);
  if (r->n_breaks < 0 || r->n_breaks > HW_MAX_BREAKS)
    return fail(msg, len, "resources[%d].n_breaks: must be 0..%d", i, HW_MAX_BREAKS);
  if (r->fixed_cost < 0) return fail(msg, len, "resources[%d].fixed_cost: negative", i);
  for (int b = 0; b < r->n_breaks; b++) {
    snprintf(field, sizeof field, "resources[%d].breaks[%d].window", i, b);
    rc = validate_window(&r->breaks[b].window, field, msg, len);
    if (rc) return rc;
    if (r->breaks[b].duration < 0)
      return fail(msg, len, "resources[%d].breaks[%d].duration: negative", i, b);
  }
  return 0;
}

static int validate_resource_list(const hw_problem *p, int32_t j, const char *name,
                                  int32_t n, const int32_t *list, char *msg, size_t len) {
  if (n < 0 || n > HW_MAX_PREFS)
    return fail(msg, len, "jobs[%d].n_%s: must be 0..%d", j, name, HW_MAX_PREFS);
  for (int k = 0; k < n; k++)
    if (list[k] < 0 || list[k] >= p->n_resources)
      return fail(msg, len, "jobs[%d].%s[%d]: resource %d out of range", j, name, k, list[k]);
  return 0;
}

static int validate_job(const hw_problem *p, int32_t i, hw_skillset held, char *msg, size_t len) {
  const hw_job *j = &p->jobs[i];
  char field[64];
  if (!loc_ok(p, j->loc, 0)) return fail(msg, len, "jobs[%d].loc: out of range", i);
  if (j->service < 0 || j->service > HW_TICK_MAX / 4)
    return fail(msg, len, "jobs[%d].service: negative or too large", i);
  if (j->n_windows < 1 || j->n_windows > HW_MAX_WINDOWS)
    return fail(msg, len, "jobs[%d].n_windows: must be 1..%d", i, HW_MAX_WINDOWS);
  for (int w = 0; w < j->n_windows; w++) {
    snprintf(field, sizeof field, "jobs[%d].windows[%d]", i, w);
    int rc = validate_window(&j->windows[w], field, msg, len);
    if (rc) return rc;
    if (w > 0 && j->windows[w].start <= j->windows[w - 1].end)
      return fail(msg, len, "jobs[%d].windows[%d]: overlaps or precedes windows[%d]", i, w, w - 1);
  }
  if (j->skills & ~held) return fail(msg, len, "jobs[%d].skills: no resource holds them", i);
  if (j->demand < 0) return fail(msg, len, "jobs[%d].demand: negative", i);
  if (j->workers != 1 && j->workers != 2) return fail(msg, len, "jobs[%d].workers: must be 1 or 2", i);
  if (j->priority < 0 || j->priority > 100) return fail(msg, len, "jobs[%d].priority: must be 0..100", i);
  if (j->unassigned_cost < 0) return fail(msg, len, "jobs[%d].unassigned_cost: negative", i);
  if (j->pin_resource < -1 || j->pin_resource >= p->n_resources)
    return fail(msg, len, "jobs[%d].pin_resource: out of range", i);
  if (j->pin_resource >= 0 && j->workers == 2)
    return fail(msg, len, "jobs[%d].pin_resource: a double-handed job cannot be pinned to one resource", i);
  if (j->pin_start < -1 || j->pin_start > HW_TICK_MAX)
    return fail(msg, len, "jobs[%d].pin_start: out of range", i);
  int rc = validate_resource_list(p, i, "preferred", j->n_preferred, j->preferred, msg, len);
  if (rc) return rc;
  return validate_resource_list(p, i, "excluded", j->n_excluded, j->excluded, msg, len);
}

static int validate_links(const hw_problem *p, char *msg, size_t len) {
  if (p->n_links < 0) return fail(msg, len, "n_links: negative");
  for (int32_t l = 0; l < p->n_links; l++) {
    const hw_link *k = &p->links[l];
    if (k->first < 0 || k->first >= p->n_jobs) return fail(msg, len, "links[%d].first: job out of range", l);
    if (k->second < 0 || k->second >= p->n_jobs) return fail(msg, len, "links[%d].second: job out of range", l);
    if (k->first == k->second) return fail(msg, len, "links[%d]: links job %d to itself", l, k->first);
    if (p->jobs[k->first].workers != 1) return fail(msg, len, "links[%d]: job %d is double-handed", l, k->first);
    if (p->jobs[k->second].workers != 1) return fail(msg, len, "links[%d]: job %d is double-handed", l, k->second);
    if (k->min_gap > k->max_gap) return fail(msg, len, "links[%d]: max_gap below min_gap", l);
    /* The search pairs each job with at most one partner. */
    for (int32_t m = 0; m < l; m++) {
      const hw_link *o = &p->links[m];
      int32_t shared = (o->first == k->first || o->second == k->first) ? k->first
                       : (o->first == k->second || o->second == k->second) ? k->second : -1;
      if (shared >= 0)
        return fail(msg, len, "links[%d]: job %d is already linked by links[%d]", l, shared, m);
    }
  }
  return 0;
}

int hw_problem_validate(const hw_problem *p, char *msg, size_t len) {
  if (msg && len) msg[0] = '\0';
  if (!p) return fail(msg, len, "problem: missing");
  int rc = validate_matrices(p, msg, len);
  if (rc) return rc;
  if (p->n_resources < 0 || (p->n_resources > 0 && !p->resources))
    return fail(msg, len, "resources: missing");
  if (p->n_jobs < 0 || (p->n_jobs > 0 && !p->jobs)) return fail(msg, len, "jobs: missing");
  if (p->n_links > 0 && !p->links) return fail(msg, len, "links: missing");
  if (p->max_routes < 0 || p->max_routes > p->n_resources)
    return fail(msg, len, "max_routes: must be 0..n_resources (%d)", p->n_resources);
  if (p->lateness_weight < 0) return fail(msg, len, "lateness_weight: negative");
  if (p->objective < HW_OBJ_ROSTER || p->objective > HW_OBJ_VROOM)
    return fail(msg, len, "objective: unknown kind");
  hw_skillset held = 0;
  for (int32_t i = 0; i < p->n_resources; i++) {
    rc = validate_resource(p, i, msg, len);
    if (rc) return rc;
    held |= p->resources[i].skills;
  }
  for (int32_t i = 0; i < p->n_jobs; i++) {
    rc = validate_job(p, i, held, msg, len);
    if (rc) return rc;
  }
  return validate_links(p, msg, len);
}
