/* Path arithmetic: relative paths, tidying, and the internal helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/internal.h"
#include "sys.h"

static void check_rel(const char *from, const char *to, const char *want) {
  char *r = slink_path_relative(from, to);
  assert_non_null(r);
  assert_string_equal(r, want);
  free(r);
}

static void relative_paths(void **state) {
  (void)state;
  check_rel("/a/b", "/a/b/c", "c");
  check_rel("/a/b", "/a/c", "../c");
  check_rel("/a/b/c", "/x", "../../../x");
  check_rel("/a", "/a", ".");
  check_rel("/", "/etc/passwd", "etc/passwd");
  check_rel("/a/b", "/", "../..");
  check_rel("/ab", "/a/b", "../a/b");      /* components, not characters */
  check_rel("/a/b/", "/a//b/c", "c");      /* repeated separators ignored */
}

static void check_tidy(const char *in, const char *want) {
  char *r = slink_path_tidy(in);
  assert_non_null(r);
  assert_string_equal(r, want);
  free(r);
}

static void tidy(void **state) {
  (void)state;
  check_tidy("a//b/./c/", "a/b/c");
  check_tidy("./a", "a");
  check_tidy("/", "/");
  check_tidy("//a", "/a");
  check_tidy(".", ".");
  check_tidy("./", ".");
  check_tidy("a/../b", "a/../b");          /* ".." needs the filesystem */
  assert_null(slink_path_tidy(NULL));
}

static void dirname_basename_join(void **state) {
  (void)state;
  char *d = slink__path_dirname("a/b/c");
  assert_string_equal(d, "a/b");
  free(d);
  d = slink__path_dirname("c");
  assert_string_equal(d, ".");
  free(d);
  d = slink__path_dirname("/c");
  assert_string_equal(d, "/");
  free(d);
  d = slink__path_dirname("a/b//");
  assert_string_equal(d, "a");
  free(d);
  assert_string_equal(slink__path_basename("a/b/c"), "c");
  assert_string_equal(slink__path_basename("c"), "c");
  char *j = slink__path_join(".", "x");
  assert_string_equal(j, "x");
  free(j);
  j = slink__path_join("/", "x");
  assert_string_equal(j, "/x");
  free(j);
  j = slink__path_join("a", "x");
  assert_string_equal(j, "a/x");
  free(j);
  char *s = slink__path_strip_trailing("link///");
  assert_string_equal(s, "link");
  free(s);
  s = slink__path_strip_trailing("/");
  assert_string_equal(s, "/");
  free(s);
}

static void lexical(void **state) {
  (void)state;
  char *r = slink__path_lexical("/a/b/../c/./d");
  assert_string_equal(r, "/a/c/d");
  free(r);
  r = slink__path_lexical("/../..");
  assert_string_equal(r, "/");
  free(r);
}

static void check_str(char *got, const char *want) {
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

/* Drive letters are roots on Windows and ordinary names elsewhere. */
static void drive_letters(void **state) {
  (void)state;
  if (slink__os_is_absolute("C:\\x")) {
    check_str(slink__path_dirname("C:\\link"), "C:\\");
    check_str(slink__path_strip_trailing("C:\\"), "C:\\");
    check_str(slink__path_strip_trailing("C:\\x\\"), "C:\\x");
    check_str(slink__path_lexical("C:\\a\\..\\b"), "C:/b");
    check_str(slink__path_lexical("C:\\..\\.."), "C:/");
    check_str(slink_path_relative("C:/a/b", "D:/x"), "D:/x");
    check_str(slink_path_relative("C:/a/b", "C:/a/x"), "../x");
    char *q = slink_quote("dir\\name", 8);
    check_str(q, "dir\\name");
  } else {
    check_str(slink__path_dirname("C:/link"), "C:");
    check_str(slink__path_strip_trailing("C:/"), "C:");
    check_str(slink_path_relative("/C:/a", "/D:/x"), "../../D:/x");
    check_str(slink_quote("dir\\name", 8), "'dir\\name'");
  }
}

/* The public view of the platform's syntax is the backend's own. */
static void public_syntax(void **state) {
  (void)state;
  const char *paths[] = {"/x", "x", "C:\\x", "c:/x", "C:x", "\\x",
                         "\\\\srv\\share", ""};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
    assert_int_equal(!!slink_path_is_absolute(paths[i]),
                     !!slink__os_is_absolute(paths[i]));
  for (int c = 1; c < 256; c++)
    assert_int_equal(!!slink_path_is_sep((char)c), !!slink__os_is_sep((char)c));
  assert_true(slink_path_is_sep('/'));
  assert_false(slink_path_is_sep(':'));
  assert_true(slink_path_is_absolute("/x"));
  assert_false(slink_path_is_absolute("x/y"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(public_syntax),
    cmocka_unit_test(relative_paths),
    cmocka_unit_test(tidy),
    cmocka_unit_test(dirname_basename_join),
    cmocka_unit_test(lexical),
    cmocka_unit_test(drive_letters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
