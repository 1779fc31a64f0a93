/*
 * The domain of a Health and Social Care Partnership's home support service, as C
 * types: localities, teams, workers, clients, referrals with care plans, hospital
 * discharge (D2A) requests, visits, rosters and the event log.
 *
 * These are plain values with fixed-size arrays where the service bounds the count
 * (skills, shifts, care plan templates), so a record can be copied, compared and
 * stored without ownership questions. Ids are the store's row ids (> 0); 0 = none.
 * Instants are hw_time, calendar days hw_date, times of day minutes (0..1440),
 * durations minutes: never floats. Coordinates are integer microdegrees.
 */
#ifndef HW_DOMAIN_H
#define HW_DOMAIN_H

#include <stdint.h>

#include "hw_time.h"

typedef int64_t hw_id;

#define HW_NAME_MAX 64
#define HW_MAX_WORKER_SKILLS 8
#define HW_MAX_SHIFTS 14        /* a worker's weekly pattern: up to two shifts a day */
#define HW_MAX_TEMPLATES 32     /* care plan: up to 4 visits a day, 7 days, with room */
#define HW_MAX_CLIENT_PREFS 8
#define HW_MAX_LANGUAGES 4

/* ---- Enumerations (each has a name table in hw_codec.h) ------------------- */

typedef enum hw_team_kind { HW_TEAM_REABLEMENT = 0, HW_TEAM_INTENSIVE, HW_TEAM_MAINSTREAM, HW_TEAM_KIND_COUNT } hw_team_kind;

/* Skills a visit can require; a worker holds each until a valid-until date. */
typedef enum hw_skill {
  HW_SKILL_PERSONAL_CARE = 0,
  HW_SKILL_MEDICATION,       /* SVQ 3 medication module */
  HW_SKILL_MOVING_HANDLING,  /* hoists, two-person transfers */
  HW_SKILL_DEMENTIA,
  HW_SKILL_END_OF_LIFE,
  HW_SKILL_COMPLEX_CARE,     /* PEG feeding, catheter care, ... */
  HW_SKILL_COUNT
} hw_skill;

typedef enum hw_travel_mode { HW_TRAVEL_DRIVE = 0, HW_TRAVEL_WALK, HW_TRAVEL_MODE_COUNT } hw_travel_mode;
typedef enum hw_gender { HW_GENDER_UNSPECIFIED = 0, HW_GENDER_FEMALE, HW_GENDER_MALE, HW_GENDER_COUNT } hw_gender;
typedef enum hw_referral_source { HW_SOURCE_COMMUNITY = 0, HW_SOURCE_HOSPITAL, HW_SOURCE_CHANGE_OF_NEED, HW_SOURCE_COUNT } hw_referral_source;
typedef enum hw_pathway { HW_PATHWAY_REABLEMENT = 0, HW_PATHWAY_INTENSIVE, HW_PATHWAY_MAINSTREAM, HW_PATHWAY_COUNT } hw_pathway;
typedef enum hw_referral_status {
  HW_REFERRAL_WAITING = 0,   /* received, no team has room yet (see waiting_reason) */
  HW_REFERRAL_ALLOCATED,     /* a team delivers it from start_date */
  HW_REFERRAL_ENDED,         /* episode over (see outcome) */
  HW_REFERRAL_CANCELLED,
  HW_REFERRAL_STATUS_COUNT
} hw_referral_status;
typedef enum hw_episode_outcome {
  HW_OUTCOME_NONE = 0,       /* episode not ended */
  HW_OUTCOME_INDEPENDENT,    /* no further support */
  HW_OUTCOME_MAINSTREAM,     /* ongoing mainstream support */
  HW_OUTCOME_INTENSIVE,      /* moved to an intensive team */
  HW_OUTCOME_COUNT
} hw_episode_outcome;
typedef enum hw_discharge_status {
  HW_DISCHARGE_REQUESTED = 0,
  HW_DISCHARGE_OFFERED,
  HW_DISCHARGE_WAITING,      /* no start offered yet; counts toward bed days */
  HW_DISCHARGE_ACCEPTED,
  HW_DISCHARGE_DISCHARGED,
  HW_DISCHARGE_CANCELLED,
  HW_DISCHARGE_STATUS_COUNT
} hw_discharge_status;
/* What a reablement review found (hw_pathway.h applies it). */
typedef enum hw_review_finding {
  HW_FINDING_PROGRESSING = 0, /* goals not yet met, still improving */
  HW_FINDING_INDEPENDENT,     /* goals met: no further support needed */
  HW_FINDING_ONGOING_NEED,    /* plateaued: needs ongoing support */
  HW_FINDING_COMPLEX_NEED,
  HW_FINDING_END_OF_LIFE,
  HW_FINDING_COUNT
} hw_review_finding;
typedef enum hw_visit_status {
  HW_VISIT_PLANNED = 0,      /* generated, not on a roster */
  HW_VISIT_ASSIGNED,         /* on a published roster */
  HW_VISIT_IN_PROGRESS,      /* checked in */
  HW_VISIT_DONE,             /* checked out */
  HW_VISIT_MISSED,
  HW_VISIT_CANCELLED,
  HW_VISIT_STATUS_COUNT
} hw_visit_status;

/* ---- Value types ----------------------------------------------------------- */

typedef struct hw_geo {
  int32_t lat_e6; /* latitude in microdegrees */
  int32_t lon_e6;
} hw_geo;

typedef struct hw_minute_window {
  int16_t start; /* minute of day, 0..1439 */
  int16_t end;   /* minute of day, start < end <= 1440 */
} hw_minute_window;

typedef struct hw_locality {
  hw_id id;
  char name[HW_NAME_MAX];      /* "Airdrie" */
  int32_t population;
  hw_geo centre;               /* town centre */
  int32_t radius_m;            /* clients are placed within this radius */
} hw_locality;

typedef struct hw_team {
  hw_id id;
  hw_id locality_id;
  hw_team_kind kind;
  char name[HW_NAME_MAX];
} hw_team;

typedef struct hw_worker_skill {
  hw_skill skill;
  hw_date valid_until;         /* last day the qualification counts; HW_DATE_NONE = no expiry */
} hw_worker_skill;

/* One shift in a worker's weekly pattern. */
typedef struct hw_shift {
  uint8_t weekday;             /* 0 = Monday ... 6 = Sunday */
  hw_minute_window hours;
  hw_minute_window break_window; /* start == end == 0: no break */
  int16_t break_minutes;
} hw_shift;

typedef struct hw_worker {
  hw_id id;
  hw_id team_id;
  char name[HW_NAME_MAX];
  hw_geo base;
  hw_travel_mode travel;
  int32_t contracted_minutes;  /* per week */
  hw_gender gender;
  int32_t n_languages;
  char languages[HW_MAX_LANGUAGES][8]; /* BCP 47 primary tags: "en", "pl", "ur" */
  int32_t n_skills;
  hw_worker_skill skills[HW_MAX_WORKER_SKILLS];
  int32_t n_shifts;
  hw_shift shifts[HW_MAX_SHIFTS];
  int32_t active;              /* 0 = left the service */
} hw_worker;

typedef struct hw_absence {
  hw_id id;
  hw_id worker_id;
  hw_time from, to;            /* [from, to) */
  char reason[32];             /* "sickness", "annual_leave", "training", ... */
} hw_absence;

typedef struct hw_client {
  hw_id id;
  hw_id locality_id;
  char name[HW_NAME_MAX];
  char chi[11];                /* CHI number (10 digits) or "" when not given */
  hw_geo location;
  hw_gender carer_gender;      /* preferred carer gender, or unspecified */
  int32_t carer_gender_hard;   /* 1: a requirement, 0: a preference */
  char language[8];            /* preferred language, "" = any */
  int32_t n_preferred;
  hw_id preferred_workers[HW_MAX_CLIENT_PREFS];
  int32_t n_excluded;
  hw_id excluded_workers[HW_MAX_CLIENT_PREFS]; /* hard: never rostered */
  char suspended_reason[32];   /* why the client's visits are suspended ("hospital_admission",
                                  "respite", ...); "" = not suspended (and both times 0) */
  hw_time suspended_from;      /* visits from here on are suspended */
  hw_time suspended_until;     /* end of the suspension, HW_TIME_NONE = until resumed */
} hw_client;

/* One recurring visit of a care plan. */
typedef struct hw_visit_template {
  uint8_t weekdays;            /* bit 0 = Monday ... bit 6 = Sunday; non-zero */
  hw_minute_window window;     /* service must start within */
  int16_t duration;            /* minutes, 5..240 */
  uint32_t skills;             /* bit per hw_skill */
  uint8_t workers;             /* 1 or 2 (double-handed) */
  uint8_t medication;          /* 1: medication administration at a prescribed time */
  int16_t prescribed_minute;   /* medication: minute of day prescribed (inside window) */
} hw_visit_template;

typedef struct hw_referral {
  hw_id id;
  hw_id client_id;
  hw_referral_source source;
  hw_pathway pathway;
  hw_referral_status status;
  hw_id team_id;               /* team delivering it, 0 = not yet allocated */
  hw_time received_at;
  hw_date start_date;          /* first day of visits */
  hw_date end_date;            /* last day of visits, HW_DATE_NONE = open-ended */
  hw_episode_outcome outcome;
  char waiting_reason[96];     /* WAITING: why no team has taken it yet */
  hw_date earliest;            /* WAITING: honest earliest start, HW_DATE_NONE = not known;
                                  0 when not waiting */
  int32_t n_templates;
  hw_visit_template templates[HW_MAX_TEMPLATES];
} hw_referral;

/* One cell of the D2A reserve table: the minutes each reablement team of a
 * locality keeps free at one call peak (0 morning, 1 lunch, 2 tea, 3 bedtime) of
 * one weekday (0 = Monday), as the forecast sized it. */
#define HW_RESERVE_PEAKS 4
typedef struct hw_reserve_row {
  hw_id locality_id;
  int32_t weekday;
  int32_t peak;
  int32_t minutes;             /* 0..240 */
} hw_reserve_row;

/* One review of a reablement episode, as recorded. */
typedef struct hw_review {
  hw_id id;
  hw_id referral_id;
  hw_date date;                /* the day the review was held */
  hw_review_finding finding;
  hw_episode_outcome outcome;  /* the episode's outcome after it (NONE: continues) */
  hw_id next_referral_id;      /* the ongoing-care referral it created, 0 = none */
  char note[160];
} hw_review;

typedef struct hw_discharge {
  hw_id id;
  hw_id client_id;
  hw_id referral_id;           /* the care the person goes home with, 0 until offered */
  char hospital[HW_NAME_MAX];  /* "University Hospital Wishaw" */
  char ward[32];
  hw_time ready_at;            /* ready for discharge */
  hw_discharge_status status;
  hw_time offered_start;       /* first visit offered, HW_TIME_NONE if none */
  hw_date earliest;            /* honest earliest date when waiting, HW_DATE_NONE otherwise */
  hw_time discharged_at;       /* HW_TIME_NONE until discharged */
  int32_t n_templates;         /* support needed */
  hw_visit_template templates[HW_MAX_TEMPLATES];
} hw_discharge;

typedef struct hw_visit {
  hw_id id;
  hw_id referral_id;
  hw_id client_id;
  hw_date date;
  hw_time window_start, window_end; /* service starts within */
  int32_t duration;            /* minutes */
  uint32_t skills;
  int32_t workers;             /* 1 or 2 */
  int32_t priority;            /* 0..100; medication visits high */
  int32_t medication;
  int32_t pinned;              /* 1: keep worker(s) and time when re-planning */
  hw_visit_status status;
  hw_id worker_ids[2];         /* assigned worker(s), 0 = none */
  hw_time planned_start;       /* HW_TIME_NONE until rostered */
  hw_time check_in, check_out; /* HW_TIME_NONE until recorded */
  char cancel_reason[24];      /* CANCELLED: "cancelled", "suspended", "care_plan_changed",
                                  "episode_ended", "discharge_cancelled" */
  char unplaced_reason[24];    /* not rostered by the last plan or repair: why
                                  ("no_capacity", "no_skill", "too_late", ...); "" = placed */
} hw_visit;

/* One line of a worker's day: a visit with its planned start and the travel to it. */
typedef struct hw_roster_entry {
  hw_id worker_id;
  hw_date date;
  int32_t seq;                 /* 0, 1, 2, ... in visiting order */
  hw_id visit_id;
  hw_time planned_start;
  int32_t travel_seconds;      /* travel from the previous stop (or base) */
} hw_roster_entry;

typedef struct hw_event {
  int64_t seq;                 /* position in the log, from 1 */
  char type[48];               /* "referral.created", "absence.recorded", ... */
  char actor[64];              /* who sent it: token name or "system" */
  char idempotency_key[80];    /* unique per actor; "" = none */
  hw_time received_at;
  hw_id locality_id;           /* the locality the change is in, 0 = partnership-wide */
  char *payload;               /* JSON text; owned by whoever filled the event */
} hw_event;

/* The whole partnership in memory: what the generator makes, export writes and
 * the store can load. Arrays are heap-allocated; hw_partnership_free releases. */
typedef struct hw_partnership {
  int32_t n_localities;  hw_locality *localities;
  int32_t n_teams;       hw_team *teams;
  int32_t n_workers;     hw_worker *workers;
  int32_t n_absences;    hw_absence *absences;
  int32_t n_clients;     hw_client *clients;
  int32_t n_referrals;   hw_referral *referrals;
  int32_t n_discharges;  hw_discharge *discharges;
} hw_partnership;

void hw_partnership_free(hw_partnership *p);

/* 1 when the client's visits are suspended at instant t. */
int hw_client_suspended_at(const hw_client *c, hw_time t);

/* 1 when the worker holds skill on date (held and not expired). */
int hw_worker_has_skill(const hw_worker *w, hw_skill skill, hw_date on);
/* Bitset of the worker's skills valid on date. */
uint32_t hw_worker_skills_on(const hw_worker *w, hw_date on);

#endif
