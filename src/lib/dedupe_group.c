/* dedupe_group.c - one class of files that hashed alike becomes as few
 * files as it may: split by the metadata that must agree (a hard link
 * shares one inode, so only the keeper's owner, mode, times and xattrs
 * survive), a keeper per part, a new keeper whenever one is full, and a
 * report per keeper listing every name and what became of it. */
#include <stdlib.h>
#include <string.h>

#include "lib/dedupe.h"

typedef struct report {
  slink_dedupe_name *v;
  size_t n, cap;
  uint64_t saved;
  uint64_t size;
} report;

/* Forget the names of R from N on. */
static void drop(report *r, size_t n) {
  while (r->n > n)
    free((char *)r->v[--r->n].path);
}

static int add(report *r, dd_run *run, uint32_t name, slink_dedupe_status st,
               int reason, int err, int os_err) {
  if (slink__dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v, 8) < 0)
    return SLINK_ENOMEM;
  char *path = slink__dd_path(run, name);
  if (!path)
    return SLINK_ENOMEM;
  slink_dedupe_name *e = &r->v[r->n++];
  e->path = path;
  e->path_len = strlen(path);
  e->status = st;
  e->reason = (slink_dedupe_reason)reason;
  e->error = err;
  e->os_error = os_err;
  e->ino = run->files[run->names[name].file].ino;
  if (st == SLINK_DEDUPE_LINKED)
    run->stats.linked++;
  else if (st == SLINK_DEDUPE_SKIPPED) {
    run->stats.skipped++;
    if (reason == SLINK_DEDUPE_R_ERROR) {
      run->stats.errors++;
      if (!run->first_error)
        run->first_error = err;
    }
  }
  return 0;
}

/* Every name of file FI not yet linked elsewhere, skipped for REASON. */
static void skip_file(report *r, dd_run *run, uint32_t fi, int reason,
                      int err, int os_err) {
  for (uint32_t i = run->files[fi].first_name; i != DD_NONE;
       i = run->names[i].next)
    if (!run->names[i].done)
      add(r, run, i, SLINK_DEDUPE_SKIPPED, reason, err, os_err);
}

static void send(dd_run *run, report *r) {
  if (r->n == 0)
    return;
  int linked = 0;
  for (size_t i = 0; i < r->n; i++)
    linked |= r->v[i].status == SLINK_DEDUPE_LINKED;
  run->stats.groups += linked;
  run->stats.bytes_saved += r->saved;
  slink_dedupe_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = SLINK_DEDUPE_EV_GROUP;
  ev.size = r->size;
  ev.saved = r->saved;
  ev.names = r->v;
  ev.count = r->n;
  slink__dd_emit(run, &ev);
  drop(r, 0);
  r->saved = 0;
}

/* Open file FI through the first of its names still its own. A dry run
 * opens nothing unless it must ask the file (NEED): it plans from what
 * the hashing open saw, and changes nothing that the real run, which
 * checks everything again through its own opens, would rely on. */
static int open_file(dd_run *run, uint32_t fi, unsigned how, int need,
                     dd_dircache *cache, dd_open *o, int *err, int *os_err) {
  const dd_file *f = &run->files[fi];
  if ((run->flags & SLINK_DEDUPE_DRY_RUN) && !need) {
    memset(o, 0, sizeof *o);
    o->name = f->first_name;
    while (o->name != DD_NONE && run->names[o->name].done)
      o->name = run->names[o->name].next;
    o->st.kind = SLINK_KIND_FILE;
    o->st.dev = f->dev;
    o->st.ino = f->ino;
    o->st.ino_hi = f->ino_hi;
    o->st.size = f->size;
    o->st.nlink = f->nlink;
    return 0;
  }
  int reason = SLINK_DEDUPE_R_CHANGED;
  for (uint32_t i = run->files[fi].first_name; i != DD_NONE;
       i = run->names[i].next) {
    if (run->names[i].done)
      continue;
    reason = slink__dd_open_in(run, i, how, cache, o, err, os_err);
    if (reason != SLINK_DEDUPE_R_CHANGED)
      break;
  }
  return reason;
}

/* Merge D into the keeper K: 0 done (whatever became of D's names),
 * 1 when K is full and D must wait for a new keeper. */
static int merge_one(dd_run *run, report *r, dd_open *k, uint64_t link_max,
                     uint64_t *knl, uint32_t di) {
  dd_file *d = &run->files[di];
  unsigned fl = run->flags;
  int dry = fl & SLINK_DEDUPE_DRY_RUN, reflink = fl & SLINK_DEDUPE_REFLINK;
  if (!reflink && *knl >= link_max)
    return 1;
  dd_open o;
  int err = 0, os_err = 0;
  int reason = open_file(run, di, DD_STRICT | (dry || reflink ? 0 : DD_GUARD),
                         0, &run->dups, &o, &err, &os_err);
  if (reason) {
    skip_file(r, run, di, reason, err, os_err);
    return 0;
  }
  if (!reflink && !dry) {
    int g = slink__os_rf_guard(o.f, NULL);
    if (g == 0 || g == SLINK_EBUSY)
      reason = SLINK_DEDUPE_R_BUSY;
  }
  /* A dry run has the digests (the parts were made by them). */
  if (!reason && !reflink && !dry && !(fl & SLINK_DEDUPE_IGNORE_XATTRS)) {
    int eq = slink__dd_xattrs_equal(k, &o, &os_err);
    if (eq == 0)
      reason = SLINK_DEDUPE_R_XATTRS;
    else if (eq < 0) {
      reason = SLINK_DEDUPE_R_ERROR;
      err = eq;
    }
  }
  if (!reason && !dry && !reflink)
    reason = slink__dd_compare(run, k, &o, &err, &os_err);
  if (!reason && !dry && reflink)
    reason = slink__dd_reflink(run, k, &o, &err, &os_err);
  if (reason) {
    skip_file(r, run, di, reason, err, os_err);
    slink__dd_close(&o);
    return 0;
  }
  uint64_t nlink = o.st.nlink;
  uint32_t linked = 0, mine = 0;
  int full = 0;
  for (uint32_t i = d->first_name; i != DD_NONE; i = run->names[i].next) {
    if (run->names[i].done)
      continue;
    mine++;
    if (reflink) {
      add(r, run, i, SLINK_DEDUPE_LINKED, 0, 0, 0);
      linked++;
      continue;
    }
    if (*knl >= link_max) {
      full = 1;
      continue;
    }
    err = os_err = 0;
    reason = dry ? 0 : slink__dd_replace(run, k, &o, i, &err, &os_err);
    if (reason == SLINK_EMLINK) {
      /* The filesystem knows better than its pathconf: full now. */
      full = 1;
      *knl = link_max;
      continue;
    }
    if (reason) {
      add(r, run, i, SLINK_DEDUPE_SKIPPED, reason, err, os_err);
      run->names[i].done = 1; /* reported; not tried again */
      continue;
    }
    add(r, run, i, SLINK_DEDUPE_LINKED, 0, 0, 0);
    run->names[i].done = 1;
    linked++;
    (*knl)++;
  }
  /* Space comes back only when no name of the duplicate is left,
   * here or outside the trees walked. */
  if (reflink ? linked == mine : linked == nlink && linked == mine)
    r->saved += d->size;
  slink__dd_close(&o);
  return full;
}

/* Merge the files MEMBERS (M of them, metadata alike) into as few as the
 * link limit allows; LEFT (NLEFT) are files of the class whose metadata
 * kept them apart, reported with the first keeper. */
static void merge(dd_run *run, const uint32_t *members, size_t m,
                  const uint32_t *left, size_t nleft) {
  unsigned fl = run->flags;
  int dry = fl & SLINK_DEDUPE_DRY_RUN, reflink = fl & SLINK_DEDUPE_REFLINK;
  report r;
  memset(&r, 0, sizeof r);
  r.size = run->files[members[0]].size;
  size_t i = 0;
  int after_full = 0;   /* this keeper follows one that filled up */
  while (i < m && !run->stop) {
    uint32_t ki = members[i++];
    dd_open k;
    int err = 0, os_err = 0;
    /* One filesystem, one limit: asked once per device. */
    int ask = !run->max_known || run->max_dev != run->files[ki].dev;
    int reason = open_file(run, ki, DD_STRICT | (dry || reflink ? 0 : DD_GUARD),
                           ask, &run->keeps, &k, &err, &os_err);
    if (!reason && !dry && !reflink) {
      int g = slink__os_rf_guard(k.f, NULL);
      if (g == 0 || g == SLINK_EBUSY) {
        reason = SLINK_DEDUPE_R_BUSY;
        slink__dd_close(&k);
      }
    }
    if (reason) {
      skip_file(&r, run, ki, reason, err, os_err);
      continue;
    }
    if (ask) {
      if (slink__os_rf_link_max(k.f, &run->max_links, NULL) < 0)
        run->max_links = UINT64_MAX;
      run->max_dev = k.st.dev;
      run->max_known = 1;
    }
    uint64_t link_max = run->max_links;
    if (run->opts && run->opts->max_links && run->opts->max_links < link_max)
      link_max = run->opts->max_links;
    uint64_t knl = k.st.nlink;
    size_t start = r.n;
    for (uint32_t n = run->files[ki].first_name; n != DD_NONE;
         n = run->names[n].next)
      if (!run->names[n].done)
        add(&r, run, n, SLINK_DEDUPE_KEPT, 0, 0, 0);
    size_t before = r.n;
    int full = 0;
    while (i < m && !run->stop) {
      if ((full = merge_one(run, &r, &k, link_max, &knl, members[i])))
        break; /* full: the next file is the next keeper */
      i++;
    }
    for (size_t j = 0; j < nleft; j++)
      skip_file(&r, run, left[j],
                slink__dd_meta_differs(run, &run->files[ki],
                                       &run->files[left[j]]),
                0, 0);
    nleft = 0;
    slink__dd_close(&k);
    /* A keeper alone with nothing to report is no group, unless it is
     * the new keeper of a group whose first one filled up. */
    if (r.n > before || after_full)
      send(run, &r);
    else
      drop(&r, start);
    after_full = full;
  }
  send(run, &r); /* names no keeper could be opened for */
  free(r.v);
}

/* Keepers first: the file with the most names (fewest to replace), then
 * the first name in byte order, so that runs agree whatever the walk's
 * order. */
static int keeper_first(const dd_run *run, uint32_t a, uint32_t b) {
  const dd_file *x = &run->files[a], *y = &run->files[b];
  if (x->nlink != y->nlink)
    return x->nlink > y->nlink;
  char *p = slink__dd_path(run, x->first_name);
  char *q = slink__dd_path(run, y->first_name);
  int before = p && q ? strcmp(p, q) < 0 : x->first_name < y->first_name;
  free(p);
  free(q);
  return before;
}

int slink__dd_group(dd_run *run, const uint32_t *cls, size_t n) {
  uint32_t *v = malloc(n * sizeof *v);
  uint32_t *part = malloc(n * sizeof *part);
  uint32_t *left = malloc(n * sizeof *left);
  if (!v || !part || !left) {
    free(v);
    free(part);
    free(left);
    return SLINK_ENOMEM;
  }
  memcpy(v, cls, n * sizeof *v);
  for (size_t i = 1; i < n; i++) /* insertion sort: classes are small */
    for (size_t j = i; j > 0 && keeper_first(run, v[j], v[j - 1]); j--) {
      uint32_t t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  /* Reflinks keep every inode: no metadata is lost, none must agree.
   * Parts in PART one after another, their lengths in LENS. */
  int one = run->flags & SLINK_DEDUPE_REFLINK;
  size_t *lens = malloc(n * sizeof *lens);
  size_t rest = n, nleft = 0, nparts = 0, used = 0;
  if (!lens)
    rest = 0;
  while (rest > 0) {
    size_t m = 0, k = 0;
    uint32_t head = v[0];
    for (size_t i = 0; i < rest; i++)
      if (one || slink__dd_meta_differs(run, &run->files[head],
                                        &run->files[v[i]]) == 0)
        part[used + m++] = v[i];
      else
        v[k++] = v[i];
    rest = k;
    if (m == 1)
      left[nleft++] = part[used];
    else {
      lens[nparts++] = m;
      used += m;
    }
  }
  /* Files whose metadata matched no other are reported with the first
   * keeper, or among themselves when there is none. */
  size_t at = 0;
  for (size_t p = 0; p < nparts && !run->stop; p++) {
    merge(run, part + at, lens[p], left, p == 0 ? nleft : 0);
    at += lens[p];
  }
  if (nparts == 0 && nleft >= 2)
    merge(run, left, 1, left + 1, nleft - 1);
  free(lens);
  free(v);
  free(part);
  free(left);
  return run->stop;
}
