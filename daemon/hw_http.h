/*
 * HTTP/1.1 request parsing and response formatting for the daemon.
 *
 * hw_http_parser wraps libhttp-parser (the parser behind Node for a decade,
 * maintained in Debian) with the daemon's limits and the few headers it reads.
 * It is fed whatever bytes a uv_read callback delivered and stops after each
 * complete request, so pipelined requests are taken one at a time, in order: the
 * caller answers one, calls hw_http_parser_next, and feeds the rest again. It does
 * no I/O, which is also what lets tests/fuzz/fuzz_http.c drive it directly.
 */
#ifndef HW_HTTP_H
#define HW_HTTP_H

#include <http_parser.h>
#include <stddef.h>

typedef struct hw_http_limits {
  size_t max_header_bytes;     /* request line + headers */
  size_t max_body_bytes;
} hw_http_limits;

#define HW_HTTP_AUTH_MAX 256
#define HW_HTTP_KEY_MAX 80     /* fits hw_event.idempotency_key */
#define HW_HTTP_CTYPE_MAX 128

typedef struct hw_http_request {
  int method;                  /* enum http_method */
  char *url;                   /* request target, NUL-terminated (heap) */
  size_t url_len, url_cap;
  const char *path;            /* into a copy of url: "/v1/referrals/7" */
  const char *query;           /* after '?', "" if none */
  char *path_buf;              /* owns path and query */
  char authorization[HW_HTTP_AUTH_MAX];
  char idempotency_key[HW_HTTP_KEY_MAX];
  char content_type[HW_HTTP_CTYPE_MAX];
  char *body;                  /* NUL-terminated (heap), body_len bytes */
  size_t body_len, body_cap;
  int keep_alive;              /* 1: the connection may carry another request */
  unsigned seen;               /* bit per header read: repeated ones are refused */
  char bad_header[32];         /* a header refused without breaking the framing ("" if none) */
  char bad_reason[96];         /* why, for the 400's errors[] */
} hw_http_request;

typedef struct hw_http_parser {
  http_parser p;
  hw_http_limits lim;
  hw_http_request req;
  size_t header_bytes;
  int in_value;                /* last callback was a header value */
  char field[32];              /* current header name (truncated; only short names matter) */
  size_t field_len;
  int field_too_long;
  char *value_dst;             /* where the current header's value goes, or NULL */
  size_t value_cap, value_len;
  const char *value_name;      /* for "header too long" errors */
  int value_over;              /* the current value has outgrown its buffer */
  int started;                 /* bytes of a request have been seen */
  int complete;
  int error_status;            /* HTTP status of a parse failure (400, 413, 431, 505) */
  char error_detail[160];
} hw_http_parser;

/* Set up a parser for requests under lim. Never fails. */
void hw_http_parser_init(hw_http_parser *hp, const hw_http_limits *lim);
/* Free what the current request holds. */
void hw_http_parser_free(hw_http_parser *hp);
/* Parse data until one request is complete or the data ends. Returns the bytes
 * consumed (>= 0; when *complete is 1 the rest belongs to the next request), or a
 * negative hw error (HW_EINVAL malformed, HW_ETOOLARGE over a limit) with
 * hp->error_status and hp->error_detail set; after an error the connection
 * cannot be parsed further and must be closed once the error answer is sent. */
long hw_http_parser_feed(hw_http_parser *hp, const char *data, size_t len, int *complete);
/* Forget the complete request just handled and get ready for the next one. */
void hw_http_parser_next(hw_http_parser *hp);
/* 1 while a request has begun but is not yet complete (for the 408 timer). */
int hw_http_parser_in_request(const hw_http_parser *hp);

/* Find key in a query string ("a=1&b=2") and copy its percent-decoded value into
 * buf. Returns 0, HW_ENOTFOUND when absent, HW_EINVAL for a bad escape, or
 * HW_ETOOLARGE when the value does not fit. */
int hw_http_query_get(const char *query, const char *key, char *buf, size_t len);

/* The reason phrase of a status ("Not Found"); "Unknown" for others. */
const char *hw_http_reason(int status);
/* A whole response: status line, Content-Type (when body_len > 0 or content_type
 * given), Content-Length, Connection, extra_headers (each ending "\r\n", may be
 * NULL), blank line, body. Returns a malloc'd buffer and its length in *out_len,
 * or NULL when out of memory. */
char *hw_http_format_response(int status, const char *content_type, const char *extra_headers,
                              const char *body, size_t body_len, int keep_alive, size_t *out_len);

#endif
