/*
 * Planning: tomorrow's (or any day's) rosters for one locality, from the store.
 *
 * hw_service_plan_locality (hw_service.h) first stores the day's visits of the
 * locality's allocated referrals that are missing, then hw_plan_day builds the
 * day's hw_problem (hw_dayplan.h: workers on shift minus absences, skills valid
 * that day, breaks, travel by each worker's mode, visits with their priorities,
 * pins, exclusions and preferences, and the freeze: what has started or starts
 * before now + the freeze margin stays where it is), warm-starts the solver from
 * the assignments already stored (a stability penalty keeps them unless a change
 * pays), solves under a time budget (cancellable, with progress), checks the
 * result with the independent checker and, only if it is feasible, publishes it:
 * every visit's assignment (with the reason for each visit left unplaced) and
 * every worker's roster in one transaction with one "roster.published" event.
 */
#ifndef HW_PLAN_H
#define HW_PLAN_H

#include <stdatomic.h>
#include <stdint.h>

#include "hw_d2a.h"
#include "hw_domain.h"
#include "hw_solver.h"
#include "hw_store.h"

typedef struct hw_plan_params {
  double time_limit_s;        /* solver budget (default 5) */
  int64_t max_iterations;     /* <= 0: none */
  uint64_t seed;              /* (1) */
  int64_t stability_weight;   /* per visit moved from its stored worker (600 = 10 min of travel) */
  hw_progress_fn progress;    /* optional */
  void *progress_user;
  atomic_int *cancel;         /* optional */
  int32_t reserve[HW_D2A_RESERVE_PEAKS]; /* D2A reserve per reablement team at each
                                 call peak left unrostered (hw_d2a_reserve_holds),
                                 0..240 each; all 0 = none (0). hw_service_plan_locality
                                 sets it from the settings or the forecast table */
  hw_time freeze_until;       /* visits started or starting before it stay put, and
                                 nothing is placed before it; 0 = no freeze (0) */
  int32_t draft;              /* 1: keep the plan as a draft (hw_publish.h), publish
                                 nothing; 0: publish at once (0) */
} hw_plan_params;

void hw_plan_params_init(hw_plan_params *p);

typedef struct hw_plan_unplaced {
  hw_id visit_id;
  char reason[24];            /* "no_capacity", "no_skill", "too_late", ... */
} hw_plan_unplaced;

typedef struct hw_plan_report {
  int32_t visits;             /* the day's visits (not cancelled) */
  int32_t assigned, unassigned;
  int32_t workers_used;
  int64_t travel_seconds;
  int64_t solve_ms;
  int64_t iterations;
  int32_t feasible;           /* hw_check's verdict (a plan is published only when 1) */
  int64_t event_seq;
  hw_id draft_id;             /* the draft kept (params->draft), else 0 */
  int32_t n_unplaced;         /* == unassigned: every visit not placed, with why */
  hw_plan_unplaced *unplaced; /* malloc'd; hw_plan_report_free */
} hw_plan_report;

void hw_plan_report_free(hw_plan_report *r);

/* Plan and publish the locality's day as described above, event by actor with
 * idempotency key (may be empty) at now. Returns 0 with the report (free it),
 * HW_EINVAL (the day does not build: the message is in why), HW_EINTERNAL when
 * the checker rejects the solver's answer (nothing published), or a store or
 * solver error (nothing published). A cancelled solve publishes the best so far. */
int hw_plan_day(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *params, const char *actor,
                const char *idempotency_key, hw_time now, hw_plan_report *out, char *why, size_t why_len);

#endif
