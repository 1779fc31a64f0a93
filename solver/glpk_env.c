/*
 * The GLPK harness: per-call environments, the error hook that turns GLPK's
 * abort() into HW_ESOLVER, captured terminal output, and the mutex used only
 * when GLPK lacks thread-local storage. See glpk_env.h for the rules a body
 * follows. This file and the other solver/glpk_*.c files are the only places in
 * Homeward that call glp_ functions.
 */
#include "glpk_env.h"

#include <glpk.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include "hw_error.h"

#define HW_GLPK_MSG_LEN 512

/* Per-thread state of the call in progress. */
typedef struct hw_glpk_frame {
  jmp_buf jump;
  char output[HW_GLPK_MSG_LEN]; /* GLPK's terminal text since the call began */
  size_t output_len;
} hw_glpk_frame;

static _Thread_local hw_glpk_frame *hw_glpk_current;
static _Thread_local char hw_glpk_error_text[HW_GLPK_MSG_LEN];

static pthread_mutex_t hw_glpk_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t hw_glpk_once = PTHREAD_ONCE_INIT;
static int hw_glpk_tls;

static void hw_glpk_detect_tls(void) {
  /* glp_config does not touch the environment; a NULL means GLPK was built with
   * one process-wide environment, which threads must not share concurrently. */
  hw_glpk_tls = glp_config("TLS") != NULL;
}

int hw_glpk_thread_local(void) {
  pthread_once(&hw_glpk_once, hw_glpk_detect_tls);
  return hw_glpk_tls;
}

/* Keep the tail of GLPK's output: an error message is the last thing printed. */
static int hw_glpk_capture(void *info, const char *s) {
  hw_glpk_frame *f = info;
  size_t n = strlen(s);
  if (n >= sizeof f->output) {
    s += n - (sizeof f->output - 1);
    n = sizeof f->output - 1;
  }
  if (f->output_len + n >= sizeof f->output) {
    size_t drop = f->output_len + n - (sizeof f->output - 1);
    memmove(f->output, f->output + drop, f->output_len - drop);
    f->output_len -= drop;
  }
  memcpy(f->output + f->output_len, s, n);
  f->output_len += n;
  f->output[f->output_len] = '\0';
  return 1; /* non-zero: GLPK prints nothing itself */
}

/* Called by GLPK instead of abort(); never returns. The environment is freed by
 * hw_glpk_run after the jump, outside GLPK's own stack frames. */
static void hw_glpk_error_hook(void *info) {
  hw_glpk_frame *f = info;
  longjmp(f->jump, 1);
}

static void hw_glpk_start_env(hw_glpk_frame *f) {
  glp_init_env();
  glp_term_hook(hw_glpk_capture, f);
  glp_term_out(GLP_OFF);
  glp_error_hook(hw_glpk_error_hook, f);
}

/* The body and its argument travel through the setjmp in a struct of volatile
 * fields so that their values are defined after a longjmp. */
int hw_glpk_run(hw_glpk_body body, void *ctx) {
  if (hw_glpk_current) return HW_EINTERNAL;
  int serialise = !hw_glpk_thread_local();
  if (serialise) pthread_mutex_lock(&hw_glpk_lock);

  hw_glpk_frame frame;
  frame.output[0] = '\0';
  frame.output_len = 0;
  hw_glpk_current = &frame;
  volatile int rc = HW_ESOLVER;
  if (setjmp(frame.jump) == 0) {
    hw_glpk_start_env(&frame);
    rc = body(ctx);
  } else {
    /* GLPK's state is unusable after an error; freeing the environment frees
     * every object the body created. */
    size_t n = frame.output_len;
    while (n > 0 && (frame.output[n - 1] == '\n' || frame.output[n - 1] == ' ')) n--;
    memcpy(hw_glpk_error_text, frame.output, n);
    hw_glpk_error_text[n] = '\0';
    rc = HW_ESOLVER;
  }
  glp_free_env();
  hw_glpk_current = NULL;
  if (serialise) pthread_mutex_unlock(&hw_glpk_lock);
  return rc;
}

const char *hw_glpk_last_error(void) { return hw_glpk_error_text; }

double hw_glpk_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int hw_glpk_time_left_ms(double start_s, double limit_s) {
  if (limit_s <= 0) return INT_MAX;
  double left = (start_s + limit_s - hw_glpk_now_s()) * 1000.0;
  if (left < 1.0) return 1;
  if (left > (double)INT_MAX) return INT_MAX;
  return (int)left;
}

static int hw_glpk_bad_index_body(void *ctx) {
  (void)ctx;
  glp_prob *lp = glp_create_prob();
  glp_add_rows(lp, 1);
  glp_set_row_bnds(lp, 7, GLP_FX, 1.0, 1.0); /* row 7 does not exist: GLPK error */
  glp_delete_prob(lp);
  return 0;
}

int hw_glpk_provoke_error(void) { return hw_glpk_run(hw_glpk_bad_index_body, NULL); }
