/*
 * Plan jobs on the libuv thread pool (hw_plans.h). The work callback opens its
 * own store handle and calls the scheduler's one planning function; progress and
 * state cross threads through atomics only.
 */
#include "hw_plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_answers.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_log.h"
#include "hw_plan.h"
#include "hw_service.h"

typedef enum hw_plan_state {
  HW_PLAN_QUEUED = 0,
  HW_PLAN_RUNNING,
  HW_PLAN_DONE,
  HW_PLAN_FAILED,
  HW_PLAN_CANCELLED
} hw_plan_state;

struct hw_plan_job {
  int64_t id;
  hw_id locality_id;
  hw_date date;
  double time_limit_s;
  char actor[64];
  hw_time created_at;
  hw_time now;                     /* the clock when the job started (test clocks) */
  atomic_int state;                /* hw_plan_state */
  int draft;                       /* keep the plan as a draft (set before it runs) */
  atomic_int cancel;
  atomic_llong elapsed_ms, iterations, best_cost;
  atomic_int unassigned;
  /* Written by the pool thread, read on the loop after plan_done. */
  int rc;
  hw_plan_report report;
  char why[256];
  uv_work_t work;
  struct hw_plans *owner;
};

static const char *const state_names[] = {"queued", "running", "done", "failed", "cancelled"};

void hw_plans_init(hw_plans *p, uv_loop_t *loop, const hw_config *cfg, const hw_service_settings *settings,
                   hw_clock *clock, hw_metrics *metrics) {
  memset(p, 0, sizeof *p);
  p->loop = loop;
  p->cfg = cfg;
  p->settings = settings;
  p->clock = clock;
  p->metrics = metrics;
  p->next_id = 1;
}

static void on_progress(void *user, const hw_progress *pr) {
  hw_plan_job *j = user;
  atomic_store(&j->elapsed_ms, pr->elapsed_ms);
  atomic_store(&j->iterations, pr->iterations);
  atomic_store(&j->best_cost, pr->best_cost);
  atomic_store(&j->unassigned, pr->n_unassigned);
}

static void plan_work(uv_work_t *w) {
  hw_plan_job *j = w->data;
  const hw_config *cfg = j->owner->cfg;
  if (atomic_load(&j->cancel)) {
    j->rc = HW_ECANCELED;
    return;
  }
  atomic_store(&j->state, HW_PLAN_RUNNING);
  hw_store *st = NULL;
  hw_store_options o;
  hw_store_options_init(&o);
  o.sync = (hw_sync_mode)cfg->sync;
  j->rc = hw_store_open(cfg->db, &o, &st, j->why, sizeof j->why);
  if (j->rc != 0) return;
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = j->time_limit_s;
  pp.max_iterations = cfg->plan_max_iterations;
  pp.progress = on_progress;
  pp.progress_user = j;
  pp.cancel = &j->cancel;
  pp.draft = j->draft;
  char key[80];
  snprintf(key, sizeof key, "plan-job-%lld-%lld", (long long)j->created_at, (long long)j->id);
  hw_change c = {.scope = NULL, .actor = j->actor, .key = key, .now = j->now, .errs = NULL};
  j->rc = hw_service_plan_locality(st, j->owner->settings, j->locality_id, j->date, &pp, &c, &j->report, j->why,
                                   sizeof j->why);
  hw_store_close(st);
}

static void plan_done(uv_work_t *w, int status) {
  hw_plan_job *j = w->data;
  hw_plans *p = j->owner;
  p->running--;
  if (status == UV_ECANCELED) j->rc = HW_ECANCELED;
  int cancelled = atomic_load(&j->cancel);
  hw_plan_state s = j->rc != 0 ? (cancelled ? HW_PLAN_CANCELLED : HW_PLAN_FAILED)
                               : (cancelled ? HW_PLAN_CANCELLED : HW_PLAN_DONE);
  atomic_store(&j->state, s);
  hw_metrics_plan_job(p->metrics, j->rc == 0, (uint64_t)(j->rc == 0 ? j->report.solve_ms : 0) * 1000);
  if (j->rc != 0 && j->rc != HW_ECANCELED)
    HW_LOG_WARNF("plan job %lld (locality %lld) failed: %s %s", (long long)j->id, (long long)j->locality_id,
                 hw_strerror(j->rc), j->why);
}

int64_t hw_plan_job_id(const hw_plan_job *j) { return j->id; }
hw_id hw_plan_job_locality(const hw_plan_job *j) { return j->locality_id; }

static int finished(const hw_plan_job *j) { return atomic_load(&j->state) >= HW_PLAN_DONE; }

int hw_plans_submit(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, const char *actor,
                    hw_time now, hw_plan_job **out) {
  return hw_plans_submit_draft(p, locality_id, date, time_limit_s, actor, now, 0, out);
}

int hw_plans_submit_draft(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, const char *actor,
                          hw_time now, int draft, hw_plan_job **out) {
  int slot = (int)(p->next_id % HW_PLANS_KEEP);
  hw_plan_job *old = p->jobs[slot];
  if (old && !finished(old)) return HW_EBUSY;
  hw_plan_job *j = calloc(1, sizeof *j);
  if (!j) return HW_ENOMEM;
  j->id = p->next_id;
  j->locality_id = locality_id;
  j->date = date;
  j->time_limit_s = time_limit_s;
  j->draft = draft;
  j->created_at = now;
  j->now = hw_clock_now(p->clock);
  snprintf(j->actor, sizeof j->actor, "%s", actor);
  atomic_init(&j->state, HW_PLAN_QUEUED);
  atomic_init(&j->cancel, 0);
  atomic_init(&j->elapsed_ms, 0);
  atomic_init(&j->iterations, 0);
  atomic_init(&j->best_cost, 0);
  atomic_init(&j->unassigned, 0);
  j->owner = p;
  j->work.data = j;
  if (uv_queue_work(p->loop, &j->work, plan_work, plan_done) != 0) {
    free(j);
    return HW_EIO;
  }
  if (old) hw_plan_report_free(&old->report);
  free(old);
  p->jobs[slot] = j;
  p->next_id++;
  p->running++;
  *out = j;
  return 0;
}

hw_plan_job *hw_plans_get(hw_plans *p, int64_t id) {
  hw_plan_job *j = id > 0 ? p->jobs[id % HW_PLANS_KEEP] : NULL;
  return j && j->id == id ? j : NULL;
}

int hw_plans_cancel(hw_plan_job *j) {
  if (finished(j)) return HW_ECONFLICT;
  atomic_store(&j->cancel, 1);
  return 0;
}

void hw_plans_cancel_all(hw_plans *p) {
  for (int i = 0; i < HW_PLANS_KEEP; i++)
    if (p->jobs[i] && !finished(p->jobs[i])) atomic_store(&p->jobs[i]->cancel, 1);
}

void hw_plans_free(hw_plans *p) {
  for (int i = 0; i < HW_PLANS_KEEP; i++) {
    if (p->jobs[i]) hw_plan_report_free(&p->jobs[i]->report);
    free(p->jobs[i]);
    p->jobs[i] = NULL;
  }
}

json_t *hw_plan_job_to_json(const hw_plan_job *j) {
  hw_plan_state s = (hw_plan_state)atomic_load(&j->state);
  json_t *progress = json_pack("{s:I, s:I, s:I, s:i}", "elapsed_ms", (json_int_t)atomic_load(&j->elapsed_ms),
                               "iterations", (json_int_t)atomic_load(&j->iterations), "best_cost",
                               (json_int_t)atomic_load(&j->best_cost), "unassigned", atomic_load(&j->unassigned));
  json_t *doc = json_pack("{s:I, s:I, s:o, s:s, s:f, s:s, s:o, s:o}", "id", (json_int_t)j->id, "locality",
                          (json_int_t)j->locality_id, "date", hw_json_date(j->date), "state", state_names[s],
                          "time_limit_s", j->time_limit_s, "requested_by", j->actor, "created_at",
                          hw_json_time(j->created_at), "progress", progress);
  if (!doc) return NULL;
  int has_result = (s == HW_PLAN_DONE || s == HW_PLAN_CANCELLED) && j->rc == 0;
  json_object_set_new(doc, "result", has_result ? hw_json_plan_report(&j->report) : json_null());
  json_object_set_new(doc, "publish", json_boolean(!j->draft));
  json_object_set_new(doc, "draft_id", has_result && j->report.draft_id ? json_integer(j->report.draft_id) : json_null());
  if (s == HW_PLAN_FAILED || (s == HW_PLAN_CANCELLED && j->rc != 0))
    json_object_set_new(doc, "error", json_string(j->why[0] ? j->why : hw_strerror(j->rc)));
  return doc;
}
