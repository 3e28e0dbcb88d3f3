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
static int stat_from_attributes(const WIN32_FILE_ATTRIBUTE_DATA *ad,
                                slink__stat *st) {
  memset(st, 0, sizeof *st);
  uint64_t t = ((uint64_t)ad->ftLastWriteTime.dwHighDateTime << 32) |
               ad->ftLastWriteTime.dwLowDateTime;
  st->kind = ad->dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT
               ? SLINK_KIND_REPARSE
               : ad->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY
                   ? SLINK_KIND_DIR : SLINK_KIND_FILE;
  st->nlink = 1;
  st->size = ((uint64_t)ad->nFileSizeHigh << 32) | ad->nFileSizeLow;
  st->mtime = (int64_t)(t / 10000000u) - INT64_C(11644473600);
  return 0;
}

int slink__os_lstat(const char *path, slink__stat *st, int *os_err) {
  WIN32_FILE_ATTRIBUTE_DATA ad;
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
      memset(st, 0, sizeof *st);
      return stat_from_attributes(&ad, st);
    }
    return fail(err, os_err);
  }
  rc = slink__win_handle_stat(h, st, &err);
  if (rc == 0 && (ad.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
      !slink_kind_is_link(st->kind))
    st->kind = SLINK_KIND_REPARSE;
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
