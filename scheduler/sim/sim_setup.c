/*
 * The simulation's set-up (sim_internal.h): the synthetic partnership, a third
 * reablement team per locality when asked, the D2A stream taken out of it (the
 * requests arrive one by one on the clock), the run's own store with the
 * partnership saved in it, and the service with the policy's settings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_error.h"
#include "sim_internal.h"

#define MAX_LOCALITIES 8

/* The first reablement team of locality l (generator ids are positions + 1), 0 none. */
static hw_id first_reablement_team(const hw_partnership *P, hw_id locality_id) {
  for (int32_t t = 0; t < P->n_teams; t++)
    if (P->teams[t].locality_id == locality_id && P->teams[t].kind == HW_TEAM_REABLEMENT) return P->teams[t].id;
  return 0;
}

/* A third reablement team per locality is one more establishment like the first:
 * a copy of team 1's workers (new ids, same shifts, skills and bases). The
 * generator staffs teams to the demand it generates, so two and three teams would
 * otherwise share the same staff. */
static int add_third_teams(hw_partnership *P) {
  int32_t n_loc = P->n_localities < MAX_LOCALITIES ? P->n_localities : MAX_LOCALITIES;
  hw_id first[MAX_LOCALITIES] = {0};
  int32_t extra = 0;
  for (int32_t l = 0; l < n_loc; l++) {
    first[l] = first_reablement_team(P, P->localities[l].id);
    for (int32_t i = 0; i < P->n_workers; i++) extra += first[l] && P->workers[i].team_id == first[l];
  }
  hw_team *teams = realloc(P->teams, ((size_t)P->n_teams + (size_t)n_loc) * sizeof *teams);
  if (!teams) return HW_ENOMEM;
  P->teams = teams;
  hw_worker *w = realloc(P->workers, ((size_t)P->n_workers + (size_t)extra + 1) * sizeof *w);
  if (!w) return HW_ENOMEM;
  P->workers = w;
  int32_t n_workers0 = P->n_workers;
  for (int32_t l = 0; l < n_loc; l++) {
    if (!first[l]) continue;
    hw_team *nt = &P->teams[P->n_teams];
    *nt = P->teams[first[l] - 1];
    nt->id = ++P->n_teams;
    snprintf(nt->name, sizeof nt->name, "%.40s Reablement 3", P->localities[l].name);
    for (int32_t i = 0; i < n_workers0; i++)
      if (P->workers[i].team_id == first[l]) {
        hw_worker *c = &P->workers[P->n_workers];
        *c = P->workers[i];
        c->id = ++P->n_workers;
        c->team_id = nt->id;
      }
  }
  return 0;
}

/* The D2A stream leaves the partnership: each request is made on the clock, at
 * its ready time, through the service. Requests ready after the run are dropped. */
static int take_d2a_stream(sim *s) {
  hw_partnership *P = &s->P;
  s->d2a = calloc((size_t)P->n_discharges + 1, sizeof *s->d2a);
  if (!s->d2a) return HW_ENOMEM;
  for (int32_t i = 0; i < P->n_discharges; i++) {
    const hw_discharge *d = &P->discharges[i];
    if (d->ready_at >= s->end || d->n_templates == 0) continue;
    sim_d2a *x = &s->d2a[s->n_d2a++];
    x->d = *d;
    x->d.id = 0;
    x->discharged_at = HW_TIME_NONE;
    x->miss = -1;
  }
  P->n_discharges = 0;
  return 0;
}

static int list_workers(sim *s) {
  s->workers = malloc(((size_t)s->P.n_workers + 1) * sizeof *s->workers);
  if (!s->workers) return HW_ENOMEM;
  for (int32_t i = 0; i < s->P.n_workers; i++)
    if (s->P.workers[i].active) s->workers[s->n_workers++] = s->P.workers[i].id;
  return 0;
}

static int generate(sim *s) {
  hw_generate_options g;
  hw_generate_options_init(&g);
  g.seed = s->o->seed;
  g.scale = s->o->scale;
  g.reablement_teams = 2; /* the third team is added below as a like establishment */
  g.d2a_weeks = s->o->weeks;
  int rc = hw_generate(&g, &s->P);
  if (rc < 0) return rc;
  s->start = g.start;
  s->end = hw_local_to_time(s->start + s->days, 0);
  s->P.n_absences = 0; /* the simulation records its own sickness, day by day */
  if (s->o->reablement_teams == 3 && (rc = add_third_teams(&s->P)) < 0) return rc;
  rc = take_d2a_stream(s);
  return rc < 0 ? rc : list_workers(s);
}

/* The policy as service settings: optimized is the service's defaults with the
 * options' levers and the reserve sized weekly at the options' hold cost;
 * baseline is the service as it was before - no offer on arrival, a
 * first-come-first-served round, no levers, no reserve (fixed or forecast). */
static void settings_for(const hw_sim_options *o, hw_service_settings *set) {
  hw_service_settings_init(set);
  hw_d2a_options *d = &set->d2a;
  if (o->policy == HW_POLICY_OPTIMIZED) {
    d->later_start = o->later_start;
    d->widen_minutes = o->widen_minutes;
    d->retime = o->retime;
    d->reserve_minutes = o->reserve_minutes;
    set->forecast.hold_per_miss = (double)o->hold_cost_pct / 100.0;
    return;
  }
  set->offers_on_arrival = 0;
  set->round_optimised = 0;
  set->reserve_forecast_weeks = 0;
  d->later_start = d->widen_minutes = d->retime = d->reassign = d->reserve_minutes = 0;
}

/* The nightly plan's parameters: a fixed iteration budget and no time limit, so
 * the plan (and the run) does not depend on the machine's speed. The service
 * takes the D2A reserve from its settings. */
static void plan_params_for(const sim *s, hw_plan_params *p) {
  hw_plan_params_init(p);
  p->time_limit_s = 0;
  p->max_iterations = s->o->plan_iterations;
}

/* A new, empty file for a temporary store. */
static int temporary_path(sim *s) {
  const char *dir = getenv("TMPDIR");
  snprintf(s->db_path, sizeof s->db_path, "%s/homeward-sim-XXXXXX", dir && dir[0] ? dir : "/tmp");
  int fd = mkstemp(s->db_path);
  if (fd < 0) return HW_EIO;
  close(fd);
  s->remove_db = 1;
  return 0;
}

static int open_store(sim *s) {
  int rc = 0;
  if (s->o->db_path) {
    if (access(s->o->db_path, F_OK) == 0) {
      snprintf(s->res->error, sizeof s->res->error, "%.120s exists: the simulation needs a new database", s->o->db_path);
      return HW_EINVAL;
    }
    snprintf(s->db_path, sizeof s->db_path, "%s", s->o->db_path);
  } else if ((rc = temporary_path(s)) < 0) {
    snprintf(s->res->error, sizeof s->res->error, "cannot make a temporary database: %s", strerror(errno));
    return rc;
  }
  hw_store_options so;
  hw_store_options_init(&so);
  so.sync = HW_SYNC_OFF; /* a simulation's store need not survive a power cut */
  char msg[160] = "";
  rc = hw_store_open(s->db_path, &so, &s->st, msg, sizeof msg);
  if (rc < 0) snprintf(s->res->error, sizeof s->res->error, "cannot open %.80s: %.100s", s->db_path, msg);
  return rc;
}

int sim_setup(sim *s) {
  int rc = generate(s);
  if (rc < 0) return sim_fail(s, rc, "generating the partnership", 0);
  settings_for(s->o, &s->set);
  hw_cron_settings_init(&s->cron);
  plan_params_for(s, &s->plan);
  if ((rc = open_store(s)) < 0) return rc;
  /* The partnership as it stood the evening before day one. */
  hw_time before = hw_local_to_time(s->start - 1, s->cron.nightly_plan_at) - 1;
  rc = hw_store_save_partnership(s->st, &s->P, "generator", before);
  if (rc < 0) {
    snprintf(s->res->error, sizeof s->res->error, "saving the partnership: %s", hw_store_errmsg(s->st));
    return rc;
  }
  s->svc = hw_service_new(s->st, &s->set);
  s->cron_at = hw_cron_start(before);
  return s->svc ? 0 : HW_ENOMEM;
}

static void remove_store_files(const char *path) {
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  char p[600];
  for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
}

void sim_teardown(sim *s) {
  hw_service_free(s->svc);
  hw_store_close(s->st);
  if (s->remove_db) remove_store_files(s->db_path);
  hw_partnership_free(&s->P);
  free(s->d2a);
  free(s->refs);
  free(s->acts);
  free(s->due);
  free(s->workers);
}
