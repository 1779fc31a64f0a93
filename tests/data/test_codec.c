/*
 * Tests of the JSON codecs (data/codec_*.c): every type survives encode -> decode
 * field for field and re-encodes to the same canonical bytes, and every kind of bad
 * input (wrong type, missing field, out of range, unknown field, bad time or date,
 * bad CHI, bad enum name, a window that ends before it starts) is reported at its
 * exact JSON pointer, with all problems of a document listed, not just the first.
 */
#include <stdlib.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_test.h"

/* ---- helpers -------------------------------------------------------------------- */

static json_t *parse(const char *text) {
  json_error_t err;
  json_t *j = json_loads(text, 0, &err);
  if (!j) hw_test_fail(__FILE__, __LINE__, "bad test JSON: %s", err.text);
  return j;
}

/* Canonical text of j (consumed). */
static char *canonical(json_t *j) {
  HW_CHECK(j != NULL);
  char *s = hw_json_dumps_canonical(j);
  json_decref(j);
  HW_CHECK(s != NULL);
  return s;
}

/* The reason recorded at path, or NULL. */
static const char *reason_at(const hw_errors *errs, const char *path) {
  for (int32_t i = 0; i < errs->n; i++)
    if (strcmp(errs->e[i].path, path) == 0) return errs->e[i].reason;
  return NULL;
}

static void dump_errors(const hw_errors *errs) {
  char buf[4096];
  fprintf(stderr, "errors: %s\n", hw_errors_join(errs, buf, sizeof buf));
}

#define CHECK_ERROR(errs, path, reason_part)                                    \
  do {                                                                          \
    const char *r_ = reason_at(errs, path);                                     \
    if (!r_) dump_errors(errs);                                                 \
    HW_CHECK(r_ != NULL);                                                       \
    HW_CHECK_CONTAINS(r_, reason_part);                                         \
  } while (0)

/* Encode v, decode into back, re-encode: same bytes, and no errors. */
#define ROUND_TRIP(type, v, back)                                               \
  do {                                                                          \
    hw_errors errs_;                                                            \
    hw_errors_init(&errs_);                                                     \
    json_t *j_ = hw_##type##_to_json(v);                                        \
    HW_CHECK(j_ != NULL);                                                       \
    char *first_ = hw_json_dumps_canonical(j_);                                 \
    int rc_ = hw_##type##_from_json(j_, "", back, &errs_);                      \
    if (rc_) dump_errors(&errs_);                                               \
    HW_CHECK_INT(rc_, ==, 0);                                                   \
    HW_CHECK_INT(errs_.n, ==, 0);                                               \
    json_decref(j_);                                                            \
    char *second_ = canonical(hw_##type##_to_json(back));                       \
    HW_CHECK_STR(first_, second_);                                              \
    free(first_);                                                               \
    free(second_);                                                              \
  } while (0)

static hw_time at(const char *iso) {
  hw_time t = 0;
  HW_CHECK_INT(hw_time_parse(iso, &t, NULL), ==, 0);
  return t;
}

/* Fills *t (padding zeroed, so whole structs compare with memcmp). */
static void medication_template(hw_visit_template *t) {
  memset(t, 0, sizeof *t);
  t->weekdays = 0x7f;
  t->window.start = 8 * 60;
  t->window.end = 9 * 60;
  t->duration = 30;
  t->skills = (1u << HW_SKILL_PERSONAL_CARE) | (1u << HW_SKILL_MEDICATION);
  t->workers = 1;
  t->medication = 1;
  t->prescribed_minute = 8 * 60 + 30;
}

/* Fills *t (padding zeroed, so whole structs compare with memcmp). */
static void double_handed_template(hw_visit_template *t) {
  memset(t, 0, sizeof *t);
  t->weekdays = 0x15; /* mon, wed, fri */
  t->window.start = 19 * 60;
  t->window.end = 24 * 60;
  t->duration = 45;
  t->skills = 1u << HW_SKILL_MOVING_HANDLING;
  t->workers = 2;
}

/* Fills *w (padding zeroed, so whole structs compare with memcmp). */
static void sample_worker(hw_worker *w) {
  memset(w, 0, sizeof *w);
  w->id = 12;
  w->team_id = 3;
  snprintf(w->name, sizeof w->name, "Morag Ní Bhriain");
  w->base.lat_e6 = 55866200;
  w->base.lon_e6 = -3980300;
  w->travel = HW_TRAVEL_WALK;
  w->contracted_minutes = 37 * 60 + 30;
  w->gender = HW_GENDER_FEMALE;
  w->n_languages = 2;
  snprintf(w->languages[0], sizeof w->languages[0], "en");
  snprintf(w->languages[1], sizeof w->languages[1], "gd");
  w->n_skills = 2;
  w->skills[0].skill = HW_SKILL_PERSONAL_CARE;
  w->skills[0].valid_until = HW_DATE_NONE;
  w->skills[1].skill = HW_SKILL_MEDICATION;
  w->skills[1].valid_until = hw_date_from_ymd(2027, 3, 31);
  w->n_shifts = 2;
  w->shifts[0].weekday = 0;
  w->shifts[0].hours.start = 7 * 60;
  w->shifts[0].hours.end = 14 * 60;
  w->shifts[0].break_window.start = 11 * 60;
  w->shifts[0].break_window.end = 13 * 60;
  w->shifts[0].break_minutes = 30;
  w->shifts[1].weekday = 6;
  w->shifts[1].hours.start = 17 * 60;
  w->shifts[1].hours.end = 22 * 60;
  w->active = 1;
}

/* Fills *c (padding zeroed, so whole structs compare with memcmp). */
static void sample_client(hw_client *c) {
  memset(c, 0, sizeof *c);
  c->id = 40;
  c->locality_id = 2;
  snprintf(c->name, sizeof c->name, "Jean Smith");
  snprintf(c->chi, sizeof c->chi, "0101801238");
  c->location.lat_e6 = 55824510;
  c->location.lon_e6 = -4000005;
  c->carer_gender = HW_GENDER_FEMALE;
  c->carer_gender_hard = 1;
  snprintf(c->language, sizeof c->language, "pl");
  c->n_preferred = 2;
  c->preferred_workers[0] = 12;
  c->preferred_workers[1] = 14;
  c->n_excluded = 1;
  c->excluded_workers[0] = 9;
}

/* Fills *r (padding zeroed, so whole structs compare with memcmp). */
static void sample_referral(hw_referral *r) {
  memset(r, 0, sizeof *r);
  r->id = 7;
  r->client_id = 40;
  r->source = HW_SOURCE_HOSPITAL;
  r->pathway = HW_PATHWAY_REABLEMENT;
  r->status = HW_REFERRAL_ENDED;
  r->team_id = 3;
  r->received_at = at("2026-07-01T09:30:00+01:00");
  r->start_date = hw_date_from_ymd(2026, 7, 2);
  r->end_date = hw_date_from_ymd(2026, 8, 12);
  r->outcome = HW_OUTCOME_INDEPENDENT;
  r->n_templates = 2;
  medication_template(&r->templates[0]);
  double_handed_template(&r->templates[1]);
}

/* Fills *d (padding zeroed, so whole structs compare with memcmp). */
static void sample_discharge(hw_discharge *d) {
  memset(d, 0, sizeof *d);
  d->id = 5;
  d->client_id = 40;
  snprintf(d->hospital, sizeof d->hospital, "University Hospital Wishaw");
  snprintf(d->ward, sizeof d->ward, "Ward 14");
  d->ready_at = at("2026-11-23T10:00:00Z");
  d->status = HW_DISCHARGE_WAITING;
  d->offered_start = HW_TIME_NONE;
  d->earliest = hw_date_from_ymd(2026, 11, 25);
  d->discharged_at = HW_TIME_NONE;
  d->n_templates = 1;
  medication_template(&d->templates[0]);
}

/* Fills *v (padding zeroed, so whole structs compare with memcmp). */
static void sample_visit(hw_visit *v) {
  memset(v, 0, sizeof *v);
  v->id = 900;
  v->referral_id = 7;
  v->client_id = 40;
  v->date = hw_date_from_ymd(2026, 3, 29);
  v->window_start = at("2026-03-29T00:30:00Z");
  v->window_end = at("2026-03-29T03:00:00+01:00");
  v->duration = 30;
  v->skills = 1u << HW_SKILL_MEDICATION;
  v->workers = 2;
  v->priority = 90;
  v->medication = 1;
  v->pinned = 1;
  v->status = HW_VISIT_DONE;
  v->worker_ids[0] = 12;
  v->worker_ids[1] = 14;
  v->planned_start = at("2026-03-29T00:45:00Z");
  v->check_in = at("2026-03-29T00:47:10Z");
  v->check_out = at("2026-03-29T02:20:00+01:00");
}

/* ---- round trips ------------------------------------------------------------------ */

HW_TEST(locality_round_trip) {
  hw_locality l, back;
  memset(&l, 0, sizeof l);
  l.id = 1;
  snprintf(l.name, sizeof l.name, "Airdrie");
  l.population = 57576;
  l.centre.lat_e6 = 55866200;
  l.centre.lon_e6 = -3980300;
  l.radius_m = 4000;
  ROUND_TRIP(locality, &l, &back);
  HW_CHECK(memcmp(&l, &back, sizeof l) == 0);
  char *text = canonical(hw_locality_to_json(&l));
  HW_CHECK_STR(text, "{\"centre\":{\"lat\":55.8662,\"lon\":-3.9803},\"id\":1,\"name\":\"Airdrie\","
                     "\"population\":57576,\"radius_m\":4000}");
  free(text);
}

HW_TEST(team_round_trip) {
  hw_team t, back;
  memset(&t, 0, sizeof t);
  t.id = 3;
  t.locality_id = 1;
  t.kind = HW_TEAM_INTENSIVE;
  snprintf(t.name, sizeof t.name, "Airdrie intensive");
  ROUND_TRIP(team, &t, &back);
  HW_CHECK(memcmp(&t, &back, sizeof t) == 0);
}

HW_TEST(worker_round_trip) {
  hw_worker w, back;
  sample_worker(&w);
  ROUND_TRIP(worker, &w, &back);
  HW_CHECK(memcmp(&w, &back, sizeof w) == 0);
  HW_CHECK_INT(back.skills[1].valid_until, ==, hw_date_from_ymd(2027, 3, 31));
  HW_CHECK_INT(back.skills[0].valid_until, ==, HW_DATE_NONE);
  HW_CHECK_INT(back.shifts[0].break_minutes, ==, 30);
}

HW_TEST(absence_round_trip) {
  hw_absence a, back;
  memset(&a, 0, sizeof a);
  a.id = 2;
  a.worker_id = 12;
  a.from = at("2026-10-24T22:00:00+01:00");
  a.to = at("2026-10-26T08:00:00Z");
  snprintf(a.reason, sizeof a.reason, "sickness");
  ROUND_TRIP(absence, &a, &back);
  HW_CHECK(memcmp(&a, &back, sizeof a) == 0);
}

HW_TEST(client_round_trip) {
  hw_client c, back;
  sample_client(&c);
  ROUND_TRIP(client, &c, &back);
  HW_CHECK(memcmp(&c, &back, sizeof c) == 0);
  /* A client without CHI or language preference. */
  memset(c.chi, 0, sizeof c.chi);
  memset(c.language, 0, sizeof c.language);
  c.n_preferred = c.n_excluded = 0;
  memset(c.preferred_workers, 0, sizeof c.preferred_workers);
  memset(c.excluded_workers, 0, sizeof c.excluded_workers);
  ROUND_TRIP(client, &c, &back);
  HW_CHECK(memcmp(&c, &back, sizeof c) == 0);
}

HW_TEST(visit_template_round_trip) {
  hw_visit_template t, back;
  medication_template(&t);
  ROUND_TRIP(visit_template, &t, &back);
  HW_CHECK(memcmp(&t, &back, sizeof t) == 0);
  double_handed_template(&t);
  ROUND_TRIP(visit_template, &t, &back);
  HW_CHECK(memcmp(&t, &back, sizeof t) == 0);
  char *text = canonical(hw_visit_template_to_json(&t));
  HW_CHECK_STR(text, "{\"days\":[\"mon\",\"wed\",\"fri\"],\"duration\":45,\"medication\":false,"
                     "\"skills\":[\"moving_handling\"],\"window\":{\"end\":\"24:00\",\"start\":"
                     "\"19:00\"},\"workers\":2}");
  free(text);
}

HW_TEST(referral_round_trip) {
  hw_referral r, back;
  sample_referral(&r);
  ROUND_TRIP(referral, &r, &back);
  HW_CHECK(memcmp(&r, &back, sizeof r) == 0);
  /* Optional instants and dates absent. */
  r.received_at = HW_TIME_NONE;
  r.end_date = HW_DATE_NONE;
  r.status = HW_REFERRAL_WAITING;
  r.outcome = HW_OUTCOME_NONE;
  ROUND_TRIP(referral, &r, &back);
  HW_CHECK(memcmp(&r, &back, sizeof r) == 0);
}

HW_TEST(discharge_round_trip) {
  hw_discharge d, back;
  sample_discharge(&d);
  ROUND_TRIP(discharge, &d, &back);
  HW_CHECK(memcmp(&d, &back, sizeof d) == 0);
  HW_CHECK_INT(back.offered_start, ==, HW_TIME_NONE);
  HW_CHECK_INT(back.discharged_at, ==, HW_TIME_NONE);
}

HW_TEST(visit_round_trip) {
  hw_visit v, back;
  sample_visit(&v);
  ROUND_TRIP(visit, &v, &back);
  HW_CHECK(memcmp(&v, &back, sizeof v) == 0);
  v.worker_ids[0] = v.worker_ids[1] = 0;
  v.planned_start = v.check_in = v.check_out = HW_TIME_NONE;
  v.status = HW_VISIT_PLANNED;
  ROUND_TRIP(visit, &v, &back);
  HW_CHECK(memcmp(&v, &back, sizeof v) == 0);
}

HW_TEST(roster_entry_round_trip) {
  hw_roster_entry e, back;
  memset(&e, 0, sizeof e);
  e.worker_id = 12;
  e.date = hw_date_from_ymd(2026, 11, 23);
  e.seq = 3;
  e.visit_id = 900;
  e.planned_start = at("2026-11-23T08:40:00Z");
  e.travel_seconds = 540;
  ROUND_TRIP(roster_entry, &e, &back);
  HW_CHECK(memcmp(&e, &back, sizeof e) == 0);
}

HW_TEST(event_round_trip) {
  hw_event e, back;
  memset(&e, 0, sizeof e);
  e.seq = 42;
  snprintf(e.type, sizeof e.type, "referral.created");
  snprintf(e.actor, sizeof e.actor, "coordinator-airdrie");
  snprintf(e.idempotency_key, sizeof e.idempotency_key, "req-0001");
  e.received_at = at("2026-11-23T09:30:00Z");
  e.payload = "{\"b\":[1,2],\"a\":\"x\"}";
  ROUND_TRIP(event, &e, &back);
  HW_CHECK_INT(back.seq, ==, 42);
  HW_CHECK_STR(back.type, "referral.created");
  HW_CHECK_STR(back.idempotency_key, "req-0001");
  HW_CHECK_INT(back.received_at, ==, e.received_at);
  HW_CHECK_STR(back.payload, "{\"a\":\"x\",\"b\":[1,2]}");
  free(back.payload);
}

static hw_partnership sample_partnership(void) {
  hw_partnership p;
  memset(&p, 0, sizeof p);
  p.n_localities = 1;
  p.localities = calloc(1, sizeof *p.localities);
  p.localities[0].id = 1;
  snprintf(p.localities[0].name, HW_NAME_MAX, "Wishaw");
  p.localities[0].population = 58343;
  p.n_teams = 1;
  p.teams = calloc(1, sizeof *p.teams);
  p.teams[0].id = 3;
  p.teams[0].locality_id = 1;
  snprintf(p.teams[0].name, HW_NAME_MAX, "Wishaw reablement 1");
  p.n_workers = 2;
  p.workers = calloc(2, sizeof *p.workers);
  sample_worker(&p.workers[0]);
  sample_worker(&p.workers[1]);
  p.workers[1].id = 14;
  p.n_clients = 1;
  p.clients = calloc(1, sizeof *p.clients);
  sample_client(&p.clients[0]);
  p.n_referrals = 1;
  p.referrals = calloc(1, sizeof *p.referrals);
  sample_referral(&p.referrals[0]);
  p.n_discharges = 1;
  p.discharges = calloc(1, sizeof *p.discharges);
  sample_discharge(&p.discharges[0]);
  return p;
}

HW_TEST(partnership_round_trip) {
  hw_partnership p = sample_partnership(), back;
  ROUND_TRIP(partnership, &p, &back);
  HW_CHECK_INT(back.n_workers, ==, 2);
  HW_CHECK_INT(back.n_absences, ==, 0);
  HW_CHECK(back.absences == NULL);
  HW_CHECK(memcmp(p.workers, back.workers, 2 * sizeof *p.workers) == 0);
  HW_CHECK(memcmp(p.referrals, back.referrals, sizeof *p.referrals) == 0);
  HW_CHECK(memcmp(p.discharges, back.discharges, sizeof *p.discharges) == 0);
  hw_partnership_free(&back);
  hw_partnership_free(&p);
}

HW_TEST(partnership_errors_name_the_record_and_free_everything) {
  hw_partnership p = sample_partnership(), back;
  json_t *j = hw_partnership_to_json(&p);
  json_t *skill = json_array_get(json_object_get(json_array_get(json_object_get(j, "workers"), 1),
                                                 "skills"), 0);
  json_object_set_new(skill, "skill", json_string("juggling"));
  json_object_set_new(j, "vehicles", json_array());
  hw_errors errs;
  hw_errors_init(&errs);
  HW_CHECK_INT(hw_partnership_from_json(j, "", &back, &errs), ==, HW_EINVAL);
  CHECK_ERROR(&errs, "/workers/1/skills/0/skill", "must be one of: personal_care, medication");
  CHECK_ERROR(&errs, "/vehicles", "unknown field");
  HW_CHECK_INT(errs.n, ==, 2);
  HW_CHECK(back.workers == NULL && back.n_workers == 0);
  json_decref(j);
  hw_partnership_free(&p);
}

/* ---- coordinates ------------------------------------------------------------------- */

static int decode_lat(const char *number, int32_t *lat) {
  char text[160];
  snprintf(text, sizeof text, "{\"name\":\"x\",\"centre\":{\"lat\":%s,\"lon\":0}}", number);
  json_t *j = parse(text);
  hw_locality l;
  hw_errors errs;
  hw_errors_init(&errs);
  int rc = hw_locality_from_json(j, "", &l, &errs);
  json_decref(j);
  *lat = l.centre.lat_e6;
  return rc;
}

HW_TEST(coordinates_decode_exactly_to_microdegrees) {
  int32_t lat = 0;
  HW_CHECK_INT(decode_lat("55.8624", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 55862400);
  HW_CHECK_INT(decode_lat("55.8624004999", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 55862400);
  /* Half a microdegree rounds away from zero, both ways. */
  HW_CHECK_INT(decode_lat("55.8624005", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 55862401);
  HW_CHECK_INT(decode_lat("-3.9806005", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, -3980601);
  HW_CHECK_INT(decode_lat("0.0000005", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 1);
  HW_CHECK_INT(decode_lat("-0.000001", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, -1);
  HW_CHECK_INT(decode_lat("56", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 56000000);
  HW_CHECK_INT(decode_lat("1e1", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 10000000);
  HW_CHECK_INT(decode_lat("90.0000004", &lat), ==, 0);
  HW_CHECK_INT(lat, ==, 90000000);
  HW_CHECK_INT(decode_lat("90.0000005", &lat), ==, HW_EINVAL);
  HW_CHECK_INT(decode_lat("-91", &lat), ==, HW_EINVAL);
}

HW_TEST(coordinates_round_trip_across_the_range) {
  /* Sweep values with every last-digit pattern across the range. */
  for (int32_t e6 = -90000000; e6 <= 90000000; e6 += 999983) {
    for (int32_t k = 0; k < 10; k++) {
      hw_locality l, back;
      memset(&l, 0, sizeof l);
      snprintf(l.name, sizeof l.name, "x");
      l.centre.lat_e6 = e6 + k > 90000000 ? 90000000 : e6 + k;
      l.centre.lon_e6 = -(e6 + k) * 2 + 7 > 180000000 ? 180000000 : -(e6 + k) * 2 + 7;
      json_t *j = hw_locality_to_json(&l);
      char *text = hw_json_dumps_canonical(j);
      json_decref(j);
      j = parse(text);
      free(text);
      hw_errors errs;
      hw_errors_init(&errs);
      HW_CHECK_INT(hw_locality_from_json(j, "", &back, &errs), ==, 0);
      json_decref(j);
      HW_CHECK_INT(back.centre.lat_e6, ==, l.centre.lat_e6);
      HW_CHECK_INT(back.centre.lon_e6, ==, l.centre.lon_e6);
    }
  }
}

/* ---- bad input, one kind per case -------------------------------------------------------- */

static const char *good_referral =
    "{\"client_id\":40,\"source\":\"hospital\",\"start_date\":\"2026-07-02\","
    "\"care_plan\":{\"visits\":["
    "{\"days\":[\"mon\",\"tue\"],\"window\":{\"start\":\"08:00\",\"end\":\"09:00\"},"
    "\"duration\":30,\"skills\":[\"personal_care\",\"medication\"],\"workers\":1,"
    "\"medication\":true,\"prescribed\":\"08:30\"},"
    "{\"days\":[\"sun\"],\"window\":{\"start\":\"12:00\",\"end\":\"13:00\"},\"duration\":20},"
    "{\"days\":[\"sat\"],\"window\":{\"start\":\"18:00\",\"end\":\"19:00\"},\"duration\":20}"
    "]}}";

/* Decode good_referral after `edit` was applied to it; returns the error count. */
static int referral_errors(void (*edit)(json_t *), hw_errors *errs) {
  json_t *j = parse(good_referral);
  if (edit) edit(j);
  hw_referral r;
  hw_errors_init(errs);
  int rc = hw_referral_from_json(j, "", &r, errs);
  json_decref(j);
  HW_CHECK_INT(rc, ==, errs->n ? HW_EINVAL : 0);
  return errs->n;
}

static json_t *visit_at(json_t *referral, size_t i) {
  return json_array_get(json_object_get(json_object_get(referral, "care_plan"), "visits"), i);
}

HW_TEST(good_referral_decodes) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(NULL, &errs), ==, 0);
  json_t *j = parse(good_referral);
  hw_referral r;
  HW_CHECK_INT(hw_referral_from_json(j, "", &r, &errs), ==, 0);
  json_decref(j);
  HW_CHECK_INT(r.n_templates, ==, 3);
  HW_CHECK_INT(r.templates[0].weekdays, ==, 0x03);
  HW_CHECK_INT(r.templates[0].prescribed_minute, ==, 510);
  HW_CHECK_INT(r.templates[1].workers, ==, 1);
  HW_CHECK_INT(r.pathway, ==, HW_PATHWAY_REABLEMENT);
  HW_CHECK_INT(r.received_at, ==, HW_TIME_NONE);
  HW_CHECK_INT(r.end_date, ==, HW_DATE_NONE);
}

static void edit_window_backwards(json_t *j) {
  json_object_set_new(json_object_get(visit_at(j, 2), "window"), "end", json_string("17:00"));
}

HW_TEST(window_end_before_start_names_the_visit) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_window_backwards, &errs), ==, 1);
  CHECK_ERROR(&errs, "/care_plan/visits/2/window/end", "must be after start");
}

static void edit_wrong_types(json_t *j) {
  json_object_set_new(j, "client_id", json_string("40"));
  json_object_set_new(visit_at(j, 0), "workers", json_real(1.0));
  json_object_set_new(visit_at(j, 1), "days", json_string("sun"));
}

HW_TEST(wrong_type_reported) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_wrong_types, &errs), ==, 3);
  CHECK_ERROR(&errs, "/client_id", "must be an integer");
  CHECK_ERROR(&errs, "/care_plan/visits/0/workers", "must be an integer");
  CHECK_ERROR(&errs, "/care_plan/visits/1/days", "must be an array");
}

static void edit_missing(json_t *j) {
  json_object_del(j, "source");
  json_object_del(visit_at(j, 1), "duration");
  json_object_set_new(j, "start_date", json_null());
}

HW_TEST(missing_required_fields_reported) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_missing, &errs), ==, 3);
  CHECK_ERROR(&errs, "/source", "is required");
  CHECK_ERROR(&errs, "/start_date", "is required");
  CHECK_ERROR(&errs, "/care_plan/visits/1/duration", "is required");
}

static void edit_out_of_range(json_t *j) {
  json_object_set_new(visit_at(j, 0), "duration", json_integer(300));
  json_object_set_new(visit_at(j, 1), "workers", json_integer(3));
  json_object_set_new(visit_at(j, 0), "prescribed", json_string("10:00"));
  json_object_set_new(j, "team_id", json_integer(-4));
}

HW_TEST(out_of_range_reported) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_out_of_range, &errs), ==, 4);
  CHECK_ERROR(&errs, "/care_plan/visits/0/duration", "between 5 and 240");
  CHECK_ERROR(&errs, "/care_plan/visits/1/workers", "between 1 and 2");
  CHECK_ERROR(&errs, "/care_plan/visits/0/prescribed", "within the window");
  CHECK_ERROR(&errs, "/team_id", "must not be negative");
}

static void edit_unknown(json_t *j) {
  json_object_set_new(j, "colour", json_string("blue"));
  json_object_set_new(visit_at(j, 2), "notes", json_string("ring twice"));
  json_object_set_new(json_object_get(visit_at(j, 2), "window"), "a/b~", json_true());
}

HW_TEST(unknown_fields_reported) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_unknown, &errs), ==, 3);
  CHECK_ERROR(&errs, "/colour", "unknown field");
  CHECK_ERROR(&errs, "/care_plan/visits/2/notes", "unknown field");
  CHECK_ERROR(&errs, "/care_plan/visits/2/window/a~1b~0", "unknown field");
}

static void edit_bad_times(json_t *j) {
  json_object_set_new(j, "received_at", json_string("2026-13-01T09:00:00Z"));
  json_object_set_new(j, "start_date", json_string("2026-02-30"));
  json_object_set_new(j, "end_date", json_string("2026-03-01T00:00"));
  json_object_set_new(json_object_get(visit_at(j, 1), "window"), "start", json_string("7:00"));
}

HW_TEST(bad_time_and_date_formats_reported) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_bad_times, &errs), ==, 4);
  CHECK_ERROR(&errs, "/received_at", "bad time: month must be 01..12");
  CHECK_ERROR(&errs, "/start_date", "bad date: no such day in that month");
  CHECK_ERROR(&errs, "/end_date", "unexpected text after the date");
  CHECK_ERROR(&errs, "/care_plan/visits/1/window/start", "bad time of day");
}

static void edit_bad_enums(json_t *j) {
  json_object_set_new(j, "source", json_string("gp"));
  json_object_set_new(j, "pathway", json_string("Reablement"));
  json_array_append_new(json_object_get(visit_at(j, 0), "skills"), json_string("driving"));
  json_array_append_new(json_object_get(visit_at(j, 0), "days"), json_string("mon"));
}

HW_TEST(bad_enum_names_list_the_allowed_values) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_bad_enums, &errs), ==, 4);
  CHECK_ERROR(&errs, "/source", "must be one of: community, hospital, change_of_need");
  CHECK_ERROR(&errs, "/pathway", "must be one of: reablement, intensive, mainstream");
  CHECK_ERROR(&errs, "/care_plan/visits/0/skills/2",
              "must be one of: personal_care, medication, moving_handling, dementia, "
              "end_of_life, complex_care");
  CHECK_ERROR(&errs, "/care_plan/visits/0/days/2", "\"mon\" is listed twice");
}

static void edit_three_problems(json_t *j) {
  json_object_set_new(j, "source", json_string("walk-in"));
  json_object_set_new(visit_at(j, 1), "duration", json_integer(2));
  edit_window_backwards(j);
}

HW_TEST(every_problem_of_a_document_is_listed) {
  hw_errors errs;
  HW_CHECK_INT(referral_errors(edit_three_problems, &errs), ==, 3);
  CHECK_ERROR(&errs, "/source", "must be one of");
  CHECK_ERROR(&errs, "/care_plan/visits/1/duration", "between 5 and 240");
  CHECK_ERROR(&errs, "/care_plan/visits/2/window/end", "must be after start");
  char buf[512];
  HW_CHECK_CONTAINS(hw_errors_join(&errs, buf, sizeof buf),
                    "; /care_plan/visits/2/window/end: must be after start");
  json_t *arr = hw_errors_to_json(&errs);
  HW_CHECK_INT(json_array_size(arr), ==, 3);
  HW_CHECK_STR(json_string_value(json_object_get(json_array_get(arr, 2), "field")),
               "/care_plan/visits/2/window/end");
  HW_CHECK_STR(json_string_value(json_object_get(json_array_get(arr, 2), "reason")),
               "must be after start");
  json_decref(arr);
}

HW_TEST(bad_chi_reported_on_the_client) {
  json_t *j = parse("{\"locality_id\":2,\"name\":\"Jean\",\"chi\":\"0101801239\","
                    "\"location\":{\"lat\":55.8,\"lon\":-4.0},\"language\":\"English\","
                    "\"preferred_workers\":[3,3],\"excluded_workers\":[3]}");
  hw_client c;
  hw_errors errs;
  hw_errors_init(&errs);
  HW_CHECK_INT(hw_client_from_json(j, "/client", &c, &errs), ==, HW_EINVAL);
  json_decref(j);
  CHECK_ERROR(&errs, "/client/chi", "bad CHI number: check digit does not match");
  CHECK_ERROR(&errs, "/client/language", "2 or 3 lowercase letters");
  CHECK_ERROR(&errs, "/client/preferred_workers/1", "listed twice");
  CHECK_ERROR(&errs, "/client/excluded_workers/0", "also in preferred_workers");
  HW_CHECK_INT(errs.n, ==, 4);
}

HW_TEST(not_an_object_reported_at_the_root) {
  json_t *j = parse("[1,2]");
  hw_worker w;
  hw_errors errs;
  hw_errors_init(&errs);
  HW_CHECK_INT(hw_worker_from_json(j, "", &w, &errs), ==, HW_EINVAL);
  json_decref(j);
  HW_CHECK_INT(errs.n, ==, 1);
  CHECK_ERROR(&errs, "", "must be an object");
}

HW_TEST(worker_shift_and_skill_problems_reported) {
  json_t *j = parse("{\"team_id\":3,\"name\":\"A\",\"base\":{\"lat\":55,\"lon\":-4,\"alt\":3},"
                    "\"skills\":[{\"skill\":\"medication\",\"valid_until\":\"2027-02-29\"},"
                    "{\"skill\":\"dementia\"},{\"skill\":\"dementia\",\"valid_until\":null}],"
                    "\"shifts\":[{\"day\":\"mon\",\"start\":\"07:00\",\"end\":\"14:00\","
                    "\"break\":{\"start\":\"13:00\",\"end\":\"15:00\",\"minutes\":30}},"
                    "{\"day\":\"tue\",\"start\":\"07:00\",\"end\":\"14:00\","
                    "\"break\":{\"start\":\"11:00\",\"end\":\"11:20\",\"minutes\":30}}],"
                    "\"active\":1}");
  hw_worker w;
  hw_errors errs;
  hw_errors_init(&errs);
  HW_CHECK_INT(hw_worker_from_json(j, "", &w, &errs), ==, HW_EINVAL);
  json_decref(j);
  CHECK_ERROR(&errs, "/base/alt", "unknown field");
  CHECK_ERROR(&errs, "/skills/0/valid_until", "no such day");
  CHECK_ERROR(&errs, "/skills/2", "listed twice");
  CHECK_ERROR(&errs, "/shifts/0/break", "within the shift");
  CHECK_ERROR(&errs, "/shifts/1/break/minutes", "must fit in the break window (20 minutes)");
  CHECK_ERROR(&errs, "/active", "true or false");
  HW_CHECK_INT(errs.n, ==, 6);
}

HW_TEST(error_list_keeps_the_first_32_and_counts_the_rest) {
  json_t *j = json_object();
  char key[24];
  for (int i = 0; i < 40; i++) {
    snprintf(key, sizeof key, "extra%02d", i);
    json_object_set_new(j, key, json_true());
  }
  hw_team t;
  hw_errors errs;
  hw_errors_init(&errs);
  HW_CHECK_INT(hw_team_from_json(j, "", &t, &errs), ==, HW_EINVAL);
  json_decref(j);
  /* 40 unknown fields and 3 missing required ones. */
  HW_CHECK_INT(errs.n, ==, HW_ERRORS_MAX);
  HW_CHECK_INT(errs.dropped, ==, 43 - HW_ERRORS_MAX);
  char buf[8192];
  HW_CHECK_CONTAINS(hw_errors_join(&errs, buf, sizeof buf), "; and 11 more");
  json_t *arr = hw_errors_to_json(&errs);
  HW_CHECK_INT(json_array_size(arr), ==, HW_ERRORS_MAX + 1);
  json_decref(arr);
  /* A short buffer is cut, never overrun. */
  char small[10];
  HW_CHECK_INT(strlen(hw_errors_join(&errs, small, sizeof small)), ==, 9);
}

HW_TEST(enum_names_parse_back) {
  for (int k = 0; k < HW_SKILL_COUNT; k++) {
    hw_skill s;
    HW_CHECK_INT(hw_skill_parse(hw_skill_name((hw_skill)k), &s), ==, 0);
    HW_CHECK_INT(s, ==, k);
  }
  hw_team_kind kind;
  HW_CHECK_INT(hw_team_kind_parse("mainstream", &kind), ==, 0);
  HW_CHECK_INT(kind, ==, HW_TEAM_MAINSTREAM);
  hw_pathway p;
  HW_CHECK_INT(hw_pathway_parse("intensive", &p), ==, 0);
  HW_CHECK_INT(p, ==, HW_PATHWAY_INTENSIVE);
  HW_CHECK_INT(hw_pathway_parse("Intensive", &p), ==, HW_EINVAL);
  HW_CHECK_STR(hw_referral_source_name(HW_SOURCE_CHANGE_OF_NEED), "change_of_need");
  HW_CHECK_STR(hw_discharge_status_name(HW_DISCHARGE_WAITING), "waiting");
  HW_CHECK_STR(hw_visit_status_name(HW_VISIT_IN_PROGRESS), "in_progress");
  HW_CHECK_STR(hw_visit_status_name((hw_visit_status)99), "unknown");
}
