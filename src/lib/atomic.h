/* atomic.h - the few atomic operations the shared directory cache
 * (classify.c) needs, with the memory orders it relies on. C11's
 * <stdatomic.h> where the compiler has it; MSVC has it only with
 * /experimental:c11atomics (VS 2022 17.5 and later: meson.build passes it
 * and then defines SLINK_HAVE_STDATOMIC), so without it the compiler's
 * interlocked intrinsics stand in. Those are full barriers, stronger than
 * any order asked for. Tests set SLINK_ATOMIC_INTERLOCKED to run the
 * stand-in with mingw. */
#ifndef SLINK_LIB_ATOMIC_H
#define SLINK_LIB_ATOMIC_H

#include <stddef.h>
#include <stdint.h>

#if !defined(SLINK_ATOMIC_INTERLOCKED) && defined(_MSC_VER) && \
    !defined(__clang__) && !defined(SLINK_HAVE_STDATOMIC)
#define SLINK_ATOMIC_INTERLOCKED 1
#endif

#ifndef SLINK_ATOMIC_INTERLOCKED

#include <stdatomic.h>

typedef _Atomic uint64_t slink__atomic_u64;
typedef atomic_int slink__atomic_int;

static inline void slink__atomic_init_u64(slink__atomic_u64 *p, uint64_t v) {
  atomic_init(p, v);
}
/* Relaxed: the order comes from the flag read or written with it. */
static inline uint64_t slink__atomic_load_u64(slink__atomic_u64 *p) {
  return atomic_load_explicit(p, memory_order_relaxed);
}
static inline void slink__atomic_store_u64(slink__atomic_u64 *p, uint64_t v) {
  atomic_store_explicit(p, v, memory_order_relaxed);
}
static inline uint64_t slink__atomic_add_u64(slink__atomic_u64 *p, uint64_t v) {
  return atomic_fetch_add(p, v);
}
static inline void slink__atomic_init_int(slink__atomic_int *p, int v) {
  atomic_init(p, v);
}
/* Acquire: what was written before the matching release is seen. */
static inline int slink__atomic_load_int(slink__atomic_int *p) {
  return atomic_load_explicit(p, memory_order_acquire);
}
static inline void slink__atomic_store_int(slink__atomic_int *p, int v) {
  atomic_store_explicit(p, v, memory_order_release);
}
/* Put V in *P if it holds 0; nonzero when it was put. */
static inline int slink__atomic_claim_u64(slink__atomic_u64 *p, uint64_t v) {
  uint64_t expected = 0;
  return atomic_compare_exchange_strong_explicit(
      p, &expected, v, memory_order_acq_rel, memory_order_acquire);
}
/* A 64-bit value that publishes what was written before it. */
static inline uint64_t slink__atomic_load_acq_u64(slink__atomic_u64 *p) {
  return atomic_load_explicit(p, memory_order_acquire);
}
static inline void slink__atomic_store_rel_u64(slink__atomic_u64 *p,
                                               uint64_t v) {
  atomic_store_explicit(p, v, memory_order_release);
}

#else

#include <intrin.h>

typedef volatile __int64 slink__atomic_u64;
typedef volatile long slink__atomic_int;

/* 64-bit compare-exchange is there on every Windows target (x86 too);
 * the rest of the 64-bit operations are made from it. */
static inline uint64_t slink__atomic_load_u64(slink__atomic_u64 *p) {
  return (uint64_t)_InterlockedCompareExchange64(p, 0, 0);
}
static inline uint64_t slink__atomic_add_u64(slink__atomic_u64 *p, uint64_t v) {
  __int64 old = *p;
  for (;;) {
    __int64 seen = _InterlockedCompareExchange64(p, (__int64)((uint64_t)old + v),
                                                 old);
    if (seen == old)
      return (uint64_t)old;
    old = seen;
  }
}
static inline void slink__atomic_store_u64(slink__atomic_u64 *p, uint64_t v) {
  __int64 old = *p;
  for (;;) {
    __int64 seen = _InterlockedCompareExchange64(p, (__int64)v, old);
    if (seen == old)
      return;
    old = seen;
  }
}
static inline void slink__atomic_init_u64(slink__atomic_u64 *p, uint64_t v) {
  *p = (__int64)v;
}
static inline void slink__atomic_init_int(slink__atomic_int *p, int v) {
  *p = v;
}
static inline int slink__atomic_load_int(slink__atomic_int *p) {
  return (int)_InterlockedCompareExchange(p, 0, 0);
}
static inline void slink__atomic_store_int(slink__atomic_int *p, int v) {
  _InterlockedExchange(p, v);
}
static inline int slink__atomic_claim_u64(slink__atomic_u64 *p, uint64_t v) {
  return _InterlockedCompareExchange64(p, (__int64)v, 0) == 0;
}
static inline uint64_t slink__atomic_load_acq_u64(slink__atomic_u64 *p) {
  return slink__atomic_load_u64(p);
}
static inline void slink__atomic_store_rel_u64(slink__atomic_u64 *p,
                                               uint64_t v) {
  slink__atomic_store_u64(p, v);
}

#endif

#endif
