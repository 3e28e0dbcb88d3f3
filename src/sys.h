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

/* Front-end support (src/cli may call these two). */

/* The program's arguments as UTF-8 strings. POSIX: ARGV itself. Windows:
 * converted from GetCommandLineW(). The array lives until exit. */
int slink__os_args(int argc, char **argv, char ***utf8_argv);

/* Write LEN bytes of UTF-8 text to standard output (FD 1) or standard
 * error (FD 2) the way the terminal or console needs it (Windows consoles:
 * WriteConsoleW; pipes and files: the bytes). Returns 0 or an error. */
int slink__os_write(int fd, const char *s, size_t len);

/* Nonzero when FD (1 or 2) is a terminal or console. */
int slink__os_isatty(int fd);

#endif /* SLINK_SYS_H */
