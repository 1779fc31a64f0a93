/*
 * Changes and the event log: hw_store_apply (one change = one transaction holding
 * the event row and the table updates), idempotent replay by (actor, key), group
 * commit with savepoints, and reading the log back in order.
 *
 * The events table is append-only: the schema's triggers refuse UPDATE and DELETE,
 * so even a bug elsewhere in the program cannot rewrite history.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char sql_event_insert[] =
    "INSERT INTO events(type, payload, actor, idempotency_key, received_at, result, locality_id)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7)";
static const char sql_event_by_key[] =
    "SELECT seq, result FROM events WHERE actor=?1 AND idempotency_key=?2";
static const char sql_events_after[] =
    "SELECT seq, type, payload, actor, idempotency_key, received_at, locality_id FROM events"
    " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
/* ?3 is a JSON array of locality ids (json_each walks it). */
static const char sql_events_after_in[] =
    "SELECT seq, type, payload, actor, idempotency_key, received_at, locality_id FROM events"
    " WHERE seq > ?1 AND locality_id IN (SELECT value FROM json_each(?3)) ORDER BY seq LIMIT ?2";
static const char sql_last_seq[] = "SELECT coalesce(max(seq), 0) FROM events";
static const char sql_event_count[] = "SELECT count(*) FROM events";

/* A text argument must fit the matching hw_event field (cap includes the NUL). */
static int check_event_text(hw_store *st, const char *text, size_t cap, const char *field, int required) {
  if (!text || !text[0])
    return required ? hw__store_failf(st, HW_EINVAL, "event.%s: missing", field) : 0;
  if (strnlen(text, cap) == cap)
    return hw__store_failf(st, HW_EINVAL, "event.%s: longer than %zu characters", field, cap - 1);
  return 0;
}

/* 1 when text is JSON, or when jansson ran out of memory finding out. */
static int is_json_or_no_memory(const char *text) {
  json_error_t err;
  json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
  json_decref(j);
  return j != NULL || json_error_code(&err) == json_error_out_of_memory;
}

/* SQLite 3.40's json_valid() answers 0 when it runs out of memory while parsing,
 * so the events table's CHECK (json_valid(payload), json_valid(result)) can blame
 * valid JSON for SQLite's own shortage, and a client would be told its request
 * was invalid. When the CHECK fails on texts that are JSON, say what happened. */
static int event_check_failed(hw_store *st, int rc, const char *payload, const char *result) {
  if (rc != HW_EINVAL || sqlite3_extended_errcode(st->db) != SQLITE_CONSTRAINT_CHECK) return rc;
  if (!is_json_or_no_memory(payload) || (result && !is_json_or_no_memory(result))) return rc;
  char said[sizeof st->msg];
  memcpy(said, st->msg, sizeof said);
  return hw__store_failf(st, HW_ENOMEM, "out of memory checking the event's JSON (SQLite said: %.200s)", said);
}

int hw__store_insert_event(hw_store *st, const char *type, const char *payload, const char *actor,
                           const char *key, hw_time received_at, hw_id locality_id, const char *result,
                           int64_t *seq) {
  const hw_event *e = NULL; /* only for the field sizes */
  int rc = check_event_text(st, type, sizeof e->type, "type", 1);
  if (!rc) rc = check_event_text(st, actor, sizeof e->actor, "actor", 1);
  if (!rc) rc = check_event_text(st, key, sizeof e->idempotency_key, "idempotency_key", 0);
  if (!rc && !payload) rc = hw__store_failf(st, HW_EINVAL, "event.payload: missing");
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = hw__store_stmt(st, sql_event_insert, &s))) return rc;
  sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
  if (key && key[0]) sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, received_at);
  if (result) sqlite3_bind_text(s, 6, result, -1, SQLITE_STATIC);
  hw__bind_id(s, 7, locality_id);
  if ((rc = hw__store_step_done(st, s))) return event_check_failed(st, rc, payload, result);
  if (seq) *seq = sqlite3_last_insert_rowid(st->db);
  return 0;
}

/* ---- One change's transaction: BEGIN IMMEDIATE, or a savepoint in a batch --- */

/* SQLite rolls a whole transaction back by itself after some errors (I/O, full
 * disk, out of memory). In a batch that silently ends the batch: every later
 * change and the commit must fail, until batch_commit or batch_rollback ends it. */
static int batch_lost(hw_store *st) {
  if (st->in_batch && sqlite3_get_autocommit(st->db))
    return hw__store_failf(st, HW_EIO, "the batch was rolled back by an earlier error; nothing in it was stored");
  return 0;
}

static void batch_end(hw_store *st) {
  st->in_batch = 0;
  st->tx_levels = 0;
}

static int change_begin(hw_store *st) {
  if (st->in_batch) {
    int rc = batch_lost(st);
    return rc ? rc : hw__store_savepoint_begin(st, &hw__sp_change);
  }
  HW__FAULT_CHANGE_BEGINS();
  int rc = hw__store_exec(st, hw__sql_begin);
  if (rc == 0) st->tx_levels++;
  return rc;
}

/* End the change: kept when rc == 0, else undone. Returns rc or the commit's
 * error; keeps the message of the error that caused a rollback. */
static int change_end(hw_store *st, int rc) {
  if (st->in_batch) return hw__store_savepoint_end(st, &hw__sp_change, rc);
  if (rc == 0) rc = hw__store_exec(st, hw__sql_commit);
  st->tx_levels--;
  if (rc) hw__store_rollback(st);
  return rc;
}

/* Look (actor, key) up; 1 with *seq and *result (malloc'd or NULL) when found. */
static int find_by_key(hw_store *st, const char *actor, const char *key, int64_t *seq, char **result) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_event_by_key, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  int found = 0;
  if (rc == SQLITE_ROW) {
    *seq = sqlite3_column_int64(s, 0);
    const unsigned char *r = sqlite3_column_text(s, 1);
    *result = NULL;
    if (r && !(*result = strdup((const char *)r))) found = hw__store_failf(st, HW_ENOMEM, "out of memory");
    else found = 1;
  } else if (rc != SQLITE_DONE) {
    found = hw__store_fail(st, rc);
  }
  sqlite3_reset(s);
  return found;
}

static int run_change(hw_store *st, hw_store_tx_fn fn, void *ctx, char **result) {
  if (!fn) return 0;
  st->msg[0] = 0;
  st->in_apply = 1;
  int rc = fn(st, ctx, result);
  st->in_apply = 0;
  if (rc > 0) rc = 0;
  if (rc && !st->msg[0]) hw__store_failf(st, rc, "change rejected: %s", hw_strerror(rc));
  return rc;
}

int hw_store_apply(hw_store *st, const hw_event *ev, hw_store_tx_fn fn, void *ctx, hw_apply_result *res) {
  memset(res, 0, sizeof *res);
  if (st->in_apply) return hw__store_failf(st, HW_EINVAL, "hw_store_apply: called inside a change");
  if (st->opt.read_only) return hw__store_failf(st, HW_EINVAL, "the store is open read-only");
  const char *key = ev->idempotency_key[0] ? ev->idempotency_key : NULL;
  int rc = check_event_text(st, ev->type, sizeof ev->type, "type", 1);
  if (!rc) rc = check_event_text(st, ev->actor, sizeof ev->actor, "actor", 1);
  if (!rc) rc = check_event_text(st, ev->idempotency_key, sizeof ev->idempotency_key, "idempotency_key", 0);
  if (rc || (rc = change_begin(st))) return rc;

  if (key) {
    int found = find_by_key(st, ev->actor, key, &res->event_seq, &res->result);
    if (found != 0) {
      change_end(st, found < 0 ? found : HW_EINVAL); /* read only: undo = end the transaction */
      if (found < 0) return found;
      res->replayed = 1;
      return 0;
    }
  }

  char *result = NULL;
  int64_t seq = 0;
  rc = run_change(st, fn, ctx, &result);
  /* Without a payload of its own, the event carries what the change answered. */
  const char *payload = ev->payload ? ev->payload : result;
  if (!rc && !payload) rc = hw__store_failf(st, HW_EINVAL, "event.payload: missing");
  if (!rc)
    rc = hw__store_insert_event(st, ev->type, payload, ev->actor, key, ev->received_at, ev->locality_id,
                                ev->payload ? result : NULL, &seq);
  rc = change_end(st, rc);
  if (rc) {
    free(result);
    return rc;
  }
  res->event_seq = seq;
  res->result = result;
  return 0;
}

/* ---- Group commit ---------------------------------------------------------- */

int hw_store_batch_begin(hw_store *st) {
  if (st->in_batch || st->in_apply || st->tx_levels)
    return hw__store_failf(st, HW_EINVAL, "a batch or change is already open");
  HW__FAULT_CHANGE_BEGINS();
  int rc = hw__store_exec(st, hw__sql_begin);
  if (rc == 0) {
    st->in_batch = 1;
    st->tx_levels = 1;
  }
  return rc;
}

int hw_store_in_batch(const hw_store *st) { return st->in_batch; }

int hw_store_batch_commit(hw_store *st) {
  if (!st->in_batch) return hw__store_failf(st, HW_EINVAL, "no batch is open");
  int rc = batch_lost(st);
  if (rc == 0) rc = hw__store_exec(st, hw__sql_commit);
  batch_end(st);
  if (rc) hw__store_rollback(st);
  return rc;
}

void hw_store_batch_rollback(hw_store *st) {
  if (!st->in_batch) return;
  batch_end(st);
  hw__store_rollback(st);
}

/* ---- Reading the log ------------------------------------------------------- */

static int read_event(hw_store *st, sqlite3_stmt *s, hw_event *e) {
  memset(e, 0, sizeof *e);
  e->seq = sqlite3_column_int64(s, 0);
  hw__col_text(s, 1, e->type, sizeof e->type);
  const unsigned char *payload = sqlite3_column_text(s, 2);
  hw__col_text(s, 3, e->actor, sizeof e->actor);
  hw__col_text(s, 4, e->idempotency_key, sizeof e->idempotency_key);
  e->received_at = sqlite3_column_int64(s, 5);
  e->locality_id = hw__col_id(s, 6);
  e->payload = strdup(payload ? (const char *)payload : "");
  return e->payload ? 0 : hw__store_failf(st, HW_ENOMEM, "out of memory reading events");
}

/* The events of a prepared listing (seq > ?1, at most ?2) into out. */
static int read_events(hw_store *st, sqlite3_stmt *s, int32_t max, hw_event *out, int32_t *n) {
  int rc = SQLITE_DONE;
  int err = 0;
  while (err == 0 && *n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    err = read_event(st, s, &out[*n]);
    if (err == 0) (*n)++;
  }
  if (err == 0 && *n < max && rc != SQLITE_DONE) err = hw__store_fail(st, rc);
  sqlite3_reset(s);
  if (err) {
    hw_event_free_array(out, *n);
    *n = 0;
  }
  return err;
}

int hw_store_events_after(hw_store *st, int64_t after, int32_t max, hw_event *out, int32_t *n) {
  *n = 0;
  if (max < 0) return hw__store_failf(st, HW_EINVAL, "max: negative");
  if (max == 0) return 0;
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_events_after, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, after);
  sqlite3_bind_int(s, 2, max);
  return read_events(st, s, max, out, n);
}

int hw_store_events_after_in(hw_store *st, int64_t after, int32_t max, const hw_id *localities,
                             int32_t n_localities, hw_event *out, int32_t *n) {
  *n = 0;
  if (max < 0 || n_localities < 0) return hw__store_failf(st, HW_EINVAL, "max or localities: negative");
  if (max == 0) return 0;
  char ids[512] = "[";
  size_t len = 1;
  for (int32_t i = 0; i < n_localities && len + 24 < sizeof ids; i++)
    len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%lld", i ? "," : "", (long long)localities[i]);
  snprintf(ids + len, sizeof ids - len, "]");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_events_after_in, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, after);
  sqlite3_bind_int(s, 2, max);
  /* Unbound (SQLite had no memory to copy it), ?3 is NULL: no locality, an empty page. */
  if ((rc = sqlite3_bind_text(s, 3, ids, -1, SQLITE_TRANSIENT)) != SQLITE_OK) {
    rc = hw__store_fail(st, rc);
    sqlite3_reset(s);
    return rc;
  }
  return read_events(st, s, max, out, n);
}

int64_t hw_store_last_seq(hw_store *st) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_last_seq, &s);
  if (rc) return rc;
  rc = sqlite3_step(s);
  int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return seq;
}

void hw_event_free_array(hw_event *evs, int32_t n) {
  for (int32_t i = 0; evs && i < n; i++) {
    free(evs[i].payload);
    evs[i].payload = NULL;
  }
}

int64_t hw_store_event_count(hw_store *st) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_event_count, &s);
  if (rc) return rc;
  rc = sqlite3_step(s);
  int64_t count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return count;
}
