/* retarget.c - a junction pointed elsewhere in place: its reparse data
 * replaced through a handle on the entry itself (FSCTL_SET_REPARSE_POINT
 * over data of the same tag replaces it in one step), then read back.
 * A directory cannot be renamed over, so this is how move's relinking
 * changes a junction without a moment where the name is missing. */
#include <stdlib.h>
#include <string.h>

#include "win/nt.h"

int slink__os_h_junction_retarget(slink__h *dir, const char *name,
                                  const char *abs_target, int *os_err) {
  unsigned char *buf = NULL, *got = NULL;
  size_t len = 0, got_len = 0;
  slink__stat st;
  DWORD err = 0;
  HANDLE h = NULL;
  int is_entry = 1;
  int rc = slink_reparse_encode_junction(abs_target, &buf, &len);
  if (rc < 0)
    return rc;
  rc = slink__nt_open_entry(dir, name, GENERIC_WRITE | FILE_READ_ATTRIBUTES,
                            0, &h, &is_entry, &err);
  if (rc == 0) {
    rc = slink__win_handle_stat(h, &st, &err);
    if (rc == 0 && (!is_entry || st.kind != SLINK_KIND_JUNCTION))
      rc = SLINK_ECHANGED;
    if (rc == 0)
      rc = slink__win_set_reparse(h, buf, len, &err);
    if (rc == 0 &&
        (slink__win_get_reparse(h, &got, &got_len, &err) < 0 ||
         got_len != len || memcmp(got, buf, len) != 0))
      rc = SLINK_ENOTVERIFIED;
    CloseHandle(h);
  }
  free(got);
  free(buf);
  if (rc < 0 && os_err && err)
    *os_err = (int)err;
  return rc;
}
