/* opts.c - options as data: one small parser for every command, so they
 * all accept bundled short options, --long and --long=value alike. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/color.h"

static const cli_opt *find_long(const cli_opt *opts, const char *name,
                                size_t len) {
  for (; opts->id; opts++)
    if (opts->long_name && strlen(opts->long_name) == len &&
        strncmp(opts->long_name, name, len) == 0)
      return opts;
  return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c) {
  for (; opts->id; opts++)
    if (opts->short_name == c)
      return opts;
  return NULL;
}

static int bad(const char *cmd, const char *what, const char *name) {
  char *q = cli_quote(name);
  size_t n = strlen(what) + strlen(q ? q : name) + 8;
  char *m = malloc(n);
  int rc = CLI_USAGE;
  if (m) {
    strcpy(m, what);
    strcat(m, " ");
    strcat(m, q ? q : name);
    rc = cli_usage_error(cmd, m);
  }
  free(m);
  free(q);
  return rc;
}

/* The command's own option O was given: the run-wide settings that follow
 * from its name. Help is printed even after --quiet. */
static void note(const cli_opt *o) {
  const char *n = o->long_name ? o->long_name : "";
  if (strcmp(n, "json") == 0)
    cli_global.json = 1;
  else if (strcmp(n, "null") == 0)
    cli_global.null = 1;
  else if (strcmp(n, "help") == 0)
    cli_global.quiet = 0;
}

const cli_opt cli_common_opts[] = {
  {0, "color", "[=WHEN]", CLI_O_COLOR,
   "colour names by kind and state, as ls does: auto (only on a terminal, "
   "the default), always (also a bare --color) or never; never with --json "
   "or --null"},
  {'q', "quiet", NULL, CLI_O_QUIET,
   "print nothing on standard output; errors still go to standard error "
   "and the exit status is unchanged"},
  {0, NULL, NULL, 0, NULL}
};

/* An option of cli_common_opts (or a command's entry with its id) was
 * given, with VAL after "=" or NULL: 0, or CLI_USAGE when VAL is wrong. */
static int common(const char *cmd, const cli_opt *o, const char *val) {
  if (o->id == CLI_O_COLOR) {
    int when = cli_color_parse(val);
    if (when < 0)
      return cli_usage_error(cmd, "--color takes auto, always or never");
    cli_color_set((cli_color_when)when);
  } else if (o->id == CLI_O_QUIET) {
    cli_global.quiet = 1;
  }
  return 0;
}

/* The option O was given with VAL: the common ones handled here, the
 * command's own handed to ON_OPT. */
static int given(const char *cmd, const cli_opt *o, const char *val,
                 int (*on_opt)(void *ctx, int id, const char *arg),
                 void *ctx) {
  if (o->id < 0)
    return common(cmd, o, val);
  note(o);
  return on_opt(ctx, o->id, val);
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              int (*on_opt)(void *ctx, int id, const char *arg), void *ctx,
              cli_args *out) {
  out->operands = calloc((size_t)argc + 1, sizeof *out->operands);
  out->count = 0;
  if (!out->operands)
    return CLI_FAIL;
  int only_operands = 0;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_operands || a[0] != '-' || a[1] == '\0') {
      out->operands[out->count++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_operands = 1;
      continue;
    }
    int rc;
    if (a[1] == '-') {
      const char *name = a + 2;
      const char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const cli_opt *o = find_long(opts, name, len);
      if (!o)
        o = find_long(cli_common_opts, name, len);
      if (!o)
        return bad(cmd, "unknown option", a);
      const char *val = NULL;
      if (o->arg && o->arg[0] == '[') {
        val = eq ? eq + 1 : NULL;
      } else if (o->arg) {
        if (eq)
          val = eq + 1;
        else if (i + 1 < argc)
          val = argv[++i];
        else
          return bad(cmd, "missing value for", a);
      } else if (eq) {
        return bad(cmd, "no value is taken by", a);
      }
      if ((rc = given(cmd, o, val, on_opt, ctx)) != 0)
        return rc;
      continue;
    }
    for (const char *p = a + 1; *p; p++) {
      const cli_opt *o = find_short(opts, *p);
      if (!o)
        o = find_short(cli_common_opts, *p);
      if (!o) {
        char s[3] = {'-', *p, '\0'};
        return bad(cmd, "unknown option", s);
      }
      const char *val = NULL;
      if (o->arg && o->arg[0] != '[') {
        if (p[1])
          val = p + 1;
        else if (i + 1 < argc)
          val = argv[++i];
        else {
          char s[3] = {'-', *p, '\0'};
          return bad(cmd, "missing value for", s);
        }
      }
      if ((rc = given(cmd, o, val, on_opt, ctx)) != 0)
        return rc;
      if (val)
        break;
    }
  }
  return 0;
}

void cli_args_free(cli_args *a) {
  free(a->operands);
  a->operands = NULL;
  a->count = 0;
}
