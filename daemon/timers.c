/*
 * The periodic jobs. A one-second tick calls hw_timers_cron, which decides what
 * is due. Jobs that only touch the database go to the writer thread as tasks,
 * because the write handle (and the service on it) belongs to it; planning,
 * which solves for minutes, runs as plan jobs (hw_plans.h: solved on the thread
 * pool, published by the writer) so that writes keep flowing.
 */
#include "hw_timers.h"

#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "hw_error.h"
#include "hw_log.h"
#include "hw_plan.h"

static void step(hw_timers *t);

static void progress(hw_timers *t) {
  if (t->on_progress) t->on_progress(t->progress_data);
}

/* ---- WAL checkpoint ------------------------------------------------------------ */

/* Then the free heap goes back to the system: when the day caches drop days,
 * glibc keeps the freed pages in its arenas and RSS would only ever climb. */
static int checkpoint_task(hw_store *st, void *ctx) {
  (void)ctx;
  int rc = hw_store_checkpoint(st);
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  return rc;
}

static void checkpoint_done(hw_write_job *job) {
  hw_timers *t = job->data;
  t->checkpoint_busy = 0;
  if (job->rc != 0) HW_LOG_WARNF("WAL checkpoint failed: %s", hw_strerror(job->rc));
  else HW_LOG_DEBUGF("WAL checkpoint done");
}

/* ---- The service's jobs --------------------------------------------------------- */

static void job_finished(hw_timers *t) {
  const hw_cron_report *r = &t->report;
  if (t->job_rc) HW_LOG_ERRORF("cron %s failed: %s", hw_cron_job_name(t->job), hw_strerror(t->job_rc));
  else if (t->job == HW_CRON_ROUND)
    HW_LOG_INFOF("cron round: %d waiting, %d allocated, %d visits, %d offers (%d today)", r->round.waiting,
                 r->round.allocated, r->round.visits_created, r->round.offers, r->round.offered_today);
  else if (t->job == HW_CRON_PLAN)
    HW_LOG_INFOF("cron plan: %d localities planned, %d failed", r->localities_planned, r->plan_failures);
  else if (t->job == HW_CRON_OFFERS && (r->offers || r->upgraded))
    HW_LOG_INFOF("cron offers: %d offered, %d waiting now start today", r->offers, r->upgraded);
  else if (t->job == HW_CRON_VISITS && r->visits_created)
    HW_LOG_INFOF("cron visits: %d generated", r->visits_created);
  else if (t->job == HW_CRON_RESERVE && r->reserve.localities)
    HW_LOG_INFOF("cron reserve: %d localities from %d weeks (%d requests): %.0f of %.0f peak minutes a week held, "
                 "%.1f%% predicted", r->reserve.localities, r->reserve.weeks, r->reserve.requests,
                 r->reserve.held_minutes_week, r->reserve.demand_minutes_week, r->reserve.covered_pct);
  t->busy = 0;
  t->jobs_run++;
  progress(t);
  step(t);
}

/* Writer thread: a job other than the plan. */
static int cron_task(hw_store *st, void *ctx) {
  (void)st;
  hw_timers *t = ctx;
  t->job_rc = hw_cron_run(t->svc, t->job, t->job_at, &t->report);
  if (t->job_rc) hw_service_forget(t->svc);
  return t->job_rc;
}

static void cron_task_done(hw_write_job *job) { job_finished(job->data); }

/* The nightly plan: one plan job per locality, each keyed
 * "nightly-plan-DAY-LOCALITY" so a restart never publishes a day twice; the
 * cron job is over when they all are. */
static void nightly_job_done(hw_plan_job *j, void *data) {
  hw_timers *t = data;
  if (hw_plan_job_published(j)) {
    t->report.localities_planned++;
    t->report.plan_ms += hw_plan_job_solve_ms(j);
  } else {
    t->report.plan_failures++;
  }
  if (--t->plans_left == 0) job_finished(t);
}

static void start_nightly_plan(hw_timers *t) {
  t->report = (hw_cron_report){.job = HW_CRON_PLAN};
  hw_locality *locs = NULL;
  int32_t n = 0;
  t->job_rc = hw_store_list_localities(t->read_st, &locs, &n);
  hw_date day = hw_time_local_date(t->job_at) + 1;
  t->plans_left = 1; /* held while starting, so no job finishing early ends the plan */
  for (int32_t i = 0; t->job_rc == 0 && i < n; i++) {
    hw_plan_job *j;
    char key[80];
    snprintf(key, sizeof key, "nightly-plan-%d-%lld", (int)day, (long long)locs[i].id);
    if (hw_plans_reserve(t->plans, locs[i].id, day, (double)t->cfg->plan_time_limit_s, 0, "system", t->job_at, &j)) {
      t->report.plan_failures++;
      continue;
    }
    t->plans_left++;
    hw_plans_start(t->plans, j, key, nightly_job_done, t);
  }
  free(locs);
  if (--t->plans_left == 0) job_finished(t);
}

static void start_job(hw_timers *t) {
  t->busy = 1;
  t->job_rc = 0;
  if (t->job == HW_CRON_PLAN) {
    start_nightly_plan(t);
    return;
  }
  t->cron_job = (hw_write_job){.task = cron_task, .ctx = t, .done = cron_task_done, .data = t};
  hw_writer_submit(t->writer, &t->cron_job);
}

/* Run the next job due up to the clock's target, or, when none is left, bring the
 * test clock to its target. One job at a time, in time order. */
static void step(hw_timers *t) {
  if (t->busy || t->stopped) return;
  hw_time target = hw_clock_target(t->clock);
  hw_cron_job job;
  hw_time at;
  if (hw_cron_next(&t->cron, &t->cursor, target, &job, &at)) {
    t->job = job;
    t->job_at = at;
    if (t->clock->test) t->clock->now = at;
    start_job(t);
    return;
  }
  if (t->clock->test && t->clock->now != target) {
    t->clock->now = target;
    progress(t);
  }
}

/*
 * Every periodic job of the daemon, checked once a second:
 *
 * 1. WAL checkpoint, every checkpoint_every_s seconds: a passive checkpoint
 *    copies committed pages from the write-ahead log into the database so the
 *    WAL stays small and readers stay fast. Passive: it never waits for readers.
 *    Skipped while the previous one is still queued.
 *
 * 2. The service's jobs (scheduler/service/hw_cron.h), each when the clock
 *    passes it, one at a time: the visits ahead at day_start_at, the morning
 *    allocation round at allocation_at, the offers sweep every
 *    offers_every_min, and at nightly_plan_at tomorrow's plan for every
 *    locality (plan jobs, hw_plans.h: solved on the thread pool, published by
 *    the writer; keyed "nightly-plan-DAY-LOCALITY" so a restart never
 *    publishes a day twice). A job that fell due while the
 *    daemon was down is not run late. With the test clock, time moves only
 *    when an admin moves it, and every job passed on the way runs in order.
 *
 * The midnight bed-day census needs no job here: the outcome figures are
 * derived from the event log (scheduler/policy/hw_outcomes.h).
 */
static void hw_timers_cron(hw_timers *t) {
  t->ticks++;
  if (t->ticks % (uint64_t)t->cfg->checkpoint_every_s == 0 && !t->checkpoint_busy) {
    t->checkpoint_busy = 1;
    t->checkpoint_job = (hw_write_job){.task = checkpoint_task, .done = checkpoint_done, .data = t};
    hw_writer_submit(t->writer, &t->checkpoint_job);
  }
  step(t);
}

static void on_tick(uv_timer_t *timer) { hw_timers_cron(timer->data); }

int hw_timers_start(hw_timers *t, uv_loop_t *loop, const hw_config *cfg, hw_clock *clock, hw_writer *writer,
                    hw_service *svc, hw_store *read_st, hw_plans *plans, const hw_service_settings *settings,
                    hw_metrics *metrics, void (*on_progress)(void *), void *progress_data) {
  *t = (hw_timers){.loop = loop, .writer = writer, .metrics = metrics, .cfg = cfg, .clock = clock, .svc = svc,
                   .read_st = read_st, .plans = plans, .settings = settings, .on_progress = on_progress,
                   .progress_data = progress_data};
  hw_cron_settings_init(&t->cron);
  t->cron.nightly_plan_at = cfg->nightly_plan_at;
  t->cron.allocation_at = cfg->allocation_at;
  t->cron.day_start_at = cfg->day_start_at;
  t->cron.offers_every_min = (int32_t)cfg->offers_every_min;
  t->cron.reserve_at = cfg->reserve_at;
  t->cursor = hw_cron_start(hw_clock_now(clock)); /* nothing due before the start runs late */
  if (uv_timer_init(loop, &t->tick)) return HW_EIO;
  t->tick.data = t;
  if (uv_timer_start(&t->tick, on_tick, 1000, 1000)) {
    uv_close((uv_handle_t *)&t->tick, NULL);
    return HW_EIO;
  }
  /* The tick must not keep the loop alive on its own during shutdown. */
  uv_unref((uv_handle_t *)&t->tick);
  return 0;
}

void hw_timers_poke(hw_timers *t) { step(t); }

int hw_timers_idle(const hw_timers *t) { return !t->busy && t->cursor.at >= hw_clock_target(t->clock); }

void hw_timers_stop(hw_timers *t) {
  t->stopped = 1;
  uv_timer_stop(&t->tick);
  uv_close((uv_handle_t *)&t->tick, NULL);
}
