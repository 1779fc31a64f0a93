/*
 * The service's periodic jobs (hw_cron.h).
 */
#include "hw_cron.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

static const char *const job_names[HW_CRON_JOB_COUNT] = {"visits", "round", "offers", "reserve", "plan"};

const char *hw_cron_job_name(hw_cron_job j) { return (unsigned)j < HW_CRON_JOB_COUNT ? job_names[j] : "unknown"; }

void hw_cron_settings_init(hw_cron_settings *s) {
  s->day_start_at = 10;
  s->allocation_at = 8 * 60;
  s->nightly_plan_at = 18 * 60;
  s->offers_every_min = 15;
  s->reserve_at = 17 * 60;
}

/* The first instant after `after` at which job j is due. */
static hw_time next_due(const hw_cron_settings *s, hw_cron_job j, hw_time after) {
  hw_date d = hw_time_local_date(after);
  if (j == HW_CRON_OFFERS) {
    int32_t step = s->offers_every_min > 0 ? s->offers_every_min : 15;
    int32_t m = hw_time_local_minute(after) / step * step + step;
    return m < 24 * 60 ? hw_local_to_time(d, m) : hw_local_to_time(d + 1, 0);
  }
  if (j == HW_CRON_RESERVE) { /* weekly: the next Sunday at reserve_at */
    hw_date sunday = d + (6 - hw_date_weekday(d));
    hw_time t = hw_local_to_time(sunday, s->reserve_at);
    return t > after ? t : hw_local_to_time(sunday + 7, s->reserve_at);
  }
  int32_t at = j == HW_CRON_VISITS ? s->day_start_at : j == HW_CRON_ROUND ? s->allocation_at : s->nightly_plan_at;
  hw_time t = hw_local_to_time(d, at);
  return t > after ? t : hw_local_to_time(d + 1, at);
}

hw_cron_cursor hw_cron_start(hw_time t) { return (hw_cron_cursor){t, HW_CRON_JOB_COUNT}; }

int hw_cron_next(const hw_cron_settings *s, hw_cron_cursor *cur, hw_time until, hw_cron_job *job, hw_time *at) {
  int found = 0;
  for (int j = 0; j < HW_CRON_JOB_COUNT; j++) {
    /* A job later in the list than the last one run may still be due at cur->at. */
    hw_time t = next_due(s, (hw_cron_job)j, j > cur->done ? cur->at - 1 : cur->at);
    if (t > until || (found && t >= *at)) continue;
    *job = (hw_cron_job)j;
    *at = t;
    found = 1;
  }
  if (found) *cur = (hw_cron_cursor){*at, (int)*job};
  else if (cur->at < until) *cur = (hw_cron_cursor){until, HW_CRON_JOB_COUNT};
  return found;
}

int hw_cron_run(hw_service *svc, hw_cron_job job, hw_time at, hw_cron_report *out) {
  memset(out, 0, sizeof *out);
  out->job = job;
  hw_change c = {.scope = NULL, .actor = "system", .key = "", .now = at, .errs = NULL};
  switch (job) {
    case HW_CRON_VISITS: return hw_service_extend_visits(svc, &c, &out->visits_created);
    case HW_CRON_ROUND: return hw_service_allocation_round(svc, &c, &out->round);
    case HW_CRON_OFFERS:
      return svc->set.offers_on_arrival ? hw_service_offer_sweep(svc, &c, &out->offers, &out->upgraded) : 0;
    case HW_CRON_RESERVE: return hw_service_size_reserve(svc, &c, &out->reserve);
    case HW_CRON_PLAN:
    case HW_CRON_JOB_COUNT: break;
  }
  return HW_EINVAL;
}
