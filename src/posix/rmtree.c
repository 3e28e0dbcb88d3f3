/*
 * rmtree.c - POSIX tree removal that never follows a link.
 *
 * The walk holds directories by descriptor. A directory is opened
 * relative to its parent's descriptor with O_NOFOLLOW|O_DIRECTORY (and
 * O_NONBLOCK, so a FIFO swapped in cannot hang the open), and fstat must
 * show the object that was listed before anything in it is touched. Files
 * and links are removed with unlinkat(), which never follows a link and
 * never removes a directory. No path is resolved from the root or the
 * current directory once the operand's parent is open, and there is no
 * chdir.
 *
 * Depth costs heap, not C stack: the levels live in an array. Only the
 * deepest few levels keep their descriptor; an ancestor whose descriptor
 * was closed is reopened through ".." of its child and must show the
 * device and inode it had, or the walk stops there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix/posix.h"
#include "posix/rmtree_hook.h"

#ifdef SLINK_TEST_HOOKS
slink__rt_hook_fn slink__rt_hook;
void *slink__rt_hook_ctx;
int slink__rt_fd_window = 16;
#endif

#define DIR_FLAGS (O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC)
/* A directory that keeps filling while it is emptied is given up on after
 * this many readings, instead of racing its writer forever. */
#define MAX_ROUNDS 16
/* Retyping an entry that keeps changing between file and directory. */
#define MAX_RETYPES 4
#define LIST_BUF 65536

/* One directory being emptied. Its listing is read whole before any entry
 * is handled, as records: 8 bytes inode, 1 byte d_type, the name, NUL. */
typedef struct level {
  int fd;               /* -1 while closed to spare descriptors */
  uint64_t dev, ino;
  mode_t mode;
  const char *name;     /* in the parent's listing, or the operand's name */
  char *list;
  size_t list_len, list_cap, pos;
  size_t path_len;      /* its display path: walk.path[0..path_len) */
  int left;             /* something below stays, so this one stays too */
  int rounds;           /* times it has been listed */
  int made_writable;
  int dry_denied;       /* dry run: errno that removing entries would meet */
} level;

typedef struct walk {
  unsigned flags;
  slink_tree_cb cb;
  void *ctx;
  int first_err;
  int stop;             /* nonzero: what the callback asked to stop with */
  uint64_t root_dev;
  int top_fd;           /* the operand's parent, opened by its path */
  int top_denied;       /* dry run: dry_denied of the operand's parent */
  level *lv;
  size_t depth, cap;
  size_t lo;            /* levels [lo, depth) hold a descriptor */
  char *path;
  size_t path_cap;
  size_t display_len;
  char *buf;            /* scratch for reading directories */
} walk;

static slink_kind kind_of_type(unsigned char t) {
  switch (t) {
  case DT_REG: return SLINK_KIND_FILE;
  case DT_DIR: return SLINK_KIND_DIR;
  case DT_LNK: return SLINK_KIND_SYMLINK;
  case DT_FIFO: return SLINK_KIND_FIFO;
  case DT_SOCK: return SLINK_KIND_SOCKET;
  case DT_CHR:
  case DT_BLK: return SLINK_KIND_DEVICE;
  default: return SLINK_KIND_OTHER;
  }
}

static unsigned char type_of_mode(mode_t m) {
  if (S_ISDIR(m)) return DT_DIR;
  if (S_ISREG(m)) return DT_REG;
  if (S_ISLNK(m)) return DT_LNK;
  if (S_ISFIFO(m)) return DT_FIFO;
  if (S_ISSOCK(m)) return DT_SOCK;
  if (S_ISCHR(m)) return DT_CHR;
  if (S_ISBLK(m)) return DT_BLK;
  return DT_UNKNOWN;
}

static int path_reserve(walk *w, size_t need) {
  if (need <= w->path_cap)
    return 0;
  size_t cap = w->path_cap * 2;
  if (cap < need)
    cap = need;
  char *p = realloc(w->path, cap);
  if (!p)
    return SLINK_ENOMEM;
  w->path = p;
  w->path_cap = cap;
  return 0;
}

/* Length of the display path that entries of level IDX hang from (-1:
 * the operand itself). */
static size_t base_len(const walk *w, long idx) {
  return idx < 0 ? w->display_len : w->lv[idx].path_len;
}

/* Hand one event to the callback: the entry NAME of level IDX, or with
 * NAME NULL the path that ends at BASE. */
static void emit(walk *w, size_t base, const char *name, slink_kind kind,
                 int err, int os_err) {
  if (err && !w->first_err)
    w->first_err = err;
  if (!w->cb || w->stop)
    return;
  size_t len = base;
  if (name) {
    size_t n = strlen(name);
    if (path_reserve(w, base + n + 2) < 0) {
      w->stop = SLINK_ENOMEM;
      return;
    }
    w->path[base] = '/';
    memcpy(w->path + base + 1, name, n);
    len = base + 1 + n;
  }
  w->path[len] = '\0';
  slink_tree_event ev = {w->path, len, kind, err, os_err};
  int rc = w->cb(&ev, w->ctx);
  if (rc)
    w->stop = rc;
}

static void fail_at(walk *w, long idx, const char *name, slink_kind kind,
                    int e) {
  emit(w, base_len(w, idx), name, kind, slink__posix_err(e), e);
  if (idx >= 0)
    w->lv[idx].left = 1;
}

static void done_at(walk *w, long idx, const char *name, slink_kind kind) {
  if (w->flags & (SLINK_TREE_VERBOSE | SLINK_TREE_DRY_RUN))
    emit(w, base_len(w, idx), name, kind, 0, 0);
}

/* Give up the descriptor of the shallowest level that holds one, but
 * never the deepest level's. Returns 0 when there was none to give. */
static int shed_fd(walk *w) {
  if (w->lo + 1 >= w->depth)
    return 0;
  close(w->lv[w->lo].fd);
  w->lv[w->lo].fd = -1;
  w->lo++;
  return 1;
}

static int open_dir(walk *w, int dirfd, const char *name) {
  for (;;) {
    int fd = openat(dirfd, name, DIR_FLAGS);
    if (fd >= 0 || (errno != EMFILE && errno != ENFILE) || !shed_fd(w))
      return fd;
  }
}

#ifdef STATX_ATTR_MOUNT_ROOT
/* A mount of the same filesystem (a bind mount) keeps the device number;
 * the kernel still knows it is the root of a mount. */
static int is_mount_root(int fd) {
  struct statx sx;
  if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, 0, &sx) != 0)
    return 0;
  return (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
         (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}
#else
static int is_mount_root(int fd) { (void)fd; return 0; }
#endif

static int list_add(level *L, uint64_t ino, unsigned char type,
                    const char *name, size_t n) {
  size_t need = L->list_len + 9 + n + 1;
  if (need > L->list_cap) {
    size_t cap = L->list_cap ? L->list_cap * 2 : 256;
    while (cap < need)
      cap *= 2;
    char *p = realloc(L->list, cap);
    if (!p)
      return SLINK_ENOMEM;
    L->list = p;
    L->list_cap = cap;
  }
  char *r = L->list + L->list_len;
  memcpy(r, &ino, 8);
  r[8] = (char)type;
  memcpy(r + 9, name, n + 1);
  L->list_len = need;
  return 0;
}

static int is_dot(const char *n) {
  return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* Read the whole directory of level L into its listing. Returns 0 or an
 * errno value. */
static int read_listing(walk *w, level *L) {
  L->list_len = 0;
  L->pos = 0;
  if (L->rounds++ > 0 && lseek(L->fd, 0, SEEK_SET) < 0)
    return errno;
#ifdef __linux__
  for (;;) {
    ssize_t n = getdents64(L->fd, w->buf, LIST_BUF);
    if (n < 0)
      return errno;
    if (n == 0)
      return 0;
    for (ssize_t off = 0; off < n;) {
      struct dirent64 *d = (struct dirent64 *)(void *)(w->buf + off);
      off += d->d_reclen;
      if (is_dot(d->d_name))
        continue;
      if (list_add(L, d->d_ino, d->d_type, d->d_name, strlen(d->d_name)) < 0)
        return ENOMEM;
    }
  }
#else
  /* readdir() needs a DIR of its own; it gets a duplicate, so the level's
   * descriptor stays the one that was verified. */
  (void)w;
  int fd = dup(L->fd);
  if (fd < 0)
    return errno;
  DIR *dir = fdopendir(fd);
  if (!dir) {
    int e = errno;
    close(fd);
    return e;
  }
  rewinddir(dir);
  int e = 0;
  for (;;) {
    errno = 0;
    struct dirent *d = readdir(dir);
    if (!d) {
      e = errno;
      break;
    }
    if (is_dot(d->d_name))
      continue;
#ifdef DT_UNKNOWN
    unsigned char t = d->d_type;
#else
    unsigned char t = DT_UNKNOWN;
#endif
    if (list_add(L, (uint64_t)d->d_ino, t, d->d_name, strlen(d->d_name)) < 0) {
      e = ENOMEM;
      break;
    }
  }
  closedir(dir);
  return e;
#endif
}

/* Dry run: what removing an entry of the directory FD would meet for
 * lack of permission (0: nothing), so the dry run reports the failures a
 * real run would. */
static int denied(int fd) {
  return faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) == 0 ? 0 : errno;
}

/* Make a new deepest level for the verified directory FD, which it then
 * owns, and read its listing. */
static int push_level(walk *w, long parent, int fd, const struct stat *st,
                      const char *name) {
  size_t base = base_len(w, parent);
  size_t plen = base;
  if (w->depth == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    level *p = realloc(w->lv, cap * sizeof *p);
    if (!p) {
      close(fd);
      return SLINK_ENOMEM;
    }
    w->lv = p;
    w->cap = cap;
  }
  if (parent >= 0) {
    size_t n = strlen(name);
    if (path_reserve(w, base + n + 2) < 0) {
      close(fd);
      return SLINK_ENOMEM;
    }
    w->path[base] = '/';
    memcpy(w->path + base + 1, name, n);
    plen = base + 1 + n;
  }
  level *L = &w->lv[w->depth++];
  memset(L, 0, sizeof *L);
  L->fd = fd;
  L->dev = (uint64_t)st->st_dev;
  L->ino = (uint64_t)st->st_ino;
  L->mode = st->st_mode;
  L->name = name;
  L->path_len = plen;
  if (w->flags & SLINK_TREE_DRY_RUN)
    L->dry_denied = (w->flags & SLINK_TREE_MAKE_WRITABLE) ? 0 : denied(fd);
  while (w->depth - w->lo > SLINK__RT_WINDOW && shed_fd(w))
    ;
  int e = read_listing(w, L);
  if (e == ENOMEM)
    return SLINK_ENOMEM;
  if (e) {
    /* Whatever was read is still handled; the directory itself stays. */
    emit(w, L->path_len, NULL, SLINK_KIND_DIR, slink__posix_err(e), e);
    L->left = 1;
  }
  return 0;
}

static int dry_denied(const walk *w, long idx) {
  return idx < 0 ? w->top_denied : w->lv[idx].dry_denied;
}

/* Try once to let level IDX's directory have its entries removed. */
static int make_writable(walk *w, long idx) {
  if (!(w->flags & SLINK_TREE_MAKE_WRITABLE) || idx < 0)
    return 0;
  level *L = &w->lv[idx];
  if (L->made_writable || L->fd < 0)
    return 0;
  L->made_writable = 1;
  /* fchmod on the descriptor that was opened without following and
   * verified: a path-based chmod here could be sent through a link. */
  SLINK__RT_HOOK(SLINK__RT_BEFORE_CHMOD,
                 idx == 0 ? w->top_fd : w->lv[idx - 1].fd, L->name);
  return fchmod(L->fd, (L->mode & 07777) | S_IRWXU) == 0;
}

/* Handle the entry NAME of level IDX (-1: the operand, in w->top_fd),
 * listed with type TYPE. LOOKED holds the operand's fstatat() result
 * (NULL for a listed entry). Returns 0, or a negative code that ends the
 * walk. */
static int take_entry(walk *w, long idx, const char *name, unsigned char type,
                      const struct stat *looked) {
  int dirfd = idx < 0 ? w->top_fd : w->lv[idx].fd;
  int dry = (w->flags & SLINK_TREE_DRY_RUN) != 0;
  int retried = 0;
  struct stat st, seen;
  int have_seen = looked != NULL;
  if (looked)
    seen = *looked;
  for (int tries = 0; tries < MAX_RETYPES; tries++) {
    if (type == DT_UNKNOWN || (type == DT_DIR && !have_seen)) {
      /* What is listed as a directory is looked at before it is opened:
       * the open must find this very object. */
      SLINK__RT_HOOK(SLINK__RT_BEFORE_LOOK, dirfd, name);
      if (fstatat(dirfd, name, &seen, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
          return 0; /* gone already: nothing left to remove */
        fail_at(w, idx, name, kind_of_type(type), errno);
        return 0;
      }
      have_seen = 1;
      type = type_of_mode(seen.st_mode);
      if (type == DT_UNKNOWN)
        type = DT_REG; /* not a directory: unlinkat() decides */
    }
    if (type != DT_DIR) {
      slink_kind kind = kind_of_type(type);
      if (dry) {
        if (dry_denied(w, idx))
          fail_at(w, idx, name, kind, dry_denied(w, idx));
        else
          done_at(w, idx, name, kind);
        return 0;
      }
      SLINK__RT_HOOK(SLINK__RT_BEFORE_UNLINK, dirfd, name);
      if (unlinkat(dirfd, name, 0) == 0) {
        done_at(w, idx, name, kind);
        return 0;
      }
      int e = errno;
      if (e == ENOENT)
        return 0;
      if (e == EISDIR || e == EPERM) {
        /* It is, or has become, a directory (EPERM is how some systems
         * say so): look again rather than trust the listing. */
        SLINK__RT_HOOK(SLINK__RT_BEFORE_RETYPE, dirfd, name);
        if (fstatat(dirfd, name, &seen, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(seen.st_mode)) {
          type = DT_DIR;
          have_seen = 1;
          continue;
        }
      }
      if ((e == EACCES || e == EPERM) && !retried && make_writable(w, idx)) {
        retried = 1;
        tries--;
        continue;
      }
      fail_at(w, idx, name, kind, e);
      return 0;
    }

    SLINK__RT_HOOK(SLINK__RT_BEFORE_OPEN, dirfd, name);
    int fd = open_dir(w, dirfd, name);
    if (fd < 0) {
      int e = errno;
      if (e == ENOENT)
        return 0;
      if (e == ELOOP || e == ENOTDIR) {
        /* No longer a directory: a link or a file now sits there, and
         * it is removed as itself. */
        SLINK__RT_HOOK(SLINK__RT_BEFORE_RETYPE, dirfd, name);
        type = DT_UNKNOWN;
        continue;
      }
      if (e == EACCES && !dry) {
        /* Unreadable, but an empty directory can still be removed. */
        SLINK__RT_HOOK(SLINK__RT_BEFORE_RMDIR, dirfd, name);
        if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0) {
          done_at(w, idx, name, SLINK_KIND_DIR);
          return 0;
        }
      }
      fail_at(w, idx, name, SLINK_KIND_DIR, e);
      return 0;
    }
    SLINK__RT_HOOK(SLINK__RT_BEFORE_VERIFY, dirfd, name);
    if (fstat(fd, &st) != 0) {
      int e = errno;
      close(fd);
      fail_at(w, idx, name, SLINK_KIND_DIR, e);
      return 0;
    }
    if (st.st_dev != seen.st_dev || st.st_ino != seen.st_ino) {
      /* Swapped between the look and the open: whatever it is now, it
       * was not listed, so it is not touched. */
      close(fd);
      emit(w, base_len(w, idx), name, SLINK_KIND_DIR, SLINK_ECHANGED, 0);
      if (idx >= 0)
        w->lv[idx].left = 1;
      return 0;
    }
    if ((w->flags & SLINK_TREE_ONE_FS) &&
        ((uint64_t)st.st_dev != w->root_dev ||
         (idx >= 0 && is_mount_root(fd)))) {
      close(fd);
      emit(w, base_len(w, idx), name, SLINK_KIND_DIR, SLINK_EOTHERFS, 0);
      if (idx >= 0)
        w->lv[idx].left = 1;
      return 0;
    }
    SLINK__RT_HOOK(SLINK__RT_BEFORE_LIST, dirfd, name);
    return push_level(w, idx, fd, &st, name);
  }
  emit(w, base_len(w, idx), name, SLINK_KIND_NONE, SLINK_ECHANGED, 0);
  if (idx >= 0)
    w->lv[idx].left = 1;
  return 0;
}

/* The descriptor of the parent of level T, reopened through ".." of T if
 * it was given up; -1 (after reporting) when that is no longer the
 * directory it was. */
static int parent_fd(walk *w, size_t t) {
  if (t == 0)
    return w->top_fd;
  level *P = &w->lv[t - 1];
  if (P->fd >= 0)
    return P->fd;
  SLINK__RT_HOOK(SLINK__RT_BEFORE_DOTDOT, w->lv[t].fd, "..");
  int fd = openat(w->lv[t].fd, "..", DIR_FLAGS);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    emit(w, P->path_len, NULL, SLINK_KIND_DIR, slink__posix_err(e), e);
    return -1;
  }
  if ((uint64_t)st.st_dev != P->dev || (uint64_t)st.st_ino != P->ino) {
    close(fd);
    emit(w, P->path_len, NULL, SLINK_KIND_DIR, SLINK_ECHANGED, 0);
    return -1;
  }
  P->fd = fd;
  w->lo = t - 1;
  return fd;
}

static void drop_level(walk *w) {
  level *L = &w->lv[--w->depth];
  if (L->fd >= 0)
    close(L->fd);
  free(L->list);
  if (w->lo > w->depth)
    w->lo = w->depth;
}

/* The deepest level has no entries left to handle: remove it, or read it
 * again if something new appeared. Returns 0 or a code that ends the
 * walk. */
static int finish_level(walk *w) {
  size_t t = w->depth - 1;
  int pfd = parent_fd(w, t);
  if (pfd < 0)
    return SLINK_ECHANGED; /* no verified way back up: stop */
  level *L = &w->lv[t];
  long up = (long)t - 1;
  if (L->left) {
    if (up >= 0)
      w->lv[up].left = 1;
  } else if (w->flags & SLINK_TREE_DRY_RUN) {
    int e = dry_denied(w, up);
    emit(w, L->path_len, NULL, SLINK_KIND_DIR, slink__posix_err(e), e);
    if (e && up >= 0)
      w->lv[up].left = 1;
  } else {
    for (;;) {
      SLINK__RT_HOOK(SLINK__RT_BEFORE_RMDIR, pfd, L->name);
      if (unlinkat(pfd, L->name, AT_REMOVEDIR) == 0) {
        if (w->flags & SLINK_TREE_VERBOSE)
          emit(w, L->path_len, NULL, SLINK_KIND_DIR, 0, 0);
        break;
      }
      int e = errno;
      if (e == ENOENT)
        break;
      if ((e == ENOTEMPTY || e == EEXIST) && L->rounds < MAX_ROUNDS) {
        /* Filled behind our back: empty it again. */
        int le = read_listing(w, L);
        if (le == 0 && L->list_len > 0)
          return 0;
        if (le == ENOMEM)
          return SLINK_ENOMEM;
        continue;
      }
      if ((e == EACCES || e == EPERM) && up >= 0 && make_writable(w, up))
        continue;
      emit(w, L->path_len, NULL, SLINK_KIND_DIR, slink__posix_err(e), e);
      if (up >= 0)
        w->lv[up].left = 1;
      break;
    }
  }
  drop_level(w);
  return 0;
}

static int run(walk *w, const char *name, const struct stat *st) {
  w->root_dev = (uint64_t)st->st_dev;
  if (w->flags & SLINK_TREE_DRY_RUN)
    w->top_denied = denied(w->top_fd);
  SLINK__RT_HOOK(SLINK__RT_TOP_LISTED, w->top_fd, name);
  int rc = take_entry(w, -1, name, type_of_mode(st->st_mode), st);
  while (rc == 0 && w->depth > 0 && !w->stop) {
    level *L = &w->lv[w->depth - 1];
    if (L->pos >= L->list_len) {
      rc = finish_level(w);
      continue;
    }
    const char *r = L->list + L->pos;
    unsigned char type = (unsigned char)r[8];
    const char *ename = r + 9;
    L->pos += 9 + strlen(ename) + 1;
    rc = take_entry(w, (long)w->depth - 1, ename, type, NULL);
  }
  return rc;
}

int slink__os_remove_tree(const char *parent, const char *name,
                          const char *display, unsigned flags,
                          slink_tree_cb cb, void *ctx) {
  walk w;
  memset(&w, 0, sizeof w);
  w.flags = flags;
  w.cb = cb;
  w.ctx = ctx;
  w.display_len = strlen(display);
  w.path_cap = w.display_len + 256;
  w.path = malloc(w.path_cap);
  w.buf = malloc(LIST_BUF);
  if (!w.path || !w.buf) {
    free(w.path);
    free(w.buf);
    return SLINK_ENOMEM;
  }
  memcpy(w.path, display, w.display_len + 1);

  /* --preserve-root by identity: "/" under any spelling. */
  struct stat root, st;
  int have_root = stat("/", &root) == 0;
  w.top_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = 0;
  if (w.top_fd < 0 || fstatat(w.top_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    int e = errno;
    emit(&w, w.display_len, NULL, SLINK_KIND_NONE, slink__posix_err(e), e);
  } else if (have_root && S_ISDIR(st.st_mode) && st.st_dev == root.st_dev &&
             st.st_ino == root.st_ino) {
    emit(&w, w.display_len, NULL, SLINK_KIND_DIR, SLINK_EISROOT, 0);
  } else {
    rc = run(&w, name, &st);
  }
  while (w.depth > 0)
    drop_level(&w);
  if (w.top_fd >= 0)
    close(w.top_fd);
  free(w.lv);
  free(w.path);
  free(w.buf);
  if (w.stop)
    return w.stop;
  if (rc < 0 && !w.first_err)
    return rc;
  return w.first_err;
}
