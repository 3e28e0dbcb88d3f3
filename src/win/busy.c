/* busy.c - is a file of a tree about to be moved open elsewhere? Not
 * told yet on Windows (a file opened without FILE_SHARE_DELETE would
 * say it): the move goes on as where the system cannot tell. */
#include "sys.h"

int slink__os_h_file_busy(slink__h *dir, const char *name,
                          const slink__stat *expect, uint64_t *pid,
                          int *os_err) {
  (void)dir, (void)name, (void)expect, (void)os_err;
  *pid = 0;
  return SLINK_ENOTSUP;
}
