/*
 * fuzz_roundtrip.c - any bytes as a target: encoded as a junction and as a
 * symbolic link, then decoded, it must come back as the target that was
 * meant; and as UTF-16, any unit sequence must survive the trip through
 * escaped UTF-8 unchanged.
 */
#include <string.h>

#include "slink.h"
#include "lib/utf16.h"
#include "fuzz.h"

static void check_link(const char *s, int junction) {
  unsigned char *buf = NULL;
  size_t len = 0;
  slink_reparse rp;
  char *back = NULL;
  int rc = junction ? slink_reparse_encode_junction(s, &buf, &len)
                    : slink_reparse_encode_symlink(s, &buf, &len);
  if (rc < 0) {
    FUZZ_CHECK(buf == NULL);
    return;
  }
  FUZZ_CHECK(len <= SLINK_REPARSE_MAX_SIZE);
  FUZZ_CHECK(slink_reparse_decode(buf, len, &rp) == 0);
  FUZZ_CHECK(rp.tag == (junction ? SLINK_REPARSE_TAG_MOUNT_POINT
                                  : SLINK_REPARSE_TAG_SYMLINK));
  FUZZ_CHECK(slink_reparse_target(&rp, &back) == 0);
  /* The target read back is the print name; both are the input with "/"
   * as "\" and without a \\?\ or \??\ prefix. */
  FUZZ_CHECK(strcmp(back, rp.print_name) == 0);
  FUZZ_CHECK(strlen(back) <= strlen(s));
  for (size_t i = 0; back[i]; i++)
    FUZZ_CHECK(back[i] != '/');
  if (rp.flags & SLINK_REPARSE_SYMLINK_RELATIVE) {
    FUZZ_CHECK(!junction);
    FUZZ_CHECK(strcmp(rp.substitute_name, rp.print_name) == 0);
  } else {
    FUZZ_CHECK(strncmp(rp.substitute_name, "\\??\\", 4) == 0);
  }
  free(back);
  free(buf);
  slink_reparse_free(&rp);
}

static void check_utf16(const uint8_t *data, size_t size) {
  size_t units = size / 2, n8 = 0, n16 = 0;
  char *s8 = NULL;
  uint16_t *w = NULL;
  if (slink__utf16le_to_utf8(data, units * 2, &s8, &n8) < 0)
    return;
  FUZZ_CHECK(slink__wtf8_to_utf16(s8, n8, &w, &n16) == 0);
  FUZZ_CHECK(n16 == units);
  for (size_t i = 0; i < units; i++)
    FUZZ_CHECK(w[i] == (uint16_t)(data[2 * i] | data[2 * i + 1] << 8));
  free(w);
  free(s8);
}

static void check_utf8(const uint8_t *data, size_t size) {
  uint16_t *w = NULL;
  char *s8 = NULL;
  size_t n16 = 0, n8 = 0;
  if (slink__utf8_to_utf16((const char *)data, size, &w, &n16) < 0)
    return;
  FUZZ_CHECK(slink__utf16_to_utf8(w, n16, &s8, &n8) == 0);
  FUZZ_CHECK(n8 == size && memcmp(s8, data, size) == 0);
  free(w);
  free(s8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  check_link(s, 1);
  check_link(s, 0);
  check_utf16(data, size);
  check_utf8(data, size);
  free(s);
  return 0;
}
