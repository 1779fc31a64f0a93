/*
 * A discharge accepted through the service leaves records the event log can
 * replay: a visit whose window closes just as the person can be home (ready +
 * lead time) is not offered with a window of no width - which the records'
 * codec refuses, so the replay lost the visit and its rostered time.
 */
#include <stdlib.h>

#include "sched_fixture.h"

HW_TEST(accepted_visits_replay_from_the_log) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_discharge d = {0};
  d.client_id = f.clients[0];
  snprintf(d.hospital, sizeof d.hospital, "Monklands");
  /* Ready 08:00, home by 10:00: the 09:00-10:00 call could start only at 10:00 sharp. */
  d.ready_at = hw_local_to_time(FX_MONDAY, 8 * 60);
  d.n_templates = 2;
  d.templates[0] = fx_template(9, 10, 30, 0);
  d.templates[1] = fx_template(14, 16, 30, 0);
  hw_discharge_result *res = calloc(1, sizeof *res);
  hw_change c = fx_change(&f, FX_MONDAY, 8 * 60);
  HW_CHECK_INT(hw_service_discharge_request(fx_service(&f), &c, &d, NULL, res), ==, 0);
  HW_CHECK_INT(res->discharge.status, ==, HW_DISCHARGE_OFFERED);
  hw_id id = res->discharge.id;
  c = fx_change(&f, FX_MONDAY, 8 * 60);
  HW_CHECK_INT(hw_service_discharge_accept(fx_service(&f), &c, id, res), ==, 0);
  HW_CHECK(res->n_visit_ids > 0);
  for (int32_t i = 0; i < res->n_visit_ids; i++) {
    hw_visit v;
    HW_CHECK_INT(hw_store_get_visit(f.st, res->visit_ids[i], &v), ==, 0);
    HW_CHECK(v.window_end > v.window_start);
  }
  /* The log and the tables give the same rostered visit time. */
  hw_outcomes replay, records;
  hw_outcomes_init(&replay);
  hw_outcomes_init(&records);
  hw_time now = hw_local_to_time(FX_MONDAY + 2, 0);
  HW_CHECK_INT(hw_service_outcomes_replay(f.st, FX_MONDAY, FX_TUESDAY, now, &replay), ==, 0);
  HW_CHECK_INT(hw_service_outcomes_records(f.st, NULL, FX_MONDAY, FX_TUESDAY, now, &records), ==, 0);
  HW_CHECK(records.visit_seconds > 0);
  HW_CHECK_INT(replay.visit_seconds, ==, records.visit_seconds);
  HW_CHECK_INT(replay.client_weeks, ==, records.client_weeks);
  hw_outcomes_free(&replay);
  hw_outcomes_free(&records);
  free(res);
  fx_close(&f);
}
