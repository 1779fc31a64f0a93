/*
 * The router (daemon/router.c) and the API's route table.
 */
#include "hw_error.h"
#include "hw_handlers.h"
#include "hw_router.h"
#include "hw_test.h"

static const hw_http_route routes[] = {
    {HTTP_GET, "/v1/referrals/{id}", NULL},
    {HTTP_PATCH, "/v1/referrals/{id}", NULL},
    {HTTP_POST, "/v1/visits/{id}/check-in", NULL},
    {HTTP_GET, "/healthz", NULL},
};

HW_TEST(captures_params) {
  hw_route_match m;
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_POST, "/v1/visits/42/check-in", &m), ==, 0);
  HW_CHECK(m.route == &routes[2]);
  HW_CHECK_STR(hw_route_param(&m, "id"), "42");
  HW_CHECK(hw_route_param(&m, "nope") == NULL);
}

HW_TEST(wrong_method_is_405_with_allow) {
  hw_route_match m;
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_DELETE, "/v1/referrals/7", &m), ==, HW_EUNSUPPORTED);
  HW_CHECK_STR(m.allow, "GET, PATCH");
}

HW_TEST(unknown_path_is_404) {
  hw_route_match m;
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_GET, "/v1/referrals", &m), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_GET, "/v1/referrals/7/x", &m), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_GET, "/v1/referrals/7/", &m), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_GET, "//healthz", &m), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_router_match(routes, 4, HTTP_GET, "/", &m), ==, HW_ENOTFOUND);
}

HW_TEST(api_table_is_unambiguous) {
  /* Every route of the API matches itself and nothing else with the same method. */
  for (int i = 0; i < hw_api_n_routes; i++) {
    char path[128];
    const char *p = hw_api_routes[i].pattern;
    size_t o = 0;
    while (*p && o < sizeof path - 4) {
      if (*p == '{') {
        path[o++] = '9';
        while (*p && *p != '}') p++;
        if (*p) p++;
      } else {
        path[o++] = *p++;
      }
    }
    path[o] = '\0';
    hw_route_match m;
    HW_CHECK_INT(hw_router_match(hw_api_routes, hw_api_n_routes, hw_api_routes[i].method, path, &m), ==, 0);
    HW_CHECK(m.route == &hw_api_routes[i]);
    HW_CHECK(m.route->handler != NULL);
    HW_CHECK(m.route->handler->read != NULL || m.route->handler->prepare != NULL);
  }
}
