/*
 * The OpenAPI document from the route table (hw_openapi.h).
 */
#include "hw_openapi.h"

#include <http_parser.h>
#include <stdio.h>
#include <string.h>

#include "hw_assets.h"
#include "hw_auth.h"
#include "hw_handlers.h"

static json_t *ref(const char *name) {
  char r[128];
  snprintf(r, sizeof r, "#/components/schemas/%s", name);
  return json_pack("{s:s}", "$ref", r);
}

/* The schema of a parameter type name ("id", "date", "time", "integer", "string"). */
static json_t *param_schema(const char *type) {
  if (strcmp(type, "id") == 0) return json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
  if (strcmp(type, "date") == 0) return ref("Date");
  if (strcmp(type, "time") == 0) return ref("Time");
  if (strcmp(type, "integer") == 0) return json_pack("{s:s, s:i}", "type", "integer", "minimum", 0);
  return json_pack("{s:s}", "type", "string");
}

/* The path's "{name}" parameters, then the doc's query parameters. */
static json_t *parameters(const char *pattern, const hw_api_doc *doc) {
  json_t *list = json_array();
  for (const char *p = strchr(pattern, '{'); list && p; p = strchr(p + 1, '{')) {
    const char *end = strchr(p, '}');
    if (!end) break;
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
    json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o}", "name", name, "in", "path", "required", 1, "schema",
                                          param_schema(strcmp(name, "id") == 0 ? "id" : "string")));
  }
  for (const hw_api_param *q = doc->query; list && q && q->name; q++)
    json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", q->name, "in", "query", "required",
                                          q->required, "description", q->description, "schema",
                                          param_schema(q->type)));
  return list;
}

static json_t *roles(unsigned mask) {
  json_t *list = json_array();
  for (int r = 0; list && r < HW_ROLE_COUNT; r++)
    if (mask & HW_ROLE_BIT(r)) json_array_append_new(list, json_string(hw_role_name((hw_role)r)));
  return list;
}

static json_t *content(const char *media, const char *schema) {
  json_t *s = schema ? ref(schema) : json_pack("{s:s}", "type", "string");
  return json_pack("{s:{s:o}}", media, "schema", s);
}

static json_t *problem(const char *what) {
  return json_pack("{s:s, s:o}", "description", what, "content", content("application/problem+json", "Problem"));
}

static json_t *responses(const hw_handler *h) {
  const hw_api_doc *d = h->doc;
  const char *media = d->media ? d->media : "application/json";
  char status[8];
  snprintf(status, sizeof status, "%d", h->success_status ? h->success_status : 200);
  json_t *r = json_pack("{s:{s:s, s:o}}", status, "description", d->summary, "content",
                        content(media, d->media ? NULL : d->response));
  if (!r) return NULL;
  json_object_set_new(r, "400", problem("a bad parameter or body: every problem named by field"));
  if (h->roles) {
    json_object_set_new(r, "401", problem("no token, or an unknown or revoked one"));
    json_object_set_new(r, "403", problem("the role or the localities of the token do not reach"));
  }
  json_object_set_new(r, "404", problem("no such record"));
  if (h->prepare) json_object_set_new(r, "409", problem("a conflict with the stored state"));
  return r;
}

static json_t *request_body(const hw_handler *h) {
  const char *req = h->doc->request;
  if (strchr(req, '/')) return json_pack("{s:b, s:o}", "required", 1, "content", content(req, NULL));
  return json_pack("{s:b, s:o}", "required", 1, "content", content("application/json", req));
}

static json_t *operation(const hw_http_route *rt) {
  const hw_handler *h = rt->handler;
  json_t *op = json_pack("{s:s, s:s, s:o, s:o, s:o}", "operationId", h->name, "summary", h->doc->summary, "x-roles",
                         roles(h->roles), "parameters", parameters(rt->pattern, h->doc), "responses", responses(h));
  if (!op) return NULL;
  json_object_set_new(op, "security", h->roles ? json_pack("[{s:[]}]", "bearer") : json_array());
  if (h->doc->request) json_object_set_new(op, "requestBody", request_body(h));
  return op;
}

/* Every "$ref" under j names a component of schemas; the first that does not into why. */
static int refs_known(const json_t *j, const json_t *schemas, char *why, size_t len) {
  if (json_is_array(j)) {
    size_t i;
    const json_t *v;
    json_array_foreach(j, i, v) if (!refs_known(v, schemas, why, len)) return 0;
    return 1;
  }
  if (!json_is_object(j)) return 1;
  const char *r = json_string_value(json_object_get(j, "$ref"));
  static const char prefix[] = "#/components/schemas/";
  if (r && (strncmp(r, prefix, sizeof prefix - 1) != 0 || !json_object_get(schemas, r + sizeof prefix - 1))) {
    snprintf(why, len, "unknown schema %s", r);
    return 0;
  }
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)j, k, v) if (!refs_known(v, schemas, why, len)) return 0;
  return 1;
}

static json_t *paths(const hw_http_route *routes, int n, char *why, size_t len) {
  json_t *ps = json_object();
  for (int i = 0; ps && i < n; i++) {
    if (!routes[i].handler->doc) {
      snprintf(why, len, "route %s has no hw_api_doc", routes[i].pattern);
      json_decref(ps);
      return NULL;
    }
    json_t *item = json_object_get(ps, routes[i].pattern);
    if (!item) json_object_set_new(ps, routes[i].pattern, item = json_object());
    char method[16];
    snprintf(method, sizeof method, "%s", http_method_str((enum http_method)routes[i].method));
    for (char *c = method; *c; c++) *c = (char)(*c - 'A' + 'a');
    json_object_set_new(item, method, operation(&routes[i]));
  }
  return ps;
}

json_t *hw_openapi_document(const hw_http_route *routes, int n, char *why, size_t why_len) {
  const hw_asset *a = hw_asset_find("api/schemas.json");
  json_error_t err;
  json_t *schemas = a ? json_loads((const char *)a->data, 0, &err) : NULL;
  if (!schemas) {
    snprintf(why, why_len, "api/schemas.json does not load: %s", a ? err.text : "missing");
    return NULL;
  }
  json_t *ps = paths(routes, n, why, why_len);
  if (!ps) {
    json_decref(schemas);
    return NULL;
  }
  int known = refs_known(ps, schemas, why, why_len) && refs_known(schemas, schemas, why, why_len);
  json_t *doc = json_pack(
      "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:{s:{s:s, s:s}}}}", "openapi", "3.1.0", "info", "title",
      "Homeward API", "version", HW_VERSION, "description",
      "Home support scheduling: referrals, discharge to assess, rosters, outcomes. Times are ISO 8601 in "
      "Europe/London local time; errors are problem documents naming each field. x-roles lists the token "
      "roles a route allows (none: public).",
      "servers", "url", "/", "paths", ps, "components", "schemas", schemas, "securitySchemes", "bearer", "type", "http",
      "scheme", "bearer");
  if (!known) {
    json_decref(doc);
    return NULL;
  }
  if (!doc) snprintf(why, why_len, "out of memory");
  return doc;
}
