/*
 * Planning one locality's day from the store (hw_plan.h): the solve, from a
 * snapshot, into a draft; plan_publish.c publishes it.
 */
#include "hw_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_check.h"
#include "hw_d2a.h"
#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_locday.h"
#include "hw_records.h"
#include "service_internal.h"

void hw_plan_params_init(hw_plan_params *p) {
  memset(p, 0, sizeof *p);
  p->time_limit_s = 5.0;
  p->seed = 1;
  p->stability_weight = 600;
  p->publish_chunk = HW_PLAN_PUBLISH_CHUNK;
}

void hw_plan_report_free(hw_plan_report *r) {
  free(r->unplaced);
  r->unplaced = NULL;
  r->n_unplaced = 0;
}

/* ---- Solving -------------------------------------------------------------------- */

/* The resource of worker_id whose shift covers t, or -1. */
static int32_t resource_of(const hw_day_problem *dp, const hw_day_input *in, hw_id worker_id, hw_tick t) {
  for (int32_t r = 0; r < dp->p.n_resources; r++)
    if (in->workers[dp->res_worker[r]].id == worker_id && t >= dp->p.resources[r].shift.start &&
        t <= dp->p.resources[r].shift.end)
      return r;
  return -1;
}

/* The stored assignments as a warm start: fixed jobs at their pins, then every
 * other stored assignment inserted where it was (pinned for the insertion only). */
static int warm_start(hw_day_problem *dp, const hw_day_input *in, hw_solution *s0) {
  int rc = hw_day_current_solution(dp, s0);
  if (rc < 0) return rc;
  hw_problem *p = &dp->p;
  int32_t *jobs = malloc(((size_t)p->n_jobs + 1) * sizeof *jobs);
  if (!jobs) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t j = 0; j < p->n_jobs; j++) {
    const hw_visit *v = &in->visits[dp->job_visit[j]];
    /* A double-handed job cannot be pinned to one resource: the search re-pairs it. */
    if (dp->job_fixed[j] || p->jobs[j].workers != 1 || !v->worker_ids[0] || v->planned_start == HW_TIME_NONE)
      continue;
    hw_tick t = (hw_tick)(v->planned_start - dp->day0);
    int32_t r = resource_of(dp, in, v->worker_ids[0], t);
    if (r < 0 || t < p->jobs[j].windows[0].start || t > p->jobs[j].windows[p->jobs[j].n_windows - 1].end) continue;
    p->jobs[j].pin_resource = r;
    p->jobs[j].pin_start = t;
    jobs[n++] = j;
  }
  rc = n ? hw_insert_jobs(p, s0, jobs, n) : 0;
  for (int32_t k = 0; k < n; k++) { /* the pins were for the warm start only */
    p->jobs[jobs[k]].pin_resource = -1;
    p->jobs[jobs[k]].pin_start = -1;
  }
  free(jobs);
  return rc < 0 ? rc : 0;
}

/* ---- The plan: each visit's new assignment ----------------------------------------- */

/* Why visit i of the day was not placed. */
static const char *unplaced_reason(const hw_day_problem *dp, const hw_solution *s, int32_t i) {
  if (dp->visit_unskilled[i]) return "no_skill";
  if (dp->visit_too_late[i]) return "too_late";
  for (int32_t u = 0; u < s->n_unassigned; u++)
    if (dp->job_visit[s->unassigned[u].job] == i) return hw_unassigned_reason_str(s->unassigned[u].reason);
  return "no_capacity";
}

static int visit_of_day(const hw_day_input *in, const hw_visit *v) {
  return v->date == in->date && v->status != HW_VISIT_CANCELLED && v->status != HW_VISIT_MISSED;
}

static void clear_assignment(hw_visit *v) {
  v->worker_ids[0] = v->worker_ids[1] = 0;
  v->planned_start = HW_TIME_NONE;
}

/* Visit i as the solution has it: workers and start, or unplaced with why. */
static hw_visit planned_visit(const hw_day_problem *dp, const hw_day_input *in, const hw_solution *s, int32_t i) {
  hw_visit v = in->visits[i];
  int32_t j = dp->visit_job[i];
  if (j < 0) { /* left out of the problem: nobody has the skills, or too late */
    if (v.status == HW_VISIT_PLANNED || v.status == HW_VISIT_ASSIGNED) {
      clear_assignment(&v);
      v.status = HW_VISIT_PLANNED;
      snprintf(v.unplaced_reason, sizeof v.unplaced_reason, "%s", unplaced_reason(dp, s, i));
    }
    return v;
  }
  if (v.status == HW_VISIT_IN_PROGRESS || v.status == HW_VISIT_DONE) return v; /* under way: kept as it is */
  int split = j + 1 < dp->p.n_jobs && dp->job_visit[j + 1] == i && dp->job_part[j + 1] == 1;
  clear_assignment(&v);
  int placed = 0;
  for (int32_t k = 0; k < v.workers; k++) {
    int32_t res;
    hw_tick t;
    if (!hw_day_job_placement(s, split ? j + k : j, split ? 0 : k, &res, &t)) continue;
    v.worker_ids[k] = in->workers[dp->res_worker[res]].id;
    v.planned_start = dp->day0 + t;
    placed++;
  }
  if (placed < v.workers) clear_assignment(&v);
  v.status = placed == v.workers ? HW_VISIT_ASSIGNED : HW_VISIT_PLANNED;
  snprintf(v.unplaced_reason, sizeof v.unplaced_reason, "%s", placed == v.workers ? "" : unplaced_reason(dp, s, i));
  return v;
}

static int by_visit_id(const void *a, const void *b) {
  hw_id x = ((const hw_visit *)a)->id, y = ((const hw_visit *)b)->id;
  return (x > y) - (x < y);
}

/* The draft's visits: the day's as read, and the plan for those of the day. */
static int read_solution(const hw_day_problem *dp, const hw_day_input *in, const hw_solution *s, hw_plan_draft *d) {
  d->before = malloc(((size_t)in->n_visits + 1) * sizeof *d->before);
  d->after = malloc(((size_t)in->n_visits + 1) * sizeof *d->after);
  if (!d->before || !d->after) return HW_ENOMEM;
  if (in->n_visits > 0) memcpy(d->before, in->visits, (size_t)in->n_visits * sizeof *d->before);
  d->n_before = in->n_visits;
  for (int32_t i = 0; i < in->n_visits; i++)
    if (visit_of_day(in, &in->visits[i])) d->after[d->n_after++] = planned_visit(dp, in, s, i);
  qsort(d->before, (size_t)d->n_before, sizeof *d->before, by_visit_id);
  qsort(d->after, (size_t)d->n_after, sizeof *d->after, by_visit_id);
  return 0;
}

/* 1 when a visit is a commitment of its workers: pinned (a D2A start placed in
 * the reserve, a coordinator's pin), under way, or before the freeze. */
static int is_commitment(const hw_day_input *in, const hw_visit *v) {
  if (v->planned_start == HW_TIME_NONE || v->status == HW_VISIT_CANCELLED) return 0;
  return v->pinned || v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE ||
         (in->freeze_until && in->freeze_until != HW_TIME_NONE && v->planned_start < in->freeze_until);
}

/* 1 when the hold would block a visit its worker is committed to. Such a visit
 * keeps its place; the hold gives way. */
static int hold_blocks_commitment(const hw_day_input *in, const hw_absence *h) {
  for (int32_t i = 0; i < in->n_visits; i++) {
    const hw_visit *v = &in->visits[i];
    if (v->worker_ids[0] != h->worker_id && v->worker_ids[1] != h->worker_id) continue;
    if (is_commitment(in, v) && v->planned_start < h->to && v->planned_start + (hw_time)v->duration * 60 > h->from)
      return 1;
  }
  return 0;
}

/* A reserve slot is not held by a worker this close to a commitment of theirs:
 * the hold splits the shift, and the worker must get to and from the visit. */
#define RESERVE_COMMITMENT_MARGIN_SECONDS (60 * 60)

/* The times the reserve should not take: the day's absences, and each
 * commitment with a margin each side, so the slots go to workers free at that
 * peak. *out malloc'd. */
static int32_t busy_times(const hw_day_input *in, hw_absence **out) {
  int32_t n = in->n_absences;
  *out = malloc(((size_t)in->n_absences + 2 * (size_t)in->n_visits + 1) * sizeof **out);
  if (!*out) return HW_ENOMEM;
  if (n > 0) memcpy(*out, in->absences, (size_t)n * sizeof **out);
  for (int32_t i = 0; i < in->n_visits; i++) {
    const hw_visit *v = &in->visits[i];
    if (!is_commitment(in, v)) continue;
    for (int k = 0; k < 2; k++)
      if (v->worker_ids[k])
        (*out)[n++] = (hw_absence){0, v->worker_ids[k], v->planned_start - RESERVE_COMMITMENT_MARGIN_SECONDS,
                                   v->planned_start + (hw_time)v->duration * 60 + RESERVE_COMMITMENT_MARGIN_SECONDS,
                                   "commitment"};
  }
  return n;
}

/* The day's stored absences plus the D2A reserve holds of the locality's
 * reablement workers, in a new array (*out, caller frees) for the day build, so
 * planning leaves the discharge slots free - except where a commitment already
 * uses one. Returns the count or a negative error. */
static int32_t with_reserve(const hw_locday *l, const hw_day_input *in, const int32_t minutes[HW_D2A_RESERVE_PEAKS],
                            hw_absence **out) {
  hw_worker *reab = malloc(((size_t)l->n_workers + 1) * sizeof *reab);
  int32_t cap = in->n_absences + l->n_workers * HW_D2A_RESERVE_PEAKS, n = 0;
  *out = malloc(((size_t)cap + 1) * sizeof **out);
  hw_absence *busy = NULL;
  int32_t n_busy = busy_times(in, &busy);
  if (!reab || !*out || n_busy < 0) {
    free(reab);
    free(busy);
    free(*out);
    *out = NULL;
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < l->n_workers; i++)
    for (int32_t t = 0; t < l->n_teams; t++)
      if (l->teams[t].id == l->workers[i].team_id && l->teams[t].kind == HW_TEAM_REABLEMENT) reab[n++] = l->workers[i];
  if (in->n_absences > 0) memcpy(*out, in->absences, (size_t)in->n_absences * sizeof **out);
  int rc = hw_d2a_reserve_holds(minutes, reab, n, busy, n_busy, in->date, *out + in->n_absences,
                                cap - in->n_absences);
  free(reab);
  free(busy);
  if (rc < 0) return rc;
  int32_t kept = in->n_absences;
  for (int32_t k = 0; k < rc; k++) {
    const hw_absence *h = &(*out)[in->n_absences + k];
    if (!hold_blocks_commitment(in, h)) (*out)[kept++] = *h;
  }
  return kept;
}

void hw_plan_draft_free(hw_plan_draft *d) {
  if (!d) return;
  hw_locday_free(&d->loc);
  free(d->before);
  free(d->after);
  hw__plan_publication_free(d->pub);
  free(d);
}

/* The locality and the day as of one snapshot (*seq its newest event). */
static int load_day(hw_store *st, hw_id locality_id, hw_date date, hw_plan_draft *d, hw_day_input *in) {
  int64_t seq = hw_store_snapshot_begin(st);
  if (seq < 0) return (int)seq;
  d->seq = d->checked_seq = seq;
  int rc = hw_locday_load(st, locality_id, &d->loc);
  if (rc == 0 && (rc = hw_locday_day_load(&d->loc, date, in)) < 0) hw_locday_free(&d->loc);
  hw_store_snapshot_end(st);
  d->loc.st = NULL; /* the draft outlives the handle: nothing reads through it again */
  return rc;
}

static int any_reserve(const int32_t minutes[HW_D2A_RESERVE_PEAKS]) {
  for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++)
    if (minutes[p] > 0) return 1;
  return 0;
}

/* The day's problem with the D2A reserve held back (a hold never blocks a
 * commitment). */
static int build_day(const hw_locday *l, hw_day_input *in, const hw_plan_params *params, hw_day_problem *dp,
                     char *why, size_t why_len) {
  hw_absence *held = NULL;
  const hw_absence *stored = in->absences;
  int32_t n_stored = in->n_absences;
  if (any_reserve(params->reserve)) {
    int32_t n_held = with_reserve(l, in, params->reserve, &held);
    if (n_held < 0) return n_held;
    in->absences = held;
    in->n_absences = n_held;
  }
  int rc = hw_day_build(in, dp, why, why_len);
  in->absences = stored; /* the store's array, released with the day */
  in->n_absences = n_stored;
  free(held);
  return rc;
}

/* Solve the built day from the stored assignments and check the answer. */
static int solve_day(hw_day_problem *dp, const hw_day_input *in, const hw_plan_params *params, hw_solution *sol,
                     char *why, size_t why_len) {
  hw_solution s0;
  hw_solution_init(&s0);
  int rc = warm_start(dp, in, &s0);
  hw_solve_params sp;
  hw_solve_params_init(&sp);
  sp.time_limit_s = params->time_limit_s;
  sp.max_iterations = params->max_iterations;
  sp.seed = params->seed;
  sp.progress = params->progress;
  sp.progress_user = params->progress_user;
  sp.cancel = params->cancel;
  sp.initial = &s0;
  sp.stability_weight = params->stability_weight;
  if (rc == 0) rc = hw_solve(&dp->p, &sp, sol);
  hw_solution_free(&s0);
  if (rc < 0) return rc;
  hw_check_report chk;
  rc = hw_check(&dp->p, sol, &chk);
  if (rc < 0 || !chk.feasible) {
    snprintf(why, why_len, "checker rejected the plan: %s", chk.n_violations ? chk.messages[0] : "bad indices");
    return HW_EINTERNAL;
  }
  return 0;
}

int hw_plan_solve(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *params, hw_plan_draft **out,
                  char *why, size_t why_len) {
  hw_plan_draft *d = calloc(1, sizeof *d);
  if (!d) return HW_ENOMEM;
  d->locality_id = locality_id;
  d->date = date;
  d->keep_as_draft = params->draft != 0;
  d->chunk_budget = params->publish_chunk > 0 ? params->publish_chunk : HW_PLAN_PUBLISH_CHUNK;
  hw_day_input in;
  int rc = load_day(st, locality_id, date, d, &in);
  if (rc < 0) {
    free(d);
    return rc;
  }
  in.pin_mode = HW_DAY_PIN_MARKED;
  in.freeze_until = params->freeze_until;
  hw_day_problem dp;
  hw_solution sol;
  hw_solution_init(&sol);
  rc = build_day(&d->loc, &in, params, &dp, why, why_len);
  if (rc == 0) {
    rc = solve_day(&dp, &in, params, &sol, why, why_len);
    if (rc == 0) rc = read_solution(&dp, &in, &sol, d);
    if (rc == 0) rc = hw__plan_catch_up(st, d);
    d->solve_ms = sol.solve_ms;
    d->iterations = sol.iterations;
    hw_day_free(&dp);
  }
  hw_solution_free(&sol);
  hw_locday_day_release(&d->loc, &in);
  if (rc < 0) hw_plan_draft_free(d);
  else *out = d;
  return rc;
}

/* ---- The service's planning entry --------------------------------------------------- */

typedef struct day_visits_ctx {
  const hw_service_settings *s;
  hw_id locality;
  hw_date date;
  hw_time now;               /* visits whose window has closed by now are not created */
  hw_plan_visits_cursor after; /* the referrals after it (hw_service_plan_visits_step) */
  int32_t budget;            /* stop after the referral that brings created to it; 0 = none */
  int32_t created;
  int done;                  /* every referral was seen */
} day_visits_ctx;

/* Is r at or before the cursor, in the listing's order? */
static int before_cursor(const hw_referral *r, const hw_plan_visits_cursor *c) {
  return r->received_at < c->received_at || (r->received_at == c->received_at && r->id <= c->id);
}

static int day_visits_tx(hw_store *st, void *vctx, hw_records *rec) {
  day_visits_ctx *x = vctx;
  hw_referral *refs = NULL;
  int32_t n = 0, i = 0;
  int rc = hw_store_list_referrals_where(st, HW_REFERRAL_ALLOCATED, x->locality, &refs, &n);
  while (i < n && before_cursor(&refs[i], &x->after)) i++; /* listed by received_at, id */
  for (; rc == 0 && i < n && !(x->budget > 0 && x->created >= x->budget); i++) {
    hw_client c;
    rc = hw_store_get_client(st, refs[i].client_id, &c);
    if (rc == 0) rc = hw__svc_generate_visits(st, x->s, &refs[i], &c, x->date, x->date, x->now, rec, &x->created);
    if (rc == 0) x->after = (hw_plan_visits_cursor){refs[i].received_at, refs[i].id};
  }
  x->done = i >= n;
  free(refs);
  return rc == 0 && x->created == 0 ? HW_ECANCELED : rc; /* nothing missing: no event */
}

int hw_service_plan_visits(hw_store *st, const hw_service_settings *settings, hw_change *c, hw_id locality_id,
                           hw_date date, int32_t *created) {
  day_visits_ctx x = {settings, locality_id, date, c->now, {0, 0}, 0, 0, 0};
  int own;
  int rc = hw__svc_begin(st, &own);
  if (rc == 0) rc = hw__svc_end(st, own, hw__svc_apply(st, c, "visit.generated", locality_id, day_visits_tx, &x));
  *created = x.created;
  return rc == HW_ECANCELED ? 0 : rc; /* none was missing: no event */
}

int hw_service_plan_visits_step(hw_store *st, const hw_service_settings *settings, hw_change *c, hw_id locality_id,
                                hw_date date, int32_t budget, hw_plan_visits_cursor *after, int32_t *created,
                                int *done) {
  day_visits_ctx x = {settings, locality_id, date, c->now, *after, budget > 0 ? budget : HW_PLAN_VISITS_STEP, 0, 0};
  int own;
  int rc = hw__svc_begin(st, &own);
  if (rc == 0) rc = hw__svc_end(st, own, hw__svc_apply(st, c, "visit.generated", locality_id, day_visits_tx, &x));
  if (rc == HW_ECANCELED) rc = 0; /* none was missing among them: no event */
  if (rc == 0) {
    *after = x.after;
    *created += x.created;
    *done = x.done;
  }
  return rc;
}

int hw_service_plan_solve(hw_store *st, const hw_service_settings *settings, hw_id locality_id, hw_date date,
                          const hw_plan_params *p, hw_time now, hw_plan_draft **out, char *why, size_t why_len) {
  hw_plan_params pp = *p;
  pp.freeze_until = now + (hw_time)settings->freeze_minutes * 60;
  int rc = hw__svc_reserve_of_day(st, settings, locality_id, date, pp.reserve, NULL);
  if (rc) {
    snprintf(why, why_len, "the D2A reserve could not be read: %s", hw_store_errmsg(st));
    return rc;
  }
  return hw_plan_solve(st, locality_id, date, &pp, out, why, why_len);
}

typedef struct request_ctx {
  int64_t job_id;
  hw_date date;
  double time_limit_s;
} request_ctx;

static int plan_requested_tx(hw_store *st, void *vctx, hw_records *rec) {
  (void)st;
  request_ctx *x = vctx;
  char day[16];
  hw_records_note(rec, "plan job %lld for %s, time limit %g s", (long long)x->job_id,
                  hw_date_format(x->date, day, sizeof day), x->time_limit_s);
  return 0;
}

int hw_service_plan_request(hw_service *svc, hw_change *c, hw_id locality_id, hw_date date, int64_t job_id,
                            double time_limit_s) {
  hw_locality loc;
  int rc = hw_store_get_locality(svc->st, locality_id, &loc);
  if (rc == HW_ENOTFOUND)
    return hw__svc_reject(c, HW_EINVAL, "/locality", "no locality %lld", (long long)locality_id);
  if (rc) return rc;
  if (!hw_scope_allows(c->scope, locality_id)) return HW_EFORBIDDEN;
  if ((rc = hw_service_check_date(&svc->set, c->now, date, "/date", c->errs))) return rc;
  request_ctx x = {job_id, date, time_limit_s};
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  rc = hw__svc_apply(svc->st, c, "plan.requested", locality_id, plan_requested_tx, &x);
  return hw__svc_end(svc->st, own, rc);
}

int hw_service_plan_locality(hw_store *st, const hw_service_settings *settings, hw_id locality_id, hw_date date,
                             const hw_plan_params *p, hw_change *c, hw_plan_report *out, char *why,
                             size_t why_len) {
  memset(out, 0, sizeof *out);
  char key[96] = "", vkey[96] = "";
  if (c->key && c->key[0]) {
    snprintf(key, sizeof key, "%.70s", c->key);
    snprintf(vkey, sizeof vkey, "%.70s-visits", key);
  }
  hw_change vc = *c;
  vc.key = vkey;
  int32_t created = 0;
  int rc = hw_service_plan_visits(st, settings, &vc, locality_id, date, &created);
  if (rc) {
    snprintf(why, why_len, "visits could not be generated: %s", hw_store_errmsg(st));
    return rc;
  }
  hw_plan_draft *d = NULL;
  rc = hw_service_plan_solve(st, settings, locality_id, date, p, c->now, &d, why, why_len);
  if (rc) return rc;
  hw_change pc = *c;
  pc.key = key;
  rc = hw_plan_publish(st, &pc, d, out);
  hw_plan_draft_free(d);
  return rc;
}
