/*
 * reparse.c - the REPARSE_DATA_BUFFER codec (MS-FSCC 2.1.2). Decoding
 * trusts nothing in the buffer: every length and offset is checked against
 * its size before a byte is read. Encoding writes the layouts Windows
 * itself writes, so other readers (Windows, ntfs-3g, 7-Zip) see what they
 * expect.
 */
#include <stdlib.h>
#include <string.h>

#include "slink.h"
#include "lib/internal.h"
#include "lib/utf16.h"

#define HEADER 8u        /* ReparseTag, ReparseDataLength, Reserved */
#define GUID_HEADER 24u  /* the same plus a GUID, for non-Microsoft tags */
#define NAMES_HEADER 8u  /* the four offsets and lengths of two names */
#define LX_VERSION 2u
#define APPEXEC_MIN_STRINGS 3u

static uint32_t get16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t get32(const unsigned char *p) {
  return get16(p) | get16(p + 2) << 16;
}
static void put16(unsigned char *p, size_t v) {
  p[0] = (unsigned char)(v & 0xFF);
  p[1] = (unsigned char)((v >> 8) & 0xFF);
}
static void put32(unsigned char *p, uint32_t v) {
  put16(p, v & 0xFFFF);
  put16(p + 2, v >> 16);
}

void slink_reparse_free(slink_reparse *rp) {
  if (!rp)
    return;
  free(rp->substitute_name);
  free(rp->print_name);
  free(rp->wsl_target);
  free(rp->app_package);
  free(rp->app_id);
  free(rp->app_target);
  memset(rp, 0, sizeof *rp);
}

/* One UTF-16 name of BYTES bytes at OFF inside the path buffer PB of
 * PB_LEN bytes. Offsets are 16-bit values, so the sums cannot overflow. */
static int get_name(const unsigned char *pb, size_t pb_len, size_t off,
                    size_t bytes, char **out, size_t *out_len) {
  if (off % 2 || bytes % 2)
    return SLINK_ERP_ODD;
  if (off + bytes > pb_len)
    return SLINK_ERP_OFFSET;
  for (size_t i = 0; i < bytes; i += 2)
    if (pb[off + i] == 0 && pb[off + i + 1] == 0)
      return SLINK_ERP_NUL;
  return slink__utf16le_to_utf8(pb + off, bytes, out, out_len);
}

/* Junction and symbolic link: DATA (LEN bytes) starts with the four name
 * offsets and lengths; the names live in the path buffer after FIXED
 * bytes (8, or 12 with a symbolic link's flags). */
static int decode_names(const unsigned char *data, size_t len, size_t fixed,
                        slink_reparse *rp) {
  const unsigned char *pb = data + fixed;
  size_t pb_len = len - fixed;
  int rc = get_name(pb, pb_len, get16(data), get16(data + 2),
                    &rp->substitute_name, &rp->substitute_len);
  if (rc < 0)
    return rc;
  rc = get_name(pb, pb_len, get16(data + 4), get16(data + 6),
                &rp->print_name, &rp->print_len);
  if (rc < 0)
    return rc;
  return rp->substitute_len == 0 ? SLINK_ERP_EMPTY : 0;
}

static int decode_lx(const unsigned char *data, size_t len,
                     slink_reparse *rp) {
  size_t n = len - 4;
  if (len < 4)
    return SLINK_ERP_SHORT;
  rp->version = get32(data);
  if (rp->version != LX_VERSION)
    return SLINK_ERP_VERSION;
  if (n == 0)
    return SLINK_ERP_EMPTY;
  if (memchr(data + 4, 0, n))
    return SLINK_ERP_NUL;
  rp->wsl_target = malloc(n + 1);
  if (!rp->wsl_target)
    return SLINK_ENOMEM;
  memcpy(rp->wsl_target, data + 4, n);
  rp->wsl_target[n] = '\0';
  rp->wsl_target_len = n;
  return 0;
}

/* AppExecLink: a count of strings (at least three) and that many
 * NUL-terminated UTF-16 strings; slink reads the first three. */
static int decode_appexec(const unsigned char *data, size_t len,
                          slink_reparse *rp) {
  char **dst[APPEXEC_MIN_STRINGS] = {&rp->app_package, &rp->app_id,
                                     &rp->app_target};
  size_t pos = 4;
  if (len < 4)
    return SLINK_ERP_SHORT;
  rp->version = get32(data);
  if (rp->version < APPEXEC_MIN_STRINGS)
    return SLINK_ERP_VERSION;
  if ((len - pos) % 2)
    return SLINK_ERP_ODD;
  for (size_t k = 0; k < APPEXEC_MIN_STRINGS; k++) {
    size_t end = pos;
    int rc;
    while (end < len && (data[end] | data[end + 1]))
      end += 2;
    if (end >= len)
      return SLINK_ERP_UNTERMINATED;
    rc = slink__utf16le_to_utf8(data + pos, end - pos, dst[k], NULL);
    if (rc < 0)
      return rc;
    pos = end + 2;
  }
  return rp->app_target[0] ? 0 : SLINK_ERP_EMPTY;
}

int slink_reparse_decode(const void *buf, size_t len, slink_reparse *rp) {
  const unsigned char *b = buf;
  size_t dlen;
  memset(rp, 0, sizeof *rp);
  if (len < HEADER)
    return SLINK_ERP_SHORT;
  if (len > SLINK_REPARSE_MAX_SIZE)
    return SLINK_ETOOBIG;
  rp->tag = get32(b);
  rp->data_len = dlen = get16(b + 4);
  if (rp->tag <= 1)
    return SLINK_ERP_TAG; /* IO_REPARSE_TAG_RESERVED_ZERO and _ONE */
  if (!(rp->tag & 0x80000000u)) {
    /* Third-party tags carry a GUID before their data. */
    if (len < GUID_HEADER)
      return SLINK_ERP_SHORT;
    if (len != GUID_HEADER + dlen)
      return SLINK_ERP_LENGTH;
    rp->kind = SLINK_KIND_REPARSE;
    return 0;
  }
  if (len != HEADER + dlen)
    return SLINK_ERP_LENGTH;
  b += HEADER;
  switch (rp->tag) {
  case SLINK_REPARSE_TAG_MOUNT_POINT:
    rp->kind = SLINK_KIND_JUNCTION;
    if (dlen < NAMES_HEADER)
      return SLINK_ERP_SHORT;
    return decode_names(b, dlen, NAMES_HEADER, rp);
  case SLINK_REPARSE_TAG_SYMLINK:
    rp->kind = SLINK_KIND_SYMLINK;
    if (dlen < NAMES_HEADER + 4)
      return SLINK_ERP_SHORT;
    rp->flags = get32(b + NAMES_HEADER);
    if (rp->flags & ~(uint32_t)SLINK_REPARSE_SYMLINK_RELATIVE)
      return SLINK_ERP_FLAGS;
    return decode_names(b, dlen, NAMES_HEADER + 4, rp);
  case SLINK_REPARSE_TAG_LX_SYMLINK:
    rp->kind = SLINK_KIND_WSL_SYMLINK;
    return decode_lx(b, dlen, rp);
  case SLINK_REPARSE_TAG_APPEXECLINK:
    rp->kind = SLINK_KIND_APP_LINK;
    return decode_appexec(b, dlen, rp);
  default:
    rp->kind = SLINK_KIND_REPARSE;
    return 0;
  }
}

static int is_unc_prefix(const char *s);

/* "X:" at S: a drive, the only NT path with a Win32 form of its own
 * besides UNC ("\??\Volume{...}" has none and is kept whole). */
static int is_drive_letter(const char *s) {
  return ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
         s[1] == ':';
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

int slink_reparse_target(const slink_reparse *rp, char **out) {
  const char *s;
  *out = NULL;
  switch (rp->tag) {
  case SLINK_REPARSE_TAG_MOUNT_POINT:
  case SLINK_REPARSE_TAG_SYMLINK:
    s = rp->substitute_name;
    if (!s)
      return SLINK_ERP_EMPTY;
    if (strncmp(s, "\\??\\", 4) == 0 && is_unc_prefix(s + 4)) {
      /* "\??\UNC\srv\x" is "\\srv\x": keep one backslash, prefix one. */
      *out = dup_n(s + 6, strlen(s + 6));
      if (*out)
        (*out)[0] = '\\';
    } else if (strncmp(s, "\\??\\", 4) == 0 && is_drive_letter(s + 4)) {
      *out = dup_n(s + 4, strlen(s + 4));
    } else if (strncmp(s, "\\??\\", 4) == 0) {
      /* "\??\Volume{...}\x" is "\\?\Volume{...}\x" in Win32 terms. */
      *out = dup_n(s, strlen(s));
      if (*out)
        (*out)[1] = '\\';
    } else {
      *out = dup_n(s, rp->substitute_len);
    }
    break;
  case SLINK_REPARSE_TAG_LX_SYMLINK:
    if (!rp->wsl_target)
      return SLINK_ERP_EMPTY;
    *out = dup_n(rp->wsl_target, rp->wsl_target_len);
    break;
  case SLINK_REPARSE_TAG_APPEXECLINK:
    if (!rp->app_target)
      return SLINK_ERP_EMPTY;
    *out = dup_n(rp->app_target, strlen(rp->app_target));
    break;
  default:
    return SLINK_ERP_TAG;
  }
  return *out ? 0 : SLINK_ENOMEM;
}

/* Build a junction (names each followed by a NUL, substitute first) or a
 * symbolic link (print name first, no NULs), as Windows lays them out. */
static int encode_names(uint32_t tag, const char *subst, const char *print,
                        uint32_t flags, unsigned char **buf, size_t *len) {
  int is_link = tag == SLINK_REPARSE_TAG_SYMLINK;
  size_t fixed = HEADER + NAMES_HEADER + (is_link ? 4 : 0);
  size_t nul = is_link ? 0 : 2;
  size_t sb, pb, total, s_off, p_off;
  unsigned char *b;
  int rc;
  *buf = NULL;
  if (!subst || !*subst)
    return SLINK_EEMPTYPATH;
  if (!print)
    print = "";
  if ((rc = slink__utf8_to_utf16le(subst, strlen(subst), NULL, 0, &sb)) < 0 &&
      rc != SLINK_ETOOBIG)
    return rc;
  if ((rc = slink__utf8_to_utf16le(print, strlen(print), NULL, 0, &pb)) < 0 &&
      rc != SLINK_ETOOBIG)
    return rc;
  if (sb > SLINK_REPARSE_MAX_SIZE || pb > SLINK_REPARSE_MAX_SIZE)
    return SLINK_ETOOBIG;
  total = fixed + sb + nul + pb + nul;
  if (total > SLINK_REPARSE_MAX_SIZE)
    return SLINK_ETOOBIG;
  b = calloc(1, total);
  if (!b)
    return SLINK_ENOMEM;
  s_off = is_link ? pb : 0;
  p_off = is_link ? 0 : sb + nul;
  put32(b, tag);
  put16(b + 4, total - HEADER);
  put16(b + 8, s_off);
  put16(b + 10, sb);
  put16(b + 12, p_off);
  put16(b + 14, pb);
  if (is_link)
    put32(b + 16, flags);
  slink__utf8_to_utf16le(subst, strlen(subst), b + fixed + s_off, sb, &sb);
  slink__utf8_to_utf16le(print, strlen(print), b + fixed + p_off, pb, &pb);
  *buf = b;
  *len = total;
  return 0;
}

/* TARGET with "/" made "\" and the Win32 or NT prefix ("\\?\", "\\.\",
 * "\??\") removed; *PREFIXED says whether there was one. */
static char *windows_form(const char *target, int *prefixed) {
  size_t n = strlen(target);
  char *s = dup_n(target, n);
  if (!s)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/')
      s[i] = '\\';
  *prefixed = strncmp(s, "\\\\?\\", 4) == 0 || strncmp(s, "\\\\.\\", 4) == 0 ||
              strncmp(s, "\\??\\", 4) == 0;
  if (*prefixed)
    memmove(s, s + 4, n - 4 + 1);
  return s;
}

static int is_drive_absolute(const char *s) {
  return ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
         s[1] == ':' && s[2] == '\\';
}

static int is_unc_prefix(const char *s) {
  return (s[0] == 'U' || s[0] == 'u') && (s[1] == 'N' || s[1] == 'n') &&
         (s[2] == 'C' || s[2] == 'c') && s[3] == '\\';
}

static int has_dot_step(const char *s) {
  for (const char *p = s; *p;) {
    const char *e = strchr(p, '\\');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
      return 1;
    p += n + (e != NULL);
  }
  return 0;
}

static char *cat3(const char *a, const char *b, const char *c) {
  size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
  char *d = malloc(na + nb + nc + 1);
  if (d) {
    memcpy(d, a, na);
    memcpy(d + na, b, nb);
    memcpy(d + na + nb, c, nc + 1);
  }
  return d;
}

int slink_reparse_encode_junction(const char *target, unsigned char **buf,
                                  size_t *len) {
  int prefixed, rc;
  char *path, *subst;
  *buf = NULL;
  if (!target || !*target)
    return SLINK_EEMPTYPATH;
  path = windows_form(target, &prefixed);
  if (!path)
    return SLINK_ENOMEM;
  /* A junction is resolved by the NT object manager from the volume: it
   * needs a drive; a share or a relative path is refused by Windows. */
  if (!is_drive_absolute(path)) {
    free(path);
    return SLINK_ERELJUNCTION;
  }
  /* MS-FSCC 2.1.2.5: a mount point's names hold no "." or ".." step. */
  if (has_dot_step(path)) {
    free(path);
    return SLINK_EINVAL;
  }
  subst = cat3("\\??\\", path, "");
  rc = subst ? encode_names(SLINK_REPARSE_TAG_MOUNT_POINT, subst, path, 0,
                            buf, len)
             : SLINK_ENOMEM;
  free(subst);
  free(path);
  return rc;
}

int slink_reparse_encode_symlink(const char *target, unsigned char **buf,
                                 size_t *len) {
  int prefixed, rc;
  char *path, *subst = NULL, *print = NULL;
  uint32_t flags = 0;
  *buf = NULL;
  if (!target || !*target)
    return SLINK_EEMPTYPATH;
  path = windows_form(target, &prefixed);
  if (!path)
    return SLINK_ENOMEM;
  if (prefixed && is_unc_prefix(path)) {
    subst = cat3("\\??\\UNC\\", path + 4, "");
    print = cat3("\\\\", path + 4, "");
  } else if (prefixed && !is_drive_letter(path)) {
    /* Another NT path ("\\?\Volume{...}\x"): only the long form names it. */
    subst = cat3("\\??\\", path, "");
    print = cat3("\\\\?\\", path, "");
  } else if (prefixed || is_drive_absolute(path)) {
    subst = cat3("\\??\\", path, "");
    print = cat3(path, "", "");
  } else if (path[0] == '\\' && path[1] == '\\') {
    subst = cat3("\\??\\UNC\\", path + 2, "");
    print = cat3(path, "", "");
  } else {
    /* Relative to the link's directory (also "\x", from the root of the
     * link's drive, and "C:x"): Windows stores these as given. */
    flags = SLINK_REPARSE_SYMLINK_RELATIVE;
    subst = cat3(path, "", "");
    print = cat3(path, "", "");
  }
  rc = subst && print ? encode_names(SLINK_REPARSE_TAG_SYMLINK, subst, print,
                                     flags, buf, len)
                      : SLINK_ENOMEM;
  free(subst);
  free(print);
  free(path);
  return rc;
}

static int encode_lx(const slink_reparse *rp, unsigned char **buf,
                     size_t *len) {
  size_t n = rp->wsl_target_len, total = HEADER + 4 + n;
  unsigned char *b;
  if (!rp->wsl_target || n == 0)
    return SLINK_EEMPTYPATH;
  if (memchr(rp->wsl_target, 0, n))
    return SLINK_EINVAL;
  if (total > SLINK_REPARSE_MAX_SIZE)
    return SLINK_ETOOBIG;
  b = malloc(total);
  if (!b)
    return SLINK_ENOMEM;
  put32(b, SLINK_REPARSE_TAG_LX_SYMLINK);
  put16(b + 4, total - HEADER);
  put16(b + 6, 0);
  put32(b + 8, LX_VERSION);
  memcpy(b + 12, rp->wsl_target, n);
  *buf = b;
  *len = total;
  return 0;
}

int slink_reparse_encode(const slink_reparse *rp, unsigned char **buf,
                         size_t *len) {
  *buf = NULL;
  switch (rp->tag) {
  case SLINK_REPARSE_TAG_MOUNT_POINT:
    return encode_names(rp->tag, rp->substitute_name, rp->print_name, 0, buf,
                        len);
  case SLINK_REPARSE_TAG_SYMLINK:
    if (rp->flags & ~(uint32_t)SLINK_REPARSE_SYMLINK_RELATIVE)
      return SLINK_ERP_FLAGS;
    return encode_names(rp->tag, rp->substitute_name, rp->print_name,
                        rp->flags, buf, len);
  case SLINK_REPARSE_TAG_LX_SYMLINK:
    return encode_lx(rp, buf, len);
  default:
    return SLINK_ERP_TAG;
  }
}

int slink__reparse_is_volume(uint32_t tag, const char *subst) {
  static const char prefix[] = "\\??\\volume{";
  if (tag != SLINK_REPARSE_TAG_MOUNT_POINT || !subst)
    return 0;
  for (size_t i = 0; prefix[i]; i++) {
    char c = subst[i];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != prefix[i])
      return 0;
  }
  return 1;
}
