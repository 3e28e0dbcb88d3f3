/* busy.c - is a file of a tree about to be moved open elsewhere? Linux
 * answers for each file with a write lease: F_SETLEASE F_WRLCK is
 * refused (EAGAIN) while any other descriptor of the file is open, in
 * any process and any namespace, or the file is being executed; taken,
 * it is given back at once. The lease needs the file's owner or
 * CAP_LEASE (root has it). Only when a file is found open is /proc read
 * to name a process holding it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix/posix.h"

#ifdef __linux__
/* A process other than this one with a descriptor on the file ST, or 0. */
static uint64_t holder(const struct stat *st) {
  DIR *proc = opendir("/proc");
  if (!proc)
    return 0;
  uint64_t found = 0;
  long self = (long)getpid();
  struct dirent *p;
  while (!found && (p = readdir(proc)) != NULL) {
    char *end;
    long pid = strtol(p->d_name, &end, 10);
    if (*end || pid <= 0 || pid == self)
      continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *fds = opendir(path);
    if (!fds)
      continue;
    struct dirent *f;
    while (!found && (f = readdir(fds)) != NULL) {
      struct stat sb;
      if (f->d_name[0] != '.' && fstatat(dirfd(fds), f->d_name, &sb, 0) == 0 &&
          sb.st_dev == st->st_dev && sb.st_ino == st->st_ino)
        found = (uint64_t)pid;
    }
    closedir(fds);
  }
  closedir(proc);
  return found;
}
#endif

int slink__os_h_file_busy(slink__h *dir, const char *name,
                          const slink__stat *expect, uint64_t *pid,
                          int *os_err) {
  *pid = 0;
#ifdef __linux__
  int fd = openat(slink__posix_h_fd(dir), name,
                  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return errno == ELOOP ? SLINK_ECHANGED : slink__posix_fail(os_err);
  struct stat sb;
  slink__stat now;
  int rc = fstat(fd, &sb) == 0 ? 0 : slink__posix_fail(os_err);
  if (rc == 0) {
    slink__posix_fill_stat(&sb, &now);
    if (now.kind != SLINK_KIND_FILE || (expect && !slink__same_file(expect, &now)))
      rc = SLINK_ECHANGED;
  }
  /* A break of the lease in the moment it is held signals its holder:
   * SIGURG, ignored unless handled, instead of SIGIO, which kills. */
  if (rc == 0 && fcntl(fd, F_SETSIG, SIGURG) == 0 &&
      fcntl(fd, F_SETLEASE, F_WRLCK) == 0) {
    /* Given back by the close below: a lease lives on its open file. */
  } else if (rc == 0) {
    int e = errno;
    if (os_err)
      *os_err = e;
    if (e == EAGAIN || e == EBUSY) {
      rc = SLINK_EBUSY;
      *pid = holder(&sb);
    } else {
      rc = SLINK_ENOTSUP;   /* not ours to lease, or no leases here */
    }
  }
  close(fd);
  return rc;
#else
  (void)dir, (void)name, (void)expect, (void)os_err;
  return SLINK_ENOTSUP;
#endif
}
