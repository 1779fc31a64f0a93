/*
 * JSON codecs of the domain (jansson). JSON appears only here, in the solver
 * instance readers/writers (hw_instance.h) and in the daemon's HTTP layer.
 *
 * Decoders never stop at the first problem: they collect every error into an
 * hw_errors list, each naming the field by JSON pointer and the reason, e.g.
 *   /care_plan/visits/2/window/end: must be after start
 * Unknown fields are errors ("unknown field"). Times are ISO 8601 local times
 * (hw_time.h), dates "YYYY-MM-DD", times of day "HH:MM", durations integer minutes.
 * A decoder that reports errors leaves *out in an unspecified state.
 */
#ifndef HW_CODEC_H
#define HW_CODEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_domain.h"

#define HW_ERRORS_MAX 32

typedef struct hw_field_error {
  char path[128];   /* JSON pointer, "" for the document itself */
  char reason[160];
} hw_field_error;

typedef struct hw_errors {
  int32_t n;        /* errors kept (<= HW_ERRORS_MAX) */
  int32_t dropped;  /* errors found beyond HW_ERRORS_MAX */
  hw_field_error e[HW_ERRORS_MAX];
} hw_errors;

void hw_errors_init(hw_errors *errs);
void hw_errors_add(hw_errors *errs, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "path: reason; path: reason" into buf (for logs and the CLI). Returns buf. */
char *hw_errors_join(const hw_errors *errs, char *buf, size_t len);
/* [{"field":path,"reason":reason},...] for problem documents (new reference). */
json_t *hw_errors_to_json(const hw_errors *errs);

/* CHI number check: 10 digits, DDMMYY a real date, modulus-11 check digit.
 * Returns 0, or HW_EINVAL with the reason in *why (static string). */
int hw_chi_validate(const char *chi, const char **why);

/* Names of enumerations as they appear in JSON ("reablement", "change_of_need").
 * *_parse return 0 or HW_EINVAL. */
const char *hw_team_kind_name(hw_team_kind k);
int hw_team_kind_parse(const char *s, hw_team_kind *out);
const char *hw_skill_name(hw_skill s);
int hw_skill_parse(const char *s, hw_skill *out);
const char *hw_travel_mode_name(hw_travel_mode m);
const char *hw_gender_name(hw_gender g);
const char *hw_referral_source_name(hw_referral_source s);
const char *hw_pathway_name(hw_pathway p);
int hw_pathway_parse(const char *s, hw_pathway *out);
const char *hw_referral_status_name(hw_referral_status s);
int hw_referral_status_parse(const char *s, hw_referral_status *out);
const char *hw_review_finding_name(hw_review_finding f);
int hw_review_finding_parse(const char *s, hw_review_finding *out);
const char *hw_episode_outcome_name(hw_episode_outcome o);
const char *hw_discharge_status_name(hw_discharge_status s);
int hw_discharge_status_parse(const char *s, hw_discharge_status *out);
const char *hw_visit_status_name(hw_visit_status s);
int hw_visit_status_parse(const char *s, hw_visit_status *out);

/* Encoders return a new reference (NULL only on out of memory). Decoders return 0,
 * or HW_EINVAL with every problem in errs. Ids: encoders always write "id"; decoders
 * accept an absent "id" (new record, id 0). Decoders take the JSON pointer of j in
 * the enclosing document as `path` ("" at the root) so nested errors read right. */
#define HW_CODEC_DECLARE(type)                                                   \
  json_t *hw_##type##_to_json(const hw_##type *v);                             \
  int hw_##type##_from_json(const json_t *j, const char *path, hw_##type *out,   \
                            hw_errors *errs);
HW_CODEC_DECLARE(locality)
HW_CODEC_DECLARE(team)
HW_CODEC_DECLARE(worker)
HW_CODEC_DECLARE(absence)
HW_CODEC_DECLARE(client)
HW_CODEC_DECLARE(visit_template)
HW_CODEC_DECLARE(referral)
HW_CODEC_DECLARE(discharge)
HW_CODEC_DECLARE(visit)
HW_CODEC_DECLARE(roster_entry)
HW_CODEC_DECLARE(review)
HW_CODEC_DECLARE(reserve_row)
HW_CODEC_DECLARE(event)      /* payload is embedded as parsed JSON */
HW_CODEC_DECLARE(partnership)
#undef HW_CODEC_DECLARE

/* A care plan {"visits":[template, ...]} (1..HW_MAX_TEMPLATES) at JSON pointer path
 * into t[0..*n). Returns 0, HW_EINVAL (every problem in errs) or HW_ENOMEM. */
int hw_care_plan_from_json(const json_t *j, const char *path, hw_visit_template *t, int32_t *n, hw_errors *errs);

/* Serialise with sorted keys and compact separators: the same value always gives
 * the same bytes (export determinism relies on it). Caller frees with free().
 * NULL when j is NULL or memory ran out at any point of the dump (never a text
 * with a part left out). */
char *hw_json_dumps_canonical(const json_t *j);

/* How many of jansson's allocations have failed on this thread so far (the first
 * call routes jansson's allocations through the count). jansson does not report
 * every failure: its parser drops a character it has no room for and still
 * succeeds, and a few setters' failures are easy to ignore. A caller that parses
 * or builds documents compares the count before and after, and treats any
 * growth as running out of memory. */
uint64_t hw_json_alloc_failures(void);

#endif
