/* Attacks on fix and on the walks of scan and hardlinks: while a walk
 * changes links (every mode of fix: --relative, --shorten, --retarget,
 * --delete-dangling, --clean-temp, each as the CLI does it, through
 * slink_walk_relink / slink_walk_unlink), the directory tree/a is swapped
 * for a link to a canary directory holding entries of the same names.
 * Deterministic: the library's hook swaps at every check/act gap once.
 * Live: a thread swaps with renameat2(RENAME_EXCHANGE) for a bounded
 * number of rounds. No change may ever land in the canary, and a walk
 * never reports a canary entry; a naive fix by path must lose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "lib/hook.h"
#include "posix/posix.h"
#include "racer.h"
#include "slink.h"

#define TEMP ".slink-0123456789abcdef.tmp"
#define SWAP "s"

/* The names of tree/a and of the canary (each a link in both). */
static const char *const names[] = {"abs", "messy", "dang", TEMP, "b/abs2"};
enum { NNAMES = sizeof names / sizeof *names };

static char W[600];
static ino_t canary_ino[NNAMES];

static void at(char *buf, size_t n, const char *rel) {
  snprintf(buf, n, "%s/%s", W, rel);
}

static void mk(const char *rel) {
  char p[800];
  at(p, sizeof p, rel);
  if (mkdir(p, 0755) != 0 && errno != EEXIST)
    perror(p);
}

static void ln(const char *target, const char *rel) {
  char p[800];
  at(p, sizeof p, rel);
  if (symlink(target, p) != 0)
    perror(p);
}

/* W/tree/{file, a/{abs, messy, dang, TEMP, b/abs2}, s -> W/canary}. */
static void make_tree(void) {
  char p[800], t[800];
  mk("tree");
  at(p, sizeof p, "tree/file");
  close(open(p, O_CREAT | O_WRONLY, 0644));
  mk("tree/a");
  mk("tree/a/b");
  at(t, sizeof t, "tree/file");
  ln(t, "tree/a/abs");
  ln("./../file", "tree/a/messy");
  ln("missing", "tree/a/dang");
  ln("x", "tree/a/" TEMP);
  ln(t, "tree/a/b/abs2");
  at(t, sizeof t, "canary");
  ln(t, "tree/" SWAP);
}

/* The canary: the same names, each a link storing "KEEP" (dangling, so
 * every mode has something to want of it). */
static void make_canary(void) {
  mk("canary");
  mk("canary/b");
  for (int i = 0; i < NNAMES; i++) {
    char rel[100], p[800];
    snprintf(rel, sizeof rel, "canary/%s", names[i]);
    ln("KEEP", rel);
    at(p, sizeof p, rel);
    struct stat st;
    canary_ino[i] = lstat(p, &st) == 0 ? st.st_ino : 0;
  }
}

/* Every canary link is there, the same inode, storing KEEP, and no other
 * name appeared in it. */
static int canary_intact(void) {
  for (int i = 0; i < NNAMES; i++) {
    char rel[100], p[800], buf[16];
    snprintf(rel, sizeof rel, "canary/%s", names[i]);
    at(p, sizeof p, rel);
    struct stat st;
    ssize_t n = readlink(p, buf, sizeof buf);
    if (lstat(p, &st) != 0 || st.st_ino != canary_ino[i] || n != 4 ||
        memcmp(buf, "KEEP", 4) != 0)
      return 0;
  }
  const char *dirs[] = {"canary", "canary/b"};
  for (int d = 0; d < 2; d++) {
    char p[800];
    at(p, sizeof p, dirs[d]);
    DIR *dir = opendir(p);
    if (!dir)
      return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
      count += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dir);
    if (count != (d == 0 ? NNAMES : 1))
      return 0;
  }
  return 1;
}

static int canary_has_ino(uint64_t ino) {
  for (int i = 0; i < NNAMES; i++)
    if (canary_ino[i] == (ino_t)ino)
      return 1;
  return 0;
}

static void reset(void) {
  char p[800];
  at(p, sizeof p, "tree");
  slink_remove_tree(p, 0, NULL, NULL);
  at(p, sizeof p, "canary");
  slink_remove_tree(p, 0, NULL, NULL);
  make_canary();
  make_tree();
}

/* ---- the modes, as cmd-fix.c decides them ---- */

enum { M_RELATIVE, M_SHORTEN, M_RETARGET, M_DELETE, M_CLEAN, M_WALK, NMODES };
static const char *const mode_name[] = {
  "--relative", "--shorten", "--retarget", "--delete-dangling",
  "--clean-temp", "scan/hardlinks walk"};

typedef struct run {
  int mode;
  int saw_canary; /* a walk handed over a canary entry */
} run;

static int on_entry(const slink_walk_entry *e, void *ctx) {
  run *r = ctx;
  if (e->error)
    return 0;
  if (canary_has_ino(e->ino))
    r->saw_canary = 1;
  const slink_info *in = e->info;
  if (!in || !in->target || r->mode == M_WALK)
    return 0;
  const char *base = strrchr(e->path, '/');
  base = base ? base + 1 : e->path;
  char *t = NULL;
  switch (r->mode) {
  case M_RELATIVE:
    if (in->target[0] == '/')
      t = slink_target_shorten(e->real_dir, in->target, 1);
    break;
  case M_SHORTEN:
    t = slink_target_shorten(e->real_dir, in->target, 0);
    break;
  case M_RETARGET:
    t = malloc(in->target_len + 16);
    if (t)
      snprintf(t, in->target_len + 16, "moved/%s", in->target);
    break;
  case M_DELETE:
    if (in->states & (SLINK_STATE_DANGLING | SLINK_STATE_LOOP))
      slink_walk_unlink(e);
    return 0;
  case M_CLEAN:
    if (slink_is_temp_name(base, strlen(base)))
      slink_walk_unlink(e);
    return 0;
  }
  if (t && strcmp(t, in->target) != 0)
    slink_walk_relink(e, t);
  free(t);
  return 0;
}

static int walk_tree(int mode, run *r) {
  char p[800];
  at(p, sizeof p, "tree");
  r->mode = mode;
  r->saw_canary = 0;
  unsigned flags = mode == M_WALK ? SLINK_WALK_ALL : SLINK_WALK_CLASSIFY;
  return slink_walk(p, flags, on_entry, r);
}

static int stores(const char *rel, const char *want) {
  char p[800], buf[800];
  at(p, sizeof p, rel);
  ssize_t n = readlink(p, buf, sizeof buf - 1);
  if (n < 0)
    return want == NULL;
  buf[n] = '\0';
  return want && strncmp(buf, want, strlen(want)) == 0;
}

/* Without an attack every mode does its work: the attacks below attack
 * changes that really happen. */
static void every_mode_acts(void **state) {
  (void)state;
  const char *w = attack_workdir();
  assert_non_null(w);
  snprintf(W, sizeof W, "%s", w);
  run r;
  reset();
  assert_int_equal(walk_tree(M_RELATIVE, &r), 0);
  assert_true(stores("tree/a/abs", "../file"));
  assert_true(stores("tree/a/b/abs2", "../../file"));
  reset();
  assert_int_equal(walk_tree(M_SHORTEN, &r), 0);
  assert_true(stores("tree/a/messy", "../file"));
  reset();
  assert_int_equal(walk_tree(M_RETARGET, &r), 0);
  assert_true(stores("tree/a/dang", "moved/missing"));
  reset();
  walk_tree(M_DELETE, &r);
  assert_true(stores("tree/a/dang", NULL));
  assert_true(stores("tree/a/abs", "/"));
  reset();
  walk_tree(M_CLEAN, &r);
  assert_true(stores("tree/a/" TEMP, NULL));
  assert_true(stores("tree/a/dang", "missing"));
  assert_true(canary_intact());
  attack_cleanup();
}

/* ---- the naive control: the same fix by path ---- */

typedef void (*gap_fn)(int point, int dirfd, const char *name, void *ctx);

static void naive_dir(const char *dir, gap_fn gap, void *ctx) {
  DIR *d = opendir(dir); /* follows whatever is there now */
  if (!d)
    return;
  struct dirent *e;
  char **subs = NULL;
  size_t n = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && strcmp(e->d_name, TEMP) != 0)
      continue;
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      char **s = realloc(subs, (n + 1) * sizeof *s);
      if (s) {
        subs = s;
        subs[n++] = strdup(p);
      }
      continue;
    }
    if (!S_ISLNK(st.st_mode) || strcmp(e->d_name, SWAP) == 0)
      continue;
    if (gap)
      gap(SLINK__HP_BEFORE_ACT, AT_FDCWD, dir, ctx);
    unlink(p); /* by path: a swapped directory on it sends this away */
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    naive_dir(subs[i], gap, ctx);
    free(subs[i]);
  }
  free(subs);
}

/* ---- the deterministic attack ---- */

typedef struct attack {
  int point;
  int fired;
} attack;

static void exchange_path(const char *path) {
  char swap[1200];
  snprintf(swap, sizeof swap, "%s/tree/" SWAP, W);
  if (renameat2(AT_FDCWD, path, AT_FDCWD, swap, RENAME_EXCHANGE) != 0)
    perror("renameat2");
}

static void on_gap(attack *a, int point, int dirfd, const char *name) {
  if (a->fired || point != a->point)
    return;
  char path[1200], a_path[800];
  at(a_path, sizeof a_path, "tree/a");
  if (dirfd >= 0 && dirfd != AT_FDCWD && name && strcmp(name, "a") == 0) {
    a->fired = 1;
    exchange_path(a_path);
    return;
  }
  /* An act in tree/a (or below it): swap tree/a itself. */
  if (dirfd == AT_FDCWD) {
    snprintf(path, sizeof path, "%s", name);
  } else {
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(proc, path, sizeof path - 1);
    if (n <= 0)
      return;
    path[n] = '\0';
  }
  if (strncmp(path, a_path, strlen(a_path)) != 0)
    return;
  a->fired = 1;
  exchange_path(a_path);
}

static void lib_hook(int point, slink__h *dir, const char *name, void *ctx) {
  on_gap(ctx, point, dir ? slink__posix_h_fd(dir) : -1, name);
}

static void naive_hook(int point, int dirfd, const char *name, void *ctx) {
  on_gap(ctx, point, dirfd, name);
}

static const int points[] = {
  SLINK__HP_WALK_LISTED, SLINK__HP_WALK_BEFORE_OPEN,
  SLINK__HP_WALK_BEFORE_LIST, SLINK__HP_BEFORE_ACT,
  SLINK__HP_BEFORE_VERIFY, SLINK__HP_BEFORE_RENAME,
  SLINK__HP_UNLINK_ASIDE};
static const char *const point_name[] = {
  "listed", "before open", "before list", "before unlink", "before verify",
  "before rename", "moved aside"};
enum { NPOINTS = sizeof points / sizeof *points };

static void deterministic(void **state) {
  (void)state;
  const char *w = attack_workdir();
  assert_non_null(w);
  snprintf(W, sizeof W, "%s", w);
  int fired_total = 0, bad = 0;
  for (int m = 0; m < NMODES; m++) {
    for (int p = 0; p < NPOINTS; p++) {
      reset();
      attack a = {points[p], 0};
      slink__hook = lib_hook;
      slink__hook_ctx = &a;
      run r;
      walk_tree(m, &r);
      slink__hook = NULL;
      fired_total += a.fired;
      if (!canary_intact() || r.saw_canary) {
        printf("# %s, swap %s: the canary was %s\n", mode_name[m],
               point_name[p], r.saw_canary ? "reported" : "changed");
        bad++;
      }
    }
  }
  printf("# %d swaps made over %d modes and %d points\n", fired_total,
         NMODES, NPOINTS);
  /* Every mode reaches the walk's own points, and each act point is
   * reached by some mode. */
  assert_true(fired_total >= NMODES * 3 + 4);
  assert_int_equal(bad, 0);
  attack_cleanup();
}

static void naive_control_loses(void **state) {
  (void)state;
  const char *w = attack_workdir();
  assert_non_null(w);
  snprintf(W, sizeof W, "%s", w);
  reset();
  attack a = {SLINK__HP_BEFORE_ACT, 0};
  char p[800];
  at(p, sizeof p, "tree");
  naive_dir(p, naive_hook, &a);
  assert_int_equal(a.fired, 1);
  assert_false(canary_intact());
  attack_cleanup();
}

/* ---- the live racer ---- */

/* Rounds per mode: 150 in make check; SLINK_RACE_ROUNDS (make race) for
 * the long run. */
static int ROUNDS = 150;
static void lib_yield(int point, slink__h *dir, const char *name, void *ctx) {
  (void)point; (void)dir; (void)name; (void)ctx;
  sched_yield();
}

static void naive_yield(int point, int dirfd, const char *name, void *ctx) {
  (void)point; (void)dirfd; (void)name; (void)ctx;
  sched_yield();
}

/* ROUNDS rounds of MODE (-1: the naive control, stopping at its first
 * loss); returns the rounds the canary was changed or reported in. */
static int race(int mode, long *swaps) {
  char a_path[800], s_path[800];
  at(a_path, sizeof a_path, "tree/a");
  at(s_path, sizeof s_path, "tree/" SWAP);
  racer_start(a_path, s_path, 2000);
  int lost = 0;
  for (int i = 0; i < (mode < 0 ? 1000 : ROUNDS); i++) {
    reset();
    racer_go();
    run r = {0, 0};
    if (mode < 0) {
      char p[800];
      at(p, sizeof p, "tree");
      naive_dir(p, naive_yield, NULL);
    } else {
      slink__hook = lib_yield;
      walk_tree(mode, &r);
      slink__hook = NULL;
    }
    racer_hold();
    if (!canary_intact() || r.saw_canary) {
      lost++;
      if (mode < 0)
        break;
    }
  }
  *swaps = racer_stop();
  return lost;
}

static void live(void **state) {
  (void)state;
  const char *env = getenv("SLINK_RACE_ROUNDS");
  if (env && atoi(env) > 0)
    ROUNDS = atoi(env);
  const char *w = attack_workdir();
  assert_non_null(w);
  snprintf(W, sizeof W, "%s", w);
  int lost = 0;
  for (int m = 0; m < NMODES; m++) {
    long swaps = 0;
    int l = race(m, &swaps);
    printf("# %s: %d rounds, %ld exchanges, canary touched in %d\n",
           mode_name[m], ROUNDS, swaps, l);
    assert_true(swaps >= ROUNDS);
    lost += l;
  }
  assert_int_equal(lost, 0);
  long swaps = 0;
  int l = race(-1, &swaps);
  printf("# naive control: canary touched: %s (%ld exchanges)\n",
         l ? "yes" : "no", swaps);
  assert_true(l > 0);
  attack_cleanup();
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_mode_acts),
    cmocka_unit_test(deterministic),
    cmocka_unit_test(naive_control_loses),
    cmocka_unit_test(live),
  };
  return cmocka_run_group_tests_name("fix attack", tests, NULL, NULL);
}
