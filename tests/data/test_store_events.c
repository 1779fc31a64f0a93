/*
 * Tests of changes and the event log (data/store_events.c): hw_store_apply commits
 * the event and the table rows together; an idempotency key replays the first
 * result; a rejected change leaves the database exactly as it was (compared as a
 * full logical dump and as the bytes of the main file after a checkpoint); batches
 * roll back one failing change only; the log refuses UPDATE and DELETE; paging.
 */
#include <sqlite3.h>

#include "hw_dump.h"
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

static hw_event make_event(const char *type, const char *actor, const char *key, const char *payload) {
  hw_event ev;
  memset(&ev, 0, sizeof ev);
  snprintf(ev.type, sizeof ev.type, "%s", type);
  snprintf(ev.actor, sizeof ev.actor, "%s", actor);
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", key);
  ev.received_at = 1795000000;
  ev.payload = (char *)payload;
  return ev;
}

/* ---- Change callbacks ------------------------------------------------------- */

typedef struct add_locality_ctx {
  const char *name;
  int fail_after_write; /* 1: write rows, then reject with HW_EINVAL */
  int calls;
  hw_id id;
} add_locality_ctx;

/* Insert a locality with a team and a worker; the result is {"id":N}. */
static int add_locality(hw_store *st, void *p, char **result) {
  add_locality_ctx *c = p;
  c->calls++;
  hw_locality l = {0};
  snprintf(l.name, sizeof l.name, "%s", c->name);
  l.population = 1000;
  int rc = hw_store_insert_locality(st, &l);
  if (rc) return rc;
  hw_team t = {0};
  t.locality_id = l.id;
  snprintf(t.name, sizeof t.name, "%s reablement", c->name);
  if ((rc = hw_store_insert_team(st, &t))) return rc;
  hw_worker w;
  memset(&w, 0, sizeof w);
  w.team_id = t.id;
  snprintf(w.name, sizeof w.name, "Worker of %s", c->name);
  w.n_skills = 1;
  w.skills[0].skill = HW_SKILL_DEMENTIA;
  w.skills[0].valid_until = HW_DATE_NONE;
  w.active = 1;
  if ((rc = hw_store_insert_worker(st, &w))) return rc;
  if (c->fail_after_write) return HW_EINVAL;
  c->id = l.id;
  char buf[32];
  snprintf(buf, sizeof buf, "{\"id\":%lld}", (long long)l.id);
  *result = strdup(buf);
  return 0;
}

static int count_localities(hw_store *st) {
  hw_locality *ls;
  int32_t n;
  HW_CHECK_INT(hw_store_list_localities(st, &ls, &n), ==, 0);
  free(ls);
  return n;
}

static int apply_add(hw_store *st, const char *name, const char *actor, const char *key,
                     add_locality_ctx *ctx, hw_apply_result *res) {
  memset(ctx, 0, sizeof *ctx);
  ctx->name = name;
  hw_event ev = make_event("locality.created", actor, key, "{\"name\":\"x\"}");
  return hw_store_apply(st, &ev, add_locality, ctx, res);
}

/* ---- A logical dump (tests/hw_dump.h) and the file's bytes ------------------------ */

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static void buf_add(buf *b, const void *data, size_t len) {
  if (b->n + len + 1 > b->cap) {
    b->cap = (b->n + len + 1) * 2;
    b->p = realloc(b->p, b->cap);
    HW_CHECK(b->p != NULL);
  }
  memcpy(b->p + b->n, data, len);
  b->n += len;
  b->p[b->n] = 0;
}

static char *logical_dump(const char *path) {
  char err[256];
  char *dump = hw_dump_database(path, err, sizeof err);
  if (!dump) hw_test_fail(__FILE__, __LINE__, "%s", err);
  return dump;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  HW_CHECK(f != NULL);
  buf out = {0};
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&out, chunk, got);
  fclose(f);
  *len = out.n;
  return out.p;
}

/* ---- Tests ------------------------------------------------------------------ */

HW_TEST(apply_commits_event_and_tables) {
  hw_store *st = open_store("a.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(apply_add(st, "Airdrie", "coordinator-1", "k1", &ctx, &res), ==, 0);
  HW_CHECK_INT(res.replayed, ==, 0);
  HW_CHECK_INT(res.event_seq, ==, 1);
  HW_CHECK_STR(res.result, "{\"id\":1}");
  free(res.result);
  hw_store_close(st);
  /* Durable and together after reopening. */
  st = open_store("a.db");
  HW_CHECK_INT(hw_store_event_count(st), ==, 1);
  HW_CHECK_INT(count_localities(st), ==, 1);
  hw_event ev[2];
  int32_t n;
  HW_CHECK_INT(hw_store_events_after(st, 0, 2, ev, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_STR(ev[0].type, "locality.created");
  HW_CHECK_STR(ev[0].actor, "coordinator-1");
  HW_CHECK_STR(ev[0].idempotency_key, "k1");
  HW_CHECK_STR(ev[0].payload, "{\"name\":\"x\"}");
  HW_CHECK_INT(ev[0].received_at, ==, 1795000000);
  hw_event_free_array(ev, n);
  hw_store_close(st);
}

HW_TEST(replay_same_key_returns_first_result) {
  hw_store *st = open_store("b.db");
  add_locality_ctx ctx;
  hw_apply_result first, again;
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "same-key", &ctx, &first), ==, 0);
  /* Same actor and key, a different body: nothing runs, the first answer returns. */
  HW_CHECK_INT(apply_add(st, "Coatbridge", "coord", "same-key", &ctx, &again), ==, 0);
  HW_CHECK_INT(ctx.calls, ==, 0);
  HW_CHECK_INT(again.replayed, ==, 1);
  HW_CHECK_INT(again.event_seq, ==, first.event_seq);
  HW_CHECK_STR(again.result, first.result);
  HW_CHECK_INT(hw_store_event_count(st), ==, 1);
  HW_CHECK_INT(count_localities(st), ==, 1);
  free(first.result);
  free(again.result);
  hw_store_close(st);
}

HW_TEST(same_key_other_actor_is_new_event) {
  hw_store *st = open_store("c.db");
  add_locality_ctx ctx;
  hw_apply_result a, b;
  HW_CHECK_INT(apply_add(st, "Airdrie", "alice", "k", &ctx, &a), ==, 0);
  HW_CHECK_INT(apply_add(st, "Wishaw", "bob", "k", &ctx, &b), ==, 0);
  HW_CHECK_INT(b.replayed, ==, 0);
  HW_CHECK_INT(b.event_seq, ==, a.event_seq + 1);
  HW_CHECK_INT(hw_store_event_count(st), ==, 2);
  HW_CHECK_INT(count_localities(st), ==, 2);
  free(a.result);
  free(b.result);
  /* No key at all: never deduplicated. */
  HW_CHECK_INT(apply_add(st, "Bellshill", "bob", "", &ctx, &a), ==, 0);
  HW_CHECK_INT(apply_add(st, "Motherwell", "bob", "", &ctx, &b), ==, 0);
  HW_CHECK_INT(hw_store_event_count(st), ==, 4);
  free(a.result);
  free(b.result);
  hw_store_close(st);
}

HW_TEST(rejected_change_leaves_database_identical) {
  const char *path_tmp = hw_test_path("d.db");
  char path[512];
  snprintf(path, sizeof path, "%s", path_tmp);
  hw_store *st = open_store("d.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "k1", &ctx, &res), ==, 0);
  free(res.result);
  HW_CHECK_INT(hw_store_checkpoint(st), ==, 0);
  char *dump_before = logical_dump(path);
  size_t len_before, len_after;
  char *bytes_before = read_file(path, &len_before);

  memset(&ctx, 0, sizeof ctx);
  ctx.name = "Coatbridge";
  ctx.fail_after_write = 1;
  hw_event ev = make_event("locality.created", "coord", "k2", "{}");
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, HW_EINVAL);
  HW_CHECK_INT(ctx.calls, ==, 1);
  HW_CHECK(res.result == NULL);
  HW_CHECK_INT(hw_store_checkpoint(st), ==, 0);

  char *dump_after = logical_dump(path);
  char *bytes_after = read_file(path, &len_after);
  HW_CHECK_STR(dump_after, dump_before);
  HW_CHECK_INT(len_after, ==, len_before);
  HW_CHECK(memcmp(bytes_after, bytes_before, len_before) == 0);
  /* The same key can still be used: the rejected change left no event behind. */
  ctx.fail_after_write = 0;
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, 0);
  HW_CHECK_INT(res.replayed, ==, 0);
  free(res.result);
  free(dump_before);
  free(dump_after);
  free(bytes_before);
  free(bytes_after);
  hw_store_close(st);
}

HW_TEST(constraint_error_in_change_is_mapped) {
  hw_store *st = open_store("e.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "k1", &ctx, &res), ==, 0);
  free(res.result);
  /* Locality names are unique: the change fails with a conflict, nothing stored. */
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "k2", &ctx, &res), ==, HW_ECONFLICT);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "UNIQUE");
  HW_CHECK_INT(hw_store_event_count(st), ==, 1);
  hw_store_close(st);
}

HW_TEST(bad_event_fields_rejected) {
  hw_store *st = open_store("f.db");
  add_locality_ctx ctx = {"Airdrie", 0, 0, 0};
  hw_apply_result res;
  hw_event ev = make_event("", "coord", "", "{}");
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "event.type");
  /* No payload and no result to carry instead: refused. */
  ev = make_event("x.y", "coord", "", NULL);
  HW_CHECK_INT(hw_store_apply(st, &ev, NULL, NULL, &res), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "event.payload");
  HW_CHECK_INT(ctx.calls, ==, 0);
  /* Payloads are JSON text: the schema checks it, and the change goes with it. */
  ev = make_event("x.y", "coord", "", "{not json");
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "json_valid");
  HW_CHECK_INT(ctx.calls, ==, 1);
  HW_CHECK_INT(count_localities(st), ==, 0);
  /* No payload of its own: the event carries what the change answered. */
  ev = make_event("x.y", "coord", "", NULL);
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, 0);
  hw_event got[1];
  int32_t n = 0;
  HW_CHECK_INT(hw_store_events_after(st, res.event_seq - 1, 1, got, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_STR(got[0].payload, res.result);
  hw_event_free_array(got, n);
  free(res.result);
  HW_CHECK_INT(hw_store_event_count(st), ==, 1);
  hw_store_close(st);
}

HW_TEST(batch_failure_rolls_back_only_itself) {
  hw_store *st = open_store("g.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(hw_store_batch_begin(st), ==, 0);
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "b1", &ctx, &res), ==, 0);
  free(res.result);
  memset(&ctx, 0, sizeof ctx);
  ctx.name = "Bellshill";
  ctx.fail_after_write = 1;
  hw_event ev = make_event("locality.created", "coord", "b2", "{}");
  HW_CHECK_INT(hw_store_apply(st, &ev, add_locality, &ctx, &res), ==, HW_EINVAL);
  HW_CHECK_INT(apply_add(st, "Wishaw", "coord", "b3", &ctx, &res), ==, 0);
  free(res.result);
  /* A replay inside the batch sees the batch's own earlier change. */
  HW_CHECK_INT(apply_add(st, "Other", "coord", "b1", &ctx, &res), ==, 0);
  HW_CHECK_INT(res.replayed, ==, 1);
  free(res.result);
  HW_CHECK_INT(hw_store_batch_commit(st), ==, 0);
  HW_CHECK_INT(hw_store_event_count(st), ==, 2);
  HW_CHECK_INT(count_localities(st), ==, 2);
  hw_event evs[4];
  int32_t n;
  HW_CHECK_INT(hw_store_events_after(st, 0, 4, evs, &n), ==, 0);
  HW_CHECK_INT(n, ==, 2);
  HW_CHECK_STR(evs[0].idempotency_key, "b1");
  HW_CHECK_STR(evs[1].idempotency_key, "b3");
  hw_event_free_array(evs, n);
  hw_store_close(st);
}

HW_TEST(batch_rollback_undoes_all) {
  hw_store *st = open_store("h.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(hw_store_batch_begin(st), ==, 0);
  HW_CHECK_INT(hw_store_batch_begin(st), ==, HW_EINVAL);
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "r1", &ctx, &res), ==, 0);
  free(res.result);
  HW_CHECK_INT(apply_add(st, "Wishaw", "coord", "r2", &ctx, &res), ==, 0);
  free(res.result);
  hw_store_batch_rollback(st);
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  HW_CHECK_INT(count_localities(st), ==, 0);
  HW_CHECK_INT(hw_store_batch_commit(st), ==, HW_EINVAL); /* no batch open */
  hw_store_close(st);
}

HW_TEST(uncommitted_batch_is_lost_on_close) {
  hw_store *st = open_store("i.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(hw_store_batch_begin(st), ==, 0);
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "u1", &ctx, &res), ==, 0);
  free(res.result);
  hw_store_close(st);
  st = open_store("i.db");
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  hw_store_close(st);
}

HW_TEST(events_update_delete_refused) {
  hw_store *st = open_store("j.db");
  add_locality_ctx ctx;
  hw_apply_result res;
  HW_CHECK_INT(apply_add(st, "Airdrie", "coord", "k", &ctx, &res), ==, 0);
  free(res.result);
  hw_store_close(st);
  sqlite3 *db;
  HW_CHECK_INT(sqlite3_open(hw_test_path("j.db"), &db), ==, SQLITE_OK);
  char *err = NULL;
  HW_CHECK_INT(sqlite3_exec(db, "UPDATE events SET type='forged'", NULL, NULL, &err), ==, SQLITE_CONSTRAINT);
  HW_CHECK_CONTAINS(err, "append-only");
  sqlite3_free(err);
  HW_CHECK_INT(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, &err), ==, SQLITE_CONSTRAINT);
  HW_CHECK_CONTAINS(err, "append-only");
  sqlite3_free(err);
  sqlite3_stmt *s;
  HW_CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*), min(type) FROM events", -1, &s, NULL), ==, SQLITE_OK);
  HW_CHECK_INT(sqlite3_step(s), ==, SQLITE_ROW);
  HW_CHECK_INT(sqlite3_column_int(s, 0), ==, 1);
  HW_CHECK_STR((const char *)sqlite3_column_text(s, 1), "locality.created");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

static int no_change(hw_store *st, void *ctx, char **result) {
  (void)st;
  (void)ctx;
  (void)result;
  return 0;
}

HW_TEST(events_after_pages_in_order) {
  hw_store *st = open_store("k.db");
  for (int i = 0; i < 25; i++) {
    char payload[32];
    snprintf(payload, sizeof payload, "{\"i\":%d}", i);
    hw_event ev = make_event("test.tick", "system", "", payload);
    hw_apply_result res;
    HW_CHECK_INT(hw_store_apply(st, &ev, no_change, NULL, &res), ==, 0);
    HW_CHECK(res.result == NULL);
  }
  HW_CHECK_INT(hw_store_event_count(st), ==, 25);
  int64_t after = 0;
  int seen = 0, pages = 0;
  for (;;) {
    hw_event page[10];
    int32_t n;
    HW_CHECK_INT(hw_store_events_after(st, after, 10, page, &n), ==, 0);
    if (n == 0) break;
    pages++;
    for (int32_t i = 0; i < n; i++) {
      char want[32];
      snprintf(want, sizeof want, "{\"i\":%d}", seen);
      HW_CHECK_INT(page[i].seq, ==, seen + 1);
      HW_CHECK_STR(page[i].payload, want);
      seen++;
    }
    after = page[n - 1].seq;
    hw_event_free_array(page, n);
  }
  HW_CHECK_INT(seen, ==, 25);
  HW_CHECK_INT(pages, ==, 3);
  hw_event one[1];
  int32_t n;
  HW_CHECK_INT(hw_store_events_after(st, 24, 1, one, &n), ==, 0);
  HW_CHECK_INT(n, ==, 1);
  HW_CHECK_INT(one[0].seq, ==, 25);
  hw_event_free_array(one, n);
  hw_store_close(st);
}

static int nested_apply(hw_store *st, void *ctx, char **result) {
  (void)ctx;
  (void)result;
  hw_event ev = make_event("inner", "system", "", "{}");
  hw_apply_result res;
  return hw_store_apply(st, &ev, no_change, NULL, &res);
}

HW_TEST(nested_apply_refused) {
  hw_store *st = open_store("l.db");
  hw_event ev = make_event("outer", "system", "", "{}");
  hw_apply_result res;
  HW_CHECK_INT(hw_store_apply(st, &ev, nested_apply, NULL, &res), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(hw_store_errmsg(st), "inside a change");
  HW_CHECK_INT(hw_store_event_count(st), ==, 0);
  hw_store_close(st);
}

HW_TEST(sync_modes_open_and_commit) {
  for (int mode = HW_SYNC_FULL; mode <= HW_SYNC_OFF; mode++) {
    hw_store_options o;
    hw_store_options_init(&o);
    o.sync = (hw_sync_mode)mode;
    char name[32], msg[256];
    snprintf(name, sizeof name, "sync%d.db", mode);
    hw_store *st = NULL;
    HW_CHECK_INT(hw_store_open(hw_test_path(name), &o, &st, msg, sizeof msg), ==, 0);
    hw_event ev = make_event("test.tick", "system", "", "{}");
    hw_apply_result res;
    HW_CHECK_INT(hw_store_apply(st, &ev, no_change, NULL, &res), ==, 0);
    hw_store_close(st);
  }
  hw_store_options bad;
  hw_store_options_init(&bad);
  bad.sync = (hw_sync_mode)7;
  hw_store *st = NULL;
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path("bad.db"), &bad, &st, msg, sizeof msg), ==, HW_EINVAL);
  HW_CHECK_CONTAINS(msg, "options.sync");
}

HW_TEST(busy_writer_maps_to_ebusy) {
  hw_store *a = open_store("m.db");
  hw_store_options o;
  hw_store_options_init(&o);
  o.busy_timeout_ms = 0; /* fail at once instead of waiting for the other writer */
  hw_store *b = NULL;
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path("m.db"), &o, &b, msg, sizeof msg), ==, 0);
  HW_CHECK_INT(hw_store_batch_begin(a), ==, 0); /* a holds the write lock */
  hw_event ev = make_event("test.tick", "system", "", "{}");
  hw_apply_result res;
  HW_CHECK_INT(hw_store_apply(b, &ev, no_change, NULL, &res), ==, HW_EBUSY);
  HW_CHECK_CONTAINS(hw_store_errmsg(b), "locked");
  /* Readers are not blocked by the writer (WAL). */
  HW_CHECK_INT(hw_store_event_count(b), ==, 0);
  HW_CHECK_INT(hw_store_batch_commit(a), ==, 0);
  HW_CHECK_INT(hw_store_apply(b, &ev, no_change, NULL, &res), ==, 0);
  hw_store_close(b);
  hw_store_close(a);
}
