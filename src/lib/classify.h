/* classify.h - resolving a link's target and naming its states, shared by
 * slink_classify() and the tree walker. */
#ifndef SLINK_CLASSIFY_H
#define SLINK_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "slink.h"
#include "sys.h"

/* Canonical directories already seen to be real directories, so that the
 * components a thousand targets share are looked up once. One cache may
 * serve every thread of a walk. Its size is bounded: when full, it stops
 * taking new directories. */
typedef struct slink__dircache slink__dircache;

/* SHARED: sized for a whole walk, else for a few links. */
int slink__dircache_new(slink__dircache **out, int shared);
void slink__dircache_free(slink__dircache *c);

/* A growable string. */
typedef struct slink__buf {
  char *s;
  size_t len, cap;
} slink__buf;

typedef struct slink__resolver {
  const char *root;       /* canonical; NULL: nothing "escapes" */
  size_t root_len;
  slink__dircache *cache; /* NULL: made when first needed */
  int own_cache, cache_failed;
  slink__base *base;      /* NULL, or ROOT opened: paths below it are
                           * looked up from there */
  slink__buf scratch[3];  /* kept from one link to the next */
} slink__resolver;

/* PATH (canonical, LEN bytes) is a real directory on DEV: the walker
 * says so for each directory it lists. */
void slink__resolver_note_dir(slink__resolver *r, const char *path,
                              size_t len, uint64_t dev);

/* NAME, found in the listing of the canonical directory DIR, is a real
 * directory (its dev is not known yet). */
void slink__resolver_note_subdir(slink__resolver *r, const char *dir,
                                 size_t dir_len, const char *name,
                                 size_t name_len);

/* ROOT may be NULL; it is not copied. SHARED (may be NULL) is a cache
 * shared with other resolvers; it must outlive R. */
int slink__resolver_init(slink__resolver *r, const char *root,
                         slink__dircache *shared);
void slink__resolver_free(slink__resolver *r);

/* Classify the link whose kind and stored target are in INFO (kind,
 * target, target_len), held by the canonical directory DIR on the
 * filesystem DIR_DEV: sets resolved, target_kind, states, and a symbolic
 * link to a directory becomes SLINK_KIND_DIR_SYMLINK. */
int slink__classify(slink__resolver *r, const char *dir, uint64_t dir_dev,
                    slink_info *info);

#endif
