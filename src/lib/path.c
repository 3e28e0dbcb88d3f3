/* path.c - path arithmetic on strings; the filesystem is never consulted. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

char *slink__strndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *slink__strdup(const char *s) { return slink__strndup(s, strlen(s)); }

/* How much of PATH is its root and never removed: "/" on POSIX; "C:\" for
 * an absolute Windows path (only where the platform calls it absolute, so
 * a POSIX directory named "C:" is an ordinary name). */
static size_t root_len(const char *path) {
  if (slink__os_is_sep(path[0]))
    return 1;
  if (path[0] && path[1] == ':' && slink__os_is_sep(path[2]) &&
      slink__os_is_absolute(path))
    return 3;
  return 0;
}

char *slink__path_strip_trailing(const char *path) {
  size_t n = strlen(path), root = root_len(path);
  while (n > (root ? root : 1) && slink__os_is_sep(path[n - 1]))
    n--;
  return slink__strndup(path, n);
}

const char *slink__path_basename(const char *path) {
  const char *b = path;
  for (const char *p = path; *p; p++)
    if (slink__os_is_sep(*p) && p[1] != '\0')
      b = p + 1;
  return b;
}

char *slink__path_dirname(const char *path) {
  size_t n = strlen(path), root = root_len(path);
  while (n > root && slink__os_is_sep(path[n - 1]))
    n--;
  while (n > root && !slink__os_is_sep(path[n - 1]))
    n--;
  if (n == 0)
    return slink__strdup(".");
  while (n > root && slink__os_is_sep(path[n - 1]))
    n--;
  return slink__strndup(path, n);
}

char *slink__path_join(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0)
    return slink__strdup(name);
  size_t dl = strlen(dir), nl = strlen(name);
  int sep = dl > 0 && !slink__os_is_sep(dir[dl - 1]);
  char *r = malloc(dl + (size_t)sep + nl + 1);
  if (!r)
    return NULL;
  memcpy(r, dir, dl);
  if (sep)
    r[dl] = '/';
  memcpy(r + dl + (size_t)sep, name, nl + 1);
  return r;
}

/* Split a "/"-separated path into components in place (no empty ones). */
static size_t split(char *s, char **parts, size_t max) {
  size_t n = 0;
  char *p = s;
  while (*p) {
    while (slink__os_is_sep(*p))
      *p++ = '\0';
    if (!*p)
      break;
    if (n < max)
      parts[n] = p;
    n++;
    while (*p && !slink__os_is_sep(*p))
      p++;
  }
  return n;
}

static char **split_alloc(const char *path, char **copy, size_t *count) {
  *copy = slink__strdup(path);
  if (!*copy)
    return NULL;
  size_t max = strlen(path) / 2 + 2;
  char **parts = malloc(max * sizeof *parts);
  if (!parts) {
    free(*copy);
    return NULL;
  }
  *count = split(*copy, parts, max);
  return parts;
}

char *slink__path_lexical(const char *abs) {
  char *copy;
  size_t n;
  char **parts = split_alloc(abs, &copy, &n);
  if (!parts)
    return NULL;
  /* A Windows path starts with its drive ("C:"), which ".." never removes
   * and which takes no separator before it. */
  size_t floor = !slink__os_is_sep(abs[0]) && n > 0 ? 1 : 0;
  size_t keep = floor;
  for (size_t i = floor; i < n; i++) {
    if (strcmp(parts[i], ".") == 0)
      continue;
    if (strcmp(parts[i], "..") == 0) {
      if (keep > floor)
        keep--;
      continue;
    }
    parts[keep++] = parts[i];
  }
  size_t len = 2;
  for (size_t i = 0; i < keep; i++)
    len += strlen(parts[i]) + 1;
  char *r = malloc(len + 1);
  if (r) {
    char *w = r;
    for (size_t i = 0; i < keep; i++) {
      if (i > 0 || !floor)
        *w++ = '/';
      size_t l = strlen(parts[i]);
      memcpy(w, parts[i], l);
      w += l;
    }
    if (keep == floor)
      *w++ = '/';
    *w = '\0';
  }
  free(parts);
  free(copy);
  return r;
}

char *slink_path_tidy(const char *path) {
  if (!path)
    return NULL;
  int absolute = slink__os_is_sep(path[0]);
  char *copy;
  size_t n;
  char **parts = split_alloc(path, &copy, &n);
  if (!parts)
    return NULL;
  char *r = malloc(strlen(path) + 2);
  if (r) {
    char *w = r;
    if (absolute)
      *w++ = '/';
    int first = 1;
    for (size_t i = 0; i < n; i++) {
      if (strcmp(parts[i], ".") == 0)
        continue;
      if (!first)
        *w++ = '/';
      size_t l = strlen(parts[i]);
      memcpy(w, parts[i], l);
      w += l;
      first = 0;
    }
    if (w == r)
      *w++ = '.';
    *w = '\0';
  }
  free(parts);
  free(copy);
  return r;
}

char *slink_path_relative(const char *from_dir, const char *to) {
  if (!from_dir || !to)
    return NULL;
  char *fc, *tc;
  size_t fn, tn;
  char **fp = split_alloc(from_dir, &fc, &fn);
  if (!fp)
    return NULL;
  char **tp = split_alloc(to, &tc, &tn);
  if (!tp) {
    free(fp);
    free(fc);
    return NULL;
  }
  size_t common = 0;
  while (common < fn && common < tn && strcmp(fp[common], tp[common]) == 0)
    common++;
  /* Windows paths on different drives have no relative path between them. */
  if (common == 0 && (!slink__os_is_sep(from_dir[0]) || !slink__os_is_sep(to[0]))) {
    free(fp);
    free(fc);
    free(tp);
    free(tc);
    return slink__strdup(to);
  }
  size_t len = 2 + 3 * (fn - common);
  for (size_t i = common; i < tn; i++)
    len += strlen(tp[i]) + 1;
  char *r = malloc(len);
  if (r) {
    char *w = r;
    for (size_t i = common; i < fn; i++) {
      if (w != r)
        *w++ = '/';
      memcpy(w, "..", 2);
      w += 2;
    }
    for (size_t i = common; i < tn; i++) {
      if (w != r)
        *w++ = '/';
      size_t l = strlen(tp[i]);
      memcpy(w, tp[i], l);
      w += l;
    }
    if (w == r)
      *w++ = '.';
    *w = '\0';
  }
  free(fp);
  free(fc);
  free(tp);
  free(tc);
  return r;
}

int slink__canonical(const char *path, char **out, int *os_err) {
  char *abs;
  if (slink__os_is_absolute(path)) {
    abs = slink__strdup(path);
  } else {
    char *cwd;
    int rc = slink__os_getcwd(&cwd, os_err);
    if (rc < 0)
      return rc;
    abs = slink__path_join(cwd, path);
    free(cwd);
  }
  if (!abs)
    return SLINK_ENOMEM;
  char *tidy = slink__path_strip_trailing(abs);
  free(abs);
  if (!tidy)
    return SLINK_ENOMEM;
  if (slink__os_realpath(tidy, out, NULL) == 0) {
    free(tidy);
    return 0;
  }
  /* Some component is missing: resolve the parent, then add this name by
   * text, as "ln -r" does for targets that do not exist yet. */
  const char *base = slink__path_basename(tidy);
  char *dir = slink__path_dirname(tidy);
  if (!dir || strcmp(dir, tidy) == 0) {
    free(dir);
    *out = tidy;
    return *out ? 0 : SLINK_ENOMEM;
  }
  char *cdir;
  int rc = slink__canonical(dir, &cdir, os_err);
  free(dir);
  if (rc < 0) {
    free(tidy);
    return rc;
  }
  char *joined = slink__path_join(cdir, base);
  free(cdir);
  free(tidy);
  if (!joined)
    return SLINK_ENOMEM;
  *out = slink__path_lexical(joined);
  free(joined);
  return *out ? 0 : SLINK_ENOMEM;
}

/* The platform's path syntax, for front ends that split paths themselves. */
int slink_path_is_sep(char c) { return slink__os_is_sep(c); }

int slink_path_is_absolute(const char *path) {
  return slink__os_is_absolute(path);
}
