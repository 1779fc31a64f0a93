/*
 * The service's cron list (hw_cron.h): walking a day with hw_cron_next, as the
 * daemon's timer and the simulation do, runs every job as often as it is due -
 * including jobs due at the same instant as another (the nightly plan at 18:00
 * and the offers sweep every 15 minutes) - in the order of the list.
 */
#include "hw_cron.h"
#include "hw_test.h"

#define DAY hw_date_from_ymd(2026, 1, 13)

/* Walk (from, to] and count the runs of each job; the order of the first runs at
 * `watch` goes to order[]. */
static void walk(const hw_cron_settings *s, hw_time from, hw_time to, int32_t runs[HW_CRON_JOB_COUNT],
                 hw_time watch_minute_start, hw_cron_job order[HW_CRON_JOB_COUNT], int32_t *n_order) {
  hw_cron_job job;
  hw_time at, after = from;
  hw_cron_cursor cur = hw_cron_start(from);
  *n_order = 0;
  int guard = 0;
  while (hw_cron_next(s, &cur, to, &job, &at)) {
    HW_CHECK(at >= after && at > from);
    runs[job]++;
    if (at >= watch_minute_start && at < watch_minute_start + 60 && *n_order < HW_CRON_JOB_COUNT)
      order[(*n_order)++] = job;
    after = at;
    HW_CHECK(++guard < 1000);
  }
}

HW_TEST(every_job_runs_as_often_as_due_in_a_day) {
  hw_cron_settings s;
  hw_cron_settings_init(&s);
  int32_t runs[HW_CRON_JOB_COUNT] = {0};
  hw_cron_job order[HW_CRON_JOB_COUNT];
  int32_t n_order;
  walk(&s, hw_local_to_time(DAY, 0) - 1, hw_local_to_time(DAY + 1, 0) - 1, runs, hw_local_to_time(DAY, 18 * 60), order,
       &n_order);
  HW_CHECK_INT(runs[HW_CRON_VISITS], ==, 1);
  HW_CHECK_INT(runs[HW_CRON_ROUND], ==, 1);
  HW_CHECK_INT(runs[HW_CRON_PLAN], ==, 1);
  HW_CHECK_INT(runs[HW_CRON_OFFERS], ==, 24 * 4);
  /* 18:00: the offers sweep and the nightly plan, in the list's order. */
  HW_CHECK_INT(n_order, ==, 2);
  HW_CHECK_INT(order[0], ==, HW_CRON_OFFERS);
  HW_CHECK_INT(order[1], ==, HW_CRON_PLAN);
}

HW_TEST(jobs_due_in_the_same_minute_keep_the_list_order) {
  hw_cron_settings s;
  hw_cron_settings_init(&s);
  s.allocation_at = 18 * 60; /* the round, the offers and the plan all at 18:00 */
  int32_t runs[HW_CRON_JOB_COUNT] = {0};
  hw_cron_job order[HW_CRON_JOB_COUNT];
  int32_t n_order;
  walk(&s, hw_local_to_time(DAY, 17 * 60 + 59), hw_local_to_time(DAY, 18 * 60 + 1), runs,
       hw_local_to_time(DAY, 18 * 60), order, &n_order);
  HW_CHECK_INT(n_order, ==, 3);
  HW_CHECK_INT(order[0], ==, HW_CRON_ROUND);
  HW_CHECK_INT(order[1], ==, HW_CRON_OFFERS);
  HW_CHECK_INT(order[2], ==, HW_CRON_PLAN);
}

HW_TEST(nothing_due_in_an_empty_interval) {
  hw_cron_settings s;
  hw_cron_settings_init(&s);
  hw_cron_job job;
  hw_time at;
  hw_time t = hw_local_to_time(DAY, 9 * 60 + 1);
  hw_cron_cursor cur = hw_cron_start(t);
  HW_CHECK_INT(hw_cron_next(&s, &cur, t + 60, &job, &at), ==, 0);
  HW_CHECK_INT(cur.at, ==, t + 60);
  HW_CHECK_INT(hw_cron_next(&s, &cur, t + 60, &job, &at), ==, 0);
}
