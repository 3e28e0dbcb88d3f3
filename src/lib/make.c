/* make.c - making a link: check, create (under a temporary name when
 * replacing), read back, and only then report success. */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

typedef struct job {
  const char *link;       /* as given */
  const char *target;     /* as given */
  char *clean_link;       /* without trailing separators */
  char *parent;           /* the directory that will hold the link */
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
  slink__stat st;
  int os_err = 0;
  int rc = slink__os_stat(j->parent, &st, &os_err);
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOPARENT, j->link, os_err);
  if (rc < 0)
    return fail(j, rc, j->link, os_err);
  if (st.kind != SLINK_KIND_DIR)
    return fail(j, SLINK_ENOTDIR, j->link, 0);
  rc = slink__os_lstat(j->clean_link, existing, &os_err);
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
      rc = slink__canonical(j->parent, &real_parent, &os_err);
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

  /* A relative target is relative to the link's directory, not to ours. */
  char *seen = slink__os_is_absolute(j->stored)
                   ? slink__strdup(j->stored)
                   : slink__path_join(j->parent, j->stored);
  if (!seen)
    return fail(j, SLINK_ENOMEM, j->target, 0);
  slink__stat t;
  rc = slink__os_stat(seen, &t, &os_err);
  free(seen);
  if (rc == SLINK_ENOENT || rc == SLINK_ENOTDIR) {
    j->made->warnings |= SLINK_WARN_DANGLING;
    j->is_dir = (flags & SLINK_MAKE_DIR) != 0;
    return 0;
  }
  if (rc == SLINK_ELOOP) {
    /* As ln -s does: the link is made; it just will not resolve. */
    j->made->warnings |= SLINK_WARN_LOOP;
    j->is_dir = (flags & SLINK_MAKE_DIR) != 0;
    return 0;
  }
  if (rc < 0) {
    /* Unreadable (e.g. permission): the link can still be made. */
    j->is_dir = (flags & SLINK_MAKE_DIR) != 0;
    return 0;
  }
  j->is_dir = t.kind == SLINK_KIND_DIR;
  if ((flags & SLINK_MAKE_DIR) && !j->is_dir)
    return fail(j, SLINK_ETARGETNOTDIR, j->target, 0);
  if ((flags & SLINK_MAKE_FILE) && j->is_dir)
    return fail(j, SLINK_ETARGETISDIR, j->target, 0);
  return 0;
}

static int plan_junction(job *j) {
  slink__stat t;
  int os_err = 0;
  int rc = slink__os_stat(j->target, &t, &os_err);
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOTARGET, j->target, os_err);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  if (t.kind != SLINK_KIND_DIR)
    return fail(j, SLINK_ETARGETNOTDIR, j->target, 0);
  rc = slink__os_realpath(j->target, &j->stored, &os_err);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  j->is_dir = 1;
  return 0;
}

static int plan_hard(job *j, slink__stat *t) {
  int os_err = 0;
  int rc = slink__os_lstat(j->target, t, &os_err);
  if (rc == SLINK_ENOENT)
    return fail(j, SLINK_ENOTARGET, j->target, os_err);
  if (rc < 0)
    return fail(j, rc, j->target, os_err);
  if (t->kind == SLINK_KIND_DIR)
    return fail(j, SLINK_EHARDLINKDIR, j->target, 0);
  return 0;
}

/* A name beside the link that nobody else uses. */
static int temp_name(job *j, char **out) {
  static const char hex[] = "0123456789abcdef";
  unsigned char rnd[8];
  char leaf[40];
  slink__os_random(rnd, sizeof rnd);
  memcpy(leaf, ".slink-", 7);
  for (size_t i = 0; i < sizeof rnd; i++) {
    leaf[7 + 2 * i] = hex[rnd[i] >> 4];
    leaf[8 + 2 * i] = hex[rnd[i] & 15];
  }
  memcpy(leaf + 7 + 2 * sizeof rnd, ".tmp", 5);
  *out = slink__path_join(j->parent, leaf);
  return *out ? 0 : SLINK_ENOMEM;
}

/* Windows refuses unprivileged directory symlinks without Developer Mode;
 * with --fallback a junction to the same directory stands in for one. */
static int fall_back_to_junction(job *j, const char *name, const char *drive,
                                 slink_kind *kind, int *os_err) {
  char *seen = slink__os_is_absolute(j->stored)
                   ? slink__strdup(j->stored)
                   : slink__path_join(j->parent, j->stored);
  char *abs = NULL;
  int rc = seen ? slink__os_realpath(seen, &abs, os_err) : SLINK_ENOMEM;
  free(seen);
  if (rc < 0)
    return rc == SLINK_ENOENT ? SLINK_ENOPRIV : rc;
  rc = slink__os_junction(abs, name, drive, kind, os_err);
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
    rc = slink__os_symlink(j->stored, name, j->is_dir, o->drive, os_err);
    if (rc == SLINK_ENOPRIV && (o->flags & SLINK_MAKE_FALLBACK) && j->is_dir)
      rc = fall_back_to_junction(j, name, o->drive, kind, os_err);
    return rc;
  case SLINK_MAKE_JUNCTION:
    return slink__os_junction(j->stored, name, o->drive, kind, os_err);
  case SLINK_MAKE_HARD:
    *kind = SLINK_KIND_FILE;
    return slink__os_hardlink(j->target, name, os_err);
  }
  return SLINK_EINVAL;
}

/* Read NAME back: it must be the link just asked for. */
static int verify(job *j, slink_make_type type, const char *name,
                  const slink__stat *hard_target) {
  slink__stat st;
  if (slink__os_lstat(name, &st, NULL) < 0)
    return SLINK_ENOTVERIFIED;
  if (type == SLINK_MAKE_HARD)
    return st.dev == hard_target->dev && st.ino == hard_target->ino
               ? 0 : SLINK_ENOTVERIFIED;
  if (!slink_kind_is_link(st.kind))
    return SLINK_ENOTVERIFIED;
  slink_info back;
  memset(&back, 0, sizeof back);
  back.kind = st.kind;
  int rc = slink__os_readlink(name, &back, NULL);
  /* A reparse point (tag set) was verified byte for byte by its backend;
   * a plain symbolic link must hold exactly the target asked for. */
  if (rc == 0 && back.tag == 0 && back.kind == SLINK_KIND_SYMLINK &&
      (back.target_len != strlen(j->stored) ||
       memcmp(back.target, j->stored, back.target_len) != 0))
    rc = SLINK_ENOTVERIFIED;
  slink_info_free(&back);
  return rc < 0 ? SLINK_ENOTVERIFIED : 0;
}

static int run(job *j, const char *link, const char *target,
               const slink_make_opts *o) {
  slink_made *made = j->made;
  if (!link || !*link)
    return fail(j, SLINK_EEMPTYPATH, link ? link : "", 0);
  if (!target || !*target)
    return fail(j, SLINK_EEMPTYPATH, target ? target : "", 0);
  j->clean_link = slink__path_strip_trailing(link);
  j->parent = j->clean_link ? slink__path_dirname(j->clean_link) : NULL;
  if (!j->parent)
    return fail(j, SLINK_ENOMEM, link, 0);

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
      existing.dev == hard_target.dev && existing.ino == hard_target.ino) {
    made->kind = SLINK_KIND_FILE; /* already a name of that file */
    return 0;
  }

  char *name = NULL;
  int os_err = 0;
  slink_kind kind = SLINK_KIND_NONE;
  for (int tries = 0; tries < 16; tries++) {
    free(name);
    name = NULL;
    if (exists) {
      rc = temp_name(j, &name);
      if (rc < 0)
        break;
    } else if (!(name = slink__strdup(j->clean_link))) {
      rc = SLINK_ENOMEM;
      break;
    }
    rc = create(j, o, name, &kind, &os_err);
    if (!(exists && rc == SLINK_EEXIST))
      break;
  }
  if (rc < 0) {
    free(name);
    return fail(j, rc == SLINK_EEXIST ? SLINK_EEXIST : rc,
                rc == SLINK_EXDEV || rc == SLINK_EMLINK ? target : link,
                os_err);
  }
  rc = verify(j, o->type, name, &hard_target);
  if (rc == 0 && exists) {
    rc = slink__os_rename(name, j->clean_link, &os_err);
    if (rc == 0)
      made->warnings |= SLINK_WARN_REPLACED;
  }
  if (rc < 0) {
    /* Take back what was made; the old entry is untouched. */
    slink__stat left;
    if (slink__os_lstat(name, &left, NULL) == 0)
      slink__os_unlink(name, &left, NULL);
    free(name);
    return fail(j, rc, link, os_err);
  }
  free(name);
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
  job j = {link, target, NULL, NULL, NULL, 0, made};
  int rc = run(&j, link, target, opts ? opts : &defaults);
  free(j.clean_link);
  free(j.parent);
  free(j.stored);
  if (made == &scratch)
    slink_made_free(made);
  return rc;
}
