/*
 * Plan jobs (hw_plans.h): reserved, started after their request's commit, then
 * visits (writer, in steps), solve (thread pool, a read-only handle of the job's own) and
 * publication (writer, heavy, in chunks). Progress and state cross threads through atomics
 * only; the rest of a job is written by one step and read by the next, each
 * handed over through libuv (uv_queue_work, the writer's queue).
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
  HW_PLAN_CANCELLED,
  HW_PLAN_RESERVED /* its request is not committed yet: not shown */
} hw_plan_state;

struct hw_plan_job {
  int64_t id;
  hw_id locality_id;
  hw_date date;
  double time_limit_s;
  char actor[64];
  char key[96], visits_key[104];
  hw_time created_at;
  hw_time now;                     /* the clock when the job was reserved (test clocks) */
  atomic_int state;                /* hw_plan_state */
  int keep_as_draft;               /* POST /v1/plans {"publish": false} */
  atomic_int cancel;
  atomic_llong elapsed_ms, iterations, best_cost;
  atomic_int unassigned;
  /* Each written by one step, read by the next and on the loop once finished. */
  int rc;
  int published;                   /* its plan was stored: published, or kept as a draft */
  hw_plan_draft *draft;
  hw_plan_report report;
  char why[256];
  hw_plan_visits_cursor visits_after; /* the day's visits: referrals done, up to */
  int32_t visits_created;
  hw_write_job write;              /* the step on the writer */
  uv_work_t work;                  /* the step on the pool */
  hw_plans *owner;
  hw_plan_job *displaced;          /* a reservation's ring slot held this finished job */
  hw_plan_job *next_waiting;
  hw_plan_done_fn done;
  void *done_data;
};

static const char *const state_names[] = {"queued", "running", "done", "failed", "cancelled", "queued"};

void hw_plans_init(hw_plans *p, uv_loop_t *loop, const hw_config *cfg, const hw_service_settings *settings,
                   hw_clock *clock, hw_metrics *metrics, hw_writer *writer) {
  memset(p, 0, sizeof *p);
  p->loop = loop;
  p->cfg = cfg;
  p->settings = settings;
  p->clock = clock;
  p->metrics = metrics;
  p->writer = writer;
  p->next_id = 1;
  unsigned cpus = uv_available_parallelism(); /* one processor is left to the loop, the writer and the drafts */
  p->max_solving = cpus > 1 ? (int)cpus - 1 : 1;
}

static int finished(const hw_plan_job *j) {
  int s = atomic_load(&j->state);
  return s == HW_PLAN_DONE || s == HW_PLAN_FAILED || s == HW_PLAN_CANCELLED;
}

static hw_change job_change(const hw_plan_job *j, const char *key) {
  return (hw_change){.scope = NULL, .actor = j->actor, .key = key, .now = j->now, .errs = NULL};
}

/* The job is over: its state, the metrics, the log, its owner told. */
static void finish(hw_plan_job *j, int rc) {
  hw_plans *p = j->owner;
  j->rc = rc;
  hw_plan_draft_free(j->draft);
  j->draft = NULL;
  int cancelled = atomic_load(&j->cancel);
  hw_plan_state s = rc != 0 ? (cancelled || rc == HW_ECANCELED ? HW_PLAN_CANCELLED : HW_PLAN_FAILED)
                            : (cancelled ? HW_PLAN_CANCELLED : HW_PLAN_DONE);
  atomic_store(&j->state, s);
  p->running--;
  hw_metrics_plan_job(p->metrics, rc == 0, (uint64_t)(rc == 0 ? j->report.solve_ms : 0) * 1000);
  if (rc != 0 && rc != HW_ECANCELED)
    HW_LOG_WARNF("plan job %lld (locality %lld) failed: %s %s", (long long)j->id, (long long)j->locality_id,
                 hw_strerror(rc), j->why);
  if (j->done) j->done(j, j->done_data);
  if (p->on_finish) p->on_finish(p->on_finish_data);
}

/* ---- 3. Publication: a heavy change on the writer ------------------------------- */

/* One chunk a time, so the writer takes other changes between them. */
static int publish_run(hw_store *st, void *ctx, hw_apply_result *res) {
  (void)res;
  hw_plan_job *j = ctx;
  hw_change c = job_change(j, j->report.chunks == 0 ? j->key : ""); /* the first event carries the key */
  int done = 0;
  int rc = hw_plan_publish_step(st, &c, j->draft, &j->report, &done);
  j->write.again = rc == 0 && !done;
  if (rc) snprintf(j->why, sizeof j->why, "the plan could not be published: %s", hw_store_errmsg(st));
  return rc;
}

static void publish_done(hw_write_job *w) {
  hw_plan_job *j = w->data;
  j->published = w->rc == 0;
  finish(j, w->rc);
}

/* ---- 2. The solve: on the thread pool ------------------------------------------- */

static void on_progress(void *user, const hw_progress *pr) {
  hw_plan_job *j = user;
  atomic_store(&j->elapsed_ms, pr->elapsed_ms);
  atomic_store(&j->iterations, pr->iterations);
  atomic_store(&j->best_cost, pr->best_cost);
  atomic_store(&j->unassigned, pr->n_unassigned);
}

static void solve_work(uv_work_t *w) {
  hw_plan_job *j = w->data;
  const hw_plans *p = j->owner;
  atomic_store(&j->state, HW_PLAN_RUNNING);
  hw_store *st = NULL;
  hw_store_options o;
  hw_store_options_init(&o);
  o.read_only = 1;
  j->rc = hw_store_open(p->cfg->db, &o, &st, j->why, sizeof j->why);
  if (j->rc != 0) return;
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = j->time_limit_s;
  pp.max_iterations = p->cfg->plan_max_iterations;
  pp.progress = on_progress;
  pp.progress_user = j;
  pp.cancel = &j->cancel;
  pp.draft = j->keep_as_draft;
  j->rc = hw_service_plan_solve(st, p->settings, j->locality_id, j->date, &pp, j->now, &j->draft, j->why,
                                sizeof j->why);
  hw_store_close(st);
}

static void start_solves(hw_plans *p);

static void solve_done(uv_work_t *w, int status) {
  hw_plan_job *j = w->data;
  hw_plans *p = j->owner;
  p->solving--;
  start_solves(p);
  if (status == UV_ECANCELED) j->rc = HW_ECANCELED;
  if (j->rc) {
    finish(j, j->rc);
    return;
  }
  j->write = (hw_write_job){.run = publish_run, .ctx = j, .heavy = 1, .done = publish_done, .data = j};
  hw_writer_submit(p->writer, &j->write);
}

/* The jobs waiting to solve, onto the pool while there is room. */
static void start_solves(hw_plans *p) {
  while (p->waiting_head && p->solving < p->max_solving) {
    hw_plan_job *j = p->waiting_head;
    p->waiting_head = j->next_waiting;
    if (!p->waiting_head) p->waiting_tail = NULL;
    if (p->closing || atomic_load(&j->cancel)) {
      finish(j, HW_ECANCELED);
      continue;
    }
    j->work.data = j;
    if (uv_queue_work(p->loop, &j->work, solve_work, solve_done) != 0) {
      finish(j, HW_EIO);
      continue;
    }
    p->solving++;
  }
}

static void queue_solve(hw_plan_job *j) {
  hw_plans *p = j->owner;
  j->next_waiting = NULL;
  if (p->waiting_tail) p->waiting_tail->next_waiting = j;
  else p->waiting_head = j;
  p->waiting_tail = j;
  start_solves(p);
}

/* ---- 1. The day's visits: a change on the writer ---------------------------------- */

/* A few referrals a time, so the writer takes other changes between them. */
static int visits_run(hw_store *st, void *ctx, hw_apply_result *res) {
  (void)res;
  hw_plan_job *j = ctx;
  hw_change c = job_change(j, j->visits_created == 0 ? j->visits_key : ""); /* the first event carries the key */
  int done = 0;
  int rc = hw_service_plan_visits_step(st, j->owner->settings, &c, j->locality_id, j->date, HW_PLAN_VISITS_STEP,
                                       &j->visits_after, &j->visits_created, &done);
  j->write.again = rc == 0 && !done;
  if (rc) snprintf(j->why, sizeof j->why, "visits could not be generated: %s", hw_store_errmsg(st));
  return rc;
}

static void visits_done(hw_write_job *w) {
  hw_plan_job *j = w->data;
  if (w->rc) finish(j, w->rc);
  else queue_solve(j);
}

/* ---- Jobs ------------------------------------------------------------------------- */

int hw_plans_reserve(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, int keep_as_draft,
                     const char *actor, hw_time now, hw_plan_job **out) {
  int slot = (int)(p->next_id % HW_PLANS_KEEP);
  hw_plan_job *old = p->jobs[slot];
  if (old && !finished(old)) return HW_EBUSY;
  hw_plan_job *j = calloc(1, sizeof *j);
  if (!j) return HW_ENOMEM;
  j->id = p->next_id++;
  j->locality_id = locality_id;
  j->date = date;
  j->time_limit_s = time_limit_s;
  j->keep_as_draft = keep_as_draft;
  j->created_at = now;
  j->now = hw_clock_now(p->clock);
  snprintf(j->actor, sizeof j->actor, "%s", actor);
  atomic_init(&j->state, HW_PLAN_RESERVED);
  atomic_init(&j->cancel, 0);
  atomic_init(&j->elapsed_ms, 0);
  atomic_init(&j->iterations, 0);
  atomic_init(&j->best_cost, 0);
  atomic_init(&j->unassigned, 0);
  j->owner = p;
  j->displaced = old;
  p->jobs[slot] = j;
  *out = j;
  return 0;
}

static void free_job(hw_plan_job *j) {
  if (!j) return;
  hw_plan_report_free(&j->report);
  hw_plan_draft_free(j->draft);
  free(j);
}

void hw_plans_release(hw_plans *p, hw_plan_job *j) {
  p->jobs[j->id % HW_PLANS_KEEP] = j->displaced;
  free(j);
}

void hw_plans_start(hw_plans *p, hw_plan_job *j, const char *key, hw_plan_done_fn done, void *data) {
  free_job(j->displaced);
  j->displaced = NULL;
  if (key && key[0]) snprintf(j->key, sizeof j->key, "%.80s", key);
  else snprintf(j->key, sizeof j->key, "plan-job-%lld-%lld", (long long)j->created_at, (long long)j->id);
  snprintf(j->visits_key, sizeof j->visits_key, "%s-visits", j->key);
  j->done = done;
  j->done_data = data;
  if (p->closing) atomic_store(&j->cancel, 1);
  atomic_store(&j->state, HW_PLAN_QUEUED);
  p->running++;
  j->write = (hw_write_job){.run = visits_run, .ctx = j, .heavy = 1, .done = visits_done, .data = j};
  hw_writer_submit(p->writer, &j->write);
}

int64_t hw_plan_job_id(const hw_plan_job *j) { return j->id; }
hw_id hw_plan_job_locality(const hw_plan_job *j) { return j->locality_id; }
int hw_plan_job_published(const hw_plan_job *j) { return j->published; }
int64_t hw_plan_job_solve_ms(const hw_plan_job *j) { return j->report.solve_ms; }

hw_plan_job *hw_plans_get(hw_plans *p, int64_t id) {
  hw_plan_job *j = id > 0 ? p->jobs[id % HW_PLANS_KEEP] : NULL;
  return j && j->id == id && atomic_load(&j->state) != HW_PLAN_RESERVED ? j : NULL;
}

int hw_plans_cancel(hw_plan_job *j) {
  if (finished(j)) return HW_ECONFLICT;
  atomic_store(&j->cancel, 1);
  return 0;
}

void hw_plans_cancel_all(hw_plans *p) {
  p->closing = 1;
  for (int i = 0; i < HW_PLANS_KEEP; i++)
    if (p->jobs[i] && !finished(p->jobs[i])) atomic_store(&p->jobs[i]->cancel, 1);
  start_solves(p); /* the waiting ones finish, cancelled */
}

void hw_plans_free(hw_plans *p) {
  for (int i = 0; i < HW_PLANS_KEEP; i++) {
    if (p->jobs[i]) free_job(p->jobs[i]->displaced);
    free_job(p->jobs[i]);
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
  json_object_set_new(doc, "result", j->published ? hw_json_plan_report(&j->report) : json_null());
  json_object_set_new(doc, "publish", json_boolean(!j->keep_as_draft));
  int drafted = j->published && j->report.draft_id;
  json_object_set_new(doc, "draft_id", drafted ? json_integer(j->report.draft_id) : json_null());
  if (s == HW_PLAN_FAILED || (s == HW_PLAN_CANCELLED && j->rc != 0))
    json_object_set_new(doc, "error", json_string(j->why[0] ? j->why : hw_strerror(j->rc)));
  return doc;
}
