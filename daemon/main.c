/*
 * The homeward program: dispatches to one subcommand from the table below.
 * `homeward --help` lists them, `homeward --version` prints the version, and an
 * unknown subcommand or flag prints the usage on stderr and exits 2.
 */
#include <stdio.h>
#include <string.h>

#include "hw_cli.h"

static const hw_command commands[] = {
    {"serve", "run the HTTP/JSON scheduling service (SIGTERM stops it cleanly)", hw_cmd_serve},
    {"token", "create or revoke an API token (printed once; only its hash is stored)", hw_cmd_token},
    {"generate", "create a synthetic North Lanarkshire partnership in a database", hw_cmd_generate},
    {"stats", "print counts of a partnership database as JSON", hw_cmd_stats},
    {"export", "write the whole partnership as one JSON document", hw_cmd_export},
    {"import", "import workers or clients from CSV, all or nothing", hw_cmd_import},
    {"solve", "solve a routing instance file and write the solution as JSON", hw_cmd_solve},
    {"check", "check a solution JSON against its instance with the independent checker", hw_cmd_check},
    {"simulate", "simulate a year of referrals and discharges under a policy; weekly outcomes", hw_cmd_simulate},
    {"outcomes", "recompute the outcome figures of a database from its event log, as JSON", hw_cmd_outcomes},
};
static const int n_commands = (int)(sizeof commands / sizeof commands[0]);

static void print_usage(FILE *out) {
  fprintf(out,
          "usage: homeward COMMAND [ARGS]\n"
          "       homeward --help | --version\n"
          "\n"
          "Homeward: home support dynamic scheduling for a Health and Social Care Partnership.\n"
          "\n"
          "commands:\n");
  for (int i = 0; i < n_commands; i++) fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nRun `homeward COMMAND --help` for a command's flags.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    print_usage(stdout);
    return 0;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("homeward %s\n", HW_VERSION);
    return 0;
  }
  for (int i = 0; i < n_commands; i++)
    if (strcmp(commands[i].name, name) == 0) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "homeward: unknown %s '%s'\n", name[0] == '-' ? "flag" : "command", name);
  print_usage(stderr);
  return 2;
}
