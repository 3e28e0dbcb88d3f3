/*
 * link.c - making symbolic links, junctions and hard links in a directory
 * given by its handle.
 *
 * Each reparse point made is read back through a handle on the new entry,
 * opened relative to the directory, before success is reported: some
 * systems (Wine) answer "done" to CreateSymbolicLinkW and make nothing.
 * What is compared is the form Windows stores: CreateSymbolicLinkW
 * normalises an absolute target (RtlDosPathNameToNtPathName_U: "C:\a\..\b"
 * is stored "\??\C:\b") and keeps anything else as given, flagged
 * relative. A link that does not read back as asked is removed again.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/hpath.h"
#include "lib/internal.h"
#include "win/nt.h"

#define FILE_LINK_INFORMATION_CLASS 11

static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

typedef BOOLEAN(NTAPI *dos_to_nt_fn)(PCWSTR, PUNICODE_STRING, PWSTR *,
                                     void *);

int slink__win_symlink_expect(const wchar_t *target, char **sub,
                              int *relative) {
  dos_to_nt_fn dos_to_nt;
  UNICODE_STRING nt;
  FARPROC f;
  int rc;
  /* The types RtlDetermineDosPathNameType_U calls drive-absolute,
   * drive-relative, UNC and device paths are stored resolved; relative
   * and rooted ones ("\x", also "\??\C:\x") as given. */
  int absolute = (target[0] && target[1] == L':') ||
                 ((target[0] == L'\\' || target[0] == L'/') &&
                  (target[1] == L'\\' || target[1] == L'/'));
  if (!absolute) {
    *relative = 1;
    return slink__win_to_utf8(target, wcslen(target), sub, NULL);
  }
  *relative = 0;
  f = GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                     "RtlDosPathNameToNtPathName_U");
  if (!f)
    return SLINK_ENOTSUP;
  memcpy(&dos_to_nt, &f, sizeof f);
  memset(&nt, 0, sizeof nt);
  if (!dos_to_nt(target, &nt, NULL, NULL))
    return SLINK_EINVAL;
  rc = slink__win_to_utf8(nt.Buffer, nt.Length / sizeof(wchar_t), sub, NULL);
  RtlFreeUnicodeString(&nt);
  return rc;
}

/* Nonzero when the reparse data on H is a symbolic link holding SUB with
 * the RELATIVE flag as given, or (SUB NULL) equals the buffer EXPECT in
 * tag, flags and substitute name. */
static int holds(HANDLE h, const char *sub, int relative,
                 const unsigned char *expect, size_t expect_len, DWORD *err) {
  slink_reparse want, got;
  unsigned char *buf = NULL;
  size_t len = 0;
  int same = 0;
  memset(&want, 0, sizeof want);
  memset(&got, 0, sizeof got);
  if (slink__win_get_reparse(h, &buf, &len, err) == 0 &&
      slink_reparse_decode(buf, len, &got) == 0) {
    if (sub)
      same = got.tag == SLINK__TAG_SYMLINK &&
             !(got.flags & SLINK_REPARSE_SYMLINK_RELATIVE) == !relative &&
             strcmp(got.substitute_name, sub) == 0;
    else if (slink_reparse_decode(expect, expect_len, &want) == 0)
      same = got.tag == want.tag && got.flags == want.flags &&
             got.substitute_len == want.substitute_len &&
             memcmp(got.substitute_name, want.substitute_name,
                    want.substitute_len) == 0;
  }
  slink_reparse_free(&want);
  slink_reparse_free(&got);
  free(buf);
  return same;
}

/* NAME in DIR (UTF-8, one component) as UTF-16, and as a \\?\ path for
 * the calls that take one. A name Windows would alter is refused. */
static int made_name(slink__h *dir, const char *name, wchar_t **w, size_t *len,
                     wchar_t **path, DWORD *err) {
  wchar_t *dp = NULL;
  size_t dl;
  int rc = slink__nt_name(name, w, len);
  if (rc == 0)
    rc = slink__win_check_name(*w, *len);
  if (rc == 0 && path)
    rc = slink__nt_dir_path(dir, &dp, err);
  if (rc == 0 && path) {
    dl = wcslen(dp);
    while (dl > 0 && dp[dl - 1] == L'\\')
      dl--;
    *path = malloc((dl + *len + 2) * sizeof **path);
    if (!*path) {
      rc = SLINK_ENOMEM;
    } else {
      memcpy(*path, dp, dl * sizeof *dp);
      (*path)[dl] = L'\\';
      memcpy(*path + dl + 1, *w, *len * sizeof **w);
      (*path)[dl + 1 + *len] = 0;
    }
  }
  free(dp);
  if (rc < 0) {
    free(*w);
    *w = NULL;
  }
  return rc;
}

/* CreateSymbolicLinkW, unprivileged where the system allows it. */
static DWORD create_symlink(const wchar_t *wl, const wchar_t *wt, int is_dir) {
  DWORD flags = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
  DWORD first, second = 0;
  if (is_dir)
    flags |= SYMBOLIC_LINK_FLAG_DIRECTORY;
  if (CreateSymbolicLinkW(wl, wt, flags))
    return 0;
  first = GetLastError();
  /* Windows before 10 1703 does not know the unprivileged flag; its
   * answer without it (no privilege, say) is the one that counts. */
  if (slink__win_symlink_retries(first)) {
    flags &= ~(DWORD)SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
    if (CreateSymbolicLinkW(wl, wt, flags))
      return 0;
    second = GetLastError();
  }
  return slink__win_symlink_error(first, second);
}

int slink__os_h_symlink(slink__h *dir, const char *name, const char *target,
                        int is_dir, const char *drive, int *os_err) {
  wchar_t *w = NULL, *wl = NULL, *wt = NULL;
  char *sub = NULL;
  size_t len = 0, tlen = 0;
  slink__stat st;
  DWORD err = 0;
  HANDLE h = NULL;
  int relative = 0, is_entry = 1, ok, ours;
  int rc;
  (void)drive; /* Windows knows its drive letters */
  if (!target || !*target)
    return SLINK_EEMPTYPATH;
  rc = made_name(dir, name, &w, &len, &wl, &err);
  if (rc == 0)
    rc = slink__win_to_utf16(target, strlen(target), &wt, &tlen);
  if (rc == 0) {
    for (size_t i = 0; i < tlen; i++)
      if (wt[i] == L'/')
        wt[i] = L'\\';
    rc = slink__win_symlink_expect(wt, &sub, &relative);
  }
  if (rc == 0 && (err = create_symlink(wl, wt, is_dir)) != 0)
    rc = slink__win_error(err);
  free(w);
  free(wl);
  free(wt);
  if (rc < 0) {
    free(sub);
    return keep(rc, err, os_err);
  }
  /* Read back what is there now, through the directory's handle. */
  rc = slink__nt_open_entry(dir, name, SLINK__NT_DELETE, 0, &h, &is_entry,
                            &err);
  if (rc < 0) {
    free(sub);
    return keep(SLINK_ENOTVERIFIED, 0, os_err);
  }
  /* The name was free (CreateSymbolicLinkW never replaces): a symbolic
   * link there now is the one just made. */
  ours = is_entry && slink__win_handle_stat(h, &st, &err) == 0 &&
         st.tag == SLINK__TAG_SYMLINK;
  ok = ours &&
       st.kind == (is_dir ? SLINK_KIND_DIR_SYMLINK : SLINK_KIND_SYMLINK) &&
       holds(h, sub, relative, NULL, 0, &err);
  if (ours && !ok) {
    /* Not what was asked for: take it back through the handle that was
     * checked to be the link itself, so nothing half-made stays. */
    DWORD ignored;
    slink__nt_delete(h, &ignored);
  }
  CloseHandle(h);
  free(sub);
  if (!ok && os_err)
    *os_err = 0;
  return ok ? 0 : SLINK_ENOTVERIFIED;
}

/* The drive-letter form ("C:\dir") of an absolute local directory. */
static int junction_target(const char *abs_target, char **out, int *os_err) {
  wchar_t *wt;
  DWORD attrs;
  int rc = slink__win_path(abs_target, &wt);
  if (rc < 0)
    return rc;
  attrs = GetFileAttributesW(wt);
  if (attrs == INVALID_FILE_ATTRIBUTES) {
    DWORD err = GetLastError();
    free(wt);
    rc = slink__nt_fail(err, os_err);
    return rc == SLINK_ENOENT ? SLINK_ENOTARGET : rc;
  }
  if (!(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
    free(wt);
    return SLINK_ETARGETNOTDIR;
  }
  /* Only \\?\X:\ paths are local; \\?\UNC\ and devices are not. */
  if (!(wcslen(wt) >= 7 && wt[5] == L':' && wt[6] == L'\\' &&
        wcsncmp(wt, L"\\\\?\\", 4) == 0)) {
    free(wt);
    return SLINK_ERELJUNCTION;
  }
  rc = slink__win_to_utf8(wt + 4, wcslen(wt + 4), out, NULL);
  free(wt);
  return rc;
}

int slink__os_h_link_can_name(slink__h *dir, const char *target,
                              int *os_err) {
  /* Windows names every volume it reaches in its own terms. */
  (void)dir;
  (void)target;
  (void)os_err;
  return 0;
}

int slink__os_h_junction(slink__h *dir, const char *name,
                         const char *abs_target, const char *drive,
                         slink_kind *made_kind, int *os_err) {
  unsigned char *buf = NULL;
  size_t len = 0, wlen = 0;
  char *target = NULL;
  wchar_t *w = NULL;
  DWORD err = 0;
  HANDLE h = NULL;
  int rc;
  (void)drive;
  rc = junction_target(abs_target, &target, os_err);
  if (rc == 0)
    rc = slink_reparse_encode_junction(target, &buf, &len);
  free(target);
  if (rc == 0)
    rc = made_name(dir, name, &w, &wlen, NULL, &err);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  /* The directory is made through the handle that then holds it. */
  err = slink__nt_open(dir->h, w, wlen,
                       GENERIC_WRITE | SLINK__NT_DELETE,
                       FILE_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT,
                       FILE_CREATE, &h);
  free(w);
  if (err) {
    free(buf);
    return slink__nt_fail(err, os_err);
  }
  rc = slink__win_set_reparse(h, buf, len, &err);
  if (rc == 0 && !holds(h, NULL, 0, buf, len, &err)) {
    rc = SLINK_ENOTVERIFIED;
    err = 0;
  }
  if (rc < 0) {
    /* Nothing half-made: the directory goes again. */
    DWORD ignored;
    slink__nt_delete(h, &ignored);
    if (os_err)
      *os_err = (int)err;
  }
  CloseHandle(h);
  free(buf);
  if (rc == 0)
    *made_kind = SLINK_KIND_JUNCTION;
  return rc;
}

/* FILE_LINK_INFORMATION as the system lays it out. */
typedef struct link_info {
  BOOLEAN replace;
  HANDLE root;
  ULONG len;
  WCHAR name[1];
} link_info;

typedef NTSTATUS(NTAPI *set_info_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG,
                                     FILE_INFORMATION_CLASS);

unsigned slink__win_test_link_max;
int slink__win_test_no_links;

uint64_t slink__win_volume_link_max(HANDLE h) {
  DWORD flags = 0;
  wchar_t fs[MAX_PATH + 1];
  if (slink__win_test_no_links)
    return slink__win_link_max(0, 0);
  if (!GetVolumeInformationByHandleW(h, NULL, 0, NULL, NULL, &flags, fs,
                                     MAX_PATH + 1))
    return slink__win_link_max(SLINK__FS_HARD_LINKS, 1); /* the link decides */
  return slink__win_link_max(flags, wcscmp(fs, L"NTFS") == 0);
}

int slink__os_h_hardlink(slink__h *tdir, const char *tname, slink__h *dir,
                         const char *name, int *os_err) {
  slink__h *cwd = NULL;
  slink__stat st;
  set_info_fn set_info;
  IO_STATUS_BLOCK io;
  link_info *li = NULL;
  wchar_t *w = NULL;
  size_t wlen = 0, size;
  DWORD err = 0;
  HANDLE h = NULL;
  FARPROC f;
  int is_entry = 1;
  int rc = made_name(dir, name, &w, &wlen, NULL, &err);
  if (rc == 0 && !tdir && (rc = slink__nt_cwd(&cwd, os_err)) == 0)
    tdir = cwd;
  if (rc == 0)
    rc = slink__nt_open_entry(tdir, tname, SLINK__NT_LOOK, 0, &h, &is_entry,
                              &err);
  slink__os_h_close(cwd);
  if (rc == 0 && (rc = slink__win_handle_stat(h, &st, &err)) == 0) {
    if (!is_entry)
      rc = SLINK_ENODATA; /* Wine: a Linux symlink, opened through */
    else if (st.kind == SLINK_KIND_DIR)
      rc = SLINK_EHARDLINKDIR;
    else if (slink__win_test_link_max && st.nlink >= slink__win_test_link_max)
      rc = slink__win_error(err = ERROR_TOO_MANY_LINKS);
  }
  f = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtSetInformationFile");
  if (rc == 0 && !f)
    rc = SLINK_ENOTSUP;
  size = offsetof(link_info, name) + (wlen + 1) * sizeof(wchar_t);
  if (rc == 0 && !(li = calloc(1, size)))
    rc = SLINK_ENOMEM;
  if (rc == 0) {
    NTSTATUS s;
    memcpy(&set_info, &f, sizeof f);
    li->replace = FALSE;
    li->root = dir->h;
    li->len = (ULONG)(wlen * sizeof(wchar_t));
    memcpy(li->name, w, wlen * sizeof(wchar_t));
    /* The test stand-in for FAT answers as FAT does. */
    s = slink__win_test_no_links
            ? (NTSTATUS)0xC0000010L /* STATUS_INVALID_DEVICE_REQUEST */
            : set_info(h, &io, li, (ULONG)size,
                       (FILE_INFORMATION_CLASS)FILE_LINK_INFORMATION_CLASS);
    if (s < 0) {
      err = RtlNtStatusToDosError(s);
      rc = slink__win_error(err);
      /* A volume without hard links (FAT, exFAT) refuses every one: its
       * limit is one name, and the caller copies as at NTFS's. Asked
       * only after a refusal, so a link that works costs nothing. */
      if (rc != SLINK_EMLINK && slink__win_volume_link_max(dir->h) == 1)
        rc = SLINK_EMLINK;
    }
  }
  if (h)
    CloseHandle(h);
  free(li);
  free(w);
  return keep(rc, err, os_err);
}

/* The path-based calls: the same, relative to the link's parent. */
static int in_parent(const char *link, slink__h **dir, char **leaf,
                     int *os_err) {
  int rc = slink__h_parent(link, dir, leaf, os_err);
  if (rc == 0 && !**leaf) {
    slink__os_h_close(*dir);
    free(*leaf);
    return SLINK_EEXIST; /* a root is there already */
  }
  return rc;
}

int slink__os_symlink(const char *target, const char *link, int is_dir,
                      const char *drive, int *os_err) {
  slink__h *dir;
  char *leaf;
  int rc = in_parent(link, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  rc = slink__os_h_symlink(dir, leaf, target, is_dir, drive, os_err);
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}

int slink__os_junction(const char *abs_target, const char *link,
                       const char *drive, slink_kind *made_kind,
                       int *os_err) {
  slink__h *dir;
  char *leaf;
  int rc = in_parent(link, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  rc = slink__os_h_junction(dir, leaf, abs_target, drive, made_kind, os_err);
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}

int slink__os_hardlink(const char *target, const char *link, int *os_err) {
  slink__h *dir, *tdir;
  char *leaf, *tleaf;
  int rc = in_parent(link, &dir, &leaf, os_err);
  if (rc < 0)
    return rc;
  rc = slink__h_parent(target, &tdir, &tleaf, os_err);
  if (rc == 0) {
    rc = *tleaf ? slink__os_h_hardlink(tdir, tleaf, dir, leaf, os_err)
                : SLINK_EHARDLINKDIR;
    slink__os_h_close(tdir);
    free(tleaf);
  }
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}
