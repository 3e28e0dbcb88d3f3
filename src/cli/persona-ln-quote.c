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

char *ln_quote(const ln_ctx *c, const char *str, int always) {
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
    if (len == 1 && special(s[i]))
      needs = 1;
    if (s[i] == '\'')
      single = 1;
    else if (len == 1 && strchr("\"$`\\!", s[i]))
      dq_ok = 0;
    i += len;
  }
  sbuf b = {malloc(16), 0, 16};
  if (!needs) {
    put(&b, str, n);
    return b.p;
  }
  if (single && dq_ok && !escapes) {
    /* A name with a single quote and nothing else special: "it's". */
    put(&b, "\"", 1);
    put(&b, str, n);
    put(&b, "\"", 1);
    return b.p;
  }
  put(&b, "'", 1);
  int in_escape = 0;
  for (size_t i = 0; i < n;) {
    size_t len = printable(c, s + i, n - i);
    if (len == 0) {
      if (!in_escape)
        put(&b, "'$'", 3);
      in_escape = 1;
      put_escape(&b, s[i]);
      i++;
      continue;
    }
    if (in_escape)
      put(&b, "''", 2);
    in_escape = 0;
    if (s[i] == '\'')
      put(&b, "'\\''", 4);
    else
      put(&b, (const char *)s + i, len);
    i += len;
  }
  put(&b, "'", 1);
  return b.p;
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
  if (code)
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
  while (slink_path_is_sep(*base))
    base++;
  for (const char *p = base; *p; p++) {
    if (slink_path_is_sep(*p))
      saw_sep = 1;
    else if (saw_sep) {
      base = p;
      saw_sep = 0;
    }
  }
  size_t n = strlen(base);
  while (n > 0 && slink_path_is_sep(base[n - 1]))
    n--;
  *len = n;
  return base;
}
