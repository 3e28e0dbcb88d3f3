/* hpath.c - opening what a user named, whatever the length of its path.
 * A path longer than one open takes is opened a piece at a time, each
 * piece relative to the handle of the one before, so `make`, `rm`, `show`
 * and `ls` reach paths of any length, and every later check and act is
 * done relative to the handle of the entry's own directory. */
#include <stdlib.h>
#include <string.h>

#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

/* The end of the longest first piece of P (N bytes) that one open takes:
 * a separator boundary at or before MAX, or N when all of it fits. */
static size_t piece(const char *p, size_t n, size_t max) {
  if (n <= max)
    return n;
  size_t k = max;
  while (k > 0 && !slink__os_is_sep(p[k]))
    k--;
  /* One component longer than the system allows: let the open say so. */
  return k == 0 ? n : k;
}

int slink__h_open_dir(const char *path, slink__h **out, slink__stat *st,
                      int *os_err) {
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  size_t max = slink__os_path_max();
  size_t n = strlen(path);
  slink__h *cur = NULL;
  const char *p = path;
  char *chunk = NULL;
  int rc = 0;
  while (n > 0) {
    size_t k = piece(p, n, max);
    free(chunk);
    if (!(chunk = slink__strndup(p, k))) {
      rc = SLINK_ENOMEM;
      break;
    }
    slink__h *next = NULL;
    rc = slink__os_h_open(cur, chunk, SLINK__H_FOLLOW, NULL, &next, st,
                          os_err);
    slink__os_h_close(cur);
    cur = next;
    if (rc < 0)
      break;
    p += k;
    n -= k;
    while (n > 0 && slink__os_is_sep(*p)) {
      p++;
      n--;
    }
  }
  free(chunk);
  if (rc < 0) {
    slink__os_h_close(cur);
    return rc;
  }
  *out = cur;
  return 0;
}

int slink__h_parent(const char *path, slink__h **dir, char **leaf,
                    int *os_err) {
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  char *clean = slink__path_strip_trailing(path);
  char *parent = clean ? slink__path_dirname(clean) : NULL;
  char *name = clean ? slink__strdup(slink__path_basename(clean)) : NULL;
  int rc = parent && name ? 0 : SLINK_ENOMEM;
  if (rc == 0 && slink__os_is_sep(name[0]))
    name[0] = '\0'; /* the root has no name in a parent */
  if (rc == 0 && *name && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
    rc = slink__os_check_typed_name(name);
  if (rc == 0)
    rc = slink__h_open_dir(parent, dir, NULL, os_err);
  free(clean);
  free(parent);
  if (rc < 0) {
    free(name);
    return rc;
  }
  *leaf = name;
  return 0;
}
