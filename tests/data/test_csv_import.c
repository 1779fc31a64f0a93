/*
 * Tests of CSV import (data/hw_csv.h) against a real store holding a small
 * generated partnership: good files are stored whole, bad files report every
 * problem with row and column and leave the database exactly as it was.
 */
#include "hw_test.h"

#include "hw_csv.h"
#include "hw_error.h"
#include "hw_generate.h"

/* A store holding the small Airdrie partnership (teams "Airdrie Mainstream 1", ...). */
static hw_store *small_store(void) {
  hw_store *st = NULL;
  char msg[256] = "";
  hw_store_options so;
  hw_store_options_init(&so);
  so.sync = HW_SYNC_OFF;
  /* A new file per call, so running every case in one process works too. */
  static int calls;
  char name[32];
  snprintf(name, sizeof name, "csv%d.db", calls++);
  if (hw_store_open(hw_test_path(name), &so, &st, msg, sizeof msg) != 0)
    hw_test_fail(__FILE__, __LINE__, "open: %s", msg);
  hw_generate_options o;
  hw_generate_options_init(&o);
  o.scale = HW_SCALE_SMALL;
  o.d2a_weeks = 1;
  hw_partnership p;
  HW_CHECK_INT(hw_generate(&o, &p), ==, 0);
  HW_CHECK_INT(hw_store_save_partnership(st, &p, "test", 1767600000), ==, 0);
  hw_partnership_free(&p);
  return st;
}

static int32_t count_workers(hw_store *st) {
  hw_worker *ws = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_workers(st, 0, &ws, &n), ==, 0);
  free(ws);
  return n;
}

static int32_t count_clients(hw_store *st) {
  hw_client *cs = NULL;
  int32_t n = 0;
  HW_CHECK_INT(hw_store_list_clients(st, 0, &cs, &n), ==, 0);
  free(cs);
  return n;
}

static int import(hw_store *st, const char *csv, hw_csv_kind kind, hw_csv_report *rep) {
  return hw_csv_import(st, csv, strlen(csv), kind, "test", 1767700000, rep);
}

static const char *error_at(const hw_csv_report *rep, const char *path) {
  for (int32_t i = 0; i < rep->errors.n; i++)
    if (strcmp(rep->errors.e[i].path, path) == 0) return rep->errors.e[i].reason;
  return NULL;
}

static const char good_workers[] =
    "team,name,lat,lon,contracted_hours,travel,gender,languages,skills,shifts\n"
    "Airdrie Mainstream 1,Ann Reid,55.8671,-3.9790,37.5,drive,female,en;pl,"
    "personal_care;medication:2027-03-31,mon 07:00-13:00/30;tue 07:00-11:00;tue 16:30-22:00\n"
    "1,\"Smith, John\",55.8600,-3.9700,16,walk,male,,personal_care,\n"
    "Airdrie Intensive 2,Morag Ross,55.87,-3.98,24,,,,\"end_of_life;complex_care:2026-12-01\",sun 16:00-22:00/30\n";

HW_TEST(good_workers_file_is_imported) {
  hw_store *st = small_store();
  int32_t before = count_workers(st);
  hw_csv_report rep;
  HW_CHECK_INT(import(st, good_workers, HW_CSV_AUTO, &rep), ==, 0);
  HW_CHECK_INT(rep.kind, ==, HW_CSV_WORKERS);
  HW_CHECK_INT(rep.rows, ==, 3);
  HW_CHECK_INT(rep.inserted, ==, 3);
  HW_CHECK_INT(count_workers(st), ==, before + 3);
  hw_worker w;
  HW_CHECK_INT(hw_store_get_worker(st, before + 1, &w), ==, 0);
  HW_CHECK_STR(w.name, "Ann Reid");
  HW_CHECK_INT(w.base.lat_e6, ==, 55867100);
  HW_CHECK_INT(w.base.lon_e6, ==, -3979000);
  HW_CHECK_INT(w.contracted_minutes, ==, 37 * 60 + 30);
  HW_CHECK_INT(w.n_languages, ==, 2);
  HW_CHECK_STR(w.languages[1], "pl");
  HW_CHECK_INT(w.n_skills, ==, 2);
  HW_CHECK(hw_worker_has_skill(&w, HW_SKILL_MEDICATION, hw_date_from_ymd(2027, 3, 31)));
  HW_CHECK(!hw_worker_has_skill(&w, HW_SKILL_MEDICATION, hw_date_from_ymd(2027, 4, 1)));
  HW_CHECK_INT(w.n_shifts, ==, 3);
  HW_CHECK_INT(w.shifts[0].break_minutes, ==, 30);
  HW_CHECK_INT(w.shifts[2].hours.start, ==, 16 * 60 + 30);
  HW_CHECK_INT(hw_store_get_worker(st, before + 2, &w), ==, 0);
  HW_CHECK_STR(w.name, "Smith, John");
  HW_CHECK_INT(w.travel, ==, HW_TRAVEL_WALK);
  hw_store_close(st);
}

HW_TEST(good_clients_file_is_imported) {
  hw_store *st = small_store();
  int32_t before = count_clients(st);
  hw_csv_report rep;
  const char *csv =
      "name,locality,lat,lon,chi,carer_gender,carer_gender_hard,language,preferred_workers,excluded_workers\n"
      "Jean Clark,Airdrie,55.8663,-3.9806,0101501234,female,yes,pl,1;2,3\n"
      "Hugh Young,1,55.8700,-3.9900,,,,,,\n";
  HW_CHECK_INT(import(st, csv, HW_CSV_CLIENTS, &rep), ==, 0);
  HW_CHECK_INT(rep.inserted, ==, 2);
  HW_CHECK_INT(count_clients(st), ==, before + 2);
  hw_client c;
  HW_CHECK_INT(hw_store_get_client(st, before + 1, &c), ==, 0);
  HW_CHECK_STR(c.chi, "0101501234");
  HW_CHECK_INT(c.carer_gender, ==, HW_GENDER_FEMALE);
  HW_CHECK_INT(c.carer_gender_hard, ==, 1);
  HW_CHECK_INT(c.n_preferred, ==, 2);
  HW_CHECK_INT(c.n_excluded, ==, 1);
  HW_CHECK_INT(c.excluded_workers[0], ==, 3);
  /* Each row's event is in its locality (scoped readers see it), its record in
   * the shape the service's events have. */
  int64_t n = hw_store_event_count(st);
  hw_event ev[2];
  int32_t got = 0;
  HW_CHECK_INT(hw_store_events_after(st, n - 2, 2, ev, &got), ==, 0);
  HW_CHECK_INT(got, ==, 2);
  for (int32_t i = 0; i < got; i++) {
    HW_CHECK_INT(ev[i].locality_id, ==, 1);
    HW_CHECK_CONTAINS(ev[i].payload, "\"clients\":[");
  }
  hw_event_free_array(ev, got);
  hw_store_close(st);
}

HW_TEST(three_bad_rows_are_all_reported_and_nothing_stored) {
  hw_store *st = small_store();
  int32_t before = count_clients(st);
  int64_t events = hw_store_event_count(st);
  const char *csv =
      "name,locality,lat,lon,chi\n"
      "Good One,Airdrie,55.8663,-3.9806,0101501234\n"  /* row 2 */
      "Bad Chi,Airdrie,55.8663,-3.9806,0101501235\n"   /* row 3: check digit */
      "Good Two,Airdrie,55.8663,-3.9806,\n"            /* row 4 */
      "Bad Place,Glasgow,55.8663,-3.9806,\n"           /* row 5: unknown locality */
      "Bad Lat,Airdrie,north,-3.9806,\n";              /* row 6: not a number */
  hw_csv_report rep;
  HW_CHECK_INT(import(st, csv, HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_INT(rep.errors.n, ==, 3);
  HW_CHECK_CONTAINS(error_at(&rep, "row 3, column chi"), "check digit");
  HW_CHECK_CONTAINS(error_at(&rep, "row 5, column locality"), "Glasgow");
  HW_CHECK_CONTAINS(error_at(&rep, "row 6, column lat"), "decimal degrees");
  HW_CHECK_INT(rep.inserted, ==, 0);
  HW_CHECK_INT(count_clients(st), ==, before);
  HW_CHECK_INT(hw_store_event_count(st), ==, events);
  hw_store_close(st);
}

HW_TEST(every_bad_worker_cell_is_named) {
  hw_store *st = small_store();
  int32_t before = count_workers(st);
  const char *csv =
      "team,name,lat,lon,contracted_hours,travel,skills,shifts\n"
      "No Such Team,,55.86,-3.98,60,bike,juggling,mon 13:00-07:00\n";
  hw_csv_report rep;
  HW_CHECK_INT(import(st, csv, HW_CSV_WORKERS, &rep), ==, HW_EINVAL);
  HW_CHECK(error_at(&rep, "row 2, column team") != NULL);
  HW_CHECK(error_at(&rep, "row 2, column name") != NULL);
  HW_CHECK(error_at(&rep, "row 2, column contracted_hours") != NULL);
  HW_CHECK(error_at(&rep, "row 2, column travel") != NULL);
  HW_CHECK_CONTAINS(error_at(&rep, "row 2, column skills"), "juggling");
  HW_CHECK_CONTAINS(error_at(&rep, "row 2, column shifts"), "end after");
  HW_CHECK_INT(count_workers(st), ==, before);
  hw_store_close(st);
}

HW_TEST(header_problems_are_reported) {
  hw_store *st = small_store();
  hw_csv_report rep;
  HW_CHECK_INT(import(st, "team,name,lat,colour\nAirdrie Mainstream 1,A,55.8,-3.9,red\n", HW_CSV_AUTO, &rep), ==,
               HW_EINVAL);
  HW_CHECK_CONTAINS(error_at(&rep, "row 1, column colour"), "unknown column");
  HW_CHECK_CONTAINS(error_at(&rep, "row 1, column lon"), "missing");
  HW_CHECK_CONTAINS(error_at(&rep, "row 1, column contracted_hours"), "missing");
  HW_CHECK_INT(import(st, "name,lat,lon\nA,55.8,-3.9\n", HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(error_at(&rep, "row 1"), "cannot tell");
  HW_CHECK_INT(import(st, "", HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(error_at(&rep, "file"), "header row is required");
  hw_store_close(st);
}

HW_TEST(short_rows_and_bad_quotes_are_reported) {
  hw_store *st = small_store();
  int32_t before = count_clients(st);
  hw_csv_report rep;
  HW_CHECK_INT(import(st, "name,locality,lat,lon\nA,Airdrie,55.8\n", HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(error_at(&rep, "row 2"), "3 fields");
  HW_CHECK_INT(import(st, "name,locality,lat,lon\n\"A\"x,Airdrie,55.8,-3.9\n", HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(error_at(&rep, "file"), "malformed CSV");
  HW_CHECK_INT(count_clients(st), ==, before);
  hw_store_close(st);
}

HW_TEST(importing_the_same_file_twice_stores_it_once) {
  hw_store *st = small_store();
  int32_t before = count_workers(st);
  hw_csv_report rep;
  HW_CHECK_INT(import(st, good_workers, HW_CSV_AUTO, &rep), ==, 0);
  HW_CHECK_INT(import(st, good_workers, HW_CSV_AUTO, &rep), ==, 0);
  HW_CHECK_INT(rep.inserted, ==, 0);
  HW_CHECK_INT(rep.replayed, ==, 3);
  HW_CHECK_INT(count_workers(st), ==, before + 3);
  hw_store_close(st);
}

HW_TEST(missing_file_is_an_io_error) {
  hw_store *st = small_store();
  hw_csv_report rep;
  HW_CHECK_INT(hw_csv_import_file(st, hw_test_path("absent.csv"), HW_CSV_AUTO, "test", 0, &rep), ==, HW_EIO);
  HW_CHECK_CONTAINS(error_at(&rep, "file"), "cannot read");
  hw_store_close(st);
}

HW_TEST(spreadsheet_bom_and_crlf_are_accepted) {
  hw_store *st = small_store();
  int32_t before = count_clients(st);
  hw_csv_report rep;
  const char *csv = "\xEF\xBB\xBFname,locality,lat,lon\r\nAnne Quinn,Airdrie,55.86,-3.98\r\n\r\n";
  HW_CHECK_INT(import(st, csv, HW_CSV_AUTO, &rep), ==, 0);
  HW_CHECK_INT(rep.kind, ==, HW_CSV_CLIENTS);
  HW_CHECK_INT(rep.inserted, ==, 1);
  HW_CHECK_INT(count_clients(st), ==, before + 1);
  hw_client c;
  HW_CHECK_INT(hw_store_get_client(st, before + 1, &c), ==, 0);
  HW_CHECK_STR(c.name, "Anne Quinn");
  hw_store_close(st);
}

/* A coordinate too long for any integer (the fuzzer's find: the scaling used to
 * overflow) is a cell error like any other, nothing stored. */
HW_TEST(a_coordinate_too_large_for_a_number_is_a_cell_error) {
  hw_store *st = small_store();
  int32_t before = count_clients(st);
  const char *csv =
      "name,locality,lat,lon,chi\n"
      "Jean Clark,Airdrie,522222222222222225.8663,-3.9806,\n"
      "Long Lon,Airdrie,55.8663,-99999999999999999999.1,\n";
  hw_csv_report rep;
  HW_CHECK_INT(import(st, csv, HW_CSV_AUTO, &rep), ==, HW_EINVAL);
  HW_CHECK_INT(rep.errors.n, ==, 2);
  HW_CHECK_CONTAINS(error_at(&rep, "row 2, column lat"), "decimal degrees");
  HW_CHECK_CONTAINS(error_at(&rep, "row 3, column lon"), "decimal degrees");
  HW_CHECK_INT(count_clients(st), ==, before);
  hw_store_close(st);
}
