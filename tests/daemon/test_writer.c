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

/* A writer on a fresh store, its loop, and the order its jobs ran in. */
typedef struct rig {
  hw_store *st;
  uv_loop_t loop;
  hw_metrics m;
  hw_writer w;
  order o;
} rig;

static void rig_open(rig *b, const char *db) {
  char msg[256];
  HW_CHECK_INT(hw_store_open(hw_test_path(db), NULL, &b->st, msg, sizeof msg), ==, 0);
  uv_loop_init(&b->loop);
  hw_metrics_init(&b->m);
  HW_CHECK_INT(hw_writer_start(&b->w, &b->loop, b->st, 64, &b->m), ==, 0);
  b->o = (order){0};
  uv_sem_init(&b->o.go, 0);
}

/* Submit jobs[0..n), let the first (a blocking task) go, and wait for all. */
static void rig_run(rig *b, hw_write_job *jobs, int n) {
  left = n;
  for (int i = 0; i < n; i++) hw_writer_submit(&b->w, &jobs[i]);
  uv_sem_post(&b->o.go);
  while (left > 0) uv_run(&b->loop, UV_RUN_ONCE);
}

static void rig_close(rig *b) {
  hw_writer_stop(&b->w);
  uv_run(&b->loop, UV_RUN_DEFAULT);
  uv_loop_close(&b->loop);
  uv_sem_destroy(&b->o.go);
  hw_store_close(b->st);
}

/* The jobs named by names[i]: '0' a task that holds the writer until let go,
 * 'T' a task, any other letter a light change. */
static void make_jobs(rig *b, const char *names, step *steps, hw_write_job *jobs) {
  for (int i = 0; names[i]; i++) {
    steps[i] = (step){&b->o, names[i]};
    jobs[i] = (hw_write_job){.ctx = &steps[i], .done = job_done};
    if (i == 0) jobs[i].task = blocking_task;
    else if (names[i] == 'T') jobs[i].task = task;
    else jobs[i].run = run_change;
  }
}

HW_TEST(a_publication_waits_one_batch_and_runs_alone) {
  rig b;
  rig_open(&b, "writer.db");
  /* Queued behind a task that holds the writer: a publication H, light changes
   * a and b, a task T, then c. */
  step steps[6];
  hw_write_job jobs[6];
  make_jobs(&b, "0HabTc", steps, jobs);
  jobs[1].heavy = 1;
  rig_run(&b, jobs, 6);
  /* a and b pass H (one batch: H, first in the queue, would run first in a shared
   * one), H alone, then T, then c. */
  HW_CHECK_STR(b.o.seen, "abHTc");
  rig_close(&b);
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
  rig b;
  rig_open(&b, "writer_steps.db");
  /* Behind a task that holds the writer: S (heavy, three steps), a, b, a task T, c. */
  step steps[6];
  hw_write_job jobs[6];
  make_jobs(&b, "0SabTc", steps, jobs);
  stepped x = {.s = {&b.o, 'S'}, .job = &jobs[1]};
  jobs[1] = (hw_write_job){.run = run_step, .ctx = &x, .heavy = 1, .done = stepped_done};
  rig_run(&b, jobs, 6);
  /* a and b pass S; its first step; T and c, queued before its second; then the
   * rest of it. */
  HW_CHECK_STR(b.o.seen, "abSTcSS");
  HW_CHECK_INT(x.dones, ==, 1);
  HW_CHECK_INT((int)b.w.pending, ==, 0);
  rig_close(&b);
}
