/* persona-win.c - what Windows' own tools say when something fails: the
 * system's message texts, chosen from slink's error codes so that the
 * messages are the same on every platform slink runs on. */
#include <ctype.h>
#include <string.h>

#include "cli/persona.h"
#include "slink.h"

const char *cli_win_message(int code) {
  switch (code) {
  case SLINK_EEXIST:
  case SLINK_EDIRNOTREPLACED:
    return "Cannot create a file when that file already exists.";
  case SLINK_ENOENT:
  case SLINK_ENOTARGET:
    return "The system cannot find the file specified.";
  case SLINK_ENOPARENT:
  case SLINK_EEMPTYPATH:
    return "The system cannot find the path specified.";
  case SLINK_EACCES:
  case SLINK_EHARDLINKDIR:
  case SLINK_EISDIR:
    return "Access is denied.";
  case SLINK_EXDEV:
    return "The new link and the existing file must be on the same NTFS "
           "volume.";
  case SLINK_EPERM:
  case SLINK_ENOPRIV:
    return "You do not have sufficient privilege to perform this operation.";
  case SLINK_ENAMETOOLONG:
    return "The filename or extension is too long.";
  case SLINK_ENOTDIR:
  case SLINK_ETARGETNOTDIR:
    return "The directory name is invalid.";
  case SLINK_EMLINK:
    return "An attempt was made to create more links on a file than the "
           "file system supports.";
  case SLINK_ENOSPC:
    return "There is not enough space on the disk.";
  case SLINK_EROFS:
    return "The media is write protected.";
  case SLINK_ENOTSUP:
    return "The request is not supported.";
  case SLINK_ELOOP:
    return "The name of the file cannot be resolved by the system.";
  case SLINK_ENOTEMPTY:
    return "The directory is not empty.";
  case SLINK_ENOMEM:
    return "Not enough memory resources are available to process this "
           "command.";
  default:
    return "The parameter is incorrect.";
  }
}

int cli_win_switch_is(const char *arg, const char *name) {
  for (; *arg && *name; arg++, name++)
    if (tolower((unsigned char)*arg) != tolower((unsigned char)*name))
      return 0;
  return *arg == *name;
}

const char *cli_win_link_target(const slink_info *info) {
  if (info->tag && info->print_name && *info->print_name)
    return info->print_name;
  if (info->tag && info->substitute_name) {
    const char *s = info->substitute_name;
    return strncmp(s, "\\??\\", 4) == 0 ? s + 4 : s;
  }
  return info->target ? info->target : "";
}
