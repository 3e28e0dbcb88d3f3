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
  SLINK_KIND_OTHER
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
  SLINK_STATE_ESCAPES = 1u << 9
};
#define SLINK_STATE_COUNT 10
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
  SLINK_WARN_LOOP = 1u << 4           /* the target is a loop of links */
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

/* ==== BEGIN reparse codec (owner: codec work; keep names slink_reparse_*) ==== */
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
/* ==== END reparse codec ==== */

/* ==== BEGIN tree removal (owner: rm -r work) ==== */
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
/* ==== END tree removal ==== */

/* ==== BEGIN walk and scan (owner: scan work) ==== */
/* Flags for slink_walk(). */
enum {
  /* Hand over every entry, not only links (directories, files, ...). */
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
  SLINK_WALK_STAT = 1u << 5
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
/* ==== END walk and scan ==== */

/* ==== BEGIN dedupe (owner: dedupe work) ==== */
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
/* ==== END dedupe ==== */

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

#ifdef __cplusplus
}
#endif
#endif /* SLINK_H */
