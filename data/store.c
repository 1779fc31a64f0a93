/*
 * The store's handle: opening a database (pragmas, migrations), closing it, the
 * per-handle cache of prepared statements, and the one place where SQLite result
 * codes become hw error codes with a message a person can act on.
 *
 * Every statement the store runs is a static SQL string prepared once per handle and
 * reused (SQLITE_PREPARE_PERSISTENT); values are always bound, never pasted in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

void hw_store_options_init(hw_store_options *o) {
  memset(o, 0, sizeof *o);
  o->sync = HW_SYNC_FULL;
  o->busy_timeout_ms = 5000;
  o->read_only = 0;
}

int hw__store_failf(hw_store *st, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(st->msg, sizeof st->msg, fmt, ap);
  va_end(ap);
  return code;
}

static int map_sqlite_rc(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return HW_ECONFLICT;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_TRIGGER:
    case SQLITE_CONSTRAINT_DATATYPE:
      return HW_EINVAL;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return HW_ECONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return HW_EBUSY;
    case SQLITE_NOMEM: return HW_ENOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: return HW_EIO;
    case SQLITE_TOOBIG: return HW_ETOOLARGE;
    default: return HW_EINTERNAL;
  }
}

int hw__store_fail(hw_store *st, int sqlite_rc) {
  const char *m = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(sqlite_rc);
  return hw__store_failf(st, map_sqlite_rc(sqlite_rc), "%s", m);
}

const char *hw_store_errmsg(hw_store *st) {
  if (!st) return "no store";
  if (st->msg[0]) return st->msg;
  return st->db ? sqlite3_errmsg(st->db) : "not open";
}

int hw__store_stmt(hw_store *st, const char *sql, sqlite3_stmt **out) {
  *out = NULL;
  if (st->tx_levels > 0 && sqlite3_get_autocommit(st->db))
    return hw__store_failf(st, HW_EIO, "the transaction was rolled back by an earlier error; nothing in it was stored");
  for (int i = 0; i < st->n_stmts; i++) {
    if (st->stmts[i].sql == sql) {
      sqlite3_reset(st->stmts[i].stmt);
      sqlite3_clear_bindings(st->stmts[i].stmt);
      *out = st->stmts[i].stmt;
      return 0;
    }
  }
  if (st->n_stmts == st->cap_stmts) {
    int cap = st->cap_stmts ? st->cap_stmts * 2 : 64;
    hw__stmt_slot *grown = realloc(st->stmts, (size_t)cap * sizeof *grown);
    if (!grown) return hw__store_failf(st, HW_ENOMEM, "out of memory caching statements");
    st->stmts = grown;
    st->cap_stmts = cap;
  }
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
  if (rc != SQLITE_OK) return hw__store_fail(st, rc);
  st->stmts[st->n_stmts].sql = sql;
  st->stmts[st->n_stmts].stmt = s;
  st->n_stmts++;
  *out = s;
  return 0;
}

int hw__store_step_done(hw_store *st, sqlite3_stmt *s) {
  int rc = sqlite3_step(s);
  int err = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return err;
}

int hw__store_exec(hw_store *st, const char *sql) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  return rc ? rc : hw__store_step_done(st, s);
}

const char hw__sql_begin[] = "BEGIN IMMEDIATE";
const char hw__sql_commit[] = "COMMIT";
const char hw__sql_rollback[] = "ROLLBACK";

void hw__store_rollback(hw_store *st) {
  if (sqlite3_get_autocommit(st->db)) return;
  char keep[sizeof st->msg];
  memcpy(keep, st->msg, sizeof keep);
  hw__store_exec(st, hw__sql_rollback);
  memcpy(st->msg, keep, sizeof keep);
}

const hw__savepoint hw__sp_record = {"SAVEPOINT hw_rec", "RELEASE hw_rec", "ROLLBACK TO hw_rec"};
const hw__savepoint hw__sp_change = {"SAVEPOINT hw_apply", "RELEASE hw_apply", "ROLLBACK TO hw_apply"};
const hw__savepoint hw__sp_group = {"SAVEPOINT hw_group", "RELEASE hw_group", "ROLLBACK TO hw_group"};

int hw__store_savepoint_begin(hw_store *st, const hw__savepoint *sp) {
  int rc = hw__store_exec(st, sp->begin);
  if (rc == 0) st->tx_levels++;
  return rc;
}

int hw__store_savepoint_end(hw_store *st, const hw__savepoint *sp, int rc) {
  st->tx_levels--;
  if (rc == 0) {
    int rel = hw__store_exec(st, sp->release);
    if (rel == 0) return 0;
    rc = rel;
  }
  /* Keep the first error's message: the rollback is cleanup, not the news. After
   * an I/O error SQLite may have rolled the whole transaction back already. */
  char keep[sizeof st->msg];
  memcpy(keep, st->msg, sizeof keep);
  if (!sqlite3_get_autocommit(st->db) &&
      (hw__store_exec(st, sp->rollback) != 0 || hw__store_exec(st, sp->release) != 0))
    hw__store_exec(st, hw__sql_rollback);
  memcpy(st->msg, keep, sizeof keep);
  return rc;
}

/* Prepare (and cache) every statement that ends a transaction; see hw__sql_begin. */
static int prepare_transaction_statements(hw_store *st) {
  const char *const sql[] = {hw__sql_begin,           hw__sql_commit,          hw__sql_rollback,
                             hw__sp_record.begin,     hw__sp_record.release,   hw__sp_record.rollback,
                             hw__sp_change.begin,     hw__sp_change.release,   hw__sp_change.rollback,
                             hw__sp_group.begin,      hw__sp_group.release,    hw__sp_group.rollback};
  sqlite3_stmt *s;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++) rc = hw__store_stmt(st, sql[i], &s);
  return rc;
}

int hw__store_sp_begin(hw_store *st) { return hw__store_savepoint_begin(st, &hw__sp_record); }

int hw__store_sp_end(hw_store *st, int rc) { return hw__store_savepoint_end(st, &hw__sp_record, rc); }

int hw__bind_id(sqlite3_stmt *s, int i, hw_id id) {
  return id > 0 ? sqlite3_bind_int64(s, i, id) : sqlite3_bind_null(s, i);
}

int hw__bind_time_opt(sqlite3_stmt *s, int i, hw_time t) {
  return t == HW_TIME_NONE ? sqlite3_bind_null(s, i) : sqlite3_bind_int64(s, i, t);
}

int hw__bind_date_opt(sqlite3_stmt *s, int i, hw_date d) {
  return d == HW_DATE_NONE ? sqlite3_bind_null(s, i) : sqlite3_bind_int(s, i, d);
}

int hw__bind_text_field(hw_store *st, sqlite3_stmt *s, int i, const char *text, size_t cap,
                        const char *field) {
  size_t len = strnlen(text, cap);
  if (len == cap) return hw__store_failf(st, HW_EINVAL, "%s: longer than %zu characters", field, cap - 1);
  int rc = sqlite3_bind_text(s, i, text, (int)len, SQLITE_TRANSIENT);
  return rc == SQLITE_OK ? 0 : hw__store_fail(st, rc);
}

hw_id hw__col_id(sqlite3_stmt *s, int i) {
  return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, i);
}

hw_time hw__col_time_opt(sqlite3_stmt *s, int i) {
  return sqlite3_column_type(s, i) == SQLITE_NULL ? HW_TIME_NONE : sqlite3_column_int64(s, i);
}

hw_date hw__col_date_opt(sqlite3_stmt *s, int i) {
  return sqlite3_column_type(s, i) == SQLITE_NULL ? HW_DATE_NONE : sqlite3_column_int(s, i);
}

void hw__col_text(sqlite3_stmt *s, int i, char *buf, size_t cap) {
  const unsigned char *t = sqlite3_column_text(s, i);
  snprintf(buf, cap, "%s", t ? (const char *)t : "");
}

static const char sql_user_version[] = "PRAGMA user_version";

int hw__store_user_version(hw_store *st) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_user_version, &s);
  if (rc) return rc;
  rc = sqlite3_step(s);
  int v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return v;
}

int hw_store_schema_version(hw_store *st) { return hw__store_user_version(st); }

/* Pragmas that hold per connection. journal_mode=WAL persists in the file but must
 * be set outside a transaction, so it comes before the migrations. */
static int apply_pragmas(hw_store *st) {
  static const char *const sync_sql[] = {"PRAGMA synchronous=FULL", "PRAGMA synchronous=NORMAL",
                                         "PRAGMA synchronous=OFF"};
  int sync = (int)st->opt.sync;
  if (sync < 0 || sync > 2) return hw__store_failf(st, HW_EINVAL, "options.sync: unknown mode %d", sync);
  int rc = sqlite3_busy_timeout(st->db, st->opt.busy_timeout_ms);
  if (rc != SQLITE_OK) return hw__store_fail(st, rc);
  if ((rc = hw__store_exec(st, "PRAGMA foreign_keys=ON"))) return rc;
  /* The journal of a savepoint (every change is one, in a batch) in memory:
   * on disk it is a write per page touched, hundreds of thousands for a plan. */
  if ((rc = hw__store_exec(st, "PRAGMA temp_store=MEMORY"))) return rc;
  if (!st->opt.read_only) {
    sqlite3_stmt *s;
    if ((rc = hw__store_stmt(st, "PRAGMA journal_mode=WAL", &s))) return rc;
    rc = sqlite3_step(s);
    const unsigned char *mode = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
    int is_wal = mode && strcmp((const char *)mode, "wal") == 0;
    sqlite3_reset(s);
    if (!is_wal) return hw__store_failf(st, HW_EIO, "could not switch the database to WAL mode");
  }
  return hw__store_exec(st, sync_sql[sync]);
}

static void copy_msg(char *msg, size_t msg_len, const char *text) {
  if (msg && msg_len) snprintf(msg, msg_len, "%s", text);
}

int hw_store_open(const char *path, const hw_store_options *o, hw_store **out, char *msg,
                  size_t msg_len) {
  *out = NULL;
  copy_msg(msg, msg_len, "");
  if (!path || !path[0]) {
    copy_msg(msg, msg_len, "path: empty");
    return HW_EINVAL;
  }
  hw_store *st = calloc(1, sizeof *st);
  if (!st) {
    copy_msg(msg, msg_len, "out of memory");
    return HW_ENOMEM;
  }
  if (o) st->opt = *o;
  else hw_store_options_init(&st->opt);
  if (st->opt.busy_timeout_ms < 0) st->opt.busy_timeout_ms = 0;
  int flags = st->opt.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    rc = hw__store_failf(st, HW_EIO, "cannot open %s: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
  } else {
    sqlite3_extended_result_codes(st->db, 1);
    rc = apply_pragmas(st);
    if (rc == 0) rc = hw__store_migrate(st, st->msg, sizeof st->msg);
    if (rc == 0) rc = prepare_transaction_statements(st);
  }
  if (rc) {
    if (msg && msg_len) snprintf(msg, msg_len, "%s: %s", path, st->msg);
    hw_store_close(st);
    return rc;
  }
  st->msg[0] = 0;
  *out = st;
  return 0;
}

int hw_store_checkpoint(hw_store *st) {
  int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return rc == SQLITE_OK ? 0 : hw__store_fail(st, rc);
}

void hw_store_close(hw_store *st) {
  if (!st) return;
  for (int i = 0; i < st->n_stmts; i++) sqlite3_finalize(st->stmts[i].stmt);
  free(st->stmts);
  if (st->db) {
    /* An open batch that was never committed is rolled back by the close. The last
     * connection's close checkpoints the WAL and removes it. */
    if (!st->opt.read_only && sqlite3_get_autocommit(st->db))
      sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_close_v2(st->db);
  }
  free(st);
}
