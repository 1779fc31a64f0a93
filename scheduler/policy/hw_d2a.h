/*
 * Discharge to Assess (D2A) slot offers: when can home support start for a person
 * who is ready to leave hospital?
 *
 * The offer algorithm (docs/scheduler.md has the long form):
 *   1. The first candidate day is today (the local date of max(now, ready_at)).
 *   2. For each candidate day and each tier of workers - tier 0 the reablement
 *      teams of the person's locality (reablement first), tier 1 every team of the
 *      locality, tier 2 (when the source has it) those and the reablement
 *      workers of the neighbouring localities - take the CURRENT rosters of that day with every published visit
 *      pinned where it is, and try to insert the new visits of the first
 *      `first_days` days with hw_insert_jobs (cheapest feasible insertion, no
 *      re-solve: milliseconds). On the first day only visits that can start after
 *      max(now, ready_at) + lead time count, and at least one must remain.
 *   3. The first (day, tier) where every one of those visits fits is the offer:
 *      today if at all possible, otherwise the honest earliest date. Skills,
 *      double-handed visits, shifts, breaks, absences, exclusions and hard carer
 *      gender are all honoured by the solver's feasibility checks.
 *   4. Nothing within max_days: no offer; the request waits (bed days accrue until
 *      the person is discharged) and the capacity allocation takes it up.
 * Same-day levers (policy switches in hw_d2a_options, all on by default; each
 * is tried on the first day only when the plain insertion finds no gap, so an
 * offer that fits as it is never changes):
 *   - later_start: start today with what can be done today - drop today's
 *     earliest visits one by one (the person leaves the ward after lunch for the
 *     tea or bedtime call) while at least one visit of today remains;
 *   - widen_minutes: widen today's windows by this much each side, except
 *     medication (prescribed times) and never before the person can be home;
 *   - retime: existing single-handed, non-medication visits may move within
 *     their own windows on their own worker (same worker, same order) to open a
 *     gap; the moves are listed in the offer and stored on acceptance;
 *   - reassign: a bounded repair - up to reassign_max existing visits near the
 *     new ones (single-handed, not pinned, not started, not starting before the
 *     person can be home) are lifted out, the new visits inserted, and the
 *     lifted ones put back on any worker of the tier within their own windows;
 *     it counts only when every one of them finds a place. Also tried on the
 *     later first days (tomorrow), where it is often what makes room.
 * The D2A reserve ("discharge slots", reserve_minutes): reablement worker time
 * kept unrostered at each call peak - morning, tea and bedtime - which planning
 * and insertion do not fill (hw_d2a_reserve_holds gives it as absences for the
 * day build) and which the offer may use (it loads the rosters without them).
 * The offer says why not today (hw_d2a_miss) so a run can be explained.
 * On acceptance (scheduler/service/offers.c) the visits of the first days are
 * stored pinned to the offered workers and times, the rosters of those workers
 * are rewritten, and a reablement referral for the care plan is created, all in
 * one event.
 */
#ifndef HW_D2A_H
#define HW_D2A_H

#include <stdint.h>

#include "hw_dayplan.h"
#include "hw_domain.h"
#include "hw_visits.h"

#define HW_D2A_LEAD_MINUTES 120

typedef struct hw_d2a_options {
  int32_t lead_minutes;   /* ready -> home, before the first visit (HW_D2A_LEAD_MINUTES) */
  int32_t first_days;     /* days of visits that must fit for an offer (2) */
  int32_t max_days;       /* days searched from today (14) */
  int32_t later_start;    /* 1: today may start with a later visit of the plan (1) */
  int32_t widen_minutes;  /* today's non-medication windows may widen this much
                             each side, 0..240 (60) */
  int32_t retime;         /* 1: existing visits may move within their windows (1) */
  int32_t reassign;       /* 1: existing visits may move to another worker (1) */
  int32_t reassign_max;   /* visits lifted out by one reassign attempt, 1..64 (12) */
  int32_t reserve_minutes; /* D2A reserve per reablement team per call peak, 0..240
                              (0: none); see hw_d2a_reserve_holds (60) */
  hw_visit_options visit; /* how templates become visits */
} hw_d2a_options;

void hw_d2a_options_init(hw_d2a_options *o);

/* The call peaks a reserve is held at: morning, centred on 08:30; lunch, 12:30;
 * tea, 17:00; bedtime, 20:30. */
#define HW_D2A_RESERVE_PEAKS 4
#define HW_D2A_RESERVE_SLOT 60
#define HW_D2A_RESERVE_MAX 240
int32_t hw_d2a_peak_minute(int peak);
const char *hw_d2a_peak_name(int peak);

/* The fixed reserve of the configuration (reserve_minutes): that much at the
 * morning, tea and bedtime peaks, none at lunch. The forecast (hw_d2a_forecast.h)
 * sizes every peak instead. */
void hw_d2a_reserve_fixed(int32_t reserve_minutes, int32_t out[HW_D2A_RESERVE_PEAKS]);

/* The D2A reserve of one day. For each team among workers[0..n_workers) (pass the
 * reablement teams' workers) and each call peak p, minutes[p] of worker time in
 * slots of at most HW_D2A_RESERVE_SLOT minutes centred on the peak, each on a
 * different worker who is on shift for the whole slot, clear of their break
 * window and not absent (absences[0..n_absences)). Workers are taken in an order
 * that rotates with the date, so nobody holds the slot every day. A team with too
 * few workers on shift at a peak reserves less there. The holds are absences (id
 * 0, worker, [from, to), reason "d2a_reserve"): planning adds them to the day's
 * absences so construction and insertion leave that time free; the D2A offer
 * loads the day without them, so it may use that time. Writes at most cap holds
 * to out and returns how many, or HW_EINVAL (a minutes[p] outside 0..240, cap < 0). */
int hw_d2a_reserve_holds(const int32_t minutes[HW_D2A_RESERVE_PEAKS], const hw_worker *workers, int32_t n_workers,
                         const hw_absence *absences, int32_t n_absences, hw_date date, hw_absence *out,
                         int32_t cap);

/* A day's rosters built for offers (the day's problem with room for an offer's
 * visits, and the current rosters as a solution): building it is most of an
 * offer's cost, so a source that serves many offers keeps it (the D2A day cache)
 * and each offer only adds its visits, tries them, and takes them out again. */
typedef struct hw_d2a_day hw_d2a_day;

/* Build in's day for offers. It borrows in's arrays: in must outlive it.
 * Returns 0, HW_EINVAL (the day does not build) or HW_ENOMEM. */
int hw_d2a_day_prepare(const hw_day_input *in, hw_d2a_day **out);
void hw_d2a_day_free(hw_d2a_day *d);
/* The memory it holds (its travel matrices, mostly). */
int64_t hw_d2a_day_bytes(const hw_d2a_day *d);

/* Where the current rosters of a day come from (the store, or the simulation).
 * load fills in with the workers of `tier` (0 reablement of the locality, 1 every
 * team of the locality, 2 those and the neighbouring localities' reablement
 * workers), their absences, the locality's clients (including the
 * person being discharged) and the day's visits with their assignments; release
 * frees what load allocated. load returns 0 or a negative hw error. */
typedef struct hw_day_source {
  int (*load)(void *user, hw_date date, int tier, hw_day_input *in);
  void (*release)(void *user, hw_day_input *in);
  void *user;
  int32_t n_tiers;        /* 1 to 3 */
} hw_day_source;

/* Days already prepared for offers (a cache of them): get lends the day of
 * (date, tier), put takes it back when the try is over. */
typedef struct hw_d2a_days {
  int (*get)(void *user, hw_date date, int tier, hw_d2a_day **out);
  void (*put)(void *user, hw_d2a_day *day);
  void *user;
  int32_t n_tiers;        /* 1 to 3 */
} hw_d2a_days;

#define HW_D2A_MAX_VISITS 64
#define HW_D2A_MAX_MOVES 64

/* Why an offer does not start today (the first one met, tiers tried in order). */
typedef enum hw_d2a_miss {
  HW_D2A_MISS_NONE = 0,    /* it starts today */
  HW_D2A_MISS_TOO_LATE,    /* no visit of the plan can start today after the lead time */
  HW_D2A_MISS_SKILL,       /* no worker on shift today holds a visit's skills */
  HW_D2A_MISS_GAP_TODAY,   /* today's visits find no gap in the rosters */
  HW_D2A_MISS_GAP_LATER,   /* today's fit, but a later first day's do not */
  HW_D2A_MISS_COUNT
} hw_d2a_miss;

const char *hw_d2a_miss_name(hw_d2a_miss m);

/* Kinds of the visits that found no gap today (bits of hw_d2a_offer.miss_visits). */
enum {
  HW_D2A_VISIT_DOUBLE = 1u << 0,     /* double-handed */
  HW_D2A_VISIT_MEDICATION = 1u << 1,
  HW_D2A_VISIT_MORNING = 1u << 2,    /* window opens before 11:00 */
  HW_D2A_VISIT_MIDDAY = 1u << 3,     /* 11:00-16:00 */
  HW_D2A_VISIT_EVENING = 1u << 4     /* from 16:00 */
};

/* An existing visit moved by the offer: a new start (retime) and perhaps another
 * worker (reassign). */
typedef struct hw_d2a_move {
  hw_id visit_id;
  hw_date date;
  hw_time planned_start;
  hw_id worker_id;                /* who serves it afterwards */
} hw_d2a_move;

typedef struct hw_d2a_offer {
  int32_t found;                  /* 1: an offer within max_days */
  hw_date start_date;             /* HW_DATE_NONE when not found */
  hw_time first_visit;            /* planned start of the first visit */
  int32_t tier;                   /* tier of the workers offered */
  int32_t days_tried;
  int32_t n_visits;
  hw_visit visits[HW_D2A_MAX_VISITS]; /* the first days' visits with workers and planned
                                         starts (ids 0, status ASSIGNED, pinned) */
  char reason[160];               /* why not today (or not at all) */
  hw_d2a_miss miss;               /* why not today, HW_D2A_MISS_NONE when today */
  uint32_t miss_visits;           /* HW_D2A_VISIT_* of today's visits without a gap */
  int32_t lever;                  /* which lever made today possible: 0 none needed,
                                     HW_D2A_LEVER_* bits, or-ed */
  int32_t n_moved;
  hw_d2a_move moved[HW_D2A_MAX_MOVES]; /* existing visits re-timed (retime) */
} hw_d2a_offer;

#define HW_D2A_LEVER_LATER 1
#define HW_D2A_LEVER_WIDEN 2
#define HW_D2A_LEVER_RETIME 4
#define HW_D2A_LEVER_REASSIGN 8

/* Find the offer for `client` with care plan t[0..n) ready at ready_at, as of now.
 * Returns 0 with *out filled (found or not), HW_EINVAL (bad templates or more
 * first-days visits than HW_D2A_MAX_VISITS), or an error from the source or the
 * solver. */
int hw_d2a_find(const hw_d2a_options *o, const hw_day_source *src, const hw_client *client,
                const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out);
/* The same on days already prepared (each day of src above is prepared per try). */
int hw_d2a_find_in(const hw_d2a_options *o, const hw_d2a_days *days, const hw_client *client,
                   const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out);

#endif
