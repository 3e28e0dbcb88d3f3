/* fake.h - the files other systems keep in place of links: each format
 * decoded and encoded without any OS call (fake-cygwin.c, fake-lnk.c), and
 * Git's index (fake-git.c). A decoder returns 1 with the target when the
 * bytes are its format, 0 when they are not, or a negative code when they
 * carry its magic but a broken body. */
#ifndef SLINK_LIB_FAKE_H
#define SLINK_LIB_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "sys.h"

/* Windows file attributes that say what a file stands for. */
#define SLINK__ATTR_READONLY 0x1u
#define SLINK__ATTR_SYSTEM 0x4u
#define SLINK__ATTR_DIRECTORY 0x10u
#define SLINK__ATTR_NORMAL 0x80u /* none of the others */

/* Cygwin's limit on a target (SYMLINK_MAX, PATH_MAX - 1). */
#define SLINK__FAKE_TARGET_MAX 4095u
/* The largest file looked into: Cygwin reads shortcuts up to 256 KiB. */
#define SLINK__FAKE_FILE_MAX (4u * 65536u)

/* Cygwin's "!<symlink>" files (UTF-16 with BOM, or 8-bit) and Interix's
 * "IntxLNK\1". *FORM says which. */
int slink__cygwin_decode(const unsigned char *b, size_t n,
                         slink_fake_form *form, char **target, size_t *len);
/* TARGET (UTF-8) as the file Cygwin writes with winsymlinks:sys. */
int slink__cygwin_encode(const char *target, size_t len, unsigned char **buf,
                         size_t *n);
/* TARGET as the Interix file: the cookie and the UTF-16LE target, no NUL
 * (to be marked SYSTEM). */
int slink__interix_encode(const char *target, size_t len, unsigned char **buf,
                          size_t *n);

/* A shortcut (MS-SHLLINK). Cygwin's own (header flags description and
 * relative path only, POSIX path appended) gives SLINK_FORM_LNK_CYGWIN;
 * any other shortcut whose link information names a local or network
 * path gives SLINK_FORM_LNK_WINDOWS with that Windows path (2 instead of
 * 1 when it holds 8-bit names in a code page the shortcut does not
 * record: their bytes, not UTF-8); one that names no path (a URL, a shell
 * object): SLINK_ENOTPATH. */
int slink__lnk_decode(const unsigned char *b, size_t n, slink_fake_form *form,
                      char **target, size_t *len);
/* TARGET as the shortcut Cygwin writes (fake-lnk-make.c), recording the
 * Windows path WINPATH, with the ID list the shell gives for it if any;
 * laid out with the IDLEN bytes at IDLIST (0: none) as its ID list; and
 * that path for a shortcut in the canonical directory DIR. */
int slink__lnk_encode(const char *target, size_t len, const char *winpath,
                      unsigned char **buf, size_t *n);
int slink__lnk_layout(const char *target, size_t len, const char *winpath,
                      const unsigned char *idlist, size_t idlen,
                      unsigned char **buf, size_t *n);
int slink__lnk_winpath(const char *dir, const char *target, char **out);
/* The path an ID list (N bytes at B, after its size) spells from This PC
 * through a volume and file entries: 1 with it, SLINK_ENOTPATH when it
 * names a shell object. What a shortcut naming no path points at, for
 * the message ("Control Panel", "a URL", ...: static text). */
int slink__lnk_idlist_path(const unsigned char *b, size_t n, char **target,
                           size_t *len);
const char *slink__lnk_object(const unsigned char *b, size_t n);
/* *OUT (*LEN bytes, kept NUL-terminated) grown by N bytes at S, or by the
 * UTF-8 of BYTES bytes of UTF-16LE at B. */
int slink__lnk_append(char **out, size_t *len, const char *s, size_t n);
int slink__lnk_append_utf16(char **out, size_t *len, const unsigned char *b,
                            size_t bytes);
/* NAME ends in ".lnk", in any case: the only names read as shortcuts. */
int slink__ends_lnk(const char *name);

/* Git's indexes, one repository at a time (fake-git.c). */
typedef struct slink__git slink__git;
int slink__git_new(slink__git **out);
/* Write back every index changed; frees G. */
int slink__git_end(slink__git *g);

/* The answer of slink__git_find about an entry. */
typedef struct slink__git_entry {
  int repo;             /* which repository of the run; -1: none */
  char *rel;            /* the entry's path in the index (malloc'd) */
  const char *workdir;  /* the work tree, canonical, ending in "/" */
  int is_link;          /* the index says mode 120000 */
  int matches;          /* ... and BYTES hash to its blob */
} slink__git_entry;

/* Look up NAME in the canonical directory ABSDIR: the repository whose
 * work tree holds it, and whether the index keeps it as a symbolic link
 * whose blob is the LEN bytes at BYTES. 0 (see E) or a negative code. */
int slink__git_find(slink__git *g, const char *absdir, const char *name,
                    const void *bytes, size_t len, slink__git_entry *e);
void slink__git_entry_free(slink__git_entry *e);
/* Helpers both Git backends share (fake.c). The work tree each directory
 * of a run is in, asked once per directory: */
typedef struct slink__dirmap {
  struct slink__dirslot {
    char *dir;
    int repo;           /* -1: in no work tree */
  } *v;
  size_t n, cap, last;
} slink__dirmap;
/* 1 with *REPO when DIR was asked before, else 0. */
int slink__dirmap_get(slink__dirmap *m, const char *dir, int *repo);
int slink__dirmap_put(slink__dirmap *m, const char *dir, int repo);
void slink__dirmap_free(slink__dirmap *m);
/* NAME in the canonical ABSDIR as a path of the work tree WORKDIR
 * (canonical, ending in "/"), in *REL: 1, or 0 when it lies outside. */
int slink__git_relpath(const char *workdir, const char *absdir,
                       const char *name, char **rel);
/* The canonical form of a work tree's top directory, ending in "/". */
int slink__git_workdir(const char *top, char **out);

/* What each backend gives slink__git_find: the work tree holding the
 * canonical ABSDIR (*RI -1: none), and whether the index keeps REL there as
 * a symbolic link whose blob is the LEN bytes at BYTES. */
int slink__git_repo(slink__git *g, const char *absdir, int *ri,
                    const char **workdir);
int slink__git_blob(slink__git *g, int ri, const char *rel,
                    const void *bytes, size_t len, int *is_link,
                    int *matches);

/* One work tree's index read with libgit2 (fake-git2.c; fake-git2-none.c
 * in a build without it): init fails where the library cannot be loaded;
 * open gives the canonical top of the work tree holding DIR (*WORKDIR
 * NULL: none) and, when libgit2 reads its index, a handle (*OUT); blob and
 * refresh as slink__git_blob and slink__git_refresh; close writes the
 * index when WRITE. */
typedef struct slink__git2 slink__git2;
int slink__git2_init(void);
void slink__git2_shutdown(void);
int slink__git2_open(const char *dir, slink__git2 **out, char **workdir);
int slink__git2_close(slink__git2 *h, int write);
int slink__git2_blob(slink__git2 *h, const char *rel, const void *bytes,
                     size_t len, int *is_link, int *matches);
int slink__git2_refresh(slink__git2 *h, const char *rel,
                        const slink__stat *st);

/* One work tree's index as git itself reads it (fake-git-cli.c): the top
 * of the work tree holding DIR, canonical, ending in "/" (*WORKDIR NULL:
 * none); its links and their blobs, read once; an entry's answer as
 * slink__git_blob gives it (SLINK_EGITSPARSE: outside the sparse
 * checkout); the end, with `git update-index --refresh` when REFRESH. */
typedef struct slink__gitcli slink__gitcli;
int slink__gitcli_top(const char *dir, char **workdir);
int slink__gitcli_load(const char *workdir, slink__gitcli **out);
int slink__gitcli_blob(slink__gitcli *r, const char *rel, const void *bytes,
                       size_t len, int *is_link, int *matches);
int slink__gitcli_end(slink__gitcli *r, int refresh);

/* Record ST (the entry as it is now on disk) as the stat data of E's
 * index entry, as `git update-index --refresh` would. */
int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st);


/* Everything learnt about one entry by slink__fake_recognise. */
typedef struct slink__fake_rec {
  slink_fake f;         /* the answer */
  slink__stat st;       /* the entry, as read */
  unsigned char *bytes; /* a regular file: what it held */
  size_t nbytes;
  char *absdir;         /* its directory, canonical (asked when needed) */
  slink__git_entry git; /* Git's word on it (repo -1: none asked) */
} slink__fake_rec;

/* Recognise NAME in DIR (not followed). */
int slink__fake_recognise(slink_fakes *s, slink__h *dir, const char *name,
                          slink__fake_rec *r);
void slink__fake_rec_free(slink__fake_rec *r);
/* The parent of PATH open, and its last component (never "", "." or
 * ".."). */
int slink__fake_open_leaf(const char *path, slink__h **dir, char **leaf);
slink__git *slink__fakes_git(slink_fakes *s);
/* The canonical directory ABS (DIR's) as Windows names it, in *OUT
 * (malloc'd; NULL when no drive maps to it), asked once per directory of
 * a run (S may be NULL). */
int slink__fakes_windir(slink_fakes *s, slink__h *dir, const char *abs,
                        char **out);
/* R's directory DIR as a canonical path, in r->absdir (S may be NULL). */
int slink__fake_absdir(slink_fakes *s, slink__h *dir, slink__fake_rec *r);

#endif
