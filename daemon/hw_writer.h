/*
 * The writer: ONE thread that owns the store's write handle and applies every
 * change, in group commits.
 *
 * The loop thread submits jobs; the writer takes everything queued (up to
 * group_max), opens one transaction (hw_store_batch_begin), applies each change
 * with hw_store_apply in its own savepoint (a rejected one changes nothing),
 * commits once, and hands the finished jobs back to the loop through uv_async_send.
 * A job's done callback therefore runs on the loop thread, after the commit: a
 * 2xx is only ever sent for a change that is on disk. If the commit fails, every
 * change of the batch reports the failure and none is kept.
 *
 * Maintenance tasks (a WAL checkpoint, the cron's jobs) go through the same
 * queue, between batches, so the write handle is never shared.
 *
 * A heavy change (a chunk of a plan's publication) gets a batch of its own, and
 * the changes queued behind it go first: a batch of them is taken past it, then
 * it runs - so an interactive change waits for at most one chunk, and a chunk
 * for at most one batch. A change made in steps (again) goes back to the end of
 * the queue after each; stopping finishes it.
 */
#ifndef HW_WRITER_H
#define HW_WRITER_H

#include <uv.h>

#include "hw_metrics.h"
#include "hw_store.h"

typedef struct hw_write_job hw_write_job;
/* Runs on the loop thread once the job is finished. */
typedef void (*hw_write_done_fn)(hw_write_job *job);
/* A maintenance task, run on the writer thread outside any batch. */
typedef int (*hw_write_task_fn)(hw_store *st, void *ctx);

struct hw_write_job {
  /* A change (task == NULL): the event and the function that updates the tables. */
  hw_event ev;
  hw_store_tx_fn fn;
  void *ctx;
  /* Or a change made of several events (a request and its offer): run, inside the
   * batch, in place of hw_store_apply; it fills res itself. */
  int (*run)(hw_store *st, void *ctx, hw_apply_result *res);
  int heavy;                   /* a change to run in a batch of its own (see above) */
  int again;                   /* set by run: once committed, queue the job again
                                  (a change made in steps); done is called after
                                  the last step, or the first that fails */
  /* Or a task. */
  hw_write_task_fn task;
  hw_write_done_fn done;
  void *data;                  /* the submitter's */
  /* Results, valid in done. */
  int rc;
  hw_apply_result res;         /* res.result is the job owner's to free */
  int batch_size;              /* changes committed in this job's batch (set on the first job only) */
  int batch_events;            /* events they stored (likewise) */
  hw_write_job *next;
};

typedef struct hw_writer {
  uv_loop_t *loop;
  hw_store *st;
  int group_max;
  hw_metrics *metrics;
  uv_thread_t thread;
  uv_mutex_t mu;
  uv_cond_t cv;
  uv_async_t async;
  hw_write_job *in_head, *in_tail;   /* waiting for the writer (under mu) */
  hw_write_job *out_head, *out_tail; /* finished, waiting for the loop (under mu) */
  int stopping;                      /* under mu */
  int heavy_passed;                  /* the heavy change at the head was passed once (under mu) */
  int64_t pending;                   /* submitted, done not yet called (loop thread) */
} hw_writer;

/* Start the writer thread on st (which it owns from now on until hw_writer_stop).
 * Returns 0 or a negative hw error (HW_EIO when the thread cannot start). */
int hw_writer_start(hw_writer *w, uv_loop_t *loop, hw_store *st, int group_max, hw_metrics *metrics);
/* Queue a job (loop thread). job->done will be called exactly once. */
void hw_writer_submit(hw_writer *w, hw_write_job *job);
/* Finish every queued job, stop and join the thread, and close the async
 * handle (its close completes on the next loop iteration). Loop thread. The
 * store handle is the caller's again afterwards. */
void hw_writer_stop(hw_writer *w);

#endif
