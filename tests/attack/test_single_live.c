/* The live attack on the single-path commands: while rm LINK, make or
 * make -f runs, a second thread keeps exchanging two names with
 * renameat2(RENAME_EXCHANGE): the directory W/p on the operand's path with
 * W/s, a link to W/q (which holds a victim of the same name), or the link
 * W/p/NAME with the file W/p/f. After every round the victims must be
 * whole, the change must have landed in one directory only, and no
 * temporary name may be left. Rounds: SLINK_RACE_ROUNDS (default 400, at
 * most SLINK_RACE_SECONDS, default 3, per case), so that make check stays
 * short; `make race` runs 20,000. The library yields the processor at
 * every check/act gap (its test hook), so one processor interleaves too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/hook.h"
#include "racer.h"
#include "single.h"
#include "slink.h"

static char side_a[600], side_b[600];

static void yield_hook(int point, slink__h *dir, const char *name, void *ctx) {
  (void)point; (void)dir; (void)name; (void)ctx;
  sched_yield();
}

enum { RM, MAKE, FORCE };
enum { DIR_SWAP, IN_DIR_SWAP };
static const char *const op_names[] = {"rm LINK", "make", "make -f"};

typedef struct tally {
  long rounds, done, lost, temps, wrong, swaps;
} tally;

static long env_long(const char *name, long def) {
  const char *v = getenv(name);
  return v && *v ? atol(v) : def;
}

/* One round's verdict: 0 when every promise held. */
static int judge(const char *w, int op, int how, int rc, tally *t) {
  char p[600];
  snprintf(p, sizeof p, "%s", single_real_p(w));
  char pn[700], pf[700];
  const char *leaf = op == RM ? "l" : "n";
  snprintf(pn, sizeof pn, "%s/%s", p, leaf);
  snprintf(pf, sizeof pf, "%s/f", p);
  const char *qn = single_at(w, op == RM ? "q/l" : "q/n");
  int bad = 0;
  if (single_temps(single_at(w, "p")) || single_temps(single_at(w, "s")) ||
      single_temps(single_at(w, "q"))) {
    if (getenv("SLINK_RACE_DEBUG")) {
      char cmd[700];
      snprintf(cmd, sizeof cmd, "ls -la %s >&2; echo rc=%d >&2", p, rc);
      if (system(cmd) != 0)
        perror("ls");
    }
    t->temps++;
    bad = 1;
  }
  if (how == DIR_SWAP) {
    int q_victim = single_is_victim(qn);
    if (op == FORCE) {
      /* Both in p, or both redirected to q: never half. */
      int in_p = single_is_link(pn, "t") && q_victim;
      int in_q = single_is_link(qn, "t") && single_is_link(pn, "old");
      if (!in_p && !in_q) {
        if (!q_victim && !single_is_link(qn, "t"))
          t->lost++;
        else
          t->wrong++;
        bad = 1;
      }
    } else if (!q_victim) {
      t->lost++;
      bad = 1;
    } else if (op == RM && rc == 0 && !access(pn, F_OK)) {
      t->wrong++; /* reported removed, still there */
      bad = 1;
    } else if (op == MAKE && rc == 0 && !single_is_link(pn, "t")) {
      t->wrong++;
      bad = 1;
    } else if (op == MAKE && rc != 0 && rc != SLINK_EEXIST) {
      t->wrong++;
      bad = 1;
    }
  } else if (op != FORCE) {
    /* (make -f replaces the file when it was exchanged in before the
     * check: that is what LINK named. The deterministic test shows that
     * after the check it never is.) */
    if (single_victim_in(p) != 1) {
      t->lost++;
      bad = 1;
    }
  }
  t->done += rc == 0;
  return bad;
}

static tally race(int op, int how) {
  tally t = {0, 0, 0, 0, 0, 0};
  const char *w = single_workdir();
  assert_non_null(w);
  long rounds = env_long("SLINK_RACE_ROUNDS", 400);
  long seconds = env_long("SLINK_RACE_SECONDS", 3);
  const char *leaf = op == RM ? "p/l" : "p/n";
  if (how == DIR_SWAP) {
    snprintf(side_a, sizeof side_a, "%s", single_at(w, "p"));
    snprintf(side_b, sizeof side_b, "%s", single_at(w, "s"));
  } else {
    snprintf(side_a, sizeof side_a, "%s", single_at(w, leaf));
    snprintf(side_b, sizeof side_b, "%s", single_at(w, "p/f"));
  }
  racer_start(side_a, side_b, 1000);
  slink_make_opts force = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
  time_t start = time(NULL);
  for (t.rounds = 0; t.rounds < rounds; t.rounds++) {
    if (seconds > 0 && time(NULL) - start >= seconds)
      break;
    single_reset(w);
    if (op == RM)
      assert_int_equal(symlink("t", single_at(w, "p/l")), 0);
    if (op == FORCE)
      assert_int_equal(symlink("old", single_at(w, "p/n")), 0);
    single_write(single_at(w, how == DIR_SWAP ? (op == RM ? "q/l" : "q/n")
                                              : "p/f"), VICTIM);
    racer_go();
    slink__hook = yield_hook;
    int rc = op == RM ? slink_remove(single_at(w, leaf), 0, NULL)
             : slink_make(single_at(w, leaf), "t",
                          op == FORCE ? &force : NULL, NULL);
    slink__hook = NULL;
    racer_hold();
    judge(w, op, how, rc, &t);
  }
  t.swaps = racer_stop();
  single_cleanup();
  printf("# %s, %s exchange: %ld rounds, %ld exchanges, %ld done, "
         "%ld lost, %ld half-done, %ld temporary names left\n",
         op_names[op], how == DIR_SWAP ? "directory" : "in-directory",
         t.rounds, t.swaps, t.done, t.lost, t.wrong, t.temps);
  return t;
}

static void check(int op, int how) {
  tally t = race(op, how);
  assert_true(t.rounds > 0);
  assert_true(t.swaps > 0); /* the attack was live */
  assert_int_equal(t.lost, 0);
  assert_int_equal(t.wrong, 0);
  assert_int_equal(t.temps, 0);
}

static void rm_dir(void **s) { (void)s; check(RM, DIR_SWAP); }
static void rm_in_dir(void **s) { (void)s; check(RM, IN_DIR_SWAP); }
static void make_dir(void **s) { (void)s; check(MAKE, DIR_SWAP); }
static void make_in_dir(void **s) { (void)s; check(MAKE, IN_DIR_SWAP); }
static void force_dir(void **s) { (void)s; check(FORCE, DIR_SWAP); }
static void force_in_dir(void **s) { (void)s; check(FORCE, IN_DIR_SWAP); }

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rm_dir),    cmocka_unit_test(rm_in_dir),
    cmocka_unit_test(make_dir),  cmocka_unit_test(make_in_dir),
    cmocka_unit_test(force_dir), cmocka_unit_test(force_in_dir),
  };
  return cmocka_run_group_tests_name("single-path live attack", tests, NULL,
                                     NULL);
}
