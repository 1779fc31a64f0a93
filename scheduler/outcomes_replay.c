/*
 * hw_outcomes_compute: rebuild the outcome records from the store's event log and
 * compute the figures. The log, not the tables, is the source, so the figures can
 * be recomputed at any time and agree with what happened as it happened.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_error.h"
#include "hw_outcomes.h"

#define PAGE 512

/* A growable array of records of one kind, each stamped with its event seq. */
typedef struct rec_array {
  char *data;
  size_t size, n, cap;
} rec_array;

static int rec_push(rec_array *a, const void *rec) {
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 64;
    char *d = realloc(a->data, cap * a->size);
    if (!d) return HW_ENOMEM;
    a->data = d;
    a->cap = cap;
  }
  memcpy(a->data + a->n * a->size, rec, a->size);
  a->n++;
  return 0;
}

typedef struct roster_rec {
  hw_roster_entry e;
  int64_t seq; /* the event that published it */
} roster_rec;

typedef struct replay {
  rec_array discharges, referrals, visits;
  rec_array roster; /* roster_rec */
} replay;

static const json_t *record_of(const json_t *payload, const char *key) {
  const json_t *inner = json_object_get(payload, key);
  return json_is_object(inner) ? inner : payload;
}

static int take_roster(replay *rp, const json_t *payload, int64_t seq) {
  const json_t *entries = json_object_get(payload, "entries");
  size_t i;
  const json_t *e;
  json_array_foreach(entries, i, e) {
    hw_roster_entry re;
    hw_errors errs;
    hw_errors_init(&errs);
    if (hw_roster_entry_from_json(e, "", &re, &errs) < 0) continue;
    roster_rec rr = {re, seq};
    int rc = rec_push(&rp->roster, &rr);
    if (rc < 0) return rc;
  }
  return 0;
}

/* Planning and repair events carry the visits they changed as {"visits": [...]}. */
static int take_visit_list(replay *rp, const json_t *list) {
  size_t i;
  const json_t *j;
  json_array_foreach(list, i, j) {
    hw_visit v;
    hw_errors errs;
    hw_errors_init(&errs);
    if (hw_visit_from_json(j, "", &v, &errs) < 0 || v.id <= 0) continue;
    int rc = rec_push(&rp->visits, &v);
    if (rc < 0) return rc;
  }
  return 0;
}

static int take_event(replay *rp, const hw_event *ev) {
  json_t *payload = ev->payload ? json_loads(ev->payload, 0, NULL) : NULL;
  if (!json_is_object(payload)) {
    json_decref(payload);
    return 0;
  }
  hw_errors errs;
  hw_errors_init(&errs);
  int rc = 0;
  if (strncmp(ev->type, "discharge.", 10) == 0) {
    hw_discharge d;
    if (hw_discharge_from_json(record_of(payload, "discharge"), "", &d, &errs) == 0 && d.id > 0)
      rc = rec_push(&rp->discharges, &d);
  } else if (strncmp(ev->type, "referral.", 9) == 0) {
    hw_referral r;
    if (hw_referral_from_json(record_of(payload, "referral"), "", &r, &errs) == 0 && r.id > 0)
      rc = rec_push(&rp->referrals, &r);
  } else if (strncmp(ev->type, "visit.", 6) == 0) {
    hw_visit v;
    if (hw_visit_from_json(record_of(payload, "visit"), "", &v, &errs) == 0 && v.id > 0)
      rc = rec_push(&rp->visits, &v);
  } else if (strncmp(ev->type, "roster.", 7) == 0) {
    rc = take_roster(rp, payload, ev->seq);
  }
  if (rc == 0) rc = take_visit_list(rp, json_object_get(payload, "visits"));
  json_decref(payload);
  return rc;
}

typedef struct id_pos {
  hw_id id;
  size_t pos;
} id_pos;

static int id_pos_cmp(const void *a, const void *b) {
  const id_pos *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Keep only the last state of each id (records were pushed in log order). Every
 * record type used here starts with its hw_id. */
static int keep_last_by_id(rec_array *a) {
  if (a->n == 0) return 0;
  id_pos *ix = malloc(a->n * sizeof *ix);
  uint8_t *keep = calloc(a->n, 1);
  if (!ix || !keep) {
    free(ix);
    free(keep);
    return HW_ENOMEM;
  }
  for (size_t i = 0; i < a->n; i++) {
    memcpy(&ix[i].id, a->data + i * a->size, sizeof(hw_id));
    ix[i].pos = i;
  }
  qsort(ix, a->n, sizeof *ix, id_pos_cmp);
  for (size_t i = 0; i < a->n; i++)
    if (i + 1 == a->n || ix[i + 1].id != ix[i].id) keep[ix[i].pos] = 1;
  size_t k = 0;
  for (size_t i = 0; i < a->n; i++)
    if (keep[i]) memmove(a->data + k++ * a->size, a->data + i * a->size, a->size);
  a->n = k;
  free(ix);
  free(keep);
  return 0;
}

static int roster_rec_cmp(const void *a, const void *b) {
  const roster_rec *x = a, *y = b;
  if (x->e.worker_id != y->e.worker_id) return x->e.worker_id < y->e.worker_id ? -1 : 1;
  if (x->e.date != y->e.date) return x->e.date < y->e.date ? -1 : 1;
  if (x->seq != y->seq) return x->seq > y->seq ? -1 : 1; /* newest first */
  return (x->e.seq > y->e.seq) - (x->e.seq < y->e.seq);
}

/* A roster event replaces a worker's day: keep only the entries of the newest
 * event for each (worker, date), packed as plain hw_roster_entry values. */
static void keep_latest_rosters(replay *rp) {
  roster_rec *r = (roster_rec *)rp->roster.data;
  if (rp->roster.n == 0) return;
  qsort(r, rp->roster.n, sizeof *r, roster_rec_cmp);
  hw_roster_entry *out = (hw_roster_entry *)rp->roster.data;
  /* The group's key is kept in locals: packing writes over earlier slots. */
  hw_id worker = r[0].e.worker_id;
  hw_date date = r[0].e.date;
  int64_t newest = r[0].seq;
  size_t k = 0;
  for (size_t i = 0; i < rp->roster.n; i++) {
    roster_rec cur = r[i];
    if (cur.e.worker_id != worker || cur.e.date != date) {
      worker = cur.e.worker_id;
      date = cur.e.date;
      newest = cur.seq;
    }
    if (cur.seq == newest) out[k++] = cur.e;
  }
  rp->roster.n = k;
}

static void span_dates(const replay *rp, hw_date *lo, hw_date *hi) {
  *lo = HW_DATE_NONE;
  *hi = HW_DATE_NONE;
#define SPAN(d)                                       \
  do {                                                \
    hw_date d_ = (d);                                 \
    if (d_ == HW_DATE_NONE) break;                    \
    if (*lo == HW_DATE_NONE || d_ < *lo) *lo = d_;    \
    if (*hi == HW_DATE_NONE || d_ > *hi) *hi = d_;    \
  } while (0)
  const hw_discharge *d = (const hw_discharge *)rp->discharges.data;
  for (size_t i = 0; i < rp->discharges.n; i++) {
    if (d[i].ready_at != HW_TIME_NONE) SPAN(hw_time_local_date(d[i].ready_at));
    if (d[i].discharged_at != HW_TIME_NONE) SPAN(hw_time_local_date(d[i].discharged_at));
  }
  const hw_referral *r = (const hw_referral *)rp->referrals.data;
  for (size_t i = 0; i < rp->referrals.n; i++) SPAN(r[i].end_date);
  const hw_visit *v = (const hw_visit *)rp->visits.data;
  for (size_t i = 0; i < rp->visits.n; i++) SPAN(v[i].date);
#undef SPAN
}

static int read_log(hw_store *st, replay *rp) {
  hw_event evs[PAGE];
  int64_t after = 0;
  for (;;) {
    int32_t n = 0;
    int rc = hw_store_events_after(st, after, PAGE, evs, &n);
    if (rc < 0) return rc;
    for (int32_t i = 0; i < n && rc == 0; i++) rc = take_event(rp, &evs[i]);
    if (n > 0) after = evs[n - 1].seq;
    hw_event_free_array(evs, n);
    if (rc < 0) return rc;
    if (n < PAGE) return 0;
  }
}

int hw_outcomes_compute(hw_store *st, hw_date from, hw_date to, hw_outcomes *out) {
  replay rp = {.discharges = {.size = sizeof(hw_discharge)},
               .referrals = {.size = sizeof(hw_referral)},
               .visits = {.size = sizeof(hw_visit)},
               .roster = {.size = sizeof(roster_rec)}};
  int rc = read_log(st, &rp);
  if (rc == 0) rc = keep_last_by_id(&rp.discharges);
  if (rc == 0) rc = keep_last_by_id(&rp.referrals);
  if (rc == 0) rc = keep_last_by_id(&rp.visits);
  if (rc == 0) {
    keep_latest_rosters(&rp);
    hw_date lo, hi;
    span_dates(&rp, &lo, &hi);
    if (from == HW_DATE_NONE) from = lo;
    if (to == HW_DATE_NONE) to = hi;
    if (from == HW_DATE_NONE || to == HW_DATE_NONE) {
      rc = HW_ENOTFOUND; /* nothing in the log dates the period */
    } else {
      hw_outcome_records r = {(const hw_discharge *)rp.discharges.data, (int32_t)rp.discharges.n,
                              (const hw_referral *)rp.referrals.data,   (int32_t)rp.referrals.n,
                              (const hw_visit *)rp.visits.data,         (int32_t)rp.visits.n,
                              (const hw_roster_entry *)rp.roster.data,  (int32_t)rp.roster.n};
      rc = hw_outcomes_from_records(&r, from, to, out);
    }
  }
  free(rp.discharges.data);
  free(rp.referrals.data);
  free(rp.visits.data);
  free(rp.roster.data);
  return rc;
}
