/*
 * Helpers shared by the subcommands of daemon/main.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw_cli.h"
#include "hw_error.h"
#include "hw_store.h"

void hw_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "homeward %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nusage: %s\n", usage);
}

void hw_cli_reset_getopt(void) {
  optind = 0;
  opterr = 0;
}

int hw_cli_flag_error(const char *cmd, const char *usage, int c, char **argv) {
  const char *flag = argv[optind - 1];
  if (c == ':') hw_cli_usage_error(cmd, usage, "flag '%s' needs a value", flag);
  else hw_cli_usage_error(cmd, usage, "unknown flag '%s'", flag);
  return 2;
}

int hw_cli_parse_long(const char *s, long long min, long long max, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int hw_cli_open_store(const char *cmd, const char *path, int read_only, hw_store **st) {
  hw_store_options so;
  hw_store_options_init(&so);
  so.read_only = read_only;
  char msg[256] = "";
  int rc = hw_store_open(path, &so, st, msg, sizeof msg);
  if (rc) fprintf(stderr, "homeward %s: cannot open database %s: %s\n", cmd, path, msg[0] ? msg : hw_strerror(rc));
  return rc;
}

char *hw_cli_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  size_t cap = 0;
  *len = 0;
  if (!f) return NULL;
  for (;;) {
    if (*len + 1 >= cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      char *g = realloc(text, ncap);
      if (!g) break;
      text = g;
      cap = ncap;
    }
    size_t got = fread(text + *len, 1, cap - *len - 1, f);
    *len += got;
    if (got == 0) break;
  }
  int bad = ferror(f) || !text;
  fclose(f);
  if (bad) {
    free(text);
    return NULL;
  }
  text[*len] = '\0';
  return text;
}
