/*
 * The one countdown behind every fault hook (hw_fault.h): which kind is armed, at
 * which event, how many events have been counted and how many were failed.
 *
 * The allocator hook calls hw__fault_hit from inside malloc, on any thread, so
 * everything here is lock-free atomics and never allocates.
 */
#include <stdatomic.h>

#include "hw_fault.h"

#define NO_KIND (-1)

static struct {
  atomic_int kind;           /* the armed kind, or NO_KIND */
  atomic_llong n;            /* fail the nth event (0: count only) */
  atomic_uint flags;
  atomic_int waiting;        /* HW_FAULT_AFTER_CHANGE: no change has begun yet */
  atomic_llong count, failed;
  atomic_llong live;         /* heap blocks allocated minus freed */
} fault = {.kind = NO_KIND};

static const char *const kind_names[HW_FAULT_KIND_COUNT] = {"alloc", "sqlite_mem", "sqlite_io"};

const char *hw_fault_kind_name(hw_fault_kind kind) {
  return kind >= 0 && kind < HW_FAULT_KIND_COUNT ? kind_names[kind] : NULL;
}

void hw_fault_arm(hw_fault_kind kind, int64_t n, unsigned flags) {
  /* Unpublish first, so no hook counts against half-set parameters. */
  atomic_store(&fault.kind, NO_KIND);
  atomic_store(&fault.n, n > 0 ? n : 0);
  atomic_store(&fault.flags, flags);
  atomic_store(&fault.waiting, (flags & HW_FAULT_AFTER_CHANGE) != 0);
  atomic_store(&fault.count, 0);
  atomic_store(&fault.failed, 0);
  atomic_store(&fault.kind, (int)kind);
}

void hw_fault_disarm(void) { atomic_store(&fault.kind, NO_KIND); }

int64_t hw_fault_count(void) { return atomic_load(&fault.count); }

int64_t hw_fault_failed(void) { return atomic_load(&fault.failed); }

unsigned hw__fault_flags(void) { return atomic_load(&fault.flags); }

void hw__fault_change_begins(void) { atomic_store(&fault.waiting, 0); }

int hw__fault_hit(hw_fault_kind kind, int is_write) {
  if (atomic_load(&fault.kind) != (int)kind || atomic_load(&fault.waiting)) return 0;
  unsigned flags = atomic_load(&fault.flags);
  if ((flags & HW_FAULT_DISK_FULL) && !is_write) return 0;
  int64_t i = atomic_fetch_add(&fault.count, 1) + 1;
  int64_t n = atomic_load(&fault.n);
  int fail = n > 0 && (i == n || ((flags & HW_FAULT_PERSISTENT) && i > n));
  if (fail) atomic_fetch_add(&fault.failed, 1);
  return fail;
}

void hw__fault_block_allocated(void) { atomic_fetch_add_explicit(&fault.live, 1, memory_order_relaxed); }

void hw__fault_block_freed(void) { atomic_fetch_sub_explicit(&fault.live, 1, memory_order_relaxed); }

int64_t hw_fault_live_blocks(void) { return atomic_load(&fault.live); }
