/* fake-cygwin.c - Cygwin's symbolic link files, as winsup/cygwin/path.cc
 * writes and reads them (the format, not its code):
 *   sys    "!<symlink>" FF FE, the UTF-16LE target, 00 00, and the file
 *          marked FILE_ATTRIBUTE_SYSTEM (winsymlinks:sys, the default);
 *   8-bit  "!<symlink>", the target in the 8-bit charset, 00 (before
 *          Cygwin 1.7; still read);
 *   Interix "IntxLNK\1", the UTF-16LE target to the end of the file (Interix
 *          and SFU; what ntfs-3g writes for ln -s), also marked SYSTEM.
 * Cygwin takes the target up to the first NUL and refuses one longer than
 * SYMLINK_MAX; here a missing terminator is an error, not a guess. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"
#include "lib/utf16.h"

#define COOKIE "!<symlink>"
#define COOKIE_LEN 10
#define INTERIX "IntxLNK\1"
#define INTERIX_LEN 8

/* A UTF-16 escape (an unpaired surrogate) in decoded text. */
static int has_lone_surrogate(const char *s, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if ((unsigned char)s[i] == 0xED && (unsigned char)s[i + 1] >= 0xA0)
      return 1;
  return 0;
}

/* UTF-16LE units at B (N bytes) up to the first 0 unit; TERMINATED says
 * whether that unit must be there. */
static int utf16_target(const unsigned char *b, size_t n, int terminated,
                        char **target, size_t *len) {
  size_t k = 0;
  while (k + 1 < n && (b[k] | b[k + 1]))
    k += 2;
  if (terminated && k + 1 >= n)
    return SLINK_EFAKE_UNTERMINATED;
  if (!terminated && k + 1 >= n && (n & 1))
    return SLINK_EBADUTF16; /* half a code unit at the end */
  if (k == 0)
    return SLINK_EFAKE_EMPTY;
  char *t;
  size_t tn;
  int rc = slink__utf16le_to_utf8(b, k, &t, &tn);
  if (rc < 0)
    return rc;
  if (has_lone_surrogate(t, tn)) {
    free(t);
    return SLINK_EBADUTF16;
  }
  if (tn > SLINK__FAKE_TARGET_MAX) {
    free(t);
    return SLINK_ENAMETOOLONG;
  }
  *target = t;
  *len = tn;
  return 1;
}

int slink__cygwin_decode(const unsigned char *b, size_t n,
                         slink_fake_form *form, char **target, size_t *len) {
  *target = NULL;
  *len = 0;
  if (n >= COOKIE_LEN && memcmp(b, COOKIE, COOKIE_LEN) == 0) {
    b += COOKIE_LEN;
    n -= COOKIE_LEN;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
      *form = SLINK_FORM_CYGWIN_SYS;
      return utf16_target(b + 2, n - 2, 1, target, len);
    }
    *form = SLINK_FORM_CYGWIN_8BIT;
    const unsigned char *z = memchr(b, 0, n);
    if (!z)
      return SLINK_EFAKE_UNTERMINATED;
    size_t k = (size_t)(z - b);
    if (k == 0)
      return SLINK_EFAKE_EMPTY;
    if (k > SLINK__FAKE_TARGET_MAX)
      return SLINK_ENAMETOOLONG;
    if (!(*target = slink__strndup((const char *)b, k)))
      return SLINK_ENOMEM;
    *len = k;
    return 1;
  }
  if (n >= INTERIX_LEN && memcmp(b, INTERIX, INTERIX_LEN) == 0) {
    *form = SLINK_FORM_INTERIX;
    return utf16_target(b + INTERIX_LEN, n - INTERIX_LEN, 0, target, len);
  }
  return 0;
}

/* HEAD (HL bytes), TARGET in UTF-16LE, then NUL zero bytes. */
static int encode(const char *head, size_t hl, size_t nul, const char *target,
                  size_t len, unsigned char **buf, size_t *n) {
  size_t bytes;
  if (len == 0)
    return SLINK_EFAKE_EMPTY;
  int rc = slink__utf8_to_utf16le(target, len, NULL, 0, &bytes);
  if (rc < 0 && rc != SLINK_ETOOBIG)
    return rc;
  unsigned char *b = calloc(1, hl + bytes + nul + 1);
  if (!b)
    return SLINK_ENOMEM;
  memcpy(b, head, hl);
  if ((rc = slink__utf8_to_utf16le(target, len, b + hl, bytes, &bytes)) < 0) {
    free(b);
    return rc;
  }
  *buf = b;
  *n = hl + bytes + nul;
  return 0;
}

int slink__cygwin_encode(const char *target, size_t len, unsigned char **buf,
                         size_t *n) {
  /* the cookie, the BOM; the NUL sys_mbstowcs writes and counts */
  return encode(COOKIE "\xFF\xFE", COOKIE_LEN + 2, 2, target, len, buf, n);
}

int slink__interix_encode(const char *target, size_t len, unsigned char **buf,
                          size_t *n) {
  return encode(INTERIX, INTERIX_LEN, 0, target, len, buf, n);
}
