/* copy.c - the file-level calls of clone and move (sys.h, "File copies")
 * on Windows: files opened and created relative to a directory handle
 * with NtCreateFile (FILE_OPEN_REPARSE_POINT: a link is never followed,
 * so there is no COPY_FILE_COPY_SYMLINK question: links are made again by
 * the portable code), contents copied through the two handles with sparse
 * ranges kept as ranges, alternate data streams with them (streams.c),
 * block cloning for reflinks, FlushFileBuffers and GetDiskFreeSpaceExW. */
#include <stdlib.h>
#include <string.h>

#include "win/copy.h"

#include <winioctl.h>

#define BUF_SIZE (1u << 20)
#define RANGES 64

#ifndef FILE_SEQUENTIAL_ONLY
#define FILE_SEQUENTIAL_ONLY 0x00000004
#endif

static int keep(int rc, DWORD err, int *os_err) {
  if (os_err && err)
    *os_err = (int)err;
  return rc;
}

DWORD slink__wcopy_reopen(HANDLE h, ACCESS_MASK access, HANDLE *out) {
  return slink__nt_open(h, L"", 0, access | SYNCHRONIZE,
                        FILE_OPEN_REPARSE_POINT, FILE_OPEN, out);
}

static int wrap(HANDLE h, slink__file **out) {
  slink__file *f = malloc(sizeof *f);
  if (!f) {
    CloseHandle(h);
    return SLINK_ENOMEM;
  }
  f->h = h;
  *out = f;
  return 0;
}

int slink__os_f_open(slink__h *dir, const char *name,
                     const slink__stat *expect, slink__file **out,
                     slink__stat *st, int *os_err) {
  slink__stat now;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink__nt_open_entry(dir, name, GENERIC_READ | READ_CONTROL,
                                FILE_NON_DIRECTORY_FILE | FILE_SEQUENTIAL_ONLY,
                                &h, &is_entry, &err);
  if (rc < 0)
    return keep(rc, err, os_err);
  rc = slink__win_handle_stat(h, &now, &err);
  if (rc == 0 && (!is_entry || now.kind != SLINK_KIND_FILE ||
                  (expect && !slink__same_file(expect, &now))))
    rc = SLINK_ECHANGED; /* a link, a device, or another file */
  if (rc < 0) {
    CloseHandle(h);
    return keep(rc, err, os_err);
  }
  if (st)
    *st = now;
  return wrap(h, out);
}

int slink__os_f_create(slink__h *dir, const char *name, uint32_t mode,
                       slink__file **out, int *os_err) {
  wchar_t *w = NULL;
  size_t len = 0;
  HANDLE h = NULL;
  int rc = slink__nt_name(name, &w, &len);
  (void)mode; /* read-only comes with the metadata, last */
  if (rc == 0)
    rc = slink__win_check_name(w, len);
  if (rc < 0) {
    free(w);
    return rc;
  }
  /* WRITE_DAC: the owner may always set the access list it copies. */
  DWORD e = slink__nt_open(dir->h, w, len,
                           GENERIC_READ | GENERIC_WRITE | DELETE | WRITE_DAC,
                           FILE_NON_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT,
                           FILE_CREATE, &h);
  free(w);
  if (e)
    return slink__nt_fail(e, os_err);
  return wrap(h, out);
}

int slink__os_f_read(slink__file *f, void *buf, size_t n, size_t *got,
                     int *os_err) {
  DWORD want = n > 0x40000000u ? 0x40000000u : (DWORD)n, r = 0;
  if (!ReadFile(f->h, buf, want, &r, NULL)) {
    if (GetLastError() == ERROR_HANDLE_EOF) {
      *got = 0;
      return 0;
    }
    return slink__win_last_error(os_err);
  }
  *got = r;
  return 0;
}

int slink__os_f_write(slink__file *f, const void *buf, size_t n,
                      int *os_err) {
  const char *p = buf;
  while (n > 0) {
    DWORD want = n > 0x40000000u ? 0x40000000u : (DWORD)n, w = 0;
    if (!WriteFile(f->h, p, want, &w, NULL))
      return slink__win_last_error(os_err);
    if (w == 0)
      return SLINK_EIO;
    p += w;
    n -= w;
  }
  return 0;
}

DWORD slink__wcopy_range(HANDLE in, HANDLE out, uint64_t off, uint64_t len,
                         unsigned char *buf, size_t cap) {
  while (len > 0) {
    OVERLAPPED ov;
    DWORD want = len < cap ? (DWORD)len : (DWORD)cap, r = 0;
    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)off;
    ov.OffsetHigh = (DWORD)(off >> 32);
    if (!ReadFile(in, buf, want, &r, &ov)) {
      DWORD e = GetLastError();
      return e == ERROR_HANDLE_EOF ? 0 : e;
    }
    if (r == 0)
      return 0; /* the file shrank meanwhile */
    for (DWORD done = 0; done < r;) {
      DWORD w = 0;
      uint64_t at = off + done;
      memset(&ov, 0, sizeof ov);
      ov.Offset = (DWORD)at;
      ov.OffsetHigh = (DWORD)(at >> 32);
      if (!WriteFile(out, buf + done, r - done, &w, &ov))
        return GetLastError();
      if (w == 0)
        return ERROR_WRITE_FAULT;
      done += w;
    }
    off += r;
    len -= r;
  }
  return 0;
}

static DWORD set_size(HANDLE h, uint64_t size) {
  FILE_END_OF_FILE_INFO eof;
  eof.EndOfFile.QuadPart = (LONGLONG)size;
  return SetFileInformationByHandle(h, FileEndOfFileInfo, &eof, sizeof eof)
             ? 0
             : GetLastError();
}

/* A sparse file: the target made sparse as long as the source, then only
 * the ranges the source has allocated copied (OUT NULL: only counted, for
 * a dry run). */
static DWORD copy_sparse(HANDLE in, HANDLE out, uint64_t size,
                         unsigned char *buf, uint64_t *total) {
  FILE_ALLOCATED_RANGE_BUFFER q, r[RANGES];
  DWORD got = 0, e;
  if (out &&
      !DeviceIoControl(out, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &got, NULL))
    return GetLastError();
  if (out && (e = set_size(out, size)) != 0)
    return e;
  q.FileOffset.QuadPart = 0;
  q.Length.QuadPart = (LONGLONG)size;
  for (;;) {
    BOOL more = !DeviceIoControl(in, FSCTL_QUERY_ALLOCATED_RANGES, &q,
                                 sizeof q, r, sizeof r, &got, NULL);
    if (more && GetLastError() != ERROR_MORE_DATA)
      return GetLastError();
    size_t n = got / sizeof r[0];
    for (size_t i = 0; i < n; i++) {
      uint64_t off = (uint64_t)r[i].FileOffset.QuadPart;
      uint64_t len = (uint64_t)r[i].Length.QuadPart;
      if (out && (e = slink__wcopy_range(in, out, off, len, buf, BUF_SIZE)))
        return e;
      *total += len;
    }
    if (!more || n == 0)
      return 0;
    uint64_t next = (uint64_t)r[n - 1].FileOffset.QuadPart +
                    (uint64_t)r[n - 1].Length.QuadPart;
    q.FileOffset.QuadPart = (LONGLONG)next;
    q.Length.QuadPart = (LONGLONG)(size - next);
  }
}

int slink__os_f_copy(slink__file *from, slink__file *to, uint64_t *copied,
                     int *os_err) {
  slink__stat st;
  DWORD e = 0;
  uint64_t total = 0;
  int rc = slink__win_handle_stat(from->h, &st, &e);
  if (rc < 0)
    return keep(rc, e, os_err);
  if (!to) {
    /* A dry run: the bytes a copy would write. */
    total = st.size;
    e = 0;
    if (st.attrs & FILE_ATTRIBUTE_SPARSE_FILE) {
      total = 0;
      e = copy_sparse(from->h, NULL, st.size, NULL, &total);
    }
    if (e)
      return slink__nt_fail(e, os_err);
    if (copied)
      *copied = total;
    return 0;
  }
  unsigned char *buf = malloc(BUF_SIZE);
  if (!buf)
    return SLINK_ENOMEM;
  if (st.attrs & FILE_ATTRIBUTE_SPARSE_FILE) {
    e = copy_sparse(from->h, to->h, st.size, buf, &total);
  } else {
    e = slink__wcopy_range(from->h, to->h, 0, st.size, buf, BUF_SIZE);
    total = st.size;
  }
  free(buf);
  if (e)
    return slink__nt_fail(e, os_err);
  rc = slink__wcopy_streams(from->h, to->h, os_err);
  if (rc == 0 && copied)
    *copied = total;
  return rc;
}

int slink__os_f_reflink(slink__file *from, slink__file *to, int *os_err) {
  slink__stat st;
  DWORD e = 0, got = 0;
  int rc = slink__win_handle_stat(from->h, &st, &e);
  if (rc < 0)
    return keep(rc, e, os_err);
  /* Block cloning wants the target as long and as sparse as the source. */
  if ((st.attrs & FILE_ATTRIBUTE_SPARSE_FILE) &&
      !DeviceIoControl(to->h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &got, NULL))
    e = GetLastError();
  if (!e)
    e = set_size(to->h, st.size);
  if (!e)
    e = slink__win_clone_extents(from->h, to->h, st.size);
  if (e == ERROR_INVALID_FUNCTION || e == ERROR_NOT_SUPPORTED ||
      e == ERROR_INVALID_PARAMETER)
    return keep(SLINK_ENOTSUP, e, os_err); /* NTFS: no block cloning */
  if (e)
    return slink__nt_fail(e, os_err);
  return slink__wcopy_streams(from->h, to->h, os_err);
}

int slink__os_f_sync(slink__file *f, int *os_err) {
  return FlushFileBuffers(f->h) ? 0 : slink__win_last_error(os_err);
}

void slink__os_f_close(slink__file *f) {
  if (f) {
    CloseHandle(f->h);
    free(f);
  }
}

int slink__os_h_sync(slink__h *dir, int *os_err) {
  HANDLE h = NULL;
  /* Flushing a directory takes write access to it (FILE_ADD_FILE). */
  DWORD e = slink__wcopy_reopen(dir->h, FILE_ADD_FILE, &h);
  if (!e) {
    if (!FlushFileBuffers(h))
      e = GetLastError();
    CloseHandle(h);
  }
  /* A filesystem that cannot flush a directory by itself logs its
   * entries with the files' own flushes (NTFS) or has nothing more to
   * offer (FAT): not a failure. */
  if (e == ERROR_INVALID_FUNCTION || e == ERROR_NOT_SUPPORTED ||
      e == ERROR_INVALID_PARAMETER)
    e = 0;
  return e ? slink__nt_fail(e, os_err) : 0;
}

int slink__os_h_free_space(slink__h *dir, uint64_t *bytes, int *os_err) {
  wchar_t *p = NULL, *q;
  ULARGE_INTEGER avail;
  DWORD e = 0;
  int rc = slink__nt_dir_path(dir, &p, &e);
  if (rc < 0)
    return keep(rc, e, os_err);
  size_t n = wcslen(p);
  /* GetDiskFreeSpaceExW takes a directory with its trailing backslash. */
  q = realloc(p, (n + 2) * sizeof *p);
  if (!q) {
    free(p);
    return SLINK_ENOMEM;
  }
  if (n == 0 || q[n - 1] != L'\\')
    q[n++] = L'\\';
  q[n] = 0;
  rc = GetDiskFreeSpaceExW(q, &avail, NULL, NULL)
           ? 0
           : slink__win_last_error(os_err);
  free(q);
  if (rc == 0)
    *bytes = avail.QuadPart;
  return rc;
}

int slink__os_h_mkfifo(slink__h *dir, const char *name, uint32_t mode,
                       int *os_err) {
  (void)dir, (void)name, (void)mode, (void)os_err;
  return SLINK_ENOTSUP; /* no FIFOs in a Windows filesystem */
}

/* Clone's many links (sys.h): NTFS refuses at its limit by itself. */
int slink__os_h_link_many(slink__h *tdir, const char *tname, slink__h *dir,
                          const char *name, int *os_err) {
  return slink__os_h_hardlink(tdir, tname, dir, name, os_err);
}

int slink__os_f_pread(slink__file *f, void *buf, size_t n, uint64_t off,
                      size_t *got, int *os_err) {
  size_t done = 0;
  while (done < n) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    uint64_t at = off + done;
    ov.Offset = (DWORD)at;
    ov.OffsetHigh = (DWORD)(at >> 32);
    DWORD want = n - done > 0x40000000u ? 0x40000000u : (DWORD)(n - done);
    DWORD r = 0;
    if (!ReadFile(f->h, (char *)buf + done, want, &r, &ov)) {
      if (GetLastError() == ERROR_HANDLE_EOF)
        break;
      return slink__win_last_error(os_err);
    }
    if (r == 0)
      break;
    done += r;
  }
  *got = done;
  return 0;
}

/* No volume flush without administrator rights: each file is flushed
 * by itself. */
int slink__os_sync_fs_covers(void) { return 0; }

int slink__os_h_sync_fs(slink__h *dir, int *os_err) {
  (void)dir;
  (void)os_err;
  return SLINK_ENOTSUP;
}
