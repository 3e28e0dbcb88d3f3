/*
 * utf.c - the codec's UTF-8 <-> UTF-16 conversion in the API's own type.
 * Names from the system may hold unpaired surrogates; they travel as
 * their three-byte escapes (see lib/utf16.h) and reach the same file
 * again. wchar_t is a 16-bit unsigned type on every Windows compiler.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/utf16.h"
#include "win/win.h"

typedef char wchar_is_16_bits[sizeof(wchar_t) == sizeof(uint16_t) ? 1 : -1];

int slink__win_to_utf16(const char *s, size_t len, wchar_t **out,
                        size_t *out_len) {
  uint16_t *w;
  size_t n;
  int rc = slink__wtf8_to_utf16(s, len, &w, &n);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < n; i++)
    if (w[i] == 0) {
      free(w);
      return SLINK_EINVAL;
    }
  *out = (wchar_t *)w;
  if (out_len)
    *out_len = n;
  return 0;
}

int slink__win_to_utf8(const wchar_t *s, size_t len, char **out,
                       size_t *out_len) {
  return slink__utf16_to_utf8((const uint16_t *)s, len, out, out_len);
}
