/* hook.c - the variables behind hook.h, in the test build only. */
#include "lib/hook.h"

#ifdef SLINK_TEST_HOOKS
slink__hook_fn slink__hook;
void *slink__hook_ctx;
#else
/* ISO C wants a translation unit to declare something. */
typedef int slink__hook_unused;
#endif
