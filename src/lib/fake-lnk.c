/* fake-lnk.c - shortcuts (.lnk, MS-SHLLINK) read without any OS call.
 *
 * Cygwin's own shortcuts (winsymlinks:lnk, path.cc) are a ShellLinkHeader
 * whose flags say only HasName and HasRelativePath (maybe an ID list),
 * ShowCommand SW_SHOWNORMAL; the name holds the POSIX target in 8 bits and
 * after the string data comes a 16-bit byte count, a BOM and the POSIX
 * target in UTF-16LE, which Cygwin prefers when it is there. Any other
 * shortcut is taken as MS-SHLLINK says: every structure must lie inside
 * the file, and the target is the LinkInfo's local base path (or network
 * share) joined with its common path suffix, or without LinkInfo its
 * relative path, or without either the path its ID list spells
 * (fake-lnk-idlist.c). One that names none points at a shell object or a
 * URL, not at a file: no link. Names are taken in UTF-16 where MS-SHLLINK
 * gives them so (LinkInfo's ...Unicode offsets, StringData with
 * IsUnicode); an 8-bit name is in the code page of the machine that wrote
 * it, which a shortcut records only in a ConsoleFEDataBlock: decoded with
 * that one (slink__os_codepage_utf8), else kept as its bytes and said to
 * be in an unknown code page. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"
#include "lib/utf16.h"

#define HEADER_SIZE 0x4Cu
#define F_IDLIST 0x1u
#define F_LINKINFO 0x2u
#define F_NAME 0x4u
#define F_RELPATH 0x8u
#define F_WORKDIR 0x10u
#define F_ARGS 0x20u
#define F_ICON 0x40u
#define F_UNICODE 0x80u
#define F_NO_LINKINFO 0x100u
#define LI_LOCAL 0x1u
#define LI_NETWORK 0x2u
#define SW_SHOWNORMAL 1u
#define CONSOLE_FE 0xA0000004u /* ConsoleFEDataBlock's signature */

/* How the 8-bit names of one shortcut are read. */
typedef struct ansi {
  uint32_t codepage; /* the ConsoleFEDataBlock's; 0: none recorded */
  int raw;           /* a name with bytes above 0x7F was kept as bytes */
} ansi;

static const unsigned char clsid[16] = {
  0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

static uint32_t u16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t u32(const unsigned char *p) {
  return u16(p) | u16(p + 2) << 16;
}

/* An 8-bit string at B[OFF] inside LIMIT bytes, NUL-terminated. */
static const char *cstr(const unsigned char *b, size_t limit, size_t off,
                        size_t *len) {
  if (off >= limit)
    return NULL;
  const unsigned char *z = memchr(b + off, 0, limit - off);
  if (!z)
    return NULL;
  *len = (size_t)(z - (b + off));
  return (const char *)b + off;
}

/* A UTF-16LE string at B[OFF] inside LIMIT bytes, NUL-terminated: its
 * length in bytes. */
static int wstr(const unsigned char *b, size_t limit, size_t off,
                size_t *bytes) {
  for (size_t k = off; k + 1 < limit; k += 2)
    if (!(b[k] | b[k + 1])) {
      *bytes = k - off;
      return 0;
    }
  return SLINK_ERP_OFFSET;
}

int slink__lnk_append(char **out, size_t *len, const char *s, size_t n) {
  char *t = realloc(*out, *len + n + 1);
  if (!t)
    return SLINK_ENOMEM;
  memcpy(t + *len, s, n);
  *len += n;
  t[*len] = 0;
  *out = t;
  return 0;
}

int slink__lnk_append_utf16(char **out, size_t *len, const unsigned char *b,
                            size_t bytes) {
  char *t;
  size_t tn;
  int rc = slink__utf16le_to_utf8(b, bytes, &t, &tn);
  if (rc < 0)
    return rc;
  rc = slink__lnk_append(out, len, t, tn);
  free(t);
  return rc;
}

/* N bytes of an 8-bit name at S: ASCII as it is, the rest decoded from
 * the code page the shortcut records, else kept as bytes (A->raw). */
static int append_ansi(ansi *a, char **out, size_t *len, const char *s,
                       size_t n) {
  size_t i = 0;
  while (i < n && !((unsigned char)s[i] & 0x80))
    i++;
  if (i < n && a->codepage) {
    char *u;
    size_t un;
    int rc = slink__os_codepage_utf8(a->codepage, s, n, &u, &un);
    if (rc == SLINK_ENOMEM)
      return rc;
    if (rc == 0) {
      rc = slink__lnk_append(out, len, u, un);
      free(u);
      return rc;
    }
  }
  if (i < n)
    a->raw = 1;
  return slink__lnk_append(out, len, s, n);
}

/* The code page a ConsoleFEDataBlock records (MS-SHLLINK 2.5.2), found
 * after the LinkInfo and StringData that start at P; 0 without one. */
static uint32_t recorded_codepage(const unsigned char *b, size_t n, size_t p,
                                  uint32_t flags) {
  if (flags & F_LINKINFO) {
    if (p + 4 > n)
      return 0;
    p += u32(b + p);
  }
  size_t unit = (flags & F_UNICODE) ? 2 : 1;
  for (uint32_t f = F_NAME; f <= F_ICON; f <<= 1)
    if (flags & f) {
      if (p + 2 > n)
        return 0;
      p += 2 + unit * u16(b + p);
    }
  while (p + 8 <= n) {
    size_t size = u32(b + p);
    if (size < 8 || size > n - p)
      return 0;
    if (u32(b + p + 4) == CONSOLE_FE && size >= 12)
      return u32(b + p + 8);
    p += size;
  }
  return 0;
}

/* Cygwin's form: P points after the header (and ID list). */
static int cygwin_target(const unsigned char *b, size_t n, size_t p,
                         char **target, size_t *len) {
  if (p + 2 > n)
    return SLINK_ERP_OFFSET;
  size_t dl = u16(b + p);
  p += 2;
  if (dl == 0 || p + dl > n)
    return SLINK_ERP_OFFSET;
  size_t desc = p;
  p += dl;
  /* Device files (":\\" names) are no links. */
  if (dl >= 2 && b[desc] == ':' && b[desc + 1] == '\\')
    return SLINK_ENOTPATH;
  if (p + 2 > n)
    return SLINK_ERP_OFFSET;
  size_t rl = u16(b + p);
  p += 2 + rl;
  if (p > n)
    return SLINK_ERP_OFFSET;
  if (p + 4 <= n && b[p + 2] == 0xFF && b[p + 3] == 0xFE) {
    /* The count covers the target's units and the NUL path.cc writes
     * after them, not the BOM before them; the target ends at the NUL. */
    size_t wl = u16(b + p);
    size_t start = p + 4, end = start + wl;
    if (end > n)
      end = n;
    size_t k = start;
    while (k + 1 < end && (b[k] | b[k + 1]))
      k += 2;
    if (k == start)
      return SLINK_EFAKE_EMPTY;
    end = k;
    int rc = slink__lnk_append_utf16(target, len, b + start, end - start);
    if (rc < 0)
      return rc;
    for (size_t i = 0; i + 1 < *len; i++)
      if ((unsigned char)(*target)[i] == 0xED &&
          (unsigned char)(*target)[i + 1] >= 0xA0)
        return SLINK_EBADUTF16;
    return 1;
  }
  int rc = slink__lnk_append(target, len, (const char *)b + desc, dl);
  return rc < 0 ? rc : 1;
}

/* The path a LinkInfo structure at B[P] names. */
static int linkinfo_target(const unsigned char *b, size_t n, size_t p,
                           ansi *a, char **target, size_t *len) {
  if (p + 0x1C > n)
    return SLINK_ERP_SHORT;
  size_t size = u32(b + p), hsize = u32(b + p + 4);
  uint32_t flags = u32(b + p + 8);
  if (size < 0x1C || p + size > n || hsize < 0x1C || hsize > size)
    return SLINK_ERP_LENGTH;
  const unsigned char *li = b + p;
  size_t local = u32(li + 16), net = u32(li + 20), suffix = u32(li + 24);
  size_t local_w = 0, suffix_w = 0;
  if (hsize >= 0x24) {
    local_w = u32(li + 28);
    suffix_w = u32(li + 32);
  }
  int rc;
  size_t sl;
  if (flags & LI_LOCAL) {
    if (local_w) {
      size_t bytes;
      if ((rc = wstr(li, size, local_w, &bytes)) < 0 ||
          (rc = slink__lnk_append_utf16(target, len, li + local_w, bytes)) < 0)
        return rc;
    } else {
      const char *s = cstr(li, size, local, &sl);
      if (!s)
        return SLINK_ERP_OFFSET;
      if ((rc = append_ansi(a, target, len, s, sl)) < 0)
        return rc;
    }
  } else if (flags & LI_NETWORK) {
    if (net + 0x14 > size)
      return SLINK_ERP_OFFSET;
    const unsigned char *cn = li + net;
    size_t cnsize = u32(cn), name = u32(cn + 8), name_w = 0;
    if (cnsize < 0x14 || net + cnsize > size)
      return SLINK_ERP_LENGTH;
    if (name > 0x14 && cnsize >= 0x1C)
      name_w = u32(cn + 0x14);
    if (name_w) {
      size_t bytes;
      if ((rc = wstr(cn, cnsize, name_w, &bytes)) < 0 ||
          (rc = slink__lnk_append_utf16(target, len, cn + name_w, bytes)) < 0)
        return rc;
    } else {
      const char *s = cstr(cn, cnsize, name, &sl);
      if (!s)
        return SLINK_ERP_OFFSET;
      if ((rc = append_ansi(a, target, len, s, sl)) < 0)
        return rc;
    }
  } else {
    return SLINK_ENOTPATH;
  }
  /* The suffix, joined with one backslash. */
  size_t before = *len;
  if (suffix_w) {
    size_t bytes;
    if ((rc = wstr(li, size, suffix_w, &bytes)) < 0)
      return rc;
    if (bytes && *len && (*target)[*len - 1] != '\\' &&
        (rc = slink__lnk_append(target, len, "\\", 1)) < 0)
      return rc;
    if ((rc = slink__lnk_append_utf16(target, len, li + suffix_w, bytes)) < 0)
      return rc;
  } else if (suffix) {
    const char *s = cstr(li, size, suffix, &sl);
    if (!s)
      return SLINK_ERP_OFFSET;
    if (sl && *len && (*target)[*len - 1] != '\\' &&
        (rc = slink__lnk_append(target, len, "\\", 1)) < 0)
      return rc;
    if ((rc = append_ansi(a, target, len, s, sl)) < 0)
      return rc;
  }
  (void)before;
  return *len ? 1 : SLINK_ENOTPATH;
}

static int lone_surrogate(const char *t, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if ((unsigned char)t[i] == 0xED && (unsigned char)t[i + 1] >= 0xA0)
      return 1;
  return 0;
}

/* Without LinkInfo (ForceNoLinkInfo), the file is found by its relative
 * path, the second of the StringData strings (MS-SHLLINK 2.4), from the
 * shortcut's own directory. P points after the ID list. */
static int relpath_target(const unsigned char *b, size_t n, size_t p,
                          uint32_t flags, ansi *a, char **target,
                          size_t *len) {
  size_t unit = (flags & F_UNICODE) ? 2 : 1;
  if (flags & F_NAME) {
    if (p + 2 > n)
      return SLINK_ERP_SHORT;
    p += 2 + unit * u16(b + p);
  }
  if (p + 2 > n)
    return SLINK_ERP_SHORT;
  size_t count = u16(b + p);
  p += 2;
  if (count == 0 || p + unit * count > n)
    return SLINK_ERP_OFFSET;
  int rc = unit == 2
               ? slink__lnk_append_utf16(target, len, b + p, 2 * count)
               : append_ansi(a, target, len, (const char *)b + p, count);
  return rc < 0 ? rc : 1;
}

int slink__lnk_decode(const unsigned char *b, size_t n, slink_fake_form *form,
                      char **target, size_t *len) {
  *target = NULL;
  *len = 0;
  if (n < HEADER_SIZE || u32(b) != HEADER_SIZE || memcmp(b + 4, clsid, 16))
    return 0;
  uint32_t flags = u32(b + 0x14);
  size_t p = HEADER_SIZE;
  if (flags & F_IDLIST) {
    if (p + 2 > n)
      return SLINK_ERP_SHORT;
    p += 2 + u16(b + p);
    if (p > n)
      return SLINK_ERP_OFFSET;
  }
  int rc;
  ansi a = {0, 0};
  if ((flags & ~F_IDLIST) == (F_NAME | F_RELPATH) &&
      u32(b + 0x3C) == SW_SHOWNORMAL) {
    *form = SLINK_FORM_LNK_CYGWIN;
    rc = cygwin_target(b, n, p, target, len);
  } else {
    *form = SLINK_FORM_LNK_WINDOWS;
    rc = SLINK_ENOTPATH;
    a.codepage = recorded_codepage(b, n, p, flags);
    if ((flags & F_LINKINFO) && !(flags & F_NO_LINKINFO))
      rc = linkinfo_target(b, n, p, &a, target, len);
    else if (flags & F_RELPATH)
      rc = relpath_target(b, n, p, flags, &a, target, len);
    else if (flags & F_IDLIST)
      rc = slink__lnk_idlist_path(b + HEADER_SIZE + 2, u16(b + HEADER_SIZE),
                                  target, len);
    if (rc == 1 && !a.raw && lone_surrogate(*target, *len))
      rc = SLINK_EBADUTF16;
  }
  if (rc == 1 && *len > SLINK__FAKE_TARGET_MAX)
    rc = SLINK_ENAMETOOLONG;
  if (rc != 1) {
    free(*target);
    *target = NULL;
    *len = 0;
    return rc;
  }
  return a.raw ? 2 : 1;
}
