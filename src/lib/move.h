/* move.h - what the parts of slink_move() share: its journal
 * (move-journal.c) and its steps (move.c). */
#ifndef SLINK_LIB_MOVE_H
#define SLINK_LIB_MOVE_H

#include "lib/internal.h"
#include "sys.h"

#define SLINK__ASIDE_MAX 1023

/* A move in progress, as its journal records it. Each change of it is
 * written to a temporary name, flushed and renamed over the journal, so
 * a reader sees the old record or the new one, whole. */
typedef struct slink__journal {
  int by_copy;          /* across filesystems (else a rename) */
  int leave;            /* slink_leave */
  int copied;           /* DEST was copied, flushed and verified */
  int removing;         /* the old tree's removal has begun */
  int mounts;           /* -x: mounts below SRC stay, with the directories
                           leading to them, at the aside name */
  char *src, *dest;     /* both absolute and canonical */
  /* SRC's name aside in its parent: a temporary name, or with -x and
   * mounts the name the user is told, "LEAF.slink-mounts". */
  char aside[SLINK__ASIDE_MAX + 1];
} slink__journal;

/* The journal's name beside DEST's leaf LEAF (caller frees). */
char *slink__journal_name(const char *leaf);
int slink__journal_write(slink__h *dir, const char *name,
                         const slink__journal *j, int *os_err);
/* Remove the journal's temporary name a kill left behind, if any. */
void slink__journal_clear_temp(slink__h *dir, const char *name);
/* SLINK_ENOENT: there is none. */
int slink__journal_read(slink__h *dir, const char *name, slink__journal *j,
                        int *os_err);
void slink__journal_free(slink__journal *j);

/* Point every absolute link below NAME in DIR that names SRC (or below
 * it) at the same place under DEST (move-relink.c). */
int slink__move_relink(slink__h *dir, const char *name, const char *src,
                       const char *dest);

/* SLINK_ECHANGED, with the path (below SRC, caller frees) in *CHANGED,
 * when an entry of the old tree ASIDE in SDIR has no copy as it was
 * copied in DLEAF of DDIR (move-same.c). DIR_TIMES: directories' times
 * too (not once a removal has begun: it changes them). */
int slink__move_same(slink__h *sdir, const char *aside, const char *src,
                     slink__h *ddir, const char *dleaf, int dir_times,
                     int mounts, char **changed);

/* Remove the old tree OLD (a path), each entry only while it still has
 * its copy in DLEAF of DDIR: SLINK_ECHANGED, the first entry kept in
 * *KEPT (caller frees), when something stays (move-same.c). */
int slink__move_remove_old(const char *old, unsigned flags, slink_tree_cb cb,
                           void *ctx, slink__h *ddir, const char *dleaf,
                           char **kept);

#endif
