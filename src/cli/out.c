/* out.c - every byte the program prints goes through here: one place for
 * the error format and for console encoding. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/platform.h"

cli_globals cli_global;

/* The first failure to write standard output (a full disk, /dev/full, a
 * closed descriptor): the run then fails at exit with a message, as GNU
 * tools do, whatever the command thought of its own work. */
static int out_failed;

static void check_at_exit(void) {
  if (!out_failed)
    return;
  char msg[160];
  int n = snprintf(msg, sizeof msg, "slink: standard output: write error: %s\n",
                   slink_strerror(out_failed));
  if (n > 0)
    cli_os_write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
  _Exit(CLI_FAIL);
}

void cli_progress_clear(void) {
  if (cli_global.progress_shown) {
    cli_global.progress_shown = 0;
    cli_os_write(2, "\r\033[K", 4);
  }
}

/* Everything goes out here: the progress line is cleared first, and
 * --quiet keeps standard output empty. */
static void put(int fd, const char *s, size_t len) {
  static int watching;
  if (fd == 1 && (cli_global.quiet || out_failed))
    return;
  cli_progress_clear();
  if (fd == 1 && !watching)
    watching = atexit(check_at_exit) == 0;
  int rc = cli_os_write(fd, s, len);
  if (fd == 1 && rc < 0)
    out_failed = rc;
}

void cli_write(const char *s, size_t len) { put(1, s, len); }

static void vput(int fd, const char *fmt, va_list ap) {
  char small[512];
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof small, fmt, copy);
  va_end(copy);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    put(fd, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big)
    return;
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  put(fd, big, (size_t)n);
  free(big);
}

void cli_out(const char *s) { put(1, s, strlen(s)); }

void cli_outf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vput(1, fmt, ap);
  va_end(ap);
}

void cli_errf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vput(2, fmt, ap);
  va_end(ap);
}

char *cli_quote(const char *path) { return slink_quote(path, strlen(path)); }

char *cli_json(const char *s, size_t len) {
  char *b = NULL;
  size_t n = 0, cap = 0;
  if (slink_json_string(&b, &n, &cap, s, len) < 0) {
    free(b);
    return NULL;
  }
  return b;
}

void cli_error(const char *cmd, const char *path, const char *reason) {
  char *q = cli_quote(path);
  cli_errf("slink: %s: %s: %s\n", cmd, q ? q : path, reason);
  free(q);
}

void cli_warn(const char *cmd, const char *path, const char *reason) {
  char *q = cli_quote(path);
  cli_errf("slink: %s: %s: warning: %s\n", cmd, q ? q : path, reason);
  free(q);
}

int cli_usage_error(const char *cmd, const char *message) {
  cli_errf("slink: %s: %s\nTry 'slink %s --help' for more information.\n",
           cmd, message, cmd);
  return CLI_USAGE;
}
