/* naive.c - the vulnerable control for the attack tests (see naive.h). */
#include "naive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hook.h"

typedef struct naive {
  int make_writable;
  naive_hook_fn hook;
  void *ctx;
} naive;

static void gap(const naive *n, int point, const char *path) {
  if (n->hook)
    n->hook(point, AT_FDCWD, path, n->ctx);
}

static int remove_path(const naive *n, const char *path);

static int empty_dir(const naive *n, const char *path) {
  gap(n, SLINK__HP_WALK_BEFORE_OPEN, path);
  DIR *d = opendir(path); /* follows whatever is at PATH now */
  if (!d)
    return 1;
  int failures = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    char *child = malloc(len);
    if (!child) {
      failures++;
      break;
    }
    snprintf(child, len, "%s/%s", path, e->d_name);
    failures += remove_path(n, child);
    free(child);
  }
  closedir(d);
  return failures;
}

static int remove_path(const naive *n, const char *path) {
  struct stat st;
  gap(n, SLINK__HP_WALK_LISTED, path);
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? 0 : 1;
  if (!S_ISDIR(st.st_mode)) {
    gap(n, SLINK__HP_WALK_BEFORE_ACT, path);
    if (unlink(path) == 0)
      return 0;
    if (errno == EACCES && n->make_writable) {
      /* The retry that CPython's CVE-2023-6597 was made of: chmod by
       * path, which follows a link put there in the meantime. */
      char *dir = strdup(path);
      char *slash = dir ? strrchr(dir, '/') : NULL;
      if (slash) {
        *slash = '\0';
        gap(n, SLINK__HP_WALK_BEFORE_CHMOD, dir);
        chmod(dir, 0700);
      }
      free(dir);
      return unlink(path) == 0 ? 0 : 1;
    }
    return 1;
  }
  int failures = empty_dir(n, path);
  gap(n, SLINK__HP_WALK_BEFORE_RMDIR, path);
  if (rmdir(path) != 0)
    failures++;
  return failures;
}

int naive_remove_tree(const char *path, int make_writable, naive_hook_fn hook,
                      void *ctx) {
  naive n = {make_writable, hook, ctx};
  return remove_path(&n, path);
}
