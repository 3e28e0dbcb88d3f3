/* tree.h - the one tree walker (tree.c) that rm -r, fix, hardlinks, ls -R
 * and junction -s are visitors of. It holds directories by handle, each
 * opened relative to its parent without following and checked to be the
 * directory that was looked at; its depth lives on the heap and only a
 * few handles stay open. A visitor acts only through the handle of the
 * directory it is given, so a swap anywhere on the path can cost an
 * error, never an act outside the tree. */
#ifndef SLINK_LIB_TREE_H
#define SLINK_LIB_TREE_H

#include "sys.h"

/* What a visit is about. */
enum slink__tree_visit {
  /* An entry of a directory (depth 0: the operand). For a directory the
   * answer says whether to enter it; anything else may be acted on. */
  SLINK__TV_ENTRY,
  /* A directory was opened and verified (E->self); its entries follow. */
  SLINK__TV_DIR,
  /* Every entry of the directory E->self was handled (post-order). */
  SLINK__TV_POST,
  /* The walker could not do something for the entry: E->err says what
   * (SLINK_ECHANGED: it was swapped after it was looked at;
   * SLINK_EOTHERFS: another filesystem with SLINK__TREE_ONE_FS). With
   * E->self set the error is about reading that open directory, or, at
   * depth 0 of a walk from a handle, about the walk's way back up. */
  SLINK__TV_ERROR
};

/* What a visitor answers. */
enum slink__tree_answer {
  SLINK__TA_GO = 0, /* go on (an ENTRY that is a directory: enter it) */
  SLINK__TA_SKIP,   /* ENTRY: do not enter this directory */
  SLINK__TA_RETYPE, /* ENTRY: it is not what it was: look and visit again */
  SLINK__TA_AGAIN,  /* POST: the directory filled meanwhile: list it again */
  SLINK__TA_STOP    /* end the walk */
};

typedef struct slink__tree_ent {
  slink__h *dir;        /* the verified directory holding the entry (NULL
                           for the root of a walk from a handle) */
  const char *name;     /* the entry's name in DIR */
  slink__h *self;       /* DIR, POST (and some ERROR) visits: the entry's
                           own open, verified handle */
  const char *path;     /* the display path: the operand and the names */
  size_t path_len;
  size_t depth;         /* 0: the operand */
  slink_kind kind;      /* as listed, or looked at; SLINK_KIND_NONE:
                           unknown (no look was needed) */
  uint64_t ino;         /* from the listing; 0 where unknown */
  const slink__stat *st; /* what lstat said when it was looked at; every
                            directory is looked at; NULL otherwise */
  unsigned *dir_marks;  /* the visitor's own bits for DIR */
  unsigned *self_marks; /* ... for SELF (NULL without SELF) */
  unsigned rounds;      /* POST: times the directory has been listed */
  int err, os_err;      /* ERROR: what failed */
} slink__tree_ent;

typedef int (*slink__tree_fn)(int visit, const slink__tree_ent *e, void *ctx);

enum {
  /* Each directory's entries by byte value, the same on every run. */
  SLINK__TREE_SORTED = 1u << 0,
  /* Never enter another filesystem than the operand's: an ERROR visit
   * with SLINK_EOTHERFS. */
  SLINK__TREE_ONE_FS = 1u << 1,
  /* With SLINK__TREE_ONE_FS: a bind mount of the same filesystem below
   * the operand is another one too. */
  SLINK__TREE_NO_MOUNTS = 1u << 3,
  /* Visit every entry of a directory before entering any of its
   * subdirectories (then entered in the same order): the order
   * slink_walk() has always handed entries over in. */
  SLINK__TREE_ENTRIES_FIRST = 1u << 4,
  /* Look at every entry (E->st always set), not only directories and
   * entries the listing gives no type for. */
  SLINK__TREE_LOOK_ALL = 1u << 2
};

/* Walk NAME in the directory PARENT (its last component as the user
 * wrote it; DISPLAY is how paths start), visiting it and, if it is a
 * directory the visitor enters, everything below it. NAME NULL: PARENT is
 * itself the root of the walk (with *ROOT_ST, its identity), visited as a
 * directory at depth 0 with no ENTRY visit and no parent; the walker never
 * closes it. Returns 0, SLINK_ENOMEM, SLINK_ECHANGED when no verified way
 * back up to a directory remained (the walk stops there), or the
 * visitor's stop: a visitor that answers SLINK__TA_STOP keeps its reason
 * itself. */
int slink__tree_walk(slink__h *parent, const char *name,
                     const slink__stat *root_st, const char *display,
                     unsigned flags, slink__tree_fn fn, void *ctx);

/* Nonzero when the entry E is a folder a volume is mounted in (Windows;
 * ntfs-3g shows it as a junction): another filesystem (rmtree.c). */
int slink__tree_is_volume(const slink__tree_ent *e);

#ifdef SLINK_TEST_HOOKS
/* How many directory handles the walker keeps open at most (1: every
 * parent is reopened through ".." of its child). */
extern unsigned slink__tree_window;
#endif

/* slink_remove_tree() leaving each entry (not a directory) that KEEP,
 * asked just before its removal, says must stay: SLINK_ECHANGED for it,
 * and its directories stay too (rmtree.c; a move's old tree). */
typedef int (*slink__rm_keep_fn)(const slink__tree_ent *e, void *ctx);
int slink__remove_tree_keep(const char *path, unsigned flags,
                            slink_tree_cb cb, void *ctx,
                            slink__rm_keep_fn keep, void *keep_ctx);

#endif
