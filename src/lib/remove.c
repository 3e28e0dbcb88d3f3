/* remove.c - removing a link as itself, never what it points to. The
 * parent directory is opened once; the look, the decision and the removal
 * are all made relative to that handle, and the removal itself checks the
 * very object it removes (slink__os_h_unlink), so neither a directory
 * swapped on the path nor the link swapped for a file can make it remove
 * something it did not decide to remove. */
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

static int decide(slink__h *dir, const char *leaf, slink__stat *st,
                  slink_removed *out) {
  int rc = slink__os_h_lstat(dir, *leaf ? leaf : NULL, st, &out->os_error);
  if (rc < 0)
    return rc;
  out->kind = st->kind;
  if (st->kind == SLINK_KIND_DIR)
    return SLINK_EISDIR;
  if (!slink_kind_is_link(st->kind)) {
    if (st->nlink < 2)
      return SLINK_ENOTLINK;
    out->names_left = st->nlink - 1;
    return 0;
  }
  /* Report the kind a reader would see: a link to a directory. */
  slink__stat t;
  if (st->kind == SLINK_KIND_SYMLINK &&
      slink__os_h_stat(dir, leaf, &t, NULL) == 0 && t.kind == SLINK_KIND_DIR)
    out->kind = SLINK_KIND_DIR_SYMLINK;
  return 0;
}

int slink_remove(const char *path, unsigned flags, slink_removed *out) {
  slink_removed scratch;
  if (!out)
    out = &scratch;
  memset(out, 0, sizeof *out);
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  /* "link/" names the link here: following it is how targets get lost. */
  slink__h *dir = NULL;
  char *leaf = NULL;
  int rc = slink__h_parent(path, &dir, &leaf, &out->os_error);
  if (rc < 0)
    return rc;
  SLINK__HOOK(SLINK__HP_PARENT_OPEN, dir, leaf);
  slink__stat st;
  rc = decide(dir, leaf, &st, out);
  if (rc == 0 && (flags & SLINK_REMOVE_DRY_RUN)) {
    /* Refused as the real run would be: permission, sticky bit, ro fs. */
    rc = slink__os_h_may_change(dir, leaf, &out->os_error);
  } else if (rc == 0) {
    /* The backend may move the name aside to a temporary one while it
     * checks: a signal waits until the name is gone or back. */
    slink__sigsave saved;
    slink__os_signals_hold(&saved);
    SLINK__HOOK(SLINK__HP_BEFORE_ACT, dir, leaf);
    rc = slink__os_h_unlink(dir, leaf, &st, SLINK__UNLINK_NOT_LAST,
                            &out->os_error);
    slink__os_signals_release(&saved);
  }
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}
