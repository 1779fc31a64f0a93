/*
 * Publishing a plan draft (hw_plan.h): the writer stores the plan as of now,
 * not as of the snapshot it was solved from, and writes only what differs; each
 * worker whose day changed since they were last published gets change notes
 * (hw_publish.h). A plan kept as a draft is stored as of now the same way, as a
 * draft to publish later.
 *
 * A publication goes in chunks so that it never holds the writer long: each
 * chunk settles the whole day as of its own commit, then writes the rosters of
 * a few groups of workers and the visits on them. A group is never split: the
 * workers a visit moves between, and the two of a double-handed visit, are in
 * one, so between chunks every visit is on the rosters its record names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_error.h"
#include "hw_plan.h"
#include "hw_publish.h"
#include "hw_travel.h"
#include "service_internal.h"

#define CHANGED_DURING_PLAN "changed_during_plan"
#define LOG_PAGE 64

/* How firmly a visit holds its place when it and another cannot both stay. */
enum {
  GIVES_WAY = 1, /* changed since the snapshot, neither under way nor pinned */
  PLANNED = 2,   /* unchanged since the snapshot: the plan's assignment */
  COMMITTED = 3  /* changed since the snapshot, and under way or pinned */
};

/* A publication under way: the day as it was last settled, kept by the draft
 * from one chunk to the next. */
struct hw__publication {
  hw_store *st;
  const hw_plan_draft *d;
  hw_time at;                  /* of the change */
  const char *actor;
  int settled;                 /* now, final and rank hold the day */
  hw_visit *now;               /* the day's visits as stored (as of the last chunk) */
  hw_visit *final;             /* ... as they are to be */
  uint8_t *rank;
  int32_t n;
  /* Workers and absences as they are now, when they may have changed since the
   * snapshot (else n_workers is -1 and the plan's workers are taken as valid). */
  hw_worker *workers;
  int32_t n_workers;
  hw_absence *absences;
  int32_t n_absences;
  hw_id *with_published;       /* workers with a roster published for the day, sorted */
  int32_t n_with_published;
  int64_t checked_seq;         /* events checked for changes to workers, up to */
  int workers_changed;         /* one was such a change */
  hw_plan_report *report;
  int32_t notes;               /* change notes written */
  hw_id *published;            /* the groups' members whose chunk is stored, sorted */
  int32_t n_published;
  /* This chunk: the groups (see the top) of every worker of the day or the
   * locality and of every visit on no roster either way (as minus its id),
   * sorted, with each one's root and whether this chunk stores its group. */
  hw_id *ids;
  int32_t *root;
  uint8_t *in_chunk;
  int32_t n_ids;
  int last;                    /* nothing is left after this chunk */
};
typedef struct hw__publication publication;

/* One worker's visit: a roster line to be. */
typedef struct line {
  hw_id worker_id;
  hw_time start;
  int32_t visit;               /* index into now / final */
} line;

/* ---- Visits ------------------------------------------------------------------------ */

static int same_visit(const hw_visit *a, const hw_visit *b) {
  return a->id == b->id && a->client_id == b->client_id && a->referral_id == b->referral_id && a->date == b->date &&
         a->window_start == b->window_start && a->window_end == b->window_end && a->duration == b->duration &&
         a->skills == b->skills && a->workers == b->workers && a->priority == b->priority &&
         a->medication == b->medication && a->pinned == b->pinned && a->status == b->status &&
         a->worker_ids[0] == b->worker_ids[0] && a->worker_ids[1] == b->worker_ids[1] &&
         a->planned_start == b->planned_start && a->check_in == b->check_in && a->check_out == b->check_out &&
         strcmp(a->cancel_reason, b->cancel_reason) == 0 && strcmp(a->unplaced_reason, b->unplaced_reason) == 0;
}

static const hw_visit *visit_by_id(const hw_visit *v, int32_t n, hw_id id) {
  int32_t lo = 0, hi = n - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (v[mid].id == id) return &v[mid];
    if (v[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

static int under_way(const hw_visit *v) { return v->status == HW_VISIT_IN_PROGRESS || v->status == HW_VISIT_DONE; }

static int of_the_day(const hw_visit *v) { return v->status != HW_VISIT_CANCELLED && v->status != HW_VISIT_MISSED; }

static int placed(const hw_visit *v) { return of_the_day(v) && v->worker_ids[0] && v->planned_start != HW_TIME_NONE; }

/* Take the visit off the rosters, saying why (one under way cannot be). */
static void give_way(hw_visit *v) {
  if (under_way(v)) return;
  v->worker_ids[0] = v->worker_ids[1] = 0;
  v->planned_start = HW_TIME_NONE;
  v->status = HW_VISIT_PLANNED;
  snprintf(v->unplaced_reason, sizeof v->unplaced_reason, CHANGED_DURING_PLAN);
}

/* ---- Workers as they are now ---------------------------------------------------------- */

/* Has an absence, or a change to a worker or team (a new one takes nothing away),
 * touched the locality since the snapshot? Then the plan's workers must be
 * checked again. Read on from *checked_seq (each chunk from where the one
 * before stopped, the first from where the solve's catch-up did). */
static int check_worker_changes(hw_store *st, hw_id locality_id, int64_t *checked_seq, int *changed) {
  static const char *const prefixes[] = {"absence.", "worker.changed", "team.changed", NULL};
  hw_event *page = calloc(LOG_PAGE, sizeof *page);
  if (!page) return HW_ENOMEM;
  int rc = 0;
  for (int32_t got = LOG_PAGE; rc == 0 && got == LOG_PAGE && !*changed;) {
    rc = hw_store_events_after(st, *checked_seq, LOG_PAGE, page, &got);
    for (int32_t i = 0; rc == 0 && i < got; i++) {
      *checked_seq = page[i].seq;
      if (!hw__svc_event_touches(page[i].type, page[i].locality_id, locality_id)) continue;
      for (int k = 0; prefixes[k]; k++)
        if (strncmp(page[i].type, prefixes[k], strlen(prefixes[k])) == 0) *changed = 1;
    }
    hw_event_free_array(page, got);
  }
  free(page);
  return rc;
}

int hw__plan_catch_up(hw_store *st, hw_plan_draft *d) {
  return check_worker_changes(st, d->locality_id, &d->checked_seq, &d->workers_changed);
}

static int load_workers_now(publication *p) {
  free(p->workers);
  free(p->absences);
  p->workers = NULL;
  p->absences = NULL;
  p->n_workers = -1;
  p->n_absences = 0;
  if (!p->workers_changed) return 0;
  hw_time day0 = hw_local_to_time(p->d->date, 0), day1 = hw_local_to_time(p->d->date + 1, 0);
  int rc = hw_store_list_workers(p->st, p->d->locality_id, &p->workers, &p->n_workers);
  if (rc == 0) rc = hw_store_list_absences(p->st, 0, day0, day1, &p->absences, &p->n_absences);
  return rc;
}

static const hw_worker *worker_in(const hw_worker *w, int32_t n, hw_id id) {
  int32_t lo = 0, hi = n - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (w[mid].id == id) return &w[mid];
    if (w[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

/* Can worker id still do [from, to) of date: active, on shift, skilled, not absent? */
static int worker_can(const publication *p, hw_id id, const hw_visit *v) {
  const hw_worker *w = worker_in(p->workers, p->n_workers, id);
  if (!w || !w->active || (hw_worker_skills_on(w, v->date) & v->skills) != v->skills) return 0;
  hw_time from = v->planned_start, to = from + (hw_time)v->duration * 60;
  int wd = hw_date_weekday(v->date), on_shift = 0;
  for (int32_t s = 0; s < w->n_shifts && !on_shift; s++)
    on_shift = w->shifts[s].weekday == wd && hw_local_to_time(v->date, w->shifts[s].hours.start) <= from &&
               hw_local_to_time(v->date, w->shifts[s].hours.end) >= to;
  for (int32_t a = 0; a < p->n_absences && on_shift; a++)
    if (p->absences[a].worker_id == id && p->absences[a].from < to && p->absences[a].to > from) on_shift = 0;
  return on_shift;
}

static int still_allowed(const publication *p, const hw_visit *v) {
  if (p->n_workers < 0) return 1;
  for (int k = 0; k < v->workers && k < 2; k++)
    if (v->worker_ids[k] && !worker_can(p, v->worker_ids[k], v)) return 0;
  return 1;
}

/* ---- Deciding each visit ------------------------------------------------------------ */

/* The plan for a visit unchanged since the snapshot; what is stored for one
 * changed since (or new). */
static void decide(publication *p) {
  const hw_plan_draft *d = p->d;
  for (int32_t i = 0; i < p->n; i++) {
    const hw_visit *now = &p->now[i];
    const hw_visit *before = visit_by_id(d->before, d->n_before, now->id);
    const hw_visit *after = visit_by_id(d->after, d->n_after, now->id);
    p->final[i] = *now;
    if (before && same_visit(now, before)) {
      p->rank[i] = PLANNED;
      if (after) p->final[i] = *after;
      if (after && placed(after) && !under_way(after) && !still_allowed(p, after)) give_way(&p->final[i]);
    } else {
      p->rank[i] = under_way(now) || now->pinned ? COMMITTED : GIVES_WAY;
    }
  }
}

/* ---- Where visits meet ------------------------------------------------------------------ */

static int by_worker_then_start(const void *a, const void *b) {
  const line *x = a, *y = b;
  if (x->worker_id != y->worker_id) return x->worker_id < y->worker_id ? -1 : 1;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return (x->visit > y->visit) - (x->visit < y->visit);
}

/* The placed visits of v[0..n) as (worker, start) lines, sorted. */
static line *lines_of(const hw_visit *v, int32_t n, int32_t *n_lines) {
  line *l = malloc(((size_t)n * 2 + 1) * sizeof *l);
  if (!l) return NULL;
  int32_t k = 0;
  for (int32_t i = 0; i < n; i++)
    for (int w = 0; w < 2 && placed(&v[i]); w++)
      if (v[i].worker_ids[w]) l[k++] = (line){v[i].worker_ids[w], v[i].planned_start, i};
  qsort(l, (size_t)k, sizeof *l, by_worker_then_start);
  *n_lines = k;
  return l;
}

static int client_home(const publication *p, hw_id id, hw_geo *out) {
  const hw_locday *l = &p->d->loc;
  int32_t lo = 0, hi = l->n_clients - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (l->clients[mid].id == id) {
      *out = l->clients[mid].location;
      return 0;
    }
    if (l->clients[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  hw_client c; /* a client newer than the snapshot */
  int rc = hw_store_get_client(p->st, id, &c);
  if (rc == 0) *out = c.location;
  return rc;
}

static int worker_now_or_then(const publication *p, hw_id id, hw_worker *out) {
  const hw_worker *w = worker_in(p->workers, p->n_workers > 0 ? p->n_workers : 0, id);
  if (!w) w = hw_locday_worker(&p->d->loc, id);
  if (w) {
    *out = *w;
    return 0;
  }
  return hw_store_get_worker(p->st, id, out); /* a worker newer than the snapshot */
}

/* Travel from a to b for worker w, in seconds. */
static int travel_between(const publication *p, const hw_worker *w, const hw_visit *a, const hw_visit *b,
                          int32_t *out) {
  hw_geo from = w->base, to;
  int rc = a ? client_home(p, a->client_id, &from) : 0;
  if (rc == 0) rc = client_home(p, b->client_id, &to);
  if (rc == 0) *out = hw_travel_seconds(from, to, w->travel);
  return rc;
}

/* The first pair of one worker's visits that cannot both stay (the second
 * starts before the first ends and the travel between is done): 1 with the
 * lines' indices, 0 when none. */
static int find_clash(const publication *p, const line *l, int32_t n, int32_t *first, int32_t *second, int *rc) {
  *rc = 0;
  for (int32_t k = 1; k < n; k++) {
    if (l[k].worker_id != l[k - 1].worker_id) continue;
    const hw_visit *a = &p->final[l[k - 1].visit], *b = &p->final[l[k].visit];
    hw_worker w;
    int32_t travel = 0;
    if ((*rc = worker_now_or_then(p, l[k].worker_id, &w)) || (*rc = travel_between(p, &w, a, b, &travel))) return 0;
    if (a->planned_start + (hw_time)a->duration * 60 + travel > b->planned_start) {
      *first = k - 1;
      *second = k;
      return 1;
    }
  }
  return 0;
}

/* Where two visits cannot both stay, the one that holds its place less firmly
 * gives way; two that hold equally stay as they are (it is no plan of ours). */
static int resolve_clashes(publication *p) {
  for (;;) {
    int32_t n_lines = 0, a, b;
    line *l = lines_of(p->final, p->n, &n_lines);
    if (!l) return HW_ENOMEM;
    int rc = 0, moved = 0;
    for (int32_t from = 0; !moved && rc == 0;) {
      if (!find_clash(p, l + from, n_lines - from, &a, &b, &rc)) break;
      int32_t va = l[from + a].visit, vb = l[from + b].visit;
      if (p->rank[va] != p->rank[vb]) {
        give_way(&p->final[p->rank[va] < p->rank[vb] ? va : vb]);
        moved = 1;
      }
      from += b; /* look on past this pair */
    }
    free(l);
    if (rc || !moved) return rc;
  }
}

/* ---- Chunks -------------------------------------------------------------------------- */

static int by_id(const void *a, const void *b) {
  hw_id x = *(const hw_id *)a, y = *(const hw_id *)b;
  return (x > y) - (x < y);
}

static int32_t id_index(const hw_id *ids, int32_t n, hw_id id) {
  if (n <= 0) return -1; /* ids may be NULL then, which bsearch may not be given */
  const hw_id *at = bsearch(&id, ids, (size_t)n, sizeof *ids, by_id);
  return at ? (int32_t)(at - ids) : -1;
}

static int32_t group_of(int32_t *root, int32_t i) {
  while (root[i] != i) i = root[i] = root[root[i]];
  return i;
}

static void join(int32_t *root, int32_t a, int32_t b) {
  a = group_of(root, a);
  b = group_of(root, b);
  if (a != b) root[a > b ? a : b] = a < b ? a : b;
}

/* The workers a visit is on, now or to be (placed either way): up to four. */
static int visit_workers(const publication *p, int32_t i, hw_id out[4]) {
  int n = 0;
  const hw_visit *both[2] = {&p->now[i], &p->final[i]};
  for (int k = 0; k < 2; k++)
    for (int w = 0; w < 2 && placed(both[k]); w++)
      if (both[k]->worker_ids[w]) out[n++] = both[k]->worker_ids[w];
  return n;
}

/* Every worker of the day either way, every worker of the locality published
 * something that day (who may have visits to be told are gone), and every
 * visit on no roster either way (as minus its id), once, sorted. */
static int collect_ids(publication *p) {
  const hw_locday *l = &p->d->loc;
  free(p->ids);
  p->ids = malloc(((size_t)p->n * 4 + (size_t)l->n_workers + 1) * sizeof *p->ids);
  if (!p->ids) return HW_ENOMEM;
  int32_t n = 0;
  for (int32_t i = 0; i < p->n; i++) {
    int m = visit_workers(p, i, p->ids + n);
    if (m == 0) p->ids[n++] = -p->now[i].id;
    n += m;
  }
  for (int32_t k = 0; k < l->n_workers; k++)
    if (id_index(p->with_published, p->n_with_published, l->workers[k].id) >= 0) p->ids[n++] = l->workers[k].id;
  qsort(p->ids, (size_t)n, sizeof *p->ids, by_id);
  int32_t u = 0;
  for (int32_t k = 0; k < n; k++)
    if (u == 0 || p->ids[u - 1] != p->ids[k]) p->ids[u++] = p->ids[k];
  p->n_ids = u;
  return 0;
}

/* The group of visit i: its workers', or its own when it is on no roster. */
static int32_t visit_group(const publication *p, int32_t i) {
  hw_id w[4];
  int n = visit_workers(p, i, w);
  return group_of(p->root, id_index(p->ids, p->n_ids, n ? w[0] : -p->now[i].id));
}

static int published_before(const publication *p, hw_id member) {
  return id_index(p->published, p->n_published, member) >= 0;
}

/* Join the workers of each visit into groups, weigh each group's writes
 * (a visit written two, a roster line and a worker one each), and put into this
 * chunk, in order of their first member, the groups waiting - with a worker not
 * yet published, or a visit on no roster to write - while they fit the budget
 * (a larger group is a chunk of its own). */
static int choose_chunk(publication *p) {
  int rc = collect_ids(p);
  int32_t n = p->n_ids;
  free(p->root);
  free(p->in_chunk);
  p->root = rc ? NULL : malloc(((size_t)n + 1) * sizeof *p->root);
  p->in_chunk = calloc((size_t)n + 1, 1);
  int32_t *cost = calloc((size_t)n + 1, sizeof *cost);
  uint8_t *waiting = calloc((size_t)n + 1, 1);
  if (!p->root || !cost || !waiting || !p->in_chunk) rc = HW_ENOMEM;
  for (int32_t k = 0; rc == 0 && k < n; k++) p->root[k] = k;
  for (int32_t i = 0; rc == 0 && i < p->n; i++) {
    hw_id w[4];
    int m = visit_workers(p, i, w);
    for (int k = 1; k < m; k++) join(p->root, id_index(p->ids, n, w[0]), id_index(p->ids, n, w[k]));
  }
  for (int32_t i = 0; rc == 0 && i < p->n; i++) {
    int32_t g = visit_group(p, i), write = !same_visit(&p->final[i], &p->now[i]);
    cost[g] += placed(&p->final[i]) + 2 * write;
    if (write && p->ids[g] < 0 && !published_before(p, p->ids[g])) waiting[g] = 1;
  }
  for (int32_t k = 0; rc == 0 && k < n; k++) {
    int32_t g = group_of(p->root, k);
    if (p->ids[k] > 0) cost[g]++;
    if (p->ids[k] > 0 && !published_before(p, p->ids[k])) waiting[g] = 1;
  }
  int32_t used = 0;
  p->last = 1;
  for (int32_t k = 0; rc == 0 && k < n; k++) {
    int32_t g = group_of(p->root, k);
    if (k != g || !waiting[g]) continue; /* a group's root is its first member */
    if (used > 0 && used + cost[g] > p->d->chunk_budget) {
      p->last = 0;
      break;
    }
    p->in_chunk[g] = 1;
    used += cost[g];
  }
  free(cost);
  free(waiting);
  return rc;
}

/* Does this chunk write visit i? */
static int visit_in_chunk(const publication *p, int32_t i) { return p->in_chunk[visit_group(p, i)]; }

static int worker_in_chunk(const publication *p, hw_id worker) {
  int32_t k = id_index(p->ids, p->n_ids, worker);
  return k >= 0 && p->in_chunk[group_of(p->root, k)];
}

/* The chunk is written: its members are published, its visits stored as final. */
static int keep_progress(publication *p) {
  int32_t add = 0;
  for (int32_t k = 0; k < p->n_ids; k++) add += p->in_chunk[group_of(p->root, k)];
  hw_id *all = realloc(p->published, ((size_t)p->n_published + (size_t)add + 1) * sizeof *all);
  if (!all) return HW_ENOMEM;
  p->published = all;
  for (int32_t k = 0; k < p->n_ids; k++)
    if (p->in_chunk[group_of(p->root, k)]) all[p->n_published++] = p->ids[k];
  qsort(all, (size_t)p->n_published, sizeof *all, by_id);
  int32_t u = 0;
  for (int32_t k = 0; k < p->n_published; k++)
    if (u == 0 || all[u - 1] != all[k]) all[u++] = all[k];
  p->n_published = u;
  for (int32_t i = 0; i < p->n; i++)
    if (visit_in_chunk(p, i)) p->now[i] = p->final[i];
  return 0;
}

/* 1 when what this chunk is to write is still stored as the day was settled:
 * each of its visits, and each of its workers' rosters. */
static int chunk_still_settled(publication *p, int *same) {
  *same = 1;
  int rc = 0;
  for (int32_t i = 0; rc == 0 && *same && i < p->n; i++) {
    hw_visit v;
    if (!visit_in_chunk(p, i)) continue;
    rc = hw_store_get_visit(p->st, p->now[i].id, &v);
    *same = rc == 0 && same_visit(&v, &p->now[i]);
    if (rc == HW_ENOTFOUND) rc = 0;
  }
  int32_t nn = 0;
  line *nl = rc || !*same ? NULL : lines_of(p->now, p->n, &nn);
  if (rc == 0 && *same && !nl) rc = HW_ENOMEM;
  for (int32_t k = 0; rc == 0 && *same && k < p->n_ids; k++) {
    if (p->ids[k] <= 0 || !p->in_chunk[group_of(p->root, k)]) continue;
    hw_roster_entry *e = NULL;
    int32_t ne = 0, j = 0;
    rc = hw_store_get_roster(p->st, p->ids[k], p->d->date, &e, &ne);
    while (j < nn && nl[j].worker_id < p->ids[k]) j++;
    for (int32_t x = 0; rc == 0 && *same && x < ne; x++, j++)
      *same = j < nn && nl[j].worker_id == p->ids[k] && p->now[nl[j].visit].id == e[x].visit_id &&
              nl[j].start == e[x].planned_start;
    if (rc == 0 && *same) *same = j >= nn || nl[j].worker_id != p->ids[k];
    free(e);
  }
  free(nl);
  return rc;
}

/* ---- Writing ------------------------------------------------------------------------- */

static int write_visits(publication *p, hw_records *rec) {
  for (int32_t i = 0; i < p->n; i++) {
    if (same_visit(&p->final[i], &p->now[i]) || !visit_in_chunk(p, i)) continue;
    int rc = hw_store_update_visit(p->st, &p->final[i]);
    if (rc == 0) rc = hw_records_add_visit(rec, &p->final[i]);
    if (rc) return rc;
    p->report->visits_written++;
  }
  return 0;
}

/* 1 when worker's group of lines differs between the two sets. */
static int same_roster(const hw_visit *va, const line *a, int32_t na, const hw_visit *vb, const line *b, int32_t nb) {
  if (na != nb) return 0;
  for (int32_t k = 0; k < na; k++)
    if (va[a[k].visit].id != vb[b[k].visit].id || a[k].start != b[k].start) return 0;
  return 1;
}

/* The roster lines of one worker from final lines l[0..n), with travel. */
static int roster_entries(const publication *p, const line *l, int32_t n, hw_roster_entry *e, int64_t *travel) {
  hw_worker w;
  int rc = worker_now_or_then(p, l[0].worker_id, &w);
  for (int32_t k = 0; rc == 0 && k < n; k++) {
    int32_t t = 0;
    const hw_visit *v = &p->final[l[k].visit];
    rc = travel_between(p, &w, k ? &p->final[l[k - 1].visit] : NULL, v, &t);
    e[k] = (hw_roster_entry){w.id, p->d->date, k, v->id, v->planned_start, t > 0 ? t : 0};
    *travel += t > 0 ? t : 0;
  }
  return rc;
}

/* Count a group of lines [i, *end) of one worker. */
static int32_t group_end(const line *l, int32_t n, int32_t i) {
  int32_t e = i;
  while (e < n && l[e].worker_id == l[i].worker_id) e++;
  return e;
}

static int has_lines(const line *l, int32_t n, hw_id worker) {
  int32_t lo = 0, hi = n - 1;
  while (lo <= hi) {
    int32_t mid = (lo + hi) / 2;
    if (l[mid].worker_id == worker) return 1;
    if (l[mid].worker_id < worker) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/* Every worker of the chunk whose roster differs from the stored one gets it
 * replaced (an empty one clears it), and every worker of the chunk, of the day
 * or of the locality, their change notes. */
static int write_rosters(publication *p, hw_records *rec) {
  int32_t nf = 0, nn = 0;
  line *fl = lines_of(p->final, p->n, &nf), *nl = lines_of(p->now, p->n, &nn);
  hw_roster_entry *e = malloc(((size_t)nf + 1) * sizeof *e);
  int rc = fl && nl && e ? 0 : HW_ENOMEM;
  for (int32_t i = 0, j = 0; rc == 0 && (i < nf || j < nn);) {
    hw_id w = i < nf && (j >= nn || fl[i].worker_id <= nl[j].worker_id) ? fl[i].worker_id : nl[j].worker_id;
    int32_t fe = i < nf && fl[i].worker_id == w ? group_end(fl, nf, i) : i;
    int32_t ne = j < nn && nl[j].worker_id == w ? group_end(nl, nn, j) : j;
    if (!worker_in_chunk(p, w)) {
      i = fe;
      j = ne;
      continue;
    }
    int64_t travel = 0; /* the report's is counted over the whole day, at the end */
    if (fe > i) rc = roster_entries(p, fl + i, fe - i, e, &travel);
    if (rc == 0 && !same_roster(p->final, fl + i, fe - i, p->now, nl + j, ne - j)) {
      rc = hw_store_put_roster(p->st, w, p->d->date, e, fe - i);
      if (rc == 0) rc = hw_records_add_roster(rec, w, p->d->date, e, fe - i);
      p->report->rosters_written++;
    }
    if (rc == 0) rc = hw__note_worker_day(p->st, w, p->d->date, p->at, e, fe - i, rec, &p->notes);
    i = fe;
    j = ne;
  }
  /* A worker of the locality with no visit either way may still have been published some. */
  const hw_locday *l = &p->d->loc;
  for (int32_t k = 0; rc == 0 && k < l->n_workers; k++)
    if (worker_in_chunk(p, l->workers[k].id) && !has_lines(fl, nf, l->workers[k].id) &&
        !has_lines(nl, nn, l->workers[k].id))
      rc = hw__note_worker_day(p->st, l->workers[k].id, p->d->date, p->at, NULL, 0, rec, &p->notes);
  free(fl);
  free(nl);
  free(e);
  return rc;
}

/* Every placed visit's roster line, all workers (by worker then start), with
 * travel; the report gets the travel and workers used. */
static int all_roster_entries(publication *p, hw_roster_entry **out, int32_t *n_out) {
  int32_t nf = 0;
  line *fl = lines_of(p->final, p->n, &nf);
  hw_roster_entry *e = malloc(((size_t)nf + 1) * sizeof *e);
  int rc = fl && e ? 0 : HW_ENOMEM;
  for (int32_t i = 0; rc == 0 && i < nf;) {
    int32_t end = group_end(fl, nf, i);
    p->report->workers_used++;
    rc = roster_entries(p, fl + i, end - i, e + i, &p->report->travel_seconds);
    i = end;
  }
  free(fl);
  if (rc) {
    free(e);
    return rc;
  }
  *out = e;
  *n_out = nf;
  return 0;
}

/* The report: the day's visits as published, every one not placed with why. */
static int fill_report(publication *p) {
  hw_plan_report *r = p->report;
  r->unplaced = calloc((size_t)p->n + 1, sizeof *r->unplaced);
  if (!r->unplaced) return HW_ENOMEM;
  for (int32_t i = 0; i < p->n; i++) {
    const hw_visit *v = &p->final[i];
    if (!of_the_day(v)) continue;
    r->visits++;
    if (placed(v) || under_way(v)) {
      r->assigned++;
      continue;
    }
    hw_plan_unplaced *u = &r->unplaced[r->n_unplaced++];
    u->visit_id = v->id;
    snprintf(u->reason, sizeof u->reason, "%s", v->unplaced_reason[0] ? v->unplaced_reason : "no_capacity");
  }
  r->unassigned = r->n_unplaced;
  r->solve_ms = p->d->solve_ms;
  r->iterations = p->d->iterations;
  r->feasible = 1;
  return 0;
}

/* The day's visits as stored now and as they are to be, each decided and no two
 * clashing. */
static int settle(publication *p) {
  free(p->now);
  free(p->final);
  free(p->rank);
  p->final = NULL;
  p->rank = NULL;
  p->settled = 0;
  free(p->with_published);
  p->with_published = NULL;
  int rc = hw_store_list_visits(p->st, p->d->date, p->d->date, p->d->locality_id, &p->now, &p->n);
  if (rc == 0) rc = hw_store_published_workers(p->st, p->d->date, &p->with_published, &p->n_with_published);
  if (rc) return rc;
  p->final = malloc(((size_t)p->n + 1) * sizeof *p->final);
  p->rank = malloc((size_t)p->n + 1);
  if (!p->final || !p->rank) return HW_ENOMEM;
  if ((rc = load_workers_now(p))) return rc;
  decide(p);
  rc = resolve_clashes(p);
  p->settled = rc == 0;
  return rc;
}

/* The day as the last chunk leaves it: the visits of groups published before
 * keep what is stored (a change since is not the plan's to undo). */
static void keep_published(publication *p) {
  for (int32_t i = 0; i < p->n; i++)
    if (!visit_in_chunk(p, i)) p->final[i] = p->now[i];
}

/* The whole day's travel and workers used, and its visits not placed, for the
 * report. */
static int report_day(publication *p) {
  hw_roster_entry *e = NULL;
  int32_t n_e = 0;
  int rc = all_roster_entries(p, &e, &n_e);
  free(e);
  return rc ? rc : fill_report(p);
}

/* The next chunk, on the day as settled: settled again first when a worker has
 * changed since, or when what the chunk is to write has. */
static int next_chunk(publication *p) {
  int changed = p->workers_changed;
  int rc = check_worker_changes(p->st, p->d->locality_id, &p->checked_seq, &p->workers_changed);
  if (rc == 0 && changed != p->workers_changed) rc = settle(p);
  if (rc == 0) rc = choose_chunk(p);
  int same = 1;
  if (rc == 0) rc = chunk_still_settled(p, &same);
  if (rc == 0 && !same && (rc = settle(p)) == 0) rc = choose_chunk(p);
  return rc;
}

static int chunk_tx(hw_store *st, void *ctx, hw_records *rec) {
  publication *p = ctx;
  p->st = st;
  int rc = next_chunk(p);
  if (rc == 0 && p->last) keep_published(p);
  if (rc == 0) rc = write_visits(p, rec);
  if (rc == 0) rc = write_rosters(p, rec);
  if (rc == 0) rc = keep_progress(p);
  return rc == 0 && p->last ? report_day(p) : rc;
}

/* The day's visits of v[0..n) (not cancelled or missed), in a new array. */
static hw_visit *of_the_day_only(const hw_visit *v, int32_t n, int32_t *n_out) {
  hw_visit *out = malloc(((size_t)n + 1) * sizeof *out);
  int32_t k = 0;
  for (int32_t i = 0; out && i < n; i++)
    if (of_the_day(&v[i])) out[k++] = v[i];
  *n_out = k;
  return out;
}

/* Kept as a draft: the plan as it would be published now, stored to be published
 * later (hw_service_draft_publish) only if no visit of the day moves meanwhile. */
static int keep_tx(hw_store *st, void *ctx, hw_records *rec) {
  publication *p = ctx;
  hw_roster_entry *e = NULL;
  hw_visit *visits = NULL;
  int32_t n_e = 0, n_visits = 0;
  p->st = st;
  int rc = check_worker_changes(st, p->d->locality_id, &p->checked_seq, &p->workers_changed);
  if (rc == 0) rc = settle(p);
  if (rc == 0) rc = all_roster_entries(p, &e, &n_e);
  if (rc == 0) rc = fill_report(p);
  if (rc == 0 && !(visits = of_the_day_only(p->final, p->n, &n_visits))) rc = HW_ENOMEM;
  hw_planned_day pd = {p->d->locality_id, p->d->date, p->at, p->actor, visits, n_visits, p->now, p->n,
                       e, n_e, p->report, 0};
  if (rc == 0) rc = hw__keep_draft(st, &pd, rec);
  p->report->draft_id = pd.draft_id;
  free(e);
  free(visits);
  return rc;
}

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hw__plan_publication_free(publication *p) {
  if (!p) return;
  free(p->now);
  free(p->final);
  free(p->rank);
  free(p->workers);
  free(p->absences);
  free(p->published);
  free(p->with_published);
  free(p->ids);
  free(p->root);
  free(p->in_chunk);
  free(p);
}

/* The draft's publication, begun on the first call. */
static publication *publication_of(hw_plan_draft *d) {
  if (!d->pub && (d->pub = calloc(1, sizeof *d->pub))) {
    d->pub->d = d;
    d->pub->n_workers = -1;
    d->pub->checked_seq = d->checked_seq;
    d->pub->workers_changed = d->workers_changed;
  }
  return d->pub;
}

/* One step: the day settled (reads only, the first), then one chunk a step as
 * one event in the open group (or the whole draft kept); *done once the last
 * is stored. */
static int publish_chunk(hw_store *st, hw_change *c, hw_plan_draft *d, hw_plan_report *out, int *done) {
  publication *p = publication_of(d);
  if (!p) return HW_ENOMEM;
  p->st = st;
  p->at = c->now;
  p->actor = c->actor;
  p->report = out;
  int64_t t0 = monotonic_ms();
  int rc;
  *done = 0;
  if (d->keep_as_draft) {
    rc = hw__svc_apply_seq(st, c, "plan.drafted", d->locality_id, keep_tx, p, &out->event_seq);
    *done = rc == 0;
  } else if (!p->settled) {
    rc = settle(p); /* what the day is now, before a chunk is written */
  } else {
    rc = hw__svc_apply_seq(st, c, "roster.published", d->locality_id, chunk_tx, p, &out->event_seq);
    *done = rc == 0 && p->last;
    if (rc == 0) out->chunks++;
  }
  int64_t ms = monotonic_ms() - t0;
  out->publish_ms += ms;
  if (ms > out->publish_max_ms) out->publish_max_ms = ms;
  return rc;
}

int hw_plan_publish_step(hw_store *st, hw_change *c, hw_plan_draft *d, hw_plan_report *out, int *done) {
  if (!d->pub) memset(out, 0, sizeof *out);
  int own;
  int rc = hw__svc_begin(st, &own);
  if (rc == 0) rc = hw__svc_end(st, own, publish_chunk(st, c, d, out, done));
  if (rc) hw_plan_report_free(out);
  return rc;
}

int hw_plan_publish(hw_store *st, hw_change *c, hw_plan_draft *d, hw_plan_report *out) {
  memset(out, 0, sizeof *out);
  int own, done = 0;
  int rc = hw__svc_begin(st, &own);
  if (rc) return rc; /* nothing open to end */
  while (rc == 0 && !done) rc = publish_chunk(st, c, d, out, &done);
  rc = hw__svc_end(st, own, rc);
  if (rc) hw_plan_report_free(out);
  return rc;
}
