/*
 * stat.c - describing a path, with and without following links.
 *
 * lstat trusts a handle opened with FILE_FLAG_OPEN_REPARSE_POINT, except
 * where the system is known to ignore that flag (Wine opens a Linux
 * symlink as its target): there the entry is checked to be what was
 * opened, and anything else is reported as an unreadable reparse point.
 */
#include <stdlib.h>
#include <string.h>

#include "win/win.h"

static int fail(DWORD err, int *os_err) {
  if (os_err)
    *os_err = (int)err;
  return slink__win_error(err);
}

/* Without a handle (no access to the file itself), the directory entry
 * still tells kind, size and time. */
static int stat_from_entry(const WIN32_FIND_DATAW *fd, slink__stat *st) {
  uint64_t t = ((uint64_t)fd->ftLastWriteTime.dwHighDateTime << 32) |
               fd->ftLastWriteTime.dwLowDateTime;
  DWORD tag = fd->dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT
                  ? fd->dwReserved0 : 0;
  memset(st, 0, sizeof *st);
  st->kind = slink__win_kind(fd->dwFileAttributes, tag);
  st->attrs = fd->dwFileAttributes;
  st->tag = tag;
  st->nlink = 1;
  st->size = ((uint64_t)fd->nFileSizeHigh << 32) | fd->nFileSizeLow;
  st->mtime = (int64_t)(t / 10000000u) - INT64_C(11644473600);
  st->ctime = st->mtime;
  return 0;
}

int slink__os_lstat(const char *path, slink__stat *st, int *os_err) {
  WIN32_FILE_ATTRIBUTE_DATA ad;
  WIN32_FIND_DATAW fd;
  DWORD err = 0;
  wchar_t *w;
  HANDLE h;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  if (!GetFileAttributesExW(w, GetFileExInfoStandard, &ad)) {
    free(w);
    return fail(GetLastError(), os_err);
  }
  h = slink__win_open(w, 0, 0, &err);
  if (h == INVALID_HANDLE_VALUE) {
    free(w);
    if (err == ERROR_ACCESS_DENIED || err == ERROR_SHARING_VIOLATION ||
        err == ERROR_CANT_ACCESS_FILE) {
      HANDLE f = FindFirstFileW(w, &fd);
      if (f != INVALID_HANDLE_VALUE) {
        FindClose(f);
        free(w);
        return stat_from_entry(&fd, st);
      }
    }
    return fail(err, os_err);
  }
  /* A reparse point that is no link (a cloud placeholder) is the file or
   * directory it stands in for (issue 13.2). */
  rc = slink__win_handle_stat(h, st, &err);
  if (rc == 0 && slink__win_is_wine() &&
      slink__win_is_entry(h, w, &err) == 0)
    st->kind = SLINK_KIND_REPARSE;
  CloseHandle(h);
  free(w);
  if (rc < 0 && os_err)
    *os_err = (int)err;
  return rc;
}

int slink__os_stat(const char *path, slink__stat *st, int *os_err) {
  DWORD err = 0;
  wchar_t *w;
  HANDLE h;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  h = slink__win_open(w, 0, 1, &err);
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return fail(err, os_err);
  rc = slink__win_handle_stat(h, st, &err);
  CloseHandle(h);
  if (rc < 0 && os_err)
    *os_err = (int)err;
  return rc;
}
