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
  uint64_t ino_hi;      /* the upper half of a 128-bit file id (ReFS); 0 */
  uint64_t size;
  int64_t mtime;
  int32_t mtime_ns;     /* nanoseconds of mtime and ctime */
  int32_t ctime_ns;
  int64_t ctime;        /* status change (POSIX); change time (Windows) */
  uint32_t mode;
  uint32_t uid, gid;    /* 0 where the platform has none */
  uint32_t attrs;       /* Windows file attributes; 0 elsewhere */
  uint32_t tag;         /* the reparse tag of a reparse point; 0 */
} slink__stat;

/* Nonzero when A and B describe the same file (device and file id). */
static inline int slink__same_file(const slink__stat *a, const slink__stat *b) {
  return a->dev == b->dev && a->ino == b->ino && a->ino_hi == b->ino_hi;
}

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

/* NAME, the last component of a path a user typed, as the system's rules
 * for typed paths take it: Windows would send a device name (CON, NUL,
 * aux.txt) to the device and drop a trailing dot or space, so those are
 * SLINK_ERESERVED / SLINK_EBADNAME there; POSIX takes every name (0). */
int slink__os_check_typed_name(const char *name);

/* Fill BUF with N unpredictable bytes (for temporary names). */
void slink__os_random(unsigned char *buf, size_t n);

/* Tree walks (src/lib/tree.c, walk.c) list directories through the
 * handle calls below. One entry of a listing: NAME is valid until the
 * next call on the same directory; it is never "." or "..". KIND is the
 * entry's own kind, links never followed: SLINK_KIND_SYMLINK for a POSIX
 * symbolic link, the link kinds of reparse points on Windows (junction,
 * symlink, ...), or SLINK_KIND_NONE when the listing does not say (the
 * caller then asks slink__os_h_lstat). INO is the file id where the
 * listing gives it, else 0. */
typedef struct slink__dirent {
  const char *name;
  size_t name_len;
  slink_kind kind;
  uint64_t ino;
} slink__dirent;

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

/* ---- Directory handles ----
 * Every operation on a tree, and every operation on a path a user named,
 * is done relative to a handle on the directory that holds the entry:
 * the check and the act then address the same directory, and a directory
 * swapped on the path redirects both or neither. Names given to the calls
 * below are single components (no separator, never "." or "..") unless a
 * flag says otherwise. POSIX: a directory descriptor (openat, fstatat,
 * unlinkat, renameat2, symlinkat, linkat). Windows: a handle opened with
 * NtCreateFile relative to RootDirectory, FILE_OPEN_REPARSE_POINT,
 * handle-based delete and rename. */
typedef struct slink__h slink__h;

enum {
  /* REL is a path of one or more components (at most
   * slink__os_path_max() bytes), resolved as the system resolves a path a
   * user typed: links in it are followed, ".." goes up. Without it REL is
   * one component, and a link there is refused with SLINK_ENOTDIR (POSIX:
   * O_NOFOLLOW). */
  SLINK__H_FOLLOW = 1u << 0,
  /* REL is a path of one or more components below DIR; no link is
   * followed anywhere on it and the open never leaves DIR (Linux:
   * openat2 RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH; elsewhere one component
   * at a time with O_NOFOLLOW). */
  SLINK__H_BENEATH = 1u << 1,
  /* REL is one name DIR's listing gave as a directory (with
   * SLINK__H_BENEATH, a path below DIR whose last name a listing gave),
   * and *ST holds on the call what that listing said (DIR's device, the
   * entry's inode; EXPECT is NULL). Where a backend proves that cheaply (POSIX: ext2/3/4,
   * opened on DIR's mount) the open returns *ST unchanged and the first
   * slink__os_h_next proves it before it returns any entry: another
   * directory fails it with SLINK_ECHANGED. Elsewhere (a mount point,
   * other filesystems, Windows) the open is as without the flag. */
  SLINK__H_LISTED = 1u << 2
};

/* Open the directory REL relative to DIR (DIR NULL: the current
 * directory; an absolute REL ignores DIR and needs SLINK__H_FOLLOW). When
 * EXPECT is not NULL the directory opened must be that file
 * (slink__same_file), else SLINK_ECHANGED and nothing stays open. *ST
 * (may be NULL) describes the directory opened, through the handle. A
 * FIFO or device swapped in never blocks the open. */
int slink__os_h_open(slink__h *dir, const char *rel, unsigned flags,
                     const slink__stat *expect, slink__h **out,
                     slink__stat *st, int *os_err);
/* The longest REL one slink__os_h_open takes (POSIX: PATH_MAX - 1). A
 * longer path is opened a piece at a time (src/lib/hpath.c). */
size_t slink__os_path_max(void);
void slink__os_h_close(slink__h *dir);

/* The next entry of DIR's listing: 1 with *E filled (valid until the next
 * call on DIR), 0 at the end, or an error. slink__os_h_rewind starts the
 * listing again (a directory emptied while new entries appear). */
int slink__os_h_next(slink__h *dir, slink__dirent *e, int *os_err);
int slink__os_h_rewind(slink__h *dir, int *os_err);

/* Describe NAME in DIR without following it; NAME NULL: DIR itself. */
int slink__os_h_lstat(slink__h *dir, const char *name, slink__stat *st,
                      int *os_err);
/* Describe what NAME in DIR resolves to, following links (POSIX
 * fstatat without AT_SYMLINK_NOFOLLOW). */
int slink__os_h_stat(slink__h *dir, const char *name, slink__stat *st,
                     int *os_err);
/* slink__os_readlink of NAME in DIR: kind, target, target_len, and for
 * reparse points tag, substitute_name and print_name. Not a link:
 * SLINK_EINVAL. */
int slink__os_h_readlink(slink__h *dir, const char *name, slink_info *info,
                         int *os_err);

enum {
  /* slink__os_h_unlink: refuse (SLINK_ENOTLINK) a file that is no link
   * and has a single name, as the check that decided to remove it. */
  SLINK__UNLINK_NOT_LAST = 1u << 0
};
/* Remove the non-directory NAME of DIR. With EXPECT, only if the entry is
 * still that file, checked on the very object that is removed: POSIX
 * renames NAME aside to a temporary name in DIR (renameat2 NOREPLACE),
 * checks what it moved with fstatat, then unlinks it or moves it back;
 * Windows opens the entry itself with DELETE, checks the handle and
 * deletes through it. A changed entry: SLINK_ECHANGED, nothing removed.
 * EXPECT NULL: a plain unlinkat (a tree being emptied). */
int slink__os_h_unlink(slink__h *dir, const char *name,
                       const slink__stat *expect, unsigned flags,
                       int *os_err);
/* Remove the empty directory NAME of DIR (EXPECT as above, may be NULL). */
int slink__os_h_rmdir(slink__h *dir, const char *name,
                      const slink__stat *expect, int *os_err);

enum {
  SLINK__RENAME_NOREPLACE = 1u << 0, /* fail with SLINK_EEXIST if TO exists */
  SLINK__RENAME_EXCHANGE = 1u << 1   /* swap the two atomically (Linux) */
};
/* Rename FROM in FROM_DIR to TO in TO_DIR, atomically replacing TO unless
 * a flag says otherwise. SLINK_ENOTSUP for a flag the system lacks. */
int slink__os_h_rename(slink__h *from_dir, const char *from, slink__h *to_dir,
                       const char *to, unsigned flags, int *os_err);

/* Make NAME in DIR: a symbolic link storing TARGET exactly (IS_DIR: the
 * directory flag where there is one; DRIVE as in slink_make_opts); a
 * junction to the absolute existing ABS_TARGET, or where the filesystem
 * has none the nearest equivalent, said in *MADE_KIND; a hard link to
 * TNAME in TDIR (never following TNAME); a directory with MODE. Each
 * fails with SLINK_EEXIST when NAME exists. */
int slink__os_h_symlink(slink__h *dir, const char *name, const char *target,
                        int is_dir, const char *drive, int *os_err);
int slink__os_h_junction(slink__h *dir, const char *name,
                         const char *abs_target, const char *drive,
                         slink_kind *made_kind, int *os_err);
int slink__os_h_hardlink(slink__h *tdir, const char *tname, slink__h *dir,
                         const char *name, int *os_err);
/* 0 when a link in DIR can name the absolute TARGET (which need not
 * exist), else why not, with nothing made: on ntfs-3g the volume's drive
 * letter must be known (SLINK_ENODRIVE) and TARGET on a volume Windows
 * reaches (SLINK_EXDEV). Asked before a move changes anything. */
int slink__os_h_link_can_name(slink__h *dir, const char *target, int *os_err);
int slink__os_h_mkdir(slink__h *dir, const char *name, uint32_t mode,
                      int *os_err);

/* Give DIR itself write permission for its owner, through the handle. */
int slink__os_h_make_writable(slink__h *dir, int *os_err);
/* Would this process be allowed to remove (or create) the entry NAME of
 * DIR (NAME NULL: any entry)? Checks write and search permission on DIR,
 * a read-only filesystem and the sticky bit, as the real call would be
 * judged: 0, SLINK_EACCES, SLINK_EPERM or SLINK_EROFS. For dry runs. */
int slink__os_h_may_change(slink__h *dir, const char *name, int *os_err);
/* The absolute canonical path of the directory DIR, whatever its length
 * (POSIX: climbs ".." when /proc cannot say). */
int slink__os_h_realpath(slink__h *dir, char **out, int *os_err);

/* Nonzero when the directory DIR is the root of a mount, also of a bind
 * mount of the filesystem it is on (same device number): the tree walk's
 * one-filesystem rule. POSIX: statx STATX_ATTR_MOUNT_ROOT; 0 where the
 * system cannot tell. */
int slink__os_h_is_mount_root(slink__h *dir);

/* ---- Files that stand for links (slink convert) ----
 * Git placeholders, Cygwin symlink files and shortcuts are regular files;
 * WSL links are reparse points. These read and make them relative to a
 * directory handle; NAME is one component. */

/* Read the regular file NAME of DIR, never through a link, whole, when it
 * is at most MAX bytes: *BUF (malloc'd, a NUL after *LEN bytes). *ST
 * describes the file read, through its descriptor; where the filesystem
 * shows Windows attributes (Windows; ntfs-3g's system.ntfs_attrib)
 * st->attrs holds them and *HAS_ATTRS is set. Not a regular file (a link
 * too): SLINK_EINVAL; larger than MAX: SLINK_ETOOBIG; grew while read:
 * SLINK_ECHANGED. A FIFO put there never blocks. */
int slink__os_h_read_small(slink__h *dir, const char *name, size_t max,
                           unsigned char **buf, size_t *len, slink__stat *st,
                           int *has_attrs, int *os_err);
/* The Windows attributes of NAME in DIR (not followed); SLINK_ENOTSUP
 * where the filesystem keeps none. */
int slink__os_h_attrs(slink__h *dir, const char *name, uint32_t *attrs,
                      int *os_err);
/* Create the regular file NAME in DIR (SLINK_EEXIST when NAME exists)
 * holding the LEN bytes at DATA, with permission MODE (less the umask)
 * and, where the filesystem keeps them, the Windows attributes ATTRS (0:
 * the default). On failure nothing is left. */
int slink__os_h_write_new(slink__h *dir, const char *name, const void *data,
                          size_t len, uint32_t mode, uint32_t attrs,
                          int *os_err);
/* Create NAME in DIR as an empty file (IS_DIR: directory) carrying the
 * reparse buffer BUF of LEN bytes as it is (a WSL symlink). SLINK_ENOTSUP
 * where the filesystem has no reparse points; nothing left on failure. */
int slink__os_h_reparse_new(slink__h *dir, const char *name, int is_dir,
                            const unsigned char *buf, size_t len,
                            int *os_err);
/* The target a link in DIR must hold to lead where the absolute Windows
 * path WINPATH ("X:\\...", from a Windows shortcut) leads. Windows: that
 * path. POSIX: its path on the ntfs-3g volume DIR is on, through the
 * volume's ".NTFS-3G/X:" entry; SLINK_EWINDRIVE where no drive X: maps to
 * a directory here. */
int slink__os_h_winpath(slink__h *dir, const char *winpath, char **target,
                        int *os_err);
/* The ID list (LinkTargetIDList) the Windows shell gives for the absolute
 * Windows path WINPATH, as Cygwin asks it for a shortcut (the desktop
 * folder's ParseDisplayName): 1 with *BUF (malloc'd, *N bytes, the
 * terminal ID included), 0 when the shell cannot parse it (a target that
 * does not exist) or there is no shell (POSIX). */
int slink__os_shell_idlist(const char *winpath, unsigned char **buf,
                           size_t *n);
/* The N bytes at S in the Windows code page CP (a shortcut's 8-bit names)
 * as UTF-8 in *OUT (malloc'd, NUL after *LEN bytes): 0; SLINK_ENOTSUP for
 * a code page this system cannot decode or bytes that are not in it. */
int slink__os_codepage_utf8(uint32_t cp, const char *s, size_t n, char **out,
                            size_t *len);
/* Give the file NAME of DIR exactly the Windows attributes ATTRS, through
 * a handle on it, if it is still EXPECT: a rename on ntfs-3g adds
 * FILE_ATTRIBUTE_ARCHIVE to a file that must carry SYSTEM alone. Where
 * the filesystem keeps no attributes, nothing happens and 0. */
int slink__os_h_set_attrs(slink__h *dir, const char *name,
                          const slink__stat *expect, uint32_t attrs,
                          int *os_err);

/* Run the program ARGV[0] (found in PATH; no shell) with ARGV, the IN_LEN
 * bytes at IN on its standard input, standard error discarded; *OUT
 * (malloc'd, NUL after *OUT_LEN bytes) is what it printed, *STATUS its
 * exit status (-1: killed). For Git's plumbing where the build has no
 * libgit2. */
int slink__os_run(char *const argv[], const void *in, size_t in_len,
                  char **out, size_t *out_len, int *status);

/* Hold back SIGINT, SIGTERM and SIGHUP (POSIX; console control events on
 * Windows) while a temporary name exists, so a signal lands only after
 * it is gone; *SAVED is what slink__os_signals_release restores. */
typedef struct slink__sigsave {
  _Alignas(16) unsigned char opaque[160];
} slink__sigsave;
void slink__os_signals_hold(slink__sigsave *saved);
void slink__os_signals_release(const slink__sigsave *saved);

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

/* ---- File copies (clone, move): src/posix/copy.c, src/win/copy.c ----
 * A regular file open for reading or writing, always opened relative to
 * a directory handle and never through a link. */
typedef struct slink__file slink__file;
/* Open the regular file NAME of DIR for reading (no following; a FIFO
 * swapped in never blocks). With EXPECT it must be that file, else
 * SLINK_ECHANGED. *ST (may be NULL) describes what was opened. */
int slink__os_f_open(slink__h *dir, const char *name,
                     const slink__stat *expect, slink__file **out,
                     slink__stat *st, int *os_err);
/* Create the new regular file NAME in DIR for writing (SLINK_EEXIST when
 * NAME exists, also as a link). */
int slink__os_f_create(slink__h *dir, const char *name, uint32_t mode,
                       slink__file **out, int *os_err);
/* Up to N bytes at the current offset into BUF; *GOT 0 at the end. */
int slink__os_f_read(slink__file *f, void *buf, size_t n, size_t *got,
                     int *os_err);
/* Write all N bytes of BUF at the current offset. */
int slink__os_f_write(slink__file *f, const void *buf, size_t n,
                      int *os_err);
/* Copy FROM's contents into the empty TO, holes kept as holes where the
 * system says where they are (Linux: SEEK_DATA, copy_file_range). TO
 * NULL: nothing written, *COPIED the bytes a copy would write (a dry
 * run). */
int slink__os_f_copy(slink__file *from, slink__file *to, uint64_t *copied,
                     int *os_err);
/* Make TO share FROM's extents (Linux: FICLONE); SLINK_ENOTSUP or
 * SLINK_EXDEV where the filesystem cannot. */
int slink__os_f_reflink(slink__file *from, slink__file *to, int *os_err);
/* Flush F's data and metadata to the disk. */
int slink__os_f_sync(slink__file *f, int *os_err);
void slink__os_f_close(slink__file *f);

enum {
  SLINK__META_OWNER = 1u << 0, /* uid and gid (refused without privilege:
                                  left as they are, no error) */
  SLINK__META_MODE = 1u << 1,  /* permission bits */
  SLINK__META_TIMES = 1u << 2  /* modification time, nanoseconds kept */
};
/* Give F, the directory DIR itself (NAME NULL) or the link NAME of DIR
 * (never followed; no mode) what ST says, for the parts in WHAT. */
int slink__os_f_set_meta(slink__file *f, const slink__stat *st,
                         unsigned what, int *os_err);
int slink__os_h_set_meta(slink__h *dir, const char *name,
                         const slink__stat *st, unsigned what, int *os_err);
/* Copy every extended attribute (POSIX ACLs with them) of FROM to TO;
 * attributes the filesystem or the privilege refuses are left out. */
int slink__os_f_copy_xattrs(slink__file *from, slink__file *to,
                            int *os_err);
int slink__os_h_copy_xattrs(slink__h *from, slink__h *to, int *os_err);
/* Flush the directory DIR (its entries) to the disk. */
int slink__os_h_sync(slink__h *dir, int *os_err);
/* The bytes an unprivileged writer may still use on DIR's filesystem. */
int slink__os_h_free_space(slink__h *dir, uint64_t *bytes, int *os_err);
/* Make the FIFO NAME in DIR with MODE. */
int slink__os_h_mkfifo(slink__h *dir, const char *name, uint32_t mode,
                       int *os_err);
/* Is the regular file NAME of DIR (with EXPECT: that file, else
 * SLINK_ECHANGED) open in another process? 0: not as far as the system
 * can tell; SLINK_EBUSY: open (or being executed), *PID a process that
 * holds it where one can be named, else 0; SLINK_ENOTSUP: the system
 * cannot tell for this file. Linux: a write lease taken and given back
 * (refused while any other descriptor is open); Windows: an open with
 * DELETE access and full sharing fails (someone opened it without
 * delete sharing), the holder named by the Restart Manager. */
int slink__os_h_file_busy(slink__h *dir, const char *name,
                          const slink__stat *expect, uint64_t *pid,
                          int *os_err);
/* Point the junction NAME of DIR at the absolute ABS_TARGET in place
 * (its reparse data rewritten through a handle on the entry, read back):
 * a directory cannot be renamed over. Not a junction: SLINK_ECHANGED;
 * SLINK_ENOTSUP where there are none. For move's relinking. */
int slink__os_h_junction_retarget(slink__h *dir, const char *name,
                                  const char *abs_target, int *os_err);
/* Clone's many links and copies (src/posix/copy.c, src/win/copy.c):
 * - slink__os_h_hardlink as a clone makes it, a name after another into
 *   one filesystem: whether that filesystem needs the link-limit check
 *   of ntfs-3g is asked once for it, not once a link.
 * - N bytes at offset OFF of F, a regular file, into BUF (*GOT short:
 *   the end; the current offset is then unspecified): a copy is read back
 *   through the handles it was made with (a created file is open for
 *   reading too).
 * - slink__os_h_sync_fs flushes everything written to DIR's filesystem
 *   (Linux: syncfs, which reports a write-back error since DIR was
 *   opened); slink__os_sync_fs_covers() is nonzero where that is one
 *   barrier for every file and directory written there, else (0) each
 *   is flushed by itself and slink__os_h_sync_fs says SLINK_ENOTSUP. */
int slink__os_h_link_many(slink__h *tdir, const char *tname, slink__h *dir,
                          const char *name, int *os_err);
int slink__os_f_pread(slink__file *f, void *buf, size_t n, uint64_t off,
                      size_t *got, int *os_err);
int slink__os_sync_fs_covers(void);
int slink__os_h_sync_fs(slink__h *dir, int *os_err);
/* ---- end of file copies ---- */

/* ---- File handles (dedupe) ----
 * A regular file opened for reading relative to a directory handle, never
 * following a link, so that what is compared and what is replaced is the
 * one file the caller looked at. POSIX: a descriptor from openat with
 * O_NOFOLLOW; Windows: a handle opened relative to the directory. */
typedef struct slink__rf slink__rf;

enum {
  /* Keep writers out while the file is open, as far as the system lets
   * this process: Linux takes a read lease (F_SETLEASE F_RDLCK: refused
   * while anyone has the file open for writing, broken when someone opens
   * it for writing later); Windows opens without FILE_SHARE_WRITE. */
  SLINK__RF_GUARD = 1u << 0
};

/* Open the regular file NAME of DIR for reading, not following a link
 * (a link, directory, FIFO or device is SLINK_EINVAL; a FIFO never blocks
 * the open). With EXPECT the file opened must be that one
 * (slink__same_file), else SLINK_ECHANGED. *ST (may be NULL) describes it
 * through the handle. Windows, SLINK__RF_GUARD: a writer holding the file
 * is SLINK_EBUSY. */
int slink__os_rf_open(slink__h *dir, const char *name, unsigned flags,
                     const slink__stat *expect, slink__rf **out,
                     slink__stat *st, int *os_err);
void slink__os_rf_close(slink__rf *f);
int slink__os_rf_stat(slink__rf *f, slink__stat *st, int *os_err);
/* Read up to N bytes at OFF; *GOT is what was read (0 at the end). */
int slink__os_rf_read(slink__rf *f, uint64_t off, void *buf, size_t n,
                     size_t *got, int *os_err);
/* The guard of a file opened with SLINK__RF_GUARD: 1 held and no writer
 * has asked for the file since; 0 a writer asked (the lease is being
 * broken: let go soon); SLINK_EBUSY it could not be taken because a writer
 * has the file open; SLINK_ENOTSUP this process may not take one here
 * (not the owner, or the filesystem has no leases; *OS_ERR says which). */
int slink__os_rf_guard(slink__rf *f, int *os_err);
/* Share the first LEN bytes of SRC's storage with DST where they are
 * equal, as the filesystem's own compare-and-share (Linux FIDEDUPERANGE,
 * atomic against writers, in pieces of at most 16 MiB as btrfs takes;
 * Windows FSCTL_DUPLICATE_EXTENTS_TO_FILE after a compare under the
 * guard). SLINK_ECHANGED when the contents differ (nothing shared past
 * that point), SLINK_ENOREFLINK where the filesystem cannot. */
int slink__os_rf_dedupe(slink__rf *src, slink__rf *dst, uint64_t len,
                       int *os_err);
/* The most names one file may have on F's filesystem (POSIX
 * fpathconf(_PC_LINK_MAX); NTFS 1,023 whatever its driver says). */
int slink__os_rf_link_max(slink__rf *f, uint64_t *max, int *os_err);
/* What a hard link would make one of besides owner, mode and times, as
 * bytes that are equal for two files exactly when that is: POSIX the
 * extended attributes (ACLs included), names sorted, with their values;
 * Windows the owner, group and access list. *OUT (malloc'd) is NULL and
 * *N 0 where there is nothing (most files: one system call says it).
 * Read through the handle, so the hashing open can take it too. */
int slink__os_rf_xattrs(slink__rf *f, unsigned char **out, size_t *n,
                        int *os_err);
/* Put the file named T in DIR in the place of NAME in DIR, a name of F
 * (open with SLINK__RF_GUARD, compared): POSIX renames T over NAME.
 * Windows has no exchange, and its rename over a name cannot be tied to a
 * handle (it would remove a file swapped in) nor done while the guard
 * holds the target open (the classic rename refuses): NAME is opened and
 * checked to be F unchanged, renamed aside through that handle, T renamed
 * to NAME without replacing, and the aside name deleted through the same
 * handle. NAME is absent between those two renames; nothing is ever
 * replaced. SLINK_ECHANGED: NAME was not F or was taken meanwhile;
 * SLINK_EBUSY: someone holds NAME open without delete sharing. */
int slink__os_rf_replace(slink__rf *f, slink__h *dir, const char *t,
                         const char *name, int *os_err);
/* ---- end of file handles ---- */

#endif /* SLINK_SYS_H */
