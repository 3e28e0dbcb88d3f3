/*
 * shell.c - the ID list the Windows shell gives for a path, as Cygwin's
 * symlink_worker asks it for a winsymlinks:lnk shortcut: the desktop
 * folder parses the plain Win32 path (ParseDisplayName takes no \\?\
 * prefix), and the list is copied whole, its terminal ID included
 * (ILGetSize). A path the shell cannot parse (a target that does not
 * exist) gets none. COM is initialised for the call where the thread has
 * not done so (the shell may create the folders it parses through with
 * it) and left as it was found.
 */
#include <stdlib.h>
#include <string.h>

#include "win/win.h"

#include <shlobj.h>

int slink__os_shell_idlist(const char *winpath, unsigned char **buf,
                           size_t *n) {
  *buf = NULL;
  *n = 0;
  wchar_t *w;
  size_t wl;
  int rc = slink__win_to_utf16(winpath, strlen(winpath), &w, &wl);
  if (rc < 0)
    return rc == SLINK_ENOMEM ? rc : 0;
  IShellFolder *desk = NULL;
  PIDLIST_RELATIVE pidl = NULL;
  /* S_OK and S_FALSE are undone; RPC_E_CHANGED_MODE: the caller's own. */
  HRESULT com = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED |
                                         COINIT_DISABLE_OLE1DDE);
  if (SUCCEEDED(SHGetDesktopFolder(&desk))) {
    if (FAILED(desk->lpVtbl->ParseDisplayName(desk, NULL, NULL, w, NULL,
                                              &pidl, NULL)))
      pidl = NULL;
    desk->lpVtbl->Release(desk);
  }
  free(w);
  UINT size = pidl ? ILGetSize((PCUIDLIST_RELATIVE)pidl) : 0;
  rc = 0;
  if (size >= 2 && !(*buf = malloc(size))) {
    rc = SLINK_ENOMEM;
  } else if (size >= 2) {
    memcpy(*buf, pidl, size);
    *n = size;
    rc = 1;
  }
  if (pidl)
    ILFree((PIDLIST_RELATIVE)pidl);
  if (SUCCEEDED(com))
    CoUninitialize();
  return rc;
}
