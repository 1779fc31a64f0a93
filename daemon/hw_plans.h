/*
 * Background plan jobs: POST /v1/plans starts one, GET /v1/plans/{id} follows it,
 * DELETE /v1/plans/{id} cancels it; the nightly plan runs one per locality.
 *
 * A job plans one locality's day in three steps (scheduler/hw_plan.h), none on
 * the loop thread and none writing past the writer:
 *   1. the day's missing visits are stored - a heavy change on the writer (a
 *      first plan of a day stores a thousand or more);
 *   2. the day is solved on the libuv thread pool from a snapshot, through a
 *      read-only store handle of the job's own (at most one solve per
 *      processor but one, which is left to the loop, the writer and the D2A
 *      drafts; the other jobs wait in order);
 *   3. the plan is published - one heavy change on the writer: a batch of its
 *      own, after the changes already waiting, writing only what differs - or,
 *      for a job asked to keep it (POST /v1/plans {"publish": false}), stored
 *      as a draft as of then (hw_publish.h), published later by
 *      POST /v1/drafts/{id}/publish.
 * A heavy change runs alone once the changes queued behind it have had a
 * batch (hw_writer.h): an interactive write waits for at most one of them.
 * Progress (elapsed, iterations, best cost, unassigned) comes from the solver's
 * progress callback through atomics; cancelling sets the solve's cancel flag,
 * and the best plan so far is still checked and published (state "cancelled").
 *
 * POST /v1/plans is a write like any other: its job id is reserved first (loop
 * thread), the request is stored as event "plan.requested" (with Idempotency-Key
 * handling: a retry answers the same job id), and only after the commit does the
 * job start; a request that fails or is a replay gives its reservation back.
 *
 * Jobs live in memory (the published rosters and their events are what lasts);
 * the most recent HW_PLANS_KEEP are kept for polling. All functions run on the
 * loop thread.
 */
#ifndef HW_PLANS_H
#define HW_PLANS_H

#include <jansson.h>
#include <stdatomic.h>
#include <uv.h>

#include "hw_clock.h"
#include "hw_config.h"
#include "hw_domain.h"
#include "hw_metrics.h"
#include "hw_service.h"
#include "hw_writer.h"

#define HW_PLANS_KEEP 256

/* One job (opaque; plans.c). */
typedef struct hw_plan_job hw_plan_job;

/* Called on the loop thread when a started job has finished. */
typedef void (*hw_plan_done_fn)(hw_plan_job *j, void *data);

typedef struct hw_plans {
  uv_loop_t *loop;
  const hw_config *cfg;
  const hw_service_settings *settings;
  hw_clock *clock;
  hw_metrics *metrics;
  hw_writer *writer;
  hw_plan_job *jobs[HW_PLANS_KEEP]; /* ring by id % HW_PLANS_KEEP */
  int64_t next_id;
  int running;                     /* started, not finished */
  int solving, max_solving;        /* solves on the pool */
  hw_plan_job *waiting_head, *waiting_tail; /* waiting to solve */
  int closing;                     /* shutting down: nothing new is solved */
  void (*on_finish)(void *data);   /* optional: after any job has finished */
  void *on_finish_data;
} hw_plans;

void hw_plans_init(hw_plans *p, uv_loop_t *loop, const hw_config *cfg, const hw_service_settings *settings,
                   hw_clock *clock, hw_metrics *metrics, hw_writer *writer);
/* Reserve a job (its id) for locality's date with a solve budget, publishing
 * its plan or keeping it as a draft (keep_as_draft). Returns 0 with *out (owned
 * by p; not visible to hw_plans_get until started), HW_EBUSY when HW_PLANS_KEEP
 * jobs are unfinished, or HW_ENOMEM. */
int hw_plans_reserve(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, int keep_as_draft,
                     const char *actor, hw_time now, hw_plan_job **out);
/* Start a reserved job. Its events carry idempotency key `key` (visits:
 * key + "-visits"; NULL: a key of the job's own). done (may be NULL) is called
 * when it has finished. */
void hw_plans_start(hw_plans *p, hw_plan_job *j, const char *key, hw_plan_done_fn done, void *data);
/* Give a reservation back (its request failed, or was answered by a replay). */
void hw_plans_release(hw_plans *p, hw_plan_job *j);
/* The job's id and locality. */
int64_t hw_plan_job_id(const hw_plan_job *j);
hw_id hw_plan_job_locality(const hw_plan_job *j);
/* 1 when it finished with its plan stored: published, or kept as a draft (done, or
 * cancelled with a plan). */
int hw_plan_job_published(const hw_plan_job *j);
int64_t hw_plan_job_solve_ms(const hw_plan_job *j);
/* The started job with this id, or NULL (unknown, reserved, or dropped from the ring). */
hw_plan_job *hw_plans_get(hw_plans *p, int64_t id);
/* Ask the job to stop; returns 0, or HW_ECONFLICT when it has already finished. */
int hw_plans_cancel(hw_plan_job *j);
/* Shutting down: cancel every unfinished job (each still publishes its best plan
 * so far) and solve nothing new. */
void hw_plans_cancel_all(hw_plans *p);
/* Free the jobs (after the loop has stopped). */
void hw_plans_free(hw_plans *p);
/* {"id","locality","date","state","time_limit_s","publish","draft_id","progress":{...},
 * "result":{...}|null}. */
json_t *hw_plan_job_to_json(const hw_plan_job *j);

#endif
