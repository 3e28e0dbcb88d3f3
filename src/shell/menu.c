/*
 * menu.c - the context menu (IShellExtInit + IContextMenu3), for items,
 * for a folder's background, and, with DROP set, for a right-drag
 * (dragdrop.c). Items:
 *   Pick Link Source                   any selection
 *   Drop As > Junction                 a folder (or its background) after
 *             Symbolic Link            a pick, or a right-drag: greyed
 *             Hard Link                where the link cannot be made
 *   Remove Link (keeps the target)     one link, or one name of a
 *                                      hard-linked file
 *   Go to Target                       one symbolic link or junction
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "shell.h"

enum {
  CMD_PICK,
  CMD_DROP_JUNCTION,
  CMD_DROP_SYMLINK,
  CMD_DROP_HARD,
  CMD_REMOVE,
  CMD_GOTO,
  CMD_COUNT
};

static const struct {
  const char *verb;
  const wchar_t *label;
  const wchar_t *help;
} cmds[CMD_COUNT] = {
    {"slink.pick", L"Pick Link Source",
     L"Remember the selection as the target of links made with Drop As"},
    {"slink.drop.junction", L"Junction",
     L"Make a junction here to each picked folder"},
    {"slink.drop.symlink", L"Symbolic Link",
     L"Make a symbolic link here to each picked item"},
    {"slink.drop.hard", L"Hard Link",
     L"Give each picked file another name here (same volume only)"},
    {"slink.remove", L"Remove Link (keeps the target)",
     L"Remove the link itself; what it points to stays"},
    {"slink.goto", L"Go to Target",
     L"Open the folder that holds the link's target"},
};

typedef struct menu {
  IShellExtInit init;
  IContextMenu3 menu;
  LONG refs;
  int drop;            /* a right-drag's menu: sources are the dragged items */
  wchar_t **sel;       /* the selected (or dragged) items */
  size_t nsel;
  wchar_t *folder;     /* the background folder, or the drop's target */
  wchar_t **picked;    /* read at QueryContextMenu */
  size_t npicked;
} menu;

static void menu_clear(menu *m) {
  shell_paths_free(m->sel, m->nsel);
  shell_paths_free(m->picked, m->npicked);
  free(m->folder);
  m->sel = m->picked = NULL;
  m->nsel = m->npicked = 0;
  m->folder = NULL;
}

static HRESULT query(menu *m, REFIID iid, void **out) {
  if (!out)
    return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IShellExtInit))
    *out = &m->init;
  else if (IsEqualIID(iid, &IID_IContextMenu) ||
           IsEqualIID(iid, &IID_IContextMenu2) ||
           IsEqualIID(iid, &IID_IContextMenu3))
    *out = &m->menu;
  else {
    *out = NULL;
    return E_NOINTERFACE;
  }
  InterlockedIncrement(&m->refs);
  return S_OK;
}

static ULONG release(menu *m) {
  LONG n = InterlockedDecrement(&m->refs);
  if (n == 0) {
    menu_clear(m);
    free(m);
    shell_module_unref();
  }
  return (ULONG)n;
}

/* IShellExtInit */

static HRESULT STDMETHODCALLTYPE init_query(IShellExtInit *self, REFIID iid,
                                            void **out) {
  return query(SHELL_OUTER(self, menu, init), iid, out);
}
static ULONG STDMETHODCALLTYPE init_addref(IShellExtInit *self) {
  return (ULONG)InterlockedIncrement(&SHELL_OUTER(self, menu, init)->refs);
}
static ULONG STDMETHODCALLTYPE init_release(IShellExtInit *self) {
  return release(SHELL_OUTER(self, menu, init));
}

static HRESULT STDMETHODCALLTYPE init_init(IShellExtInit *self,
                                           PCIDLIST_ABSOLUTE folder,
                                           IDataObject *data, HKEY key) {
  menu *m = SHELL_OUTER(self, menu, init);
  (void)key;
  menu_clear(m);
  if (data && FAILED(shell_drop_paths(data, &m->sel, &m->nsel)))
    return E_FAIL;
  m->folder = shell_pidl_path(folder);
  if (m->drop && !m->folder)
    return E_FAIL;
  /* Items selected (DATA) or a folder's background (FOLDER alone). */
  return m->nsel || m->folder ? S_OK : E_FAIL;
}

static IShellExtInitVtbl init_vtbl = {init_query, init_addref, init_release,
                                      init_init};

/* IContextMenu3 */

static HRESULT STDMETHODCALLTYPE cm_query(IContextMenu3 *self, REFIID iid,
                                          void **out) {
  return query(SHELL_OUTER(self, menu, menu), iid, out);
}
static ULONG STDMETHODCALLTYPE cm_addref(IContextMenu3 *self) {
  return (ULONG)InterlockedIncrement(&SHELL_OUTER(self, menu, menu)->refs);
}
static ULONG STDMETHODCALLTYPE cm_release(IContextMenu3 *self) {
  return release(SHELL_OUTER(self, menu, menu));
}

/* Where Drop As makes its links: the drag's target, the background's
 * folder, or the one folder selected. */
static const wchar_t *drop_folder(const menu *m) {
  if (m->drop || m->nsel == 0)
    return m->folder;
  return m->nsel == 1 && shell_is_dir(m->sel[0]) ? m->sel[0] : NULL;
}

static void drop_sources(const menu *m, wchar_t *const **src, size_t *n) {
  *src = m->drop ? m->sel : m->picked;
  *n = m->drop ? m->nsel : m->npicked;
}

static BOOL add_item(HMENU h, UINT pos, UINT first, int cmd, int enabled) {
  MENUITEMINFOW mi = {sizeof mi, 0, 0, 0, 0, NULL, NULL, NULL, 0, NULL, 0,
                      NULL};
  mi.fMask = MIIM_ID | MIIM_STRING | MIIM_STATE;
  mi.wID = first + (UINT)cmd;
  mi.fState = enabled ? MFS_ENABLED : MFS_DISABLED;
  mi.dwTypeData = (wchar_t *)cmds[cmd].label;
  return InsertMenuItemW(h, pos, TRUE, &mi);
}

static HRESULT STDMETHODCALLTYPE cm_qcm(IContextMenu3 *self, HMENU h,
                                        UINT index, UINT first, UINT last,
                                        UINT flags) {
  menu *m = SHELL_OUTER(self, menu, menu);
  const wchar_t *folder;
  wchar_t *const *src;
  size_t nsrc;
  UINT pos = index;
  slink_kind kind = SLINK_KIND_NONE;
  uint64_t nlink = 0;
  if ((flags & CMF_DEFAULTONLY) || last < first || last - first < CMD_COUNT - 1)
    return MAKE_HRESULT(SEVERITY_SUCCESS, 0, 0);
  shell_paths_free(m->picked, m->npicked);
  m->picked = NULL;
  m->npicked = 0;
  if (!m->drop && FAILED(shell_pick_load(&m->picked, &m->npicked)))
    return E_OUTOFMEMORY;
  if (!m->drop && m->nsel > 0)
    add_item(h, pos++, first, CMD_PICK, 1);
  folder = drop_folder(m);
  drop_sources(m, &src, &nsrc);
  if (folder && nsrc > 0) {
    HMENU sub = CreatePopupMenu();
    MENUITEMINFOW mi = {sizeof mi, 0, 0, 0, 0, NULL, NULL, NULL, 0, NULL, 0,
                        NULL};
    if (!sub)
      return E_OUTOFMEMORY;
    add_item(sub, 0, first, CMD_DROP_JUNCTION,
             shell_drop_allowed(SLINK_MAKE_JUNCTION, src, nsrc, folder));
    add_item(sub, 1, first, CMD_DROP_SYMLINK,
             shell_drop_allowed(SLINK_MAKE_SYMBOLIC, src, nsrc, folder));
    add_item(sub, 2, first, CMD_DROP_HARD,
             shell_drop_allowed(SLINK_MAKE_HARD, src, nsrc, folder));
    mi.fMask = MIIM_SUBMENU | MIIM_STRING;
    mi.hSubMenu = sub;
    mi.dwTypeData = L"Drop As";
    InsertMenuItemW(h, pos++, TRUE, &mi);
  }
  if (!m->drop && m->nsel == 1)
    kind = shell_kind(m->sel[0], &nlink);
  if (slink_kind_is_link(kind) || (kind == SLINK_KIND_FILE && nlink > 1))
    add_item(h, pos++, first, CMD_REMOVE, 1);
  if (kind == SLINK_KIND_SYMLINK || kind == SLINK_KIND_DIR_SYMLINK ||
      kind == SLINK_KIND_JUNCTION)
    add_item(h, pos++, first, CMD_GOTO, 1);
  return MAKE_HRESULT(SEVERITY_SUCCESS, 0, CMD_COUNT);
}

/* The command a CMINVOKECOMMANDINFO names by offset or by verb, or -1. */
static int command_of(const CMINVOKECOMMANDINFO *ci) {
  const CMINVOKECOMMANDINFOEX *ex = (const CMINVOKECOMMANDINFOEX *)ci;
  if (ci->cbSize >= sizeof *ex && (ci->fMask & CMIC_MASK_UNICODE) &&
      ex->lpVerbW && !IS_INTRESOURCE(ex->lpVerbW)) {
    for (int i = 0; i < CMD_COUNT; i++) {
      wchar_t *w = shell_wide(cmds[i].verb);
      int same = w && wcscmp(w, ex->lpVerbW) == 0;
      free(w);
      if (same)
        return i;
    }
    return -1;
  }
  if (IS_INTRESOURCE(ci->lpVerb)) {
    UINT off = LOWORD((UINT_PTR)ci->lpVerb);
    return off < CMD_COUNT ? (int)off : -1;
  }
  for (int i = 0; i < CMD_COUNT; i++)
    if (strcmp(ci->lpVerb, cmds[i].verb) == 0)
      return i;
  return -1;
}

static HRESULT STDMETHODCALLTYPE cm_invoke(IContextMenu3 *self,
                                           CMINVOKECOMMANDINFO *ci) {
  menu *m = SHELL_OUTER(self, menu, menu);
  int cmd, no_ui;
  const wchar_t *folder = drop_folder(m);
  wchar_t *const *src;
  size_t nsrc;
  static const slink_make_type types[] = {
      SLINK_MAKE_JUNCTION, SLINK_MAKE_SYMBOLIC, SLINK_MAKE_HARD};
  if (!ci)
    return E_INVALIDARG;
  cmd = command_of(ci);
  no_ui = (ci->fMask & CMIC_MASK_FLAG_NO_UI) != 0;
  switch (cmd) {
  case CMD_PICK:
    return m->nsel ? shell_pick_store(m->sel, m->nsel) : E_FAIL;
  case CMD_DROP_JUNCTION:
  case CMD_DROP_SYMLINK:
  case CMD_DROP_HARD:
    if (!m->drop && !m->picked)
      shell_pick_load(&m->picked, &m->npicked);
    drop_sources(m, &src, &nsrc);
    if (!folder || !nsrc)
      return E_FAIL;
    return shell_drop_as(ci->hwnd, no_ui, types[cmd - CMD_DROP_JUNCTION], src,
                         nsrc, folder);
  case CMD_REMOVE:
    return m->nsel == 1 ? shell_remove_link(ci->hwnd, no_ui, m->sel[0])
                        : E_FAIL;
  case CMD_GOTO:
    return m->nsel == 1 ? shell_go_to_target(ci->hwnd, no_ui, m->sel[0])
                        : E_FAIL;
  default:
    return E_INVALIDARG;
  }
}

static HRESULT STDMETHODCALLTYPE cm_string(IContextMenu3 *self, UINT_PTR id,
                                           UINT type, UINT *reserved,
                                           CHAR *name, UINT max) {
  (void)self;
  (void)reserved;
  if (id >= CMD_COUNT)
    return E_INVALIDARG;
  switch (type) {
  case GCS_VALIDATEA:
  case GCS_VALIDATEW:
    return S_OK;
  case GCS_VERBA:
    if (!max || strlen(cmds[id].verb) >= max)
      return E_FAIL;
    strcpy(name, cmds[id].verb);
    return S_OK;
  case GCS_VERBW: {
    wchar_t *w = shell_wide(cmds[id].verb);
    HRESULT hr = w && wcslen(w) < max ? S_OK : E_FAIL;
    if (hr == S_OK)
      wcscpy((wchar_t *)name, w);
    free(w);
    return hr;
  }
  case GCS_HELPTEXTW:
    if (!max || wcslen(cmds[id].help) >= max)
      return E_FAIL;
    wcscpy((wchar_t *)name, cmds[id].help);
    return S_OK;
  case GCS_HELPTEXTA:
    return WideCharToMultiByte(CP_ACP, 0, cmds[id].help, -1, name, (int)max,
                               NULL, NULL) > 0 ? S_OK : E_FAIL;
  default:
    return E_INVALIDARG;
  }
}

/* Nothing is drawn by hand: the messages are acknowledged. */
static HRESULT STDMETHODCALLTYPE cm_msg2(IContextMenu3 *self, UINT msg,
                                         WPARAM wp, LPARAM lp,
                                         LRESULT *result) {
  (void)self;
  (void)msg;
  (void)wp;
  (void)lp;
  if (result)
    *result = 0;
  return S_OK;
}

static HRESULT STDMETHODCALLTYPE cm_msg(IContextMenu3 *self, UINT msg,
                                        WPARAM wp, LPARAM lp) {
  return cm_msg2(self, msg, wp, lp, NULL);
}

static IContextMenu3Vtbl cm_vtbl = {cm_query,  cm_addref, cm_release,
                                    cm_qcm,    cm_invoke, cm_string,
                                    cm_msg,    cm_msg2};

HRESULT shell_menu_create(int drop, REFIID iid, void **out) {
  menu *m = calloc(1, sizeof *m);
  HRESULT hr;
  if (!m)
    return E_OUTOFMEMORY;
  m->init.lpVtbl = &init_vtbl;
  m->menu.lpVtbl = &cm_vtbl;
  m->refs = 1;
  m->drop = drop;
  shell_module_ref();
  hr = query(m, iid, out);
  release(m);
  return hr;
}
