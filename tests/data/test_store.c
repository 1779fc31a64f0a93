/*
 * Tests of the SQLite store's schema and records (data/store*.c): migrations and
 * the schema version guard, insert/update/get round trips for every type, foreign
 * keys, rosters, list queries, API tokens, and the partnership save/load round trip.
 * A second, raw SQLite connection looks at the file where the store's own API
 * cannot (schema_version, a newer user_version, the foreign keys in the schema).
 */
#include <sqlite3.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_store.h"
#include "hw_test.h"

static hw_store *open_store(const char *name) {
  hw_store *st = NULL;
  char msg[256];
  int rc = hw_store_open(hw_test_path(name), NULL, &st, msg, sizeof msg);
  if (rc) hw_test_fail(__FILE__, __LINE__, "open: %s", msg);
  return st;
}

/* Run one SQL statement on a raw connection and return its first column as int. */
static int raw_int(const char *path, const char *sql) {
  sqlite3 *db;
  HW_CHECK_INT(sqlite3_open(path, &db), ==, SQLITE_OK);
  sqlite3_stmt *s;
  HW_CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &s, NULL), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_step(s), ==, SQLITE_ROW);
  int v = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

static void raw_exec(const char *path, const char *sql) {
  sqlite3 *db;
  HW_CHECK_INT(sqlite3_open(path, &db), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close(db);
}

/* Field-by-field equality for the structs with padding (memcmp would compare it). */
#define EQ(a, b, f) HW_CHECK_INT((a)->f, ==, (b)->f)

static void check_template_eq(const hw_visit_template *a, const hw_visit_template *b) {
  EQ(a, b, weekdays); EQ(a, b, window.start); EQ(a, b, window.end); EQ(a, b, duration);
  EQ(a, b, skills); EQ(a, b, workers); EQ(a, b, medication); EQ(a, b, prescribed_minute);
}

static void check_worker_eq(const hw_worker *a, const hw_worker *b) {
  EQ(a, b, id); EQ(a, b, team_id); HW_CHECK_STR(a->name, b->name);
  EQ(a, b, base.lat_e6); EQ(a, b, base.lon_e6); EQ(a, b, travel);
  EQ(a, b, contracted_minutes); EQ(a, b, gender); EQ(a, b, active);
  EQ(a, b, n_languages);
  for (int i = 0; i < a->n_languages; i++) HW_CHECK_STR(a->languages[i], b->languages[i]);
  EQ(a, b, n_skills);
  for (int i = 0; i < a->n_skills; i++) { EQ(a, b, skills[i].skill); EQ(a, b, skills[i].valid_until); }
  EQ(a, b, n_shifts);
  for (int i = 0; i < a->n_shifts; i++) {
    EQ(a, b, shifts[i].weekday); EQ(a, b, shifts[i].hours.start); EQ(a, b, shifts[i].hours.end);
    EQ(a, b, shifts[i].break_window.start); EQ(a, b, shifts[i].break_window.end);
    EQ(a, b, shifts[i].break_minutes);
  }
}

static void check_referral_eq(const hw_referral *a, const hw_referral *b) {
  EQ(a, b, id); EQ(a, b, client_id); EQ(a, b, source); EQ(a, b, pathway); EQ(a, b, status);
  EQ(a, b, team_id); EQ(a, b, received_at); EQ(a, b, start_date); EQ(a, b, end_date);
  EQ(a, b, outcome); EQ(a, b, n_templates);
  for (int i = 0; i < a->n_templates; i++) check_template_eq(&a->templates[i], &b->templates[i]);
}

static void check_discharge_eq(const hw_discharge *a, const hw_discharge *b) {
  EQ(a, b, id); EQ(a, b, client_id); EQ(a, b, referral_id); HW_CHECK_STR(a->hospital, b->hospital);
  HW_CHECK_STR(a->ward, b->ward); EQ(a, b, ready_at); EQ(a, b, status); EQ(a, b, offered_start);
  EQ(a, b, earliest); EQ(a, b, discharged_at); EQ(a, b, n_templates);
  for (int i = 0; i < a->n_templates; i++) check_template_eq(&a->templates[i], &b->templates[i]);
}

static void check_visit_eq(const hw_visit *a, const hw_visit *b) {
  EQ(a, b, id); EQ(a, b, referral_id); EQ(a, b, client_id); EQ(a, b, date);
  EQ(a, b, window_start); EQ(a, b, window_end); EQ(a, b, duration); EQ(a, b, skills);
  EQ(a, b, workers); EQ(a, b, priority); EQ(a, b, medication); EQ(a, b, pinned); EQ(a, b, status);
  EQ(a, b, worker_ids[0]); EQ(a, b, worker_ids[1]); EQ(a, b, planned_start);
  EQ(a, b, check_in); EQ(a, b, check_out);
}

static void check_roster_eq(const hw_roster_entry *a, const hw_roster_entry *b) {
  EQ(a, b, worker_id); EQ(a, b, date); EQ(a, b, seq); EQ(a, b, visit_id);
  EQ(a, b, planned_start); EQ(a, b, travel_seconds);
}

/* ---- Fixture: one locality, team, two workers, a client, a referral -------- */

typedef struct fixture {
  hw_locality loc;
  hw_team team;
  hw_worker w1, w2;
  hw_client client;
  hw_referral ref;
} fixture;

static hw_visit_template sample_template(void) {
  hw_visit_template t = {0};
  t.weekdays = 0x1f;
  t.window.start = 8 * 60;
  t.window.end = 9 * 60;
  t.duration = 30;
  t.skills = 1u << HW_SKILL_MEDICATION;
  t.workers = 2;
  t.medication = 1;
  t.prescribed_minute = 8 * 60 + 30;
  return t;
}

static void build_fixture(hw_store *st, fixture *f) {
  memset(f, 0, sizeof *f);
  snprintf(f->loc.name, sizeof f->loc.name, "Airdrie");
  f->loc.population = 57576;
  f->loc.centre = (hw_geo){55866000, -3980000};
  f->loc.radius_m = 4000;
  HW_CHECK_INT(hw_store_insert_locality(st, &f->loc), ==, 0);

  f->team.locality_id = f->loc.id;
  f->team.kind = HW_TEAM_REABLEMENT;
  snprintf(f->team.name, sizeof f->team.name, "Airdrie Reablement 1");
  HW_CHECK_INT(hw_store_insert_team(st, &f->team), ==, 0);

  hw_worker *ws[2] = {&f->w1, &f->w2};
  for (int i = 0; i < 2; i++) {
    hw_worker *w = ws[i];
    w->team_id = f->team.id;
    snprintf(w->name, sizeof w->name, "Worker %d", i + 1);
    w->base = (hw_geo){55860000 + i, -3970000};
    w->travel = HW_TRAVEL_DRIVE;
    w->contracted_minutes = 37 * 60;
    w->gender = HW_GENDER_FEMALE;
    w->n_languages = 2;
    snprintf(w->languages[0], sizeof w->languages[0], "en");
    snprintf(w->languages[1], sizeof w->languages[1], "pl");
    w->n_skills = 2;
    w->skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
    w->skills[1] = (hw_worker_skill){HW_SKILL_MEDICATION, 20800};
    w->n_shifts = 2;
    w->shifts[0] = (hw_shift){0, {7 * 60, 14 * 60}, {11 * 60, 12 * 60}, 30};
    w->shifts[1] = (hw_shift){1, {16 * 60, 22 * 60}, {0, 0}, 0};
    w->active = 1;
    HW_CHECK_INT(hw_store_insert_worker(st, w), ==, 0);
  }

  f->client.locality_id = f->loc.id;
  snprintf(f->client.name, sizeof f->client.name, "Margaret Brown");
  snprintf(f->client.chi, sizeof f->client.chi, "0101401234");
  f->client.location = (hw_geo){55861000, -3975000};
  f->client.carer_gender = HW_GENDER_FEMALE;
  f->client.carer_gender_hard = 1;
  snprintf(f->client.language, sizeof f->client.language, "en");
  f->client.n_preferred = 1;
  f->client.preferred_workers[0] = f->w1.id;
  f->client.n_excluded = 1;
  f->client.excluded_workers[0] = f->w2.id;
  HW_CHECK_INT(hw_store_insert_client(st, &f->client), ==, 0);

  f->ref.client_id = f->client.id;
  f->ref.source = HW_SOURCE_HOSPITAL;
  f->ref.pathway = HW_PATHWAY_REABLEMENT;
  f->ref.status = HW_REFERRAL_ALLOCATED;
  f->ref.team_id = f->team.id;
  f->ref.received_at = 1795000000;
  f->ref.start_date = 20775;
  f->ref.end_date = HW_DATE_NONE;
  f->ref.outcome = HW_OUTCOME_NONE;
  f->ref.n_templates = 2;
  f->ref.templates[0] = sample_template();
  f->ref.templates[1] = sample_template();
  f->ref.templates[1].workers = 1;
  f->ref.templates[1].medication = 0;
  f->ref.templates[1].window = (hw_minute_window){17 * 60, 19 * 60};
  HW_CHECK_INT(hw_store_insert_referral(st, &f->ref), ==, 0);
}

static hw_visit sample_visit(const fixture *f, hw_date date, int minute) {
  hw_visit v = {0};
  v.referral_id = f->ref.id;
  v.client_id = f->client.id;
  v.date = date;
  v.window_start = (hw_time)date * 86400 + minute * 60;
  v.window_end = v.window_start + 3600;
  v.duration = 30;
  v.skills = 3;
  v.workers = 1;
  v.priority = 50;
  v.status = HW_VISIT_PLANNED;
  v.planned_start = HW_TIME_NONE;
  v.check_in = HW_TIME_NONE;
  v.check_out = HW_TIME_NONE;
  return v;
}

/* ---- Schema and migrations ------------------------------------------------- */

HW_TEST(open_creates_schema_at_latest) {
  hw_store *st = open_store("a.db");
  HW_CHECK_INT(hw_store_latest_schema(), >=, 1);
  HW_CHECK_INT(hw_store_schema_version(st), ==, hw_store_latest_schema());
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  hw_store_close(st);
  const char *path = hw_test_path("a.db");
  HW_CHECK_INT(raw_int(path, "PRAGMA user_version"), ==, hw_store_latest_schema());
  HW_CHECK_INT(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN"
                             " ('localities','teams','workers','absences','clients','referrals',"
                             "'discharges','visits','rosters','events','api_tokens')"),
               ==, 11);
  HW_CHECK_INT(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE type='trigger'"), ==, 2);
}

HW_TEST(open_sets_wal_mode) {
  hw_store *st = open_store("wal.db");
  hw_store_close(st);
  sqlite3 *db;
  HW_CHECK_INT(sqlite3_open(hw_test_path("wal.db"), &db), ==, SQLITE_OK);
  sqlite3_stmt *s;
  HW_CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_step(s), ==, SQLITE_ROW);
  HW_CHECK_STR((const char *)sqlite3_column_text(s, 0), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

HW_TEST(reopen_does_not_remigrate) {
  hw_store *st = open_store("b.db");
  hw_store_close(st);
  const char *path = hw_test_path("b.db");
  /* schema_version counts every schema change: a second migration would bump it. */
  int before = raw_int(path, "PRAGMA schema_version");
  st = open_store("b.db");
  HW_CHECK_INT(hw_store_schema_version(st), ==, hw_store_latest_schema());
  hw_store_close(st);
  HW_CHECK_INT(raw_int(hw_test_path("b.db"), "PRAGMA schema_version"), ==, before);
}

HW_TEST(newer_schema_is_refused) {
  hw_store *st = open_store("c.db");
  hw_store_close(st);
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA user_version=%d", hw_store_latest_schema() + 1);
  raw_exec(hw_test_path("c.db"), sql);
  char msg[256];
  int rc = hw_store_open(hw_test_path("c.db"), NULL, &st, msg, sizeof msg);
  HW_CHECK_INT(rc, ==, HW_EINVAL);
  HW_CHECK(st == NULL);
  HW_CHECK_CONTAINS(msg, "newer than this program");
}

HW_TEST(read_only_open_refuses_writes) {
  hw_store *st = open_store("ro.db");
  hw_store_close(st);
  hw_store_options o;
  hw_store_options_init(&o);
  o.read_only = 1;
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path("ro.db"), &o, &st, msg, sizeof msg), ==, 0);
  hw_locality loc = {0};
  snprintf(loc.name, sizeof loc.name, "Wishaw");
  HW_CHECK_INT(hw_store_insert_locality(st, &loc), ==, HW_EIO);
  hw_store_close(st);
}

HW_TEST(open_bad_path_fails_with_reason) {
  hw_store *st = NULL;
  char msg[256];
  HW_CHECK_INT(hw_store_open("/nonexistent-dir/x/y.db", NULL, &st, msg, sizeof msg), ==, HW_EIO);
  HW_CHECK(st == NULL);
  HW_CHECK_CONTAINS(msg, "/nonexistent-dir/x/y.db");
}

/* ---- Records ---------------------------------------------------------------- */

HW_TEST(crud_locality_and_team) {
  hw_store *st = open_store("d.db");
  fixture f;
  build_fixture(st, &f);
  hw_locality l;
  HW_CHECK_INT(hw_store_get_locality(st, f.loc.id, &l), ==, 0);
  HW_CHECK(memcmp(&l, &f.loc, sizeof l) == 0);
  l.population = 60000;
  HW_CHECK_INT(hw_store_update_locality(st, &l), ==, 0);
  hw_locality l2;
  HW_CHECK_INT(hw_store_get_locality(st, l.id, &l2), ==, 0);
  HW_CHECK_INT(l2.population, ==, 60000);
  hw_team t;
  HW_CHECK_INT(hw_store_get_team(st, f.team.id, &t), ==, 0);
  HW_CHECK(memcmp(&t, &f.team, sizeof t) == 0);
  t.kind = HW_TEAM_INTENSIVE;
  HW_CHECK_INT(hw_store_update_team(st, &t), ==, 0);
  HW_CHECK_INT(hw_store_get_team(st, t.id, &f.team), ==, 0);
  HW_CHECK_INT(f.team.kind, ==, HW_TEAM_INTENSIVE);
  HW_CHECK_INT(hw_store_get_team(st, 999, &t), ==, HW_ENOTFOUND);
  hw_store_close(st);
}

HW_TEST(crud_worker_with_children) {
  hw_store *st = open_store("e.db");
  fixture f;
  build_fixture(st, &f);
  hw_worker w;
  HW_CHECK_INT(hw_store_get_worker(st, f.w1.id, &w), ==, 0);
  check_worker_eq(&w, &f.w1);
  /* Update replaces the child rows, it does not add to them. */
  w.n_skills = 1;
  w.skills[0] = (hw_worker_skill){HW_SKILL_DEMENTIA, 21000};
  w.n_shifts = 3;
  w.shifts[2] = (hw_shift){5, {9 * 60, 13 * 60}, {0, 0}, 0};
  w.n_languages = 0;
  w.active = 0;
  HW_CHECK_INT(hw_store_update_worker(st, &w), ==, 0);
  hw_worker back;
  HW_CHECK_INT(hw_store_get_worker(st, w.id, &back), ==, 0);
  check_worker_eq(&back, &w);
  hw_worker missing = w;
  missing.id = 4242;
  HW_CHECK_INT(hw_store_update_worker(st, &missing), ==, HW_ENOTFOUND);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "worker 4242");
  hw_store_close(st);
}

HW_TEST(crud_absence) {
  hw_store *st = open_store("f.db");
  fixture f;
  build_fixture(st, &f);
  hw_absence a = {0};
  a.worker_id = f.w1.id;
  a.from = 1795000000;
  a.to = a.from + 86400;
  snprintf(a.reason, sizeof a.reason, "sickness");
  HW_CHECK_INT(hw_store_insert_absence(st, &a), ==, 0);
  hw_absence b;
  HW_CHECK_INT(hw_store_get_absence(st, a.id, &b), ==, 0);
  HW_CHECK(memcmp(&a, &b, sizeof a) == 0);
  b.to = b.from; /* empty interval */
  HW_CHECK_INT(hw_store_update_absence(st, &b), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "absence.to");
  hw_store_close(st);
}

HW_TEST(crud_client_with_preferences) {
  hw_store *st = open_store("g.db");
  fixture f;
  build_fixture(st, &f);
  hw_client c;
  HW_CHECK_INT(hw_store_get_client(st, f.client.id, &c), ==, 0);
  HW_CHECK(memcmp(&c, &f.client, sizeof c) == 0);
  c.n_preferred = 2;
  c.preferred_workers[1] = f.w2.id;
  c.n_excluded = 0;
  c.excluded_workers[0] = 0;
  memset(c.chi, 0, sizeof c.chi);
  HW_CHECK_INT(hw_store_update_client(st, &c), ==, 0);
  hw_client back;
  HW_CHECK_INT(hw_store_get_client(st, c.id, &back), ==, 0);
  HW_CHECK(memcmp(&back, &c, sizeof c) == 0);
  hw_store_close(st);
}

HW_TEST(crud_referral_with_templates) {
  hw_store *st = open_store("h.db");
  fixture f;
  build_fixture(st, &f);
  hw_referral r;
  HW_CHECK_INT(hw_store_get_referral(st, f.ref.id, &r), ==, 0);
  check_referral_eq(&r, &f.ref);
  r.status = HW_REFERRAL_ENDED;
  r.outcome = HW_OUTCOME_INDEPENDENT;
  r.end_date = r.start_date + 42;
  r.team_id = 0;
  r.n_templates = 1;
  HW_CHECK_INT(hw_store_update_referral(st, &r), ==, 0);
  hw_referral back;
  HW_CHECK_INT(hw_store_get_referral(st, r.id, &back), ==, 0);
  check_referral_eq(&back, &r);
  hw_store_close(st);
}

HW_TEST(crud_discharge) {
  hw_store *st = open_store("i.db");
  fixture f;
  build_fixture(st, &f);
  hw_discharge d = {0};
  d.client_id = f.client.id;
  snprintf(d.hospital, sizeof d.hospital, "University Hospital Wishaw");
  snprintf(d.ward, sizeof d.ward, "Ward 7");
  d.ready_at = 1795010000;
  d.status = HW_DISCHARGE_REQUESTED;
  d.offered_start = HW_TIME_NONE;
  d.earliest = HW_DATE_NONE;
  d.discharged_at = HW_TIME_NONE;
  d.n_templates = 1;
  d.templates[0] = sample_template();
  HW_CHECK_INT(hw_store_insert_discharge(st, &d), ==, 0);
  hw_discharge back;
  HW_CHECK_INT(hw_store_get_discharge(st, d.id, &back), ==, 0);
  check_discharge_eq(&back, &d);
  d.status = HW_DISCHARGE_DISCHARGED;
  d.referral_id = f.ref.id;
  d.offered_start = d.ready_at + 3600;
  d.discharged_at = d.ready_at + 7200;
  d.earliest = 20776;
  HW_CHECK_INT(hw_store_update_discharge(st, &d), ==, 0);
  HW_CHECK_INT(hw_store_get_discharge(st, d.id, &back), ==, 0);
  check_discharge_eq(&back, &d);
  hw_store_close(st);
}

HW_TEST(crud_visit) {
  hw_store *st = open_store("j.db");
  fixture f;
  build_fixture(st, &f);
  hw_visit v = sample_visit(&f, 20775, 8 * 60);
  HW_CHECK_INT(hw_store_insert_visit(st, &v), ==, 0);
  hw_visit back;
  HW_CHECK_INT(hw_store_get_visit(st, v.id, &back), ==, 0);
  check_visit_eq(&back, &v);
  v.status = HW_VISIT_DONE;
  v.worker_ids[0] = f.w1.id;
  v.worker_ids[1] = f.w2.id;
  v.planned_start = v.window_start;
  v.check_in = v.window_start + 60;
  v.check_out = v.check_in + 1800;
  v.pinned = 1;
  HW_CHECK_INT(hw_store_update_visit(st, &v), ==, 0);
  HW_CHECK_INT(hw_store_get_visit(st, v.id, &back), ==, 0);
  check_visit_eq(&back, &v);
  hw_store_close(st);
}

HW_TEST(foreign_key_violation_rejected) {
  hw_store *st = open_store("k.db");
  fixture f;
  build_fixture(st, &f);
  hw_worker w = f.w1;
  w.team_id = 999;
  HW_CHECK_INT(hw_store_insert_worker(st, &w), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "worker.team_id: no team 999");
  hw_client c = f.client;
  c.excluded_workers[0] = 555;
  HW_CHECK_INT(hw_store_insert_client(st, &c), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "client.excluded_workers/0");
  hw_visit v = sample_visit(&f, 20775, 600);
  v.worker_ids[1] = 777;
  HW_CHECK_INT(hw_store_insert_visit(st, &v), ==, HW_ECONFLICT);
  hw_store_close(st);
  /* The schema enforces the same references on its own. */
  sqlite3 *db;
  HW_CHECK_INT(sqlite3_open(hw_test_path("k.db"), &db), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_exec(db,
                            "INSERT INTO workers(team_id,name,lat_e6,lon_e6,travel,contracted_minutes,"
                            "gender,active) VALUES(999,'x',0,0,0,0,0,1)",
                            NULL, NULL, NULL),
               ==, SQLITE_CONSTRAINT);
  sqlite3_close(db);
  HW_CHECK_INT(raw_int(hw_test_path("k.db"), "SELECT count(*) FROM workers"), ==, 2);
}

HW_TEST(failed_child_row_stores_nothing) {
  hw_store *st = open_store("l.db");
  fixture f;
  build_fixture(st, &f);
  hw_worker w = f.w1;
  w.id = 0;
  w.n_shifts = 1;
  w.shifts[0] = (hw_shift){0, {600, 500}, {0, 0}, 0}; /* ends before it starts */
  HW_CHECK_INT(hw_store_insert_worker(st, &w), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "worker.shifts/0");
  hw_worker *all = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_workers(st, 0, &all, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  free(all);
  hw_store_close(st);
}

HW_TEST(unterminated_text_rejected) {
  hw_store *st = open_store("m.db");
  hw_locality l = {0};
  memset(l.name, 'x', sizeof l.name);
  HW_CHECK_INT(hw_store_insert_locality(st, &l), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "locality.name");
  hw_store_close(st);
}

/* ---- Rosters and lists ------------------------------------------------------ */

HW_TEST(roster_put_get_replace) {
  hw_store *st = open_store("n.db");
  fixture f;
  build_fixture(st, &f);
  hw_visit v1 = sample_visit(&f, 20775, 480), v2 = sample_visit(&f, 20775, 600);
  HW_CHECK_INT(hw_store_insert_visit(st, &v1), ==, 0);
  HW_CHECK_INT(hw_store_insert_visit(st, &v2), ==, 0);
  hw_roster_entry e[2] = {{f.w1.id, 20775, 0, v1.id, v1.window_start, 300},
                          {f.w1.id, 20775, 1, v2.id, v2.window_start, 420}};
  HW_CHECK_INT(hw_store_put_roster(st, f.w1.id, 20775, e, 2), ==, 0);
  hw_roster_entry *out = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_get_roster(st, f.w1.id, 20775, &out, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  check_roster_eq(&out[0], &e[0]);
  check_roster_eq(&out[1], &e[1]);
  free(out);
  /* Replace with one entry in the other order. */
  e[1].seq = 0;
  HW_CHECK_INT(hw_store_put_roster(st, f.w1.id, 20775, &e[1], 1), ==, 0);
  HW_CHECK_INT(hw_store_get_roster(st, f.w1.id, 20775, &out, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(out[0].visit_id, ==, v2.id);
  free(out);
  /* An unknown visit rejects the whole roster and keeps the old one. */
  hw_roster_entry bad = {f.w1.id, 20775, 0, 9999, 0, 0};
  HW_CHECK_INT(hw_store_put_roster(st, f.w1.id, 20775, &bad, 1), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "entries/0/visit_id");
  HW_CHECK_INT(hw_store_get_roster(st, f.w1.id, 20775, &out, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  free(out);
  HW_CHECK_INT(hw_store_get_roster(st, f.w2.id, 20775, &out, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  HW_CHECK(out == NULL);
  hw_store_close(st);
}

HW_TEST(list_queries_filter) {
  hw_store *st = open_store("o.db");
  fixture f;
  build_fixture(st, &f);
  /* A second locality with its own team, worker and client. */
  hw_locality l2 = {0};
  snprintf(l2.name, sizeof l2.name, "Wishaw");
  HW_CHECK_INT(hw_store_insert_locality(st, &l2), ==, 0);
  hw_team t2 = {0, l2.id, HW_TEAM_MAINSTREAM, "Wishaw Mainstream"};
  HW_CHECK_INT(hw_store_insert_team(st, &t2), ==, 0);
  hw_worker w3 = f.w1;
  w3.team_id = t2.id;
  HW_CHECK_INT(hw_store_insert_worker(st, &w3), ==, 0);
  hw_client c2 = f.client;
  c2.locality_id = l2.id;
  c2.chi[0] = '\0'; /* a CHI number belongs to one client */
  HW_CHECK_INT(hw_store_insert_client(st, &c2), ==, 0);

  hw_visit v[4] = {sample_visit(&f, 20775, 600), sample_visit(&f, 20775, 480),
                   sample_visit(&f, 20776, 480), sample_visit(&f, 20777, 480)};
  v[2].client_id = c2.id;
  v[2].referral_id = 0;
  for (int i = 0; i < 4; i++) HW_CHECK_INT(hw_store_insert_visit(st, &v[i]), ==, 0);

  hw_visit *vs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_visits(st, 20775, 20776, 0, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  HW_CHECK_INT(vs[0].id, ==, v[1].id); /* earlier window first */
  HW_CHECK_INT(vs[1].id, ==, v[0].id);
  HW_CHECK_INT(vs[2].id, ==, v[2].id);
  free(vs);
  HW_CHECK_INT(hw_store_list_visits(st, 20775, 20777, l2.id, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(vs[0].client_id, ==, c2.id);
  free(vs);

  hw_worker *ws;
  HW_CHECK_INT(hw_store_list_workers(st, f.loc.id, &ws, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  HW_CHECK_INT(ws[1].n_skills, ==, 2); /* children come with the list */
  free(ws);
  HW_CHECK_INT(hw_store_list_workers(st, 0, &ws, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  free(ws);

  hw_absence a = {0, f.w1.id, 1000, 2000, "training"}, b = {0, f.w2.id, 1500, 5000, "annual_leave"};
  HW_CHECK_INT(hw_store_insert_absence(st, &a), ==, 0);
  HW_CHECK_INT(hw_store_insert_absence(st, &b), ==, 0);
  hw_absence *as;
  HW_CHECK_INT(hw_store_list_absences(st, 0, 1900, 2100, &as, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  free(as);
  HW_CHECK_INT(hw_store_list_absences(st, f.w1.id, 2000, 3000, &as, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0); /* [from, to): touching is not overlapping */
  HW_CHECK_INT(hw_store_list_absences(st, f.w2.id, 0, 1600, &as, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  free(as);

  hw_discharge d = {0};
  d.client_id = f.client.id;
  d.status = HW_DISCHARGE_WAITING;
  d.offered_start = d.discharged_at = HW_TIME_NONE;
  d.earliest = HW_DATE_NONE;
  HW_CHECK_INT(hw_store_insert_discharge(st, &d), ==, 0);
  d.status = HW_DISCHARGE_ACCEPTED;
  HW_CHECK_INT(hw_store_insert_discharge(st, &d), ==, 0);
  hw_discharge *ds;
  HW_CHECK_INT(hw_store_list_discharges(st, HW_DISCHARGE_WAITING, &ds, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(ds[0].status, ==, HW_DISCHARGE_WAITING);
  free(ds);
  HW_CHECK_INT(hw_store_list_discharges(st, -1, &ds, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  free(ds);

  hw_referral *rs;
  HW_CHECK_INT(hw_store_list_referrals(st, c2.id, &rs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  HW_CHECK_INT(hw_store_list_referrals(st, 0, &rs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(rs[0].n_templates, ==, 2);
  free(rs);

  hw_team *ts;
  HW_CHECK_INT(hw_store_list_teams(st, l2.id, &ts, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_STR(ts[0].name, "Wishaw Mainstream");
  free(ts);
  hw_client *cs;
  HW_CHECK_INT(hw_store_list_clients(st, f.loc.id, &cs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  free(cs);
  hw_locality *ls;
  HW_CHECK_INT(hw_store_list_localities(st, &ls, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  free(ls);
  hw_store_close(st);
}

/* What a locality serves: its clients' referrals and visits, except those a
 * team of another locality has taken on, which that locality serves. */
HW_TEST(served_lists_follow_the_team) {
  hw_store *st = open_store("s.db");
  fixture f;
  build_fixture(st, &f); /* Airdrie: client, referral on its reablement team */
  hw_locality l2 = {0};
  snprintf(l2.name, sizeof l2.name, "Wishaw");
  HW_CHECK_INT(hw_store_insert_locality(st, &l2), ==, 0);
  hw_team t2 = {0, l2.id, HW_TEAM_REABLEMENT, "Wishaw Reablement"};
  HW_CHECK_INT(hw_store_insert_team(st, &t2), ==, 0);
  hw_referral across = f.ref; /* an Airdrie client whom Wishaw's team took on */
  across.id = 0;
  across.team_id = t2.id;
  HW_CHECK_INT(hw_store_insert_referral(st, &across), ==, 0);
  hw_referral waiting = f.ref; /* no team yet: served where the client lives */
  waiting.id = 0;
  waiting.team_id = 0;
  waiting.status = HW_REFERRAL_WAITING;
  HW_CHECK_INT(hw_store_insert_referral(st, &waiting), ==, 0);
  hw_visit home = sample_visit(&f, 20775, 480), away = home, unplanned = home;
  away.referral_id = across.id;
  unplanned.referral_id = 0; /* an urgent visit: by the client's locality */
  HW_CHECK_INT(hw_store_insert_visit(st, &home), ==, 0);
  HW_CHECK_INT(hw_store_insert_visit(st, &away), ==, 0);
  HW_CHECK_INT(hw_store_insert_visit(st, &unplanned), ==, 0);
  hw_visit *vs;
  int32_t n;
  HW_CHECK_INT(hw_store_list_served_visits(st, f.loc.id, 20775, 20775, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  HW_CHECK(vs[0].id != away.id && vs[1].id != away.id);
  free(vs);
  HW_CHECK_INT(hw_store_list_served_visits(st, l2.id, 20775, 20775, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(vs[0].id, ==, away.id);
  free(vs);
  hw_referral *rs;
  HW_CHECK_INT(hw_store_list_served_referrals(st, l2.id, &rs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(rs[0].id, ==, across.id);
  free(rs);
  HW_CHECK_INT(hw_store_list_served_referrals(st, f.loc.id, &rs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2); /* its own team's, and the one waiting */
  free(rs);
  hw_client *cs;
  HW_CHECK_INT(hw_store_list_served_clients(st, l2.id, &cs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(cs[0].id, ==, f.client.id);
  free(cs);
  /* Client-locality lists are unchanged: the person still lives in Airdrie. */
  HW_CHECK_INT(hw_store_list_visits(st, 20775, 20775, l2.id, &vs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 0);
  free(vs);
  hw_store_close(st);
}

/* The reserve table: a locality's rows replaced as a whole; bad rows change nothing. */
HW_TEST(reserve_rows_replace_a_locality) {
  hw_store *st = open_store("r.db");
  fixture f;
  build_fixture(st, &f);
  hw_reserve_row rows[3] = {{f.loc.id, 1, 2, 60}, {f.loc.id, 1, 3, 30}, {f.loc.id, 5, 0, 15}};
  HW_CHECK_INT(hw_store_put_reserve(st, rows, 3), ==, 0);
  hw_reserve_row *got;
  int32_t n;
  HW_CHECK_INT(hw_store_list_reserve(st, f.loc.id, &got, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  HW_CHECK_INT(got[1].peak, ==, 3);
  HW_CHECK_INT(got[1].minutes, ==, 30);
  free(got);
  HW_CHECK_INT(hw_store_put_reserve(st, rows + 2, 1), ==, 0); /* only Saturday's morning now */
  HW_CHECK_INT(hw_store_list_reserve(st, 0, &got, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(got[0].weekday, ==, 5);
  free(got);
  hw_reserve_row bad = {f.loc.id, 1, 4, 60}; /* there are four peaks, 0..3 */
  HW_CHECK_INT(hw_store_put_reserve(st, &bad, 1), ==, HW_EINVAL);
  hw_reserve_row nowhere = {999, 1, 1, 60};
  HW_CHECK_INT(hw_store_batch_begin(st), ==, 0);
  HW_CHECK_INT(hw_store_put_reserve(st, &nowhere, 1), ==, HW_EINVAL);
  hw_store_batch_rollback(st);
  HW_CHECK_INT(hw_store_list_reserve(st, 0, &got, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  free(got);
  hw_store_close(st);
}

/* ---- Tokens ----------------------------------------------------------------- */

HW_TEST(tokens_insert_find_revoke) {
  hw_store *st = open_store("p.db");
  hw_id id = 0;
  HW_CHECK_INT(hw_store_insert_token(st, "airdrie-coord", "coordinator", "1,3", "ab12cd", 100, &id), ==, 0);
  HW_CHECK_INT(id, >, 0);
  HW_CHECK_INT(hw_store_insert_token(st, "airdrie-coord", "reader", NULL, "ffff", 100, &id), ==, HW_ECONFLICT);
  HW_CHECK_INT(hw_store_insert_token(st, "x", "a-role-that-is-too-long", NULL, "ee", 100, &id), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "role");
  hw_token_row row;
  HW_CHECK_INT(hw_store_find_token(st, "ab12cd", &row), ==, 0);
  HW_CHECK_STR(row.name, "airdrie-coord");
  HW_CHECK_STR(row.role, "coordinator");
  HW_CHECK_STR(row.localities, "1,3");
  HW_CHECK_INT(row.revoked, ==, 0);
  HW_CHECK_INT(hw_store_find_token(st, "0000", &row), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_store_revoke_token(st, "airdrie-coord", 200), ==, 0);
  HW_CHECK_INT(hw_store_revoke_token(st, "airdrie-coord", 300), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_store_find_token(st, "ab12cd", &row), ==, 0);
  HW_CHECK_INT(row.revoked, ==, 1);
  HW_CHECK_INT(row.worker_id, ==, 0);
  /* A worker's token is stored bound to its worker, or not at all. */
  HW_CHECK_INT(hw_store_insert_worker_token(st, "nobody", "1", "beef", 100, 999, &id), ==, HW_ECONFLICT);
  HW_CHECK_INT(hw_store_find_token(st, "beef", &row), ==, HW_ENOTFOUND);
  hw_store_close(st);
}

/* ---- The whole partnership --------------------------------------------------- */

/* A small partnership numbered from 1 per kind, as the generator numbers it. */
static void build_partnership(hw_partnership *p) {
  memset(p, 0, sizeof *p);
  p->n_localities = 2;
  p->localities = calloc(2, sizeof *p->localities);
  p->n_teams = 2;
  p->teams = calloc(2, sizeof *p->teams);
  p->n_workers = 3;
  p->workers = calloc(3, sizeof *p->workers);
  p->n_absences = 1;
  p->absences = calloc(1, sizeof *p->absences);
  p->n_clients = 2;
  p->clients = calloc(2, sizeof *p->clients);
  p->n_referrals = 2;
  p->referrals = calloc(2, sizeof *p->referrals);
  p->n_discharges = 1;
  p->discharges = calloc(1, sizeof *p->discharges);
  const char *towns[2] = {"Bellshill", "Motherwell"};
  for (int i = 0; i < 2; i++) {
    hw_locality *l = &p->localities[i];
    l->id = i + 1;
    snprintf(l->name, sizeof l->name, "%s", towns[i]);
    l->population = 42273 + i;
    l->centre = (hw_geo){55816000 + i * 1000, -4026000};
    l->radius_m = 3000;
    hw_team *t = &p->teams[i];
    t->id = i + 1;
    t->locality_id = i + 1;
    t->kind = i ? HW_TEAM_INTENSIVE : HW_TEAM_REABLEMENT;
    snprintf(t->name, sizeof t->name, "%s team", towns[i]);
  }
  for (int i = 0; i < 3; i++) {
    hw_worker *w = &p->workers[i];
    w->id = i + 1;
    w->team_id = i % 2 + 1;
    snprintf(w->name, sizeof w->name, "Carer %d", i + 1);
    w->base = (hw_geo){55816000, -4026000 + i};
    w->contracted_minutes = 1200 + i;
    w->gender = HW_GENDER_MALE;
    w->n_languages = 1;
    snprintf(w->languages[0], sizeof w->languages[0], "en");
    w->n_skills = 1;
    w->skills[0].skill = HW_SKILL_PERSONAL_CARE;
    w->skills[0].valid_until = HW_DATE_NONE;
    w->n_shifts = 1;
    w->shifts[0].weekday = (uint8_t)i;
    w->shifts[0].hours.start = 420;
    w->shifts[0].hours.end = 840;
    w->active = 1;
  }
  p->absences[0] = (hw_absence){1, 2, 1795000000, 1795086400, "sickness"};
  for (int i = 0; i < 2; i++) {
    hw_client *c = &p->clients[i];
    c->id = i + 1;
    c->locality_id = i + 1;
    snprintf(c->name, sizeof c->name, "Client %d", i + 1);
    c->location = (hw_geo){55817000, -4027000};
    c->n_preferred = 1;
    c->preferred_workers[0] = 3 - i;
    hw_referral *r = &p->referrals[i];
    r->id = i + 1;
    r->client_id = i + 1;
    r->source = HW_SOURCE_COMMUNITY;
    r->status = HW_REFERRAL_WAITING;
    r->team_id = i ? 0 : 1;
    r->received_at = 1795000000 + i;
    r->start_date = 20775;
    r->end_date = i ? 20817 : HW_DATE_NONE;
    r->n_templates = 1;
    r->templates[0] = sample_template();
  }
  hw_discharge *d = &p->discharges[0];
  d->id = 1;
  d->client_id = 2;
  d->referral_id = 2;
  snprintf(d->hospital, sizeof d->hospital, "University Hospital Monklands");
  snprintf(d->ward, sizeof d->ward, "Ward 12");
  d->ready_at = 1795003600;
  d->status = HW_DISCHARGE_OFFERED;
  d->offered_start = 1795010000;
  d->earliest = HW_DATE_NONE;
  d->discharged_at = HW_TIME_NONE;
  d->n_templates = 1;
  d->templates[0] = sample_template();
}

static char *canonical(json_t *j) {
  HW_CHECK(j != NULL);
  char *text = hw_json_dumps_canonical(j);
  json_decref(j);
  HW_CHECK(text != NULL);
  return text;
}

HW_TEST(partnership_save_load_round_trip) {
  hw_store *st = open_store("q.db");
  hw_partnership p;
  build_partnership(&p);
  HW_CHECK_INT(hw_store_save_partnership(st, &p, "generator", 1795000000), ==, 0);
  /* One "<entity>.created" event per record, payload {"<entities>": [record]}. */
  HW_CHECK_INT(hw_store_event_count(st), ==, 2 + 2 + 3 + 1 + 2 + 2 + 1);
  hw_event ev[3];
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(st, 0, 3, ev, &n), ==, 0);
  HW_CHECK_INT(n, ==, 3);
  HW_CHECK_STR(ev[0].type, "locality.created");
  HW_CHECK_STR(ev[0].actor, "generator");
  HW_CHECK_STR(ev[2].type, "team.created");
  char *want = canonical(json_pack("{s:[o]}", "localities", hw_locality_to_json(&p.localities[0])));
  HW_CHECK_STR(ev[0].payload, want);
  free(want);
  hw_event_free_array(ev, n);

  hw_partnership back;
  HW_CHECK_INT(hw_store_load_partnership(st, &back), ==, 0);
  char *a = canonical(hw_partnership_to_json(&p));
  char *b = canonical(hw_partnership_to_json(&back));
  HW_CHECK_STR(b, a);
  free(a);
  free(b);
  hw_partnership_free(&back);

  /* A second save collides on ids and stores nothing at all. */
  hw_partnership again;
  build_partnership(&again);
  HW_CHECK_INT(hw_store_save_partnership(st, &again, "generator", 1795000000), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "localities/0 (id 1)");
  HW_CHECK_INT(hw_store_event_count(st), ==, 13);
  hw_partnership_free(&again);
  hw_partnership_free(&p);
  hw_store_close(st);
}

HW_TEST(partnership_with_dangling_reference_stores_nothing) {
  hw_store *st = open_store("r.db");
  hw_partnership p;
  build_partnership(&p);
  p.discharges[0].referral_id = 9; /* no such referral */
  HW_CHECK_INT(hw_store_save_partnership(st, &p, "generator", 1795000000), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "discharge.referral_id");
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  hw_partnership back;
  HW_CHECK_INT(hw_store_load_partnership(st, &back), ==, 0);
  HW_CHECK_INT(back.n_localities + back.n_workers + back.n_referrals, ==, 0);
  hw_partnership_free(&back);
  hw_partnership_free(&p);
  hw_store_close(st);
}
