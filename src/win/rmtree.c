/* rmtree.c - placeholder: tree removal on Windows is written next. */
#include <string.h>

#include "win/win.h"

int slink__os_remove_tree(const char *parent, const char *name,
                          const char *display, unsigned flags,
                          slink_tree_cb cb, void *ctx) {
  slink_tree_event ev = {display, strlen(display), SLINK_KIND_NONE,
                         SLINK_ENOTSUP, 0};
  (void)parent; (void)name; (void)flags;
  return cb && cb(&ev, ctx) ? 1 : SLINK_ENOTSUP;
}
