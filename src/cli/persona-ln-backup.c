/* persona-ln-backup.c - GNU's backups for ln -b: the version control
 * names, the simple suffix and numbered ".~N~" names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona-ln.h"

/* The accepted words, in GNU's order, each with the kind it stands for. */
static const struct {
  const char *word;
  ln_backup kind;
} words[] = {
  {"none", LN_BACKUP_NONE},         {"off", LN_BACKUP_NONE},
  {"simple", LN_BACKUP_SIMPLE},     {"never", LN_BACKUP_SIMPLE},
  {"existing", LN_BACKUP_EXISTING}, {"nil", LN_BACKUP_EXISTING},
  {"numbered", LN_BACKUP_NUMBERED}, {"t", LN_BACKUP_NUMBERED},
};
enum { WORDS = sizeof words / sizeof words[0] };

static void valid_list(const ln_ctx *c) {
  cli_errf("Valid arguments are:");
  for (size_t i = 0; i < WORDS; i++) {
    char *q = ln_quote_locale(c, words[i].word);
    int first = i == 0 || words[i].kind != words[i - 1].kind;
    cli_errf("%s%s", first ? "\n  - " : ", ", q ? q : words[i].word);
    free(q);
  }
  cli_errf("\n");
}

int ln_backup_parse(ln_ctx *c, const char *control, const char *what,
                    ln_backup *out) {
  size_t n = strlen(control);
  int found = -1, ambiguous = 0;
  for (size_t i = 0; i < WORDS; i++) {
    if (strncmp(words[i].word, control, n) != 0)
      continue;
    if (strlen(words[i].word) == n) { /* an exact word wins */
      found = (int)i;
      ambiguous = 0;
      break;
    }
    if (found < 0)
      found = (int)i;
    else if (words[found].kind != words[i].kind)
      ambiguous = 1;
    if (n == 0)
      ambiguous = 1;
  }
  if (found >= 0 && !ambiguous && n > 0) {
    *out = words[found].kind;
    return 0;
  }
  char *qa = ln_quote_locale(c, control), *qw = ln_quote_locale(c, what);
  ln_error(c, 0, "%s argument %s for %s",
           found >= 0 ? "ambiguous" : "invalid", qa ? qa : control,
           qw ? qw : what);
  free(qa);
  free(qw);
  valid_list(c);
  ln_try_help(c);
  return -1;
}

int ln_backup_setup(ln_ctx *c) {
  c->backup = LN_BACKUP_NONE;
  if (c->make_backups) {
    const char *env = getenv("VERSION_CONTROL");
    if (c->backup_arg && *c->backup_arg) {
      if (ln_backup_parse(c, c->backup_arg, "backup type", &c->backup) < 0)
        return -1;
    } else if (env && *env) {
      if (ln_backup_parse(c, env, "$VERSION_CONTROL", &c->backup) < 0)
        return -1;
    } else {
      c->backup = LN_BACKUP_EXISTING;
    }
  }
  /* A suffix holding a directory part would put the backup elsewhere. */
  const char *s = c->suffix ? c->suffix : getenv("SIMPLE_BACKUP_SUFFIX");
  size_t len;
  c->simple_suffix = s && *s && ln_last_component(s, &len) == s ? s : "~";
  return 0;
}

/* The highest N of the "BASE.~N~" names in DIR, 0 when there is none. */
static unsigned long long highest(const char *dir, const char *base) {
  char **names;
  size_t count;
  if (slink_list_dir(dir, &names, &count) < 0)
    return 0;
  size_t bl = strlen(base);
  unsigned long long best = 0;
  for (size_t i = 0; i < count; i++) {
    const char *nm = names[i];
    if (strncmp(nm, base, bl) != 0 || strncmp(nm + bl, ".~", 2) != 0)
      continue;
    const char *p = nm + bl + 2;
    if (*p < '1' || *p > '9')
      continue;
    unsigned long long v = 0;
    while (*p >= '0' && *p <= '9')
      v = v * 10 + (unsigned)(*p++ - '0');
    if (p[0] == '~' && p[1] == '\0' && v > best)
      best = v;
  }
  slink_names_free(names, count);
  return best;
}

char *ln_backup_name(const ln_ctx *c, const char *dir, const char *base) {
  unsigned long long n = 0;
  if (c->backup == LN_BACKUP_NUMBERED || c->backup == LN_BACKUP_EXISTING)
    n = highest(dir, base);
  char tail[32];
  const char *suffix = c->simple_suffix;
  if (c->backup == LN_BACKUP_NUMBERED ||
      (c->backup == LN_BACKUP_EXISTING && n > 0)) {
    snprintf(tail, sizeof tail, ".~%llu~", n + 1);
    suffix = tail;
  }
  size_t bl = strlen(base);
  char *r = malloc(bl + strlen(suffix) + 1);
  if (r) {
    memcpy(r, base, bl);
    strcpy(r + bl, suffix);
  }
  return r;
}
