/*
 * The writer's batches (daemon/writer.c): a heavy change (a chunk of a plan's
 * publication) runs in a batch of its own after the light changes queued behind
 * it have had one batch; a task runs after what was queued before it; a change
 * made in steps goes back to the end of the queue after each, and is done once.
 */
#include <uv.h>

#include "hw_error.h"
#include "hw_test.h"
#include "hw_writer.h"

typedef struct order {
  uv_sem_t go;                 /* the first task waits on it, so the queue fills */
  char seen[32];               /* the jobs in the order the writer ran them */
  int n;
} order;

typedef struct step {
  order *o;
  char name;
} step;

static int run_change(hw_store *st, void *ctx, hw_apply_result *res) {
  (void)st;
  (void)res;
  step *s = ctx;
  s->o->seen[s->o->n++] = s->name;
  return 0;
}

static int blocking_task(hw_store *st, void *ctx) {
  (void)st;
  step *s = ctx;
  uv_sem_wait(&s->o->go);
  return 0;
}

static int task(hw_store *st, void *ctx) { return run_change(st, ctx, NULL); }

static int left;
static void job_done(hw_write_job *j) {
  HW_CHECK_INT(j->rc, ==, 0);
  left--;
}

HW_TEST(a_publication_waits_one_batch_and_runs_alone) {
  hw_store *st;
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path("writer.db"), NULL, &st, msg, sizeof msg), ==, 0);
  uv_loop_t loop;
  uv_loop_init(&loop);
  hw_metrics m;
  hw_metrics_init(&m);
  hw_writer w;
  HW_CHECK_INT(hw_writer_start(&w, &loop, st, 64, &m), ==, 0);
  order o = {0};
  uv_sem_init(&o.go, 0);
  /* Queued behind a task that holds the writer: a publication H, light changes
   * a and b, a task T, then c. */
  static const char names[] = "0HabTc";
  step steps[6];
  hw_write_job jobs[6];
  for (int i = 0; i < 6; i++) {
    steps[i] = (step){&o, names[i]};
    jobs[i] = (hw_write_job){.ctx = &steps[i], .done = job_done};
    if (i == 0) jobs[i].task = blocking_task;
    else if (names[i] == 'T') jobs[i].task = task;
    else jobs[i].run = run_change;
    jobs[i].heavy = names[i] == 'H';
  }
  left = 6;
  for (int i = 0; i < 6; i++) hw_writer_submit(&w, &jobs[i]);
  uv_sem_post(&o.go);
  while (left > 0) uv_run(&loop, UV_RUN_ONCE);
  /* a and b pass H (one batch: H, first in the queue, would run first in a shared
   * one), H alone, then T, then c. */
  HW_CHECK_STR(o.seen, "abHTc");
  hw_writer_stop(&w);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  uv_sem_destroy(&o.go);
  hw_store_close(st);
}

/* A change in three steps: each runs, and asks to go again until the third. */
typedef struct stepped {
  step s;
  int steps, dones;
  hw_write_job *job;
} stepped;

static int run_step(hw_store *st, void *ctx, hw_apply_result *res) {
  stepped *x = ctx;
  run_change(st, &x->s, res);
  x->job->again = ++x->steps < 3;
  return 0;
}

static void stepped_done(hw_write_job *j) {
  stepped *x = j->ctx;
  x->dones++;
  job_done(j);
}

HW_TEST(a_change_in_steps_goes_to_the_back_of_the_queue_after_each_and_is_done_once) {
  hw_store *st;
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path("writer_steps.db"), NULL, &st, msg, sizeof msg), ==, 0);
  uv_loop_t loop;
  uv_loop_init(&loop);
  hw_metrics m;
  hw_metrics_init(&m);
  hw_writer w;
  HW_CHECK_INT(hw_writer_start(&w, &loop, st, 64, &m), ==, 0);
  order o = {0};
  uv_sem_init(&o.go, 0);
  /* Behind a task that holds the writer: S (heavy, three steps), a, b, a task T, c. */
  static const char names[] = "0SabTc";
  step steps[6];
  hw_write_job jobs[6];
  stepped x = {.s = {&o, 'S'}, .job = &jobs[1]};
  for (int i = 0; i < 6; i++) {
    steps[i] = (step){&o, names[i]};
    jobs[i] = (hw_write_job){.ctx = &steps[i], .done = job_done};
    if (i == 0) jobs[i].task = blocking_task;
    else if (names[i] == 'T') jobs[i].task = task;
    else jobs[i].run = run_change;
  }
  jobs[1] = (hw_write_job){.run = run_step, .ctx = &x, .heavy = 1, .done = stepped_done};
  left = 6;
  for (int i = 0; i < 6; i++) hw_writer_submit(&w, &jobs[i]);
  uv_sem_post(&o.go);
  while (left > 0) uv_run(&loop, UV_RUN_ONCE);
  /* a and b pass S; its first step; T and c, queued before its second; then the
   * rest of it. */
  HW_CHECK_STR(o.seen, "abSTcSS");
  HW_CHECK_INT(x.dones, ==, 1);
  HW_CHECK_INT((int)w.pending, ==, 0);
  hw_writer_stop(&w);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  uv_sem_destroy(&o.go);
  hw_store_close(st);
}
