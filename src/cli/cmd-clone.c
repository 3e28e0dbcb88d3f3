/* cmd-clone.c - slink clone: a copy or snapshot of a tree that holds
 * links, with its inner links pointing into the copy. */
#include <stdlib.h>
#include <string.h>

#include "cli/clone.h"

static const char help_head[] =
    "usage: slink clone [--hard | --copy | --reflink] [--outer keep|drop]\n"
    "                   [--link-dest PREV [--checksum]] [--sync] [-v]\n"
    "                   [--json] SRC DEST\n"
    "\n"
    "Reproduce the directory SRC as the new directory DEST: directories,\n"
    "modes, owners (as root), nanosecond times and extended attributes.\n"
    "Names of one file inside SRC stay names of one file in DEST. A\n"
    "symbolic link pointing inside SRC points inside DEST (a relative one\n"
    "as it is, an absolute one rewritten); one pointing outside is kept or\n"
    "left out. FIFOs are made again; sockets and devices are left out with\n"
    "a note. No link is followed out of SRC.\n";

static const char help_tail[] =
    "A file at the filesystem's link limit is copied instead, and counted.\n"
    "Exit status: 0 all done, 1 something failed, 2 usage error.\n";

enum {
  O_HARD = 1, O_COPY, O_REFLINK, O_OUTER, O_LINK_DEST, O_CHECKSUM, O_SYNC,
  O_VERBOSE, O_JSON, O_HELP
};
static const cli_opt options[] = {
  {0, "hard", NULL, O_HARD, "every file a hard link to SRC's (the default)"},
  {0, "copy", NULL, O_COPY, "copy the contents (holes kept)"},
  {0, "reflink", NULL, O_REFLINK,
   "share the contents' extents (copy-on-write)"},
  {0, "outer", "WHAT", O_OUTER,
   "links pointing outside SRC: keep (the default) or drop"},
  {0, "link-dest", "PREV", O_LINK_DEST,
   "a file unchanged since the snapshot PREV (size, mtime, mode, owner) "
   "becomes a hard link to its copy there; others are copied"},
  {0, "checksum", NULL, O_CHECKSUM, "with --link-dest: compare the contents too"},
  {0, "sync", NULL, O_SYNC, "flush every file and directory made to disk"},
  {'v', "verbose", NULL, O_VERBOSE,
   "say what was left out or copied at the link limit"},
  {0, "json", NULL, O_JSON, "a summary object of what was done"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_clone = {help_head, options, help_tail};

typedef struct ctx {
  cli_clone_progress progress; /* first: the progress callback's context */
  int mode;             /* O_HARD, O_COPY, O_REFLINK or 0 */
  int modes;            /* how many were given */
  int drop, verbose, json, checksum, sync;
  const char *link_dest;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_HARD:
  case O_COPY:
  case O_REFLINK:
    if (c->mode != id)
      c->modes++;
    c->mode = id;
    break;
  case O_OUTER:
    if (strcmp(arg, "keep") == 0)
      c->drop = 0;
    else if (strcmp(arg, "drop") == 0)
      c->drop = 1;
    else if (strcmp(arg, "unroll") == 0)
      return cli_usage_error("clone", "--outer unroll is not implemented yet");
    else
      return cli_usage_error("clone", "--outer takes keep or drop");
    break;
  case O_LINK_DEST: c->link_dest = arg; break;
  case O_CHECKSUM: c->checksum = 1; break;
  case O_SYNC: c->sync = 1; break;
  case O_VERBOSE: c->verbose = 1; break;
  case O_JSON: c->json = 1; break;
  case O_HELP: cli_help_print(&cli_help_clone); return -1;
  }
  return 0;
}

static int on_event(const slink_clone_event *ev, void *p) {
  const ctx *c = p;
  if (ev->error) {
    const char *why = slink_strerror(ev->error);
    if (ev->note) {
      char *q = cli_quote(ev->path);
      cli_errf("slink: clone: %s: %s (%s)\n", q ? q : ev->path, ev->note,
               why);
      free(q);
    } else {
      cli_error("clone", ev->path, why);
    }
  } else if (ev->note && (c->verbose || ev->kind == SLINK_KIND_SOCKET ||
                          ev->kind == SLINK_KIND_DEVICE ||
                          ev->kind == SLINK_KIND_OTHER)) {
    cli_warn("clone", ev->path, ev->note);
  }
  return 0;
}

int cmd_clone(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("clone", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  const char *problem = NULL;
  if (a.count != 2)
    problem = "expected SRC and DEST";
  else if (c.modes > 1)
    problem = "--hard, --copy and --reflink exclude each other";
  else if (c.checksum && !c.link_dest)
    problem = "--checksum only makes sense with --link-dest";
  if (problem) {
    cli_args_free(&a);
    return cli_usage_error("clone", problem);
  }
  slink_clone_opts o;
  memset(&o, 0, sizeof o);
  /* A snapshot copies what changed, unless --hard says otherwise. */
  if (c.mode == O_COPY || (c.link_dest && c.mode == 0))
    o.flags |= SLINK_CLONE_COPY;
  if (c.mode == O_REFLINK)
    o.flags |= SLINK_CLONE_REFLINK;
  if (c.drop)
    o.flags |= SLINK_CLONE_OUTER_DROP;
  if (c.checksum)
    o.flags |= SLINK_CLONE_CHECKSUM;
  if (c.sync)
    o.flags |= SLINK_CLONE_SYNC;
  o.link_dest = c.link_dest;
  o.cb = on_event;
  o.ctx = &c;
  o.progress = cli_clone_tick;
  cli_progress_start(&c.progress.line);
  c.progress.line.noun = "entries";
  c.progress.verb = "clone";
  slink_clone_stats n;
  int err = slink_clone(a.operands[0], a.operands[1], &o, &n);
  cli_progress_end(&c.progress.line);
  if (c.json)
    cli_print_clone_json(&n, err);
  else if (c.verbose)
    cli_print_clone_summary(&n);
  cli_args_free(&a);
  return err < 0 ? CLI_FAIL : CLI_OK;
}

#define CLONE_COUNTS(X)                                                        \
  X(dirs) X(files_linked) X(files_copied) X(files_reflinked) X(files_prev)   \
  X(bytes_copied) X(group_links) X(links_rewritten) X(links_inner)           \
  X(links_kept) X(links_dropped) X(special_made) X(special_skipped)          \
  X(limit_copies) X(errors)

int cli_clone_tick(const slink_clone_event *ev, const slink_clone_stats *n,
                   void *arg) {
  cli_clone_progress *p = arg;
  unsigned long done = (unsigned long)(n->dirs + n->files_linked +
                                       n->files_copied + n->files_reflinked +
                                       n->files_prev + n->group_links);
  cli_progress_tick(&p->line, p->verb, done, ev->path);
  return 0;
}

void cli_print_clone_json(const slink_clone_stats *n, int err) {
  cli_out("{");
#define X(f) cli_outf("\"" #f "\":%llu,", (unsigned long long)n->f);
  CLONE_COUNTS(X)
#undef X
  cli_outf("\"ok\":%s}\n", err < 0 ? "false" : "true");
}

void cli_print_clone_summary(const slink_clone_stats *n) {
  cli_outf("%llu directories, %llu files linked, %llu copied (%llu bytes), "
           "%llu reflinked, %llu linked to the earlier snapshot, "
           "%llu joined to their group; links: %llu rewritten, %llu inner, "
           "%llu kept, %llu dropped; %llu copied at the link limit\n",
           (unsigned long long)n->dirs, (unsigned long long)n->files_linked,
           (unsigned long long)n->files_copied,
           (unsigned long long)n->bytes_copied,
           (unsigned long long)n->files_reflinked,
           (unsigned long long)n->files_prev,
           (unsigned long long)n->group_links,
           (unsigned long long)n->links_rewritten,
           (unsigned long long)n->links_inner,
           (unsigned long long)n->links_kept,
           (unsigned long long)n->links_dropped,
           (unsigned long long)n->limit_copies);
}
