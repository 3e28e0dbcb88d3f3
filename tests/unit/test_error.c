/* Error codes: negative, distinct, each with its own message and name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "slink.h"

static void codes_are_negative_and_distinct(void **state) {
  (void)state;
  int seen = 0;
#define XX(name, msg) \
  assert_true(SLINK_E##name < 0); \
  assert_int_equal(SLINK_E##name, -1 - seen); \
  seen++;
  SLINK_ERRNO_MAP(XX)
#undef XX
  assert_int_equal(seen, SLINK__I_COUNT);
}

static void messages_come_from_the_table(void **state) {
  (void)state;
  assert_string_equal(slink_strerror(SLINK_ENOENT), "no such file or directory");
  assert_string_equal(slink_strerror(SLINK_EISDIR), "is a directory, not a link");
  assert_string_equal(slink_strerror(SLINK_ENOTLINK), "is not a link; nothing removed");
  assert_string_equal(slink_strerror(SLINK_ENOTVERIFIED),
                      "the system reported success but no link exists");
  assert_string_equal(slink_strerror(0), "success");
  assert_string_equal(slink_strerror(-100000), "unknown error");
  assert_string_equal(slink_strerror(5), "unknown error");
}

static void names_match_codes(void **state) {
  (void)state;
  assert_string_equal(slink_err_name(SLINK_ENOENT), "SLINK_ENOENT");
  assert_string_equal(slink_err_name(SLINK_EXDEV), "SLINK_EXDEV");
  assert_string_equal(slink_err_name(0), "SLINK_OK");
  assert_string_equal(slink_err_name(-100000), "SLINK_EUNKNOWN");
}

static void every_message_is_lower_case_without_full_stop(void **state) {
  (void)state;
  for (int code = -1; code > SLINK__E_END; code--) {
    const char *m = slink_strerror(code);
    size_t n = strlen(m);
    assert_true(n > 0);
    assert_true(m[0] < 'A' || m[0] > 'Z');
    assert_true(m[n - 1] != '.');
  }
}

static void kind_and_state_names(void **state) {
  (void)state;
  assert_string_equal(slink_kind_name(SLINK_KIND_DIR_SYMLINK), "dir-symlink");
  assert_string_equal(slink_kind_name(SLINK_KIND_JUNCTION), "junction");
  assert_string_equal(slink_kind_name(SLINK_KIND_WSL_SYMLINK), "wsl-symlink");
  assert_string_equal(slink_kind_name(SLINK_KIND_APP_LINK), "app-link");
  assert_true(slink_kind_is_link(SLINK_KIND_REPARSE));
  assert_false(slink_kind_is_link(SLINK_KIND_DIR));
  assert_false(slink_kind_is_link(SLINK_KIND_FILE));
  assert_string_equal(slink_state_name(SLINK_STATE_CROSS_DEVICE), "cross-device");
  assert_int_equal(slink_state_from_name("escapes"), SLINK_STATE_ESCAPES);
  assert_int_equal(slink_state_from_name("nonsense"), 0);
  assert_null(slink_state_name(3));
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++)
    assert_int_equal(slink_state_from_name(slink_state_name(1u << i)), 1u << i);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(codes_are_negative_and_distinct),
    cmocka_unit_test(messages_come_from_the_table),
    cmocka_unit_test(names_match_codes),
    cmocka_unit_test(every_message_is_lower_case_without_full_stop),
    cmocka_unit_test(kind_and_state_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
