/* hpath.h - directory handles for the paths users give (see hpath.c). */
#ifndef SLINK_LIB_HPATH_H
#define SLINK_LIB_HPATH_H

#include "sys.h"

/* Open the directory PATH (relative to the current directory, or
 * absolute; any length), following links in it as the system does for a
 * typed path. *ST (may be NULL) describes it. */
int slink__h_open_dir(const char *path, slink__h **out, slink__stat *st,
                      int *os_err);

/* Open the directory that holds PATH's last component (any length;
 * trailing separators ignored) and hand back that component in *LEAF
 * (malloc'd; "" for the root, which has no parent entry; "." or ".." as
 * written, for the caller to refuse). Nothing of LEAF is looked at. */
int slink__h_parent(const char *path, slink__h **dir, char **leaf,
                    int *os_err);

#endif
