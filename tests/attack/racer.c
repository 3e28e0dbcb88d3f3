/* racer.c - the attacker thread of racer.h (one per test program). */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "racer.h"

static atomic_int go, busy, quit;
static atomic_long swaps;
static char side_a[1024], side_b[1024];
static long rest;
static pthread_t thread;

static void *attacker(void *arg) {
  (void)arg;
  while (!atomic_load(&quit)) {
    if (!atomic_load(&go)) {
      sched_yield();
      continue;
    }
    atomic_store(&busy, 1);
    if (atomic_load(&go) &&
        renameat2(AT_FDCWD, side_a, AT_FDCWD, side_b, RENAME_EXCHANGE) == 0)
      atomic_fetch_add(&swaps, 1);
    atomic_store(&busy, 0);
    struct timespec ts = {0, rest};
    nanosleep(&ts, NULL);
  }
  return NULL;
}

void racer_start(const char *a, const char *b, long rest_ns) {
  snprintf(side_a, sizeof side_a, "%s", a);
  snprintf(side_b, sizeof side_b, "%s", b);
  rest = rest_ns;
  atomic_store(&quit, 0);
  atomic_store(&go, 0);
  atomic_store(&swaps, 0);
  if (pthread_create(&thread, NULL, attacker, NULL) != 0) {
    perror("racer: pthread_create");
    abort();
  }
}

void racer_go(void) { atomic_store(&go, 1); }

void racer_hold(void) {
  atomic_store(&go, 0);
  while (atomic_load(&busy))
    sched_yield();
}

long racer_stop(void) {
  racer_hold();
  atomic_store(&quit, 1);
  pthread_join(thread, NULL);
  return atomic_load(&swaps);
}
