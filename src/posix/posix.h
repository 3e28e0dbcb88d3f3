/* posix.h - helpers shared by the POSIX backend's files. */
#ifndef SLINK_POSIX_H
#define SLINK_POSIX_H

#include <sys/stat.h>

#include "sys.h"

/* errno value E as an SLINK_E... code. */
int slink__posix_err(int e);
/* The current errno as a code, also stored in *OS_ERR when not NULL. */
int slink__posix_fail(int *os_err);
/* struct stat in the core's words. */
void slink__posix_fill_stat(const struct stat *sb, slink__stat *st);

/* Read the symbolic link NAME relative to DIRFD (AT_FDCWD for a path) into
 * info->target and target_len, whatever its length; kind becomes
 * SLINK_KIND_SYMLINK. Not a link: SLINK_EINVAL. */
int slink__posix_readlinkat(int dirfd, const char *name, slink_info *info,
                            int *os_err);

/* The descriptor behind a directory handle (the attack tests' hooks). */
int slink__posix_h_fd(const slink__h *h);
/* The device DIR is on, as it was opened. */
uint64_t slink__posix_h_dev(const slink__h *h);

#endif
