/*
 * One day of rosters in the solver's terms: the bridge between the domain (workers,
 * absences, clients, visits) and hw_problem.h, shared by planning, repair, the D2A
 * offer and the simulation.
 *
 * Mapping:
 * - Time: ticks are seconds since local midnight of the date (hw_local_to_time), so
 *   a clock-change day is 23 or 25 hours long and every tick is a real second.
 * - Resources: one per worker shift that day, minus absences (an absence in the
 *   middle of a shift splits it in two resources; one that covers it removes it).
 *   Breaks come from the shift. Skills are those valid on the date; a worker's
 *   gender is carried as an extra skill bit so that a client's hard carer-gender
 *   requirement is a skill the job requires; likewise the worker's team (one bit
 *   per team of the day) when a visit must stay with its referral's team.
 *   Travel profile = the worker's mode.
 * - Locations: one per worker on shift (each of its resources starts and ends at
 *   that worker's base), then one per client address with visits that day (a
 *   house's visits share it, so the matrices stay small). Travel matrices by
 *   data/hw_travel.h, one per mode.
 * - Jobs: one per visit; a client's excluded workers are hard exclusions, preferred
 *   workers soft preferences. Commitments (see hw_day_pin_mode) are pinned to their
 *   worker and planned start; a double-handed commitment becomes two single pinned
 *   jobs, one per worker, so both workers' time stays blocked.
 * - The freeze: a visit that has started (checked in or done) or is rostered to
 *   start before freeze_until is a commitment whatever the pin mode, so
 *   re-planning never moves what is under way or about to be; a visit that is
 *   free to move may not start before freeze_until, and one whose window closes
 *   before it is left out (visit_too_late).
 */
#ifndef HW_DAYPLAN_H
#define HW_DAYPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "hw_domain.h"
#include "hw_problem.h"

typedef enum hw_day_pin_mode {
  HW_DAY_PIN_MARKED = 0,   /* only visits with pinned = 1 are fixed (planning) */
  HW_DAY_PIN_ASSIGNED      /* every visit with workers and a planned start is fixed
                              (the rosters as published: D2A offers, repair) */
} hw_day_pin_mode;

/* What one day is built from (borrowed). Visits of other dates are ignored;
 * clients are looked up by id for location and preferences. */
typedef struct hw_day_input {
  hw_date date;
  const hw_worker *workers;   int32_t n_workers;
  const hw_absence *absences; int32_t n_absences;
  const hw_client *clients;   int32_t n_clients;
  const hw_visit *visits;     int32_t n_visits;
  const hw_id *visit_team;    /* per visit: only workers of this team may serve it
                                 (0 = any); NULL = no team restriction at all */
  hw_day_pin_mode pin_mode;
  hw_time freeze_until;       /* see "The freeze" above; 0 or HW_TIME_NONE = none */
} hw_day_input;

#define HW_SKILL_BIT_FEMALE HW_SKILL_COUNT        /* carer-gender bits after the skills */
#define HW_SKILL_BIT_MALE (HW_SKILL_COUNT + 1)
#define HW_SKILL_BIT_TEAM0 (HW_SKILL_COUNT + 2) /* team bits follow, up to bit 63 */

typedef struct hw_day_problem {
  hw_problem p;
  hw_date date;
  hw_time day0;                /* instant of tick 0 */
  int32_t *res_worker;         /* resource -> index into input workers */
  int32_t *job_visit;          /* job -> index into input visits */
  int32_t *job_part;           /* job -> 0, or 1 for the second worker of a split commitment */
  int32_t *visit_job;          /* input visit -> its (first) job, -1 if not in the day */
  int32_t n_input_visits;
  uint8_t *job_fixed;          /* job -> 1 when it is a pinned commitment */
  uint8_t *visit_unskilled;    /* input visit -> 1 when no resource of the day holds its
                                  skills: left out of the problem (reason no_skill) */
  uint8_t *visit_too_late;     /* input visit -> 1 when its window closes before the
                                  freeze: left out (reason too_late) */
  hw_time freeze_until;        /* as built (0: none); added visits honour it too */
  hw_geo *points;              /* location -> where */
  int32_t base_jobs;           /* the jobs of the input's visits */
  int32_t room;                /* jobs hw_day_add_visits may add (at the last location) */
} hw_day_problem;

/* Build the day. A visit whose client is unknown is an error (HW_EINVAL, with
 * "visits[i].client_id: unknown client" in msg), as is a problem that fails
 * hw_problem_validate. A visit whose skills no resource holds is left out and
 * flagged in visit_unskilled, one too late for the freeze in visit_too_late.
 * Returns 0, HW_EINVAL, HW_ENOMEM. */
int hw_day_build(const hw_day_input *in, hw_day_problem *out, char *msg, size_t msg_len);
void hw_day_free(hw_day_problem *d);

/* The same with room for `room` more visits of one client (a D2A offer's), added
 * and dropped again without building the day anew: one extra location (their
 * home) and room more jobs, unused until hw_day_add_visits. */
int hw_day_build_with_room(const hw_day_input *in, int32_t room, hw_day_problem *out, char *msg, size_t msg_len);
/* Add visits v[0..n) of client c (not input visits: job_visit -1) as free jobs at
 * the extra location, c's home, its travel to every location computed now.
 * *first_job gets the first one's index; unskilled[i] = 1 when no resource of the
 * day holds visit i's skills (and hard carer gender). HW_EINVAL when n > room.
 * The problem is the built one again after hw_day_drop_added. */
int hw_day_add_visits(hw_day_problem *d, const hw_client *c, const hw_visit *v, int32_t n, int32_t *first_job,
                      uint8_t *unskilled);
void hw_day_drop_added(hw_day_problem *d);

/* The rosters as they stand: a solution in which every fixed job is inserted at
 * its pin (hw_insert_jobs) and every other job is unassigned. s must be
 * initialised. Returns 0 or a solver error. */
int hw_day_current_solution(const hw_day_problem *d, hw_solution *s);
/* The same with the fixed jobs flagged in left_out[job] (may be NULL) unassigned
 * too: the rosters with those commitments lifted out. */
int hw_day_current_solution_without(const hw_day_problem *d, const uint8_t *left_out, hw_solution *s);

/* Where job j is served in s: resource index and start tick of the k-th worker
 * (k = 0, 1). Returns 1 when found, 0 when the job is unassigned. */
int hw_day_job_placement(const hw_solution *s, int32_t job, int32_t k, int32_t *resource, hw_tick *start);

#endif
