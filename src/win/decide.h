/*
 * decide.h - the Windows backend's decisions that need no system call:
 * what an entry's attributes and reparse tag make it, when a delete falls
 * back or retries, which names one component may have. They take plain
 * numbers (Win32 error codes, attribute bits), so the unit tests run them
 * with injected values on any system (tests/win/test_win_decide.c).
 */
#ifndef SLINK_WIN_DECIDE_H
#define SLINK_WIN_DECIDE_H

#include <stddef.h>
#include <stdint.h>

#include "slink.h"

/* Attribute bits and tags the decisions read (values fixed by Windows). */
#define SLINK__ATTR_READONLY 0x1u
#define SLINK__ATTR_DIRECTORY 0x10u
#define SLINK__ATTR_REPARSE 0x400u
#define SLINK__TAG_MOUNT_POINT 0xA0000003u
#define SLINK__TAG_SYMLINK 0xA000000Cu
#define SLINK__TAG_LX_SYMLINK 0xA000001Du
#define SLINK__TAG_APPEXECLINK 0x8000001Bu
#define SLINK__TAG_NAME_SURROGATE 0x20000000u

/* The kind an entry's attributes and reparse tag say it is, one table for
 * handles and listings. Only name-surrogate tags (symbolic links,
 * junctions, WSL links, unknown surrogates) and AppExecLink are links; any
 * other reparse point (cloud placeholders, deduplicated or WOF-compressed
 * files) is the file or directory its attributes say. */
slink_kind slink__win_kind(uint32_t attrs, uint32_t tag);

/* After FileDispositionInfoEx failed with ERR: nonzero when the classic
 * FileDispositionInfo is to be tried (the filesystem lacks the class), 0
 * when ERR is the answer. */
int slink__win_delete_falls_back(uint32_t err);
/* Nonzero when a delete (or the open for it) that failed with ERR on try
 * number TRY (0 first) is worth another try: someone (antivirus, an
 * indexer) holds the file for a moment. */
int slink__win_delete_retries(uint32_t err, int try_no);
/* The pause in milliseconds before try number TRY (1 and up). */
unsigned slink__win_delete_pause(int try_no);
/* Nonzero when the classic delete needs FILE_ATTRIBUTE_READONLY cleared
 * first (it refuses read-only files; the Ex class ignores the bit). */
int slink__win_delete_needs_writable(uint32_t attrs, int classic);

/* FILE_SUPPORTS_HARD_LINKS, a volume flag (GetVolumeInformationByHandleW). */
#define SLINK__FS_HARD_LINKS 0x00400000u
/* The most names a file may have on a volume with the flags FSFLAGS
 * (NTFS nonzero when its filesystem calls itself NTFS): 1,023 where it
 * keeps hard links, 1 where it keeps none (FAT, exFAT), so that a link
 * refused there becomes a counted copy as at NTFS's limit. NTFS always
 * keeps them, also where the flag is missing (Wine reports none). */
uint64_t slink__win_link_max(uint32_t fsflags, int ntfs);

/* CreateSymbolicLinkW with the unprivileged flag failed with FIRST; the
 * retry without it (systems before Windows 10 1703 refuse the flag with
 * ERROR_INVALID_PARAMETER) failed with SECOND, or 0 when none was made.
 * The error to report: the retry's, which says why the link was refused. */
uint32_t slink__win_symlink_error(uint32_t first, uint32_t second);
/* Nonzero when the unprivileged flag is worth dropping after ERR. */
int slink__win_symlink_retries(uint32_t err);

/* Check NAME (LEN bytes, UTF-8) as one component of a directory: not
 * empty, no separator, no ':' (an alternate data stream), not "." or "..".
 * 0 or SLINK_EINVAL / SLINK_EEMPTYPATH; a bare drive ("C:") is
 * SLINK_EISROOT. */
int slink__win_component(const char *name, size_t len);

/* ARG (UTF-8) as one argument of a command line that the C runtime's
 * parser (CommandLineToArgvW, MSVC's and mingw's startup code) splits back
 * into ARG exactly: quoted when empty or holding a blank or a quote, each
 * quote escaped, backslashes doubled only before a quote. OUT, when not
 * NULL, receives it (no NUL); the length is returned either way. */
size_t slink__win_quote_arg(const char *arg, char *out);

#endif
