/* help.c - a command's --help, its option lines made from its table so
 * that the help, the parser and the man page cannot drift apart. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* The columns of the help: the text of an option starts at most here,
 * and lines end before WIDTH. */
#define TEXT_COLUMN_MAX 25
#define WIDTH 79

static int has_id(const cli_opt *opts, int id) {
  for (; opts->id; opts++)
    if (opts->id == id)
      return 1;
  return 0;
}

static size_t aliases_of(const cli_opt *o) {
  size_t n = 0;
  while (o[n + 1].id && !o[n + 1].help)
    n++;
  return n;
}

void cli_help_each(const cli_opt *options, int common,
                   void (*fn)(const cli_opt *o, size_t aliases, void *ctx),
                   void *ctx) {
  int common_done = !common;
  for (const cli_opt *o = options;; o++) {
    int at_help = o->long_name && strcmp(o->long_name, "help") == 0;
    if (!common_done && (at_help || !o->id)) {
      for (const cli_opt *c = cli_common_opts; c->id; c++)
        if (!has_id(options, c->id))
          fn(c, 0, ctx);
      common_done = 1;
    }
    if (!o->id)
      break;
    if (!o->help)
      continue;
    fn(o, aliases_of(o), ctx);
  }
}

/* "  -r, -R, --recursive", "      --drive X:", "      --color[=WHEN]". */
static void label(const cli_opt *o, size_t aliases, char *out, size_t size) {
  size_t n = 0;
  out[0] = '\0';
  n += (size_t)snprintf(out + n, size - n, "  ");
  int first = 1, shorts = 0;
  for (size_t i = 0; i <= aliases; i++)
    if (o[i].short_name) {
      n += (size_t)snprintf(out + n, size - n, "%s-%c", first ? "" : ", ",
                            o[i].short_name);
      first = 0;
      shorts++;
    }
  if (!shorts)
    n += (size_t)snprintf(out + n, size - n, "    ");
  for (size_t i = 0; i <= aliases && n < size; i++)
    if (o[i].long_name) {
      n += (size_t)snprintf(out + n, size - n, "%s--%s", shorts ? ", " : "",
                            o[i].long_name);
      shorts = 1;
    }
  if (o->arg && n < size)
    snprintf(out + n, size - n, "%s%s", o->arg[0] == '[' ? "" : " ", o->arg);
}

typedef struct layout {
  size_t column;   /* where option texts start */
} layout;

static void measure(const cli_opt *o, size_t aliases, void *ctx) {
  layout *l = ctx;
  char buf[128];
  label(o, aliases, buf, sizeof buf);
  size_t want = strlen(buf) + 2;
  if (want > l->column && want <= TEXT_COLUMN_MAX)
    l->column = want;
}

static void print_one(const cli_opt *o, size_t aliases, void *ctx) {
  const layout *l = ctx;
  char buf[128];
  label(o, aliases, buf, sizeof buf);
  size_t at = strlen(buf);
  cli_out(buf);
  const char *p = o->help;
  int first = 1;
  while (*p) {
    /* As many words as fit after the label column. */
    size_t room = WIDTH - l->column, n = strlen(p);
    if (n > room) {
      /* At a space, and not before an option ("xargs -0" stays whole). */
      n = room;
      while (n > 0 && (p[n] != ' ' || p[n + 1] == '-'))
        n--;
      if (n == 0)
        n = strcspn(p, " ");
    }
    if (first && at + 2 > l->column) {
      cli_out("\n");
      at = 0;
    }
    cli_outf("%*s%.*s\n", (int)(l->column - (first ? at : 0)), "", (int)n, p);
    first = 0;
    at = 0;
    p += n;
    while (*p == ' ')
      p++;
  }
}

void cli_help_options(const cli_opt *options, int common) {
  layout l = {0};
  cli_help_each(options, common, measure, &l);
  if (l.column == 0)
    l.column = TEXT_COLUMN_MAX;
  cli_help_each(options, common, print_one, &l);
}

void cli_help_print(const cli_help *h) {
  cli_out(h->head);
  cli_out("\n");
  cli_help_options(h->options, 1);
  if (h->tail) {
    cli_out("\n");
    cli_out(h->tail);
  }
}
