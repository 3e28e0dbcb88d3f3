/* color.h - colour on a terminal: names by kind and state, as GNU ls
 * colours them (LS_COLORS), state words by how bad they are. */
#ifndef SLINK_CLI_COLOR_H
#define SLINK_CLI_COLOR_H

#include "slink.h"

/* --color=WHEN */
typedef enum {
  CLI_COLOR_AUTO = 0,   /* on when standard output is a terminal */
  CLI_COLOR_ALWAYS,
  CLI_COLOR_NEVER
} cli_color_when;

/* WHEN as --color takes it ("auto", "always", "never", and GNU's
 * synonyms "yes", "force", "tty", "if-tty", "no", "none"); -1 if none
 * of these. NULL (a bare --color) is "always", as in GNU ls. */
int cli_color_parse(const char *when);
void cli_color_set(cli_color_when when);

/* Nonzero when standard output gets colour: ALWAYS; or AUTO on a
 * terminal whose TERM is not "dumb", with NO_COLOR unset or empty.
 * Never under --json or --null (cli_settings). Worked out once. */
int cli_color_on(void);

/* The escape sequence that starts the colour of a name of kind KIND
 * (INFO, when given, adds the states, the target's kind and the mode for
 * executables), and the one that ends it; "" for both when colour is off
 * or the name has none. NAME is matched against LS_COLORS' "*.ext"
 * patterns. The strings live until the program ends. */
const char *cli_color_name(const char *name, slink_kind kind,
                           const slink_info *info);
const char *cli_color_end(const char *start);
/* The colour of a state word (one SLINK_STATE_* bit). */
const char *cli_color_state(unsigned state_bit);

/* For tests: forget what was worked out, so that the next call reads
 * the environment again. */
void cli_color_reset(void);

#endif
