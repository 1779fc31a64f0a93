/*
 * Tests of the synthetic partnership generator (data/hw_generate.h): determinism,
 * the six localities and their populations, the shape of care plans (double-handed
 * and medication shares, CHI numbers), a workforce with morning and evening peaks
 * whose in-date skills cover every care plan, valid cross references, and the
 * hospital discharge stream. Most cases build the whole North Lanarkshire scale in
 * memory (no database), which takes well under a second.
 */
#include "hw_test.h"

#include <jansson.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_generate.h"

static hw_partnership make(hw_scale scale, uint64_t seed) {
  hw_generate_options o;
  hw_generate_options_init(&o);
  o.scale = scale;
  o.seed = seed;
  hw_partnership p;
  int rc = hw_generate(&o, &p);
  if (rc) hw_test_fail(__FILE__, __LINE__, "hw_generate: %s", hw_strerror(rc));
  return p;
}

static char *canonical(const hw_partnership *p) {
  json_t *j = hw_partnership_to_json(p);
  HW_CHECK(j != NULL);
  char *s = hw_json_dumps_canonical(j);
  json_decref(j);
  HW_CHECK(s != NULL);
  return s;
}

static const hw_referral *referral_of_client(const hw_partnership *p, hw_id client) {
  for (int32_t i = 0; i < p->n_referrals; i++)
    if (p->referrals[i].client_id == client) return &p->referrals[i];
  return NULL;
}

HW_TEST(same_seed_gives_identical_json) {
  hw_partnership a = make(HW_SCALE_LOCALITY, 42), b = make(HW_SCALE_LOCALITY, 42);
  char *ja = canonical(&a), *jb = canonical(&b);
  HW_CHECK(strlen(ja) > 100000);
  HW_CHECK_STR(ja, jb);
  free(ja);
  free(jb);
  hw_partnership_free(&a);
  hw_partnership_free(&b);
}

HW_TEST(different_seeds_differ) {
  hw_partnership a = make(HW_SCALE_SMALL, 1), b = make(HW_SCALE_SMALL, 2);
  char *ja = canonical(&a), *jb = canonical(&b);
  HW_CHECK(strcmp(ja, jb) != 0);
  free(ja);
  free(jb);
  hw_partnership_free(&a);
  hw_partnership_free(&b);
}

HW_TEST(six_localities_with_their_populations) {
  static const struct {
    const char *name;
    int32_t population;
  } want[] = {{"Airdrie", 57576}, {"Bellshill", 42273}, {"Coatbridge", 50389},
              {"Motherwell", 45504}, {"North", 86095}, {"Wishaw", 58343}};
  hw_partnership p = make(HW_SCALE_NL, 7);
  HW_CHECK_INT(p.n_localities, ==, 6);
  int64_t total = 0;
  for (int i = 0; i < 6; i++) {
    HW_CHECK_STR(p.localities[i].name, want[i].name);
    HW_CHECK_INT(p.localities[i].population, ==, want[i].population);
    HW_CHECK_INT(p.localities[i].id, ==, i + 1);
    HW_CHECK(p.localities[i].radius_m > 0);
    total += p.localities[i].population;
  }
  HW_CHECK_INT(total, ==, 340180);
  hw_partnership_free(&p);
}

HW_TEST(clients_in_proportion_to_population) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  int32_t with_referral[6] = {0}, total = 0;
  for (int32_t i = 0; i < p.n_referrals; i++) {
    const hw_client *c = &p.clients[p.referrals[i].client_id - 1];
    with_referral[c->locality_id - 1]++;
    total++;
  }
  HW_CHECK_INT(total, >=, 3000); /* thousands of clients at partnership scale */
  for (int i = 0; i < 6; i++) {
    double share = (double)with_referral[i] / total;
    double want = (double)p.localities[i].population / 340180.0;
    HW_CHECK(share > want * 0.97 && share < want * 1.03);
  }
  hw_partnership_free(&p);
}

HW_TEST(tens_of_thousands_of_visits_a_week) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  hw_demand d = {0};
  for (int32_t i = 0; i < p.n_referrals; i++) hw_templates_demand(p.referrals[i].templates, p.referrals[i].n_templates, &d);
  HW_CHECK_INT(d.visits, >=, 30000);
  HW_CHECK_INT(d.visits, <=, 100000);
  hw_partnership_free(&p);
}

HW_TEST(double_handed_share_is_about_ten_percent) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  hw_demand d = {0};
  for (int32_t i = 0; i < p.n_referrals; i++) hw_templates_demand(p.referrals[i].templates, p.referrals[i].n_templates, &d);
  double share = (double)d.double_handed / (double)d.visits;
  HW_CHECK(share >= 0.07 && share <= 0.13);
  /* Every double-handed visit asks for moving and handling. */
  for (int32_t i = 0; i < p.n_referrals; i++)
    for (int32_t k = 0; k < p.referrals[i].n_templates; k++) {
      const hw_visit_template *t = &p.referrals[i].templates[k];
      HW_CHECK(t->workers == 1 || t->workers == 2);
      if (t->workers == 2) HW_CHECK(t->skills & (1u << HW_SKILL_MOVING_HANDLING));
    }
  hw_partnership_free(&p);
}

HW_TEST(medication_for_about_thirty_percent_at_prescribed_times) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  int32_t on_medication = 0;
  for (int32_t i = 0; i < p.n_referrals; i++) {
    int any = 0;
    for (int32_t k = 0; k < p.referrals[i].n_templates; k++) {
      const hw_visit_template *t = &p.referrals[i].templates[k];
      if (!t->medication) continue;
      any = 1;
      HW_CHECK(t->skills & (1u << HW_SKILL_MEDICATION));
      HW_CHECK(t->prescribed_minute >= t->window.start && t->prescribed_minute < t->window.end);
    }
    on_medication += any;
  }
  double share = (double)on_medication / p.n_referrals;
  HW_CHECK(share >= 0.25 && share <= 0.35);
  hw_partnership_free(&p);
}

HW_TEST(care_plans_are_realistic) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  for (int32_t i = 0; i < p.n_referrals; i++) {
    const hw_referral *r = &p.referrals[i];
    HW_CHECK(r->n_templates >= 1 && r->n_templates <= 4);
    for (int32_t k = 0; k < r->n_templates; k++) {
      const hw_visit_template *t = &r->templates[k];
      HW_CHECK(t->weekdays != 0 && t->weekdays <= 0x7F);
      HW_CHECK(t->duration >= 15 && t->duration <= 65);
      HW_CHECK(t->window.start >= 7 * 60 && t->window.end <= 22 * 60 && t->window.start < t->window.end);
    }
  }
  hw_partnership_free(&p);
}

/* Workers on shift at minute m of weekday d. */
static int32_t on_shift(const hw_partnership *p, int d, int m) {
  int32_t n = 0;
  for (int32_t i = 0; i < p->n_workers; i++)
    for (int32_t s = 0; s < p->workers[i].n_shifts; s++) {
      const hw_shift *sh = &p->workers[i].shifts[s];
      if (sh->weekday == d && sh->hours.start <= m && m < sh->hours.end) {
        n++;
        break;
      }
    }
  return n;
}

HW_TEST(more_workers_in_morning_and_evening_peaks) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  for (int d = 0; d < 7; d++) {
    int32_t morning = on_shift(&p, d, 8 * 60), afternoon = on_shift(&p, d, 13 * 60 + 30),
            evening = on_shift(&p, d, 18 * 60);
    HW_CHECK_INT(morning, >, afternoon);
    HW_CHECK_INT(evening, >, afternoon);
  }
  hw_partnership_free(&p);
}

HW_TEST(contracts_and_breaks_are_valid) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  int32_t drivers = 0, medication = 0;
  for (int32_t i = 0; i < p.n_workers; i++) {
    const hw_worker *w = &p.workers[i];
    HW_CHECK_INT(w->contracted_minutes, >=, 16 * 60);
    HW_CHECK_INT(w->contracted_minutes, <=, 39 * 60);
    HW_CHECK(w->n_shifts >= 1 && w->n_shifts <= HW_MAX_SHIFTS);
    for (int32_t s = 0; s < w->n_shifts; s++) {
      const hw_shift *sh = &w->shifts[s];
      int len = sh->hours.end - sh->hours.start;
      if (len >= 6 * 60) {
        HW_CHECK(sh->break_minutes >= 30);
        HW_CHECK(sh->break_window.start >= sh->hours.start && sh->break_window.end <= sh->hours.end);
      }
    }
    drivers += w->travel == HW_TRAVEL_DRIVE;
    medication += hw_worker_has_skill(w, HW_SKILL_MEDICATION, hw_date_from_ymd(2026, 1, 5));
  }
  HW_CHECK(drivers > p.n_workers * 0.70 && drivers < p.n_workers * 0.80);
  HW_CHECK(medication > p.n_workers * 0.35 && medication < p.n_workers * 0.50);
  hw_partnership_free(&p);
}

HW_TEST(workforce_covers_demand) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  hw_demand d = {0};
  for (int32_t i = 0; i < p.n_referrals; i++) hw_templates_demand(p.referrals[i].templates, p.referrals[i].n_templates, &d);
  int64_t contracted = 0;
  for (int32_t i = 0; i < p.n_workers; i++) contracted += p.workers[i].contracted_minutes;
  HW_CHECK_INT(contracted, >=, d.worker_minutes * 12 / 10); /* care plus travel at least */
  HW_CHECK_INT(contracted, <=, d.worker_minutes * 2);      /* but a modest margin */
  hw_partnership_free(&p);
}

HW_TEST(some_skills_have_expired) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  hw_date start = hw_date_from_ymd(2026, 1, 5);
  int32_t expired = 0, total = 0;
  for (int32_t i = 0; i < p.n_workers; i++)
    for (int32_t s = 0; s < p.workers[i].n_skills; s++) {
      total++;
      if (p.workers[i].skills[s].valid_until < start) {
        expired++;
        HW_CHECK(!hw_worker_has_skill(&p.workers[i], p.workers[i].skills[s].skill, start));
      }
    }
  HW_CHECK(expired > 0 && expired < total / 10);
  hw_partnership_free(&p);
}

HW_TEST(every_care_plan_can_be_staffed_by_its_team) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  hw_date start = hw_date_from_ymd(2026, 1, 5);
  for (int32_t i = 0; i < p.n_referrals; i++) {
    const hw_referral *r = &p.referrals[i];
    const hw_team *team = &p.teams[r->team_id - 1];
    HW_CHECK_INT(team->locality_id, ==, p.clients[r->client_id - 1].locality_id);
    for (int32_t k = 0; k < r->n_templates; k++) {
      uint32_t need = r->templates[k].skills;
      int32_t able_in_team = 0, able_in_locality = 0;
      for (int32_t w = 0; w < p.n_workers; w++) {
        if ((hw_worker_skills_on(&p.workers[w], start) & need) != need) continue;
        if (p.workers[w].team_id == team->id) able_in_team++;
        if (p.teams[p.workers[w].team_id - 1].locality_id == team->locality_id) able_in_locality++;
      }
      HW_CHECK_INT(able_in_team, >=, r->templates[k].workers);
      HW_CHECK_INT(able_in_locality, >=, r->templates[k].workers);
    }
  }
  hw_partnership_free(&p);
}

HW_TEST(chi_numbers_are_valid) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  int32_t with_chi = 0;
  for (int32_t i = 0; i < p.n_clients; i++) {
    const char *chi = p.clients[i].chi;
    if (!chi[0]) continue;
    with_chi++;
    const char *why = NULL;
    HW_CHECK_INT(hw_chi_validate(chi, &why), ==, 0);
    /* The check digit by hand: weights 10..2, 11 - sum mod 11, 11 -> 0. */
    int sum = 0;
    for (int k = 0; k < 9; k++) sum += (chi[k] - '0') * (10 - k);
    int check = 11 - sum % 11;
    HW_CHECK_INT(check == 11 ? 0 : check, ==, chi[9] - '0');
  }
  HW_CHECK(with_chi > p.n_clients / 2 && with_chi < p.n_clients);
  hw_partnership_free(&p);
}

static int cmp_chi(const void *a, const void *b) { return strcmp(a, b); }

/* The store holds a CHI number once (a unique index): no two clients share one. */
HW_TEST(chi_numbers_are_unique) {
  for (uint64_t seed = 1; seed <= 3; seed++) {
    hw_partnership p = make(HW_SCALE_NL, seed);
    char(*chis)[11] = malloc(((size_t)p.n_clients + 1) * sizeof *chis);
    HW_CHECK(chis != NULL);
    int32_t n = 0;
    for (int32_t i = 0; i < p.n_clients; i++)
      if (p.clients[i].chi[0]) memcpy(chis[n++], p.clients[i].chi, sizeof chis[0]);
    qsort(chis, (size_t)n, sizeof chis[0], cmp_chi);
    for (int32_t k = 1; k < n; k++) HW_CHECK(strcmp(chis[k], chis[k - 1]) != 0);
    HW_CHECK(n > p.n_clients / 2);
    free(chis);
    hw_partnership_free(&p);
  }
}

HW_TEST(cross_references_are_valid) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  for (int32_t i = 0; i < p.n_teams; i++) {
    HW_CHECK_INT(p.teams[i].id, ==, i + 1);
    HW_CHECK(p.teams[i].locality_id >= 1 && p.teams[i].locality_id <= p.n_localities);
  }
  for (int32_t i = 0; i < p.n_workers; i++) {
    HW_CHECK_INT(p.workers[i].id, ==, i + 1);
    HW_CHECK(p.workers[i].team_id >= 1 && p.workers[i].team_id <= p.n_teams);
  }
  for (int32_t i = 0; i < p.n_absences; i++) {
    HW_CHECK(p.absences[i].worker_id >= 1 && p.absences[i].worker_id <= p.n_workers);
    HW_CHECK(p.absences[i].from < p.absences[i].to);
  }
  for (int32_t i = 0; i < p.n_clients; i++) {
    const hw_client *c = &p.clients[i];
    HW_CHECK_INT(c->id, ==, i + 1);
    for (int32_t k = 0; k < c->n_preferred; k++) HW_CHECK(c->preferred_workers[k] >= 1 && c->preferred_workers[k] <= p.n_workers);
    for (int32_t k = 0; k < c->n_excluded; k++) HW_CHECK(c->excluded_workers[k] >= 1 && c->excluded_workers[k] <= p.n_workers);
  }
  for (int32_t i = 0; i < p.n_referrals; i++) {
    const hw_referral *r = &p.referrals[i];
    HW_CHECK_INT(r->id, ==, i + 1);
    HW_CHECK(r->client_id >= 1 && r->client_id <= p.n_clients);
    HW_CHECK(referral_of_client(&p, r->client_id) == r); /* one referral per client */
    HW_CHECK(r->team_id >= 1 && r->team_id <= p.n_teams);
    HW_CHECK_INT(p.teams[r->team_id - 1].kind, ==,
                 r->pathway == HW_PATHWAY_REABLEMENT  ? HW_TEAM_REABLEMENT
                 : r->pathway == HW_PATHWAY_INTENSIVE ? HW_TEAM_INTENSIVE
                                                      : HW_TEAM_MAINSTREAM);
  }
  for (int32_t i = 0; i < p.n_discharges; i++) {
    HW_CHECK_INT(p.discharges[i].id, ==, i + 1);
    HW_CHECK(p.discharges[i].client_id >= 1 && p.discharges[i].client_id <= p.n_clients);
  }
  hw_partnership_free(&p);
}

HW_TEST(reablement_teams_two_or_three) {
  for (int teams = 2; teams <= 3; teams++) {
    hw_generate_options o;
    hw_generate_options_init(&o);
    o.reablement_teams = teams;
    hw_partnership p;
    HW_CHECK_INT(hw_generate(&o, &p), ==, 0);
    int32_t count[6][HW_TEAM_KIND_COUNT] = {{0}};
    for (int32_t i = 0; i < p.n_teams; i++) count[p.teams[i].locality_id - 1][p.teams[i].kind]++;
    for (int l = 0; l < 6; l++) {
      HW_CHECK_INT(count[l][HW_TEAM_REABLEMENT], ==, teams);
      HW_CHECK_INT(count[l][HW_TEAM_INTENSIVE], ==, 2);
      HW_CHECK_INT(count[l][HW_TEAM_MAINSTREAM], >=, 1);
    }
    hw_partnership_free(&p);
  }
}

HW_TEST(locality_scale_is_that_locality_of_the_nl_scale) {
  hw_generate_options o;
  hw_generate_options_init(&o);
  o.scale = HW_SCALE_LOCALITY;
  snprintf(o.locality, sizeof o.locality, "Wishaw");
  hw_partnership one;
  HW_CHECK_INT(hw_generate(&o, &one), ==, 0);
  HW_CHECK_INT(one.n_localities, ==, 1);
  HW_CHECK_STR(one.localities[0].name, "Wishaw");
  hw_partnership all = make(HW_SCALE_NL, 1);
  int32_t in_nl = 0;
  for (int32_t i = 0; i < all.n_referrals; i++)
    in_nl += all.clients[all.referrals[i].client_id - 1].locality_id == 6;
  HW_CHECK_INT(one.n_referrals, ==, in_nl);
  hw_partnership_free(&one);
  hw_partnership_free(&all);
}

HW_TEST(small_scale_has_a_few_dozen_clients) {
  hw_partnership p = make(HW_SCALE_SMALL, 3);
  HW_CHECK_INT(p.n_localities, ==, 1);
  HW_CHECK_STR(p.localities[0].name, "Airdrie");
  HW_CHECK_INT(p.n_referrals, ==, 48);
  HW_CHECK(p.n_workers >= 12 && p.n_workers <= 60);
  HW_CHECK(p.n_discharges >= 8);
  hw_partnership_free(&p);
}

HW_TEST(about_thirty_discharges_a_week) {
  hw_partnership p = make(HW_SCALE_NL, 7);
  HW_CHECK_INT(p.n_discharges, ==, 4 * 30);
  hw_time first = hw_local_to_time(hw_date_from_ymd(2026, 1, 5), 0);
  hw_time end = hw_local_to_time(hw_date_from_ymd(2026, 2, 2), 0);
  int32_t office_hours = 0;
  for (int32_t i = 0; i < p.n_discharges; i++) {
    const hw_discharge *d = &p.discharges[i];
    HW_CHECK(d->ready_at >= first && d->ready_at < end);
    if (i > 0) HW_CHECK(d->ready_at >= p.discharges[i - 1].ready_at);
    HW_CHECK_INT(d->status, ==, HW_DISCHARGE_REQUESTED);
    HW_CHECK_CONTAINS(d->hospital, "University Hospital");
    HW_CHECK(d->ward[0] != '\0');
    HW_CHECK(d->n_templates >= 2);
    int m = hw_time_local_minute(d->ready_at);
    office_hours += m >= 9 * 60 && m <= 16 * 60;
  }
  HW_CHECK(office_hours > p.n_discharges * 0.7);
  hw_partnership_free(&p);
}

HW_TEST(discharge_stream_for_the_simulation) {
  hw_partnership p = make(HW_SCALE_SMALL, 3);
  hw_discharge *a = NULL, *b = NULL;
  int32_t na = 0, nb = 0;
  hw_date from = hw_date_from_ymd(2026, 3, 2);
  HW_CHECK_INT(hw_generate_discharges(99, from, 3, &p, &a, &na), ==, 0);
  HW_CHECK_INT(hw_generate_discharges(99, from, 3, &p, &b, &nb), ==, 0);
  HW_CHECK(na > 0);
  HW_CHECK_INT(na, ==, nb);
  HW_CHECK(memcmp(a, b, sizeof *a * (size_t)na) == 0);
  for (int32_t i = 0; i < na; i++) {
    HW_CHECK_INT(a[i].id, ==, 0);
    HW_CHECK(a[i].client_id >= 1 && a[i].client_id <= p.n_clients);
    HW_CHECK(hw_time_local_date(a[i].ready_at) >= from);
  }
  free(a);
  free(b);
  HW_CHECK_INT(hw_generate_discharges(99, from, -1, &p, &a, &na), ==, HW_EINVAL);
  hw_partnership_free(&p);
}

HW_TEST(bad_options_are_named) {
  hw_generate_options o;
  hw_generate_options_init(&o);
  HW_CHECK(hw_generate_options_check(&o) == NULL);
  o.reablement_teams = 4;
  HW_CHECK_CONTAINS(hw_generate_options_check(&o), "reablement_teams");
  hw_partnership p;
  HW_CHECK_INT(hw_generate(&o, &p), ==, HW_EINVAL);
  HW_CHECK_INT(p.n_clients, ==, 0);
  hw_generate_options_init(&o);
  o.scale = HW_SCALE_LOCALITY;
  snprintf(o.locality, sizeof o.locality, "Glasgow");
  HW_CHECK_CONTAINS(hw_generate_options_check(&o), "locality");
  hw_generate_options_init(&o);
  o.d2a_weeks = 53;
  HW_CHECK_CONTAINS(hw_generate_options_check(&o), "d2a_weeks");
  hw_scale s;
  HW_CHECK_INT(hw_scale_parse("locality", &s), ==, 0);
  HW_CHECK_INT(s, ==, HW_SCALE_LOCALITY);
  HW_CHECK_INT(hw_scale_parse("huge", &s), ==, HW_EINVAL);
}
