/* remove.c - removing a link as itself, never what it points to. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

int slink_remove(const char *path, unsigned flags, slink_removed *out) {
  slink_removed scratch;
  if (!out)
    out = &scratch;
  memset(out, 0, sizeof *out);
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  /* "link/" names the link here: following it is how targets get lost. */
  char *p = slink__path_strip_trailing(path);
  if (!p)
    return SLINK_ENOMEM;
  slink__stat st;
  int rc = slink__os_lstat(p, &st, &out->os_error);
  if (rc == 0) {
    out->kind = st.kind;
    if (st.kind == SLINK_KIND_DIR)
      rc = SLINK_EISDIR;
    else if (!slink_kind_is_link(st.kind) && st.nlink < 2)
      rc = SLINK_ENOTLINK;
  }
  if (rc == 0 && slink_kind_is_link(st.kind)) {
    /* Report the kind a reader would see (dir-symlink, junction...). */
    slink_info info;
    if (slink_read(p, 0, &info) == 0) {
      out->kind = info.kind;
      slink_info_free(&info);
    }
  }
  if (rc == 0) {
    out->names_left = slink_kind_is_link(st.kind) ? 0 : st.nlink - 1;
    if (!(flags & SLINK_REMOVE_DRY_RUN))
      rc = slink__os_unlink(p, &st, &out->os_error);
  }
  free(p);
  return rc;
}
