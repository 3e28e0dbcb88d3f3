/* cmd-rm.c - slink rm: remove links, never what they point to. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/progress.h"

static const char help_head[] =
    "usage: slink rm [-r] [-n] [-x] [-v] [--json | -0] PATH...\n"
    "\n"
    "Remove each link PATH itself (symbolic link, junction, any reparse\n"
    "point), never what it points to; \"link/\" also removes the link. A\n"
    "directory is refused, and so is a file with a single name; one name of\n"
    "a hard-linked file may be removed, and slink says how many remain.\n"
    "With -r, PATH is removed with everything below it; a link inside is\n"
    "removed as a link and never entered. The root directory is refused.\n";

static const char help_tail[] =
    "Exit status: 0 all removed, 1 something was not, 2 usage error.\n";

enum {
  O_DRY = 1, O_VERBOSE, O_HELP, O_RECURSIVE, O_ONE_FS, O_JSON, O_NULL
};
static const cli_opt options[] = {
  {'r', "recursive", NULL, O_RECURSIVE,
   "remove directories and their contents"},
  {'R', NULL, NULL, O_RECURSIVE, NULL},
  {'x', "one-file-system", NULL, O_ONE_FS,
   "with -r: leave other filesystems in place"},
  {'n', "dry-run", NULL, O_DRY, "say what would be removed, remove nothing"},
  {'v', "verbose", NULL, O_VERBOSE, "say what was removed"},
  {0, "json", NULL, O_JSON,
   "one JSON object per PATH removed (with -n: that would be), what it "
   "was before, as slink show --json gives it; with -r one per entry "
   "removed, children before their directory: path, kind and dry_run"},
  {'0', "null", NULL, O_NULL,
   "only the paths removed (with -n: that would be; with -r: every "
   "entry), each ended by a NUL (for xargs -0); not with --json"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_rm = {help_head, options, help_tail};

typedef struct ctx {
  int dry_run, verbose, recursive, one_fs, json, null;
  unsigned long removed;  /* entries so far, for the progress line */
  cli_progress progress;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  (void)arg;
  switch (id) {
  case O_DRY: c->dry_run = 1; break;
  case O_VERBOSE: c->verbose = 1; break;
  case O_RECURSIVE: c->recursive = 1; break;
  case O_ONE_FS: c->one_fs = 1; break;
  case O_JSON: c->json = 1; break;
  case O_NULL: c->null = 1; break;
  case O_HELP: cli_help_print(&cli_help_rm); return -1;
  }
  return 0;
}

/* PATH ended by a NUL, its bytes unchanged, for xargs -0. */
static void put_null(const char *path, size_t len) {
  cli_write(path, len);
  cli_write("", 1);
}

/* One operand removed without -r: IN is what it was before, or NULL when
 * it could not be read (then --json prints nothing for it). */
static void say(const ctx *c, const char *path, const slink_removed *r,
                const slink_info *in) {
  if (c->json) {
    char *j = in ? slink_info_json(path, in) : NULL;
    if (j)
      cli_outf("%s\n", j);
    free(j);
    return;
  }
  if (c->null) {
    put_null(path, strlen(path));
    return;
  }
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

/* {"path":...,"kind":...,"dry_run":...}: an entry removed by -r, which is
 * gone by the time it is reported, so only what the walk knew of it. */
static void tree_json(const ctx *c, const slink_tree_event *ev) {
  char *b = cli_json(ev->path, ev->path_len);
  if (b)
    cli_outf("{\"path\":%s,\"kind\":\"%s\",\"dry_run\":%s}\n", b,
             slink_kind_name(ev->kind), c->dry_run ? "true" : "false");
  free(b);
}

/* Every report of the tree walk: errors to standard error; removals
 * counted for the progress line, and printed with -v, -n, --json or -0. */
static int on_tree_event(const slink_tree_event *ev, void *p) {
  ctx *c = p;
  if (ev->error) {
    cli_error("rm", ev->path, slink_strerror(ev->error));
    return 0;
  }
  c->removed++;
  cli_progress_tick(&c->progress, "rm", c->removed, ev->path);
  if (c->json) {
    tree_json(c, ev);
  } else if (c->null) {
    put_null(ev->path, ev->path_len);
  } else if (c->verbose || c->dry_run) {
    char *q = cli_quote(ev->path);
    cli_outf("%s %s %s\n", c->dry_run ? "would remove" : "removed",
             slink_kind_name(ev->kind), q ? q : ev->path);
    free(q);
  }
  return 0;
}

static int remove_tree(ctx *c, const char *path) {
  /* Every removal is reported, so that the progress line can count. */
  unsigned flags = SLINK_TREE_VERBOSE;
  if (c->dry_run)
    flags |= SLINK_TREE_DRY_RUN;
  if (c->one_fs)
    flags |= SLINK_TREE_ONE_FS;
  int err = slink_remove_tree(path, flags, on_tree_event, c);
  return err < 0 ? CLI_FAIL : CLI_OK;
}

static int remove_one(ctx *c, const char *path) {
  slink_info in;
  int have = 0;
  if (c->json)
    have = slink_read(path, SLINK_READ_RESOLVE, &in) == 0;
  slink_removed r;
  int err = slink_remove(path, c->dry_run ? SLINK_REMOVE_DRY_RUN : 0, &r);
  if (err < 0) {
    cli_error("rm", path, slink_strerror(err));
  } else {
    c->removed++;
    cli_progress_tick(&c->progress, "rm", c->removed, path);
    say(c, path, &r, have ? &in : NULL);
  }
  if (have)
    slink_info_free(&in);
  return err < 0 ? CLI_FAIL : CLI_OK;
}

int cmd_rm(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
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
  if (c.json && c.null) {
    cli_args_free(&a);
    return cli_usage_error("rm", "--json and --null exclude each other");
  }
  cli_progress_start(&c.progress);
  c.progress.noun = "removed";
  int status = CLI_OK;
  for (int i = 0; i < a.count; i++)
    status |= c.recursive ? remove_tree(&c, a.operands[i])
                          : remove_one(&c, a.operands[i]);
  cli_progress_end(&c.progress);
  cli_args_free(&a);
  return status;
}
