/*
 * shot_shell.c DLL FILE menu|page - shows what slink-shell.dll builds, for
 * a screenshot (screenshots.sh): "menu" pops up the context menu of FILE
 * after FILE was picked, as seen on FILE's folder background (Drop As)
 * together with FILE's own items; "page" shows FILE's Properties with the
 * Link page. Wine's own explorer.exe loads no context menu handlers, so
 * this program stands in for it. It waits until the window is closed.
 */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
#include <shlobj.h>
#include <commctrl.h>
#include <prsht.h>
#include <stdio.h>
#include <wchar.h>

#include "../../src/shell/clsid.h"
#include "dataobj.h"

static const CLSID clsid_menu = SLINK_CLSID_MENU;
static const CLSID clsid_propsheet = SLINK_CLSID_PROPSHEET;

static IContextMenu *menu_for(PIDLIST_ABSOLUTE folder, IDataObject *data) {
  IShellExtInit *init = NULL;
  IContextMenu *cm = NULL;
  if (FAILED(CoCreateInstance(&clsid_menu, NULL, CLSCTX_INPROC_SERVER,
                              &IID_IShellExtInit, (void **)&init)))
    return NULL;
  if (SUCCEEDED(IShellExtInit_Initialize(init, folder, data, NULL)))
    IShellExtInit_QueryInterface(init, &IID_IContextMenu, (void **)&cm);
  IShellExtInit_Release(init);
  return cm;
}

static BOOL CALLBACK add_page(HPROPSHEETPAGE page, LPARAM lp) {
  *(HPROPSHEETPAGE *)lp = page;
  return TRUE;
}

int main(int argc, char **argv) {
  wchar_t dll[MAX_PATH], file[MAX_PATH], dir[MAX_PATH];
  HMODULE mod;
  FARPROC reg;
  IDataObject *data;
  const wchar_t *one;
  if (argc < 4)
    return 2;
  MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, dll, MAX_PATH);
  MultiByteToWideChar(CP_UTF8, 0, argv[2], -1, file, MAX_PATH);
  wcscpy(dir, file);
  *wcsrchr(dir, L'\\') = 0;
  OleInitialize(NULL);
  if (!(mod = LoadLibraryW(dll)) || !(reg = GetProcAddress(mod, "DllRegisterServer")))
    return 1;
  ((HRESULT(STDAPICALLTYPE *)(void))(void (*)(void))reg)();
  one = file;
  if (!(data = data_for(1, &one)))
    return 1;
  if (strcmp(argv[3], "menu") == 0) {
    CMINVOKECOMMANDINFO ci = {sizeof ci, CMIC_MASK_FLAG_NO_UI, NULL,
                              MAKEINTRESOURCEA(0), NULL, NULL, 0, 0, NULL};
    PIDLIST_ABSOLUTE folder = NULL;
    IContextMenu *item = menu_for(NULL, data), *bg;
    HMENU menu = CreatePopupMenu();
    HWND owner = CreateWindowExW(0, L"STATIC", L"slink menu", WS_POPUP, 0, 0,
                                 1, 1, NULL, NULL, NULL, NULL);
    if (!item)
      return 1;
    IContextMenu_InvokeCommand(item, &ci); /* Pick Link Source */
    SHParseDisplayName(dir, NULL, &folder, 0, NULL);
    bg = menu_for(folder, NULL);
    IContextMenu_QueryContextMenu(item, menu, 0, 100, 199, CMF_NORMAL);
    InsertMenuW(menu, (UINT)-1, MF_BYPOSITION | MF_SEPARATOR, 0, NULL);
    if (bg)
      IContextMenu_QueryContextMenu(bg, menu, (UINT)GetMenuItemCount(menu),
                                    200, 299, CMF_NORMAL);
    ShowWindow(owner, SW_SHOW);
    SetForegroundWindow(owner);
    TrackPopupMenu(menu, TPM_LEFTALIGN | TPM_TOPALIGN, 40, 40, 0, owner, NULL);
    DestroyMenu(menu);
    if (bg)
      IContextMenu_Release(bg);
    IContextMenu_Release(item);
    CoTaskMemFree(folder);
  } else {
    IShellExtInit *init = NULL;
    IShellPropSheetExt *ext = NULL;
    HPROPSHEETPAGE page = NULL;
    PROPSHEETHEADERW psh;
    if (FAILED(CoCreateInstance(&clsid_propsheet, NULL, CLSCTX_INPROC_SERVER,
                                &IID_IShellExtInit, (void **)&init)) ||
        FAILED(IShellExtInit_Initialize(init, NULL, data, NULL)) ||
        FAILED(IShellExtInit_QueryInterface(init, &IID_IShellPropSheetExt,
                                            (void **)&ext)))
      return 1;
    IShellPropSheetExt_AddPages(ext, add_page, (LPARAM)&page);
    if (!page)
      return 1;
    memset(&psh, 0, sizeof psh);
    psh.dwSize = sizeof psh;
    psh.dwFlags = PSH_PROPTITLE;
    psh.pszCaption = wcsrchr(file, L'\\') + 1;
    psh.nPages = 1;
    psh.phpage = &page;
    PropertySheetW(&psh);
    IShellPropSheetExt_Release(ext);
    IShellExtInit_Release(init);
  }
  IDataObject_Release(data);
  OleUninitialize();
  return 0;
}
