/*
 * CSV import of care workers or clients, all or nothing.
 *
 * A coordinator's spreadsheet becomes rows in the store: the file is parsed with
 * libcsv (RFC 4180 quoting), every row is checked, and every problem is reported
 * as "row R, column NAME: reason" (rows numbered as a spreadsheet shows them, the
 * header being row 1). If there is any problem nothing is stored; otherwise every
 * row is inserted in one store transaction, one "worker.created" or
 * "client.created" event per row. Importing the same bytes again is a no-op: each
 * row's event carries an idempotency key made from a hash of the file and the row.
 *
 * The header row is required and names the columns (any order); the kind is told
 * by the header (a "team" column means workers, a "locality" column clients) or
 * given by the caller. docs/generator.md lists every column and its format.
 */
#ifndef HW_CSV_H
#define HW_CSV_H

#include <stddef.h>

#include "hw_codec.h"
#include "hw_store.h"

typedef enum hw_csv_kind { HW_CSV_AUTO = 0, HW_CSV_WORKERS, HW_CSV_CLIENTS, HW_CSV_REFERRALS } hw_csv_kind;

typedef struct hw_csv_report {
  hw_csv_kind kind;    /* the kind imported (as detected or given) */
  int32_t rows;        /* data rows in the file */
  int32_t inserted;    /* rows stored now (0 on any error) */
  int32_t replayed;    /* rows already imported from the same bytes */
  hw_errors errors;    /* every problem: path "row R, column NAME" (or "header", "file") */
} hw_csv_report;

/* "workers" / "clients" / "referrals" both ways; parse returns 0 or HW_EINVAL. */
const char *hw_csv_kind_name(hw_csv_kind k);
int hw_csv_kind_parse(const char *s, hw_csv_kind *out);

/* Import the CSV text[0..len) of the given kind (HW_CSV_AUTO: from the header)
 * into st, events sent by `actor` at `now`. Teams and localities named in the file
 * must already be in the store (by id or by exact name), as must workers listed as
 * preferred or excluded. Returns 0 with rep->inserted + rep->replayed == rep->rows,
 * or HW_EINVAL with every problem in rep->errors and the store unchanged, or
 * HW_ENOMEM / HW_EIO (store failure, reason in rep->errors) with the store
 * unchanged. */
int hw_csv_import(hw_store *st, const char *text, size_t len, hw_csv_kind kind, const char *actor,
                  hw_time now, hw_csv_report *rep);

/* Parse a CSV of referrals (a "referral" column names each; one row per visit of
 * its care plan: client_id, source, start_date, end_date, days, window_start,
 * window_end, duration, skills, workers, medication, prescribed - docs/api.md)
 * into *out (malloc'd, *n referrals, status waiting: the service allocates them)
 * and the file row where each begins into *first_row (malloc'd). Nothing is
 * stored here. Returns 0, or HW_EINVAL with every problem in rep->errors ("row R,
 * column NAME"), or HW_ENOMEM. */
int hw_csv_parse_referrals(const char *text, size_t len, hw_referral **out, int32_t **first_row, int32_t *n,
                           hw_csv_report *rep);
/* The service names a refused referral "/rows/I/FIELD" (I its index); rename each
 * such error as the file's own are, "row R, column FIELD", R its first row. */
void hw_csv_name_referral_errors(hw_errors *errs, const int32_t *first_row, int32_t n);

/* hw_csv_import of the file at path; HW_EIO with a "file" error if it cannot be
 * read. */
int hw_csv_import_file(hw_store *st, const char *path, hw_csv_kind kind, const char *actor, hw_time now,
                       hw_csv_report *rep);

#endif
