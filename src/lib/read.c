/* read.c - what a path is: kind, stored target, resolved target, states. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

static void copy_stat(slink_info *info, const slink__stat *st) {
  info->kind = st->kind;
  info->nlink = st->nlink;
  info->dev = st->dev;
  info->ino = st->ino;
  info->size = st->size;
  info->mtime = st->mtime;
  info->mode = st->mode;
}

/* Where a link resolves to and in what state it is. */
static int resolve(const char *path, slink_info *info, unsigned flags) {
  slink__stat t;
  int rc = slink__os_stat(path, &t, NULL);
  if (rc == 0) {
    info->target_kind = t.kind;
    if (t.kind == SLINK_KIND_DIR && info->kind == SLINK_KIND_SYMLINK)
      info->kind = SLINK_KIND_DIR_SYMLINK;
  }
  if (!(flags & SLINK_READ_RESOLVE))
    return 0;
  switch (rc) {
  case 0:
    info->states |= SLINK_STATE_OK;
    if (slink__os_realpath(path, &info->resolved, NULL) < 0)
      info->resolved = NULL;
    break;
  case SLINK_ENOENT:
  case SLINK_ENOTDIR:
    info->states |= SLINK_STATE_DANGLING;
    /* Still say where it would point: the canonical missing path. */
    if (slink__canonical(path, &info->resolved, NULL) < 0)
      info->resolved = NULL;
    break;
  case SLINK_ELOOP:
    info->states |= SLINK_STATE_LOOP;
    break;
  case SLINK_EACCES:
  case SLINK_EPERM:
    info->states |= SLINK_STATE_DENIED;
    break;
  case SLINK_ENOMEM:
    return rc;
  default:
    info->states |= SLINK_STATE_DANGLING;
    break;
  }
  if (info->kind == SLINK_KIND_JUNCTION ||
      (info->target && slink__os_is_absolute(info->target)))
    info->states |= SLINK_STATE_ABSOLUTE;
  else
    info->states |= SLINK_STATE_RELATIVE;
  return 0;
}

int slink_read(const char *path, unsigned flags, slink_info *info) {
  memset(info, 0, sizeof *info);
  if (!path || !*path)
    return SLINK_EEMPTYPATH;
  char *p = slink__path_strip_trailing(path);
  if (!p)
    return SLINK_ENOMEM;
  slink__stat st;
  int rc = slink__os_lstat(p, &st, NULL);
  if (rc == 0) {
    copy_stat(info, &st);
    if (slink_kind_is_link(st.kind)) {
      rc = slink__os_readlink(p, info, NULL);
      if (rc == 0)
        rc = resolve(p, info, flags);
    }
  }
  free(p);
  if (rc < 0)
    slink_info_free(info);
  return rc;
}
