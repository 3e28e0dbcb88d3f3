/* file.c - the file-handle calls of src/sys.h on Windows: a regular file
 * opened relative to a directory handle (NtCreateFile with RootDirectory,
 * FILE_OPEN_REPARSE_POINT: a link is never followed), guarded by opening
 * it without FILE_SHARE_WRITE (no one may write while it is compared and
 * replaced), block cloning (FSCTL_DUPLICATE_EXTENTS_TO_FILE) for
 * reflinks, NTFS's 1,023-name limit, and the security descriptors
 * compared as the xattrs' equivalent. */
#include <windows.h>
#include <winternl.h>
#include <aclapi.h>
#include <stdlib.h>
#include <string.h>

#include "win/nt.h"
#include "win/win.h"

#ifndef FILE_NON_DIRECTORY_FILE
#define FILE_NON_DIRECTORY_FILE 0x00000040
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#endif
#ifndef FILE_OPEN_REPARSE_POINT
#define FILE_OPEN_REPARSE_POINT 0x00200000
#endif
#ifndef FILE_OPEN
#define FILE_OPEN 0x00000001
#endif
#ifndef STATUS_SHARING_VIOLATION
#define STATUS_SHARING_VIOLATION ((NTSTATUS)0xC0000043L)
#endif
#ifndef FSCTL_DUPLICATE_EXTENTS_TO_FILE
#define FSCTL_DUPLICATE_EXTENTS_TO_FILE 0x00098344
typedef struct _DUPLICATE_EXTENTS_DATA {
  HANDLE FileHandle;
  LARGE_INTEGER SourceFileOffset;
  LARGE_INTEGER TargetFileOffset;
  LARGE_INTEGER ByteCount;
} DUPLICATE_EXTENTS_DATA;
#endif
#ifndef FSCTL_GET_INTEGRITY_INFORMATION
#define FSCTL_GET_INTEGRITY_INFORMATION 0x0009027C
typedef struct _FSCTL_GET_INTEGRITY_INFORMATION_BUFFER {
  WORD ChecksumAlgorithm;
  WORD Reserved;
  DWORD Flags;
  DWORD ChecksumChunkSizeInBytes;
  DWORD ClusterSizeInBytes;
} FSCTL_GET_INTEGRITY_INFORMATION_BUFFER;
#endif

/* Windows refuses a 1,024th name on NTFS. */
#define NTFS_LINK_MAX 1023
#define CMP_BUF (1u << 20)

struct slink__rf {
  HANDLE h;
  int guarded;
};

int slink__os_rf_open(slink__h *dir, const char *name, unsigned flags,
                     const slink__stat *expect, slink__rf **out,
                     slink__stat *st, int *os_err) {
  wchar_t *wname = NULL;
  size_t wlen = 0;
  int rc = slink__win_to_utf16(name, strlen(name), &wname, &wlen);
  if (rc < 0)
    return rc;
  UNICODE_STRING us;
  us.Buffer = wname;
  us.Length = (USHORT)(wlen * sizeof(wchar_t));
  us.MaximumLength = us.Length;
  OBJECT_ATTRIBUTES oa;
  InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE,
                             dir ? dir->h : NULL, NULL);
  IO_STATUS_BLOCK io;
  HANDLE h = NULL;
  ULONG share = FILE_SHARE_READ | FILE_SHARE_DELETE;
  if (!(flags & SLINK__RF_GUARD))
    share |= FILE_SHARE_WRITE;
  NTSTATUS s = NtCreateFile(&h, GENERIC_READ | READ_CONTROL | SYNCHRONIZE,
                            &oa, &io, NULL, 0, share, FILE_OPEN,
                            FILE_NON_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT |
                                FILE_SYNCHRONOUS_IO_NONALERT,
                            NULL, 0);
  free(wname);
  if (s == STATUS_SHARING_VIOLATION) {
    if (os_err)
      *os_err = ERROR_SHARING_VIOLATION;
    return SLINK_EBUSY;
  }
  if (!NT_SUCCESS(s)) {
    DWORD e = RtlNtStatusToDosError(s);
    if (os_err)
      *os_err = (int)e;
    return slink__win_error(e);
  }
  slink__stat mine;
  DWORD err = 0;
  rc = slink__win_handle_stat(h, &mine, &err);
  if (rc == 0 && mine.kind != SLINK_KIND_FILE)
    rc = expect ? SLINK_ECHANGED : SLINK_EINVAL; /* a link or a device */
  if (rc == 0 && expect && !slink__same_file(expect, &mine))
    rc = SLINK_ECHANGED;
  slink__rf *f = rc == 0 ? calloc(1, sizeof *f) : NULL;
  if (rc == 0 && !f)
    rc = SLINK_ENOMEM;
  if (rc < 0) {
    if (os_err && err)
      *os_err = (int)err;
    CloseHandle(h);
    return rc;
  }
  f->h = h;
  f->guarded = (flags & SLINK__RF_GUARD) != 0;
  if (st)
    *st = mine;
  *out = f;
  return 0;
}

void slink__os_rf_close(slink__rf *f) {
  if (!f)
    return;
  CloseHandle(f->h);
  free(f);
}

int slink__os_rf_stat(slink__rf *f, slink__stat *st, int *os_err) {
  DWORD err = 0;
  int rc = slink__win_handle_stat(f->h, st, &err);
  if (rc < 0 && os_err)
    *os_err = (int)err;
  return rc;
}

int slink__os_rf_read(slink__rf *f, uint64_t off, void *buf, size_t n,
                     size_t *got, int *os_err) {
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.Offset = (DWORD)off;
  ov.OffsetHigh = (DWORD)(off >> 32);
  DWORD want = n > 0x40000000u ? 0x40000000u : (DWORD)n, r = 0;
  if (!ReadFile(f->h, buf, want, &r, &ov)) {
    if (GetLastError() == ERROR_HANDLE_EOF) {
      *got = 0;
      return 0;
    }
    return slink__win_last_error(os_err);
  }
  *got = r;
  return 0;
}

int slink__os_rf_guard(slink__rf *f, int *os_err) {
  /* The share mode holds for as long as the handle: never broken. */
  if (f->guarded)
    return 1;
  if (os_err)
    *os_err = 0;
  return SLINK_ENOTSUP;
}

/* The cluster size of H's volume (block cloning works in clusters). */
static DWORD cluster_of(HANDLE h) {
  FSCTL_GET_INTEGRITY_INFORMATION_BUFFER b;
  DWORD r = 0;
  if (DeviceIoControl(h, FSCTL_GET_INTEGRITY_INFORMATION, NULL, 0, &b,
                      sizeof b, &r, NULL) &&
      b.ClusterSizeInBytes)
    return b.ClusterSizeInBytes;
  return 4096;
}

DWORD slink__win_clone_extents(HANDLE s, HANDLE d, uint64_t len) {
  DWORD cl = cluster_of(s);
  /* Whole clusters; the last one may reach past the end of the file. */
  uint64_t total = (len + cl - 1) / cl * cl;
  for (uint64_t off = 0; off < total;) {
    uint64_t n = total - off < (1ull << 30) ? total - off : (1ull << 30);
    DUPLICATE_EXTENTS_DATA dx;
    dx.FileHandle = s;
    dx.SourceFileOffset.QuadPart = (LONGLONG)off;
    dx.TargetFileOffset.QuadPart = (LONGLONG)off;
    dx.ByteCount.QuadPart = (LONGLONG)n;
    DWORD r = 0;
    if (!DeviceIoControl(d, FSCTL_DUPLICATE_EXTENTS_TO_FILE, &dx, sizeof dx,
                         NULL, 0, &r, NULL))
      return GetLastError();
    off += n;
  }
  return 0;
}

/* Block cloning compares nothing, so the two are compared here first,
 * while neither may be written: the source reopened without
 * FILE_SHARE_WRITE, the target reopened for writing (the clone needs it)
 * without it either. */
int slink__os_rf_dedupe(slink__rf *src, slink__rf *dst, uint64_t len,
                       int *os_err) {
  HANDLE s = ReOpenFile(src->h, GENERIC_READ,
                        FILE_SHARE_READ | FILE_SHARE_DELETE, 0);
  if (s == INVALID_HANDLE_VALUE)
    return GetLastError() == ERROR_SHARING_VIOLATION
               ? SLINK_EBUSY
               : slink__win_last_error(os_err);
  HANDLE d = ReOpenFile(dst->h, GENERIC_READ | GENERIC_WRITE,
                        FILE_SHARE_READ | FILE_SHARE_DELETE, 0);
  if (d == INVALID_HANDLE_VALUE) {
    int rc = GetLastError() == ERROR_SHARING_VIOLATION
                 ? SLINK_EBUSY
                 : slink__win_last_error(os_err);
    CloseHandle(s);
    return rc;
  }
  slink__rf fs = {s, 1}, fd = {d, 1};
  unsigned char *a = malloc(CMP_BUF), *b = malloc(CMP_BUF);
  int rc = a && b ? 0 : SLINK_ENOMEM;
  for (uint64_t off = 0; rc == 0 && off < len;) {
    size_t want = len - off < CMP_BUF ? (size_t)(len - off) : CMP_BUF;
    size_t ga = 0, gb = 0;
    rc = slink__os_rf_read(&fs, off, a, want, &ga, os_err);
    if (rc == 0)
      rc = slink__os_rf_read(&fd, off, b, want, &gb, os_err);
    if (rc == 0 && (ga != want || gb != want || memcmp(a, b, want) != 0))
      rc = SLINK_ECHANGED;
    off += want;
  }
  free(a);
  free(b);
  DWORD e = rc == 0 ? slink__win_clone_extents(s, d, len) : 0;
  if (e) {
    if (os_err)
      *os_err = (int)e;
    rc = e == ERROR_INVALID_FUNCTION || e == ERROR_NOT_SUPPORTED
             ? SLINK_ENOTSUP
             : slink__win_error(e);
  }
  CloseHandle(d);
  CloseHandle(s);
  return rc;
}

int slink__os_rf_link_max(slink__rf *f, uint64_t *max, int *os_err) {
  (void)f;
  (void)os_err;
  /* NTFS (and ReFS where it has hard links): what Windows allows. */
  *max = NTFS_LINK_MAX;
  return 0;
}

/* Owner, group and access list: what a hard link would make one of. */
int slink__os_rf_xattrs_equal(slink__rf *a, slink__rf *b, int *os_err) {
  SECURITY_INFORMATION what = OWNER_SECURITY_INFORMATION |
                              GROUP_SECURITY_INFORMATION |
                              DACL_SECURITY_INFORMATION;
  PSECURITY_DESCRIPTOR sa = NULL, sb = NULL;
  DWORD e = GetSecurityInfo(a->h, SE_FILE_OBJECT, what, NULL, NULL, NULL,
                            NULL, &sa);
  if (e == ERROR_SUCCESS)
    e = GetSecurityInfo(b->h, SE_FILE_OBJECT, what, NULL, NULL, NULL, NULL,
                        &sb);
  int rc;
  if (e != ERROR_SUCCESS) {
    if (os_err)
      *os_err = (int)e;
    rc = slink__win_error(e);
  } else {
    DWORD la = GetSecurityDescriptorLength(sa);
    DWORD lb = GetSecurityDescriptorLength(sb);
    rc = la == lb && memcmp(sa, sb, la) == 0;
  }
  if (sa)
    LocalFree(sa);
  if (sb)
    LocalFree(sb);
  return rc;
}
