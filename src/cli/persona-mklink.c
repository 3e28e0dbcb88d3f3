/* persona-mklink.c - cmd.exe's mklink: MKLINK [[/D] | [/H] | [/J]] Link
 * Target, with cmd's messages and both names echoed as typed. */
#include <string.h>

#include "cli/cli.h"
#include "cli/persona.h"

static const char help[] =
    "Creates a symbolic link.\n"
    "\n"
    "MKLINK [[/D] | [/H] | [/J]] Link Target\n"
    "\n"
    "        /D      Makes a directory symbolic link (the default is a file "
    "one).\n"
    "        /H      Makes a hard link instead of a symbolic link.\n"
    "        /J      Makes a directory junction.\n"
    "        Link    The name of the new link.\n"
    "        Target  The path, relative or absolute, the new link points "
    "to.\n";

static int syntax_error(void) {
  cli_errf("The syntax of the command is incorrect.\n");
  return 1;
}

/* A switch is "/" and one character: on POSIX a one-letter directory in
 * the root must be written "/d/" to be taken as a name. */
static int is_switch(const char *a) { return a[0] == '/' && a[1] && !a[2]; }

static int make(const char *link, const char *target, slink_make_opts *o) {
  slink_made made;
  int rc = slink_make(link, target, o, &made);
  if (rc == SLINK_ETARGETNOTDIR && o->type == SLINK_MAKE_SYMBOLIC) {
    /* mklink /D makes a directory link to a file, too, if asked. */
    o->flags &= ~(unsigned)SLINK_MAKE_DIR;
    rc = slink_make(link, target, o, &made);
  }
  if (rc < 0) {
    cli_errf("%s\n", cli_win_message(rc));
    return 1;
  }
  slink_made_free(&made);
  return 0;
}

int cli_mklink(int argc, char **argv) {
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, 0, NULL};
  const char *names[2];
  int count = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!is_switch(a)) {
      if (count == 2)
        return syntax_error();
      names[count++] = a;
      continue;
    }
    if (strcmp(a, "/?") == 0) {
      cli_out(help);
      return 0;
    }
    /* The kinds exclude each other: the last one given counts. */
    if (cli_win_switch_is(a, "/d")) {
      o.flags |= SLINK_MAKE_DIR;
    } else if (cli_win_switch_is(a, "/h")) {
      o.type = SLINK_MAKE_HARD;
    } else if (cli_win_switch_is(a, "/j")) {
      o.type = SLINK_MAKE_JUNCTION;
    } else {
      cli_errf("Invalid switch - \"%s\".\n", a + 1);
      return 1;
    }
  }
  if (count != 2)
    return syntax_error();
  if (o.type != SLINK_MAKE_SYMBOLIC)
    o.flags &= ~(unsigned)SLINK_MAKE_DIR;
  if (make(names[0], names[1], &o) != 0)
    return 1;
  const char *what = o.type == SLINK_MAKE_HARD       ? "Hardlink"
                     : o.type == SLINK_MAKE_JUNCTION ? "Junction"
                                                     : "symbolic link";
  cli_outf("%s created for %s <<===>> %s\n", what, names[0], names[1]);
  return 0;
}
