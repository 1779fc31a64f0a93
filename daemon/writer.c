/*
 * The writer thread and its two queues (in: jobs to apply; out: finished jobs
 * for the loop). See hw_writer.h for the guarantees.
 */
#include "hw_writer.h"

#include <stdlib.h>

#include "hw_error.h"
#include "hw_log.h"

static void push(hw_write_job **head, hw_write_job **tail, hw_write_job *job) {
  job->next = NULL;
  if (*tail) (*tail)->next = job;
  else *head = job;
  *tail = job;
}

static hw_write_job *take_head(hw_writer *w) {
  hw_write_job *j = w->in_head;
  w->in_head = j->next;
  if (!w->in_head) w->in_tail = NULL;
  j->next = NULL;
  return j;
}

static int light_change(const hw_write_job *j) { return !j->task && !j->heavy; }

/* Up to group_max light changes from the queue (mu held), in order, passing
 * heavy ones and stopping at a task (it runs after what was queued before it). */
static hw_write_job *take_light(hw_writer *w) {
  hw_write_job *batch = NULL, *last = NULL, *prev = NULL;
  int n = 0;
  for (hw_write_job *j = w->in_head, *next; j && !j->task && n < w->group_max; j = next) {
    next = j->next;
    if (!light_change(j)) {
      prev = j;
      continue;
    }
    if (prev) prev->next = next;
    else w->in_head = next;
    if (w->in_tail == j) w->in_tail = prev;
    j->next = NULL;
    if (last) last->next = j;
    else batch = j;
    last = j;
    n++;
  }
  return batch;
}

/* The next batch (mu held): a task alone; a heavy change alone once the light
 * changes queued behind it have had one batch; else up to group_max light ones. */
static hw_write_job *take_batch(hw_writer *w) {
  hw_write_job *first = w->in_head;
  if (!first) return NULL;
  if (first->task) return take_head(w);
  if (first->heavy && !w->heavy_passed) {
    hw_write_job *batch = take_light(w);
    if (batch) {
      w->heavy_passed = 1;
      return batch;
    }
  }
  if (first->heavy) {
    w->heavy_passed = 0;
    return take_head(w);
  }
  return take_light(w);
}

static void apply_batch(hw_writer *w, hw_write_job *batch) {
  int rc = hw_store_batch_begin(w->st);
  int applied = 0;
  int64_t first_seq = rc ? 0 : hw_store_last_seq(w->st);
  for (hw_write_job *j = batch; j; j = j->next) {
    j->res.result = NULL;
    j->res.replayed = 0;
    j->batch_size = 0;
    j->rc = rc ? rc : j->run ? j->run(w->st, j->ctx, &j->res) : hw_store_apply(w->st, &j->ev, j->fn, j->ctx, &j->res);
    if (j->rc == 0 && !j->res.replayed) applied++;
  }
  if (rc) return;
  int64_t last_seq = hw_store_last_seq(w->st); /* a change may store several events */
  rc = hw_store_batch_commit(w->st);
  if (rc) {
    HW_LOG_ERRORF("group commit of %d changes failed: %s (%s)", applied, hw_strerror(rc), hw_store_errmsg(w->st));
    hw_store_batch_rollback(w->st);
    for (hw_write_job *j = batch; j; j = j->next)
      if (j->rc == 0) {
        free(j->res.result);
        j->res.result = NULL;
        j->rc = rc;
      }
    return;
  }
  batch->batch_size = applied;
  batch->batch_events = first_seq >= 0 && last_seq >= first_seq ? (int)(last_seq - first_seq) : 0;
}

static void writer_main(void *arg) {
  hw_writer *w = arg;
  uv_mutex_lock(&w->mu);
  for (;;) {
    while (!w->in_head && !w->stopping) uv_cond_wait(&w->cv, &w->mu);
    hw_write_job *batch = take_batch(w);
    if (!batch) break; /* stopping and nothing left */
    uv_mutex_unlock(&w->mu);
    if (batch->task) {
      batch->rc = batch->task(w->st, batch->ctx);
      batch->batch_size = 0;
    } else {
      apply_batch(w, batch);
    }
    uv_mutex_lock(&w->mu);
    while (batch) {
      hw_write_job *next = batch->next;
      int again = !batch->task && batch->rc == 0 && batch->again;
      batch->again = 0;
      push(again ? &w->in_head : &w->out_head, again ? &w->in_tail : &w->out_tail, batch);
      batch = next;
    }
    uv_async_send(&w->async);
  }
  uv_mutex_unlock(&w->mu);
}

/* Loop thread: hand every finished job to its owner. */
static void deliver(hw_writer *w) {
  uv_mutex_lock(&w->mu);
  hw_write_job *done = w->out_head;
  w->out_head = w->out_tail = NULL;
  uv_mutex_unlock(&w->mu);
  while (done) {
    hw_write_job *next = done->next;
    if (!done->task && done->batch_size > 0) hw_metrics_batch(w->metrics, done->batch_events);
    if (!done->task && done->rc == 0 && done->res.replayed) w->metrics->replays++;
    w->pending--;
    done->done(done);
    done = next;
  }
}

static void on_async(uv_async_t *a) { deliver(a->data); }

int hw_writer_start(hw_writer *w, uv_loop_t *loop, hw_store *st, int group_max, hw_metrics *metrics) {
  *w = (hw_writer){.loop = loop, .st = st, .group_max = group_max > 0 ? group_max : 1, .metrics = metrics};
  if (uv_mutex_init(&w->mu)) return HW_EIO;
  if (uv_cond_init(&w->cv)) {
    uv_mutex_destroy(&w->mu);
    return HW_EIO;
  }
  if (uv_async_init(loop, &w->async, on_async) == 0) {
    w->async.data = w;
    if (uv_thread_create(&w->thread, writer_main, w) == 0) return 0;
    uv_close((uv_handle_t *)&w->async, NULL);
  }
  uv_cond_destroy(&w->cv);
  uv_mutex_destroy(&w->mu);
  return HW_EIO;
}

void hw_writer_submit(hw_writer *w, hw_write_job *job) {
  w->pending++;
  uv_mutex_lock(&w->mu);
  push(&w->in_head, &w->in_tail, job);
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
}

void hw_writer_stop(hw_writer *w) {
  uv_mutex_lock(&w->mu);
  w->stopping = 1;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
  uv_thread_join(&w->thread);
  deliver(w); /* whatever finished after the last wake-up */
  uv_close((uv_handle_t *)&w->async, NULL);
  uv_cond_destroy(&w->cv);
  uv_mutex_destroy(&w->mu);
}
