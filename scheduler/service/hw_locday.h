/*
 * One locality's day as the store holds it: loading the workers, clients and a
 * day's visits that planning, repair and D2A offers work on, and writing rosters
 * back from visits' assignments. Shared by plan.c, repair.c and offers.c.
 */
#ifndef HW_LOCDAY_H
#define HW_LOCDAY_H

#include <stdint.h>

#include "hw_d2a.h"
#include "hw_domain.h"
#include "hw_records.h"
#include "hw_store.h"

#define HW_LOCDAY_MAX_NEAR 8

/* What a locality's teams serve (hw_store_list_served_*): their referrals and
 * visits, wherever the client lives. */
typedef struct hw_locday {
  hw_store *st;
  hw_id locality_id;
  hw_team *teams;     int32_t n_teams;
  hw_worker *workers; int32_t n_workers;   /* every worker of the locality */
  hw_client *clients; int32_t n_clients;   /* served, ordered by id */
  hw_referral *referrals; int32_t n_referrals; /* served, ordered by id */
  /* The neighbouring localities with a reablement team: those whose area touches
   * this one's (centres no further apart than the sum of their radii). Their
   * days are loaded when an offer first reaches tier 2. */
  hw_id near_ids[HW_LOCDAY_MAX_NEAR]; int32_t n_near;
  struct hw_locday *near;                  /* n_near of them once loaded, else NULL */
  hw_client *near_clients; int32_t n_near_clients; /* own and neighbours' served, by id */
} hw_locday;

/* Load the locality's teams and workers, the clients and referrals it serves (to
 * keep each visit with its referral's team), and which localities neighbour it.
 * Returns 0 or a store error. */
int hw_locday_load(hw_store *st, hw_id locality_id, hw_locday *out);
void hw_locday_free(hw_locday *l);

/* A day source (hw_d2a.h) over the store: tier 0 = the locality's reablement
 * workers, tier 1 = all its workers, tier 2 (when it has neighbours) = those and
 * the neighbouring localities' reablement workers with what they serve that day,
 * travel from their own bases counted; absences and the day's visits are read
 * from the store at each load, each visit kept with its referral's team. l must
 * outlive the source. */
void hw_locday_source(hw_locday *l, hw_day_source *src);

/* Load one day for every worker of the locality (the planning view). Free with
 * hw_locday_day_release. */
int hw_locday_day_load(hw_locday *l, hw_date date, hw_day_input *in);
void hw_locday_day_release(hw_locday *l, hw_day_input *in);

/* Rewrite the rosters of workers[0..n) on date from the stored visits assigned to
 * them (ordered by planned start, travel from the worker's base or previous
 * client by the travel model), adding each roster to rec; a worker of another
 * locality (a neighbour's, after a tier-2 offer) is rewritten from what their
 * own locality serves. Call inside a store change. Returns 0 or an error. */
int hw_locday_rewrite_rosters(hw_locday *l, hw_date date, const hw_id *worker_ids, int32_t n, hw_records *rec);
/* The worker of the locality, or of a neighbour once loaded, with this id, or NULL. */
const hw_worker *hw_locday_worker(const hw_locday *l, hw_id id);
/* Load the neighbouring localities' days (done by the tier-2 source on first
 * use; needed before hw_locday_worker can find their workers). 0 or an error. */
int hw_locday_load_near(hw_locday *l);
/* The team of the referral with this id (0 = none, or not of this locality). */
hw_id hw_locday_referral_team(const hw_locday *l, hw_id referral_id);

#endif
