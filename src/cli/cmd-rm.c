/* cmd-rm.c - slink rm: remove links, never what they point to. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cli_help_rm[] =
    "usage: slink rm [-r] [-n] [-x] [-v] PATH...\n"
    "\n"
    "Remove each link PATH itself (symbolic link, junction, any reparse\n"
    "point), never what it points to; \"link/\" also removes the link. A\n"
    "directory is refused, and so is a file with a single name; one name of\n"
    "a hard-linked file may be removed, and slink says how many remain.\n"
    "With -r, PATH is removed with everything below it; a link inside is\n"
    "removed as a link and never entered. The root directory is refused.\n"
    "\n"
    "  -r, --recursive        remove directories and their contents\n"
    "  -x, --one-file-system  with -r: leave other filesystems in place\n"
    "  -n, --dry-run          say what would be removed, remove nothing\n"
    "  -v, --verbose          say what was removed\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 all removed, 1 something was not, 2 usage error.\n";

enum { O_DRY = 1, O_VERBOSE, O_HELP, O_RECURSIVE, O_ONE_FS };
static const cli_opt options[] = {
  {'n', "dry-run", 0, O_DRY},
  {'v', "verbose", 0, O_VERBOSE},
  {'r', "recursive", 0, O_RECURSIVE},
  {'R', NULL, 0, O_RECURSIVE},
  {'x', "one-file-system", 0, O_ONE_FS},
  {'h', "help", 0, O_HELP},
  {0, NULL, 0, 0}
};

typedef struct ctx {
  int dry_run, verbose, recursive, one_fs;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  (void)arg;
  switch (id) {
  case O_DRY: c->dry_run = 1; break;
  case O_VERBOSE: c->verbose = 1; break;
  case O_RECURSIVE: c->recursive = 1; break;
  case O_ONE_FS: c->one_fs = 1; break;
  case O_HELP: cli_out(cli_help_rm); return -1;
  }
  return 0;
}

static void say(const ctx *c, const char *path, const slink_removed *r) {
  char *q = cli_quote(path);
  const char *verb = c->dry_run ? "would remove" : "removed";
  if (slink_kind_is_link(r->kind)) {
    if (c->verbose || c->dry_run)
      cli_outf("%s %s %s\n", verb, slink_kind_name(r->kind), q);
  } else {
    int one = r->names_left == 1;
    cli_outf("%s %s: one name of a hard-linked file; %llu %s %s\n", verb, q,
             (unsigned long long)r->names_left, one ? "name" : "names",
             c->dry_run ? "would remain" : one ? "remains" : "remain");
  }
  free(q);
}

/* Every report of the tree walk: errors to standard error, removals (with
 * -v or -n) to standard output. */
static int on_tree_event(const slink_tree_event *ev, void *p) {
  const ctx *c = p;
  if (ev->error) {
    cli_error("rm", ev->path, slink_strerror(ev->error));
    return 0;
  }
  char *q = cli_quote(ev->path);
  cli_outf("%s %s %s\n", c->dry_run ? "would remove" : "removed",
           slink_kind_name(ev->kind), q ? q : ev->path);
  free(q);
  return 0;
}

static int remove_tree(const ctx *c, const char *path) {
  unsigned flags = 0;
  if (c->dry_run)
    flags |= SLINK_TREE_DRY_RUN;
  if (c->verbose)
    flags |= SLINK_TREE_VERBOSE;
  if (c->one_fs)
    flags |= SLINK_TREE_ONE_FS;
  int err = slink_remove_tree(path, flags, on_tree_event, (void *)c);
  return err < 0 ? CLI_FAIL : CLI_OK;
}

int cmd_rm(int argc, char **argv) {
  ctx c = {0, 0, 0, 0};
  cli_args a;
  int rc = cli_parse("rm", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("rm", "expected at least one PATH");
  }
  if (c.one_fs && !c.recursive) {
    cli_args_free(&a);
    return cli_usage_error("rm", "-x only makes sense with -r");
  }
  int status = CLI_OK;
  for (int i = 0; i < a.count; i++) {
    if (c.recursive) {
      status |= remove_tree(&c, a.operands[i]);
      continue;
    }
    slink_removed r;
    int err = slink_remove(a.operands[i], c.dry_run ? SLINK_REMOVE_DRY_RUN : 0,
                           &r);
    if (err < 0) {
      cli_error("rm", a.operands[i], slink_strerror(err));
      status = CLI_FAIL;
      continue;
    }
    say(&c, a.operands[i], &r);
  }
  cli_args_free(&a);
  return status;
}
