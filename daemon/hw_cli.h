/*
 * The `homeward` command line: one table of subcommands (daemon/main.c) and the
 * function behind each. Every subcommand parses its own flags with getopt_long,
 * prints its usage on `--help`, and returns an exit status: 0 success, 1 the work
 * failed (bad input file, infeasible, I/O), 2 usage error (unknown flag, missing
 * argument) with the usage on stderr.
 */
#ifndef HW_CLI_H
#define HW_CLI_H

typedef int (*hw_cmd_fn)(int argc, char **argv);

typedef struct hw_command {
  const char *name;
  const char *summary;
  hw_cmd_fn run;
} hw_command;

/* Start getopt_long afresh (a command may run more than once in one process, as
 * in the tests) and let the command report bad flags itself. */
void hw_cli_reset_getopt(void);
/* Report the flag getopt_long stopped at ('?' unknown, ':' missing value) with the
 * usage on stderr; returns 2, the usage-error exit status. */
int hw_cli_flag_error(const char *cmd, const char *usage, int c, char **argv);
/* Parse a whole decimal integer in [min, max]; 0, or -1 if s is not one. */
int hw_cli_parse_long(const char *s, long long min, long long max, long long *out);

typedef struct hw_store hw_store;
/* Open the database at path for subcommand cmd (read-only when asked), printing
 * "homeward CMD: cannot open database PATH: reason" on failure. Returns 0 or the
 * store's error code. */
int hw_cli_open_store(const char *cmd, const char *path, int read_only, hw_store **st);

/* Print "homeward CMD: usage" style errors consistently. */
void hw_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int hw_cmd_generate(int argc, char **argv);
int hw_cmd_stats(int argc, char **argv);
int hw_cmd_export(int argc, char **argv);
int hw_cmd_import(int argc, char **argv);
int hw_cmd_solve(int argc, char **argv);
int hw_cmd_check(int argc, char **argv);

/* `simulate` runs the outcome simulation; `outcomes` reports a database's outcome
 * figures from its event log (cmd_sched.c). */
int hw_cmd_simulate(int argc, char **argv);
int hw_cmd_outcomes(int argc, char **argv);

/* `serve` runs the HTTP/JSON daemon; `token` creates or revokes API tokens (cmd_serve.c). */
int hw_cmd_serve(int argc, char **argv);
int hw_cmd_token(int argc, char **argv);

/* The whole file at path (malloc'd, NUL-terminated, *len bytes), or NULL. */
char *hw_cli_read_file(const char *path, size_t *len);

#endif
