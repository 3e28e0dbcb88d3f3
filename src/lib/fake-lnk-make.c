/* fake-lnk-make.c - the shortcut Cygwin writes for winsymlinks:lnk, laid
 * out as winsup/cygwin/path.cc (symlink_worker) lays it (the format, not
 * its code): a ShellLinkHeader (0x4C bytes, the shortcut CLSID) whose
 * flags say HasName and HasRelativePath, every other field 0 but
 * ShowCommand SW_SHOWNORMAL; then three 8-bit strings, each after a 16-bit
 * byte count and without a NUL: the name (the POSIX target, or
 * "[path too long]" past MAX_PATH bytes), the relative path (the target
 * as Windows names it); then the long-path tail Cygwin reads first: a
 * 16-bit byte count, the BOM FF FE and the POSIX target in UTF-16LE with
 * its NUL, the count covering the units and the NUL but not the BOM.
 * Cygwin puts an ID list first when the Windows shell parses the
 * target's absolute Windows path (the desktop folder's ParseDisplayName:
 * on Windows, for a target that exists): HasLinkTargetIDList joins the
 * flags, and after the header come the list's 16-bit size and the list
 * with its terminal ID; nothing else changes. The shell is asked here the
 * same way (slink__os_shell_idlist; none on POSIX, where a shortcut is the
 * form Cygwin writes when the shell does not know the target). The file
 * is marked FILE_ATTRIBUTE_READONLY (convert.c), which Cygwin requires. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"
#include "lib/utf16.h"

#define HEADER_SIZE 0x4Cu
#define FLAGS (0x4u | 0x8u) /* HasName | HasRelativePath */
#define F_IDLIST 0x1u      /* HasLinkTargetIDList */
#define SW_SHOWNORMAL 1u
#define MAX_PATH 260u
#define TOO_LONG "[path too long]"

static const unsigned char clsid[16] = {
  0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

static unsigned char *put16(unsigned char *p, size_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  return p + 2;
}

static unsigned char *put_counted(unsigned char *p, const char *s, size_t n) {
  p = put16(p, n);
  memcpy(p, s, n);
  return p + n;
}

int slink__lnk_layout(const char *target, size_t len, const char *winpath,
                      const unsigned char *idlist, size_t idlen,
                      unsigned char **buf, size_t *n) {
  size_t wbytes, rl = strlen(winpath);
  if (len == 0 || rl == 0)
    return SLINK_EFAKE_EMPTY;
  if (len > SLINK__FAKE_TARGET_MAX || rl > 0xFFFFu || idlen > 0xFFFFu)
    return SLINK_ENAMETOOLONG;
  int rc = slink__utf8_to_utf16le(target, len, NULL, 0, &wbytes);
  if (rc < 0 && rc != SLINK_ETOOBIG)
    return rc;
  const char *desc = len > MAX_PATH ? TOO_LONG : target;
  size_t dl = len > MAX_PATH ? strlen(TOO_LONG) : len;
  size_t ids = idlen ? 2 + idlen : 0;
  size_t total = HEADER_SIZE + ids + 2 + dl + 2 + rl + 2 + 2 + wbytes + 2;
  unsigned char *b = calloc(1, total);
  if (!b)
    return SLINK_ENOMEM;
  b[0] = HEADER_SIZE;
  memcpy(b + 4, clsid, sizeof clsid);
  b[0x14] = FLAGS | (idlen ? F_IDLIST : 0);
  b[0x3C] = SW_SHOWNORMAL;
  unsigned char *p = b + HEADER_SIZE;
  if (idlen)
    p = put_counted(p, (const char *)idlist, idlen);
  p = put_counted(p, desc, dl);
  p = put_counted(p, winpath, rl);
  p = put16(p, wbytes + 2);
  *p++ = 0xFF;
  *p++ = 0xFE;
  if ((rc = slink__utf8_to_utf16le(target, len, p, wbytes, &wbytes)) < 0) {
    free(b);
    return rc;
  }
  *buf = b; /* the NUL unit is the calloc'd end */
  *n = total;
  return 0;
}

/* Cygwin hands the shell only the absolute Windows path it records. */
static int absolute(const char *w) {
  return (w[0] && w[1] == ':' && w[2] == '\\') ||
         (w[0] == '\\' && w[1] == '\\');
}

int slink__lnk_encode(const char *target, size_t len, const char *winpath,
                      unsigned char **buf, size_t *n) {
  unsigned char *ids = NULL;
  size_t idlen = 0;
  int rc = absolute(winpath)
               ? slink__os_shell_idlist(winpath, &ids, &idlen)
               : 0;
  if (rc < 0)
    return rc;
  rc = slink__lnk_layout(target, len, winpath, ids, rc ? idlen : 0, buf, n);
  free(ids);
  return rc;
}

/* The Windows path a shortcut in the canonical directory DIR records for
 * TARGET: with a drive or share, the absolute path Cygwin's path_conv
 * gives (DIR joined with a relative target, "." and ".." resolved, "\\"
 * separators; ".." stops at the drive or the share); elsewhere the target
 * itself with "\\" for "/", which Windows resolves from the shortcut's
 * own folder (MS-SHLLINK 2.4). */
int slink__lnk_winpath(const char *dir, const char *target, char **out) {
  int unc = dir && dir[0] == '\\' && dir[1] == '\\';
  int windows_dir = dir && ((dir[0] && dir[1] == ':') || unc);
  int relative = target[0] != '/' && target[0] != '\\' &&
                 !(target[0] && target[1] == ':');
  size_t dl = windows_dir && relative ? strlen(dir) : 0, tl = strlen(target);
  char *p = malloc(dl + tl + 3);
  if (!p)
    return SLINK_ENOMEM;
  if (!dl) {
    memcpy(p, target, tl + 1);
    for (char *c = p; *c; c++)
      if (*c == '/')
        *c = '\\';
    *out = p;
    return 0;
  }
  /* DIR's components, then TARGET's, each pushed or popped. */
  memcpy(p, dir, dl);
  size_t n = dl, floor;
  while (n > 0 && (p[n - 1] == '\\' || p[n - 1] == '/'))
    n--;
  floor = 2; /* after "X:", or after "\\\\server\\share" */
  for (int part = 0; unc && part < 2 && floor < n; part++) {
    floor += part; /* the separator between server and share */
    while (floor < n && p[floor] != '\\' && p[floor] != '/')
      floor++;
  }
  for (size_t i = 0; i < n; i++)
    if (p[i] == '/')
      p[i] = '\\';
  const char *c = target;
  while (*c) {
    const char *e = c;
    while (*e && *e != '/' && *e != '\\')
      e++;
    size_t cl = (size_t)(e - c);
    if (cl == 2 && c[0] == '.' && c[1] == '.') {
      while (n > floor && p[n - 1] != '\\')
        n--;
      if (n > floor)
        n--;
    } else if (cl && !(cl == 1 && c[0] == '.')) {
      p[n++] = '\\';
      memcpy(p + n, c, cl);
      n += cl;
    }
    c = *e ? e + 1 : e;
  }
  if (n == floor)
    p[n++] = '\\';
  p[n] = 0;
  *out = p;
  return 0;
}
