/*
 * Fuzz target for CSV import (data/hw_csv.h): arbitrary bytes as a workers or
 * clients file against a store holding a small generated partnership. Besides not
 * crashing, import must be all or nothing: when it reports an error the event log
 * has not grown, and when it succeeds every row was stored or replayed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_csv.h"
#include "hw_generate.h"

static hw_store *store;
static char dir[64], db[96];

static void cleanup(void) {
  hw_store_close(store);
  char path[128];
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
    unlink(path);
  }
  rmdir(dir);
}

static void open_store(void) {
  snprintf(dir, sizeof dir, "/tmp/hw_fuzz_csv_XXXXXX");
  if (!mkdtemp(dir)) abort();
  snprintf(db, sizeof db, "%s/fuzz.db", dir);
  hw_store_options so;
  hw_store_options_init(&so);
  so.sync = HW_SYNC_OFF;
  char msg[256];
  if (hw_store_open(db, &so, &store, msg, sizeof msg) != 0) abort();
  hw_generate_options o;
  hw_generate_options_init(&o);
  o.scale = HW_SCALE_SMALL;
  o.d2a_weeks = 0;
  hw_partnership p;
  if (hw_generate(&o, &p) != 0 || hw_store_save_partnership(store, &p, "fuzz", 0) != 0) abort();
  hw_partnership_free(&p);
  atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!store) open_store();
  /* The first byte picks the kind, so both parsers and detection get exercised. */
  hw_csv_kind kind = size ? (hw_csv_kind)(data[0] % 3) : HW_CSV_AUTO;
  const char *text = size ? (const char *)data + 1 : "";
  size_t len = size ? size - 1 : 0;
  int64_t before = hw_store_event_count(store);
  hw_csv_report rep;
  int rc = hw_csv_import(store, text, len, kind, "fuzz", 0, &rep);
  int64_t after = hw_store_event_count(store);
  if (rc != 0 && after != before) abort();
  if (rc == 0 && (rep.inserted + rep.replayed != rep.rows || after != before + rep.inserted)) abort();
  return 0;
}
