/*
 * Planning one locality's day from the store (hw_plan.h).
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
#include "hw_publish.h"
#include "hw_records.h"
#include "service_internal.h"

void hw_plan_params_init(hw_plan_params *p) {
  memset(p, 0, sizeof *p);
  p->time_limit_s = 5.0;
  p->seed = 1;
  p->stability_weight = 600;
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

/* ---- Publishing ----------------------------------------------------------------- */

typedef struct publish_ctx {
  hw_visit *visits;          /* the day's visits with their new assignments */
  int32_t n_visits;
  hw_roster_entry *entries;  /* sorted by worker, then time */
  int32_t n_entries;
  const hw_day_input *in;
} publish_ctx;

static int cmp_entry(const void *a, const void *b) {
  const hw_roster_entry *x = a, *y = b;
  if (x->worker_id != y->worker_id) return x->worker_id < y->worker_id ? -1 : 1;
  return (x->planned_start > y->planned_start) - (x->planned_start < y->planned_start);
}

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

/* Assignments of every visit of the day (with the reason for those left out) and
 * the roster entries of every route. */
static int read_solution(const hw_day_problem *dp, const hw_day_input *in, const hw_solution *s, publish_ctx *c) {
  c->visits = malloc(((size_t)in->n_visits + 1) * sizeof *c->visits);
  int32_t total = 0;
  for (int32_t r = 0; r < s->n_routes; r++) total += s->routes[r].n_steps;
  c->entries = malloc(((size_t)total + 1) * sizeof *c->entries);
  if (!c->visits || !c->entries) return HW_ENOMEM;
  c->n_visits = 0;
  for (int32_t i = 0; i < in->n_visits; i++) {
    hw_visit v = in->visits[i];
    int32_t j = dp->visit_job[i];
    if (!visit_of_day(in, &v)) continue;
    if (j < 0) { /* left out of the problem: nobody has the skills, or too late */
      if (v.status == HW_VISIT_PLANNED || v.status == HW_VISIT_ASSIGNED) {
        v.worker_ids[0] = v.worker_ids[1] = 0;
        v.planned_start = HW_TIME_NONE;
        v.status = HW_VISIT_PLANNED;
        snprintf(v.unplaced_reason, sizeof v.unplaced_reason, "%s", unplaced_reason(dp, s, i));
      }
      c->visits[c->n_visits++] = v;
      continue;
    }
    if (v.status == HW_VISIT_IN_PROGRESS || v.status == HW_VISIT_DONE) {
      c->visits[c->n_visits++] = v; /* under way: kept as it is */
      continue;
    }
    int split = j + 1 < dp->p.n_jobs && dp->job_visit[j + 1] == i && dp->job_part[j + 1] == 1;
    v.worker_ids[0] = v.worker_ids[1] = 0;
    v.planned_start = HW_TIME_NONE;
    int placed = 0;
    for (int32_t k = 0; k < v.workers; k++) {
      int32_t res;
      hw_tick t;
      if (!hw_day_job_placement(s, split ? j + k : j, split ? 0 : k, &res, &t)) continue;
      v.worker_ids[k] = in->workers[dp->res_worker[res]].id;
      v.planned_start = dp->day0 + t;
      placed++;
    }
    if (placed < v.workers) {
      v.worker_ids[0] = v.worker_ids[1] = 0;
      v.planned_start = HW_TIME_NONE;
    }
    v.status = placed == v.workers ? HW_VISIT_ASSIGNED : HW_VISIT_PLANNED;
    snprintf(v.unplaced_reason, sizeof v.unplaced_reason, "%s", placed == v.workers ? "" : unplaced_reason(dp, s, i));
    c->visits[c->n_visits++] = v;
  }
  c->n_entries = 0;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_route *rt = &s->routes[r];
    const hw_resource *res = &dp->p.resources[rt->resource];
    int32_t at = res->start_loc;
    for (int32_t k = 0; k < rt->n_steps; k++) {
      const hw_step *st = &rt->steps[k];
      if (st->kind != HW_STEP_JOB) continue;
      int32_t loc = dp->p.jobs[st->index].loc;
      c->entries[c->n_entries++] = (hw_roster_entry){in->workers[dp->res_worker[rt->resource]].id, in->date, 0,
                                                     in->visits[dp->job_visit[st->index]].id, dp->day0 + st->start,
                                                     hw_travel(&dp->p, res->profile, at, loc)};
      at = loc;
    }
  }
  qsort(c->entries, (size_t)c->n_entries, sizeof *c->entries, cmp_entry);
  for (int32_t i = 0; i < c->n_entries; i++)
    c->entries[i].seq = i > 0 && c->entries[i - 1].worker_id == c->entries[i].worker_id ? c->entries[i - 1].seq + 1 : 0;
  return 0;
}

static int placed_or_under_way(const hw_visit *v) {
  return v->status == HW_VISIT_ASSIGNED || v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE;
}

/* The report: counts, and every visit of the day not placed with its reason. */
static int fill_report(const hw_solution *s, const publish_ctx *c, hw_plan_report *out) {
  memset(out, 0, sizeof *out);
  out->visits = c->n_visits;
  out->unplaced = calloc((size_t)c->n_visits + 1, sizeof *out->unplaced);
  if (!out->unplaced) return HW_ENOMEM;
  for (int32_t i = 0; i < c->n_visits; i++) {
    const hw_visit *v = &c->visits[i];
    if (placed_or_under_way(v)) {
      out->assigned++;
      continue;
    }
    hw_plan_unplaced *u = &out->unplaced[out->n_unplaced++];
    u->visit_id = v->id;
    snprintf(u->reason, sizeof u->reason, "%s", v->unplaced_reason);
  }
  out->unassigned = out->n_unplaced;
  out->workers_used = s->n_routes;
  for (int32_t i = 0; i < c->n_entries; i++) out->travel_seconds += c->entries[i].travel_seconds;
  out->solve_ms = s->solve_ms;
  out->iterations = s->iterations;
  return 0;
}

/* 1 when the hold would block a visit its worker is committed to: one pinned (a
 * D2A start placed in the reserve, a coordinator's pin), under way, or before
 * the freeze. Such a visit keeps its place; the hold gives way. */
static int hold_blocks_commitment(const hw_day_input *in, const hw_absence *h) {
  for (int32_t i = 0; i < in->n_visits; i++) {
    const hw_visit *v = &in->visits[i];
    if (v->planned_start == HW_TIME_NONE || (v->worker_ids[0] != h->worker_id && v->worker_ids[1] != h->worker_id))
      continue;
    int committed = v->pinned || v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE ||
                    (in->freeze_until && in->freeze_until != HW_TIME_NONE && v->planned_start < in->freeze_until);
    if (committed && v->planned_start < h->to && v->planned_start + (hw_time)v->duration * 60 > h->from) return 1;
  }
  return 0;
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
  if (!reab || !*out) {
    free(reab);
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < l->n_workers; i++)
    for (int32_t t = 0; t < l->n_teams; t++)
      if (l->teams[t].id == l->workers[i].team_id && l->teams[t].kind == HW_TEAM_REABLEMENT) reab[n++] = l->workers[i];
  if (in->n_absences > 0) memcpy(*out, in->absences, (size_t)in->n_absences * sizeof **out);
  int rc = hw_d2a_reserve_holds(minutes, reab, n, in->absences, in->n_absences, in->date, *out + in->n_absences,
                                cap - in->n_absences);
  free(reab);
  if (rc < 0) return rc;
  int32_t kept = in->n_absences;
  for (int32_t k = 0; k < rc; k++) {
    const hw_absence *h = &(*out)[in->n_absences + k];
    if (!hold_blocks_commitment(in, h)) (*out)[kept++] = *h;
  }
  return kept;
}

static int any_reserve(const int32_t minutes[HW_D2A_RESERVE_PEAKS]) {
  for (int p = 0; p < HW_D2A_RESERVE_PEAKS; p++)
    if (minutes[p] > 0) return 1;
  return 0;
}

int hw_plan_day(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *params, const char *actor,
                const char *idempotency_key, hw_time now, hw_plan_report *out, char *why, size_t why_len) {
  hw_locday l;
  int rc = hw_locday_load(st, locality_id, &l);
  if (rc < 0) return rc;
  hw_day_input in;
  rc = hw_locday_day_load(&l, date, &in);
  if (rc < 0) {
    hw_locday_free(&l);
    return rc;
  }
  in.pin_mode = HW_DAY_PIN_MARKED;
  in.freeze_until = params->freeze_until;
  hw_day_problem dp;
  hw_solution s0, sol;
  hw_solution_init(&s0);
  hw_solution_init(&sol);
  publish_ctx c = {.in = &in};
  memset(out, 0, sizeof *out);
  hw_absence *held = NULL;
  const hw_absence *stored = in.absences;
  int32_t n_stored = in.n_absences;
  if (any_reserve(params->reserve)) {
    int32_t n_held = with_reserve(&l, &in, params->reserve, &held);
    if (n_held < 0) {
      rc = n_held;
      goto out;
    }
    in.absences = held;
    in.n_absences = n_held;
  }
  rc = hw_day_build(&in, &dp, why, why_len);
  in.absences = stored; /* the store's array, released below */
  in.n_absences = n_stored;
  free(held);
  if (rc < 0) goto out;
  rc = warm_start(&dp, &in, &s0);
  if (rc < 0) goto free_day;
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
  rc = hw_solve(&dp.p, &sp, &sol);
  if (rc < 0) goto free_day;
  hw_check_report chk;
  rc = hw_check(&dp.p, &sol, &chk);
  if (rc < 0 || !chk.feasible) {
    snprintf(why, why_len, "checker rejected the plan: %s", chk.n_violations ? chk.messages[0] : "bad indices");
    rc = HW_EINTERNAL;
    goto free_day;
  }
  rc = read_solution(&dp, &in, &sol, &c);
  if (rc == 0) rc = fill_report(&sol, &c, out);
  if (rc < 0) goto free_day;
  out->feasible = 1;
  hw_event ev = {.received_at = now, .locality_id = locality_id, .payload = NULL};
  snprintf(ev.type, sizeof ev.type, "%s", params->draft ? "plan.drafted" : "roster.published");
  snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "system");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", idempotency_key ? idempotency_key : "");
  hw_apply_result ar = {0};
  /* Published at once, or kept as a draft (publish.c). */
  hw_planned_day pd = {locality_id, date, now, actor, c.visits, c.n_visits, in.visits, in.n_visits,
                       c.entries, c.n_entries, in.workers, in.n_workers, out, 0};
  rc = hw_store_apply(st, &ev, params->draft ? hw__draft_tx : hw__publish_tx, &pd, &ar);
  out->event_seq = ar.event_seq;
  out->draft_id = pd.draft_id;
  free(ar.result);
free_day:
  hw_day_free(&dp);
out:
  if (rc < 0) hw_plan_report_free(out);
  free(c.visits);
  free(c.entries);
  hw_solution_free(&s0);
  hw_solution_free(&sol);
  hw_locday_day_release(&l, &in);
  hw_locday_free(&l);
  return rc;
}

/* ---- The service's planning entry --------------------------------------------------- */

typedef struct day_visits_ctx {
  const hw_service_settings *s;
  hw_id locality;
  hw_date date;
  hw_time now;               /* visits whose window has closed by now are not created */
  int32_t created;
} day_visits_ctx;

static int day_visits_tx(hw_store *st, void *vctx, hw_records *rec) {
  day_visits_ctx *x = vctx;
  hw_referral *refs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_referrals_where(st, HW_REFERRAL_ALLOCATED, x->locality, &refs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_client c;
    rc = hw_store_get_client(st, refs[i].client_id, &c);
    if (rc == 0) rc = hw__svc_generate_visits(st, x->s, &refs[i], &c, x->date, x->date, x->now, rec, &x->created);
  }
  free(refs);
  return rc == 0 && x->created == 0 ? HW_ECANCELED : rc; /* nothing missing: no event */
}

int hw_service_plan_locality(hw_store *st, const hw_service_settings *settings, hw_id locality_id, hw_date date,
                             const hw_plan_params *p, hw_change *c, hw_plan_report *out, char *why,
                             size_t why_len) {
  memset(out, 0, sizeof *out);
  char key[96] = "";
  if (c->key && c->key[0]) snprintf(key, sizeof key, "%.70s", c->key);
  char vkey[96] = "";
  if (key[0]) snprintf(vkey, sizeof vkey, "%.70s-visits", key);
  hw_change vc = *c;
  vc.key = vkey;
  day_visits_ctx x = {settings, locality_id, date, c->now, 0};
  int own;
  int rc = hw__svc_begin(st, &own);
  if (rc == 0) rc = hw__svc_end(st, own, hw__svc_apply(st, &vc, "visit.generated", locality_id, day_visits_tx, &x));
  if (rc && rc != HW_ECANCELED) {
    snprintf(why, why_len, "visits could not be generated: %s", hw_store_errmsg(st));
    return rc;
  }
  hw_plan_params pp = *p;
  pp.freeze_until = c->now + (hw_time)settings->freeze_minutes * 60;
  rc = hw__svc_reserve_of_day(st, settings, locality_id, date, pp.reserve, NULL);
  if (rc) {
    snprintf(why, why_len, "the D2A reserve could not be read: %s", hw_store_errmsg(st));
    return rc;
  }
  return hw_plan_day(st, locality_id, date, &pp, c->actor, key, c->now, out, why, why_len);
}
