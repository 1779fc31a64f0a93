/*
 * A per-locality, in-memory cache of the days that D2A offers are computed on, so
 * an offer does not reload the locality (its teams, workers, clients, every
 * referral) and the day's absences and visits from SQLite each time.
 *
 * What is cached, per locality: the hw_locday and, for each (date, tier) the
 * offer search has asked for, the hw_day_input the store source of hw_locday.h
 * loads and the day prepared for offers from it (hw_d2a_day: the day's solver
 * problem with the current rosters, which each offer only adds its visits to).
 * Validity is tied to the event log, the one record of every change: before
 * each use the cache reads the events appended since it last looked, and an
 * event that may change a roster (anything but a discharge being requested,
 * offered, waiting or discharged, or a visit's check-in or check-out, which
 * move nothing) drops the locality it names - and every cached locality whose
 * tier-2 days, built with its neighbours' rosters, are loaded (events carry their locality; one
 * of no locality, or one that may move a record between localities - a client,
 * worker or team changed - empties the whole cache). An event it saw that has
 * since been rolled back (its seq reused by another event) is noticed and
 * empties it too. The person being discharged need not be among the cached
 * clients (an inline new client is not stored when its offer is drafted): their
 * visits are added with their own address. So an offer from the cache is the
 * offer the store's rosters allow - inside a read snapshot
 * (hw_store_snapshot_begin), the rosters as of that snapshot.
 *
 * Bounded: at most 16 localities and 8 (date, tier) days each (a full locality
 * forgets its oldest day, a full cache its first locality), and prepared days
 * kept up to 32 MB (past it a day is prepared for each try).
 *
 * A cache belongs to one store handle and one thread at a time (the service's
 * writer, or one reader of the daemon's thread pool); using it with another
 * handle empties it first.
 */
#ifndef HW_DAYCACHE_H
#define HW_DAYCACHE_H

#include <stdint.h>

#include "hw_d2a.h"
#include "hw_store.h"

typedef struct hw_daycache hw_daycache;

/* A new, empty cache; NULL when out of memory. */
hw_daycache *hw_daycache_new(void);
void hw_daycache_free(hw_daycache *c);
/* Forget everything (after a change group that used it was rolled back). */
void hw_daycache_reset(hw_daycache *c);

/* hw_d2a_find for discharge request d of client (its locality's day from the
 * cache, loaded when needed): the offer the store's current rosters allow as of
 * now (client->id 0: a client not stored yet). Returns 0 with *out filled, or an
 * error of the store or the solver. */
int hw_daycache_find(hw_daycache *c, hw_store *st, const hw_discharge *d, const hw_client *client, hw_time now,
                     const hw_d2a_options *o, hw_d2a_offer *out);

/* The neighbouring localities whose rosters a tier-2 search of the cached
 * locality reads (hw_locday.h), up to cap of them into out; 0 when the locality is
 * not cached or has none. */
int32_t hw_daycache_neighbours(const hw_daycache *c, hw_id locality_id, hw_id *out, int32_t cap);

/* Loads done and loads saved since the cache was made (for benchmarks). */
void hw_daycache_stats(const hw_daycache *c, int64_t *loads, int64_t *hits);

/* What the cache holds now: localities, (date, tier) days, and the bytes of their
 * records (the arrays; not the allocator's overhead). */
typedef struct hw_daycache_size {
  int32_t localities, days;
  int64_t bytes;
} hw_daycache_size;
void hw_daycache_usage(const hw_daycache *c, hw_daycache_size *out);

#endif
