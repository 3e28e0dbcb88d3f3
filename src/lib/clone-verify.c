/* clone-verify.c - the links of one DEST directory proven together. A
 * hard link made to a name of SRC or PREV links whatever that name held
 * at that moment, so it must be shown to be what was judged: a regular
 * file (--hard), PREV's very file or link (--link-dest). Rather than an
 * fstatat after each linkat, DEST's directory is listed once when it is
 * full: the listing gives every entry's type and inode. The check is on
 * the object that was made, through DEST's handle, as the fstatat was;
 * DEST's directories are this process's own (made 0700 until their POST
 * visit), so nothing else changes what the listing shows. A name found
 * to be something else is removed again and taken the careful way. Only
 * names that are nobody's hard-link group start are deferred: a group's
 * later names are linked to the first one and must not follow a wrong
 * one. */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/internal.h"

/* Record: 8 bytes the inode expected (0: any), 1 byte the kind, 1 byte
 * the counter it goes to once proven, the name, NUL. */
#define HEAD 10

int slink__clone_pend(slink__clone *c, slink__clone_level *l,
                      const char *name, slink_kind kind, uint64_t ino,
                      int counter) {
  if (c->checking || (c->worker != 0 && l == &c->lv[0]))
    return SLINK_EINVAL;  /* taken again, or DEST's root of the other
                             thread: proven at once */
  size_t n = strlen(name);
  size_t need = l->pend_len + HEAD + n + 1;
  if (need > l->pend_cap) {
    size_t cap = l->pend_cap ? l->pend_cap * 2 : 1024;
    while (cap < need)
      cap *= 2;
    char *p = realloc(l->pend, cap);
    if (!p)
      return SLINK_ENOMEM;
    l->pend = p;
    l->pend_cap = cap;
  }
  char *r = l->pend + l->pend_len;
  memcpy(r, &ino, 8);
  r[8] = (char)kind;
  r[9] = (char)counter;
  memcpy(r + HEAD, name, n + 1);
  l->pend_len = need;
  l->npend++;
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Room for N pointers in the scratch array V. */
static int reserve(const char ***v, size_t *cap, size_t n) {
  if (n <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 256;
  while (c < n)
    c *= 2;
  const char **p = realloc(*v, c * sizeof *p);
  if (!p)
    return SLINK_ENOMEM;
  *v = p;
  *cap = c;
  return 0;
}

/* DEST's listing of L, as records of the same form, sorted. */
static int list_dest(slink__clone *c, slink__clone_level *l, size_t *count) {
  slink__clone_scratch *s = &c->scratch;
  size_t len = 0, n = 0;
  int rc;
  for (;;) {
    slink__dirent d;
    rc = slink__os_h_next(l->dst, &d, NULL);
    if (rc <= 0)
      break;
    size_t need = len + HEAD + d.name_len + 1;
    if (need > s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 4096;
      while (cap < need)
        cap *= 2;
      char *p = realloc(s->buf, cap);
      if (!p)
        return SLINK_ENOMEM;
      s->buf = p;
      s->cap = cap;
    }
    char *r = s->buf + len;
    memcpy(r, &d.ino, 8);
    r[8] = (char)d.kind;
    r[9] = 0;
    memcpy(r + HEAD, d.name, d.name_len);
    r[HEAD + d.name_len] = '\0';
    len = need;
    n++;
  }
  if (rc < 0)
    return rc;
  if (reserve(&s->v, &s->vcap, n) < 0)
    return SLINK_ENOMEM;
  for (size_t i = 0, off = 0; i < n; i++) {
    s->v[i] = s->buf + off + HEAD;
    off += HEAD + strlen(s->v[i]) + 1;
  }
  qsort(s->v, n, sizeof *s->v, cmp_names);
  *count = n;
  return 0;
}

static void count(slink__clone *c, int counter) {
  switch (counter) {
  case SLINK__CLONE_LINKED: c->n->files_linked++; break;
  case SLINK__CLONE_PREV: c->n->files_prev++; break;
  case SLINK__CLONE_INNER: c->n->links_inner++; break;
  default: c->n->links_kept++; break;
  }
}

/* NAME, pended in the directory E's POST visit, found not to be what it
 * was linked as: removed, and taken again from the source. */
static int again(slink__clone *c, const slink__tree_ent *e, const char *name) {
  size_t n = strlen(name);
  char *path = malloc(e->path_len + n + 2);
  if (!path)
    return SLINK__TA_GO;
  memcpy(path, e->path, e->path_len);
  size_t at = e->path_len;
  if (at && path[at - 1] != '/')
    path[at++] = '/';
  memcpy(path + at, name, n + 1);
  slink__tree_ent ent = {0};
  ent.dir = e->self;
  ent.name = name;
  ent.path = path;
  ent.path_len = at + n;
  ent.depth = e->depth + 1;
  ent.kind = SLINK_KIND_NONE;
  ent.dir_marks = e->self_marks;
  c->checking = 1;
  int a = slink__clone_entry(c, &ent);
  c->checking = 0;
  if (a == SLINK__TA_RETYPE)  /* a directory now: too late to enter it */
    a = slink__clone_emit(c, &ent, SLINK_KIND_DIR, SLINK_ECHANGED, 0,
                          "changed while it was cloned");
  free(path);
  return a;
}

int slink__clone_check(slink__clone *c, slink__clone_level *l,
                       const slink__tree_ent *e) {
  if (!l->npend)
    return SLINK__TA_GO;
  slink__clone_scratch *s = &c->scratch;
  size_t nd = 0, np = l->npend;
  const char **pv = NULL;
  int rc = list_dest(c, l, &nd);
  if (rc == 0 && !(pv = malloc(np * sizeof *pv)))
    rc = SLINK_ENOMEM;
  if (rc < 0)
    nd = 0;  /* every name is looked at by itself */
  if (pv) {
    for (size_t i = 0, off = 0; i < np; i++) {
      pv[i] = l->pend + off + HEAD;
      off += HEAD + strlen(pv[i]) + 1;
    }
    qsort(pv, np, sizeof *pv, cmp_names);
  }
  int a = SLINK__TA_GO;
  size_t di = 0;
  const char *off = l->pend;
  for (size_t i = 0; i < np; i++) {
    const char *name;
    if (pv) {
      name = pv[i];
    } else {
      name = off + HEAD;
      off += HEAD + strlen(name) + 1;
    }
    uint64_t want_ino;
    memcpy(&want_ino, name - HEAD, 8);
    slink_kind want = (slink_kind)(unsigned char)name[-2];
    int counter = (unsigned char)name[-1];
    while (di < nd && strcmp(s->v[di], name) < 0)
      di++;
    int ok = 0;
    if (di < nd && strcmp(s->v[di], name) == 0) {
      uint64_t ino;
      memcpy(&ino, s->v[di] - HEAD, 8);
      slink_kind k = (slink_kind)(unsigned char)s->v[di][-2];
      ok = k == want && (!want_ino || ino == want_ino);
    }
    if (!ok) {
      /* The listing does not say (no d_type here), or says otherwise:
       * the entry itself decides. */
      slink__stat st;
      ok = slink__os_h_lstat(l->dst, name, &st, NULL) == 0 &&
           st.kind == want && (!want_ino || st.ino == want_ino);
    }
    if (ok) {
      count(c, counter);
      continue;
    }
    slink__os_h_unlink(l->dst, name, NULL, 0, NULL);
    if (e && e->self && a != SLINK__TA_STOP && !c->stop)
      a = again(c, e, name);
    else if (!c->first_err)
      c->first_err = SLINK_ECHANGED;
  }
  free(pv);
  l->pend_len = 0;
  l->npend = 0;
  return a;
}
