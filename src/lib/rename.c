/* rename.c - give an entry another name in one step, as a backup is
 * made: the entry itself is moved, never what a link points to. */
#include "lib/internal.h"
#include "sys.h"

int slink_rename(const char *from, const char *to, int *os_error) {
  int os_err = 0;
  if (os_error)
    *os_error = 0;
  if (!from || !*from || !to || !*to)
    return SLINK_EEMPTYPATH;
  int rc = slink__os_rename(from, to, &os_err);
  if (rc < 0 && os_error)
    *os_error = os_err;
  return rc;
}
