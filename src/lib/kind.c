/* kind.c - the names of kinds and states, as they appear in text and JSON. */
#include <string.h>

#include "slink.h"

const char *slink_kind_name(slink_kind kind) {
  switch (kind) {
  case SLINK_KIND_NONE: return "none";
  case SLINK_KIND_SYMLINK: return "symlink";
  case SLINK_KIND_DIR_SYMLINK: return "dir-symlink";
  case SLINK_KIND_JUNCTION: return "junction";
  case SLINK_KIND_WSL_SYMLINK: return "wsl-symlink";
  case SLINK_KIND_APP_LINK: return "app-link";
  case SLINK_KIND_REPARSE: return "reparse";
  case SLINK_KIND_FILE: return "file";
  case SLINK_KIND_DIR: return "dir";
  case SLINK_KIND_FIFO: return "fifo";
  case SLINK_KIND_SOCKET: return "socket";
  case SLINK_KIND_DEVICE: return "device";
  case SLINK_KIND_OTHER: return "other";
  }
  return "other";
}

int slink_kind_is_link(slink_kind kind) {
  return kind >= SLINK_KIND_SYMLINK && kind <= SLINK_KIND_REPARSE;
}

/* In bit order: the index of a name is the bit's position. */
static const char *const state_names[SLINK_STATE_COUNT] = {
  "ok", "dangling", "loop", "denied", "absolute", "relative",
  "messy", "lengthy", "cross-device", "escapes", "too-long"
};

const char *slink_state_name(unsigned state_bit) {
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++)
    if (state_bit == 1u << i)
      return state_names[i];
  return NULL;
}

unsigned slink_state_from_name(const char *name) {
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++)
    if (strcmp(name, state_names[i]) == 0)
      return 1u << i;
  return 0;
}
