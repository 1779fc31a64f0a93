/*
 * The test runner shared by every test executable.
 *
 * A test file holds cases written as
 *
 *     HW_TEST(store_opens_empty_db) { ... HW_CHECK(x == 1); ... }
 *
 * with the HW_TEST line starting in column 0: CMake (cmake/hw_tests.cmake) scans for
 * those lines and registers each case as its own ctest entry, which runs the
 * executable with the case name as its only argument. A failed check prints file,
 * line and the expression, and the case exits 1. Running the executable with no
 * argument runs every case in the file (handy under a debugger).
 */
#ifndef HW_TEST_H
#define HW_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*hw_test_fn)(void);
void hw_test_register(const char *name, hw_test_fn fn);
void hw_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* A fresh, empty directory for this case (removed at exit unless HW_TEST_KEEP is set). */
const char *hw_test_tmpdir(void);
/* tmpdir/NAME, in a static buffer that the next call overwrites. */
const char *hw_test_path(const char *name);
/* Directory of ../shared (the benchmark data), or NULL when it is not there. */
const char *hw_test_shared_dir(void);
/* The build directory (where build/homeward lives). */
const char *hw_test_build_dir(void);

/* Run `build/homeward ARGS` through the shell (ARGS may redirect); returns its exit
 * status, or -1 if it did not exit normally. */
int hw_test_homeward(const char *args);
/* Same, capturing stdout into a malloc'd string (caller frees); status in *status. */
char *hw_test_homeward_output(const char *args, int *status);
/* A whole file as a malloc'd NUL-terminated string, or NULL if it cannot be read. */
char *hw_test_read_file(const char *path);

#define HW_TEST(name)                                                        \
  static void hw_test_##name(void);                                          \
  __attribute__((constructor)) static void hw_test_register_##name(void) {   \
    hw_test_register(#name, hw_test_##name);                                 \
  }                                                                          \
  static void hw_test_##name(void)

#define HW_CHECK(cond)                                                       \
  do {                                                                       \
    if (!(cond)) hw_test_fail(__FILE__, __LINE__, "check failed: %s", #cond); \
  } while (0)

#define HW_CHECK_INT(a, op, b)                                               \
  do {                                                                       \
    long long hw_a_ = (long long)(a), hw_b_ = (long long)(b);                \
    if (!(hw_a_ op hw_b_))                                                   \
      hw_test_fail(__FILE__, __LINE__, "check failed: %s %s %s (%lld vs %lld)", \
                   #a, #op, #b, hw_a_, hw_b_);                               \
  } while (0)

#define HW_CHECK_STR(a, b)                                                   \
  do {                                                                       \
    const char *hw_a_ = (a), *hw_b_ = (b);                                   \
    if (!hw_a_ || !hw_b_ || strcmp(hw_a_, hw_b_) != 0)                       \
      hw_test_fail(__FILE__, __LINE__, "check failed: %s == %s (\"%s\" vs \"%s\")", \
                   #a, #b, hw_a_ ? hw_a_ : "(null)", hw_b_ ? hw_b_ : "(null)"); \
  } while (0)

/* Substring check: haystack contains needle. */
#define HW_CHECK_CONTAINS(hay, needle)                                       \
  do {                                                                       \
    const char *hw_h_ = (hay), *hw_n_ = (needle);                            \
    if (!hw_h_ || !strstr(hw_h_, hw_n_))                                     \
      hw_test_fail(__FILE__, __LINE__, "check failed: \"%s\" contains \"%s\"", \
                   hw_h_ ? hw_h_ : "(null)", hw_n_);                         \
  } while (0)

#endif
