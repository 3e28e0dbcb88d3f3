/* error.c - errno to SLINK_E..., in one place. */
#include <errno.h>

#include "posix/posix.h"

int slink__posix_err(int e) {
  switch (e) {
  case 0: return 0;
  case ENOENT: return SLINK_ENOENT;
  case EEXIST: return SLINK_EEXIST;
  case EACCES: return SLINK_EACCES;
  case EPERM: return SLINK_EPERM;
  case ENOTDIR: return SLINK_ENOTDIR;
  case EISDIR: return SLINK_EISDIR;
  case EXDEV: return SLINK_EXDEV;
  case ELOOP: return SLINK_ELOOP;
  case ENAMETOOLONG: return SLINK_ENAMETOOLONG;
  case EINVAL: return SLINK_EINVAL;
  case ENOMEM: return SLINK_ENOMEM;
  case ENOSPC: return SLINK_ENOSPC;
#ifdef EDQUOT
  case EDQUOT: return SLINK_EDQUOT;
#endif
  case EROFS: return SLINK_EROFS;
  case EIO: return SLINK_EIO;
  case EBUSY: return SLINK_EBUSY;
  case ENOTEMPTY: return SLINK_ENOTEMPTY;
  case ENOTSUP: return SLINK_ENOTSUP;
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
  case EOPNOTSUPP: return SLINK_ENOTSUP;
#endif
  case EMLINK: return SLINK_EMLINK;
  case EMFILE:
  case ENFILE: return SLINK_EMFILE;
  default: return SLINK_EUNKNOWN;
  }
}

int slink__posix_fail(int *os_err) {
  int e = errno;
  if (os_err)
    *os_err = e;
  return slink__posix_err(e);
}
