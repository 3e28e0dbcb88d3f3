/* fake-git.c - the Git repositories of one run: each work tree met is
 * opened and its index read once, the indexes changed written once, at
 * the end. Submodules and linked worktrees are repositories of their own:
 * the directory of each entry is asked which one holds it. An index is
 * read with libgit2 (fake-git2.c) where it can be loaded and can read it,
 * otherwise by git itself (fake-git-cli.c): a build without libgit2, a
 * system where the library is not installed, a split or sparse index. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

typedef struct repo {
  slink__git2 *lib;     /* NULL: read by git (CLI) */
  slink__gitcli *cli;
  char *workdir;        /* canonical, ending in "/" */
  int dirty;
} repo;

struct slink__git {
  repo *repos;
  size_t nrepos;
  slink__dirmap dirs;
  int have_lib;         /* libgit2 loaded and initialised */
};

int slink__git_new(slink__git **out) {
  if (!(*out = calloc(1, sizeof **out)))
    return SLINK_ENOMEM;
  (*out)->have_lib = slink__git2_init() == 0;
  return 0;
}

int slink__git_end(slink__git *g) {
  if (!g)
    return 0;
  int rc = 0;
  for (size_t i = 0; i < g->nrepos; i++) {
    repo *r = &g->repos[i];
    int rl = slink__git2_close(r->lib, r->dirty);
    int rcli = slink__gitcli_end(r->cli, r->dirty);
    if (rc == 0)
      rc = rl < 0 ? rl : rcli;
    free(r->workdir);
  }
  slink__dirmap_free(&g->dirs);
  free(g->repos);
  if (g->have_lib)
    slink__git2_shutdown();
  free(g);
  return rc;
}

/* The top of the work tree holding DIR (*WD NULL: none), with libgit2's
 * handle on it when libgit2 reads its index (*LIB). */
static int find_top(slink__git *g, const char *dir, slink__git2 **lib,
                    char **wd) {
  *lib = NULL;
  if (g->have_lib)
    return slink__git2_open(dir, lib, wd);
  return slink__gitcli_top(dir, wd);
}

int slink__git_repo(slink__git *g, const char *dir, int *out,
                    const char **workdir) {
  *workdir = NULL;
  if (slink__dirmap_get(&g->dirs, dir, out)) {
    *workdir = *out >= 0 ? g->repos[*out].workdir : NULL;
    return 0;
  }
  int found = -1;
  slink__git2 *lib;
  char *wd;
  int rc = find_top(g, dir, &lib, &wd);
  for (size_t i = 0; rc == 0 && wd && i < g->nrepos; i++)
    if (strcmp(g->repos[i].workdir, wd) == 0)
      found = (int)i;
  if (rc == 0 && wd && found < 0) {
    repo *nr = realloc(g->repos, (g->nrepos + 1) * sizeof *nr);
    slink__gitcli *cli = NULL;
    if (!nr)
      rc = SLINK_ENOMEM;
    else if (!lib && slink__gitcli_load(wd, &cli) < 0)
      rc = SLINK_EGITINDEX;
    if (nr)
      g->repos = nr;
    if (rc == 0) {
      nr[g->nrepos] = (repo){lib, cli, wd, 0};
      found = (int)g->nrepos++;
      lib = NULL;
      wd = NULL;
    }
  }
  slink__git2_close(lib, 0);
  free(wd);
  if (rc < 0)
    return rc;
  *out = found;
  *workdir = found >= 0 ? g->repos[found].workdir : NULL;
  return slink__dirmap_put(&g->dirs, dir, found);
}

int slink__git_blob(slink__git *g, int ri, const char *rel,
                    const void *bytes, size_t len, int *is_link,
                    int *matches) {
  repo *r = &g->repos[ri];
  return r->lib ? slink__git2_blob(r->lib, rel, bytes, len, is_link, matches)
                : slink__gitcli_blob(r->cli, rel, bytes, len, is_link,
                                     matches);
}

int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st) {
  if (!g || e->repo < 0)
    return 0;
  repo *r = &g->repos[e->repo];
  /* Without libgit2, git refreshes the index at the end. */
  int rc = r->lib ? slink__git2_refresh(r->lib, e->rel, st) : 0;
  if (rc == 0)
    r->dirty = 1;
  return rc;
}
