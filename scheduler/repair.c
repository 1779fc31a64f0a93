/*
 * Repair after a disruption (hw_repair.h): free the affected visits, pin the rest,
 * re-insert, store the difference.
 */
#include "hw_repair.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_solver.h"
#include "hw_storeday.h"

typedef struct repair_ctx {
  hw_store_locality *loc;
  hw_date date;
  const hw_repair_trigger *t;
  hw_absence absence;
  hw_visit urgent;
  hw_visit *after;          /* the affected visits as they will be stored */
  int32_t n_after;
  hw_id workers[HW_REPAIR_MAX_CHANGES * 4];
  int32_t n_workers;
} repair_ctx;

/* Which of the day's visits the trigger affects (indices into v). */
static int affected(const hw_repair_trigger *t, const hw_visit *v, int32_t n, int32_t *idx, int32_t *n_idx) {
  *n_idx = 0;
  hw_id late_worker = 0;
  hw_time late_start = 0;
  if (t->kind == HW_REPAIR_LATE) {
    for (int32_t i = 0; i < n; i++)
      if (v[i].id == t->late_visit_id) {
        late_worker = v[i].worker_ids[0];
        late_start = v[i].planned_start;
      }
    if (!late_worker) return HW_EINVAL;
  }
  for (int32_t i = 0; i < n; i++) {
    const hw_visit *x = &v[i];
    if (x->planned_start == HW_TIME_NONE || x->status == HW_VISIT_CANCELLED || x->status == HW_VISIT_DONE) continue;
    int hit = 0;
    for (int k = 0; k < 2; k++) {
      hw_id w = x->worker_ids[k];
      if (!w) continue;
      if (t->kind == HW_REPAIR_ABSENCE)
        hit |= w == t->absence.worker_id && x->planned_start >= t->absence.from && x->planned_start < t->absence.to;
      if (t->kind == HW_REPAIR_LATE)
        hit |= w == late_worker && x->id != t->late_visit_id && x->planned_start > late_start &&
               x->planned_start < t->late_until + HW_REPAIR_MARGIN_SECONDS;
    }
    if (!hit) continue;
    if (*n_idx >= HW_REPAIR_MAX_CHANGES) return HW_ETOOLARGE;
    idx[(*n_idx)++] = i;
  }
  return 0;
}

static void note_worker(repair_ctx *c, hw_id w) {
  if (!w) return;
  for (int32_t i = 0; i < c->n_workers; i++)
    if (c->workers[i] == w) return;
  if (c->n_workers < (int32_t)(sizeof c->workers / sizeof c->workers[0])) c->workers[c->n_workers++] = w;
}

/* Re-place the affected visits: the day with them freed, the rest pinned. */
static int replace(hw_day_input *in, hw_visit *day, const int32_t *idx, int32_t n_idx, hw_repair_report *out,
                   char *why, size_t why_len) {
  for (int32_t k = 0; k < n_idx; k++) {
    hw_visit *v = &day[idx[k]];
    hw_repair_change *ch = &out->changes[out->n_changes++];
    *ch = (hw_repair_change){v->id, {v->worker_ids[0], v->worker_ids[1]}, v->planned_start, {0, 0}, HW_TIME_NONE};
    v->worker_ids[0] = v->worker_ids[1] = 0;
    v->planned_start = HW_TIME_NONE;
  }
  hw_day_problem dp;
  int rc = hw_day_build(in, &dp, why, why_len);
  if (rc < 0) return rc;
  hw_solution s;
  hw_solution_init(&s);
  int32_t jobs[HW_REPAIR_MAX_CHANGES];
  int32_t n_jobs = 0;
  rc = hw_day_current_solution(&dp, &s);
  for (int32_t k = 0; k < n_idx; k++)
    if (dp.visit_job[idx[k]] >= 0) jobs[n_jobs++] = dp.visit_job[idx[k]];
  if (rc == 0 && n_jobs) rc = hw_insert_jobs(&dp.p, &s, jobs, n_jobs);
  for (int32_t k = 0; k < n_idx && rc >= 0; k++) {
    hw_visit *v = &day[idx[k]];
    int32_t j = dp.visit_job[idx[k]], placed = 0;
    for (int32_t w = 0; j >= 0 && w < v->workers; w++) {
      int32_t r;
      hw_tick t;
      if (!hw_day_job_placement(&s, j, w, &r, &t)) continue;
      v->worker_ids[w] = in->workers[dp.res_worker[r]].id;
      v->planned_start = dp.day0 + t;
      placed++;
    }
    if (placed < v->workers) {
      v->worker_ids[0] = v->worker_ids[1] = 0;
      v->planned_start = HW_TIME_NONE;
      out->unplaced++;
    }
    v->status = placed == v->workers ? HW_VISIT_ASSIGNED : HW_VISIT_PLANNED;
    hw_repair_change *ch = &out->changes[out->n_changes - n_idx + k];
    ch->new_workers[0] = v->worker_ids[0];
    ch->new_workers[1] = v->worker_ids[1];
    ch->new_start = v->planned_start;
  }
  hw_solution_free(&s);
  hw_day_free(&dp);
  return rc < 0 ? rc : 0;
}

static int repair_tx(hw_store *st, void *vctx, char **result) {
  (void)result;
  repair_ctx *c = vctx;
  int rc = 0;
  if (c->t->kind == HW_REPAIR_ABSENCE && !c->absence.id) rc = hw_store_insert_absence(st, &c->absence);
  for (int32_t i = 0; i < c->n_after && rc == 0; i++)
    rc = c->after[i].id ? hw_store_update_visit(st, &c->after[i]) : hw_store_insert_visit(st, &c->after[i]);
  if (rc == 0) rc = hw_store_rewrite_rosters(c->loc, c->date, c->workers, c->n_workers);
  return rc;
}

static char *repair_payload(const repair_ctx *c) {
  static const char *const kinds[] = {"absence", "late", "urgent"};
  json_t *vs = json_array();
  for (int32_t i = 0; i < c->n_after && vs; i++) json_array_append_new(vs, hw_visit_to_json(&c->after[i]));
  json_t *j = json_pack("{s:s, s:o}", "trigger", kinds[c->t->kind], "visits", vs);
  if (j && c->t->kind == HW_REPAIR_ABSENCE) json_object_set_new(j, "absence", hw_absence_to_json(&c->absence));
  char *text = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  return text;
}

static int check_trigger(const hw_repair_trigger *t, hw_date date, char *why, size_t why_len) {
  hw_time d0 = hw_local_to_time(date, 0), d1 = hw_local_to_time(date + 1, 0);
  if (t->kind == HW_REPAIR_ABSENCE && (t->absence.to <= t->absence.from || t->absence.to <= d0 || t->absence.from >= d1)) {
    snprintf(why, why_len, "absence: must overlap the day and end after it starts");
    return HW_EINVAL;
  }
  if (t->kind == HW_REPAIR_URGENT && t->urgent.date != date) {
    snprintf(why, why_len, "urgent.date: must be the day being repaired");
    return HW_EINVAL;
  }
  if ((unsigned)t->kind > HW_REPAIR_URGENT) {
    snprintf(why, why_len, "kind: must be absence, late or urgent");
    return HW_EINVAL;
  }
  return 0;
}

int hw_repair(hw_store *st, hw_id locality_id, hw_date date, const hw_repair_trigger *t, const char *actor,
              const char *idempotency_key, hw_time now, hw_repair_report *out, char *why, size_t why_len) {
  memset(out, 0, sizeof *out);
  int rc = check_trigger(t, date, why, why_len);
  if (rc < 0) return rc;
  hw_store_locality loc;
  rc = hw_store_locality_load(st, locality_id, &loc);
  if (rc < 0) return rc;
  hw_day_input in;
  rc = hw_store_day_load(&loc, date, &in);
  if (rc < 0) {
    hw_store_locality_free(&loc);
    return rc;
  }
  repair_ctx c = {.loc = &loc, .date = date, .t = t, .absence = t->absence, .urgent = t->urgent};
  /* The day as it will be: stored visits (+ the urgent one), absences (+ the new
   * one, or the late worker's busy time). */
  hw_visit *day = malloc(((size_t)in.n_visits + 1) * sizeof *day);
  hw_absence *abs = malloc(((size_t)in.n_absences + 1) * sizeof *abs);
  hw_id *teams = calloc((size_t)in.n_visits + 1, sizeof *teams); /* an urgent visit: any team */
  int32_t idx[HW_REPAIR_MAX_CHANGES + 1], n_idx = 0;
  char *text = NULL;
  rc = day && abs && teams ? 0 : HW_ENOMEM;
  if (rc < 0) goto out;
  if (in.visit_team && in.n_visits) memcpy(teams, in.visit_team, (size_t)in.n_visits * sizeof *teams);
  if (in.n_visits) memcpy(day, in.visits, (size_t)in.n_visits * sizeof *day); /* never memcpy from NULL */
  if (in.n_absences) memcpy(abs, in.absences, (size_t)in.n_absences * sizeof *abs);
  int32_t n_day = in.n_visits, n_abs = in.n_absences;
  rc = affected(t, day, n_day, idx, &n_idx);
  if (rc == HW_EINVAL) snprintf(why, why_len, "late_visit_id: no rostered visit %lld on that day", (long long)t->late_visit_id);
  if (rc < 0) goto out;
  if (t->kind == HW_REPAIR_ABSENCE) abs[n_abs++] = t->absence;
  if (t->kind == HW_REPAIR_LATE) {
    for (int32_t i = 0; i < n_day; i++)
      if (day[i].id == t->late_visit_id)
        abs[n_abs++] = (hw_absence){0, day[i].worker_ids[0], day[i].planned_start, t->late_until, "late"};
  }
  if (t->kind == HW_REPAIR_URGENT) {
    day[n_day] = t->urgent;
    day[n_day].id = 0;
    day[n_day].worker_ids[0] = day[n_day].worker_ids[1] = 0;
    day[n_day].planned_start = HW_TIME_NONE;
    idx[n_idx++] = n_day++;
  }
  for (int32_t k = 0; k < n_idx; k++)
    for (int w = 0; w < 2; w++) note_worker(&c, day[idx[k]].worker_ids[w]);
  hw_day_input rin = in;
  rin.visits = day;
  rin.n_visits = n_day;
  rin.absences = abs;
  rin.n_absences = n_abs;
  rin.visit_team = in.visit_team ? teams : NULL;
  rin.pin_mode = HW_DAY_PIN_ASSIGNED;
  rc = replace(&rin, day, idx, n_idx, out, why, why_len);
  if (rc < 0) goto out;
  c.after = malloc(((size_t)n_idx + 1) * sizeof *c.after);
  if (!c.after) {
    rc = HW_ENOMEM;
    goto out;
  }
  for (int32_t k = 0; k < n_idx; k++) {
    c.after[c.n_after++] = day[idx[k]];
    for (int w = 0; w < 2; w++) note_worker(&c, day[idx[k]].worker_ids[w]);
  }
  text = repair_payload(&c);
  if (!text) {
    rc = HW_ENOMEM;
    goto out;
  }
  hw_event ev = {.received_at = now, .payload = text};
  snprintf(ev.type, sizeof ev.type, "roster.repaired");
  snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "system");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", idempotency_key ? idempotency_key : "");
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, repair_tx, &c, &ar);
  out->event_seq = ar.event_seq;
  free(ar.result);
out:
  free(text);
  free(c.after);
  free(day);
  free(abs);
  free(teams);
  hw_store_day_release(&loc, &in);
  hw_store_locality_free(&loc);
  return rc;
}
