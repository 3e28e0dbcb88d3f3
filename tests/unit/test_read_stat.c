/* What slink_read reports of a stat (src/lib/read.c), with injected
 * stats: issue 13.2, a reparse point that is no link (a OneDrive
 * placeholder, a deduplicated file) is the file or directory it is, and
 * show still names its tag. Wine cannot make such a reparse point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/internal.h"
#include "sys.h"

/* What slink_read would report of an entry lstat describes so. */
static slink_info from_stat(slink_kind kind, uint32_t attrs, uint32_t tag) {
  slink__stat st;
  slink_info info;
  memset(&st, 0, sizeof st);
  memset(&info, 0, sizeof info);
  st.kind = kind;
  st.attrs = attrs;
  st.tag = tag;
  st.nlink = 1;
  st.size = 1234;
  slink__info_from_stat(&info, &st);
  return info;
}

static void a_placeholder_keeps_its_tag(void **state) {
  (void)state;
  /* REPARSE_POINT | ARCHIVE, IO_REPARSE_TAG_CLOUD */
  slink_info info = from_stat(SLINK_KIND_FILE, 0x400u | 0x20u, 0x9000001Au);
  assert_int_equal(info.kind, SLINK_KIND_FILE);
  assert_false(slink_kind_is_link(info.kind));
  assert_true(info.tag == 0x9000001Au);
  assert_true(info.size == 1234 && info.nlink == 1);
  char *j = slink_info_json("f", &info);
  assert_non_null(j);
  assert_non_null(strstr(j, "\"tag\":\"0x9000001A\""));
  free(j);
}

static void a_plain_directory_has_none(void **state) {
  (void)state;
  slink_info info = from_stat(SLINK_KIND_DIR, 0x10u, 0);
  assert_int_equal(info.kind, SLINK_KIND_DIR);
  assert_true(info.tag == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_placeholder_keeps_its_tag),
    cmocka_unit_test(a_plain_directory_has_none),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
