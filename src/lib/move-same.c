/* move-same.c - before the old tree of a move is removed, each of its
 * entries must have its copy in DEST, as it was copied: a directory
 * renamed into SRC (through a handle someone keeps there) or a file
 * written after its copy would otherwise be removed with the old tree,
 * and a count of what was copied does not see a name that came as
 * another went. The two trees are walked together through handles. */
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
  char *changed;        /* the first entry without its copy */
} same;

/* Times as copied: equal, or DEST keeps fewer digits (whole seconds, or
 * NTFS's 100 ns). */
static int same_time(const slink__stat *a, const slink__stat *b) {
  if (a->mtime != b->mtime)
    return 0;
  return a->mtime_ns == b->mtime_ns || b->mtime_ns == 0 ||
         (b->mtime_ns % 100 == 0 && a->mtime_ns / 100 == b->mtime_ns / 100);
}

/* E (in the old tree) against what DEST holds under its name. */
static int copied(const same *s, const slink__stat *st,
                  const slink__stat *d) {
  if (d->kind != st->kind)
    return 0;
  if (st->kind == SLINK_KIND_DIR)
    return !s->dir_times || same_time(st, d);
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

static int differ(same *s, const slink__tree_ent *e) {
  s->changed = slink__strdup(e->path);
  return SLINK__TA_STOP;
}

static int visit(int what, const slink__tree_ent *e, void *ctx) {
  same *s = ctx;
  slink__stat d;
  if (what == SLINK__TV_ERROR)
    return differ(s, e);
  if (what == SLINK__TV_ENTRY && e->depth > 0 && e->st &&
      copyable(e->st->kind) &&
      (slink__os_h_lstat(s->lv[e->depth - 1], e->name, &d, NULL) < 0 ||
       !copied(s, e->st, &d)))
    return differ(s, e);
  if (what == SLINK__TV_DIR) {
    if (e->depth >= s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 16;
      slink__h **p = realloc(s->lv, cap * sizeof *p);
      if (!p)
        return differ(s, e);
      memset(p + s->cap, 0, (cap - s->cap) * sizeof *p);
      s->lv = p;
      s->cap = cap;
    }
    slink__h *up = e->depth ? s->lv[e->depth - 1] : s->ddir;
    const char *name = e->depth ? e->name : s->dleaf;
    s->lv[e->depth] = NULL;
    if (slink__os_h_open(up, name, 0, NULL, &s->lv[e->depth], &d, NULL) < 0 ||
        !copied(s, e->st, &d))
      return differ(s, e);
  }
  if (what == SLINK__TV_POST) {
    slink__os_h_close(s->lv[e->depth]);
    s->lv[e->depth] = NULL;
  }
  return SLINK__TA_GO;
}

int slink__move_same(slink__h *sdir, const char *aside, const char *src,
                     slink__h *ddir, const char *dleaf, int dir_times,
                     char **changed) {
  same s = {ddir, dleaf, NULL, 0, dir_times, NULL};
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
    return SLINK_ECHANGED;
  return rc < 0 ? rc : 0;
}
