/*
 * Helpers shared by the subcommands of daemon/main.c.
 */
#include <stdarg.h>
#include <stdio.h>

#include "hw_cli.h"

void hw_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "homeward %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nusage: %s\n", usage);
}
