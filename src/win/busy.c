/* busy.c - is a file of a tree about to be moved open elsewhere? On
 * Windows a program that opened it without FILE_SHARE_DELETE makes an
 * open with DELETE access (full sharing on this side) fail with a
 * sharing violation; it would make the old tree's removal fail halfway
 * too. The Restart Manager then names a process that holds it. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/nt.h"

#include <restartmanager.h>

#define HOLDERS 8

/* A process other than this one holding the file NAME (LEN units) of
 * DIR, or 0 where the Restart Manager cannot say. */
static uint64_t holder(slink__h *dir, const wchar_t *name, size_t len) {
  wchar_t *dp = NULL, key[CCH_RM_SESSION_KEY + 1];
  DWORD err = 0, session = 0, reasons = 0;
  if (slink__nt_dir_path(dir, &dp, &err) < 0)
    return 0;
  size_t dl = wcslen(dp);
  wchar_t *p = malloc((dl + len + 2) * sizeof *p);
  if (!p) {
    free(dp);
    return 0;
  }
  memcpy(p, dp, dl * sizeof *p);
  p[dl] = L'\\';
  memcpy(p + dl + 1, name, len * sizeof *p);
  p[dl + 1 + len] = 0;
  free(dp);
  uint64_t pid = 0;
  if (RmStartSession(&session, 0, key) == ERROR_SUCCESS) {
    LPCWSTR files[1];
    files[0] = p;
    RM_PROCESS_INFO info[HOLDERS];
    UINT need = 0, n = HOLDERS;
    if (RmRegisterResources(session, 1, files, 0, NULL, 0, NULL) ==
            ERROR_SUCCESS &&
        RmGetList(session, &need, &n, info, &reasons) == ERROR_SUCCESS)
      for (UINT i = 0; i < n && !pid; i++)
        if (info[i].Process.dwProcessId != GetCurrentProcessId())
          pid = info[i].Process.dwProcessId;
    RmEndSession(session);
  }
  free(p);
  return pid;
}

int slink__os_h_file_busy(slink__h *dir, const char *name,
                          const slink__stat *expect, uint64_t *pid,
                          int *os_err) {
  wchar_t *w = NULL;
  size_t len = 0;
  HANDLE h = NULL;
  slink__stat now;
  *pid = 0;
  int rc = slink__nt_name(name, &w, &len);
  if (rc < 0)
    return rc;
  DWORD e = slink__nt_open(dir->h, w, len, SLINK__NT_DELETE,
                           FILE_OPEN_REPARSE_POINT, FILE_OPEN, &h);
  if (e == ERROR_SHARING_VIOLATION || e == ERROR_LOCK_VIOLATION) {
    *pid = holder(dir, w, len);
    free(w);
    if (os_err)
      *os_err = (int)e;
    return SLINK_EBUSY;
  }
  free(w);
  if (e)
    return slink__nt_fail(e, os_err);
  rc = slink__win_handle_stat(h, &now, &e);
  CloseHandle(h);
  if (rc < 0)
    return slink__nt_fail(e, os_err);
  if (now.kind != SLINK_KIND_FILE || (expect && !slink__same_file(expect, &now)))
    return SLINK_ECHANGED;
  return 0;
}
