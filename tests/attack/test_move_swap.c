/* test_move_swap.c - slink_move() across filesystems under attack: SRC on
 * the work directory's filesystem, DEST on a tmpfs this test mounts (so
 * it needs root; it skips saying so otherwise). At every point the move
 * passes - before the copy, inside it (a directory about to be opened, a
 * file about to be copied), after its read-back (the journal not yet
 * saying copied), before SRC goes aside, before the link, before and
 * inside the removal of the old tree - an attacker holding SRC open (a
 * shell with its working directory there, say)
 *   (a) renames a directory from outside into SRC,
 *   (b) exchanges a directory of SRC for a symbolic link to the canary
 *       (W/outside) with RENAME_EXCHANGE,
 *   (c) appends to the files of a directory already copied and adds one.
 * Afterwards (and after a rollback, where the move refused) every file
 * SRC held or was given is there exactly once, with what was last
 * written to it, in DEST or in SRC; no byte of the canary changed or
 * reached DEST; a refusal is SLINK_ECHANGED, reported for a path in SRC
 * (or its aside name), and only an attack inside the removal may leave
 * the move refused past its rollback (what has no copy stays, then).
 * The live racer does (b), and a directory of SRC exchanged with one
 * from outside, in a loop, against 40 moves each (about a second). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "lib/hook.h"
#include "posix/posix.h"
#include "racer.h"
#include "slink.h"

static char other[256];       /* the tmpfs DEST is made on */
static const char *no_other;  /* why there is none */

/* A tmpfs of our own, in a mount namespace of our own where there can
 * be one (then nothing outlives the test). Before any thread starts:
 * unshare refuses a process that shares its filesystem context. */
static void mount_other(void) {
  if (geteuid() != 0) {
    no_other = "not root: DEST needs a second filesystem (a tmpfs mounted "
               "here)";
    return;
  }
  if (unshare(CLONE_NEWNS) == 0)
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  snprintf(other, sizeof other, "/tmp/slink-move-other-XXXXXX");
  if (!mkdtemp(other) ||
      mount("tmpfs", other, "tmpfs", 0, "size=16m,mode=0755") != 0) {
    no_other = "could not mount a tmpfs for DEST";
    other[0] = '\0';
  }
}

static void unmount_other(void) {
  if (!other[0])
    return;
  umount2(other, MNT_DETACH);
  rmdir(other);
}

/* What each file must hold once, somewhere, after the move. */
typedef struct manifest {
  char text[16][64];
  int n;
} manifest;

static void expect(manifest *m, const char *text) {
  snprintf(m->text[m->n++], sizeof m->text[0], "%s", text);
}

static void expect_instead(manifest *m, const char *was, const char *now) {
  for (int i = 0; i < m->n; i++)
    if (strcmp(m->text[i], was) == 0) {
      snprintf(m->text[i], sizeof m->text[0], "%s", now);
      return;
    }
  expect(m, now);
}

/* The playground: common.h's tree and outside, and W/incoming = {x1,
 * sub/x2}, the directory (a) brings in. */
static void make_all(const char *w, manifest *m) {
  attack_make(w);
  char cmd[1400];
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s/incoming/sub' && printf 'in x1\\n' > "
           "'%s/incoming/x1' && printf 'in x2\\n' > '%s/incoming/sub/x2'",
           w, w, w);
  assert_int_equal(system(cmd), 0);
  m->n = 0;
  const char *base[] = {"f1\n", "tree g1\n", "tree g2\n", "tree h1\n",
                        "i1\n", "in x1\n", "in x2\n"};
  for (size_t i = 0; i < sizeof base / sizeof *base; i++)
    expect(m, base[i]);
}

/* Counting every regular file below W (but the canary) and OTHER. */
static const manifest *counting;
static int counts[16], strays;
static char canary[700];

static int count_one(const char *path, const struct stat *st, int type,
                     struct FTW *f) {
  (void)st;
  (void)f;
  if (strncmp(path, canary, strlen(canary)) == 0 &&
      (path[strlen(canary)] == '/' || !path[strlen(canary)]))
    return 0;
  if (type != FTW_F)
    return 0;
  char buf[64];
  if (!attack_head(path, buf, sizeof buf))
    return 0;
  for (int i = 0; i < counting->n; i++)
    if (strcmp(buf, counting->text[i]) == 0)
      counts[i]++;
  if (strstr(buf, "outside") || strcmp(buf, "keep\n") == 0)
    strays++;   /* a byte of the canary copied */
  return 0;
}

/* Nonzero when every file of M is there exactly once (AT_LEAST: once or
 * more) and nothing of the canary is outside it; says what is wrong. */
static int each_once(const char *w, const manifest *m, int at_least) {
  counting = m;
  memset(counts, 0, sizeof counts);
  strays = 0;
  snprintf(canary, sizeof canary, "%s/outside", w);
  nftw(w, count_one, 16, FTW_PHYS);
  nftw(other, count_one, 16, FTW_PHYS);
  int ok = 1;
  for (int i = 0; i < m->n; i++)
    if (counts[i] != 1 && !(at_least && counts[i] > 1)) {
      fprintf(stderr, "# '%.*s' is there %d times\n",
              (int)strcspn(m->text[i], "\n"), m->text[i], counts[i]);
      ok = 0;
    }
  return ok;
}

/* The attack. */
enum { A_RENAME_IN, A_SWAP_LINK, A_WRITE };
static const char *const kind_name[] = {"a directory renamed into SRC",
                                        "a directory swapped for a link",
                                        "a copied file written, one added"};

typedef struct attack {
  const char *w;
  int kind;
  const char *step;  /* the move step it lands in (MOVE_STEP), or the step
                        after which POINT on NAME is met */
  int point;         /* 0: at STEP's start; else this hook of its walk */
  const char *name;  /* the entry POINT concerns (NULL: any) */
  int nth;           /* the Nth such entry (0: first) */
  const char *in;    /* NULL, or only entries of this directory of SRC */
  ino_t in_ino;
  int srcfd;         /* SRC's directory, wherever it goes */
  manifest *m;
  const char *phase; /* the last step begun */
  int seen, fired;
  pthread_mutex_t lock;
} attack;

static attack *current;

static void append_all_but(int dfd, const char *spare, manifest *m) {
  /* A listing of its own: the library's descriptor keeps its place. */
  int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d)
    return;
  struct dirent *de;
  while ((de = readdir(d))) {
    struct stat st;
    if ((spare && strcmp(de->d_name, spare) == 0) ||
        fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
      continue;
    char was[48] = "", now[64];
    int f = openat(dfd, de->d_name, O_RDWR | O_APPEND);
    if (f < 0)
      continue;
    ssize_t n = pread(f, was, sizeof was - 8, 0);
    was[n > 0 ? n : 0] = '\0';
    snprintf(now, sizeof now, "%s+\n", was);
    if (write(f, "+\n", 2) == 2)
      expect_instead(m, was, now);
    close(f);
  }
  closedir(d);
  int f = openat(dfd, "new", O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (f >= 0 && write(f, "new\n", 4) == 4)
    expect(m, "new\n");
  if (f >= 0)
    close(f);
}

/* Do the attack in the directory DFD (NAME: the entry the move is at). */
static void strike(attack *a, int dfd, const char *name) {
  char in[700], to[700];
  snprintf(in, sizeof in, "%s/incoming", a->w);
  snprintf(to, sizeof to, "%s/outside", a->w);
  switch (a->kind) {
  case A_RENAME_IN:
    if (renameat(AT_FDCWD, in, dfd, "incoming") != 0)
      perror("attack: rename in");
    break;
  case A_SWAP_LINK: {
    /* The directory the walk is about to open, else SRC's a. */
    int at = a->point == SLINK__HP_WALK_BEFORE_OPEN ? dfd : a->srcfd;
    const char *dir = a->point == SLINK__HP_WALK_BEFORE_OPEN ? name : "a";
    unlinkat(at, ".swap", 0);
    if (symlinkat(to, at, ".swap") != 0 ||
        renameat2(at, dir, at, ".swap", RENAME_EXCHANGE) != 0)
      perror("attack: exchange");
    break;
  }
  default:
    append_all_but(dfd, a->point ? name : NULL, a->m);
  }
  a->fired = 1;
}

static int in_dir(const attack *a, slink__h *dir) {
  struct stat st;
  return !a->in || (fstat(slink__posix_h_fd(dir), &st) == 0 &&
                    st.st_ino == a->in_ino);
}

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  (void)ctx;
  attack *a = current;
  if (!a)
    return;
  pthread_mutex_lock(&a->lock);
  if (point == SLINK__HP_MOVE_STEP && name)
    a->phase = name;
  if (!a->fired && a->phase && strcmp(a->phase, a->step) == 0) {
    if (!a->point && point == SLINK__HP_MOVE_STEP) {
      int c = openat(a->srcfd, "c", O_RDONLY | O_DIRECTORY);
      strike(a, c >= 0 ? c : a->srcfd, NULL);
      if (c >= 0)
        close(c);
    } else if (a->point && point == a->point && dir && name &&
               (!a->name || strcmp(name, a->name) == 0) && in_dir(a, dir) &&
               a->seen++ == a->nth) {
      strike(a, slink__posix_h_fd(dir), name);
    }
  }
  pthread_mutex_unlock(&a->lock);
}

/* What the move reported. */
typedef struct heard {
  int err;
  char path[700];
} heard;

static int on_event(const slink_clone_event *ev, void *ctx) {
  heard *h = ctx;
  if (ev->error && !h->err) {
    h->err = ev->error;
    snprintf(h->path, sizeof h->path, "%s", ev->path);
  }
  return 0;
}

/* No journal of a move to DEST is left. */
static int no_journal(void) {
  char j[400];
  snprintf(j, sizeof j, "%s/.moved.slink-move", other);
  return access(j, F_OK) != 0;
}

/* The problems found so far (each said once); a test fails on any. */
static int problems;

static void problem(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "# ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  problems++;
}

/* PATH is below SRC (W/tree) or its aside name (W/.slink-...). */
static int in_src(const char *w, const char *path) {
  size_t n = strlen(w);
  return strncmp(path, w, n) == 0 &&
         ((strncmp(path + n, "/tree", 5) == 0 &&
           (!path[n + 5] || path[n + 5] == '/')) ||
          strncmp(path + n, "/.slink-", 8) == 0);
}

/* Check the outcome of a move of W/tree to OTHER/moved that returned RC,
 * rolling a refused one back first. */
static void judge(const char *w, int rc, const heard *h, const manifest *m,
                  const char *what, int racing, int in_removal) {
  char src[600], dest[600];
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/moved", other);
  struct stat st;
  int removing = 0;
  if (rc == 0) {
    char to[700] = "";
    ssize_t n = readlink(src, to, sizeof to - 1);
    to[n > 0 ? n : 0] = '\0';
    if (strcmp(to, dest) != 0)
      problem("%s: moved, but SRC is no link to DEST", what);
  } else {
    /* The copy's two threads may each see a name swapped to and fro as
     * another kind: the second one made is refused as existing. */
    int changed = rc == SLINK_ECHANGED || (racing && rc == SLINK_EEXIST);
    if (!changed || h->err != rc || !in_src(w, h->path))
      problem("%s: refused with '%s' for '%s' (want '%s' for a path in "
               "SRC), returned '%s'", what, slink_strerror(h->err), h->path,
               slink_strerror(SLINK_ECHANGED), slink_strerror(rc));
    int rb = 0;
    if (!no_journal()) {
      slink_move_opts o;
      memset(&o, 0, sizeof o);
      rb = slink_move_rollback(dest, &o);
      if (rb != 0 && rb != SLINK_EBUSY)
        problem("%s: the refused move does not roll back", what);
    }
    /* Refused inside the removal: what stays of the old tree beside
     * DEST is what has no copy there (no rollback then). */
    removing = rb == SLINK_EBUSY;
    if (removing && !in_removal)
      problem("%s: refused after the old tree's removal began", what);
    if (!removing && (lstat(src, &st) != 0 || !S_ISDIR(st.st_mode) ||
                      lstat(dest, &st) == 0))
      problem("%s: refused, but SRC is not back in place", what);
  }
  if (!removing && !no_journal())
    problem("%s: a journal is left", what);
  /* Inside the removal an entry renamed within the old tree has no copy
   * under its new name, so it stays: a second copy, never a loss. */
  if (!each_once(w, m, removing))
    problem("%s: a file of SRC is lost or doubled (%s)", what,
             rc ? "refused" : "moved");
  if (strays || !attack_outside_intact(w))
    problem("%s: the canary was touched or copied", what);
}

static void attack_at(int kind, const char *step, int point,
                      const char *name, int nth, const char *in) {
  const char *w = attack_workdir();
  assert_non_null(w);
  manifest m;
  make_all(w, &m);
  char src[600], dest[600], what[200];
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/moved", other);
  snprintf(what, sizeof what, "%s, at %s%s%s", kind_name[kind], step,
           point ? " then " : "", point ? (name ? name : "an entry") : "");
  attack a = {w, kind, step, point, name, nth, in, 0,
              open(src, O_RDONLY | O_DIRECTORY), &m, NULL, 0, 0,
              PTHREAD_MUTEX_INITIALIZER};
  assert_true(a.srcfd >= 0);
  struct stat st;
  if (in) {
    assert_int_equal(fstatat(a.srcfd, in, &st, 0), 0);
    a.in_ino = st.st_ino;
  }
  heard h = {0, ""};
  slink_move_opts o;
  memset(&o, 0, sizeof o);
  o.cb = on_event;
  o.ctx = &h;
  current = &a;
  slink__hook = hook;
  int rc = slink_move(src, dest, &o, NULL);
  slink__hook = NULL;
  current = NULL;
  close(a.srcfd);
  if (!a.fired)
    problem("%s: the attack never came", what);
  judge(w, rc, &h, &m, what, 0,
        point && strcmp(step, "removing") == 0);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s/moved' '%s/.moved.slink-move'",
           other, other);
  assert_int_equal(system(cmd), 0);
  attack_cleanup();
}

/* Every point, for attack KIND. In the copy the attack comes at the
 * second file of a directory (the first one copied already), and at
 * directory a about to be opened; in the removal at its first file and
 * at a about to be opened. */
static void every_point(int kind) {
  if (no_other)
    skip();
  problems = 0;
  attack_at(kind, "copy", 0, NULL, 0, NULL);
  attack_at(kind, "copy", SLINK__HP_WALK_BEFORE_OPEN, "a", 0, NULL);
  attack_at(kind, "copy", SLINK__HP_WALK_BEFORE_ACT, NULL, 1, "a");
  attack_at(kind, "copied", 0, NULL, 0, NULL); /* read back, not journaled */
  attack_at(kind, "aside", 0, NULL, 0, NULL);
  attack_at(kind, "link", 0, NULL, 0, NULL);
  attack_at(kind, "remove", 0, NULL, 0, NULL);
  attack_at(kind, "removing", 0, NULL, 0, NULL);
  attack_at(kind, "removing", SLINK__HP_WALK_BEFORE_OPEN, "a", 0, NULL);
  attack_at(kind, "removing", SLINK__HP_WALK_BEFORE_ACT, NULL, 0, NULL);
  assert_int_equal(problems, 0);
}

static void renamed_in(void **state) {
  (void)state;
  every_point(A_RENAME_IN);
}

static void swapped_for_link(void **state) {
  (void)state;
  every_point(A_SWAP_LINK);
}

static void written_after_copy(void **state) {
  (void)state;
  every_point(A_WRITE);
}

/* The live racer: ROUNDS moves while the racer exchanges SIDE with WITH
 * as fast as it may, from the start of the move or (every other round)
 * from the removal's act on LATE_AT on. Both are paths below W, or
 * below SRC's directory held open (RACE_FD), which goes aside with it. */
#define RACE_FD 200

static int race_removing, race_late;
static const char *race_late_at;  /* the removal's act it starts at */

static void race_hook(int point, slink__h *dir, const char *name,
                      void *ctx) {
  (void)dir;
  (void)ctx;
  if (point == SLINK__HP_MOVE_STEP && name)
    race_removing = strcmp(name, "removing") == 0;
  if (race_late && race_removing && point == SLINK__HP_WALK_BEFORE_ACT &&
      name && strcmp(name, race_late_at) == 0) {
    /* The tree is small: the racer is given a moment to land a swap. */
    race_late = 0;
    racer_go();
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
  }
}

static void race_path(char *out, size_t n, const char *w, const char *p) {
  if (strncmp(p, "tree/", 5) == 0)
    snprintf(out, n, "/proc/self/fd/%d/%s", RACE_FD, p + 5);
  else
    snprintf(out, n, "%s/%s", w, p);
}

static void race(const char *side, const char *with, const char *late_at,
                 int rounds) {
  if (no_other)
    skip();
  problems = 0;
  const char *w = attack_workdir();
  assert_non_null(w);
  char a[700], b[700], src[600], dest[600], cmd[1600];
  race_path(a, sizeof a, w, side);
  race_path(b, sizeof b, w, with);
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/moved", other);
  race_late_at = late_at;
  racer_start(a, b, 20000);
  int refused = 0;
  for (int i = 0; i < rounds; i++) {
    manifest m;
    make_all(w, &m);
    snprintf(cmd, sizeof cmd, "ln -s '%s/outside' '%s/tree/.swap'", w, w);
    assert_int_equal(system(cmd), 0);
    int fd = open(src, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0 && dup2(fd, RACE_FD) == RACE_FD);
    close(fd);
    heard h = {0, ""};
    slink_move_opts o;
    memset(&o, 0, sizeof o);
    o.cb = on_event;
    o.ctx = &h;
    race_late = i & 1;
    race_removing = 0;
    slink__hook = race_hook;
    if (!race_late)
      racer_go();
    int rc = slink_move(src, dest, &o, NULL);
    racer_hold();
    slink__hook = NULL;
    close(RACE_FD);
    refused += rc != 0;
    char what[80];
    snprintf(what, sizeof what, "round %d of the racer on %s", i, side);
    judge(w, rc, &h, &m, what, 1, 1);
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s/moved' '%s/.moved.slink-move' '%s/tree' "
             "'%s/incoming' '%s/outside' '%s'/.slink-*",
             other, other, w, w, w, w);
    assert_int_equal(system(cmd), 0);
  }
  long swaps = racer_stop();
  fprintf(stderr, "# %s: %d moves, %d refused, %ld swaps\n", side, rounds,
          refused, swaps);
  attack_cleanup();
  assert_true(swaps > 0);
  assert_int_equal(problems, 0);
}

static void live_link_swap(void **state) {
  (void)state;
  race("tree/a", "tree/.swap", ".swap", 40);
}

static void live_dir_in_and_out(void **state) {
  (void)state;
  race("tree/a/b", "incoming", ".swap", 40);
}

int main(void) {
  mount_other();
  if (no_other)
    fprintf(stderr, "# skipping: %s\n", no_other);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(renamed_in),
    cmocka_unit_test(swapped_for_link),
    cmocka_unit_test(written_after_copy),
    cmocka_unit_test(live_link_swap),
    cmocka_unit_test(live_dir_in_and_out),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  unmount_other();
  return rc;
}
