/* typed.c - a typed name on POSIX: every byte but '/' and NUL may be in a
 * name, and the system alters none, so there is nothing to refuse. */
#include "sys.h"

int slink__os_check_typed_name(const char *name) {
  (void)name;
  return 0;
}
