/* commands.c - the one table of commands: slink --help lists it, main.c
 * dispatches through it, and the man pages take each command's options
 * from it. */
#include <stddef.h>

#include "cli/cli.h"
#include "cli/cmd-scan.h"

const cli_command cli_commands[] = {
  {"make", cmd_make, "make a symbolic link, junction or hard link",
   &cli_help_make},
  {"show", cmd_show, "say what each path is: kind, target, state",
   &cli_help_show},
  {"ls", cmd_ls, "list a directory, links and their targets shown",
   &cli_help_ls},
  {"rm", cmd_rm, "remove links, never what they point to", &cli_help_rm},
  {"scan", cmd_scan, "list every link in a tree with what is wrong",
   &cli_help_scan},
  {"fix", cmd_fix, "repair the links in a tree", &cli_help_fix},
  {"hardlinks", cmd_hardlinks, "every name of the same file",
   &cli_help_hardlinks},
  {NULL, NULL, NULL, NULL}
};
