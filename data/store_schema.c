/*
 * The schema and its migrations. migrations[i] takes a database from user_version i
 * to i + 1; hw_store_open applies the pending ones in order, each with its
 * user_version bump, inside one write transaction, so a crash mid-upgrade leaves
 * the old schema intact. A database whose user_version is higher than this program
 * knows is refused rather than guessed at.
 *
 * Conventions (docs/store.md): ids are INTEGER PRIMARY KEY; "none" (id 0,
 * HW_TIME_NONE, HW_DATE_NONE) is NULL so foreign keys stay honest; enumerations are
 * their hw_domain.h integer values under CHECK constraints (so those enums may only
 * grow at the end); child arrays live in child tables keyed (parent, idx) with
 * ON DELETE CASCADE, in the order the record holds them.
 */
#include <stdio.h>

#include "store_internal.h"

static const char migration_1[] =
    "CREATE TABLE localities(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE CHECK(length(name) > 0),\n"
    "  population INTEGER NOT NULL CHECK(population >= 0),\n"
    "  lat_e6 INTEGER NOT NULL, lon_e6 INTEGER NOT NULL,\n"
    "  radius_m INTEGER NOT NULL CHECK(radius_m >= 0));\n"
    "CREATE TABLE teams(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  locality_id INTEGER NOT NULL REFERENCES localities(id),\n"
    "  kind INTEGER NOT NULL CHECK(kind BETWEEN 0 AND 2),\n"
    "  name TEXT NOT NULL CHECK(length(name) > 0));\n"
    "CREATE INDEX teams_locality ON teams(locality_id);\n"
    "CREATE TABLE workers(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  team_id INTEGER NOT NULL REFERENCES teams(id),\n"
    "  name TEXT NOT NULL CHECK(length(name) > 0),\n"
    "  lat_e6 INTEGER NOT NULL, lon_e6 INTEGER NOT NULL,\n"
    "  travel INTEGER NOT NULL CHECK(travel BETWEEN 0 AND 1),\n"
    "  contracted_minutes INTEGER NOT NULL CHECK(contracted_minutes BETWEEN 0 AND 10080),\n"
    "  gender INTEGER NOT NULL CHECK(gender BETWEEN 0 AND 2),\n"
    "  active INTEGER NOT NULL CHECK(active IN (0, 1)));\n"
    "CREATE INDEX workers_team ON workers(team_id);\n"
    "CREATE TABLE worker_skills(\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,\n"
    "  skill INTEGER NOT NULL CHECK(skill BETWEEN 0 AND 5),\n"
    "  valid_until INTEGER,\n"
    "  PRIMARY KEY(worker_id, idx), UNIQUE(worker_id, skill));\n"
    "CREATE TABLE worker_shifts(\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,\n"
    "  weekday INTEGER NOT NULL CHECK(weekday BETWEEN 0 AND 6),\n"
    "  start_min INTEGER NOT NULL, end_min INTEGER NOT NULL,\n"
    "  break_start INTEGER NOT NULL, break_end INTEGER NOT NULL,\n"
    "  break_minutes INTEGER NOT NULL CHECK(break_minutes >= 0),\n"
    "  CHECK(start_min >= 0 AND start_min < end_min AND end_min <= 1440),\n"
    "  PRIMARY KEY(worker_id, idx));\n"
    "CREATE TABLE worker_languages(\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,\n"
    "  tag TEXT NOT NULL CHECK(length(tag) > 0),\n"
    "  PRIMARY KEY(worker_id, idx));\n"
    "CREATE TABLE absences(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  from_at INTEGER NOT NULL, to_at INTEGER NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  CHECK(from_at < to_at));\n"
    "CREATE INDEX absences_worker ON absences(worker_id, from_at);\n"
    "CREATE TABLE clients(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  locality_id INTEGER NOT NULL REFERENCES localities(id),\n"
    "  name TEXT NOT NULL CHECK(length(name) > 0),\n"
    "  chi TEXT NOT NULL CHECK(chi = '' OR (length(chi) = 10 AND chi NOT GLOB '*[^0-9]*')),\n"
    "  lat_e6 INTEGER NOT NULL, lon_e6 INTEGER NOT NULL,\n"
    "  carer_gender INTEGER NOT NULL CHECK(carer_gender BETWEEN 0 AND 2),\n"
    "  carer_gender_hard INTEGER NOT NULL CHECK(carer_gender_hard IN (0, 1)),\n"
    "  language TEXT NOT NULL);\n"
    "CREATE INDEX clients_locality ON clients(locality_id);\n"
    "CREATE INDEX clients_chi ON clients(chi) WHERE chi <> '';\n"
    /* kind 0 = preferred, 1 = excluded (hard). */
    "CREATE TABLE client_workers(\n"
    "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,\n"
    "  kind INTEGER NOT NULL CHECK(kind IN (0, 1)),\n"
    "  idx INTEGER NOT NULL,\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  PRIMARY KEY(client_id, kind, idx));\n"
    "CREATE INDEX client_workers_worker ON client_workers(worker_id);\n"
    "CREATE TABLE referrals(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  client_id INTEGER NOT NULL REFERENCES clients(id),\n"
    "  source INTEGER NOT NULL CHECK(source BETWEEN 0 AND 2),\n"
    "  pathway INTEGER NOT NULL CHECK(pathway BETWEEN 0 AND 2),\n"
    "  status INTEGER NOT NULL CHECK(status BETWEEN 0 AND 3),\n"
    "  team_id INTEGER REFERENCES teams(id),\n"
    "  received_at INTEGER NOT NULL,\n"
    "  start_date INTEGER NOT NULL,\n"
    "  end_date INTEGER CHECK(end_date IS NULL OR end_date >= start_date),\n"
    "  outcome INTEGER NOT NULL CHECK(outcome BETWEEN 0 AND 3));\n"
    "CREATE INDEX referrals_client ON referrals(client_id);\n"
    "CREATE INDEX referrals_team ON referrals(team_id);\n"
    "CREATE TABLE discharges(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  client_id INTEGER NOT NULL REFERENCES clients(id),\n"
    "  referral_id INTEGER REFERENCES referrals(id),\n"
    "  hospital TEXT NOT NULL, ward TEXT NOT NULL,\n"
    "  ready_at INTEGER NOT NULL,\n"
    "  status INTEGER NOT NULL CHECK(status BETWEEN 0 AND 5),\n"
    "  offered_start INTEGER, earliest INTEGER, discharged_at INTEGER);\n"
    "CREATE INDEX discharges_client ON discharges(client_id);\n"
    "CREATE INDEX discharges_status ON discharges(status);\n"
    "CREATE INDEX discharges_referral ON discharges(referral_id);\n"
    /* Care plan visit templates of a referral (owner 'r') or a discharge request's
     * support needed (owner 'd'), one table with two nullable owners so that each
     * owner keeps a real foreign key. */
    "CREATE TABLE care_templates(\n"
    "  referral_id INTEGER REFERENCES referrals(id) ON DELETE CASCADE,\n"
    "  discharge_id INTEGER REFERENCES discharges(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,\n"
    "  weekdays INTEGER NOT NULL CHECK(weekdays BETWEEN 1 AND 127),\n"
    "  win_start INTEGER NOT NULL, win_end INTEGER NOT NULL,\n"
    "  duration INTEGER NOT NULL CHECK(duration > 0),\n"
    "  skills INTEGER NOT NULL,\n"
    "  workers INTEGER NOT NULL CHECK(workers IN (1, 2)),\n"
    "  medication INTEGER NOT NULL CHECK(medication IN (0, 1)),\n"
    "  prescribed_minute INTEGER NOT NULL,\n"
    "  CHECK((referral_id IS NULL) <> (discharge_id IS NULL)),\n"
    "  CHECK(win_start >= 0 AND win_start < win_end AND win_end <= 1440));\n"
    "CREATE UNIQUE INDEX care_templates_referral ON care_templates(referral_id, idx)\n"
    "  WHERE referral_id IS NOT NULL;\n"
    "CREATE UNIQUE INDEX care_templates_discharge ON care_templates(discharge_id, idx)\n"
    "  WHERE discharge_id IS NOT NULL;\n"
    "CREATE TABLE visits(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  referral_id INTEGER REFERENCES referrals(id),\n"
    "  client_id INTEGER NOT NULL REFERENCES clients(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,\n"
    "  duration INTEGER NOT NULL CHECK(duration > 0),\n"
    "  skills INTEGER NOT NULL,\n"
    "  workers INTEGER NOT NULL CHECK(workers IN (1, 2)),\n"
    "  priority INTEGER NOT NULL CHECK(priority BETWEEN 0 AND 100),\n"
    "  medication INTEGER NOT NULL CHECK(medication IN (0, 1)),\n"
    "  pinned INTEGER NOT NULL CHECK(pinned IN (0, 1)),\n"
    "  status INTEGER NOT NULL CHECK(status BETWEEN 0 AND 5),\n"
    "  worker1_id INTEGER REFERENCES workers(id),\n"
    "  worker2_id INTEGER REFERENCES workers(id),\n"
    "  planned_start INTEGER, check_in INTEGER, check_out INTEGER,\n"
    "  CHECK(window_start <= window_end));\n"
    "CREATE INDEX visits_date ON visits(date, window_start);\n"
    "CREATE INDEX visits_client ON visits(client_id);\n"
    "CREATE INDEX visits_referral ON visits(referral_id);\n"
    "CREATE INDEX visits_worker1 ON visits(worker1_id);\n"
    "CREATE INDEX visits_worker2 ON visits(worker2_id);\n"
    "CREATE TABLE rosters(\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
    "  planned_start INTEGER NOT NULL,\n"
    "  travel_seconds INTEGER NOT NULL CHECK(travel_seconds >= 0),\n"
    "  PRIMARY KEY(worker_id, date, seq));\n"
    "CREATE INDEX rosters_visit ON rosters(visit_id);\n"
    /* The event log: append-only (the triggers refuse UPDATE and DELETE). */
    "CREATE TABLE events(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  type TEXT NOT NULL CHECK(length(type) > 0),\n"
    "  payload TEXT NOT NULL CHECK(json_valid(payload)),\n"
    "  actor TEXT NOT NULL CHECK(length(actor) > 0),\n"
    "  idempotency_key TEXT CHECK(idempotency_key IS NULL OR length(idempotency_key) > 0),\n"
    "  received_at INTEGER NOT NULL,\n"
    "  result TEXT CHECK(result IS NULL OR json_valid(result)),\n"
    "  UNIQUE(actor, idempotency_key));\n"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;\n"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events\n"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;\n"
    "CREATE TABLE api_tokens(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE CHECK(length(name) > 0),\n"
    "  role TEXT NOT NULL CHECK(length(role) > 0),\n"
    "  localities TEXT NOT NULL DEFAULT '',\n"
    "  token_hash TEXT NOT NULL UNIQUE CHECK(length(token_hash) > 0),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  revoked_at INTEGER);\n";

/* 2: who created each discharge request (the API token), so a hospital team's
 * `discharge` token sees only its own requests (data/store_owner.c). A request
 * made before this migration, or by the command line, has no row: no owner. */
static const char migration_2[] =
    "CREATE TABLE discharge_owners(\n"
    "  discharge_id INTEGER PRIMARY KEY REFERENCES discharges(id) ON DELETE CASCADE,\n"
    "  token_id INTEGER NOT NULL REFERENCES api_tokens(id));\n"
    "CREATE INDEX discharge_owners_token ON discharge_owners(token_id);\n";

/* 3: the service loop. A referral waits with a reason and an honest earliest
 * date until a team takes it; a client's visits can be suspended (a hospital
 * admission); a visit says why it was cancelled or why planning could not place
 * it; reviews of reablement episodes are kept; each event names the locality it
 * is in (so a scoped reader sees only its own); a CHI number belongs to one
 * client; each idempotent API request keeps its answer (requests), replayed
 * only to the same caller on the same request with the same body; and a token
 * may belong to one worker (the worker role sees only their own visits). */
static const char migration_3[] =
    "ALTER TABLE referrals ADD COLUMN waiting_reason TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE referrals ADD COLUMN earliest INTEGER;\n"
    "CREATE INDEX referrals_status ON referrals(status, received_at);\n"
    "ALTER TABLE clients ADD COLUMN suspended_from INTEGER;\n"
    "ALTER TABLE clients ADD COLUMN suspended_until INTEGER;\n"
    "ALTER TABLE clients ADD COLUMN suspended_reason TEXT NOT NULL DEFAULT '';\n"
    "DROP INDEX clients_chi;\n"
    "CREATE UNIQUE INDEX clients_chi ON clients(chi) WHERE chi <> '';\n"
    "ALTER TABLE visits ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE visits ADD COLUMN unplaced_reason TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE events ADD COLUMN locality_id INTEGER;\n"
    "CREATE INDEX events_locality ON events(locality_id, seq);\n"
    "CREATE TABLE reviews(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  finding INTEGER NOT NULL CHECK(finding BETWEEN 0 AND 4),\n"
    "  outcome INTEGER NOT NULL CHECK(outcome BETWEEN 0 AND 3),\n"
    "  next_referral_id INTEGER REFERENCES referrals(id),\n"
    "  note TEXT NOT NULL);\n"
    "CREATE INDEX reviews_referral ON reviews(referral_id, date);\n"
    "CREATE TABLE requests(\n"
    "  actor TEXT NOT NULL,\n"
    "  key TEXT NOT NULL CHECK(length(key) > 0),\n"
    "  method TEXT NOT NULL,\n"
    "  route TEXT NOT NULL,\n"
    "  path TEXT NOT NULL,\n"
    "  body_sha256 TEXT NOT NULL,\n"
    "  status INTEGER NOT NULL,\n"
    "  answer TEXT NOT NULL,\n"
    "  locality_id INTEGER,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY(actor, key));\n"
    /* A worker's own token (role worker) names the worker. */
    "ALTER TABLE api_tokens ADD COLUMN worker_id INTEGER REFERENCES workers(id);\n";

/* 4: drafts, publishing and what workers are told (data/hw_store_roster.h). A
 * plan may be kept as a draft (plan_drafts, with each visit as drafted and as it
 * was when drafted, and the drafted rosters) until a coordinator publishes it;
 * each worker's last published roster of a day is kept (published_rosters) so a
 * publish can write what changed for them (roster_notes); and a worker's
 * calendar subscription URL carries a secret of which only the hash is kept. */
static const char migration_4[] =
    "CREATE TABLE plan_drafts(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  locality_id INTEGER NOT NULL REFERENCES localities(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  status INTEGER NOT NULL CHECK(status BETWEEN 0 AND 2),\n"
    "  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,\n"
    "  decided_at INTEGER, decided_by TEXT NOT NULL DEFAULT '',\n"
    "  visits INTEGER NOT NULL, assigned INTEGER NOT NULL, travel_seconds INTEGER NOT NULL);\n"
    "CREATE INDEX plan_drafts_day ON plan_drafts(locality_id, date);\n"
    "CREATE TABLE draft_visits(\n"
    "  draft_id INTEGER NOT NULL REFERENCES plan_drafts(id) ON DELETE CASCADE,\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
    "  status INTEGER NOT NULL CHECK(status BETWEEN 0 AND 5),\n"
    "  worker1_id INTEGER REFERENCES workers(id), worker2_id INTEGER REFERENCES workers(id),\n"
    "  planned_start INTEGER, unplaced_reason TEXT NOT NULL,\n"
    "  base_status INTEGER NOT NULL CHECK(base_status BETWEEN 0 AND 5),\n"
    "  base_worker1_id INTEGER, base_worker2_id INTEGER, base_planned_start INTEGER,\n"
    "  base_pinned INTEGER NOT NULL CHECK(base_pinned IN (0, 1)),\n"
    "  PRIMARY KEY(draft_id, visit_id));\n"
    "CREATE TABLE draft_rosters(\n"
    "  draft_id INTEGER NOT NULL REFERENCES plan_drafts(id) ON DELETE CASCADE,\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
    "  planned_start INTEGER NOT NULL,\n"
    "  travel_seconds INTEGER NOT NULL CHECK(travel_seconds >= 0),\n"
    "  PRIMARY KEY(draft_id, worker_id, seq));\n"
    "CREATE TABLE published_rosters(\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
    "  planned_start INTEGER NOT NULL,\n"
    "  PRIMARY KEY(worker_id, date, seq));\n"
    "CREATE TABLE roster_notes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  worker_id INTEGER NOT NULL REFERENCES workers(id),\n"
    "  date INTEGER NOT NULL,\n"
    "  published_at INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL CHECK(kind BETWEEN 0 AND 2),\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
    "  old_start INTEGER, new_start INTEGER);\n"
    "CREATE INDEX roster_notes_worker ON roster_notes(worker_id, id);\n"
    "CREATE TABLE calendar_secrets(\n"
    "  worker_id INTEGER PRIMARY KEY REFERENCES workers(id),\n"
    "  secret_hash TEXT NOT NULL UNIQUE CHECK(length(secret_hash) > 0),\n"
    "  created_at INTEGER NOT NULL);\n";

/* Version 5: the D2A reserve sized from the forecast - per locality, weekday and
 * call peak, the minutes each reablement team keeps free for same-day
 * discharges (the weekly cron replaces a locality's rows). */
static const char migration_5[] =
    "CREATE TABLE d2a_reserve(\n"
    "  locality_id INTEGER NOT NULL REFERENCES localities(id),\n"
    "  weekday INTEGER NOT NULL CHECK(weekday BETWEEN 0 AND 6),\n"
    "  peak INTEGER NOT NULL CHECK(peak BETWEEN 0 AND 3),\n"
    "  minutes INTEGER NOT NULL CHECK(minutes BETWEEN 0 AND 240),\n"
    "  PRIMARY KEY(locality_id, weekday, peak));\n";

/* migrations[i] upgrades user_version i to i + 1. Append only: never edit a
 * migration that has shipped; add the next one. */
static const char *const migrations[] = {migration_1, migration_2, migration_3, migration_4, migration_5};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int hw_store_latest_schema(void) { return N_MIGRATIONS; }

static int set_user_version(hw_store *st, int v) {
  /* PRAGMA takes no bound parameters; v is our own small integer. */
  char sql[48];
  snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
  char *err = NULL;
  int rc = sqlite3_exec(st->db, sql, NULL, NULL, &err);
  sqlite3_free(err);
  return rc == SQLITE_OK ? 0 : hw__store_fail(st, rc);
}

static int run_migration(hw_store *st, int from) {
  char *err = NULL;
  int rc = sqlite3_exec(st->db, migrations[from], NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    int code = hw__store_fail(st, rc);
    hw__store_failf(st, code, "migration %d -> %d failed: %s", from, from + 1, err ? err : "?");
    sqlite3_free(err);
    return code;
  }
  return set_user_version(st, from + 1);
}

static int refuse_newer(hw_store *st, int v) {
  return hw__store_failf(st, HW_EINVAL,
                         "database schema version %d is newer than this program's (%d); "
                         "use a newer homeward",
                         v, N_MIGRATIONS);
}

static int migrate_in_transaction(hw_store *st) {
  int rc = hw__store_exec(st, hw__sql_begin);
  if (rc) return rc;
  /* Read again under the write lock: another process may have migrated meanwhile. */
  int v = hw__store_user_version(st);
  if (v < 0) rc = v;
  else if (v > N_MIGRATIONS) rc = refuse_newer(st, v);
  for (int i = v; rc == 0 && i < N_MIGRATIONS; i++) rc = run_migration(st, i);
  if (rc == 0) return hw__store_exec(st, "COMMIT");
  char keep[sizeof st->msg];
  snprintf(keep, sizeof keep, "%s", st->msg);
  sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  snprintf(st->msg, sizeof st->msg, "%s", keep);
  return rc;
}

int hw__store_migrate(hw_store *st, char *msg, size_t msg_len) {
  int v = hw__store_user_version(st);
  int rc = 0;
  if (v < 0) rc = v;
  else if (v > N_MIGRATIONS) rc = refuse_newer(st, v);
  else if (v < N_MIGRATIONS && st->opt.read_only)
    rc = hw__store_failf(st, HW_EINVAL,
                         "database schema version %d needs migrating to %d; open it read-write once",
                         v, N_MIGRATIONS);
  else if (v < N_MIGRATIONS) rc = migrate_in_transaction(st);
  if (rc && msg != st->msg) snprintf(msg, msg_len, "%s", st->msg);
  return rc;
}
