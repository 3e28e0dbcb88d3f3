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

static void list_dir(ctx *c, const char *dir);

static char *child_path(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  if (strcmp(dir, ".") == 0)
    return strdup(name);
  char *path = malloc(dl + strlen(name) + 2);
  if (path)
    sprintf(path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return path;
}

static void list_children(ctx *c, const char *dir, char **names,
                          size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (!c->all && names[i][0] == '.')
      continue;
    char *path = child_path(dir, names[i]);
    if (!path)
      continue;
    slink_info in;
    if (slink_read(path, 0, &in) == 0) {
      if (in.kind == SLINK_KIND_DIR)
        list_dir(c, path);
      slink_info_free(&in);
    }
    free(path);
  }
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
  totals t = {0, 0, 0, 0};
  int text = !c->json && !c->null;
  if (text) {
    char *q = cli_quote(dir);
    cli_outf(" Directory of %s\n\n", q);
    free(q);
  }
  for (size_t i = 0; i < count; i++) {
    if (!c->all && names[i][0] == '.')
      continue;
    char *path = child_path(dir, names[i]);
    if (!path)
      break;
    slink_info in;
    rc = slink_read(path, SLINK_READ_RESOLVE, &in);
    if (rc < 0) {
      cli_error("ls", path, slink_strerror(rc));
      c->status = CLI_FAIL;
    } else if (c->json) {
      char *j = slink_info_json(path, &in);
      if (j)
        cli_outf("%s\n", j);
      free(j);
    } else if (c->null) {
      cli_write(path, strlen(path) + 1);
    } else {
      entry_text(names[i], &in, &t);
    }
    if (rc == 0)
      slink_info_free(&in);
    free(path);
  }
  if (text) {
    char g[40];
    grouped(t.bytes, g);
    cli_outf("%16" PRIu64 " File(s) %14s bytes\n", t.files, g);
    cli_outf("%16" PRIu64 " Dir(s)\n", t.dirs);
    cli_outf("%16" PRIu64 " Link(s)\n", t.links);
  }
  if (c->recursive)
    list_children(c, dir, names, count);
  slink_names_free(names, count);
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
    if (is_dir) {
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
