/*
 * The Git backend for builds without libgit2 (src/lib/fake-git-cli.c),
 * linked in place of the libgit2 one: a checkout made by git with
 * core.symlinks=false, its placeholders recognised, converted and
 * converted back, and git's own diff-files clean after each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "slink.h"

static char w[256];

static int sh(const char *fmt, const char *arg) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, fmt, arg, arg, arg, arg);
  return system(cmd);
}

static char *at(const char *rel) {
  static char p[2][512];
  static int k;
  k ^= 1;
  snprintf(p[k], sizeof p[k], "%s/%s", w, rel);
  return p[k];
}

static int setup(void **s) {
  (void)s;
  snprintf(w, sizeof w, "%s/slink-git-cli.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(w))
    return 1;
  return sh("set -e; cd '%s'; git init -q src; mkdir src/d; echo x > src/d/f;"
            " ln -s d/f src/l; ln -s ../../x src/d/up; cd src;"
            " git add -A; git -c user.name=t -c user.email=t@t commit -qm i;"
            " cd ..; git clone -q -c core.symlinks=false src co",
            w);
}

static int teardown(void **s) {
  (void)s;
  return sh("rm -rf '%s'", w);
}

static void placeholders_both_ways(void **s) {
  (void)s;
  slink_fakes *run;
  slink_fake f;
  assert_int_equal(slink_fakes_new(&run), 0);
  assert_int_equal(slink_fake_read(run, at("co/l"), &f), 0);
  assert_int_equal(f.kind, SLINK_KIND_GIT_PLACEHOLDER);
  assert_string_equal(f.target, "d/f");
  slink_fake_free(&f);
  slink_converted cv;
  assert_int_equal(slink_convert(run, at("co/l"), SLINK_TO_NATIVE, 0, &cv), 0);
  assert_int_equal(cv.to_kind, SLINK_KIND_SYMLINK);
  slink_converted_free(&cv);
  /* leaves the work tree: refused */
  assert_int_equal(slink_convert(run, at("co/d/up"), SLINK_TO_NATIVE, 0, &cv),
                   SLINK_EESCAPES);
  slink_converted_free(&cv);
  assert_int_equal(slink_fakes_end(run), 0);
  char t[16] = "";
  assert_int_equal(readlink(at("co/l"), t, sizeof t - 1), 3);
  assert_int_equal(sh("git -C '%s/co' diff-files --quiet", w), 0);

  assert_int_equal(slink_fakes_new(&run), 0);
  assert_int_equal(
      slink_convert(run, at("co/l"), SLINK_TO_PLACEHOLDER, 0, &cv), 0);
  slink_converted_free(&cv);
  assert_int_equal(slink_fakes_end(run), 0);
  assert_int_equal(sh("test ! -L '%s/co/l' && git -C '%s/co' diff-files --quiet",
                      w), 0);
  /* edited: left alone */
  assert_int_equal(sh("printf 'd/g' > '%s/co/l'", w), 0);
  assert_int_equal(slink_fakes_new(&run), 0);
  assert_int_equal(slink_convert(run, at("co/l"), SLINK_TO_NATIVE, 0, &cv),
                   SLINK_EFAKE_EDITED);
  slink_converted_free(&cv);
  assert_int_equal(slink_fakes_end(run), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(placeholders_both_ways),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
