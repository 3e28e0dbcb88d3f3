/*
 * walk.c - the path-based lookups the classification still makes below a
 * walk's root: lstat of a path relative to a base directory, and readlink
 * of a link on a known volume. Directories themselves are listed through
 * handles (hdir.c).
 */
#include <stdlib.h>

#include "lib/internal.h"
#include "win/win.h"

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
