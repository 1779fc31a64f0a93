/*
 * Care plan to visits: turns the recurring visit templates of a referral (or of a
 * discharge request's support plan) into concrete visits on calendar days.
 *
 * A template says "on these weekdays, start between 08:00 and 09:00 local time, 30
 * minutes, these skills, one or two workers". Each matching day gets one visit whose
 * window is converted to instants with hw_local_to_time, so a visit at 08:00 is at
 * 08:00 on the wall clock on both sides of a clock change. Medication visits get
 * their window tightened to the prescribed minute +- a tolerance (15 minutes by
 * default, never wider than the template's window), the medication skill added and
 * a high priority, because a missed or late dose is the costliest failure of a round.
 */
#ifndef HW_VISITS_H
#define HW_VISITS_H

#include <stdint.h>

#include "hw_domain.h"

typedef struct hw_visit_options {
  int32_t medication_tolerance_min; /* +- minutes around the prescribed time (15) */
  int32_t priority_normal;          /* 50 */
  int32_t priority_double;          /* double-handed visits (60): two workers are scarce */
  int32_t priority_medication;      /* 90 */
} hw_visit_options;

/* Defaults as documented on each field. */
void hw_visit_options_init(hw_visit_options *o);

/* Expand templates[0..n_templates) into visits for every date in [from, to]
 * (inclusive) whose weekday bit is set. Visits get referral_id and client_id,
 * status PLANNED, no workers, id 0 (not stored), and are ordered by date, then
 * window start, then template order. *out is malloc'd (NULL when *n is 0); the
 * caller frees it. o may be NULL for defaults.
 * Returns 0, HW_EINVAL if a template is malformed (no weekdays, window out of
 * range or empty, workers not 1 or 2, duration <= 0) or from > to, HW_ENOMEM. */
int hw_visits_expand(const hw_visit_template *templates, int32_t n_templates,
                     hw_id referral_id, hw_id client_id, hw_date from, hw_date to,
                     const hw_visit_options *o, hw_visit **out, int32_t *n);

/* The visits a referral delivers in [from, to]: its templates over the days where
 * the range meets [start_date, end_date] (end_date HW_DATE_NONE = open-ended). A
 * referral that is cancelled, ended before the range or has no start date yields
 * no visits (returns 0 with *n = 0). Errors as hw_visits_expand. */
int hw_visits_for_referral(const hw_referral *r, hw_date from, hw_date to,
                           const hw_visit_options *o, hw_visit **out, int32_t *n);

#endif
