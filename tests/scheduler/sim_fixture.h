/*
 * Short simulation runs for the tests of scheduler/sim/: the small partnership,
 * a small plan budget, and a run that fails the case with the simulation's own
 * account of what went wrong.
 */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include <stdlib.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_simulate.h"
#include "hw_test.h"

/* The small partnership (one locality, a few dozen clients) for `weeks`. */
static inline hw_sim_options sim_small(uint64_t seed, hw_sim_policy policy, int32_t weeks) {
  hw_sim_options o;
  hw_sim_options_init(&o);
  o.seed = seed;
  o.weeks = weeks;
  o.scale = HW_SCALE_SMALL;
  o.policy = policy;
  o.plan_iterations = 50;
  return o;
}

static inline hw_sim_result sim_run(const hw_sim_options *o) {
  hw_sim_result r;
  int rc = hw_simulate(o, &r);
  if (rc) hw_test_fail(__FILE__, __LINE__, "hw_simulate: %s: %s", hw_strerror(rc), r.error);
  return r;
}

/* The report document as canonical JSON text (malloc'd). */
static inline char *sim_report_text(const hw_sim_result *r) {
  json_t *j = hw_sim_result_to_json(r);
  HW_CHECK(j != NULL);
  char *text = hw_json_dumps_canonical(j);
  json_decref(j);
  HW_CHECK(text != NULL);
  return text;
}

#endif
