/* abspath.c - the full path of a name without following the name itself,
 * as Windows tools print a link's "full path". */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"

int slink_path_absolute(const char *path, char **out) {
  *out = NULL;
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  char *clean = slink__path_strip_trailing(path);
  if (!clean)
    return SLINK_ENOMEM;
  const char *base = slink__path_basename(clean);
  int rc;
  /* "." and ".." name directories, not entries that could be links. */
  if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    rc = slink__canonical(clean, out, NULL);
    free(clean);
    return rc;
  }
  char *dir = slink__path_dirname(clean);
  if (!dir) {
    free(clean);
    return SLINK_ENOMEM;
  }
  if (strcmp(dir, clean) == 0) { /* the root itself */
    free(dir);
    *out = clean;
    return 0;
  }
  char *cdir;
  rc = slink__canonical(dir, &cdir, NULL);
  free(dir);
  if (rc == 0) {
    *out = slink__path_join(cdir, base);
    free(cdir);
    rc = *out ? 0 : SLINK_ENOMEM;
  }
  free(clean);
  return rc;
}
