/*
 * One day of rosters as an hw_problem (hw_dayplan.h).
 */
#include "hw_dayplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_solver.h"
#include "hw_travel.h"

#define MAX_PIECES 4

typedef struct piece {
  hw_tick start, end;
} piece;

/* The shift [a, b) minus the worker's absences, as at most MAX_PIECES pieces. */
static int32_t shift_pieces(const hw_day_input *in, hw_time day0, const hw_worker *w, hw_tick a, hw_tick b,
                            piece *out) {
  int32_t n = 1;
  out[0] = (piece){a, b};
  for (int32_t k = 0; k < in->n_absences; k++) {
    const hw_absence *ab = &in->absences[k];
    if (ab->worker_id != w->id) continue;
    int64_t f = ab->from - day0, t = ab->to - day0;
    piece next[MAX_PIECES * 2];
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++) {
      if (t <= out[i].start || f >= out[i].end) {
        next[m++] = out[i];
        continue;
      }
      if (f > out[i].start) next[m++] = (piece){out[i].start, (hw_tick)f};
      if (t < out[i].end) next[m++] = (piece){(hw_tick)t, out[i].end};
    }
    n = m < MAX_PIECES ? m : MAX_PIECES;
    memcpy(out, next, (size_t)n * sizeof *out);
  }
  return n;
}

static uint64_t gender_bit(hw_gender g) {
  if (g == HW_GENDER_FEMALE) return 1ull << HW_SKILL_BIT_FEMALE;
  if (g == HW_GENDER_MALE) return 1ull << HW_SKILL_BIT_MALE;
  return 0;
}

static const hw_client *find_client(const hw_day_input *in, hw_id id) {
  /* Clients usually come ordered by id (the store lists them so): try a binary
   * search first, then fall back to a scan for unordered input. */
  int32_t lo = 0, hi = in->n_clients - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (in->clients[mid].id == id) return &in->clients[mid];
    if (in->clients[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  for (int32_t i = 0; i < in->n_clients; i++)
    if (in->clients[i].id == id) return &in->clients[i];
  return NULL;
}

static int visit_in_day(const hw_day_input *in, const hw_visit *v) {
  return v->date == in->date && v->status != HW_VISIT_CANCELLED && v->status != HW_VISIT_MISSED;
}

static int has_freeze(const hw_day_input *in) { return in->freeze_until != 0 && in->freeze_until != HW_TIME_NONE; }

static int visit_started(const hw_visit *v) { return v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE; }

/* When a commitment holds its worker: the planned start, or the check-in of a
 * visit done without one. */
static hw_time commitment_start(const hw_visit *v) {
  return v->planned_start != HW_TIME_NONE ? v->planned_start : v->check_in;
}

static int visit_is_commitment(const hw_day_input *in, const hw_visit *v) {
  if (!v->worker_ids[0] || commitment_start(v) == HW_TIME_NONE) return 0;
  if (in->pin_mode == HW_DAY_PIN_ASSIGNED || v->pinned || visit_started(v)) return 1;
  return has_freeze(in) && v->planned_start < in->freeze_until;
}

/* A visit free to move whose window closes before the freeze. */
static int visit_too_late(const hw_day_input *in, const hw_visit *v) {
  return has_freeze(in) && !visit_is_commitment(in, v) && v->window_end < in->freeze_until;
}

#define MAX_TEAM_BITS (63 - HW_SKILL_BIT_TEAM0) /* bit 63 marks a team nobody on shift is in */
#define NOBODY_BIT (1ull << 63)

typedef struct builder {
  const hw_day_input *in;
  hw_day_problem *d;
  hw_id team_of_bit[MAX_TEAM_BITS]; /* team id of each team bit */
  int32_t n_team_bits;
  int32_t n_res;
  hw_resource *res;     /* staged resources */
  hw_geo *res_base;
  /* Locations: one per worker's base, then one per distinct client address, so
   * the travel matrices hold each pair once however many visits a house has. */
  int32_t *res_loc;     /* staged resource -> location */
  int32_t *visit_loc;   /* input visit -> location (jobs only) */
  hw_geo *points;       /* location -> where */
  int32_t n_points;
} builder;

/* The skill bit standing for team_id (registering it when add is set), or 0. */
static uint64_t team_bit(builder *b, hw_id team_id, int add) {
  if (!b->in->visit_team || team_id == 0) return 0;
  for (int32_t k = 0; k < b->n_team_bits; k++)
    if (b->team_of_bit[k] == team_id) return 1ull << (HW_SKILL_BIT_TEAM0 + k);
  if (!add || b->n_team_bits == MAX_TEAM_BITS) return 0;
  b->team_of_bit[b->n_team_bits] = team_id;
  return 1ull << (HW_SKILL_BIT_TEAM0 + b->n_team_bits++);
}

static int stage_resources(builder *b) {
  const hw_day_input *in = b->in;
  int wd = hw_date_weekday(in->date);
  int32_t cap = 0;
  for (int32_t i = 0; i < in->n_workers; i++) cap += in->workers[i].n_shifts * MAX_PIECES;
  b->res = calloc((size_t)cap + 1, sizeof *b->res);
  b->res_base = calloc((size_t)cap + 1, sizeof *b->res_base);
  b->d->res_worker = calloc((size_t)cap + 1, sizeof *b->d->res_worker);
  if (!b->res || !b->res_base || !b->d->res_worker) return HW_ENOMEM;
  for (int32_t i = 0; i < in->n_workers; i++) {
    const hw_worker *w = &in->workers[i];
    if (!w->active) continue;
    for (int32_t s = 0; s < w->n_shifts; s++) {
      const hw_shift *sh = &w->shifts[s];
      if (sh->weekday != wd) continue;
      hw_tick a = (hw_tick)(hw_local_to_time(in->date, sh->hours.start) - b->d->day0);
      hw_tick e = (hw_tick)(hw_local_to_time(in->date, sh->hours.end) - b->d->day0);
      piece pc[MAX_PIECES];
      int32_t np = shift_pieces(in, b->d->day0, w, a, e, pc);
      for (int32_t k = 0; k < np; k++) {
        hw_resource *r = &b->res[b->n_res];
        memset(r, 0, sizeof *r);
        r->id = w->id;
        r->shift = (hw_window){pc[k].start, pc[k].end};
        r->skills = hw_worker_skills_on(w, in->date) | gender_bit(w->gender) | team_bit(b, w->team_id, 1);
        r->capacity = -1;
        r->profile = w->travel == HW_TRAVEL_WALK ? 1 : 0;
        if (sh->break_minutes > 0 && sh->break_window.end > sh->break_window.start) {
          hw_tick bs = (hw_tick)(hw_local_to_time(in->date, sh->break_window.start) - b->d->day0);
          hw_tick be = (hw_tick)(hw_local_to_time(in->date, sh->break_window.end) - b->d->day0);
          hw_tick dur = (hw_tick)sh->break_minutes * 60;
          if (bs >= pc[k].start && be + dur <= pc[k].end)
            r->breaks[r->n_breaks++] = (hw_break_spec){s, {bs, be}, dur};
        }
        b->res_base[b->n_res] = w->base;
        b->d->res_worker[b->n_res] = i;
        b->n_res++;
      }
    }
  }
  return 0;
}

/* The resource of worker w (input index) whose shift covers tick t, or -1. */
static int32_t resource_at(const builder *b, hw_id worker_id, hw_tick t) {
  for (int32_t r = 0; r < b->n_res; r++)
    if (b->res[r].id == worker_id && t >= b->res[r].shift.start && t <= b->res[r].shift.end) return r;
  return -1;
}

static void add_worker_list(const hw_resource *res, int32_t n_res, const hw_id *ids, int32_t n, int32_t *out,
                            int32_t *n_out) {
  for (int32_t i = 0; i < n; i++)
    for (int32_t r = 0; r < n_res && *n_out < HW_MAX_PREFS; r++)
      if (res[r].id == ids[i]) out[(*n_out)++] = r;
}

/* 1 when some single resource holds every bit of need. */
static int someone_holds(const hw_resource *res, int32_t n_res, uint64_t need) {
  for (int32_t r = 0; r < n_res; r++)
    if ((need & ~res[r].skills) == 0) return 1;
  return 0;
}

/* A visit's skills with its client's hard carer gender. */
static uint64_t visit_needs(const hw_visit *v, const hw_client *c) {
  return v->skills | (c->carer_gender_hard ? gender_bit(c->carer_gender) : 0);
}

/* A job needs these skill bits: the visit's, a hard carer gender, and its team
 * when it must stay with it (a team nobody on shift belongs to makes the visit
 * one that nobody can do today). A commitment keeps its worker whatever their
 * team (a discharge placed on a bridging team's worker): the team restriction is
 * for visits still to place. */
static uint64_t job_skills(builder *b, int32_t i, const hw_client *c) {
  const hw_visit *v = &b->in->visits[i];
  uint64_t s = visit_needs(v, c);
  if (b->in->visit_team && b->in->visit_team[i] && !visit_is_commitment(b->in, v)) {
    uint64_t t = team_bit(b, b->in->visit_team[i], 0);
    s |= t ? t : NOBODY_BIT;
  }
  return s;
}

/* Job j as visit v of client c at location loc, needing skills; free to be
 * placed anywhere in its window (after the freeze) by a worker the client has
 * not excluded. */
static void fill_job(hw_day_problem *d, hw_job *j, const hw_visit *v, const hw_client *c, int32_t loc,
                     uint64_t skills) {
  memset(j, 0, sizeof *j);
  j->id = v->id;
  j->loc = loc;
  j->service = v->duration * 60;
  j->n_windows = 1;
  hw_time from = v->window_start;
  if (d->freeze_until && d->freeze_until != HW_TIME_NONE && from < d->freeze_until) from = d->freeze_until;
  hw_tick ws = (hw_tick)(from - d->day0), we = (hw_tick)(v->window_end - d->day0);
  j->windows[0] = (hw_window){ws, we < ws ? ws : we};
  j->skills = skills;
  j->workers = v->workers;
  j->priority = v->priority;
  j->pin_resource = -1;
  j->pin_start = -1;
  add_worker_list(d->p.resources, d->p.n_resources, c->excluded_workers, c->n_excluded, j->excluded, &j->n_excluded);
  add_worker_list(d->p.resources, d->p.n_resources, c->preferred_workers, c->n_preferred, j->preferred,
                  &j->n_preferred);
}

/* Turn a job into a commitment of worker_id at the visit's planned start; returns
 * 0 when that worker is not on shift then (the job stays free to be re-placed). */
static int pin_job(const builder *b, hw_job *j, hw_id worker_id, const hw_visit *v) {
  hw_tick t = (hw_tick)(commitment_start(v) - b->d->day0);
  int32_t r = resource_at(b, worker_id, t);
  if (r < 0) return 0;
  j->workers = 1;
  j->pin_resource = r;
  j->pin_start = t;
  j->windows[0] = (hw_window){t, t};
  return 1;
}

static int count_jobs(builder *b, int32_t *n_jobs) {
  const hw_day_input *in = b->in;
  int32_t n = 0;
  for (int32_t i = 0; i < in->n_visits; i++) {
    const hw_visit *v = &in->visits[i];
    if (!visit_in_day(in, v)) continue;
    const hw_client *c = find_client(in, v->client_id);
    if (!c) return i;
    if (!someone_holds(b->res, b->n_res, job_skills(b, i, c))) {
      b->d->visit_unskilled[i] = 1;
      continue;
    }
    if (visit_too_late(in, v)) {
      b->d->visit_too_late[i] = 1;
      continue;
    }
    n += visit_is_commitment(in, v) && v->workers == 2 && v->worker_ids[1] ? 2 : 1;
  }
  *n_jobs = n;
  return -1;
}

static int fill_jobs(builder *b) {
  const hw_day_input *in = b->in;
  hw_day_problem *d = b->d;
  int32_t k = 0;
  for (int32_t i = 0; i < in->n_visits; i++) {
    const hw_visit *v = &in->visits[i];
    if (!visit_in_day(in, v) || d->visit_unskilled[i] || d->visit_too_late[i]) continue;
    const hw_client *c = find_client(in, v->client_id);
    int split = visit_is_commitment(in, v) && v->workers == 2 && v->worker_ids[1];
    d->visit_job[i] = k;
    for (int part = 0; part < (split ? 2 : 1); part++, k++) {
      hw_job *j = &d->p.jobs[k];
      fill_job(d, j, v, c, b->visit_loc[i], job_skills(b, i, c));
      d->job_visit[k] = i;
      d->job_part[k] = part;
      if (visit_is_commitment(in, v)) d->job_fixed[k] = (uint8_t)pin_job(b, j, v->worker_ids[part], v);
      if (split && !d->job_fixed[k]) j->workers = 1; /* a half whose worker is gone: find one person */
    }
  }
  return 0;
}

/* ---- Locations ------------------------------------------------------------------ */

/* An open-addressing table of the addresses seen so far (a power-of-two size at
 * least twice the number of points). */
typedef struct point_table {
  int32_t *slot;        /* index into builder.points, -1 = empty */
  uint32_t mask;
} point_table;

static uint32_t point_hash(hw_geo g) {
  uint64_t key = ((uint64_t)(uint32_t)g.lat_e6 << 32) | (uint32_t)g.lon_e6;
  return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32);
}

/* The location of client address g, added when new. */
static int32_t address_location(builder *b, point_table *t, hw_geo g) {
  uint32_t h = point_hash(g) & t->mask;
  for (; t->slot[h] >= 0; h = (h + 1) & t->mask) {
    hw_geo seen = b->points[t->slot[h]];
    if (seen.lat_e6 == g.lat_e6 && seen.lon_e6 == g.lon_e6) return t->slot[h];
  }
  t->slot[h] = b->n_points;
  b->points[b->n_points] = g;
  return b->n_points++;
}

/* A location per worker on shift (the shift pieces of one worker share it), then
 * one per address of the day's jobs. Workers keep locations of their own so
 * that two workers never look interchangeable to the search. */
static int place_locations(builder *b) {
  const hw_day_input *in = b->in;
  int32_t max = b->n_res + in->n_visits + 1;
  uint32_t size = 1;
  while (size < 2u * (uint32_t)max + 2u) size <<= 1;
  point_table t = {malloc(size * sizeof *t.slot), size - 1};
  b->points = malloc(((size_t)max + 1) * sizeof *b->points);
  b->res_loc = malloc(((size_t)b->n_res + 1) * sizeof *b->res_loc);
  b->visit_loc = malloc(((size_t)in->n_visits + 1) * sizeof *b->visit_loc);
  if (!t.slot || !b->points || !b->res_loc || !b->visit_loc) {
    free(t.slot);
    return HW_ENOMEM;
  }
  for (uint32_t i = 0; i < size; i++) t.slot[i] = -1;
  for (int32_t r = 0; r < b->n_res; r++) {
    int same_worker = r > 0 && b->d->res_worker[r - 1] == b->d->res_worker[r];
    if (!same_worker) b->points[b->n_points++] = b->res_base[r];
    b->res_loc[r] = b->n_points - 1;
  }
  for (int32_t i = 0; i < in->n_visits; i++) {
    b->visit_loc[i] = -1;
    if (visit_in_day(in, &in->visits[i]) && !b->d->visit_unskilled[i] && !b->d->visit_too_late[i])
      b->visit_loc[i] = address_location(b, &t, find_client(in, in->visits[i].client_id)->location);
  }
  free(t.slot);
  return 0;
}

static void builder_free(builder *b) {
  free(b->res);
  free(b->res_base);
  free(b->res_loc);
  free(b->visit_loc);
  free(b->points);
}

int hw_day_build(const hw_day_input *in, hw_day_problem *out, char *msg, size_t msg_len) {
  return hw_day_build_with_room(in, 0, out, msg, msg_len);
}

int hw_day_build_with_room(const hw_day_input *in, int32_t room, hw_day_problem *out, char *msg, size_t msg_len) {
  memset(out, 0, sizeof *out);
  hw_problem_init(&out->p);
  out->date = in->date;
  out->day0 = hw_local_to_time(in->date, 0);
  out->freeze_until = has_freeze(in) ? in->freeze_until : 0;
  out->n_input_visits = in->n_visits;
  snprintf(out->p.name, sizeof out->p.name, "day %d", (int)in->date);
  out->p.soft_windows = 0;
  builder b = {.in = in, .d = out};
  int rc = HW_ENOMEM;
  out->visit_job = malloc(((size_t)in->n_visits + 1) * sizeof *out->visit_job);
  out->visit_unskilled = calloc((size_t)in->n_visits + 1, 1);
  out->visit_too_late = calloc((size_t)in->n_visits + 1, 1);
  if (!out->visit_job || !out->visit_unskilled || !out->visit_too_late || stage_resources(&b) < 0) goto fail;
  for (int32_t i = 0; i < in->n_visits; i++) out->visit_job[i] = -1;
  int32_t n_jobs = 0;
  int32_t bad = count_jobs(&b, &n_jobs);
  if (bad >= 0) {
    snprintf(msg, msg_len, "visits[%d].client_id: unknown client %lld", (int)bad, (long long)in->visits[bad].client_id);
    rc = HW_EINVAL;
    goto fail;
  }
  if ((rc = place_locations(&b)) < 0) goto fail;
  if (room > 0) { /* the added visits' home, set by hw_day_add_visits */
    hw_geo placeholder = b.n_points > 0 ? b.points[0] : (hw_geo){0, 0};
    b.points[b.n_points++] = placeholder;
  }
  rc = hw_problem_alloc(&out->p, b.n_points, 2, b.n_res, n_jobs + room, 0);
  if (rc < 0) goto fail;
  out->p.n_jobs = n_jobs;
  out->base_jobs = n_jobs;
  out->room = room;
  rc = HW_ENOMEM;
  out->job_visit = calloc((size_t)(n_jobs + room) + 1, sizeof *out->job_visit);
  out->job_part = calloc((size_t)(n_jobs + room) + 1, sizeof *out->job_part);
  out->job_fixed = calloc((size_t)(n_jobs + room) + 1, 1);
  if (!out->job_visit || !out->job_part || !out->job_fixed) goto fail;
  for (int32_t r = 0; r < b.n_res; r++) {
    out->p.resources[r] = b.res[r];
    out->p.resources[r].start_loc = b.res_loc[r];
    out->p.resources[r].end_loc = b.res_loc[r];
  }
  fill_jobs(&b);
  rc = hw_travel_matrices(b.points, b.n_points, out->p.durations[0], out->p.durations[1]);
  if (rc < 0) goto fail;
  rc = hw_problem_validate(&out->p, msg, msg_len);
  if (rc < 0) goto fail;
  out->points = b.points; /* kept: an added location's travel is computed against them */
  b.points = NULL;
  builder_free(&b);
  return 0;
fail:
  builder_free(&b);
  hw_day_free(out);
  return rc;
}

int hw_day_add_visits(hw_day_problem *d, const hw_client *c, const hw_visit *v, int32_t n, int32_t *first_job,
                      uint8_t *unskilled) {
  if (n < 0 || n > d->room) return HW_EINVAL;
  hw_problem *p = &d->p;
  int32_t home = p->n_locations - 1, n_loc = p->n_locations;
  d->points[home] = c->location;
  for (int32_t k = 0; k < n_loc; k++)
    for (int m = 0; m < 2; m++) {
      int32_t t = k == home ? 0 : hw_travel_seconds(d->points[k], c->location, m ? HW_TRAVEL_WALK : HW_TRAVEL_DRIVE);
      p->durations[m][(size_t)k * (size_t)n_loc + (size_t)home] = t;
      p->durations[m][(size_t)home * (size_t)n_loc + (size_t)k] = t;
    }
  int32_t base = d->base_jobs;
  for (int32_t i = 0; i < n; i++) {
    uint64_t needs = visit_needs(&v[i], c);
    fill_job(d, &p->jobs[base + i], &v[i], c, home, needs);
    unskilled[i] = (uint8_t)!someone_holds(p->resources, p->n_resources, needs);
    d->job_visit[base + i] = -1;
    d->job_part[base + i] = 0;
    d->job_fixed[base + i] = 0;
  }
  p->n_jobs = base + n;
  *first_job = base;
  return 0;
}

void hw_day_drop_added(hw_day_problem *d) { d->p.n_jobs = d->base_jobs; }

void hw_day_free(hw_day_problem *d) {
  hw_problem_free(&d->p);
  free(d->points);
  free(d->res_worker);
  free(d->job_visit);
  free(d->job_part);
  free(d->visit_job);
  free(d->job_fixed);
  free(d->visit_unskilled);
  free(d->visit_too_late);
  memset(d, 0, sizeof *d);
  hw_problem_init(&d->p);
}

/* An empty solution: no routes, every job unassigned (reason no_capacity). */
static int empty_solution(const hw_problem *p, hw_solution *s) {
  hw_solution_free(s);
  s->unassigned = calloc((size_t)p->n_jobs + 1, sizeof *s->unassigned);
  if (!s->unassigned) return HW_ENOMEM;
  for (int32_t j = 0; j < p->n_jobs; j++) s->unassigned[j] = (hw_unassigned){j, HW_UNASSIGNED_NO_CAPACITY};
  s->n_unassigned = p->n_jobs;
  return 0;
}

int hw_day_current_solution(const hw_day_problem *d, hw_solution *s) {
  return hw_day_current_solution_without(d, NULL, s);
}

int hw_day_current_solution_without(const hw_day_problem *d, const uint8_t *left_out, hw_solution *s) {
  int rc = empty_solution(&d->p, s);
  if (rc < 0) return rc;
  int32_t *fixed = malloc(((size_t)d->p.n_jobs + 1) * sizeof *fixed);
  if (!fixed) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t j = 0; j < d->p.n_jobs; j++)
    if (d->job_fixed[j] && !(left_out && left_out[j])) fixed[n++] = j;
  rc = n ? hw_insert_jobs(&d->p, s, fixed, n) : 0;
  free(fixed);
  return rc < 0 ? rc : 0;
}

int hw_day_job_placement(const hw_solution *s, int32_t job, int32_t k, int32_t *resource, hw_tick *start) {
  int32_t seen = 0;
  for (int32_t r = 0; r < s->n_routes; r++)
    for (int32_t i = 0; i < s->routes[r].n_steps; i++) {
      const hw_step *st = &s->routes[r].steps[i];
      if (st->kind != HW_STEP_JOB || st->index != job) continue;
      if (seen++ == k) {
        *resource = s->routes[r].resource;
        *start = st->start;
        return 1;
      }
    }
  return 0;
}
