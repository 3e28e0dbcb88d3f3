/* The deterministic attack: the library's test hook stops the shared tree
 * walker (src/lib/tree.c) and the rm -r visitor in each gap between a
 * check and its use, once per gap, and there swaps
 * tree/a (or the entry the gap is about) for a symbolic link to the
 * outside directory, as an attacker racing the removal could. Afterwards
 * every outside file must be there. The naive control, run through the
 * same kind of gaps, must lose files: otherwise the test proves nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "naive.h"
#include "lib/hook.h"
#include "lib/tree.h"
#include "posix/posix.h"
#include "slink.h"

#define SWAP_NAME ".slink-swap"

typedef struct scenario {
  const char *title;
  int point;        /* the gap where the swap happens */
  const char *target; /* ... at the first call about an entry of this name */
  int pre_point;    /* -1, or a gap where a swap must happen first */
  int unprivileged; /* tree/a is 0500: the make-writable retry runs */
  int window;       /* descriptors the walk may keep (1: reopen via "..") */
  int naive;        /* run the control instead of the library */
  int must_lose;    /* the control must lose outside files here */
} scenario;

/* What the hook does, and how often it did it. */
typedef struct attack {
  const char *w;
  int point, pre_point;
  const char *target;
  int fired, pre_fired;
} attack;

static const char *last_component(const char *name) {
  const char *s = strrchr(name, '/');
  return s ? s + 1 : name;
}

/* Exchange NAME in DIRFD with SWAP_NAME beside it, making SWAP_NAME a link
 * to the outside first if it is not there: the first swap puts the link
 * in NAME's place, a second one puts the original back. */
static void exchange(const attack *a, int dirfd, const char *name) {
  char outside[600], swap[700];
  snprintf(outside, sizeof outside, "%s/outside", a->w);
  const char *slash = strrchr(name, '/');
  if (slash)
    snprintf(swap, sizeof swap, "%.*s/%s", (int)(slash - name), name,
             SWAP_NAME);
  else
    snprintf(swap, sizeof swap, "%s", SWAP_NAME);
  struct stat st;
  if (fstatat(dirfd, swap, &st, AT_SYMLINK_NOFOLLOW) != 0 &&
      symlinkat(outside, dirfd, swap) != 0)
    perror("symlinkat");
  if (renameat2(dirfd, name, dirfd, swap, RENAME_EXCHANGE) != 0)
    perror("renameat2");
}

/* The path of the directory open as FD, from /proc. */
static int fd_path(int fd, char *path, size_t size) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(proc, path, size - 1);
  if (n <= 0)
    return -1;
  path[n] = '\0';
  return 0;
}

/* The directory open as FD is moved into the outside, so its ".." leads
 * there: a walk that trusts ".." would go on in the outside. */
static void move_out(const attack *a, int fd) {
  char path[600], to[700];
  if (fd_path(fd, path, sizeof path) != 0)
    return;
  snprintf(to, sizeof to, "%s/outside/moved-in", a->w);
  if (rename(path, to) != 0)
    perror("rename");
}

/* The library's hook, or the control's (which passes AT_FDCWD and a
 * path). DIR is a handle in the library's case. */
static void on_gap(attack *a, int point, int dirfd, const char *name) {
  if (a->pre_point >= 0 && !a->pre_fired && point == a->pre_point &&
      name && strcmp(last_component(name), a->target) == 0) {
    a->pre_fired = 1;
    if (a->point == SLINK__HP_WALK_BEFORE_VERIFY) {
      /* Another directory of the tree in its place: the open finds a
       * directory, not the one listed, and must look again. */
      if (mkdirat(dirfd, "other", 0755) != 0 ||
          renameat2(dirfd, name, dirfd, "other", RENAME_EXCHANGE) != 0)
        perror("renameat2");
    } else {
      exchange(a, dirfd, name);
    }
    return;
  }
  if (a->fired || point != a->point)
    return;
  if (a->pre_point >= 0 && !a->pre_fired)
    return;
  if (point == SLINK__HP_WALK_BEFORE_DOTDOT) {
    a->fired = 1;
    move_out(a, dirfd);
    return;
  }
  char path[600];
  if (!name && dirfd >= 0) {
    /* The library names the directory it is about to read or make
     * writable by its handle: swap that directory, by its path. */
    if (fd_path(dirfd, path, sizeof path) != 0)
      return;
    dirfd = AT_FDCWD;
    name = path;
  }
  if (dirfd == -1 || !name || strcmp(last_component(name), a->target) != 0)
    return;
  a->fired = 1;
  exchange(a, dirfd, name);
}

static void lib_hook(int point, slink__h *dir, const char *name, void *ctx) {
  on_gap(ctx, point, dir ? slink__posix_h_fd(dir) : -1, name);
}

static void naive_hook(int point, int dirfd, const char *name, void *ctx) {
  on_gap(ctx, point, dirfd, name);
}

/* Runs the removal of W/tree with the attack armed; returns how often the
 * main swap fired (in a child process dropped to uid 65534 when asked). */
static int run(const scenario *s, const char *w) {
  attack a = {w, s->point, s->pre_point, s->target, 0, 0};
  char tree[600];
  snprintf(tree, sizeof tree, "%s/tree", w);
  pid_t pid = -1;
  if (s->unprivileged) {
    pid = fork();
    if (pid > 0) {
      int status;
      if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
      return WEXITSTATUS(status);
    }
    if (getuid() == 0 &&
        (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
      _exit(99);
  }
  if (s->naive) {
    naive_remove_tree(tree, s->unprivileged, naive_hook, &a);
  } else {
    unsigned saved = slink__tree_window;
    if (s->window)
      slink__tree_window = (unsigned)s->window;
    slink__hook = lib_hook;
    slink__hook_ctx = &a;
    slink_remove_tree(tree, s->unprivileged ? SLINK_TREE_MAKE_WRITABLE : 0,
                      NULL, NULL);
    slink__hook = NULL;
    slink__tree_window = saved;
  }
  if (pid == 0)
    _exit(a.fired);
  return a.fired;
}

static void one_scenario(void **state) {
  const scenario *s = *state;
  const char *w = attack_workdir();
  assert_non_null(w);
  attack_make(w);
  if (s->unprivileged) {
    char tree_a[600], cmd[700];
    snprintf(tree_a, sizeof tree_a, "%s/tree/a", w);
    assert_int_equal(chmod(tree_a, 0500), 0);
    if (getuid() == 0) {
      snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s'", w);
      assert_int_equal(system(cmd), 0);
    }
  }
  int fired = run(s, w);
  int intact = attack_outside_intact(w);
  attack_cleanup();
  if (fired != 1)
    fail_msg("the swap did not happen (fired %d times): the gap was never "
             "reached", fired);
  if (s->naive && s->must_lose)
    assert_false(intact); /* the control must be caught */
  else if (!s->naive)
    assert_true(intact);
}

#define P(x) SLINK__HP_WALK_##x
static const scenario scenarios[] = {
  {"slink: swap the operand before it is looked at", P(LISTED), "tree", -1, 0, 0, 0, 0},
  {"slink: swap the operand between look and open", P(BEFORE_OPEN), "tree", -1, 0, 0, 0, 0},
  {"slink: swap a file before unlinkat", P(BEFORE_ACT), "g1", -1, 0, 0, 0, 0},
  {"slink: swap tree/a before it is looked at", P(LISTED), "a", -1, 0, 0, 0, 0},
  {"slink: swap tree/a between look and open", P(BEFORE_OPEN), "a", -1, 0, 0, 0, 0},
  {"slink: swap tree/a between open and reading it", P(BEFORE_LIST), "a", -1, 0, 0, 0, 0},
  {"slink: swap tree/a back while it is retyped", P(BEFORE_RETYPE), "a", P(BEFORE_OPEN), 0, 0, 0, 0},
  {"slink: swap tree/a before the make-writable retry", P(BEFORE_CHMOD), "a", -1, 1, 0, 0, 0},
  {"slink: move a directory out before its '..' is opened", P(BEFORE_DOTDOT), "..", -1, 0, 1, 0, 0},
  {"slink: swap tree/a before rmdir", P(BEFORE_RMDIR), "a", -1, 0, 0, 0, 0},
  {"slink: another directory opened, then the name swapped before the look", P(BEFORE_VERIFY), "a", P(BEFORE_OPEN), 0, 0, 0, 0},
  {"slink: swap tree/a before rmdir, one handle open", P(BEFORE_RMDIR), "a", -1, 0, 1, 0, 0},
  {"naive control: swap tree/a between lstat and opendir", P(BEFORE_OPEN), "a", -1, 0, 0, 1, 1},
  {"naive control: swap tree/a before the chmod retry", P(BEFORE_CHMOD), "a", -1, 1, 0, 1, 1},
};

int main(void) {
  enum { N = sizeof scenarios / sizeof *scenarios };
  struct CMUnitTest tests[N];
  for (size_t i = 0; i < N; i++) {
    tests[i] = (struct CMUnitTest){scenarios[i].title, one_scenario, NULL,
                                   NULL, (void *)&scenarios[i]};
  }
  int rc = cmocka_run_group_tests_name("deterministic attack", tests, NULL,
                                       NULL);
  attack_cleanup();
  return rc;
}
