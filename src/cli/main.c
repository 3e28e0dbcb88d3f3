/* main.c - the one table of commands and personalities, and dispatch. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-dedupe.h"
#include "cli/cmd-scan.h"
#include "cli/persona.h"
#include "sys.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"make", cmd_make, "make a symbolic link, junction or hard link"},
  {"show", cmd_show, "say what each path is: kind, target, state"},
  {"ls", cmd_ls, "list a directory, links and their targets shown"},
  {"rm", cmd_rm, "remove links, never what they point to"},
  /* ==== BEGIN more commands (scan work) ==== */
  {"scan", cmd_scan, "list every link in a tree with what is wrong"},
  {"fix", cmd_fix, "repair the links in a tree"},
  {"hardlinks", cmd_hardlinks, "every name of the same file"},
  {"dedupe", cmd_dedupe, "make identical files one: hard links or reflinks"},
  /* ==== END more commands ==== */
  {NULL, NULL, NULL}
};

/* Invoked under another tool's name, the program speaks that tool's
 * language so that existing scripts keep working. */
typedef struct personality {
  const char *name;
  int (*run)(int argc, char **argv);
} personality;

static const personality personalities[] = {
  /* ==== BEGIN personalities (personality work) ==== */
  {"mklink", cli_mklink},
  {"linkd", cli_linkd},
  {"junction", cli_junction},
  {"ln", cli_ln},
  /* ==== END personalities ==== */
  {NULL, NULL}
};

static void usage(void) {
  cli_out("usage: slink <command> [options] [arguments]\n"
          "       slink --help | --version\n\ncommands:\n");
  for (const command *c = commands; c->name; c++)
    cli_outf("  %-10s %s\n", c->name, c->summary);
  cli_out("\nRun 'slink <command> --help' for a command's options.\n");
}

/* The program's name without directory or ".exe", lower-cased. */
static void program_name(const char *argv0, char *out, size_t size) {
  const char *b = argv0;
  for (const char *p = argv0; *p; p++)
    if (slink__os_is_sep(*p))
      b = p + 1;
  size_t n = 0;
  for (; b[n] && n + 1 < size; n++)
    out[n] = (char)tolower((unsigned char)b[n]);
  out[n] = '\0';
  if (n > 4 && strcmp(out + n - 4, ".exe") == 0)
    out[n - 4] = '\0';
}

int main(int argc, char **argv) {
  char **args;
  if (slink__os_args(argc, argv, &args) < 0)
    return CLI_FAIL;
  char name[64];
  program_name(argc > 0 ? args[0] : "slink", name, sizeof name);
  for (const personality *p = personalities; p->name; p++)
    if (strcmp(name, p->name) == 0)
      return p->run(argc, args);

  if (argc < 2) {
    usage();
    return CLI_USAGE;
  }
  const char *cmd = args[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    usage();
    return CLI_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    cli_outf("slink %s\n", SLINK_VERSION_STRING);
    return CLI_OK;
  }
  for (const command *c = commands; c->name; c++)
    if (strcmp(cmd, c->name) == 0)
      return c->run(argc - 1, args + 1);
  char *q = cli_quote(cmd);
  cli_errf("slink: unknown command %s\nTry 'slink --help' for the list.\n",
           q ? q : cmd);
  free(q);
  return CLI_USAGE;
}
