/*
 * Capacity allocation: which team starts which waiting request on which day.
 *
 * Requests waiting for a service start - hospital discharges (each day of delay is
 * an occupied bed day) and community referrals or changes of need - compete for the
 * free care minutes of the teams over the next days. This module builds the GLPK
 * model of solver/hw_alloc.h from teams and requests, solves it and turns its
 * decision back into team ids and start dates (scheduler/service/allocation.c
 * does the same from the store and records the decisions on the referrals).
 * hw_capacity_place is the on-arrival rule: the first team with room.
 *
 * Policy encoded here:
 * - Reablement first: a new referral, a change of need and a discharge go to a
 *   reablement team of the person's locality - unless the plan needs complex
 *   care or end-of-life skills, which go to the intensive team; ongoing care
 *   (pathway mainstream or intensive) goes to a team of that kind.
 * - Two nested skill classes: 0 = all the team's care minutes, 1 = the minutes of
 *   its medication-trained (SVQ 3) workers. Minutes are shift minutes times a
 *   productive share (travel, notes and breaks take the rest), minus what current
 *   clients use: every plan uses class 0, a plan with medication visits class 1
 *   too. A new request draws from one class in the model: class 1 when its plan
 *   has medication visits (the scarce pool), else class 0; so within one round a
 *   medication request's minutes are not also taken from class 0 - a small
 *   optimism, corrected at the next round when it is a current client.
 * - Weights per day of delay: discharge 100 (a bed day), change of need 40,
 *   community 20. A request not startable within the horizon is deferred.
 */
#ifndef HW_CAPACITY_H
#define HW_CAPACITY_H

#include <stdint.h>

#include "hw_domain.h"

#define HW_CAP_CLASSES 2
#define HW_CAP_MAX_DAYS 28

typedef struct hw_capacity_options {
  int32_t horizon_days;          /* days planned from day0 (14; at most HW_CAP_MAX_DAYS) */
  int64_t discharge_weight;      /* per day of delay (100) */
  int64_t change_of_need_weight; /* (40) */
  int64_t community_weight;      /* (20) */
  int32_t productive_permille;   /* share of shift minutes that is care (750) */
  double time_limit_s;           /* GLPK budget (2.0) */
} hw_capacity_options;

void hw_capacity_options_init(hw_capacity_options *o);

typedef struct hw_capacity_team {
  int32_t index;                 /* its place in the teams array (for team_ok) */
  hw_id id;
  hw_id locality_id;
  hw_team_kind kind;
  int32_t free_minutes[HW_CAP_MAX_DAYS][HW_CAP_CLASSES]; /* from day0 */
} hw_capacity_team;

typedef struct hw_capacity_request {
  hw_id id;                      /* the caller's id (referral or discharge) */
  hw_id locality_id;
  hw_pathway pathway;            /* reablement for anything new */
  int32_t discharge;             /* 1: a hospital discharge (bed-day weight) */
  hw_referral_source source;
  hw_date earliest;              /* first possible start */
  int32_t daily_minutes;         /* care minutes a day once started */
  int32_t skill_class;           /* 0 general, 1 medication */
  const uint8_t *team_ok;        /* per team (the teams array's order): 0 when the team
                                    cannot deliver the plan at all (nobody with the
                                    skills on shift at its times); NULL = every team */
} hw_capacity_request;

typedef struct hw_capacity_decision {
  hw_id request_id;
  int32_t team;                  /* index into the teams array, -1 = deferred */
  hw_id team_id;                 /* 0 = deferred */
  hw_date start_date;            /* HW_DATE_NONE = deferred beyond the horizon */
} hw_capacity_decision;

typedef struct hw_capacity_summary {
  int32_t requests, started_in_horizon, deferred;
  int64_t cost;                  /* the model's weighted delay */
  int32_t optimal;
} hw_capacity_summary;

/* Average daily care minutes of a care plan (both workers of a double-handed visit)
 * and its class (1 when any visit administers medication). */
void hw_capacity_plan_load(const hw_visit_template *t, int32_t n, int32_t *daily_minutes, int32_t *skill_class);

/* Care minutes of a plan on one weekday (0 = Monday), both workers of a
 * double-handed visit counted. */
int32_t hw_capacity_plan_minutes_on(const hw_visit_template *t, int32_t n, int weekday);

/* 1 when team t may take request r: same locality, the team kind of the
 * request's pathway (reablement, intensive, mainstream), and able to deliver it
 * (r->team_ok). */
int hw_capacity_eligible(const hw_capacity_team *t, const hw_capacity_request *r);

/* The on-arrival rule: the first eligible team (in array order) with the request's
 * daily minutes free in its class on each of `lookahead` days from the first
 * possible day (r->earliest, at least day0). Scans the days of the horizon in
 * order; returns the team's index with *start its first day, or -1 with *start
 * HW_DATE_NONE when no team has room within the horizon. */
int32_t hw_capacity_place(const hw_capacity_options *o, hw_date day0, const hw_capacity_team *teams, int32_t n_teams,
                          const hw_capacity_request *r, int32_t lookahead, hw_date *start);

/* Decide a team and start date (or deferral) for every request over the horizon
 * from day0, at least weighted delay (hw_alloc_solve). decisions[n_requests] is
 * filled in request order; summary may be NULL. Returns 0, HW_EINVAL (bad options
 * or a request's class out of range), HW_ENOMEM, or the solver's error
 * (HW_ETIMEOUT, HW_ESOLVER). */
int hw_capacity_allocate(const hw_capacity_options *o, hw_date day0, const hw_capacity_team *teams,
                         int32_t n_teams, const hw_capacity_request *requests, int32_t n_requests,
                         hw_capacity_decision *decisions, hw_capacity_summary *summary);

/* The care minutes of team (from its workers in p) on date for each class, before
 * subtracting client load: shift minutes minus absence overlap, times productive
 * share; out[0] all workers, out[1] medication-trained workers only. */
void hw_capacity_team_minutes(const hw_partnership *p, hw_id team_id, hw_date date, int32_t productive_permille,
                              int32_t out[HW_CAP_CLASSES]);

#endif
