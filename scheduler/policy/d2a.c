/*
 * D2A slot offers (hw_d2a.h): the search over days and tiers, by insertion into
 * the current rosters, with the same-day levers (later start, wider windows,
 * re-timing existing visits, reassigning them) tried on the first day when plain
 * insertion finds no gap, and the reason an offer misses today.
 */
#include "hw_d2a.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_solver.h"

#define LATEST_WIDEN_MINUTES 240
#define REASSIGN_NEAR_S (90 * 60) /* a visit this close to a new one's window may be lifted out */

static const char *const miss_names[HW_D2A_MISS_COUNT] = {"none", "too_late", "skill", "gap_today", "gap_later"};

const char *hw_d2a_miss_name(hw_d2a_miss m) { return (unsigned)m < HW_D2A_MISS_COUNT ? miss_names[m] : "unknown"; }

void hw_d2a_options_init(hw_d2a_options *o) {
  o->lead_minutes = HW_D2A_LEAD_MINUTES;
  o->first_days = 2;
  o->max_days = 14;
  o->later_start = 1;
  o->widen_minutes = 60;
  o->retime = 1;
  o->reassign = 1;
  o->reassign_max = 12;
  o->reserve_minutes = 60;
  hw_visit_options_init(&o->visit);
}

/* ---- The D2A reserve ----------------------------------------------------------- */

static const int32_t reserve_peak_minute[HW_D2A_RESERVE_PEAKS] = {8 * 60 + 30, 12 * 60 + 30, 17 * 60, 20 * 60 + 30};
static const char *const peak_names[HW_D2A_RESERVE_PEAKS] = {"morning", "lunch", "tea", "bedtime"};

int32_t hw_d2a_peak_minute(int peak) { return peak >= 0 && peak < HW_D2A_RESERVE_PEAKS ? reserve_peak_minute[peak] : -1; }

const char *hw_d2a_peak_name(int peak) { return peak >= 0 && peak < HW_D2A_RESERVE_PEAKS ? peak_names[peak] : "?"; }

void hw_d2a_reserve_fixed(int32_t reserve_minutes, int32_t out[HW_D2A_RESERVE_PEAKS]) {
  for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++) out[p] = p == 1 ? 0 : reserve_minutes;
}

/* 1 when w works [from, to) (minutes of date) within one shift, clear of that
 * shift's break window, and no absence overlaps it. */
static int can_hold(const hw_worker *w, hw_date date, int32_t from, int32_t to, const hw_absence *abs, int32_t n_abs) {
  int wd = hw_date_weekday(date), on = 0;
  for (int32_t s = 0; s < w->n_shifts && !on; s++) {
    const hw_shift *sh = &w->shifts[s];
    int clear = sh->break_minutes == 0 || sh->break_window.end <= from || sh->break_window.start >= to;
    on = sh->weekday == wd && sh->hours.start <= from && sh->hours.end >= to && clear;
  }
  if (!on || !w->active) return 0;
  hw_time t0 = hw_local_to_time(date, from), t1 = hw_local_to_time(date, to);
  for (int32_t a = 0; a < n_abs; a++)
    if (abs[a].worker_id == w->id && abs[a].from < t1 && abs[a].to > t0) return 0;
  return 1;
}

/* 1 when workers[i] is the first worker of its team in the array. */
static int first_of_team(const hw_worker *workers, int32_t i) {
  for (int32_t k = 0; k < i; k++)
    if (workers[k].team_id == workers[i].team_id) return 0;
  return 1;
}

/* The reserve of one team at one peak: slots on its workers, visited from a
 * position that rotates with the date and peak. */
static int32_t team_peak_holds(int32_t minutes, const hw_worker *workers, int32_t n_workers, hw_id team,
                               const hw_absence *abs, int32_t n_abs, hw_date date, int peak, hw_absence *out,
                               int32_t room) {
  int32_t n = 0;
  int64_t first = ((int64_t)date * HW_D2A_RESERVE_PEAKS + peak) % n_workers;
  if (first < 0) first += n_workers;
  for (int32_t k = 0; k < n_workers && minutes > 0 && n < room; k++) {
    const hw_worker *w = &workers[(first + k) % n_workers];
    if (w->team_id != team) continue;
    int32_t len = minutes < HW_D2A_RESERVE_SLOT ? minutes : HW_D2A_RESERVE_SLOT;
    int32_t from = reserve_peak_minute[peak] - len / 2, to = from + len;
    if (!can_hold(w, date, from, to, abs, n_abs)) continue;
    out[n] = (hw_absence){.id = 0, .worker_id = w->id, .from = hw_local_to_time(date, from),
                          .to = hw_local_to_time(date, to)};
    snprintf(out[n].reason, sizeof out[n].reason, "d2a_reserve");
    n++;
    minutes -= len;
  }
  return n;
}

int hw_d2a_reserve_holds(const int32_t minutes[HW_D2A_RESERVE_PEAKS], const hw_worker *workers, int32_t n_workers,
                         const hw_absence *absences, int32_t n_absences, hw_date date, hw_absence *out,
                         int32_t cap) {
  if (cap < 0) return HW_EINVAL;
  for (int peak = 0; peak < HW_D2A_RESERVE_PEAKS; peak++)
    if (minutes[peak] < 0 || minutes[peak] > HW_D2A_RESERVE_MAX) return HW_EINVAL;
  int32_t n = 0;
  for (int32_t i = 0; i < n_workers; i++) {
    if (!first_of_team(workers, i)) continue;
    for (int peak = 0; peak < HW_D2A_RESERVE_PEAKS; peak++)
      if (minutes[peak] > 0)
        n += team_peak_holds(minutes[peak], workers, n_workers, workers[i].team_id, absences, n_absences, date,
                             peak, out + n, cap - n);
  }
  return n;
}

/* How one attempt treats the first day: visits dropped from its start, windows
 * widened, existing visits free to move. */
typedef struct attempt {
  int32_t skip;
  int32_t widen_minutes;
  int32_t retime;
  int32_t reassign;
} attempt;

static int by_window_start(const void *a, const void *b) {
  const hw_visit *x = a, *y = b;
  return (x->window_start > y->window_start) - (x->window_start < y->window_start);
}

/* Widen a visit's window by m minutes each side, within its day and never before
 * `earliest`; medication keeps its prescribed time. */
static void widen(hw_visit *v, int32_t m, hw_time earliest) {
  if (m <= 0 || v->medication) return;
  hw_time day0 = hw_local_to_time(v->date, 0), day1 = hw_local_to_time(v->date + 1, 0);
  v->window_start -= (hw_time)m * 60;
  v->window_end += (hw_time)m * 60;
  if (v->window_start < day0) v->window_start = day0;
  if (v->window_start < earliest) v->window_start = earliest;
  if (v->window_end > day1 - (hw_time)v->duration * 60) v->window_end = day1 - (hw_time)v->duration * 60;
  if (v->window_end < v->window_start) v->window_end = v->window_start;
}

/* The new visits of one day: the plan's visits on date in window order; on the
 * first day only those that can still start at or after `earliest`, with their
 * windows clipped, less the first a->skip, widened by a->widen_minutes. */
static int day_visits(const hw_d2a_options *o, const hw_client *c, const hw_visit_template *t, int32_t n,
                      hw_date date, hw_time earliest, const attempt *a, hw_visit **out, int32_t *n_out) {
  int rc = hw_visits_expand(t, n, 0, c->id, date, date, &o->visit, out, n_out);
  if (rc < 0) return rc;
  if (*n_out > 1) qsort(*out, (size_t)*n_out, sizeof **out, by_window_start);
  int32_t k = 0, skipped = 0;
  for (int32_t i = 0; i < *n_out; i++) {
    hw_visit v = (*out)[i];
    if (v.window_end < earliest) continue;
    if (skipped < a->skip) {
      skipped++;
      continue;
    }
    if (v.window_start < earliest) v.window_start = earliest;
    widen(&v, a->widen_minutes, earliest);
    (*out)[k++] = v;
  }
  *n_out = k;
  return 0;
}

static uint32_t visit_kind(const hw_visit *v) {
  int32_t minute = (int32_t)((v->window_start - hw_local_to_time(v->date, 0)) / 60);
  uint32_t k = minute < 11 * 60 ? HW_D2A_VISIT_MORNING : minute < 16 * 60 ? HW_D2A_VISIT_MIDDAY : HW_D2A_VISIT_EVENING;
  if (v->workers == 2) k |= HW_D2A_VISIT_DOUBLE;
  if (v->medication) k |= HW_D2A_VISIT_MEDICATION;
  return k;
}

/* Retime: an existing commitment may move within its own window on its own
 * worker when it is single-handed and not medication (a double-handed visit is
 * two pinned jobs that must start together; medication has a prescribed time). */
static int movable(const hw_day_problem *dp, const hw_visit *visits, int32_t job) {
  if (!dp->job_fixed[job]) return 0;
  const hw_visit *v = &visits[dp->job_visit[job]];
  return v->workers == 1 && !v->medication && v->planned_start != HW_TIME_NONE;
}

/* Reassign: a commitment may go to another worker when it is single-handed, not
 * pinned by anyone (a coordinator, an earlier discharge), not started, and not
 * due before not_before (the person cannot be home earlier, nor may a worker be
 * told of a change at the last minute). */
static int liftable(const hw_day_problem *dp, const hw_visit *visits, int32_t job, hw_time not_before) {
  if (!dp->job_fixed[job]) return 0;
  const hw_visit *v = &visits[dp->job_visit[job]];
  return v->workers == 1 && !v->pinned && v->status == HW_VISIT_ASSIGNED && v->planned_start != HW_TIME_NONE &&
         v->planned_start >= not_before;
}

/* A commitment's pin holds its planned start as its only window: give it back
 * its own window (which always contains the planned start), not before
 * not_before; with any_worker also free of its worker. */
static void free_time(const hw_day_problem *dp, const hw_visit *v, hw_job *j, hw_time not_before, int any_worker) {
  hw_tick planned = j->pin_start;
  hw_time from = v->window_start > not_before ? v->window_start : not_before;
  hw_tick ws = (hw_tick)(from - dp->day0), we = (hw_tick)(v->window_end - dp->day0);
  j->windows[0] = (hw_window){ws < planned ? ws : planned, we > planned ? we : planned};
  j->pin_start = -1;
  if (any_worker) j->pin_resource = -1;
}

/* Seconds between a commitment and the nearest new visit's window (0 when they
 * overlap). */
static hw_time distance_to_new(const hw_visit *v, const hw_visit *fresh, int32_t n_fresh) {
  hw_time best = INT64_MAX, s = v->planned_start, e = s + (hw_time)v->duration * 60;
  for (int32_t i = 0; i < n_fresh; i++) {
    hw_time fs = fresh[i].window_start, fe = fresh[i].window_end + (hw_time)fresh[i].duration * 60;
    hw_time d = e < fs ? fs - e : s > fe ? s - fe : 0;
    if (d < best) best = d;
  }
  return best;
}

/* Flag in lift[job] the (at most max) liftable commitments nearest the new
 * visits, within REASSIGN_NEAR_S of one; returns how many. */
static int32_t choose_lifted(const hw_day_problem *dp, const hw_visit *visits, const hw_visit *fresh,
                             int32_t n_fresh, hw_time not_before, int32_t max, uint8_t *lift) {
  int32_t n = 0;
  while (n < max) {
    int32_t best = -1;
    hw_time best_d = REASSIGN_NEAR_S + 1;
    for (int32_t j = 0; j < dp->base_jobs; j++) {
      if (lift[j] || !liftable(dp, visits, j, not_before)) continue;
      hw_time d = distance_to_new(&visits[dp->job_visit[j]], fresh, n_fresh);
      if (d < best_d) best = j, best_d = d;
    }
    if (best < 0) break;
    lift[best] = 1;
    n++;
  }
  return n;
}

struct hw_d2a_day {
  hw_day_problem dp;           /* built with room for an offer's visits */
  hw_solution current;         /* the rosters as they stand: every commitment at its pin */
  const hw_visit *visits;      /* the input's (borrowed: it must outlive the day) */
  hw_date date;
};

/* After an insertion that may move commitments (retimed ones, lifted ones), list
 * the existing visits whose worker or start changed. Returns 0 when there are
 * more than the offer can hold. */
static int record_moves(const hw_d2a_day *day, const hw_solution *s, int retime, const uint8_t *lifted,
                        hw_d2a_offer *offer) {
  const hw_day_problem *dp = &day->dp;
  for (int32_t i = 0; i < dp->n_input_visits; i++) {
    int32_t j = dp->visit_job[i];
    int32_t r;
    hw_tick start;
    if (j < 0 || !((retime && movable(dp, day->visits, j)) || (lifted && lifted[j]))) continue;
    if (!hw_day_job_placement(s, j, 0, &r, &start)) continue;
    hw_id worker = (hw_id)dp->p.resources[r].id;
    if (dp->day0 + start == day->visits[i].planned_start && worker == day->visits[i].worker_ids[0]) continue;
    if (offer->n_moved == HW_D2A_MAX_MOVES) return 0;
    offer->moved[offer->n_moved++] = (hw_d2a_move){day->visits[i].id, day->date, dp->day0 + start, worker};
  }
  return 1;
}

/* Insert the new jobs, then put the lifted commitments back. Returns how many
 * new jobs were placed (n_new when the lifted ones all found a place too, else
 * less), or a negative error. */
static int insert_new_then_lifted(const hw_problem *p, hw_solution *s, const int32_t *jobs, int32_t n_new,
                                  const uint8_t *lifted, int32_t n_lifted) {
  int rc = hw_insert_jobs(p, s, jobs, n_new);
  if (rc < n_new || n_lifted == 0) return rc;
  int32_t *back = malloc((size_t)n_lifted * sizeof *back);
  if (!back) return HW_ENOMEM;
  int32_t k = 0;
  for (int32_t j = 0; j < p->n_jobs && k < n_lifted; j++)
    if (lifted[j]) back[k++] = j;
  int placed = hw_insert_jobs(p, s, back, k);
  free(back);
  if (placed < 0) return placed;
  return placed == k ? n_new : n_new - 1;
}

/* How a day is tried: re-timing and reassigning allowed, and nothing existing
 * moved to before not_before. */
typedef struct day_mode {
  int retime;
  int reassign;
  int32_t reassign_max;
  hw_time not_before;
} day_mode;

/* ---- Days prepared for offers --------------------------------------------------- */

int hw_d2a_day_prepare(const hw_day_input *in, hw_d2a_day **out) {
  hw_d2a_day *d = calloc(1, sizeof *d);
  if (!d) return HW_ENOMEM;
  hw_solution_init(&d->current);
  hw_day_input day = *in;
  day.pin_mode = HW_DAY_PIN_ASSIGNED;
  char msg[160];
  int rc = hw_day_build_with_room(&day, HW_D2A_MAX_VISITS, &d->dp, msg, sizeof msg);
  if (rc == 0) rc = hw_day_current_solution(&d->dp, &d->current);
  if (rc < 0) {
    hw_d2a_day_free(d);
    return rc;
  }
  d->visits = in->visits;
  d->date = in->date;
  *out = d;
  return 0;
}

void hw_d2a_day_free(hw_d2a_day *d) {
  if (!d) return;
  hw_day_free(&d->dp);
  hw_solution_free(&d->current);
  free(d);
}

int64_t hw_d2a_day_bytes(const hw_d2a_day *d) {
  int64_t cells = (int64_t)d->dp.p.n_locations * d->dp.p.n_locations;
  int64_t steps = 0;
  for (int32_t r = 0; r < d->current.n_routes; r++) steps += d->current.routes[r].n_steps;
  return 2 * cells * (int64_t)sizeof(hw_tick) + (int64_t)(d->dp.base_jobs + d->dp.room) * (int64_t)sizeof(hw_job) +
         (int64_t)d->dp.p.n_resources * (int64_t)sizeof(hw_resource) + steps * (int64_t)sizeof(hw_step);
}

/* hw_d2a_days over a plain day source: each day prepared from its load, and both
 * freed when the try is over (one day is lent at a time). */
typedef struct load_each_time {
  const hw_day_source *src;
  hw_day_input in;
} load_each_time;

static int load_and_prepare(void *user, hw_date date, int tier, hw_d2a_day **out) {
  load_each_time *l = user;
  memset(&l->in, 0, sizeof l->in);
  int rc = l->src->load(l->src->user, date, tier, &l->in);
  if (rc < 0) return rc;
  l->in.date = date;
  rc = hw_d2a_day_prepare(&l->in, out);
  if (rc < 0) l->src->release(l->src->user, &l->in);
  return rc;
}

static void free_both(void *user, hw_d2a_day *day) {
  load_each_time *l = user;
  hw_d2a_day_free(day);
  l->src->release(l->src->user, &l->in);
}

/* Free the commitments' time for a try: every movable one's own window back
 * (retime), and the lifted ones free of their worker too (record_moves lists
 * the ones that moved). *saved gets the jobs as they were, for restore_jobs. */
static int free_commitments(hw_d2a_day *day, const day_mode *mode, const uint8_t *lifted, hw_job **saved) {
  hw_day_problem *dp = &day->dp;
  size_t bytes = ((size_t)dp->base_jobs + 1) * sizeof(hw_job);
  if (!(*saved = malloc(bytes))) return HW_ENOMEM;
  memcpy(*saved, dp->p.jobs, (size_t)dp->base_jobs * sizeof(hw_job));
  for (int32_t j = 0; j < dp->base_jobs; j++) {
    int lift = lifted && lifted[j];
    if (lift || (mode->retime && movable(dp, day->visits, j)))
      free_time(dp, &day->visits[dp->job_visit[j]], &dp->p.jobs[j], mode->not_before, lift);
  }
  return 0;
}

static void restore_jobs(hw_d2a_day *day, hw_job *saved) {
  if (!saved) return;
  memcpy(day->dp.p.jobs, saved, (size_t)day->dp.base_jobs * sizeof(hw_job));
  free(saved);
}

/* The rosters a try starts from, commitments at their pins: the prepared day's,
 * or, with commitments lifted out for reassigning, the rest of them built again. */
static int starting_rosters(const hw_d2a_day *day, const uint8_t *lifted, int32_t n_lifted, hw_solution *s) {
  return n_lifted ? hw_day_current_solution_without(&day->dp, lifted, s) : hw_solution_copy(s, &day->current);
}

/* Try to fit `fresh` (visits of client c) into a prepared day's rosters; on
 * success append the placed visits (and any moves) to the offer. On failure
 * *kinds gets the HW_D2A_VISIT_* bits of the visits left out and *miss why. The
 * day is as prepared again afterwards. Returns 1 fitted, 0 not, or an error. */
static int fit_prepared(hw_d2a_day *day, const hw_client *c, const hw_visit *fresh, int32_t n_fresh,
                        const day_mode *mode, hw_d2a_offer *offer, hw_d2a_miss *miss, uint32_t *kinds) {
  hw_day_problem *dp = &day->dp;
  uint8_t unskilled[HW_D2A_MAX_VISITS];
  int32_t first = 0, jobs[HW_D2A_MAX_VISITS];
  int rc = hw_day_add_visits(dp, c, fresh, n_fresh, &first, unskilled);
  if (rc < 0) return rc;
  hw_solution s;
  hw_solution_init(&s);
  hw_job *saved = NULL;
  uint8_t *lifted = NULL;
  int32_t n_lifted = 0;
  int fitted = 0;
  for (int32_t i = 0; i < n_fresh; i++)
    if (unskilled[i]) {
      snprintf(offer->reason, sizeof offer->reason, "no worker on shift holds the skills of a visit");
      *miss = HW_D2A_MISS_SKILL;
      *kinds |= visit_kind(&fresh[i]);
      goto done;
    }
  if (mode->reassign) {
    if (!(lifted = calloc((size_t)dp->p.n_jobs + 1, 1))) {
      rc = HW_ENOMEM;
      goto done;
    }
    n_lifted = choose_lifted(dp, day->visits, fresh, n_fresh, mode->not_before, mode->reassign_max, lifted);
  }
  /* The starting rosters hold the commitments in order; only then free their time. */
  if ((rc = starting_rosters(day, lifted, n_lifted, &s)) < 0) goto done;
  if ((mode->retime || n_lifted) && (rc = free_commitments(day, mode, lifted, &saved)) < 0) goto done;
  for (int32_t i = 0; i < n_fresh; i++) jobs[i] = first + i;
  rc = insert_new_then_lifted(&dp->p, &s, jobs, n_fresh, lifted, n_lifted);
  if (rc < 0) goto done;
  if (rc < n_fresh) {
    snprintf(offer->reason, sizeof offer->reason, "no gap in the rosters for %d of %d visits", n_fresh - rc, n_fresh);
    *miss = HW_D2A_MISS_GAP_TODAY;
    for (int32_t i = 0; i < n_fresh; i++) {
      int32_t r;
      hw_tick start;
      if (!hw_day_job_placement(&s, jobs[i], 0, &r, &start)) *kinds |= visit_kind(&fresh[i]);
    }
    rc = 0;
    goto done;
  }
  rc = 0;
  if (!record_moves(day, &s, mode->retime, lifted, offer)) {
    snprintf(offer->reason, sizeof offer->reason, "the gap needs more than %d visits moved", HW_D2A_MAX_MOVES);
    *miss = HW_D2A_MISS_GAP_TODAY;
    goto done;
  }
  for (int32_t i = 0; i < n_fresh && offer->n_visits < HW_D2A_MAX_VISITS; i++) {
    hw_visit v = fresh[i];
    for (int32_t k = 0; k < v.workers; k++) {
      int32_t r;
      hw_tick start;
      if (!hw_day_job_placement(&s, jobs[i], k, &r, &start)) continue;
      v.worker_ids[k] = (hw_id)dp->p.resources[r].id;
      v.planned_start = dp->day0 + start;
    }
    v.status = HW_VISIT_ASSIGNED;
    v.pinned = 1;
    offer->visits[offer->n_visits++] = v;
  }
  fitted = 1;
done:
  restore_jobs(day, saved);
  hw_day_drop_added(dp);
  free(lifted);
  hw_solution_free(&s);
  return rc < 0 ? rc : fitted;
}

/* Try to fit `fresh` into the rosters of date for tier (fit_prepared). */
static int fit_day(const hw_d2a_days *days, hw_date date, int tier, const hw_client *c, const hw_visit *fresh,
                   int32_t n_fresh, const day_mode *mode, hw_d2a_offer *offer, hw_d2a_miss *miss, uint32_t *kinds) {
  hw_d2a_day *day = NULL;
  int rc = days->get(days->user, date, tier, &day);
  if (rc < 0) return rc;
  rc = fit_prepared(day, c, fresh, n_fresh, mode, offer, miss, kinds);
  days->put(days->user, day);
  return rc;
}

/* Try start date d with tier under attempt a (which shapes the first day; the
 * later first days are taken as planned, retimed when a->retime): every one of
 * the first days must fit. *miss and *kinds say why not. */
static int try_start(const hw_d2a_options *o, const hw_d2a_days *src, const hw_client *c,
                     const hw_visit_template *t, int32_t n, hw_date d, int tier, hw_time earliest, const attempt *a,
                     hw_d2a_offer *out, hw_d2a_miss *miss, uint32_t *kinds) {
  static const attempt as_planned = {0, 0, 0, 0};
  out->n_visits = 0;
  out->n_moved = 0;
  /* Nothing existing moves to before the person can be home (today), nor into the past. */
  day_mode mode = {a->retime, a->reassign, o->reassign_max, earliest != HW_TIME_NONE ? earliest : 0};
  for (int32_t k = 0; k < o->first_days; k++) {
    hw_visit *fresh = NULL;
    int32_t nf = 0;
    attempt later = as_planned;
    later.retime = a->retime;
    later.reassign = a->reassign;
    int rc = day_visits(o, c, t, n, d + k, k == 0 ? earliest : HW_TIME_NONE, k == 0 ? a : &later, &fresh, &nf);
    if (rc < 0) return rc;
    if (k == 0 && nf == 0) {
      free(fresh);
      snprintf(out->reason, sizeof out->reason, "no visit of the care plan can start after the lead time");
      *miss = HW_D2A_MISS_TOO_LATE;
      return 0;
    }
    if (out->n_visits + nf > HW_D2A_MAX_VISITS) {
      free(fresh);
      return HW_EINVAL;
    }
    uint32_t day_kinds = 0;
    rc = nf ? fit_day(src, d + k, tier, c, fresh, nf, &mode, out, miss, &day_kinds) : 1;
    free(fresh);
    if (rc == 0 && k > 0 && *miss == HW_D2A_MISS_GAP_TODAY) *miss = HW_D2A_MISS_GAP_LATER;
    if (rc == 0 && k == 0) *kinds |= day_kinds;
    if (rc <= 0) return rc;
  }
  return 1;
}

/* How many of today's plan visits can still start after `earliest`. */
static int count_today(const hw_d2a_options *o, const hw_client *c, const hw_visit_template *t, int32_t n,
                       hw_date d, hw_time earliest, int32_t *count) {
  static const attempt as_planned = {0, 0, 0, 0};
  hw_visit *v = NULL;
  int rc = day_visits(o, c, t, n, d, earliest, &as_planned, &v, count);
  free(v);
  return rc;
}

/* Today, for one tier: as planned first; then, when that finds no gap, the
 * enabled levers in order of how little they change - re-timing, wider windows,
 * both, reassigning (with wider windows too) - and, with later_start, the same
 * again from each later visit of today. Returns 1 (lever bits in out->lever), 0,
 * or a negative error. */
static int try_today(const hw_d2a_options *o, const hw_d2a_days *src, const hw_client *c,
                     const hw_visit_template *t, int32_t n, hw_date today, int tier, hw_time earliest,
                     hw_d2a_offer *out, hw_d2a_miss *miss, uint32_t *kinds) {
  attempt plain = {0, 0, 0, 0};
  int rc = try_start(o, src, c, t, n, today, tier, earliest, &plain, out, miss, kinds);
  if (rc != 0 || *miss == HW_D2A_MISS_TOO_LATE || *miss == HW_D2A_MISS_SKILL) return rc;
  int32_t n_today = 0;
  rc = count_today(o, c, t, n, today, earliest, &n_today);
  if (rc < 0) return rc;
  int32_t widen_m = o->widen_minutes > LATEST_WIDEN_MINUTES ? LATEST_WIDEN_MINUTES : o->widen_minutes;
  enum { N_MODES = 5 };
  const attempt modes[N_MODES] = {{0, 0, 1, 0}, {0, widen_m, 0, 0}, {0, widen_m, 1, 0}, {0, 0, 1, 1},
                                  {0, widen_m, 1, 1}};
  int32_t max_skip = o->later_start ? n_today - 1 : 0;
  for (int32_t skip = 0; skip <= max_skip; skip++)
    for (int m = skip ? -1 : 0; m < N_MODES; m++) {
      attempt a = m < 0 ? plain : modes[m];
      if (a.retime && !o->retime && !a.reassign) continue;
      if (a.reassign && !o->reassign) continue;
      if (a.widen_minutes == 0 && (m == 1 || m == 2 || m == 4)) continue;
      a.retime = a.retime && o->retime;
      a.skip = skip;
      hw_d2a_miss ignored = HW_D2A_MISS_NONE;
      uint32_t ignored_kinds = 0;
      rc = try_start(o, src, c, t, n, today, tier, earliest, &a, out, &ignored, &ignored_kinds);
      if (rc != 0) {
        out->lever = (skip ? HW_D2A_LEVER_LATER : 0) | (a.widen_minutes ? HW_D2A_LEVER_WIDEN : 0) |
                     (a.retime ? HW_D2A_LEVER_RETIME : 0) | (a.reassign ? HW_D2A_LEVER_REASSIGN : 0);
        return rc;
      }
    }
  return 0;
}

static void finish_found(hw_d2a_offer *out, hw_date start, int tier, int32_t days_tried) {
  out->found = 1;
  out->start_date = start;
  out->tier = tier;
  out->days_tried = days_tried;
  out->first_visit = HW_TIME_NONE;
  for (int32_t i = 0; i < out->n_visits; i++)
    if (out->first_visit == HW_TIME_NONE || out->visits[i].planned_start < out->first_visit)
      out->first_visit = out->visits[i].planned_start;
}

int hw_d2a_find(const hw_d2a_options *o, const hw_day_source *src, const hw_client *client,
                const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out) {
  load_each_time l = {.src = src};
  hw_d2a_days days = {load_and_prepare, free_both, &l, src->n_tiers};
  return hw_d2a_find_in(o, &days, client, t, n, ready_at, now, out);
}

int hw_d2a_find_in(const hw_d2a_options *o, const hw_d2a_days *src, const hw_client *client,
                   const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out) {
  memset(out, 0, sizeof *out);
  out->start_date = HW_DATE_NONE;
  out->first_visit = HW_TIME_NONE;
  if (n <= 0 || o->widen_minutes < 0 || o->reserve_minutes < 0 || o->reserve_minutes > HW_D2A_RESERVE_MAX ||
      (o->reassign && (o->reassign_max < 1 || o->reassign_max > HW_D2A_MAX_MOVES)))
    return HW_EINVAL;
  hw_time from = ready_at > now ? ready_at : now;
  hw_time earliest = from + (hw_time)o->lead_minutes * 60;
  hw_date today = hw_time_local_date(from);
  hw_d2a_miss miss = HW_D2A_MISS_NONE;
  uint32_t kinds = 0;
  for (int tier = 0; tier < src->n_tiers; tier++) {
    hw_d2a_miss tier_miss = HW_D2A_MISS_NONE;
    uint32_t tier_kinds = 0;
    int rc = try_today(o, src, client, t, n, today, tier, earliest, out, &tier_miss, &tier_kinds);
    if (rc < 0) return rc;
    if (rc == 1) {
      finish_found(out, today, tier, 1);
      return 0;
    }
    miss = tier_miss; /* the widest tier's reason is the one that counts */
    kinds = tier_kinds;
  }
  static const attempt as_planned = {0, 0, 0, 0};
  for (int32_t day = 1; day < o->max_days; day++)
    for (int tier = 0; tier < src->n_tiers; tier++) {
      hw_d2a_miss ignored = HW_D2A_MISS_NONE;
      uint32_t ignored_kinds = 0;
      int rc = try_start(o, src, client, t, n, today + day, tier, HW_TIME_NONE, &as_planned, out, &ignored,
                         &ignored_kinds);
      if (rc < 0) return rc;
      if (rc == 1) {
        finish_found(out, today + day, tier, day + 1);
        out->miss = miss;
        out->miss_visits = kinds;
        return 0;
      }
    }
  out->n_visits = 0;
  out->n_moved = 0;
  out->days_tried = o->max_days;
  out->miss = miss;
  out->miss_visits = kinds;
  return 0;
}
