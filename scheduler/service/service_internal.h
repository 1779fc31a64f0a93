/*
 * What the service's files share (scheduler/service/): the handle, change groups,
 * one event per change carrying its records, and the scope and plausibility
 * checks. Internal names carry a second underscore (hw__svc_...).
 */
#ifndef HW_SERVICE_INTERNAL_H
#define HW_SERVICE_INTERNAL_H

#include <stdatomic.h>

#include "hw_daycache.h"
#include "hw_locday.h"
#include "hw_records.h"
#include "hw_service.h"

struct hw_service {
  hw_store *st;
  hw_service_settings set;
  hw_daycache *cache;                /* the D2A day cache of st */
  /* What the cache holds, for any thread to read (hw_service_cache_usage). */
  atomic_int cache_localities, cache_days;
  atomic_llong cache_bytes;
  hw_id sweep_after;                 /* the offers sweep's last waiting request tried */
};

/* Publish what the day cache holds now (the owning thread, after using it). */
void hw__svc_publish_cache_usage(hw_service *svc);

/* A write's change group: opens a batch first when none is open (*own = 1).
 * hw__svc_end keeps everything when rc == 0 (committing an own batch), undoes it
 * otherwise, and returns rc or the commit's error. */
int hw__svc_begin(hw_store *st, int *own);
int hw__svc_end(hw_store *st, int own, int rc);

/* Fill the records of one change: return 0 or an hw error (the change is undone). */
typedef int (*hw__svc_fn)(hw_store *st, void *ctx, hw_records *rec);
/* Apply one change whose event (type, in locality) carries the records fn
 * collects. The first event of a write takes c->key; the change's later events
 * have none. Returns 0 or fn's / the store's error. */
int hw__svc_apply(hw_store *st, hw_change *c, const char *type, hw_id locality, hw__svc_fn fn, void *ctx);

/* Add "field: reason" to c->errs (when wanted) and return code. */
int hw__svc_reject(hw_change *c, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The client (its locality in scope): 0, HW_ENOTFOUND, HW_EFORBIDDEN. */
int hw__svc_client_in_scope(hw_store *st, const hw_scope *scope, hw_id client_id, hw_client *out);
/* The locality the event of a write for client_id (or the inline client_new)
 * is in: 0 with *locality (0 when there is no such client: the write refuses it
 * itself), or a store error. */
int hw__svc_event_locality(hw_store *st, hw_id client_id, const hw_client *client_new, hw_id *locality);
/* The locality of a worker (through the team). */
int hw__svc_worker_locality(hw_store *st, hw_id worker_id, hw_id *locality);

/* The visits of referral r (client c) on the days from..to that are not stored
 * yet, left out while the client is suspended or when their window closes before
 * not_before (0: no limit), stored and added to rec; *created counts them. */
int hw__svc_generate_visits(hw_store *st, const hw_service_settings *s, const hw_referral *r, const hw_client *c,
                            hw_date from, hw_date to, hw_time not_before, hw_records *rec, int32_t *created);
/* The rosters (worker, date) a change touched, each once, to rewrite at its end. */
typedef struct hw__worker_days {
  hw_id *worker;
  hw_date *date;
  int32_t n, cap;
} hw__worker_days;
/* Add (worker, date) unless there already (worker 0 is ignored). 0 or HW_ENOMEM. */
int hw__worker_days_add(hw__worker_days *s, hw_id worker, hw_date date);
/* Rewrite every roster of the set from its stored visits (hw_locday_rewrite_rosters). */
int hw__worker_days_rewrite(const hw__worker_days *s, hw_locday *l, hw_records *rec);
void hw__worker_days_free(hw__worker_days *s);

/* Cancel (status cancelled with reason) the visits of referral r dated from..to
 * that have not started and whose window is still open at not_before (0: any),
 * taking them off their rosters; *n counts them. */
int hw__svc_cancel_visits(hw_store *st, hw_locday *l, hw_id referral_id, hw_date from, hw_date to,
                          hw_time not_before, const char *reason, hw_records *rec, int32_t *n);

/* Allocation on arrival (allocation.c): allocate r (a new or re-entered referral
 * of client c) to the first team with room, or mark it waiting with a reason and
 * earliest date. Updates *r (not stored). */
int hw__svc_allocate_one(hw_store *st, const hw_service_settings *s, hw_referral *r, const hw_client *c, hw_time now);

/* Place visits already stored into the published rosters of their day (today or
 * tomorrow, as of now) - a repair of kind INSERT per day. Days with no published
 * roster are left to planning. Adds to *report. */
int hw__svc_place_new_visits(hw_store *st, hw_change *c, hw_id locality, const hw_visit *v, int32_t n,
                             hw_repair_report *report);

/* Repair the locality's rosters on date after trigger t (hw_repair.h), adding to
 * *report. HW_EINVAL (a bad trigger; reason in c->errs), HW_ECONFLICT (a move
 * that cannot be honoured; reason in c->errs), or a store or solver error. */
int hw__svc_repair(hw_store *st, hw_change *c, hw_id locality_id, hw_date date, const hw_repair_trigger *t,
                   hw_repair_report *report);

/* A solved day (hw_plan.h): what the solve read, and its plan. */
struct hw_plan_draft {
  hw_id locality_id;
  hw_date date;
  int64_t seq;                       /* the snapshot's newest event */
  hw_locday loc;                     /* workers and clients as read (loc.st NULL) */
  hw_visit *before;                  /* the day's visits as read, ordered by id */
  int32_t n_before;
  hw_visit *after;                   /* the plan: the day's visits with their new
                                        assignments (or why unplaced), by id */
  int32_t n_after;
  int64_t solve_ms, iterations;
  int keep_as_draft;                 /* params->draft: kept as a draft, not published */
  /* A publication in chunks (plan_publish.c): how much each writes; workers
   * changed since the snapshot, checked by the solve's catch-up up to
   * checked_seq; the publication under way. */
  int32_t chunk_budget;              /* params->publish_chunk */
  int64_t checked_seq;
  int workers_changed;
  struct hw__publication *pub;
};

/* After the solve, on its handle: check the events committed meanwhile for
 * changes to the locality's workers (so the publication, on the writer, reads
 * only those after). */
int hw__plan_catch_up(hw_store *st, hw_plan_draft *d);
void hw__plan_publication_free(struct hw__publication *p);

/* hw__svc_apply, also giving the event's seq. */
int hw__svc_apply_seq(hw_store *st, hw_change *c, const char *type, hw_id locality, hw__svc_fn fn, void *ctx,
                      int64_t *seq);

/* Why visits are cancelled (hw_visit.cancel_reason). */
#define HW_CANCEL_BY_HAND "cancelled"
#define HW_CANCEL_SUSPENDED "suspended"
#define HW_CANCEL_PLAN_CHANGED "care_plan_changed"
#define HW_CANCEL_EPISODE_ENDED "episode_ended"
#define HW_CANCEL_DISCHARGE "discharge_cancelled"

/* Events and the rosters they may change (the day cache, offer drafts): 1 when an
 * event of this type may change a roster, worker, absence or visit assignment
 * (all but a discharge requested, offered, waiting or discharged, and a visit's
 * check-in or check-out). */
int hw__svc_event_changes_rosters(const char *type);
/* 1 when it may move a record from one locality to another (its event names only
 * the locality it ends in): a client, worker or team changed. */
int hw__svc_event_crosses_localities(const char *type);
/* 1 when an event (type, of event_locality; 0 = none) may have changed the rosters
 * of locality. */
int hw__svc_event_touches(const char *type, hw_id event_locality, hw_id locality);

/* The discharge request id, checked against the caller: its client's locality in
 * scope and, for an owner-scoped (`discharge`) token, created by that token. */
int hw__svc_scoped_discharge(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *d, hw_client *client);

/* Writer: is offer draft d still what the store allows, client being the
 * request's client as now stored? *current 1 yes, 0 stale. Returns 0 or a store
 * error. */
int hw__svc_draft_current(hw_store *st, const hw_offer_draft *d, const hw_client *client, int *current);

/* 1 when the locality has a published roster on date, 0 when not, or a negative
 * store error (which must not be taken for "not published": the repair that
 * depends on it would be skipped while the change succeeds). */
int hw__svc_day_published(hw_store *st, hw_id locality, hw_date date);

/* The D2A reserve a locality holds on date, per call peak: the forecast's table
 * when the locality has one (hw_service_size_reserve), else the configuration's
 * fixed reserve. *from_forecast (may be NULL) says which. */
int hw__svc_reserve_of_day(hw_store *st, const hw_service_settings *s, hw_id locality, hw_date date,
                           int32_t out[HW_D2A_RESERVE_PEAKS], int *from_forecast);

#endif
