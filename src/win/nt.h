/*
 * nt.h - directory handles on Windows: what hdir.c, hops.c and hlink.c
 * share. An entry is always opened with NtCreateFile relative to the
 * handle of its directory (RootDirectory), so no path is looked up again
 * from a volume's root once a directory is open.
 */
#ifndef SLINK_WIN_NT_H
#define SLINK_WIN_NT_H

#include "win/win.h"

#include <winternl.h>

#ifndef FILE_OPEN_REPARSE_POINT
#define FILE_OPEN_REPARSE_POINT 0x00200000
#endif
#ifndef FILE_OPEN_FOR_BACKUP_INTENT
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#endif
#ifndef FILE_DIRECTORY_FILE
#define FILE_DIRECTORY_FILE 0x00000001
#endif
#ifndef FILE_NON_DIRECTORY_FILE
#define FILE_NON_DIRECTORY_FILE 0x00000040
#endif
#ifndef FILE_OPEN
#define FILE_OPEN 0x00000001
#endif
#ifndef FILE_CREATE
#define FILE_CREATE 0x00000002
#endif

struct slink__h {
  HANDLE h;
  uint64_t dev;
  unsigned char *buf;   /* the current batch of listed entries */
  size_t next;          /* offset of the next entry in buf, or SIZE_MAX */
  int restart;          /* the next batch is asked for from the start */
  char *name;           /* the current entry's name, UTF-8 */
  wchar_t *sys;         /* Wine only: the volume-relative name of h */
  size_t sys_len;
};

/* What an entry is opened for. */
#define SLINK__NT_LOOK (FILE_READ_ATTRIBUTES | SYNCHRONIZE)
#define SLINK__NT_DELETE (DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE)
#define SLINK__NT_LIST (FILE_LIST_DIRECTORY | FILE_TRAVERSE | \
                        FILE_READ_ATTRIBUTES | SYNCHRONIZE)

/* Open (or with DISPOSITION FILE_CREATE make) NAME, LEN UTF-16 units
 * relative to ROOT (NULL: NAME is an NT path). OPTIONS are NtCreateFile's
 * (FILE_SYNCHRONOUS_IO_NONALERT and FILE_OPEN_FOR_BACKUP_INTENT are always
 * added). 0 or the Win32 error. */
DWORD slink__nt_open(HANDLE root, const wchar_t *name, size_t len,
                     ACCESS_MASK access, ULONG options, ULONG disposition,
                     HANDLE *out);

/* NAME (UTF-8, one component, checked by slink__win_component) as UTF-16. */
int slink__nt_name(const char *name, wchar_t **w, size_t *len);

/* Open the entry NAME of DIR itself (FILE_OPEN_REPARSE_POINT) for ACCESS,
 * retrying briefly while someone else holds it; under Wine, which opens a
 * Linux symlink's target whatever it is asked, *IS_ENTRY says whether the
 * handle is the entry itself (elsewhere always 1). */
int slink__nt_open_entry(slink__h *dir, const char *name, ACCESS_MASK access,
                         ULONG options, HANDLE *out, int *is_entry,
                         DWORD *err);

/* Wine only: 1 when CHILD, opened as NAME (LEN units) relative to DIR, is
 * that entry and not what a Linux symlink points to. */
int slink__nt_wine_is_entry(slink__h *dir, HANDLE child, const wchar_t *name,
                            size_t len);

/* The handle of the current directory, for opens given no DIR. */
int slink__nt_cwd(slink__h **out, int *os_err);

/* Delete the entry H was opened on (DELETE access), POSIX semantics where
 * the filesystem has them, the classic disposition otherwise (read-only
 * cleared first), retried briefly while the file is held. */
int slink__nt_delete(HANDLE h, DWORD *err);

/* Rename the entry H was opened on (DELETE access) to TO (LEN units)
 * relative to the directory ROOT, replacing an entry there if REPLACE:
 * POSIX semantics where the filesystem has them. 0 or the Win32 error. */
DWORD slink__nt_rename(HANDLE h, HANDLE root, const wchar_t *to, size_t len,
                        int replace);

/* The \\?\ path of the directory DIR, for the calls that take a path. */
int slink__nt_dir_path(slink__h *dir, wchar_t **out, DWORD *err);

/* A Win32 error as the code returned, kept in *os_err. */
int slink__nt_fail(DWORD err, int *os_err);

#endif
