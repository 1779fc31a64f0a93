/*
 * The periodic jobs. A one-second tick calls hw_timers_cron, which decides what
 * is due. Jobs that only touch the database go to the writer thread as tasks,
 * because the write handle belongs to it; planning, which solves for minutes, runs
 * on the libuv thread pool with its own store handle so that writes keep flowing.
 */
#include "hw_timers.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hw_error.h"
#include "hw_log.h"
#include "hw_plan.h"
#include "hw_service.h"

static int checkpoint_task(hw_store *st, void *ctx) {
  (void)ctx;
  return hw_store_checkpoint(st);
}

static void checkpoint_done(hw_write_job *job) {
  hw_timers *t = job->data;
  t->checkpoint_busy = 0;
  if (job->rc != 0) HW_LOG_WARNF("WAL checkpoint failed: %s", hw_strerror(job->rc));
  else HW_LOG_DEBUGF("WAL checkpoint done");
}

/* Plan one locality's day: its visits first, then the rosters - the same
 * scheduler function as a POST /v1/plans job. */
static int plan_locality(hw_store *st, hw_timers *t, hw_id locality_id, hw_time now) {
  char key[80], why[256] = "";
  hw_plan_report report;
  hw_plan_params p;
  hw_plan_params_init(&p);
  p.time_limit_s = (double)t->cfg->plan_time_limit_s;
  p.reserve_minutes = (int32_t)t->cfg->d2a_reserve_minutes;
  p.cancel = &t->plan_cancel;
  snprintf(key, sizeof key, "nightly-plan-%d-%lld", (int)t->plan_date, (long long)locality_id);
  int rc = hw_service_plan_locality(st, locality_id, t->plan_date, &p, "system", key, now, &report, why, sizeof why);
  if (rc == 0) t->plan_solve_ms += report.solve_ms;
  if (rc == 0)
    HW_LOG_INFOF("nightly plan, locality %lld: %d visits, %d assigned, %d unassigned", (long long)locality_id,
                 report.visits, report.assigned, report.unassigned);
  else
    HW_LOG_ERRORF("nightly plan, locality %lld failed: %s %s", (long long)locality_id, hw_strerror(rc), why);
  return rc;
}

/* Thread pool: plan t->plan_date for every locality on a store handle of its own. */
static void plan_work(uv_work_t *w) {
  hw_timers *t = w->data;
  hw_store *st = NULL;
  hw_store_options o;
  char msg[256] = "";
  hw_store_options_init(&o);
  o.sync = (hw_sync_mode)t->cfg->sync;
  t->plan_ok = 0;
  t->plan_solve_ms = 0;
  if (hw_store_open(t->cfg->db, &o, &st, msg, sizeof msg) != 0) {
    HW_LOG_ERRORF("nightly plan: cannot open the database: %s", msg);
    return;
  }
  hw_locality *locs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(st, &locs, &n);
  hw_time now = (hw_time)time(NULL);
  for (int32_t i = 0; rc == 0 && i < n && !atomic_load(&t->plan_cancel); i++) rc = plan_locality(st, t, locs[i].id, now);
  t->plan_ok = rc == 0;
  free(locs);
  hw_store_close(st);
}

static void plan_done(uv_work_t *w, int status) {
  hw_timers *t = w->data;
  t->plan_busy = 0;
  hw_metrics_plan_job(t->metrics, status == 0 && t->plan_ok, (uint64_t)t->plan_solve_ms * 1000);
}

/*
 * Every periodic job of the daemon, checked once a second:
 *
 * 1. WAL checkpoint, every checkpoint_every_s seconds: a passive checkpoint
 *    copies committed pages from the write-ahead log into the database so the
 *    WAL stays small and readers stay fast. Passive: it never waits for readers.
 *    Skipped while the previous one is still queued.
 *
 * 2. Nightly planning, when the local clock passes nightly_plan_at: for every
 *    locality, tomorrow's visits are generated from the care plans and the day is
 *    solved (plan_time_limit_s each) and published (scheduler/hw_plan.h). Keyed
 *    "nightly-plan-DAY-LOCALITY", so a restart never publishes a day twice. It runs
 *    when the clock crosses the time while the daemon is up: a daemon started later
 *    in the evening does not plan that night (so a restart never starts a long
 *    solve by surprise).
 *
 * The midnight bed-day census needs no job here: the outcome figures
 * are derived from the event log (scheduler/hw_outcomes.h).
 */
static void hw_timers_cron(hw_timers *t) {
  t->ticks++;
  if (t->ticks % (uint64_t)t->cfg->checkpoint_every_s == 0 && !t->checkpoint_busy) {
    t->checkpoint_busy = 1;
    t->checkpoint_job = (hw_write_job){.task = checkpoint_task, .done = checkpoint_done, .data = t};
    hw_writer_submit(t->writer, &t->checkpoint_job);
  }
  hw_time now = (hw_time)time(NULL);
  hw_date today = hw_time_local_date(now);
  if (today != t->planned_on && hw_time_local_minute(now) >= t->cfg->nightly_plan_at && !t->plan_busy) {
    t->planned_on = today;
    t->plan_date = today + 1;
    t->plan_busy = 1;
    t->plan_work.data = t;
    if (uv_queue_work(t->loop, &t->plan_work, plan_work, plan_done) != 0) t->plan_busy = 0;
  }
}

static void on_tick(uv_timer_t *timer) { hw_timers_cron(timer->data); }

int hw_timers_start(hw_timers *t, uv_loop_t *loop, const hw_config *cfg, hw_writer *writer, hw_metrics *metrics) {
  *t = (hw_timers){.loop = loop, .writer = writer, .metrics = metrics, .cfg = cfg};
  atomic_init(&t->plan_cancel, 0);
  /* Plan when the clock crosses nightly_plan_at; if it is already past today, the
   * next crossing is tomorrow's. */
  hw_time now = (hw_time)time(NULL);
  t->planned_on = hw_time_local_minute(now) >= cfg->nightly_plan_at ? hw_time_local_date(now) : HW_DATE_NONE;
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

void hw_timers_stop(hw_timers *t) {
  atomic_store(&t->plan_cancel, 1);
  uv_timer_stop(&t->tick);
  uv_close((uv_handle_t *)&t->tick, NULL);
}
