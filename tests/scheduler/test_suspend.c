/*
 * Suspending a client (a hospital admission) and resuming: every visit that would
 * take place in the period comes off its roster - judged by when it is planned,
 * not where its window opens - with any pin dropped; a resume with a future time
 * keeps the client away until then.
 */
#include <stdlib.h>

#include "sched_fixture.h"

/* Client 0 on reablement, 09:00-12:00 and 15:00-17:00 daily from Monday; its
 * Monday morning visit rostered to the care worker at 11:00 and pinned. */
static hw_visit morning_at_eleven(fixture *f) {
  hw_referral r = {0};
  r.client_id = f->clients[0];
  r.source = HW_SOURCE_COMMUNITY;
  r.start_date = FX_MONDAY;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 2;
  r.templates[0] = fx_template(9, 12, 30, 0);
  r.templates[1] = fx_template(15, 17, 30, 0);
  hw_referral_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(f, FX_MONDAY, 7 * 60);
  HW_CHECK_INT(hw_service_referral_create(fx_service(f), &c, &r, NULL, res), ==, 0);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_ALLOCATED);
  free(res);
  hw_visit *vs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_client_visits(f->st, f->clients[0], FX_MONDAY, FX_MONDAY, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  hw_visit v = vs[0].window_start < vs[1].window_start ? vs[0] : vs[1];
  free(vs);
  v.worker_ids[0] = f->care_worker;
  v.planned_start = hw_local_to_time(FX_MONDAY, 11 * 60);
  v.status = HW_VISIT_ASSIGNED;
  v.pinned = 1;
  HW_CHECK_INT(hw_store_update_visit(f->st, &v), ==, 0);
  hw_roster_entry e = {f->care_worker, FX_MONDAY, 0, v.id, v.planned_start, 0};
  HW_CHECK_INT(hw_store_put_roster(f->st, f->care_worker, FX_MONDAY, &e, 1), ==, 0);
  return v;
}

HW_TEST(a_visit_planned_inside_the_period_comes_off_though_its_window_opened_before) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_visit v = morning_at_eleven(&f);
  hw_suspend_result out;
  hw_change c = fx_change(&f, FX_MONDAY, 9 * 60 + 30);
  HW_CHECK_INT(hw_service_client_suspend(fx_service(&f), &c, f.clients[0], hw_local_to_time(FX_MONDAY, 10 * 60),
                                         HW_TIME_NONE, "hospital", &out),
               ==, 0);
  hw_visit after;
  HW_CHECK_INT(hw_store_get_visit(f.st, v.id, &after), ==, 0);
  HW_CHECK_INT(after.status, ==, HW_VISIT_CANCELLED);
  HW_CHECK_STR(after.cancel_reason, "suspended");
  HW_CHECK_INT(after.pinned, ==, 0);
  hw_roster_entry *es;
  int32_t n;
  HW_CHECK_INT(hw_store_get_roster(f.st, f.care_worker, FX_MONDAY, &es, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  free(es);
  fx_close(&f);
}

HW_TEST(a_resume_at_a_future_time_keeps_the_client_away_until_then) {
  fixture f;
  fx_open(&f, 0x7f);
  morning_at_eleven(&f);
  hw_suspend_result out;
  hw_change c = fx_change(&f, FX_MONDAY, 9 * 60 + 30);
  HW_CHECK_INT(hw_service_client_suspend(fx_service(&f), &c, f.clients[0], hw_local_to_time(FX_MONDAY, 10 * 60),
                                         HW_TIME_NONE, "hospital", &out),
               ==, 0);
  hw_time back = hw_local_to_time(FX_MONDAY + 1, 14 * 60);
  c = fx_change(&f, FX_MONDAY, 12 * 60);
  HW_CHECK_INT(hw_service_client_resume(fx_service(&f), &c, f.clients[0], back, &out), ==, 0);
  hw_client cl;
  HW_CHECK_INT(hw_store_get_client(f.st, f.clients[0], &cl), ==, 0);
  HW_CHECK(hw_client_suspended_at(&cl, hw_local_to_time(FX_MONDAY + 1, 9 * 60)));
  HW_CHECK(!hw_client_suspended_at(&cl, back));
  hw_visit *vs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_client_visits(f.st, f.clients[0], FX_MONDAY + 1, FX_MONDAY + 1, &vs, &n), ==, 0);
  int morning_off = 0, afternoon_back = 0;
  for (int32_t i = 0; i < n; i++) {
    int morning = vs[i].window_start < back;
    if (morning && vs[i].status == HW_VISIT_CANCELLED) morning_off++;
    if (!morning && vs[i].status != HW_VISIT_CANCELLED) afternoon_back++;
  }
  HW_CHECK_INT(morning_off, ==, 1);
  HW_CHECK_INT(afternoon_back, ==, 1);
  free(vs);
  fx_close(&f);
}
