/*
 * The fault-injection driver: runs one operation on a store again and again,
 * failing a different point of it each time (hw_fault.h), and checks after each
 * run that the store holds exactly what the operation reported - all of it or
 * none of it - and that the handle still works.
 *
 * For a scenario and a kind of fault:
 *   1. prepare builds the starting store once (faults off) and it is kept as a
 *      template; its logical dump (tests/hw_dump.h) is "before".
 *   2. Calibration: after a warm-up run (faults off, so what the process sets
 *      up once on first use is not counted), the operation runs on a copy with
 *      the fault counting but not failing. It must succeed; its dump is "after", and the count K is the
 *      number of fault points of the operation.
 *   3. For each chosen N in 1..K: a fresh copy of the template, the store opened,
 *      the fault armed at N, the operation run, the fault disarmed; then, with
 *      faults off:
 *        - the handle must not be left inside a transaction;
 *        - the store's dump must be "after" if the operation reported success,
 *          "before" if it reported an error (a half-stored change is neither) -
 *          or, for an operation made of two complete changes, "midway" (the
 *          first change alone, see first_change);
 *        - an error should be one the daemon answers with a 5xx (an injected
 *          fault is the server's failure, not the client's); one that is not is
 *          "misreported" - a violation when the sweep is strict, else counted;
 *        - after an error, the same operation on the same handle must succeed
 *          and leave "after" (the handle recovers: the daemon keeps serving);
 *        - once closed, the dump must not change and PRAGMA integrity_check
 *          must answer ok;
 *        - the process's live heap blocks must not grow (a leak).
 * The driver knows nothing of the scheduler: a scenario is a prepare and a run.
 */
#ifndef FAULT_DRIVER_H
#define FAULT_DRIVER_H

#include <stdint.h>

#include "hw_fault.h"
#include "hw_store.h"

typedef struct fault_scenario {
  const char *name;
  /* Build the starting store at path with faults off (fail the test on any
   * error), close it, and return what run needs (may be NULL). */
  void *(*prepare)(const char *path);
  /* The one operation under test, on the store opened at the prepared path.
   * Returns 0 when it reports success, else a negative hw error. It is run again
   * after a failure, so it must leave ctx as it found it. */
  int (*run)(hw_store *st, void *ctx);
  /* Free what prepare returned (may be NULL). */
  void (*release)(void *ctx);
  /* Optional. What the program holds on a handle before the operation arrives
   * (the daemon's writer keeps its service, with its day cache, for the life of
   * its handle): attach runs after each open, faults off, and returns 0 or an
   * error (fails the test); detach runs before each close. A run and the retry
   * after its failure share what attach made, as the writer's requests do. */
  int (*attach)(hw_store *st, void *ctx);
  void (*detach)(hw_store *st, void *ctx);
  /* Optional. For an operation made of two changes each complete by itself (a
   * plan: the day's visits, then the publication): the first alone. Its dump is
   * "midway", which an error of the operation may leave as well as "before"; the
   * retry from there must still end at "after" (the first change is not repeated). */
  int (*first_change)(hw_store *st, void *ctx);
} fault_scenario;

typedef struct fault_sweep {
  hw_fault_kind kind;
  unsigned flags;           /* HW_FAULT_PERSISTENT, HW_FAULT_DISK_FULL */
  int64_t max_points;       /* at most about this many points: the first half of
                               them all, the rest spread evenly to K; 0 = every
                               one (also forced by HW_FAULT_FULL=1 in the environment;
                               HW_FAULT_ONLY=N runs point N alone, to reproduce it) */
  int strict;               /* 1: a misreported error (4xx for a fault) is a violation */
} fault_sweep;

typedef struct fault_report {
  int64_t points;           /* K: the operation's fault points */
  int64_t tried;            /* how many of them were exercised */
  int64_t errors;           /* runs where the operation reported an error */
  int64_t survived;         /* runs where a fault fired and it still succeeded */
  int64_t midway;           /* errors that left the first change stored (first_change) */
  int64_t violations;
  char first[1024];         /* the first violation, naming N */
  int64_t misreported;      /* errors answered as the client's fault (not strict) */
  char first_misreport[512];
  double seconds;
} fault_report;

/* Run scenario s under sweep w in a directory of its own under the test's tmpdir
 * and fill r. Returns r->violations (0 = the operation is atomic at every point
 * tried). Fails the test (hw_test_fail) only when the scenario cannot run at all
 * without faults. Prints a one-line summary on stderr. */
int64_t fault_run_sweep(const fault_scenario *s, const fault_sweep *w, fault_report *r);

/* Open the store at path with the options every run uses (synchronous FULL, so
 * syncs are fault points too); fails the test if it cannot. */
hw_store *fault_open_store(const char *path);
/* Apply one change of type through hw_store_apply (actor "coordinator", payload
 * "{}", idempotency key key, or none when ""); returns what hw_store_apply does. */
int fault_apply(hw_store *st, const char *type, const char *key, hw_store_tx_fn fn, void *ctx);
/* A prepare for scenarios that start from an empty store: create it at path. */
void *fault_prepare_empty_store(const char *path);
/* Run fault_run_sweep of s with kind, flags, max_points and strict, and fail the
 * test with the first violation when there is any. */
void fault_sweep_or_fail(const fault_scenario *s, hw_fault_kind kind, unsigned flags, int64_t max_points, int strict);

#endif
