/*
 * Care plan templates to concrete visits (hw_visits.h): one pass over the dates of
 * the range, one visit per template whose weekday bit matches.
 */
#include "hw_visits.h"

#include <stdlib.h>

#include "hw_error.h"

void hw_visit_options_init(hw_visit_options *o) {
  o->medication_tolerance_min = 15;
  o->priority_normal = 50;
  o->priority_double = 60;
  o->priority_medication = 90;
}

static int template_valid(const hw_visit_template *t) {
  if ((t->weekdays & 0x7f) == 0) return 0;
  if (t->window.start < 0 || t->window.end > 1440 || t->window.start >= t->window.end) return 0;
  if (t->workers != 1 && t->workers != 2) return 0;
  return t->duration > 0;
}

/* Local wall-clock minute (0..1440) of date as an instant; 1440 is next midnight. */
static hw_time local_instant(hw_date date, int minute) {
  return minute >= 1440 ? hw_local_to_time(date + 1, minute - 1440) : hw_local_to_time(date, minute);
}

/* The service window in minutes of day: the template's, or for a medication visit
 * the prescribed minute +- tolerance, clipped to the template's window. */
static void visit_window_minutes(const hw_visit_template *t, const hw_visit_options *o, int *start, int *end) {
  *start = t->window.start;
  *end = t->window.end;
  if (!t->medication) return;
  int p = t->prescribed_minute;
  if (p < t->window.start || p > t->window.end) return; /* no usable prescription: keep the window */
  int lo = p - o->medication_tolerance_min, hi = p + o->medication_tolerance_min;
  if (lo > *start) *start = lo;
  if (hi < *end) *end = hi;
}

static void fill_visit(hw_visit *v, const hw_visit_template *t, const hw_visit_options *o,
                       hw_id referral_id, hw_id client_id, hw_date date) {
  int ws, we;
  visit_window_minutes(t, o, &ws, &we);
  *v = (hw_visit){0};
  v->referral_id = referral_id;
  v->client_id = client_id;
  v->date = date;
  v->window_start = local_instant(date, ws);
  v->window_end = local_instant(date, we);
  v->duration = t->duration;
  v->skills = t->skills;
  v->workers = t->workers;
  v->medication = t->medication ? 1 : 0;
  if (v->medication) v->skills |= 1u << HW_SKILL_MEDICATION;
  v->priority = v->medication ? o->priority_medication
                : v->workers == 2 ? o->priority_double
                                  : o->priority_normal;
  v->status = HW_VISIT_PLANNED;
  v->planned_start = HW_TIME_NONE;
  v->check_in = HW_TIME_NONE;
  v->check_out = HW_TIME_NONE;
}

/* Template indices sorted by window start (stable), so a day's visits come out in time order. */
static void order_templates(const hw_visit_template *t, int32_t n, int32_t *idx) {
  for (int32_t i = 0; i < n; i++) idx[i] = i;
  for (int32_t i = 1; i < n; i++)
    for (int32_t j = i; j > 0 && t[idx[j - 1]].window.start > t[idx[j]].window.start; j--) {
      int32_t x = idx[j];
      idx[j] = idx[j - 1];
      idx[j - 1] = x;
    }
}

int hw_visits_expand(const hw_visit_template *templates, int32_t n_templates,
                     hw_id referral_id, hw_id client_id, hw_date from, hw_date to,
                     const hw_visit_options *o, hw_visit **out, int32_t *n) {
  hw_visit_options defaults;
  if (!o) {
    hw_visit_options_init(&defaults);
    o = &defaults;
  }
  *out = NULL;
  *n = 0;
  if (from > to || n_templates < 0 || n_templates > HW_MAX_TEMPLATES) return HW_EINVAL;
  for (int32_t i = 0; i < n_templates; i++)
    if (!template_valid(&templates[i])) return HW_EINVAL;
  int32_t order[HW_MAX_TEMPLATES];
  order_templates(templates, n_templates, order);
  int64_t cap = 0;
  for (hw_date d = from; d <= to; d++)
    for (int32_t i = 0; i < n_templates; i++)
      if (templates[i].weekdays & (1u << hw_date_weekday(d))) cap++;
  if (cap == 0) return 0;
  hw_visit *v = malloc((size_t)cap * sizeof *v);
  if (!v) return HW_ENOMEM;
  int32_t k = 0;
  for (hw_date d = from; d <= to; d++)
    for (int32_t i = 0; i < n_templates; i++) {
      const hw_visit_template *t = &templates[order[i]];
      if (t->weekdays & (1u << hw_date_weekday(d))) fill_visit(&v[k++], t, o, referral_id, client_id, d);
    }
  *out = v;
  *n = k;
  return 0;
}

int hw_visits_for_referral(const hw_referral *r, hw_date from, hw_date to,
                           const hw_visit_options *o, hw_visit **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  if (from > to) return HW_EINVAL;
  if (r->status == HW_REFERRAL_CANCELLED || r->start_date == HW_DATE_NONE) return 0;
  hw_date lo = from > r->start_date ? from : r->start_date;
  hw_date hi = to;
  if (r->end_date != HW_DATE_NONE && r->end_date < hi) hi = r->end_date;
  if (lo > hi) return 0;
  return hw_visits_expand(r->templates, r->n_templates, r->id, r->client_id, lo, hi, o, out, n);
}
