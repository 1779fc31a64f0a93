/*
 * The homeward program's dispatch: --help lists every subcommand, --version prints
 * the version, and an unknown subcommand or flag prints the usage on stderr and
 * exits 2 (with nothing on stdout).
 */
#include "hw_test.h"

HW_TEST(help_lists_every_subcommand) {
  int status;
  char *out = hw_test_homeward_output("--help", &status);
  HW_CHECK_INT(status, ==, 0);
  const char *commands[] = {"serve", "generate", "stats", "export", "import", "solve", "check",
                            "token", "outcomes", "simulate"};
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    char line[32];
    snprintf(line, sizeof line, "  %s ", commands[i]);
    HW_CHECK_CONTAINS(out, line);
  }
  free(out);
}

HW_TEST(version_prints_name_and_version) {
  int status;
  char *out = hw_test_homeward_output("--version", &status);
  HW_CHECK_INT(status, ==, 0);
  HW_CHECK(strncmp(out, "homeward ", 9) == 0);
  HW_CHECK(out[9] >= '0' && out[9] <= '9');
  free(out);
}

HW_TEST(unknown_subcommand_or_flag_is_usage_error) {
  int status;
  char *out = hw_test_homeward_output("frobnicate 2>/dev/null", &status);
  HW_CHECK_INT(status, ==, 2);
  HW_CHECK_STR(out, "");
  free(out);
  out = hw_test_homeward_output("--frobnicate 2>/dev/null", &status);
  HW_CHECK_INT(status, ==, 2);
  HW_CHECK_STR(out, "");
  free(out);
  out = hw_test_homeward_output("frobnicate 2>&1", &status);
  HW_CHECK_CONTAINS(out, "usage: homeward COMMAND");
  free(out);
  HW_CHECK_INT(hw_test_homeward("2>/dev/null"), ==, 2);
}
