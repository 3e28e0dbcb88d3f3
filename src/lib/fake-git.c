/* fake-git.c - Git's index, read and refreshed with libgit2: which files
 * of a work tree Git keeps as symbolic links (mode 120000) and the blob it
 * recorded for each, so that a placeholder is recognised only when its
 * bytes are exactly that blob. Each repository of a run is opened and its
 * index read once; the indexes changed are written once, at the end.
 * Submodules and linked worktrees are repositories of their own: the
 * directory of each entry is asked which one holds it. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

#ifdef SLINK_HAVE_LIBGIT2
#include <git2.h>

typedef struct repo {
  git_repository *repo;
  git_index *index;
  char *workdir;        /* canonical, ending in "/" */
  size_t wlen;
  int dirty;
} repo;

typedef struct dir_slot {
  char *dir;
  int repo;             /* -1: in no work tree */
} dir_slot;

struct slink__git {
  repo *repos;
  size_t nrepos;
  dir_slot *dirs;
  size_t ndirs, capdirs;
  size_t last;          /* the slot asked last: entries come dir by dir */
};

int slink__git_new(slink__git **out) {
  if (git_libgit2_init() < 0)
    return SLINK_ENOMEM;
  if (!(*out = calloc(1, sizeof **out))) {
    git_libgit2_shutdown();
    return SLINK_ENOMEM;
  }
  return 0;
}

int slink__git_end(slink__git *g) {
  if (!g)
    return 0;
  int rc = 0;
  for (size_t i = 0; i < g->nrepos; i++) {
    repo *r = &g->repos[i];
    if (r->dirty && git_index_write(r->index) < 0 && rc == 0)
      rc = SLINK_EIO;
    git_index_free(r->index);
    git_repository_free(r->repo);
    free(r->workdir);
  }
  for (size_t i = 0; i < g->ndirs; i++)
    free(g->dirs[i].dir);
  free(g->repos);
  free(g->dirs);
  free(g);
  git_libgit2_shutdown();
  return rc;
}

/* The repository whose work tree holds the canonical directory DIR. */
static int repo_of(slink__git *g, const char *dir, int *out) {
  if (g->ndirs && strcmp(g->dirs[g->last].dir, dir) == 0) {
    *out = g->dirs[g->last].repo;
    return 0;
  }
  for (size_t i = 0; i < g->ndirs; i++)
    if (strcmp(g->dirs[i].dir, dir) == 0) {
      g->last = i;
      *out = g->dirs[i].repo;
      return 0;
    }
  int found = -1;
  git_repository *r = NULL;
  if (git_repository_open_ext(&r, dir, 0, NULL) == 0 &&
      git_repository_workdir(r)) {
    char *wd = NULL;
    int os_err;
    const char *w = git_repository_workdir(r);
    if (slink__os_realpath(w, &wd, &os_err) == 0) {
      size_t wl = strlen(wd);
      char *t = realloc(wd, wl + 2);
      if (t) {
        wd = t;
        if (wl == 0 || wd[wl - 1] != '/')
          strcpy(wd + wl++, "/");
      } else {
        free(wd);
        wd = NULL;
      }
    }
    for (size_t i = 0; wd && i < g->nrepos; i++)
      if (strcmp(g->repos[i].workdir, wd) == 0)
        found = (int)i;
    if (wd && found < 0) {
      repo *nr = realloc(g->repos, (g->nrepos + 1) * sizeof *nr);
      git_index *idx = NULL;
      if (nr && git_repository_index(&idx, r) == 0) {
        g->repos = nr;
        nr[g->nrepos] = (repo){r, idx, wd, strlen(wd), 0};
        found = (int)g->nrepos++;
        r = NULL;
        wd = NULL;
      } else if (nr) {
        g->repos = nr;
      }
    }
    free(wd);
  }
  git_repository_free(r);
  if (g->ndirs == g->capdirs) {
    size_t cap = g->capdirs ? 2 * g->capdirs : 16;
    dir_slot *d = realloc(g->dirs, cap * sizeof *d);
    if (!d)
      return SLINK_ENOMEM;
    g->dirs = d;
    g->capdirs = cap;
  }
  if (!(g->dirs[g->ndirs].dir = slink__strdup(dir)))
    return SLINK_ENOMEM;
  g->dirs[g->ndirs].repo = found;
  g->last = g->ndirs++;
  *out = found;
  return 0;
}

int slink__git_find(slink__git *g, const char *absdir, const char *name,
                    const void *bytes, size_t len, slink__git_entry *e) {
  memset(e, 0, sizeof *e);
  e->repo = -1;
  if (!g)
    return 0;
  int ri;
  int rc = repo_of(g, absdir, &ri);
  if (rc < 0 || ri < 0)
    return rc;
  repo *r = &g->repos[ri];
  size_t dl = strlen(absdir);
  /* DIR/ must begin with the work tree ("/top/" for "/top"). */
  if (dl + 1 < r->wlen || memcmp(absdir, r->workdir, r->wlen - 1) != 0 ||
      (absdir[r->wlen - 1] != '/' && absdir[r->wlen - 1] != '\0'))
    return 0;
  const char *sub = absdir + r->wlen - 1;
  while (*sub == '/')
    sub++;
  size_t sl = strlen(sub), nl = strlen(name);
  char *rel = malloc(sl + 1 + nl + 1);
  if (!rel)
    return SLINK_ENOMEM;
  if (sl) {
    memcpy(rel, sub, sl);
    rel[sl] = '/';
    memcpy(rel + sl + 1, name, nl + 1);
  } else {
    memcpy(rel, name, nl + 1);
  }
  e->repo = ri;
  e->rel = rel;
  e->workdir = r->workdir;
  const git_index_entry *ie = git_index_get_bypath(r->index, rel, 0);
  if (!ie || ie->mode != GIT_FILEMODE_LINK)
    return 0;
  e->is_link = 1;
  git_oid oid;
  if (git_odb_hash(&oid, bytes, len, GIT_OBJECT_BLOB) < 0)
    return SLINK_ENOMEM;
  e->matches = git_oid_equal(&oid, &ie->id);
  return 0;
}

int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st) {
  if (!g || e->repo < 0)
    return 0;
  repo *r = &g->repos[e->repo];
  const git_index_entry *ie = git_index_get_bypath(r->index, e->rel, 0);
  if (!ie)
    return 0;
  git_index_entry ne = *ie;
  /* Git keeps these truncated to 32 bits, as stat(2) gave them. */
  ne.ctime.seconds = (int32_t)st->ctime;
  ne.ctime.nanoseconds = (uint32_t)st->ctime_ns;
  ne.mtime.seconds = (int32_t)st->mtime;
  ne.mtime.nanoseconds = (uint32_t)st->mtime_ns;
  ne.dev = (uint32_t)st->dev;
  ne.ino = (uint32_t)st->ino;
  ne.uid = st->uid;
  ne.gid = st->gid;
  ne.file_size = (uint32_t)st->size;
  if (git_index_add(r->index, &ne) < 0)
    return SLINK_EIO;
  r->dirty = 1;
  return 0;
}

#else /* no libgit2 in this build: Git's own plumbing, as a subprocess */

/* One work tree: its symbolic links as `git ls-files -s -z` lists them,
 * sorted by path for lookups. */
typedef struct link_entry {
  const char *path;
  char oid[41];
} link_entry;

typedef struct repo {
  char *workdir;        /* canonical, ending in "/" */
  size_t wlen;
  char *listing;        /* the ls-files output the paths point into */
  link_entry *links;
  size_t nlinks;
  int dirty;
} repo;

typedef struct dir_slot {
  char *dir;
  int repo;
} dir_slot;

struct slink__git {
  repo *repos;
  size_t nrepos;
  dir_slot *dirs;
  size_t ndirs, capdirs;
};

int slink__git_new(slink__git **out) {
  *out = calloc(1, sizeof **out);
  return *out ? 0 : SLINK_ENOMEM;
}

static int git(char **argv, const void *in, size_t n, char **out,
               size_t *len) {
  int status;
  int rc = slink__os_run(argv, in, n, out, len, &status);
  if (rc == 0 && status != 0) {
    free(*out);
    *out = NULL;
    return SLINK_ENOENT;
  }
  return rc;
}

int slink__git_end(slink__git *g) {
  if (!g)
    return 0;
  int rc = 0;
  for (size_t i = 0; i < g->nrepos; i++) {
    repo *r = &g->repos[i];
    if (r->dirty) {
      /* git's own refresh: stat data of entries whose content is
       * unchanged (the links converted among them). */
      char *argv[] = {"git", "-C", r->workdir, "update-index", "-q",
                      "--refresh", NULL};
      char *o;
      size_t ol;
      int status;
      if (slink__os_run(argv, NULL, 0, &o, &ol, &status) < 0 && rc == 0)
        rc = SLINK_EIO;
      free(o);
    }
    free(r->workdir);
    free(r->listing);
    free(r->links);
  }
  for (size_t i = 0; i < g->ndirs; i++)
    free(g->dirs[i].dir);
  free(g->repos);
  free(g->dirs);
  free(g);
  return rc;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const link_entry *)a)->path, ((const link_entry *)b)->path);
}

/* "120000 OID STAGE\tPATH\0" records: keep the symbolic links. */
static int load(repo *r) {
  char *argv[] = {"git", "-C", r->workdir, "ls-files", "-s", "-z", NULL};
  size_t len;
  int rc = git(argv, NULL, 0, &r->listing, &len);
  if (rc < 0)
    return rc;
  size_t cap = 0;
  for (char *p = r->listing; p < r->listing + len; p += strlen(p) + 1) {
    char *tab = strchr(p, '\t');
    if (!tab || strncmp(p, "120000 ", 7) != 0 || tab - p < 7 + 40)
      continue;
    if (r->nlinks == cap) {
      cap = cap ? 2 * cap : 64;
      link_entry *nl = realloc(r->links, cap * sizeof *nl);
      if (!nl)
        return SLINK_ENOMEM;
      r->links = nl;
    }
    link_entry *e = &r->links[r->nlinks++];
    memcpy(e->oid, p + 7, 40);
    e->oid[40] = 0;
    e->path = tab + 1;
  }
  if (r->nlinks)
    qsort(r->links, r->nlinks, sizeof *r->links, by_path);
  return 0;
}

static int repo_of(slink__git *g, const char *dir, int *out) {
  for (size_t i = g->ndirs; i-- > 0;)
    if (strcmp(g->dirs[i].dir, dir) == 0) {
      *out = g->dirs[i].repo;
      return 0;
    }
  int found = -1;
  char *argv[] = {"git", "-C", (char *)dir, "rev-parse", "--show-toplevel",
                  NULL};
  char *top = NULL, *wd = NULL;
  size_t tl;
  int os_err;
  if (git(argv, NULL, 0, &top, &tl) == 0 && tl > 1 && top[tl - 1] == '\n') {
    top[tl - 1] = 0;
    if (slink__os_realpath(top, &wd, &os_err) == 0) {
      size_t wl = strlen(wd);
      char *t = realloc(wd, wl + 2);
      if (t) {
        wd = t;
        if (wd[wl - 1] != '/')
          strcpy(wd + wl, "/");
      }
    }
  }
  free(top);
  for (size_t i = 0; wd && i < g->nrepos; i++)
    if (strcmp(g->repos[i].workdir, wd) == 0)
      found = (int)i;
  if (wd && found < 0) {
    repo *nr = realloc(g->repos, (g->nrepos + 1) * sizeof *nr);
    if (nr) {
      g->repos = nr;
      nr[g->nrepos] = (repo){wd, strlen(wd), NULL, NULL, 0, 0};
      wd = NULL;
      if (load(&nr[g->nrepos]) == 0) {
        found = (int)g->nrepos++;
      } else {
        free(nr[g->nrepos].workdir);
        free(nr[g->nrepos].listing);
        free(nr[g->nrepos].links);
      }
    }
  }
  free(wd);
  if (g->ndirs == g->capdirs) {
    size_t cap = g->capdirs ? 2 * g->capdirs : 16;
    dir_slot *d = realloc(g->dirs, cap * sizeof *d);
    if (!d)
      return SLINK_ENOMEM;
    g->dirs = d;
    g->capdirs = cap;
  }
  if (!(g->dirs[g->ndirs].dir = slink__strdup(dir)))
    return SLINK_ENOMEM;
  g->dirs[g->ndirs++].repo = found;
  *out = found;
  return 0;
}

int slink__git_find(slink__git *g, const char *absdir, const char *name,
                    const void *bytes, size_t len, slink__git_entry *e) {
  memset(e, 0, sizeof *e);
  e->repo = -1;
  if (!g)
    return 0;
  int ri;
  int rc = repo_of(g, absdir, &ri);
  if (rc < 0 || ri < 0)
    return rc;
  repo *r = &g->repos[ri];
  size_t dl = strlen(absdir);
  if (dl + 1 < r->wlen || memcmp(absdir, r->workdir, r->wlen - 1) != 0 ||
      (absdir[r->wlen - 1] != '/' && absdir[r->wlen - 1] != '\0'))
    return 0;
  const char *sub = absdir + r->wlen - 1;
  while (*sub == '/')
    sub++;
  size_t sl = strlen(sub), nl = strlen(name);
  char *rel = malloc(sl + 1 + nl + 1);
  if (!rel)
    return SLINK_ENOMEM;
  if (sl) {
    memcpy(rel, sub, sl);
    rel[sl] = '/';
    memcpy(rel + sl + 1, name, nl + 1);
  } else {
    memcpy(rel, name, nl + 1);
  }
  e->repo = ri;
  e->rel = rel;
  e->workdir = r->workdir;
  link_entry key = {rel, ""};
  link_entry *le = r->nlinks ? bsearch(&key, r->links, r->nlinks,
                                       sizeof *r->links, by_path)
                             : NULL;
  if (!le)
    return 0;
  e->is_link = 1;
  /* The blob's name of these bytes, as git computes it. */
  char *argv[] = {"git", "hash-object", "--stdin", NULL};
  char *oid;
  size_t ol;
  if ((rc = git(argv, bytes, len, &oid, &ol)) < 0)
    return rc;
  e->matches = ol >= 40 && memcmp(oid, le->oid, 40) == 0;
  free(oid);
  return 0;
}

int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st) {
  (void)st;
  if (g && e->repo >= 0)
    g->repos[e->repo].dirty = 1;
  return 0;
}
#endif

void slink__git_entry_free(slink__git_entry *e) {
  free(e->rel);
  e->rel = NULL;
}
