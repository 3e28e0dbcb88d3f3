/* classify.c - where a link leads and what is wrong with it. The target is
 * resolved one component at a time from the link's canonical directory,
 * as the kernel does, so a loop is caught by a hop limit and a cycle check
 * instead of holding the caller, and the path reached is known without a
 * realpath() per link. */
#include <stdlib.h>
#include <string.h>

#include "lib/atomic.h"
#include "lib/classify.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

/* The kernel's own limit on links followed in one lookup (Linux). A chain
 * longer than that is "too-long"; it is followed on, up to CYCLE_HOPS, only
 * to tell one that ends from a "loop": a link met again with the same path
 * after it, or a chain that has not ended by then (a link that contains
 * itself, "a -> a/x", grows with every turn). */
#define MAX_HOPS 40
#define CYCLE_HOPS (8 * MAX_HOPS)

static uint64_t fnv(uint64_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

#define FNV_START 14695981039346656037ull

/* Called for every byte of every path: "/" is a separator everywhere, so
 * the backend is asked only about the other bytes that might be one. */
static int is_sep(char c) {
  return c == '/' || (c == '\\' && slink__os_is_sep(c));
}

/* A cache shared by every thread of a walk: lookups take no lock. A slot,
 * once claimed, stays until the walk ends; when the cache is three
 * quarters full, new directories are simply not remembered. A slot holds
 * no path, only two 64-bit keys of it, so that the same bytes remember
 * five times as many directories (a tree of 85,000 directories fits):
 * the keys are seeded at random once per process, so that no name can be
 * chosen to make two paths look alike. */
#define SHARED_SLOTS ((size_t)1 << 17)
#define PRIVATE_SLOTS ((size_t)1 << 10)

typedef struct dkey {
  uint64_t a, b;
} dkey;

/* B's low bits: published (1), dev known (2); 0 while being filled. */
#define K_READY 1u
#define K_DEV 2u
#define K_FLAGS 3u

typedef struct dc_slot {
  slink__atomic_u64 a;   /* 0: free */
  slink__atomic_u64 b;
  slink__atomic_u64 dev;
} dc_slot;

struct slink__dircache {
  dc_slot *slots;
  size_t cap;
  slink__atomic_u64 used;
};

static slink__atomic_u64 key_seed;

static uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* The first caller's random seed is everyone's. */
static uint64_t seed(void) {
  uint64_t s = slink__atomic_load_acq_u64(&key_seed);
  if (s)
    return s;
  unsigned char rnd[8];
  slink__os_random(rnd, sizeof rnd);
  for (int i = 0; i < 8; i++)
    s = s << 8 | rnd[i];
  s |= 1;
  slink__atomic_claim_u64(&key_seed, s);
  return slink__atomic_load_acq_u64(&key_seed);
}

static dkey key_start(void) {
  uint64_t s = seed();
  dkey k = {mix(s), mix(s ^ 0x5bd1e995ull)};
  return k;
}

static dkey key_add(dkey k, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    k.a = (k.a ^ c) * 1099511628211ull;
    k.b = (k.b ^ c) * 0x9e3779b97f4a7c15ull;
  }
  return k;
}

static dkey key_of(const char *s, size_t n) { return key_add(key_start(), s, n); }

/* The two keys as a slot holds them. */
static uint64_t slot_a(dkey k) { return k.a ? k.a : 1; }
static uint64_t slot_b(dkey k) { return k.b & ~(uint64_t)K_FLAGS; }

int slink__dircache_new(slink__dircache **out, int shared) {
  slink__dircache *c = malloc(sizeof *c);
  if (!c)
    return SLINK_ENOMEM;
  c->cap = shared ? SHARED_SLOTS : PRIVATE_SLOTS;
  c->slots = calloc(c->cap, sizeof *c->slots);
  if (!c->slots) {
    free(c);
    return SLINK_ENOMEM;
  }
  for (size_t i = 0; i < c->cap; i++) {
    slink__atomic_init_u64(&c->slots[i].a, 0);
    slink__atomic_init_u64(&c->slots[i].b, 0);
    slink__atomic_init_u64(&c->slots[i].dev, 0);
  }
  slink__atomic_init_u64(&c->used, 0);
  (void)seed();
  *out = c;
  return 0;
}

void slink__dircache_free(slink__dircache *c) {
  if (!c)
    return;
  free(c->slots);
  free(c);
}

enum { MISS, HIT_DIR, HIT_DEV };

/* MISS, HIT_DIR (a real directory), or HIT_DEV (one on *DEV). A slot
 * still being filled is a miss. */
static int cache_get(slink__dircache *c, dkey k, uint64_t *dev) {
  if (!c)
    return MISS;
  uint64_t a = slot_a(k), b = slot_b(k);
  size_t mask = c->cap - 1;
  for (size_t n = 0, i = (size_t)a & mask; n < c->cap; n++, i = (i + 1) & mask) {
    uint64_t sa = slink__atomic_load_acq_u64(&c->slots[i].a);
    if (sa == 0)
      return MISS;
    if (sa != a)
      continue;
    uint64_t sb = slink__atomic_load_acq_u64(&c->slots[i].b);
    if (sb == 0)
      return MISS;
    if ((sb & ~(uint64_t)K_FLAGS) != b)
      continue;
    if (!(sb & K_DEV))
      return HIT_DIR;
    *dev = slink__atomic_load_u64(&c->slots[i].dev);
    return HIT_DEV;
  }
  return MISS;
}

/* Best effort: a cache that is full, or a slot another thread is filling,
 * only costs time. */
static void cache_put(slink__dircache *c, dkey k, uint64_t dev,
                      int dev_known) {
  if (!c)
    return;
  uint64_t a = slot_a(k), b = slot_b(k);
  uint64_t flags = K_READY | (dev_known ? K_DEV : 0);
  size_t mask = c->cap - 1;
  for (size_t n = 0, i = (size_t)a & mask; n < c->cap; n++, i = (i + 1) & mask) {
    dc_slot *s = &c->slots[i];
    uint64_t sa = slink__atomic_load_acq_u64(&s->a);
    if (sa == 0) {
      if (slink__atomic_load_u64(&c->used) * 4 >= c->cap * 3)
        return;
      if (!slink__atomic_claim_u64(&s->a, a)) {
        sa = slink__atomic_load_acq_u64(&s->a);
      } else {
        slink__atomic_add_u64(&c->used, 1);
        slink__atomic_store_u64(&s->dev, dev);
        slink__atomic_store_rel_u64(&s->b, b | flags);
        return;
      }
    }
    if (sa != a)
      continue;
    uint64_t sb = slink__atomic_load_acq_u64(&s->b);
    if (sb == 0)
      return;
    if ((sb & ~(uint64_t)K_FLAGS) != b)
      continue;
    if (dev_known && !(sb & K_DEV)) {
      slink__atomic_store_u64(&s->dev, dev);
      slink__atomic_store_rel_u64(&s->b, b | K_READY | K_DEV);
    }
    return;
  }
}

/* The private cache is made when first needed. */
static slink__dircache *cache_of(slink__resolver *r) {
  if (!r->cache && !r->cache_failed &&
      slink__dircache_new(&r->cache, 0) == 0)
    r->own_cache = 1;
  if (!r->cache)
    r->cache_failed = 1;
  return r->cache;
}

void slink__resolver_note_dir(slink__resolver *r, const char *path,
                              size_t len, uint64_t dev) {
  cache_put(cache_of(r), key_of(path, len), dev, 1);
}

void slink__resolver_note_subdir(slink__resolver *r, const char *dir,
                                 size_t dir_len, const char *name,
                                 size_t name_len) {
  slink__buf *b = &r->scratch[2];
  size_t need = dir_len + 1 + name_len + 1;
  if (b->cap < need) {
    char *s = realloc(b->s, need);
    if (!s)
      return;
    b->s = s;
    b->cap = need;
  }
  while (dir_len > 0 && is_sep(dir[dir_len - 1]))
    dir_len--;
  memcpy(b->s, dir, dir_len);
  b->s[dir_len] = '/';
  memcpy(b->s + dir_len + 1, name, name_len);
  size_t len = dir_len + 1 + name_len;
  cache_put(cache_of(r), key_of(b->s, len), 0, 0);
}

int slink__resolver_init(slink__resolver *r, const char *root,
                         slink__dircache *shared) {
  memset(r, 0, sizeof *r);
  r->root = root;
  r->root_len = root ? strlen(root) : 0;
  r->cache = shared;
  return 0;
}

void slink__resolver_free(slink__resolver *r) {
  for (int i = 0; i < 3; i++)
    free(r->scratch[i].s);
  if (r->own_cache)
    slink__dircache_free(r->cache);
  memset(r, 0, sizeof *r);
}

typedef slink__buf buf;

static int buf_reserve(buf *b, size_t more) {
  if (b->len + more + 1 <= b->cap)
    return 0;
  size_t n = b->cap ? b->cap : 256;
  while (n < b->len + more + 1)
    n *= 2;
  char *s = realloc(b->s, n);
  if (!s)
    return SLINK_ENOMEM;
  b->s = s;
  b->cap = n;
  return 0;
}

static int buf_add(buf *b, const char *s, size_t n) {
  if (buf_reserve(b, n) < 0)
    return SLINK_ENOMEM;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
  return 0;
}

static int buf_set(buf *b, const char *s, size_t n) {
  b->len = 0;
  return buf_add(b, s, n);
}

/* Length of the part of absolute PATH that names its root: "" on POSIX
 * (components follow as "/name"), "C:" for a drive path. */
static size_t root_prefix(const char *path, size_t len) {
  if (len >= 2 && path[1] == ':' && !is_sep(path[0]))
    return 2;
  return 0;
}

static void pop_component(buf *cur, size_t floor) {
  while (cur->len > floor && !is_sep(cur->s[cur->len - 1]))
    cur->len--;
  if (cur->len > floor)
    cur->len--;
  cur->s[cur->len] = '\0';
}

typedef struct walkstate {
  buf cur;      /* canonical path reached so far ("" is the root) */
  size_t floor; /* length of its root prefix */
  buf rest;     /* what is left to resolve */
  buf spare;    /* the next REST is built here */
  size_t pos;
  uint64_t seen[CYCLE_HOPS];
  int nseen;
  int hops;     /* links followed, the classified link itself included */
  int hashed;   /* KEY is that of CUR (kept as components are added) */
  dkey key;
} walkstate;

/* Start W at the root an absolute TARGET names. A rooted one ("\x": a
 * separator first, no drive, no "\\server") is on the drive of FROM, the
 * path the link was met on, as Windows resolves it, not on the current
 * drive. FROM may be W's own CUR. */
static int set_root(walkstate *w, const char *target, size_t tlen,
                    const char *from, size_t flen) {
  size_t fl = root_prefix(target, tlen);
  if (fl == 0 && tlen > 0 && is_sep(target[0]) &&
      !(tlen > 1 && is_sep(target[1])) && root_prefix(from, flen) == 2) {
    w->floor = 2;
    w->pos = 0; /* REST starts at the separator after the drive */
    if (from == w->cur.s) {
      w->cur.len = 2;
      w->cur.s[2] = '\0';
      return 0;
    }
    return buf_set(&w->cur, from, 2);
  }
  w->floor = fl;
  w->pos = fl;
  return buf_set(&w->cur, target, fl);
}

enum { R_OK, R_DANGLING, R_LOOP, R_DENIED, R_TOO_LONG };

/* Replace the link just reached (the last component of CUR) by its target
 * TARGET followed by what was still to resolve. */
static int splice(walkstate *w, const char *target, size_t tlen) {
  if (tlen > (size_t)1 << 30)
    return SLINK_ENAMETOOLONG;
  /* The same link met again with the same path after it never ends: a
   * cycle. Asked first, so that a cycle is a loop whatever its length. */
  uint64_t h = fnv(FNV_START, w->cur.s, w->cur.len);
  h = fnv(h, "", 1);
  h = fnv(h, w->rest.s + w->pos, w->rest.len - w->pos);
  for (int i = 0; i < w->nseen; i++)
    if (w->seen[i] == h)
      return R_LOOP;
  if (++w->hops > CYCLE_HOPS)
    return R_LOOP;
  w->seen[w->nseen++] = h;

  size_t more = w->rest.len > w->pos ? w->rest.len - w->pos : 0;
  buf next = w->spare;
  next.len = 0;
  int rc = buf_reserve(&next, tlen + 1 + more);
  w->spare = next;
  if (rc < 0)
    return rc;
  memcpy(next.s, target, tlen);
  next.len = tlen;
  if (more) {
    next.s[next.len++] = '/';
    memcpy(next.s + next.len, w->rest.s + w->pos, more);
    next.len += more;
  }
  next.s[next.len] = '\0';
  w->spare = w->rest;
  w->rest = next;
  w->pos = 0;
  if (slink__os_is_absolute(target)) {
    rc = set_root(w, target, tlen, w->cur.s, w->cur.len);
  } else {
    pop_component(&w->cur, w->floor);
  }
  return rc;
}

/* PATH longer than one system call takes: asked through a handle on its
 * directory, opened a piece at a time (OP: 0 lstat, 1 stat, 2 readlink
 * into *LI). Only such paths pay for it. */
static int long_path(const char *path, int op, slink__stat *st,
                     slink_info *li) {
  slink__h *d = NULL;
  char *leaf = NULL;
  int rc = slink__h_parent(path, &d, &leaf, NULL);
  if (rc == 0) {
    const char *n = *leaf ? leaf : NULL;
    if (op == 2)
      rc = slink__os_h_readlink(d, n ? n : ".", li, NULL);
    else if (op == 1 && n)
      rc = slink__os_h_stat(d, n, st, NULL);
    else
      rc = slink__os_h_lstat(d, n, st, NULL);
  }
  slink__os_h_close(d);
  free(leaf);
  return rc;
}

static int stat_any(const char *path, slink__stat *st) {
  int rc = slink__os_stat(path, st, NULL);
  return rc == SLINK_ENAMETOOLONG ? long_path(path, 1, st, NULL) : rc;
}

static int readlink_any(const char *path, uint64_t dev, slink_info *li) {
  int rc = slink__os_readlink_on(path, dev, li, NULL);
  return rc == SLINK_ENAMETOOLONG ? long_path(path, 2, NULL, li) : rc;
}

/* slink__os_lstat of PATH, from the root when it lies below it. */
static int lstat_in(const slink__resolver *r, const char *path, size_t len,
                    slink__stat *st) {
  size_t n = r->root_len;
  int rc;
  if (r->base && n > 1 && len > n + 1 && path[n] == '/' &&
      memcmp(path, r->root, n) == 0)
    rc = slink__os_base_lstat(r->base, path + n + 1, st, NULL);
  else
    rc = slink__os_lstat(path, st, NULL);
  return rc == SLINK_ENAMETOOLONG ? long_path(path, 0, st, NULL) : rc;
}

typedef struct outcome {
  int state;            /* R_... */
  slink_kind kind;      /* what the target is when R_OK */
  uint64_t dev;
  int known;            /* kind and dev are those of the path reached */
} outcome;

/* Follow W to its end. Returns 0 or SLINK_ENOMEM; the result is in *O. */
static int follow(walkstate *w, slink__resolver *r, outcome *o) {
  o->kind = SLINK_KIND_DIR;
  for (;;) {
    const char *s = w->rest.s;
    size_t n = w->rest.len;
    while (w->pos < n && is_sep(s[w->pos]))
      w->pos++;
    if (w->pos >= n) {
      o->state = R_OK;
      if (!o->known) {
        /* Ended on ".." (or at the root): ask about the directory. */
        slink__stat st;
        int rc = stat_any(w->cur.len ? w->cur.s : "/", &st);
        if (rc < 0) {
          o->state = rc == SLINK_EACCES ? R_DENIED : R_DANGLING;
          o->kind = SLINK_KIND_NONE;
        } else {
          o->kind = st.kind;
          o->dev = st.dev;
        }
      }
      return 0;
    }
    size_t start = w->pos;
    while (w->pos < n && !is_sep(s[w->pos]))
      w->pos++;
    size_t clen = w->pos - start;
    const char *comp = s + start;
    int last = w->pos >= n;
    if (clen == 1 && comp[0] == '.')
      continue;
    if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
      pop_component(&w->cur, w->floor);
      w->hashed = 0;
      o->known = 0;
      continue;
    }
    dkey h = w->hashed ? w->key : key_of(w->cur.s, w->cur.len);
    size_t before = w->cur.len;
    if (buf_add(&w->cur, "/", 1) < 0 || buf_add(&w->cur, comp, clen) < 0)
      return SLINK_ENOMEM;
    h = key_add(h, w->cur.s + before, w->cur.len - before);
    w->key = h;
    w->hashed = 1;
    int hit = cache_get(r->cache, h, &o->dev);
    if (hit != MISS) {
      /* A directory whose dev is not known yet is asked about only if the
       * path ends there. */
      o->kind = SLINK_KIND_DIR;
      o->known = hit == HIT_DEV;
      continue;
    }
    slink__stat st;
    int rc = lstat_in(r, w->cur.s, w->cur.len, &st);
    if (rc == SLINK_ENOMEM)
      return rc;
    if (rc == SLINK_EACCES || rc == SLINK_EPERM) {
      o->state = R_DENIED;
      return 0;
    }
    if (rc < 0) {
      o->state = rc == SLINK_ELOOP ? R_LOOP : R_DANGLING;
      return 0;
    }
    o->kind = st.kind;
    o->dev = st.dev;
    o->known = 1;
    if (st.kind == SLINK_KIND_DIR) {
      cache_put(cache_of(r), h, st.dev, 1);
      continue;
    }
    if (st.kind == SLINK_KIND_SYMLINK || st.kind == SLINK_KIND_DIR_SYMLINK ||
        st.kind == SLINK_KIND_JUNCTION || st.kind == SLINK_KIND_WSL_SYMLINK) {
      slink_info li;
      memset(&li, 0, sizeof li);
      li.kind = st.kind;
      rc = readlink_any(w->cur.s, st.dev, &li);
      if (rc == 0 && (!li.target || li.target_len == 0))
        rc = SLINK_ENOENT;
      if (rc == 0)
        rc = splice(w, li.target, li.target_len);
      w->hashed = 0;
      o->known = 0;
      slink_info_free(&li);
      if (rc == SLINK_ENOMEM)
        return rc;
      if (rc == SLINK_EACCES || rc == SLINK_EPERM) {
        o->state = R_DENIED;
        return 0;
      }
      if (rc != 0) {
        o->state = rc == R_LOOP || rc == R_TOO_LONG ? rc : R_DANGLING;
        return 0;
      }
      continue;
    }
    /* A file (or anything else that is not a directory): only the last
     * component may be one. */
    if (!last) {
      o->state = R_DANGLING;
      return 0;
    }
  }
}

/* "." or empty components, a trailing separator, or "name/..": text that
 * can go without changing where the link leads. */
static int is_messy(const char *t, size_t n) {
  size_t i = 0;
  int named = 0; /* a plain name came before: a following ".." undoes it */
  if (n == 1 && t[0] == '.')
    return 0; /* the directory itself: nothing to remove */
  if (slink__os_is_absolute(t))
    i = root_prefix(t, n);
  if (i < n && is_sep(t[i]))
    i++;
  while (i < n) {
    size_t start = i;
    while (i < n && !is_sep(t[i]))
      i++;
    size_t clen = i - start;
    if (clen == 0 || (clen == 1 && t[start] == '.'))
      return 1;
    if (clen == 2 && t[start] == '.' && t[start + 1] == '.') {
      if (named)
        return 1;
    } else {
      named = 1;
    }
    if (i < n) {
      i++;
      if (i == n)
        return 1; /* trailing separator */
    }
  }
  return 0;
}

static int inside(const slink__resolver *r, const char *path) {
  if (!r->root)
    return 1;
  size_t n = r->root_len;
  while (n > 0 && is_sep(r->root[n - 1]))
    n--;
  if (n == 0)
    return 1; /* the root directory holds everything */
  return strncmp(path, r->root, n) == 0 &&
         (path[n] == '\0' || is_sep(path[n]));
}

/* DIR and TARGET joined and ".." removed by text alone. */
static char *lexical(const char *dir, const char *target) {
  if (slink__os_is_absolute(target))
    return slink__path_lexical(target);
  char *joined = slink__path_join(dir, target);
  if (!joined)
    return NULL;
  char *r = slink__path_lexical(joined);
  free(joined);
  return r;
}

char *slink_target_shorten(const char *dir, const char *target,
                           int to_relative) {
  if (!dir || !target)
    return NULL;
  char *lex = lexical(dir, target);
  if (!lex)
    return NULL;
  if (slink__os_is_absolute(target) && !to_relative)
    return lex;
  char *rel = slink_path_relative(dir, lex);
  free(lex);
  return rel;
}

/* A relative target for which a shorter relative path exists, by building
 * both paths. */
static int is_lengthy_slow(const char *dir, const char *target) {
  char *tidy = slink_path_tidy(target);
  char *shorter = slink_target_shorten(dir, target, 0);
  int r = tidy && shorter && strlen(shorter) < strlen(tidy);
  free(tidy);
  free(shorter);
  return r;
}

/* The same answer from the lengths alone, with no allocation: it is asked
 * for every relative link. Paths with more components than fit here take
 * the slow route. */
#define MAX_COMPS 128

typedef struct comp {
  const char *s;
  size_t n;
} comp;

/* Appends the components of S[0..N) to V (at most MAX_COMPS); -1 if too
 * many. */
static int comps_of(const char *s, size_t n, comp *v, size_t *nv) {
  size_t i = 0;
  while (i < n) {
    while (i < n && is_sep(s[i]))
      i++;
    if (i >= n)
      break;
    size_t start = i;
    while (i < n && !is_sep(s[i]))
      i++;
    if (*nv >= MAX_COMPS)
      return -1;
    v[*nv].s = s + start;
    v[(*nv)++].n = i - start;
  }
  return 0;
}

static int is_dot_comp(const comp *c) { return c->n == 1 && c->s[0] == '.'; }
static int is_dotdot_comp(const comp *c) {
  return c->n == 2 && c->s[0] == '.' && c->s[1] == '.';
}

/* A "." or ".." component anywhere in PATH. */
static int has_dots(const char *path, size_t n) {
  for (const char *p = memchr(path, '.', n); p;
       p = memchr(p + 1, '.', n - (size_t)(p + 1 - path))) {
    size_t i = (size_t)(p - path);
    if (i > 0 && !is_sep(path[i - 1]))
      continue;
    size_t end = i + 1 < n && path[i + 1] == '.' ? i + 2 : i + 1;
    if (end >= n || is_sep(path[end]))
      return 1;
    if (i + 1 >= n)
      break;
  }
  return 0;
}

static int is_lengthy(const char *dir, const char *target, size_t tlen) {
  comp dc[MAX_COMPS], tc[MAX_COMPS], lex[2 * MAX_COMPS];
  size_t nd = 0, nt = 0, nl = 0;
  size_t dlen = strlen(dir);
  /* Only a canonical directory ("/..." or "C:/...") is handled here. */
  if (dlen == 0 || (!is_sep(dir[0]) && !(dlen >= 2 && dir[1] == ':')) ||
      has_dots(dir, dlen) || comps_of(target, tlen, tc, &nt) < 0)
    return is_lengthy_slow(dir, target);
  /* The target as slink_path_tidy writes it: "." components dropped. */
  size_t tidy = 0, kept = 0, ups = 0;
  int named = 0, mixed = 0;
  for (size_t i = 0; i < nt; i++) {
    if (is_dot_comp(&tc[i]))
      continue;
    if (is_dotdot_comp(&tc[i])) {
      mixed |= named;
      ups += !named;
    } else {
      named = 1;
    }
    tidy += tc[i].n;
    kept++;
  }
  tidy = kept ? tidy + kept - 1 : 1;
  if (ups == 0 && !mixed)
    return 0; /* nothing climbs: the shortest form is the tidy one */
  size_t floor = !is_sep(dir[0]) ? 1 : 0;
  if (!mixed && ups < MAX_COMPS) {
    /* UPS times "..", then names: only the last UPS components of the
     * directory matter (the ones the names may walk back into). */
    size_t end = dlen, got = 0;
    while (got < ups + floor) {
      while (end > 0 && is_sep(dir[end - 1]))
        end--;
      if (end == 0)
        break;
      size_t start = end;
      while (start > 0 && !is_sep(dir[start - 1]))
        start--;
      if (got < ups) {
        dc[ups - 1 - got].s = dir + start;
        dc[ups - 1 - got].n = end - start;
      }
      got++;
      end = start;
    }
    if (got == ups + floor) {
      size_t m = 0, k = 0;
      const comp *names[MAX_COMPS];
      for (size_t i = 0; i < nt; i++)
        if (!is_dot_comp(&tc[i]) && !is_dotdot_comp(&tc[i]))
          names[k++] = &tc[i];
      while (m < ups && m < k && names[m]->n == dc[m].n &&
             memcmp(names[m]->s, dc[m].s, dc[m].n) == 0)
        m++;
      size_t pieces = (ups - m) + (k - m), shorter = 3 * (ups - m);
      for (size_t i = m; i < k; i++)
        shorter += names[i]->n + 1;
      shorter = pieces ? shorter - 1 : 1;
      return shorter < tidy;
    }
  }
  if (comps_of(dir, dlen, dc, &nd) < 0)
    return is_lengthy_slow(dir, target);
  /* The directory and target joined, "." and ".." removed by text, as
   * slink__path_lexical does: a drive ("C:") is never removed. */
  floor = floor && nd + nt > 0 ? 1 : 0;
  for (size_t pass = 0; pass < 2; pass++) {
    const comp *v = pass ? tc : dc;
    size_t nv = pass ? nt : nd;
    for (size_t i = 0; i < nv; i++) {
      if (is_dot_comp(&v[i]) && (pass || i >= floor))
        continue;
      if (is_dotdot_comp(&v[i]) && (pass || i >= floor)) {
        if (nl > floor)
          nl--;
        continue;
      }
      lex[nl++] = v[i];
    }
  }
  /* From the directory to there, as slink_path_relative does. */
  size_t common = 0;
  while (common < nd && common < nl && dc[common].n == lex[common].n &&
         memcmp(dc[common].s, lex[common].s, dc[common].n) == 0)
    common++;
  if (common == 0 && !is_sep(dir[0]))
    return is_lengthy_slow(dir, target);
  size_t pieces = (nd - common) + (nl - common);
  size_t shorter = 3 * (nd - common);
  for (size_t i = common; i < nl; i++)
    shorter += lex[i].n + 1;
  shorter = pieces ? shorter - 1 : 1;
  return shorter < tidy;
}

int slink__classify(slink__resolver *r, const char *dir, uint64_t dir_dev,
                    slink_info *info) {
  const char *t = info->target;
  size_t tlen = info->target_len;
  free(info->resolved);
  info->resolved = NULL;
  info->target_kind = SLINK_KIND_NONE;
  info->states = 0;
  if (!t || tlen == 0 || memchr(t, '\0', tlen)) {
    info->states = SLINK_STATE_DANGLING | SLINK_STATE_RELATIVE;
    return 0;
  }
  int absolute = slink__os_is_absolute(t);
  walkstate w;
  memset(&w, 0, sizeof w);
  w.cur = r->scratch[0];
  w.rest = r->scratch[1];
  w.spare = r->scratch[2];
  w.hops = 1;
  int rc;
  if (absolute) {
    rc = set_root(&w, t, tlen, dir, strlen(dir));
  } else {
    rc = buf_set(&w.cur, dir, strlen(dir));
    /* A directory of "/" is the root, written "" here. */
    while (rc == 0 && w.cur.len > 0 && is_sep(w.cur.s[w.cur.len - 1]))
      w.cur.s[--w.cur.len] = '\0';
  }
  if (rc == 0)
    rc = buf_set(&w.rest, t, tlen);
  outcome o = {R_DANGLING, SLINK_KIND_NONE, 0, 0};
  if (rc == 0)
    rc = follow(&w, r, &o);
  if (rc < 0)
    goto out;
  if (w.hops > MAX_HOPS && o.state != R_LOOP)
    o.state = R_TOO_LONG;

  switch (o.state) {
  case R_OK:
    info->states |= SLINK_STATE_OK;
    info->target_kind = o.kind;
    if (o.dev != dir_dev)
      info->states |= SLINK_STATE_CROSS_DEVICE;
    if (o.kind == SLINK_KIND_DIR && info->kind == SLINK_KIND_SYMLINK)
      info->kind = SLINK_KIND_DIR_SYMLINK;
    info->resolved = w.cur.len ? slink__strndup(w.cur.s, w.cur.len)
                               : slink__strdup("/");
    break;
  case R_DANGLING:
    info->states |= SLINK_STATE_DANGLING;
    /* Where it would lead: the missing part added by text. */
    if (w.pos < w.rest.len)
      rc = buf_add(&w.cur, "/", 1) |
           buf_add(&w.cur, w.rest.s + w.pos, w.rest.len - w.pos);
    if (rc == 0)
      info->resolved = slink__path_lexical(w.cur.len ? w.cur.s : "/");
    break;
  case R_LOOP: info->states |= SLINK_STATE_LOOP; break;
  case R_TOO_LONG: info->states |= SLINK_STATE_TOO_LONG; break;
  default: info->states |= SLINK_STATE_DENIED; break;
  }
  if (rc < 0 || ((o.state == R_OK || o.state == R_DANGLING) &&
                 !info->resolved)) {
    rc = SLINK_ENOMEM;
    goto out;
  }

  if (absolute || info->kind == SLINK_KIND_JUNCTION)
    info->states |= SLINK_STATE_ABSOLUTE;
  else
    info->states |= SLINK_STATE_RELATIVE;
  if (is_messy(t, tlen))
    info->states |= SLINK_STATE_MESSY;
  if (!absolute && info->kind != SLINK_KIND_JUNCTION && is_lengthy(dir, t, tlen))
    info->states |= SLINK_STATE_LENGTHY;
  if (r->root) {
    /* A loop or a denied lookup has no end; judge it by its text. */
    char *where = info->resolved ? NULL : lexical(dir, t);
    const char *p = info->resolved ? info->resolved : where;
    if (p && !inside(r, p))
      info->states |= SLINK_STATE_ESCAPES;
    free(where);
  }
out:
  r->scratch[0] = w.cur;
  r->scratch[1] = w.rest;
  r->scratch[2] = w.spare;
  return rc;
}

int slink_classify(const char *dir, const char *target, size_t target_len,
                   const char *root, slink_info *info) {
  if (!dir || !target || !info)
    return SLINK_EINVAL;
  slink__stat st;
  int rc = slink__os_stat(dir, &st, NULL);
  if (rc < 0)
    return rc;
  char *saved = info->target;
  size_t saved_len = info->target_len;
  info->target = (char *)target;
  info->target_len = target_len;
  slink__resolver r;
  slink__resolver_init(&r, root, NULL);
  rc = slink__classify(&r, dir, st.dev, info);
  slink__resolver_free(&r);
  info->target = saved;
  info->target_len = saved_len;
  return rc;
}
