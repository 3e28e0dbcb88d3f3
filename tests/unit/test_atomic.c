/* The atomics shim (src/lib/atomic.h) that the shared directory cache is
 * built on: each operation's value, and under threads no lost update and
 * exactly one winner of a slot. Built twice on Windows, the second time
 * with SLINK_ATOMIC_INTERLOCKED: the stand-in MSVC uses without C11
 * atomics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/atomic.h"
#include "sys.h"

static void single_thread_values(void **state) {
  (void)state;
  slink__atomic_u64 u;
  slink__atomic_int i;
  slink__atomic_u64 p;
  slink__atomic_init_u64(&u, UINT64_C(0xfffffffffffffffe));
  assert_true(slink__atomic_load_u64(&u) == UINT64_C(0xfffffffffffffffe));
  assert_true(slink__atomic_add_u64(&u, 1) == UINT64_C(0xfffffffffffffffe));
  assert_true(slink__atomic_load_u64(&u) == UINT64_MAX);
  slink__atomic_store_u64(&u, UINT64_C(1) << 40);
  assert_true(slink__atomic_load_u64(&u) == UINT64_C(1) << 40);
  slink__atomic_init_int(&i, 0);
  assert_int_equal(slink__atomic_load_int(&i), 0);
  slink__atomic_store_int(&i, 1);
  assert_int_equal(slink__atomic_load_int(&i), 1);
  slink__atomic_init_u64(&p, 0);
  assert_true(slink__atomic_load_acq_u64(&p) == 0);
  assert_true(slink__atomic_claim_u64(&p, UINT64_C(1) << 63));
  assert_false(slink__atomic_claim_u64(&p, 7));
  assert_true(slink__atomic_load_acq_u64(&p) == UINT64_C(1) << 63);
  slink__atomic_store_rel_u64(&p, 5);
  assert_true(slink__atomic_load_acq_u64(&p) == 5);
}

#define THREADS 4
#define ADDS 100000

typedef struct shared {
  slink__atomic_u64 count;
  slink__atomic_u64 winners;
  slink__atomic_u64 slot;
} shared;

static void worker(void *arg) {
  shared *s = arg;
  for (int k = 0; k < ADDS; k++)
    slink__atomic_add_u64(&s->count, 1);
  /* Each thread offers its own mark; one claim succeeds. */
  static slink__atomic_u64 next;
  int id = (int)(slink__atomic_add_u64(&next, 1) % THREADS);
  if (slink__atomic_claim_u64(&s->slot, (uint64_t)id + 1))
    slink__atomic_add_u64(&s->winners, 1);
}

static void threads_lose_nothing(void **state) {
  (void)state;
  shared s;
  memset(&s, 0, sizeof s);
  slink__atomic_init_u64(&s.count, 0);
  slink__atomic_init_u64(&s.winners, 0);
  slink__atomic_init_u64(&s.slot, 0);
  slink__os_run_threads(THREADS, worker, &s);
  /* However many threads the system gave, each added ADDS. */
  uint64_t total = slink__atomic_load_u64(&s.count);
  assert_true(total > 0 && total % ADDS == 0 && total <= THREADS * ADDS);
  assert_true(slink__atomic_load_u64(&s.winners) == 1);
  assert_true(slink__atomic_load_acq_u64(&s.slot) != 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(single_thread_values),
    cmocka_unit_test(threads_lose_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
