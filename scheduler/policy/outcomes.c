/*
 * Outcome figures (hw_outcomes.h): a pure computation over records.
 */
#include "hw_outcomes.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_visits.h"

void hw_outcomes_init(hw_outcomes *o) { memset(o, 0, sizeof *o); }

void hw_outcomes_free(hw_outcomes *o) {
  free(o->census);
  free(o->weeks);
  hw_outcomes_init(o);
}

double hw_round1(double x) { return x < 0 ? -1 : floor(x * 10.0 + 0.5) / 10.0; }

static double pct(int64_t part, int64_t whole) { return whole > 0 ? 100.0 * (double)part / (double)whole : -1; }

static hw_date monday_of(hw_date d) { return d - hw_date_weekday(d); }

static hw_outcomes_week *week_of(hw_outcomes *o, hw_date d) {
  if (d < o->from || d > o->to) return NULL;
  return &o->weeks[(monday_of(d) - monday_of(o->from)) / 7];
}

/* The last date whose closing midnight the person was still in hospital at. */
static hw_date last_census_day(hw_time discharged_at) {
  hw_date dd = hw_time_local_date(discharged_at);
  return hw_local_to_time(dd, 0) == discharged_at ? dd - 2 : dd - 1;
}

/* The last census day counted: the period's end, or the last day whose closing
 * midnight has passed by `now`. */
static int as_of_now(const hw_outcomes *o) { return o->now != HW_TIME_NONE && o->now != 0; }

static hw_date census_end(const hw_outcomes *o) {
  if (!as_of_now(o)) return o->to;
  hw_date passed = hw_time_local_date(o->now) - 1;
  return passed < o->to ? passed : o->to;
}

/* 1 when some visit of the care plan, on the ready date, can start after ready +
 * lead (its window has not closed by then), 0 when none can, or an error. */
static int start_possible_today(const hw_discharge *d, int32_t lead_minutes) {
  hw_visit_options vo;
  hw_visit_options_init(&vo);
  hw_date day = hw_time_local_date(d->ready_at);
  hw_visit *v = NULL;
  int32_t n = 0;
  int rc = hw_visits_expand(d->templates, d->n_templates, 0, d->client_id, day, day, &vo, &v, &n);
  if (rc < 0) return rc;
  hw_time home = d->ready_at + (hw_time)lead_minutes * 60;
  int possible = 0;
  for (int32_t i = 0; i < n && !possible; i++) possible = v[i].window_end >= home;
  free(v);
  return possible;
}

static int count_discharge(hw_outcomes *o, const hw_discharge *d, int32_t lead_minutes) {
  if (d->ready_at == HW_TIME_NONE) return 0;
  hw_date ready = hw_time_local_date(d->ready_at);
  hw_outcomes_week *w = week_of(o, ready);
  if (w) {
    w->d2a_requests++;
    o->d2a_requests++;
  }
  if (d->status == HW_DISCHARGE_CANCELLED) return 0; /* no cancellation time is kept */
  hw_date last = d->discharged_at == HW_TIME_NONE ? o->to : last_census_day(d->discharged_at);
  hw_date end = census_end(o);
  hw_date lo = ready > o->from ? ready : o->from, hi = last < end ? last : end;
  for (hw_date day = lo; day <= hi; day++) {
    o->census[day - o->from]++;
    week_of(o, day)->occupied_bed_days++;
    o->occupied_bed_days++;
  }
  if (d->discharged_at == HW_TIME_NONE) return 0;
  hw_date out_day = hw_time_local_date(d->discharged_at);
  w = week_of(o, out_day);
  if (!w) return 0;
  int same = out_day <= ready;
  w->discharged++;
  w->discharged_same_day += same;
  o->discharged++;
  o->discharged_same_day += same;
  if (d->ready_at - hw_local_to_time(ready, 0) <= (hw_time)HW_READY_BY_MINUTE * 60) {
    o->discharged_ready_by_16++;
    o->same_day_ready_by_16 += same;
  }
  int possible = start_possible_today(d, lead_minutes);
  if (possible < 0) return possible;
  o->discharged_no_start_today += !possible;
  o->same_day_possible += possible && same;
  return 0;
}

static void count_referral(hw_outcomes *o, const hw_referral *r) {
  if (r->pathway != HW_PATHWAY_REABLEMENT || r->status != HW_REFERRAL_ENDED) return;
  if (r->outcome == HW_OUTCOME_NONE || r->end_date == HW_DATE_NONE) return;
  hw_outcomes_week *w = week_of(o, r->end_date);
  if (!w) return;
  int indep = r->outcome == HW_OUTCOME_INDEPENDENT;
  w->reablement_ended++;
  w->reablement_independent += indep;
  o->reablement_ended++;
  o->reablement_independent += indep;
}

static int visit_staffed(const hw_visit *v) {
  int have = (v->worker_ids[0] != 0) + (v->worker_ids[1] != 0);
  return have >= v->workers;
}

static void count_visit(hw_outcomes *o, const hw_visit *v, int64_t *unalloc_min) {
  hw_outcomes_week *w = week_of(o, v->date);
  if (!w || v->status == HW_VISIT_CANCELLED) return;
  /* A visit still ahead may yet be rostered: only one whose window has closed counts. */
  int over = !as_of_now(o) || v->window_end < o->now;
  if (over && !visit_staffed(v)) {
    int64_t m = (int64_t)v->duration * v->workers;
    w->unallocated_visit_minutes += m;
    *unalloc_min += m;
  }
  if (v->check_in != HW_TIME_NONE && v->planned_start != HW_TIME_NONE) {
    int64_t late = v->check_in - v->planned_start;
    o->checked_in++;
    o->punctual += late <= HW_PUNCTUAL_SECONDS && late >= -HW_PUNCTUAL_SECONDS;
    o->mean_lateness_min += late > 0 ? (double)late / 60.0 : 0; /* summed here, divided later */
  }
}

typedef struct client_week_worker {
  hw_id client;
  hw_date monday;
  hw_id worker;
} client_week_worker;

static int cww_cmp(const void *a, const void *b) {
  const client_week_worker *x = a, *y = b;
  if (x->client != y->client) return x->client < y->client ? -1 : 1;
  if (x->monday != y->monday) return x->monday < y->monday ? -1 : 1;
  return x->worker < y->worker ? -1 : x->worker > y->worker;
}

static int count_continuity(hw_outcomes *o, const hw_outcome_records *r) {
  client_week_worker *t = malloc(((size_t)r->n_visits * 2 + 1) * sizeof *t);
  if (!t) return HW_ENOMEM;
  size_t n = 0;
  for (int32_t i = 0; i < r->n_visits; i++) {
    const hw_visit *v = &r->visits[i];
    if (v->date < o->from || v->date > o->to || v->status == HW_VISIT_CANCELLED) continue;
    for (int k = 0; k < 2; k++)
      if (v->worker_ids[k]) t[n++] = (client_week_worker){v->client_id, monday_of(v->date), v->worker_ids[k]};
  }
  qsort(t, n, sizeof *t, cww_cmp);
  int64_t distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || t[i].client != t[i - 1].client || t[i].monday != t[i - 1].monday) o->client_weeks++;
    if (i == 0 || cww_cmp(&t[i], &t[i - 1]) != 0) distinct++;
  }
  free(t);
  o->continuity_workers_per_client_week = o->client_weeks ? (double)distinct / o->client_weeks : -1;
  return 0;
}

typedef struct id_minutes {
  hw_id id;
  int32_t minutes;
} id_minutes;

static int id_minutes_cmp(const void *a, const void *b) {
  hw_id x = ((const id_minutes *)a)->id, y = ((const id_minutes *)b)->id;
  return (x > y) - (x < y);
}

/* Travel and visit time of the period's roster entries; visit durations are looked
 * up by id in a sorted copy so a year of rosters stays n log n. */
static int count_roster(hw_outcomes *o, const hw_outcome_records *r) {
  if (r->n_roster == 0) return 0;
  id_minutes *ix = malloc(((size_t)r->n_visits + 1) * sizeof *ix);
  if (!ix) return HW_ENOMEM;
  for (int32_t k = 0; k < r->n_visits; k++) ix[k] = (id_minutes){r->visits[k].id, r->visits[k].duration};
  qsort(ix, (size_t)r->n_visits, sizeof *ix, id_minutes_cmp);
  for (int32_t i = 0; i < r->n_roster; i++) {
    const hw_roster_entry *e = &r->roster[i];
    if (e->date < o->from || e->date > o->to) continue;
    o->travel_seconds += e->travel_seconds;
    id_minutes key = {e->visit_id, 0};
    const id_minutes *hit = bsearch(&key, ix, (size_t)r->n_visits, sizeof *ix, id_minutes_cmp);
    if (hit) o->visit_seconds += (int64_t)hit->minutes * 60;
  }
  free(ix);
  return 0;
}

static int cmp_int(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static void weekly_summary(hw_outcomes *o) {
  int32_t full[1100];
  int32_t n = 0;
  int64_t sum = 0;
  for (int32_t i = 0; i < o->n_weeks && n < 1100; i++)
    if (o->weeks[i].census_days == 7) {
      full[n++] = o->weeks[i].occupied_bed_days;
      sum += o->weeks[i].occupied_bed_days;
    }
  o->weekly_occupied_bed_days_mean = n ? (double)sum / n : -1;
  o->weekly_occupied_bed_days_median = -1;
  if (!n) return;
  qsort(full, (size_t)n, sizeof full[0], cmp_int);
  o->weekly_occupied_bed_days_median = n % 2 ? full[n / 2] : (full[n / 2 - 1] + full[n / 2]) / 2.0;
}

int hw_outcomes_from_records(const hw_outcome_records *r, hw_date from, hw_date to, hw_outcomes *out) {
  hw_outcomes_free(out);
  if (from > to || to - from > 366 * 20) return HW_EINVAL;
  hw_outcomes *o = out;
  o->from = from;
  o->to = to;
  o->now = r->now;
  o->n_days = to - from + 1;
  o->n_weeks = (monday_of(to) - monday_of(from)) / 7 + 1;
  o->census = calloc((size_t)o->n_days, sizeof *o->census);
  o->weeks = calloc((size_t)o->n_weeks, sizeof *o->weeks);
  if (!o->census || !o->weeks) {
    hw_outcomes_free(o);
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < o->n_weeks; i++) o->weeks[i].monday = monday_of(from) + 7 * i;
  for (hw_date d = from; d <= to; d++) week_of(o, d)->days++;
  for (hw_date d = from; d <= census_end(o); d++) week_of(o, d)->census_days++;
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < r->n_discharges; i++) rc = count_discharge(o, &r->discharges[i], r->lead_minutes);
  if (rc) {
    hw_outcomes_free(o);
    return rc;
  }
  for (int32_t i = 0; i < r->n_referrals; i++) count_referral(o, &r->referrals[i]);
  int64_t unalloc = 0;
  for (int32_t i = 0; i < r->n_visits; i++) count_visit(o, &r->visits[i], &unalloc);
  o->unallocated_visit_hours = (double)unalloc / 60.0;
  o->mean_lateness_min = o->checked_in ? o->mean_lateness_min / o->checked_in : -1;
  o->punctuality_pct = pct(o->punctual, o->checked_in);
  if (count_continuity(o, r) < 0 || count_roster(o, r) < 0) {
    hw_outcomes_free(o);
    return HW_ENOMEM;
  }
  o->travel_share_pct = pct(o->travel_seconds, o->travel_seconds + o->visit_seconds);
  o->same_day_discharge_pct = pct(o->discharged_same_day, o->discharged);
  o->same_day_ready_by_16_pct = pct(o->same_day_ready_by_16, o->discharged_ready_by_16);
  o->same_day_possible_pct = pct(o->same_day_possible, o->discharged - o->discharged_no_start_today);
  o->reablement_independent_pct = pct(o->reablement_independent, o->reablement_ended);
  weekly_summary(o);
  return 0;
}
