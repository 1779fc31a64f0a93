/*
 * The reablement-first pathway (hw_pathway.h): the episode state machine.
 */
#include "hw_pathway.h"

#include "hw_error.h"

void hw_pathway_policy_init(hw_pathway_policy *p) {
  p->max_weeks = 6;
  p->review_days = 7;
}

void hw_episode_begin(const hw_pathway_policy *p, hw_episode *e, hw_date start) {
  *e = (hw_episode){0};
  e->pathway = HW_PATHWAY_REABLEMENT;
  e->status = HW_REFERRAL_ALLOCATED;
  e->start_date = start;
  e->next_review = start + p->review_days;
  e->end_date = HW_DATE_NONE;
  e->outcome = HW_OUTCOME_NONE;
}

int hw_episode_review_due(const hw_episode *e, hw_date on) {
  return e->status == HW_REFERRAL_ALLOCATED && on >= e->next_review;
}

static hw_episode_outcome outcome_of(hw_review_finding f, int last_review) {
  switch (f) {
  case HW_FINDING_INDEPENDENT: return HW_OUTCOME_INDEPENDENT;
  case HW_FINDING_ONGOING_NEED: return HW_OUTCOME_MAINSTREAM;
  case HW_FINDING_COMPLEX_NEED:
  case HW_FINDING_END_OF_LIFE: return HW_OUTCOME_INTENSIVE;
  default: return last_review ? HW_OUTCOME_MAINSTREAM : HW_OUTCOME_NONE;
  }
}

int hw_episode_review(const hw_pathway_policy *p, hw_episode *e, hw_date on, hw_review_finding f) {
  if (e->status != HW_REFERRAL_ALLOCATED || e->pathway != HW_PATHWAY_REABLEMENT) return HW_EINVAL;
  if (on < e->start_date || (unsigned)f >= HW_FINDING_COUNT) return HW_EINVAL;
  hw_date last_day = e->start_date + 7 * p->max_weeks;
  e->reviews++;
  hw_episode_outcome o = outcome_of(f, on >= last_day);
  if (o == HW_OUTCOME_NONE) {
    e->next_review = on + p->review_days < last_day ? on + p->review_days : last_day;
    return HW_OUTCOME_NONE;
  }
  e->status = HW_REFERRAL_ENDED;
  e->outcome = o;
  e->end_date = on;
  return o;
}

int hw_pathway_after(hw_episode_outcome o) {
  if (o == HW_OUTCOME_MAINSTREAM) return HW_PATHWAY_MAINSTREAM;
  if (o == HW_OUTCOME_INTENSIVE) return HW_PATHWAY_INTENSIVE;
  return -1;
}
