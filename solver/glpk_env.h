/*
 * The GLPK harness (internal to solver/glpk_*.c; not part of the public API).
 *
 * GLPK was written for single-shot programs: on any error (a bad index, an
 * internal assertion) it prints a message and calls abort(), and it keeps its
 * state in an "environment" that lives until glp_free_env(). A daemon can afford
 * neither. Every GLPK model in Homeward therefore runs its glp_ calls inside
 * hw_glpk_run(), which:
 *
 *   - starts a fresh GLPK environment for the calling thread, silences terminal
 *     output (it is captured into a per-thread buffer instead) and installs an
 *     error hook that longjmp()s back into hw_glpk_run, so a GLPK error returns
 *     HW_ESOLVER instead of ending the process;
 *   - frees the environment (glp_free_env) when the body returns or fails, which
 *     also frees every glp_prob the body created, so worker threads never leak;
 *   - serialises GLPK work with a process-wide mutex only when the library was
 *     built without thread-local environments. Debian's GLPK 5.0 reports
 *     glp_config("TLS") = "_Thread_local", so there each thread has its own
 *     environment and several models solve in parallel.
 *
 * Rules for a body: it must keep anything it mallocs reachable from its context
 * (a longjmp skips its cleanup; the caller frees after hw_glpk_run returns), and
 * must not call hw_glpk_run again (nesting is refused with HW_EINTERNAL).
 */
#ifndef HW_GLPK_ENV_H
#define HW_GLPK_ENV_H

#include <stddef.h>

/* A body holds glp_ calls; it returns 0 or a negative hw error code. */
typedef int (*hw_glpk_body)(void *ctx);

/* Run body(ctx) in a fresh, silenced, hooked GLPK environment of this thread and
 * free the environment afterwards. Returns the body's result, or HW_ESOLVER if
 * GLPK raised an error inside it (the message is kept, see hw_glpk_last_error),
 * or HW_EINTERNAL if called from inside another body on the same thread. */
int hw_glpk_run(hw_glpk_body body, void *ctx);

/* The text GLPK printed for the last error caught on this thread ("" if none). */
const char *hw_glpk_last_error(void);

/* 1 if this GLPK keeps its environment in thread-local storage (solves on
 * different threads run in parallel), 0 if hw_glpk_run serialises them. */
int hw_glpk_thread_local(void);

/* Milliseconds left of a budget of limit_s seconds that began at start_s (a
 * reading of hw_glpk_now_s); INT_MAX when
 * limit_s <= 0 (no limit); at least 1 otherwise, so GLPK always gets a turn. */
int hw_glpk_time_left_ms(double start_s, double limit_s);
/* Monotonic clock in seconds. */
double hw_glpk_now_s(void);

/* Test-only: run a body that passes GLPK an invalid row index, so the error hook
 * fires. Returns what hw_glpk_run returns (HW_ESOLVER when the harness works). */
int hw_glpk_provoke_error(void);

#endif
