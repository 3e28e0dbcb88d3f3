/* persona-ln-link.c - one link of GNU ln: the checks GNU makes before
 * touching anything (directories, "the same file", names made this run),
 * the question of -i, the backup of -b, then slink_make(), which makes,
 * replaces atomically and verifies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona-ln.h"

static int ends_in_sep(const char *p) {
  size_t n = strlen(p);
  return n > 0 && slink_path_is_sep(p[n - 1]);
}

void ln_stat_free(ln_stat *st) {
  free(st->resolved);
  st->resolved = NULL;
}

static void fill(ln_stat *st, const slink_info *info) {
  st->kind = info->kind;
  st->dev = info->dev;
  st->ino = info->ino;
  st->nlink = info->nlink;
}

int ln_stat_path(const char *path, int follow, ln_stat *st) {
  memset(st, 0, sizeof *st);
  if (!*path)
    return SLINK_ENOENT;
  int slash = ends_in_sep(path);
  if (slash)
    follow = 1;
  slink_info info;
  int rc = slink_read(path, follow ? SLINK_READ_RESOLVE : 0, &info);
  if (rc < 0)
    return rc;
  if (follow && slink_kind_is_link(info.kind)) {
    if (info.states & SLINK_STATE_LOOP)
      rc = SLINK_ELOOP;
    else if (info.states & SLINK_STATE_DENIED)
      rc = SLINK_EACCES;
    else if (!(info.states & SLINK_STATE_OK) || !info.resolved)
      rc = SLINK_ENOENT;
    slink_info t;
    if (rc == 0 && (rc = slink_read(info.resolved, 0, &t)) == 0) {
      fill(st, &t);
      slink_info_free(&t);
      st->resolved = info.resolved;
      info.resolved = NULL;
    }
  } else {
    fill(st, &info);
  }
  slink_info_free(&info);
  if (rc == 0 && slash && st->kind != SLINK_KIND_DIR) {
    ln_stat_free(st);
    rc = SLINK_ENOTDIR;
  }
  return rc;
}

/* The directory part of PATH ("." when none), for same-name checks. */
static char *dir_of(const char *path) {
  size_t blen;
  const char *base = ln_last_component(path, &blen);
  size_t n = (size_t)(base - path);
  char *d = malloc(n ? n + 1 : 2);
  if (d && n == 0)
    return strcpy(d, ".");
  if (d) {
    memcpy(d, path, n);
    d[n] = '\0';
  }
  return d;
}

/* GNU's same_nameat(): A and B are one directory entry, named alike in
 * the same directory. */
static int same_name(const char *a, const char *b) {
  size_t al, bl;
  const char *ab = ln_last_component(a, &al), *bb = ln_last_component(b, &bl);
  if (al != bl || memcmp(ab, bb, al) != 0)
    return 0;
  char *ad = dir_of(a), *bd = dir_of(b);
  ln_stat as, bs;
  int same = 0;
  if (ad && bd && ln_stat_path(ad, 1, &as) == 0) {
    if (ln_stat_path(bd, 1, &bs) == 0) {
      same = as.dev == bs.dev && as.ino == bs.ino;
      ln_stat_free(&bs);
    }
    ln_stat_free(&as);
  }
  free(ad);
  free(bd);
  return same;
}

static int seen(const ln_ctx *c, const char *dest, const ln_stat *st) {
  for (size_t i = 0; i < c->made_count; i++)
    if (strcmp(c->made[i].path, dest) == 0 && c->made[i].dev == st->dev &&
        c->made[i].ino == st->ino)
      return 1;
  return 0;
}

static void remember(ln_ctx *c, const char *dest) {
  slink_info info;
  if (slink_read(dest, 0, &info) < 0)
    return;
  if (c->made_count == c->made_cap) {
    size_t cap = c->made_cap ? c->made_cap * 2 : 8;
    ln_made *m = realloc(c->made, cap * sizeof *m);
    if (!m) {
      slink_info_free(&info);
      return;
    }
    c->made = m;
    c->made_cap = cap;
  }
  size_t len = strlen(dest);
  char *p = malloc(len + 1);
  if (p) {
    memcpy(p, dest, len + 1);
    c->made[c->made_count++] = (ln_made){p, info.dev, info.ino};
  }
  slink_info_free(&info);
}

/* -i: "ln: replace 'b'? ", yes when the answer starts with y or Y. */
static int ask(const ln_ctx *c, const char *qdest) {
  cli_errf("%s: replace %s? ", c->prog, qdest);
  char line[256];
  if (!fgets(line, sizeof line, stdin))
    return 0;
  int yes = line[0] == 'y' || line[0] == 'Y';
  /* Eat the rest of a long answer, so the next question gets a fresh one. */
  while (!strchr(line, '\n') && fgets(line, sizeof line, stdin))
    ;
  return yes;
}

static void create_error(const ln_ctx *c, int code, const char *qdest,
                         const char *qsrc, const char *source) {
  if (c->symbolic) {
    if (code != SLINK_ENAMETOOLONG && *source)
      ln_error(c, code, "failed to create symbolic link %s", qdest);
    else
      ln_error(c, code, "failed to create symbolic link %s -> %s", qdest,
               qsrc);
  } else if (code == SLINK_EMLINK) {
    ln_error(c, code, "failed to create hard link to %s", qsrc);
  } else if (code == SLINK_EDQUOT || code == SLINK_EEXIST ||
             code == SLINK_ENOSPC || code == SLINK_EROFS) {
    ln_error(c, code, "failed to create hard link %s", qdest);
  } else {
    ln_error(c, code, "failed to create hard link %s => %s", qdest, qsrc);
  }
}

typedef struct op {
  const char *source, *dest;
  char *qsrc, *qdest;
  char *backup;           /* the backup made of DEST, if any */
  ln_stat src;            /* hard links: what the link will name */
  int have_src;
  int replace;            /* DEST exists and is to be replaced */
} op;

/* Everything GNU checks before it makes the link. 0 to go on, 1 failed,
 * -1 to skip this operand quietly (-i answered no). */
static int prepare(ln_ctx *c, op *o) {
  int rc;
  if (!c->symbolic) {
    rc = ln_stat_path(o->source, c->logical, &o->src);
    if (rc < 0) {
      ln_error(c, rc, "failed to access %s", o->qsrc);
      return 1;
    }
    o->have_src = 1;
    if (o->src.kind == SLINK_KIND_DIR) {
      /* Also with -d: directories get no hard links from slink. */
      char *q = ln_quote(c, o->source, 0);
      ln_error(c, 0, "%s: hard link not allowed for directory",
               q ? q : o->source);
      free(q);
      return 1;
    }
  }
  int force = c->force || c->interactive || c->backup != LN_BACKUP_NONE;
  if (!force)
    return 0;
  ln_stat d;
  rc = ln_stat_path(o->dest, 0, &d);
  if (rc == SLINK_ENOENT)
    return 0;
  if (rc < 0) {
    ln_error(c, rc, "failed to access %s", o->qdest);
    return 1;
  }
  ln_stat_free(&d);
  if (d.kind == SLINK_KIND_DIR) {
    char *q = ln_quote(c, o->dest, 0);
    ln_error(c, 0, "%s: cannot overwrite directory", q ? q : o->dest);
    free(q);
    return 1;
  }
  if (!c->symbolic && seen(c, o->dest, &d)) {
    char *q1 = ln_quote(c, o->dest, 1);
    ln_error(c, 0, "will not overwrite just-created %s with %s", q1, o->qsrc);
    free(q1);
    return 1;
  }
  /* Removing DEST when it is SOURCE's only name (or SOURCE's very entry)
   * would lose the file or leave a link to itself. The source is looked
   * up from here, as GNU does, also for symbolic links. */
  ln_stat s;
  if (ln_stat_path(o->source, 1, &s) == 0) {
    ln_stat_free(&s);
    /* With a backup, DEST is kept under another name: nothing is lost. */
    if (c->backup == LN_BACKUP_NONE && s.dev == d.dev && s.ino == d.ino &&
        (s.nlink == 1 || same_name(o->source, o->dest))) {
      ln_error(c, 0, "%s and %s are the same file", o->qsrc, o->qdest);
      return 1;
    }
  }
  if (c->interactive && !ask(c, o->qdest))
    return -1;
  o->replace = 1;
  if (c->backup != LN_BACKUP_NONE) {
    /* The backup is another name of the old entry, made before the new
     * link replaces it atomically: DEST is never missing meanwhile. */
    o->backup = ln_backup_name(c, o->dest);
    slink_make_opts bo = {SLINK_MAKE_HARD, SLINK_MAKE_FORCE, NULL};
    rc = o->backup ? slink_make(o->backup, o->dest, &bo, NULL) : SLINK_ENOMEM;
    if (rc < 0) {
      free(o->backup);
      o->backup = NULL;
      ln_error(c, rc, "cannot backup %s", o->qdest);
      return 1;
    }
  }
  return 0;
}

/* Make the link; 0 or an SLINK_E... code. *STORED gets what a symbolic
 * link holds. */
static int make(ln_ctx *c, op *o, char **stored) {
  size_t blen;
  ln_last_component(o->dest, &blen);
  if (blen == 0 || c->empty_base || (c->symbolic && !*o->source))
    return SLINK_ENOENT;
  if (ends_in_sep(o->dest)) {
    /* "name/" can only be made where nothing is: there the system says
     * the name is missing, otherwise that it exists. */
    slink_info info;
    if (slink_read(o->dest, 0, &info) < 0) /* the name itself, unfollowed */
      return SLINK_ENOENT;
    slink_info_free(&info);
    return SLINK_EEXIST;
  }
  slink_make_opts mo = {SLINK_MAKE_SYMBOLIC, 0, NULL};
  const char *target = o->source;
  if (c->symbolic) {
    if (c->relative)
      mo.flags |= SLINK_MAKE_RELATIVE;
    if (c->fallback)
      mo.flags |= SLINK_MAKE_FALLBACK;
  } else {
    mo.type = SLINK_MAKE_HARD;
    if (o->src.resolved) /* -L: the file the symbolic link leads to */
      target = o->src.resolved;
  }
  if (o->replace)
    mo.flags |= SLINK_MAKE_FORCE;
  slink_made made;
  int rc = slink_make(o->dest, target, &mo, &made);
  if (rc == 0) {
    if (made.target) {
      *stored = made.target;
      made.target = NULL;
    }
    slink_made_free(&made);
  }
  return rc;
}

int ln_link(ln_ctx *c, const char *source, const char *dest) {
  op o;
  memset(&o, 0, sizeof o);
  o.source = source;
  o.dest = dest;
  o.qsrc = ln_quote(c, source, 1);
  o.qdest = ln_quote(c, dest, 1);
  int status = 1;
  if (!o.qsrc || !o.qdest)
    goto done;
  int rc = prepare(c, &o);
  if (rc != 0) {
    status = rc < 0 ? 0 : 1;
    goto done;
  }
  char *stored = NULL;
  rc = make(c, &o, &stored);
  if (rc < 0) {
    create_error(c, rc, o.qdest, o.qsrc, source);
    if (o.backup)
      slink_remove(o.backup, 0, NULL); /* DEST itself was not touched */
    goto done;
  }
  status = 0;
  if (!c->symbolic)
    remember(c, dest);
  if (c->verbose) {
    if (o.backup) {
      char *qb = ln_quote(c, o.backup, 1);
      cli_outf("%s ~ ", qb ? qb : o.backup);
      free(qb);
    }
    char *qs = stored ? ln_quote(c, stored, 1) : NULL;
    cli_outf("%s %c> %s\n", o.qdest, c->symbolic ? '-' : '=',
             qs ? qs : o.qsrc);
    free(qs);
  }
  free(stored);
done:
  if (o.have_src)
    ln_stat_free(&o.src);
  free(o.backup);
  free(o.qsrc);
  free(o.qdest);
  return status;
}
