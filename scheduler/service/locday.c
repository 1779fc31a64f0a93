/*
 * A locality's day from the store (hw_locday.h).
 */
#include "hw_locday.h"

#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_travel.h"

int hw_locday_load(hw_store *st, hw_id locality_id, hw_locday *out) {
  memset(out, 0, sizeof *out);
  out->st = st;
  out->locality_id = locality_id;
  int rc = hw_store_list_teams(st, locality_id, &out->teams, &out->n_teams);
  if (rc == 0) rc = hw_store_list_workers(st, locality_id, &out->workers, &out->n_workers);
  if (rc == 0) rc = hw_store_list_served_clients(st, locality_id, &out->clients, &out->n_clients);
  if (rc == 0) rc = hw_store_list_served_referrals(st, locality_id, &out->referrals, &out->n_referrals);
  if (rc < 0) hw_locday_free(out);
  return rc;
}

void hw_locday_free(hw_locday *l) {
  free(l->teams);
  free(l->workers);
  free(l->clients);
  free(l->referrals);
  memset(l, 0, sizeof *l);
}

static hw_team_kind team_kind(const hw_locday *l, hw_id team_id) {
  for (int32_t i = 0; i < l->n_teams; i++)
    if (l->teams[i].id == team_id) return l->teams[i].kind;
  return HW_TEAM_MAINSTREAM;
}

hw_id hw_locday_referral_team(const hw_locday *l, hw_id referral_id) {
  int32_t lo = 0, hi = l->n_referrals - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (l->referrals[mid].id == referral_id) return l->referrals[mid].team_id;
    if (l->referrals[mid].id < referral_id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

static int load_tier(hw_locday *l, hw_date date, int tier, hw_day_input *in) {
  memset(in, 0, sizeof *in);
  in->date = date;
  in->pin_mode = HW_DAY_PIN_ASSIGNED;
  hw_worker *w = malloc(((size_t)l->n_workers + 1) * sizeof *w);
  if (!w) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t i = 0; i < l->n_workers; i++)
    if (tier > 0 || team_kind(l, l->workers[i].team_id) == HW_TEAM_REABLEMENT) w[n++] = l->workers[i];
  in->workers = w;
  in->n_workers = n;
  in->clients = l->clients;
  in->n_clients = l->n_clients;
  hw_time day0 = hw_local_to_time(date, 0);
  hw_absence *ab = NULL;
  hw_visit *v = NULL;
  int rc = hw_store_list_absences(l->st, 0, day0, hw_local_to_time(date + 1, 0), &ab, &in->n_absences);
  in->absences = ab;
  if (rc == 0) rc = hw_store_list_served_visits(l->st, l->locality_id, date, date, &v, &in->n_visits);
  in->visits = v;
  hw_id *teams = rc == 0 ? calloc((size_t)in->n_visits + 1, sizeof *teams) : NULL;
  if (rc == 0 && !teams) rc = HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < in->n_visits; i++) teams[i] = hw_locday_referral_team(l, v[i].referral_id);
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
  src->n_tiers = 2;
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

static const hw_client *client_by_id(const hw_locday *l, hw_id id) {
  for (int32_t i = 0; i < l->n_clients; i++)
    if (l->clients[i].id == id) return &l->clients[i];
  return NULL;
}

const hw_worker *hw_locday_worker(const hw_locday *l, hw_id id) {
  for (int32_t i = 0; i < l->n_workers; i++)
    if (l->workers[i].id == id) return &l->workers[i];
  return NULL;
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
    const hw_client *c = client_by_id(l, mine[i]->client_id);
    hw_geo to = c ? c->location : at;
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

int hw_locday_rewrite_rosters(hw_locday *l, hw_date date, const hw_id *worker_ids, int32_t n, hw_records *rec) {
  hw_visit *v = NULL;
  int32_t nv = 0;
  int rc = hw_store_list_served_visits(l->st, l->locality_id, date, date, &v, &nv);
  for (int32_t i = 0; i < n && rc == 0; i++) {
    const hw_worker *w = hw_locday_worker(l, worker_ids[i]);
    if (w) rc = rewrite_one(l, w, date, v, nv, rec);
  }
  free(v);
  return rc;
}
