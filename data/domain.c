/*
 * Small helpers over the domain types of hw_domain.h: releasing a partnership and
 * asking which skills a worker holds on a given day (training expires, and an
 * expired skill must never be rostered).
 */
#include "hw_domain.h"

#include <stdlib.h>
#include <string.h>

void hw_partnership_free(hw_partnership *p) {
  if (!p) return;
  free(p->localities);
  free(p->teams);
  free(p->workers);
  free(p->absences);
  free(p->clients);
  free(p->referrals);
  free(p->discharges);
  memset(p, 0, sizeof *p);
}

/* A skill counts on `on` when it never expires or `on` is no later than its last
 * valid day. */
static int skill_valid_on(const hw_worker_skill *s, hw_date on) {
  return s->valid_until == HW_DATE_NONE || on <= s->valid_until;
}

int hw_client_suspended_at(const hw_client *c, hw_time t) {
  if (!c->suspended_reason[0] || t < c->suspended_from) return 0;
  return c->suspended_until == HW_TIME_NONE || t < c->suspended_until;
}

int hw_worker_has_skill(const hw_worker *w, hw_skill skill, hw_date on) {
  if ((unsigned)skill >= HW_SKILL_COUNT) return 0;
  return (hw_worker_skills_on(w, on) >> skill) & 1u;
}

uint32_t hw_worker_skills_on(const hw_worker *w, hw_date on) {
  uint32_t bits = 0;
  int32_t n = w->n_skills < HW_MAX_WORKER_SKILLS ? w->n_skills : HW_MAX_WORKER_SKILLS;
  for (int32_t i = 0; i < n; i++) {
    const hw_worker_skill *s = &w->skills[i];
    if ((unsigned)s->skill < HW_SKILL_COUNT && skill_valid_on(s, on)) bits |= 1u << s->skill;
  }
  return bits;
}
