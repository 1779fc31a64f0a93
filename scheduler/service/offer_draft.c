/*
 * Offers computed off the writer (hw_service.h, "Offers off the writer"): the
 * draft of an offer read from a snapshot, with what it relied on, and the
 * writer's check that none of that has changed since.
 *
 * What an offer relies on: for each (worker, date) it places a visit on, moves
 * one on (re-timed) or moves one off or onto (reassigned), that worker's roster
 * that day, their absences that day and their record (shifts, skills, base); each
 * visit it moves as stored (status, pin, worker, time) with its client's record
 * (another worker must still be allowed to serve it); and the client's record
 * (address, exclusions). Each is kept as a digest of those fields. An offer that
 * does not start today also claims that today had no room: it relies on every
 * roster of its locality - and of the neighbouring localities a tier-2 search
 * reads - so any change to them since the snapshot (an event of one of those
 * localities that is not about discharges) makes it stale - except when the
 * reason is the clock (no visit of the plan can start after the lead time).
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_locday.h"
#include "service_internal.h"

_Static_assert(HW_OFFER_MAX_NEIGHBOURS == HW_LOCDAY_MAX_NEAR, "a draft holds every neighbour a search reads");

#define LOG_PAGE 64

/* ---- Digests ------------------------------------------------------------------- */

static void mix(uint64_t *h, int64_t v) { /* FNV-1a over the value's 8 bytes */
  for (int i = 0; i < 8; i++) {
    *h ^= (uint64_t)((v >> (8 * i)) & 0xff);
    *h *= 0x100000001b3ull;
  }
}

static void mix_worker(uint64_t *h, const hw_worker *w) {
  mix(h, w->team_id);
  mix(h, w->base.lat_e6);
  mix(h, w->base.lon_e6);
  mix(h, w->travel);
  mix(h, w->gender);
  mix(h, w->active);
  for (int32_t i = 0; i < w->n_skills; i++) {
    mix(h, w->skills[i].skill);
    mix(h, w->skills[i].valid_until);
  }
  for (int32_t i = 0; i < w->n_shifts; i++) {
    const hw_shift *s = &w->shifts[i];
    mix(h, ((int64_t)s->weekday << 48) | ((int64_t)s->hours.start << 32) | ((int64_t)s->hours.end << 16) |
               (int64_t)s->break_minutes);
    mix(h, ((int64_t)s->break_window.start << 16) | s->break_window.end);
  }
}

/* The state of one worker's day as an offer sees it. */
static int worker_day_digest(hw_store *st, hw_id worker_id, hw_date date, uint64_t *out) {
  uint64_t h = 0xcbf29ce484222325ull;
  hw_worker w;
  hw_roster_entry *e = NULL;
  hw_absence *ab = NULL;
  int32_t n_e = 0, n_ab = 0;
  int rc = hw_store_get_worker(st, worker_id, &w);
  if (rc == 0) rc = hw_store_get_roster(st, worker_id, date, &e, &n_e);
  if (rc == 0)
    rc = hw_store_list_absences(st, worker_id, hw_local_to_time(date, 0), hw_local_to_time(date + 1, 0), &ab, &n_ab);
  if (rc == 0) {
    mix_worker(&h, &w);
    for (int32_t i = 0; i < n_e; i++) {
      mix(&h, e[i].visit_id);
      mix(&h, e[i].planned_start);
    }
    for (int32_t i = 0; i < n_ab; i++) {
      mix(&h, ab[i].id);
      mix(&h, ab[i].from);
      mix(&h, ab[i].to);
    }
    *out = h;
  }
  free(e);
  free(ab);
  return rc;
}

static uint64_t client_digest(const hw_client *c) {
  uint64_t h = 0xcbf29ce484222325ull;
  mix(&h, c->locality_id);
  mix(&h, c->location.lat_e6);
  mix(&h, c->location.lon_e6);
  mix(&h, c->carer_gender);
  mix(&h, c->carer_gender_hard);
  for (int32_t i = 0; i < c->n_preferred; i++) mix(&h, c->preferred_workers[i]);
  mix(&h, -1);
  for (int32_t i = 0; i < c->n_excluded; i++) mix(&h, c->excluded_workers[i]);
  mix(&h, c->suspended_from);
  mix(&h, c->suspended_until);
  return h;
}

/* ---- The draft ------------------------------------------------------------------- */

static void note_pair(hw_offer_draft *d, hw_id worker, hw_date date) {
  if (!worker) return;
  for (int32_t i = 0; i < d->n_checks; i++)
    if (d->checks[i].worker_id == worker && d->checks[i].date == date) return;
  if (d->n_checks < HW_OFFER_MAX_CHECKS) d->checks[d->n_checks++] = (hw_offer_check){worker, date, 0};
}

/* The visits the offer moves as stored, each with its client's record. */
static int moved_digest(hw_store *st, const hw_d2a_offer *of, uint64_t *out) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int32_t i = 0; i < of->n_moved; i++) {
    hw_visit v;
    hw_client c;
    int rc = hw_store_get_visit(st, of->moved[i].visit_id, &v);
    if (rc == 0) rc = hw_store_get_client(st, v.client_id, &c);
    if (rc) return rc;
    mix(&h, v.id);
    mix(&h, ((int64_t)v.status << 8) | v.pinned);
    mix(&h, v.worker_ids[0]);
    mix(&h, v.worker_ids[1]);
    mix(&h, v.planned_start);
    mix(&h, v.window_start);
    mix(&h, v.window_end);
    mix(&h, (int64_t)client_digest(&c));
  }
  *out = h;
  return 0;
}

/* The (worker, date) pairs the offer relies on - a moved visit's roster both
 * before and after it moves - with their digests now, and the moved visits'. */
static int note_checks(hw_store *st, hw_offer_draft *d) {
  const hw_d2a_offer *of = &d->offer;
  for (int32_t i = 0; i < of->n_visits; i++)
    for (int k = 0; k < 2; k++) note_pair(d, of->visits[i].worker_ids[k], of->visits[i].date);
  for (int32_t i = 0; i < of->n_moved; i++) {
    hw_visit v;
    int rc = hw_store_get_visit(st, of->moved[i].visit_id, &v);
    if (rc) return rc;
    note_pair(d, v.worker_ids[0], v.date);
    note_pair(d, of->moved[i].worker_id, of->moved[i].date);
  }
  for (int32_t i = 0; i < d->n_checks; i++) {
    int rc = worker_day_digest(st, d->checks[i].worker_id, d->checks[i].date, &d->checks[i].digest);
    if (rc) return rc;
  }
  return moved_digest(st, of, &d->moved_digest);
}

/* Inside the snapshot: the client, the offer and what it relies on. */
static int draft_in_snapshot(hw_store *st, hw_daycache *cache, const hw_service_settings *s, const hw_change *c,
                             const hw_discharge *d, const hw_client *client, hw_offer_draft *out) {
  out->locality_id = client->locality_id;
  out->client_id = client->id;
  out->client_digest = client_digest(client);
  int rc = hw_daycache_find(cache, st, d, client, c->now, &s->d2a, &out->offer);
  out->n_neighbours = hw_daycache_neighbours(cache, client->locality_id, out->neighbours, HW_OFFER_MAX_NEIGHBOURS);
  return rc ? rc : note_checks(st, out);
}

int hw_service_offer_draft(hw_store *st, hw_daycache *cache, const hw_service_settings *s, const hw_change *c,
                           const hw_discharge *d, const hw_client *client_new, hw_offer_draft *out) {
  memset(out, 0, sizeof *out);
  int64_t seq = hw_store_snapshot_begin(st);
  if (seq < 0) return (int)seq;
  out->seq = seq;
  hw_client client;
  int rc = 0;
  if (client_new) { /* not stored yet: the writer checks it again when it is */
    client = *client_new;
    client.id = 0;
    if (client.locality_id <= 0) rc = HW_EINVAL;
    else if (!hw_scope_allows(c->scope, client.locality_id)) rc = HW_EFORBIDDEN;
  } else {
    rc = hw__svc_client_in_scope(st, c->scope, d->client_id, &client);
  }
  if (rc == 0) rc = draft_in_snapshot(st, cache, s, c, d, &client, out);
  hw_store_snapshot_end(st);
  return rc;
}

int hw_service_offer_draft_stored(hw_store *st, hw_daycache *cache, const hw_service_settings *s,
                                  const hw_change *c, hw_id id, hw_offer_draft *out) {
  memset(out, 0, sizeof *out);
  int64_t seq = hw_store_snapshot_begin(st);
  if (seq < 0) return (int)seq;
  out->seq = seq;
  hw_discharge d;
  hw_client client;
  int rc = hw__svc_scoped_discharge(st, c->scope, id, &d, &client);
  if (rc == 0) rc = draft_in_snapshot(st, cache, s, c, &d, &client, out);
  hw_store_snapshot_end(st);
  return rc;
}

/* ---- The writer's check ------------------------------------------------------------ */

/* An offer that does not start today, for a reason other than the clock, claims
 * today had no room anywhere in the locality. */
static int claims_no_room_today(const hw_d2a_offer *of) {
  return (!of->found || of->miss != HW_D2A_MISS_NONE) && of->miss != HW_D2A_MISS_TOO_LATE;
}

/* 1 when event e may have changed a roster of the draft's locality or of a
 * neighbour it read. */
static int touches_draft(const hw_event *e, const hw_offer_draft *d) {
  if (hw__svc_event_touches(e->type, e->locality_id, d->locality_id)) return 1;
  for (int32_t k = 0; k < d->n_neighbours; k++)
    if (hw__svc_event_touches(e->type, e->locality_id, d->neighbours[k])) return 1;
  return 0;
}

/* 1 when an event since the draft's snapshot may have changed a roster it read. */
static int rosters_changed_since(hw_store *st, const hw_offer_draft *d, int *changed) {
  int64_t seq = d->seq;
  hw_event *page = calloc(LOG_PAGE, sizeof *page);
  if (!page) return HW_ENOMEM;
  int rc = 0;
  *changed = 0;
  for (int32_t got = LOG_PAGE; rc == 0 && got == LOG_PAGE && !*changed;) {
    rc = hw_store_events_after(st, seq, LOG_PAGE, page, &got);
    for (int32_t i = 0; rc == 0 && i < got; i++) {
      const hw_event *e = &page[i];
      if (touches_draft(e, d)) *changed = 1;
      seq = e->seq;
    }
    hw_event_free_array(page, got);
  }
  free(page);
  return rc;
}

int hw__svc_draft_current(hw_store *st, const hw_offer_draft *d, const hw_client *client, int *current) {
  *current = 0;
  if (client->locality_id != d->locality_id || (d->client_id && client_digest(client) != d->client_digest)) return 0;
  for (int32_t i = 0; i < d->n_checks; i++) {
    uint64_t now = 0;
    int rc = worker_day_digest(st, d->checks[i].worker_id, d->checks[i].date, &now);
    if (rc == HW_ENOTFOUND) return 0;
    if (rc) return rc;
    if (now != d->checks[i].digest) return 0;
  }
  uint64_t moved = 0;
  int rc = moved_digest(st, &d->offer, &moved);
  if (rc == HW_ENOTFOUND) return 0;
  if (rc) return rc;
  if (moved != d->moved_digest) return 0;
  int changed = 0;
  if (claims_no_room_today(&d->offer) && (rc = rosters_changed_since(st, d, &changed)))
    return rc;
  *current = !changed;
  return 0;
}
