/* The deterministic attack on the single-path commands: the library's test
 * hook swaps the tree exactly between a check and the act that relies on
 * it (src/lib/hook.h), at every such point of rm LINK, make and make -f
 * (and show, which only reads), once with a directory on the path
 * exchanged for a link to another directory and once with the link
 * exchanged for a file in its own directory. Whatever the point, the victims survive, the change lands in
 * one directory only, and no temporary name is left. Then kill -9 and
 * SIGTERM at the worst moment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/hook.h"
#include "lib/internal.h"
#include "single.h"
#include "slink.h"

enum { DIR_SWAP, IN_DIR_SWAP };

typedef struct attack {
  const char *w;
  int point;        /* where to strike */
  int how;          /* DIR_SWAP or IN_DIR_SWAP */
  const char *name; /* the operand's leaf in p: l or n */
  int fired;
} attack;

static void strike(int point, slink__h *dir, const char *name, void *ctx) {
  attack *a = ctx;
  (void)dir;
  if (point != a->point || a->fired)
    return;
  a->fired = 1;
  if (a->how == DIR_SWAP) {
    assert_int_equal(single_exchange(single_at(a->w, "p"),
                                     single_at(a->w, "s")), 0);
    return;
  }
  /* In p: the entry the act is about (the moved-aside name, the
   * temporary) for the victim file. */
  char here[600];
  snprintf(here, sizeof here, "%s/%s", single_real_p(a->w), name);
  char f[600];
  snprintf(f, sizeof f, "%s/f", single_real_p(a->w));
  single_exchange(here, f);
}

static void arm(attack *a) {
  slink__hook = strike;
  slink__hook_ctx = a;
}

static void disarm(void) {
  slink__hook = NULL;
  slink__hook_ctx = NULL;
}

static const int rm_points[] = {SLINK__HP_PARENT_OPEN, SLINK__HP_BEFORE_ACT,
                                SLINK__HP_UNLINK_ASIDE};
static const int make_points[] = {SLINK__HP_PARENT_OPEN, SLINK__HP_BEFORE_ACT,
                                  SLINK__HP_BEFORE_VERIFY};
static const int force_points[] = {
    SLINK__HP_PARENT_OPEN, SLINK__HP_BEFORE_ACT, SLINK__HP_BEFORE_VERIFY,
    SLINK__HP_BEFORE_RENAME, SLINK__HP_UNLINK_ASIDE};
#define COUNT(a) (sizeof a / sizeof a[0])

static void no_temps(const char *w) {
  assert_int_equal(single_temps(single_at(w, "p")), 0);
  assert_int_equal(single_temps(single_at(w, "s")), 0);
  assert_int_equal(single_temps(single_at(w, "q")), 0);
}

/* rm W/p/l, l a link; q/l (dir swap) or p/f (in-dir swap) a file with a
 * single name, which rm must never remove. */
static void rm_link(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  for (int how = DIR_SWAP; how <= IN_DIR_SWAP; how++) {
    for (size_t i = 0; i < COUNT(rm_points); i++) {
      single_reset(w);
      assert_int_equal(symlink("t", single_at(w, "p/l")), 0);
      single_write(single_at(w, how == DIR_SWAP ? "q/l" : "p/f"), VICTIM);
      attack a = {w, rm_points[i], how, "l", 0};
      arm(&a);
      int rc = slink_remove(single_at(w, "p/l"), 0, NULL);
      disarm();
      printf("# rm, %s swap at point %d: %s\n",
             how == DIR_SWAP ? "directory" : "in-directory", a.point,
             rc == 0 ? "removed" : slink_strerror(rc));
      assert_true(a.fired);
      const char *p = single_real_p(w);
      char pl[600], pf[600];
      snprintf(pl, sizeof pl, "%s/l", p);
      snprintf(pf, sizeof pf, "%s/f", p);
      if (how == DIR_SWAP) {
        /* Opened before the swap: the link in p is removed, q's file
         * stays. */
        assert_int_equal(rc, 0);
        assert_true(single_is_victim(single_at(w, "q/l")));
        assert_int_equal(access(pl, F_OK), -1);
      } else {
        /* The file took the link's name: refused, nothing removed. */
        assert_true(rc < 0);
        assert_true(single_is_victim(pl) || single_is_victim(pf));
        assert_true(single_is_link(pl, "t") || single_is_link(pf, "t"));
      }
      no_temps(w);
    }
  }
  single_cleanup();
}

/* make W/p/n -> t; q/n a file of the same name (dir swap) or p/f a file
 * exchanged with the new link (in-dir swap). */
static void make_link(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  for (int how = DIR_SWAP; how <= IN_DIR_SWAP; how++) {
    for (size_t i = 0; i < COUNT(make_points); i++) {
      if (how == IN_DIR_SWAP && make_points[i] != SLINK__HP_BEFORE_VERIFY)
        continue; /* nothing to exchange before the link exists */
      single_reset(w);
      single_write(single_at(w, how == DIR_SWAP ? "q/n" : "p/f"), VICTIM);
      attack a = {w, make_points[i], how, "n", 0};
      arm(&a);
      slink_made m;
      int rc = slink_make(single_at(w, "p/n"), "t", NULL, &m);
      disarm();
      slink_made_free(&m);
      printf("# make, %s swap at point %d: %s\n",
             how == DIR_SWAP ? "directory" : "in-directory", a.point,
             rc == 0 ? "made" : slink_strerror(rc));
      assert_true(a.fired);
      const char *p = single_real_p(w);
      char pn[600], pf[600];
      snprintf(pn, sizeof pn, "%s/n", p);
      snprintf(pf, sizeof pf, "%s/f", p);
      if (how == DIR_SWAP) {
        assert_int_equal(rc, 0);
        assert_true(single_is_link(pn, "t"));
        assert_true(single_is_victim(single_at(w, "q/n")));
      } else {
        /* What is read back is not what was made: an error, and the
         * file that took the name is left alone. */
        assert_int_equal(rc, SLINK_ENOTVERIFIED);
        assert_true(single_is_victim(pn));
      }
      no_temps(w);
    }
  }
  single_cleanup();
}

/* make -f W/p/n -> t over n -> old; q/n a file (dir swap), or p/f a file
 * exchanged with whatever the act is about (in-dir swap). */
static void make_force(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
  for (int how = DIR_SWAP; how <= IN_DIR_SWAP; how++) {
    for (size_t i = 0; i < COUNT(force_points); i++) {
      single_reset(w);
      assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
      single_write(single_at(w, how == DIR_SWAP ? "q/n" : "p/f"), VICTIM);
      attack a = {w, force_points[i], how, "n", 0};
      arm(&a);
      slink_made m;
      int rc = slink_make(single_at(w, "p/n"), "t", &o, &m);
      disarm();
      slink_made_free(&m);
      printf("# make -f, %s swap at point %d: %s\n",
             how == DIR_SWAP ? "directory" : "in-directory", a.point,
             rc == 0 ? "made" : slink_strerror(rc));
      const char *p = single_real_p(w);
      char pn[600], pf[600];
      snprintf(pn, sizeof pn, "%s/n", p);
      snprintf(pf, sizeof pf, "%s/f", p);
      if (how == DIR_SWAP) {
        assert_true(a.fired);
        assert_int_equal(rc, 0);
        assert_true(single_is_link(pn, "t"));
        assert_true(single_is_victim(single_at(w, "q/n")));
      } else if (a.point == SLINK__HP_PARENT_OPEN) {
        /* Exchanged before the check: the file is what LINK names, and
         * -f replaces it, as ln -sf would; the link is elsewhere. */
        assert_int_equal(rc, 0);
        assert_true(single_is_link(pn, "t"));
        assert_true(single_is_link(pf, "old"));
      } else {
        /* The file is never replaced: it was not what was checked (it
         * may be left under the name it was moved to). */
        assert_int_equal(single_victim_in(p), 1);
        if (rc == 0)
          assert_true(single_is_link(pn, "t") || single_is_link(pf, "t"));
      }
      no_temps(w);
    }
  }
  single_cleanup();
}

/* show W/p/l with p exchanged for a link to q once p is open: what is
 * described is p's link, read through the handle, not q's file. */
static void show_link(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  single_reset(w);
  assert_int_equal(symlink("t", single_at(w, "p/l")), 0);
  single_write(single_at(w, "q/l"), VICTIM);
  attack a = {w, SLINK__HP_PARENT_OPEN, DIR_SWAP, "l", 0};
  arm(&a);
  slink_info info;
  int rc = slink_read(single_at(w, "p/l"), SLINK_READ_RESOLVE, &info);
  disarm();
  assert_true(a.fired);
  assert_int_equal(rc, 0);
  assert_int_equal(info.kind, SLINK_KIND_SYMLINK);
  assert_int_equal(info.target_len, 1);
  assert_memory_equal(info.target, "t", 1);
  assert_true(info.states & SLINK_STATE_DANGLING);
  slink_info_free(&info);
  single_cleanup();
}

/* A hook that kills the process (SIGKILL) or asks it to stop (SIGTERM)
 * while a temporary name exists. */
static void die_here(int point, slink__h *dir, const char *name, void *ctx) {
  (void)dir;
  (void)name;
  int *want = ctx;
  if (point == want[0])
    raise(want[1]);
}

/* Runs make -f (or rm) in a child killed by SIG at POINT; its status. */
static int run_child(const char *w, int point, int sig, int rm) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    static int want[2];
    want[0] = point;
    want[1] = sig;
    slink__hook = die_here;
    slink__hook_ctx = want;
    slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
    int rc = rm ? slink_remove(single_at(w, "p/n"), 0, NULL)
                : slink_make(single_at(w, "p/n"), "t", &o, NULL);
    _exit(rc == 0 ? 0 : 1);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return status;
}

/* The names a killed run leaves beside "n": each must be ".slink-" 16 hex
 * digits ".tmp" (checked here by hand, not only by slink's own test). */
static int one_leftover(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *s = e->d_name;
    if (!strcmp(s, ".") || !strcmp(s, "..") || !strcmp(s, "n"))
      continue;
    assert_int_equal(strlen(s), 27);
    assert_memory_equal(s, ".slink-", 7);
    assert_string_equal(s + 23, ".tmp");
    for (int i = 7; i < 23; i++)
      assert_non_null(strchr("0123456789abcdef", s[i]));
    assert_true(slink__is_temp_name(s, strlen(s)));
    n++;
  }
  closedir(d);
  return n;
}

static void kill_9_leaves_the_pattern(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  const int points[] = {SLINK__HP_BEFORE_VERIFY, SLINK__HP_BEFORE_RENAME};
  for (size_t i = 0; i < COUNT(points); i++) {
    single_reset(w);
    assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
    int status = run_child(w, points[i], SIGKILL, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* The old link is untouched; the new one is under one temporary name
     * of the documented pattern, which scan reports. */
    assert_true(single_is_link(single_at(w, "p/n"), "old"));
    assert_int_equal(one_leftover(single_at(w, "p")), 1);
  }
  /* rm killed with the link moved aside: the link is under the pattern. */
  single_reset(w);
  assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
  int status = run_child(w, SLINK__HP_UNLINK_ASIDE, SIGKILL, 1);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  assert_int_equal(one_leftover(single_at(w, "p")), 1);
  single_cleanup();
}

static void sigterm_lands_after_cleanup(void **state) {
  (void)state;
  const char *w = single_workdir();
  assert_non_null(w);
  const int points[] = {SLINK__HP_BEFORE_VERIFY, SLINK__HP_BEFORE_RENAME};
  for (size_t i = 0; i < COUNT(points); i++) {
    single_reset(w);
    assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
    int status = run_child(w, points[i], SIGTERM, 0);
    /* The signal was held until the new link was in place. */
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    assert_true(single_is_link(single_at(w, "p/n"), "t"));
    assert_int_equal(one_leftover(single_at(w, "p")), 0);
  }
  /* rm with the link moved aside: removed, then the signal. */
  single_reset(w);
  assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
  int status = run_child(w, SLINK__HP_UNLINK_ASIDE, SIGTERM, 1);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  assert_int_equal(access(single_at(w, "p/n"), F_OK), -1);
  assert_int_equal(one_leftover(single_at(w, "p")), 0);
  single_cleanup();
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rm_link),
    cmocka_unit_test(make_link),
    cmocka_unit_test(make_force),
    cmocka_unit_test(show_link),
    cmocka_unit_test(kill_9_leaves_the_pattern),
    cmocka_unit_test(sigterm_lands_after_cleanup),
  };
  return cmocka_run_group_tests_name("single-path swap", tests, NULL, NULL);
}
