/* commands.c - the one table of commands and slink's own options:
 * slink --help lists them, main.c dispatches through them, and the man
 * pages take their options from them. */
#include <stddef.h>

#include "cli/cli.h"
#include "cli/clone.h"
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
  {"convert", cmd_convert, "turn links other systems fake into real ones",
   &cli_help_convert},
  {"clone", cmd_clone, "copy or snapshot a tree, its inner links kept inner",
   &cli_help_clone},
  {"move", cmd_move, "move a tree, to another disk too, and leave a link",
   &cli_help_move},
  {NULL, NULL, NULL, NULL}
};

const cli_opt cli_main_opts[] = {
  {'h', "help", NULL, CLI_MAIN_HELP, "show the commands and these options"},
  {'V', "version", NULL, CLI_MAIN_VERSION, "show the version"},
  {0, NULL, NULL, 0, NULL}
};
