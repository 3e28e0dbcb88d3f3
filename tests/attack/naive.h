/* naive.h - the control: tree removal as it is too often written, by path
 * strings with opendir/readdir/lstat. It follows a directory that is
 * swapped for a link between its lstat and its opendir, so an attack test
 * that cannot make it lose files cannot be trusted either. */
#ifndef SLINK_TEST_NAIVE_H
#define SLINK_TEST_NAIVE_H

/* Called in each gap between a check and its use, with the same point
 * numbers as the library's hook (DIRFD is AT_FDCWD, NAME the path). */
typedef void (*naive_hook_fn)(int point, int dirfd, const char *name,
                              void *ctx);

/* Remove PATH and everything below it. MAKE_WRITABLE: chmod a directory
 * that refuses removal of its entries and try again. Returns the number
 * of failures. */
int naive_remove_tree(const char *path, int make_writable, naive_hook_fn hook,
                      void *ctx);

#endif
