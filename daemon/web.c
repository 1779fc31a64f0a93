/*
 * The coordinator's workspace and the API's own description, served with no
 * token (nothing in them is private; the workspace's script calls the API with
 * the token the user gives it):
 *   GET /, GET /dashboard       the workspace page (daemon/web/index.html)
 *   GET /app.js, GET /app.css   its script and style
 *   GET /v1/openapi.json        the OpenAPI 3.1 document (hw_openapi.h)
 * The files are built into the program (hw_assets.h), so the daemon needs
 * nothing installed beside it.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_assets.h"
#include "hw_codec.h"
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_openapi.h"

const hw_asset *hw_asset_find(const char *name) {
  for (int i = 0; i < hw_n_assets; i++)
    if (strcmp(hw_assets[i].name, name) == 0) return &hw_assets[i];
  return NULL;
}

static const char *media_type(const char *name) {
  const char *dot = strrchr(name, '.');
  if (dot && strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
  if (dot && strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
  return "text/html; charset=utf-8";
}

static void answer_asset(hw_exchange *x, const char *name) {
  const hw_asset *a = hw_asset_find(name);
  char *body = a ? malloc(a->len + 1) : NULL;
  if (!body) {
    hw_answer_error(x, a ? HW_ENOMEM : HW_ENOTFOUND, NULL, NULL);
    return;
  }
  memcpy(body, a->data, a->len + 1);
  /* The page loads only its own script and style and talks only to this daemon. */
  snprintf(x->headers, sizeof x->headers,
           "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n"
           "Content-Security-Policy: default-src 'self'; img-src 'self' data:\r\n");
  hw_answer_body(x, 200, media_type(name), body, a->len);
}

static void workspace(hw_exchange *x) { answer_asset(x, "web/index.html"); }

/* "/app.js" -> "web/app.js". */
static void workspace_asset(hw_exchange *x) {
  char name[64];
  snprintf(name, sizeof name, "web%.50s", x->req->path);
  answer_asset(x, name);
}

static void openapi(hw_exchange *x) {
  char why[160] = "";
  json_t *doc = hw_openapi_document(hw_api_routes, hw_api_n_routes, why, sizeof why);
  if (!doc) {
    hw_answer_problem(x, 500, why, NULL);
    return;
  }
  hw_answer_json(x, 200, doc);
}

static const hw_api_doc doc_workspace = {"The coordinator's workspace (HTML)", NULL, NULL, NULL, "text/html"};
static const hw_api_doc doc_workspace_asset = {"The workspace's script or style", NULL, NULL, NULL, "text/plain"};
static const hw_api_doc doc_openapi = {"This API's OpenAPI 3.1 document", NULL, NULL, "Openapi", NULL};

const hw_handler hw_handler_workspace = {"workspace", 0, workspace, NULL, 200, 0, &doc_workspace};
const hw_handler hw_handler_workspace_asset = {"workspace.asset", 0, workspace_asset, NULL, 200, 0,
                                               &doc_workspace_asset};
const hw_handler hw_handler_openapi = {"openapi", 0, openapi, NULL, 200, 0, &doc_openapi};
