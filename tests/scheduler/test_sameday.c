/*
 * The same-day levers of the D2A offer (hw_d2a.h) on hand-made rosters served by a
 * small in-memory day source: a later start today (the evening call), wider
 * windows (never for medication), re-timing an existing visit within its window,
 * handing an existing visit to another worker (never a pinned one), falling back
 * to a wider tier of workers, and the reason recorded when today is
 * missed. Each lever is shown to be what makes the difference: the same request
 * with the lever off gets no offer today.
 */
#include <string.h>

#include "hw_d2a.h"
#include "hw_error.h"
#include "hw_test.h"

#define SD_TUESDAY hw_date_from_ymd(2026, 1, 13)

/* One locality's day: workers (tier 0 = those with tier 0, tier 1 = all), two
 * clients at the same address (no travel between them), the day's visits. */
typedef struct sd_world {
  hw_worker workers[2];
  int32_t worker_tier[2];
  int32_t n_workers;
  hw_client clients[2];
  hw_visit visits[4];
  int32_t n_visits;
  hw_worker loaded[2];
} sd_world;

static int sd_load(void *user, hw_date date, int tier, hw_day_input *in) {
  sd_world *w = user;
  int32_t n = 0;
  for (int32_t i = 0; i < w->n_workers; i++)
    if (w->worker_tier[i] <= tier) w->loaded[n++] = w->workers[i];
  *in = (hw_day_input){.date = date, .workers = w->loaded, .n_workers = n, .clients = w->clients, .n_clients = 2,
                       .visits = w->visits, .n_visits = w->n_visits, .pin_mode = HW_DAY_PIN_ASSIGNED};
  return 0;
}

static void sd_release(void *user, hw_day_input *in) {
  (void)user;
  (void)in;
}

/* A worker on 08:00-21:00 every day, personal care (and medication if asked). */
static hw_worker sd_worker(hw_id id, int medication) {
  hw_worker w = {0};
  w.id = id;
  w.team_id = id;
  w.base = (hw_geo){55866300, -3980600};
  w.travel = HW_TRAVEL_DRIVE;
  w.contracted_minutes = 37 * 60;
  w.active = 1;
  w.n_skills = 1;
  w.skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
  if (medication) w.skills[w.n_skills++] = (hw_worker_skill){HW_SKILL_MEDICATION, HW_DATE_NONE};
  for (int d = 0; d < 7; d++) w.shifts[w.n_shifts++] = (hw_shift){(uint8_t)d, {8 * 60, 21 * 60}, {0, 0}, 0};
  return w;
}

static void sd_init(sd_world *w) {
  memset(w, 0, sizeof *w);
  w->workers[0] = sd_worker(1, 1);
  w->n_workers = 1;
  for (int i = 0; i < 2; i++) {
    w->clients[i].id = i + 1;
    w->clients[i].locality_id = 1;
    w->clients[i].location = (hw_geo){55866300, -3980600};
  }
}

/* An existing visit of client 1 on Tuesday assigned to worker `worker`. */
static void sd_commitment(sd_world *w, int win_start, int win_end, int planned, int minutes, int medication,
                          hw_id worker) {
  hw_visit *v = &w->visits[w->n_visits];
  *v = (hw_visit){.id = w->n_visits + 1, .client_id = 1, .date = SD_TUESDAY, .duration = minutes,
                  .skills = 1u << HW_SKILL_PERSONAL_CARE, .workers = 1, .priority = 50,
                  .medication = medication, .status = HW_VISIT_ASSIGNED, .check_in = HW_TIME_NONE,
                  .check_out = HW_TIME_NONE};
  if (medication) v->skills |= 1u << HW_SKILL_MEDICATION;
  v->window_start = hw_local_to_time(SD_TUESDAY, win_start);
  v->window_end = hw_local_to_time(SD_TUESDAY, win_end);
  v->worker_ids[0] = worker;
  v->planned_start = hw_local_to_time(SD_TUESDAY, planned);
  w->n_visits++;
}

static hw_visit_template sd_template(int start_min, int end_min, int minutes, int medication) {
  hw_visit_template t = {0};
  t.weekdays = 0x7f;
  t.window.start = (int16_t)start_min;
  t.window.end = (int16_t)end_min;
  t.duration = (int16_t)minutes;
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  t.workers = 1;
  t.medication = (uint8_t)medication;
  t.prescribed_minute = (int16_t)((start_min + end_min) / 2);
  return t;
}

/* Options with every lever off and only today's visits required. */
static void sd_options_plain(hw_d2a_options *o) {
  hw_d2a_options_init(o);
  o->first_days = 1;
  o->max_days = 1;
  o->later_start = 0;
  o->widen_minutes = 0;
  o->retime = 0;
  o->reassign = 0;
}

static int sd_find(sd_world *w, int tiers, const hw_d2a_options *o, const hw_visit_template *t, int32_t n,
                   int ready_minute, hw_d2a_offer *offer) {
  hw_day_source src = {sd_load, sd_release, w, tiers};
  hw_time ready = hw_local_to_time(SD_TUESDAY, ready_minute);
  return hw_d2a_find(o, &src, &w->clients[1], t, n, ready, ready, offer);
}

HW_TEST(ready_at_16_gets_the_evening_call_today) {
  sd_world w;
  sd_init(&w);
  hw_visit_template t[3] = {sd_template(12 * 60, 14 * 60, 30, 0), sd_template(17 * 60, 19 * 60, 30, 0),
                            sd_template(20 * 60, 21 * 60, 20, 0)};
  hw_d2a_options o;
  sd_options_plain(&o);
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, t, 3, 16 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.start_date, ==, SD_TUESDAY);
  HW_CHECK_INT(offer.n_visits, ==, 2); /* lunch is over; tea (clipped to 18:00) and bed */
  HW_CHECK(offer.first_visit >= hw_local_to_time(SD_TUESDAY, 18 * 60));
  HW_CHECK(offer.first_visit <= hw_local_to_time(SD_TUESDAY, 19 * 60));
  HW_CHECK_INT(offer.miss, ==, HW_D2A_MISS_NONE);
  /* Ready at 20:00: nothing of the plan can start after 22:00 today. */
  HW_CHECK_INT(sd_find(&w, 1, &o, t, 3, 20 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  HW_CHECK_INT(offer.miss, ==, HW_D2A_MISS_TOO_LATE);
}

HW_TEST(later_start_leaves_after_lunch_for_the_tea_call) {
  sd_world w;
  sd_init(&w);
  sd_commitment(&w, 12 * 60, 12 * 60, 12 * 60, 75, 0, 1); /* the worker is busy over lunch */
  w.visits[0].medication = 1; /* a prescribed time: it cannot move */
  w.visits[0].skills |= 1u << HW_SKILL_MEDICATION;
  hw_visit_template t[2] = {sd_template(12 * 60, 13 * 60, 30, 0), sd_template(17 * 60, 19 * 60, 30, 0)};
  hw_d2a_options o;
  sd_options_plain(&o);
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, t, 2, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  HW_CHECK_INT(offer.miss, ==, HW_D2A_MISS_GAP_TODAY);
  HW_CHECK(offer.miss_visits & HW_D2A_VISIT_MIDDAY);
  o.later_start = 1;
  HW_CHECK_INT(sd_find(&w, 1, &o, t, 2, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.start_date, ==, SD_TUESDAY);
  HW_CHECK_INT(offer.lever, ==, HW_D2A_LEVER_LATER);
  HW_CHECK_INT(offer.n_visits, ==, 1);
  HW_CHECK(offer.first_visit >= hw_local_to_time(SD_TUESDAY, 17 * 60));
}

HW_TEST(widen_opens_a_gap_but_never_for_medication) {
  sd_world w;
  sd_init(&w);
  sd_commitment(&w, 16 * 60 + 30, 16 * 60 + 30, 16 * 60 + 30, 120, 1, 1); /* medication 16:30-18:30 */
  hw_visit_template t = sd_template(17 * 60, 18 * 60, 30, 0);
  hw_d2a_options o;
  sd_options_plain(&o);
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 10 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  o.widen_minutes = 60;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 10 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.lever, ==, HW_D2A_LEVER_WIDEN);
  hw_time first = offer.first_visit; /* 16:00-19:00, clear of the medication visit */
  HW_CHECK(first >= hw_local_to_time(SD_TUESDAY, 16 * 60) && first <= hw_local_to_time(SD_TUESDAY, 19 * 60));
  HW_CHECK(first + 30 * 60 <= w.visits[0].planned_start || first >= w.visits[0].planned_start + 120 * 60);
  hw_visit_template med = sd_template(17 * 60, 18 * 60, 30, 1);
  HW_CHECK_INT(sd_find(&w, 1, &o, &med, 1, 10 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0); /* a prescribed time is not widened */
}

HW_TEST(retime_moves_one_visit_within_its_window) {
  sd_world w;
  sd_init(&w);
  sd_commitment(&w, 12 * 60, 14 * 60, 12 * 60 + 15, 60, 0, 1); /* 12:15-13:15, may start until 14:00 */
  hw_visit_template t = sd_template(12 * 60, 12 * 60 + 45, 45, 0);
  hw_d2a_options o;
  sd_options_plain(&o);
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  HW_CHECK_INT(offer.n_moved, ==, 0);
  o.retime = 1;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.lever, ==, HW_D2A_LEVER_RETIME);
  HW_CHECK_INT(offer.n_moved, ==, 1);
  HW_CHECK_INT(offer.moved[0].visit_id, ==, 1);
  HW_CHECK(offer.moved[0].planned_start > w.visits[0].planned_start);
  HW_CHECK(offer.moved[0].planned_start <= w.visits[0].window_end);
  HW_CHECK(offer.first_visit + 45 * 60 <= offer.moved[0].planned_start);
}

/* Worker 1 alone holds medication; their tea-time visit (no medication, a narrow
 * window) blocks the new medication call. Worker 2 is free then. */
static void sd_blocked_medication_world(sd_world *w) {
  sd_init(w);
  w->workers[1] = sd_worker(2, 0);
  w->n_workers = 2;
  sd_commitment(w, 17 * 60, 17 * 60 + 10, 17 * 60, 60, 0, 1);
}

HW_TEST(reassign_hands_a_visit_to_another_worker_to_make_room) {
  sd_world w;
  sd_blocked_medication_world(&w);
  hw_visit_template t = sd_template(17 * 60, 17 * 60 + 30, 20, 1);
  hw_d2a_options o;
  sd_options_plain(&o);
  o.retime = 1;
  o.widen_minutes = 60; /* neither helps: medication keeps its time, the visit cannot move far enough */
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  o.reassign = 1;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.start_date, ==, SD_TUESDAY);
  HW_CHECK(offer.lever & HW_D2A_LEVER_REASSIGN);
  HW_CHECK_INT(offer.visits[0].worker_ids[0], ==, 1);
  HW_CHECK_INT(offer.n_moved, ==, 1);
  HW_CHECK_INT(offer.moved[0].visit_id, ==, 1);
  HW_CHECK_INT(offer.moved[0].worker_id, ==, 2);
  HW_CHECK(offer.moved[0].planned_start >= w.visits[0].window_start);
  HW_CHECK(offer.moved[0].planned_start <= w.visits[0].window_end);
}

HW_TEST(reassign_never_moves_a_pinned_or_imminent_visit) {
  sd_world w;
  sd_blocked_medication_world(&w);
  hw_visit_template t = sd_template(17 * 60, 17 * 60 + 30, 20, 1);
  hw_d2a_options o;
  sd_options_plain(&o);
  o.reassign = 1;
  hw_d2a_offer offer;
  w.visits[0].pinned = 1; /* a coordinator's pin */
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 9 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  w.visits[0].pinned = 0;
  /* Ready at 15:30: the person is home at 17:30, after the call's window; and
   * the blocking visit starts before then, so it is not moved either. */
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 15 * 60 + 30, &offer), ==, 0);
  HW_CHECK(!offer.found || offer.start_date != SD_TUESDAY);
  HW_CHECK_INT(offer.n_moved, ==, 0);
}

HW_TEST(full_reablement_falls_back_to_the_next_tier) {
  sd_world w;
  sd_init(&w);
  w.workers[1] = sd_worker(2, 0); /* an intensive team's worker: tier 1 */
  w.worker_tier[1] = 1;
  w.n_workers = 2;
  sd_commitment(&w, 17 * 60, 17 * 60, 17 * 60, 120, 1, 1);
  hw_visit_template t = sd_template(17 * 60, 18 * 60, 30, 0);
  hw_d2a_options o;
  sd_options_plain(&o);
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 10 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 0);
  HW_CHECK_INT(sd_find(&w, 2, &o, &t, 1, 10 * 60, &offer), ==, 0);
  HW_CHECK_INT(offer.found, ==, 1);
  HW_CHECK_INT(offer.tier, ==, 1);
  HW_CHECK_INT(offer.start_date, ==, SD_TUESDAY);
  HW_CHECK_INT(offer.visits[0].worker_ids[0], ==, 2);
}

HW_TEST(bad_widen_rejected) {
  sd_world w;
  sd_init(&w);
  hw_visit_template t = sd_template(17 * 60, 18 * 60, 30, 0);
  hw_d2a_options o;
  sd_options_plain(&o);
  o.widen_minutes = -5;
  hw_d2a_offer offer;
  HW_CHECK_INT(sd_find(&w, 1, &o, &t, 1, 10 * 60, &offer), ==, HW_EINVAL);
}
