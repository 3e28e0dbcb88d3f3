/*
 * dataobj.h - a data object for paths in one folder, as Explorer hands
 * one to a shell extension, for the test programs.
 */
#ifndef SLINK_TESTS_SHELL_DATAOBJ_H
#define SLINK_TESTS_SHELL_DATAOBJ_H

#include <shlobj.h>

/* A data object for paths in one folder, as Explorer hands one to a
 * handler: the folder's ID list and the items' relative ones, rendered as
 * CF_HDROP on request. */
static inline IDataObject *data_for(int n, const wchar_t *const *paths) {
  PIDLIST_ABSOLUTE pidls[4], parent = NULL;
  PCUITEMID_CHILD children[4];
  IDataObject *data = NULL;
  HRESULT hr = S_OK;
  int made = 0;
  for (; made < n; made++) {
    if (FAILED(hr = SHParseDisplayName(paths[made], NULL, &pidls[made], 0,
                                       NULL)))
      break;
    children[made] = ILFindLastID(pidls[made]);
  }
  if (SUCCEEDED(hr) && (parent = ILClone(pidls[0])) && ILRemoveLastID(parent)) {
    IShellFolder *folder = NULL;
    FORMATETC fmt = {CF_HDROP, NULL, DVASPECT_CONTENT, -1, TYMED_HGLOBAL};
    hr = SHCreateDataObject(parent, (UINT)n, children, NULL, &IID_IDataObject,
                            (void **)&data);
    if (SUCCEEDED(hr) && IDataObject_QueryGetData(data, &fmt) != S_OK) {
      IDataObject_Release(data);
      data = NULL;
      hr = E_NOTIMPL;
    }
    /* Wine 8's SHCreateDataObject is a stub: the folder's own data object,
     * the one Explorer hands out, is the same thing. */
    if (hr == E_NOTIMPL &&
        SUCCEEDED(hr = SHBindToObject(NULL, parent, NULL, &IID_IShellFolder,
                                      (void **)&folder))) {
      hr = IShellFolder_GetUIObjectOf(folder, NULL, (UINT)n, children,
                                      &IID_IDataObject, NULL, (void **)&data);
      IShellFolder_Release(folder);
    }
  } else {
    hr = E_FAIL;
  }
  for (int i = 0; i < made; i++)
    CoTaskMemFree(pidls[i]);
  CoTaskMemFree(parent);
  return SUCCEEDED(hr) ? data : NULL;
}

#endif
