/* random.c - unpredictable bytes for temporary names, from the system. */
#include "win/win.h"

#include <bcrypt.h>

void slink__os_random(unsigned char *buf, size_t n) {
  while (n > 0) {
    ULONG chunk = n > 65536 ? 65536 : (ULONG)n;
    if (BCryptGenRandom(NULL, buf, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) !=
        0) {
      /* Never seen; time and process still keep temporary names apart,
       * and a name that exists is never reused (the caller retries). */
      LARGE_INTEGER t;
      uint64_t x;
      QueryPerformanceCounter(&t);
      x = (uint64_t)t.QuadPart ^ ((uint64_t)GetCurrentProcessId() << 32);
      for (ULONG i = 0; i < chunk; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        buf[i] = (unsigned char)(x >> 56);
      }
    }
    buf += chunk;
    n -= chunk;
  }
}
