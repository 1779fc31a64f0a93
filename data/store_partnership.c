/*
 * The whole partnership in and out of the store: hw_store_save_partnership writes
 * every record of an hw_partnership and one "<entity>.created" event per record
 * (payload {"<entities>": [record]}, the format of hw_records.h) in one
 * transaction;
 * hw_store_load_partnership reads every table back from one consistent snapshot.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "store_internal.h"

/* Append "<type>" with payload {key: [j]}; consumes j. */
static int log_created(hw_store *st, const char *type, const char *key, json_t *j, const char *actor, hw_time now) {
  if (!j) return hw__store_failf(st, HW_ENOMEM, "out of memory encoding %s", type);
  json_t *doc = json_pack("{s:[o]}", key, j);
  char *text = doc ? hw_json_dumps_canonical(doc) : NULL;
  json_decref(doc);
  if (!text) return hw__store_failf(st, HW_ENOMEM, "out of memory encoding %s", type);
  int rc = hw__store_insert_event(st, type, text, actor, NULL, now, 0, NULL, NULL);
  free(text);
  return rc;
}

/* Prefix the current message with the record that caused it: "workers/3 (id 4): ...". */
static int blame(hw_store *st, int rc, const char *kind, int32_t i, hw_id id) {
  char keep[sizeof st->msg];
  memcpy(keep, st->msg, sizeof keep);
  return hw__store_failf(st, rc, "%s/%d (id %lld): %s", kind, i, (long long)id, keep);
}

/* Insert p->ARR[0..p->N) keeping ids, each followed by its "TYPE.created" event. */
#define SAVE_ALL(type, arr, count)                                                         \
  for (int32_t i = 0; rc == 0 && i < p->count; i++) {                                      \
    hw_id wanted = p->arr[i].id;                                                           \
    rc = hw__store_insert_##type(st, &p->arr[i], 1);                                       \
    if (rc == 0) rc = log_created(st, #type ".created", #arr, hw_##type##_to_json(&p->arr[i]), actor, now); \
    if (rc) rc = blame(st, rc, #arr, i, wanted);                                           \
  }

int hw_store_save_partnership(hw_store *st, hw_partnership *p, const char *actor, hw_time now) {
  if (!actor || !actor[0]) return hw__store_failf(st, HW_EINVAL, "actor: missing");
  int rc = hw__store_sp_begin(st);
  if (rc) return rc;
  /* Parents before children, so every reference points at a stored row. */
  SAVE_ALL(locality, localities, n_localities)
  SAVE_ALL(team, teams, n_teams)
  SAVE_ALL(worker, workers, n_workers)
  SAVE_ALL(absence, absences, n_absences)
  SAVE_ALL(client, clients, n_clients)
  SAVE_ALL(referral, referrals, n_referrals)
  SAVE_ALL(discharge, discharges, n_discharges)
  return hw__store_sp_end(st, rc);
}
#undef SAVE_ALL

int hw_store_load_partnership(hw_store *st, hw_partnership *p) {
  memset(p, 0, sizeof *p);
  /* The savepoint makes every read below see the same snapshot. */
  int rc = hw__store_sp_begin(st);
  if (rc) return rc;
  rc = hw_store_list_localities(st, &p->localities, &p->n_localities);
  if (!rc) rc = hw_store_list_teams(st, 0, &p->teams, &p->n_teams);
  if (!rc) rc = hw_store_list_workers(st, 0, &p->workers, &p->n_workers);
  if (!rc) rc = hw_store_list_absences(st, 0, INT64_MIN, INT64_MAX, &p->absences, &p->n_absences);
  if (!rc) rc = hw_store_list_clients(st, 0, &p->clients, &p->n_clients);
  if (!rc) rc = hw_store_list_referrals(st, 0, &p->referrals, &p->n_referrals);
  if (!rc) rc = hw_store_list_discharges(st, -1, &p->discharges, &p->n_discharges);
  rc = hw__store_sp_end(st, rc);
  if (rc) hw_partnership_free(p);
  return rc;
}
