/*
 * The `serve` and `token` subcommands: run the daemon, and create or revoke the
 * API tokens it accepts.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_auth.h"
#include "hw_cli.h"
#include "hw_config.h"
#include "hw_error.h"
#include "hw_log.h"
#include "hw_server.h"
#include "hw_store.h"

static const char serve_usage[] =
    "homeward serve --db PATH [--listen HOST:PORT] [--config FILE] [--SETTING VALUE ...]\n"
    "       homeward serve --print-config   (the example config: every setting, documented)";

enum { OPT_CONFIG = 1000, OPT_PRINT_CONFIG, OPT_HELP, OPT_SETTING = 2000 };

/* Long options: one per setting (same name as in the file), then the extras. */
static struct option *serve_options(void) {
  int n;
  const hw_setting *s = hw_config_settings(&n);
  struct option *o = calloc((size_t)n + 4, sizeof *o);
  if (!o) return NULL;
  for (int i = 0; i < n; i++) o[i] = (struct option){s[i].name, required_argument, NULL, OPT_SETTING + i};
  o[n] = (struct option){"config", required_argument, NULL, OPT_CONFIG};
  o[n + 1] = (struct option){"print-config", no_argument, NULL, OPT_PRINT_CONFIG};
  o[n + 2] = (struct option){"help", no_argument, NULL, OPT_HELP};
  return o;
}

int hw_cmd_serve(int argc, char **argv) {
  int n_settings;
  const hw_setting *settings = hw_config_settings(&n_settings);
  struct option *opts = serve_options();
  int *flag_setting = calloc((size_t)argc + 1, sizeof *flag_setting);
  char **flag_value = calloc((size_t)argc + 1, sizeof *flag_value);
  const char *config_file = NULL;
  int n_flags = 0, status = -1, c;
  if (!opts || !flag_setting || !flag_value) status = 1;
  optind = 1;
  while (status < 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (c == OPT_CONFIG) config_file = optarg;
    else if (c == OPT_PRINT_CONFIG) hw_config_write_example(stdout), status = 0;
    else if (c == OPT_HELP) printf("usage: %s\n", serve_usage), status = 0;
    else if (c >= OPT_SETTING && c < OPT_SETTING + n_settings) {
      flag_setting[n_flags] = c - OPT_SETTING;
      flag_value[n_flags++] = optarg;
    } else {
      hw_cli_usage_error("serve", serve_usage, "unknown or incomplete flag");
      status = 2;
    }
  }
  if (status < 0 && optind < argc) {
    hw_cli_usage_error("serve", serve_usage, "unexpected argument '%s'", argv[optind]);
    status = 2;
  }
  hw_config cfg;
  char err[512];
  hw_config_init(&cfg);
  if (status < 0 && config_file && hw_config_load_file(&cfg, config_file, err, sizeof err) != 0) {
    fprintf(stderr, "homeward serve: %s\n", err);
    status = 2;
  }
  for (int i = 0; status < 0 && i < n_flags; i++)
    if (hw_config_set(&cfg, settings[flag_setting[i]].name, flag_value[i], err, sizeof err) != 0) {
      hw_cli_usage_error("serve", serve_usage, "--%s", err);
      status = 2;
    }
  if (status < 0 && !cfg.db[0]) {
    hw_cli_usage_error("serve", serve_usage, "--db PATH is required");
    status = 2;
  }
  free(opts);
  free(flag_setting);
  free(flag_value);
  if (status >= 0) return status;
  hw_log_threshold = cfg.log_level;
  HW_LOG_INFOF("homeward %s serving %s (sync=%s, group_commit_max=%lld)", HW_VERSION, cfg.db,
               cfg.sync == 0 ? "full" : cfg.sync == 1 ? "normal" : "off", (long long)cfg.group_commit_max);
  return hw_server_run(&cfg) == 0 ? 0 : 1;
}

static const char token_usage[] =
    "homeward token create --db PATH --role coordinator|discharge|manager|admin [--locality ID ...] [--name NAME]\n"
    "       homeward token create --db PATH --role worker --worker ID [--name NAME]\n"
    "       homeward token revoke --db PATH --name NAME";

static int token_create(const char *db, const char *name, const char *role_name, const hw_id *localities,
                        int n_localities, hw_id worker) {
  hw_role role;
  if (!role_name || hw_role_parse(role_name, &role) != 0) {
    hw_cli_usage_error("token", token_usage, "--role must be coordinator, discharge, manager, admin or worker");
    return 2;
  }
  if ((role == HW_ROLE_WORKER) != (worker != 0) || (worker && n_localities)) {
    hw_cli_usage_error("token", token_usage, "a worker token needs --worker ID (and no --locality); only it takes --worker");
    return 2;
  }
  hw_store *st = NULL;
  if (hw_cli_open_store("token", db, 0, &st) != 0) return 1;
  int status = 0;
  for (int i = 0; i < n_localities && status == 0; i++) {
    hw_locality loc;
    if (hw_store_get_locality(st, localities[i], &loc) != 0) {
      fprintf(stderr, "homeward token: --locality %" PRId64 ": no such locality\n", localities[i]);
      status = 1;
    }
  }
  char default_name[64], token[HW_TOKEN_LEN + 1];
  if (status == 0 && !name) {
    char nonce[HW_TOKEN_LEN + 1];
    if (hw_auth_new_token(nonce, sizeof nonce) != 0) nonce[0] = '\0';
    nonce[8] = '\0';
    snprintf(default_name, sizeof default_name, "%s-%s", role_name, nonce);
    name = default_name;
  }
  if (status == 0) {
    int rc = worker ? hw_auth_create_worker_token(st, name, worker, (hw_time)time(NULL), token, sizeof token)
                    : hw_auth_create_token(st, name, role, localities, n_localities, (hw_time)time(NULL), token,
                                           sizeof token);
    if (rc != 0) {
      fprintf(stderr, "homeward token: cannot create '%s': %s%s%s\n", name, hw_strerror(rc),
              rc == HW_ECONFLICT ? (worker ? " (the name is taken, or no such worker)" : " (the name is taken)") : "",
              rc == HW_EINVAL ? " (name 1..63 characters)" : "");
      status = 1;
    } else {
      printf("%s\n", token);
      fprintf(stderr, "token '%s' (role %s) created; it is shown only once, store it now\n", name, role_name);
    }
  }
  hw_store_close(st);
  return status;
}

static int token_revoke(const char *db, const char *name) {
  if (!name) {
    hw_cli_usage_error("token", token_usage, "revoke needs --name NAME");
    return 2;
  }
  hw_store *st = NULL;
  if (hw_cli_open_store("token", db, 0, &st) != 0) return 1;
  int rc = hw_store_revoke_token(st, name, (hw_time)time(NULL));
  hw_store_close(st);
  if (rc != 0) {
    fprintf(stderr, "homeward token: cannot revoke '%s': %s\n", name, hw_strerror(rc));
    return 1;
  }
  fprintf(stderr, "token '%s' revoked\n", name);
  return 0;
}

int hw_cmd_token(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, NULL, 'd'},   {"role", required_argument, NULL, 'r'},
                                       {"locality", required_argument, NULL, 'l'}, {"name", required_argument, NULL, 'n'},
                                       {"worker", required_argument, NULL, 'w'},
                                       {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  const char *db = NULL, *role = NULL, *name = NULL;
  hw_id worker = 0;
  hw_id localities[HW_SCOPE_MAX];
  int n_localities = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (c == 'd') db = optarg;
    else if (c == 'r') role = optarg;
    else if (c == 'n') name = optarg;
    else if (c == 'w') {
      char *end;
      long long v = strtoll(optarg, &end, 10);
      if (end == optarg || *end || v <= 0) {
        hw_cli_usage_error("token", token_usage, "--worker '%s': a worker id", optarg);
        return 2;
      }
      worker = v;
    } else if (c == 'h') {
      printf("usage: %s\n", token_usage);
      return 0;
    } else if (c == 'l') {
      char *end;
      long long v = strtoll(optarg, &end, 10);
      if (end == optarg || *end || v <= 0 || n_localities == HW_SCOPE_MAX) {
        hw_cli_usage_error("token", token_usage, "--locality '%s': a locality id (at most %d)", optarg, HW_SCOPE_MAX);
        return 2;
      }
      localities[n_localities++] = v;
    } else {
      hw_cli_usage_error("token", token_usage, "unknown or incomplete flag");
      return 2;
    }
  }
  if (optind != argc - 1 || (strcmp(argv[optind], "create") != 0 && strcmp(argv[optind], "revoke") != 0)) {
    hw_cli_usage_error("token", token_usage, "expected one action, create or revoke");
    return 2;
  }
  if (!db) {
    hw_cli_usage_error("token", token_usage, "--db PATH is required");
    return 2;
  }
  if (strcmp(argv[optind], "create") == 0) return token_create(db, name, role, localities, n_localities, worker);
  return token_revoke(db, name);
}
