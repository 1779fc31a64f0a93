/*
 * A logical dump of a SQLite database file, for tests that must show a database
 * is exactly as it was (or exactly as a reference run left it): PRAGMA
 * user_version, every row of sqlite_master, then every table's rows in rowid
 * order - the event log included - each value with its storage class. Two
 * databases with equal dumps hold the same schema and the same data, whatever
 * their pages look like.
 *
 * The dump reads on a connection of its own, read-only, so it sees what is
 * committed and nothing else. Nothing here calls hw_test_fail: a database that
 * cannot be dumped is a finding the caller reports with its own context.
 */
#ifndef HW_DUMP_H
#define HW_DUMP_H

#include <stddef.h>

/* The dump of the database at path as malloc'd text, or NULL with the reason in
 * err (the file cannot be opened, or a query fails: a corrupt database). */
char *hw_dump_database(const char *path, char *err, size_t err_len);

/* Run PRAGMA integrity_check on path. Returns 1 when it answers "ok", 0 with its
 * first complaint (or why it could not run) in why. */
int hw_dump_integrity_ok(const char *path, char *why, size_t why_len);

/* Describe where two dumps first differ ("table visits: <line of a> | <line of
 * b>") into out, for a failure message. Returns out. */
const char *hw_dump_difference(const char *a, const char *b, char *out, size_t len);

#endif
