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

typedef struct hw__stmt_slot {
  const char *sql; /* a static SQL string: the cache is keyed by its address */
  sqlite3_stmt *stmt;
} hw__stmt_slot;

struct hw_store {
  sqlite3 *db;
  hw_store_options opt;
  int in_batch;       /* between batch_begin and batch_commit/rollback */
  int in_apply;       /* inside hw_store_apply's callback (no nesting) */
  char msg[320];      /* the last failure, as hw_store_errmsg reports it */
  int n_stmts, cap_stmts;
  hw__stmt_slot *stmts;
};

/* The cached prepared statement for sql (a string with static storage), reset and
 * with bindings cleared. Returns 0 or a mapped error with st->msg set. */
int hw__store_stmt(hw_store *st, const char *sql, sqlite3_stmt **out);
/* Step a statement that returns no rows, then reset it. Returns 0 or mapped error. */
int hw__store_step_done(hw_store *st, sqlite3_stmt *s);
/* Run one static SQL statement without parameters (BEGIN, COMMIT, ...). */
int hw__store_exec(hw_store *st, const char *sql);

/* Map a SQLite result code to an hw code and record SQLite's message in st->msg:
 * constraint (unique, primary key, foreign key) -> HW_ECONFLICT; constraint
 * (check, not null, trigger) -> HW_EINVAL; busy/locked -> HW_EBUSY; no memory ->
 * HW_ENOMEM; I/O, full, corrupt, read-only, cannot open -> HW_EIO; else HW_EINTERNAL. */
int hw__store_fail(hw_store *st, int sqlite_rc);
/* Record a message of our own (printf-style) and return code. */
int hw__store_failf(hw_store *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A savepoint around a multi-statement write, so that it is atomic whether or not a
 * transaction is open. sp_end releases it when rc == 0, else rolls it back; returns rc
 * (or the release's error). */
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
