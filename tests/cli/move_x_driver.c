/* move_x_driver.c - the move-driver of the crash tests
 * (tests/attack/move_driver.c, the same kills and usage) with -x: every
 * move it starts leaves mounts (SLINK_MOVE_LEAVE_MOUNTS). */
#include "slink.h"

static int move_x(const char *src, const char *dest, slink_move_opts *o,
                  slink_clone_stats *stats) {
  o->flags |= SLINK_MOVE_LEAVE_MOUNTS;
  return slink_move(src, dest, o, stats);
}

#define slink_move(src, dest, o, stats) move_x(src, dest, o, stats)
#include "../attack/move_driver.c"
