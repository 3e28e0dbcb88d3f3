/* clone.h - what the parts of slink_clone() share: the walk visitor
 * (clone.c), files (clone-file.c), links (clone-link.c) and the table of
 * hard-link groups (clone-group.c). */
#ifndef SLINK_LIB_CLONE_H
#define SLINK_LIB_CLONE_H

#include "lib/tree.h"
#include "sys.h"

/* The table of files with more than one name met so far: (dev, ino) of
 * the source to the path in DEST (relative to it) of the first name
 * made, which later names are linked to. */
typedef struct slink__groups {
  struct slink__group *slot;
  size_t cap, used;
} slink__groups;
const char *slink__groups_find(const slink__groups *g, const slink__stat *st);
/* Remember (or replace) REL, copied, for ST's file. */
int slink__groups_put(slink__groups *g, const slink__stat *st,
                      const char *rel);
void slink__groups_free(slink__groups *g);
/* A dry run's count of the names ST's group would have in DEST by now
 * (NULL: no group for ST), so that the link limit is judged as the real
 * run meets it. */
uint64_t *slink__groups_names(const slink__groups *g, const slink__stat *st);

/* One directory being cloned: its copy in DEST, its counterpart in PREV
 * (NULL where PREV has none) and how it looked in SRC. */
typedef struct slink__clone_level {
  slink__h *dst, *prev;
  slink__stat st;
  /* Links made into DST, proven in one listing of it (clone-verify.c). */
  char *pend;
  size_t pend_len, pend_cap, npend;
  int planned;          /* a dry run: DST would have been made */
} slink__clone_level;

/* Room clone-verify.c lists DEST's directories into, kept for the run. */
typedef struct slink__clone_scratch {
  char *buf;
  size_t cap;
  const char **v;
  size_t vcap;
} slink__clone_scratch;

typedef struct slink__clone {
  unsigned flags;
  int lazy;             /* files are not looked at before they are linked */
  int sync_each;        /* SLINK_CLONE_SYNC by an fsync a file and directory
                           (no one flush of DEST's filesystem here) */
  slink_clone_cb cb;
  void *ctx;
  slink_clone_progress_cb progress;
  slink_clone_stats *n;
  int first_err, stop;
  slink__h *droot;
  slink__stat droot_st;
  slink__clone_level *lv;
  size_t nlv;
  size_t root_len;      /* the display path's length: names follow it */
  char *src_abs;        /* SRC canonical, and as typed made absolute */
  char *src_lex;
  char *dest_abs;
  slink__groups groups;
  slink__clone_scratch scratch;
  int checking;         /* an entry taken again: links proven at once */
  struct slink__clone_par *par; /* two threads (clone-par.c), or NULL */
  int worker, holding;  /* this thread's number; depth of its lock */
  /* A dry run: nothing is made, every decision is handed to CB. DEST's
   * parent is looked at instead (DEST inside SRC is judged there). */
  int dry;
  slink__stat dparent_st;
  char *dleaf;
  uint64_t lm_dev, lm_max; /* the last link limit asked, and its device */
  int lm_known;
  int fast;             /* the real run would take slink__clone_file_fast */
  slink__groups dry_src; /* a dry run's names of source files linked to */
  /* --outer unroll (clone-unroll.c): the walk whose outer link this walk
   * copies (NULL for SRC's), the depth that link's directory is at in
   * it, and the targets copied so far (top walk's table, shared). */
  struct slink__clone *up;
  size_t up_depth;
  slink__groups *unrolled;
  slink__groups unrolled_tab;
  const char *as_name;  /* the name in DEST of the next file, when it is
                           not the source's (an unrolled file) */
} slink__clone;

/* Move -x (not a public flag of clone): a mount below SRC, also a volume
 * mounted in a folder, becomes an empty directory with the mount's own
 * mode and times, as cp -x leaves one, and a note (the one below). */
#define SLINK__CLONE_MOUNTS_EMPTY (1u << 31)
extern const char slink__clone_mount_note[];
/* The mount E as that empty directory: DONE, already made (at its ENTRY
 * visit) and open, or NULL: made in DDIR now. */
int slink__clone_mount(slink__clone *c, const slink__tree_ent *e,
                       slink__h *ddir, slink__h *done);

typedef struct slink__clone_par slink__clone_par;
/* Walk SRC (the root SH, *SST) with FN, on two threads where there are
 * two processors (clone-par.c). */
int slink__clone_walk(slink__clone *c, slink__h *sh, const slink__stat *sst,
                      const char *display, unsigned flags, slink__tree_fn fn);
/* The lock of what the threads share (no-ops on one thread); it may be
 * taken again by the thread holding it. */
void slink__clone_lock(slink__clone *c);
void slink__clone_unlock(slink__clone *c);
/* Nonzero when this thread or the other was asked to stop. */
int slink__clone_stopped(slink__clone *c);
/* Under the lock: the counts of both threads so far. */
const slink_clone_stats *slink__clone_counts(slink__clone *c);
/* The hard-link groups (one table for both threads: use under the lock). */
slink__groups *slink__clone_groups(slink__clone *c);
/* Nonzero when the root entry NAME is this thread's to clone. */
int slink__clone_claim(slink__clone *c, const char *name, int is_dir);
/* clone.c: make C's first level; close and free all of them. */
int slink__clone_levels(slink__clone *c);
void slink__clone_end(slink__clone *c);

/* The counters a proven link goes to. */
enum { SLINK__CLONE_LINKED = 1, SLINK__CLONE_PREV, SLINK__CLONE_INNER,
       SLINK__CLONE_KEPT };
/* Note the link NAME just made in L's DST: it must turn out to be of
 * KIND (and the inode INO, unless 0) when L is checked, and is counted
 * in COUNTER then. An error (memory; an entry taken again): prove it now. */
int slink__clone_pend(slink__clone *c, slink__clone_level *l,
                      const char *name, slink_kind kind, uint64_t ino,
                      int counter);
/* Prove L's noted links by one listing of its DST; a name that is not
 * what it was linked as is removed and, with E (the POST visit of the
 * directory), taken again from E->self; without E (the walk stopped)
 * only removed. Returns a walker answer. */
int slink__clone_check(slink__clone *c, slink__clone_level *l,
                       const slink__tree_ent *e);
/* The ENTRY visit of E (clone.c), for names taken again. */
int slink__clone_entry(slink__clone *c, const slink__tree_ent *e);

/* Hand a failure (ERR) or a NOTE on the entry to the callback; counts
 * errors. Returns SLINK__TA_STOP when the callback asked to stop. */
int slink__clone_emit(slink__clone *c, const slink__tree_ent *e,
                      slink_kind kind, int err, int os_err,
                      const char *note);
/* A dry run's decision on E (TARGET: a link's new text, or NULL). */
int slink__clone_plan(slink__clone *c, const slink__tree_ent *e,
                      slink_plan plan, const char *target);
/* Nonzero when a directory level of this walk or of a walk it was
 * started from is the directory ST: copying ST there would never end. */
int slink__clone_on_way(const slink__clone *c, size_t depth,
                        const slink__stat *st);
/* The entry's path below SRC ("a/b/name"). */
const char *slink__clone_rel(const slink__clone *c, const slink__tree_ent *e);

/* The regular file E into DDIR (PDIR: its directory in PREV, or NULL). */
int slink__clone_file(slink__clone *c, const slink__tree_ent *e,
                      slink__h *ddir, slink__h *pdir);
/* --hard without PREV, E not looked at (E->st NULL): a hard link made
 * first and looked at after, which proves it a regular file of SRC's,
 * as cp -al costs. Returns a walker answer, or 1: take the careful way
 * (the link limit, an error). */
int slink__clone_file_fast(slink__clone *c, const slink__tree_ent *e,
                           slink__h *ddir);
/* The symbolic link E into DDIR, inner ones pointed into DEST. */
int slink__clone_symlink(slink__clone *c, const slink__tree_ent *e,
                         slink__h *ddir);
/* The outer link E (its text TARGET) replaced in DDIR by a copy of what
 * it points to (clone-unroll.c). Returns a walker answer, or 1: keep it
 * as a link (dangling, or a loop), the note already handed over. */
int slink__clone_unroll(slink__clone *c, const slink__tree_ent *e,
                        slink__h *ddir, const char *target);
/* A hard link NAME in DDIR to the file at REL in DEST (a group's first
 * name, an unrolled file's copy). */
int slink__clone_join(slink__clone *c, const char *rel, slink__h *ddir,
                      const char *name, int *os_err);
/* The walker's visitor, for the walk of an unrolled directory too. */
int slink__clone_visit(int what, const slink__tree_ent *e, void *ctx);

/* The target in DEST for an absolute inner TARGET, or NULL when it is
 * outer (*OOM set when memory ran out); clone-link.c. */
char *slink__clone_rewrite(const slink__clone *c, const char *target,
                           int *oom);
/* The junction E into DDIR: an inner one pointed into DEST, an outer one
 * kept or dropped (clone-junction.c). */
int slink__clone_junction(slink__clone *c, const slink__tree_ent *e,
                          slink__h *ddir);

#endif
