/* retarget.c - a junction pointed elsewhere in place (sys.h, "File
 * copies"): POSIX has no junctions of its own; those ntfs-3g shows are
 * left as they are. */
#include "posix/posix.h"

int slink__os_h_junction_retarget(slink__h *dir, const char *name,
                                  const char *abs_target, int *os_err) {
  (void)dir, (void)name, (void)abs_target, (void)os_err;
  return SLINK_ENOTSUP;
}
