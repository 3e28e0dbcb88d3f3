/*
 * verbs.c - what the menu items do, each through one libslink call:
 * Drop As (slink_make), Remove Link (slink_remove), Go to Target
 * (slink_read with resolution). A failure is reported once, with slink's
 * own message, as the program reports it: "slink: COMMAND: PATH: REASON".
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <shlwapi.h>

#include "shell.h"

HRESULT shell_report(HWND owner, int no_ui, const wchar_t *verb,
                     const char *path, int code) {
  if (!no_ui) {
    wchar_t *wpath = path ? shell_wide(path) : NULL;
    wchar_t *wmsg = shell_wide(slink_strerror(code));
    wchar_t text[2048];
    swprintf(text, sizeof text / sizeof *text, L"slink: %ls: %ls: %ls", verb,
             wpath ? wpath : L"?", wmsg ? wmsg : L"?");
    MessageBoxW(owner, text, L"slink", MB_OK | MB_ICONERROR);
    free(wpath);
    free(wmsg);
  }
  return SHELL_E_SLINK(code);
}

slink_kind shell_kind(const wchar_t *path, uint64_t *nlink) {
  char *p = shell_utf8(path);
  slink_info info;
  slink_kind kind = SLINK_KIND_NONE;
  *nlink = 0;
  if (p && slink_read(p, 0, &info) == 0) {
    kind = info.kind;
    *nlink = info.nlink;
    slink_info_free(&info);
  }
  free(p);
  return kind;
}

int shell_is_dir(const wchar_t *path) {
  DWORD a = GetFileAttributesW(path);
  return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

static int same_volume(const wchar_t *a, const wchar_t *b) {
  wchar_t va[MAX_PATH + 1], vb[MAX_PATH + 1];
  return GetVolumePathNameW(a, va, MAX_PATH + 1) &&
         GetVolumePathNameW(b, vb, MAX_PATH + 1) &&
         CompareStringOrdinal(va, -1, vb, -1, TRUE) == CSTR_EQUAL;
}

/* Junctions only to folders, hard links only to files on the folder's
 * volume; symbolic links to anything. */
int shell_drop_allowed(slink_make_type type, wchar_t *const *sources,
                       size_t count, const wchar_t *folder) {
  if (!count || !folder || !shell_is_dir(folder))
    return 0;
  for (size_t i = 0; i < count; i++) {
    DWORD a = GetFileAttributesW(sources[i]);
    if (a == INVALID_FILE_ATTRIBUTES)
      return 0;
    if (type == SLINK_MAKE_JUNCTION && !(a & FILE_ATTRIBUTE_DIRECTORY))
      return 0;
    if (type == SLINK_MAKE_HARD &&
        ((a & FILE_ATTRIBUTE_DIRECTORY) || !same_volume(sources[i], folder)))
      return 0;
  }
  return 1;
}

/* FOLDER\NAME, or "NAME (link N)" (before a file's extension) for the Nth
 * try: dropping into the source's own folder must not fail on its name. */
static wchar_t *link_name(const wchar_t *folder, const wchar_t *source,
                          int dir, int attempt) {
  const wchar_t *base = PathFindFileNameW(source);
  const wchar_t *ext = dir ? base + wcslen(base) : PathFindExtensionW(base);
  size_t n = wcslen(folder) + wcslen(base) + 32;
  wchar_t *out = malloc(n * sizeof *out);
  const wchar_t *sep = folder[0] && folder[wcslen(folder) - 1] == L'\\'
                           ? L"" : L"\\";
  if (!out)
    return NULL;
  if (attempt == 0)
    swprintf(out, n, L"%ls%ls%ls", folder, sep, base);
  else if (attempt == 1)
    swprintf(out, n, L"%ls%ls%.*ls (link)%ls", folder, sep,
             (int)(ext - base), base, ext);
  else
    swprintf(out, n, L"%ls%ls%.*ls (link %d)%ls", folder, sep,
             (int)(ext - base), base, attempt, ext);
  return out;
}

static int make_one(slink_make_type type, const wchar_t *wlink,
                    const char *target, int dir, unsigned extra,
                    char **link_out, const char **error_path) {
  slink_make_opts opts = {type, extra, NULL};
  slink_made made = {0};
  char *link = shell_utf8(wlink);
  int rc;
  *link_out = link;
  *error_path = NULL;
  if (!link)
    return SLINK_EBADUTF16;
  if (type == SLINK_MAKE_SYMBOLIC)
    opts.flags |= dir ? SLINK_MAKE_DIR : SLINK_MAKE_FILE;
  rc = slink_make(link, target, &opts, &made);
  if (rc < 0)
    *error_path = made.error_path == target ? target : link;
  slink_made_free(&made);
  return rc;
}

static HRESULT drop_one(HWND owner, int no_ui, slink_make_type type,
                        const wchar_t *source, const wchar_t *folder) {
  int dir = shell_is_dir(source);
  char *target = shell_utf8(source);
  char *link = NULL;
  const char *where = NULL;
  wchar_t *wlink = NULL;
  int rc = SLINK_EEXIST, declined = 0;
  HRESULT hr;
  if (!target)
    return shell_report(owner, no_ui, L"make", NULL, SLINK_EBADUTF16);
  for (int attempt = 0; rc == SLINK_EEXIST && attempt < 100; attempt++) {
    free(wlink);
    free(link);
    link = NULL;
    if (!(wlink = link_name(folder, source, dir, attempt))) {
      rc = SLINK_ENOMEM;
      break;
    }
    rc = make_one(type, wlink, target, dir, 0, &link, &where);
    /* As `slink make --fallback`: a folder link without the privilege
     * can still be a junction, if the user agrees. */
    if (rc == SLINK_ENOPRIV && dir && !no_ui) {
      if (MessageBoxW(owner,
                      L"Windows refused a symbolic link: the privilege to "
                      L"create symbolic links is not held (Developer Mode is "
                      L"off).\n\nMake a junction instead?",
                      L"slink", MB_YESNO | MB_ICONQUESTION) != IDYES) {
        declined = 1;
        break;
      }
      free(link);
      rc = make_one(SLINK_MAKE_JUNCTION, wlink, target, dir, 0, &link, &where);
    }
  }
  if (declined) {
    hr = HRESULT_FROM_WIN32(ERROR_CANCELLED); /* the user has been told */
  } else if (rc < 0) {
    hr = shell_report(owner, no_ui, L"make", where ? where : target, rc);
  } else {
    SHChangeNotify(dir ? SHCNE_MKDIR : SHCNE_CREATE, SHCNF_PATHW, wlink, NULL);
    hr = S_OK;
  }
  free(wlink);
  free(link);
  free(target);
  return hr;
}

HRESULT shell_drop_as(HWND owner, int no_ui, slink_make_type type,
                      wchar_t *const *sources, size_t count,
                      const wchar_t *folder) {
  HRESULT first = S_OK;
  for (size_t i = 0; i < count; i++) {
    HRESULT hr = drop_one(owner, no_ui, type, sources[i], folder);
    if (FAILED(hr) && SUCCEEDED(first))
      first = hr;
  }
  return first;
}

HRESULT shell_remove_link(HWND owner, int no_ui, const wchar_t *path) {
  char *p = shell_utf8(path);
  slink_removed removed = {0};
  int rc;
  if (!p)
    return shell_report(owner, no_ui, L"rm", NULL, SLINK_EBADUTF16);
  rc = slink_remove(p, 0, &removed);
  if (rc < 0) {
    HRESULT hr = shell_report(owner, no_ui, L"rm", p, rc);
    free(p);
    return hr;
  }
  free(p);
  SHChangeNotify(removed.kind == SLINK_KIND_DIR_SYMLINK ||
                         removed.kind == SLINK_KIND_JUNCTION
                     ? SHCNE_RMDIR : SHCNE_DELETE,
                 SHCNF_PATHW, path, NULL);
  return S_OK;
}

HRESULT shell_go_to_target(HWND owner, int no_ui, const wchar_t *path) {
  char *p = shell_utf8(path);
  slink_info info;
  wchar_t *wres;
  PIDLIST_ABSOLUTE pidl = NULL;
  HRESULT hr;
  int rc;
  if (!p)
    return shell_report(owner, no_ui, L"show", NULL, SLINK_EBADUTF16);
  rc = slink_read(p, SLINK_READ_RESOLVE, &info);
  if (rc == 0 && (!info.resolved || info.target_kind == SLINK_KIND_NONE)) {
    slink_info_free(&info);
    rc = SLINK_ENOTARGET;
  }
  if (rc < 0) {
    hr = shell_report(owner, no_ui, L"show", p, rc);
    free(p);
    return hr;
  }
  free(p);
  wres = shell_wide(info.resolved);
  slink_info_free(&info);
  if (!wres)
    return E_OUTOFMEMORY;
  hr = SHParseDisplayName(wres, NULL, &pidl, 0, NULL);
  if (SUCCEEDED(hr)) {
    hr = SHOpenFolderAndSelectItems(pidl, 0, NULL, 0);
    CoTaskMemFree(pidl);
  }
  free(wres);
  return hr;
}
