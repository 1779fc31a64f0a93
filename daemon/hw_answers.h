/*
 * The JSON the API answers with, written from the service's domain structs
 * (scheduler/service/hw_service.h): JSON appears only here, in the request
 * parsers (requests.c) and in the data layer's codecs. Each function returns a
 * new reference, or NULL when out of memory.
 */
#ifndef HW_ANSWERS_H
#define HW_ANSWERS_H

#include <jansson.h>

#include "hw_cron.h"
#include "hw_outcomes.h"
#include "hw_plan.h"
#include "hw_service.h"

/* {"changes":[{"visit","date","from":{"worker","workers","start"}|null,"to":...}],
 *  "unplaced":N, "more_changes":N}. */
json_t *hw_json_repair(const hw_repair_report *r);
/* The referral as stored (status, team or waiting), plus "visits_created",
 * "visits_cancelled", "repair" and, when one was created inline, "client". */
json_t *hw_json_referral_result(const hw_referral_result *r);
/* {"review", "referral", "next_referral" (or null), "visits_cancelled"}. */
json_t *hw_json_review_result(const hw_review_result *r);
/* The visit as stored plus "repair". */
json_t *hw_json_visit_result(const hw_visit_result *r);
/* {"client", "visits_changed", "repair"}. */
json_t *hw_json_suspend_result(const hw_suspend_result *r);
/* {"absence", "repair"}. */
json_t *hw_json_absence_result(const hw_absence_result *r);
/* The discharge request as stored, with its offer when one was made: offered -
 * "start" and "visits"; waiting - "reason" and "why_not_today"; accepted - the
 * "referral_id" and "visit_ids" stored; a new inline client under "client". */
json_t *hw_json_discharge_result(const hw_discharge_result *r);
/* The offered visits: [{"date","start","duration","workers","medication"}]. */
json_t *hw_json_offer_visits(const hw_d2a_offer *of);
/* {"date","rosters":[{"worker":{id,name,team_id},"visits":[...],"travel_seconds",
 * "visit_minutes","shift","break"}]} (hw_answers_roster.h for a line, shift and break). */
json_t *hw_json_rosters(hw_date date, const hw_roster_view *v, int32_t n);
/* The outcome figures: totals, "weeks", and "as_of". */
json_t *hw_json_outcomes(const hw_outcomes *o);
/* {"start","end","workers":[{"id","name","team_id","free","gap","visits_in_window"}]}. */
json_t *hw_json_availability(hw_time start, hw_time end, const hw_availability *a, int32_t n);
/* GET /v1/reserve: per locality, its source and the minutes per weekday and peak. */
json_t *hw_json_reserve(const hw_reserve_week *w, int32_t n);
/* The plan report: counts and "unplaced":[{"visit","reason"}]. */
json_t *hw_json_plan_report(const hw_plan_report *r);
/* {"key":[records...]} of n records of size bytes encoded by enc. */
json_t *hw_json_list(const char *key, const void *items, int32_t n, size_t size, json_t *(*enc)(const void *));

#endif
