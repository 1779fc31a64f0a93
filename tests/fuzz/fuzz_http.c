/*
 * Fuzz target for the daemon's request parser (daemon/http.c): the input is
 * a byte stream as a client might send it on one connection. It is fed in
 * chunks whose sizes come from the first byte (so splits across reads are
 * explored), every complete request is taken and the parser moved on, exactly
 * as the server does. Checks: no crash or leak, consumption never exceeds the
 * input, a complete request has a path beginning with '/', and a failure
 * always carries a 4xx/5xx status.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = (size_t)(data[0] % 64) + 1;
  data++;
  size--;
  hw_http_limits lim = {2048, 4096};
  hw_http_parser hp;
  hw_http_parser_init(&hp, &lim);
  size_t off = 0, fed = 0;
  while (off < size) {
    /* Bytes available so far, as if they had arrived in reads of `chunk`. */
    fed = fed + chunk < size ? fed + chunk : size;
    while (off < fed) {
      int complete = 0;
      long n = hw_http_parser_feed(&hp, (const char *)data + off, fed - off, &complete);
      if (n < 0) {
        if (hp.error_status < 400 || hp.error_status > 599) abort();
        hw_http_parser_free(&hp);
        return 0;
      }
      if ((size_t)n > fed - off) abort();
      off += (size_t)n;
      if (!complete) break;
      if (!hp.req.path || hp.req.path[0] != '/') abort();
      if (hp.req.body_len > lim.max_body_bytes) abort();
      hw_http_parser_next(&hp);
    }
    if (off < fed && fed == size) break; /* partial request at the end */
  }
  hw_http_parser_free(&hp);
  return 0;
}
