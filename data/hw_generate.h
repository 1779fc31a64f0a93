/*
 * The synthetic North Lanarkshire partnership: six localities with their real
 * populations and town centres, teams, care workers with shift patterns and
 * expiring skills, clients with care plans and one referral each, and a stream of
 * hospital discharge (D2A) requests. It is what tests, benchmarks, the simulation
 * and a demo database are built from.
 *
 * Deterministic: the output depends only on the options (a seeded xoshiro256**
 * generator; never rand(), never the clock), so one seed always gives the same
 * partnership, byte for byte once exported. Each locality draws from its own
 * random streams, so Airdrie at scale "locality" is the Airdrie of scale "nl".
 * Every rate and why it was chosen is in docs/generator.md.
 */
#ifndef HW_GENERATE_H
#define HW_GENERATE_H

#include <stdint.h>

#include "hw_domain.h"

typedef enum hw_scale {
  HW_SCALE_NL = 0,     /* all six localities: ~3,400 clients, ~60,000 visits a week */
  HW_SCALE_LOCALITY,   /* one locality at full rate (Airdrie unless named) */
  HW_SCALE_SMALL,      /* one locality, 48 clients: for tests */
  HW_SCALE_COUNT
} hw_scale;

/* The default first day: Monday 5 January 2026, fixed so that output never
 * depends on today's date (and in GMT, clear of the clock changes for weeks). */
#define HW_GENERATE_DEFAULT_START_Y 2026
#define HW_GENERATE_DEFAULT_START_M 1
#define HW_GENERATE_DEFAULT_START_D 5

typedef struct hw_generate_options {
  uint64_t seed;
  hw_scale scale;
  char locality[HW_NAME_MAX];  /* scale locality/small: which one; "" = Airdrie */
  int32_t reablement_teams;    /* per locality: 2 or 3 (default 3) */
  hw_date start;               /* the first day of service modelled (default above) */
  int32_t d2a_weeks;           /* weeks of discharge requests from start, 0..52 (default 4) */
} hw_generate_options;

/* Fill o with the defaults: seed 1, scale nl, 3 reablement teams, the default start,
 * 4 weeks of D2A requests. */
void hw_generate_options_init(hw_generate_options *o);

/* NULL when o is usable, else a static "field: reason" message (e.g.
 * "reablement_teams: must be 2 or 3"). */
const char *hw_generate_options_check(const hw_generate_options *o);

/* Make the partnership o describes into *out (which the caller releases with
 * hw_partnership_free). Ids run from 1 per kind in array order and every cross
 * reference (team -> locality, worker -> team, referral -> client and team,
 * preferred/excluded workers, discharge -> client) is valid. Returns 0, HW_EINVAL
 * when hw_generate_options_check rejects o, or HW_ENOMEM; on failure *out is empty. */
int hw_generate(const hw_generate_options *o, hw_partnership *out);

/* Make `weeks` weeks of D2A requests from day `from` for partnership p: about 30 a
 * week per 3,400 clients with a referral (at least 2 a week), ready mostly between
 * 09:00 and 16:00, at the hospital that serves each person's locality, status
 * requested, support needed as visit templates. A request is for one of p's
 * clients: first the people without a referral and without a discharge request in
 * p (new to the service, about 60% when hw_generate made them), otherwise an
 * existing client whose care restarts. *out (malloc'd, caller frees; NULL when
 * *n is 0) is ordered by ready_at; ids are 0 (new records for the store).
 * Deterministic in (seed, from, weeks, p). Returns 0, HW_EINVAL (weeks outside
 * 0..520, p without clients while weeks > 0) or HW_ENOMEM. */
int hw_generate_discharges(uint64_t seed, hw_date from, int32_t weeks, const hw_partnership *p,
                           hw_discharge **out, int32_t *n);

/* "nl", "locality", "small" both ways; parse returns 0 or HW_EINVAL. */
const char *hw_scale_name(hw_scale s);
int hw_scale_parse(const char *s, hw_scale *out);

/* Weekly demand of care plans, as the generator sizes the workforce and
 * `homeward stats` reports it. */
typedef struct hw_demand {
  int64_t visits;          /* visits a week; a double-handed visit counts once */
  int64_t double_handed;   /* of which need two workers */
  int64_t medication;      /* of which administer medication */
  int64_t worker_minutes;  /* care minutes a week, both workers of a double-handed visit */
} hw_demand;

/* Add the weekly demand of templates t[0..n) to *acc (which the caller zeroes
 * first). Never fails. */
void hw_templates_demand(const hw_visit_template *t, int32_t n, hw_demand *acc);

/* The daily peaks of home support: morning 07:00-11:00 and evening 16:00-22:00,
 * which is two peaks of its own, tea 16:00-19:00 and bedtime 19:00-22:00. */
typedef enum hw_peak { HW_PEAK_MORNING = 0, HW_PEAK_EVENING, HW_PEAK_TEA, HW_PEAK_BED, HW_PEAK_COUNT } hw_peak;

/* Travel share of a worker's time on shift the cover check allows for: 1.2 means
 * a minute of care takes 1.2 minutes on shift. */
#define HW_PEAK_TRAVEL_PERMILLE 1200

/* How well a locality's shifts cover each peak, a week. care_minutes: the care
 * plans of the locality's referrals whose visit window opens in the peak (both
 * workers of a double-handed visit). shift_minutes: its workers' shift minutes
 * inside the peak, less the share of each break whose window lies in it (a
 * break window a third inside takes a third of the break). cover_permille:
 * shift minutes after travel (/ 1.2) per care minute, x1000 (-1 without care). */
typedef struct hw_peak_cover {
  int64_t care_minutes[HW_PEAK_COUNT];
  int64_t shift_minutes[HW_PEAK_COUNT];
  int32_t cover_permille[HW_PEAK_COUNT];
} hw_peak_cover;

/* Measure the peak cover of locality `locality_id` of p (every team of the
 * locality). A locality without teams or care gives zeros and -1. Never fails. */
void hw_peak_cover_of(const hw_partnership *p, hw_id locality_id, hw_peak_cover *out);

#endif
