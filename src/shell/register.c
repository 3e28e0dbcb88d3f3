/*
 * register.c - DllRegisterServer, DllUnregisterServer and DllInstall.
 *
 * `regsvr32 slink-shell.dll` registers for the current user only, under
 * HKCU\Software\Classes, where Explorer reads classes, context menus,
 * drag-drop handlers and property pages: no administrator needed.
 * Explorer reads icon overlay identifiers from HKLM alone, so the overlays
 * need an elevated `regsvr32 /i:machine slink-shell.dll`, which adds them
 * (and their three classes) for every user; `regsvr32 /u /i:machine`
 * removes them again. `regsvr32 /u` removes every key it made, the picked
 * sources, and the parents it left empty: no key is left behind.
 */
#include <wchar.h>

#include "shell.h"

static const wchar_t classes[] = L"Software\\Classes\\";
static const wchar_t overlays[] =
    L"Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\"
    L"ShellIconOverlayIdentifiers\\";

/* Where each handler is hooked in, under Software\Classes. */
static const struct {
  const wchar_t *key;
  int cls;
} hooks[] = {
    {L"*\\shellex\\ContextMenuHandlers\\slink", SHELL_MENU},
    {L"Directory\\shellex\\ContextMenuHandlers\\slink", SHELL_MENU},
    {L"Directory\\Background\\shellex\\ContextMenuHandlers\\slink", SHELL_MENU},
    {L"Folder\\shellex\\DragDropHandlers\\slink", SHELL_DRAGDROP},
    {L"*\\shellex\\PropertySheetHandlers\\slink", SHELL_PROPSHEET},
    {L"Directory\\shellex\\PropertySheetHandlers\\slink", SHELL_PROPSHEET},
};

/* Leading spaces sort first: Explorer uses only the first 15 names. */
static const wchar_t *const overlay_names[3] = {
    L" slink junction", L" slink symbolic link", L" slink hard link"};

static LSTATUS set_value(HKEY root, const wchar_t *key, const wchar_t *name,
                         const wchar_t *value) {
  return RegSetKeyValueW(root, key, name, REG_SZ, value,
                         (DWORD)((wcslen(value) + 1) * sizeof *value));
}

/* Delete KEY's tree, then each parent left empty, up to (not including)
 * the STOP first characters. */
static void delete_key(HKEY root, const wchar_t *key, size_t stop) {
  wchar_t path[512];
  wchar_t *cut;
  if (wcslen(key) >= sizeof path / sizeof *path)
    return;
  wcscpy(path, key);
  RegDeleteTreeW(root, path);
  while ((cut = wcsrchr(path, L'\\')) && (size_t)(cut - path) > stop) {
    *cut = 0;
    /* RegDeleteKeyW fails on a key with subkeys; values keep it too. */
    DWORD subkeys = 1, values = 1;
    HKEY h;
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &h) != ERROR_SUCCESS)
      break;
    RegQueryInfoKeyW(h, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL,
                     NULL, NULL, NULL);
    RegCloseKey(h);
    if (subkeys || values || RegDeleteKeyW(root, path) != ERROR_SUCCESS)
      break;
  }
}

static void clsid_key(int cls, wchar_t *out, size_t n) {
  wchar_t guid[40];
  StringFromGUID2(shell_classes[cls].clsid, guid, 40);
  swprintf(out, n, L"%lsCLSID\\%ls", classes, guid);
}

static LSTATUS register_class(HKEY root, int cls, const wchar_t *dll) {
  wchar_t key[256], server[300];
  LSTATUS st;
  clsid_key(cls, key, 256);
  swprintf(server, 300, L"%ls\\InprocServer32", key);
  st = set_value(root, key, NULL, shell_classes[cls].name);
  if (st == ERROR_SUCCESS)
    st = set_value(root, server, NULL, dll);
  if (st == ERROR_SUCCESS)
    st = set_value(root, server, L"ThreadingModel", L"Apartment");
  return st;
}

static void unregister_class(HKEY root, int cls) {
  wchar_t key[256];
  clsid_key(cls, key, 256);
  delete_key(root, key, wcslen(classes) - 1);
}

static void unregister(HKEY root, int machine) {
  wchar_t key[512];
  if (machine) {
    for (int i = 0; i < 3; i++) {
      swprintf(key, 512, L"%ls%ls", overlays, overlay_names[i]);
      delete_key(root, key, wcslen(overlays) - 1);
      unregister_class(root, SHELL_OVERLAY_JUNCTION + i);
    }
    return;
  }
  for (size_t i = 0; i < sizeof hooks / sizeof *hooks; i++) {
    swprintf(key, 512, L"%ls%ls", classes, hooks[i].key);
    delete_key(root, key, wcslen(classes) - 1);
  }
  for (int cls = 0; cls < SHELL_CLASS_COUNT; cls++)
    unregister_class(root, cls);
  delete_key(root, shell_pick_key, wcslen(L"Software"));
}

static HRESULT do_register(int machine) {
  HKEY root = machine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
  wchar_t dll[MAX_PATH], key[512], guid[40];
  LSTATUS st = ERROR_SUCCESS;
  DWORD n = GetModuleFileNameW(shell_module, dll, MAX_PATH);
  if (n == 0 || n >= MAX_PATH)
    return E_FAIL;
  if (machine) {
    for (int i = 0; i < 3 && st == ERROR_SUCCESS; i++) {
      st = register_class(root, SHELL_OVERLAY_JUNCTION + i, dll);
      StringFromGUID2(shell_classes[SHELL_OVERLAY_JUNCTION + i].clsid, guid,
                      40);
      swprintf(key, 512, L"%ls%ls", overlays, overlay_names[i]);
      if (st == ERROR_SUCCESS)
        st = set_value(root, key, NULL, guid);
    }
  } else {
    for (int cls = 0; cls < SHELL_CLASS_COUNT && st == ERROR_SUCCESS; cls++)
      st = register_class(root, cls, dll);
    for (size_t i = 0; i < sizeof hooks / sizeof *hooks && st == ERROR_SUCCESS;
         i++) {
      StringFromGUID2(shell_classes[hooks[i].cls].clsid, guid, 40);
      swprintf(key, 512, L"%ls%ls", classes, hooks[i].key);
      st = set_value(root, key, NULL, guid);
    }
  }
  if (st != ERROR_SUCCESS) {
    unregister(root, machine); /* nothing half-made stays */
    return HRESULT_FROM_WIN32(st);
  }
  SHChangeNotify(SHCNE_ASSOCCHANGED, SHCNF_IDLIST, NULL, NULL);
  return S_OK;
}

STDAPI DllRegisterServer(void) { return do_register(0); }

STDAPI DllUnregisterServer(void) {
  unregister(HKEY_CURRENT_USER, 0);
  SHChangeNotify(SHCNE_ASSOCCHANGED, SHCNF_IDLIST, NULL, NULL);
  return S_OK;
}

/* regsvr32 /i:machine (elevated): the overlays, for every user. */
STDAPI DllInstall(BOOL install, LPCWSTR cmdline) {
  if (!cmdline || _wcsicmp(cmdline, L"machine") != 0)
    return E_INVALIDARG;
  if (!install) {
    unregister(HKEY_LOCAL_MACHINE, 1);
    SHChangeNotify(SHCNE_ASSOCCHANGED, SHCNF_IDLIST, NULL, NULL);
    return S_OK;
  }
  return do_register(1);
}
