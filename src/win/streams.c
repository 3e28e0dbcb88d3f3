/* streams.c - alternate data streams of a file or directory copied to its
 * copy (Zone.Identifier, thumbnails, what backup programs keep there):
 * listed through the handle (FileStreamInformation) and each opened
 * relative to it (":name:$DATA"), so no path is looked up again. */
#include <stdlib.h>
#include <string.h>

#include "win/copy.h"

#define STREAM_INFO_CLASS 22 /* FileStreamInformation */
#define BUF_SIZE (256u * 1024u)

#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#endif
#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)
#endif

typedef struct stream_info {
  ULONG next;
  ULONG name_len;   /* bytes */
  LARGE_INTEGER size;
  LARGE_INTEGER alloc;
  WCHAR name[1];    /* ":name:$DATA" */
} stream_info;

/* The stream list of H (malloc'd), or NULL with *ST the reason. */
static unsigned char *list_streams(HANDLE h, NTSTATUS *st) {
  ULONG cap = 4096;
  for (;;) {
    unsigned char *buf = malloc(cap);
    IO_STATUS_BLOCK io;
    if (!buf) {
      *st = (NTSTATUS)0xC0000017L; /* STATUS_NO_MEMORY */
      return NULL;
    }
    memset(buf, 0, cap);
    *st = NtQueryInformationFile(h, &io, buf, cap,
                                 (FILE_INFORMATION_CLASS)STREAM_INFO_CLASS);
    if (*st >= 0 && *st != STATUS_BUFFER_OVERFLOW) {
      if (io.Information == 0) {
        free(buf);
        return NULL; /* no stream at all (a directory without any) */
      }
      return buf;
    }
    free(buf);
    if ((*st != STATUS_BUFFER_OVERFLOW && *st != STATUS_INFO_LENGTH_MISMATCH) ||
        cap >= (1u << 24))
      return NULL;
    cap *= 2;
  }
}

static int is_unnamed(const stream_info *s) {
  static const wchar_t main_stream[] = L"::$DATA";
  return s->name_len == 7 * sizeof(wchar_t) &&
         memcmp(s->name, main_stream, s->name_len) == 0;
}

/* A destination that has no named streams refuses the name itself. */
static int refused(DWORD e) {
  return e == ERROR_INVALID_NAME || e == ERROR_INVALID_PARAMETER ||
         e == ERROR_NOT_SUPPORTED || e == ERROR_INVALID_FUNCTION ||
         e == ERROR_BAD_PATHNAME || e == ERROR_FILE_NOT_FOUND;
}

static int copy_one(HANDLE from, HANDLE to, const stream_info *s,
                    unsigned char *buf, int *os_err) {
  size_t len = s->name_len / sizeof(wchar_t);
  HANDLE in = NULL, out = NULL;
  DWORD e = slink__nt_open(from, s->name, len, GENERIC_READ, 0, FILE_OPEN,
                           &in);
  if (e)
    return slink__nt_fail(e, os_err);
  e = slink__nt_open(to, s->name, len, GENERIC_WRITE, 0, FILE_CREATE, &out);
  if (e) {
    CloseHandle(in);
    if (os_err)
      *os_err = (int)e;
    return refused(e) ? SLINK_ESTREAMS : slink__win_error(e);
  }
  e = slink__wcopy_range(in, out, 0, (uint64_t)s->size.QuadPart, buf,
                         BUF_SIZE);
  CloseHandle(in);
  CloseHandle(out);
  return e ? slink__nt_fail(e, os_err) : 0;
}

int slink__wcopy_streams(HANDLE from, HANDLE to, int *os_err) {
  NTSTATUS st = 0;
  unsigned char *list = list_streams(from, &st);
  if (!list)
    /* Wine and filesystems without streams answer that they keep none
     * (not implemented, invalid class): nothing to copy. */
    return 0;
  unsigned char *buf = NULL;
  int rc = 0;
  for (size_t off = 0;;) {
    const stream_info *s = (const stream_info *)(const void *)(list + off);
    if (!is_unnamed(s) && s->name_len > 0) {
      if (!buf && !(buf = malloc(BUF_SIZE))) {
        rc = SLINK_ENOMEM;
        break;
      }
      if ((rc = copy_one(from, to, s, buf, os_err)) < 0)
        break;
    }
    if (!s->next)
      break;
    off += s->next;
  }
  free(buf);
  free(list);
  return rc;
}
