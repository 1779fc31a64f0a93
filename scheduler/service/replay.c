/*
 * hw_service_outcomes_replay: rebuild the outcome records from the store's event
 * log (each event carries the records it stored: data/hw_records.h) and compute
 * the figures. The log, not the tables, is the source, so the figures can be
 * recomputed at any time and agree with what happened as it happened.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

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

/* Take the records of one event: the last state of each discharge, referral and
 * visit, and each worker-day roster it wrote (entries stamped with the event). */
static int take_event(replay *rp, const hw_event *ev, hw_records *rec) {
  if (hw_records_parse(ev->payload, rec) != 0) return 0; /* not a record payload */
  int rc = 0;
  for (int32_t i = 0; rc == 0 && i < rec->n_discharges; i++) rc = rec_push(&rp->discharges, &rec->discharges[i]);
  for (int32_t i = 0; rc == 0 && i < rec->n_referrals; i++) rc = rec_push(&rp->referrals, &rec->referrals[i]);
  for (int32_t i = 0; rc == 0 && i < rec->n_visits; i++) rc = rec_push(&rp->visits, &rec->visits[i]);
  for (int32_t d = 0; rc == 0 && d < rec->n_rosters; d++) {
    const hw_roster_day *day = &rec->rosters[d];
    /* An empty day is kept as a marker entry (visit 0) so it replaces older ones. */
    roster_rec marker = {{day->worker_id, day->date, -1, 0, 0, 0}, ev->seq};
    if (day->n == 0) rc = rec_push(&rp->roster, &marker);
    for (int32_t k = 0; rc == 0 && k < day->n; k++) {
      roster_rec rr = {rec->entries[day->first + k], ev->seq};
      rr.e.worker_id = day->worker_id;
      rr.e.date = day->date;
      rc = rec_push(&rp->roster, &rr);
    }
  }
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
    if (cur.seq == newest && cur.e.visit_id != 0) out[k++] = cur.e; /* markers dropped */
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
  hw_event *evs = calloc(PAGE, sizeof *evs);
  if (!evs) return HW_ENOMEM;
  hw_records rec;
  hw_records_init(&rec);
  int64_t after = 0;
  int rc = 0;
  for (;;) {
    int32_t n = 0;
    rc = hw_store_events_after(st, after, PAGE, evs, &n);
    if (rc < 0) break;
    for (int32_t i = 0; i < n && rc == 0; i++) rc = take_event(rp, &evs[i], &rec);
    if (n > 0) after = evs[n - 1].seq;
    hw_event_free_array(evs, n);
    if (rc < 0 || n < PAGE) break;
  }
  hw_records_free(&rec);
  free(evs);
  return rc;
}

int hw_service_outcomes_replay(hw_store *st, hw_date from, hw_date to, hw_time now, hw_outcomes *out) {
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
                              (const hw_roster_entry *)rp.roster.data,  (int32_t)rp.roster.n, now,
                              HW_D2A_LEAD_MINUTES};
      rc = hw_outcomes_from_records(&r, from, to, out);
    }
  }
  free(rp.discharges.data);
  free(rp.referrals.data);
  free(rp.visits.data);
  free(rp.roster.data);
  return rc;
}
