/* dedupe_collect.c - candidates from the walk: every regular file under
 * the roots, described through a handle on its own directory, each inode
 * once however many names it has there. */
#include <stdlib.h>
#include <string.h>

#include "lib/dedupe.h"
#include "lib/hpath.h"
#include "lib/internal.h"

typedef struct collect {
  dd_run *run;
  slink__h *dir;        /* the directory of the last entry looked at */
  char *dir_path;       /* its path as the walk gives it */
  size_t dir_len;
  uint32_t dir_idx;     /* its index in the run's directories */
} collect;

static size_t hash_id(uint64_t dev, uint64_t ino, uint64_t ino_hi) {
  uint64_t x = (ino ^ ino_hi) * 0x9E3779B97F4A7C15ull ^
               (dev + 0x632BE59BD9B4E019ull);
  x ^= x >> 29;
  return (size_t)x;
}

static int grow_table(dd_run *run) {
  size_t cap = run->table_cap ? run->table_cap * 2 : 1024;
  uint32_t *t = malloc(cap * sizeof *t);
  if (!t)
    return SLINK_ENOMEM;
  memset(t, 0xff, cap * sizeof *t);
  for (size_t i = 0; i < run->nfiles; i++) {
    size_t j = hash_id(run->files[i].dev, run->files[i].ino,
                       run->files[i].ino_hi) & (cap - 1);
    while (t[j] != DD_NONE)
      j = (j + 1) & (cap - 1);
    t[j] = (uint32_t)i;
  }
  free(run->table);
  run->table = t;
  run->table_cap = cap;
  return 0;
}

/* The file (dev, ino) of ST, added if new; its index in *IDX. */
static int file_for(dd_run *run, const slink__stat *st, uint32_t *idx) {
  if ((run->nfiles + 1) * 2 > run->table_cap && grow_table(run) < 0)
    return SLINK_ENOMEM;
  size_t j = hash_id(st->dev, st->ino, st->ino_hi) & (run->table_cap - 1);
  while (run->table[j] != DD_NONE) {
    dd_file *f = &run->files[run->table[j]];
    if (f->dev == st->dev && f->ino == st->ino && f->ino_hi == st->ino_hi) {
      *idx = run->table[j];
      return 0;
    }
    j = (j + 1) & (run->table_cap - 1);
  }
  if (slink__dd_grow(&run->files, &run->cap_files, run->nfiles + 1,
                     sizeof *run->files, 256) < 0 ||
      run->nfiles >= DD_NONE - 1)
    return SLINK_ENOMEM;
  dd_file *f = &run->files[run->nfiles];
  memset(f, 0, sizeof *f);
  f->dev = st->dev;
  f->ino = st->ino;
  f->ino_hi = st->ino_hi;
  f->size = st->size;
  f->nlink = st->nlink;
  f->mtime = st->mtime;
  f->mtime_ns = st->mtime_ns;
  f->ctime = st->ctime;
  f->ctime_ns = st->ctime_ns;
  f->mode = st->mode;
  f->uid = st->uid;
  f->gid = st->gid;
  f->first_name = DD_NONE;
  run->table[j] = (uint32_t)run->nfiles;
  *idx = (uint32_t)run->nfiles++;
  run->stats.files++;
  return 0;
}

/* LEN bytes of S and a NUL into the run's text; *OFF where. */
static int add_text(dd_run *run, const char *s, size_t len, uint32_t *off) {
  /* Offsets into the text are 32 bits. */
  if (run->text_len + len + 1 > UINT32_MAX ||
      slink__dd_grow(&run->text, &run->text_cap, run->text_len + len + 1, 1,
                     65536) < 0)
    return SLINK_ENOMEM;
  memcpy(run->text + run->text_len, s, len);
  run->text[run->text_len + len] = '\0';
  *off = (uint32_t)run->text_len;
  run->text_len += len + 1;
  return 0;
}

static int add_name(dd_run *run, uint32_t file, const char *path, size_t len,
                    size_t leaf, uint32_t dir) {
  dd_file *f = &run->files[file];
  /* The same entry twice (a root given twice, nested roots, "t" and
   * "./t"): the same directory and the same last component. */
  const dd_dir *dd = &run->dirs[dir];
  for (uint32_t i = f->first_name; i != DD_NONE; i = run->names[i].next) {
    const dd_name *o = &run->names[i];
    const dd_dir *od = &run->dirs[o->dir];
    if (od->dev == dd->dev && od->ino == dd->ino && od->ino_hi == dd->ino_hi &&
        o->len == len - leaf &&
        memcmp(slink__dd_leaf(run, i), path + leaf, len - leaf) == 0)
      return 0;
  }
  if (slink__dd_grow(&run->names, &run->cap_names, run->nnames + 1,
                     sizeof *run->names, 256) < 0)
    return SLINK_ENOMEM;
  dd_name *n = &run->names[run->nnames];
  if (add_text(run, path + leaf, len - leaf, &n->leaf) < 0)
    return SLINK_ENOMEM;
  n->len = (uint32_t)(len - leaf);
  n->dir = dir;
  n->file = file;
  n->done = 0;
  /* Appended at the end, so a file's names stay in walk order. */
  n->next = DD_NONE;
  uint32_t *tail = &f->first_name;
  while (*tail != DD_NONE)
    tail = &run->names[*tail].next;
  *tail = (uint32_t)run->nnames++;
  return 0;
}

/* A new directory of the run: PATH's first K bytes, the start of its
 * entries' paths. */
static int add_dir(dd_run *run, const char *path, size_t k,
                   const slink__stat *st, uint32_t *idx) {
  if (slink__dd_grow(&run->dirs, &run->cap_dirs, run->ndirs + 1,
                     sizeof *run->dirs, 64) < 0)
    return SLINK_ENOMEM;
  dd_dir *d = &run->dirs[run->ndirs];
  if (add_text(run, path, k, &d->off) < 0)
    return SLINK_ENOMEM;
  d->len = (uint32_t)k;
  d->dev = st->dev;
  d->ino = st->ino;
  d->ino_hi = st->ino_hi;
  *idx = (uint32_t)run->ndirs++;
  return 0;
}

char *slink__dd_path(const dd_run *run, uint32_t n) {
  return slink__dd_path_beside(run, n, run->text + run->names[n].leaf);
}

char *slink__dd_path_beside(const dd_run *run, uint32_t n, const char *leaf) {
  const dd_dir *d = &run->dirs[run->names[n].dir];
  size_t len = strlen(leaf);
  char *p = malloc((size_t)d->len + len + 1);
  if (!p)
    return NULL;
  memcpy(p, run->text + d->off, d->len);
  memcpy(p + d->len, leaf, len + 1);
  return p;
}

/* The length of the directory part of PATH (up to its last separator). */
static size_t dir_part(const char *path, size_t len) {
  size_t k = len;
  while (k > 0 && !slink__os_is_sep(path[k - 1]))
    k--;
  return k;
}

/* A handle on the directory holding PATH, reused while entries of one
 * directory follow each other. *LEAF points into PATH. */
static int dir_for(collect *c, const char *path, size_t len,
                   const char **leaf, int *os_err) {
  size_t k = dir_part(path, len);
  *leaf = path + k;
  if (c->dir && c->dir_len == k && memcmp(c->dir_path, path, k) == 0)
    return 0;
  slink__os_h_close(c->dir);
  c->dir = NULL;
  free(c->dir_path);
  c->dir_path = NULL;
  char *lf = NULL;
  slink__stat st;
  int rc = slink__h_parent(path, &c->dir, &lf, os_err);
  free(lf);
  if (rc == 0)
    rc = slink__os_h_lstat(c->dir, NULL, &st, os_err);
  if (rc == 0 && !(c->dir_path = slink__strndup(path, k)))
    rc = SLINK_ENOMEM;
  if (rc == 0)
    rc = add_dir(c->run, path, k, &st, &c->dir_idx);
  if (rc < 0) {
    slink__os_h_close(c->dir);
    c->dir = NULL;
    return rc;
  }
  c->dir_len = k;
  return 0;
}

static int on_entry(const slink_walk_entry *e, void *p) {
  collect *c = p;
  dd_run *run = c->run;
  if (e->error) {
    slink__dd_error(run, e->path, e->error, e->os_error);
    return run->stop;
  }
  if (e->kind != SLINK_KIND_FILE && e->kind != SLINK_KIND_NONE)
    return 0;
  const char *leaf;
  int os_err = 0;
  slink__stat st;
  int rc = dir_for(c, e->path, e->path_len, &leaf, &os_err);
  if (rc == 0)
    rc = slink__os_h_lstat(c->dir, leaf, &st, &os_err);
  if (rc == 0 && e->ino && st.ino != e->ino)
    rc = SLINK_ECHANGED; /* swapped since it was listed */
  if (rc < 0) {
    if (rc != SLINK_ENOENT) /* gone since it was listed: nothing to do */
      slink__dd_error(run, e->path, rc, os_err);
    return run->stop;
  }
  if (st.kind != SLINK_KIND_FILE || st.dev != e->dev)
    return 0;
  if (st.size == 0 ? !(run->flags & SLINK_DEDUPE_EMPTY)
                   : st.size < run->min_size)
    return 0;
  uint32_t idx;
  rc = file_for(run, &st, &idx);
  if (rc == 0)
    rc = add_name(run, idx, e->path, e->path_len,
                  (size_t)(leaf - e->path), c->dir_idx);
  if (rc < 0) {
    slink__dd_error(run, e->path, rc, 0);
    return rc;
  }
  return 0;
}

int slink__dd_collect(dd_run *run, const char *root) {
  collect c;
  memset(&c, 0, sizeof c);
  c.run = run;
  int rc = slink_walk(root, SLINK_WALK_ALL | SLINK_WALK_UNORDERED |
                                SLINK_WALK_ONE_FS | SLINK_WALK_PARALLEL,
                      on_entry, &c);
  slink__os_h_close(c.dir);
  free(c.dir_path);
  return rc;
}

void slink__dd_collect_free(dd_run *run) {
  free(run->names);
  free(run->dirs);
  free(run->text);
  free(run->files);
  free(run->table);
}
