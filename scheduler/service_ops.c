/*
 * Disruptions and planning for the API (hw_service.h): an absence or a late
 * check-out is recorded and the published rosters it breaks are repaired in the
 * same change group; a plan job generates a locality's visits and plans its day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_codec_reader.h"
#include "hw_error.h"
#include "hw_repair.h"
#include "hw_d2a.h"
#include "hw_plan.h"
#include "hw_service.h"

#define ABSENCE_REPAIR_MAX_DAYS 14

static json_t *placement_json(const hw_id workers[2], hw_time start) {
  if (start == HW_TIME_NONE && !workers[0]) return json_null();
  json_t *ws = json_array();
  for (int k = 0; k < 2; k++)
    if (workers[k]) json_array_append_new(ws, json_integer(workers[k]));
  return json_pack("{s:o?, s:o, s:o}", "worker", workers[0] ? json_integer(workers[0]) : NULL, "workers", ws,
                   "start", hw_json_time(start));
}

/* Append a repair report's changes to the answer's "changes" list. */
static void add_changes(json_t *changes, const hw_repair_report *r, hw_date date) {
  for (int32_t i = 0; i < r->n_changes; i++) {
    const hw_repair_change *ch = &r->changes[i];
    json_t *from = placement_json(ch->old_workers, ch->old_start);
    json_t *to = placement_json(ch->new_workers, ch->new_start);
    json_array_append_new(changes, json_pack("{s:I, s:o, s:o, s:o}", "visit", (json_int_t)ch->visit_id, "date",
                                             hw_json_date(date), "from", from, "to", to));
  }
}

/* The worker's locality (through the team). */
static int worker_locality(hw_store *st, hw_id worker_id, hw_id *locality) {
  hw_worker w;
  hw_team t;
  int rc = hw_store_get_worker(st, worker_id, &w);
  if (rc == 0) rc = hw_store_get_team(st, w.team_id, &t);
  if (rc == 0) *locality = t.locality_id;
  return rc;
}

/* 1 when the worker has a published roster on date. */
static int has_roster(hw_store *st, hw_id worker_id, hw_date date) {
  hw_roster_entry *e = NULL;
  int32_t n = 0;
  int rc = hw_store_get_roster(st, worker_id, date, &e, &n);
  free(e);
  return rc == 0 && n > 0;
}

/* Start a group with the intake change applied; *created the stored record. */
static int record_change(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c, json_t **created) {
  int rc = hw_store_group_begin(st);
  if (rc) return rc;
  hw_apply_result res = {0};
  rc = hw_store_apply(st, ev, hw_intake_apply, in, &res);
  *created = rc == 0 && res.result ? json_loads(res.result, 0, NULL) : NULL;
  if (rc == 0 && res.replayed) {
    c->replayed = 1;
    c->answer = res.result;
    return hw_store_group_end(st, 0) ? HW_EIO : 1;
  }
  free(res.result);
  if (rc == 0 && !*created) rc = HW_ENOMEM;
  return rc ? hw_store_group_end(st, rc) : 0;
}

/* End the group; on success the answer is doc with "repair" set. */
static int finish(hw_store *st, hw_service_call *c, const char *name, json_t *doc, json_t *changes, int32_t unplaced,
                  int rc) {
  if (rc == 0) {
    json_t *answer = json_pack("{s:O, s:{s:O, s:i}}", name, doc, "repair", "changes", changes, "unplaced", unplaced);
    c->answer = answer ? hw_json_dumps_canonical(answer) : NULL;
    json_decref(answer);
    if (!c->answer) rc = HW_ENOMEM;
  }
  rc = hw_store_group_end(st, rc);
  if (rc) {
    free(c->answer);
    c->answer = NULL;
  }
  json_decref(changes);
  return rc;
}

int hw_service_absence(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c) {
  json_t *doc = NULL;
  int rc = record_change(st, in, ev, c, &doc);
  if (rc) {
    json_decref(doc);
    return rc > 0 ? 0 : rc;
  }
  hw_absence a;
  hw_errors errs;
  hw_errors_init(&errs);
  rc = hw_absence_from_json(doc, "", &a, &errs) ? HW_EINTERNAL : 0;
  hw_id locality = 0;
  if (rc == 0) rc = worker_locality(st, a.worker_id, &locality);
  json_t *changes = json_array();
  int32_t unplaced = 0;
  hw_date first = hw_time_local_date(a.from), last = hw_time_local_date(a.to - 1);
  if (last > first + ABSENCE_REPAIR_MAX_DAYS - 1) last = first + ABSENCE_REPAIR_MAX_DAYS - 1;
  for (hw_date day = first; rc == 0 && day <= last; day++) {
    if (!has_roster(st, a.worker_id, day)) continue;
    hw_repair_trigger t = {.kind = HW_REPAIR_ABSENCE, .absence = a}; /* stored already: a.id is set */
    hw_repair_report *r = calloc(1, sizeof *r);
    char why[160] = "";
    rc = r ? hw_repair(st, locality, day, &t, c->actor, NULL, c->now, r, why, sizeof why) : HW_ENOMEM;
    if (rc == 0) {
      add_changes(changes, r, day);
      unplaced += r->unplaced;
    } else if (why[0]) {
      char d[16];
      hw_errors_add(c->errs, "", "repair of %s failed: %s", hw_date_format(day, d, sizeof d), why);
    }
    free(r);
  }
  rc = finish(st, c, "absence", doc, changes, unplaced, rc);
  json_decref(doc);
  return rc;
}

int hw_service_check_out(hw_store *st, hw_intake *in, const hw_event *ev, hw_service_call *c) {
  json_t *doc = NULL;
  int rc = record_change(st, in, ev, c, &doc);
  if (rc) {
    json_decref(doc);
    return rc > 0 ? 0 : rc;
  }
  hw_visit v;
  hw_errors errs;
  hw_errors_init(&errs);
  rc = hw_visit_from_json(doc, "", &v, &errs) ? HW_EINTERNAL : 0;
  json_t *changes = json_array();
  int32_t unplaced = 0;
  int late = rc == 0 && v.planned_start != HW_TIME_NONE && v.worker_ids[0] &&
             v.check_out > v.planned_start + (hw_time)v.duration * 60;
  if (late && has_roster(st, v.worker_ids[0], v.date)) {
    hw_id locality = 0;
    rc = worker_locality(st, v.worker_ids[0], &locality);
    hw_repair_trigger t = {.kind = HW_REPAIR_LATE, .late_visit_id = v.id, .late_until = v.check_out};
    hw_repair_report *r = calloc(1, sizeof *r);
    char why[160] = "";
    if (rc == 0) rc = r ? hw_repair(st, locality, v.date, &t, c->actor, NULL, c->now, r, why, sizeof why) : HW_ENOMEM;
    if (rc == 0) {
      add_changes(changes, r, v.date);
      unplaced = r->unplaced;
    }
    free(r);
  }
  rc = finish(st, c, "visit", doc, changes, unplaced, rc);
  json_decref(doc);
  return rc;
}

int hw_service_plan_locality(hw_store *st, hw_id locality_id, hw_date date, const hw_plan_params *p,
                             const char *actor, const char *key, hw_time now, hw_plan_report *out, char *why,
                             size_t why_len) {
  char vkey[96] = "";
  int32_t created = 0;
  if (key && key[0]) snprintf(vkey, sizeof vkey, "%.70s-visits", key);
  int rc = hw_plan_generate_visits(st, locality_id, date, actor, vkey, now, &created);
  if (rc) {
    snprintf(why, why_len, "visits could not be generated: %s", hw_store_errmsg(st));
    return rc;
  }
  return hw_plan_day(st, locality_id, date, p, actor, key, now, out, why, why_len);
}
