/* cmd-fix.c - slink fix: rewrite or remove the links scan finds wrong.
 * Every rewrite goes through slink_make(..., SLINK_MAKE_FORCE), so it is
 * atomic (a new link under a temporary name, renamed over the old one),
 * keeps the link's kind and is read back; a rewrite that would break a
 * working link is refused. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-scan.h"
#include "cli/platform.h"

static const char help_head[] =
    "usage: slink fix [-n] [--json] [--relative] [--shorten] [--delete-dangling]\n"
    "                 [--retarget OLD=NEW]... DIR...\n"
    "\n"
    "Repair the links under each DIR (links are never followed). Each\n"
    "change is printed as 'LINK: OLD -> NEW' and made atomically.\n";

static const char help_tail[] =
    "A rewrite that would turn a working link into a dangling one, or make\n"
    "--relative or --shorten lead somewhere else, is refused.\n"
    "Exit status: 0 done, 1 something refused or failed, 2 usage error.\n";

enum {
  O_DRY = 1, O_JSON, O_RELATIVE, O_SHORTEN, O_DELETE, O_RETARGET, O_HELP
};
static const cli_opt options[] = {
  {'n', "dry-run", NULL, O_DRY, "show the changes, make none"},
  {0, "json", NULL, O_JSON,
   "one JSON object per change: path, old_target, new_target (null: "
   "removed) and dry_run"},
  {0, "relative", NULL, O_RELATIVE,
   "absolute targets become the shortest relative path (as symlinks -c "
   "does)"},
  {0, "shorten", NULL, O_SHORTEN, "remove \"./\", \"//\" and needless \"..\""},
  {0, "delete-dangling", NULL, O_DELETE,
   "remove links whose target does not exist, and links that loop"},
  {0, "retarget", "OLD=NEW", O_RETARGET,
   "targets starting with OLD start with NEW instead (after a disk or a "
   "folder moved); may be given more than once"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_fix = {help_head, options, help_tail};

#define MAX_RETARGETS 16

typedef struct ctx {
  int dry, json, relative, shorten, delete_dangling;
  const char *old_prefix[MAX_RETARGETS];
  size_t old_len[MAX_RETARGETS];
  const char *new_prefix[MAX_RETARGETS];
  int nretarget;
  int failed;
  unsigned long rewritten, removed;
  unsigned long seen;   /* links looked at, for the progress line */
  cli_progress progress;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_DRY: c->dry = 1; break;
  case O_JSON: c->json = 1; break;
  case O_RELATIVE: c->relative = 1; break;
  case O_SHORTEN: c->shorten = 1; break;
  case O_DELETE: c->delete_dangling = 1; break;
  case O_RETARGET: {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
      return cli_usage_error("fix", "--retarget takes OLD=NEW");
    if (c->nretarget == MAX_RETARGETS)
      return cli_usage_error("fix", "too many --retarget");
    c->old_prefix[c->nretarget] = arg;
    c->old_len[c->nretarget] = (size_t)(eq - arg);
    c->new_prefix[c->nretarget] = eq + 1;
    c->nretarget++;
    break;
  }
  case O_HELP: cli_help_print(&cli_help_fix); return -1;
  }
  return 0;
}

/* TARGET with OLD replaced by NEW when OLD is a whole-component prefix. */
static char *retarget(const ctx *c, const char *t) {
  for (int i = 0; i < c->nretarget; i++) {
    size_t n = c->old_len[i];
    const char *old = c->old_prefix[i];
    if (strncmp(t, old, n) != 0)
      continue;
    if (t[n] != '\0' && !slink_path_is_sep(t[n]) && !slink_path_is_sep(old[n - 1]))
      continue;
    size_t nl = strlen(c->new_prefix[i]), rl = strlen(t + n);
    char *r = malloc(nl + rl + 1);
    if (r) {
      memcpy(r, c->new_prefix[i], nl);
      memcpy(r + nl, t + n, rl + 1);
    }
    return r;
  }
  return NULL;
}

static void refuse(ctx *c, const char *path, const char *why,
                   const char *target) {
  char *q = cli_quote(target);
  char *msg = malloc(strlen(why) + strlen(q ? q : "") + 40);
  if (msg) {
    strcpy(msg, "refused: ");
    strcat(msg, q ? q : "");
    strcat(msg, why);
    cli_error("fix", path, msg);
  }
  free(msg);
  free(q);
  c->failed = 1;
}

/* One change as a line of JSON: NEW is NULL for a removal. */
static void print_json(const ctx *c, const slink_walk_entry *e,
                       const char *new_target) {
  const slink_info *in = e->info;
  char *b = NULL;
  size_t len = 0, cap = 0;
  int rc = slink_json_string(&b, &len, &cap, e->path, e->path_len);
  char *p = NULL;
  size_t plen = 0, pcap = 0;
  rc |= slink_json_string(&p, &plen, &pcap, in->target, in->target_len);
  char *q = NULL;
  size_t qlen = 0, qcap = 0;
  if (new_target)
    rc |= slink_json_string(&q, &qlen, &qcap, new_target, strlen(new_target));
  if (rc == 0)
    cli_outf("{\"path\":%s,\"old_target\":%s,\"new_target\":%s,"
             "\"dry_run\":%s}\n", b, p, q ? q : "null",
             c->dry ? "true" : "false");
  free(b);
  free(p);
  free(q);
}

/* Replace the link at E with one storing T; 0 when done (or shown). */
static int rewrite(ctx *c, const slink_walk_entry *e, const char *t) {
  const slink_info *in = e->info;
  if (c->json) {
    print_json(c, e, t);
  } else {
    char *qp = cli_quote(e->path);
    char *qo = slink_quote(in->target, in->target_len);
    char *qn = cli_quote(t);
    cli_outf("%s: %s -> %s\n", qp ? qp : "", qo ? qo : "", qn ? qn : "");
    free(qp);
    free(qo);
    free(qn);
  }
  if (c->dry) {
    c->rewritten++;
    return 0;
  }
  slink_make_opts o = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
  if (in->kind == SLINK_KIND_JUNCTION)
    o.type = SLINK_MAKE_JUNCTION;
  slink_made made;
  int rc = slink_make(e->path, t, &o, &made);
  if (rc < 0) {
    cli_error("fix", e->path, slink_strerror(rc));
    c->failed = 1;
    return rc;
  }
  slink_made_free(&made);
  c->rewritten++;
  return 0;
}

static void remove_dangling(ctx *c, const slink_walk_entry *e) {
  const slink_info *in = e->info;
  if (c->json) {
    print_json(c, e, NULL);
  } else {
    char *qp = cli_quote(e->path);
    char *qt = slink_quote(in->target, in->target_len);
    cli_outf("%s: removed (%s: %s)\n", qp ? qp : "",
             (in->states & SLINK_STATE_LOOP) ? "loop" : "dangling",
             qt ? qt : "");
    free(qp);
    free(qt);
  }
  if (c->dry) {
    c->removed++;
    return;
  }
  slink_removed r;
  int rc = slink_remove(e->path, 0, &r);
  if (rc < 0) {
    cli_error("fix", e->path, slink_strerror(rc));
    c->failed = 1;
    return;
  }
  c->removed++;
}

static int on_entry(const slink_walk_entry *e, void *p) {
  ctx *c = p;
  if (e->error) {
    cli_error("fix", e->path, slink_strerror(e->error));
    c->failed = 1;
    return 0;
  }
  const slink_info *in = e->info;
  if (!in)
    return 0;
  cli_progress_tick(&c->progress, "fix", ++c->seen, e->path);
  if (!in->target || memchr(in->target, '\0', in->target_len))
    return 0;
  int junction = in->kind == SLINK_KIND_JUNCTION;
  char *t = strdup(in->target);
  int moved = 0;
  if (t && c->nretarget) {
    char *r = retarget(c, t);
    if (r) {
      free(t);
      t = r;
      moved = 1;
    }
  }
  if (t && c->relative && !junction && slink_path_is_absolute(t)) {
    char *r = slink_target_shorten(e->real_dir, t, 1);
    free(t);
    t = r;
  }
  if (t && c->shorten && !junction &&
      (moved || (in->states & (SLINK_STATE_MESSY | SLINK_STATE_LENGTHY)))) {
    char *r = slink_target_shorten(e->real_dir, t, 0);
    free(t);
    t = r;
  }
  if (!t) {
    cli_error("fix", e->path, slink_strerror(SLINK_ENOMEM));
    c->failed = 1;
    return 0;
  }
  unsigned states = in->states;
  if (strcmp(t, in->target) != 0) {
    slink_info next;
    memset(&next, 0, sizeof next);
    next.kind = in->kind;
    int rc = slink_classify(e->real_dir, t, strlen(t), NULL, &next);
    if (rc < 0) {
      cli_error("fix", e->path, slink_strerror(rc));
      c->failed = 1;
    } else if ((in->states & SLINK_STATE_OK) &&
               !(next.states & SLINK_STATE_OK)) {
      refuse(c, e->path, " would leave the link dangling", t);
    } else if (!moved && (in->states & SLINK_STATE_OK) &&
               (!in->resolved || !next.resolved ||
                strcmp(in->resolved, next.resolved) != 0)) {
      refuse(c, e->path, " would lead somewhere else", t);
    } else if (rewrite(c, e, t) == 0) {
      states = next.states;
    }
    slink_info_free(&next);
  }
  free(t);
  if (c->delete_dangling &&
      (states & (SLINK_STATE_DANGLING | SLINK_STATE_LOOP)))
    remove_dangling(c, e);
  return 0;
}

int cmd_fix(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("fix", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (!c.relative && !c.shorten && !c.delete_dangling && !c.nretarget) {
    cli_args_free(&a);
    return cli_usage_error("fix", "nothing to do: give --relative, "
                                  "--shorten, --delete-dangling or --retarget");
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("fix", "missing DIR");
  }
  /* One thread, in order: each directory is listed in full before any of
   * its links is replaced, so a rewrite is never seen twice. */
  cli_progress_start(&c.progress);
  for (int i = 0; i < a.count; i++)
    if (slink_walk(a.operands[i], SLINK_WALK_CLASSIFY, on_entry, &c) < 0)
      c.failed = 1;
  cli_progress_end(&c.progress);
  if (!c.json && cli_os_isatty(1))
    cli_outf("%lu link%s %s, %lu %s\n", c.rewritten,
             c.rewritten == 1 ? "" : "s",
             c.dry ? "to rewrite" : "rewritten", c.removed,
             c.dry ? "to remove" : "removed");
  cli_args_free(&a);
  return c.failed ? CLI_FAIL : CLI_OK;
}
