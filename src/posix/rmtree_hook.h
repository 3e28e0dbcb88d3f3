/* rmtree_hook.h - the test-only hook of the POSIX tree removal. Built
 * with SLINK_TEST_HOOKS (the attack tests only), the walk calls the hook
 * in every gap between a check and the use that relies on it, so a test
 * can change the tree at exactly that point. Release builds compile the
 * calls away. */
#ifndef SLINK_POSIX_RMTREE_HOOK_H
#define SLINK_POSIX_RMTREE_HOOK_H

/* The gaps. DIRFD and NAME are the entry the next use concerns: a
 * directory descriptor (-1 when the walk holds none just then) and a name
 * in it; at SLINK__RT_BEFORE_DOTDOT, the child whose ".." is opened. */
enum slink__rt_point {
  SLINK__RT_TOP_LISTED,   /* the operand was looked at; not yet used */
  SLINK__RT_BEFORE_UNLINK, /* an entry listed as no directory */
  SLINK__RT_BEFORE_LOOK,  /* an entry listed as a directory */
  SLINK__RT_BEFORE_OPEN,  /* looked at: a directory; not yet opened */
  SLINK__RT_BEFORE_VERIFY, /* opened; not yet compared with the look */
  SLINK__RT_BEFORE_LIST,  /* verified; not yet read */
  SLINK__RT_BEFORE_RETYPE, /* a use failed for the entry's type */
  SLINK__RT_BEFORE_CHMOD, /* permission refused; DIRFD is made writable */
  SLINK__RT_BEFORE_DOTDOT, /* DIRFD's parent is about to be reopened */
  SLINK__RT_BEFORE_RMDIR, /* the directory NAME was emptied */
  SLINK__RT_POINT_COUNT
};

#ifdef SLINK_TEST_HOOKS
typedef void (*slink__rt_hook_fn)(int point, int dirfd, const char *name,
                                  void *ctx);
extern slink__rt_hook_fn slink__rt_hook;
extern void *slink__rt_hook_ctx;
/* How many directory descriptors the walk keeps open at most. */
extern int slink__rt_fd_window;
#define SLINK__RT_HOOK(point, dirfd, name)                                     \
  do {                                                                         \
    if (slink__rt_hook)                                                        \
      slink__rt_hook((point), (dirfd), (name), slink__rt_hook_ctx);            \
  } while (0)
#define SLINK__RT_WINDOW ((size_t)slink__rt_fd_window)
#else
#define SLINK__RT_HOOK(point, dirfd, name) ((void)0)
#define SLINK__RT_WINDOW ((size_t)16)
#endif

#endif
