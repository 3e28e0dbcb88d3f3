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

/* Where a dangling link would point: its chain followed to the first name
 * that does not exist (at most 40 hops, the kernel's own limit). */
static char *dangling_end(const char *path) {
  char *cur = slink__strdup(path);
  for (int hop = 0; cur && hop < 40; hop++) {
    slink__stat st;
    if (slink__os_lstat(cur, &st, NULL) < 0 || !slink_kind_is_link(st.kind))
      break;
    slink_info l;
    memset(&l, 0, sizeof l);
    if (slink__os_readlink(cur, &l, NULL) < 0 || !l.target) {
      slink_info_free(&l);
      break;
    }
    char *next;
    if (slink__os_is_absolute(l.target)) {
      next = slink__strdup(l.target);
    } else {
      char *dir = slink__path_dirname(cur);
      next = dir ? slink__path_join(dir, l.target) : NULL;
      free(dir);
    }
    slink_info_free(&l);
    free(cur);
    cur = next;
  }
  char *out = NULL;
  if (cur && slink__canonical(cur, &out, NULL) < 0)
    out = NULL;
  free(cur);
  return out;
}

/* messy, lengthy and cross-device, worked out as scan does (classify.c)
 * from the link's canonical directory; "escapes" needs a root, which a
 * single path has not. */
static int text_states(const char *path, slink_info *info) {
  if (!info->target)
    return 0;
  char *dir = slink__path_dirname(path);
  char *real = NULL;
  int rc = dir ? slink__os_realpath(dir, &real, NULL) : SLINK_ENOMEM;
  free(dir);
  if (rc == SLINK_ENOMEM)
    return rc;
  if (rc < 0)
    return 0;
  slink_info c;
  memset(&c, 0, sizeof c);
  c.kind = info->kind;
  rc = slink_classify(real, info->target, info->target_len, NULL, &c);
  free(real);
  if (rc == 0)
    info->states |= c.states & (SLINK_STATE_MESSY | SLINK_STATE_LENGTHY |
                                SLINK_STATE_CROSS_DEVICE);
  slink_info_free(&c);
  return rc == SLINK_ENOMEM ? rc : 0;
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
    info->resolved = dangling_end(path);
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
  return text_states(path, info);
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
