/* copy.c - the file-level calls of clone and move (sys.h, "File
 * copies"): files opened and created relative to a directory descriptor,
 * never through a link; contents by copy_file_range with holes kept, or
 * shared by FICLONE; owner, mode, times and extended attributes set
 * through descriptors, so they land on the object that was made. */
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#ifdef __linux__
#include <sys/statfs.h>
#endif
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#endif

#include "posix/posix.h"

#define BUF_SIZE (256u * 1024u)

struct slink__file {
  int fd;
  uint64_t dev;         /* the filesystem it is on */
  int sized;            /* opened for reading: its size as opened */
  off_t size;
  uint64_t blocks;
};

/* The last pair of filesystems (source, destination) copy_file_range
 * refused: the next files between them go by read and write at once
 * instead of failing one call each. A stale or torn value only costs
 * that one call again. */
static _Atomic uint64_t refused_from, refused_to;

static int wrap(int fd, slink__file **out, int *os_err) {
  slink__file *f = malloc(sizeof *f);
  if (!f) {
    close(fd);
    if (os_err)
      *os_err = ENOMEM;
    return SLINK_ENOMEM;
  }
  f->fd = fd;
  f->dev = 0;
  f->sized = 0;
  *out = f;
  return 0;
}

int slink__os_f_open(slink__h *dir, const char *name,
                     const slink__stat *expect, slink__file **out,
                     slink__stat *st, int *os_err) {
  int fd = openat(slink__posix_h_fd(dir), name,
                  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return errno == ELOOP ? SLINK_ECHANGED : slink__posix_fail(os_err);
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    int rc = slink__posix_fail(os_err);
    close(fd);
    return rc;
  }
  slink__stat now;
  slink__posix_fill_stat(&sb, &now);
  if (now.kind != SLINK_KIND_FILE || (expect && !slink__same_file(expect, &now))) {
    close(fd);
    return SLINK_ECHANGED;
  }
  if (st)
    *st = now;
  int rc = wrap(fd, out, os_err);
  if (rc == 0) {
    /* The copy that follows needs no fstat of its own. */
    (*out)->dev = now.dev;
    (*out)->sized = 1;
    (*out)->size = sb.st_size;
    (*out)->blocks = (uint64_t)sb.st_blocks;
  }
  return rc;
}

int slink__os_f_create(slink__h *dir, const char *name, uint32_t mode,
                       slink__file **out, int *os_err) {
  /* Readable too: a copy is read back through it (a file being created
   * is not checked against its own mode). */
  int fd = openat(slink__posix_h_fd(dir), name,
                  O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)(mode & 07777));
  if (fd < 0)
    return slink__posix_fail(os_err);
  int rc = wrap(fd, out, os_err);
  if (rc == 0)
    (*out)->dev = slink__posix_h_dev(dir);
  return rc;
}

int slink__os_f_read(slink__file *f, void *buf, size_t n, size_t *got,
                     int *os_err) {
  for (;;) {
    ssize_t r = read(f->fd, buf, n);
    if (r >= 0) {
      *got = (size_t)r;
      return 0;
    }
    if (errno != EINTR)
      return slink__posix_fail(os_err);
  }
}

int slink__os_f_write(slink__file *f, const void *buf, size_t n,
                      int *os_err) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(f->fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return slink__posix_fail(os_err);
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Copy LEN bytes at OFF with read and write (copy_file_range refused). */
static int copy_plain(int in, int out, off_t off, off_t len, int *os_err) {
  char *buf = malloc(BUF_SIZE);
  if (!buf)
    return SLINK_ENOMEM;
  int rc = 0;
  while (len > 0) {
    size_t want = len < (off_t)BUF_SIZE ? (size_t)len : BUF_SIZE;
    ssize_t r = pread(in, buf, want, off);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      rc = r < 0 ? slink__posix_fail(os_err) : 0;
      break;
    }
    for (ssize_t done = 0; done < r;) {
      ssize_t w = pwrite(out, buf + done, (size_t)(r - done), off + done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0) {
        rc = slink__posix_fail(os_err);
        goto out;
      }
      done += w;
    }
    off += r;
    len -= r;
  }
out:
  free(buf);
  return rc;
}

/* Copy the data range [OFF, OFF+LEN) to the same offsets of OUT. */
static int copy_range(int in, int out, off_t off, off_t len, int *plain,
                      int *os_err) {
#ifdef __linux__
  while (!*plain && len > 0) {
    loff_t a = off, b = off;
    ssize_t n = copy_file_range(in, &a, out, &b, (size_t)len, 0);
    if (n > 0) {
      off += n;
      len -= n;
      continue;
    }
    if (n == 0)
      return 0;  /* the file shrank meanwhile */
    if (errno == EINTR)
      continue;
    if (errno != EXDEV && errno != ENOSYS && errno != EINVAL &&
        errno != EOPNOTSUPP && errno != EPERM)
      return slink__posix_fail(os_err);
    *plain = 1;
  }
#else
  *plain = 1;
#endif
  return len > 0 ? copy_plain(in, out, off, len, os_err) : 0;
}

int slink__os_f_copy(slink__file *from, slink__file *to, uint64_t *copied,
                     int *os_err) {
  struct stat sb;
  if (!from->sized && fstat(from->fd, &sb) != 0)
    return slink__posix_fail(os_err);
  off_t size = from->sized ? from->size : sb.st_size, off = 0, end = 0;
  uint64_t blocks = from->sized ? from->blocks : (uint64_t)sb.st_blocks;
  uint64_t total = 0;
  /* TO is NULL when the copy only counts (a dry run). */
  int plain = to && from->dev && atomic_load_explicit(&refused_from,
                                                memory_order_relaxed) ==
                               from->dev &&
              atomic_load_explicit(&refused_to, memory_order_relaxed) ==
                  to->dev;
  int was_plain = plain, rc = 0;
  /* Every byte has a block (st_blocks counts 512-byte units): no hole to
   * look for, so no lseek pair per file. */
  int dense = blocks * 512u >= (uint64_t)size;
  while (off < size) {
    off_t data = off, hole = size;
#ifdef SEEK_DATA
    if (dense)
      goto copy;
    data = lseek(from->fd, off, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO)
        break;  /* only a hole is left */
      data = off;
    } else {
      hole = lseek(from->fd, data, SEEK_HOLE);
      if (hole < 0 || hole > size)
        hole = size;
    }
  copy:
#endif
    rc = to ? copy_range(from->fd, to->fd, data, hole - data, &plain, os_err)
            : 0;
    if (rc < 0)
      return rc;
    total += (uint64_t)(hole - data);
    off = end = hole;
  }
  if (to && plain && !was_plain && from->dev) {
    atomic_store_explicit(&refused_from, from->dev, memory_order_relaxed);
    atomic_store_explicit(&refused_to, to->dev, memory_order_relaxed);
  }
  /* A trailing hole is only a length (TO is new and empty: when the data
   * reached the end there is none). */
  if (to && end != size && ftruncate(to->fd, size) != 0)
    return slink__posix_fail(os_err);
  if (copied)
    *copied = total;
  return 0;
}

int slink__os_f_reflink(slink__file *from, slink__file *to, int *os_err) {
#if defined(__linux__) && defined(FICLONE)
  if (ioctl(to->fd, FICLONE, from->fd) == 0)
    return 0;
  int e = errno;
  if (os_err)
    *os_err = e;
  return e == EXDEV ? SLINK_EXDEV
         : (e == EOPNOTSUPP || e == ENOTTY || e == EINVAL || e == ENOSYS)
             ? SLINK_ENOTSUP
             : slink__posix_err(e);
#else
  (void)from;
  (void)to;
  (void)os_err;
  return SLINK_ENOTSUP;
#endif
}

int slink__os_f_sync(slink__file *f, int *os_err) {
  return fsync(f->fd) == 0 ? 0 : slink__posix_fail(os_err);
}

void slink__os_f_close(slink__file *f) {
  if (f) {
    close(f->fd);
    free(f);
  }
}

static void times_of(const slink__stat *st, struct timespec ts[2]) {
  ts[0].tv_sec = 0;
  ts[0].tv_nsec = UTIME_OMIT;  /* the access time is the copy's own */
  ts[1].tv_sec = (time_t)st->mtime;
  ts[1].tv_nsec = st->mtime_ns;
}

/* Owner first: a change of owner clears set-id bits the mode then sets. */
static int set_fd(int fd, const slink__stat *st, unsigned what, int *os_err) {
  if ((what & SLINK__META_OWNER) &&
      fchown(fd, (uid_t)st->uid, (gid_t)st->gid) != 0 && errno != EPERM)
    return slink__posix_fail(os_err);
  if ((what & SLINK__META_MODE) && fchmod(fd, (mode_t)(st->mode & 07777)) != 0)
    return slink__posix_fail(os_err);
  if (what & SLINK__META_TIMES) {
    struct timespec ts[2];
    times_of(st, ts);
    if (futimens(fd, ts) != 0)
      return slink__posix_fail(os_err);
  }
  return 0;
}

int slink__os_f_set_meta(slink__file *f, const slink__stat *st,
                         unsigned what, int *os_err) {
  return set_fd(f->fd, st, what, os_err);
}

int slink__os_h_set_meta(slink__h *dir, const char *name,
                         const slink__stat *st, unsigned what, int *os_err) {
  int fd = slink__posix_h_fd(dir);
  if (!name)
    return set_fd(fd, st, what, os_err);
  if ((what & SLINK__META_OWNER) &&
      fchownat(fd, name, (uid_t)st->uid, (gid_t)st->gid,
               AT_SYMLINK_NOFOLLOW) != 0 &&
      errno != EPERM)
    return slink__posix_fail(os_err);
  if (what & SLINK__META_TIMES) {
    struct timespec ts[2];
    times_of(st, ts);
    if (utimensat(fd, name, ts, AT_SYMLINK_NOFOLLOW) != 0)
      return slink__posix_fail(os_err);
  }
  return 0;
}

/* Names a filesystem or an unprivileged process may refuse to take. */
static int refused(int e) {
  return e == ENOTSUP || e == EPERM || e == EACCES || e == EINVAL ||
         e == ENOSPC || e == E2BIG || e == ERANGE;
}

static int copy_xattrs(int in, int out, int *os_err) {
#ifdef __linux__
  ssize_t n = flistxattr(in, NULL, 0);
  if (n <= 0)
    return (n == 0 || errno == ENOTSUP) ? 0 : slink__posix_fail(os_err);
  char *names = malloc((size_t)n);
  size_t vcap = 4096;
  char *val = malloc(vcap);
  int rc = 0;
  if (!names || !val) {
    rc = SLINK_ENOMEM;
    goto out;
  }
  n = flistxattr(in, names, (size_t)n);
  if (n < 0) {
    rc = errno == ERANGE ? 0 : slink__posix_fail(os_err);
    goto out;
  }
  for (char *p = names; p < names + n; p += strlen(p) + 1) {
    ssize_t v = fgetxattr(in, p, NULL, 0);
    if (v < 0)
      continue;
    if ((size_t)v > vcap) {
      char *bigger = realloc(val, (size_t)v);
      if (!bigger) {
        rc = SLINK_ENOMEM;
        goto out;
      }
      val = bigger;
      vcap = (size_t)v;
    }
    v = fgetxattr(in, p, val, vcap);
    if (v < 0)
      continue;
    if (fsetxattr(out, p, val, (size_t)v, 0) != 0 && !refused(errno)) {
      rc = slink__posix_fail(os_err);
      break;
    }
  }
out:
  free(names);
  free(val);
  return rc;
#else
  (void)in;
  (void)out;
  (void)os_err;
  return 0;
#endif
}

int slink__os_f_copy_xattrs(slink__file *from, slink__file *to,
                            int *os_err) {
  return copy_xattrs(from->fd, to->fd, os_err);
}

int slink__os_h_copy_xattrs(slink__h *from, slink__h *to, int *os_err) {
  return copy_xattrs(slink__posix_h_fd(from), slink__posix_h_fd(to), os_err);
}

int slink__os_h_sync(slink__h *dir, int *os_err) {
  return fsync(slink__posix_h_fd(dir)) == 0 ? 0 : slink__posix_fail(os_err);
}

int slink__os_h_free_space(slink__h *dir, uint64_t *bytes, int *os_err) {
  struct statvfs v;
  if (fstatvfs(slink__posix_h_fd(dir), &v) != 0)
    return slink__posix_fail(os_err);
  *bytes = (uint64_t)v.f_bavail * (uint64_t)v.f_frsize;
  return 0;
}

int slink__os_h_mkfifo(slink__h *dir, const char *name, uint32_t mode,
                       int *os_err) {
  return mkfifoat(slink__posix_h_fd(dir), name, (mode_t)(mode & 07777)) == 0
             ? 0
             : slink__posix_fail(os_err);
}

int slink__os_f_pread(slink__file *f, void *buf, size_t n, uint64_t off,
                      size_t *got, int *os_err) {
  /* A regular file reads short only at its end: no second call to see
   * the end of a small one. */
  for (;;) {
    ssize_t r = pread(f->fd, buf, n, (off_t)off);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return slink__posix_fail(os_err);
    *got = (size_t)r;
    return 0;
  }
}

/* The device last found not to be ntfs-3g's (plus one; 0: none yet).
 * Links are made within one filesystem, so one entry is the whole
 * cache; a device number reused by another mount during one run would
 * only skip ntfs-3g's limit check, which the copy at EMLINK backs up. */
static _Atomic uint64_t plain_dev;

int slink__os_h_link_many(slink__h *tdir, const char *tname, slink__h *dir,
                          const char *name, int *os_err) {
#ifdef __linux__
  if (tdir) {
    uint64_t dev = slink__posix_h_dev(tdir);
    if (atomic_load_explicit(&plain_dev, memory_order_relaxed) != dev + 1) {
      struct statfs sf;
      if (fstatfs(slink__posix_h_fd(tdir), &sf) != 0 ||
          sf.f_type == 0x65735546 /* FUSE: maybe ntfs-3g */)
        return slink__os_h_hardlink(tdir, tname, dir, name, os_err);
      atomic_store_explicit(&plain_dev, dev + 1, memory_order_relaxed);
    }
    if (linkat(slink__posix_h_fd(tdir), tname, slink__posix_h_fd(dir), name,
               0) != 0)
      return slink__posix_fail(os_err);
    return 0;
  }
#endif
  return slink__os_h_hardlink(tdir, tname, dir, name, os_err);
}

int slink__os_sync_fs_covers(void) {
#ifdef __linux__
  return 1;
#else
  return 0;
#endif
}

int slink__os_h_sync_fs(slink__h *dir, int *os_err) {
#ifdef __linux__
  /* Since Linux 5.8 syncfs also reports a write-back error met since
   * DIR's descriptor was opened. */
  return syncfs(slink__posix_h_fd(dir)) == 0 ? 0 : slink__posix_fail(os_err);
#else
  (void)dir;
  if (os_err)
    *os_err = ENOTSUP;
  return SLINK_ENOTSUP;
#endif
}
