/*
 * The people's front, end to end over HTTP against the real daemon: the
 * workspace and the OpenAPI document are served (every route of the table in
 * it, with its roles, and docs/openapi.json the same document); a worker token
 * reads and stamps only its own visits; a calendar subscription works by secret
 * alone, keeps a visit's UID when it moves, and dies when rotated; a plan kept
 * as a draft changes nothing live until published, a stale draft is refused,
 * and each worker is told what the publish changed; and a visit nobody checked
 * in to is flagged until someone does.
 */
#include "hw_handlers.h"
#include "hw_serve_harness.h"

static const char *str(const json_t *j, const char *key) {
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static json_int_t num(const json_t *j, const char *key) { return json_integer_value(json_object_get(j, key)); }

/* ---- Served files and the API's description ------------------------------------------- */

HW_TEST(workspace_and_its_files_are_served) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  resp r;
  static const char *const pages[] = {"/", "/dashboard"};
  for (int i = 0; i < 2; i++) {
    HW_CHECK_INT(http(d.port, "GET", pages[i], NULL, NULL, NULL, &r), ==, 0);
    HW_CHECK_INT(r.status, ==, 200);
    HW_CHECK_CONTAINS(r.head, "Content-Type: text/html");
    HW_CHECK_CONTAINS(r.head, "Content-Security-Policy: default-src 'self'");
    HW_CHECK_CONTAINS(r.body, "data-testid=\"rota-board\"");
    HW_CHECK_CONTAINS(r.body, "data-testid=\"discharge-board\"");
    HW_CHECK_CONTAINS(r.body, "data-testid=\"waiting-list\"");
    HW_CHECK_CONTAINS(r.body, "data-testid=\"outcomes-charts\"");
  }
  HW_CHECK_INT(http(d.port, "GET", "/app.js", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.head, "Content-Type: text/javascript");
  HW_CHECK_CONTAINS(r.body, "/v1/events?after=");
  HW_CHECK_INT(http(d.port, "GET", "/app.css", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 200);
  HW_CHECK_CONTAINS(r.head, "Content-Type: text/css");
  HW_CHECK_INT(http(d.port, "GET", "/app.map", NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, 404);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* The roles of a mask as the document lists them. */
static void check_roles(const json_t *op, unsigned mask, const char *where) {
  const json_t *roles = json_object_get(op, "x-roles");
  size_t n = 0;
  for (int r = 0; r < HW_ROLE_COUNT; r++) {
    if (!(mask & HW_ROLE_BIT(r))) continue;
    const char *want = hw_role_name((hw_role)r);
    if (!json_is_array(roles) || n >= json_array_size(roles) || strcmp(json_string_value(json_array_get(roles, n)), want))
      hw_test_fail(__FILE__, __LINE__, "%s: x-roles lacks %s", where, want);
    n++;
  }
  HW_CHECK_INT((int)json_array_size(roles), ==, (int)n);
  HW_CHECK_INT((int)json_array_size(json_object_get(op, "security")), ==, mask ? 1 : 0);
}

/* GET path whole (the document is larger than the harness's answers): the body. */
static json_t *get_large(int port, const char *path) {
  size_t cap = 1 << 20;
  char *buf = malloc(cap), req[256];
  int fd = connect_port(port);
  HW_CHECK(buf && fd >= 0);
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
  HW_CHECK_INT(send_all(fd, req, (size_t)n), ==, 0);
  read_all(fd, buf, cap);
  close(fd);
  HW_CHECK_CONTAINS(buf, "HTTP/1.1 200");
  const char *body = strstr(buf, "\r\n\r\n");
  json_t *doc = body ? json_loads(body + 4, 0, NULL) : NULL;
  free(buf);
  HW_CHECK(doc != NULL);
  return doc;
}

HW_TEST(openapi_lists_every_route_and_matches_the_docs) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  json_t *doc = get_large(d.port, "/v1/openapi.json");
  HW_CHECK_STR(str(doc, "openapi"), "3.1.0");
  const json_t *paths = json_object_get(doc, "paths");
  for (int i = 0; i < hw_api_n_routes; i++) {
    const hw_http_route *rt = &hw_api_routes[i];
    char method[16], where[160];
    snprintf(method, sizeof method, "%s", http_method_str((enum http_method)rt->method));
    for (char *c = method; *c; c++) *c = (char)(*c - 'A' + 'a');
    snprintf(where, sizeof where, "%s %s", method, rt->pattern);
    const json_t *op = json_object_get(json_object_get(paths, rt->pattern), method);
    if (!op) hw_test_fail(__FILE__, __LINE__, "%s is not in the document", where);
    HW_CHECK_STR(str(op, "operationId"), rt->handler->name);
    check_roles(op, rt->handler->roles, where);
    if (strchr(rt->pattern, '{')) HW_CHECK(json_array_size(json_object_get(op, "parameters")) >= 1);
    HW_CHECK(json_object_size(json_object_get(op, "responses")) >= 2);
  }
  /* docs/openapi.json is this document (regenerate it when a route changes). */
  char path[1024];
  snprintf(path, sizeof path, "%s/docs/openapi.json", getenv("HW_SOURCE_DIR"));
  json_error_t err;
  json_t *kept = json_load_file(path, 0, &err);
  if (!kept || !json_equal(kept, doc)) {
    char out[1024];
    snprintf(out, sizeof out, "%s/openapi.json", hw_test_build_dir());
    json_dump_file(doc, out, JSON_INDENT(1) | JSON_SORT_KEYS);
    hw_test_fail(__FILE__, __LINE__, "docs/openapi.json differs from GET /v1/openapi.json: cp %s %s", out, path);
  }
  json_decref(kept);
  json_decref(doc);
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* ---- A worker's own ------------------------------------------------------------------- */

HW_TEST(worker_reads_and_stamps_only_their_own) {
  daemon_proc d;
  seed s;
  start_seeded(&d, &s, NULL);
  json_t *me = harness_call(d.port, "GET", "/v1/me", s.worker1, NULL, 200);
  HW_CHECK_STR(str(me, "role"), "worker");
  HW_CHECK_INT(num(me, "worker_id"), ==, 1);
  json_decref(me);
  json_t *days = harness_call(d.port, "GET", "/v1/me/roster", s.worker1, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(days, "days")), ==, 7);
  HW_CHECK_INT(num(json_object_get(days, "worker"), "id"), ==, 1);
  json_decref(days);
  json_decref(harness_call(d.port, "GET", "/v1/me/roster?from=2026-01-01&to=2026-01-15", s.worker1, NULL, 400));
  json_t *ch = harness_call(d.port, "GET", "/v1/me/changes", s.worker1, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(ch, "changes")), ==, 0);
  json_decref(ch);
  /* Visit 2 is worker 2's (the other locality): neither seen nor stamped. */
  json_decref(harness_call(d.port, "GET", "/v1/visits/2", s.worker1, NULL, 403));
  json_decref(harness_call(d.port, "POST", "/v1/visits/2/check-in", s.worker1, NULL, 403));
  json_t *in = harness_call(d.port, "POST", "/v1/visits/1/check-in", s.worker1, NULL, 200);
  HW_CHECK_STR(str(in, "status"), "in_progress");
  json_decref(in);
  /* The worker's own endpoints are a worker token's only. */
  json_decref(harness_call(d.port, "GET", "/v1/me/roster", s.coord1, NULL, 403));
  json_decref(harness_call(d.port, "GET", "/v1/me/changes", s.admin, NULL, 403));
  json_decref(harness_call(d.port, "GET", "/v1/rosters?date=2026-01-12", s.worker1, NULL, 403));
  HW_CHECK_INT(daemon_stop(&d, SIGTERM), ==, 0);
}

/* ---- A generated partnership on a test clock ---------------------------------------------- */

typedef struct front {
  daemon_proc d;
  char admin[HW_TOKEN_LEN + 1], coord[HW_TOKEN_LEN + 1];
} front;

/* Sunday 11 January 2026 06:00, then Monday 09:00: Sunday evening's nightly plan
 * has published Monday. */
static void start_front(front *f) {
  harness_start_generated(&f->d, "front.db", f->admin, f->coord);
  harness_clock_to(f->d.port, f->admin, "2026-01-12T09:00");
}

/* The first roster of locality 1 on date with at least `min` visits (decref it). */
static json_t *a_roster(front *f, const char *date, size_t min) {
  char path[96];
  snprintf(path, sizeof path, "/v1/rosters?date=%s&locality=1", date);
  json_t *all = harness_call(f->d.port, "GET", path, f->coord, NULL, 200);
  size_t i;
  json_t *r, *found = NULL;
  json_array_foreach(json_object_get(all, "rosters"), i, r) if (!found && json_array_size(json_object_get(r, "visits")) >= min)
      found = json_incref(r);
  json_decref(all);
  if (!found) hw_test_fail(__FILE__, __LINE__, "no roster with %zu visits on %s", min, date);
  return found;
}

static char *ics(front *f, const char *url, int want) {
  resp r;
  HW_CHECK_INT(http(f->d.port, "GET", url, NULL, NULL, NULL, &r), ==, 0);
  HW_CHECK_INT(r.status, ==, want);
  if (want == 200) HW_CHECK_CONTAINS(r.head, "Content-Type: text/calendar");
  return strdup(r.body);
}

HW_TEST(calendar_subscription_by_secret_with_stable_uids) {
  front f;
  start_front(&f);
  json_t *ro = a_roster(&f, "2026-01-12", 2);
  json_int_t worker = num(json_object_get(ro, "worker"), "id");
  const json_t *visits = json_object_get(ro, "visits");
  const json_t *last = json_array_get(visits, json_array_size(visits) - 1);
  json_int_t visit = num(last, "visit");
  char path[96], uid[64];
  snprintf(path, sizeof path, "/v1/workers/%lld/calendar-secret", (long long)worker);
  json_t *sec = harness_call(f.d.port, "POST", path, f.coord, NULL, 200);
  char url[128];
  snprintf(url, sizeof url, "%s", str(sec, "url"));
  HW_CHECK_CONTAINS(url, str(sec, "secret"));
  json_decref(sec);
  char *cal = ics(&f, url, 200);
  snprintf(uid, sizeof uid, "UID:visit-%lld@homeward", (long long)visit);
  HW_CHECK_CONTAINS(cal, "BEGIN:VCALENDAR");
  HW_CHECK_CONTAINS(cal, uid);
  HW_CHECK_CONTAINS(cal, "UID:travel-");
  free(cal);
  /* Moved ten minutes later, the visit keeps its UID. */
  hw_time t;
  const char *why;
  HW_CHECK_INT(hw_time_parse(str(last, "start"), &t, &why), ==, 0);
  char at[32], body[128];
  hw_time_format(t + 600, at, sizeof at);
  snprintf(body, sizeof body, "{\"planned_start\":\"%.16s\"}", at);
  snprintf(path, sizeof path, "/v1/visits/%lld", (long long)visit);
  json_decref(harness_call(f.d.port, "PATCH", path, f.coord, body, 200));
  cal = ics(&f, url, 200);
  HW_CHECK_CONTAINS(cal, uid);
  free(cal);
  /* Rotated: the old URL is gone. */
  snprintf(path, sizeof path, "/v1/workers/%lld/calendar-secret", (long long)worker);
  json_t *again = harness_call(f.d.port, "POST", path, f.coord, NULL, 200);
  free(ics(&f, url, 404));
  free(ics(&f, str(again, "url"), 200));
  free(ics(&f, "/v1/calendars/not-a-secret.ics", 404));
  json_decref(again);
  json_decref(ro);
  HW_CHECK_INT(daemon_stop(&f.d, SIGTERM), ==, 0);
}

/* Plan Tuesday as a draft; the job's id once it is done. */
static json_int_t draft_tuesday(front *f) {
  json_t *job = harness_call(f->d.port, "POST", "/v1/plans", f->coord,
                             "{\"locality\":1,\"date\":\"2026-01-13\",\"time_limit_s\":2,\"publish\":false}", 202);
  char path[64];
  snprintf(path, sizeof path, "/v1/plans/%lld", (long long)num(job, "id"));
  json_decref(job);
  for (int i = 0; i < 600; i++) {
    job = harness_call(f->d.port, "GET", path, f->coord, NULL, 200);
    if (!strcmp(str(job, "state"), "done")) break;
    HW_CHECK(!strcmp(str(job, "state"), "queued") || !strcmp(str(job, "state"), "running"));
    json_decref(job);
    job = NULL;
    sleep_ms(100);
  }
  HW_CHECK(job != NULL);
  HW_CHECK(json_is_false(json_object_get(job, "publish")));
  json_int_t draft = num(job, "draft_id");
  HW_CHECK(draft > 0);
  json_decref(job);
  return draft;
}

static int count_notes(const json_t *changes, const char *kind) {
  int n = 0;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(changes, "changes"), i, c) n += !strcmp(str(c, "kind"), kind);
  return n;
}

HW_TEST(a_draft_changes_nothing_until_published_and_workers_are_told) {
  front f;
  start_front(&f);
  json_int_t a = draft_tuesday(&f), b = draft_tuesday(&f);
  /* Nothing live yet: no Tuesday roster; the drafts hold them. */
  json_t *live = harness_call(f.d.port, "GET", "/v1/rosters?date=2026-01-13&locality=1", f.coord, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(live, "rosters")), ==, 0);
  json_decref(live);
  char path[64];
  snprintf(path, sizeof path, "/v1/drafts/%lld", (long long)a);
  json_t *view = harness_call(f.d.port, "GET", path, f.coord, NULL, 200);
  HW_CHECK_STR(str(json_object_get(view, "draft"), "status"), "draft");
  const json_t *first = json_array_get(json_object_get(view, "rosters"), 0);
  HW_CHECK(first != NULL);
  json_int_t worker = num(first, "worker_id");
  int entries = (int)json_array_size(json_object_get(first, "entries"));
  json_decref(view);
  json_t *list = harness_call(f.d.port, "GET", "/v1/drafts?locality=1&status=draft", f.coord, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(list, "drafts")), ==, 2);
  json_decref(list);
  /* Published: live rosters, and notes for every worker on them. */
  snprintf(path, sizeof path, "/v1/drafts/%lld/publish", (long long)a);
  json_t *pub = harness_call(f.d.port, "POST", path, f.coord, NULL, 200);
  HW_CHECK_STR(str(json_object_get(pub, "draft"), "status"), "published");
  HW_CHECK(num(pub, "notes") >= entries);
  HW_CHECK(num(pub, "workers_told") >= 1);
  json_decref(pub);
  live = harness_call(f.d.port, "GET", "/v1/rosters?date=2026-01-13&locality=1", f.coord, NULL, 200);
  HW_CHECK(json_array_size(json_object_get(live, "rosters")) > 0);
  json_decref(live);
  char args[96], token[HW_TOKEN_LEN + 1];
  snprintf(args, sizeof args, "--role worker --worker %lld --name w%lld", (long long)worker, (long long)worker);
  harness_token(f.d.db, args, token, sizeof token);
  json_t *told = harness_call(f.d.port, "GET", "/v1/me/changes", token, NULL, 200);
  HW_CHECK_INT(count_notes(told, "added"), ==, entries);
  json_decref(told);
  json_t *mine = harness_call(f.d.port, "GET", "/v1/me/roster?from=2026-01-13&to=2026-01-13", token, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(json_array_get(json_object_get(mine, "days"), 0), "visits")), ==,
               entries);
  json_decref(mine);
  /* The second draft was made before the first was published: refused, then discarded. */
  int64_t before = event_count(f.d.port);
  snprintf(path, sizeof path, "/v1/drafts/%lld/publish", (long long)b);
  json_t *stale = harness_call(f.d.port, "POST", path, f.coord, NULL, 409);
  char *text = json_dumps(stale, 0);
  HW_CHECK_CONTAINS(text, "since the draft");
  free(text);
  json_decref(stale);
  HW_CHECK_INT(event_count(f.d.port), ==, before);
  snprintf(path, sizeof path, "/v1/drafts/%lld/discard", (long long)b);
  json_t *gone = harness_call(f.d.port, "POST", path, f.coord, NULL, 200);
  HW_CHECK_STR(str(json_object_get(gone, "draft"), "status"), "discarded");
  json_decref(gone);
  snprintf(path, sizeof path, "/v1/drafts/%lld/publish", (long long)a);
  json_decref(harness_call(f.d.port, "POST", path, f.coord, NULL, 409));
  HW_CHECK_INT(daemon_stop(&f.d, SIGTERM), ==, 0);
}

HW_TEST(a_visit_nobody_checked_in_to_is_flagged_until_someone_does) {
  front f;
  start_front(&f);
  json_t *late = harness_call(f.d.port, "GET", "/v1/alerts/late?locality=1", f.coord, NULL, 200);
  const json_t *vs = json_object_get(late, "visits");
  HW_CHECK(json_array_size(vs) > 0);
  hw_time now, t;
  const char *why;
  HW_CHECK_INT(hw_time_parse(str(late, "now"), &now, &why), ==, 0);
  size_t i;
  json_t *v;
  json_array_foreach(vs, i, v) {
    HW_CHECK_INT(hw_time_parse(str(v, "planned_start"), &t, &why), ==, 0);
    HW_CHECK(t + 30 * 60 <= now);
    HW_CHECK(json_is_null(json_object_get(v, "check_in")));
  }
  json_int_t id = num(json_array_get(vs, 0), "id");
  size_t n = json_array_size(vs);
  char path[64];
  snprintf(path, sizeof path, "/v1/visits/%lld/check-in", (long long)id);
  json_decref(harness_call(f.d.port, "POST", path, f.coord, NULL, 200));
  json_t *after = harness_call(f.d.port, "GET", "/v1/alerts/late?locality=1", f.coord, NULL, 200);
  HW_CHECK_INT((int)json_array_size(json_object_get(after, "visits")), ==, (int)n - 1);
  json_decref(after);
  json_t *lenient = harness_call(f.d.port, "GET", "/v1/alerts/late?locality=1&grace=240", f.coord, NULL, 200);
  HW_CHECK(json_array_size(json_object_get(lenient, "visits")) < n);
  json_decref(lenient);
  json_decref(late);
  HW_CHECK_INT(daemon_stop(&f.d, SIGTERM), ==, 0);
}
