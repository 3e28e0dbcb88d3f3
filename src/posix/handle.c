/* handle.c - the directory-handle contract of src/sys.h on POSIX: a
 * directory descriptor, and every call relative to it (openat, fstatat,
 * readlinkat, unlinkat, renameat2, symlinkat, linkat). ntfs-3g mounts are
 * reached through /proc/self/fd/N/NAME, which names the entry through the
 * descriptor, never through the path the user gave. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#endif

#include "lib/hook.h"
#include "lib/internal.h"
#include "posix/ntfs.h"
#include "posix/posix.h"

#define DENTS_BUF 32768
#define FUSE_MAGIC 0x65735546
#define EXT4_MAGIC 0xEF53 /* ext2, ext3 and ext4 */
/* O_NONBLOCK: a FIFO swapped in for a directory cannot hang the open. */
#define DIR_OPEN (O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)

struct slink__h {
  int fd;
  dev_t dev;
  int fuse;             /* -1: not asked yet */
#ifdef __linux__
  long fstype;          /* statfs f_type, once fuse is asked */
  size_t pos, end;
  int at_end;           /* the last listing call reached the end */
  char *buf;            /* DENTS_BUF bytes, made on the first listing */
  uint64_t prove;       /* nonzero: the inode the first listing must
                         * show this is (SLINK__H_LISTED) */
  int refused;          /* it showed another: no listing */
#else
  DIR *d;
#endif
};

static slink__h *wrap(int fd, const struct stat *sb) {
  slink__h *h = calloc(1, sizeof *h);
  if (!h)
    return NULL;
  h->fd = fd;
  h->dev = sb->st_dev;
  h->fuse = -1;
  return h;
}

size_t slink__os_path_max(void) { return PATH_MAX - 1; }

static int open_follow(int dirfd, const char *rel) {
  return openat(dirfd, rel, DIR_OPEN);
}

static int open_one(int dirfd, const char *name) {
  return openat(dirfd, name, DIR_OPEN | O_NOFOLLOW);
}

/* REL below DIRFD with no link followed: one component at a time, each
 * opened with O_NOFOLLOW, for systems without openat2. */
static int open_beneath_slow(int dirfd, const char *rel) {
  int cur = dirfd;
  const char *p = rel;
  char name[NAME_MAX + 1];
  for (;;) {
    while (*p == '/')
      p++;
    const char *e = p;
    while (*e && *e != '/')
      e++;
    size_t n = (size_t)(e - p);
    if (n == 0 || n > NAME_MAX || (n <= 2 && p[0] == '.' && (n == 1 || p[1] == '.'))) {
      if (cur != dirfd)
        close(cur);
      errno = n == 0 ? ENOENT : n > NAME_MAX ? ENAMETOOLONG : EXDEV;
      return -1;
    }
    memcpy(name, p, n);
    name[n] = '\0';
    int next = open_one(cur, name);
    int e_saved = errno;
    if (cur != dirfd)
      close(cur);
    if (next < 0) {
      errno = e_saved;
      return -1;
    }
    cur = next;
    while (*e == '/')
      e++;
    if (!*e)
      return cur;
    p = e;
  }
}

static int open_beneath(int dirfd, const char *rel) {
#if defined(__linux__) && defined(SYS_openat2)
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)DIR_OPEN;
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int tries = 0; tries < 8; tries++) {
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (fd >= 0)
      return (int)fd;
    /* EAGAIN: a rename raced the lookup; ENOSYS, E2BIG: an older kernel. */
    if (errno != EAGAIN)
      break;
  }
  if (errno != ENOSYS && errno != E2BIG && errno != EAGAIN)
    return -1;
#endif
  return open_beneath_slow(dirfd, rel);
}

static int on_fuse(slink__h *h);

#ifdef __linux__
/* SLINK__H_LISTED: the directory NAME of DIR (with SLINK__H_BENEATH a
 * path below it), which a listing gave as inode INO, opened without the
 * fstat that would prove it is that one. openat2 RESOLVE_NO_XDEV keeps
 * the whole lookup on DIR's mount, so on ext2/3/4
 * (one device number per filesystem, no subvolumes) the directory is on
 * DIR's device; its inode is the "." entry of its own first listing,
 * which slink__os_h_next checks before it returns anything. 0 with *OUT
 * set; 1: not here (another filesystem, a mount point to cross, no
 * openat2), the caller opens as without the flag; or an error. */
static int open_listed(slink__h *dir, const char *name, unsigned flags,
                       uint64_t ino, slink__h **out, slink__stat *st,
                       int *os_err) {
#ifdef SYS_openat2
  static _Thread_local int no_openat2; /* each thread learns it once */
  if (!dir || ino == 0 || no_openat2 || on_fuse(dir) ||
      dir->fstype != EXT4_MAGIC)
    return 1;
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(DIR_OPEN | O_NOFOLLOW);
  how.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  if (flags & SLINK__H_BENEATH)
    how.resolve |= RESOLVE_BENEATH;
  long fd = syscall(SYS_openat2, dir->fd, name, &how, sizeof how);
  if (fd < 0) {
    if (errno == ENOSYS || errno == E2BIG)
      no_openat2 = 1;
    if (errno == EXDEV || errno == ENOSYS || errno == E2BIG || errno == EAGAIN)
      return 1;
    if (errno == ELOOP) {
      if (os_err)
        *os_err = errno;
      return SLINK_ENOTDIR;
    }
    return slink__posix_fail(os_err);
  }
  slink__h *h = calloc(1, sizeof *h);
  if (!h) {
    close((int)fd);
    return SLINK_ENOMEM;
  }
  h->fd = (int)fd;
  h->dev = dir->dev;
  h->fuse = 0;
  h->fstype = dir->fstype;
  h->prove = ino;
  memset(st, 0, sizeof *st);
  st->kind = SLINK_KIND_DIR;
  st->dev = (uint64_t)dir->dev;
  st->ino = ino;
  *out = h;
  return 0;
#else
  (void)dir, (void)name, (void)flags, (void)ino, (void)out, (void)st,
      (void)os_err;
  return 1;
#endif
}
#endif

int slink__os_h_open(slink__h *dir, const char *rel, unsigned flags,
                     const slink__stat *expect, slink__h **out,
                     slink__stat *st, int *os_err) {
  int dirfd = dir ? dir->fd : AT_FDCWD;
  int fd;
#ifdef __linux__
  if ((flags & SLINK__H_LISTED) && !(flags & SLINK__H_FOLLOW) && st) {
    int rc = open_listed(dir, rel, flags, st->ino, out, st, os_err);
    if (rc <= 0)
      return rc;
  }
#endif
  if (flags & SLINK__H_FOLLOW)
    fd = open_follow(dirfd, rel);
  else if (flags & SLINK__H_BENEATH)
    fd = open_beneath(dirfd, rel);
  else
    fd = open_one(dirfd, rel);
  if (fd < 0) {
    /* O_NOFOLLOW (or RESOLVE_NO_SYMLINKS) met a link: it is no directory
     * to enter, whatever it points to. */
    if (errno == ELOOP && !(flags & SLINK__H_FOLLOW)) {
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
  slink__stat mine;
  slink__posix_fill_stat(&sb, &mine);
  if (expect && !slink__same_file(&mine, expect)) {
    close(fd);
    return SLINK_ECHANGED;
  }
  slink__h *h = wrap(fd, &sb);
  if (!h) {
    close(fd);
    return SLINK_ENOMEM;
  }
  /* One device number is one mounted filesystem: a directory on its
   * parent's device is on ntfs-3g exactly when the parent is, so the
   * fstatfs of on_fuse() is asked once per tree, not once per directory. */
  if (dir && dir->dev == sb.st_dev) {
    h->fuse = on_fuse(dir);
#ifdef __linux__
    h->fstype = dir->fstype;
#endif
  }
  if (st)
    *st = mine;
  *out = h;
  return 0;
}

void slink__os_h_close(slink__h *h) {
  if (!h)
    return;
#ifdef __linux__
  free(h->buf);
  close(h->fd);
#else
  if (h->d)
    closedir(h->d);
  else
    close(h->fd);
#endif
  free(h);
}

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

static int is_dot(const char *n) {
  return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

#ifdef __linux__
/* The record getdents64 writes (fixed by the kernel ABI). */
struct dent64 {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

/* The longest record getdents64 writes: its header, NAME_MAX bytes and a
 * NUL, rounded up to 8. */
#define DENT_MAX ((offsetof(struct dent64, name) + NAME_MAX + 1 + 7) & ~(size_t)7)

/* Did the last listing call (H->end bytes, its last record giving
 * LAST_OFF as the position after it) reach the end? Then the call that
 * would return 0 is not made (one system call in five on a tree of small
 * directories). Room for another record is not enough: filldir64
 * (fs/readdir.c) also stops early when a signal is pending, whatever the
 * room. So the position must be the filesystem's end marker, one no entry
 * ever has. Only where the kernel's readdir was read to say so:
 * ext4_dx_readdir (fs/ext4/dir.c), which lists every directory of an
 * ext3/ext4 filesystem with dir_index, even one block long, sets
 * ctx->pos to ext4_get_htree_eof() only when the hash tree has no next
 * entry; an entry's position is hash2pos() of a major hash that
 * ext4fs_dirhash (fs/ext4/hash.c) never lets reach the marker's value.
 * Linear ext2/ext4 directories end at their size, never at the marker,
 * and keep the last call. tmpfs, btrfs and xfs are left out: their end
 * positions are either not fixed (xfs) or a value a real entry can have
 * or that changed between kernel versions (btrfs INT_MAX, tmpfs);
 * FUSE, NFS, overlay and the rest answer as their servers do. */
static int listing_ended(const slink__h *h, int64_t last_off) {
  if (h->fstype != EXT4_MAGIC || DENTS_BUF - h->end < DENT_MAX)
    return 0;
  /* EXT4_HTREE_EOF_32BIT where the system call is a 32-bit one. */
  return last_off == (sizeof(long) < 8 ? (int64_t)0x7fffffff : INT64_MAX);
}

/* H, opened with SLINK__H_LISTED, is the directory its parent listed:
 * the "." entry of the N bytes its first listing call gave says so. ext4
 * lists an indexed directory's "." first (ext4_htree_fill_tree stores it
 * at hash 0, fs/ext4/namei.c), a one-block directory's in the hash order
 * of its block, a linear one's first in block 0: in the first call's
 * records, unless a pending signal cut the call short. Where it is not
 * there the handle is asked. */
static int prove(slink__h *h, size_t n, int *os_err) {
  uint64_t want = h->prove;
  h->prove = 0;
  for (size_t p = 0; p < n;) {
    const struct dent64 *r = (const struct dent64 *)(void *)(h->buf + p);
    if (r->name[0] == '.' && r->name[1] == '\0')
      return r->ino == want ? 0 : SLINK_ECHANGED;
    p += r->reclen;
  }
  struct stat sb;
  if (fstat(h->fd, &sb) != 0)
    return slink__posix_fail(os_err);
  return sb.st_ino == want && sb.st_dev == h->dev ? 0 : SLINK_ECHANGED;
}

int slink__os_h_next(slink__h *h, slink__dirent *e, int *os_err) {
  for (;;) {
    if (h->pos >= h->end) {
      if (h->at_end) {
        /* Kept open directories keep no buffer. */
        free(h->buf);
        h->buf = NULL;
        return 0;
      }
      if (h->refused)
        return SLINK_ECHANGED;
      if (!h->buf && !(h->buf = malloc(DENTS_BUF)))
        return SLINK_ENOMEM;
      ssize_t n = getdents64(h->fd, h->buf, DENTS_BUF);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        return slink__posix_fail(os_err);
      }
      if (h->prove) {
        int rc = prove(h, (size_t)n, os_err);
        if (rc < 0) {
          h->refused = 1;
          return rc;
        }
      }
      if (n == 0) {
        h->at_end = 1;
        return 0;
      }
      h->pos = 0;
      h->end = (size_t)n;
    }
    struct dent64 *r = (struct dent64 *)(void *)(h->buf + h->pos);
    h->pos += r->reclen;
    if (h->pos >= h->end && listing_ended(h, r->off))
      h->at_end = 1;
    if (is_dot(r->name))
      continue;
    e->name = r->name;
    e->name_len = strlen(r->name);
    e->kind = kind_of(r->type);
    e->ino = r->ino;
    return 1;
  }
}

int slink__os_h_rewind(slink__h *h, int *os_err) {
  if (lseek(h->fd, 0, SEEK_SET) < 0)
    return slink__posix_fail(os_err);
  h->pos = h->end = 0;
  h->at_end = 0;
  return 0;
}
#else
static int ensure_dir(slink__h *h, int *os_err) {
  if (h->d)
    return 0;
  /* fdopendir takes the descriptor over; keep one of our own. */
  int fd = dup(h->fd);
  if (fd < 0)
    return slink__posix_fail(os_err);
  if (!(h->d = fdopendir(fd))) {
    int rc = slink__posix_fail(os_err);
    close(fd);
    return rc;
  }
  return 0;
}

int slink__os_h_next(slink__h *h, slink__dirent *e, int *os_err) {
  int rc = ensure_dir(h, os_err);
  if (rc < 0)
    return rc;
  for (;;) {
    errno = 0;
    struct dirent *r = readdir(h->d);
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

int slink__os_h_rewind(slink__h *h, int *os_err) {
  int rc = ensure_dir(h, os_err);
  if (rc == 0)
    rewinddir(h->d);
  return rc;
}
#endif

int slink__os_h_lstat(slink__h *h, const char *name, slink__stat *st,
                      int *os_err) {
  struct stat sb;
  int r = name ? fstatat(h->fd, name, &sb, AT_SYMLINK_NOFOLLOW)
               : fstat(h->fd, &sb);
  if (r != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

int slink__os_h_stat(slink__h *h, const char *name, slink__stat *st,
                     int *os_err) {
  struct stat sb;
  if (fstatat(h->fd, name, &sb, 0) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

static char *fd_path(int fd, const char *name) {
  char pre[40];
  snprintf(pre, sizeof pre, "/proc/self/fd/%d", fd);
  return name ? slink__path_join(pre, name) : slink__strdup(pre);
}

/* ntfs-3g keeps Windows links as reparse data that only its path-based
 * calls reach; the descriptor's /proc name keeps that path pinned. */
static int on_fuse(slink__h *h) {
#ifdef __linux__
  if (h->fuse < 0) {
    struct statfs sf;
    h->fuse = 0;
    if (fstatfs(h->fd, &sf) == 0)
      h->fstype = (long)sf.f_type;
    if (h->fstype == FUSE_MAGIC) {
      char *p = fd_path(h->fd, NULL);
      h->fuse = p && slink__ntfs_dir_is_ntfs(p);
      free(p);
    }
  }
  return h->fuse;
#else
  (void)h;
  return 0;
#endif
}


int slink__os_h_readlink(slink__h *h, const char *name, slink_info *info,
                         int *os_err) {
  if (on_fuse(h)) {
    char *p = fd_path(h->fd, name);
    if (!p)
      return SLINK_ENOMEM;
    int rc = slink__ntfs_readlink(p, info, os_err);
    free(p);
    if (rc != 0)
      return rc < 0 ? rc : 0;
  }
  return slink__posix_readlinkat(h->fd, name, info, os_err);
}

int slink__os_h_unlink(slink__h *h, const char *name,
                       const slink__stat *expect, unsigned flags,
                       int *os_err) {
  if (!expect) {
    if (unlinkat(h->fd, name, 0) != 0)
      return slink__posix_fail(os_err);
    return 0;
  }
  /* No system call removes a name only if it is still a given file: move
   * whatever is there to a private name, look at what was moved, and
   * remove exactly that, or put it back. */
  char tmp[32];
  int rc = SLINK_EEXIST;
  for (int tries = 0; tries < 8 && rc == SLINK_EEXIST; tries++) {
    slink__temp_name(tmp);
    rc = slink__os_h_rename(h, name, h, tmp, SLINK__RENAME_NOREPLACE, os_err);
  }
  if (rc == SLINK_ENOTSUP) {
    /* No NOREPLACE here (not Linux): check, then act, in one directory. */
    struct stat sb;
    if (fstatat(h->fd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
      return slink__posix_fail(os_err);
    slink__stat now;
    slink__posix_fill_stat(&sb, &now);
    if (!slink__same_file(&now, expect))
      return SLINK_ECHANGED;
    if ((flags & SLINK__UNLINK_NOT_LAST) && now.kind != SLINK_KIND_SYMLINK &&
        now.nlink < 2)
      return SLINK_ENOTLINK;
    if (unlinkat(h->fd, name, 0) != 0)
      return slink__posix_fail(os_err);
    return 0;
  }
  if (rc < 0)
    return rc;
  SLINK__HOOK(SLINK__HP_UNLINK_ASIDE, h, tmp);
  struct stat sb;
  int bad = 0;
  if (fstatat(h->fd, tmp, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
    rc = slink__posix_fail(os_err);
    bad = 1;
  } else {
    slink__stat now;
    slink__posix_fill_stat(&sb, &now);
    if (!slink__same_file(&now, expect) || now.kind == SLINK_KIND_DIR)
      rc = SLINK_ECHANGED;
    else if ((flags & SLINK__UNLINK_NOT_LAST) &&
             now.kind != SLINK_KIND_SYMLINK && now.nlink < 2)
      rc = SLINK_ENOTLINK;
    else if (unlinkat(h->fd, tmp, 0) != 0)
      rc = slink__posix_fail(os_err);
    else
      return 0;
  }
  /* Not ours to remove: back under its name, or, if that name was taken
   * meanwhile, kept under the temporary one, which scan reports (nothing
   * is lost). */
  if (!bad)
    slink__os_h_rename(h, tmp, h, name, SLINK__RENAME_NOREPLACE, NULL);
  return rc;
}

int slink__os_h_rmdir(slink__h *h, const char *name,
                      const slink__stat *expect, int *os_err) {
  if (expect) {
    struct stat sb;
    if (fstatat(h->fd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
      return slink__posix_fail(os_err);
    slink__stat now;
    slink__posix_fill_stat(&sb, &now);
    if (!slink__same_file(&now, expect))
      return SLINK_ECHANGED;
  }
  /* An empty directory is all rmdir ever removes, so a swap after the
   * check can cost nothing but an error. */
  if (unlinkat(h->fd, name, AT_REMOVEDIR) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

/* A filesystem without RENAME_NOREPLACE (FUSE, ntfs-3g among them: the
 * kernel answers EINVAL) still gets a rename that never replaces a name it
 * did not make. A directory is renamed over an empty directory made here
 * for it, exclusively: rename replaces an empty directory and nothing else,
 * so a swap in between can only make it fail (ENOTEMPTY, ENOTDIR, EISDIR).
 * Anything else gets a second name (link fails on an existing name) and
 * loses the first, after checking that the first still names what was
 * linked. */
static int rename_noreplace_emulated(int ffd, const char *from, int tfd,
                                     const char *to, int *os_err) {
  struct stat st, now;
  if (fstatat(ffd, from, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return slink__posix_fail(os_err);
  if (S_ISDIR(st.st_mode)) {
    if (mkdirat(tfd, to, 0700) != 0)
      return slink__posix_fail(os_err);
    if (renameat(ffd, from, tfd, to) != 0) {
      int rc = slink__posix_fail(os_err);
      unlinkat(tfd, to, AT_REMOVEDIR);
      return rc;
    }
    return 0;
  }
  /* ntfs-3g fails a second name of a reparse point with EIO and then
   * fails the first name's unlink the same way: never ask. */
  if (S_ISLNK(st.st_mode)) {
    if (os_err)
      *os_err = EINVAL;
    return SLINK_ENOTSUP;
  }
  if (linkat(ffd, from, tfd, to, 0) != 0) {
    if (errno != EEXIST && errno != ENOENT && errno != ENOTDIR) {
      if (os_err)
        *os_err = errno;
      return SLINK_ENOTSUP;
    }
    return slink__posix_fail(os_err);
  }
  if (fstatat(ffd, from, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
      now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
    unlinkat(tfd, to, 0);
    return SLINK_ECHANGED;
  }
  if (unlinkat(ffd, from, 0) != 0) {
    int rc = slink__posix_fail(os_err);
    unlinkat(tfd, to, 0);
    return rc;
  }
  return 0;
}

int slink__os_h_rename(slink__h *from_dir, const char *from, slink__h *to_dir,
                       const char *to, unsigned flags, int *os_err) {
  int ffd = from_dir ? from_dir->fd : AT_FDCWD;
  int tfd = to_dir ? to_dir->fd : AT_FDCWD;
  if (flags) {
#if defined(__linux__) && defined(RENAME_NOREPLACE)
    unsigned rf = (flags & SLINK__RENAME_NOREPLACE ? RENAME_NOREPLACE : 0) |
                  (flags & SLINK__RENAME_EXCHANGE ? RENAME_EXCHANGE : 0);
    if (renameat2(ffd, from, tfd, to, rf) != 0) {
      if ((errno == EINVAL || errno == ENOSYS) &&
          flags == SLINK__RENAME_NOREPLACE)
        return rename_noreplace_emulated(ffd, from, tfd, to, os_err);
      if (errno == EINVAL || errno == ENOSYS) {
        if (os_err)
          *os_err = errno;
        return SLINK_ENOTSUP;
      }
      return slink__posix_fail(os_err);
    }
    return 0;
#else
    return SLINK_ENOTSUP;
#endif
  }
  if (renameat(ffd, from, tfd, to) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_symlink(slink__h *h, const char *name, const char *target,
                        int is_dir, const char *drive, int *os_err) {
  if (on_fuse(h)) {
    char *p = fd_path(h->fd, name);
    if (!p)
      return SLINK_ENOMEM;
    int rc = slink__ntfs_symlink(target, p, is_dir, drive, os_err);
    free(p);
    return rc;
  }
  if (symlinkat(target, h->fd, name) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_junction(slink__h *h, const char *name,
                         const char *abs_target, const char *drive,
                         slink_kind *made_kind, int *os_err) {
  if (on_fuse(h)) {
    char *p = fd_path(h->fd, name);
    if (!p)
      return SLINK_ENOMEM;
    *made_kind = SLINK_KIND_JUNCTION;
    int rc = slink__ntfs_junction(abs_target, p, drive, os_err);
    free(p);
    return rc;
  }
  /* No junctions here: the nearest thing is an absolute symbolic link. */
  *made_kind = SLINK_KIND_SYMLINK;
  if (symlinkat(abs_target, h->fd, name) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_link_can_name(slink__h *h, const char *target, int *os_err) {
  if (!on_fuse(h))
    return 0;
  char *p = fd_path(h->fd, NULL);
  int rc = p ? slink__ntfs_can_name(p, target, os_err) : SLINK_ENOMEM;
  free(p);
  return rc;
}

int slink__os_h_hardlink(slink__h *tdir, const char *tname, slink__h *dir,
                         const char *name, int *os_err) {
  int tfd = tdir ? tdir->fd : AT_FDCWD;
  if (slink__ntfs_at_link_limit(tfd, tname)) {
    errno = EMLINK;
    return slink__posix_fail(os_err);
  }
  if (linkat(tfd, tname, dir->fd, name, 0) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_mkdir(slink__h *h, const char *name, uint32_t mode,
                      int *os_err) {
  if (mkdirat(h->fd, name, (mode_t)mode) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_make_writable(slink__h *h, int *os_err) {
  struct stat sb;
  if (fstat(h->fd, &sb) != 0)
    return slink__posix_fail(os_err);
  if (fchmod(h->fd, (sb.st_mode & 07777) | S_IRWXU) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_h_may_change(slink__h *h, const char *name, int *os_err) {
  struct statvfs vf;
  if (fstatvfs(h->fd, &vf) == 0 && (vf.f_flag & ST_RDONLY)) {
    if (os_err)
      *os_err = EROFS;
    return SLINK_EROFS;
  }
  /* The effective ids judge, as they will judge the real call. */
  if (faccessat(h->fd, ".", W_OK | X_OK, AT_EACCESS) != 0)
    return slink__posix_fail(os_err);
  struct stat d;
  if (name && fstat(h->fd, &d) == 0 && (d.st_mode & S_ISVTX)) {
    uid_t me = geteuid();
    struct stat e;
    if (me != 0 && me != d.st_uid &&
        fstatat(h->fd, name, &e, AT_SYMLINK_NOFOLLOW) == 0 && me != e.st_uid) {
      if (os_err)
        *os_err = EPERM;
      return SLINK_EPERM;
    }
  }
  return 0;
}

/* The name of the directory CHILD inside PARENT, by its inode. */
static int name_in(int parent, const struct stat *child, char **out) {
  int fd = dup(parent);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0)
      close(fd);
    return slink__posix_fail(NULL);
  }
  struct dirent *e;
  int rc = SLINK_ENOENT;
  while ((e = readdir(d)) != NULL) {
    if (is_dot(e->d_name))
      continue;
    struct stat sb;
    if (fstatat(parent, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        sb.st_dev == child->st_dev && sb.st_ino == child->st_ino) {
      *out = slink__strdup(e->d_name);
      rc = *out ? 0 : SLINK_ENOMEM;
      break;
    }
  }
  closedir(d);
  return rc;
}

/* The path of FD built from the names found climbing "..", as getcwd
 * does, for directories deeper than /proc can name. */
static int climb(int fd, char **out) {
  size_t cap = 256, start = cap - 1;
  char *buf = malloc(cap);
  if (!buf)
    return SLINK_ENOMEM;
  buf[start] = '\0';
  int cur = dup(fd);
  int rc = cur < 0 ? slink__posix_fail(NULL) : 0;
  while (rc == 0) {
    struct stat here, up;
    int parent = openat(cur, "..", DIR_OPEN);
    if (parent < 0 || fstat(cur, &here) != 0 || fstat(parent, &up) != 0) {
      rc = slink__posix_fail(NULL);
      if (parent >= 0)
        close(parent);
      break;
    }
    if (here.st_dev == up.st_dev && here.st_ino == up.st_ino) {
      close(parent);
      break; /* the root */
    }
    char *name = NULL;
    rc = name_in(parent, &here, &name);
    close(cur);
    cur = parent;
    if (rc < 0)
      break;
    size_t n = strlen(name);
    while (start < n + 1) {
      char *nb = malloc(cap * 2);
      if (!nb) {
        rc = SLINK_ENOMEM;
        break;
      }
      memcpy(nb + cap + start, buf + start, cap - start);
      start += cap;
      cap *= 2;
      free(buf);
      buf = nb;
    }
    if (rc == 0) {
      start -= n;
      memcpy(buf + start, name, n);
      buf[--start] = '/';
    }
    free(name);
  }
  if (cur >= 0)
    close(cur);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  if (buf[start] == '\0')
    buf[--start] = '/';
  *out = slink__strdup(buf + start);
  free(buf);
  return *out ? 0 : SLINK_ENOMEM;
}

int slink__os_h_realpath(slink__h *h, char **out, int *os_err) {
  char *p = fd_path(h->fd, NULL);
  if (!p)
    return SLINK_ENOMEM;
  char *r = realpath(p, NULL);
  free(p);
  if (r) {
    *out = r;
    return 0;
  }
  if (errno != ENAMETOOLONG && errno != ENOENT)
    return slink__posix_fail(os_err);
  return climb(h->fd, out);
}

void slink__os_signals_hold(slink__sigsave *saved) {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  _Static_assert(sizeof(sigset_t) <= sizeof saved->opaque, "sigset_t fits");
  pthread_sigmask(SIG_BLOCK, &block, (sigset_t *)(void *)saved->opaque);
}

void slink__os_signals_release(const slink__sigsave *saved) {
  pthread_sigmask(SIG_SETMASK, (const sigset_t *)(const void *)saved->opaque,
                  NULL);
}

int slink__posix_h_fd(const slink__h *h) { return h->fd; }

uint64_t slink__posix_h_dev(const slink__h *h) { return (uint64_t)h->dev; }
