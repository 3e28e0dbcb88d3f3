/*
 * pick.c - the sources picked with "Pick Link Source", kept for the user
 * under HKCU\Software\slink\Shell as one REG_MULTI_SZ. The registry, not
 * the DLL's memory: Explorer unloads the DLL between the pick and the drop,
 * and the drop may happen in another Explorer process.
 */
#include <stdlib.h>
#include <wchar.h>

#include "shell.h"

const wchar_t shell_pick_key[] = L"Software\\slink\\Shell";
static const wchar_t value_name[] = L"Picked";

HRESULT shell_pick_store(wchar_t *const *paths, size_t count) {
  size_t len = 1;
  wchar_t *buf, *p;
  HKEY key;
  LSTATUS st;
  for (size_t i = 0; i < count; i++)
    len += wcslen(paths[i]) + 1;
  if (!(buf = malloc(len * sizeof *buf)))
    return E_OUTOFMEMORY;
  p = buf;
  for (size_t i = 0; i < count; i++) {
    size_t n = wcslen(paths[i]) + 1;
    memcpy(p, paths[i], n * sizeof *p);
    p += n;
  }
  *p = 0;
  st = RegCreateKeyExW(HKEY_CURRENT_USER, shell_pick_key, 0, NULL, 0,
                       KEY_SET_VALUE, NULL, &key, NULL);
  if (st == ERROR_SUCCESS) {
    st = RegSetValueExW(key, value_name, 0, REG_MULTI_SZ, (const BYTE *)buf,
                        (DWORD)(len * sizeof *buf));
    RegCloseKey(key);
  }
  free(buf);
  return HRESULT_FROM_WIN32(st);
}

HRESULT shell_pick_load(wchar_t ***paths, size_t *count) {
  DWORD size = 0;
  wchar_t *buf;
  size_t n = 0, len;
  LSTATUS st;
  *paths = NULL;
  *count = 0;
  st = RegGetValueW(HKEY_CURRENT_USER, shell_pick_key, value_name,
                    RRF_RT_REG_MULTI_SZ, NULL, NULL, &size);
  if (st != ERROR_SUCCESS)
    return S_FALSE;
  len = size / sizeof *buf;
  if (!(buf = calloc(len + 2, sizeof *buf)))
    return E_OUTOFMEMORY;
  st = RegGetValueW(HKEY_CURRENT_USER, shell_pick_key, value_name,
                    RRF_RT_REG_MULTI_SZ, NULL, buf, &size);
  if (st != ERROR_SUCCESS) {
    free(buf);
    return S_FALSE;
  }
  for (wchar_t *p = buf; *p; p += wcslen(p) + 1)
    n++;
  if (n && !(*paths = calloc(n, sizeof **paths))) {
    free(buf);
    return E_OUTOFMEMORY;
  }
  for (wchar_t *p = buf; *p; p += wcslen(p) + 1) {
    size_t m = wcslen(p) + 1;
    wchar_t *copy = malloc(m * sizeof *copy);
    if (!copy) {
      shell_paths_free(*paths, *count);
      *paths = NULL;
      *count = 0;
      free(buf);
      return E_OUTOFMEMORY;
    }
    memcpy(copy, p, m * sizeof *copy);
    (*paths)[(*count)++] = copy;
  }
  free(buf);
  return n ? S_OK : S_FALSE;
}
