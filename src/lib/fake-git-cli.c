/* fake-git-cli.c - Git's index where the build has no libgit2: Git's own
 * plumbing run as a subprocess (git rev-parse --show-toplevel, ls-files -s
 * for the symbolic links, hash-object for a file's blob, update-index
 * --refresh at the end), with the contract of fake-git.c. One ls-files per
 * work tree; one hash-object per file Git keeps as a link. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

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

struct slink__git {
  repo *repos;
  size_t nrepos;
  slink__dirmap dirs;
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
  slink__dirmap_free(&g->dirs);
  free(g->repos);
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

int slink__git_repo(slink__git *g, const char *dir, int *out,
                    const char **workdir) {
  *workdir = NULL;
  if (slink__dirmap_get(&g->dirs, dir, out)) {
    *workdir = *out >= 0 ? g->repos[*out].workdir : NULL;
    return 0;
  }
  int found = -1;
  char *argv[] = {"git", "-C", (char *)dir, "rev-parse", "--show-toplevel",
                  NULL};
  char *top = NULL, *wd = NULL;
  size_t tl;
  if (git(argv, NULL, 0, &top, &tl) == 0 && tl > 1 && top[tl - 1] == '\n') {
    top[tl - 1] = 0;
    if (slink__git_workdir(top, &wd) < 0)
      wd = NULL;
  }
  free(top);
  for (size_t i = 0; wd && i < g->nrepos; i++)
    if (strcmp(g->repos[i].workdir, wd) == 0)
      found = (int)i;
  repo *nr = wd && found < 0
                 ? realloc(g->repos, (g->nrepos + 1) * sizeof *nr)
                 : NULL;
  if (nr) {
    g->repos = nr;
    repo *r = &nr[g->nrepos];
    *r = (repo){wd, strlen(wd), NULL, NULL, 0, 0};
    wd = NULL;
    if (load(r) == 0) {
      found = (int)g->nrepos++;
    } else {
      free(r->workdir);
      free(r->listing);
      free(r->links);
    }
  }
  free(wd);
  *out = found;
  *workdir = found >= 0 ? g->repos[found].workdir : NULL;
  return slink__dirmap_put(&g->dirs, dir, found);
}

int slink__git_blob(slink__git *g, int ri, const char *rel,
                    const void *bytes, size_t len, int *is_link,
                    int *matches) {
  repo *r = &g->repos[ri];
  int rc;
  link_entry key = {rel, ""};
  link_entry *le = r->nlinks ? bsearch(&key, r->links, r->nlinks,
                                       sizeof *r->links, by_path)
                             : NULL;
  if (!le)
    return 0;
  *is_link = 1;
  /* The blob's name of these bytes, as git computes it. */
  char *argv[] = {"git", "hash-object", "--stdin", NULL};
  char *oid;
  size_t ol;
  if ((rc = git(argv, bytes, len, &oid, &ol)) < 0)
    return rc;
  *matches = ol >= 40 && memcmp(oid, le->oid, 40) == 0;
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
