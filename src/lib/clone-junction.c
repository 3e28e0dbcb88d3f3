/* clone-junction.c - an NTFS junction of a clone. A junction is always
 * absolute: inner when it names SRC or below it, then pointed at the same
 * place in DEST; outer ones kept or dropped as symbolic links are. It is
 * made from its reparse data, not by asking the system to resolve its
 * target: an inner target may come later in the walk, and an outer one
 * may be gone (a dangling junction stays dangling). A junction is a
 * directory, so --hard cannot give it a second name; --outer unroll
 * leaves outer junctions as they are (it follows symbolic links). */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/internal.h"

int slink__clone_junction(slink__clone *c, const slink__tree_ent *e,
                          slink__h *ddir) {
  slink_info info;
  memset(&info, 0, sizeof info);
  int os_err = 0, oom = 0;
  int rc = slink__os_h_readlink(e->dir, e->name, &info, &os_err);
  if (rc == 0 && (!info.target || strlen(info.target) != info.target_len))
    rc = SLINK_ENODATA;
  if (rc < 0) {
    slink_info_free(&info);
    return slink__clone_emit(c, e, SLINK_KIND_JUNCTION, rc, os_err, NULL);
  }
  if ((c->flags & SLINK__CLONE_MOUNTS_EMPTY) &&
      slink__reparse_is_volume(info.tag, info.substitute_name)) {
    slink_info_free(&info);
    return slink__clone_mount(c, e, ddir, NULL);
  }
  char *fresh = slink__clone_rewrite(c, info.target, &oom);
  if (oom) {
    slink_info_free(&info);
    return slink__clone_emit(c, e, SLINK_KIND_JUNCTION, SLINK_ENOMEM, 0,
                             NULL);
  }
  if (!fresh && (c->flags & SLINK_CLONE_OUTER_DROP)) {
    slink_info_free(&info);
    c->n->links_dropped++;
    if (c->dry)
      return slink__clone_plan(c, e, SLINK_PLAN_DROP, NULL);
    return slink__clone_emit(c, e, SLINK_KIND_JUNCTION, 0, 0,
                             "points outside the tree: left out");
  }
  if (c->dry) {
    if (fresh)
      c->n->links_rewritten++;
    else
      c->n->links_kept++;
    rc = slink__clone_plan(c, e, fresh ? SLINK_PLAN_REWRITE : SLINK_PLAN_KEEP,
                           fresh);
    free(fresh);
    slink_info_free(&info);
    return rc;
  }
  unsigned char *buf = NULL;
  size_t len = 0;
  rc = slink_reparse_encode_junction(fresh ? fresh : info.target, &buf, &len);
  if (rc == 0)
    rc = slink__os_h_reparse_new(ddir, e->name, 1, buf, len, &os_err);
  if (rc == 0 && e->st)
    rc = slink__os_h_set_meta(ddir, e->name, e->st, SLINK__META_TIMES,
                              &os_err);
  free(buf);
  slink_info_free(&info);
  int rewritten = fresh != NULL;
  free(fresh);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_JUNCTION, rc, os_err, NULL);
  if (rewritten)
    c->n->links_rewritten++;
  else
    c->n->links_kept++;
  return SLINK__TA_GO;
}
