/* fake-git2.c - one work tree's index read and refreshed with libgit2:
 * which files Git keeps as symbolic links (mode 120000) and the blob it
 * recorded for each, so that a placeholder is recognised only when its
 * bytes are exactly that blob. The repository table around it is
 * fake-git.c; an index libgit2 cannot read (a split index's "link"
 * extension, a sparse index's "sdir", both mandatory) is read by git
 * itself there instead (fake-git-cli.c). */
#include <stdlib.h>

#include "lib/fake.h"
#include "lib/internal.h"

#include <git2.h>

struct slink__git2 {
  git_repository *repo;
  git_index *index;
};

int slink__git2_init(void) {
  /* Fails too where libgit2 is loaded when needed and is not installed. */
  return git_libgit2_init() < 0 ? SLINK_ENOTSUP : 0;
}

void slink__git2_shutdown(void) { git_libgit2_shutdown(); }

int slink__git2_open(const char *dir, slink__git2 **out, char **workdir) {
  git_repository *r = NULL;
  git_index *idx = NULL;
  *out = NULL;
  *workdir = NULL;
  if (git_repository_open_ext(&r, dir, 0, NULL) < 0)
    return 0;
  int rc = 0;
  if (git_repository_workdir(r) &&
      slink__git_workdir(git_repository_workdir(r), workdir) == 0 &&
      git_repository_index(&idx, r) == 0) {
    if (!(*out = malloc(sizeof **out))) {
      rc = SLINK_ENOMEM;
    } else {
      (*out)->repo = r;
      (*out)->index = idx;
      return 0;
    }
  }
  git_index_free(idx);
  git_repository_free(r);
  if (rc < 0) {
    free(*workdir);
    *workdir = NULL;
  }
  return rc;
}

int slink__git2_close(slink__git2 *h, int write) {
  if (!h)
    return 0;
  int rc = write && git_index_write(h->index) < 0 ? SLINK_EIO : 0;
  git_index_free(h->index);
  git_repository_free(h->repo);
  free(h);
  return rc;
}

int slink__git2_blob(slink__git2 *h, const char *rel, const void *bytes,
                     size_t len, int *is_link, int *matches) {
  const git_index_entry *ie = git_index_get_bypath(h->index, rel, 0);
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

int slink__git2_refresh(slink__git2 *h, const char *rel,
                        const slink__stat *st) {
  const git_index_entry *ie = git_index_get_bypath(h->index, rel, 0);
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
  return git_index_add(h->index, &ne) < 0 ? SLINK_EIO : 0;
}
