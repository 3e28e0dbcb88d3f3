/* src/posix/git2-load.c, the libgit2 loader, built here with the name of
 * a library that does not exist: git_libgit2_init() says so (-1), every
 * time, and nothing else is called; fake-git.c then answers
 * SLINK_ENOTSUP. The real library's side is what every convert test runs
 * through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>

static void missing_library_fails_init(void **state) {
  (void)state;
  assert_int_equal(git_libgit2_init(), -1);
  /* Loaded once: the answer stays. */
  assert_int_equal(git_libgit2_init(), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(missing_library_fails_init),
  };
  return cmocka_run_group_tests_name("git2-load", tests, NULL, NULL);
}
