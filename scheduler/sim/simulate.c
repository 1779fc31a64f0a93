/*
 * The outcome simulation (hw_simulate.h): a day loop over a simulated clock that
 * drives the scheduler's own policy code - pathway reviews, D2A offers by
 * insertion, GLPK capacity allocation, roster construction - and collects the
 * records that hw_outcomes_from_records turns into the partnership's figures.
 */
#include "hw_simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_capacity.h"
#include "hw_d2a.h"
#include "hw_dayplan.h"
#include "hw_error.h"
#include "hw_pathway.h"
#include "hw_solver.h"
#include "hw_visits.h"

#define ALLOC_MINUTE (8 * 60)      /* optimized: the morning capacity allocation */
#define ROUND_MINUTE (9 * 60)      /* baseline: the daily first-come round */
#define LEAVE_MINUTES 60           /* from the decision to leaving the ward */
#define LOOKAHEAD_DAYS 7           /* a team "has room" when it has for a week */
#define MAX_LOCALITIES 8
#define ROUND_MAX_REQUESTS 30      /* requests one locality's allocation model sees */

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

static const char *const miss_names[HW_SIM_MISS_COUNT] = {"round", "no_room", "too_late", "skill", "gap_today",
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
  o->productive_permille = 600;
  o->sickness_permille = 45;
  o->overrun_permille = 100;
  hw_d2a_options d;
  hw_d2a_options_init(&d);
  o->later_start = d.later_start;
  o->widen_minutes = d.widen_minutes;
  o->retime = d.retime;
  o->reserve_minutes = d.reserve_minutes;
}

void hw_sim_result_free(hw_sim_result *r) {
  free(r->weeks);
  memset(r, 0, sizeof *r);
}

/* ---- Deterministic randomness ------------------------------------------------ */

static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* A uniform number in [0, 1000) from a seed and two keys: the same (seed, a, b)
 * always gives the same draw, whatever order the simulation asks in. */
static int32_t draw(uint64_t seed, uint64_t a, uint64_t b) {
  return (int32_t)(mix64(mix64(seed ^ mix64(a)) ^ b) % 1000);
}

/* ---- State -------------------------------------------------------------------- */

enum { REQ_D2A = 0, REQ_COMMUNITY };
enum { REQ_FUTURE = 0, REQ_WAITING, REQ_STARTED };

typedef struct sim_req {
  int32_t kind;
  int32_t locality;               /* index into P.localities */
  hw_id client_id;
  hw_time arrive;                 /* ready_at, or when the referral was received */
  const hw_visit_template *t;
  int32_t n_t;
  int32_t daily_min, cls;
  int32_t state;
  hw_date started;
  hw_time discharged_at;
  hw_sim_miss miss;               /* why not today, when it was not */
} sim_req;

typedef struct sim_episode {
  uint64_t key;                   /* identity for the review draws */
  hw_id client_id;
  int32_t locality, team;         /* team: index into P.teams */
  const hw_visit_template *t;
  int32_t n_t;
  int32_t daily_min, cls;
  hw_episode ep;
} sim_episode;

typedef struct day_cache {
  hw_date date;                   /* HW_DATE_NONE = empty */
  hw_visit *visits;
  int32_t n, cap;
} day_cache;

typedef struct growable {
  void *data;
  int32_t n, cap;
  size_t size;
} growable;

typedef struct sim {
  const hw_sim_options *o;
  hw_partnership P;
  hw_date start;
  int32_t days;
  hw_pathway_policy pathway;
  hw_capacity_options cap_opts;
  hw_d2a_options d2a;
  sim_req *req;
  int32_t n_req;
  growable episodes;              /* sim_episode */
  growable ended;                 /* hw_referral records of ended episodes */
  growable unallocated;           /* hw_visit records left unallocated */
  int32_t *team_cap;              /* [team][weekday][class] minutes */
  int32_t *team_load;             /* [team][class] booked minutes a day */
  int32_t n_loc;
  int32_t loc_reserve[MAX_LOCALITIES]; /* optimized: minutes a day each team keeps for D2A */
  int32_t loc_teams[MAX_LOCALITIES][8], loc_n_teams[MAX_LOCALITIES];
  hw_worker *loc_workers[MAX_LOCALITIES];
  int32_t loc_n_workers[MAX_LOCALITIES];
  day_cache cache[MAX_LOCALITIES][2]; /* today, tomorrow */
  hw_absence *sick;               /* today's and tomorrow's sickness */
  int32_t n_sick;
  hw_absence *held;               /* construction's absences: sickness plus the D2A reserve */
  int32_t cap_held;
  hw_sim_result *res;
  int64_t booked_minutes, capacity_minutes;
  int64_t community_wait_days_sum;
  int32_t community_started;
  int32_t *week_comm_started;
  int64_t *week_comm_wait;
} sim;

static void *grow_push(growable *g, const void *rec) {
  if (g->n == g->cap) {
    int32_t cap = g->cap ? g->cap * 2 : 256;
    void *d = realloc(g->data, (size_t)cap * g->size);
    if (!d) return NULL;
    g->data = d;
    g->cap = cap;
  }
  void *slot = (char *)g->data + (size_t)g->n * g->size;
  memcpy(slot, rec, g->size);
  g->n++;
  return slot;
}

static sim_episode *episode_at(sim *s, int32_t i) { return &((sim_episode *)s->episodes.data)[i]; }
static int32_t *cap_at(sim *s, int32_t team, int wd) { return &s->team_cap[((size_t)team * 7 + wd) * HW_CAP_CLASSES]; }
static int32_t *load_at(sim *s, int32_t team) { return &s->team_load[(size_t)team * HW_CAP_CLASSES]; }

static int32_t locality_index(const sim *s, hw_id locality_id) {
  for (int32_t i = 0; i < s->n_loc; i++)
    if (s->P.localities[i].id == locality_id) return i;
  return 0;
}

static const hw_client *client_of(const sim *s, hw_id id) {
  return id >= 1 && id <= s->P.n_clients ? &s->P.clients[id - 1] : NULL; /* generator ids are 1..n */
}

/* ---- Set-up --------------------------------------------------------------------- */

/* optimized keeps room for the day's discharges: the morning allocation leaves
 * each reablement team twice its share of the locality's expected daily D2A load
 * free, so a person who becomes ready at 14:00 can still be offered today. */
static void protect_d2a_capacity(sim *s) {
  if (s->o->policy != HW_POLICY_OPTIMIZED) return;
  int64_t minutes[MAX_LOCALITIES] = {0};
  for (int32_t i = 0; i < s->n_req; i++)
    if (s->req[i].kind == REQ_D2A) minutes[s->req[i].locality] += s->req[i].daily_min;
  for (int32_t l = 0; l < s->n_loc; l++)
    if (s->loc_n_teams[l] > 0) s->loc_reserve[l] = (int32_t)(2 * minutes[l] / s->days / s->loc_n_teams[l]);
}

/* A third reablement team per locality is one more establishment like the first:
 * a copy of team 1's workers (new ids, same shifts, skills and bases). The
 * generator staffs teams to the demand it generates, so two and three teams would
 * otherwise share the same staff. */
static int add_third_teams(sim *s) {
  hw_partnership *P = &s->P;
  int32_t n_loc = P->n_localities < MAX_LOCALITIES ? P->n_localities : MAX_LOCALITIES;
  hw_id first[MAX_LOCALITIES] = {0};
  int32_t extra = 0;
  for (int32_t l = 0; l < n_loc; l++) {
    for (int32_t t = 0; t < P->n_teams && !first[l]; t++)
      if (P->teams[t].locality_id == P->localities[l].id && P->teams[t].kind == HW_TEAM_REABLEMENT)
        first[l] = P->teams[t].id;
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

static int setup_localities(sim *s) {
  hw_partnership *P = &s->P;
  s->n_loc = P->n_localities < MAX_LOCALITIES ? P->n_localities : MAX_LOCALITIES;
  for (int32_t t = 0; t < P->n_teams; t++) {
    if (P->teams[t].kind != HW_TEAM_REABLEMENT) continue;
    int32_t l = locality_index(s, P->teams[t].locality_id);
    if (s->loc_n_teams[l] < 8) s->loc_teams[l][s->loc_n_teams[l]++] = t;
  }
  for (int32_t l = 0; l < s->n_loc; l++) {
    s->loc_workers[l] = malloc(((size_t)P->n_workers + 1) * sizeof(hw_worker));
    if (!s->loc_workers[l]) return HW_ENOMEM;
    for (int32_t i = 0; i < P->n_workers; i++) {
      const hw_team *t = &P->teams[P->workers[i].team_id - 1];
      if (t->kind == HW_TEAM_REABLEMENT && t->locality_id == P->localities[l].id)
        s->loc_workers[l][s->loc_n_workers[l]++] = P->workers[i];
    }
  }
  s->team_cap = calloc((size_t)P->n_teams * 7 * HW_CAP_CLASSES, sizeof *s->team_cap);
  s->team_load = calloc((size_t)P->n_teams * HW_CAP_CLASSES, sizeof *s->team_load);
  if (!s->team_cap || !s->team_load) return HW_ENOMEM;
  for (int32_t t = 0; t < P->n_teams; t++)
    if (P->teams[t].kind == HW_TEAM_REABLEMENT)
      for (int d = 0; d < 7; d++)
        hw_capacity_team_minutes(P, P->teams[t].id, s->start + d, s->cap_opts.productive_permille,
                                 cap_at(s, t, hw_date_weekday(s->start + d)));
  return 0;
}

static int begin_episode(sim *s, uint64_t key, hw_id client, int32_t loc, int32_t team, const hw_visit_template *t,
                         int32_t n_t, hw_date start) {
  sim_episode e = {.key = key, .client_id = client, .locality = loc, .team = team, .t = t, .n_t = n_t};
  hw_capacity_plan_load(t, n_t, &e.daily_min, &e.cls);
  hw_episode_begin(&s->pathway, &e.ep, start);
  if (e.ep.next_review < s->start) { /* already running: its next weekly review is ahead */
    hw_date last = start + 7 * s->pathway.max_weeks;
    while (e.ep.next_review < s->start && e.ep.next_review < last) e.ep.next_review += s->pathway.review_days;
    if (e.ep.next_review < s->start) e.ep.next_review = s->start;
  }
  load_at(s, team)[0] += e.daily_min;
  if (e.cls == 1) load_at(s, team)[1] += e.daily_min;
  return grow_push(&s->episodes, &e) ? 0 : HW_ENOMEM;
}

/* The reablement episodes running on day one: the generator's recent referrals. */
static int initial_episodes(sim *s) {
  for (int32_t i = 0; i < s->P.n_referrals; i++) {
    const hw_referral *r = &s->P.referrals[i];
    if (r->pathway != HW_PATHWAY_REABLEMENT || r->team_id <= 0) continue;
    const hw_client *c = client_of(s, r->client_id);
    if (!c) continue;
    hw_date st = r->start_date;
    if (st == HW_DATE_NONE || st > s->start || st < s->start - 41) st = s->start - draw(s->o->seed, (uint64_t)r->id, 7) % 35;
    int rc = begin_episode(s, (uint64_t)r->id, r->client_id, locality_index(s, c->locality_id), (int32_t)r->team_id - 1,
                           r->templates, r->n_templates, st);
    if (rc < 0) return rc;
  }
  return 0;
}

/* Poisson count with mean lambda_milli / 1000 from a hashed uniform stream. */
static int32_t poisson(uint64_t seed, uint64_t key, int64_t lambda_milli) {
  double p = 1.0, limit = exp(-(double)lambda_milli / 1000.0);
  int32_t k = 0;
  for (;;) {
    p *= (draw(seed, key, (uint64_t)k) + 0.5) / 1000.0;
    if (p < limit || k > 60) return k;
    k++;
  }
}

static int cmp_req(const void *a, const void *b) {
  const sim_req *x = a, *y = b;
  if (x->arrive != y->arrive) return x->arrive < y->arrive ? -1 : 1;
  if (x->kind != y->kind) return x->kind - y->kind;
  return (x->client_id > y->client_id) - (x->client_id < y->client_id);
}

static int make_requests(sim *s) {
  const hw_partnership *P = &s->P;
  int32_t *refs_of = malloc(((size_t)P->n_referrals + 1) * sizeof *refs_of);
  int32_t n_refs_of[MAX_LOCALITIES] = {0}, first_of[MAX_LOCALITIES + 1] = {0};
  if (!refs_of) return HW_ENOMEM;
  for (int32_t l = 0; l < s->n_loc; l++) {
    first_of[l] = l ? first_of[l - 1] + n_refs_of[l - 1] : 0;
    for (int32_t i = 0; i < P->n_referrals; i++) {
      const hw_client *c = client_of(s, P->referrals[i].client_id);
      if (c && c->locality_id == P->localities[l].id && P->referrals[i].n_templates > 0)
        refs_of[first_of[l] + n_refs_of[l]++] = i;
    }
  }
  int64_t cap = P->n_discharges + 16;
  for (int32_t l = 0; l < s->n_loc; l++)
    cap += (int64_t)n_refs_of[l] * s->o->community_per_1k_clients_week * s->o->weeks / 1000 * 2 + 64;
  s->req = calloc((size_t)cap, sizeof *s->req);
  if (!s->req) {
    free(refs_of);
    return HW_ENOMEM;
  }
  hw_time end = hw_local_to_time(s->start + s->days, 0);
  for (int32_t i = 0; i < P->n_discharges; i++) {
    const hw_discharge *d = &P->discharges[i];
    const hw_client *c = client_of(s, d->client_id);
    if (!c || d->ready_at >= end || d->n_templates == 0) continue;
    sim_req *r = &s->req[s->n_req++];
    *r = (sim_req){.kind = REQ_D2A, .locality = locality_index(s, c->locality_id), .client_id = d->client_id,
                   .arrive = d->ready_at, .t = d->templates, .n_t = d->n_templates, .discharged_at = HW_TIME_NONE};
  }
  for (int32_t l = 0; l < s->n_loc; l++) {
    int64_t lambda_milli = (int64_t)n_refs_of[l] * s->o->community_per_1k_clients_week / 7;
    for (int32_t day = 0; day < s->days && n_refs_of[l] > 0; day++) {
      uint64_t key = ((uint64_t)l << 32) | (uint64_t)day;
      int32_t k = poisson(s->o->seed ^ 0xc0ffee, key, lambda_milli);
      for (int32_t j = 0; j < k && s->n_req < cap; j++) {
        const hw_referral *ref = &P->referrals[refs_of[first_of[l] + draw(s->o->seed, key, 100 + (uint64_t)j) * n_refs_of[l] / 1000]];
        int minute = 9 * 60 + draw(s->o->seed, key, 200 + (uint64_t)j) * 480 / 1000;
        sim_req *r = &s->req[s->n_req++];
        *r = (sim_req){.kind = REQ_COMMUNITY, .locality = l, .client_id = ref->client_id,
                       .arrive = hw_local_to_time(s->start + day, minute), .t = ref->templates,
                       .n_t = ref->n_templates, .discharged_at = HW_TIME_NONE};
      }
    }
  }
  free(refs_of);
  for (int32_t i = 0; i < s->n_req; i++) hw_capacity_plan_load(s->req[i].t, s->req[i].n_t, &s->req[i].daily_min, &s->req[i].cls);
  qsort(s->req, (size_t)s->n_req, sizeof *s->req, cmp_req);
  return 0;
}

/* ---- Rosters of a locality-day ------------------------------------------------- */

static void sickness(sim *s, hw_date today) {
  s->n_sick = 0;
  for (int32_t l = 0; l < s->n_loc; l++)
    for (int32_t i = 0; i < s->loc_n_workers[l]; i++)
      for (int k = 0; k < 2; k++) {
        hw_id w = s->loc_workers[l][i].id;
        if (draw(s->o->seed ^ 0x51c4, (uint64_t)w, (uint64_t)(today + k)) >= s->o->sickness_permille) continue;
        s->sick[s->n_sick++] = (hw_absence){.id = s->n_sick + 1, .worker_id = w,
                                            .from = hw_local_to_time(today + k, 0),
                                            .to = hw_local_to_time(today + k + 1, 0)};
      }
}

static int cache_push(day_cache *c, const hw_visit *v) {
  if (c->n == c->cap) {
    int32_t cap = c->cap ? c->cap * 2 : 256;
    hw_visit *d = realloc(c->visits, (size_t)cap * sizeof *d);
    if (!d) return HW_ENOMEM;
    c->visits = d;
    c->cap = cap;
  }
  c->visits[c->n++] = *v;
  return 0;
}

/* The day's visits of every active episode of the locality, some overrunning. */
static int cache_visits(sim *s, int32_t loc, hw_date date, day_cache *c) {
  for (int32_t i = 0; i < s->episodes.n; i++) {
    const sim_episode *e = episode_at(s, i);
    if (e->locality != loc || e->ep.status != HW_REFERRAL_ALLOCATED || e->ep.start_date > date) continue;
    hw_visit *v = NULL;
    int32_t n = 0;
    int rc = hw_visits_expand(e->t, e->n_t, (hw_id)e->key, e->client_id, date, date, &s->d2a.visit, &v, &n);
    for (int32_t k = 0; k < n && rc == 0; k++) {
      v[k].id = c->n + 1;
      if (draw(s->o->seed ^ 0x0e7, e->key ^ ((uint64_t)date << 20), (uint64_t)k) < s->o->overrun_permille)
        v[k].duration += v[k].duration / 2;
      rc = cache_push(c, &v[k]);
    }
    free(v);
    if (rc < 0) return rc;
  }
  return 0;
}

static void day_input(sim *s, int32_t loc, hw_date date, const day_cache *c, hw_day_input *in) {
  *in = (hw_day_input){.date = date, .workers = s->loc_workers[loc], .n_workers = s->loc_n_workers[loc],
                       .absences = s->sick, .n_absences = s->n_sick, .clients = s->P.clients,
                       .n_clients = s->P.n_clients, .visits = c->visits, .n_visits = c->n,
                       .pin_mode = HW_DAY_PIN_ASSIGNED};
}

/* optimized: the day's sickness plus the D2A reserve of the locality's teams, as
 * construction's absences (the offers load the day without the reserve). */
static int reserve_absences(sim *s, int32_t loc, hw_date date, hw_day_input *in) {
  if (s->o->policy != HW_POLICY_OPTIMIZED || s->o->reserve_minutes == 0) return 0;
  memcpy(s->held, s->sick, (size_t)s->n_sick * sizeof *s->held);
  int32_t minutes[HW_D2A_RESERVE_PEAKS];
  hw_d2a_reserve_fixed(s->o->reserve_minutes, minutes);
  int rc = hw_d2a_reserve_holds(minutes, s->loc_workers[loc], s->loc_n_workers[loc], s->sick,
                                s->n_sick, date, s->held + s->n_sick, s->cap_held - s->n_sick);
  if (rc < 0) return rc;
  in->absences = s->held;
  in->n_absences = s->n_sick + rc;
  return 0;
}

/* Build the rosters by insertion: every visit of the day into empty routes,
 * leaving the D2A reserve free. */
static int construct(sim *s, int32_t loc, day_cache *c) {
  hw_day_input in;
  day_input(s, loc, c->date, c, &in);
  int rc = reserve_absences(s, loc, c->date, &in);
  if (rc < 0) return rc;
  hw_day_problem dp;
  char msg[160];
  rc = hw_day_build(&in, &dp, msg, sizeof msg);
  if (rc < 0) return rc;
  hw_solution sol;
  hw_solution_init(&sol);
  int32_t *jobs = malloc(((size_t)dp.p.n_jobs + 1) * sizeof *jobs);
  rc = jobs ? hw_day_current_solution(&dp, &sol) : HW_ENOMEM;
  for (int32_t j = 0; j < dp.p.n_jobs && rc == 0; j++) jobs[j] = j;
  if (rc == 0 && dp.p.n_jobs > 0) rc = hw_insert_jobs(&dp.p, &sol, jobs, dp.p.n_jobs);
  if (rc >= 0) {
    rc = 0;
    for (int32_t i = 0; i < c->n; i++) {
      hw_visit *v = &c->visits[i];
      int32_t j = dp.visit_job[i];
      for (int32_t k = 0; k < v->workers; k++) {
        int32_t r;
        hw_tick t;
        if (j >= 0 && hw_day_job_placement(&sol, j, k, &r, &t)) {
          v->worker_ids[k] = in.workers[dp.res_worker[r]].id;
          v->planned_start = dp.day0 + t;
        }
      }
    }
  }
  free(jobs);
  hw_solution_free(&sol);
  hw_day_free(&dp);
  return rc;
}

static day_cache *cache_for(sim *s, int32_t loc, hw_date today, hw_date date, int *rc) {
  day_cache *c = &s->cache[loc][date - today];
  *rc = 0;
  if (c->date == date) return c;
  c->date = date;
  c->n = 0;
  *rc = cache_visits(s, loc, date, c);
  if (*rc == 0) *rc = construct(s, loc, c);
  if (*rc < 0) c->date = HW_DATE_NONE;
  return c;
}

typedef struct source_ctx {
  sim *s;
  int32_t loc;
  hw_date today;
} source_ctx;

static int source_load(void *user, hw_date date, int tier, hw_day_input *in) {
  (void)tier;
  source_ctx *x = user;
  if (date < x->today || date > x->today + 1) return HW_EINVAL;
  int rc;
  day_cache *c = cache_for(x->s, x->loc, x->today, date, &rc);
  if (rc < 0) return rc;
  day_input(x->s, x->loc, date, c, in);
  return 0;
}

static void source_release(void *user, hw_day_input *in) {
  (void)user;
  (void)in;
}

static void invalidate(sim *s, int32_t loc) {
  s->cache[loc][0].date = HW_DATE_NONE;
  s->cache[loc][1].date = HW_DATE_NONE;
}

/* ---- Pathway reviews ------------------------------------------------------------- */

/* The finding of an episode's n-th review, from a hash of (episode, n): about 14% of
 * reviews find the person independent, 4% an ongoing need, 2.5% complex need or
 * end of life; the rest are still progressing. */
static hw_review_finding finding_of(const sim *s, const sim_episode *e) {
  int32_t u = draw(s->o->seed ^ 0x7e71e3, e->key, (uint64_t)e->ep.reviews);
  if (u < 25) return u < 12 ? HW_FINDING_END_OF_LIFE : HW_FINDING_COMPLEX_NEED;
  if (u < 165) return HW_FINDING_INDEPENDENT;
  if (u < 205) return HW_FINDING_ONGOING_NEED;
  return HW_FINDING_PROGRESSING;
}

static int reviews(sim *s, hw_date today) {
  for (int32_t i = 0; i < s->episodes.n; i++) {
    sim_episode *e = episode_at(s, i);
    if (!hw_episode_review_due(&e->ep, today)) continue;
    int o = hw_episode_review(&s->pathway, &e->ep, today, finding_of(s, e));
    if (o < 0) return o;
    if (o == HW_OUTCOME_NONE) continue;
    load_at(s, e->team)[0] -= e->daily_min;
    if (e->cls == 1) load_at(s, e->team)[1] -= e->daily_min;
    hw_referral r = {0};
    r.id = s->ended.n + 1;
    r.client_id = e->client_id;
    r.pathway = HW_PATHWAY_REABLEMENT;
    r.status = HW_REFERRAL_ENDED;
    r.outcome = (hw_episode_outcome)o;
    r.start_date = e->ep.start_date;
    r.end_date = today;
    if (!grow_push(&s->ended, &r)) return HW_ENOMEM;
    invalidate(s, e->locality);
  }
  return 0;
}

/* ---- Starting requests ----------------------------------------------------------- */

/* Free minutes of team t for a plan of class cls on every one of the next
 * LOOKAHEAD_DAYS: all its time, and for medication its trained staff's too. */
static int32_t team_room(sim *s, int32_t t, int cls, hw_date today) {
  int32_t room = INT32_MAX;
  for (int d = 0; d < LOOKAHEAD_DAYS; d++)
    for (int c = 0; c <= cls; c++) {
      int32_t f = cap_at(s, t, hw_date_weekday(today + d))[c] - load_at(s, t)[c];
      if (f < room) room = f;
    }
  return room;
}

/* The team of the request's locality with the most room, if it has enough. */
static int32_t team_with_room(sim *s, const sim_req *r, hw_date today) {
  int32_t best = -1, best_room = 0;
  for (int32_t k = 0; k < s->loc_n_teams[r->locality]; k++) {
    int32_t t = s->loc_teams[r->locality][k];
    int32_t room = team_room(s, t, r->cls, today);
    if (room >= r->daily_min && (best < 0 || room > best_room)) {
      best = t;
      best_room = room;
    }
  }
  return best;
}

static int start_request(sim *s, int32_t i, int32_t team, hw_date today, hw_time when) {
  sim_req *r = &s->req[i];
  r->state = REQ_STARTED;
  r->started = today;
  if (r->kind == REQ_D2A) {
    hw_time leave = (when > r->arrive ? when : r->arrive) + LEAVE_MINUTES * 60;
    r->discharged_at = leave;
  } else {
    int32_t wait = today - hw_time_local_date(r->arrive), week = (today - s->start) / 7;
    s->community_wait_days_sum += wait;
    s->community_started++;
    s->week_comm_started[week]++;
    s->week_comm_wait[week] += wait;
  }
  s->res->episodes_started++;
  return begin_episode(s, 1000000ull + (uint64_t)i, r->client_id, r->locality, team, r->t, r->n_t, today);
}

/* baseline: one round a day; in arrival order, each waiting request takes a
 * reablement team of its locality with room, or waits for the next round. */
static int baseline_round(sim *s, hw_date today, hw_time at) {
  for (int32_t i = 0; i < s->n_req; i++) {
    sim_req *r = &s->req[i];
    if (r->state != REQ_WAITING || r->arrive > at) continue;
    int32_t t = team_with_room(s, r, today);
    if (t < 0) continue;
    int rc = start_request(s, i, t, today, at);
    if (rc < 0) return rc;
    invalidate(s, r->locality);
  }
  return 0;
}

/* optimized: the GLPK capacity model over the waiting requests of one locality
 * (teams only take their own locality's people, so localities are independent
 * models); those it starts today start. */
static int capacity_round_locality(sim *s, int32_t l, hw_date today, hw_time at) {
  int32_t n = 0;
  for (int32_t i = 0; i < s->n_req; i++)
    n += s->req[i].locality == l && s->req[i].state == REQ_WAITING && s->req[i].arrive <= at;
  if (n == 0 || s->loc_n_teams[l] == 0) return 0;
  int32_t n_teams = s->loc_n_teams[l];
  hw_capacity_team *teams = calloc((size_t)n_teams, sizeof *teams);
  hw_capacity_request *q = calloc((size_t)n, sizeof *q);
  int32_t *q_req = calloc((size_t)n, sizeof *q_req);
  hw_capacity_decision *dec = calloc((size_t)n, sizeof *dec);
  int rc = HW_ENOMEM;
  if (!teams || !q || !q_req || !dec) goto out;
  for (int32_t k = 0; k < n_teams; k++) {
    int32_t t = s->loc_teams[l][k];
    teams[k] = (hw_capacity_team){.id = s->P.teams[t].id, .locality_id = s->P.teams[t].locality_id,
                                  .kind = HW_TEAM_REABLEMENT};
    /* Each day's free minutes are the least of the week ahead, the same room rule
     * as the baseline's, so the policies differ in how they choose, not in how
     * much they may book. */
    for (int32_t d = 0; d < s->cap_opts.horizon_days; d++)
      for (int c = 0; c < HW_CAP_CLASSES; c++) {
        int32_t least = INT32_MAX;
        for (int a = 0; a < LOOKAHEAD_DAYS; a++) {
          int32_t f = cap_at(s, t, hw_date_weekday(today + d + a))[c];
          if (f < least) least = f;
        }
        teams[k].free_minutes[d][c] = least - load_at(s, t)[c] - s->loc_reserve[l];
      }
  }
  int32_t m = 0;
  for (int32_t pass = 0; pass < 2; pass++) /* discharges first, then by arrival */
  for (int32_t i = 0; i < s->n_req && m < ROUND_MAX_REQUESTS; i++) {
    const sim_req *r = &s->req[i];
    if (r->locality != l || r->state != REQ_WAITING || r->arrive > at) continue;
    if ((r->kind == REQ_D2A) != (pass == 0)) continue;
    q[m] = (hw_capacity_request){.id = i, .locality_id = s->P.localities[l].id,
                                 .pathway = HW_PATHWAY_REABLEMENT, .discharge = r->kind == REQ_D2A,
                                 .source = r->kind == REQ_D2A ? HW_SOURCE_HOSPITAL : HW_SOURCE_COMMUNITY,
                                 .earliest = today, .daily_minutes = r->daily_min, .skill_class = r->cls};
    q_req[m++] = i;
  }
  rc = hw_capacity_allocate(&s->cap_opts, today, teams, n_teams, q, m, dec, NULL);
  if (rc < 0) goto out;
  s->res->capacity_rounds++;
  for (int32_t j = 0; j < m && rc == 0; j++)
    if (dec[j].start_date == today) rc = start_request(s, q_req[j], s->loc_teams[l][dec[j].team], today, at);
  invalidate(s, l);
out:
  free(teams);
  free(q);
  free(q_req);
  free(dec);
  return rc;
}

static int capacity_round(sim *s, hw_date today, hw_time at) {
  int rc = 0;
  for (int32_t l = 0; l < s->n_loc && rc == 0; l++) rc = capacity_round_locality(s, l, today, at);
  return rc;
}

/* optimized: the D2A offer at the moment the person is ready. */
/* The offer's gap-less visit kinds and levers, for the explanation. */
static void note_offer(sim *s, const hw_d2a_offer *offer, hw_date today) {
  hw_sim_result *res = s->res;
  if (offer->found && offer->start_date == today) {
    res->lever_later += (offer->lever & HW_D2A_LEVER_LATER) != 0;
    res->lever_widen += (offer->lever & HW_D2A_LEVER_WIDEN) != 0;
    res->lever_retime += (offer->lever & HW_D2A_LEVER_RETIME) != 0;
  }
  if (offer->miss != HW_D2A_MISS_GAP_TODAY) return;
  res->gap_double += (offer->miss_visits & HW_D2A_VISIT_DOUBLE) != 0;
  res->gap_medication += (offer->miss_visits & HW_D2A_VISIT_MEDICATION) != 0;
  res->gap_morning += (offer->miss_visits & HW_D2A_VISIT_MORNING) != 0;
  res->gap_midday += (offer->miss_visits & HW_D2A_VISIT_MIDDAY) != 0;
  res->gap_evening += (offer->miss_visits & HW_D2A_VISIT_EVENING) != 0;
}

/* The offered visits join the rosters where they were offered, and the visits
 * the offer re-timed move (cache visit ids are positions + 1). */
static int apply_offer(sim *s, int32_t loc, hw_date today, const hw_d2a_offer *offer) {
  int rc = 0;
  for (int32_t k = 0; k < offer->n_moved; k++) {
    const hw_d2a_move *m = &offer->moved[k];
    day_cache *dc = &s->cache[loc][m->date - today];
    if (dc->date == m->date && m->visit_id >= 1 && m->visit_id <= dc->n) dc->visits[m->visit_id - 1].planned_start = m->planned_start;
  }
  s->res->visits_moved += offer->n_moved;
  for (int32_t k = 0; k < offer->n_visits && rc == 0; k++) {
    day_cache *dc = &s->cache[loc][offer->visits[k].date - today];
    if (dc->date != offer->visits[k].date) continue;
    hw_visit v = offer->visits[k];
    v.id = dc->n + 1;
    rc = cache_push(dc, &v);
  }
  return rc;
}

static const hw_sim_miss miss_of_offer[HW_D2A_MISS_COUNT] = {
    [HW_D2A_MISS_NONE] = HW_SIM_MISS_GAP_TODAY, [HW_D2A_MISS_TOO_LATE] = HW_SIM_MISS_TOO_LATE,
    [HW_D2A_MISS_SKILL] = HW_SIM_MISS_SKILL, [HW_D2A_MISS_GAP_TODAY] = HW_SIM_MISS_GAP_TODAY,
    [HW_D2A_MISS_GAP_LATER] = HW_SIM_MISS_GAP_LATER};

static int offer_now(sim *s, int32_t i, hw_date today) {
  sim_req *r = &s->req[i];
  int32_t t = team_with_room(s, r, today);
  r->miss = HW_SIM_MISS_NO_ROOM;
  if (t < 0) return 0;
  const hw_client *c = client_of(s, r->client_id);
  if (!c) return 0;
  source_ctx x = {s, r->locality, today};
  hw_day_source src = {source_load, source_release, &x, 1};
  hw_d2a_offer *offer = malloc(sizeof *offer);
  if (!offer) return HW_ENOMEM;
  int rc = hw_d2a_find(&s->d2a, &src, c, r->t, r->n_t, r->arrive, r->arrive, offer);
  if (rc == 0) {
    note_offer(s, offer, today);
    r->miss = miss_of_offer[offer->miss];
  }
  if (rc == 0 && offer->found && offer->start_date == today) {
    s->res->d2a_offers_today++;
    /* The transport home is booked for the lead time before the first visit (a
     * later start waits on the ward for lunch); the person leaves an hour after. */
    hw_time decided = offer->first_visit - (hw_time)s->d2a.lead_minutes * 60;
    rc = start_request(s, i, t, today, decided > r->arrive ? decided : r->arrive);
    if (rc == 0) rc = apply_offer(s, r->locality, today, offer);
  }
  free(offer);
  return rc;
}

/* ---- The day loop ---------------------------------------------------------------- */

static int end_of_day(sim *s, hw_date today) {
  for (int32_t l = 0; l < s->n_loc; l++) {
    int rc;
    day_cache *c = cache_for(s, l, today, today, &rc);
    if (rc < 0) return rc;
    for (int32_t i = 0; i < c->n; i++) {
      hw_visit v = c->visits[i];
      if (v.worker_ids[0] && (v.workers == 1 || v.worker_ids[1])) continue;
      v.id = s->unallocated.n + 1;
      if (!grow_push(&s->unallocated, &v)) return HW_ENOMEM;
    }
    for (int32_t k = 0; k < s->loc_n_teams[l]; k++) {
      int32_t t = s->loc_teams[l][k];
      s->booked_minutes += load_at(s, t)[0];
      s->capacity_minutes += cap_at(s, t, hw_date_weekday(today))[0];
    }
  }
  return 0;
}

static int simulate_day(sim *s, hw_date today) {
  for (int32_t l = 0; l < s->n_loc; l++) invalidate(s, l);
  sickness(s, today);
  int rc = reviews(s, today);
  if (rc < 0) return rc;
  int optimized = s->o->policy == HW_POLICY_OPTIMIZED;
  hw_time round_at = hw_local_to_time(today, optimized ? ALLOC_MINUTE : ROUND_MINUTE);
  hw_time tomorrow = hw_local_to_time(today + 1, 0);
  int round_done = 0;
  for (int32_t i = 0; i < s->n_req && rc == 0; i++) {
    sim_req *r = &s->req[i];
    if (r->state != REQ_FUTURE || r->arrive >= tomorrow) continue;
    if (!round_done && r->arrive > round_at) {
      rc = optimized ? capacity_round(s, today, round_at) : baseline_round(s, today, round_at);
      round_done = 1;
      if (rc < 0) break;
    }
    r->state = REQ_WAITING;
    if (optimized && r->kind == REQ_D2A && r->arrive > round_at) rc = offer_now(s, i, today);
  }
  if (rc == 0 && !round_done) rc = optimized ? capacity_round(s, today, round_at) : baseline_round(s, today, round_at);
  return rc < 0 ? rc : end_of_day(s, today);
}

/* ---- Results -------------------------------------------------------------------- */

/* The ready-time band of an instant (HW_SIM_READY_BANDS). */
static int ready_band(hw_time t) {
  hw_date d = hw_time_local_date(t);
  int32_t minute = (int32_t)((t - hw_local_to_time(d, 0)) / 60);
  return minute < 12 * 60 ? 0 : minute < 15 * 60 ? 1 : minute < 18 * 60 ? 2 : 3;
}

/* Count the D2A requests that missed their ready day, by reason and ready time. */
static void explain_misses(const sim *s, hw_sim_result *out) {
  for (int32_t i = 0; i < s->n_req; i++) {
    const sim_req *r = &s->req[i];
    if (r->kind != REQ_D2A) continue;
    out->d2a_requests++;
    if (r->state == REQ_STARTED && hw_time_local_date(r->discharged_at) == hw_time_local_date(r->arrive)) {
      out->d2a_same_day++;
      continue;
    }
    out->miss[r->miss]++;
    out->miss_band[r->miss][ready_band(r->arrive)]++;
  }
}

static int collect(sim *s, hw_sim_result *out) {
  explain_misses(s, out);
  int32_t n_d2a = 0;
  for (int32_t i = 0; i < s->n_req; i++) n_d2a += s->req[i].kind == REQ_D2A;
  hw_discharge *d = calloc((size_t)n_d2a + 1, sizeof *d);
  if (!d) return HW_ENOMEM;
  int32_t k = 0;
  for (int32_t i = 0; i < s->n_req; i++) {
    const sim_req *r = &s->req[i];
    if (r->kind != REQ_D2A) continue;
    d[k] = (hw_discharge){.id = k + 1, .client_id = r->client_id, .ready_at = r->arrive,
                          .status = r->state == REQ_STARTED ? HW_DISCHARGE_DISCHARGED : HW_DISCHARGE_WAITING,
                          .offered_start = HW_TIME_NONE, .earliest = HW_DATE_NONE, .discharged_at = r->discharged_at};
    k++;
  }
  hw_outcome_records rec = {.discharges = d, .n_discharges = k,
                            .referrals = s->ended.data, .n_referrals = s->ended.n,
                            .visits = s->unallocated.data, .n_visits = s->unallocated.n};
  hw_outcomes o;
  hw_outcomes_init(&o);
  int rc = hw_outcomes_from_records(&rec, s->start, s->start + s->days - 1, &o);
  free(d);
  if (rc < 0) return rc;
  out->n_weeks = o.n_weeks;
  out->weeks = calloc((size_t)o.n_weeks, sizeof *out->weeks);
  if (!out->weeks) {
    hw_outcomes_free(&o);
    return HW_ENOMEM;
  }
  for (int32_t w = 0; w < o.n_weeks; w++) {
    const hw_outcomes_week *ow = &o.weeks[w];
    hw_sim_week *sw = &out->weeks[w];
    sw->week = w + 1;
    sw->occupied_bed_days = ow->occupied_bed_days;
    sw->same_day_discharge_pct = ow->discharged ? 100.0 * ow->discharged_same_day / ow->discharged : -1;
    sw->d2a_requests = ow->d2a_requests;
    sw->discharged = ow->discharged;
    sw->reablement_independent_pct = ow->reablement_ended ? 100.0 * ow->reablement_independent / ow->reablement_ended : -1;
    sw->unallocated_visit_hours = (double)ow->unallocated_visit_minutes / 60.0;
    sw->community_started = s->week_comm_started[w];
    sw->community_wait_days = s->week_comm_started[w] ? (double)s->week_comm_wait[w] / s->week_comm_started[w] : -1;
  }
  out->same_day_discharge_pct = o.same_day_discharge_pct;
  out->weekly_occupied_bed_days_mean = o.weekly_occupied_bed_days_mean;
  out->weekly_occupied_bed_days_median = o.weekly_occupied_bed_days_median;
  out->reablement_independent_pct = o.reablement_independent_pct;
  out->community_wait_days = s->community_started ? (double)s->community_wait_days_sum / s->community_started : -1;
  double unallocated = 0;
  for (int32_t w = 0; w < out->n_weeks; w++) unallocated += out->weeks[w].unallocated_visit_hours;
  out->unallocated_visit_hours_week = out->n_weeks ? unallocated / out->n_weeks : 0;
  out->utilisation_pct = s->capacity_minutes ? 100.0 * (double)s->booked_minutes / (double)s->capacity_minutes : -1;
  hw_outcomes_free(&o);
  return 0;
}

static void progress_line(const sim *s, int32_t week) {
  if (!s->o->progress) return;
  int32_t waiting = 0, active = 0;
  for (int32_t i = 0; i < s->n_req; i++) waiting += s->req[i].state == REQ_WAITING;
  for (int32_t i = 0; i < s->episodes.n; i++) active += ((const sim_episode *)s->episodes.data)[i].ep.status == HW_REFERRAL_ALLOCATED;
  fprintf(s->o->progress, "simulate: week %d/%d done, %d episodes active, %d requests waiting\n", (int)week,
          (int)s->o->weeks, (int)active, (int)waiting);
  fflush(s->o->progress);
}

static void sim_free(sim *s) {
  free(s->req);
  free(s->episodes.data);
  free(s->ended.data);
  free(s->unallocated.data);
  free(s->team_cap);
  free(s->team_load);
  free(s->sick);
  free(s->held);
  free(s->week_comm_started);
  free(s->week_comm_wait);
  for (int32_t l = 0; l < MAX_LOCALITIES; l++) {
    free(s->loc_workers[l]);
    free(s->cache[l][0].visits);
    free(s->cache[l][1].visits);
  }
  hw_partnership_free(&s->P);
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int setup(sim *s) {
  hw_generate_options g;
  hw_generate_options_init(&g);
  g.seed = s->o->seed;
  g.scale = s->o->scale;
  g.reablement_teams = 2; /* the third team is added below as a like establishment */
  g.d2a_weeks = s->o->weeks;
  int rc = hw_generate(&g, &s->P);
  if (rc < 0) return rc;
  s->start = g.start;
  s->P.n_absences = 0; /* the simulation draws its own sickness */
  if (s->o->reablement_teams == 3 && (rc = add_third_teams(s)) < 0) return rc;
  rc = setup_localities(s);
  if (rc == 0) rc = initial_episodes(s);
  if (rc == 0) rc = make_requests(s);
  if (rc < 0) return rc;
  protect_d2a_capacity(s);
  int32_t total_workers = 0;
  for (int32_t l = 0; l < s->n_loc; l++) total_workers += s->loc_n_workers[l];
  s->sick = calloc((size_t)total_workers * 2 + 1, sizeof *s->sick);
  /* sickness, plus at most one reserve slot per worker and peak */
  s->cap_held = total_workers * (2 + HW_D2A_RESERVE_PEAKS) + 1;
  s->held = calloc((size_t)s->cap_held, sizeof *s->held);
  s->week_comm_started = calloc((size_t)s->o->weeks + 1, sizeof *s->week_comm_started);
  s->week_comm_wait = calloc((size_t)s->o->weeks + 1, sizeof *s->week_comm_wait);
  return s->sick && s->held && s->week_comm_started && s->week_comm_wait ? 0 : HW_ENOMEM;
}

int hw_simulate(const hw_sim_options *o, hw_sim_result *out) {
  memset(out, 0, sizeof *out);
  if (o->weeks < 1 || o->weeks > 52 || (o->reablement_teams != 2 && o->reablement_teams != 3) ||
      (unsigned)o->policy >= HW_POLICY_COUNT || o->community_per_1k_clients_week < 0 ||
      o->widen_minutes < 0 || o->widen_minutes > 240 || o->reserve_minutes < 0 ||
      o->reserve_minutes > HW_D2A_RESERVE_MAX ||
      o->productive_permille < 100 || o->productive_permille > 1000)
    return HW_EINVAL;
  int64_t t0 = now_ms();
  sim s = {.o = o, .res = out, .days = o->weeks * 7};
  s.episodes.size = sizeof(sim_episode);
  s.ended.size = sizeof(hw_referral);
  s.unallocated.size = sizeof(hw_visit);
  hw_pathway_policy_init(&s.pathway);
  hw_capacity_options_init(&s.cap_opts);
  s.cap_opts.horizon_days = 3;
  s.cap_opts.time_limit_s = 2.0;
  s.cap_opts.productive_permille = o->productive_permille;
  hw_d2a_options_init(&s.d2a);
  s.d2a.max_days = 1; /* today or wait for the morning allocation */
  s.d2a.later_start = o->later_start;
  s.d2a.widen_minutes = o->widen_minutes;
  s.d2a.retime = o->retime;
  s.d2a.reserve_minutes = o->reserve_minutes;
  for (int32_t l = 0; l < MAX_LOCALITIES; l++) s.cache[l][0].date = s.cache[l][1].date = HW_DATE_NONE;
  int rc = setup(&s);
  for (int32_t day = 0; day < s.days && rc == 0; day++) {
    rc = simulate_day(&s, s.start + day);
    if (rc == 0 && day % 7 == 6) progress_line(&s, day / 7 + 1);
  }
  if (rc == 0) rc = collect(&s, out);
  sim_free(&s);
  out->elapsed_ms = now_ms() - t0;
  if (rc < 0) hw_sim_result_free(out);
  return rc;
}
