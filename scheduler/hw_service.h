/*
 * The scheduler as the API sees it: one function per endpoint that is more than
 * a record change, so the daemon's handlers stay thin (parse, call one function
 * here, answer) and every policy decision lives in the scheduler.
 *
 * Writes take the store's write handle and run inside the writer's group commit
 * (hw_store_batch_begin); a write made of several events (a discharge request and
 * its offer, an absence and the repairs it triggers) is one change group
 * (hw_store_group_begin): all its events are kept, or none. A retry with the same
 * (actor, idempotency key) is answered without redoing anything (*replayed = 1).
 * Reads take a read-only handle and apply the caller's scope (hw_intake.h).
 *
 * Answers are JSON texts (malloc'd, the caller frees); reasons for a rejection go
 * to errs with the field they concern.
 */
#ifndef HW_SERVICE_H
#define HW_SERVICE_H

#include <jansson.h>

#include "hw_intake.h"
#include "hw_store.h"

/* Declared, not included: the daemon includes this header and its router's
 * hw_route must not meet the solver's (hw_d2a.h and hw_plan.h pull the solver in). */
typedef struct hw_d2a_options hw_d2a_options;   /* hw_d2a.h */
typedef struct hw_plan_params hw_plan_params;   /* hw_plan.h */
typedef struct hw_plan_report hw_plan_report;   /* hw_plan.h */

/* What a write needs besides its own inputs. */
typedef struct hw_service_call {
  const hw_scope *scope;
  const char *actor;             /* the token name (event actor) */
  const char *key;               /* idempotency key, "" = none */
  hw_time now;
  hw_errors *errs;               /* why a change was rejected */
  char *answer;                  /* out: the JSON answer (malloc'd) */
  int32_t replayed;              /* out: 1 when the key had been used */
} hw_service_call;

/* ---- Discharge to assess ------------------------------------------------------------ */

/* The default D2A policy (hw_d2a_options_init), shared read-only. Thread-safe. */
const hw_d2a_options *hw_service_d2a_defaults(void);
/* POST /v1/discharges: store the request (the prepared intake change `in`, logged
 * as ev) and make its D2A offer (hw_d2a_make_offer) in one change group. The answer
 * is the request as stored after the offer plus the offer itself: "status"
 * offered with "start" and "visits" (worker, start, duration per visit), or
 * waiting with "earliest" (or null: nothing within the search horizon) and
 * "reason". Returns 0, or the error of the intake check or of the offer (nothing
 * stored). A replay answers the request's current state. */
int hw_service_discharge_request(hw_store *st, hw_intake *in, const hw_event *ev, const hw_d2a_options *o,
                                 hw_service_call *c);
/* POST /v1/discharges/{id}/accept: hw_d2a_accept (the offer is recomputed, its
 * visits pinned, rosters updated). HW_ECONFLICT (409) when the request is not
 * offered or waiting with a date, or no offer exists any more; HW_ENOTFOUND,
 * HW_EFORBIDDEN. Answer: the request, its referral and visit ids. */
int hw_service_discharge_accept(hw_store *st, hw_id id, const hw_d2a_options *o, hw_service_call *c);
/* POST /v1/discharges/{id}/discharged: hw_d2a_discharged at `at` (same-day
 * discharge is counted by the outcomes). HW_ECONFLICT unless offered or accepted. */
int hw_service_discharge_discharged(hw_store *st, hw_id id, hw_time at, hw_service_call *c);
/* POST /v1/discharges/{id}/cancel: the request is withdrawn (event
 * "discharge.cancelled"); an accepted one also cancels its referral and the visits
 * not yet done, and rewrites the rosters they were on. HW_ECONFLICT once
 * discharged or cancelled. */
int hw_service_discharge_cancel(hw_store *st, hw_id id, hw_service_call *c);

/* ---- Disruptions -------------------------------------------------------------------- */

/* POST /v1/workers/{id}/absences: record the absence (intake change `in`, event
 * ev) and, for each day of it (at most 14) on which the worker has a roster,
 * repair that day (hw_repair). Answer {"absence":{...},"repair":{"changes":[{"visit",
 * "date","from":{"worker","start"},"to":{"worker","start"}}],"unplaced":N}}. */
int hw_service_absence(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c);
/* POST /v1/visits/{id}/check-out: record it (intake change `in`) and, when the
 * visit ended later than planned, repair the rest of the worker's day
 * (hw_repair, late). Answer {"visit":{...},"repair":{...}} as above (no changes
 * when the visit was on time). A replay answers the first answer. */
int hw_service_check_out(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c);

/* ---- Planning -------------------------------------------------------------------- */

/* Plan one locality's day: generate its visits from the care plans, then solve and
 * publish the rosters (hw_plan.h). Keys "<key>-visits" / "<key>" (when key is not
 * empty). Used by POST /v1/plans jobs and the nightly plan alike. Returns as
 * hw_plan_day. */
int hw_service_plan_locality(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *p,
                             const char *actor, const char *key, hw_time now, hw_plan_report *out, char *why,
                             size_t why_len);

/* ---- Reads ------------------------------------------------------------------------- */

/* GET /v1/rosters: {"date","rosters":[{"worker":{id,name,team_id},"visits":[{"visit",
 * "client":{id,name,location},"start","end","travel_seconds","duration","skills",
 * "status"}],"travel_seconds","visit_minutes"}]} for workers of `locality` (0 = every
 * locality in the scope) or just `worker` (0 = all), ordered by worker id; a worker
 * without a roster that day is left out. HW_EFORBIDDEN outside the scope,
 * HW_ENOTFOUND for an unknown worker. */
int hw_service_rosters(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, hw_id worker,
                       json_t **out);
/* GET /v1/discharges?date=: {"date","discharges":[...]} - the requests ready on
 * date (HW_DATE_NONE: every date) that the caller may see (scope and owner),
 * ordered by id. Returns 0 or a store error. */
int hw_service_discharges(hw_store *st, const hw_scope *scope, hw_date date, json_t **out);
/* GET /v1/outcomes: the figures over [from, to] (hw_outcomes_to_json). A scope of
 * every locality replays the event log (hw_outcomes_compute); a scope of some
 * localities computes from the stored records of their clients and workers. */
int hw_service_outcomes(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, json_t **out);
/* GET /v1/availability: the workers of `locality` on shift for all of [start, end)
 * (one day), not absent then, holding every skill of `skills` (bits of hw_skill)
 * valid that day: {"workers":[{"id","name","team_id","free":bool,"gap":{"start",
 * "end"}|null,"visits_in_window":N}]}, free ones first. "free" means their roster
 * leaves the whole window open, travel included. HW_EINVAL (end not after start,
 * or not within one day; reason in errs), HW_EFORBIDDEN. */
int hw_service_availability(hw_store *st, const hw_scope *scope, hw_id locality, hw_time start, hw_time end,
                            uint32_t skills, hw_errors *errs, json_t **out);

#endif
