/* error.c - messages and names of the SLINK_E... codes, from the one table. */
#include "slink.h"

const char *slink_strerror(int code) {
  switch (code) {
#define SLINK__XX(name, msg) case SLINK_E##name: return msg;
    SLINK_ERRNO_MAP(SLINK__XX)
#undef SLINK__XX
  default:
    return code == 0 ? "success" : "unknown error";
  }
}

const char *slink_err_name(int code) {
  switch (code) {
#define SLINK__XX(name, msg) case SLINK_E##name: return "SLINK_E" #name;
    SLINK_ERRNO_MAP(SLINK__XX)
#undef SLINK__XX
  default:
    return code == 0 ? "SLINK_OK" : "SLINK_EUNKNOWN";
  }
}
