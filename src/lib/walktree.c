/* walktree.c - slink_walk() on one thread is a visitor of the tree walker
 * (tree.c): directories opened by handle relative to their parent and
 * verified, paths of any length, and each entry handed over with the
 * handle of its directory so that fix can act through it. The order is
 * the one the threaded walk keeps: a directory's entries sorted, then
 * each subdirectory in turn. */
#include <stdlib.h>
#include <string.h>

#include "lib/classify.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "lib/tree.h"
#include "lib/walk.h"
#include "sys.h"

typedef struct tw {
  unsigned flags;
  slink_walk_cb cb;
  void *ctx;
  const char *root;
  int stop, first_error;
  char *real;           /* canonical directory paths, one per depth */
  size_t real_cap;
  struct at { size_t len; uint64_t dev; } *at;
  size_t at_cap;
  slink__resolver res;
} tw;

static int grow_at(tw *w, size_t depth) {
  if (depth < w->at_cap)
    return 0;
  size_t cap = w->at_cap ? w->at_cap * 2 : 64;
  while (cap <= depth)
    cap *= 2;
  struct at *p = realloc(w->at, cap * sizeof *p);
  if (!p)
    return SLINK_ENOMEM;
  w->at = p;
  w->at_cap = cap;
  return 0;
}

/* The canonical path of the directory at DEPTH - 1 (the one holding the
 * entries of DEPTH), NUL-ended in w->real. */
static const char *real_dir(tw *w, size_t depth) {
  w->real[w->at[depth - 1].len] = '\0';
  return w->real;
}

static int note_dir(tw *w, const slink__tree_ent *e) {
  size_t d = e->depth;
  if (grow_at(w, d) < 0)
    return SLINK_ENOMEM;
  if (d > 0) {
    size_t base = w->at[d - 1].len, n = strlen(e->name);
    if (base + n + 2 > w->real_cap) {
      size_t cap = (base + n + 2) * 2;
      char *p = realloc(w->real, cap);
      if (!p)
        return SLINK_ENOMEM;
      w->real = p;
      w->real_cap = cap;
    }
    size_t k = base;
    if (k == 0 || !slink__os_is_sep(w->real[k - 1]))
      w->real[k++] = '/';
    memcpy(w->real + k, e->name, n + 1);
    w->at[d].len = k + n;
  }
  w->at[d].dev = e->st->dev;
  if (w->flags & SLINK_WALK_CLASSIFY)
    slink__resolver_note_dir(&w->res, w->real, w->at[d].len, e->st->dev);
  return 0;
}

static int hand(tw *w, slink__walk_item *it) {
  if (it->pub.error && !w->first_error)
    w->first_error = it->pub.error;
  int rc = w->cb ? w->cb(&it->pub, w->ctx) : 0;
  if (rc) {
    w->stop = rc;
    return SLINK__TA_STOP;
  }
  return SLINK__TA_GO;
}

static void item_of(tw *w, const slink__tree_ent *e, slink__walk_item *it) {
  memset(it, 0, sizeof *it);
  it->pub.path = e->depth ? e->path : w->root;
  it->pub.path_len = e->depth ? e->path_len : strlen(w->root);
  it->pub.depth = e->depth;
  it->pub.kind = e->kind;
  it->pub.ino = e->st ? e->st->ino : e->ino;
  it->dir = e->dir;
  it->name = e->name;
}

static int on_entry(tw *w, const slink__tree_ent *e) {
  int link = slink_kind_is_link(e->kind);
  if (e->kind == SLINK_KIND_DIR && (w->flags & SLINK_WALK_CLASSIFY))
    slink__resolver_note_subdir(&w->res, real_dir(w, e->depth),
                                w->at[e->depth - 1].len, e->name,
                                strlen(e->name));
  if (!link && !(w->flags & SLINK_WALK_ALL) &&
      !slink__is_temp_name(e->name, strlen(e->name)))
    return SLINK__TA_GO;
  slink__walk_item it;
  item_of(w, e, &it);
  uint64_t dev = w->at[e->depth - 1].dev;
  it.pub.real_dir = real_dir(w, e->depth);
  it.pub.dev = dev;
  if (e->st) {
    it.expect = *e->st;
    it.have_expect = 1;
  } else if (e->ino) {
    it.expect.dev = dev;
    it.expect.ino = e->ino;
    it.have_expect = 1;
  }
  if (!link || !(w->flags & SLINK_WALK_CLASSIFY))
    return hand(w, &it);
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = e->kind;
  in.ino = it.pub.ino;
  in.dev = dev;
  int os_err = 0, rc = 0;
  if (w->flags & SLINK_WALK_STAT) {
    slink__stat st;
    rc = slink__os_h_lstat(e->dir, e->name, &st, &os_err);
    if (rc == 0) {
      in.nlink = st.nlink;
      in.size = st.size;
      in.mtime = st.mtime;
      in.mode = st.mode;
      in.ino = st.ino;
    }
  }
  if (rc == 0)
    rc = slink__os_h_readlink(e->dir, e->name, &in, &os_err);
  if (rc == 0)
    rc = slink__classify(&w->res, it.pub.real_dir, dev, &in);
  if (rc == SLINK_ENOMEM) {
    slink_info_free(&in);
    w->stop = rc;
    return SLINK__TA_STOP;
  }
  if (rc < 0) {
    it.pub.error = rc;
    it.pub.os_error = os_err;
  } else {
    it.pub.kind = in.kind;
    it.pub.info = &in;
  }
  int a = hand(w, &it);
  slink_info_free(&in);
  return a;
}

static int on_error(tw *w, const slink__tree_ent *e) {
  if (e->err == SLINK_EOTHERFS)
    return SLINK__TA_GO; /* --one-file-system: not entered, no error */
  slink__walk_item it;
  item_of(w, e, &it);
  it.pub.kind = e->kind == SLINK_KIND_NONE ? SLINK_KIND_DIR : e->kind;
  size_t d = e->self ? e->depth + 1 : e->depth;
  if (d > 0 && !e->self) {
    it.pub.real_dir = real_dir(w, d);
    it.pub.dev = w->at[d - 1].dev;
  } else {
    it.pub.real_dir = w->real;
  }
  it.dir = NULL;
  it.pub.error = e->err;
  it.pub.os_error = e->os_err;
  return hand(w, &it);
}

static int visit(int what, const slink__tree_ent *e, void *ctx) {
  tw *w = ctx;
  switch (what) {
  case SLINK__TV_ENTRY:
    return on_entry(w, e);
  case SLINK__TV_DIR:
    if (note_dir(w, e) < 0) {
      w->stop = SLINK_ENOMEM;
      return SLINK__TA_STOP;
    }
    return SLINK__TA_GO;
  case SLINK__TV_ERROR:
    return on_error(w, e);
  default:
    return SLINK__TA_GO;
  }
}

static int root_failed(tw *w, const slink__stat *st, int rc, int os_err) {
  slink__walk_item item;
  slink_walk_entry *e = &item.pub;
  memset(&item, 0, sizeof item);
  e->path = w->root;
  e->path_len = strlen(w->root);
  e->real_dir = "";
  e->kind = st->kind;
  e->error = rc;
  e->os_error = os_err;
  int cb_rc = w->cb ? w->cb(e, w->ctx) : 0;
  return cb_rc ? cb_rc : rc;
}

int slink__walk_tree(const char *root, const slink__stat *st, unsigned flags,
                     slink_walk_cb cb, void *ctx) {
  tw w;
  memset(&w, 0, sizeof w);
  w.flags = flags;
  w.cb = cb;
  w.ctx = ctx;
  char *shown = slink__path_strip_trailing(root);
  if (!shown)
    return SLINK_ENOMEM;
  w.root = shown;
  slink__h *h = NULL;
  slink__stat now;
  int os_err = 0;
  int rc = slink__h_open_dir(root, &h, &now, &os_err);
  if (rc == 0 && !slink__same_file(&now, st))
    rc = SLINK_ECHANGED; /* swapped since it was looked at */
  if (rc == 0)
    rc = slink__os_h_realpath(h, &w.real, &os_err);
  if (rc < 0) {
    slink__os_h_close(h);
    free(w.real);
    rc = root_failed(&w, st, rc, os_err);
    free(shown);
    return rc;
  }
  w.real_cap = strlen(w.real) + 1;
  if (grow_at(&w, 0) < 0) {
    rc = SLINK_ENOMEM;
    goto out;
  }
  w.at[0].len = w.real_cap - 1;
  w.at[0].dev = now.dev;
  slink__dircache *cache = NULL;
  char *real = NULL;
  if (flags & SLINK_WALK_CLASSIFY) {
    if (slink__dircache_new(&cache, 1) < 0)
      cache = NULL;
    real = slink__strdup(w.real);
    if (!real || slink__resolver_init(&w.res, real, cache) < 0) {
      free(real);
      slink__dircache_free(cache);
      rc = SLINK_ENOMEM;
      goto out;
    }
    /* Targets are looked up from the root's directory, not walked again
     * from "/" for each one. */
    if (slink__os_base_open(real, &w.res.base) < 0)
      w.res.base = NULL;
  }
  /* "." as the root shows names as they are, not as "./name". */
  unsigned tf = (flags & SLINK_WALK_DEPTH_FIRST ? 0
                                                : SLINK__TREE_ENTRIES_FIRST) |
                (flags & SLINK_WALK_UNORDERED ? 0 : SLINK__TREE_SORTED) |
                (flags & SLINK_WALK_ONE_FS ? SLINK__TREE_ONE_FS : 0);
  rc = slink__tree_walk(h, NULL, &now, strcmp(w.root, ".") == 0 ? "" : w.root,
                        tf, visit, &w);
  if (flags & SLINK_WALK_CLASSIFY) {
    slink__os_base_close(w.res.base);
    slink__resolver_free(&w.res);
    slink__dircache_free(cache);
    free(real);
  }
out:
  slink__os_h_close(h);
  free(w.real);
  free(w.at);
  free(shown);
  if (w.stop)
    return w.stop;
  return rc < 0 ? rc : w.first_error;
}
