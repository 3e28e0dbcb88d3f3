/* cmd-hardlinks.c - slink hardlinks: every name of one file (same
 * filesystem, same inode) under a directory, by default the whole
 * filesystem that holds it. The walk compares the inode number the
 * directory listing gives and asks the filesystem only about candidates. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-scan.h"
#include "cli/platform.h"

static const char help_head[] =
    "usage: slink hardlinks [--in DIR] [--json | -0] FILE...\n"
    "\n"
    "List every name of each FILE (hard links: the same file on the same\n"
    "filesystem) found under DIR, by default the top of the filesystem\n"
    "that holds FILE. Links are not followed and other filesystems are not\n"
    "entered. A warning says when fewer names were found than the file's\n"
    "link count.\n";

static const char help_tail[] =
    "Exit status: 0 every name found, 1 some not found or an error,\n"
    "2 usage error.\n";

enum { O_IN = 1, O_JSON, O_NULL, O_HELP };
static const cli_opt options[] = {
  {'i', "in", "DIR", O_IN, "look under DIR only"},
  {0, "json", NULL, O_JSON, "one JSON object per name"},
  {'0', "null", NULL, O_NULL,
   "only the names, each ended by a NUL (for xargs -0); no summary; not "
   "with --json"},
  {'q', "quiet", NULL, CLI_O_QUIET,
   "print nothing: the exit status says whether every name was found"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_hardlinks = {help_head, options, help_tail};

typedef struct ctx {
  const char *in;
  int json;
  int null;
  uint64_t dev, ino;
  uint64_t found;
  int failed;
  cli_progress progress;
  unsigned long seen;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_IN: c->in = arg; break;
  case O_JSON: c->json = 1; break;
  case O_NULL: c->null = 1; break;
  case O_HELP: cli_help_print(&cli_help_hardlinks); return -1;
  }
  return 0;
}

static void report(ctx *c, const char *path, size_t len,
                   const slink_walk_entry *e);

static int on_entry(const slink_walk_entry *e, void *p) {
  ctx *c = p;
  if (e->error) {
    /* Unreadable corners are why names go missing; say which. */
    cli_error("hardlinks", e->path, slink_strerror(e->error));
    return 0;
  }
  cli_progress_tick(&c->progress, "hardlinks", ++c->seen, e->path);
  if (e->kind == SLINK_KIND_DIR || e->dev != c->dev ||
      (e->ino != 0 && e->ino != c->ino))
    return 0;
  report(c, e->path, e->path_len, e);
  return 0;
}

/* A name that turned out to be one of the file's. A walk's entry E (may
 * be NULL) is the file itself when the listing says so, also where its
 * path is too long to be read again. */
static void report(ctx *c, const char *path, size_t len,
                   const slink_walk_entry *e) {
  slink_info in;
  if (slink_read(path, 0, &in) < 0) {
    if (!e || e->ino != c->ino)
      return;
    memset(&in, 0, sizeof in);
    in.kind = e->kind;
    in.dev = e->dev;
    in.ino = e->ino;
  }
  if (in.dev == c->dev && in.ino == c->ino) {
    c->found++;
    if (c->json) {
      char *j = slink_info_json(path, &in);
      if (j)
        cli_outf("%s\n", j);
      free(j);
    } else if (c->null) {
      /* The exact bytes, for xargs -0. */
      cli_write(path, len);
      cli_write("", 1);
    } else {
      char *q = slink_quote(path, len);
      cli_outf("%s\n", q ? q : "");
      free(q);
    }
  }
  slink_info_free(&in);
}

/* Where the filesystem keeps a file's list of names (NTFS on Windows),
 * ask it instead of searching a tree. Returns 0 when it answered. */
static int from_filesystem(ctx *c, const char *file) {
  char **names;
  size_t count;
  if (slink_file_names(file, &names, &count) < 0)
    return -1;
  for (size_t i = 0; i < count; i++)
    report(c, names[i], strlen(names[i]), NULL);
  slink_names_free(names, count);
  return 0;
}

/* Every name of FILE, as the help says. */
static void one_file(ctx *c, const char *file) {
  slink_info in;
  c->found = 0;
  int rc = slink_read(file, 0, &in);
  if (rc < 0) {
    cli_error("hardlinks", file, slink_strerror(rc));
    c->failed = 1;
    return;
  }
  c->dev = in.dev;
  c->ino = in.ino;
  uint64_t nlink = in.nlink;
  int is_dir = in.kind == SLINK_KIND_DIR;
  slink_info_free(&in);
  if (is_dir) {
    cli_error("hardlinks", file, slink_strerror(SLINK_EHARDLINKDIR));
    c->failed = 1;
    return;
  }
  char *top = NULL;
  const char *where = c->in;
  if (!where && from_filesystem(c, file) == 0) {
    where = "the filesystem's own list";
  } else if (!where) {
    rc = slink_mount_point(file, &top);
    if (rc < 0) {
      cli_error("hardlinks", file, slink_strerror(rc));
      c->failed = 1;
      return;
    }
    where = top;
  }
  if (c->in || top) {
    /* One thread on the tree walker: every directory opened by handle,
     * so a tree of any depth is searched whole. */
    cli_progress_start(&c->progress);
    c->progress.noun = "entries";
    rc = slink_walk(where, SLINK_WALK_ALL | SLINK_WALK_ONE_FS, on_entry, c);
    cli_progress_end(&c->progress);
    if (rc < 0)
      c->failed = 1;
  }
  if (!c->json && !c->null && cli_os_isatty(1))
    cli_outf("%" PRIu64 " of %" PRIu64 " names found\n", c->found, nlink);
  if (c->found < nlink) {
    char msg[160];
    char *q = cli_quote(where);
    snprintf(msg, sizeof msg, "%" PRIu64 " of %" PRIu64
             " names found under %.100s", c->found, nlink, q ? q : "");
    free(q);
    cli_warn("hardlinks", file, msg);
    c->failed = 1;
  }
  free(top);
}

int cmd_hardlinks(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("hardlinks", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("hardlinks", "missing FILE");
  }
  if (c.json && c.null) {
    cli_args_free(&a);
    return cli_usage_error("hardlinks", "--json and --null exclude each other");
  }
  if (c.in && !*c.in) {
    cli_error("hardlinks", c.in, slink_strerror(SLINK_EEMPTYPATH));
    cli_args_free(&a);
    return CLI_FAIL;
  }
  for (int i = 0; i < a.count; i++)
    one_file(&c, a.operands[i]);
  cli_args_free(&a);
  return c.failed ? CLI_FAIL : CLI_OK;
}
