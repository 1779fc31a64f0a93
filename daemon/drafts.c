/*
 * Offer drafts on the thread pool, each on a reader of its own (hw_drafts.h).
 */
#include "hw_drafts.h"

#include <stdlib.h>

#include "hw_error.h"
#include "hw_log.h"

struct hw_reader {
  hw_store *st;                    /* read-only */
  hw_daycache *cache;
  hw_daycache_size usage;          /* under the owner's mu */
  hw_reader *next_idle, *next_all;
};

int hw_drafts_init(hw_drafts *d, uv_loop_t *loop, const char *db, const hw_service_settings *settings) {
  *d = (hw_drafts){0};
  if (uv_mutex_init(&d->mu) != 0) return HW_EIO;
  d->loop = loop;
  d->db = db;
  d->settings = settings;
  d->max_running = (int)uv_available_parallelism();
  return 0;
}

static hw_reader *open_reader(hw_drafts *d) {
  hw_reader *r = calloc(1, sizeof *r);
  hw_store_options o;
  char msg[256] = "";
  hw_store_options_init(&o);
  o.read_only = 1;
  if (r && (r->cache = hw_daycache_new()) && hw_store_open(d->db, &o, &r->st, msg, sizeof msg) == 0) {
    uv_mutex_lock(&d->mu);
    r->next_all = d->all;
    d->all = r;
    uv_mutex_unlock(&d->mu);
    return r;
  }
  HW_LOG_ERRORF("offer drafts: cannot open a reader: %s", msg[0] ? msg : "out of memory");
  if (r) hw_daycache_free(r->cache);
  free(r);
  return NULL;
}

/* Pool thread: an idle reader, or a new one. */
static hw_reader *take_reader(hw_drafts *d) {
  uv_mutex_lock(&d->mu);
  hw_reader *r = d->idle;
  if (r) d->idle = r->next_idle;
  uv_mutex_unlock(&d->mu);
  return r ? r : open_reader(d);
}

static void give_back(hw_drafts *d, hw_reader *r) {
  hw_daycache_size u;
  hw_daycache_usage(r->cache, &u);
  uv_mutex_lock(&d->mu);
  r->usage = u;
  r->next_idle = d->idle;
  d->idle = r;
  uv_mutex_unlock(&d->mu);
}

static void draft_work(uv_work_t *w) {
  hw_draft_job *j = w->data;
  hw_drafts *d = j->owner;
  hw_reader *r = take_reader(d);
  if (!r) {
    j->rc = HW_EIO;
    return;
  }
  j->rc = j->discharge
              ? hw_service_offer_draft(r->st, r->cache, d->settings, j->change, j->discharge, j->client_new, j->draft)
              : hw_service_offer_draft_stored(r->st, r->cache, d->settings, j->change, j->stored_id, j->draft);
  int request_fault = j->rc == HW_ENOTFOUND || j->rc == HW_EFORBIDDEN || j->rc == HW_EINVAL;
  if (j->rc && !request_fault) hw_daycache_reset(r->cache); /* a store or solver failure: trust nothing kept */
  give_back(d, r);
}

static void finish(hw_draft_job *j) {
  if (j->rc) {
    free(j->draft);
    j->draft = NULL;
  }
  j->done(j);
}

static int queue_work(hw_drafts *d, hw_draft_job *j);

/* The next waiting draft onto the pool (a refused one finishes without a draft). */
static void start_next(hw_drafts *d) {
  while (d->waiting_head && d->running < d->max_running) {
    hw_draft_job *j = d->waiting_head;
    d->waiting_head = j->next_waiting;
    if (!d->waiting_head) d->waiting_tail = NULL;
    if ((j->rc = queue_work(d, j)) != 0) finish(j);
  }
}

static void draft_done(uv_work_t *w, int status) {
  hw_draft_job *j = w->data;
  hw_drafts *d = j->owner;
  if (status == UV_ECANCELED) j->rc = HW_ECANCELED;
  d->running--;
  d->drafted++;
  finish(j);
  start_next(d);
}

static int queue_work(hw_drafts *d, hw_draft_job *j) {
  j->work.data = j;
  if (uv_queue_work(d->loop, &j->work, draft_work, draft_done) != 0) return HW_EIO;
  d->running++;
  return 0;
}

int hw_drafts_start(hw_drafts *d, hw_draft_job *j) {
  j->owner = d;
  j->rc = 0;
  j->next_waiting = NULL;
  j->draft = malloc(sizeof *j->draft);
  if (!j->draft) return HW_ENOMEM;
  if (d->running < d->max_running) {
    int rc = queue_work(d, j);
    if (rc) {
      free(j->draft);
      j->draft = NULL;
    }
    return rc;
  }
  if (d->waiting_tail) d->waiting_tail->next_waiting = j;
  else d->waiting_head = j;
  d->waiting_tail = j;
  return 0;
}

void hw_drafts_cache_usage(hw_drafts *d, hw_daycache_size *out) {
  *out = (hw_daycache_size){0};
  uv_mutex_lock(&d->mu);
  for (hw_reader *r = d->all; r; r = r->next_all) {
    out->localities += r->usage.localities;
    out->days += r->usage.days;
    out->bytes += r->usage.bytes;
  }
  uv_mutex_unlock(&d->mu);
}

void hw_drafts_close(hw_drafts *d) {
  if (!d->loop) return; /* never started */
  for (hw_reader *r = d->all, *next; r; r = next) {
    next = r->next_all;
    hw_store_close(r->st);
    hw_daycache_free(r->cache);
    free(r);
  }
  d->all = d->idle = NULL;
  uv_mutex_destroy(&d->mu);
}
