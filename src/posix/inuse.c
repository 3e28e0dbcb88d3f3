/* inuse.c - whether another program holds a file open (sys.h, "File
 * copies"): POSIX lets a file open elsewhere be renamed and removed, and
 * says nothing per file, so it cannot tell here. */
#include "posix/posix.h"

int slink__os_h_in_use(slink__h *dir, const char *name, int *os_err) {
  (void)dir, (void)name, (void)os_err;
  return SLINK_ENOTSUP;
}
