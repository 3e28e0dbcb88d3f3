/* rmtree.c - slink_remove_tree(): rm -r as a visitor of the tree walker
 * (tree.c). The walker has checked every directory it hands over; this
 * file only removes, each time through the handle of the directory that
 * holds the entry, so nothing is removed outside the tree and nothing is
 * followed: unlink never follows a link and never removes a directory,
 * rmdir only removes an empty one. */
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "lib/tree.h"
#include "sys.h"

/* A directory that keeps filling while it is emptied is given up on after
 * this many readings, instead of racing its writer forever. */
#define MAX_ROUNDS 16

/* The visitor's marks on a directory. */
enum {
  M_LEFT = 1u << 0,     /* something below stays, so this one stays too */
  M_WRITABLE = 1u << 1  /* made writable once already */
};

typedef struct rm {
  unsigned flags;
  slink_tree_cb cb;
  void *ctx;
  int first_err;
  int stop;             /* nonzero: what the callback asked to stop with */
  int have_root;
  slink__stat root;     /* "/", refused by identity */
  slink__rm_keep_fn keep; /* NULL, or what must stay (SLINK_ECHANGED) */
  void *keep_ctx;
} rm;

/* Hand one event to the callback. Returns SLINK__TA_STOP when it asked
 * to stop, else ANSWER. */
static int emit(rm *r, const slink__tree_ent *e, slink_kind kind, int err,
                int os_err, int answer) {
  if (err && !r->first_err)
    r->first_err = err;
  if (!r->cb || r->stop)
    return r->stop ? SLINK__TA_STOP : answer;
  slink_tree_event ev = {e->path, e->path_len, kind, err, os_err};
  int rc = r->cb(&ev, r->ctx);
  if (rc) {
    r->stop = rc;
    return SLINK__TA_STOP;
  }
  return answer;
}

static int fail(rm *r, const slink__tree_ent *e, slink_kind kind, int err,
                int os_err) {
  *e->dir_marks |= M_LEFT;
  return emit(r, e, kind, err, os_err, SLINK__TA_GO);
}

static int done(rm *r, const slink__tree_ent *e, slink_kind kind) {
  if (r->flags & (SLINK_TREE_VERBOSE | SLINK_TREE_DRY_RUN))
    return emit(r, e, kind, 0, 0, SLINK__TA_GO);
  return SLINK__TA_GO;
}

/* Dry run: what removing NAME from DIR would meet (0: nothing), as the
 * real run would be judged. Below the operand a make-writable run would
 * give the directory the permission it lacks. */
static int dry_denied(rm *r, const slink__tree_ent *e, slink__h *dir,
                      const char *name, int *os_err) {
  *os_err = 0;
  if ((r->flags & SLINK_TREE_MAKE_WRITABLE) && e->depth > 0)
    return 0;
  return slink__os_h_may_change(dir, name, os_err);
}

/* Give the directory holding the entry write permission, once, through
 * its verified handle (never the operand's parent). */
static int make_writable(rm *r, const slink__tree_ent *e) {
  if (!(r->flags & SLINK_TREE_MAKE_WRITABLE) || e->depth == 0 ||
      (*e->dir_marks & M_WRITABLE))
    return 0;
  *e->dir_marks |= M_WRITABLE;
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_CHMOD, e->dir, NULL);
  return slink__os_h_make_writable(e->dir, NULL) == 0;
}

static int is_perm(int rc) { return rc == SLINK_EACCES || rc == SLINK_EPERM; }

int slink__tree_is_volume(const slink__tree_ent *e) {
  slink_info info;
  memset(&info, 0, sizeof info);
  if (slink__os_h_readlink(e->dir, e->name, &info, NULL) < 0)
    return 0;
  int yes = slink__reparse_is_volume(info.tag, info.substitute_name);
  slink_info_free(&info);
  return yes;
}

static int remove_file(rm *r, const slink__tree_ent *e) {
  slink_kind kind = e->kind == SLINK_KIND_NONE ? SLINK_KIND_FILE : e->kind;
  int os_err = 0;
  /* Removing the folder would unmount the volume: kept, as a mount is. */
  if ((r->flags & SLINK_TREE_ONE_FS) && e->kind != SLINK_KIND_FILE &&
      slink__tree_is_volume(e))
    return fail(r, e, SLINK_KIND_JUNCTION, SLINK_EOTHERFS, 0);
  if (r->flags & SLINK_TREE_DRY_RUN) {
    int d = dry_denied(r, e, e->dir, e->name, &os_err);
    return d ? fail(r, e, kind, d, os_err) : done(r, e, kind);
  }
  for (int retried = 0;; retried = 1) {
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
    if (r->keep && r->keep(e, r->keep_ctx))
      return fail(r, e, kind, SLINK_ECHANGED, 0);
    int rc = slink__os_h_unlink(e->dir, e->name, NULL, 0, &os_err);
    if (rc == 0)
      return done(r, e, kind);
    if (rc == SLINK_ENOENT && e->depth > 0)
      return SLINK__TA_GO;
    if (rc == SLINK_EISDIR || rc == SLINK_EPERM) {
      /* It is, or has become, a directory (EPERM is how some systems say
       * so): the walker looks again rather than trust the listing. */
      slink__stat now;
      SLINK__HOOK(SLINK__HP_WALK_BEFORE_RETYPE, e->dir, e->name);
      if (slink__os_h_lstat(e->dir, e->name, &now, NULL) == 0 &&
          now.kind == SLINK_KIND_DIR)
        return SLINK__TA_RETYPE;
    }
    if (is_perm(rc) && !retried && make_writable(r, e))
      continue;
    return fail(r, e, kind, rc, os_err);
  }
}

static int enter(rm *r, const slink__tree_ent *e) {
  /* --preserve-root by identity: "/" under any spelling. */
  if (e->depth == 0 && r->have_root && slink__same_file(e->st, &r->root))
    return fail(r, e, SLINK_KIND_DIR, SLINK_EISROOT, 0) == SLINK__TA_STOP
               ? SLINK__TA_STOP
               : SLINK__TA_SKIP;
  return SLINK__TA_GO;
}

static int remove_dir(rm *r, const slink__tree_ent *e) {
  if (*e->self_marks & M_LEFT) {
    *e->dir_marks |= M_LEFT;
    return SLINK__TA_GO;
  }
  int os_err = 0;
  if (r->flags & SLINK_TREE_DRY_RUN) {
    int d = dry_denied(r, e, e->dir, e->name, &os_err);
    if (d)
      *e->dir_marks |= M_LEFT;
    return emit(r, e, SLINK_KIND_DIR, d, os_err, SLINK__TA_GO);
  }
  for (;;) {
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_RMDIR, e->dir, e->name);
    int rc = slink__os_h_rmdir(e->dir, e->name, NULL, &os_err);
    if (rc == 0)
      return done(r, e, SLINK_KIND_DIR);
    if (rc == SLINK_ENOENT)
      return SLINK__TA_GO;
    if ((rc == SLINK_ENOTEMPTY || rc == SLINK_EEXIST) &&
        e->rounds < MAX_ROUNDS)
      return SLINK__TA_AGAIN;
    if (is_perm(rc) && make_writable(r, e))
      continue;
    return fail(r, e, SLINK_KIND_DIR, rc, os_err);
  }
}

static int on_error(rm *r, const slink__tree_ent *e) {
  if (e->self) {
    /* The directory could not be read whole: whatever was read is still
     * removed; the directory itself stays. */
    *e->self_marks |= M_LEFT;
    return emit(r, e, SLINK_KIND_DIR, e->err, e->os_err, SLINK__TA_GO);
  }
  if (e->err == SLINK_EACCES && e->kind == SLINK_KIND_DIR &&
      !(r->flags & SLINK_TREE_DRY_RUN)) {
    /* Unreadable, but an empty directory can still be removed (the very
     * one that was looked at, when it was). */
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_RMDIR, e->dir, e->name);
    if (slink__os_h_rmdir(e->dir, e->name, e->st, NULL) == 0)
      return done(r, e, SLINK_KIND_DIR);
  }
  slink_kind kind = e->kind;
  if (e->err == SLINK_ECHANGED || e->err == SLINK_EOTHERFS)
    kind = e->kind == SLINK_KIND_DIR ? SLINK_KIND_DIR : SLINK_KIND_NONE;
  return fail(r, e, kind, e->err, e->os_err);
}

static int visit(int what, const slink__tree_ent *e, void *ctx) {
  rm *r = ctx;
  if (r->stop)
    return SLINK__TA_STOP;
  switch (what) {
  case SLINK__TV_ENTRY:
    return e->kind == SLINK_KIND_DIR ? enter(r, e) : remove_file(r, e);
  case SLINK__TV_POST:
    return remove_dir(r, e);
  case SLINK__TV_ERROR:
    return on_error(r, e);
  default:
    return SLINK__TA_GO;
  }
}

static int report(slink_tree_cb cb, void *ctx, const char *path, int err,
                  int os_err) {
  if (!cb)
    return err;
  slink_tree_event ev = {path, strlen(path), SLINK_KIND_NONE, err, os_err};
  int stop = cb(&ev, ctx);
  return stop ? stop : err;
}

static int only_separators(const char *path) {
  for (; *path; path++)
    if (!slink__os_is_sep(*path))
      return 0;
  return 1;
}

/* "C:" alone names the current directory of a drive where the platform
 * has drives ("C:\" is absolute there), never one entry of a directory:
 * refused like the root. Elsewhere "C:" is an ordinary name. */
static int bare_drive(const char *path) {
  char probe[4] = {path[0], ':', '\\', '\0'};
  return path[0] && path[1] == ':' && path[2] == '\0' &&
         slink__os_is_absolute(probe);
}

int slink_remove_tree(const char *path, unsigned flags, slink_tree_cb cb,
                      void *ctx) {
  return slink__remove_tree_keep(path, flags, cb, ctx, NULL, NULL);
}

int slink__remove_tree_keep(const char *path, unsigned flags,
                            slink_tree_cb cb, void *ctx,
                            slink__rm_keep_fn keep, void *keep_ctx) {
  if (!path)
    return SLINK_EINVAL;
  if (!*path)
    return report(cb, ctx, path, SLINK_EEMPTYPATH, 0);
  /* --preserve-root is always on; "/" reached by any other spelling is
   * refused by its identity. */
  if (only_separators(path) || bare_drive(path))
    return report(cb, ctx, path, SLINK_EISROOT, 0);
  /* "link/" names the link itself: without the slash, the last component
   * is the entry to remove, and it is never resolved. */
  char *display = slink__path_strip_trailing(path);
  if (!display)
    return SLINK_ENOMEM;
  const char *name = slink__path_basename(display);
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    int rc = report(cb, ctx, display, SLINK_EISDOT, 0);
    free(display);
    return rc;
  }
  rm r;
  memset(&r, 0, sizeof r);
  r.flags = flags;
  r.cb = cb;
  r.ctx = ctx;
  r.keep = keep;
  r.keep_ctx = keep_ctx;
  slink__h *root = NULL;
  if (slink__os_h_open(NULL, "/", SLINK__H_FOLLOW, NULL, &root, &r.root,
                       NULL) == 0) {
    r.have_root = 1;
    slink__os_h_close(root);
  }
  slink__h *parent = NULL;
  char *leaf = NULL;
  int os_err = 0;
  int rc = slink__h_parent(display, &parent, &leaf, &os_err);
  if (rc < 0) {
    rc = rc == SLINK_ENOMEM ? rc : report(cb, ctx, display, rc, os_err);
    free(display);
    return rc;
  }
  rc = slink__tree_walk(parent, leaf, NULL, display,
                        (flags & SLINK_TREE_ONE_FS)
                            ? SLINK__TREE_ONE_FS | SLINK__TREE_NO_MOUNTS
                            : 0,
                        visit, &r);
  slink__os_h_close(parent);
  free(leaf);
  free(display);
  if (r.stop)
    return r.stop;
  if (rc < 0 && !r.first_err)
    return rc;
  return r.first_err;
}
