/* Quoting for text output: one name is always one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/internal.h"

static void check(const char *in, size_t len, const char *want) {
  char *q = slink_quote(in, len);
  assert_non_null(q);
  assert_string_equal(q, want);
  free(q);
}

static void plain_names_stay(void **state) {
  (void)state;
  check("text.txt", 8, "text.txt");
  check("caf\xc3\xa9", 5, "caf\xc3\xa9");
  check("-rf", 3, "-rf");
}

static void shell_specials_are_single_quoted(void **state) {
  (void)state;
  check("my file", 7, "'my file'");
  check("a$b", 3, "'a$b'");
  check("it's", 4, "'it'\\''s'");
  check("", 0, "''");
}

static void control_and_invalid_bytes_are_escaped(void **state) {
  (void)state;
  check("new\nline", 8, "'new'$'\\n''line'");
  check("\xff", 1, "$'\\377'");
  check("a\x01", 2, "'a'$'\\001'");
  check("tab\there", 8, "'tab'$'\\t''here'");
  check("\xc0\xaf", 2, "$'\\300\\257'"); /* overlong '/' is not UTF-8 */
  check("\xed\xa0\x80", 3, "$'\\355\\240\\200'"); /* encoded surrogate */
}

/* U+0080..U+009F are controls too: U+009B is a terminal's CSI. */
static void c1_controls_are_escaped(void **state) {
  (void)state;
  check("a\xc2\x9b" "2J", 5, "'a'$'\\302\\233''2J'");
  check("\xc2\x80", 2, "$'\\302\\200'");
  check("\xc2\x9f", 2, "$'\\302\\237'");
  check("\xc2\xa0", 2, "\xc2\xa0"); /* U+00A0 is printable */
  check("\xc3\xa9", 2, "\xc3\xa9");
}

static void utf8_validation(void **state) {
  (void)state;
  assert_int_equal(slink__utf8_len((const unsigned char *)"a", 1), 1);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\xe2\x82\xac", 3), 3);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\xe2\x82", 2), 0);
  assert_int_equal(slink__utf8_len((const unsigned char *)"\x80", 1), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(plain_names_stay),
    cmocka_unit_test(shell_specials_are_single_quoted),
    cmocka_unit_test(control_and_invalid_bytes_are_escaped),
    cmocka_unit_test(c1_controls_are_escaped),
    cmocka_unit_test(utf8_validation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
