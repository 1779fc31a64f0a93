/*
 * Referrals through the service: allocated on arrival to a team with room
 * (reablement first, intensive for complex need), or waiting with a reason and
 * an honest earliest date; visits over the horizon; a change of need that
 * regenerates the future; the waiting list; bad dates, a taken CHI number and a
 * locality out of scope refused with the store unchanged; a CSV import all or
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_csv.h"
#include "sched_fixture.h"

/* A referral of client i from `start` with one daily visit of `minutes`. */
static hw_referral referral(const fixture *f, int i, hw_date start, int minutes) {
  hw_referral r = {0};
  r.client_id = f->clients[i];
  r.source = HW_SOURCE_COMMUNITY;
  r.start_date = start;
  r.end_date = HW_DATE_NONE;
  r.earliest = HW_DATE_NONE;
  r.n_templates = 1;
  r.templates[0] = fx_template(9, 12, minutes, 0);
  return r;
}

static int create(fixture *f, const hw_referral *r, hw_referral_result *out) {
  hw_change c = fx_change(f, FX_MONDAY, 9 * 60);
  return hw_service_referral_create(fx_service(f), &c, r, NULL, out);
}

HW_TEST(allocated_on_arrival_with_visits_over_the_horizon) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral_result *res = calloc(1, sizeof *res);
  hw_referral r = referral(&f, 0, FX_MONDAY, 30);
  r.pathway = HW_PATHWAY_MAINSTREAM; /* asked for: policy says reablement first */
  HW_CHECK_INT(create(&f, &r, res), ==, 0);
  HW_CHECK(res->referral.id > 0);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(res->referral.pathway, ==, HW_PATHWAY_REABLEMENT);
  HW_CHECK_INT(res->referral.team_id, ==, f.reablement_team);
  HW_CHECK_INT(res->referral.start_date, ==, FX_MONDAY);
  HW_CHECK_INT(res->visits_created, ==, 15); /* Monday and the 14 days after */
  hw_visit *v;
  int32_t n;
  HW_CHECK_INT(hw_store_list_referral_visits(f.st, res->referral.id, FX_MONDAY, FX_MONDAY + 30, &v, &n), ==, 0);
  HW_CHECK_INT(n, ==, 15);
  free(v);
  /* Complex care goes to an intensive team; this locality has none: it waits. */
  r = referral(&f, 1, FX_MONDAY, 30);
  r.templates[0].skills |= 1u << HW_SKILL_COMPLEX_CARE;
  HW_CHECK_INT(create(&f, &r, res), ==, 0);
  HW_CHECK_INT(res->referral.pathway, ==, HW_PATHWAY_INTENSIVE);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_WAITING);
  HW_CHECK_CONTAINS(res->referral.waiting_reason, "no intensive team");
  HW_CHECK(res->referral.earliest == HW_DATE_NONE);
  HW_CHECK_INT(res->visits_created, ==, 0);
  free(res);
  fx_close(&f);
}

HW_TEST(waits_with_an_honest_date_when_no_team_has_room) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral_result *res = calloc(1, sizeof *res);
  /* The two reablement workers have 2 x 12 h x 75% = 1,080 care minutes a day. */
  hw_referral big = referral(&f, 0, FX_MONDAY, 240);
  big.n_templates = 4;
  for (int k = 1; k < 4; k++) big.templates[k] = fx_template(9 + 2 * k, 12 + 2 * k, 240, 0);
  HW_CHECK_INT(create(&f, &big, res), ==, 0);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_ALLOCATED); /* 960 minutes a day fit */
  hw_referral next = referral(&f, 1, FX_MONDAY, 200);
  HW_CHECK_INT(create(&f, &next, res), ==, 0);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_WAITING);
  HW_CHECK_CONTAINS(res->referral.waiting_reason, "reablement");
  /* The first episode lasts at most six weeks: room then, beyond the horizon. */
  HW_CHECK(res->referral.earliest == HW_DATE_NONE);
  HW_CHECK_INT(res->visits_created, ==, 0);
  /* The waiting list, oldest first, with why. */
  hw_referral *list;
  int32_t n;
  HW_CHECK_INT(hw_service_referrals(f.st, NULL, HW_REFERRAL_WAITING, f.locality, &list, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(list[0].id, ==, res->referral.id);
  free(list);
  free(res);
  fx_close(&f);
}

HW_TEST(change_of_need_regenerates_future_visits) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral_result *res = calloc(1, sizeof *res);
  hw_referral r = referral(&f, 0, FX_MONDAY, 30);
  HW_CHECK_INT(create(&f, &r, res), ==, 0);
  hw_id id = res->referral.id;
  hw_referral_patch p = {.set_care_plan = 1, .n_templates = 1};
  p.templates[0] = fx_template(18, 20, 45, 0);
  hw_change c = fx_change(&f, FX_MONDAY, 13 * 60);
  HW_CHECK_INT(hw_service_referral_change(fx_service(&f), &c, id, &p, res), ==, 0);
  HW_CHECK_INT(res->referral.source, ==, HW_SOURCE_CHANGE_OF_NEED);
  HW_CHECK_INT(res->referral.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(res->visits_cancelled, ==, 14); /* today's 09:00-12:00 window had closed */
  HW_CHECK_INT(res->visits_created, ==, 15);
  hw_visit *v;
  int32_t n, live = 0;
  HW_CHECK_INT(hw_store_list_referral_visits(f.st, id, FX_MONDAY + 1, FX_MONDAY + 1, &v, &n), ==, 0);
  for (int32_t i = 0; i < n; i++) {
    if (v[i].status == HW_VISIT_CANCELLED) {
      HW_CHECK_STR(v[i].cancel_reason, "care_plan_changed");
      continue;
    }
    live++;
    HW_CHECK_INT(v[i].duration, ==, 45);
  }
  HW_CHECK_INT(live, ==, 1);
  free(v);
  /* A changed end date must not fall before the start, and a year long ago is refused. */
  hw_referral_patch bad = {.set_end = 1, .end_date = FX_MONDAY - 5};
  int64_t events = hw_store_event_count(f.st);
  c = fx_change(&f, FX_MONDAY, 14 * 60);
  HW_CHECK_INT(hw_service_referral_change(fx_service(&f), &c, id, &bad, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/end_date");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  free(res);
  fx_close(&f);
}

HW_TEST(bad_input_refused_and_nothing_stored) {
  fixture f;
  fx_open(&f, 0x7f);
  hw_referral_result *res = calloc(1, sizeof *res);
  int64_t events = hw_store_event_count(f.st);
  hw_referral r = referral(&f, 0, hw_date_from_ymd(1999, 1, 1), 30);
  HW_CHECK_INT(create(&f, &r, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/start_date");
  HW_CHECK_CONTAINS(f.errs.e[0].reason, "must be between");
  /* A start last week becomes today; an end before today leaves nothing to give. */
  r = referral(&f, 0, FX_MONDAY - 7, 30);
  r.end_date = FX_MONDAY - 2;
  HW_CHECK_INT(create(&f, &r, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/end_date");
  HW_CHECK_CONTAINS(f.errs.e[0].reason, "already past");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  /* Another locality's client is out of a scoped coordinator's reach. */
  hw_scope other = {.all = 0, .n = 1, .localities = {f.locality + 1}};
  r = referral(&f, 0, FX_MONDAY, 30);
  hw_change c = fx_change(&f, FX_MONDAY, 9 * 60);
  c.scope = &other;
  HW_CHECK_INT(hw_service_referral_create(fx_service(&f), &c, &r, NULL, res), ==, HW_EFORBIDDEN);
  /* A new client with a CHI number another client holds: a conflict. */
  hw_client c1;
  HW_CHECK_INT(hw_store_get_client(f.st, f.clients[0], &c1), ==, 0);
  snprintf(c1.chi, sizeof c1.chi, "0101011234");
  HW_CHECK_INT(hw_store_update_client(f.st, &c1), ==, 0);
  events = hw_store_event_count(f.st);
  hw_client dup = c1;
  dup.id = 0;
  c = fx_change(&f, FX_MONDAY, 9 * 60);
  HW_CHECK_INT(hw_service_referral_create(fx_service(&f), &c, &r, &dup, res), ==, HW_ECONFLICT);
  HW_CHECK_STR(f.errs.e[0].path, "/client/chi");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  hw_client *cs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_clients(f.st, 0, &cs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 4); /* the duplicate was not stored */
  free(cs);
  free(res);
  fx_close(&f);
}

HW_TEST(csv_import_is_all_or_nothing) {
  fixture f;
  fx_open(&f, 0x7f);
  char csv[1024];
  snprintf(csv, sizeof csv,
           "referral,client_id,source,start_date,days,window_start,window_end,duration,skills\n"
           "a,%lld,community,2026-01-12,daily,08:00,09:30,30,personal_care\n"
           "a,%lld,community,2026-01-12,weekdays,17:00,18:00,20,\n"
           "b,%lld,hospital,2026-01-13,mon tue,12:00,13:00,30,\n",
           (long long)f.clients[1], (long long)f.clients[1], (long long)f.clients[2]);
  hw_referral *rows;
  int32_t *first, n;
  hw_csv_report rep;
  HW_CHECK_INT(hw_csv_parse_referrals(csv, strlen(csv), &rows, &first, &n, &rep), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  HW_CHECK_INT(rows[0].n_templates, ==, 2);
  HW_CHECK_INT(rows[0].templates[1].weekdays, ==, 0x1f);
  HW_CHECK_INT(first[0], ==, 2);
  HW_CHECK_INT(first[1], ==, 4); /* the header is row 1; referral a has rows 2 and 3 */
  free(first);
  hw_referral_result *res = calloc(2, sizeof *res);
  hw_change c = fx_change(&f, FX_MONDAY, 9 * 60);
  HW_CHECK_INT(hw_service_referral_import(fx_service(&f), &c, rows, n, res), ==, 0);
  HW_CHECK_INT(res[0].referral.status, ==, HW_REFERRAL_ALLOCATED);
  HW_CHECK_INT(res[1].referral.source, ==, HW_SOURCE_HOSPITAL);
  free(rows);
  /* One bad row: nothing of the file is stored, the problem names row and column. */
  snprintf(csv, sizeof csv,
           "referral,client_id,start_date,days,window_start,window_end,duration\n"
           "c,%lld,2026-01-12,daily,08:00,09:30,30\n"
           "d,%lld,2026-01-12,someday,08:00,07:00,30\n",
           (long long)f.clients[3], (long long)f.clients[3]);
  HW_CHECK_INT(hw_csv_parse_referrals(csv, strlen(csv), &rows, &first, &n, &rep), ==, HW_EINVAL);
  char joined[512];
  hw_errors_join(&rep.errors, joined, sizeof joined);
  HW_CHECK_CONTAINS(joined, "row 3, column days");
  HW_CHECK_CONTAINS(joined, "row 3, column window_end");
  /* A row the service refuses (an unknown client) undoes the rows before it. */
  snprintf(csv, sizeof csv,
           "referral,client_id,start_date,days,window_start,window_end,duration\n"
           "e,%lld,2026-01-12,daily,08:00,09:30,30\n"
           "f,9999,2026-01-12,daily,08:00,09:30,30\n",
           (long long)f.clients[3]);
  HW_CHECK_INT(hw_csv_parse_referrals(csv, strlen(csv), &rows, &first, &n, &rep), ==, 0);
  int64_t events = hw_store_event_count(f.st);
  c = fx_change(&f, FX_MONDAY, 9 * 60);
  HW_CHECK_INT(hw_service_referral_import(fx_service(&f), &c, rows, n, res), ==, HW_EINVAL);
  HW_CHECK_STR(f.errs.e[0].path, "/rows/1/client_id");
  hw_csv_name_referral_errors(&f.errs, first, n); /* as the import endpoint and the CLI report it */
  HW_CHECK_STR(f.errs.e[0].path, "row 3, column client_id");
  HW_CHECK_INT(hw_store_event_count(f.st), ==, events);
  free(rows);
  free(first);
  free(res);
  fx_close(&f);
}
