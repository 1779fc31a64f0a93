/*
 * Tests of data/domain.c: which skills a worker holds on a day (an expired skill
 * never counts, HW_DATE_NONE never expires) and releasing a partnership.
 */
#include <stdlib.h>

#include "hw_domain.h"
#include "hw_test.h"

static hw_worker worker_with_two_skills(void) {
  hw_worker w;
  memset(&w, 0, sizeof w);
  w.n_skills = 2;
  w.skills[0].skill = HW_SKILL_PERSONAL_CARE;
  w.skills[0].valid_until = HW_DATE_NONE;
  w.skills[1].skill = HW_SKILL_MEDICATION;
  w.skills[1].valid_until = hw_date_from_ymd(2026, 3, 31);
  return w;
}

HW_TEST(skill_counts_through_its_last_valid_day) {
  hw_worker w = worker_with_two_skills();
  HW_CHECK(hw_worker_has_skill(&w, HW_SKILL_MEDICATION, hw_date_from_ymd(2026, 3, 31)));
  HW_CHECK(!hw_worker_has_skill(&w, HW_SKILL_MEDICATION, hw_date_from_ymd(2026, 4, 1)));
  HW_CHECK(!hw_worker_has_skill(&w, HW_SKILL_DEMENTIA, hw_date_from_ymd(2026, 1, 1)));
}

HW_TEST(skill_without_expiry_always_counts) {
  hw_worker w = worker_with_two_skills();
  HW_CHECK(hw_worker_has_skill(&w, HW_SKILL_PERSONAL_CARE, hw_date_from_ymd(2099, 1, 1)));
  HW_CHECK_INT(hw_worker_skills_on(&w, hw_date_from_ymd(2026, 1, 1)), ==,
               (1u << HW_SKILL_PERSONAL_CARE) | (1u << HW_SKILL_MEDICATION));
  HW_CHECK_INT(hw_worker_skills_on(&w, hw_date_from_ymd(2027, 1, 1)), ==,
               1u << HW_SKILL_PERSONAL_CARE);
}

HW_TEST(partnership_free_releases_and_zeroes) {
  hw_partnership p;
  memset(&p, 0, sizeof p);
  p.n_workers = 3;
  p.workers = calloc(3, sizeof *p.workers);
  p.n_clients = 1;
  p.clients = calloc(1, sizeof *p.clients);
  hw_partnership_free(&p);
  HW_CHECK(p.workers == NULL && p.clients == NULL);
  HW_CHECK_INT(p.n_workers, ==, 0);
  hw_partnership_free(&p);
  hw_partnership_free(NULL);
}
