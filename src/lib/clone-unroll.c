/* clone-unroll.c - --outer unroll: an outer link replaced by a copy of
 * what it points to. The target is reached from the link's own verified
 * directory handle, the system following the link's text as any reader
 * of the link would, and must be what a look through the link saw; a
 * directory is then walked from that handle by the same visitor as SRC,
 * so nothing below it is reached by a path. Each target is copied once:
 * a later link to it becomes a relative symbolic link to the first copy
 * (a directory) or a hard link to it (a file). A target that holds the
 * link, DEST or a directory being copied would copy itself forever: the
 * link is kept, with a note, as is a dangling one. */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"

#define FILL_MODE 0700
#define HOPS 40

static const slink__clone *top_of(const slink__clone *c) {
  while (c->up)
    c = c->up;
  return c;
}

/* Nonzero when the path DIR is ROOT or below it. */
static int within(const char *dir, const char *root) {
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/')
    return 1;
  return strncmp(dir, root, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

static int keep(slink__clone *c, const slink__tree_ent *e, const char *why) {
  int a = slink__clone_emit(c, e, SLINK_KIND_SYMLINK, 0, 0, why);
  return a == SLINK__TA_STOP ? a : 1;
}

/* The file the link leads to, as its directory *PDIR (caller closes) and
 * name *LEAF (in *BUF): the text is split at its last name, the directory
 * part opened following, the last name looked at without following; a
 * further link there is read and followed the same way. EXPECT (what a
 * look through the link saw) must be what is found. */
static int find_file(slink__h *dir, const char *target,
                     const slink__stat *expect, slink__h **pdir,
                     char **leaf) {
  char *text = slink__strdup(target);
  slink__h *from = dir, *owned = NULL;
  int rc = text ? SLINK_ELOOP : SLINK_ENOMEM;
  for (int hop = 0; text && hop < HOPS; hop++) {
    char *slash = strrchr(text, '/');
    const char *base = slash ? slash + 1 : text;
    char *dpart = slash ? slink__strndup(text, (size_t)(slash - text)) : NULL;
    const char *d = !slash ? "." : (slash == text ? "/" : dpart);
    slink__h *p = NULL;
    slink__stat st;
    if (slash && !dpart) {
      rc = SLINK_ENOMEM;
      break;
    }
    rc = !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0
             ? SLINK_ECHANGED
             : slink__os_h_open(from, d, SLINK__H_FOLLOW, NULL, &p, NULL,
                                NULL);
    free(dpart);
    if (rc == 0)
      rc = slink__os_h_lstat(p, base, &st, NULL);
    if (rc == 0 && slink_kind_is_link(st.kind)) {
      slink_info info;
      memset(&info, 0, sizeof info);
      rc = slink__os_h_readlink(p, base, &info, NULL);
      free(text);
      text = rc == 0 ? slink__strdup(info.target) : NULL;
      slink_info_free(&info);
      slink__os_h_close(owned);
      owned = from = p;
      if (rc == 0 && !text)
        rc = SLINK_ENOMEM;
      if (rc < 0) {
        owned = NULL;
        slink__os_h_close(p);
        break;
      }
      rc = SLINK_ELOOP;
      continue;
    }
    if (rc == 0 && (st.kind != SLINK_KIND_FILE || !slink__same_file(&st, expect)))
      rc = SLINK_ECHANGED;
    if (rc == 0) {
      *leaf = slink__strdup(base);
      rc = *leaf ? 0 : SLINK_ENOMEM;
    }
    if (rc == 0)
      *pdir = p;
    else
      slink__os_h_close(p);
    break;
  }
  slink__os_h_close(owned);
  free(text);
  return rc;
}

/* The link's path in DEST and, in *UP, "../" once per directory above
 * it there: a relative link from beside it to REL. */
static char *relative_to(const char *link_rel, const char *rel) {
  size_t ups = 0;
  for (const char *p = link_rel; *p; p++)
    ups += *p == '/';
  size_t n = ups * 3 + strlen(rel);
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  for (size_t i = 0; i < ups; i++)
    memcpy(out + i * 3, "../", 3);
  memcpy(out + ups * 3, rel, strlen(rel) + 1);
  return out;
}

/* A later link to a target copied before (FIRST: the copy's path in
 * DEST). */
static int again(slink__clone *c, const slink__tree_ent *e, slink__h *ddir,
                 const slink__stat *st, const char *first) {
  const char *rel = slink__clone_rel(c, e);
  int os_err = 0, rc = 0;
  char *text = NULL;
  if (st->kind == SLINK_KIND_DIR) {
    text = relative_to(rel, first);
    if (!text)
      return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, SLINK_ENOMEM, 0,
                               NULL);
    if (!c->dry)
      rc = slink__os_h_symlink(ddir, e->name, text, 1, NULL, &os_err);
  } else if (!c->dry) {
    rc = slink__clone_join(c, first, ddir, e->name, &os_err);
  }
  if (rc < 0) {
    free(text);
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, os_err, NULL);
  }
  c->n->unrolled_again++;
  int a = c->dry ? slink__clone_plan(c, e, SLINK_PLAN_UNROLL_AGAIN,
                                     text ? text : first)
                 : SLINK__TA_GO;
  free(text);
  return a;
}

/* The file the link leads to, copied (or linked, per the mode) under the
 * link's name. */
static int unroll_file(slink__clone *c, const slink__tree_ent *e,
                       slink__h *ddir, const char *target,
                       const slink__stat *st) {
  slink__h *pdir = NULL;
  char *leaf = NULL;
  int rc = find_file(e->dir, target, st, &pdir, &leaf);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, 0, NULL);
  slink__tree_ent f = *e;
  f.dir = pdir;
  f.name = leaf;
  f.st = st;
  f.kind = SLINK_KIND_FILE;
  uint64_t before = c->n->errors;
  c->as_name = e->name;
  int fast = c->fast;
  c->fast = 0;  /* the careful way, as for every unrolled file */
  int a = slink__clone_file(c, &f, ddir, c->lv[e->depth - 1].prev);
  c->fast = fast;
  c->as_name = NULL;
  slink__os_h_close(pdir);
  free(leaf);
  if (c->n->errors == before) {
    if (slink__groups_put(c->unrolled, st, slink__clone_rel(c, e)) < 0)
      return slink__clone_emit(c, e, SLINK_KIND_FILE, SLINK_ENOMEM, 0, NULL);
    c->n->unrolled++;
  }
  return a;
}

/* The directory H (the target, ST) copied as NAME of DDIR by a walk of
 * its own, started from this one. */
static int unroll_dir(slink__clone *c, const slink__tree_ent *e,
                      slink__h *ddir, slink__h *h, const slink__stat *st) {
  const char *rel = slink__clone_rel(c, e);
  slink__clone sub = *c;
  sub.up = c;
  sub.up_depth = e->depth - 1;
  sub.lv = NULL;
  sub.nlv = 0;
  sub.lazy = sub.fast = 0;
  sub.src_abs = NULL;   /* the target's, known once the walk opens it */
  sub.src_lex = NULL;
  sub.as_name = NULL;
  memset(&sub.scratch, 0, sizeof sub.scratch);  /* its own, freed below */
  sub.dest_abs = slink__path_join(top_of(c)->dest_abs, rel);
  sub.lv = calloc(16, sizeof *sub.lv);
  if (!sub.dest_abs || !sub.lv) {
    free(sub.dest_abs);
    free(sub.lv);
    return slink__clone_emit(c, e, SLINK_KIND_DIR, SLINK_ENOMEM, 0, NULL);
  }
  sub.nlv = 16;
  int os_err = 0, rc = 0;
  if (!c->dry) {
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, ddir, e->name);
    rc = slink__os_h_mkdir(ddir, e->name, FILL_MODE, &os_err);
    if (rc == 0)
      rc = slink__os_h_open(ddir, e->name, 0, NULL, &sub.lv[0].dst, NULL,
                            &os_err);
  }
  if (rc == 0) {
    /* Recorded before it is walked: a link inside it to itself is then
     * a link to the copy, not a second copy. */
    rc = slink__groups_put(c->unrolled, st, rel);
  }
  if (rc < 0) {
    slink__clone_end(&sub);
    free(sub.dest_abs);
    return slink__clone_emit(c, e, SLINK_KIND_DIR, rc, os_err, NULL);
  }
  slink__h *prev = c->lv[e->depth - 1].prev;
  if (prev && slink__os_h_open(prev, e->name, 0, NULL, &sub.lv[0].prev, NULL,
                               NULL) < 0)
    sub.lv[0].prev = NULL;
  sub.lv[0].st = *st;
  sub.lv[0].planned = c->dry;
  c->n->dirs++;
  c->n->unrolled++;
  int a = c->dry ? slink__clone_plan(c, e, SLINK_PLAN_UNROLL, NULL)
                 : SLINK__TA_GO;
  if (a != SLINK__TA_STOP)
    slink__tree_walk(h, NULL, st, e->path,
                     SLINK__TREE_SORTED | SLINK__TREE_LOOK_ALL,
                     slink__clone_visit, &sub);
  /* What the walk learned is the whole clone's. */
  c->groups = sub.groups;
  c->dry_src = sub.dry_src;
  c->first_err = sub.first_err;
  c->stop = sub.stop;
  c->lm_dev = sub.lm_dev;
  c->lm_max = sub.lm_max;
  c->lm_known = sub.lm_known;
  slink__clone_end(&sub);
  free(sub.src_abs);
  free(sub.dest_abs);
  return c->stop ? SLINK__TA_STOP : a;
}

int slink__clone_unroll(slink__clone *c, const slink__tree_ent *e,
                        slink__h *ddir, const char *target) {
  slink__stat st;
  int rc = slink__os_h_stat(e->dir, e->name, &st, NULL);
  if (rc == SLINK_ENOENT || rc == SLINK_ENOTDIR)
    return keep(c, e, "points to nothing: kept as a link");
  if (rc == SLINK_ELOOP)
    return keep(c, e, "a loop of links: kept as a link");
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, 0, NULL);
  if (st.kind != SLINK_KIND_FILE && st.kind != SLINK_KIND_DIR)
    return keep(c, e, "points to a special file: kept as a link");
  SLINK__HOOK(SLINK__HP_UNROLL_BEFORE_OPEN, e->dir, e->name);
  const char *first = slink__groups_find(c->unrolled, &st);
  if (first)
    return again(c, e, ddir, &st, first);
  if (st.kind == SLINK_KIND_FILE)
    return unroll_file(c, e, ddir, target, &st);
  if (slink__clone_on_way(c, e->depth - 1, &st))
    return keep(c, e, "leads back to a directory being copied: a loop, "
                      "kept as a link");
  slink__h *h = NULL;
  char *real = NULL, *here = NULL;
  rc = slink__os_h_open(e->dir, e->name, SLINK__H_FOLLOW, &st, &h, NULL, NULL);
  if (rc == 0)
    rc = slink__os_h_realpath(h, &real, NULL);
  if (rc == 0)
    rc = slink__os_h_realpath(e->dir, &here, NULL);
  int a;
  if (rc < 0)
    a = slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, 0, NULL);
  else if (within(here, real) || within(top_of(c)->dest_abs, real))
    a = keep(c, e, "holds the link itself or the destination: a loop, "
                   "kept as a link");
  else
    a = unroll_dir(c, e, ddir, h, &st);
  slink__os_h_close(h);
  free(real);
  free(here);
  return a;
}
