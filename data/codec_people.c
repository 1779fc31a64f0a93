/*
 * JSON codecs of the partnership's people and places: localities, teams, workers
 * (skills with expiry, weekly shifts with breaks), absences and clients (CHI,
 * carer preferences).
 *
 * Every decoder follows one pattern: open the object with its list of allowed
 * fields, read each field with the hw_codec_reader.h toolkit (which records every
 * problem and goes on), run the checks that span fields, and fail when any problem
 * was recorded. The shapes are documented with examples in docs/data-model.md.
 */
#include <string.h>

#include "hw_codec_reader.h"
#include "hw_error.h"

/* Appends item (stolen) to arr; *ok becomes 0 when either is NULL (out of memory). */
static void append(json_t *arr, json_t *item, int *ok) {
  if (json_array_append_new(arr, item) != 0) *ok = 0;
}

static json_t *finish_array(json_t *arr, int ok) {
  if (ok && arr) return arr;
  json_decref(arr);
  return NULL;
}

/* ---- Locality ------------------------------------------------------------------ */

json_t *hw_locality_to_json(const hw_locality *v) {
  return json_pack("{s:I, s:s, s:i, s:o, s:i}", "id", (json_int_t)v->id, "name", v->name,
                   "population", (int)v->population, "centre", hw_json_geo(v->centre),
                   "radius_m", (int)v->radius_m);
}

int hw_locality_from_json(const json_t *j, const char *path, hw_locality *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "name", "population", "centre", "radius_m", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_string(&r, "name", 1, out->name, sizeof out->name);
  hw_get_i32(&r, "population", 0, 0, 100000000, &out->population);
  hw_get_geo(&r, "centre", 1, &out->centre);
  hw_get_i32(&r, "radius_m", 0, 0, 1000000, &out->radius_m);
  return hw_decoded(errs, before);
}

/* ---- Team ------------------------------------------------------------------------ */

json_t *hw_team_to_json(const hw_team *v) {
  return json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)v->id, "locality_id",
                   (json_int_t)v->locality_id, "kind", hw_team_kind_name(v->kind), "name",
                   v->name);
}

int hw_team_from_json(const json_t *j, const char *path, hw_team *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "locality_id", "kind", "name", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "locality_id", 1, &out->locality_id);
  HW_GET_ENUM(&r, "kind", 1, &hw_team_kind_names, out->kind);
  hw_get_string(&r, "name", 1, out->name, sizeof out->name);
  return hw_decoded(errs, before);
}

/* ---- Worker ---------------------------------------------------------------------- */

/* A BCP 47 primary language subtag: two or three lowercase letters. */
static int read_language(const json_t *v, const char *path, hw_errors *errs, char *buf,
                         size_t len) {
  char tmp[8];
  if (hw_val_string(v, path, errs, tmp, sizeof tmp, 1) < 0) return -1;
  size_t n = strlen(tmp);
  int letters = n >= 2 && n <= 3;
  for (size_t i = 0; i < n; i++) letters &= tmp[i] >= 'a' && tmp[i] <= 'z';
  if (!letters) {
    hw_errors_add(errs, path, "must be a language code of 2 or 3 lowercase letters (\"en\", \"pl\")");
    return -1;
  }
  snprintf(buf, len, "%s", tmp);
  return 1;
}

static json_t *worker_skills_to_json(const hw_worker *v) {
  json_t *arr = json_array();
  int ok = 1;
  for (int32_t i = 0; i < v->n_skills && i < HW_MAX_WORKER_SKILLS; i++)
    append(arr, json_pack("{s:s, s:o}", "skill", hw_skill_name(v->skills[i].skill),
                          "valid_until", hw_json_date(v->skills[i].valid_until)), &ok);
  return finish_array(arr, ok);
}

static json_t *shift_to_json(const hw_shift *s) {
  json_t *o = json_pack("{s:s, s:o, s:o}", "day", hw_names_get(&hw_weekday_names, s->weekday),
                        "start", hw_json_minute(s->hours.start), "end",
                        hw_json_minute(s->hours.end));
  if (o && s->break_window.end > s->break_window.start &&
      json_object_set_new(o, "break",
                          json_pack("{s:o, s:o, s:i}", "start",
                                    hw_json_minute(s->break_window.start), "end",
                                    hw_json_minute(s->break_window.end), "minutes",
                                    (int)s->break_minutes))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

json_t *hw_worker_to_json(const hw_worker *v) {
  json_t *langs = json_array(), *shifts = json_array();
  int ok = 1;
  for (int32_t i = 0; i < v->n_languages && i < HW_MAX_LANGUAGES; i++)
    append(langs, json_string(v->languages[i]), &ok);
  for (int32_t i = 0; i < v->n_shifts && i < HW_MAX_SHIFTS; i++)
    append(shifts, shift_to_json(&v->shifts[i]), &ok);
  langs = finish_array(langs, ok);
  shifts = finish_array(shifts, ok);
  return json_pack("{s:I, s:I, s:s, s:o, s:s, s:i, s:s, s:o, s:o, s:o, s:b}", "id",
                   (json_int_t)v->id, "team_id", (json_int_t)v->team_id, "name", v->name,
                   "base", hw_json_geo(v->base), "travel", hw_travel_mode_name(v->travel),
                   "contracted_minutes", (int)v->contracted_minutes, "gender",
                   hw_gender_name(v->gender), "languages", langs, "skills",
                   worker_skills_to_json(v), "shifts", shifts, "active", v->active != 0);
}

static void read_worker_skill(const json_t *j, const char *path, hw_errors *errs,
                              hw_worker_skill *out) {
  static const char *const fields[] = {"skill", "valid_until", NULL};
  hw_reader r;
  out->valid_until = HW_DATE_NONE;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return;
  HW_GET_ENUM(&r, "skill", 1, &hw_skill_names, out->skill);
  hw_get_date(&r, "valid_until", 0, &out->valid_until);
}

/* {"start","end","minutes"} of a break inside the shift's hours. */
static void read_break(const hw_reader *shift, const hw_minute_window *hours, hw_shift *out) {
  static const char *const fields[] = {"start", "end", "minutes", NULL};
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader r;
  hw_minute_window w;
  if (hw_get(shift, "break", 0, &v, p) != 1 || hw_reader_open(&r, v, p, shift->errs, fields) < 0)
    return;
  int w_ok = hw_read_minute_window(&r, &w);
  if (w_ok == 1 && hours && (w.start < hours->start || w.end > hours->end)) {
    hw_errors_add(shift->errs, p, "must lie within the shift's hours");
    w_ok = -1;
  }
  int32_t minutes = 0;
  if (hw_get_i32(&r, "minutes", 1, 1, 1440, &minutes) == 1 && w_ok == 1 &&
      minutes > w.end - w.start) {
    char mp[HW_PATH_MAX];
    hw_path_key(mp, p, "minutes");
    hw_errors_add(shift->errs, mp, "must fit in the break window (%d minutes)", w.end - w.start);
  }
  if (w_ok == 1) out->break_window = w;
  out->break_minutes = (int16_t)minutes;
}

static void read_shift(const json_t *j, const char *path, hw_errors *errs, hw_shift *out) {
  static const char *const fields[] = {"day", "start", "end", "break", NULL};
  hw_reader r;
  int day = 0;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return;
  if (hw_get_enum(&r, "day", 1, &hw_weekday_names, &day) == 1) out->weekday = (uint8_t)day;
  int hours_ok = hw_read_minute_window(&r, &out->hours);
  read_break(&r, hours_ok == 1 ? &out->hours : NULL, out);
}

int hw_worker_from_json(const json_t *j, const char *path, hw_worker *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "team_id", "name", "base", "travel",
                                       "contracted_minutes", "gender", "languages", "skills",
                                       "shifts", "active", NULL};
  int32_t before = hw_errors_total(errs);
  const json_t *arr;
  char p[HW_PATH_MAX], ip[HW_PATH_MAX];
  hw_reader r;
  memset(out, 0, sizeof *out);
  out->active = 1;
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "team_id", 1, &out->team_id);
  hw_get_string(&r, "name", 1, out->name, sizeof out->name);
  hw_get_geo(&r, "base", 1, &out->base);
  HW_GET_ENUM(&r, "travel", 0, &hw_travel_mode_names, out->travel);
  hw_get_i32(&r, "contracted_minutes", 0, 0, 7 * 1440, &out->contracted_minutes);
  HW_GET_ENUM(&r, "gender", 0, &hw_gender_names, out->gender);
  if (hw_get_array(&r, "languages", 0, 0, HW_MAX_LANGUAGES, &arr, p) == 1) {
    out->n_languages = (int32_t)json_array_size(arr);
    for (size_t i = 0; i < json_array_size(arr); i++) {
      hw_path_index(ip, p, i);
      read_language(json_array_get(arr, i), ip, errs, out->languages[i], sizeof out->languages[i]);
    }
  }
  if (hw_get_array(&r, "skills", 0, 0, HW_MAX_WORKER_SKILLS, &arr, p) == 1) {
    out->n_skills = (int32_t)json_array_size(arr);
    uint32_t seen = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
      int32_t mark = hw_errors_total(errs);
      hw_path_index(ip, p, i);
      read_worker_skill(json_array_get(arr, i), ip, errs, &out->skills[i]);
      if (hw_errors_total(errs) == mark && (seen >> out->skills[i].skill & 1u))
        hw_errors_add(errs, ip, "skill \"%s\" is listed twice", hw_skill_name(out->skills[i].skill));
      seen |= 1u << out->skills[i].skill;
    }
  }
  if (hw_get_array(&r, "shifts", 0, 0, HW_MAX_SHIFTS, &arr, p) == 1) {
    out->n_shifts = (int32_t)json_array_size(arr);
    for (size_t i = 0; i < json_array_size(arr); i++) {
      hw_path_index(ip, p, i);
      read_shift(json_array_get(arr, i), ip, errs, &out->shifts[i]);
    }
  }
  hw_get_bool(&r, "active", 0, &out->active);
  return hw_decoded(errs, before);
}

/* ---- Absence --------------------------------------------------------------------- */

json_t *hw_absence_to_json(const hw_absence *v) {
  return json_pack("{s:I, s:I, s:o, s:o, s:s}", "id", (json_int_t)v->id, "worker_id",
                   (json_int_t)v->worker_id, "from", hw_json_time(v->from), "to",
                   hw_json_time(v->to), "reason", v->reason);
}

int hw_absence_from_json(const json_t *j, const char *path, hw_absence *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "worker_id", "from", "to", "reason", NULL};
  int32_t before = hw_errors_total(errs);
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "worker_id", 1, &out->worker_id);
  int from_ok = hw_get_time(&r, "from", 1, &out->from);
  int to_ok = hw_get_time(&r, "to", 1, &out->to);
  hw_get_string(&r, "reason", 1, out->reason, sizeof out->reason);
  if (from_ok == 1 && to_ok == 1 && out->to <= out->from) {
    char p[HW_PATH_MAX];
    hw_path_key(p, path, "to");
    hw_errors_add(errs, p, "must be after from");
  }
  return hw_decoded(errs, before);
}

/* ---- Client ---------------------------------------------------------------------- */

static json_t *ids_to_json(const hw_id *ids, int32_t n, int32_t max) {
  json_t *arr = json_array();
  int ok = 1;
  for (int32_t i = 0; i < n && i < max; i++) append(arr, json_integer(ids[i]), &ok);
  return finish_array(arr, ok);
}

/* {"from", "until", "reason"} of a suspended client, null otherwise. */
static json_t *suspension_to_json(const hw_client *v) {
  if (!v->suspended_reason[0]) return json_null();
  return json_pack("{s:o, s:o, s:s}", "from", hw_json_time(v->suspended_from), "until",
                   hw_json_time(v->suspended_until), "reason", v->suspended_reason);
}

json_t *hw_client_to_json(const hw_client *v) {
  return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:b, s:s, s:o, s:o, s:o}", "id",
                   (json_int_t)v->id, "locality_id", (json_int_t)v->locality_id, "name",
                   v->name, "chi", v->chi, "location", hw_json_geo(v->location),
                   "carer_gender", hw_gender_name(v->carer_gender), "carer_gender_hard",
                   v->carer_gender_hard != 0, "language", v->language, "preferred_workers",
                   ids_to_json(v->preferred_workers, v->n_preferred, HW_MAX_CLIENT_PREFS),
                   "excluded_workers",
                   ids_to_json(v->excluded_workers, v->n_excluded, HW_MAX_CLIENT_PREFS),
                   "suspended", suspension_to_json(v));
}

/* "suspended": {"from", "until", "reason"} or null. */
static void read_suspension(const hw_reader *r, hw_client *out) {
  static const char *const fields[] = {"from", "until", "reason", NULL};
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader s;
  if (hw_get(r, "suspended", 0, &v, p) != 1 || hw_reader_open(&s, v, p, r->errs, fields) < 0)
    return;
  out->suspended_until = HW_TIME_NONE;
  hw_get_time(&s, "from", 1, &out->suspended_from);
  hw_get_time(&s, "until", 0, &out->suspended_until);
  hw_get_string(&s, "reason", 1, out->suspended_reason, sizeof out->suspended_reason);
}

/* A list of up to `max` distinct worker ids. */
static void read_id_list(const hw_reader *r, const char *key, int32_t max, hw_id *ids,
                         int32_t *n) {
  const json_t *arr;
  char p[HW_PATH_MAX], ip[HW_PATH_MAX];
  if (hw_get_array(r, key, 0, 0, (size_t)max, &arr, p) != 1) return;
  *n = (int32_t)json_array_size(arr);
  for (int32_t i = 0; i < *n; i++) {
    hw_path_index(ip, p, (size_t)i);
    if (hw_val_id(json_array_get(arr, (size_t)i), ip, r->errs, 1, &ids[i]) < 0) continue;
    for (int32_t k = 0; k < i; k++)
      if (ids[k] == ids[i]) hw_errors_add(r->errs, ip, "worker %lld is listed twice", (long long)ids[i]);
  }
}

static void read_chi(const hw_reader *r, hw_client *out) {
  char chi[64] = "", p[HW_PATH_MAX];
  const char *why = NULL;
  if (hw_get_string(r, "chi", 0, chi, sizeof chi) != 1 || chi[0] == '\0') return;
  if (hw_chi_validate(chi, &why) != 0) {
    hw_path_key(p, r->path, "chi");
    hw_errors_add(r->errs, p, "bad CHI number: %s", why);
    return;
  }
  memcpy(out->chi, chi, sizeof out->chi);
}

/* A worker may not be both preferred and excluded. */
static void check_prefs_disjoint(const hw_reader *r, const hw_client *c) {
  char p[HW_PATH_MAX], ip[HW_PATH_MAX];
  hw_path_key(p, r->path, "excluded_workers");
  for (int32_t i = 0; i < c->n_excluded; i++)
    for (int32_t k = 0; k < c->n_preferred; k++)
      if (c->excluded_workers[i] && c->excluded_workers[i] == c->preferred_workers[k]) {
        hw_path_index(ip, p, (size_t)i);
        hw_errors_add(r->errs, ip, "worker %lld is also in preferred_workers",
                      (long long)c->excluded_workers[i]);
        break;
      }
}

int hw_client_from_json(const json_t *j, const char *path, hw_client *out, hw_errors *errs) {
  static const char *const fields[] = {"id", "locality_id", "name", "chi", "location",
                                       "carer_gender", "carer_gender_hard", "language",
                                       "preferred_workers", "excluded_workers", "suspended", NULL};
  int32_t before = hw_errors_total(errs);
  const json_t *v;
  char p[HW_PATH_MAX];
  hw_reader r;
  memset(out, 0, sizeof *out);
  if (hw_reader_open(&r, j, path, errs, fields) < 0) return HW_EINVAL;
  hw_get_id(&r, "id", 0, &out->id);
  hw_get_id(&r, "locality_id", 1, &out->locality_id);
  hw_get_string(&r, "name", 1, out->name, sizeof out->name);
  read_chi(&r, out);
  hw_get_geo(&r, "location", 1, &out->location);
  HW_GET_ENUM(&r, "carer_gender", 0, &hw_gender_names, out->carer_gender);
  hw_get_bool(&r, "carer_gender_hard", 0, &out->carer_gender_hard);
  if (hw_get(&r, "language", 0, &v, p) == 1 &&
      !(json_is_string(v) && json_string_length(v) == 0))
    read_language(v, p, errs, out->language, sizeof out->language);
  read_id_list(&r, "preferred_workers", HW_MAX_CLIENT_PREFS, out->preferred_workers,
               &out->n_preferred);
  read_id_list(&r, "excluded_workers", HW_MAX_CLIENT_PREFS, out->excluded_workers,
               &out->n_excluded);
  check_prefs_disjoint(&r, out);
  read_suspension(&r, out);
  return hw_decoded(errs, before);
}
