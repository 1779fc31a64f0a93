/*
 * Fuzz target for the JSON codecs: the input, read as JSON text, goes to every
 * decoder. None may crash, leak or report failure without an error; whatever one
 * accepts must re-encode, decode again and re-encode to the same canonical bytes.
 * The raw input also goes to the time, date, time-of-day and CHI parsers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"

/* Stop the run loudly: a property of the codecs does not hold for this input. */
static void broken(const char *what) {
  fprintf(stderr, "fuzz_codec: %s\n", what);
  abort();
}

/* Canonical text of a new reference (consumed); NULL only when encoding failed. */
static char *canonical(json_t *j) {
  char *s = j ? hw_json_dumps_canonical(j) : NULL;
  json_decref(j);
  return s;
}

#define HW_FUZZ_TYPE(type, cleanup)                                               \
  static void fuzz_##type(const json_t *doc) {                                   \
    hw_##type *v = calloc(2, sizeof *v);                                        \
    hw_errors errs;                                                              \
    hw_errors_init(&errs);                                                       \
    if (!v) return;                                                              \
    int rc = hw_##type##_from_json(doc, "", &v[0], &errs);                       \
    if (rc != 0) {                                                               \
      if (errs.n == 0) broken(#type ": failed without an error");               \
      free(v);                                                                   \
      return;                                                                    \
    }                                                                            \
    char *first = canonical(hw_##type##_to_json(&v[0]));                         \
    json_t *again = first ? json_loads(first, 0, NULL) : NULL;                  \
    if (!again) broken(#type ": encoding does not parse");                       \
    if (hw_##type##_from_json(again, "", &v[1], &errs) != 0)                     \
      broken(#type ": own encoding rejected");                                   \
    char *second = canonical(hw_##type##_to_json(&v[1]));                        \
    if (!second || strcmp(first, second) != 0) broken(#type ": round trip differs"); \
    json_decref(again);                                                          \
    free(first);                                                                 \
    free(second);                                                                \
    cleanup(&v[0]);                                                              \
    cleanup(&v[1]);                                                              \
    free(v);                                                                     \
  }

static void no_cleanup(const void *v) {
  (void)v;
}

static void free_event(hw_event *e) {
  free(e->payload);
}

HW_FUZZ_TYPE(locality, no_cleanup)
HW_FUZZ_TYPE(team, no_cleanup)
HW_FUZZ_TYPE(worker, no_cleanup)
HW_FUZZ_TYPE(absence, no_cleanup)
HW_FUZZ_TYPE(client, no_cleanup)
HW_FUZZ_TYPE(visit_template, no_cleanup)
HW_FUZZ_TYPE(referral, no_cleanup)
HW_FUZZ_TYPE(discharge, no_cleanup)
HW_FUZZ_TYPE(visit, no_cleanup)
HW_FUZZ_TYPE(roster_entry, no_cleanup)
HW_FUZZ_TYPE(event, free_event)
HW_FUZZ_TYPE(partnership, hw_partnership_free)

static void fuzz_text_parsers(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) return;
  memcpy(s, data, size);
  s[size] = '\0';
  hw_time t;
  hw_date d;
  int minute;
  const char *why;
  char buf[64];
  if (hw_time_parse(s, &t, &why) == 0) {
    hw_time back;
    if (hw_time_parse(hw_time_format(t, buf, sizeof buf), &back, &why) != 0 || back != t)
      broken("time: format does not parse back");
  }
  if (hw_date_parse(s, &d, &why) == 0 && strcmp(hw_date_format(d, buf, sizeof buf), s) != 0)
    broken("date: format differs from input");
  if (hw_minute_parse(s, &minute, &why) == 0 &&
      strcmp(hw_minute_format(minute, buf, sizeof buf), s) != 0)
    broken("minute: format differs from input");
  hw_chi_validate(s, &why);
  free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_text_parsers(data, size);
  json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
  if (!doc) return 0;
  fuzz_locality(doc);
  fuzz_team(doc);
  fuzz_worker(doc);
  fuzz_absence(doc);
  fuzz_client(doc);
  fuzz_visit_template(doc);
  fuzz_referral(doc);
  fuzz_discharge(doc);
  fuzz_visit(doc);
  fuzz_roster_entry(doc);
  fuzz_event(doc);
  fuzz_partnership(doc);
  json_decref(doc);
  return 0;
}
