/* walkact.c - acting on an entry from inside slink_walk()'s callback,
 * through the walk's verified handle of the directory holding it (see
 * walk.h): what fix changes, it changes in the tree it walked, and only
 * the very link it looked at. */
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/internal.h"
#include "lib/walk.h"
#include "sys.h"

static const slink__walk_item *item(const slink_walk_entry *e) {
  const slink__walk_item *it = (const slink__walk_item *)(const void *)e;
  return e && it->dir ? it : NULL;
}

/* What the entry is now, and whether that is what was listed. */
static int still_listed(const slink__walk_item *it, slink__stat *now) {
  int rc = slink__os_h_lstat(it->dir, it->name, now, NULL);
  if (rc < 0)
    return rc;
  if (it->have_expect && !slink__same_file(now, &it->expect))
    return SLINK_ECHANGED;
  return 0;
}

int slink_walk_may_change(const slink_walk_entry *e) {
  const slink__walk_item *it = item(e);
  if (!it)
    return SLINK_ENOTSUP;
  slink__stat now;
  int rc = still_listed(it, &now);
  if (rc < 0)
    return rc;
  /* What slink_walk_unlink would refuse, a dry run refuses too. */
  if (now.kind == SLINK_KIND_DIR)
    return SLINK_EISDIR;
  if (!slink_kind_is_link(now.kind) && now.nlink < 2)
    return SLINK_ENOTLINK;
  return slink__os_h_may_change(it->dir, it->name, NULL);
}

int slink_is_temp_name(const char *name, size_t len) {
  return slink__is_temp_name(name, len);
}

int slink_walk_unlink(const slink_walk_entry *e) {
  const slink__walk_item *it = item(e);
  if (!it)
    return SLINK_ENOTSUP;
  slink__stat now;
  int rc = still_listed(it, &now);
  if (rc < 0)
    return rc;
  if (now.kind == SLINK_KIND_DIR)
    return SLINK_EISDIR;
  SLINK__HOOK(SLINK__HP_BEFORE_ACT, it->dir, it->name);
  /* Checked on the very object removed: it is moved aside, looked at,
   * and removed only if it is still what was listed. */
  return slink__os_h_unlink(it->dir, it->name, &now, SLINK__UNLINK_NOT_LAST,
                            NULL);
}

/* Make the new link under TMP and read it back. */
static int make_temp(const slink__walk_item *it, const char *tmp,
                     const char *target, slink_kind kind, int *os_err) {
  int rc;
  if (kind == SLINK_KIND_JUNCTION) {
    slink_kind made;
    rc = slink__os_h_junction(it->dir, tmp, target, NULL, &made, os_err);
  } else {
    int is_dir = kind == SLINK_KIND_DIR_SYMLINK ||
                 (it->pub.info && it->pub.info->target_kind == SLINK_KIND_DIR);
    rc = slink__os_h_symlink(it->dir, tmp, target, is_dir, NULL, os_err);
  }
  if (rc < 0)
    return rc;
  SLINK__HOOK(SLINK__HP_BEFORE_VERIFY, it->dir, tmp);
  slink_info back;
  memset(&back, 0, sizeof back);
  rc = slink__os_h_readlink(it->dir, tmp, &back, NULL);
  if (rc == 0 && kind != SLINK_KIND_JUNCTION &&
      (back.target_len != strlen(target) ||
       memcmp(back.target, target, back.target_len) != 0))
    rc = SLINK_ENOTVERIFIED;
  slink_info_free(&back);
  return rc == SLINK_EINVAL ? SLINK_ENOTVERIFIED : rc;
}

/* Remove TMP if it is still the link this run made (MINE). */
static void drop_temp(const slink__walk_item *it, const char *tmp,
                      const slink__stat *mine) {
  slink__os_h_unlink(it->dir, tmp, mine, 0, NULL);
}

int slink_walk_relink(const slink_walk_entry *e, const char *target) {
  const slink__walk_item *it = item(e);
  if (!it || !target)
    return it ? SLINK_EINVAL : SLINK_ENOTSUP;
  slink__stat old;
  int rc = still_listed(it, &old);
  if (rc < 0)
    return rc;
  if (!slink_kind_is_link(old.kind))
    return SLINK_ENOTLINK;
  slink_kind kind = it->pub.kind;
  slink__sigsave saved;
  /* A signal lands only once the temporary name is gone. */
  slink__os_signals_hold(&saved);
  char tmp[SLINK__TEMP_LEN + 1];
  rc = SLINK_EEXIST;
  int os_err = 0;
  for (int tries = 0; tries < 8 && rc == SLINK_EEXIST; tries++) {
    slink__temp_name(tmp);
    rc = make_temp(it, tmp, target, kind, &os_err);
  }
  slink__stat mine;
  int have_mine = rc != SLINK_EEXIST &&
                  slink__os_h_lstat(it->dir, tmp, &mine, NULL) == 0;
  if (rc < 0) {
    if (have_mine)
      drop_temp(it, tmp, &mine);
    slink__os_signals_release(&saved);
    return rc;
  }
  SLINK__HOOK(SLINK__HP_BEFORE_RENAME, it->dir, tmp);
  /* Exchange, then look at what came out: the old name is replaced only
   * if it still held the link that was listed; else it goes back. */
  rc = slink__os_h_rename(it->dir, tmp, it->dir, it->name,
                          SLINK__RENAME_EXCHANGE, NULL);
  if (rc == 0) {
    slink__stat out;
    int ok = slink__os_h_lstat(it->dir, tmp, &out, NULL) == 0 &&
             slink__same_file(&out, &old);
    if (ok) {
      rc = slink__os_h_unlink(it->dir, tmp, &out, 0, NULL);
      if (rc < 0) /* the new link is in place; the old one kept aside */
        rc = 0;
    } else {
      slink__os_h_rename(it->dir, tmp, it->dir, it->name,
                         SLINK__RENAME_EXCHANGE, NULL);
      drop_temp(it, tmp, &mine);
      rc = SLINK_ECHANGED;
    }
  } else if (rc == SLINK_ENOTSUP) {
    /* No exchange here: check, then rename over, in one directory. */
    slink__stat now;
    rc = still_listed(it, &now);
    if (rc == 0 && !slink__same_file(&now, &old))
      rc = SLINK_ECHANGED;
    if (rc == 0)
      rc = slink__os_h_rename(it->dir, tmp, it->dir, it->name, 0, &os_err);
    if (rc < 0)
      drop_temp(it, tmp, &mine);
  } else {
    drop_temp(it, tmp, &mine);
  }
  slink__os_signals_release(&saved);
  return rc;
}
