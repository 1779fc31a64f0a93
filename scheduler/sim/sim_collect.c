/*
 * The simulation's report (sim_internal.h): the service's own outcome figures over
 * the run - replayed from the event log, and checked against the figures of the
 * stored records - plus what only the simulation saw: how long community
 * referrals waited, and why discharges missed their ready day (from the offers
 * the service made).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "sim_internal.h"

/* ---- Replay against records -------------------------------------------------------- */

static int same_real(double a, double b) { return a == b || fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b)); }

static int same_week(const hw_outcomes_week *a, const hw_outcomes_week *b) {
  return a->monday == b->monday && a->days == b->days && a->census_days == b->census_days &&
         a->occupied_bed_days == b->occupied_bed_days && a->d2a_requests == b->d2a_requests &&
         a->discharged == b->discharged && a->discharged_same_day == b->discharged_same_day &&
         a->reablement_ended == b->reablement_ended && a->reablement_independent == b->reablement_independent &&
         a->unallocated_visit_minutes == b->unallocated_visit_minutes;
}

/* 1 when two computations of the figures agree on every count and rate. */
static int same_figures(const hw_outcomes *a, const hw_outcomes *b) {
  if (a->n_days != b->n_days || a->n_weeks != b->n_weeks) return 0;
  for (int32_t d = 0; d < a->n_days; d++)
    if (a->census[d] != b->census[d]) return 0;
  for (int32_t w = 0; w < a->n_weeks; w++)
    if (!same_week(&a->weeks[w], &b->weeks[w])) return 0;
  return a->occupied_bed_days == b->occupied_bed_days && a->d2a_requests == b->d2a_requests &&
         a->discharged == b->discharged && a->discharged_same_day == b->discharged_same_day &&
         a->discharged_ready_by_16 == b->discharged_ready_by_16 && a->same_day_ready_by_16 == b->same_day_ready_by_16 &&
         a->discharged_no_start_today == b->discharged_no_start_today &&
         a->reablement_ended == b->reablement_ended && a->reablement_independent == b->reablement_independent &&
         a->travel_seconds == b->travel_seconds && a->visit_seconds == b->visit_seconds &&
         a->client_weeks == b->client_weeks && a->checked_in == b->checked_in && a->punctual == b->punctual &&
         same_real(a->unallocated_visit_hours, b->unallocated_visit_hours) &&
         same_real(a->weekly_occupied_bed_days_median, b->weekly_occupied_bed_days_median) &&
         same_real(a->continuity_workers_per_client_week, b->continuity_workers_per_client_week);
}

/* The figures over the run as the event log replays them, and whether the stored
 * records give the same. */
static int service_figures(sim *s, hw_outcomes *o) {
  hw_date last = s->start + s->days - 1;
  int rc = hw_service_outcomes_replay(s->st, s->start, last, s->end, o);
  if (rc < 0) return sim_fail(s, rc, "the outcome figures (replay)", s->end);
  hw_outcomes records;
  hw_outcomes_init(&records);
  rc = hw_service_outcomes_records(s->st, NULL, s->start, last, s->end, &records);
  if (rc < 0) rc = sim_fail(s, rc, "the outcome figures (records)", s->end);
  else s->res->figures_agree = same_figures(o, &records);
  hw_outcomes_free(&records);
  return rc;
}

/* ---- Weeks ---------------------------------------------------------------------------- */

static double pct(int32_t part, int32_t whole) { return whole ? 100.0 * part / whole : -1; }

static int fill_weeks(sim *s, const hw_outcomes *o) {
  hw_sim_result *res = s->res;
  res->weeks = calloc((size_t)o->n_weeks + 1, sizeof *res->weeks);
  if (!res->weeks) return HW_ENOMEM;
  res->n_weeks = o->n_weeks;
  for (int32_t w = 0; w < o->n_weeks; w++) {
    const hw_outcomes_week *ow = &o->weeks[w];
    hw_sim_week *sw = &res->weeks[w];
    sw->week = w + 1;
    sw->occupied_bed_days = ow->occupied_bed_days;
    sw->same_day_discharge_pct = pct(ow->discharged_same_day, ow->discharged);
    sw->d2a_requests = ow->d2a_requests;
    sw->discharged = ow->discharged;
    sw->reablement_independent_pct = pct(ow->reablement_independent, ow->reablement_ended);
    sw->unallocated_visit_hours = (double)ow->unallocated_visit_minutes / 60.0;
    sw->community_wait_days = -1;
    res->unallocated_visit_hours_week += sw->unallocated_visit_hours;
  }
  if (o->n_weeks) res->unallocated_visit_hours_week /= o->n_weeks;
  res->same_day_discharge_pct = o->same_day_discharge_pct;
  res->discharged_ready_by_16 = o->discharged_ready_by_16;
  res->same_day_ready_by_16 = o->same_day_ready_by_16;
  res->same_day_ready_by_16_pct = o->same_day_ready_by_16_pct;
  res->discharged_no_start_today = o->discharged_no_start_today;
  res->same_day_possible_pct = o->same_day_possible_pct;
  res->weekly_occupied_bed_days_mean = o->weekly_occupied_bed_days_mean;
  res->weekly_occupied_bed_days_median = o->weekly_occupied_bed_days_median;
  res->reablement_independent_pct = o->reablement_independent_pct;
  res->travel_share_pct = o->travel_share_pct;
  return 0;
}

/* Community waiting: days from the referral to its allocated start, by the week
 * of the start (referrals starting after the run are left out). */
static void community_waiting(sim *s) {
  hw_sim_result *res = s->res;
  int64_t total = 0;
  int32_t started = 0;
  double *wait = calloc((size_t)res->n_weeks + 1, sizeof *wait);
  for (int32_t i = 0; i < s->n_refs; i++) {
    const sim_referral *x = &s->refs[i];
    if (!x->id) continue;
    if (x->started == HW_DATE_NONE) {
      res->community_waiting_end++;
      continue;
    }
    int32_t week = (x->started - s->start) / 7, days = x->started - hw_time_local_date(x->at);
    if (week < 0 || week >= res->n_weeks) continue;
    total += days;
    started++;
    res->weeks[week].community_started++;
    if (wait) wait[week] += days;
  }
  for (int32_t w = 0; wait && w < res->n_weeks; w++)
    if (res->weeks[w].community_started) res->weeks[w].community_wait_days = wait[w] / res->weeks[w].community_started;
  res->community_wait_days = started ? (double)total / started : -1;
  free(wait);
}

/* ---- What the service did -------------------------------------------------------------- */

static int referral_counts(sim *s) {
  hw_referral *rs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_referrals(s->st, 0, &rs, &n);
  hw_date last = s->start + s->days - 1;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    const hw_referral *r = &rs[i];
    int started = r->status == HW_REFERRAL_ALLOCATED || r->status == HW_REFERRAL_ENDED;
    if (started && r->pathway == HW_PATHWAY_REABLEMENT && r->start_date >= s->start && r->start_date <= last)
      s->res->episodes_started++;
    if (r->status == HW_REFERRAL_WAITING && r->pathway != HW_PATHWAY_REABLEMENT) s->res->ongoing_waiting_end++;
  }
  free(rs);
  return rc;
}

/* ---- Why not the same day ------------------------------------------------------------------ */

/* The ready-time band of an instant (HW_SIM_READY_BANDS). */
static int ready_band(hw_time t) {
  int32_t minute = hw_time_local_minute(t);
  return minute < 12 * 60 ? 0 : minute < 15 * 60 ? 1 : minute < 18 * 60 ? 2 : 3;
}

static void count_gap_kinds(hw_sim_result *res, uint32_t kinds) {
  res->gap_double += (kinds & HW_D2A_VISIT_DOUBLE) != 0;
  res->gap_medication += (kinds & HW_D2A_VISIT_MEDICATION) != 0;
  res->gap_morning += (kinds & HW_D2A_VISIT_MORNING) != 0;
  res->gap_midday += (kinds & HW_D2A_VISIT_MIDDAY) != 0;
  res->gap_evening += (kinds & HW_D2A_VISIT_EVENING) != 0;
}

/* Every D2A request not discharged on its ready day, by its first reason and
 * ready time; a request with no reason from an offer at arrival waited for a
 * round. */
static void explain_misses(sim *s) {
  hw_sim_result *res = s->res;
  for (int32_t i = 0; i < s->n_d2a; i++) {
    const sim_d2a *x = &s->d2a[i];
    if (!x->id) continue;
    res->d2a_requests++;
    hw_date ready = hw_time_local_date(x->d.ready_at);
    if (x->discharged_at != HW_TIME_NONE && hw_time_local_date(x->discharged_at) <= ready) {
      res->d2a_same_day++;
      continue;
    }
    int m = x->miss >= 0 ? x->miss : HW_SIM_MISS_ROUND;
    res->miss[m]++;
    res->miss_band[m][ready_band(x->d.ready_at)]++;
    if (m == HW_SIM_MISS_GAP_TODAY) count_gap_kinds(res, x->miss_visits);
  }
}

/* The weekly sizings' sums as means (-1 when the reserve was never sized). */
static void reserve_means(hw_sim_result *res) {
  if (!res->reserve_sizings) {
    res->reserve_minutes_week = res->reserve_covered_pct = -1;
    return;
  }
  res->reserve_minutes_week /= res->reserve_sizings;
  res->reserve_covered_pct /= res->reserve_sizings;
}

int sim_collect(sim *s) {
  int rc = sim_note_started(s);
  if (rc < 0) return sim_fail(s, rc, "noting the starts", s->end);
  hw_outcomes o;
  hw_outcomes_init(&o);
  rc = service_figures(s, &o);
  if (rc == 0) rc = fill_weeks(s, &o);
  hw_outcomes_free(&o);
  if (rc < 0) return rc;
  community_waiting(s);
  explain_misses(s);
  reserve_means(s->res);
  rc = referral_counts(s);
  return rc < 0 ? sim_fail(s, rc, "counting the referrals", s->end) : 0;
}
