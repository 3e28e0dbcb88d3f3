/* clone.c - slink_clone(): SRC reproduced as DEST, as a visitor of the
 * tree walker. SRC is only ever read through the verified handles the
 * walker hands over; DEST is built through handles on the directories
 * this file made, one per level, and PREV (--link-dest) is read through
 * handles opened beside them. A directory's mode and times are set in
 * its POST visit, once everything inside it was made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"

/* Directories are made owner-writable while they are filled; their own
 * mode comes last. */
#define FILL_MODE 0700

int slink__clone_emit(slink__clone *c, const slink__tree_ent *e,
                      slink_kind kind, int err, int os_err,
                      const char *note) {
  if (err) {
    c->n->errors++;
    if (!c->first_err)
      c->first_err = err;
  }
  if (!c->cb || c->stop)
    return c->stop ? SLINK__TA_STOP : SLINK__TA_GO;
  slink_clone_event ev = {e->path, e->path_len, kind, err, os_err, note,
                          SLINK_PLAN_NONE, NULL};
  slink__clone_lock(c);
  int rc = c->cb(&ev, c->ctx);
  slink__clone_unlock(c);
  if (rc) {
    c->stop = rc;
    return SLINK__TA_STOP;
  }
  return SLINK__TA_GO;
}

int slink__clone_plan(slink__clone *c, const slink__tree_ent *e,
                      slink_plan plan, const char *target) {
  if (!c->cb || c->stop)
    return c->stop ? SLINK__TA_STOP : SLINK__TA_GO;
  slink_clone_event ev = {e->path, e->path_len, e->st ? e->st->kind : e->kind,
                          0, 0, NULL, plan, target};
  int rc = c->cb(&ev, c->ctx);
  if (rc) {
    c->stop = rc;
    return SLINK__TA_STOP;
  }
  return SLINK__TA_GO;
}

int slink__clone_on_way(const slink__clone *c, size_t depth,
                        const slink__stat *st) {
  for (; c; depth = c->up_depth, c = c->up)
    for (size_t i = 0; i <= depth && i < c->nlv; i++)
      if (slink__same_file(&c->lv[i].st, st))
        return 1;
  return 0;
}

const char *slink__clone_rel(const slink__clone *c, const slink__tree_ent *e) {
  const char *p = e->path + c->root_len;
  while (*p == '/')
    p++;
  return p;
}

static int level_at(slink__clone *c, size_t depth) {
  if (depth < c->nlv)
    return 0;
  size_t n = c->nlv ? c->nlv * 2 : 16;
  while (n <= depth)
    n *= 2;
  slink__clone_level *lv = realloc(c->lv, n * sizeof *lv);
  if (!lv)
    return SLINK_ENOMEM;
  memset(lv + c->nlv, 0, (n - c->nlv) * sizeof *lv);
  c->lv = lv;
  c->nlv = n;
  return 0;
}

static void level_close(slink__clone *c, size_t depth) {
  slink__clone_level *l = &c->lv[depth];
  slink__clone_check(c, l, NULL);
  if (l->dst && l->dst != c->droot)
    slink__os_h_close(l->dst);
  slink__os_h_close(l->prev);
  l->dst = l->prev = NULL;
  l->planned = 0;
}

/* The directory E (depth >= 1): made in DEST and opened, PREV's
 * counterpart opened where there is one. */
static int enter(slink__clone *c, const slink__tree_ent *e) {
  if (slink__same_file(e->st, &c->droot_st))
    return slink__clone_emit(c, e, SLINK_KIND_DIR, SLINK_EINVAL, 0,
                             "is the destination itself: not entered") ==
                   SLINK__TA_STOP
               ? SLINK__TA_STOP
               : SLINK__TA_SKIP;
  /* Inside an unrolled target, a way back to a directory being copied. */
  if (c->up && slink__clone_on_way(c->up, c->up_depth, e->st))
    return slink__clone_emit(c, e, SLINK_KIND_DIR, 0, 0,
                             "leads back to a directory being copied: a "
                             "loop, not entered") == SLINK__TA_STOP
               ? SLINK__TA_STOP
               : SLINK__TA_SKIP;
  if (level_at(c, e->depth) < 0)
    return slink__clone_emit(c, e, SLINK_KIND_DIR, SLINK_ENOMEM, 0, NULL);
  level_close(c, e->depth);
  slink__clone_level *up = &c->lv[e->depth - 1], *l = &c->lv[e->depth];
  int os_err = 0, rc = 0;
  if (c->dry)
    l->planned = 1;
  else
    rc = slink__os_h_mkdir(up->dst, e->name, FILL_MODE, &os_err);
  if (rc == 0 && !c->dry)
    rc = slink__os_h_open(up->dst, e->name, 0, NULL, &l->dst, NULL, &os_err);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_DIR, rc, os_err, NULL) ==
                   SLINK__TA_STOP
               ? SLINK__TA_STOP
               : SLINK__TA_SKIP;
  if (up->prev &&
      slink__os_h_open(up->prev, e->name, 0, NULL, &l->prev, NULL, NULL) < 0)
    l->prev = NULL;
  l->st = *e->st;
  c->n->dirs++;
  return c->dry ? slink__clone_plan(c, e, SLINK_PLAN_DIR, NULL) : SLINK__TA_GO;
}

/* Everything inside E was made: now its attributes, mode and times. */
static int finish_dir(slink__clone *c, const slink__tree_ent *e) {
  slink__clone_level *l = &c->lv[e->depth];
  if (!l->dst) {
    level_close(c, e->depth);
    return SLINK__TA_GO;
  }
  if (slink__clone_check(c, l, e) == SLINK__TA_STOP) {
    level_close(c, e->depth);
    return SLINK__TA_STOP;
  }
  int os_err = 0;
  int rc = slink__os_h_copy_xattrs(e->self, l->dst, &os_err);
  if (rc == 0)
    rc = slink__os_h_set_meta(l->dst, NULL, &l->st,
                              SLINK__META_OWNER | SLINK__META_MODE |
                                  SLINK__META_TIMES,
                              &os_err);
  if (rc == 0 && c->sync_each)
    rc = slink__os_h_sync(l->dst, &os_err);
  level_close(c, e->depth);
  return rc < 0 ? slink__clone_emit(c, e, SLINK_KIND_DIR, rc, os_err, NULL)
                : SLINK__TA_GO;
}

const char slink__clone_mount_note[] =
    "another filesystem is mounted here: not copied, an empty directory in "
    "its place";

int slink__clone_mount(slink__clone *c, const slink__tree_ent *e,
                       slink__h *ddir, slink__h *done) {
  int os_err = 0, rc = 0;
  if (!done)
    c->n->dirs++;
  if (!c->dry && !done)
    rc = slink__os_h_mkdir(ddir, e->name, FILL_MODE, &os_err);
  if (rc == 0 && !c->dry && e->st)
    rc = slink__os_h_set_meta(done ? done : ddir, done ? NULL : e->name,
                              e->st,
                              SLINK__META_OWNER | SLINK__META_MODE |
                                  SLINK__META_TIMES,
                              &os_err);
  if (rc == 0 && !c->dry && c->sync_each)
    rc = slink__os_h_sync(done ? done : ddir, &os_err);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_DIR, rc, os_err, NULL);
  if (c->dry && !done)
    slink__clone_plan(c, e, SLINK_PLAN_DIR, NULL);
  return slink__clone_emit(c, e, SLINK_KIND_DIR, 0, 0,
                           slink__clone_mount_note);
}

static int special(slink__clone *c, const slink__tree_ent *e,
                   slink__h *ddir) {
  if (e->st->kind == SLINK_KIND_FIFO && c->dry) {
    c->n->special_made++;
    return slink__clone_plan(c, e, SLINK_PLAN_FIFO, NULL);
  }
  if (e->st->kind == SLINK_KIND_FIFO) {
    int os_err = 0;
    int rc = slink__os_h_mkfifo(ddir, e->name, e->st->mode, &os_err);
    if (rc == 0)
      rc = slink__os_h_set_meta(ddir, e->name, e->st,
                                SLINK__META_OWNER | SLINK__META_TIMES,
                                &os_err);
    if (rc < 0)
      return slink__clone_emit(c, e, SLINK_KIND_FIFO, rc, os_err, NULL);
    c->n->special_made++;
    return SLINK__TA_GO;
  }
  c->n->special_skipped++;
  if (c->dry)
    return slink__clone_plan(c, e, SLINK_PLAN_SKIP, NULL);
  return slink__clone_emit(c, e, e->st->kind, 0, 0,
                           e->st->kind == SLINK_KIND_SOCKET
                               ? "a socket: left out"
                               : "a device or special file: left out");
}

static int entry(slink__clone *c, const slink__tree_ent *e) {
  if (e->st && e->st->kind == SLINK_KIND_DIR)
    return enter(c, e);
  slink__clone_level *up = &c->lv[e->depth - 1];
  if (e->depth < c->nlv && c->lv[e->depth].dst && !c->dry) {
    /* Made as the directory it was looked at as, not one when opened
     * (the walker visits it again as what it is now). */
    level_close(c, e->depth);
    slink__os_h_rmdir(up->dst, e->name, NULL, NULL);
    return slink__clone_emit(c, e, e->kind, SLINK_ECHANGED, 0, NULL);
  }
  if (!up->dst && !up->planned)
    return SLINK__TA_GO;
  slink__tree_ent looked;
  slink__stat st;
  if (!e->st) {
    if (e->kind == SLINK_KIND_FILE) {
      int a = slink__clone_file_fast(c, e, up->dst);
      if (a != 1)
        return a;
    }
    int os_err = 0;
    int rc = slink__os_h_lstat(e->dir, e->name, &st, &os_err);
    if (rc < 0)
      return slink__clone_emit(c, e, e->kind, rc, os_err, NULL);
    if (st.kind == SLINK_KIND_DIR)
      return SLINK__TA_RETYPE;
    looked = *e;
    looked.st = &st;
    looked.kind = st.kind;
    e = &looked;
  }
  /* A volume mounted in a folder (ntfs-3g lists it as a symbolic link) */
  if ((c->flags & SLINK__CLONE_MOUNTS_EMPTY) &&
      slink_kind_is_link(e->st->kind) && slink__tree_is_volume(e))
    return slink__clone_mount(c, e, up->dst, NULL);
  switch (e->st->kind) {
  case SLINK_KIND_FILE:
    return slink__clone_file(c, e, up->dst, up->prev);
  case SLINK_KIND_SYMLINK:
  case SLINK_KIND_DIR_SYMLINK:
    return slink__clone_symlink(c, e, up->dst);
  case SLINK_KIND_JUNCTION:
    return slink__clone_junction(c, e, up->dst);
  default:
    return special(c, e, up->dst);
  }
}

int slink__clone_levels(slink__clone *c) { return level_at(c, 0); }

void slink__clone_end(slink__clone *c) {
  for (size_t i = 0; i < c->nlv; i++) {
    level_close(c, i);
    free(c->lv[i].pend);
  }
  free(c->scratch.buf);
  free(c->scratch.v);
  c->scratch.buf = NULL;
  c->scratch.v = NULL;
  c->scratch.cap = c->scratch.vcap = 0;
  free(c->lv);
  c->lv = NULL;
  c->nlv = 0;
}

int slink__clone_entry(slink__clone *c, const slink__tree_ent *e) {
  return entry(c, e);
}

/* *PATH, a canonical path, in the form targets are compared in ("/"
 * separators: Windows gives "C:\\x"). */
static int lexical(char **path) {
  char *lex = slink__path_lexical(*path);
  if (!lex)
    return SLINK_ENOMEM;
  free(*path);
  *path = lex;
  return 0;
}

/* DEST's root: SRC's canonical path is known once it is open. */
static int root_dir(slink__clone *c, const slink__tree_ent *e) {
  int os_err = 0;
  int rc = slink__os_h_realpath(e->self, &c->src_abs, &os_err);
  if (rc == 0)
    rc = lexical(&c->src_abs);
  if (rc < 0) {
    slink__clone_emit(c, e, SLINK_KIND_DIR, rc, os_err, NULL);
    return SLINK__TA_STOP;
  }
  return SLINK__TA_GO;
}

/* A dry run meets DEST's parent inside SRC: the real run would find DEST
 * there and refuse to enter it, as enter() says. */
static int dest_listed(slink__clone *c, const slink__tree_ent *e) {
  size_t n = e->path_len + 1 + strlen(c->dleaf);
  char *p = malloc(n + 1);
  if (!p)
    return slink__clone_emit(c, e, SLINK_KIND_DIR, SLINK_ENOMEM, 0, NULL);
  snprintf(p, n + 1, "%s/%s", e->path, c->dleaf);
  slink__tree_ent d = *e;
  d.path = p;
  d.path_len = n;
  int a = slink__clone_emit(c, &d, SLINK_KIND_DIR, SLINK_EINVAL, 0,
                            "is the destination itself: not entered");
  free(p);
  return a;
}

int slink__clone_visit(int what, const slink__tree_ent *e, void *ctx) {
  slink__clone *c = ctx;
  if (slink__clone_stopped(c))
    return SLINK__TA_STOP;
  switch (what) {
  case SLINK__TV_ENTRY: {
    if (e->depth == 0)
      return SLINK__TA_GO;
    if (c->par && e->depth == 1 &&
        !slink__clone_claim(c, e->name,
                            (e->st ? e->st->kind : e->kind) == SLINK_KIND_DIR))
      return SLINK__TA_SKIP;  /* the other thread's */
    int a = entry(c, e);
    if (c->progress && a == SLINK__TA_GO) {
      slink_clone_event ev = {e->path, e->path_len, e->kind, 0, 0, NULL,
                              SLINK_PLAN_NONE, NULL};
      slink__clone_lock(c);
      int stop = c->progress(&ev, slink__clone_counts(c), c->ctx);
      slink__clone_unlock(c);
      if (stop) {
        c->stop = stop;
        return SLINK__TA_STOP;
      }
    }
    return a;
  }
  case SLINK__TV_DIR: {
    int a = e->depth == 0 ? root_dir(c, e) : SLINK__TA_GO;
    if (a == SLINK__TA_GO && c->dry && !c->up && c->dleaf && e->st &&
        slink__same_file(e->st, &c->dparent_st))
      a = dest_listed(c, e);
    return a;
  }
  case SLINK__TV_POST:
    if (c->par && e->depth == 0)  /* once both threads are done */
      return slink__clone_check(c, &c->lv[0], e);
    return finish_dir(c, e);
  case SLINK__TV_ERROR:
    if (e->err == SLINK_EOTHERFS && (c->flags & SLINK__CLONE_MOUNTS_EMPTY) &&
        e->depth > 0 && !e->self && e->depth < c->nlv &&
        (c->lv[e->depth].dst || c->lv[e->depth].planned)) {
      /* Its ENTRY visit made the directory; the walker did not enter. */
      int a = slink__clone_mount(c, e, NULL, c->lv[e->depth].dst);
      level_close(c, e->depth);
      return a;
    }
    if (e->depth > 0 && !e->self && e->depth < c->nlv)
      level_close(c, e->depth);
    return slink__clone_emit(c, e, e->kind, e->err, e->os_err, NULL);
  default:
    return SLINK__TA_GO;
  }
}

static int report(const slink_clone_opts *o, const char *path, int err,
                  int os_err) {
  if (o->cb) {
    slink_clone_event ev = {path, strlen(path), SLINK_KIND_NONE, err, os_err,
                            NULL, SLINK_PLAN_NONE, NULL};
    int stop = o->cb(&ev, o->ctx);
    if (stop)
      return stop;
  }
  return err;
}

/* SRC as typed, made absolute by text (links it passes are kept, so an
 * absolute link written the way the user reaches SRC is inner too). */
static char *typed_abs(const char *src) {
  if (slink__os_is_absolute(src))
    return slink__path_lexical(src);
  char *cwd = NULL;
  if (slink__os_getcwd(&cwd, NULL) < 0)
    return NULL;
  char *joined = slink__path_join(cwd, src);
  free(cwd);
  char *lex = joined ? slink__path_lexical(joined) : NULL;
  free(joined);
  return lex;
}

/* Make DEST (it must not exist) and open it. */
static int make_dest(slink__clone *c, const char *dest, int *os_err) {
  slink__h *parent = NULL;
  char *leaf = NULL;
  int rc = slink__h_parent(dest, &parent, &leaf, os_err);
  if (rc < 0)
    return rc == SLINK_ENOENT ? SLINK_ENOPARENT : rc;
  if (!*leaf || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0)
    rc = SLINK_EEXIST;
  else
    rc = slink__os_h_mkdir(parent, leaf, FILL_MODE, os_err);
  if (rc == 0)
    rc = slink__os_h_open(parent, leaf, 0, NULL, &c->droot, &c->droot_st,
                          os_err);
  slink__os_h_close(parent);
  free(leaf);
  if (rc == 0)
    rc = slink__os_h_realpath(c->droot, &c->dest_abs, os_err);
  if (rc == 0)
    rc = lexical(&c->dest_abs);
  return rc;
}

/* A dry run's DEST: judged as make_dest would find it, nothing made. */
static int plan_dest(slink__clone *c, const char *dest, int *os_err) {
  slink__h *parent = NULL;
  char *leaf = NULL, *dir = NULL;
  slink__stat st;
  int rc = slink__h_parent(dest, &parent, &leaf, os_err);
  if (rc < 0)
    return rc == SLINK_ENOENT ? SLINK_ENOPARENT : rc;
  if (!*leaf || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0 ||
      slink__os_h_lstat(parent, leaf, &st, NULL) == 0)
    rc = SLINK_EEXIST;
  else
    rc = slink__os_h_may_change(parent, leaf, os_err);
  if (rc == 0)
    rc = slink__os_h_lstat(parent, NULL, &c->dparent_st, os_err);
  if (rc == 0)
    rc = slink__os_h_realpath(parent, &dir, os_err);
  if (rc == 0) {
    c->dest_abs = slink__path_join(dir, leaf);
    rc = c->dest_abs ? lexical(&c->dest_abs) : SLINK_ENOMEM;
  }
  slink__os_h_close(parent);
  free(dir);
  if (rc == 0)
    c->dleaf = leaf;
  else
    free(leaf);
  return rc;
}

int slink_clone(const char *src, const char *dest,
                const slink_clone_opts *opts, slink_clone_stats *stats) {
  static const slink_clone_opts none;
  const slink_clone_opts *o = opts ? opts : &none;
  slink_clone_stats scratch;
  slink_clone_stats *n = stats ? stats : &scratch;
  memset(n, 0, sizeof *n);
  if (!src || !dest)
    return SLINK_EINVAL;
  if (!*src)
    return report(o, src, SLINK_EEMPTYPATH, 0);
  if (!*dest)
    return report(o, dest, SLINK_EEMPTYPATH, 0);
  slink__clone c;
  memset(&c, 0, sizeof c);
  c.flags = o->flags;
  c.dry = (o->flags & SLINK_CLONE_DRY_RUN) != 0;
  c.fast = !(o->flags & (SLINK_CLONE_COPY | SLINK_CLONE_REFLINK)) &&
           !o->link_dest;
  c.lazy = c.fast && !c.dry;
  c.sync_each = (o->flags & SLINK_CLONE_SYNC) && !slink__os_sync_fs_covers();
  c.unrolled = &c.unrolled_tab;
  c.cb = o->cb;
  c.ctx = o->ctx;
  c.progress = o->progress;
  c.n = n;
  char *display = slink__path_strip_trailing(src);
  c.src_lex = typed_abs(src);
  if (!display || !c.src_lex || level_at(&c, 0) < 0) {
    free(display);
    free(c.src_lex);
    free(c.lv);
    return SLINK_ENOMEM;
  }
  c.root_len = strlen(display);
  slink__h *sh = NULL, *proot = NULL;
  slink__stat sst;
  int os_err = 0, rc;
  const char *bad = src;
  rc = slink__h_open_dir(display, &sh, &sst, &os_err);
  if (rc == 0 && o->link_dest) {
    bad = o->link_dest;
    rc = slink__h_open_dir(o->link_dest, &proot, NULL, &os_err);
  }
  if (rc == 0) {
    bad = dest;
    rc = c.dry ? plan_dest(&c, dest, &os_err) : make_dest(&c, dest, &os_err);
  }
  if (rc < 0) {
    rc = report(o, bad, rc, os_err);
    n->errors++;
  } else {
    c.lv[0].dst = c.droot;
    c.lv[0].prev = proot;
    c.lv[0].st = sst;
    c.lv[0].planned = c.dry;
    proot = NULL;
    int w = slink__clone_walk(&c, sh, &sst, display,
                             SLINK__TREE_SORTED |
                                 (c.lazy ? 0 : SLINK__TREE_LOOK_ALL) |
                                 ((o->flags & SLINK_CLONE_ONE_FS)
                                      ? SLINK__TREE_ONE_FS |
                                            SLINK__TREE_NO_MOUNTS
                                      : 0),
                             slink__clone_visit);
    rc = c.stop ? c.stop : c.first_err ? c.first_err : w;
    /* Everything DEST holds was written to one filesystem: one flush of
     * it is the barrier an fsync a file would be (docs/DESIGN.md). */
    if (rc == 0 && !c.dry && (o->flags & SLINK_CLONE_SYNC) && !c.sync_each &&
        (rc = slink__os_h_sync_fs(c.droot, &os_err)) < 0) {
      rc = report(o, dest, rc, os_err);
      n->errors++;
    }
  }
  slink__clone_end(&c);
  slink__os_h_close(c.droot);
  slink__os_h_close(proot);
  slink__os_h_close(sh);
  slink__groups_free(&c.groups);
  slink__groups_free(&c.unrolled_tab);
  slink__groups_free(&c.dry_src);
  free(c.dleaf);
  free(c.src_abs);
  free(c.src_lex);
  free(c.dest_abs);
  free(display);
  return rc;
}
