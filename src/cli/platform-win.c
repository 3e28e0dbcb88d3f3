/*
 * platform-win.c - the program's arguments and output on Windows.
 *
 * The char **argv the C runtime gives is in the ANSI code page and loses
 * every character that page lacks, so the arguments are taken again from
 * the UTF-16 command line. A console shows UTF-16 (WriteConsoleW),
 * whatever its code page; a pipe or file gets the UTF-8 bytes unchanged,
 * as other programs in a pipeline expect.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <shellapi.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli/platform.h"
#include "slink.h"

int cli_os_args(int argc, char **argv, char ***utf8_argv) {
  int n = 0, rc = 0, total;
  wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
  char **out;
  if (!wargv)
    return SLINK_ENOMEM;
  /* The caller indexes by the runtime's argc; never hand back fewer. */
  total = n > argc ? n : argc;
  out = calloc((size_t)total + 1, sizeof *out);
  if (!out) {
    LocalFree(wargv);
    return SLINK_ENOMEM;
  }
  for (int i = 0; i < n && rc == 0; i++)
    rc = slink_utf16_to_utf8((const uint16_t *)wargv[i], wcslen(wargv[i]),
                             &out[i]);
  LocalFree(wargv);
  for (int i = n; i < argc && rc == 0; i++) {
    size_t len = strlen(argv[i]);
    out[i] = malloc(len + 1);
    if (!out[i])
      rc = SLINK_ENOMEM;
    else
      memcpy(out[i], argv[i], len + 1);
  }
  if (rc < 0) {
    for (int i = 0; i < total; i++)
      free(out[i]);
    free(out);
    return rc;
  }
  /* Kept until exit, as the C runtime keeps argv. */
  *utf8_argv = out;
  return 0;
}

#define VT_PROCESSING 0x0004 /* ENABLE_VIRTUAL_TERMINAL_PROCESSING */

static HANDLE std_handle(int fd) {
  return GetStdHandle(fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
}

/* MSYS2 and Cygwin terminals (mintty) are pipes named
 * \\msys-<id>-ptyN-to-master or \\cygwin-<id>-ptyN-...: a terminal for
 * the user, though no console; they take UTF-8 bytes as they are. */
static int is_msys_pty(HANDLE h) {
  size_t size = sizeof(FILE_NAME_INFO) + 512 * sizeof(wchar_t);
  FILE_NAME_INFO *ni;
  int yes = 0;
  if (GetFileType(h) != FILE_TYPE_PIPE || !(ni = malloc(size)))
    return 0;
  if (GetFileInformationByHandleEx(h, FileNameInfo, ni, (DWORD)size)) {
    size_t n = ni->FileNameLength / sizeof(wchar_t);
    const wchar_t *p = ni->FileName;
    int msys = n > 6 && wcsncmp(p, L"\\msys-", 6) == 0;
    int cygwin = n > 8 && wcsncmp(p, L"\\cygwin-", 8) == 0;
    for (size_t i = 0; (msys || cygwin) && i + 4 <= n && !yes; i++)
      yes = wcsncmp(p + i, L"-pty", 4) == 0;
  }
  free(ni);
  return yes;
}

int cli_os_isatty(int fd) {
  DWORD mode;
  HANDLE h = std_handle(fd);
  if (h == NULL || h == INVALID_HANDLE_VALUE)
    return 0;
  return GetConsoleMode(h, &mode) || is_msys_pty(h);
}

int cli_os_errno(int os_error) {
  (void)os_error;
  return 0;
}

int cli_os_posix_names(void) { return 0; }

/* A byte that is not UTF-8 is shown as U+FFFD on the console; callers
 * quote such names before printing, so this is a last resort. */
static size_t to_console_text(const char *s, size_t len, wchar_t *w) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, n = 0;
  while (i < len) {
    unsigned c = u[i], need, cp;
    if (c < 0x80) { w[n++] = (wchar_t)c; i++; continue; }
    need = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
    if (c > 0xF4)
      need = 0;
    cp = c & (0x3Fu >> need);
    for (unsigned k = 1; need && k <= need; k++) {
      if (i + k >= len || (u[i + k] & 0xC0) != 0x80) {
        need = 0;
        break;
      }
      cp = (cp << 6) | (u[i + k] & 0x3Fu);
    }
    if (!need) { w[n++] = 0xFFFD; i++; continue; }
    i += need + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      w[n++] = (wchar_t)(0xD800 + (cp >> 10));
      w[n++] = (wchar_t)(0xDC00 + (cp & 0x3FF));
    } else {
      w[n++] = (wchar_t)cp;
    }
  }
  return n;
}

int cli_os_write(int fd, const char *s, size_t len) {
  HANDLE h = std_handle(fd);
  DWORD mode, done;
  if (h == NULL || h == INVALID_HANDLE_VALUE)
    return SLINK_EINVAL;
  if (GetConsoleMode(h, &mode)) {
    wchar_t *w;
    /* Colour comes as ANSI sequences; Windows 10 and later consoles show
     * them once asked to (older ones cannot, and print them as text). */
    if (memchr(s, 0x1b, len) && !(mode & VT_PROCESSING))
      SetConsoleMode(h, mode | VT_PROCESSING);
    w = malloc((len + 1) * sizeof *w);
    size_t n, off = 0;
    if (!w)
      return SLINK_ENOMEM;
    n = to_console_text(s, len, w);
    while (off < n) {
      DWORD chunk = n - off > 16384 ? 16384 : (DWORD)(n - off);
      if (!WriteConsoleW(h, w + off, chunk, &done, NULL) || done == 0) {
        free(w);
        return SLINK_EIO;
      }
      off += done;
    }
    free(w);
    return 0;
  }
  while (len > 0) {
    DWORD chunk = len > 65536 ? 65536 : (DWORD)len;
    if (!WriteFile(h, s, chunk, &done, NULL))
      return SLINK_EIO;
    s += done;
    len -= done;
  }
  return 0;
}
