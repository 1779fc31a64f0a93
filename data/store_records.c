/*
 * Records: insert, update and get for every table of hw_store.h, the list queries,
 * rosters and API tokens.
 *
 * Each record type is described once by a record_ops table (its SQL, a check of its
 * references and counts, and functions that bind and read its columns); three
 * generic functions do insert, update and get for all of them. A record with child
 * rows (a worker's skills, a client's preferred workers, a care plan's templates)
 * is written inside a savepoint, so it is stored whole or not at all even outside a
 * transaction. References are checked before writing so that the error names the
 * field ("worker.team_id: no team 42"); the schema's foreign keys stay the backstop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* ---- References and counts ------------------------------------------------- */

static const char sql_has_locality[] = "SELECT 1 FROM localities WHERE id=?1";
static const char sql_has_team[] = "SELECT 1 FROM teams WHERE id=?1";
static const char sql_has_worker[] = "SELECT 1 FROM workers WHERE id=?1";
static const char sql_has_client[] = "SELECT 1 FROM clients WHERE id=?1";
static const char sql_has_referral[] = "SELECT 1 FROM referrals WHERE id=?1";
static const char sql_has_visit[] = "SELECT 1 FROM visits WHERE id=?1";

/* 0 when a row with id exists (sql is one of sql_has_*), HW_ECONFLICT naming field
 * when not, HW_EINVAL when id is not a valid id. */
static int require_row(hw_store *st, const char *sql, hw_id id, const char *field, const char *what) {
  if (id <= 0) return hw__store_failf(st, HW_EINVAL, "%s: missing (must be a %s id)", field, what);
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  rc = sqlite3_step(s);
  int err = rc == SQLITE_ROW    ? 0
            : rc == SQLITE_DONE ? hw__store_failf(st, HW_ECONFLICT, "%s: no %s %lld", field, what, (long long)id)
                                : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return err;
}

/* As require_row, but 0 means "none" and is accepted. */
static int require_row_opt(hw_store *st, const char *sql, hw_id id, const char *field, const char *what) {
  return id == 0 ? 0 : require_row(st, sql, id, field, what);
}

static int check_count(hw_store *st, int32_t n, int32_t max, const char *field) {
  if (n < 0 || n > max) return hw__store_failf(st, HW_EINVAL, "%s: %d is outside 0..%d", field, n, max);
  return 0;
}

/* ---- Visit templates (referral care plans and discharge support) ---------- */

static const char sql_tpl_insert[] =
    "INSERT INTO care_templates(referral_id, discharge_id, idx, weekdays, win_start, win_end,"
    " duration, skills, workers, medication, prescribed_minute)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
static const char sql_tpl_delete_referral[] = "DELETE FROM care_templates WHERE referral_id=?1";
static const char sql_tpl_delete_discharge[] = "DELETE FROM care_templates WHERE discharge_id=?1";
static const char sql_tpl_get_referral[] =
    "SELECT weekdays, win_start, win_end, duration, skills, workers, medication, prescribed_minute"
    " FROM care_templates WHERE referral_id=?1 ORDER BY idx";
static const char sql_tpl_get_discharge[] =
    "SELECT weekdays, win_start, win_end, duration, skills, workers, medication, prescribed_minute"
    " FROM care_templates WHERE discharge_id=?1 ORDER BY idx";

/* Replace the templates of one owner: referral_id or discharge_id (the other 0). */
static int write_templates(hw_store *st, hw_id referral_id, hw_id discharge_id,
                           const hw_visit_template *t, int32_t n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, referral_id ? sql_tpl_delete_referral : sql_tpl_delete_discharge, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, referral_id ? referral_id : discharge_id);
  if ((rc = hw__store_step_done(st, s))) return rc;
  for (int32_t i = 0; i < n; i++) {
    if ((rc = hw__store_stmt(st, sql_tpl_insert, &s))) return rc;
    hw__bind_id(s, 1, referral_id);
    hw__bind_id(s, 2, discharge_id);
    sqlite3_bind_int(s, 3, i);
    sqlite3_bind_int(s, 4, t[i].weekdays);
    sqlite3_bind_int(s, 5, t[i].window.start);
    sqlite3_bind_int(s, 6, t[i].window.end);
    sqlite3_bind_int(s, 7, t[i].duration);
    sqlite3_bind_int64(s, 8, t[i].skills);
    sqlite3_bind_int(s, 9, t[i].workers);
    sqlite3_bind_int(s, 10, t[i].medication);
    sqlite3_bind_int(s, 11, t[i].prescribed_minute);
    if ((rc = hw__store_step_done(st, s)))
      return hw__store_failf(st, rc, "templates/%d: %s", i, sqlite3_errmsg(st->db));
  }
  return 0;
}

static int read_templates(hw_store *st, const char *sql, hw_id owner, hw_visit_template *t, int32_t *n) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, owner);
  *n = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (*n == HW_MAX_TEMPLATES) {
      sqlite3_reset(s);
      return hw__store_failf(st, HW_EINTERNAL, "record %lld: more than %d templates stored",
                             (long long)owner, HW_MAX_TEMPLATES);
    }
    hw_visit_template *v = &t[(*n)++];
    v->weekdays = (uint8_t)sqlite3_column_int(s, 0);
    v->window.start = (int16_t)sqlite3_column_int(s, 1);
    v->window.end = (int16_t)sqlite3_column_int(s, 2);
    v->duration = (int16_t)sqlite3_column_int(s, 3);
    v->skills = (uint32_t)sqlite3_column_int64(s, 4);
    v->workers = (uint8_t)sqlite3_column_int(s, 5);
    v->medication = (uint8_t)sqlite3_column_int(s, 6);
    v->prescribed_minute = (int16_t)sqlite3_column_int(s, 7);
  }
  int err = rc == SQLITE_DONE ? 0 : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return err;
}

/* ---- The generic record machinery ------------------------------------------ */

typedef struct record_ops {
  const char *what;        /* "worker": for messages */
  const char *sql_insert;  /* ?1 = id (NULL: assign), ?2.. = the columns */
  const char *sql_update;  /* same parameters, WHERE id=?1 */
  const char *sql_get;     /* ?1 = id; columns in read order */
  int (*check)(hw_store *st, const void *v); /* references and counts; NULL: none */
  int (*bind)(hw_store *st, sqlite3_stmt *s, const void *v);
  int (*read)(hw_store *st, sqlite3_stmt *s, void *v);
  int (*write_children)(hw_store *st, hw_id id, const void *v); /* NULL: none */
} record_ops;

/* Every record struct begins with its hw_id. */
static hw_id record_id(const void *v) { return *(const hw_id *)v; }

static int insert_record(hw_store *st, const record_ops *ops, void *v, int keep_id) {
  int rc = ops->check ? ops->check(st, v) : 0;
  if (rc) return rc;
  /* A record with children is several statements: a savepoint makes them one.
   * One without is one statement, atomic already (and a savepoint per record
   * makes a big change journal every page it touches once more). */
  if (ops->write_children && (rc = hw__store_sp_begin(st))) return rc;
  sqlite3_stmt *s;
  hw_id id = 0;
  rc = hw__store_stmt(st, ops->sql_insert, &s);
  if (rc == 0) {
    hw__bind_id(s, 1, keep_id ? record_id(v) : 0);
    rc = ops->bind(st, s, v);
    if (rc) sqlite3_reset(s);
    else rc = hw__store_step_done(st, s);
  }
  if (rc == 0) id = sqlite3_last_insert_rowid(st->db);
  if (rc == 0 && ops->write_children) rc = ops->write_children(st, id, v);
  if (ops->write_children) rc = hw__store_sp_end(st, rc);
  if (rc == 0) *(hw_id *)v = id;
  return rc;
}

static int update_record(hw_store *st, const record_ops *ops, const void *v) {
  hw_id id = record_id(v);
  if (id <= 0) return hw__store_failf(st, HW_EINVAL, "%s.id: missing", ops->what);
  int rc = ops->check ? ops->check(st, v) : 0;
  if (rc) return rc;
  if (ops->write_children && (rc = hw__store_sp_begin(st))) return rc; /* as insert_record */
  sqlite3_stmt *s;
  rc = hw__store_stmt(st, ops->sql_update, &s);
  if (rc == 0) {
    sqlite3_bind_int64(s, 1, id);
    rc = ops->bind(st, s, v);
    if (rc) sqlite3_reset(s);
    else rc = hw__store_step_done(st, s);
  }
  if (rc == 0 && sqlite3_changes(st->db) == 0)
    rc = hw__store_failf(st, HW_ENOTFOUND, "%s %lld: not found", ops->what, (long long)id);
  if (rc == 0 && ops->write_children) rc = ops->write_children(st, id, v);
  return ops->write_children ? hw__store_sp_end(st, rc) : rc;
}

static int get_record(hw_store *st, const record_ops *ops, hw_id id, void *v, size_t size) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, ops->sql_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  rc = sqlite3_step(s);
  int err;
  if (rc == SQLITE_ROW) {
    memset(v, 0, size);
    err = ops->read(st, s, v);
  } else if (rc == SQLITE_DONE) {
    err = hw__store_failf(st, HW_ENOTFOUND, "%s %lld: not found", ops->what, (long long)id);
  } else {
    err = hw__store_fail(st, rc);
  }
  sqlite3_reset(s);
  return err;
}

/* Run a prepared (and bound) query and collect its rows with ops->read into a
 * malloc'd array of records of size bytes. */
static int collect_rows(hw_store *st, sqlite3_stmt *s, const record_ops *ops, size_t size, void **out,
                        int32_t *n) {
  char *arr = NULL;
  int32_t count = 0, cap = 0;
  int rc, err = 0;
  while (err == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (count == cap) {
      int32_t grown_cap = cap ? cap * 2 : 16;
      char *grown = realloc(arr, (size_t)grown_cap * size);
      if (!grown) {
        err = hw__store_failf(st, HW_ENOMEM, "out of memory listing %ss", ops->what);
        break;
      }
      arr = grown;
      cap = grown_cap;
    }
    memset(arr + (size_t)count * size, 0, size);
    err = ops->read(st, s, arr + (size_t)count * size);
    count++;
  }
  if (err == 0 && rc != SQLITE_DONE) err = hw__store_fail(st, rc);
  sqlite3_reset(s);
  if (err) {
    free(arr);
    arr = NULL;
    count = 0;
  }
  *out = arr;
  *n = count;
  return err;
}

/* ---- Localities ------------------------------------------------------------ */

#define LOCALITY_COLS "id, name, population, lat_e6, lon_e6, radius_m"

static int bind_locality(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_locality *v = p;
  int rc = hw__bind_text_field(st, s, 2, v->name, sizeof v->name, "locality.name");
  sqlite3_bind_int(s, 3, v->population);
  sqlite3_bind_int(s, 4, v->centre.lat_e6);
  sqlite3_bind_int(s, 5, v->centre.lon_e6);
  sqlite3_bind_int(s, 6, v->radius_m);
  return rc;
}

static int read_locality(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_locality *v = p;
  v->id = sqlite3_column_int64(s, 0);
  hw__col_text(s, 1, v->name, sizeof v->name);
  v->population = sqlite3_column_int(s, 2);
  v->centre.lat_e6 = sqlite3_column_int(s, 3);
  v->centre.lon_e6 = sqlite3_column_int(s, 4);
  v->radius_m = sqlite3_column_int(s, 5);
  return 0;
}

static const record_ops locality_ops = {
    "locality",
    "INSERT INTO localities(" LOCALITY_COLS ") VALUES(?1,?2,?3,?4,?5,?6)",
    "UPDATE localities SET name=?2, population=?3, lat_e6=?4, lon_e6=?5, radius_m=?6 WHERE id=?1",
    "SELECT " LOCALITY_COLS " FROM localities WHERE id=?1",
    NULL, bind_locality, read_locality, NULL};

/* ---- Teams ----------------------------------------------------------------- */

#define TEAM_COLS "id, locality_id, kind, name"

static int check_team(hw_store *st, const void *p) {
  const hw_team *v = p;
  return require_row(st, sql_has_locality, v->locality_id, "team.locality_id", "locality");
}

static int bind_team(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_team *v = p;
  sqlite3_bind_int64(s, 2, v->locality_id);
  sqlite3_bind_int(s, 3, (int)v->kind);
  return hw__bind_text_field(st, s, 4, v->name, sizeof v->name, "team.name");
}

static int read_team(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_team *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->locality_id = sqlite3_column_int64(s, 1);
  v->kind = (hw_team_kind)sqlite3_column_int(s, 2);
  hw__col_text(s, 3, v->name, sizeof v->name);
  return 0;
}

static const record_ops team_ops = {
    "team",
    "INSERT INTO teams(" TEAM_COLS ") VALUES(?1,?2,?3,?4)",
    "UPDATE teams SET locality_id=?2, kind=?3, name=?4 WHERE id=?1",
    "SELECT " TEAM_COLS " FROM teams WHERE id=?1",
    check_team, bind_team, read_team, NULL};

/* ---- Workers (children: skills, shifts, languages) ------------------------- */

#define WORKER_COLS "id, team_id, name, lat_e6, lon_e6, travel, contracted_minutes, gender, active"

static const char sql_worker_skills_delete[] = "DELETE FROM worker_skills WHERE worker_id=?1";
static const char sql_worker_shifts_delete[] = "DELETE FROM worker_shifts WHERE worker_id=?1";
static const char sql_worker_langs_delete[] = "DELETE FROM worker_languages WHERE worker_id=?1";
static const char sql_worker_skill_insert[] =
    "INSERT INTO worker_skills(worker_id, idx, skill, valid_until) VALUES(?1,?2,?3,?4)";
static const char sql_worker_shift_insert[] =
    "INSERT INTO worker_shifts(worker_id, idx, weekday, start_min, end_min, break_start, break_end,"
    " break_minutes) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)";
static const char sql_worker_lang_insert[] =
    "INSERT INTO worker_languages(worker_id, idx, tag) VALUES(?1,?2,?3)";
static const char sql_worker_skills_get[] =
    "SELECT skill, valid_until FROM worker_skills WHERE worker_id=?1 ORDER BY idx";
static const char sql_worker_shifts_get[] =
    "SELECT weekday, start_min, end_min, break_start, break_end, break_minutes"
    " FROM worker_shifts WHERE worker_id=?1 ORDER BY idx";
static const char sql_worker_langs_get[] =
    "SELECT tag FROM worker_languages WHERE worker_id=?1 ORDER BY idx";

static int check_worker(hw_store *st, const void *p) {
  const hw_worker *v = p;
  int rc = check_count(st, v->n_skills, HW_MAX_WORKER_SKILLS, "worker.n_skills");
  if (!rc) rc = check_count(st, v->n_shifts, HW_MAX_SHIFTS, "worker.n_shifts");
  if (!rc) rc = check_count(st, v->n_languages, HW_MAX_LANGUAGES, "worker.n_languages");
  if (!rc) rc = require_row(st, sql_has_team, v->team_id, "worker.team_id", "team");
  return rc;
}

static int bind_worker(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_worker *v = p;
  sqlite3_bind_int64(s, 2, v->team_id);
  int rc = hw__bind_text_field(st, s, 3, v->name, sizeof v->name, "worker.name");
  sqlite3_bind_int(s, 4, v->base.lat_e6);
  sqlite3_bind_int(s, 5, v->base.lon_e6);
  sqlite3_bind_int(s, 6, (int)v->travel);
  sqlite3_bind_int(s, 7, v->contracted_minutes);
  sqlite3_bind_int(s, 8, (int)v->gender);
  sqlite3_bind_int(s, 9, v->active);
  return rc;
}

/* Run a DELETE ... WHERE parent=?1. */
static int delete_children(hw_store *st, const char *sql, hw_id parent) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, parent);
  return hw__store_step_done(st, s);
}

static int write_worker_children(hw_store *st, hw_id id, const void *p) {
  const hw_worker *v = p;
  int rc = delete_children(st, sql_worker_skills_delete, id);
  if (!rc) rc = delete_children(st, sql_worker_shifts_delete, id);
  if (!rc) rc = delete_children(st, sql_worker_langs_delete, id);
  sqlite3_stmt *s;
  for (int32_t i = 0; rc == 0 && i < v->n_skills; i++) {
    if ((rc = hw__store_stmt(st, sql_worker_skill_insert, &s))) break;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, i);
    sqlite3_bind_int(s, 3, (int)v->skills[i].skill);
    hw__bind_date_opt(s, 4, v->skills[i].valid_until);
    if ((rc = hw__store_step_done(st, s)))
      hw__store_failf(st, rc, "worker.skills/%d: %s", i, sqlite3_errmsg(st->db));
  }
  for (int32_t i = 0; rc == 0 && i < v->n_shifts; i++) {
    const hw_shift *sh = &v->shifts[i];
    if ((rc = hw__store_stmt(st, sql_worker_shift_insert, &s))) break;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, i);
    sqlite3_bind_int(s, 3, sh->weekday);
    sqlite3_bind_int(s, 4, sh->hours.start);
    sqlite3_bind_int(s, 5, sh->hours.end);
    sqlite3_bind_int(s, 6, sh->break_window.start);
    sqlite3_bind_int(s, 7, sh->break_window.end);
    sqlite3_bind_int(s, 8, sh->break_minutes);
    if ((rc = hw__store_step_done(st, s)))
      hw__store_failf(st, rc, "worker.shifts/%d: %s", i, sqlite3_errmsg(st->db));
  }
  for (int32_t i = 0; rc == 0 && i < v->n_languages; i++) {
    if ((rc = hw__store_stmt(st, sql_worker_lang_insert, &s))) break;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, i);
    char field[32];
    snprintf(field, sizeof field, "worker.languages/%d", i);
    rc = hw__bind_text_field(st, s, 3, v->languages[i], sizeof v->languages[i], field);
    if (rc) sqlite3_reset(s);
    else if ((rc = hw__store_step_done(st, s)))
      hw__store_failf(st, rc, "%s: %s", field, sqlite3_errmsg(st->db));
  }
  return rc;
}

/* Step a child query with a row budget; rows beyond max are a stored-data error. */
static int child_step(hw_store *st, sqlite3_stmt *s, int32_t count, int32_t max, const char *what, hw_id id) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW && count == max)
    return hw__store_failf(st, HW_EINTERNAL, "%s of %lld: more than %d stored", what, (long long)id, max);
  if (rc == SQLITE_ROW) return 1;
  return rc == SQLITE_DONE ? 0 : hw__store_fail(st, rc);
}

static int read_worker_children(hw_store *st, hw_worker *v) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_worker_skills_get, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, v->id);
  while ((rc = child_step(st, s, v->n_skills, HW_MAX_WORKER_SKILLS, "skills", v->id)) == 1) {
    v->skills[v->n_skills].skill = (hw_skill)sqlite3_column_int(s, 0);
    v->skills[v->n_skills].valid_until = hw__col_date_opt(s, 1);
    v->n_skills++;
  }
  sqlite3_reset(s);
  if (rc) return rc;
  if ((rc = hw__store_stmt(st, sql_worker_shifts_get, &s))) return rc;
  sqlite3_bind_int64(s, 1, v->id);
  while ((rc = child_step(st, s, v->n_shifts, HW_MAX_SHIFTS, "shifts", v->id)) == 1) {
    hw_shift *sh = &v->shifts[v->n_shifts++];
    sh->weekday = (uint8_t)sqlite3_column_int(s, 0);
    sh->hours.start = (int16_t)sqlite3_column_int(s, 1);
    sh->hours.end = (int16_t)sqlite3_column_int(s, 2);
    sh->break_window.start = (int16_t)sqlite3_column_int(s, 3);
    sh->break_window.end = (int16_t)sqlite3_column_int(s, 4);
    sh->break_minutes = (int16_t)sqlite3_column_int(s, 5);
  }
  sqlite3_reset(s);
  if (rc) return rc;
  if ((rc = hw__store_stmt(st, sql_worker_langs_get, &s))) return rc;
  sqlite3_bind_int64(s, 1, v->id);
  while ((rc = child_step(st, s, v->n_languages, HW_MAX_LANGUAGES, "languages", v->id)) == 1) {
    hw__col_text(s, 0, v->languages[v->n_languages], sizeof v->languages[0]);
    v->n_languages++;
  }
  sqlite3_reset(s);
  return rc;
}

static int read_worker(hw_store *st, sqlite3_stmt *s, void *p) {
  hw_worker *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->team_id = sqlite3_column_int64(s, 1);
  hw__col_text(s, 2, v->name, sizeof v->name);
  v->base.lat_e6 = sqlite3_column_int(s, 3);
  v->base.lon_e6 = sqlite3_column_int(s, 4);
  v->travel = (hw_travel_mode)sqlite3_column_int(s, 5);
  v->contracted_minutes = sqlite3_column_int(s, 6);
  v->gender = (hw_gender)sqlite3_column_int(s, 7);
  v->active = sqlite3_column_int(s, 8);
  return read_worker_children(st, v);
}

static const record_ops worker_ops = {
    "worker",
    "INSERT INTO workers(" WORKER_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    "UPDATE workers SET team_id=?2, name=?3, lat_e6=?4, lon_e6=?5, travel=?6,"
    " contracted_minutes=?7, gender=?8, active=?9 WHERE id=?1",
    "SELECT " WORKER_COLS " FROM workers WHERE id=?1",
    check_worker, bind_worker, read_worker, write_worker_children};

/* ---- Absences -------------------------------------------------------------- */

#define ABSENCE_COLS "id, worker_id, from_at, to_at, reason"

static int check_absence(hw_store *st, const void *p) {
  const hw_absence *v = p;
  if (v->from >= v->to) return hw__store_failf(st, HW_EINVAL, "absence.to: must be after from");
  return require_row(st, sql_has_worker, v->worker_id, "absence.worker_id", "worker");
}

static int bind_absence(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_absence *v = p;
  sqlite3_bind_int64(s, 2, v->worker_id);
  sqlite3_bind_int64(s, 3, v->from);
  sqlite3_bind_int64(s, 4, v->to);
  return hw__bind_text_field(st, s, 5, v->reason, sizeof v->reason, "absence.reason");
}

static int read_absence(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_absence *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->worker_id = sqlite3_column_int64(s, 1);
  v->from = sqlite3_column_int64(s, 2);
  v->to = sqlite3_column_int64(s, 3);
  hw__col_text(s, 4, v->reason, sizeof v->reason);
  return 0;
}

static const record_ops absence_ops = {
    "absence",
    "INSERT INTO absences(" ABSENCE_COLS ") VALUES(?1,?2,?3,?4,?5)",
    "UPDATE absences SET worker_id=?2, from_at=?3, to_at=?4, reason=?5 WHERE id=?1",
    "SELECT " ABSENCE_COLS " FROM absences WHERE id=?1",
    check_absence, bind_absence, read_absence, NULL};

/* ---- Clients (children: preferred and excluded workers) -------------------- */

#define CLIENT_COLS                                                                            \
  "id, locality_id, name, chi, lat_e6, lon_e6, carer_gender, carer_gender_hard, language," \
  " suspended_from, suspended_until, suspended_reason"

static const char sql_client_workers_delete[] = "DELETE FROM client_workers WHERE client_id=?1";
static const char sql_client_worker_insert[] =
    "INSERT INTO client_workers(client_id, kind, idx, worker_id) VALUES(?1,?2,?3,?4)";
static const char sql_client_workers_get[] =
    "SELECT kind, worker_id FROM client_workers WHERE client_id=?1 ORDER BY kind, idx";

static int check_client(hw_store *st, const void *p) {
  const hw_client *v = p;
  int rc = check_count(st, v->n_preferred, HW_MAX_CLIENT_PREFS, "client.n_preferred");
  if (!rc) rc = check_count(st, v->n_excluded, HW_MAX_CLIENT_PREFS, "client.n_excluded");
  if (!rc) rc = require_row(st, sql_has_locality, v->locality_id, "client.locality_id", "locality");
  char field[48];
  for (int32_t i = 0; rc == 0 && i < v->n_preferred; i++) {
    snprintf(field, sizeof field, "client.preferred_workers/%d", i);
    rc = require_row(st, sql_has_worker, v->preferred_workers[i], field, "worker");
  }
  for (int32_t i = 0; rc == 0 && i < v->n_excluded; i++) {
    snprintf(field, sizeof field, "client.excluded_workers/%d", i);
    rc = require_row(st, sql_has_worker, v->excluded_workers[i], field, "worker");
  }
  return rc;
}

static int bind_client(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_client *v = p;
  sqlite3_bind_int64(s, 2, v->locality_id);
  int rc = hw__bind_text_field(st, s, 3, v->name, sizeof v->name, "client.name");
  if (!rc) rc = hw__bind_text_field(st, s, 4, v->chi, sizeof v->chi, "client.chi");
  sqlite3_bind_int(s, 5, v->location.lat_e6);
  sqlite3_bind_int(s, 6, v->location.lon_e6);
  sqlite3_bind_int(s, 7, (int)v->carer_gender);
  sqlite3_bind_int(s, 8, v->carer_gender_hard);
  if (!rc) rc = hw__bind_text_field(st, s, 9, v->language, sizeof v->language, "client.language");
  int suspended = v->suspended_reason[0] != '\0';
  hw__bind_time_opt(s, 10, suspended ? v->suspended_from : HW_TIME_NONE);
  hw__bind_time_opt(s, 11, suspended ? v->suspended_until : HW_TIME_NONE);
  if (!rc)
    rc = hw__bind_text_field(st, s, 12, v->suspended_reason, sizeof v->suspended_reason, "client.suspended_reason");
  return rc;
}

static int insert_client_workers(hw_store *st, hw_id id, int kind, const hw_id *workers, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    sqlite3_stmt *s;
    int rc = hw__store_stmt(st, sql_client_worker_insert, &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, kind);
    sqlite3_bind_int(s, 3, i);
    sqlite3_bind_int64(s, 4, workers[i]);
    if ((rc = hw__store_step_done(st, s))) return rc;
  }
  return 0;
}

static int write_client_children(hw_store *st, hw_id id, const void *p) {
  const hw_client *v = p;
  int rc = delete_children(st, sql_client_workers_delete, id);
  if (!rc) rc = insert_client_workers(st, id, 0, v->preferred_workers, v->n_preferred);
  if (!rc) rc = insert_client_workers(st, id, 1, v->excluded_workers, v->n_excluded);
  return rc;
}

static int read_client(hw_store *st, sqlite3_stmt *s, void *p) {
  hw_client *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->locality_id = sqlite3_column_int64(s, 1);
  hw__col_text(s, 2, v->name, sizeof v->name);
  hw__col_text(s, 3, v->chi, sizeof v->chi);
  v->location.lat_e6 = sqlite3_column_int(s, 4);
  v->location.lon_e6 = sqlite3_column_int(s, 5);
  v->carer_gender = (hw_gender)sqlite3_column_int(s, 6);
  v->carer_gender_hard = sqlite3_column_int(s, 7);
  hw__col_text(s, 8, v->language, sizeof v->language);
  hw__col_text(s, 11, v->suspended_reason, sizeof v->suspended_reason);
  if (v->suspended_reason[0]) {
    v->suspended_from = hw__col_time_opt(s, 9);
    v->suspended_until = hw__col_time_opt(s, 10);
  }
  sqlite3_stmt *c;
  int rc = hw__store_stmt(st, sql_client_workers_get, &c);
  if (rc) return rc;
  sqlite3_bind_int64(c, 1, v->id);
  while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
    int excluded = sqlite3_column_int(c, 0);
    int32_t *n = excluded ? &v->n_excluded : &v->n_preferred;
    hw_id *arr = excluded ? v->excluded_workers : v->preferred_workers;
    if (*n == HW_MAX_CLIENT_PREFS) {
      sqlite3_reset(c);
      return hw__store_failf(st, HW_EINTERNAL, "client %lld: more than %d worker preferences stored",
                             (long long)v->id, HW_MAX_CLIENT_PREFS);
    }
    arr[(*n)++] = sqlite3_column_int64(c, 1);
  }
  int err = rc == SQLITE_DONE ? 0 : hw__store_fail(st, rc);
  sqlite3_reset(c);
  return err;
}

static const record_ops client_ops = {
    "client",
    "INSERT INTO clients(" CLIENT_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    "UPDATE clients SET locality_id=?2, name=?3, chi=?4, lat_e6=?5, lon_e6=?6, carer_gender=?7,"
    " carer_gender_hard=?8, language=?9, suspended_from=?10, suspended_until=?11, suspended_reason=?12"
    " WHERE id=?1",
    "SELECT " CLIENT_COLS " FROM clients WHERE id=?1",
    check_client, bind_client, read_client, write_client_children};

/* ---- Referrals (children: care plan templates) ----------------------------- */

#define REFERRAL_COLS                                                                          \
  "id, client_id, source, pathway, status, team_id, received_at, start_date, end_date, outcome," \
  " waiting_reason, earliest"

static int check_referral(hw_store *st, const void *p) {
  const hw_referral *v = p;
  int rc = check_count(st, v->n_templates, HW_MAX_TEMPLATES, "referral.n_templates");
  if (!rc) rc = require_row(st, sql_has_client, v->client_id, "referral.client_id", "client");
  if (!rc) rc = require_row_opt(st, sql_has_team, v->team_id, "referral.team_id", "team");
  return rc;
}

static int bind_referral(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_referral *v = p;
  sqlite3_bind_int64(s, 2, v->client_id);
  sqlite3_bind_int(s, 3, (int)v->source);
  sqlite3_bind_int(s, 4, (int)v->pathway);
  sqlite3_bind_int(s, 5, (int)v->status);
  hw__bind_id(s, 6, v->team_id);
  sqlite3_bind_int64(s, 7, v->received_at);
  sqlite3_bind_int(s, 8, v->start_date);
  hw__bind_date_opt(s, 9, v->end_date);
  sqlite3_bind_int(s, 10, (int)v->outcome);
  hw__bind_date_opt(s, 12, v->status == HW_REFERRAL_WAITING ? v->earliest : HW_DATE_NONE);
  return hw__bind_text_field(st, s, 11, v->waiting_reason, sizeof v->waiting_reason, "referral.waiting_reason");
}

static int write_referral_children(hw_store *st, hw_id id, const void *p) {
  const hw_referral *v = p;
  return write_templates(st, id, 0, v->templates, v->n_templates);
}

static int read_referral(hw_store *st, sqlite3_stmt *s, void *p) {
  hw_referral *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->client_id = sqlite3_column_int64(s, 1);
  v->source = (hw_referral_source)sqlite3_column_int(s, 2);
  v->pathway = (hw_pathway)sqlite3_column_int(s, 3);
  v->status = (hw_referral_status)sqlite3_column_int(s, 4);
  v->team_id = hw__col_id(s, 5);
  v->received_at = sqlite3_column_int64(s, 6);
  v->start_date = sqlite3_column_int(s, 7);
  v->end_date = hw__col_date_opt(s, 8);
  v->outcome = (hw_episode_outcome)sqlite3_column_int(s, 9);
  hw__col_text(s, 10, v->waiting_reason, sizeof v->waiting_reason);
  if (v->status == HW_REFERRAL_WAITING) v->earliest = hw__col_date_opt(s, 11);
  return read_templates(st, sql_tpl_get_referral, v->id, v->templates, &v->n_templates);
}

static const record_ops referral_ops = {
    "referral",
    "INSERT INTO referrals(" REFERRAL_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    "UPDATE referrals SET client_id=?2, source=?3, pathway=?4, status=?5, team_id=?6,"
    " received_at=?7, start_date=?8, end_date=?9, outcome=?10, waiting_reason=?11, earliest=?12 WHERE id=?1",
    "SELECT " REFERRAL_COLS " FROM referrals WHERE id=?1",
    check_referral, bind_referral, read_referral, write_referral_children};

/* ---- Discharge requests (children: support needed, as templates) ----------- */

#define DISCHARGE_COLS \
  "id, client_id, referral_id, hospital, ward, ready_at, status, offered_start, earliest, discharged_at"

static int check_discharge(hw_store *st, const void *p) {
  const hw_discharge *v = p;
  int rc = check_count(st, v->n_templates, HW_MAX_TEMPLATES, "discharge.n_templates");
  if (!rc) rc = require_row(st, sql_has_client, v->client_id, "discharge.client_id", "client");
  if (!rc) rc = require_row_opt(st, sql_has_referral, v->referral_id, "discharge.referral_id", "referral");
  return rc;
}

static int bind_discharge(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_discharge *v = p;
  sqlite3_bind_int64(s, 2, v->client_id);
  hw__bind_id(s, 3, v->referral_id);
  int rc = hw__bind_text_field(st, s, 4, v->hospital, sizeof v->hospital, "discharge.hospital");
  if (!rc) rc = hw__bind_text_field(st, s, 5, v->ward, sizeof v->ward, "discharge.ward");
  sqlite3_bind_int64(s, 6, v->ready_at);
  sqlite3_bind_int(s, 7, (int)v->status);
  hw__bind_time_opt(s, 8, v->offered_start);
  hw__bind_date_opt(s, 9, v->earliest);
  hw__bind_time_opt(s, 10, v->discharged_at);
  return rc;
}

static int write_discharge_children(hw_store *st, hw_id id, const void *p) {
  const hw_discharge *v = p;
  return write_templates(st, 0, id, v->templates, v->n_templates);
}

static int read_discharge(hw_store *st, sqlite3_stmt *s, void *p) {
  hw_discharge *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->client_id = sqlite3_column_int64(s, 1);
  v->referral_id = hw__col_id(s, 2);
  hw__col_text(s, 3, v->hospital, sizeof v->hospital);
  hw__col_text(s, 4, v->ward, sizeof v->ward);
  v->ready_at = sqlite3_column_int64(s, 5);
  v->status = (hw_discharge_status)sqlite3_column_int(s, 6);
  v->offered_start = hw__col_time_opt(s, 7);
  v->earliest = hw__col_date_opt(s, 8);
  v->discharged_at = hw__col_time_opt(s, 9);
  return read_templates(st, sql_tpl_get_discharge, v->id, v->templates, &v->n_templates);
}

static const record_ops discharge_ops = {
    "discharge",
    "INSERT INTO discharges(" DISCHARGE_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    "UPDATE discharges SET client_id=?2, referral_id=?3, hospital=?4, ward=?5, ready_at=?6,"
    " status=?7, offered_start=?8, earliest=?9, discharged_at=?10 WHERE id=?1",
    "SELECT " DISCHARGE_COLS " FROM discharges WHERE id=?1",
    check_discharge, bind_discharge, read_discharge, write_discharge_children};

/* ---- Visits ---------------------------------------------------------------- */

#define VISIT_COLS                                                                              \
  "id, referral_id, client_id, date, window_start, window_end, duration, skills, workers,"    \
  " priority, medication, pinned, status, worker1_id, worker2_id, planned_start, check_in,"    \
  " check_out, cancel_reason, unplaced_reason"

static int check_visit(hw_store *st, const void *p) {
  const hw_visit *v = p;
  int rc = require_row_opt(st, sql_has_referral, v->referral_id, "visit.referral_id", "referral");
  if (!rc) rc = require_row(st, sql_has_client, v->client_id, "visit.client_id", "client");
  if (!rc) rc = require_row_opt(st, sql_has_worker, v->worker_ids[0], "visit.worker_ids/0", "worker");
  if (!rc) rc = require_row_opt(st, sql_has_worker, v->worker_ids[1], "visit.worker_ids/1", "worker");
  return rc;
}

static int bind_visit(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_visit *v = p;
  hw__bind_id(s, 2, v->referral_id);
  sqlite3_bind_int64(s, 3, v->client_id);
  sqlite3_bind_int(s, 4, v->date);
  sqlite3_bind_int64(s, 5, v->window_start);
  sqlite3_bind_int64(s, 6, v->window_end);
  sqlite3_bind_int(s, 7, v->duration);
  sqlite3_bind_int64(s, 8, v->skills);
  sqlite3_bind_int(s, 9, v->workers);
  sqlite3_bind_int(s, 10, v->priority);
  sqlite3_bind_int(s, 11, v->medication);
  sqlite3_bind_int(s, 12, v->pinned);
  sqlite3_bind_int(s, 13, (int)v->status);
  hw__bind_id(s, 14, v->worker_ids[0]);
  hw__bind_id(s, 15, v->worker_ids[1]);
  hw__bind_time_opt(s, 16, v->planned_start);
  hw__bind_time_opt(s, 17, v->check_in);
  hw__bind_time_opt(s, 18, v->check_out);
  int rc = hw__bind_text_field(st, s, 19, v->cancel_reason, sizeof v->cancel_reason, "visit.cancel_reason");
  if (!rc) rc = hw__bind_text_field(st, s, 20, v->unplaced_reason, sizeof v->unplaced_reason, "visit.unplaced_reason");
  return rc;
}

static int read_visit(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_visit *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->referral_id = hw__col_id(s, 1);
  v->client_id = sqlite3_column_int64(s, 2);
  v->date = sqlite3_column_int(s, 3);
  v->window_start = sqlite3_column_int64(s, 4);
  v->window_end = sqlite3_column_int64(s, 5);
  v->duration = sqlite3_column_int(s, 6);
  v->skills = (uint32_t)sqlite3_column_int64(s, 7);
  v->workers = sqlite3_column_int(s, 8);
  v->priority = sqlite3_column_int(s, 9);
  v->medication = sqlite3_column_int(s, 10);
  v->pinned = sqlite3_column_int(s, 11);
  v->status = (hw_visit_status)sqlite3_column_int(s, 12);
  v->worker_ids[0] = hw__col_id(s, 13);
  v->worker_ids[1] = hw__col_id(s, 14);
  v->planned_start = hw__col_time_opt(s, 15);
  v->check_in = hw__col_time_opt(s, 16);
  v->check_out = hw__col_time_opt(s, 17);
  hw__col_text(s, 18, v->cancel_reason, sizeof v->cancel_reason);
  hw__col_text(s, 19, v->unplaced_reason, sizeof v->unplaced_reason);
  return 0;
}

static const record_ops visit_ops = {
    "visit",
    "INSERT INTO visits(" VISIT_COLS ")"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)",
    "UPDATE visits SET referral_id=?2, client_id=?3, date=?4, window_start=?5, window_end=?6,"
    " duration=?7, skills=?8, workers=?9, priority=?10, medication=?11, pinned=?12, status=?13,"
    " worker1_id=?14, worker2_id=?15, planned_start=?16, check_in=?17, check_out=?18,"
    " cancel_reason=?19, unplaced_reason=?20 WHERE id=?1",
    "SELECT " VISIT_COLS " FROM visits WHERE id=?1",
    check_visit, bind_visit, read_visit, NULL};

/* ---- Reviews --------------------------------------------------------------- */

#define REVIEW_COLS "id, referral_id, date, finding, outcome, next_referral_id, note"

static int check_review(hw_store *st, const void *p) {
  const hw_review *v = p;
  int rc = require_row(st, sql_has_referral, v->referral_id, "review.referral_id", "referral");
  if (!rc) rc = require_row_opt(st, sql_has_referral, v->next_referral_id, "review.next_referral_id", "referral");
  return rc;
}

static int bind_review(hw_store *st, sqlite3_stmt *s, const void *p) {
  const hw_review *v = p;
  sqlite3_bind_int64(s, 2, v->referral_id);
  sqlite3_bind_int(s, 3, v->date);
  sqlite3_bind_int(s, 4, (int)v->finding);
  sqlite3_bind_int(s, 5, (int)v->outcome);
  hw__bind_id(s, 6, v->next_referral_id);
  return hw__bind_text_field(st, s, 7, v->note, sizeof v->note, "review.note");
}

static int read_review(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_review *v = p;
  v->id = sqlite3_column_int64(s, 0);
  v->referral_id = sqlite3_column_int64(s, 1);
  v->date = sqlite3_column_int(s, 2);
  v->finding = (hw_review_finding)sqlite3_column_int(s, 3);
  v->outcome = (hw_episode_outcome)sqlite3_column_int(s, 4);
  v->next_referral_id = hw__col_id(s, 5);
  hw__col_text(s, 6, v->note, sizeof v->note);
  return 0;
}

static const record_ops review_ops = {
    "review",
    "INSERT INTO reviews(" REVIEW_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7)",
    "UPDATE reviews SET referral_id=?2, date=?3, finding=?4, outcome=?5, next_referral_id=?6, note=?7 WHERE id=?1",
    "SELECT " REVIEW_COLS " FROM reviews WHERE id=?1",
    check_review, bind_review, read_review, NULL};

/* ---- The public insert/update/get, one trio per type ----------------------- */

#define HW_STORE_DEFINE(type)                                                        \
  int hw__store_insert_##type(hw_store *st, hw_##type *v, int keep_id) {             \
    return insert_record(st, &type##_ops, v, keep_id);                                \
  }                                                                                  \
  int hw_store_insert_##type(hw_store *st, hw_##type *v) {                           \
    return insert_record(st, &type##_ops, v, 0);                                      \
  }                                                                                  \
  int hw_store_update_##type(hw_store *st, const hw_##type *v) {                     \
    return update_record(st, &type##_ops, v);                                         \
  }                                                                                  \
  int hw_store_get_##type(hw_store *st, hw_id id, hw_##type *v) {                    \
    return get_record(st, &type##_ops, id, v, sizeof *v);                             \
  }
HW_STORE_DEFINE(locality)
HW_STORE_DEFINE(team)
HW_STORE_DEFINE(worker)
HW_STORE_DEFINE(absence)
HW_STORE_DEFINE(client)
HW_STORE_DEFINE(referral)
HW_STORE_DEFINE(discharge)
#undef HW_STORE_DEFINE

/* Visits come from the scheduler, never from a partnership file: no keep-id form. */
int hw_store_insert_visit(hw_store *st, hw_visit *v) { return insert_record(st, &visit_ops, v, 0); }
int hw_store_update_visit(hw_store *st, const hw_visit *v) { return update_record(st, &visit_ops, v); }
int hw_store_get_visit(hw_store *st, hw_id id, hw_visit *v) {
  return get_record(st, &visit_ops, id, v, sizeof *v);
}
int hw_store_insert_review(hw_store *st, hw_review *v) { return insert_record(st, &review_ops, v, 0); }
int hw_store_update_review(hw_store *st, const hw_review *v) { return update_record(st, &review_ops, v); }
int hw_store_get_review(hw_store *st, hw_id id, hw_review *v) {
  return get_record(st, &review_ops, id, v, sizeof *v);
}

/* ---- Lists ----------------------------------------------------------------- */

static const char sql_list_localities[] = "SELECT " LOCALITY_COLS " FROM localities ORDER BY id";
static const char sql_list_teams[] =
    "SELECT " TEAM_COLS " FROM teams WHERE ?1 = 0 OR locality_id = ?1 ORDER BY id";
static const char sql_list_workers[] =
    "SELECT " WORKER_COLS " FROM workers WHERE ?1 = 0"
    " OR team_id IN (SELECT id FROM teams WHERE locality_id = ?1) ORDER BY id";
static const char sql_list_clients[] =
    "SELECT " CLIENT_COLS " FROM clients WHERE ?1 = 0 OR locality_id = ?1 ORDER BY id";
static const char sql_list_absences[] =
    "SELECT " ABSENCE_COLS " FROM absences WHERE (?1 = 0 OR worker_id = ?1)"
    " AND from_at < ?3 AND to_at > ?2 ORDER BY id";
static const char sql_list_discharges[] =
    "SELECT " DISCHARGE_COLS " FROM discharges WHERE ?1 < 0 OR status = ?1 ORDER BY id";
static const char sql_list_referrals[] =
    "SELECT " REFERRAL_COLS " FROM referrals WHERE ?1 = 0 OR client_id = ?1 ORDER BY id";
static const char sql_list_referrals_where[] =
    "SELECT " REFERRAL_COLS " FROM referrals WHERE (?1 < 0 OR status = ?1)"
    " AND (?2 = 0 OR client_id IN (SELECT id FROM clients WHERE locality_id = ?2))"
    " ORDER BY received_at, id";
static const char sql_list_referral_visits[] =
    "SELECT " VISIT_COLS " FROM visits WHERE referral_id = ?1 AND date BETWEEN ?2 AND ?3"
    " ORDER BY date, window_start, id";
static const char sql_list_client_visits[] =
    "SELECT " VISIT_COLS " FROM visits WHERE client_id = ?1 AND date BETWEEN ?2 AND ?3"
    " ORDER BY date, window_start, id";
static const char sql_list_reviews[] =
    "SELECT " REVIEW_COLS " FROM reviews WHERE referral_id = ?1 ORDER BY date, id";
static const char sql_client_by_chi[] = "SELECT id FROM clients WHERE chi = ?1 AND chi <> ''";
/* A visit is served by the locality of its referral's team, or without one by
 * its client's locality; a referral likewise; a locality serves its own clients
 * and those of other localities its teams have taken on. */
#define SERVING_LOCALITY_OF_VISIT                                                                    \
  "coalesce((SELECT t.locality_id FROM referrals r JOIN teams t ON t.id = r.team_id"               \
  " WHERE r.id = visits.referral_id), (SELECT c.locality_id FROM clients c WHERE c.id = visits.client_id))"
#define TEAMS_OF_LOCALITY "(SELECT t.id FROM teams t WHERE t.locality_id = ?1)"
#define CLIENTS_OF_LOCALITY "(SELECT c.id FROM clients c WHERE c.locality_id = ?1)"
static const char sql_list_served_visits[] =
    "SELECT " VISIT_COLS " FROM visits WHERE date BETWEEN ?2 AND ?3 AND " SERVING_LOCALITY_OF_VISIT " = ?1"
    " ORDER BY date, window_start, id";
static const char sql_list_served_referrals[] =
    "SELECT " REFERRAL_COLS " FROM referrals WHERE team_id IN " TEAMS_OF_LOCALITY
    " OR ((team_id IS NULL OR team_id = 0) AND client_id IN " CLIENTS_OF_LOCALITY ") ORDER BY id";
static const char sql_list_served_clients[] =
    "SELECT " CLIENT_COLS " FROM clients WHERE locality_id = ?1"
    " OR id IN (SELECT client_id FROM referrals WHERE team_id IN " TEAMS_OF_LOCALITY ") ORDER BY id";
static const char sql_list_visits[] =
    "SELECT " VISIT_COLS " FROM visits WHERE date BETWEEN ?1 AND ?2"
    " AND (?3 = 0 OR client_id IN (SELECT id FROM clients WHERE locality_id = ?3))"
    " ORDER BY date, window_start, id";

/* Prepare sql, bind up to three int64 parameters, and collect the rows. */
static int list_query(hw_store *st, const char *sql, const record_ops *ops, size_t size, int n_params,
                      const int64_t *params, void **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql, &s);
  if (rc) return rc;
  for (int i = 0; i < n_params; i++) sqlite3_bind_int64(s, i + 1, params[i]);
  return collect_rows(st, s, ops, size, out, n);
}

int hw_store_list_localities(hw_store *st, hw_locality **out, int32_t *n) {
  void *arr = NULL;
  int rc = list_query(st, sql_list_localities, &locality_ops, sizeof **out, 0, NULL, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_teams(hw_store *st, hw_id locality_id, hw_team **out, int32_t *n) {
  int64_t p[1] = {locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_teams, &team_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_workers(hw_store *st, hw_id locality_id, hw_worker **out, int32_t *n) {
  int64_t p[1] = {locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_workers, &worker_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_clients(hw_store *st, hw_id locality_id, hw_client **out, int32_t *n) {
  int64_t p[1] = {locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_clients, &client_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_absences(hw_store *st, hw_id worker_id, hw_time from, hw_time to, hw_absence **out,
                           int32_t *n) {
  int64_t p[3] = {worker_id, from, to};
  void *arr = NULL;
  int rc = list_query(st, sql_list_absences, &absence_ops, sizeof **out, 3, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_discharges(hw_store *st, int status, hw_discharge **out, int32_t *n) {
  int64_t p[1] = {status};
  void *arr = NULL;
  int rc = list_query(st, sql_list_discharges, &discharge_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_referrals(hw_store *st, hw_id client_id, hw_referral **out, int32_t *n) {
  int64_t p[1] = {client_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_referrals, &referral_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_referrals_where(hw_store *st, int status, hw_id locality_id, hw_referral **out, int32_t *n) {
  int64_t p[2] = {status, locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_referrals_where, &referral_ops, sizeof **out, 2, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_referral_visits(hw_store *st, hw_id referral_id, hw_date from, hw_date to, hw_visit **out,
                                  int32_t *n) {
  int64_t p[3] = {referral_id, from, to};
  void *arr = NULL;
  int rc = list_query(st, sql_list_referral_visits, &visit_ops, sizeof **out, 3, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_client_visits(hw_store *st, hw_id client_id, hw_date from, hw_date to, hw_visit **out,
                                int32_t *n) {
  int64_t p[3] = {client_id, from, to};
  void *arr = NULL;
  int rc = list_query(st, sql_list_client_visits, &visit_ops, sizeof **out, 3, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_reviews(hw_store *st, hw_id referral_id, hw_review **out, int32_t *n) {
  int64_t p[1] = {referral_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_reviews, &review_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_find_client_by_chi(hw_store *st, const char *chi, hw_id *id) {
  *id = 0;
  if (!chi || !chi[0]) return hw__store_failf(st, HW_ENOTFOUND, "chi: empty");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_client_by_chi, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, chi, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  int err = rc == SQLITE_ROW    ? (*id = sqlite3_column_int64(s, 0), 0)
            : rc == SQLITE_DONE ? hw__store_failf(st, HW_ENOTFOUND, "chi: no client has it")
                                : hw__store_fail(st, rc);
  sqlite3_reset(s);
  return err;
}

int hw_store_list_served_visits(hw_store *st, hw_id locality_id, hw_date from, hw_date to, hw_visit **out,
                                int32_t *n) {
  int64_t p[3] = {locality_id, from, to};
  void *arr = NULL;
  int rc = list_query(st, sql_list_served_visits, &visit_ops, sizeof **out, 3, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_served_referrals(hw_store *st, hw_id locality_id, hw_referral **out, int32_t *n) {
  int64_t p[1] = {locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_served_referrals, &referral_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_served_clients(hw_store *st, hw_id locality_id, hw_client **out, int32_t *n) {
  int64_t p[1] = {locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_served_clients, &client_ops, sizeof **out, 1, p, &arr, n);
  *out = arr;
  return rc;
}

int hw_store_list_visits(hw_store *st, hw_date date_from, hw_date date_to, hw_id locality_id,
                         hw_visit **out, int32_t *n) {
  int64_t p[3] = {date_from, date_to, locality_id};
  void *arr = NULL;
  int rc = list_query(st, sql_list_visits, &visit_ops, sizeof **out, 3, p, &arr, n);
  *out = arr;
  return rc;
}

/* ---- Rosters --------------------------------------------------------------- */

static const char sql_roster_delete[] = "DELETE FROM rosters WHERE worker_id=?1 AND date=?2";
static const char sql_roster_insert[] =
    "INSERT INTO rosters(worker_id, date, seq, visit_id, planned_start, travel_seconds)"
    " VALUES(?1,?2,?3,?4,?5,?6)";
static const char sql_roster_get[] =
    "SELECT worker_id, date, seq, visit_id, planned_start, travel_seconds FROM rosters"
    " WHERE worker_id=?1 AND date=?2 ORDER BY seq";

static int check_roster_entry(hw_store *st, const hw_roster_entry *e, int32_t i, hw_id worker_id,
                              hw_date date) {
  char field[48];
  if (e->worker_id != 0 && e->worker_id != worker_id)
    return hw__store_failf(st, HW_EINVAL, "entries/%d/worker_id: %lld is not the roster's worker %lld", i,
                           (long long)e->worker_id, (long long)worker_id);
  if (e->date != 0 && e->date != date)
    return hw__store_failf(st, HW_EINVAL, "entries/%d/date: not the roster's date", i);
  if (e->travel_seconds < 0)
    return hw__store_failf(st, HW_EINVAL, "entries/%d/travel_seconds: negative", i);
  snprintf(field, sizeof field, "entries/%d/visit_id", i);
  return require_row(st, sql_has_visit, e->visit_id, field, "visit");
}

static int insert_roster_entry(hw_store *st, hw_id worker_id, hw_date date, int32_t seq,
                               const hw_roster_entry *e) {
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_roster_insert, &s);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, worker_id);
  sqlite3_bind_int(s, 2, date);
  sqlite3_bind_int(s, 3, seq);
  sqlite3_bind_int64(s, 4, e->visit_id);
  sqlite3_bind_int64(s, 5, e->planned_start);
  sqlite3_bind_int(s, 6, e->travel_seconds);
  return hw__store_step_done(st, s);
}

int hw_store_put_roster(hw_store *st, hw_id worker_id, hw_date date, const hw_roster_entry *entries,
                        int32_t n) {
  if (n < 0 || (n > 0 && !entries)) return hw__store_failf(st, HW_EINVAL, "entries: bad count %d", n);
  int rc = require_row(st, sql_has_worker, worker_id, "worker_id", "worker");
  for (int32_t i = 0; rc == 0 && i < n; i++) rc = check_roster_entry(st, &entries[i], i, worker_id, date);
  if (rc) return rc;
  if ((rc = hw__store_sp_begin(st))) return rc;
  sqlite3_stmt *s;
  if ((rc = hw__store_stmt(st, sql_roster_delete, &s)) == 0) {
    sqlite3_bind_int64(s, 1, worker_id);
    sqlite3_bind_int(s, 2, date);
    rc = hw__store_step_done(st, s);
  }
  for (int32_t i = 0; rc == 0 && i < n; i++) rc = insert_roster_entry(st, worker_id, date, i, &entries[i]);
  return hw__store_sp_end(st, rc);
}

int hw__store_read_roster_entry(hw_store *st, sqlite3_stmt *s, void *p) {
  (void)st;
  hw_roster_entry *e = p;
  e->worker_id = sqlite3_column_int64(s, 0);
  e->date = sqlite3_column_int(s, 1);
  e->seq = sqlite3_column_int(s, 2);
  e->visit_id = sqlite3_column_int64(s, 3);
  e->planned_start = sqlite3_column_int64(s, 4);
  e->travel_seconds = sqlite3_column_int(s, 5);
  return 0;
}

static const record_ops roster_ops = {"roster entry", NULL, NULL, NULL, NULL, NULL, hw__store_read_roster_entry, NULL};

int hw_store_get_roster(hw_store *st, hw_id worker_id, hw_date date, hw_roster_entry **out, int32_t *n) {
  int64_t p[2] = {worker_id, date};
  void *arr = NULL;
  int rc = list_query(st, sql_roster_get, &roster_ops, sizeof(hw_roster_entry), 2, p, &arr, n);
  *out = arr;
  return rc;
}

/* ---- API tokens ------------------------------------------------------------ */

static const char sql_token_insert[] =
    "INSERT INTO api_tokens(name, role, localities, token_hash, created_at, worker_id) VALUES(?1,?2,?3,?4,?5,?6)";
static const char sql_token_find[] =
    "SELECT id, name, role, localities, revoked_at IS NOT NULL, worker_id FROM api_tokens WHERE token_hash=?1";
static const char sql_token_revoke[] =
    "UPDATE api_tokens SET revoked_at=?2 WHERE name=?1 AND revoked_at IS NULL";

static int check_token_text(hw_store *st, const char *text, size_t max_len, const char *field) {
  if (!text || !text[0]) return hw__store_failf(st, HW_EINVAL, "%s: missing", field);
  if (strlen(text) > max_len)
    return hw__store_failf(st, HW_EINVAL, "%s: longer than %zu characters", field, max_len);
  return 0;
}

/* One INSERT, so a worker's token never exists unbound to its worker. */
static int insert_token_row(hw_store *st, const char *name, const char *role, const char *localities,
                            const char *hash_hex, hw_time now, hw_id worker_id, hw_id *id) {
  hw_token_row row;
  if (!localities) localities = "";
  int rc = check_token_text(st, name, sizeof row.name - 1, "name");
  if (!rc) rc = check_token_text(st, role, sizeof row.role - 1, "role");
  if (!rc && strlen(localities) > sizeof row.localities - 1)
    rc = hw__store_failf(st, HW_EINVAL, "localities: longer than %zu characters", sizeof row.localities - 1);
  if (!rc) rc = check_token_text(st, hash_hex, 1024, "hash");
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = hw__store_stmt(st, sql_token_insert, &s))) return rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, localities, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, now);
  if (worker_id) sqlite3_bind_int64(s, 6, worker_id);
  else sqlite3_bind_null(s, 6);
  rc = hw__store_step_done(st, s);
  if (rc == HW_ECONFLICT) return hw__store_failf(st, rc, "name: a token named '%s' (or with this hash) exists", name);
  if (rc) return rc;
  if (id) *id = sqlite3_last_insert_rowid(st->db);
  return 0;
}

int hw_store_insert_token(hw_store *st, const char *name, const char *role, const char *localities,
                          const char *hash_hex, hw_time now, hw_id *id) {
  return insert_token_row(st, name, role, localities, hash_hex, now, 0, id);
}

int hw_store_insert_worker_token(hw_store *st, const char *name, const char *localities, const char *hash_hex,
                                 hw_time now, hw_id worker_id, hw_id *id) {
  int rc = require_row(st, sql_has_worker, worker_id, "worker_id", "worker");
  return rc ? rc : insert_token_row(st, name, "worker", localities, hash_hex, now, worker_id, id);
}

int hw_store_find_token(hw_store *st, const char *hash_hex, hw_token_row *out) {
  if (!hash_hex || !hash_hex[0]) return hw__store_failf(st, HW_EINVAL, "hash: missing");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_token_find, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, hash_hex, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  int err = 0;
  if (rc == SQLITE_ROW) {
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    hw__col_text(s, 1, out->name, sizeof out->name);
    hw__col_text(s, 2, out->role, sizeof out->role);
    hw__col_text(s, 3, out->localities, sizeof out->localities);
    out->revoked = sqlite3_column_int(s, 4);
    out->worker_id = hw__col_id(s, 5);
  } else {
    err = rc == SQLITE_DONE ? hw__store_failf(st, HW_ENOTFOUND, "token: not found") : hw__store_fail(st, rc);
  }
  sqlite3_reset(s);
  return err;
}

int hw_store_revoke_token(hw_store *st, const char *name, hw_time now) {
  if (!name || !name[0]) return hw__store_failf(st, HW_EINVAL, "name: missing");
  sqlite3_stmt *s;
  int rc = hw__store_stmt(st, sql_token_revoke, &s);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, now);
  if ((rc = hw__store_step_done(st, s))) return rc;
  if (sqlite3_changes(st->db) == 0)
    return hw__store_failf(st, HW_ENOTFOUND, "name: no active token named '%s'", name);
  return 0;
}
