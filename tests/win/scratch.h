/*
 * scratch.h - a fresh, empty working directory for one test program, and
 * small file helpers. The directory is made under the system's temporary
 * folder and becomes the current directory, so tests use short relative
 * names; scratch_end() removes it, links as links.
 */
#ifndef SLINK_TESTS_WIN_SCRATCH_H
#define SLINK_TESTS_WIN_SCRATCH_H

#include <wchar.h>

#include "slink.h"
#include "tap.h"
#include "win/win.h"

/* NAME (UTF-8) opened with the wide API, so any name works. */
static inline FILE *open_utf8(const char *name, const wchar_t *mode) {
  wchar_t *w;
  FILE *f;
  if (slink__win_path(name, &w) < 0)
    return NULL;
  f = _wfopen(w, mode);
  free(w);
  return f;
}

static wchar_t scratch_dir[MAX_PATH + 64];

static inline int scratch_begin(const char *name) {
  wchar_t tmp[MAX_PATH + 1];
  DWORD n = GetTempPathW(MAX_PATH + 1, tmp);
  if (n == 0 || n > MAX_PATH)
    return 0;
  swprintf(scratch_dir, sizeof scratch_dir / sizeof *scratch_dir,
           L"%lsslink-%hs-%lu-%lu", tmp, name, GetCurrentProcessId(),
           GetTickCount());
  return CreateDirectoryW(scratch_dir, NULL) &&
         SetCurrentDirectoryW(scratch_dir);
}

static inline int write_file(const char *name, const char *text) {
  FILE *f = open_utf8(name, L"wb");
  if (!f)
    return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

/* The first line of a file, or "" when it cannot be read. */
static inline const char *read_file(const char *name) {
  static char buf[256];
  FILE *f = open_utf8(name, L"rb");
  size_t n = 0;
  if (f) {
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
  }
  buf[n] = '\0';
  return buf;
}

static inline int exists(const char *name) {
  slink_info info;
  int rc = slink_read(name, 0, &info);
  if (rc == 0)
    slink_info_free(&info);
  return rc != SLINK_ENOENT;
}

static inline slink_kind kind_of(const char *name) {
  slink_info info;
  slink_kind k = SLINK_KIND_NONE;
  if (slink_read(name, 0, &info) == 0) {
    k = info.kind;
    slink_info_free(&info);
  }
  return k;
}

/* Remove the tree below the current directory: links through
 * slink_remove (never their targets), the rest with the plain calls. */
static inline void scratch_clear(const char *dir) {
  char **names = NULL;
  size_t count = 0;
  if (slink_list_dir(dir, &names, &count) != 0)
    return;
  for (size_t i = 0; i < count; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    slink_info info;
    wchar_t *w = NULL;
    snprintf(path, len, "%s\\%s", dir, names[i]);
    if (slink__win_path(path, &w) == 0 && slink_read(path, 0, &info) == 0) {
      if (slink_kind_is_link(info.kind)) {
        slink_remove(path, 0, NULL);
      } else if (info.kind == SLINK_KIND_DIR) {
        scratch_clear(path);
        RemoveDirectoryW(w);
      } else {
        DeleteFileW(w);
      }
      slink_info_free(&info);
    }
    free(w);
    free(path);
  }
  slink_names_free(names, count);
}

static inline void scratch_end(void) {
  scratch_clear(".");
  SetCurrentDirectoryW(L"..");
  RemoveDirectoryW(scratch_dir);
}

#endif
