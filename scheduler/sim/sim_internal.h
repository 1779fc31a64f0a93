/*
 * What the simulation's files share (scheduler/sim/): the run's state, the
 * demand's timed actions, and the steps each file provides. The simulation owns
 * the clock, the demand and the report; everything else is a call into the
 * service (hw_service.h, hw_cron.h) on the run's own store.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stdint.h>

#include "hw_cron.h"
#include "hw_service.h"
#include "hw_simulate.h"

/* The demand's actions, in the order they run when due at the same instant. */
typedef enum sim_action_kind {
  SIM_ACT_DISCHARGED = 0,        /* a person leaves hospital (scheduled on acceptance) */
  SIM_ACT_ABSENCES,              /* 07:00: the day's sickness is recorded */
  SIM_ACT_REVIEWS,               /* 09:00: the coordinator holds the reviews due */
  SIM_ACT_D2A,                   /* a person is ready: the discharge request */
  SIM_ACT_REFERRAL,              /* a community referral arrives */
  SIM_ACT_KIND_COUNT
} sim_action_kind;

typedef struct sim_action {
  hw_time at;
  int32_t kind;                  /* sim_action_kind */
  int32_t index;                 /* into the stream of its kind (or the day) */
} sim_action;

/* One D2A request of the stream and what became of it. */
typedef struct sim_d2a {
  hw_discharge d;                /* as generated (ready_at, client, support needed) */
  hw_id id;                      /* the store's id once requested, 0 before */
  hw_time discharged_at;         /* HW_TIME_NONE until discharged */
  int32_t miss;                  /* hw_sim_miss on the ready day, -1 = none known */
  uint32_t miss_visits;          /* the arrival offer's HW_D2A_VISIT_* bits */
  int32_t refused;               /* 1: an acceptance was refused (the offer no longer held) */
} sim_d2a;

/* One community referral of the stream. */
typedef struct sim_referral {
  hw_time at;
  int32_t generator_ref;         /* index of the generator's referral it borrows from */
  hw_id id;                      /* the store's id once sent, 0 before */
  hw_date started;               /* its allocated start, HW_DATE_NONE while waiting */
} sim_referral;

typedef struct sim {
  const hw_sim_options *o;
  hw_sim_result *res;
  hw_partnership P;              /* the generated partnership (its discharges moved out) */
  hw_date start;
  int32_t days;
  hw_time end;                   /* midnight after the last day */
  char db_path[512];
  int32_t remove_db;             /* 1: a temporary store, removed at the end */
  hw_store *st;
  hw_service *svc;
  hw_service_settings set;
  hw_cron_settings cron;
  hw_plan_params plan;
  hw_cron_cursor cron_at;        /* how far the cron jobs have run */
  sim_d2a *d2a;
  int32_t n_d2a;
  sim_referral *refs;
  int32_t n_refs, first_waiting; /* refs[0..first_waiting) have all started */
  sim_action *acts;              /* the demand known in advance, by time */
  int32_t n_acts;
  sim_action *due;               /* discharges scheduled, unordered */
  int32_t n_due, cap_due;
  hw_id *workers;                /* every worker's id (sickness) */
  int32_t n_workers;
  hw_errors errs;                /* the reasons of the last call's rejection */
  int32_t weeks_reported;        /* progress lines written */
  int64_t t0_ms;                 /* when the run started (monotonic) */
} sim;

/* ---- Deterministic randomness (sim_demand.c) ------------------------------------- */

/* A uniform number in [0, 1000) from a seed and two keys: the same (seed, a, b)
 * always gives the same draw, whatever order the simulation asks in. */
int32_t sim_draw(uint64_t seed, uint64_t a, uint64_t b);

/* ---- Set-up (sim_setup.c) ----------------------------------------------------------- */

/* Generate the partnership of the options (third teams included), take its D2A
 * stream out into s->d2a, open the run's store and save the partnership into it,
 * and start the service with the policy's settings. Returns 0 or an error. */
int sim_setup(sim *s);
/* Close the store (removing a temporary one) and free the set-up's memory. */
void sim_teardown(sim *s);

/* ---- Demand (sim_demand.c) ---------------------------------------------------------- */

/* The community referral stream and every timed action of the run, by time. */
int sim_demand_build(sim *s);

/* ---- People outside the service (sim_people.c) ------------------------------------- */

/* The hospital: ask for a start for D2A request i (now = its ready time). */
int sim_request_discharge(sim *s, int32_t i, hw_time now);
/* The hospital: accept every offered request as of now and book each person's
 * transport home. */
int sim_accept_offered(sim *s, hw_time now);
/* The hospital: the person of D2A request i leaves at `at`. */
int sim_discharge(sim *s, int32_t i, hw_time at);
/* A community referral arrives (now = its time). */
int sim_send_referral(sim *s, int32_t i, hw_time now);
/* Note the community referrals that have started since the last look. */
int sim_note_started(sim *s);
/* The coordinator, each morning: the day's sickness, and the reviews due. */
int sim_record_sickness(sim *s, hw_date day, hw_time now);
int sim_hold_reviews(sim *s, hw_date day, hw_time now);

/* ---- Report (sim_collect.c) --------------------------------------------------------- */

/* Fill s->res from the store (the service's outcome figures) and the run's notes. */
int sim_collect(sim *s);

/* Say what failed: "<step> at <time>: <error>" into s->res->error. Returns rc. */
int sim_fail(sim *s, int rc, const char *step, hw_time at);

#endif
