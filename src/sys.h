/*
 * sys.h - the contract between the portable core (src/lib) and a backend
 * (src/posix, src/win). Each backend implements every function here; the
 * core never calls the operating system itself.
 *
 * All paths are UTF-8 (POSIX: raw bytes). Functions return 0 or a negative
 * SLINK_E... code; the native error number of the last failure is kept in
 * *os_err where a function takes one (may be NULL).
 */
#ifndef SLINK_SYS_H
#define SLINK_SYS_H

#include "slink.h"

/* What lstat/stat tells, in the core's words. For a link, kind is the link
 * kind as far as the entry itself says (SLINK_KIND_SYMLINK for a POSIX
 * symlink whatever its target; junction or reparse kinds on NTFS). */
typedef struct slink__stat {
  slink_kind kind;
  uint64_t nlink;
  uint64_t dev;
  uint64_t ino;
  uint64_t size;
  int64_t mtime;
  uint32_t mode;
} slink__stat;

/* Describe PATH itself (no following). */
int slink__os_lstat(const char *path, slink__stat *st, int *os_err);
/* Describe what PATH resolves to (following links). A resolution cycle is
 * SLINK_ELOOP, a missing target SLINK_ENOENT, no permission SLINK_EACCES. */
int slink__os_stat(const char *path, slink__stat *st, int *os_err);

/* Read the link PATH: fills info->kind (the link kind on disk), target,
 * target_len, and for reparse points tag, substitute_name, print_name.
 * Not a link: SLINK_EINVAL. */
int slink__os_readlink(const char *path, slink_info *info, int *os_err);

/* Create a symbolic link LINK storing TARGET exactly. IS_DIR selects the
 * directory flag where the platform has one. Fails with SLINK_EEXIST when
 * LINK exists. */
int slink__os_symlink(const char *target, const char *link, int is_dir,
                      const char *drive, int *os_err);

/* Create a junction LINK to the absolute, existing directory ABS_TARGET.
 * Where the filesystem has no junctions, make the nearest equivalent (an
 * absolute symbolic link) and say so in *made_kind. DRIVE as in
 * slink_make_opts. */
int slink__os_junction(const char *abs_target, const char *link,
                       const char *drive, slink_kind *made_kind, int *os_err);

/* Create the hard link LINK to the existing TARGET (not following TARGET if
 * it is a symbolic link). */
int slink__os_hardlink(const char *target, const char *link, int *os_err);

/* Atomically replace TO with FROM (both in one directory). */
int slink__os_rename(const char *from, const char *to, int *os_err);

/* Remove the link or file name PATH (never a directory's contents, never a
 * link's target). EXPECT is what the caller read before: the entry removed
 * must still be that one (same dev and ino), or SLINK_ECHANGED. */
int slink__os_unlink(const char *path, const slink__stat *expect, int *os_err);

/* The names in directory DIR (without "." and ".."), unsorted, as a
 * malloc'd array of malloc'd strings. */
int slink__os_list_dir(const char *dir, char ***names, size_t *count,
                       int *os_err);

/* Every name of the file PATH from the filesystem's list of its hard
 * links, as paths a user can open; SLINK_ENOTSUP where there is no list. */
int slink__os_file_names(const char *path, char ***names, size_t *count,
                         int *os_err);

/* The absolute path of PATH with every link and "."/".." resolved. PATH
 * must exist. */
int slink__os_realpath(const char *path, char **out, int *os_err);

/* The current directory, absolute. */
int slink__os_getcwd(char **out, int *os_err);

/* Nonzero when PATH is absolute in this platform's syntax. */
int slink__os_is_absolute(const char *path);

/* Nonzero for a path separator byte of this platform. */
int slink__os_is_sep(char c);

/* Fill BUF with N unpredictable bytes (for temporary names). */
void slink__os_random(unsigned char *buf, size_t n);

/* Tree removal (slink_remove_tree). Remove NAME, a single component,
 * inside the directory PARENT (as the user wrote it; "." when the operand
 * had no directory part), and everything below it, never following a
 * link; DISPLAY is the operand as reports show it (it ends in NAME). The
 * backend refuses the root directory by identity (SLINK_EISROOT) and
 * follows every rule of slink_remove_tree(): FLAGS, reports through CB,
 * the return value. Handle-relative opens only; no path is resolved again
 * from the root once PARENT is open. */
int slink__os_remove_tree(const char *parent, const char *name,
                          const char *display, unsigned flags,
                          slink_tree_cb cb, void *ctx);

/* ==== Tree walk (slink_walk; owner: scan work) ====
 * The portable walker in src/lib/walk.c lists one directory at a time
 * through these calls and never opens a path below a link. A backend
 * implements all of them; the lock and thread calls may be trivial (a
 * platform without threads runs N = 1). */

/* An open directory being listed. */
typedef struct slink__dir slink__dir;

/* One entry of a listing. NAME is valid until the next call on the same
 * directory; it is never "." or "..". KIND is the entry's own kind, links
 * never followed: SLINK_KIND_SYMLINK for a POSIX symbolic link, the link
 * kinds of reparse points on Windows (junction, symlink, ...), or
 * SLINK_KIND_NONE when the listing does not say (the caller then asks
 * slink__os_dir_lstat). INO is the file id where the listing gives it,
 * else 0. */
typedef struct slink__dirent {
  const char *name;
  size_t name_len;
  slink_kind kind;
  uint64_t ino;
} slink__dirent;

/* Open the directory PATH (absolute and canonical: no component is a
 * link) for listing. PATH itself is not followed: a link there is
 * SLINK_ENOTDIR. *DEV gets the filesystem it is on (the dev that
 * slink__os_lstat gives for entries in it). At most one directory per
 * thread is open at a time. */
int slink__os_dir_open(const char *path, slink__dir **dir, uint64_t *dev,
                       int *os_err);
/* The next entry: 1 with *E filled, 0 at the end, or an error. */
int slink__os_dir_next(slink__dir *dir, slink__dirent *e, int *os_err);
/* slink__os_lstat of the entry NAME of DIR (no following). */
int slink__os_dir_lstat(slink__dir *dir, const char *name, slink__stat *st,
                        int *os_err);
/* slink__os_readlink of the entry NAME of DIR. */
int slink__os_dir_readlink(slink__dir *dir, const char *name,
                           slink_info *info, int *os_err);
/* An open directory that paths below it are looked up from, so that its
 * own components are not walked again for each one. */
typedef struct slink__base slink__base;
int slink__os_base_open(const char *dir, slink__base **out);
/* slink__os_lstat of DIR/REL (REL relative and not empty). */
int slink__os_base_lstat(slink__base *base, const char *rel, slink__stat *st,
                         int *os_err);
void slink__os_base_close(slink__base *base);
/* slink__os_readlink of PATH, a link on the filesystem DEV (the dev its
 * lstat gave): what kind of filesystem that is is asked once per DEV, not
 * once per link. */
int slink__os_readlink_on(const char *path, uint64_t dev, slink_info *info,
                          int *os_err);
void slink__os_dir_close(slink__dir *dir);

/* The number of processors this process may run on (1 if unknown). */
int slink__os_cpu_count(void);

/* A mutex with one condition: wait releases it until a wake. */
typedef struct slink__lock slink__lock;
int slink__os_lock_new(slink__lock **lock);
void slink__os_lock(slink__lock *lock);
void slink__os_unlock(slink__lock *lock);
/* Called with LOCK held: sleep until slink__os_wake(), holding it again
 * when it returns (spurious returns are allowed). */
void slink__os_wait(slink__lock *lock);
/* Wake every thread waiting on LOCK. */
void slink__os_wake(slink__lock *lock);
void slink__os_lock_free(slink__lock *lock);

/* Run FN(ARG) on N threads, one of them the caller's, and return when all
 * have returned. When a thread cannot be started, fewer run (at least the
 * caller's); FN must not depend on how many. */
void slink__os_run_threads(int n, void (*fn)(void *arg), void *arg);

#endif /* SLINK_SYS_H */
