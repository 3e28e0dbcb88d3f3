/* persona-linkd.c - the Resource Kit's linkd: make, show and delete
 * junctions (on filesystems without junctions, absolute symbolic links).
 * Everything it says goes to standard output, as the original's does. */
#include <string.h>

#include "cli/cli.h"
#include "cli/persona.h"

static const char usage_text[] =
    "Links an NTFS directory to a target directory (a junction).\n"
    "\n"
    "LINKD Source [/D] Destination\n"
    "\n"
    "    Source             Shows what Source is linked to.\n"
    "    Source Destination Makes Source a junction to Destination (Source\n"
    "                       must not exist yet).\n"
    "    Source /D          Deletes the junction Source, never what it\n"
    "                       points to.\n";

static int show(const char *source) {
  slink_info info;
  int rc = slink_read(source, 0, &info);
  if (rc < 0) {
    cli_outf("%s\n", cli_win_message(rc));
    return 1;
  }
  if (slink_kind_is_link(info.kind))
    cli_outf("Source  %s is linked to\n%s\n", source,
             cli_win_link_target(&info));
  else
    cli_outf("%s  is not linked to another directory.\n", source);
  slink_info_free(&info);
  return 0;
}

static int delete_link(const char *source) {
  /* Only a link: a file with several names is no junction to delete. */
  slink_info info;
  int rc = slink_read(source, 0, &info);
  if (rc == 0) {
    if (!slink_kind_is_link(info.kind))
      rc = SLINK_ENOTLINK;
    slink_info_free(&info);
  }
  if (rc == 0)
    rc = slink_remove(source, 0, NULL);
  cli_out(rc == 0 ? "The delete operation succeeded.\n"
                  : "The delete operation failed.\n");
  return rc == 0 ? 0 : 1;
}

static int create(const char *source, const char *destination) {
  slink_make_opts o = {SLINK_MAKE_JUNCTION, 0, NULL};
  slink_made made;
  int rc = slink_make(source, destination, &o, &made);
  if (rc < 0) {
    cli_outf("%s\n", cli_win_message(rc));
    return 1;
  }
  slink_made_free(&made);
  cli_outf("Link created at: %s\n", source);
  return 0;
}

int cli_linkd(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "/?") == 0) {
      cli_out(usage_text);
      return 0;
    }
  if (argc < 2 || argc > 3) {
    cli_out(usage_text);
    return 1;
  }
  if (argc == 2)
    return show(argv[1]);
  if (cli_win_switch_is(argv[2], "/d"))
    return delete_link(argv[1]);
  return create(argv[1], argv[2]);
}
