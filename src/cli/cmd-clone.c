/* cmd-clone.c - slink clone: a copy or snapshot of a tree that holds
 * links, with its inner links pointing into the copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clone.h"

static const char help_head[] =
    "usage: slink clone [--hard | --copy | --reflink]\n"
    "                   [--outer keep|drop|unroll] [--link-dest PREV\n"
    "                   [--checksum]] [--sync] [-n] [-v] [--json] SRC DEST\n"
    "\n"
    "Reproduce the directory SRC as the new directory DEST: directories,\n"
    "modes, owners (as root), nanosecond times and extended attributes.\n"
    "Names of one file inside SRC stay names of one file in DEST. A\n"
    "symbolic link pointing inside SRC points inside DEST (a relative one\n"
    "as it is, an absolute one rewritten); one pointing outside is kept,\n"
    "left out, or replaced by a copy of what it points to (unroll: each\n"
    "target copied once, a later link to it linked to that copy; loops and\n"
    "dangling links kept as links). FIFOs are made again; sockets and\n"
    "devices are left out with a note. No other link is followed out of\n"
    "SRC. -n prints what would be done, judged as the real run judges it.\n";

static const char help_tail[] =
    "A file at the filesystem's link limit is copied instead, and counted.\n"
    "Exit status: 0 all done, 1 something failed, 2 usage error.\n";

enum {
  O_HARD = 1, O_COPY, O_REFLINK, O_OUTER, O_LINK_DEST, O_CHECKSUM, O_SYNC,
  O_VERBOSE, O_JSON, O_HELP, O_DRY
};
static const cli_opt options[] = {
  {0, "hard", NULL, O_HARD, "every file a hard link to SRC's (the default)"},
  {0, "copy", NULL, O_COPY, "copy the contents (holes kept)"},
  {0, "reflink", NULL, O_REFLINK,
   "share the contents' extents (copy-on-write)"},
  {0, "outer", "WHAT", O_OUTER,
   "links pointing outside SRC: keep (the default), drop, or unroll "
   "(replace each by a copy of what it points to)"},
  {0, "link-dest", "PREV", O_LINK_DEST,
   "a file unchanged since the snapshot PREV (size, mtime, mode, owner) "
   "becomes a hard link to its copy there; others are copied"},
  {0, "checksum", NULL, O_CHECKSUM, "with --link-dest: compare the contents too"},
  {0, "sync", NULL, O_SYNC, "flush every file and directory made to disk"},
  {'n', "dry-run", NULL, O_DRY,
   "print what would be linked, copied, rewritten, kept, dropped and "
   "unrolled; make nothing"},
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
  int drop, unroll, verbose, json, checksum, sync, dry;
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
    c->drop = strcmp(arg, "drop") == 0;
    c->unroll = strcmp(arg, "unroll") == 0;
    if (!c->drop && !c->unroll && strcmp(arg, "keep") != 0)
      return cli_usage_error("clone", "--outer takes keep, drop or unroll");
    break;
  case O_LINK_DEST: c->link_dest = arg; break;
  case O_CHECKSUM: c->checksum = 1; break;
  case O_SYNC: c->sync = 1; break;
  case O_VERBOSE: c->verbose = 1; break;
  case O_JSON: c->json = 1; break;
  case O_DRY: c->dry = 1; break;
  case O_HELP: cli_help_print(&cli_help_clone); return -1;
  }
  return 0;
}

static int on_event(const slink_clone_event *ev, void *p) {
  const ctx *c = p;
  if (ev->plan) {
    if (!c->json)
      cli_print_plan(ev);
    return 0;
  }
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

int cli_clone_refused(const slink_clone_stats *n) {
  slink_clone_stats only = {0};
  only.errors = n->errors;
  return memcmp(&only, n, sizeof only) == 0;
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
  if (c.unroll)
    o.flags |= SLINK_CLONE_OUTER_UNROLL;
  if (c.dry)
    o.flags |= SLINK_CLONE_DRY_RUN;
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
    cli_print_clone_json(&n, err, c.dry, NULL);
  else if (c.verbose || (c.dry && !(err < 0 && cli_clone_refused(&n))))
    cli_print_clone_summary(&n, c.dry);
  cli_args_free(&a);
  return err < 0 ? CLI_FAIL : CLI_OK;
}

#define CLONE_COUNTS(X)                                                        \
  X(dirs) X(files_linked) X(files_copied) X(files_reflinked) X(files_prev)   \
  X(bytes_copied) X(group_links) X(links_rewritten) X(links_inner)           \
  X(links_kept) X(links_dropped) X(unrolled) X(unrolled_again)              \
  X(special_made) X(special_skipped) X(limit_copies) X(errors)

/* The files of the line: everything made but directories. */
static unsigned long long files_of(const slink_clone_stats *n) {
  return n->files_linked + n->files_copied + n->files_reflinked +
         n->files_prev + n->group_links;
}

/* BYTES for a person: "512 B", "3.4 MiB". */
static void human(char *buf, size_t size, uint64_t bytes) {
  static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = (double)bytes;
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

/* After the count: bytes, rate, and the time left where the total is
 * known (move counts SRC first; a clone does not walk twice). */
static void progress_detail(char *buf, size_t size, long long elapsed_ms,
                            void *arg) {
  const cli_clone_progress *p = arg;
  const slink_clone_stats *n = &p->now;
  char done[32], all[32], rate[32];
  human(done, sizeof done, n->bytes_copied);
  double secs = elapsed_ms > 0 ? (double)elapsed_ms / 1000.0 : 0;
  double bps = secs > 0 ? (double)n->bytes_copied / secs : 0;
  human(rate, sizeof rate, (uint64_t)bps);
  int k;
  if (n->bytes_total) {
    human(all, sizeof all, n->bytes_total);
    k = snprintf(buf, size, "%llu of %llu files, %s of %s, %s/s",
                 files_of(n), (unsigned long long)n->files_total, done, all,
                 rate);
    if (k > 0 && (size_t)k < size && bps > 0 &&
        n->bytes_total >= n->bytes_copied) {
      long long left =
          (long long)((double)(n->bytes_total - n->bytes_copied) / bps);
      snprintf(buf + k, size - (size_t)k, ", %lld:%02lld left", left / 60,
               left % 60);
    }
  } else {
    snprintf(buf, size, "%llu files, %s, %s/s", files_of(n), done, rate);
  }
}

int cli_clone_tick(const slink_clone_event *ev, const slink_clone_stats *n,
                   void *arg) {
  cli_clone_progress *p = arg;
  if (!p->line.on)
    return 0;
  unsigned long done = (unsigned long)(n->dirs + files_of(n));
  p->now = *n;
  p->line.detail = progress_detail;
  p->line.detail_ctx = p;
  cli_progress_tick(&p->line, p->verb, done, ev->path);
  return 0;
}

void cli_print_plan(const slink_clone_event *ev) {
  static const char *const what[] = {
    [SLINK_PLAN_DIR] = "make directory",
    [SLINK_PLAN_LINK] = "hard-link",
    [SLINK_PLAN_COPY] = "copy",
    [SLINK_PLAN_REFLINK] = "reflink",
    [SLINK_PLAN_PREV] = "link to the earlier snapshot",
    [SLINK_PLAN_GROUP] = "join to its hard-link group",
    [SLINK_PLAN_LIMIT_COPY] = "copy at the link limit",
    [SLINK_PLAN_REWRITE] = "rewrite",
    [SLINK_PLAN_INNER] = "keep inner link",
    [SLINK_PLAN_KEEP] = "keep outer link",
    [SLINK_PLAN_DROP] = "drop outer link",
    [SLINK_PLAN_UNROLL] = "unroll",
    [SLINK_PLAN_UNROLL_AGAIN] = "link to the copy made before",
    [SLINK_PLAN_FIFO] = "make FIFO",
    [SLINK_PLAN_SKIP] = "leave out",
  };
  char *q = cli_quote(ev->path);
  char *t = ev->target ? cli_quote(ev->target) : NULL;
  const char *path = q ? q : ev->path;
  if (ev->plan == SLINK_PLAN_MOVE_STEP) {
    /* PATH names the step; TARGET is what it concerns. */
    const char *to = t ? t : "";
    if (strcmp(ev->path, "rename") == 0)
      cli_outf("would rename to %s\n", to);
    else if (strcmp(ev->path, "copy") == 0)
      cli_outf("would copy to %s, flush it and read it back:\n", to);
    else if (strcmp(ev->path, "aside") == 0)
      cli_outf("would rename SRC aside to %s\n", to);
    else if (strcmp(ev->path, "remove") == 0)
      cli_outf("would remove the old tree %s\n", to);
    else
      cli_outf("would leave a %s at SRC to %s\n",
               strcmp(ev->path, "junction") == 0 ? "junction"
                                                 : "symbolic link",
               to);
  } else if ((size_t)ev->plan < sizeof what / sizeof *what &&
             what[ev->plan]) {
    if (t)
      cli_outf("would %s %s -> %s\n", what[ev->plan], path, t);
    else
      cli_outf("would %s %s\n", what[ev->plan], path);
  }
  free(q);
  free(t);
}

void cli_print_clone_json(const slink_clone_stats *n, int err, int dry,
                          const char *more) {
  cli_out("{");
#define X(f) cli_outf("\"" #f "\":%llu,", (unsigned long long)n->f);
  CLONE_COUNTS(X)
#undef X
  if (more)
    cli_out(more);
  cli_outf("\"dry_run\":%s,\"ok\":%s}\n", dry ? "true" : "false",
           err < 0 ? "false" : "true");
}

void cli_print_clone_summary(const slink_clone_stats *n, int dry) {
  cli_outf("%s%llu directories, %llu files linked, %llu copied (%llu bytes), "
           "%llu reflinked, %llu linked to the earlier snapshot, "
           "%llu joined to their group; links: %llu rewritten, %llu inner, "
           "%llu kept, %llu dropped, %llu unrolled (%llu linked to a copy "
           "made before); %llu copied at the link limit\n",
           dry ? "would make: " : "",
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
           (unsigned long long)n->unrolled,
           (unsigned long long)n->unrolled_again,
           (unsigned long long)n->limit_copies);
}
