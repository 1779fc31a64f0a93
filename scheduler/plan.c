/*
 * Planning one locality's day from the store (hw_plan.h).
 */
#include "hw_plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_check.h"
#include "hw_codec.h"
#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_storeday.h"
#include "hw_visits.h"

void hw_plan_params_init(hw_plan_params *p) {
  memset(p, 0, sizeof *p);
  p->time_limit_s = 5.0;
  p->seed = 1;
  p->stability_weight = 600;
}

static void fill_event(hw_event *ev, const char *type, const char *actor, const char *key, hw_time now, char *payload) {
  memset(ev, 0, sizeof *ev);
  snprintf(ev->type, sizeof ev->type, "%s", type);
  snprintf(ev->actor, sizeof ev->actor, "%s", actor ? actor : "system");
  snprintf(ev->idempotency_key, sizeof ev->idempotency_key, "%s", key ? key : "");
  ev->received_at = now;
  ev->payload = payload;
}

static char *dump_and_free(json_t *j) {
  char *text = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  return text;
}

/* ---- Visit generation --------------------------------------------------------- */

typedef struct visits_ctx {
  hw_visit *v;
  int32_t n;
} visits_ctx;

static int insert_visits_tx(hw_store *st, void *vctx, char **result) {
  (void)result;
  visits_ctx *c = vctx;
  for (int32_t i = 0; i < c->n; i++) {
    int rc = hw_store_insert_visit(st, &c->v[i]);
    if (rc < 0) return rc;
  }
  return 0;
}

static int already_stored(const hw_visit *have, int32_t n, const hw_visit *v) {
  for (int32_t i = 0; i < n; i++)
    if (have[i].referral_id == v->referral_id && have[i].window_start == v->window_start) return 1;
  return 0;
}

static int in_locality(const hw_store_locality *l, hw_id client_id) {
  for (int32_t i = 0; i < l->n_clients; i++)
    if (l->clients[i].id == client_id) return 1;
  return 0;
}

/* The day's visits of the locality's running referrals that are not yet stored. */
static int missing_visits(hw_store_locality *l, hw_date date, hw_visit **out, int32_t *n_out) {
  hw_referral *refs = NULL;
  hw_visit *have = NULL, *acc = NULL;
  int32_t n_refs = 0, n_have = 0, n = 0, cap = 0;
  int rc = hw_store_list_referrals(l->st, 0, &refs, &n_refs);
  if (rc == 0) rc = hw_store_list_visits(l->st, date, date, l->locality_id, &have, &n_have);
  for (int32_t i = 0; i < n_refs && rc == 0; i++) {
    const hw_referral *r = &refs[i];
    if (r->team_id == 0 || (r->status != HW_REFERRAL_ACTIVE && r->status != HW_REFERRAL_OPEN)) continue;
    if (!in_locality(l, r->client_id)) continue;
    hw_visit *v = NULL;
    int32_t nv = 0;
    rc = hw_visits_for_referral(r, date, date, NULL, &v, &nv);
    for (int32_t k = 0; k < nv && rc == 0; k++) {
      if (already_stored(have, n_have, &v[k])) continue;
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        hw_visit *g = realloc(acc, (size_t)cap * sizeof *g);
        if (!g) rc = HW_ENOMEM;
        else acc = g;
      }
      if (rc == 0) acc[n++] = v[k];
    }
    free(v);
  }
  free(refs);
  free(have);
  if (rc < 0) {
    free(acc);
    return rc;
  }
  *out = acc;
  *n_out = n;
  return 0;
}

int hw_plan_generate_visits(hw_store *st, hw_id locality_id, hw_date date, const char *actor,
                            const char *idempotency_key, hw_time now, int32_t *created) {
  hw_store_locality l;
  int rc = hw_store_locality_load(st, locality_id, &l);
  if (rc < 0) return rc;
  visits_ctx c = {0};
  rc = missing_visits(&l, date, &c.v, &c.n);
  hw_store_locality_free(&l);
  if (rc < 0) return rc;
  json_t *arr = json_array();
  for (int32_t i = 0; i < c.n && arr; i++) json_array_append_new(arr, hw_visit_to_json(&c.v[i]));
  char d[16];
  char *text = dump_and_free(json_pack("{s:I, s:s, s:o}", "locality_id", (json_int_t)locality_id, "date",
                                       hw_date_format(date, d, sizeof d), "visits", arr));
  if (!text) {
    free(c.v);
    return HW_ENOMEM;
  }
  hw_event ev;
  fill_event(&ev, "visit.generated", actor, idempotency_key, now, text);
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, insert_visits_tx, &c, &ar);
  free(ar.result);
  free(text);
  free(c.v);
  if (rc == 0) *created = ar.replayed ? 0 : c.n;
  return rc;
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

/* Assignments of every visit and the roster entries of every route. */
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
    if (j < 0) continue; /* another day, cancelled, or nobody has the skills */
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

static int publish_tx(hw_store *st, void *vctx, char **result) {
  (void)result;
  publish_ctx *c = vctx;
  for (int32_t i = 0; i < c->n_visits; i++) {
    int rc = hw_store_update_visit(st, &c->visits[i]);
    if (rc < 0) return rc;
  }
  /* Every worker of the day gets their roster replaced (an empty one clears it). */
  for (int32_t w = 0; w < c->in->n_workers; w++) {
    hw_id id = c->in->workers[w].id;
    int32_t first = 0;
    while (first < c->n_entries && c->entries[first].worker_id != id) first++;
    int32_t n = 0;
    while (first + n < c->n_entries && c->entries[first + n].worker_id == id) n++;
    int rc = hw_store_put_roster(st, id, c->in->date, c->entries + first, n);
    if (rc < 0) return rc;
  }
  return 0;
}

static char *publish_payload(hw_id locality_id, hw_date date, const publish_ctx *c) {
  json_t *vs = json_array(), *es = json_array();
  for (int32_t i = 0; i < c->n_visits && vs; i++) json_array_append_new(vs, hw_visit_to_json(&c->visits[i]));
  for (int32_t i = 0; i < c->n_entries && es; i++) json_array_append_new(es, hw_roster_entry_to_json(&c->entries[i]));
  char d[16];
  return dump_and_free(json_pack("{s:I, s:s, s:o, s:o}", "locality_id", (json_int_t)locality_id, "date",
                                 hw_date_format(date, d, sizeof d), "visits", vs, "entries", es));
}

static void fill_report(const hw_day_problem *dp, const hw_day_input *in, const hw_solution *s,
                        const publish_ctx *c, hw_plan_report *out) {
  memset(out, 0, sizeof *out);
  out->visits = c->n_visits;
  for (int32_t i = 0; i < c->n_visits; i++) out->assigned += c->visits[i].status == HW_VISIT_ASSIGNED;
  out->unassigned = c->n_visits - out->assigned;
  out->workers_used = s->n_routes;
  for (int32_t i = 0; i < c->n_entries; i++) out->travel_seconds += c->entries[i].travel_seconds;
  out->solve_ms = s->solve_ms;
  out->iterations = s->iterations;
  for (int32_t u = 0; u < s->n_unassigned && out->n_reasons < HW_PLAN_MAX_UNASSIGNED; u++) {
    out->unassigned_ids[out->n_reasons] = in->visits[dp->job_visit[s->unassigned[u].job]].id;
    out->reasons[out->n_reasons++] = s->unassigned[u].reason;
  }
}

/* The day's stored absences plus the D2A reserve holds of the locality's
 * reablement workers, in a new array (*out, caller frees) for the day build, so
 * planning leaves the discharge slots free. Returns the count or a negative error. */
static int32_t with_reserve(const hw_store_locality *l, const hw_day_input *in, int32_t minutes, hw_absence **out) {
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
  return rc < 0 ? rc : in->n_absences + rc;
}

int hw_plan_day(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *params, const char *actor,
                const char *idempotency_key, hw_time now, hw_plan_report *out, char *why, size_t why_len) {
  hw_store_locality l;
  int rc = hw_store_locality_load(st, locality_id, &l);
  if (rc < 0) return rc;
  hw_day_input in;
  rc = hw_store_day_load(&l, date, &in);
  if (rc < 0) {
    hw_store_locality_free(&l);
    return rc;
  }
  in.pin_mode = HW_DAY_PIN_MARKED;
  hw_day_problem dp;
  hw_solution s0, sol;
  hw_solution_init(&s0);
  hw_solution_init(&sol);
  publish_ctx c = {.in = &in};
  char *text = NULL;
  hw_absence *held = NULL;
  const hw_absence *stored = in.absences;
  int32_t n_stored = in.n_absences;
  if (params->reserve_minutes > 0) {
    int32_t n_held = with_reserve(&l, &in, params->reserve_minutes, &held);
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
  if (rc < 0) goto free_day;
  fill_report(&dp, &in, &sol, &c, out);
  out->feasible = 1;
  text = publish_payload(locality_id, date, &c);
  if (!text) {
    rc = HW_ENOMEM;
    goto free_day;
  }
  hw_event ev;
  fill_event(&ev, "roster.published", actor, idempotency_key, now, text);
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, publish_tx, &c, &ar);
  out->event_seq = ar.event_seq;
  free(ar.result);
free_day:
  hw_day_free(&dp);
out:
  free(text);
  free(c.visits);
  free(c.entries);
  hw_solution_free(&s0);
  hw_solution_free(&sol);
  hw_store_day_release(&l, &in);
  hw_store_locality_free(&l);
  return rc;
}
