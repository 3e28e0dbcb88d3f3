/* fake.c - recognising the files other systems keep in place of links,
 * and replacing one by a link of another kind (slink convert). Every step
 * is relative to the handle of the entry's directory: the entry is read,
 * the new link made beside it under a temporary name and read back, and
 * the two exchanged atomically; what was exchanged out is checked to be
 * the very file that was read (same file, same bytes) before it is
 * removed, and exchanged back when it is not. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/hook.h"
#include "lib/hpath.h"
#include "lib/internal.h"

typedef slink__fake_rec rec;

struct slink_fakes {
  slink__git *git;
  /* The canonical path of the directory asked last: a tree's entries come
   * directory by directory, and realpath costs a call per component. */
  slink__stat last_dir;
  char *last_path;
  /* The Windows name of the directory asked last (slink__fakes_windir). */
  char *win_of, *win_name;
};

int slink_fakes_new(slink_fakes **out) {
  slink_fakes *s = calloc(1, sizeof *s);
  if (!s)
    return SLINK_ENOMEM;
  int rc = slink__git_new(&s->git);
  if (rc < 0) {
    free(s);
    return rc;
  }
  *out = s;
  return 0;
}

int slink_fakes_end(slink_fakes *s) {
  if (!s)
    return 0;
  int rc = slink__git_end(s->git);
  free(s->last_path);
  free(s->win_of);
  free(s->win_name);
  free(s);
  return rc;
}

const char *slink_fake_form_name(slink_fake_form form) {
  switch (form) {
  case SLINK_FORM_NONE: return "none";
  case SLINK_FORM_GIT: return "git-placeholder";
  case SLINK_FORM_CYGWIN_SYS: return "cygwin-sys";
  case SLINK_FORM_CYGWIN_8BIT: return "cygwin-8bit";
  case SLINK_FORM_INTERIX: return "interix";
  case SLINK_FORM_LNK_CYGWIN: return "lnk-cygwin";
  case SLINK_FORM_LNK_WINDOWS: return "lnk-windows";
  case SLINK_FORM_WSL: return "wsl";
  case SLINK_FORM_SYMLINK: return "symlink";
  }
  return "none";
}

void slink_fake_free(slink_fake *f) {
  if (!f)
    return;
  free(f->target);
  free(f->repo);
  memset(f, 0, sizeof *f);
}

void slink_converted_free(slink_converted *c) {
  if (!c)
    return;
  free(c->target);
  memset(c, 0, sizeof *c);
}

void slink__fake_rec_free(rec *r) {
  slink_fake_free(&r->f);
  free(r->bytes);
  free(r->absdir);
  slink__git_entry_free(&r->git);
  memset(r, 0, sizeof *r);
}

slink__git *slink__fakes_git(slink_fakes *s) { return s ? s->git : NULL; }

int slink__ends_lnk(const char *name) {
  size_t n = strlen(name);
  if (n < 4)
    return 0;
  const char *e = name + n - 4;
  return e[0] == '.' && (e[1] | 0x20) == 'l' && (e[2] | 0x20) == 'n' &&
         (e[3] | 0x20) == 'k';
}

int slink__fake_absdir(slink_fakes *s, slink__h *dir, rec *r) {
  int os_err;
  slink__stat st;
  if (r->absdir)
    return 0;
  int known = s && s->last_path &&
              slink__os_h_lstat(dir, NULL, &st, &os_err) == 0 &&
              slink__same_file(&st, &s->last_dir);
  if (known)
    return (r->absdir = slink__strdup(s->last_path)) ? 0 : SLINK_ENOMEM;
  int rc = slink__os_h_realpath(dir, &r->absdir, &os_err);
  if (rc == 0 && s && slink__os_h_lstat(dir, NULL, &st, &os_err) == 0) {
    char *p = slink__strdup(r->absdir);
    if (p) {
      free(s->last_path);
      s->last_path = p;
      s->last_dir = st;
    }
  }
  return rc;
}

/* The canonical directory ABS as Windows names it, in *OUT (NULL when no
 * drive maps to it): on an ntfs-3g volume whose .NTFS-3G/X: entry says
 * where drive X: is, what Cygwin on Windows would record there. */
static int windows_dir(slink__h *dir, const char *abs, char **out) {
  static const char letters[] = "CDEFGHIJKLMNOPQRSTUVWXYZAB";
  *out = NULL;
  if (abs[0] && abs[1] == ':')
    return 0; /* a Windows path already */
  for (const char *c = letters; *c; c++) {
    char drive[4] = {*c, ':', '\\', 0}, *root;
    int rc = slink__os_h_winpath(dir, drive, &root, NULL);
    if (rc == SLINK_ENOMEM)
      return rc;
    if (rc < 0)
      continue;
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
      rl--;
    int under = strncmp(abs, root, rl) == 0 &&
                (abs[rl] == '/' || abs[rl] == 0 || rl == 1);
    free(root);
    if (!under)
      continue;
    const char *rest = abs + (rl == 1 ? 1 : rl);
    while (*rest == '/')
      rest++;
    size_t n = strlen(rest);
    if (!(*out = malloc(3 + n + 1)))
      return SLINK_ENOMEM;
    memcpy(*out, drive, 3);
    for (size_t i = 0; i <= n; i++)
      (*out)[3 + i] = rest[i] == '/' ? '\\' : rest[i];
    return 0;
  }
  return 0;
}

int slink__fakes_windir(slink_fakes *s, slink__h *dir, const char *abs,
                        char **out) {
  if (s && s->win_of && strcmp(s->win_of, abs) == 0) {
    *out = s->win_name ? slink__strdup(s->win_name) : NULL;
    return s->win_name && !*out ? SLINK_ENOMEM : 0;
  }
  int rc = windows_dir(dir, abs, out);
  if (rc == 0 && s) {
    char *of = slink__strdup(abs), *name = *out ? slink__strdup(*out) : NULL;
    if (of && (name || !*out)) {
      free(s->win_of);
      free(s->win_name);
      s->win_of = of;
      s->win_name = name;
    } else {
      free(of);
      free(name);
    }
  }
  return rc;
}

/* Ask Git about NAME holding the LEN bytes at BYTES. */
static int ask_git(slink_fakes *s, slink__h *dir, const char *name,
                   const void *bytes, size_t len, rec *r) {
  if (!s || !s->git)
    return 0;
  int rc = slink__fake_absdir(s, dir, r);
  if (rc < 0)
    return rc;
  slink__git_entry_free(&r->git);
  rc = slink__git_find(s->git, r->absdir, name, bytes, len, &r->git);
  /* Git's index says no placeholder can be trusted here: said, not
   * failed, so that show and scan go on. */
  if (rc == SLINK_EGITSPARSE || rc == SLINK_EGITINDEX) {
    r->f.problem = rc;
    r->f.form = SLINK_FORM_GIT;
    r->git.is_link = r->git.matches = 0;
    return 0;
  }
  return rc;
}

static int set_target(rec *r, const void *t, size_t n) {
  free(r->f.target);
  if (!(r->f.target = slink__strndup(t, n)))
    return SLINK_ENOMEM;
  r->f.target_len = n;
  return 0;
}

static int read_file(slink_fakes *s, slink__h *dir, const char *name,
                     rec *r) {
  int has_attrs, os_err;
  r->f.kind = SLINK_KIND_FILE;
  int rc = slink__os_h_read_small(dir, name, SLINK__FAKE_FILE_MAX, &r->bytes,
                                  &r->nbytes, &r->st, &has_attrs, &os_err);
  if (rc == SLINK_ETOOBIG || rc == SLINK_EINVAL)
    return 0; /* too big to be one; or no longer a file */
  if (rc < 0)
    return rc;
  /* Git first: only its index can say, and then it says exactly. */
  if (r->nbytes > 0 && r->nbytes <= SLINK__FAKE_TARGET_MAX) {
    if ((rc = ask_git(s, dir, name, r->bytes, r->nbytes, r)) < 0 ||
        r->f.problem)
      return rc;
    if (r->git.is_link) {
      if (!r->git.matches) {
        r->f.problem = SLINK_EFAKE_EDITED;
        r->f.form = SLINK_FORM_GIT;
        return 0;
      }
      r->f.kind = SLINK_KIND_GIT_PLACEHOLDER;
      r->f.form = SLINK_FORM_GIT;
      return set_target(r, r->bytes, r->nbytes);
    }
  }
  char *t = NULL;
  size_t tn = 0;
  slink_fake_form form = SLINK_FORM_NONE;
  slink_kind kind = SLINK_KIND_CYGWIN_SYMLINK;
  uint32_t a = r->st.attrs;
  rc = slink__cygwin_decode(r->bytes, r->nbytes, &form, &t, &tn);
  /* Where attributes are shown, Cygwin reads only SYSTEM files. */
  if (rc != 0 && has_attrs &&
      (a & (SLINK__ATTR_SYSTEM | SLINK__ATTR_DIRECTORY)) != SLINK__ATTR_SYSTEM)
    rc = 0;
  if (rc == 0 && slink__ends_lnk(name)) {
    kind = SLINK_KIND_SHORTCUT;
    rc = slink__lnk_decode(r->bytes, r->nbytes, &form, &t, &tn);
    /* Cygwin takes its shortcuts only when read-only. */
    if (rc != 0 && form == SLINK_FORM_LNK_CYGWIN && has_attrs &&
        !(a & SLINK__ATTR_READONLY))
      rc = 0;
    /* What does not parse as MS-SHLLINK is no shortcut at all. */
    if (rc < 0 && rc != SLINK_ENOTPATH && rc != SLINK_EBADUTF16 &&
        rc != SLINK_ENOMEM)
      rc = 0;
  }
  if (rc == SLINK_ENOMEM) {
    free(t);
    return rc;
  }
  if (rc < 0) {
    r->f.problem = rc;
    r->f.form = form;
    if (rc == SLINK_ENOTPATH)
      r->f.object = slink__lnk_object(r->bytes, r->nbytes);
    return 0;
  }
  if (rc == 0) {
    free(t);
    return 0;
  }
  r->f.kind = kind;
  r->f.form = form;
  r->f.target = t;
  r->f.target_len = tn;
  r->f.unknown_codepage = rc == 2;
  return 0;
}

static int read_link(slink_fakes *s, slink__h *dir, const char *name,
                     rec *r) {
  slink_info info;
  int os_err;
  memset(&info, 0, sizeof info);
  int rc = slink__os_h_readlink(dir, name, &info, &os_err);
  if (rc < 0) {
    slink_info_free(&info);
    return rc;
  }
  r->f.kind = info.kind;
  if (info.kind == SLINK_KIND_WSL_SYMLINK) {
    r->f.form = SLINK_FORM_WSL;
  } else if (info.kind == SLINK_KIND_SYMLINK ||
             info.kind == SLINK_KIND_DIR_SYMLINK) {
    uint32_t a;
    r->f.form = SLINK_FORM_SYMLINK;
    /* ntfs-3g shows an Interix file as a symbolic link; no reparse tag
     * and the SYSTEM attribute tell it from a real one. */
    if (info.tag == 0 && slink__os_h_attrs(dir, name, &a, &os_err) == 0 &&
        (a & SLINK__ATTR_SYSTEM) && !(a & SLINK__ATTR_DIRECTORY)) {
      r->f.kind = SLINK_KIND_CYGWIN_SYMLINK;
      r->f.form = SLINK_FORM_INTERIX;
    }
  }
  if (r->f.form != SLINK_FORM_NONE && info.target) {
    rc = set_target(r, info.target, info.target_len);
    if (rc == 0 && r->f.form == SLINK_FORM_SYMLINK)
      rc = ask_git(s, dir, name, info.target, info.target_len, r);
  }
  slink_info_free(&info);
  return rc;
}

int slink__fake_recognise(slink_fakes *s, slink__h *dir, const char *name,
                     rec *r) {
  int os_err;
  memset(r, 0, sizeof *r);
  r->git.repo = -1;
  int rc = slink__os_h_lstat(dir, name, &r->st, &os_err);
  if (rc < 0)
    return rc;
  r->f.kind = r->st.kind;
  if (r->st.kind == SLINK_KIND_FILE)
    rc = read_file(s, dir, name, r);
  else if (slink_kind_is_link(r->st.kind))
    rc = read_link(s, dir, name, r);
  if (rc == 0 && r->git.repo >= 0 && r->git.workdir) {
    size_t wl = strlen(r->git.workdir);
    r->f.repo = slink__strndup(r->git.workdir, wl > 1 ? wl - 1 : wl);
    if (!r->f.repo)
      rc = SLINK_ENOMEM;
  }
  return rc;
}

int slink__fake_open_leaf(const char *path, slink__h **dir, char **leaf) {
  int os_err;
  int rc = slink__h_parent(path, dir, leaf, &os_err);
  if (rc < 0)
    return rc;
  if (!**leaf || strcmp(*leaf, ".") == 0 || strcmp(*leaf, "..") == 0) {
    rc = **leaf ? SLINK_EISDOT : SLINK_EISDIR;
    slink__os_h_close(*dir);
    free(*leaf);
    return rc;
  }
  return 0;
}

int slink_fake_read(slink_fakes *s, const char *path, slink_fake *out) {
  slink__h *dir;
  char *leaf;
  memset(out, 0, sizeof *out);
  int rc = slink__fake_open_leaf(path, &dir, &leaf);
  if (rc < 0)
    return rc;
  rec r;
  rc = slink__fake_recognise(s, dir, leaf, &r);
  if (rc == 0) {
    *out = r.f;
    memset(&r.f, 0, sizeof r.f);
  }
  slink__fake_rec_free(&r);
  slink__os_h_close(dir);
  free(leaf);
  return rc;
}

int slink__dirmap_get(slink__dirmap *m, const char *dir, int *repo) {
  if (m->n && strcmp(m->v[m->last].dir, dir) == 0) {
    *repo = m->v[m->last].repo;
    return 1;
  }
  for (size_t i = m->n; i-- > 0;)
    if (strcmp(m->v[i].dir, dir) == 0) {
      m->last = i;
      *repo = m->v[i].repo;
      return 1;
    }
  return 0;
}

int slink__dirmap_put(slink__dirmap *m, const char *dir, int repo) {
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    struct slink__dirslot *v = realloc(m->v, cap * sizeof *v);
    if (!v)
      return SLINK_ENOMEM;
    m->v = v;
    m->cap = cap;
  }
  if (!(m->v[m->n].dir = slink__strdup(dir)))
    return SLINK_ENOMEM;
  m->v[m->n].repo = repo;
  m->last = m->n++;
  return 0;
}

void slink__dirmap_free(slink__dirmap *m) {
  for (size_t i = 0; i < m->n; i++)
    free(m->v[i].dir);
  free(m->v);
  memset(m, 0, sizeof *m);
}

int slink__git_relpath(const char *workdir, const char *absdir,
                       const char *name, char **rel) {
  size_t wl = strlen(workdir), dl = strlen(absdir);
  *rel = NULL;
  /* DIR/ must begin with the work tree ("/top/" for "/top"). */
  if (dl + 1 < wl || memcmp(absdir, workdir, wl - 1) != 0 ||
      (absdir[wl - 1] != '/' && absdir[wl - 1] != '\0'))
    return 0;
  const char *sub = absdir + wl - 1;
  while (*sub == '/')
    sub++;
  size_t sl = strlen(sub), nl = strlen(name);
  char *r = malloc(sl + 1 + nl + 1);
  if (!r)
    return SLINK_ENOMEM;
  if (sl) {
    memcpy(r, sub, sl);
    r[sl] = '/';
    memcpy(r + sl + 1, name, nl + 1);
  } else {
    memcpy(r, name, nl + 1);
  }
  *rel = r;
  return 1;
}

int slink__git_workdir(const char *top, char **out) {
  int os_err;
  char *wd;
  int rc = slink__os_realpath(top, &wd, &os_err);
  if (rc < 0)
    return rc;
  size_t wl = strlen(wd);
  char *t = realloc(wd, wl + 2);
  if (!t) {
    free(wd);
    return SLINK_ENOMEM;
  }
  if (wl == 0 || t[wl - 1] != '/')
    strcpy(t + wl, "/");
  *out = t;
  return 0;
}

int slink__git_find(slink__git *g, const char *absdir, const char *name,
                    const void *bytes, size_t len, slink__git_entry *e) {
  memset(e, 0, sizeof *e);
  e->repo = -1;
  if (!g)
    return 0;
  int ri;
  const char *wd;
  int rc = slink__git_repo(g, absdir, &ri, &wd);
  if (rc < 0 || ri < 0)
    return rc;
  char *rel;
  if ((rc = slink__git_relpath(wd, absdir, name, &rel)) <= 0)
    return rc;
  e->repo = ri;
  e->rel = rel;
  e->workdir = wd;
  return slink__git_blob(g, ri, rel, bytes, len, &e->is_link, &e->matches);
}

void slink__git_entry_free(slink__git_entry *e) {
  free(e->rel);
  e->rel = NULL;
}
