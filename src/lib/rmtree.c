/* rmtree.c - slink_remove_tree(): the checks every platform shares, before
 * the backend walks the tree. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

static int report(slink_tree_cb cb, void *ctx, const char *path, int err) {
  if (!cb)
    return err;
  slink_tree_event ev = {path, strlen(path), SLINK_KIND_NONE, err, 0};
  int stop = cb(&ev, ctx);
  return stop ? stop : err;
}

static int only_separators(const char *path) {
  for (; *path; path++)
    if (!slink__os_is_sep(*path))
      return 0;
  return 1;
}

int slink_remove_tree(const char *path, unsigned flags, slink_tree_cb cb,
                      void *ctx) {
  if (!path)
    return SLINK_EINVAL;
  if (!*path)
    return report(cb, ctx, path, SLINK_EEMPTYPATH);
  /* --preserve-root is always on; the backend also refuses "/" reached by
   * any other spelling, by its identity. */
  if (only_separators(path))
    return report(cb, ctx, path, SLINK_EISROOT);
  /* "link/" names the link itself: without the slash, the last component
   * is the entry to remove, and it is never resolved. */
  char *display = slink__path_strip_trailing(path);
  if (!display)
    return SLINK_ENOMEM;
  const char *name = slink__path_basename(display);
  int rc;
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    rc = report(cb, ctx, display, SLINK_EISDOT);
    free(display);
    return rc;
  }
  char *parent = slink__path_dirname(display);
  if (!parent) {
    free(display);
    return SLINK_ENOMEM;
  }
  rc = slink__os_remove_tree(parent, name, display, flags, cb, ctx);
  free(parent);
  free(display);
  return rc;
}
