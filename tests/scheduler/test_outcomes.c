/*
 * Outcome figures from records: the midnight census across midnight and week
 * ends, the same-day rule at its edges, reablement share, unallocated hours,
 * travel share, continuity and punctuality.
 */
#include "hw_error.h"
#include "hw_outcomes.h"
#include "hw_test.h"

static hw_date day(int m, int d) { return hw_date_from_ymd(2026, m, d); }
static hw_time at(int m, int d, int hh, int mm) { return hw_local_to_time(day(m, d), hh * 60 + mm); }

static hw_discharge discharge(hw_id id, hw_time ready, hw_time out) {
  hw_discharge d = {0};
  d.id = id;
  d.ready_at = ready;
  d.discharged_at = out;
  d.status = out == HW_TIME_NONE ? HW_DISCHARGE_WAITING : HW_DISCHARGE_DISCHARGED;
  d.offered_start = HW_TIME_NONE;
  d.earliest = HW_DATE_NONE;
  return d;
}

/* Two full weeks, Monday 5 to Sunday 18 January 2026 (GMT). */
static void census_fixture(hw_outcomes *o) {
  hw_discharge d[] = {
      discharge(1, at(1, 5, 10, 0), at(1, 5, 18, 0)),  /* same day: no bed day */
      discharge(2, at(1, 5, 23, 59), at(1, 6, 0, 1)),  /* one bed day (Monday), not same day */
      discharge(3, at(1, 11, 14, 0), at(1, 14, 11, 0)), /* Sun (week 1) + Mon, Tue (week 2) */
      discharge(4, at(1, 6, 9, 0), at(1, 7, 0, 0)),    /* out exactly at midnight: none */
      discharge(5, at(1, 16, 9, 0), HW_TIME_NONE),     /* still waiting: Fri, Sat, Sun */
      discharge(6, at(1, 20, 9, 0), HW_TIME_NONE),     /* ready after the period */
  };
  hw_discharge cancelled = discharge(7, at(1, 8, 9, 0), HW_TIME_NONE);
  cancelled.status = HW_DISCHARGE_CANCELLED;
  hw_discharge all[7];
  for (int i = 0; i < 6; i++) all[i] = d[i];
  all[6] = cancelled;
  hw_outcome_records r = {.discharges = all, .n_discharges = 7};
  hw_outcomes_init(o);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 5), day(1, 18), o), ==, 0);
}

HW_TEST(census_counts_each_midnight_after_ready) {
  hw_outcomes o;
  census_fixture(&o);
  HW_CHECK_INT(o.n_days, ==, 14);
  HW_CHECK_INT(o.census[0], ==, 1);  /* Mon 5: person 2 */
  HW_CHECK_INT(o.census[1], ==, 0);  /* Tue 6: person 4 left at the midnight itself */
  HW_CHECK_INT(o.census[6], ==, 1);  /* Sun 11: person 3 */
  HW_CHECK_INT(o.census[7], ==, 1);  /* Mon 12 */
  HW_CHECK_INT(o.census[8], ==, 1);  /* Tue 13: still in at the midnight ending it */
  HW_CHECK_INT(o.census[9], ==, 0);  /* Wed 14: discharged 11:00 */
  HW_CHECK_INT(o.census[11], ==, 1); /* Fri 16: person 5 */
  HW_CHECK_INT(o.census[13], ==, 1); /* Sun 18 */
  HW_CHECK_INT(o.occupied_bed_days, ==, 7);
  hw_outcomes_free(&o);
}

HW_TEST(weekly_bed_days_split_at_monday) {
  hw_outcomes o;
  census_fixture(&o);
  HW_CHECK_INT(o.n_weeks, ==, 2);
  HW_CHECK_INT(o.weeks[0].monday, ==, day(1, 5));
  HW_CHECK_INT(o.weeks[0].occupied_bed_days, ==, 2);
  HW_CHECK_INT(o.weeks[1].occupied_bed_days, ==, 5);
  HW_CHECK(o.weekly_occupied_bed_days_mean == 3.5);
  HW_CHECK(o.weekly_occupied_bed_days_median == 3.5);
  HW_CHECK_INT(o.weeks[0].d2a_requests, ==, 5); /* ready in week 1: 1, 2, 3, 4 and the cancelled 7 */
  HW_CHECK_INT(o.weeks[1].d2a_requests, ==, 1); /* 5; 6 is ready after the period */
  hw_outcomes_free(&o);
  /* A period starting mid-week: the partial week is reported but not averaged. */
  hw_discharge d = discharge(1, at(1, 7, 9, 0), HW_TIME_NONE);
  hw_outcome_records r = {.discharges = &d, .n_discharges = 1};
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 7), day(1, 18), &o), ==, 0);
  HW_CHECK_INT(o.n_weeks, ==, 2);
  HW_CHECK_INT(o.weeks[0].days, ==, 5);
  HW_CHECK_INT(o.weeks[0].occupied_bed_days, ==, 5);
  HW_CHECK(o.weekly_occupied_bed_days_mean == 7);
  hw_outcomes_free(&o);
}

HW_TEST(same_day_rule_edges) {
  hw_outcomes o;
  census_fixture(&o);
  HW_CHECK_INT(o.discharged, ==, 4);
  HW_CHECK_INT(o.discharged_same_day, ==, 1); /* only 10:00 -> 18:00; 23:59 -> 00:01 is not */
  HW_CHECK(o.same_day_discharge_pct == 25.0);
  HW_CHECK_INT(o.weeks[0].discharged, ==, 3);
  HW_CHECK_INT(o.weeks[1].discharged, ==, 1);
  HW_CHECK(o.reablement_independent_pct < 0); /* no episode ended: no figure */
  HW_CHECK_INT(o.n_weeks, ==, 2);
  hw_outcomes_free(&o);
}

/* As of Wednesday 14 January 10:00 the census has been taken for the midnights
 * up to Tuesday's only; a visit still ahead is not unallocated yet. */
HW_TEST(figures_as_of_now_count_only_what_has_happened) {
  hw_discharge d = discharge(1, at(1, 12, 9, 0), HW_TIME_NONE); /* ready Monday, still waiting */
  hw_visit v[2] = {{0}, {0}};
  for (int i = 0; i < 2; i++) {
    v[i].id = i + 1;
    v[i].client_id = 1;
    v[i].date = day(1, 13 + i);
    v[i].duration = 60;
    v[i].workers = 1;
    v[i].status = HW_VISIT_PLANNED;
    v[i].window_start = at(1, 13 + i, 9, 0);
    v[i].window_end = at(1, 13 + i, 11, 0);
  }
  hw_outcome_records r = {.discharges = &d, .n_discharges = 1, .visits = v, .n_visits = 2, .now = at(1, 14, 10, 0)};
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 12), day(1, 18), &o), ==, 0);
  HW_CHECK_INT(o.occupied_bed_days, ==, 2);          /* Monday's and Tuesday's midnights */
  HW_CHECK(o.unallocated_visit_hours == 1.0);         /* Tuesday's; Wednesday's window is still open */
  HW_CHECK_INT(o.weeks[0].census_days, ==, 2);
  HW_CHECK(o.weekly_occupied_bed_days_mean < 0);      /* the week is still running */
  r.now = 0;                                          /* the whole week over */
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 12), day(1, 18), &o), ==, 0);
  HW_CHECK_INT(o.occupied_bed_days, ==, 7);
  HW_CHECK(o.weekly_occupied_bed_days_mean == 7.0);
  hw_outcomes_free(&o);
}

static hw_visit visit(hw_id id, hw_id client, hw_date d, hw_id w0, hw_id w1, int workers) {
  hw_visit v = {0};
  v.id = id;
  v.client_id = client;
  v.date = d;
  v.duration = 30;
  v.workers = workers;
  v.worker_ids[0] = w0;
  v.worker_ids[1] = w1;
  v.status = w0 ? HW_VISIT_ASSIGNED : HW_VISIT_PLANNED;
  v.planned_start = HW_TIME_NONE;
  v.check_in = v.check_out = HW_TIME_NONE;
  return v;
}

HW_TEST(reablement_visits_travel_continuity_punctuality) {
  hw_referral r[4] = {{0}};
  hw_episode_outcome outcomes[4] = {HW_OUTCOME_INDEPENDENT, HW_OUTCOME_INDEPENDENT, HW_OUTCOME_MAINSTREAM,
                                    HW_OUTCOME_INDEPENDENT};
  for (int i = 0; i < 4; i++) {
    r[i].id = i + 1;
    r[i].pathway = HW_PATHWAY_REABLEMENT;
    r[i].status = HW_REFERRAL_ENDED;
    r[i].outcome = outcomes[i];
    r[i].end_date = i < 3 ? day(1, 6) : day(2, 1); /* the last ends outside the period */
  }
  hw_visit v[5] = {
      visit(1, 1, day(1, 5), 10, 0, 1), visit(2, 1, day(1, 6), 11, 0, 1), visit(3, 1, day(1, 7), 10, 0, 1),
      visit(4, 2, day(1, 5), 12, 0, 2), /* double-handed with one worker: 2 x 30 min unallocated */
      visit(5, 2, day(1, 6), 0, 0, 1),  /* nobody: 30 min */
  };
  v[0].planned_start = at(1, 5, 8, 0);
  v[0].check_in = at(1, 5, 8, 10);
  v[1].planned_start = at(1, 6, 8, 0);
  v[1].check_in = at(1, 6, 8, 20);
  hw_roster_entry e = {.worker_id = 10, .date = day(1, 5), .seq = 0, .visit_id = 1, .travel_seconds = 600};
  hw_outcome_records rec = {.referrals = r, .n_referrals = 4, .visits = v, .n_visits = 5, .roster = &e, .n_roster = 1};
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_from_records(&rec, day(1, 5), day(1, 11), &o), ==, 0);
  HW_CHECK_INT(o.reablement_ended, ==, 3);
  HW_CHECK_INT(o.reablement_independent, ==, 2);
  HW_CHECK(hw_round1(o.reablement_independent_pct) == 66.7);
  HW_CHECK(o.unallocated_visit_hours == 1.5);
  HW_CHECK(o.travel_share_pct == 25.0); /* 600 s travel, 1800 s visit */
  HW_CHECK_INT(o.client_weeks, ==, 2);  /* client 1: workers 10, 11; client 2: worker 12 */
  HW_CHECK(o.continuity_workers_per_client_week == 1.5);
  HW_CHECK_INT(o.checked_in, ==, 2);
  HW_CHECK_INT(o.punctual, ==, 1);
  HW_CHECK(o.punctuality_pct == 50.0);
  HW_CHECK(o.mean_lateness_min == 15.0);
  hw_outcomes_free(&o);
}

HW_TEST(bad_period_rejected) {
  hw_outcome_records r = {0};
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 5), day(1, 4), &o), ==, HW_EINVAL);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 5), day(1, 5), &o), ==, 0);
  HW_CHECK(o.same_day_discharge_pct < 0);
  hw_outcomes_free(&o);
}

/* A care plan of a tea call (16:30-18:00) and a bedtime call (20:00-21:00). */
static void tea_and_bed(hw_discharge *d) {
  hw_visit_template t = {0};
  t.weekdays = 0x7f;
  t.duration = 30;
  t.workers = 1;
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  t.window = (hw_minute_window){16 * 60 + 30, 18 * 60};
  d->templates[0] = t;
  t.window = (hw_minute_window){20 * 60, 21 * 60};
  d->templates[1] = t;
  d->n_templates = 2;
}

/* A miss is the policy's or the clock's: ready at 21:30, nobody can be visited
 * that evening after a two-hour lead; ready at 15:00, someone could. */
HW_TEST(same_day_split_by_ready_time_and_what_the_clock_allows) {
  hw_discharge d[3] = {discharge(1, at(1, 6, 10, 0), at(1, 6, 15, 0)),  /* same day */
                       discharge(2, at(1, 6, 15, 0), at(1, 7, 11, 0)),  /* the policy's miss */
                       discharge(3, at(1, 6, 21, 30), at(1, 7, 10, 0))}; /* the clock's */
  for (int i = 0; i < 3; i++) tea_and_bed(&d[i]);
  hw_outcome_records r = {.discharges = d, .n_discharges = 3, .lead_minutes = 120};
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 5), day(1, 11), &o), ==, 0);
  HW_CHECK_INT(o.discharged, ==, 3);
  HW_CHECK_INT(o.discharged_same_day, ==, 1);
  HW_CHECK_INT(o.discharged_ready_by_16, ==, 2);
  HW_CHECK(o.same_day_ready_by_16_pct == 50.0);
  HW_CHECK_INT(o.discharged_no_start_today, ==, 1);
  HW_CHECK(o.same_day_possible_pct == 50.0);
  /* With no lead time the 21:30 person could still not have the 20:00-21:00 call. */
  r.lead_minutes = 0;
  HW_CHECK_INT(hw_outcomes_from_records(&r, day(1, 5), day(1, 11), &o), ==, 0);
  HW_CHECK_INT(o.discharged_no_start_today, ==, 1);
  hw_outcomes_free(&o);
}
