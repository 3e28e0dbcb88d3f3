/* cmd-scan.h - the tree commands: scan, fix, hardlinks. */
#ifndef SLINK_CMD_SCAN_H
#define SLINK_CMD_SCAN_H

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
   SLINK_STATE_ESCAPES)

/* A progress line on standard error for long work on a terminal. */
typedef struct cli_progress {
  int on;               /* standard error is a terminal */
  long long start;      /* seconds */
  long long last;
  unsigned long calls;
  int shown;
} cli_progress;
void cli_progress_start(cli_progress *p);
/* Show "VERB: COUNT links, PATH" at most once a second, after the first. */
void cli_progress_tick(cli_progress *p, const char *verb, unsigned long count,
                       const char *path);
void cli_progress_end(cli_progress *p);

#endif
