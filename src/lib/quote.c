/* quote.c - one name, one line: shell-style quoting for text output, so a
 * newline or an invalid byte in a name can never split or fake an entry. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

size_t slink__utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned min;
  unsigned cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2; min = 0x80; cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3; min = 0x800; cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4; min = 0x10000; cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

/* Bytes that make a name need quotes in a shell. */
static int shell_special(unsigned char c, int first) {
  if (first && (c == '~' || c == '#'))
    return 1;
  /* A path separator is part of a name's spelling (Windows' "\\"). */
  if (slink__os_is_sep((char)c))
    return 0;
  return strchr(" !\"$&'()*;<=>?[\\]^`{|}", c) != NULL && c != '\0';
}

static int needs_escape(const unsigned char *s, size_t n, size_t *seq) {
  *seq = slink__utf8_len(s, n);
  if (*seq == 0) {
    *seq = 1;
    return 1;
  }
  if (*seq == 2)
    return s[0] == 0xC2 && s[1] < 0xA0; /* C1 controls, U+0080..U+009F:
                                         * U+009B is a terminal's CSI */
  return *seq == 1 && (s[0] < 0x20 || s[0] == 0x7F);
}

static char *put(char *w, const char *s) {
  size_t l = strlen(s);
  memcpy(w, s, l);
  return w + l;
}

/* Printable ASCII that never needs quoting anywhere in a name: most names
 * are made of these alone, and a scan quotes every name it prints. */
static const unsigned char plain_ascii[128] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
};

static int all_plain_ascii(const unsigned char *s, size_t len) {
  if (len == 0 || s[0] == '~' || s[0] == '#')
    return 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] >= 128 || !plain_ascii[s[i]])
      return 0;
  return 1;
}

char *slink_quote(const char *path, size_t len) {
  const unsigned char *s = (const unsigned char *)path;
  if (all_plain_ascii(s, len))
    return slink__strndup(path, len);
  int plain = len > 0, escapes = 0;
  for (size_t i = 0, seq; i < len; i += seq) {
    if (needs_escape(s + i, len - i, &seq))
      escapes = 1;
    if (escapes || shell_special(s[i], i == 0))
      plain = 0;
  }
  if (plain)
    return slink__strndup(path, len);
  /* Worst case: every byte becomes $'\ooo' between quote pairs. */
  char *r = malloc(len * 12 + 3);
  if (!r)
    return NULL;
  char *w = r;
  int in_single = 0, in_dollar = 0;
  for (size_t i = 0, seq; i < len; i += seq) {
    if (needs_escape(s + i, len - i, &seq)) {
      if (in_single) { *w++ = '\''; in_single = 0; }
      if (!in_dollar) { w = put(w, "$'"); in_dollar = 1; }
      switch (s[i]) {
      case '\n': w = put(w, "\\n"); break;
      case '\t': w = put(w, "\\t"); break;
      case '\r': w = put(w, "\\r"); break;
      case '\a': w = put(w, "\\a"); break;
      case '\b': w = put(w, "\\b"); break;
      case '\f': w = put(w, "\\f"); break;
      case '\v': w = put(w, "\\v"); break;
      case 0x1B: w = put(w, "\\E"); break;
      default:
        for (size_t k = i; k < i + seq; k++) {
          *w++ = '\\';
          *w++ = (char)('0' + (s[k] >> 6));
          *w++ = (char)('0' + ((s[k] >> 3) & 7));
          *w++ = (char)('0' + (s[k] & 7));
        }
      }
      continue;
    }
    if (in_dollar) { *w++ = '\''; in_dollar = 0; }
    if (s[i] == '\'') {
      if (in_single) { *w++ = '\''; in_single = 0; }
      w = put(w, "\\'");
      continue;
    }
    if (!in_single) { *w++ = '\''; in_single = 1; }
    memcpy(w, s + i, seq);
    w += seq;
  }
  if (in_single || in_dollar)
    *w++ = '\'';
  if (w == r)
    w = put(w, "''");
  *w = '\0';
  return r;
}
