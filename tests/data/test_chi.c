/*
 * Tests of hw_chi_validate: the CHI number is 10 digits, the first six a real date
 * DDMMYY, the tenth a modulus-11 check digit (weights 10..2 over the first nine;
 * 11 - sum mod 11, where 11 means 0 and 10 means no valid number). The valid
 * examples were computed by hand from that rule.
 */
#include "hw_codec.h"
#include "hw_error.h"
#include "hw_test.h"

static void check_invalid(const char *chi, const char *reason_part) {
  const char *why = NULL;
  HW_CHECK_INT(hw_chi_validate(chi, &why), ==, HW_EINVAL);
  HW_CHECK(why != NULL);
  HW_CHECK_CONTAINS(why, reason_part);
}

HW_TEST(valid_numbers_accepted) {
  const char *valid[] = {"0101801238", "1507704569", "3112990005", "1203456786",
                         "2304893120" /* check digit 11 -> 0 */,
                         "2902009879" /* 29 February of a leap year */};
  for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
    const char *why = NULL;
    if (hw_chi_validate(valid[i], &why) != 0)
      hw_test_fail(__FILE__, __LINE__, "%s rejected: %s", valid[i], why ? why : "?");
  }
}

HW_TEST(wrong_length_rejected) {
  check_invalid("010180123", "10 digits");
  check_invalid("01018012388", "10 digits");
  check_invalid("", "10 digits");
  check_invalid(NULL, "10 digits");
}

HW_TEST(letters_rejected) {
  check_invalid("01018O1238", "digits only");
  check_invalid("0101 01238", "digits only");
  check_invalid("+101801238", "digits only");
}

HW_TEST(impossible_birth_date_rejected) {
  check_invalid("3102991234", "date");   /* 31 February */
  check_invalid("2902011235", "date");   /* 29 February 2001 / 1901 */
  check_invalid("0013801234", "date");   /* month 13 */
  check_invalid("0001801234", "date");   /* day 00 */
}

HW_TEST(wrong_check_digit_rejected) {
  check_invalid("0101801239", "check digit does not match");
  check_invalid("1507704560", "check digit does not match");
}

HW_TEST(check_digit_ten_is_never_valid) {
  /* The first nine digits 010180007 give 11 - (sum mod 11) = 10. */
  for (char last = '0'; last <= '9'; last++) {
    char chi[11] = "010180007";
    chi[9] = last;
    chi[10] = '\0';
    check_invalid(chi, "would be 10");
  }
}
