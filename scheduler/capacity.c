/*
 * Capacity allocation (hw_capacity.h): teams' free minutes and waiting requests in,
 * the GLPK model of hw_alloc.h solved, team ids and start dates out.
 */
#include "hw_capacity.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_alloc.h"
#include "hw_codec.h"
#include "hw_error.h"

void hw_capacity_options_init(hw_capacity_options *o) {
  o->horizon_days = 14;
  o->discharge_weight = 100;
  o->change_of_need_weight = 40;
  o->community_weight = 20;
  o->productive_permille = 750;
  o->time_limit_s = 2.0;
}

static int32_t template_minutes(const hw_visit_template *t) { return (int32_t)t->duration * t->workers; }

static int plan_class(const hw_visit_template *t, int32_t n) {
  for (int32_t i = 0; i < n; i++)
    if (t[i].medication || (t[i].skills & (1u << HW_SKILL_MEDICATION))) return 1;
  return 0;
}

void hw_capacity_plan_load(const hw_visit_template *t, int32_t n, int32_t *daily_minutes, int32_t *skill_class) {
  int64_t week = 0;
  for (int32_t i = 0; i < n; i++)
    for (int d = 0; d < 7; d++)
      if (t[i].weekdays & (1u << d)) week += template_minutes(&t[i]);
  *daily_minutes = (int32_t)((week + 6) / 7);
  *skill_class = plan_class(t, n);
}

/* Care minutes of a plan on one weekday. */
static int32_t plan_minutes_on(const hw_visit_template *t, int32_t n, int weekday) {
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    if (t[i].weekdays & (1u << weekday)) m += template_minutes(&t[i]);
  return m;
}

static int eligible(const hw_capacity_team *t, const hw_capacity_request *r) {
  if (t->locality_id != r->locality_id) return 0;
  switch (r->pathway) {
  case HW_PATHWAY_INTENSIVE: return t->kind == HW_TEAM_INTENSIVE;
  case HW_PATHWAY_MAINSTREAM: return t->kind == HW_TEAM_MAINSTREAM;
  default: return t->kind == HW_TEAM_REABLEMENT;
  }
}

static int64_t weight_of(const hw_capacity_options *o, const hw_capacity_request *r) {
  if (r->discharge || r->source == HW_SOURCE_HOSPITAL) return o->discharge_weight;
  return r->source == HW_SOURCE_CHANGE_OF_NEED ? o->change_of_need_weight : o->community_weight;
}

int hw_capacity_allocate(const hw_capacity_options *o, hw_date day0, const hw_capacity_team *teams,
                         int32_t n_teams, const hw_capacity_request *requests, int32_t n_requests,
                         hw_capacity_decision *decisions, hw_capacity_summary *summary) {
  int32_t days = o->horizon_days;
  if (days < 1 || days > HW_CAP_MAX_DAYS || n_teams < 0 || n_requests < 0) return HW_EINVAL;
  for (int32_t i = 0; i < n_requests; i++)
    if (requests[i].skill_class < 0 || requests[i].skill_class >= HW_CAP_CLASSES || requests[i].daily_minutes < 0)
      return HW_EINVAL;
  hw_capacity_summary sum = {.requests = n_requests};
  for (int32_t i = 0; i < n_requests; i++)
    decisions[i] = (hw_capacity_decision){requests[i].id, -1, 0, HW_DATE_NONE};
  if (n_requests == 0 || n_teams == 0) {
    sum.deferred = n_requests;
    sum.optimal = 1;
    if (summary) *summary = sum;
    return 0;
  }
  size_t cap_n = (size_t)n_teams * (size_t)days * HW_CAP_CLASSES;
  int32_t *cap = malloc(cap_n * sizeof *cap);
  uint8_t *elig = malloc((size_t)n_requests * (size_t)n_teams);
  hw_alloc_request *req = calloc((size_t)n_requests, sizeof *req);
  int rc = HW_ENOMEM;
  hw_alloc_result res;
  hw_alloc_result_init(&res);
  if (!cap || !elig || !req) goto done;
  for (int32_t t = 0; t < n_teams; t++)
    for (int32_t d = 0; d < days; d++)
      for (int c = 0; c < HW_CAP_CLASSES; c++) {
        int32_t m = teams[t].free_minutes[d][c];
        cap[((size_t)t * days + d) * HW_CAP_CLASSES + c] = m > 0 ? m : 0;
      }
  for (int32_t i = 0; i < n_requests; i++) {
    const hw_capacity_request *r = &requests[i];
    for (int32_t t = 0; t < n_teams; t++) elig[(size_t)i * n_teams + t] = (uint8_t)eligible(&teams[t], r);
    int32_t earliest = r->earliest > day0 ? r->earliest - day0 : 0;
    req[i] = (hw_alloc_request){.id = r->id,
                                .skill_class = r->skill_class,
                                .earliest_day = earliest,
                                .weight_per_day = weight_of(o, r),
                                .daily_minutes = r->daily_minutes,
                                .eligible = &elig[(size_t)i * n_teams]};
  }
  hw_alloc_problem p = {.n_days = days, .n_teams = n_teams, .n_classes = HW_CAP_CLASSES, .capacity = cap,
                        .n_requests = n_requests, .requests = req};
  rc = hw_alloc_solve(&p, o->time_limit_s, &res);
  if (rc < 0) goto done;
  for (int32_t i = 0; i < n_requests; i++) {
    const hw_alloc_decision *d = &res.decisions[i];
    if (d->team < 0) {
      sum.deferred++;
      continue;
    }
    decisions[i].team = d->team;
    decisions[i].team_id = teams[d->team].id;
    decisions[i].start_date = day0 + d->start_day;
    sum.started_in_horizon++;
  }
  sum.cost = res.cost;
  sum.optimal = res.optimal;
  if (summary) *summary = sum;
done:
  hw_alloc_result_free(&res);
  free(cap);
  free(elig);
  free(req);
  return rc;
}

/* Seconds of [a0, a1) that overlap [b0, b1). */
static int64_t overlap(hw_time a0, hw_time a1, hw_time b0, hw_time b1) {
  hw_time lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
}

static int32_t worker_minutes_on(const hw_partnership *p, const hw_worker *w, hw_date date) {
  int wd = hw_date_weekday(date);
  int64_t secs = 0;
  for (int32_t s = 0; s < w->n_shifts; s++) {
    const hw_shift *sh = &w->shifts[s];
    if (sh->weekday != wd) continue;
    hw_time a = hw_local_to_time(date, sh->hours.start), b = hw_local_to_time(date, sh->hours.end);
    int64_t len = b - a - (int64_t)sh->break_minutes * 60;
    for (int32_t k = 0; k < p->n_absences; k++)
      if (p->absences[k].worker_id == w->id) len -= overlap(a, b, p->absences[k].from, p->absences[k].to);
    if (len > 0) secs += len;
  }
  return (int32_t)(secs / 60);
}

void hw_capacity_team_minutes(const hw_partnership *p, hw_id team_id, hw_date date, int32_t productive_permille,
                              int32_t out[HW_CAP_CLASSES]) {
  int64_t m[HW_CAP_CLASSES] = {0};
  for (int32_t i = 0; i < p->n_workers; i++) {
    const hw_worker *w = &p->workers[i];
    if (w->team_id != team_id || !w->active) continue;
    int32_t minutes = worker_minutes_on(p, w, date);
    m[0] += minutes;
    if (hw_worker_has_skill(w, HW_SKILL_MEDICATION, date)) m[1] += minutes;
  }
  for (int c = 0; c < HW_CAP_CLASSES; c++) out[c] = (int32_t)(m[c] * productive_permille / 1000);
}

/* ---- Store wrapper ---------------------------------------------------------- */

static hw_id client_locality(const hw_partnership *p, hw_id client_id) {
  for (int32_t i = 0; i < p->n_clients; i++)
    if (p->clients[i].id == client_id) return p->clients[i].locality_id;
  return 0;
}

static int referral_running_on(const hw_referral *r, hw_date d) {
  if (r->team_id == 0 || r->start_date == HW_DATE_NONE || d < r->start_date) return 0;
  if (r->status != HW_REFERRAL_ACTIVE && r->status != HW_REFERRAL_OPEN) return 0;
  return r->end_date == HW_DATE_NONE || d <= r->end_date;
}

/* Teams' free minutes: worker minutes less the load of their current referrals. */
static void build_teams(const hw_partnership *p, const hw_capacity_options *o, hw_date day0, hw_capacity_team *teams) {
  for (int32_t t = 0; t < p->n_teams; t++) {
    hw_capacity_team *ct = &teams[t];
    memset(ct, 0, sizeof *ct);
    ct->id = p->teams[t].id;
    ct->locality_id = p->teams[t].locality_id;
    ct->kind = p->teams[t].kind;
    for (int32_t d = 0; d < o->horizon_days; d++)
      hw_capacity_team_minutes(p, ct->id, day0 + d, o->productive_permille, ct->free_minutes[d]);
  }
  for (int32_t i = 0; i < p->n_referrals; i++) {
    const hw_referral *r = &p->referrals[i];
    int cls = plan_class(r->templates, r->n_templates);
    for (int32_t t = 0; t < p->n_teams; t++) {
      if (teams[t].id != r->team_id) continue;
      for (int32_t d = 0; d < o->horizon_days; d++) {
        if (!referral_running_on(r, day0 + d)) continue;
        int32_t m = plan_minutes_on(r->templates, r->n_templates, hw_date_weekday(day0 + d));
        teams[t].free_minutes[d][0] -= m; /* every plan uses the team's time */
        if (cls == 1) teams[t].free_minutes[d][1] -= m; /* and a medication plan its trained staff's */
      }
    }
  }
}

typedef struct apply_ctx {
  hw_partnership *p;
  int32_t *req_ref;                 /* request i -> referral index in p */
  hw_capacity_decision *decisions;
  int32_t n;
} apply_ctx;

static int apply_tx(hw_store *st, void *vctx, char **result) {
  apply_ctx *c = vctx;
  json_t *arr = json_array();
  if (!arr) return HW_ENOMEM;
  for (int32_t i = 0; i < c->n; i++) {
    const hw_capacity_decision *d = &c->decisions[i];
    char date[16] = "";
    if (d->start_date != HW_DATE_NONE) {
      hw_referral *r = &c->p->referrals[c->req_ref[i]];
      r->team_id = d->team_id;
      r->start_date = d->start_date;
      int rc = hw_store_update_referral(st, r);
      if (rc < 0) {
        json_decref(arr);
        return rc;
      }
      hw_date_format(d->start_date, date, sizeof date);
    }
    json_array_append_new(arr, json_pack("{s:I, s:I, s:s?}", "referral_id", (json_int_t)d->request_id, "team_id",
                                         (json_int_t)d->team_id, "start_date", date[0] ? date : NULL));
  }
  *result = hw_json_dumps_canonical(arr);
  json_decref(arr);
  return *result ? 0 : HW_ENOMEM;
}

int hw_capacity_apply(hw_store *st, const hw_capacity_options *o, hw_date day0, const char *actor,
                      const char *idempotency_key, hw_time now, hw_capacity_summary *summary) {
  hw_partnership p = {0};
  int rc = hw_store_load_partnership(st, &p);
  if (rc < 0) return rc;
  hw_capacity_team *teams = calloc((size_t)p.n_teams + 1, sizeof *teams);
  hw_capacity_request *reqs = calloc((size_t)p.n_referrals + 1, sizeof *reqs);
  hw_capacity_decision *dec = calloc((size_t)p.n_referrals + 1, sizeof *dec);
  int32_t *req_ref = calloc((size_t)p.n_referrals + 1, sizeof *req_ref);
  rc = HW_ENOMEM;
  if (!teams || !reqs || !dec || !req_ref) goto done;
  build_teams(&p, o, day0, teams);
  int32_t n = 0;
  for (int32_t i = 0; i < p.n_referrals; i++) {
    const hw_referral *r = &p.referrals[i];
    if (r->status != HW_REFERRAL_OPEN || r->team_id != 0) continue;
    hw_capacity_request *q = &reqs[n];
    q->id = r->id;
    q->locality_id = client_locality(&p, r->client_id);
    q->pathway = r->pathway;
    q->source = r->source;
    q->discharge = r->source == HW_SOURCE_HOSPITAL;
    q->earliest = r->start_date != HW_DATE_NONE && r->start_date > day0 ? r->start_date : day0;
    hw_capacity_plan_load(r->templates, r->n_templates, &q->daily_minutes, &q->skill_class);
    req_ref[n++] = i;
  }
  rc = hw_capacity_allocate(o, day0, teams, p.n_teams, reqs, n, dec, summary);
  if (rc < 0) goto done;
  char d0[16];
  json_t *payload = json_pack("{s:s, s:i}", "day0", hw_date_format(day0, d0, sizeof d0), "requests", n);
  char *text = payload ? hw_json_dumps_canonical(payload) : NULL;
  json_decref(payload);
  if (!text) goto done;
  hw_event ev = {.received_at = now, .payload = text};
  snprintf(ev.type, sizeof ev.type, "capacity.allocated");
  snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "system");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", idempotency_key ? idempotency_key : "");
  apply_ctx c = {&p, req_ref, dec, n};
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, apply_tx, &c, &ar);
  free(ar.result);
  free(text);
done:
  free(teams);
  free(reqs);
  free(dec);
  free(req_ref);
  hw_partnership_free(&p);
  return rc;
}
