/*
 * remove.c - removing one directory entry, the link itself.
 *
 * The entry is opened without following, checked (same file as listed,
 * the entry itself and not what the system followed to, reparse data
 * readable through this very handle) and then deleted through the same
 * handle, so nothing can be swapped in between. DeleteFileW and
 * RemoveDirectoryW, which look the name up again, are never used on a
 * link: under Wine they delete a Linux symlink's target.
 */
#include <stdlib.h>

#include "win/win.h"

/* Absent from some SDKs' headers (Windows 10 1607 and later). */
#define DISPOSITION_INFO_EX ((FILE_INFO_BY_HANDLE_CLASS)21)
#define DISPOSITION_DELETE 0x1u
#define DISPOSITION_POSIX_SEMANTICS 0x2u
#define DISPOSITION_IGNORE_READONLY 0x10u

int slink__win_delete_handle(HANDLE h, DWORD *err) {
  DWORD flags = DISPOSITION_DELETE | DISPOSITION_POSIX_SEMANTICS |
                DISPOSITION_IGNORE_READONLY;
  FILE_DISPOSITION_INFO classic = { TRUE };
  /* POSIX semantics take the name away at once, even while another
   * program holds the file open; older systems and Wine refuse it. */
  if (SetFileInformationByHandle(h, DISPOSITION_INFO_EX, &flags,
                                 sizeof flags))
    return 0;
  if (SetFileInformationByHandle(h, FileDispositionInfo, &classic,
                                 sizeof classic))
    return 0;
  *err = GetLastError();
  return slink__win_error(*err);
}

/* What may be deleted: a link whose data this handle can read, or a file
 * with other names left. */
static int check(HANDLE h, const wchar_t *w, const slink__stat *expect,
                 DWORD *err) {
  slink__stat st;
  unsigned char *buf;
  size_t len;
  DWORD attrs = GetFileAttributesW(w);
  int rc = slink__win_handle_stat(h, &st, err);
  if (rc < 0)
    return rc;
  if (expect && (st.dev != expect->dev || st.ino != expect->ino))
    return SLINK_ECHANGED;
  rc = slink__win_is_entry(h, w, err);
  if (rc < 0)
    return rc;
  if (rc == 0)
    return SLINK_ENODATA; /* a link the system opened through */
  if (attrs == INVALID_FILE_ATTRIBUTES)
    return SLINK_ECHANGED;
  if ((attrs & FILE_ATTRIBUTE_REPARSE_POINT) || slink_kind_is_link(st.kind)) {
    if (slink__win_get_reparse(h, &buf, &len, err) < 0)
      return SLINK_ENODATA;
    free(buf);
    return 0;
  }
  if (st.kind == SLINK_KIND_DIR)
    return SLINK_EISDIR;
  return 0;
}

int slink__os_unlink(const char *path, const slink__stat *expect,
                     int *os_err) {
  DWORD err = 0;
  wchar_t *w;
  HANDLE h;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  h = slink__win_open(w, DELETE, 0, &err);
  if (h == INVALID_HANDLE_VALUE) {
    free(w);
    if (os_err)
      *os_err = (int)err;
    return slink__win_error(err);
  }
  rc = check(h, w, expect, &err);
  if (rc == 0)
    rc = slink__win_delete_handle(h, &err);
  CloseHandle(h);
  free(w);
  if (rc < 0 && os_err)
    *os_err = (int)err;
  return rc;
}
