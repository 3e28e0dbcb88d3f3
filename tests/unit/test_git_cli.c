/*
 * The Git backend for builds without libgit2 (src/lib/fake-git-cli.c),
 * linked in place of the libgit2 one: a checkout made by git with
 * core.symlinks=false, its placeholders recognised, converted and
 * converted back, and git's own diff-files clean after each; then the
 * indexes libgit2 cannot read (split, sparse) and those of a linked
 * worktree and a submodule, made by real git.
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
  char cmd[4096];
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
            w) ||
         sh("set -e; cd '%s'; G='git -c user.name=t -c user.email=t@t';"
            " git init -q t; mkdir t/d t/e; echo x > t/d/f; echo y > t/e/f;"
            " ln -s d/f t/l; ln -s f t/d/l; ln -s ../d/f t/e/l;"
            " (cd t && git add -A && $G commit -qm i);"
            /* a split index: the "link" extension and a sharedindex file */
            " git clone -q -c core.symlinks=false t split;"
            " git -C split config core.splitIndex true;"
            " git -C split update-index --split-index;"
            " ls split/.git/sharedindex.* >/dev/null;"
            /* a sparse index: e/ is one sparse directory entry */
            " git clone -q -c core.symlinks=false t sparse;"
            " git -C sparse sparse-checkout set --cone d;"
            " git -C sparse config index.sparse true;"
            " git -C sparse sparse-checkout reapply;"
            " git -C sparse ls-files --sparse | grep -qx e/;"
            /* skip-worktree set by hand on a file that is there */
            " git clone -q -c core.symlinks=false t skip;"
            " git -C skip update-index --skip-worktree d/l;"
            /* a linked worktree; a submodule */
            " git clone -q -c core.symlinks=false t main;"
            " git -C main worktree add -q ../wt 2>/dev/null;"
            " (cd t && $G -c protocol.file.allow=always submodule add -q ../t"
            " sub >/dev/null 2>&1 && $G commit -qm sub);"
            " $G -c protocol.file.allow=always -c core.symlinks=false clone -q"
            " --recurse-submodules t super 2>/dev/null;"
            " test -f super/sub/l;"
            /* what a checkout without symlinks records in each repository */
            " git -C super/sub config core.symlinks false;"
            " git -C super config core.symlinks false",
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

/* TOP/REL is a placeholder to TARGET: made a link and back, with TOP's
 * git diff-files and git status clean after each. */
static void round_trip(const char *top, const char *rel, const char *target) {
  char path[600], cmd[1400];
  snprintf(path, sizeof path, "%s/%s/%s", w, top, rel);
  snprintf(cmd, sizeof cmd,
           "cd '%s/%s' && git diff-files --quiet &&"
           " test -z \"$(git status --porcelain)\"", w, top);
  for (int back = 0; back < 2; back++) {
    slink_fakes *run;
    slink_converted cv;
    assert_int_equal(slink_fakes_new(&run), 0);
    assert_int_equal(slink_convert(run, path,
                                   back ? SLINK_TO_PLACEHOLDER
                                        : SLINK_TO_NATIVE, 0, &cv), 0);
    assert_int_equal(cv.from_kind, back ? SLINK_KIND_SYMLINK
                                        : SLINK_KIND_GIT_PLACEHOLDER);
    assert_string_equal(cv.target, target);
    slink_converted_free(&cv);
    assert_int_equal(slink_fakes_end(run), 0);
    char t[256] = "";
    ssize_t n = readlink(path, t, sizeof t - 1);
    if (back)
      assert_int_equal(n, -1);
    else
      assert_string_equal(t, target);
    assert_int_equal(system(cmd), 0);
  }
}

static void split_index(void **s) {
  (void)s;
  round_trip("split", "l", "d/f");
  round_trip("split", "d/l", "f");
  /* still split */
  assert_int_equal(sh("cd '%s/split' && ls .git/sharedindex.* >/dev/null &&"
                      " git config core.splitIndex", w), 0);
}

static void sparse_index(void **s) {
  (void)s;
  round_trip("sparse", "d/l", "f");
  round_trip("sparse", "l", "d/f");
  assert_int_equal(sh("git -C '%s/sparse' ls-files --sparse | grep -qx e/",
                      w), 0);
}

static void skip_worktree_refused(void **s) {
  (void)s;
  slink_fakes *run;
  slink_converted cv;
  assert_int_equal(slink_fakes_new(&run), 0);
  assert_int_equal(slink_convert(run, at("skip/d/l"), SLINK_TO_NATIVE, 0, &cv),
                   SLINK_EGITSPARSE);
  slink_converted_free(&cv);
  assert_int_equal(slink_fakes_end(run), 0);
  assert_int_equal(sh("test -f '%s/skip/d/l' && test ! -L '%s/skip/d/l'", w),
                   0);
}

static void worktree_and_submodule(void **s) {
  (void)s;
  round_trip("wt", "e/l", "../d/f");
  round_trip("main", "l", "d/f");
  round_trip("super/sub", "d/l", "f");
  assert_int_equal(sh("cd '%s/super' && git diff-files --quiet &&"
                      " test -z \"$(git status --porcelain)\"", w), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(placeholders_both_ways),
    cmocka_unit_test(split_index),
    cmocka_unit_test(sparse_index),
    cmocka_unit_test(skip_worktree_refused),
    cmocka_unit_test(worktree_and_submodule),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
