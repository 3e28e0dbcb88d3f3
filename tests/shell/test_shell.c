/*
 * test_shell.c DLL [UNIX-LINKS-DIR] - slink-shell.dll as Explorer uses it:
 * every class made with CoCreateInstance after DllRegisterServer, the menu
 * initialised with a real data object (SHCreateDataObject, read back as
 * CF_HDROP) for real files, Pick Link Source then Drop As -> Hard Link
 * checked on disk, Remove Link keeping the target, the right-drag handler,
 * the overlays' IsMemberOf, the Link page's fields; every object released
 * to a count of zero and DllCanUnloadNow S_OK at the end. UNIX-LINKS-DIR
 * (Wine only) holds "dir-link", a Linux symlink to a directory. On
 * Windows the same program checks real junctions and symbolic links.
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

#include "slink.h"
#include "tap.h"
#include "../../src/shell/resource.h"
#include "dataobj.h"

static const CLSID clsid_junction = SLINK_CLSID_OVERLAY_JUNCTION;
static const CLSID clsid_symlink = SLINK_CLSID_OVERLAY_SYMLINK;
static const CLSID clsid_hardlink = SLINK_CLSID_OVERLAY_HARDLINK;
static const CLSID clsid_menu = SLINK_CLSID_MENU;
static const CLSID clsid_dragdrop = SLINK_CLSID_DRAGDROP;
static const CLSID clsid_propsheet = SLINK_CLSID_PROPSHEET;
static const IID iid_overlay = SLINK_IID_OVERLAY_IDENTIFIER;

/* IShellIconOverlayIdentifier with its IUnknown part (see overlay.c). */
typedef struct overlay overlay;
typedef struct overlay_vtbl {
  HRESULT(STDMETHODCALLTYPE *QueryInterface)(overlay *, REFIID, void **);
  ULONG(STDMETHODCALLTYPE *AddRef)(overlay *);
  ULONG(STDMETHODCALLTYPE *Release)(overlay *);
  HRESULT(STDMETHODCALLTYPE *IsMemberOf)(overlay *, LPCWSTR, DWORD);
  HRESULT(STDMETHODCALLTYPE *GetOverlayInfo)(overlay *, LPWSTR, int, int *,
                                             DWORD *);
  HRESULT(STDMETHODCALLTYPE *GetPriority)(overlay *, int *);
} overlay_vtbl;
struct overlay {
  const overlay_vtbl *lpVtbl;
};

/* Offsets of the menu's commands (menu.c), from idCmdFirst. */
enum { PICK, DROP_JUNCTION, DROP_SYMLINK, DROP_HARD, REMOVE, GOTO, COUNT };
#define FIRST 100

static const char *wine;
typedef HRESULT(STDAPICALLTYPE *entry_fn)(void);
static entry_fn can_unload;
static wchar_t dir[MAX_PATH];

static wchar_t *full(const wchar_t *name) {
  static wchar_t buf[4][MAX_PATH * 2];
  static int next;
  wchar_t *b = buf[next++ % 4];
  swprintf(b, MAX_PATH * 2, L"%ls\\%ls", dir, name);
  return b;
}

static char *utf8(const wchar_t *w) {
  static char buf[4][MAX_PATH * 4];
  static int next;
  char *b = buf[next++ % 4];
  WideCharToMultiByte(CP_UTF8, 0, w, -1, b, MAX_PATH * 4, NULL, NULL);
  return b;
}

static void write_file(const wchar_t *name, const char *data) {
  FILE *f = _wfopen(full(name), L"wb");
  if (f) {
    fputs(data, f);
    fclose(f);
  }
}

static int has_data(const wchar_t *path, const char *data) {
  char buf[64] = {0};
  FILE *f = _wfopen(path, L"rb");
  if (!f)
    return 0;
  fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  return strcmp(buf, data) == 0;
}

static int exists(const wchar_t *path) {
  return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

static uint64_t nlink(const wchar_t *path) {
  slink_info info;
  uint64_t n = 0;
  if (slink_read(utf8(path), 0, &info) == 0) {
    n = info.nlink;
    slink_info_free(&info);
  }
  return n;
}

static PIDLIST_ABSOLUTE pidl_for(const wchar_t *path) {
  PIDLIST_ABSOLUTE pidl = NULL;
  SHParseDisplayName(path, NULL, &pidl, 0, NULL);
  return pidl;
}

/* A menu handler for CLSID initialised with FOLDER and/or PATH. */
static IContextMenu3 *menu_for(const CLSID *clsid, const wchar_t *folder,
                               const wchar_t *path, HRESULT *init_hr) {
  IShellExtInit *init = NULL;
  IContextMenu3 *cm = NULL;
  IDataObject *data = path ? data_for(1, &path) : NULL;
  PIDLIST_ABSOLUTE pidl = folder ? pidl_for(folder) : NULL;
  *init_hr = E_FAIL;
  if (SUCCEEDED(CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER,
                                 &IID_IShellExtInit, (void **)&init))) {
    *init_hr = IShellExtInit_Initialize(init, pidl, data, NULL);
    IShellExtInit_QueryInterface(init, &IID_IContextMenu3, (void **)&cm);
    IShellExtInit_Release(init);
  }
  if (data)
    IDataObject_Release(data);
  CoTaskMemFree(pidl);
  return cm;
}

static HRESULT invoke(IContextMenu3 *cm, int offset) {
  CMINVOKECOMMANDINFO ci;
  memset(&ci, 0, sizeof ci);
  ci.cbSize = sizeof ci;
  ci.fMask = CMIC_MASK_FLAG_NO_UI;
  ci.lpVerb = MAKEINTRESOURCEA(offset);
  ci.nShow = SW_SHOWNORMAL;
  return IContextMenu3_InvokeCommand(cm, &ci);
}

static HRESULT invoke_verb(IContextMenu3 *cm, const char *verb) {
  CMINVOKECOMMANDINFO ci;
  memset(&ci, 0, sizeof ci);
  ci.cbSize = sizeof ci;
  ci.fMask = CMIC_MASK_FLAG_NO_UI;
  ci.lpVerb = verb;
  return IContextMenu3_InvokeCommand(cm, &ci);
}

/* The state of command OFFSET in MENU: -1 absent, 0 greyed, 1 enabled. */
static int item(HMENU menu, int offset) {
  UINT st = GetMenuState(menu, FIRST + (UINT)offset, MF_BYCOMMAND);
  if (st == (UINT)-1)
    return -1;
  return (st & (MF_GRAYED | MF_DISABLED)) ? 0 : 1;
}

static int label_is(HMENU menu, int offset, const wchar_t *want) {
  wchar_t buf[128];
  return GetMenuStringW(menu, FIRST + (UINT)offset, buf, 128, MF_BYCOMMAND) &&
         wcscmp(buf, want) == 0;
}

/* The slink error an HRESULT carries (shell.h's SHELL_E_SLINK), or 0. */
static int slink_code(HRESULT hr) {
  if (HRESULT_FACILITY(hr) != FACILITY_ITF || HRESULT_CODE(hr) < 0x200)
    return 0;
  return -(HRESULT_CODE(hr) - 0x200);
}

static void test_classes(void) {
  const CLSID *all[] = {&clsid_junction, &clsid_symlink, &clsid_hardlink,
                        &clsid_menu, &clsid_dragdrop, &clsid_propsheet};
  const IID *want[] = {&iid_overlay, &iid_overlay, &iid_overlay,
                       &IID_IContextMenu3, &IID_IContextMenu3,
                       &IID_IShellPropSheetExt};
  for (int i = 0; i < 6; i++) {
    IUnknown *unk = NULL, *other = NULL;
    HRESULT hr = CoCreateInstance(all[i], NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IUnknown, (void **)&unk);
    if (!TAP_OK(SUCCEEDED(hr), "class %d: CoCreateInstance (0x%08lx)", i,
                (unsigned long)hr))
      continue;
    TAP_INT(can_unload(), S_FALSE, "class %d: DllCanUnloadNow says no while it lives", i);
    hr = IUnknown_QueryInterface(unk, want[i], (void **)&other);
    TAP_OK(SUCCEEDED(hr) && other, "class %d: has its interface", i);
    if (other)
      TAP_INT(IUnknown_Release(other), 1, "class %d: QI's reference given back", i);
    other = (IUnknown *)1;
    hr = IUnknown_QueryInterface(unk, &IID_IDropTarget, (void **)&other);
    TAP_OK(hr == E_NOINTERFACE && other == NULL,
           "class %d: refuses an interface it lacks", i);
    TAP_INT(IUnknown_Release(unk), 0, "class %d: released to zero", i);
  }
  {
    IClassFactory *cf = NULL;
    HRESULT hr = CoGetClassObject(&clsid_menu, CLSCTX_INPROC_SERVER, NULL,
                                  &IID_IClassFactory, (void **)&cf);
    if (TAP_OK(SUCCEEDED(hr) && cf, "the class factory")) {
      IClassFactory_LockServer(cf, TRUE);
      IClassFactory_Release(cf);
      TAP_INT(can_unload(), S_FALSE, "LockServer(TRUE) keeps the DLL");
      CoGetClassObject(&clsid_menu, CLSCTX_INPROC_SERVER, NULL,
                       &IID_IClassFactory, (void **)&cf);
      IClassFactory_LockServer(cf, FALSE);
      IClassFactory_Release(cf);
      TAP_INT(can_unload(), S_OK, "LockServer(FALSE) lets it go");
    }
  }
}

static void test_pick_and_drop(void) {
  IContextMenu3 *cm;
  HMENU menu;
  HRESULT hr, init;
  wchar_t made[MAX_PATH * 2];

  wcscpy(made, full(L"dest\\src.txt"));
  /* A plain file: Pick only. */
  {
    const wchar_t *one = full(L"src.txt");
    IDataObject *data = data_for(1, &one);
    FORMATETC fmt = {CF_HDROP, NULL, DVASPECT_CONTENT, -1, TYMED_HGLOBAL};
    STGMEDIUM med;
    HRESULT got = data ? IDataObject_GetData(data, &fmt, &med) : E_FAIL;
    TAP_OK(SUCCEEDED(got), "SHCreateDataObject renders CF_HDROP (0x%08lx)",
           (unsigned long)got);
    if (SUCCEEDED(got))
      ReleaseStgMedium(&med);
    if (data)
      IDataObject_Release(data);
  }
  cm = menu_for(&clsid_menu, NULL, full(L"src.txt"), &init);
  if (!TAP_OK(cm && init == S_OK, "the menu takes a data object of one file")) {
    if (cm)
      IContextMenu3_Release(cm);
    return;
  }
  menu = CreatePopupMenu();
  hr = IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
  TAP_INT(HRESULT_CODE(hr), COUNT, "QueryContextMenu reserves its commands");
  TAP_OK(item(menu, PICK) == 1 && label_is(menu, PICK, L"Pick Link Source"),
         "a file's menu has Pick Link Source");
  TAP_OK(item(menu, REMOVE) == -1 && item(menu, GOTO) == -1,
         "and no Remove Link or Go to Target (not a link)");
  TAP_OK(item(menu, DROP_HARD) == -1, "and no Drop As (nothing picked yet)");
  DestroyMenu(menu);
  menu = CreatePopupMenu();
  hr = IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50,
                                      CMF_DEFAULTONLY);
  TAP_OK(HRESULT_CODE(hr) == 0 && GetMenuItemCount(menu) == 0,
         "CMF_DEFAULTONLY adds nothing");
  DestroyMenu(menu);
  TAP_INT(invoke(cm, PICK), S_OK, "Pick Link Source");
  TAP_INT(IContextMenu3_Release(cm), 0, "the menu released to zero");

  /* The destination folder's background, after the pick. */
  cm = menu_for(&clsid_menu, full(L"dest"), NULL, &init);
  if (!TAP_OK(cm && init == S_OK, "the menu takes a folder's background"))
    return;
  menu = CreatePopupMenu();
  IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
  TAP_OK(item(menu, PICK) == -1, "a background has no Pick Link Source");
  TAP_OK(label_is(menu, DROP_HARD, L"Hard Link") && item(menu, DROP_HARD) == 1,
         "Drop As > Hard Link is offered for a picked file");
  TAP_INT(item(menu, DROP_SYMLINK), 1, "Drop As > Symbolic Link too");
  TAP_INT(item(menu, DROP_JUNCTION), 0, "Drop As > Junction is greyed for a file");
  {
    MENUITEMINFOW mi = {sizeof mi, MIIM_SUBMENU | MIIM_STRING, 0, 0, 0, NULL,
                        NULL, NULL, 0, NULL, 0, NULL};
    wchar_t label[64];
    mi.dwTypeData = label;
    mi.cch = 64;
    TAP_OK(GetMenuItemInfoW(menu, 0, TRUE, &mi) && mi.hSubMenu &&
               wcscmp(label, L"Drop As") == 0,
           "the three are a Drop As submenu");
  }
  DestroyMenu(menu);
  hr = invoke(cm, DROP_HARD);
  TAP_INT(hr, S_OK, "Drop As > Hard Link");
  TAP_OK(has_data(made, "data") && nlink(made) == 2 &&
             nlink(full(L"src.txt")) == 2,
         "a hard link is on disk: the same file, two names");
  hr = invoke(cm, DROP_HARD);
  TAP_OK(hr == S_OK && nlink(full(L"dest\\src (link).txt")) == 3,
         "dropped again: a second name beside it, nothing replaced");
  hr = invoke(cm, DROP_JUNCTION);
  TAP_STR(slink_err_name(slink_code(hr)), "SLINK_ETARGETNOTDIR",
          "Drop As > Junction on a file fails with slink's own error");
  TAP_OK(!exists(full(L"dest\\src (link 2).txt")), "and leaves nothing");
  hr = invoke(cm, DROP_SYMLINK);
  if (wine) {
    /* Wine's CreateSymbolicLinkW makes nothing: slink's read-back says so. */
    TAP_STR(slink_err_name(slink_code(hr)), "SLINK_ENOTVERIFIED",
            "Drop As > Symbolic Link under Wine: no false success");
    TAP_OK(!exists(full(L"dest\\src (link 2).txt")), "and nothing left");
  } else if (slink_code(hr) == SLINK_ENOPRIV) {
    tap_skip("Drop As > Symbolic Link", "no symlink privilege");
  } else {
    slink_info info;
    int rc = slink_read(utf8(full(L"dest\\src (link 2).txt")), 0, &info);
    TAP_OK(hr == S_OK && rc == 0 && info.kind == SLINK_KIND_SYMLINK,
           "Drop As > Symbolic Link makes one beside the taken names");
    if (rc == 0) {
      slink_info_free(&info);
      DeleteFileW(full(L"dest\\src (link 2).txt"));
    }
  }
  TAP_INT(IContextMenu3_Release(cm), 0, "released to zero");

  /* The new name: a hard-linked file offers Remove Link. */
  cm = menu_for(&clsid_menu, NULL, made, &init);
  if (!TAP_OK(cm != NULL, "the menu of the hard link"))
    return;
  menu = CreatePopupMenu();
  IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
  TAP_OK(item(menu, REMOVE) == 1 &&
             label_is(menu, REMOVE, L"Remove Link (keeps the target)"),
         "a hard-linked file's menu has Remove Link (keeps the target)");
  TAP_INT(item(menu, GOTO), -1, "but no Go to Target (a hard link has none)");
  DestroyMenu(menu);
  {
    char verb[64] = "";
    wchar_t help[256] = L"";
    IContextMenu3_GetCommandString(cm, REMOVE, GCS_VERBA, NULL, verb, 64);
    IContextMenu3_GetCommandString(cm, REMOVE, GCS_HELPTEXTW, NULL,
                                   (char *)help, 256);
    TAP_STR(verb, "slink.remove", "its verb");
    TAP_OK(help[0] != 0, "and its help text");
  }
  TAP_INT(invoke_verb(cm, "slink.remove"), S_OK, "Remove Link");
  TAP_OK(!exists(made), "the link's name is gone");
  TAP_OK(has_data(full(L"src.txt"), "data") &&
             has_data(full(L"dest\\src (link).txt"), "data"),
         "the target is intact (its other names stay)");
  TAP_INT(nlink(full(L"src.txt")), 2, "and has one name less");
  TAP_INT(IContextMenu3_Release(cm), 0, "released to zero");

  /* A file with one name: Remove Link is refused, nothing lost. */
  write_file(L"alone.txt", "alone");
  cm = menu_for(&clsid_menu, NULL, full(L"alone.txt"), &init);
  if (cm) {
    hr = invoke_verb(cm, "slink.remove");
    TAP_OK(slink_code(hr) != 0 && has_data(full(L"alone.txt"), "alone"),
           "Remove Link on a file with one name fails (%s), file intact",
           slink_strerror(slink_code(hr)));
    IContextMenu3_Release(cm);
  }
}

static void test_dragdrop(void) {
  IContextMenu3 *cm;
  HMENU menu;
  HRESULT init;
  CreateDirectoryW(full(L"drag"), NULL);
  cm = menu_for(&clsid_dragdrop, full(L"drag"), full(L"alone.txt"), &init);
  if (!TAP_OK(cm && init == S_OK,
              "the drag-drop handler takes the target folder and the items"))
    return;
  menu = CreatePopupMenu();
  IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
  TAP_OK(item(menu, DROP_HARD) == 1 && item(menu, DROP_JUNCTION) == 0 &&
             item(menu, PICK) == -1,
         "a right-drag offers Drop As, no pick needed");
  DestroyMenu(menu);
  TAP_INT(invoke(cm, DROP_HARD), S_OK, "right-drag Drop As > Hard Link");
  TAP_OK(nlink(full(L"drag\\alone.txt")) == 2, "made the hard link");
  TAP_INT(IContextMenu3_Release(cm), 0, "released to zero");
}

/* Wine shows a Linux symlink as a reparse point with no readable data,
 * and deleting it through Wine deletes its target: Remove Link must refuse
 * (wine-shell.sh checks the link and its target afterwards). */
static void test_unix_link(const wchar_t *unix_links) {
  wchar_t link[MAX_PATH * 2];
  IContextMenu3 *cm;
  HMENU menu;
  HRESULT init, hr;
  swprintf(link, MAX_PATH * 2, L"%ls\\dir-link", unix_links);
  cm = menu_for(&clsid_menu, NULL, link, &init);
  if (!TAP_OK(cm && init == S_OK, "the menu of a Linux symlink seen through Wine")) {
    if (cm)
      IContextMenu3_Release(cm);
    return;
  }
  menu = CreatePopupMenu();
  IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
  TAP_OK(item(menu, REMOVE) == 1 && item(menu, GOTO) == -1,
         "offers Remove Link, and no Go to Target (its target cannot be read)");
  DestroyMenu(menu);
  hr = invoke_verb(cm, "slink.remove");
  TAP_STR(slink_err_name(slink_code(hr)), "SLINK_ENODATA",
          "Remove Link refuses: %s", slink_strerror(slink_code(hr)));
  TAP_OK(exists(link), "the symlink is still there");
  TAP_INT(IContextMenu3_Release(cm), 0, "released to zero");
}

static overlay *overlay_new(const CLSID *clsid) {
  overlay *o = NULL;
  CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, &iid_overlay,
                   (void **)&o);
  return o;
}

/* Which overlays claim PATH: bit 0 junction, 1 symlink, 2 hard link. */
static int members(overlay *const *ov, const wchar_t *path, DWORD attrib) {
  int bits = 0;
  for (int i = 0; i < 3; i++)
    if (ov[i]->lpVtbl->IsMemberOf(ov[i], path, attrib) == S_OK)
      bits |= 1 << i;
  return bits;
}

static void test_overlays(const wchar_t *unix_links) {
  overlay *ov[3] = {overlay_new(&clsid_junction), overlay_new(&clsid_symlink),
                    overlay_new(&clsid_hardlink)};
  wchar_t file[MAX_PATH];
  int index, prio;
  DWORD flags;
  if (!TAP_OK(ov[0] && ov[1] && ov[2], "the three overlay identifiers"))
    return;
  TAP_INT(members(ov, full(L"dest"), GetFileAttributesW(full(L"dest"))), 0,
          "a plain folder has no overlay");
  TAP_INT(members(ov, full(L"alone.txt"), FILE_ATTRIBUTE_ARCHIVE), 4,
          "a hard-linked file has the hard link overlay only");
  TAP_INT(members(ov, full(L"src.txt"),
                  GetFileAttributesW(full(L"src.txt")) | FILE_ATTRIBUTE_OFFLINE),
          0, "an offline file is never queried");
  TAP_INT(members(ov, L"\\\\nowhere.invalid\\share\\link",
                  FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT),
          0, "a network path is refused before any query");
  if (unix_links) {
    wchar_t link[MAX_PATH * 2];
    swprintf(link, MAX_PATH * 2, L"%ls\\dir-link", unix_links);
    TAP_INT(GetFileAttributesW(link) &
                (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT),
            FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT,
            "Wine shows a Linux directory symlink as DIRECTORY|REPARSE_POINT");
    TAP_INT(members(ov, link,
                    FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT),
            2, "it has the symbolic link overlay");
  } else {
    tap_skip("a Linux directory symlink seen through Wine", "not under Wine");
  }
  for (int i = 0; i < 3; i++) {
    HRESULT hr = ov[i]->lpVtbl->GetOverlayInfo(ov[i], file, MAX_PATH, &index,
                                               &flags);
    HICON icon = NULL;
    TAP_OK(hr == S_OK && index == i &&
               flags == (ISIOI_ICONFILE | ISIOI_ICONINDEX),
           "overlay %d: its icon is the DLL's icon %d", i, i);
    TAP_OK(ExtractIconExW(file, index, &icon, NULL, 1) == 1 && icon,
           "overlay %d: the icon is in the DLL", i);
    if (icon)
      DestroyIcon(icon);
    TAP_OK(ov[i]->lpVtbl->GetPriority(ov[i], &prio) == S_OK && prio >= 0 &&
               prio <= 100,
           "overlay %d: a priority in 0..100", i);
    TAP_INT(ov[i]->lpVtbl->Release(ov[i]), 0, "overlay %d: released to zero", i);
  }
}

static BOOL CALLBACK add_page(HPROPSHEETPAGE page, LPARAM lp) {
  HPROPSHEETPAGE *pages = (HPROPSHEETPAGE *)lp;
  for (int i = 0; i < 4; i++)
    if (!pages[i]) {
      pages[i] = page;
      return TRUE;
    }
  return FALSE;
}

static int page_count(const wchar_t *path, HPROPSHEETPAGE *pages) {
  IShellExtInit *init = NULL;
  IShellPropSheetExt *ext = NULL;
  IDataObject *data = data_for(1, &path);
  int n = 0;
  memset(pages, 0, 4 * sizeof *pages);
  if (data && SUCCEEDED(CoCreateInstance(&clsid_propsheet, NULL,
                                         CLSCTX_INPROC_SERVER,
                                         &IID_IShellExtInit, (void **)&init))) {
    if (SUCCEEDED(IShellExtInit_Initialize(init, NULL, data, NULL)) &&
        SUCCEEDED(IShellExtInit_QueryInterface(init, &IID_IShellPropSheetExt,
                                               (void **)&ext))) {
      IShellPropSheetExt_AddPages(ext, add_page, (LPARAM)pages);
      IShellPropSheetExt_Release(ext);
    }
    IShellExtInit_Release(init);
  }
  if (data)
    IDataObject_Release(data);
  while (n < 4 && pages[n])
    n++;
  return n;
}

static char *field(HWND pg, int id) {
  static char buf[8][1024];
  static int next;
  wchar_t w[1024] = L"";
  char *b = buf[next++ % 8];
  GetDlgItemTextW(pg, id, w, 1024);
  WideCharToMultiByte(CP_UTF8, 0, w, -1, b, 1024, NULL, NULL);
  return b;
}

/* The page shown in a modeless sheet, its fields read, the sheet closed. */
static HWND show_page(HPROPSHEETPAGE page, HWND *sheet) {
  PROPSHEETHEADERW psh;
  MSG msg;
  memset(&psh, 0, sizeof psh);
  psh.dwSize = sizeof psh;
  psh.dwFlags = PSH_MODELESS;
  psh.pszCaption = L"slink test";
  psh.nPages = 1;
  psh.phpage = &page;
  *sheet = (HWND)PropertySheetW(&psh);
  if (!*sheet || *sheet == (HWND)-1)
    return NULL;
  while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
    TranslateMessage(&msg);
    DispatchMessageW(&msg);
  }
  return PropSheet_GetCurrentPageHwnd(*sheet);
}

static void test_propsheet(const wchar_t *unix_links) {
  HPROPSHEETPAGE pages[4];
  HWND sheet, pg;
  TAP_INT(page_count(full(L"dest"), pages), 0, "a plain folder gets no Link page");
  if (!TAP_INT(page_count(full(L"src.txt"), pages), 1,
               "a hard-linked file gets the Link page"))
    return;
  if (getenv("SLINK_SHELL_NO_DISPLAY")) {
    DestroyPropertySheetPage(pages[0]);
    tap_skip("the Link page's fields", "no display (Xvfb is not installed)");
    return;
  }
  pg = show_page(pages[0], &sheet);
  if (TAP_OK(pg != NULL, "the page is created in a property sheet")) {
    TAP_STR(field(pg, IDC_KIND), "file", "Kind: file");
    TAP_STR(field(pg, IDC_TARGET), "", "no stored target");
    if (wine)
      TAP_OK(strstr(field(pg, IDC_NAMES), "2 names") != NULL,
             "Names: the count, where the filesystem keeps no list (%s)",
             field(pg, IDC_NAMES));
    else
      TAP_OK(strstr(field(pg, IDC_NAMES), "src.txt") &&
                 strstr(field(pg, IDC_NAMES), "\r\n"),
             "Names: both names, one a line (%s)", field(pg, IDC_NAMES));
    TAP_OK(GetWindowLongW(GetDlgItem(pg, IDC_TARGET), GWL_STYLE) & ES_READONLY,
           "a hard link's target field cannot be edited");
    DestroyWindow(sheet);
  } else {
    DestroyPropertySheetPage(pages[0]);
  }
  if (unix_links) {
    wchar_t link[MAX_PATH * 2];
    swprintf(link, MAX_PATH * 2, L"%ls\\dir-link", unix_links);
    if (TAP_INT(page_count(link, pages), 1,
                "a Linux symlink seen through Wine gets the Link page")) {
      if ((pg = show_page(pages[0], &sheet))) {
        TAP_STR(field(pg, IDC_KIND), "reparse", "Kind: reparse");
        TAP_STR(field(pg, IDC_TAG), "unreadable", "Reparse tag: unreadable");
        DestroyWindow(sheet);
      } else {
        DestroyPropertySheetPage(pages[0]);
      }
    }
  }
}

/* Windows only: real junctions and symbolic links. */
static void test_native(void) {
  slink_make_opts jo = {SLINK_MAKE_JUNCTION, 0, NULL};
  slink_made made = {0};
  IContextMenu3 *cm;
  HRESULT init;
  HMENU menu;
  overlay *ov[3] = {overlay_new(&clsid_junction), overlay_new(&clsid_symlink),
                    overlay_new(&clsid_hardlink)};
  HPROPSHEETPAGE pages[4];
  HWND sheet, pg;
  int rc;
  CreateDirectoryW(full(L"tdir"), NULL);
  CreateDirectoryW(full(L"tdir2"), NULL);
  write_file(L"tdir\\in.txt", "in");
  rc = slink_make(utf8(full(L"junction")), utf8(full(L"tdir")), &jo, &made);
  slink_made_free(&made);
  if (!TAP_INT(rc, 0, "a real junction"))
    return;
  TAP_INT(members(ov, full(L"junction"), GetFileAttributesW(full(L"junction"))),
          1, "a junction has the junction overlay only");
  cm = menu_for(&clsid_menu, NULL, full(L"junction"), &init);
  if (cm) {
    menu = CreatePopupMenu();
    IContextMenu3_QueryContextMenu(cm, menu, 0, FIRST, FIRST + 50, CMF_NORMAL);
    TAP_OK(item(menu, REMOVE) == 1 && item(menu, GOTO) == 1,
           "a junction's menu has Remove Link and Go to Target");
    DestroyMenu(menu);
    IContextMenu3_Release(cm);
  }
  if (TAP_INT(page_count(full(L"junction"), pages), 1, "a junction's Link page") &&
      (pg = show_page(pages[0], &sheet))) {
    TAP_STR(field(pg, IDC_KIND), "junction", "Kind: junction");
    TAP_STR(field(pg, IDC_TAG), "0xA0000003", "Reparse tag: 0xA0000003");
    TAP_OK(strncmp(field(pg, IDC_SUBSTITUTE), "\\??\\", 4) == 0,
           "Substitute name: an NT path");
    SetDlgItemTextW(pg, IDC_TARGET, full(L"tdir2"));
    SendDlgItemMessageW(pg, IDC_TARGET, EM_SETMODIFY, TRUE, 0);
    PropSheet_PressButton(sheet, PSBTN_APPLYNOW);
    {
      MSG msg;
      while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
      }
    }
    {
      slink_info info;
      rc = slink_read(utf8(full(L"junction")), 0, &info);
      TAP_OK(rc == 0 && info.kind == SLINK_KIND_JUNCTION &&
                 strstr(info.target, "tdir2"),
             "Apply replaced the junction's target");
      if (rc == 0)
        slink_info_free(&info);
    }
    TAP_OK(has_data(full(L"tdir\\in.txt"), "in"), "the old target untouched");
    DestroyWindow(sheet);
  }
  cm = menu_for(&clsid_menu, NULL, full(L"junction"), &init);
  if (cm) {
    TAP_INT(invoke_verb(cm, "slink.remove"), S_OK, "Remove Link on a junction");
    TAP_OK(!exists(full(L"junction")) && has_data(full(L"tdir\\in.txt"), "in"),
           "the junction is gone, its target's files stay");
    IContextMenu3_Release(cm);
  }
  /* A symbolic link: Developer Mode on in the workflow. */
  {
    slink_make_opts so = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_DIR, NULL};
    memset(&made, 0, sizeof made);
    rc = slink_make(utf8(full(L"dsym")), utf8(full(L"tdir")), &so, &made);
    slink_made_free(&made);
    if (rc == SLINK_ENOPRIV) {
      tap_skip("a real directory symbolic link", "no symlink privilege");
    } else if (TAP_INT(rc, 0, "a real directory symbolic link")) {
      TAP_INT(members(ov, full(L"dsym"), GetFileAttributesW(full(L"dsym"))), 2,
              "it has the symbolic link overlay only");
      cm = menu_for(&clsid_menu, NULL, full(L"dsym"), &init);
      if (cm) {
        TAP_INT(invoke_verb(cm, "slink.remove"), S_OK, "Remove Link on it");
        TAP_OK(!exists(full(L"dsym")) && has_data(full(L"tdir\\in.txt"), "in"),
               "the link is gone, the target's files stay");
        IContextMenu3_Release(cm);
      }
    }
  }
  for (int i = 0; i < 3; i++)
    if (ov[i])
      ov[i]->lpVtbl->Release(ov[i]);
}

/* Wine's COM reads classes from HKLM alone; Windows reads the merged view
 * of HKCU and HKLM. Under Wine the per-user class keys are mirrored into
 * HKLM for the run (and removed after), so CoCreateInstance finds the
 * same registration Windows would. */
static const wchar_t *const class_keys[] = {
    L"{BEC5B416-97A3-4A6C-BA4C-5E52A5CD96FD}",
    L"{F8CC312B-E310-40AE-A874-AF77D92521D2}",
    L"{DCAC3B00-AE63-4448-80F3-1727DFFBEA79}",
    L"{B7C97966-048B-42EA-A63D-42F25024D517}",
    L"{37D6C036-65D7-41E7-8A8E-DD2CC2669CDF}",
    L"{73648079-4D2B-4EB3-8832-73200D23C151}"};

static int wine_mirror(int on) {
  int ok = 1;
  for (int i = 0; i < 6; i++) {
    wchar_t key[128];
    HKEY from, to;
    swprintf(key, 128, L"Software\\Classes\\CLSID\\%ls", class_keys[i]);
    if (!on) {
      RegDeleteTreeW(HKEY_LOCAL_MACHINE, key);
      RegDeleteKeyW(HKEY_LOCAL_MACHINE, key);
      continue;
    }
    if (RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_READ, &from) !=
        ERROR_SUCCESS) {
      ok = 0;
      continue;
    }
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, key, 0, NULL, 0, KEY_ALL_ACCESS,
                        NULL, &to, NULL) == ERROR_SUCCESS) {
      ok &= RegCopyTreeW(from, NULL, to) == ERROR_SUCCESS;
      RegCloseKey(to);
    } else {
      ok = 0;
    }
    RegCloseKey(from);
  }
  return ok;
}

static int registered(void) {
  HKEY key;
  LSTATUS st = RegOpenKeyExW(
      HKEY_CURRENT_USER,
      L"Software\\Classes\\CLSID\\{B7C97966-048B-42EA-A63D-42F25024D517}", 0,
      KEY_READ, &key);
  if (st == ERROR_SUCCESS)
    RegCloseKey(key);
  return st == ERROR_SUCCESS;
}

static void clear(const wchar_t *path) {
  WIN32_FIND_DATAW fd;
  wchar_t pattern[MAX_PATH * 2];
  HANDLE h;
  swprintf(pattern, MAX_PATH * 2, L"%ls\\*", path);
  h = FindFirstFileW(pattern, &fd);
  if (h != INVALID_HANDLE_VALUE) {
    do {
      wchar_t sub[MAX_PATH * 2];
      if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
        continue;
      swprintf(sub, MAX_PATH * 2, L"%ls\\%ls", path, fd.cFileName);
      if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
          !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
        clear(sub);
      else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        RemoveDirectoryW(sub);
      else
        DeleteFileW(sub);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
  }
  RemoveDirectoryW(path);
}

int main(int argc, char **argv) {
  wchar_t dll_path[MAX_PATH], unix_links[MAX_PATH], tmp[MAX_PATH];
  entry_fn reg, unreg;
  HMODULE dll;
  FARPROC p;
  wine = tap_wine_version();
  if (argc < 2) {
    fprintf(stderr, "usage: test-shell DLL [UNIX-LINKS-DIR]\n");
    return 2;
  }
  MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, dll_path, MAX_PATH);
  if (argc > 2)
    MultiByteToWideChar(CP_UTF8, 0, argv[2], -1, unix_links, MAX_PATH);
  GetFullPathNameW(dll_path, MAX_PATH, tmp, NULL);
  dll = LoadLibraryW(tmp);
  if (!TAP_OK(dll != NULL, "load slink-shell.dll"))
    return tap_done();
  p = GetProcAddress(dll, "DllRegisterServer");
  memcpy(&reg, &p, sizeof p);
  p = GetProcAddress(dll, "DllUnregisterServer");
  memcpy(&unreg, &p, sizeof p);
  p = GetProcAddress(dll, "DllCanUnloadNow");
  memcpy(&can_unload, &p, sizeof p);
  TAP_OK(reg && unreg && can_unload && !GetProcAddress(dll, "slink_read"),
         "exports the COM entry points and no libslink function");
  if (!reg || !unreg || !can_unload)
    return tap_done();
  OleInitialize(NULL);
  TAP_INT(reg(), S_OK, "DllRegisterServer");
  TAP_OK(registered(), "registered under HKCU\\Software\\Classes");
  if (wine)
    TAP_OK(wine_mirror(1), "Wine: the class keys mirrored into HKLM");

  GetTempPathW(MAX_PATH, tmp);
  swprintf(dir, MAX_PATH, L"%lsslink-shell-%lu", tmp, GetCurrentProcessId());
  CreateDirectoryW(dir, NULL);
  CreateDirectoryW(full(L"dest"), NULL);
  write_file(L"src.txt", "data");

  test_classes();
  test_pick_and_drop();
  test_dragdrop();
  test_overlays(argc > 2 ? unix_links : NULL);
  if (argc > 2)
    test_unix_link(unix_links);
  test_propsheet(argc > 2 ? unix_links : NULL);
  if (wine)
    tap_skip("real junctions and symbolic links", "Wine makes neither");
  else
    test_native();

  CoFreeUnusedLibraries();
  TAP_INT(can_unload(), S_OK, "DllCanUnloadNow: every object released");
  if (wine)
    wine_mirror(0);
  TAP_INT(unreg(), S_OK, "DllUnregisterServer");
  TAP_OK(!registered(), "no class key left");
  OleUninitialize();
  clear(dir);
  FreeLibrary(dll);
  return tap_done();
}
