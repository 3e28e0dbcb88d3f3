/*
 * path.c - from the user's path to the one the API is given, and back.
 *
 * Every path is made absolute with GetFullPathNameW (which resolves "."
 * and "..", drive-relative "C:foo" against that drive's own current
 * directory, and "\\foo" against the current drive) and then given the
 * \\?\ prefix, so the length limit of MAX_PATH does not apply. Because
 * the prefix also turns off Windows' silent rewriting of names (a trailing
 * dot or space dropped, "nul.txt" opening the NUL device), such names are
 * refused before conversion: what slink makes is what the user named.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

static int is_sep(wchar_t c) { return c == L'\\' || c == L'/'; }

static wchar_t upper_ascii(wchar_t c) {
  return c >= L'a' && c <= L'z' ? (wchar_t)(c - L'a' + L'A') : c;
}

/* Device names stay reserved with any extension and trailing spaces. */
static int is_reserved(const wchar_t *name, size_t len) {
  static const wchar_t *const plain[] = { L"CON", L"PRN", L"AUX", L"NUL",
                                          L"CONIN$", L"CONOUT$" };
  size_t base = 0;
  while (base < len && name[base] != L'.')
    base++;
  while (base > 0 && name[base - 1] == L' ')
    base--;
  for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
    size_t n = wcslen(plain[k]), j = 0;
    if (n != base)
      continue;
    while (j < n && upper_ascii(name[j]) == plain[k][j])
      j++;
    if (j == n)
      return 1;
  }
  if (base == 4) {
    wchar_t a = upper_ascii(name[0]), b = upper_ascii(name[1]);
    wchar_t c = upper_ascii(name[2]), d = name[3];
    int com = a == L'C' && b == L'O' && c == L'M';
    int lpt = a == L'L' && b == L'P' && c == L'T';
    /* Digits, and the superscripts Windows also treats as digits. */
    int digit = (d >= L'0' && d <= L'9') || d == 0x00B9 || d == 0x00B2 ||
                d == 0x00B3;
    return (com || lpt) && digit;
  }
  return 0;
}

int slink__win_check_name(const wchar_t *name, size_t len) {
  if (len == 0 || (len == 1 && name[0] == L'.') ||
      (len == 2 && name[0] == L'.' && name[1] == L'.'))
    return 0;
  if (name[len - 1] == L'.' || name[len - 1] == L' ')
    return SLINK_EBADNAME;
  /* "f:s" is the stream s of the file f, never a name of its own. */
  for (size_t i = 0; i < len; i++)
    if (name[i] == L':')
      return SLINK_EINVAL;
  if (is_reserved(name, len))
    return SLINK_ERESERVED;
  return 0;
}

/* Where the names start: after "X:", "\\server\share" or a leading
 * separator. */
static size_t root_length(const wchar_t *p) {
  if (is_sep(p[0]) && is_sep(p[1])) {
    size_t i = 2;
    for (int part = 0; part < 2; part++) {
      while (p[i] && !is_sep(p[i]))
        i++;
      if (part == 0 && p[i])
        i++;
    }
    return i;
  }
  if (p[0] && p[1] == L':')
    return 2;
  return 0;
}

static int check_names(const wchar_t *p) {
  size_t i = root_length(p);
  while (p[i]) {
    size_t start;
    while (is_sep(p[i]))
      i++;
    start = i;
    while (p[i] && !is_sep(p[i]))
      i++;
    int rc = slink__win_check_name(p + start, i - start);
    if (rc < 0)
      return rc;
  }
  return 0;
}

static int is_verbatim(const wchar_t *p) {
  return is_sep(p[0]) && is_sep(p[1]) && (p[2] == L'?' || p[2] == L'.') &&
         is_sep(p[3]);
}

int slink__win_path(const char *path, wchar_t **out) {
  wchar_t *w, *full, *res;
  size_t wlen, flen;
  DWORD n;
  int rc;
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  rc = slink__win_to_utf16(path, strlen(path), &w, &wlen);
  if (rc < 0)
    return rc;
  /* "\??\C:\x", as stored in reparse data, means "\\?\C:\x" here. */
  if (w[0] == L'\\' && w[1] == L'?' && w[2] == L'?' && w[3] == L'\\')
    w[1] = L'\\';
  /* '/' can never be part of a name, so it is a separator everywhere. */
  for (size_t i = 0; i < wlen; i++)
    if (w[i] == L'/')
      w[i] = L'\\';
  if (is_verbatim(w)) {
    *out = w;
    return 0;
  }
  rc = check_names(w);
  if (rc < 0) {
    free(w);
    return rc;
  }
  n = GetFullPathNameW(w, 0, NULL, NULL);
  if (n == 0) {
    free(w);
    return slink__win_last_error(NULL);
  }
  full = malloc(((size_t)n + 1) * sizeof *full);
  if (!full) {
    free(w);
    return SLINK_ENOMEM;
  }
  n = GetFullPathNameW(w, n + 1, full, NULL);
  free(w);
  if (n == 0) {
    free(full);
    return slink__win_last_error(NULL);
  }
  flen = n;
  /* "C:\dir\" names the directory; the API wants it without the slash. */
  while (flen > 3 && full[flen - 1] == L'\\')
    full[--flen] = 0;
  res = malloc((flen + 9) * sizeof *res);
  if (!res) {
    free(full);
    return SLINK_ENOMEM;
  }
  if (full[0] == L'\\' && full[1] == L'\\') {
    wcscpy(res, L"\\\\?\\UNC\\");
    wcscat(res, full + 2);
  } else {
    wcscpy(res, L"\\\\?\\");
    wcscat(res, full);
  }
  free(full);
  *out = res;
  return 0;
}

int slink__win_user_path(const wchar_t *p, size_t len, char **out) {
  if (len >= 8 && wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
    char *tail;
    int rc = slink__win_to_utf8(p + 6, len - 6, &tail, NULL);
    if (rc < 0)
      return rc;
    tail[0] = '\\';
    *out = tail;
    return 0;
  }
  if (len >= 6 && wcsncmp(p, L"\\\\?\\", 4) == 0 && p[5] == L':')
    return slink__win_to_utf8(p + 4, len - 4, out, NULL);
  return slink__win_to_utf8(p, len, out, NULL);
}

/* Wine answers ERROR_MORE_DATA, whatever the buffer, for a path longer
 * than MAX_PATH. Its volume-relative name (FileNameInfo) has no such
 * limit; the drive is then the one of the path that was opened. */
static int name_info_path(HANDLE h, const wchar_t *opened, wchar_t **out,
                          DWORD *err) {
  size_t size = sizeof(FILE_NAME_INFO) + 65536 * sizeof(wchar_t), n;
  FILE_NAME_INFO *ni;
  wchar_t *r;
  if (wcslen(opened) < 6 || wcsncmp(opened, L"\\\\?\\", 4) != 0 ||
      opened[5] != L':') {
    *err = ERROR_MORE_DATA;
    return SLINK_ENAMETOOLONG;
  }
  ni = malloc(size);
  if (!ni)
    return SLINK_ENOMEM;
  if (!GetFileInformationByHandleEx(h, FileNameInfo, ni, (DWORD)size)) {
    *err = GetLastError();
    free(ni);
    return slink__win_error(*err);
  }
  n = ni->FileNameLength / sizeof(wchar_t);
  r = malloc((n + 7) * sizeof *r);
  if (!r) {
    free(ni);
    return SLINK_ENOMEM;
  }
  memcpy(r, opened, 6 * sizeof *r);
  memcpy(r + 6, ni->FileName, n * sizeof *r);
  r[n + 6] = 0;
  free(ni);
  *out = r;
  return 0;
}

int slink__win_final_path(HANDLE h, const wchar_t *opened, wchar_t **out,
                          DWORD *err) {
  DWORD cap = 1024;
  for (;;) {
    wchar_t *buf = malloc(((size_t)cap + 1) * sizeof *buf);
    DWORD n;
    if (!buf)
      return SLINK_ENOMEM;
    n = GetFinalPathNameByHandleW(h, buf, cap, FILE_NAME_NORMALIZED);
    if (n > 0 && n < cap) {
      *out = buf;
      return 0;
    }
    free(buf);
    if (n == 0) {
      *err = GetLastError();
      if (*err == ERROR_MORE_DATA)
        return name_info_path(h, opened, out, err);
      return slink__win_error(*err);
    }
    cap = n + 1;
  }
}

/* "C:\x", "\\srv\share" and also "\x": a path from the root of the
 * current drive names the same file wherever it is used from, so it is
 * never joined to a directory. Only "C:x" depends on a current directory
 * it does not show, and is relative. */
int slink__os_is_absolute(const char *path) {
  unsigned char c = (unsigned char)path[0];
  if (path[0] == '\\' || path[0] == '/')
    return 1;
  return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) &&
         path[1] == ':' && (path[2] == '\\' || path[2] == '/');
}

int slink__os_is_sep(char c) { return c == '/' || c == '\\'; }

int slink__os_getcwd(char **out, int *os_err) {
  DWORD n = GetCurrentDirectoryW(0, NULL);
  wchar_t *buf;
  int rc;
  if (n == 0)
    return slink__win_last_error(os_err);
  buf = malloc(((size_t)n + 1) * sizeof *buf);
  if (!buf)
    return SLINK_ENOMEM;
  n = GetCurrentDirectoryW(n + 1, buf);
  if (n == 0) {
    free(buf);
    return slink__win_last_error(os_err);
  }
  rc = slink__win_user_path(buf, n, out);
  free(buf);
  return rc;
}

int slink__os_realpath(const char *path, char **out, int *os_err) {
  wchar_t *w, *final;
  DWORD err = 0;
  HANDLE h;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  h = slink__win_open(w, 0, 1, &err);
  if (h == INVALID_HANDLE_VALUE) {
    free(w);
    if (os_err)
      *os_err = (int)err;
    return slink__win_error(err);
  }
  rc = slink__win_final_path(h, w, &final, &err);
  CloseHandle(h);
  free(w);
  if (rc < 0) {
    if (os_err)
      *os_err = (int)err;
    return rc;
  }
  rc = slink__win_user_path(final, wcslen(final), out);
  free(final);
  return rc;
}

int slink__os_check_typed_name(const char *name) {
  wchar_t *w = NULL;
  size_t len = 0;
  int rc;
  /* Not UTF-8 or holding a NUL: the open that follows says so. */
  if (slink__win_to_utf16(name, strlen(name), &w, &len) < 0)
    return 0;
  rc = slink__win_check_name(w, len);
  free(w);
  /* ':' (a stream, a drive) is the handle calls' to judge. */
  return rc == SLINK_ERESERVED || rc == SLINK_EBADNAME ? rc : 0;
}
