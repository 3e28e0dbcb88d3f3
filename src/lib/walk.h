/* walk.h - what slink_walk() hands its callback, inside the library: the
 * public entry and, for a walk on the tree walker, the verified handle of
 * the entry's directory that slink_walk_relink()/slink_walk_unlink() act
 * through. */
#ifndef SLINK_LIB_WALK_H
#define SLINK_LIB_WALK_H

#include "sys.h"

typedef struct slink__walk_item {
  slink_walk_entry pub; /* first: the callback's pointer is the item's */
  slink__h *dir;        /* the directory holding the entry; NULL: no act */
  const char *name;     /* the entry's name in DIR */
  slink__stat expect;   /* dev and ino of the entry as it was listed */
  int have_expect;
} slink__walk_item;

/* slink_walk() without SLINK_WALK_PARALLEL, on the tree walker: ROOT is a
 * directory, as *ST (its lstat) says. */
int slink__walk_tree(const char *root, const slink__stat *st, unsigned flags,
                     slink_walk_cb cb, void *ctx);

#ifdef SLINK_TEST_HOOKS
/* The threaded ordered walk's cap on directories listed but not yet
 * handed over (4,096), small in a test to reach it. */
extern size_t slink__walk_max_ready;
#endif

#endif
