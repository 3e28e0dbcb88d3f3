/* move.c - slink_move() and its resume and rollback. Every step is
 * recorded in the journal before the next begins, and resume and
 * rollback decide from what is on disk (SRC a directory, a link to DEST
 * or gone; the aside name there or not) with the journal only saying
 * where things are, so a kill between any two steps leaves a state both
 * can finish. Nothing of SRC is removed before DEST was copied, flushed
 * and read back, and the link at SRC was made and read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/move.h"
#include "lib/tree.h"

#define STEP(name) SLINK__HOOK(SLINK__HP_MOVE_STEP, NULL, (name))

/* A mount below SRC (-x): its path below SRC and how it looked. */
typedef struct mount {
  char *rel;
  slink__stat st;
} mount;

typedef struct mv {
  const slink_move_opts *o;
  slink_clone_stats *n;
  slink__journal j;
  slink__h *sdir, *ddir;  /* the parents of SRC and DEST */
  char *sleaf, *dleaf, *jname;
  char *aside_path;       /* SRC's parent joined to the aside name */
  uint64_t files_total, bytes_total; /* SRC's, counted by check() */
  int planning;           /* the copy is a dry run's */
  mount *mounts;          /* -x: the mounts check() found */
  size_t nmounts;
} mv;

static int report_note(const slink_move_opts *o, const char *path, int err,
                       int os_err, const char *note) {
  if (o->cb && err) {
    slink_clone_event ev = {path, strlen(path), SLINK_KIND_NONE, err, os_err,
                            note, SLINK_PLAN_NONE, NULL};
    int stop = o->cb(&ev, o->ctx);
    if (stop)
      return stop;
  }
  return err;
}

static int report(const slink_move_opts *o, const char *path, int err,
                  int os_err) {
  return report_note(o, path, err, os_err, NULL);
}

/* A dry run's step: NAME, with TARGET (a path, or NULL). */
static int plan_step(mv *m, const char *name, const char *target) {
  if (!m->o->cb)
    return 0;
  slink_clone_event ev = {name, strlen(name), SLINK_KIND_NONE, 0, 0, NULL,
                          SLINK_PLAN_MOVE_STEP, target};
  return m->o->cb(&ev, m->o->ctx);
}

/* The copy's progress, with SRC's totals: a rate and a time left. */
static int tick(const slink_clone_event *ev, const slink_clone_stats *n,
                void *ctx) {
  const mv *m = ctx;
  slink_clone_stats s = *n;
  s.files_total = m->files_total;
  s.bytes_total = m->bytes_total;
  return m->o->progress(ev, &s, m->o->ctx);
}

/* The copy's events, passed on; in the real run its first failure stops
 * it, since a move cannot finish without every entry (and a full DEST
 * fails every one). */
static int forward(const slink_clone_event *ev, void *ctx) {
  const mv *m = ctx;
  if (!m->planning && ev->note == slink__clone_mount_note)
    return 0; /* said once the mount is where it stays */
  int stop = m->o->cb ? m->o->cb(ev, m->o->ctx) : 0;
  return stop ? stop : m->planning ? 0 : ev->error;
}

/* The copy of SRC as DEST: the same for the real run and the plan. */
static int copy_tree(mv *m, unsigned more) {
  m->planning = (more & SLINK_CLONE_DRY_RUN) != 0;
  slink_clone_opts co;
  memset(&co, 0, sizeof co);
  co.flags = SLINK_CLONE_COPY | SLINK_CLONE_SYNC | SLINK_CLONE_ONE_FS |
             ((m->o->flags & SLINK_MOVE_NO_VERIFY) ? 0 : SLINK_CLONE_VERIFY) |
             (m->j.mounts ? SLINK__CLONE_MOUNTS_EMPTY : 0) |
             more;
  co.cb = forward;
  co.ctx = m;
  co.progress = m->o->progress ? tick : NULL;
  int rc = slink_clone(m->j.src, m->j.dest, &co, m->n);
  m->n->files_total = m->files_total;
  m->n->bytes_total = m->bytes_total;
  return rc;
}

static void mv_free(mv *m) {
  slink__os_h_close(m->sdir);
  slink__os_h_close(m->ddir);
  free(m->sleaf);
  free(m->dleaf);
  free(m->jname);
  free(m->aside_path);
  for (size_t i = 0; i < m->nmounts; i++)
    free(m->mounts[i].rel);
  free(m->mounts);
  slink__journal_free(&m->j);
}

/* Open DEST's parent and name the journal. */
static int open_dest_side(mv *m, const char *dest, int *os_err) {
  int rc = slink__h_parent(dest, &m->ddir, &m->dleaf, os_err);
  if (rc < 0)
    return rc == SLINK_ENOENT ? SLINK_ENOPARENT : rc;
  if (!*m->dleaf || strcmp(m->dleaf, ".") == 0 || strcmp(m->dleaf, "..") == 0)
    return SLINK_EINVAL;
  m->jname = slink__journal_name(m->dleaf);
  return m->jname ? 0 : SLINK_ENOMEM;
}

static int open_src_side(mv *m, int *os_err) {
  int rc = slink__h_parent(m->j.src, &m->sdir, &m->sleaf, os_err);
  if (rc < 0)
    return rc;
  char *parent = slink__path_dirname(m->j.src);
  m->aside_path = parent ? slink__path_join(parent, m->j.aside) : NULL;
  free(parent);
  return m->aside_path ? 0 : SLINK_ENOMEM;
}

static int save(mv *m) { return slink__journal_write(m->ddir, m->jname, &m->j, NULL); }

/* What is at NAME of DIR: a directory, our link to DEST, anything else,
 * or nothing (SLINK_KIND_NONE). */
enum { AT_NONE, AT_DIR, AT_OUR_LINK, AT_OTHER };
static int what_at(mv *m, slink__h *dir, const char *name, slink__stat *st) {
  if (slink__os_h_lstat(dir, name, st, NULL) < 0)
    return AT_NONE;
  if (st->kind == SLINK_KIND_DIR)
    return AT_DIR;
  slink_info info;
  memset(&info, 0, sizeof info);
  char *lex = NULL;
  int ours = slink_kind_is_link(st->kind) &&
             slink__os_h_readlink(dir, name, &info, NULL) == 0 &&
             info.target && (lex = slink__path_lexical(info.target)) &&
             strcmp(lex, m->j.dest) == 0;
  /* A reparse point's target is read back in the volume's own terms (on
   * ntfs-3g through .NTFS-3G/X:): it is ours when it leads to DEST. */
  slink__stat at, dest;
  if (!ours && info.tag != 0 && slink__os_h_stat(dir, name, &at, NULL) == 0 &&
      slink__os_h_lstat(m->ddir, m->dleaf, &dest, NULL) == 0)
    ours = slink__same_file(&at, &dest);
  free(lex);
  slink_info_free(&info);
  return ours ? AT_OUR_LINK : AT_OTHER;
}

/* The link at SRC to DEST, read back before it counts. */
static int leave_link(mv *m) {
  if (m->j.leave == SLINK_LEAVE_NONE)
    return 0;
  slink__stat st;
  if (what_at(m, m->sdir, m->sleaf, &st) == AT_OUR_LINK)
    return 0;
  int rc;
  if (m->j.leave == SLINK_LEAVE_JUNCTION) {
    slink_kind made;
    rc = slink__os_h_junction(m->sdir, m->sleaf, m->j.dest, NULL, &made, NULL);
  } else {
    rc = slink__os_h_symlink(m->sdir, m->sleaf, m->j.dest, 1, NULL, NULL);
  }
  if (rc == 0 && what_at(m, m->sdir, m->sleaf, &st) != AT_OUR_LINK)
    rc = SLINK_ENOTVERIFIED;
  if (rc == 0)
    rc = slink__os_h_sync(m->sdir, NULL);
  return rc;
}

static int remove_tree(const char *path) {
  return slink_remove_tree(path, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
}

/* The old tree's removal: never into a mount (one that came after the
 * check too), whose directory and the ones leading to it stay. */
typedef struct kept {
  int mounts, other;    /* mounts kept; the first other failure */
} kept;

static int on_removed(const slink_tree_event *ev, void *ctx) {
  kept *k = ctx;
  if (ev->error == SLINK_EOTHERFS)
    k->mounts++;
  else if (ev->error && !k->other)
    k->other = ev->error;
  return 0;
}

static int remove_old(mv *m, char **keptp) {
  kept k = {0, 0};
  int rc = slink__move_remove_old(m->aside_path,
                                  SLINK_TREE_MAKE_WRITABLE | SLINK_TREE_ONE_FS,
                                  on_removed, &k, m->ddir, m->dleaf, keptp);
  if (rc < 0 && k.other)
    rc = k.other;
  else if (rc < 0 && k.mounts && !m->j.mounts)
    return SLINK_EOTHERFS;
  else if (rc == SLINK_EOTHERFS)
    return 0; /* the mounts -x leaves */
  /* A directory that kept filling: someone puts things into the tree. */
  return rc == SLINK_ENOTEMPTY ? SLINK_ECHANGED : rc;
}

/* A note on the mount REL, now at BASE/REL: said only once it is seen
 * there (the mount's root, as check() saw it). */
static int tell_mount(mv *m, const mount *mt, const char *base,
                      const char *note) {
  char *from = slink__path_join(m->j.src, mt->rel);
  char *at = slink__path_join(base, mt->rel);
  slink__h *dir = NULL;
  char *leaf = NULL;
  slink__stat st;
  int rc = from && at ? 0 : SLINK_ENOMEM;
  if (rc == 0 && (slink__h_parent(at, &dir, &leaf, NULL) < 0 ||
                  slink__os_h_lstat(dir, leaf, &st, NULL) < 0 ||
                  !slink__same_file(&st, &mt->st)))
    note = "was mounted here; it is not at its new place";
  if (rc == 0 && m->o->cb) {
    slink_clone_event ev = {from, strlen(from), SLINK_KIND_DIR, 0, 0,
                            note, SLINK_PLAN_NONE, at};
    rc = m->o->cb(&ev, m->o->ctx);
  }
  slink__os_h_close(dir);
  free(leaf);
  free(from);
  free(at);
  return rc;
}

static int tell_mounts(mv *m, const char *base, const char *note) {
  int rc = 0;
  for (size_t i = 0; i < m->nmounts && rc == 0; i++)
    rc = tell_mount(m, &m->mounts[i], base, note);
  return rc;
}

static int finish(mv *m) {
  STEP("done");
  slink__journal_clear_temp(m->ddir, m->jname);
  int rc = slink__os_h_unlink(m->ddir, m->jname, NULL, 0, NULL);
  if (rc == 0)
    rc = slink__os_h_sync(m->ddir, NULL);
  return rc;
}

/* Every entry of the old tree has its copy in DEST, as copied, checked
 * last before the removal: else nothing of it is removed, and the journal
 * says so again (a rollback puts SRC back). BEGUN: a removal cut short
 * is resumed, and its directories' times are its own doing. */
static int old_tree_copied(mv *m, int begun) {
  char *changed = NULL;
  int rc = slink__move_same(m->sdir, m->j.aside, m->j.src, m->ddir,
                            m->dleaf, !begun, m->j.mounts, &changed);
  if (rc == 0)
    return 0;
  if (!begun) {
    m->j.removing = 0;
    save(m);
  }
  rc = report(m->o, changed ? changed : m->j.src, rc, 0);
  free(changed);
  return rc;
}

/* From SRC moved aside (or renamed to DEST) on: the link, the removal of
 * the old tree, the journal's end. */
static int after_aside(mv *m) {
  int rc;
  if (!m->j.by_copy) {
    /* A copy pointed its inner links into DEST as it made them. */
    STEP("relink");
    rc = slink__move_relink(m->ddir, m->dleaf, m->j.src, m->j.dest);
    if (rc < 0)
      return report(m->o, m->j.dest, rc, 0);
  }
  STEP("link");
  rc = leave_link(m);
  if (rc < 0)
    return report(m->o, m->j.src, rc, 0);
  if (m->j.by_copy) {
    slink__stat st;
    if (what_at(m, m->sdir, m->j.aside, &st) == AT_DIR) {
      STEP("remove");
      int begun = m->j.removing;
      m->j.removing = 1;
      if ((rc = save(m)) < 0)
        return report(m->o, m->jname, rc, 0);
      STEP("removing");
      if ((rc = old_tree_copied(m, begun)) < 0)
        return rc;
      char *keptp = NULL;
      rc = remove_old(m, &keptp);
      if (rc < 0)
        rc = report(m->o, keptp ? keptp : m->aside_path, rc, 0);
      free(keptp);
      if (rc < 0)
        return rc;
      if (what_at(m, m->sdir, m->j.aside, &st) == AT_DIR) {
        /* What remains holds the mounts: the user is told its name. */
        if ((rc = tell_mounts(m, m->aside_path,
                              "a mount: not copied (an empty directory in "
                              "DEST), left mounted here")) != 0)
          return rc;
        if (m->o->cb) {
          slink_clone_event ev = {m->j.src, strlen(m->j.src),
                                  SLINK_KIND_NONE, 0, 0,
                                  "the directories of the old tree that "
                                  "hold its mounts are left here",
                                  SLINK_PLAN_NONE, m->aside_path};
          if ((rc = m->o->cb(&ev, m->o->ctx)) != 0)
            return rc;
        }
      }
    }
  }
  return finish(m);
}

/* SRC still in place: copy it (again, from scratch), then move it aside. */
static int copy_and_aside(mv *m) {
  int rc;
  if (!m->j.copied) {
    slink__stat st;
    if (what_at(m, m->ddir, m->dleaf, &st) == AT_DIR) {
      /* A copy cut short: made again from nothing. */
      char *d = m->j.dest;
      if ((rc = remove_tree(d)) < 0)
        return report(m->o, d, rc, 0);
    }
    STEP("copy");
    rc = copy_tree(m, 0);
    if (rc == 0)
      rc = slink__os_h_sync(m->ddir, NULL);
    if (rc < 0)
      return rc;
    /* Fewer names copied than SRC had when it was judged: some went away
     * meanwhile (renamed inside SRC, say, after its directory was
     * listed), and removing the old tree would lose them. */
    if (m->files_total &&
        m->n->files_copied + m->n->group_links < m->files_total)
      return report(m->o, m->j.src, SLINK_ECHANGED, 0);
    STEP("copied");
    m->j.copied = 1;
    if ((rc = save(m)) < 0)
      return report(m->o, m->jname, rc, 0);
  }
  STEP("aside");
  rc = slink__os_h_rename(m->sdir, m->sleaf, m->sdir, m->j.aside,
                          SLINK__RENAME_NOREPLACE, NULL);
  if (rc == 0)
    rc = slink__os_h_sync(m->sdir, NULL);
  if (rc < 0)
    return report(m->o, m->j.src, rc, 0);
  return after_aside(m);
}

static int by_rename(mv *m) {
  STEP("rename");
  int rc = slink__os_h_rename(m->sdir, m->sleaf, m->ddir, m->dleaf,
                              SLINK__RENAME_NOREPLACE, NULL);
  if (rc == SLINK_EXDEV) {
    m->j.by_copy = 1;
    if ((rc = save(m)) < 0)
      return report(m->o, m->jname, rc, 0);
    return copy_and_aside(m);
  }
  if (rc == 0)
    rc = slink__os_h_sync(m->ddir, NULL);
  if (rc == 0)
    rc = slink__os_h_sync(m->sdir, NULL);
  if (rc < 0)
    return report(m->o, m->j.src, rc, 0);
  /* A mount stays on its directory, which the rename took along. */
  if ((rc = tell_mounts(m, m->j.dest, "a mount: moved along with its "
                                      "directory")) != 0)
    return rc;
  return after_aside(m);
}

/* Go on from whatever state the disk is in. */
static int go_on(mv *m) {
  slink__stat st;
  int src = what_at(m, m->sdir, m->sleaf, &st);
  if (!m->j.by_copy) {
    if (src == AT_DIR && what_at(m, m->ddir, m->dleaf, &st) == AT_NONE)
      return by_rename(m);
    return after_aside(m);
  }
  int aside = what_at(m, m->sdir, m->j.aside, &st) == AT_DIR;
  if (src == AT_DIR && !aside && !m->j.removing)
    return copy_and_aside(m);
  return after_aside(m);
}

/* The bytes below SRC, and whether it holds another filesystem. */
typedef struct sizer {
  uint64_t bytes, files;
  int other_fs;
  int busy_check;       /* ask whether each file is open elsewhere */
  char *busy;           /* the first one that is, and who holds it */
  uint64_t busy_pid;
  mv *keep;             /* -x: mounts are noted in KEEP, not refused */
  size_t src_len;       /* the display path's, before the names below */
  int oom;
} sizer;

static int note_mount(sizer *s, const slink__tree_ent *e) {
  mv *m = s->keep;
  mount *v = realloc(m->mounts, (m->nmounts + 1) * sizeof *v);
  const char *rel = e->path + s->src_len;
  while (*rel && slink__os_is_sep(*rel))
    rel++;
  char *r = v && e->st ? slink__strdup(rel) : NULL;
  if (v)
    m->mounts = v;
  if (!r) {
    s->oom = 1;
    return SLINK__TA_STOP;
  }
  v[m->nmounts].rel = r;
  v[m->nmounts++].st = *e->st;
  return SLINK__TA_GO;
}

static int size_visit(int what, const slink__tree_ent *e, void *ctx) {
  sizer *s = ctx;
  if (what == SLINK__TV_ENTRY && e->st && e->st->kind == SLINK_KIND_FILE) {
    s->bytes += e->st->size;
    s->files++;
    if (s->busy_check &&
        slink__os_h_file_busy(e->dir, e->name, e->st, &s->busy_pid, NULL) ==
            SLINK_EBUSY) {
      s->busy = slink__strdup(e->path);
      return SLINK__TA_STOP;
    }
  }
  /* A volume mounted in a folder (Windows; ntfs-3g shows it as a
   * junction) is another filesystem, as a mount is: a copy would keep
   * only the link and the removal unmount it. */
  if ((what == SLINK__TV_ERROR && e->err == SLINK_EOTHERFS) ||
      (what == SLINK__TV_ENTRY && e->st &&
       slink_kind_is_link(e->st->kind) && slink__tree_is_volume(e))) {
    if (s->keep)
      return note_mount(s, e);
    s->other_fs = 1;
    return SLINK__TA_STOP;
  }
  return SLINK__TA_GO;
}

/* DIR/LEAF in the form links are compared in ("/" separators: Windows
 * gives "C:\\x"). */
static char *joined(const char *dir, const char *leaf) {
  char *p = slink__path_join(dir, leaf);
  char *lex = p ? slink__path_lexical(p) : NULL;
  free(p);
  return lex;
}

#define MOUNTS_SUFFIX ".slink-mounts"

/* Where SRC goes aside: with mounts to leave, under a name the user is
 * told and finds again beside SRC, never one that exists (SLINK_EEXIST,
 * the name in m->j.aside). */
static int aside_name(mv *m) {
  slink__temp_name(m->j.aside);
  m->j.mounts = (m->o->flags & SLINK_MOVE_LEAVE_MOUNTS) != 0;
  size_t n = strlen(m->sleaf);
  if (!m->nmounts || n + sizeof MOUNTS_SUFFIX > sizeof m->j.aside)
    return 0;
  char left[sizeof m->j.aside];
  memcpy(left, m->sleaf, n);
  memcpy(left + n, MOUNTS_SUFFIX, sizeof MOUNTS_SUFFIX);
  slink__stat st;
  int rc = slink__os_h_lstat(m->sdir, left, &st, NULL);
  if (rc == 0 || rc == SLINK_ENOENT) /* else too long: the temporary one */
    memcpy(m->j.aside, left, n + sizeof MOUNTS_SUFFIX);
  return rc == 0 ? SLINK_EEXIST : 0;
}

/* The refusals, before anything is made. */
static int check(mv *m, const char *src, const char *dest) {
  int os_err = 0;
  slink__h *sh = NULL;
  slink__stat sst, dst;
  int rc = slink__h_parent(src, &m->sdir, &m->sleaf, &os_err);
  if (rc == 0 && (!*m->sleaf || !strcmp(m->sleaf, ".") || !strcmp(m->sleaf, "..")))
    rc = SLINK_EINVAL;
  if (rc == 0)
    rc = slink__os_h_open(m->sdir, m->sleaf, 0, NULL, &sh, &sst, &os_err);
  if (rc < 0)
    return report(m->o, src, rc, os_err);
  char *sparent = NULL, *dparent = NULL;
  rc = slink__os_h_realpath(m->sdir, &sparent, &os_err);
  if (rc == 0)
    rc = slink__os_h_realpath(m->ddir, &dparent, &os_err);
  if (rc == 0) {
    m->j.src = joined(sparent, m->sleaf);
    m->j.dest = joined(dparent, m->dleaf);
    if (!m->j.src || !m->j.dest)
      rc = SLINK_ENOMEM;
  }
  free(sparent);
  free(dparent);
  const char *bad = src;
  if (rc == 0 && slink__os_h_lstat(m->ddir, m->dleaf, &dst, NULL) == 0) {
    rc = SLINK_EEXIST;
    bad = dest;
  }
  size_t sl = m->j.src ? strlen(m->j.src) : 0, dl = m->j.dest ? strlen(m->j.dest) : 0;
  if (rc == 0 && ((dl > sl && strncmp(m->j.dest, m->j.src, sl) == 0 &&
                   m->j.dest[sl] == '/') ||
                  (sl > dl && strncmp(m->j.src, m->j.dest, dl) == 0 &&
                   m->j.src[dl] == '/'))) {
    rc = SLINK_EINVAL;
    bad = dest;
  }
  if (rc == 0 && slink__os_h_is_mount_root(sh))
    rc = SLINK_EOTHERFS;
  slink__stat pst;
  if (rc == 0)
    rc = slink__os_h_lstat(m->ddir, NULL, &pst, &os_err);
  m->j.by_copy = rc == 0 && pst.dev != sst.dev;
  if (rc == 0) {
    sizer s = {0, 0, 0, 0, NULL, 0, NULL, strlen(src), 0};
    s.busy_check = m->j.by_copy && !(m->o->flags & SLINK_MOVE_FORCE_OPEN);
    if (m->o->flags & SLINK_MOVE_LEAVE_MOUNTS)
      s.keep = m;
    slink__tree_walk(sh, NULL, &sst, src,
                     SLINK__TREE_ONE_FS | SLINK__TREE_NO_MOUNTS |
                         SLINK__TREE_LOOK_ALL,
                     size_visit,
                     &s);
    uint64_t free_bytes = 0;
    m->files_total = s.files;
    m->bytes_total = s.bytes;
    if (s.busy) {
      /* Written to after its copy, it would lose what was written. */
      char note[96];
      if (s.busy_pid)
        snprintf(note, sizeof note, "open by another process (pid %llu)",
                 (unsigned long long)s.busy_pid);
      else
        snprintf(note, sizeof note, "open by another process");
      rc = report_note(m->o, s.busy, SLINK_EBUSY, 0, note);
      free(s.busy);
      slink__os_h_close(sh);
      return rc;
    }
    if (s.oom)
      rc = SLINK_ENOMEM;
    else if (s.other_fs)
      rc = SLINK_EOTHERFS;
    else if (m->j.by_copy &&
             slink__os_h_free_space(m->ddir, &free_bytes, NULL) == 0 &&
             free_bytes < s.bytes) {
      rc = SLINK_ENOSPC;
      bad = dest;
    }
  }
  slink__os_h_close(sh);
  /* The link must be possible before SRC is renamed (ntfs-3g without a
   * drive letter it can tell cannot write DEST in Windows' terms). */
  if (rc == 0 && m->o->leave != SLINK_LEAVE_NONE)
    rc = slink__os_h_link_can_name(m->sdir, m->j.dest, &os_err);
  if (rc < 0)
    return report(m->o, bad, rc, os_err);
  rc = aside_name(m);
  char *parent = slink__path_dirname(m->j.src);
  m->aside_path = parent ? slink__path_join(parent, m->j.aside) : NULL;
  free(parent);
  if (!m->aside_path)
    return SLINK_ENOMEM;
  return rc < 0 ? report(m->o, m->aside_path, rc, 0) : 0;
}

/* The steps slink_move() would take, judged as it judges them; the copy
 * is planned by the copy's own dry run. */
static int plan(mv *m) {
  int rc = 0;
  if (!m->j.by_copy) {
    rc = plan_step(m, "rename", m->j.dest);
    for (size_t i = 0; rc == 0 && i < m->nmounts && m->o->cb; i++) {
      char *from = slink__path_join(m->j.src, m->mounts[i].rel);
      char *at = slink__path_join(m->j.dest, m->mounts[i].rel);
      slink_clone_event ev = {from, from ? strlen(from) : 0, SLINK_KIND_DIR,
                              0, 0, "a mount: would move along with its "
                              "directory", SLINK_PLAN_NONE, at};
      rc = from && at ? m->o->cb(&ev, m->o->ctx) : SLINK_ENOMEM;
      free(from);
      free(at);
    }
  } else {
    rc = plan_step(m, "copy", m->j.dest);
    if (rc == 0)
      rc = copy_tree(m, SLINK_CLONE_DRY_RUN);
    if (rc == 0)
      rc = plan_step(m, "aside", m->aside_path);
  }
  if (rc == 0 && m->o->leave != SLINK_LEAVE_NONE)
    rc = plan_step(m, m->o->leave == SLINK_LEAVE_JUNCTION ? "junction"
                                                           : "symlink",
                   m->j.dest);
  if (rc == 0 && m->j.by_copy)
    rc = plan_step(m, "remove", m->aside_path);
  return rc;
}

static const slink_move_opts *opts_or_none(const slink_move_opts *o) {
  static const slink_move_opts none;
  return o ? o : &none;
}

int slink_move(const char *src, const char *dest, const slink_move_opts *opts,
               slink_clone_stats *stats) {
  const slink_move_opts *o = opts_or_none(opts);
  slink_clone_stats scratch;
  mv m;
  memset(&m, 0, sizeof m);
  m.o = o;
  m.n = stats ? stats : &scratch;
  memset(m.n, 0, sizeof *m.n);
  if (!src || !dest)
    return SLINK_EINVAL;
  int os_err = 0;
  int rc = open_dest_side(&m, dest, &os_err);
  if (rc < 0) {
    rc = report(o, dest, rc, os_err);
    mv_free(&m);
    return rc;
  }
  slink__stat st;
  if (slink__os_h_lstat(m.ddir, m.jname, &st, NULL) == 0) {
    rc = report(o, dest, SLINK_EBUSY, 0);
    mv_free(&m);
    return rc;
  }
  rc = check(&m, src, dest);
  if (rc == 0 && (o->flags & SLINK_MOVE_DRY_RUN)) {
    rc = plan(&m);
    mv_free(&m);
    return rc;
  }
  if (rc == 0) {
    m.j.leave = (int)o->leave;
    STEP("journal");
    rc = save(&m);
    if (rc < 0)
      rc = report(o, dest, rc, 0);
    else
      rc = m.j.by_copy ? copy_and_aside(&m) : by_rename(&m);
    slink__stat now;
    if (rc < 0 && m.j.by_copy && !m.j.copied &&
        what_at(&m, m.sdir, m.sleaf, &now) == AT_DIR) {
      /* The copy failed with SRC untouched: undone at once. */
      if (what_at(&m, m.ddir, m.dleaf, &now) != AT_DIR ||
          remove_tree(m.j.dest) == 0)
        finish(&m);
    }
  }
  mv_free(&m);
  return rc;
}

/* Read the journal of the move to DEST and open both sides. */
static int reopen(mv *m, const char *dest) {
  int os_err = 0;
  int rc = open_dest_side(m, dest, &os_err);
  if (rc == 0)
    rc = slink__journal_read(m->ddir, m->jname, &m->j, &os_err);
  if (rc == SLINK_ENOENT) {
    /* Killed while writing its first journal: nothing was done. */
    slink__journal_clear_temp(m->ddir, m->jname);
    return report(m->o, dest, SLINK_ENOENT, 0);
  }
  if (rc == 0)
    rc = open_src_side(m, &os_err);
  return rc < 0 ? report(m->o, dest, rc, os_err) : 0;
}

int slink_move_resume(const char *dest, const slink_move_opts *opts) {
  mv m;
  slink_clone_stats scratch;
  memset(&m, 0, sizeof m);
  m.o = opts_or_none(opts);
  m.n = &scratch;
  memset(&scratch, 0, sizeof scratch);
  int rc = reopen(&m, dest);
  if (rc == 0)
    rc = go_on(&m);
  mv_free(&m);
  return rc;
}

int slink_move_rollback(const char *dest, const slink_move_opts *opts) {
  mv m;
  memset(&m, 0, sizeof m);
  m.o = opts_or_none(opts);
  int rc = reopen(&m, dest);
  if (rc < 0) {
    mv_free(&m);
    return rc;
  }
  slink__stat st, ast;
  int src = what_at(&m, m.sdir, m.sleaf, &st);
  int aside = what_at(&m, m.sdir, m.j.aside, &ast) == AT_DIR;
  if (m.j.removing) {
    /* The old tree is partly gone: only going on keeps every file. */
    rc = report(m.o, m.j.src, SLINK_EBUSY, 0);
  } else if (!m.j.by_copy) {
    if (src == AT_OUR_LINK)
      rc = slink__os_h_unlink(m.sdir, m.sleaf, &st, 0, NULL);
    slink__stat dst;
    if (rc == 0 && what_at(&m, m.sdir, m.sleaf, &st) == AT_NONE &&
        what_at(&m, m.ddir, m.dleaf, &dst) == AT_DIR)
      rc = slink__os_h_rename(m.ddir, m.dleaf, m.sdir, m.sleaf,
                              SLINK__RENAME_NOREPLACE, NULL);
    /* Links the rename pointed at DEST point back at SRC. */
    if (rc == 0 && what_at(&m, m.sdir, m.sleaf, &st) == AT_DIR)
      rc = slink__move_relink(m.sdir, m.sleaf, m.j.dest, m.j.src);
  } else {
    if (src == AT_OUR_LINK && aside)
      rc = slink__os_h_unlink(m.sdir, m.sleaf, &st, 0, NULL);
    if (rc == 0 && aside && what_at(&m, m.sdir, m.sleaf, &ast) == AT_NONE)
      rc = slink__os_h_rename(m.sdir, m.j.aside, m.sdir, m.sleaf,
                              SLINK__RENAME_NOREPLACE, NULL);
    slink__stat dst;
    if (rc == 0 && what_at(&m, m.sdir, m.sleaf, &st) == AT_DIR &&
        what_at(&m, m.ddir, m.dleaf, &dst) == AT_DIR)
      rc = remove_tree(m.j.dest);
  }
  if (rc == 0 && what_at(&m, m.sdir, m.sleaf, &st) != AT_DIR)
    rc = SLINK_ENOENT;
  if (rc == 0)
    rc = slink__os_h_sync(m.sdir, NULL);
  if (rc == 0)
    rc = finish(&m);
  if (rc < 0 && rc != SLINK_EBUSY)
    rc = report(m.o, dest, rc, 0);
  mv_free(&m);
  return rc;
}
