/* list.c - a directory's names in a stable order. */
#include <stdlib.h>
#include <string.h>

#include "sys.h"

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int slink_list_dir(const char *dir, char ***names, size_t *count) {
  if (!dir || !*dir)
    return SLINK_EEMPTYPATH;
  int rc = slink__os_list_dir(dir, names, count, NULL);
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
