/*
 * shell.h - slink-shell.dll, the Explorer side of slink: the classes it
 * serves, the module's reference count, and the few helpers they share.
 * Everything about links goes through the public API (slink.h); this DLL
 * only turns Explorer's wide paths and COM calls into those calls.
 */
#ifndef SLINK_SHELL_H
#define SLINK_SHELL_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
#include <shlobj.h>
#include <olectl.h>
#include <stddef.h>

#include "slink.h"

/* The object behind an interface pointer embedded at MEMBER. */
#define SHELL_OUTER(ptr, type, member)                                        \
  ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* The classes, in the order of the class table (dll.c). */
enum shell_class {
  SHELL_OVERLAY_JUNCTION,
  SHELL_OVERLAY_SYMLINK,
  SHELL_OVERLAY_HARDLINK,
  SHELL_MENU,
  SHELL_DRAGDROP,
  SHELL_PROPSHEET,
  SHELL_CLASS_COUNT
};

typedef struct shell_class_info {
  const CLSID *clsid;
  const wchar_t *name;   /* the CLSID key's default value */
} shell_class_info;

extern const shell_class_info shell_classes[SHELL_CLASS_COUNT];
extern HINSTANCE shell_module;

/* The exports (slink-shell.def); olectl.h declares the other four. */
STDAPI DllInstall(BOOL install, LPCWSTR cmdline);

/* Live objects plus IClassFactory::LockServer locks: DllCanUnloadNow says
 * S_OK only at zero. Property pages and their dialogs count too. */
void shell_module_ref(void);
void shell_module_unref(void);

/* Constructors: a new object holding one reference, queried for IID. */
HRESULT shell_overlay_create(int which, REFIID iid, void **out);
HRESULT shell_menu_create(int drop, REFIID iid, void **out);
HRESULT shell_dragdrop_create(REFIID iid, void **out);
HRESULT shell_propsheet_create(REFIID iid, void **out);

/* A slink error as an HRESULT the caller can take apart again: the
 * interface-specific range of FACILITY_ITF, 0x0200 + |code|. */
#define SHELL_E_SLINK(code)                                                   \
  MAKE_HRESULT(SEVERITY_ERROR, FACILITY_ITF, 0x0200 + -(code))

/* UTF-8 <-> UTF-16 for the library's paths (malloc'd; NULL on failure or
 * on an unpaired surrogate, which no UTF-8 path can carry). */
char *shell_utf8(const wchar_t *w);
wchar_t *shell_wide(const char *s);

/* The paths a data object carries as CF_HDROP, malloc'd, *COUNT of them. */
HRESULT shell_drop_paths(IDataObject *data, wchar_t ***paths, size_t *count);
void shell_paths_free(wchar_t **paths, size_t count);
/* The file system path of an ID list, malloc'd, or NULL. */
wchar_t *shell_pidl_path(PCIDLIST_ABSOLUTE pidl);

/* Report a failed verb: "VERB failed." over "PATH: slink's message", in a
 * message box unless NO_UI. Returns SHELL_E_SLINK(CODE). */
HRESULT shell_report(HWND owner, int no_ui, const wchar_t *verb,
                     const char *path, int code);

/* The picked link sources (pick.c): S_FALSE when none are picked. */
extern const wchar_t shell_pick_key[];
HRESULT shell_pick_store(wchar_t *const *paths, size_t count);
HRESULT shell_pick_load(wchar_t ***paths, size_t *count);

/* The verbs (verbs.c). NO_UI: report failure only through the result. */
int shell_drop_allowed(slink_make_type type, wchar_t *const *sources,
                       size_t count, const wchar_t *folder);
HRESULT shell_drop_as(HWND owner, int no_ui, slink_make_type type,
                      wchar_t *const *sources, size_t count,
                      const wchar_t *folder);
HRESULT shell_remove_link(HWND owner, int no_ui, const wchar_t *path);
HRESULT shell_go_to_target(HWND owner, int no_ui, const wchar_t *path);
/* A directory, or a link that shows as one (its own attribute says). */
int shell_is_dir(const wchar_t *path);
/* The kind and name count of PATH, not followed; SLINK_KIND_NONE if it
 * cannot be read. */
slink_kind shell_kind(const wchar_t *path, uint64_t *nlink);

#endif
