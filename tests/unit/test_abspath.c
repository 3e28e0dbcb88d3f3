/* slink_path_absolute(): a name's full path, its directory resolved and
 * the name itself never followed (what junction's "Created:" shows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slink.h"

static char base[PATH_MAX];  /* the temporary directory, canonical */

static int setup(void **state) {
  (void)state;
  char tmpl[] = "/tmp/slink-abspath-XXXXXX";
  if (!mkdtemp(tmpl) || !realpath(tmpl, base) || chdir(base) != 0)
    return -1;
  if (mkdir("dir", 0755) != 0 || symlink("dir", "dirlink") != 0 ||
      symlink("dir", "dir/self") != 0)
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[PATH_MAX + 64];
  if (chdir("/") != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

static void expect(const char *path, const char *tail) {
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s%s", base, tail);
  char *out = NULL;
  assert_int_equal(slink_path_absolute(path, &out), 0);
  assert_non_null(out);
  assert_string_equal(out, want);
  free(out);
}

static void a_name_here(void **state) {
  (void)state;
  expect("missing", "/missing");
  expect("dir", "/dir");
  expect("./dir/", "/dir");
}

static void the_last_link_is_not_followed(void **state) {
  (void)state;
  expect("dirlink", "/dirlink");
  expect("dirlink/", "/dirlink");
  expect("dir/self", "/dir/self");
}

static void links_in_the_directory_part_are(void **state) {
  (void)state;
  expect("dirlink/self", "/dir/self");
  expect("dirlink/new", "/dir/new");
  expect("dir/../dirlink", "/dirlink");
}

static void dot_and_dotdot_name_directories(void **state) {
  (void)state;
  expect(".", "");
  expect("dir/..", "");
  expect("dirlink/.", "/dir");
}

static void absolute_and_root(void **state) {
  (void)state;
  char *out = NULL;
  assert_int_equal(slink_path_absolute("/", &out), 0);
  assert_string_equal(out, "/");
  free(out);
  char abs[PATH_MAX + 64];
  snprintf(abs, sizeof abs, "%s/dirlink", base);
  expect(abs, "/dirlink");
}

static void empty_is_an_error(void **state) {
  (void)state;
  char *out = (char *)"x";
  assert_int_equal(slink_path_absolute("", &out), SLINK_EEMPTYPATH);
  assert_null(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_name_here),
    cmocka_unit_test(the_last_link_is_not_followed),
    cmocka_unit_test(links_in_the_directory_part_are),
    cmocka_unit_test(dot_and_dotdot_name_directories),
    cmocka_unit_test(absolute_and_root),
    cmocka_unit_test(empty_is_an_error),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
