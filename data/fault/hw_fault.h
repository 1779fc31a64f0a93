/*
 * Fault injection, SQLite-style, for the fault build (cmake -DHW_FAULT=ON) only:
 * make the Nth heap allocation of the process, the Nth allocation SQLite makes,
 * or the Nth SQLite file operation fail, so the tests can show that a failure at
 * any point of a change leaves the store as it was and the program serving.
 *
 * Three hooks, one countdown:
 *   HW_FAULT_ALLOC       every heap allocation of the process: malloc, calloc,
 *                        realloc, posix_memalign, aligned_alloc, memalign, and so
 *                        strdup, jansson's, GLPK's and SQLite's (fault_alloc.c, a
 *                        malloc interposer forwarding to glibc's __libc_malloc);
 *   HW_FAULT_SQLITE_MEM  an allocation SQLite makes (sqlite3_mem_methods wrapping
 *                        SQLite's default allocator);
 *   HW_FAULT_SQLITE_IO   a SQLite file operation (a VFS wrapping "unix", made the
 *                        default): open, delete, access, read, write, truncate,
 *                        sync, file size, lock, check-reserved-lock, shared-memory
 *                        map and lock. A failed one returns the SQLITE_IOERR_*
 *                        code SQLite expects of it (SQLITE_CANTOPEN for open);
 *                        with HW_FAULT_DISK_FULL only writes count, and a failed
 *                        one returns SQLITE_FULL.
 * One kind is armed at a time. Counting is process-wide and thread-safe (atomics:
 * the allocator hook must not allocate or lock).
 *
 * The SQLite hooks are installed before main by a constructor (fault_env.c), which
 * also arms a fault from the environment, so the real daemon can be started with
 * one armed (docs/store.md, "Fault injection"):
 *   HW_FAULT_ALLOC=N | HW_FAULT_SQLITE_MEM=N | HW_FAULT_SQLITE_IO=N
 *   HW_FAULT_FLAGS=persistent,disk_full,after_change   (optional, comma separated)
 * Nothing here is compiled into the normal build.
 */
#ifndef HW_FAULT_H
#define HW_FAULT_H

#include <stdint.h>

#include "hw_store.h"

typedef enum hw_fault_kind {
  HW_FAULT_ALLOC = 0,
  HW_FAULT_SQLITE_MEM,
  HW_FAULT_SQLITE_IO,
  HW_FAULT_KIND_COUNT
} hw_fault_kind;

enum {
  /* The Nth event and every later one fail (until disarmed), not just the Nth. */
  HW_FAULT_PERSISTENT = 1u << 0,
  /* HW_FAULT_SQLITE_IO: count only writes; a failed write is SQLITE_FULL. */
  HW_FAULT_DISK_FULL = 1u << 1,
  /* Start counting only when the store next begins a change (hw_store_batch_begin,
   * or hw_store_apply outside a batch): in the daemon that is the writer thread
   * starting on a request, so N counts from there and not from startup. */
  HW_FAULT_AFTER_CHANGE = 1u << 2
};

/* Arm kind: from now on count its events and fail the nth one (1-based; every one
 * from the nth on with HW_FAULT_PERSISTENT). n == 0 counts without failing, to
 * measure how many fault points an operation has. Replaces any armed fault and
 * zeroes the counters. Thread-safe. */
void hw_fault_arm(hw_fault_kind kind, int64_t n, unsigned flags);
/* Stop counting and failing; the counters keep their values. Thread-safe. */
void hw_fault_disarm(void);
/* Events of the armed (or last armed) kind counted since hw_fault_arm. */
int64_t hw_fault_count(void);
/* How many of them were made to fail. */
int64_t hw_fault_failed(void);
/* The kind's name as the environment and the reports spell it ("alloc",
 * "sqlite_mem", "sqlite_io"), or NULL for a bad kind. */
const char *hw_fault_kind_name(hw_fault_kind kind);

/* Route SQLite's allocations and file operations through the hooks. Must run
 * before SQLite is initialised (the constructor in fault_env.c does it before
 * main); idempotent. Returns 0, or a SQLite error code when SQLite refused
 * (already initialised, or the VFS could not be registered). */
int hw_fault_install_sqlite(void);

/* Live heap blocks of the process (allocations minus frees seen by the allocator
 * hook): a leak shows as a count that grows from one fault point to the next. */
int64_t hw_fault_live_blocks(void);
/* 1 when the handle is inside a transaction, a batch or a change: after an
 * operation has returned, that is a handle that would block every later write. */
int hw_fault_store_in_transaction(hw_store *st);

/* ---- Internal to data/fault/ and the store ---------------------------------- */

/* 1 when the event of kind being counted now must fail (is_write: a file write,
 * for HW_FAULT_DISK_FULL). Never allocates or locks. */
int hw__fault_hit(hw_fault_kind kind, int is_write);
/* The flags of the armed fault. */
unsigned hw__fault_flags(void);
/* The store begins a change: starts an HW_FAULT_AFTER_CHANGE count. */
void hw__fault_change_begins(void);
/* The allocator hook's counts of blocks allocated and freed. */
void hw__fault_block_allocated(void);
void hw__fault_block_freed(void);

#endif
