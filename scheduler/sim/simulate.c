/*
 * The outcome simulation (hw_simulate.h): a clock that walks through the run's
 * demand in time order and, before each action, runs every cron job of the
 * service that falls due (hw_cron_next), exactly as the daemon's timer does.
 * What the service decides is the service's; this file only keeps time.
 */
#include "hw_simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_error.h"
#include "sim_internal.h"

static const char *const policy_names[HW_POLICY_COUNT] = {"baseline", "optimized"};

const char *hw_sim_policy_name(hw_sim_policy p) { return (unsigned)p < HW_POLICY_COUNT ? policy_names[p] : "unknown"; }

int hw_sim_policy_parse(const char *s, hw_sim_policy *out) {
  for (int i = 0; i < HW_POLICY_COUNT; i++)
    if (s && strcmp(s, policy_names[i]) == 0) {
      *out = (hw_sim_policy)i;
      return 0;
    }
  return HW_EINVAL;
}

static const char *const miss_names[HW_SIM_MISS_COUNT] = {"round", "accept", "too_late", "skill", "gap_today",
                                                           "gap_later"};

const char *hw_sim_miss_name(hw_sim_miss m) { return (unsigned)m < HW_SIM_MISS_COUNT ? miss_names[m] : "unknown"; }

void hw_sim_options_init(hw_sim_options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->weeks = 52;
  o->reablement_teams = 3;
  o->policy = HW_POLICY_OPTIMIZED;
  o->scale = HW_SCALE_NL;
  o->community_per_1k_clients_week = 34;
  o->sickness_permille = 45;
  hw_d2a_options d;
  hw_d2a_options_init(&d);
  o->later_start = d.later_start;
  o->widen_minutes = d.widen_minutes;
  o->retime = d.retime;
  o->reserve_minutes = 60;
  hw_d2a_forecast_options f;
  hw_d2a_forecast_options_init(&f);
  o->hold_cost_pct = (int32_t)(f.hold_per_miss * 100.0 + 0.5);
  o->plan_iterations = HW_SIM_PLAN_ITERATIONS;
}

void hw_sim_result_free(hw_sim_result *r) {
  free(r->weeks);
  memset(r, 0, sizeof *r);
}

int sim_fail(sim *s, int rc, const char *step, hw_time at) {
  char when[32] = "set-up";
  if (at) hw_time_format(at, when, sizeof when);
  const char *why = s->errs.n ? s->errs.e[0].reason : "";
  snprintf(s->res->error, sizeof s->res->error, "%s at %s: %s%s%s", step, when, hw_strerror(rc), why[0] ? ": " : "",
           why);
  return rc;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- Progress ------------------------------------------------------------------------- */

static int32_t requests_in_hospital(const sim *s) {
  int32_t n = 0;
  for (int32_t i = 0; i < s->n_d2a; i++) n += s->d2a[i].id && s->d2a[i].discharged_at == HW_TIME_NONE;
  return n;
}

/* One line for every simulated week that has ended by t. */
static void progress_to(sim *s, hw_time t) {
  while (s->weeks_reported < s->o->weeks && t >= hw_local_to_time(s->start + 7 * (s->weeks_reported + 1), 0)) {
    s->weeks_reported++;
    if (!s->o->progress) continue;
    hw_referral *w = NULL;
    int32_t waiting = 0;
    if (hw_store_list_referrals_where(s->st, HW_REFERRAL_WAITING, 0, &w, &waiting) < 0) waiting = -1;
    free(w);
    fprintf(s->o->progress,
            "simulate: week %d/%d done, %d referrals waiting, %d people waiting in hospital, %d plans (%d failed), "
            "%.1f s\n",
            (int)s->weeks_reported, (int)s->o->weeks, (int)waiting, (int)requests_in_hospital(s), (int)s->res->plans,
            (int)s->res->plan_failures, (double)(now_ms() - s->t0_ms) / 1000.0);
    fflush(s->o->progress);
  }
}

/* ---- Cron ------------------------------------------------------------------------------ */

/* One locality's plan of `day`, keyed as the daemon's nightly plan jobs are
 * (daemon/timers.c), all on this thread (hw_service_plan_locality). A plan that
 * fails is counted; only a store or memory failure stops the run. */
static int plan_locality(sim *s, hw_id locality, hw_date day, hw_time at) {
  char key[80], why[256] = "";
  snprintf(key, sizeof key, "nightly-plan-%d-%lld", (int)day, (long long)locality);
  hw_change c = {.scope = NULL, .actor = "system", .key = key, .now = at, .errs = NULL};
  hw_plan_report rep;
  int rc = hw_service_plan_locality(s->st, &s->set, locality, day, &s->plan, &c, &rep, why, sizeof why);
  if (rc == 0) {
    s->res->plans++;
    s->res->plan_ms += rep.solve_ms;
    hw_plan_report_free(&rep);
    return 0;
  }
  s->res->plan_failures++;
  if (s->o->progress) {
    char date[16];
    fprintf(s->o->progress, "simulate: the plan of locality %lld for %s failed: %s (%s)\n", (long long)locality,
            hw_date_format(day, date, sizeof date), hw_strerror(rc), why[0] ? why : hw_store_errmsg(s->st));
  }
  return rc == HW_EIO || rc == HW_ENOMEM ? rc : 0;
}

/* The nightly plan of tomorrow for every locality, unless tomorrow is past the run. */
static int nightly_plan(sim *s, hw_time at) {
  hw_date day = hw_time_local_date(at) + 1;
  if (day >= s->start + s->days) return 0;
  hw_locality *locs = NULL;
  int32_t n = 0;
  int rc = hw_store_list_localities(s->st, &locs, &n);
  for (int32_t i = 0; rc == 0 && i < n; i++) rc = plan_locality(s, locs[i].id, day, at);
  free(locs);
  return rc < 0 ? sim_fail(s, rc, "the nightly plan", at) : 0;
}

/* A weekly sizing of the D2A reserve, for the report: the mean over the sizings
 * that stored a table (sim_collect turns the sums into means). */
static void note_reserve(sim *s, const hw_reserve_report *r) {
  if (r->localities <= 0) return;
  s->res->reserve_sizings++;
  s->res->reserve_minutes_week += r->held_minutes_week;
  s->res->reserve_covered_pct += r->covered_pct;
}

static int run_job(sim *s, hw_cron_job job, hw_time at) {
  if (job == HW_CRON_PLAN) return nightly_plan(s, at);
  hw_cron_report rep;
  hw_errors_init(&s->errs);
  int rc = hw_cron_run(s->svc, job, at, &rep);
  if (rc < 0) return sim_fail(s, rc, hw_cron_job_name(job), at);
  if (job == HW_CRON_ROUND) {
    s->res->capacity_rounds++;
    s->res->handovers += rep.round.handed_over;
  }
  if (job == HW_CRON_RESERVE) note_reserve(s, &rep.reserve);
  s->res->sweep_upgrades += job == HW_CRON_OFFERS ? rep.upgraded : 0;
  /* The hospital takes up every offer of a start today the job made (the sweep's
   * upgrades of waiting requests included). */
  if (job == HW_CRON_ROUND || (job == HW_CRON_OFFERS && rep.offers + rep.upgraded > 0))
    rc = sim_accept_offered(s, at);
  if (rc == 0 && job == HW_CRON_ROUND) rc = sim_note_started(s);
  return rc < 0 ? sim_fail(s, rc, "noting the round's starts", at) : 0;
}

/* Every job due up to until that has not run, in time order. */
static int run_cron_until(sim *s, hw_time until) {
  hw_cron_job job;
  hw_time at;
  while (hw_cron_next(&s->cron, &s->cron_at, until, &job, &at)) {
    progress_to(s, at);
    int rc = run_job(s, job, at);
    if (rc < 0) return rc;
  }
  progress_to(s, until);
  return 0;
}

/* ---- The demand's time line ------------------------------------------------------------ */

/* The next action: the earlier of the next one known in advance and the earliest
 * discharge booked (which wins a tie: the person is already on their way).
 * Returns 0 when none is left. */
static int next_action(const sim *s, int32_t next_static, sim_action *out, int32_t *due_slot) {
  *due_slot = -1;
  for (int32_t k = 0; k < s->n_due; k++)
    if (*due_slot < 0 || s->due[k].at < s->due[*due_slot].at ||
        (s->due[k].at == s->due[*due_slot].at && s->due[k].index < s->due[*due_slot].index))
      *due_slot = k;
  int has_static = next_static < s->n_acts;
  if (*due_slot >= 0 && (!has_static || s->due[*due_slot].at <= s->acts[next_static].at)) {
    *out = s->due[*due_slot];
    return 1;
  }
  *due_slot = -1;
  if (!has_static) return 0;
  *out = s->acts[next_static];
  return 1;
}

static int perform(sim *s, const sim_action *a) {
  switch ((sim_action_kind)a->kind) {
    case SIM_ACT_DISCHARGED: return sim_discharge(s, a->index, a->at);
    case SIM_ACT_ABSENCES: return sim_record_sickness(s, s->start + a->index, a->at);
    case SIM_ACT_REVIEWS: return sim_hold_reviews(s, s->start + a->index, a->at);
    case SIM_ACT_D2A: return sim_request_discharge(s, a->index, a->at);
    case SIM_ACT_REFERRAL: return sim_send_referral(s, a->index, a->at);
    case SIM_ACT_KIND_COUNT: break;
  }
  return HW_EINVAL;
}

static int run_clock(sim *s) {
  int32_t next_static = 0;
  for (;;) {
    sim_action a;
    int32_t due_slot;
    int has = next_action(s, next_static, &a, &due_slot);
    int rc = run_cron_until(s, has ? a.at : s->end);
    if (rc < 0 || !has) return rc;
    if (due_slot >= 0) s->due[due_slot] = s->due[--s->n_due];
    else next_static++;
    if ((rc = perform(s, &a)) < 0) return rc;
  }
}

/* ---- The run ------------------------------------------------------------------------------ */

static const char *check_options(const hw_sim_options *o) {
  if (o->weeks < 1 || o->weeks > 52) return "weeks: must be 1..52";
  if (o->reablement_teams != 2 && o->reablement_teams != 3) return "reablement_teams: must be 2 or 3";
  if ((unsigned)o->policy >= HW_POLICY_COUNT) return "policy: must be baseline or optimized";
  if ((unsigned)o->scale >= HW_SCALE_COUNT) return "scale: must be nl, locality or small";
  if (o->community_per_1k_clients_week < 0 || o->community_per_1k_clients_week > 1000)
    return "community_per_1k_clients_week: must be 0..1000";
  if (o->sickness_permille < 0 || o->sickness_permille > 1000) return "sickness_permille: must be 0..1000";
  if (o->widen_minutes < 0 || o->widen_minutes > 240) return "widen_minutes: must be 0..240";
  if (o->reserve_minutes < 0 || o->reserve_minutes > HW_D2A_RESERVE_MAX) return "reserve_minutes: must be 0..240";
  if (o->hold_cost_pct < 0 || o->hold_cost_pct > 100) return "hold_cost_pct: must be 0..100";
  if (o->plan_iterations < 1 || o->plan_iterations > 100000000) return "plan_iterations: must be 1..100000000";
  return NULL;
}

int hw_simulate(const hw_sim_options *o, hw_sim_result *out) {
  memset(out, 0, sizeof *out);
  const char *bad = check_options(o);
  if (bad) {
    snprintf(out->error, sizeof out->error, "%s", bad);
    return HW_EINVAL;
  }
  sim s = {.o = o, .res = out, .days = o->weeks * 7, .t0_ms = now_ms()};
  int rc = sim_setup(&s);
  if (rc == 0) rc = sim_demand_build(&s);
  if (rc == 0) rc = run_clock(&s);
  if (rc == 0) rc = sim_collect(&s);
  sim_teardown(&s);
  out->elapsed_ms = now_ms() - s.t0_ms;
  if (rc < 0) {
    free(out->weeks);
    out->weeks = NULL;
    out->n_weeks = 0;
  }
  return rc;
}
