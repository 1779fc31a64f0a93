/*
 * The path matcher behind hw_router_match: segment by segment, literal segments
 * compare exactly, "{name}" segments capture (and "{name}.ext" captures what
 * comes before a literal suffix). Tables are small (tens of routes),
 * so a linear scan is both simple and fast enough.
 */
#include "hw_router.h"

#include <http_parser.h>
#include <stdio.h>
#include <string.h>

#include "hw_error.h"

/* Next segment of s (after any '/'): start in *seg, length returned, s advanced. */
static size_t next_segment(const char **s, const char **seg) {
  while (**s == '/') (*s)++;
  *seg = *s;
  while (**s && **s != '/') (*s)++;
  return (size_t)(*s - *seg);
}

/* A "{name}" segment, or "{name}.ext" (a literal suffix the path's segment must
 * end with, left out of the value), captured from the path's segment qs. */
static int capture(const char *ps, size_t pl, const char *qs, size_t ql, hw_route_match *m) {
  const char *close = memchr(ps, '}', pl);
  if (!close) return 0;
  size_t name_len = (size_t)(close - ps) - 1, suffix_len = pl - (size_t)(close - ps) - 1;
  if (ql <= suffix_len || memcmp(qs + ql - suffix_len, close + 1, suffix_len) != 0) return 0;
  ql -= suffix_len;
  if (m->n_params == HW_ROUTE_PARAMS_MAX || ql >= HW_ROUTE_PARAM_LEN) return 0;
  size_t nl = name_len < sizeof m->params[0].name - 1 ? name_len : sizeof m->params[0].name - 1;
  memcpy(m->params[m->n_params].name, ps + 1, nl);
  m->params[m->n_params].name[nl] = '\0';
  memcpy(m->params[m->n_params].value, qs, ql);
  m->params[m->n_params].value[ql] = '\0';
  m->n_params++;
  return 1;
}

static int path_matches(const char *pattern, const char *path, hw_route_match *m) {
  m->n_params = 0;
  const char *p = pattern, *q = path;
  /* Trailing and doubled slashes are not the same resource: compare strictly. */
  if (strstr(path, "//") || (strlen(path) > 1 && path[strlen(path) - 1] == '/')) return 0;
  for (;;) {
    const char *ps, *qs;
    size_t pl = next_segment(&p, &ps), ql = next_segment(&q, &qs);
    if (pl == 0 || ql == 0) return pl == 0 && ql == 0;
    if (ps[0] == '{') {
      if (!capture(ps, pl, qs, ql, m)) return 0;
    } else if (pl != ql || memcmp(ps, qs, pl) != 0) {
      return 0;
    }
  }
}

int hw_router_match(const hw_http_route *routes, int n, int method, const char *path, hw_route_match *m) {
  memset(m, 0, sizeof *m);
  int path_seen = 0;
  hw_route_match tmp;
  for (int i = 0; i < n; i++) {
    if (!path_matches(routes[i].pattern, path, &tmp)) continue;
    if (routes[i].method == method) {
      *m = tmp;
      m->route = &routes[i];
      return 0;
    }
    size_t len = strlen(m->allow);
    const char *name = http_method_str((enum http_method)routes[i].method);
    if (!strstr(m->allow, name))
      snprintf(m->allow + len, sizeof m->allow - len, "%s%s", len ? ", " : "", name);
    path_seen = 1;
  }
  return path_seen ? HW_EUNSUPPORTED : HW_ENOTFOUND;
}

const char *hw_route_param(const hw_route_match *m, const char *name) {
  for (int i = 0; i < m->n_params; i++)
    if (strcmp(m->params[i].name, name) == 0) return m->params[i].value;
  return NULL;
}
