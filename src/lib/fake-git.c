/* fake-git.c - Git's index, read and refreshed with libgit2: which files
 * of a work tree Git keeps as symbolic links (mode 120000) and the blob it
 * recorded for each, so that a placeholder is recognised only when its
 * bytes are exactly that blob. Each repository of a run is opened and its
 * index read once; the indexes changed are written once, at the end.
 * Submodules and linked worktrees are repositories of their own: the
 * directory of each entry is asked which one holds it. An index libgit2
 * cannot read (a split index's "link" extension, a sparse index's "sdir",
 * both mandatory) is read by git itself instead (fake-git-cli.c). */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

#include <git2.h>

typedef struct repo {
  git_repository *repo;
  git_index *index;     /* NULL: read by git (CLI) */
  slink__gitcli *cli;
  char *workdir;        /* canonical, ending in "/" */
  size_t wlen;
  int dirty;
} repo;

struct slink__git {
  repo *repos;
  size_t nrepos;
  slink__dirmap dirs;
};

int slink__git_new(slink__git **out) {
  /* Fails too where libgit2 is loaded when needed and is not installed. */
  if (git_libgit2_init() < 0)
    return SLINK_ENOTSUP;
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
    if (r->dirty && r->index && git_index_write(r->index) < 0 && rc == 0)
      rc = SLINK_EIO;
    int rcli = slink__gitcli_end(r->cli, r->dirty);
    if (rcli < 0 && rc == 0)
      rc = rcli;
    git_index_free(r->index);
    git_repository_free(r->repo);
    free(r->workdir);
  }
  slink__dirmap_free(&g->dirs);
  free(g->repos);
  free(g);
  git_libgit2_shutdown();
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
  git_repository *r = NULL;
  char *wd = NULL;
  if (git_repository_open_ext(&r, dir, 0, NULL) == 0 &&
      git_repository_workdir(r) &&
      slink__git_workdir(git_repository_workdir(r), &wd) == 0) {
    for (size_t i = 0; i < g->nrepos; i++)
      if (strcmp(g->repos[i].workdir, wd) == 0)
        found = (int)i;
    repo *nr = found < 0 ? realloc(g->repos, (g->nrepos + 1) * sizeof *nr)
                         : NULL;
    git_index *idx = NULL;
    slink__gitcli *cli = NULL;
    if (found < 0 && !nr)
      rc = SLINK_ENOMEM;
    if (nr) {
      g->repos = nr;
      if (git_repository_index(&idx, r) < 0 &&
          slink__gitcli_load(wd, &cli) < 0)
        rc = SLINK_EGITINDEX;
      if (rc == 0) {
        nr[g->nrepos] = (repo){r, idx, cli, wd, strlen(wd), 0};
        found = (int)g->nrepos++;
        r = NULL;
        wd = NULL;
      }
    }
  }
  free(wd);
  git_repository_free(r);
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
  if (!r->index)
    return slink__gitcli_blob(r->cli, rel, bytes, len, is_link, matches);
  const git_index_entry *ie = git_index_get_bypath(r->index, rel, 0);
  if (!ie || ie->mode != GIT_FILEMODE_LINK)
    return 0;
  *is_link = 1;
  if (ie->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE)
    return SLINK_EGITSPARSE; /* git never wrote this file */
  git_oid oid;
  if (git_odb_hash(&oid, bytes, len, GIT_OBJECT_BLOB) < 0)
    return SLINK_ENOMEM;
  *matches = git_oid_equal(&oid, &ie->id);
  return 0;
}

int slink__git_refresh(slink__git *g, const slink__git_entry *e,
                       const slink__stat *st) {
  if (!g || e->repo < 0)
    return 0;
  repo *r = &g->repos[e->repo];
  if (!r->index) { /* git refreshes it at the end */
    r->dirty = 1;
    return 0;
  }
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

