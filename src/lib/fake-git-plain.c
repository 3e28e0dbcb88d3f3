/* fake-git-plain.c - Git's index where the build has no libgit2: every
 * work tree read by Git's own plumbing (fake-git-cli.c), with the
 * contract of fake-git.c. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

typedef struct repo {
  slink__gitcli *cli;
  char *workdir;        /* canonical, ending in "/" */
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

int slink__git_end(slink__git *g) {
  if (!g)
    return 0;
  int rc = 0;
  for (size_t i = 0; i < g->nrepos; i++) {
    int r = slink__gitcli_end(g->repos[i].cli, g->repos[i].dirty);
    if (r < 0 && rc == 0)
      rc = r;
    free(g->repos[i].workdir);
  }
  slink__dirmap_free(&g->dirs);
  free(g->repos);
  free(g);
  return rc;
}

int slink__git_repo(slink__git *g, const char *dir, int *out,
                    const char **workdir) {
  *workdir = NULL;
  if (slink__dirmap_get(&g->dirs, dir, out)) {
    *workdir = *out >= 0 ? g->repos[*out].workdir : NULL;
    return 0;
  }
  int found = -1, rc = 0;
  char *wd;
  slink__gitcli_top(dir, &wd);
  for (size_t i = 0; wd && i < g->nrepos; i++)
    if (strcmp(g->repos[i].workdir, wd) == 0)
      found = (int)i;
  if (wd && found < 0) {
    repo *nr = realloc(g->repos, (g->nrepos + 1) * sizeof *nr);
    slink__gitcli *cli = NULL;
    if (!nr) {
      rc = SLINK_ENOMEM;
    } else {
      g->repos = nr;
      rc = slink__gitcli_load(wd, &cli);
    }
    if (rc == 0) {
      nr[g->nrepos] = (repo){cli, wd, 0};
      found = (int)g->nrepos++;
      wd = NULL;
    }
  }
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
  return slink__gitcli_blob(g->repos[ri].cli, rel, bytes, len, is_link,
                            matches);
}

int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st) {
  (void)st;
  if (g && e->repo >= 0)
    g->repos[e->repo].dirty = 1;
  return 0;
}
