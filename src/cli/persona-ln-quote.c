/* persona-ln-quote.c - GNU ln's way of naming files in messages (its
 * shell-escape quoting) and glibc's wording of system errors, so that
 * scripts that match ln's messages keep matching. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona-ln.h"

const char *ln_errno_text(int code) {
  switch (code) {
  case SLINK_ENOENT: case SLINK_ENOPARENT: case SLINK_ENOTARGET:
  case SLINK_EEMPTYPATH:
    return "No such file or directory";
  case SLINK_EEXIST: return "File exists";
  case SLINK_EACCES: return "Permission denied";
  case SLINK_EPERM: case SLINK_EHARDLINKDIR: case SLINK_ENOPRIV:
    return "Operation not permitted";
  case SLINK_ENOTDIR: case SLINK_ETARGETNOTDIR: return "Not a directory";
  case SLINK_EISDIR: case SLINK_ETARGETISDIR: case SLINK_EDIRNOTREPLACED:
    return "Is a directory";
  case SLINK_EXDEV: return "Invalid cross-device link";
  case SLINK_ELOOP: return "Too many levels of symbolic links";
  case SLINK_ENAMETOOLONG: return "File name too long";
  case SLINK_EINVAL: return "Invalid argument";
  case SLINK_ENOMEM: return "Cannot allocate memory";
  case SLINK_ENOSPC: return "No space left on device";
  case SLINK_EDQUOT: return "Disk quota exceeded";
  case SLINK_EROFS: return "Read-only file system";
  case SLINK_EIO: return "Input/output error";
  case SLINK_EBUSY: return "Device or resource busy";
  case SLINK_ENOTEMPTY: return "Directory not empty";
  case SLINK_ENOTSUP: return "Operation not supported";
  case SLINK_EMLINK: return "Too many links";
  default: return slink_strerror(code);
  }
}

/* Characters a shell would take for something else, anywhere in a name. */
static int special(unsigned char ch) {
  return ch != '\0' && strchr(" !\"$&'()*;<=>?[\\^`|", ch) != NULL;
}

/* Whether GNU's quoting may put the character at S[I] of an N-byte name
 * between double quotes unchanged: the test by which a name holding a
 * single quote is written "it's" rather than 'it'\''s'. */
static int dq_compat(unsigned char ch, size_t i, size_t n) {
  if ((ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
    return 1;
  if (strchr("%+,-./:]_ '@", ch))
    return 1;
  if (ch == '#' || ch == '~')
    return i == 0;
  if (ch == '{' || ch == '}')
    return n == 1;
  return 0;
}

/* Length of the printable character at S, 0 when it must be escaped. */
static size_t printable(const ln_ctx *c, const unsigned char *s, size_t n) {
  if (s[0] < 0x80)
    return s[0] >= 0x20 && s[0] != 0x7F;
  if (!c->utf8)
    return 0;
  /* A valid UTF-8 sequence counts as printable, as in a UTF-8 locale. */
  size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  if (len == 0 || len > n || s[0] > 0xF4)
    return 0;
  unsigned cp = s[0] & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
      (cp >= 0x80 && cp < 0xA0))
    return 0;
  return len;
}

typedef struct sbuf {
  char *p;
  size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
  if (!b->p)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      free(b->p);
      b->p = NULL;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void put_escape(sbuf *b, unsigned char ch) {
  static const char names[] = "\aa\bb\ff\nn\rr\tt\vv";
  const char *n = ch ? strchr(names, ch) : NULL;
  char tmp[5];
  if (n && (n - names) % 2 == 0) {
    tmp[0] = '\\';
    tmp[1] = n[1];
    put(b, tmp, 2);
    return;
  }
  tmp[0] = '\\';
  tmp[1] = (char)('0' + (ch >> 6));
  tmp[2] = (char)('0' + ((ch >> 3) & 7));
  tmp[3] = (char)('0' + (ch & 7));
  put(b, tmp, 4);
}

static int pass(sbuf *b, const ln_ctx *c, const unsigned char *s, size_t n,
                int pending);

/* The name quoted; *PROBE gets the length GNU's first, sizing call
 * finds (shorter than the result when the name is written twice). */
static char *quote(const ln_ctx *c, const char *str, int always,
                   size_t *probe);

char *ln_quote(const ln_ctx *c, const char *str, int always) {
  size_t probe;
  return quote(c, str, always, &probe);
}

/* GNU keeps one buffer per slot: slot 0 starts at 256 bytes, the others
 * empty, and each grows to what its first sizing call asked for. A name
 * written twice outgrows what that call found, and the buffer then holds
 * all but its last character (the closing quote), unterminated; fresh
 * memory after it reads as empty, so that is what is printed. */
static size_t slot_size[3] = {256, 0, 0};

char *ln_quote_n(const ln_ctx *c, int slot, const char *str) {
  size_t probe;
  char *q = quote(c, str, 1, &probe);
  if (!q || slot < 0 || slot > 2)
    return q;
  size_t len = strlen(q);
  if (slot_size[slot] > len)
    return q;
  if (slot_size[slot] > 0) {
    slot_size[slot] = len + 1;
    return q;
  }
  slot_size[slot] = probe + 1;
  if (len >= probe + 1)
    q[probe + 1] = '\0';
  return q;
}

static char *quote(const ln_ctx *c, const char *str, int always,
                   size_t *probe) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  int needs = always || n == 0, escapes = 0, single = 0, dq_ok = 1;
  if (n > 0 && (s[0] == '#' || s[0] == '~'))
    needs = 1;
  if (n == 1 && (s[0] == '{' || s[0] == '}'))
    needs = 1;
  for (size_t i = 0; i < n;) {
    size_t len = printable(c, s + i, n - i);
    if (len == 0) {
      escapes = needs = 1;
      i++;
      continue;
    }
    /* quotef also quotes ':' (GNU's quotearg_n_style_colon) */
    if (len == 1 && (special(s[i]) || (!always && s[i] == ':')))
      needs = 1;
    if (s[i] == '\'')
      single = 1;
    if (len == 1 && !dq_compat(s[i], i, n))
      dq_ok = 0;
    i += len;
  }
  sbuf b = {malloc(16), 0, 16};
  if (!needs) {
    put(&b, str, n);
    *probe = b.len;
    return b.p;
  }
  if (single && dq_ok && !escapes) {
    /* A name with a single quote and nothing else special: "it's". */
    put(&b, "\"", 1);
    put(&b, str, n);
    put(&b, "\"", 1);
    *probe = b.len;
    return b.p;
  }
  /* GNU writes such a name twice: a first pass finds the single quote
   * and starts again, but keeps whether an escape ($'...') was left open
   * at the end of the first. So a name that ends in an escaped byte gets
   * a stray '' (or no $' before a first escaped byte) the second time. */
  int pending = single ? pass(&b, c, s, n, 0) : 0;
  *probe = b.len;
  b.len = 0;
  pass(&b, c, s, n, pending);
  if (!single)
    *probe = b.len;
  return b.p;
}

/* One of GNU's passes over S, into B: 'quoted', escapes as $'\n'. Returns
 * whether an escape is open at the end. */
static int pass(sbuf *b, const ln_ctx *c, const unsigned char *s, size_t n,
                int pending) {
  put(b, "'", 1);
  for (size_t i = 0; i < n;) {
    size_t len = printable(c, s + i, n - i);
    if (len == 0) {
      if (!pending)
        put(b, "'$'", 3);
      pending = 1;
      put_escape(b, s[i]);
      i++;
      continue;
    }
    if (s[i] == '\'') {
      put(b, "'\\''", 4); /* closes an open escape too */
      pending = 0;
      i++;
      continue;
    }
    if (pending)
      put(b, "''", 2);
    pending = 0;
    put(b, (const char *)s + i, len);
    i += len;
  }
  put(b, "'", 1);
  return pending;
}

char *ln_quote_locale(const ln_ctx *c, const char *s) {
  const char *open = c->utf8 ? "\xE2\x80\x98" : "'";
  const char *close = c->utf8 ? "\xE2\x80\x99" : "'";
  sbuf b = {malloc(16), 0, 16};
  put(&b, open, strlen(open));
  put(&b, s, strlen(s));
  put(&b, close, strlen(close));
  return b.p;
}

void ln_error(const ln_ctx *c, int code, const char *fmt, ...) {
  char small[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  char *msg = small;
  if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)) != NULL) {
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  if (!msg)
    msg = small;
  if (code > 0)
    cli_errf("%s: %s: %s\n", c->prog, msg, strerror(code));
  else if (code)
    cli_errf("%s: %s: %s\n", c->prog, msg, ln_errno_text(code));
  else
    cli_errf("%s: %s\n", c->prog, msg);
  if (msg != small)
    free(msg);
}

void ln_try_help(const ln_ctx *c) {
  cli_errf("Try '%s --help' for more information.\n", c->prog);
}

const char *ln_last_component(const char *path, size_t *len) {
  const char *base = path;
  int saw_sep = 0;
  while (ln_is_sep(*base))
    base++;
  for (const char *p = base; *p; p++) {
    if (ln_is_sep(*p))
      saw_sep = 1;
    else if (saw_sep) {
      base = p;
      saw_sep = 0;
    }
  }
  size_t n = strlen(base);
  while (n > 0 && ln_is_sep(base[n - 1]))
    n--;
  *len = n;
  return base;
}
