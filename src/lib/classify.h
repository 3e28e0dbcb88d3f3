/* classify.h - resolving a link's target and naming its states, shared by
 * slink_classify() and the tree walker. */
#ifndef SLINK_CLASSIFY_H
#define SLINK_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "slink.h"

/* Canonical directories already seen to be real directories, so that the
 * components a thousand targets share are looked up once. Its size is
 * fixed: when full it starts again empty. */
typedef struct slink__dircache {
  struct slink__dircache_slot *slots;
  size_t cap, used;
} slink__dircache;

typedef struct slink__resolver {
  const char *root;       /* canonical; NULL: nothing "escapes" */
  size_t root_len;
  slink__dircache cache;
} slink__resolver;

/* PATH (canonical, LEN bytes) is a real directory on DEV: the walker
 * says so for each directory it lists. */
void slink__resolver_note_dir(slink__resolver *r, const char *path,
                              size_t len, uint64_t dev);

/* ROOT may be NULL; it is not copied. */
int slink__resolver_init(slink__resolver *r, const char *root);
void slink__resolver_free(slink__resolver *r);

/* Classify the link whose kind and stored target are in INFO (kind,
 * target, target_len), held by the canonical directory DIR on the
 * filesystem DIR_DEV: sets resolved, target_kind, states, and a symbolic
 * link to a directory becomes SLINK_KIND_DIR_SYMLINK. */
int slink__classify(slink__resolver *r, const char *dir, uint64_t dir_dev,
                    slink_info *info);

#endif
