/* cmd-move.c - slink move: a tree moved, also to another filesystem,
 * with a link left behind, journaled so that a kill loses nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clone.h"

static const char help_head[] =
    "usage: slink move [--leave symlink|junction|none] [--no-verify]\n"
    "                  [--force-open] [-x] [-n] [--json] SRC DEST\n"
    "       slink move --resume DEST | --rollback DEST\n"
    "\n"
    "Move the directory SRC to the new DEST and leave a link at SRC that\n"
    "points to DEST. On one filesystem this is a rename. Across filesystems\n"
    "SRC is copied, every file and directory flushed to disk and read back,\n"
    "then SRC is renamed aside, the link made, and only then the old tree\n"
    "removed. A journal beside DEST records each step: an interrupted move\n"
    "is finished with --resume or undone with --rollback, and a new move to\n"
    "DEST is refused until one of them has run.\n";

static const char help_tail[] =
    "Refused before anything is made: DEST inside SRC or SRC inside DEST,\n"
    "SRC a mount point or holding one (-x moves one that holds mounts),\n"
    "too little free space for SRC, a link at SRC that cannot name DEST\n"
    "(ntfs-3g without a drive letter it can tell), and\n"
    "across filesystems a file of SRC open in another process (Linux).\n"
    "-n prints the steps and the copy's plan, judged as the real run\n"
    "judges them, and changes nothing.\n"
    "Exit status: 0 moved, 1 something failed, 2 usage error.\n";

enum {
  O_LEAVE = 1, O_NO_VERIFY, O_RESUME, O_ROLLBACK, O_JSON, O_HELP, O_DRY,
  O_FORCE_OPEN, O_LEAVE_MOUNTS
};
static const cli_opt options[] = {
  {0, "leave", "WHAT", O_LEAVE,
   "what to leave at SRC: junction (the default on Windows, where it "
   "needs no privilege), symlink (the default elsewhere), or none"},
  {0, "no-verify", NULL, O_NO_VERIFY,
   "across filesystems: do not read the copy back"},
  {0, "force-open", NULL, O_FORCE_OPEN,
   "move SRC even while its files are open in other processes (what they "
   "write after their file was copied is lost)"},
  {'x', "leave-mounts", NULL, O_LEAVE_MOUNTS,
   "move SRC that holds mounts (never SRC itself a mount): on one "
   "filesystem each moves along with its directory; across filesystems "
   "none is copied (an empty directory in DEST in its place) and each "
   "stays mounted in what remains of the old tree, SRC.slink-mounts"},
  {'n', "dry-run", NULL, O_DRY,
   "print the steps and what the copy would do; change nothing"},
  {0, "resume", NULL, O_RESUME, "finish the interrupted move to DEST"},
  {0, "rollback", NULL, O_ROLLBACK, "undo the interrupted move to DEST"},
  {0, "json", NULL, O_JSON, "a summary object of what was copied"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_move = {help_head, options, help_tail};

typedef struct ctx {
  cli_clone_progress progress; /* first: the progress callback's context */
  slink_move_opts o;
  int resume, rollback, json, dry;
  /* -x, for --json: the mounts' members, and what remains ("left") */
  char *mounts, *left;
} ctx;

/* -x: a mount's note (kind SLINK_KIND_DIR) or the name of what remains
 * of the old tree (SLINK_KIND_NONE), each with the place as TARGET. */
static void on_mount(ctx *c, const slink_clone_event *ev) {
  const char *t = ev->target;
  char *jt = cli_json(t, strlen(t));
  if (ev->kind == SLINK_KIND_NONE) {
    free(c->left);
    c->left = jt;
  } else {
    char *jp = cli_json(ev->path, ev->path_len);
    size_t had = c->mounts ? strlen(c->mounts) : 0;
    size_t n = had + (jp ? strlen(jp) : 0) + (jt ? strlen(jt) : 0) + 24;
    char *m = jp && jt ? realloc(c->mounts, n) : NULL;
    if (m) {
      snprintf(m + had, n - had, "%s{\"path\":%s,\"at\":%s}", had ? "," : "",
               jp, jt);
      c->mounts = m;
    }
    free(jp);
    free(jt);
  }
  if (c->json)
    return;
  size_t n = strlen(ev->note) + strlen(t) + 8;
  char *why = malloc(n);
  if (why) {
    snprintf(why, n, "%s: %s", ev->note, t);
    cli_warn("move", ev->path, why);
  }
  free(why);
}

/* The members --json adds for -x, or NULL (caller frees). */
static char *mount_members(const ctx *c) {
  if (!c->mounts && !c->left)
    return NULL;
  const char *m = c->mounts ? c->mounts : "";
  const char *l = c->left ? c->left : "null";
  size_t n = strlen(m) + strlen(l) + 32;
  char *out = malloc(n);
  if (out)
    snprintf(out, n, "\"mounts\":[%s],\"left\":%s,", m, l);
  return out;
}

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_LEAVE:
    if (strcmp(arg, "symlink") == 0)
      c->o.leave = SLINK_LEAVE_SYMLINK;
    else if (strcmp(arg, "junction") == 0)
      c->o.leave = SLINK_LEAVE_JUNCTION;
    else if (strcmp(arg, "none") == 0)
      c->o.leave = SLINK_LEAVE_NONE;
    else
      return cli_usage_error("move", "--leave takes symlink, junction or none");
    break;
  case O_NO_VERIFY: c->o.flags |= SLINK_MOVE_NO_VERIFY; break;
  case O_RESUME: c->resume = 1; break;
  case O_ROLLBACK: c->rollback = 1; break;
  case O_JSON: c->json = 1; break;
  case O_DRY: c->dry = 1; c->o.flags |= SLINK_MOVE_DRY_RUN; break;
  case O_FORCE_OPEN: c->o.flags |= SLINK_MOVE_FORCE_OPEN; break;
  case O_LEAVE_MOUNTS: c->o.flags |= SLINK_MOVE_LEAVE_MOUNTS; break;
  case O_HELP: cli_help_print(&cli_help_move); return -1;
  }
  return 0;
}

static int on_event(const slink_clone_event *ev, void *p) {
  ctx *c = p;
  if (ev->plan) {
    if (!c->json)
      cli_print_plan(ev);
    return 0;
  }
  if (!ev->error && ev->note && ev->target) {
    on_mount(c, ev);
    return 0;
  }
  const char *why = slink_strerror(ev->error);
  if (ev->error && ev->note)
    why = ev->note;
  else if (ev->error == SLINK_EBUSY)
    why = c->resume || c->rollback
              ? "the old tree's removal has begun: only --resume can finish"
              : "a half-done move to here is recorded: run slink move "
                "--resume or --rollback on it first";
  else if (ev->error == SLINK_ENODRIVE)
    why = "the link to leave here cannot name DEST: the drive letter of "
          "this NTFS volume is not known: make .NTFS-3G/X: at the volume "
          "root point to its mount point, or use --leave none";
  else if (ev->error == SLINK_EXDEV)
    why = "the link to leave here cannot name DEST: Windows does not reach "
          "it from this NTFS volume; use --leave none";
  else if (ev->error == SLINK_EINVAL && !c->resume && !c->rollback)
    why = "one of SRC and DEST is inside the other, or a name is . or ..";
  else if (ev->error == SLINK_ENOENT && (c->resume || c->rollback))
    why = "no interrupted move to here is recorded";
  if (ev->error)
    cli_error("move", ev->path, why);
  else if (ev->note)
    cli_warn("move", ev->path, ev->note);
  return 0;
}

int cmd_move(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
#ifdef _WIN32
  c.o.leave = SLINK_LEAVE_JUNCTION; /* a symbolic link needs a privilege */
#endif
  cli_args a;
  int rc = cli_parse("move", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  const char *problem = NULL;
  if (c.resume && c.rollback)
    problem = "--resume and --rollback exclude each other";
  else if ((c.resume || c.rollback) && a.count != 1)
    problem = "--resume and --rollback take DEST alone";
  else if (!c.resume && !c.rollback && a.count != 2)
    problem = "expected SRC and DEST";
  else if (c.dry && (c.resume || c.rollback))
    problem = "-n plans a new move, not --resume or --rollback";
  if (problem) {
    cli_args_free(&a);
    return cli_usage_error("move", problem);
  }
  c.o.cb = on_event;
  c.o.ctx = &c;
  c.o.progress = cli_clone_tick;
  cli_progress_start(&c.progress.line);
  c.progress.line.noun = "entries";
  c.progress.verb = "move";
  slink_clone_stats n;
  memset(&n, 0, sizeof n);
  int err;
  if (c.resume)
    err = slink_move_resume(a.operands[0], &c.o);
  else if (c.rollback)
    err = slink_move_rollback(a.operands[0], &c.o);
  else
    err = slink_move(a.operands[0], a.operands[1], &c.o, &n);
  cli_progress_end(&c.progress.line);
  if (c.json) {
    char *more = mount_members(&c);
    cli_print_clone_json(&n, err, c.dry, more);
    free(more);
  } else if (c.dry && !(err < 0 && cli_clone_refused(&n))) {
    cli_print_clone_summary(&n, 1);
  }
  free(c.mounts);
  free(c.left);
  cli_args_free(&a);
  return err < 0 ? CLI_FAIL : CLI_OK;
}
