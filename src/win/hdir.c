/*
 * hdir.c - opening, listing and describing through directory handles
 * (the contract of src/sys.h, "Directory handles").
 *
 * A child is opened with NtCreateFile relative to its directory's handle
 * and, unless the caller follows links, with FILE_OPEN_REPARSE_POINT: the
 * entry itself, whatever it is. Wine ignores that flag for a Linux
 * symlink and opens its target; only there is each entry's name checked
 * against its directory's (FileNameInfo), and such an entry is reported
 * as a link whose data cannot be read.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/internal.h"
#include "win/nt.h"

#define LISTING_SIZE 65536
#define NT_MAX_UNITS 32767

int slink__nt_fail(DWORD err, int *os_err) {
  if (os_err)
    *os_err = (int)err;
  return slink__win_error(err);
}

/* RC, with the system's ERR kept in *OS_ERR where there is one. */
static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

DWORD slink__nt_open(HANDLE root, const wchar_t *name, size_t len,
                     ACCESS_MASK access, ULONG options, ULONG disposition,
                     HANDLE *out) {
  OBJECT_ATTRIBUTES oa;
  UNICODE_STRING us;
  IO_STATUS_BLOCK io;
  NTSTATUS st;
  HANDLE h = NULL;
  if (len > NT_MAX_UNITS)
    return ERROR_FILENAME_EXCED_RANGE;
  us.Buffer = (PWSTR)name;
  us.Length = (USHORT)(len * sizeof(wchar_t));
  us.MaximumLength = us.Length;
  InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, root, NULL);
  st = NtCreateFile(&h, access, &oa, &io, NULL, FILE_ATTRIBUTE_NORMAL,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    disposition,
                    options | FILE_SYNCHRONOUS_IO_NONALERT |
                        FILE_OPEN_FOR_BACKUP_INTENT,
                    NULL, 0);
  if (st < 0)
    return RtlNtStatusToDosError(st);
  *out = h;
  return 0;
}

int slink__nt_name(const char *name, wchar_t **w, size_t *len) {
  int rc;
  if (!name)
    return SLINK_EINVAL;
  rc = slink__win_component(name, strlen(name));
  if (rc < 0)
    return rc;
  return slink__win_to_utf16(name, strlen(name), w, len);
}

/* The volume-relative name the system gives H (FileNameInfo). */
static int sys_name(HANDLE h, wchar_t **out, size_t *len) {
  size_t size = sizeof(FILE_NAME_INFO) + 65536 * sizeof(wchar_t);
  FILE_NAME_INFO *ni = malloc(size);
  if (!ni)
    return SLINK_ENOMEM;
  if (!GetFileInformationByHandleEx(h, FileNameInfo, ni, (DWORD)size)) {
    free(ni);
    return slink__win_last_error(NULL);
  }
  *len = ni->FileNameLength / sizeof(wchar_t);
  *out = malloc((*len + 1) * sizeof **out);
  if (*out) {
    memcpy(*out, ni->FileName, *len * sizeof **out);
    (*out)[*len] = 0;
  }
  free(ni);
  return *out ? 0 : SLINK_ENOMEM;
}

static int same_name(const wchar_t *a, size_t alen, const wchar_t *b,
                     size_t blen) {
  return alen == blen && alen < 0x7fffffff &&
         CompareStringOrdinal(a, (int)alen, b, (int)blen, TRUE) == CSTR_EQUAL;
}

int slink__nt_wine_is_entry(slink__h *dir, HANDLE child, const wchar_t *name,
                            size_t len) {
  wchar_t *cn = NULL;
  size_t clen = 0, plen;
  int ok;
  if (!dir->sys && sys_name(dir->h, &dir->sys, &dir->sys_len) < 0)
    return 0;
  if (sys_name(child, &cn, &clen) < 0)
    return 0;
  plen = dir->sys_len;
  while (plen > 0 && dir->sys[plen - 1] == L'\\')
    plen--;
  ok = clen == plen + 1 + len && same_name(cn, plen, dir->sys, plen) &&
       cn[plen] == L'\\' && same_name(cn + plen + 1, len, name, len);
  free(cn);
  return ok;
}

int slink__nt_open_entry(slink__h *dir, const char *name, ACCESS_MASK access,
                         ULONG options, HANDLE *out, int *is_entry,
                         DWORD *err) {
  wchar_t *w;
  size_t len;
  DWORD e = 0;
  int rc = slink__nt_name(name, &w, &len);
  if (rc < 0)
    return rc;
  for (int try_no = 0;; try_no++) {
    e = slink__nt_open(dir->h, w, len, access,
                       options | FILE_OPEN_REPARSE_POINT, FILE_OPEN, out);
    if (!e || !slink__win_delete_retries(e, try_no))
      break;
    Sleep(slink__win_delete_pause(try_no + 1));
  }
  if (e) {
    free(w);
    *err = e;
    return slink__win_error(e);
  }
  *is_entry = !slink__win_is_wine() || slink__nt_wine_is_entry(dir, *out, w, len);
  free(w);
  return 0;
}

static slink__h *wrap(HANDLE h, const slink__stat *st) {
  slink__h *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->h = h;
  d->dev = st->dev;
  d->next = SIZE_MAX;
  d->restart = 1;
  return d;
}

/* Make the open handle H a slink__h if it is a directory (and EXPECT). */
static int finish(HANDLE h, const slink__stat *expect, slink__h **out,
                  slink__stat *st, int *os_err) {
  slink__stat mine;
  DWORD err = 0;
  int rc = slink__win_handle_stat(h, &mine, &err);
  if (rc < 0) {
    CloseHandle(h);
    return slink__nt_fail(err, os_err);
  }
  if (mine.kind != SLINK_KIND_DIR) {
    CloseHandle(h);
    return SLINK_ENOTDIR;
  }
  if (expect && !slink__same_file(&mine, expect)) {
    CloseHandle(h);
    return SLINK_ECHANGED;
  }
  if (!(*out = wrap(h, &mine))) {
    CloseHandle(h);
    return SLINK_ENOMEM;
  }
  if (st)
    *st = mine;
  return 0;
}

/* A path the user typed, opened as the system resolves it. */
static DWORD open_user(const wchar_t *w, HANDLE *out) {
  HANDLE h = CreateFileW(w, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES |
                                SYNCHRONIZE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return GetLastError();
  *out = h;
  return 0;
}

int slink__nt_cwd(slink__h **out, int *os_err) {
  wchar_t *w;
  HANDLE h = NULL;
  DWORD e = 0;
  int rc = slink__win_path(".", &w);
  if (rc < 0)
    return rc;
  e = open_user(w, &h);
  free(w);
  if (e)
    return slink__nt_fail(e, os_err);
  return finish(h, NULL, out, NULL, os_err);
}

/* One component NAME of DIR, never followed. */
static int open_one(slink__h *dir, const char *name, HANDLE *out,
                    int *os_err) {
  slink__stat st;
  DWORD err = 0;
  int is_entry = 1;
  int rc = slink__nt_open_entry(dir, name, SLINK__NT_LIST, FILE_DIRECTORY_FILE,
                                out, &is_entry, &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  if (!is_entry || slink__win_handle_stat(*out, &st, &err) < 0 ||
      st.kind != SLINK_KIND_DIR) {
    /* A link (or, under Wine, a Linux symlink opened through): no
     * directory to enter, whatever it points to. */
    CloseHandle(*out);
    return SLINK_ENOTDIR;
  }
  return 0;
}

/* REL, components below DIR, each opened as itself. */
static int open_beneath(slink__h *dir, const char *rel, HANDLE *out,
                        int *os_err) {
  slink__h cur = *dir;
  const char *p = rel;
  HANDLE h = NULL;
  int rc = 0;
  cur.sys = NULL;
  for (;;) {
    const char *e;
    char *name;
    while (*p == '/' || *p == '\\')
      p++;
    e = p;
    while (*e && *e != '/' && *e != '\\')
      e++;
    if (e == p) {
      rc = h ? 0 : SLINK_ENOENT;
      break;
    }
    if (p[0] == '.' && (e - p == 1 || (e - p == 2 && p[1] == '.'))) {
      rc = SLINK_EXDEV; /* never out of DIR, never in place */
      break;
    }
    if (!(name = slink__strndup(p, (size_t)(e - p)))) {
      rc = SLINK_ENOMEM;
      break;
    }
    HANDLE next = NULL;
    rc = open_one(&cur, name, &next, os_err);
    free(name);
    if (h)
      CloseHandle(h);
    free(cur.sys);
    cur.sys = NULL;
    h = rc < 0 ? NULL : next;
    if (rc < 0)
      break;
    cur.h = h;
    p = e;
  }
  free(cur.sys);
  if (rc < 0) {
    if (h)
      CloseHandle(h);
    return rc;
  }
  *out = h;
  return 0;
}

/* Nonzero when REL is resolved from a root or a drive of its own rather
 * than from a directory, or holds "." or ".." (which NtCreateFile does
 * not resolve): the system's own path rules apply. */
static int needs_user_rules(const char *rel) {
  const char *p = rel;
  if (rel[0] == '/' || rel[0] == '\\' || (rel[0] && rel[1] == ':'))
    return 1;
  while (*p) {
    const char *e = p;
    while (*e && *e != '/' && *e != '\\')
      e++;
    if (p[0] == '.' && (e - p == 1 || (e - p == 2 && p[1] == '.')))
      return 1;
    p = *e ? e + 1 : e;
  }
  return 0;
}

/* REL relative to DIR as a typed path: DIR's own path, then REL, given
 * to CreateFileW (".." taken lexically, as Windows takes it). */
static int open_typed(slink__h *dir, const char *rel, HANDLE *out,
                            int *os_err) {
  wchar_t *dp = NULL, *w = NULL;
  char *base = NULL, *joined = NULL;
  DWORD err = 0;
  int rc = slink__nt_dir_path(dir, &dp, &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_user_path(dp, wcslen(dp), &base);
  free(dp);
  if (rc == 0 && !(joined = slink__path_join(base, rel)))
    rc = SLINK_ENOMEM;
  if (rc == 0)
    rc = slink__win_path(joined, &w);
  free(base);
  free(joined);
  if (rc < 0)
    return rc;
  err = open_user(w, out);
  free(w);
  return err ? slink__nt_fail(err, os_err) : 0;
}

static int open_follow(slink__h *dir, const char *rel, HANDLE *out,
                       int *os_err) {
  wchar_t *w;
  size_t len;
  DWORD err;
  int rc;
  if (needs_user_rules(rel)) {
    if (dir && !(rel[0] == '/' || rel[0] == '\\' || (rel[0] && rel[1] == ':')))
      return open_typed(dir, rel, out, os_err);
    rc = slink__win_path(rel, &w);
    if (rc < 0)
      return rc;
    err = open_user(w, out);
    free(w);
    return err ? slink__nt_fail(err, os_err) : 0;
  }
  rc = slink__win_to_utf16(rel, strlen(rel), &w, &len);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < len; i++)
    if (w[i] == L'/')
      w[i] = L'\\';
  while (len > 0 && w[len - 1] == L'\\')
    len--;
  err = slink__nt_open(dir->h, w, len, SLINK__NT_LIST, FILE_DIRECTORY_FILE,
                       FILE_OPEN, out);
  free(w);
  if (!err)
    return 0;
  /* Not every filter or reparse handler resolves a link met by an open
   * relative to a handle: the typed path again, whose answer counts. */
  if (err != ERROR_DIRECTORY && err != ERROR_ACCESS_DENIED)
    return open_typed(dir, rel, out, os_err);
  return slink__nt_fail(err, os_err);
}

int slink__os_h_open(slink__h *dir, const char *rel, unsigned flags,
                     const slink__stat *expect, slink__h **out,
                     slink__stat *st, int *os_err) {
  slink__h *cwd = NULL;
  HANDLE h = NULL;
  int rc;
  if (!rel || !*rel)
    return SLINK_EEMPTYPATH;
  if (!dir && !((flags & SLINK__H_FOLLOW) && needs_user_rules(rel))) {
    rc = slink__nt_cwd(&cwd, os_err);
    if (rc < 0)
      return rc;
    dir = cwd;
  }
  if (flags & SLINK__H_FOLLOW)
    rc = open_follow(dir, rel, &h, os_err);
  else if (flags & SLINK__H_BENEATH)
    rc = open_beneath(dir, rel, &h, os_err);
  else
    rc = open_one(dir, rel, &h, os_err);
  slink__os_h_close(cwd);
  if (rc < 0)
    return rc;
  return finish(h, expect, out, st, os_err);
}

size_t slink__os_path_max(void) {
  /* NtCreateFile takes names of up to 32767 UTF-16 units; a UTF-8 byte
   * is at most one unit. Room is left for a drive and a \\?\ prefix. */
  return 32000;
}

void slink__os_h_close(slink__h *d) {
  if (!d)
    return;
  CloseHandle(d->h);
  free(d->buf);
  free(d->name);
  free(d->sys);
  free(d);
}

int slink__os_h_next(slink__h *d, slink__dirent *e, int *os_err) {
  if (!d->buf && !(d->buf = malloc(LISTING_SIZE)))
    return SLINK_ENOMEM;
  for (;;) {
    FILE_ID_BOTH_DIR_INFO *fi;
    size_t units;
    int rc;
    if (d->next == SIZE_MAX) {
      int first = d->restart;
      FILE_INFO_BY_HANDLE_CLASS cls = first ? FileIdBothDirectoryRestartInfo
                                            : FileIdBothDirectoryInfo;
      d->restart = 0;
      if (!GetFileInformationByHandleEx(d->h, cls, d->buf, LISTING_SIZE)) {
        DWORD err = GetLastError();
        /* An empty FAT or exFAT root has no "." to list: "not found". */
        if (err == ERROR_NO_MORE_FILES || (first && err == ERROR_FILE_NOT_FOUND))
          return 0;
        return slink__nt_fail(err, os_err);
      }
      d->next = 0;
    }
    fi = (FILE_ID_BOTH_DIR_INFO *)(void *)(d->buf + d->next);
    d->next = fi->NextEntryOffset ? d->next + fi->NextEntryOffset : SIZE_MAX;
    units = fi->FileNameLength / sizeof(wchar_t);
    if ((units == 1 && fi->FileName[0] == L'.') ||
        (units == 2 && fi->FileName[0] == L'.' && fi->FileName[1] == L'.'))
      continue;
    free(d->name);
    d->name = NULL;
    rc = slink__win_to_utf8(fi->FileName, units, &d->name, &e->name_len);
    if (rc < 0)
      return rc;
    e->name = d->name;
    /* For a reparse point, EaSize holds its tag. */
    e->kind = slink__win_kind(fi->FileAttributes,
                              fi->FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT
                                  ? fi->EaSize : 0);
    e->ino = (uint64_t)fi->FileId.QuadPart;
    /* Wine lists a Linux symlink as what it points to: only a look at
     * the entry itself can tell. */
    if (slink__win_is_wine())
      e->kind = SLINK_KIND_NONE;
    return 1;
  }
}

int slink__os_h_rewind(slink__h *d, int *os_err) {
  (void)os_err;
  d->restart = 1;
  d->next = SIZE_MAX;
  return 0;
}

/* NAME of D as its directory's listing describes it: for an entry no
 * handle can be had on (pagefile.sys, no right to read attributes). */
static int from_listing(slink__h *d, const char *name, slink__stat *st) {
  WIN32_FIND_DATAW fd;
  wchar_t *dp = NULL, *w = NULL, *p;
  size_t wl = 0, dl;
  DWORD err = 0;
  HANDLE f;
  uint64_t t;
  if (slink__nt_dir_path(d, &dp, &err) < 0)
    return -1;
  if (slink__nt_name(name, &w, &wl) < 0) {
    free(dp);
    return -1;
  }
  dl = wcslen(dp);
  p = malloc((dl + wl + 2) * sizeof *p);
  if (p) {
    memcpy(p, dp, dl * sizeof *p);
    p[dl] = L'\\';
    memcpy(p + dl + 1, w, (wl + 1) * sizeof *p);
  }
  free(dp);
  free(w);
  if (!p)
    return -1;
  f = FindFirstFileW(p, &fd);
  free(p);
  if (f == INVALID_HANDLE_VALUE)
    return -1;
  FindClose(f);
  memset(st, 0, sizeof *st);
  st->attrs = fd.dwFileAttributes;
  st->tag = fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT ? fd.dwReserved0
                                                               : 0;
  st->kind = slink__win_kind(st->attrs, st->tag);
  st->nlink = 1;
  st->dev = d->dev;
  st->size = ((uint64_t)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
  t = ((uint64_t)fd.ftLastWriteTime.dwHighDateTime << 32) |
      fd.ftLastWriteTime.dwLowDateTime;
  st->mtime = (int64_t)(t / 10000000u) - INT64_C(11644473600);
  st->mtime_ns = (int32_t)(t % 10000000u) * 100;
  st->ctime = st->mtime;
  st->ctime_ns = st->mtime_ns;
  return 0;
}

/* Describe NAME of DIR: FOLLOW 0 opens the entry itself. */
static int look(slink__h *d, const char *name, int follow, slink__stat *st,
                int *os_err) {
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1, rc;
  if (!name) {
    rc = slink__win_handle_stat(d->h, st, &err);
    return rc < 0 ? slink__nt_fail(err, os_err) : 0;
  }
  if (follow) {
    wchar_t *w;
    size_t len;
    rc = slink__nt_name(name, &w, &len);
    if (rc < 0)
      return rc;
    err = slink__nt_open(d->h, w, len, SLINK__NT_LOOK, 0, FILE_OPEN, &h);
    free(w);
    if (err)
      return slink__nt_fail(err, os_err);
    /* Followed, it is whatever the link leads to. */
  } else {
    rc = slink__nt_open_entry(d, name, SLINK__NT_LOOK, 0, &h, &is_entry, &err);
    if (rc < 0 && (err == ERROR_ACCESS_DENIED || err == ERROR_SHARING_VIOLATION ||
                   err == ERROR_CANT_ACCESS_FILE) &&
        from_listing(d, name, st) == 0)
      return 0;
    if (rc < 0)
      return keep(rc, err, os_err);
  }
  rc = slink__win_handle_stat(h, st, &err);
  CloseHandle(h);
  if (rc < 0)
    return slink__nt_fail(err, os_err);
  if (!is_entry) {
    /* Wine followed a Linux symlink: a link whose data cannot be read. */
    st->kind = SLINK_KIND_REPARSE;
    st->attrs |= FILE_ATTRIBUTE_REPARSE_POINT;
    st->tag = 0;
  }
  return 0;
}

int slink__os_h_lstat(slink__h *d, const char *name, slink__stat *st,
                      int *os_err) {
  return look(d, name, 0, st, os_err);
}

int slink__os_h_stat(slink__h *d, const char *name, slink__stat *st,
                     int *os_err) {
  return look(d, name, 1, st, os_err);
}

int slink__os_h_readlink(slink__h *d, const char *name, slink_info *info,
                         int *os_err) {
  unsigned char *buf = NULL;
  size_t len = 0;
  slink__stat st;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink__nt_open_entry(d, name, SLINK__NT_LOOK, 0, &h, &is_entry,
                                &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(h, &st, &err);
  if (rc == 0 && !is_entry) {
    info->kind = SLINK_KIND_REPARSE;
    info->tag = 0;
  } else if (rc == 0 && !slink_kind_is_link(st.kind)) {
    /* A plain file, or a reparse point that is no link (a cloud
     * placeholder): nothing to read as a target. */
    rc = SLINK_EINVAL;
  } else if (rc == 0) {
    if (slink__win_get_reparse(h, &buf, &len, &err) == 0) {
      rc = slink__win_decode_reparse(
          buf, len, (st.attrs & FILE_ATTRIBUTE_DIRECTORY) != 0, info);
    } else {
      info->kind = SLINK_KIND_REPARSE;
      info->tag = st.tag;
    }
  }
  free(buf);
  CloseHandle(h);
  if (rc < 0 && err && os_err)
    *os_err = (int)err;
  return rc;
}

/* Wine answers ERROR_MORE_DATA, whatever the buffer, for a path longer
 * than MAX_PATH; its FileNameInfo has no such limit. The drive is the one
 * whose root, joined to that name, opens the very same file. */
static int wine_long_path(HANDLE h, wchar_t **out, DWORD *err) {
  slink__stat want;
  wchar_t *rel = NULL;
  size_t len = 0;
  int rc = slink__win_handle_stat(h, &want, err);
  if (rc == 0)
    rc = sys_name(h, &rel, &len);
  if (rc < 0)
    return rc;
  DWORD drives = GetLogicalDrives();
  for (int d = 0; d < 26; d++) {
    if (!(drives & (1u << d)))
      continue;
    wchar_t *p = malloc((len + 8) * sizeof *p);
    if (!p)
      break;
    memcpy(p, L"\\\\?\\A:", 6 * sizeof *p);
    p[4] = (wchar_t)(L'A' + d);
    memcpy(p + 6, rel, (len + 1) * sizeof *p);
    HANDLE t = CreateFileW(p, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (t != INVALID_HANDLE_VALUE) {
      slink__stat got;
      DWORD e2 = 0;
      int same = slink__win_handle_stat(t, &got, &e2) == 0 &&
                 slink__same_file(&got, &want);
      CloseHandle(t);
      if (same) {
        free(rel);
        *out = p;
        return 0;
      }
    }
    free(p);
  }
  free(rel);
  *err = ERROR_MORE_DATA;
  return SLINK_ENAMETOOLONG;
}

/* The final path of H in \\?\ form: its drive letter where it has one,
 * else its volume GUID path, else the device path (a RAM disk the mount
 * manager does not know); Wine's long paths through FileNameInfo. */
static int final_path(HANDLE h, wchar_t **out, DWORD *err) {
  static const DWORD kinds[] = {VOLUME_NAME_DOS, VOLUME_NAME_GUID,
                                VOLUME_NAME_NT};
  DWORD first = 0;
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    DWORD cap = 1024;
    for (;;) {
      wchar_t *buf = malloc(((size_t)cap + 16) * sizeof *buf);
      DWORD n;
      if (!buf)
        return SLINK_ENOMEM;
      n = GetFinalPathNameByHandleW(h, buf + 14, cap,
                                    FILE_NAME_NORMALIZED | kinds[k]);
      if (n > 0 && n < cap) {
        if (kinds[k] == VOLUME_NAME_NT) {
          /* "\Device\X\..." is reached as "\\?\GLOBALROOT\Device\X\...". */
          memcpy(buf, L"\\\\?\\GLOBALROOT", 14 * sizeof *buf);
          *out = buf;
        } else {
          memmove(buf, buf + 14, ((size_t)n + 1) * sizeof *buf);
          *out = buf;
        }
        return 0;
      }
      free(buf);
      if (n == 0)
        break;
      cap = n + 1;
    }
    if (!first)
      first = GetLastError();
    if (first == ERROR_MORE_DATA)
      return wine_long_path(h, out, err);
  }
  *err = first;
  return slink__win_error(first);
}

int slink__nt_dir_path(slink__h *d, wchar_t **out, DWORD *err) {
  return final_path(d->h, out, err);
}

int slink__os_h_realpath(slink__h *d, char **out, int *os_err) {
  wchar_t *w = NULL;
  DWORD err = 0;
  int rc = final_path(d->h, &w, &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_user_path(w, wcslen(w), out);
  free(w);
  return rc;
}

int slink__os_h_is_mount_root(slink__h *d) {
  /* A volume mounted in a folder is entered through its root, whose
   * volume-relative name is "\"; Windows has no bind mounts. */
  wchar_t *n = NULL;
  size_t len = 0;
  int root = sys_name(d->h, &n, &len) == 0 && len == 1 && n[0] == L'\\';
  free(n);
  return root;
}
