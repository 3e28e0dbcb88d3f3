/* Listing against a full read: every directory listed through a handle
 * (slink__os_h_next, which leaves out the call that would return nothing
 * where the filesystem marks its end) and every path the threaded walker
 * finds, compared with readdir read until it says the end. On tmpfs and on
 * ext4 (hash tree and linear), xfs and btrfs images made here, with
 * directories empty, small, wide, and of the longest names (records that
 * fill a listing buffer to the last byte), while a timer's signal keeps
 * cutting listings short: a listing that stops early with room left is
 * then no end, and a rule that took it for one drops entries. A
 * filesystem that cannot be made or mounted here is skipped, saying why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/hpath.h"
#include "lib/internal.h"
#include "slink.h"
#include "sys.h"

static char work[256];

typedef struct fs {
  const char *name;
  const char *mkfs; /* NULL: tmpfs, mounted without an image */
} fs;

static const fs filesystems[] = {
    {"tmpfs", NULL},
    {"ext4", "mkfs.ext4 -q -F"},
    {"ext4-linear", "mkfs.ext4 -q -F -O ^dir_index"},
    {"xfs", "mkfs.xfs -q -f"},
    {"btrfs", "mkfs.btrfs -q -f"},
};

/* ---- names, sorted, one string each ---- */

typedef struct names {
  char **v;
  size_t n, cap;
} names;

static void add(names *s, const char *name) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    assert_non_null(s->v);
  }
  s->v[s->n] = strdup(name);
  assert_non_null(s->v[s->n]);
  s->n++;
}

static int by_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void clear(names *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof *s);
}

static void assert_same(names *a, names *b, const char *what) {
  qsort(a->v, a->n, sizeof *a->v, by_str);
  qsort(b->v, b->n, sizeof *b->v, by_str);
  if (a->n != b->n)
    fail_msg("%s: %zu entries listed, %zu read", what, a->n, b->n);
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]) != 0)
      fail_msg("%s: listed %s, read %s", what, a->v[i], b->v[i]);
}

/* ---- the signal that cuts listings short ---- */

static volatile sig_atomic_t ticks;

static void on_tick(int sig) {
  (void)sig;
  ticks++;
}

static void storm(int on) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_tick : SIG_IGN;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it;
  memset(&it, 0, sizeof it);
  if (on)
    it.it_interval.tv_usec = it.it_value.tv_usec = 300;
  setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- the trees ---- */

static void touch_at(int dir, const char *name) {
  int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
  assert_true(fd >= 0);
  close(fd);
}

static int mkdir_at(int dir, const char *name) {
  assert_int_equal(mkdirat(dir, name, 0755), 0);
  int fd = openat(dir, name, O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  return fd;
}

/* A name of LEN bytes (at most NAME_MAX) that says I. */
static void long_name(char *buf, size_t i, size_t len) {
  int k = snprintf(buf, 32, "n%05zu", i);
  memset(buf + k, 'x', len > (size_t)k ? len - (size_t)k : 0);
  buf[len > (size_t)k ? len : (size_t)k] = '\0';
}

static void make_tree(const char *root) {
  int r = open(root, O_RDONLY | O_DIRECTORY);
  assert_true(r >= 0);
  close(mkdir_at(r, "empty"));
  int d = mkdir_at(r, "one");
  touch_at(d, "only");
  close(d);
  char name[300];
  /* Wide: 3,000 names of every length, some of them directories. */
  d = mkdir_at(r, "wide");
  for (size_t i = 0; i < 3000; i++) {
    long_name(name, i, 1 + i % 255);
    if (i % 97 == 0)
      close(mkdir_at(d, name));
    else
      touch_at(d, name);
  }
  close(d);
  /* The longest names: 280-byte records, 117 to a 32 KiB buffer. */
  d = mkdir_at(r, "max");
  for (size_t i = 0; i < 600; i++) {
    long_name(name, i, 255);
    touch_at(d, name);
  }
  close(d);
  /* Nested, small directories: what a source tree looks like. */
  d = mkdir_at(r, "deep");
  for (int level = 0; level < 8; level++) {
    for (int i = 0; i < 5; i++) {
      snprintf(name, sizeof name, "f%d", i);
      touch_at(d, name);
    }
    assert_int_equal(symlinkat("f0", d, "link"), 0);
    snprintf(name, sizeof name, "side%d", level);
    close(mkdir_at(d, name));
    int next = mkdir_at(d, "down");
    close(d);
    d = next;
  }
  close(d);
  close(r);
}

/* ---- the two ways of reading ---- */

static void read_full(const char *dir, names *out) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      add(out, e->d_name);
    errno = 0;
  }
  assert_int_equal(errno, 0);
  closedir(d);
}

/* NAME in ROOT listed through a handle opened relative to ROOT's, as the
 * walkers open every directory below a root. */
static void read_handle(slink__h *root, const char *name, names *out) {
  slink__h *h = NULL;
  assert_int_equal(slink__os_h_open(root, name, 0, NULL, &h, NULL, NULL), 0);
  slink__dirent e;
  int rc;
  while ((rc = slink__os_h_next(h, &e, NULL)) > 0)
    add(out, e.name);
  assert_int_equal(rc, 0);
  /* The end stays the end. */
  assert_int_equal(slink__os_h_next(h, &e, NULL), 0);
  slink__os_h_close(h);
}

static void read_tree(const char *dir, const char *shown, names *out) {
  names here = {0};
  read_full(dir, &here);
  for (size_t i = 0; i < here.n; i++) {
    char path[8192], show[8192];
    snprintf(path, sizeof path, "%s/%s", dir, here.v[i]);
    snprintf(show, sizeof show, "%s/%s", shown, here.v[i]);
    add(out, show);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    if (S_ISDIR(st.st_mode))
      read_tree(path, show, out);
  }
  clear(&here);
}

static int collect(const slink_walk_entry *e, void *ctx) {
  assert_int_equal(e->error, 0);
  add(ctx, e->path);
  return 0;
}

/* ---- per filesystem ---- */

static int mounted(const fs *f, char *mnt, size_t n) {
  char cmd[2048], img[300];
  snprintf(mnt, n, "%s/%s", work, f->name);
  if (mkdir(mnt, 0755) != 0)
    return 0;
  if (!f->mkfs) {
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=256m tmpfs '%s' 2>/dev/null",
             mnt);
    return system(cmd) == 0;
  }
  char tool[64];
  sscanf(f->mkfs, "%63s", tool);
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  if (system(cmd) != 0) {
    printf("# %s: %s is not installed\n", f->name, tool);
    return 0;
  }
  snprintf(img, sizeof img, "%s/%s.img", work, f->name);
  snprintf(cmd, sizeof cmd,
           "truncate -s 320M '%s' && %s '%s' >/dev/null 2>&1 && "
           "mount -o loop '%s' '%s' 2>/dev/null",
           img, f->mkfs, img, img, mnt);
  return system(cmd) == 0;
}

static void unmount(const char *mnt) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "umount '%s' 2>/dev/null", mnt);
  if (system(cmd) != 0)
    printf("# could not unmount %s\n", mnt);
}

static void lists_as_read(void **state) {
  const fs *f = *state;
  char mnt[300];
  if (!mounted(f, mnt, sizeof mnt)) {
    printf("# %s: cannot be made and mounted here (needs root and loop "
           "devices); skipped\n", f->name);
    skip();
  }
  make_tree(mnt);
  const char *dirs[] = {"empty", "one", "wide", "max", "deep", "deep/down"};
  slink__h *root = NULL;
  assert_int_equal(slink__h_open_dir(mnt, &root, NULL, NULL), 0);
  ticks = 0;
  storm(1);
  for (int round = 0; round < 20; round++) {
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
      char dir[600];
      snprintf(dir, sizeof dir, "%s/%s", mnt, dirs[i]);
      names got = {0}, want = {0};
      read_handle(root, dirs[i], &got);
      read_full(dir, &want);
      assert_same(&got, &want, dirs[i]);
      clear(&got);
      clear(&want);
    }
  }
  /* The threaded walker and the tree walker, each a few times. */
  names want = {0};
  read_tree(mnt, mnt, &want);
  for (int round = 0; round < 6; round++) {
    names got = {0};
    unsigned flags = SLINK_WALK_ALL | (round % 2 ? 0 : SLINK_WALK_PARALLEL);
    assert_int_equal(slink_walk(mnt, flags, collect, &got), 0);
    assert_same(&got, &want, flags & SLINK_WALK_PARALLEL ? "threaded walk"
                                                         : "tree walk");
    clear(&got);
  }
  clear(&want);
  storm(0);
  /* The signal did arrive while directories were listed. */
  assert_true(ticks > 0);
  slink__os_h_close(root);
  unmount(mnt);
}

static int setup(void **state) {
  (void)state;
  strcpy(work, "/tmp/slink-listing-XXXXXX");
  return mkdtemp(work) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[600];
  for (size_t i = 0; i < sizeof filesystems / sizeof *filesystems; i++) {
    snprintf(cmd, sizeof cmd, "umount -l '%s/%s' 2>/dev/null", work,
             filesystems[i].name);
    if (system(cmd) != 0) {
      /* not mounted: nothing to undo */
    }
  }
  snprintf(cmd, sizeof cmd, "rm -rf --one-file-system '%s'", work);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  struct CMUnitTest tests[sizeof filesystems / sizeof *filesystems];
  for (size_t i = 0; i < sizeof filesystems / sizeof *filesystems; i++) {
    struct CMUnitTest t = cmocka_unit_test_prestate(lists_as_read,
                                                    (void *)&filesystems[i]);
    t.name = filesystems[i].name;
    tests[i] = t;
  }
  return cmocka_run_group_tests(tests, setup, teardown);
}
