/* The Windows backend's pure decisions (src/win/decide.c) with injected
 * attributes, reparse tags and Win32 errors: they run on every system,
 * so the defects of issue 13 that Wine cannot show are pinned here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "win/decide.h"

#define DIR SLINK__ATTR_DIRECTORY
#define RP SLINK__ATTR_REPARSE

/* Issue 13.2: only name surrogates and AppExecLink are links. */
static void reparse_points_that_are_no_links(void **state) {
  (void)state;
  static const uint32_t data_tags[] = {
    0x9000001Au, /* IO_REPARSE_TAG_CLOUD (OneDrive placeholder) */
    0x9000101Au, /* IO_REPARSE_TAG_CLOUD_1 */
    0x9000F01Au, /* IO_REPARSE_TAG_CLOUD_F */
    0x80000013u, /* IO_REPARSE_TAG_DEDUP */
    0x80000017u, /* IO_REPARSE_TAG_WOF (compressed) */
    0xC0000004u, /* IO_REPARSE_TAG_HSM */
    0x80000014u, /* IO_REPARSE_TAG_NFS */
  };
  for (size_t i = 0; i < sizeof data_tags / sizeof data_tags[0]; i++) {
    assert_int_equal(slink__win_kind(RP, data_tags[i]), SLINK_KIND_FILE);
    assert_int_equal(slink__win_kind(RP | DIR, data_tags[i]), SLINK_KIND_DIR);
    assert_false(slink_kind_is_link(slink__win_kind(RP, data_tags[i])));
  }
}

static void links_by_tag(void **state) {
  (void)state;
  assert_int_equal(slink__win_kind(RP, SLINK__TAG_SYMLINK), SLINK_KIND_SYMLINK);
  assert_int_equal(slink__win_kind(RP | DIR, SLINK__TAG_SYMLINK),
                   SLINK_KIND_DIR_SYMLINK);
  assert_int_equal(slink__win_kind(RP | DIR, SLINK__TAG_MOUNT_POINT),
                   SLINK_KIND_JUNCTION);
  assert_int_equal(slink__win_kind(RP, SLINK__TAG_LX_SYMLINK),
                   SLINK_KIND_WSL_SYMLINK);
  assert_int_equal(slink__win_kind(RP, SLINK__TAG_APPEXECLINK),
                   SLINK_KIND_APP_LINK);
  /* An unknown tag with the name-surrogate bit stands for another name. */
  assert_int_equal(slink__win_kind(RP, 0xA0000099u), SLINK_KIND_REPARSE);
  assert_true(slink_kind_is_link(slink__win_kind(RP, 0xA0000099u)));
  /* No reparse attribute: the tag means nothing. */
  assert_int_equal(slink__win_kind(0, SLINK__TAG_SYMLINK), SLINK_KIND_FILE);
  assert_int_equal(slink__win_kind(DIR, 0), SLINK_KIND_DIR);
}

/* Issue 13.6: fall back to the classic class only where the filesystem
 * lacks the Ex one; retry briefly while the file is held. */
static void delete_fallback_and_retries(void **state) {
  (void)state;
  assert_true(slink__win_delete_falls_back(50));   /* NOT_SUPPORTED */
  assert_true(slink__win_delete_falls_back(87));   /* INVALID_PARAMETER */
  assert_true(slink__win_delete_falls_back(1));    /* INVALID_FUNCTION */
  assert_false(slink__win_delete_falls_back(5));   /* ACCESS_DENIED */
  assert_false(slink__win_delete_falls_back(145)); /* DIR_NOT_EMPTY */
  assert_false(slink__win_delete_falls_back(32));  /* SHARING_VIOLATION */
  assert_true(slink__win_delete_retries(145, 0));
  assert_true(slink__win_delete_retries(32, 0));
  assert_false(slink__win_delete_retries(5, 0));
  assert_false(slink__win_delete_retries(2, 0)); /* FILE_NOT_FOUND */
  int tries = 0;
  while (slink__win_delete_retries(32, tries))
    tries++;
  assert_true(tries > 1 && tries < 10);
  unsigned total = 0;
  for (int t = 1; t <= tries; t++)
    total += slink__win_delete_pause(t);
  assert_true(total < 500); /* bounded: never a long hang */
  assert_true(slink__win_delete_needs_writable(SLINK__ATTR_READONLY, 1));
  assert_false(slink__win_delete_needs_writable(SLINK__ATTR_READONLY, 0));
  assert_false(slink__win_delete_needs_writable(0, 1));
}

/* Issue 13.7: the retry without the unprivileged flag reports its own
 * error (no privilege), so --fallback can act on it. */
static void symlink_retry_error(void **state) {
  (void)state;
  assert_true(slink__win_symlink_retries(87));
  assert_false(slink__win_symlink_retries(1314));
  assert_int_equal(slink__win_symlink_error(87, 1314), 1314);
  assert_int_equal(slink__win_symlink_error(5, 0), 5);
}

/* Issue 13.7: ':' in a component addresses a stream of a file. */
static void one_component(void **state) {
  (void)state;
  assert_int_equal(slink__win_component("a", 1), 0);
  assert_int_equal(slink__win_component("a.b c", 5), 0);
  assert_int_equal(slink__win_component("f:s", 3), SLINK_EINVAL);
  assert_int_equal(slink__win_component("f::$DATA", 8), SLINK_EINVAL);
  assert_int_equal(slink__win_component("a\\b", 3), SLINK_EINVAL);
  assert_int_equal(slink__win_component("a/b", 3), SLINK_EINVAL);
  assert_int_equal(slink__win_component(".", 1), SLINK_EINVAL);
  assert_int_equal(slink__win_component("..", 2), SLINK_EINVAL);
  assert_int_equal(slink__win_component("...", 3), 0);
  assert_int_equal(slink__win_component("", 0), SLINK_EEMPTYPATH);
  assert_int_equal(slink__win_component("C:", 2), SLINK_EISROOT);
  assert_int_equal(slink__win_component("1:", 2), SLINK_EINVAL);
}

/* Arguments as the C runtime's parser splits them back (Microsoft's
 * "Parsing C command-line arguments"): the program run by slink__os_run
 * must receive what it was given. */
static void quoted_arguments(void **state) {
  (void)state;
  static const char *const cases[][2] = {
    {"plain", "plain"},
    {"", "\"\""},
    {"two words", "\"two words\""},
    {"tab\there", "\"tab\there\""},
    {"say \"hi\"", "\"say \\\"hi\\\"\""},
    {"back\\slash", "back\\slash"},          /* no quotes: literal */
    {"a\\\"b", "\"a\\\\\\\"b\""},    /* a\"b -> "a\\\"b" */
    {"end space\\", "\"end space\\\\\""}, /* doubled before the close */
    {"mid\\\\x y", "\"mid\\\\x y\""},   /* literal when no quote follows */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[64];
    size_t n = slink__win_quote_arg(cases[i][0], NULL);
    assert_int_equal(n, strlen(cases[i][1]));
    assert_int_equal(slink__win_quote_arg(cases[i][0], out), n);
    out[n] = 0;
    assert_string_equal(out, cases[i][1]);
  }
}

/* Issue 17: a volume without hard links (FAT, exFAT: no
 * FILE_SUPPORTS_HARD_LINKS) has a link limit of one name, so clone copies
 * there and counts it; NTFS keeps 1,023 also where the flag is missing
 * (Wine reports none). */
static void volume_link_limit(void **state) {
  (void)state;
  assert_int_equal(slink__win_link_max(0x0002020Fu, 0), 1);      /* FAT32 */
  assert_int_equal(slink__win_link_max(0x00000006u, 0), 1);      /* exFAT */
  assert_int_equal(slink__win_link_max(0x03E700FFu, 1), 1023);   /* NTFS */
  assert_int_equal(slink__win_link_max(0x0000000Au, 1), 1023);   /* Wine */
  assert_int_equal(slink__win_link_max(SLINK__FS_HARD_LINKS, 0), 1023);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(reparse_points_that_are_no_links),
    cmocka_unit_test(links_by_tag),
    cmocka_unit_test(delete_fallback_and_retries),
    cmocka_unit_test(symlink_retry_error),
    cmocka_unit_test(one_component),
    cmocka_unit_test(quoted_arguments),
    cmocka_unit_test(volume_link_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
