/* walk.c - directory listing and threads for the portable walker. On Linux
 * the entries come straight from getdents64 into one buffer per open
 * directory, with their d_type, so no stat is needed per entry; elsewhere
 * readdir does the same more slowly. Lookups inside a listed directory go
 * through its descriptor (fstatat, readlinkat). */
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

#define DENTS_BUF 32768

struct slink__dir {
  int fd;
  char *path;     /* for links that need the path route (ntfs-3g) */
  int fuse;       /* -1 not yet known */
  dev_t dev;
#ifdef __linux__
  size_t pos, end;
  char buf[DENTS_BUF];
#else
  DIR *d;
#endif
};

static slink_kind kind_of(unsigned char type) {
  switch (type) {
  case DT_LNK: return SLINK_KIND_SYMLINK;
  case DT_DIR: return SLINK_KIND_DIR;
  case DT_REG: return SLINK_KIND_FILE;
  case DT_FIFO: return SLINK_KIND_FIFO;
  case DT_SOCK: return SLINK_KIND_SOCKET;
  case DT_CHR:
  case DT_BLK: return SLINK_KIND_DEVICE;
  default: return SLINK_KIND_NONE;
  }
}

int slink__os_dir_open(const char *path, slink__dir **dir, uint64_t *dev,
                       int *os_err) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    /* O_NOFOLLOW on a link: ELOOP; say what it is instead. */
    if (errno == ELOOP) {
      if (os_err)
        *os_err = errno;
      return SLINK_ENOTDIR;
    }
    return slink__posix_fail(os_err);
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    int rc = slink__posix_fail(os_err);
    close(fd);
    return rc;
  }
  slink__dir *d = malloc(sizeof *d);
  if (!d) {
    close(fd);
    return SLINK_ENOMEM;
  }
  d->fd = fd;
  d->fuse = -1;
  d->dev = sb.st_dev;
  d->path = slink__strdup(path);
  if (!d->path) {
    close(fd);
    free(d);
    return SLINK_ENOMEM;
  }
#ifdef __linux__
  d->pos = d->end = 0;
#else
  d->d = fdopendir(fd);
  if (!d->d) {
    int rc = slink__posix_fail(os_err);
    close(fd);
    free(d->path);
    free(d);
    return rc;
  }
#endif
  *dev = (uint64_t)sb.st_dev;
  *dir = d;
  return 0;
}

static int is_dot(const char *n) {
  return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

#ifdef __linux__
/* The record layout getdents64 writes (it is fixed by the kernel ABI). */
struct dent64 {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

int slink__os_dir_next(slink__dir *d, slink__dirent *e, int *os_err) {
  for (;;) {
    if (d->pos >= d->end) {
      ssize_t n = getdents64(d->fd, d->buf, sizeof d->buf);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        return slink__posix_fail(os_err);
      }
      if (n == 0)
        return 0;
      d->pos = 0;
      d->end = (size_t)n;
    }
    struct dent64 *r = (struct dent64 *)(void *)(d->buf + d->pos);
    d->pos += r->reclen;
    if (is_dot(r->name))
      continue;
    e->name = r->name;
    e->name_len = strlen(r->name);
    e->kind = kind_of(r->type);
    e->ino = r->ino;
    return 1;
  }
}
#else
int slink__os_dir_next(slink__dir *d, slink__dirent *e, int *os_err) {
  for (;;) {
    errno = 0;
    struct dirent *r = readdir(d->d);
    if (!r)
      return errno ? slink__posix_fail(os_err) : 0;
    if (is_dot(r->d_name))
      continue;
    e->name = r->d_name;
    e->name_len = strlen(r->d_name);
#ifdef DT_UNKNOWN
    e->kind = kind_of(r->d_type);
#else
    e->kind = SLINK_KIND_NONE;
#endif
    e->ino = (uint64_t)r->d_ino;
    return 1;
  }
}
#endif

int slink__os_dir_lstat(slink__dir *d, const char *name, slink__stat *st,
                        int *os_err) {
  struct stat sb;
  if (fstatat(d->fd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

/* ntfs-3g shows Windows reparse points as symbolic links; the path-based
 * reader in fs.c knows how to read them as what they are. */
static int on_fuse(slink__dir *d) {
#ifdef __linux__
  /* One question per filesystem, not per directory. */
  static _Thread_local dev_t last_dev;
  static _Thread_local int last_fuse = -1;
  if (d->fuse < 0) {
    if (last_fuse >= 0 && d->dev == last_dev) {
      d->fuse = last_fuse;
    } else {
      struct statfs sf;
      d->fuse = fstatfs(d->fd, &sf) == 0 && sf.f_type == 0x65735546;
      last_dev = d->dev;
      last_fuse = d->fuse;
    }
  }
  return d->fuse;
#else
  (void)d;
  return 0;
#endif
}

int slink__os_dir_readlink(slink__dir *d, const char *name, slink_info *info,
                           int *os_err) {
  if (on_fuse(d)) {
    char *p = slink__path_join(d->path, name);
    if (!p)
      return SLINK_ENOMEM;
    int rc = slink__os_readlink(p, info, os_err);
    free(p);
    return rc;
  }
  return slink__posix_readlinkat(d->fd, name, info, os_err);
}

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

void slink__os_dir_close(slink__dir *d) {
  if (!d)
    return;
#ifdef __linux__
  close(d->fd);
#else
  closedir(d->d);
#endif
  free(d->path);
  free(d);
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
