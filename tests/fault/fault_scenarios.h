/*
 * The service operations the fault tests sweep (fault_driver.h), each a thin
 * set-up plus ONE call of the current scheduler API, made the way the daemon makes
 * it: the request parsed and checked (hw_intake_prepare), then applied on the
 * writer's handle in a batch of its own (hw_store_batch_begin ... commit). When
 * the scheduler API changes, only fault_scenarios.c needs porting.
 */
#ifndef FAULT_SCENARIOS_H
#define FAULT_SCENARIOS_H

#include "fault_driver.h"

/* POST /v1/referrals with an inline new client: client, referral and event. */
extern const fault_scenario fault_referral;
/* POST /v1/discharges on a published day: the request and its D2A offer, one
 * change group (hw_service_discharge_request). */
extern const fault_scenario fault_discharge_request;
/* POST /v1/workers/{id}/absences for a rostered worker: the absence and the
 * repair of their published day, one change group (hw_service_absence). */
extern const fault_scenario fault_absence_repair;
/* Planning a day whose visits are generated: solve (a fixed iteration budget, so
 * every run is the same) and publish every visit and roster (hw_plan_day). */
extern const fault_scenario fault_plan_publication;

#endif
