/*
 * Ruin: SISR's adjacent string removal (Christiaens & Vanden Berghe 2020).
 *
 * A seed task is drawn at random; walking its neighbour list, each route met for
 * the first time loses a string of consecutive tasks containing the neighbour
 * (sometimes a "split string" that keeps a few tasks in the middle). Removing
 * strings from several nearby routes lets recreate rebuild that region with a
 * different route structure, which is what makes SISR strong on VRPTW. A small
 * share of ruins removes random units instead, to escape local structure.
 */
#include <stdlib.h>
#include <string.h>

#include "search.h"

void hw_remove_unit(hw_state *s, int32_t u) {
  const hw_ctx *c = s->c;
  if (s->unassigned[u]) return;
  for (int k = 0; k < 2; k++) {
    int32_t t = c->unit_task[2 * u + k];
    if (t >= 0) hw_rt_remove_task(s, t);
  }
  hw_set_unassigned(s, u, 1);
}

static int32_t random_routed_task(hw_state *s) {
  const hw_ctx *c = s->c;
  for (int tries = 0; tries < 32; tries++) {
    int32_t t = hw_rng_below(&s->rng, c->n_tasks);
    if (s->route_of[t] >= 0) return t;
  }
  for (int32_t t = 0; t < c->n_tasks; t++)
    if (s->route_of[t] >= 0) return t;
  return -1;
}

/* Removes a string of about `len` tasks around task t from its route. */
static int32_t remove_string(hw_state *s, int32_t t, int32_t len, int32_t *out, int32_t n_out) {
  const hw_ctx *c = s->c;
  const hw_rt *rt = &s->routes[s->route_of[t]];
  int32_t *tasks = s->buf_a, m = 0, at = 0;
  for (int32_t i = 1; i <= rt->n; i++)
    if (rt->node[i] >= 0) {
      if (rt->node[i] == t) at = m;
      tasks[m++] = rt->node[i];
    }
  if (len > m) len = m;
  int32_t keep = 0;
  if (len < m && hw_rng_unit(&s->rng) < 0.5) { /* split string: keep `keep` in the middle */
    keep = 1;
    while (len + keep < m && hw_rng_unit(&s->rng) < 0.5) keep++;
  }
  int32_t span = len + keep;
  int32_t first = at - hw_rng_below(&s->rng, span);
  if (first < 0) first = 0;
  if (first + span > m) first = m - span;
  int32_t keep_at = keep ? first + 1 + hw_rng_below(&s->rng, span - keep - 1 > 0 ? span - keep - 1 : 1) : -1;
  int32_t *victims = s->buf_b, nv = 0;
  for (int32_t k = first; k < first + span; k++)
    if (!(keep && k >= keep_at && k < keep_at + keep)) victims[nv++] = tasks[k];
  for (int32_t k = 0; k < nv; k++) {
    int32_t u = c->task_unit[victims[k]];
    if (!s->unassigned[u]) {
      hw_remove_unit(s, u);
      out[n_out++] = u;
    }
  }
  return n_out;
}

static int32_t ruin_random(hw_state *s, int32_t *out, int32_t count) {
  const hw_ctx *c = s->c;
  int32_t n = 0;
  for (int32_t k = 0; k < count * 3 && n < count; k++) {
    int32_t t = random_routed_task(s);
    if (t < 0) break;
    int32_t u = c->task_unit[t];
    hw_remove_unit(s, u);
    out[n++] = u;
  }
  return n;
}

int32_t hw_ruin(hw_state *s, int32_t *out, double avg_removed) {
  const hw_ctx *c = s->c;
  int32_t routed = 0;
  for (int32_t r = 0; r < s->n_routes; r++) routed += s->routes[r].n_tasks;
  if (routed == 0 || s->used_routes == 0) return 0;
  if (hw_rng_unit(&s->rng) < 0.05 || c->k_neigh == 0)
    return ruin_random(s, out, 1 + hw_rng_below(&s->rng, (int32_t)(2 * avg_removed)));
  double card = (double)routed / s->used_routes;
  double ls_max = card < 10 ? card : 10;
  double ks_max = 4 * avg_removed / (1 + ls_max) - 1;
  int32_t ks = (int32_t)(hw_rng_unit(&s->rng) * ks_max) + 1;
  int32_t seed = random_routed_task(s), n = 0, ruined = 0;
  uint8_t *seen = s->mark; /* all zero between uses */
  for (int32_t k = -1; k < c->k_neigh && ruined < ks; k++) {
    int32_t t = k < 0 ? seed : c->neigh[(size_t)seed * (size_t)c->k_neigh + (size_t)k];
    int32_t r = s->route_of[t];
    if (r < 0 || seen[r]) continue;
    seen[r] = 1;
    double lmax = s->routes[r].n_tasks < ls_max ? s->routes[r].n_tasks : ls_max;
    int32_t len = (int32_t)(hw_rng_unit(&s->rng) * lmax) + 1;
    n = remove_string(s, t, len, out, n);
    ruined++;
  }
  memset(seen, 0, (size_t)s->n_routes);
  return n;
}
