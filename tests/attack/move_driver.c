/* move_driver.c - slink_move() built with the test hooks, killed with
 * SIGKILL where the environment says: SLINK_KILL_AT=STEP at the start of
 * that step (the names in src/lib/move.c and move-journal.c; STEP#N at
 * its Nth start, for one passed more than once), SLINK_KILL_ACTS=N at the Nth
 * act of a walk (inside the copy or the removal). SLINK_TRACE_STEPS=FILE
 * appends each step's name to FILE as it starts (unbuffered, so a kill
 * leaves the step it came in as the last line).
 * Usage: move-driver move SRC DEST | resume DEST | rollback DEST */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/hook.h"
#include "slink.h"

static char kill_at[64];
static long kill_nth = 1;
static long kill_acts;
static int trace_fd = -1;

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  (void)dir;
  (void)ctx;
  if (point == SLINK__HP_MOVE_STEP && trace_fd >= 0 && name) {
    char line[64];
    int n = snprintf(line, sizeof line, "%s\n", name);
    if (n > 0 && write(trace_fd, line, (size_t)n) < 0)
      raise(SIGKILL);
  }
  if (point == SLINK__HP_MOVE_STEP && *kill_at && name &&
      strcmp(name, kill_at) == 0 && --kill_nth == 0)
    raise(SIGKILL);
  if (point == SLINK__HP_WALK_BEFORE_ACT && kill_acts > 0 && --kill_acts == 0)
    raise(SIGKILL);
}

static int on_event(const slink_clone_event *ev, void *ctx) {
  (void)ctx;
  if (ev->error)
    fprintf(stderr, "move-driver: %s: %s\n", ev->path,
            slink_strerror(ev->error));
  return 0;
}

int main(int argc, char **argv) {
  const char *at = getenv("SLINK_KILL_AT");
  if (at) {
    snprintf(kill_at, sizeof kill_at, "%s", at);
    char *nth = strchr(kill_at, '#');
    if (nth) {
      *nth = '\0';
      kill_nth = atol(nth + 1);
    }
  }
  const char *acts = getenv("SLINK_KILL_ACTS");
  kill_acts = acts ? atol(acts) : 0;
  const char *trace = getenv("SLINK_TRACE_STEPS");
  if (trace)
    trace_fd = open(trace, O_WRONLY | O_CREAT | O_APPEND, 0644);
  slink__hook = hook;
  slink_move_opts o;
  memset(&o, 0, sizeof o);
  o.cb = on_event;
  int rc;
  if (argc == 4 && strcmp(argv[1], "move") == 0)
    rc = slink_move(argv[2], argv[3], &o, NULL);
  else if (argc == 3 && strcmp(argv[1], "resume") == 0)
    rc = slink_move_resume(argv[2], &o);
  else if (argc == 3 && strcmp(argv[1], "rollback") == 0)
    rc = slink_move_rollback(argv[2], &o);
  else {
    fprintf(stderr, "usage: move-driver move SRC DEST | resume DEST | "
                    "rollback DEST\n");
    return 2;
  }
  return rc < 0 ? 1 : 0;
}
