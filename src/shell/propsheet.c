/*
 * propsheet.c - the "Link" page in a link's (or a hard-linked file's)
 * properties: kind, stored target, resolved target, states, the reparse
 * tag and names, and every name of a hard-linked file, all from
 * slink_read() and slink_file_names(). A symbolic link's or junction's
 * target can be edited; Apply replaces the link in one step with
 * slink_make(SLINK_MAKE_FORCE), as `slink make -f` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "shell.h"

#include <prsht.h>
#include <shlwapi.h>

#include "resource.h"

typedef struct sheet {
  IShellExtInit init;
  IShellPropSheetExt ext;
  LONG refs;
  wchar_t *path;
} sheet;

/* One page's own data: it outlives the extension object. */
typedef struct page {
  wchar_t *path;
  slink_kind kind;
  int filling;         /* set while the fields are written, not typed */
} page;

static void set_text(HWND dlg, int id, const char *s) {
  wchar_t *w = shell_wide(s ? s : "");
  SetDlgItemTextW(dlg, id, w ? w : L"?");
  free(w);
}

/* "dangling, absolute", in the order of the bits. */
static void states_text(unsigned states, char *buf, size_t n) {
  buf[0] = 0;
  for (unsigned bit = 1; bit && bit < 1u << SLINK_STATE_COUNT; bit <<= 1) {
    const char *name = (states & bit) ? slink_state_name(bit) : NULL;
    if (name && strlen(buf) + strlen(name) + 3 < n) {
      if (buf[0])
        strcat(buf, ", ");
      strcat(buf, name);
    }
  }
}

/* Every name, one a line; the filesystem's own list where it keeps one. */
static void names_text(HWND dlg, const char *path, const slink_info *info) {
  char **names = NULL;
  size_t count = 0, len = 1;
  char *text;
  int rc;
  if (info->kind != SLINK_KIND_FILE || info->nlink < 2) {
    set_text(dlg, IDC_NAMES, path);
    return;
  }
  rc = slink_file_names(path, &names, &count);
  if (rc < 0) {
    char buf[512];
    snprintf(buf, sizeof buf, "%llu names (%s; `slink hardlinks DIR` finds "
             "them)", (unsigned long long)info->nlink,
             rc == SLINK_ENOTSUP ? "this filesystem keeps no list of them"
                                 : slink_strerror(rc));
    set_text(dlg, IDC_NAMES, buf);
    return;
  }
  for (size_t i = 0; i < count; i++)
    len += strlen(names[i]) + 2;
  if ((text = malloc(len))) {
    text[0] = 0;
    for (size_t i = 0; i < count; i++) {
      strcat(text, names[i]);
      if (i + 1 < count)
        strcat(text, "\r\n");
    }
    set_text(dlg, IDC_NAMES, text);
    free(text);
  }
  slink_names_free(names, count);
}

static void fill(HWND dlg, page *pg) {
  char *path = shell_utf8(pg->path);
  slink_info info;
  char buf[512];
  int rc = path ? slink_read(path, SLINK_READ_RESOLVE, &info) : SLINK_EBADUTF16;
  pg->filling = 1;
  if (rc < 0) {
    set_text(dlg, IDC_KIND, slink_strerror(rc));
    pg->kind = SLINK_KIND_NONE;
  } else {
    pg->kind = info.kind;
    set_text(dlg, IDC_KIND, slink_kind_name(info.kind));
    set_text(dlg, IDC_TARGET, info.target);
    set_text(dlg, IDC_RESOLVED, info.resolved);
    states_text(info.states, buf, sizeof buf);
    set_text(dlg, IDC_STATES, buf);
    if (info.tag)
      snprintf(buf, sizeof buf, "0x%08X", (unsigned)info.tag);
    else
      snprintf(buf, sizeof buf, "%s", info.kind == SLINK_KIND_REPARSE
                                          ? "unreadable" : "");
    set_text(dlg, IDC_TAG, buf);
    set_text(dlg, IDC_SUBSTITUTE, info.substitute_name);
    set_text(dlg, IDC_PRINT, info.print_name);
    names_text(dlg, path, &info);
    slink_info_free(&info);
  }
  SendDlgItemMessageW(dlg, IDC_TARGET, EM_SETREADONLY,
                      !(pg->kind == SLINK_KIND_SYMLINK ||
                        pg->kind == SLINK_KIND_DIR_SYMLINK ||
                        pg->kind == SLINK_KIND_JUNCTION),
                      0);
  SendDlgItemMessageW(dlg, IDC_TARGET, EM_SETMODIFY, FALSE, 0);
  pg->filling = 0;
  free(path);
}

/* A junction's target is absolute: a relative one typed here is taken
 * from the junction's own folder, as a user reads it. */
static char *junction_target(const wchar_t *link, const wchar_t *typed) {
  size_t n = wcslen(link) + wcslen(typed) + 2;
  wchar_t *joined = malloc(n * sizeof *joined), *slash, *full;
  DWORD len;
  char *out = NULL;
  if (!joined)
    return NULL;
  wcscpy(joined, link);
  if ((slash = wcsrchr(joined, L'\\')))
    slash[1] = 0;
  wcscat(joined, typed);
  len = GetFullPathNameW(joined, 0, NULL, NULL);
  if (len && (full = malloc(len * sizeof *full))) {
    if (GetFullPathNameW(joined, len, full, NULL) < len)
      out = shell_utf8(full);
    free(full);
  }
  free(joined);
  return out;
}

static int apply(HWND dlg, page *pg) {
  slink_make_opts opts = {SLINK_MAKE_SYMBOLIC, SLINK_MAKE_FORCE, NULL};
  slink_made made = {0};
  wchar_t typed[32768];
  char *link, *target;
  int rc;
  if (!SendDlgItemMessageW(dlg, IDC_TARGET, EM_GETMODIFY, 0, 0))
    return 1;
  GetDlgItemTextW(dlg, IDC_TARGET, typed, 32768);
  if (pg->kind == SLINK_KIND_JUNCTION) {
    opts.type = SLINK_MAKE_JUNCTION;
    target = PathIsRelativeW(typed) ? junction_target(pg->path, typed)
                                    : shell_utf8(typed);
  } else {
    opts.flags |= pg->kind == SLINK_KIND_DIR_SYMLINK ? SLINK_MAKE_DIR
                                                     : SLINK_MAKE_FILE;
    target = shell_utf8(typed);
  }
  link = shell_utf8(pg->path);
  rc = link && target ? slink_make(link, target, &opts, &made)
                      : SLINK_EBADUTF16;
  if (rc < 0)
    shell_report(dlg, 0, L"make",
                 made.error_path ? made.error_path : link, rc);
  slink_made_free(&made);
  free(link);
  free(target);
  if (rc < 0)
    return 0;
  SHChangeNotify(SHCNE_UPDATEITEM, SHCNF_PATHW, pg->path, NULL);
  fill(dlg, pg);
  return 1;
}

static INT_PTR CALLBACK page_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp) {
  page *pg = (page *)GetWindowLongPtrW(dlg, DWLP_USER);
  switch (msg) {
  case WM_INITDIALOG:
    pg = (page *)((PROPSHEETPAGEW *)lp)->lParam;
    SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)pg);
    fill(dlg, pg);
    return FALSE; /* no field focused, so none shows as selected */
  case WM_COMMAND:
    if (pg && !pg->filling && LOWORD(wp) == IDC_TARGET &&
        HIWORD(wp) == EN_CHANGE)
      PropSheet_Changed(GetParent(dlg), dlg);
    return FALSE;
  case WM_NOTIFY:
    if (pg && ((NMHDR *)lp)->code == PSN_APPLY) {
      SetWindowLongPtrW(dlg, DWLP_MSGRESULT,
                        apply(dlg, pg) ? PSNRET_NOERROR
                                       : PSNRET_INVALID_NOCHANGEPAGE);
      return TRUE;
    }
    return FALSE;
  default:
    return FALSE;
  }
}

/* The page keeps the DLL loaded from its creation to its release. */
static UINT CALLBACK page_callback(HWND hwnd, UINT msg, PROPSHEETPAGEW *psp) {
  (void)hwnd;
  if (msg == PSPCB_RELEASE) {
    page *pg = (page *)psp->lParam;
    free(pg->path);
    free(pg);
    shell_module_unref();
  }
  return 1;
}

static HRESULT query(sheet *s, REFIID iid, void **out) {
  if (!out)
    return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IShellExtInit))
    *out = &s->init;
  else if (IsEqualIID(iid, &IID_IShellPropSheetExt))
    *out = &s->ext;
  else {
    *out = NULL;
    return E_NOINTERFACE;
  }
  InterlockedIncrement(&s->refs);
  return S_OK;
}

static ULONG release(sheet *s) {
  LONG n = InterlockedDecrement(&s->refs);
  if (n == 0) {
    free(s->path);
    free(s);
    shell_module_unref();
  }
  return (ULONG)n;
}

static HRESULT STDMETHODCALLTYPE init_query(IShellExtInit *self, REFIID iid,
                                            void **out) {
  return query(SHELL_OUTER(self, sheet, init), iid, out);
}
static ULONG STDMETHODCALLTYPE init_addref(IShellExtInit *self) {
  return (ULONG)InterlockedIncrement(&SHELL_OUTER(self, sheet, init)->refs);
}
static ULONG STDMETHODCALLTYPE init_release(IShellExtInit *self) {
  return release(SHELL_OUTER(self, sheet, init));
}

/* One item only: the page describes one path. */
static HRESULT STDMETHODCALLTYPE init_init(IShellExtInit *self,
                                           PCIDLIST_ABSOLUTE folder,
                                           IDataObject *data, HKEY key) {
  sheet *s = SHELL_OUTER(self, sheet, init);
  wchar_t **paths;
  size_t count;
  HRESULT hr;
  (void)folder;
  (void)key;
  free(s->path);
  s->path = NULL;
  hr = shell_drop_paths(data, &paths, &count);
  if (FAILED(hr))
    return hr;
  if (count == 1) {
    s->path = paths[0];
    paths[0] = NULL;
  }
  shell_paths_free(paths, count);
  return s->path ? S_OK : E_FAIL;
}

static IShellExtInitVtbl init_vtbl = {init_query, init_addref, init_release,
                                      init_init};

static HRESULT STDMETHODCALLTYPE ext_query(IShellPropSheetExt *self,
                                           REFIID iid, void **out) {
  return query(SHELL_OUTER(self, sheet, ext), iid, out);
}
static ULONG STDMETHODCALLTYPE ext_addref(IShellPropSheetExt *self) {
  return (ULONG)InterlockedIncrement(&SHELL_OUTER(self, sheet, ext)->refs);
}
static ULONG STDMETHODCALLTYPE ext_release(IShellPropSheetExt *self) {
  return release(SHELL_OUTER(self, sheet, ext));
}

/* A page only for links and for files with more than one name. */
static HRESULT STDMETHODCALLTYPE ext_add(IShellPropSheetExt *self,
                                         LPFNSVADDPROPSHEETPAGE add,
                                         LPARAM lp) {
  sheet *s = SHELL_OUTER(self, sheet, ext);
  PROPSHEETPAGEW psp;
  HPROPSHEETPAGE h;
  uint64_t nlink;
  slink_kind kind;
  page *pg;
  size_t n;
  if (!s->path || !add)
    return E_UNEXPECTED;
  kind = shell_kind(s->path, &nlink);
  if (!slink_kind_is_link(kind) && !(kind == SLINK_KIND_FILE && nlink > 1))
    return S_OK;
  if (!(pg = calloc(1, sizeof *pg)))
    return E_OUTOFMEMORY;
  n = wcslen(s->path) + 1;
  if (!(pg->path = malloc(n * sizeof *pg->path))) {
    free(pg);
    return E_OUTOFMEMORY;
  }
  memcpy(pg->path, s->path, n * sizeof *pg->path);
  memset(&psp, 0, sizeof psp);
  psp.dwSize = sizeof psp;
  psp.dwFlags = PSP_DEFAULT | PSP_USECALLBACK;
  psp.hInstance = shell_module;
  psp.pszTemplate = MAKEINTRESOURCEW(IDD_LINK_PAGE);
  psp.pfnDlgProc = page_proc;
  psp.pfnCallback = page_callback;
  psp.lParam = (LPARAM)pg;
  shell_module_ref(); /* given back by PSPCB_RELEASE */
  h = CreatePropertySheetPageW(&psp);
  if (!h) {
    page_callback(NULL, PSPCB_RELEASE, &psp);
    return E_OUTOFMEMORY;
  }
  if (!add(h, lp)) {
    DestroyPropertySheetPage(h); /* calls PSPCB_RELEASE */
    return E_FAIL;
  }
  return S_OK;
}

static HRESULT STDMETHODCALLTYPE ext_replace(IShellPropSheetExt *self,
                                             EXPPS id,
                                             LPFNSVADDPROPSHEETPAGE fn,
                                             LPARAM lp) {
  (void)self;
  (void)id;
  (void)fn;
  (void)lp;
  return E_NOTIMPL;
}

static IShellPropSheetExtVtbl ext_vtbl = {ext_query, ext_addref, ext_release,
                                          ext_add, ext_replace};

HRESULT shell_propsheet_create(REFIID iid, void **out) {
  sheet *s = calloc(1, sizeof *s);
  HRESULT hr;
  if (!s)
    return E_OUTOFMEMORY;
  s->init.lpVtbl = &init_vtbl;
  s->ext.lpVtbl = &ext_vtbl;
  s->refs = 1;
  shell_module_ref();
  hr = query(s, iid, out);
  release(s);
  return hr;
}
