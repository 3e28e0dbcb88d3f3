/* fakeio.c - the POSIX side of the calls that read and write the files
 * other systems keep in place of links (Git placeholders, Cygwin files,
 * WSL reparse points), always relative to a directory handle. ntfs-3g
 * shows a file's Windows attributes and reparse data as extended
 * attributes; they are reached through the descriptor's /proc name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/internal.h"
#include "posix/ntfs.h"
#include "posix/posix.h"

#define XA_ATTRIB "system.ntfs_attrib"
#define XA_REPARSE "system.ntfs_reparse_data"

static uint32_t le32(const unsigned char *a) {
  return (uint32_t)a[0] | (uint32_t)a[1] << 8 | (uint32_t)a[2] << 16 |
         (uint32_t)a[3] << 24;
}

/* The entry NAME of DIR as a path that goes through the descriptor. */
static int proc_name(slink__h *dir, const char *name, char out[64 + 256]) {
  int n = snprintf(out, 64 + 256, "/proc/self/fd/%d/%s",
                   slink__posix_h_fd(dir), name);
  return n > 0 && n < 64 + 256 ? 0 : SLINK_ENAMETOOLONG;
}

int slink__os_h_attrs(slink__h *dir, const char *name, uint32_t *attrs,
                      int *os_err) {
  char p[64 + 256];
  unsigned char a[4];
  int rc = proc_name(dir, name, p);
  if (rc < 0)
    return rc;
  ssize_t n = lgetxattr(p, XA_ATTRIB, a, sizeof a);
  if (n != 4) {
    if (n < 0 && errno != ENODATA && errno != ENOTSUP)
      return slink__posix_fail(os_err);
    return SLINK_ENOTSUP;
  }
  *attrs = le32(a);
  return 0;
}

int slink__os_h_read_small(slink__h *dir, const char *name, size_t max,
                           unsigned char **buf, size_t *len, slink__stat *st,
                           int *has_attrs, int *os_err) {
  *buf = NULL;
  *len = 0;
  *has_attrs = 0;
  /* O_NONBLOCK: a FIFO put there never blocks the open; O_NOFOLLOW: a
   * link there is not read through. */
  int fd = openat(slink__posix_h_fd(dir), name,
                  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return errno == ELOOP ? SLINK_EINVAL : slink__posix_fail(os_err);
  struct stat sb;
  int rc = 0;
  unsigned char *b = NULL;
  if (fstat(fd, &sb) != 0) {
    rc = slink__posix_fail(os_err);
    goto out;
  }
  slink__posix_fill_stat(&sb, st);
  if (!S_ISREG(sb.st_mode)) {
    rc = SLINK_EINVAL;
    goto out;
  }
  if ((uint64_t)sb.st_size > max) {
    rc = SLINK_ETOOBIG;
    goto out;
  }
  unsigned char a[4];
  if (fgetxattr(fd, XA_ATTRIB, a, sizeof a) == 4) {
    st->attrs = le32(a);
    *has_attrs = 1;
  }
  size_t cap = (size_t)sb.st_size + 1, got = 0;
  if (!(b = malloc(cap + 1))) {
    rc = SLINK_ENOMEM;
    goto out;
  }
  /* Read one byte past the size: a file that grew is seen to. */
  while (got < cap) {
    ssize_t n = read(fd, b + got, cap - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      rc = slink__posix_fail(os_err);
      goto out;
    }
    if (n == 0)
      break;
    got += (size_t)n;
  }
  if (got > (size_t)sb.st_size) {
    rc = SLINK_ECHANGED;
    goto out;
  }
  b[got] = 0;
  *buf = b;
  *len = got;
  b = NULL;
out:
  free(b);
  close(fd);
  return rc;
}

/* After the file is closed: ntfs-3g adds FILE_ATTRIBUTE_ARCHIVE when a
 * file written to is released, and the attributes must be exactly ATTRS
 * (Cygwin's sys file: SYSTEM alone, as NtSetAttributesFile leaves it). */
static void set_attrs(slink__h *dir, const char *name, uint32_t attrs) {
  unsigned char a[4] = {(unsigned char)attrs, (unsigned char)(attrs >> 8),
                        (unsigned char)(attrs >> 16),
                        (unsigned char)(attrs >> 24)};
  char p[64 + 256];
  /* Only ntfs-3g keeps it; elsewhere the attribute is simply not there. */
  if (proc_name(dir, name, p) == 0)
    (void)lsetxattr(p, XA_ATTRIB, a, sizeof a, 0);
}

int slink__os_h_write_new(slink__h *dir, const char *name, const void *data,
                          size_t len, uint32_t mode, uint32_t attrs,
                          int *os_err) {
  int dfd = slink__posix_h_fd(dir);
  int fd = openat(dfd, name,
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)mode);
  if (fd < 0)
    return slink__posix_fail(os_err);
  const unsigned char *p = data;
  size_t done = 0;
  int rc = 0;
  while (done < len) {
    ssize_t n = write(fd, p + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      rc = n < 0 ? slink__posix_fail(os_err) : SLINK_EIO;
      break;
    }
    done += (size_t)n;
  }
  if (close(fd) != 0 && rc == 0)
    rc = slink__posix_fail(os_err);
  if (rc == 0 && attrs)
    set_attrs(dir, name, attrs);
  if (rc < 0)
    unlinkat(dfd, name, 0);
  return rc;
}

int slink__os_h_reparse_new(slink__h *dir, const char *name, int is_dir,
                            const unsigned char *buf, size_t len,
                            int *os_err) {
  char p[64 + 256];
  int dfd = slink__posix_h_fd(dir);
  int rc = proc_name(dir, name, p);
  if (rc < 0)
    return rc;
  if (is_dir ? mkdirat(dfd, name, 0777) != 0
             : mknodat(dfd, name, S_IFREG | 0666, 0) != 0)
    return slink__posix_fail(os_err);
  if (lsetxattr(p, XA_REPARSE, buf, len, 0) != 0) {
    rc = errno == ENOTSUP || errno == EOPNOTSUPP ? SLINK_ENOTSUP
                                                 : slink__posix_err(errno);
    if (os_err)
      *os_err = errno;
    unlinkat(dfd, name, is_dir ? AT_REMOVEDIR : 0);
  }
  return rc;
}

int slink__os_h_winpath(slink__h *dir, const char *winpath, char **target,
                        int *os_err) {
  char *path;
  *target = NULL;
  int rc = slink__os_h_realpath(dir, &path, os_err);
  if (rc < 0)
    return rc;
  rc = slink__ntfs_dir_is_ntfs(path)
           ? slink__ntfs_posix_path(path, winpath, target, os_err)
           : SLINK_EWINDRIVE;
  free(path);
  return rc;
}

int slink__os_h_set_attrs(slink__h *dir, const char *name,
                          const slink__stat *expect, uint32_t attrs,
                          int *os_err) {
  unsigned char a[4] = {(unsigned char)attrs, (unsigned char)(attrs >> 8),
                        (unsigned char)(attrs >> 16),
                        (unsigned char)(attrs >> 24)};
  int fd = openat(slink__posix_h_fd(dir), name,
                  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return slink__posix_fail(os_err);
  struct stat sb;
  slink__stat st;
  int rc = 0;
  if (fstat(fd, &sb) != 0) {
    rc = slink__posix_fail(os_err);
  } else {
    slink__posix_fill_stat(&sb, &st);
    if (!slink__same_file(&st, expect))
      rc = SLINK_ECHANGED;
    else if (fsetxattr(fd, XA_ATTRIB, a, sizeof a, 0) != 0 &&
             errno != ENOTSUP && errno != EOPNOTSUPP)
      rc = slink__posix_fail(os_err);
  }
  close(fd);
  return rc;
}

/* No shell namespace here: a shortcut gets no ID list, as Cygwin makes it
 * for a target the Windows shell cannot parse. */
int slink__os_shell_idlist(const char *winpath, unsigned char **buf,
                           size_t *n) {
  (void)winpath;
  *buf = NULL;
  *n = 0;
  return 0;
}
