/*
 * Who created each discharge request, and groups of changes that commit or roll
 * back together inside a group commit (the daemon stores a discharge request and
 * its D2A offer as one group: both events, or neither).
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char sql_owner_insert[] = "INSERT INTO discharge_owners(discharge_id, token_id) VALUES(?1, ?2)";
static const char sql_owner_get[] = "SELECT token_id FROM discharge_owners WHERE discharge_id = ?1";

int hw_store_set_discharge_owner(hw_store *st, hw_id discharge_id, hw_id token_id) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_owner_insert, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, discharge_id);
  sqlite3_bind_int64(s, 2, token_id);
  return hw__store_step_done(st, s);
}

int hw_store_get_discharge_owner(hw_store *st, hw_id discharge_id, hw_id *token_id) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_owner_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, discharge_id);
  *token_id = 0;
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *token_id = sqlite3_column_int64(s, 0);
    rc = 0;
  } else {
    rc = rc == SQLITE_DONE ? 0 : hw__store_fail(st, rc);
  }
  sqlite3_reset(s);
  return rc;
}

int hw_store_group_begin(hw_store *st) {
  if (!st->in_batch || st->in_apply) return hw__store_failf(st, HW_EINVAL, "a change group needs an open batch");
  /* In a batch SQLite has rolled back on its own, SAVEPOINT would open a new
   * transaction that the group's end commits: hw__store_stmt refuses it. */
  return hw__store_savepoint_begin(st, &hw__sp_group);
}

int hw_store_group_end(hw_store *st, int rc) { return hw__store_savepoint_end(st, &hw__sp_group, rc); }

