/* The threaded, ordered walk with a slow reader on a tree shaped like a
 * pnpm store: many small sibling subtrees, far more finished directories
 * than the cap on those waiting to be handed over (made small here). A
 * helper that holds directories it took while it waits for the cap to
 * drop, as the output thread waits for one of them, hangs the walk
 * (issue: scan --json | slow reader); the watchdog turns a hang into a
 * failure. Every run must also give the one-thread walk's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/walk.h"
#include "slink.h"

enum { PACKAGES = 300, RUNS = 300 };

static char root[64];

typedef struct out {
  char *text;
  size_t len, cap;
  long calls;
  int slow;
} out;

static int collect(const slink_walk_entry *e, void *ctx) {
  out *o = ctx;
  if (o->len + e->path_len + 2 > o->cap) {
    o->cap = (o->len + e->path_len + 2) * 2;
    o->text = realloc(o->text, o->cap);
    if (!o->text)
      return 1;
  }
  memcpy(o->text + o->len, e->path, e->path_len);
  o->len += e->path_len;
  o->text[o->len++] = '\n';
  /* The slow reader: it falls behind at the start, and now and then. */
  if (o->slow && (o->calls++ < 4 || o->calls % 97 == 0)) {
    struct timespec t = {0, 300000};
    nanosleep(&t, NULL);
  }
  return 0;
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "# the threaded walk hung\n";
  (void)!write(1, msg, sizeof msg - 1);
  _exit(1);
}

static void mk(const char *p) { assert_int_equal(mkdir(p, 0755), 0); }

static int setup(void **state) {
  (void)state;
  strcpy(root, "/tmp/slink-walkcap-XXXXXX");
  assert_non_null(mkdtemp(root));
  char p[256];
  snprintf(p, sizeof p, "%s/.pnpm", root);
  mk(p);
  for (int i = 0; i < PACKAGES; i++) {
    snprintf(p, sizeof p, "%s/.pnpm/pkg%03d", root, i);
    mk(p);
    snprintf(p, sizeof p, "%s/.pnpm/pkg%03d/node_modules", root, i);
    mk(p);
    snprintf(p, sizeof p, "%s/.pnpm/pkg%03d/node_modules/dep", root, i);
    mk(p);
    char l[300];
    snprintf(l, sizeof l, "%s/.pnpm/pkg%03d/node_modules/link", root, i);
    assert_int_equal(symlink("../../pkg000", l), 0);
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  return slink_remove_tree(root, 0, NULL, NULL) == 0 ? 0 : -1;
}

static void slow_reader_never_hangs(void **state) {
  (void)state;
  out one = {0};
  assert_int_equal(slink_walk(root, SLINK_WALK_ALL, collect, &one), 0);
  assert_true(one.len > 0);
  size_t saved = slink__walk_max_ready;
  slink__walk_max_ready = 4;
  signal(SIGALRM, on_alarm);
  /* SLINK_WALKCAP_RUNS: more runs, outside make check. */
  const char *env = getenv("SLINK_WALKCAP_RUNS");
  int runs = env ? atoi(env) : RUNS;
  for (int i = 0; i < runs; i++) {
    out o = {0};
    o.slow = 1;
    alarm(20);
    int rc = slink_walk(root, SLINK_WALK_ALL | SLINK_WALK_PARALLEL, collect,
                        &o);
    alarm(0);
    assert_int_equal(rc, 0);
    assert_int_equal(o.len, one.len);
    assert_memory_equal(o.text, one.text, one.len);
    free(o.text);
  }
  slink__walk_max_ready = saved;
  free(one.text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(slow_reader_never_hangs, setup, teardown),
  };
  return cmocka_run_group_tests_name("walk ready cap", tests, NULL, NULL);
}
