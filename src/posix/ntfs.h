/*
 * ntfs.h - NTFS reparse points on an ntfs-3g mount, seen from the POSIX
 * backend. ntfs-3g exposes a reparse point's raw REPARSE_DATA_BUFFER as the
 * extended attribute "system.ntfs_reparse_data"; writing one there on an
 * empty directory or file turns it into a junction or Windows symlink that
 * Windows itself follows.
 */
#ifndef SLINK_POSIX_NTFS_H
#define SLINK_POSIX_NTFS_H

#include "sys.h"

/* Nonzero when DIR is on an ntfs-3g (or lowntfs-3g) mount. */
int slink__ntfs_dir_is_ntfs(const char *dir);

/* Nonzero when the entry PATH (not what it points to) lies on an ntfs-3g
 * mount: its directory is asked, since statfs(PATH) would follow a link to
 * its target, or fail for a dangling one. */
int slink__ntfs_link_is_ntfs(const char *path);

/* Nonzero when NAME in the directory DIRFD is on an ntfs-3g mount and
 * already has as many names as Windows allows a file (1,024: the original
 * and 1,023 links). ntfs-3g itself links on past it, making a volume
 * Windows cannot add to; slink stops there as Windows would (EMLINK). */
int slink__ntfs_at_link_limit(int dirfd, const char *name);

/* If PATH carries an NTFS reparse point (or is an Interix symlink file),
 * fill INFO as slink__os_readlink() does and return 1; return 0 when PATH is
 * not one (the caller then uses readlink(2)); a negative code on error. */
int slink__ntfs_readlink(const char *path, slink_info *info, int *os_err);

/* Make a real NTFS symbolic link / junction at LINK (whose parent is on an
 * ntfs-3g mount). Same contract as slink__os_symlink / slink__os_junction. */
int slink__ntfs_symlink(const char *target, const char *link, int is_dir,
                        const char *drive, int *os_err);
int slink__ntfs_junction(const char *abs_target, const char *link,
                         const char *drive, int *os_err);

/* 0 when a link made in the directory DIR (on an ntfs-3g mount) can
 * name the absolute TARGET in Windows' terms, else why not. */
int slink__ntfs_can_name(const char *dir, const char *target, int *os_err);

/* The POSIX path of the absolute Windows path WINPATH ("X:\\rest") for
 * a link made in DIR: where the ".NTFS-3G/X:" entry at the root of DIR's
 * volume leads (ntfs-3g's own map of drive letters), joined with rest.
 * SLINK_EWINDRIVE when no such entry maps drive X: here. */
int slink__ntfs_posix_path(const char *dir, const char *winpath, char **out,
                           int *os_err);

#endif
