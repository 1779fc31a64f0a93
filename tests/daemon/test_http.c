/*
 * The request parser (daemon/http.c): whole and split requests, pipelining one
 * request at a time, keep-alive, limits, malformed input, query strings.
 */
#include <string.h>

#include "hw_error.h"
#include "hw_http.h"
#include "hw_test.h"

static hw_http_limits limits(void) { return (hw_http_limits){4096, 1024}; }

HW_TEST(parses_post_with_headers_and_body) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req =
      "POST /v1/referrals?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer abc\r\n"
      "Idempotency-Key: k-1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  int complete = 0;
  long n = hw_http_parser_feed(&hp, req, strlen(req), &complete);
  HW_CHECK_INT(n, ==, (long)strlen(req));
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_INT(hp.req.method, ==, HTTP_POST);
  HW_CHECK_STR(hp.req.path, "/v1/referrals");
  HW_CHECK_STR(hp.req.query, "x=1");
  HW_CHECK_STR(hp.req.authorization, "Bearer abc");
  HW_CHECK_STR(hp.req.idempotency_key, "k-1");
  HW_CHECK_STR(hp.req.content_type, "application/json");
  HW_CHECK_INT(hp.req.body_len, ==, 2);
  HW_CHECK_STR(hp.req.body, "{}");
  HW_CHECK_INT(hp.req.keep_alive, ==, 1);
  hw_http_parser_free(&hp);
}

HW_TEST(byte_by_byte_equals_whole) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req = "GET /v1/workers?locality=3 HTTP/1.1\r\nAuthor";
  const char *rest = "ization: Bearer xyz\r\nConnection: close\r\n\r\n";
  char all[256];
  snprintf(all, sizeof all, "%s%s", req, rest);
  int complete = 0;
  for (size_t i = 0; i < strlen(all); i++) {
    HW_CHECK_INT(complete, ==, 0);
    HW_CHECK_INT(hw_http_parser_feed(&hp, all + i, 1, &complete), ==, 1);
  }
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_STR(hp.req.authorization, "Bearer xyz");
  HW_CHECK_STR(hp.req.path, "/v1/workers");
  HW_CHECK_INT(hp.req.keep_alive, ==, 0);
  hw_http_parser_free(&hp);
}

HW_TEST(pipelined_requests_one_at_a_time) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  size_t len = strlen(two), off = 0;
  int complete = 0;
  long n = hw_http_parser_feed(&hp, two, len, &complete);
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_STR(hp.req.path, "/a");
  off += (size_t)n;
  HW_CHECK(off < len);
  /* Until the caller takes the request, nothing more is parsed. */
  HW_CHECK_INT(hw_http_parser_feed(&hp, two + off, len - off, &complete), ==, 0);
  hw_http_parser_next(&hp);
  n = hw_http_parser_feed(&hp, two + off, len - off, &complete);
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_INT(off + (size_t)n, ==, len);
  HW_CHECK_STR(hp.req.path, "/b");
  HW_CHECK_STR(hp.req.body, "abc");
  hw_http_parser_free(&hp);
}

HW_TEST(body_over_limit_is_413) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req = "POST /v1/referrals HTTP/1.1\r\nContent-Length: 5000\r\n\r\n";
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, req, strlen(req), &complete), ==, HW_ETOOLARGE);
  HW_CHECK_INT(hp.error_status, ==, 413);
  HW_CHECK_CONTAINS(hp.error_detail, "1024");
  hw_http_parser_free(&hp);
}

HW_TEST(chunked_body_over_limit_is_413) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  char req[4096];
  int n = snprintf(req, sizeof req, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; i++) {
    n += snprintf(req + n, sizeof req - (size_t)n, "200\r\n");
    memset(req + n, 'a', 0x200);
    n += 0x200;
    n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
  }
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, req, (size_t)n, &complete), ==, HW_ETOOLARGE);
  HW_CHECK_INT(hp.error_status, ==, 413);
  hw_http_parser_free(&hp);
}

HW_TEST(headers_over_limit_is_431) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  char req[8192];
  int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nX-Big: ");
  memset(req + n, 'b', 5000);
  n += 5000;
  n += snprintf(req + n, sizeof req - (size_t)n, "\r\n\r\n");
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, req, (size_t)n, &complete), ==, HW_ETOOLARGE);
  HW_CHECK_INT(hp.error_status, ==, 431);
  hw_http_parser_free(&hp);
}

HW_TEST(malformed_is_400_and_sticky) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *bad = "GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n";
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, bad, strlen(bad), &complete), ==, HW_EINVAL);
  HW_CHECK_INT(hp.error_status, ==, 400);
  HW_CHECK_CONTAINS(hp.error_detail, "malformed HTTP");
  HW_CHECK_INT(hw_http_parser_feed(&hp, "GET / HTTP/1.1\r\n\r\n", 18, &complete), ==, HW_EINVAL);
  hw_http_parser_free(&hp);
}

HW_TEST(target_must_be_a_path) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req = "GET http://example.org/x HTTP/1.1\r\n\r\n";
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, req, strlen(req), &complete), ==, HW_EINVAL);
  HW_CHECK_INT(hp.error_status, ==, 400);
  hw_http_parser_free(&hp);
}

HW_TEST(http10_closes_by_default) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req = "GET /healthz HTTP/1.0\r\n\r\n";
  int complete = 0;
  hw_http_parser_feed(&hp, req, strlen(req), &complete);
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_INT(hp.req.keep_alive, ==, 0);
  hw_http_parser_free(&hp);
}

HW_TEST(query_get_decodes) {
  char buf[32];
  HW_CHECK_INT(hw_http_query_get("after=12&limit=5", "limit", buf, sizeof buf), ==, 0);
  HW_CHECK_STR(buf, "5");
  HW_CHECK_INT(hw_http_query_get("name=a%20b+c", "name", buf, sizeof buf), ==, 0);
  HW_CHECK_STR(buf, "a b c");
  HW_CHECK_INT(hw_http_query_get("a=1", "b", buf, sizeof buf), ==, HW_ENOTFOUND);
  HW_CHECK_INT(hw_http_query_get("a=%4", "a", buf, sizeof buf), ==, HW_EINVAL);
  HW_CHECK_INT(hw_http_query_get("a=%zz", "a", buf, sizeof buf), ==, HW_EINVAL);
  HW_CHECK_INT(hw_http_query_get("a=123456", "a", buf, 4), ==, HW_ETOOLARGE);
}

HW_TEST(response_has_length_and_connection) {
  size_t len = 0;
  char *r = hw_http_format_response(201, "application/json", "X-A: 1\r\n", "{}", 2, 1, &len);
  HW_CHECK(r != NULL);
  char text[512];
  memcpy(text, r, len);
  text[len] = '\0';
  free(r);
  HW_CHECK_CONTAINS(text, "HTTP/1.1 201 Created\r\n");
  HW_CHECK_CONTAINS(text, "Content-Length: 2\r\n");
  HW_CHECK_CONTAINS(text, "Connection: keep-alive\r\n");
  HW_CHECK_CONTAINS(text, "X-A: 1\r\n\r\n{}");
}

HW_TEST(repeated_or_overlong_headers_are_refused_not_fatal) {
  hw_http_parser hp;
  hw_http_limits lim = limits();
  hw_http_parser_init(&hp, &lim);
  const char *req = "GET /a HTTP/1.1\r\nAuthorization: Bearer one\r\nauthorization: Bearer two\r\n\r\n";
  int complete = 0;
  HW_CHECK_INT(hw_http_parser_feed(&hp, req, strlen(req), &complete), ==, (long)strlen(req));
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_STR(hp.req.bad_header, "Authorization");
  HW_CHECK_CONTAINS(hp.req.bad_reason, "more than once");
  hw_http_parser_next(&hp);
  HW_CHECK_STR(hp.req.bad_header, "");
  char key[120];
  memset(key, 'k', sizeof key - 1), key[sizeof key - 1] = '\0';
  char two[400];
  snprintf(two, sizeof two, "GET /b HTTP/1.1\r\nIdempotency-Key: %s\r\n\r\n", key);
  HW_CHECK_INT(hw_http_parser_feed(&hp, two, strlen(two), &complete), ==, (long)strlen(two));
  HW_CHECK_INT(complete, ==, 1);
  HW_CHECK_STR(hp.req.bad_header, "Idempotency-Key");
  HW_CHECK_STR(hp.req.idempotency_key, ""); /* a cut key is never used */
  hw_http_parser_free(&hp);
}
