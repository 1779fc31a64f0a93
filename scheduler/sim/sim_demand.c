/*
 * The simulation's demand (sim_internal.h): seeded draws, the community referral
 * stream, and every action known in advance on one time line - the D2A requests
 * at their ready times, the community referrals, and the coordinator's mornings.
 * The draws are those of the earlier in-memory simulation, so the same seed
 * brings the same people with the same needs at the same times.
 */
#include <math.h>
#include <stdlib.h>

#include "hw_error.h"
#include "sim_internal.h"

#define MAX_LOCALITIES 8
#define SICKNESS_MINUTE (7 * 60)   /* the day's sickness is known by 07:00 */
#define REVIEWS_MINUTE (9 * 60)    /* the coordinator reviews at 09:00 */
#define REFERRAL_FIRST_MINUTE (9 * 60) /* community referrals arrive 09:00-17:00 */
#define REFERRAL_SPAN_MINUTES (8 * 60)

static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

int32_t sim_draw(uint64_t seed, uint64_t a, uint64_t b) { return (int32_t)(mix64(mix64(seed ^ mix64(a)) ^ b) % 1000); }

/* Poisson count with mean lambda_milli / 1000 from a hashed uniform stream. */
static int32_t poisson(uint64_t seed, uint64_t key, int64_t lambda_milli) {
  double p = 1.0, limit = exp(-(double)lambda_milli / 1000.0);
  int32_t k = 0;
  for (;;) {
    p *= (sim_draw(seed, key, (uint64_t)k) + 0.5) / 1000.0;
    if (p < limit || k > 60) return k;
    k++;
  }
}

/* The generator's referrals with a care plan, grouped by locality (index into
 * P.localities): refs_of[first[l] .. first[l] + count[l]). */
typedef struct plans_by_locality {
  int32_t *refs_of;
  int32_t first[MAX_LOCALITIES], count[MAX_LOCALITIES];
  int32_t n_loc;
} plans_by_locality;

static int group_plans(const hw_partnership *P, plans_by_locality *g) {
  g->n_loc = P->n_localities < MAX_LOCALITIES ? P->n_localities : MAX_LOCALITIES;
  g->refs_of = malloc(((size_t)P->n_referrals + 1) * sizeof *g->refs_of);
  if (!g->refs_of) return HW_ENOMEM;
  int32_t k = 0;
  for (int32_t l = 0; l < g->n_loc; l++) {
    g->first[l] = k;
    g->count[l] = 0;
    for (int32_t i = 0; i < P->n_referrals; i++) {
      hw_id c = P->referrals[i].client_id;
      if (c < 1 || c > P->n_clients || P->referrals[i].n_templates == 0) continue; /* generator ids: positions + 1 */
      if (P->clients[c - 1].locality_id != P->localities[l].id) continue;
      g->refs_of[k++] = i;
      g->count[l]++;
    }
  }
  return 0;
}

/* Each locality-day draws a Poisson count of referrals (community_per_1k_clients_week
 * per 1,000 clients with a plan), each borrowing the care plan (and the home) of
 * one of the locality's clients and arriving between 09:00 and 17:00. */
static int community_stream(sim *s, const plans_by_locality *g) {
  int64_t cap = 16;
  for (int32_t l = 0; l < g->n_loc; l++)
    cap += (int64_t)g->count[l] * s->o->community_per_1k_clients_week * s->o->weeks / 1000 * 2 + 64;
  s->refs = calloc((size_t)cap, sizeof *s->refs);
  if (!s->refs) return HW_ENOMEM;
  uint64_t seed = s->o->seed;
  for (int32_t l = 0; l < g->n_loc; l++) {
    int64_t lambda_milli = (int64_t)g->count[l] * s->o->community_per_1k_clients_week / 7;
    for (int32_t day = 0; day < s->days && g->count[l] > 0; day++) {
      uint64_t key = ((uint64_t)l << 32) | (uint64_t)day;
      int32_t k = poisson(seed ^ 0xc0ffee, key, lambda_milli);
      for (int32_t j = 0; j < k && s->n_refs < cap; j++) {
        int32_t pick = sim_draw(seed, key, 100 + (uint64_t)j) * g->count[l] / 1000;
        int minute = REFERRAL_FIRST_MINUTE + sim_draw(seed, key, 200 + (uint64_t)j) * REFERRAL_SPAN_MINUTES / 1000;
        s->refs[s->n_refs++] = (sim_referral){.at = hw_local_to_time(s->start + day, minute),
                                              .generator_ref = g->refs_of[g->first[l] + pick],
                                              .started = HW_DATE_NONE};
      }
    }
  }
  return 0;
}

static int by_time(const void *a, const void *b) {
  const sim_action *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  if (x->kind != y->kind) return x->kind - y->kind;
  return x->index - y->index;
}

/* Referrals in arrival order (the stream was drawn locality by locality), so the
 * store's ids follow the time line. */
static int referral_by_time(const void *a, const void *b) {
  const sim_referral *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->generator_ref - y->generator_ref;
}

static int time_line(sim *s) {
  s->acts = malloc(((size_t)s->n_d2a + (size_t)s->n_refs + 2 * (size_t)s->days + 1) * sizeof *s->acts);
  if (!s->acts) return HW_ENOMEM;
  for (int32_t i = 0; i < s->n_d2a; i++) s->acts[s->n_acts++] = (sim_action){s->d2a[i].d.ready_at, SIM_ACT_D2A, i};
  for (int32_t i = 0; i < s->n_refs; i++) s->acts[s->n_acts++] = (sim_action){s->refs[i].at, SIM_ACT_REFERRAL, i};
  for (int32_t d = 0; d < s->days; d++) {
    s->acts[s->n_acts++] = (sim_action){hw_local_to_time(s->start + d, SICKNESS_MINUTE), SIM_ACT_ABSENCES, d};
    s->acts[s->n_acts++] = (sim_action){hw_local_to_time(s->start + d, REVIEWS_MINUTE), SIM_ACT_REVIEWS, d};
  }
  qsort(s->acts, (size_t)s->n_acts, sizeof *s->acts, by_time);
  return 0;
}

int sim_demand_build(sim *s) {
  plans_by_locality g;
  int rc = group_plans(&s->P, &g);
  if (rc < 0) return rc;
  rc = community_stream(s, &g);
  free(g.refs_of);
  if (rc < 0) return rc;
  qsort(s->refs, (size_t)s->n_refs, sizeof *s->refs, referral_by_time);
  return time_line(s);
}
