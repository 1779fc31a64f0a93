/*
 * A worker's days as they live them (hw_service.h): their rosters over a span
 * with each day's shift and the break the day leaves room for, what publishing
 * told them, their calendar secret, and - for the coordinator watching today -
 * the visits nobody checked in to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* ---- The shape of a day ----------------------------------------------------------------- */

/* 1 when [a, a + len) overlaps a line's travel or visit. */
static int collides(const hw_roster_line *lines, int32_t n, hw_time a, hw_time len) {
  for (int32_t i = 0; i < n; i++) {
    hw_time from = lines[i].entry.planned_start - lines[i].entry.travel_seconds;
    hw_time to = lines[i].entry.planned_start + (hw_time)lines[i].visit.duration * 60;
    if (a < to && a + len > from) return 1;
  }
  return 0;
}

/* The earliest start of a break of len seconds within [from, to] clear of every
 * line: the window's start or the end of a visit. HW_TIME_NONE when none fits. */
static hw_time place_break(const hw_roster_line *lines, int32_t n, hw_time from, hw_time to, hw_time len) {
  if (!collides(lines, n, from, len) && from + len <= to) return from;
  hw_time best = HW_TIME_NONE;
  for (int32_t i = 0; i < n; i++) {
    hw_time t = lines[i].entry.planned_start + (hw_time)lines[i].visit.duration * 60;
    if (t < from || t + len > to || collides(lines, n, t, len)) continue;
    if (best == HW_TIME_NONE || t < best) best = t;
  }
  return best;
}

void hw_service_day_frame(const hw_worker *w, hw_date date, const hw_roster_line *lines, int32_t n,
                          hw_day_frame *out) {
  *out = (hw_day_frame){HW_TIME_NONE, HW_TIME_NONE, HW_TIME_NONE, HW_TIME_NONE, 0, HW_TIME_NONE, HW_TIME_NONE};
  int wd = hw_date_weekday(date);
  for (int32_t i = 0; i < w->n_shifts; i++) {
    const hw_shift *s = &w->shifts[i];
    if (s->weekday != wd) continue;
    hw_time a = hw_local_to_time(date, s->hours.start), b = hw_local_to_time(date, s->hours.end);
    if (out->shift_start == HW_TIME_NONE || a < out->shift_start) out->shift_start = a;
    if (out->shift_end == HW_TIME_NONE || b > out->shift_end) out->shift_end = b;
    if (s->break_minutes <= 0 || s->break_window.end <= s->break_window.start || out->break_minutes) continue;
    out->break_minutes = s->break_minutes;
    out->break_window_start = hw_local_to_time(date, s->break_window.start);
    out->break_window_end = hw_local_to_time(date, s->break_window.end);
    hw_time len = (hw_time)s->break_minutes * 60;
    out->break_start = place_break(lines, n, out->break_window_start, out->break_window_end, len);
    if (out->break_start != HW_TIME_NONE) out->break_end = out->break_start + len;
  }
}

/* ---- A worker's own days ------------------------------------------------------------------ */

int hw_service_worker_days(hw_store *st, const hw_scope *scope, hw_id worker_id, hw_date from, hw_date to,
                           hw_roster_view **out, int32_t *n_out) {
  *out = NULL;
  *n_out = 0;
  if (to < from || to - from >= HW_WORKER_DAYS_MAX) return HW_EINVAL;
  hw_worker w;
  int rc = hw_service_get_worker(st, scope, worker_id, &w);
  if (rc) return rc;
  int32_t n = (int32_t)(to - from + 1);
  hw_roster_view *days = calloc((size_t)n, sizeof *days);
  if (!days) return HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_roster_view *one = NULL;
    int32_t m = 0;
    rc = hw_service_rosters(st, NULL, from + i, 0, worker_id, &one, &m);
    days[i].worker = w;
    if (rc == 0 && m == 1) {
      days[i] = one[0];
      one[0].lines = NULL;
    }
    hw_roster_views_free(one, m);
  }
  if (rc) {
    hw_roster_views_free(days, n);
    return rc;
  }
  *out = days;
  *n_out = n;
  return 0;
}

int hw_service_my_changes(hw_store *st, const hw_scope *scope, hw_id after, int32_t limit, hw_roster_note **out,
                          int32_t *n) {
  *out = NULL;
  *n = 0;
  if (!scope || !scope->worker) return HW_EFORBIDDEN;
  return hw_store_list_roster_notes(st, scope->worker, after, limit, out, n);
}

/* ---- Calendar secrets ---------------------------------------------------------------------- */

typedef struct secret_ctx {
  hw_id worker_id;
  const char *hash;
  hw_time now;
} secret_ctx;

static int secret_tx(hw_store *st, void *vctx, hw_records *rec) {
  secret_ctx *x = vctx;
  int rc = hw_store_set_calendar_secret(st, x->worker_id, x->hash, x->now);
  if (rc == 0) hw_records_note(rec, "calendar secret of worker %lld rotated", (long long)x->worker_id);
  return rc;
}

int hw_service_calendar_secret(hw_service *svc, hw_change *c, hw_id worker_id, const char *hash_hex) {
  hw_worker w;
  hw_id locality = 0;
  int rc = hw_service_get_worker(svc->st, c->scope, worker_id, &w);
  if (rc == 0) rc = hw__svc_worker_locality(svc->st, worker_id, &locality);
  if (rc) return rc;
  secret_ctx x = {worker_id, hash_hex, c->now};
  int own;
  rc = hw__svc_begin(svc->st, &own);
  if (rc == 0)
    rc = hw__svc_end(svc->st, own, hw__svc_apply(svc->st, c, "calendar.rotated", locality, secret_tx, &x));
  return rc;
}

int hw_service_calendar_worker(hw_store *st, const char *hash_hex, hw_id *worker_id) {
  return hw_store_find_calendar_secret(st, hash_hex, worker_id);
}

/* ---- Late visits ---------------------------------------------------------------------------- */

int hw_service_late_visits(hw_store *st, const hw_scope *scope, hw_id locality, hw_time now, int32_t grace_minutes,
                           hw_visit **out, int32_t *n) {
  int rc = hw_service_visits(st, scope, hw_time_local_date(now), locality, HW_VISIT_ASSIGNED, 0, out, n);
  int32_t k = 0;
  for (int32_t i = 0; rc == 0 && i < *n; i++) {
    const hw_visit *v = &(*out)[i];
    if (v->planned_start != HW_TIME_NONE && v->check_in == HW_TIME_NONE &&
        v->planned_start + (hw_time)grace_minutes * 60 <= now)
      (*out)[k++] = *v;
  }
  if (rc == 0) *n = k;
  return rc;
}
