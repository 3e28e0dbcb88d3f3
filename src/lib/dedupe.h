/* dedupe.h - what the parts of slink_dedupe() share: the files found, the
 * names they go by, and the run's state. The steps, one file each:
 * dedupe_collect.c (candidates from the walk), dedupe_hash.c (samples and
 * full hashes, narrowing groups), dedupe_compare.c (opening a pair and
 * comparing it), dedupe_replace.c (one name replaced), dedupe_group.c
 * (keepers, link limits, the reports), dedupe.c (the run). */
#ifndef SLINK_LIB_DEDUPE_H
#define SLINK_LIB_DEDUPE_H

#include "sys.h"

/* One inode, however many names it has in the walked trees. Kept small:
 * there is one per regular file found. */
typedef struct dd_file {
  uint64_t dev, ino, size;
  uint64_t ino_hi;      /* 128-bit file ids (ReFS, Dev Drives); else 0 */
  int64_t mtime, ctime;
  /* XXH3-128 of the file read whole (small files), else of its prefix
   * and suffix samples, then of the file read whole. */
  uint64_t h[2];
  /* XXH3-64 of the xattrs (slink__os_rf_xattrs), read in the file's last
   * hashing open where they must agree; 0 none (or not asked). */
  uint64_t xattrs;
  uint32_t nlink;
  uint32_t mode, uid, gid;
  int32_t mtime_ns, ctime_ns;
  uint32_t first_name;  /* index into the run's names; chained by next */
  int gone;             /* could not be read or changed: out of the running */
} dd_file;

/* One name of a file: its directory, and its last component in the
 * run's text (NUL-terminated). */
typedef struct dd_name {
  uint32_t leaf, len;   /* the component: run->text + leaf, LEN bytes */
  uint32_t dir;         /* index into the run's directories */
  uint32_t file;
  uint32_t next;        /* the file's next name, or DD_NONE */
  int done;             /* now a name of another file (linked) */
} dd_name;

/* A directory names were found in, as the walk saw it: its path as the
 * start of its entries' paths (with the separator; "" for none). */
typedef struct dd_dir {
  uint32_t off, len;    /* run->text + off, LEN bytes, NUL-terminated */
  uint64_t dev, ino, ino_hi;
} dd_dir;

/* A directory handle kept open between opens of files in it. */
typedef struct dd_dircache {
  uint32_t dir;
  slink__h *h;
} dd_dircache;

#define DD_NONE UINT32_MAX
#define DD_SAMPLE 4096u
/* Files up to this size are read whole by the first open: one read of a
 * few KiB costs less than opening the file again for a second pass, and
 * most files are small. Larger files get a prefix and a suffix sample in
 * that open, and a full hash only when the samples agree with another. */
#define DD_WHOLE (16u << 10)

typedef struct dd_run {
  const slink_dedupe_opts *opts;
  unsigned flags;
  uint64_t min_size;
  slink_dedupe_cb cb;
  void *ctx;
  slink_dedupe_stats stats;
  int first_error;
  int stop;             /* the callback's nonzero return */
  dd_file *files;
  size_t nfiles, cap_files;
  dd_name *names;
  size_t nnames, cap_names;
  dd_dir *dirs;
  size_t ndirs, cap_dirs;
  char *text;           /* every path, one after another */
  size_t text_len, text_cap;
  uint32_t *table;      /* (dev, ino) -> file, open addressing */
  size_t table_cap;
  slink__lock *lock;    /* hashing threads: stats, callback */
  unsigned char *buf[2];/* the compare's buffers (one thread) */
  uint64_t max_dev, max_links; /* the link limit last asked, and where */
  int max_known;
  dd_dircache dups;     /* the duplicates' directory, kept open */
  dd_dircache keeps;    /* the keepers' */
} dd_run;

/* Room for NEED elements of SIZE bytes in the array *PV (a pointer to
 * the array's pointer) of *CAP: doubled from FIRST until there is.
 * 0, or SLINK_ENOMEM with the array as it was. */
int slink__dd_grow(void *pv, size_t *cap, size_t need, size_t size,
                   size_t first);

/* Hand EV to the callback (STATS filled in); keeps its return in
 * run->stop. Called with run->lock held on hashing threads. */
void slink__dd_emit(dd_run *run, slink_dedupe_event *ev);
/* Report an error about PATH (not about a group). */
void slink__dd_error(dd_run *run, const char *path, int error, int os_error);
/* The same about name NAME of the run. */
void slink__dd_name_error(dd_run *run, uint32_t name, int error,
                          int os_error);

/* Walk ROOT and add its regular files. */
int slink__dd_collect(dd_run *run, const char *root);
void slink__dd_collect_free(dd_run *run);

/* Narrow the files to classes of equal size, device, samples and hash:
 * *ORDER gets the indices of the files left, sorted so that each class
 * is a run of equal keys; *N their number. */
int slink__dd_hash(dd_run *run, uint32_t **order, size_t *n);
/* Nonzero when files A and B hashed alike (same dev, size, hashes). */
int slink__dd_same_key(const dd_file *a, const dd_file *b);

/* An open file of the run with the directory it was opened from. */
typedef struct dd_open {
  slink__h *dir;
  int own_dir;          /* DIR is closed with it (not a cache's) */
  const char *leaf;     /* the name in DIR */
  slink__rf *f;
  slink__stat st;       /* through the descriptor, when opened */
  uint32_t name;        /* which of the run's names */
} dd_open;

enum {
  DD_GUARD = 1u << 0,   /* keep writers out (SLINK__RF_GUARD) */
  /* The file must be as it was when hashed (size, mtime, ctime); without
   * this the record takes what is found (only the size must agree). */
  DD_STRICT = 1u << 1
};
/* Open name NAME of its file through its directory (checked to be the one
 * found by the walk) and check the file is still that inode, with HOW
 * (DD_ flags). Returns 0, or a reason (SLINK_DEDUPE_R_...) with *ERR and *OS_ERR
 * for R_ERROR. */
int slink__dd_open(dd_run *run, uint32_t name, unsigned how, dd_open *o,
                   int *err, int *os_err);
/* The same, with the directory from CACHE when it is the one. */
int slink__dd_open_in(dd_run *run, uint32_t name, unsigned how,
                      dd_dircache *cache, dd_open *o, int *err, int *os_err);
/* Open directory DIR of the run, checked to be the one the walk saw:
 * 0, SLINK_ECHANGED, or an error. */
int slink__dd_open_dir(dd_run *run, uint32_t dir, slink__h **out,
                       int *os_err);
/* The path of name N as the walk gave it, malloc'd (NULL: no memory). */
char *slink__dd_path(const dd_run *run, uint32_t n);
/* The path of LEAF in name N's directory, the same way. */
char *slink__dd_path_beside(const dd_run *run, uint32_t n, const char *leaf);
/* The last component of name N. */
static inline const char *slink__dd_leaf(const dd_run *run, uint32_t n) {
  return run->text + run->names[n].leaf;
}
void slink__dd_close(dd_open *o);
/* Compare A and B byte for byte: 0 equal, SLINK_DEDUPE_R_DIFFERS, or
 * R_ERROR with *ERR. */
int slink__dd_compare(dd_run *run, dd_open *a, dd_open *b, int *err,
                      int *os_err);
/* Why keeper K and file D may not be merged (metadata the options do not
 * ignore, the xattrs by their digests), or 0. */
int slink__dd_meta_differs(const dd_run *run, const dd_file *k,
                           const dd_file *d);
/* 1 when the open files A and B carry the same xattrs, 0 when not, or an
 * error: the check through the handles the real run acts on. */
int slink__dd_xattrs_equal(dd_open *a, dd_open *b, int *os_err);

/* Make name NAME (open as D, compared with keeper K) a name of K.
 * Returns 0 linked, SLINK_EMLINK when K has no room for another name
 * (nothing changed), or a reason with *ERR. */
int slink__dd_replace(dd_run *run, dd_open *k, dd_open *d, uint32_t name,
                      int *err, int *os_err);
/* Share K's storage with D (reflink): 0, or a reason. */
int slink__dd_reflink(dd_run *run, dd_open *k, dd_open *d, int *err,
                      int *os_err);

/* Handle one class of files that hashed alike (CLASS holds N indices). */
int slink__dd_group(dd_run *run, const uint32_t *cls, size_t n);

#endif
