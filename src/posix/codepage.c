/* codepage.c - a Windows code page decoded with iconv (glibc's gconv
 * modules know them as CPnnn; the ISO ones Windows numbers 28591..28599,
 * and 65001 is UTF-8). */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>

#include "sys.h"

int slink__os_codepage_utf8(uint32_t cp, const char *s, size_t n, char **out,
                            size_t *len) {
  char name[32];
  if (cp == 65001)
    snprintf(name, sizeof name, "UTF-8");
  else if (cp >= 28591 && cp <= 28599)
    snprintf(name, sizeof name, "ISO-8859-%u", (unsigned)(cp - 28590));
  else
    snprintf(name, sizeof name, "CP%u", (unsigned)cp);
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1)
    return SLINK_ENOTSUP;
  size_t cap = 4 * n + 1, in_left = n, out_left = cap - 1;
  char *buf = malloc(cap), *in = (char *)s, *o = buf;
  int rc = 0;
  if (!buf)
    rc = SLINK_ENOMEM;
  /* Whole and valid, or not at all: no byte is guessed. */
  else if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1 ||
           iconv(cd, NULL, NULL, &o, &out_left) == (size_t)-1)
    rc = errno == ENOMEM ? SLINK_ENOMEM : SLINK_ENOTSUP;
  iconv_close(cd);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  *o = 0;
  *out = buf;
  *len = (size_t)(o - buf);
  return 0;
}
