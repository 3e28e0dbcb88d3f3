/* persona.h - the program under other tools' names (mklink, linkd,
 * junction, ln): their syntax and messages over the same library calls
 * as slink make, show and rm. */
#ifndef SLINK_CLI_PERSONA_H
#define SLINK_CLI_PERSONA_H

#include "slink.h"

/* Each is called with the whole argument vector, ARGV[0] the name the
 * program was invoked as, and returns the exit status the tool uses. */
int cli_mklink(int argc, char **argv);
int cli_linkd(int argc, char **argv);
int cli_junction(int argc, char **argv);
int cli_ln(int argc, char **argv);

/* The message Windows prints for an error of slink_make()/slink_remove(),
 * as cmd.exe and the Resource Kit tools show it (persona-win.c). */
const char *cli_win_message(int code);

/* What a link points to as Windows tools show it: for a reparse point its
 * print name (else its substitute name without "\??\"), for a POSIX
 * symbolic link the stored target. */
const char *cli_win_link_target(const slink_info *info);

/* Nonzero when ARG is NAME, ignoring ASCII case (Windows switches). */
int cli_win_switch_is(const char *arg, const char *name);

#endif
