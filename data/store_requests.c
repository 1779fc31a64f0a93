/*
 * Idempotent API requests (hw_store.h): the answer each keyed write got, so a
 * retry is answered without redoing anything and a key reused for another
 * request can be refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char sql_request_find[] =
    "SELECT method, route, path, body_sha256, status, locality_id, created_at, answer"
    " FROM requests WHERE actor=?1 AND key=?2";
static const char sql_request_put[] =
    "INSERT INTO requests(actor, key, method, route, path, body_sha256, status, answer, locality_id, created_at)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";

int hw_store_request_find(hw_store *st, const char *actor, const char *key, hw_request_row *out) {
  memset(out, 0, sizeof *out);
  if (!key || !key[0]) return 0;
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_request_find, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  int found = 0;
  if (rc == SQLITE_ROW) {
    snprintf(out->actor, sizeof out->actor, "%s", actor);
    snprintf(out->key, sizeof out->key, "%s", key);
    hw__col_text(s, 0, out->method, sizeof out->method);
    hw__col_text(s, 1, out->route, sizeof out->route);
    hw__col_text(s, 2, out->path, sizeof out->path);
    hw__col_text(s, 3, out->body_sha256, sizeof out->body_sha256);
    out->status = sqlite3_column_int(s, 4);
    out->locality_id = hw__col_id(s, 5);
    out->created_at = sqlite3_column_int64(s, 6);
    const unsigned char *a = sqlite3_column_text(s, 7);
    out->answer = strdup(a ? (const char *)a : "");
    found = out->answer ? 1 : hw__store_failf(st, HW_ENOMEM, "out of memory reading a request");
  } else if (rc != SQLITE_DONE) {
    found = hw__store_fail(st, rc);
  }
  sqlite3_reset(s);
  return found;
}

int hw_store_request_put(hw_store *st, const hw_request_row *r) {
  if (!r->key[0]) return hw__store_failf(st, HW_EINVAL, "request.key: missing");
  if (!r->answer) return hw__store_failf(st, HW_EINVAL, "request.answer: missing");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_request_put, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, r->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, r->key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, r->method, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, r->route, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, r->path, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 6, r->body_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 7, r->status);
  sqlite3_bind_text(s, 8, r->answer, -1, SQLITE_STATIC);
  hw__bind_id(s, 9, r->locality_id);
  sqlite3_bind_int64(s, 10, r->created_at);
  rc = hw__store_step_done(st, s);
  if (rc == HW_ECONFLICT) return hw__store_failf(st, rc, "request: the key '%s' is taken", r->key);
  return rc;
}
