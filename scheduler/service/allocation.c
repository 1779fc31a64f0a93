/*
 * Allocation (hw_service.h): which team takes a referral. On arrival, the first
 * team of its kind with room (hw_capacity_place), else it waits with a reason and
 * the first day some team will have room as things stand; every morning the
 * round revisits the waiting list with the GLPK capacity model (or first come,
 * first served) and offers the waiting discharge requests again.
 *
 * A team's room on a day is its workers' shift minutes less absences, times the
 * productive share, less the daily care minutes of the referrals it delivers that
 * day. Minutes are not enough: a team takes a care plan only when, for each of
 * its visits on each of its weekdays, enough of the team's workers (two for a
 * double-handed visit) hold the visit's skills and work a shift in which it fits. A reablement episode with no end date is counted until its longest end
 * (start + max_weeks), so the "earliest" a waiting referral is told is a date by
 * which room will be there as the episodes stand, not a hope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* The teams of one locality with their free minutes from day0. */
typedef struct loc_capacity {
  hw_id locality_id;
  hw_team *teams;
  int32_t n_teams;
  hw_capacity_team *cap;
  hw_worker *workers;           /* the locality's, for who can do what when */
  int32_t n_workers;
  uint8_t *team_ok;             /* scratch: one request's teams that can deliver it */
} loc_capacity;

static void loc_capacity_free(loc_capacity *lc) {
  free(lc->teams);
  free(lc->cap);
  free(lc->workers);
  free(lc->team_ok);
  memset(lc, 0, sizeof *lc);
}

/* 1 when worker w of the team holds skills on `on` and works a shift on its
 * weekday in which a visit of the template fits. */
static int worker_fits(const hw_worker *w, const hw_visit_template *tp, int weekday, hw_date on) {
  if (!w->active || (hw_worker_skills_on(w, on) & tp->skills) != tp->skills) return 0;
  for (int32_t k = 0; k < w->n_shifts; k++) {
    const hw_shift *sh = &w->shifts[k];
    if (sh->weekday == weekday && sh->hours.start <= tp->window.end &&
        sh->hours.end >= tp->window.start + tp->duration && sh->hours.end - sh->hours.start >= tp->duration)
      return 1;
  }
  return 0;
}

/* 1 when team_id can deliver every visit of the plan on every one of its weekdays. */
static int team_can_deliver(const loc_capacity *lc, hw_id team_id, const hw_referral *r, hw_date on) {
  for (int32_t i = 0; i < r->n_templates; i++)
    for (int wd = 0; wd < 7; wd++) {
      const hw_visit_template *tp = &r->templates[i];
      if (!(tp->weekdays & (1u << wd))) continue;
      int able = 0;
      for (int32_t k = 0; k < lc->n_workers && able < tp->workers; k++)
        able += lc->workers[k].team_id == team_id && worker_fits(&lc->workers[k], tp, wd, on);
      if (able < tp->workers) return 0;
    }
  return 1;
}

/* Which of the locality's teams can deliver r (into lc->team_ok). */
static const uint8_t *teams_able(loc_capacity *lc, const hw_referral *r, hw_date on) {
  for (int32_t t = 0; t < lc->n_teams; t++) lc->team_ok[t] = (uint8_t)team_can_deliver(lc, lc->cap[t].id, r, on);
  return lc->team_ok;
}

/* The last day a referral is delivered: its end date, or for an open-ended
 * reablement episode its longest possible end. */
static hw_date last_day(const hw_service_settings *s, const hw_referral *r) {
  if (r->end_date != HW_DATE_NONE) return r->end_date;
  if (r->pathway == HW_PATHWAY_REABLEMENT) return r->start_date + 7 * s->pathway.max_weeks - 1;
  return HW_DATE_NONE;
}

static int running_on(const hw_service_settings *s, const hw_referral *r, hw_date d) {
  if (r->status != HW_REFERRAL_ALLOCATED || !r->team_id || d < r->start_date) return 0;
  hw_date end = last_day(s, r);
  return end == HW_DATE_NONE || d <= end;
}

static void subtract_load(const hw_service_settings *s, loc_capacity *lc, hw_date day0, const hw_referral *r) {
  int32_t daily, cls;
  hw_capacity_plan_load(r->templates, r->n_templates, &daily, &cls);
  for (int32_t t = 0; t < lc->n_teams; t++) {
    if (lc->cap[t].id != r->team_id) continue;
    for (int32_t d = 0; d < s->capacity.horizon_days; d++) {
      if (!running_on(s, r, day0 + d)) continue;
      int32_t m = hw_capacity_plan_minutes_on(r->templates, r->n_templates, hw_date_weekday(day0 + d));
      lc->cap[t].free_minutes[d][0] -= m;
      if (cls == 1) lc->cap[t].free_minutes[d][1] -= m;
    }
  }
}

/* Build the locality's team capacity from the store as of day0. */
static int load_capacity(hw_store *st, const hw_service_settings *s, hw_id locality, hw_date day0, loc_capacity *lc) {
  memset(lc, 0, sizeof *lc);
  lc->locality_id = locality;
  hw_partnership p = {0};
  hw_referral *refs = NULL;
  int32_t n_refs = 0;
  hw_time from = hw_local_to_time(day0, 0), to = hw_local_to_time(day0 + s->capacity.horizon_days, 0);
  int rc = hw_store_list_teams(st, locality, &lc->teams, &lc->n_teams);
  if (rc == 0) rc = hw_store_list_workers(st, locality, &p.workers, &p.n_workers);
  if (rc == 0) rc = hw_store_list_absences(st, 0, from, to, &p.absences, &p.n_absences);
  /* What the teams carry: every referral they serve, wherever the client lives
   * (subtract_load skips those not allocated). */
  if (rc == 0) rc = hw_store_list_served_referrals(st, locality, &refs, &n_refs);
  if (rc == 0 && !(lc->cap = calloc((size_t)lc->n_teams + 1, sizeof *lc->cap))) rc = HW_ENOMEM;
  if (rc == 0 && !(lc->team_ok = calloc((size_t)lc->n_teams + 1, 1))) rc = HW_ENOMEM;
  for (int32_t t = 0; rc == 0 && t < lc->n_teams; t++) {
    hw_capacity_team *ct = &lc->cap[t];
    ct->index = t;
    ct->id = lc->teams[t].id;
    ct->locality_id = locality;
    ct->kind = lc->teams[t].kind;
    for (int32_t d = 0; d < s->capacity.horizon_days; d++)
      hw_capacity_team_minutes(&p, ct->id, day0 + d, s->capacity.productive_permille, ct->free_minutes[d]);
  }
  for (int32_t i = 0; rc == 0 && i < n_refs; i++) subtract_load(s, lc, day0, &refs[i]);
  lc->workers = p.workers;
  lc->n_workers = p.n_workers;
  free(p.absences);
  free(refs);
  if (rc) loc_capacity_free(lc);
  return rc;
}

static hw_capacity_request request_of(const hw_referral *r, hw_id locality, hw_date day0) {
  hw_capacity_request q = {.id = r->id, .locality_id = locality, .pathway = r->pathway, .source = r->source,
                           .discharge = r->source == HW_SOURCE_HOSPITAL};
  q.earliest = r->start_date != HW_DATE_NONE && r->start_date > day0 ? r->start_date : day0;
  hw_capacity_plan_load(r->templates, r->n_templates, &q.daily_minutes, &q.skill_class);
  return q;
}

static const char *team_kind_of(hw_pathway p) {
  return p == HW_PATHWAY_INTENSIVE ? "intensive" : p == HW_PATHWAY_MAINSTREAM ? "mainstream" : "reablement";
}

/* Allocate r to team t from `start`, or mark it waiting. */
static void decide(const loc_capacity *lc, hw_referral *r, int32_t t, hw_date start, hw_date want,
                   const hw_capacity_request *q) {
  if (t >= 0 && start <= want) {
    r->status = HW_REFERRAL_ALLOCATED;
    r->team_id = lc->cap[t].id;
    r->start_date = start;
    r->waiting_reason[0] = '\0';
    r->earliest = 0;
    return;
  }
  int has_kind = 0, able = 0;
  hw_capacity_request any = *q;
  any.team_ok = NULL;
  for (int32_t k = 0; k < lc->n_teams; k++) {
    has_kind |= hw_capacity_eligible(&lc->cap[k], &any);
    able |= hw_capacity_eligible(&lc->cap[k], q);
  }
  r->status = HW_REFERRAL_WAITING;
  r->team_id = 0;
  r->earliest = t >= 0 ? start : HW_DATE_NONE;
  if (!has_kind)
    snprintf(r->waiting_reason, sizeof r->waiting_reason, "the locality has no %s team", team_kind_of(r->pathway));
  else if (!able)
    snprintf(r->waiting_reason, sizeof r->waiting_reason,
             "no %s team has workers with the skills on shift at the plan's times", team_kind_of(r->pathway));
  else
    snprintf(r->waiting_reason, sizeof r->waiting_reason, "no %s team has %d care minutes a day free (%s) yet",
             team_kind_of(r->pathway), (int)q->daily_minutes, q->skill_class ? "medication-trained" : "any staff");
}

/* Take the request's minutes from team t's days from `start` on. */
static void consume(const hw_service_settings *s, loc_capacity *lc, int32_t t, hw_date day0, hw_date start,
                    const hw_capacity_request *q) {
  for (int32_t d = start - day0; d >= 0 && d < s->capacity.horizon_days; d++) {
    lc->cap[t].free_minutes[d][0] -= q->daily_minutes;
    if (q->skill_class == 1) lc->cap[t].free_minutes[d][1] -= q->daily_minutes;
  }
}

int hw__svc_allocate_one(hw_store *st, const hw_service_settings *s, hw_referral *r, const hw_client *c, hw_time now) {
  hw_date today = hw_time_local_date(now);
  if (r->start_date == HW_DATE_NONE || r->start_date < today) r->start_date = today;
  loc_capacity lc;
  int rc = load_capacity(st, s, c->locality_id, today, &lc);
  if (rc) return rc;
  hw_capacity_request q = request_of(r, c->locality_id, today);
  q.team_ok = teams_able(&lc, r, today);
  hw_date start;
  int32_t t = hw_capacity_place(&s->capacity, today, lc.cap, lc.n_teams, &q, s->room_days, &start);
  decide(&lc, r, t, start, q.earliest, &q);
  loc_capacity_free(&lc);
  return 0;
}

/* ---- The morning round -------------------------------------------------------------- */

typedef struct round_ctx {
  hw_service *svc;
  hw_change *c;
  hw_id locality;
  hw_referral *waiting;         /* the locality's waiting list, updated in place */
  const hw_referral *before;    /* ... as it was stored */
  int32_t n_waiting;
  hw_visit *placed;             /* visits created for today and tomorrow */
  int32_t n_placed, cap_placed;
  hw_round_report *out;
} round_ctx;

/* First come, first served: each in arrival order takes a team with room now. */
static void round_fcfs(const hw_service_settings *s, loc_capacity *lc, hw_date today, hw_referral *w, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    hw_capacity_request q = request_of(&w[i], lc->locality_id, today);
    q.team_ok = teams_able(lc, &w[i], today);
    hw_date start;
    int32_t t = hw_capacity_place(&s->capacity, today, lc->cap, lc->n_teams, &q, s->room_days, &start);
    decide(lc, &w[i], t, start, q.earliest, &q);
    if (w[i].status == HW_REFERRAL_ALLOCATED) consume(s, lc, t, today, start, &q);
  }
}

/* The GLPK model decides a team and start for the whole list at once (bed days
 * weigh most); starts today or tomorrow are firm, later ones are the honest
 * earliest of a referral still waiting. */
static int round_model(const hw_service_settings *s, loc_capacity *lc, hw_date today, hw_referral *w, int32_t n,
                       int64_t *cost) {
  hw_capacity_request *q = calloc((size_t)n + 1, sizeof *q);
  hw_capacity_decision *dec = calloc((size_t)n + 1, sizeof *dec);
  uint8_t *ok = calloc((size_t)n * (size_t)lc->n_teams + 1, 1);
  int rc = q && dec && ok ? 0 : HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    q[i] = request_of(&w[i], lc->locality_id, today);
    memcpy(ok + (size_t)i * lc->n_teams, teams_able(lc, &w[i], today), (size_t)lc->n_teams);
    q[i].team_ok = ok + (size_t)i * lc->n_teams;
  }
  hw_capacity_summary sum;
  if (rc == 0) rc = hw_capacity_allocate(&s->capacity, today, lc->cap, lc->n_teams, q, n, dec, &sum);
  if (rc == 0) *cost += sum.cost;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_date want = q[i].earliest > today + 1 ? q[i].earliest : today + 1;
    decide(lc, &w[i], dec[i].team, dec[i].start_date, want, &q[i]);
  }
  free(q);
  free(dec);
  free(ok);
  return rc;
}

static int keep_placed(round_ctx *x, const hw_records *rec, int32_t from) {
  hw_date today = hw_time_local_date(x->c->now);
  for (int32_t i = from; i < rec->n_visits; i++) {
    if (rec->visits[i].date > today + 1) continue;
    if (x->n_placed == x->cap_placed) {
      int32_t cap = x->cap_placed ? x->cap_placed * 2 : 32;
      hw_visit *g = realloc(x->placed, (size_t)cap * sizeof *g);
      if (!g) return HW_ENOMEM;
      x->placed = g;
      x->cap_placed = cap;
    }
    x->placed[x->n_placed++] = rec->visits[i];
  }
  return 0;
}

static int decision_changed(const hw_referral *a, const hw_referral *b) {
  return a->status != b->status || a->team_id != b->team_id || a->start_date != b->start_date ||
         a->earliest != b->earliest || strcmp(a->waiting_reason, b->waiting_reason) != 0;
}

/* Store the round's decisions that changed something and the visits of the
 * referrals it allocated; HW_ECANCELED (no event) when nothing changed. */
static int round_tx(hw_store *st, void *vctx, hw_records *rec) {
  round_ctx *x = vctx;
  const hw_service_settings *s = &x->svc->set;
  hw_date today = hw_time_local_date(x->c->now);
  int rc = 0, changed = 0;
  for (int32_t i = 0; rc == 0 && i < x->n_waiting; i++) {
    hw_referral *r = &x->waiting[i];
    if (!decision_changed(r, &x->before[i])) continue;
    changed++;
    rc = hw_store_update_referral(st, r);
    if (rc == 0) rc = hw_records_add_referral(rec, r);
    if (rc || r->status != HW_REFERRAL_ALLOCATED) continue;
    x->out->allocated++;
    hw_client c;
    int32_t before = rec->n_visits, made = 0;
    rc = hw_store_get_client(st, r->client_id, &c);
    if (rc == 0) rc = hw__svc_generate_visits(st, s, r, &c, today, today + s->horizon_days, x->c->now, rec, &made);
    if (rc == 0) rc = keep_placed(x, rec, before);
    x->out->visits_created += made;
  }
  return rc == 0 && !changed ? HW_ECANCELED : rc;
}

static int round_locality(hw_service *svc, hw_change *c, hw_id locality, hw_round_report *out) {
  hw_store *st = svc->st;
  hw_date today = hw_time_local_date(c->now);
  round_ctx x = {.svc = svc, .c = c, .locality = locality, .out = out};
  int rc = hw_store_list_referrals_where(st, HW_REFERRAL_WAITING, locality, &x.waiting, &x.n_waiting);
  if (rc || x.n_waiting == 0) {
    free(x.waiting);
    return rc;
  }
  out->waiting += x.n_waiting;
  hw_referral *before = malloc((size_t)x.n_waiting * sizeof *before);
  if (!before) {
    free(x.waiting);
    return HW_ENOMEM;
  }
  memcpy(before, x.waiting, (size_t)x.n_waiting * sizeof *before);
  x.before = before;
  loc_capacity lc;
  rc = load_capacity(st, &svc->set, locality, today, &lc);
  if (rc == 0) {
    if (svc->set.round_optimised) rc = round_model(&svc->set, &lc, today, x.waiting, x.n_waiting, &out->cost);
    else round_fcfs(&svc->set, &lc, today, x.waiting, x.n_waiting);
    loc_capacity_free(&lc);
  }
  if (rc == 0) rc = hw__svc_apply(st, c, "capacity.allocated", locality, round_tx, &x);
  if (rc == HW_ECANCELED) rc = 0; /* the list stands as it was: nothing to record */
  free(before);
  hw_repair_report rep = {0};
  if (rc == 0 && x.n_placed) rc = hw__svc_place_new_visits(st, c, locality, x.placed, x.n_placed, &rep);
  free(x.waiting);
  free(x.placed);
  return rc;
}

/* ---- Bridging: handing a discharge over to reablement -------------------------------- */

/* A reablement episode of the locality's client that a team of another kind, or
 * of a neighbouring locality, carries: a discharge it took on because the
 * locality's reablement had no room that day (the offer's wider tiers). */
static int bridged(const loc_capacity *lc, const hw_referral *r) {
  if (r->pathway != HW_PATHWAY_REABLEMENT || r->status != HW_REFERRAL_ALLOCATED || !r->team_id) return 0;
  for (int32_t t = 0; t < lc->n_teams; t++)
    if (lc->cap[t].id == r->team_id) return lc->cap[t].kind != HW_TEAM_REABLEMENT;
  return 1; /* a neighbouring locality's team */
}

typedef struct handover_ctx {
  hw_referral *r;
  hw_id from_team;
  hw_date from_date;
} handover_ctx;

static int handover_tx(hw_store *st, void *vctx, hw_records *rec) {
  handover_ctx *x = vctx;
  int rc = hw_store_update_referral(st, x->r);
  if (rc == 0) rc = hw_records_add_referral(rec, x->r);
  char day[16];
  if (rc == 0)
    hw_records_note(rec, "bridged by team %lld; reablement team %lld from %s", (long long)x->from_team,
                    (long long)x->r->team_id, hw_date_format(x->from_date, day, sizeof day));
  return rc;
}

/* Each bridged episode of the locality that a reablement team can take from
 * tomorrow moves to that team (event "referral.handed_over"): its visits not yet
 * rostered follow the new team when their day is planned; the bridging team's
 * pinned first days stay as promised. */
static int hand_over_bridged(hw_service *svc, hw_change *c, hw_id locality, hw_round_report *out) {
  hw_store *st = svc->st;
  const hw_service_settings *s = &svc->set;
  hw_date tomorrow = hw_time_local_date(c->now) + 1;
  hw_referral *refs = NULL;
  int32_t n = 0;
  loc_capacity lc;
  int rc = load_capacity(st, s, locality, tomorrow, &lc);
  if (rc) return rc;
  rc = hw_store_list_referrals_where(st, HW_REFERRAL_ALLOCATED, locality, &refs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_referral *r = &refs[i];
    if (!bridged(&lc, r)) continue;
    hw_capacity_request q = request_of(r, locality, tomorrow);
    q.earliest = tomorrow;
    q.team_ok = teams_able(&lc, r, tomorrow);
    hw_date start;
    int32_t t = hw_capacity_place(&s->capacity, tomorrow, lc.cap, lc.n_teams, &q, s->room_days, &start);
    if (t < 0 || start != tomorrow || lc.cap[t].kind != HW_TEAM_REABLEMENT) continue;
    handover_ctx x = {r, r->team_id, tomorrow};
    r->team_id = lc.cap[t].id;
    rc = hw__svc_apply(st, c, "referral.handed_over", locality, handover_tx, &x);
    if (rc == 0) consume(s, &lc, t, tomorrow, tomorrow, &q);
    out->handed_over += rc == 0;
  }
  free(refs);
  loc_capacity_free(&lc);
  return rc;
}

/* Offer again every request still requested or waiting whose person is ready. */
static int offer_waiting(hw_service *svc, hw_change *c, hw_round_report *out) {
  hw_discharge *ds = NULL;
  int32_t n = 0;
  int rc = hw_store_list_discharges(svc->st, -1, &ds, &n);
  hw_date today = hw_time_local_date(c->now);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    if (ds[i].status != HW_DISCHARGE_REQUESTED && ds[i].status != HW_DISCHARGE_WAITING) continue;
    if (ds[i].ready_at > c->now) continue;
    hw_discharge_result *res = malloc(sizeof *res);
    if (!res) {
      rc = HW_ENOMEM;
      break;
    }
    rc = hw_service_discharge_offer(svc, c, ds[i].id, res);
    if (rc == 0) {
      out->offers++;
      out->offered_today += res->discharge.status == HW_DISCHARGE_OFFERED && res->offer.start_date == today;
    }
    free(res);
  }
  free(ds);
  return rc;
}

int hw_service_allocation_round(hw_service *svc, hw_change *c, hw_round_report *out) {
  memset(out, 0, sizeof *out);
  hw_locality *locs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(svc->st, &locs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    if (!hw_scope_allows(c->scope, locs[i].id)) continue;
    int own;
    rc = hw__svc_begin(svc->st, &own);
    if (rc == 0) {
      int r2 = round_locality(svc, c, locs[i].id, out);
      if (r2 == 0) r2 = hand_over_bridged(svc, c, locs[i].id, out);
      rc = hw__svc_end(svc->st, own, r2);
    }
  }
  free(locs);
  if (rc == 0) rc = offer_waiting(svc, c, out);
  if (rc) hw_service_forget(svc);
  return rc;
}

/* ---- Visits ahead -------------------------------------------------------------------- */

typedef struct extend_ctx {
  const hw_service_settings *s;
  hw_date from, to;
  hw_time now;
  hw_referral *refs;
  int32_t n_refs;
  int32_t created;
} extend_ctx;

static int extend_tx(hw_store *st, void *vctx, hw_records *rec) {
  extend_ctx *x = vctx;
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < x->n_refs; i++) {
    hw_client c;
    rc = hw_store_get_client(st, x->refs[i].client_id, &c);
    if (rc == 0) rc = hw__svc_generate_visits(st, x->s, &x->refs[i], &c, x->from, x->to, x->now, rec, &x->created);
  }
  return rc == 0 && x->created == 0 ? HW_ECANCELED : rc; /* nothing new: no event */
}

int hw_service_extend_visits(hw_service *svc, hw_change *c, int32_t *created) {
  *created = 0;
  hw_locality *locs = NULL;
  int32_t n = 0;
  hw_date today = hw_time_local_date(c->now);
  int rc = hw_store_list_localities(svc->st, &locs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    extend_ctx x = {&svc->set, today, today + svc->set.horizon_days, c->now, NULL, 0, 0};
    rc = hw_store_list_referrals_where(svc->st, HW_REFERRAL_ALLOCATED, locs[i].id, &x.refs, &x.n_refs);
    int own;
    if (rc == 0 && x.n_refs > 0 && (rc = hw__svc_begin(svc->st, &own)) == 0) {
      rc = hw__svc_end(svc->st, own, hw__svc_apply(svc->st, c, "visit.generated", locs[i].id, extend_tx, &x));
      if (rc == HW_ECANCELED) rc = 0;
      else *created += x.created;
    }
    free(x.refs);
  }
  free(locs);
  return rc;
}
