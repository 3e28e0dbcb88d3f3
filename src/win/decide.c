/* decide.c - the pure decisions of the Windows backend (see decide.h). */
#include "win/decide.h"

/* Win32 error codes (winerror.h) the decisions name. */
enum {
  E_INVALID_FUNCTION = 1,
  E_SHARING_VIOLATION = 32,
  E_LOCK_VIOLATION = 33,
  E_NOT_SUPPORTED = 50,
  E_INVALID_PARAMETER = 87,
  E_DIR_NOT_EMPTY = 145
};

#define DELETE_TRIES 6

slink_kind slink__win_kind(uint32_t attrs, uint32_t tag) {
  int dir = (attrs & SLINK__ATTR_DIRECTORY) != 0;
  if (attrs & SLINK__ATTR_REPARSE) {
    switch (tag) {
    case SLINK__TAG_SYMLINK:
      return dir ? SLINK_KIND_DIR_SYMLINK : SLINK_KIND_SYMLINK;
    case SLINK__TAG_MOUNT_POINT: return SLINK_KIND_JUNCTION;
    case SLINK__TAG_LX_SYMLINK: return SLINK_KIND_WSL_SYMLINK;
    case SLINK__TAG_APPEXECLINK: return SLINK_KIND_APP_LINK;
    default:
      /* The tag says it stands for another name: a link of a kind slink
       * does not know. Otherwise the data is the file's own. */
      if (tag & SLINK__TAG_NAME_SURROGATE)
        return SLINK_KIND_REPARSE;
      break;
    }
  }
  return dir ? SLINK_KIND_DIR : SLINK_KIND_FILE;
}

int slink__win_delete_falls_back(uint32_t err) {
  return err == E_NOT_SUPPORTED || err == E_INVALID_PARAMETER ||
         err == E_INVALID_FUNCTION;
}

int slink__win_delete_retries(uint32_t err, int try_no) {
  return try_no + 1 < DELETE_TRIES &&
         (err == E_DIR_NOT_EMPTY || err == E_SHARING_VIOLATION ||
          err == E_LOCK_VIOLATION);
}

unsigned slink__win_delete_pause(int try_no) {
  return try_no <= 0 ? 0u : 1u << (2 * (try_no - 1)); /* 1, 4, 16, 64 ms */
}

int slink__win_delete_needs_writable(uint32_t attrs, int classic) {
  return classic && (attrs & SLINK__ATTR_READONLY) != 0;
}

uint64_t slink__win_link_max(uint32_t fsflags, int ntfs) {
  return ((fsflags & SLINK__FS_HARD_LINKS) || ntfs) ? UINT64_C(1023)
                                                   : UINT64_C(1);
}

int slink__win_symlink_retries(uint32_t err) {
  return err == E_INVALID_PARAMETER;
}

uint32_t slink__win_symlink_error(uint32_t first, uint32_t second) {
  return second ? second : first;
}

int slink__win_component(const char *name, size_t len) {
  if (len == 0)
    return SLINK_EEMPTYPATH;
  if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
    return SLINK_EINVAL;
  /* "C:" alone, the last part of a path only in name, is a drive. */
  if (len == 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
    return SLINK_EISROOT;
  for (size_t i = 0; i < len; i++)
    if (name[i] == '\\' || name[i] == '/' || name[i] == ':' || name[i] == 0)
      return SLINK_EINVAL;
  return 0;
}

size_t slink__win_quote_arg(const char *arg, char *out) {
  size_t n = 0, slashes = 0;
  int quote = !*arg;
#define PUT(c) (out ? (void)(out[n] = (c)) : (void)0, n++)
  for (const char *p = arg; *p; p++)
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\v' || *p == '"')
      quote = 1;
  if (!quote) {
    for (const char *p = arg; *p; p++)
      PUT(*p);
    return n;
  }
  PUT('"');
  for (const char *p = arg;; p++) {
    if (*p == '\\') {
      slashes++;
      continue;
    }
    /* Backslashes are literal unless a quote follows them: there (and
     * before the closing quote) each one is doubled. */
    size_t times = *p == '"' || !*p ? 2 * slashes : slashes;
    for (size_t i = 0; i < times; i++)
      PUT('\\');
    slashes = 0;
    if (!*p)
      break;
    if (*p == '"')
      PUT('\\');
    PUT(*p);
  }
  PUT('"');
#undef PUT
  return n;
}
