/* file.c - the file-handle calls of src/sys.h on POSIX: a regular file
 * opened relative to a directory descriptor without following, read with
 * pread, guarded by a Linux read lease, shared with FIDEDUPERANGE. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#endif

#include "posix/posix.h"

#define FUSE_MAGIC 0x65735546
#define NTFS_MAGIC 0x5346544e   /* the old kernel driver */
#define NTFS3_MAGIC 0x7366746e  /* ntfs3 */
/* Windows refuses a 1,024th name; ntfs-3g and ntfs3 would allow more. */
#define NTFS_LINK_MAX 1023
/* btrfs takes at most this much per FIDEDUPERANGE call. */
#define DEDUPE_PIECE (16u << 20)

struct slink__rf {
  int fd;
  int guard;      /* 1 lease held, or SLINK_EBUSY / SLINK_ENOTSUP */
  int guard_err;  /* errno of the refused lease */
};

static int is_regular(const struct stat *sb) { return S_ISREG(sb->st_mode); }

#ifdef __linux__
/* The lease's break notice goes to a signal whose default action is to
 * be ignored, so a library never kills its program with SIGIO; the
 * pending break is read back with F_GETLEASE instead. */
static void take_lease(slink__rf *f) {
  if (fcntl(f->fd, F_SETSIG, SIGURG) != 0 ||
      fcntl(f->fd, F_SETLEASE, F_RDLCK) != 0) {
    f->guard_err = errno;
    f->guard = errno == EAGAIN ? SLINK_EBUSY : SLINK_ENOTSUP;
    return;
  }
  f->guard = 1;
}
#else
static void take_lease(slink__rf *f) {
  f->guard_err = ENOTSUP;
  f->guard = SLINK_ENOTSUP;
}
#endif

int slink__os_rf_open(slink__h *dir, const char *name, unsigned flags,
                     const slink__stat *expect, slink__rf **out,
                     slink__stat *st, int *os_err) {
  int dfd = dir ? slink__posix_h_fd(dir) : AT_FDCWD;
  /* O_NONBLOCK: a FIFO swapped in cannot hang the open. */
  int fd = openat(dfd, name,
                  O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) {
      if (os_err)
        *os_err = errno;
      return expect ? SLINK_ECHANGED : SLINK_EINVAL;
    }
    return slink__posix_fail(os_err);
  }
  struct stat sb;
  int rc = 0;
  slink__stat mine;
  if (fstat(fd, &sb) != 0)
    rc = slink__posix_fail(os_err);
  else if (!is_regular(&sb))
    rc = expect ? SLINK_ECHANGED : SLINK_EINVAL;
  if (rc == 0) {
    slink__posix_fill_stat(&sb, &mine);
    if (expect && !slink__same_file(expect, &mine))
      rc = SLINK_ECHANGED;
  }
  slink__rf *f = rc == 0 ? calloc(1, sizeof *f) : NULL;
  if (rc == 0 && !f)
    rc = SLINK_ENOMEM;
  if (rc < 0) {
    close(fd);
    return rc;
  }
  f->fd = fd;
  f->guard = SLINK_ENOTSUP;
  f->guard_err = 0;
  if (flags & SLINK__RF_GUARD)
    take_lease(f);
  if (st)
    *st = mine;
  *out = f;
  return 0;
}

void slink__os_rf_close(slink__rf *f) {
  if (!f)
    return;
  /* Closing the last descriptor gives the lease up. */
  close(f->fd);
  free(f);
}

int slink__os_rf_stat(slink__rf *f, slink__stat *st, int *os_err) {
  struct stat sb;
  if (fstat(f->fd, &sb) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

int slink__os_rf_read(slink__rf *f, uint64_t off, void *buf, size_t n,
                     size_t *got, int *os_err) {
  for (;;) {
    ssize_t r = pread(f->fd, buf, n, (off_t)off);
    if (r >= 0) {
      *got = (size_t)r;
      return 0;
    }
    if (errno != EINTR)
      return slink__posix_fail(os_err);
  }
}

int slink__os_rf_guard(slink__rf *f, int *os_err) {
  if (f->guard != 1) {
    if (os_err)
      *os_err = f->guard_err;
    return f->guard;
  }
#ifdef __linux__
  /* A lease being broken reads back as F_UNLCK. */
  int t = fcntl(f->fd, F_GETLEASE);
  return t == F_RDLCK;
#else
  return 0;
#endif
}

#if defined(__linux__) && defined(FIDEDUPERANGE)
static int dedupe_pieces(int sfd, int dfd, uint64_t len,
                         struct file_dedupe_range *r, size_t asize,
                         int *os_err);
#endif

int slink__os_rf_dedupe(slink__rf *src, slink__rf *dst, uint64_t len,
                       int *os_err) {
#if defined(__linux__) && defined(FIDEDUPERANGE)
  size_t asize = sizeof(struct file_dedupe_range) +
                 sizeof(struct file_dedupe_range_info);
  struct file_dedupe_range *r = malloc(asize);
  if (!r)
    return SLINK_ENOMEM;
  int rc = dedupe_pieces(src->fd, dst->fd, len, r, asize, os_err);
  free(r);
  return rc;
#else
  (void)src;
  (void)dst;
  (void)len;
  if (os_err)
    *os_err = ENOTSUP;
  return SLINK_ENOREFLINK;
#endif
}

#if defined(__linux__) && defined(FIDEDUPERANGE)
static int dedupe_pieces(int sfd, int dfd, uint64_t len,
                         struct file_dedupe_range *r, size_t asize,
                         int *os_err) {
  struct file_dedupe_range_info *i = &r->info[0];
  uint64_t off = 0;
  while (off < len) {
    uint64_t n = len - off < DEDUPE_PIECE ? len - off : DEDUPE_PIECE;
    memset(r, 0, asize);
    r->src_offset = off;
    r->src_length = n;
    r->dest_count = 1;
    i->dest_fd = dfd;
    i->dest_offset = off;
    if (ioctl(sfd, FIDEDUPERANGE, r) != 0) {
      int e = errno;
      if (os_err)
        *os_err = e;
      /* As on Windows: said as what it is, not as any refused call. */
      return e == EOPNOTSUPP || e == ENOTTY || e == EXDEV || e == EINVAL
                 ? SLINK_ENOREFLINK
                 : slink__posix_err(e);
    }
    if (i->status == FILE_DEDUPE_RANGE_DIFFERS)
      return SLINK_ECHANGED;
    if (i->status < 0) {
      if (os_err)
        *os_err = -i->status;
      return i->status == -EOPNOTSUPP || i->status == -EINVAL
                 ? SLINK_ENOREFLINK
                 : slink__posix_err(-i->status);
    }
    if (i->bytes_deduped == 0)
      return SLINK_ECHANGED; /* the file shrank under us */
    off += i->bytes_deduped;
  }
  return 0;
}
#endif

int slink__os_rf_link_max(slink__rf *f, uint64_t *max, int *os_err) {
  errno = 0;
  long m = fpathconf(f->fd, _PC_LINK_MAX);
  if (m < 0 && errno != 0)
    return slink__posix_fail(os_err);
  uint64_t v = m < 0 ? UINT64_MAX : (uint64_t)m;
#ifdef __linux__
  struct statfs sf;
  if (fstatfs(f->fd, &sf) == 0) {
    int ntfs = sf.f_type == NTFS_MAGIC || sf.f_type == NTFS3_MAGIC;
    /* Only ntfs-3g answers this attribute among FUSE filesystems. */
    if (sf.f_type == FUSE_MAGIC &&
        fgetxattr(f->fd, "system.ntfs_attrib", NULL, 0) == 4)
      ntfs = 1;
    /* glibc says 127 for filesystems it does not know, FUSE among them;
     * NTFS is 1,023 whatever its driver would allow. */
    if (ntfs)
      v = NTFS_LINK_MAX;
  }
#endif
  *max = v;
  return 0;
}

#ifdef __linux__
/* The attribute names of FD, sorted, as one malloc'd block of
 * NUL-terminated names; *N is its size. */
static int list_names(int fd, char **out, size_t *n, int *os_err) {
  for (;;) {
    ssize_t len = flistxattr(fd, NULL, 0);
    if (len < 0) {
      if (errno == ENOTSUP) {
        *out = NULL;
        *n = 0;
        return 0;
      }
      return slink__posix_fail(os_err);
    }
    if (len == 0) { /* most files: one call says it */
      *out = NULL;
      *n = 0;
      return 0;
    }
    char *b = malloc((size_t)len + 1);
    if (!b)
      return SLINK_ENOMEM;
    ssize_t got = flistxattr(fd, b, (size_t)len);
    if (got < 0 && errno == ERANGE) {
      free(b);
      continue;
    }
    if (got < 0) {
      free(b);
      return slink__posix_fail(os_err);
    }
    *out = b;
    *n = (size_t)got;
    return 0;
  }
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in BLOCK (N bytes) as a sorted array; *COUNT of them. */
static char **split(char *block, size_t n, size_t *count) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += block[i] == '\0';
  char **v = malloc((k + 1) * sizeof *v);
  if (!v)
    return NULL;
  size_t j = 0;
  for (size_t i = 0; i < n && j < k; j++) {
    v[j] = block + i;
    i += strlen(block + i) + 1;
  }
  qsort(v, j, sizeof *v, cmp_str);
  *count = j;
  return v;
}

/* The value of NAME on FD, malloc'd, in *V of *VN bytes. */
static int value(int fd, const char *name, char **v, size_t *vn,
                 int *os_err) {
  for (;;) {
    ssize_t len = fgetxattr(fd, name, NULL, 0);
    if (len < 0)
      return slink__posix_fail(os_err);
    char *b = malloc((size_t)len + 1);
    if (!b)
      return SLINK_ENOMEM;
    ssize_t got = fgetxattr(fd, name, b, (size_t)len);
    if (got < 0 && errno == ERANGE) {
      free(b);
      continue;
    }
    if (got < 0) {
      free(b);
      return slink__posix_fail(os_err);
    }
    *v = b;
    *vn = (size_t)got;
    return 0;
  }
}
#endif

/* Each name (sorted) with its NUL, its value's length (8 bytes) and the
 * value: one byte string per set of attributes. */
int slink__os_rf_xattrs(slink__rf *f, unsigned char **out, size_t *n,
                        int *os_err) {
  *out = NULL;
  *n = 0;
#ifdef __linux__
  char *names = NULL, **v = NULL;
  size_t nn = 0, count = 0;
  int rc = list_names(f->fd, &names, &nn, os_err);
  if (rc < 0 || nn == 0)
    return rc;
  if (!(v = split(names, nn, &count)))
    rc = SLINK_ENOMEM;
  unsigned char *b = NULL;
  size_t len = 0, cap = 0;
  for (size_t i = 0; rc == 0 && i < count; i++) {
    char *x = NULL;
    size_t xn = 0, k = strlen(v[i]) + 1;
    rc = value(f->fd, v[i], &x, &xn, os_err);
    uint64_t xl = xn;
    if (rc == 0 && len + k + sizeof xl + xn > cap) {
      size_t c = (len + k + sizeof xl + xn) * 2;
      unsigned char *nb = realloc(b, c);
      if (nb) {
        b = nb;
        cap = c;
      } else
        rc = SLINK_ENOMEM;
    }
    if (rc == 0) {
      memcpy(b + len, v[i], k);
      memcpy(b + len + k, &xl, sizeof xl);
      memcpy(b + len + k + sizeof xl, x, xn);
      len += k + sizeof xl + xn;
    }
    free(x);
  }
  free(v);
  free(names);
  if (rc < 0) {
    free(b);
    return rc;
  }
  *out = b;
  *n = len;
  return 0;
#else
  (void)f;
  (void)os_err;
  return 0;
#endif
}

int slink__os_rf_replace(slink__rf *f, slink__h *dir, const char *t,
                         const char *name, int *os_err) {
  (void)f; /* the lease keeps holding across the rename */
  return slink__os_h_rename(dir, t, dir, name, 0, os_err);
}
