/* list.c - a directory's names in a stable order. The directory is
 * opened a piece at a time (any path length) and listed through its
 * handle. */
#include <stdlib.h>
#include <string.h>

#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_handle(slink__h *h, char ***names, size_t *count) {
  char **v = NULL;
  size_t n = 0, cap = 0;
  slink__dirent e;
  int rc;
  while ((rc = slink__os_h_next(h, &e, NULL)) == 1) {
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      char **nv = realloc(v, nc * sizeof *nv);
      if (!nv) {
        rc = SLINK_ENOMEM;
        break;
      }
      v = nv;
      cap = nc;
    }
    if (!(v[n] = slink__strndup(e.name, e.name_len))) {
      rc = SLINK_ENOMEM;
      break;
    }
    n++;
  }
  if (rc < 0) {
    slink_names_free(v, n);
    return rc;
  }
  *names = v;
  *count = n;
  return 0;
}

int slink_list_dir(const char *dir, char ***names, size_t *count) {
  *names = NULL;
  *count = 0;
  if (!dir || !*dir)
    return SLINK_EEMPTYPATH;
  slink__h *h = NULL;
  int rc = slink__h_open_dir(dir, &h, NULL, NULL);
  if (rc == 0)
    rc = list_handle(h, names, count);
  slink__os_h_close(h);
  if (rc == 0 && *count > 1)
    qsort(*names, *count, sizeof **names, by_bytes);
  return rc;
}

void slink_names_free(char **names, size_t count) {
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
}

int slink_file_names(const char *path, char ***names, size_t *count) {
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  int rc = slink__os_file_names(path, names, count, NULL);
  if (rc == 0 && *count > 1)
    qsort(*names, *count, sizeof **names, by_bytes);
  return rc;
}
