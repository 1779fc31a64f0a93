/*
 * A locality's day from the store (hw_locday.h).
 */
#include "hw_locday.h"

#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_travel.h"

/* 1 when the two localities' areas touch: centres no further apart than the sum
 * of their radii. */
static int areas_touch(const hw_locality *a, const hw_locality *b) {
  return hw_distance_m(a->centre, b->centre) <= (int64_t)a->radius_m + b->radius_m;
}

static int has_reablement_team(hw_store *st, hw_id locality, int *yes) {
  hw_team *teams = NULL;
  int32_t n = 0;
  int rc = hw_store_list_teams(st, locality, &teams, &n);
  *yes = 0;
  for (int32_t i = 0; rc == 0 && i < n; i++) *yes |= teams[i].kind == HW_TEAM_REABLEMENT;
  free(teams);
  return rc;
}

/* The localities whose areas touch this one's and that have a reablement team. */
static int find_near(hw_locday *l) {
  hw_locality *locs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(l->st, &locs, &n);
  const hw_locality *me = NULL;
  for (int32_t i = 0; rc == 0 && i < n; i++)
    if (locs[i].id == l->locality_id) me = &locs[i];
  for (int32_t i = 0; rc == 0 && me && i < n && l->n_near < HW_LOCDAY_MAX_NEAR; i++) {
    int reablement = 0;
    if (locs[i].id == me->id || !areas_touch(me, &locs[i])) continue;
    rc = has_reablement_team(l->st, locs[i].id, &reablement);
    if (rc == 0 && reablement) l->near_ids[l->n_near++] = locs[i].id;
  }
  free(locs);
  return rc;
}

int hw_locday_load(hw_store *st, hw_id locality_id, hw_locday *out) {
  memset(out, 0, sizeof *out);
  out->st = st;
  out->locality_id = locality_id;
  int rc = hw_store_list_teams(st, locality_id, &out->teams, &out->n_teams);
  if (rc == 0) rc = hw_store_list_workers(st, locality_id, &out->workers, &out->n_workers);
  if (rc == 0) rc = hw_store_list_served_clients(st, locality_id, &out->clients, &out->n_clients);
  if (rc == 0) rc = hw_store_list_served_referrals(st, locality_id, &out->referrals, &out->n_referrals);
  if (rc == 0) rc = find_near(out);
  if (rc < 0) hw_locday_free(out);
  return rc;
}

void hw_locday_free(hw_locday *l) {
  for (int32_t k = 0; l->near && k < l->n_near; k++) hw_locday_free(&l->near[k]);
  free(l->near);
  free(l->near_clients);
  free(l->teams);
  free(l->workers);
  free(l->clients);
  free(l->referrals);
  memset(l, 0, sizeof *l);
}

static int by_client_id(const void *a, const void *b) {
  hw_id x = ((const hw_client *)a)->id, y = ((const hw_client *)b)->id;
  return (x > y) - (x < y);
}

/* Own and neighbours' served clients, ordered by id, each once. */
static int merge_near_clients(hw_locday *l) {
  int64_t total = l->n_clients;
  for (int32_t k = 0; k < l->n_near; k++) total += l->near[k].n_clients;
  hw_client *all = malloc(((size_t)total + 1) * sizeof *all);
  if (!all) return HW_ENOMEM;
  int32_t n = 0;
  if (l->n_clients) memcpy(all, l->clients, (size_t)l->n_clients * sizeof *all);
  n = l->n_clients;
  for (int32_t k = 0; k < l->n_near; k++) {
    if (l->near[k].n_clients) memcpy(all + n, l->near[k].clients, (size_t)l->near[k].n_clients * sizeof *all);
    n += l->near[k].n_clients;
  }
  qsort(all, (size_t)n, sizeof *all, by_client_id);
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    if (m == 0 || all[m - 1].id != all[i].id) all[m++] = all[i];
  l->near_clients = all;
  l->n_near_clients = m;
  return 0;
}

int hw_locday_load_near(hw_locday *l) {
  if (l->near || l->n_near == 0) return 0;
  l->near = calloc((size_t)l->n_near, sizeof *l->near);
  if (!l->near) return HW_ENOMEM;
  int rc = 0;
  for (int32_t k = 0; rc == 0 && k < l->n_near; k++) {
    rc = hw_locday_load(l->st, l->near_ids[k], &l->near[k]);
    l->near[k].n_near = 0; /* a neighbour's own neighbours are not searched */
  }
  if (rc == 0) rc = merge_near_clients(l);
  if (rc) { /* as if never loaded */
    for (int32_t k = 0; k < l->n_near; k++) hw_locday_free(&l->near[k]);
    free(l->near);
    l->near = NULL;
  }
  return rc;
}

static hw_team_kind team_kind(const hw_locday *l, hw_id team_id) {
  for (int32_t i = 0; i < l->n_teams; i++)
    if (l->teams[i].id == team_id) return l->teams[i].kind;
  return HW_TEAM_MAINSTREAM;
}

static hw_id own_referral_team(const hw_locday *l, hw_id referral_id) {
  int32_t lo = 0, hi = l->n_referrals - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (l->referrals[mid].id == referral_id) return l->referrals[mid].team_id;
    if (l->referrals[mid].id < referral_id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

hw_id hw_locday_referral_team(const hw_locday *l, hw_id referral_id) {
  hw_id team = own_referral_team(l, referral_id);
  for (int32_t k = 0; !team && l->near && k < l->n_near; k++) team = own_referral_team(&l->near[k], referral_id);
  return team;
}

/* The workers of a tier: tier 0 the reablement workers, 1 every worker, 2 every
 * worker and the neighbours' reablement workers. */
static int tier_workers(const hw_locday *l, int tier, hw_day_input *in) {
  int64_t cap = l->n_workers;
  for (int32_t k = 0; tier == 2 && k < l->n_near; k++) cap += l->near[k].n_workers;
  hw_worker *w = malloc(((size_t)cap + 1) * sizeof *w);
  if (!w) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t i = 0; i < l->n_workers; i++)
    if (tier > 0 || team_kind(l, l->workers[i].team_id) == HW_TEAM_REABLEMENT) w[n++] = l->workers[i];
  for (int32_t k = 0; tier == 2 && k < l->n_near; k++)
    for (int32_t i = 0; i < l->near[k].n_workers; i++)
      if (team_kind(&l->near[k], l->near[k].workers[i].team_id) == HW_TEAM_REABLEMENT) w[n++] = l->near[k].workers[i];
  in->workers = w;
  in->n_workers = n;
  return 0;
}

/* The day's visits the locality serves, and with tier 2 those its neighbours serve. */
static int tier_visits(const hw_locday *l, int tier, hw_date date, hw_day_input *in) {
  hw_visit *v = NULL;
  int32_t n = 0;
  int rc = hw_store_list_served_visits(l->st, l->locality_id, date, date, &v, &n);
  for (int32_t k = 0; rc == 0 && tier == 2 && k < l->n_near; k++) {
    hw_visit *part = NULL;
    int32_t m = 0;
    rc = hw_store_list_served_visits(l->st, l->near[k].locality_id, date, date, &part, &m);
    hw_visit *grown = rc == 0 && m ? realloc(v, ((size_t)n + (size_t)m) * sizeof *v) : v;
    if (rc == 0 && m && !grown) rc = HW_ENOMEM;
    if (rc == 0 && m) {
      memcpy(grown + n, part, (size_t)m * sizeof *part);
      v = grown;
      n += m;
    }
    free(part);
  }
  in->visits = v;
  in->n_visits = n;
  return rc;
}

static int load_tier(hw_locday *l, hw_date date, int tier, hw_day_input *in) {
  memset(in, 0, sizeof *in);
  in->date = date;
  in->pin_mode = HW_DAY_PIN_ASSIGNED;
  int rc = tier == 2 ? hw_locday_load_near(l) : 0;
  if (rc) return rc;
  int near = tier == 2 && l->near;
  in->clients = near ? l->near_clients : l->clients;
  in->n_clients = near ? l->n_near_clients : l->n_clients;
  hw_time day0 = hw_local_to_time(date, 0);
  hw_absence *ab = NULL;
  rc = tier_workers(l, near ? 2 : tier, in);
  if (rc == 0) rc = hw_store_list_absences(l->st, 0, day0, hw_local_to_time(date + 1, 0), &ab, &in->n_absences);
  in->absences = ab;
  if (rc == 0) rc = tier_visits(l, near ? 2 : tier, date, in);
  hw_id *teams = rc == 0 ? calloc((size_t)in->n_visits + 1, sizeof *teams) : NULL;
  if (rc == 0 && !teams) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < in->n_visits; i++)
    teams[i] = hw_locday_referral_team(l, in->visits[i].referral_id);
  in->visit_team = teams;
  if (rc < 0) hw_locday_day_release(l, in);
  return rc;
}

static int source_load(void *user, hw_date date, int tier, hw_day_input *in) { return load_tier(user, date, tier, in); }
static void source_release(void *user, hw_day_input *in) { hw_locday_day_release(user, in); }

void hw_locday_source(hw_locday *l, hw_day_source *src) {
  src->load = source_load;
  src->release = source_release;
  src->user = l;
  src->n_tiers = l->n_near ? 3 : 2;
}

int hw_locday_day_load(hw_locday *l, hw_date date, hw_day_input *in) { return load_tier(l, date, 1, in); }

void hw_locday_day_release(hw_locday *l, hw_day_input *in) {
  (void)l;
  free((void *)in->workers);
  free((void *)in->absences);
  free((void *)in->visits);
  free((void *)in->visit_team);
  memset(in, 0, sizeof *in);
}

/* Where a client lives: from the served clients, or the store for one the
 * locality took on since it was loaded (a tier-2 offer's person). 0 or an error;
 * HW_ENOTFOUND leaves *at as it was. */
static int client_location(const hw_locday *l, hw_id id, hw_geo *at) {
  for (int32_t i = 0; i < l->n_clients; i++)
    if (l->clients[i].id == id) {
      *at = l->clients[i].location;
      return 0;
    }
  hw_client c;
  int rc = hw_store_get_client(l->st, id, &c);
  if (rc == 0) *at = c.location;
  return rc == HW_ENOTFOUND ? 0 : rc;
}

static const hw_worker *own_worker(const hw_locday *l, hw_id id) {
  for (int32_t i = 0; i < l->n_workers; i++)
    if (l->workers[i].id == id) return &l->workers[i];
  return NULL;
}

const hw_worker *hw_locday_worker(const hw_locday *l, hw_id id) {
  const hw_worker *w = own_worker(l, id);
  for (int32_t k = 0; !w && l->near && k < l->n_near; k++) w = own_worker(&l->near[k], id);
  return w;
}

static int by_planned_start(const void *a, const void *b) {
  const hw_visit *x = *(const hw_visit *const *)a, *y = *(const hw_visit *const *)b;
  if (x->planned_start != y->planned_start) return x->planned_start < y->planned_start ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static int rewrite_one(hw_locday *l, const hw_worker *w, hw_date date, const hw_visit *v, int32_t nv,
                       hw_records *rec) {
  const hw_visit **mine = malloc(((size_t)nv + 1) * sizeof *mine);
  hw_roster_entry *e = malloc(((size_t)nv + 1) * sizeof *e);
  int rc = HW_ENOMEM;
  if (!mine || !e) goto out;
  int32_t n = 0;
  for (int32_t i = 0; i < nv; i++)
    if (v[i].status != HW_VISIT_CANCELLED && v[i].planned_start != HW_TIME_NONE &&
        (v[i].worker_ids[0] == w->id || v[i].worker_ids[1] == w->id))
      mine[n++] = &v[i];
  qsort(mine, (size_t)n, sizeof *mine, by_planned_start);
  hw_geo at = w->base;
  for (int32_t i = 0; i < n; i++) {
    hw_geo to = at;
    if ((rc = client_location(l, mine[i]->client_id, &to)) < 0) goto out;
    int32_t travel = hw_travel_seconds(at, to, w->travel);
    e[i] = (hw_roster_entry){w->id, date, i, mine[i]->id, mine[i]->planned_start, travel > 0 ? travel : 0};
    at = to;
  }
  rc = hw_store_put_roster(l->st, w->id, date, e, n);
  if (rc == 0) rc = hw_records_add_roster(rec, w->id, date, e, n);
out:
  free(mine);
  free(e);
  return rc;
}

/* A worker of another locality: rewritten from what their own locality serves. */
static int rewrite_elsewhere(hw_store *st, hw_id worker_id, hw_date date, hw_records *rec) {
  hw_worker w;
  hw_team t;
  int rc = hw_store_get_worker(st, worker_id, &w);
  if (rc == 0) rc = hw_store_get_team(st, w.team_id, &t);
  if (rc == HW_ENOTFOUND) return 0;
  hw_locday other;
  hw_visit *v = NULL;
  int32_t nv = 0;
  if (rc == 0) rc = hw_locday_load(st, t.locality_id, &other);
  if (rc) return rc;
  rc = hw_store_list_served_visits(st, t.locality_id, date, date, &v, &nv);
  const hw_worker *mine = own_worker(&other, worker_id);
  if (rc == 0 && mine) rc = rewrite_one(&other, mine, date, v, nv, rec);
  free(v);
  hw_locday_free(&other);
  return rc;
}

int hw_locday_rewrite_rosters(hw_locday *l, hw_date date, const hw_id *worker_ids, int32_t n, hw_records *rec) {
  hw_visit *v = NULL;
  int32_t nv = 0;
  int rc = hw_store_list_served_visits(l->st, l->locality_id, date, date, &v, &nv);
  for (int32_t i = 0; i < n && rc == 0; i++) {
    const hw_worker *w = own_worker(l, worker_ids[i]);
    rc = w ? rewrite_one(l, w, date, v, nv, rec) : rewrite_elsewhere(l->st, worker_ids[i], date, rec);
  }
  free(v);
  return rc;
}
