/*
 * What the store's source files (data/store*.c) share and nobody else sees: the
 * handle's layout, the prepared-statement cache, SQLite-to-hw error mapping,
 * savepoint helpers, and small bind/column helpers for the conventions of the
 * schema (id 0, HW_TIME_NONE and HW_DATE_NONE are stored as NULL).
 *
 * Internal names carry a second underscore (hw__store_...), after the habit of libuv.
 */
#ifndef HW_STORE_INTERNAL_H
#define HW_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "hw_error.h"
#include "hw_store.h"

/* The fault build (cmake -DHW_FAULT=ON, data/fault/) starts an armed
 * "after_change" countdown when the store begins a change; elsewhere a no-op. */
#ifdef HW_FAULT
#include "hw_fault.h"
#define HW__FAULT_CHANGE_BEGINS() hw__fault_change_begins()
#else
#define HW__FAULT_CHANGE_BEGINS() ((void)0)
#endif

typedef struct hw__stmt_slot {
  const char *sql; /* a static SQL string: the cache is keyed by its address */
  sqlite3_stmt *stmt;
} hw__stmt_slot;

struct hw_store {
  sqlite3 *db;
  hw_store_options opt;
  int in_batch;       /* between batch_begin and batch_commit/rollback */
  int in_apply;       /* inside hw_store_apply's callback (no nesting) */
  int tx_levels;      /* transactions and savepoints the store has opened and not yet
                         ended (batch, change, group, record): while non-zero SQLite
                         must be inside a transaction (see hw__store_stmt) */
  char msg[320];      /* the last failure, as hw_store_errmsg reports it */
  int n_stmts, cap_stmts;
  hw__stmt_slot *stmts;
};

/* The cached prepared statement for sql (a string with static storage), reset and
 * with bindings cleared. Returns 0 or a mapped error with st->msg set.
 * Refuses (HW_EIO) while the store has a transaction open that SQLite has rolled
 * back on its own after an I/O error, a full disk or no memory: a statement run
 * then would commit by itself, outside the change it belongs to. */
int hw__store_stmt(hw_store *st, const char *sql, sqlite3_stmt **out);
/* Step a statement that returns no rows, then reset it. Returns 0 or mapped error. */
int hw__store_step_done(hw_store *st, sqlite3_stmt *s);
/* Run one static SQL statement without parameters (BEGIN, COMMIT, ...). */
int hw__store_exec(hw_store *st, const char *sql);
/* Roll the open transaction back, if there is one, keeping st->msg (the error
 * that caused it is the news, not the rollback). */
void hw__store_rollback(hw_store *st);

/* Map a SQLite result code to an hw code and record SQLite's message in st->msg:
 * constraint (unique, primary key, foreign key) -> HW_ECONFLICT; constraint
 * (check, not null, trigger) -> HW_EINVAL; busy/locked -> HW_EBUSY; no memory ->
 * HW_ENOMEM; I/O, full, corrupt, read-only, cannot open -> HW_EIO; else HW_EINTERNAL. */
int hw__store_fail(hw_store *st, int sqlite_rc);
/* Record a message of our own (printf-style) and return code. */
int hw__store_failf(hw_store *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The statements that begin and end the store's transactions. They are prepared
 * when the store opens, so that ending a transaction never needs memory: a change
 * that ran out of memory can still be rolled back. */
extern const char hw__sql_begin[], hw__sql_commit[], hw__sql_rollback[];

/* The store's savepoints: a record with child rows (hw_rec), one change inside a
 * batch (hw_apply), a change group (hw_group). */
typedef struct hw__savepoint {
  const char *begin, *release, *rollback;
} hw__savepoint;
extern const hw__savepoint hw__sp_record, hw__sp_change, hw__sp_group;

/* Open savepoint sp (counted in tx_levels). Returns 0 or a mapped error. */
int hw__store_savepoint_begin(hw_store *st, const hw__savepoint *sp);
/* End savepoint sp: release it when rc == 0, else roll back to it and release it.
 * If SQLite cannot undo just the savepoint (it needs memory for that), the whole
 * transaction is rolled back instead: losing an open batch is safe, keeping half a
 * change is not. Returns rc, or the release's error. */
int hw__store_savepoint_end(hw_store *st, const hw__savepoint *sp, int rc);

/* A savepoint around a multi-statement write, so that it is atomic whether or not a
 * transaction is open (hw__sp_record). */
int hw__store_sp_begin(hw_store *st);
int hw__store_sp_end(hw_store *st, int rc);

/* Bind helpers: 0 / HW_TIME_NONE / HW_DATE_NONE become NULL. */
int hw__bind_id(sqlite3_stmt *s, int i, hw_id id);
int hw__bind_time_opt(sqlite3_stmt *s, int i, hw_time t);
int hw__bind_date_opt(sqlite3_stmt *s, int i, hw_date d);
/* Bind a fixed-size char array; HW_EINVAL naming field when it is not terminated
 * within cap (so a record read back always fits). */
int hw__bind_text_field(hw_store *st, sqlite3_stmt *s, int i, const char *text, size_t cap,
                        const char *field);
/* Column helpers: NULL becomes 0 / HW_TIME_NONE / HW_DATE_NONE / "". */
hw_id hw__col_id(sqlite3_stmt *s, int i);
hw_time hw__col_time_opt(sqlite3_stmt *s, int i);
hw_date hw__col_date_opt(sqlite3_stmt *s, int i);
void hw__col_text(sqlite3_stmt *s, int i, char *buf, size_t cap);

/* A row reader of list queries: the roster entry of columns worker_id, date, seq,
 * visit_id, planned_start, travel_seconds into *p (an hw_roster_entry). Returns 0. */
int hw__store_read_roster_entry(hw_store *st, sqlite3_stmt *s, void *p);

/* Apply the pending migrations (store_schema.c). Returns 0, or HW_EINVAL when the
 * database is newer than this program, or a mapped SQLite error; reason in msg. */
int hw__store_migrate(hw_store *st, char *msg, size_t msg_len);
/* Read PRAGMA user_version; negative on error. */
int hw__store_user_version(hw_store *st);

/* Append one event row (store_events.c). key NULL or "" = no idempotency key;
 * result may be NULL. Validates lengths against hw_event's fields (HW_EINVAL). */
int hw__store_insert_event(hw_store *st, const char *type, const char *payload, const char *actor,
                           const char *key, hw_time received_at, hw_id locality_id, const char *result,
                           int64_t *seq);

/* Insert a record keeping its id when id > 0 (store_records.c; the partnership
 * loader keeps the generator's ids so cross references stay valid). */
int hw__store_insert_locality(hw_store *st, hw_locality *v, int keep_id);
int hw__store_insert_team(hw_store *st, hw_team *v, int keep_id);
int hw__store_insert_worker(hw_store *st, hw_worker *v, int keep_id);
int hw__store_insert_absence(hw_store *st, hw_absence *v, int keep_id);
int hw__store_insert_client(hw_store *st, hw_client *v, int keep_id);
int hw__store_insert_referral(hw_store *st, hw_referral *v, int keep_id);
int hw__store_insert_discharge(hw_store *st, hw_discharge *v, int keep_id);

#endif
