/* convert.c - slink_convert(): one link, real or faked, replaced by one of
 * another kind with the same target. The new link is made beside the old
 * under a temporary name, read back, and exchanged with the old one
 * atomically (renameat2 RENAME_EXCHANGE); what came out is checked to be
 * the very entry that was recognised, byte for byte, and put back when it
 * is not. Where the system cannot exchange, the check comes right before
 * a plain rename over it. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/hook.h"
#include "lib/internal.h"

typedef slink__fake_rec rec;

/* What each TO makes. */
static slink_fake_form form_of(slink_convert_to to) {
  switch (to) {
  case SLINK_TO_NATIVE:
  case SLINK_TO_SYMLINK: return SLINK_FORM_SYMLINK;
  case SLINK_TO_JUNCTION: return SLINK_FORM_NONE;
  case SLINK_TO_WSL: return SLINK_FORM_WSL;
  case SLINK_TO_CYGWIN: return SLINK_FORM_CYGWIN_SYS;
  case SLINK_TO_PLACEHOLDER: return SLINK_FORM_GIT;
  case SLINK_TO_SHORTCUT: return SLINK_FORM_LNK_CYGWIN;
  case SLINK_TO_INTERIX: return SLINK_FORM_INTERIX;
  }
  return SLINK_FORM_NONE;
}

static slink_kind kind_of(slink_convert_to to) {
  switch (to) {
  case SLINK_TO_NATIVE:
  case SLINK_TO_SYMLINK: return SLINK_KIND_SYMLINK;
  case SLINK_TO_JUNCTION: return SLINK_KIND_JUNCTION;
  case SLINK_TO_WSL: return SLINK_KIND_WSL_SYMLINK;
  case SLINK_TO_CYGWIN: return SLINK_KIND_CYGWIN_SYMLINK;
  case SLINK_TO_PLACEHOLDER: return SLINK_KIND_GIT_PLACEHOLDER;
  case SLINK_TO_SHORTCUT: return SLINK_KIND_SHORTCUT;
  case SLINK_TO_INTERIX: return SLINK_KIND_CYGWIN_SYMLINK;
  }
  return SLINK_KIND_NONE;
}

/* Nonzero when TARGET, stored in the canonical directory DIR, leads
 * outside TOP (canonical, ending in "/"), by text alone: a Git placeholder
 * names a path of the work tree whether or not it exists yet. */
static int escapes(const char *dir, const char *target, const char *top,
                   int *err) {
  char *joined = target[0] == '/' ? slink__strdup(target)
                                  : slink__path_join(dir, target);
  char *lex = joined ? slink__path_lexical(joined) : NULL;
  free(joined);
  if (!lex) {
    *err = SLINK_ENOMEM;
    return 1;
  }
  size_t tl = strlen(top), ll = strlen(lex);
  int inside = (ll + 1 == tl && memcmp(lex, top, ll) == 0) ||
               (ll >= tl && memcmp(lex, top, tl) == 0);
  free(lex);
  return !inside;
}

/* The Windows attributes a file form carries, as Cygwin (and Interix)
 * leave them: exactly one. */
static uint32_t attrs_of(slink_convert_to to) {
  return to == SLINK_TO_SHORTCUT ? SLINK__ATTR_READONLY
         : to == SLINK_TO_CYGWIN || to == SLINK_TO_INTERIX
             ? SLINK__ATTR_SYSTEM
             : 0;
}

/* Make the new link NAME in DIR. *BUF is what a file form holds. */
static int make(slink_fakes *s, slink__h *dir, const char *name,
                slink_convert_to to, const rec *r, int is_dir,
                unsigned char **buf, size_t *n, slink_kind *made,
                int *os_err) {
  const char *t = r->f.target;
  int rc;
  slink_reparse rp;
  *made = kind_of(to);
  switch (to) {
  case SLINK_TO_NATIVE:
  case SLINK_TO_SYMLINK:
    return slink__os_h_symlink(dir, name, t, is_dir, NULL, os_err);
  case SLINK_TO_JUNCTION: {
    char *abs = t[0] == '/' ? slink__strdup(t)
                            : slink__path_join(r->absdir, t);
    char *lex = abs ? slink__path_lexical(abs) : NULL;
    free(abs);
    if (!lex)
      return SLINK_ENOMEM;
    rc = slink__os_h_junction(dir, name, lex, NULL, made, os_err);
    free(lex);
    return rc;
  }
  case SLINK_TO_WSL:
    memset(&rp, 0, sizeof rp);
    rp.tag = SLINK_REPARSE_TAG_LX_SYMLINK;
    rp.wsl_target = r->f.target;
    rp.wsl_target_len = r->f.target_len;
    if ((rc = slink_reparse_encode(&rp, buf, n)) < 0)
      return rc;
    rc = slink__os_h_reparse_new(dir, name, 0, *buf, *n, os_err);
    free(*buf);
    *buf = NULL;
    return rc;
  case SLINK_TO_CYGWIN:
  case SLINK_TO_INTERIX:
    rc = to == SLINK_TO_CYGWIN
             ? slink__cygwin_encode(t, r->f.target_len, buf, n)
             : slink__interix_encode(t, r->f.target_len, buf, n);
    if (rc < 0)
      return rc;
    return slink__os_h_write_new(dir, name, *buf, *n, 0666, attrs_of(to),
                                 os_err);
  case SLINK_TO_SHORTCUT: {
    char *win, *wdir;
    if ((rc = slink__fakes_windir(s, dir, r->absdir, &wdir)) < 0)
      return rc;
    rc = slink__lnk_winpath(wdir ? wdir : r->absdir, t, &win);
    free(wdir);
    if (rc < 0)
      return rc;
    rc = slink__lnk_encode(t, r->f.target_len, win, buf, n);
    free(win);
    if (rc < 0)
      return rc;
    return slink__os_h_write_new(dir, name, *buf, *n, 0666, attrs_of(to),
                                 os_err);
  }
  case SLINK_TO_PLACEHOLDER:
    if (!(*buf = malloc(r->f.target_len + 1)))
      return SLINK_ENOMEM;
    memcpy(*buf, t, r->f.target_len);
    *n = r->f.target_len;
    return slink__os_h_write_new(dir, name, *buf, *n, 0666, 0, os_err);
  }
  return SLINK_EINVAL;
}

static int interix_shown(slink__h *dir, const char *name, const rec *r) {
  rec now;
  int rc = slink__fake_recognise(NULL, dir, name, &now);
  int ok = rc == 0 && now.f.form == SLINK_FORM_INTERIX && now.f.target &&
           now.f.target_len == r->f.target_len &&
           memcmp(now.f.target, r->f.target, r->f.target_len) == 0;
  slink__fake_rec_free(&now);
  return ok ? 0 : SLINK_ENOTVERIFIED;
}

/* Read NAME back: the link TO with R's target (or the bytes BUF). */
static int verify(slink__h *dir, const char *name, slink_convert_to to,
                  const rec *r, const unsigned char *buf, size_t n,
                  slink_kind *made, slink__stat *made_st, int *attrs_shown) {
  int os_err, has_attrs;
  if (buf) {
    unsigned char *got;
    size_t gn;
    slink__stat st;
    int rc = slink__os_h_read_small(dir, name, SLINK__FAKE_FILE_MAX, &got,
                                    &gn, &st, &has_attrs, &os_err);
    *made_st = st;
    *attrs_shown = rc == 0 && has_attrs;
    /* ntfs-3g shows an Interix file marked SYSTEM as a symbolic link. */
    if (rc == SLINK_EINVAL && to == SLINK_TO_INTERIX)
      return interix_shown(dir, name, r);
    if (rc < 0)
      return SLINK_ENOTVERIFIED;
    rc = gn == n && memcmp(got, buf, n) == 0 ? 0 : SLINK_ENOTVERIFIED;
    /* Cygwin reads a file as a link only with its attribute (SYSTEM, or
     * READONLY for a shortcut). */
    if (attrs_of(to) && has_attrs && !(st.attrs & attrs_of(to)))
      rc = SLINK_ENOTVERIFIED;
    free(got);
    return rc;
  }
  slink_info info;
  memset(&info, 0, sizeof info);
  int rc = slink__os_h_readlink(dir, name, &info, &os_err);
  if (rc == 0) {
    int same = info.target && info.target_len == r->f.target_len &&
               memcmp(info.target, r->f.target, r->f.target_len) == 0;
    if (to == SLINK_TO_JUNCTION)
      rc = info.kind == *made ? 0 : SLINK_ENOTVERIFIED;
    else if (to == SLINK_TO_WSL)
      rc = info.kind == SLINK_KIND_WSL_SYMLINK && same ? 0
                                                       : SLINK_ENOTVERIFIED;
    /* ntfs-3g shows a Windows link's target translated into the mount:
     * its reparse tag is the proof there. */
    else
      rc = (info.kind == SLINK_KIND_SYMLINK ||
            info.kind == SLINK_KIND_DIR_SYMLINK) &&
                   (same || info.tag == SLINK_REPARSE_TAG_SYMLINK)
               ? 0
               : SLINK_ENOTVERIFIED;
    if (rc == 0 && to != SLINK_TO_JUNCTION)
      *made = info.kind;
  } else {
    rc = SLINK_ENOTVERIFIED;
  }
  slink_info_free(&info);
  return rc;
}

/* Nonzero when NAME in DIR is still the entry R describes. */
static int still(slink__h *dir, const char *name, const rec *r) {
  rec now;
  /* No Git here: the bytes and the identity are the whole question. */
  int rc = slink__fake_recognise(NULL, dir, name, &now);
  int same = rc == 0 && slink__same_file(&now.st, &r->st) &&
             now.st.kind == r->st.kind && now.nbytes == r->nbytes &&
             (!r->bytes || memcmp(now.bytes, r->bytes, r->nbytes) == 0);
  if (same && !r->bytes)
    same = now.f.target && now.f.target_len == r->f.target_len &&
           memcmp(now.f.target, r->f.target, r->f.target_len) == 0;
  slink__fake_rec_free(&now);
  return same;
}

/* Put TMP in place of LEAF if LEAF is still R. *OURS says whether TMP
 * still names the new link afterwards (to be removed on failure): when it
 * names anything else, nothing is removed and the temporary name stays,
 * for scan to report. */
static int swap_in(slink__h *dir, const char *tmp, const char *leaf,
                   const rec *r, int *ours, int *os_err) {
  *ours = 1;
  int rc = slink__os_h_rename(dir, tmp, dir, leaf, SLINK__RENAME_EXCHANGE,
                              os_err);
  if (rc == 0) {
    if (!still(dir, tmp, r)) {
      *ours = slink__os_h_rename(dir, tmp, dir, leaf, SLINK__RENAME_EXCHANGE,
                                 NULL) == 0;
      return SLINK_ECHANGED;
    }
    /* TMP is the old entry now; remove exactly it. */
    *ours = 0;
    return slink__os_h_unlink(dir, tmp, &r->st, 0, os_err);
  }
  if (rc != SLINK_ENOTSUP)
    return rc;
  if (!still(dir, leaf, r))
    return SLINK_ECHANGED;
  /* Windows replaces no read-only file (a Cygwin shortcut): the bit comes
   * off the very file checked, and back on if the rename fails. */
  uint32_t a = r->st.attrs, rw = a & ~SLINK__ATTR_READONLY;
  int ro = r->bytes && (a & SLINK__ATTR_READONLY);
  if (ro && (rc = slink__os_h_set_attrs(dir, leaf, &r->st,
                                        rw ? rw : SLINK__ATTR_NORMAL,
                                        os_err)) < 0)
    return rc;
  rc = slink__os_h_rename(dir, tmp, dir, leaf, 0, os_err);
  if (rc < 0 && ro)
    slink__os_h_set_attrs(dir, leaf, &r->st, a, NULL);
  return rc;
}

/* The target of a link that leads where the Windows path *T of a shortcut
 * leads: a drive's path through the backend (ntfs-3g's drive map on
 * POSIX), a relative one with "/" for "\\" (MS-SHLLINK 2.4: relative to
 * the shortcut's directory). A network share ("\\\\server\\share"), a
 * path from the current drive's root ("\\x") or a drive-relative one
 * ("C:x") names nothing a link here can. */
static int windows_target(slink__h *dir, char **t, size_t *len, int *os_err) {
  char *w = *t, *nt;
  int drive = ((w[0] | 0x20) >= 'a' && (w[0] | 0x20) <= 'z') && w[1] == ':';
  if (w[0] == '\\' || w[0] == '/' || (drive && w[2] != '\\') ||
      (!drive && strchr(w, ':')))
    return SLINK_EWINSHORTCUT;
  if (drive) {
    int rc = slink__os_h_winpath(dir, w, &nt, os_err);
    if (rc < 0)
      return rc;
  } else {
    if (!(nt = slink__strdup(w)))
      return SLINK_ENOMEM;
    for (char *c = nt; *c; c++)
      if (*c == '\\')
        *c = '/';
  }
  free(w);
  *t = nt;
  *len = strlen(nt);
  return 0;
}

static int is_convertible(const rec *r) {
  switch (r->f.form) {
  case SLINK_FORM_GIT:
  case SLINK_FORM_CYGWIN_SYS:
  case SLINK_FORM_CYGWIN_8BIT:
  case SLINK_FORM_INTERIX:
  case SLINK_FORM_LNK_CYGWIN:
  case SLINK_FORM_LNK_WINDOWS:
  case SLINK_FORM_WSL:
  case SLINK_FORM_SYMLINK:
    return 1;
  default:
    return 0;
  }
}

/* Whether the target names a directory (the Windows link's flag). */
static int target_is_dir(const rec *r) {
  char *p = r->f.target[0] == '/' ? slink__strdup(r->f.target)
                                  : slink__path_join(r->absdir, r->f.target);
  slink__stat st;
  int os_err;
  int d = p && slink__os_stat(p, &st, &os_err) == 0 &&
          st.kind == SLINK_KIND_DIR;
  free(p);
  return d;
}

static int convert_at(slink_fakes *s, slink__h *dir, const char *leaf,
                      slink_convert_to to, unsigned flags,
                      slink_converted *out) {
  rec r;
  int os_err = 0;
  int rc = slink__fake_recognise(s, dir, leaf, &r);
  if (rc < 0)
    return rc;
  out->from_kind = r.f.kind;
  out->from_form = r.f.form;
  if (r.f.problem || r.f.unknown_codepage) {
    rc = r.f.problem ? r.f.problem : SLINK_ECODEPAGE;
    goto done;
  }
  if (r.f.form == SLINK_FORM_LNK_WINDOWS && r.f.target &&
      (rc = windows_target(dir, &r.f.target, &r.f.target_len, &os_err)) < 0)
    goto done;
  if (!is_convertible(&r) || !r.f.target) {
    rc = SLINK_ENOTFAKE;
    goto done;
  }
  if (memchr(r.f.target, 0, r.f.target_len)) {
    rc = SLINK_EINVAL;
    goto done;
  }
  if (!(out->target = slink__strndup(r.f.target, r.f.target_len))) {
    rc = SLINK_ENOMEM;
    goto done;
  }
  out->target_len = r.f.target_len;
  out->to_kind = kind_of(to);
  out->to_form = form_of(to);
  if ((rc = slink__fake_absdir(s, dir, &r)) < 0)
    goto done;
  /* Git's word for the target, whatever form holds it now. */
  if (r.git.repo < 0 || !r.git.matches) {
    slink__git_entry_free(&r.git);
    r.git.repo = -1;
    if (slink__fakes_git(s) &&
        (rc = slink__git_find(slink__fakes_git(s), r.absdir, leaf,
                              r.f.target, r.f.target_len, &r.git)) < 0)
      goto done;
  }
  if (r.git.repo >= 0 && !(flags & SLINK_CONVERT_ALLOW_ESCAPES) &&
      escapes(r.absdir, r.f.target, r.git.workdir, &rc)) {
    rc = rc < 0 ? rc : SLINK_EESCAPES;
    goto done;
  }
  /* Windows and Cygwin read a shortcut by its name alone. */
  if (to == SLINK_TO_SHORTCUT && !slink__ends_lnk(leaf)) {
    rc = SLINK_ELNKNAME;
    goto done;
  }
  if (to == SLINK_TO_PLACEHOLDER && !(r.git.is_link && r.git.matches)) {
    rc = SLINK_ENOTINDEX;
    goto done;
  }
  if (out->to_form == r.f.form && to != SLINK_TO_JUNCTION) {
    out->to_kind = r.f.kind; /* already so: nothing to do */
    goto done;
  }
  if (flags & SLINK_CONVERT_DRY_RUN)
    goto done;

  int is_dir = (to == SLINK_TO_NATIVE || to == SLINK_TO_SYMLINK) &&
               target_is_dir(&r);
  slink__sigsave saved;
  slink__os_signals_hold(&saved);
  char tmp[SLINK__TEMP_LEN + 1];
  unsigned char *buf = NULL;
  size_t n = 0;
  slink_kind made = SLINK_KIND_NONE;
  slink__stat made_st;
  int ours = 1, attrs_shown = 0;
  rc = SLINK_EEXIST;
  for (int tries = 0; tries < 8 && rc == SLINK_EEXIST; tries++) {
    slink__temp_name(tmp);
    free(buf);
    buf = NULL;
    rc = make(s, dir, tmp, to, &r, is_dir, &buf, &n, &made, &os_err);
  }
  if (rc == 0) {
    SLINK__HOOK(SLINK__HP_BEFORE_VERIFY, dir, tmp);
    rc = verify(dir, tmp, to, &r, buf, n, &made, &made_st, &attrs_shown);
    if (rc == 0) {
      SLINK__HOOK(SLINK__HP_BEFORE_RENAME, dir, tmp);
      rc = swap_in(dir, tmp, leaf, &r, &ours, &os_err);
    }
    if (rc < 0 && ours)
      slink__os_h_unlink(dir, tmp, NULL, 0, NULL);
  }
  free(buf);
  slink__os_signals_release(&saved);
  if (rc < 0)
    goto done;
  /* A file form carries its one attribute alone, as Cygwin leaves it,
   * also where the rename into place added ARCHIVE (ntfs-3g). */
  if (attrs_of(to) && attrs_shown)
    rc = slink__os_h_set_attrs(dir, leaf, &made_st, attrs_of(to), &os_err);
  if (rc < 0)
    goto done;
  out->to_kind = made;
  /* Git's stat data for the new entry, so that `git status` and
   * `git diff-files` find it unchanged (the blob is the same). */
  if (r.git.repo >= 0 && r.git.is_link && r.git.matches &&
      (out->to_form == SLINK_FORM_SYMLINK || out->to_form == SLINK_FORM_GIT)) {
    slink__stat st;
    if (slink__os_h_lstat(dir, leaf, &st, &os_err) == 0)
      rc = slink__git_refresh(slink__fakes_git(s), &r.git, &st);
  }
done:
  out->os_error = os_err;
  slink__fake_rec_free(&r);
  return rc;
}

int slink_convert(slink_fakes *s, const char *path, slink_convert_to to,
                  unsigned flags, slink_converted *out) {
  slink__h *dir;
  char *leaf;
  memset(out, 0, sizeof *out);
  int rc = slink__fake_open_leaf(path, &dir, &leaf);
  if (rc < 0)
    return rc;
  SLINK__HOOK(SLINK__HP_PARENT_OPEN, dir, leaf);
  rc = convert_at(s, dir, leaf, to, flags, out);
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}
