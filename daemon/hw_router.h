/*
 * Method + path pattern -> handler. A route table is a plain array:
 *
 *     {HTTP_GET, "/v1/referrals/{id}", &hw_handler_referral_get},
 *
 * A pattern segment "{name}" matches one non-empty path segment and captures it.
 * A path that matches some pattern, but not with this method, is a 405 (the
 * methods that would match are listed for the Allow header); no match at all is
 * a 404. The router knows nothing of what a handler is (hw_handlers.h does).
 */
#ifndef HW_ROUTER_H
#define HW_ROUTER_H

#include <stddef.h>

struct hw_handler;

typedef struct hw_http_route {
  int method;                       /* enum http_method */
  const char *pattern;
  const struct hw_handler *handler;
} hw_http_route;

#define HW_ROUTE_PARAMS_MAX 4
#define HW_ROUTE_PARAM_LEN 64

typedef struct hw_route_match {
  const hw_http_route *route;
  int n_params;
  struct {
    char name[16];
    char value[HW_ROUTE_PARAM_LEN];
  } params[HW_ROUTE_PARAMS_MAX];
  char allow[64];                   /* on 405: "GET, PATCH" */
} hw_route_match;

/* Match method and path against routes[0..n). Returns 0 with m->route set,
 * HW_ENOTFOUND when no pattern matches the path, or HW_EUNSUPPORTED when a
 * pattern matches but not the method (m->allow lists the methods that do). */
int hw_router_match(const hw_http_route *routes, int n, int method, const char *path, hw_route_match *m);
/* The captured value of {name}, or NULL. */
const char *hw_route_param(const hw_route_match *m, const char *name);

#endif
