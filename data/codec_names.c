/*
 * The names of the domain's enumerations as they appear in JSON, CHI number
 * validation, and the canonical JSON serialisation.
 *
 * Each table is indexed by the enum value, so adding a value to an enum in
 * hw_domain.h means adding its name here at the same position (the static
 * assertions below catch a table that falls out of step).
 */
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "hw_codec_reader.h"
#include "hw_error.h"

#define HW_NAMES(var, count, ...)                                                \
  static const char *const var##_list[] = {__VA_ARGS__};                         \
  _Static_assert(sizeof var##_list / sizeof var##_list[0] == (count),            \
                 #var " must name every value");                                 \
  const hw_names var = {var##_list, (count)}

HW_NAMES(hw_team_kind_names, HW_TEAM_KIND_COUNT, "reablement", "intensive", "mainstream");
HW_NAMES(hw_skill_names, HW_SKILL_COUNT, "personal_care", "medication", "moving_handling",
         "dementia", "end_of_life", "complex_care");
HW_NAMES(hw_travel_mode_names, HW_TRAVEL_MODE_COUNT, "drive", "walk");
HW_NAMES(hw_gender_names, HW_GENDER_COUNT, "unspecified", "female", "male");
HW_NAMES(hw_source_names, HW_SOURCE_COUNT, "community", "hospital", "change_of_need");
HW_NAMES(hw_pathway_names, HW_PATHWAY_COUNT, "reablement", "intensive", "mainstream");
HW_NAMES(hw_referral_status_names, HW_REFERRAL_STATUS_COUNT, "waiting", "allocated", "ended",
         "cancelled");
HW_NAMES(hw_finding_names, HW_FINDING_COUNT, "progressing", "independent", "ongoing_need",
         "complex_need", "end_of_life");
HW_NAMES(hw_outcome_names, HW_OUTCOME_COUNT, "none", "independent", "mainstream", "intensive");
HW_NAMES(hw_discharge_status_names, HW_DISCHARGE_STATUS_COUNT, "requested", "offered",
         "waiting", "accepted", "discharged", "cancelled");
HW_NAMES(hw_visit_status_names, HW_VISIT_STATUS_COUNT, "planned", "assigned", "in_progress",
         "done", "missed", "cancelled");
HW_NAMES(hw_weekday_names, 7, "mon", "tue", "wed", "thu", "fri", "sat", "sun");

const char *hw_names_get(const hw_names *t, int v) {
  return v >= 0 && v < t->count ? t->names[v] : "unknown";
}

int hw_names_find(const hw_names *t, const char *s) {
  for (int i = 0; s && i < t->count; i++)
    if (strcmp(s, t->names[i]) == 0) return i;
  return -1;
}

/* A parse function for an enumeration with a name table. */
#define HW_PARSE(fn, type, table)                 \
  int fn(const char *s, type *out) {              \
    int v = hw_names_find(&table, s);             \
    if (v < 0) return HW_EINVAL;                  \
    *out = (type)v;                               \
    return 0;                                     \
  }

const char *hw_team_kind_name(hw_team_kind k) { return hw_names_get(&hw_team_kind_names, k); }
HW_PARSE(hw_team_kind_parse, hw_team_kind, hw_team_kind_names)
const char *hw_skill_name(hw_skill s) { return hw_names_get(&hw_skill_names, s); }
HW_PARSE(hw_skill_parse, hw_skill, hw_skill_names)
const char *hw_travel_mode_name(hw_travel_mode m) { return hw_names_get(&hw_travel_mode_names, m); }
const char *hw_gender_name(hw_gender g) { return hw_names_get(&hw_gender_names, g); }
const char *hw_referral_source_name(hw_referral_source s) { return hw_names_get(&hw_source_names, s); }
const char *hw_pathway_name(hw_pathway p) { return hw_names_get(&hw_pathway_names, p); }
HW_PARSE(hw_pathway_parse, hw_pathway, hw_pathway_names)
const char *hw_referral_status_name(hw_referral_status s) {
  return hw_names_get(&hw_referral_status_names, s);
}
const char *hw_episode_outcome_name(hw_episode_outcome o) { return hw_names_get(&hw_outcome_names, o); }
HW_PARSE(hw_referral_status_parse, hw_referral_status, hw_referral_status_names)
const char *hw_review_finding_name(hw_review_finding f) { return hw_names_get(&hw_finding_names, f); }
HW_PARSE(hw_review_finding_parse, hw_review_finding, hw_finding_names)
const char *hw_discharge_status_name(hw_discharge_status s) {
  return hw_names_get(&hw_discharge_status_names, s);
}
HW_PARSE(hw_discharge_status_parse, hw_discharge_status, hw_discharge_status_names)
const char *hw_visit_status_name(hw_visit_status s) { return hw_names_get(&hw_visit_status_names, s); }
HW_PARSE(hw_visit_status_parse, hw_visit_status, hw_visit_status_names)

/* ---- CHI numbers ------------------------------------------------------------------ */

/* The CHI check digit of the first nine digits: weights 10..2, 11 - (sum mod 11),
 * where 11 means 0 and 10 means no valid number has these nine digits (-1). */
static int chi_check_digit(const char *chi) {
  int sum = 0;
  for (int i = 0; i < 9; i++) sum += (chi[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  return check == 11 ? 0 : check == 10 ? -1 : check;
}

int hw_chi_validate(const char *chi, const char **why) {
  const char *reason = NULL;
  size_t n = chi ? strlen(chi) : 0;
  int digits = 1;
  for (size_t i = 0; i < n; i++) digits &= chi[i] >= '0' && chi[i] <= '9';
  if (n != 10) {
    reason = "must be exactly 10 digits";
  } else if (!digits) {
    reason = "must contain digits only";
  } else {
    int dd = (chi[0] - '0') * 10 + chi[1] - '0', mm = (chi[2] - '0') * 10 + chi[3] - '0';
    int yy = (chi[4] - '0') * 10 + chi[5] - '0';
    int check = chi_check_digit(chi);
    /* The century is not in the number; 2000 + yy is a leap year exactly when
     * 29 February of yy could be a birth date in either century. */
    if (!hw_ymd_valid(2000 + yy, mm, dd))
      reason = "first six digits must be a date of birth DDMMYY";
    else if (check < 0)
      reason = "no valid CHI number starts with these nine digits (check digit would be 10)";
    else if (check != chi[9] - '0')
      reason = "check digit does not match (modulus 11)";
  }
  if (reason && why) *why = reason;
  return reason ? HW_EINVAL : 0;
}

/* ---- Canonical JSON ----------------------------------------------------------------- */

/* The text a canonical dump is written into. jansson 2.14 ignores a failed write
 * of an object's key (dump.c), so with json_dumps one failed allocation could drop
 * a key, or the quote before it, and still hand back the text as a success: an
 * event stored with a payload that is not what happened, or not JSON at all.
 * Here the first failed write fails every later one, and the whole dump. */
typedef struct canonical_text {
  char *p;
  size_t n, cap;
  int failed;
} canonical_text;

static int append_canonical(const char *buf, size_t len, void *data) {
  canonical_text *t = data;
  if (!t->failed && t->n + len + 1 > t->cap) {
    size_t cap = (t->n + len + 1) * 2;
    char *grown = realloc(t->p, cap);
    if (grown) {
      t->p = grown;
      t->cap = cap;
    }
    t->failed = !grown;
  }
  if (t->failed) return -1;
  memcpy(t->p + t->n, buf, len);
  t->n += len;
  t->p[t->n] = '\0';
  return 0;
}

char *hw_json_dumps_canonical(const json_t *j) {
  /* Fifteen significant digits print every coordinate (the only reals written)
   * in its shortest decimal form, which reads back to the same microdegrees. */
  canonical_text t = {0};
  int rc = json_dump_callback(j, append_canonical, &t,
                              JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
  if (rc == 0 && !t.failed && t.p) return t.p;
  free(t.p);
  return NULL;
}

/* ---- jansson's allocations ------------------------------------------------------------ */

/* jansson 2.14's parser ignores a buffer that could not grow (lex_save drops the
 * character), so a parse can succeed with a string that is not in the text: a
 * failed allocation inside jansson is not always visible in its results. Every
 * jansson allocation goes through this counter (per thread: the daemon's loop
 * and writer parse and build documents at the same time). */
static _Thread_local uint64_t json_alloc_failed;
static once_flag json_alloc_once = ONCE_FLAG_INIT;

static void *counted_malloc(size_t n) {
  void *p = malloc(n);
  if (!p) json_alloc_failed++;
  return p;
}

static void count_json_allocations(void) { json_set_alloc_funcs(counted_malloc, free); }

uint64_t hw_json_alloc_failures(void) {
  call_once(&json_alloc_once, count_json_allocations);
  return json_alloc_failed;
}
