/* slink_walk() on real trees: order, threads, flags, stopping, odd roots,
 * wide and deep directories. */
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

static char base[PATH_MAX];

static int setup(void **state) {
  (void)state;
  char tmpl[] = "/tmp/slink-walk-XXXXXX";
  if (!mkdtemp(tmpl) || !realpath(tmpl, base) || chdir(base) != 0)
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

/* Every path handed over, one per line. */
typedef struct seen {
  char *text;
  size_t len, cap;
  size_t count, errors, stop_after;
  int kinds_ok;
} seen;

static int collect(const slink_walk_entry *e, void *p) {
  seen *s = p;
  if (s->len + e->path_len + 2 > s->cap) {
    s->cap = (s->cap + e->path_len + 2) * 2;
    s->text = realloc(s->text, s->cap);
    assert_non_null(s->text);
  }
  memcpy(s->text + s->len, e->path, e->path_len);
  s->len += e->path_len;
  s->text[s->len++] = '\n';
  s->text[s->len] = '\0';
  s->count++;
  if (e->error)
    s->errors++;
  if (e->info && e->info->kind != e->kind)
    s->kinds_ok = 0;
  if (s->stop_after && s->count == s->stop_after)
    return 7;
  return 0;
}

static void touch(const char *p) {
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fclose(f);
}

static void small_tree(void) {
  assert_int_equal(mkdir("t", 0755), 0);
  assert_int_equal(mkdir("t/b", 0755), 0);
  assert_int_equal(mkdir("t/a", 0755), 0);
  touch("t/file");
  touch("t/a/f");
  assert_int_equal(symlink("file", "t/z-link"), 0);
  assert_int_equal(symlink("../file", "t/b/up"), 0);
  assert_int_equal(symlink("..", "t/a/parent"), 0);  /* never entered */
  assert_int_equal(symlink("nowhere", "t/a/gone"), 0);
}

static void links_in_order(void **state) {
  (void)state;
  small_tree();
  seen s = {NULL, 0, 0, 0, 0, 0, 1};
  assert_int_equal(slink_walk("t", SLINK_WALK_CLASSIFY, collect, &s), 0);
  assert_string_equal(s.text, "t/z-link\nt/a/gone\nt/a/parent\nt/b/up\n");
  assert_int_equal(s.kinds_ok, 1);
  free(s.text);
}

static void all_entries(void **state) {
  (void)state;
  small_tree();
  seen s = {NULL, 0, 0, 0, 0, 0, 1};
  assert_int_equal(slink_walk("t/", SLINK_WALK_ALL, collect, &s), 0);
  assert_string_equal(s.text, "t/a\nt/b\nt/file\nt/z-link\n"
                              "t/a/f\nt/a/gone\nt/a/parent\nt/b/up\n");
  free(s.text);
}

/* Many directories: every mode finds the same, the ordered ones in the
 * same order. */
static void threads_same_order(void **state) {
  (void)state;
  char p[64];
  assert_int_equal(mkdir("m", 0755), 0);
  for (int i = 0; i < 60; i++) {
    snprintf(p, sizeof p, "m/d%02d", i);
    assert_int_equal(mkdir(p, 0755), 0);
    for (int j = 0; j < 5; j++) {
      snprintf(p, sizeof p, "m/d%02d/e%d", i, j);
      assert_int_equal(mkdir(p, 0755), 0);
      snprintf(p, sizeof p, "m/d%02d/e%d/l", i, j);
      assert_int_equal(symlink("../../nowhere", p), 0);
    }
  }
  seen one = {NULL, 0, 0, 0, 0, 0, 1}, two = {NULL, 0, 0, 0, 0, 0, 1},
       any = {NULL, 0, 0, 0, 0, 0, 1};
  assert_int_equal(slink_walk("m", SLINK_WALK_CLASSIFY, collect, &one), 0);
  assert_int_equal(slink_walk("m", SLINK_WALK_CLASSIFY | SLINK_WALK_PARALLEL,
                              collect, &two), 0);
  assert_int_equal(slink_walk("m", SLINK_WALK_CLASSIFY | SLINK_WALK_PARALLEL |
                                       SLINK_WALK_UNORDERED,
                              collect, &any), 0);
  assert_int_equal(one.count, 300);
  assert_string_equal(one.text, two.text);
  assert_int_equal(any.count, 300);
  free(one.text);
  free(two.text);
  free(any.text);
}

static void callback_stops_the_walk(void **state) {
  (void)state;
  small_tree();
  const unsigned modes[] = {0, SLINK_WALK_PARALLEL, SLINK_WALK_UNORDERED,
                            SLINK_WALK_UNORDERED | SLINK_WALK_PARALLEL};
  for (unsigned m = 0; m < 4; m++) {
    seen s = {NULL, 0, 0, 0, 0, 2, 1};
    unsigned f = SLINK_WALK_ALL | modes[m];
    assert_int_equal(slink_walk("t", f, collect, &s), 7);
    assert_int_equal(s.count, 2);
    free(s.text);
  }
}

static void odd_roots(void **state) {
  (void)state;
  small_tree();
  seen s = {NULL, 0, 0, 0, 0, 0, 1};
  /* A link is handed over itself, not entered. */
  assert_int_equal(symlink("t", "tl"), 0);
  assert_int_equal(slink_walk("tl", SLINK_WALK_CLASSIFY, collect, &s), 0);
  assert_string_equal(s.text, "tl\n");
  free(s.text);
  memset(&s, 0, sizeof s);
  assert_int_equal(slink_walk("t/file", 0, collect, &s), SLINK_ENOTDIR);
  assert_int_equal(s.errors, 1);
  free(s.text);
  memset(&s, 0, sizeof s);
  assert_int_equal(slink_walk("missing", 0, collect, &s), SLINK_ENOENT);
  assert_int_equal(s.errors, 1);
  free(s.text);
  assert_int_equal(slink_walk("", 0, collect, &s), SLINK_EEMPTYPATH);
}

static void wide_and_deep(void **state) {
  (void)state;
  char p[64];
  assert_int_equal(mkdir("w", 0755), 0);
  for (int i = 0; i < 3000; i++) {
    snprintf(p, sizeof p, "w/l%04d", i);
    assert_int_equal(symlink("x", p), 0);
  }
  seen s = {NULL, 0, 0, 0, 0, 0, 1};
  assert_int_equal(slink_walk("w", 0, collect, &s), 0);
  assert_int_equal(s.count, 3000);
  assert_memory_equal(s.text, "w/l0000\nw/l0001\n", 16);
  free(s.text);

  /* 400 levels: no recursion limit, no descriptor per level. */
  assert_int_equal(mkdir("deep", 0755), 0);
  assert_int_equal(chdir("deep"), 0);
  for (int i = 0; i < 400; i++) {
    assert_int_equal(mkdir("d", 0755), 0);
    assert_int_equal(chdir("d"), 0);
  }
  assert_int_equal(symlink("..", "bottom"), 0);
  assert_int_equal(chdir(base), 0);
  memset(&s, 0, sizeof s);
  assert_int_equal(slink_walk("deep", SLINK_WALK_CLASSIFY, collect, &s), 0);
  assert_int_equal(s.count, 1);
  assert_int_equal(s.len, strlen("deep/") + 400 * 2 + strlen("bottom\n"));
  free(s.text);
}

static void mount_point_of_a_file(void **state) {
  (void)state;
  small_tree();
  char *top = NULL;
  assert_int_equal(slink_mount_point("t/a/f", &top), 0);
  struct stat a, b;
  assert_int_equal(stat(top, &a), 0);
  assert_int_equal(stat("t/a/f", &b), 0);
  assert_true(a.st_dev == b.st_dev);
  /* Its parent is another filesystem, or it is the root. */
  char up[PATH_MAX + 64];
  snprintf(up, sizeof up, "%s/..", top);
  assert_int_equal(stat(up, &b), 0);
  assert_true(strcmp(top, "/") == 0 || a.st_dev != b.st_dev);
  free(top);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(links_in_order, setup, teardown),
    cmocka_unit_test_setup_teardown(all_entries, setup, teardown),
    cmocka_unit_test_setup_teardown(threads_same_order, setup, teardown),
    cmocka_unit_test_setup_teardown(callback_stops_the_walk, setup, teardown),
    cmocka_unit_test_setup_teardown(odd_roots, setup, teardown),
    cmocka_unit_test_setup_teardown(wide_and_deep, setup, teardown),
    cmocka_unit_test_setup_teardown(mount_point_of_a_file, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
