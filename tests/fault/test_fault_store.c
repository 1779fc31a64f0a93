/*
 * Fault sweeps of the store's own guarantees (data/store_events.c,
 * data/store_owner.c), with no scheduler involved: one change through
 * hw_store_apply, a batch whose changes are kept or dropped together
 * (hw_store_batch_rollback), and a change group inside a batch. Every sweep is
 * strict: a fault must never be reported as the client's error, since the store
 * is the layer that decides which errors are whose.
 */
#include "fault_driver.h"
#include "hw_error.h"
#include "hw_test.h"

#define SWEEP_POINTS 200

/* A change with child rows: a locality, its team, and a worker with skills,
 * shifts and languages; the result is {"id":N}. */
static int add_team_tx(hw_store *st, void *ctx, char **result) {
  hw_locality l = {.population = 57576};
  snprintf(l.name, sizeof l.name, "%s", (const char *)ctx);
  int rc = hw_store_insert_locality(st, &l);
  hw_team t = {.locality_id = l.id, .kind = HW_TEAM_REABLEMENT};
  snprintf(t.name, sizeof t.name, "%.40s reablement", l.name);
  if (!rc) rc = hw_store_insert_team(st, &t);
  hw_worker w = {.team_id = t.id, .active = 1, .contracted_minutes = 37 * 60, .n_skills = 2, .n_shifts = 2,
                 .n_languages = 1};
  snprintf(w.name, sizeof w.name, "Worker of %.40s", l.name);
  w.skills[0] = (hw_worker_skill){HW_SKILL_PERSONAL_CARE, HW_DATE_NONE};
  w.skills[1] = (hw_worker_skill){HW_SKILL_MEDICATION, 20800};
  w.shifts[0] = (hw_shift){0, {7 * 60, 14 * 60}, {11 * 60, 12 * 60}, 30};
  w.shifts[1] = (hw_shift){1, {16 * 60, 22 * 60}, {0, 0}, 0};
  snprintf(w.languages[0], sizeof w.languages[0], "gd");
  if (!rc) rc = hw_store_insert_worker(st, &w);
  if (rc) return rc;
  char buf[32];
  snprintf(buf, sizeof buf, "{\"id\":%lld}", (long long)l.id);
  *result = strdup(buf);
  return *result ? 0 : HW_ENOMEM;
}

static int apply_team(hw_store *st, const char *name, const char *key) {
  return fault_apply(st, "team.created", key, add_team_tx, (void *)name);
}

static int run_one_change(hw_store *st, void *ctx) {
  (void)ctx;
  return apply_team(st, "Airdrie", "k1");
}

/* The batch's end, all or nothing: commit when every change succeeded (first_error
 * 0), else roll the whole batch back. */
static int end_batch(hw_store *st, int first_error) {
  int rc = first_error ? first_error : hw_store_batch_commit(st);
  if (rc) hw_store_batch_rollback(st);
  return rc;
}

/* Three changes in one batch, kept or dropped together. After a failure the
 * later changes still run, as the daemon's writer runs the rest of its batch. */
static int run_batch(hw_store *st, void *ctx) {
  (void)ctx;
  int rc = hw_store_batch_begin(st);
  if (rc) return rc;
  const char *names[3] = {"Airdrie", "Bellshill", "Coatbridge"}, *keys[3] = {"k1", "k2", "k3"};
  int first_error = 0;
  for (int i = 0; i < 3; i++) {
    int change = apply_team(st, names[i], keys[i]);
    if (!first_error) first_error = change;
  }
  return end_batch(st, first_error);
}

/* A change, then a change group of two (a request and its offer), in one batch,
 * kept or dropped together. */
static int run_group(hw_store *st, void *ctx) {
  (void)ctx;
  int rc = hw_store_batch_begin(st);
  if (rc) return rc;
  int single = apply_team(st, "Airdrie", "k1");
  int group = hw_store_group_begin(st);
  if (!group) group = apply_team(st, "Bellshill", "k2");
  if (!group) group = apply_team(st, "Coatbridge", "k3");
  group = hw_store_group_end(st, group);
  return end_batch(st, single ? single : group);
}

static const fault_scenario one_change = {.name = "one_change", .prepare = fault_prepare_empty_store, .run = run_one_change};
static const fault_scenario batch = {.name = "batch", .prepare = fault_prepare_empty_store, .run = run_batch};
static const fault_scenario group = {.name = "group", .prepare = fault_prepare_empty_store, .run = run_group};

static void sweep(const fault_scenario *s, hw_fault_kind kind, unsigned flags) {
  fault_sweep_or_fail(s, kind, flags, SWEEP_POINTS, 1);
}

HW_TEST(one_change_alloc) { sweep(&one_change, HW_FAULT_ALLOC, 0); }
HW_TEST(one_change_alloc_persistent) { sweep(&one_change, HW_FAULT_ALLOC, HW_FAULT_PERSISTENT); }
HW_TEST(one_change_sqlite_mem) { sweep(&one_change, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(one_change_sqlite_io) { sweep(&one_change, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(one_change_disk_full) { sweep(&one_change, HW_FAULT_SQLITE_IO, HW_FAULT_DISK_FULL | HW_FAULT_PERSISTENT); }
HW_TEST(batch_alloc) { sweep(&batch, HW_FAULT_ALLOC, 0); }
HW_TEST(batch_sqlite_mem) { sweep(&batch, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(batch_sqlite_io) { sweep(&batch, HW_FAULT_SQLITE_IO, 0); }
HW_TEST(group_sqlite_mem) { sweep(&group, HW_FAULT_SQLITE_MEM, 0); }
HW_TEST(group_sqlite_io) { sweep(&group, HW_FAULT_SQLITE_IO, 0); }
