/* read.c - what a path is: kind, stored target, resolved target, states.
 * The entry is read through a handle on its directory (any path length),
 * and its states come from the engine scan uses (classify.c), started from
 * that directory's canonical path, so show and scan cannot disagree. */
#include <stdlib.h>
#include <string.h>

#include "lib/classify.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

void slink__info_from_stat(slink_info *info, const slink__stat *st) {
  info->kind = st->kind;
  info->nlink = st->nlink;
  info->dev = st->dev;
  info->ino = st->ino;
  info->size = st->size;
  info->mtime = st->mtime;
  info->mode = st->mode;
  /* A reparse point that is no link (a cloud placeholder) still shows
   * its tag; a link's own data sets it again. */
  info->tag = st->tag;
}

/* Where a link resolves to and in what state it is. */
static int resolve(slink__h *dir, const char *name, slink_info *info,
                   unsigned flags) {
  if (!(flags & SLINK_READ_RESOLVE)) {
    /* Only what the target is, as the system follows it. */
    slink__stat t;
    if (slink__os_h_stat(dir, name, &t, NULL) == 0) {
      info->target_kind = t.kind;
      if (t.kind == SLINK_KIND_DIR && info->kind == SLINK_KIND_SYMLINK)
        info->kind = SLINK_KIND_DIR_SYMLINK;
    }
    return 0;
  }
  char *real = NULL;
  slink__stat d;
  int rc = slink__os_h_realpath(dir, &real, NULL);
  if (rc == 0)
    rc = slink__os_h_lstat(dir, NULL, &d, NULL);
  if (rc == SLINK_ENOMEM) {
    free(real);
    return rc;
  }
  if (rc < 0) {
    /* The directory's own path cannot be known (a component unreadable):
     * nothing can be followed from it. */
    free(real);
    info->states = SLINK_STATE_DENIED |
                   (info->target && slink__os_is_absolute(info->target)
                        ? SLINK_STATE_ABSOLUTE : SLINK_STATE_RELATIVE);
    return 0;
  }
  slink__resolver r;
  slink__resolver_init(&r, NULL, NULL);
  rc = slink__classify(&r, real, d.dev, info);
  slink__resolver_free(&r);
  free(real);
  /* Scan alone has a root that a target may escape. */
  info->states &= ~(unsigned)SLINK_STATE_ESCAPES;
  return rc;
}

int slink_read(const char *path, unsigned flags, slink_info *info) {
  memset(info, 0, sizeof *info);
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  slink__h *dir = NULL;
  char *leaf = NULL;
  int rc = slink__h_parent(path, &dir, &leaf, NULL);
  if (rc < 0)
    return rc;
  SLINK__HOOK(SLINK__HP_PARENT_OPEN, dir, leaf);
  /* "", "." and "..": the directory itself or its parent, never a link,
   * opened as the typed path (a handle call takes no "." or ".."). */
  const char *name = *leaf ? leaf : NULL;
  slink__stat st;
  if (name && (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)) {
    slink__h *self = NULL;
    rc = slink__h_open_dir(path, &self, &st, NULL);
    slink__os_h_close(self);
    name = NULL;
  } else {
    rc = slink__os_h_lstat(dir, name, &st, NULL);
  }
  if (rc == 0) {
    slink__info_from_stat(info, &st);
    if (name && slink_kind_is_link(st.kind)) {
      rc = slink__os_h_readlink(dir, name, info, NULL);
      if (rc == 0)
        rc = resolve(dir, name, info, flags);
    }
  }
  slink__os_h_close(dir);
  free(leaf);
  if (rc < 0)
    slink_info_free(info);
  return rc;
}
