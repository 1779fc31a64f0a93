/*
 * The allocator hook of the fault build: this object defines malloc, calloc,
 * realloc, free and the aligned allocators, so every heap allocation of a program
 * linked with it - ours, glibc's own (strdup, fopen), jansson's, GLPK's and
 * SQLite's - comes here first. Each is counted as an HW_FAULT_ALLOC event and
 * fails (NULL, errno ENOMEM) when the countdown says so; otherwise it is passed to
 * glibc's allocator through the __libc_* entry points glibc exports for exactly
 * this use, so blocks from either side may be freed by the other.
 *
 * AddressSanitizer replaces malloc too: the fault build and the sanitizer build
 * are kept apart (CMakeLists.txt refuses HW_FAULT with HW_SANITIZE).
 *
 * Nothing here may allocate, lock or print: it runs inside malloc.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "hw_fault.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

/* Declared here because glibc's headers declare them only under _GNU_SOURCE. */
void *memalign(size_t align, size_t size);

/* The countdown's verdict for one allocation; sets errno as a real failure would. */
static int must_fail(void) {
  if (!hw__fault_hit(HW_FAULT_ALLOC, 0)) return 0;
  errno = ENOMEM;
  return 1;
}

static void *counted(void *p) {
  if (p) hw__fault_block_allocated();
  return p;
}

void *malloc(size_t size) { return must_fail() ? NULL : counted(__libc_malloc(size)); }

void *calloc(size_t n, size_t size) { return must_fail() ? NULL : counted(__libc_calloc(n, size)); }

void free(void *p) {
  if (p) hw__fault_block_freed();
  __libc_free(p);
}

/* realloc(p, 0) frees; realloc(NULL, n) allocates; a failed realloc keeps p. */
void *realloc(void *p, size_t size) {
  if (p && size == 0) {
    free(p);
    return NULL;
  }
  if (must_fail()) return NULL;
  return p ? __libc_realloc(p, size) : counted(__libc_realloc(NULL, size));
}

void *memalign(size_t align, size_t size) { return must_fail() ? NULL : counted(__libc_memalign(align, size)); }

void *aligned_alloc(size_t align, size_t size) { return memalign(align, size); }

int posix_memalign(void **out, size_t align, size_t size) {
  if (align < sizeof(void *) || (align & (align - 1)) != 0) return EINVAL;
  void *p = memalign(align, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
