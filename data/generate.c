/*
 * The synthetic partnership generator of hw_generate.h.
 *
 * Order of work, per locality: clients and their referrals (care plans), then the
 * teams (mainstream teams sized to demand) and each referral's team by the patch
 * of town the client lives in, then each team's workers, added until their shift
 * hours cover the team's morning, midday, tea and bedtime demand plus travel and a
 * margin, then clients' preferred and excluded workers, then absences. After the
 * localities come the people in hospital and their discharge requests.
 *
 * Randomness: xoshiro256** seeded by splitmix64 from (seed, stream); every phase of
 * every locality has its own stream so changing one (say the number of reablement
 * teams) does not reshuffle the others. Geometry uses doubles and is rounded once
 * to integer microdegrees; times are integers throughout.
 */
#include "hw_generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"

/* ---- Random numbers --------------------------------------------------------- */

typedef struct rng {
  uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* Uniform in [lo, hi] (inclusive). */
static int32_t rng_int(rng *r, int32_t lo, int32_t hi) {
  uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
  return (int32_t)(lo + (int64_t)((rng_next(r) >> 32) * span >> 32));
}
static int rng_chance(rng *r, double p) { return rng_unit(r) < p; }
/* Index drawn with probability proportional to weights[i]. */
static int rng_pick(rng *r, const double *weights, int n) {
  double total = 0;
  for (int i = 0; i < n; i++) total += weights[i];
  double x = rng_unit(r) * total;
  for (int i = 0; i < n - 1; i++) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return n - 1;
}

/* Random streams, one per phase; a locality adds its index. */
enum { STREAM_CLIENTS = 100, STREAM_WORKERS = 200, STREAM_PREFS = 300, STREAM_ABSENCES = 400,
       STREAM_INPATIENTS = 500, STREAM_DISCHARGES = 600 };

/* ---- The partnership's places ---------------------------------------------- */

typedef struct town {
  const char *name;
  double lat, lon;
  int32_t radius_m;
  double weight; /* share of the locality's population */
} town;

typedef enum hospital { MONKLANDS = 0, WISHAW, HAIRMYRES, HOSPITAL_COUNT } hospital;

static const char *const hospital_names[HOSPITAL_COUNT] = {
    "University Hospital Monklands", "University Hospital Wishaw", "University Hospital Hairmyres"};

typedef struct locality_spec {
  const char *name;
  int32_t population;
  double lat, lon;     /* town centre (for North: Cumbernauld) */
  int32_t radius_m;    /* the whole locality's extent around the centre */
  int n_towns;
  town towns[4];
  double hospital_share[HOSPITAL_COUNT]; /* where its patients are in hospital */
} locality_spec;

/* Populations from the partnership's locality plans; centres from the towns'
 * Ordnance Survey grid references, in WGS84. */
static const locality_spec localities[] = {
    {"Airdrie", 57576, 55.8663, -3.9806, 4000, 1, {{"Airdrie", 55.8663, -3.9806, 4000, 1.0}},
     {0.85, 0.10, 0.05}},
    {"Bellshill", 42273, 55.8170, -4.0260, 4500, 1, {{"Bellshill", 55.8170, -4.0260, 4500, 1.0}},
     {0.05, 0.80, 0.15}},
    {"Coatbridge", 50389, 55.8622, -4.0266, 4000, 1, {{"Coatbridge", 55.8622, -4.0266, 4000, 1.0}},
     {0.90, 0.05, 0.05}},
    {"Motherwell", 45504, 55.7892, -3.9915, 4000, 1, {{"Motherwell", 55.7892, -3.9915, 4000, 1.0}},
     {0.05, 0.85, 0.10}},
    {"North", 86095, 55.9457, -3.9925, 11000, 4,
     {{"Cumbernauld", 55.9457, -3.9925, 3500, 0.58},
      {"Kilsyth", 55.9797, -4.0572, 1800, 0.12},
      {"Chryston", 55.9060, -4.1010, 2200, 0.18},
      {"Moodiesburn", 55.9180, -4.0840, 1500, 0.12}},
     {0.92, 0.05, 0.03}},
    {"Wishaw", 58343, 55.7739, -3.9189, 5000, 1, {{"Wishaw", 55.7739, -3.9189, 5000, 1.0}},
     {0.05, 0.90, 0.05}},
};
enum { N_LOCALITIES = (int)(sizeof localities / sizeof localities[0]) };

#define NL_POPULATION 340180
#define CLIENTS_PER_PERSON (1.0 / 100.0) /* Scotland: ~1 in 100 people get home care */
#define SMALL_CLIENTS 48
#define D2A_PER_WEEK 30.0                 /* across the partnership ... */
#define D2A_PER_CLIENTS 3400.0            /* ... which has about this many clients */
#define D2A_NEW_SHARE 0.6                 /* requests for people new to the service */
#define TEAM_SIZE_TARGET 25               /* workers a mainstream team is split at */
#define COVER_PERCENT 132                 /* hours needed: care x 1.2 travel x 1.1 margin */

static const char *const first_names_f[] = {
    "Margaret", "Agnes", "Isobel", "Catherine", "Elizabeth", "Mary", "Janet", "Helen", "Jean",
    "Anne", "Moira", "Fiona", "Karen", "Lorraine", "Shona", "Gillian", "Nicola", "Claire",
    "Gemma", "Amy", "Laura", "Kirsty", "Emma", "Louise", "Joanne", "Irene", "Sheena", "Morag"};
static const char *const first_names_m[] = {
    "James", "John", "William", "Robert", "Thomas", "David", "Alexander", "Andrew", "Hugh",
    "George", "Ian", "Kenneth", "Stuart", "Graham", "Craig", "Scott", "Gary", "Paul",
    "Stephen", "Mark", "Ryan", "Jamie", "Callum", "Euan"};
static const char *const surnames[] = {
    "Smith", "Brown", "Wilson", "Campbell", "Stewart", "Thomson", "Robertson", "Anderson",
    "MacDonald", "Scott", "Reid", "Murray", "Taylor", "Clark", "Ross", "Young", "Mitchell",
    "Watson", "Paterson", "Morrison", "Fraser", "Hamilton", "Graham", "Kelly", "Docherty",
    "McLean", "Gallacher", "Quinn", "Devlin", "McGuire", "Kowalski", "Nowak", "Ahmed", "Khan"};
#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- Care plans ------------------------------------------------------------- */

/* The four daily call slots of home support. */
typedef enum slot { SLOT_MORNING = 0, SLOT_LUNCH, SLOT_TEA, SLOT_BED, SLOT_COUNT } slot;

typedef struct slot_spec {
  int16_t start, end;             /* window, minutes of day */
  int16_t min_duration, max_duration;
  int16_t prescribed[2];          /* medication times used in this slot */
} slot_spec;

static const slot_spec slots[SLOT_COUNT] = {
    {7 * 60, 10 * 60, 30, 60, {8 * 60, 9 * 60}},
    {11 * 60 + 30, 13 * 60 + 30, 15, 30, {12 * 60 + 30, 12 * 60 + 30}},
    {16 * 60, 18 * 60, 15, 30, {17 * 60, 17 * 60}},
    {19 * 60 + 30, 22 * 60, 15, 45, {20 * 60 + 30, 21 * 60}},
};

/* What a person's care needs, drawn once per client (or hospital patient). */
typedef struct needs {
  int visits_per_day;
  int double_handed, medication, dementia, end_of_life, complex_care;
  int weekday_lunch; /* lunch visit Monday to Friday only (family at weekends) */
} needs;

typedef struct pathway_mix {
  double visits_per_day[4]; /* weights of 1, 2, 3, 4 visits */
  double double_handed, medication, dementia, end_of_life, complex_care;
} pathway_mix;

static const pathway_mix mixes[HW_PATHWAY_COUNT] = {
    [HW_PATHWAY_REABLEMENT] = {{15, 30, 30, 25}, 0.07, 0.22, 0.15, 0.0, 0.0},
    [HW_PATHWAY_INTENSIVE] = {{0, 0, 40, 60}, 0.25, 0.40, 0.25, 0.40, 0.60},
    [HW_PATHWAY_MAINSTREAM] = {{25, 25, 25, 25}, 0.09, 0.32, 0.25, 0.0, 0.0},
};

static needs draw_needs(rng *r, hw_pathway pw) {
  const pathway_mix *m = &mixes[pw];
  needs n = {0};
  n.visits_per_day = 1 + rng_pick(r, m->visits_per_day, 4);
  n.double_handed = rng_chance(r, m->double_handed);
  n.medication = rng_chance(r, m->medication);
  n.dementia = rng_chance(r, m->dementia);
  n.end_of_life = rng_chance(r, m->end_of_life);
  n.complex_care = !n.end_of_life && rng_chance(r, m->complex_care);
  n.weekday_lunch = pw == HW_PATHWAY_MAINSTREAM && rng_chance(r, 0.2);
  return n;
}

/* Which slots a plan of k visits a day uses. */
static void choose_slots(rng *r, int k, int used[SLOT_COUNT]) {
  memset(used, 0, sizeof(int) * SLOT_COUNT);
  used[SLOT_MORNING] = 1;
  if (k == 2) used[rng_chance(r, 0.6) ? SLOT_BED : SLOT_TEA] = 1;
  if (k == 3) {
    used[SLOT_BED] = 1;
    used[rng_chance(r, 0.7) ? SLOT_LUNCH : SLOT_TEA] = 1;
  }
  if (k >= 4) used[SLOT_LUNCH] = used[SLOT_TEA] = used[SLOT_BED] = 1;
}

static int16_t round5(int v) { return (int16_t)((v + 2) / 5 * 5); }

static hw_visit_template make_template(rng *r, const needs *n, slot s, hw_pathway pw) {
  const slot_spec *sp = &slots[s];
  hw_visit_template t = {0};
  t.weekdays = (s == SLOT_LUNCH && n->weekday_lunch) ? 0x1F : 0x7F;
  t.window.start = sp->start;
  t.window.end = sp->end;
  int extra = pw == HW_PATHWAY_REABLEMENT ? 5 : 0; /* time to encourage doing it oneself */
  int lo = sp->min_duration, hi = sp->max_duration;
  if (pw == HW_PATHWAY_INTENSIVE && s == SLOT_MORNING) lo = 45;
  t.duration = round5(rng_int(r, lo, hi) + extra);
  t.skills = 1u << HW_SKILL_PERSONAL_CARE;
  if (n->dementia) t.skills |= 1u << HW_SKILL_DEMENTIA;
  if (n->end_of_life) t.skills |= 1u << HW_SKILL_END_OF_LIFE;
  if (n->complex_care) t.skills |= 1u << HW_SKILL_COMPLEX_CARE;
  t.workers = 1;
  if (n->double_handed) {
    t.workers = 2;
    t.skills |= 1u << HW_SKILL_MOVING_HANDLING;
  }
  /* Medication at a prescribed time: always in the morning, in other slots half
   * the time; the window narrows to half an hour either side of the time. */
  if (n->medication && (s == SLOT_MORNING || rng_chance(r, 0.5))) {
    int16_t at = sp->prescribed[rng_int(r, 0, 1)];
    t.medication = 1;
    t.prescribed_minute = at;
    t.window.start = (int16_t)(at - 30);
    t.window.end = (int16_t)(at + 30);
    t.skills |= 1u << HW_SKILL_MEDICATION;
  }
  return t;
}

static void make_care_plan(rng *r, const needs *n, hw_pathway pw, hw_visit_template *t, int32_t *count) {
  int used[SLOT_COUNT];
  choose_slots(r, n->visits_per_day, used);
  *count = 0;
  for (int s = 0; s < SLOT_COUNT; s++)
    if (used[s]) t[(*count)++] = make_template(r, n, (slot)s, pw);
}

static int popcount7(uint8_t days) {
  int c = 0;
  for (int i = 0; i < 7; i++) c += (days >> i) & 1;
  return c;
}

void hw_templates_demand(const hw_visit_template *t, int32_t n, hw_demand *acc) {
  for (int32_t i = 0; i < n; i++) {
    int64_t per_week = popcount7(t[i].weekdays);
    acc->visits += per_week;
    if (t[i].workers == 2) acc->double_handed += per_week;
    if (t[i].medication) acc->medication += per_week;
    acc->worker_minutes += per_week * t[i].duration * (t[i].workers == 2 ? 2 : 1);
  }
}

/* ---- Growing arrays ----------------------------------------------------------- */

typedef struct gen {
  const hw_generate_options *o;
  hw_partnership *p;
  int32_t cap_localities, cap_teams, cap_workers, cap_absences, cap_clients, cap_referrals;
} gen;

/* Append one zeroed element to the array *arr of *n elements; NULL on no memory. */
static void *push(void *arr, int32_t *n, int32_t *cap, size_t size) {
  void **a = arr;
  if (*n == *cap) {
    int32_t ncap = *cap ? *cap * 2 : 64;
    void *grown = realloc(*a, (size_t)ncap * size);
    if (!grown) return NULL;
    *a = grown;
    *cap = ncap;
  }
  void *slot_ptr = (char *)*a + (size_t)(*n)++ * size;
  memset(slot_ptr, 0, size);
  return slot_ptr;
}

/* ---- Geography and people ----------------------------------------------------- */

#define METRES_PER_DEGREE 111320.0

static hw_geo geo_of(double lat, double lon) {
  hw_geo g = {(int32_t)lround(lat * 1e6), (int32_t)lround(lon * 1e6)};
  return g;
}

/* A point uniform over the disc of radius_m around (lat, lon). */
static hw_geo point_in_disc(rng *r, double lat, double lon, double radius_m) {
  double dist = radius_m * sqrt(rng_unit(r)), angle = 2 * M_PI * rng_unit(r);
  double dlat = dist * sin(angle) / METRES_PER_DEGREE;
  double dlon = dist * cos(angle) / (METRES_PER_DEGREE * cos(lat * M_PI / 180));
  return geo_of(lat + dlat, lon + dlon);
}

/* A home in the locality: around one of its towns, chosen by population. */
static hw_geo home_in(rng *r, const locality_spec *ls, double radius_scale) {
  double w[4];
  for (int i = 0; i < ls->n_towns; i++) w[i] = ls->towns[i].weight;
  const town *t = &ls->towns[rng_pick(r, w, ls->n_towns)];
  return point_in_disc(r, t->lat, t->lon, t->radius_m * radius_scale);
}

/* The patch (0..k-1) of the locality a point lies in: k equal sectors around the
 * centre, so each of k teams of a kind covers one part of town. */
static int patch_of(hw_geo g, const hw_locality *loc, int k) {
  double angle = atan2((double)(g.lat_e6 - loc->centre.lat_e6), (double)(g.lon_e6 - loc->centre.lon_e6));
  int i = (int)((angle + M_PI) / (2 * M_PI) * k);
  return i < 0 ? 0 : i >= k ? k - 1 : i;
}

static void random_name(rng *r, hw_gender g, char *out) {
  const char *first = g == HW_GENDER_MALE ? first_names_m[rng_int(r, 0, COUNT_OF(first_names_m) - 1)]
                                          : first_names_f[rng_int(r, 0, COUNT_OF(first_names_f) - 1)];
  snprintf(out, HW_NAME_MAX, "%s %s", first, surnames[rng_int(r, 0, COUNT_OF(surnames) - 1)]);
}

/* A valid CHI number for someone born on `born` (DDMMYY, two random digits, a sex
 * digit - odd male, even female - and the modulus-11 check digit). Draws again in
 * the one case in eleven where the check would be 10, which CHI never issues. */
static void make_chi(rng *r, hw_date born, int male, char out[11]) {
  int y, m, d;
  hw_date_to_ymd(born, &y, &m, &d);
  for (;;) {
    int sex = rng_int(r, 0, 4) * 2 + (male ? 1 : 0);
    snprintf(out, 11, "%02d%02d%02d%02d%d", d, m, y % 100, rng_int(r, 0, 99), sex);
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += (out[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    out[9] = (char)('0' + check);
    out[10] = '\0';
    return;
  }
}

/* ---- Clients and referrals ------------------------------------------------------ */

static hw_pathway draw_pathway(rng *r) {
  static const double w[HW_PATHWAY_COUNT] = {[HW_PATHWAY_REABLEMENT] = 0.22, [HW_PATHWAY_INTENSIVE] = 0.08,
                                             [HW_PATHWAY_MAINSTREAM] = 0.70};
  return (hw_pathway)rng_pick(r, w, HW_PATHWAY_COUNT);
}

static hw_referral_source draw_source(rng *r, hw_pathway pw) {
  static const double w[HW_PATHWAY_COUNT][HW_SOURCE_COUNT] = {
      [HW_PATHWAY_REABLEMENT] = {0.40, 0.45, 0.15},
      [HW_PATHWAY_INTENSIVE] = {0.30, 0.50, 0.20},
      [HW_PATHWAY_MAINSTREAM] = {0.60, 0.30, 0.10},
  };
  return (hw_referral_source)rng_pick(r, w[pw], HW_SOURCE_COUNT);
}

/* The person's own details: name, home, CHI (75% known), carer preferences. */
static void fill_person(rng *r, const locality_spec *ls, hw_date start, hw_client *c) {
  int male = rng_chance(r, 0.38); /* most people receiving home care are women */
  random_name(r, male ? HW_GENDER_MALE : HW_GENDER_FEMALE, c->name);
  c->location = home_in(r, ls, 1.0);
  int age = rng_chance(r, 0.82) ? rng_int(r, 65, 99) : rng_int(r, 18, 64);
  if (rng_chance(r, 0.75)) make_chi(r, start - age * 365 - rng_int(r, 0, 364), male, c->chi);
  double g = rng_unit(r);
  if (g < 0.12) {
    c->carer_gender = HW_GENDER_FEMALE;
    c->carer_gender_hard = rng_chance(r, 0.25);
  } else if (g < 0.15) {
    c->carer_gender = HW_GENDER_MALE;
  }
  double l = rng_unit(r);
  if (l < 0.02) strcpy(c->language, "pl");
  else if (l < 0.03) strcpy(c->language, "ur");
  else if (l < 0.035) strcpy(c->language, "pa");
}

static hw_time office_time(rng *r, hw_date day) { return hw_local_to_time(day, round5(rng_int(r, 9 * 60, 17 * 60))); }

/* Dates and status of a referral on its pathway, as of the start day. */
static void date_referral(rng *r, hw_date start, hw_referral *ref) {
  hw_date received;
  ref->status = HW_REFERRAL_ALLOCATED;
  ref->end_date = HW_DATE_NONE;
  switch (ref->pathway) {
    case HW_PATHWAY_REABLEMENT: /* recent: episodes last up to six weeks */
      received = start - rng_int(r, 0, 40);
      ref->start_date = received + rng_int(r, 0, 3);
      ref->end_date = ref->start_date + 41;
      break;
    case HW_PATHWAY_INTENSIVE:
      received = start - rng_int(r, 7, 120);
      ref->start_date = received + rng_int(r, 0, 2);
      break;
    default: /* long-standing mainstream support */
      received = start - rng_int(r, 90, 1500);
      ref->start_date = received + rng_int(r, 1, 14);
      break;
  }
  ref->received_at = office_time(r, received);
}

static int add_client_with_referral(gen *g, rng *r, const locality_spec *ls, hw_id locality_id) {
  hw_client *c = push(&g->p->clients, &g->p->n_clients, &g->cap_clients, sizeof *c);
  if (!c) return HW_ENOMEM;
  c->id = g->p->n_clients;
  c->locality_id = locality_id;
  fill_person(r, ls, g->o->start, c);
  hw_referral *ref = push(&g->p->referrals, &g->p->n_referrals, &g->cap_referrals, sizeof *ref);
  if (!ref) return HW_ENOMEM;
  ref->id = g->p->n_referrals;
  ref->client_id = c->id;
  ref->pathway = draw_pathway(r);
  ref->source = draw_source(r, ref->pathway);
  ref->outcome = HW_OUTCOME_NONE;
  date_referral(r, g->o->start, ref);
  needs n = draw_needs(r, ref->pathway);
  make_care_plan(r, &n, ref->pathway, ref->templates, &ref->n_templates);
  return 0;
}

/* ---- Teams --------------------------------------------------------------------- */

static hw_team_kind kind_of_pathway(hw_pathway pw) {
  return pw == HW_PATHWAY_REABLEMENT ? HW_TEAM_REABLEMENT
         : pw == HW_PATHWAY_INTENSIVE ? HW_TEAM_INTENSIVE
                                      : HW_TEAM_MAINSTREAM;
}

/* Average paid minutes a week of a worker: the middle of the 16-39 hour range. */
#define AVERAGE_CONTRACT_MINUTES (27 * 60)

static int mainstream_team_count(const gen *g, int32_t first_ref) {
  hw_demand d = {0};
  for (int32_t i = first_ref; i < g->p->n_referrals; i++)
    if (g->p->referrals[i].pathway == HW_PATHWAY_MAINSTREAM)
      hw_templates_demand(g->p->referrals[i].templates, g->p->referrals[i].n_templates, &d);
  int64_t workers = d.worker_minutes * COVER_PERCENT / 100 / AVERAGE_CONTRACT_MINUTES;
  int teams = (int)((workers + TEAM_SIZE_TARGET - 1) / TEAM_SIZE_TARGET);
  return teams < 1 ? 1 : teams;
}

static int add_team(gen *g, const hw_locality *loc, hw_team_kind kind, int number) {
  static const char *const kind_title[HW_TEAM_KIND_COUNT] = {"Reablement", "Intensive", "Mainstream"};
  hw_team *t = push(&g->p->teams, &g->p->n_teams, &g->cap_teams, sizeof *t);
  if (!t) return HW_ENOMEM;
  t->id = g->p->n_teams;
  t->locality_id = loc->id;
  t->kind = kind;
  snprintf(t->name, sizeof t->name, "%.32s %s %d", loc->name, kind_title[kind], number);
  return 0;
}

/* ---- Workers ------------------------------------------------------------------- */

/* Daily shift patterns. Split shifts put staff on in both peaks; only the day
 * pattern covers the early afternoon, which is why it is the quiet time. */
typedef enum pattern { PAT_SPLIT = 0, PAT_MORNING, PAT_EVENING, PAT_DAY, PAT_COUNT } pattern;

typedef struct pattern_spec {
  int n_parts;
  hw_minute_window parts[2];
  hw_minute_window break_window; /* {0,0}: no break (pieces shorter than six hours) */
  int16_t break_minutes;
  int min_days, max_days;
} pattern_spec;

static const pattern_spec patterns[PAT_COUNT] = {
    [PAT_SPLIT] = {2, {{7 * 60, 11 * 60}, {16 * 60 + 30, 22 * 60}}, {0, 0}, 0, 2, 4},
    [PAT_MORNING] = {1, {{7 * 60, 13 * 60}}, {10 * 60 + 30, 12 * 60}, 30, 3, 6},
    [PAT_EVENING] = {1, {{16 * 60, 22 * 60}}, {18 * 60, 19 * 60 + 30}, 30, 3, 6},
    [PAT_DAY] = {1, {{7 * 60, 15 * 60}}, {10 * 60 + 30, 13 * 60}, 30, 3, 5},
};

/* The parts of the day whose care the workforce must cover. The evening is two
 * peaks, tea (16:00-19:00) and bedtime (from 19:00), each sized on its own: sized
 * as one period, the tea calls' surplus hid a bedtime short of staff. */
typedef enum period { PERIOD_MORNING = 0, PERIOD_MIDDAY, PERIOD_TEA, PERIOD_BED, PERIOD_COUNT } period;
static const hw_minute_window periods[PERIOD_COUNT] = {
    {7 * 60, 11 * 60}, {11 * 60, 16 * 60}, {16 * 60, 19 * 60}, {19 * 60, 22 * 60 + 30}};

static period period_of(const hw_visit_template *t) {
  int m = t->window.start;
  return m < 11 * 60 ? PERIOD_MORNING : m < 16 * 60 ? PERIOD_MIDDAY : m < 19 * 60 ? PERIOD_TEA : PERIOD_BED;
}

static int overlap(hw_minute_window a, hw_minute_window b) {
  int lo = a.start > b.start ? a.start : b.start, hi = a.end < b.end ? a.end : b.end;
  return hi > lo ? hi - lo : 0;
}

/* Minutes a week a team must cover in each period (care with travel and margin),
 * and the skills its care plans ask for. */
typedef struct team_need {
  int64_t minutes[PERIOD_COUNT];
  uint32_t skills;
} team_need;

static team_need need_of_team(const gen *g, hw_id team_id, int32_t first_ref) {
  team_need need = {{0}, 1u << HW_SKILL_PERSONAL_CARE};
  for (int32_t i = first_ref; i < g->p->n_referrals; i++) {
    const hw_referral *ref = &g->p->referrals[i];
    if (ref->team_id != team_id) continue;
    for (int32_t k = 0; k < ref->n_templates; k++) {
      const hw_visit_template *t = &ref->templates[k];
      need.minutes[period_of(t)] += (int64_t)popcount7(t->weekdays) * t->duration * t->workers;
      need.skills |= t->skills;
    }
  }
  for (int p = 0; p < PERIOD_COUNT; p++) need.minutes[p] = need.minutes[p] * COVER_PERCENT / 100;
  return need;
}

/* The pattern for the next worker: one that covers a period still short. */
static pattern choose_pattern(rng *r, const int64_t short_by[PERIOD_COUNT]) {
  int morning = short_by[PERIOD_MORNING] > 0, midday = short_by[PERIOD_MIDDAY] > 0,
      evening = short_by[PERIOD_TEA] > 0 || short_by[PERIOD_BED] > 0;
  if (morning && evening) {
    static const double w[PAT_COUNT] = {0.5, 0.2, 0.15, 0.15};
    return (pattern)rng_pick(r, w, PAT_COUNT);
  }
  if (morning || midday) {
    static const double w[PAT_COUNT] = {0.2, 0.45, 0.0, 0.35};
    return (pattern)rng_pick(r, w, PAT_COUNT);
  }
  return rng_chance(r, 0.7) ? PAT_EVENING : PAT_SPLIT;
}

/* Give w the pattern's shifts on `days` consecutive weekdays from `first_day`. */
static void set_shifts(hw_worker *w, pattern pat, int first_day, int days) {
  const pattern_spec *ps = &patterns[pat];
  w->n_shifts = 0;
  w->contracted_minutes = 0;
  for (int d = 0; d < days; d++) {
    for (int k = 0; k < ps->n_parts; k++) {
      hw_shift *s = &w->shifts[w->n_shifts++];
      s->weekday = (uint8_t)((first_day + d) % 7);
      s->hours = ps->parts[k];
      s->break_window = ps->break_window;
      s->break_minutes = ps->break_minutes;
      w->contracted_minutes += ps->parts[k].end - ps->parts[k].start - ps->break_minutes;
    }
  }
}

static void add_skill(hw_worker *w, hw_skill s, hw_date valid_until) {
  w->skills[w->n_skills].skill = s;
  w->skills[w->n_skills].valid_until = valid_until;
  w->n_skills++;
}

/* Skills a worker of this kind of team holds, each until a date; `assured` skills
 * are always held and in date (so every care plan of the team can be staffed). */
static void give_skills(rng *r, hw_worker *w, hw_team_kind kind, uint32_t assured, hw_date start) {
  static const double share[HW_TEAM_KIND_COUNT][HW_SKILL_COUNT] = {
      /* personal care, medication, moving & handling, dementia, end of life, complex */
      [HW_TEAM_REABLEMENT] = {1.0, 0.50, 0.85, 0.50, 0.10, 0.05},
      [HW_TEAM_INTENSIVE] = {1.0, 0.70, 0.90, 0.60, 1.00, 0.80},
      [HW_TEAM_MAINSTREAM] = {1.0, 0.35, 0.85, 0.50, 0.10, 0.00},
  };
  for (int s = 0; s < HW_SKILL_COUNT; s++) {
    int sure = (assured >> s) & 1;
    if (!sure && !rng_chance(r, share[kind][s])) continue;
    /* Refresher training every one to three years; 3% of certificates have lapsed. */
    hw_date until = start + rng_int(r, 30, 3 * 365);
    if (!sure && rng_chance(r, 0.03)) until = start - rng_int(r, 1, 180);
    add_skill(w, (hw_skill)s, until);
  }
}

static void give_languages(rng *r, hw_worker *w) {
  strcpy(w->languages[0], "en");
  w->n_languages = 1;
  double l = rng_unit(r);
  const char *second = l < 0.04 ? "pl" : l < 0.06 ? "ur" : l < 0.07 ? "pa" : NULL;
  if (second) strcpy(w->languages[w->n_languages++], second);
}

static int add_worker(gen *g, rng *r, const locality_spec *ls, const hw_locality *loc, const hw_team *team,
                      int team_patch, int patches, pattern pat, uint32_t assured) {
  hw_worker *w = push(&g->p->workers, &g->p->n_workers, &g->cap_workers, sizeof *w);
  if (!w) return HW_ENOMEM;
  w->id = g->p->n_workers;
  w->team_id = team->id;
  w->active = 1;
  double gd = rng_unit(r);
  w->gender = gd < 0.85 ? HW_GENDER_FEMALE : gd < 0.98 ? HW_GENDER_MALE : HW_GENDER_UNSPECIFIED;
  random_name(r, w->gender, w->name);
  w->travel = rng_chance(r, 0.75) ? HW_TRAVEL_DRIVE : HW_TRAVEL_WALK;
  /* Home base in the team's patch; walkers live closer in. */
  for (int tries = 0; tries < 32; tries++) {
    w->base = home_in(r, ls, w->travel == HW_TRAVEL_WALK ? 0.6 : 1.0);
    if (patch_of(w->base, loc, patches) == team_patch) break;
  }
  const pattern_spec *ps = &patterns[pat];
  int paid = 0;
  for (int k = 0; k < ps->n_parts; k++) paid += ps->parts[k].end - ps->parts[k].start - ps->break_minutes;
  /* Days a week within 16..39 contracted hours. */
  int lo = (16 * 60 + paid - 1) / paid, hi = 39 * 60 / paid;
  if (lo < ps->min_days) lo = ps->min_days;
  if (hi > ps->max_days) hi = ps->max_days;
  set_shifts(w, pat, rng_int(r, 0, 6), rng_int(r, lo, hi));
  give_skills(r, w, team->kind, assured, g->o->start);
  give_languages(r, w);
  return 0;
}

/* Minutes of shift sh inside window p, less the break's share: the break is
 * taken somewhere in its window, so a period holding a third of the window
 * loses a third of the break. */
static int shift_minutes_in(const hw_shift *sh, hw_minute_window p) {
  int on = overlap(sh->hours, p), bw = sh->break_window.end - sh->break_window.start;
  if (on > 0 && sh->break_minutes > 0 && bw > 0) on -= sh->break_minutes * overlap(sh->break_window, p) / bw;
  return on;
}

/* Minutes a week worker w is on shift within each period. */
static void worker_cover(const hw_worker *w, int64_t cover[PERIOD_COUNT]) {
  for (int32_t s = 0; s < w->n_shifts; s++)
    for (int p = 0; p < PERIOD_COUNT; p++) cover[p] += shift_minutes_in(&w->shifts[s], periods[p]);
}

/* Staff one team: two fully skilled split-shift workers (so double-handed and
 * specialist visits can always be staffed), then more until every period's need
 * is covered. */
static int staff_team(gen *g, rng *r, const locality_spec *ls, const hw_locality *loc, int32_t team_index,
                      int team_patch, int patches, int32_t first_ref) {
  hw_team team = g->p->teams[team_index];
  team_need need = need_of_team(g, team.id, first_ref);
  int64_t short_by[PERIOD_COUNT];
  for (int p = 0; p < PERIOD_COUNT; p++) short_by[p] = need.minutes[p];
  for (int n = 0;; n++) {
    int any_short = 0;
    for (int p = 0; p < PERIOD_COUNT; p++) any_short |= short_by[p] > 0;
    if (n >= 2 && !any_short) return 0;
    pattern pat = n < 2 ? PAT_SPLIT : choose_pattern(r, short_by);
    int rc = add_worker(g, r, ls, loc, &team, team_patch, patches, pat, n < 2 ? need.skills : 0);
    if (rc) return rc;
    int64_t cover[PERIOD_COUNT] = {0};
    worker_cover(&g->p->workers[g->p->n_workers - 1], cover);
    for (int p = 0; p < PERIOD_COUNT; p++) short_by[p] -= cover[p];
  }
}

/* ---- Peak cover (hw_peak_cover_of) --------------------------------------------- */

static const hw_minute_window peaks[HW_PEAK_COUNT] = {
    {7 * 60, 11 * 60}, {16 * 60, 22 * 60}, {16 * 60, 19 * 60}, {19 * 60, 22 * 60}};

static hw_id locality_of_team(const hw_partnership *p, hw_id team_id) {
  return team_id >= 1 && team_id <= p->n_teams ? p->teams[team_id - 1].locality_id : 0; /* ids are 1..n */
}

void hw_peak_cover_of(const hw_partnership *p, hw_id locality_id, hw_peak_cover *out) {
  memset(out, 0, sizeof *out);
  for (int32_t i = 0; i < p->n_referrals; i++) {
    const hw_referral *ref = &p->referrals[i];
    if (locality_of_team(p, ref->team_id) != locality_id) continue;
    for (int32_t k = 0; k < ref->n_templates; k++) {
      const hw_visit_template *t = &ref->templates[k];
      for (int pk = 0; pk < HW_PEAK_COUNT; pk++)
        if (t->window.start >= peaks[pk].start && t->window.start < peaks[pk].end)
          out->care_minutes[pk] += (int64_t)popcount7(t->weekdays) * t->duration * t->workers;
    }
  }
  for (int32_t i = 0; i < p->n_workers; i++) {
    const hw_worker *w = &p->workers[i];
    if (!w->active || locality_of_team(p, w->team_id) != locality_id) continue;
    for (int32_t s = 0; s < w->n_shifts; s++)
      for (int pk = 0; pk < HW_PEAK_COUNT; pk++) {
        out->shift_minutes[pk] += shift_minutes_in(&w->shifts[s], peaks[pk]);
      }
  }
  for (int pk = 0; pk < HW_PEAK_COUNT; pk++)
    out->cover_permille[pk] = out->care_minutes[pk] > 0
        ? (int32_t)(out->shift_minutes[pk] * 1000 * 1000 / HW_PEAK_TRAVEL_PERMILLE / out->care_minutes[pk]) : -1;
}

/* ---- Preferences and absences ---------------------------------------------------- */

/* Index range [first, end) of a team's workers (workers are added team by team). */
static void team_workers(const gen *g, hw_id team_id, int32_t first_worker, int32_t *first, int32_t *end) {
  *first = *end = first_worker;
  while (*first < g->p->n_workers && g->p->workers[*first].team_id != team_id) (*first)++;
  *end = *first;
  while (*end < g->p->n_workers && g->p->workers[*end].team_id == team_id) (*end)++;
}

static void set_preferences(gen *g, rng *r, int32_t first_client, int32_t first_worker) {
  for (int32_t i = first_client; i < g->p->n_clients; i++) {
    hw_client *c = &g->p->clients[i];
    const hw_referral *ref = &g->p->referrals[i]; /* one referral per client, same order */
    int32_t lo, hi;
    team_workers(g, ref->team_id, first_worker, &lo, &hi);
    /* Long-standing clients often have carers they know (continuity). */
    if (ref->pathway == HW_PATHWAY_MAINSTREAM && rng_chance(r, 0.25) && hi > lo) {
      int k = rng_int(r, 1, 2);
      for (int j = 0; j < k; j++) {
        hw_id w = g->p->workers[rng_int(r, lo, hi - 1)].id;
        if (c->n_preferred == 0 || c->preferred_workers[0] != w) c->preferred_workers[c->n_preferred++] = w;
      }
    }
    /* A few have asked not to see a particular carer again; never one of the two
     * fully skilled workers a team relies on. */
    if (rng_chance(r, 0.03) && hi - lo > 2) c->excluded_workers[c->n_excluded++] = g->p->workers[rng_int(r, lo + 2, hi - 1)].id;
  }
}

static int add_absences(gen *g, rng *r, int32_t first_worker) {
  hw_date start = g->o->start;
  for (int32_t i = first_worker; i < g->p->n_workers; i++) {
    if (!rng_chance(r, 0.04)) continue;
    hw_absence *a = push(&g->p->absences, &g->p->n_absences, &g->cap_absences, sizeof *a);
    if (!a) return HW_ENOMEM;
    a->id = g->p->n_absences;
    a->worker_id = g->p->workers[i].id;
    int leave = rng_chance(r, 0.7);
    hw_date from = start + rng_int(r, 0, 13);
    a->from = hw_local_to_time(from, 0);
    a->to = hw_local_to_time(from + (leave ? rng_int(r, 1, 5) : rng_int(r, 1, 3)), 0);
    strcpy(a->reason, leave ? "annual_leave" : "sickness");
  }
  return 0;
}

/* ---- One locality ------------------------------------------------------------------ */

static int32_t clients_for(const hw_generate_options *o, const locality_spec *ls) {
  if (o->scale == HW_SCALE_SMALL) return SMALL_CLIENTS;
  return (int32_t)lround(ls->population * CLIENTS_PER_PERSON);
}

static int add_teams_of_kind(gen *g, const hw_locality *loc, hw_team_kind kind, int count, int32_t *first) {
  *first = g->p->n_teams;
  for (int i = 0; i < count; i++) {
    int rc = add_team(g, loc, kind, i + 1);
    if (rc) return rc;
  }
  return 0;
}

static int generate_locality(gen *g, int spec_index) {
  const locality_spec *ls = &localities[spec_index];
  hw_locality *lp = push(&g->p->localities, &g->p->n_localities, &g->cap_localities, sizeof *lp);
  if (!lp) return HW_ENOMEM;
  lp->id = g->p->n_localities;
  snprintf(lp->name, sizeof lp->name, "%s", ls->name);
  lp->population = ls->population;
  lp->centre = geo_of(ls->lat, ls->lon);
  lp->radius_m = ls->radius_m;
  hw_locality loc = *lp;

  rng r;
  rng_seed(&r, g->o->seed, STREAM_CLIENTS + (uint64_t)spec_index);
  int32_t first_client = g->p->n_clients, first_ref = g->p->n_referrals, n = clients_for(g->o, ls);
  for (int32_t i = 0; i < n; i++) {
    int rc = add_client_with_referral(g, &r, ls, loc.id);
    if (rc) return rc;
  }

  int count[HW_TEAM_KIND_COUNT] = {g->o->reablement_teams, 2, mainstream_team_count(g, first_ref)};
  int32_t first_team[HW_TEAM_KIND_COUNT];
  for (int k = 0; k < HW_TEAM_KIND_COUNT; k++) {
    int rc = add_teams_of_kind(g, &loc, (hw_team_kind)k, count[k], &first_team[k]);
    if (rc) return rc;
  }
  for (int32_t i = first_ref; i < g->p->n_referrals; i++) {
    hw_referral *ref = &g->p->referrals[i];
    hw_team_kind k = kind_of_pathway(ref->pathway);
    int patch = patch_of(g->p->clients[ref->client_id - 1].location, &loc, count[k]);
    ref->team_id = g->p->teams[first_team[k] + patch].id;
  }

  rng_seed(&r, g->o->seed, STREAM_WORKERS + (uint64_t)spec_index);
  int32_t first_worker = g->p->n_workers;
  for (int k = 0; k < HW_TEAM_KIND_COUNT; k++)
    for (int t = 0; t < count[k]; t++) {
      int rc = staff_team(g, &r, ls, &loc, first_team[k] + t, t, count[k], first_ref);
      if (rc) return rc;
    }

  rng_seed(&r, g->o->seed, STREAM_PREFS + (uint64_t)spec_index);
  set_preferences(g, &r, first_client, first_worker);
  rng_seed(&r, g->o->seed, STREAM_ABSENCES + (uint64_t)spec_index);
  return add_absences(g, &r, first_worker);
}

/* ---- Hospital patients and discharges ------------------------------------------------ */

static int spec_of_name(const char *name) {
  for (int i = 0; i < N_LOCALITIES; i++)
    if (strcmp(localities[i].name, name) == 0) return i;
  return -1;
}

static int32_t discharges_per_week(const hw_partnership *p) {
  int32_t weekly = (int32_t)lround(D2A_PER_WEEK * p->n_referrals / D2A_PER_CLIENTS);
  return weekly < 2 ? 2 : weekly;
}

/* People in hospital now, new to home support: clients without a referral yet,
 * spread over the localities by population. */
static int add_inpatients(gen *g) {
  int32_t count = (int32_t)lround(D2A_NEW_SHARE * discharges_per_week(g->p) * g->o->d2a_weeks);
  double weights[N_LOCALITIES];
  int spec[N_LOCALITIES];
  for (int32_t i = 0; i < g->p->n_localities; i++) {
    spec[i] = spec_of_name(g->p->localities[i].name);
    weights[i] = g->p->localities[i].population;
  }
  rng r;
  rng_seed(&r, g->o->seed, STREAM_INPATIENTS);
  for (int32_t i = 0; i < count; i++) {
    int li = rng_pick(&r, weights, g->p->n_localities);
    hw_client *c = push(&g->p->clients, &g->p->n_clients, &g->cap_clients, sizeof *c);
    if (!c) return HW_ENOMEM;
    c->id = g->p->n_clients;
    c->locality_id = g->p->localities[li].id;
    fill_person(&r, &localities[spec[li]], g->o->start, c);
  }
  return 0;
}

typedef struct pool {
  int32_t *fresh, n_fresh, next_fresh; /* clients new to the service, in order */
  uint8_t *used;                       /* per client: already has a request */
} pool;

static int make_pool(const hw_partnership *p, pool *pl) {
  memset(pl, 0, sizeof *pl);
  pl->used = calloc((size_t)p->n_clients, 1);
  uint8_t *has_ref = calloc((size_t)p->n_clients, 1);
  pl->fresh = malloc(sizeof(int32_t) * (size_t)p->n_clients);
  if (!pl->used || !has_ref || !pl->fresh) {
    free(has_ref);
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < p->n_referrals; i++) {
    hw_id c = p->referrals[i].client_id;
    if (c >= 1 && c <= p->n_clients) has_ref[c - 1] = 1;
  }
  for (int32_t i = 0; i < p->n_discharges; i++) {
    hw_id c = p->discharges[i].client_id;
    if (c >= 1 && c <= p->n_clients) has_ref[c - 1] = 1;
  }
  /* used = 2 reserves the people new to the service for the first branch of
   * next_patient, so a restart never picks one of them. */
  for (int32_t i = 0; i < p->n_clients; i++)
    if (!has_ref[i]) {
      pl->fresh[pl->n_fresh++] = i;
      pl->used[i] = 2;
    }
  free(has_ref);
  return 0;
}

/* The client (array index) of the next request: someone new while they last (in
 * proportion to the requests left), else an existing client not yet asked for. */
static int32_t next_patient(rng *r, pool *pl, const hw_partnership *p, int32_t requests_left) {
  int32_t fresh_left = pl->n_fresh - pl->next_fresh;
  if (fresh_left > 0 && rng_unit(r) * requests_left < fresh_left) {
    int32_t i = pl->fresh[pl->next_fresh++];
    pl->used[i] = 1;
    return i;
  }
  int32_t i = rng_int(r, 0, p->n_clients - 1);
  for (int tries = 0; tries < 16 && pl->used[i]; tries++) i = rng_int(r, 0, p->n_clients - 1);
  pl->used[i] = 1;
  return i;
}

static int locality_spec_of_client(const hw_partnership *p, const hw_client *c) {
  for (int32_t i = 0; i < p->n_localities; i++)
    if (p->localities[i].id == c->locality_id) return spec_of_name(p->localities[i].name);
  return -1;
}

static void fill_discharge(rng *r, const hw_partnership *p, int32_t client, hw_date day, hw_discharge *d) {
  const hw_client *c = &p->clients[client];
  d->client_id = c->id;
  int spec = locality_spec_of_client(p, c);
  static const double unknown_share[HOSPITAL_COUNT] = {1, 0, 0};
  hospital h = (hospital)rng_pick(r, spec >= 0 ? localities[spec].hospital_share : unknown_share, HOSPITAL_COUNT);
  snprintf(d->hospital, sizeof d->hospital, "%s", hospital_names[h]);
  snprintf(d->ward, sizeof d->ward, "Ward %d", rng_int(r, 1, 24));
  /* Ready mostly after the morning ward round and before the late afternoon. */
  int minute = rng_chance(r, 0.8) ? rng_int(r, 9 * 60, 16 * 60) : rng_int(r, 7 * 60, 20 * 60);
  d->ready_at = hw_local_to_time(day, round5(minute));
  d->status = HW_DISCHARGE_REQUESTED;
  d->offered_start = HW_TIME_NONE;
  d->earliest = HW_DATE_NONE;
  d->discharged_at = HW_TIME_NONE;
  /* Going home with short-term support, assessed at home: a reablement-type plan. */
  needs n = draw_needs(r, HW_PATHWAY_REABLEMENT);
  if (n.visits_per_day < 2) n.visits_per_day = 2;
  n.medication = rng_chance(r, 0.35);
  make_care_plan(r, &n, HW_PATHWAY_REABLEMENT, d->templates, &d->n_templates);
}

static int by_ready_at(const void *a, const void *b) {
  const hw_discharge *x = a, *y = b;
  if (x->ready_at != y->ready_at) return x->ready_at < y->ready_at ? -1 : 1;
  return x->client_id < y->client_id ? -1 : x->client_id > y->client_id;
}

int hw_generate_discharges(uint64_t seed, hw_date from, int32_t weeks, const hw_partnership *p,
                           hw_discharge **out, int32_t *n) {
  *out = NULL;
  *n = 0;
  if (weeks < 0 || weeks > 520 || (weeks > 0 && p->n_clients < 1)) return HW_EINVAL;
  if (weeks == 0) return 0;
  int32_t weekly = discharges_per_week(p), total = weekly * weeks;
  hw_discharge *ds = calloc((size_t)total, sizeof *ds);
  pool pl;
  int rc = make_pool(p, &pl);
  if (!ds || rc) {
    free(ds);
    free(pl.fresh);
    free(pl.used);
    return HW_ENOMEM;
  }
  rng r;
  rng_seed(&r, seed, STREAM_DISCHARGES);
  /* Fewer discharges at weekends, when fewer senior staff are on the wards. */
  static const double day_weight[7] = {2, 2, 2, 2, 2, 1, 1};
  for (int32_t i = 0; i < total; i++) {
    hw_date day = from + (i / weekly) * 7 + rng_pick(&r, day_weight, 7);
    fill_discharge(&r, p, next_patient(&r, &pl, p, total - i), day, &ds[i]);
  }
  qsort(ds, (size_t)total, sizeof *ds, by_ready_at);
  free(pl.fresh);
  free(pl.used);
  *out = ds;
  *n = total;
  return 0;
}

/* ---- Options and the whole partnership ---------------------------------------------- */

static const char *const scale_names[HW_SCALE_COUNT] = {"nl", "locality", "small"};

const char *hw_scale_name(hw_scale s) { return (unsigned)s < HW_SCALE_COUNT ? scale_names[s] : "unknown"; }

int hw_scale_parse(const char *s, hw_scale *out) {
  for (int i = 0; i < HW_SCALE_COUNT; i++)
    if (s && strcmp(s, scale_names[i]) == 0) {
      *out = (hw_scale)i;
      return 0;
    }
  return HW_EINVAL;
}

void hw_generate_options_init(hw_generate_options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->scale = HW_SCALE_NL;
  o->reablement_teams = 3;
  o->start = hw_date_from_ymd(HW_GENERATE_DEFAULT_START_Y, HW_GENERATE_DEFAULT_START_M, HW_GENERATE_DEFAULT_START_D);
  o->d2a_weeks = 4;
}

const char *hw_generate_options_check(const hw_generate_options *o) {
  if ((unsigned)o->scale >= HW_SCALE_COUNT) return "scale: must be nl, locality or small";
  if (o->reablement_teams != 2 && o->reablement_teams != 3) return "reablement_teams: must be 2 or 3";
  if (o->d2a_weeks < 0 || o->d2a_weeks > 52) return "d2a_weeks: must be between 0 and 52";
  if (o->start == HW_DATE_NONE) return "start: must be a date";
  if (o->scale == HW_SCALE_NL && o->locality[0]) return "locality: only with scale locality or small";
  if (o->locality[0] && spec_of_name(o->locality) < 0)
    return "locality: must be one of Airdrie, Bellshill, Coatbridge, Motherwell, North, Wishaw";
  return NULL;
}

/* A client's CHI number with its place, sorted to find repeats. */
typedef struct chi_at {
  char chi[11];
  int32_t client;
} chi_at;

static int by_chi(const void *a, const void *b) {
  const chi_at *x = a, *y = b;
  int c = strcmp(x->chi, y->chi);
  return c ? c : (x->client > y->client) - (x->client < y->client);
}

/* A CHI number identifies one person, and the store holds each once: a number the
 * draws gave to an earlier client too is dropped from the later one (who then has
 * none, as a quarter of clients do). No draw is made, so nothing else changes. */
static int drop_repeated_chi(hw_partnership *p) {
  chi_at *ix = malloc(((size_t)p->n_clients + 1) * sizeof *ix);
  if (!ix) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t i = 0; i < p->n_clients; i++)
    if (p->clients[i].chi[0]) {
      memcpy(ix[n].chi, p->clients[i].chi, sizeof ix[n].chi);
      ix[n++].client = i;
    }
  qsort(ix, (size_t)n, sizeof *ix, by_chi);
  for (int32_t k = 1; k < n; k++)
    if (strcmp(ix[k].chi, ix[k - 1].chi) == 0) p->clients[ix[k].client].chi[0] = '\0';
  free(ix);
  return 0;
}

static int generate_all(gen *g) {
  if (g->o->scale == HW_SCALE_NL) {
    for (int i = 0; i < N_LOCALITIES; i++) {
      int rc = generate_locality(g, i);
      if (rc) return rc;
    }
  } else {
    int rc = generate_locality(g, g->o->locality[0] ? spec_of_name(g->o->locality) : 0);
    if (rc) return rc;
  }
  int rc = add_inpatients(g);
  if (rc == 0) rc = drop_repeated_chi(g->p);
  if (rc) return rc;
  hw_discharge *ds;
  int32_t n;
  rc = hw_generate_discharges(g->o->seed, g->o->start, g->o->d2a_weeks, g->p, &ds, &n);
  if (rc) return rc;
  for (int32_t i = 0; i < n; i++) ds[i].id = i + 1;
  g->p->discharges = ds;
  g->p->n_discharges = n;
  return 0;
}

int hw_generate(const hw_generate_options *o, hw_partnership *out) {
  memset(out, 0, sizeof *out);
  if (hw_generate_options_check(o)) return HW_EINVAL;
  gen g = {.o = o, .p = out};
  int rc = generate_all(&g);
  if (rc) hw_partnership_free(out);
  return rc;
}
