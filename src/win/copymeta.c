/* copymeta.c - what a copy takes over from its source on Windows, through
 * handles: the security descriptor (access list as it is, inherited
 * entries and protection included; owner and group where this process
 * may set them), the creation time and the attributes a user sets
 * (hidden, system, archive, not indexed), alternate data streams of
 * directories; then, last, the modification time and read-only. */
#include <stdlib.h>
#include <string.h>

#include "win/copy.h"

#define USER_ATTRS                                                          \
  (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | \
   FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

/* Unix seconds and nanoseconds as 100 ns ticks since 1601. */
static LONGLONG ticks(int64_t sec, int32_t ns) {
  return (sec + INT64_C(11644473600)) * 10000000 + ns / 100;
}

/* Set what WHAT asks of ST on H (FILE_WRITE_ATTRIBUTES): zero fields of
 * FILE_BASIC_INFO are left as they are. */
static DWORD set_basic(HANDLE h, const slink__stat *st, unsigned what) {
  FILE_BASIC_INFO bi;
  if (!GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof bi))
    return GetLastError();
  bi.CreationTime.QuadPart = bi.LastAccessTime.QuadPart = 0;
  bi.ChangeTime.QuadPart = 0;
  bi.LastWriteTime.QuadPart =
      (what & SLINK__META_TIMES) ? ticks(st->mtime, st->mtime_ns) : 0;
  if (what & SLINK__META_MODE) {
    DWORD a = (bi.FileAttributes & ~(DWORD)(USER_ATTRS | FILE_ATTRIBUTE_READONLY)) |
              (st->attrs & USER_ATTRS);
    if (!(st->mode & 0200))
      a |= FILE_ATTRIBUTE_READONLY;
    bi.FileAttributes = a ? a : FILE_ATTRIBUTE_NORMAL;
  } else {
    bi.FileAttributes = 0;
  }
  if (!bi.LastWriteTime.QuadPart && !bi.FileAttributes)
    return 0;
  return SetFileInformationByHandle(h, FileBasicInfo, &bi, sizeof bi)
             ? 0
             : GetLastError();
}

int slink__os_f_set_meta(slink__file *f, const slink__stat *st,
                         unsigned what, int *os_err) {
  /* The owner came with the security descriptor. */
  DWORD e = set_basic(f->h, st, what);
  return e ? slink__nt_fail(e, os_err) : 0;
}

int slink__os_h_set_meta(slink__h *dir, const char *name,
                         const slink__stat *st, unsigned what, int *os_err) {
  HANDLE h = NULL;
  DWORD e = 0;
  int is_entry = 1, rc = 0;
  if (!name) {
    e = slink__wcopy_reopen(dir->h, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES,
                            &h);
    if (e)
      return slink__nt_fail(e, os_err);
  } else {
    /* A link: its own times, never its target's; no mode. */
    what &= ~(unsigned)SLINK__META_MODE;
    rc = slink__nt_open_entry(dir, name,
                              FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES, 0,
                              &h, &is_entry, &e);
    if (rc < 0)
      return keep(rc, e, os_err);
  }
  if (is_entry)
    e = set_basic(h, st, what);
  CloseHandle(h);
  return e ? slink__nt_fail(e, os_err) : 0;
}

/* The descriptor of H (READ_CONTROL) for WHAT, malloc'd. */
static DWORD get_sd(HANDLE h, SECURITY_INFORMATION what,
                    PSECURITY_DESCRIPTOR *out) {
  DWORD need = 0;
  GetKernelObjectSecurity(h, what, NULL, 0, &need);
  if (need == 0)
    return GetLastError();
  *out = malloc(need);
  if (!*out)
    return ERROR_NOT_ENOUGH_MEMORY;
  if (!GetKernelObjectSecurity(h, what, *out, need, &need)) {
    DWORD e = GetLastError();
    free(*out);
    *out = NULL;
    return e;
  }
  return 0;
}

/* Nonzero when H's owner and group are those of SD already. */
static int same_owner(HANDLE h, PSECURITY_DESCRIPTOR sd) {
  PSECURITY_DESCRIPTOR now = NULL;
  PSID a = NULL, b = NULL, ga = NULL, gb = NULL;
  BOOL d1, d2;
  int same = 0;
  if (get_sd(h, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION,
             &now) != 0)
    return 0;
  if (GetSecurityDescriptorOwner(sd, &a, &d1) &&
      GetSecurityDescriptorOwner(now, &b, &d2) &&
      GetSecurityDescriptorGroup(sd, &ga, &d1) &&
      GetSecurityDescriptorGroup(now, &gb, &d2))
    same = (!a || (b && EqualSid(a, b))) && (!ga || (gb && EqualSid(ga, gb)));
  free(now);
  return same;
}

/* FROM's access list onto TO exactly (NtSetSecurityObject does not
 * propagate, so a directory's children keep what they were given), then
 * its owner and group where this process may set them: without
 * SeRestorePrivilege another owner is refused and the copy stays ours,
 * as chown without privilege leaves a POSIX copy. */
static int copy_security(HANDLE from, HANDLE to, int *os_err) {
  PSECURITY_DESCRIPTOR sd = NULL;
  DWORD e = get_sd(from,
                   OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                       DACL_SECURITY_INFORMATION,
                   &sd);
  if (e == ERROR_ACCESS_DENIED || e == ERROR_NOT_SUPPORTED ||
      e == ERROR_INVALID_FUNCTION)
    return 0; /* nothing this process may read, or a FAT volume */
  if (e)
    return slink__nt_fail(e, os_err);
  if (!SetKernelObjectSecurity(to, DACL_SECURITY_INFORMATION, sd)) {
    e = GetLastError();
    if (e != ERROR_NOT_SUPPORTED && e != ERROR_INVALID_FUNCTION) {
      free(sd);
      return slink__nt_fail(e, os_err);
    }
  }
  if (!same_owner(to, sd)) {
    HANDLE w = NULL;
    if (slink__wcopy_reopen(to, WRITE_OWNER, &w) == 0) {
      if (!SetKernelObjectSecurity(w, OWNER_SECURITY_INFORMATION |
                                          GROUP_SECURITY_INFORMATION,
                                   sd))
        SetKernelObjectSecurity(w, GROUP_SECURITY_INFORMATION, sd);
      CloseHandle(w);
    }
  }
  free(sd);
  return 0;
}

/* The creation time, and what else FILE_BASIC_INFO keeps that the last
 * step does not set. */
static int copy_created(HANDLE from, HANDLE to, int *os_err) {
  FILE_BASIC_INFO bi;
  if (!GetFileInformationByHandleEx(from, FileBasicInfo, &bi, sizeof bi))
    return slink__win_last_error(os_err);
  bi.LastAccessTime.QuadPart = bi.LastWriteTime.QuadPart = 0;
  bi.ChangeTime.QuadPart = 0;
  bi.FileAttributes = 0;
  return SetFileInformationByHandle(to, FileBasicInfo, &bi, sizeof bi)
             ? 0
             : slink__win_last_error(os_err);
}

int slink__os_f_copy_xattrs(slink__file *from, slink__file *to,
                            int *os_err) {
  int rc = copy_security(from->h, to->h, os_err);
  return rc == 0 ? copy_created(from->h, to->h, os_err) : rc;
}

int slink__os_h_copy_xattrs(slink__h *from, slink__h *to, int *os_err) {
  HANDLE in = NULL, out = NULL;
  DWORD e = slink__wcopy_reopen(from->h, READ_CONTROL | FILE_READ_ATTRIBUTES,
                                &in);
  if (!e)
    e = slink__wcopy_reopen(to->h,
                            READ_CONTROL | WRITE_DAC | FILE_READ_ATTRIBUTES |
                                FILE_WRITE_ATTRIBUTES,
                            &out);
  int rc = e ? slink__nt_fail(e, os_err) : 0;
  if (rc == 0)
    rc = slink__wcopy_streams(from->h, to->h, os_err);
  if (rc == 0)
    rc = copy_security(in, out, os_err);
  if (rc == 0)
    rc = copy_created(in, out, os_err);
  if (in)
    CloseHandle(in);
  if (out)
    CloseHandle(out);
  return rc;
}
