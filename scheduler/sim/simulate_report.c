/*
 * The simulation's report (hw_simulate.h): the JSON document of `homeward
 * simulate --out` and the weekly SVG chart of `--svg`, written by hand (axes,
 * labels, two series, target lines) so no plotting library is needed.
 */
#include <stdio.h>

#include "hw_error.h"
#include "hw_simulate.h"

static json_t *pct_json(double x) { return x < 0 ? json_null() : json_real(hw_round1(x)); }

/* {"d2a_requests", "same_day", "miss": {reason: {"total", "by_ready"}}, "gap_kinds",
 * "levers", "visits_moved"}: why requests missed their ready day. */
static json_t *explain_json(const hw_sim_result *r) {
  json_t *miss = json_object();
  for (int m = 0; miss && m < HW_SIM_MISS_COUNT; m++) {
    const int32_t *b = r->miss_band[m];
    json_t *o = json_pack("{s:i, s:[i, i, i, i]}", "total", r->miss[m], "by_ready", b[0], b[1], b[2], b[3]);
    if (!o || json_object_set_new(miss, hw_sim_miss_name((hw_sim_miss)m), o) < 0) {
      json_decref(miss);
      return NULL;
    }
  }
  if (!miss) return NULL;
  return json_pack("{s:i, s:i, s:o, s:{s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i}, s:i}", "d2a_requests",
                   r->d2a_requests, "same_day", r->d2a_same_day, "miss", miss, "gap_kinds", "double_handed",
                   r->gap_double, "medication", r->gap_medication, "morning", r->gap_morning, "midday",
                   r->gap_midday, "evening", r->gap_evening, "levers", "later_start", r->lever_later, "widen",
                   r->lever_widen, "retime", r->lever_retime, "visits_moved", r->visits_moved);
}

int hw_sim_write_explain(const hw_sim_result *r, FILE *f) {
  static const char *const bands[HW_SIM_READY_BANDS] = {"<12:00", "12-15", "15-18", ">=18:00"};
  fprintf(f, "same-day explanation: %d D2A requests, %d discharged on their ready day (%.1f%%)\n",
          (int)r->d2a_requests, (int)r->d2a_same_day, r->d2a_requests ? 100.0 * r->d2a_same_day / r->d2a_requests : 0.0);
  fprintf(f, "%-10s %6s", "missed by", "total");
  for (int b = 0; b < HW_SIM_READY_BANDS; b++) fprintf(f, " %8s", bands[b]);
  fprintf(f, "   (ready time)\n");
  for (int m = 0; m < HW_SIM_MISS_COUNT; m++) {
    fprintf(f, "%-10s %6d", hw_sim_miss_name((hw_sim_miss)m), (int)r->miss[m]);
    for (int b = 0; b < HW_SIM_READY_BANDS; b++) fprintf(f, " %8d", (int)r->miss_band[m][b]);
    fprintf(f, "\n");
  }
  fprintf(f, "gap_today misses with a visit of that kind left out: double-handed %d, medication %d, "
             "morning %d, midday %d, evening %d\n",
          (int)r->gap_double, (int)r->gap_medication, (int)r->gap_morning, (int)r->gap_midday, (int)r->gap_evening);
  fprintf(f, "same-day offers that needed a lever: later_start %d, widen %d, retime %d; existing visits re-timed %d\n",
          (int)r->lever_later, (int)r->lever_widen, (int)r->lever_retime, (int)r->visits_moved);
  return ferror(f) ? HW_EIO : 0;
}

json_t *hw_sim_result_to_json(const hw_sim_result *r) {
  json_t *weeks = json_array();
  if (!weeks) return NULL;
  for (int32_t i = 0; i < r->n_weeks; i++) {
    const hw_sim_week *w = &r->weeks[i];
    json_t *o = json_pack("{s:i, s:i, s:o, s:i, s:i, s:o, s:o}", "week", w->week, "occupied_bed_days",
                          w->occupied_bed_days, "same_day_discharge_pct", pct_json(w->same_day_discharge_pct),
                          "d2a_requests", w->d2a_requests, "discharged", w->discharged,
                          "reablement_independent_pct", pct_json(w->reablement_independent_pct),
                          "unallocated_visit_hours", json_real(hw_round1(w->unallocated_visit_hours)));
    if (!o || json_array_append_new(weeks, o) < 0) {
      json_decref(weeks);
      return NULL;
    }
  }
  json_t *explain = explain_json(r);
  if (!explain) {
    json_decref(weeks);
    return NULL;
  }
  return json_pack("{s:o, s:{s:o, s:o, s:o, s:o, s:o}, s:o}", "weeks", weeks, "summary", "same_day_discharge_pct",
                   pct_json(r->same_day_discharge_pct), "weekly_occupied_bed_days_mean",
                   pct_json(r->weekly_occupied_bed_days_mean), "weekly_occupied_bed_days_median",
                   pct_json(r->weekly_occupied_bed_days_median), "reablement_independent_pct",
                   pct_json(r->reablement_independent_pct), "unallocated_visit_hours_week",
                   json_real(hw_round1(r->unallocated_visit_hours_week)), "explain", explain);
}

/* Chart geometry: plot area inside a 900 x 420 canvas. */
#define SVG_W 900
#define SVG_H 420
#define PX0 70
#define PX1 830
#define PY0 50
#define PY1 360

static double xpos(int32_t week, int32_t n) { return n > 1 ? PX0 + (PX1 - PX0) * (double)(week - 1) / (n - 1) : (PX0 + PX1) / 2.0; }
static double ypos(double v, double vmax) { return PY1 - (PY1 - PY0) * (v / vmax); }

static void axes(FILE *f, int32_t n, double bed_max, const char *title) {
  fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">%s</text>\n", SVG_W / 2, title);
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", PX0, PY1, PX1, PY1);
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", PX0, PY0, PX0, PY1);
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", PX1, PY0, PX1, PY1);
  for (int k = 0; k <= 5; k++) {
    double v = bed_max * k / 5, y = ypos(v, bed_max);
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.0f</text>\n", PX0 - 6, y + 4, v);
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\">%d%%</text>\n", PX1 + 6, y + 4, k * 20);
  }
  int step = n > 26 ? 4 : n > 8 ? 2 : 1;
  for (int32_t w = 1; w <= n; w += step)
    fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>\n", xpos(w, n), PY1 + 16, (int)w);
  fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">week</text>\n", (PX0 + PX1) / 2, PY1 + 34);
  fprintf(f, "<text x=\"18\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 18 %d)\" text-anchor=\"middle\" "
             "fill=\"#1f5fa8\">weekly occupied bed days</text>\n", (PY0 + PY1) / 2, (PY0 + PY1) / 2);
  fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" transform=\"rotate(90 %d %d)\" text-anchor=\"middle\" "
             "fill=\"#c0392b\">same-day discharge %%</text>\n", SVG_W - 18, (PY0 + PY1) / 2, SVG_W - 18, (PY0 + PY1) / 2);
}

static void target(FILE *f, double y, const char *colour, const char *label) {
  fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>\n", PX0, y, PX1, y,
          colour);
  fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">%s</text>\n", PX0 + 6, y - 4, colour, label);
}

static void series(FILE *f, const hw_sim_result *r, int bed, double bed_max, const char *colour) {
  fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
  for (int32_t i = 0; i < r->n_weeks; i++) {
    const hw_sim_week *w = &r->weeks[i];
    double v = bed ? w->occupied_bed_days : w->same_day_discharge_pct;
    if (v < 0) continue;
    fprintf(f, "%.1f,%.1f ", xpos(w->week, r->n_weeks), bed ? ypos(v, bed_max) : ypos(v, 100.0));
  }
  fprintf(f, "\"/>\n");
}

int hw_sim_write_svg(const hw_sim_result *r, const char *title, FILE *f) {
  double bed_max = 140;
  for (int32_t i = 0; i < r->n_weeks; i++)
    if (r->weeks[i].occupied_bed_days > bed_max) bed_max = r->weeks[i].occupied_bed_days;
  bed_max = 50.0 * (int)((bed_max + 49.0) / 50.0);
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
             "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
          SVG_W, SVG_H, SVG_W, SVG_H);
  axes(f, r->n_weeks, bed_max, title);
  target(f, ypos(70, bed_max), "#1f5fa8", "target 70 bed days");
  target(f, ypos(100, 100.0), "#c0392b", "target 100% same-day");
  series(f, r, 1, bed_max, "#1f5fa8");
  series(f, r, 0, bed_max, "#c0392b");
  fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#1f5fa8\">&#8212; weekly occupied bed days (left)</text>\n",
          PX0, SVG_H - 14);
  fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#c0392b\">&#8212; same-day discharge %% (right)</text>\n",
          PX0 + 330, SVG_H - 14);
  fprintf(f, "</svg>\n");
  return ferror(f) ? HW_EIO : 0;
}
