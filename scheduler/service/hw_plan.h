/*
 * Planning: tomorrow's (or any day's) rosters for one locality, from the store.
 *
 * hw_service_plan_locality (hw_service.h) first stores the day's visits of the
 * locality's allocated referrals that are missing, then plans in two steps that
 * may run on different threads:
 *
 *   solve    (hw_plan_solve: any thread, its own store handle, read-only is
 *            enough) reads the locality and the day in one snapshot, builds the
 *            day's hw_problem (hw_dayplan.h: workers on shift minus absences,
 *            skills valid that day, breaks, travel by each worker's mode, visits
 *            with their priorities, pins, exclusions and preferences, and the
 *            freeze: what has started or starts before now + the freeze margin
 *            stays where it is), warm-starts the solver from the assignments
 *            stored (a stability penalty keeps them unless a change pays), solves
 *            under a time budget (cancellable, with progress) and checks the result
 *            with the independent checker: a draft, or nothing when infeasible;
 *   publish  (hw_plan_publish: the writer) stores the draft in chunks, each
 *            with one "roster.published" event, as of NOW rather than of the
 *            snapshot: each visit is re-read and given its new assignment only
 *            if it is unchanged since the snapshot. A visit changed meanwhile (a
 *            check-in, a cancellation, a pin, a repair) keeps its state; where it
 *            no longer fits beside the plan, the side that gives way - a plan's
 *            visit before a visit under way or pinned, a changed visit that is
 *            neither before the plan's - is left unplaced with the reason
 *            "changed_during_plan", and so is a planned visit whose worker has
 *            since become absent or left. Only the visits and rosters that
 *            differ from what is stored are written, so publishing a re-plan is
 *            a small write. A chunk writes the rosters of a few groups of
 *            workers (about params->publish_chunk visits and roster
 *            lines) and the visits
 *            on them; the workers a visit moves between, and the two of a
 *            double-handed visit, are one group, never split, so between two
 *            chunks every visit is on the rosters its record names.
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
  int32_t publish_chunk;      /* about how much one chunk of the publication writes:
                                 visits and roster lines, a group of workers never
                                 split (HW_PLAN_PUBLISH_CHUNK) */
} hw_plan_params;

#define HW_PLAN_PUBLISH_CHUNK 256

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
  int64_t publish_ms;         /* the publication's chunks, start to end, summed */
  int64_t publish_max_ms;     /* the longest of them */
  int32_t chunks;             /* how many (hw_plan_publish_step) */
  int32_t visits_written;     /* what the publication wrote (what differed) */
  int32_t rosters_written;
  int64_t iterations;
  int32_t feasible;           /* hw_check's verdict (a plan is published only when 1) */
  int64_t event_seq;
  hw_id draft_id;             /* the draft kept (params->draft), else 0 */
  int32_t n_unplaced;         /* == unassigned: every visit not placed, with why */
  hw_plan_unplaced *unplaced; /* malloc'd; hw_plan_report_free */
} hw_plan_report;

void hw_plan_report_free(hw_plan_report *r);

/* A solved day waiting to be published (opaque; plan.c, plan_publish.c). */
typedef struct hw_plan_draft hw_plan_draft;

/* Solve the locality's day on st as described above. Returns 0 with *out (free
 * it with hw_plan_draft_free), HW_EINVAL (the day does not build: the message is
 * in why), HW_EINTERNAL when the checker rejects the solver's answer, or a store
 * or solver error. A cancelled solve drafts the best plan so far. */
int hw_plan_solve(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *params, hw_plan_draft **out,
                  char *why, size_t why_len);
void hw_plan_draft_free(hw_plan_draft *d);

struct hw_change;
/* Publish the draft on st (the writer's handle) as described above, every
 * chunk in one change group (a batch of its own when none is open): events
 * "roster.published" by c->actor at c->now (the first with c->key), with change
 * notes for each worker whose day changed since they were last published.
 * Solved with params->draft, the plan as it would be published now is kept as a
 * draft instead (one event "plan.drafted", out->draft_id; hw_publish.h).
 * Returns 0 with the report (free it), or a store error (nothing stored). */
int hw_plan_publish(hw_store *st, struct hw_change *c, hw_plan_draft *d, hw_plan_report *out);

/* The same, one chunk per call, each its own change group (a batch of its own
 * when none is open), so that the writer can take other changes between them:
 * call again with the same draft and report until *done. The report is whole
 * once done. On an error the chunks before stay stored (each complete; the
 * rest of the day as it was), the report is freed and the draft is done with:
 * free it (a new plan of the day finishes the work). */
int hw_plan_publish_step(hw_store *st, struct hw_change *c, hw_plan_draft *d, hw_plan_report *out, int *done);

#endif
