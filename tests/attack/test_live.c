/* The live attack: while the removal of W/tree runs, a second thread keeps
 * exchanging tree/a with tree/s, a symbolic link to W/outside, with
 * renameat2(RENAME_EXCHANGE), which swaps the two names atomically and so
 * leaves the widest window. Every round ends by checking that all outside
 * files are still there. The library must win every one of 1,000 rounds;
 * the naive control must lose at least one, or the attack is not real.
 * Both yield the processor in every gap between a check and its use (the
 * library through its test hook, in the shared tree walker), so that even a single processor
 * interleaves the two threads there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "naive.h"
#include "racer.h"
#include "lib/hook.h"
#include "slink.h"

enum { ROUNDS = 1000 };

static char path_a[600], path_s[600];

static void yield_hook(int point, int dirfd, const char *name, void *ctx) {
  (void)point; (void)dirfd; (void)name; (void)ctx;
  sched_yield();
}

static void lib_yield(int point, slink__h *dir, const char *name, void *ctx) {
  (void)point; (void)dir; (void)name; (void)ctx;
  sched_yield();
}

typedef struct result {
  int rounds, lost;
  long swaps;
} result;

static result attack_rounds(int naive, int stop_at_first_loss) {
  result r = {0, 0, 0};
  const char *w = attack_workdir();
  assert_non_null(w);
  char tree[600], outside[600], link[700];
  snprintf(tree, sizeof tree, "%s/tree", w);
  snprintf(outside, sizeof outside, "%s/outside", w);
  snprintf(path_a, sizeof path_a, "%s/tree/a", w);
  snprintf(path_s, sizeof path_s, "%s/tree/s", w);
  attack_restore_outside(w);

  racer_start(path_a, path_s, 2000);
  for (r.rounds = 1; r.rounds <= ROUNDS; r.rounds++) {
    attack_make_tree(w);
    snprintf(link, sizeof link, "%s", outside);
    assert_int_equal(symlink(link, path_s), 0);
    racer_go();
    if (naive) {
      naive_remove_tree(tree, 0, yield_hook, NULL);
    } else {
      slink__hook = lib_yield;
      slink_remove_tree(tree, 0, NULL, NULL);
      slink__hook = NULL;
    }
    racer_hold();
    if (!attack_outside_intact(w)) {
      r.lost++;
      attack_restore_outside(w);
      if (stop_at_first_loss)
        break;
    }
    /* Whatever the round left (after a loss, or a swap the library
     * refused to follow) goes before the next one. */
    slink_remove_tree(tree, 0, NULL, NULL);
  }
  if (r.rounds > ROUNDS)
    r.rounds = ROUNDS;
  r.swaps = racer_stop();
  attack_cleanup();
  return r;
}

static void library_survives(void **state) {
  (void)state;
  result r = attack_rounds(0, 0);
  printf("# library: %d rounds, %ld exchanges, outside lost in %d\n",
         r.rounds, r.swaps, r.lost);
  assert_int_equal(r.rounds, ROUNDS);
  assert_int_equal(r.lost, 0);
  /* The attack was live: the names really moved under the walk. */
  assert_true(r.swaps >= ROUNDS);
}

static void naive_control_loses(void **state) {
  (void)state;
  result r = attack_rounds(1, 1);
  printf("# naive control: outside lost in round %d (%ld exchanges)\n",
         r.lost ? r.rounds : 0, r.swaps);
  assert_true(r.lost > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(library_survives),
    cmocka_unit_test(naive_control_loses),
  };
  return cmocka_run_group_tests_name("live attack", tests, NULL, NULL);
}
