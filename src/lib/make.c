/* make.c - making a link: check, create (under a temporary name when
 * replacing), read back, and only then report success. Everything is done
 * relative to a handle on the link's directory, opened once, so a
 * directory swapped on the path redirects the whole of it or none of it;
 * what a failed run takes back is only what it made itself. */
#include <stdlib.h>
#include <string.h>

#include "lib/classify.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"
#include "sys.h"

typedef struct job {
  const char *link;       /* as given */
  const char *target;     /* as given */
  slink__h *dir;          /* the directory that will hold the link */
  char *name;             /* the link's name in it */
  slink__h *tdir;         /* hard link: the target's directory */
  char *tname;            /* and its name there */
  char *stored;           /* what a symbolic link or junction will store */
  int is_dir;
  slink_made *made;
} job;

static int fail(job *j, int rc, const char *operand, int os_err) {
  j->made->error_path = operand;
  j->made->os_error = os_err;
  return rc;
}

/* The parent must exist and be a directory; the link may exist only when
 * it can be replaced. */
static int check_link_place(job *j, unsigned flags, slink__stat *existing,
                            int *exists) {
  int os_err = 0;
  int rc = slink__h_parent(j->link, &j->dir, &j->name, &os_err);
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOPARENT, j->link, os_err);
  if (rc < 0)
    return fail(j, rc, j->link, os_err);
  SLINK__HOOK(SLINK__HP_PARENT_OPEN, j->dir, j->name);
  /* "", "." and "..": the directory itself, which is never replaced. */
  rc = slink__os_h_lstat(j->dir, *j->name ? j->name : NULL, existing,
                         &os_err);
  if (rc == SLINK_ENOENT) {
    *exists = 0;
    return 0;
  }
  if (rc < 0)
    return fail(j, rc, j->link, os_err);
  *exists = 1;
  if (!(flags & SLINK_MAKE_FORCE))
    return fail(j, SLINK_EEXIST, j->link, 0);
  if (existing->kind == SLINK_KIND_DIR)
    return fail(j, SLINK_EDIRNOTREPLACED, j->link, 0);
  return 0;
}

/* Where STORED leads from the link's directory, by the engine that show
 * and scan use: 0 with the states and target kind in *C, or < 0 when the
 * directory's own path cannot be known. */
static int look_at_target(job *j, slink_info *c) {
  char *real = NULL;
  slink__stat d;
  int rc = slink__os_h_realpath(j->dir, &real, NULL);
  if (rc == 0)
    rc = slink__os_h_lstat(j->dir, NULL, &d, NULL);
  if (rc == 0) {
    memset(c, 0, sizeof *c);
    c->kind = SLINK_KIND_SYMLINK;
    c->target = j->stored;
    c->target_len = strlen(j->stored);
    slink__resolver r;
    slink__resolver_init(&r, NULL, NULL);
    rc = slink__classify(&r, real, d.dev, c);
    slink__resolver_free(&r);
    c->target = NULL;
    free(c->resolved);
    c->resolved = NULL;
  }
  free(real);
  return rc;
}

/* Decide what a symbolic link stores and check it against --dir/--file. */
static int plan_symbolic(job *j, unsigned flags) {
  int os_err = 0, rc;
  if (flags & (SLINK_MAKE_RELATIVE | SLINK_MAKE_ABSOLUTE)) {
    char *abs_target;
    rc = slink__canonical(j->target, &abs_target, &os_err);
    if (rc < 0)
      return fail(j, rc, j->target, os_err);
    if (flags & SLINK_MAKE_RELATIVE) {
      char *real_parent;
      rc = slink__os_h_realpath(j->dir, &real_parent, &os_err);
      if (rc < 0) {
        free(abs_target);
        return fail(j, rc, j->link, os_err);
      }
      j->stored = slink_path_relative(real_parent, abs_target);
      free(real_parent);
      free(abs_target);
    } else {
      j->stored = abs_target;
    }
  } else {
    j->stored = slink__strdup(j->target);
  }
  if (!j->stored)
    return fail(j, SLINK_ENOMEM, j->target, 0);

  j->is_dir = (flags & SLINK_MAKE_DIR) != 0;
  slink_info c;
  rc = look_at_target(j, &c);
  if (rc == SLINK_ENOMEM)
    return fail(j, rc, j->target, 0);
  if (rc < 0 || (c.states & SLINK_STATE_DENIED))
    return 0; /* unreadable: the link can still be made */
  if (c.states & SLINK_STATE_DANGLING) {
    j->made->warnings |= SLINK_WARN_DANGLING;
    return 0;
  }
  if (c.states & (SLINK_STATE_LOOP | SLINK_STATE_TOO_LONG)) {
    /* As ln -s does: the link is made; it just will not resolve. */
    j->made->warnings |= c.states & SLINK_STATE_LOOP ? SLINK_WARN_LOOP
                                                     : SLINK_WARN_TOO_LONG;
    return 0;
  }
  j->is_dir = c.target_kind == SLINK_KIND_DIR;
  if ((flags & SLINK_MAKE_DIR) && !j->is_dir)
    return fail(j, SLINK_ETARGETNOTDIR, j->target, 0);
  if ((flags & SLINK_MAKE_FILE) && j->is_dir)
    return fail(j, SLINK_ETARGETISDIR, j->target, 0);
  return 0;
}

/* A junction stores the absolute path of the directory itself, read from
 * a handle on it. */
static int plan_junction(job *j) {
  slink__h *t = NULL;
  int os_err = 0;
  int rc = slink__h_open_dir(j->target, &t, NULL, &os_err);
  if (rc == SLINK_ENOTDIR) {
    /* The target itself, or a component on its way? */
    slink__h *td = NULL;
    char *tn = NULL;
    slink__stat st;
    if (slink__h_parent(j->target, &td, &tn, NULL) == 0 &&
        slink__os_h_stat(td, tn, &st, NULL) == 0 && st.kind != SLINK_KIND_DIR)
      rc = SLINK_ETARGETNOTDIR;
    slink__os_h_close(td);
    free(tn);
  }
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOTARGET, j->target, os_err);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  rc = slink__os_h_realpath(t, &j->stored, &os_err);
  slink__os_h_close(t);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  j->is_dir = 1;
  return 0;
}

/* A hard link's target is looked at, and later linked, through a handle
 * on its own directory. */
static int plan_hard(job *j, slink__stat *t) {
  int os_err = 0;
  int rc = slink__h_parent(j->target, &j->tdir, &j->tname, &os_err);
  if (rc == 0)
    rc = slink__os_h_lstat(j->tdir, *j->tname ? j->tname : NULL, t, &os_err);
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOTARGET, j->target, os_err);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  /* "name/" asks for a directory, as the system reads a path: a link
   * there is followed, and anything else is no directory. */
  size_t n = strlen(j->target);
  if (n > 1 && slink__os_is_sep(j->target[n - 1]) && *j->tname) {
    slink__stat f;
    if (slink_kind_is_link(t->kind) &&
        slink__os_h_stat(j->tdir, j->tname, &f, &os_err) == 0 &&
        f.kind == SLINK_KIND_DIR)
      return fail(j, SLINK_EHARDLINKDIR, j->target, 0);
    if (t->kind != SLINK_KIND_DIR)
      return fail(j, SLINK_ENOTDIR, j->target, 0);
  }
  if (t->kind == SLINK_KIND_DIR)
    return fail(j, SLINK_EHARDLINKDIR, j->target, 0);
  return 0;
}

/* Windows refuses unprivileged directory symlinks without Developer Mode;
 * with --fallback a junction to the same directory stands in for one. */
static int fall_back_to_junction(job *j, const char *name, const char *drive,
                                 slink_kind *kind, int *os_err) {
  char *seen = NULL;
  if (slink__os_is_absolute(j->stored)) {
    seen = slink__strdup(j->stored);
  } else {
    char *real = NULL;
    if (slink__os_h_realpath(j->dir, &real, os_err) == 0)
      seen = slink__path_join(real, j->stored);
    free(real);
  }
  char *abs = NULL;
  int rc = seen ? slink__os_realpath(seen, &abs, os_err) : SLINK_ENOMEM;
  free(seen);
  if (rc < 0)
    return rc == SLINK_ENOENT ? SLINK_ENOPRIV : rc;
  rc = slink__os_h_junction(j->dir, name, abs, drive, kind, os_err);
  if (rc < 0) {
    free(abs);
    return rc;
  }
  free(j->stored);
  j->stored = abs;
  j->made->warnings |= SLINK_WARN_FELL_BACK;
  return 0;
}

static int create(job *j, const slink_make_opts *o, const char *name,
                  slink_kind *kind, int *os_err) {
  int rc;
  switch (o->type) {
  case SLINK_MAKE_SYMBOLIC:
    *kind = SLINK_KIND_SYMLINK;
    rc = slink__os_h_symlink(j->dir, name, j->stored, j->is_dir, o->drive,
                             os_err);
    if (rc == SLINK_ENOPRIV && (o->flags & SLINK_MAKE_FALLBACK) && j->is_dir)
      rc = fall_back_to_junction(j, name, o->drive, kind, os_err);
    return rc;
  case SLINK_MAKE_JUNCTION:
    return slink__os_h_junction(j->dir, name, j->stored, o->drive, kind,
                                os_err);
  case SLINK_MAKE_HARD:
    *kind = SLINK_KIND_FILE;
    return slink__os_h_hardlink(j->tdir, *j->tname ? j->tname : ".", j->dir,
                                name, os_err);
  }
  return SLINK_EINVAL;
}

/* Read NAME back: it must be what this run made (MINE) and the link just
 * asked for. */
static int verify(job *j, slink_make_type type, const char *name,
                  const slink__stat *mine) {
  SLINK__HOOK(SLINK__HP_BEFORE_VERIFY, j->dir, name);
  slink__stat st;
  if (slink__os_h_lstat(j->dir, name, &st, NULL) < 0 ||
      !slink__same_file(&st, mine))
    return SLINK_ENOTVERIFIED;
  if (type == SLINK_MAKE_HARD)
    return 0;
  if (!slink_kind_is_link(st.kind))
    return SLINK_ENOTVERIFIED;
  slink_info back;
  memset(&back, 0, sizeof back);
  back.kind = st.kind;
  int rc = slink__os_h_readlink(j->dir, name, &back, NULL);
  /* A reparse point (tag set) was verified byte for byte by its backend;
   * a plain symbolic link must hold exactly the target asked for. */
  if (rc == 0 && back.tag == 0 && back.kind == SLINK_KIND_SYMLINK &&
      (back.target_len != strlen(j->stored) ||
       memcmp(back.target, j->stored, back.target_len) != 0))
    rc = SLINK_ENOTVERIFIED;
  slink_info_free(&back);
  return rc < 0 ? SLINK_ENOTVERIFIED : 0;
}

/* Which operand an error of the act is about. */
static const char *blame(const job *j, int rc) {
  if (rc == SLINK_EXDEV || rc == SLINK_EMLINK)
    return j->target;
  /* The link's own name is one short component: a name too long is the
   * stored target. */
  if (rc == SLINK_ENAMETOOLONG && j->stored &&
      strlen(j->stored) > slink__os_path_max())
    return j->target;
  return j->link;
}

/* Put the verified temporary TMP in the place of NAME, which must still
 * be OLD, the entry that was checked: the two are exchanged, the entry
 * that comes out is removed only if it is OLD (checked on the very object,
 * slink__os_h_unlink), else exchanged back. Without an atomic exchange a
 * plain rename over is all there is. */
static int replace(job *j, const char *tmp, const slink__stat *old,
                   int *os_err) {
  int rc = slink__os_h_rename(j->dir, tmp, j->dir, j->name,
                              SLINK__RENAME_EXCHANGE, os_err);
  if (rc == SLINK_ENOTSUP)
    return slink__os_h_rename(j->dir, tmp, j->dir, j->name, 0, os_err);
  if (rc < 0)
    return rc;
  rc = slink__os_h_unlink(j->dir, tmp, old, 0, os_err);
  if (rc < 0)
    slink__os_h_rename(j->dir, tmp, j->dir, j->name, SLINK__RENAME_EXCHANGE,
                       NULL);
  return rc;
}

/* Create the link, under a temporary name when one is replaced, read it
 * back, and put it in the old one's place. On any failure what this run made (and only
 * that: the same file, through the same handle) is removed again. */
static int make_it(job *j, const slink_make_opts *o, int exists,
                   const slink__stat *old, const slink__stat *hard_target,
                   slink_kind *kind) {
  char tmp[SLINK__TEMP_LEN + 1];
  const char *name = exists ? tmp : j->name;
  int os_err = 0, rc = SLINK_EEXIST;
  /* From the first thing made to the last cleaned up, a signal waits:
   * a temporary name, or a link that failed its check, never outlives
   * the run but for kill -9. */
  slink__sigsave saved;
  slink__os_signals_hold(&saved);
  SLINK__HOOK(SLINK__HP_BEFORE_ACT, j->dir, j->name);
  for (int tries = 0; tries < 16 && rc == SLINK_EEXIST; tries++) {
    if (exists)
      slink__temp_name(tmp);
    rc = create(j, o, name, kind, &os_err);
    if (!exists)
      break;
  }
  if (rc < 0) {
    slink__os_signals_release(&saved);
    return fail(j, rc, blame(j, rc), os_err);
  }
  /* What was just made: the identity cleanup and verification rely on. A
   * name that holds no link by now was taken over: it is not ours to
   * remove. */
  slink__stat mine;
  int known = 1;
  if (o->type == SLINK_MAKE_HARD)
    mine = *hard_target;
  else if (slink__os_h_lstat(j->dir, name, &mine, NULL) < 0 ||
           !slink_kind_is_link(mine.kind))
    known = 0;
  rc = known ? verify(j, o->type, name, &mine) : SLINK_ENOTVERIFIED;
  if (rc == 0 && exists) {
    SLINK__HOOK(SLINK__HP_BEFORE_RENAME, j->dir, tmp);
    rc = replace(j, tmp, old, &os_err);
    if (rc == 0)
      j->made->warnings |= SLINK_WARN_REPLACED;
  }
  if (rc < 0 && known)
    slink__os_h_unlink(j->dir, name, &mine, 0, NULL);
  slink__os_signals_release(&saved);
  return rc < 0 ? fail(j, rc, j->link, os_err) : 0;
}

static int run(job *j, const char *link, const char *target,
               const slink_make_opts *o) {
  slink_made *made = j->made;
  if (!link || !*link)
    return fail(j, SLINK_EEMPTYPATH, link ? link : "", 0);
  if (!target || !*target)
    return fail(j, SLINK_EEMPTYPATH, target ? target : "", 0);

  slink__stat existing, hard_target;
  int exists = 0;
  int rc = check_link_place(j, o->flags, &existing, &exists);
  if (rc < 0)
    return rc;
  switch (o->type) {
  case SLINK_MAKE_SYMBOLIC: rc = plan_symbolic(j, o->flags); break;
  case SLINK_MAKE_JUNCTION: rc = plan_junction(j); break;
  case SLINK_MAKE_HARD: rc = plan_hard(j, &hard_target); break;
  default: rc = fail(j, SLINK_EINVAL, link, 0);
  }
  if (rc < 0)
    return rc;
  if (exists && o->type == SLINK_MAKE_HARD &&
      slink__same_file(&existing, &hard_target)) {
    made->kind = SLINK_KIND_FILE; /* already a name of that file */
    return 0;
  }

  slink_kind kind = SLINK_KIND_NONE;
  rc = make_it(j, o, exists, &existing, &hard_target, &kind);
  if (rc < 0)
    return rc;
  if (o->type == SLINK_MAKE_JUNCTION && kind != SLINK_KIND_JUNCTION)
    made->warnings |= SLINK_WARN_JUNCTION_AS_SYMLINK;
  if (kind == SLINK_KIND_SYMLINK && j->is_dir)
    kind = SLINK_KIND_DIR_SYMLINK;
  made->kind = kind;
  if (o->type != SLINK_MAKE_HARD) {
    made->target = j->stored;
    j->stored = NULL;
  }
  return 0;
}

int slink_make(const char *link, const char *target,
               const slink_make_opts *opts, slink_made *made) {
  slink_make_opts defaults = {SLINK_MAKE_SYMBOLIC, 0, NULL};
  slink_made scratch;
  if (!made)
    made = &scratch;
  memset(made, 0, sizeof *made);
  job j;
  memset(&j, 0, sizeof j);
  j.link = link;
  j.target = target;
  j.made = made;
  int rc = run(&j, link, target, opts ? opts : &defaults);
  slink__os_h_close(j.dir);
  slink__os_h_close(j.tdir);
  free(j.name);
  free(j.tname);
  free(j.stored);
  if (made == &scratch)
    slink_made_free(made);
  return rc;
}
