/* fake-git-cli.c - one work tree's index read by Git's own plumbing, run
 * as a subprocess: `git ls-files -s -t -z` for the entries Git keeps as
 * symbolic links (120000) and which of them lie outside a sparse checkout
 * (tag S), one `git cat-file --batch` for all their blobs, and
 * `git update-index -q --refresh` at the end. Git reads every index it
 * writes (split, sparse, a linked worktree's, a submodule's), so this is
 * both the backend of builds without libgit2 (fake-git-plain.c) and what
 * the libgit2 one falls back on for an index libgit2 cannot read. Three
 * subprocesses per work tree, whatever the number of files. */
#include <stdlib.h>
#include <string.h>

#include "lib/fake.h"
#include "lib/internal.h"

typedef struct link_entry {
  const char *path;
  char oid[41];
  int skip;             /* skip-worktree: outside the sparse checkout */
  const char *blob;     /* its content, in the cat-file output */
  size_t blob_len;
  int have_blob;
} link_entry;

struct slink__gitcli {
  char *workdir;        /* canonical, ending in "/" */
  char *listing;        /* the ls-files output the paths point into */
  char *blobs;          /* the cat-file output the blobs point into */
  link_entry *links;
  size_t nlinks;
};

static int git(char **argv, const void *in, size_t n, char **out,
               size_t *len) {
  int status;
  int rc = slink__os_run(argv, in, n, out, len, &status);
  if (rc == 0 && status != 0) {
    free(*out);
    *out = NULL;
    return SLINK_EGITINDEX;
  }
  return rc;
}

int slink__gitcli_top(const char *dir, char **workdir) {
  char *argv[] = {"git", "-C", (char *)dir, "rev-parse", "--show-toplevel",
                  NULL};
  char *top = NULL;
  size_t tl;
  *workdir = NULL;
  if (git(argv, NULL, 0, &top, &tl) == 0 && tl > 1 && top[tl - 1] == '\n') {
    top[tl - 1] = 0;
    if (slink__git_workdir(top, workdir) < 0)
      *workdir = NULL;
  }
  free(top);
  return 0;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const link_entry *)a)->path, ((const link_entry *)b)->path);
}

static int by_oid(const void *a, const void *b) {
  return strcmp(((const link_entry *)a)->oid, ((const link_entry *)b)->oid);
}

/* "T 120000 OID STAGE\tPATH\0" records: keep the symbolic links. */
static int list_links(slink__gitcli *r) {
  char *argv[] = {"git", "-C", r->workdir, "ls-files", "-s", "-t", "-z",
                  NULL};
  size_t len, cap = 0;
  int rc = git(argv, NULL, 0, &r->listing, &len);
  if (rc < 0)
    return rc;
  for (char *p = r->listing; p && p < r->listing + len;
       p += strlen(p) + 1) {
    char *tab = strchr(p, '\t');
    if (!tab || tab - p < 2 + 7 + 40 || memcmp(p + 2, "120000 ", 7) != 0)
      continue;
    if (r->nlinks == cap) {
      cap = cap ? 2 * cap : 64;
      link_entry *nl = realloc(r->links, cap * sizeof *nl);
      if (!nl)
        return SLINK_ENOMEM;
      r->links = nl;
    }
    link_entry *e = &r->links[r->nlinks++];
    memset(e, 0, sizeof *e);
    memcpy(e->oid, p + 9, 40);
    e->skip = p[0] == 'S';
    e->path = tab + 1;
  }
  return 0;
}

/* Every link's blob in one `git cat-file --batch`: "OID blob SIZE\n",
 * the content, "\n" for each object asked, in order. */
static int read_blobs(slink__gitcli *r) {
  if (!r->nlinks)
    return 0;
  qsort(r->links, r->nlinks, sizeof *r->links, by_oid);
  char *in = malloc(r->nlinks * 41);
  if (!in)
    return SLINK_ENOMEM;
  size_t n = 0;
  for (size_t i = 0; i < r->nlinks; i++)
    if (i == 0 || strcmp(r->links[i].oid, r->links[i - 1].oid) != 0) {
      memcpy(in + n, r->links[i].oid, 40);
      in[n + 40] = '\n';
      n += 41;
    }
  char *argv[] = {"git", "-C", r->workdir, "cat-file", "--batch", NULL};
  size_t len;
  int rc = git(argv, in, n, &r->blobs, &len);
  free(in);
  if (rc < 0)
    return rc;
  const char *p = r->blobs, *end = r->blobs + len;
  size_t i = 0;
  while (p < end && i < r->nlinks) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      break;
    const char *body = nl + 1;
    size_t size = 0;
    int blob = nl - p > 46 && memcmp(p + 40, " blob ", 6) == 0;
    if (blob)
      size = strtoul(p + 46, NULL, 10);
    if (blob && (size_t)(end - body) < size + 1)
      return SLINK_EGITINDEX; /* cut short */
    for (; i < r->nlinks && memcmp(r->links[i].oid, p, 40) == 0; i++) {
      r->links[i].have_blob = blob;
      r->links[i].blob = body;
      r->links[i].blob_len = size;
    }
    p = blob ? body + size + 1 : body; /* "OID missing\n" has no body */
  }
  return 0;
}

int slink__gitcli_load(const char *workdir, slink__gitcli **out) {
  slink__gitcli *r = calloc(1, sizeof *r);
  if (!r)
    return SLINK_ENOMEM;
  int rc = (r->workdir = slink__strdup(workdir)) ? 0 : SLINK_ENOMEM;
  if (rc == 0)
    rc = list_links(r);
  if (rc == 0)
    rc = read_blobs(r);
  if (rc < 0) {
    slink__gitcli_end(r, 0);
    return rc;
  }
  if (r->nlinks)
    qsort(r->links, r->nlinks, sizeof *r->links, by_path);
  *out = r;
  return 0;
}

int slink__gitcli_blob(slink__gitcli *r, const char *rel, const void *bytes,
                       size_t len, int *is_link, int *matches) {
  link_entry key;
  memset(&key, 0, sizeof key);
  key.path = rel;
  link_entry *le = r->nlinks ? bsearch(&key, r->links, r->nlinks,
                                       sizeof *r->links, by_path)
                             : NULL;
  if (!le)
    return 0;
  *is_link = 1;
  if (le->skip)
    return SLINK_EGITSPARSE;
  /* The same bytes as the blob: the same blob, as git would hash it. */
  *matches = le->have_blob && le->blob_len == len &&
             memcmp(le->blob, bytes, len) == 0;
  return 0;
}

int slink__gitcli_end(slink__gitcli *r, int refresh) {
  int rc = 0;
  if (!r)
    return 0;
  if (refresh) {
    /* git's own refresh: stat data of entries whose content is
     * unchanged (the links converted among them). */
    char *argv[] = {"git", "-C", r->workdir, "update-index", "-q",
                    "--refresh", NULL};
    char *o = NULL;
    size_t ol;
    int status;
    if (slink__os_run(argv, NULL, 0, &o, &ol, &status) < 0)
      rc = SLINK_EIO;
    free(o);
  }
  free(r->workdir);
  free(r->listing);
  free(r->blobs);
  free(r->links);
  free(r);
  return rc;
}
