/* clone-file.c - one regular file of a clone: a name joined to its
 * hard-link group, a hard link to PREV's unchanged copy, a hard link to
 * the source, or a copy; the link limit turns a link into a copy. */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/hook.h"
#include "lib/internal.h"

#define CMP_BUF 65536

/* Open the directory of REL (a path in DEST) below DEST's root. */
static int open_dir_of(slink__clone *c, const char *rel, slink__h **out,
                       const char **leaf) {
  const char *slash = strrchr(rel, '/');
  if (!slash) {
    *out = NULL;
    *leaf = rel;
    return 0;
  }
  char *dir = slink__strndup(rel, (size_t)(slash - rel));
  if (!dir)
    return SLINK_ENOMEM;
  int rc = slink__os_h_open(c->droot, dir, SLINK__H_BENEATH, NULL, out, NULL,
                            NULL);
  free(dir);
  *leaf = slash + 1;
  return rc;
}

/* The name in DEST (and PREV) of the file E: its own, or the outer
 * link's it is unrolled for. */
static const char *dname(const slink__clone *c, const slink__tree_ent *e) {
  return c->as_name ? c->as_name : e->name;
}

int slink__clone_join(slink__clone *c, const char *rel, slink__h *ddir,
                      const char *name, int *os_err) {
  slink__h *gdir = NULL;
  const char *leaf;
  int rc = open_dir_of(c, rel, &gdir, &leaf);
  if (rc < 0)
    return rc;
  rc = slink__os_h_link_many(gdir ? gdir : c->droot, leaf, ddir, name, os_err);
  slink__os_h_close(gdir);
  return rc;
}

/* Nonzero when the two open files hold the same bytes. */
static int same_bytes(slink__file *a, slink__file *b) {
  char *x = malloc(2 * CMP_BUF);
  if (!x)
    return 0;
  int same = 1;
  for (;;) {
    size_t na = 0, nb = 0;
    if (slink__os_f_read(a, x, CMP_BUF, &na, NULL) < 0 ||
        slink__os_f_read(b, x + CMP_BUF, CMP_BUF, &nb, NULL) < 0 || na != nb ||
        memcmp(x, x + CMP_BUF, na) != 0) {
      same = 0;
      break;
    }
    if (na == 0)
      break;
  }
  free(x);
  return same;
}

/* Is NAME in PDIR the same file as E was when PREV was made? */
static int unchanged(slink__clone *c, const slink__tree_ent *e,
                     slink__h *pdir, slink__stat *pst) {
  const slink__stat *s = e->st;
  if (slink__os_h_lstat(pdir, dname(c, e), pst, NULL) < 0 ||
      pst->kind != SLINK_KIND_FILE || pst->size != s->size ||
      pst->mtime != s->mtime || pst->mtime_ns != s->mtime_ns ||
      pst->mode != s->mode || pst->uid != s->uid || pst->gid != s->gid)
    return 0;
  if (!(c->flags & SLINK_CLONE_CHECKSUM))
    return 1;
  slink__file *a = NULL, *b = NULL;
  int same = slink__os_f_open(e->dir, e->name, s, &a, NULL, NULL) == 0 &&
             slink__os_f_open(pdir, dname(c, e), pst, &b, NULL, NULL) == 0 &&
             same_bytes(a, b);
  slink__os_f_close(a);
  slink__os_f_close(b);
  return same;
}

/* The copy, read back through the handles it was made with (the
 * source's, checked when it was opened, and the new file's), holds the
 * source's bytes. */
static int same_at(slink__file *a, slink__file *b) {
  char *x = malloc(2 * CMP_BUF);
  if (!x)
    return 0;
  int same = 1;
  for (uint64_t off = 0;; off += CMP_BUF) {
    size_t na = 0, nb = 0;
    if (slink__os_f_pread(a, x, CMP_BUF, off, &na, NULL) < 0 ||
        slink__os_f_pread(b, x + CMP_BUF, CMP_BUF, off, &nb, NULL) < 0 ||
        na != nb || memcmp(x, x + CMP_BUF, na) != 0) {
      same = 0;
      break;
    }
    if (na < CMP_BUF)
      break;  /* both ended here */
  }
  free(x);
  return same;
}

/* Copy (or reflink) E into a new NAME of DDIR with its metadata; a
 * partial copy is removed again. */
static int copy_file(slink__clone *c, const slink__tree_ent *e,
                     slink__h *ddir, int *os_err) {
  slink__file *in = NULL, *out = NULL;
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
  int rc = slink__os_f_open(e->dir, e->name, e->st, &in, NULL, os_err);
  if (rc < 0)
    return rc;
  if (c->dry) {
    /* Opened as the copy would open it; its data (holes left out)
     * counted as the copy counts it. */
    uint64_t bytes = 0;
    if (!(c->flags & SLINK_CLONE_REFLINK))
      rc = slink__os_f_copy(in, NULL, &bytes, os_err);
    slink__os_f_close(in);
    if (rc < 0)
      return rc;
    if (c->flags & SLINK_CLONE_REFLINK) {
      c->n->files_reflinked++;
    } else {
      c->n->files_copied++;
      c->n->bytes_copied += bytes;
    }
    return 0;
  }
  rc = slink__os_f_create(ddir, dname(c, e), 0600, &out, os_err);
  if (rc < 0) {
    slink__os_f_close(in);
    return rc;
  }
  uint64_t bytes = 0;
  int reflinked = 0;
  if (c->flags & SLINK_CLONE_REFLINK) {
    rc = slink__os_f_reflink(in, out, os_err);
    reflinked = rc == 0;
  } else {
    rc = slink__os_f_copy(in, out, &bytes, os_err);
  }
  if (rc == 0)
    rc = slink__os_f_copy_xattrs(in, out, os_err);
  if (rc == 0)
    rc = slink__os_f_set_meta(out, e->st,
                              SLINK__META_OWNER | SLINK__META_MODE |
                                  SLINK__META_TIMES,
                              os_err);
  if (rc == 0 && c->sync_each)
    rc = slink__os_f_sync(out, os_err);
  if (rc == 0 && (c->flags & SLINK_CLONE_VERIFY) && !same_at(in, out))
    rc = SLINK_EIO;
  slink__os_f_close(in);
  slink__os_f_close(out);
  if (rc < 0) {
    slink__os_h_unlink(ddir, dname(c, e), NULL, 0, NULL);
    return rc;
  }
  if (reflinked) {
    c->n->files_reflinked++;
  } else {
    c->n->files_copied++;
    c->n->bytes_copied += bytes;
  }
  return 0;
}

static int link_checked_made(slink__h *ddir, const char *name,
                             const slink__stat *expect, int *os_err);

/* The hard link NAME in DDIR, made to TNAME in TDIR, must be the file
 * looked at (EXPECT): a swap in between is undone, not kept. */
static int link_checked(slink__h *tdir, const char *tname, slink__h *ddir,
                        const char *name, const slink__stat *expect,
                        int *os_err) {
  int rc = slink__os_h_link_many(tdir, tname, ddir, name, os_err);
  return rc < 0 ? rc : link_checked_made(ddir, name, expect, os_err);
}

/* The check of link_checked(), on the link NAME in DDIR already made. */
static int link_checked_made(slink__h *ddir, const char *name,
                             const slink__stat *expect, int *os_err) {
  slink__stat made;
  if (slink__os_h_lstat(ddir, name, &made, os_err) == 0 &&
      slink__same_file(&made, expect))
    return 0;
  slink__os_h_unlink(ddir, name, NULL, 0, NULL);
  return SLINK_ECHANGED;
}

/* A dry run's link to TNAME in TDIR (the file EXPECT): refused where the
 * real one would meet the link limit. NAMES: the file's names by then. */
static int plan_link(slink__clone *c, slink__h *tdir, const char *tname,
                     const slink__stat *expect, uint64_t names) {
  if (!c->lm_known || c->lm_dev != expect->dev) {
    slink__rf *f = NULL;
    c->lm_max = UINT64_MAX;
    if (slink__os_rf_open(tdir, tname, 0, expect, &f, NULL, NULL) == 0 &&
        slink__os_rf_link_max(f, &c->lm_max, NULL) < 0)
      c->lm_max = UINT64_MAX;
    slink__os_rf_close(f);
    c->lm_dev = expect->dev;
    c->lm_known = 1;
  }
  return names >= c->lm_max ? SLINK_EMLINK : 0;
}

/* A dry run's count of the names the source file S has by now: the
 * links this run would have made to it added (NULL: none made yet). */
static uint64_t *src_names(slink__clone *c, const slink__stat *s) {
  return slink__groups_names(&c->dry_src, s);
}

static int link_or_plan(slink__clone *c, slink__h *tdir, const char *tname,
                        slink__h *ddir, const char *name,
                        const slink__stat *expect, int *os_err) {
  if (!c->dry)
    return link_checked(tdir, tname, ddir, name, expect, os_err);
  uint64_t *n = src_names(c, expect);
  int rc = plan_link(c, tdir, tname, expect, n ? *n : expect->nlink);
  if (rc == 0) {
    /* A file of one name is met once: only groups need counting. */
    if (!n && expect->nlink > 1 &&
        slink__groups_put(&c->dry_src, expect, "") == 0)
      n = src_names(c, expect), *n = expect->nlink;
    if (n)
      ++*n;
  }
  return rc;
}

int slink__clone_file_fast(slink__clone *c, const slink__tree_ent *e,
                           slink__h *ddir) {
  int os_err = 0;
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
  int rc = slink__os_h_link_many(e->dir, e->name, ddir, e->name, &os_err);
  if (rc < 0)
    return 1;  /* the limit, or anything else: the careful way decides */
  /* Proven with the rest of the directory (clone-verify.c). */
  if (slink__clone_pend(c, &c->lv[e->depth - 1], e->name, SLINK_KIND_FILE, 0,
                        SLINK__CLONE_LINKED) == 0)
    return SLINK__TA_GO;
  slink__stat made;
  if (slink__os_h_lstat(ddir, e->name, &made, &os_err) == 0 &&
      made.kind == SLINK_KIND_FILE) {
    c->n->files_linked++;
    return SLINK__TA_GO;
  }
  /* Something else took the name since it was listed: undone, and the
   * walker looks at it again. */
  slink__os_h_unlink(ddir, e->name, NULL, 0, NULL);
  return SLINK__TA_RETYPE;
}

static int file(slink__clone *c, const slink__tree_ent *e, slink__h *ddir,
                slink__h *pdir);

/* A file with more names is found in, or starts, its group under the
 * lock of the two threads, so that no group is started twice. */
int slink__clone_file(slink__clone *c, const slink__tree_ent *e,
                      slink__h *ddir, slink__h *pdir) {
  if (e->st->nlink < 2)
    return file(c, e, ddir, pdir);
  slink__clone_lock(c);
  int a = file(c, e, ddir, pdir);
  slink__clone_unlock(c);
  return a;
}

static int file(slink__clone *c, const slink__tree_ent *e, slink__h *ddir,
                slink__h *pdir) {
  const slink__stat *s = e->st;
  const char *rel = slink__clone_rel(c, e);
  int os_err = 0, rc, at_limit = 0;
  int grouped = s->nlink > 1, pended = 0;
  if (c->dry && c->fast &&
      link_or_plan(c, e->dir, e->name, ddir, e->name, s, NULL) == 0) {
    /* The real run links first and looks after: no group is kept. */
    c->n->files_linked++;
    return slink__clone_plan(c, e, SLINK_PLAN_LINK, NULL);
  }
  if (grouped) {
    const char *first = slink__groups_find(slink__clone_groups(c), s);
    if (first) {
      uint64_t *names = c->dry ? slink__groups_names(slink__clone_groups(c), s) : NULL;
      rc = c->dry ? plan_link(c, e->dir, e->name, s, *names)
                  : slink__clone_join(c, first, ddir, dname(c, e), &os_err);
      if (rc == 0) {
        c->n->group_links++;
        if (names)
          ++*names;
        return c->dry ? slink__clone_plan(c, e, SLINK_PLAN_GROUP, NULL)
                      : SLINK__TA_GO;
      }
      if (rc != SLINK_EMLINK)
        return slink__clone_emit(c, e, SLINK_KIND_FILE, rc, os_err, NULL);
      at_limit = 1;  /* a new group starts with a copy */
    }
  }
  slink__stat pst;
  uint64_t names = 1;   /* the names DEST's file has once made */
  slink_plan plan = SLINK_PLAN_COPY;
  if (!at_limit && pdir && unchanged(c, e, pdir, &pst)) {
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, pdir, dname(c, e));
    if (c->dry) {
      rc = link_or_plan(c, pdir, dname(c, e), ddir, dname(c, e), &pst,
                        &os_err);
    } else if (!grouped) {
      /* Nobody links to this name: it is proven with the rest of the
       * directory (clone-verify.c). */
      rc = slink__os_h_link_many(pdir, dname(c, e), ddir, dname(c, e),
                                &os_err);
      if (rc == 0)
        pended = slink__clone_pend(c, &c->lv[e->depth - 1], dname(c, e),
                                   SLINK_KIND_FILE, pst.ino,
                                   SLINK__CLONE_PREV) == 0;
      if (rc == 0 && !pended)
        rc = link_checked_made(ddir, dname(c, e), &pst, &os_err);
    } else {
      rc = link_checked(pdir, dname(c, e), ddir, dname(c, e), &pst, &os_err);
    }
    if (rc == 0) {
      if (!pended)
        c->n->files_prev++;
      names = pst.nlink + 1;
      plan = SLINK_PLAN_PREV;
      goto made;
    }
    if (rc != SLINK_EMLINK)
      return slink__clone_emit(c, e, SLINK_KIND_FILE, rc, os_err, NULL);
    at_limit = 1;
  }
  if (!at_limit && !(c->flags & (SLINK_CLONE_COPY | SLINK_CLONE_REFLINK))) {
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
    rc = link_or_plan(c, e->dir, e->name, ddir, dname(c, e), s, &os_err);
    if (rc == 0) {
      c->n->files_linked++;
      names = s->nlink + 1;
      plan = SLINK_PLAN_LINK;
      goto made;
    }
    /* What an unrolled link points to may be on another filesystem: a
     * copy then, as --hard cannot link there. */
    if (rc != SLINK_EMLINK &&
        !(rc == SLINK_EXDEV && (c->up || c->as_name)))
      return slink__clone_emit(c, e, SLINK_KIND_FILE, rc, os_err, NULL);
    at_limit = rc == SLINK_EMLINK;
  }
  rc = copy_file(c, e, ddir, &os_err);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_FILE, rc, os_err, NULL);
  if (c->flags & SLINK_CLONE_REFLINK)
    plan = SLINK_PLAN_REFLINK;
  if (at_limit) {
    c->n->limit_copies++;
    plan = SLINK_PLAN_LIMIT_COPY;
    int a = c->dry ? SLINK__TA_GO
                   : slink__clone_emit(c, e, SLINK_KIND_FILE, 0, 0,
                                       "at the link limit: copied instead");
    if (a == SLINK__TA_STOP)
      return a;
  }
made:
  if (grouped && slink__groups_put(slink__clone_groups(c), s, rel) < 0)
    return slink__clone_emit(c, e, SLINK_KIND_FILE, SLINK_ENOMEM, 0, NULL);
  if (grouped && c->dry)
    *slink__groups_names(slink__clone_groups(c), s) = names;
  return c->dry ? slink__clone_plan(c, e, plan, NULL) : SLINK__TA_GO;
}
