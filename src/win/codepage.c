/*
 * codepage.c - a Windows code page decoded by the system itself
 * (MultiByteToWideChar, refusing bytes the code page has no character
 * for), then written as UTF-8.
 */
#include <stdlib.h>

#include "win/win.h"

int slink__os_codepage_utf8(uint32_t cp, const char *s, size_t n, char **out,
                            size_t *len) {
  if (n == 0 || n > 0x7FFFFFFFu)
    return SLINK_ENOTSUP;
  int wn = MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, s, (int)n, NULL, 0);
  if (wn <= 0)
    return SLINK_ENOTSUP;
  wchar_t *w = malloc((size_t)wn * sizeof *w);
  if (!w)
    return SLINK_ENOMEM;
  MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, s, (int)n, w, wn);
  int rc = slink__win_to_utf8(w, (size_t)wn, out, len);
  free(w);
  return rc < 0 ? rc : 0;
}
