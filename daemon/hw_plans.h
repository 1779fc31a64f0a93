/*
 * Background plan jobs: POST /v1/plans starts one, GET /v1/plans/{id} follows it,
 * DELETE /v1/plans/{id} cancels it.
 *
 * A job plans one locality's day with hw_service_plan_locality (visits from the
 * care plans, then solve and publish) on the libuv thread pool (uv_queue_work),
 * with a store handle of its own, so the loop never waits for a solve and the
 * writer keeps committing. Progress (elapsed, iterations, best cost, unassigned)
 * comes from the solver's progress callback through atomics; cancelling sets the
 * solve's cancel flag, and the best plan so far is still checked and published
 * (state "cancelled"). A job may keep its plan as a draft instead (publish
 * false; hw_publish.h), published later by POST /v1/drafts/{id}/publish. The nightly plan (hw_timers.h) goes through the same
 * scheduler function.
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

#define HW_PLANS_KEEP 256

/* One job (opaque; plans.c). */
typedef struct hw_plan_job hw_plan_job;

typedef struct hw_plans {
  uv_loop_t *loop;
  const hw_config *cfg;
  const hw_service_settings *settings;
  hw_clock *clock;
  hw_metrics *metrics;
  hw_plan_job *jobs[HW_PLANS_KEEP]; /* ring by id % HW_PLANS_KEEP */
  int64_t next_id;
  int running;                     /* queued or running jobs */
} hw_plans;

void hw_plans_init(hw_plans *p, uv_loop_t *loop, const hw_config *cfg, const hw_service_settings *settings,
                   hw_clock *clock, hw_metrics *metrics);
/* Queue a job that publishes its plan. Returns 0 with *out (owned by p), HW_EBUSY when HW_PLANS_KEEP
 * jobs are unfinished, HW_ENOMEM, or HW_EIO when the thread pool refuses it. */
int hw_plans_submit(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, const char *actor,
                    hw_time now, hw_plan_job **out);
/* The same, keeping the plan as a draft instead of publishing it when draft is 1. */
int hw_plans_submit_draft(hw_plans *p, hw_id locality_id, hw_date date, double time_limit_s, const char *actor,
                          hw_time now, int draft, hw_plan_job **out);
/* The job's id and locality. */
int64_t hw_plan_job_id(const hw_plan_job *j);
hw_id hw_plan_job_locality(const hw_plan_job *j);
/* The job with this id, or NULL (unknown, or dropped from the ring). */
hw_plan_job *hw_plans_get(hw_plans *p, int64_t id);
/* Ask the job to stop; returns 0, or HW_ECONFLICT when it has already finished. */
int hw_plans_cancel(hw_plan_job *j);
/* Cancel every unfinished job (shutdown); their work callbacks still complete. */
void hw_plans_cancel_all(hw_plans *p);
/* Free the finished jobs (after the loop has stopped). */
void hw_plans_free(hw_plans *p);
/* {"id","locality","date","state","time_limit_s","publish","draft_id","progress":{...},
 * "result":{...}|null}. */
json_t *hw_plan_job_to_json(const hw_plan_job *j);

#endif
