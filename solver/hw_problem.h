/*
 * The solver's model of a routing problem: resources (care workers, vehicles) that
 * travel between locations, and jobs (visits, customers) they serve within time
 * windows. This header is the whole vocabulary the solver understands; it knows
 * nothing of clients, hospitals or databases. Readers (data/) and the scheduler
 * build an hw_problem; the solver returns an hw_solution; the checker (hw_check.h)
 * validates any solution against its problem.
 *
 * Units: all times and durations are integer ticks (hw_tick). For care rosters a
 * tick is one second. Benchmark readers whose instances have fractional travel
 * times (Solomon's Euclidean distances) scale by `time_scale` ticks per instance
 * unit and round travel times *up*, so a schedule feasible in ticks is feasible in
 * the instance's own double-precision arithmetic too. Costs are int64.
 *
 * Memory: an hw_problem owns its arrays; hw_problem_free() releases them.
 */
#ifndef HW_PROBLEM_H
#define HW_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t hw_tick;
typedef uint64_t hw_skillset; /* bit i set = skill i required / held; at most 64 skills */

#define HW_TICK_MAX ((hw_tick)0x3fffffff) /* "no limit"; leaves room for sums */
#define HW_MAX_WINDOWS 4
#define HW_MAX_BREAKS 3
#define HW_MAX_PREFS 8
#define HW_MAX_PROFILES 4

typedef struct hw_window {
  hw_tick start; /* earliest service start */
  hw_tick end;   /* latest service start (hard), or start of lateness (soft) */
} hw_window;

/* A break the solver places inside the shift: it starts within `window` and lasts
 * `duration`; the resource does not travel or serve during it. */
typedef struct hw_break_spec {
  int64_t id;
  hw_window window;
  hw_tick duration;
} hw_break_spec;

typedef struct hw_resource {
  int64_t id;              /* caller's id, echoed in solutions */
  int32_t start_loc;       /* location index, or -1: the route starts at its first job */
  int32_t end_loc;         /* location index, or -1: the route ends at its last job */
  hw_window shift;         /* leaves start_loc no earlier than shift.start, back by shift.end */
  int32_t n_breaks;
  hw_break_spec breaks[HW_MAX_BREAKS];
  hw_skillset skills;
  int32_t capacity;        /* < 0: no capacity limit */
  int32_t profile;         /* travel profile (index into hw_problem.durations) */
  int64_t fixed_cost;      /* paid once if the resource serves at least one job */
} hw_resource;

typedef struct hw_job {
  int64_t id;              /* caller's id, echoed in solutions */
  int32_t loc;             /* location index */
  hw_tick service;         /* service duration */
  int32_t n_windows;       /* >= 1; windows sorted and disjoint */
  hw_window windows[HW_MAX_WINDOWS];
  hw_skillset skills;      /* every one must be held by each serving resource */
  int32_t demand;          /* load taken from capacity (0 for care visits) */
  int32_t workers;         /* 1, or 2: double-handed, two different resources that
                              start service at the same tick */
  int32_t priority;        /* 0..100: higher is assigned first when not all can be */
  int64_t unassigned_cost; /* cost if left unassigned; 0 = derived from priority */
  int32_t pin_resource;    /* resource index the job must go to, or -1 */
  hw_tick pin_start;       /* exact service start, or -1 */
  int32_t n_preferred;     /* soft: a small bonus for these resources (continuity) */
  int32_t preferred[HW_MAX_PREFS];
  int32_t n_excluded;      /* hard: never these resources */
  int32_t excluded[HW_MAX_PREFS];
} hw_job;

/* Two single-worker jobs whose starts are linked, served by different resources:
 * min_gap <= start(second) - start(first) <= max_gap. Simultaneous = 0, 0. */
typedef struct hw_link {
  int32_t first, second; /* job indices */
  hw_tick min_gap, max_gap;
} hw_link;

typedef enum hw_objective_kind {
  HW_OBJ_ROSTER = 0, /* care rosters: travel + lateness + continuity + balance */
  HW_OBJ_DISTANCE,   /* VRPTW benchmarks: total travel cost only, all jobs served */
  HW_OBJ_MANKOWSKA,  /* (travel + total tardiness + max tardiness) / 3 */
  HW_OBJ_VROOM       /* VROOM's ranking: unassigned cost (readers derive it from the
                        priority), then travel + fixed costs; no balance term */
} hw_objective_kind;

/* Weights of the roster objective's last level (HW_OBJ_ROSTER), one definition for
 * the search, the exact model and the checker. Continuity: each visit served by a
 * resource outside its job's preferred list costs HW_PREFERENCE_COST. Balance:
 * each used route adds work^2 / HW_BALANCE_DIVISOR (work = travel + service +
 * breaks in ticks), so two 4-hour days cost less than one 8-hour day. */
#define HW_PREFERENCE_COST 600
#define HW_BALANCE_DIVISOR 3600000

typedef struct hw_problem {
  char name[64];
  hw_objective_kind objective;
  double time_scale;            /* ticks per instance time unit (1 for rosters) */

  int32_t n_locations;
  int32_t n_profiles;           /* 1..HW_MAX_PROFILES */
  hw_tick *durations[HW_MAX_PROFILES]; /* n_locations^2, row-major: [from*n + to] */
  int64_t *costs[HW_MAX_PROFILES];     /* same shape; NULL = cost equals duration */
  double *x, *y;                /* optional coordinates (may be NULL); for geometry only */

  int32_t n_resources;
  hw_resource *resources;
  int32_t n_jobs;
  hw_job *jobs;
  int32_t n_links;
  hw_link *links;

  int32_t soft_windows;         /* 1: service may start after window end, costing lateness */
  int64_t lateness_weight;      /* cost per tick of lateness (soft windows) */
  int32_t max_routes;           /* fleet limit (<= n_resources), or 0 = no limit */
} hw_problem;

/* Zero the struct and set defaults (one profile, time_scale 1, lateness_weight 1). */
void hw_problem_init(hw_problem *p);
/* Release every array the problem owns; leaves it as after hw_problem_init. */
void hw_problem_free(hw_problem *p);
/* Allocate zeroed arrays for n locations (matrices of every profile), resources,
 * jobs and links. Returns 0 or HW_ENOMEM. Each job gets workers 1, n_windows 1 with
 * [0, HW_TICK_MAX], pin_resource -1, pin_start -1; each resource start/end -1,
 * capacity -1, shift [0, HW_TICK_MAX]. */
int hw_problem_alloc(hw_problem *p, int32_t n_locations, int32_t n_profiles,
                     int32_t n_resources, int32_t n_jobs, int32_t n_links);

/* Travel duration and cost between two locations for a profile (inline: hot path). */
static inline hw_tick hw_travel(const hw_problem *p, int32_t profile, int32_t from, int32_t to) {
  if (from < 0 || to < 0) return 0;
  return p->durations[profile][(size_t)from * (size_t)p->n_locations + (size_t)to];
}
static inline int64_t hw_travel_cost(const hw_problem *p, int32_t profile, int32_t from, int32_t to) {
  if (from < 0 || to < 0) return 0;
  const int64_t *c = p->costs[profile];
  size_t i = (size_t)from * (size_t)p->n_locations + (size_t)to;
  return c ? c[i] : (int64_t)p->durations[profile][i];
}

/* Validate the problem before solving: indices in range, windows ordered, durations
 * non-negative, every link between single-worker jobs, every required skill held by
 * some resource. On failure returns HW_EINVAL and writes "<field>: <reason>" (for
 * example "jobs[12].windows[0]: end before start") into msg. */
int hw_problem_validate(const hw_problem *p, char *msg, size_t msg_len);

/* ---- Solutions ------------------------------------------------------------ */

typedef enum hw_step_kind { HW_STEP_START, HW_STEP_JOB, HW_STEP_BREAK, HW_STEP_END } hw_step_kind;

typedef struct hw_step {
  hw_step_kind kind;
  int32_t index;     /* job index (JOB) or break index in the resource (BREAK); -1 otherwise */
  hw_tick arrival;   /* arrival at the location (START: departure) */
  hw_tick start;     /* service (or break) start */
} hw_step;

typedef struct hw_route {
  int32_t resource;  /* resource index */
  int32_t n_steps;   /* includes START and END */
  hw_step *steps;
} hw_route;

/* Why a job was left unassigned (the checker and the API report these). */
typedef enum hw_unassigned_reason {
  HW_UNASSIGNED_NO_CAPACITY = 0, /* feasible alone, but no room in any route */
  HW_UNASSIGNED_NO_SKILL,        /* no resource holds the required skills */
  HW_UNASSIGNED_NO_WINDOW,       /* no resource's shift covers a window */
  HW_UNASSIGNED_NO_PARTNER,      /* double-handed / linked: no second resource fits */
  HW_UNASSIGNED_PIN_INFEASIBLE,  /* the pin cannot be honoured */
  HW_UNASSIGNED_EXCLUDED         /* every capable resource is excluded */
} hw_unassigned_reason;

const char *hw_unassigned_reason_str(hw_unassigned_reason r);

typedef struct hw_unassigned {
  int32_t job;
  hw_unassigned_reason reason;
} hw_unassigned;

/* The cost breakdown the solver optimises, lexicographically: first unassigned
 * (weighted by priority), then `cost`. */
typedef struct hw_cost {
  int64_t unassigned_penalty; /* sum of unassigned_cost of unassigned jobs */
  int64_t travel;             /* sum of travel costs */
  int64_t lateness;           /* total lateness in ticks (soft windows) */
  int64_t max_lateness;       /* largest single lateness */
  int64_t fixed;              /* fixed costs of used resources */
  int64_t preference;         /* continuity / preference penalty */
  int64_t balance;            /* workload balance penalty */
  int64_t total;              /* the objective value as the solver ranks solutions */
} hw_cost;

typedef struct hw_solution {
  int32_t n_routes;
  hw_route *routes;           /* only non-empty routes */
  int32_t n_unassigned;
  hw_unassigned *unassigned;
  hw_cost cost;
  int64_t iterations;         /* search iterations done */
  int64_t solve_ms;           /* wall time of the solve */
  int32_t proven_optimal;     /* 1: GLPK proved no plan is better (hw_solve's exact path) */
} hw_solution;

void hw_solution_init(hw_solution *s);
void hw_solution_free(hw_solution *s);
/* Deep copy; dst must be initialised (its old content is freed). 0 or HW_ENOMEM. */
int hw_solution_copy(hw_solution *dst, const hw_solution *src);

#endif
