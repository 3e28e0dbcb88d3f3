/*
 * reparse.c - reading and writing a reparse point through a handle opened
 * on the entry itself. The bytes are interpreted by the portable codec
 * only.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"
#include "win/win.h"

#include <winioctl.h>

int slink__win_get_reparse(HANDLE h, unsigned char **buf, size_t *len,
                           DWORD *err) {
  unsigned char *b = malloc(SLINK_REPARSE_MAX_SIZE);
  DWORD got = 0;
  if (!b)
    return SLINK_ENOMEM;
  if (!DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, b,
                       SLINK_REPARSE_MAX_SIZE, &got, NULL)) {
    *err = GetLastError();
    free(b);
    return slink__win_error(*err);
  }
  *buf = b;
  *len = got;
  return 0;
}

int slink__win_set_reparse(HANDLE h, const unsigned char *buf, size_t len,
                           DWORD *err) {
  DWORD got = 0;
  if (len > SLINK_REPARSE_MAX_SIZE)
    return SLINK_ETOOBIG;
  if (!DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, (void *)buf, (DWORD)len,
                       NULL, 0, &got, NULL)) {
    *err = GetLastError();
    return slink__win_error(*err);
  }
  return 0;
}

static char *take(char **s) {
  char *r = *s;
  *s = NULL;
  return r;
}

int slink__win_decode_reparse(const unsigned char *buf, size_t len,
                              int is_dir, slink_info *info) {
  slink_reparse rp;
  char *target = NULL;
  int rc;
  memset(&rp, 0, sizeof rp);
  rc = slink_reparse_decode(buf, len, &rp);
  if (rc < 0) {
    slink_reparse_free(&rp);
    return rc;
  }
  info->tag = rp.tag;
  info->kind = rp.kind;
  if (rp.kind == SLINK_KIND_SYMLINK && is_dir)
    info->kind = SLINK_KIND_DIR_SYMLINK;
  free(info->substitute_name);
  free(info->print_name);
  info->substitute_name = take(&rp.substitute_name);
  info->print_name = take(&rp.print_name);
  free(info->target);
  info->target = NULL;
  info->target_len = 0;
  if (rp.kind == SLINK_KIND_WSL_SYMLINK) {
    info->target_len = rp.wsl_target_len;
    info->target = take(&rp.wsl_target);
  } else if (slink_reparse_target(&rp, &target) == 0) {
    info->target = target;
    info->target_len = strlen(target);
  }
  slink_reparse_free(&rp);
  return 0;
}
