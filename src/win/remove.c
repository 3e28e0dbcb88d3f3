/*
 * remove.c - removing one directory entry named by a path: the link
 * itself, through the handle of its directory (slink__os_h_unlink).
 * DeleteFileW and RemoveDirectoryW, which look the name up again, are
 * never used on a link: under Wine they delete a Linux symlink's target.
 */
#include <stdlib.h>

#include "lib/hpath.h"
#include "win/win.h"

int slink__os_unlink(const char *path, const slink__stat *expect,
                     int *os_err) {
  slink__h *dir;
  char *leaf;
  int rc = slink__h_parent(path, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  rc = *leaf ? slink__os_h_unlink(dir, leaf, expect, 0, os_err)
             : SLINK_EISROOT;
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}
