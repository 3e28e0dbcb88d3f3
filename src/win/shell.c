/*
 * shell.c - the ID list the Windows shell gives for a path, as Cygwin's
 * symlink_worker asks it for a winsymlinks:lnk shortcut: the desktop
 * folder parses the plain Win32 path (ParseDisplayName takes no \\?\
 * prefix), and the list is copied whole, its terminal ID included
 * (ILGetSize). A path the shell cannot parse (a target that does not
 * exist) gets none. No COM initialisation: the desktop folder and its
 * file system parsing live in shell32 itself, and Cygwin does not
 * initialise COM either.
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
  if (SUCCEEDED(SHGetDesktopFolder(&desk))) {
    if (FAILED(desk->lpVtbl->ParseDisplayName(desk, NULL, NULL, w, NULL,
                                              &pidl, NULL)))
      pidl = NULL;
    desk->lpVtbl->Release(desk);
  }
  free(w);
  if (!pidl)
    return 0;
  UINT size = ILGetSize((PCUIDLIST_RELATIVE)pidl);
  rc = 0;
  if (size >= 2 && (*buf = malloc(size)) != NULL) {
    memcpy(*buf, pidl, size);
    *n = size;
    rc = 1;
  } else if (size >= 2) {
    rc = SLINK_ENOMEM;
  }
  ILFree((PIDLIST_RELATIVE)pidl);
  return rc;
}
