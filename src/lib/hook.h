/* hook.h - the test-only hook between a check and the act that relies on
 * it. Built with SLINK_TEST_HOOKS (the attack tests' copy of the library
 * only), the library calls the hook at every such gap, so a test can swap
 * the tree at exactly that point; release builds compile the calls away.
 * DIR and NAME are the entry the next act concerns (DIR may be NULL). */
#ifndef SLINK_LIB_HOOK_H
#define SLINK_LIB_HOOK_H

#include "sys.h"

enum slink__hook_point {
  /* backends: slink__os_h_unlink moved NAME aside; not yet checked */
  SLINK__HP_UNLINK_ASIDE,
  /* single-path commands (make, rm, show, fix on one link) */
  SLINK__HP_PARENT_OPEN,    /* the operand's parent is open; nothing read */
  SLINK__HP_BEFORE_ACT,     /* NAME was checked; the act comes next */
  SLINK__HP_BEFORE_VERIFY,  /* NAME was made; not yet read back */
  SLINK__HP_BEFORE_RENAME,  /* temporary NAME verified; not yet renamed */
  /* the tree walker */
  SLINK__HP_WALK_LISTED,    /* NAME listed in DIR; not yet looked at */
  SLINK__HP_WALK_BEFORE_OPEN, /* NAME looked at: a directory; not opened */
  SLINK__HP_WALK_BEFORE_LIST, /* DIR opened and verified; not yet read */
  SLINK__HP_WALK_BEFORE_ACT,  /* a visitor is about to act on NAME in DIR */
  SLINK__HP_WALK_BEFORE_DOTDOT, /* DIR's parent is about to be reopened */
  SLINK__HP_WALK_BEFORE_RMDIR,  /* NAME in DIR was emptied */
  SLINK__HP_WALK_BEFORE_RETYPE, /* NAME in DIR is not what it was: look again */
  SLINK__HP_WALK_BEFORE_CHMOD,  /* permission refused: DIR is made writable */
  SLINK__HP_WALK_BEFORE_VERIFY, /* NAME opened, not the listed inode: looked at */
  /* clone and move */
  SLINK__HP_MOVE_STEP,      /* move: NAME is the step about to start */
  SLINK__HP_UNROLL_BEFORE_OPEN, /* clone --outer unroll: the outer link NAME
                                   in DIR was followed by a look; its
                                   target is opened next */
  /* dedupe: NAME in DIR is a compared duplicate; the keeper is about to
   * be linked beside it / the temporary link is about to replace it */
  SLINK__HP_DEDUPE_BEFORE_LINK,
  SLINK__HP_DEDUPE_BEFORE_RENAME,
  /* dedupe on Windows (slink__os_rf_replace): NAME in DIR is about to be
   * opened, checked and moved aside / is aside, the keeper's next */
  SLINK__HP_DEDUPE_WIN_BEFORE_ASIDE,
  SLINK__HP_DEDUPE_WIN_ASIDE,
  SLINK__HP_COUNT
};

#ifdef SLINK_TEST_HOOKS
typedef void (*slink__hook_fn)(int point, slink__h *dir, const char *name,
                               void *ctx);
extern slink__hook_fn slink__hook;
extern void *slink__hook_ctx;
#define SLINK__HOOK(point, dir, name)                                          \
  do {                                                                         \
    if (slink__hook)                                                           \
      slink__hook((point), (dir), (name), slink__hook_ctx);                    \
  } while (0)
#else
#define SLINK__HOOK(point, dir, name) ((void)0)
#endif

#endif
