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

int cli_os_write(int fd, const char *s, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return SLINK_EIO;
    }
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

int cli_os_isatty(int fd) { return isatty(fd); }
