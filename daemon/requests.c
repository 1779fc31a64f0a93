/*
 * Reading request documents (hw_handlers.h): the body as a JSON object, fields
 * the server sets or does not know, a new client given inline, times, and the
 * query parameters of reads. Every problem goes to an hw_errors list under the
 * JSON pointer (or /query/NAME) it concerns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_handlers.h"

json_t *hw_request_object(const hw_exchange *x, int empty_ok, hw_errors *errs) {
  if (x->req->body_len == 0) {
    if (empty_ok) return json_object();
    hw_errors_add(errs, "", "a JSON object is required");
    return NULL;
  }
  json_error_t jerr;
  json_t *body = json_loadb(x->req->body, x->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!body) {
    hw_errors_add(errs, "", "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
    return NULL;
  }
  if (!json_is_object(body)) {
    hw_errors_add(errs, "", "must be a JSON object");
    json_decref(body);
    return NULL;
  }
  return body;
}

void hw_request_reject_fields(const json_t *body, const char *const *fields, hw_errors *errs) {
  for (int i = 0; fields[i]; i++)
    if (json_object_get(body, fields[i])) {
      char p[64];
      snprintf(p, sizeof p, "/%s", fields[i]);
      hw_errors_add(errs, p, "is set by the server; leave it out");
    }
}

void hw_request_only_fields(const json_t *body, const char *const *fields, hw_errors *errs) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)body, key, v) {
    int known = 0;
    for (int i = 0; fields[i] && !known; i++) known = strcmp(key, fields[i]) == 0;
    if (known) continue;
    char p[96];
    snprintf(p, sizeof p, "/%.80s", key);
    hw_errors_add(errs, p, "unknown field");
  }
}

json_t *hw_request_record_doc(const json_t *body, hw_client *client, int *has_client, hw_errors *errs) {
  json_t *doc = json_copy((json_t *)body);
  if (!doc) return NULL;
  const json_t *c = json_object_get(body, "client");
  *has_client = c != NULL;
  if (c) {
    if (json_object_get(body, "client_id")) hw_errors_add(errs, "/client_id", "give client_id or client, not both");
    hw_client_from_json(c, "/client", client, errs);
    if (json_object_get(c, "id")) hw_errors_add(errs, "/client/id", "is set by the server; leave it out");
    if (json_object_get(c, "suspended")) hw_errors_add(errs, "/client/suspended", "is set by the server; leave it out");
    json_object_del(doc, "client");
    if (json_object_set_new(doc, "client_id", json_integer(1))) { /* replaced by the new client's id */
      json_decref(doc);
      return NULL;
    }
  }
  return doc;
}

int hw_request_time(const json_t *body, const char *key, int required, hw_time *out, hw_errors *errs) {
  char p[64];
  snprintf(p, sizeof p, "/%s", key);
  const json_t *v = json_object_get(body, key);
  if (!v || json_is_null(v)) {
    if (required) hw_errors_add(errs, p, "is required");
    return required ? -1 : 0;
  }
  const char *why = "must be an ISO 8601 time";
  if (!json_is_string(v) || hw_time_parse(json_string_value(v), out, &why) != 0) {
    hw_errors_add(errs, p, "%s", why);
    return -1;
  }
  return 1;
}

int hw_request_no_body(const hw_exchange *x, hw_errors *errs) {
  if (x->req->body_len == 0) return 0;
  hw_errors_add(errs, "", "this request takes no body");
  return HW_EINVAL;
}

/* ---- Query parameters ------------------------------------------------------------ */

/* The raw value of key; 1 when present, 0 absent; a bad escape is reported. */
static int query_raw(const hw_exchange *x, const char *key, char *buf, size_t len, hw_errors *errs) {
  int rc = hw_http_query_get(x->req->query, key, buf, len);
  if (rc == HW_ENOTFOUND) return 0;
  if (rc) {
    char path[48];
    snprintf(path, sizeof path, "/query/%s", key);
    hw_errors_add(errs, path, "is not a valid value (bad escape, or too long)");
    return 0;
  }
  return 1;
}

void hw_query_int(const hw_exchange *x, const char *key, int64_t min, int64_t max, int64_t *out, hw_errors *errs) {
  char buf[32], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || end == buf || *end) hw_errors_add(errs, path, "must be an integer");
  else if (v < min || v > max) hw_errors_add(errs, path, "must be between %lld and %lld", (long long)min, (long long)max);
  else *out = v;
}

void hw_query_id(const hw_exchange *x, const char *key, hw_id *out, hw_errors *errs) {
  char buf[32], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || end == buf || *end || v <= 0) hw_errors_add(errs, path, "must be an id (a positive integer)");
  else *out = v;
}

void hw_query_date(const hw_exchange *x, const char *key, hw_date *out, hw_errors *errs) {
  char buf[32], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  const char *why = "must be a date YYYY-MM-DD";
  if (hw_date_parse(buf, out, &why) != 0) hw_errors_add(errs, path, "%s", why);
}

void hw_query_time(const hw_exchange *x, const char *key, hw_time *out, hw_errors *errs) {
  char buf[48], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  const char *why = "must be an ISO 8601 time";
  if (hw_time_parse(buf, out, &why) != 0) hw_errors_add(errs, path, "%s", why);
}

void hw_query_enum(const hw_exchange *x, const char *key, int (*parse)(const char *, int *), int *out,
                   hw_errors *errs) {
  char buf[48], path[48];
  if (!query_raw(x, key, buf, sizeof buf, errs)) return;
  snprintf(path, sizeof path, "/query/%s", key);
  if (parse(buf, out) != 0) hw_errors_add(errs, path, "unknown value '%.40s'", buf);
}
