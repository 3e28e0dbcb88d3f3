/* dir.c - the names in a directory. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

static int is_dot(const wchar_t *n) {
  return n[0] == L'.' && (n[1] == 0 || (n[1] == L'.' && n[2] == 0));
}

int slink__os_list_dir(const char *dir, char ***names, size_t *count,
                       int *os_err) {
  WIN32_FIND_DATAW fd;
  wchar_t *w, *pattern;
  size_t n = 0, cap = 16, wl;
  char **list;
  HANDLE f;
  int rc = slink__win_path(dir, &w);
  if (rc < 0)
    return rc;
  wl = wcslen(w);
  pattern = malloc((wl + 3) * sizeof *pattern);
  list = malloc(cap * sizeof *list);
  if (!pattern || !list) {
    free(w);
    free(pattern);
    free(list);
    return SLINK_ENOMEM;
  }
  memcpy(pattern, w, wl * sizeof *w);
  if (wl > 0 && w[wl - 1] != L'\\')
    pattern[wl++] = L'\\';
  pattern[wl++] = L'*';
  pattern[wl] = 0;
  free(w);
  f = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch,
                       NULL, FIND_FIRST_EX_LARGE_FETCH);
  free(pattern);
  if (f == INVALID_HANDLE_VALUE) {
    /* An empty FAT or exFAT root has no "." to find (issue 13.7). */
    if (GetLastError() == ERROR_FILE_NOT_FOUND) {
      *names = list;
      *count = 0;
      return 0;
    }
    free(list);
    return slink__win_last_error(os_err);
  }
  do {
    if (is_dot(fd.cFileName))
      continue;
    if (n == cap) {
      char **bigger = realloc(list, 2 * cap * sizeof *list);
      if (!bigger) {
        rc = SLINK_ENOMEM;
        break;
      }
      list = bigger;
      cap *= 2;
    }
    rc = slink__win_to_utf8(fd.cFileName, wcslen(fd.cFileName), &list[n],
                            NULL);
    if (rc < 0)
      break;
    n++;
  } while (FindNextFileW(f, &fd));
  if (rc == 0 && GetLastError() != ERROR_NO_MORE_FILES)
    rc = slink__win_last_error(os_err);
  FindClose(f);
  if (rc < 0) {
    for (size_t i = 0; i < n; i++)
      free(list[i]);
    free(list);
    return rc;
  }
  *names = list;
  *count = n;
  return 0;
}
