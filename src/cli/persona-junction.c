/* persona-junction.c - Sysinternals' junction: show reparse points (-s:
 * through a tree), make a junction, delete one (-d). Switches start with
 * "-" or "/" in any case. Exit status 255 (the original's -1) for a failed
 * create or delete and for a usage error, 0 otherwise. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona.h"

enum { J_FAIL = 255 };

typedef struct jopts {
  int recurse, quiet, delete_mode, nobanner;
  const char *names[2];
  int count;
} jopts;

static const char usage_text[] =
    "Shows reparse points, makes a junction or deletes one:\n"
    "usage: junction [-s] [-q] <file or directory>\n"
    "       -q     quiet: no error messages\n"
    "       -s     look through subdirectories too\n"
    "usage: junction <junction directory> <junction target>\n"
    "       example: junction /srv/www/site /home/me/site\n"
    "usage: junction -d <junction directory>\n";

static void banner(void) {
  cli_outf("Junction, as spoken by slink %s\n"
           "Sysinternals' command lines and output, not its code\n"
           "Run 'slink --help' for slink's own commands\n\n",
           SLINK_VERSION_STRING);
}

static int usage(void) {
  cli_out(usage_text);
  return J_FAIL;
}

/* Nonzero when A is the switch NAME ("-name" or "/name", any case). On
 * POSIX only known switches count, so "/srv" stays a path. */
static int switch_is(const char *a, const char *name) {
  return (a[0] == '-' || a[0] == '/') && cli_win_switch_is(a + 1, name);
}

/* 1: a switch, 0: a name, -1: an unknown "-x". */
static int parse_switch(const char *a, jopts *o) {
  if (switch_is(a, "s"))
    o->recurse = 1;
  else if (switch_is(a, "q"))
    o->quiet = 1;
  else if (switch_is(a, "d"))
    o->delete_mode = 1;
  else if (switch_is(a, "nobanner"))
    o->nobanner = 1;
  else if (switch_is(a, "accepteula"))
    ;
  else if (a[0] == '-' && a[1])
    return -1;
  else
    return 0;
  return 1;
}

static void fail_msg(const jopts *o, const char *what, const char *path,
                     int rc) {
  if (!o->quiet)
    cli_errf("Error %s %s: %s\n", what, path, cli_win_message(rc));
}

/* One reparse point (a symbolic link on POSIX) as the original lists it. */
static void print_entry(const char *full, const slink_info *info) {
  const char *sub = info->substitute_name ? info->substitute_name
                                          : info->target;
  const char *print = info->tag ? info->print_name : info->target;
  if (sub && strncmp(sub, "\\??\\", 4) == 0)
    sub += 4;
  const char *what;
  int names = 1;
  if (info->kind == SLINK_KIND_JUNCTION)
    what = sub && strncmp(sub, "Volume{", 7) == 0 ? "MOUNT POINT" : "JUNCTION";
  else if (info->kind == SLINK_KIND_SYMLINK ||
           info->kind == SLINK_KIND_DIR_SYMLINK)
    what = "SYMBOLIC LINK";
  else
    what = "THIRD-PARTY REPARSE POINT", names = 0;
  cli_outf("%s: %s\n", full, what);
  if (!names) {
    cli_outf("   Tag         : 0x%X\n", (unsigned)info->tag);
  } else {
    if (print && *print)
      cli_outf("   Print Name     : %s\n", print);
    cli_outf("   Substitute Name: %s\n", sub ? sub : "");
  }
  cli_out("\n");
}

typedef struct tally {
  const jopts *o;
  long n;
} tally;

static int on_link(const slink_walk_entry *e, void *ctx) {
  tally *f = ctx;
  if (e->error) {
    fail_msg(f->o, "reading", e->path, e->error);
    return 0;
  }
  if (e->info && slink_kind_is_link(e->info->kind)) {
    print_entry(e->path, e->info);
    f->n++;
  }
  return 0;
}

/* The reparse points below the directory FULL (absolute), on the tree
 * walker: each directory opened by handle, links listed, never entered,
 * any depth. Returns how many were found. */
static long walk(const jopts *o, const char *full) {
  tally f = {o, 0};
  slink_walk(full, SLINK_WALK_CLASSIFY | SLINK_WALK_DEPTH_FIRST, on_link, &f);
  return f.n;
}

static int show(const jopts *o, const char *path) {
  slink_info info;
  int rc = slink_read(path, 0, &info);
  if (rc < 0) {
    cli_out("No matching files were found.\n");
    return 0;
  }
  char *full = NULL;
  if (slink_path_absolute(path, &full) < 0)
    full = NULL;
  const char *shown = full ? full : path;
  long found = 0;
  if (slink_kind_is_link(info.kind)) {
    print_entry(shown, &info);
    found = 1;
  } else if (o->recurse && info.kind == SLINK_KIND_DIR) {
    found = walk(o, shown);
  }
  if (found == 0)
    cli_out("No reparse points found.\n");
  slink_info_free(&info);
  free(full);
  return 0;
}

static int delete_link(const jopts *o, const char *path) {
  slink_info info;
  int rc = slink_read(path, 0, &info);
  if (rc == 0) {
    if (!slink_kind_is_link(info.kind))
      rc = SLINK_ENOTLINK;
    slink_info_free(&info);
  }
  if (rc == SLINK_ENOTLINK) {
    if (!o->quiet)
      cli_errf("%s is not a reparse point.\n", path);
    return J_FAIL;
  }
  if (rc == 0)
    rc = slink_remove(path, 0, NULL);
  if (rc < 0) {
    fail_msg(o, "deleting", path, rc);
    return J_FAIL;
  }
  cli_outf("Deleted %s.\n", path);
  return 0;
}

static int create(const jopts *o, const char *link, const char *target) {
  slink_make_opts mo = {SLINK_MAKE_JUNCTION, 0, NULL};
  slink_made made;
  /* The full paths are worked out before the link exists, so that the
   * link's own path is shown, not where it leads. */
  char *full_link = NULL, *full_target = NULL;
  if (slink_path_absolute(link, &full_link) < 0)
    full_link = NULL;
  if (slink_path_absolute(target, &full_target) < 0)
    full_target = NULL;
  int rc = slink_make(link, target, &mo, &made);
  if (rc < 0) {
    fail_msg(o, "creating", link, rc);
  } else {
    cli_outf("Created: %s\nTargetted at: %s\n", full_link ? full_link : link,
             full_target ? full_target : target);
    slink_made_free(&made);
  }
  free(full_link);
  free(full_target);
  return rc < 0 ? J_FAIL : 0;
}

int cli_junction(int argc, char **argv) {
  jopts o;
  memset(&o, 0, sizeof o);
  int help = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (switch_is(a, "?")) {
      help = 1;
      continue;
    }
    int s = parse_switch(a, &o);
    if (s < 0 || (s == 0 && o.count == 2)) {
      help = 1;
      continue;
    }
    if (s == 0)
      o.names[o.count++] = a;
  }
  if (!o.nobanner)
    banner();
  if (help || o.count == 0)
    return usage();
  if (o.delete_mode) {
    if (o.count != 1 || o.recurse)
      return usage();
    return delete_link(&o, o.names[0]);
  }
  if (o.count == 2) {
    if (o.recurse)
      return usage();
    return create(&o, o.names[0], o.names[1]);
  }
  return show(&o, o.names[0]);
}
