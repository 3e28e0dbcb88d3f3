/*
 * ntfs.c - real NTFS junctions and Windows symbolic links on a volume
 * mounted by ntfs-3g, through its "system.ntfs_reparse_data" attribute.
 *
 * An absolute target is written in Windows' terms (C:\dir), so slink must
 * know which drive letter Windows gives the volume: the caller's --drive,
 * else the entry ".NTFS-3G/X:" at the volume root that leads back to this
 * mount (ntfs-3g resolves "\??\X:\..." through the same entries).
 */
#include "posix/ntfs.h"

#ifdef __linux__

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/internal.h"
#include "posix/posix.h"

#define XA_REPARSE "system.ntfs_reparse_data"
#define XA_ATTRIB "system.ntfs_attrib"
#define ATTR_SYSTEM 0x4u
#define ATTR_DIRECTORY 0x10u
#define DRIVES_DIR ".NTFS-3G"
#define FUSE_SUPER_MAGIC 0x65735546
#define NTFS_MAX_NAMES 1024

int slink__ntfs_dir_is_ntfs(const char *dir) {
  /* Only ntfs-3g answers this attribute; other FUSE filesystems say
   * ENODATA or ENOTSUP, and a non-FUSE caller never gets here. */
  return getxattr(dir, XA_ATTRIB, NULL, 0) == 4;
}

int slink__ntfs_link_is_ntfs(const char *path) {
  struct statfs sf;
  char *dir = slink__path_dirname(path);
  int r = dir && statfs(dir, &sf) == 0 && sf.f_type == FUSE_SUPER_MAGIC &&
          slink__ntfs_dir_is_ntfs(dir);
  free(dir);
  return r;
}

int slink__ntfs_at_link_limit(int dirfd, const char *name) {
  struct statfs sf;
  struct stat sb;
  return fstatfs(dirfd, &sf) == 0 && sf.f_type == FUSE_SUPER_MAGIC &&
         fgetxattr(dirfd, XA_ATTRIB, NULL, 0) == 4 &&
         fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
         sb.st_nlink >= NTFS_MAX_NAMES;
}

/* The NTFS file attributes of PATH (not followed), or -1. */
static long ntfs_attrib(const char *path) {
  unsigned char a[4];
  if (lgetxattr(path, XA_ATTRIB, a, sizeof a) != 4)
    return -1;
  return (long)((uint32_t)a[0] | (uint32_t)a[1] << 8 | (uint32_t)a[2] << 16 |
                (uint32_t)a[3] << 24);
}

/* The whole reparse buffer of PATH: its size, 0 when there is none
 * (ENODATA), or a negative code. */
static int read_reparse(const char *path, unsigned char **buf, size_t *len,
                        int *os_err) {
  *buf = NULL;
  *len = 0;
  for (;;) {
    ssize_t n = lgetxattr(path, XA_REPARSE, NULL, 0);
    if (n < 0)
      return errno == ENODATA ? 0 : slink__posix_fail(os_err);
    unsigned char *b = malloc((size_t)n + 1);
    if (!b)
      return SLINK_ENOMEM;
    ssize_t m = lgetxattr(path, XA_REPARSE, b, (size_t)n + 1);
    if (m >= 0 && m <= n) {
      *buf = b;
      *len = (size_t)m;
      return 1;
    }
    free(b);
    if (m < 0 && errno != ERANGE)
      return errno == ENODATA ? 0 : slink__posix_fail(os_err);
  }
}

/* readlink(2) of PATH, malloc'd. */
static int read_text(const char *path, char **out, size_t *out_len) {
  size_t cap = 256;
  *out = NULL;
  for (;;) {
    char *b = malloc(cap);
    if (!b)
      return SLINK_ENOMEM;
    ssize_t n = readlink(path, b, cap);
    if (n < 0) {
      int rc = slink__posix_err(errno);
      free(b);
      return rc;
    }
    if ((size_t)n < cap) {
      b[n] = '\0';
      *out = b;
      *out_len = (size_t)n;
      return 0;
    }
    free(b);
    cap *= 2;
  }
}

static void set_target(slink_info *info, char *t, size_t n) {
  free(info->target);
  info->target = t;
  info->target_len = n;
}

int slink__ntfs_readlink(const char *path, slink_info *info, int *os_err) {
  unsigned char *buf;
  size_t len;
  struct stat sb;
  slink_reparse rp;
  char *t = NULL;
  size_t tn = 0;
  int rc = read_reparse(path, &buf, &len, os_err);
  if (rc < 0)
    return rc == SLINK_ENOTSUP ? 0 : rc;
  if (rc == 0) {
    /* No reparse point: a symlink that ntfs-3g shows anyway is an Interix
     * file ("IntxLNK\1" + UTF-16 target, marked SYSTEM), which is what
     * ln -s writes there. Windows does not follow it. */
    long a = ntfs_attrib(path);
    if (a < 0 || !(a & ATTR_SYSTEM) || lstat(path, &sb) != 0 ||
        !S_ISLNK(sb.st_mode))
      return 0;
    if ((rc = read_text(path, &t, &tn)) < 0)
      return rc;
    set_target(info, t, tn);
    info->kind = SLINK_KIND_SYMLINK;
    info->tag = 0;
    return 1;
  }
  rc = slink_reparse_decode(buf, len, &rp);
  free(buf);
  if (rc < 0) {
    slink_reparse_free(&rp);
    return rc;
  }
  /* The target is what this system follows: ntfs-3g's own translation
   * (a path in the mount, "/" separators). Where it has none (a target it
   * cannot find reads "unsupported reparse tag"), the buffer's target, a
   * relative one with "/" as on this system. */
  if (rp.kind == SLINK_KIND_REPARSE) {
    t = slink__strdup("");
  } else if (rp.kind == SLINK_KIND_APP_LINK ||
             read_text(path, &t, &tn) < 0 ||
             strncmp(t, "unsupported reparse", 19) == 0) {
    free(t);
    t = NULL;
    rc = slink_reparse_target(&rp, &t);
    if (rc == 0 && (rp.flags & SLINK_REPARSE_SYMLINK_RELATIVE) && t[0] != '\\')
      for (char *c = t; *c; c++)
        if (*c == '\\')
          *c = '/';
  }
  if (rc < 0 || !t) {
    slink_reparse_free(&rp);
    free(t);
    return rc < 0 ? rc : SLINK_ENOMEM;
  }
  info->kind = rp.kind;
  long attrib = ntfs_attrib(path);
  if (rp.kind == SLINK_KIND_SYMLINK && attrib >= 0 && (attrib & ATTR_DIRECTORY))
    info->kind = SLINK_KIND_DIR_SYMLINK;
  info->tag = rp.tag;
  free(info->substitute_name);
  free(info->print_name);
  info->substitute_name = rp.substitute_name;
  info->print_name = rp.print_name;
  rp.substitute_name = rp.print_name = NULL;
  slink_reparse_free(&rp);
  set_target(info, t, strlen(t));
  return 1;
}

/* The root of the filesystem that holds the existing directory DIR: the
 * last directory upwards on the same device. */
static int volume_root(const char *dir, char **root, int *os_err) {
  struct stat sb, up;
  char *r = realpath(dir, NULL);
  if (!r)
    return slink__posix_fail(os_err);
  if (stat(r, &sb) != 0) {
    free(r);
    return slink__posix_fail(os_err);
  }
  for (;;) {
    char *slash = strrchr(r, '/');
    if (!slash || slash == r) {
      if (stat("/", &up) == 0 && up.st_dev == sb.st_dev)
        r[1] = '\0';
      break;
    }
    *slash = '\0';
    if (stat(r, &up) != 0 || up.st_dev != sb.st_dev) {
      *slash = '/';
      break;
    }
  }
  *root = r;
  return 0;
}

/* Length of PREFIX when it is PATH or a directory above it, else 0. */
static size_t under(const char *path, const char *prefix) {
  size_t n = strlen(prefix);
  if (n == 1 && prefix[0] == '/')
    return path[0] == '/' ? 1 : 0;
  if (strncmp(path, prefix, n) != 0 || (path[n] != '/' && path[n] != '\0'))
    return 0;
  return n;
}

static int is_drive(const char *s) {
  return ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
         s[1] == ':' && s[2] == '\0';
}

/* The Windows path "X:\rest" of the absolute POSIX path ABS (canonical),
 * which lies on the volume at ROOT (drive DRIVE, NULL if not known) or
 * behind one of its ".NTFS-3G/Y:" entries. */
static int windows_path(const char *abs, const char *root, const char *drive,
                        char **out) {
  char best_drive[3] = {0};
  size_t best = 0;
  char *map = slink__path_join(root, DRIVES_DIR);
  DIR *d;
  int on_volume = 0;
  *out = NULL;
  if (!map)
    return SLINK_ENOMEM;
  size_t n = under(abs, root);
  if (n > 0) {
    best = n;
    on_volume = 1;
    if (drive)
      memcpy(best_drive, drive, 2);
  }
  d = opendir(map);
  while (d) {
    struct dirent *e = readdir(d);
    if (!e)
      break;
    if (!is_drive(e->d_name))
      continue;
    char *entry = slink__path_join(map, e->d_name);
    char *real = entry ? realpath(entry, NULL) : NULL;
    if (real && strcmp(real, root) == 0 && !drive && on_volume &&
        !best_drive[0])
      memcpy(best_drive, e->d_name, 2); /* this volume's own letter */
    if (real && (n = under(abs, real)) > best) {
      best = n;
      memcpy(best_drive, e->d_name, 2);
    }
    free(real);
    free(entry);
  }
  if (d)
    closedir(d);
  free(map);
  if (best == 0)
    return SLINK_EXDEV;
  if (!best_drive[0])
    return SLINK_ENODRIVE;
  const char *rest = abs + best;
  while (*rest == '/')
    rest++;
  size_t rn = strlen(rest);
  char *w = malloc(3 + rn + 1);
  if (!w)
    return SLINK_ENOMEM;
  w[0] = (char)(best_drive[0] >= 'a' ? best_drive[0] - 'a' + 'A'
                                     : best_drive[0]);
  w[1] = ':';
  w[2] = '\\';
  for (size_t i = 0; i <= rn; i++)
    w[3 + i] = rest[i] == '/' ? '\\' : rest[i];
  *out = w;
  return 0;
}

/* --drive as the user may write it: "D", "D:", "d:\" or "D:/". */
static int parse_drive(const char *drive, char out[3]) {
  if (!drive)
    return 0;
  if (!((drive[0] >= 'A' && drive[0] <= 'Z') ||
        (drive[0] >= 'a' && drive[0] <= 'z')))
    return SLINK_EINVAL;
  const char *r = drive + 1;
  if (*r == ':')
    r++;
  if (*r == '\\' || *r == '/')
    r++;
  if (*r)
    return SLINK_EINVAL;
  out[0] = drive[0];
  out[1] = ':';
  out[2] = '\0';
  return 1;
}

/* The canonical absolute form of TARGET, which may not exist. */
static int canonical(const char *target, char **out, int *os_err) {
  char *r = realpath(target, NULL);
  if (r) {
    *out = r;
    return 0;
  }
  return slink__canonical(target, out, os_err);
}

/* The Windows form of the absolute TARGET for a link made in PARENT. */
static int drive_path(const char *parent, const char *target,
                      const char *drive, char **out, int *os_err) {
  char d[3], *root = NULL, *abs = NULL;
  int rc = parse_drive(drive, d);
  if (rc < 0)
    return rc;
  if ((rc = volume_root(parent, &root, os_err)) == 0 &&
      (rc = canonical(target, &abs, os_err)) == 0)
    rc = windows_path(abs, root, drive ? d : NULL, out);
  free(root);
  free(abs);
  return rc;
}

int slink__ntfs_can_name(const char *dir, const char *target, int *os_err) {
  char *win = NULL;
  int rc = drive_path(dir, target, NULL, &win, os_err);
  free(win);
  return rc;
}

/* Make LINK an empty directory or file, give it the reparse buffer, and
 * read the buffer back. Whatever fails, nothing is left behind. */
static int make_reparse(const char *link, int is_dir, const unsigned char *buf,
                        size_t len, int *os_err) {
  unsigned char *back = NULL;
  size_t back_len = 0;
  int rc;
  if (is_dir) {
    if (mkdir(link, 0777) != 0)
      return slink__posix_fail(os_err);
  } else {
    int fd = open(link, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0666);
    if (fd < 0)
      return slink__posix_fail(os_err);
    close(fd);
  }
  if (lsetxattr(link, XA_REPARSE, buf, len, 0) != 0) {
    rc = slink__posix_fail(os_err);
    if (is_dir)
      rmdir(link);
    else
      unlink(link);
    return rc;
  }
  rc = read_reparse(link, &back, &back_len, os_err);
  if (rc != 1 || back_len != len || memcmp(back, buf, len) != 0) {
    free(back);
    /* It is a reparse point now (or half one): unlink, as for any link;
     * a plain directory left by a refused attribute needs rmdir. */
    if (unlink(link) != 0)
      rmdir(link);
    return rc < 0 ? rc : SLINK_ENOTVERIFIED;
  }
  free(back);
  /* The high-level ntfs-3g driver answers the first lstat after the change
   * with EIO, while the kernel still holds the old directory or file inode;
   * the next look-up is right. Take that first answer here, so that the
   * caller's own read-back sees the link. */
  struct stat sb;
  if (lstat(link, &sb) != 0)
    (void)lstat(link, &sb);
  return 0;
}

int slink__ntfs_symlink(const char *target, const char *link, int is_dir,
                        const char *drive, int *os_err) {
  unsigned char *buf = NULL;
  size_t len;
  char *win = NULL;
  int rc;
  if (!target || !*target)
    return SLINK_EEMPTYPATH;
  if (target[0] == '/') {
    char *parent = slink__path_dirname(link);
    if (!parent)
      return SLINK_ENOMEM;
    rc = drive_path(parent, target, drive, &win, os_err);
    free(parent);
    if (rc < 0)
      return rc;
    rc = slink_reparse_encode_symlink(win, &buf, &len);
  } else {
    /* A name on NTFS cannot hold "\" (Windows reads it as a separator),
     * and a relative target must stay relative ("c:/x" would not). */
    if (strchr(target, '\\'))
      return SLINK_EINVAL;
    rc = slink_reparse_encode_symlink(target, &buf, &len);
    if (rc == 0 && (buf[16] & SLINK_REPARSE_SYMLINK_RELATIVE) == 0)
      rc = SLINK_EINVAL;
  }
  free(win);
  if (rc == 0)
    rc = make_reparse(link, is_dir, buf, len, os_err);
  free(buf);
  return rc;
}

int slink__ntfs_junction(const char *abs_target, const char *link,
                         const char *drive, int *os_err) {
  unsigned char *buf = NULL;
  size_t len;
  char *win = NULL, *parent;
  struct stat sb;
  int rc;
  if (stat(abs_target, &sb) != 0)
    return errno == ENOENT ? SLINK_ENOTARGET : slink__posix_fail(os_err);
  if (!S_ISDIR(sb.st_mode))
    return SLINK_ETARGETNOTDIR;
  parent = slink__path_dirname(link);
  if (!parent)
    return SLINK_ENOMEM;
  rc = drive_path(parent, abs_target, drive, &win, os_err);
  free(parent);
  if (rc == 0)
    rc = slink_reparse_encode_junction(win, &buf, &len);
  free(win);
  if (rc == 0)
    rc = make_reparse(link, 1, buf, len, os_err);
  free(buf);
  return rc;
}

int slink__ntfs_posix_path(const char *dir, const char *winpath, char **out,
                           int *os_err) {
  char *root = NULL, *map = NULL, *real = NULL;
  char entry[3] = {winpath[0], ':', '\0'};
  *out = NULL;
  /* The volume's own ".NTFS-3G/X:" entry says where drive X: is here. */
  int rc = volume_root(dir, &root, os_err);
  if (rc < 0)
    return rc;
  if (entry[0] >= 'a' && entry[0] <= 'z')
    entry[0] = (char)(entry[0] - 'a' + 'A');
  map = slink__path_join(root, DRIVES_DIR);
  char *e = map ? slink__path_join(map, entry) : NULL;
  if (e && !(real = realpath(e, NULL)) && entry[0] != winpath[0]) {
    e[strlen(e) - 2] = winpath[0];
    real = realpath(e, NULL);
  }
  rc = !e ? SLINK_ENOMEM : !real ? SLINK_EWINDRIVE : 0;
  if (rc == 0) {
    const char *rest = winpath + 2;
    while (*rest == '\\')
      rest++;
    size_t rl = strlen(real), n = strlen(rest);
    char *p = malloc(rl + 1 + n + 1);
    if (!p) {
      rc = SLINK_ENOMEM;
    } else {
      memcpy(p, real, rl);
      p[rl] = '/';
      for (size_t i = 0; i <= n; i++)
        p[rl + 1 + i] = rest[i] == '\\' ? '/' : rest[i];
      if (!n)
        p[rl > 1 ? rl : 1] = '\0';
      *out = p;
    }
  }
  free(real);
  free(e);
  free(map);
  free(root);
  return rc;
}

#else /* not Linux: no ntfs-3g attribute interface */

int slink__ntfs_posix_path(const char *dir, const char *winpath, char **out,
                           int *os_err) {
  (void)dir; (void)winpath; (void)os_err;
  *out = NULL;
  return SLINK_EWINDRIVE;
}

int slink__ntfs_dir_is_ntfs(const char *dir) { (void)dir; return 0; }

int slink__ntfs_link_is_ntfs(const char *path) { (void)path; return 0; }

int slink__ntfs_at_link_limit(int dirfd, const char *name) {
  (void)dirfd;
  (void)name;
  return 0;
}

int slink__ntfs_readlink(const char *path, slink_info *info, int *os_err) {
  (void)path; (void)info; (void)os_err;
  return 0;
}

int slink__ntfs_can_name(const char *dir, const char *target, int *os_err) {
  (void)dir; (void)target; (void)os_err;
  return 0;
}

int slink__ntfs_symlink(const char *target, const char *link, int is_dir,
                        const char *drive, int *os_err) {
  (void)target; (void)link; (void)is_dir; (void)drive; (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__ntfs_junction(const char *abs_target, const char *link,
                         const char *drive, int *os_err) {
  (void)abs_target; (void)link; (void)drive; (void)os_err;
  return SLINK_ENOTSUP;
}

#endif
