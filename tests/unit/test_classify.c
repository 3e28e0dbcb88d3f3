/* Link states worked out by slink_classify() on a real tree, and the
 * text forms slink_target_shorten() gives. */
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

static char base[PATH_MAX];  /* canonical path of the test tree */

static int setup(void **state) {
  (void)state;
  char tmpl[] = "/tmp/slink-classify-XXXXXX";
  if (!mkdtemp(tmpl) || !realpath(tmpl, base) || chdir(base) != 0)
    return -1;
  if (mkdir("root", 0755) != 0 || mkdir("root/dir", 0755) != 0 ||
      mkdir("outside", 0755) != 0)
    return -1;
  FILE *f = fopen("root/file", "w");
  if (!f)
    return -1;
  fclose(f);
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

/* Classify a link stored in BASE/root holding TARGET, measured against
 * BASE/root. Returns the states; *RESOLVED (may be NULL) gets a copy. */
static unsigned classify(const char *target, char **resolved,
                         slink_kind *kind) {
  char dir[PATH_MAX + 64], root[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/root", base);
  snprintf(root, sizeof root, "%s/root", base);
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_SYMLINK;
  assert_int_equal(slink_classify(dir, target, strlen(target), root, &in), 0);
  unsigned s = in.states;
  if (resolved)
    *resolved = in.resolved ? strdup(in.resolved) : NULL;
  if (kind)
    *kind = in.kind;
  slink_info_free(&in);
  return s;
}

static void ok_relative_and_kinds(void **state) {
  (void)state;
  char *r;
  slink_kind k;
  assert_int_equal(classify("file", &r, &k),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s/root/file", base);
  assert_string_equal(r, want);
  assert_int_equal(k, SLINK_KIND_SYMLINK);
  free(r);
  assert_int_equal(classify("dir", NULL, &k),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  assert_int_equal(k, SLINK_KIND_DIR_SYMLINK);
}

static void dangling_says_where(void **state) {
  (void)state;
  char *r;
  assert_int_equal(classify("dir/missing/deeper", &r, NULL),
                   SLINK_STATE_DANGLING | SLINK_STATE_RELATIVE);
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s/root/dir/missing/deeper", base);
  assert_string_equal(r, want);
  free(r);
  /* A file used as a directory. */
  assert_int_equal(classify("file/x", NULL, NULL),
                   SLINK_STATE_DANGLING | SLINK_STATE_RELATIVE);
  assert_int_equal(classify("file/", NULL, NULL),
                   SLINK_STATE_DANGLING | SLINK_STATE_RELATIVE |
                       SLINK_STATE_MESSY);
}

static void loops_end(void **state) {
  (void)state;
  assert_int_equal(symlink("self", "root/self"), 0);
  assert_int_equal(symlink("b", "root/a"), 0);
  assert_int_equal(symlink("a", "root/b"), 0);
  /* Grows with every turn: only the hop limit can stop it. */
  assert_int_equal(symlink("grow/x", "root/grow"), 0);
  char *r;
  assert_int_equal(classify("self", &r, NULL),
                   SLINK_STATE_LOOP | SLINK_STATE_RELATIVE);
  assert_null(r);
  assert_int_equal(classify("a", NULL, NULL),
                   SLINK_STATE_LOOP | SLINK_STATE_RELATIVE);
  assert_int_equal(classify("grow", NULL, NULL),
                   SLINK_STATE_LOOP | SLINK_STATE_RELATIVE);
}

/* A chain of N links ending at the file. */
static void chain(int n) {
  char name[32], next[32];
  for (int i = 0; i < n; i++) {
    snprintf(name, sizeof name, "root/c%d", i);
    if (i + 1 < n)
      snprintf(next, sizeof next, "c%d", i + 1);
    else
      snprintf(next, sizeof next, "file");
    unlink(name);
    assert_int_equal(symlink(next, name), 0);
  }
}

static void hop_limit_is_forty(void **state) {
  (void)state;
  /* The link being classified is one hop; c0..c38 are 39 more. */
  chain(39);
  assert_int_equal(classify("c0", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  /* One more than the kernel follows: a chain too long, not a loop. */
  chain(40);
  assert_int_equal(classify("c0", NULL, NULL),
                   SLINK_STATE_TOO_LONG | SLINK_STATE_RELATIVE);
  assert_int_equal(classify("c1", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  /* A ring longer than forty links is still a loop. */
  chain(60);
  unlink("root/c59");
  assert_int_equal(symlink("c0", "root/c59"), 0);
  assert_int_equal(classify("c0", NULL, NULL),
                   SLINK_STATE_LOOP | SLINK_STATE_RELATIVE);
}

static void through_a_linked_directory(void **state) {
  (void)state;
  assert_int_equal(symlink("dir", "root/dirlink"), 0);
  FILE *f = fopen("root/dir/inner", "w");
  assert_non_null(f);
  fclose(f);
  char *r;
  assert_int_equal(classify("dirlink/inner", &r, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s/root/dir/inner", base);
  assert_string_equal(r, want);
  free(r);
  /* dirlink/.. is root (dir's parent), so this finds root/file. */
  assert_int_equal(classify("dirlink/../file", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE | SLINK_STATE_MESSY |
                       SLINK_STATE_LENGTHY);
}

static void escapes_and_above_root(void **state) {
  (void)state;
  char *r;
  assert_int_equal(classify("../outside", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE |
                       SLINK_STATE_ESCAPES);
  assert_int_equal(classify("../../../../../../../../../../..", &r, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE |
                       SLINK_STATE_LENGTHY | SLINK_STATE_ESCAPES);
  assert_string_equal(r, "/");
  free(r);
  /* Dangling and outside: still escapes (the zip-slip case). */
  assert_int_equal(classify("../../etc-nothing-here", NULL, NULL),
                   SLINK_STATE_DANGLING | SLINK_STATE_RELATIVE |
                       SLINK_STATE_ESCAPES);
  /* Without a root nothing escapes. */
  char dir[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/root", base);
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_SYMLINK;
  assert_int_equal(slink_classify(dir, "../outside", 10, NULL, &in), 0);
  assert_int_equal(in.states, SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  slink_info_free(&in);
}

static void absolute_messy_lengthy(void **state) {
  (void)state;
  char t[PATH_MAX + 64];
  snprintf(t, sizeof t, "%s/root/file", base);
  assert_int_equal(classify(t, NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_ABSOLUTE);
  snprintf(t, sizeof t, "%s/root/./file", base);
  assert_int_equal(classify(t, NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_ABSOLUTE | SLINK_STATE_MESSY);
  assert_int_equal(classify("./file", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE | SLINK_STATE_MESSY);
  assert_int_equal(classify("dir//../file", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE | SLINK_STATE_MESSY |
                       SLINK_STATE_LENGTHY);
  assert_int_equal(classify("../root/file", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE | SLINK_STATE_LENGTHY);
  /* ".." alone is neither: nothing shorter says it. */
  assert_int_equal(classify("..", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE |
                       SLINK_STATE_ESCAPES);
  assert_int_equal(classify(".", NULL, NULL),
                   SLINK_STATE_OK | SLINK_STATE_RELATIVE);
}

static void shorten_by_text(void **state) {
  (void)state;
  char *s;
  s = slink_target_shorten("/a/b", "../b/x", 0);
  assert_string_equal(s, "x");
  free(s);
  s = slink_target_shorten("/a/b", "./x//y/", 0);
  assert_string_equal(s, "x/y");
  free(s);
  s = slink_target_shorten("/a/b", "/a/b/../c", 0);
  assert_string_equal(s, "/a/c");
  free(s);
  s = slink_target_shorten("/a/b", "/a/c/x", 1);
  assert_string_equal(s, "../c/x");
  free(s);
  s = slink_target_shorten("/a/b", "/a/b", 1);
  assert_string_equal(s, ".");
  free(s);
  s = slink_target_shorten("/", "/usr/lib", 1);
  assert_string_equal(s, "usr/lib");
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(ok_relative_and_kinds, setup, teardown),
    cmocka_unit_test_setup_teardown(dangling_says_where, setup, teardown),
    cmocka_unit_test_setup_teardown(loops_end, setup, teardown),
    cmocka_unit_test_setup_teardown(hop_limit_is_forty, setup, teardown),
    cmocka_unit_test_setup_teardown(through_a_linked_directory, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(escapes_and_above_root, setup, teardown),
    cmocka_unit_test_setup_teardown(absolute_messy_lengthy, setup, teardown),
    cmocka_unit_test(shorten_by_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
