/* thread.c - the walker's lock, condition and worker threads. */
#include <stdlib.h>

#include "win/win.h"

struct slink__lock {
  SRWLOCK srw;
  CONDITION_VARIABLE cv;
};

int slink__os_cpu_count(void) {
  DWORD_PTR process = 0, system = 0;
  int n = 0;
  if (GetProcessAffinityMask(GetCurrentProcess(), &process, &system))
    for (; process; process &= process - 1)
      n++;
  return n > 0 ? n : 1;
}

int slink__os_lock_new(slink__lock **lock) {
  slink__lock *l = malloc(sizeof *l);
  if (!l)
    return SLINK_ENOMEM;
  InitializeSRWLock(&l->srw);
  InitializeConditionVariable(&l->cv);
  *lock = l;
  return 0;
}

void slink__os_lock(slink__lock *l) { AcquireSRWLockExclusive(&l->srw); }
void slink__os_unlock(slink__lock *l) { ReleaseSRWLockExclusive(&l->srw); }

void slink__os_wait(slink__lock *l) {
  SleepConditionVariableSRW(&l->cv, &l->srw, INFINITE, 0);
}

void slink__os_wake(slink__lock *l) { WakeAllConditionVariable(&l->cv); }

void slink__os_lock_free(slink__lock *l) { free(l); }

typedef struct job {
  void (*fn)(void *arg);
  void *arg;
} job;

static DWORD WINAPI start(LPVOID p) {
  const job *j = p;
  j->fn(j->arg);
  return 0;
}

void slink__os_run_threads(int n, void (*fn)(void *arg), void *arg) {
  job j = {fn, arg};
  HANDLE *t = n > 1 ? calloc((size_t)n - 1, sizeof *t) : NULL;
  int started = 0;
  for (int i = 0; t && i < n - 1; i++) {
    t[started] = CreateThread(NULL, 0, start, &j, 0, NULL);
    if (t[started])
      started++;
  }
  fn(arg);
  for (int i = 0; i < started; i++) {
    WaitForSingleObject(t[i], INFINITE);
    CloseHandle(t[i]);
  }
  free(t);
}
