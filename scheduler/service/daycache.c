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
#include "service_internal.h"

#define CACHE_LOCALITIES 16
#define CACHE_DAYS 8           /* (date, tier) pairs per locality: 2-3 tiers x a few days */
#define LOG_PAGE 64
/* Days prepared for offers are kept up to this many bytes per cache (their travel
 * matrices: about 1 MB for a locality's reablement tier, 10-20 MB for all of a
 * big locality's workers); beyond it a day is prepared for each try. */
#define PREPARED_BUDGET_BYTES (32ll << 20)

typedef struct cached_day {
  hw_date date;
  int tier;
  hw_day_input in;
  hw_d2a_day *prepared;        /* built from in when first asked for; NULL: not kept */
} cached_day;

typedef struct cached_locality {
  hw_locday loc;       /* loc.st is the cache's store */
  int n_days;
  cached_day days[CACHE_DAYS];
} cached_locality;

struct hw_daycache {
  hw_store *st;
  int synced;                  /* seq says where the cache is in the log */
  int64_t seq;                 /* the last event seen, 0 = none (an empty log) */
  char seen_type[48];          /* ... its type and time, to notice a rollback */
  hw_time seen_at;
  int n;
  cached_locality locs[CACHE_LOCALITIES];
  int64_t loads, hits;
};

hw_daycache *hw_daycache_new(void) { return calloc(1, sizeof(hw_daycache)); }

static void drop_day(cached_locality *l, cached_day *d) {
  hw_d2a_day_free(d->prepared); /* before the input it borrows from */
  hw_locday_day_release(&l->loc, &d->in);
}

static void drop_locality(cached_locality *l) {
  for (int i = 0; i < l->n_days; i++) drop_day(l, &l->days[i]);
  hw_locday_free(&l->loc);
  l->n_days = 0;
}

void hw_daycache_reset(hw_daycache *c) {
  for (int i = 0; i < c->n; i++) drop_locality(&c->locs[i]);
  c->n = 0;
  c->seq = 0;
  c->synced = 0;
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

static void drop_at(hw_daycache *c, int i) {
  drop_locality(&c->locs[i]);
  c->locs[i] = c->locs[--c->n]; /* keep the array dense */
}

/* 1 when event e may have changed a roster the cached locality's days were
 * built from: its own, or, once a tier-2 search has loaded them, a neighbouring
 * locality's. */
static int touches(const hw_event *e, const hw_locday *l) {
  if (hw__svc_event_touches(e->type, e->locality_id, l->locality_id)) return 1;
  for (int32_t k = 0; l->near && k < l->n_near; k++)
    if (hw__svc_event_touches(e->type, e->locality_id, l->near_ids[k])) return 1;
  return 0;
}

/* Forget what event e may have changed: the localities it touches, or everything. */
static void invalidate(hw_daycache *c, const hw_event *e) {
  for (int i = c->n - 1; i >= 0; i--)
    if (touches(e, &c->locs[i].loc)) drop_at(c, i);
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
  int64_t last = hw_store_last_seq(st); /* not count(*): that reads the whole log */
  if (last < 0) return (int)last;
  hw_event *e = calloc(1, sizeof *e);
  int32_t got = 0;
  int rc = e ? hw_store_events_after(st, last - 1, 1, e, &got) : HW_ENOMEM;
  if (rc == 0 && got == 1) remember(c, e);
  c->synced = rc == 0;
  if (e) hw_event_free_array(e, got);
  free(e);
  return rc;
}

/* Bring the cache up to the log, dropping the localities of the events that may
 * have changed their rosters. */
static int synchronise(hw_daycache *c, hw_store *st) {
  if (c->st != st || !c->synced) return restart(c, st);
  hw_event *page = calloc(LOG_PAGE, sizeof *page);
  if (!page) return HW_ENOMEM;
  int32_t got = 0;
  int rc = 0, ok = 1;
  if (c->seq > 0) { /* the last event seen must still be there: a rolled-back one may have been replaced */
    rc = hw_store_events_after(st, c->seq - 1, 1, page, &got);
    ok = rc == 0 && got == 1 && page[0].seq == c->seq && strcmp(page[0].type, c->seen_type) == 0 &&
         page[0].received_at == c->seen_at;
    hw_event_free_array(page, got);
  }
  while (rc == 0 && ok) {
    rc = hw_store_events_after(st, c->seq, LOG_PAGE, page, &got);
    for (int32_t i = 0; rc == 0 && i < got; i++) {
      invalidate(c, &page[i]);
      remember(c, &page[i]);
    }
    hw_event_free_array(page, got);
    if (got < LOG_PAGE) break;
  }
  free(page);
  if (rc) return rc;
  return ok ? 0 : restart(c, st);
}

/* The cached locality, loading it when needed. The person being discharged
 * need not be among its clients: their visits come with their own address. */
static int locality_for(hw_daycache *c, hw_id locality_id, cached_locality **out) {
  for (int i = 0; i < c->n; i++)
    if (c->locs[i].loc.locality_id == locality_id) {
      *out = &c->locs[i];
      return 0;
    }
  if (c->n == CACHE_LOCALITIES) drop_at(c, 0);
  cached_locality *l = &c->locs[c->n];
  c->loads++;
  int rc = hw_locday_load(c->st, locality_id, &l->loc);
  if (rc) return rc;
  l->n_days = 0;
  c->n++;
  *out = l;
  return 0;
}

/* Keep a loaded day, making room by forgetting the oldest one kept. */
static cached_day *keep_day(cached_locality *l, hw_date date, int tier, const hw_day_input *in) {
  if (l->n_days == CACHE_DAYS) {
    drop_day(l, &l->days[0]);
    memmove(&l->days[0], &l->days[1], (CACHE_DAYS - 1) * sizeof l->days[0]);
    l->n_days--;
  }
  l->days[l->n_days] = (cached_day){date, tier, *in, NULL};
  return &l->days[l->n_days++];
}

/* The cached day of (date, tier), loaded when needed. */
static int day_for(cached_locality *l, hw_date date, int tier, cached_day **out) {
  for (int i = 0; i < l->n_days; i++)
    if (l->days[i].date == date && l->days[i].tier == tier) {
      *out = &l->days[i];
      return 0;
    }
  hw_day_source store;
  hw_day_input in;
  hw_locday_source(&l->loc, &store);
  int rc = store.load(store.user, date, tier, &in);
  if (rc) return rc;
  *out = keep_day(l, date, tier, &in);
  return 0;
}

static int64_t prepared_bytes(const hw_daycache *c) {
  int64_t bytes = 0;
  for (int i = 0; i < c->n; i++)
    for (int k = 0; k < c->locs[i].n_days; k++)
      if (c->locs[i].days[k].prepared) bytes += hw_d2a_day_bytes(c->locs[i].days[k].prepared);
  return bytes;
}

/* The days of one offer: the cached locality's, prepared once and kept while the
 * budget allows (a day past it is lent for one try and freed by put). */
typedef struct offer_days {
  hw_daycache *cache;
  cached_locality *l;
  hw_d2a_day *unkept;
} offer_days;

static int get_day(void *user, hw_date date, int tier, hw_d2a_day **out) {
  offer_days *o = user;
  cached_day *d;
  int rc = day_for(o->l, date, tier, &d);
  if (rc) return rc;
  if (d->prepared) {
    *out = d->prepared;
    return 0;
  }
  hw_d2a_day *day;
  if ((rc = hw_d2a_day_prepare(&d->in, &day)) < 0) return rc;
  if (prepared_bytes(o->cache) + hw_d2a_day_bytes(day) <= PREPARED_BUDGET_BYTES) d->prepared = day;
  else o->unkept = day;
  *out = day;
  return 0;
}

static void put_day(void *user, hw_d2a_day *day) {
  offer_days *o = user;
  if (day != o->unkept) return;
  hw_d2a_day_free(day);
  o->unkept = NULL;
}

int hw_daycache_find(hw_daycache *c, hw_store *st, const hw_discharge *d, const hw_client *client, hw_time now,
                     const hw_d2a_options *o, hw_d2a_offer *out) {
  int rc = synchronise(c, st);
  if (rc < 0) return rc;
  int64_t loads = c->loads;
  offer_days od = {.cache = c};
  if ((rc = locality_for(c, client->locality_id, &od.l)) < 0) return rc;
  hw_day_source store;
  hw_locday_source(&od.l->loc, &store); /* its tiers: 3 with neighbours */
  hw_d2a_days days = {get_day, put_day, &od, store.n_tiers};
  int days_before = od.l->n_days;
  rc = hw_d2a_find_in(o, &days, client, d->templates, d->n_templates, d->ready_at, now, out);
  if (loads == c->loads && days_before == od.l->n_days) c->hits++;
  return rc;
}

static int64_t locday_bytes(const hw_locday *l) {
  int64_t bytes = (int64_t)l->n_teams * (int64_t)sizeof *l->teams +
                  (int64_t)l->n_workers * (int64_t)sizeof *l->workers +
                  (int64_t)l->n_clients * (int64_t)sizeof *l->clients +
                  (int64_t)l->n_referrals * (int64_t)sizeof *l->referrals +
                  (int64_t)l->n_near_clients * (int64_t)sizeof *l->near_clients;
  for (int32_t k = 0; l->near && k < l->n_near; k++) bytes += locday_bytes(&l->near[k]);
  return bytes;
}

static int64_t day_bytes(const hw_day_input *in) {
  return (int64_t)in->n_workers * (int64_t)sizeof *in->workers +
         (int64_t)in->n_absences * (int64_t)sizeof *in->absences +
         (int64_t)in->n_visits * (int64_t)(sizeof *in->visits + sizeof *in->visit_team);
}

int32_t hw_daycache_neighbours(const hw_daycache *c, hw_id locality_id, hw_id *out, int32_t cap) {
  for (int i = 0; i < c->n; i++) {
    const hw_locday *l = &c->locs[i].loc;
    if (l->locality_id != locality_id) continue;
    int32_t n = l->n_near < cap ? l->n_near : cap;
    for (int32_t k = 0; k < n; k++) out[k] = l->near_ids[k];
    return n;
  }
  return 0;
}

void hw_daycache_usage(const hw_daycache *c, hw_daycache_size *out) {
  memset(out, 0, sizeof *out);
  out->localities = c->n;
  out->bytes = prepared_bytes(c);
  for (int i = 0; i < c->n; i++) {
    out->bytes += locday_bytes(&c->locs[i].loc);
    out->days += c->locs[i].n_days;
    for (int k = 0; k < c->locs[i].n_days; k++) out->bytes += day_bytes(&c->locs[i].days[k].in);
  }
}
