/*
 * The service's periodic jobs, one list for the daemon and the simulation alike:
 * what runs by itself, and when. The daemon's timer (daemon/timers.c) and
 * `homeward simulate` both ask hw_cron_next for the next job due up to their
 * clock's "now" and run it with hw_cron_run, in time order, one at a time, so a
 * simulated day goes through exactly the steps a real one does.
 *
 *   visits   (day_start_at, 00:10)  every allocated referral's visits are
 *                                   generated up to today + horizon_days;
 *   round    (allocation_at, 08:00) the morning allocation round over the
 *                                   waiting list (GLPK, or first come first
 *                                   served), then waiting discharges offered;
 *   offers   (every offers_every_min, 15) discharge requests never offered yet
 *                                   (imported, or made while offers were off)
 *                                   get their offer, and those waiting although
 *                                   ready today are tried again: one a start
 *                                   today has opened up for becomes offered
 *                                   (hw_service_offer_sweep); skipped unless the
 *                                   service offers on arrival;
 *   reserve  (Sundays at reserve_at, 17:00) the D2A reserve table sized from the
 *                                   weeks of discharges before it
 *                                   (hw_service_size_reserve), so the week's
 *                                   nightly plans hold it;
 *   plan     (nightly_plan_at, 18:00) tomorrow's visits and rosters for every
 *                                   locality (the daemon runs this one as plan
 *                                   jobs: solved on its thread pool, published
 *                                   by its writer).
 *
 * Times are local (Europe/London). A job due while the process was down is not
 * run late: the daemon starts counting from when it starts.
 */
#ifndef HW_CRON_H
#define HW_CRON_H

#include <stdint.h>

#include "hw_service.h"

typedef enum hw_cron_job {
  HW_CRON_VISITS = 0,
  HW_CRON_ROUND,
  HW_CRON_OFFERS,
  HW_CRON_RESERVE,
  HW_CRON_PLAN,
  HW_CRON_JOB_COUNT
} hw_cron_job;

typedef struct hw_cron_settings {
  int32_t day_start_at;          /* minute of day (10) */
  int32_t allocation_at;         /* (480) */
  int32_t nightly_plan_at;       /* (1080) */
  int32_t offers_every_min;      /* 1..1440 (15) */
  int32_t reserve_at;            /* minute of Sunday (1020) */
} hw_cron_settings;

void hw_cron_settings_init(hw_cron_settings *s);
const char *hw_cron_job_name(hw_cron_job j);

/* Where the cron has got to: every job due before `at`, and those due at `at` up
 * to job `done` of the list, have run (done -1: none at `at`). */
typedef struct hw_cron_cursor {
  hw_time at;
  int done;
} hw_cron_cursor;

/* The cursor of a cron starting at t: nothing due before t runs late. */
hw_cron_cursor hw_cron_start(hw_time t);
/* The next job due after the cursor and at or before until: 1 with *job and *at
 * (and the cursor moved past it), or 0 when none (the cursor moved to until).
 * Jobs due at the same instant come in the order of the list above. */
int hw_cron_next(const hw_cron_settings *s, hw_cron_cursor *cur, hw_time until, hw_cron_job *job, hw_time *at);

typedef struct hw_cron_report {
  hw_cron_job job;
  int32_t visits_created;
  hw_round_report round;
  int32_t offers;                /* offers job: requests offered */
  int32_t upgraded;              /* ... and waiting ones that now start today */
  hw_reserve_report reserve;
  int32_t localities_planned;
  int32_t plan_failures;
  int64_t plan_ms;
} hw_cron_report;

/* Run one job other than the plan as of `at` (actor "system"). Returns 0 or the
 * job's error. The plan job (tomorrow for every locality, keyed
 * "nightly-plan-<date>-<locality>" so a day is never published twice) is the
 * caller's: the daemon runs it as plan jobs (daemon/hw_plans.h). */
int hw_cron_run(hw_service *svc, hw_cron_job job, hw_time at, hw_cron_report *out);


#endif
