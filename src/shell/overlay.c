/*
 * overlay.c - the three icon overlays (junction, symbolic link, hard
 * link). Explorer asks IsMemberOf for every item it draws, on its own
 * threads, so the answer must be cheap and must never wait on a network:
 *  - the attributes Explorer passes decide first, with no call at all (no
 *    reparse attribute: neither a junction nor a symbolic link; a folder
 *    or a reparse point: no hard link overlay);
 *  - offline and cloud placeholder files are refused before any query,
 *    so an overlay never recalls a file from the cloud;
 *  - network paths (UNC, mapped drives) and drives that are not fixed,
 *    removable or RAM disks are refused by the path string and
 *    GetDriveTypeW, before the file is touched: a slow or offline share
 *    costs no time at all;
 *  - otherwise one slink_read() without SLINK_READ_RESOLVE (the entry's
 *    handle and, for a reparse point, its stored data; never the target),
 *    kept in a one-entry cache so the three identifiers asking about the
 *    same item cost one read, not three.
 */
#include <stdlib.h>
#include <wchar.h>
#include <shlwapi.h>

#include "clsid.h"
#include "shell.h"

#ifndef FILE_ATTRIBUTE_RECALL_ON_OPEN
#define FILE_ATTRIBUTE_RECALL_ON_OPEN 0x00040000
#endif
#ifndef FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
#define FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS 0x00400000
#endif

/* mingw-w64 declares IShellIconOverlayIdentifier for C without the
 * IUnknown methods, so the interface is spelled out here, in the order of
 * the Windows SDK's declaration. */
typedef struct overlay_iface overlay_iface;
typedef struct overlay_vtbl {
  HRESULT(STDMETHODCALLTYPE *QueryInterface)(overlay_iface *, REFIID, void **);
  ULONG(STDMETHODCALLTYPE *AddRef)(overlay_iface *);
  ULONG(STDMETHODCALLTYPE *Release)(overlay_iface *);
  HRESULT(STDMETHODCALLTYPE *IsMemberOf)(overlay_iface *, LPCWSTR, DWORD);
  HRESULT(STDMETHODCALLTYPE *GetOverlayInfo)(overlay_iface *, LPWSTR, int,
                                             int *, DWORD *);
  HRESULT(STDMETHODCALLTYPE *GetPriority)(overlay_iface *, int *);
} overlay_vtbl;
struct overlay_iface {
  const overlay_vtbl *lpVtbl;
};

static const IID iid_overlay_identifier = SLINK_IID_OVERLAY_IDENTIFIER;

typedef struct overlay {
  overlay_iface iface;
  LONG refs;
  int which; /* SHELL_OVERLAY_* */
} overlay;

/* What the last item read was: Explorer asks each identifier in turn. */
static SRWLOCK cache_lock = SRWLOCK_INIT;
static wchar_t cache_path[MAX_PATH];
static slink_kind cache_kind;
static uint64_t cache_nlink;
static uint32_t cache_tag;
static ULONGLONG cache_time;

/* Drives where a query answers at disk speed. */
static int local_path(const wchar_t *path) {
  wchar_t root[4];
  UINT type;
  if (PathIsUNCW(path) || PathIsNetworkPathW(path))
    return 0;
  if (!path[0] || path[1] != L':')
    return 0;
  root[0] = path[0];
  root[1] = L':';
  root[2] = L'\\';
  root[3] = 0;
  type = GetDriveTypeW(root);
  return type == DRIVE_FIXED || type == DRIVE_REMOVABLE ||
         type == DRIVE_RAMDISK;
}

/* The kind and name count of PATH, from the cache or one read. */
static int lookup(const wchar_t *path, slink_kind *kind, uint64_t *nlink,
                  uint32_t *tag) {
  size_t len = wcslen(path);
  ULONGLONG now = GetTickCount64();
  slink_info info;
  char *p;
  int rc;
  AcquireSRWLockShared(&cache_lock);
  rc = len < MAX_PATH && now - cache_time < 2000 &&
       wcscmp(cache_path, path) == 0;
  if (rc) {
    *kind = cache_kind;
    *nlink = cache_nlink;
    *tag = cache_tag;
  }
  ReleaseSRWLockShared(&cache_lock);
  if (rc)
    return 0;
  if (!(p = shell_utf8(path)))
    return SLINK_EBADUTF16;
  rc = slink_read(p, 0, &info);
  free(p);
  if (rc < 0)
    return rc;
  *kind = info.kind;
  *nlink = info.nlink;
  *tag = info.tag;
  slink_info_free(&info);
  if (len < MAX_PATH) {
    AcquireSRWLockExclusive(&cache_lock);
    memcpy(cache_path, path, (len + 1) * sizeof *path);
    cache_kind = *kind;
    cache_nlink = *nlink;
    cache_tag = *tag;
    cache_time = now;
    ReleaseSRWLockExclusive(&cache_lock);
  }
  return 0;
}

static ULONG STDMETHODCALLTYPE ov_addref(overlay_iface *self) {
  return (ULONG)InterlockedIncrement(&SHELL_OUTER(self, overlay, iface)->refs);
}

static HRESULT STDMETHODCALLTYPE ov_query(overlay_iface *self,
                                          REFIID iid, void **out) {
  if (!out)
    return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) ||
      IsEqualIID(iid, &iid_overlay_identifier)) {
    *out = self;
    ov_addref(self);
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE ov_release(overlay_iface *self) {
  overlay *o = SHELL_OUTER(self, overlay, iface);
  LONG n = InterlockedDecrement(&o->refs);
  if (n == 0) {
    free(o);
    shell_module_unref();
  }
  return (ULONG)n;
}

static HRESULT STDMETHODCALLTYPE ov_member(overlay_iface *self,
                                           LPCWSTR path, DWORD attrib) {
  overlay *o = SHELL_OUTER(self, overlay, iface);
  const DWORD remote = FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN |
                       FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS;
  slink_kind kind;
  uint64_t nlink;
  uint32_t tag;
  if (!path || !*path || (attrib & remote))
    return S_FALSE;
  if (o->which == SHELL_OVERLAY_HARDLINK
          ? (attrib & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT))
          : !(attrib & FILE_ATTRIBUTE_REPARSE_POINT))
    return S_FALSE;
  if (!local_path(path) || lookup(path, &kind, &nlink, &tag) < 0)
    return S_FALSE;
  switch (o->which) {
  case SHELL_OVERLAY_JUNCTION:
    return kind == SLINK_KIND_JUNCTION ? S_OK : S_FALSE;
  case SHELL_OVERLAY_SYMLINK:
    /* A reparse point with no readable tag is how Wine shows a Linux
     * symbolic link; reparse points with a tag slink does not know (cloud
     * files, deduplication) are not links and get no arrow. */
    return kind == SLINK_KIND_SYMLINK || kind == SLINK_KIND_DIR_SYMLINK ||
                   kind == SLINK_KIND_WSL_SYMLINK ||
                   kind == SLINK_KIND_APP_LINK ||
                   (kind == SLINK_KIND_REPARSE && tag == 0)
               ? S_OK
               : S_FALSE;
  default:
    return kind == SLINK_KIND_FILE && nlink > 1 ? S_OK : S_FALSE;
  }
}

/* The icons are the DLL's own, in the order of shell.rc. */
static HRESULT STDMETHODCALLTYPE ov_info(overlay_iface *self,
                                         LPWSTR file, int max, int *index,
                                         DWORD *flags) {
  overlay *o = SHELL_OUTER(self, overlay, iface);
  DWORD n;
  if (!file || !index || !flags || max <= 0)
    return E_POINTER;
  n = GetModuleFileNameW(shell_module, file, (DWORD)max);
  if (n == 0 || n >= (DWORD)max)
    return E_FAIL;
  *index = o->which - SHELL_OVERLAY_JUNCTION;
  *flags = ISIOI_ICONFILE | ISIOI_ICONINDEX;
  return S_OK;
}

/* Links before hard links: a hard-linked symbolic link shows its arrow. */
static HRESULT STDMETHODCALLTYPE ov_priority(overlay_iface *self,
                                             int *priority) {
  overlay *o = SHELL_OUTER(self, overlay, iface);
  if (!priority)
    return E_POINTER;
  *priority = o->which == SHELL_OVERLAY_HARDLINK ? 20 : 10;
  return S_OK;
}

static const overlay_vtbl ov_vtbl = {
    ov_query, ov_addref, ov_release, ov_member, ov_info, ov_priority};

HRESULT shell_overlay_create(int which, REFIID iid, void **out) {
  overlay *o = calloc(1, sizeof *o);
  HRESULT hr;
  if (!o)
    return E_OUTOFMEMORY;
  o->iface.lpVtbl = &ov_vtbl;
  o->refs = 1;
  o->which = which;
  shell_module_ref();
  hr = ov_query(&o->iface, iid, out);
  ov_release(&o->iface);
  return hr;
}
