/* info.c - releasing what the library hands back. */
#include <stdlib.h>
#include <string.h>

#include "slink.h"

void slink_info_free(slink_info *info) {
  if (!info)
    return;
  free(info->target);
  free(info->resolved);
  free(info->substitute_name);
  free(info->print_name);
  memset(info, 0, sizeof *info);
}

void slink_made_free(slink_made *made) {
  if (!made)
    return;
  free(made->target);
  made->target = NULL;
}
