/* move-same.c - before the old tree of a move is removed, each of its
 * entries must have its copy in DEST, as it was copied: a directory
 * renamed into SRC (through a handle someone keeps there) or a file
 * written after its copy would otherwise be removed with the old tree,
 * and a count of what was copied does not see a name that came as
 * another went. The two trees are walked together through handles
 * first (a refusal then removes nothing); the removal asks again for
 * each entry just before it goes, for what came meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "lib/move.h"
#include "lib/tree.h"

typedef struct same {
  slink__h *ddir;       /* DEST's parent */
  const char *dleaf;
  slink__h **lv;        /* DEST's directory at each depth */
  size_t cap;
  int dir_times;        /* directories' times count (no removal yet) */
  int mounts;           /* -x: a mount below has an empty directory in DEST */
  uint64_t top_dev;     /* the old tree's device */
  char *changed;        /* the first entry without its copy */
  int err;              /* what it says: changed, or a mount came */
} same;

/* A's time as copied to B: equal, or within the step DEST keeps times
 * in, as B's trailing zeros show it (NTFS 100 ns, exFAT 10 ms, whole
 * seconds, FAT's even ones). A write after the copy sets the time to
 * the moment of the write, far beyond that. */
static int same_time(const slink__stat *a, const slink__stat *b) {
  if (a->mtime - b->mtime > 2 || b->mtime - a->mtime > 2)
    return 0;
  int64_t step = 1;
  if (b->mtime_ns == 0) {
    step = b->mtime % 2 == 0 ? 2000000000 : 1000000000;
  } else {
    for (int32_t ns = b->mtime_ns; ns % 10 == 0; ns /= 10)
      step *= 10;
  }
  int64_t diff = (a->mtime - b->mtime) * 1000000000 +
                 (a->mtime_ns - b->mtime_ns);
  return diff > -step && diff < step;
}

/* E (in the old tree) against what DEST holds under its name. */
static int copied(int dir_times, const slink__stat *st,
                  const slink__stat *d) {
  if (d->kind != st->kind)
    return 0;
  if (st->kind == SLINK_KIND_DIR)
    return !dir_times || same_time(st, d);
  if (st->kind == SLINK_KIND_FILE)
    return st->size == d->size && same_time(st, d);
  return 1;
}

/* Only what the copy makes is looked for (sockets and the like are left
 * out by it, with a note). */
static int copyable(slink_kind k) {
  return k == SLINK_KIND_FILE || k == SLINK_KIND_DIR ||
         k == SLINK_KIND_FIFO || slink_kind_is_link(k);
}

static int differ(same *s, const slink__tree_ent *e, int err) {
  s->changed = slink__strdup(e->path);
  s->err = err;
  return SLINK__TA_STOP;
}

static int visit(int what, const slink__tree_ent *e, void *ctx) {
  same *s = ctx;
  slink__stat d;
  if (what == SLINK__TV_ERROR && e->err == SLINK_EOTHERFS)
    return s->mounts ? SLINK__TA_GO : differ(s, e, SLINK_EOTHERFS);
  if (what == SLINK__TV_ERROR)
    return differ(s, e, SLINK_ECHANGED);
  if (what == SLINK__TV_ENTRY && e->depth > 0 && e->st &&
      copyable(e->st->kind)) {
    if (slink__os_h_lstat(s->lv[e->depth - 1], e->name, &d, NULL) < 0)
      return differ(s, e, SLINK_ECHANGED);
    /* A mount left behind (a volume's folder too): its content was
     * never copied, an empty directory stands for it. */
    int mount = s->mounts &&
                ((e->st->kind == SLINK_KIND_DIR && e->st->dev != s->top_dev) ||
                 (slink_kind_is_link(e->st->kind) && slink__tree_is_volume(e)));
    if (mount ? d.kind != SLINK_KIND_DIR : !copied(s->dir_times, e->st, &d))
      return differ(s, e, SLINK_ECHANGED);
  }
  if (what == SLINK__TV_DIR) {
    if (e->depth >= s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 16;
      slink__h **p = realloc(s->lv, cap * sizeof *p);
      if (!p)
        return differ(s, e, SLINK_ECHANGED);
      memset(p + s->cap, 0, (cap - s->cap) * sizeof *p);
      s->lv = p;
      s->cap = cap;
    }
    if (e->depth == 0)
      s->top_dev = e->st->dev;
    slink__h *up = e->depth ? s->lv[e->depth - 1] : s->ddir;
    const char *name = e->depth ? e->name : s->dleaf;
    s->lv[e->depth] = NULL;
    if (slink__os_h_open(up, name, 0, NULL, &s->lv[e->depth], &d, NULL) < 0 ||
        !copied(s->dir_times, e->st, &d))
      return differ(s, e, SLINK_ECHANGED);
  }
  if (what == SLINK__TV_POST) {
    slink__os_h_close(s->lv[e->depth]);
    s->lv[e->depth] = NULL;
  }
  return SLINK__TA_GO;
}

int slink__move_same(slink__h *sdir, const char *aside, const char *src,
                     slink__h *ddir, const char *dleaf, int dir_times,
                     int mounts, char **changed) {
  same s = {ddir, dleaf, NULL, 0, dir_times, mounts, 0, NULL, 0};
  int rc = slink__tree_walk(sdir, aside, NULL, src,
                            SLINK__TREE_ONE_FS | SLINK__TREE_NO_MOUNTS |
                                SLINK__TREE_LOOK_ALL,
                            visit, &s);
  for (size_t i = 0; i < s.cap; i++)
    if (s.lv[i])
      slink__os_h_close(s.lv[i]);
  free(s.lv);
  *changed = s.changed;
  if (s.changed)
    return s.err;
  return rc < 0 ? rc : 0;
}

/* The removal's question. DEST's directory of the entry is opened a
 * name at a time, never following, and kept while entries of the same
 * directory come. */
typedef struct guard {
  slink__h *ddir;
  const char *dleaf;
  size_t skip;          /* the length of the old tree's path */
  slink__h *at;         /* DEST's directory for the relative path AT_REL */
  char *at_rel;
  char *kept;           /* the first entry kept */
} guard;

static slink__h *dest_dir(guard *g, const char *rel, size_t len) {
  if (g->at && strlen(g->at_rel) == len && memcmp(g->at_rel, rel, len) == 0)
    return g->at;
  slink__os_h_close(g->at);
  free(g->at_rel);
  g->at = NULL;
  g->at_rel = malloc(len + 1);
  if (!g->at_rel)
    return NULL;
  memcpy(g->at_rel, rel, len);
  g->at_rel[len] = '\0';
  slink__h *h = NULL;
  if (slink__os_h_open(g->ddir, g->dleaf, 0, NULL, &h, NULL, NULL) < 0)
    return NULL;
  for (size_t i = 0; i < len && h;) {
    size_t n = 0;
    while (i + n < len && !slink__os_is_sep(rel[i + n]))
      n++;
    char *name = malloc(n + 1);
    slink__h *next = NULL;
    if (name) {
      memcpy(name, rel + i, n);
      name[n] = '\0';
      slink__os_h_open(h, name, 0, NULL, &next, NULL, NULL);
    }
    free(name);
    slink__os_h_close(h);
    h = next;
    i += n + 1;
  }
  g->at = h;
  return h;
}

static int keep(const slink__tree_ent *e, void *ctx) {
  guard *g = ctx;
  slink__stat st, d;
  if (e->depth == 0 || e->path_len <= g->skip ||
      slink__os_h_lstat(e->dir, e->name, &st, NULL) < 0 ||
      !copyable(st.kind))
    return 0;
  /* The entry's directory below the old tree ("" for its top). */
  const char *rel = e->path + g->skip + 1;
  size_t len = 0;
  for (size_t i = 0; rel[i]; i++)
    if (slink__os_is_sep(rel[i]))
      len = i;
  slink__h *h = dest_dir(g, rel, len);
  if (h && slink__os_h_lstat(h, e->name, &d, NULL) == 0 && copied(0, &st, &d))
    return 0;
  if (!g->kept)
    g->kept = slink__strdup(e->path);
  return 1;
}

int slink__move_remove_old(const char *old, unsigned flags, slink_tree_cb cb,
                           void *ctx, slink__h *ddir, const char *dleaf,
                           char **kept) {
  guard g = {ddir, dleaf, strlen(old), NULL, NULL, NULL};
  int rc = slink__remove_tree_keep(old, flags, cb, ctx, keep, &g);
  slink__os_h_close(g.at);
  free(g.at_rel);
  *kept = g.kept;
  return rc;
}
