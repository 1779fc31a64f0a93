/*
 * Read snapshots (hw_store.h): a read transaction on any handle, so that a
 * computation off the writer (a D2A offer, a plan's solve) reads one consistent
 * state of the database and knows which event it is as of.
 */
#include "store_internal.h"

static const char sql_begin_read[] = "BEGIN DEFERRED";
static const char sql_end_read[] = "COMMIT";

int64_t hw_store_snapshot_begin(hw_store *st) {
  if (st->in_batch || st->in_apply || !sqlite3_get_autocommit(st->db))
    return hw__store_failf(st, HW_EINVAL, "a snapshot cannot start inside a transaction");
  int rc = hw__store_exec(st, sql_begin_read);
  if (rc) return rc;
  /* In WAL mode the snapshot is taken by the first read: this one. */
  int64_t seq = hw_store_last_seq(st);
  if (seq < 0) hw_store_snapshot_end(st);
  return seq;
}

void hw_store_snapshot_end(hw_store *st) {
  if (!sqlite3_get_autocommit(st->db)) hw__store_exec(st, sql_end_read);
  /* Ending it failed (out of memory): roll it back, so the handle does not keep
   * an old snapshot (and the WAL it pins) for ever. */
  if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
