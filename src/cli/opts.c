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
  else if (strcmp(n, "quiet") == 0)
    cli_global.quiet = 1;
  else if (strcmp(n, "help") == 0)
    cli_global.quiet = 0;
}

/* --color[=WHEN] and --quiet, which no table declares; 1 when NAME (LEN
 * bytes, VAL after "=" or NULL) was one of them, CLI_USAGE when its value
 * was wrong, 0 when it was none of them. */
static int common_long(const char *cmd, const char *arg, const char *name,
                       size_t len, const char *val) {
  if (len == 5 && strncmp(name, "color", 5) == 0) {
    int when = cli_color_parse(val);
    if (when < 0) {
      cli_usage_error(cmd, "--color takes auto, always or never");
      return CLI_USAGE;
    }
    cli_color_set((cli_color_when)when);
    return 1;
  }
  if (len == 5 && strncmp(name, "quiet", 5) == 0) {
    if (val)
      return bad(cmd, "no value is taken by", arg);
    cli_global.quiet = 1;
    return 1;
  }
  return 0;
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
      if (!o) {
        int common = common_long(cmd, a, name, len, eq ? eq + 1 : NULL);
        if (common == 1)
          continue;
        if (common)
          return common;
        return bad(cmd, "unknown option", a);
      }
      const char *val = NULL;
      if (o->takes_arg) {
        if (eq)
          val = eq + 1;
        else if (i + 1 < argc)
          val = argv[++i];
        else
          return bad(cmd, "missing value for", a);
      } else if (eq) {
        return bad(cmd, "no value is taken by", a);
      }
      note(o);
      if ((rc = on_opt(ctx, o->id, val)) != 0)
        return rc;
      continue;
    }
    for (const char *p = a + 1; *p; p++) {
      const cli_opt *o = find_short(opts, *p);
      if (!o && *p == 'q') {
        cli_global.quiet = 1;
        continue;
      }
      if (!o) {
        char s[3] = {'-', *p, '\0'};
        return bad(cmd, "unknown option", s);
      }
      const char *val = NULL;
      if (o->takes_arg) {
        if (p[1])
          val = p + 1;
        else if (i + 1 < argc)
          val = argv[++i];
        else {
          char s[3] = {'-', *p, '\0'};
          return bad(cmd, "missing value for", s);
        }
      }
      note(o);
      if ((rc = on_opt(ctx, o->id, val)) != 0)
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
