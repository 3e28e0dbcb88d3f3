/* dedupe_compare.c - opening a file of the run the safe way (through its
 * own directory, checked to be the one the walk found, the file checked
 * to be the inode hashed) and comparing two of them byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "lib/dedupe.h"
#include "lib/hpath.h"

#define CMP_BUF (256u << 10)

int slink__dd_open_dir(dd_run *run, uint32_t dir, slink__h **out,
                       int *os_err) {
  const dd_dir *d = &run->dirs[dir];
  slink__stat st;
  slink__h *h = NULL;
  /* The start of the entries' paths: "" is ".", "x/" is fine as it is. */
  int rc = slink__h_open_dir(d->len ? run->text + d->off : ".", &h, &st,
                             os_err);
  if (rc == 0 &&
      (st.dev != d->dev || st.ino != d->ino || st.ino_hi != d->ino_hi))
    rc = SLINK_ECHANGED; /* another directory is on the path now */
  if (rc < 0) {
    slink__os_h_close(h);
    return rc;
  }
  *out = h;
  return 0;
}

int slink__dd_open(dd_run *run, uint32_t name, unsigned how, dd_open *o,
                   int *err, int *os_err) {
  return slink__dd_open_in(run, name, how, NULL, o, err, os_err);
}

int slink__dd_open_in(dd_run *run, uint32_t name, unsigned how,
                      dd_dircache *cache, dd_open *o, int *err, int *os_err) {
  dd_name *nm = &run->names[name];
  dd_file *f = &run->files[nm->file];
  memset(o, 0, sizeof *o);
  o->name = name;
  o->leaf = slink__dd_leaf(run, name);
  slink__stat expect;
  int rc = 0;
  if (cache && cache->h && cache->dir == nm->dir) {
    o->dir = cache->h;
  } else {
    rc = slink__dd_open_dir(run, nm->dir, &o->dir, os_err);
    if (rc == 0 && cache) {
      slink__os_h_close(cache->h);
      cache->h = o->dir;
      cache->dir = nm->dir;
    } else
      o->own_dir = 1;
  }
  if (rc == 0) {
    memset(&expect, 0, sizeof expect);
    expect.dev = f->dev;
    expect.ino = f->ino;
    expect.ino_hi = f->ino_hi;
    rc = slink__os_rf_open(o->dir, o->leaf, how & DD_GUARD ? SLINK__RF_GUARD : 0,
                          &expect, &o->f, &o->st, os_err);
  }
  int reason = 0;
  if (rc == SLINK_ECHANGED || rc == SLINK_ENOENT || rc == SLINK_EINVAL ||
      rc == SLINK_ENOTDIR)
    reason = SLINK_DEDUPE_R_CHANGED;
  else if (rc == SLINK_EBUSY)
    reason = SLINK_DEDUPE_R_BUSY;
  else if (rc < 0) {
    reason = SLINK_DEDUPE_R_ERROR;
    *err = rc;
  } else if (o->st.size != f->size)
    reason = SLINK_DEDUPE_R_CHANGED;
  else if ((how & DD_STRICT) &&
           (o->st.mtime != f->mtime || o->st.mtime_ns != f->mtime_ns ||
            o->st.ctime != f->ctime || o->st.ctime_ns != f->ctime_ns))
    reason = SLINK_DEDUPE_R_CHANGED;
  if (reason) {
    slink__dd_close(o);
    return reason;
  }
  if (!(how & DD_STRICT)) {
    f->mtime = o->st.mtime;
    f->mtime_ns = o->st.mtime_ns;
    f->ctime = o->st.ctime;
    f->ctime_ns = o->st.ctime_ns;
    f->mode = o->st.mode;
    f->uid = o->st.uid;
    f->gid = o->st.gid;
    f->nlink = o->st.nlink;
  }
  return 0;
}

void slink__dd_close(dd_open *o) {
  slink__os_rf_close(o->f);
  if (o->own_dir)
    slink__os_h_close(o->dir);
  memset(o, 0, sizeof *o);
}

int slink__dd_compare(dd_run *run, dd_open *a, dd_open *b, int *err,
                      int *os_err) {
  for (int i = 0; i < 2; i++)
    if (!run->buf[i] && !(run->buf[i] = malloc(CMP_BUF))) {
      *err = SLINK_ENOMEM;
      return SLINK_DEDUPE_R_ERROR;
    }
  uint64_t size = a->st.size, off = 0;
  while (off < size) {
    size_t want = size - off < CMP_BUF ? (size_t)(size - off) : CMP_BUF;
    size_t ga = 0, gb = 0;
    int rc = slink__os_rf_read(a->f, off, run->buf[0], want, &ga, os_err);
    if (rc == 0)
      rc = slink__os_rf_read(b->f, off, run->buf[1], want, &gb, os_err);
    if (rc < 0) {
      *err = rc;
      return SLINK_DEDUPE_R_ERROR;
    }
    run->stats.bytes_read += ga + gb;
    /* A short read means the file shrank: not what was hashed. */
    if (ga != want || gb != want)
      return SLINK_DEDUPE_R_CHANGED;
    if (memcmp(run->buf[0], run->buf[1], want) != 0)
      return SLINK_DEDUPE_R_DIFFERS;
    off += want;
  }
  /* Nothing past the end either: the size is still the one compared. */
  size_t extra = 0;
  unsigned char c;
  if (slink__os_rf_read(b->f, size, &c, 1, &extra, os_err) == 0 && extra)
    return SLINK_DEDUPE_R_CHANGED;
  return 0;
}

int slink__dd_meta_differs(const dd_run *run, const dd_file *k,
                           const dd_file *d) {
  unsigned fl = run->flags;
  if (!(fl & SLINK_DEDUPE_IGNORE_MODE) && k->mode != d->mode)
    return SLINK_DEDUPE_R_MODE;
  if (!(fl & SLINK_DEDUPE_IGNORE_OWNER) && (k->uid != d->uid || k->gid != d->gid))
    return SLINK_DEDUPE_R_OWNER;
  if (!(fl & SLINK_DEDUPE_IGNORE_TIME) &&
      (k->mtime != d->mtime || k->mtime_ns != d->mtime_ns))
    return SLINK_DEDUPE_R_TIME;
  if (k->xattrs != d->xattrs)
    return SLINK_DEDUPE_R_XATTRS;
  return 0;
}

int slink__dd_xattrs_equal(dd_open *a, dd_open *b, int *os_err) {
  unsigned char *x = NULL, *y = NULL;
  size_t xn = 0, yn = 0;
  int rc = slink__os_rf_xattrs(a->f, &x, &xn, os_err);
  if (rc == 0)
    rc = slink__os_rf_xattrs(b->f, &y, &yn, os_err);
  if (rc == 0)
    rc = xn == yn && (xn == 0 || memcmp(x, y, xn) == 0);
  free(x);
  free(y);
  return rc;
}
