/*
 * CSV import of workers and clients (hw_csv.h), in three steps that never mix:
 * libcsv turns the bytes into a table of strings; each row is checked column by
 * column into a domain record, collecting every problem; only when there are none
 * are the records stored, in one batch that is rolled back whole if the store
 * refuses any of them.
 */
#include "hw_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_records.h"

#define MAX_COLUMNS 32
#define MAX_ROWS 200000

/* ---- Reading the table --------------------------------------------------------- */

typedef struct row {
  int32_t n;
  char *fields[MAX_COLUMNS];
  int32_t extra; /* fields beyond MAX_COLUMNS (counted, not kept) */
} row;

typedef struct table {
  int32_t n, cap;
  row *rows;
  row cur;
  int failed; /* out of memory or too many rows */
} table;

static void on_field(void *s, size_t len, void *data) {
  table *t = data;
  if (t->failed) return;
  if (t->cur.n >= MAX_COLUMNS) {
    t->cur.extra++;
    return;
  }
  char *copy = malloc(len + 1);
  if (!copy) {
    t->failed = HW_ENOMEM;
    return;
  }
  if (len) memcpy(copy, s, len);
  copy[len] = '\0';
  t->cur.fields[t->cur.n++] = copy;
}

static void on_row(int c, void *data) {
  (void)c;
  table *t = data;
  if (t->failed) return;
  if (t->n >= MAX_ROWS) {
    t->failed = HW_ETOOLARGE;
    return;
  }
  if (t->n == t->cap) {
    int32_t ncap = t->cap ? t->cap * 2 : 64;
    row *grown = realloc(t->rows, (size_t)ncap * sizeof *grown);
    if (!grown) {
      t->failed = HW_ENOMEM;
      return;
    }
    t->rows = grown;
    t->cap = ncap;
  }
  t->rows[t->n++] = t->cur;
  memset(&t->cur, 0, sizeof t->cur);
}

static void free_row(row *r) {
  for (int32_t i = 0; i < r->n; i++) free(r->fields[i]);
}

static void free_table(table *t) {
  for (int32_t i = 0; i < t->n; i++) free_row(&t->rows[i]);
  free_row(&t->cur);
  free(t->rows);
}

/* Parse text into t; on a syntax error adds a "file" error and returns HW_EINVAL. */
static int read_table(const char *text, size_t len, table *t, hw_errors *errs) {
  struct csv_parser p;
  memset(t, 0, sizeof *t);
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) return HW_ENOMEM;
  int rc = 0;
  if (csv_parse(&p, text, len, on_field, on_row, t) != len || csv_fini(&p, on_field, on_row, t) != 0) {
    if (csv_error(&p) == CSV_ENOMEM) rc = HW_ENOMEM;
    else {
      /* libcsv does not say where; the records read so far tell the reader. */
      hw_errors_add(errs, "file", "malformed CSV after row %d: %s (check the quotes)", (int)t->n,
                    csv_strerror(csv_error(&p)));
      rc = HW_EINVAL;
    }
  }
  csv_free(&p);
  if (!rc && t->failed == HW_ETOOLARGE) {
    hw_errors_add(errs, "file", "more than %d rows", MAX_ROWS);
    rc = HW_EINVAL;
  } else if (!rc && t->failed) {
    rc = t->failed;
  }
  return rc;
}

/* ---- Columns ---------------------------------------------------------------------- */

typedef struct column_spec {
  const char *name;
  int required;
} column_spec;

static const column_spec worker_columns[] = {
    {"team", 1},   {"name", 1},      {"lat", 1},       {"lon", 1},    {"contracted_hours", 1},
    {"travel", 0}, {"gender", 0},    {"languages", 0}, {"skills", 0}, {"shifts", 0},
};
static const column_spec client_columns[] = {
    {"locality", 1},          {"name", 1},     {"lat", 1},               {"lon", 1},
    {"chi", 0},               {"carer_gender", 0}, {"carer_gender_hard", 0}, {"language", 0},
    {"preferred_workers", 0}, {"excluded_workers", 0},
};
/* One row per visit of a care plan; rows with the same "referral" label are one
 * referral (its client, source and dates must agree across them). */
static const column_spec referral_columns[] = {
    {"referral", 1}, {"client_id", 1},  {"source", 0},   {"start_date", 1}, {"end_date", 0},
    {"days", 1},     {"window_start", 1}, {"window_end", 1}, {"duration", 1}, {"skills", 0},
    {"workers", 0},  {"medication", 0}, {"prescribed", 0},
};
#define N_REFERRAL_COLUMNS ((int)(sizeof referral_columns / sizeof referral_columns[0]))
#define N_WORKER_COLUMNS ((int)(sizeof worker_columns / sizeof worker_columns[0]))
#define N_CLIENT_COLUMNS ((int)(sizeof client_columns / sizeof client_columns[0]))

/* Where each known column is in the file (-1: absent). */
typedef struct layout {
  const column_spec *spec;
  int n_spec;
  int at[MAX_COLUMNS];
  int32_t n_fields; /* fields per row */
} layout;

static int header_has(const row *h, const char *name) {
  for (int32_t i = 0; i < h->n; i++)
    if (strcmp(h->fields[i], name) == 0) return 1;
  return 0;
}

static hw_csv_kind detect_kind(const row *h, hw_errors *errs) {
  if (header_has(h, "referral")) return HW_CSV_REFERRALS;
  int workers = header_has(h, "team"), clients = header_has(h, "locality");
  if (workers != clients) return workers ? HW_CSV_WORKERS : HW_CSV_CLIENTS;
  hw_errors_add(errs, "row 1", "cannot tell workers from clients: the header needs a \"team\" column "
                               "(workers) or a \"locality\" column (clients), or give the kind");
  return HW_CSV_AUTO;
}

static void check_header(const row *h, hw_csv_kind kind, layout *lay, hw_errors *errs) {
  lay->spec = kind == HW_CSV_WORKERS ? worker_columns : kind == HW_CSV_REFERRALS ? referral_columns : client_columns;
  lay->n_spec = kind == HW_CSV_WORKERS ? N_WORKER_COLUMNS : kind == HW_CSV_REFERRALS ? N_REFERRAL_COLUMNS : N_CLIENT_COLUMNS;
  lay->n_fields = h->n;
  for (int c = 0; c < lay->n_spec; c++) lay->at[c] = -1;
  if (h->extra) hw_errors_add(errs, "row 1", "more than %d columns", MAX_COLUMNS);
  for (int32_t i = 0; i < h->n; i++) {
    char path[128];
    snprintf(path, sizeof path, "row 1, column %.64s", h->fields[i]);
    int known = -1;
    for (int c = 0; c < lay->n_spec; c++)
      if (strcmp(h->fields[i], lay->spec[c].name) == 0) known = c;
    if (known < 0) hw_errors_add(errs, path, "unknown column for %s", hw_csv_kind_name(kind));
    else if (lay->at[known] >= 0) hw_errors_add(errs, path, "column appears twice");
    else lay->at[known] = (int)i;
  }
  for (int c = 0; c < lay->n_spec; c++)
    if (lay->spec[c].required && lay->at[c] < 0) {
      char path[128];
      snprintf(path, sizeof path, "row 1, column %s", lay->spec[c].name);
      hw_errors_add(errs, path, "required column is missing");
    }
}

/* ---- Checking one value ------------------------------------------------------------ */

/* The row being checked: its number, fields and where problems go. */
typedef struct cell_ctx {
  const layout *lay;
  const row *r;
  int32_t number; /* spreadsheet row number */
  hw_errors *errs;
  int bad;        /* problems found in this row */
} cell_ctx;

static const char *cell(const cell_ctx *cx, const char *name) {
  for (int c = 0; c < cx->lay->n_spec; c++)
    if (strcmp(cx->lay->spec[c].name, name) == 0) {
      int at = cx->lay->at[c];
      return at >= 0 && at < cx->r->n ? cx->r->fields[at] : "";
    }
  return "";
}

static void cell_error(cell_ctx *cx, const char *column, const char *fmt, const char *detail) {
  char path[128];
  snprintf(path, sizeof path, "row %d, column %s", (int)cx->number, column);
  hw_errors_add(cx->errs, path, fmt, detail);
  cx->bad++;
}

static void copy_text(cell_ctx *cx, const char *column, char *out, size_t len, int required) {
  const char *v = cell(cx, column);
  if (required && !v[0]) cell_error(cx, column, "%s", "must not be empty");
  else if (strlen(v) >= len) cell_error(cx, column, "%s", "is too long");
  else snprintf(out, len, "%s", v);
}

/* v*10 + digit, or -1 when that would not fit in an int64_t. */
static int push_digit(int64_t *v, int digit) {
  if (*v > (INT64_MAX - digit) / 10) return -1;
  *v = *v * 10 + digit;
  return 0;
}

/* A decimal number with at most `places` decimals, scaled by 10^places; -1 when
 * malformed or too large for an int64_t once scaled. */
static int parse_fixed(const char *s, int places, int64_t *out) {
  int neg = *s == '-';
  if (*s == '-' || *s == '+') s++;
  if (!(*s >= '0' && *s <= '9')) return -1;
  int64_t v = 0;
  while (*s >= '0' && *s <= '9')
    if (push_digit(&v, *s++ - '0')) return -1;
  int d = 0;
  if (*s == '.') {
    s++;
    for (; *s >= '0' && *s <= '9' && d < places; d++)
      if (push_digit(&v, *s++ - '0')) return -1;
    if (*s >= '0' && *s <= '9') return -1; /* more decimals than allowed */
  }
  if (*s) return -1;
  for (; d < places; d++)
    if (push_digit(&v, 0)) return -1;
  *out = neg ? -v : v;
  return 0;
}

static void parse_coordinate(cell_ctx *cx, const char *column, int32_t limit, int32_t *out) {
  int64_t v;
  if (parse_fixed(cell(cx, column), 6, &v) != 0)
    cell_error(cx, column, "%s", "must be decimal degrees with at most 6 decimals (55.8663)");
  else if (v < -(int64_t)limit * 1000000 || v > (int64_t)limit * 1000000)
    cell_error(cx, column, limit == 90 ? "%s between -90 and 90" : "%s between -180 and 180", "must be");
  else *out = (int32_t)v;
}

/* Split s at ';' into at most max trimmed items (NUL-terminated in buf). */
static int split_list(const char *s, char *buf, size_t len, char **items, int max) {
  snprintf(buf, len, "%s", s);
  int n = 0;
  for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
    while (*tok == ' ') tok++;
    char *end = tok + strlen(tok);
    while (end > tok && end[-1] == ' ') *--end = '\0';
    if (!*tok) continue;
    if (n == max) return -1;
    items[n++] = tok;
  }
  return n;
}

static int parse_gender(const char *s, hw_gender *out) {
  for (int g = 0; g < HW_GENDER_COUNT; g++)
    if (strcmp(s, hw_gender_name((hw_gender)g)) == 0) {
      *out = (hw_gender)g;
      return 0;
    }
  return -1;
}

static int valid_language(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 3) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < 'a' || s[i] > 'z') return 0;
  return 1;
}

/* ---- Workers ------------------------------------------------------------------------ */

/* Everything in the store that rows may refer to. */
typedef struct known {
  hw_team *teams;
  int32_t n_teams;
  hw_locality *localities;
  int32_t n_localities;
  hw_store *st;
} known;

static hw_id find_team(const known *k, const char *s) {
  char *end;
  long long id = strtoll(s, &end, 10);
  for (int32_t i = 0; i < k->n_teams; i++)
    if ((*s && !*end && k->teams[i].id == id) || strcmp(k->teams[i].name, s) == 0) return k->teams[i].id;
  return 0;
}

static hw_id find_locality(const known *k, const char *s) {
  char *end;
  long long id = strtoll(s, &end, 10);
  for (int32_t i = 0; i < k->n_localities; i++)
    if ((*s && !*end && k->localities[i].id == id) || strcmp(k->localities[i].name, s) == 0)
      return k->localities[i].id;
  return 0;
}

static void parse_skills(cell_ctx *cx, hw_worker *w) {
  char buf[512], *items[HW_MAX_WORKER_SKILLS];
  int n = split_list(cell(cx, "skills"), buf, sizeof buf, items, HW_MAX_WORKER_SKILLS);
  if (n < 0) {
    cell_error(cx, "skills", "%s", "lists more than 8 skills");
    return;
  }
  for (int i = 0; i < n; i++) {
    char *colon = strchr(items[i], ':');
    if (colon) *colon = '\0';
    hw_skill s;
    hw_date until = HW_DATE_NONE;
    const char *why = NULL;
    if (hw_skill_parse(items[i], &s) != 0) {
      cell_error(cx, "skills", "unknown skill \"%.40s\"", items[i]);
      continue;
    }
    if (colon && hw_date_parse(colon + 1, &until, &why) != 0) {
      cell_error(cx, "skills", "valid-until date must be YYYY-MM-DD (\"%.40s\")", colon + 1);
      continue;
    }
    for (int32_t k = 0; k < w->n_skills; k++)
      if (w->skills[k].skill == s) {
        cell_error(cx, "skills", "skill \"%s\" is listed twice", hw_skill_name(s));
        s = HW_SKILL_COUNT;
      }
    if (s == HW_SKILL_COUNT) continue;
    w->skills[w->n_skills].skill = s;
    w->skills[w->n_skills++].valid_until = until;
  }
}

static int parse_weekday(const char *s) {
  static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int d = 0; d < 7; d++)
    if (strncmp(s, days[d], 3) == 0 && s[3] == ' ') return d;
  return -1;
}

/* One shift "mon 07:00-13:00" or "mon 07:00-13:00/30" (a 30-minute break taken
 * anywhere in the shift). Returns 0 or -1 with *why set. */
static int parse_shift(char *s, hw_shift *out, const char **why) {
  int day = parse_weekday(s);
  if (day < 0) {
    *why = "must start with a weekday mon..sun and a space";
    return -1;
  }
  char *range = s + 4, *dash = strchr(range, '-'), *slash = strchr(range, '/');
  if (!dash) {
    *why = "needs hours HH:MM-HH:MM";
    return -1;
  }
  *dash = '\0';
  if (slash) *slash = '\0';
  int from, to;
  if (hw_minute_parse(range, &from, why) != 0 || hw_minute_parse(dash + 1, &to, why) != 0) return -1;
  if (to <= from) {
    *why = "must end after it starts";
    return -1;
  }
  memset(out, 0, sizeof *out);
  out->weekday = (uint8_t)day;
  out->hours.start = (int16_t)from;
  out->hours.end = (int16_t)to;
  if (slash) {
    int64_t minutes;
    if (parse_fixed(slash + 1, 0, &minutes) != 0 || minutes < 1 || minutes >= to - from) {
      *why = "break after '/' must be whole minutes shorter than the shift";
      return -1;
    }
    out->break_window = out->hours;
    out->break_minutes = (int16_t)minutes;
  }
  return 0;
}

static void parse_shifts(cell_ctx *cx, hw_worker *w) {
  char buf[1024], *items[HW_MAX_SHIFTS];
  int n = split_list(cell(cx, "shifts"), buf, sizeof buf, items, HW_MAX_SHIFTS);
  if (n < 0) {
    cell_error(cx, "shifts", "%s", "lists more than 14 shifts");
    return;
  }
  for (int i = 0; i < n; i++) {
    char item[64];
    snprintf(item, sizeof item, "%s", items[i]);
    const char *why = NULL;
    if (parse_shift(items[i], &w->shifts[w->n_shifts], &why) != 0) {
      char detail[160];
      snprintf(detail, sizeof detail, "shift \"%.40s\": %.100s", item, why);
      cell_error(cx, "shifts", "%s", detail);
      continue;
    }
    w->n_shifts++;
  }
}

static void parse_languages(cell_ctx *cx, const char *column, char (*langs)[8], int32_t *n, int max) {
  char buf[256], *items[HW_MAX_LANGUAGES];
  int k = split_list(cell(cx, column), buf, sizeof buf, items, max);
  if (k < 0) {
    cell_error(cx, column, "%s", "lists too many languages");
    return;
  }
  *n = 0;
  for (int i = 0; i < k; i++) {
    if (!valid_language(items[i])) cell_error(cx, column, "\"%.20s\" is not a language code of 2 or 3 lowercase letters", items[i]);
    else snprintf(langs[(*n)++], 8, "%s", items[i]);
  }
}

static void parse_worker(cell_ctx *cx, const known *k, hw_worker *w) {
  memset(w, 0, sizeof *w);
  w->active = 1;
  const char *team = cell(cx, "team");
  if (!(w->team_id = find_team(k, team))) cell_error(cx, "team", "no team with id or name \"%.60s\"", team);
  copy_text(cx, "name", w->name, sizeof w->name, 1);
  parse_coordinate(cx, "lat", 90, &w->base.lat_e6);
  parse_coordinate(cx, "lon", 180, &w->base.lon_e6);
  int64_t hundredths;
  if (parse_fixed(cell(cx, "contracted_hours"), 2, &hundredths) != 0 || hundredths < 100 || hundredths > 4800)
    cell_error(cx, "contracted_hours", "%s", "must be hours a week between 1 and 48 (37.5)");
  else w->contracted_minutes = (int32_t)((hundredths * 60 + 50) / 100);
  const char *travel = cell(cx, "travel");
  if (!*travel || strcmp(travel, "drive") == 0) w->travel = HW_TRAVEL_DRIVE;
  else if (strcmp(travel, "walk") == 0) w->travel = HW_TRAVEL_WALK;
  else cell_error(cx, "travel", "%s", "must be drive or walk");
  const char *gender = cell(cx, "gender");
  if (*gender && parse_gender(gender, &w->gender) != 0) cell_error(cx, "gender", "%s", "must be female, male or unspecified");
  parse_languages(cx, "languages", w->languages, &w->n_languages, HW_MAX_LANGUAGES);
  if (w->n_languages == 0) {
    strcpy(w->languages[0], "en");
    w->n_languages = 1;
  }
  parse_skills(cx, w);
  parse_shifts(cx, w);
}

/* ---- Clients ------------------------------------------------------------------------ */

static void parse_worker_ids(cell_ctx *cx, const known *k, const char *column, hw_id *ids, int32_t *n) {
  char buf[512], *items[HW_MAX_CLIENT_PREFS];
  int count = split_list(cell(cx, column), buf, sizeof buf, items, HW_MAX_CLIENT_PREFS);
  if (count < 0) {
    cell_error(cx, column, "%s", "lists more than 8 workers");
    return;
  }
  *n = 0;
  for (int i = 0; i < count; i++) {
    int64_t id;
    hw_worker w;
    if (parse_fixed(items[i], 0, &id) != 0 || id < 1) {
      cell_error(cx, column, "\"%.20s\" is not a worker id", items[i]);
      continue;
    }
    if (hw_store_get_worker(k->st, id, &w) != 0) {
      cell_error(cx, column, "no worker with id %.20s", items[i]);
      continue;
    }
    ids[(*n)++] = id;
  }
}

static int parse_yes_no(const char *s, int32_t *out) {
  if (!*s || !strcmp(s, "no") || !strcmp(s, "0") || !strcmp(s, "false")) *out = 0;
  else if (!strcmp(s, "yes") || !strcmp(s, "1") || !strcmp(s, "true")) *out = 1;
  else return -1;
  return 0;
}

static void parse_client(cell_ctx *cx, const known *k, hw_client *c) {
  memset(c, 0, sizeof *c);
  const char *loc = cell(cx, "locality");
  if (!(c->locality_id = find_locality(k, loc))) cell_error(cx, "locality", "no locality with id or name \"%.60s\"", loc);
  copy_text(cx, "name", c->name, sizeof c->name, 1);
  parse_coordinate(cx, "lat", 90, &c->location.lat_e6);
  parse_coordinate(cx, "lon", 180, &c->location.lon_e6);
  const char *chi = cell(cx, "chi"), *why = NULL;
  if (*chi && hw_chi_validate(chi, &why) != 0) cell_error(cx, "chi", "%s", why);
  else snprintf(c->chi, sizeof c->chi, "%s", chi);
  const char *gender = cell(cx, "carer_gender");
  if (*gender && parse_gender(gender, &c->carer_gender) != 0)
    cell_error(cx, "carer_gender", "%s", "must be female, male or unspecified");
  if (parse_yes_no(cell(cx, "carer_gender_hard"), &c->carer_gender_hard) != 0)
    cell_error(cx, "carer_gender_hard", "%s", "must be yes or no");
  const char *lang = cell(cx, "language");
  if (*lang && !valid_language(lang)) cell_error(cx, "language", "%s", "must be a language code of 2 or 3 lowercase letters (\"pl\")");
  else snprintf(c->language, sizeof c->language, "%s", lang);
  parse_worker_ids(cx, k, "preferred_workers", c->preferred_workers, &c->n_preferred);
  parse_worker_ids(cx, k, "excluded_workers", c->excluded_workers, &c->n_excluded);
  for (int32_t i = 0; i < c->n_excluded; i++)
    for (int32_t j = 0; j < c->n_preferred; j++)
      if (c->excluded_workers[i] == c->preferred_workers[j])
        cell_error(cx, "excluded_workers", "%s", "a worker cannot be both preferred and excluded");
}

/* ---- Storing --------------------------------------------------------------------------- */

typedef struct records {
  hw_csv_kind kind;
  int32_t n;
  hw_worker *workers;
  hw_client *clients;
} records;

static int insert_one_worker(hw_store *st, void *ctx, char **result) {
  (void)result;
  return hw_store_insert_worker(st, ctx);
}

static int insert_one_client(hw_store *st, void *ctx, char **result) {
  (void)result;
  return hw_store_insert_client(st, ctx);
}

static uint64_t fnv1a(const char *s, size_t len) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
  return h;
}

/* The row's event carries the record the way the service's events do ({"workers":
 * [...]} or {"clients":[...]}) and its locality, so a locality's readers see it. */
static int store_row(hw_store *st, records *recs, int32_t i, hw_event *ev, hw_apply_result *res) {
  hw_records rec;
  hw_records_init(&rec);
  int rc = 0;
  if (recs->kind == HW_CSV_WORKERS) {
    hw_team team;
    rc = hw_store_get_team(st, recs->workers[i].team_id, &team);
    ev->locality_id = rc == 0 ? team.locality_id : 0;
    if (rc == 0) rc = hw_records_add_worker(&rec, &recs->workers[i]);
  } else {
    ev->locality_id = recs->clients[i].locality_id;
    rc = hw_records_add_client(&rec, &recs->clients[i]);
  }
  ev->payload = rc == 0 ? hw_records_payload(&rec) : NULL;
  hw_records_free(&rec);
  if (rc) return rc;
  if (!ev->payload) return HW_ENOMEM;
  rc = 0;
  rc = recs->kind == HW_CSV_WORKERS ? hw_store_apply(st, ev, insert_one_worker, &recs->workers[i], res)
                                    : hw_store_apply(st, ev, insert_one_client, &recs->clients[i], res);
  free(ev->payload);
  ev->payload = NULL;
  return rc;
}

static int store_all(hw_store *st, records *recs, uint64_t hash, const char *actor, hw_time now, hw_csv_report *rep) {
  int rc = hw_store_batch_begin(st);
  if (rc) return rc;
  for (int32_t i = 0; i < recs->n && !rc; i++) {
    hw_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "%s", recs->kind == HW_CSV_WORKERS ? "worker.created" : "client.created");
    snprintf(ev.actor, sizeof ev.actor, "%s", actor);
    snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "csv-%016llx-row%d", (unsigned long long)hash, (int)(i + 2));
    ev.received_at = now;
    hw_apply_result res = {0};
    rc = store_row(st, recs, i, &ev, &res);
    free(res.result);
    if (rc) {
      char path[32];
      snprintf(path, sizeof path, "row %d", (int)(i + 2));
      hw_errors_add(&rep->errors, path, "the store refused it: %s (%s)", hw_strerror(rc), hw_store_errmsg(st));
    } else if (res.replayed) {
      rep->replayed++;
    } else {
      rep->inserted++;
    }
  }
  if (!rc) rc = hw_store_batch_commit(st);
  if (rc) {
    hw_store_batch_rollback(st);
    rep->inserted = rep->replayed = 0;
  }
  return rc;
}

/* ---- Referrals (parsed only: the service allocates and stores them) --------------------------- */

static int parse_minute_of_day(const char *s, int16_t *out) {
  int h, m;
  char tail;
  if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 || m < 0 || m > 59 || h * 60 + m > 1440) return -1;
  *out = (int16_t)(h * 60 + m);
  return 0;
}

/* "mon;tue;wed" (or separated by spaces), or "daily" / "weekdays". */
static int parse_days(const char *s, uint8_t *out) {
  static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (!strcmp(s, "daily")) return (*out = 0x7f), 0;
  if (!strcmp(s, "weekdays")) return (*out = 0x1f), 0;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", s);
  *out = 0;
  for (char *save = NULL, *tok = strtok_r(buf, "; ", &save); tok; tok = strtok_r(NULL, "; ", &save)) {
    int d = -1;
    for (int k = 0; k < 7; k++)
      if (!strcmp(tok, names[k])) d = k;
    if (d < 0) return -1;
    *out |= (uint8_t)(1u << d);
  }
  return *out ? 0 : -1;
}

static void parse_template_skills(cell_ctx *cx, hw_visit_template *t) {
  char buf[256], *items[HW_SKILL_COUNT + 4];
  int n = split_list(cell(cx, "skills"), buf, sizeof buf, items, HW_SKILL_COUNT + 4);
  for (int i = 0; i < n; i++) {
    hw_skill sk;
    if (hw_skill_parse(items[i], &sk) != 0) cell_error(cx, "skills", "unknown skill \"%.40s\"", items[i]);
    else t->skills |= 1u << sk;
  }
}

static void parse_int_cell(cell_ctx *cx, const char *column, int64_t min, int64_t max, int64_t dflt, int64_t *out) {
  const char *s = cell(cx, column);
  char *end;
  *out = dflt;
  if (!*s) return;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || v < min || v > max) {
    char why[64];
    snprintf(why, sizeof why, "must be a whole number from %lld to %lld", (long long)min, (long long)max);
    cell_error(cx, column, "%s", why);
  } else {
    *out = v;
  }
}

/* One row's visit of the care plan. */
static void parse_template(cell_ctx *cx, hw_visit_template *t) {
  memset(t, 0, sizeof *t);
  if (parse_days(cell(cx, "days"), &t->weekdays)) cell_error(cx, "days", "%s", "must be days (mon..sun), daily or weekdays");
  if (parse_minute_of_day(cell(cx, "window_start"), &t->window.start)) cell_error(cx, "window_start", "%s", "must be HH:MM");
  if (parse_minute_of_day(cell(cx, "window_end"), &t->window.end)) cell_error(cx, "window_end", "%s", "must be HH:MM");
  else if (t->window.end <= t->window.start) cell_error(cx, "window_end", "%s", "must be after window_start");
  int64_t v;
  parse_int_cell(cx, "duration", 5, 240, 0, &v);
  if (!cell(cx, "duration")[0]) cell_error(cx, "duration", "%s", "must not be empty");
  t->duration = (int16_t)v;
  parse_int_cell(cx, "workers", 1, 2, 1, &v);
  t->workers = (uint8_t)v;
  parse_template_skills(cx, t);
  int32_t med = 0;
  if (parse_yes_no(cell(cx, "medication"), &med) != 0) cell_error(cx, "medication", "%s", "must be yes or no");
  t->medication = (uint8_t)med;
  const char *pres = cell(cx, "prescribed");
  if (med) {
    t->skills |= 1u << HW_SKILL_MEDICATION;
    if (parse_minute_of_day(pres, &t->prescribed_minute)) cell_error(cx, "prescribed", "%s", "must be HH:MM when medication is yes");
    else if (t->prescribed_minute < t->window.start || t->prescribed_minute > t->window.end)
      cell_error(cx, "prescribed", "%s", "must be within the window");
  } else if (*pres) {
    cell_error(cx, "prescribed", "%s", "only with medication yes");
  }
}

/* The referral-level columns of a row into r. */
static void parse_referral_head(cell_ctx *cx, hw_referral *r) {
  int64_t id;
  parse_int_cell(cx, "client_id", 1, INT64_MAX, 0, &id);
  r->client_id = id;
  const char *src = cell(cx, "source");
  r->source = HW_SOURCE_COMMUNITY;
  if (*src && !strcmp(src, "hospital")) r->source = HW_SOURCE_HOSPITAL;
  else if (*src && !strcmp(src, "change_of_need")) r->source = HW_SOURCE_CHANGE_OF_NEED;
  else if (*src && strcmp(src, "community")) cell_error(cx, "source", "%s", "must be community, hospital or change_of_need");
  const char *why = NULL;
  if (hw_date_parse(cell(cx, "start_date"), &r->start_date, &why)) cell_error(cx, "start_date", "%s", why);
  r->end_date = HW_DATE_NONE;
  const char *end = cell(cx, "end_date");
  if (*end && hw_date_parse(end, &r->end_date, &why)) cell_error(cx, "end_date", "%s", why);
  else if (*end && r->end_date < r->start_date) cell_error(cx, "end_date", "%s", "must not be before start_date");
  r->pathway = HW_PATHWAY_REABLEMENT;
  r->status = HW_REFERRAL_WAITING;
  r->earliest = HW_DATE_NONE;
}

static int same_head(const hw_referral *a, const hw_referral *b) {
  return a->client_id == b->client_id && a->source == b->source && a->start_date == b->start_date &&
         a->end_date == b->end_date;
}

/* Group the rows into referrals by label (first appearance order). */
static int collect_referrals(const table *t, const layout *lay, hw_referral *out, int32_t *first_row,
                             char (*labels)[64], int32_t *n, hw_csv_report *rep) {
  for (int32_t i = 1; i < t->n; i++) {
    cell_ctx cx = {lay, &t->rows[i], i + 1, &rep->errors, 0};
    if (t->rows[i].n + t->rows[i].extra != lay->n_fields) {
      char path[32];
      snprintf(path, sizeof path, "row %d", (int)(i + 1));
      hw_errors_add(&rep->errors, path, "has %d fields, the header has %d", (int)(t->rows[i].n + t->rows[i].extra),
                    (int)lay->n_fields);
      continue;
    }
    const char *label = cell(&cx, "referral");
    if (!*label || strlen(label) >= 64) {
      cell_error(&cx, "referral", "%s", "must be a label of 1..63 characters naming the referral");
      continue;
    }
    hw_referral head;
    memset(&head, 0, sizeof head);
    parse_referral_head(&cx, &head);
    int32_t k = 0;
    while (k < *n && strcmp(labels[k], label) != 0) k++;
    if (k == *n) {
      out[k] = head;
      first_row[k] = i + 1;
      snprintf(labels[k], sizeof labels[k], "%s", label);
      (*n)++;
    } else if (!same_head(&out[k], &head)) {
      cell_error(&cx, "referral", "%s", "client_id, source and dates must be the same on every row of a referral");
    }
    if (out[k].n_templates == HW_MAX_TEMPLATES) cell_error(&cx, "referral", "%s", "has too many visits");
    else parse_template(&cx, &out[k].templates[out[k].n_templates++]);
  }
  return 0;
}

int hw_csv_parse_referrals(const char *text, size_t len, hw_referral **out, int32_t **first_row, int32_t *n,
                           hw_csv_report *rep) {
  memset(rep, 0, sizeof *rep);
  hw_errors_init(&rep->errors);
  rep->kind = HW_CSV_REFERRALS;
  *out = NULL;
  *first_row = NULL;
  *n = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
  }
  table t;
  int rc = read_table(text, len, &t, &rep->errors);
  if (!rc && t.n < 2) {
    hw_errors_add(&rep->errors, "file", "needs a header row and at least one referral row");
    rc = HW_EINVAL;
  }
  layout lay;
  if (!rc) {
    check_header(&t.rows[0], HW_CSV_REFERRALS, &lay, &rep->errors);
    if (rep->errors.n) rc = HW_EINVAL;
  }
  hw_referral *rs = rc ? NULL : calloc((size_t)t.n, sizeof *rs);
  int32_t *rows = rc ? NULL : calloc((size_t)t.n, sizeof *rows);
  char (*labels)[64] = rc ? NULL : calloc((size_t)t.n, sizeof *labels);
  if (!rc && (!rs || !rows || !labels)) rc = HW_ENOMEM;
  if (!rc) rc = collect_referrals(&t, &lay, rs, rows, labels, n, rep);
  if (!rc && (rep->errors.n || rep->errors.dropped)) rc = HW_EINVAL;
  rep->rows = t.n > 0 ? t.n - 1 : 0;
  free(labels);
  free_table(&t);
  if (rc) {
    free(rs);
    free(rows);
    *n = 0;
    return rc;
  }
  *out = rs;
  *first_row = rows;
  return 0;
}

void hw_csv_name_referral_errors(hw_errors *errs, const int32_t *first_row, int32_t n) {
  for (int32_t k = 0; k < errs->n; k++) {
    hw_field_error *e = &errs->e[k];
    int index = 0, used = 0;
    if (sscanf(e->path, "/rows/%d%n", &index, &used) != 1 || index < 0 || index >= n) continue;
    const char *field = e->path + used;
    char named[sizeof e->path];
    if (*field == '/') snprintf(named, sizeof named, "row %d, column %.60s", (int)first_row[index], field + 1);
    else snprintf(named, sizeof named, "row %d", (int)first_row[index]);
    snprintf(e->path, sizeof e->path, "%s", named);
  }
}

/* ---- The import ---------------------------------------------------------------------------- */

static const char *const kind_names[] = {"auto", "workers", "clients", "referrals"};

const char *hw_csv_kind_name(hw_csv_kind k) { return (unsigned)k <= HW_CSV_REFERRALS ? kind_names[k] : "unknown"; }

int hw_csv_kind_parse(const char *s, hw_csv_kind *out) {
  for (int k = HW_CSV_WORKERS; k <= HW_CSV_REFERRALS; k++)
    if (s && strcmp(s, kind_names[k]) == 0) {
      *out = (hw_csv_kind)k;
      return 0;
    }
  return HW_EINVAL;
}

static int load_known(hw_store *st, known *k) {
  memset(k, 0, sizeof *k);
  k->st = st;
  int rc = hw_store_list_teams(st, 0, &k->teams, &k->n_teams);
  if (!rc) rc = hw_store_list_localities(st, &k->localities, &k->n_localities);
  return rc;
}

/* Check every data row into recs; problems go to rep->errors. */
static int check_rows(const table *t, const layout *lay, const known *k, records *recs, hw_csv_report *rep) {
  recs->n = t->n - 1;
  if (recs->kind == HW_CSV_WORKERS) recs->workers = calloc((size_t)(recs->n ? recs->n : 1), sizeof *recs->workers);
  else recs->clients = calloc((size_t)(recs->n ? recs->n : 1), sizeof *recs->clients);
  if (!recs->workers && !recs->clients) return HW_ENOMEM;
  for (int32_t i = 1; i < t->n; i++) {
    cell_ctx cx = {lay, &t->rows[i], i + 1, &rep->errors, 0};
    if (t->rows[i].n + t->rows[i].extra != lay->n_fields) {
      char path[32];
      snprintf(path, sizeof path, "row %d", (int)(i + 1));
      hw_errors_add(&rep->errors, path, "has %d fields, the header has %d", (int)(t->rows[i].n + t->rows[i].extra),
                    (int)lay->n_fields);
      continue;
    }
    if (recs->kind == HW_CSV_WORKERS) parse_worker(&cx, k, &recs->workers[i - 1]);
    else parse_client(&cx, k, &recs->clients[i - 1]);
  }
  return 0;
}

static int import_table(hw_store *st, const table *t, uint64_t hash, hw_csv_kind kind, const char *actor, hw_time now,
                        hw_csv_report *rep) {
  if (t->n == 0) {
    hw_errors_add(&rep->errors, "file", "is empty: a header row is required");
    return HW_EINVAL;
  }
  if (kind == HW_CSV_AUTO && (kind = detect_kind(&t->rows[0], &rep->errors)) == HW_CSV_AUTO) return HW_EINVAL;
  rep->kind = kind;
  if (kind == HW_CSV_REFERRALS) {
    hw_errors_add(&rep->errors, "file", "referrals go through the service (allocation): use hw_csv_parse_referrals");
    return HW_EINVAL;
  }
  rep->rows = t->n - 1;
  layout lay;
  check_header(&t->rows[0], kind, &lay, &rep->errors);
  if (rep->errors.n) return HW_EINVAL;
  known k;
  records recs = {.kind = kind};
  int rc = load_known(st, &k);
  if (!rc) rc = check_rows(t, &lay, &k, &recs, rep);
  if (!rc && (rep->errors.n || rep->errors.dropped)) rc = HW_EINVAL;
  if (!rc) rc = store_all(st, &recs, hash, actor, now, rep);
  free(k.teams);
  free(k.localities);
  free(recs.workers);
  free(recs.clients);
  return rc;
}

int hw_csv_import(hw_store *st, const char *text, size_t len, hw_csv_kind kind, const char *actor, hw_time now,
                  hw_csv_report *rep) {
  memset(rep, 0, sizeof *rep);
  hw_errors_init(&rep->errors);
  rep->kind = kind;
  /* Spreadsheets saving "CSV UTF-8" start the file with a byte order mark. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
  }
  table t;
  int rc = read_table(text, len, &t, &rep->errors);
  if (!rc) rc = import_table(st, &t, fnv1a(text, len), kind, actor, now, rep);
  free_table(&t);
  return rc;
}

int hw_csv_import_file(hw_store *st, const char *path, hw_csv_kind kind, const char *actor, hw_time now,
                       hw_csv_report *rep) {
  memset(rep, 0, sizeof *rep);
  hw_errors_init(&rep->errors);
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  size_t len = 0, cap = 0;
  int rc = f ? 0 : HW_EIO;
  while (!rc) {
    if (len == cap) {
      cap = cap ? cap * 2 : 65536;
      char *grown = realloc(text, cap);
      if (!grown) {
        rc = HW_ENOMEM;
        break;
      }
      text = grown;
    }
    size_t got = fread(text + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) rc = HW_EIO;
      break;
    }
  }
  int saved_errno = errno;
  if (f) fclose(f);
  if (!rc) rc = hw_csv_import(st, text ? text : "", len, kind, actor, now, rep);
  else hw_errors_add(&rep->errors, "file", "cannot read %.80s: %s", path, rc == HW_EIO ? strerror(saved_errno) : "out of memory");
  free(text);
  return rc;
}
