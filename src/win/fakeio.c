/*
 * fakeio.c - reading and making the files other systems keep in place of
 * links (Git placeholders, Cygwin files, WSL reparse points), always
 * relative to a directory handle (src/sys.h, "Files that stand for
 * links").
 *
 * A file is read through the handle that was checked to be a plain file
 * (opened with FILE_OPEN_REPARSE_POINT, so never through a link); a file
 * made is made with FILE_CREATE and, should anything after that fail,
 * deleted through the handle that made it, so nothing half-made stays.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "win/nt.h"

#define MADE_ACCESS (GENERIC_WRITE | SLINK__NT_DELETE)

static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

/* The same file as H again, for ACCESS (an empty name relative to it). */
static DWORD reopen(HANDLE h, ACCESS_MASK access, HANDLE *out) {
  return slink__nt_open(h, L"", 0, access | SYNCHRONIZE,
                        FILE_OPEN_REPARSE_POINT | FILE_NON_DIRECTORY_FILE,
                        FILE_OPEN, out);
}

/* Read H whole into *BUF: SIZE bytes expected, one more asked for, so a
 * file that grew is seen to. */
static int read_all(HANDLE h, uint64_t size, unsigned char **buf, size_t *len,
                    DWORD *err) {
  size_t cap = (size_t)size + 1, got = 0;
  unsigned char *b = malloc(cap + 1);
  if (!b)
    return SLINK_ENOMEM;
  while (got < cap) {
    DWORD n = 0, want = cap - got > 0x10000000 ? 0x10000000 : (DWORD)(cap - got);
    if (!ReadFile(h, b + got, want, &n, NULL)) {
      *err = GetLastError();
      free(b);
      return slink__win_error(*err);
    }
    if (n == 0)
      break;
    got += n;
  }
  if (got > size) {
    free(b);
    return SLINK_ECHANGED;
  }
  b[got] = 0;
  *buf = b;
  *len = got;
  return 0;
}

int slink__os_h_read_small(slink__h *dir, const char *name, size_t max,
                           unsigned char **buf, size_t *len, slink__stat *st,
                           int *has_attrs, int *os_err) {
  FILE_BASIC_INFO bi;
  DWORD err = 0;
  HANDLE look = NULL, h = NULL;
  int is_entry = 1, rc;
  *buf = NULL;
  *len = 0;
  *has_attrs = 0;
  /* Looked at first with no right to read: whatever is there (a device,
   * a Linux FIFO under Wine) is described before it is read. */
  rc = slink__nt_open_entry(dir, name, SLINK__NT_LOOK, 0, &look, &is_entry,
                            &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(look, st, &err);
  if (rc == 0 && (!is_entry || st->kind != SLINK_KIND_FILE ||
                  (st->attrs & FILE_ATTRIBUTE_REPARSE_POINT)))
    rc = SLINK_EINVAL; /* a link, a directory, a reparse point, a device */
  else if (rc == 0 && st->size > max)
    rc = SLINK_ETOOBIG;
  if (rc == 0 && (err = reopen(look, FILE_READ_DATA | FILE_READ_ATTRIBUTES,
                               &h)) != 0)
    rc = slink__win_error(err);
  CloseHandle(look);
  if (rc == 0) {
    if (GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof bi)) {
      st->attrs = bi.FileAttributes;
      *has_attrs = 1;
    }
    rc = read_all(h, st->size, buf, len, &err);
    CloseHandle(h);
  }
  return keep(rc, err, os_err);
}

int slink__os_h_attrs(slink__h *dir, const char *name, uint32_t *attrs,
                      int *os_err) {
  /* lstat's attributes are the entry's own (FileBasicInfo through a
   * handle, the listing's where no handle can be had). */
  slink__stat st;
  int rc = slink__os_h_lstat(dir, name, &st, os_err);
  if (rc == 0)
    *attrs = st.attrs;
  return rc;
}

/* Make NAME in DIR with FILE_CREATE (a directory when IS_DIR), open for
 * writing and deleting. */
static int create_new(slink__h *dir, const char *name, int is_dir, HANDLE *h,
                      int *os_err) {
  wchar_t *w = NULL;
  size_t len = 0;
  DWORD err;
  int rc = slink__nt_name(name, &w, &len);
  if (rc == 0)
    rc = slink__win_check_name(w, len);
  if (rc < 0) {
    free(w);
    return rc;
  }
  err = slink__nt_open(dir->h, w, len, MADE_ACCESS,
                       FILE_OPEN_REPARSE_POINT |
                           (is_dir ? FILE_DIRECTORY_FILE
                                   : FILE_NON_DIRECTORY_FILE),
                       FILE_CREATE, h);
  free(w);
  return err ? slink__nt_fail(err, os_err) : 0;
}

/* RC after a failure on the new file H: it is deleted again. */
static int undo(HANDLE h, int rc, DWORD err, int *os_err) {
  DWORD ignored;
  slink__nt_delete(h, &ignored);
  CloseHandle(h);
  return keep(rc, err, os_err);
}

int slink__os_h_write_new(slink__h *dir, const char *name, const void *data,
                          size_t len, uint32_t mode, uint32_t attrs,
                          int *os_err) {
  const unsigned char *p = data;
  FILE_BASIC_INFO bi;
  DWORD err = 0;
  HANDLE h = NULL;
  int rc = create_new(dir, name, 0, &h, os_err);
  if (rc < 0)
    return rc;
  while (len > 0) {
    DWORD n = 0, want = len > 0x10000000 ? 0x10000000 : (DWORD)len;
    if (!WriteFile(h, p, want, &n, NULL) || n == 0) {
      err = GetLastError();
      return undo(h, err ? slink__win_error(err) : SLINK_EIO, err, os_err);
    }
    p += n;
    len -= n;
  }
  /* No write permission for the owner is what read-only means here. */
  if (!(mode & 0200))
    attrs |= FILE_ATTRIBUTE_READONLY;
  if (attrs) {
    memset(&bi, 0, sizeof bi); /* zero times: left as they are */
    bi.FileAttributes = attrs;
    if (!SetFileInformationByHandle(h, FileBasicInfo, &bi, sizeof bi)) {
      err = GetLastError();
      return undo(h, slink__win_error(err), err, os_err);
    }
  }
  CloseHandle(h);
  return 0;
}

int slink__os_h_reparse_new(slink__h *dir, const char *name, int is_dir,
                            const unsigned char *buf, size_t len,
                            int *os_err) {
  unsigned char *got = NULL;
  size_t got_len = 0;
  DWORD err = 0;
  HANDLE h = NULL;
  int rc = create_new(dir, name, is_dir, &h, os_err);
  if (rc < 0)
    return rc;
  rc = slink__win_set_reparse(h, buf, len, &err);
  if (rc < 0)
    /* FAT and exFAT have no reparse points, nor has Wine (8.0): the
     * system's ERROR_NOT_SUPPORTED or ERROR_INVALID_FUNCTION, ENOTSUP. */
    return undo(h, rc, err, os_err);
  /* Read back: what is stored must be the very bytes given. */
  if (slink__win_get_reparse(h, &got, &got_len, &err) < 0 ||
      got_len != len || memcmp(got, buf, len) != 0) {
    free(got);
    return undo(h, SLINK_ENOTVERIFIED, 0, os_err);
  }
  free(got);
  CloseHandle(h);
  return 0;
}

int slink__os_h_winpath(slink__h *dir, const char *winpath, char **target,
                        int *os_err) {
  (void)dir;
  (void)os_err;
  /* Windows follows the path as the shortcut names it. */
  return (*target = slink__strdup(winpath)) ? 0 : SLINK_ENOMEM;
}

int slink__os_h_set_attrs(slink__h *dir, const char *name,
                          const slink__stat *expect, uint32_t attrs,
                          int *os_err) {
  FILE_BASIC_INFO bi;
  slink__stat st;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink__nt_open_entry(dir, name,
                                SLINK__NT_LOOK | FILE_WRITE_ATTRIBUTES, 0, &h,
                                &is_entry, &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(h, &st, &err);
  if (rc == 0 && (!is_entry || !slink__same_file(&st, expect)))
    rc = SLINK_ECHANGED;
  if (rc == 0) {
    memset(&bi, 0, sizeof bi); /* zero times: left as they are */
    bi.FileAttributes = attrs;
    if (!SetFileInformationByHandle(h, FileBasicInfo, &bi, sizeof bi)) {
      err = GetLastError();
      rc = slink__win_error(err);
    }
  }
  CloseHandle(h);
  return keep(rc, err, os_err);
}
