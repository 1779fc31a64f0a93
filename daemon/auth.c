/*
 * Tokens: random generation (getrandom), hashing (OpenSSL libcrypto's EVP
 * SHA-256), storage of the hash through the store, and the per-request check.
 */
#include "hw_auth.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "hw_error.h"

static const char *const role_names[HW_ROLE_COUNT] = {"coordinator", "discharge", "manager", "admin", "worker"};

const char *hw_role_name(hw_role r) { return r < HW_ROLE_COUNT ? role_names[r] : "unknown"; }

int hw_role_parse(const char *s, hw_role *out) {
  for (int i = 0; i < HW_ROLE_COUNT; i++)
    if (strcmp(s, role_names[i]) == 0) {
      *out = (hw_role)i;
      return 0;
    }
  return HW_EINVAL;
}

static void base64url(const unsigned char *in, size_t n, char *out) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    out[o++] = abc[(v >> 18) & 63];
    out[o++] = abc[(v >> 12) & 63];
    if (i + 1 < n) out[o++] = abc[(v >> 6) & 63];
    if (i + 2 < n) out[o++] = abc[v & 63];
  }
  out[o] = '\0';
}

int hw_auth_new_token(char *buf, size_t len) {
  unsigned char raw[32];
  size_t got = 0;
  if (len < HW_TOKEN_LEN + 1) return HW_EINVAL;
  while (got < sizeof raw) {
    ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return HW_EIO;
    got += (size_t)n;
  }
  base64url(raw, sizeof raw, buf);
  return 0;
}

int hw_auth_sha256_hex(const void *data, size_t n, char *hex, size_t len) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (len < HW_TOKEN_HASH_LEN + 1) return HW_EINVAL;
  if (!EVP_Digest(data, n, md, &md_len, EVP_sha256(), NULL) || md_len != 32) {
    ERR_clear_error(); /* the failure's entries on this thread's error queue hold memory */
    return HW_EINTERNAL;
  }
  for (unsigned i = 0; i < md_len; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return 0;
}

int hw_auth_hash(const char *token, char *hex, size_t len) { return hw_auth_sha256_hex(token, strlen(token), hex, len); }

int hw_auth_create_token(hw_store *st, const char *name, hw_role role, const hw_id *localities, int n,
                         hw_time now, char *token_out, size_t len) {
  char list[128] = "", hash[HW_TOKEN_HASH_LEN + 1];
  if (n > HW_SCOPE_MAX) return HW_EINVAL;
  for (int i = 0; i < n; i++) {
    size_t used = strlen(list);
    int w = snprintf(list + used, sizeof list - used, "%s%" PRId64, i ? "," : "", localities[i]);
    if (w < 0 || (size_t)w >= sizeof list - used) return HW_EINVAL;
  }
  int rc = hw_auth_new_token(token_out, len);
  if (rc == 0) rc = hw_auth_hash(token_out, hash, sizeof hash);
  hw_id id;
  if (rc == 0) rc = hw_store_insert_token(st, name, hw_role_name(role), list, hash, now, &id);
  if (rc != 0) memset(token_out, 0, len);
  return rc;
}

int hw_auth_create_worker_token(hw_store *st, const char *name, hw_id worker_id, hw_time now, char *token_out,
                                size_t len) {
  hw_worker w;
  hw_team t;
  int rc = hw_store_get_worker(st, worker_id, &w);
  if (rc == 0) rc = hw_store_get_team(st, w.team_id, &t);
  if (rc) return rc == HW_ENOTFOUND ? HW_ECONFLICT : rc;
  char hash[HW_TOKEN_HASH_LEN + 1], list[32];
  snprintf(list, sizeof list, "%lld", (long long)t.locality_id);
  rc = hw_auth_new_token(token_out, len);
  if (rc == 0) rc = hw_auth_hash(token_out, hash, sizeof hash);
  hw_id id;
  if (rc == 0) rc = hw_store_insert_worker_token(st, name, list, hash, now, worker_id, &id);
  if (rc != 0) memset(token_out, 0, len);
  return rc;
}

/* "1,4,6" -> scope; "" means every locality. */
static int parse_scope(const char *list, hw_scope *s) {
  memset(s, 0, sizeof *s);
  if (!list[0]) {
    s->all = 1;
    return 0;
  }
  const char *p = list;
  while (*p) {
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v <= 0 || s->n == HW_SCOPE_MAX) return HW_EINVAL;
    s->localities[s->n++] = v;
    p = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') return HW_EINVAL;
  }
  return 0;
}

int hw_auth_authenticate(hw_store *st, const char *authorization, hw_principal *out, const char **why) {
  static const char prefix[] = "Bearer ";
  if (!authorization || !authorization[0]) {
    *why = "an Authorization: Bearer token is required";
    return HW_EUNAUTHORIZED;
  }
  if (strncasecmp(authorization, prefix, sizeof prefix - 1) != 0) {
    *why = "the Authorization header must be 'Bearer TOKEN'";
    return HW_EUNAUTHORIZED;
  }
  const char *token = authorization + sizeof prefix - 1;
  if (strlen(token) != HW_TOKEN_LEN) {
    *why = "the token is not a Homeward token";
    return HW_EUNAUTHORIZED;
  }
  char hash[HW_TOKEN_HASH_LEN + 1];
  if (hw_auth_hash(token, hash, sizeof hash) != 0) {
    *why = "the token could not be hashed";
    return HW_EUNAUTHORIZED;
  }
  hw_token_row row;
  int rc = hw_store_find_token(st, hash, &row);
  if (rc == HW_ENOTFOUND || (rc == 0 && row.revoked)) {
    *why = rc == 0 ? "the token has been revoked" : "unknown token";
    return HW_EUNAUTHORIZED;
  }
  if (rc != 0) return rc;
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s", row.name);
  out->token_id = row.id;
  if (hw_role_parse(row.role, &out->role) != 0 || parse_scope(row.localities, &out->scope) != 0) {
    *why = "the token's role or localities are not valid";
    return HW_EUNAUTHORIZED;
  }
  out->scope.creator = row.id;
  /* A hospital team follows only the discharge requests it made itself. */
  if (out->role == HW_ROLE_DISCHARGE) out->scope.owner = row.id;
  /* A worker sees and acts on their own visits only. */
  if (out->role == HW_ROLE_WORKER) {
    if (!row.worker_id) {
      *why = "the worker token names no worker";
      return HW_EUNAUTHORIZED;
    }
    out->scope.worker = row.worker_id;
  }
  return 0;
}
