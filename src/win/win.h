/*
 * win.h - what the files of the Windows backend share. Paths arrive as
 * UTF-8 and leave as UTF-16 in the long-path form the API takes; errors
 * are mapped to SLINK_E... codes in one place (error.c).
 */
#ifndef SLINK_WIN_WIN_H
#define SLINK_WIN_WIN_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "sys.h"
#include "win/decide.h"

/* error.c: a Win32 error as a SLINK_E... code. */
int slink__win_error(DWORD err);
/* The same for GetLastError(), which is also stored in *os_err. */
int slink__win_last_error(int *os_err);

/* utf.c: UTF-8 <-> UTF-16. An unpaired surrogate is carried as its
 * three-byte form (WTF-8), so every name Windows can hold round-trips. */
int slink__win_to_utf16(const char *s, size_t len, wchar_t **out,
                        size_t *out_len);
int slink__win_to_utf8(const wchar_t *s, size_t len, char **out,
                       size_t *out_len);

/* path.c: PATH (UTF-8, '/' or '\\') as an absolute \\?\ or \\?\UNC\ path.
 * Names Windows would silently alter are refused: device names (CON, NUL,
 * COM1, aux.txt...) with SLINK_ERESERVED, a trailing dot or space with
 * SLINK_EBADNAME. A path given as \\?\ or \\.\ is taken literally. */
int slink__win_path(const char *path, wchar_t **out);
/* Check one file name (no separators) as slink__win_path() does. */
int slink__win_check_name(const wchar_t *name, size_t len);
/* A \\?\ path from the system as the user writes it (C:\x, \\srv\share),
 * in UTF-8. */
int slink__win_user_path(const wchar_t *path, size_t len, char **out);
/* The final path of the handle H, opened as OPENED, in \\?\ form. */
int slink__win_final_path(HANDLE h, const wchar_t *opened, wchar_t **out,
                          DWORD *err);

/* handle.c: open PATH for attributes (and DELETE when asked); FOLLOW 0
 * opens a link itself. INVALID_HANDLE_VALUE on failure, *err set. */
HANDLE slink__win_open(const wchar_t *wpath, DWORD access, int follow,
                       DWORD *err);
/* Describe an open handle: every field of *ST (the 128-bit FileIdInfo
 * where the filesystem gives it, the volume serial as dev). */
int slink__win_handle_stat(HANDLE h, slink__stat *st, DWORD *err);
/* 1 when the open handle H is the directory entry WPATH itself (its final
 * path is its parent's final path plus its own name), 0 when it is some
 * other file: Wine opens a Linux symlink as its target even when asked not
 * to follow. Elsewhere always 1 (Windows honours FILE_OPEN_REPARSE_POINT). */
int slink__win_is_entry(HANDLE h, const wchar_t *wpath, DWORD *err);
/* Nonzero when running under Wine. */
int slink__win_is_wine(void);

/* reparse.c: the raw reparse data of the entry H was opened on
 * (16 KiB at most), and setting it. */
int slink__win_get_reparse(HANDLE h, unsigned char **buf, size_t *len,
                           DWORD *err);
int slink__win_set_reparse(HANDLE h, const unsigned char *buf, size_t len,
                           DWORD *err);
/* Decode BUF into INFO (kind, target, tag, names) through the codec. */
int slink__win_decode_reparse(const unsigned char *buf, size_t len,
                              int is_dir, slink_info *info);

/* names.c: every name of the file PATH (all its hard links), as full
 * paths, from the filesystem's own list (FindFirstFileNameW). Where the
 * system cannot say (Wine, some filesystems): SLINK_ENOTSUP. */
int slink__win_file_names(const char *path, char ***names, size_t *count,
                          int *os_err);

/* hops.c: delete the entry H was opened on (with DELETE access). */
int slink__win_delete_handle(HANDLE h, DWORD *err);
/* Tests set this to delete as on FAT, exFAT, SMB and Windows before 10
 * 1809, which lack FileDispositionInfoEx: the classic class only. */
extern int slink__win_classic_delete_only;

/* file.c: the first LEN bytes of S made to share their storage with D
 * at the same offsets (block cloning, FSCTL_DUPLICATE_EXTENTS_TO_FILE,
 * in whole clusters; D as long as S already). 0 or the Win32 error. */
DWORD slink__win_clone_extents(HANDLE s, HANDLE d, uint64_t len);

/* link.c: tests set this to refuse a hard link, as NTFS does at 1,023
 * names (ERROR_TOO_MANY_LINKS), once a file has this many (0: never). */
extern unsigned slink__win_test_link_max;
/* link.c: the most names a file may have on H's volume
 * (slink__win_link_max of its flags); tests set slink__win_test_no_links
 * to make every volume answer as FAT does, and refuse links as it does. */
uint64_t slink__win_volume_link_max(HANDLE h);
extern int slink__win_test_no_links;

/* link.c: what CreateSymbolicLinkW stores for TARGET (separators '\'):
 * the substitute name in UTF-8 (*SUB, malloc'd) and whether it carries
 * SYMBOLIC_LINK_FLAG_RELATIVE. */
int slink__win_symlink_expect(const wchar_t *target, char **sub,
                              int *relative);

#endif
