/* fake-lnk-idlist.c - a shortcut's LinkTargetIDList (MS-SHLLINK 2.2),
 * read far enough to say what it names when the shortcut has no LinkInfo
 * and no relative path. Each ItemID is a 16-bit size and a shell item
 * whose first byte is its class (the layouts are Windows' shell items as
 * the forensic literature documents them, not a code of ours to match):
 *   0x1F  a root folder: a sort index, then the folder's CLSID;
 *   0x2F  a volume: "X:\" in 8 bits;
 *   0x31, 0x32  a directory or file entry: size, FAT time, attributes,
 *         the short name (8-bit, or UTF-16 when 0x04 is set), then an
 *         extension block 0xBEEF0004 that holds the long name in UTF-16;
 *   0x61  a URI, 0x71 a Control Panel item, 0x2E a delegate folder.
 * This PC, a volume and file entries spell a path; anything else is a
 * shell object, named here for the message. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"
#include "lib/utf16.h"

static uint32_t u16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t u32(const unsigned char *p) {
  return u16(p) | u16(p + 2) << 16;
}

/* Root folders by CLSID (as stored: the first three fields little-endian). */
static const struct {
  unsigned char clsid[16];
  const char *name;
} roots[] = {
  {{0xE0, 0x4F, 0xD0, 0x20, 0xEA, 0x3A, 0x69, 0x10, 0xA2, 0xD8, 0x08, 0x00,
    0x2B, 0x30, 0x30, 0x9D}, "This PC"},
  {{0x20, 0x20, 0xEC, 0x21, 0xEA, 0x3A, 0x69, 0x10, 0xA2, 0xDD, 0x08, 0x00,
    0x2B, 0x30, 0x30, 0x9D}, "Control Panel"},
  {{0x68, 0x06, 0xEE, 0x26, 0x0A, 0xA0, 0xD7, 0x44, 0x93, 0x71, 0xBE, 0xB0,
    0x64, 0xC9, 0x86, 0x83}, "Control Panel"},
  {{0x60, 0x2C, 0x8D, 0x20, 0xEA, 0x3A, 0x69, 0x10, 0xA2, 0xD7, 0x08, 0x00,
    0x2B, 0x30, 0x30, 0x9D}, "Network"},
  {{0x80, 0x53, 0x1C, 0x87, 0xA0, 0x42, 0x69, 0x10, 0xA2, 0xEA, 0x08, 0x00,
    0x2B, 0x30, 0x30, 0x9D}, "the Internet"},
  {{0x40, 0xF0, 0x5F, 0x64, 0x81, 0x50, 0x1B, 0x10, 0x9F, 0x08, 0x00, 0xAA,
    0x00, 0x2F, 0x95, 0x4E}, "the Recycle Bin"},
  {{0xBA, 0x8F, 0x0D, 0x45, 0x25, 0xAD, 0xD0, 0x11, 0x98, 0xA8, 0x08, 0x00,
    0x36, 0x1B, 0x11, 0x03}, "Documents"},
  {{0x47, 0x1A, 0x03, 0x59, 0x72, 0x3F, 0xA7, 0x44, 0x89, 0xC5, 0x55, 0x95,
    0xFE, 0x6B, 0x30, 0xEE}, "the user's folder"},
};

#define THIS_PC 0

/* The ItemIDs of the list at B (N bytes, after its 16-bit size): each
 * item's offset and size in turn; 0 at the terminal item, -1 past N. */
static int next_item(const unsigned char *b, size_t n, size_t *at,
                     size_t *size) {
  if (*at + 2 > n)
    return -1;
  *size = u16(b + *at);
  if (*size == 0)
    return 0;
  if (*size < 3 || *at + *size > n)
    return -1;
  return 1;
}

static int root_of(const unsigned char *it, size_t size) {
  if (size < 2 + 2 + 16 || it[2] != 0x1F)
    return -1;
  for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
    if (memcmp(it + 4, roots[i].clsid, 16) == 0)
      return (int)i;
  return -1;
}

/* A file entry's long name from its 0xBEEF0004 block, else its short one. */
static int entry_name(const unsigned char *it, size_t size, char **out,
                      size_t *len) {
  if (size < 14 + 1)
    return SLINK_ENOTPATH;
  size_t p = 14, k;
  int wide = it[2] & 0x04;
  size_t short_at = p, short_len;
  if (wide) {
    for (k = p; k + 1 < size && (it[k] | it[k + 1]); k += 2)
      ;
    if (k + 1 >= size)
      return SLINK_ENOTPATH;
    short_len = k - p;
    p = k + 2;
  } else {
    const unsigned char *z = memchr(it + p, 0, size - p);
    if (!z)
      return SLINK_ENOTPATH;
    short_len = (size_t)(z - (it + p));
    p = short_len + p + 1;
    p += p & 1; /* padded to 16 bits */
  }
  if (p + 22 <= size && u32(it + p + 4) == 0xBEEF0004u) {
    size_t bs = u16(it + p), v = u16(it + p + 2);
    size_t at = 18 + (v >= 7 ? 18 : 0) + (v >= 3 ? 2 : 0) + (v >= 9 ? 4 : 0) +
                (v >= 8 ? 4 : 0);
    if (bs <= size - p && at < bs) {
      const unsigned char *blk = it + p;
      for (k = at; k + 1 < bs && (blk[k] | blk[k + 1]); k += 2)
        ;
      if (k + 1 < bs && k > at) {
        return slink__lnk_append_utf16(out, len, blk + at, k - at);
      }
    }
  }
  if (!short_len)
    return SLINK_ENOTPATH;
  return wide ? slink__lnk_append_utf16(out, len, it + short_at, short_len)
              : slink__lnk_append(out, len, (const char *)it + short_at,
                                  short_len);
}

int slink__lnk_idlist_path(const unsigned char *b, size_t n, char **target,
                           size_t *len) {
  size_t at = 0, size;
  int rc = next_item(b, n, &at, &size);
  if (rc <= 0 || root_of(b + at, size) != THIS_PC)
    return SLINK_ENOTPATH;
  at += size;
  /* The volume: "X:\" */
  if (next_item(b, n, &at, &size) <= 0 || (b[at + 2] & 0x70) != 0x20 ||
      size < 3 + 3 || b[at + 4] != ':' || b[at + 5] != '\\')
    return SLINK_ENOTPATH;
  char drive[3] = {(char)b[at + 3], ':', 0};
  if ((rc = slink__lnk_append(target, len, drive, 2)) < 0)
    return rc;
  at += size;
  int files = 0;
  while ((rc = next_item(b, n, &at, &size)) > 0) {
    if ((b[at + 2] & 0x70) != 0x30) /* not a file entry */
      return SLINK_ENOTPATH;
    if ((rc = slink__lnk_append(target, len, "\\", 1)) < 0 ||
        (rc = entry_name(b + at, size, target, len)) < 0)
      return rc;
    files++;
    at += size;
  }
  if (rc < 0)
    return SLINK_ERP_OFFSET;
  if (!files && (rc = slink__lnk_append(target, len, "\\", 1)) < 0)
    return rc;
  return 1;
}

const char *slink__lnk_object(const unsigned char *b, size_t n) {
  if (n < 0x4C + 2 || !(u32(b + 0x14) & 0x1u))
    return "nothing a shortcut's ID list names";
  size_t ln = u16(b + 0x4C), at = 0, size;
  const unsigned char *l = b + 0x4C + 2;
  if (0x4C + 2 + ln > n)
    return "nothing a shortcut's ID list names";
  if (next_item(l, ln, &at, &size) <= 0)
    return "an empty ID list";
  int root = root_of(l + at, size);
  at += size;
  if (next_item(l, ln, &at, &size) > 0) {
    switch (l[at + 2]) {
    case 0x61: return "a URL";
    case 0x71: return "a Control Panel item";
    case 0x2E: return "a shell folder";
    default: break;
    }
    if (root == THIS_PC)
      return "a shell object in This PC";
  }
  return root >= 0 ? roots[root].name : "a shell folder";
}
