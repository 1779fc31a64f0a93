/*
 * The daemon's clock. Normally the system's; with `serve --test_clock TIME` a
 * test clock that stands still until an admin moves it (POST /v1/admin/clock),
 * so an end-to-end test can drive a whole week - the cron's morning rounds and
 * nightly plans included - in seconds and get the same answers every run. Loop
 * thread only.
 */
#ifndef HW_CLOCK_H
#define HW_CLOCK_H

#include "hw_time.h"

typedef struct hw_clock {
  int test;                    /* 1: the test clock */
  hw_time now;                 /* test: the current instant (the cron moves it) */
  hw_time target;              /* test: the instant asked for */
} hw_clock;

void hw_clock_init_system(hw_clock *c);
void hw_clock_init_test(hw_clock *c, hw_time start);
/* The time now: the system's, or the test clock's. */
hw_time hw_clock_now(const hw_clock *c);
/* Where the cron should have caught up to: the system time, or the test target. */
hw_time hw_clock_target(const hw_clock *c);

#endif
