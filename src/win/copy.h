/*
 * copy.h - what the Windows side of clone and move shares: the open file
 * (copy.c), its metadata (copymeta.c) and its alternate data streams
 * (streams.c).
 */
#ifndef SLINK_WIN_COPY_H
#define SLINK_WIN_COPY_H

#include "win/nt.h"

struct slink__file {
  HANDLE h;
};

/* The file of H opened again for ACCESS (relative to H, empty name). */
DWORD slink__wcopy_reopen(HANDLE h, ACCESS_MASK access, HANDLE *out);

/* LEN bytes at OFF of IN written at the same offset of OUT through BUF
 * (CAP bytes); fewer when IN ends first. 0 or the Win32 error. */
DWORD slink__wcopy_range(HANDLE in, HANDLE out, uint64_t off, uint64_t len,
                         unsigned char *buf, size_t cap);

/* Every named data stream of FROM made anew on TO with its bytes. A
 * destination that keeps none (FAT, exFAT, some shares) is
 * SLINK_ESTREAMS when FROM has any. */
int slink__wcopy_streams(HANDLE from, HANDLE to, int *os_err);

#endif
