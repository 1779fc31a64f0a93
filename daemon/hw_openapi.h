/*
 * The OpenAPI 3.1 document of the API (GET /v1/openapi.json, docs/openapi.json),
 * generated from the route table and each handler's hw_api_doc: every route
 * with its method, roles (x-roles, and the bearer scheme unless it is public),
 * path and query parameters, request body and answer schemas (the components
 * come from daemon/api/schemas.json, built into the program).
 */
#ifndef HW_OPENAPI_H
#define HW_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "hw_router.h"

/* The document for routes[0..n) (new reference), or NULL with the reason in why:
 * a route without a doc, a schema name the components lack, or out of memory. */
json_t *hw_openapi_document(const hw_http_route *routes, int n, char *why, size_t why_len);

#endif
