/* cmd-dedupe.h - slink dedupe. */
#ifndef SLINK_CMD_DEDUPE_H
#define SLINK_CMD_DEDUPE_H

int cmd_dedupe(int argc, char **argv);
extern const cli_help cli_help_dedupe;

#endif
