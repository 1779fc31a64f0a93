/*
 * The reablement-first pathway, as a pure state machine (the service applies it
 * to stored referrals: scheduler/service/reviews.c).
 *
 * Policy (DESIGN.md): every new referral and every change of need starts with a
 * reablement team. A reablement episode lasts up to max_weeks (6) with a review
 * every review_days (7). At a review the episode either continues (the person is
 * still progressing and time remains) or ends with an outcome:
 *   independent  - goals met, no further support;
 *   mainstream   - ongoing need at the end (or the episode ran its full length);
 *   intensive    - complex need or end of life, handed to an intensive team.
 * Each ended episode is recorded as an event; the share ending independent is one
 * of the partnership's outcome figures (target 50% or more).
 */
#ifndef HW_PATHWAY_H
#define HW_PATHWAY_H

#include <stdint.h>

#include "hw_domain.h"

typedef struct hw_pathway_policy {
  int32_t max_weeks;   /* longest reablement episode (6) */
  int32_t review_days; /* days between reviews (7) */
} hw_pathway_policy;

void hw_pathway_policy_init(hw_pathway_policy *p);

/* One person's episode on the pathway. */
typedef struct hw_episode {
  hw_pathway pathway;          /* REABLEMENT while the episode runs */
  hw_referral_status status;   /* ALLOCATED, then ENDED */
  hw_date start_date;
  hw_date next_review;
  hw_date end_date;            /* HW_DATE_NONE while active */
  int32_t reviews;             /* reviews held so far */
  hw_episode_outcome outcome;  /* NONE while active */
} hw_episode;

/* Start an episode on `start` for a new referral or a change of need (any source:
 * reablement first, intensive when the plan needs complex care or end of life). */
void hw_episode_begin(const hw_pathway_policy *p, hw_episode *e, hw_date start);

/* 1 when a review is due on `on` (the episode is active and on >= next_review). */
int hw_episode_review_due(const hw_episode *e, hw_date on);

/* Hold a review on `on` with its finding. Returns the episode's outcome (NONE when
 * it continues, with next_review moved on), or HW_EINVAL if the episode is not
 * active, `on` is before its start, or the finding is unknown. A "progressing"
 * finding at or after the last review day (start + max_weeks weeks) ends the
 * episode as MAINSTREAM: reablement is time-limited, the person still needs care. */
int hw_episode_review(const hw_pathway_policy *p, hw_episode *e, hw_date on, hw_review_finding f);

/* The pathway of the ongoing care an outcome hands over to (mainstream or
 * intensive), or -1 when none follows (independent, none). */
int hw_pathway_after(hw_episode_outcome o);

#endif
