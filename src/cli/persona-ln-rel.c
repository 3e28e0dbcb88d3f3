/* persona-ln-rel.c - the target ln -r stores: both names resolved the way
 * GNU resolves them (every link followed, missing parts kept as written,
 * ".." taken after links), then the one written relative to the other's
 * directory. GNU stores exactly this, so slink works it out the same way
 * rather than asking the library for its own shortest path. */
#include <stdlib.h>
#include <string.h>

#include "cli/persona-ln.h"

typedef struct buf {
  char *p;
  size_t len, cap;
} buf;

static int grow(buf *b, size_t more) {
  if (b->len + more + 1 <= b->cap)
    return 0;
  size_t cap = (b->len + more + 1) * 2;
  char *q = realloc(b->p, cap);
  if (!q)
    return -1;
  b->p = q;
  b->cap = cap;
  return 0;
}

static int append(buf *b, const char *s, size_t n) {
  if (grow(b, n) < 0)
    return -1;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

/* Drop the last component of the absolute name in B ("/" stays). */
static void pop(buf *b) {
  if (b->len <= 1)
    return;
  while (b->len > 1 && b->p[b->len - 1] != '/')
    b->len--;
  if (b->len > 1)
    b->len--;
  b->p[b->len] = '\0';
}

/* Links expanded after the first 20, each as its directory and the rest
 * of the name: one seen twice is a loop, left unexpanded. */
typedef struct seen_link {
  uint64_t dev, ino;
  char *rest;
} seen_link;

static int looped(seen_link **seen, size_t *n, const char *dir,
                  const char *rest) {
  slink_info d;
  if (slink_read(*dir ? dir : "/", 0, &d) < 0)
    return -1;
  slink_info_free(&d);
  for (size_t i = 0; i < *n; i++)
    if ((*seen)[i].dev == d.dev && (*seen)[i].ino == d.ino &&
        strcmp((*seen)[i].rest, rest) == 0)
      return 1;
  seen_link *s = realloc(*seen, (*n + 1) * sizeof **seen);
  if (!s)
    return -1;
  *seen = s;
  size_t rl = strlen(rest);
  char *r = malloc(rl + 1);
  if (!r)
    return -1;
  memcpy(r, rest, rl + 1);
  s[(*n)++] = (seen_link){d.dev, d.ino, r};
  return 0;
}

char *ln_canonical(const char *name) {
  if (!name || !*name)
    return NULL;
  buf r = {NULL, 0, 0}, rest = {NULL, 0, 0};
  seen_link *seen = NULL;
  size_t nseen = 0;
  int links = 0, ok = 0;
  if (name[0] != '/') {
    char *cwd;
    if (slink_path_absolute(".", &cwd) < 0)
      goto out;
    ok = append(&r, cwd, strlen(cwd)) == 0;
    free(cwd);
    if (!ok)
      goto out;
    ok = 0;
  } else if (append(&r, "/", 1) < 0) {
    goto out;
  }
  if (append(&rest, name, strlen(name)) < 0)
    goto out;
  size_t at = 0;
  while (at < rest.len) {
    while (at < rest.len && rest.p[at] == '/')
      at++;
    size_t end = at;
    while (end < rest.len && rest.p[end] != '/')
      end++;
    size_t n = end - at;
    if (n == 0)
      break;
    if (n == 1 && rest.p[at] == '.') {
      at = end;
      continue;
    }
    if (n == 2 && rest.p[at] == '.' && rest.p[at + 1] == '.') {
      pop(&r);
      at = end;
      continue;
    }
    size_t before = r.len;
    if ((r.len == 0 || r.p[r.len - 1] != '/') && append(&r, "/", 1) < 0)
      goto out;
    if (append(&r, rest.p + at, n) < 0)
      goto out;
    slink_info info;
    if (slink_read(r.p, 0, &info) < 0) {
      at = end;
      continue;
    }
    if (!slink_kind_is_link(info.kind) || !info.target) {
      slink_info_free(&info);
      at = end;
      continue;
    }
    if (links < 20) {
      links++;
    } else {
      char save = r.p[before];
      r.p[before] = '\0';
      int l = looped(&seen, &nseen, r.p, rest.p + at);
      r.p[before] = save;
      if (l < 0) {
        slink_info_free(&info);
        goto out;
      }
      if (l > 0) { /* a loop: kept as a name, as GNU does here */
        slink_info_free(&info);
        at = end;
        continue;
      }
    }
    /* The rest of the name becomes the link's target + what followed. */
    buf next = {NULL, 0, 0};
    if (append(&next, info.target, info.target_len) < 0 ||
        append(&next, rest.p + end, rest.len - end) < 0) {
      free(next.p);
      slink_info_free(&info);
      goto out;
    }
    free(rest.p);
    rest = next;
    at = 0;
    if (info.target[0] == '/') {
      r.len = 1;
      r.p[1] = '\0';
    } else {
      r.len = before;
      r.p[r.len] = '\0';
      if (r.len == 0 && append(&r, "/", 1) < 0) {
        slink_info_free(&info);
        goto out;
      }
    }
    slink_info_free(&info);
  }
  if (r.len > 1 && r.p[r.len - 1] == '/')
    r.p[--r.len] = '\0';
  ok = 1;
out:
  for (size_t i = 0; i < nseen; i++)
    free(seen[i].rest);
  free(seen);
  free(rest.p);
  if (!ok) {
    free(r.p);
    return NULL;
  }
  return r.p;
}

/* The length of the leading part that names the same directories. */
static size_t common_prefix(const char *a, const char *b) {
  size_t i = 0, ret = 0;
  while (a[i] && b[i] && a[i] == b[i]) {
    if (a[i] == '/')
      ret = i + 1;
    i++;
  }
  if ((!a[i] && !b[i]) || (!a[i] && b[i] == '/') || (!b[i] && a[i] == '/'))
    ret = i;
  return ret;
}

char *ln_relative(const char *source, const char *dest) {
  size_t blen;
  const char *base = ln_last_component(dest, &blen);
  size_t dl = (size_t)(base - dest);
  char *dir = malloc(dl + 2);
  if (!dir)
    return NULL;
  /* GNU's dir_name(): "." for none, the slashes before the base dropped. */
  while (dl > 1 && ln_is_sep(dest[dl - 1]))
    dl--;
  if (dl == 0)
    strcpy(dir, ".");
  else
    memcpy(dir, dest, dl), dir[dl] = '\0';
  char *to = ln_canonical(dir), *from = ln_canonical(source);
  free(dir);
  char *out = NULL;
  if (to && from) {
    size_t ci = common_prefix(to, from);
    if (ci > 0) {
      const char *rt = to + ci, *rf = from + ci;
      if (*rt == '/')
        rt++;
      if (*rf == '/')
        rf++;
      buf o = {NULL, 0, 0};
      int bad = 0;
      if (*rt) {
        bad |= append(&o, "..", 2);
        for (; *rt; rt++)
          if (*rt == '/')
            bad |= append(&o, "/..", 3);
        if (*rf) {
          bad |= append(&o, "/", 1);
          bad |= append(&o, rf, strlen(rf));
        }
      } else {
        bad |= append(&o, *rf ? rf : ".", *rf ? strlen(rf) : 1);
      }
      if (bad)
        free(o.p);
      else
        out = o.p;
    }
  }
  free(to);
  free(from);
  if (!out) { /* GNU keeps the name as given when it cannot convert */
    size_t n = strlen(source);
    out = malloc(n + 1);
    if (out)
      memcpy(out, source, n + 1);
  }
  return out;
}
