/* random.c - unpredictable bytes for temporary names, from the system. */
#include "win/win.h"

#include <bcrypt.h>

void slink__os_random(unsigned char *buf, size_t n) {
  while (n > 0) {
    ULONG chunk = n > 65536 ? 65536 : (ULONG)n;
    if (BCryptGenRandom(NULL, buf, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) !=
        0) {
      /* Never seen; a counter still keeps temporary names apart. */
      static unsigned char next;
      for (ULONG i = 0; i < chunk; i++)
        buf[i] = (unsigned char)(GetTickCount() + next++ + i * 131u);
    }
    buf += chunk;
    n -= chunk;
  }
}
