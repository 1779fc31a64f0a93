/*
 * The simulation drives the service, so its store is the service's own record of
 * the run: these cases keep the store of a short run and read it back through the
 * service. The log's replay and the stored records give the same figures, and
 * the report's are those; the hospital took up every offer and sent each person
 * home; the coordinator's reviews ended episodes with outcomes.
 */
#include "hw_service.h"
#include "sim_fixture.h"

/* A finished run whose store is kept, open for reading through the service. */
typedef struct kept_run {
  hw_sim_result r;
  hw_store *st;
} kept_run;

static kept_run run_kept(hw_sim_policy policy, const char *db) {
  hw_sim_options o = sim_small(5, policy, 1);
  o.db_path = hw_test_path(db);
  kept_run k = {sim_run(&o), NULL};
  hw_store_options so;
  hw_store_options_init(&so);
  char msg[160];
  HW_CHECK_INT(hw_store_open(o.db_path, &so, &k.st, msg, sizeof msg), ==, 0);
  return k;
}

static void kept_free(kept_run *k) {
  hw_store_close(k->st);
  hw_sim_result_free(&k->r);
}

/* The run's first day (the generator's default) and period. */
#define FIRST_DAY hw_date_from_ymd(HW_GENERATE_DEFAULT_START_Y, HW_GENERATE_DEFAULT_START_M, HW_GENERATE_DEFAULT_START_D)

HW_TEST(replay_of_the_log_agrees_with_the_records) {
  kept_run k = run_kept(HW_POLICY_OPTIMIZED, "run.db");
  hw_store *st = k.st;
  const hw_sim_result *r = &k.r;
  HW_CHECK_INT(r->figures_agree, ==, 1);
  hw_date last = FIRST_DAY + 6;
  hw_time end = hw_local_to_time(last + 1, 0);
  hw_outcomes replay, records;
  hw_outcomes_init(&replay);
  hw_outcomes_init(&records);
  HW_CHECK_INT(hw_service_outcomes_replay(st, FIRST_DAY, last, end, &replay), ==, 0);
  HW_CHECK_INT(hw_service_outcomes_records(st, NULL, FIRST_DAY, last, end, &records), ==, 0);
  HW_CHECK_INT(replay.occupied_bed_days, ==, records.occupied_bed_days);
  HW_CHECK_INT(replay.discharged, ==, records.discharged);
  HW_CHECK_INT(replay.discharged_same_day, ==, records.discharged_same_day);
  HW_CHECK_INT(replay.reablement_ended, ==, records.reablement_ended);
  HW_CHECK_INT(replay.reablement_independent, ==, records.reablement_independent);
  HW_CHECK_INT(replay.travel_seconds, ==, records.travel_seconds);
  HW_CHECK(replay.unallocated_visit_hours == records.unallocated_visit_hours);
  HW_CHECK(replay.travel_seconds > 0 && replay.unallocated_visit_hours >= 0);
  /* The report's figures are the service's. */
  HW_CHECK_INT(replay.discharged, >, 0);
  HW_CHECK(r->same_day_discharge_pct == replay.same_day_discharge_pct);
  HW_CHECK(r->weekly_occupied_bed_days_mean == replay.weekly_occupied_bed_days_mean);
  HW_CHECK(r->reablement_independent_pct == replay.reablement_independent_pct);
  hw_outcomes_free(&replay);
  hw_outcomes_free(&records);
  kept_free(&k);
}

HW_TEST(the_hospital_takes_up_every_offer) {
  kept_run k = run_kept(HW_POLICY_OPTIMIZED, "hospital.db");
  hw_store *st = k.st;
  HW_CHECK(k.r.d2a_offers_today > 0);
  hw_discharge *ds = NULL;
  int32_t n = 0, discharged = 0;
  HW_CHECK_INT(hw_store_list_discharges(st, -1, &ds, &n), ==, 0);
  HW_CHECK_INT(n, ==, k.r.d2a_requests);
  for (int32_t i = 0; i < n; i++) {
    /* Nobody is left offered or accepted: an offer was taken, the person went home. */
    HW_CHECK(ds[i].status != HW_DISCHARGE_OFFERED && ds[i].status != HW_DISCHARGE_ACCEPTED);
    if (ds[i].status != HW_DISCHARGE_DISCHARGED) continue;
    discharged++;
    HW_CHECK(ds[i].discharged_at >= ds[i].ready_at);
    /* ... the lead time before the first visit of the care taken home. */
    HW_CHECK(ds[i].offered_start - ds[i].discharged_at <= 120 * 60);
    hw_referral ref;
    HW_CHECK_INT(hw_store_get_referral(st, ds[i].referral_id, &ref), ==, 0);
    HW_CHECK_INT(ref.pathway, ==, HW_PATHWAY_REABLEMENT);
    HW_CHECK_INT(ref.source, ==, HW_SOURCE_HOSPITAL);
  }
  HW_CHECK_INT(discharged, ==, k.r.d2a_offers_today);
  free(ds);
  kept_free(&k);
}

HW_TEST(reviews_end_episodes_with_outcomes) {
  kept_run k = run_kept(HW_POLICY_BASELINE, "reviews.db");
  hw_store *st = k.st;
  HW_CHECK(k.r.reviews > 0);
  HW_CHECK(k.r.reablement_independent_pct >= 0);
  hw_referral *rs = NULL;
  int32_t n = 0, ended = 0, handed_over = 0;
  HW_CHECK_INT(hw_store_list_referrals(st, 0, &rs, &n), ==, 0);
  for (int32_t i = 0; i < n; i++) {
    if (rs[i].status != HW_REFERRAL_ENDED) continue;
    ended++;
    HW_CHECK(rs[i].outcome != HW_OUTCOME_NONE);
    hw_review *rv = NULL;
    int32_t nr = 0;
    HW_CHECK_INT(hw_store_list_reviews(st, rs[i].id, &rv, &nr), ==, 0);
    HW_CHECK(nr > 0);
    HW_CHECK_INT(rv[nr - 1].date, ==, rs[i].end_date);
    handed_over += rv[nr - 1].next_referral_id != 0;
    HW_CHECK((rv[nr - 1].next_referral_id != 0) == (rs[i].outcome != HW_OUTCOME_INDEPENDENT));
    free(rv);
  }
  HW_CHECK(ended > 0 && handed_over > 0);
  free(rs);
  kept_free(&k);
}
