/*
 * The service: what the daemon's endpoints, its cron and `homeward simulate` call.
 * One function per thing a user does; each takes domain structs and returns
 * domain structs (new ids included): the daemon writes the JSON, the scheduler
 * never parses its own answers.
 *
 * Writes. Every write is one change group (hw_store_group_begin): all of its
 * events are kept, or none. Inside a batch (the daemon's group commit) the group
 * is a savepoint of the batch; outside one (the simulation, the command line)
 * the write opens and commits a batch of its own. Each event carries the records
 * it stored (data/hw_records.h) and the locality they are in. A rejected write
 * returns an error with the reasons in change->errs, naming the field, and stores
 * nothing.
 *
 * The service handle (hw_service) belongs to the one thread that writes (the
 * daemon's writer, or the simulation): it holds that thread's store handle, the
 * settings, and the D2A day cache the offers are computed on.
 *
 * Reads take any store handle (the daemon's read-only one) and the caller's scope.
 */
#ifndef HW_SERVICE_H
#define HW_SERVICE_H

#include <stdint.h>

#include "hw_capacity.h"
#include "hw_codec.h"
#include "hw_d2a.h"
#include "hw_daycache.h"
#include "hw_domain.h"
#include "hw_d2a_forecast.h"
#include "hw_outcomes.h"
#include "hw_pathway.h"
#include "hw_plan.h"
#include "hw_repair.h"
#include "hw_scope.h"
#include "hw_store.h"
#include "hw_store_roster.h"

/* ---- Settings and the handle --------------------------------------------------- */

typedef struct hw_service_settings {
  hw_d2a_options d2a;              /* offers (reserve_minutes included) */
  hw_capacity_options capacity;    /* allocation: the morning round and on arrival */
  hw_pathway_policy pathway;       /* reablement episodes and reviews */
  int32_t horizon_days;            /* visits are generated this many days ahead (14) */
  int32_t room_days;               /* a team "has room" for a referral when it has the
                                      plan's minutes on each of this many days (7) */
  int32_t freeze_minutes;          /* re-planning leaves alone what starts before
                                      now + this (60) */
  int32_t past_days;               /* plausible dates: not before today - past_days (366) */
  int32_t future_days;             /* ... nor after today + future_days (730) */
  int32_t offers_on_arrival;       /* 1: a discharge request is offered at once (the D2A
                                      policy); 0: it waits for the morning round (1) */
  int32_t round_optimised;         /* 1: the morning round is the GLPK model; 0: first
                                      come, first served (1) */
  int32_t reserve_forecast_weeks;  /* the D2A reserve is sized weekly from this many
                                      weeks of discharges (0: the fixed reserve only) (8) */
  hw_d2a_forecast_options forecast; /* how it is sized */
} hw_service_settings;

void hw_service_settings_init(hw_service_settings *s);

typedef struct hw_service hw_service;

/* A service on store handle st (borrowed: it must outlive the service). NULL when
 * out of memory. */
hw_service *hw_service_new(hw_store *st, const hw_service_settings *s);
void hw_service_free(hw_service *svc);
hw_store *hw_service_store(hw_service *svc);
const hw_service_settings *hw_service_get_settings(const hw_service *svc);
/* Forget cached days (a batch that used them was rolled back). */
void hw_service_forget(hw_service *svc);
/* Day-cache loads done and saved (for benchmarks). */
void hw_service_cache_stats(const hw_service *svc, int64_t *loads, int64_t *hits);
/* What the day cache holds, as of the owning thread's last offer: safe to call
 * from any thread (the daemon's /metrics). */
void hw_service_cache_usage(const hw_service *svc, hw_daycache_size *out);

/* Who, when and why of a write. */
typedef struct hw_change {
  const hw_scope *scope;           /* where the caller may act; NULL = everywhere */
  const char *actor;               /* the token name, or "system" */
  const char *key;                 /* idempotency key of the first event, "" = none */
  hw_time now;
  hw_errors *errs;                 /* rejection reasons (NULL: not wanted) */
} hw_change;

/* "Is this date plausible?" - within [today - past_days, today + future_days]. On
 * failure adds "<field>: must be between A and B" to errs and returns HW_EINVAL. */
int hw_service_check_date(const hw_service_settings *s, hw_time now, hw_date d, const char *field, hw_errors *errs);
int hw_service_check_time(const hw_service_settings *s, hw_time now, hw_time t, const char *field, hw_errors *errs);

/* ---- Referrals ------------------------------------------------------------------ */

typedef struct hw_referral_result {
  hw_referral referral;            /* as stored: status allocated (team_id, start_date)
                                      or waiting (waiting_reason, earliest) */
  hw_client client;                /* the inline new client, when one was given (id set) */
  int32_t visits_created;          /* over the planning horizon */
  int32_t visits_cancelled;        /* a change of need: future visits of the old plan */
  hw_repair_report repair;         /* today's and tomorrow's rosters, when touched */
} hw_referral_result;

/* POST /v1/referrals: a new referral (r: client_id or, with client_new, a new
 * client stored first) enters reablement first (intensive when the plan needs
 * complex care or end-of-life skills) and is allocated on arrival to the first
 * team of its kind in the client's locality with room for room_days from its
 * start date, else it waits with a reason and an honest earliest date. Allocated:
 * its visits are generated over the horizon and today's or tomorrow's rosters,
 * when published, are repaired to take them. Errors: HW_EINVAL (dates, client),
 * HW_EFORBIDDEN (scope), HW_ECONFLICT (a CHI number already held). */
int hw_service_referral_create(hw_service *svc, hw_change *c, const hw_referral *r, const hw_client *client_new,
                               hw_referral_result *out);

/* PATCH /v1/referrals/{id}: what may change (care plan, start or end date). A new
 * care plan is a change of need: the referral re-enters reablement (source
 * change_of_need) and is allocated again, its future visits are cancelled and
 * regenerated, and today and tomorrow repaired. */
typedef struct hw_referral_patch {
  int32_t set_care_plan, set_start, set_end;
  int32_t n_templates;
  hw_visit_template templates[HW_MAX_TEMPLATES];
  hw_date start_date, end_date;    /* end_date HW_DATE_NONE: open-ended */
} hw_referral_patch;
int hw_service_referral_change(hw_service *svc, hw_change *c, hw_id id, const hw_referral_patch *p,
                               hw_referral_result *out);

/* The referrals of a CSV import (rows parsed by the daemon), all created or none:
 * each as hw_service_referral_create. out[n] gets each result. */
int hw_service_referral_import(hw_service *svc, hw_change *c, const hw_referral *rs, int32_t n,
                               hw_referral_result *out);

/* ---- Reviews -------------------------------------------------------------------- */

typedef struct hw_review_result {
  hw_review review;                /* as stored (outcome filled in) */
  hw_referral referral;            /* the episode after the review */
  hw_referral next;                /* the ongoing-care referral created (id 0: none),
                                      allocated or waiting */
  int32_t visits_cancelled;        /* visits after the episode's end */
} hw_review_result;

/* POST /v1/referrals/{id}/reviews: hold a review of an allocated reablement
 * episode (hw_pathway.h) on r->date with its finding. The episode continues, or
 * ends with its outcome: its visits after the end are cancelled and, for ongoing
 * need or complex need, an ongoing-care referral (mainstream / intensive, same
 * care plan, from the next day) is created and allocated. HW_ECONFLICT when the
 * referral is not an allocated reablement episode; HW_EINVAL (date before the
 * start, or implausible). */
int hw_service_review(hw_service *svc, hw_change *c, hw_id referral_id, const hw_review *r, hw_review_result *out);

/* ---- Visits and clients (coordinator edits) ------------------------------------- */

typedef struct hw_visit_result {
  hw_visit visit;                  /* as stored after the change */
  hw_repair_report repair;         /* what else moved */
} hw_visit_result;

/* POST /v1/visits: an extra visit (an urgent one) for a client; one today (or on
 * a day whose rosters are published) is repaired in at once. v->client_id,
 * date, window, duration, skills, workers, medication, priority as given. */
int hw_service_visit_create(hw_service *svc, hw_change *c, const hw_visit *v, hw_visit_result *out);

/* PATCH /v1/visits/{id}. */
typedef struct hw_visit_patch {
  int32_t set_pinned, pinned;      /* pin (1) or unpin (0) */
  int32_t set_workers;             /* move to these workers (n 1 or 2) */
  hw_id worker_ids[2];
  int32_t set_start;               /* move to this planned start */
  hw_time planned_start;
  int32_t cancel;                  /* 1: cancel the visit */
} hw_visit_patch;
/* Pin, unpin, move or cancel one visit that has not started. A move is checked
 * against the worker's shift, skills, absences and the client's exclusions, and
 * the visits it collides with are re-placed (repair); a moved visit is pinned.
 * HW_ECONFLICT (started or done; the move is not possible - reason in errs). */
int hw_service_visit_change(hw_service *svc, hw_change *c, hw_id id, const hw_visit_patch *p, hw_visit_result *out);

/* POST /v1/visits/{id}/check-in and /check-out at `at`. A late check-out repairs
 * the rest of the worker's day. */
int hw_service_check_in(hw_service *svc, hw_change *c, hw_id visit_id, hw_time at, hw_visit_result *out);
int hw_service_check_out(hw_service *svc, hw_change *c, hw_id visit_id, hw_time at, hw_visit_result *out);

typedef struct hw_suspend_result {
  hw_client client;
  int32_t visits_changed;          /* suspended (or restored) */
  hw_repair_report repair;         /* rosters freed today */
} hw_suspend_result;
/* POST /v1/clients/{id}/suspend {"from","until"?,"reason"}: the client's visits
 * from `from` (until `until`, or until resumed) are cancelled with reason
 * "suspended", taken off the rosters, and no new ones are generated. */
int hw_service_client_suspend(hw_service *svc, hw_change *c, hw_id client_id, hw_time from, hw_time until,
                              const char *reason, hw_suspend_result *out);
/* POST /v1/clients/{id}/resume {"at"?}: visits suspended from `at` on come back
 * (today's and tomorrow's repaired in), generation resumes. A future `at` ends
 * the suspension then (suspended_until = at); until then the client is away. */
int hw_service_client_resume(hw_service *svc, hw_change *c, hw_id client_id, hw_time at, hw_suspend_result *out);

/* ---- People, teams and absences ---------------------------------------------- */

/* POST /v1/clients, PATCH /v1/clients/{id} (the whole record after the change;
 * locality and CHI checked, a CHI held by another client is HW_ECONFLICT). */
int hw_service_client_save(hw_service *svc, hw_change *c, hw_client *v);
/* POST /v1/workers, PATCH /v1/workers/{id}: the team must be in scope. A worker
 * leaving (active 0) or changing team keeps today's rosters; planning takes it
 * from tomorrow. */
int hw_service_worker_save(hw_service *svc, hw_change *c, hw_worker *v);
/* POST /v1/teams, PATCH /v1/teams/{id}. */
int hw_service_team_save(hw_service *svc, hw_change *c, hw_team *v);

typedef struct hw_absence_result {
  hw_absence absence;
  hw_repair_report repair;         /* the worker's visits moved (first 14 days) */
} hw_absence_result;
/* POST /v1/workers/{id}/absences: record it and repair each day it touches that
 * has a published roster (at most 14). */
int hw_service_absence(hw_service *svc, hw_change *c, hw_absence *a, hw_absence_result *out);

/* ---- Discharge to assess -------------------------------------------------------- */

typedef struct hw_discharge_result {
  hw_discharge discharge;          /* as stored after the change */
  hw_client client;                /* an inline new client (id set), else id 0 */
  int32_t has_offer;               /* the offer below was computed by this call */
  hw_d2a_offer offer;
  hw_referral referral;            /* accept: the referral created (id set) */
  int32_t n_visit_ids;
  hw_id visit_ids[HW_D2A_MAX_VISITS];
  int32_t draft_stale;             /* the offer draft given was out of date: nothing stored */
} hw_discharge_result;

/* POST /v1/discharges: store the request (d: client_id, or client_new) and, with
 * offers_on_arrival, make its offer at once: status offered (a start today) or
 * waiting (earliest date, or none within the search). ready_at and discharged_at
 * plausible; scope->creator recorded as the owner. */
int hw_service_discharge_request(hw_service *svc, hw_change *c, const hw_discharge *d, const hw_client *client_new,
                                 hw_discharge_result *out);
/* Offer again (the cron's sweep; a coordinator's "try again"): a request that is
 * requested or waiting gets a fresh offer. HW_ECONFLICT otherwise. */
int hw_service_discharge_offer(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out);
/* The cron's offers sweep: every request never offered whose person is ready gets
 * its offer (*offered); every request waiting although its person is ready today
 * is tried again and, when a start today has opened up since (a visit cancelled,
 * an absence over, a plan published), becomes offered - "discharge.offered" on
 * the change feed (*upgraded). One still waiting stores nothing. At most 8 are
 * tried a sweep (it runs on the writer), in turns round the waiting list. */
int hw_service_offer_sweep(hw_service *svc, hw_change *c, int32_t *offered, int32_t *upgraded);

/* ---- Offers off the writer ---------------------------------------------------------
 * An offer is milliseconds of search; made on the one writer thread, offers queue
 * behind each other. Instead the search can run anywhere with a store handle of
 * its own (the daemon's thread pool: a read-only handle and a day cache per
 * thread), inside a read snapshot, and the writer then stores the request with
 * that offer in ONE change group, as above - only if nothing the offer relied on
 * has changed since the snapshot (offer_draft.c says what that is). Otherwise
 * nothing is stored and the result says the draft was stale: compute it again
 * from a fresh snapshot, or pass no draft and let the writer compute it (always
 * current, but serialised). */

/* Each new visit's two workers; each moved visit's worker before and after. */
#define HW_OFFER_MAX_CHECKS (2 * HW_D2A_MAX_VISITS + 2 * HW_D2A_MAX_MOVES)
#define HW_OFFER_MAX_NEIGHBOURS 8  /* = HW_LOCDAY_MAX_NEAR */

/* One (worker, date) the offer relies on, with a digest of its state then. */
typedef struct hw_offer_check {
  hw_id worker_id;
  hw_date date;
  uint64_t digest;
} hw_offer_check;

typedef struct hw_offer_draft {
  int64_t seq;                     /* the snapshot's newest event */
  hw_id locality_id;               /* the client's */
  hw_id client_id;                 /* 0: a new client, not stored yet */
  uint64_t client_digest;
  hw_d2a_offer offer;
  int32_t n_checks;
  hw_offer_check checks[HW_OFFER_MAX_CHECKS];
  uint64_t moved_digest;           /* the visits the offer moves, and their clients */
  int32_t n_neighbours;            /* the localities a tier-2 search read too */
  hw_id neighbours[HW_OFFER_MAX_NEIGHBOURS];
} hw_offer_draft;

/* Read-only, on store handle st with day cache `cache` (both this thread's): the
 * offer for a new request (d, client_new as for hw_service_discharge_request) as
 * of c->now, in a snapshot. Returns 0 with *out, the request's errors
 * (HW_ENOTFOUND, HW_EFORBIDDEN, HW_EINVAL: an inline client with no locality, a
 * care plan with more visits than an offer holds) or a store or solver error; the
 * writer's call reports a bad request properly either way. */
int hw_service_offer_draft(hw_store *st, hw_daycache *cache, const hw_service_settings *s, const hw_change *c,
                           const hw_discharge *d, const hw_client *client_new, hw_offer_draft *out);
/* The same for stored request id (offer again). */
int hw_service_offer_draft_stored(hw_store *st, hw_daycache *cache, const hw_service_settings *s,
                                  const hw_change *c, hw_id id, hw_offer_draft *out);
/* hw_service_discharge_request / _offer with the offer from draft (NULL: computed
 * here). A stale draft stores nothing and returns HW_EBUSY with out->draft_stale. */
int hw_service_discharge_request_drafted(hw_service *svc, hw_change *c, const hw_discharge *d,
                                         const hw_client *client_new, const hw_offer_draft *draft,
                                         hw_discharge_result *out);
int hw_service_discharge_offer_drafted(hw_service *svc, hw_change *c, hw_id id, const hw_offer_draft *draft,
                                       hw_discharge_result *out);
/* POST /v1/discharges/{id}/accept: the offer is recomputed as of now and stored -
 * a reablement referral, the first days' visits pinned to the offered workers and
 * times, the rosters rewritten. HW_ECONFLICT (not offered / waiting with a date,
 * or no offer any more). */
int hw_service_discharge_accept(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out);
/* POST /v1/discharges/{id}/discharged: the person left at `at` (not before ready_at,
 * not in the future). HW_ECONFLICT unless offered or accepted. */
int hw_service_discharge_discharged(hw_service *svc, hw_change *c, hw_id id, hw_time at, hw_discharge_result *out);
/* POST /v1/discharges/{id}/cancel: withdrawn; an accepted one's referral and
 * visits not yet done are cancelled and taken off the rosters. */
int hw_service_discharge_cancel(hw_service *svc, hw_change *c, hw_id id, hw_discharge_result *out);

/* ---- The morning round, visits ahead, planning ------------------------------------ */

typedef struct hw_round_report {
  int32_t waiting;                 /* referrals waiting before the round */
  int32_t allocated;               /* ... allocated by it (start today or later) */
  int32_t visits_created;
  int32_t offers;                  /* discharge requests offered again */
  int32_t offered_today;           /* ... with a start today */
  int32_t handed_over;             /* bridged discharges handed over to reablement */
  int64_t cost;                    /* the model's weighted delay (optimised) */
} hw_round_report;
/* The morning allocation round over the whole waiting list: the GLPK capacity
 * model (round_optimised) or first come, first served; then each discharge a
 * team of another kind bridged (it took the person home when reablement had no
 * room) handed over to a reablement team with room from tomorrow; then the
 * waiting discharge requests offered again. One change group per locality. */
int hw_service_allocation_round(hw_service *svc, hw_change *c, hw_round_report *out);
typedef struct hw_reserve_report {
  int32_t localities;              /* localities sized */
  int32_t weeks;                   /* of history used */
  int32_t requests;                /* discharge requests in it */
  double held_minutes_week;        /* reserve held per week, every team */
  double demand_minutes_week;      /* same-day demand at the peaks, mean week */
  double covered_pct;              /* predicted share of that demand held */
} hw_reserve_report;
/* Size the D2A reserve table from the discharge requests ready in the last
 * reserve_forecast_weeks whole weeks before today - fewer when the requests on
 * record cover fewer - (hw_d2a_forecast_size over every locality with a
 * reablement team) and store it: one "reserve.sized" event per locality with its
 * rows. Planning holds the table's minutes (per weekday and peak) from then on
 * instead of the fixed reserve_minutes. Nothing is stored when the record covers
 * less than a week or the forecast is off. Returns 0 or an error. */
int hw_service_size_reserve(hw_service *svc, hw_change *c, hw_reserve_report *out);

/* The D2A reserve each locality's reablement teams hold, per weekday (0 =
 * Monday) and call peak, as planning reads it: the forecast's table, or the fixed
 * reserve where the locality has none (or the forecast is off). */
typedef struct hw_reserve_week {
  hw_id locality_id;
  int32_t from_forecast;           /* 1: sized by the forecast; 0: the fixed reserve */
  int32_t minutes[7][HW_D2A_RESERVE_PEAKS];
} hw_reserve_week;
/* One locality (0 = every one in the caller's scope; a worker's own token is
 * refused). *out malloc'd, ordered by locality. */
int hw_service_reserve_table(hw_store *st, const hw_service_settings *s, const hw_scope *scope, hw_id locality,
                             hw_reserve_week **out, int32_t *n);

/* Generate the visits of every allocated referral up to today + horizon_days
 * (those not yet stored). *created gets how many. */
int hw_service_extend_visits(hw_service *svc, hw_change *c, int32_t *created);

/* POST /v1/plans: record that plan job job_id was asked for (event
 * "plan.requested" of the locality, its note naming the job, the date and the
 * time limit). HW_EINVAL (no such locality, an implausible date: reasons in
 * c->errs), HW_EFORBIDDEN (outside the scope). The job runs after the commit. */
int hw_service_plan_request(hw_service *svc, hw_change *c, hw_id locality_id, hw_date date, int64_t job_id,
                            double time_limit_s);
/* Plan one locality's day on store handle st, all on this thread: generate its
 * missing visits (hw_service_plan_visits, key c->key + "-visits"), solve
 * (hw_service_plan_solve) and publish (hw_plan_publish, key c->key). The
 * simulation and the command line plan so; the daemon runs the three steps on
 * the writer, the thread pool and the writer (daemon/plans.c), the first and
 * the last in steps (hw_service_plan_visits_step, hw_plan_publish_step). */
int hw_service_plan_locality(hw_store *st, const hw_service_settings *settings, hw_id locality_id, hw_date date,
                             const hw_plan_params *p, hw_change *c, hw_plan_report *out, char *why,
                             size_t why_len);
/* Store the day's visits of the locality's allocated referrals that are missing
 * (event "visit.generated"; none when nothing is missing). *created counts them. */
int hw_service_plan_visits(hw_store *st, const hw_service_settings *settings, hw_change *c, hw_id locality_id,
                           hw_date date, int32_t *created);
/* The same a few referrals a call, each call its own change (so the writer
 * takes other changes between them): the referrals after *after, in the order
 * received, until about budget visits (0: HW_PLAN_VISITS_STEP) are stored - a
 * referral's are never split. Call with *after
 * and *created zero, then again until *done; *created adds up. On an error the
 * calls before stay stored (the next plan finds what is still missing). */
#define HW_PLAN_VISITS_STEP 128
typedef struct hw_plan_visits_cursor {
  hw_time received_at;
  hw_id id;
} hw_plan_visits_cursor;
int hw_service_plan_visits_step(hw_store *st, const hw_service_settings *settings, hw_change *c, hw_id locality_id,
                                hw_date date, int32_t budget, hw_plan_visits_cursor *after, int32_t *created,
                                int *done);
/* hw_plan_solve with the freeze of `settings` as of now. */
int hw_service_plan_solve(hw_store *st, const hw_service_settings *settings, hw_id locality_id, hw_date date,
                          const hw_plan_params *p, hw_time now, hw_plan_draft **out, char *why, size_t why_len);

/* ---- Reads ------------------------------------------------------------------------ */

typedef struct hw_roster_line {
  hw_roster_entry entry;
  hw_visit visit;
  hw_client client;
} hw_roster_line;

typedef struct hw_roster_view {
  hw_worker worker;
  int32_t n_lines;
  hw_roster_line *lines;           /* in visiting order */
  int64_t travel_seconds, visit_minutes;
} hw_roster_view;

void hw_roster_views_free(hw_roster_view *v, int32_t n);
/* GET /v1/rosters: the rosters of `locality`'s workers (0 = every locality in
 * scope) or just `worker` (0 = all) on date, ordered by worker id; workers with no
 * roster that day are left out. HW_EFORBIDDEN outside the scope, HW_ENOTFOUND. */
int hw_service_rosters(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, hw_id worker,
                       hw_roster_view **out, int32_t *n);

/* GET /v1/referrals?status=&locality=: referrals of clients in scope, oldest
 * received first (status -1 = any; locality 0 = every one in scope). */
int hw_service_referrals(hw_store *st, const hw_scope *scope, int status, hw_id locality, hw_referral **out,
                         int32_t *n);
/* GET /v1/reviews/due?date=&locality=: allocated reablement episodes whose next
 * review falls on or before date, with that date in due[i]. */
int hw_service_reviews_due(hw_store *st, const hw_service_settings *s, const hw_scope *scope, hw_date date,
                           hw_id locality, hw_referral **out, hw_date **due, int32_t *n);
/* GET /v1/visits?date=&locality=&status=: the day's visits of clients in scope
 * (status -1 = any; unassigned_only: those not rostered, with unplaced_reason). */
int hw_service_visits(hw_store *st, const hw_scope *scope, hw_date date, hw_id locality, int status,
                      int unassigned_only, hw_visit **out, int32_t *n);
/* GET /v1/discharges?date=&status=: requests the caller may see (scope, owner),
 * ready on date (HW_DATE_NONE: any), status -1 = any, ordered by id. */
int hw_service_discharges(hw_store *st, const hw_scope *scope, hw_date date, int status, hw_discharge **out,
                          int32_t *n);
/* Single records within the scope: HW_ENOTFOUND, HW_EFORBIDDEN. */
int hw_service_get_referral(hw_store *st, const hw_scope *scope, hw_id id, hw_referral *out);
int hw_service_get_discharge(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *out);
int hw_service_get_client(hw_store *st, const hw_scope *scope, hw_id id, hw_client *out);
int hw_service_get_worker(hw_store *st, const hw_scope *scope, hw_id id, hw_worker *out);
int hw_service_get_team(hw_store *st, const hw_scope *scope, hw_id id, hw_team *out);
int hw_service_get_visit(hw_store *st, const hw_scope *scope, hw_id id, hw_visit *out);
/* Lists within the scope (locality 0 = every one in scope), ordered by id. */
int hw_service_clients(hw_store *st, const hw_scope *scope, hw_id locality, hw_client **out, int32_t *n);
int hw_service_workers(hw_store *st, const hw_scope *scope, hw_id locality, hw_worker **out, int32_t *n);
int hw_service_teams(hw_store *st, const hw_scope *scope, hw_id locality, hw_team **out, int32_t *n);

/* GET /v1/outcomes: the figures over [from, to] as of now. A scope of every
 * locality replays the event log (hw_service_outcomes_replay); a narrower one
 * computes from the stored records of its clients and workers
 * (hw_service_outcomes_records). Both give the same figures on the same data. */
int hw_service_outcomes(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, hw_time now,
                        hw_outcomes *out);
/* The period asked for, with a missing end (HW_DATE_NONE) filled in the one way
 * the API and the CLI share: neither given, the last four full weeks (Monday to
 * Sunday) before today's week; only to, the four weeks up to it; only from, up to
 * last Sunday, or four weeks when from is later. */
#define HW_OUTCOME_DEFAULT_WEEKS 4
void hw_service_outcome_period(hw_date today, hw_date *from, hw_date *to);
int hw_service_outcomes_replay(hw_store *st, hw_date from, hw_date to, hw_time now, hw_outcomes *out);
int hw_service_outcomes_records(hw_store *st, const hw_scope *scope, hw_date from, hw_date to, hw_time now,
                                hw_outcomes *out);

typedef struct hw_availability {
  hw_worker worker;
  int32_t free;                    /* the whole window is open, travel included */
  hw_time gap_start, gap_end;      /* the largest gap inside it (HW_TIME_NONE: none) */
  int32_t visits_in_window;
} hw_availability;
/* GET /v1/availability: the workers of `locality` on shift for all of [start,
 * end) (one day), not absent, holding every skill of `skills` valid that day,
 * free ones first. HW_EINVAL (reason in errs), HW_EFORBIDDEN. */
int hw_service_availability(hw_store *st, const hw_scope *scope, hw_id locality, hw_time start, hw_time end,
                            uint32_t skills, hw_errors *errs, hw_availability **out, int32_t *n);

/* ==== Drafts, publishing and the workers' own views (publish.c, worker_days.c) ====
 * A plan may be kept as a draft (hw_publish.h) and published later; every publish
 * writes each worker's change notes. A `worker` token (scope->worker) reads its
 * own days and notes; a calendar subscription finds its worker by secret. */

typedef struct hw_draft_view {
  hw_draft draft;
  int32_t n_visits;
  hw_draft_visit *visits;          /* each visit of the day as drafted */
  int32_t n_entries;
  hw_roster_entry *entries;        /* the drafted rosters, by worker and seq */
} hw_draft_view;

void hw_draft_view_free(hw_draft_view *v);
/* GET /v1/drafts?locality=&date=&status=: drafts in scope, newest first
 * (locality 0 = every one in scope, date HW_DATE_NONE = any, status -1 = any). */
int hw_service_drafts(hw_store *st, const hw_scope *scope, hw_id locality, hw_date date, int status, hw_draft **out,
                      int32_t *n);
/* GET /v1/drafts/{id}: HW_ENOTFOUND, HW_EFORBIDDEN. */
int hw_service_draft_get(hw_store *st, const hw_scope *scope, hw_id id, hw_draft_view *out);

typedef struct hw_publish_result {
  hw_draft draft;                  /* after the decision */
  int32_t notes;                   /* change notes written */
  int32_t workers_told;            /* workers with at least one */
} hw_publish_result;
/* POST /v1/drafts/{id}/publish: the draft's assignments and rosters become the
 * live ones, with each worker's change notes. HW_ECONFLICT (reasons in errs) when
 * the draft is not open, or a visit of the day changed or was added since it was
 * drafted (plan again). */
int hw_service_draft_publish(hw_service *svc, hw_change *c, hw_id id, hw_publish_result *out);
/* POST /v1/drafts/{id}/discard: the draft is dropped; nothing live changes. */
int hw_service_draft_discard(hw_service *svc, hw_change *c, hw_id id, hw_publish_result *out);

/* A worker's day around their roster: the shift (first start, last end) and the
 * break, placed at the earliest time of its window that no travel or visit of
 * the day takes (HW_TIME_NONE: no shift, no break, or no room for it). */
typedef struct hw_day_frame {
  hw_time shift_start, shift_end;
  hw_time break_start, break_end;
  int32_t break_minutes;
  hw_time break_window_start, break_window_end;
} hw_day_frame;
void hw_service_day_frame(const hw_worker *w, hw_date date, const hw_roster_line *lines, int32_t n,
                          hw_day_frame *out);

#define HW_WORKER_DAYS_MAX 14
/* One roster view per day from..to (at most HW_WORKER_DAYS_MAX days; an empty day
 * has no lines) of worker_id, within scope (a worker token: only their own).
 * HW_EINVAL (span), HW_ENOTFOUND, HW_EFORBIDDEN. */
int hw_service_worker_days(hw_store *st, const hw_scope *scope, hw_id worker_id, hw_date from, hw_date to,
                           hw_roster_view **out, int32_t *n);
/* GET /v1/me/changes: the caller's change notes with id > after, newest first, at
 * most limit. HW_EFORBIDDEN unless the scope is a worker's own. */
int hw_service_my_changes(hw_store *st, const hw_scope *scope, hw_id after, int32_t limit, hw_roster_note **out,
                          int32_t *n);
/* POST /v1/workers/{id}/calendar-secret: keep hash_hex (the SHA-256 of a new
 * secret the caller made) as the worker's calendar secret, replacing the old. */
int hw_service_calendar_secret(hw_service *svc, hw_change *c, hw_id worker_id, const char *hash_hex);
/* The worker whose calendar secret hashes to hash_hex, or HW_ENOTFOUND. */
int hw_service_calendar_worker(hw_store *st, const char *hash_hex, hw_id *worker_id);
/* Today's (the local date of now) rostered visits in scope (locality 0 = all in
 * scope) that nobody checked in to grace_minutes after their planned start. */
int hw_service_late_visits(hw_store *st, const hw_scope *scope, hw_id locality, hw_time now, int32_t grace_minutes,
                           hw_visit **out, int32_t *n);

#endif
