/* run.c - running a program and reading what it prints, for the one place
 * the library needs it: Git's own plumbing when the build has no libgit2.
 * No shell is involved; the program's standard error goes to /dev/null. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "posix/posix.h"

extern char **environ;

int slink__os_run(char *const argv[], const void *in, size_t in_len,
                  char **out, size_t *out_len, int *status) {
  int inp[2], outp[2];
  *out = NULL;
  *out_len = 0;
  *status = -1;
  if (pipe(inp) != 0)
    return slink__posix_fail(NULL);
  if (pipe(outp) != 0) {
    close(inp[0]);
    close(inp[1]);
    return slink__posix_fail(NULL);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, inp[0], 0);
  posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, inp[1]);
  posix_spawn_file_actions_addclose(&fa, outp[0]);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(inp[0]);
  close(outp[1]);
  if (rc != 0) {
    close(inp[1]);
    close(outp[0]);
    return slink__posix_err(rc);
  }
  /* Input first (small: a link's target), then the output. */
  const char *p = in;
  struct sigaction ign = {0}, old;
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  while (in_len > 0) {
    ssize_t n = write(inp[1], p, in_len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    p += n;
    in_len -= (size_t)n;
  }
  close(inp[1]);
  sigaction(SIGPIPE, &old, NULL);
  size_t cap = 4096, len = 0;
  char *b = malloc(cap + 1);
  rc = b ? 0 : SLINK_ENOMEM;
  while (rc == 0) {
    if (len == cap) {
      char *nb = realloc(b, 2 * cap + 1);
      if (!nb) {
        rc = SLINK_ENOMEM;
        break;
      }
      b = nb;
      cap *= 2;
    }
    ssize_t n = read(outp[0], b + len, cap - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      rc = slink__posix_fail(NULL);
    if (n <= 0)
      break;
    len += (size_t)n;
  }
  close(outp[0]);
  int ws;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
    ;
  *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  if (rc < 0) {
    free(b);
    return rc;
  }
  b[len] = 0;
  *out = b;
  *out_len = len;
  return 0;
}
