/* walk.c - what the walks need beside directory handles (handle.c): the
 * root a classification looks targets up from, a link read where the
 * filesystem kind is asked once per device, and threads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/statfs.h>
#endif
#include <unistd.h>

#include "lib/internal.h"
#include "posix/posix.h"

struct slink__base {
  int fd;
};

int slink__os_base_open(const char *dir, slink__base **out) {
#ifdef O_PATH
  int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
#else
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
#endif
  slink__base *b = malloc(sizeof *b);
  if (!b)
    return SLINK_ENOMEM;
  b->fd = open(dir, flags);
  if (b->fd < 0) {
    int rc = slink__posix_fail(NULL);
    free(b);
    return rc;
  }
  *out = b;
  return 0;
}

int slink__os_base_lstat(slink__base *b, const char *rel, slink__stat *st,
                         int *os_err) {
  struct stat sb;
  if (fstatat(b->fd, rel, &sb, AT_SYMLINK_NOFOLLOW) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

void slink__os_base_close(slink__base *b) {
  if (!b)
    return;
  close(b->fd);
  free(b);
}

/* Is the filesystem holding the link PATH (on DEV) a FUSE one? Asked of
 * the link's directory, as a link itself cannot be asked. */
static int link_on_fuse(const char *path, uint64_t dev) {
#ifdef __linux__
  static _Thread_local uint64_t last_dev;
  static _Thread_local int last_fuse = -1;
  if (last_fuse >= 0 && dev == last_dev)
    return last_fuse;
  const char *slash = strrchr(path, '/');
  char *parent = slash && slash != path
                     ? slink__strndup(path, (size_t)(slash - path))
                     : slink__strdup(slash ? "/" : ".");
  if (!parent)
    return 1; /* ask the careful way */
  struct statfs sf;
  int fuse = statfs(parent, &sf) != 0 || sf.f_type == 0x65735546;
  free(parent);
  last_dev = dev;
  last_fuse = fuse;
  return fuse;
#else
  (void)path;
  (void)dev;
  return 0;
#endif
}

int slink__os_readlink_on(const char *path, uint64_t dev, slink_info *info,
                          int *os_err) {
  if (link_on_fuse(path, dev))
    return slink__os_readlink(path, info, os_err);
  return slink__posix_readlinkat(AT_FDCWD, path, info, os_err);
}

int slink__os_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

struct slink__lock {
  pthread_mutex_t m;
  pthread_cond_t c;
};

int slink__os_lock_new(slink__lock **out) {
  slink__lock *l = malloc(sizeof *l);
  if (!l)
    return SLINK_ENOMEM;
  if (pthread_mutex_init(&l->m, NULL) != 0) {
    free(l);
    return SLINK_ENOMEM;
  }
  if (pthread_cond_init(&l->c, NULL) != 0) {
    pthread_mutex_destroy(&l->m);
    free(l);
    return SLINK_ENOMEM;
  }
  *out = l;
  return 0;
}

void slink__os_lock(slink__lock *l) { pthread_mutex_lock(&l->m); }
void slink__os_unlock(slink__lock *l) { pthread_mutex_unlock(&l->m); }
void slink__os_wait(slink__lock *l) { pthread_cond_wait(&l->c, &l->m); }
void slink__os_wake(slink__lock *l) { pthread_cond_broadcast(&l->c); }

void slink__os_lock_free(slink__lock *l) {
  pthread_cond_destroy(&l->c);
  pthread_mutex_destroy(&l->m);
  free(l);
}

typedef struct runner {
  void (*fn)(void *);
  void *arg;
} runner;

static void *trampoline(void *p) {
  runner *r = p;
  r->fn(r->arg);
  return NULL;
}

void slink__os_run_threads(int n, void (*fn)(void *), void *arg) {
  pthread_t ids[16];
  runner r = {fn, arg};
  int started = 0;
  if (n > 17)
    n = 17;
  for (int i = 1; i < n; i++)
    if (pthread_create(&ids[started], NULL, trampoline, &r) == 0)
      started++;
  fn(arg);
  for (int i = 0; i < started; i++)
    pthread_join(ids[i], NULL);
}
