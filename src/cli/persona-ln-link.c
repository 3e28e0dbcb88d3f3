/* persona-ln-link.c - one link of GNU ln, step by step as GNU's do_link()
 * takes them, so that every message and every outcome is GNU's: try to
 * make the link; only when that fails look at what is there (a directory,
 * a name made this run, "the same file"), ask (-i), move the old entry to
 * its backup (-b), and make the link again, replacing atomically. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/persona-ln.h"
#include "cli/platform.h"

#ifdef EDQUOT
#define LN_EDQUOT EDQUOT
#else
#define LN_EDQUOT (-1) /* no such errno here: matches no positive code */
#endif

static int sys_errno(int os_error) { return cli_os_errno(os_error); }

static int ends_in_sep(const char *p) {
  size_t n = strlen(p);
  return n > 0 && ln_is_sep(p[n - 1]);
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

/* GNU's dir_name(): the directory part of PATH without the slashes that
 * end it, "." when there is none. */
static char *dir_name(const char *path) {
  size_t blen;
  const char *base = ln_last_component(path, &blen);
  size_t n = (size_t)(base - path);
  while (n > 1 && ln_is_sep(path[n - 1]))
    n--;
  char *d = malloc(n ? n + 1 : 2);
  if (d && n == 0)
    return strcpy(d, ".");
  if (d) {
    memcpy(d, path, n);
    d[n] = '\0';
  }
  return d;
}

/* GNU's same_nameat(): A and B have the same last component in the same
 * directory. */
static int same_name(const char *a, const char *b) {
  size_t al, bl;
  const char *ab = ln_last_component(a, &al), *bb = ln_last_component(b, &bl);
  if (al != bl || memcmp(ab, bb, al) != 0)
    return 0;
  char *ad = dir_name(a), *bd = dir_name(b);
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

static void remember(ln_ctx *c, const char *dest, const ln_stat *st) {
  if (c->made_count == c->made_cap) {
    size_t cap = c->made_cap ? c->made_cap * 2 : 8;
    ln_made *m = realloc(c->made, cap * sizeof *m);
    if (!m)
      return;
    c->made = m;
    c->made_cap = cap;
  }
  size_t len = strlen(dest);
  char *p = malloc(len + 1);
  if (p) {
    memcpy(p, dest, len + 1);
    c->made[c->made_count++] = (ln_made){p, st->dev, st->ino};
  }
}

/* -i: "ln: replace 'b'? ", yes when the answer starts with y or Y (GNU's
 * yesno() in the C locale). */
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
    if (code != SLINK_ENAMETOOLONG && code != ENAMETOOLONG && *source)
      ln_error(c, code, "failed to create symbolic link %s", qdest);
    else
      ln_error(c, code, "failed to create symbolic link %s -> %s", qdest,
               qsrc);
  } else if (code == SLINK_EMLINK || code == EMLINK) {
    ln_error(c, code, "failed to create hard link to %s", qsrc);
  } else if (code == SLINK_EDQUOT || code == SLINK_EEXIST ||
             code == SLINK_ENOSPC || code == SLINK_EROFS || code == EEXIST ||
             code == ENOSPC || code == EROFS || code == LN_EDQUOT) {
    ln_error(c, code, "failed to create hard link %s", qdest);
  } else {
    ln_error(c, code, "failed to create hard link %s => %s", qdest, qsrc);
  }
}

/* The system's call: make AT a link to SOURCE, replacing what is there
 * (atomically) when FORCE. 0, the system's errno, or an SLINK_E... code. */
static int make(ln_ctx *c, const char *source, const char *at, int force) {
  size_t blen;
  ln_last_component(at, &blen);
  if (blen == 0 || (c->symbolic && !*source))
    return ENOENT;
  if (ends_in_sep(at)) {
    /* "name/" can only be made where nothing is: there the system says
     * the name is missing, otherwise that it exists. */
    slink_info info;
    int rc = slink_read(at, 0, &info); /* the name itself, unfollowed */
    if (rc == SLINK_ENOTDIR || rc == SLINK_ELOOP || rc == SLINK_EACCES ||
        rc == SLINK_ENAMETOOLONG)
      return rc; /* the way to it fails first */
    if (rc < 0)
      return ENOENT;
    slink_info_free(&info);
    return EEXIST;
  }
  slink_make_opts mo = {SLINK_MAKE_SYMBOLIC, force ? SLINK_MAKE_FORCE : 0u,
                        NULL};
  const char *target = source;
  ln_stat st;
  int have = 0;
  if (!c->symbolic) {
    mo.type = SLINK_MAKE_HARD;
    if (c->logical) { /* -L: the file a symbolic link leads to */
      int rc = ln_stat_path(source, 1, &st);
      if (rc < 0)
        return rc;
      have = 1;
      if (st.resolved)
        target = st.resolved;
    }
  } else {
    if (c->fallback)
      mo.flags |= SLINK_MAKE_FALLBACK;
    /* Windows names (drives, backslashes): the library's own -r. */
    if (c->relative && !cli_os_posix_names())
      mo.flags |= SLINK_MAKE_RELATIVE;
  }
  slink_made made;
  memset(&made, 0, sizeof made);
  int rc = slink_make(at, target, &mo, &made);
  if (rc < 0 && sys_errno(made.os_error))
    rc = sys_errno(made.os_error);
  slink_made_free(&made);
  if (rc == SLINK_EHARDLINKDIR && !force) {
    /* The system checks the new name (exists, may be written) before it
     * refuses a directory: ask it the same with a symbolic link there,
     * taken away at once. */
    slink_make_opts po = {SLINK_MAKE_SYMBOLIC, 0, NULL};
    memset(&made, 0, sizeof made);
    int prc = slink_make(at, target, &po, &made);
    if (prc < 0 && sys_errno(made.os_error))
      prc = sys_errno(made.os_error);
    slink_made_free(&made);
    if (prc == 0)
      slink_remove(at, 0, NULL);
    else
      rc = prc;
  }
  if (have)
    ln_stat_free(&st);
  return rc;
}

/* The backup's name in the directory that holds AT, found and then
 * renamed to as GNU does. */
static char *backup_base(const ln_ctx *c, const char *at) {
  size_t blen;
  const char *base = ln_last_component(at, &blen);
  char *dir = dir_name(at), *b = malloc(blen + 1);
  char *r = NULL;
  if (dir && b) {
    memcpy(b, base, blen);
    b[blen] = '\0';
    r = ln_backup_name(c, dir, b);
  }
  free(dir);
  free(b);
  return r;
}

/* PATH's directory part (as written, with its slash) followed by NAME. */
static char *beside(const char *path, const char *name) {
  size_t blen;
  const char *base = ln_last_component(path, &blen);
  size_t dl = (size_t)(base - path), nl = strlen(name);
  char *r = malloc(dl + nl + 1);
  if (r) {
    memcpy(r, path, dl);
    memcpy(r + dl, name, nl + 1);
  }
  return r;
}

/* Whether AT (unfollowed) is the file ST describes. */
static int is_same(const ln_stat *st, const char *at) {
  ln_stat d;
  if (ln_stat_path(at, 0, &d) < 0)
    return 0;
  ln_stat_free(&d);
  return d.dev == st->dev && d.ino == st->ino;
}

/* A hard link over a name the file already has changes nothing, but GNU
 * gets there by making a temporary name beside it first, so it fails
 * where that directory cannot be written: do the same, and take the
 * temporary name away again. 0 or the error. */
static int probe_dir(ln_ctx *c, const char *source, const char *at) {
  char *dir = dir_name(at);
  if (!dir)
    return SLINK_ENOMEM;
  size_t dl = strlen(dir);
  char *tmp = malloc(dl + 16);
  int rc = SLINK_ENOMEM;
  for (unsigned i = 0; tmp && i < 100; i++) {
    snprintf(tmp, dl + 16, "%s/CuLn%06u", dir, i);
    rc = make(c, source, tmp, 0);
    if (rc == 0) {
      slink_remove(tmp, 0, NULL);
      break;
    }
    if (rc != EEXIST && rc != SLINK_EEXIST)
      break;
  }
  free(tmp);
  free(dir);
  return rc;
}

int ln_try_link(ln_ctx *c, const char *source, const char *at) {
  if (c->symbolic && c->relative)
    return LN_UNTRIED;
  return make(c, source, at, 0);
}

int ln_link(ln_ctx *c, const char *source, const char *dest, const char *at,
            int link_errno) {
  char *qsrc = NULL, *qdest = NULL, *rel = NULL, *bbase = NULL;
  char *bat = NULL;
  ln_stat src;
  int src_status = 1, ok = 0;
  memset(&src, 0, sizeof src);
  if (link_errno == LN_UNTRIED)
    link_errno = ln_try_link(c, source, at);
  if ((link_errno != 0 || c->dest_set) && !c->symbolic) {
    src_status = ln_stat_path(source, c->logical, &src);
    if (src_status < 0) {
      qsrc = ln_quote(c, source, 1);
      ln_error(c, src_status, "failed to access %s", qsrc);
      goto done;
    }
  }
  if (link_errno != 0) {
    if (!c->symbolic && !c->hard_dir && src.kind == SLINK_KIND_DIR) {
      char *q = ln_quote(c, source, 0);
      ln_error(c, 0, "%s: hard link not allowed for directory", q);
      free(q);
      goto done;
    }
    if (c->relative && cli_os_posix_names())
      source = rel = ln_relative(source, dest);
    if (!source)
      goto done;
    int force = c->force || c->interactive || c->backup != LN_BACKUP_NONE;
    if (force) {
      ln_stat d;
      int rc = ln_stat_path(at, 0, &d);
      if (rc == SLINK_ENOENT || rc == SLINK_ENOPARENT) {
        force = 0;
      } else if (rc < 0) {
        qdest = qdest ? qdest : ln_quote(c, dest, 1);
        ln_error(c, rc, "failed to access %s", qdest);
        goto done;
      } else {
        ln_stat_free(&d);
        if (d.kind == SLINK_KIND_DIR) {
          char *q = ln_quote(c, dest, 0);
          ln_error(c, 0, "%s: cannot overwrite directory", q);
          free(q);
          goto done;
        }
        if (seen(c, dest, &d)) {
          qdest = qdest ? qdest : ln_quote(c, dest, 1);
          qsrc = ln_quote_n(c, 1, source);
          ln_error(c, 0, "will not overwrite just-created %s with %s", qdest,
                   qsrc);
          goto done;
        }
        /* Removing DEST when it is SOURCE's very entry would lose the
         * file (hard links) or leave a link to itself in its place. GNU
         * looks when backing up hard links or with -f; slink also with
         * -i for symbolic links, where GNU would replace the file by a
         * link to itself (docs/compat.md). */
        int check = c->backup != LN_BACKUP_NONE ? !c->symbolic : c->force;
        int late = !check && c->backup == LN_BACKUP_NONE && c->symbolic;
        if ((check || late) && src_status != 0)
          src_status = ln_stat_path(source, 1, &src);
        int same = src_status == 0 && src.dev == d.dev && src.ino == d.ino &&
                   (src.nlink == 1 || same_name(source, at));
        if (check && same)
          goto same_file;
        if (link_errno == LN_UNTRIED || link_errno == EEXIST ||
            link_errno == SLINK_EEXIST) {
          if (c->interactive) {
            qdest = qdest ? qdest : ln_quote(c, dest, 1);
            if (!ask(c, qdest)) {
              ok = 1;
              goto done;
            }
          }
          if (late && same)
            goto same_file;
          if (c->backup != LN_BACKUP_NONE) {
            bbase = backup_base(c, at);
            bat = bbase ? beside(at, bbase) : NULL;
            int os_err = 0;
            rc = bat ? slink_rename(at, bat, &os_err) : SLINK_ENOMEM;
            if (rc < 0) {
              free(bbase);
              free(bat);
              bbase = bat = NULL;
              if (rc != SLINK_ENOENT) {
                qdest = qdest ? qdest : ln_quote(c, dest, 1);
                ln_error(c, sys_errno(os_err) ? sys_errno(os_err) : rc,
                         "cannot backup %s",
                         qdest);
                goto done;
              }
              force = 0;
            }
          }
        }
      }
    }
    if (link_errno == LN_UNTRIED)
      link_errno = make(c, source, at, 0);
    if (force && (link_errno == EEXIST || link_errno == SLINK_EEXIST))
      link_errno = !c->symbolic && src_status == 0 && is_same(&src, at)
                       ? probe_dir(c, source, at)
                       : make(c, source, at, 1);
  }
  /* GNU's slots: 0 the link name, 1 the target, 2 the backup. */
  if (!qdest)
    qdest = ln_quote(c, dest, 1);
  qsrc = ln_quote_n(c, 1, source);
  if (link_errno == 0) {
    ok = 1;
    if (!c->symbolic && c->dest_set) {
      ln_stat now;
      /* GNU notes the source's identity, which the new name now has. */
      if (src_status == 0)
        remember(c, dest, &src);
      else if (ln_stat_path(at, 0, &now) == 0) {
        remember(c, dest, &now);
        ln_stat_free(&now);
      }
    }
    if (c->verbose) {
      if (bbase) {
        char *shown = beside(dest, bbase);
        char *qb = shown ? ln_quote_n(c, 2, shown) : NULL;
        cli_outf("%s ~ ", qb ? qb : bbase);
        free(qb);
        free(shown);
      }
      cli_outf("%s %c> %s\n", qdest, c->symbolic ? '-' : '=', qsrc);
    }
  } else {
    create_error(c, link_errno, qdest, qsrc, source);
    if (bat) {
      int os_err = 0;
      int rc = slink_rename(bat, at, &os_err);
      if (rc < 0)
        ln_error(c, sys_errno(os_err) ? sys_errno(os_err) : rc,
                 "cannot un-backup %s", qdest);
    }
  }
  goto done;
same_file:
  free(qdest);
  qdest = ln_quote_n(c, 1, dest);
  qsrc = ln_quote(c, source, 1);
  ln_error(c, 0, "%s and %s are the same file", qsrc, qdest);
done:
  ln_stat_free(&src);
  free(rel);
  free(bbase);
  free(bat);
  free(qsrc);
  free(qdest);
  return ok ? 0 : 1;
}
