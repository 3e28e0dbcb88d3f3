/* persona-ln.c - GNU coreutils' ln (9.1): its options, its forms
 * (TARGET LINK, TARGET alone, TARGET... DIR, -t DIR TARGET...) and its
 * messages, over slink's library. Note the order: target first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona-ln.h"
#include "cli/platform.h"
#include "cli/persona.h"

enum {
  L_BACKUP = 1, L_DIR, L_FORCE, L_NODEREF, L_NOTARGET, L_INTERACTIVE,
  L_LOGICAL, L_PHYSICAL, L_RELATIVE, L_SUFFIX, L_TARGET, L_SYMBOLIC,
  L_VERBOSE, L_HELP, L_VERSION, L_BACKUP_SHORT
};

/* has_arg: 0 none, 1 required, 2 optional (only as --name=value). GNU's
 * order, which its "ambiguous" message lists the candidates in. */
static const struct lopt {
  const char *name;
  int has_arg, id;
} longs[] = {
  {"backup", 2, L_BACKUP},           {"directory", 0, L_DIR},
  {"force", 0, L_FORCE},             {"no-dereference", 0, L_NODEREF},
  {"no-target-directory", 0, L_NOTARGET},
  {"interactive", 0, L_INTERACTIVE}, {"logical", 0, L_LOGICAL},
  {"physical", 0, L_PHYSICAL},       {"relative", 0, L_RELATIVE},
  {"suffix", 1, L_SUFFIX},           {"target-directory", 1, L_TARGET},
  {"symbolic", 0, L_SYMBOLIC},       {"verbose", 0, L_VERBOSE},
  {"help", 0, L_HELP},               {"version", 0, L_VERSION},
};
enum { LONGS = sizeof longs / sizeof longs[0] };

static const struct {
  char ch;
  int has_arg, id;
} shorts[] = {
  {'b', 0, L_BACKUP_SHORT}, {'d', 0, L_DIR},      {'F', 0, L_DIR},
  {'f', 0, L_FORCE},        {'i', 0, L_INTERACTIVE},
  {'L', 0, L_LOGICAL},      {'n', 0, L_NODEREF},  {'P', 0, L_PHYSICAL},
  {'r', 0, L_RELATIVE},     {'s', 0, L_SYMBOLIC}, {'S', 1, L_SUFFIX},
  {'t', 1, L_TARGET},       {'T', 0, L_NOTARGET}, {'v', 0, L_VERBOSE},
};
enum { SHORTS = sizeof shorts / sizeof shorts[0] };

static void help(const ln_ctx *c) {
  cli_outf(
      "Usage: %s [OPTION]... [-T] TARGET LINK_NAME\n"
      "  or:  %s [OPTION]... TARGET\n"
      "  or:  %s [OPTION]... TARGET... DIRECTORY\n"
      "  or:  %s [OPTION]... -t DIRECTORY TARGET...\n",
      c->prog, c->prog, c->prog, c->prog);
  cli_out(
      "Make LINK_NAME a link to TARGET (first form); a link to TARGET in\n"
      "the current directory (second form); links to each TARGET inside\n"
      "DIRECTORY (third and fourth forms). Links are hard links unless -s\n"
      "is given. A hard link's TARGET must exist; a symbolic link stores\n"
      "its TARGET as text, relative to the link's own directory.\n"
      "\n"
      "A mandatory argument of a long option is mandatory for its short\n"
      "form too.\n"
      "      --backup[=CONTROL]      keep each replaced LINK_NAME as a backup\n"
      "  -b                          --backup with no CONTROL\n"
      "  -d, -F, --directory         hard links to directories: always\n"
      "                                refused, as for a user without the\n"
      "                                privilege\n"
      "  -f, --force                 replace existing LINK_NAMEs\n"
      "  -i, --interactive           ask before replacing\n"
      "  -L, --logical               hard link to where a symbolic link TARGET\n"
      "                                leads\n"
      "  -n, --no-dereference        a LINK_NAME that is a symbolic link to a\n"
      "                                directory is itself replaced, not\n"
      "                                entered\n"
      "  -P, --physical              hard link to a symbolic link TARGET\n"
      "                                itself (the default)\n"
      "  -r, --relative              with -s: store TARGET relative to the\n"
      "                                link's directory\n"
      "  -s, --symbolic              make symbolic links\n"
      "  -S, --suffix=SUFFIX         simple backups end in SUFFIX (default ~)\n"
      "  -t, --target-directory=DIRECTORY  make the links inside DIRECTORY\n"
      "  -T, --no-target-directory   LINK_NAME is never a directory to enter\n"
      "  -v, --verbose               name each link made\n"
      "      --fallback              Windows: a junction when a directory\n"
      "                                symbolic link is refused for lack of\n"
      "                                privilege (slink's addition; only\n"
      "                                in full)\n"
      "      --help        show this help and exit\n"
      "      --version     show the version and exit\n"
      "\n"
      "CONTROL (or $VERSION_CONTROL) picks the backup names; SUFFIX comes\n"
      "from -S or $SIMPLE_BACKUP_SUFFIX:\n"
      "  none, off       no backups\n"
      "  numbered, t     numbered backups: NAME.~1~, NAME.~2~, ...\n"
      "  existing, nil   numbered if numbered backups exist, else simple\n"
      "  simple, never   NAME followed by SUFFIX\n"
      "\n"
      "With -f, a link is replaced atomically (made under a temporary name,\n"
      "then renamed over the old one). This ln is slink's personality of\n"
      "GNU ln; run 'slink --help' for slink's own commands.\n");
}

static void version(void) {
  cli_outf("ln (slink) %s\n"
           "GNU ln's command line and messages, spoken by slink.\n",
           SLINK_VERSION_STRING);
}

/* Check a -t DIRECTORY at once, as GNU does while reading options. */
static int check_target_dir(ln_ctx *c, const char *dir) {
  if (c->target_dir) {
    ln_error(c, 0, "multiple target directories specified");
    return 1;
  }
  ln_stat st;
  int rc = ln_stat_path(dir, 1, &st);
  char *q = ln_quote(c, dir, 1);
  if (rc < 0)
    ln_error(c, rc, "failed to access %s", q ? q : dir);
  else if (st.kind != SLINK_KIND_DIR)
    ln_error(c, 0, "target %s is not a directory", q ? q : dir);
  free(q);
  if (rc == 0)
    ln_stat_free(&st);
  if (rc < 0 || st.kind != SLINK_KIND_DIR)
    return 1;
  c->target_dir = dir;
  return 0;
}

/* 0 to go on, -1 to stop with success (help, version), 1 on failure. */
static int apply(ln_ctx *c, int id, const char *arg) {
  switch (id) {
  case L_BACKUP: /* a later --backup without CONTROL keeps the earlier one */
    c->make_backups = 1;
    if (arg)
      c->backup_arg = arg;
    break;
  case L_BACKUP_SHORT: c->make_backups = 1; break;
  case L_DIR: c->hard_dir = 1; break;
  case L_FORCE: c->force = 1; c->interactive = 0; break;
  case L_INTERACTIVE: c->interactive = 1; c->force = 0; break;
  case L_NODEREF: c->no_deref = 1; break;
  case L_NOTARGET: c->no_target_dir = 1; break;
  case L_LOGICAL: c->logical = 1; break;
  case L_PHYSICAL: c->logical = 0; break;
  case L_RELATIVE: c->relative = 1; break;
  case L_SUFFIX: c->make_backups = 1; c->suffix = arg; break;
  case L_TARGET: return check_target_dir(c, arg);
  case L_SYMBOLIC: c->symbolic = 1; break;
  case L_VERBOSE: c->verbose = 1; break;
  case L_HELP: help(c); return -1;
  case L_VERSION: version(); return -1;
  }
  return 0;
}

static int usage_fail(const ln_ctx *c) {
  ln_try_help(c);
  return 1;
}

/* One "--name[=value]" argument; *I moves past a value taken from the
 * next argument. */
static int long_option(ln_ctx *c, int argc, char **argv, int *i) {
  const char *a = argv[*i] + 2;
  const char *eq = strchr(a, '=');
  size_t len = eq ? (size_t)(eq - a) : strlen(a);
  /* slink's one addition, for Windows: only in full, so that GNU's
   * abbreviations ("--f" for --force) keep their meaning. */
  if (strcmp(a, "fallback") == 0) {
    c->fallback = 1;
    return 0;
  }
  int hit = -1, hits = 0;
  for (int k = 0; k < LONGS; k++) {
    if (strncmp(longs[k].name, a, len) != 0)
      continue;
    if (strlen(longs[k].name) == len) {
      hit = k;
      hits = 1;
      break;
    }
    if (hit < 0)
      hit = k;
    hits++;
  }
  if (hit < 0) {
    ln_error(c, 0, "unrecognized option '%s'", argv[*i]);
    return usage_fail(c);
  }
  if (hits > 1) {
    cli_errf("%s: option '%s' is ambiguous; possibilities:", c->prog,
             argv[*i]);
    for (int k = 0; k < LONGS; k++)
      if (strncmp(longs[k].name, a, len) == 0)
        cli_errf(" '--%s'", longs[k].name);
    cli_errf("\n");
    return usage_fail(c);
  }
  const struct lopt *o = &longs[hit];
  const char *val = NULL;
  if (eq) {
    if (o->has_arg == 0) {
      ln_error(c, 0, "option '--%s' doesn't allow an argument", o->name);
      return usage_fail(c);
    }
    val = eq + 1;
  } else if (o->has_arg == 1) {
    if (*i + 1 >= argc) {
      ln_error(c, 0, "option '--%s' requires an argument", o->name);
      return usage_fail(c);
    }
    val = argv[++*i];
  }
  return apply(c, o->id, val);
}

/* A cluster of short options "-sfv", "-S.bak", "-t dir". */
static int short_options(ln_ctx *c, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  for (const char *p = a + 1; *p; p++) {
    int k = 0;
    while (k < SHORTS && shorts[k].ch != *p)
      k++;
    if (k == SHORTS) {
      ln_error(c, 0, "invalid option -- '%c'", *p);
      return usage_fail(c);
    }
    const char *val = NULL;
    if (shorts[k].has_arg) {
      if (p[1])
        val = p + 1;
      else if (*i + 1 < argc)
        val = argv[++*i];
      else {
        ln_error(c, 0, "option requires an argument -- '%c'", *p);
        return usage_fail(c);
      }
    }
    int rc = apply(c, shorts[k].id, val);
    if (rc != 0 || val)
      return rc;
  }
  return 0;
}

/* GNU's getopt_long: options anywhere (unless POSIXLY_CORRECT), "--"
 * ends them, "-" alone is an operand. */
static int parse(ln_ctx *c, int argc, char **argv, char **ops, int *nops) {
  int posix = getenv("POSIXLY_CORRECT") != NULL, only_ops = 0;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_ops || a[0] != '-' || a[1] == '\0') {
      ops[(*nops)++] = a;
      if (posix)
        only_ops = 1;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_ops = 1;
      continue;
    }
    int rc = a[1] == '-' ? long_option(c, argc, argv, &i)
                         : short_options(c, argc, argv, &i);
    if (rc != 0)
      return rc;
  }
  return 0;
}

static int locale_is_utf8(void) {
  const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
  for (int i = 0; i < 3; i++) {
    const char *v = getenv(names[i]);
    if (!v || !*v)
      continue;
    for (const char *p = v; *p; p++)
      if ((p[0] | 0x20) == 'u' && (p[1] | 0x20) == 't' &&
          (p[2] | 0x20) == 'f' &&
          (p[3] == '8' || (p[3] == '-' && p[4] == '8')))
        return 1;
    return 0;
  }
  return 0;
}

/* Whether DIR can be opened as the directory to make links in: 0, or
 * why not. With -n a final symbolic link is not followed (GNU opens the
 * directory with O_NOFOLLOW, also for -t). */
static int open_dir(const ln_ctx *c, const char *dir, char **resolved) {
  ln_stat st;
  int rc = ln_stat_path(dir, !c->no_deref, &st);
  if (rc < 0)
    return rc;
  ln_stat_free(&st);
  if (st.kind != SLINK_KIND_DIR)
    return SLINK_ENOTDIR;
  /* Looked up once, as GNU's directory descriptor: a link made inside
   * cannot move where the next one goes. */
  if (cli_os_posix_names()) {
    *resolved = ln_canonical(dir);
  } else {
    size_t n = strlen(dir);
    *resolved = malloc(n + 1);
    if (*resolved)
      memcpy(*resolved, dir, n + 1);
  }
  return *resolved ? 0 : SLINK_ENOMEM;
}

/* Where each operand's link goes once the operands are known; 0 to go
 * on, else the exit status. *LINK_ERRNO gets the first try of the
 * TARGET LINK_NAME form. */
static int decide_form(ln_ctx *c, char **ops, int *n, int *link_errno,
                       char **resolved) {
  if (*n == 0) {
    ln_error(c, 0, "missing file operand");
    return usage_fail(c);
  }
  if (c->relative && !c->symbolic) {
    ln_error(c, 0, "cannot do --relative without --symbolic");
    return 1;
  }
  if (c->no_target_dir) {
    if (c->target_dir) {
      ln_error(c, 0, "cannot combine --target-directory and "
                     "--no-target-directory");
      return 1;
    }
    if (*n != 2) {
      char *q = ln_quote(c, ops[*n < 2 ? 0 : 2], 1);
      if (*n < 2)
        ln_error(c, 0, "missing destination file operand after %s", q);
      else
        ln_error(c, 0, "extra operand %s", q);
      free(q);
      return usage_fail(c);
    }
    return 0;
  }
  if (*n < 2 && !c->target_dir) {
    c->target_dir = ".";
    return open_dir(c, ".", resolved) == 0 ? 0 : 1;
  }
  int two = *n == 2 && !c->target_dir;
  if (two)
    *link_errno = ln_try_link(c, ops[0], ops[1]);
  int e = *link_errno;
  if (e == LN_UNTRIED || e == EEXIST || e == SLINK_EEXIST || e == ENOTDIR ||
      e == SLINK_ENOTDIR || e == EINVAL || e == SLINK_EINVAL) {
    const char *d = c->target_dir ? c->target_dir : ops[*n - 1];
    int rc = open_dir(c, d, resolved);
    if (rc == 0) {
      if (!c->target_dir)
        (*n)--;
      c->target_dir = d;
    } else if (!two) {
      char *q = ln_quote(c, d, 1);
      ln_error(c, rc, "target %s", q ? q : d);
      free(q);
      return 1;
    }
  }
  return 0;
}

/* DIR joined to the last component of SOURCE, as GNU's
 * file_name_concat(): "d//" and "a/" give "d/a". */
static char *dest_in_dir(const char *dir, const char *source) {
  size_t blen, dlen = strlen(dir);
  const char *base = ln_last_component(source, &blen);
  while (dlen > 1 && dir[dlen - 1] == '/' && dir[dlen - 2] == '/')
    dlen--;
  int sep = dlen > 0 && dir[dlen - 1] != '/';
  char *r = malloc(dlen + (size_t)sep + blen + 1);
  if (r) {
    memcpy(r, dir, dlen);
    if (sep)
      r[dlen] = '/';
    memcpy(r + dlen + (size_t)sep, base, blen);
    r[dlen + (size_t)sep + blen] = '\0';
  }
  return r;
}

int cli_ln(int argc, char **argv) {
  ln_ctx c;
  memset(&c, 0, sizeof c);
  c.prog = argc > 0 ? argv[0] : "ln";
  c.utf8 = locale_is_utf8();
  char **ops = calloc((size_t)argc + 1, sizeof *ops);
  if (!ops)
    return 1;
  int n = 0, link_errno = LN_UNTRIED;
  char *resolved = NULL;
  int rc = parse(&c, argc, argv, ops, &n);
  if (rc == 0)
    rc = decide_form(&c, ops, &n, &link_errno, &resolved);
  /* As GNU: the backup type is checked after the first try. */
  if (rc == 0 && ln_backup_setup(&c) < 0)
    rc = 1;
  if (rc != 0) {
    free(resolved);
    free(ops);
    return rc < 0 ? 0 : rc;
  }
  int status = 0;
  if (!c.target_dir) {
    status |= ln_link(&c, ops[0], ops[1], ops[1], link_errno);
  } else {
    c.dest_set = n >= 2 && c.force && !c.symbolic &&
                 c.backup != LN_BACKUP_NUMBERED;
    for (int i = 0; i < n; i++) {
      size_t blen;
      const char *base = ln_last_component(ops[i], &blen);
      char *dest = dest_in_dir(c.target_dir, ops[i]);
      size_t rl = strlen(resolved);
      char *at = malloc(rl + blen + 2);
      if (at) {
        /* No last component (an operand "/"): nothing can be made. */
        if (blen == 0)
          at[0] = '\0';
        else
          snprintf(at, rl + blen + 2, "%s%s%.*s", resolved,
                   rl > 1 ? "/" : "", (int)blen, base);
      }
      status |= dest && at ? ln_link(&c, ops[i], dest, at, LN_UNTRIED) : 1;
      free(at);
      free(dest);
    }
  }
  for (size_t i = 0; i < c.made_count; i++)
    free(c.made[i].path);
  free(c.made);
  free(resolved);
  free(ops);
  return status;
}
