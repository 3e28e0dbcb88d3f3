/* cli.h - what the parts of the slink program share. */
#ifndef SLINK_CLI_H
#define SLINK_CLI_H

#include <stddef.h>

#include "slink.h"

/* Exit codes (DESIGN.md section 4). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* ---- options (opts.c) ----
 * Each command's table is the one place an option is described: the
 * parser reads it, and --help and the OPTIONS section of the man page are
 * made from it (help.c, gen-man.c). */
typedef struct cli_opt {
  char short_name;       /* 0 when there is none */
  const char *long_name; /* NULL when there is none */
  /* The value's name as help shows it ("X:", "S,..."), NULL when the
   * option takes none; "[=WHEN]": an optional value after "=". */
  const char *arg;
  int id;                /* handed to the caller; nonzero */
  /* What it does, a phrase in lower case without a final stop. NULL makes
   * the entry another name of the entry before it (-R beside -r). */
  const char *help;
} cli_opt;

/* Every command also takes these (cli_common_opts), handled by the parser
 * itself; a command whose table has an entry with one of these ids (to say
 * what colour means for it) gets that entry's text in its help instead. */
enum { CLI_O_COLOR = -1, CLI_O_QUIET = -2 };
extern const cli_opt cli_common_opts[];

typedef struct cli_args {
  char **operands;       /* in order; options removed */
  int count;
} cli_args;

/* Parse ARGV[1..] (ARGV[0] is the command's name): options may stand
 * anywhere before "--". ON_OPT is called for each option in order; it
 * returns 0 to go on or an exit code to stop. Returns 0, CLI_USAGE after
 * printing what was wrong, or what ON_OPT returned. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              int (*on_opt)(void *ctx, int id, const char *arg), void *ctx,
              cli_args *out);
void cli_args_free(cli_args *a);

/* ---- output (out.c) ---- */
/* What the whole run is asked for. cli_parse sets quiet for --quiet/-q
 * and json and null when the command's own --json or --null (-0) is
 * given, so that colour, progress and out.c follow without each command
 * telling them. */
typedef struct cli_globals {
  int quiet;            /* nothing on standard output */
  int json;             /* output is JSON lines: no colour, no progress */
  int null;             /* output is NUL-terminated paths, for xargs -0 */
  int progress_shown;   /* a progress line is on standard error */
} cli_globals;
extern cli_globals cli_global;

/* Erase a progress line from the terminal, if one is shown (out.c does
 * it before anything else is printed). */
void cli_progress_clear(void);
/* LEN bytes to standard output as they are (NULs too), unless --quiet. */
void cli_write(const char *s, size_t len);
/* Text to standard output / error, as the terminal wants it. */
void cli_out(const char *s);
void cli_outf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void cli_errf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* "slink: CMD: PATH: REASON" on standard error, PATH quoted if needed. */
void cli_error(const char *cmd, const char *path, const char *reason);
/* "slink: CMD: PATH: warning: REASON" */
void cli_warn(const char *cmd, const char *path, const char *reason);
/* "slink: CMD: MESSAGE" followed by a hint to --help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *message);
/* PATH quoted for a line of text (caller frees). */
char *cli_quote(const char *path);
/* LEN bytes of S as a JSON string, quotes included (caller frees; NULL
 * when memory ran out). */
char *cli_json(const char *s, size_t len);

/* ---- help (help.c) ---- */
/* A command's --help: HEAD (usage and what it does), its options made
 * from OPTIONS, then TAIL (the exit status). */
typedef struct cli_help {
  const char *head;
  const cli_opt *options;
  const char *tail;
} cli_help;
void cli_help_print(const cli_help *h);
/* The option lines alone; COMMON as for cli_help_each. */
void cli_help_options(const cli_opt *options, int common);
/* The options a help shows, in order: the table's, and with COMMON the
 * common ones (unless the table has its own) before -h. FN gets each
 * entry O and the number of other names that follow it in the table. */
void cli_help_each(const cli_opt *options, int common,
                   void (*fn)(const cli_opt *o, size_t aliases, void *ctx),
                   void *ctx);

/* ---- commands (cmd-*.c), each called with argv[0] = its name ---- */
int cmd_make(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_convert(int argc, char **argv);

/* show, ls (cmd-convert.c): when PATH is a file another system keeps in
 * place of a link (a regular file of at most MAX_SIZE bytes, or an
 * Interix file ntfs-3g shows as a link), IN becomes what it stands for:
 * its kind, target and states with "faked"; a broken one is warned
 * about. cli_fake_done() at the end of the command. */
void cli_fake_amend(const char *cmd, const char *path, uint64_t max_size,
                    slink_info *in);
void cli_fake_done(void);
/* scan --faked: E, a regular file, handed to VISIT as the faked link it
 * is (kind, target, states), or passed over when it is none. */
int cli_fake_visit(const slink_walk_entry *e,
                   int (*visit)(const slink_walk_entry *e, void *arg),
                   void *arg);

/* The help texts and option tables live beside the commands. */
extern const cli_help cli_help_make;
extern const cli_help cli_help_show;
extern const cli_help cli_help_ls;
extern const cli_help cli_help_rm;
extern const cli_help cli_help_convert;

/* The table of commands (commands.c): slink --help lists it. */
typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
  const cli_help *help;
} cli_command;
extern const cli_command cli_commands[];
/* What slink itself takes before a command. */
enum { CLI_MAIN_HELP = 1, CLI_MAIN_VERSION };
extern const cli_opt cli_main_opts[];

#endif
