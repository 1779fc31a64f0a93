/*
 * The caller's reach: which localities an API token may read and act in, and
 * whether it sees only the discharge requests it created (a hospital team's
 * `discharge` token). The daemon's auth fills it; every service function checks
 * the records it touches against it.
 */
#ifndef HW_SCOPE_H
#define HW_SCOPE_H

#include <stdint.h>

#include "hw_domain.h"

#define HW_SCOPE_MAX 16

typedef struct hw_scope {
  int32_t all;                       /* 1: every locality */
  hw_id owner;                       /* non-zero: only the discharge requests this API
                                        token created (a `discharge` token) */
  hw_id creator;                     /* the caller's token, recorded as the creator of
                                        a new discharge request (0: none) */
  hw_id worker;                      /* non-zero: a worker's own token (their visits only) */
  int32_t n;
  hw_id localities[HW_SCOPE_MAX];
} hw_scope;

/* 1 when locality_id is inside the scope (a NULL scope allows everything). */
int hw_scope_allows(const hw_scope *s, hw_id locality_id);

#endif
