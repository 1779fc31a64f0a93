/*
 * D2A offers drafted on the libuv thread pool ("Offers off the writer",
 * scheduler/hw_service.h): POST /v1/discharges and POST /v1/discharges/{id}/offer
 * compute their offer here, several at once, and the writer then stores the
 * request with it - if it is still current (otherwise the handler drafts again,
 * and after a second stale draft lets the writer compute the offer itself).
 *
 * A draft runs on a reader: a read-only store handle with a day cache of its own
 * (scheduler/hw_daycache.h), taken by one pool thread at a time and kept for
 * the next draft, so each reader's cache stays warm. At most as many drafts run
 * at once as the machine has processors (the search is all CPU: more would only
 * mean more readers to warm and more memory); the others wait in order on the
 * loop thread, leaving the rest of the pool to plan solves. Readers are opened
 * when first needed and closed at shutdown.
 */
#ifndef HW_DRAFTS_H
#define HW_DRAFTS_H

#include <uv.h>

#include "hw_daycache.h"
#include "hw_service.h"

typedef struct hw_reader hw_reader;

typedef struct hw_drafts {
  uv_loop_t *loop;
  const char *db;
  const hw_service_settings *settings;
  uv_mutex_t mu;
  hw_reader *idle;                 /* under mu */
  hw_reader *all;                  /* under mu */
  int running, max_running;        /* loop thread */
  struct hw_draft_job *waiting_head, *waiting_tail; /* loop thread */
  /* Counters (loop thread). */
  uint64_t drafted;                /* drafts made (current or not) */
  uint64_t stale;                  /* drafts found stale by the writer */
  uint64_t in_writer;              /* offers left to the writer after two stale drafts */
} hw_drafts;

typedef struct hw_draft_job hw_draft_job;
struct hw_draft_job {
  /* In: read by the pool thread; the owner leaves them alone until done. */
  const hw_change *change;
  const hw_discharge *discharge;   /* a new request; NULL: the stored request stored_id */
  const hw_client *client_new;     /* its inline new client, or NULL */
  hw_id stored_id;
  /* Out, in done (loop thread). */
  int rc;
  hw_offer_draft *draft;           /* the owner's to free (NULL when rc != 0) */
  void (*done)(hw_draft_job *j);
  void *data;                      /* the owner's */
  uv_work_t work;
  hw_drafts *owner;
  hw_draft_job *next_waiting;
};

/* Drafts on loop's thread pool, readers opening db. Returns 0 or HW_EIO. */
int hw_drafts_init(hw_drafts *d, uv_loop_t *loop, const char *db, const hw_service_settings *settings);
/* Queue j (loop thread). 0: j->done will be called on the loop thread; HW_ENOMEM
 * or HW_EIO: it will not. */
int hw_drafts_start(hw_drafts *d, hw_draft_job *j);
/* The readers' day caches, summed (any thread). */
void hw_drafts_cache_usage(hw_drafts *d, hw_daycache_size *out);
/* Close every reader; after the loop has finished (no draft running). */
void hw_drafts_close(hw_drafts *d);

#endif
