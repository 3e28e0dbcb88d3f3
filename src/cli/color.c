/* color.c - colours as GNU ls picks them, so that a user's LS_COLORS
 * means the same in slink: "ln" links, "or" links whose target is
 * missing ("ln=target": a link takes its target's colour), "di", "ex",
 * "*.ext" patterns and the rest. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/color.h"
#include "sys.h"

/* The keys slink uses, with GNU ls's built-in colours for when LS_COLORS
 * does not set them (NULL: no colour). */
enum {
  K_LC, K_RC, K_EC, K_RS, K_NO, K_FI, K_DI, K_LN, K_PI, K_SO, K_BD, K_CD,
  K_MI, K_OR, K_EX, K_SU, K_SG, K_ST, K_OW, K_TW, K_MH, K_COUNT
};
static const struct {
  char key[3];
  const char *builtin;
} keys[K_COUNT] = {
  {"lc", "\033["}, {"rc", "m"}, {"ec", NULL}, {"rs", "0"},
  {"no", NULL}, {"fi", NULL}, {"di", "01;34"}, {"ln", "01;36"},
  {"pi", "33"}, {"so", "01;35"}, {"bd", "01;33"}, {"cd", "01;33"},
  {"mi", NULL}, {"or", NULL}, {"ex", "01;32"}, {"su", "37;41"},
  {"sg", "30;43"}, {"st", "37;44"}, {"ow", "34;42"}, {"tw", "30;42"},
  {"mh", NULL},
};

typedef struct pattern {
  char *suffix;
  char *seq;            /* the whole start sequence */
} pattern;

static struct {
  int decided;
  int on;
  cli_color_when when;
  char *value[K_COUNT]; /* from LS_COLORS, or NULL */
  char *seq[K_COUNT];   /* lc value rc, or NULL for no colour */
  char *end;
  int link_as_target;   /* ln=target */
  pattern *patterns;
  size_t npatterns;
  char *state_seq[SLINK_STATE_COUNT];
} st;

int cli_color_parse(const char *when) {
  static const struct {
    const char *word;
    cli_color_when when;
  } words[] = {
    {"auto", CLI_COLOR_AUTO},     {"tty", CLI_COLOR_AUTO},
    {"if-tty", CLI_COLOR_AUTO},   {"always", CLI_COLOR_ALWAYS},
    {"yes", CLI_COLOR_ALWAYS},    {"force", CLI_COLOR_ALWAYS},
    {"never", CLI_COLOR_NEVER},   {"no", CLI_COLOR_NEVER},
    {"none", CLI_COLOR_NEVER},
  };
  if (!when)
    return CLI_COLOR_ALWAYS;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(when, words[i].word) == 0)
      return (int)words[i].when;
  return -1;
}

void cli_color_set(cli_color_when when) {
  cli_color_reset();
  st.when = when;
}

static int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

/* One LS_COLORS field, escapes undone as dircolors writes them:
 * backslash escapes (\e, \033, \x1b, \_ for a space, ...) and carets
 * (^[). Stops at an unescaped STOP or ':'; *P is left there. */
static char *unescape(const char **p, char stop) {
  const char *s = *p;
  char *out = malloc(strlen(s) + 1);
  size_t n = 0;
  if (!out)
    return NULL;
  while (*s && *s != ':' && *s != stop) {
    if (*s == '\\' && s[1]) {
      s++;
      const char *simple = "a\ab\be\033f\fn\nr\rt\tv\v?\177_ ";
      const char *m = strchr(simple, *s);
      if (*s >= '0' && *s <= '7') {
        int v = 0;
        for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
          v = v * 8 + (*s++ - '0');
        out[n++] = (char)v;
        continue;
      }
      if ((*s == 'x' || *s == 'X') && hex(s[1]) >= 0) {
        int v = 0;
        s++;
        for (int i = 0; i < 2 && hex(*s) >= 0; i++, s++)
          v = v * 16 + hex(*s);
        out[n++] = (char)v;
        continue;
      }
      out[n++] = m && ((m - simple) % 2 == 0) ? m[1] : *s;
      s++;
    } else if (*s == '^' && s[1]) {
      s++;
      out[n++] = *s == '?' ? '\177' : (char)(*s & 0x1f);
      s++;
    } else {
      out[n++] = *s++;
    }
  }
  out[n] = '\0';
  *p = s;
  return out;
}

static void add_pattern(char *suffix, char *value) {
  pattern *np = realloc(st.patterns, (st.npatterns + 1) * sizeof *np);
  if (!np) {
    free(suffix);
    free(value);
    return;
  }
  st.patterns = np;
  /* The sequence is completed once lc and rc are known. */
  st.patterns[st.npatterns].suffix = suffix;
  st.patterns[st.npatterns].seq = value;
  st.npatterns++;
}

/* LS_COLORS: "key=value:key=value:*.ext=value:...". A malformed entry
 * ends the parse, as in GNU ls, keeping what came before. */
static void read_ls_colors(const char *s) {
  while (s && *s) {
    if (*s == ':') {
      s++;
      continue;
    }
    if (*s == '*') {
      s++;
      char *suffix = unescape(&s, '=');
      if (!suffix || *s != '=') {
        free(suffix);
        return;
      }
      s++;
      add_pattern(suffix, unescape(&s, 0));
      continue;
    }
    if (!s[0] || !s[1] || s[2] != '=')
      return;
    char key[3] = {s[0], s[1], '\0'};
    s += 3;
    char *value = unescape(&s, 0);
    int known = 0;
    for (int k = 0; k < K_COUNT; k++)
      if (strcmp(key, keys[k].key) == 0) {
        free(st.value[k]);
        st.value[k] = value;
        known = 1;
        break;
      }
    if (!known)
      free(value);
  }
}

static int colored(const char *v) {
  return v && *v && strcmp(v, "0") != 0 && strcmp(v, "00") != 0;
}

static char *sequence(const char *value) {
  const char *lc = st.value[K_LC] ? st.value[K_LC] : keys[K_LC].builtin;
  const char *rc = st.value[K_RC] ? st.value[K_RC] : keys[K_RC].builtin;
  char *s = malloc(strlen(lc) + strlen(value) + strlen(rc) + 1);
  if (s) {
    strcpy(s, lc);
    strcat(s, value);
    strcat(s, rc);
  }
  return s;
}

static int decide_on(void) {
  if (cli_global.json || cli_global.null)
    return 0;
  if (st.when == CLI_COLOR_ALWAYS)
    return 1;
  if (st.when == CLI_COLOR_NEVER)
    return 0;
  const char *no = getenv("NO_COLOR");
  if (no && *no)
    return 0;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0)
    return 0;
  return slink__os_isatty(1);
}

static void decide(void) {
  if (st.decided)
    return;
  st.decided = 1;
  st.on = decide_on();
  if (!st.on)
    return;
  read_ls_colors(getenv("LS_COLORS"));
  if (st.value[K_LN] && strcmp(st.value[K_LN], "target") == 0)
    st.link_as_target = 1;
  for (int k = K_NO; k < K_COUNT; k++) {
    const char *v = st.value[k] ? st.value[k] : keys[k].builtin;
    if (k == K_LN && st.link_as_target)
      v = NULL;
    if (colored(v))
      st.seq[k] = sequence(v);
  }
  if (st.value[K_EC]) {
    st.end = strdup(st.value[K_EC]);
  } else {
    const char *rs = st.value[K_RS] ? st.value[K_RS] : keys[K_RS].builtin;
    st.end = sequence(rs);
  }
  for (size_t i = 0; i < st.npatterns; i++) {
    char *v = st.patterns[i].seq;
    st.patterns[i].seq = colored(v) ? sequence(v) : NULL;
    free(v);
  }
  /* State words: problems in red, doubts in yellow, good news in green.
   * A dangling or looping link is what "or" colours in a listing. */
  static const struct {
    unsigned bit;
    const char *value;
  } states[] = {
    {SLINK_STATE_OK, "32"},           {SLINK_STATE_DANGLING, "01;31"},
    {SLINK_STATE_LOOP, "01;31"},      {SLINK_STATE_DENIED, "33"},
    {SLINK_STATE_MESSY, "33"},        {SLINK_STATE_LENGTHY, "33"},
    {SLINK_STATE_CROSS_DEVICE, "33"}, {SLINK_STATE_ESCAPES, "35"},
    {SLINK_STATE_TOO_LONG, "01;31"},
  };
  for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
    unsigned b = states[i].bit;
    const char *v = states[i].value;
    if ((b == SLINK_STATE_DANGLING || b == SLINK_STATE_LOOP ||
         b == SLINK_STATE_TOO_LONG) &&
        colored(st.value[K_OR]))
      v = st.value[K_OR];
    for (unsigned j = 0; j < SLINK_STATE_COUNT; j++)
      if (b == 1u << j)
        st.state_seq[j] = sequence(v);
  }
}

int cli_color_on(void) {
  decide();
  return st.on;
}

static const char *pattern_for(const char *name) {
  size_t n = strlen(name);
  /* An exact-case match wins over one that ignores case. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < st.npatterns; i++) {
      const pattern *p = &st.patterns[i];
      size_t l = strlen(p->suffix);
      if (l > n)
        continue;
      const char *tail = name + n - l;
      int same = 1;
      for (size_t j = 0; j < l && same; j++) {
        char a = tail[j], b = p->suffix[j];
        if (pass == 1) {
          if (a >= 'A' && a <= 'Z')
            a = (char)(a | 0x20);
          if (b >= 'A' && b <= 'Z')
            b = (char)(b | 0x20);
        }
        same = a == b;
      }
      if (same)
        return p->seq ? p->seq : "";
    }
  return NULL;
}

/* The key for something that is not a link. */
static int plain_key(slink_kind kind, uint32_t mode, uint64_t nlink) {
  switch (kind) {
  case SLINK_KIND_DIR:
    if ((mode & 01002) == 01002 && st.seq[K_TW])
      return K_TW;
    if ((mode & 02) && st.seq[K_OW])
      return K_OW;
    if ((mode & 01000) && st.seq[K_ST])
      return K_ST;
    return K_DI;
  case SLINK_KIND_FILE:
    if ((mode & 04000) && st.seq[K_SU])
      return K_SU;
    if ((mode & 02000) && st.seq[K_SG])
      return K_SG;
    if ((mode & 0111) && st.seq[K_EX])
      return K_EX;
    if (nlink > 1 && st.seq[K_MH])
      return K_MH;
    return K_FI;
  case SLINK_KIND_FIFO: return K_PI;
  case SLINK_KIND_SOCKET: return K_SO;
  case SLINK_KIND_DEVICE: return K_CD;
  case SLINK_KIND_NONE: return K_MI;
  default: return K_NO;
  }
}

const char *cli_color_name(const char *name, slink_kind kind,
                           const slink_info *info) {
  if (!cli_color_on())
    return "";
  int key;
  if (slink_kind_is_link(kind)) {
    int missing = info && (info->states & (SLINK_STATE_DANGLING |
                                           SLINK_STATE_LOOP));
    if (missing && st.seq[K_OR])
      return st.seq[K_OR];
    if (!st.link_as_target || !info)
      return st.seq[K_LN] ? st.seq[K_LN] : "";
    if (missing || !info->resolved)
      return st.seq[K_OR] ? st.seq[K_OR] : "";
    /* ln=target: the colour of what the link leads to; the mode and
     * name that matter are the link's own, which is all slink has. */
    key = plain_key(info->target_kind, 0, 1);
  } else {
    key = plain_key(kind, info ? info->mode : 0, info ? info->nlink : 1);
  }
  if (key == K_FI && name) {
    const char *p = pattern_for(name);
    if (p)
      return p;
  }
  if (!st.seq[key] && key != K_NO && st.seq[K_NO])
    return st.seq[K_NO];
  return st.seq[key] ? st.seq[key] : "";
}

const char *cli_color_end(const char *start) {
  if (!start || !*start || !st.end)
    return "";
  return st.end;
}

const char *cli_color_state(unsigned state_bit) {
  if (!cli_color_on())
    return "";
  for (unsigned j = 0; j < SLINK_STATE_COUNT; j++)
    if (state_bit == 1u << j)
      return st.state_seq[j] ? st.state_seq[j] : "";
  return "";
}

void cli_color_reset(void) {
  cli_color_when when = st.when;
  for (int k = 0; k < K_COUNT; k++) {
    free(st.value[k]);
    free(st.seq[k]);
  }
  for (size_t i = 0; i < st.npatterns; i++) {
    free(st.patterns[i].suffix);
    free(st.patterns[i].seq);
  }
  free(st.patterns);
  for (unsigned j = 0; j < SLINK_STATE_COUNT; j++)
    free(st.state_seq[j]);
  free(st.end);
  memset(&st, 0, sizeof st);
  st.when = when;
}
