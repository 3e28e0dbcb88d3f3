/*
 * walk.c - listing one directory for the portable walker. The listing is
 * read through a handle on the directory (FileIdBothDirectoryInfo), which
 * gives each entry's attributes, its reparse tag (in the EaSize field, as
 * the documentation says for reparse points) and its file ID, so most
 * entries need no further call.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/internal.h"
#include "win/win.h"

#define LISTING_SIZE 65536

struct slink__dir {
  HANDLE h;
  char *path;            /* UTF-8, as given */
  unsigned char *buf;    /* the current batch of entries */
  size_t next;           /* offset of the next entry in buf, or SIZE_MAX */
  int first;             /* the first batch is asked for with "restart" */
  int wine;              /* entries are checked one by one (see below) */
  char *name;            /* the current entry's name, UTF-8 */
};

int slink__os_dir_open(const char *path, slink__dir **out, uint64_t *dev,
                       int *os_err) {
  BY_HANDLE_FILE_INFORMATION fi;
  slink__dir *d;
  DWORD err = 0;
  wchar_t *w;
  HANDLE h;
  int rc = slink__win_path(path, &w);
  if (rc < 0)
    return rc;
  h = slink__win_open(w, FILE_LIST_DIRECTORY, 0, &err);
  free(w);
  if (h == INVALID_HANDLE_VALUE) {
    if (os_err)
      *os_err = (int)err;
    return slink__win_error(err);
  }
  if (!GetFileInformationByHandle(h, &fi)) {
    rc = slink__win_last_error(os_err);
    CloseHandle(h);
    return rc;
  }
  if (!(fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
      (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    CloseHandle(h);
    return SLINK_ENOTDIR;
  }
  d = calloc(1, sizeof *d);
  if (d) {
    d->path = malloc(strlen(path) + 1);
    d->buf = malloc(LISTING_SIZE);
  }
  if (!d || !d->path || !d->buf) {
    if (d) {
      free(d->path);
      free(d->buf);
    }
    free(d);
    CloseHandle(h);
    return SLINK_ENOMEM;
  }
  memcpy(d->path, path, strlen(path) + 1);
  d->h = h;
  d->next = SIZE_MAX;
  d->first = 1;
  /* Wine shows a Linux symlink to a file as a plain file: only a look at
   * the entry itself (slink__os_lstat) can tell. */
  d->wine = slink__win_is_wine();
  *dev = fi.dwVolumeSerialNumber;
  *out = d;
  return 0;
}

int slink__os_dir_next(slink__dir *d, slink__dirent *e, int *os_err) {
  for (;;) {
    FILE_ID_BOTH_DIR_INFO *fi;
    size_t units;
    int rc;
    if (d->next == SIZE_MAX) {
      FILE_INFO_BY_HANDLE_CLASS cls = d->first
                                          ? FileIdBothDirectoryRestartInfo
                                          : FileIdBothDirectoryInfo;
      d->first = 0;
      if (!GetFileInformationByHandleEx(d->h, cls, d->buf, LISTING_SIZE)) {
        DWORD err = GetLastError();
        if (err == ERROR_NO_MORE_FILES)
          return 0;
        if (os_err)
          *os_err = (int)err;
        return slink__win_error(err);
      }
      d->next = 0;
    }
    fi = (FILE_ID_BOTH_DIR_INFO *)(d->buf + d->next);
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
    e->kind = slink__win_kind(fi->FileAttributes, fi->EaSize);
    e->ino = (uint64_t)fi->FileId.QuadPart;
    if (d->wine && !(fi->FileAttributes & FILE_ATTRIBUTE_DIRECTORY))
      e->kind = SLINK_KIND_NONE;
    return 1;
  }
}

static char *entry_path(const slink__dir *d, const char *name) {
  size_t dl = strlen(d->path), nl = strlen(name);
  int sep = dl > 0 && d->path[dl - 1] != '\\' && d->path[dl - 1] != '/';
  char *p = malloc(dl + (size_t)sep + nl + 1);
  if (!p)
    return NULL;
  memcpy(p, d->path, dl);
  if (sep)
    p[dl] = '\\';
  memcpy(p + dl + (size_t)sep, name, nl + 1);
  return p;
}

int slink__os_dir_lstat(slink__dir *d, const char *name, slink__stat *st,
                        int *os_err) {
  char *p = entry_path(d, name);
  int rc;
  if (!p)
    return SLINK_ENOMEM;
  rc = slink__os_lstat(p, st, os_err);
  free(p);
  return rc;
}

int slink__os_dir_readlink(slink__dir *d, const char *name, slink_info *info,
                           int *os_err) {
  char *p = entry_path(d, name);
  int rc;
  if (!p)
    return SLINK_ENOMEM;
  rc = slink__os_readlink(p, info, os_err);
  free(p);
  return rc;
}

struct slink__base {
  char *dir;
};

int slink__os_base_open(const char *dir, slink__base **out) {
  slink__base *b = malloc(sizeof *b);
  if (!b)
    return SLINK_ENOMEM;
  b->dir = slink__strdup(dir);
  if (!b->dir) {
    free(b);
    return SLINK_ENOMEM;
  }
  *out = b;
  return 0;
}

int slink__os_base_lstat(slink__base *b, const char *rel, slink__stat *st,
                         int *os_err) {
  char *p = slink__path_join(b->dir, rel);
  int rc;
  if (!p)
    return SLINK_ENOMEM;
  rc = slink__os_lstat(p, st, os_err);
  free(p);
  return rc;
}

void slink__os_base_close(slink__base *b) {
  if (!b)
    return;
  free(b->dir);
  free(b);
}

int slink__os_readlink_on(const char *path, uint64_t dev, slink_info *info,
                          int *os_err) {
  (void)dev;
  return slink__os_readlink(path, info, os_err);
}

void slink__os_dir_close(slink__dir *d) {
  if (!d)
    return;
  CloseHandle(d->h);
  free(d->path);
  free(d->buf);
  free(d->name);
  free(d);
}
