/*
 * convert.c - Explorer's forms of a path (UTF-16, CF_HDROP, ID lists)
 * turned into the UTF-8 paths slink takes, and back.
 */
#include <stdlib.h>

#include "shell.h"

char *shell_utf8(const wchar_t *w) {
  /* WC_ERR_INVALID_CHARS: an unpaired surrogate fails instead of becoming
   * U+FFFD, which would name another file. */
  int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, NULL, 0,
                              NULL, NULL);
  char *s;
  if (n <= 0 || !(s = malloc((size_t)n)))
    return NULL;
  if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, s, n, NULL,
                          NULL) != n) {
    free(s);
    return NULL;
  }
  return s;
}

wchar_t *shell_wide(const char *s) {
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
  wchar_t *w;
  if (n <= 0 || !(w = malloc((size_t)n * sizeof *w)))
    return NULL;
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
    free(w);
    return NULL;
  }
  return w;
}

void shell_paths_free(wchar_t **paths, size_t count) {
  for (size_t i = 0; i < count; i++)
    free(paths[i]);
  free(paths);
}

HRESULT shell_drop_paths(IDataObject *data, wchar_t ***paths, size_t *count) {
  FORMATETC fmt = {CF_HDROP, NULL, DVASPECT_CONTENT, -1, TYMED_HGLOBAL};
  STGMEDIUM med;
  HDROP drop;
  UINT n;
  HRESULT hr;
  *paths = NULL;
  *count = 0;
  if (!data)
    return E_INVALIDARG;
  hr = IDataObject_GetData(data, &fmt, &med);
  if (FAILED(hr))
    return hr;
  drop = (HDROP)GlobalLock(med.hGlobal);
  if (!drop) {
    ReleaseStgMedium(&med);
    return E_FAIL;
  }
  n = DragQueryFileW(drop, 0xFFFFFFFF, NULL, 0);
  hr = n ? S_OK : E_FAIL;
  if (n && !(*paths = calloc(n, sizeof **paths)))
    hr = E_OUTOFMEMORY;
  for (UINT i = 0; SUCCEEDED(hr) && i < n; i++) {
    UINT len = DragQueryFileW(drop, i, NULL, 0);
    wchar_t *p = malloc(((size_t)len + 1) * sizeof *p);
    if (!p) {
      hr = E_OUTOFMEMORY;
      break;
    }
    DragQueryFileW(drop, i, p, len + 1);
    (*paths)[(*count)++] = p;
  }
  GlobalUnlock(med.hGlobal);
  ReleaseStgMedium(&med);
  if (FAILED(hr)) {
    shell_paths_free(*paths, *count);
    *paths = NULL;
    *count = 0;
  }
  return hr;
}

wchar_t *shell_pidl_path(PCIDLIST_ABSOLUTE pidl) {
  wchar_t *path = NULL;
  wchar_t *out;
  size_t n;
  if (!pidl || FAILED(SHGetNameFromIDList(pidl, SIGDN_FILESYSPATH, &path)))
    return NULL;
  n = wcslen(path) + 1;
  out = malloc(n * sizeof *out);
  if (out)
    memcpy(out, path, n * sizeof *out);
  CoTaskMemFree(path);
  return out;
}
