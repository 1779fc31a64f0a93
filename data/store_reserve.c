/*
 * The D2A reserve table (hw_store.h, migration 5): a locality's rows are replaced
 * as a whole each time the forecast sizes them.
 */
#include <stdlib.h>

#include "store_internal.h"

static const char sql_reserve_delete[] = "DELETE FROM d2a_reserve WHERE locality_id = ?1";
static const char sql_reserve_insert[] =
    "INSERT INTO d2a_reserve(locality_id, weekday, peak, minutes) VALUES(?1,?2,?3,?4)";
static const char sql_reserve_list[] =
    "SELECT locality_id, weekday, peak, minutes FROM d2a_reserve WHERE ?1 = 0 OR locality_id = ?1"
    " ORDER BY locality_id, weekday, peak";

static int check_row(hw_store *st, const hw_reserve_row *r, int32_t i) {
  if (r->locality_id <= 0 || r->weekday < 0 || r->weekday > 6 || r->peak < 0 || r->peak >= HW_RESERVE_PEAKS ||
      r->minutes < 0 || r->minutes > 240)
    return hw__store_failf(st, HW_EINVAL, "reserve[%d]: out of range", (int)i);
  return 0;
}

/* 1 when rows[0..i) already named this row's locality (it was cleared then). */
static int seen_before(const hw_reserve_row *rows, int32_t i) {
  for (int32_t k = 0; k < i; k++)
    if (rows[k].locality_id == rows[i].locality_id) return 1;
  return 0;
}

static int exec_id(hw_store *st, const char *sql, hw_id id) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  return hw__store_step_done(st, s);
}

int hw_store_put_reserve(hw_store *st, const hw_reserve_row *rows, int32_t n) {
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < n; i++) rc = check_row(st, &rows[i], i);
  for (int32_t i = 0; rc == 0 && i < n; i++)
    if (!seen_before(rows, i)) rc = exec_id(st, sql_reserve_delete, rows[i].locality_id);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    sqlite3_stmt *s;
    if ((rc = hw__store_stmt(st, sql_reserve_insert, &s))) break;
    sqlite3_bind_int64(s, 1, rows[i].locality_id);
    sqlite3_bind_int(s, 2, rows[i].weekday);
    sqlite3_bind_int(s, 3, rows[i].peak);
    sqlite3_bind_int(s, 4, rows[i].minutes);
    rc = hw__store_step_done(st, s);
    if (rc == HW_ECONFLICT) rc = hw__store_failf(st, HW_EINVAL, "reserve[%d]: unknown locality or repeated", (int)i);
  }
  return rc;
}

int hw_store_list_reserve(hw_store *st, hw_id locality_id, hw_reserve_row **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_reserve_list, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, locality_id);
  int32_t cap = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 32;
      hw_reserve_row *g = realloc(*out, (size_t)cap * sizeof *g);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      *out = g;
    }
    (*out)[(*n)++] = (hw_reserve_row){sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1), sqlite3_column_int(s, 2),
                                      sqlite3_column_int(s, 3)};
  }
  int err = rc == SQLITE_DONE ? 0 : hw__store_fail(st, rc);
  sqlite3_reset(s);
  if (err) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return err;
}
