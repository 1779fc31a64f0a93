/*
 * Drafts, published rosters, change notes and calendar secrets (hw_store_roster.h).
 * Each list query reads rows through one small loop (read_rows) that grows the
 * caller's array, so every reader here is a row decoder and a statement.
 */
#include "hw_store_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

const char *hw_draft_status_name(hw_draft_status s) {
  static const char *const names[] = {"draft", "published", "discarded"};
  return (unsigned)s < 3 ? names[s] : "unknown";
}

const char *hw_note_kind_name(hw_note_kind k) {
  static const char *const names[] = {"added", "removed", "moved"};
  return (unsigned)k < 3 ? names[k] : "unknown";
}

typedef int (*row_fn)(hw_store *st, sqlite3_stmt *s, void *item);

/* Step s (bound by the caller) to the end, decoding each row with read into a
 * growing array of size-byte items. Resets s. */
static int read_rows(hw_store *st, sqlite3_stmt *s, row_fn read, size_t size, void **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  int32_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      void *g = realloc(*out, (size_t)cap * size);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      *out = g;
    }
    memset((char *)*out + (size_t)*n * size, 0, size);
    read(st, s, (char *)*out + (size_t)(*n)++ * size);
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

/* ---- Drafts ----------------------------------------------------------------------- */

static const char sql_draft_insert[] =
    "INSERT INTO plan_drafts(locality_id, date, status, created_at, created_by, decided_at, decided_by, visits,"
    " assigned, travel_seconds) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
#define DRAFT_COLUMNS \
  "SELECT id, locality_id, date, status, created_at, created_by, decided_at, decided_by, visits, assigned," \
  " travel_seconds FROM plan_drafts"
static const char sql_draft_get[] = DRAFT_COLUMNS " WHERE id = ?1";
static const char sql_draft_list[] = DRAFT_COLUMNS
    " WHERE (?1 = 0 OR locality_id = ?1) AND (?2 IS NULL OR date = ?2) AND (?3 < 0 OR status = ?3)"
    " ORDER BY id DESC";
static const char sql_draft_decide[] =
    "UPDATE plan_drafts SET status = ?2, decided_at = ?3, decided_by = ?4 WHERE id = ?1";

int hw_store_insert_draft(hw_store *st, hw_draft *d) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_draft_insert, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, d->locality_id);
  sqlite3_bind_int(s, 2, d->date);
  sqlite3_bind_int(s, 3, (int)d->status);
  sqlite3_bind_int64(s, 4, d->created_at);
  sqlite3_bind_text(s, 5, d->created_by, -1, SQLITE_STATIC);
  hw__bind_time_opt(s, 6, d->decided_at);
  sqlite3_bind_text(s, 7, d->decided_by, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 8, d->visits);
  sqlite3_bind_int(s, 9, d->assigned);
  sqlite3_bind_int64(s, 10, d->travel_seconds);
  rc = hw__store_step_done(st, s);
  if (rc == 0) d->id = sqlite3_last_insert_rowid(st->db);
  return rc;
}

static int read_draft(hw_store *st, sqlite3_stmt *s, void *item) {
  (void)st;
  hw_draft *d = item;
  d->id = sqlite3_column_int64(s, 0);
  d->locality_id = sqlite3_column_int64(s, 1);
  d->date = sqlite3_column_int(s, 2);
  d->status = (hw_draft_status)sqlite3_column_int(s, 3);
  d->created_at = sqlite3_column_int64(s, 4);
  hw__col_text(s, 5, d->created_by, sizeof d->created_by);
  d->decided_at = hw__col_time_opt(s, 6);
  hw__col_text(s, 7, d->decided_by, sizeof d->decided_by);
  d->visits = sqlite3_column_int(s, 8);
  d->assigned = sqlite3_column_int(s, 9);
  d->travel_seconds = sqlite3_column_int64(s, 10);
  return 0;
}

int hw_store_get_draft(hw_store *st, hw_id id, hw_draft *out) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_draft_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  hw_draft *d = NULL;
  int32_t n = 0;
  rc = read_rows(st, s, read_draft, sizeof *d, (void **)&d, &n);
  if (rc == 0 && n == 0) rc = HW_ENOTFOUND;
  if (rc == 0) *out = d[0];
  free(d);
  return rc;
}

int hw_store_decide_draft(hw_store *st, hw_id id, hw_draft_status status, hw_time at, const char *by) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_draft_decide, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_int(s, 2, (int)status);
  sqlite3_bind_int64(s, 3, at);
  sqlite3_bind_text(s, 4, by, -1, SQLITE_STATIC);
  rc = hw__store_step_done(st, s);
  if (rc == 0 && sqlite3_changes(st->db) == 0) rc = hw__store_failf(st, HW_ENOTFOUND, "no draft %lld", (long long)id);
  return rc;
}

int hw_store_list_drafts(hw_store *st, hw_id locality_id, hw_date date, int status, hw_draft **out, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_draft_list, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, locality_id);
  hw__bind_date_opt(s, 2, date);
  sqlite3_bind_int(s, 3, status);
  return read_rows(st, s, read_draft, sizeof **out, (void **)out, n);
}

static const char sql_dvisit_insert[] =
    "INSERT INTO draft_visits(draft_id, visit_id, status, worker1_id, worker2_id, planned_start, unplaced_reason,"
    " base_status, base_worker1_id, base_worker2_id, base_planned_start, base_pinned)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
static const char sql_dvisit_get[] =
    "SELECT visit_id, status, worker1_id, worker2_id, planned_start, unplaced_reason, base_status, base_worker1_id,"
    " base_worker2_id, base_planned_start, base_pinned FROM draft_visits WHERE draft_id = ?1 ORDER BY visit_id";

int hw_store_put_draft_visits(hw_store *st, hw_id draft_id, const hw_draft_visit *v, int32_t n) {
  int rc = hw__store_sp_begin(st);
  if (rc) return rc; /* no savepoint to end */
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    sqlite3_stmt *s;
    if ((rc = hw__store_stmt(st, sql_dvisit_insert, &s))) break;
    sqlite3_bind_int64(s, 1, draft_id);
    sqlite3_bind_int64(s, 2, v[i].visit_id);
    sqlite3_bind_int(s, 3, (int)v[i].status);
    hw__bind_id(s, 4, v[i].worker_ids[0]);
    hw__bind_id(s, 5, v[i].worker_ids[1]);
    hw__bind_time_opt(s, 6, v[i].planned_start);
    sqlite3_bind_text(s, 7, v[i].unplaced_reason, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, (int)v[i].base_status);
    hw__bind_id(s, 9, v[i].base_workers[0]);
    hw__bind_id(s, 10, v[i].base_workers[1]);
    hw__bind_time_opt(s, 11, v[i].base_start);
    sqlite3_bind_int(s, 12, v[i].base_pinned ? 1 : 0);
    rc = hw__store_step_done(st, s);
  }
  return hw__store_sp_end(st, rc);
}

static int read_dvisit(hw_store *st, sqlite3_stmt *s, void *item) {
  (void)st;
  hw_draft_visit *v = item;
  v->visit_id = sqlite3_column_int64(s, 0);
  v->status = (hw_visit_status)sqlite3_column_int(s, 1);
  v->worker_ids[0] = hw__col_id(s, 2);
  v->worker_ids[1] = hw__col_id(s, 3);
  v->planned_start = hw__col_time_opt(s, 4);
  hw__col_text(s, 5, v->unplaced_reason, sizeof v->unplaced_reason);
  v->base_status = (hw_visit_status)sqlite3_column_int(s, 6);
  v->base_workers[0] = hw__col_id(s, 7);
  v->base_workers[1] = hw__col_id(s, 8);
  v->base_start = hw__col_time_opt(s, 9);
  v->base_pinned = sqlite3_column_int(s, 10);
  return 0;
}

int hw_store_get_draft_visits(hw_store *st, hw_id draft_id, hw_draft_visit **out, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_dvisit_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, draft_id);
  return read_rows(st, s, read_dvisit, sizeof **out, (void **)out, n);
}

static const char sql_droster_insert[] =
    "INSERT INTO draft_rosters(draft_id, worker_id, seq, visit_id, planned_start, travel_seconds)"
    " VALUES(?1,?2,?3,?4,?5,?6)";
static const char sql_droster_get[] =
    "SELECT d.worker_id, p.date, d.seq, d.visit_id, d.planned_start, d.travel_seconds FROM draft_rosters d"
    " JOIN plan_drafts p ON p.id = d.draft_id WHERE d.draft_id = ?1 ORDER BY d.worker_id, d.seq";

int hw_store_put_draft_roster(hw_store *st, hw_id draft_id, const hw_roster_entry *e, int32_t n) {
  int rc = hw__store_sp_begin(st);
  if (rc) return rc; /* no savepoint to end */
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    sqlite3_stmt *s;
    if ((rc = hw__store_stmt(st, sql_droster_insert, &s))) break;
    sqlite3_bind_int64(s, 1, draft_id);
    sqlite3_bind_int64(s, 2, e[i].worker_id);
    sqlite3_bind_int(s, 3, e[i].seq);
    sqlite3_bind_int64(s, 4, e[i].visit_id);
    sqlite3_bind_int64(s, 5, e[i].planned_start);
    sqlite3_bind_int(s, 6, e[i].travel_seconds);
    rc = hw__store_step_done(st, s);
  }
  return hw__store_sp_end(st, rc);
}

int hw_store_get_draft_roster(hw_store *st, hw_id draft_id, hw_roster_entry **out, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_droster_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, draft_id);
  return read_rows(st, s, hw__store_read_roster_entry, sizeof **out, (void **)out, n);
}

/* ---- Published rosters and notes ----------------------------------------------------- */

static const char sql_pub_get[] =
    "SELECT worker_id, date, seq, visit_id, planned_start, 0 FROM published_rosters"
    " WHERE worker_id = ?1 AND date = ?2 ORDER BY seq";
static const char sql_pub_delete[] = "DELETE FROM published_rosters WHERE worker_id = ?1 AND date = ?2";
static const char sql_pub_workers[] =
    "SELECT DISTINCT worker_id FROM published_rosters WHERE date = ?1 ORDER BY worker_id";
static const char sql_pub_insert[] =
    "INSERT INTO published_rosters(worker_id, date, seq, visit_id, planned_start) VALUES(?1,?2,?3,?4,?5)";

int hw_store_get_published_roster(hw_store *st, hw_id worker_id, hw_date date, hw_roster_entry **out, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_pub_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, worker_id);
  sqlite3_bind_int(s, 2, date);
  return read_rows(st, s, hw__store_read_roster_entry, sizeof **out, (void **)out, n);
}

static int read_worker_id(hw_store *st, sqlite3_stmt *s, void *item) {
  (void)st;
  *(hw_id *)item = sqlite3_column_int64(s, 0);
  return 0;
}

int hw_store_published_workers(hw_store *st, hw_date date, hw_id **out, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_pub_workers, &s);
  if (rc) return rc;
  sqlite3_bind_int(s, 1, date);
  return read_rows(st, s, read_worker_id, sizeof **out, (void **)out, n);
}

int hw_store_put_published_roster(hw_store *st, hw_id worker_id, hw_date date, const hw_roster_entry *e,
                                  int32_t n) {
  int rc = hw__store_sp_begin(st);
  if (rc) return rc; /* no savepoint to end */
  sqlite3_stmt *s;
  if ((rc = hw__store_stmt(st, sql_pub_delete, &s)) == 0) {
    sqlite3_bind_int64(s, 1, worker_id);
    sqlite3_bind_int(s, 2, date);
    rc = hw__store_step_done(st, s);
  }
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    if ((rc = hw__store_stmt(st, sql_pub_insert, &s))) break;
    sqlite3_bind_int64(s, 1, worker_id);
    sqlite3_bind_int(s, 2, date);
    sqlite3_bind_int(s, 3, i);
    sqlite3_bind_int64(s, 4, e[i].visit_id);
    sqlite3_bind_int64(s, 5, e[i].planned_start);
    rc = hw__store_step_done(st, s);
  }
  return hw__store_sp_end(st, rc);
}

static const char sql_note_insert[] =
    "INSERT INTO roster_notes(worker_id, date, published_at, kind, visit_id, old_start, new_start)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7)";
static const char sql_note_list[] =
    "SELECT id, worker_id, date, published_at, kind, visit_id, old_start, new_start FROM roster_notes"
    " WHERE worker_id = ?1 AND id > ?2 ORDER BY id DESC LIMIT ?3";

int hw_store_insert_roster_note(hw_store *st, hw_roster_note *note) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_note_insert, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, note->worker_id);
  sqlite3_bind_int(s, 2, note->date);
  sqlite3_bind_int64(s, 3, note->published_at);
  sqlite3_bind_int(s, 4, (int)note->kind);
  sqlite3_bind_int64(s, 5, note->visit_id);
  hw__bind_time_opt(s, 6, note->old_start);
  hw__bind_time_opt(s, 7, note->new_start);
  rc = hw__store_step_done(st, s);
  if (rc == 0) note->id = sqlite3_last_insert_rowid(st->db);
  return rc;
}

static int read_note(hw_store *st, sqlite3_stmt *s, void *item) {
  (void)st;
  hw_roster_note *n = item;
  n->id = sqlite3_column_int64(s, 0);
  n->worker_id = sqlite3_column_int64(s, 1);
  n->date = sqlite3_column_int(s, 2);
  n->published_at = sqlite3_column_int64(s, 3);
  n->kind = (hw_note_kind)sqlite3_column_int(s, 4);
  n->visit_id = sqlite3_column_int64(s, 5);
  n->old_start = hw__col_time_opt(s, 6);
  n->new_start = hw__col_time_opt(s, 7);
  return 0;
}

int hw_store_list_roster_notes(hw_store *st, hw_id worker_id, hw_id after, int32_t max, hw_roster_note **out,
                               int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_note_list, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, worker_id);
  sqlite3_bind_int64(s, 2, after);
  sqlite3_bind_int(s, 3, max);
  return read_rows(st, s, read_note, sizeof **out, (void **)out, n);
}

/* ---- Calendar secrets ---------------------------------------------------------------- */

static const char sql_secret_put[] =
    "INSERT INTO calendar_secrets(worker_id, secret_hash, created_at) VALUES(?1,?2,?3)"
    " ON CONFLICT(worker_id) DO UPDATE SET secret_hash = excluded.secret_hash, created_at = excluded.created_at";
static const char sql_secret_find[] = "SELECT worker_id FROM calendar_secrets WHERE secret_hash = ?1";

int hw_store_set_calendar_secret(hw_store *st, hw_id worker_id, const char *hash_hex, hw_time now) {
  if (!hash_hex || !hash_hex[0]) return hw__store_failf(st, HW_EINVAL, "hash: missing");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_secret_put, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, worker_id);
  sqlite3_bind_text(s, 2, hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, now);
  return hw__store_step_done(st, s);
}



static int read_id(hw_store *st, sqlite3_stmt *s, void *item) {
  (void)st;
  *(hw_id *)item = sqlite3_column_int64(s, 0);
  return 0;
}

int hw_store_find_calendar_secret(hw_store *st, const char *hash_hex, hw_id *worker_id) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_secret_find, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, hash_hex, -1, SQLITE_STATIC);
  hw_id *ids = NULL;
  int32_t n = 0;
  rc = read_rows(st, s, read_id, sizeof *ids, (void **)&ids, &n);
  if (rc == 0 && n == 0) rc = HW_ENOTFOUND;
  if (rc == 0) *worker_id = ids[0];
  free(ids);
  return rc;
}
