/* clone-link.c - a symbolic link of a clone. Inner or outer is decided by
 * text, never by following: a relative target is inner when its ".."
 * never climbs above SRC from the link's own directory, an absolute one
 * when it names SRC or something below it (canonical or as typed). */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/internal.h"

/* Nonzero when TARGET, relative, read from the directory REL_DIR levels
 * below SRC's root, stays inside SRC. */
static int relative_inside(const char *target, size_t depth) {
  const char *p = target;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (depth == 0)
        return 0;
      depth--;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      depth++;
    }
    p += n;
    while (*p == '/')
      p++;
  }
  return 1;
}

/* The length of ROOT when ABS is ROOT or below it, else 0. */
static size_t below(const char *abs, const char *root) {
  if (!root)
    return 0;
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/')
    return 1;  /* everything is below "/" */
  /* A path with a drive letter is a Windows path: its case is not part
   * of the name (ASCII letters only: the rest is rare in paths). */
  int fold = root[0] && root[1] == ':';
  for (size_t i = 0; i < n; i++) {
    char a = abs[i], b = root[i];
    if (fold && a >= 'A' && a <= 'Z')
      a = (char)(a - 'A' + 'a');
    if (fold && b >= 'A' && b <= 'Z')
      b = (char)(b - 'A' + 'a');
    if (a != b)
      return 0;
  }
  return abs[n] == '\0' || abs[n] == '/' ? n : 0;
}

char *slink__clone_rewrite(const slink__clone *c, const char *target,
                           int *oom) {
  char *lex = slink__path_lexical(target);
  if (!lex) {
    *oom = 1;
    return NULL;
  }
  /* Inside an unrolled target: its copy first, then the trees it was
   * reached from. */
  size_t n = 0;
  for (; c; c = c->up) {
    n = below(lex, c->src_abs);
    if (!n)
      n = below(lex, c->src_lex);
    if (n)
      break;
  }
  char *out = NULL;
  if (n) {
    const char *rest = lex + n;
    if (n == 1)
      rest = lex;  /* SRC is "/": the whole path is below it */
    size_t dl = strlen(c->dest_abs), rl = strlen(rest);
    out = malloc(dl + rl + 2);
    if (out) {
      memcpy(out, c->dest_abs, dl);
      if (rl && rest[0] != '/')
        out[dl++] = '/';
      memcpy(out + dl, rest, rl + 1);
    } else {
      *oom = 1;
    }
  }
  free(lex);
  return out;
}

/* NAME in DIR, just made, reads back as the text JUDGED: a name swapped
 * meanwhile reads otherwise. */
static int reads_as(slink__h *dir, const char *name, const slink_info *judged) {
  slink_info made;
  memset(&made, 0, sizeof made);
  int same = slink__os_h_readlink(dir, name, &made, NULL) == 0 &&
             made.target_len == judged->target_len &&
             memcmp(made.target, judged->target, made.target_len) == 0;
  slink_info_free(&made);
  return same;
}

/* --hard: a link whose text stays is given a second name, as cp -al
 * does (owner and times are then its own), and read back: text other
 * than the one judged means the name was swapped meanwhile. Returns 0,
 * 1 when it could not be linked (then it is made anew), or a walker
 * answer. */
static int link_same(const slink__tree_ent *e, slink__h *ddir,
                     const slink_info *judged) {
  if (slink__os_h_link_many(e->dir, e->name, ddir, e->name, NULL) < 0)
    return 1;
  int same = reads_as(ddir, e->name, judged);
  if (same)
    return 0;
  slink__os_h_unlink(ddir, e->name, NULL, 0, NULL);
  return SLINK__TA_RETYPE;
}

/* --link-dest: a link whose text stays and that PREV holds unchanged
 * (same text, owner and time) becomes a second name of PREV's, as a file
 * does. PREV's entry is looked at, linked, and the link made read back
 * (the text judged) and proven to be the entry looked at (clone-verify.c).
 * Returns 0 (counted by the proof), or 1: make it anew. */
static int link_prev(slink__clone *c, const slink__tree_ent *e,
                     slink__h *ddir, const slink_info *judged, int inner) {
  slink__h *pdir = c->lv[e->depth - 1].prev;
  slink__stat pst;
  if (!pdir || !e->st || slink__os_h_lstat(pdir, e->name, &pst, NULL) < 0 ||
      pst.kind != e->st->kind || pst.uid != e->st->uid ||
      pst.gid != e->st->gid || pst.mtime != e->st->mtime ||
      pst.mtime_ns != e->st->mtime_ns || pst.size != e->st->size ||
      slink__os_h_link_many(pdir, e->name, ddir, e->name, NULL) < 0)
    return 1;
  int same = reads_as(ddir, e->name, judged);
  if (same &&
      slink__clone_pend(c, &c->lv[e->depth - 1], e->name, pst.kind, pst.ino,
                        inner ? SLINK__CLONE_INNER : SLINK__CLONE_KEPT) == 0)
    return 0;
  slink__stat now;
  if (same && slink__os_h_lstat(ddir, e->name, &now, NULL) == 0 &&
      slink__same_file(&now, &pst)) {
    if (inner)
      c->n->links_inner++;
    else
      c->n->links_kept++;
    return 0;
  }
  slink__os_h_unlink(ddir, e->name, NULL, 0, NULL);
  return 1;
}

int slink__clone_symlink(slink__clone *c, const slink__tree_ent *e,
                         slink__h *ddir) {
  slink_info info;
  memset(&info, 0, sizeof info);
  int os_err = 0;
  int rc = slink__os_h_readlink(e->dir, e->name, &info, &os_err);
  if (rc == SLINK_EINVAL)
    rc = SLINK_ECHANGED;  /* no link any more since it was looked at */
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, os_err, NULL);
  const char *target = info.target;
  char *fresh = NULL;
  int oom = 0, inner;
  if (strlen(target) != info.target_len || !*target) {
    inner = 0;  /* nothing a path can say */
  } else if (slink__os_is_absolute(target)) {
    fresh = slink__clone_rewrite(c, target, &oom);
    inner = fresh != NULL;
  } else {
    inner = relative_inside(target, e->depth - 1);
  }
  if (oom) {
    slink_info_free(&info);
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, SLINK_ENOMEM, 0, NULL);
  }
  if (!inner && (c->flags & SLINK_CLONE_OUTER_DROP)) {
    slink_info_free(&info);
    c->n->links_dropped++;
    if (c->dry)
      return slink__clone_plan(c, e, SLINK_PLAN_DROP, NULL);
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, 0, 0,
                             "points outside the tree: left out");
  }
  if (!inner && (c->flags & SLINK_CLONE_OUTER_UNROLL)) {
    rc = slink__clone_unroll(c, e, ddir, target);
    if (rc != 1) {
      slink_info_free(&info);
      return rc;
    }
  }
  if (c->dry) {
    slink_plan plan = fresh   ? SLINK_PLAN_REWRITE
                      : inner ? SLINK_PLAN_INNER
                              : SLINK_PLAN_KEEP;
    if (fresh)
      c->n->links_rewritten++;
    else if (inner)
      c->n->links_inner++;
    else
      c->n->links_kept++;
    rc = slink__clone_plan(c, e, plan, fresh);
    free(fresh);
    slink_info_free(&info);
    return rc;
  }
  rc = 1;
  if (!fresh && link_prev(c, e, ddir, &info, inner) == 0) {
    slink_info_free(&info);
    return SLINK__TA_GO;
  }
  if (!fresh && !(c->flags & (SLINK_CLONE_COPY | SLINK_CLONE_REFLINK))) {
    rc = link_same(e, ddir, &info);
    if (rc == SLINK__TA_RETYPE) {
      slink_info_free(&info);
      return rc;
    }
  }
  int made_new = rc == 1;
  if (made_new)
    rc = slink__os_h_symlink(ddir, e->name, fresh ? fresh : target,
                             e->kind == SLINK_KIND_DIR_SYMLINK, NULL, &os_err);
  int rewritten = fresh != NULL;
  free(fresh);
  slink_info_free(&info);
  if (rc == 0 && made_new && e->st)
    rc = slink__os_h_set_meta(ddir, e->name, e->st,
                              SLINK__META_OWNER | SLINK__META_TIMES, &os_err);
  if (rc < 0)
    return slink__clone_emit(c, e, SLINK_KIND_SYMLINK, rc, os_err, NULL);
  if (rewritten)
    c->n->links_rewritten++;
  else if (inner)
    c->n->links_inner++;
  else
    c->n->links_kept++;
  return SLINK__TA_GO;
}
