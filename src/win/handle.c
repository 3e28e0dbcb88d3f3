/*
 * handle.c - opening entries and describing open handles. Everything that
 * looks at a file does it through a handle, so that what is checked is
 * what is then acted on.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

HANDLE slink__win_open(const wchar_t *wpath, DWORD access, int follow,
                       DWORD *err) {
  DWORD flags = FILE_FLAG_BACKUP_SEMANTICS;
  HANDLE h;
  if (!follow)
    flags |= FILE_FLAG_OPEN_REPARSE_POINT;
  h = CreateFileW(wpath, access | FILE_READ_ATTRIBUTES,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                  NULL, OPEN_EXISTING, flags, NULL);
  if (h == INVALID_HANDLE_VALUE)
    *err = GetLastError();
  return h;
}

static int64_t unix_seconds(FILETIME ft) {
  uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  /* 100 ns ticks since 1601-01-01; 11644473600 s lie before 1970. */
  return (int64_t)(t / 10000000u) - INT64_C(11644473600);
}

slink_kind slink__win_kind(DWORD attrs, DWORD tag) {
  if (attrs & FILE_ATTRIBUTE_REPARSE_POINT) {
    switch (tag) {
    case SLINK__TAG_SYMLINK:
      return attrs & FILE_ATTRIBUTE_DIRECTORY ? SLINK_KIND_DIR_SYMLINK
                                              : SLINK_KIND_SYMLINK;
    case SLINK__TAG_MOUNT_POINT: return SLINK_KIND_JUNCTION;
    case SLINK__TAG_LX_SYMLINK: return SLINK_KIND_WSL_SYMLINK;
    case SLINK__TAG_APPEXECLINK: return SLINK_KIND_APP_LINK;
    default: return SLINK_KIND_REPARSE;
    }
  }
  return attrs & FILE_ATTRIBUTE_DIRECTORY ? SLINK_KIND_DIR : SLINK_KIND_FILE;
}

int slink__win_handle_stat(HANDLE h, slink__stat *st, DWORD *err) {
  BY_HANDLE_FILE_INFORMATION fi;
  FILE_ATTRIBUTE_TAG_INFO ti;
  DWORD type = GetFileType(h);
  memset(st, 0, sizeof *st);
  if (type == FILE_TYPE_CHAR || type == FILE_TYPE_PIPE) {
    st->kind = type == FILE_TYPE_CHAR ? SLINK_KIND_DEVICE : SLINK_KIND_FIFO;
    st->nlink = 1;
    return 0;
  }
  if (!GetFileInformationByHandle(h, &fi)) {
    *err = GetLastError();
    return slink__win_error(*err);
  }
  ti.ReparseTag = 0;
  if ((fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
      !GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof ti))
    ti.ReparseTag = 0;
  st->kind = slink__win_kind(fi.dwFileAttributes, ti.ReparseTag);
  st->nlink = fi.nNumberOfLinks;
  st->dev = fi.dwVolumeSerialNumber;
  st->ino = ((uint64_t)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
  st->size = ((uint64_t)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
  st->mtime = unix_seconds(fi.ftLastWriteTime);
  st->mode = 0;
  return 0;
}

int slink__win_is_wine(void) {
  HMODULE nt = GetModuleHandleW(L"ntdll.dll");
  return nt && GetProcAddress(nt, "wine_get_version") != NULL;
}

/* Case-insensitive equality as the filesystem compares names. */
static int same_name(const wchar_t *a, size_t alen, const wchar_t *b,
                     size_t blen) {
  return alen <= 0x7fffffff && blen <= 0x7fffffff &&
         CompareStringOrdinal(a, (int)alen, b, (int)blen, TRUE) == CSTR_EQUAL;
}

int slink__win_is_entry(HANDLE h, const wchar_t *wpath, DWORD *err) {
  size_t len = wcslen(wpath), cut = len, plen, flen, nlen;
  wchar_t *parent, *pfinal = NULL, *final = NULL;
  WIN32_FIND_DATAW fd;
  HANDLE ph, fh;
  int rc;
  while (cut > 0 && wpath[cut - 1] != L'\\')
    cut--;
  if (cut <= 4 || cut == len)
    return 1; /* a volume root has no entry in a parent */
  fh = FindFirstFileW(wpath, &fd);
  if (fh == INVALID_HANDLE_VALUE) {
    *err = GetLastError();
    return slink__win_error(*err);
  }
  FindClose(fh);
  /* A drive root keeps its slash: "\\?\C:" would be the device. */
  plen = cut == 7 && wpath[5] == L':' ? cut : cut - 1;
  parent = malloc((plen + 1) * sizeof *parent);
  if (!parent)
    return SLINK_ENOMEM;
  memcpy(parent, wpath, plen * sizeof *parent);
  parent[plen] = 0;
  ph = slink__win_open(parent, 0, 1, err);
  free(parent);
  if (ph == INVALID_HANDLE_VALUE)
    return slink__win_error(*err);
  rc = slink__win_final_path(ph, wpath, &pfinal, err);
  CloseHandle(ph);
  if (rc < 0)
    return rc;
  rc = slink__win_final_path(h, wpath, &final, err);
  if (rc < 0) {
    free(pfinal);
    return rc;
  }
  plen = wcslen(pfinal);
  while (plen > 0 && pfinal[plen - 1] == L'\\')
    plen--;
  flen = wcslen(final);
  nlen = wcslen(fd.cFileName);
  rc = flen == plen + 1 + nlen && same_name(final, plen, pfinal, plen) &&
       final[plen] == L'\\' &&
       same_name(final + plen + 1, nlen, fd.cFileName, nlen);
  free(pfinal);
  free(final);
  return rc;
}
