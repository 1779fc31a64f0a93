/*
 * Repair after a disruption (hw_repair.h): free the affected visits, pin the rest,
 * re-insert, store the difference as one event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "service_internal.h"

static const char *const kind_names[HW_REPAIR_KIND_COUNT] = {"absence", "late", "insert", "move"};

const char *hw_repair_kind_name(hw_repair_kind k) {
  return (unsigned)k < HW_REPAIR_KIND_COUNT ? kind_names[k] : "unknown";
}

/* A move keeps this much room around the moved visit on its new workers. */
#define MOVE_MARGIN_SECONDS (30 * 60)

typedef struct repair {
  hw_store *st;
  hw_change *c;
  const hw_repair_trigger *t;
  hw_date date;
  hw_locday loc;
  hw_day_input in;             /* as loaded (owned by loc's loader) */
  hw_visit *day;               /* the day's visits as they will be */
  hw_absence *abs;             /* the day's absences (+ a late worker's busy time) */
  int32_t n_day, n_abs;
  int32_t *idx;                /* affected visits (indices into day) */
  int32_t n_idx;
  hw_visit *before;            /* their state before, parallel to idx */
  hw_id workers[256];          /* whose rosters are rewritten */
  int32_t n_workers;
  int32_t move;                /* MOVE: index of the moved visit, -1 none */
} repair;

static void note_worker(repair *r, hw_id w) {
  if (!w) return;
  for (int32_t i = 0; i < r->n_workers; i++)
    if (r->workers[i] == w) return;
  if (r->n_workers < (int32_t)(sizeof r->workers / sizeof r->workers[0])) r->workers[r->n_workers++] = w;
}

static int movable(const hw_visit *v) {
  return v->planned_start != HW_TIME_NONE && (v->status == HW_VISIT_ASSIGNED || v->status == HW_VISIT_PLANNED) &&
         !v->pinned;
}

static int on_worker(const hw_visit *v, hw_id w) { return w && (v->worker_ids[0] == w || v->worker_ids[1] == w); }

static int is_affected(const repair *r, int32_t i) {
  for (int32_t k = 0; k < r->n_idx; k++)
    if (r->idx[k] == i) return 1;
  return 0;
}

static void affect(repair *r, int32_t i) {
  if (!is_affected(r, i)) r->idx[r->n_idx++] = i;
}

static int32_t find_visit(const repair *r, hw_id id) {
  for (int32_t i = 0; i < r->n_day; i++)
    if (r->day[i].id == id) return i;
  return -1;
}

/* A MOVE releases the target workers' free visits that come near the new slot
 * (wide: all of them). */
static void release_around_move(repair *r, int wide) {
  const hw_repair_trigger *t = r->t;
  const hw_visit *mv = &r->day[r->move];
  hw_time lo = t->move_start - MOVE_MARGIN_SECONDS, hi = t->move_start + (hw_time)mv->duration * 60 + MOVE_MARGIN_SECONDS;
  for (int32_t i = 0; i < r->n_day; i++) {
    const hw_visit *x = &r->day[i];
    if (i == r->move || !movable(x) || !(on_worker(x, t->move_workers[0]) || on_worker(x, t->move_workers[1])))
      continue;
    hw_time end = x->planned_start + (hw_time)x->duration * 60;
    if (wide || (x->planned_start < hi && end > lo)) affect(r, i);
  }
}

/* Which of the day's visits the trigger frees. */
static int find_affected(repair *r) {
  const hw_repair_trigger *t = r->t;
  if (t->kind == HW_REPAIR_INSERT) {
    for (int32_t k = 0; k < t->n_visits; k++) {
      int32_t i = find_visit(r, t->visit_ids[k]);
      if (i >= 0 && r->day[i].status == HW_VISIT_PLANNED) affect(r, i);
    }
    return 0;
  }
  if (t->kind == HW_REPAIR_MOVE) {
    r->move = find_visit(r, t->move_visit_id);
    if (r->move < 0) return hw__svc_reject(r->c, HW_EINVAL, "/id", "the visit is not on that day");
    release_around_move(r, 0);
    return 0;
  }
  hw_id late_worker = 0;
  hw_time late_start = 0;
  if (t->kind == HW_REPAIR_LATE) {
    int32_t i = find_visit(r, t->late_visit_id);
    if (i < 0 || !r->day[i].worker_ids[0]) return hw__svc_reject(r->c, HW_EINVAL, "/id", "the visit is not rostered");
    late_worker = r->day[i].worker_ids[0];
    late_start = r->day[i].planned_start;
  }
  for (int32_t i = 0; i < r->n_day; i++) {
    const hw_visit *x = &r->day[i];
    /* An absent worker's pinned visits must move too; a late worker's stay. */
    int may_move = movable(x) || (t->kind == HW_REPAIR_ABSENCE && x->status == HW_VISIT_ASSIGNED);
    if (!may_move || x->planned_start == HW_TIME_NONE) continue;
    int hit = 0;
    if (t->kind == HW_REPAIR_ABSENCE)
      hit = on_worker(x, t->absence.worker_id) && x->planned_start >= t->absence.from && x->planned_start < t->absence.to;
    if (t->kind == HW_REPAIR_LATE)
      hit = on_worker(x, late_worker) && x->id != t->late_visit_id && x->planned_start > late_start &&
            x->planned_start < t->late_until + HW_REPAIR_MARGIN_SECONDS;
    if (hit) affect(r, i);
  }
  return 0;
}

/* Free the affected visits (their old workers' rosters will be rewritten). */
static void free_affected(repair *r) {
  for (int32_t k = 0; k < r->n_idx; k++) {
    hw_visit *v = &r->day[r->idx[k]];
    r->before[k] = *v;
    note_worker(r, v->worker_ids[0]);
    note_worker(r, v->worker_ids[1]);
    v->worker_ids[0] = v->worker_ids[1] = 0;
    v->planned_start = HW_TIME_NONE;
    v->status = HW_VISIT_PLANNED;
    v->pinned = 0; /* an absent worker's pinned visit must find someone else */
  }
}

/* MOVE: the moved visit becomes a commitment of the chosen workers and start. */
static void pin_moved(repair *r) {
  hw_visit *v = &r->day[r->move];
  note_worker(r, v->worker_ids[0]);
  note_worker(r, v->worker_ids[1]);
  v->worker_ids[0] = r->t->move_workers[0];
  v->worker_ids[1] = v->workers == 2 ? r->t->move_workers[1] : 0;
  v->planned_start = r->t->move_start;
  v->status = HW_VISIT_ASSIGNED;
  v->pinned = 1;
  v->unplaced_reason[0] = '\0';
  note_worker(r, v->worker_ids[0]);
  note_worker(r, v->worker_ids[1]);
}

/* The reason a visit stays unplaced. */
static void set_unplaced(const hw_day_problem *dp, const hw_solution *s, int32_t i, hw_visit *v) {
  const char *why = "no_capacity";
  if (dp->visit_unskilled[i]) why = "no_skill";
  else if (dp->visit_too_late[i]) why = "too_late";
  else
    for (int32_t u = 0; u < s->n_unassigned; u++)
      if (dp->job_visit[s->unassigned[u].job] == i) why = hw_unassigned_reason_str(s->unassigned[u].reason);
  snprintf(v->unplaced_reason, sizeof v->unplaced_reason, "%s", why);
}

/* Read where a freed visit went. Returns 1 when placed. */
static int read_placement(const hw_day_problem *dp, const hw_solution *s, const hw_day_input *in, int32_t i,
                          hw_visit *v) {
  int32_t j = dp->visit_job[i], placed = 0;
  for (int32_t w = 0; j >= 0 && w < v->workers; w++) {
    int32_t res;
    hw_tick t;
    if (!hw_day_job_placement(s, j, w, &res, &t)) continue;
    v->worker_ids[w] = in->workers[dp->res_worker[res]].id;
    v->planned_start = dp->day0 + t;
    placed++;
  }
  if (placed == v->workers) {
    v->status = HW_VISIT_ASSIGNED;
    v->unplaced_reason[0] = '\0';
    return 1;
  }
  v->worker_ids[0] = v->worker_ids[1] = 0;
  v->planned_start = HW_TIME_NONE;
  v->status = HW_VISIT_PLANNED;
  set_unplaced(dp, s, i, v);
  return 0;
}

/* 1 when the moved visit's pin was honoured in s. */
static int move_holds(const hw_day_problem *dp, const hw_solution *s, int32_t move) {
  int32_t j = dp->visit_job[move];
  int32_t res;
  hw_tick t;
  return j >= 0 && hw_day_job_placement(s, j, 0, &res, &t);
}

/* Build the day as it will be and re-insert the freed visits. */
static int reinsert(repair *r, hw_day_input *rin, int *move_ok) {
  char why[160] = "";
  hw_day_problem dp;
  int rc = hw_day_build(rin, &dp, why, sizeof why);
  if (rc < 0) return hw__svc_reject(r->c, rc, "", "the day does not build: %s", why);
  hw_solution s;
  hw_solution_init(&s);
  rc = hw_day_current_solution(&dp, &s);
  *move_ok = r->move < 0 || (rc == 0 && move_holds(&dp, &s, r->move));
  int32_t *jobs = malloc(((size_t)r->n_idx + 1) * sizeof *jobs), n_jobs = 0;
  if (!jobs) rc = HW_ENOMEM;
  for (int32_t k = 0; rc == 0 && k < r->n_idx; k++)
    if (dp.visit_job[r->idx[k]] >= 0) jobs[n_jobs++] = dp.visit_job[r->idx[k]];
  if (rc == 0 && *move_ok && n_jobs) rc = hw_insert_jobs(&dp.p, &s, jobs, n_jobs);
  for (int32_t k = 0; rc >= 0 && *move_ok && k < r->n_idx; k++) read_placement(&dp, &s, rin, r->idx[k], &r->day[r->idx[k]]);
  free(jobs);
  hw_solution_free(&s);
  hw_day_free(&dp);
  return rc < 0 ? rc : 0;
}

static void add_change(hw_repair_report *rep, const hw_visit *before, const hw_visit *after) {
  if (before->planned_start == after->planned_start && before->worker_ids[0] == after->worker_ids[0] &&
      before->worker_ids[1] == after->worker_ids[1])
    return;
  if (rep->n_changes == HW_REPAIR_MAX_CHANGES) {
    rep->more++;
    return;
  }
  rep->changes[rep->n_changes++] =
      (hw_repair_change){after->id, after->date, {before->worker_ids[0], before->worker_ids[1]}, before->planned_start,
                         {after->worker_ids[0], after->worker_ids[1]}, after->planned_start};
}

typedef struct store_ctx {
  repair *r;
  hw_repair_report *rep;
} store_ctx;

static int store_tx(hw_store *st, void *vctx, hw_records *rec) {
  store_ctx *x = vctx;
  repair *r = x->r;
  snprintf(rec->trigger, sizeof rec->trigger, "%s", r->t->label ? r->t->label : hw_repair_kind_name(r->t->kind));
  int rc = 0;
  if (r->move >= 0) {
    rc = hw_store_update_visit(st, &r->day[r->move]);
    if (rc == 0) rc = hw_records_add_visit(rec, &r->day[r->move]);
  }
  for (int32_t k = 0; rc == 0 && k < r->n_idx; k++) {
    const hw_visit *v = &r->day[r->idx[k]];
    note_worker(r, v->worker_ids[0]);
    note_worker(r, v->worker_ids[1]);
    rc = hw_store_update_visit(st, v);
    if (rc == 0) rc = hw_records_add_visit(rec, v);
  }
  if (rc == 0) rc = hw_locday_rewrite_rosters(&r->loc, r->date, r->workers, r->n_workers, rec);
  return rc;
}

static int check_trigger(hw_change *c, const hw_repair_trigger *t, hw_date date) {
  hw_time d0 = hw_local_to_time(date, 0), d1 = hw_local_to_time(date + 1, 0);
  if ((unsigned)t->kind >= HW_REPAIR_KIND_COUNT) return hw__svc_reject(c, HW_EINVAL, "", "unknown repair");
  if (t->kind == HW_REPAIR_ABSENCE && (t->absence.to <= t->absence.from || t->absence.to <= d0 || t->absence.from >= d1))
    return hw__svc_reject(c, HW_EINVAL, "/to", "the absence must overlap the day and end after it starts");
  if (t->kind == HW_REPAIR_MOVE && (t->move_start < d0 || t->move_start >= d1))
    return hw__svc_reject(c, HW_EINVAL, "/planned_start", "must be on the day of the visit");
  return 0;
}

/* The day's arrays as they will be: stored visits, absences (+ the new one, or
 * the late worker's busy time). */
static int stage_day(repair *r) {
  const hw_day_input *in = &r->in;
  r->day = malloc(((size_t)in->n_visits + 1) * sizeof *r->day);
  r->abs = malloc(((size_t)in->n_absences + 2) * sizeof *r->abs);
  r->idx = malloc(((size_t)in->n_visits + 1) * sizeof *r->idx);
  r->before = malloc(((size_t)in->n_visits + 1) * sizeof *r->before);
  if (!r->day || !r->abs || !r->idx || !r->before) return HW_ENOMEM;
  if (in->n_visits) memcpy(r->day, in->visits, (size_t)in->n_visits * sizeof *r->day);
  if (in->n_absences) memcpy(r->abs, in->absences, (size_t)in->n_absences * sizeof *r->abs);
  r->n_day = in->n_visits;
  r->n_abs = in->n_absences;
  const hw_repair_trigger *t = r->t;
  int known = 0;
  for (int32_t i = 0; i < r->n_abs; i++) known |= t->kind == HW_REPAIR_ABSENCE && r->abs[i].id == t->absence.id;
  if (t->kind == HW_REPAIR_ABSENCE && !known) r->abs[r->n_abs++] = t->absence;
  if (t->kind == HW_REPAIR_LATE) {
    int32_t i = find_visit(r, t->late_visit_id);
    if (i >= 0) r->abs[r->n_abs++] = (hw_absence){0, r->day[i].worker_ids[0], r->day[i].planned_start, t->late_until, "late"};
  }
  return 0;
}

static void repair_free(repair *r) {
  free(r->day);
  free(r->abs);
  free(r->idx);
  free(r->before);
  hw_locday_day_release(&r->loc, &r->in);
  hw_locday_free(&r->loc);
}

int hw__svc_repair(hw_store *st, hw_change *c, hw_id locality_id, hw_date date, const hw_repair_trigger *t,
                   hw_repair_report *report) {
  int rc = check_trigger(c, t, date);
  if (rc) return rc;
  repair r = {.st = st, .c = c, .t = t, .date = date, .move = -1};
  rc = hw_locday_load(st, locality_id, &r.loc);
  if (rc == 0) rc = hw_locday_day_load(&r.loc, date, &r.in);
  if (rc == 0) rc = stage_day(&r);
  if (rc == 0) rc = find_affected(&r);
  if (rc == 0) {
    free_affected(&r);
    if (r.move >= 0) pin_moved(&r);
    hw_day_input rin = r.in;
    rin.visits = r.day;
    rin.n_visits = r.n_day;
    rin.absences = r.abs;
    rin.n_absences = r.n_abs;
    rin.pin_mode = HW_DAY_PIN_ASSIGNED;
    rin.freeze_until = c->now;
    int move_ok = 1;
    rc = reinsert(&r, &rin, &move_ok);
    if (rc == 0 && !move_ok) { /* free the workers' whole day and try once more */
      for (int32_t k = 0; k < r.n_idx; k++) r.day[r.idx[k]] = r.before[k];
      r.n_idx = 0;
      release_around_move(&r, 1);
      free_affected(&r);
      rc = reinsert(&r, &rin, &move_ok);
    }
    if (rc == 0 && !move_ok)
      rc = hw__svc_reject(c, HW_ECONFLICT, "/worker_ids",
                          "the visit cannot be placed there: shift, break, absence, skills, exclusion or a "
                          "pinned visit is in the way");
  }
  if (rc == 0) {
    for (int32_t k = 0; k < r.n_idx; k++) {
      add_change(report, &r.before[k], &r.day[r.idx[k]]);
      report->unplaced += r.day[r.idx[k]].planned_start == HW_TIME_NONE;
    }
    if (r.move >= 0) add_change(report, &r.in.visits[r.move], &r.day[r.move]);
    store_ctx x = {&r, report};
    rc = hw__svc_apply(st, c, "roster.repaired", locality_id, store_tx, &x);
    if (rc == 0) report->event_seq = hw_store_last_seq(st);
  }
  repair_free(&r);
  return rc;
}
