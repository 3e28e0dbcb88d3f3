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

/* 100 ns ticks since 1601-01-01 as Unix seconds and nanoseconds
 * (11644473600 s lie before 1970). */
static void unix_time(int64_t ticks, int64_t *sec, int32_t *ns) {
  int64_t s = ticks / 10000000 - INT64_C(11644473600);
  int64_t r = ticks % 10000000;
  if (r < 0) {
    r += 10000000;
    s--;
  }
  *sec = s;
  *ns = (int32_t)(r * 100);
}

int slink__win_handle_stat(HANDLE h, slink__stat *st, DWORD *err) {
  BY_HANDLE_FILE_INFORMATION fi;
  FILE_ATTRIBUTE_TAG_INFO ti;
  FILE_BASIC_INFO bi;
  FILE_ID_INFO id;
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
  st->attrs = fi.dwFileAttributes;
  st->tag = ti.ReparseTag;
  st->kind = slink__win_kind(fi.dwFileAttributes, ti.ReparseTag);
  st->nlink = fi.nNumberOfLinks;
  st->dev = fi.dwVolumeSerialNumber;
  st->ino = ((uint64_t)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
  /* ReFS (and Dev Drives) number files with 128 bits; the 64 bits of
   * nFileIndex need not be unique there. */
  if (GetFileInformationByHandleEx(h, FileIdInfo, &id, sizeof id)) {
    uint64_t lo, hi;
    memcpy(&lo, id.FileId.Identifier, 8);
    memcpy(&hi, id.FileId.Identifier + 8, 8);
    if (lo || hi) {
      st->ino = lo;
      st->ino_hi = hi;
    }
  }
  st->size = ((uint64_t)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
  if (GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof bi)) {
    unix_time(bi.LastWriteTime.QuadPart, &st->mtime, &st->mtime_ns);
    unix_time(bi.ChangeTime.QuadPart, &st->ctime, &st->ctime_ns);
  } else {
    int64_t t = (int64_t)(((uint64_t)fi.ftLastWriteTime.dwHighDateTime << 32) |
                          fi.ftLastWriteTime.dwLowDateTime);
    unix_time(t, &st->mtime, &st->mtime_ns);
    st->ctime = st->mtime;
    st->ctime_ns = st->mtime_ns;
  }
  /* The POSIX view the portable code shows: read-only takes write away. */
  if (slink_kind_is_link(st->kind))
    st->mode = 0120777u;
  else if (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
    st->mode = 0040755u;
  else
    st->mode = 0100644u;
  if (fi.dwFileAttributes & FILE_ATTRIBUTE_READONLY)
    st->mode &= ~0222u;
  return 0;
}

int slink__win_is_wine(void) {
  static volatile LONG known = -1; /* asked once; every thread agrees */
  if (known < 0) {
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    known = nt && GetProcAddress(nt, "wine_get_version") != NULL;
  }
  return (int)known;
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
  /* Windows opens the entry itself when asked; GetFinalPathNameByHandleW
   * fails on volumes the mount manager does not know (RAM disks) and on
   * volumes without a drive letter, so it is asked only under Wine. */
  if (!slink__win_is_wine())
    return 1;
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
