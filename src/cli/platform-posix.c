/* platform-posix.c - the program's arguments and output on POSIX: bytes
 * as they are. */
#include <errno.h>
#include <unistd.h>

#include "cli/platform.h"
#include "slink.h"

int cli_os_args(int argc, char **argv, char ***utf8_argv) {
  (void)argc;
  *utf8_argv = argv;
  return 0;
}

/* The few reasons a write to a pipe, file or terminal fails, in the
 * library's words (its errno table is not public). */
static int write_error(int e) {
  switch (e) {
  case ENOSPC: return SLINK_ENOSPC;
#ifdef EDQUOT
  case EDQUOT: return SLINK_EDQUOT;
#endif
  case EACCES: return SLINK_EACCES;
  case EPERM: return SLINK_EPERM;
  case EROFS: return SLINK_EROFS;
  default: return SLINK_EIO;
  }
}

int cli_os_write(int fd, const char *s, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return write_error(errno);
    }
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

int cli_os_isatty(int fd) { return isatty(fd); }

int cli_os_errno(int os_error) { return os_error > 0 ? os_error : 0; }

int cli_os_posix_names(void) { return 1; }
