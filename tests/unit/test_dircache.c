/* The directory cache the threaded scan shares (src/lib/classify.c): what
 * it was told is a directory it answers without asking the system, for as
 * many directories as a 2,000,000-entry tree holds, and it never answers
 * for a path it was not told about. Told about directories that do not
 * exist, the classification shows which answers came from the cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/classify.h"

#define ROOT "/nonexistent-slink-dircache"
#define DIRS 80000

static unsigned state_of(slink__resolver *r, const char *target) {
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_SYMLINK;
  in.target = strdup(target);
  in.target_len = strlen(target);
  assert_non_null(in.target);
  assert_int_equal(slink__classify(r, ROOT, 7, &in), 0);
  unsigned st = in.states;
  slink_info_free(&in);
  return st;
}

static void remembers_a_large_tree(void **state) {
  (void)state;
  slink__dircache *c = NULL;
  assert_int_equal(slink__dircache_new(&c, 1), 0);
  slink__resolver r;
  slink__resolver_init(&r, ROOT, c);
  char p[128];
  for (int i = 0; i < 10; i++) {
    int n = snprintf(p, sizeof p, ROOT "/d%02d", i);
    slink__resolver_note_dir(&r, p, (size_t)n, 7);
  }
  for (int i = 0; i < DIRS; i++) {
    int n = snprintf(p, sizeof p, ROOT "/d%02d/sub%06d", i % 10, i);
    slink__resolver_note_dir(&r, p, (size_t)n, 7);
  }
  /* The first, the middle and the last told: all remembered. */
  int idx[] = {0, 1, DIRS / 2, DIRS - 2, DIRS - 1};
  for (size_t k = 0; k < sizeof idx / sizeof idx[0]; k++) {
    snprintf(p, sizeof p, "d%02d/sub%06d", idx[k] % 10, idx[k]);
    unsigned st = state_of(&r, p);
    if (!(st & SLINK_STATE_OK))
      fail_msg("%s forgotten (states %#x)", p, st);
  }
  /* Never an answer for a path it was not told. */
  for (int i = 0; i < DIRS; i += 97) {
    snprintf(p, sizeof p, "d%02d/sub%06d", (i + 1) % 10, i);
    unsigned st = state_of(&r, p);
    if (!(st & SLINK_STATE_DANGLING))
      fail_msg("%s answered from the cache (states %#x)", p, st);
  }
  slink__resolver_free(&r);
  slink__dircache_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(remembers_a_large_tree),
  };
  return cmocka_run_group_tests_name("dircache", tests, NULL, NULL);
}
