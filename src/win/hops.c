/*
 * hops.c - changing entries through directory handles: unlink, rmdir,
 * rename, mkdir, making a directory writable, the dry run's permission
 * question, and holding console control events back.
 *
 * An entry is removed by opening the entry itself (DELETE access,
 * FILE_OPEN_REPARSE_POINT) relative to its directory, checking that very
 * handle (the file listed, not a directory, not a last name when asked)
 * and deleting through it: nothing can be swapped in between.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/nt.h"

/* Absent from some SDKs' headers (Windows 10 1607 and later). */
#define DISPOSITION_INFO_EX ((FILE_INFO_BY_HANDLE_CLASS)21)
#define DISPOSITION_DELETE 0x1u
#define DISPOSITION_POSIX_SEMANTICS 0x2u
#define DISPOSITION_IGNORE_READONLY 0x10u
#define RENAME_REPLACE_IF_EXISTS 0x1u
#define RENAME_POSIX_SEMANTICS 0x2u

static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

/* The same file again, opened for ACCESS (NtCreateFile relative to the
 * handle with an empty name). */
static DWORD reopen(HANDLE h, ACCESS_MASK access, HANDLE *out) {
  return slink__nt_open(h, L"", 0, access | SYNCHRONIZE,
                        FILE_OPEN_REPARSE_POINT, FILE_OPEN, out);
}

/* Set or clear FILE_ATTRIBUTE_READONLY on the file of H; *WAS gets the
 * attributes before. */
static DWORD set_readonly(HANDLE h, int on, DWORD *was) {
  FILE_BASIC_INFO bi;
  HANDLE w;
  DWORD e = 0;
  if (!GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof bi))
    return GetLastError();
  if (was)
    *was = bi.FileAttributes;
  if (!on == !(bi.FileAttributes & FILE_ATTRIBUTE_READONLY))
    return 0;
  if ((e = reopen(h, FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES, &w)) != 0)
    return e;
  bi.FileAttributes = on ? bi.FileAttributes | FILE_ATTRIBUTE_READONLY
                         : bi.FileAttributes & ~(DWORD)FILE_ATTRIBUTE_READONLY;
  if (!bi.FileAttributes)
    bi.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  /* Zero times mean "leave unchanged". */
  bi.CreationTime.QuadPart = bi.LastAccessTime.QuadPart = 0;
  bi.LastWriteTime.QuadPart = bi.ChangeTime.QuadPart = 0;
  if (!SetFileInformationByHandle(w, FileBasicInfo, &bi, sizeof bi))
    e = GetLastError();
  CloseHandle(w);
  return e;
}

int slink__win_classic_delete_only;

static DWORD delete_once(HANDLE h) {
  DWORD flags = DISPOSITION_DELETE | DISPOSITION_POSIX_SEMANTICS |
                DISPOSITION_IGNORE_READONLY;
  FILE_DISPOSITION_INFO classic = {TRUE};
  DWORD e, attrs = 0;
  /* POSIX semantics take the name away at once, even while another
   * program holds the file open, and ignore the read-only bit. */
  if (slink__win_classic_delete_only)
    e = ERROR_NOT_SUPPORTED;
  else if (SetFileInformationByHandle(h, DISPOSITION_INFO_EX, &flags,
                                      sizeof flags))
    return 0;
  else
    e = GetLastError();
  if (!slink__win_delete_falls_back(e))
    return e;
  /* FAT, exFAT, many SMB servers, Windows before 10 1809: the classic
   * class, which refuses a read-only file. */
  {
    FILE_BASIC_INFO bi;
    if (GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof bi))
      attrs = bi.FileAttributes;
  }
  if (slink__win_delete_needs_writable(attrs, 1) &&
      (e = set_readonly(h, 0, NULL)) != 0)
    return e;
  classic.DeleteFile = TRUE;
  if (SetFileInformationByHandle(h, FileDispositionInfo, &classic,
                                 sizeof classic))
    return 0;
  e = GetLastError();
  if (slink__win_delete_needs_writable(attrs, 1))
    set_readonly(h, 1, NULL); /* nothing changed after all */
  return e;
}

int slink__nt_delete(HANDLE h, DWORD *err) {
  for (int try_no = 0;; try_no++) {
    DWORD e = delete_once(h);
    if (!e)
      return 0;
    if (!slink__win_delete_retries(e, try_no)) {
      *err = e;
      return slink__win_error(e);
    }
    Sleep(slink__win_delete_pause(try_no + 1));
  }
}

int slink__win_delete_handle(HANDLE h, DWORD *err) {
  return slink__nt_delete(h, err);
}

int slink__os_h_unlink(slink__h *dir, const char *name,
                       const slink__stat *expect, unsigned flags,
                       int *os_err) {
  slink__stat now;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink__nt_open_entry(dir, name, SLINK__NT_DELETE, 0, &h, &is_entry,
                                &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(h, &now, &err);
  if (rc == 0 && !is_entry)
    rc = SLINK_ENODATA; /* Wine opened what a Linux symlink points to */
  else if (rc == 0 && expect && !slink__same_file(&now, expect))
    rc = SLINK_ECHANGED;
  else if (rc == 0 && now.kind == SLINK_KIND_DIR)
    rc = expect ? SLINK_ECHANGED : SLINK_EISDIR;
  else if (rc == 0 && (flags & SLINK__UNLINK_NOT_LAST) &&
           !slink_kind_is_link(now.kind) && now.nlink < 2)
    rc = SLINK_ENOTLINK;
  if (rc == 0)
    rc = slink__nt_delete(h, &err);
  CloseHandle(h);
  return keep(rc, err, os_err);
}

/* Wine answers "done" to deleting a directory that is not empty (and
 * then leaves it): there it is listed first. Windows itself refuses. */
static int wine_empty(slink__h *dir, const char *name, DWORD *err) {
  slink__h *sub = NULL;
  slink__dirent e;
  int rc = slink__os_h_open(dir, name, 0, NULL, &sub, NULL, NULL);
  if (rc == 0) {
    rc = slink__os_h_next(sub, &e, NULL);
    rc = rc > 0 ? SLINK_ENOTEMPTY : rc;
    if (rc == SLINK_ENOTEMPTY)
      *err = ERROR_DIR_NOT_EMPTY;
  }
  slink__os_h_close(sub);
  return rc;
}

int slink__os_h_rmdir(slink__h *dir, const char *name,
                      const slink__stat *expect, int *os_err) {
  slink__stat now;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink__nt_open_entry(dir, name, SLINK__NT_DELETE, 0, &h, &is_entry,
                                &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(h, &now, &err);
  if (rc == 0 && (!is_entry || now.kind != SLINK_KIND_DIR))
    rc = SLINK_ENOTDIR;
  else if (rc == 0 && expect && !slink__same_file(&now, expect))
    rc = SLINK_ECHANGED;
  else if (rc == 0 && slink__win_is_wine())
    rc = wine_empty(dir, name, &err);
  if (rc == 0)
    rc = slink__nt_delete(h, &err);
  CloseHandle(h);
  return keep(rc, err, os_err);
}

/* FILE_RENAME_INFO as the system lays it out, with the Ex flags word. */
typedef struct rename_info {
  DWORD flags;
  HANDLE root;
  DWORD len;
  WCHAR name[1];
} rename_info;

typedef NTSTATUS(NTAPI *set_info_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG,
                                     FILE_INFORMATION_CLASS);

/* NtSetInformationFile itself: kernel32's wrapper (under Wine) turns a
 * name into a full path and so loses RootDirectory. */
static DWORD set_info(HANDLE h, void *buf, size_t size, int cls) {
  static set_info_fn fn;
  IO_STATUS_BLOCK io;
  NTSTATUS st;
  if (!fn) {
    FARPROC f = GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                               "NtSetInformationFile");
    if (!f)
      return ERROR_NOT_SUPPORTED;
    memcpy(&fn, &f, sizeof f);
  }
  st = fn(h, &io, buf, (ULONG)size, (FILE_INFORMATION_CLASS)cls);
  return st < 0 ? RtlNtStatusToDosError(st) : 0;
}

#define RENAME_CLASS 10     /* FileRenameInformation */
#define RENAME_EX_CLASS 65  /* FileRenameInformationEx (Windows 10 1709) */

DWORD slink__nt_rename(HANDLE h, HANDLE root, const wchar_t *to, size_t len,
                        int replace) {
  size_t size = offsetof(rename_info, name) + (len + 1) * sizeof(wchar_t);
  rename_info *ri = calloc(1, size);
  DWORD e = 0;
  if (!ri)
    return ERROR_NOT_ENOUGH_MEMORY;
  ri->root = root;
  ri->len = (DWORD)(len * sizeof(wchar_t));
  memcpy(ri->name, to, len * sizeof(wchar_t));
  /* POSIX semantics replace a file another program holds open. */
  ri->flags = RENAME_POSIX_SEMANTICS | (replace ? RENAME_REPLACE_IF_EXISTS : 0);
  e = set_info(h, ri, size, RENAME_EX_CLASS);
  if (e && slink__win_delete_falls_back(e)) {
    ri->flags = replace ? 1u : 0u; /* the BOOLEAN ReplaceIfExists */
    e = set_info(h, ri, size, RENAME_CLASS);
  }
  free(ri);
  return e;
}

int slink__os_h_rename(slink__h *from_dir, const char *from, slink__h *to_dir,
                       const char *to, unsigned flags, int *os_err) {
  slink__h *cwd_from = NULL, *cwd_to = NULL;
  wchar_t *wto = NULL;
  size_t tlen = 0;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1, rc;
  if (flags & SLINK__RENAME_EXCHANGE)
    return SLINK_ENOTSUP; /* Windows cannot swap two names */
  rc = slink__nt_name(to, &wto, &tlen);
  if (rc == 0 && !from_dir && (rc = slink__nt_cwd(&cwd_from, os_err)) == 0)
    from_dir = cwd_from;
  if (rc == 0 && !to_dir && (rc = slink__nt_cwd(&cwd_to, os_err)) == 0)
    to_dir = cwd_to;
  if (rc == 0)
    rc = slink__nt_open_entry(from_dir, from, SLINK__NT_DELETE, 0, &h,
                              &is_entry, &err);
  if (rc == 0) {
    if (!is_entry)
      rc = SLINK_ENODATA;
    else if ((err = slink__nt_rename(h, to_dir->h, wto, tlen,
                                     !(flags & SLINK__RENAME_NOREPLACE))) != 0)
      rc = slink__win_error(err);
    CloseHandle(h);
  }
  free(wto);
  slink__os_h_close(cwd_from);
  slink__os_h_close(cwd_to);
  return keep(rc, err, os_err);
}

int slink__os_h_mkdir(slink__h *dir, const char *name, uint32_t mode,
                      int *os_err) {
  wchar_t *w;
  size_t len;
  HANDLE h = NULL;
  DWORD e = 0;
  int rc = slink__nt_name(name, &w, &len);
  (void)mode; /* the directory's ACL is inherited */
  if (rc == 0)
    rc = slink__win_check_name(w, len);
  if (rc < 0) {
    free(w);
    return rc;
  }
  e = slink__nt_open(dir->h, w, len, FILE_LIST_DIRECTORY | SYNCHRONIZE,
                     FILE_DIRECTORY_FILE, FILE_CREATE, &h);
  free(w);
  if (e)
    return slink__nt_fail(e, os_err);
  CloseHandle(h);
  return 0;
}

int slink__os_h_make_writable(slink__h *dir, int *os_err) {
  /* The read-only attribute is what stops a directory's removal; the
   * owner's rights in the ACL are left as they are. */
  DWORD e = set_readonly(dir->h, 0, NULL);
  return e ? slink__nt_fail(e, os_err) : 0;
}

int slink__os_h_may_change(slink__h *dir, const char *name, int *os_err) {
  DWORD fsflags = 0, err = 0;
  HANDLE h = NULL;
  int is_entry = 1, rc;
  if (GetVolumeInformationByHandleW(dir->h, NULL, 0, NULL, NULL, &fsflags,
                                    NULL, 0) &&
      (fsflags & FILE_READ_ONLY_VOLUME))
    return slink__nt_fail(ERROR_WRITE_PROTECT, os_err);
  if (name) {
    /* Removing an entry takes DELETE on it or FILE_DELETE_CHILD on its
     * directory: ask for both, as the removal will. */
    rc = slink__nt_open_entry(dir, name, SLINK__NT_DELETE, 0, &h, &is_entry,
                              &err);
    if (rc == 0) {
      CloseHandle(h);
      return 0;
    }
    if (rc == SLINK_ENOENT) {
      /* Not there yet: the question is whether it may be made (a dry
       * run's DEST). */
      name = NULL;
    } else if (rc != SLINK_EACCES) {
      return keep(rc, err, os_err);
    } else {
      err = reopen(dir->h, FILE_DELETE_CHILD, &h);
    }
  }
  if (!name) {
    err = reopen(dir->h, FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY, &h);
  }
  if (err)
    return slink__nt_fail(err, os_err);
  CloseHandle(h);
  return 0;
}

/* Console control events while a temporary name exists: the handler
 * (which runs on a thread of its own) waits until the name is gone, then
 * lets the default handler end the process as it would have. */
static volatile LONG held;
static HANDLE released; /* manual-reset, signalled while nothing is held */
static INIT_ONCE once = INIT_ONCE_STATIC_INIT;

static BOOL WINAPI on_control(DWORD type) {
  (void)type;
  if (held > 0)
    WaitForSingleObject(released, INFINITE);
  return FALSE;
}

static BOOL CALLBACK install(PINIT_ONCE o, PVOID p, PVOID *c) {
  (void)o;
  (void)p;
  (void)c;
  released = CreateEventW(NULL, TRUE, TRUE, NULL);
  if (released)
    SetConsoleCtrlHandler(on_control, TRUE);
  return TRUE;
}

void slink__os_signals_hold(slink__sigsave *saved) {
  memset(saved, 0, sizeof *saved);
  InitOnceExecuteOnce(&once, install, NULL, NULL);
  if (released && InterlockedIncrement(&held) == 1)
    ResetEvent(released);
  saved->opaque[0] = released != NULL;
}

void slink__os_signals_release(const slink__sigsave *saved) {
  if (saved->opaque[0] && InterlockedDecrement(&held) == 0)
    SetEvent(released);
}
