/* cmd-fix.c - slink fix: rewrite or remove the links scan finds wrong.
 * Every change is made through the walk's handle of the link's directory
 * (slink_walk_relink, slink_walk_unlink), so a directory swapped for a
 * link meanwhile cannot send it outside the tree; a rewrite is atomic,
 * keeps the link's kind and is read back; one that would break a working
 * link is refused. A change is reported only once it was made (a dry run
 * checks what the real run would be refused). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-scan.h"
#include "cli/platform.h"

static const char help_head[] =
    "usage: slink fix [-n] [--json] [--relative | --relative-all] [--shorten]\n"
    "                 [--delete-dangling] [--clean-temp] [--retarget OLD=NEW]...\n"
    "                 DIR...\n"
    "\n"
    "Repair the links under each DIR (links are never followed). Each\n"
    "change is printed as 'LINK: OLD -> NEW' and made atomically.\n";

static const char help_tail[] =
    "A rewrite that would turn a working link into a dangling one, or make\n"
    "--relative or --shorten lead somewhere else, is refused.\n"
    "Exit status: 0 done, 1 something refused or failed, 2 usage error.\n";

enum {
  O_DRY = 1, O_JSON, O_RELATIVE, O_SHORTEN, O_DELETE, O_RETARGET, O_HELP,
  O_RELATIVE_ALL, O_CLEAN_TEMP
};
static const cli_opt options[] = {
  {'n', "dry-run", NULL, O_DRY, "show the changes, make none"},
  {0, "json", NULL, O_JSON,
   "one JSON object per change: path, old_target, new_target (null: "
   "removed) and dry_run"},
  {0, "relative", NULL, O_RELATIVE,
   "absolute targets inside DIR and on its filesystem become the shortest "
   "relative path (as symlinks -c does); a link out of the tree is left "
   "alone"},
  {0, "relative-all", NULL, O_RELATIVE_ALL,
   "--relative for every absolute target, also those outside DIR"},
  {0, "shorten", NULL, O_SHORTEN, "remove \"./\", \"//\" and needless \"..\""},
  {0, "delete-dangling", NULL, O_DELETE,
   "remove links whose target does not exist, and links that loop"},
  {0, "clean-temp", NULL, O_CLEAN_TEMP,
   "remove leftover temporary names of a killed slink (.slink-*.tmp) that "
   "are links or files with more than one name; a file with a single name "
   "is never removed"},
  {0, "retarget", "OLD=NEW", O_RETARGET,
   "targets starting with OLD start with NEW instead (after a disk or a "
   "folder moved); may be given more than once"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_fix = {help_head, options, help_tail};

#define MAX_RETARGETS 16

typedef struct ctx {
  int dry, json, relative, relative_all, shorten, delete_dangling, clean_temp;
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
  case O_RELATIVE_ALL: c->relative = c->relative_all = 1; break;
  case O_CLEAN_TEMP: c->clean_temp = 1; break;
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
  char *b = cli_json(e->path, e->path_len);
  char *p = cli_json(in->target, in->target_len);
  char *q = new_target ? cli_json(new_target, strlen(new_target)) : NULL;
  if (b && p && (q || !new_target))
    cli_outf("{\"path\":%s,\"old_target\":%s,\"new_target\":%s,"
             "\"dry_run\":%s}\n", b, p, q ? q : "null",
             c->dry ? "true" : "false");
  free(b);
  free(p);
  free(q);
}

static void failed(ctx *c, const slink_walk_entry *e, int rc) {
  cli_error("fix", e->path, slink_strerror(rc));
  c->failed = 1;
}

/* Replace the link at E with one storing T, then say so; a dry run says
 * so when the real run would be allowed. 0 when done (or would be). */
static int rewrite(ctx *c, const slink_walk_entry *e, const char *t) {
  const slink_info *in = e->info;
  int rc = c->dry ? slink_walk_may_change(e) : slink_walk_relink(e, t);
  if (rc < 0) {
    failed(c, e, rc);
    return rc;
  }
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
  c->rewritten++;
  return 0;
}

/* Remove E (a link, or a leftover temporary name: WHY says which), then
 * say so. */
static void remove_entry(ctx *c, const slink_walk_entry *e, const char *why) {
  const slink_info *in = e->info;
  int rc = c->dry ? slink_walk_may_change(e) : slink_walk_unlink(e);
  if (rc < 0) {
    failed(c, e, rc);
    return;
  }
  if (c->json) {
    print_json(c, e, NULL);
  } else {
    char *qp = cli_quote(e->path);
    char *qt = in && in->target ? slink_quote(in->target, in->target_len)
                                : NULL;
    cli_outf("%s: %s (%s%s%s)\n", qp ? qp : "",
             c->dry ? "would remove" : "removed", why, qt ? ": " : "",
             qt ? qt : "");
    free(qp);
    free(qt);
  }
  c->removed++;
}

/* The canonical root of the walk: E's directory without the components
 * below the root. */
static size_t root_len_of(const slink_walk_entry *e) {
  size_t n = strlen(e->real_dir);
  for (size_t d = e->depth; d > 1 && n > 1; d--) {
    while (n > 1 && e->real_dir[n - 1] != '/')
      n--;
    if (n > 1)
      n--;
  }
  return n;
}

/* TO (absolute, canonical or lexical) lies in the tree whose canonical
 * root is the first N bytes of DIR. */
static int below(const char *to, const char *dir, size_t n) {
  if (n == 1 && dir[0] == '/')
    return to[0] == '/';
  return strncmp(to, dir, n) == 0 && (to[n] == '/' || to[n] == '\0');
}

/* --relative rewrites only what stays inside the tree being fixed, on its
 * filesystem: a link out of it (a systemd mask to /dev/null) would break
 * once the tree moved. T is the absolute target about to be rewritten;
 * it counts as it is written, or as it resolves. */
static int inside_tree(const slink_walk_entry *e, const char *t) {
  size_t n = root_len_of(e);
  char *lex = slink_path_tidy(t);
  const char *to = NULL;
  if (lex && below(lex, e->real_dir, n))
    to = lex;
  else if (!strcmp(t, e->info->target) && e->info->resolved &&
           below(e->info->resolved, e->real_dir, n))
    to = e->info->resolved;
  int same = to != NULL;
  char *mine = NULL, *theirs = NULL;
  if (same && slink_mount_point(e->real_dir, &mine) == 0 &&
      slink_mount_point(to, &theirs) == 0)
    same = strcmp(mine, theirs) == 0;
  free(mine);
  free(theirs);
  free(lex);
  return same;
}

static int on_entry(const slink_walk_entry *e, void *p) {
  ctx *c = p;
  if (e->error) {
    cli_error("fix", e->path, slink_strerror(e->error));
    c->failed = 1;
    return 0;
  }
  const slink_info *in = e->info;
  if (c->clean_temp) {
    const char *base = strrchr(e->path, '/');
    base = base ? base + 1 : e->path;
    if (slink_is_temp_name(base, strlen(base)) &&
        e->kind != SLINK_KIND_DIR) {
      remove_entry(c, e, "leftover temporary name");
      return 0;
    }
  }
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
  if (t && c->relative && !junction && slink_path_is_absolute(t) &&
      (c->relative_all || inside_tree(e, t))) {
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
    remove_entry(c, e, (states & SLINK_STATE_LOOP) ? "loop" : "dangling");
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
  if (!c.relative && !c.shorten && !c.delete_dangling && !c.nretarget &&
      !c.clean_temp) {
    cli_args_free(&a);
    return cli_usage_error("fix", "nothing to do: give --relative, "
                                  "--shorten, --delete-dangling, --clean-temp "
                                  "or --retarget");
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("fix", "missing DIR");
  }
  /* One thread, in order: each directory is listed in full before any of
   * its links is replaced, so a rewrite is never seen twice. */
  cli_progress_start(&c.progress);
  unsigned flags = SLINK_WALK_CLASSIFY | (c.clean_temp ? SLINK_WALK_ALL : 0);
  for (int i = 0; i < a.count; i++) {
    if (!*a.operands[i]) {
      cli_error("fix", a.operands[i], slink_strerror(SLINK_EEMPTYPATH));
      c.failed = 1;
      continue;
    }
    if (slink_walk(a.operands[i], flags, on_entry, &c) < 0)
      c.failed = 1;
  }
  cli_progress_end(&c.progress);
  if (!c.json && cli_os_isatty(1))
    cli_outf("%lu link%s %s, %lu %s\n", c.rewritten,
             c.rewritten == 1 ? "" : "s",
             c.dry ? "to rewrite" : "rewritten", c.removed,
             c.dry ? "to remove" : "removed");
  cli_args_free(&a);
  return c.failed ? CLI_FAIL : CLI_OK;
}
