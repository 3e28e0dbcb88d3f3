/*
 * names.c - every name of a file, from NTFS itself: FindFirstFileNameW /
 * FindNextFileNameW walk the file's own list of hard links, so no
 * directory tree is searched. The functions are looked up at run time:
 * Wine exports no such functions (and a static import of them is a stub
 * that ends the process), and neither have some other filesystems'
 * drivers; there the answer is SLINK_ENOTSUP and the caller walks a tree.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

typedef HANDLE(WINAPI *first_fn)(LPCWSTR, DWORD, LPDWORD, PWSTR);
typedef BOOL(WINAPI *next_fn)(HANDLE, LPDWORD, PWSTR);

static int lookup(first_fn *first, next_fn *next) {
  HMODULE k = GetModuleHandleW(L"kernel32.dll");
  FARPROC f = k ? GetProcAddress(k, "FindFirstFileNameW") : NULL;
  FARPROC n = k ? GetProcAddress(k, "FindNextFileNameW") : NULL;
  if (!f || !n)
    return 0;
  memcpy(first, &f, sizeof f);
  memcpy(next, &n, sizeof n);
  return 1;
}

/* One name as the user writes it: the volume ("C:", "\\srv\share") and
 * the volume-relative name the system gives. */
static int add(char ***v, size_t *n, const wchar_t *volume, size_t vlen,
               const wchar_t *name) {
  size_t nlen = wcslen(name);
  wchar_t *full = malloc((vlen + nlen + 1) * sizeof *full);
  char **bigger = realloc(*v, (*n + 1) * sizeof **v);
  int rc;
  if (bigger)
    *v = bigger;
  if (!full || !bigger) {
    free(full);
    return SLINK_ENOMEM;
  }
  memcpy(full, volume, vlen * sizeof *full);
  memcpy(full + vlen, name, (nlen + 1) * sizeof *full);
  rc = slink__win_user_path(full, vlen + nlen, &(*v)[*n]);
  free(full);
  if (rc == 0)
    (*n)++;
  return rc;
}

int slink__win_file_names(const char *path, char ***names, size_t *count,
                          int *os_err) {
  first_fn first;
  next_fn next;
  wchar_t *w, volume[MAX_PATH + 1], *buf = NULL;
  DWORD cap = 1024, len;
  size_t vlen;
  char **v = NULL;
  size_t n = 0;
  HANDLE f;
  int rc;
  if (!lookup(&first, &next))
    return SLINK_ENOTSUP;
  rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  if (!GetVolumePathNameW(w, volume, MAX_PATH + 1)) {
    free(w);
    return slink__win_last_error(os_err);
  }
  /* "\\?\C:\" gives "\\?\C:": the names start with their own "\". */
  vlen = wcslen(volume);
  while (vlen > 0 && volume[vlen - 1] == L'\\')
    vlen--;
  for (;;) {
    free(buf);
    buf = malloc(cap * sizeof *buf);
    if (!buf) {
      free(w);
      return SLINK_ENOMEM;
    }
    len = cap;
    f = first(w, 0, &len, buf);
    if (f != INVALID_HANDLE_VALUE || GetLastError() != ERROR_MORE_DATA)
      break;
    cap = len > cap ? len + 1 : cap * 2;
  }
  free(w);
  if (f == INVALID_HANDLE_VALUE) {
    free(buf);
    return slink__win_last_error(os_err);
  }
  for (rc = add(&v, &n, volume, vlen, buf); rc == 0;) {
    len = cap;
    if (next(f, &len, buf)) {
      rc = add(&v, &n, volume, vlen, buf);
    } else if (GetLastError() == ERROR_MORE_DATA) {
      wchar_t *bigger = realloc(buf, ((size_t)len + 1) * sizeof *buf);
      if (!bigger) {
        rc = SLINK_ENOMEM;
        break;
      }
      buf = bigger;
      cap = len + 1;
    } else {
      if (GetLastError() != ERROR_HANDLE_EOF)
        rc = slink__win_last_error(os_err);
      break;
    }
  }
  FindClose(f);
  free(buf);
  if (rc < 0) {
    for (size_t i = 0; i < n; i++)
      free(v[i]);
    free(v);
    return rc;
  }
  *names = v;
  *count = n;
  return 0;
}

int slink__os_file_names(const char *path, char ***names, size_t *count,
                         int *os_err) {
  return slink__win_file_names(path, names, count, os_err);
}
