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

#include "lib/hook.h"
#include "lib/internal.h"
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
#ifndef FILE_SUPPORTS_BLOCK_REFCOUNTING
#define FILE_SUPPORTS_BLOCK_REFCOUNTING 0x08000000
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

#define CMP_BUF (1u << 20)

struct slink__rf {
  HANDLE h;
  int guarded;
  slink__stat st;       /* as opened (and compared) */
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
  f->st = mine;
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
  /* Said at once, before two files are read for nothing. */
  DWORD fsflags = 0;
  if (!GetVolumeInformationByHandleW(src->h, NULL, 0, NULL, NULL, &fsflags,
                                     NULL, 0) ||
      !(fsflags & FILE_SUPPORTS_BLOCK_REFCOUNTING))
    return SLINK_ENOREFLINK;
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
  slink__rf fs, fd;
  memset(&fs, 0, sizeof fs);
  memset(&fd, 0, sizeof fd);
  fs.h = s;
  fd.h = d;
  fs.guarded = fd.guarded = 1;
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
             ? SLINK_ENOREFLINK
             : slink__win_error(e);
  }
  CloseHandle(d);
  CloseHandle(s);
  return rc;
}

int slink__os_rf_link_max(slink__rf *f, uint64_t *max, int *os_err) {
  (void)os_err;
  /* NTFS (and ReFS where it has hard links): what Windows allows; 1 on a
   * volume that keeps none. */
  *max = slink__win_volume_link_max(f->h);
  return 0;
}

/* Owner, group and access list: what a hard link would make one of, as
 * the self-relative security descriptor's bytes. */
int slink__os_rf_xattrs(slink__rf *f, unsigned char **out, size_t *n,
                        int *os_err) {
  SECURITY_INFORMATION what = OWNER_SECURITY_INFORMATION |
                              GROUP_SECURITY_INFORMATION |
                              DACL_SECURITY_INFORMATION;
  PSECURITY_DESCRIPTOR sd = NULL;
  *out = NULL;
  *n = 0;
  DWORD e = GetSecurityInfo(f->h, SE_FILE_OBJECT, what, NULL, NULL, NULL,
                            NULL, &sd);
  if (e != ERROR_SUCCESS) {
    if (os_err)
      *os_err = (int)e;
    return slink__win_error(e);
  }
  DWORD len = GetSecurityDescriptorLength(sd);
  int rc = 0;
  if (len && !(*out = malloc(len)))
    rc = SLINK_ENOMEM;
  else if (len) {
    memcpy(*out, sd, len);
    *n = len;
  }
  LocalFree(sd);
  return rc;
}

/* Is H (just opened) F's file, with the size and last write it had when
 * F was opened? (Its change time moves with our own links.) */
static int still_f(slink__rf *f, HANDLE h, DWORD *err) {
  slink__stat b;
  int rc = slink__win_handle_stat(h, &b, err);
  if (rc == 0 && (!slink__same_file(&f->st, &b) || f->st.size != b.size ||
                  f->st.mtime != b.mtime || f->st.mtime_ns != b.mtime_ns))
    rc = SLINK_ECHANGED;
  return rc;
}

int slink__os_rf_replace(slink__rf *f, slink__h *dir, const char *t,
                         const char *name, int *os_err) {
  char aside[SLINK__TEMP_LEN + 1];
  wchar_t *wname = NULL, *waside = NULL;
  size_t nlen = 0, alen = 0;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  slink__temp_name(aside);
  SLINK__HOOK(SLINK__HP_DEDUPE_WIN_BEFORE_ASIDE, dir, name);
  int rc = slink__nt_name(name, &wname, &nlen);
  if (rc == 0)
    rc = slink__nt_name(aside, &waside, &alen);
  if (rc == 0)
    rc = slink__nt_open_entry(dir, name, SLINK__NT_DELETE, 0, &h, &is_entry,
                              &err);
  if (rc == 0 && !is_entry)
    rc = SLINK_ECHANGED; /* Wine: a Linux symlink now has the name */
  if (rc == 0)
    rc = still_f(f, h, &err);
  /* The checked file steps aside through its own handle; the name is
   * then free for the keeper, given without replacing anything. */
  if (rc == 0 && (err = slink__nt_rename(h, dir->h, waside, alen, 0)) != 0)
    rc = slink__win_error(err);
  if (rc == 0) {
    SLINK__HOOK(SLINK__HP_DEDUPE_WIN_ASIDE, dir, name);
    rc = slink__os_h_rename(dir, t, dir, name, SLINK__RENAME_NOREPLACE,
                            os_err);
    if (rc < 0) {
      /* Someone took the name meanwhile: theirs stays, and so does F
       * under the aside name if it cannot go back. */
      if (slink__nt_rename(h, dir->h, wname, nlen, 0) != 0 ||
          rc == SLINK_EEXIST)
        rc = SLINK_ECHANGED;
      err = 0;
    } else {
      /* F was guarded all along: what goes is what was compared. */
      rc = still_f(f, h, &err);
      if (rc == 0)
        rc = slink__nt_delete(h, &err);
    }
  }
  if (h)
    CloseHandle(h);
  free(wname);
  free(waside);
  if (rc < 0 && os_err && err)
    *os_err = (int)err;
  return rc;
}
