/* test_clone_swap.c - the deterministic attack on slink_clone(): the test
 * hook stops the clone between looking at an entry and acting on it, and
 * there exchanges the entry for a symbolic link into the outside
 * directory. Nothing of the outside may reach DEST (no name of an outside
 * file, no byte of one), and the outside stays intact. The naive control
 * (open by path at the same gap) must read the outside file: otherwise
 * the gap proves nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "lib/hook.h"
#include "posix/posix.h"
#include "slink.h"

typedef struct attack {
  const char *w;
  int point;
  const char *target;   /* the entry's name */
  const char *to;       /* what the link put in its place points to */
  int naive;            /* read the name by path after the swap */
  int fired, naive_lost;
  const char *what;     /* NULL, or the path below W swapped instead of
                           the entry (what the entry leads to) */
} attack;

static attack *current;

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  (void)ctx;
  attack *a = current;
  if (!a || a->fired || point != a->point || !dir || !name ||
      strcmp(name, a->target) != 0)
    return;
  a->fired = 1;
  int fd = slink__posix_h_fd(dir);
  char to[700];
  snprintf(to, sizeof to, "%s/%s", a->w, a->to);
  char what[700], aside[720];
  if (a->what) {
    snprintf(what, sizeof what, "%s/%s", a->w, a->what);
    snprintf(aside, sizeof aside, "%s.swap", what);
    unlink(aside);
    if (symlink(to, aside) != 0 ||
        renameat2(AT_FDCWD, what, AT_FDCWD, aside, RENAME_EXCHANGE) != 0)
      perror("swap");
  } else {
    unlinkat(fd, ".swap", 0);
    if (symlinkat(to, fd, ".swap") != 0 ||
        renameat2(fd, name, fd, ".swap", RENAME_EXCHANGE) != 0)
      perror("swap");
  }
  if (a->naive) {
    /* What a copy by path would open now. */
    int f = openat(fd, name, O_RDONLY);
    struct stat st, out;
    if (f >= 0 && fstat(f, &st) == 0 && stat(to, &out) == 0 &&
        st.st_ino == out.st_ino)
      a->naive_lost = 1;
    if (f >= 0)
      close(f);
  }
}

/* Nonzero when something below DIR is an outside file (by inode). */
static int holds_outside(const char *w, const char *dir) {
  char cmd[2000];
  snprintf(cmd, sizeof cmd,
           "find '%s/outside' -type f -printf '%%i\\n' | sort -u > '%s/o.ino';"
           "find '%s' -type f -printf '%%i\\n' | sort -u > '%s/d.ino';"
           "test -z \"$(comm -12 '%s/o.ino' '%s/d.ino')\" && "
           "! find '%s' -name keep | grep -q .",
           w, w, dir, w, w, w, dir);
  return system(cmd) != 0;
}

static void run(unsigned flags, int point, const char *target,
                const char *to) {
  const char *w = attack_workdir();
  attack_make(w);
  attack a = {w, point, target, to, 0, 0, 0, NULL};
  current = &a;
  slink__hook = hook;
  char src[600], dest[600];
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/dest", w);
  slink_clone_opts o;
  memset(&o, 0, sizeof o);
  o.flags = flags;
  slink_clone_stats n;
  int rc = slink_clone(src, dest, &o, &n);
  slink__hook = NULL;
  current = NULL;
  assert_true(a.fired);
  /* A copy reports the changed entry; a hard link found to be something
   * else is undone and the entry looked at again (then a link, kept as a
   * link). Either way nothing of the outside is in DEST. */
  if (flags & SLINK_CLONE_COPY)
    assert_true(rc < 0);
  assert_false(holds_outside(w, dest));
  assert_true(attack_outside_intact(w));

  /* The control at the same gap loses. */
  attack_cleanup();
  w = attack_workdir();
  attack_make(w);
  attack c = {w, point, target, to, 1, 0, 0, NULL};
  current = &c;
  slink__hook = hook;
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/dest", w);
  slink_clone(src, dest, &o, &n);
  slink__hook = NULL;
  current = NULL;
  if (point == SLINK__HP_WALK_BEFORE_ACT)
    assert_true(c.naive_lost);
  attack_cleanup();
}

static void copy_file_swapped(void **state) {
  (void)state;
  run(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_ACT, "g1", "outside/g1");
}

static void hard_link_swapped(void **state) {
  (void)state;
  run(0, SLINK__HP_WALK_BEFORE_ACT, "g1", "outside/g1");
}

static void dir_swapped_before_open(void **state) {
  (void)state;
  run(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_OPEN, "a", "outside");
}

/* The links a clone makes are proven after the fact (src/lib/clone-verify.c):
 * a name swapped for a link between the listing and the linkat is linked
 * as that link, and must not stay. With --outer drop the outer link put
 * there is left out; with --link-dest a file of PREV swapped for a link
 * is copied from SRC instead. */
static void proven_after(const char *prev_rel, unsigned flags) {
  const char *w = attack_workdir();
  attack_make(w);
  char src[600], dest[600], prev[600], g1[700];
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/dest", w);
  snprintf(prev, sizeof prev, "%s/%s", w, prev_rel ? prev_rel : "");
  slink_clone_opts o;
  memset(&o, 0, sizeof o);
  slink_clone_stats n;
  if (prev_rel) {
    o.flags = SLINK_CLONE_COPY;
    assert_int_equal(slink_clone(src, prev, &o, &n), 0);
    o.link_dest = prev;
  }
  o.flags = flags;
  attack a = {w, SLINK__HP_WALK_BEFORE_ACT, "g1", "outside/g1", 0, 0, 0, NULL};
  current = &a;
  slink__hook = hook;
  int rc = slink_clone(src, dest, &o, &n);
  slink__hook = NULL;
  current = NULL;
  assert_true(a.fired);
  snprintf(g1, sizeof g1, "%s/a/g1", dest);
  struct stat st;
  if (prev_rel) {
    assert_int_equal(rc, 0);
    assert_int_equal(lstat(g1, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(n.files_copied, 1);
  } else {
    assert_int_equal(lstat(g1, &st), -1);
    assert_int_equal(n.links_dropped, 1);
  }
  assert_false(holds_outside(w, dest));
  assert_true(attack_outside_intact(w));
  attack_cleanup();
}

/* --outer unroll: tree/door -> W/legit (an outer directory) and
 * tree/fdoor -> W/lf (an outer file) are meant to be copied; what is
 * copied is what was looked at, so nothing of W/outside, swapped in
 * after the look, ever may be. (A link that points outside when it is
 * looked at is copied by design: these swaps all come after the look.) */
static void make_legit(const char *w) {
  char cmd[2000];
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s/legit/sub' && echo legit > '%s/legit/l1' && "
           "echo legit2 > '%s/legit/sub/l2' && echo lf > '%s/lf' && "
           "ln -s '%s/legit' '%s/tree/door' && "
           "ln -s '%s/lf' '%s/tree/fdoor'",
           w, w, w, w, w, w, w, w);
  assert_int_equal(system(cmd), 0);
}

/* Nonzero when DIR holds a byte of an outside file (copies included). */
static int holds_outside_bytes(const char *dir) {
  char cmd[1000];
  snprintf(cmd, sizeof cmd,
           "grep -rqs -e 'outside g1' -e 'outside g2' -e 'outside h1' "
           "-e '^keep$' '%s'",
           dir);
  return system(cmd) == 0;
}

static void run_unroll_what(unsigned flags, int point, const char *target,
                            const char *what, const char *to,
                            int must_fail) {
  for (int naive = 0; naive <= 1; naive++) {
    const char *w = attack_workdir();
    attack_make(w);
    make_legit(w);
    attack a = {w, point, target, to, naive, 0, 0, what};
    current = &a;
    slink__hook = hook;
    char src[600], dest[600];
    snprintf(src, sizeof src, "%s/tree", w);
    snprintf(dest, sizeof dest, "%s/dest", w);
    slink_clone_opts o;
    memset(&o, 0, sizeof o);
    o.flags = flags | SLINK_CLONE_OUTER_UNROLL;
    slink_clone_stats n;
    int rc = slink_clone(src, dest, &o, &n);
    slink__hook = NULL;
    current = NULL;
    assert_true(a.fired);
    if (naive) {
      /* The control: what a copy by path would open at that gap. */
      assert_true(a.naive_lost);
    } else {
      if (must_fail)
        assert_true(rc < 0);
      assert_false(holds_outside(w, dest));
      assert_false(holds_outside_bytes(dest));
      assert_true(attack_outside_intact(w));
    }
    attack_cleanup();
  }
}

static void run_unroll(unsigned flags, int point, const char *target,
                       const char *to, int must_fail) {
  run_unroll_what(flags, point, target, NULL, to, must_fail);
}

/* The outer link swapped between the look through it and the open of
 * its target: for the outside, or for a loop (a link to the tree that
 * holds it, which the look did not see and would copy forever). */
static void unroll_target_swapped(void **state) {
  (void)state;
  run_unroll(SLINK_CLONE_COPY, SLINK__HP_UNROLL_BEFORE_OPEN, "door",
             "outside", 1);
  run_unroll(0, SLINK__HP_UNROLL_BEFORE_OPEN, "door", "outside", 1);
  run_unroll(SLINK_CLONE_COPY, SLINK__HP_UNROLL_BEFORE_OPEN, "door", ".", 1);
}

static void unroll_file_target_swapped(void **state) {
  (void)state;
  run_unroll(SLINK_CLONE_COPY, SLINK__HP_UNROLL_BEFORE_OPEN, "fdoor",
             "outside/g1", 0);
  run_unroll(0, SLINK__HP_UNROLL_BEFORE_OPEN, "fdoor", "outside/g1", 0);
  /* The file it leads to, itself, swapped for a link onwards. */
  run_unroll_what(SLINK_CLONE_COPY, SLINK__HP_UNROLL_BEFORE_OPEN, "fdoor",
                  "lf", "outside/g1", 1);
}

/* Inside the target being copied: a directory swapped before it is
 * opened, a file before it is copied or linked. */
static void unrolled_dir_swapped(void **state) {
  (void)state;
  run_unroll(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_OPEN, "sub", "outside",
             0);
}

static void unrolled_file_swapped(void **state) {
  (void)state;
  run_unroll(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_ACT, "l1", "outside/g1",
             1);
}

/* The live racer: while clones with --outer unroll run, one thread
 * exchanges the outer link with a link to the tree that holds it, and a
 * directory of the target with a link back to the target, as fast as it
 * can: loops the look before the open would not see. Every clone must
 * end with a bounded DEST (a loop copied is endless), nothing outside
 * DEST touched; the control (a look by path) must see the swapped names
 * at least once, or the race proved nothing. */
typedef struct racer {
  const char *w;
  volatile int stop;
  long swaps;
} racer;

static void *race(void *p) {
  racer *r = p;
  char a[700], b[700], c[700], d[700];
  snprintf(a, sizeof a, "%s/tree/door", r->w);
  snprintf(b, sizeof b, "%s/tree/.loop", r->w);
  snprintf(c, sizeof c, "%s/legit/sub", r->w);
  snprintf(d, sizeof d, "%s/legit/.loop", r->w);
  while (!r->stop) {
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
      r->swaps++;
    if (renameat2(AT_FDCWD, c, AT_FDCWD, d, RENAME_EXCHANGE) == 0)
      r->swaps++;
  }
  return NULL;
}

static void unroll_live_racer(void **state) {
  (void)state;
  const char *w = attack_workdir();
  attack_make(w);
  make_legit(w);
  char cmd[1400], src[600], dest[600], probe[700];
  snprintf(cmd, sizeof cmd,
           "ln -s '%s/tree' '%s/tree/.loop' && "
           "ln -s ../legit '%s/legit/.loop'",
           w, w, w);
  assert_int_equal(system(cmd), 0);
  snprintf(src, sizeof src, "%s/tree", w);
  snprintf(dest, sizeof dest, "%s/dest", w);
  snprintf(probe, sizeof probe, "%s/tree/door/f1", w);
  racer r = {w, 0, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, race, &r), 0);
  int seen = 0, endless = 0;
  for (int i = 0; i < 120; i++) {
    struct stat st;
    if (stat(probe, &st) == 0)
      seen++;   /* by path: the tree itself through the door now and then */
    slink_clone_opts o;
    memset(&o, 0, sizeof o);
    o.flags = (i & 1 ? SLINK_CLONE_COPY : 0) | SLINK_CLONE_OUTER_UNROLL;
    slink_clone_stats n;
    slink_clone(src, dest, &o, &n);
    if (n.dirs + n.files_linked + n.files_copied > 60)
      endless++;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dest);
    assert_int_equal(system(cmd), 0);
  }
  r.stop = 1;
  pthread_join(th, NULL);
  assert_true(r.swaps > 0);
  assert_true(seen > 0);
  assert_int_equal(endless, 0);
  assert_true(attack_outside_intact(w));
  attack_cleanup();
}

static void hard_link_swapped_dropped(void **state) {
  (void)state;
  proven_after(NULL, SLINK_CLONE_OUTER_DROP);
}

static void link_dest_prev_swapped(void **state) {
  (void)state;
  proven_after("prev", SLINK_CLONE_COPY);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(copy_file_swapped),
    cmocka_unit_test(hard_link_swapped),
    cmocka_unit_test(dir_swapped_before_open),
    cmocka_unit_test(hard_link_swapped_dropped),
    cmocka_unit_test(link_dest_prev_swapped),
    cmocka_unit_test(unroll_target_swapped),
    cmocka_unit_test(unroll_file_target_swapped),
    cmocka_unit_test(unrolled_dir_swapped),
    cmocka_unit_test(unrolled_file_swapped),
    cmocka_unit_test(unroll_live_racer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
