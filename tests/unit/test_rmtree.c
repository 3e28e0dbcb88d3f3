/* slink_remove_tree() on a real POSIX filesystem: what goes, what stays,
 * and what is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slink.h"

static char base[256];

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static char *slurp(const char *path) {
  static char buf[256];
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static int setup(void **state) {
  (void)state;
  strcpy(base, "/tmp/slink-rmtree-XXXXXX");
  if (!mkdtemp(base) || chmod(base, 0755) != 0 || chdir(base) != 0)
    return -1;
  /* Something outside every tree, that must survive each test. */
  if (mkdir("outside", 0755) != 0)
    return -1;
  FILE *f = fopen("outside/keep.txt", "w");
  if (!f)
    return -1;
  fputs("keep\n", f);
  fclose(f);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[600];
  if (chdir("/") != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", base, base);
  return system(cmd) == 0 ? 0 : -1;
}

/* Everything the callback was told, one line per event. */
typedef struct events {
  char text[8192];
  size_t len;
  int count, errors;
  int stop_after; /* return 1 at this event (0: never) */
} events;

static int record(const slink_tree_event *ev, void *p) {
  events *e = p;
  assert_int_equal(strlen(ev->path), ev->path_len);
  int n = snprintf(e->text + e->len, sizeof e->text - e->len, "%s %s %s\n",
                   ev->error ? slink_err_name(ev->error) : "ok",
                   slink_kind_name(ev->kind), ev->path);
  if (n > 0 && (size_t)n < sizeof e->text - e->len)
    e->len += (size_t)n;
  e->count++;
  if (ev->error)
    e->errors++;
  return e->stop_after && e->count == e->stop_after ? 1 : 0;
}

static void outside_intact(void) {
  char *s = slurp("outside/keep.txt");
  assert_non_null(s);
  assert_string_equal(s, "keep\n");
}

/* tree/ with files, a directory, links of every sort pointing outside, a
 * FIFO and a second name of an outside file. */
static void make_tree(void) {
  assert_int_equal(mkdir("tree", 0755), 0);
  assert_int_equal(mkdir("tree/sub", 0755), 0);
  assert_int_equal(mkdir("tree/sub/deeper", 0755), 0);
  put("tree/a.txt", "a");
  put("tree/sub/b.txt", "b");
  put("tree/sub/deeper/c.txt", "c");
  assert_int_equal(symlink("../outside", "tree/to-dir"), 0);
  assert_int_equal(symlink("../../outside/keep.txt", "tree/sub/to-file"), 0);
  char abs[512];
  snprintf(abs, sizeof abs, "%s/outside", base);
  assert_int_equal(symlink(abs, "tree/sub/deeper/abs-dir"), 0);
  assert_int_equal(symlink("nowhere", "tree/dangling"), 0);
  assert_int_equal(mkfifo("tree/fifo", 0644), 0);
  assert_int_equal(link("outside/keep.txt", "tree/hard"), 0);
}

static void removes_tree_never_follows(void **state) {
  (void)state;
  make_tree();
  events e = {0};
  assert_int_equal(slink_remove_tree("tree", 0, record, &e), 0);
  assert_int_equal(e.count, 0); /* not verbose, no errors: silence */
  assert_false(exists("tree"));
  outside_intact();
  struct stat st;
  assert_int_equal(stat("outside/keep.txt", &st), 0);
  assert_int_equal(st.st_nlink, 1);
  assert_true(exists("outside"));
}

static void link_operand_is_removed_itself(void **state) {
  (void)state;
  const char *spellings[] = {"l", "l/", "l//", "./l/"};
  for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
    assert_int_equal(symlink("outside", "l"), 0);
    assert_int_equal(slink_remove_tree(spellings[i], 0, NULL, NULL), 0);
    assert_false(exists("l"));
    outside_intact();
  }
  put("file", "x");
  assert_int_equal(slink_remove_tree("file", 0, NULL, NULL), 0);
  assert_false(exists("file"));
}

static void verbose_reports_children_first(void **state) {
  (void)state;
  assert_int_equal(mkdir("t", 0755), 0);
  assert_int_equal(mkdir("t/d", 0755), 0);
  put("t/d/f", "f");
  assert_int_equal(symlink("../outside", "t/d/l"), 0);
  events e = {0};
  assert_int_equal(slink_remove_tree("t/", SLINK_TREE_VERBOSE, record, &e), 0);
  assert_int_equal(e.count, 4);
  /* Order inside a directory is the directory's own; the directory comes
   * after everything in it. */
  assert_non_null(strstr(e.text, "ok file t/d/f\n"));
  assert_non_null(strstr(e.text, "ok symlink t/d/l\n"));
  assert_non_null(strstr(e.text, "ok dir t/d\nok dir t\n"));
  assert_false(exists("t"));
  outside_intact();
}

static void dry_run_changes_nothing(void **state) {
  (void)state;
  make_tree();
  events e = {0};
  assert_int_equal(slink_remove_tree("tree", SLINK_TREE_DRY_RUN, record, &e),
                   0);
  assert_int_equal(e.count, 12);
  assert_int_equal(e.errors, 0);
  assert_non_null(strstr(e.text, "ok fifo tree/fifo\n"));
  assert_non_null(strstr(e.text, "ok symlink tree/sub/deeper/abs-dir\n"));
  assert_non_null(strstr(e.text, "ok dir tree/sub/deeper\n"));
  assert_non_null(strstr(e.text, "ok dir tree\n"));
  assert_string_equal(e.text + e.len - strlen("ok dir tree\n"),
                      "ok dir tree\n");
  assert_true(exists("tree/sub/deeper/c.txt"));
  assert_true(exists("tree/fifo"));
  assert_true(exists("tree/hard"));
}

static void refusals(void **state) {
  (void)state;
  assert_int_equal(mkdir("d", 0755), 0);
  struct {
    const char *path;
    int code;
    const char *reported;
  } cases[] = {
    {"/", SLINK_EISROOT, "/"},     {"//", SLINK_EISROOT, "//"},
    {".", SLINK_EISDOT, "."},      {"..", SLINK_EISDOT, ".."},
    {"d/..", SLINK_EISDOT, "d/.."}, {"d/./", SLINK_EISDOT, "d/."},
    {"", SLINK_EEMPTYPATH, ""},    {"missing", SLINK_ENOENT, "missing"},
    {"d/missing/x", SLINK_ENOENT, "d/missing/x"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    events e = {0};
    assert_int_equal(slink_remove_tree(cases[i].path, 0, record, &e),
                     cases[i].code);
    assert_int_equal(e.count, 1);
    char want[256];
    snprintf(want, sizeof want, "%s none %s\n", slink_err_name(cases[i].code),
             cases[i].reported);
    assert_string_equal(e.text, want);
  }
  assert_int_equal(slink_remove_tree(NULL, 0, NULL, NULL), SLINK_EINVAL);
  assert_true(exists("d"));
}

static void callback_can_stop(void **state) {
  (void)state;
  make_tree();
  events e = {0};
  e.stop_after = 2;
  assert_int_equal(slink_remove_tree("tree", SLINK_TREE_VERBOSE, record, &e),
                   1);
  assert_int_equal(e.count, 2);
  assert_true(exists("tree"));
  outside_intact();
}

/* 20,000 levels with at most 64 descriptors: neither the C stack nor the
 * descriptor table grows with depth. In a tmpfs when there is one, where
 * it takes a second; some disk filesystems take a minute for the rmdirs
 * alone. */
static void deep_tree_few_descriptors(void **state) {
  (void)state;
  enum { DEPTH = 20000 };
  char where[300] = "/dev/shm/slink-deep-XXXXXX";
  if (!mkdtemp(where))
    snprintf(where, sizeof where, "%s/deep-parent", base);
  mkdir(where, 0755);
  char top[320];
  snprintf(top, sizeof top, "%s/deep", where);
  assert_int_equal(mkdir(top, 0755), 0);
  int fd = open(top, O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  for (int i = 0; i < DEPTH; i++) {
    assert_int_equal(mkdirat(fd, "d", 0755), 0);
    int next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
    assert_true(next >= 0);
    close(fd);
    fd = next;
  }
  int leaf = openat(fd, "leaf", O_WRONLY | O_CREAT, 0644);
  assert_true(leaf >= 0);
  close(leaf);
  close(fd);

  struct rlimit old, low;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = 64;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  events e = {0};
  int rc = slink_remove_tree(top, 0, record, &e);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
  int gone = !exists(top);
  rmdir(where);
  assert_int_equal(rc, 0);
  assert_int_equal(e.count, 0);
  assert_true(gone);
}

/* Runs FN as an unprivileged user (root: in a child that drops to 65534),
 * so permission checks apply. Returns FN's result. */
static int as_unprivileged(int (*fn)(void)) {
  if (getuid() != 0)
    return fn();
  if (system("chown 65534:65534 . && chown -R 65534:65534 tree") != 0)
    return -100;
  pid_t pid = fork();
  if (pid == 0) {
    if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
      _exit(100);
    _exit(fn());
  }
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
    return -101;
  return WEXITSTATUS(status);
}

static events perm_events;

static int remove_plain(void) {
  int rc = slink_remove_tree("tree", 0, record, &perm_events);
  /* Exit codes carry: 1 EACCES with exactly the expected reports. */
  if (rc != SLINK_EACCES)
    return 2;
  if (perm_events.errors != 2 || perm_events.count != 2)
    return 3;
  if (!strstr(perm_events.text, "SLINK_EACCES file tree/locked/f1\n") ||
      !strstr(perm_events.text, "SLINK_EACCES file tree/locked/f2\n"))
    return 4;
  return 1;
}

/* A dry run meets the same refusals, and says so, removing nothing. */
static int remove_dry(void) {
  int rc = slink_remove_tree("tree", SLINK_TREE_DRY_RUN, record, &perm_events);
  if (rc != SLINK_EACCES)
    return 2;
  if (perm_events.errors != 2 || perm_events.count != 5)
    return 3;
  if (!strstr(perm_events.text, "SLINK_EACCES file tree/locked/f1\n") ||
      !strstr(perm_events.text, "ok dir tree/open\n") ||
      strstr(perm_events.text, " tree\n"))
    return 4;
  return 1;
}

static int remove_writable(void) {
  return slink_remove_tree("tree", SLINK_TREE_MAKE_WRITABLE, NULL, NULL) == 0
             ? 1 : 2;
}

static void make_locked_tree(void) {
  assert_int_equal(mkdir("tree", 0755), 0);
  assert_int_equal(mkdir("tree/open", 0755), 0);
  assert_int_equal(mkdir("tree/locked", 0755), 0);
  put("tree/open/x", "x");
  put("tree/locked/f1", "1");
  put("tree/locked/f2", "2");
  assert_int_equal(symlink("../../outside", "tree/open/l"), 0);
}

static void no_write_permission_is_per_path(void **state) {
  (void)state;
  make_locked_tree();
  assert_int_equal(chmod("tree/locked", 0555), 0);
  memset(&perm_events, 0, sizeof perm_events);
  assert_int_equal(as_unprivileged(remove_dry), 1);
  assert_true(exists("tree/open/x"));
  memset(&perm_events, 0, sizeof perm_events);
  assert_int_equal(as_unprivileged(remove_plain), 1);
  /* The rest went; what could not go is intact, with what holds it. */
  assert_false(exists("tree/open"));
  assert_string_equal(slurp("tree/locked/f1"), "1");
  assert_string_equal(slurp("tree/locked/f2"), "2");
  outside_intact();
}

static void make_writable_retry(void **state) {
  (void)state;
  make_locked_tree();
  assert_int_equal(chmod("tree/locked", 0500), 0);
  assert_int_equal(as_unprivileged(remove_writable), 1);
  assert_false(exists("tree"));
  outside_intact();
}

static void one_filesystem(void **state) {
  (void)state;
  if (getuid() != 0) {
    printf("# skip: mounting a tmpfs needs root\n");
    skip();
  }
  assert_int_equal(mkdir("tree", 0755), 0);
  assert_int_equal(mkdir("tree/mnt", 0755), 0);
  put("tree/top", "t");
  if (mount("slink-test", "tree/mnt", "tmpfs", 0, "size=1m") != 0) {
    printf("# skip: cannot mount a tmpfs here: %s\n", strerror(errno));
    skip();
  }
  put("tree/mnt/inside", "i");
  events e = {0};
  int rc = slink_remove_tree("tree", SLINK_TREE_ONE_FS, record, &e);
  int inside = exists("tree/mnt/inside");
  int top = exists("tree/top");
  /* Without -x the mount is emptied, and the busy mount point reported. */
  events e2 = {0};
  int rc2 = slink_remove_tree("tree", 0, record, &e2);
  int emptied = !exists("tree/mnt/inside");
  umount2("tree/mnt", MNT_DETACH);
  assert_int_equal(rc, SLINK_EOTHERFS);
  assert_string_equal(e.text, "SLINK_EOTHERFS dir tree/mnt\n");
  assert_true(inside);
  assert_false(top);
  assert_int_equal(rc2, SLINK_EBUSY);
  assert_string_equal(e2.text, "SLINK_EBUSY dir tree/mnt\n");
  assert_true(emptied);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(removes_tree_never_follows, setup, teardown),
    cmocka_unit_test_setup_teardown(link_operand_is_removed_itself, setup, teardown),
    cmocka_unit_test_setup_teardown(verbose_reports_children_first, setup, teardown),
    cmocka_unit_test_setup_teardown(dry_run_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(refusals, setup, teardown),
    cmocka_unit_test_setup_teardown(callback_can_stop, setup, teardown),
    cmocka_unit_test_setup_teardown(deep_tree_few_descriptors, setup, teardown),
    cmocka_unit_test_setup_teardown(no_write_permission_is_per_path, setup, teardown),
    cmocka_unit_test_setup_teardown(make_writable_retry, setup, teardown),
    cmocka_unit_test_setup_teardown(one_filesystem, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
