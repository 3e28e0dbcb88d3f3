/* The library on a real POSIX filesystem, in a fresh temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slink.h"
#include "sys.h"

static char base[256];

static int setup(void **state) {
  (void)state;
  strcpy(base, "/tmp/slink-unit-XXXXXX");
  if (!mkdtemp(base) || chdir(base) != 0)
    return -1;
  if (mkdir("original", 0755) != 0)
    return -1;
  FILE *f = fopen("original/text.txt", "w");
  if (!f)
    return -1;
  fputs("hello\n", f);
  fclose(f);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  if (chdir("/") != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

static char *link_text(const char *path) {
  static char buf[4096];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return buf;
}

static void symlink_as_given(void **state) {
  (void)state;
  slink_made m;
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, 0, NULL};
  assert_int_equal(slink_make("s", "original", &o, &m), 0);
  assert_int_equal(m.kind, SLINK_KIND_DIR_SYMLINK);
  assert_string_equal(m.target, "original");
  assert_int_equal(m.warnings, 0);
  slink_made_free(&m);
  assert_string_equal(link_text("s"), "original");

  slink_info in;
  assert_int_equal(slink_read("s/", SLINK_READ_RESOLVE, &in), 0);
  assert_int_equal(in.kind, SLINK_KIND_DIR_SYMLINK);
  assert_int_equal(in.target_kind, SLINK_KIND_DIR);
  assert_string_equal(in.target, "original");
  assert_int_equal(in.states, SLINK_STATE_OK | SLINK_STATE_RELATIVE);
  char want[300];
  snprintf(want, sizeof want, "%s/original", base);
  assert_string_equal(in.resolved, want);
  slink_info_free(&in);
}

static void dangling_symlink_warns(void **state) {
  (void)state;
  slink_made m;
  assert_int_equal(slink_make("d", "nowhere", NULL, &m), 0);
  assert_int_equal(m.warnings, SLINK_WARN_DANGLING);
  assert_int_equal(m.kind, SLINK_KIND_SYMLINK);
  slink_made_free(&m);
  slink_info in;
  assert_int_equal(slink_read("d", SLINK_READ_RESOLVE, &in), 0);
  assert_true(in.states & SLINK_STATE_DANGLING);
  assert_false(in.states & SLINK_STATE_OK);
  slink_info_free(&in);
}

static void junction_is_absolute_symlink_here(void **state) {
  (void)state;
  slink_made m;
  slink_make_opts o = {SLINK_MAKE_JUNCTION, 0, NULL};
  assert_int_equal(slink_make("j", "original", &o, &m), 0);
  assert_int_equal(m.kind, SLINK_KIND_DIR_SYMLINK);
  assert_true(m.warnings & SLINK_WARN_JUNCTION_AS_SYMLINK);
  char want[300];
  snprintf(want, sizeof want, "%s/original", base);
  assert_string_equal(link_text("j"), want);
  slink_made_free(&m);
  /* A junction needs an existing directory. */
  assert_int_equal(slink_make("j2", "missing", &o, &m), SLINK_ENOTARGET);
  assert_string_equal(m.error_path, "missing");
  assert_int_equal(slink_make("j2", "original/text.txt", &o, &m),
                   SLINK_ETARGETNOTDIR);
  assert_int_equal(access("j2", F_OK), -1);
}

static void relative_from_real_parent(void **state) {
  (void)state;
  assert_int_equal(mkdir("deep", 0755), 0);
  assert_int_equal(mkdir("deep/er", 0755), 0);
  assert_int_equal(symlink("deep/er", "via"), 0);
  slink_made m;
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_RELATIVE, NULL};
  /* The link's directory is reached through a symlink: the relative path
   * must be computed from where it really is, as "ln -r" does. */
  assert_int_equal(slink_make("via/r", "original/text.txt", &o, &m), 0);
  assert_string_equal(m.target, "../../original/text.txt");
  slink_made_free(&m);
  FILE *f = fopen("via/r", "r");
  assert_non_null(f);
  fclose(f);
}

static void hard_links(void **state) {
  (void)state;
  slink_made m;
  slink_make_opts o = {SLINK_MAKE_HARD, 0, NULL};
  assert_int_equal(slink_make("h", "original/text.txt", &o, &m), 0);
  struct stat a, b;
  assert_int_equal(stat("h", &a), 0);
  assert_int_equal(stat("original/text.txt", &b), 0);
  assert_int_equal(a.st_ino, b.st_ino);
  assert_int_equal(a.st_nlink, 2);
  /* POSIX keeps no list of a file's names: callers walk a tree. */
  char **names;
  size_t count;
  assert_int_equal(slink_file_names("h", &names, &count), SLINK_ENOTSUP);
  assert_int_equal(slink_make("h2", "original", &o, &m), SLINK_EHARDLINKDIR);
  assert_int_equal(slink_make("h2", "gone", &o, &m), SLINK_ENOTARGET);

  slink_removed r;
  assert_int_equal(slink_remove("h", 0, &r), 0);
  assert_int_equal(r.names_left, 1);
  assert_int_equal(access("original/text.txt", F_OK), 0);
  /* The last name of a file is not a link. */
  assert_int_equal(slink_remove("original/text.txt", 0, &r), SLINK_ENOTLINK);
  assert_int_equal(access("original/text.txt", F_OK), 0);
}

static void existing_and_force(void **state) {
  (void)state;
  slink_made m;
  assert_int_equal(symlink("original", "e"), 0);
  assert_int_equal(slink_make("e", "original/text.txt", NULL, &m), SLINK_EEXIST);
  assert_string_equal(link_text("e"), "original");
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
  assert_int_equal(slink_make("e", "original/text.txt", &o, &m), 0);
  assert_true(m.warnings & SLINK_WARN_REPLACED);
  slink_made_free(&m);
  assert_string_equal(link_text("e"), "original/text.txt");
  /* A real directory is never replaced, even with force. */
  assert_int_equal(slink_make("original", "x", &o, &m), SLINK_EDIRNOTREPLACED);
  assert_int_equal(access("original/text.txt", F_OK), 0);
  /* No temporary names are left behind. */
  char **names;
  size_t n;
  assert_int_equal(slink_list_dir(".", &names, &n), 0);
  for (size_t i = 0; i < n; i++)
    assert_null(strstr(names[i], ".slink-"));
  slink_names_free(names, n);
}

static void remove_never_touches_targets(void **state) {
  (void)state;
  assert_int_equal(symlink("original", "l"), 0);
  slink_removed r;
  assert_int_equal(slink_remove("l/", SLINK_REMOVE_DRY_RUN, &r), 0);
  assert_int_equal(r.kind, SLINK_KIND_DIR_SYMLINK);
  assert_int_equal(access("l", F_OK), 0);
  assert_int_equal(slink_remove("l/", 0, &r), 0);
  assert_int_equal(access("l", F_OK), -1);
  assert_int_equal(access("original/text.txt", F_OK), 0);
  assert_int_equal(slink_remove("original", 0, &r), SLINK_EISDIR);
  assert_int_equal(slink_remove("nothing", 0, &r), SLINK_ENOENT);
  assert_int_equal(slink_remove("", 0, &r), SLINK_EEMPTYPATH);
}

static void bad_places(void **state) {
  (void)state;
  slink_made m;
  assert_int_equal(slink_make("no/such/dir/l", "original", NULL, &m),
                   SLINK_ENOPARENT);
  assert_string_equal(m.error_path, "no/such/dir/l");
  assert_int_equal(slink_make("original/text.txt/l", "original", NULL, &m),
                   SLINK_ENOTDIR);
  assert_int_equal(slink_make("", "original", NULL, &m), SLINK_EEMPTYPATH);
  assert_int_equal(slink_make("x", "", NULL, &m), SLINK_EEMPTYPATH);
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FILE, NULL};
  assert_int_equal(slink_make("x", "original", &o, &m), SLINK_ETARGETISDIR);
  o.flags = SLINK_MAKE_DIR;
  assert_int_equal(slink_make("x", "original/text.txt", &o, &m),
                   SLINK_ETARGETNOTDIR);
  assert_int_equal(access("x", F_OK), -1);
}

static void long_targets_read_whole(void **state) {
  (void)state;
  char target[3000];
  for (size_t i = 0; i < sizeof target - 1; i++)
    target[i] = (char)('a' + i % 26);
  target[sizeof target - 1] = '\0';
  for (size_t len = 255; len <= 2999; len += 372) {
    char t[3000];
    memcpy(t, target, len);
    t[len] = '\0';
    unlink("long");
    assert_int_equal(symlink(t, "long"), 0);
    slink_info in;
    assert_int_equal(slink_read("long", 0, &in), 0);
    assert_int_equal(in.target_len, len);
    assert_memory_equal(in.target, t, len + 1);
    slink_info_free(&in);
  }
}

static void loops_and_listing(void **state) {
  (void)state;
  assert_int_equal(symlink("b", "a"), 0);
  assert_int_equal(symlink("a", "b"), 0);
  slink_info in;
  assert_int_equal(slink_read("a", SLINK_READ_RESOLVE, &in), 0);
  assert_int_equal(in.kind, SLINK_KIND_SYMLINK);
  assert_true(in.states & SLINK_STATE_LOOP);
  assert_null(in.resolved);
  slink_info_free(&in);
  char **names;
  size_t n;
  assert_int_equal(slink_list_dir(".", &names, &n), 0);
  assert_int_equal(n, 3);
  assert_string_equal(names[0], "a");
  assert_string_equal(names[1], "b");
  assert_string_equal(names[2], "original");
  slink_names_free(names, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(symlink_as_given, setup, teardown),
    cmocka_unit_test_setup_teardown(dangling_symlink_warns, setup, teardown),
    cmocka_unit_test_setup_teardown(junction_is_absolute_symlink_here, setup, teardown),
    cmocka_unit_test_setup_teardown(relative_from_real_parent, setup, teardown),
    cmocka_unit_test_setup_teardown(hard_links, setup, teardown),
    cmocka_unit_test_setup_teardown(existing_and_force, setup, teardown),
    cmocka_unit_test_setup_teardown(remove_never_touches_targets, setup, teardown),
    cmocka_unit_test_setup_teardown(bad_places, setup, teardown),
    cmocka_unit_test_setup_teardown(long_targets_read_whole, setup, teardown),
    cmocka_unit_test_setup_teardown(loops_and_listing, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
