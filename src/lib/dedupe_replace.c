/* dedupe_replace.c - one name of a duplicate made a name of the keeper,
 * so that at every instant the name holds one of the two identical
 * contents and nothing else is ever lost:
 *   1. the keeper is linked to a temporary name beside the duplicate, and
 *      that name is checked to be the keeper (the keeper's own name may
 *      have been swapped meanwhile);
 *   2. the temporary name and the duplicate's name are exchanged
 *      atomically (renameat2 RENAME_EXCHANGE), and what now has the
 *      temporary name is checked to be the duplicate that was compared,
 *      unchanged (inode, size, mtime, and ctime until our own rename) and
 *      with no writer waiting on its lease; anything else is exchanged
 *      back, so a file swapped in for the duplicate is never removed,
 *      until the temporary name holds what may go (put_back);
 *   3. the temporary name, checked once more to be the duplicate's old
 *      inode, is removed.
 * Where the exchange is not available the temporary name is renamed over
 * the duplicate's name right after the same checks (util-linux hardlink's
 * way), which leaves a window of one system call; Windows does it its own
 * way (slink__os_rf_replace in sys.h). */
#include <stdlib.h>
#include <string.h>

#include "lib/dedupe.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"

/* Is O's file still as compared? 0, or a reason. The guard first: a
 * writer waiting for the file is the one change a stat cannot show yet.
 * After the exchange (DATA_ONLY) the duplicate's ctime is ours: then its
 * data must not have moved and no writer may be waiting. */
static int unchanged(dd_run *run, dd_open *o, int data_only) {
  const dd_file *f = &run->files[run->names[o->name].file];
  int os_err = 0;
  int g = slink__os_rf_guard(o->f, &os_err);
  if (g == 0 || g == SLINK_EBUSY)
    return SLINK_DEDUPE_R_BUSY;
  slink__stat now;
  if (slink__os_rf_stat(o->f, &now, &os_err) < 0 || now.size != f->size ||
      now.mtime != f->mtime || now.mtime_ns != f->mtime_ns)
    return SLINK_DEDUPE_R_CHANGED;
  if (!data_only &&
      (!slink__same_file(&now, &o->st) || now.ctime != o->st.ctime ||
       now.ctime_ns != o->st.ctime_ns))
    return SLINK_DEDUPE_R_CHANGED;
  return 0;
}

/* Our own acts changed the ctime and link count of both files. */
static void note_own_change(dd_open *o) {
  slink__stat now;
  if (slink__os_rf_stat(o->f, &now, NULL) == 0 && slink__same_file(&now, &o->st))
    o->st = now;
}

/* Take the temporary name T in DIR away again, if it is still the keeper
 * (whose ctime that changed). */
static void drop_temp(slink__h *dir, const char *t, dd_open *k) {
  slink__os_h_unlink(dir, t, &k->st, 0, NULL);
  note_own_change(k);
}

/* Remove T, just checked to be the duplicate D: the replacement's end. */
static int remove_dup(slink__h *dir, const char *t, dd_open *k, dd_open *d,
                      int *err, int *os_err) {
  /* T is a name this call made a moment ago at random, just checked to
   * be the duplicate: moving it aside to another such name before the
   * removal (what slink__os_h_unlink does for a name someone gave) would
   * leave the same gap between the check and the removal, at the cost of
   * a rename per name. */
  int rc = slink__os_h_unlink(dir, t, NULL, 0, os_err);
  if (rc < 0) {
    *err = rc;
    return SLINK_DEDUPE_R_ERROR;
  }
  note_own_change(k);
  note_own_change(d);
  return 0;
}

/* T holds what must not be removed (REASON): undo the exchange, though
 * someone may be exchanging the name with another meanwhile and have
 * moved the keeper's link there. Each exchange of T with the name leaves
 * T holding what the name held, and T is exchanged until that may go: the
 * keeper's link (put back: REASON), or, when only who T held was wrong
 * (FOREIGN) and both files are still as compared, the duplicate, removed
 * as the replacement would have (0): the keeper's link is then under the
 * name it was moved to, the other file under this one, as if the names
 * had been exchanged just after the replacement. Left alone by everyone
 * else, one exchange does. SLINK_ECHANGED when none did: T stays,
 * holding a file. */
static int put_back(dd_run *run, slink__h *dir, const char *t,
                    const char *leaf, dd_open *k, dd_open *d, int reason,
                    int foreign, int *err, int *os_err) {
  for (int tries = 0; tries < 64; tries++) {
    slink__stat st;
    if (slink__os_h_rename(dir, t, dir, leaf, SLINK__RENAME_EXCHANGE, NULL) < 0)
      break;
    if (slink__os_h_lstat(dir, t, &st, NULL) < 0)
      continue;
    if (slink__same_file(&st, &k->st)) {
      drop_temp(dir, t, k);
      return reason;
    }
    if (foreign && slink__same_file(&st, &d->st)) {
      if (!unchanged(run, d, 1) && !unchanged(run, k, 1) &&
          slink__os_h_lstat(dir, t, &st, NULL) == 0 &&
          slink__same_file(&st, &d->st))
        return remove_dup(dir, t, k, d, err, os_err);
      foreign = 0; /* changed: it goes back under its name */
    }
  }
  return SLINK_ECHANGED;
}

static int replace_in(dd_run *run, dd_open *k, dd_open *d, uint32_t name,
                      slink__h *dir, const char *leaf, int *err, int *os_err) {
  slink__stat cur;
  if (slink__os_h_lstat(dir, leaf, &cur, os_err) < 0 ||
      !slink__same_file(&cur, &d->st))
    return SLINK_DEDUPE_R_CHANGED;
  int reason = unchanged(run, k, 0);
  if (!reason)
    reason = unchanged(run, d, 0);
  if (reason)
    return reason;
  char t[SLINK__TEMP_LEN + 1];
  slink__temp_name(t);
  slink__sigsave saved;
  slink__os_signals_hold(&saved);
  SLINK__HOOK(SLINK__HP_DEDUPE_BEFORE_LINK, dir, leaf);
  int rc = slink__os_h_hardlink(k->dir, k->leaf, dir, t, os_err);
  if (rc == SLINK_EMLINK) {
    slink__os_signals_release(&saved);
    return SLINK_EMLINK;
  }
  if (rc < 0) {
    slink__os_signals_release(&saved);
    *err = rc;
    return SLINK_DEDUPE_R_ERROR;
  }
  slink__stat tst;
  if (slink__os_h_lstat(dir, t, &tst, os_err) < 0 ||
      !slink__same_file(&tst, &k->st)) {
    /* The keeper's name led elsewhere: remove only what we made. */
    if (slink__os_h_lstat(dir, t, &tst, NULL) == 0)
      slink__os_h_unlink(dir, t, &tst, 0, NULL);
    slink__os_signals_release(&saved);
    return SLINK_DEDUPE_R_CHANGED;
  }
  SLINK__HOOK(SLINK__HP_DEDUPE_BEFORE_RENAME, dir, leaf);
  rc = slink__os_h_rename(dir, t, dir, leaf, SLINK__RENAME_EXCHANGE, os_err);
  if (rc == SLINK_ENOTSUP) {
    /* No exchange here: check once more and rename over. */
    if (slink__os_h_lstat(dir, leaf, &cur, os_err) < 0 ||
        !slink__same_file(&cur, &d->st) || (reason = unchanged(run, d, 0)) != 0) {
      drop_temp(dir, t, k);
      slink__os_signals_release(&saved);
      return reason ? reason : SLINK_DEDUPE_R_CHANGED;
    }
    rc = slink__os_rf_replace(d->f, dir, t, leaf, os_err);
    if (rc < 0) {
      drop_temp(dir, t, k);
      slink__os_signals_release(&saved);
      if (rc == SLINK_ECHANGED || rc == SLINK_EBUSY)
        return rc == SLINK_EBUSY ? SLINK_DEDUPE_R_BUSY : SLINK_DEDUPE_R_CHANGED;
      *err = rc;
      return SLINK_DEDUPE_R_ERROR;
    }
    slink__os_signals_release(&saved);
    note_own_change(k);
    note_own_change(d);
    return 0;
  }
  if (rc < 0) {
    drop_temp(dir, t, k);
    slink__os_signals_release(&saved);
    *err = rc;
    return SLINK_DEDUPE_R_ERROR;
  }
  /* The name now holds the keeper; T holds what the name held. */
  SLINK__HOOK(SLINK__HP_DEDUPE_AFTER_EXCHANGE, dir, leaf);
  reason = unchanged(run, d, 1);
  if (!reason)
    reason = unchanged(run, k, 1);
  /* Last, right before the removal: T is still the duplicate. */
  slink__stat old;
  int foreign = 0;
  if (!reason && slink__os_h_lstat(dir, t, &old, os_err) < 0)
    reason = SLINK_DEDUPE_R_CHANGED;
  else if (!reason && !slink__same_file(&old, &d->st)) {
    reason = SLINK_DEDUPE_R_CHANGED;
    foreign = 1;
  }
  if (reason)
    rc = put_back(run, dir, t, leaf, k, d, reason, foreign, err, os_err);
  else
    rc = remove_dup(dir, t, k, d, err, os_err);
  slink__os_signals_release(&saved);
  if (rc == SLINK_ECHANGED) {
    /* Said about the name left, which the user must look at. */
    char *p = slink__dd_path_beside(run, name, t);
    slink__dd_error(run, p ? p : t, SLINK_ECHANGED, 0);
    free(p);
    return reason;
  }
  return rc;
}

int slink__dd_replace(dd_run *run, dd_open *k, dd_open *d, uint32_t name,
                      int *err, int *os_err) {
  if (name == d->name)
    return replace_in(run, k, d, name, d->dir, d->leaf, err, os_err);
  /* Another name of the same duplicate, in its own directory. */
  dd_name *nm = &run->names[name];
  slink__h *dir = NULL;
  int rc = slink__dd_open_dir(run, nm->dir, &dir, os_err);
  int reason = 0;
  if (rc == SLINK_ENOENT || rc == SLINK_ENOTDIR || rc == SLINK_ECHANGED)
    reason = SLINK_DEDUPE_R_CHANGED;
  else if (rc < 0) {
    *err = rc;
    reason = SLINK_DEDUPE_R_ERROR;
  } else
    reason = replace_in(run, k, d, name, dir, slink__dd_leaf(run, name), err,
                        os_err);
  slink__os_h_close(dir);
  return reason;
}

int slink__dd_reflink(dd_run *run, dd_open *k, dd_open *d, int *err,
                      int *os_err) {
  const dd_file *f = &run->files[run->names[d->name].file];
  int rc = slink__os_rf_dedupe(k->f, d->f, f->size, os_err);
  if (rc == SLINK_ECHANGED)
    return SLINK_DEDUPE_R_DIFFERS;
  if (rc < 0) {
    *err = rc;
    return SLINK_DEDUPE_R_ERROR;
  }
  run->stats.bytes_read += 2 * f->size; /* the kernel read both */
  return 0;
}
