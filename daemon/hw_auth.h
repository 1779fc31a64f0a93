/*
 * Bearer-token authentication and roles.
 *
 * A token is 32 random bytes (getrandom) written as 43 base64url characters; it
 * is shown once, by `homeward token create`, and only its SHA-256 (hex) is
 * stored. A request carries it as `Authorization: Bearer TOKEN`.
 *
 * Roles, and what each may do (the handlers' role masks enforce it):
 *   coordinator  referrals, workers, absences, visit check-in/out and discharge
 *                requests of the localities on its token (or all, if none listed)
 *   discharge    create and follow its OWN discharge requests (a hospital
 *                team's token; the creator is stored with each request), in
 *                its localities
 *   manager      read everything everywhere (referrals, workers, discharges,
 *                events); changes nothing
 *   admin        everything, everywhere
 *   worker       one care worker's own visits: read them, check in and out
 * Locality scoping itself is checked by the service on the records
 * (scheduler/service/hw_scope.h).
 */
#ifndef HW_AUTH_H
#define HW_AUTH_H

#include <stddef.h>

#include "hw_scope.h"
#include "hw_store.h"

typedef enum hw_role {
  HW_ROLE_COORDINATOR = 0,
  HW_ROLE_DISCHARGE,
  HW_ROLE_MANAGER,
  HW_ROLE_ADMIN,
  HW_ROLE_WORKER,
  HW_ROLE_COUNT
} hw_role;

#define HW_ROLE_BIT(r) (1u << (r))
#define HW_ROLES_ALL ((1u << HW_ROLE_COUNT) - 1)

#define HW_TOKEN_LEN 43        /* base64url of 32 bytes, no padding */
#define HW_TOKEN_HASH_LEN 64   /* hex SHA-256 */

/* Who is calling: the token's name (the events' actor), role and localities. */
typedef struct hw_principal {
  char name[64];
  hw_id token_id;              /* the token's row: creator of discharge requests */
  hw_role role;
  hw_scope scope;
} hw_principal;

const char *hw_role_name(hw_role r);
/* 0 or HW_EINVAL for a name not in the list above. */
int hw_role_parse(const char *s, hw_role *out);

/* A new random token into buf (needs HW_TOKEN_LEN + 1). Returns 0 or HW_EIO when
 * the kernel's random source fails. */
int hw_auth_new_token(char *buf, size_t len);
/* SHA-256 of token as lowercase hex into hex (needs HW_TOKEN_HASH_LEN + 1).
 * Returns 0 or HW_EINTERNAL if libcrypto fails. */
int hw_auth_hash(const char *token, char *hex, size_t len);
/* SHA-256 of data[0..n) as lowercase hex (a request body's, for idempotency). */
int hw_auth_sha256_hex(const void *data, size_t n, char *hex, size_t len);
/* Create and store a token for name/role/localities (n == 0: every locality);
 * the token text goes to token_out (HW_TOKEN_LEN + 1). Returns 0, HW_EINVAL
 * (bad name or too many localities), HW_ECONFLICT (name taken) or a store error. */
int hw_auth_create_token(hw_store *st, const char *name, hw_role role, const hw_id *localities, int n,
                         hw_time now, char *token_out, size_t len);
/* A `worker` token for worker_id (its localities: the worker's). As create_token;
 * HW_ECONFLICT also when there is no such worker. */
int hw_auth_create_worker_token(hw_store *st, const char *name, hw_id worker_id, hw_time now, char *token_out,
                                size_t len);
/* Check an Authorization header value. Returns 0 with *out filled, or
 * HW_EUNAUTHORIZED (missing, malformed, unknown or revoked token; the reason in
 * *why, a static string), or HW_EIO when the store cannot be read. */
int hw_auth_authenticate(hw_store *st, const char *authorization, hw_principal *out, const char **why);

#endif
