/* cmd-scan.c - slink scan: every link under each DIR with its kind, stored
 * target and states; the exit status says whether a problem was found, so
 * that a CI job can be gated on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-scan.h"
#include "cli/color.h"
#include "cli/platform.h"

static const char help_head[] =
    "usage: slink scan [--json | -0] [--state S,...] [--kind K,...] DIR...\n"
    "\n"
    "List every link under each DIR, without following any, with its kind,\n"
    "its target as stored and its states:\n"
    "  ok            the target exists\n"
    "  dangling      the target does not exist\n"
    "  loop          resolving it goes round in a circle\n"
    "  denied        it cannot be resolved for lack of permission\n"
    "  absolute      the target is an absolute path\n"
    "  relative      the target is relative to the link's directory\n"
    "  messy         \".\", \"//\" or \"dir/..\" that can be removed\n"
    "  lengthy       a shorter relative path leads to the same place\n"
    "  cross-device  the target is on another filesystem\n"
    "  escapes       it resolves outside the DIR being scanned\n";

static const char help_tail[] =
    "Exit status: 0 no problem found, 1 a problem found (dangling, loop,\n"
    "denied or escapes; with --state: any link listed), 2 an error (a\n"
    "directory that cannot be read, a usage error).\n";

enum {
  O_STATE = 1, O_KIND, O_JSON, O_NULL, O_NAMES, O_ONEFS, O_UNORDERED,
  O_ONETHREAD, O_HELP, O_FAKED
};
static const cli_opt options[] = {
  {'s', "state", "S,...", O_STATE, "only links in any of these states"},
  {'k', "kind", "K,...", O_KIND,
   "only links of these kinds: symlink, dir-symlink, junction, "
   "wsl-symlink, app-link, reparse; git-placeholder, cygwin-symlink, "
   "shortcut (the faked ones: --faked is implied)"},
  {0, "json", NULL, O_JSON, "one JSON object per link"},
  {'0', "null", NULL, O_NULL,
   "only the path of each link, ended by a NUL (for xargs -0); no "
   "summary; with --names too; not with --json"},
  {0, "names", NULL, O_NAMES,
   "only the names of the links, one a line, targets neither read nor "
   "resolved (the fastest way to find every link)"},
  {'x', "one-file-system", NULL, O_ONEFS, "do not enter other filesystems"},
  {0, "unordered", NULL, O_UNORDERED,
   "print links as they are found (faster; the order is not fixed)"},
  {0, "one-thread", NULL, O_ONETHREAD, "walk on one thread only"},
  {'q', "quiet", NULL, CLI_O_QUIET,
   "print nothing: the exit status tells whether a problem was found"},
  {0, "faked", NULL, O_FAKED,
   "also files other systems keep in place of links (Git placeholders, "
   "Cygwin files, shortcuts: state faked; see slink convert); every "
   "regular file is looked at, so this is slower"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_scan = {help_head, options, help_tail};

typedef struct ctx {
  unsigned states;      /* filter; 0: every link */
  unsigned kinds;       /* filter; 0: every kind */
  int json;
  int null;             /* paths ended by NUL */
  int quiet;            /* --quiet: count, print nothing */
  int names;
  unsigned walk_flags;
  int found;            /* a problem (or, with --state, a match) */
  int failed;
  unsigned long links;  /* listed */
  unsigned long seen;   /* classified */
  unsigned long per_state[SLINK_STATE_COUNT];
  cli_progress progress;
  char out[65536];      /* standard output, written in large pieces */
  size_t out_len;
  int tty;              /* standard output is a terminal: no holding back */
  int faked;            /* --faked (convert) */
} ctx;

/* Through out.c, which clears the progress line and honours --quiet. */
static void flush(ctx *c) {
  if (c->out_len)
    cli_write(c->out, c->out_len);
  c->out_len = 0;
}

static void put(ctx *c, const char *s, size_t n) {
  if (c->out_len + n > sizeof c->out)
    flush(c);
  if (n > sizeof c->out) {
    cli_write(s, n);
    return;
  }
  memcpy(c->out + c->out_len, s, n);
  c->out_len += n;
}

static void puts_(ctx *c, const char *s) { put(c, s, strlen(s)); }

/* Split LIST at commas and hand each word to FN; 0 on a bad word. */
static unsigned parse_list(const char *cmd, const char *list, const char *what,
                           unsigned (*fn)(const char *)) {
  unsigned bits = 0;
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    char word[32];
    unsigned b = 0;
    if (n > 0 && n < sizeof word) {
      memcpy(word, p, n);
      word[n] = '\0';
      b = fn(word);
    }
    if (!b) {
      char msg[96];
      char *q = slink_quote(p, n);
      snprintf(msg, sizeof msg, "unknown %s %.40s", what, q ? q : "");
      free(q);
      cli_usage_error(cmd, msg);
      return 0;
    }
    bits |= b;
    if (!comma)
      return bits;
    p = comma + 1;
  }
}

unsigned cli_parse_states(const char *cmd, const char *list) {
  return parse_list(cmd, list, "state", slink_state_from_name);
}

/* The faked kinds slink convert recognises (scan --faked). */
#define FAKED_KINDS                                                        \
  (1u << SLINK_KIND_GIT_PLACEHOLDER | 1u << SLINK_KIND_CYGWIN_SYMLINK |    \
   1u << SLINK_KIND_SHORTCUT)

static unsigned kind_bit(const char *name) {
  for (int k = SLINK_KIND_SYMLINK; k <= SLINK_KIND_SHORTCUT; k++)
    if ((slink_kind_is_link((slink_kind)k) || (FAKED_KINDS & 1u << k)) &&
        strcmp(name, slink_kind_name((slink_kind)k)) == 0)
      return 1u << k;
  return 0;
}

unsigned cli_parse_kinds(const char *cmd, const char *list) {
  return parse_list(cmd, list, "kind", kind_bit);
}

/* "PATH -> TARGET  [KIND] STATE,..." with the path coloured by kind and
 * each state by how bad it is (both "" without colour). */
static void print_text(ctx *c, const slink_walk_entry *e) {
  const slink_info *in = e->info;
  char *qp = slink_quote(e->path, e->path_len);
  char *qt = slink_quote(in->target ? in->target : "", in->target_len);
  const char *on = cli_color_name(e->path, in->kind, in);
  puts_(c, on);
  puts_(c, qp ? qp : "");
  puts_(c, cli_color_end(on));
  puts_(c, " -> ");
  puts_(c, qt ? qt : "");
  puts_(c, "  [");
  puts_(c, slink_kind_name(in->kind));
  puts_(c, "] ");
  int first = 1;
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++) {
    unsigned bit = 1u << i;
    if (!(in->states & bit))
      continue;
    if (!first)
      puts_(c, ",");
    first = 0;
    const char *son = cli_color_state(bit);
    puts_(c, son);
    puts_(c, slink_state_name(bit));
    puts_(c, cli_color_end(son));
  }
  puts_(c, "\n");
  free(qp);
  free(qt);
}

/* The path as it is, ended by a NUL: xargs -0 needs the exact bytes. */
static void print_null(ctx *c, const slink_walk_entry *e) {
  put(c, e->path, e->path_len);
  put(c, "", 1);
}

/* A leftover temporary name of a killed slink: said once, on standard
 * error, with what removes it. */
static int leftover(ctx *c, const slink_walk_entry *e) {
  const char *base = e->path + e->path_len;
  while (base > e->path && base[-1] != '/')
    base--;
  if (e->kind == SLINK_KIND_DIR ||
      !slink_is_temp_name(base, (size_t)(e->path + e->path_len - base)))
    return 0;
  flush(c);
  cli_warn("scan", e->path, "a leftover temporary name (slink fix "
                            "--clean-temp removes it)");
  c->found = 1;
  return 1;
}

static int on_entry(const slink_walk_entry *e, void *p) {
  ctx *c = p;
  if (e->error) {
    flush(c);
    cli_error("scan", e->path, slink_strerror(e->error));
    c->failed = 1;
    return 0;
  }
  if (leftover(c, e) && !slink_kind_is_link(e->kind))
    return 0;
  if (c->names) {
    c->links++;
    cli_progress_tick(&c->progress, "scan", c->links, e->path);
    if (c->quiet)
      return 0;
    if (c->null) {
      print_null(c, e);
    } else {
      char *q = slink_quote(e->path, e->path_len);
      if (!q)
        return SLINK_ENOMEM;
      puts_(c, q);
      puts_(c, "\n");
      free(q);
    }
    if (c->tty)
      flush(c);
    return 0;
  }
  if (c->faked && !e->info && e->kind == SLINK_KIND_FILE) /* convert */
    return cli_fake_visit(e, on_entry, c);
  if (!e->info)
    return 0;
  const slink_info *in = e->info;
  c->seen++;
  cli_progress_tick(&c->progress, "scan", c->seen, e->path);
  if (c->kinds && !(c->kinds & (1u << in->kind)))
    return 0;
  if (c->states && !(c->states & in->states))
    return 0;
  c->links++;
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++)
    if (in->states & (1u << i))
      c->per_state[i]++;
  if (c->states || (in->states & CLI_PROBLEM_STATES))
    c->found = 1;
  if (c->quiet)
    return 0;
  if (c->json) {
    char *j = slink_info_json(e->path, in);
    if (!j)
      return SLINK_ENOMEM;
    puts_(c, j);
    puts_(c, "\n");
    free(j);
  } else if (c->null) {
    print_null(c, e);
  } else {
    print_text(c, e);
  }
  if (c->tty)
    flush(c);
  return 0;
}

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_STATE:
    if (!(c->states |= cli_parse_states("scan", arg)))
      return CLI_USAGE;
    break;
  case O_KIND:
    if (!(c->kinds |= cli_parse_kinds("scan", arg)))
      return CLI_USAGE;
    /* a faked kind is found only by looking into files */
    if (c->kinds & FAKED_KINDS) {
      c->faked = 1;
      c->walk_flags |= SLINK_WALK_ALL;
    }
    break;
  case O_NULL: c->null = 1; break;
  case O_NAMES: c->names = 1; break;
  case O_JSON:
    c->json = 1;
    c->walk_flags |= SLINK_WALK_STAT;
    break;
  case O_ONEFS: c->walk_flags |= SLINK_WALK_ONE_FS; break;
  case O_UNORDERED: c->walk_flags |= SLINK_WALK_UNORDERED; break;
  case O_ONETHREAD: c->walk_flags &= ~(unsigned)SLINK_WALK_PARALLEL; break;
  case O_HELP: cli_help_print(&cli_help_scan); return -1;
  case O_FAKED: c->faked = 1; c->walk_flags |= SLINK_WALK_ALL; break;
  }
  return 0;
}

/* On a terminal: how many links were listed in each state. */
static void summary(const ctx *c) {
  cli_outf("%lu link%s\n", c->links, c->links == 1 ? "" : "s");
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++)
    if (c->per_state[i])
      cli_outf("%10lu %s\n", c->per_state[i], slink_state_name(1u << i));
}

int cmd_scan(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  c.walk_flags = SLINK_WALK_CLASSIFY | SLINK_WALK_PARALLEL;
  cli_args a;
  int rc = cli_parse("scan", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("scan", "missing DIR");
  }
  if (c.names && (c.json || c.states)) {
    cli_args_free(&a);
    return cli_usage_error("scan", "--names takes no --json or --state");
  }
  if (c.json && c.null) {
    cli_args_free(&a);
    return cli_usage_error("scan", "--json and --null exclude each other");
  }
  c.quiet = cli_global.quiet;
  if (c.names)
    c.walk_flags &= ~(unsigned)SLINK_WALK_CLASSIFY;
  cli_progress_start(&c.progress);
  c.tty = cli_os_isatty(1);
  for (int i = 0; i < a.count; i++) {
    if (!*a.operands[i]) {
      cli_error("scan", a.operands[i], slink_strerror(SLINK_EEMPTYPATH));
      c.failed = 1;
      continue;
    }
    if (slink_walk(a.operands[i], c.walk_flags, on_entry, &c) < 0)
      c.failed = 1;
  }
  cli_progress_end(&c.progress);
  cli_fake_done(); /* convert */
  flush(&c);
  if (!c.json && !c.null && !c.names && cli_os_isatty(1))
    summary(&c);
  cli_args_free(&a);
  if (c.failed)
    return CLI_USAGE;
  return c.found ? CLI_FAIL : CLI_OK;
}
