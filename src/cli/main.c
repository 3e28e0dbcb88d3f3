/* main.c - the personalities and dispatch to the commands (commands.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/clone.h"
#include "cli/cmd-scan.h"
#include "cli/persona.h"
#include "cli/platform.h"

/* Invoked under another tool's name, the program speaks that tool's
 * language so that existing scripts keep working. */
typedef struct personality {
  const char *name;
  int (*run)(int argc, char **argv);
} personality;

static const personality personalities[] = {
  {"mklink", cli_mklink},
  {"linkd", cli_linkd},
  {"junction", cli_junction},
  {"ln", cli_ln},
  {NULL, NULL}
};

static void usage(void) {
  cli_out("usage: slink <command> [options] [arguments]\n"
          "       slink --help | --version\n\ncommands:\n");
  for (const cli_command *c = cli_commands; c->name; c++)
    cli_outf("  %-10s %s\n", c->name, c->summary);
  cli_out("\noptions:\n");
  cli_help_options(cli_main_opts, 0);
  cli_out("\nRun 'slink <command> --help' for a command's options.\n");
}

/* The id of slink's own option A ("-V", "--version"), or 0. */
static int main_option(const char *a) {
  for (const cli_opt *o = cli_main_opts; o->id; o++)
    if ((a[0] == '-' && a[1] == o->short_name && a[2] == '\0') ||
        (strncmp(a, "--", 2) == 0 && strcmp(a + 2, o->long_name) == 0))
      return o->id;
  return 0;
}

/* The program's name without directory or ".exe", lower-cased. */
static void program_name(const char *argv0, char *out, size_t size) {
  const char *b = argv0;
  for (const char *p = argv0; *p; p++)
    if (slink_path_is_sep(*p))
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
  if (cli_os_args(argc, argv, &args) < 0)
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
  int opt = main_option(cmd);
  if (opt == CLI_MAIN_HELP || strcmp(cmd, "help") == 0) {
    usage();
    return CLI_OK;
  }
  if (opt == CLI_MAIN_VERSION) {
    cli_outf("slink %s\n", SLINK_VERSION_STRING);
    return CLI_OK;
  }
  for (const cli_command *c = cli_commands; c->name; c++)
    if (strcmp(cmd, c->name) == 0)
      return c->run(argc - 1, args + 1);
  char *q = cli_quote(cmd);
  cli_errf("slink: unknown command %s\nTry 'slink --help' for the list.\n",
           q ? q : cmd);
  free(q);
  return CLI_USAGE;
}
