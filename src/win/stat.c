/*
 * stat.c - describing a path, with and without following links. lstat and
 * readlink of a path are the handle calls on its last component in its
 * parent (hdir.c), so a path and a listing are judged by one rule; what
 * has no parent entry (a drive's root, ".", "..") is described through a
 * handle on itself.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/hpath.h"
#include "win/win.h"

static int fail(DWORD err, int *os_err) {
  if (os_err)
    *os_err = (int)err;
  return slink__win_error(err);
}

/* A last component that is no entry of a parent: a root ("C:\", "\",
 * "\\srv\share"), a drive ("C:"), "." or "..". */
static int has_no_entry(const char *leaf) {
  return slink__win_component(leaf, strlen(leaf)) != 0;
}

/* PATH's parent and last component, judged by Windows' path rules (a
 * device name or a trailing dot refused, a file used as a directory not
 * found). */
static int split(const char *path, slink__h **dir, char **leaf, int *os_err) {
  wchar_t *w;
  char *full = NULL;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  /* The full path as a user writes it ("\\?\C:\x" gives "C:\x"), so
   * that its parent is a directory and not a device. */
  rc = slink__win_user_path(w, wcslen(w), &full);
  free(w);
  if (rc < 0)
    return rc;
  rc = slink__h_parent(full, dir, leaf, os_err);
  free(full);
  return rc == SLINK_ENOTDIR ? SLINK_ENOENT : rc;
}

int slink__os_lstat(const char *path, slink__stat *st, int *os_err) {
  slink__h *dir;
  char *leaf;
  int rc = split(path, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  if (has_no_entry(leaf)) {
    slink__h *self;
    slink__os_h_close(dir);
    rc = slink__h_open_dir(path, &self, st, os_err);
    if (rc == 0)
      slink__os_h_close(self);
  } else {
    rc = slink__os_h_lstat(dir, leaf, st, os_err);
    slink__os_h_close(dir);
  }
  free(leaf);
  return rc;
}

int slink__os_readlink(const char *path, slink_info *info, int *os_err) {
  slink__h *dir;
  char *leaf;
  int rc = split(path, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  rc = has_no_entry(leaf) ? SLINK_EINVAL /* a directory, no link */
                          : slink__os_h_readlink(dir, leaf, info, os_err);
  slink__os_h_close(dir);
  free(leaf);
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
