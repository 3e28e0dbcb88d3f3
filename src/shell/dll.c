/*
 * dll.c - the COM server itself: the class table, one class factory per
 * class, and the module count that DllCanUnloadNow reads. Explorer loads
 * and unloads extensions all day, so every object and every lock counts,
 * and nothing is freed while a caller may still hold it.
 */
#include "clsid.h"
#include "shell.h"

HINSTANCE shell_module;
static LONG module_refs;

static const CLSID clsid_overlay_junction = SLINK_CLSID_OVERLAY_JUNCTION;
static const CLSID clsid_overlay_symlink = SLINK_CLSID_OVERLAY_SYMLINK;
static const CLSID clsid_overlay_hardlink = SLINK_CLSID_OVERLAY_HARDLINK;
static const CLSID clsid_menu = SLINK_CLSID_MENU;
static const CLSID clsid_dragdrop = SLINK_CLSID_DRAGDROP;
static const CLSID clsid_propsheet = SLINK_CLSID_PROPSHEET;

const shell_class_info shell_classes[SHELL_CLASS_COUNT] = {
    {&clsid_overlay_junction, L"slink overlay: junction"},
    {&clsid_overlay_symlink, L"slink overlay: symbolic link"},
    {&clsid_overlay_hardlink, L"slink overlay: hard link"},
    {&clsid_menu, L"slink context menu"},
    {&clsid_dragdrop, L"slink drag and drop"},
    {&clsid_propsheet, L"slink Link page"},
};

void shell_module_ref(void) { InterlockedIncrement(&module_refs); }
void shell_module_unref(void) { InterlockedDecrement(&module_refs); }

/* The factories are static: they count as module locks only through
 * LockServer, so a factory held across DllCanUnloadNow is the caller's
 * promise to have locked it (as COM requires). */
typedef struct factory {
  IClassFactory iface;
  int cls;
} factory;

static HRESULT STDMETHODCALLTYPE factory_query(IClassFactory *self,
                                               REFIID iid, void **out) {
  if (!out)
    return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IClassFactory)) {
    *out = self;
    shell_module_ref();
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

/* A factory's own count is the module's: a held factory keeps the DLL. */
static ULONG STDMETHODCALLTYPE factory_addref(IClassFactory *self) {
  (void)self;
  shell_module_ref();
  return 2;
}

static ULONG STDMETHODCALLTYPE factory_release(IClassFactory *self) {
  (void)self;
  shell_module_unref();
  return 1;
}

static HRESULT STDMETHODCALLTYPE factory_create(IClassFactory *self,
                                                IUnknown *outer, REFIID iid,
                                                void **out) {
  factory *f = SHELL_OUTER(self, factory, iface);
  if (!out)
    return E_POINTER;
  *out = NULL;
  if (outer)
    return CLASS_E_NOAGGREGATION;
  switch (f->cls) {
  case SHELL_OVERLAY_JUNCTION:
  case SHELL_OVERLAY_SYMLINK:
  case SHELL_OVERLAY_HARDLINK:
    return shell_overlay_create(f->cls, iid, out);
  case SHELL_MENU:
    return shell_menu_create(0, iid, out);
  case SHELL_DRAGDROP:
    return shell_dragdrop_create(iid, out);
  case SHELL_PROPSHEET:
    return shell_propsheet_create(iid, out);
  default:
    return E_UNEXPECTED;
  }
}

static HRESULT STDMETHODCALLTYPE factory_lock(IClassFactory *self, BOOL lock) {
  (void)self;
  if (lock)
    shell_module_ref();
  else
    shell_module_unref();
  return S_OK;
}

static IClassFactoryVtbl factory_vtbl = {
    factory_query, factory_addref, factory_release, factory_create,
    factory_lock};

static factory factories[SHELL_CLASS_COUNT] = {
    {{&factory_vtbl}, SHELL_OVERLAY_JUNCTION},
    {{&factory_vtbl}, SHELL_OVERLAY_SYMLINK},
    {{&factory_vtbl}, SHELL_OVERLAY_HARDLINK},
    {{&factory_vtbl}, SHELL_MENU},
    {{&factory_vtbl}, SHELL_DRAGDROP},
    {{&factory_vtbl}, SHELL_PROPSHEET},
};

STDAPI DllGetClassObject(REFCLSID clsid, REFIID iid, void **out) {
  if (!out)
    return E_POINTER;
  *out = NULL;
  for (int i = 0; i < SHELL_CLASS_COUNT; i++)
    if (IsEqualCLSID(clsid, shell_classes[i].clsid))
      return factory_query(&factories[i].iface, iid, out);
  return CLASS_E_CLASSNOTAVAILABLE;
}

STDAPI DllCanUnloadNow(void) {
  return InterlockedCompareExchange(&module_refs, 0, 0) == 0 ? S_OK : S_FALSE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved) {
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) {
    shell_module = instance;
    DisableThreadLibraryCalls(instance);
  }
  return TRUE;
}
