/* fs.c - the POSIX backend: links made, read and removed with the
 * ordinary system calls; NTFS volumes mounted by ntfs-3g are handed to
 * ntfs.c so that their links are real Windows reparse points. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/internal.h"
#include "posix/ntfs.h"
#include "posix/posix.h"

void slink__posix_fill_stat(const struct stat *sb, slink__stat *st) {
  switch (sb->st_mode & S_IFMT) {
  case S_IFLNK: st->kind = SLINK_KIND_SYMLINK; break;
  case S_IFREG: st->kind = SLINK_KIND_FILE; break;
  case S_IFDIR: st->kind = SLINK_KIND_DIR; break;
  case S_IFIFO: st->kind = SLINK_KIND_FIFO; break;
  case S_IFSOCK: st->kind = SLINK_KIND_SOCKET; break;
  case S_IFCHR:
  case S_IFBLK: st->kind = SLINK_KIND_DEVICE; break;
  default: st->kind = SLINK_KIND_OTHER; break;
  }
  st->nlink = (uint64_t)sb->st_nlink;
  st->ino_hi = 0;
  st->mtime_ns = (int32_t)sb->st_mtim.tv_nsec;
  st->ctime = (int64_t)sb->st_ctime;
  st->ctime_ns = (int32_t)sb->st_ctim.tv_nsec;
  st->uid = (uint32_t)sb->st_uid;
  st->gid = (uint32_t)sb->st_gid;
  st->attrs = 0;
  st->tag = 0;
  st->dev = (uint64_t)sb->st_dev;
  st->ino = (uint64_t)sb->st_ino;
  st->size = (uint64_t)sb->st_size;
  st->mtime = (int64_t)sb->st_mtime;
  st->mode = (uint32_t)(sb->st_mode & 07777);
}

int slink__os_lstat(const char *path, slink__stat *st, int *os_err) {
  struct stat sb;
  if (lstat(path, &sb) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

int slink__os_stat(const char *path, slink__stat *st, int *os_err) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return slink__posix_fail(os_err);
  slink__posix_fill_stat(&sb, st);
  return 0;
}

/* FUSE is where ntfs-3g lives; only there is the reparse attribute asked. */
static int on_fuse(const char *path) {
#ifdef __linux__
  struct statfs sf;
  return statfs(path, &sf) == 0 && sf.f_type == 0x65735546;
#else
  (void)path;
  return 0;
#endif
}

int slink__os_readlink(const char *path, slink_info *info, int *os_err) {
  if (slink__ntfs_link_is_ntfs(path)) {
    int rc = slink__ntfs_readlink(path, info, os_err);
    if (rc != 0)
      return rc < 0 ? rc : 0;
  }
  return slink__posix_readlinkat(AT_FDCWD, path, info, os_err);
}

int slink__posix_readlinkat(int dirfd, const char *name, slink_info *info,
                            int *os_err) {
  /* Most targets fit the stack buffer: one call and one exact allocation. */
  char small[256];
  char *buf = small;
  for (size_t cap = sizeof small;; cap *= 2) {
    ssize_t n = readlinkat(dirfd, name, buf, cap);
    if (n >= 0 && (size_t)n < cap) {
      char *t = buf == small ? slink__strndup(small, (size_t)n) : buf;
      if (!t)
        return SLINK_ENOMEM;
      t[n] = '\0';
      free(info->target);
      info->target = t;
      info->target_len = (size_t)n;
      info->kind = SLINK_KIND_SYMLINK;
      return 0;
    }
    if (buf != small)
      free(buf);
    if (n < 0)
      return errno == EINVAL ? SLINK_EINVAL : slink__posix_fail(os_err);
    if (!(buf = malloc(cap * 2)))
      return SLINK_ENOMEM;
  }
}

static int parent_is_ntfs(const char *link) {
  char *dir = slink__path_dirname(link);
  int r = dir && on_fuse(dir) && slink__ntfs_dir_is_ntfs(dir);
  free(dir);
  return r;
}

int slink__os_symlink(const char *target, const char *link, int is_dir,
                      const char *drive, int *os_err) {
  if (parent_is_ntfs(link))
    return slink__ntfs_symlink(target, link, is_dir, drive, os_err);
  if (symlink(target, link) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_junction(const char *abs_target, const char *link,
                       const char *drive, slink_kind *made_kind,
                       int *os_err) {
  if (parent_is_ntfs(link)) {
    *made_kind = SLINK_KIND_JUNCTION;
    return slink__ntfs_junction(abs_target, link, drive, os_err);
  }
  /* No junctions here: the nearest thing is an absolute symbolic link. */
  *made_kind = SLINK_KIND_SYMLINK;
  if (symlink(abs_target, link) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_hardlink(const char *target, const char *link, int *os_err) {
  if (linkat(AT_FDCWD, target, AT_FDCWD, link, 0) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_rename(const char *from, const char *to, int *os_err) {
  if (rename(from, to) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_unlink(const char *path, const slink__stat *expect,
                     int *os_err) {
  struct stat sb;
  if (lstat(path, &sb) != 0)
    return slink__posix_fail(os_err);
  if ((uint64_t)sb.st_dev != expect->dev || (uint64_t)sb.st_ino != expect->ino)
    return SLINK_ECHANGED;
  /* unlink() never removes a directory, so a directory swapped in after
   * the check above is refused by the kernel, not emptied. */
  if (unlink(path) != 0)
    return slink__posix_fail(os_err);
  return 0;
}

int slink__os_list_dir(const char *dir, char ***names, size_t *count,
                       int *os_err) {
  DIR *d = opendir(dir);
  if (!d)
    return slink__posix_fail(os_err);
  size_t n = 0, cap = 16;
  char **v = malloc(cap * sizeof *v);
  int rc = v ? 0 : SLINK_ENOMEM;
  struct dirent *e;
  errno = 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (n == cap) {
      char **nv = realloc(v, (cap *= 2) * sizeof *v);
      if (!nv) {
        rc = SLINK_ENOMEM;
        break;
      }
      v = nv;
    }
    if (!(v[n] = slink__strdup(e->d_name)))
      rc = SLINK_ENOMEM;
    else
      n++;
  }
  if (rc == 0 && errno != 0)
    rc = slink__posix_fail(os_err);
  closedir(d);
  if (rc < 0) {
    for (size_t i = 0; i < n; i++)
      free(v[i]);
    free(v);
    return rc;
  }
  *names = v;
  *count = n;
  return 0;
}

int slink__os_file_names(const char *path, char ***names, size_t *count,
                         int *os_err) {
  /* POSIX keeps only a count of a file's names, never the names. */
  (void)path; (void)names; (void)count; (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_realpath(const char *path, char **out, int *os_err) {
  char *r = realpath(path, NULL);
  if (!r)
    return slink__posix_fail(os_err);
  *out = r;
  return 0;
}

int slink__os_getcwd(char **out, int *os_err) {
  char *r = getcwd(NULL, 0);
  if (!r)
    return slink__posix_fail(os_err);
  *out = r;
  return 0;
}

int slink__os_is_absolute(const char *path) { return path[0] == '/'; }

int slink__os_is_sep(char c) { return c == '/'; }

void slink__os_random(unsigned char *buf, size_t n) {
  /* getentropy() takes at most 256 bytes, far more than a name needs. */
  if (getentropy(buf, n) != 0) {
    static unsigned long counter;
    unsigned long x = (unsigned long)getpid() ^ (++counter << 16);
    for (size_t i = 0; i < n; i++, x = x * 6364136223846793005UL + 1)
      buf[i] = (unsigned char)(x >> 33);
  }
}
