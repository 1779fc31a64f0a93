/*
 * A per-locality, in-memory cache of the days that D2A offers are computed on, so
 * an offer does not reload the locality (its teams, workers, clients, every
 * referral) and the day's absences and visits from SQLite each time.
 *
 * What is cached, per locality: the hw_locday and the hw_day_input of each
 * (date, tier) the offer search has asked for - exactly what the store source of
 * hw_locday.h loads. Validity is tied to the event log, the one record of every
 * change: before each use the cache reads the events appended since it last
 * looked, and any event that may change a roster (anything but a discharge being
 * requested, offered, waiting or discharged) empties it. An event it saw that has
 * since been rolled back (its seq reused by another event) is noticed and empties
 * it too. A discharge whose client was added after the locality was loaded (an
 * inline new client) reloads that locality. So an offer from the cache is the
 * offer the store's rosters allow.
 *
 * A cache belongs to one store handle and one thread at a time (the service's
 * writer); using it with another handle empties it first.
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
 * now. Returns 0 with *out filled, or an error of the store or the solver. */
int hw_daycache_find(hw_daycache *c, hw_store *st, const hw_discharge *d, const hw_client *client, hw_time now,
                     const hw_d2a_options *o, hw_d2a_offer *out);

/* Loads done and loads saved since the cache was made (for benchmarks). */
void hw_daycache_stats(const hw_daycache *c, int64_t *loads, int64_t *hits);

#endif
