/*
 * D2A slot offers (hw_d2a.h): the search over days and tiers, by insertion into
 * the current rosters. The store wrappers live in d2a_store.c.
 */
#include "hw_d2a.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_solver.h"

void hw_d2a_options_init(hw_d2a_options *o) {
  o->lead_minutes = 120;
  o->first_days = 2;
  o->max_days = 14;
  hw_visit_options_init(&o->visit);
}

/* The new visits of one day: the plan's visits on date; on the first day only
 * those that can still start at or after `earliest`, with their windows clipped. */
static int day_visits(const hw_d2a_options *o, const hw_client *c, const hw_visit_template *t, int32_t n,
                      hw_date date, hw_time earliest, hw_visit **out, int32_t *n_out) {
  int rc = hw_visits_expand(t, n, 0, c->id, date, date, &o->visit, out, n_out);
  if (rc < 0) return rc;
  int32_t k = 0;
  for (int32_t i = 0; i < *n_out; i++) {
    hw_visit v = (*out)[i];
    if (v.window_end < earliest) continue;
    if (v.window_start < earliest) v.window_start = earliest;
    (*out)[k++] = v;
  }
  *n_out = k;
  return 0;
}

/* Try to fit `fresh` into the rosters of date for tier; on success append the
 * placed visits to the offer. Returns 1 fitted, 0 not, or a negative error. */
static int fit_day(const hw_day_source *src, hw_date date, int tier, const hw_visit *fresh, int32_t n_fresh,
                   hw_d2a_offer *offer) {
  hw_day_input in = {0};
  int rc = src->load(src->user, date, tier, &in);
  if (rc < 0) return rc;
  hw_visit *all = malloc(((size_t)in.n_visits + (size_t)n_fresh) * sizeof *all);
  hw_id *teams = calloc((size_t)in.n_visits + (size_t)n_fresh, sizeof *teams); /* new visits: any team */
  if (!all || !teams) {
    free(all);
    free(teams);
    src->release(src->user, &in);
    return HW_ENOMEM;
  }
  if (in.n_visits > 0) { /* memcpy from NULL is undefined even for 0 bytes */
    if (in.visit_team) memcpy(teams, in.visit_team, (size_t)in.n_visits * sizeof *teams);
    memcpy(all, in.visits, (size_t)in.n_visits * sizeof *all);
  }
  memcpy(all + in.n_visits, fresh, (size_t)n_fresh * sizeof *all);
  int32_t base = in.n_visits;
  hw_day_input day = in;
  day.visits = all;
  day.n_visits = base + n_fresh;
  day.visit_team = in.visit_team ? teams : NULL;
  day.date = date;
  day.pin_mode = HW_DAY_PIN_ASSIGNED;
  hw_day_problem dp;
  char msg[160];
  hw_solution s;
  hw_solution_init(&s);
  int32_t jobs[HW_D2A_MAX_VISITS];
  int fitted = 0;
  rc = hw_day_build(&day, &dp, msg, sizeof msg);
  if (rc < 0) goto out;
  for (int32_t i = 0; i < n_fresh; i++)
    if (dp.visit_unskilled[base + i]) {
      snprintf(offer->reason, sizeof offer->reason, "no worker on shift holds the skills of a visit");
      goto done;
    }
  rc = hw_day_current_solution(&dp, &s);
  if (rc < 0) goto done;
  for (int32_t i = 0; i < n_fresh; i++) jobs[i] = dp.visit_job[base + i];
  rc = hw_insert_jobs(&dp.p, &s, jobs, n_fresh);
  if (rc < 0) goto done;
  if (rc < n_fresh) {
    snprintf(offer->reason, sizeof offer->reason, "no gap in the rosters for %d of %d visits", n_fresh - rc, n_fresh);
    rc = 0;
    goto done;
  }
  rc = 0;
  for (int32_t i = 0; i < n_fresh && offer->n_visits < HW_D2A_MAX_VISITS; i++) {
    hw_visit v = fresh[i];
    for (int32_t k = 0; k < v.workers; k++) {
      int32_t r;
      hw_tick start;
      if (!hw_day_job_placement(&s, jobs[i], k, &r, &start)) continue;
      v.worker_ids[k] = in.workers[dp.res_worker[r]].id;
      v.planned_start = dp.day0 + start;
    }
    v.status = HW_VISIT_ASSIGNED;
    v.pinned = 1;
    offer->visits[offer->n_visits++] = v;
  }
  fitted = 1;
done:
  hw_day_free(&dp);
out:
  hw_solution_free(&s);
  free(all);
  free(teams);
  src->release(src->user, &in);
  return rc < 0 ? rc : fitted;
}

/* Try start date d with tier: every one of the first days must fit. */
static int try_start(const hw_d2a_options *o, const hw_day_source *src, const hw_client *c,
                     const hw_visit_template *t, int32_t n, hw_date d, int tier, hw_time earliest,
                     hw_d2a_offer *out) {
  out->n_visits = 0;
  for (int32_t k = 0; k < o->first_days; k++) {
    hw_visit *fresh = NULL;
    int32_t nf = 0;
    int rc = day_visits(o, c, t, n, d + k, k == 0 ? earliest : HW_TIME_NONE, &fresh, &nf);
    if (rc < 0) return rc;
    if (k == 0 && nf == 0) {
      free(fresh);
      snprintf(out->reason, sizeof out->reason, "no visit of the care plan can start after the lead time");
      return 0;
    }
    if (out->n_visits + nf > HW_D2A_MAX_VISITS) {
      free(fresh);
      return HW_EINVAL;
    }
    rc = nf ? fit_day(src, d + k, tier, fresh, nf, out) : 1;
    free(fresh);
    if (rc <= 0) return rc;
  }
  return 1;
}

int hw_d2a_find(const hw_d2a_options *o, const hw_day_source *src, const hw_client *client,
                const hw_visit_template *t, int32_t n, hw_time ready_at, hw_time now, hw_d2a_offer *out) {
  memset(out, 0, sizeof *out);
  out->start_date = HW_DATE_NONE;
  out->first_visit = HW_TIME_NONE;
  if (n <= 0) return HW_EINVAL;
  hw_time from = ready_at > now ? ready_at : now;
  hw_time earliest = from + (hw_time)o->lead_minutes * 60;
  hw_date today = hw_time_local_date(from);
  for (int32_t day = 0; day < o->max_days; day++) {
    for (int tier = 0; tier < src->n_tiers; tier++) {
      int rc = try_start(o, src, client, t, n, today + day, tier, earliest, out);
      if (rc < 0) return rc;
      if (rc == 1) {
        out->found = 1;
        out->start_date = today + day;
        out->tier = tier;
        out->days_tried = day + 1;
        out->first_visit = HW_TIME_NONE;
        for (int32_t i = 0; i < out->n_visits; i++)
          if (out->first_visit == HW_TIME_NONE || out->visits[i].planned_start < out->first_visit)
            out->first_visit = out->visits[i].planned_start;
        return 0;
      }
    }
  }
  out->n_visits = 0;
  out->days_tried = o->max_days;
  return 0;
}
