/*
 * The D2A reserve sized from the forecast through the service: the weekly job
 * reads the discharge requests on record, sizes each locality's table with the
 * GLPK model, stores it with its event, and planning holds it from then on; too
 * little on record and nothing changes.
 */
#include <stdlib.h>

#include "hw_cron.h"
#include "sched_fixture.h"

/* A request of client 0 ready at 14:00 on `day` with one tea-time call. */
static void tea_request(fixture *f, hw_date day) {
  hw_discharge d = {0};
  d.client_id = f->clients[0];
  snprintf(d.hospital, sizeof d.hospital, "Monklands");
  d.ready_at = hw_local_to_time(day, 14 * 60);
  d.status = HW_DISCHARGE_DISCHARGED;
  d.discharged_at = hw_local_to_time(day, 18 * 60);
  d.offered_start = HW_TIME_NONE;
  d.earliest = HW_DATE_NONE;
  d.n_templates = 1;
  d.templates[0] = fx_template(16, 18, 30, 0);
  HW_CHECK_INT(hw_store_insert_discharge(f->st, &d), ==, 0);
}

static hw_change at_sunday_five(fixture *f, hw_date sunday) { return fx_change(f, sunday, 17 * 60); }

HW_TEST(the_weekly_job_sizes_and_stores_the_table_planning_holds) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_date sunday = FX_MONDAY + 27; /* four weeks after the first Monday */
  for (int w = 0; w < 4; w++) tea_request(&f, FX_TUESDAY + 7 * w);
  hw_reserve_report rep;
  hw_change c = at_sunday_five(&f, sunday);
  int64_t events = hw_store_event_count(f.st);
  HW_CHECK_INT(hw_service_size_reserve(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.localities, ==, 1);
  /* The record begins on the first Tuesday: three whole weeks before Sunday. */
  HW_CHECK_INT(rep.weeks, ==, 3);
  HW_CHECK_INT(rep.requests, ==, 3);
  HW_CHECK(rep.covered_pct > 99.9);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events + 1);
  hw_reserve_row *rows;
  int32_t n;
  HW_CHECK_INT(hw_store_list_reserve(f.st, f.locality, &rows, &n), ==, 0);
  HW_CHECK_INT(n, ==, 7 * HW_RESERVE_PEAKS);
  int32_t tue[HW_D2A_RESERVE_PEAKS], wed[HW_D2A_RESERVE_PEAKS];
  hw_d2a_forecast_lookup(rows, n, f.locality, FX_TUESDAY + 28, tue);
  hw_d2a_forecast_lookup(rows, n, f.locality, FX_TUESDAY + 29, wed);
  HW_CHECK_INT(tue[2], ==, 30); /* every Tuesday wanted thirty minutes at tea time */
  HW_CHECK_INT(tue[0] + tue[1] + tue[3] + wed[0] + wed[1] + wed[2] + wed[3], ==, 0);
  free(rows);
  hw_event ev;
  int32_t got = 0;
  HW_CHECK_INT(hw_store_events_after(f.st, hw_store_last_seq(f.st) - 1, 1, &ev, &got), ==, 0);
  HW_CHECK_STR(ev.type, "reserve.sized");
  HW_CHECK_INT(ev.locality_id, ==, f.locality);
  HW_CHECK_CONTAINS(ev.payload, "\"peak\":\"tea\"");
  hw_event_free_array(&ev, got);
  /* What the API reads (GET /v1/reserve) is the same table. */
  hw_service_settings read_set;
  hw_service_settings_init(&read_set);
  hw_reserve_week *wk;
  HW_CHECK_INT(hw_service_reserve_table(f.st, &read_set, NULL, f.locality, &wk, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(wk[0].from_forecast, ==, 1);
  HW_CHECK_INT(wk[0].minutes[1][2], ==, 30); /* Tuesday, tea */
  HW_CHECK_INT(wk[0].minutes[2][2], ==, 0);
  free(wk);
  /* The next Tuesday's plan holds the table's tea-time slot free: tea calls of
   * three clients go elsewhere in their window, off the held half hour. */
  hw_date next_tuesday = FX_TUESDAY + 28;
  for (int i = 1; i < 4; i++) {
    hw_referral r = {0};
    r.client_id = f.clients[i];
    r.source = HW_SOURCE_COMMUNITY;
    r.pathway = HW_PATHWAY_REABLEMENT;
    r.status = HW_REFERRAL_ALLOCATED;
    r.team_id = f.reablement_team;
    r.start_date = next_tuesday;
    r.end_date = HW_DATE_NONE;
    r.n_templates = 1;
    r.templates[0] = fx_template(16, 18, 30, 0);
    HW_CHECK_INT(hw_store_insert_referral(f.st, &r), ==, 0);
  }
  hw_service_settings set;
  hw_service_settings_init(&set);
  hw_plan_params pp;
  hw_plan_params_init(&pp);
  pp.time_limit_s = 0;
  pp.max_iterations = 200;
  hw_plan_report prep;
  char why[200] = "";
  c = fx_change(&f, next_tuesday - 1, 18 * 60);
  HW_CHECK_INT(hw_service_plan_locality(f.st, &set, f.locality, next_tuesday, &pp, &c, &prep, why, sizeof why), ==, 0);
  hw_plan_report_free(&prep);
  hw_worker reab[2];
  HW_CHECK_INT(hw_store_get_worker(f.st, f.med_worker, &reab[0]), ==, 0);
  HW_CHECK_INT(hw_store_get_worker(f.st, f.care_worker, &reab[1]), ==, 0);
  hw_absence holds[8];
  int n_holds = hw_d2a_reserve_holds(tue, reab, 2, NULL, 0, next_tuesday, holds, 8);
  HW_CHECK_INT(n_holds, ==, 1);
  hw_visit *v;
  HW_CHECK_INT(hw_store_list_visits(f.st, next_tuesday, next_tuesday, f.locality, &v, &n), ==, 0);
  int assigned = 0;
  for (int32_t i = 0; i < n; i++) {
    if (v[i].status != HW_VISIT_ASSIGNED) continue;
    assigned++;
    hw_time s = v[i].planned_start, e = s + (hw_time)v[i].duration * 60;
    if (v[i].worker_ids[0] == holds[0].worker_id) HW_CHECK(e <= holds[0].from || s >= holds[0].to);
  }
  HW_CHECK_INT(assigned, ==, 3);
  free(v);
  fx_close(&f);
}

HW_TEST(too_little_on_record_changes_nothing) {
  fixture f;
  fx_open(&f, 0x7f);
  tea_request(&f, FX_MONDAY + 3); /* three days of record by Sunday */
  hw_reserve_report rep;
  hw_change c = at_sunday_five(&f, FX_MONDAY + 6);
  int64_t events = hw_store_event_count(f.st);
  HW_CHECK_INT(hw_service_size_reserve(fx_service(&f), &c, &rep), ==, 0);
  HW_CHECK_INT(rep.localities, ==, 0);
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  hw_reserve_row *rows;
  int32_t n;
  HW_CHECK_INT(hw_store_list_reserve(f.st, 0, &rows, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  free(rows);
  fx_close(&f);
}

/* Before any sizing, or with the forecast off, the table read is the fixed reserve;
 * a worker's own token and another locality are refused. */
HW_TEST(the_table_read_is_the_fixed_reserve_until_sized_and_is_scoped) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_service_settings set;
  hw_service_settings_init(&set);
  set.d2a.reserve_minutes = 45;
  hw_reserve_week *wk;
  int32_t n;
  HW_CHECK_INT(hw_service_reserve_table(f.st, &set, NULL, 0, &wk, &n), ==, 0);
  HW_CHECK_INT(n, >=, 1);
  HW_CHECK_INT(wk[0].from_forecast, ==, 0);
  for (int wd = 0; wd < 7; wd++) {
    HW_CHECK_INT(wk[0].minutes[wd][0], ==, 45);
    HW_CHECK_INT(wk[0].minutes[wd][1], ==, 0); /* no reserve at lunch */
    HW_CHECK_INT(wk[0].minutes[wd][3], ==, 45);
  }
  free(wk);
  hw_scope worker = {.worker = f.care_worker, .n = 1, .localities = {f.locality}};
  HW_CHECK_INT(hw_service_reserve_table(f.st, &set, &worker, 0, &wk, &n), ==, HW_EFORBIDDEN);
  hw_scope coord = {.n = 1, .localities = {f.locality}};
  HW_CHECK_INT(hw_service_reserve_table(f.st, &set, &coord, f.locality + 1, &wk, &n), ==, HW_EFORBIDDEN);
  HW_CHECK_INT(hw_service_reserve_table(f.st, &set, NULL, 9999, &wk, &n), ==, HW_ENOTFOUND);
  fx_close(&f);
}

/* The weekly job is on the cron: Sundays at reserve_at, before that evening's plan. */
HW_TEST(the_cron_runs_it_on_sundays_before_the_plan) {
  hw_cron_settings s;
  hw_cron_settings_init(&s);
  hw_cron_cursor cur = hw_cron_start(hw_local_to_time(FX_MONDAY, 0));
  hw_cron_job job;
  hw_time at;
  int reserves = 0;
  hw_time plan_sunday = 0, reserve_sunday = 0;
  while (hw_cron_next(&s, &cur, hw_local_to_time(FX_MONDAY + 14, 0), &job, &at)) {
    if (job == HW_CRON_RESERVE) {
      reserves++;
      HW_CHECK_INT(hw_date_weekday(hw_time_local_date(at)), ==, 6);
      if (!reserve_sunday) reserve_sunday = at;
    }
    if (job == HW_CRON_PLAN && hw_time_local_date(at) == FX_MONDAY + 6) plan_sunday = at;
  }
  HW_CHECK_INT(reserves, ==, 2);
  HW_CHECK(reserve_sunday < plan_sunday);
}
