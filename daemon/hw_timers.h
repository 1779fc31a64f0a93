/*
 * The daemon's periodic work. hw_timers_start arms the timers; every job they run
 * is listed and documented in one place, the function hw_timers_cron in
 * timers.c (Redis's serverCron shape), so "what does the daemon do by itself?"
 * has one answer.
 */
#ifndef HW_TIMERS_H
#define HW_TIMERS_H

#include <stdatomic.h>
#include <uv.h>

#include "hw_config.h"
#include "hw_metrics.h"
#include "hw_writer.h"

typedef struct hw_timers {
  uv_timer_t tick;             /* one tick a second drives every job */
  uv_loop_t *loop;
  hw_writer *writer;
  hw_metrics *metrics;
  const hw_config *cfg;
  uint64_t ticks;
  int checkpoint_busy;         /* a checkpoint job is with the writer */
  hw_write_job checkpoint_job;
  hw_date planned_on;          /* the local day whose nightly plan has started */
  int plan_busy;               /* a planning job is on the thread pool */
  uv_work_t plan_work;
  hw_date plan_date;           /* the day being planned */
  int plan_ok;
  int64_t plan_solve_ms;
  atomic_int plan_cancel;      /* set on shutdown: the solve stops and keeps its best */
} hw_timers;

/* Arm the periodic jobs on loop. Returns 0 or HW_EIO. */
int hw_timers_start(hw_timers *t, uv_loop_t *loop, const hw_config *cfg, hw_writer *writer, hw_metrics *metrics);
/* Stop and close the timers and cancel a running planning solve (before the
 * writer stops). */
void hw_timers_stop(hw_timers *t);

#endif
