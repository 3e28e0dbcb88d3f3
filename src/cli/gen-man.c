/* gen-man.c - writes a man page's OPTIONS entries from the option tables
 * the program parses with, so that the page cannot tell of an option the
 * program lacks or miss one it has. Run by the build (docs/man):
 *
 *   gen-man PAGE.scd OUT.scd
 *
 * copies PAGE.scd, putting in place of the line that starts "; options of
 * this command" (a comment to scdoc) the entries of the command the page
 * is about (its title line "slink-rm(1)" names it), in place of "; options
 * of every command" those of cli_common_opts and in place of "; options of
 * slink" slink's own (cli_main_opts). A command page without the first
 * line fails, as does a page named for a command the program lacks. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MARK_COMMAND "; options of this command"
#define MARK_COMMON "; options of every command"
#define MARK_MAIN "; options of slink"
#define TEXT_WIDTH 72

/* The names that stand for values (PATH, X, OLD): set in italics. */
typedef struct metas {
  char names[64][32];
  size_t count;
} metas;

static int is_meta(const metas *m, const char *s, size_t n) {
  for (size_t i = 0; i < m->count; i++)
    if (strlen(m->names[i]) == n && memcmp(m->names[i], s, n) == 0)
      return 1;
  return 0;
}

/* Every upper-case word of S that is not an option letter ("-H"). */
static void collect_metas(metas *m, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    int start = i == 0 || (!isalnum((unsigned char)s[i - 1]) && s[i - 1] != '-');
    if (!start || !isupper((unsigned char)s[i]))
      continue;
    size_t n = 0;
    while (i + n < len && (isupper((unsigned char)s[i + n]) ||
                           isdigit((unsigned char)s[i + n])))
      n++;
    if (i + n < len && islower((unsigned char)s[i + n]))
      continue;
    if (n < sizeof m->names[0] && m->count < 64 && !is_meta(m, s + i, n)) {
      memcpy(m->names[m->count], s + i, n);
      m->names[m->count++][n] = '\0';
    }
    i += n;
  }
}

typedef struct buf {
  char *s;
  size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      fputs("gen-man: out of memory\n", stderr);
      exit(1);
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void puts_b(buf *b, const char *s) { put(b, s, strlen(s)); }

/* TEXT in scdoc: "*", "_" and "\" escaped, options ("-r", "--json") in
 * bold, the value names in italics. */
static void marked(buf *b, const char *text, const metas *m) {
  size_t len = strlen(text);
  for (size_t i = 0; i < len;) {
    char prev = i ? text[i - 1] : ' ';
    int boundary = !isalnum((unsigned char)prev) && prev != '-' && prev != '_';
    const char *p = text + i;
    if (boundary && p[0] == '-' &&
        (isalnum((unsigned char)p[1]) ||
         (p[1] == '-' && isalnum((unsigned char)p[2])))) {
      size_t n = p[1] == '-' ? 2 : 1;
      while (isalnum((unsigned char)p[n]) || p[n] == '-')
        n++;
      put(b, "*", 1);
      put(b, p, n);
      put(b, "*", 1);
      i += n;
      continue;
    }
    if (boundary && isupper((unsigned char)p[0])) {
      size_t n = 0;
      while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]))
        n++;
      if (!isalnum((unsigned char)p[n]) && is_meta(m, p, n)) {
        put(b, "_", 1);
        put(b, p, n);
        put(b, "_", 1);
        i += n;
        continue;
      }
    }
    if (*p == '*' || *p == '_' || *p == '\\')
      put(b, "\\", 1);
    put(b, p, 1);
    i++;
  }
}

/* The help phrase as a sentence: a capital first letter, a final stop. */
static char *sentence(const char *help) {
  size_t n = strlen(help);
  char *s = malloc(n + 2);
  if (!s)
    exit(1);
  memcpy(s, help, n + 1);
  s[0] = (char)toupper((unsigned char)s[0]);
  if (n && s[n - 1] != '.')
    strcpy(s + n, ".");
  return s;
}

/* S as lines of at most TEXT_WIDTH, each indented by a tab. Markup never
 * holds a space, so breaking at spaces keeps it whole. */
static void indented(buf *out, const char *s) {
  while (*s) {
    size_t n = strlen(s);
    if (n > TEXT_WIDTH) {
      n = TEXT_WIDTH;
      while (n > 0 && s[n] != ' ')
        n--;
      if (n == 0)
        n = strcspn(s, " ");
    }
    put(out, "\t", 1);
    put(out, s, n);
    put(out, "\n", 1);
    s += n;
    while (*s == ' ')
      s++;
  }
}

typedef struct page {
  buf out;
  metas m;
} page;

static void entry(const cli_opt *o, size_t aliases, void *ctx) {
  page *pg = ctx;
  buf *b = &pg->out;
  int any = 0;
  for (size_t i = 0; i <= aliases; i++)
    if (o[i].short_name) {
      char s[8];
      snprintf(s, sizeof s, "%s*-%c*", any ? ", " : "", o[i].short_name);
      puts_b(b, s);
      any = 1;
    }
  for (size_t i = 0; i <= aliases; i++)
    if (o[i].long_name) {
      puts_b(b, any ? ", *--" : "*--");
      puts_b(b, o[i].long_name);
      puts_b(b, "*");
      any = 1;
    }
  if (o->arg) {
    if (o->arg[0] != '[')
      puts_b(b, " ");
    marked(b, o->arg, &pg->m);
  }
  puts_b(b, "\n");
  buf text = {0};
  char *s = sentence(o->help);
  marked(&text, s, &pg->m);
  indented(b, text.s);
  free(s);
  free(text.s);
  puts_b(b, "\n");
}

/* The usage lines of HEAD: up to the first empty line. */
static size_t usage_len(const char *head) {
  const char *end = strstr(head, "\n\n");
  return end ? (size_t)(end - head) : strlen(head);
}

static void options_of(page *pg, const cli_opt *opts, int common) {
  for (const cli_opt *o = opts; o->id; o++)
    if (o->arg)
      collect_metas(&pg->m, o->arg, strlen(o->arg));
  cli_help_each(opts, common, entry, pg);
  /* The blank line after the last entry is the page's own. */
  if (pg->out.len >= 2 && pg->out.s[pg->out.len - 1] == '\n' &&
      pg->out.s[pg->out.len - 2] == '\n')
    pg->out.s[--pg->out.len] = '\0';
}

static const cli_command *command_of(const char *title) {
  /* "slink-rm(1)" is about rm; "slink(1)" about no one command. */
  if (strncmp(title, "slink-", 6) != 0)
    return NULL;
  size_t n = strcspn(title + 6, "(");
  for (const cli_command *c = cli_commands; c->name; c++)
    if (strlen(c->name) == n && strncmp(c->name, title + 6, n) == 0)
      return c;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fputs("usage: gen-man PAGE.scd OUT.scd\n", stderr);
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  page pg;
  memset(&pg, 0, sizeof pg);
  char line[4096];
  const cli_command *cmd = NULL;
  int lineno = 0, marked_cmd = 0;
  while (fgets(line, sizeof line, in)) {
    lineno++;
    if (lineno == 1) {
      cmd = command_of(line);
      if (!cmd && strncmp(line, "slink-", 6) == 0) {
        fprintf(stderr, "%s: slink has no command of this page's name\n",
                argv[1]);
        return 1;
      }
    }
    if (strncmp(line, MARK_COMMAND, strlen(MARK_COMMAND)) == 0) {
      if (!cmd) {
        fprintf(stderr, "%s:%d: not a command's page\n", argv[1], lineno);
        return 1;
      }
      collect_metas(&pg.m, cmd->help->head, usage_len(cmd->help->head));
      options_of(&pg, cmd->help->options, 1);
      marked_cmd = 1;
    } else if (strncmp(line, MARK_COMMON, strlen(MARK_COMMON)) == 0) {
      options_of(&pg, cli_common_opts, 0);
    } else if (strncmp(line, MARK_MAIN, strlen(MARK_MAIN)) == 0) {
      options_of(&pg, cli_main_opts, 0);
    } else {
      puts_b(&pg.out, line);
    }
  }
  fclose(in);
  if (cmd && !marked_cmd) {
    fprintf(stderr, "%s: no line \"%s\" where its options go\n", argv[1],
            MARK_COMMAND);
    return 1;
  }
  FILE *out = fopen(argv[2], "w");
  if (!out || fwrite(pg.out.s, 1, pg.out.len, out) != pg.out.len ||
      fclose(out) != 0) {
    perror(argv[2]);
    return 1;
  }
  free(pg.out.s);
  return 0;
}
