/* walk.c - the tree walker behind scan, fix and hardlinks. Work is cut
 * into one job per directory: list it, classify its links, note its
 * subdirectories as new jobs. Worker threads take jobs from a stack, so
 * they work close to where the output is, and one thread at a time hands
 * the results to the callback: by default in a fixed order (a directory's
 * own entries sorted, then each subdirectory in turn), whatever the number
 * of threads. No link is ever entered. */
#include <stdlib.h>
#include <string.h>

#include "lib/classify.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "lib/walk.h"
#include "sys.h"

/* Directories listed but not yet handed over: a cap on memory when the
 * listing side runs ahead of the output side. */
#define MAX_READY 4096
#define MAX_THREADS 8
#ifdef SLINK_TEST_HOOKS
size_t slink__walk_max_ready = MAX_READY;
#define READY_CAP slink__walk_max_ready
#else
#define READY_CAP ((size_t)MAX_READY)
#endif
/* Past the cap, helpers list only what the output thread needs soon, up
 * to this many. */
#define NEAR_CAP (READY_CAP + READY_CAP / 4 + 1)
/* Directories a helper lists between two takings of the lock. */
#define BATCH 16

typedef struct result {
  const char *name;     /* in the job's NAMES; NULL: the error is about
                         * the job's directory */
  size_t name_len;
  slink_kind kind;
  uint64_t ino;
  int error, os_error;
  int has_info;
  slink_info info;
} result;

enum { J_PENDING, J_TAKEN, J_DONE };

typedef struct job {
  char *rel;            /* below the root, "" for the root itself */
  size_t rel_len;
  size_t depth;
  int state;
  uint64_t dev;         /* of the directory, once opened */
  slink__stat expect;   /* what its parent's look said it is (not for
                         * the root) */
  int loose;            /* EXPECT is only the listing's inode */
  result *res;
  size_t nres, capres;
  struct job **kids;
  size_t nkids, capkids;
  char *names;          /* the names its results point into */
  struct job *prev, *next; /* on the work stack */
  int queued;
} job;

typedef struct walker {
  unsigned flags;
  const char *root;     /* as given */
  size_t root_len;      /* without trailing separators */
  char *real;           /* canonical */
  size_t real_len;
  uint64_t root_dev;
  slink_walk_cb cb;
  void *ctx;
  slink__lock *lock;    /* guards everything below */
  slink__lock *cb_lock; /* one callback at a time (unordered mode) */
  job *work;            /* pending jobs, most recent first */
  job *work_tail;       /* the oldest pending job */
  int waiters;          /* threads asleep in slink__os_wait */
  size_t ready;         /* done, not yet handed over (ordered mode) */
  size_t active;        /* jobs not yet finished (unordered mode) */
  int emitter_taken;
  int helpers;          /* ordered mode: helper threads still listing */
  int starved;          /* descriptors ran out: the helpers stop */
  int emitter_waits;    /* for a directory a helper took */
  int finished;         /* every worker returns */
  int stop;             /* nonzero: what slink_walk returns */
  int first_error;
  job **emit;           /* ordered mode: jobs still to hand over */
  size_t nemit, capemit;
  char *path;           /* the display path being handed over */
  size_t path_cap;
  char *real_dir;       /* and the canonical path of its directory */
  size_t real_dir_cap;
  slink__dircache *dirs; /* shared by every thread's resolver */
  slink__h *root_h;      /* REAL, opened: every directory is opened
                          * beneath it, no link followed, and checked */
  slink__base *base;     /* REAL, opened */
} walker;

static int grow(void **v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need)
    n *= 2;
  void *nv = realloc(*v, n * size);
  if (!nv)
    return SLINK_ENOMEM;
  *v = nv;
  *cap = n;
  return 0;
}

/* Exactly NEED elements: a directory's result count is known before its
 * results are made, and thousands of directories wait to be handed over. */
static int reserve(void **v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  void *nv = realloc(*v, need * size);
  if (!nv)
    return SLINK_ENOMEM;
  *v = nv;
  *cap = need;
  return 0;
}

static void job_free(job *j) {
  for (size_t i = 0; i < j->nres; i++) {
    if (j->res[i].has_info)
      slink_info_free(&j->res[i].info);
  }
  free(j->res);
  free(j->names);
  free(j->kids);
  free(j); /* REL is part of it */
}

/* Free J and every job below it (none of them may be in use). */
static void job_free_tree(job *j) {
  job **stack = NULL;
  size_t n = 0, cap = 0;
  while (j) {
    for (size_t i = 0; i < j->nkids; i++)
      if (grow((void **)&stack, &cap, n + 1, sizeof *stack) == 0)
        stack[n++] = j->kids[i];
    job_free(j);
    j = n ? stack[--n] : NULL;
  }
  free(stack);
}

/* A job with room for a REL of LEN bytes after it: one allocation. */
static job *job_alloc(size_t len) {
  job *j = calloc(1, sizeof *j + len + 1);
  if (j) {
    j->rel = (char *)(j + 1);
    j->rel_len = len;
  }
  return j;
}

static job *job_new(const char *rel, size_t rel_len, size_t depth) {
  job *j = job_alloc(rel_len);
  if (!j)
    return NULL;
  memcpy(j->rel, rel, rel_len);
  j->depth = depth;
  return j;
}

static result *add_result(job *j) {
  if (grow((void **)&j->res, &j->capres, j->nres + 1, sizeof *j->res) < 0)
    return NULL;
  result *r = &j->res[j->nres++];
  memset(r, 0, sizeof *r);
  return r;
}

static void note_error(walker *w, int rc) {
  slink__os_lock(w->lock);
  if (!w->first_error)
    w->first_error = rc;
  slink__os_unlock(w->lock);
}

/* J's own directory failed: one result without a name. */
static void dir_failed(walker *w, job *j, int rc, int os_err) {
  result *r = add_result(j);
  if (r) {
    r->kind = SLINK_KIND_DIR;
    r->error = rc;
    r->os_error = os_err;
  }
  note_error(w, rc);
}

/* "REAL/REL" or "REAL/REL/NAME", in BUF (NULL: a new string). */
static char *real_path(const walker *w, const job *j, const char *name,
                       size_t name_len, char *buf) {
  size_t n = w->real_len + 1 + j->rel_len + 1 + name_len + 1;
  char *p = buf ? buf : malloc(n);
  if (!p)
    return NULL;
  size_t k = w->real_len;
  memcpy(p, w->real, k);
  if (j->rel_len) {
    if (k == 0 || !slink__os_is_sep(p[k - 1]))
      p[k++] = '/';
    memcpy(p + k, j->rel, j->rel_len);
    k += j->rel_len;
  }
  if (name) {
    if (k == 0 || !slink__os_is_sep(p[k - 1]))
      p[k++] = '/';
    memcpy(p + k, name, name_len);
    k += name_len;
  }
  p[k] = '\0';
  return p;
}

typedef struct entry {
  size_t off, len;
  const char *name;
  slink_kind kind;
  uint64_t ino;
} entry;

static int by_name(const void *a, const void *b) {
  return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static int add_kid(job *j, const char *name, size_t len,
                   const slink__stat *st, int loose) {
  size_t rl = j->rel_len ? j->rel_len + 1 + len : len;
  job *k = job_alloc(rl);
  if (!k)
    return SLINK_ENOMEM;
  char *rel = k->rel;
  if (j->rel_len) {
    memcpy(rel, j->rel, j->rel_len);
    rel[j->rel_len] = '/';
    memcpy(rel + j->rel_len + 1, name, len);
  } else {
    memcpy(rel, name, len);
  }
  k->depth = j->depth + 1;
  k->expect = *st;
  k->loose = loose;
  if (grow((void **)&j->kids, &j->capkids, j->nkids + 1, sizeof *j->kids) <
      0) {
    job_free(k);
    return SLINK_ENOMEM;
  }
  j->kids[j->nkids++] = k;
  return 0;
}

/* One entry of J's directory, kind known. */
static int take_entry(walker *w, slink__resolver *res, job *j, slink__h *d,
                      const char *dir_real, const entry *e) {
  slink_kind kind = e->kind;
  int os_err = 0;
  slink__stat st;
  /* A directory's open must find the object listed: the listing's inode,
   * or where the listing gives none, what a look finds. */
  int loose = kind == SLINK_KIND_DIR && e->ino != 0;
  if (loose) {
    memset(&st, 0, sizeof st);
    st.kind = kind;
    st.dev = j->dev;
    st.ino = e->ino;
  } else if (kind == SLINK_KIND_NONE || kind == SLINK_KIND_DIR) {
    int rc = slink__os_h_lstat(d, e->name, &st, &os_err);
    if (rc == SLINK_ENOENT)
      return 0; /* gone since it was listed */
    if (rc < 0) {
      result *r = add_result(j);
      if (!r)
        return SLINK_ENOMEM;
      r->name = e->name;
      r->name_len = e->len;
      r->error = rc;
      r->os_error = os_err;
      note_error(w, rc);
      return 0;
    }
    kind = st.kind;
  }
  int link = slink_kind_is_link(kind);
  if (kind == SLINK_KIND_DIR) {
    int rc = add_kid(j, e->name, e->len, &st, loose);
    if (rc < 0)
      return rc;
    /* Targets inside it need not look it up before it is listed. */
    if (w->flags & SLINK_WALK_CLASSIFY)
      slink__resolver_note_subdir(res, dir_real, strlen(dir_real), e->name,
                                  e->len);
  }
  if (!link && !(w->flags & SLINK_WALK_ALL) &&
      !slink__is_temp_name(e->name, e->len))
    return 0;
  result *r = add_result(j);
  if (!r)
    return SLINK_ENOMEM;
  r->name = e->name;
  r->name_len = e->len;
  r->kind = kind;
  r->ino = e->ino;
  if (!link || !(w->flags & SLINK_WALK_CLASSIFY))
    return 0;
  r->has_info = 1;
  r->info.kind = kind;
  r->info.ino = e->ino;
  r->info.dev = j->dev;
  int rc = 0;
  if (w->flags & SLINK_WALK_STAT) {
    rc = slink__os_h_lstat(d, e->name, &st, &os_err);
    if (rc == 0) {
      r->info.nlink = st.nlink;
      r->info.size = st.size;
      r->info.mtime = st.mtime;
      r->info.mode = st.mode;
      r->info.ino = st.ino;
    }
  }
  if (rc == 0)
    rc = slink__os_h_readlink(d, e->name, &r->info, &os_err);
  if (rc == 0)
    rc = slink__classify(res, dir_real, j->dev, &r->info);
  if (rc == SLINK_ENOMEM)
    return rc;
  if (rc < 0) {
    slink_info_free(&r->info);
    r->has_info = 0;
    r->error = rc;
    r->os_error = os_err;
    note_error(w, rc);
  } else {
    r->kind = r->info.kind;
  }
  return 0;
}

/* Open REL (LEN bytes, below the root) beneath the root, no link followed
 * anywhere on the way; a path longer than one open takes is opened a
 * piece at a time, each beneath the last. EXPECT (may be NULL) is checked
 * on the last piece; LISTED (SLINK__H_LISTED or 0) is given to it, with
 * *ST what the listing said. */
/* Each thread keeps the last directory it opened deeper than one open
 * takes, so that the next one below it (a deep chain is walked one level
 * after the other) is opened from there, not from the root again: the
 * cost of a deep tree stays linear in its depth. */
typedef struct deep_cache {
  char *rel;
  size_t len;
  slink__h *h;
} deep_cache;
static _Thread_local deep_cache deep;

static void deep_forget(void) {
  slink__os_h_close(deep.h);
  free(deep.rel);
  memset(&deep, 0, sizeof deep);
}

static void deep_keep(const char *rel, size_t len, slink__h *h) {
  slink__h *mine = NULL;
  char *copy = slink__strndup(rel, len);
  if (!copy ||
      slink__os_h_open(h, ".", SLINK__H_FOLLOW, NULL, &mine, NULL, NULL) < 0) {
    free(copy);
    return;
  }
  deep_forget();
  deep.rel = copy;
  deep.len = len;
  deep.h = mine;
}

/* Each thread also keeps open the directories above the one it lists,
 * each verified when it was opened, up to CHAIN_MAX of them: a directory
 * whose parent is among them is opened by its one name relative to it
 * (openat O_NOFOLLOW), not by its whole path from the root, a lookup per
 * level. A thread lists depth first, so the parent is nearly always
 * there. The open is checked against the listing as any other. */
#define CHAIN_MAX 16
typedef struct chain {
  char *rel;            /* the deepest level's path below the root */
  size_t cap;
  size_t n;
  size_t len[CHAIN_MAX]; /* each level's path: a prefix of REL */
  slink__h *h[CHAIN_MAX];
} chain;
static _Thread_local chain near;

static void chain_forget(void) {
  for (size_t i = 0; i < near.n; i++)
    slink__os_h_close(near.h[i]);
  free(near.rel);
  memset(&near, 0, sizeof near);
}

/* The handle of REL's parent (BASE: where REL's last name starts) when it
 * is kept, else NULL. Levels that are not above REL are closed. */
static slink__h *chain_parent(const char *rel, size_t len, size_t base) {
  while (near.n > 0) {
    size_t k = near.len[near.n - 1];
    if (k < len && slink__os_is_sep(rel[k]) && memcmp(rel, near.rel, k) == 0)
      break;
    slink__os_h_close(near.h[--near.n]);
  }
  return near.n > 0 && near.len[near.n - 1] + 1 == base ? near.h[near.n - 1]
                                                        : NULL;
}

/* H, REL's directory, becomes the deepest level (the highest one goes
 * when all are taken); H is closed when it cannot be kept. */
static void chain_keep(const char *rel, size_t len, slink__h *h) {
  if (grow((void **)&near.rel, &near.cap, len + 1, 1) < 0) {
    slink__os_h_close(h);
    return;
  }
  if (near.n == CHAIN_MAX) {
    slink__os_h_close(near.h[0]);
    memmove(near.h, near.h + 1, (CHAIN_MAX - 1) * sizeof *near.h);
    memmove(near.len, near.len + 1, (CHAIN_MAX - 1) * sizeof *near.len);
    near.n--;
  }
  /* The levels kept are above REL: only its last part is new. */
  size_t from = near.n ? near.len[near.n - 1] : 0;
  memcpy(near.rel + from, rel + from, len - from);
  near.rel[len] = '\0';
  near.len[near.n] = len;
  near.h[near.n++] = h;
}

static int open_rel(walker *w, const char *rel, size_t len,
                    const slink__stat *expect, unsigned listed,
                    slink__h **out, slink__stat *st, int *os_err) {
  slink__stat said;
  memset(&said, 0, sizeof said);
  if (listed)
    said = *st;
  if (len == 0)
    return slink__os_h_open(w->root_h, ".", SLINK__H_FOLLOW, NULL, out, st,
                            os_err);
  size_t max = slink__os_path_max();
  slink__h *cur = w->root_h;
  const char *whole = rel;
  size_t whole_len = len;
  if (len > max && deep.h && deep.len < len &&
      memcmp(rel, deep.rel, deep.len) == 0 && slink__os_is_sep(rel[deep.len])) {
    /* Beneath a directory that was itself opened beneath the root. */
    cur = deep.h;
    rel += deep.len + 1;
    len -= deep.len + 1;
  }
  slink__h *base = cur;
  int rc = 0;
  while (rc == 0) {
    size_t k = len;
    if (k > max) {
      k = max;
      while (k > 0 && !slink__os_is_sep(rel[k]))
        k--;
      if (k == 0)
        k = len; /* one name longer than the system takes: let it say so */
    }
    char *piece = slink__strndup(rel, k);
    slink__h *next = NULL;
    int last = k == len;
    if (last && listed)
      *st = said;
    rc = piece ? slink__os_h_open(cur, piece,
                                  SLINK__H_BENEATH | (last ? listed : 0),
                                  last ? expect : NULL, &next, st, os_err)
               : SLINK_ENOMEM;
    free(piece);
    if (cur != base)
      slink__os_h_close(cur);
    cur = next;
    if (rc < 0 || last)
      break;
    rel += k + 1;
    len -= k + 1;
  }
  if (rc < 0)
    return rc == SLINK_ENOTDIR ? SLINK_ECHANGED : rc;
  if (whole_len > max)
    deep_keep(whole, whole_len, cur);
  *out = cur;
  return 0;
}

/* Open J's directory and check it is the directory its parent listed. A
 * directory opened that is not the listing's inode (a mount point lists
 * the one below it) must be what a look at its name finds now. With
 * LISTED, a directory opened by its one name from its parent may leave
 * that check to its first listing (SLINK__H_LISTED), which then refuses
 * another directory before it gives any entry; *LISTED says whether it
 * may. */
static int open_job(walker *w, job *j, int *listed, slink__h **out,
                    int *os_err) {
  slink__stat st;
  const slink__stat *expect = j->rel_len && !j->loose ? &j->expect : NULL;
  size_t base = j->rel_len;
  while (base > 0 && !slink__os_is_sep(j->rel[base - 1]))
    base--;
  slink__h *above = j->rel_len ? chain_parent(j->rel, j->rel_len, base) : NULL;
  if (j->rel_len && base == 0)
    above = w->root_h; /* a directory of the root itself */
  int rc;
  unsigned how = 0;
  if (*listed && j->loose) {
    how = SLINK__H_LISTED;
    st = j->expect;
  }
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_OPEN, above, j->rel + base);
  if (above) {
    rc = slink__os_h_open(above, j->rel + base, how, expect, out, &st,
                          os_err);
    if (rc == SLINK_ENOTDIR)
      rc = SLINK_ECHANGED; /* a link now, where a directory was listed */
  } else {
    rc = open_rel(w, j->rel, j->rel_len, expect, how, out, &st, os_err);
  }
  /* The listing may refuse it only where the open was asked to leave the
   * check to it and did not find another directory itself. */
  *listed = rc == 0 && how && slink__same_file(&st, &j->expect);
  if (rc == 0 && j->rel_len && j->loose && !slink__same_file(&st, &j->expect)) {
    size_t n = j->rel_len;
    while (n > 0 && !slink__os_is_sep(j->rel[n - 1]))
      n--;
    slink__h *parent = NULL;
    slink__stat here, pst;
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_VERIFY, above, j->rel + n);
    int ok = open_rel(w, j->rel, n ? n - 1 : 0, NULL, 0, &parent, &pst,
                      NULL) == 0 &&
             slink__os_h_lstat(parent, j->rel + n, &here, NULL) == 0 &&
             slink__same_file(&here, &st);
    slink__os_h_close(parent);
    if (!ok) {
      slink__os_h_close(*out);
      *out = NULL;
      rc = SLINK_ECHANGED;
    }
  }
  if (rc == 0)
    j->dev = st.dev;
  return rc;
}

/* Each thread's copy of the listing it reads, kept between directories
 * (one allocation per directory less, and no growing). */
typedef struct listing_copy {
  entry *ents;
  size_t cap;
  char *names;
  size_t names_cap;
} listing_copy;
static _Thread_local listing_copy copy;

static void copy_forget(void) {
  free(copy.ents);
  free(copy.names);
  memset(&copy, 0, sizeof copy);
}

/* List J's directory and classify its links. When descriptors run out
 * (EMFILE), the thread's cached deep handle goes first; with DEFER a
 * thread that still cannot open one returns 1 without listing: a helper
 * then gives its work back and stops, and the output thread waits for
 * every helper to stop before it tries again, so the walk goes on with
 * fewer directories open at once. */
static int process(walker *w, slink__resolver *res, job *j, int defer) {
  /* Only classification looks at the directory's canonical path. */
  int classify = (w->flags & SLINK_WALK_CLASSIFY) != 0;
  char *dir_real = classify ? real_path(w, j, NULL, 0, NULL) : NULL;
  if (classify && !dir_real) {
    dir_failed(w, j, SLINK_ENOMEM, 0);
    return 0;
  }
  slink__h *d = NULL;
  int os_err = 0;
  int listed = 1;
  int rc = open_job(w, j, &listed, &d, &os_err);
  if (rc == SLINK_EMFILE && (deep.h || near.n)) {
    deep_forget();
    chain_forget();
    listed = 1;
    rc = open_job(w, j, &listed, &d, &os_err);
  }
  if (rc == SLINK_EMFILE && defer) {
    free(dir_real);
    return 1;
  }
  if (rc < 0) {
    dir_failed(w, j, rc, os_err);
    free(dir_real);
    return 0;
  }
  if (w->flags & SLINK_WALK_CLASSIFY)
    slink__resolver_note_dir(res, dir_real, strlen(dir_real), j->dev);
  if ((w->flags & SLINK_WALK_ONE_FS) && j->dev != w->root_dev) {
    slink__os_h_close(d);
    free(dir_real);
    return 0;
  }
  entry *ents = copy.ents;
  size_t n = 0, cap = copy.cap;
  char *names = copy.names;
  size_t used = 0, names_cap = copy.names_cap;
  slink__dirent de;
  /* Plain files are of no interest to most walks: they are dropped here,
   * before they cost a copy and a place in the sort. */
  int all = (w->flags & SLINK_WALK_ALL) != 0;
  while ((rc = slink__os_h_next(d, &de, &os_err)) > 0 || listed) {
    if (rc <= 0) {
      if (rc != SLINK_ECHANGED)
        break;
      /* The listing refused the directory opened: open it again and look
       * at it, as where a listing cannot tell (a directory swapped in
       * for the one listed is then walked only if a look at its name
       * finds it, as for a mount point). */
      slink__os_h_close(d);
      d = NULL;
      listed = 0;
      rc = open_job(w, j, &listed, &d, &os_err);
      if (rc < 0 || ((w->flags & SLINK_WALK_ONE_FS) && j->dev != w->root_dev))
        break;
      continue;
    }
    listed = 0; /* proven */
    /* Most entries are plain files: two calls less for each. */
    if (!all && (de.kind == SLINK_KIND_FILE ||
                 (de.kind != SLINK_KIND_NONE && de.kind != SLINK_KIND_DIR &&
                  !slink_kind_is_link(de.kind))) &&
        (de.name_len != SLINK__TEMP_LEN ||
         !slink__is_temp_name(de.name, de.name_len)))
      continue;
    if (grow((void **)&ents, &cap, n + 1, sizeof *ents) < 0 ||
        grow((void **)&names, &names_cap, used + de.name_len + 1, 1) < 0) {
      rc = SLINK_ENOMEM;
      break;
    }
    memcpy(names + used, de.name, de.name_len);
    names[used + de.name_len] = '\0';
    ents[n].off = used;
    ents[n].len = de.name_len;
    ents[n].kind = de.kind;
    ents[n].ino = de.ino;
    used += de.name_len + 1;
    n++;
  }
  int list_rc = rc, list_os = os_err;
  copy.ents = ents;
  copy.cap = cap;
  copy.names = names;
  copy.names_cap = names_cap;
  /* The results' names, exactly as long as they are. */
  names = used ? malloc(used) : NULL;
  if (used && !names) {
    n = 0;
    list_rc = SLINK_ENOMEM;
  } else if (used) {
    memcpy(names, copy.names, used);
  }
  for (size_t i = 0; i < n; i++)
    ents[i].name = names + ents[i].off;
  if (!(w->flags & SLINK_WALK_UNORDERED) && n > 1)
    qsort(ents, n, sizeof *ents, by_name);
  size_t nres = 0, nkids = 0;
  for (size_t i = 0; i < n; i++) {
    slink_kind k = ents[i].kind;
    nkids += k == SLINK_KIND_DIR || k == SLINK_KIND_NONE;
    nres += all || k == SLINK_KIND_NONE || slink_kind_is_link(k) ||
            slink__is_temp_name(ents[i].name, ents[i].len);
  }
  if (reserve((void **)&j->res, &j->capres, nres, sizeof *j->res) < 0 ||
      reserve((void **)&j->kids, &j->capkids, nkids, sizeof *j->kids) < 0) {
    n = 0;
    list_rc = SLINK_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    rc = take_entry(w, res, j, d, dir_real, &ents[i]);
    if (rc < 0) {
      list_rc = rc;
      break;
    }
  }
  /* Entries found before a failure are kept; the failure follows them. */
  if (list_rc < 0)
    dir_failed(w, j, list_rc, list_os);
  /* Its subdirectories are what this thread most likely lists next. */
  if (j->nkids > 0 && list_rc >= 0 && j->rel_len && d)
    chain_keep(j->rel, j->rel_len, d);
  else
    slink__os_h_close(d);
  j->names = names; /* the results' names */
  free(dir_real);
  return 0;
}

/* ---- handing results over ---- */

static int set_path(walker *w, const job *j, const char *name,
                    size_t name_len) {
  size_t need = w->root_len + 1 + j->rel_len + 1 + name_len + 1;
  if (grow((void **)&w->path, &w->path_cap, need, 1) < 0)
    return SLINK_ENOMEM;
  char *p = w->path;
  size_t k = 0;
  /* "." as the root shows names as they are, not as "./name". */
  int bare = w->root_len == 1 && w->root[0] == '.' && (j->rel_len || name);
  if (!bare) {
    memcpy(p, w->root, w->root_len);
    k = w->root_len;
  }
  const char *parts[2] = {j->rel_len ? j->rel : NULL, name};
  size_t lens[2] = {j->rel_len, name_len};
  for (int i = 0; i < 2; i++) {
    if (!parts[i])
      continue;
    if (k > 0 && !slink__os_is_sep(p[k - 1]))
      p[k++] = '/';
    memcpy(p + k, parts[i], lens[i]);
    k += lens[i];
  }
  p[k] = '\0';
  return (int)k;
}

/* Hand J's results to the callback; nonzero: stop. */
static int hand_over(walker *w, job *j) {
  char *dir_real = NULL;
  int rc = 0;
  for (size_t i = 0; i < j->nres && rc == 0; i++) {
    result *r = &j->res[i];
    int len = set_path(w, j, r->name, r->name_len);
    if (!dir_real &&
        grow((void **)&w->real_dir, &w->real_dir_cap,
             w->real_len + j->rel_len + 3, 1) == 0)
      dir_real = real_path(w, j, NULL, 0, w->real_dir);
    if (len < 0 || !dir_real)
      return SLINK_ENOMEM;
    slink__walk_item item;
    slink_walk_entry *e = &item.pub;
    memset(&item, 0, sizeof item);
    e->path = w->path;
    e->path_len = (size_t)len;
    e->real_dir = dir_real;
    e->depth = r->name ? j->depth + 1 : j->depth;
    e->kind = r->kind;
    e->ino = r->ino;
    e->dev = j->dev;
    e->info = r->has_info ? &r->info : NULL;
    e->error = r->error;
    e->os_error = r->os_error;
    if (w->cb)
      rc = w->cb(e, w->ctx);
  }
  return rc;
}

/* ---- the work stack (called with the lock held) ---- */

static void push_work(walker *w, job *j) {
  j->prev = NULL;
  j->next = w->work;
  if (w->work)
    w->work->prev = j;
  else
    w->work_tail = j;
  w->work = j;
  j->queued = 1;
}

static void sleep_on(walker *w) {
  w->waiters++;
  slink__os_wait(w->lock);
  w->waiters--;
}

/* Waking costs a system call; only pay it when someone sleeps. */
static void wake(walker *w) {
  if (w->waiters)
    slink__os_wake(w->lock);
}

static void unlink_work(walker *w, job *j) {
  if (!j->queued)
    return;
  if (j->prev)
    j->prev->next = j->next;
  else
    w->work = j->next;
  if (j->next)
    j->next->prev = j->prev;
  else
    w->work_tail = j->prev;
  j->prev = j->next = NULL;
  j->queued = 0;
}

/* J is listed: its subdirectories become work, first one on top. */
static void finish_job(walker *w, job *j) {
  j->state = J_DONE;
  for (size_t i = j->nkids; i-- > 0;)
    push_work(w, j->kids[i]);
}

static void stop_with(walker *w, int rc) {
  if (!w->stop)
    w->stop = rc;
  w->finished = 1;
  wake(w);
}

/* Unordered mode: results go out as soon as a directory is listed. */
static void worker_unordered(walker *w, slink__resolver *res) {
  slink__os_lock(w->lock);
  for (;;) {
    if (w->finished)
      break;
    job *j = w->work;
    if (!j) {
      sleep_on(w);
      continue;
    }
    unlink_work(w, j);
    j->state = J_TAKEN;
    slink__os_unlock(w->lock);
    process(w, res, j, 0);
    /* Nothing more reaches the callback once it said stop. */
    slink__os_lock(w->cb_lock);
    slink__os_lock(w->lock);
    int rc = w->stop;
    slink__os_unlock(w->lock);
    if (!rc) {
      rc = hand_over(w, j);
      if (rc) {
        slink__os_lock(w->lock);
        stop_with(w, rc);
        slink__os_unlock(w->lock);
      }
    }
    slink__os_unlock(w->cb_lock);
    slink__os_lock(w->lock);
    finish_job(w, j);
    w->active += j->nkids;
    w->active--;
    j->nkids = 0; /* they belong to the work stack now */
    job_free(j);
    if (rc != 0)
      stop_with(w, rc);
    else if (w->active == 0)
      w->finished = 1;
    wake(w);
  }
  slink__os_unlock(w->lock);
}

/* At the cap, the directories listed ahead wait for the output thread to
 * reach them, which may be at the very end: a helper that only slept then
 * would leave the output thread to list everything before it alone (a
 * tree ten times larger took twenty times longer). It lists instead one
 * directory the output thread will need soon: the second newest pending
 * one (the newest is what it takes itself next). Those are handed over
 * soon, so the few more held stay bounded by NEAR_CAP. Called with the
 * lock held; returns 0 when there was nothing to take. */
static int list_near(walker *w, slink__resolver *res) {
  job *j = w->work ? w->work->next : NULL;
  if (!j)
    return 0;
  unlink_work(w, j);
  j->state = J_TAKEN;
  slink__os_unlock(w->lock);
  int deferred = process(w, res, j, 1);
  slink__os_lock(w->lock);
  if (deferred) {
    /* Out of descriptors: give it back and stop, as below. */
    j->state = J_PENDING;
    push_work(w, j);
    w->starved = 1;
  } else {
    finish_job(w, j);
    w->ready++;
  }
  wake(w);
  return 1;
}

/* Ordered mode, helpers: take the oldest pending directory and list its
 * whole subtree, depth first. The thread that hands results over works
 * from the newest end, on what it needs next; taking whole subtrees from
 * the other end keeps the two from waiting on each other. */
static void worker_ordered(walker *w, slink__resolver *res) {
  job **mine = NULL;     /* this thread's subtree, still to list */
  size_t n = 0, cap = 0;
  job *batch[BATCH];     /* listed, not yet published */
  size_t nb = 0;
  slink__os_lock(w->lock);
  for (;;) {
    /* Publish what was listed: the lock is taken once per batch. */
    for (size_t i = 0; i < nb; i++)
      batch[i]->state = J_DONE;
    w->ready += nb;
    if (nb)
      wake(w);
    nb = 0;
    if (w->finished)
      break;
    if (w->starved) {
      for (size_t i = 0; i < n; i++) {
        mine[i]->state = J_PENDING;
        push_work(w, mine[i]);
      }
      wake(w);
      break;
    }
    if (n > 1 && w->emitter_waits) {
      /* The output thread caught up and waits for this helper's subtree:
       * what is not yet listed goes back to everyone, so that both
       * threads list it, the output thread from its front, this helper
       * from the far end (the oldest pending directory). */
      for (size_t i = 0; i < n; i++) {
        mine[i]->state = J_PENDING;
        push_work(w, mine[i]);
      }
      n = 0;
      wake(w);
    }
    if (n == 0 && w->ready >= READY_CAP) {
      if (w->ready < NEAR_CAP && list_near(w, res))
        continue;
      sleep_on(w);
      continue;
    }
    if (n == 0) {
      job *j = w->work_tail;
      if (!j || (!mine && grow((void **)&mine, &cap, 16, sizeof *mine) < 0)) {
        sleep_on(w);
        continue;
      }
      unlink_work(w, j);
      j->state = J_TAKEN;
      mine[n++] = j;
    }
    if (w->ready >= READY_CAP) {
      /* Directories taken but not listed: the output thread may be
       * waiting for one of them while this one waits for it. They go
       * back to everyone, the output thread included. */
      for (size_t i = 0; i < n; i++) {
        mine[i]->state = J_PENDING;
        push_work(w, mine[i]);
      }
      if (n)
        wake(w);
      n = 0;
      sleep_on(w);
      continue;
    }
    slink__os_unlock(w->lock);
    /* The subdirectories of a job not yet published are seen by no other
     * thread, so they are taken here without the lock. */
    int lost = 0;
    while (n > 0 && nb < BATCH && !lost) {
      job *j = mine[--n];
      if (process(w, res, j, 1)) {
        /* Out of descriptors: this helper stops and its directories go
         * back to everyone, the output thread included. */
        slink__os_lock(w->lock);
        mine[n++] = j;
        for (size_t i = 0; i < n; i++) {
          mine[i]->state = J_PENDING;
          push_work(w, mine[i]);
        }
        for (size_t i = 0; i < nb; i++)
          batch[i]->state = J_DONE;
        w->ready += nb;
        w->starved = 1;
        wake(w);
        slink__os_unlock(w->lock);
        free(mine);
        return;
      }
      if (grow((void **)&mine, &cap, n + j->nkids, sizeof *mine) < 0) {
        lost = 1;
      } else {
        for (size_t i = j->nkids; i-- > 0;) {
          j->kids[i]->state = J_TAKEN;
          mine[n++] = j->kids[i];
        }
        batch[nb++] = j;
      }
      if (lost) {
        slink__os_lock(w->lock);
        finish_job(w, j); /* its subdirectories go back to everyone */
        w->ready++;
        slink__os_unlock(w->lock);
      }
    }
    slink__os_lock(w->lock);
  }
  slink__os_unlock(w->lock);
  free(mine);
}

/* Ordered mode, the one thread that hands results over, in order; it
 * lists a directory itself when nobody has taken it yet. */
static void emitter(walker *w, slink__resolver *res) {
  slink__os_lock(w->lock);
  while (w->nemit > 0 && !w->stop) {
    job *j = w->emit[--w->nemit];
    while (j->state != J_DONE) {
      if (j->state == J_PENDING) {
        unlink_work(w, j);
        j->state = J_TAKEN;
        slink__os_unlock(w->lock);
        if (process(w, res, j, 1)) {
          slink__os_lock(w->lock);
          w->starved = 1;
          wake(w);
          while (w->helpers > 0)
            sleep_on(w);
          slink__os_unlock(w->lock);
          process(w, res, j, 0);
        }
        slink__os_lock(w->lock);
        finish_job(w, j);
        w->ready++;
        wake(w);
      } else {
        w->emitter_waits = 1;
        sleep_on(w);
        w->emitter_waits = 0;
      }
    }
    slink__os_unlock(w->lock);
    int rc = hand_over(w, j);
    slink__os_lock(w->lock);
    w->ready--;
    if (w->ready == READY_CAP - 1)
      wake(w);
    if (rc == 0 && grow((void **)&w->emit, &w->capemit, w->nemit + j->nkids,
                        sizeof *w->emit) < 0)
      rc = SLINK_ENOMEM;
    if (rc != 0) {
      w->emit[w->nemit++] = j; /* freed with the rest */
      stop_with(w, rc);
      break;
    }
    for (size_t i = j->nkids; i-- > 0;)
      w->emit[w->nemit++] = j->kids[i];
    j->nkids = 0;
    job_free(j);
  }
  w->finished = 1;
  wake(w);
  slink__os_unlock(w->lock);
}

static void thread_main(void *arg) {
  walker *w = arg;
  slink__resolver res;
  slink__resolver_init(&res, w->real, w->dirs);
  res.base = w->base;
  if (w->flags & SLINK_WALK_UNORDERED) {
    worker_unordered(w, &res);
  } else {
    slink__os_lock(w->lock);
    int mine = !w->emitter_taken;
    w->emitter_taken = 1;
    slink__os_unlock(w->lock);
    if (mine) {
      emitter(w, &res);
    } else {
      slink__os_lock(w->lock);
      w->helpers++;
      slink__os_unlock(w->lock);
      worker_ordered(w, &res);
      /* The output thread may wait for every helper's descriptors. */
      chain_forget();
      deep_forget();
      slink__os_lock(w->lock);
      w->helpers--;
      wake(w);
      slink__os_unlock(w->lock);
    }
  }
  slink__resolver_free(&res);
  deep_forget();
  chain_forget();
  copy_forget();
}

/* ROOT is a link: it is the one entry, never entered. It is read, and
 * may be acted on, through the handle of its directory. */
static int walk_link_root(walker *w, const slink__stat *st) {
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = st->kind;
  in.nlink = st->nlink;
  in.dev = st->dev;
  in.ino = st->ino;
  int os_err = 0;
  slink__h *dir = NULL;
  char *leaf = NULL, *parent_real = NULL;
  slink__stat pst, now;
  int rc = slink__h_parent(w->root, &dir, &leaf, &os_err);
  if (rc == 0)
    rc = slink__os_h_lstat(dir, leaf, &now, &os_err);
  if (rc == 0 && !slink__same_file(&now, st))
    rc = SLINK_ECHANGED;
  if (rc == 0)
    rc = slink__os_h_realpath(dir, &parent_real, &os_err);
  if (rc == 0)
    rc = slink__os_h_lstat(dir, NULL, &pst, &os_err);
  if (rc == 0 && (w->flags & SLINK_WALK_CLASSIFY)) {
    rc = slink__os_h_readlink(dir, leaf, &in, &os_err);
    if (rc == 0) {
      slink__resolver res;
      slink__resolver_init(&res, parent_real, NULL);
      rc = slink__classify(&res, parent_real, pst.dev, &in);
      slink__resolver_free(&res);
    }
  }
  slink__walk_item item;
  slink_walk_entry *e = &item.pub;
  memset(&item, 0, sizeof item);
  if (rc == 0) {
    item.dir = dir;
    item.name = leaf;
    item.expect = now;
    item.have_expect = 1;
  }
  e->path = w->root;
  e->path_len = strlen(w->root);
  e->real_dir = parent_real ? parent_real : "";
  e->kind = in.kind;
  e->ino = st->ino;
  e->dev = rc == 0 ? pst.dev : 0;
  e->info = rc == 0 && (w->flags & SLINK_WALK_CLASSIFY) ? &in : NULL;
  e->error = rc;
  e->os_error = os_err;
  int cb_rc = w->cb ? w->cb(e, w->ctx) : 0;
  slink_info_free(&in);
  slink__os_h_close(dir);
  free(parent_real);
  free(leaf);
  return cb_rc ? cb_rc : rc;
}

static int report_root(walker *w, slink_kind kind, int rc, int os_err) {
  slink__walk_item item;
  slink_walk_entry *e = &item.pub;
  memset(&item, 0, sizeof item);
  e->path = w->root;
  e->path_len = strlen(w->root);
  e->real_dir = "";
  e->kind = kind;
  e->error = rc;
  e->os_error = os_err;
  int cb_rc = w->cb ? w->cb(e, w->ctx) : 0;
  return cb_rc ? cb_rc : rc;
}

int slink_walk(const char *root, unsigned flags, slink_walk_cb cb,
               void *ctx) {
  if (!root || !*root)
    return SLINK_EEMPTYPATH;
  walker w;
  memset(&w, 0, sizeof w);
  w.flags = flags;
  w.root = root;
  w.root_len = strlen(root);
  while (w.root_len > 1 && slink__os_is_sep(root[w.root_len - 1]))
    w.root_len--;
  w.cb = cb;
  w.ctx = ctx;

  slink__stat st;
  int os_err = 0;
  int rc = slink__os_lstat(root, &st, &os_err);
  if (rc < 0)
    return report_root(&w, SLINK_KIND_NONE, rc, os_err);
  if (slink_kind_is_link(st.kind))
    return walk_link_root(&w, &st);
  if (st.kind != SLINK_KIND_DIR)
    return report_root(&w, st.kind, SLINK_ENOTDIR, 0);
  /* One thread: the tree walker, by handle, whatever the depth. */
  if (!(flags & SLINK_WALK_PARALLEL) || (flags & SLINK_WALK_DEPTH_FIRST))
    return slink__walk_tree(root, &st, flags, cb, ctx);
  slink__stat now;
  rc = slink__h_open_dir(root, &w.root_h, &now, &os_err);
  if (rc == 0 && !slink__same_file(&now, &st))
    rc = SLINK_ECHANGED; /* swapped since it was looked at */
  if (rc == 0)
    rc = slink__os_h_realpath(w.root_h, &w.real, &os_err);
  if (rc < 0) {
    slink__os_h_close(w.root_h);
    return report_root(&w, st.kind, rc, os_err);
  }
  w.real_len = strlen(w.real);
  w.root_dev = st.dev;

  int threads = 1;
  if (flags & SLINK_WALK_PARALLEL) {
    threads = slink__os_cpu_count();
    if (threads > MAX_THREADS)
      threads = MAX_THREADS;
    if (threads < 2)
      threads = 2;
  }
  job *top = job_new("", 0, 0);
  if (!top || slink__os_lock_new(&w.lock) < 0 ||
      slink__os_lock_new(&w.cb_lock) < 0) {
    rc = SLINK_ENOMEM;
    goto out;
  }
  top->dev = st.dev;
  if (flags & SLINK_WALK_UNORDERED) {
    push_work(&w, top);
    w.active = 1;
  } else {
    w.emit = malloc(16 * sizeof *w.emit);
    if (!w.emit) {
      rc = SLINK_ENOMEM;
      goto out;
    }
    w.capemit = 16;
    w.emit[w.nemit++] = top;
  }
  top = NULL;
  /* Without it each thread keeps its own cache. */
  if ((flags & SLINK_WALK_CLASSIFY) && slink__dircache_new(&w.dirs, 1) < 0)
    w.dirs = NULL;
  /* Without it targets are looked up by their whole path. */
  if ((flags & SLINK_WALK_CLASSIFY) && slink__os_base_open(w.real, &w.base) < 0)
    w.base = NULL;
  slink__os_run_threads(threads, thread_main, &w);
  rc = w.stop ? w.stop : w.first_error;

out:
  /* After a stop, what was never handed over: the emit list owns every
   * job still alive (work-stack jobs are children of those). In unordered
   * mode the work stack itself owns them. */
  for (size_t i = 0; i < w.nemit; i++)
    job_free_tree(w.emit[i]);
  if (flags & SLINK_WALK_UNORDERED)
    while (w.work) {
      job *j = w.work;
      unlink_work(&w, j);
      job_free_tree(j);
    }
  if (top)
    job_free(top);
  free(w.emit);
  free(w.path);
  free(w.real_dir);
  slink__dircache_free(w.dirs);
  slink__os_base_close(w.base);
  slink__os_h_close(w.root_h);
  free(w.real);
  if (w.lock)
    slink__os_lock_free(w.lock);
  if (w.cb_lock)
    slink__os_lock_free(w.cb_lock);
  return rc;
}

int slink_mount_point(const char *path, char **out) {
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  slink__stat st;
  int rc = slink__os_lstat(path, &st, NULL);
  if (rc < 0)
    return rc;
  char *dir;
  if (st.kind == SLINK_KIND_DIR) {
    rc = slink__canonical(path, &dir, NULL);
  } else {
    char *stripped = slink__path_strip_trailing(path);
    char *parent = stripped ? slink__path_dirname(stripped) : NULL;
    rc = parent ? slink__canonical(parent, &dir, NULL) : SLINK_ENOMEM;
    free(parent);
    free(stripped);
  }
  if (rc < 0)
    return rc;
  /* Climb while the parent is on the same filesystem. */
  for (;;) {
    char *up = slink__path_dirname(dir);
    if (!up) {
      free(dir);
      return SLINK_ENOMEM;
    }
    slink__stat ust;
    if (strcmp(up, dir) == 0 || slink__os_stat(up, &ust, NULL) < 0 ||
        ust.dev != st.dev) {
      free(up);
      break;
    }
    free(dir);
    dir = up;
  }
  *out = dir;
  return 0;
}
