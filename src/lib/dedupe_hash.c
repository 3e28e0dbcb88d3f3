/* dedupe_hash.c - narrowing the candidates: files of one size on one
 * filesystem, then, through one open each, those whose contents agree
 * when small (read whole) or whose first and last 4 KiB agree when larger
 * (files that differ at the end are common: logs, images), then those
 * larger ones whose full XXH3-128 hashes agree. Each step reads only what
 * is left after the one before; the reads run on one thread per core. */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "lib/dedupe.h"

#define MAX_THREADS 8
#define READ_BUF (256u << 10)
/* Files a thread takes at once in the first pass: one lock per batch,
 * not per file (the files are small); the full pass takes one. */
#define BATCH 16
/* A run of one size at most this long is sorted in place. */
#define SHORT_RUN 32

int slink__dd_same_key(const dd_file *a, const dd_file *b) {
  return a->dev == b->dev && a->size == b->size &&
         memcmp(a->h, b->h, sizeof a->h) == 0;
}

static int cmp_key(const dd_file *a, const dd_file *b, int words) {
  if (a->dev != b->dev)
    return a->dev < b->dev ? -1 : 1;
  if (a->size != b->size)
    return a->size < b->size ? -1 : 1;
  for (int i = 0; i < words; i++)
    if (a->h[i] != b->h[i])
      return a->h[i] < b->h[i] ? -1 : 1;
  /* Ties by inode: reads of a group then go in inode order. */
  if (a->ino != b->ino)
    return a->ino < b->ino ? -1 : 1;
  return 0;
}

/* A stable merge sort of the indices V (N) by key, through TMP (N). */
static void sort_by_key(const dd_file *files, uint32_t *v, uint32_t *tmp,
                        size_t n, int words) {
  if (n < 2)
    return;
  size_t h = n / 2;
  sort_by_key(files, v, tmp, h, words);
  sort_by_key(files, v + h, tmp, n - h, words);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = cmp_key(&files[v[j]], &files[v[i]], words) < 0 ? v[j++] : v[i++];
  while (i < h)
    tmp[k++] = v[i++];
  while (j < n)
    tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

static int before_in_place(const dd_run *run, uint32_t a, uint32_t b) {
  const dd_file *x = &run->files[a], *y = &run->files[b];
  uint32_t dx = run->names[x->first_name].dir, dy = run->names[y->first_name].dir;
  if (dx != dy)
    return dx < dy;
  return x->ino < y->ino;
}

/* By directory (counted into buckets), then inode (an insertion sort,
 * which only moves files within their directory's bucket). */
static int sort_by_place(const dd_run *run, uint32_t *v, uint32_t *tmp,
                         size_t n) {
  uint32_t *at = calloc(run->ndirs + 1, sizeof *at);
  if (!at)
    return SLINK_ENOMEM;
  for (size_t i = 0; i < n; i++)
    at[run->names[run->files[v[i]].first_name].dir + 1]++;
  for (size_t d = 0; d < run->ndirs; d++)
    at[d + 1] += at[d];
  for (size_t i = 0; i < n; i++)
    tmp[at[run->names[run->files[v[i]].first_name].dir]++] = v[i];
  free(at);
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && before_in_place(run, tmp[j], tmp[j - 1]); j--) {
      uint32_t t = tmp[j];
      tmp[j] = tmp[j - 1];
      tmp[j - 1] = t;
    }
  memcpy(v, tmp, n * sizeof *v);
  return 0;
}

/* V is sorted by (device, size): sort each run of one size by the whole
 * key, in place when short (the common case, and no file far away in
 * memory is touched), else by a merge sort. */
static void sort_runs(const dd_file *files, uint32_t *v, uint32_t *tmp,
                      size_t n) {
  for (size_t i = 0; i < n;) {
    size_t k = i + 1;
    while (k < n && files[v[k]].dev == files[v[i]].dev &&
           files[v[k]].size == files[v[i]].size)
      k++;
    if (k - i > SHORT_RUN)
      sort_by_key(files, v + i, tmp, k - i, 2);
    else
      for (size_t a = i + 1; a < k; a++)
        for (size_t b = a; b > i && cmp_key(&files[v[b]], &files[v[b - 1]], 2) < 0;
             b--) {
          uint32_t t = v[b];
          v[b] = v[b - 1];
          v[b - 1] = t;
        }
    i = k;
  }
}

/* Keep only the files of V that share their key with another one and are
 * still in the running; returns how many are left (in place). */
static size_t keep_groups(const dd_file *files, uint32_t *v, size_t n,
                          int words) {
  size_t out = 0, i = 0;
  while (i < n) {
    /* cmp_key ends with the inode, which a group does not share. */
    size_t k = i + 1;
    while (k < n && files[v[k]].dev == files[v[i]].dev &&
           files[v[k]].size == files[v[i]].size &&
           memcmp(files[v[k]].h, files[v[i]].h,
                  (size_t)words * sizeof(uint64_t)) == 0)
      k++;
    size_t live = 0;
    for (size_t m = i; m < k; m++)
      live += !files[v[m]].gone;
    if (live >= 2)
      for (size_t m = i; m < k; m++)
        if (!files[v[m]].gone)
          v[out++] = v[m];
    i = k;
  }
  return out;
}

typedef struct pass {
  dd_run *run;
  const uint32_t *list;
  size_t n;
  size_t next;          /* the next index to take, under run->lock */
  int stage;            /* 0 whole or samples, 1 full */
} pass;

static int xattrs_digest(slink__rf *f, uint64_t *d, int *os_err) {
  unsigned char *b = NULL;
  size_t n = 0;
  int rc = slink__os_rf_xattrs(f, &b, &n, os_err);
  *d = 0;
  if (rc == 0 && n) {
    uint64_t h = XXH3_64bits(b, n);
    *d = h ? h : 1; /* 0 is "none" */
  }
  free(b);
  return rc;
}

/* Read what STAGE needs of F into its hash and return the bytes read:
 * the first pass (0) reads a small file whole and a larger one's prefix
 * and suffix samples, all through one open; the second (1) hashes a
 * larger file in full, in the place of its samples' hash (files whose
 * contents agree have agreeing samples). S is the thread's state for
 * hashes that take more than one read. */
static uint64_t hash_file(dd_run *run, dd_file *f, int stage,
                          unsigned char *buf, XXH3_state_t *s,
                          dd_dircache *cache) {
  dd_open o;
  int err = 0, os_err = 0;
  int rc = slink__dd_open_in(run, f->first_name, 0, cache, &o, &err, &os_err);
  if (rc != 0) {
    slink__os_lock(run->lock);
    f->gone = 1;
    if (rc == SLINK_DEDUPE_R_ERROR)
      slink__dd_name_error(run, f->first_name, err, os_err);
    slink__os_unlock(run->lock);
    return 0;
  }
  uint64_t size = f->size, done = 0;
  if (stage == 0) {
    /* Whole, or the prefix and then the suffix, each read to its end,
     * one after the other in BUF. */
    uint64_t off[2] = {0, size - DD_SAMPLE};
    size_t want[2] = {(size_t)size, DD_SAMPLE};
    int parts = size <= DD_WHOLE ? 1 : 2;
    if (parts == 2)
      want[0] = DD_SAMPLE;
    for (int p = 0; rc == 0 && p < parts; p++) {
      size_t have = 0;
      while (rc == 0 && have < want[p]) {
        size_t got = 0;
        rc = slink__os_rf_read(o.f, off[p] + have, buf + done + have,
                               want[p] - have, &got, &os_err);
        if (rc == 0 && got == 0)
          rc = SLINK_ECHANGED; /* shorter than it was */
        have += got;
      }
      done += have;
    }
    if (rc == 0) {
      XXH128_hash_t h = XXH3_128bits(buf, (size_t)done);
      f->h[0] = h.high64;
      f->h[1] = h.low64;
    }
  } else {
    if (XXH3_128bits_reset(s) == XXH_ERROR)
      rc = SLINK_ENOMEM;
    while (rc == 0 && done < size) {
      size_t got = 0;
      size_t chunk = size - done < READ_BUF ? (size_t)(size - done) : READ_BUF;
      rc = slink__os_rf_read(o.f, done, buf, chunk, &got, &os_err);
      if (rc == 0 && got == 0)
        rc = SLINK_ECHANGED;
      if (rc == 0) {
        XXH3_128bits_update(s, buf, got);
        done += got;
      }
    }
    if (rc == 0) {
      XXH128_hash_t h = XXH3_128bits_digest(s);
      f->h[0] = h.high64;
      f->h[1] = h.low64;
    }
  }
  /* The xattrs through the file's last open, where they must agree:
   * grouping by them, and a dry run, then open nothing again. */
  if (rc == 0 && (stage == 1 || size <= DD_WHOLE) &&
      !(run->flags & (SLINK_DEDUPE_IGNORE_XATTRS | SLINK_DEDUPE_REFLINK)))
    rc = xattrs_digest(o.f, &f->xattrs, &os_err);
  slink__dd_close(&o);
  if (rc < 0) {
    slink__os_lock(run->lock);
    f->gone = 1;
    if (rc != SLINK_ECHANGED)
      slink__dd_name_error(run, f->first_name, rc, os_err);
    slink__os_unlock(run->lock);
  }
  return done;
}

static void worker(void *arg) {
  pass *p = arg;
  dd_run *run = p->run;
  unsigned char *buf = malloc(READ_BUF);
  XXH3_state_t *s = XXH3_createState();
  dd_dircache cache = {0, NULL};
  if (!buf || !s) {
    free(buf);
    XXH3_freeState(s);
    return;
  }
  size_t batch = p->stage == 0 ? BATCH : 1;
  uint64_t bytes = 0;
  for (;;) {
    slink__os_lock(run->lock);
    run->stats.bytes_read += bytes;
    bytes = 0;
    size_t i = p->next, end = p->n - i < batch ? p->n : i + batch;
    if (i < p->n && p->stage == 0) {
      /* The progress report: every 256 files, one thread at a time. */
      uint64_t before = run->stats.files_hashed;
      run->stats.files_hashed += end - i;
      if (before >> 8 != run->stats.files_hashed >> 8) {
        slink_dedupe_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SLINK_DEDUPE_EV_PROGRESS;
        slink__dd_emit(run, &ev);
      }
    }
    if (i < p->n)
      p->next = end;
    int stop = run->stop;
    slink__os_unlock(run->lock);
    if (i >= p->n || stop)
      break;
    for (; i < end; i++)
      bytes += hash_file(run, &run->files[p->list[i]], p->stage, buf, s,
                         &cache);
  }
  slink__os_h_close(cache.h);
  XXH3_freeState(s);
  free(buf);
}

/* Hash the files of V (N) that STAGE concerns. */
static int run_pass(dd_run *run, const uint32_t *v, uint32_t *tmp, size_t n,
                    int stage) {
  uint32_t *list = malloc((n ? n : 1) * sizeof *list);
  if (!list)
    return SLINK_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t size = run->files[v[i]].size;
    if (stage == 0 || size > DD_WHOLE)
      list[k++] = v[i];
  }
  /* By directory, then inode: each thread's directory handle serves a
   * run of files, and reads go in the order the disk holds them. */
  if (sort_by_place(run, list, tmp, k) < 0) {
    free(list);
    return SLINK_ENOMEM;
  }
  pass p = {run, list, k, 0, stage};
  int threads = run->opts && run->opts->threads > 0 ? run->opts->threads
                                                    : slink__os_cpu_count();
  if (threads > MAX_THREADS)
    threads = MAX_THREADS;
  if ((size_t)threads > k)
    threads = k ? (int)k : 1;
  slink__os_run_threads(threads, worker, &p);
  free(list);
  return run->stop;
}

int slink__dd_hash(dd_run *run, uint32_t **order, size_t *n) {
  uint32_t *v = malloc((run->nfiles ? run->nfiles : 1) * sizeof *v);
  uint32_t *tmp = malloc((run->nfiles ? run->nfiles : 1) * sizeof *tmp);
  if (!v || !tmp) {
    free(v);
    free(tmp);
    return SLINK_ENOMEM;
  }
  for (size_t i = 0; i < run->nfiles; i++)
    v[i] = (uint32_t)i;
  size_t k = run->nfiles;
  sort_by_key(run->files, v, tmp, k, 0);
  k = keep_groups(run->files, v, k, 0);
  int rc = 0;
  for (int stage = 0; stage < 2 && rc == 0 && k > 0; stage++) {
    rc = run_pass(run, v, tmp, k, stage);
    sort_runs(run->files, v, tmp, k);
    k = keep_groups(run->files, v, k, 2);
  }
  free(tmp);
  if (rc != 0) {
    free(v);
    return rc;
  }
  *order = v;
  *n = k;
  return 0;
}
