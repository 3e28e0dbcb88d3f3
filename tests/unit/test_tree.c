/* The tree walker itself (src/lib/tree.c): the order of its visits, sorted
 * and entries-first, depth without recursion and with few handles (the
 * parents reopened through ".."), and a directory that is a link never
 * entered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hpath.h"
#include "lib/tree.h"
#include "slink.h"

static char base[64];

typedef struct log {
  char text[4096];
  size_t len;
  long dirs, posts, entries, errors;
  size_t deepest;
} log;

static int record(int visit, const slink__tree_ent *e, void *ctx) {
  log *l = ctx;
  static const char *const what[] = {"E", "D", "P", "X"};
  if (e->depth > l->deepest)
    l->deepest = e->depth;
  l->entries += visit == SLINK__TV_ENTRY;
  l->dirs += visit == SLINK__TV_DIR;
  l->posts += visit == SLINK__TV_POST;
  l->errors += visit == SLINK__TV_ERROR;
  if (l->len + e->path_len + 8 < sizeof l->text)
    l->len += (size_t)snprintf(l->text + l->len, sizeof l->text - l->len,
                               "%s %s\n", what[visit], e->path);
  /* A visitor acts only through the handle it is given: check it is
   * the directory holding the entry. */
  if (visit == SLINK__TV_ENTRY && e->dir) {
    slink__stat st;
    assert_int_equal(slink__os_h_lstat(e->dir, e->name, &st, NULL), 0);
  }
  return SLINK__TA_GO;
}

static void touch(const char *p) {
  int fd = open(p, O_CREAT | O_WRONLY, 0644);
  assert_true(fd >= 0);
  close(fd);
}

static int setup(void **state) {
  (void)state;
  strcpy(base, "/tmp/slink-tree-XXXXXX");
  assert_non_null(mkdtemp(base));
  assert_int_equal(chdir(base), 0);
  assert_int_equal(mkdir("t", 0755), 0);
  assert_int_equal(mkdir("t/b", 0755), 0);
  assert_int_equal(mkdir("t/a", 0755), 0);
  touch("t/c");
  touch("t/a/x");
  assert_int_equal(symlink("..", "t/b/up"), 0);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  assert_int_equal(chdir("/"), 0);
  return slink_remove_tree(base, 0, NULL, NULL) == 0 ? 0 : -1;
}

static int walk(const char *path, unsigned flags, log *l) {
  slink__h *dir = NULL;
  char *leaf = NULL;
  int rc = slink__h_parent(path, &dir, &leaf, NULL);
  if (rc < 0)
    return rc;
  rc = slink__tree_walk(dir, leaf, NULL, path, flags, record, l);
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}

static void depth_first_sorted(void **state) {
  (void)state;
  log l = {0};
  assert_int_equal(walk("t", SLINK__TREE_SORTED, &l), 0);
  assert_string_equal(l.text, "E t\nD t\n"
                              "E t/a\nD t/a\nE t/a/x\nP t/a\n"
                              "E t/b\nD t/b\nE t/b/up\nP t/b\n"
                              "E t/c\nP t\n");
  assert_int_equal(l.errors, 0);
}

static void entries_first(void **state) {
  (void)state;
  log l = {0};
  assert_int_equal(
      walk("t", SLINK__TREE_SORTED | SLINK__TREE_ENTRIES_FIRST, &l), 0);
  assert_string_equal(l.text, "E t\nD t\nE t/a\nE t/b\nE t/c\n"
                              "D t/a\nE t/a/x\nP t/a\n"
                              "D t/b\nE t/b/up\nP t/b\nP t\n");
}

static void a_link_operand_is_not_entered(void **state) {
  (void)state;
  log l = {0};
  assert_int_equal(walk("t/b/up", SLINK__TREE_SORTED, &l), 0);
  assert_string_equal(l.text, "E t/b/up\n");
}

/* 3,000 levels with 24 descriptors: the walk neither recurses nor keeps
 * a handle per level; every parent comes back through "..". */
static void deep_with_few_handles(void **state) {
  (void)state;
  enum { DEPTH = 3000 };
  assert_int_equal(mkdir("deep", 0755), 0);
  int fd = open("deep", O_RDONLY | O_DIRECTORY);
  for (int i = 0; i < DEPTH; i++) {
    assert_int_equal(mkdirat(fd, "d", 0755), 0);
    int next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
    close(fd);
    fd = next;
  }
  close(fd);
  struct rlimit old, low;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = 24;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  log l = {0};
  int rc = walk("deep", 0, &l);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
  assert_int_equal(rc, 0);
  assert_int_equal(l.errors, 0);
  assert_int_equal(l.dirs, DEPTH + 1);
  assert_int_equal(l.posts, DEPTH + 1);
  assert_int_equal(l.deepest, DEPTH);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(depth_first_sorted),
    cmocka_unit_test(entries_first),
    cmocka_unit_test(a_link_operand_is_not_entered),
    cmocka_unit_test(deep_with_few_handles),
  };
  return cmocka_run_group_tests_name("tree walker", tests, setup, teardown);
}
