/* cmd-scan.h - the tree commands: scan, fix, hardlinks. */
#ifndef SLINK_CMD_SCAN_H
#define SLINK_CMD_SCAN_H

#include "cli/progress.h"
#include "slink.h"

int cmd_scan(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_hardlinks(int argc, char **argv);

extern const char cli_help_scan[];
extern const char cli_help_fix[];
extern const char cli_help_hardlinks[];

/* "dangling,escapes" as SLINK_STATE_* bits; 0 after printing an error. */
unsigned cli_parse_states(const char *cmd, const char *list);
/* "symlink,junction" as a bit per slink_kind; 0 after printing an error. */
unsigned cli_parse_kinds(const char *cmd, const char *list);
/* The states that make scan exit 1. */
#define CLI_PROBLEM_STATES                                                     \
  (SLINK_STATE_DANGLING | SLINK_STATE_LOOP | SLINK_STATE_DENIED |             \
   SLINK_STATE_ESCAPES | SLINK_STATE_TOO_LONG)

#endif
