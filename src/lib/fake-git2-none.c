/* fake-git2-none.c - a build without libgit2: every work tree is read by
 * git itself (fake-git-cli.c), as where libgit2 cannot be loaded. */
#include "lib/fake.h"
#include "lib/internal.h"

int slink__git2_init(void) { return SLINK_ENOTSUP; }
void slink__git2_shutdown(void) {}

int slink__git2_open(const char *dir, slink__git2 **out, char **workdir) {
  (void)dir;
  *out = NULL;
  *workdir = NULL;
  return SLINK_ENOTSUP;
}

int slink__git2_close(slink__git2 *h, int write) {
  (void)h;
  (void)write;
  return 0;
}

int slink__git2_blob(slink__git2 *h, const char *rel, const void *bytes,
                     size_t len, int *is_link, int *matches) {
  (void)h, (void)rel, (void)bytes, (void)len, (void)is_link, (void)matches;
  return SLINK_ENOTSUP;
}

int slink__git2_refresh(slink__git2 *h, const char *rel,
                        const slink__stat *st) {
  (void)h, (void)rel, (void)st;
  return SLINK_ENOTSUP;
}
