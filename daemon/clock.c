/*
 * The daemon's clock (hw_clock.h).
 */
#include "hw_clock.h"

#include <time.h>

void hw_clock_init_system(hw_clock *c) { *c = (hw_clock){0, 0, 0}; }

void hw_clock_init_test(hw_clock *c, hw_time start) { *c = (hw_clock){1, start, start}; }

hw_time hw_clock_now(const hw_clock *c) { return c->test ? c->now : (hw_time)time(NULL); }

hw_time hw_clock_target(const hw_clock *c) { return c->test ? c->target : (hw_time)time(NULL); }
