/*
 * slink.h - the public API of libslink: make, read, list and remove
 * filesystem links (symbolic links, NTFS junctions, hard links) on POSIX
 * systems and Windows with one set of calls.
 *
 * Conventions
 *  - Paths are UTF-8 (on POSIX: any bytes but NUL) on every platform.
 *  - Functions return 0 on success or a negative SLINK_E... code;
 *    slink_strerror() turns a code into a message. Nothing here prints,
 *    exits or keeps global state.
 *  - Strings a function hands back are allocated with malloc() and belong
 *    to the caller; the *_free() functions release whole structures.
 */
#ifndef SLINK_H
#define SLINK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SLINK_VERSION_MAJOR 0
#define SLINK_VERSION_MINOR 1
#define SLINK_VERSION_PATCH 0
#define SLINK_VERSION_STRING "0.1.0"

/* Every error, once: its name and its message. The message completes the
 * sentence "slink: <command>: <path>: ..." so it starts in lower case. */
#define SLINK_ERRNO_MAP(XX)                                                    \
  XX(NOENT, "no such file or directory")                                       \
  XX(NOPARENT, "the directory to hold the link does not exist")                \
  XX(NOTARGET, "the target does not exist")                                    \
  XX(EXIST, "already exists")                                                  \
  XX(ACCES, "permission denied")                                               \
  XX(PERM, "operation not permitted")                                          \
  XX(NOTDIR, "a component of the path is not a directory")                     \
  XX(ISDIR, "is a directory, not a link")                                      \
  XX(DIRNOTREPLACED, "is a directory; a directory is never replaced")          \
  XX(NOTLINK, "is not a link; nothing removed")                                \
  XX(TARGETNOTDIR, "the target is not a directory")                            \
  XX(TARGETISDIR, "the target is a directory, not a file")                     \
  XX(HARDLINKDIR, "hard links to directories are not allowed")                 \
  XX(XDEV, "the link and the target are on different filesystems")             \
  XX(LOOP, "too many levels of symbolic links")                                \
  XX(NAMETOOLONG, "file name too long")                                        \
  XX(EMPTYPATH, "empty path")                                                  \
  XX(INVAL, "invalid argument")                                                \
  XX(NOMEM, "out of memory")                                                   \
  XX(NOSPC, "no space left on device")                                         \
  XX(DQUOT, "disk quota exceeded")                                             \
  XX(ROFS, "read-only file system")                                            \
  XX(IO, "input/output error")                                                 \
  XX(BUSY, "device or resource busy")                                          \
  XX(NOTEMPTY, "directory not empty")                                          \
  XX(NOTSUP, "operation not supported on this filesystem")                     \
  XX(MLINK, "too many links")                                                  \
  XX(NOTVERIFIED, "the system reported success but no link exists")           \
  XX(NODATA, "cannot read the link's data; nothing removed")                   \
  XX(CHANGED, "changed while being worked on; nothing removed")                \
  XX(ISROOT, "refusing to remove the root directory")                          \
  XX(RESERVED, "is a reserved name on Windows")                                \
  XX(BADNAME, "has a trailing dot or space, which Windows cannot keep")        \
  XX(NOPRIV, "the privilege to create symbolic links is not held")             \
  XX(NODRIVE, "the drive letter of this NTFS volume is not known: give "        \
              "--drive X: or make .NTFS-3G/X: at the volume root point to "    \
              "its mount point")                                               \
  XX(BADUTF8, "is not valid UTF-8")                                            \
  XX(BADUTF16, "holds an unpaired UTF-16 surrogate")                           \
  XX(TOOBIG, "the reparse data would exceed 16 KiB")                           \
  XX(RELJUNCTION, "a junction's target must be an absolute local path")        \
  XX(RP_SHORT, "reparse buffer is shorter than its header")                    \
  XX(RP_LENGTH, "reparse data length does not match the buffer size")          \
  XX(RP_OFFSET, "reparse name lies outside the buffer")                        \
  XX(RP_ODD, "reparse name has an odd byte length")                            \
  XX(RP_TAG, "unsupported reparse tag")                                        \
  XX(RP_VERSION, "unsupported reparse data version")                           \
  XX(RP_NUL, "reparse name holds a NUL character")                             \
  XX(RP_EMPTY, "reparse point has an empty target")                            \
  XX(RP_FLAGS, "reparse data has unknown flags")                               \
  XX(RP_UNTERMINATED, "reparse string list is not terminated")                 \
  XX(ISDOT, "refusing to remove '.' or '..'")                                  \
  XX(OTHERFS, "is on another filesystem; left in place")                       \
  XX(MFILE, "too many open files")                                             \
  XX(FAKE_UNTERMINATED, "the link file's target is not terminated")            \
  XX(FAKE_EMPTY, "the link file holds no target")                              \
  XX(FAKE_EDITED, "no longer holds what Git recorded for the link; left "       \
                  "alone")                                                     \
  XX(NOTFAKE, "is not a link from another system; nothing converted")         \
  XX(NOTINDEX, "is not a symbolic link in Git's index; nothing converted")     \
  XX(NOTPATH, "is a shortcut to no file (a URL or a shell object); not a "      \
              "link")                                                          \
  XX(ESCAPES, "the target leads outside the repository or tree; give "          \
              "--allow-escapes")                                               \
  XX(WINSHORTCUT, "is a Windows shortcut to a network share or a drive-"       \
                  "relative path, which no link here can name; left alone")    \
  XX(WINDRIVE, "is a Windows shortcut to a drive that maps to no directory "     \
               "here (on an ntfs-3g volume .NTFS-3G/X: at its root maps "      \
               "drive X:); left alone")                                        \
  XX(LNKNAME, "a shortcut's name must end in .lnk (no other is read as "       \
              "one); nothing converted")                                       \
  XX(GITSPARSE, "is marked skip-worktree in Git's index (outside a sparse "    \
                "checkout): Git does not keep this file; left alone")          \
  XX(GITINDEX, "the Git index of this work tree cannot be read (libgit2 "      \
               "reads no split or sparse index, and git could not be run)")    \
  XX(STREAMS, "has alternate data streams the destination cannot keep")       \
  XX(NOREFLINK, "the filesystem cannot share extents")                         \
  XX(CODEPAGE, "is a Windows shortcut whose 8-bit names are in a code page "    \
               "it does not record; left alone")                               \
  XX(UNKNOWN, "unknown error")

/* The codes themselves: -1, -2, ... in the order of the table. */
enum slink__errindex {
#define SLINK__XX(name, msg) SLINK__I_##name,
  SLINK_ERRNO_MAP(SLINK__XX)
#undef SLINK__XX
  SLINK__I_COUNT
};
typedef enum {
#define SLINK__XX(name, msg) SLINK_E##name = -1 - SLINK__I_##name,
  SLINK_ERRNO_MAP(SLINK__XX)
#undef SLINK__XX
  SLINK__E_END = -1 - SLINK__I_COUNT
} slink_errno_t;

/* The message of an error code ("unknown error" for anything else). */
const char *slink_strerror(int code);
/* The short name of an error code, e.g. "SLINK_ENOENT". */
const char *slink_err_name(int code);

/* What a path is. The first group are links; the rest are not. */
typedef enum {
  SLINK_KIND_NONE = 0,     /* nothing there */
  SLINK_KIND_SYMLINK,      /* symbolic link to a file, or dangling */
  SLINK_KIND_DIR_SYMLINK,  /* symbolic link whose target is a directory */
  SLINK_KIND_JUNCTION,     /* NTFS mount point (reparse tag 0xA0000003) */
  SLINK_KIND_WSL_SYMLINK,  /* WSL symlink (0xA000001D), read only */
  SLINK_KIND_APP_LINK,     /* AppExecLink (0x8000001B), read only */
  SLINK_KIND_REPARSE,      /* any other reparse point: never followed */
  SLINK_KIND_FILE,         /* regular file */
  SLINK_KIND_DIR,          /* directory */
  SLINK_KIND_FIFO,
  SLINK_KIND_SOCKET,
  SLINK_KIND_DEVICE,       /* character or block device */
  SLINK_KIND_OTHER,
  /* Files that other systems keep in place of a link (slink_fake_read):
   * not links here, the kind of file they are. */
  SLINK_KIND_GIT_PLACEHOLDER, /* Git, core.symlinks=false: the target as text */
  SLINK_KIND_CYGWIN_SYMLINK,  /* Cygwin "!<symlink>" or Interix file */
  SLINK_KIND_SHORTCUT         /* MS-SHLLINK .lnk file to a file system path */
} slink_kind;

/* "symlink", "dir-symlink", "junction", "file", "dir", ... */
const char *slink_kind_name(slink_kind kind);
/* Nonzero for the link kinds (symlink .. reparse). */
int slink_kind_is_link(slink_kind kind);

/* States of a link (DESIGN.md section 1), as bits. */
enum {
  SLINK_STATE_OK = 1u << 0,
  SLINK_STATE_DANGLING = 1u << 1,
  SLINK_STATE_LOOP = 1u << 2,
  SLINK_STATE_DENIED = 1u << 3,
  SLINK_STATE_ABSOLUTE = 1u << 4,
  SLINK_STATE_RELATIVE = 1u << 5,
  SLINK_STATE_MESSY = 1u << 6,
  SLINK_STATE_LENGTHY = 1u << 7,
  SLINK_STATE_CROSS_DEVICE = 1u << 8,
  SLINK_STATE_ESCAPES = 1u << 9,
  /* a chain of more links than one resolution follows (40, as Linux);
   * a real cycle is SLINK_STATE_LOOP */
  SLINK_STATE_TOO_LONG = 1u << 10,
  /* A file another system keeps in place of a link: no system follows it
   * here (slink convert makes it real). */
  SLINK_STATE_FAKED = 1u << 11
};
#define SLINK_STATE_COUNT 12
/* The name of one state bit ("ok", "dangling", ...), NULL if not one. */
const char *slink_state_name(unsigned state_bit);
/* The bit for a state name, 0 if there is none of that name. */
unsigned slink_state_from_name(const char *name);

/* Everything slink_read() learns about one path. */
typedef struct slink_info {
  slink_kind kind;
  char *target;         /* link: the target exactly as stored; else NULL */
  size_t target_len;    /* its length in bytes (it may hold any byte) */
  char *resolved;       /* link: the absolute path it resolves to, or NULL */
  slink_kind target_kind; /* link: what the resolved target is */
  unsigned states;      /* link: SLINK_STATE_* bits; 0 for other kinds */
  uint64_t nlink;
  uint64_t dev;
  uint64_t ino;
  uint64_t size;
  int64_t mtime;        /* seconds since 1970-01-01 UTC */
  uint32_t mode;        /* POSIX permission bits (0 where unknown) */
  /* Reparse points (NTFS, Windows); zero and NULL elsewhere. */
  uint32_t tag;
  char *substitute_name;
  char *print_name;
} slink_info;

/* Flags for slink_read(). */
enum {
  /* Resolve the target and work out the states (costs a few calls). */
  SLINK_READ_RESOLVE = 1u << 0
};

/* Describe PATH without following it. A trailing slash is ignored, so
 * "link/" describes the link, not its target. */
int slink_read(const char *path, unsigned flags, slink_info *info);
void slink_info_free(slink_info *info);

/* What slink_make() makes. */
typedef enum {
  SLINK_MAKE_SYMBOLIC = 0,
  SLINK_MAKE_JUNCTION,
  SLINK_MAKE_HARD
} slink_make_type;

enum {
  SLINK_MAKE_FORCE = 1u << 0,     /* replace an existing link or file */
  SLINK_MAKE_RELATIVE = 1u << 1,  /* store the shortest relative target */
  SLINK_MAKE_ABSOLUTE = 1u << 2,  /* store the absolute target */
  SLINK_MAKE_DIR = 1u << 3,       /* the target is (or will be) a directory */
  SLINK_MAKE_FILE = 1u << 4,      /* the target is (or will be) a file */
  SLINK_MAKE_FALLBACK = 1u << 5   /* Windows: junction if a dir symlink is refused */
};

/* Warnings a successful slink_make() hands back, as bits. */
enum {
  SLINK_WARN_DANGLING = 1u << 0,      /* the target does not exist */
  SLINK_WARN_JUNCTION_AS_SYMLINK = 1u << 1, /* no junctions here: a symlink */
  SLINK_WARN_FELL_BACK = 1u << 2,     /* a junction instead of a dir symlink */
  SLINK_WARN_REPLACED = 1u << 3,      /* an existing entry was replaced */
  SLINK_WARN_LOOP = 1u << 4,          /* the target is a loop of links */
  SLINK_WARN_TOO_LONG = 1u << 5       /* the target is a chain too long */
};

typedef struct slink_make_opts {
  slink_make_type type;
  unsigned flags;       /* SLINK_MAKE_* */
  const char *drive;    /* NTFS volumes: the drive letter ("D:") that absolute
                           targets are written with; NULL to find it */
} slink_make_opts;

typedef struct slink_made {
  slink_kind kind;      /* the kind that is now on disk */
  char *target;         /* the target as stored (NULL for hard links) */
  unsigned warnings;    /* SLINK_WARN_* */
  const char *error_path; /* on failure: the operand the error is about
                             (the link or the target argument) */
  int os_error;         /* on failure: the system's own error number */
} slink_made;

/* Make LINK point to TARGET. Symbolic links store TARGET as given
 * (relative to the link's directory) unless SLINK_MAKE_RELATIVE or
 * SLINK_MAKE_ABSOLUTE is set, in which case TARGET is taken relative to the
 * current directory and converted. Junction and hard link targets are taken
 * relative to the current directory. The new link is read back before
 * success is reported; on failure nothing is left behind. */
int slink_make(const char *link, const char *target,
               const slink_make_opts *opts, slink_made *made);
void slink_made_free(slink_made *made);

/* The full path of PATH as a tool prints it: the directory part made
 * absolute with every link in it resolved, the last component kept as
 * written and not followed (so a link's own full path, not its target's).
 * PATH need not exist. *OUT is malloc'd. */
int slink_path_absolute(const char *path, char **out);

enum {
  SLINK_REMOVE_DRY_RUN = 1u << 0  /* check everything, remove nothing */
};

typedef struct slink_removed {
  slink_kind kind;      /* what was (or would be) removed */
  uint64_t names_left;  /* hard links: names the file still has */
  int os_error;
} slink_removed;

/* Remove the link PATH itself, never what it points to. A directory or a
 * file with a single name is refused. One name of a hard-linked file may
 * be removed; names_left says how many remain. */
int slink_remove(const char *path, unsigned flags, slink_removed *removed);

/* The names in directory DIR, without "." and "..", sorted by byte value.
 * Links inside are not followed; DIR itself is (a link to a directory lists
 * that directory). Free with slink_names_free(). */
int slink_list_dir(const char *dir, char ***names, size_t *count);
void slink_names_free(char **names, size_t count);

/* Every name of the file PATH from the filesystem's own list of hard links
 * (NTFS on Windows: FindFirstFileNameW), no tree searched. SLINK_ENOTSUP
 * where the system keeps no such list (POSIX; Wine): then walk a tree. */
int slink_file_names(const char *path, char ***names, size_t *count);

/* Renaming without following (ln's backups). */
/* Rename FROM to TO (replacing a non-directory TO), neither followed if it
 * is a link: how ln --backup moves the old LINK_NAME aside. *OS_ERROR (may
 * be NULL) gets the system's own error number on failure. */
int slink_rename(const char *from, const char *to, int *os_error);

/* NTFS reparse points (MS-FSCC 2.1.2): the REPARSE_DATA_BUFFER that a
 * junction or a Windows symbolic link is stored as, encoded and decoded
 * without any OS call, usable on every platform.
 *
 * Names are UTF-8. A UTF-16 name read from a buffer may hold an unpaired
 * surrogate (Windows allows it); it is kept as the three-byte generalized
 * UTF-8 form of that code unit (bytes ED A0 80 .. ED BF BF, as WTF-8 does),
 * so nothing is lost and the exact UTF-16 can be recovered. The encoders
 * refuse such a name with SLINK_EBADUTF16, and any other invalid UTF-8 with
 * SLINK_EBADUTF8: Windows names are Unicode. */

/* Reparse tags slink knows by name. */
#define SLINK_REPARSE_TAG_MOUNT_POINT 0xA0000003u  /* junction */
#define SLINK_REPARSE_TAG_SYMLINK 0xA000000Cu      /* Windows symbolic link */
#define SLINK_REPARSE_TAG_LX_SYMLINK 0xA000001Du   /* WSL symbolic link */
#define SLINK_REPARSE_TAG_APPEXECLINK 0x8000001Bu  /* app execution alias */
/* The symbolic link flag: the substitute name is relative to the link's
 * directory. */
#define SLINK_REPARSE_SYMLINK_RELATIVE 0x1u
/* The largest reparse buffer Windows accepts, header included. */
#define SLINK_REPARSE_MAX_SIZE 16384u

/* A decoded reparse buffer. Strings are NUL-terminated and malloc'd; the
 * _len fields give their length in bytes (a WSL target may hold any byte). */
typedef struct slink_reparse {
  uint32_t tag;
  /* SLINK_KIND_JUNCTION, SLINK_KIND_SYMLINK (the buffer cannot say whether
   * a symbolic link is a directory one: that is the entry's directory
   * attribute), SLINK_KIND_WSL_SYMLINK, SLINK_KIND_APP_LINK, or
   * SLINK_KIND_REPARSE for any other tag. */
  slink_kind kind;
  uint32_t flags;           /* symbolic link: SLINK_REPARSE_SYMLINK_RELATIVE */
  uint32_t version;         /* WSL symlink (2), AppExecLink (3): as stored */
  size_t data_len;          /* ReparseDataLength: bytes after the header */
  /* Junction, symbolic link: as stored, e.g. "\??\C:\dir" and "C:\dir". */
  char *substitute_name;
  size_t substitute_len;
  char *print_name;
  size_t print_len;
  /* WSL symlink: the target bytes (UTF-8 by convention, not checked). */
  char *wsl_target;
  size_t wsl_target_len;
  /* AppExecLink: package family, application user model ID, target exe. */
  char *app_package;
  char *app_id;
  char *app_target;
} slink_reparse;

/* Decode the LEN bytes at BUF into *RP (which the caller frees with
 * slink_reparse_free, also after a failure). Every length and offset is
 * checked against the buffer. Errors: SLINK_ERP_SHORT (shorter than a
 * header), SLINK_ERP_LENGTH (ReparseDataLength does not match LEN),
 * SLINK_ETOOBIG (over 16 KiB), SLINK_ERP_OFFSET (a name outside the
 * buffer), SLINK_ERP_ODD (odd UTF-16 length or offset), SLINK_ERP_NUL (a
 * NUL inside a name), SLINK_ERP_EMPTY (no target), SLINK_ERP_FLAGS
 * (unknown symbolic link flags), SLINK_ERP_VERSION, SLINK_ERP_UNTERMINATED
 * (AppExecLink string list), SLINK_ERP_TAG (reserved tag 0 or 1),
 * SLINK_ENOMEM. Any other tag decodes as SLINK_KIND_REPARSE. */
int slink_reparse_decode(const void *buf, size_t len, slink_reparse *rp);
void slink_reparse_free(slink_reparse *rp);

/* The target a decoded junction or symbolic link points to, in Windows
 * syntax: the substitute name without its NT prefix ("\??\C:\dir" gives
 * "C:\dir", "\??\UNC\srv\share" gives "\\srv\share", "\??\Volume{g}\x"
 * gives "\\?\Volume{g}\x"), a relative name as stored;
 * a WSL symlink's target; an AppExecLink's executable.
 * SLINK_ERP_TAG for other tags. */
int slink_reparse_target(const slink_reparse *rp, char **out);

/* Encode a junction to TARGET, an absolute local Windows path with a drive
 * letter ("C:\dir", also given as "\\?\C:\dir" or "\??\C:\dir"; "/"
 * is taken as "\"). Layout as Windows' own junctions: substitute name
 * "\??\C:\dir" then print name "C:\dir", each followed by a NUL that
 * the lengths do not count. A relative or UNC target: SLINK_ERELJUNCTION;
 * a "." or ".." step, which MS-FSCC forbids in a junction: SLINK_EINVAL.
 * *BUF is malloc'd; *LEN is its size. */
int slink_reparse_encode_junction(const char *target, unsigned char **buf,
                                  size_t *len);

/* Encode a symbolic link to TARGET in Windows syntax ("/" taken as "\").
 * "C:\x" becomes substitute "\??\C:\x", print "C:\x"; "\\srv\share\x"
 * becomes "\??\UNC\srv\share\x", print "\\srv\share\x";
 * "\\?\Volume{g}\x" becomes "\??\Volume{g}\x", print as given; anything
 * else ("x\y", "..\y", "\x") is stored as given with
 * SLINK_REPARSE_SYMLINK_RELATIVE. Layout as CreateSymbolicLinkW: print
 * name then substitute name, no NULs. */
int slink_reparse_encode_symlink(const char *target, unsigned char **buf,
                                 size_t *len);

/* Encode RP as it is: tag SLINK_REPARSE_TAG_MOUNT_POINT or _SYMLINK with
 * RP's substitute and print names (and flags), or _LX_SYMLINK with
 * wsl_target (version 2). Checks only what makes a buffer undecodable
 * (empty substitute name, size, UTF-8); other tags: SLINK_ERP_TAG. */
int slink_reparse_encode(const slink_reparse *rp, unsigned char **buf,
                         size_t *len);

/* Tree removal. */

/* Flags for slink_remove_tree(). */
enum {
  SLINK_TREE_DRY_RUN = 1u << 0,   /* walk and report, remove nothing */
  SLINK_TREE_ONE_FS = 1u << 1,    /* never enter another filesystem */
  SLINK_TREE_VERBOSE = 1u << 2,   /* report every removed entry, too */
  /* A directory that refuses removal of its entries for lack of write
   * permission is given it (only through its own descriptor, opened
   * without following) and the removal tried once more. */
  SLINK_TREE_MAKE_WRITABLE = 1u << 3
};

/* One report from slink_remove_tree(): an entry removed (or, in a dry run,
 * one that would be), or an entry that could not be removed. */
typedef struct slink_tree_event {
  const char *path;     /* the operand joined with the names below it */
  size_t path_len;
  slink_kind kind;      /* what the entry is, as far as the walk knows */
  int error;            /* 0, or the SLINK_E... code of the failure */
  int os_error;         /* the system's own error number, 0 if none */
} slink_tree_event;

/* Called for every event; a nonzero return stops the walk, and
 * slink_remove_tree() returns that value. */
typedef int (*slink_tree_cb)(const slink_tree_event *ev, void *ctx);

/* Remove PATH and, if it is a directory, everything below it, without
 * ever following a link: a link inside the tree is removed as a link, and
 * a link given as PATH (also written "link/") is removed itself. The walk
 * is race-free: each directory is opened relative to its parent, without
 * following, and checked to be the one listed before anything in it is
 * removed. The root directory is always refused (SLINK_EISROOT), and so is
 * a last component "." or "..".
 *
 * Every failure is handed to CB once, with its path; the walk goes on with
 * the rest, and whatever holds an entry that could not be removed is left
 * in place without a further report. Removed entries are handed to CB in a
 * dry run or with SLINK_TREE_VERBOSE, children before their directory.
 * Returns 0 when everything was removed (or would be), else the code of
 * the first failure. CB may be NULL. */
int slink_remove_tree(const char *path, unsigned flags, slink_tree_cb cb,
                      void *ctx);

/* Walking a tree and classifying its links. */

/* Flags for slink_walk(). */
enum {
  /* Hand over every entry, not only links (directories, files, ...).
   * Without it: links, and any leftover temporary name
   * (slink_is_temp_name) whatever it is. */
  SLINK_WALK_ALL = 1u << 0,
  /* For each link: read its target, resolve it and set its states, as
   * slink_read(SLINK_READ_RESOLVE) does, plus "escapes" (it resolves
   * outside the walked root). Without it a link's info is NULL. */
  SLINK_WALK_CLASSIFY = 1u << 1,
  /* Entries in the order the system lists them, as soon as found. By
   * default each directory's entries are sorted by byte value and the
   * order is the same on every run, with or without threads. */
  SLINK_WALK_UNORDERED = 1u << 2,
  /* Never enter a directory on another filesystem than the root. */
  SLINK_WALK_ONE_FS = 1u << 3,
  /* Work on two or more threads (one per core, at most 8). The callback
   * is still called by one thread at a time. */
  SLINK_WALK_PARALLEL = 1u << 4,
  /* With SLINK_WALK_CLASSIFY: also fill a link's nlink, size, mtime and
   * mode (one more call per link). */
  SLINK_WALK_STAT = 1u << 5,
  /* Enter each subdirectory where it is listed, before its later
   * siblings (a recursive listing's order), not after all of them. One
   * thread: SLINK_WALK_PARALLEL is ignored. */
  SLINK_WALK_DEPTH_FIRST = 1u << 6
};

/* One entry found by slink_walk(). Everything it points to lives until the
 * callback returns. */
typedef struct slink_walk_entry {
  const char *path;     /* the root as given, joined with the names below */
  size_t path_len;
  const char *real_dir; /* canonical absolute path of the directory that
                           holds the entry (the root's own for the root) */
  size_t depth;         /* 0 for the root itself, 1 for its entries, ... */
  slink_kind kind;      /* as the directory entry says; a link to a
                           directory is SLINK_KIND_DIR_SYMLINK once
                           classified */
  uint64_t ino;         /* from the directory entry; 0 where unknown */
  uint64_t dev;         /* the filesystem of the directory holding it */
  /* Links with SLINK_WALK_CLASSIFY: target, resolved, target_kind, states
   * (and tag and names for reparse points). NULL otherwise. */
  const slink_info *info;
  /* 0, or why this path could not be read (a directory that cannot be
   * opened or listed, a link that cannot be read). The walk goes on. */
  int error;
  int os_error;
} slink_walk_entry;

/* Called for each entry; a nonzero return stops the walk, and
 * slink_walk() returns that value. */
typedef int (*slink_walk_cb)(const slink_walk_entry *entry, void *ctx);

/* Walk the tree under ROOT without ever following a link: each link is
 * handed over as a link, and a ROOT that is itself a link is handed over
 * alone, not entered. Directory entry types spare a stat per entry where
 * the filesystem gives them; memory stays bounded by the widest directory
 * and the depth. Every failure is handed to CB as an entry with an error;
 * returns 0 when everything was read, else the code of the first failure
 * (SLINK_ENOTDIR when ROOT is neither a directory nor a link). */
int slink_walk(const char *root, unsigned flags, slink_walk_cb cb, void *ctx);

/* The states of a link stored in the directory DIR (absolute, canonical)
 * holding TARGET (TARGET_LEN bytes), as slink_walk() would classify it.
 * INFO->kind says what the link is (a junction's target is absolute);
 * fills INFO->resolved, target_kind and states. ROOT (absolute, canonical,
 * or NULL) is what "escapes" is measured against. Resolution is done
 * component by component with at most 40 links followed and a cycle
 * check, so no loop can hold it. Nothing is changed on disk. */
int slink_classify(const char *dir, const char *target, size_t target_len,
                   const char *root, slink_info *info);

/* The shortest clean form of a link's TARGET stored in the canonical
 * directory DIR: a relative target gets "." and "//" removed and every
 * needless "dir/.." pair taken out by text; with TO_RELATIVE an absolute
 * target becomes the shortest relative path from DIR. NULL on no memory. */
char *slink_target_shorten(const char *dir, const char *target,
                           int to_relative);
/* The top directory of the filesystem that holds PATH (PATH itself is
 * not followed if it is a link), canonical, in *OUT (caller frees): where
 * to look for the other names of a hard-linked file. */
int slink_mount_point(const char *path, char **out);

/* Acting on an entry from inside slink_walk()'s callback, through the
 * walk's handle of the directory that holds it, never by its path: a
 * directory on the path swapped meanwhile redirects nothing. Only a walk
 * without SLINK_WALK_PARALLEL can act (else SLINK_ENOTSUP).
 *
 * slink_walk_relink: replace the link E with one storing TARGET (a
 * junction stays a junction): made under a temporary name beside it, read
 * back, exchanged with E, and E removed only if it is still the link that
 * was listed, else put back (SLINK_ECHANGED).
 * slink_walk_unlink: remove E if it is still the entry listed and is a
 * link or a file with more than one name (else SLINK_ENOTLINK).
 * slink_walk_may_change: 0 when removing or replacing E would be allowed
 * (write permission, sticky bit, read-only filesystem), else the error
 * the real act would meet: for dry runs. */
int slink_walk_relink(const slink_walk_entry *e, const char *target);
int slink_walk_unlink(const slink_walk_entry *e);
int slink_walk_may_change(const slink_walk_entry *e);
/* Nonzero when NAME (LEN bytes) is a temporary name slink makes beside a
 * link while replacing or removing it (".slink-" 16 hex digits ".tmp"):
 * a leftover of a killed run, which scan reports and fix --clean-temp
 * removes. */
int slink_is_temp_name(const char *name, size_t len);

/* Links from other systems (slink convert). */
/* Files that stand for links where a system could not make one: Git's
 * placeholders (core.symlinks=false), Cygwin's symlink files
 * (winsymlinks:sys, the older 8-bit form, Interix's), shortcuts (MS-SHLLINK,
 * as Cygwin and Windows write them), and WSL symlinks, which only WSL
 * follows. Recognition is exact, never a guess from content alone: a Git
 * placeholder only when the index says mode 120000 and the file's bytes
 * hash to the index's blob; a Cygwin file by its magic and, where the
 * filesystem shows attributes, the system attribute; a shortcut only when
 * it parses as MS-SHLLINK and names a path. */

/* The variant of a recognised file (slink_fake.form). */
typedef enum {
  SLINK_FORM_NONE = 0,
  SLINK_FORM_GIT,           /* Git placeholder: the target bytes */
  SLINK_FORM_CYGWIN_SYS,    /* "!<symlink>" FF FE, UTF-16LE target, 00 00 */
  SLINK_FORM_CYGWIN_8BIT,   /* "!<symlink>", 8-bit target, 00 (before 1.7) */
  SLINK_FORM_INTERIX,       /* "IntxLNK\1", UTF-16LE target (also ntfs-3g) */
  SLINK_FORM_LNK_CYGWIN,    /* Cygwin's shortcut: a POSIX target */
  SLINK_FORM_LNK_WINDOWS,   /* any other shortcut: a Windows path */
  SLINK_FORM_WSL,           /* WSL reparse point (0xA000001D) */
  SLINK_FORM_SYMLINK        /* a real symbolic link (a source for --to) */
} slink_fake_form;

/* What slink_fake_read() learns about a path. */
typedef struct slink_fake {
  /* SLINK_KIND_GIT_PLACEHOLDER, _CYGWIN_SYMLINK, _SHORTCUT,
   * _WSL_SYMLINK, _SYMLINK / _DIR_SYMLINK (real links), or the plain kind
   * (file, dir, ...) when the path is none of these. */
  slink_kind kind;
  slink_fake_form form;
  char *target;         /* the target it carries (POSIX form for Git and
                           Cygwin, the Windows path of a Windows shortcut) */
  size_t target_len;
  /* 0, or why a file that looked like one is not taken as a link: its
   * magic with a broken body (SLINK_EFAKE_UNTERMINATED, SLINK_EBADUTF16,
   * SLINK_EFAKE_EMPTY), a Git placeholder edited since checkout
   * (SLINK_EFAKE_EDITED), a shortcut to a URL (SLINK_ENOTPATH). */
  int problem;
  char *repo;           /* Git: the work tree's top directory, else NULL */
  /* SLINK_ENOTPATH: what the shortcut points at instead ("Control Panel",
   * "a URL", ...; static text, not freed), else NULL. */
  const char *object;
  /* A Windows shortcut whose target comes from 8-bit names in a code page
   * it does not record: TARGET holds their bytes as stored (not UTF-8);
   * convert refuses it (SLINK_ECODEPAGE). */
  int unknown_codepage;
} slink_fake;

/* One run of recognitions and conversions: the Git repositories met are
 * opened and their indexes read once, and the indexes changed are written
 * back (stat data refreshed) by slink_fakes_end(). */
typedef struct slink_fakes slink_fakes;
int slink_fakes_new(slink_fakes **out);
/* Write back every index changed and free S; returns the first error. */
int slink_fakes_end(slink_fakes *s);

/* Recognise PATH (not followed). S may be NULL for a one-off (no Git
 * placeholders then; use a run for them). A path that is none of the
 * forms is no error: its plain kind is handed back. */
int slink_fake_read(slink_fakes *s, const char *path, slink_fake *out);
void slink_fake_free(slink_fake *f);

/* What slink_convert() makes. */
typedef enum {
  SLINK_TO_NATIVE = 0,  /* this platform's symbolic link (Windows' on NTFS) */
  SLINK_TO_SYMLINK,     /* the same, by name */
  SLINK_TO_JUNCTION,    /* an NTFS junction (directories, absolute targets) */
  SLINK_TO_WSL,         /* a WSL symlink (NTFS) */
  SLINK_TO_CYGWIN,      /* a Cygwin "!<symlink>" system file */
  SLINK_TO_PLACEHOLDER, /* the Git placeholder the index records */
  SLINK_TO_SHORTCUT,    /* Cygwin's read-only .lnk shortcut (winsymlinks:lnk) */
  SLINK_TO_INTERIX      /* an Interix "IntxLNK\1" system file */
} slink_convert_to;

enum {
  SLINK_CONVERT_DRY_RUN = 1u << 0,       /* check everything, change nothing */
  SLINK_CONVERT_ALLOW_ESCAPES = 1u << 1, /* targets leaving the repository */
  SLINK_CONVERT_FALLBACK = 1u << 2       /* a junction if a symlink is refused */
};

typedef struct slink_converted {
  slink_kind from_kind; /* what was there */
  slink_fake_form from_form;
  slink_kind to_kind;   /* what is there now (or would be) */
  slink_fake_form to_form;
  char *target;         /* the target carried over */
  size_t target_len;
  int os_error;
} slink_converted;

/* Replace the link PATH, real or from another system, by one of kind TO
 * with the same target: made beside it under a temporary name, read back,
 * then renamed over it through the directory's handle, only if PATH is
 * still the file that was read. Nothing that is not recognised exactly is
 * touched (SLINK_ENOTFAKE, SLINK_EFAKE_EDITED, ...). In a Git work tree the
 * index's stat data for PATH is refreshed (written by slink_fakes_end),
 * so `git status` stays clean. A target of a Git placeholder leading
 * outside its work tree: SLINK_EESCAPES unless ALLOW_ESCAPES. Converting
 * to what is there already does nothing and succeeds. */
int slink_convert(slink_fakes *s, const char *path, slink_convert_to to,
                  unsigned flags, slink_converted *out);
void slink_converted_free(slink_converted *c);
/* "git-placeholder", "cygwin-sys", "interix", "lnk-cygwin", ... */
const char *slink_fake_form_name(slink_fake_form form);

/* Copying and moving trees (slink clone, slink move). */
/* Flags for slink_clone(). */
enum {
  SLINK_CLONE_COPY = 1u << 0,      /* copy contents (default: hard links) */
  SLINK_CLONE_REFLINK = 1u << 1,   /* share extents (FICLONE) */
  SLINK_CLONE_OUTER_DROP = 1u << 2, /* leave out links that point outside */
  SLINK_CLONE_SYNC = 1u << 3,      /* fsync every file and directory made */
  SLINK_CLONE_CHECKSUM = 1u << 4,  /* --link-dest: compare contents too */
  SLINK_CLONE_VERIFY = 1u << 5,    /* read every copy back and compare */
  SLINK_CLONE_ONE_FS = 1u << 6,    /* another filesystem inside SRC is an
                                      error (SLINK_EOTHERFS) */
  SLINK_CLONE_DRY_RUN = 1u << 7,   /* judge every entry, make nothing: each
                                      decision handed to CB as its plan */
  SLINK_CLONE_OUTER_UNROLL = 1u << 8 /* an outer link becomes a copy of
                                      what it points to */
};

/* What slink_clone() did, counted. */
typedef struct slink_clone_stats {
  uint64_t dirs;            /* directories made */
  uint64_t files_linked;    /* hard links to the source's file */
  uint64_t files_copied;    /* files whose contents were copied */
  uint64_t files_reflinked; /* files sharing the source's extents */
  uint64_t files_prev;      /* --link-dest: hard links to PREV's copy */
  uint64_t bytes_copied;
  uint64_t group_links;     /* names joined to a hard-link group made before */
  uint64_t links_rewritten; /* inner absolute links pointed into DEST */
  uint64_t links_inner;     /* inner relative links, kept as they are */
  uint64_t links_kept;      /* outer links kept as they are */
  uint64_t links_dropped;   /* outer links left out */
  uint64_t special_made;    /* FIFOs made */
  uint64_t special_skipped; /* sockets and devices left out */
  uint64_t limit_copies;    /* copied because the link limit was reached */
  uint64_t errors;
  uint64_t unrolled;        /* outer links replaced by a copy of their target */
  uint64_t unrolled_again;  /* outer links to a target copied before: a link
                               to that copy inside DEST */
  uint64_t files_total;     /* move: SRC's files and bytes, counted before */
  uint64_t bytes_total;     /* the copy (0: not known) */
} slink_clone_stats;

/* What a dry run (SLINK_CLONE_DRY_RUN) would do with an entry. */
typedef enum {
  SLINK_PLAN_NONE = 0,  /* a report, not a plan */
  SLINK_PLAN_DIR,       /* make the directory */
  SLINK_PLAN_LINK,      /* a hard link to the source's file */
  SLINK_PLAN_COPY,      /* copy the contents */
  SLINK_PLAN_REFLINK,   /* share the contents' extents */
  SLINK_PLAN_PREV,      /* a hard link to the earlier snapshot's copy */
  SLINK_PLAN_GROUP,     /* join the hard-link group made before */
  SLINK_PLAN_LIMIT_COPY, /* copy: the link limit would be reached */
  SLINK_PLAN_REWRITE,   /* an inner absolute link, pointed into DEST */
  SLINK_PLAN_INNER,     /* an inner relative link, kept */
  SLINK_PLAN_KEEP,      /* an outer link, kept */
  SLINK_PLAN_DROP,      /* an outer link, left out */
  SLINK_PLAN_UNROLL,    /* an outer link, replaced by a copy of its target */
  SLINK_PLAN_UNROLL_AGAIN, /* ... by a link to the copy made before */
  SLINK_PLAN_FIFO,      /* make the FIFO */
  SLINK_PLAN_SKIP,      /* a socket or device, left out */
  SLINK_PLAN_MOVE_STEP  /* move: a step (PATH names it) */
} slink_plan;

/* One report: a failure (error set) or a note on an entry (note set:
 * left out, copied at the link limit). */
typedef struct slink_clone_event {
  const char *path;     /* the source's path of the entry */
  size_t path_len;
  slink_kind kind;
  int error;            /* 0 or an SLINK_E... code */
  int os_error;
  const char *note;     /* NULL, or a few words on what was done instead */
  slink_plan plan;      /* a dry run's decision; SLINK_PLAN_NONE otherwise */
  const char *target;   /* NULL, or the text a link would get */
} slink_clone_event;
typedef int (*slink_clone_cb)(const slink_clone_event *ev, void *ctx);
/* Called after each entry made (EV: its path), with the counts so far;
 * nonzero stops the clone. For progress lines. */
typedef int (*slink_clone_progress_cb)(const slink_clone_event *ev,
                                       const slink_clone_stats *so_far,
                                       void *ctx);

typedef struct slink_clone_opts {
  unsigned flags;       /* SLINK_CLONE_... */
  const char *link_dest; /* an earlier snapshot, or NULL */
  slink_clone_cb cb;    /* may be NULL; nonzero stops the clone */
  void *ctx;
  slink_clone_progress_cb progress; /* may be NULL; called with CTX */
} slink_clone_opts;

/* Reproduce the directory SRC as the new directory DEST: directories,
 * modes, owners (where permitted), modification times to the nanosecond
 * and extended attributes. Regular files become hard links to SRC's (the
 * default), copies (SLINK_CLONE_COPY) or extent-sharing copies
 * (SLINK_CLONE_REFLINK); names of one file inside SRC stay names of one
 * file in DEST. A symbolic link pointing inside SRC is recreated pointing
 * inside DEST (a relative one as it is, an absolute one rewritten); one
 * pointing outside is kept as it is, or left out with
 * SLINK_CLONE_OUTER_DROP. FIFOs are made again, sockets and devices left
 * out with a note. A file at the filesystem's link limit is copied
 * instead and counted. No link is ever followed out of SRC, and
 * everything is made relative to verified directory handles. With
 * LINK_DEST, a file unchanged since that snapshot (same size, mtime,
 * mode, owner; with SLINK_CLONE_CHECKSUM the same bytes) becomes a hard
 * link to its copy there. DEST must not exist. Returns 0, or the first
 * failure (every one handed to CB). STATS may be NULL. */
int slink_clone(const char *src, const char *dest,
                const slink_clone_opts *opts, slink_clone_stats *stats);

/* What slink_move() leaves at SRC. */
typedef enum {
  SLINK_LEAVE_SYMLINK = 0, /* an absolute symbolic link to DEST */
  SLINK_LEAVE_JUNCTION,    /* a junction (an absolute symlink where none) */
  SLINK_LEAVE_NONE         /* nothing */
} slink_leave;
enum {
  SLINK_MOVE_NO_VERIFY = 1u << 0, /* across filesystems: sizes only */
  SLINK_MOVE_DRY_RUN = 1u << 1,   /* check and plan (the copy's plan too);
                                     make nothing */
  SLINK_MOVE_FORCE_OPEN = 1u << 2, /* move a SRC whose files are open */
  SLINK_MOVE_LEAVE_MOUNTS = 1u << 3 /* a mount below SRC (not SRC itself):
                                     renamed along on one filesystem; else
                                     not copied (an empty directory in
                                     DEST) and left, with the directories
                                     leading to it, under a name a note
                                     tells (target: the mount's place now) */
};
typedef struct slink_move_opts {
  slink_leave leave;
  unsigned flags;       /* SLINK_MOVE_... */
  slink_clone_cb cb;    /* failures and notes, as for slink_clone() */
  void *ctx;
  slink_clone_progress_cb progress; /* the copy's, as for slink_clone() */
} slink_move_opts;

/* Move the directory SRC to the new DEST and leave a link at SRC. On one
 * filesystem a rename; across filesystems a copy (as slink_clone() with
 * SLINK_CLONE_COPY, every file and directory flushed and read back),
 * then SRC renamed aside to a temporary name, the link made and read
 * back, and only then the old tree removed. A journal beside DEST
 * (".DEST.slink-move") records each step; an interrupted move is
 * finished by slink_move_resume() or undone by slink_move_rollback(),
 * and slink_move() refuses (SLINK_EBUSY) while one exists. Refused before
 * anything is made: DEST inside SRC or SRC inside DEST (SLINK_EINVAL),
 * SRC a mount point or holding one (SLINK_EOTHERFS; holding one is
 * allowed by SLINK_MOVE_LEAVE_MOUNTS), too little free
 * space for SRC's bytes on DEST's filesystem (SLINK_ENOSPC), and,
 * across filesystems, a file of SRC open in another process
 * (SLINK_EBUSY with the note "open by another process", unless
 * SLINK_MOVE_FORCE_OPEN; where the system can tell). */
int slink_move(const char *src, const char *dest, const slink_move_opts *o,
               slink_clone_stats *stats);
int slink_move_resume(const char *dest, const slink_move_opts *o);
int slink_move_rollback(const char *dest, const slink_move_opts *o);

/* Identical files made one (slink dedupe). */
/* Flags for slink_dedupe(). */
enum {
  SLINK_DEDUPE_DRY_RUN = 1u << 0,   /* plan only: find groups, change nothing */
  SLINK_DEDUPE_REFLINK = 1u << 1,   /* share storage (copy-on-write), keep
                                       every file's own inode and metadata */
  SLINK_DEDUPE_EMPTY = 1u << 2,     /* empty files are candidates too */
  SLINK_DEDUPE_IGNORE_MODE = 1u << 3,   /* merge files whose permissions differ */
  SLINK_DEDUPE_IGNORE_OWNER = 1u << 4,  /* ... whose owner or group differ */
  SLINK_DEDUPE_IGNORE_TIME = 1u << 5,   /* ... whose modification times differ */
  SLINK_DEDUPE_IGNORE_XATTRS = 1u << 6  /* ... whose xattrs or ACLs differ */
};

typedef struct slink_dedupe_opts {
  unsigned flags;       /* SLINK_DEDUPE_* */
  uint64_t min_size;    /* smaller files are left alone (0 counts as 1) */
  uint64_t max_links;   /* at most this many names per file; 0: what each
                           filesystem allows */
  int threads;          /* hashing threads; 0: one per core, at most 8 */
} slink_dedupe_opts;

/* What became of one name of a group. */
typedef enum {
  SLINK_DEDUPE_KEPT = 0,  /* the keeper: its inode (and metadata) stays */
  SLINK_DEDUPE_LINKED,    /* now (or, in a dry run, would be) a name of the
                             keeper; reflink: shares the keeper's storage */
  SLINK_DEDUPE_SKIPPED    /* left as it was; REASON says why */
} slink_dedupe_status;

/* Why a name was left alone. */
typedef enum {
  SLINK_DEDUPE_R_NONE = 0,
  SLINK_DEDUPE_R_CHANGED,   /* changed since it was read or compared */
  SLINK_DEDUPE_R_BUSY,      /* another process has it open for writing */
  SLINK_DEDUPE_R_DIFFERS,   /* the byte-for-byte compare found a difference */
  SLINK_DEDUPE_R_MODE,      /* same bytes, other permissions */
  SLINK_DEDUPE_R_OWNER,     /* same bytes, other owner or group */
  SLINK_DEDUPE_R_TIME,      /* same bytes, other modification time */
  SLINK_DEDUPE_R_XATTRS,    /* same bytes, other xattrs or ACLs */
  SLINK_DEDUPE_R_ERROR      /* a system call failed: ERROR says which */
} slink_dedupe_reason;

/* The reason's name ("changed", "busy", "mode", ...). */
const char *slink_dedupe_reason_name(slink_dedupe_reason r);

typedef struct slink_dedupe_name {
  const char *path;     /* the operand joined with the names below it */
  size_t path_len;
  slink_dedupe_status status;
  slink_dedupe_reason reason;
  int error;            /* R_ERROR: the SLINK_E... code */
  int os_error;
  uint64_t ino;         /* the file this name belonged to when found */
} slink_dedupe_name;

typedef struct slink_dedupe_stats {
  uint64_t files;       /* regular files found (each inode once) */
  uint64_t files_hashed;/* files whose samples or contents were read */
  uint64_t bytes_read;
  uint64_t groups;      /* groups of identical files reported */
  uint64_t linked;      /* names linked (or to be linked) */
  uint64_t skipped;     /* names left alone for a reason */
  uint64_t bytes_saved; /* freed (dry run: to be freed) */
  uint64_t errors;      /* failures: names and unreadable paths */
} slink_dedupe_stats;

typedef enum {
  SLINK_DEDUPE_EV_GROUP = 0, /* a group was handled: NAMES */
  SLINK_DEDUPE_EV_ERROR,     /* PATH could not be walked or read */
  SLINK_DEDUPE_EV_PROGRESS   /* STATS so far (every few files) */
} slink_dedupe_event_type;

/* One report. A group's NAMES start with its keeper; a keeper that
 * reached the filesystem's link limit starts a new group with a new
 * keeper. Everything pointed to lives until the callback returns. */
typedef struct slink_dedupe_event {
  slink_dedupe_event_type type;
  uint64_t size;        /* GROUP: the size of each file */
  uint64_t saved;       /* GROUP: bytes freed (or to be) by this group */
  const slink_dedupe_name *names;
  size_t count;
  const char *path;     /* ERROR */
  int error, os_error;  /* ERROR */
  const slink_dedupe_stats *stats; /* always: the totals so far */
} slink_dedupe_event;

/* A nonzero return stops slink_dedupe(), which returns that value. */
typedef int (*slink_dedupe_cb)(const slink_dedupe_event *ev, void *ctx);

/* Find identical regular files under the NDIRS directories DIRS (links,
 * devices and other filesystems' files are never candidates; names of one
 * inode count once) and make each group one file: hard links by default,
 * or shared storage with SLINK_DEDUPE_REFLINK. Files are grouped by
 * filesystem and size, then told apart by a prefix sample, a suffix
 * sample and a full XXH3-128 hash; before anything changes, the two files
 * are compared byte for byte (REFLINK: by the kernel, atomically). A name
 * is replaced by linking the keeper to a temporary name beside it and
 * renaming that over it, after checking through an open descriptor that
 * the duplicate is unchanged since it was compared; a file changed meanwhile
 * is skipped and reported. Returns 0, or the first failure's code (every
 * failure is also reported through CB); *STATS (may be NULL) gets the totals. */
int slink_dedupe(const char *const *dirs, size_t ndirs,
                 const slink_dedupe_opts *opts, slink_dedupe_cb cb, void *ctx,
                 slink_dedupe_stats *stats);

/* Output helpers shared by every front end. */

/* PATH quoted for one line of text, as GNU ls quotes names: unchanged when
 * it is printable UTF-8 without shell metacharacters, otherwise in single
 * quotes with $'\n'-style escapes for control and invalid bytes. */
char *slink_quote(const char *path, size_t len);

/* Append LEN bytes of S as a JSON string (with quotes) to the growable
 * buffer *BUF of *LEN_IO bytes and *CAP bytes capacity. A byte that is not
 * part of valid UTF-8 is written as \udcXX. Returns 0 or SLINK_ENOMEM. */
int slink_json_string(char **buf, size_t *len_io, size_t *cap,
                      const char *s, size_t len);

/* One JSON object (no newline) for PATH and its INFO, with the fields
 * path, kind, target, resolved, states, nlink, dev, ino, size, mtime and,
 * for reparse points, tag, substitute_name and print_name. */
char *slink_info_json(const char *path, const slink_info *info);

/* Path helpers (portable, no filesystem access). */

/* The shortest relative path from directory FROM to TO; both absolute and
 * canonical ("/"-separated, no "." or ".." components). */
char *slink_path_relative(const char *from_dir, const char *to);
/* PATH with "." components, repeated and trailing slashes removed (".."
 * is kept: it cannot be removed without reading the filesystem). */
char *slink_path_tidy(const char *path);

/* This platform's path syntax, for a front end that splits paths itself.
 * Nonzero for a byte that separates components: '/', on Windows also
 * the backslash. */
int slink_path_is_sep(char c);
/* Nonzero when PATH is absolute here: "/x" (Windows: "C:\x", "\\srv\share"
 * and "\x" from the current drive's root). */
int slink_path_is_absolute(const char *path);

/* UNITS code units of UTF-16 (a Windows command line or name) as UTF-8 in
 * *OUT (malloc'd, NUL-terminated). An unpaired surrogate, which Windows
 * names may hold, is kept as its three-byte generalized UTF-8 form (as
 * WTF-8 does), so the name given reaches the same file. SLINK_ENOMEM
 * only. */
int slink_utf16_to_utf8(const uint16_t *s, size_t units, char **out);

#ifdef __cplusplus
}
#endif
#endif /* SLINK_H */
