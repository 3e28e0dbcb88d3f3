/* temp.c - the one pattern of slink's temporary names. */
#include <string.h>

#include "lib/internal.h"
#include "sys.h"

#define PREFIX ".slink-"
#define SUFFIX ".tmp"

void slink__temp_name(char out[SLINK__TEMP_LEN + 1]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char rnd[8];
  slink__os_random(rnd, sizeof rnd);
  memcpy(out, PREFIX, 7);
  for (size_t i = 0; i < sizeof rnd; i++) {
    out[7 + 2 * i] = hex[rnd[i] >> 4];
    out[8 + 2 * i] = hex[rnd[i] & 15];
  }
  memcpy(out + 23, SUFFIX, sizeof SUFFIX);
}

int slink__is_temp_name(const char *name, size_t len) {
  if (len != SLINK__TEMP_LEN || memcmp(name, PREFIX, 7) != 0 ||
      memcmp(name + 23, SUFFIX, 4) != 0)
    return 0;
  for (size_t i = 7; i < 23; i++)
    if (!strchr("0123456789abcdef", name[i]) || !name[i])
      return 0;
  return 1;
}
