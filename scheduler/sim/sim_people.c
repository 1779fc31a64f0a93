/*
 * The people outside the service (sim_internal.h), each acting through the
 * service's own calls: the hospital asks for a start when a person is ready,
 * accepts every offer of a start today and sends the person home; community
 * referrals arrive; the coordinator records the day's sickness and holds the
 * reviews due. Nothing here decides what the service decides (capacity,
 * allocation, rosters, offers): it only asks and records what came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "sim_internal.h"

/* A write by `actor` as of now; rejection reasons go to s->errs. */
static hw_change change_by(sim *s, const char *actor, hw_time now) {
  hw_errors_init(&s->errs);
  return (hw_change){.scope = NULL, .actor = actor, .key = "", .now = now, .errs = &s->errs};
}

/* ---- The hospital ------------------------------------------------------------------- */

static const hw_sim_miss miss_of_offer[HW_D2A_MISS_COUNT] = {
    [HW_D2A_MISS_NONE] = HW_SIM_MISS_GAP_TODAY, [HW_D2A_MISS_TOO_LATE] = HW_SIM_MISS_TOO_LATE,
    [HW_D2A_MISS_SKILL] = HW_SIM_MISS_SKILL, [HW_D2A_MISS_GAP_TODAY] = HW_SIM_MISS_GAP_TODAY,
    [HW_D2A_MISS_GAP_LATER] = HW_SIM_MISS_GAP_LATER};

/* The offer made on arrival: why it is not for today, when it is not. */
static void note_arrival_offer(sim *s, sim_d2a *x, const hw_discharge_result *r) {
  s->res->arrival_offers++;
  if (r->discharge.status == HW_DISCHARGE_OFFERED) return;
  x->miss = miss_of_offer[(unsigned)r->offer.miss < HW_D2A_MISS_COUNT ? r->offer.miss : HW_D2A_MISS_NONE];
  x->miss_visits = r->offer.miss_visits;
}

/* The index of the D2A request the store knows as id (requests are made in
 * stream order, so the ids of those made so far increase along it), or -1. */
static int32_t d2a_index(const sim *s, hw_id id) {
  int32_t lo = 0, hi = s->n_d2a - 1;
  while (lo <= hi) {
    int32_t mid = lo + (hi - lo) / 2;
    hw_id have = s->d2a[mid].id ? s->d2a[mid].id : INT64_MAX; /* not yet requested: after all */
    if (have == id) return mid;
    if (have < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

static int schedule_discharge(sim *s, int32_t i, hw_time at) {
  if (s->n_due == s->cap_due) {
    int32_t cap = s->cap_due ? s->cap_due * 2 : 64;
    sim_action *g = realloc(s->due, (size_t)cap * sizeof *g);
    if (!g) return HW_ENOMEM;
    s->due = g;
    s->cap_due = cap;
  }
  s->due[s->n_due++] = (sim_action){at, SIM_ACT_DISCHARGED, i};
  return 0;
}

/* The accepted offer, for the explanation: the levers it needed and the visits
 * it re-timed. */
static void note_accepted_offer(sim *s, const hw_d2a_offer *of) {
  hw_sim_result *res = s->res;
  res->d2a_offers_today++;
  res->lever_later += (of->lever & HW_D2A_LEVER_LATER) != 0;
  res->lever_widen += (of->lever & HW_D2A_LEVER_WIDEN) != 0;
  res->lever_retime += (of->lever & HW_D2A_LEVER_RETIME) != 0;
  res->lever_reassign += (of->lever & HW_D2A_LEVER_REASSIGN) != 0;
  res->visits_moved += of->n_moved;
}

/* Accept request i's offer and book the transport home for the lead time before
 * the first visit (a later start waits on the ward), never before the person is
 * ready or before now. An offer that no longer holds is refused by the service
 * (counted; the request keeps waiting for the next offer). */
static int accept(sim *s, int32_t i, hw_time now, hw_discharge_result *r) {
  sim_d2a *x = &s->d2a[i];
  hw_change c = change_by(s, "hospital", now);
  int rc = hw_service_discharge_accept(s->svc, &c, x->id, r);
  if (rc == HW_ECONFLICT) {
    s->res->accept_conflicts += !x->refused;
    x->refused = 1;
    if (x->miss < 0) x->miss = HW_SIM_MISS_ACCEPT;
    return 0;
  }
  if (rc < 0) return sim_fail(s, rc, "accepting an offer", now);
  if (r->offer.start_date == hw_time_local_date(now)) note_accepted_offer(s, &r->offer);
  hw_time leave = r->offer.first_visit - (hw_time)s->set.d2a.lead_minutes * 60;
  hw_time earliest = x->d.ready_at > now ? x->d.ready_at : now;
  return schedule_discharge(s, i, leave > earliest ? leave : earliest);
}

int sim_request_discharge(sim *s, int32_t i, hw_time now) {
  sim_d2a *x = &s->d2a[i];
  hw_discharge_result *r = malloc(sizeof *r);
  if (!r) return HW_ENOMEM;
  hw_change c = change_by(s, "hospital", now);
  int rc = hw_service_discharge_request(s->svc, &c, &x->d, NULL, r);
  if (rc < 0) rc = sim_fail(s, rc, "a discharge request", now);
  if (rc == 0) {
    x->id = r->discharge.id;
    if (r->has_offer) note_arrival_offer(s, x, r);
    if (r->discharge.status == HW_DISCHARGE_OFFERED) rc = accept(s, i, now, r);
  }
  free(r);
  return rc;
}

int sim_accept_offered(sim *s, hw_time now) {
  hw_discharge *ds = NULL;
  int32_t n = 0;
  int rc = hw_service_discharges(s->st, NULL, HW_DATE_NONE, HW_DISCHARGE_OFFERED, &ds, &n);
  hw_discharge_result *r = rc == 0 && n ? malloc(sizeof *r) : NULL;
  if (rc == 0 && n && !r) rc = HW_ENOMEM;
  for (int32_t k = 0; rc == 0 && k < n; k++) {
    int32_t i = d2a_index(s, ds[k].id);
    if (i >= 0) rc = accept(s, i, now, r);
  }
  free(r);
  free(ds);
  return rc < 0 ? sim_fail(s, rc, "accepting the offers", now) : 0;
}

int sim_discharge(sim *s, int32_t i, hw_time at) {
  hw_discharge_result *r = malloc(sizeof *r);
  if (!r) return HW_ENOMEM;
  hw_change c = change_by(s, "hospital", at);
  int rc = hw_service_discharge_discharged(s->svc, &c, s->d2a[i].id, at, r);
  free(r);
  if (rc < 0) return sim_fail(s, rc, "a discharge", at);
  s->d2a[i].discharged_at = at;
  return 0;
}

/* ---- Community referrals -------------------------------------------------------------- */

/* Someone new to the service, living where the generator's client lives and with
 * that client's own preferences (no CHI number, no worker lists). */
static void new_person(const hw_client *home, int32_t i, hw_client *out) {
  *out = *home;
  out->id = 0;
  out->chi[0] = '\0';
  out->n_preferred = out->n_excluded = 0;
  snprintf(out->name, sizeof out->name, "Community referral %d", (int)i + 1);
}

int sim_send_referral(sim *s, int32_t i, hw_time now) {
  sim_referral *x = &s->refs[i];
  const hw_referral *plan = &s->P.referrals[x->generator_ref];
  hw_client person;
  new_person(&s->P.clients[plan->client_id - 1], i, &person);
  hw_referral r = {0};
  r.source = HW_SOURCE_COMMUNITY;
  r.start_date = hw_time_local_date(now);
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = plan->n_templates;
  memcpy(r.templates, plan->templates, sizeof r.templates);
  hw_referral_result *out = malloc(sizeof *out);
  if (!out) return HW_ENOMEM;
  hw_change c = change_by(s, "community", now);
  int rc = hw_service_referral_create(s->svc, &c, &r, &person, out);
  if (rc == 0) {
    x->id = out->referral.id;
    if (out->referral.status == HW_REFERRAL_ALLOCATED) x->started = out->referral.start_date;
    s->res->community_referrals++;
  }
  free(out);
  return rc < 0 ? sim_fail(s, rc, "a community referral", now) : 0;
}

int sim_note_started(sim *s) {
  for (int32_t i = s->first_waiting; i < s->n_refs && s->refs[i].id; i++) {
    sim_referral *x = &s->refs[i];
    if (x->started != HW_DATE_NONE) continue;
    hw_referral r;
    int rc = hw_service_get_referral(s->st, NULL, x->id, &r);
    if (rc < 0) return rc;
    if (r.status == HW_REFERRAL_ALLOCATED || r.status == HW_REFERRAL_ENDED) x->started = r.start_date;
  }
  while (s->first_waiting < s->n_refs && s->refs[s->first_waiting].started != HW_DATE_NONE) s->first_waiting++;
  return 0;
}

/* ---- The coordinator ------------------------------------------------------------------- */

int sim_record_sickness(sim *s, hw_date day, hw_time now) {
  hw_absence_result *out = malloc(sizeof *out);
  if (!out) return HW_ENOMEM;
  int rc = 0;
  for (int32_t k = 0; rc == 0 && k < s->n_workers; k++) {
    hw_id w = s->workers[k];
    if (sim_draw(s->o->seed ^ 0x51c4, (uint64_t)w, (uint64_t)day) >= s->o->sickness_permille) continue;
    hw_absence a = {.worker_id = w, .from = hw_local_to_time(day, 0), .to = hw_local_to_time(day + 1, 0)};
    snprintf(a.reason, sizeof a.reason, "sickness");
    hw_change c = change_by(s, "coordinator", now);
    rc = hw_service_absence(s->svc, &c, &a, out);
    s->res->absences += rc == 0;
  }
  free(out);
  return rc < 0 ? sim_fail(s, rc, "recording sickness", now) : 0;
}

/* The finding of an episode's n-th review, from a hash of (episode, n): about 14%
 * of reviews find the person independent, 4% an ongoing need, 2.5% complex need
 * or end of life; the rest are still progressing. */
static hw_review_finding finding_of(uint64_t seed, hw_id episode, int32_t n) {
  int32_t u = sim_draw(seed ^ 0x7e71e3, (uint64_t)episode, (uint64_t)n);
  if (u < 25) return u < 12 ? HW_FINDING_END_OF_LIFE : HW_FINDING_COMPLEX_NEED;
  if (u < 165) return HW_FINDING_INDEPENDENT;
  if (u < 205) return HW_FINDING_ONGOING_NEED;
  return HW_FINDING_PROGRESSING;
}

/* The coordinator reviews an episode on its review day: the day it falls due, or
 * for one already overdue (the caseload of day one) the next day of its weekly
 * cadence from its start, so those reviews spread over the first week. */
static int review_today(const hw_service_settings *set, const hw_referral *r, hw_date due, hw_date day) {
  return due == day || (day - r->start_date) % set->pathway.review_days == 0;
}

static int hold_review(sim *s, const hw_referral *r, hw_date day, hw_time now, hw_review_result *out) {
  hw_review *held = NULL;
  int32_t n = 0;
  int rc = hw_store_list_reviews(s->st, r->id, &held, &n);
  free(held);
  if (rc < 0) return rc;
  hw_review rv = {.date = day, .finding = finding_of(s->o->seed, r->id, n)};
  hw_change c = change_by(s, "coordinator", now);
  rc = hw_service_review(s->svc, &c, r->id, &rv, out);
  s->res->reviews += rc == 0;
  return rc;
}

int sim_hold_reviews(sim *s, hw_date day, hw_time now) {
  hw_referral *due_refs = NULL;
  hw_date *due = NULL;
  int32_t n = 0;
  int rc = hw_service_reviews_due(s->st, &s->set, NULL, day, 0, &due_refs, &due, &n);
  hw_review_result *out = rc == 0 ? malloc(sizeof *out) : NULL;
  if (rc == 0 && !out) rc = HW_ENOMEM;
  for (int32_t k = 0; rc == 0 && k < n; k++)
    if (review_today(&s->set, &due_refs[k], due[k], day)) rc = hold_review(s, &due_refs[k], day, now, out);
  free(out);
  free(due_refs);
  free(due);
  return rc < 0 ? sim_fail(s, rc, "a review", now) : 0;
}
