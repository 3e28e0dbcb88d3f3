/*
 * link.c - making symbolic links, junctions and hard links.
 *
 * Each reparse point made is read back through a handle on the new entry
 * before success is reported: some systems (Wine) answer "done" to
 * CreateSymbolicLinkW and make nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/internal.h"
#include "win/win.h"

static int fail(DWORD err, int *os_err) {
  if (os_err)
    *os_err = (int)err;
  return slink__win_error(err);
}

/* Nonzero when the reparse data on H has the tag and substitute name of
 * the buffer EXPECT (the codec's encoding of what was asked for). */
static int holds(HANDLE h, const unsigned char *expect, size_t expect_len,
                 DWORD *err) {
  slink_reparse want, got;
  unsigned char *buf = NULL;
  size_t len = 0;
  int same = 0;
  memset(&want, 0, sizeof want);
  memset(&got, 0, sizeof got);
  if (slink__win_get_reparse(h, &buf, &len, err) == 0 &&
      slink_reparse_decode(buf, len, &got) == 0 &&
      slink_reparse_decode(expect, expect_len, &want) == 0)
    same = got.tag == want.tag && got.flags == want.flags &&
           got.substitute_len == want.substitute_len &&
           memcmp(got.substitute_name, want.substitute_name,
                  want.substitute_len) == 0;
  slink_reparse_free(&want);
  slink_reparse_free(&got);
  free(buf);
  return same;
}

/* After CreateSymbolicLinkW said yes: is the link there, as asked? */
static int verify_symlink(const wchar_t *wl, const char *target, int is_dir,
                          int *os_err) {
  unsigned char *expect;
  size_t expect_len;
  DWORD err = 0;
  HANDLE h;
  slink__stat st;
  int ok, rc = slink_reparse_encode_symlink(target, &expect, &expect_len);
  if (rc < 0)
    return rc;
  h = slink__win_open(wl, DELETE, 0, &err);
  if (h == INVALID_HANDLE_VALUE) {
    free(expect);
    return SLINK_ENOTVERIFIED;
  }
  ok = slink__win_is_entry(h, wl, &err) == 1 &&
       slink__win_handle_stat(h, &st, &err) == 0 &&
       st.kind == (is_dir ? SLINK_KIND_DIR_SYMLINK : SLINK_KIND_SYMLINK);
  if (ok && !holds(h, expect, expect_len, &err)) {
    /* A symbolic link of ours with other contents: take it back through
     * the handle that was checked to be the link itself. */
    slink__win_delete_handle(h, &err);
    ok = 0;
  }
  CloseHandle(h);
  free(expect);
  if (!ok && os_err)
    *os_err = 0;
  return ok ? 0 : SLINK_ENOTVERIFIED;
}

int slink__os_symlink(const char *target, const char *link, int is_dir,
                      const char *drive, int *os_err) {
  DWORD flags = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
  wchar_t *wl, *wt;
  size_t tlen;
  int rc;
  (void)drive; /* Windows knows its drive letters */
  if (!target || !*target)
    return SLINK_EEMPTYPATH;
  rc = slink__win_path(link, &wl);
  if (rc < 0)
    return rc;
  rc = slink__win_to_utf16(target, strlen(target), &wt, &tlen);
  if (rc < 0) {
    free(wl);
    return rc;
  }
  for (size_t i = 0; i < tlen; i++)
    if (wt[i] == L'/')
      wt[i] = L'\\';
  if (is_dir)
    flags |= SYMBOLIC_LINK_FLAG_DIRECTORY;
  if (!CreateSymbolicLinkW(wl, wt, flags)) {
    DWORD err = GetLastError();
    /* Windows before 10 1703 does not know the unprivileged flag. */
    if (err == ERROR_INVALID_PARAMETER &&
        CreateSymbolicLinkW(wl, wt,
                            flags & ~(DWORD)SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE))
      err = ERROR_SUCCESS;
    if (err != ERROR_SUCCESS) {
      free(wl);
      free(wt);
      return fail(err, os_err);
    }
  }
  free(wt);
  rc = verify_symlink(wl, target, is_dir, os_err);
  free(wl);
  return rc;
}

/* The drive-letter form ("C:\dir") of an absolute local directory. */
static int junction_target(const char *abs_target, char **out, int *os_err) {
  wchar_t *wt;
  DWORD attrs;
  int rc = slink__win_path(abs_target, &wt);
  if (rc < 0)
    return rc;
  attrs = GetFileAttributesW(wt);
  if (attrs == INVALID_FILE_ATTRIBUTES) {
    DWORD err = GetLastError();
    free(wt);
    rc = fail(err, os_err);
    return rc == SLINK_ENOENT ? SLINK_ENOTARGET : rc;
  }
  if (!(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
    free(wt);
    return SLINK_ETARGETNOTDIR;
  }
  /* Only \\?\X:\ paths are local; \\?\UNC\ and devices are not. */
  if (!(wcslen(wt) >= 7 && wt[5] == L':' && wt[6] == L'\\' &&
        wcsncmp(wt, L"\\\\?\\", 4) == 0)) {
    free(wt);
    return SLINK_ERELJUNCTION;
  }
  rc = slink__win_to_utf8(wt + 4, wcslen(wt + 4), out, NULL);
  free(wt);
  return rc;
}

int slink__os_junction(const char *abs_target, const char *link,
                       const char *drive, slink_kind *made_kind,
                       int *os_err) {
  unsigned char *buf = NULL;
  size_t len = 0;
  char *target = NULL;
  wchar_t *wl;
  DWORD err = 0;
  HANDLE h;
  int rc;
  (void)drive;
  rc = junction_target(abs_target, &target, os_err);
  if (rc == 0)
    rc = slink_reparse_encode_junction(target, &buf, &len);
  free(target);
  if (rc < 0)
    return rc;
  rc = slink__win_path(link, &wl);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  if (!CreateDirectoryW(wl, NULL)) {
    err = GetLastError();
    free(wl);
    free(buf);
    return fail(err, os_err);
  }
  h = CreateFileW(wl, GENERIC_WRITE | DELETE | FILE_READ_ATTRIBUTES,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                  NULL, OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                  NULL);
  if (h == INVALID_HANDLE_VALUE) {
    err = GetLastError();
    RemoveDirectoryW(wl); /* the empty directory made a moment ago */
    free(wl);
    free(buf);
    return fail(err, os_err);
  }
  rc = slink__win_set_reparse(h, buf, len, &err);
  if (rc == 0 && !holds(h, buf, len, &err)) {
    rc = SLINK_ENOTVERIFIED;
    err = 0;
  }
  if (rc < 0) {
    /* Nothing half-made: the directory goes again. */
    DWORD ignored;
    slink__win_delete_handle(h, &ignored);
    if (os_err)
      *os_err = (int)err;
  }
  CloseHandle(h);
  free(wl);
  free(buf);
  if (rc == 0)
    *made_kind = SLINK_KIND_JUNCTION;
  return rc;
}

int slink__os_hardlink(const char *target, const char *link, int *os_err) {
  wchar_t *wl, *wt;
  DWORD attrs;
  int rc = slink__win_path(link, &wl);
  if (rc < 0)
    return rc;
  rc = slink__win_path(target, &wt);
  if (rc < 0) {
    free(wl);
    return rc;
  }
  attrs = GetFileAttributesW(wt);
  if (attrs != INVALID_FILE_ATTRIBUTES &&
      (attrs & FILE_ATTRIBUTE_DIRECTORY) &&
      !(attrs & FILE_ATTRIBUTE_REPARSE_POINT))
    rc = SLINK_EHARDLINKDIR;
  else if (!CreateHardLinkW(wl, wt, NULL))
    rc = fail(GetLastError(), os_err);
  free(wl);
  free(wt);
  return rc;
}
