/*
 * rename.c - putting a new link in place of an old one. A file or a file
 * symlink is replaced in one step (rename with replace on a handle of the
 * new entry). Windows never renames over a directory entry, and a junction
 * or directory symlink is one: the old link is first moved aside, and
 * moved back if the new one cannot take its place, so a failure leaves
 * things as they were.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

static int rename_handle(HANDLE h, const wchar_t *to, int replace,
                         DWORD *err) {
  size_t n = wcslen(to);
  size_t size = sizeof(FILE_RENAME_INFO) + n * sizeof(wchar_t);
  FILE_RENAME_INFO *ri = calloc(1, size);
  BOOL ok;
  if (!ri)
    return SLINK_ENOMEM;
  ri->ReplaceIfExists = replace ? TRUE : FALSE;
  ri->RootDirectory = NULL;
  ri->FileNameLength = (DWORD)(n * sizeof(wchar_t));
  memcpy(ri->FileName, to, (n + 1) * sizeof(wchar_t));
  ok = SetFileInformationByHandle(h, FileRenameInfo, ri, (DWORD)size);
  if (!ok)
    *err = GetLastError();
  free(ri);
  return ok ? 0 : slink__win_error(*err);
}

/* A name beside TO for the old link while the new one moves in. */
static wchar_t *aside_name(const wchar_t *to) {
  static const wchar_t hex[] = L"0123456789abcdef";
  size_t n = wcslen(to);
  unsigned char rnd[8];
  wchar_t *r = malloc((n + 32) * sizeof *r);
  if (!r)
    return NULL;
  slink__os_random(rnd, sizeof rnd);
  memcpy(r, to, n * sizeof *r);
  wcscpy(r + n, L".slink-old-");
  n += 11;
  for (size_t i = 0; i < sizeof rnd; i++) {
    r[n++] = hex[rnd[i] >> 4];
    r[n++] = hex[rnd[i] & 15];
  }
  r[n] = 0;
  return r;
}

/* TO is a directory link: move it aside, move FROM in, delete the old
 * one through the handle that moved it. */
static int replace_dir_link(HANDLE from, const wchar_t *wto, DWORD *err) {
  wchar_t *aside = aside_name(wto);
  HANDLE old;
  unsigned char *buf;
  size_t len;
  int rc;
  if (!aside)
    return SLINK_ENOMEM;
  old = slink__win_open(wto, DELETE, 0, err);
  if (old == INVALID_HANDLE_VALUE) {
    free(aside);
    return slink__win_error(*err);
  }
  /* Only a link whose data reads back is moved (never a directory). */
  rc = slink__win_is_entry(old, wto, err) == 1 &&
               slink__win_get_reparse(old, &buf, &len, err) == 0
           ? 0 : SLINK_EDIRNOTREPLACED;
  if (rc == 0) {
    free(buf);
    rc = rename_handle(old, aside, 0, err);
  }
  if (rc == 0) {
    rc = rename_handle(from, wto, 0, err);
    if (rc < 0) {
      DWORD ignored;
      rename_handle(old, wto, 0, &ignored);
    } else {
      slink__win_delete_handle(old, err);
    }
  }
  CloseHandle(old);
  free(aside);
  return rc;
}

int slink__os_rename(const char *from, const char *to, int *os_err) {
  wchar_t *wfrom, *wto;
  DWORD err = 0, attrs;
  HANDLE h;
  int rc = slink__win_path(from, &wfrom);
  if (rc < 0)
    return rc;
  rc = slink__win_path(to, &wto);
  if (rc < 0) {
    free(wfrom);
    return rc;
  }
  h = slink__win_open(wfrom, DELETE, 0, &err);
  if (h == INVALID_HANDLE_VALUE) {
    rc = slink__win_error(err);
  } else {
    attrs = GetFileAttributesW(wto);
    if (attrs != INVALID_FILE_ATTRIBUTES &&
        (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
      rc = attrs & FILE_ATTRIBUTE_REPARSE_POINT
               ? replace_dir_link(h, wto, &err)
               : SLINK_EDIRNOTREPLACED;
    } else {
      rc = rename_handle(h, wto, 1, &err);
    }
    CloseHandle(h);
  }
  free(wfrom);
  free(wto);
  if (rc < 0 && os_err)
    *os_err = (int)err;
  return rc;
}
