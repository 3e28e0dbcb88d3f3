/*
 * utf16.c - UTF-8 <-> UTF-16 without the OS, strict on the way in, lossless
 * on the way out. The escape of unpaired surrogates is described in
 * utf16.h.
 */
#include <stdlib.h>
#include <string.h>

#include "slink.h"
#include "lib/utf16.h"

/* Read one code point of UTF-8 at S[*I]; a surrogate code point is
 * returned as is and judged by the caller. */
static int utf8_next(const unsigned char *s, size_t len, size_t *i,
                     uint32_t *cp) {
  size_t k = *i;
  unsigned b = s[k];
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  uint32_t c;
  if (b < 0x80) {
    *cp = b;
    *i = k + 1;
    return 0;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    n = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 2;
    c = b & 0x0F;
    if (b == 0xE0)
      lo = 0xA0; /* shorter forms are overlong */
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 3;
    c = b & 0x07;
    if (b == 0xF0)
      lo = 0x90;
    else if (b == 0xF4)
      hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return SLINK_EBADUTF8;
  }
  if (len - k - 1 < n)
    return SLINK_EBADUTF8;
  for (size_t j = 1; j <= n; j++) {
    unsigned t = s[k + j];
    if (j == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF))
      return SLINK_EBADUTF8;
    c = (c << 6) | (t & 0x3F);
  }
  *cp = c;
  *i = k + 1 + n;
  return 0;
}

static int is_high(uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
static int is_low(uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

/* Convert to UTF-16: into UNITS (host order) or LE (bytes), whichever is
 * not NULL, up to CAP units; *COUNT gets the units needed in all. */
static int encode(const char *str, size_t len, int escapes, uint16_t *units,
                  unsigned char *le, size_t cap, size_t *count) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, n = 0;
  int prev_high_escape = 0;
  while (i < len) {
    uint32_t cp;
    uint16_t u[2];
    size_t m = 1;
    int rc = utf8_next(s, len, &i, &cp);
    if (rc < 0)
      return rc;
    if (is_high(cp) || is_low(cp)) {
      if (!escapes)
        return SLINK_EBADUTF16;
      if (prev_high_escape && is_low(cp))
        return SLINK_EBADUTF8; /* a pair in escapes: not what decode writes */
    }
    prev_high_escape = is_high(cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      u[0] = (uint16_t)(0xD800 | (cp >> 10));
      u[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
      m = 2;
    } else {
      u[0] = (uint16_t)cp;
    }
    for (size_t j = 0; j < m; j++, n++) {
      if (n >= cap)
        continue;
      if (units)
        units[n] = u[j];
      if (le) {
        le[2 * n] = (unsigned char)(u[j] & 0xFF);
        le[2 * n + 1] = (unsigned char)(u[j] >> 8);
      }
    }
  }
  *count = n;
  return 0;
}

static int to_utf16(const char *s, size_t len, int escapes, uint16_t **out,
                    size_t *out_units) {
  size_t n;
  uint16_t *w;
  int rc = encode(s, len, escapes, NULL, NULL, 0, &n);
  *out = NULL;
  if (rc < 0)
    return rc;
  w = malloc((n + 1) * sizeof *w);
  if (!w)
    return SLINK_ENOMEM;
  encode(s, len, escapes, w, NULL, n, &n);
  w[n] = 0;
  *out = w;
  if (out_units)
    *out_units = n;
  return 0;
}

int slink__utf8_to_utf16(const char *s, size_t len, uint16_t **out,
                         size_t *out_units) {
  return to_utf16(s, len, 0, out, out_units);
}

int slink__wtf8_to_utf16(const char *s, size_t len, uint16_t **out,
                         size_t *out_units) {
  return to_utf16(s, len, 1, out, out_units);
}

int slink__utf8_to_utf16le(const char *s, size_t len, unsigned char *dst,
                           size_t cap, size_t *bytes) {
  size_t n;
  int rc = encode(s, len, 0, NULL, dst, dst ? cap / 2 : 0, &n);
  if (rc < 0)
    return rc;
  if (n > SIZE_MAX / 2)
    return SLINK_ETOOBIG;
  *bytes = 2 * n;
  return 2 * n > cap ? SLINK_ETOOBIG : 0;
}

/* Units come from a host-order array or from little-endian bytes. */
static uint32_t unit_at(const uint16_t *w, const unsigned char *le, size_t k) {
  return w ? w[k] : (uint32_t)le[2 * k] | (uint32_t)le[2 * k + 1] << 8;
}

/* Write code point CP as UTF-8 (surrogates as their three-byte form) at
 * D, if D is not NULL; return the byte count. */
static size_t put_utf8(char *d, uint32_t cp) {
  unsigned char b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (unsigned char)cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (unsigned char)(0xC0 | cp >> 6);
    b[1] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (unsigned char)(0xE0 | cp >> 12);
    b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = (unsigned char)(0xF0 | cp >> 18);
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  if (d)
    memcpy(d, b, n);
  return n;
}

static size_t decode(const uint16_t *w, const unsigned char *le, size_t units,
                     char *d) {
  size_t n = 0;
  for (size_t k = 0; k < units; k++) {
    uint32_t u = unit_at(w, le, k);
    if (is_high(u) && k + 1 < units && is_low(unit_at(w, le, k + 1))) {
      u = 0x10000 + ((u - 0xD800) << 10) + (unit_at(w, le, k + 1) - 0xDC00);
      k++;
    }
    n += put_utf8(d ? d + n : NULL, u);
  }
  return n;
}

static int to_utf8(const uint16_t *w, const unsigned char *le, size_t units,
                   char **out, size_t *out_len) {
  size_t n = decode(w, le, units, NULL);
  char *s = malloc(n + 1);
  *out = s;
  if (!s)
    return SLINK_ENOMEM;
  decode(w, le, units, s);
  s[n] = '\0';
  if (out_len)
    *out_len = n;
  return 0;
}

int slink__utf16_to_utf8(const uint16_t *s, size_t units, char **out,
                         size_t *out_len) {
  return to_utf8(s, NULL, units, out, out_len);
}

int slink__utf16le_to_utf8(const unsigned char *b, size_t bytes, char **out,
                           size_t *out_len) {
  *out = NULL;
  if (bytes % 2)
    return SLINK_ERP_ODD;
  return to_utf8(NULL, b, bytes / 2, out, out_len);
}

int slink_utf16_to_utf8(const uint16_t *s, size_t units, char **out) {
  return slink__utf16_to_utf8(s, units, out, NULL);
}
