/* cmd-convert.c - slink convert: the links other systems fake (Git
 * placeholders, Cygwin files and shortcuts, WSL links) made real, and
 * back. The library recognises and converts; this file reads options,
 * walks -R trees and prints one line or JSON object per link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help_head[] =
    "usage: slink convert [--to KIND] [-n] [-R] [--allow-escapes] [--json]\n"
    "                     PATH...\n"
    "\n"
    "Replace each link PATH that another system faked by a real link with\n"
    "the same target, or a real link by a faked one: Git placeholders\n"
    "(core.symlinks=false; recognised only when Git's index says 120000 and\n"
    "the bytes are its blob), Cygwin's \"!<symlink>\" and Interix files,\n"
    "shortcuts (Cygwin's; Windows' where the path they name maps), WSL\n"
    "symlinks. The new link is made beside the old, read back, and renamed\n"
    "over it; nothing not recognised exactly is touched. In a Git work tree\n"
    "the index is refreshed, so git status stays clean.\n";

static const char help_tail[] =
    "Exit status: 0 all converted, 1 something was not, 2 usage error.\n";

enum { O_TO = 1, O_DRY, O_REC, O_ESC, O_JSON, O_HELP };
static const cli_opt options[] = {
  {0, "to", "KIND", O_TO,
   "what to make: native (the default: this system's symbolic link), "
   "symlink, junction, wsl, cygwin (the winsymlinks:sys file, which every "
   "Cygwin reads), shortcut (Cygwin's read-only winsymlinks:lnk shortcut, "
   "for PATHs ending in .lnk; -R passes over the others), interix (the "
   "IntxLNK file Interix and ntfs-3g write), placeholder (what Git checks "
   "out without symlink support)"},
  {'n', "dry-run", NULL, O_DRY,
   "say what would be converted, change nothing"},
  {'R', "recursive", NULL, O_REC, "every recognised link in the trees PATH"},
  {'r', NULL, NULL, O_REC, NULL},
  {0, "allow-escapes", NULL, O_ESC,
   "also targets that leave the Git work tree"},
  {0, "json", NULL, O_JSON,
   "one JSON object per link: path, from, to, target, changed, dry_run"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_convert = {help_head, options, help_tail};

static const struct {
  const char *name;
  slink_convert_to to;
} tos[] = {
  {"native", SLINK_TO_NATIVE},       {"symlink", SLINK_TO_SYMLINK},
  {"junction", SLINK_TO_JUNCTION},   {"wsl", SLINK_TO_WSL},
  {"cygwin", SLINK_TO_CYGWIN},       {"placeholder", SLINK_TO_PLACEHOLDER},
  {"shortcut", SLINK_TO_SHORTCUT},   {"interix", SLINK_TO_INTERIX},
};

typedef struct ctx {
  slink_convert_to to;
  unsigned flags;
  int recursive, json, bad_to;
  int status;
  unsigned long converted;
  slink_fakes *run;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_TO:
    c->bad_to = 1;
    for (size_t i = 0; i < sizeof tos / sizeof tos[0]; i++)
      if (strcmp(arg, tos[i].name) == 0) {
        c->to = tos[i].to;
        c->bad_to = 0;
      }
    if (c->bad_to)
      return cli_usage_error("convert", "--to takes native, symlink, "
                                        "junction, wsl, cygwin, shortcut, "
                                        "interix or placeholder");
    break;
  case O_DRY: c->flags |= SLINK_CONVERT_DRY_RUN; break;
  case O_REC: c->recursive = 1; break;
  case O_ESC: c->flags |= SLINK_CONVERT_ALLOW_ESCAPES; break;
  case O_JSON: c->json = 1; break;
  case O_HELP: cli_help_print(&cli_help_convert); return -1;
  }
  return 0;
}

/* The name a converted entry is given in output: its form when it is
 * faked, its kind when it is a real link. */
static const char *what(slink_kind kind, slink_fake_form form) {
  if (form == SLINK_FORM_NONE || form == SLINK_FORM_SYMLINK ||
      form == SLINK_FORM_WSL)
    return slink_kind_name(kind);
  return slink_fake_form_name(form);
}

static void say(ctx *c, const char *path, const slink_converted *cv) {
  int unchanged = cv->to_form == cv->from_form &&
                  cv->to_kind == cv->from_kind;
  int dry = (c->flags & SLINK_CONVERT_DRY_RUN) && !unchanged;
  const char *from = what(cv->from_kind, cv->from_form);
  const char *to = what(cv->to_kind, cv->to_form);
  if (c->json) {
    char *b = cli_json(path, strlen(path));
    char *t = cli_json(cv->target, cv->target_len);
    if (b && t)
      cli_outf("{\"path\":%s,\"from\":\"%s\",\"to\":\"%s\",\"target\":%s,"
               "\"changed\":%s,\"dry_run\":%s}\n",
               b, from, to, t, unchanged ? "false" : "true",
               dry ? "true" : "false");
    free(b);
    free(t);
    return;
  }
  char *q = cli_quote(path);
  char *tq = slink_quote(cv->target, cv->target_len);
  if (unchanged)
    cli_outf("%s is a %s already -> %s\n", q, to, tq ? tq : "");
  else
    cli_outf("%s %s: %s to %s -> %s\n", dry ? "would convert" : "converted",
             q, from, to, tq ? tq : "");
  free(q);
  free(tq);
}

/* The reason RC, with what a shortcut to no file points at (OBJECT). */
static const char *reason(int rc, const char *object, char *buf, size_t n) {
  if (rc != SLINK_ENOTPATH || !object)
    return slink_strerror(rc);
  snprintf(buf, n, "is a shortcut to %s, not to a file; not a link", object);
  return buf;
}

/* Convert PATH; QUIET_NOT: a tree's entry that is no link of any form,
 * or is one of the kind asked for already, or (--to shortcut) has a name
 * no shortcut can have, is passed over without a word. */
static void one(ctx *c, const char *path, int quiet_not) {
  slink_converted cv;
  int rc = slink_convert(c->run, path, c->to, c->flags, &cv);
  if (rc == 0 && quiet_not && cv.to_form == cv.from_form &&
      cv.to_kind == cv.from_kind) {
    /* a tree's link that is already what was asked for */
  } else if (rc == 0) {
    say(c, path, &cv);
    c->converted++;
  } else if (!(quiet_not &&
               (rc == SLINK_ENOTFAKE || rc == SLINK_ELNKNAME))) {
    slink_fake f;
    char buf[160];
    int known = rc == SLINK_ENOTPATH && slink_fake_read(NULL, path, &f) == 0;
    cli_error("convert", path, reason(rc, known ? f.object : NULL, buf,
                                      sizeof buf));
    if (known)
      slink_fake_free(&f);
    c->status = CLI_FAIL;
  }
  slink_converted_free(&cv);
}

typedef struct list {
  char **paths;
  size_t n, cap;
} list;

/* Every entry of a tree that may be a link of some form: files (not
 * inside .git) and links. The walk ends before anything changes. */
static int collect(const slink_walk_entry *e, void *p) {
  list *l = p;
  if (e->error || e->depth == 0)
    return 0;
  if (e->kind != SLINK_KIND_FILE && !slink_kind_is_link(e->kind) &&
      e->kind != SLINK_KIND_NONE)
    return 0;
  if (strncmp(e->path, ".git/", 5) == 0 || strstr(e->path, "/.git/"))
    return 0;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    char **np = realloc(l->paths, cap * sizeof *np);
    if (!np)
      return SLINK_ENOMEM;
    l->paths = np;
    l->cap = cap;
  }
  char *d = malloc(e->path_len + 1);
  if (!d)
    return SLINK_ENOMEM;
  memcpy(d, e->path, e->path_len + 1);
  l->paths[l->n++] = d;
  return 0;
}

static void tree(ctx *c, const char *root) {
  list l = {0};
  int rc = slink_walk(root, SLINK_WALK_ALL, collect, &l);
  if (rc == SLINK_ENOTDIR) {
    one(c, root, 0);
  } else if (rc < 0) {
    cli_error("convert", root, slink_strerror(rc));
    c->status = CLI_FAIL;
  }
  for (size_t i = 0; i < l.n; i++) {
    if (rc >= 0)
      one(c, l.paths[i], 1);
    free(l.paths[i]);
  }
  free(l.paths);
}

int cmd_convert(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("convert", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("convert", "expected at least one PATH");
  }
  if ((rc = slink_fakes_new(&c.run)) < 0) {
    cli_error("convert", a.operands[0], slink_strerror(rc));
    cli_args_free(&a);
    return CLI_FAIL;
  }
  for (int i = 0; i < a.count; i++) {
    if (c.recursive)
      tree(&c, a.operands[i]);
    else
      one(&c, a.operands[i], 0);
  }
  /* The indexes of the work trees changed, written once. */
  if ((rc = slink_fakes_end(c.run)) < 0) {
    cli_error("convert", "Git index", slink_strerror(rc));
    c.status = CLI_FAIL;
  }
  cli_args_free(&a);
  return c.status;
}

/* ---- show and ls: what a faked link stands for ---- */
static slink_fakes *view_run;

void cli_fake_amend(const char *cmd, const char *path, uint64_t max_size,
                    slink_info *in) {
  if (!(in->kind == SLINK_KIND_FILE && in->size <= max_size) &&
      in->kind != SLINK_KIND_SYMLINK)
    return;
  if (!view_run && slink_fakes_new(&view_run) < 0)
    return;
  slink_fake f;
  if (slink_fake_read(view_run, path, &f) < 0)
    return;
  if (f.problem) {
    char buf[160];
    cli_warn(cmd, path, reason(f.problem, f.object, buf, sizeof buf));
  } else if (f.kind == SLINK_KIND_GIT_PLACEHOLDER ||
             f.kind == SLINK_KIND_CYGWIN_SYMLINK ||
             f.kind == SLINK_KIND_SHORTCUT) {
    free(in->target);
    free(in->resolved);
    in->target = f.target;
    in->target_len = f.target_len;
    in->resolved = NULL;
    in->target_kind = SLINK_KIND_NONE;
    in->states = SLINK_STATE_ABSOLUTE;
    f.target = NULL;
    char *abs = NULL;
    /* Where it would lead were it real, as a symbolic link's states. */
    if (f.form != SLINK_FORM_LNK_WINDOWS &&
        slink_path_absolute(path, &abs) == 0) {
      char *slash = strrchr(abs, '/');
      if (slash)
        *(slash == abs ? slash + 1 : slash) = '\0';
      in->kind = SLINK_KIND_SYMLINK;
      if (slink_classify(abs, in->target, in->target_len, f.repo, in) < 0)
        in->states = 0;
    }
    free(abs);
    in->kind = f.kind;
    in->states |= SLINK_STATE_FAKED;
    if (f.unknown_codepage)
      cli_warn(cmd, path, "the shortcut's 8-bit names are in a code "
                          "page it does not record; bytes above 0x7F shown "
                          "escaped");
  }
  slink_fake_free(&f);
}

void cli_fake_done(void) {
  slink_fakes_end(view_run);
  view_run = NULL;
}

int cli_fake_visit(const slink_walk_entry *e,
                   int (*visit)(const slink_walk_entry *e, void *arg),
                   void *arg) {
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_FILE;
  in.ino = e->ino;
  in.dev = e->dev;
  in.nlink = 1;
  cli_fake_amend("scan", e->path, UINT64_MAX, &in);
  int rc = 0;
  if (in.states & SLINK_STATE_FAKED) {
    slink_walk_entry fe = *e;
    fe.kind = in.kind;
    fe.info = &in;
    rc = visit(&fe, arg);
  }
  slink_info_free(&in);
  return rc;
}
