/*
 * The request parser (http_parser callbacks into an hw_http_request, with the
 * daemon's size limits) and the response formatter.
 *
 * The parser is paused in on_message_complete, so one hw_http_parser_feed call
 * never runs past the end of a request: the caller answers it before the next
 * pipelined request is even looked at, which keeps answers in request order.
 */
#include "hw_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw_error.h"

static hw_http_parser *owner(http_parser *p) { return (hw_http_parser *)p->data; }

static int fail(hw_http_parser *hp, int status, const char *detail) {
  if (!hp->error_status) {
    hp->error_status = status;
    snprintf(hp->error_detail, sizeof hp->error_detail, "%s", detail);
  }
  return -1; /* makes http_parser stop with HPE_CB_* (1 and 2 mean other things in on_headers_complete) */
}

/* Append to a growable heap buffer, keeping it NUL-terminated. */
static int append(char **buf, size_t *len, size_t *cap, const char *at, size_t n) {
  if (*len + n + 1 > *cap) {
    size_t ncap = *cap ? *cap : 256;
    while (ncap < *len + n + 1) ncap *= 2;
    char *nb = realloc(*buf, ncap);
    if (!nb) return HW_ENOMEM;
    *buf = nb;
    *cap = ncap;
  }
  memcpy(*buf + *len, at, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

static int count_header_bytes(hw_http_parser *hp, size_t n) {
  hp->header_bytes += n;
  if (hp->header_bytes > hp->lim.max_header_bytes) {
    char d[96];
    snprintf(d, sizeof d, "request line and headers exceed %zu bytes", hp->lim.max_header_bytes);
    return fail(hp, 431, d);
  }
  return 0;
}

static int on_message_begin(http_parser *p) {
  owner(p)->started = 1;
  return 0;
}

static int on_url(http_parser *p, const char *at, size_t n) {
  hw_http_parser *hp = owner(p);
  if (count_header_bytes(hp, n)) return 1;
  if (append(&hp->req.url, &hp->req.url_len, &hp->req.url_cap, at, n)) return fail(hp, 500, "out of memory");
  return 0;
}

/* A header problem that leaves the framing intact: the request is read to its end
 * and answered 400 naming the header, and the connection lives on. */
static void refuse_header(hw_http_request *r, const char *name, const char *why) {
  if (r->bad_header[0]) return;
  snprintf(r->bad_header, sizeof r->bad_header, "%s", name);
  snprintf(r->bad_reason, sizeof r->bad_reason, "%s", why);
}

/* Pick the buffer that receives the value of the header just named. */
static void select_header(hw_http_parser *hp) {
  hw_http_request *r = &hp->req;
  hp->value_dst = NULL;
  hp->value_len = 0;
  hp->value_over = 0;
  if (hp->field_too_long) return;
  hp->field[hp->field_len] = '\0';
  unsigned bit = 0;
  if (strcasecmp(hp->field, "Authorization") == 0) {
    hp->value_dst = r->authorization, hp->value_cap = sizeof r->authorization, hp->value_name = "Authorization";
    bit = 1;
  } else if (strcasecmp(hp->field, "Idempotency-Key") == 0) {
    hp->value_dst = r->idempotency_key, hp->value_cap = sizeof r->idempotency_key,
    hp->value_name = "Idempotency-Key";
    bit = 2;
  } else if (strcasecmp(hp->field, "Content-Type") == 0) {
    hp->value_dst = r->content_type, hp->value_cap = sizeof r->content_type, hp->value_name = "Content-Type";
    bit = 4;
  }
  if (!hp->value_dst) return;
  /* Two of them would leave which one counts to the order of proxies: refuse. */
  if (r->seen & bit) {
    refuse_header(r, hp->value_name, "appears more than once; send it once");
    hp->value_dst = NULL;
    return;
  }
  r->seen |= bit;
  hp->value_dst[0] = '\0';
}

static int on_header_field(http_parser *p, const char *at, size_t n) {
  hw_http_parser *hp = owner(p);
  if (count_header_bytes(hp, n)) return 1;
  /* http_parser lets "Name : value" through; RFC 9112 says reject it (request smuggling). */
  if (memchr(at, ' ', n) || memchr(at, '\t', n)) return fail(hp, 400, "whitespace in a header name");
  if (hp->in_value) { /* a new header begins */
    hp->in_value = 0;
    hp->field_len = 0;
    hp->field_too_long = 0;
  }
  if (hp->field_len + n >= sizeof hp->field) {
    hp->field_too_long = 1;
    return 0;
  }
  memcpy(hp->field + hp->field_len, at, n);
  hp->field_len += n;
  return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t n) {
  hw_http_parser *hp = owner(p);
  if (count_header_bytes(hp, n)) return 1;
  if (!hp->in_value) {
    hp->in_value = 1;
    select_header(hp);
  }
  if (!hp->value_dst || hp->value_over) return 0;
  if (hp->value_len + n >= hp->value_cap) {
    char d[96];
    snprintf(d, sizeof d, "is longer than %zu characters", hp->value_cap - 1);
    refuse_header(&hp->req, hp->value_name, d);
    hp->value_dst[0] = '\0'; /* never act on a cut value */
    hp->value_over = 1;
    return 0;
  }
  memcpy(hp->value_dst + hp->value_len, at, n);
  hp->value_len += n;
  hp->value_dst[hp->value_len] = '\0';
  return 0;
}

static int split_target(hw_http_parser *hp) {
  hw_http_request *r = &hp->req;
  if (!r->url || r->url[0] != '/') return fail(hp, 400, "request target must be an absolute path");
  r->path_buf = strdup(r->url);
  if (!r->path_buf) return fail(hp, 500, "out of memory");
  char *q = strchr(r->path_buf, '?');
  r->query = "";
  if (q) {
    *q = '\0';
    r->query = q + 1;
  }
  char *frag = strchr(r->query, '#');
  if (frag) *frag = '\0';
  r->path = r->path_buf;
  return 0;
}

static int on_headers_complete(http_parser *p) {
  hw_http_parser *hp = owner(p);
  if (p->http_major != 1) return fail(hp, 505, "only HTTP/1.0 and HTTP/1.1 are served");
  if ((p->flags & F_CONTENTLENGTH) && p->content_length > hp->lim.max_body_bytes) {
    char d[96];
    snprintf(d, sizeof d, "body of %llu bytes exceeds the limit of %zu bytes",
             (unsigned long long)p->content_length, hp->lim.max_body_bytes);
    return fail(hp, 413, d);
  }
  hp->req.method = (int)p->method;
  return split_target(hp);
}

static int on_body(http_parser *p, const char *at, size_t n) {
  hw_http_parser *hp = owner(p);
  hw_http_request *r = &hp->req;
  if (r->body_len + n > hp->lim.max_body_bytes) {
    char d[96];
    snprintf(d, sizeof d, "body exceeds the limit of %zu bytes", hp->lim.max_body_bytes);
    return fail(hp, 413, d);
  }
  if (append(&r->body, &r->body_len, &r->body_cap, at, n)) return fail(hp, 500, "out of memory");
  return 0;
}

static int on_message_complete(http_parser *p) {
  hw_http_parser *hp = owner(p);
  /* An upgrade (WebSocket, h2c) is not served: answer and close. */
  hp->req.keep_alive = http_should_keep_alive(p) && !p->upgrade;
  hp->complete = 1;
  http_parser_pause(p, 1);
  return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

static void request_clear(hw_http_request *r) {
  free(r->url);
  free(r->path_buf);
  free(r->body);
  memset(r, 0, sizeof *r);
  r->path = r->query = "";
}

void hw_http_parser_init(hw_http_parser *hp, const hw_http_limits *lim) {
  memset(hp, 0, sizeof *hp);
  hp->lim = *lim;
  http_parser_init(&hp->p, HTTP_REQUEST);
  hp->p.data = hp;
  request_clear(&hp->req);
}

void hw_http_parser_free(hw_http_parser *hp) { request_clear(&hp->req); }

void hw_http_parser_next(hw_http_parser *hp) {
  request_clear(&hp->req);
  hp->header_bytes = 0;
  hp->in_value = 0;
  hp->field_len = 0;
  hp->field_too_long = 0;
  hp->value_dst = NULL;
  hp->started = 0;
  hp->complete = 0;
  http_parser_pause(&hp->p, 0);
}

int hw_http_parser_in_request(const hw_http_parser *hp) { return hp->started && !hp->complete; }

long hw_http_parser_feed(hw_http_parser *hp, const char *data, size_t len, int *complete) {
  *complete = 0;
  if (hp->error_status) return hp->error_status == 413 || hp->error_status == 431 ? HW_ETOOLARGE : HW_EINVAL;
  if (hp->complete) return 0; /* the caller has not taken the last request yet */
  size_t n = http_parser_execute(&hp->p, &settings, data, len);
  enum http_errno e = HTTP_PARSER_ERRNO(&hp->p);
  if (!hp->error_status && hp->complete && (e == HPE_OK || e == HPE_PAUSED)) {
    *complete = 1;
    return (long)n;
  }
  if (!hp->error_status && e == HPE_OK && !hp->p.upgrade) return (long)n;
  if (!hp->error_status) {
    char d[160];
    snprintf(d, sizeof d, "malformed HTTP: %s", http_errno_description(e));
    fail(hp, e == HPE_HEADER_OVERFLOW ? 431 : 400, d);
  }
  return hp->error_status == 413 || hp->error_status == 431 ? HW_ETOOLARGE : HW_EINVAL;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int percent_decode(const char *s, size_t n, char *buf, size_t len) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= n) return HW_EINVAL;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return HW_EINVAL;
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    if (o + 1 >= len) return HW_ETOOLARGE;
    buf[o++] = c;
  }
  buf[o] = '\0';
  return 0;
}

int hw_http_query_get(const char *query, const char *key, char *buf, size_t len) {
  size_t klen = strlen(key);
  const char *s = query;
  while (s && *s) {
    const char *amp = strchr(s, '&');
    size_t n = amp ? (size_t)(amp - s) : strlen(s);
    if (n > klen && strncmp(s, key, klen) == 0 && s[klen] == '=')
      return percent_decode(s + klen + 1, n - klen - 1, buf, len);
    if (n == klen && strncmp(s, key, klen) == 0) return percent_decode("", 0, buf, len);
    s = amp ? amp + 1 : NULL;
  }
  return HW_ENOTFOUND;
}

const char *hw_http_reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

char *hw_http_format_response(int status, const char *content_type, const char *extra_headers,
                              const char *body, size_t body_len, int keep_alive, size_t *out_len) {
  char head[1024];
  int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\n", status, hw_http_reason(status));
  if (content_type) n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\n", content_type);
  n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\nConnection: %s\r\n%s\r\n", body_len,
                keep_alive ? "keep-alive" : "close", extra_headers ? extra_headers : "");
  if (n < 0 || (size_t)n >= sizeof head) return NULL;
  char *out = malloc((size_t)n + body_len);
  if (!out) return NULL;
  memcpy(out, head, (size_t)n);
  if (body_len) memcpy(out + n, body, body_len);
  *out_len = (size_t)n + body_len;
  return out;
}
