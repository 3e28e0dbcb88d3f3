/* The directory-handle contract of src/sys.h (POSIX backend) and the
 * long-path opener built on it, in a fresh temporary directory. */
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

#include "lib/hpath.h"
#include "lib/internal.h"
#include "slink.h"
#include "sys.h"

static char base[256];

static int setup(void **state) {
  (void)state;
  strcpy(base, "/tmp/slink-handle-XXXXXX");
  if (!mkdtemp(base) || chdir(base) != 0)
    return -1;
  if (mkdir("d", 0755) != 0 || mkdir("other", 0755) != 0)
    return -1;
  FILE *f = fopen("d/file", "w");
  if (!f)
    return -1;
  fputs("keep\n", f);
  fclose(f);
  return symlink("file", "d/link");
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  if (chdir("/") != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

static void open_list_look(void **state) {
  (void)state;
  slink__h *h;
  slink__stat st;
  assert_int_equal(slink__h_open_dir("d", &h, &st, NULL), 0);
  assert_int_equal(st.kind, SLINK_KIND_DIR);
  slink__dirent e;
  int seen = 0, rc;
  while ((rc = slink__os_h_next(h, &e, NULL)) > 0)
    seen += strcmp(e.name, "file") == 0 || strcmp(e.name, "link") == 0;
  assert_int_equal(rc, 0);
  assert_int_equal(seen, 2);
  assert_int_equal(slink__os_h_rewind(h, NULL), 0);
  assert_int_equal(slink__os_h_next(h, &e, NULL), 1);
  slink__stat ls;
  assert_int_equal(slink__os_h_lstat(h, "link", &ls, NULL), 0);
  assert_int_equal(ls.kind, SLINK_KIND_SYMLINK);
  slink_info info;
  memset(&info, 0, sizeof info);
  assert_int_equal(slink__os_h_readlink(h, "link", &info, NULL), 0);
  assert_string_equal(info.target, "file");
  slink_info_free(&info);
  /* A link is never entered without FOLLOW. */
  slink__h *x;
  assert_int_equal(slink__os_h_open(h, "link", 0, NULL, &x, NULL, NULL),
                   SLINK_ENOTDIR);
  slink__os_h_close(h);
}

static void open_checks_identity(void **state) {
  (void)state;
  slink__h *top, *h;
  slink__stat other;
  assert_int_equal(slink__h_open_dir(".", &top, NULL, NULL), 0);
  assert_int_equal(slink__os_h_lstat(top, "other", &other, NULL), 0);
  assert_int_equal(slink__os_h_open(top, "d", 0, &other, &h, NULL, NULL),
                   SLINK_ECHANGED);
  assert_int_equal(slink__os_h_open(top, "other", 0, &other, &h, NULL, NULL),
                   0);
  slink__os_h_close(h);
  /* BENEATH refuses a link on the way and a climb out. */
  assert_int_equal(symlink("d", "dl"), 0);
  assert_int_not_equal(
      slink__os_h_open(top, "dl/x", SLINK__H_BENEATH, NULL, &h, NULL, NULL), 0);
  assert_int_not_equal(
      slink__os_h_open(top, "../", SLINK__H_BENEATH, NULL, &h, NULL, NULL), 0);
  slink__os_h_close(top);
}

static void unlink_only_what_was_checked(void **state) {
  (void)state;
  slink__h *h;
  assert_int_equal(slink__h_open_dir("d", &h, NULL, NULL), 0);
  slink__stat lst, fst;
  assert_int_equal(slink__os_h_lstat(h, "link", &lst, NULL), 0);
  assert_int_equal(slink__os_h_lstat(h, "file", &fst, NULL), 0);
  /* The file swapped in under the link's name survives, under its name. */
  assert_int_equal(rename("d/file", "d/swapped"), 0);
  assert_int_equal(rename("d/link", "d/file"), 0);
  assert_int_equal(rename("d/swapped", "d/link"), 0);
  assert_int_equal(slink__os_h_unlink(h, "link", &lst, 0, NULL),
                   SLINK_ECHANGED);
  struct stat sb;
  assert_int_equal(lstat("d/link", &sb), 0);
  assert_true(S_ISREG(sb.st_mode));
  /* A single-named file is refused as the last name. */
  assert_int_equal(slink__os_h_unlink(h, "link", &fst,
                                      SLINK__UNLINK_NOT_LAST, NULL),
                   SLINK_ENOTLINK);
  assert_int_equal(lstat("d/link", &sb), 0);
  /* The link itself goes. */
  assert_int_equal(slink__os_h_unlink(h, "file", &lst, SLINK__UNLINK_NOT_LAST,
                                      NULL), 0);
  assert_int_not_equal(lstat("d/file", &sb), 0);
  /* Nothing aside is left. */
  slink__dirent e;
  assert_int_equal(slink__os_h_rewind(h, NULL), 0);
  while (slink__os_h_next(h, &e, NULL) > 0)
    assert_false(slink__is_temp_name(e.name, e.name_len));
  slink__os_h_close(h);
}

static void make_rename_remove(void **state) {
  (void)state;
  slink__h *h, *o;
  assert_int_equal(slink__h_open_dir("d", &h, NULL, NULL), 0);
  assert_int_equal(slink__h_open_dir("other", &o, NULL, NULL), 0);
  assert_int_equal(slink__os_h_symlink(h, "s", "file", 0, NULL, NULL), 0);
  assert_int_equal(slink__os_h_symlink(h, "s", "file", 0, NULL, NULL),
                   SLINK_EEXIST);
  assert_int_equal(slink__os_h_hardlink(h, "file", o, "hard", NULL), 0);
  assert_int_equal(slink__os_h_rename(h, "s", h, "link",
                                      SLINK__RENAME_NOREPLACE, NULL),
                   SLINK_EEXIST);
  assert_int_equal(slink__os_h_rename(h, "s", h, "link", 0, NULL), 0);
  assert_int_equal(slink__os_h_mkdir(o, "sub", 0700, NULL), 0);
  assert_int_equal(slink__os_h_rmdir(o, "sub", NULL, NULL), 0);
  assert_int_equal(slink__os_h_may_change(o, NULL, NULL), 0);
  struct stat sb;
  assert_int_equal(stat("other/hard", &sb), 0);
  assert_int_equal((int)sb.st_nlink, 2);
  slink__os_h_close(h);
  slink__os_h_close(o);
}

static void paths_of_any_length(void **state) {
  (void)state;
  /* 5,000 bytes of relative path, made with mkdirat so that no call ever
   * sees it whole. */
  int fd = open(".", O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  char *path = malloc(6000);
  size_t n = 0;
  const char *comp = "a-forty-byte-long-directory-name-000000";
  while (n < 5000) {
    assert_int_equal(mkdirat(fd, comp, 0755), 0);
    int next = openat(fd, comp, O_RDONLY | O_DIRECTORY);
    close(fd);
    fd = next;
    memcpy(path + n, comp, strlen(comp));
    n += strlen(comp);
    path[n++] = '/';
  }
  path[n - 1] = '\0';
  close(fd);
  slink__h *h;
  assert_int_equal(slink__h_open_dir(path, &h, NULL, NULL), 0);
  char *real = NULL;
  assert_int_equal(slink__os_h_realpath(h, &real, NULL), 0);
  assert_true(strlen(real) > 5000);
  assert_string_equal(real + strlen(real) - strlen(comp), comp);
  free(real);
  slink__os_h_close(h);
  char *leaf = NULL;
  assert_int_equal(slink__h_parent(path, &h, &leaf, NULL), 0);
  assert_string_equal(leaf, comp);
  free(leaf);
  slink__os_h_close(h);
  free(path);
  assert_int_equal(system("rm -rf a-forty-byte-long-directory-name-000000"), 0);
}

static void temp_names(void **state) {
  (void)state;
  char t[SLINK__TEMP_LEN + 1];
  slink__temp_name(t);
  assert_int_equal(strlen(t), SLINK__TEMP_LEN);
  assert_true(slink__is_temp_name(t, strlen(t)));
  assert_false(slink__is_temp_name(".slink-XYZ.tmp", 14));
  assert_false(slink__is_temp_name(".slink-0123456789abcdeg.tmp", 27));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(open_list_look, setup, teardown),
    cmocka_unit_test_setup_teardown(open_checks_identity, setup, teardown),
    cmocka_unit_test_setup_teardown(unlink_only_what_was_checked, setup, teardown),
    cmocka_unit_test_setup_teardown(make_rename_remove, setup, teardown),
    cmocka_unit_test_setup_teardown(paths_of_any_length, setup, teardown),
    cmocka_unit_test(temp_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
