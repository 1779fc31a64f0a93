/*
 * The daemon's periodic work. hw_timers_start arms a one-second tick; every job
 * it runs is listed and documented in one place, the function hw_timers_cron in
 * timers.c (Redis's serverCron shape), so "what does the daemon do by itself?"
 * has one answer. The service's jobs (morning round, visits ahead, offers,
 * nightly plan) come from scheduler/service/hw_cron.h and run one at a time in
 * time order, as the clock (hw_clock.h) passes them.
 */
#ifndef HW_TIMERS_H
#define HW_TIMERS_H

#include <uv.h>

#include "hw_clock.h"
#include "hw_config.h"
#include "hw_cron.h"
#include "hw_metrics.h"
#include "hw_plans.h"
#include "hw_service.h"
#include "hw_writer.h"

typedef struct hw_timers {
  uv_timer_t tick;             /* one tick a second drives every job */
  uv_loop_t *loop;
  hw_writer *writer;
  hw_metrics *metrics;
  const hw_config *cfg;
  hw_clock *clock;
  hw_service *svc;             /* the writer's service (used on the writer thread only) */
  hw_store *read_st;           /* the loop's read-only handle */
  hw_plans *plans;             /* the nightly plan runs as plan jobs */
  const hw_service_settings *settings;
  hw_cron_settings cron;
  uint64_t ticks;
  int checkpoint_busy;         /* a checkpoint job is with the writer */
  hw_write_job checkpoint_job;
  /* The service's jobs. */
  hw_cron_cursor cursor;       /* where the jobs have got to */
  int busy;                    /* a job is running */
  hw_cron_job job;
  hw_time job_at;
  int job_rc;
  hw_cron_report report;
  hw_write_job cron_job;       /* a job run by the writer */
  int plans_left;              /* the nightly plan's jobs not finished yet */
  int stopped;                 /* shutting down: no job starts */
  int64_t jobs_run;
  void (*on_progress)(void *data); /* called on the loop after each job and when idle */
  void *progress_data;
} hw_timers;

/* Arm the periodic jobs on loop. svc is the writer's service, read_st the loop's
 * read-only handle, plans the plan jobs; on_progress (may be NULL) lets the server
 * wake the requests waiting on the clock or the log. Returns 0 or HW_EIO. */
int hw_timers_start(hw_timers *t, uv_loop_t *loop, const hw_config *cfg, hw_clock *clock, hw_writer *writer,
                    hw_service *svc, hw_store *read_st, hw_plans *plans, const hw_service_settings *settings,
                    hw_metrics *metrics, void (*on_progress)(void *), void *progress_data);
/* Run what is due now (the test clock's target was moved). */
void hw_timers_poke(hw_timers *t);
/* 1 when the clock's target has been reached and no job is running. */
int hw_timers_idle(const hw_timers *t);
/* Stop and close the timers: no job starts any more (a running one finishes;
 * plan jobs are cancelled with hw_plans_cancel_all). */
void hw_timers_stop(hw_timers *t);

#endif
