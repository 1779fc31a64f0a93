/*
 * The service operations the fault tests sweep (fault_driver.h), each a thin
 * set-up plus ONE call of the service API (scheduler/service/hw_service.h),
 * made the way the daemon makes it: a write runs on the writer's handle, which
 * keeps its hw_service (and day cache) from one request to the next, inside the
 * writer's batch (daemon/writer.c: begin, the call, commit); the plan runs as a
 * plan job does, on a handle of its own with no batch. When the service API
 * changes, only fault_scenarios.c needs porting.
 */
#ifndef FAULT_SCENARIOS_H
#define FAULT_SCENARIOS_H

#include "fault_driver.h"

/* POST /v1/referrals with an inline new client, on a day whose rosters are
 * published: the client and referral stored, allocated to a team on arrival,
 * its visits over the horizon generated and today's repaired into the rosters
 * (hw_service_referral_create). */
extern const fault_scenario fault_referral;
/* POST /v1/discharges on a published day: the request and its D2A offer, one
 * change group (hw_service_discharge_request with offers_on_arrival). */
extern const fault_scenario fault_discharge_request;
/* POST /v1/workers/{id}/absences for a rostered worker: the absence and the
 * repair of their published day, one change group (hw_service_absence). */
extern const fault_scenario fault_absence_repair;
/* PATCH /v1/visits/{id} {"worker_ids":[W]} on a published day: a coordinator
 * gives a rostered afternoon visit to the other reablement worker at the same
 * time; it is pinned there and the visits in its way on their roster are
 * re-placed, one change (hw_service_visit_change, a move). */
extern const fault_scenario fault_reassignment;
/* POST /v1/discharges when every worker of the client's locality is off sick
 * today and a neighbouring locality (areas touching, a reablement team, Monday
 * published with room) is not: the request and its tier-2 offer with the
 * neighbour's worker, one change group. Its run fails a success whose offer is
 * anything else. */
extern const fault_scenario fault_discharge_next_door;
/* POST /v1/discharges/{id}/accept of that tier-2 offer: the referral on the
 * neighbour's team, the visits on their worker and the worker's roster - of
 * another locality - rewritten, one event (hw_service_discharge_accept). */
extern const fault_scenario fault_accept_next_door;
/* The weekly cron job that sizes the D2A reserve from three weeks of discharge
 * history with the GLPK model and stores the locality's table, one event
 * (hw_cron_run HW_CRON_RESERVE, hw_service_size_reserve). */
extern const fault_scenario fault_reserve_sizing;
/* A plan job: the day's missing visits generated (a change of its own, the
 * scenario's first_change), then solved with a fixed iteration budget (so every
 * run is the same) and every visit and roster published
 * (hw_service_plan_locality). */
extern const fault_scenario fault_plan_publication;

/* The first three and the reassignment as HTTP requests to the daemon's
 * handlers, without the socket (daemon/server.c's write path: the JSON body parsed and checked by the
 * handler, then hw_action_apply on the writer: the service call, the answer
 * written and kept with the request's Idempotency-Key). The bodies are those of
 * docs/api.md. */
extern const fault_scenario fault_referral_http;
extern const fault_scenario fault_discharge_http;
extern const fault_scenario fault_absence_http;
/* The reassignment's body also says "pinned":false: the moved visit is left
 * free, a second change (visit.changed) in the request's group. */
extern const fault_scenario fault_reassignment_http;

/* Leave at path the store a scenario's run makes from its prepared one, faults
 * off (a starting point for the sweeps of reads). */
void fault_scenario_store(const fault_scenario *s, const char *path);

/* The event types a scenario's run appends to its prepared store, faults off,
 * joined by spaces into buf ("discharge.requested discharge.offered"): what the
 * operation really does, so a sweep is known to cover it. */
void fault_scenario_events(const fault_scenario *s, char *buf, size_t len);

#endif
