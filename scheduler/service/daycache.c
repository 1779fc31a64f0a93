/*
 * The D2A day cache (hw_daycache.h): cached localities and days, kept honest by
 * reading the event log's tail before each use.
 */
#include "hw_daycache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_locday.h"

#define CACHE_LOCALITIES 16
#define CACHE_DAYS 8           /* (date, tier) pairs per locality: 2-3 tiers x a few days */
#define LOG_PAGE 64

typedef struct cached_day {
  hw_date date;
  int tier;
  hw_day_input in;
} cached_day;

typedef struct cached_locality {
  hw_locday loc;       /* loc.st is the cache's store */
  int n_days;
  cached_day days[CACHE_DAYS];
} cached_locality;

struct hw_daycache {
  hw_store *st;
  int64_t seq;                 /* the last event seen, 0 = not synchronised */
  char seen_type[48];          /* ... its type and time, to notice a rollback */
  hw_time seen_at;
  int n;
  cached_locality locs[CACHE_LOCALITIES];
  int64_t loads, hits;
};

hw_daycache *hw_daycache_new(void) { return calloc(1, sizeof(hw_daycache)); }

static void drop_locality(cached_locality *l) {
  for (int i = 0; i < l->n_days; i++) hw_locday_day_release(&l->loc, &l->days[i].in);
  hw_locday_free(&l->loc);
  l->n_days = 0;
}

void hw_daycache_reset(hw_daycache *c) {
  for (int i = 0; i < c->n; i++) drop_locality(&c->locs[i]);
  c->n = 0;
  c->seq = 0;
}

void hw_daycache_free(hw_daycache *c) {
  if (!c) return;
  hw_daycache_reset(c);
  free(c);
}

void hw_daycache_stats(const hw_daycache *c, int64_t *loads, int64_t *hits) {
  *loads = c->loads;
  *hits = c->hits;
}

/* Events that change no roster, worker, absence or visit. */
static int harmless(const char *type) {
  static const char *const kinds[] = {"discharge.requested", "discharge.offered", "discharge.waiting",
                                      "discharge.discharged", NULL};
  for (int i = 0; kinds[i]; i++)
    if (strcmp(type, kinds[i]) == 0) return 1;
  return 0;
}

static void remember(hw_daycache *c, const hw_event *e) {
  c->seq = e->seq;
  snprintf(c->seen_type, sizeof c->seen_type, "%s", e->type);
  c->seen_at = e->received_at;
}

/* Start over from the log's end. */
static int restart(hw_daycache *c, hw_store *st) {
  hw_daycache_reset(c);
  c->st = st;
  int64_t n = hw_store_event_count(st);
  if (n < 0) return (int)n;
  hw_event *e = calloc(1, sizeof *e);
  int32_t got = 0;
  int rc = e ? hw_store_events_after(st, n - 1, 1, e, &got) : HW_ENOMEM;
  if (rc == 0 && got == 1) remember(c, e);
  else c->seq = n;
  if (e) hw_event_free_array(e, got);
  free(e);
  return rc;
}

/* Bring the cache up to the log: keep it while only harmless events arrived. */
static int synchronise(hw_daycache *c, hw_store *st) {
  if (c->st != st || c->seq == 0) return restart(c, st);
  hw_event *page = calloc(LOG_PAGE, sizeof *page);
  if (!page) return HW_ENOMEM;
  int32_t got = 0;
  /* The last event seen must still be there: a rolled-back one may have been replaced. */
  int rc = hw_store_events_after(st, c->seq - 1, 1, page, &got);
  int ok = rc == 0 && got == 1 && page[0].seq == c->seq && strcmp(page[0].type, c->seen_type) == 0 &&
           page[0].received_at == c->seen_at;
  hw_event_free_array(page, got);
  while (rc == 0 && ok) {
    rc = hw_store_events_after(st, c->seq, LOG_PAGE, page, &got);
    for (int32_t i = 0; rc == 0 && i < got && ok; i++) {
      ok = harmless(page[i].type);
      remember(c, &page[i]);
    }
    hw_event_free_array(page, got);
    if (got < LOG_PAGE) break;
  }
  free(page);
  if (rc) return rc;
  return ok ? 0 : restart(c, st);
}

static int has_client(const hw_locday *l, hw_id id) {
  int32_t lo = 0, hi = l->n_clients - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (l->clients[mid].id == id) return 1;
    if (l->clients[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/* The cached locality holding client_id, loading it when needed. */
static int locality_for(hw_daycache *c, hw_id locality_id, hw_id client_id, cached_locality **out) {
  cached_locality *l = NULL;
  for (int i = 0; i < c->n && !l; i++)
    if (c->locs[i].loc.locality_id == locality_id) l = &c->locs[i];
  if (l && !has_client(&l->loc, client_id)) drop_locality(l);
  else if (l) {
    *out = l;
    return 0;
  }
  if (!l) {
    if (c->n == CACHE_LOCALITIES) hw_daycache_reset(c);
    l = &c->locs[c->n++];
  }
  c->loads++;
  int rc = hw_locday_load(c->st, locality_id, &l->loc);
  if (rc) {
    *l = c->locs[--c->n]; /* keep the array dense */
    return rc;
  }
  *out = l;
  return 0;
}

/* hw_day_source over a cached locality: loads once per (date, tier), then lends. */
static int cached_load(void *user, hw_date date, int tier, hw_day_input *in) {
  cached_locality *l = user;
  for (int i = 0; i < l->n_days; i++)
    if (l->days[i].date == date && l->days[i].tier == tier) {
      *in = l->days[i].in;
      return 0;
    }
  hw_day_source store;
  hw_locday_source(&l->loc, &store);
  int rc = store.load(store.user, date, tier, in);
  if (rc || l->n_days == CACHE_DAYS) return rc; /* full: lent once, freed by cached_release */
  l->days[l->n_days++] = (cached_day){date, tier, *in};
  return 0;
}

static void cached_release(void *user, hw_day_input *in) {
  cached_locality *l = user;
  for (int i = 0; i < l->n_days; i++)
    if (l->days[i].in.visits == in->visits && l->days[i].in.workers == in->workers) return;
  hw_locday_day_release(&l->loc, in);
}

int hw_daycache_find(hw_daycache *c, hw_store *st, const hw_discharge *d, const hw_client *client, hw_time now,
                     const hw_d2a_options *o, hw_d2a_offer *out) {
  int rc = synchronise(c, st);
  if (rc < 0) return rc;
  int64_t loads = c->loads;
  cached_locality *l = NULL;
  if ((rc = locality_for(c, client->locality_id, client->id, &l)) < 0) return rc;
  hw_day_source store;
  hw_locday_source(&l->loc, &store); /* its tiers: 3 with neighbours */
  hw_day_source src = {cached_load, cached_release, l, store.n_tiers};
  int days_before = l->n_days;
  rc = hw_d2a_find(o, &src, client, d->templates, d->n_templates, d->ready_at, now, out);
  if (loads == c->loads && days_before == l->n_days) c->hits++;
  return rc;
}
