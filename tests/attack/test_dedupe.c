/* The attacks on slink dedupe. Deterministic: the library's test hook
 * stops the replacement of a duplicate just before the keeper is linked
 * beside it and just before the temporary link is renamed over it, and
 * there the test swaps a name or a directory, or a writer opens the
 * duplicate; afterwards nothing outside the duplicate's own bytes may be
 * gone, no temporary name may be left, and the change must be reported.
 * Right after the exchange, the names may be exchanged again (the keeper's
 * link moved away): the decoy still comes back, and a temporary name that
 * nothing can clear is reported with its path.
 * A naive replacement (link, then rename over, no checks) run through the
 * same gap must lose the swapped-in file, or the test proves nothing.
 * Live: a thread exchanges the duplicate with a decoy in a loop
 * (renameat2 RENAME_EXCHANGE) while dedupe runs, for a bounded number of
 * rounds; the decoy's bytes must survive every round. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/hook.h"
#include "posix/posix.h"
#include "slink.h"

#define SIZE 10000

static char W[256];

static void put(const char *rel, int c) {
  char p[512], buf[SIZE];
  snprintf(p, sizeof p, "%s/%s", W, rel);
  memset(buf, c, sizeof buf);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
  /* One mtime for all, so that the time check never tells them apart. */
  struct timespec ts[2] = {{1600000000, 0}, {1600000000, 0}};
  futimens(fd, ts);
  close(fd);
}

/* The byte every byte of REL is, or -1 (missing, mixed, wrong size). */
static int what(const char *rel) {
  char p[512], buf[SIZE + 1];
  snprintf(p, sizeof p, "%s/%s", W, rel);
  int fd = open(p, O_RDONLY);
  if (fd < 0)
    return -1;
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n != SIZE)
    return -1;
  for (ssize_t i = 1; i < n; i++)
    if (buf[i] != buf[0])
      return -1;
  return (unsigned char)buf[0];
}

static ino_t inode(const char *rel) {
  char p[512];
  struct stat st;
  snprintf(p, sizeof p, "%s/%s", W, rel);
  return lstat(p, &st) == 0 ? st.st_ino : 0;
}

static int temps_left(const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", W, rel);
  DIR *d = opendir(p);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strncmp(e->d_name, ".slink-", 7) == 0) {
      n++;
      print_message("# left: %s/%s ino %lu\n", rel, e->d_name, (unsigned long)e->d_ino);
    }
  if (d)
    closedir(d);
  return n;
}

/* W/t/{a, dup, sub/dup2}, W/outside/{dup2, decoy}: a (the keeper), dup, dup2 and
 * outside/dup2 hold 'A', decoy 'X'. */
static void make(void) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s/t %s/outside", W, W);
  assert_int_equal(system(cmd), 0);
  snprintf(cmd, sizeof cmd, "mkdir -p %s/t/sub %s/outside", W, W);
  assert_int_equal(system(cmd), 0);
  put("t/a", 'A');
  put("t/dup", 'A');
  put("t/sub/dup2", 'A');
  put("outside/dup2", 'A');
  put("outside/decoy", 'X');
}

typedef struct attack {
  int point;
  const char *name; /* the entry the gap must be about */
  int act;
  int fired;
} attack;

enum { SWAP_DUP, EXCHANGE_DUP, EXCHANGE_KEEPER, SWAP_DIR, WRITER, SWAP_TEMP };

static pid_t writer_pid;

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  attack *a = ctx;
  if (point != a->point || a->fired || strcmp(name, a->name) != 0)
    return;
  a->fired = 1;
  int fd = slink__posix_h_fd(dir);
  char p[512], q[512];
  switch (a->act) {
  case SWAP_DUP: /* another file takes the duplicate's name */
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy-copy", W);
    link(p, q);
    renameat(fd, "decoy-copy", fd, name);
    break;
  case EXCHANGE_DUP: /* the duplicate and another file trade names */
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy", W);
    link(p, q);
    renameat2(fd, "decoy", fd, name, RENAME_EXCHANGE);
    break;
  case EXCHANGE_KEEPER: /* the keeper's name now leads to another file */
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy", W);
    link(p, q);
    snprintf(p, sizeof p, "%s/t/a", W);
    renameat2(AT_FDCWD, q, AT_FDCWD, p, RENAME_EXCHANGE);
    break;
  case SWAP_DIR: /* the duplicate's directory becomes a link outside */
    snprintf(p, sizeof p, "%s/t/sub", W);
    snprintf(q, sizeof q, "%s/t/sub-moved", W);
    rename(p, q);
    snprintf(q, sizeof q, "%s/outside", W);
    symlink(q, p);
    break;
  case SWAP_TEMP: { /* a file whose only name it is takes the temporary name */
    char tmp[256] = "";
    DIR *d = fdopendir(dup(fd));
    struct dirent *e;
    while (d && (e = readdir(d)))
      if (strncmp(e->d_name, ".slink-", 7) == 0)
        snprintf(tmp, sizeof tmp, "%s", e->d_name);
    if (d)
      closedir(d);
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy-copy", W);
    link(p, q);
    unlink(p);
    if (tmp[0])
      renameat(fd, "decoy-copy", fd, tmp);
    break;
  }
  case WRITER: /* a process opens the duplicate for writing */
    snprintf(p, sizeof p, "%s/t/%s", W, name);
    if ((writer_pid = fork()) == 0) {
      /* Not the library's descriptors: a lease held through an inherited
       * one would be this process's own and make it wait for itself. */
      for (int i = 3; i < 1024; i++)
        close(i);
      int w = open(p, O_WRONLY);
      char buf[SIZE];
      memset(buf, 'W', sizeof buf);
      _exit(w >= 0 && pwrite(w, buf, sizeof buf, 0) == SIZE ? 0 : 1);
    }
    /* Long enough for the child's open to reach the lease and wait. */
    usleep(300 * 1000);
    break;
  }
}

typedef struct seen {
  int skipped, linked;
  slink_dedupe_reason reason;
  int errors, error;    /* errors about paths (not names of a group) */
  char error_path[512];
} seen;

static int on_event(const slink_dedupe_event *ev, void *ctx) {
  seen *s = ctx;
  if (ev->type == SLINK_DEDUPE_EV_ERROR) {
    s->errors++;
    s->error = ev->error;
    snprintf(s->error_path, sizeof s->error_path, "%s", ev->path);
  }
  for (size_t i = 0; ev->type == SLINK_DEDUPE_EV_GROUP && i < ev->count; i++) {
    if (ev->names[i].status == SLINK_DEDUPE_SKIPPED) {
      s->skipped++;
      s->reason = ev->names[i].reason;
    }
    s->linked += ev->names[i].status == SLINK_DEDUPE_LINKED;
  }
  return 0;
}

static seen run_dedupe(const char *sub) {
  char root[512];
  snprintf(root, sizeof root, "%s/%s", W, sub);
  const char *dirs[] = {root};
  slink_dedupe_opts o = {0, 0, 0, 1};
  seen s = {0, 0, SLINK_DEDUPE_R_NONE, 0, 0, ""};
  slink_dedupe(dirs, 1, &o, on_event, &s, NULL);
  return s;
}

/* Run dedupe on the tree made by make() with the attack ACT at POINT. */
static seen attacked(int point, const char *name, int act) {
  attack a = {point, name, act, 0};
  slink__hook = hook;
  slink__hook_ctx = &a;
  seen s = run_dedupe("t");
  slink__hook = NULL;
  assert_true(a.fired);
  return s;
}

static void test_swap_dup_before_link(void **state) {
  (void)state;
  make();
  seen s = attacked(SLINK__HP_DEDUPE_BEFORE_LINK, "dup", SWAP_DUP);
  assert_int_equal(what("t/dup"), 'X');   /* the file put there stays */
  assert_int_equal(what("t/a"), 'A');
  assert_int_equal(temps_left("t"), 0);
  assert_int_equal(s.reason, SLINK_DEDUPE_R_CHANGED);
}

static void test_exchange_dup_before_rename(void **state) {
  (void)state;
  make();
  seen s = attacked(SLINK__HP_DEDUPE_BEFORE_RENAME, "dup", EXCHANGE_DUP);
  assert_int_equal(what("t/dup"), 'X');
  assert_int_equal(what("t/decoy"), 'A');
  assert_int_equal(temps_left("t"), 0);
  assert_true(s.skipped >= 1);
}

static void test_exchange_keeper_before_link(void **state) {
  (void)state;
  make();
  ino_t dup = inode("t/dup");
  seen s = attacked(SLINK__HP_DEDUPE_BEFORE_LINK, "dup", EXCHANGE_KEEPER);
  /* The link made led to the decoy: taken away, the duplicate kept. */
  assert_int_equal(what("t/dup"), 'A');
  assert_int_equal(what("t/a"), 'X');
  assert_int_equal(what("t/decoy"), 'A');
  assert_true(inode("t/dup") == dup || inode("t/dup") == inode("t/decoy"));
  assert_int_equal(temps_left("t"), 0);
  assert_true(s.skipped >= 1);
}

static void test_swap_dir_before_link(void **state) {
  (void)state;
  make();
  ino_t out = inode("outside/dup2");
  attacked(SLINK__HP_DEDUPE_BEFORE_LINK, "dup2", SWAP_DIR);
  /* The outside file of the same name and bytes is never touched. */
  assert_true(inode("outside/dup2") == out);
  struct stat st;
  char p[512];
  snprintf(p, sizeof p, "%s/outside/dup2", W);
  assert_int_equal(lstat(p, &st), 0);
  assert_int_equal(st.st_nlink, 1);
  assert_int_equal(what("t/sub-moved/dup2"), 'A');
  assert_int_equal(temps_left("t/sub-moved"), 0);
  assert_int_equal(temps_left("outside"), 0);
}

static void test_writer_before_rename(void **state) {
  (void)state;
  make();
  ino_t dup = inode("t/dup");
  seen s = attacked(SLINK__HP_DEDUPE_BEFORE_RENAME, "dup", WRITER);
  int status = 0;
  assert_int_equal(waitpid(writer_pid, &status, 0), writer_pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  /* The writer's bytes are in the duplicate, which kept its name. */
  assert_int_equal(what("t/dup"), 'W');
  assert_true(inode("t/dup") == dup);
  assert_int_equal(what("t/a"), 'A');
  assert_int_equal(temps_left("t"), 0);
  assert_int_equal(s.reason, SLINK_DEDUPE_R_BUSY);
}

static void test_swap_temp_after_exchange(void **state) {
  (void)state;
  make();
  seen s = attacked(SLINK__HP_DEDUPE_AFTER_EXCHANGE, "dup", SWAP_TEMP);
  /* The file put on the temporary name is not removed with it: it ends
   * under the duplicate's name. */
  assert_int_equal(what("t/dup"), 'X');
  assert_int_equal(what("t/a"), 'A');
  assert_int_equal(temps_left("t"), 0);
  assert_int_equal(s.reason, SLINK_DEDUPE_R_CHANGED);
}

/* The live racer's rare round, step by step: the duplicate and the decoy
 * trade names right before the exchange (so the temporary name gets the
 * decoy and the check finds it), and again right after it, so that the
 * keeper's link has moved to the decoy's name when the decoy is put back.
 * Exchanging the temporary name with the duplicate's name then brings the
 * duplicate, never the keeper, however often it is done. */
static void hook_twice(int point, slink__h *dir, const char *name, void *ctx) {
  int *fired = ctx;
  if (strcmp(name, "dup") != 0)
    return;
  int fd = slink__posix_h_fd(dir);
  if (point == SLINK__HP_DEDUPE_BEFORE_RENAME && *fired == 0) {
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy", W);
    link(p, q);
    unlink(p); /* the decoy's only name is in t */
    renameat2(fd, "decoy", fd, name, RENAME_EXCHANGE);
    *fired = 1;
  } else if (point == SLINK__HP_DEDUPE_AFTER_EXCHANGE && *fired == 1) {
    renameat2(fd, "decoy", fd, name, RENAME_EXCHANGE);
    *fired = 2;
  }
}

static void test_exchange_dup_twice(void **state) {
  (void)state;
  make();
  ino_t keeper = inode("t/a");
  int fired = 0;
  slink__hook = hook_twice;
  slink__hook_ctx = &fired;
  seen s = run_dedupe("t");
  slink__hook = NULL;
  assert_int_equal(fired, 2);
  /* The decoy is back under the duplicate's name; the duplicate, which
   * holds the keeper's bytes, gave way to the keeper's link. */
  assert_int_equal(what("t/dup"), 'X');
  assert_int_equal(what("t/decoy"), 'A');
  assert_true(inode("t/decoy") == keeper);
  assert_int_equal(what("t/a"), 'A');
  assert_int_equal(temps_left("t"), 0);
  assert_int_equal(s.skipped, 0);
}

/* The one name of T's directory that starts with ".slink-", into OUT. */
static void temp_in(int fd, char *out, size_t len) {
  out[0] = '\0';
  DIR *d = fdopendir(dup(fd));
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strncmp(e->d_name, ".slink-", 7) == 0)
      snprintf(out, len, "%.*s", (int)len - 1, e->d_name);
  if (d)
    closedir(d);
}

/* Right after the exchange the duplicate, now under the temporary name,
 * is touched (so it must go back), and the keeper's link is moved to the
 * decoy's name: no exchange of the temporary name with the duplicate's
 * brings the link back. */
static void hook_stuck(int point, slink__h *dir, const char *name, void *ctx) {
  int *fired = ctx;
  if (point != SLINK__HP_DEDUPE_AFTER_EXCHANGE || *fired ||
      strcmp(name, "dup") != 0)
    return;
  *fired = 1;
  int fd = slink__posix_h_fd(dir);
  char t[256], p[512], q[512];
  temp_in(fd, t, sizeof t);
  struct timespec ts[2] = {{1600000100, 0}, {1600000100, 0}};
  utimensat(fd, t, ts, AT_SYMLINK_NOFOLLOW);
  snprintf(p, sizeof p, "%s/outside/decoy", W);
  snprintf(q, sizeof q, "%s/t/decoy", W);
  link(p, q);
  unlink(p);
  renameat2(fd, "decoy", fd, name, RENAME_EXCHANGE);
}

static void test_put_back_stuck_is_reported(void **state) {
  (void)state;
  make();
  ino_t keeper = inode("t/a"), dup = inode("t/dup");
  int fired = 0;
  slink__hook = hook_stuck;
  slink__hook_ctx = &fired;
  seen s = run_dedupe("t");
  slink__hook = NULL;
  assert_true(fired);
  assert_true(inode("t/decoy") == keeper);
  /* The temporary name is left, holding the decoy or the duplicate (the
   * other is under the duplicate's name), and said with its path. */
  char tp[512], t[200], rel[210];
  snprintf(tp, sizeof tp, "%s/t", W);
  int fd = open(tp, O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  temp_in(fd, t, sizeof t);
  close(fd);
  assert_int_equal(temps_left("t"), 1);
  snprintf(rel, sizeof rel, "t/%s", t);
  assert_true((what("t/dup") == 'X' && inode(rel) == dup) ||
              (what(rel) == 'X' && inode("t/dup") == dup));
  assert_int_equal(s.errors, 1);
  assert_int_equal(s.error, SLINK_ECHANGED);
  snprintf(tp, sizeof tp, "%s/t/%s", W, t);
  assert_string_equal(s.error_path, tp);
  assert_int_equal(s.reason, SLINK_DEDUPE_R_CHANGED);
}

/* The control: link the keeper to a temporary name, then rename it over
 * the duplicate, with the same swap in between. */
static void test_naive_loses(void **state) {
  (void)state;
  make();
  char k[512], t[512], d[512], p[512];
  snprintf(k, sizeof k, "%s/t/a", W);
  snprintf(t, sizeof t, "%s/t/.naive.tmp", W);
  snprintf(d, sizeof d, "%s/t/dup", W);
  assert_int_equal(link(k, t), 0);
  snprintf(p, sizeof p, "%s/outside/decoy", W);
  char q[512];
  snprintf(q, sizeof q, "%s/t/decoy", W);
  link(p, q);
  renameat2(AT_FDCWD, q, AT_FDCWD, d, RENAME_EXCHANGE);
  unlink(p); /* the decoy's only name is now t/dup */
  assert_int_equal(rename(t, d), 0);
  int xs = (what("t/dup") == 'X') + (what("t/decoy") == 'X');
  assert_int_equal(xs, 0); /* the decoy's bytes are gone */
}

typedef struct racer {
  volatile int stop;
  long swaps;
} racer;

static void *race(void *arg) {
  racer *r = arg;
  char a[512], b[512];
  snprintf(a, sizeof a, "%s/t/dup", W);
  snprintf(b, sizeof b, "%s/t/decoy", W);
  while (!r->stop)
    r->swaps += renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0;
  return NULL;
}

static void test_live_exchange(void **state) {
  (void)state;
  long swaps = 0;
  int linked = 0;
  for (int round = 0; round < 150; round++) {
    make();
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/outside/decoy", W);
    snprintf(q, sizeof q, "%s/t/decoy", W);
    assert_int_equal(rename(p, q), 0);
    put("outside/decoy", 'X');
    racer r = {0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, race, &r), 0);
    seen s = run_dedupe("t");
    r.stop = 1;
    pthread_join(th, NULL);
    swaps += r.swaps;
    linked += s.linked;
    /* The decoy is under one of the two names, whole. */
    int xs = (what("t/dup") == 'X') + (what("t/decoy") == 'X');
    assert_int_equal(xs, 1);
    assert_int_equal(what("t/a"), 'A');
    assert_int_equal(temps_left("t"), 0);
  }
  print_message("# %ld exchanges, %d names linked in 150 rounds\n", swaps,
                linked);
  assert_true(swaps > 0);
}

int main(void) {
  snprintf(W, sizeof W, "%s/slink-attack-dedupe.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(W))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_swap_dup_before_link),
    cmocka_unit_test(test_exchange_dup_before_rename),
    cmocka_unit_test(test_exchange_keeper_before_link),
    cmocka_unit_test(test_swap_dir_before_link),
    cmocka_unit_test(test_writer_before_rename),
    cmocka_unit_test(test_swap_temp_after_exchange),
    cmocka_unit_test(test_exchange_dup_twice),
    cmocka_unit_test(test_put_back_stuck_is_reported),
    cmocka_unit_test(test_naive_loses),
    cmocka_unit_test(test_live_exchange),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf %s", W);
  if (system(cmd) != 0)
    rc = 1;
  return rc;
}
