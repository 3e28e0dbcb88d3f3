/* cmd-ls.c - slink ls: a listing in the shape of cmd's "dir", where a link
 * is never mistaken for a folder: <JUNCTION>, <SYMLINKD>, <SYMLINK>. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/color.h"

static const char help_head[] =
    "usage: slink ls [-a] [-R] [--json | -0] [DIR...]\n"
    "\n"
    "List each DIR (default: the current directory) as cmd's \"dir\" does:\n"
    "date, time, <DIR>, <JUNCTION>, <SYMLINKD> (link to a directory),\n"
    "<SYMLINK> (link to a file, or dangling), <REPARSE>, or the size; the\n"
    "name; a link's [target]; and the number of names of a hard-linked file.\n";

static const char help_tail[] =
    "Exit status: 0 listed, 1 something could not be read, 2 usage error.\n";

enum { O_ALL = 1, O_RECURSIVE, O_JSON, O_NULL, O_HELP };
static const cli_opt options[] = {
  {'a', "all", NULL, O_ALL, "also list names starting with \".\""},
  {'R', "recursive", NULL, O_RECURSIVE,
   "list subdirectories too (links are never entered)"},
  {0, "json", NULL, O_JSON, "one JSON object per entry, with its path"},
  {'0', "null", NULL, O_NULL,
   "only the paths, each ended by a NUL (for xargs -0)"},
  {0, "color", "[=WHEN]", CLI_O_COLOR,
   "colour names by kind as ls does, following LS_COLORS: auto (on a "
   "terminal, the default), always or never"},
  {'q', "quiet", NULL, CLI_O_QUIET,
   "print nothing: the exit status says whether everything could be read"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_ls = {help_head, options, help_tail};

typedef struct ctx {
  int all, recursive, json, null;
  int status;
} ctx;

typedef struct totals {
  uint64_t files, dirs, links, bytes;
} totals;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  (void)arg;
  switch (id) {
  case O_ALL: c->all = 1; break;
  case O_RECURSIVE: c->recursive = 1; break;
  case O_JSON: c->json = 1; break;
  case O_NULL: c->null = 1; break;
  case O_HELP: cli_help_print(&cli_help_ls); return -1;
  }
  return 0;
}

static const char *tag_of(const slink_info *in) {
  switch (in->kind) {
  case SLINK_KIND_DIR: return "<DIR>";
  case SLINK_KIND_JUNCTION: return "<JUNCTION>";
  case SLINK_KIND_DIR_SYMLINK: return "<SYMLINKD>";
  case SLINK_KIND_SYMLINK:
  case SLINK_KIND_WSL_SYMLINK:
  case SLINK_KIND_APP_LINK: return "<SYMLINK>";
  case SLINK_KIND_REPARSE: return "<REPARSE>";
  case SLINK_KIND_FIFO: return "<FIFO>";
  case SLINK_KIND_SOCKET: return "<SOCKET>";
  case SLINK_KIND_DEVICE: return "<DEVICE>";
  default: return NULL;
  }
}

/* 1234567 -> "1,234,567", as dir writes sizes. */
static void grouped(uint64_t v, char *out) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
  int w = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      out[w++] = ',';
    out[w++] = digits[i];
  }
  out[w] = '\0';
}

static void entry_text(const char *name, const slink_info *in, totals *t) {
  char when[32] = "";
  time_t mt = (time_t)in->mtime;
  struct tm *tm = localtime(&mt);
  if (tm)
    strftime(when, sizeof when, "%Y-%m-%d  %H:%M", tm);
  const char *tag = tag_of(in);
  char col[40];
  if (tag) {
    snprintf(col, sizeof col, "%-14s", tag);
  } else {
    char g[40];
    grouped(in->size, g);
    snprintf(col, sizeof col, "%14s", g);
  }
  char *q = cli_quote(name);
  const char *on = cli_color_name(name, in->kind, in);
  cli_outf("%s    %s %s%s%s", when, col, on, q, cli_color_end(on));
  free(q);
  if (slink_kind_is_link(in->kind)) {
    /* A reparse point of an unknown tag has no target to show. */
    if (in->target && in->target_len > 0) {
      q = slink_quote(in->target, in->target_len);
      /* The target in the colour of what it leads to, as ls -l does. */
      on = cli_color_name(in->target, in->resolved ? in->target_kind
                                                   : SLINK_KIND_NONE, NULL);
      cli_outf(" [%s%s%s]", on, q, cli_color_end(on));
      free(q);
    }
    t->links++;
  } else if (in->kind == SLINK_KIND_DIR) {
    t->dirs++;
  } else {
    t->files++;
    t->bytes += in->size;
  }
  if (in->kind != SLINK_KIND_DIR && in->nlink > 1)
    cli_outf(" (%" PRIu64 " links)", in->nlink);
  cli_out("\n");
}

static char *child_path(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  if (strcmp(dir, ".") == 0)
    return strdup(name);
  char *path = malloc(dl + strlen(name) + 2);
  if (path)
    sprintf(path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return path;
}

static int text_mode(const ctx *c) { return !c->json && !c->null; }

static void group_open(const ctx *c, const char *dir, totals *t) {
  memset(t, 0, sizeof *t);
  if (text_mode(c)) {
    char *q = cli_quote(dir);
    cli_outf(" Directory of %s\n\n", q);
    free(q);
  }
}

static void group_close(const ctx *c, const totals *t) {
  if (!text_mode(c))
    return;
  char g[40];
  grouped(t->bytes, g);
  cli_outf("%16" PRIu64 " File(s) %14s bytes\n", t->files, g);
  cli_outf("%16" PRIu64 " Dir(s)\n", t->dirs);
  cli_outf("%16" PRIu64 " Link(s)\n", t->links);
}

/* One entry PATH (NAME in its directory); its kind in *KIND. */
static void entry_row(ctx *c, const char *path, const char *name, totals *t,
                      slink_kind *kind) {
  slink_info in;
  int rc = slink_read(path, SLINK_READ_RESOLVE, &in);
  if (kind)
    *kind = rc == 0 ? in.kind : SLINK_KIND_NONE;
  if (rc < 0) {
    cli_error("ls", path, slink_strerror(rc));
    c->status = CLI_FAIL;
    return;
  }
  if (c->json) {
    char *j = slink_info_json(path, &in);
    if (j)
      cli_outf("%s\n", j);
    free(j);
  } else if (c->null) {
    cli_write(path, strlen(path) + 1);
  } else {
    entry_text(name, &in, t);
  }
  slink_info_free(&in);
}

static void list_dir(ctx *c, const char *dir) {
  char **names;
  size_t count;
  int rc = slink_list_dir(dir, &names, &count);
  if (rc < 0) {
    cli_error("ls", dir, slink_strerror(rc));
    c->status = CLI_FAIL;
    return;
  }
  totals t;
  group_open(c, dir, &t);
  for (size_t i = 0; i < count; i++) {
    if (!c->all && names[i][0] == '.')
      continue;
    char *path = child_path(dir, names[i]);
    if (!path)
      break;
    entry_row(c, path, names[i], &t, NULL);
    free(path);
  }
  group_close(c, &t);
  slink_names_free(names, count);
}

/* ---- -R on the tree walker ----
 * slink_walk hands a directory's entries sorted, then each subdirectory's
 * in turn: the groups of a recursive listing, in its order. A directory
 * without entries has no group of its own, so the directories still to
 * come are kept (a stack of their lists, as a recursion would keep them)
 * and an empty one is shown when its turn is passed. */

typedef struct dirlist {
  char **v;
  size_t n, next;
} dirlist;

typedef struct rls {
  ctx *c;
  const char *operand;  /* as given: the first group's heading */
  char *cur;            /* the directory whose group is open, or NULL */
  totals t;
  dirlist subs;         /* CUR's subdirectories, as they are listed */
  dirlist *stack;       /* the directories still to come, per level */
  size_t depth, cap;
} rls;

static int push_list(rls *r, dirlist *l) {
  if (r->depth == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    dirlist *s = realloc(r->stack, cap * sizeof *s);
    if (!s)
      return -1;
    r->stack = s;
    r->cap = cap;
  }
  r->stack[r->depth++] = *l;
  memset(l, 0, sizeof *l);
  return 0;
}

static void free_list(dirlist *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* The next directory whose group is due (malloc'd), or NULL. */
static char *next_dir(rls *r) {
  while (r->depth > 0) {
    dirlist *l = &r->stack[r->depth - 1];
    if (l->next < l->n) {
      char *d = l->v[l->next];
      l->v[l->next++] = NULL;
      return d;
    }
    free_list(l);
    r->depth--;
  }
  return NULL;
}

static void close_group(rls *r) {
  if (!r->cur)
    return;
  group_close(r->c, &r->t);
  free(r->cur);
  r->cur = NULL;
  push_list(r, &r->subs);
}

static void open_group(rls *r, char *dir) {
  group_open(r->c, dir, &r->t);
  r->cur = dir;
}

/* Groups up to (and opening) the one of DIR; the empty ones on the way
 * are shown empty. */
static void reach(rls *r, const char *dir) {
  while (!r->cur || strcmp(r->cur, dir) != 0) {
    close_group(r);
    char *d = next_dir(r);
    if (!d)
      return;
    open_group(r, d);
  }
}

static int hidden_below(const rls *r, const slink_walk_entry *e) {
  /* "." shows names bare; any other operand starts every path. */
  size_t skip = strcmp(r->operand, ".") == 0 || strcmp(r->operand, "./") == 0
                    ? 0
                    : strlen(r->operand);
  for (const char *p = e->path + skip; *p; p++)
    if ((p == e->path || p[-1] == '/') && *p == '.')
      return 1;
  return 0;
}

static int on_tree_entry(const slink_walk_entry *e, void *ctx_) {
  rls *r = ctx_;
  if (e->error) {
    cli_error("ls", e->path, slink_strerror(e->error));
    r->c->status = CLI_FAIL;
    return 0;
  }
  if (e->depth == 0 || (!r->c->all && hidden_below(r, e)))
    return 0;
  const char *slash = strrchr(e->path, '/');
  const char *name = slash ? slash + 1 : e->path;
  /* The directory holding it: the operand, or a directory listed before. */
  char *dir = NULL;
  if (e->depth > 1 && slash) {
    size_t n = (size_t)(slash - e->path);
    if (!(dir = malloc(n + 1)))
      return 1;
    memcpy(dir, e->path, n);
    dir[n] = '\0';
  }
  reach(r, dir ? dir : r->operand);
  free(dir);
  entry_row(r->c, e->path, name, &r->t, NULL);
  if (e->kind == SLINK_KIND_DIR) {
    char **v = realloc(r->subs.v, (r->subs.n + 1) * sizeof *v);
    if (!v || !(v[r->subs.n] = strdup(e->path)))
      return 1;
    r->subs.v = v;
    r->subs.n++;
  }
  return 0;
}

/* ls -R of the directory OPERAND. */
static void list_tree(ctx *c, const char *operand) {
  rls r;
  memset(&r, 0, sizeof r);
  r.c = c;
  r.operand = operand;
  dirlist top = {0};
  top.v = malloc(sizeof *top.v);
  if (!top.v || !(top.v[0] = strdup(operand))) {
    free(top.v);
    return;
  }
  top.n = 1;
  push_list(&r, &top);
  /* "DIR/" follows a link given as the operand, as ls does. */
  char *root = child_path(operand, "");
  if (strcmp(operand, ".") == 0) {
    free(root);
    root = strdup(".");
  }
  if (root && slink_walk(root, SLINK_WALK_ALL, on_tree_entry, &r) < 0)
    c->status = CLI_FAIL;
  free(root);
  reach(&r, "\x01"); /* the rest, shown empty */
  close_group(&r);
  free_list(&r.subs);
  while (r.depth > 0)
    free_list(&r.stack[--r.depth]);
  free(r.stack);
}

int cmd_ls(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("ls", argc, argv, options, on_opt, &c, &a);
  if (rc == 0 && c.json && c.null)
    rc = cli_usage_error("ls", "--json and --null exclude each other");
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  static char dot[] = ".";
  char *here[] = {dot};
  char **ops = a.count ? a.operands : here;
  int n = a.count ? a.count : 1;
  int listed = 0;
  for (int i = 0; i < n; i++) {
    slink_info in;
    rc = slink_read(ops[i], SLINK_READ_RESOLVE, &in);
    if (rc < 0) {
      cli_error("ls", ops[i], slink_strerror(rc));
      c.status = CLI_FAIL;
      continue;
    }
    int is_dir = in.kind == SLINK_KIND_DIR ||
                 (slink_kind_is_link(in.kind) && in.target_kind == SLINK_KIND_DIR);
    if (!c.json && !c.null && listed++)
      cli_out("\n");
    if (is_dir && c.recursive) {
      list_tree(&c, ops[i]);
    } else if (is_dir) {
      list_dir(&c, ops[i]);
    } else if (c.json) {
      char *j = slink_info_json(ops[i], &in);
      if (j)
        cli_outf("%s\n", j);
      free(j);
    } else if (c.null) {
      cli_write(ops[i], strlen(ops[i]) + 1);
    } else {
      totals t = {0, 0, 0, 0};
      entry_text(ops[i], &in, &t);
    }
    slink_info_free(&in);
  }
  cli_args_free(&a);
  return c.status;
}
