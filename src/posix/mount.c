/* mount.c - is a directory handle the root of a mount? (The tree walk's
 * one-filesystem rule: a bind mount keeps the device number, so only the
 * kernel's mount-root attribute tells.) */
#include <fcntl.h>
#include <sys/stat.h>

#include "posix/posix.h"

int slink__os_h_is_mount_root(slink__h *dir) {
#ifdef STATX_ATTR_MOUNT_ROOT
  struct statx sx;
  if (statx(slink__posix_h_fd(dir), "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
            0, &sx) != 0)
    return 0;
  return (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
         (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
#else
  (void)dir;
  return 0;
#endif
}
