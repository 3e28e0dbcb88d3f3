/* cmd-make.c - slink make: one link, checked and read back. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/color.h"

const char cli_help_make[] =
    "usage: slink make [-s | -j | -H] [--dir | --file] [-r | --absolute] [-f]\n"
    "                  [--fallback] [--drive X:] [--json | -0] LINK TARGET\n"
    "\n"
    "Make LINK point to TARGET (LINK first, as in mklink).\n"
    "\n"
    "  -s, --symbolic   a symbolic link (the default); TARGET is stored as\n"
    "                   given, relative to LINK's directory; a missing TARGET\n"
    "                   is allowed with a warning\n"
    "  -j, --junction   a junction: TARGET must be an existing directory; on a\n"
    "                   filesystem without junctions, an absolute symbolic link\n"
    "  -H, --hard       a hard link to the existing file TARGET\n"
    "  -d, --dir        the target is a directory (Windows: directory link)\n"
    "      --file       the target is a file\n"
    "  -r, --relative   store the shortest relative path from LINK's real\n"
    "                   directory to TARGET (TARGET taken from here)\n"
    "      --absolute   store TARGET's absolute path (TARGET taken from here)\n"
    "  -f, --force      replace an existing link or file atomically; a\n"
    "                   directory is never replaced\n"
    "      --fallback   Windows: make a junction when a directory symbolic\n"
    "                   link is refused for lack of privilege\n"
    "      --drive X:   NTFS volumes on Linux: the drive letter Windows uses\n"
    "                   for this volume, for absolute targets\n"
    "      --json       print the new link as one JSON object\n"
    "  -0, --null       print only LINK, ended by a NUL (for xargs -0)\n"
    "      --color[=WHEN]  colour the new link's name: auto (on a\n"
    "                   terminal, the default), always, never\n"
    "  -q, --quiet      print nothing on success (errors still shown)\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 made, 1 failed (nothing is left behind), 2 usage error.\n";

enum {
  O_SYM = 1, O_JUNCTION, O_HARD, O_DIR, O_FILE, O_RELATIVE, O_ABSOLUTE,
  O_FORCE, O_FALLBACK, O_DRIVE, O_JSON, O_NULL, O_HELP
};

static const cli_opt options[] = {
  {'s', "symbolic", 0, O_SYM},     {'j', "junction", 0, O_JUNCTION},
  {'H', "hard", 0, O_HARD},        {'d', "dir", 0, O_DIR},
  {0, "file", 0, O_FILE},          {'r', "relative", 0, O_RELATIVE},
  {0, "absolute", 0, O_ABSOLUTE},  {'f', "force", 0, O_FORCE},
  {0, "fallback", 0, O_FALLBACK},  {0, "drive", 1, O_DRIVE},
  {0, "json", 0, O_JSON},          {'0', "null", 0, O_NULL},
  {'h', "help", 0, O_HELP},
  {0, NULL, 0, 0}
};

typedef struct ctx {
  slink_make_opts o;
  int kinds_given;     /* how many of -s/-j/-H */
  int json;
  int null;
} ctx;

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_SYM: c->o.type = SLINK_MAKE_SYMBOLIC; c->kinds_given++; break;
  case O_JUNCTION: c->o.type = SLINK_MAKE_JUNCTION; c->kinds_given++; break;
  case O_HARD: c->o.type = SLINK_MAKE_HARD; c->kinds_given++; break;
  case O_DIR: c->o.flags |= SLINK_MAKE_DIR; break;
  case O_FILE: c->o.flags |= SLINK_MAKE_FILE; break;
  case O_RELATIVE: c->o.flags |= SLINK_MAKE_RELATIVE; break;
  case O_ABSOLUTE: c->o.flags |= SLINK_MAKE_ABSOLUTE; break;
  case O_FORCE: c->o.flags |= SLINK_MAKE_FORCE; break;
  case O_FALLBACK: c->o.flags |= SLINK_MAKE_FALLBACK; break;
  case O_DRIVE: c->o.drive = arg; break;
  case O_JSON: c->json = 1; break;
  case O_NULL: c->null = 1; break;
  case O_HELP: cli_out(cli_help_make); return -1;
  }
  return 0;
}

static int check_combination(const ctx *c) {
  unsigned f = c->o.flags;
  if (c->json && c->null)
    return cli_usage_error("make", "--json and --null exclude each other");
  if (c->kinds_given > 1)
    return cli_usage_error("make", "choose one of -s, -j and -H");
  if ((f & SLINK_MAKE_DIR) && (f & SLINK_MAKE_FILE))
    return cli_usage_error("make", "--dir and --file exclude each other");
  if ((f & SLINK_MAKE_RELATIVE) && (f & SLINK_MAKE_ABSOLUTE))
    return cli_usage_error("make", "--relative and --absolute exclude each other");
  if ((f & (SLINK_MAKE_RELATIVE | SLINK_MAKE_ABSOLUTE)) &&
      c->o.type != SLINK_MAKE_SYMBOLIC)
    return cli_usage_error("make", "--relative and --absolute are for symbolic links");
  if (c->o.drive && !(strlen(c->o.drive) == 2 && c->o.drive[1] == ':' &&
                      ((c->o.drive[0] | 0x20) >= 'a' && (c->o.drive[0] | 0x20) <= 'z')))
    return cli_usage_error("make", "--drive takes a drive letter such as D:");
  return 0;
}

static void report(const char *link, const slink_made *m, int json,
                   int null) {
  if (m->warnings & SLINK_WARN_JUNCTION_AS_SYMLINK)
    cli_errf("slink: make: note: this filesystem has no junctions; "
             "made an absolute symbolic link instead\n");
  if (m->warnings & SLINK_WARN_FELL_BACK)
    cli_errf("slink: make: note: a directory symbolic link was refused; "
             "made a junction instead (--fallback)\n");
  if (json) {
    slink_info info;
    if (slink_read(link, SLINK_READ_RESOLVE, &info) == 0) {
      char *j = slink_info_json(link, &info);
      if (j)
        cli_outf("%s\n", j);
      free(j);
      slink_info_free(&info);
    }
    return;
  }
  if (null) {
    cli_write(link, strlen(link) + 1);
    return;
  }
  char *ql = cli_quote(link);
  if (m->target) {
    char *qt = slink_quote(m->target, strlen(m->target));
    const char *on = cli_color_name(link, m->kind, NULL);
    cli_outf("made %s %s%s%s -> %s\n", slink_kind_name(m->kind), on, ql,
             cli_color_end(on), qt);
    free(qt);
  } else {
    slink_info info;
    uint64_t names = 0;
    if (slink_read(link, 0, &info) == 0) {
      names = info.nlink;
      slink_info_free(&info);
    }
    cli_outf("made hard link %s (the file now has %llu names)\n", ql,
             (unsigned long long)names);
  }
  free(ql);
}

int cmd_make(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  c.o.type = SLINK_MAKE_SYMBOLIC;
  cli_args a;
  int rc = cli_parse("make", argc, argv, options, on_opt, &c, &a);
  if (rc == -1) {
    cli_args_free(&a);
    return CLI_OK;
  }
  if (rc == 0)
    rc = check_combination(&c);
  if (rc == 0 && a.count != 2)
    rc = cli_usage_error("make", a.count < 2 ? "expected LINK and TARGET"
                                             : "too many operands: expected LINK and TARGET");
  if (rc != 0) {
    cli_args_free(&a);
    return rc;
  }
  const char *link = a.operands[0], *target = a.operands[1];
  slink_made made;
  rc = slink_make(link, target, &c.o, &made);
  if (rc < 0) {
    cli_error("make", made.error_path ? made.error_path : link,
              slink_strerror(rc));
    cli_args_free(&a);
    return CLI_FAIL;
  }
  if (made.warnings & SLINK_WARN_LOOP)
    cli_warn("make", target, "the target is a loop of links; the link will not resolve");
  if (made.warnings & SLINK_WARN_TOO_LONG)
    cli_warn("make", target, "the target is a chain of more than 40 links; "
                             "the link will not resolve");
  if (made.warnings & SLINK_WARN_DANGLING)
    cli_warn("make", target, "the target does not exist; the link dangles");
  report(link, &made, c.json, c.null);
  slink_made_free(&made);
  cli_args_free(&a);
  return CLI_OK;
}
