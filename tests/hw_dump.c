/*
 * The logical dump of tests/hw_dump.h: a raw SQLite connection that reads the
 * schema and every table in a fixed order into one text.
 */
#include "hw_dump.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dump_text {
  char *p;
  size_t n, cap;
  int oom;
} dump_text;

static void text_add(dump_text *t, const void *data, size_t len) {
  if (t->oom) return;
  if (t->n + len + 1 > t->cap) {
    size_t cap = (t->n + len + 1) * 2;
    char *grown = realloc(t->p, cap);
    if (!grown) {
      t->oom = 1;
      return;
    }
    t->p = grown;
    t->cap = cap;
  }
  memcpy(t->p + t->n, data, len);
  t->n += len;
  t->p[t->n] = 0;
}

/* Append every row of sql's answer: "|type:value" per column, a line per row. */
static int dump_rows(sqlite3 *db, const char *sql, dump_text *out) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      char head[32];
      snprintf(head, sizeof head, "|%d:", sqlite3_column_type(s, i));
      text_add(out, head, strlen(head));
      const void *v = sqlite3_column_blob(s, i);
      if (v) text_add(out, v, (size_t)sqlite3_column_bytes(s, i));
    }
    text_add(out, "\n", 1);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Every table's name, a header line, then its rows in rowid order. */
static int dump_tables(sqlite3 *db, dump_text *out) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name", -1, &s, NULL);
  if (rc != SQLITE_OK) return rc;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(s, 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT rowid, * FROM \"%s\" ORDER BY rowid", name);
    text_add(out, "table ", 6);
    text_add(out, name, strlen(name));
    text_add(out, "\n", 1);
    rc = dump_rows(db, sql, out);
  }
  sqlite3_finalize(s);
  return rc;
}

char *hw_dump_database(const char *path, char *err, size_t err_len) {
  sqlite3 *db = NULL;
  dump_text out = {0};
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  /* One read transaction, so the dump is one snapshot. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = dump_rows(db, "PRAGMA user_version", &out);
  if (rc == SQLITE_OK)
    rc = dump_rows(db, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY name", &out);
  if (rc == SQLITE_OK) rc = dump_tables(db, &out);
  if (rc != SQLITE_OK || out.oom) {
    snprintf(err, err_len, "cannot dump %s: %s", path, out.oom ? "out of memory" : sqlite3_errmsg(db));
    free(out.p);
    out.p = NULL;
  } else if (!out.p) {
    out.p = calloc(1, 1);
  }
  sqlite3_close(db);
  return out.p;
}

int hw_dump_integrity_ok(const char *path, char *why, size_t why_len) {
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  int ok = 0;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
  if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const char *answer = (const char *)sqlite3_column_text(s, 0);
    ok = answer && strcmp(answer, "ok") == 0;
    snprintf(why, why_len, "integrity_check: %s", answer ? answer : "(null)");
  } else {
    snprintf(why, why_len, "integrity_check could not run: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return ok;
}

/* Up to 60 characters either side of offset at, within its line, into out. */
static void context_at(const char *text, size_t at, char *out, size_t cap) {
  size_t start = at;
  while (start > 0 && at - start < 60 && text[start - 1] != '\n') start--;
  size_t len = strcspn(text + start, "\n");
  if (len > at - start + 60) len = at - start + 60;
  snprintf(out, cap, "%s%.*s", start > 0 && text[start - 1] != '\n' ? "..." : "", (int)len, text + start);
}

/* The "table NAME" header the offset at lies under, or "(schema)". */
static void table_at(const char *text, size_t at, char *out, size_t cap) {
  snprintf(out, cap, "(schema)");
  for (size_t k = at; k > 0; k--)
    if (text[k - 1] == '\n' && strncmp(text + k, "table ", 6) == 0 && k + 6 <= at) {
      snprintf(out, cap, "%.*s", (int)strcspn(text + k, "\n"), text + k);
      return;
    }
}

const char *hw_dump_difference(const char *a, const char *b, char *out, size_t len) {
  size_t i = 0;
  while (a[i] && a[i] == b[i]) i++;
  if (!a[i] && !b[i]) {
    snprintf(out, len, "no difference");
    return out;
  }
  char table[64], ca[160], cb[160];
  table_at(a, i, table, sizeof table);
  context_at(a, i, ca, sizeof ca);
  context_at(b, i, cb, sizeof cb);
  snprintf(out, len, "%s: expected \"%s\", found \"%s\"", table, a[i] ? ca : "(end)", b[i] ? cb : "(end)");
  return out;
}
