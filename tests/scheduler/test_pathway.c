/*
 * The reablement-first pathway: the state machine's transitions and time limit,
 * and the service's review that records an ended episode and hands over.
 */
#include <stdlib.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_outcomes.h"
#include "hw_pathway.h"
#include "hw_test.h"
#include "sched_fixture.h"

static hw_pathway_policy policy(void) {
  hw_pathway_policy p;
  hw_pathway_policy_init(&p);
  return p;
}

HW_TEST(begin_is_reablement_with_weekly_review) {
  hw_pathway_policy p = policy();
  hw_episode e;
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(e.pathway, ==, HW_PATHWAY_REABLEMENT);
  HW_CHECK_INT(e.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(e.next_review, ==, 107);
  HW_CHECK(!hw_episode_review_due(&e, 106));
  HW_CHECK(hw_episode_review_due(&e, 107));
}

HW_TEST(progressing_continues_then_independent) {
  hw_pathway_policy p = policy();
  hw_episode e;
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 107, HW_FINDING_PROGRESSING), ==, HW_OUTCOME_NONE);
  HW_CHECK_INT(e.next_review, ==, 114);
  HW_CHECK_INT(e.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(hw_episode_review(&p, &e, 114, HW_FINDING_INDEPENDENT), ==, HW_OUTCOME_INDEPENDENT);
  HW_CHECK_INT(e.status, ==, HW_REFERRAL_ENDED);
  HW_CHECK_INT(e.end_date, ==, 114);
  HW_CHECK_INT(e.reviews, ==, 2);
  HW_CHECK_INT(hw_pathway_after(e.outcome), ==, -1);
  /* An ended episode takes no more reviews. */
  HW_CHECK_INT(hw_episode_review(&p, &e, 121, HW_FINDING_PROGRESSING), ==, HW_EINVAL);
}

HW_TEST(complex_and_end_of_life_go_intensive) {
  hw_pathway_policy p = policy();
  hw_episode e;
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 103, HW_FINDING_COMPLEX_NEED), ==, HW_OUTCOME_INTENSIVE);
  HW_CHECK_INT(hw_pathway_after(e.outcome), ==, HW_PATHWAY_INTENSIVE);
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 107, HW_FINDING_END_OF_LIFE), ==, HW_OUTCOME_INTENSIVE);
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 107, HW_FINDING_ONGOING_NEED), ==, HW_OUTCOME_MAINSTREAM);
  HW_CHECK_INT(hw_pathway_after(e.outcome), ==, HW_PATHWAY_MAINSTREAM);
}

HW_TEST(six_weeks_is_the_limit) {
  hw_pathway_policy p = policy();
  hw_episode e;
  hw_episode_begin(&p, &e, 100);
  for (int w = 1; w <= 5; w++) HW_CHECK_INT(hw_episode_review(&p, &e, 100 + 7 * w, HW_FINDING_PROGRESSING), ==, 0);
  HW_CHECK_INT(e.next_review, ==, 142);
  HW_CHECK_INT(hw_episode_review(&p, &e, 142, HW_FINDING_PROGRESSING), ==, HW_OUTCOME_MAINSTREAM);
  HW_CHECK_INT(e.end_date, ==, 142);
  /* A shorter configured limit ends sooner, and a late review never overshoots. */
  p.max_weeks = 2;
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 110, HW_FINDING_PROGRESSING), ==, 0);
  HW_CHECK_INT(e.next_review, ==, 114);
}

HW_TEST(bad_reviews_rejected) {
  hw_pathway_policy p = policy();
  hw_episode e;
  hw_episode_begin(&p, &e, 100);
  HW_CHECK_INT(hw_episode_review(&p, &e, 99, HW_FINDING_PROGRESSING), ==, HW_EINVAL);
  HW_CHECK_INT(hw_episode_review(&p, &e, 107, (hw_review_finding)42), ==, HW_EINVAL);
  hw_review_finding f;
  HW_CHECK_INT(hw_review_finding_parse("end_of_life", &f), ==, 0);
  HW_CHECK_INT(f, ==, HW_FINDING_END_OF_LIFE);
  HW_CHECK_INT(hw_review_finding_parse("better", &f), ==, HW_EINVAL);
}


static hw_id active_referral(fixture *f) {
  hw_referral r = {0};
  r.client_id = f->clients[0];
  r.source = HW_SOURCE_CHANGE_OF_NEED;
  r.pathway = HW_PATHWAY_REABLEMENT;
  r.status = HW_REFERRAL_ALLOCATED;
  r.team_id = f->reablement_team;
  r.start_date = FX_MONDAY - 14;
  r.end_date = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(9, 10, 30, 0);
  HW_CHECK_INT(hw_store_insert_referral(f->st, &r), ==, 0);
  return r.id;
}

HW_TEST(store_review_records_outcome_and_hands_over) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_id id = active_referral(&f);
  hw_review_result *res = calloc(1, sizeof *res);
  hw_review rv = {.date = FX_MONDAY - 7, .finding = HW_FINDING_PROGRESSING};
  hw_change c = fx_change(&f, FX_MONDAY - 7, 600);
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, 0);
  HW_CHECK_INT(res->review.outcome, ==, HW_OUTCOME_NONE);
  HW_CHECK(res->review.id > 0);
  rv = (hw_review){.date = FX_MONDAY, .finding = HW_FINDING_ONGOING_NEED};
  c = fx_change(&f, FX_MONDAY, 600);
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, 0);
  HW_CHECK_INT(res->review.outcome, ==, HW_OUTCOME_MAINSTREAM);
  HW_CHECK(res->next.id > 0);
  HW_CHECK_INT(res->review.next_referral_id, ==, res->next.id);
  hw_referral r, next;
  HW_CHECK_INT(hw_store_get_referral(f.st, id, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, HW_REFERRAL_ENDED);
  HW_CHECK_INT(r.end_date, ==, FX_MONDAY);
  /* The ongoing care is allocated at once to the mainstream team, which has room. */
  HW_CHECK_INT(hw_store_get_referral(f.st, res->next.id, &next), ==, 0);
  HW_CHECK_INT(next.pathway, ==, HW_PATHWAY_MAINSTREAM);
  HW_CHECK_INT(next.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(next.team_id, ==, f.mainstream_team);
  HW_CHECK_INT(next.start_date, ==, FX_MONDAY + 1);
  /* An ended episode takes no more reviews, and nothing is stored. */
  int64_t events = hw_store_event_count(f.st);
  rv = (hw_review){.date = FX_MONDAY, .finding = HW_FINDING_INDEPENDENT};
  c = fx_change(&f, FX_MONDAY, 610);
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, HW_ECONFLICT);
  HW_CHECK(f.errs.n > 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  /* The ended episode counts in the reablement outcome, from the log and the records alike. */
  hw_outcomes o;
  hw_outcomes_init(&o);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_MONDAY - 7, FX_MONDAY + 6, 0, &o), ==, 0);
  HW_CHECK_INT(o.reablement_ended, ==, 1);
  HW_CHECK(o.reablement_independent_pct == 0);
  HW_CHECK_INT(hw_service_outcomes_records(f.st, NULL, FX_MONDAY - 7, FX_MONDAY + 6, 0, &o), ==, 0);
  HW_CHECK_INT(o.reablement_ended, ==, 1);
  hw_outcomes_free(&o);
  free(res);
  fx_close(&f);
}

HW_TEST(review_dates_checked) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_id id = active_referral(&f);
  hw_review_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_MONDAY, 600);
  hw_review rv = {.date = FX_MONDAY - 20, .finding = HW_FINDING_PROGRESSING}; /* before the start */
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/date");
  c = fx_change(&f, FX_MONDAY, 600);
  rv.date = FX_MONDAY + 1; /* tomorrow */
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, HW_EINVAL);
  c = fx_change(&f, FX_MONDAY, 600);
  rv.date = hw_date_from_ymd(1999, 1, 1);
  HW_CHECK_INT(hw_service_review(fx_service(&f), &c, id, &rv, res), ==, HW_EINVAL);
  free(res);
  fx_close(&f);
}
