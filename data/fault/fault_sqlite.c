/*
 * SQLite's side of the fault build: a sqlite3_mem_methods that wraps SQLite's
 * default allocator and fails an allocation when the HW_FAULT_SQLITE_MEM
 * countdown says so, and a VFS ("hw_fault") that wraps the default "unix" VFS,
 * is registered as the default, and fails a file operation when the
 * HW_FAULT_SQLITE_IO countdown says so - with the error code SQLite expects from
 * that operation, as SQLite's own test VFS does.
 *
 * Counted operations: open, delete, access (the VFS); read, write, truncate,
 * sync, file size, lock, check-reserved-lock, shared-memory map and lock (each
 * file). Closing, unlocking, barriers and file controls are passed through
 * uncounted: SQLite ignores their errors or cannot recover from them by design.
 */
#include <sqlite3.h>
#include <string.h>

#include "hw_fault.h"
#include "store_internal.h"

/* ---- Allocations ---------------------------------------------------------- */

static sqlite3_mem_methods default_mem; /* SQLite's own, which the wrappers call */

static void *mem_malloc(int n) { return hw__fault_hit(HW_FAULT_SQLITE_MEM, 0) ? NULL : default_mem.xMalloc(n); }

static void *mem_realloc(void *p, int n) {
  return hw__fault_hit(HW_FAULT_SQLITE_MEM, 0) ? NULL : default_mem.xRealloc(p, n);
}

static void mem_free(void *p) { default_mem.xFree(p); }
static int mem_size(void *p) { return default_mem.xSize(p); }
static int mem_roundup(int n) { return default_mem.xRoundup(n); }
static int mem_init(void *app) {
  (void)app;
  return default_mem.xInit(default_mem.pAppData);
}
static void mem_shutdown(void *app) {
  (void)app;
  default_mem.xShutdown(default_mem.pAppData);
}

static const sqlite3_mem_methods fault_mem = {.xMalloc = mem_malloc,
                                              .xFree = mem_free,
                                              .xRealloc = mem_realloc,
                                              .xSize = mem_size,
                                              .xRoundup = mem_roundup,
                                              .xInit = mem_init,
                                              .xShutdown = mem_shutdown};

/* ---- Files ----------------------------------------------------------------- */

/* Our file: the base SQLite sees, then the real unix file right behind it. */
typedef struct fault_file {
  sqlite3_file base;
  sqlite3_file *real;
} fault_file;

#define REAL(f) (((fault_file *)(f))->real)
#define CALL(f, method, ...) REAL(f)->pMethods->method(REAL(f), __VA_ARGS__)

static int io_fails(void) { return hw__fault_hit(HW_FAULT_SQLITE_IO, 0); }

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off) {
  return io_fails() ? SQLITE_IOERR_READ : CALL(f, xRead, buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off) {
  if (hw__fault_hit(HW_FAULT_SQLITE_IO, 1))
    return (hw__fault_flags() & HW_FAULT_DISK_FULL) ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return CALL(f, xWrite, buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size) {
  return io_fails() ? SQLITE_IOERR_TRUNCATE : CALL(f, xTruncate, size);
}

static int f_sync(sqlite3_file *f, int flags) { return io_fails() ? SQLITE_IOERR_FSYNC : CALL(f, xSync, flags); }

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size) {
  return io_fails() ? SQLITE_IOERR_FSTAT : CALL(f, xFileSize, size);
}

static int f_lock(sqlite3_file *f, int level) { return io_fails() ? SQLITE_IOERR_LOCK : CALL(f, xLock, level); }

static int f_unlock(sqlite3_file *f, int level) { return CALL(f, xUnlock, level); }

static int f_check_reserved(sqlite3_file *f, int *out) {
  return io_fails() ? SQLITE_IOERR_CHECKRESERVEDLOCK : CALL(f, xCheckReservedLock, out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg) { return CALL(f, xFileControl, op, arg); }
static int f_sector_size(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out) {
  return io_fails() ? SQLITE_IOERR_SHMMAP : CALL(f, xShmMap, page, size, extend, out);
}

/* Only taking a lock can fail; releasing one cannot. */
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
  if ((flags & SQLITE_SHM_LOCK) && io_fails()) return SQLITE_IOERR_SHMLOCK;
  return CALL(f, xShmLock, offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return CALL(f, xShmUnmap, del); }
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out) { return CALL(f, xFetch, off, n, out); }
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p) { return CALL(f, xUnfetch, off, p); }

static const sqlite3_io_methods fault_io = {.iVersion = 3,
                                           .xClose = f_close,
                                           .xRead = f_read,
                                           .xWrite = f_write,
                                           .xTruncate = f_truncate,
                                           .xSync = f_sync,
                                           .xFileSize = f_file_size,
                                           .xLock = f_lock,
                                           .xUnlock = f_unlock,
                                           .xCheckReservedLock = f_check_reserved,
                                           .xFileControl = f_file_control,
                                           .xSectorSize = f_sector_size,
                                           .xDeviceCharacteristics = f_device,
                                           .xShmMap = f_shm_map,
                                           .xShmLock = f_shm_lock,
                                           .xShmBarrier = f_shm_barrier,
                                           .xShmUnmap = f_shm_unmap,
                                           .xFetch = f_fetch,
                                           .xUnfetch = f_unfetch};

/* ---- The VFS ---------------------------------------------------------------- */

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs fault_vfs;

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
  (void)vfs;
  fault_file *ff = (fault_file *)f;
  ff->base.pMethods = NULL; /* SQLite closes only a file whose open succeeded */
  if (io_fails()) return SQLITE_CANTOPEN;
  ff->real = (sqlite3_file *)(ff + 1);
  int rc = unix_vfs->xOpen(unix_vfs, name, ff->real, flags, out_flags);
  if (ff->real->pMethods) ff->base.pMethods = &fault_io;
  return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs;
  return io_fails() ? SQLITE_IOERR_DELETE : unix_vfs->xDelete(unix_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs;
  return io_fails() ? SQLITE_IOERR_ACCESS : unix_vfs->xAccess(unix_vfs, name, flags, out);
}

/* A copy of the unix VFS with open, delete and access replaced; its other
 * methods are the unix ones, which do not depend on which VFS they are called
 * through. */
static int register_vfs(void) {
  unix_vfs = sqlite3_vfs_find("unix");
  if (!unix_vfs) return SQLITE_ERROR;
  fault_vfs = *unix_vfs;
  fault_vfs.pNext = NULL;
  fault_vfs.zName = "hw_fault";
  fault_vfs.szOsFile = (int)sizeof(fault_file) + unix_vfs->szOsFile;
  fault_vfs.xOpen = v_open;
  fault_vfs.xDelete = v_delete;
  fault_vfs.xAccess = v_access;
  return sqlite3_vfs_register(&fault_vfs, 1);
}

int hw_fault_install_sqlite(void) {
  static int installed;
  if (installed) return SQLITE_OK;
  int rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &default_mem);
  if (rc == SQLITE_OK) rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &fault_mem);
  if (rc == SQLITE_OK) rc = register_vfs(); /* initialises SQLite: after the allocator */
  installed = rc == SQLITE_OK;
  return rc;
}

/* ---- The store ---------------------------------------------------------------- */

int hw_fault_store_in_transaction(hw_store *st) {
  return st->in_batch || st->in_apply || !sqlite3_get_autocommit(st->db);
}
