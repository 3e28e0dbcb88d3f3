/* clone.h - the tree copying commands: clone and move. */
#ifndef SLINK_CLI_CLONE_H
#define SLINK_CLI_CLONE_H

#include "cli/cli.h"
#include "cli/progress.h"

int cmd_clone(int argc, char **argv);
int cmd_move(int argc, char **argv);
extern const cli_help cli_help_clone;
extern const cli_help cli_help_move;

/* The progress line of clone and move: files and bytes so far. */
typedef struct cli_clone_progress {
  cli_progress line;
  const char *verb;
  slink_clone_stats now;  /* the counts of the last tick */
} cli_clone_progress;
int cli_clone_tick(const slink_clone_event *ev, const slink_clone_stats *n,
                   void *ctx);

/* The counts of a clone as one JSON object on a line (ERR: its result;
 * DRY: of a dry run; MORE: NULL, or members to add, each ending in ","). */
void cli_print_clone_json(const slink_clone_stats *n, int err, int dry,
                          const char *more);
/* The same as a line of text. */
void cli_print_clone_summary(const slink_clone_stats *n, int dry);
/* Nothing counted but errors: refused before the walk (no summary). */
int cli_clone_refused(const slink_clone_stats *n);
/* A dry run's decision as a line: "would copy PATH". */
void cli_print_plan(const slink_clone_event *ev);

#endif
